"""Runs commands in alternation, N rounds, and prints their median wall times and the
ratio of each to the first, as a Markdown table. Alternating (rather than one command's
runs, then the other's) keeps a busy machine from favouring either side.
With AGAINST_LAST=1, a last column gives each median's ratio to the last command's (the
peer the targets are set against)."""

import os
import statistics
import subprocess
import sys
import time

rounds = int(sys.argv[1])
commands = [(label, cmd) for label, cmd in zip(sys.argv[2::2], sys.argv[3::2])]
times = {label: [] for label, _ in commands}
for label, cmd in commands:  # warm-up, not measured
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(rounds):
    for label, cmd in commands:
        start = time.perf_counter()
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[label].append((time.perf_counter() - start) * 1000)
first = statistics.median(times[commands[0][0]])
last_label = commands[-1][0]
last = statistics.median(times[last_label])
against_last = os.environ.get("AGAINST_LAST") == "1"
extra = f" rapport à {last_label} |" if against_last else ""
print(f"| commande | médiane (ms) | min (ms) | rapport au checker |{extra}")
print("|---|---:|---:|---:|" + ("---:|" if against_last else ""))
for label, _ in commands:
    median = statistics.median(times[label])
    row = f"| {label} | {median:.1f} | {min(times[label]):.1f} | {median / first:.2f} |"
    if against_last:
        row += f" {median / last:.2f} |"
    print(row)
