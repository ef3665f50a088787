#!/usr/bin/env python3
"""ctest cache.local: the local content cache end to end, with the real binary.

A small C-like project in a git checkout (a stand-in compiler in sh that
logs every run, a depfile with deps = gcc, headers, a link step making an
executable), built with COMPOSER_CACHE_DIR pointing into the scratch dir:

  * cold build: every cacheable edge misses and is stored;
  * -t clean, rebuild: every edge a local hit, no command ran, outputs
    byte-identical (modes kept), the command's output replayed; the next
    build is a no-op for composer and for ninja 1.11.1 reading the same logs;
  * a header edit: only its dependents miss;
  * a second checkout in another directory sharing the store: all hits;
  * corrupted and truncated blobs and entries: detected, rebuilt correctly;
  * two composer processes building on one empty store at once: no damage;
  * a command that edits its own input: its result is not stored;
  * a failed run, then a restore: the next build has nothing to do;
  * COMPOSER_CACHE=off and the ninja personality; -t cache stats|verify|gc|clear;
  * --summary FILE: per-edge status (built, cached-local, up-to-date) and keys;
  * the background garbage collection after a build (COMPOSER_CACHE_TTL_DAYS).

    python3 tests/cache/local_cache_test.py --composer build/dev/composer [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Failure, Scratch, run  # noqa: E402

CC = r"""#!/bin/sh
# cc.sh IN OUT DEPFILE: "compiles" IN with the headers it includes.
echo "$2" >> "$CC_LOG"
if grep -q FAIL "$1"; then echo "error: $1 says FAIL" >&2; exit 1; fi
src=$(dirname "$1")
{
  echo "object of $(basename "$1")"
  cat "$1"
  for h in $(sed -n 's/^#include //p' "$1"); do cat "$src/$h"; done
  printf '%5000s\n' ''  # past 4 KiB: stored as a blob, not inside the entry
} > "$2"
printf '%s: %s' "$2" "$1" > "$3"
for h in $(sed -n 's/^#include //p' "$1"); do printf ' %s/%s' "$src" "$h" >> "$3"; done
echo >> "$3"
echo "note: compiled $1"
"""

LINK = r"""#!/bin/sh
# link.sh OUT IN...
out=$1; shift
echo "$out" >> "$CC_LOG"
cat "$@" > "$out"
chmod 755 "$out"
"""

MANIFEST = """\
rule cc
  command = sh ../tools/cc.sh $in $out $out.d
  depfile = $out.d
  deps = gcc
  description = CC $out
rule link
  command = sh ../tools/link.sh $out $in
  description = LINK $out
rule ccd
  command = sh ../tools/cc.sh $in $out $out.d
  depfile = $out.d
  description = CCD $out
rule stamp
  command = echo stamp >> $out
"""

SOURCES = {
    "a.c": "#include a.h\nint a;\n",
    "b.c": "#include a.h\n#include b.h\nint b;\n",
    "c.c": "#include c.h\nint c;\n",
    "d.c": "int d;\n",
    "e.c": "#include b.h\nint e;\n",
}
HEADERS = {"a.h": "#define A 1\n", "b.h": "#define B 2\n", "c.h": "#define C 3\n"}
# obj/f.o: a depfile without deps, kept beside the output for the next scan
# (stored and restored with it), naming the checkout by absolute paths.
OUTPUTS = ["obj/a.o", "obj/b.o", "obj/c.o", "obj/d.o", "obj/e.o", "bin/app", "obj/f.o"]
CACHEABLE = len(OUTPUTS)


def make_checkout(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / "tools").mkdir()
    (root / "tools" / "cc.sh").write_text(CC)
    (root / "tools" / "link.sh").write_text(LINK)
    (root / "src").mkdir()
    for name, text in {**SOURCES, **HEADERS}.items():
        (root / "src" / name).write_text(text)
    build = root / "build"
    build.mkdir()
    lines = [MANIFEST]
    objs = []
    for name in SOURCES:
        obj = f"obj/{name[:-2]}.o"
        objs.append(obj)
        lines.append(f"build {obj}: cc ../src/{name}\n  cache = 1\n")
    # Edge-level `cache = 1`, so that ninja reads the manifest too.
    lines.append(f"build bin/app: link {' '.join(objs)}\n  cache = 1\n")
    (root / "src" / "f.c").write_text("#include c.h\nint f;\n")
    # By its absolute path: the key and the kept depfile name the checkout.
    lines.append(f"build obj/f.o: ccd {root.resolve()}/src/f.c\n  cache = 1\n")
    lines.append("build stamp.txt: stamp\n")
    lines.append("default bin/app obj/f.o stamp.txt\n")
    (build / "build.ninja").write_text("".join(lines))
    return build


class Project:
    def __init__(self, composer: Path, build: Path, store: Path):
        self.composer = composer
        self.build = build
        self.log = build / "commands.log"
        self.env = dict(os.environ, COMPOSER_CACHE_DIR=str(store), CC_LOG=str(self.log))
        for name in ("COMPOSER_CACHE", "COMPOSER_CACHE_BASEDIR", "COMPOSER_CACHE_SALT"):
            self.env.pop(name, None)

    def composer_run(self, *args, env: dict | None = None, check=True):
        return run([self.composer, *args], cwd=self.build, env=env or self.env, check=check,
                   timeout=60)

    def ran(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def reset_log(self) -> None:
        self.log.unlink(missing_ok=True)

    def snapshot(self) -> dict[str, tuple[bytes, int]]:
        return {o: ((self.build / o).read_bytes(), (self.build / o).stat().st_mode & 0o777)
                for o in OUTPUTS}


def cache_line(stdout: str) -> tuple[int, int, int, int]:
    """(hits, local hits, misses, stored) from the cache's report line."""
    m = re.search(r"cache: (\d+) hits? \((\d+) local, \d+ remote\), (\d+) miss(?:es)?, "
                  r"(\d+) stored", stdout)
    if not m:
        raise Failure(f"no cache report line in:\n{stdout}")
    return tuple(int(g) for g in m.groups())  # type: ignore[return-value]


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def read_summary(p: Project) -> dict:
    summary = json.loads((p.build / "summary.json").read_text())
    return summary


def statuses(summary: dict) -> dict[str, str]:
    return {e["outputs"][0]: e["status"] for e in summary["edges"]}


def check_kept_depfile(p: Project) -> None:
    """obj/f.o's depfile came back with its output, naming this checkout."""
    src = p.build.parent.resolve() / "src"
    words = (p.build / "obj/f.o.d").read_text().split()
    expect(words == ["obj/f.o:", f"{src}/f.c", f"{src}/c.h"],
           f"obj/f.o's restored depfile: {words}")


def test_cold_then_hits(p: Project) -> dict:
    out = p.composer_run("--summary", "summary.json").stdout
    expect(cache_line(out) == (0, 0, CACHEABLE, CACHEABLE), f"cold build:\n{out}")
    summary = read_summary(p)
    expect(summary["cache"] == {"enabled": True, "hits_local": 0, "hits_remote": 0,
                                "misses": CACHEABLE, "stores": CACHEABLE, "uploads": 0,
                                "upload_errors": 0, "errors": 0,
                                "saved_ms": 0}, f"summary of the cold build: {summary}")
    expect(statuses(summary) == {**{o: "built" for o in OUTPUTS}, "stamp.txt": "built"},
           f"summary of the cold build: {summary}")
    keys = {e["outputs"][0]: e.get("cache_key") for e in summary["edges"]}
    expect(all(len(keys[o] or "") == 64 for o in OUTPUTS) and keys["stamp.txt"] is None,
           f"cache keys in the summary: {keys}")
    expect(sorted(p.ran()) == sorted(OUTPUTS), f"cold build ran {p.ran()}")
    cold = p.snapshot()

    p.composer_run("-t", "clean")
    p.reset_log()
    out = p.composer_run("--summary", "summary.json").stdout
    expect(cache_line(out) == (CACHEABLE, CACHEABLE, 0, 0), f"rebuild after clean:\n{out}")
    summary = read_summary(p)
    expect(statuses(summary) == {**{o: "cached-local" for o in OUTPUTS}, "stamp.txt": "built"},
           f"summary of the rebuild: {summary}")
    expect({e["outputs"][0]: e.get("cache_key") for e in summary["edges"]} == keys,
           "keys differ between the cold build and the rebuild")
    expect(summary["totals"]["cached_local"] == CACHEABLE, f"totals: {summary['totals']}")
    expect(p.ran() == [], f"commands ran on a full hit: {p.ran()}")
    expect(p.snapshot() == cold, "restored outputs differ from the cold build's")
    expect("note: compiled ../src/a.c" in out, f"command output not replayed:\n{out}")
    expect("CC obj/a.o" in out, f"a cached edge's description is missing:\n{out}")
    expect(f"restored {CACHEABLE} from the cache" in out, out)

    # The restored state is up to date for composer and for ninja.
    out = p.composer_run("--summary", "summary.json").stdout
    expect("no work to do" in out, f"build after a full hit was not a no-op:\n{out}")
    summary = read_summary(p)
    expect(set(statuses(summary).values()) == {"up-to-date"}, f"no-op summary: {summary}")
    ninja = shutil.which("ninja", path="/usr/bin")
    if ninja:
        out = run([ninja, "-n"], cwd=p.build, env=p.env, timeout=60).stdout
        expect("no work to do" in out, f"ninja disagrees after a cached build:\n{out}")
    check_kept_depfile(p)
    # The deps log was filled from the stored dependencies.
    deps = p.composer_run("-t", "deps", "obj/b.o").stdout
    expect("../src/b.h" in deps and "../src/a.h" in deps, f"deps log after a hit:\n{deps}")
    return cold


def test_header_edit(p: Project) -> None:
    (p.build.parent / "src" / "c.h").write_text("#define C 4\n")
    p.reset_log()
    out = p.composer_run().stdout
    expect(sorted(p.ran()) == ["bin/app", "obj/c.o", "obj/f.o"],
           f"after editing c.h ran {p.ran()}")
    hits, _, misses, stored = cache_line(out)
    expect((hits, misses, stored) == (0, 3, 3), f"after editing c.h:\n{out}")
    # Back to the old content: served from the cache again.
    (p.build.parent / "src" / "c.h").write_text(HEADERS["c.h"])
    p.reset_log()
    out = p.composer_run().stdout
    expect(p.ran() == [], f"reverting c.h ran {p.ran()}")
    expect(cache_line(out)[0] == 3, f"after reverting c.h:\n{out}")


def test_second_checkout(p: Project, scratch: Path, store: Path, cold: dict) -> None:
    build = make_checkout(scratch / "elsewhere" / "checkout")
    q = Project(p.composer, build, store)
    out = q.composer_run().stdout
    expect(cache_line(out) == (CACHEABLE, CACHEABLE, 0, 0), f"second checkout:\n{out}")
    expect(q.ran() == [], f"second checkout ran {q.ran()}")
    expect(q.snapshot() == cold, "second checkout's outputs differ")
    check_kept_depfile(q)
    # The restored depfile points at this checkout's header: editing it here
    # rebuilds obj/f.o.
    (build.parent / "src" / "c.h").write_text("#define C 5\n")
    q.reset_log()
    q.composer_run()
    expect("obj/f.o" in q.ran(), f"editing c.h in the second checkout ran {q.ran()}")


def damage_store(store: Path) -> int:
    damaged = 0
    for i, path in enumerate(sorted((store / "cas").rglob("*"))):
        if not path.is_file():
            continue
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i % 2 else data[:-3] + b"xyz")
        damaged += 1
    entries = [x for x in sorted((store / "ac").rglob("*")) if x.is_file()]
    for path in entries[::2]:
        data = path.read_bytes()
        path.write_bytes(data[:-1])
        damaged += 1
    return damaged


def test_damage(p: Project, store: Path, cold: dict) -> None:
    damage_store(store)
    p.composer_run("-t", "clean")
    p.reset_log()
    proc = p.composer_run()
    expect(sorted(p.ran()) == sorted(OUTPUTS), f"with a damaged store ran {p.ran()}")
    expect(p.snapshot() == cold, "outputs built with a damaged store differ")
    warnings = proc.stderr.count("cache: damaged")
    expect(warnings == 1, f"expected one warning about damage, got:\n{proc.stderr}")
    expect(", damaged" not in proc.stdout and "damaged" in proc.stdout,
           f"damage not counted in the report:\n{proc.stdout}")
    # The rebuild stored good copies again (verify removes the damaged
    # entries of earlier builds that this one did not look at).
    p.composer_run("-t", "cache", "verify", check=False)
    verify = p.composer_run("-t", "cache", "verify").stdout
    expect(" 0 damaged" in verify, verify)
    p.composer_run("-t", "clean")
    p.reset_log()
    out = p.composer_run().stdout
    expect(p.ran() == [] and cache_line(out)[0] == CACHEABLE, f"after repair:\n{out}")
    # verify itself finds damage (exit status 1).
    damage_store(store)
    proc = p.composer_run("-t", "cache", "verify", check=False)
    expect(proc.returncode == 1 and " 0 damaged" not in proc.stdout, proc.stdout)


def test_concurrent(composer: Path, scratch: Path) -> None:
    store = scratch / "shared-store"
    projects = [Project(composer, make_checkout(scratch / f"par{i}" / "repo"), store)
                for i in range(2)]
    procs = [subprocess.Popen([str(composer), "-j4"], cwd=q.build, env=q.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for q in projects]
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        expect(proc.returncode == 0, f"concurrent build failed:\n{out}")
    verify = projects[0].composer_run("-t", "cache", "verify").stdout
    expect(" 0 damaged" in verify, f"store damaged by concurrent writers: {verify}")
    first = projects[0].snapshot()
    for q in projects:
        q.composer_run("-t", "clean")
        q.reset_log()
        out = q.composer_run().stdout
        expect(q.ran() == [] and cache_line(out)[0] == CACHEABLE,
               f"after concurrent cold builds:\n{out}")
        expect(q.snapshot() == first, "outputs differ after concurrent builds")


def test_input_edited_while_running(composer: Path, scratch: Path, store: Path) -> None:
    """A command that edits its own input: its outputs come from content the
    lookup's key was not made from, so nothing is stored; the next build
    runs it again rather than restoring them."""
    build = scratch / "self-edit"
    build.mkdir()
    (build / "in.txt").write_text("one\n")
    (build / "build.ninja").write_text(
        "rule grow\n  command = echo more >> $in && cat $in > $out\n  cache = 1\n"
        "build out.txt: grow in.txt\n")
    q = Project(composer, build, store)
    out = q.composer_run().stdout
    expect(cache_line(out) == (0, 0, 1, 0), f"stored although its input changed:\n{out}")
    expect((build / "out.txt").read_text() == "one\nmore\n", "out.txt")
    (build / "in.txt").write_text("one\n")
    q.composer_run("-t", "clean")
    out = q.composer_run().stdout
    expect(cache_line(out)[0] == 0, f"restored a result of other content:\n{out}")


def test_restore_after_failure(p: Project) -> None:
    """A failed run leaves its edge to rerun until a run succeeds; a restore
    from the cache counts as one, and the next build has nothing to do."""
    source = p.build.parent / "src" / "d.c"
    source.write_text("int d_before_failing;\n")
    p.composer_run()  # stores d.o for this content
    source.write_text("int d_before_failing;\nFAIL\n")
    failed = p.composer_run(check=False)
    expect(failed.returncode != 0, f"the FAIL source built:\n{failed.stdout}")
    source.write_text("int d_before_failing;\n")
    p.reset_log()
    out = p.composer_run().stdout
    expect(p.ran() == [] and cache_line(out)[0] == 1, f"restoring d.o:\n{out}")
    out = p.composer_run().stdout
    expect("no work to do" in out, f"after the restore:\n{out}")
    source.write_text(SOURCES["d.c"])
    p.composer_run()


def test_off_and_personality(p: Project) -> None:
    p.composer_run("-t", "clean")
    p.reset_log()
    out = p.composer_run(env=dict(p.env, COMPOSER_CACHE="off")).stdout
    expect("cache:" not in out and len(p.ran()) == CACHEABLE, f"COMPOSER_CACHE=off:\n{out}")
    p.composer_run("-t", "clean")
    out = p.composer_run("--ninja-compat").stdout
    expect("cache:" not in out, f"ninja personality reported the cache unasked:\n{out}")
    p.composer_run("-t", "clean")
    out = p.composer_run("--ninja-compat", env=dict(p.env, COMPOSER_CACHE="1")).stdout
    expect(cache_line(out)[0] == CACHEABLE, f"ninja personality, cache asked for:\n{out}")
    # COMPOSER_CACHE=all takes the unmarked stamp edge in too.
    p.composer_run("-t", "clean")
    out = p.composer_run(env=dict(p.env, COMPOSER_CACHE="all")).stdout
    expect(cache_line(out)[:3] == (CACHEABLE, CACHEABLE, 1), f"COMPOSER_CACHE=all:\n{out}")


def test_background_gc(p: Project, store: Path) -> None:
    """After a build that stored something, files unused for longer than
    COMPOSER_CACHE_TTL_DAYS go, in a detached process."""
    old = time.time() - 10 * 86400
    files = [x for x in store.rglob("*") if x.is_file() and x.name != "gc.stamp"]
    for path in files:
        os.utime(path, (old, old))
    (store / "gc.stamp").unlink(missing_ok=True)
    (p.build.parent / "src" / "d.c").write_text("int d = 4;\n")
    p.composer_run(env=dict(p.env, COMPOSER_CACHE_TTL_DAYS="1"))
    deadline = time.time() + 10
    while time.time() < deadline and any(x.exists() for x in files):
        time.sleep(0.05)
    left = [str(x) for x in files if x.exists()]
    expect(not left, f"expired files left after the background gc: {left}")
    # What this build stored is recent, and stays.
    p.composer_run("-t", "clean")
    p.reset_log()
    out = p.composer_run().stdout
    expect(sorted(p.ran()) == sorted(set(OUTPUTS) - {"obj/d.o", "bin/app"}),
           f"after gc ran {p.ran()}:\n{out}")


def test_tools(p: Project, store: Path) -> None:
    stats = p.composer_run("-t", "cache", "stats").stdout
    expect(str(store) in stats and re.search(r"entries:\s+[1-9]", stats), stats)
    gc = p.composer_run("-t", "cache", "gc", env=dict(p.env, COMPOSER_CACHE_MAX_SIZE_MB="0",
                                                      COMPOSER_CACHE_TTL_DAYS="0")).stdout
    expect("removed 0 files" in gc, gc)
    p.composer_run("-t", "cache", "clear")
    stats = p.composer_run("-t", "cache", "stats").stdout
    expect(re.search(r"entries:\s+0 ", stats) and re.search(r"blobs:\s+0 ", stats), stats)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--composer", required=True, type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    composer = args.composer.resolve()
    scratch = Scratch("cache-local-", args.keep)
    try:
        store = scratch.path / "store"
        p = Project(composer, make_checkout(scratch.path / "main" / "repo"), store)
        cold = test_cold_then_hits(p)
        test_header_edit(p)
        test_second_checkout(p, scratch.path, store, cold)
        test_damage(p, store, cold)
        test_concurrent(composer, scratch.path)
        test_input_edited_while_running(composer, scratch.path, store)
        test_restore_after_failure(p)
        test_off_and_personality(p)
        test_background_gc(p, store)
        test_tools(p, store)
    except Failure as e:
        return scratch.failed(f"FAIL: {e}")
    finally:
        scratch.close()
    print("cache.local: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
