#!/usr/bin/env python3
"""ctest cache.remote: the remote store's unit tests against a real nginx.

Starts three nginx WebDAV servers on 127.0.0.1 (tests/support/nginx_dav.py):
one that requires a bearer token, a "doomed" one the tests kill, and one
serving https with a self-signed certificate, then
runs the RemoteStoreNginx tests of the cache unit-test binary with their
URLs in the environment (src/cache/remote_store_test.cc lists the
variables). Fails if any of those tests was skipped.

    python3 tests/cache/remote_store_test.py --binary build/dev/cache_test [--keep]
"""
from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Scratch  # noqa: E402
from nginx_dav import NginxDav, NginxError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True, help="the cache_test gtest binary")
    parser.add_argument("--filter", default="RemoteStoreNginx.*")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    scratch = Scratch("composer-remote-", args.keep)
    token = "tok-" + secrets.token_hex(16)
    try:
        with NginxDav(scratch.path / "main", token=token) as main_server, \
                NginxDav(scratch.path / "doomed") as doomed, \
                NginxDav(scratch.path / "tls", tls=True) as tls:
            env = dict(os.environ)
            env.update({
                "COMPOSER_TEST_REMOTE_URL": main_server.url,
                "COMPOSER_TEST_REMOTE_TOKEN": token,
                "COMPOSER_TEST_REMOTE_ROOT": str(main_server.root / "cache"),
                "COMPOSER_TEST_REMOTE_LOG": str(main_server.temp / "access.log"),
                "COMPOSER_TEST_DOOMED_URL": doomed.url,
                "COMPOSER_TEST_DOOMED_PGID": str(doomed.proc.pid),
                "COMPOSER_TEST_TLS_URL": tls.url,
                "COMPOSER_TEST_TLS_CA": str(tls.ca_file),
            })
            proc = subprocess.run([args.binary, f"--gtest_filter={args.filter}"], env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  errors="replace", timeout=300)
            sys.stdout.write(proc.stdout)
            sys.stderr.write(proc.stderr)
            if proc.returncode != 0:
                return scratch.failed(f"FAIL: {args.binary} exited {proc.returncode}")
            if "[  SKIPPED ]" in proc.stdout or "[  PASSED  ] 0 tests" in proc.stdout:
                return scratch.failed("FAIL: remote tests were skipped or none ran")
    except NginxError as e:
        return scratch.failed(f"FAIL: {e}")
    except subprocess.TimeoutExpired:
        return scratch.failed(f"FAIL: {args.binary} did not finish in 300 s")
    finally:
        scratch.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
