#!/usr/bin/env python3
"""composer -t npm with pnpm and yarn classic, end to end, on examples/monorepo.

    python3 tests/npm/flavours_e2e.py --composer /abs/path/to/composer [--keep]

tests/npm/monorepo_e2e.py covers npm in depth; this one checks that the
other package managers' workspaces build the same way. It installs pnpm 9
and yarn 1 from the npm registry into a scratch prefix, then for each:
converts a copy of the example (pnpm: pnpm-workspace.yaml and
"workspace:*" specs; yarn: yarn.lock), installs with that package manager
(so the generated install step must find it current and skip it: the
lockfile and package.json files are dated before the install, as in a CI
checkout), and runs
the generator, a cold build, a no-op, `-t clean` and a rebuild that the
content cache must serve whole, with byte-identical dist/ trees.

Standard library only; exits 1 with a message at the first failed check.
"""

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'monorepo')
TASKS = 6  # the example's tasks: 2 builds, 2 tests, a lint, a typecheck


class Failure(Exception):
    pass


def run(argv, cwd, env, expect=0):
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if expect is not None and p.returncode != expect:
        raise Failure('`%s` in %s exited %d:\n%s' % (' '.join(argv), cwd, p.returncode,
                                                      p.stdout))
    return p.stdout


def dist_digests(ws):
    digests = {}
    for path in sorted(glob.glob(os.path.join(ws, 'packages', '*', 'dist', '**'),
                                 recursive=True)):
        if os.path.isfile(path):
            with open(path, 'rb') as f:
                digests[os.path.relpath(path, ws)] = hashlib.sha256(f.read()).hexdigest()
    return digests


def to_pnpm(ws):
    with open(os.path.join(ws, 'package.json')) as f:
        root = json.load(f)
    root.pop('workspaces')
    with open(os.path.join(ws, 'package.json'), 'w') as f:
        json.dump(root, f, indent=2)
    with open(os.path.join(ws, 'pnpm-workspace.yaml'), 'w') as f:
        f.write("packages:\n  - 'packages/*'\n")
    for path in glob.glob(os.path.join(ws, 'packages', '*', 'package.json')):
        with open(path) as f:
            package = json.load(f)
        for field in ('dependencies', 'devDependencies'):
            for name in package.get(field, {}):
                if name.startswith('@example/'):
                    package[field][name] = 'workspace:*'
        with open(path, 'w') as f:
            json.dump(package, f, indent=2)


def check_flavour(name, composer, scratch, env, convert, install, expect_install):
    ws = os.path.join(scratch, name)
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns(
        'node_modules', 'dist', '.composer', 'build.composer', '.composer_*', 'package-lock.json'))
    if convert:
        convert(ws)
    run(install, ws, env)
    # As in a CI job, the lockfile and package.json files come from the
    # checkout, before the install: this install also wrote the lockfile,
    # possibly after its own record of the install (yarn does, in the same
    # clock tick), so date them back a minute.
    past = time.time() - 60
    for path in ([os.path.join(ws, name) for name in ('package.json', 'pnpm-lock.yaml',
                                                        'yarn.lock')] +
                 glob.glob(os.path.join(ws, 'packages', '*', 'package.json'))):
        if os.path.exists(path):
            os.utime(path, (past, past))
    run(['git', 'init', '-q'], ws, env)
    run(['git', 'add', '-A'], ws, env)
    run(['git', '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x'], ws, env)

    out = run([composer, '-t', 'npm'], ws, env)
    print('%s: %s' % (name, out.strip()))
    with open(os.path.join(ws, 'build.composer')) as f:
        manifest = f.read()
    if expect_install not in manifest:
        raise Failure('%s: build.composer does not install with `%s`:\n%s' % (
            name, expect_install, manifest))

    cold = run([composer], ws, env)
    if 'already installed' not in cold:
        raise Failure('%s: the install step ran although %s had just installed:\n%s' % (
            name, install[0], cold))
    if 'ran 7 commands' not in cold or '# pass 3' not in cold:
        raise Failure('%s: the cold build did not run every task and test:\n%s' % (name, cold))
    print('%s: cold build: %s' % (name, cold.strip().splitlines()[-1]))
    before = dist_digests(ws)
    if not any(p.endswith('greet/dist/index.js') for p in before):
        raise Failure('%s: no packages/greet/dist/index.js after the cold build' % name)

    noop = run([composer], ws, env)
    if noop.strip() != 'composer: no work to do.':
        raise Failure('%s: the second build was not a no-op:\n%s' % (name, noop))

    run([composer, '-t', 'clean'], ws, env)
    if dist_digests(ws):
        raise Failure('%s: -t clean left dist/ files' % name)
    warm = run([composer], ws, env)
    if 'restored %d from the cache' % TASKS not in warm:
        raise Failure('%s: the rebuild after -t clean was not served by the cache:\n%s' % (
            name, warm))
    if dist_digests(ws) != before:
        raise Failure('%s: dist/ after the cache rebuild differs from the cold build' % name)
    print('%s: after -t clean: %s' % (name, warm.strip().splitlines()[-1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--composer', required=True)
    parser.add_argument('--keep', action='store_true')
    args = parser.parse_args()
    composer = os.path.abspath(args.composer)
    scratch = tempfile.mkdtemp(prefix='composer-npm-flavours-')
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('COMPOSER_', 'NINJA_', 'npm_')) and k != 'MAKEFLAGS'}
    env.update({
        'PATH': os.path.join(scratch, 'tools', 'node_modules', '.bin') + os.pathsep +
                env.get('PATH', ''),
        'COMPOSER_CACHE_DIR': os.path.join(scratch, 'cache'),
        'npm_config_cache': os.path.join(scratch, 'npm-cache'),
        'npm_config_update_notifier': 'false',
        'npm_config_fund': 'false',
        'npm_config_audit': 'false',
        'YARN_CACHE_FOLDER': os.path.join(scratch, 'yarn-cache'),
        'NO_COLOR': '1',
    })
    try:
        run(['npm', 'install', '--silent', '--no-save', '--prefix',
             os.path.join(scratch, 'tools'), 'pnpm@9', 'yarn@1'], scratch, env)
        env['npm_config_store_dir'] = os.path.join(scratch, 'pnpm-store')
        check_flavour('pnpm', composer, scratch, env, to_pnpm, ['pnpm', 'install', '--silent'],
                      'pnpm install --frozen-lockfile')
        check_flavour('yarn', composer, scratch, env, None, ['yarn', 'install', '--silent'],
                      'yarn install --frozen-lockfile')
    except Failure as e:
        print('flavours_e2e: FAIL: %s' % e, file=sys.stderr)
        print('flavours_e2e: kept %s' % scratch, file=sys.stderr)
        return 1
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    print('flavours_e2e: PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
