"""What the integration and crash tests share.

`Failure` is a test's own verdict (as opposed to a bug in the test script);
`run` runs one process with a deadline, so a hang fails the test instead of
holding CI; `Scratch` is the temporary directory a test works in, removed at
the end unless the test failed or --keep asked to keep it.

Standard library only. The scripts import it with
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class Failure(Exception):
    pass


def run(argv: list, cwd: Path | None = None, env: dict[str, str] | None = None,
        check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """Runs argv with stdin from /dev/null, capturing text output. Raises
    Failure when it outlives `timeout` seconds or, with `check`, exits non-zero."""
    argv = [str(a) for a in argv]
    try:
        proc = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace",
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"{' '.join(argv)}: no end after {timeout}s") from None
    if check and proc.returncode != 0:
        where = f" (in {cwd})" if cwd else ""
        raise Failure(f"{' '.join(argv)}{where} exited {proc.returncode}\n"
                      f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}")
    return proc


class Scratch:
    """A fresh temporary directory (`path`) for one test run:

        scratch = Scratch("name-", args.keep)
        try:
            ...
        except Failure as e:
            return scratch.failed(f"FAIL: {e}")
        finally:
            scratch.close()

    close() removes it unless `keep` was asked for or the test failed."""

    def __init__(self, prefix: str, keep: bool = False):
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self.keep = keep

    def failed(self, message: str) -> int:
        """Prints the message, keeps the directory; returns the exit status."""
        print(message, file=sys.stderr)
        self.keep = True
        return 1

    def close(self) -> None:
        if self.keep:
            print(f"kept {self.path}", file=sys.stderr)
        else:
            shutil.rmtree(self.path, ignore_errors=True)
