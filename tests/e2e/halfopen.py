#!/usr/bin/env python3
"""halfopen.py PORT N: opens N connections to 127.0.0.1:PORT that each send
half a request (slowloris), then times one normal request while they stay
open.  Prints "ok SECONDS STATUS" or "fail REASON"; bounded in time."""
import resource, socket, sys, time

port, n = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 64)), hard))
held = []
deadline = time.monotonic() + 60
for i in range(n):
    if time.monotonic() > deadline:
        print("fail opening took over 60 s at %d" % i)
        sys.exit(1)
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-a: " % port)
    except OSError as e:
        print("fail connection %d: %s" % (i, e))
        sys.exit(1)
    held.append(s)
time.sleep(1)
t0 = time.monotonic()
c = socket.socket()
c.settimeout(10)
try:
    c.connect(("127.0.0.1", port))
    c.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port)
    data = c.recv(64)
except OSError as e:
    print("fail normal request: %s" % e)
    sys.exit(1)
took = time.monotonic() - t0
status = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "none"
# the half-open ones are still there (not closed by the server yet)
alive = 0
for s in held:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
print("ok %.2f %s %d" % (took, status, alive))
