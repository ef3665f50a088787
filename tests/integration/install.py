#!/usr/bin/env python3
"""The install step: `cmake --install` puts composer in bin/, and with
COMPOSER_INSTALL_NINJA_LINK a symlink bin/ninja -> composer beside it.

Installs the given CMake build tree twice, only ever into a temporary
directory:

  1. `cmake --install BUILD --prefix TMP/prefix`: bin/composer runs
     (`--version` names composer); bin/ninja is there exactly when the build
     tree was configured with -DCOMPOSER_INSTALL_NINJA_LINK=ON;
  2. `cmake -DCOMPOSER_INSTALL_NINJA_LINK=ON -DCMAKE_INSTALL_PREFIX=/usr/local
     -P BUILD/cmake_install.cmake` with DESTDIR=TMP/dest (as a package
     build does): bin/ninja is a relative symlink to composer, and
     `bin/ninja --version` prints what the reference ninja prints.

Usage: install.py --build-dir DIR [--ninja PATH] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Failure, Scratch, run  # noqa: E402

TIMEOUT = 300


def output(argv: list, env: dict[str, str]) -> str:
    return run(argv, env=env, timeout=TIMEOUT).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", required=True, type=Path)
    parser.add_argument("--ninja", default="/usr/bin/ninja",
                        help="the reference ninja (default: Debian's, /usr/bin/ninja)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    build = args.build_dir.resolve()
    cmake = shutil.which("cmake")
    if not cmake or not (build / "cmake_install.cmake").exists():
        sys.exit(f"install.py: needs cmake and {build}/cmake_install.cmake")
    cache = (build / "CMakeCache.txt").read_text()
    m = re.search(r"^COMPOSER_INSTALL_NINJA_LINK:BOOL=(\w+)$", cache, re.M)
    link_on = bool(m) and m.group(1).upper() in ("ON", "1", "TRUE", "YES", "Y")

    env = {k: v for k, v in os.environ.items() if k != "DESTDIR" and
           not k.startswith(("COMPOSER_", "NINJA_"))}
    env["LC_ALL"] = "C"
    scratch = Scratch("integration-install-", args.keep)
    top = scratch.path
    step = "cmake --install"
    try:
        prefix = top / "prefix"
        output([cmake, "--install", build, "--prefix", prefix], env)
        composer = prefix / "bin" / "composer"
        if not os.access(composer, os.X_OK):
            raise Failure(f"no executable {composer}")
        version = output([composer, "--version"], env)
        # Composer's own name leads with the Ninja version it covers (CMake
        # and Meson read that) and names itself after it.
        if not re.fullmatch(r"\d+\.\d+\.\d+ \(composer \d+\.\d+\.\d+\)\n", version):
            raise Failure(f"{composer} --version printed {version!r}")
        ninja_link = prefix / "bin" / "ninja"
        if ninja_link.is_symlink() != link_on:
            raise Failure(f"bin/ninja {'missing' if link_on else 'installed'} with "
                          f"COMPOSER_INSTALL_NINJA_LINK={'ON' if link_on else 'OFF'}")

        step = "cmake -DCOMPOSER_INSTALL_NINJA_LINK=ON -P cmake_install.cmake, DESTDIR"
        dest = top / "dest"
        output([cmake, "-DCOMPOSER_INSTALL_NINJA_LINK=ON", "-DCMAKE_INSTALL_PREFIX=/usr/local",
             "-P", build / "cmake_install.cmake"], dict(env, DESTDIR=str(dest)))
        bin_dir = dest / "usr" / "local" / "bin"
        ninja_link = bin_dir / "ninja"
        if not (bin_dir / "composer").exists():
            raise Failure(f"no {bin_dir / 'composer'}")
        if not ninja_link.is_symlink() or os.readlink(ninja_link) != "composer":
            raise Failure(f"{ninja_link} is not a symlink to composer")
        ours, theirs = output([ninja_link, "--version"], env), output([args.ninja, "--version"], env)
        if ours != theirs:
            raise Failure(f"{ninja_link} --version printed {ours!r}, {args.ninja} {theirs!r}")
    except Failure as e:
        return scratch.failed(f"FAIL ({step}): {e}")
    finally:
        scratch.close()
    print("integration.install: bin/composer and the bin/ninja link install and run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
