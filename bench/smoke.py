#!/usr/bin/env python3
"""The benchmark apparatus at toy size, so CI notices when any of it rots.

    bench/smoke.py --composer PATH [--ninja PATH] [--fake-tool PATH] [BENCH_BINARY...]

Generates a 5-target project, runs bench/compare.py on it (one run of each
phase, with all its correctness checks), and runs each micro-benchmark binary
for a moment on small inputs. Exits non-zero if anything fails.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(step, cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    took = time.perf_counter() - start
    if r.returncode != 0:
        print(f"FAILED ({r.returncode}) {step}: {' '.join(cmd)}\n{r.stdout}")
        return False
    print(f"ok {step} ({took:.1f} s)")
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--composer", required=True)
    p.add_argument("--ninja", help="ninja to compare with (compare.py is skipped without it)")
    p.add_argument("--fake-tool", help="a built bench/fake_tool.c (else compiled with cc)")
    p.add_argument("benchmarks", nargs="*", help="micro-benchmark binaries to run")
    args = p.parse_args()

    ok = True
    tool = ["--fake-tool", args.fake_tool] if args.fake_tool else []
    with tempfile.TemporaryDirectory(prefix="composer-bench-smoke-") as tmp:
        ok &= run("gen_manifests.py --targets 5",
                  [sys.executable, os.path.join(HERE, "gen_manifests.py"),
                   os.path.join(tmp, "gen"), "--targets", "5"] + tool)
        if args.ninja:
            ok &= run("compare.py --targets 5 --runs 1",
                      [sys.executable, os.path.join(HERE, "compare.py"), "--targets", "5",
                       "--runs", "1", "--composer", args.composer, "--ninja", args.ninja,
                       "--workdir", os.path.join(tmp, "compare"),
                       "--json", os.path.join(tmp, "compare.json")] + tool)
        else:
            print("skipped compare.py: no --ninja")
    for binary in args.benchmarks:
        # libbenchmark 1.7 takes --benchmark_min_time in seconds, without a unit.
        ok &= run(os.path.basename(binary),
                  [binary, "--benchmark_min_time=0.01", "--composer_bench_scale=0.02"])
    print("bench smoke: " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
