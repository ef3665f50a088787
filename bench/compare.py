#!/usr/bin/env python3
"""Times Composer against Ninja on one generated project, side by side.

    bench/compare.py --composer build/composer [--targets 1500] [--runs 5]

Generates a project with bench/gen_manifests.py, copies it once per tool (so
their logs never meet) and measures, alternating the tools run by run (the
first tool of each round alternates too, so drift in machine load hits both
alike):

  load         manifest load only: `-t targets rule <a rule no edge uses>`.
               Both programs parse every file and build the graph, read no
               log, stat nothing and print nothing.
  full         a clean build at -j JOBS (outputs and logs removed with rm
               between runs, never with the tools)
  noop         a build of an up-to-date tree (manifest, build log, deps log,
               a stat of every file, deciding that nothing is to be done)
  noop-watch   the no-op again, Composer with COMPOSER_WATCH=1: two untimed
               builds first start its file watcher and leave the record of
               a no-op, so each timed one finds nothing changed since and
               loads nothing but the graph; against ninja's no-op
  noop-watch-stat  the same, but a file no edge uses changes under a watched
               directory before each run: the record is void, the logs load
               and the watcher answers for every stat
  incremental  a build after one widely-included header gained a line (a
               content change: both programs rebuild the same edges)

For each: the median, min and max wall time and the peak RSS, ru_maxrss from
wait4() (the largest resident set of the program or of any child it waited
for; the children here are small, so it is the executor's). The program runs
under GNU time (/usr/bin/time -f %M), whose wait4() reports it: a child forked
straight from Python would carry Python's own high-water mark. Ratios are
composer/ninja: below 1 means Composer is faster or smaller.

Correctness is checked on the way: after a full build both trees hold the
same output files with the same contents, a second build of each prints no
work, a no-op prints no work, and an incremental build runs the same commands
in both trees. A failed check exits with status 1 after the table.

--callgrind also counts the instructions of one no-op build of each under
`valgrind --tool=callgrind` (deterministic, unlike wall time).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PHASES = ["load", "full", "noop", "noop-watch", "noop-watch-stat", "incremental"]
# A rule name no edge uses: `-t targets rule NAME` then walks the edges and
# prints nothing, leaving manifest loading as the only work.
UNUSED_RULE = "bench_no_such_rule"
STATUS_RE = re.compile(r"^\[\d+/\d+\] (.*)$")


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Time composer against ninja on a generated Chromium-shaped project.")
    p.add_argument("--targets", type=int, default=1500,
                   help="project size for gen_manifests.py (default 1500)")
    p.add_argument("--runs", type=int, default=5, help="runs per tool and phase (default 5)")
    p.add_argument("--composer", default=shutil.which("composer") or "composer",
                   help="the composer binary (default: composer on PATH)")
    p.add_argument("--ninja", default=shutil.which("ninja") or "/usr/bin/ninja",
                   help="the ninja binary (default: ninja on PATH)")
    p.add_argument("--composer-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for composer (repeatable), e.g. --ninja-compat")
    p.add_argument("--only", choices=PHASES, action="append",
                   help="measure only this phase (repeatable; default all)")
    p.add_argument("--jobs", "-j", type=int, default=2, help="-j for builds (default 2)")
    p.add_argument("--json", metavar="FILE", help="also write every sample to FILE")
    p.add_argument("--callgrind", action="store_true",
                   help="count instructions of a no-op build of each under callgrind")
    p.add_argument("--workdir", help="where the project and its copies go "
                                     "(default: a temporary directory, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--seed", type=int, default=1, help="gen_manifests.py --seed")
    p.add_argument("--fake-tool", metavar="PATH",
                   help="gen_manifests.py --fake-tool (a built bench/fake_tool.c)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    for name in ("composer", "ninja"):
        path = getattr(args, name)
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            p.error(f"--{name}: {path} is not an executable file")
        setattr(args, name, os.path.abspath(path))
    return args


class Failure(Exception):
    pass


class Tool:
    def __init__(self, name, argv0, extra, tree, jobs):
        self.name = name
        self.argv = [argv0] + extra
        self.tree = tree
        self.jobs = jobs

    def command(self, *args):
        return self.argv + ["-C", self.tree] + list(args)


# A child forked from this Python process starts with Python's resident-set
# high-water mark, and the kernel keeps it across exec(): wait4() on such a
# child reports at least Python's size. GNU time is small, so the ru_maxrss
# its own wait4() sees is the program's (or its largest child's).
GNU_TIME = "/usr/bin/time"


def run_measured(cmd, log_path, extra_env=None):
    """Runs cmd with stdout+stderr to log_path.

    Returns (wall seconds, os.wait4 rusage, exit status, peak RSS in KB)."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env["NINJA_STATUS"] = "[%f/%t] "
    env.pop("CLICOLOR_FORCE", None)
    env.pop("MAKEFLAGS", None)
    rss_file = log_path + ".rss"
    wrapped = cmd
    if os.access(GNU_TIME, os.X_OK):
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file, "--"] + cmd
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss  # fallback: includes this process's high-water mark
    if wrapped is not cmd:
        with open(rss_file) as f:
            lines = f.read().split()
        os.unlink(rss_file)
        # GNU time writes "Command exited with non-zero status N" first on failure.
        rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
    return elapsed, usage, proc.returncode, rss


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def run_once(tool, args, log_path, what, extra_env=None):
    elapsed, usage, code, rss = run_measured(tool.command(*args), log_path, extra_env)
    if code != 0:
        tail = "".join(read(log_path).splitlines(True)[-20:])
        raise Failure(f"{tool.name} {what} failed (exit {code}): {' '.join(tool.command(*args))}"
                      f"\n{tail}")
    return {
        "seconds": elapsed,
        "max_rss_kb": rss,
        "user_seconds": usage.ru_utime,
        "system_seconds": usage.ru_stime,
    }


def edges_run(log_path):
    """The descriptions of the commands a build printed, sorted."""
    out = []
    for line in read(log_path).splitlines():
        m = STATUS_RE.match(line)
        if m:
            out.append(m.group(1))
    return sorted(out)


def says_no_work(log_path):
    text = read(log_path)
    return "no work to do" in text and not edges_run(log_path)


def clean(tree):
    shutil.rmtree(os.path.join(tree, "out"), ignore_errors=True)
    for name in os.listdir(tree):
        if name.startswith(".ninja_") or name.startswith(".composer"):
            os.unlink(os.path.join(tree, name))


def output_digests(tree):
    result = {}
    root = os.path.join(tree, "out")
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                result[os.path.relpath(path, tree)] = hashlib.sha1(fh.read()).hexdigest()
    return result


def summarize(samples):
    secs = [s["seconds"] for s in samples]
    rss = [s["max_rss_kb"] for s in samples]
    return {
        "median_s": statistics.median(secs),
        "min_s": min(secs),
        "max_s": max(secs),
        "median_rss_kb": statistics.median(rss),
        "max_rss_kb": max(rss),
        "runs": len(samples),
    }


class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.logs = os.path.join(workdir, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.project = os.path.join(workdir, "project")
        self.tools = []
        self.samples = {}     # phase -> tool name -> [sample]
        self.checks = []      # (ok, message)
        self.built = False
        self.edit_counter = 0

    def log(self, msg):
        print(msg, flush=True)

    def check(self, ok, message):
        self.checks.append((bool(ok), message))
        if not ok:
            self.log(f"  CHECK FAILED: {message}")

    def log_path(self, tool, what):
        return os.path.join(self.logs, f"{tool.name}-{what}.txt")

    def setup(self):
        a = self.args
        self.log(f"generating --targets {a.targets} into {self.project}")
        gen = [sys.executable, os.path.join(HERE, "gen_manifests.py"), self.project,
               "--targets", str(a.targets), "--seed", str(a.seed), "--force"]
        if a.fake_tool:
            gen += ["--fake-tool", a.fake_tool]
        r = subprocess.run(gen, capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f"gen_manifests.py failed:\n{r.stdout}{r.stderr}")
        self.log("  " + r.stdout.strip())
        with open(os.path.join(self.project, "bench_info.json")) as f:
            self.info = json.load(f)
        for name, argv0, extra in (("composer", a.composer, a.composer_arg),
                                   ("ninja", a.ninja, [])):
            tree = os.path.join(self.workdir, name)
            shutil.rmtree(tree, ignore_errors=True)
            subprocess.run(["cp", "-a", self.project, tree], check=True)
            self.tools.append(Tool(name, argv0, extra, tree, a.jobs))

    def order(self, run):
        return self.tools if run % 2 == 0 else list(reversed(self.tools))

    def record(self, phase, tool, sample):
        self.samples.setdefault(phase, {}).setdefault(tool.name, []).append(sample)
        self.log(f"  {phase:<15} {tool.name:<8} run {len(self.samples[phase][tool.name])}: "
                 f"{sample['seconds']:8.3f} s  {sample['max_rss_kb'] / 1024:7.1f} MB")

    # --- phases ---------------------------------------------------------------

    def phase_load(self):
        for run in range(self.args.runs):
            for tool in self.order(run):
                path = self.log_path(tool, "load")
                sample = run_once(tool, ["-t", "targets", "rule", UNUSED_RULE], path, "load")
                self.check(read(path).strip() == "",
                           f"{tool.name}: -t targets rule {UNUSED_RULE} printed something")
                self.record("load", tool, sample)

    def build(self, tool, what, extra_env=None):
        path = self.log_path(tool, what)
        sample = run_once(tool, ["-j", str(self.args.jobs)], path, what, extra_env)
        return sample, path

    def phase_full(self):
        for run in range(self.args.runs):
            for tool in self.order(run):
                clean(tool.tree)
                sample, _ = self.build(tool, "full")
                self.record("full", tool, sample)
        self.built = True
        self.verify_built("full build")

    def verify_built(self, what):
        """Same outputs in both trees; a second build of each does nothing."""
        digests = [output_digests(t.tree) for t in self.tools]
        same_names = digests[0].keys() == digests[1].keys()
        self.check(same_names, f"after the {what} both trees hold the same output files "
                               f"({len(digests[0])} vs {len(digests[1])})")
        if same_names:
            differ = [p for p in digests[0] if digests[0][p] != digests[1][p]]
            self.check(not differ, f"after the {what} output contents agree"
                                   + (f" (first difference: {differ[0]})" if differ else ""))
        for tool in self.tools:
            _, path = self.build(tool, "second")
            self.check(says_no_work(path), f"{tool.name}: the build after the {what} "
                                           f"is a no-op (see {path})")

    def ensure_built(self):
        if self.built:
            return
        self.log("  (an untimed build of each tree first)")
        for tool in self.tools:
            clean(tool.tree)
            self.build(tool, "prepare")
        self.built = True
        self.verify_built("preparatory build")

    def phase_noop(self):
        self.ensure_built()
        for run in range(self.args.runs):
            for tool in self.order(run):
                sample, path = self.build(tool, "noop")
                self.check(says_no_work(path), f"{tool.name}: no-op build printed work "
                                               f"(see {path})")
                self.record("noop", tool, sample)

    def phase_noop_watch(self, phase="noop-watch", touch=False):
        self.ensure_built()
        composer = next(t for t in self.tools if t.name == "composer")
        watch = {"COMPOSER_WATCH": "1"}
        # A file no edge uses, in a directory the watcher follows.
        unrelated = os.path.join(composer.tree, os.path.dirname(self.info["edit_header"]),
                                 "bench-unrelated.txt")
        try:
            for warm_up in range(2):
                self.build(composer, f"{phase}-warm-up", watch)
                time.sleep(0.2)  # the first one started the watcher
            for run in range(self.args.runs):
                for tool in self.order(run):
                    if touch and tool is composer:
                        with open(unrelated, "a") as f:
                            f.write(f"{run}\n")
                    sample, path = self.build(tool, phase,
                                              watch if tool is composer else None)
                    self.check(says_no_work(path), f"{tool.name}: no-op build printed work "
                                                   f"(see {path})")
                    self.record(phase, tool, sample)
        finally:
            subprocess.run(composer.command("-t", "watch", "stop"), capture_output=True)
            if os.path.exists(unrelated):
                os.unlink(unrelated)

    def phase_noop_watch_stat(self):
        self.phase_noop_watch("noop-watch-stat", touch=True)

    def edit_header(self, tool):
        path = os.path.join(tool.tree, self.info["edit_header"])
        with open(path, "a") as f:
            f.write(f"// edit {self.edit_counter}\n")

    def phase_incremental(self):
        self.ensure_built()
        header = self.info["edit_header"]
        self.log(f"  editing {header} (reached by {self.info['edit_header_compile_users']} "
                 f"of {self.info['compile_edges']} compile edges)")
        for run in range(self.args.runs):
            self.edit_counter += 1
            ran = {}
            for tool in self.order(run):
                # Coarse file timestamps: let the clock move past the last
                # output written before the header changes.
                time.sleep(0.05)
                self.edit_header(tool)
                sample, path = self.build(tool, "incremental")
                ran[tool.name] = edges_run(path)
                sample["commands"] = len(ran[tool.name])
                self.record("incremental", tool, sample)
            c, n = ran["composer"], ran["ninja"]
            self.check(c == n and len(c) > 0,
                       f"incremental run {run + 1}: both ran the same commands "
                       f"(composer {len(c)}, ninja {len(n)})")
        for tool in self.tools:
            _, path = self.build(tool, "after-incremental")
            self.check(says_no_work(path), f"{tool.name}: the build after an incremental "
                                           f"build is a no-op (see {path})")

    def callgrind(self):
        self.ensure_built()
        self.callgrind_counts = {}
        for tool in self.tools:
            out = os.path.join(self.logs, f"{tool.name}.callgrind.out")
            cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + \
                tool.command("-j", str(self.args.jobs))
            r = subprocess.run(cmd, capture_output=True, text=True)
            m = re.search(r"Collected : (\d+)", r.stderr)
            if r.returncode != 0 or not m:
                raise Failure(f"callgrind of {tool.name} failed:\n{r.stderr[-2000:]}")
            self.callgrind_counts[tool.name] = int(m.group(1))
            self.check("no work to do" in r.stdout + r.stderr,
                       f"{tool.name}: no-op build under callgrind printed work")
            self.log(f"  callgrind   {tool.name:<8} {int(m.group(1)):,} instructions")

    # --- report ---------------------------------------------------------------

    def table(self):
        def span(s):
            return f"{s['median_s']:9.3f} ({s['min_s']:.3f}-{s['max_s']:.3f})"
        rows = [f"{'':<15} {'composer wall s':>26} {'ninja wall s':>26} {'ratio':>6}"
                f" {'composer RSS':>13} {'ninja RSS':>10} {'ratio':>6}",
                f"{'':<15} {'median (min-max)':>26} {'median (min-max)':>26}"]
        self.summary = {}
        for phase in PHASES:
            if phase not in self.samples:
                continue
            s = {name: summarize(v) for name, v in self.samples[phase].items()}
            self.summary[phase] = s
            c, n = s["composer"], s["ninja"]
            rows.append(f"{phase:<15} {span(c):>26} {span(n):>26} "
                        f"{c['median_s'] / n['median_s']:>6.2f} "
                        f"{c['median_rss_kb'] / 1024:>10.1f} MB {n['median_rss_kb'] / 1024:>7.1f} MB "
                        f"{c['median_rss_kb'] / n['median_rss_kb']:>6.2f}")
        if getattr(self, "callgrind_counts", None):
            c, n = self.callgrind_counts["composer"], self.callgrind_counts["ninja"]
            rows.append(f"{'noop instr':<15} {c:>26,} {n:>26,} {c / n:>6.2f}"
                        f"   (valgrind --tool=callgrind, one run each)")
        return "\n".join(rows)


def make_workdir(requested, prefix):
    """The directory to work in: `requested` (created if missing), else a
    new temporary one. Returns (workdir, temp), temp being what to remove
    at the end (None for a requested directory)."""
    if requested:
        workdir = os.path.abspath(requested)
        os.makedirs(workdir, exist_ok=True)
        return workdir, None
    temp = tempfile.mkdtemp(prefix=prefix)
    return temp, temp


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    phases = args.only or PHASES
    workdir, temp = make_workdir(args.workdir, "composer-bench-")
    bench = Bench(args, workdir)
    load_before = os.getloadavg()
    failed = None
    try:
        bench.setup()
        for phase in PHASES:
            if phase in phases:
                bench.log(f"{phase}:")
                getattr(bench, f"phase_{phase.replace('-', '_')}")()
        if args.callgrind:
            bench.log("callgrind:")
            bench.callgrind()
    except Failure as e:
        failed = str(e)
    load_after = os.getloadavg()

    info = getattr(bench, "info", {})
    print()
    print(f"project: {info.get('targets')} targets, {info.get('build_statements')} build "
          f"statements, {info.get('manifest_bytes', 0) / 1e6:.1f} MB of manifest; "
          f"-j{args.jobs}; {args.runs} run(s) each")
    print(f"composer: {args.composer} {' '.join(args.composer_arg)}".rstrip())
    print(f"ninja:    {args.ninja}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"on {os.cpu_count()} CPUs")
    if bench.samples:
        print(bench.table())
    bad = [m for ok, m in bench.checks if not ok]
    print(f"checks: {len(bench.checks) - len(bad)} passed, {len(bad)} failed")
    for m in bad:
        print(f"  FAILED: {m}")
    if failed:
        print(f"error: {failed}")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "project": info,
                "composer": args.composer, "composer_args": args.composer_arg,
                "ninja": args.ninja, "jobs": args.jobs, "runs": args.runs,
                "cpus": os.cpu_count(),
                "load_average_before": load_before, "load_average_after": load_after,
                "samples": bench.samples,
                "summary": getattr(bench, "summary", {}),
                "callgrind_instructions": getattr(bench, "callgrind_counts", None),
                "checks": [{"ok": ok, "check": m} for ok, m in bench.checks],
                "error": failed,
            }, f, indent=2)
            f.write("\n")

    if temp and not args.keep:
        shutil.rmtree(temp, ignore_errors=True)
    elif temp:
        print(f"kept {temp}")
    return 1 if (bad or failed) else 0


if __name__ == "__main__":
    sys.exit(main())
