#!/usr/bin/env python3
"""Whole-process benchmarks for rcdk: wall time and peak RSS of release binaries.

    python3 scripts/bench.py            # everything (builds release binaries first)
    python3 scripts/bench.py --quick    # fewer runs, skip the 100x500 sizes
    python3 scripts/bench.py --runs 7

Measures (median of N runs, peak RSS of the slowest-memory run) with /usr/bin/time:
  * the flagship example's app binary (start -> cdk.out written);
  * `rcdk synth -q` in examples/cross-account-pipeline with nothing changed (cargo's
    up-to-date check included, as cdk.json runs the app through cargo);
  * the scale generator: L1 and L2 apps of 1x100, 10x100, 100x100 and 100x500;
  * `rcdk ls` on the flagship assembly and on the 100x500 L1 assembly;
  * `rcdk diff --from` between two 100-stack assemblies.
Prints a Markdown table (paste it into docs/performance.md). Not part of the test run.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")


def run_timed(cmd, cwd=None, env=None):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS KiB).

    Wall time is measured here with perf_counter (/usr/bin/time's %e has 10 ms resolution);
    it includes /usr/bin/time's own start, well under a millisecond."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        full = ["/usr/bin/time", "-f", "%M", "-o", t.name] + cmd
        start = time.perf_counter()
        proc = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr}")
        rss = t.read().split()[-1]
        return wall, int(rss)


def measure(name, cmd, runs, target=None, cwd=None, env=None, rows=None):
    samples = [run_timed(cmd, cwd, env) for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    rss = max(s[1] for s in samples) / 1024
    rows.append((name, wall, rss, target or ""))
    print(f"{name:55s} {wall*1000:9.1f} ms {rss:8.1f} MiB  {target or ''}", flush=True)
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs

    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "cdk-cli", "-p", "scale-example",
         "-p", "cross-account-pipeline-example"],
        cwd=ROOT, check=True)
    rcdk = os.path.join(RELEASE, "rcdk")
    scale = os.path.join(RELEASE, "scale")
    flagship = os.path.join(RELEASE, "cross-account-pipeline")
    work = tempfile.mkdtemp(prefix="rcdk-bench-")
    rows = []
    try:
        env = dict(os.environ, CDK_OUTDIR=os.path.join(work, "flagship.out"))
        measure("flagship app binary (5 stacks)", [flagship], runs, "< 30 ms, < 25 MiB", env=env, rows=rows)
        example = os.path.join(ROOT, "examples", "cross-account-pipeline")
        subprocess.run(["cargo", "build", "-q", "-p", "cross-account-pipeline-example"], cwd=ROOT, check=True)
        measure("rcdk synth -q (flagship, nothing changed, via cargo)", [rcdk, "synth", "-q"], runs,
                "< 300 ms", cwd=example, rows=rows)
        measure("rcdk ls (flagship assembly, 5 stacks)", [rcdk, "ls", "--app", os.path.join(work, "flagship.out")],
                runs, "< 20 ms", rows=rows)

        sizes = [(1, 100), (10, 100), (100, 100)] + ([] if args.quick else [(100, 500)])
        times = {}
        for kind in ("l1", "l2"):
            for stacks, resources in sizes:
                out = os.path.join(work, f"{kind}-{stacks}x{resources}")
                env = dict(os.environ, CDK_OUTDIR=out)
                target = {("l1", 100, 500): "< 0.7 s, < 300 MiB", ("l2", 100, 500): "< 2 s"}.get((kind, stacks, resources))
                times[(kind, stacks, resources)] = measure(
                    f"scale {kind} {stacks} stacks x {resources} resources",
                    [scale, kind, str(stacks), str(resources)], runs, target, env=env, rows=rows)
        if not args.quick:
            for kind in ("l1", "l2"):
                ratio = times[(kind, 100, 500)] / (5 * times[(kind, 100, 100)])
                print(f"growth {kind}: 100x500 = {ratio:.2f} x (5 x 100x100)  (target <= 1.3)")
                rows.append((f"growth {kind}: 100x500 / (5 x 100x100)", ratio, 0.0, "<= 1.3"))
            measure("rcdk ls (100 x 500 L1 assembly)", [rcdk, "ls", "--app", os.path.join(work, "l1-100x500")],
                    runs, "< 150 ms", rows=rows)
        # diff of two 100-stack assemblies that differ everywhere.
        a, b = os.path.join(work, "diff-a"), os.path.join(work, "diff-b")
        subprocess.run([scale, "l1", "100", "60"], env=dict(os.environ, CDK_OUTDIR=a), check=True)
        subprocess.run([scale, "l1", "100", "61"], env=dict(os.environ, CDK_OUTDIR=b), check=True)
        measure("rcdk diff --from (two 100-stack assemblies)", [rcdk, "diff", "--app", b, "--from", a, "--all"],
                runs, "< 1 s", rows=rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\n| benchmark | wall (median) | peak RSS | target |\n|---|---|---|---|")
    for name, wall, rss, target in rows:
        if name.startswith("growth"):
            print(f"| {name} | {wall:.2f} | | {target} |")
        else:
            print(f"| {name} | {wall*1000:.0f} ms | {rss:.0f} MiB | {target} |")


if __name__ == "__main__":
    main()
