"""Runs commands in alternation, N rounds, and prints their median wall times and the
ratio of each to the first, as a Markdown table. Alternating (rather than one command's
runs, then the other's) keeps a busy machine from favouring either side."""

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
print("| commande | médiane (ms) | min (ms) | rapport au checker |")
print("|---|---:|---:|---:|")
for label, _ in commands:
    median = statistics.median(times[label])
    print(f"| {label} | {median:.1f} | {min(times[label]):.1f} | {median / first:.2f} |")
