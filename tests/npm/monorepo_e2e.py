#!/usr/bin/env python3
"""End-to-end test of `composer -t npm` on examples/monorepo.

    python3 tests/npm/monorepo_e2e.py --composer /abs/path/to/composer [--keep] [--keep-going]

Black box: copies the example workspace to a temporary git repository, runs
the generator and then plain `composer` builds, and checks what ran (from
`--summary` files and the tests' own output), what was written, and that the
runs after each change end in `no work to do`. Needs node, npm and the npm
registry (or a warm npm cache) for `typescript`. Standard library only.

Exit status 0 when every check passed, 1 at the first failed check (the
message says which, with the command and its output); with --keep-going,
every failed check is reported and the scenario goes on.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'monorepo')

# What every package of the example defines (package name -> its scripts).
EXPECTED_TASKS = {
    '@example/greet': ['build', 'typecheck'],
    '@example/cli': ['build', 'test'],
    '@example/service': ['test'],
    '@example/style': ['lint'],
}
TASK_NAMES = ['build', 'test', 'lint', 'typecheck']

# Names of tests in the example, printed by node's test runner when they run.
CLI_TEST = 'the bin prints greetings'
SERVICE_TEST = 'unknown route is a 404'


class CheckFailed(Exception):
    pass


KEEP_GOING = False
FAILURES = []


def check(condition, message):
    """Fails the test unless `condition`; with --keep-going, records and goes on."""
    if not condition:
        fail(message)


def fail(message):
    if not KEEP_GOING:
        raise CheckFailed(message)
    FAILURES.append(message)
    print('monorepo_e2e: FAIL (going on): %s' % message, file=sys.stderr, flush=True)


def ignore_generated(directory, names):
    skip = {'node_modules', 'dist', '.composer', 'build.composer'}
    return [n for n in names
            if n in skip or n.startswith('.composer_') or n.endswith('.tsbuildinfo')]


class Workspace:
    def __init__(self, composer, tmp):
        self.composer = composer
        self.tmp = tmp
        self.dir = os.path.join(tmp, 'ws')
        self.runs = 0
        self.task_map = None  # pkg#task -> its outputs, once known
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('COMPOSER_') and not k.startswith('NINJA_')
               and not k.startswith('npm_') and k not in ('CLICOLOR_FORCE', 'MAKEFLAGS')}
        env.update({
            'COMPOSER_CACHE_DIR': os.path.join(tmp, 'cache'),
            'npm_config_cache': os.path.join(tmp, 'npm-cache'),
            'npm_config_update_notifier': 'false',
            'npm_config_fund': 'false',
            'npm_config_audit': 'false',
            'NO_COLOR': '1',
        })
        self.env = env

    # -- running things -------------------------------------------------
    def run(self, argv, expect_rc=0, what=None):
        t0 = time.monotonic()
        p = subprocess.run(argv, cwd=self.dir, env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        p.seconds = time.monotonic() - t0
        if expect_rc is not None and p.returncode != expect_rc:
            raise CheckFailed('%s: `%s` exited %d (expected %d); output:\n%s' % (
                what or 'command', ' '.join(argv), p.returncode, expect_rc, indent(p.stdout)))
        return p

    def git(self, *args):
        return self.run(['git'] + list(args), what='git')

    def tool(self, *args):
        return self.run([self.composer, '-t'] + list(args), what='composer -t %s' % args[0])

    def build(self, label, *targets):
        """Runs `composer --summary F [targets]`; returns (process, summary dict)."""
        self.runs += 1
        summary = os.path.join(self.tmp, 'summary-%02d.json' % self.runs)
        if os.path.exists(summary):
            os.remove(summary)
        p = self.run([self.composer, '--summary', summary] + list(targets), what=label)
        check(os.path.exists(summary), '%s: --summary wrote no %s; output:\n%s' % (
            label, summary, indent(p.stdout)))
        with open(summary) as f:
            data = json.load(f)
        log('%s: %.1fs, %s' % (label, p.seconds, last_line(p.stdout)))
        if self.task_map and 'no work to do' not in p.stdout:
            log('  ran: %s' % (', '.join(sorted(ran(data, self.task_map))) or 'no task'))
        return p, data

    # -- the graph --------------------------------------------------------
    def phonies(self):
        """Every phony target of the generated build file."""
        out = self.tool('targets', 'all').stdout
        names = set()
        for line in out.splitlines():
            name, _, rule = line.rpartition(': ')
            if rule.strip() == 'phony':
                names.add(name)
        return names

    def query_inputs(self, target):
        """Inputs of the statement building `target` ('| ' and '|| ' kept)."""
        out = self.tool('query', target).stdout
        inputs, section = [], None
        for line in out.splitlines():
            if line.startswith('  ') and not line.startswith('    '):
                section = line.strip().split(':')[0]
            elif line.startswith('    ') and section == 'input':
                inputs.append(line.strip())
        return inputs

    def task_outputs(self):
        """Maps each `pkg#task` phony to the outputs of the statement(s) it names.

        The generator makes `pkg#task` a phony whose explicit inputs are the
        task's own outputs (its stamp); anything indirect is followed through
        further phonies."""
        phonies = self.phonies()
        mapping = {}
        for name in sorted(n for n in phonies if '#' in n):
            todo, seen, outs = [name], set(), set()
            while todo:
                t = todo.pop()
                if t in seen:
                    continue
                seen.add(t)
                for i in self.query_inputs(t):
                    if i.startswith('|'):
                        continue
                    if i in phonies:
                        todo.append(i)
                    else:
                        outs.add(i)
            mapping[name] = outs
        return mapping


def indent(text, prefix='    '):
    return ''.join(prefix + line + '\n' for line in text.rstrip('\n').splitlines())


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else '(no output)'


def log(message):
    print('monorepo_e2e: ' + message, flush=True)


def statuses(summary, task_map):
    """pkg#task -> set of edge statuses in a --summary, for the mapped tasks."""
    by_output = {}
    for edge in summary.get('edges', []):
        for o in edge.get('outputs', []):
            by_output[o] = edge.get('status')
    result = {}
    for task, outs in task_map.items():
        result[task] = {by_output[o] for o in outs if o in by_output}
    return result


def ran(summary, task_map):
    """The tasks whose command ran (status `built`) in that build."""
    return {t for t, s in statuses(summary, task_map).items() if 'built' in s}


def dist_digests(ws):
    digests = {}
    packages = os.path.join(ws.dir, 'packages')
    for pkg in sorted(os.listdir(packages)):
        dist = os.path.join(packages, pkg, 'dist')
        for dirpath, dirnames, filenames in os.walk(dist):
            dirnames.sort()
            for fn in sorted(filenames):
                path = os.path.join(dirpath, fn)
                with open(path, 'rb') as f:
                    digests[os.path.relpath(path, ws.dir)] = hashlib.sha256(f.read()).hexdigest()
    return digests


def write(ws, rel, text):
    path = os.path.join(ws.dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def is_noop(output):
    """`no work to do`, and no status line: not even a regeneration ran."""
    status_lines = [l for l in output.splitlines() if re.match(r'\[\d+/\d+\] ', l)]
    return 'no work to do' in output and not status_lines


def expect_noop(ws, label):
    """The next `composer` must do nothing at all, without regenerating first."""
    p, summary = ws.build(label)
    if is_noop(p.stdout):
        return
    regenerated = 'regenerat' in p.stdout.lower()
    message = '%s: expected `no work to do` and no command run, got:\n%s' % (label, indent(p.stdout))
    if regenerated:
        third, _ = ws.build(label + ' (third run, diagnosis only)')
        if is_noop(third.stdout):
            message = ('%s: the run regenerated build.composer first and only the run after '
                       'it was a no-op (the generator does not leave itself up to date).\n'
                       'That run printed:\n%s' % (label, indent(p.stdout)))
        else:
            message += 'and the run after it was not a no-op either:\n%s' % indent(third.stdout)
    fail(message)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--composer', required=True, help='the composer binary to test')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directory')
    ap.add_argument('--keep-going', action='store_true',
                    help='report a failed check and go on to the next ones')
    args = ap.parse_args()
    global KEEP_GOING
    KEEP_GOING = args.keep_going
    composer = os.path.abspath(args.composer)
    if not os.access(composer, os.X_OK):
        print('monorepo_e2e: %s is not an executable' % composer, file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix='composer-npm-e2e-')
    ws = Workspace(composer, tmp)
    t0 = time.monotonic()
    try:
        scenario(ws)
    except CheckFailed as e:
        print('monorepo_e2e: FAIL: %s' % e, file=sys.stderr)
        print('monorepo_e2e: workspace kept in %s' % tmp, file=sys.stderr)
        return 1
    if FAILURES:
        print('monorepo_e2e: %d check(s) FAILED:' % len(FAILURES), file=sys.stderr)
        for message in FAILURES:
            print('  - ' + message.splitlines()[0], file=sys.stderr)
        print('monorepo_e2e: workspace kept in %s' % tmp, file=sys.stderr)
        return 1
    log('PASS (%.0fs)' % (time.monotonic() - t0))
    if args.keep:
        log('workspace kept in %s' % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def scenario(ws):
    shutil.copytree(EXAMPLE, ws.dir, ignore=ignore_generated, symlinks=True)
    ws.git('init', '-q')
    ws.git('config', 'user.name', 'Composer Test')
    ws.git('config', 'user.email', 'composer-test@example.invalid')
    ws.git('config', 'commit.gpgsign', 'false')
    ws.git('add', '-A')
    ws.git('commit', '-q', '-m', 'example workspace')

    # -- the generator ------------------------------------------------------
    p = ws.run([ws.composer, '-t', 'npm'], what='composer -t npm')
    check(os.path.isfile(os.path.join(ws.dir, 'build.composer')),
          'composer -t npm wrote no build.composer; output:\n%s' % indent(p.stdout))
    phonies = ws.phonies()
    want = {'%s#%s' % (pkg, t) for pkg, tasks in EXPECTED_TASKS.items() for t in tasks}
    want |= set(TASK_NAMES)
    check(want <= phonies, 'phony targets missing from `composer -t targets all`: %s\n'
          '(phonies there: %s)' % (sorted(want - phonies), sorted(phonies)))
    task_map = ws.task_map = ws.task_outputs()
    for task in sorted(want - set(TASK_NAMES)):
        check(task_map.get(task), '%s names no output of a command (query: %s)' % (
            task, ws.query_inputs(task)))
    builds = sorted(t for t in task_map if t.endswith('#build'))

    # -- cold build ---------------------------------------------------------
    p, s = ws.build('cold build')
    for rel in ['packages/greet/dist/index.js', 'packages/greet/dist/index.d.ts',
                'packages/cli/dist/main.js', 'packages/cli/dist/format.js']:
        check(os.path.isfile(os.path.join(ws.dir, rel)),
              'cold build: %s was not built; output:\n%s' % (rel, indent(p.stdout)))
    for needle in [CLI_TEST, SERVICE_TEST, '# pass 3', 'lint: 2 files clean']:
        check(needle in p.stdout, 'cold build: %r not in the output:\n%s' % (needle, indent(p.stdout)))
    check('# fail 0' in p.stdout and '# fail 1' not in p.stdout,
          'cold build: a node test failed:\n%s' % indent(p.stdout))
    missing = want - set(TASK_NAMES) - ran(s, task_map)
    check(not missing, 'cold build: tasks that did not run (summary statuses %s): %s' % (
        statuses(s, task_map), sorted(missing)))

    # -- nothing changed ----------------------------------------------------
    expect_noop(ws, 'second run')

    # -- a new package ------------------------------------------------------
    before = open(os.path.join(ws.dir, 'build.composer')).read()
    write(ws, 'packages/extra/package.json', json.dumps({
        'name': '@example/extra', 'version': '1.0.0', 'private': True,
        'scripts': {'test': 'node --test'},
        'dependencies': {'@example/greet': '*'},
    }, indent=2) + '\n')
    write(ws, 'packages/extra/test/extra.test.js',
          '"use strict";\n'
          'const test = require("node:test");\n'
          'const assert = require("node:assert/strict");\n'
          'const { greet } = require("@example/greet");\n\n'
          'test("extra package sees greet", () => {\n'
          '  assert.equal(greet("extra"), "Hello, extra!");\n'
          '});\n')
    ws.git('add', 'packages/extra')
    ws.run(['npm', 'install', '--no-audit', '--no-fund'], what='npm install (new package)')
    with open(os.path.join(ws.dir, 'package-lock.json')) as f:
        check('packages/extra' in f.read(), 'npm install did not add packages/extra to the lockfile')
    p, s = ws.build('after adding packages/extra')
    after = open(os.path.join(ws.dir, 'build.composer')).read()
    check(after != before, 'after adding packages/extra: build.composer was not regenerated; '
          'output:\n%s' % indent(p.stdout))
    check('@example/extra#test' in ws.phonies(),
          'after adding packages/extra: no @example/extra#test in `composer -t targets all`')
    task_map = ws.task_map = ws.task_outputs()
    check('extra package sees greet' in p.stdout,
          "after adding packages/extra: its test's output is missing:\n%s" % indent(p.stdout))
    # The summary covers the build after the regeneration, so it must know the new task.
    check('@example/extra#test' in ran(s, task_map),
          'after adding packages/extra: the summary shows @example/extra#test as %s' % (
              statuses(s, task_map).get('@example/extra#test')))
    expect_noop(ws, 'run after adding packages/extra')

    # -- a new test file, nothing else changed (not even `git add`) ----------
    write(ws, 'packages/service/test/late.test.js',
          '"use strict";\n'
          'const test = require("node:test");\n'
          'const assert = require("node:assert/strict");\n'
          'const { handle } = require("../src/index.js");\n\n'
          'test("a test file added after the first build", () => {\n'
          '  assert.equal(handle("/initials/Alan%20Turing").body, "A.T.");\n'
          '});\n')
    p, s = ws.build('after adding packages/service/test/late.test.js')
    check('a test file added after the first build' in p.stdout,
          'the new service test did not run; output:\n%s' % indent(p.stdout))
    r = ran(s, task_map)
    check('@example/service#test' in r, 'summary: @example/service#test did not run (%s)' % sorted(r))
    unrelated = r & {'@example/greet#build', '@example/cli#build', '@example/cli#test',
                     '@example/style#lint'}
    check(not unrelated, 'adding a test file to @example/service reran unrelated tasks: %s' % sorted(unrelated))
    expect_noop(ws, 'run after adding the service test')

    # -- a new source file in greet, exported from index.ts ---------------------
    write(ws, 'packages/greet/src/extra.ts',
          '/** A farewell for one name. */\n'
          'export function farewell(name: string): string {\n'
          '  return `Goodbye, ${name}!`;\n'
          '}\n')
    index = os.path.join(ws.dir, 'packages/greet/src/index.ts')
    with open(index, 'a') as f:
        f.write('\nexport { farewell } from "./extra";\n')
    write(ws, 'packages/service/test/farewell.test.js',
          '"use strict";\n'
          'const test = require("node:test");\n'
          'const assert = require("node:assert/strict");\n'
          'const { farewell } = require("@example/greet");\n\n'
          'test("greet exports farewell from its new file", () => {\n'
          '  assert.equal(farewell("Ada"), "Goodbye, Ada!");\n'
          '});\n')
    p, s = ws.build('after adding packages/greet/src/extra.ts')
    check(os.path.isfile(os.path.join(ws.dir, 'packages/greet/dist/extra.js')),
          'packages/greet/dist/extra.js was not built; output:\n%s' % indent(p.stdout))
    check('greet exports farewell from its new file' in p.stdout and '# fail 0' in p.stdout
          and '# fail 1' not in p.stdout,
          'the test using the new greet file did not run or failed:\n%s' % indent(p.stdout))
    r = ran(s, task_map)
    for t in ['@example/greet#build', '@example/greet#typecheck', '@example/service#test']:
        check(t in r, 'after adding greet/src/extra.ts: %s did not run (ran: %s)' % (t, sorted(r)))
    check('@example/style#lint' not in r, 'after adding greet/src/extra.ts: @example/style#lint reran')
    expect_noop(ws, 'run after adding greet/src/extra.ts')

    # -- dist/ deleted by hand: it must come back whole ----------------------------
    before = dist_digests(ws)
    check(len(before) >= 6, 'expected at least 6 files under packages/*/dist, found %s' % sorted(before))
    for pkg in ('greet', 'cli'):
        shutil.rmtree(os.path.join(ws.dir, 'packages', pkg, 'dist'))
    p, s = ws.build('after rm -rf packages/*/dist')
    after = dist_digests(ws)
    check(after == before, 'after rm -rf packages/*/dist: the trees did not come back as they were '
          '(missing: %s, changed: %s); output:\n%s' % (
              sorted(set(before) - set(after)),
              sorted(k for k in before if k in after and before[k] != after[k]), indent(p.stdout)))
    expect_noop(ws, 'run after restoring dist/')

    # -- clean, then everything back from the cache ------------------------------
    p = ws.tool('clean')
    left = [d for d in ('greet', 'cli') if os.path.exists(os.path.join(ws.dir, 'packages', d, 'dist'))]
    check(not left, '`composer -t clean` left packages/%s/dist; output:\n%s' % (
        left, indent(p.stdout)))
    p, s = ws.build('rebuild after -t clean')
    after = dist_digests(ws)
    check(after == before, 'rebuild after -t clean: dist trees differ from before the clean:\n'
          '  missing: %s\n  new: %s\n  changed: %s' % (
              sorted(set(before) - set(after)), sorted(set(after) - set(before)),
              sorted(k for k in before if k in after and before[k] != after[k])))
    st = statuses(s, task_map)
    not_cached = {t: sorted(st.get(t, set())) for t in builds if st.get(t) != {'cached-local'}}
    check(not not_cached, 'rebuild after -t clean: build tasks not restored from the local cache '
          '(status per task): %s\noutput:\n%s' % (not_cached, indent(p.stdout)))
    hits = s.get('cache', {}).get('hits_local', 0)
    check(hits >= len(builds), 'rebuild after -t clean: summary counts %d local hits for %d build '
          'tasks' % (hits, len(builds)))
    log('after -t clean: ' + ', '.join('%s=%s' % (t, '/'.join(sorted(v))) for t, v in sorted(st.items())))
    expect_noop(ws, 'run after the rebuild from the cache')


if __name__ == '__main__':
    sys.exit(main())
