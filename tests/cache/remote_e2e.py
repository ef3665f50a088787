#!/usr/bin/env python3
"""ctest cache.remote.e2e: composer builds sharing a real nginx remote cache.

1. A cold build of a small project (41 cacheable edges) in readwrite mode
   runs every command and uploads its results: half the objects small
   enough to travel inside their entries, the others (past 4 KiB) and the
   link's output as blobs.
2. A second checkout of the same sources in another directory, with an
   EMPTY local store and the remote in read mode: at least 95% of the
   cacheable edges are remote hits (their commands do not run), and every
   output equals the first checkout's byte for byte. Two blobs damaged on
   the server (rewritten, truncated) are refused: exactly those two edges
   run again, with the right result.
3. A third checkout whose sources differ (so commands run, slowly) while
   the remote is killed in the middle of the build: the build succeeds, its
   outputs are right, and it says "remote cache" in exactly one warning.

The server requires a bearer token, given through
COMPOSER_REMOTE_CACHE_TOKEN_FILE; it must never appear in composer's output
(builds run with -v). Every command appends its output's name to $RUNLOG, so "ran" is counted
outside composer.

    python3 tests/cache/remote_e2e.py --composer build/dev/composer [--keep]
"""
from __future__ import annotations

import argparse
import secrets
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Failure, Scratch, run  # noqa: E402
from nginx_dav import NginxDav, NginxError  # noqa: E402

SOURCES = 40

TOOL = """#!/bin/sh
# tool.sh MODE IN... OUT: the project's only "compiler".
mode=$1; shift
for last; do :; done
echo "$last" >> "$RUNLOG"
[ -n "$TOOL_SLEEP" ] && sleep "$TOOL_SLEEP"
case $mode in
  # Even-numbered objects are padded past 4 KiB: they travel as blobs,
  # the odd ones inside their entries.
  compile) { echo "compiled from $1"; tr a-z A-Z < "$1"
             case $1 in *[02468].c) printf '%5000s\\n' '' ;; esac; } > "$last" ;;
  link) out=$last; : > "$out.tmp"
        while [ $# -gt 1 ]; do cat "$1" >> "$out.tmp"; shift; done
        mv "$out.tmp" "$out" ;;
esac
"""


def manifest() -> str:
    lines = [
        "rule compile",
        "  command = sh ./tool.sh compile $in $out",
        "  cache = 1",
        "rule link",
        "  command = sh ./tool.sh link $in $out",
        "  cache = 1",
    ]
    objs = []
    for i in range(SOURCES):
        lines.append(f"build out/f{i}.o: compile src/f{i}.c | tool.sh")
        objs.append(f"out/f{i}.o")
    lines.append(f"build out/all.txt: link {' '.join(objs)} | tool.sh")
    lines.append("default out/all.txt")
    return "\n".join(lines) + "\n"


def make_checkout(path: Path, variant: str = "") -> None:
    (path / "src").mkdir(parents=True)
    (path / "tool.sh").write_text(TOOL)
    (path / "build.ninja").write_text(manifest())
    for i in range(SOURCES):
        (path / "src" / f"f{i}.c").write_text(f"int f{i}() {{ return {i}; }} {variant}\n")


def ran(checkout: Path) -> list[str]:
    log = checkout / "run.log"
    return log.read_text().split() if log.exists() else []


# The bearer token the server requires (COMPOSER_REMOTE_CACHE_TOKEN_FILE).
TOKEN = "e2e-" + secrets.token_hex(16)


def no_token(text: str) -> str:
    if TOKEN in text:
        raise Failure(f"the token appears in composer's output:\n{text}")
    return text


def build(composer: str, checkout: Path, store: Path, url: str, mode: str,
          token_file: Path, extra_env: dict[str, str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("COMPOSER_"):
            del env[name]
    env.update({
        "RUNLOG": str(checkout / "run.log"),
        "COMPOSER_CACHE_DIR": str(store),
        "COMPOSER_REMOTE_CACHE": url,
        "COMPOSER_REMOTE_CACHE_MODE": mode,
        "COMPOSER_REMOTE_CACHE_TOKEN_FILE": str(token_file),
    })
    env.update(extra_env or {})
    proc = run([composer, "-j4", "-v"], cwd=checkout, env=env, timeout=timeout)
    no_token(proc.stdout + proc.stderr)
    return proc


def outputs(checkout: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((checkout / "out").iterdir())}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--composer", required=True)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    composer = os.path.abspath(args.composer)
    scratch = Scratch("composer-remote-e2e-", args.keep)
    edges = SOURCES + 1
    try:
        token_file = scratch.path / "token"
        token_file.write_text(TOKEN + "\n")
        with NginxDav(scratch.path / "server", token=TOKEN) as server:
            server_cache = server.root / "cache"

            # 1. Cold build, readwrite: everything runs and is uploaded.
            a = scratch.path / "a"
            make_checkout(a)
            proc = build(composer, a, scratch.path / "store-a", server.url, "readwrite",
                         token_file)
            if f"{edges} stored, {edges} uploaded, " not in proc.stdout:
                raise Failure(f"cold build's cache line does not count {edges} uploads:\n"
                              f"{proc.stdout}")
            if len(ran(a)) != edges:
                raise Failure(f"cold build ran {len(ran(a))} commands, expected {edges}")
            uploaded_ac = list((server_cache / "ac").iterdir()) if (server_cache / "ac").exists() else []
            uploaded_cas = list((server_cache / "cas").iterdir()) if (server_cache / "cas").exists() else []
            print(f"cold build: ran {len(ran(a))} commands, uploaded {len(uploaded_ac)} "
                  f"entries and {len(uploaded_cas)} blobs")
            # A blob for each padded object and the link's output; the small
            # objects are inside their entries.
            big = SOURCES // 2 + 1
            if len(uploaded_ac) < edges or len(uploaded_cas) != big:
                raise Failure(f"cold build uploaded {len(uploaded_ac)} entries and "
                              f"{len(uploaded_cas)} blobs, expected at least {edges} "
                              f"entries and {big} blobs")
            if any('"PUT' in line and " 20" not in line for line in server.access_log()):
                raise Failure("some uploads failed:\n" + "\n".join(server.access_log()))

            # 2. Another checkout, empty local store, read mode: remote hits,
            # except for two blobs damaged on the server (one rewritten, one
            # truncated): refused, so those two edges run again.
            damaged = ["f4.o", "f18.o"]
            for name, replace in zip(damaged, [b"poison\n", None]):
                data = (a / "out" / name).read_bytes()
                blob = server_cache / "cas" / hashlib.sha256(data).hexdigest()
                blob.write_bytes(replace if replace is not None else data[:len(data) // 2])
            b = scratch.path / "elsewhere" / "b"
            make_checkout(b)
            puts_before = sum('"PUT' in line for line in server.access_log())
            proc = build(composer, b, scratch.path / "store-b", server.url, "read", token_file)
            hits = edges - len(ran(b))
            if hits < 0.95 * edges:
                raise Failure(f"second checkout: {hits} of {edges} edges from the remote "
                              f"(ran {ran(b)})\n{proc.stdout}{proc.stderr}")
            print(f"second checkout, empty local store: {hits} of {edges} edges from the "
                  f"remote; {proc.stdout.strip().splitlines()[-1]}")
            if sorted(ran(b)) != sorted(f"out/{n}" for n in damaged):
                raise Failure(f"second checkout ran {ran(b)}, expected the damaged {damaged}")
            if outputs(b) != outputs(a):
                raise Failure("second checkout's outputs differ from the first's")
            if sum('"PUT' in line for line in server.access_log()) != puts_before:
                raise Failure("read mode uploaded something")
            if "remote cache" in proc.stderr + proc.stdout and "warning" in proc.stderr:
                raise Failure(f"unexpected warning:\n{proc.stderr}")
            # Remote hits were stored locally: a clean rebuild needs no remote.
            shutil.rmtree(b / "out")
            (b / "run.log").unlink(missing_ok=True)
            proc = build(composer, b, scratch.path / "store-b", "http://127.0.0.1:1/none", "read",
                         token_file)
            if ran(b):
                raise Failure(f"local store after remote hits: ran {ran(b)}")

            # 3. The remote dies mid-build: the build succeeds anyway.
            c = scratch.path / "c"
            make_checkout(c, variant="/* changed */")
            env = dict(os.environ)
            for name in list(env):
                if name.startswith("COMPOSER_"):
                    del env[name]
            env.update({"RUNLOG": str(c / "run.log"), "TOOL_SLEEP": "0.05",
                        "COMPOSER_CACHE_DIR": str(scratch.path / "store-c"),
                        "COMPOSER_REMOTE_CACHE": server.url,
                        "COMPOSER_REMOTE_CACHE_MODE": "readwrite",
                        "COMPOSER_REMOTE_CACHE_TOKEN_FILE": str(token_file)})
            start = time.monotonic()
            child = subprocess.Popen([composer, "-j2", "-v"], cwd=c, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while len(ran(c)) < 5 and child.poll() is None and time.monotonic() - start < 60:
                time.sleep(0.01)
            ran_before_kill = len(ran(c))
            server.stop()  # SIGTERM: nginx's fast shutdown, connections dropped
            try:
                out, err = child.communicate(timeout=120)
                no_token(out + err)
            except subprocess.TimeoutExpired:
                child.kill()
                raise Failure("build with the remote killed did not finish in 120 s") from None
            if child.returncode != 0:
                raise Failure(f"build with the remote killed failed ({child.returncode}):\n"
                              f"{out}{err}")
            expected = "compiled from src/f3.c\n" + "INT F3() { RETURN 3; } /* CHANGED */\n"
            if (c / "out" / "f3.o").read_text() != expected:
                raise Failure("wrong output after the remote died")
            warnings = [line for line in (out + err).splitlines() if "remote cache" in line]
            if len(warnings) != 1:
                raise Failure(f"expected one remote-cache warning, got:\n{out}{err}")
            print(f"remote killed after {ran_before_kill} commands; the build succeeded in "
                  f"{time.monotonic() - start:.2f}s with: {warnings[0]}")
    except (Failure, NginxError) as e:
        return scratch.failed(f"FAIL: {e}")
    finally:
        scratch.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
