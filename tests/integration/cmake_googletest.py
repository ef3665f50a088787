#!/usr/bin/env python3
"""A real CMake project built by composer and by ninja: googletest.

Copies /usr/src/googletest (Debian's googletest package) into a temporary
directory and configures it twice with `cmake -G Ninja`: once with
CMAKE_MAKE_PROGRAM pointing at a symlink named `ninja` to composer (so CMake's
own try-compiles and `cmake --build` run composer), once with Debian's ninja.
Both build trees are built from the same source copy, so the objects embed
the same paths. Then:

  1. both builds succeed, composer's tree holds a .composer_db (composer ran),
     and a second `cmake --build` in it prints `ninja: no work to do.`;
  2. a code change in a source file: composer runs exactly the commands
     `ninja -n` lists in ninja's tree (compared as sets of status lines);
  3. a comment appended to gtest.h: ninja -n lists the compiles and the
     archives; composer runs the compiles, whose objects come out
     byte-identical, so its content checks skip the archives;
  4. another comment in gtest.h, composer in Ninja-exact mode
     (COMPOSER_CONTENT_CHECK=off): the same commands as `ninja -n`, and
     `ninja -n` in composer's tree then finds no work;

and after every step the lib*.a files of the two trees are byte-identical.

Usage: cmake_googletest.py --composer PATH [--ninja PATH] [--keep]
Exits 77 (skipped) when cmake or /usr/src/googletest is missing.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Failure, Scratch, run  # noqa: E402

SKIP = 77
GOOGLETEST = Path("/usr/src/googletest")
STATUS = re.compile(r"^\[\d+/\d+\] (.*)$", re.M)
LIBS = ("lib/libgtest.a", "lib/libgtest_main.a")


def run_both(first: tuple, second: tuple) -> tuple:
    """Runs two (argv, cwd, env) at once (the two build trees are
    independent; this halves the test's time on two cores)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        a = pool.submit(run, *first)
        b = pool.submit(run, *second)
        return a.result(), b.result()


def steps(output: str) -> set[str]:
    """The descriptions of the commands a build ran (or -n would run)."""
    found = STATUS.findall(output)
    if len(found) != len(set(found)):
        raise Failure("a command ran twice:\n" + output)
    return set(found)


def show(s: set[str]) -> str:
    return "".join(f"    {x}\n" for x in sorted(s)) or "    (nothing)\n"


def compare_libs(composer_tree: Path, ninja_tree: Path, when: str) -> None:
    for lib in LIBS:
        a, b = composer_tree / lib, ninja_tree / lib
        if not a.exists() or not b.exists():
            raise Failure(f"{when}: {lib} missing (composer: {a.exists()}, ninja: {b.exists()})")
        if a.read_bytes() != b.read_bytes():
            raise Failure(f"{when}: {lib} differs between composer's and ninja's trees")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--composer", required=True)
    parser.add_argument("--ninja", default="/usr/bin/ninja",
                        help="the reference ninja (default: Debian's, /usr/bin/ninja)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    cmake = shutil.which("cmake")
    if not cmake or not (GOOGLETEST / "CMakeLists.txt").exists():
        print(f"skipped: needs cmake and {GOOGLETEST} (misc/setup.sh installs both)")
        return SKIP
    composer = os.path.abspath(args.composer)
    ninja = os.path.abspath(args.ninja)
    for program in (composer, ninja):
        if not os.access(program, os.X_OK):
            sys.exit(f"cmake_googletest.py: {program} is not an executable")

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COMPOSER_", "NINJA_", "CMAKE_")) and
           k not in ("MAKEFLAGS", "MFLAGS", "CLICOLOR_FORCE")}
    env["LC_ALL"] = "C"
    exact_env = dict(env, COMPOSER_CONTENT_CHECK="off")

    scratch = Scratch("integration-cmake-", args.keep)
    top = scratch.path
    start = time.monotonic()
    step = "setup"
    try:
        source = top / "googletest"
        shutil.copytree(GOOGLETEST, source, symlinks=True)
        header = source / "googletest" / "include" / "gtest" / "gtest.h"
        gtest_cc = source / "googletest" / "src" / "gtest.cc"
        bin_dir = top / "bin"
        bin_dir.mkdir()
        (bin_dir / "ninja").symlink_to(composer)
        ctree, ntree = top / "build-composer", top / "build-ninja"
        common = ["-G", "Ninja", "-S", source, "-DBUILD_GMOCK=OFF", "-DCMAKE_BUILD_TYPE="]

        step = "configure"
        run_both(([cmake, *common, "-B", ctree, f"-DCMAKE_MAKE_PROGRAM={bin_dir / 'ninja'}"],
                  top, env),
                 ([cmake, *common, "-B", ntree, f"-DCMAKE_MAKE_PROGRAM={ninja}"], top, env))
        cached = (ctree / "CMakeCache.txt").read_text()
        if not re.search(rf"^CMAKE_MAKE_PROGRAM:\w+={re.escape(str(bin_dir / 'ninja'))}$",
                         cached, re.M):
            raise Failure("CMake did not keep composer as its make program")

        step = "first build"
        first, nfirst = run_both(([cmake, "--build", ctree], top, env),
                                 ([ninja, "-C", ntree], top, env))
        if not (ctree / ".composer_db").exists():
            raise Failure("no .composer_db in composer's tree: cmake --build did not run "
                          "composer\n" + first.stdout)
        if steps(first.stdout) != steps(nfirst.stdout):
            raise Failure(f"first builds differ:\n  composer:\n{show(steps(first.stdout))}"
                          f"  ninja:\n{show(steps(nfirst.stdout))}")
        compare_libs(ctree, ntree, step)
        again = run([cmake, "--build", ctree], top, env)
        if "ninja: no work to do." not in again.stdout.splitlines():
            raise Failure("the second build in composer's tree has work to do:\n" + again.stdout)

        def edited_build(what: str, composer_env: dict[str, str]) -> tuple[set, set]:
            listed = run([ninja, "-C", ntree, "-n"], top, env)
            expected = steps(listed.stdout)
            if not expected:
                raise Failure(f"{what}: ninja -n lists nothing\n{listed.stdout}")
            built, composer_built = run_both(([ninja, "-C", ntree], top, env),
                                             ([cmake, "--build", ctree], top, composer_env))
            if steps(built.stdout) != expected:
                raise Failure(f"{what}: ninja ran other commands than ninja -n listed")
            return expected, steps(composer_built.stdout)

        step = "source edit"
        with gtest_cc.open("a") as f:
            f.write("namespace testing { int composer_integration_edit = 1; }\n")
        expected, ran = edited_build(step, env)
        if ran != expected:
            raise Failure(f"composer ran other commands than ninja -n lists:\n"
                          f"  composer:\n{show(ran)}  ninja -n:\n{show(expected)}")
        compare_libs(ctree, ntree, step)

        step = "header comment"
        objects = sorted(ctree.rglob("*.o"))
        before = {o: o.read_bytes() for o in objects}
        with header.open("a") as f:
            f.write("// composer integration test: a comment\n")
        expected, ran = edited_build(step, env)
        compiles = {s for s in expected if s.startswith("Building ")}
        if not compiles or compiles == expected:
            raise Failure(f"{step}: ninja -n should list compiles and archives:\n{show(expected)}")
        if ran != compiles:
            raise Failure(f"{step}: composer should run the compiles only (their objects "
                          f"do not change):\n  composer:\n{show(ran)}  ninja -n:\n{show(expected)}")
        changed = [str(o.relative_to(ctree)) for o in objects if o.read_bytes() != before[o]]
        if changed:
            raise Failure(f"{step}: a comment changed the objects {changed}; the test's "
                          "premise (composer may skip the archives) does not hold")
        compare_libs(ctree, ntree, step)

        step = "header comment, Ninja-exact mode"
        with header.open("a") as f:
            f.write("// composer integration test: another comment\n")
        expected, ran = edited_build(step, exact_env)
        if ran != expected:
            raise Failure(f"{step}: composer ran other commands than ninja -n lists:\n"
                          f"  composer:\n{show(ran)}  ninja -n:\n{show(expected)}")
        compare_libs(ctree, ntree, step)
        dry = run([ninja, "-C", ctree, "-n"], top, env)
        if "ninja: no work to do." not in dry.stdout.splitlines():
            explain = run([ninja, "-C", ctree, "-n", "-d", "explain"], top, env, check=False)
            raise Failure(f"{step}: ninja -n in composer's tree finds work:\n{dry.stdout}"
                          f"--- -d explain\n{explain.stderr[:4000]}")
        again = run([cmake, "--build", ctree], top, env)
        if "ninja: no work to do." not in again.stdout.splitlines():
            raise Failure(f"{step}: composer has work to do after it:\n{again.stdout}")
    except Failure as e:
        return scratch.failed(f"FAIL ({step}): {e}")
    finally:
        scratch.close()
    print(f"integration.cmake: googletest built alike by composer and ninja "
          f"({time.monotonic() - start:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
