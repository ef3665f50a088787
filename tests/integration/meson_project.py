#!/usr/bin/env python3
"""A Meson project built by composer and by ninja, through Meson's own commands.

Writes a small Meson project into a temporary directory: a static library,
an executable that links it and includes a header made by a `custom_target`
(a Python generator), and a `test()`. It is set up twice, both build trees
from the same sources: once with composer as Meson's ninja (a directory
holding a symlink `ninja` -> composer first on PATH, and NINJA pointing at
that symlink, which Meson honours), once with Debian's ninja. Then, in both
trees at once:

  1. `meson setup` (Meson checks the ninja version) and `meson compile`
     build; composer's tree holds a .composer_db (composer ran), the same
     commands ran in both (compared as sets of status lines), and a second
     `meson compile` prints `ninja: no work to do.`;
  2. `meson test` passes;
  3. a second executable added to meson.build: the next `meson compile`
     regenerates build.ninja through Meson's generator edge, reloads it and
     builds the new program;
  4. the custom_target's input edited: the generator reruns, the program is
     rebuilt and prints the new value;
  5. `meson install --destdir` installs the same files;

and after every step both trees hold the same set of files (composer's own
state files aside), byte-identical generated headers and libraries, and the
same compile_commands.json (Meson writes it with `ninja -t compdb`).

Usage: meson_project.py --composer PATH [--ninja PATH] [--keep]
Exits 77 (skipped) when meson is missing.
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
STATUS = re.compile(r"^\[\d+/\d+\] (.*)$", re.M)
NO_WORK = "ninja: no work to do."
# Files only one of the two programs writes.
OWN_FILES = {".composer_db", ".composer_graph", ".ninja_log", ".ninja_deps"}

MESON_BUILD = """\
project('demo', 'c', default_options: ['buildtype=release'])
python = find_program('python3')
values_h = custom_target('values-header',
  input: 'values.txt', output: 'values.h',
  command: [python, files('gen_header.py'), '@INPUT@', '@OUTPUT@'])
util = static_library('util', 'util.c', install: true)
demo = executable('demo', 'main.c', values_h, link_with: util, install: true)
test('demo', demo, args: ['42'])
"""
SECOND_EXECUTABLE = """\
extra = executable('extra', 'extra.c', link_with: util, install: true)
test('extra', extra)
"""
FILES = {
    "gen_header.py": """\
import sys
with open(sys.argv[1]) as f:
    name, value = f.read().split()
with open(sys.argv[2], "w") as f:
    f.write(f"#define {name} {value}\\n")
""",
    "values.txt": "ANSWER 42\n",
    "util.h": "int twice(int x);\n",
    "util.c": '#include "util.h"\nint twice(int x) { return 2 * x; }\n',
    "main.c": """\
#include <stdio.h>
#include <stdlib.h>
#include "util.h"
#include "values.h"
int main(int argc, char **argv) {
  printf("answer %d\\n", ANSWER);
  /* As a test: the answer must be the one given on the command line. */
  return argc > 1 && atoi(argv[1]) != ANSWER ? 1 : twice(ANSWER) != 2 * ANSWER;
}
""",
    "extra.c": '#include "util.h"\nint main(void) { return twice(3) != 6; }\n',
}


def steps(output: str) -> set[str]:
    """The descriptions of the commands a build ran."""
    found = STATUS.findall(output)
    if len(found) != len(set(found)):
        raise Failure("a command ran twice:\n" + output)
    return set(found)


def show(s) -> str:
    return "".join(f"    {x}\n" for x in sorted(s)) or "    (nothing)\n"


def tree(root: Path) -> set[str]:
    """Every file and directory under root, relative, without the state
    files only one of the programs writes."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.name not in OWN_FILES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--composer", required=True)
    parser.add_argument("--ninja", default="/usr/bin/ninja",
                        help="the reference ninja (default: Debian's, /usr/bin/ninja)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    meson = shutil.which("meson")
    if not meson:
        print("skipped: needs meson (misc/setup.sh installs it)")
        return SKIP
    composer = os.path.abspath(args.composer)
    ninja = os.path.abspath(args.ninja)
    for program in (composer, ninja):
        if not os.access(program, os.X_OK):
            sys.exit(f"meson_project.py: {program} is not an executable")

    scratch = Scratch("integration-meson-", args.keep)
    top = scratch.path
    bin_dir = top / "bin"
    bin_dir.mkdir()
    link = bin_dir / "ninja"
    link.symlink_to(composer)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("COMPOSER_", "NINJA", "MESON")) and
            k not in ("MAKEFLAGS", "MFLAGS", "CLICOLOR_FORCE")}
    base["LC_ALL"] = "C"
    # Composer's tree: the symlink first on PATH and in NINJA. Ninja's tree:
    # Debian's ninja, and a PATH on which `ninja` is not composer.
    cenv = dict(base, PATH=f"{bin_dir}{os.pathsep}{base.get('PATH', '')}", NINJA=str(link))
    nenv = dict(base, NINJA=ninja)
    source = top / "src"
    ctree, ntree = top / "build-composer", top / "build-ninja"

    def both(argv_of, check: bool = True) -> tuple:
        """Runs argv_of(tree) in both trees at once (they are independent;
        this halves the test's time on two cores)."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            a = pool.submit(run, argv_of(ctree), top, cenv, check)
            b = pool.submit(run, argv_of(ntree), top, nenv, check)
            return a.result(), b.result()

    def compile_both(what: str) -> tuple[set, set]:
        c, n = both(lambda t: [meson, "compile", "-C", t])
        ran, expected = steps(c.stdout), steps(n.stdout)
        if ran != expected:
            raise Failure(f"{what}: composer ran other commands than ninja:\n"
                          f"  composer:\n{show(ran)}  ninja:\n{show(expected)}")
        compare_trees(what)
        return ran, c

    def compare_trees(what: str) -> None:
        a, b = tree(ctree), tree(ntree)
        if a != b:
            raise Failure(f"{what}: the build trees differ:\n"
                          f"  only in composer's:\n{show(a - b)}  only in ninja's:\n{show(b - a)}")
        for name in ("values.h", "libutil.a"):
            if (ctree / name).read_bytes() != (ntree / name).read_bytes():
                raise Failure(f"{what}: {name} differs between composer's and ninja's trees")
        # Meson writes it with `ninja -t compdb`.
        compdb = (ctree / "compile_commands.json").read_text().replace(ctree.name, ntree.name)
        if compdb != (ntree / "compile_commands.json").read_text():
            raise Failure(f"{what}: compile_commands.json differs (beyond the tree's name)")

    def no_work(what: str) -> None:
        again = run([meson, "compile", "-C", ctree], top, cenv)
        if NO_WORK not in again.stdout.splitlines():
            raise Failure(f"{what}: the next meson compile has work to do:\n{again.stdout}")

    start = time.monotonic()
    step = "setup"
    try:
        source.mkdir()
        (source / "meson.build").write_text(MESON_BUILD)
        for name, text in FILES.items():
            (source / name).write_text(text)

        step = "meson setup"
        c, _ = both(lambda t: [meson, "setup", t, source])
        if f"Found ninja-1.11.1 at {link}" not in c.stdout:
            raise Failure("meson setup did not pick composer as its ninja:\n" + c.stdout)

        step = "first meson compile"
        ran, c = compile_both(step)
        if not (ctree / ".composer_db").exists():
            raise Failure("no .composer_db in composer's tree: meson compile did not run "
                          "composer\n" + c.stdout)
        if not any(s.startswith("Generating values-header") for s in ran):
            raise Failure(f"{step}: the custom_target did not run:\n{show(ran)}")
        no_work(step)

        step = "meson test"
        c, n = both(lambda t: [meson, "test", "-C", t])
        if not re.search(r"^Ok:\s+1\s*$", c.stdout, re.M):
            raise Failure(f"{step}: expected one passing test:\n{c.stdout}")

        step = "second executable in meson.build"
        with (source / "meson.build").open("a") as f:
            f.write(SECOND_EXECUTABLE)
        ran, c = compile_both(step)
        if "Regenerating build files." not in ran:
            raise Failure(f"{step}: build.ninja was not regenerated:\n{show(ran)}")
        if not (ctree / "extra").exists():
            raise Failure(f"{step}: the new program was not built:\n{c.stdout}")
        no_work(step)
        c, _ = both(lambda t: [meson, "test", "-C", t])
        if not re.search(r"^Ok:\s+2\s*$", c.stdout, re.M):
            raise Failure(f"{step}: expected two passing tests:\n{c.stdout}")

        step = "custom_target input edited"
        (source / "values.txt").write_text("ANSWER 43\n")
        ran, _ = compile_both(step)
        if not any(s.startswith("Generating values-header") for s in ran) or \
                not any(s.startswith("Linking target demo") for s in ran):
            raise Failure(f"{step}: the generator and the link should rerun:\n{show(ran)}")
        out = run([ctree / "demo"], top, cenv).stdout
        if out != "answer 43\n":
            raise Failure(f"{step}: demo prints {out!r}, not the new value")
        no_work(step)

        step = "meson install --destdir"
        both(lambda t: [meson, "install", "-C", t, "--destdir", top / f"dest-{t.name}"])
        a, b = tree(top / "dest-build-composer"), tree(top / "dest-build-ninja")
        if a != b or not any(p.endswith("bin/demo") for p in a) or \
                not any(p.endswith("bin/extra") for p in a):
            raise Failure(f"{step}: installed\n  by composer:\n{show(a)}  by ninja:\n{show(b)}")
        no_work(step)
    except Failure as e:
        return scratch.failed(f"FAIL ({step}): {e}")
    finally:
        scratch.close()
    print(f"integration.meson: a Meson project built alike by composer and ninja "
          f"({time.monotonic() - start:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
