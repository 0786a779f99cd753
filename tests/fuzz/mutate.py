#!/usr/bin/env python3
"""Mutation fuzzing of whole builds: the sample plans, randomly damaged
(bytes flipped or cut, YAML syntax, aliases, tabs, combining marks, bad
UTF-8 spliced in), are built with the sanitizer binary from a work tree.
Any exit status but 0 or 1, or any sanitizer report, is kept as a crash.

  tests/fuzz/mutate.py [SEED] [ITERATIONS]     (make fuzz: 2,000 by default,
                                               about 0.12 s each: 4 minutes)
"""
import os, random, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("PLANSITE", os.path.join(ROOT, "build/san/plansite"))
SNIPPETS = [b"---\n", b"\t", b": ", b"[", b"]", b"{", b"&a ", b"*a", b"\n- ", b'"', b"\xcc\x81",
            b"\xff", b"..", b"/", b"\n  - id: \"1\"\n", b"status: ", b"due: ", b"lead: "]


def mutate(rnd, src):
    b = bytearray(src)
    for _ in range(rnd.randint(1, 8)):
        if not b:
            b = bytearray(b"---\n")
        pos, op = rnd.randrange(len(b)), rnd.random()
        if op < 0.3:
            b[pos] = rnd.randrange(256)
        elif op < 0.5:
            del b[pos:pos + rnd.randint(1, 40)]
        elif op < 0.75:
            b[pos:pos] = rnd.choice(SNIPPETS)
        else:
            q = rnd.randrange(len(b))
            b[pos:pos] = b[q:q + rnd.randint(1, 200)]
    return bytes(b)


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rnd = random.Random(seed)
    plans = os.path.join(ROOT, "content", "plans")
    seeds = [open(os.path.join(plans, f), "rb").read() for f in sorted(os.listdir(plans))]
    tmp = tempfile.mkdtemp(prefix="plansite-fuzz.")
    repo = os.path.join(tmp, "repo")
    shutil.copytree(os.path.join(ROOT, "content"), os.path.join(repo, "content"))
    env = dict(os.environ, GIT_AUTHOR_NAME="f", GIT_AUTHOR_EMAIL="f@x", GIT_COMMITTER_NAME="f",
               GIT_COMMITTER_EMAIL="f@x")
    subprocess.run(["git", "init", "-q", repo], check=True)
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True)
    subprocess.run(["git", "-C", repo, "commit", "-qm", "seed"], check=True, env=env)
    crashes = 0
    for i in range(n):
        data = mutate(rnd, rnd.choice(seeds))
        with open(os.path.join(repo, "content", "plans", "fuzz.md"), "wb") as f:
            f.write(data)
        r = subprocess.run([BIN, "build", "--repo", repo, "--worktree", "--out", os.path.join(tmp, "out")],
                           capture_output=True)
        if r.returncode not in (0, 1) or b"Sanitizer" in r.stderr or b"runtime error" in r.stderr:
            crashes += 1
            keep = os.path.join(ROOT, "tests", "fuzz", "crash-%d-%d.md" % (seed, i))
            with open(keep, "wb") as f:
                f.write(data)
            print("crash (exit %d), input kept in %s:\n%s" % (r.returncode, keep,
                  r.stderr[-1500:].decode("utf-8", "replace")))
        if (i + 1) % 200 == 0:
            print("fuzz: %d/%d inputs, %d crashes" % (i + 1, n, crashes), flush=True)
    shutil.rmtree(tmp)
    print("fuzz: %d inputs, %d crashes" % (n, crashes))
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
