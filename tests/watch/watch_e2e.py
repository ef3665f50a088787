#!/usr/bin/env python3
"""The file watcher end to end, with the real binary (COMPOSER_WATCH=1).

    tests/watch/watch_e2e.py --composer build/composer [--keep]

- The first build starts a watcher and still returns at once: the watcher
  holds none of the build's descriptors (a caller reading the build's
  output through a pipe sees it end).
- The second build records its no-op; the third finds that record and
  loads no logs at all. After any change under a watched directory the
  next build goes the long way, where -d stats shows every stat answered
  by the watcher.
- Edits (a source, a header named in a depfile, an output removed, a
  directory replaced) are rebuilt exactly as without the watcher: each
  step's outputs are compared with a copy built with the watcher off.
- `-t watch status` and `-t watch stop` talk to it; a removed build
  directory makes it exit by itself.

The black-box and conformance suites also run whole with COMPOSER_WATCH=1
(ctest's blackbox.watch and conformance.watch).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Failure, Scratch, run  # noqa: E402

MANIFEST = """\
rule cc
  command = cat $in $$(sed -n 's/^#include //p' $in) > $out && \
printf '%s: %s %s\\n' $out $in "$$(sed -n 's/^#include //p' $in)" > $out.d
  depfile = $out.d
  deps = gcc
rule link
  command = cat $in > $out
build out/a.o: cc src/a.c
build out/b.o: cc src/b.c
build out/app: link out/a.o out/b.o
default out/app
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def make_tree(root: Path) -> None:
    write(root / "build.ninja", MANIFEST)
    write(root / "src/a.c", "#include inc/h.h\na\n")
    write(root / "src/b.c", "b\n")
    write(root / "inc/h.h", "h1\n")


def outputs(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text()
            for p in sorted((root / "out").rglob("*")) if p.is_file()}


class Test:
    def __init__(self, composer: str, root: Path):
        self.composer = composer
        self.watched = root / "watched"
        self.plain = root / "plain"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
        self.env_on = {**env, "COMPOSER_WATCH": "1", "COMPOSER_WATCH_IDLE_SECONDS": "120"}
        self.env_off = env

    def build(self, tree: Path, env: dict, *args: str) -> str:
        # A watcher holding the pipe would make this time out.
        proc = run([self.composer, "-C", tree, *args], env=env, timeout=60)
        return proc.stdout + proc.stderr

    def both(self, what: str) -> str:
        """Builds both trees; their outputs must agree. Returns the watched
        build's -d stats output."""
        out = self.build(self.watched, self.env_on, "-d", "stats")
        self.build(self.plain, self.env_off)
        if outputs(self.watched) != outputs(self.plain):
            raise Failure(f"{what}: outputs differ with the watcher:\n"
                          f"{outputs(self.watched)}\nvs\n{outputs(self.plain)}")
        return out

    def edit(self, rel: str, text: str | None) -> None:
        time.sleep(0.02)  # coarse clocks: let the mtime move
        for tree in (self.watched, self.plain):
            if text is None:
                (tree / rel).unlink()
            else:
                write(tree / rel, text)

    def status(self) -> str:
        return run([self.composer, "-C", self.watched, "-t", "watch", "status"],
                   env=self.env_on, check=False).stdout

    def run(self) -> None:
        for tree in (self.watched, self.plain):
            make_tree(tree)
        start = time.monotonic()
        self.both("first build")
        if time.monotonic() - start > 20:
            raise Failure("the first build waited for its watcher")
        for _ in range(50):
            if "directories watched" in self.status():
                break
            time.sleep(0.1)
        else:
            raise Failure("no watcher after the first build")
        # The second build learns the directories and, finding nothing to
        # do, leaves an up-to-date record: the third needs neither the logs
        # nor a single stat.
        self.both("second build")
        out = self.both("third build")
        if "no work to do" not in out or "no-op by up-to-date record" not in out:
            raise Failure(f"the third build did not take the up-to-date record:\n{out}")
        # Any change under a watched directory, even to a file no edge
        # uses, sends the next build the long way, where the watcher
        # answers for every stat; it finds no work and records it again.
        self.edit("src/notes.txt", "unrelated\n")
        out = self.both("unrelated file")
        answered = stat_count(out, "stat answered by watcher")
        despite = stat_count(out, "stat despite watcher")
        if ("no work to do" not in out or "no-op by up-to-date record" in out or
                answered < 5 or despite != 0):
            raise Failure(f"after a change under src/: answered {answered}, "
                          f"stat'ed {despite}:\n{out}")
        if "no-op by up-to-date record" not in self.both("after the unrelated file"):
            raise Failure("no record after the long way found nothing to do")

        self.edit("src/b.c", "b2\n")
        self.both("edited source")
        if "b2" not in outputs(self.watched)["out/app"]:
            raise Failure("the source edit was not rebuilt")
        self.edit("inc/h.h", "h2\n")  # reached only through the depfile
        self.both("edited header")
        if "h2" not in outputs(self.watched)["out/a.o"]:
            raise Failure("the header edit was not rebuilt")
        self.edit("out/app", None)
        self.both("removed output")
        for tree in (self.watched, self.plain):
            shutil.rmtree(tree / "inc")
        self.edit("inc/h.h", "h3\n")  # a new directory in the old one's place
        self.both("replaced directory")
        if "h3" not in outputs(self.watched)["out/a.o"]:
            raise Failure("the replaced directory's header was not rebuilt")
        out = self.both("final no-op")
        if "no work to do" not in out:
            raise Failure(f"not a no-op at the end:\n{out}")

        pid = int(re.search(r"pid (\d+)", self.status()).group(1))
        stopped = run([self.composer, "-C", self.watched, "-t", "watch", "stop"],
                      env=self.env_on).stdout
        if "watcher stopped" not in stopped or not gone(pid, 10):
            raise Failure(f"-t watch stop: {stopped!r}, pid {pid} still there")
        if "no watcher" not in self.status():
            raise Failure("status after stop still finds a watcher")

        # A build starts the next one; removing the directory ends it.
        self.build(self.watched, self.env_on)
        for _ in range(50):
            match = re.search(r"pid (\d+)", self.status())
            if match:
                break
            time.sleep(0.1)
        else:
            raise Failure("no watcher after a build following stop")
        shutil.rmtree(self.watched)
        if not gone(int(match.group(1)), 15):
            raise Failure("the watcher outlived its directory")


def stat_count(out: str, name: str) -> int:
    match = re.search(re.escape(name) + r"\s+(\d+)", out)
    return int(match.group(1)) if match else -1


def gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # Reaped by whoever adopted it, or a zombie until then.
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.1)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--composer", required=True)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Scratch("composer-watch-e2e-", args.keep)
    try:
        Test(os.path.abspath(args.composer), scratch.path).run()
    except Failure as e:
        return scratch.failed(f"FAIL: {e}")
    finally:
        scratch.close()
    print("watch e2e: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
