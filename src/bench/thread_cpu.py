#!/usr/bin/env python3
"""Where a process's CPU goes, by thread group, without a profiler.

    thread_cpu.py PID [INTERVAL_S]

Reads /proc/PID/task/*/stat every INTERVAL_S (default 0.1) until the process exits, keeps the last
user+sys ticks seen for each thread (threads that end early, such as idle JIT compiler threads,
keep what they had), and prints the totals grouped by thread name. One cheap read per thread per
interval; the sampler's own CPU is not part of the process measured.
"""
import os
import re
import sys
import time

GROUPS = [  # (group, thread-name pattern); first match wins
    ("transfer: ranged GETs, SHA-256, UploadPart", r"^transfer"),
    ("JIT compilers (C1, C2)", r"^C[12] CompilerThre"),
    ("main: start-up, intake, manifests", r"^java$|^main$"),
    ("GC", r"^GC Thread|^G1 "),
    ("Bot API client (OkHttp)", r"^OkHttp|^Okio"),
]


def sample(pid, ticks):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return False
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks[tid] = (name, int(fields[11]) + int(fields[12]))  # utime, stime
    return True


def main():
    pid = int(sys.argv[1])
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    hz = os.sysconf("SC_CLK_TCK")
    ticks = {}
    while sample(pid, ticks):
        time.sleep(interval)
    totals = {}
    for name, t in ticks.values():
        group = next((g for g, p in GROUPS if re.search(p, name)), "other (VM, H2, timers)")
        totals[group] = totals.get(group, 0) + t
    all_ticks = sum(totals.values())
    for group, t in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {t / hz:6.2f} s  {100 * t / max(all_ticks, 1):4.0f}%  {group}")
    print(f"  {all_ticks / hz:6.2f} s  100%  all threads")


if __name__ == "__main__":
    main()
