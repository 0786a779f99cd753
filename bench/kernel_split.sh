#!/usr/bin/env bash
# kernel_split.sh PERF.DATA...: a process's kernel time by cause, from a
# `perf record -g -e cpu-clock` of it (4,000 samples a second, perf's
# default): page faults, write(2), mkdir(2), open(2), close(2), futex(2),
# memory calls (mmap, munmap, madvise, mprotect, brk), interrupts, the
# scheduler, and the rest.  A sample counts as the kernel's when its stack
# has a system call, fault or interrupt entry; perf's own samples are left
# out.  Seconds, one line a file.
#
# Why: the system time of a build moves with the VM's memory state (the
# first touch of memory the guest gave back to its host is expensive), and
# plansite's figure is comparable with the floor's only cause by cause. On
# one machine state the write(2) share of the same binary went from 0.30 to
# 1.42 s between runs while its page faults stayed at 0.24-0.29 s
# (bench/README, "What of the system time is plansite's own").
#
#   perf record -g -e cpu-clock -o main.data ./plansite build --out /tmp/a
#   bench/kernel_split.sh main.data
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PERF.DATA..." >&2; exit 2; }
for f in "$@"; do
	perf script -i "$f" -F comm,ip,sym 2>/dev/null | awk -v f="$f" '
	BEGIN { RS = "" }
	{
		split($0, L, "\n")
		split(L[1], h, " ")
		if (h[1] == "perf")
			next
		total++
		if ($0 !~ /entry_SYSCALL|asm_exc_page_fault|asm_sysvec|asm_common_interrupt|irqentry/)
			next
		kernel++
		c = "other"
		if ($0 ~ /asm_exc_page_fault/) c = "fault"
		else if ($0 ~ /ksys_write|vfs_write/) c = "write"
		else if ($0 ~ /futex/) c = "futex"
		else if ($0 ~ /mkdir/) c = "mkdir"
		else if ($0 ~ /openat|do_sys_open/) c = "open"
		else if ($0 ~ /asm_sysvec|asm_common_interrupt/) c = "irq"
		else if ($0 ~ /munmap|madvise|mprotect|sys_mmap|brk/) c = "mm"
		else if ($0 ~ /sched|exit_to_user/) c = "sched"
		else if ($0 ~ /close/) c = "close"
		n[c]++
	}
	END {
		printf "%s: all %.3f s, kernel %.3f s:", f, total / 4000, kernel / 4000
		split("fault write mkdir open close futex mm irq sched other", order, " ")
		for (i = 1; i <= 10; i++)
			printf " %s %.3f", order[i], n[order[i]] / 4000
		printf "\n"
	}'
done
