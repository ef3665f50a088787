#!/usr/bin/env python3
"""Black-box tests: the real composer binary side by side with the real ninja.

Every case in cases/*.test is a file tree and a sequence of steps. Each
comparison step (`=== run ARGS`) is executed twice, in two fresh directories
holding the same files: once with ninja and once with composer in its ninja
personality (through a symlink named `ninja`, or with --ninja-compat). Exit
code, stdout, stderr and the resulting file tree must be identical, byte for
byte. Composer-only steps check composer against written expectations instead.
See README.md beside this file for the case format.

Usage: run.py --composer PATH [--ninja PATH] [--cases DIR] [-k NAME]... [-v] [-j N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
NINJA_VERSION = "1.11.1"  # the release Composer reproduces
TIMEOUT = 20  # seconds for one process
MAX_DIFF_LINES = 60

# Step kinds that start a process.
RUN_KINDS = {
    "run": "compare ninja with composer as ninja (symlink named ninja)",
    "run-via-flag": "compare ninja with `composer --ninja-compat`",
    "run-swapped": "compare as `run`, each program in the other's directory",
    "run-ninja-exact": "compare ninja with composer as ninja given --ninja-exact",
    "run-composer": "composer under its own name; needs expectations",
    "run-composer-as-ninja": "composer as ninja only; needs expectations",
}
CONTENT_FLAGS = {"crlf", "escapes", "noeol"}
# The logs hold timestamps: they are compared by what they record (see
# log_summary), not byte for byte.
LOG_FILES = {".ninja_log", ".ninja_deps"}
# Composer's own state (content fingerprints, the graph image): not in the
# compared tree.
IGNORED_FILES = {".composer_db", ".composer_graph", ".composer_stats", ".composer_uptodate"}


class CaseFileError(Exception):
    pass


# --- the case format -----------------------------------------------------------


@dataclasses.dataclass
class Step:
    kind: str  # file, remove, touch, mkdir, env, unsetenv, or one of RUN_KINDS
    line: int
    args: list[str] = dataclasses.field(default_factory=list)  # env: NAME=VALUE
    path: str = ""
    content: bytes = b""
    # For runs:
    expect_exit: int | None = None
    expect_stdout: bytes | None = None
    expect_stderr: bytes | None = None
    difference: str | None = None  # "known: why" / "intended: why"

    def describe(self) -> str:
        return f"{self.kind} {shlex.join(self.args)}".rstrip()


@dataclasses.dataclass
class Case:
    group: str  # the .test file's stem
    name: str
    source: str  # file:line
    steps: list[Step] = dataclasses.field(default_factory=list)
    difference: str | None = None  # applies to every run of the case

    @property
    def full_name(self) -> str:
        return f"{self.group}/{self.name}"

    def runs(self) -> list[Step]:
        return [s for s in self.steps if s.kind in RUN_KINDS]


def decode_escapes(data: bytes, where: str) -> bytes:
    r"""\\ \n \r \t \0 \xHH; anything else after a backslash is an error."""
    out = bytearray()
    i = 0
    simple = {ord("\\"): b"\\", ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t",
              ord("0"): b"\0"}
    while i < len(data):
        c = data[i]
        if c != ord("\\"):
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(data):
            raise CaseFileError(f"{where}: backslash at the end of an escaped section")
        e = data[i + 1]
        if e in simple:
            out += simple[e]
            i += 2
        elif e == ord("x") and re.fullmatch(rb"[0-9a-fA-F]{2}", data[i + 2:i + 4]):
            out.append(int(data[i + 2:i + 4], 16))
            i += 4
        else:
            raise CaseFileError(f"{where}: unknown escape \\{chr(e)} (escapes flag is on)")
    return bytes(out)


def section_content(lines: list[bytes], flags: set[str], where: str) -> bytes:
    """The bytes of a content section: its lines, trailing blank lines dropped."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    data = b"".join(line + b"\n" for line in lines)
    if "noeol" in flags and data.endswith(b"\n"):
        data = data[:-1]
    if "escapes" in flags:
        data = decode_escapes(data, where)
    if "crlf" in flags:
        data = data.replace(b"\n", b"\r\n")
    return data


def parse_case_file(path: Path) -> list[Case]:
    raw = path.read_bytes()
    if b"\r" in raw:
        raise CaseFileError(f"{path}: contains a carriage return; use the crlf flag")
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    # Split into sections: (line number, header words, body lines).
    sections: list[tuple[int, str, list[bytes]]] = []
    for number, line in enumerate(lines, 1):
        if line.startswith(b"=== "):
            sections.append((number, line[4:].decode("utf-8").strip(), []))
        elif sections:
            sections[-1][2].append(line)
        elif line.strip() and not line.startswith(b"#"):
            raise CaseFileError(f"{path}:{number}: text before the first '=== case'")

    cases: list[Case] = []
    case: Case | None = None
    last_run: Step | None = None
    for number, header, body in sections:
        where = f"{path.name}:{number}"
        # "known-difference: reason" and friends carry free text after a colon.
        keyword, _, rest = header.partition(" ")
        if keyword.endswith(":"):
            keyword, rest = keyword[:-1], rest
        if keyword == "case":
            case = Case(group=path.stem, name=rest.strip(), source=where)
            if not case.name or " " in case.name:
                raise CaseFileError(f"{where}: a case needs a one-word name")
            cases.append(case)
            last_run = None
            continue  # the body is the case's description
        if case is None:
            raise CaseFileError(f"{where}: '{keyword}' outside a case")

        def no_body() -> None:
            for line in body:
                if line.strip() and not line.startswith(b"#"):
                    raise CaseFileError(f"{where}: unexpected text after '=== {keyword}'")

        if keyword in ("known-difference", "intended-difference"):
            no_body()
            if not rest.strip():
                raise CaseFileError(f"{where}: {keyword} needs a reason")
            label = f"{keyword.split('-')[0]}: {rest.strip()}"
            if last_run is None:
                case.difference = label
            elif last_run.kind in ("run-composer", "run-composer-as-ninja") and \
                    keyword != "intended-difference":
                raise CaseFileError(f"{where}: a composer-only run can only be labelled "
                                    "intended-difference (there is nothing to compare)")
            else:
                last_run.difference = label
            continue
        try:
            words = shlex.split(rest)
        except ValueError as e:
            raise CaseFileError(f"{where}: {e}") from None
        if keyword == "file":
            if not words or any(w not in CONTENT_FLAGS for w in words[1:]):
                raise CaseFileError(f"{where}: usage: === file PATH [{' '.join(CONTENT_FLAGS)}]")
            case.steps.append(Step("file", number, path=words[0],
                                   content=section_content(body, set(words[1:]), where)))
        elif keyword in ("remove", "touch", "mkdir"):
            no_body()
            if len(words) != 1:
                raise CaseFileError(f"{where}: usage: === {keyword} PATH")
            case.steps.append(Step(keyword, number, path=words[0]))
        elif keyword == "env":
            no_body()
            if not words or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w, re.S)
                                    for w in words):
                raise CaseFileError(f"{where}: usage: === env NAME=VALUE...")
            case.steps.append(Step(keyword, number, args=words))
        elif keyword == "unsetenv":
            no_body()
            if not words:
                raise CaseFileError(f"{where}: usage: === unsetenv NAME...")
            case.steps.append(Step(keyword, number, args=words))
        elif keyword in RUN_KINDS:
            no_body()
            last_run = Step(keyword, number, args=words)
            case.steps.append(last_run)
        elif keyword == "expect-exit":
            no_body()
            if last_run is None or len(words) != 1 or not words[0].isdigit():
                raise CaseFileError(f"{where}: usage: === expect-exit N (after a run)")
            last_run.expect_exit = int(words[0])
        elif keyword in ("expect-stdout", "expect-stderr"):
            if last_run is None or any(w not in CONTENT_FLAGS for w in words):
                raise CaseFileError(f"{where}: usage: === {keyword} [flags] (after a run)")
            content = section_content(body, set(words), where)
            setattr(last_run, keyword.replace("-", "_"), content)
        else:
            raise CaseFileError(f"{where}: unknown section '=== {keyword}'")

    for case in cases:
        if not case.runs():
            raise CaseFileError(f"{case.source}: case {case.name} runs nothing")
        for run in case.runs():
            has_expectation = (run.expect_exit is not None or run.expect_stdout is not None
                               or run.expect_stderr is not None)
            if run.kind in ("run-composer", "run-composer-as-ninja"):
                if not has_expectation:
                    raise CaseFileError(f"{path.name}:{run.line}: {run.kind} needs expect-*")
    return cases


# --- running --------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    exit: int | str
    stdout: bytes
    stderr: bytes
    tree: dict[str, tuple]


@dataclasses.dataclass
class RunResult:
    step: Step
    problems: list[str]  # composer's differences; empty when everything matched
    difference: str | None  # the mark, when the run is marked
    ninja: Outcome | None = None
    composer: Outcome | None = None
    errors: list[str] = dataclasses.field(default_factory=list)  # the test itself is wrong

    @property
    def composer_only(self) -> bool:
        return self.ninja is None

    @property
    def failed(self) -> bool:
        if self.composer_only:  # a mark there is a label: expectations decide
            return bool(self.errors) or bool(self.problems)
        return bool(self.errors) or bool(self.problems) != bool(self.difference)


@dataclasses.dataclass
class CaseResult:
    case: Case
    runs: list[RunResult]
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(r.failed for r in self.runs)


class Programs:
    def __init__(self, ninja: str, composer: str, bin_dir: Path, via_flag: bool):
        self.ninja = ninja
        self.composer = composer
        self.via_flag = via_flag  # `run` uses --ninja-compat instead of the symlink
        # Composer picks its personality from the name it is run under.
        self.composer_as_ninja = bin_dir / "ninja"
        self.composer_own = bin_dir / "composer"
        self.composer_as_ninja.symlink_to(composer)
        self.composer_own.symlink_to(composer)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    # Nothing from outside may change either program: status formats, colours,
    # a parent make's jobserver, composer's own switches. `=== env` sets them.
    for var in ("NINJA_STATUS", "CLICOLOR_FORCE", "NINJA_SUMMARIZE_BUILD", "MAKEFLAGS",
                "MFLAGS", "MAKELEVEL"):
        env.pop(var, None)
    for var in list(env):
        if var.startswith("COMPOSER_"):
            del env[var]
    env["LC_ALL"] = "C"
    env["TERM"] = "dumb"
    return env


ENV = environment()


def build_log_summary(data: bytes) -> bytes:
    """What a .ninja_log records, without its timestamps: the header, the
    number of entries, and each output's last command hash (sorted)."""
    lines = data.split(b"\n")
    header = lines[0] if lines else b""
    last: dict[bytes, bytes] = {}
    count = 0
    for line in lines[1:]:
        fields = line.split(b"\t")
        if len(fields) == 5:  # start, end, mtime, path, hash
            count += 1
            last[fields[3]] = fields[4]
        elif line:
            last[b"<malformed line> " + line] = b""
    out = [header, b"entries: %d" % count]
    out += [b"%s %s" % (path, last[path]) for path in sorted(last)]
    return b"\n".join(out) + b"\n"


def deps_log_summary(data: bytes) -> bytes:
    """What a .ninja_deps records, without mtimes: its version, its paths in
    id order and each output's last list of dependencies."""
    import struct
    signature = b"# ninjadeps\n"
    if not data.startswith(signature) or len(data) < len(signature) + 4:
        return b"<not a deps log> " + data[:32]
    version, = struct.unpack_from("<i", data, len(signature))
    out = [b"version %d" % version]
    paths: list[bytes] = []
    deps: dict[int, list[int]] = {}
    pos = len(signature) + 4
    while pos + 4 <= len(data):
        head, = struct.unpack_from("<I", data, pos)
        size = head & 0x7FFFFFFF
        payload = data[pos + 4:pos + 4 + size]
        if len(payload) < size:
            out.append(b"<truncated record>")
            break
        pos += 4 + size
        if head & 0x80000000:
            ids = struct.unpack_from("<%di" % (size // 4), payload)
            deps[ids[0]] = list(ids[3:])  # output id, mtime (2 words), inputs
        else:
            paths.append(payload[:-4].rstrip(b"\0"))
    name = lambda i: paths[i] if 0 <= i < len(paths) else b"<id %d>" % i
    out.append(b"paths: " + b" ".join(paths))
    for output in sorted(deps, key=name):
        out.append(name(output) + b": " + b" ".join(name(i) for i in deps[output]))
    return b"\n".join(out) + b"\n"


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with what it is (and a file's bytes)."""
    tree: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if name in IGNORED_FILES:
                continue
            if full.is_symlink():
                tree[rel] = ("symlink", os.readlink(full))
            elif full.is_dir():
                tree[rel] = ("dir",)
            elif name == ".ninja_log":
                tree[rel] = ("file", build_log_summary(full.read_bytes()), "log")
            elif name == ".ninja_deps":
                tree[rel] = ("file", deps_log_summary(full.read_bytes()), "log")
            else:
                executable = os.access(full, os.X_OK)
                tree[rel] = ("file", full.read_bytes(), "executable" if executable else "")
    return tree


def newest_mtime(root: Path, but: Path | None = None) -> int:
    return max((p.lstat().st_mtime_ns for p in root.rglob("*") if p != but), default=0)


def make_newest(target: Path, root: Path) -> None:
    """Makes target strictly newer than every other file in the tree."""
    newest = newest_mtime(root, but=target)
    if target.lstat().st_mtime_ns <= newest:
        os.utime(target, ns=(newest + 1000, newest + 1000))


def file_clock_ns(probe_dir: Path) -> int:
    """The time the file system gives a file written now (the kernel's
    coarse clock, which may lag time.time_ns() by a tick)."""
    probe = probe_dir / ".clock-probe"
    probe.write_bytes(b"")
    stamp = probe.stat().st_mtime_ns
    probe.unlink()
    return stamp


def settle(roots: list[Path], probe_dir: Path) -> None:
    """Waits until a file written now is newer than every file in the trees,
    so that whatever a run writes is strictly newer than what the steps
    before it wrote (ninja compares mtimes with '<'). Usually no wait, at
    most a clock tick."""
    newest = max(newest_mtime(root) for root in roots)
    deadline = time.monotonic() + 5
    while file_clock_ns(probe_dir) <= newest and time.monotonic() < deadline:
        time.sleep(0.001)


def apply_step(step: Step, root: Path) -> None:
    target = root / step.path
    if step.kind == "file":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(step.content)
        make_newest(target, root)
    elif step.kind == "mkdir":
        target.mkdir(parents=True, exist_ok=True)
    elif step.kind == "remove":  # if it is there: a run may have removed it
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    elif step.kind == "touch":
        # Newer than anything in the tree, whatever the clock's granularity,
        # but not in the future: what the next run writes is newer still.
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
        stamp = max(newest_mtime(root, but=target) + 1000, time.time_ns())
        os.utime(target, ns=(stamp, stamp))


def execute(program: str | Path, argv: list[str], cwd: Path,
            env: dict[str, str] | None = None) -> Outcome:
    """Runs program with argv (argv[0] included, as a shell would pass it)."""
    try:
        proc = subprocess.run(argv, executable=program, cwd=cwd, env=env or ENV,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        code: int | str = proc.returncode
        stdout, stderr = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        code, stdout, stderr = f"timeout after {TIMEOUT}s", e.stdout or b"", e.stderr or b""
    return Outcome(code, stdout, stderr, snapshot(cwd))


def tool_of(args: list[str]) -> str | None:
    """The -t tool an argument list runs, as ninja's getopt would find it."""
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "-t" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("-t") and len(arg) > 2:
            return arg[2:]
    return None


POINTER = re.compile(rb"0x[0-9a-fA-F]+")
# -d explain prints mtimes: "(1733250000123456789 vs 1733250000987654321)".
EXPLAIN_MTIMES = re.compile(rb"^(ninja explain: .*)\(-?\d+ vs -?\d+\)$", re.M)
# "ninja version (1.11.1) incompatible ...": the running program's own version.
VERSION_MSG = re.compile(rb"((?:ninja|composer) (?:executable )?version) \(\d+\.\d+\.\d+[^)]*\)")


def normalise(data: bytes, step: Step, workdir: Path) -> bytes:
    """Only what cannot be reproduced: where the run happened, graph pointers,
    the running ninja's own version number, mtimes in -d explain lines."""
    for form in {str(workdir), os.path.realpath(workdir)}:
        data = data.replace(form.encode(), b"$WORKDIR")
    data = EXPLAIN_MTIMES.sub(rb"\1(MTIME vs MTIME)", data)
    if tool_of(step.args) == "graph":
        numbers: dict[bytes, bytes] = {}
        data = POINTER.sub(
            lambda m: numbers.setdefault(m.group(0), b"p%d" % (len(numbers) + 1)), data)
    return VERSION_MSG.sub(rb"\1 (VERSION)", data)


def render(data: bytes) -> list[str]:
    """Lines for a diff, with invisible bytes made visible."""
    text = data.decode("utf-8", "backslashreplace")
    text = text.replace("\r", "\\r").replace("\t", "\\t").replace("\0", "\\0")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        lines[-1] += "  (no newline at end)"
    return lines


def diff_text(a: bytes, b: bytes, name_a: str, name_b: str) -> str:
    lines = list(difflib.unified_diff(render(a), render(b), name_a, name_b, lineterm="", n=3))
    if not lines:  # only the rendering hides the difference
        lines = [f"--- {name_a}: {a!r}", f"+++ {name_b}: {b!r}"]
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more diff lines)"]
    return "\n".join(lines)


def compare(kind: str, a, b, name_a: str, name_b: str) -> str | None:
    if a == b:
        return None
    if isinstance(a, bytes):
        return f"{kind} differs:\n" + diff_text(a, b, name_a, name_b)
    return f"{kind} differs: {name_a} {a}, {name_b} {b}"


def compare_trees(a: dict, b: dict, name_a: str, name_b: str) -> str | None:
    if a == b:
        return None
    out = ["file tree differs:"]
    for path in sorted(set(a) | set(b)):
        if path not in b:
            out.append(f"  only after {name_a}: {path} ({a[path][0]})")
        elif path not in a:
            out.append(f"  only after {name_b}: {path} ({b[path][0]})")
        elif a[path] != b[path]:
            if a[path][0] == b[path][0] == "file" and a[path][1] != b[path][1]:
                out.append(f"  {path}:\n" + diff_text(a[path][1], b[path][1], name_a, name_b))
            else:
                out.append(f"  {path}: {name_a} {a[path]!r}, {name_b} {b[path]!r}")
    return "\n".join(out)


def check_expectations(step: Step, outcome: Outcome, who: str) -> list[str]:
    problems = []
    if step.expect_exit is not None and outcome.exit != step.expect_exit:
        problems.append(f"exit of {who}: expected {step.expect_exit}, got {outcome.exit}")
    for stream in ("stdout", "stderr"):
        expected = getattr(step, f"expect_{stream}")
        if expected is not None and getattr(outcome, stream) != expected:
            problems.append(f"{stream} of {who} differs from expect-{stream}:\n" +
                            diff_text(expected, getattr(outcome, stream), "expected", who))
    return problems


def run_case(case: Case, programs: Programs, keep: bool,
             composer_env: dict[str, str]) -> CaseResult:
    top = Path(tempfile.mkdtemp(prefix=f"bb-{case.group}-{case.name}-"))
    results: list[RunResult] = []
    try:
        ninja_dir, composer_dir = top / "ninja", top / "composer"
        ninja_dir.mkdir()
        composer_dir.mkdir()
        env = dict(ENV)
        # Where the `composer` and `ninja` (composer as ninja) symlinks are,
        # for commands that run composer themselves.
        env["BLACKBOX_BIN"] = str(programs.composer_own.parent)
        for step in case.steps:
            if step.kind == "env":
                env.update(w.split("=", 1) for w in step.args)
                continue
            if step.kind == "unsetenv":
                for name in step.args:
                    env.pop(name, None)
                continue
            if step.kind not in RUN_KINDS:
                apply_step(step, ninja_dir)
                apply_step(step, composer_dir)
                continue
            settle([ninja_dir, composer_dir], top)
            problems: list[str] = []
            ninja_out = None
            # run-swapped: each program takes over the directory the other
            # built (the two share build directories).
            ninja_cwd, composer_cwd = ninja_dir, composer_dir
            if step.kind == "run-swapped":
                ninja_cwd, composer_cwd = composer_dir, ninja_dir
            # argv[0] is the bare name, as when run from PATH: getopt's
            # messages start with it.
            if step.kind in ("run", "run-via-flag", "run-swapped", "run-ninja-exact"):
                ninja_out = execute(programs.ninja, ["ninja"] + step.args, ninja_cwd, env)
                ninja_out.stdout = normalise(ninja_out.stdout, step, ninja_cwd)
                ninja_out.stderr = normalise(ninja_out.stderr, step, ninja_cwd)
            if step.kind == "run-composer":
                program, argv = programs.composer_own, ["composer"] + step.args
            elif step.kind == "run-ninja-exact":
                # Content checks off: composer must do exactly what ninja does.
                program, argv = programs.composer_as_ninja, ["ninja", "--ninja-exact"] + step.args
            elif step.kind == "run-via-flag" or (step.kind == "run" and programs.via_flag):
                program, argv = programs.composer_own, ["composer", "--ninja-compat"] + step.args
            else:
                program, argv = programs.composer_as_ninja, ["ninja"] + step.args
            comp_out = execute(program, argv, composer_cwd, {**env, **composer_env})
            comp_out.stdout = normalise(comp_out.stdout, step, composer_cwd)
            comp_out.stderr = normalise(comp_out.stderr, step, composer_cwd)
            if ninja_out is not None:
                for problem in (
                        compare("exit code", ninja_out.exit, comp_out.exit, "ninja", "composer"),
                        compare("stdout", ninja_out.stdout, comp_out.stdout, "ninja", "composer"),
                        compare("stderr", ninja_out.stderr, comp_out.stderr, "ninja", "composer"),
                        compare_trees(ninja_out.tree, comp_out.tree, "ninja", "composer")):
                    if problem:
                        problems.append(problem)
            problems += check_expectations(step, comp_out, "composer")
            # A case's mark is about its comparisons; a composer-only run
            # carries its own label (if any).
            mark = step.difference if ninja_out is None else step.difference or case.difference
            result = RunResult(step, problems, mark, ninja_out, comp_out)
            if ninja_out is not None:
                # Expectations on a comparison document it: ninja must meet
                # them, or the test is wrong (no mark excuses that).
                result.errors = check_expectations(step, ninja_out, "ninja")
            results.append(result)
        return CaseResult(case, results)
    except Exception as e:  # noqa: BLE001 - reported as the case's failure
        return CaseResult(case, results, error=f"{type(e).__name__}: {e}")
    finally:
        if composer_env.get("COMPOSER_WATCH"):
            # Watchers end with their directory anyway, but inotify instances
            # are few (128 per user): do not let hundreds wait for that.
            # (Those of `-C` directories are left to notice the removal.)
            for cwd in (composer_dir, ninja_dir):
                if cwd.is_dir():
                    subprocess.run([programs.composer, "-t", "watch", "stop"], cwd=cwd,
                                   capture_output=True, timeout=TIMEOUT)
        if keep:
            print(f"kept {top}", file=sys.stderr)
        else:
            shutil.rmtree(top, ignore_errors=True)


def show_outcome(label: str, outcome: Outcome | None) -> None:
    if outcome is None:
        return
    print(f"    {label}: exit {outcome.exit}")
    for stream in ("stdout", "stderr"):
        data = getattr(outcome, stream)
        if data:
            print(f"    {label} {stream}:")
            for line in render(data):
                print(f"      |{line}")


def report(result: CaseResult, verbose: bool) -> None:
    case = result.case
    if result.error:
        print(f"ERROR {case.full_name} ({case.source}): {result.error}")
    for index, run in enumerate(result.runs, 1):
        where = f"{case.full_name} run {index} ({case.group}.test:{run.step.line}: " \
                f"{run.step.describe()})"
        lines: list[str] = []
        if run.errors:
            lines.append("the test is wrong: ninja does not meet its expectations")
            lines += run.errors
        if run.composer_only:
            lines += run.problems  # a label is no excuse: expectations decide
        elif run.difference and not run.problems:
            lines.append(f"marked {run.difference}\nbut composer now matches: remove the mark")
        elif run.problems and not run.difference:
            lines += run.problems
        if lines:
            print(f"FAIL {where}")
            for line in lines:
                print("  " + line.replace("\n", "\n  "))
        elif run.difference:
            if verbose:
                kind = "label" if run.composer_only else "known"
                print(f"{kind} {where}\n  marked {run.difference}")
                for problem in run.problems:
                    print("  " + problem.replace("\n", "\n  "))
        elif verbose:
            print(f"ok   {where}")
        if verbose:
            show_outcome("ninja", run.ninja)
            if run.ninja is not None and not run.problems:
                print("    composer: the same")
            else:
                show_outcome("composer", run.composer)


def find_ninja(explicit: str | None) -> str:
    ninja = explicit or shutil.which("ninja")
    if not ninja or not os.access(ninja, os.X_OK):
        sys.exit("run.py: error: ninja is not installed (not found on PATH); the black-box "
                 "tests compare composer with ninja " + NINJA_VERSION +
                 ". Install it with misc/setup.sh (Debian package ninja-build).")
    version = subprocess.run([ninja, "--version"], capture_output=True, text=True).stdout.strip()
    if version != NINJA_VERSION:
        sys.exit(f"run.py: error: {ninja} is version {version!r}, but the black-box tests "
                 f"compare with ninja {NINJA_VERSION}; pass --ninja PATH to that release.")
    return os.path.abspath(ninja)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--composer", required=True, help="the composer binary to test")
    parser.add_argument("--ninja", help="the ninja binary (default: ninja on PATH)")
    parser.add_argument("--cases", type=Path, default=CASES_DIR, metavar="DIR",
                        help="the directory whose *.test files are run (default: the "
                             "cases/ directory beside run.py)")
    parser.add_argument("-k", dest="filters", action="append", default=[], metavar="NAME",
                        help="only cases whose group/name contains NAME (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show every run with both outputs, and known differences")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="cases run at once (2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    parser.add_argument("--via", choices=("symlink", "flag"), default="symlink",
                        help="how every `run` makes composer ninja: a symlink named ninja "
                             "(default) or composer --ninja-compat")
    parser.add_argument("--composer-env", action="append", default=[], metavar="NAME=VALUE",
                        help="set NAME for every composer run (not ninja's), e.g. "
                             "COMPOSER_WATCH=1 to run every case through the file watcher")
    args = parser.parse_args()

    composer_env = dict(w.split("=", 1) for w in args.composer_env)
    composer = os.path.abspath(args.composer)
    if not os.access(composer, os.X_OK):
        sys.exit(f"run.py: error: composer binary {args.composer!r} not found or not executable")
    ninja = find_ninja(args.ninja)

    if not args.cases.is_dir():
        sys.exit(f"run.py: error: --cases {str(args.cases)!r} is not a directory")
    cases: list[Case] = []
    try:
        for path in sorted(args.cases.glob("*.test")):
            cases += parse_case_file(path)
    except CaseFileError as e:
        sys.exit(f"run.py: error in a case file: {e}")
    names = [c.full_name for c in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        sys.exit(f"run.py: error: duplicate case names: {', '.join(duplicates)}")
    if args.filters:
        cases = [c for c in cases if any(f in c.full_name for f in args.filters)]
    if not cases:
        sys.exit("run.py: error: no case matches")

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bb-bin-") as bin_dir:
        programs = Programs(ninja, composer, Path(bin_dir), args.via == "flag")
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(lambda c: run_case(c, programs, args.keep, composer_env), cases))

    for result in results:
        report(result, args.verbose)

    runs = [r for result in results for r in result.runs]
    matched = sum(1 for r in runs if not r.failed and (not r.difference or r.composer_only))
    known = [(res.case, r) for res in results for r in res.runs
             if r.difference and r.problems and not r.errors and not r.composer_only]
    labelled = [(res.case, r) for res in results for r in res.runs
                if r.difference and r.composer_only and not r.failed]
    failed_cases = [res for res in results if res.failed]
    failed_runs = sum(1 for r in runs if r.failed)
    if known:
        print(f"\n{len(known)} marked difference(s) (shown in full with -v):")
        for case, r in known:
            print(f"  {case.full_name} ({case.group}.test:{r.step.line}): {r.difference}")
    if labelled and args.verbose:
        print(f"\n{len(labelled)} composer-only run(s) showing an intended difference:")
        for case, r in labelled:
            print(f"  {case.full_name} ({case.group}.test:{r.step.line}): {r.difference}")
    print(f"\n{len(cases)} cases, {len(runs)} invocations: {matched} matched, "
          f"{len(known)} marked differences, {failed_runs} failed"
          f"{', %d case errors' % sum(1 for r in results if r.error) if any(r.error for r in results) else ''}"
          f" ({time.monotonic() - start:.1f}s)")
    if failed_cases:
        print("FAILED: " + ", ".join(r.case.full_name for r in failed_cases))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
