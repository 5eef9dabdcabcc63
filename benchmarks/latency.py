#!/usr/bin/env python3
"""Wall-clock latency of short commands, measured in turns.

    benchmarks/latency.py [--rounds 100] [--warmup 3] "CMD ARGS..." "CMD ARGS..." ...

Each round runs every command once, in a new random order, so that the drift of a shared
machine (seen here: a command's median moving by 30% from one minute to the next) falls on all
commands alike. hyperfine times one command's runs in a block, then the next command's: on this
machine that decided which of two commands within 10% of each other came out faster. Output and
exit status of the commands are ignored (`rg` exits 1 when nothing matches, `hieros check` on
BLOCK). Prints each command's median, quartiles, and its ratio to the first command.
"""
import argparse
import os
import random
import shlex
import statistics
import time


def run_once(argv, devnull):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    os.waitpid(pid, 0)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    commands = [shlex.split(command) for command in args.commands]
    devnull = os.open(os.devnull, os.O_WRONLY)
    order = random.Random(args.seed)
    times = [[] for _ in commands]
    for round_number in range(args.warmup + args.rounds):
        indices = list(range(len(commands)))
        order.shuffle(indices)
        for index in indices:
            elapsed = run_once(commands[index], devnull)
            if round_number >= args.warmup:
                times[index].append(elapsed)
    first = statistics.median(times[0])
    for command, samples in zip(args.commands, times):
        median = statistics.median(samples)
        low, _, high = statistics.quantiles(samples, n=4)
        print(f"  median {median * 1000:6.1f} ms  (quartiles {low * 1000:.1f}-{high * 1000:.1f})"
              f"  {median / first:5.2f}x the first  {command}")


if __name__ == "__main__":
    main()
