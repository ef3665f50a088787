#!/usr/bin/env python3
"""Times Composer's content cache against ninja + ccache on googletest.

    bench/cache_compare.py --composer build/rel/composer [--runs 2] [--keep]

Copies /usr/src/googletest to a work directory, configures it with CMake
(-G Ninja, Release, gmock on) three times -- plain ninja, ninja with
-DCMAKE_CXX_COMPILER_LAUNCHER=ccache (CCACHE_DIR in the work directory), and
composer as CMAKE_MAKE_PROGRAM -- and measures, run by run (the two cold
builds without a cache and composer's cold build with one rotate
their order each run, so drift hits them alike):

  ninja cold             `ninja -t clean`, build, no ccache          (baseline)
  composer cold off      `composer -t clean`, build, COMPOSER_CACHE=off
  composer cold          `composer -t clean`, COMPOSER_CACHE=all, empty local store
  ccache cold            ccache's directory emptied, `ninja -t clean`, build
  ccache warm            `ninja -t clean`, build with ccache warm
  composer warm local    `composer -t clean`, build from the local store the
                         cold build filled
  composer cold +remote  `composer -t clean`, empty local store, remote store
                         (nginx WebDAV, tests/support/nginx_dav.py) emptied,
                         COMPOSER_REMOTE_CACHE_MODE=readwrite: fills the remote
  composer remote only   `composer -t clean`, empty local store, the remote
                         read-only

--generated N also times, on bench/gen_manifests.py's project with N targets
(fake_tool commands, so no ccache), ninja cold, composer cold with the cache
off and on, and composer's warm rebuild from the local store.

Prints medians (min-max) and the ratios issue 6 names: warm composer / warm
ccache, warm composer / cold, remote-only / cold, cold with the cache / cold
without (against composer with COMPOSER_CACHE=off: the cache's own
cost; against ninja as well). Checks on the way: the warm and remote-only builds report all hits
and no misses (`composer: cache: ...` line). Without ccache on PATH its rows
are skipped with a message.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from compare import make_workdir, read, summarize  # noqa: E402

CACHE_LINE = re.compile(r"composer: cache: (\d+) hits \((\d+) local, (\d+) remote\), "
                        r"(\d+) misses")
GEN_ROWS = ["ninja cold", "composer cold off", "composer cold", "composer warm local"]
ROWS = ["ninja cold", "composer cold off", "composer cold", "ccache cold", "ccache warm",
        "composer warm local", "composer cold +remote", "composer remote only"]


class Failure(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--composer", default=shutil.which("composer") or "composer",
                   help="the composer binary (default: composer on PATH)")
    p.add_argument("--ninja", default=shutil.which("ninja") or "/usr/bin/ninja",
                   help="the ninja binary (default: ninja on PATH)")
    p.add_argument("--ccache", default=shutil.which("ccache"),
                   help="the ccache binary (default: ccache on PATH; its rows are "
                        "skipped without one)")
    p.add_argument("--source", default="/usr/src/googletest",
                   help="the CMake project to copy (default /usr/src/googletest)")
    p.add_argument("--runs", type=int, default=3, help="runs of each row (default 3)")
    p.add_argument("--jobs", "-j", type=int, default=2, help="-j for builds (default 2)")
    p.add_argument("--generated", type=int, default=0, metavar="N",
                   help="also the generated project with N targets (default: skip)")
    p.add_argument("--fake-tool", metavar="PATH",
                   help="gen_manifests.py --fake-tool (a built bench/fake_tool.c)")
    p.add_argument("--no-remote", action="store_true", help="skip the remote-store rows")
    p.add_argument("--workdir", help="where the copies go (default: a temporary "
                                     "directory, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return p.parse_args(argv)


def run(cmd, log_path, env):
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "".join(read(log_path).splitlines(True)[-20:])
        raise Failure(f"failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return elapsed


def empty_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.w = workdir
        self.samples = {row: [] for row in ROWS}
        self.gen_samples = {row: [] for row in GEN_ROWS}
        self.failures = []
        self.n = 0
        base = dict(os.environ)
        for k in list(base):
            if k.startswith(("COMPOSER_", "CCACHE_")) or k in ("MAKEFLAGS", "CLICOLOR_FORCE"):
                del base[k]
        self.base_env = base
        self.ccache = args.ccache
        self.server = None

    def log(self, msg):
        print(msg, flush=True)

    def path(self, *parts):
        return os.path.join(self.w, *parts)

    def configure(self, name, make_program, extra):
        build = self.path(name)
        os.makedirs(build, exist_ok=True)
        env = dict(self.base_env, CCACHE_DIR=self.path("ccache"))
        cmd = ["cmake", "-S", self.path("src"), "-B", build, "-G", "Ninja",
               "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_GMOCK=ON",
               f"-DCMAKE_MAKE_PROGRAM={make_program}"] + extra
        run(cmd, self.path(f"configure-{name}.log"), env)
        return build

    def setup(self):
        shutil.copytree(self.args.source, self.path("src"), symlinks=True)
        self.composer = os.path.abspath(self.args.composer)
        self.b_ninja = self.configure("b-ninja", self.args.ninja, [])
        self.b_composer = self.configure("b-composer", self.composer, [])
        if self.ccache:
            self.b_ccache = self.configure("b-ccache", self.args.ninja,
                                           [f"-DCMAKE_CXX_COMPILER_LAUNCHER={self.ccache}",
                                            f"-DCMAKE_C_COMPILER_LAUNCHER={self.ccache}"])
        else:
            self.log("ccache not found (apt-get install ccache, or --ccache PATH): "
                     "its rows are skipped")
        if self.args.generated:
            self.gen = self.path("gen")
            gen = [sys.executable, os.path.join(HERE, "gen_manifests.py"), self.gen,
                   "--targets", str(self.args.generated)]
            if self.args.fake_tool:
                gen += ["--fake-tool", os.path.abspath(self.args.fake_tool)]
            run(gen, self.path("gen_manifests.log"), self.base_env)
        if not self.args.no_remote:
            from nginx_dav import NginxDav
            self.server = NginxDav(self.path("remote")).start()
            self.log(f"remote store: {self.server.url}")
        # A first build of each tree outside the measurements: CMake's
        # re-run check settles and the page cache holds the sources.
        for b, prog in [(self.b_ninja, self.args.ninja), (self.b_composer, self.composer)]:
            self.build(prog, b, "warmup", self.composer_env(self.path("store-warmup"))
                       if prog == self.composer else self.base_env)

    def composer_env(self, store, remote_mode=None):
        env = dict(self.base_env, COMPOSER_CACHE="all", COMPOSER_CACHE_DIR=store)
        if remote_mode:
            env["COMPOSER_REMOTE_CACHE"] = self.server.url
            env["COMPOSER_REMOTE_CACHE_MODE"] = remote_mode
        return env

    def build(self, prog, build_dir, what, env, clean=True):
        self.n += 1
        log = self.path(f"{self.n:03d}-{what.replace(' ', '_')}.log")
        if clean:
            run([prog, "-C", build_dir, "-t", "clean"], log + ".clean", env)
        return run([prog, "-C", build_dir, f"-j{self.args.jobs}"], log, env), log

    def check_hits(self, log, row, want_remote):
        m = None
        for m in CACHE_LINE.finditer(read(log)):
            pass
        if not m:
            self.failures.append(f"{row}: no `composer: cache:` line in {log}")
            return
        hits, local, remote, misses = map(int, m.groups())
        if misses or hits == 0 or (want_remote and remote != hits):
            self.failures.append(f"{row}: {m.group(0)}")

    def record(self, row, seconds, samples=None):
        (self.samples if samples is None else samples)[row].append(
            {"seconds": seconds, "max_rss_kb": 0})
        self.log(f"  {row:<22} {seconds:7.2f} s")

    def one_run(self, i):
        ninja, composer = self.args.ninja, self.composer
        store = self.path("store")
        cold = [("ninja cold", lambda: self.build(ninja, self.b_ninja, "ninja cold",
                                                   self.base_env)[0]),
                ("composer cold", lambda: (empty_dir(store), self.build(
                    composer, self.b_composer, "composer cold", self.composer_env(store)))[1][0]),
                ("composer cold off", lambda: self.build(
                    composer, self.b_composer, "composer cold off",
                    dict(self.base_env, COMPOSER_CACHE="off"))[0])]
        cold = cold[i % 3:] + cold[:i % 3]
        for row, f in cold:
            self.record(row, f())
        if self.ccache:
            env = dict(self.base_env, CCACHE_DIR=self.path("ccache"))
            empty_dir(env["CCACHE_DIR"])
            self.record("ccache cold", self.build(ninja, self.b_ccache, "ccache cold", env)[0])
            self.record("ccache warm", self.build(ninja, self.b_ccache, "ccache warm", env)[0])
        secs, log = self.build(composer, self.b_composer, "composer warm local",
                               self.composer_env(store))
        self.check_hits(log, "composer warm local", False)
        self.record("composer warm local", secs)
        if self.server:
            empty_dir(os.path.join(self.server.root, "cache"))
            rstore = self.path("store-remote-writer")
            empty_dir(rstore)
            self.record("composer cold +remote", self.build(
                composer, self.b_composer, "composer cold remote",
                self.composer_env(rstore, "readwrite"))[0])
            rstore = self.path("store-remote-reader")
            empty_dir(rstore)
            secs, log = self.build(composer, self.b_composer, "composer remote only",
                                   self.composer_env(rstore, "read"))
            self.check_hits(log, "composer remote only", True)
            self.record("composer remote only", secs)

    def one_generated_run(self, i):
        ninja, composer, g = self.args.ninja, self.composer, self.gen
        store = self.path("store-gen")
        cold = [("ninja cold", lambda: self.build(ninja, g, "gen ninja cold",
                                                   self.base_env)[0]),
                ("composer cold", lambda: (empty_dir(store), self.build(
                    composer, g, "gen composer cold", self.composer_env(store)))[1][0]),
                ("composer cold off", lambda: self.build(
                    composer, g, "gen composer cold off",
                    dict(self.base_env, COMPOSER_CACHE="off"))[0])]
        cold = cold[i % 3:] + cold[:i % 3]
        for row, f in cold:
            self.record(row, f(), self.gen_samples)
        # The cold build ran last with some other tool; one with the cache
        # fills the store (unless it just did).
        if cold[-1][0] != "composer cold":
            empty_dir(store)
            self.build(composer, g, "gen composer fill", self.composer_env(store))
        secs, log = self.build(composer, g, "gen composer warm local", self.composer_env(store))
        self.check_hits(log, "generated: composer warm local", False)
        self.record("composer warm local", secs, self.gen_samples)

    def gen_table(self):
        s = {row: summarize(v) for row, v in self.gen_samples.items() if v}
        if not s:
            return ""
        base = s["ninja cold"]["median_s"]
        lines = [f"generated project, {self.args.generated} targets:",
                 f"{'':<24} {'wall s, median (min-max)':>28} {'/ ninja cold':>13}"]
        for row in GEN_ROWS:
            r = s[row]
            span = f"{r['median_s']:.2f} ({r['min_s']:.2f}-{r['max_s']:.2f})"
            lines.append(f"{row:<24} {span:>28} {r['median_s'] / base * 100:>12.1f}%")
        c, off = s["composer cold"]["median_s"], s["composer cold off"]["median_s"]
        w = s["composer warm local"]["median_s"]
        lines.append(f"{'warm local / composer cold':<46} {w / c:7.3f}  (target <= 0.03)")
        lines.append(f"{'composer cold (cache all) / cache off':<46} {c / off:7.3f}  "
                     f"(target <= 1.05)")
        return "\n".join(lines)

    def table(self):
        s = {row: summarize(v) for row, v in self.samples.items() if v}
        lines = [f"{'':<24} {'wall s, median (min-max)':>28} {'/ ninja cold':>13}"]
        base = s.get("ninja cold", {}).get("median_s")
        for row in ROWS:
            if row not in s:
                continue
            r = s[row]
            span = f"{r['median_s']:.2f} ({r['min_s']:.2f}-{r['max_s']:.2f})"
            rel = f"{r['median_s'] / base * 100:.1f}%" if base else ""
            lines.append(f"{row:<24} {span:>28} {rel:>13}")
        lines.append("")

        def ratio(label, a, b, target):
            if a in s and b in s:
                v = s[a]["median_s"] / s[b]["median_s"]
                lines.append(f"{label:<46} {v:7.3f}  {target}")
        ratio("warm local / ccache warm", "composer warm local", "ccache warm", "(target < 1)")
        ratio("warm local / composer cold", "composer warm local", "composer cold",
              "(target <= 0.03)")
        ratio("warm local / ninja cold", "composer warm local", "ninja cold", "")
        ratio("remote only / composer cold", "composer remote only", "composer cold",
              "(target <= 0.06)")
        ratio("remote only / ninja cold", "composer remote only", "ninja cold", "")
        ratio("composer cold (cache all) / cache off", "composer cold", "composer cold off",
              "(target <= 1.05)")
        ratio("composer cold (cache all) / ninja cold", "composer cold", "ninja cold", "")
        ratio("composer cold (cache off) / ninja cold", "composer cold off", "ninja cold", "")
        ratio("composer cold +remote rw / ninja cold", "composer cold +remote", "ninja cold",
              "")
        ratio("ccache cold / ninja cold", "ccache cold", "ninja cold", "")
        return "\n".join(lines)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    workdir, temp = make_workdir(args.workdir, "composer-cache-bench-")
    bench = Bench(args, workdir)
    load_before = os.getloadavg()
    failed = None
    try:
        bench.setup()
        for i in range(args.runs):
            bench.log(f"run {i + 1}/{args.runs}:")
            bench.one_run(i)
            if args.generated:
                bench.log(f"generated project, run {i + 1}/{args.runs}:")
                bench.one_generated_run(i)
    except Failure as e:
        failed = str(e)
    finally:
        if bench.server:
            bench.server.stop()
    load_after = os.getloadavg()
    print()
    print(f"project: {args.source} (CMake Release, gmock on), -j{args.jobs}, "
          f"{args.runs} run(s); load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after")
    print(bench.table())
    if args.generated:
        print()
        print(bench.gen_table())
    status = 0
    if failed:
        print(f"\nFAILED: {failed}")
        status = 1
    for f in bench.failures:
        print(f"CHECK FAILED: {f}")
        status = 1
    if temp and not args.keep:
        shutil.rmtree(temp, ignore_errors=True)
    elif temp or args.workdir:
        print(f"work directory: {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
