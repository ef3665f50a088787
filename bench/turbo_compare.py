#!/usr/bin/env python3
"""Composer's npm generator side by side with Turborepo on examples/monorepo.

    python3 bench/turbo_compare.py --composer PATH [--runs N] [--turbo-version V]
                                   [--scratch DIR] [--keep]

Makes two identical git copies of the example workspace in a scratch
directory, one for each tool (turbo writes logs into the packages, which
would otherwise look like new files to the generator), installs turbo with
npm into a separate prefix, writes a turbo.json equivalent to the
generator's defaults, and then, over N rounds that alternate which tool goes
first, times:

  cold       nothing built, caches empty, node_modules gone: the whole
             `npm ci` + build + test + lint + typecheck
             (turbo: `npm ci && turbo run ...`; composer's build file runs
             `npm ci` itself)
  no-op      the same command again right away (turbo: FULL TURBO; composer:
             no work to do)
  warm       packages/*/dist deleted, caches kept
  clean      composer only: `composer -t clean`, cache kept

and prints medians (min-max) and the ratio composer/turbo. It also compares
the task graphs: turbo's `--dry=json` against the statements behind
composer's `pkg#task` phonies (`-t targets all`, `-t query`).

Standard library only. Turbo's telemetry and update checks are turned off
through the environment; npm needs the registry (or a warm npm cache).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, 'examples', 'monorepo')
TASKS = ['build', 'test', 'lint', 'typecheck']
TURBO_JSON = {
    '$schema': 'https://turborepo.com/schema.json',
    'tasks': {
        'build': {'dependsOn': ['^build'], 'outputs': ['dist/**']},
        'test': {'dependsOn': ['build', '^build'], 'outputs': []},
        'lint': {'dependsOn': ['build', '^build'], 'outputs': []},
        'typecheck': {'dependsOn': ['build', '^build'], 'outputs': []},
    },
}
STATE_FILES = ['.ninja_log', '.ninja_deps', '.composer_db', '.composer_graph',
               '.composer_digests']


def log(message):
    print('turbo_compare: ' + message, file=sys.stderr, flush=True)


def ignore_generated(directory, names):
    skip = {'node_modules', 'dist', '.composer', 'build.composer', '.turbo'}
    return [n for n in names
            if n in skip or n.startswith('.composer_') or n.endswith('.tsbuildinfo')]


class Bench:
    def __init__(self, args):
        self.composer = os.path.abspath(args.composer)
        self.scratch = os.path.abspath(args.scratch) if args.scratch else tempfile.mkdtemp(
            prefix='turbo-compare-')
        os.makedirs(self.scratch, exist_ok=True)
        self.cws = os.path.join(self.scratch, 'ws-composer')
        self.tws = os.path.join(self.scratch, 'ws-turbo')
        self.turbo_prefix = os.path.join(self.scratch, 'turbo-tool')
        self.turbo = os.path.join(self.turbo_prefix, 'node_modules', '.bin', 'turbo')
        self.composer_cache = os.path.join(self.scratch, 'composer-cache')
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(('COMPOSER_', 'NINJA_', 'TURBO_', 'npm_'))}
        env.update({
            'COMPOSER_CACHE_DIR': self.composer_cache,
            'npm_config_cache': os.path.join(self.scratch, 'npm-cache'),
            'npm_config_update_notifier': 'false',
            'npm_config_fund': 'false',
            'npm_config_audit': 'false',
            'TURBO_TELEMETRY_DISABLED': '1',
            'DO_NOT_TRACK': '1',
            'TURBO_NO_UPDATE_NOTIFIER': '1',
            'NO_COLOR': '1',
        })
        self.env = env
        self.problems = []

    def run(self, argv, cwd, check=True):
        t0 = time.monotonic()
        p = subprocess.run(argv, cwd=cwd, env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        p.seconds = time.monotonic() - t0
        if check and p.returncode != 0:
            sys.exit('turbo_compare: `%s` in %s exited %d:\n%s' % (
                ' '.join(argv), cwd, p.returncode, p.stdout))
        return p

    def note(self, message):
        log('NOTE: ' + message)
        self.problems.append(message)

    # -- setup ------------------------------------------------------------
    def setup(self, turbo_version):
        npm_version = self.run(['npm', '--version'], self.scratch).stdout.strip()
        for ws in (self.cws, self.tws):
            if os.path.exists(ws):
                shutil.rmtree(ws)
            shutil.copytree(EXAMPLE, ws, ignore=ignore_generated, symlinks=True)
            pj = os.path.join(ws, 'package.json')
            with open(pj) as f:
                data = json.load(f)
            data['packageManager'] = 'npm@' + npm_version  # turbo 2 wants it
            with open(pj, 'w') as f:
                json.dump(data, f, indent=2)
                f.write('\n')
            with open(os.path.join(ws, '.gitignore'), 'a') as f:
                f.write('.turbo/\n')
            for argv in (['git', 'init', '-q'],
                         ['git', 'config', 'user.name', 'bench'],
                         ['git', 'config', 'user.email', 'bench@example.invalid'],
                         ['git', 'config', 'commit.gpgsign', 'false'],
                         ['git', 'add', '-A'],
                         ['git', 'commit', '-q', '-m', 'example workspace']):
                self.run(argv, ws)
        with open(os.path.join(self.tws, 'turbo.json'), 'w') as f:
            json.dump(TURBO_JSON, f, indent=2)
            f.write('\n')
        self.run(['git', 'add', 'turbo.json'], self.tws)
        self.run(['git', 'commit', '-q', '-m', 'turbo.json'], self.tws)

        if not os.access(self.turbo, os.X_OK):
            os.makedirs(self.turbo_prefix, exist_ok=True)
            with open(os.path.join(self.turbo_prefix, 'package.json'), 'w') as f:
                f.write('{"private": true}\n')
            log('installing turbo@%s' % turbo_version)
            self.run(['npm', 'install', '--no-audit', '--no-fund', 'turbo@' + turbo_version],
                     self.turbo_prefix)
        self.versions = {
            'composer': self.run([self.composer, '--version'], self.scratch).stdout.strip(),
            'turbo': self.run([self.turbo, '--version'], self.scratch).stdout.strip().splitlines()[-1],
            'node': self.run(['node', '--version'], self.scratch).stdout.strip(),
            'npm': npm_version,
            'typescript': json.load(open(os.path.join(EXAMPLE, 'package.json')))['devDependencies']['typescript'],
        }
        # Warm npm's own cache so that every cold run pays the same (no download).
        self.run(['npm', 'ci'], self.tws)
        p = self.run([self.composer, '-t', 'npm'], self.cws)
        self.generate_seconds = p.seconds

    # -- composer ---------------------------------------------------------
    def composer_build(self, label):
        p = self.run([self.composer], self.cws, check=False)
        if p.returncode != 0:
            sys.exit('turbo_compare: composer (%s) failed:\n%s' % (label, p.stdout))
        return p

    def composer_cold(self):
        self.run([self.composer, '-t', 'clean'], self.cws)
        shutil.rmtree(self.composer_cache, ignore_errors=True)
        for name in STATE_FILES:
            path = os.path.join(self.cws, name)
            if os.path.exists(path):
                os.remove(path)
        shutil.rmtree(os.path.join(self.cws, 'node_modules'), ignore_errors=True)
        rm_dists(self.cws)
        p = self.composer_build('cold')
        return p.seconds

    def composer_noop(self):
        p = self.composer_build('no-op')
        if 'no work to do' not in p.stdout or re.search(r'^\[\d+/\d+\] ', p.stdout, re.M):
            self.note('composer second run was not a no-op: %s' % ' / '.join(p.stdout.splitlines()))
        return p.seconds

    def composer_warm(self):
        rm_dists(self.cws)
        p = self.composer_build('warm')
        if 'from the cache' not in p.stdout:
            self.note('composer warm run restored nothing: %s' % last_line(p.stdout))
        if not os.path.exists(os.path.join(self.cws, 'packages', 'greet', 'dist', 'index.js')):
            self.note('composer warm run left packages/greet/dist/index.js missing')
        return p.seconds

    def composer_clean(self):
        self.run([self.composer, '-t', 'clean'], self.cws)
        p = self.composer_build('clean')
        self.clean_line = last_line(p.stdout)
        if not os.path.exists(os.path.join(self.cws, 'packages', 'greet', 'dist', 'index.js')):
            self.note('composer after -t clean left packages/greet/dist/index.js missing')
        return p.seconds

    # -- turbo ------------------------------------------------------------
    def turbo_run(self, label, *extra):
        p = self.run([self.turbo, 'run'] + TASKS + list(extra), self.tws, check=False)
        if p.returncode != 0:
            sys.exit('turbo_compare: turbo (%s) failed:\n%s' % (label, p.stdout))
        return p

    def turbo_cold(self):
        for d in [os.path.join(self.tws, '.turbo'), os.path.join(self.tws, 'node_modules')]:
            shutil.rmtree(d, ignore_errors=True)
        for pkg in os.listdir(os.path.join(self.tws, 'packages')):
            shutil.rmtree(os.path.join(self.tws, 'packages', pkg, '.turbo'), ignore_errors=True)
        rm_dists(self.tws)
        ci = self.run(['npm', 'ci'], self.tws)
        p = self.turbo_run('cold')
        if '0 cached' not in p.stdout:
            self.note('turbo cold run hit its cache: %s' % cached_line(p.stdout))
        self.npm_ci_seconds.append(ci.seconds)
        return ci.seconds + p.seconds

    def turbo_noop(self):
        p = self.turbo_run('no-op')
        if 'FULL TURBO' not in p.stdout:
            self.note('turbo second run was not FULL TURBO: %s' % cached_line(p.stdout))
        return p.seconds

    def turbo_warm(self):
        rm_dists(self.tws)
        p = self.turbo_run('warm')
        if not os.path.exists(os.path.join(self.tws, 'packages', 'greet', 'dist', 'index.js')):
            self.note('turbo warm run left packages/greet/dist/index.js missing')
        if 'FULL TURBO' not in p.stdout:
            self.note('turbo warm run missed its cache: %s' % cached_line(p.stdout))
        return p.seconds

    # -- measuring --------------------------------------------------------
    def measure(self, runs):
        self.npm_ci_seconds = []
        times = {(tool, s): [] for tool in ('composer', 'turbo')
                 for s in ('cold', 'no-op', 'warm', 'clean')}
        for i in range(runs):
            order = ['composer', 'turbo'] if i % 2 == 0 else ['turbo', 'composer']
            for tool in order:
                if tool == 'composer':
                    times['composer', 'cold'].append(self.composer_cold())
                    times['composer', 'no-op'].append(self.composer_noop())
                    times['composer', 'warm'].append(self.composer_warm())
                    times['composer', 'clean'].append(self.composer_clean())
                else:
                    times['turbo', 'cold'].append(self.turbo_cold())
                    times['turbo', 'no-op'].append(self.turbo_noop())
                    times['turbo', 'warm'].append(self.turbo_warm())
            log('round %d/%d: composer cold %.2fs no-op %.3fs warm %.2fs clean %.2fs | '
                'turbo cold %.2fs no-op %.3fs warm %.2fs' % (
                    i + 1, runs, times['composer', 'cold'][-1], times['composer', 'no-op'][-1],
                    times['composer', 'warm'][-1], times['composer', 'clean'][-1],
                    times['turbo', 'cold'][-1], times['turbo', 'no-op'][-1],
                    times['turbo', 'warm'][-1]))
        return times

    # -- graphs -----------------------------------------------------------
    def turbo_graph(self):
        p = self.run([self.turbo, 'run'] + TASKS + ['--dry=json'], self.tws)
        text = p.stdout[p.stdout.index('{'):]
        data = json.loads(text)
        real, deps = set(), {}
        for t in data['tasks']:
            deps[t['taskId']] = set(t.get('dependencies', []))
            if t.get('command') != '<NONEXISTENT>':
                real.add(t['taskId'])
        # Tasks a package does not define pass their dependencies through.
        return {t: through(t, deps, real) for t in real}

    def composer_graph(self):
        out = self.run([self.composer, '-t', 'targets', 'all'], self.cws).stdout
        rules = {}
        for line in out.splitlines():
            name, _, rule = line.rpartition(': ')
            rules[name] = rule.strip()
        tasks = sorted(n for n, r in rules.items() if r == 'phony' and '#' in n)
        query = {}

        def inputs(target):
            if target not in query:
                lines = self.run([self.composer, '-t', 'query', target], self.cws).stdout
                found, section = [], None
                for line in lines.splitlines():
                    if line.startswith('  ') and not line.startswith('    '):
                        section = line.strip().split(':')[0]
                    elif line.startswith('    ') and section == 'input':
                        found.append(line.strip().lstrip('|').strip())
                query[target] = found
            return query[target]

        # Each task phony names its own statement's output(s).
        own = {}
        for t in tasks:
            for i in inputs(t):
                if rules.get(i) and rules[i] != 'phony':
                    own.setdefault(i, set()).add(t)
        graph = {}
        for t in tasks:
            deps, seen = set(), set()
            todo = [x for o in inputs(t) if o in own for x in inputs(o)]
            while todo:
                n = todo.pop()
                if n in seen:
                    continue
                seen.add(n)
                if rules.get(n) == 'phony' and '#' in n:
                    deps.add(n)
                elif n in own:
                    deps |= own[n]
                elif n in rules:  # built or phony, but no task's own: look through it
                    todo.extend(inputs(n))
            graph[t] = deps - {t}
        return graph

    def compare_graphs(self):
        tg, cg = self.turbo_graph(), self.composer_graph()
        lines = []
        tset, cset = set(tg), set(cg)
        lines.append('tasks: turbo %d, composer %d%s' % (
            len(tset), len(cset), '' if tset == cset else
            ' (only turbo: %s; only composer: %s)' % (sorted(tset - cset), sorted(cset - tset))))
        te = {(a, b) for a, ds in tg.items() for b in ds}
        ce = {(a, b) for a, ds in cg.items() for b in ds}
        lines.append('direct edges: turbo %d, composer %d: %s' % (
            len(te), len(ce), 'identical' if te == ce else 'differ'))
        for a, b in sorted(te - ce):
            lines.append('  only turbo:    %s -> %s' % (a, b))
        for a, b in sorted(ce - te):
            lines.append('  only composer: %s -> %s' % (a, b))
        tc, cc = closure(tg), closure(cg)
        lines.append('transitive dependencies: %s' % ('identical' if tc == cc else 'differ'))
        if tc != cc:
            for t in sorted(set(tc) | set(cc)):
                if tc.get(t) != cc.get(t):
                    lines.append('  %s: turbo %s, composer %s' % (
                        t, sorted(tc.get(t, ())), sorted(cc.get(t, ()))))
        lines.append('edges (turbo, after passing through tasks packages do not define):')
        for a in sorted(tg):
            lines.append('  %s <- %s' % (a, ', '.join(sorted(tg[a])) or '(none)'))
        return lines


def through(task, deps, real):
    found, todo, seen = set(), list(deps.get(task, ())), set()
    while todo:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        if d in real:
            found.add(d)
        else:
            todo.extend(deps.get(d, ()))
    return found


def closure(graph):
    result = {}
    for t in graph:
        found, todo = set(), list(graph[t])
        while todo:
            d = todo.pop()
            if d not in found:
                found.add(d)
                todo.extend(graph.get(d, ()))
        result[t] = found
    return result


def rm_dists(ws):
    packages = os.path.join(ws, 'packages')
    for pkg in os.listdir(packages):
        shutil.rmtree(os.path.join(packages, pkg, 'dist'), ignore_errors=True)


def last_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1] if lines else '(no output)'


def cached_line(text):
    for line in text.splitlines():
        if 'Cached:' in line:
            return line.strip()
    return last_line(text)


def fmt(values):
    med = statistics.median(values)
    if med < 1:
        return '%.0f ms (%.0f-%.0f)' % (med * 1000, min(values) * 1000, max(values) * 1000)
    return '%.2f s (%.2f-%.2f)' % (med, min(values), max(values))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--composer', required=True)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--turbo-version', default='2')
    ap.add_argument('--scratch', help='work here instead of a new temporary directory')
    ap.add_argument('--keep', action='store_true', help='keep the scratch directory')
    args = ap.parse_args()
    b = Bench(args)
    log('scratch directory %s' % b.scratch)
    b.setup(args.turbo_version)
    graph_lines = b.compare_graphs()
    times = b.measure(args.runs)

    out = []
    out.append('versions: ' + ', '.join('%s %s' % kv for kv in b.versions.items()))
    out.append('machine: %d cores; %d rounds; median (min-max)' % (os.cpu_count(), args.runs))
    out.append('')
    out.append('| scenario | composer | turbo | composer/turbo |')
    out.append('|---|---|---|---|')
    names = {'cold': 'cold: npm ci + all tasks, empty caches',
             'no-op': 'no-op: same command again',
             'warm': 'warm: dist/ deleted, caches kept',
             'clean': 'composer -t clean, cache kept'}
    for s in ('cold', 'no-op', 'warm', 'clean'):
        c, t = times['composer', s], times['turbo', s]
        ratio = '%.2f' % (statistics.median(c) / statistics.median(t)) if t else 'n/a'
        out.append('| %s | %s | %s | %s |' % (names[s], fmt(c), fmt(t) if t else 'n/a', ratio))
    out.append('')
    out.append('`npm ci` alone (inside turbo\'s cold runs): %s; `composer -t npm`: %.0f ms' % (
        fmt(b.npm_ci_seconds), b.generate_seconds * 1000))
    out.append('composer after -t clean: %s' % b.clean_line)
    out.append('')
    out.append('task graphs (turbo --dry=json vs composer -t query):')
    out.extend(graph_lines)
    if b.problems:
        out.append('')
        out.append('problems seen:')
        out.extend('  - ' + p for p in sorted(set(b.problems)))
    print('\n'.join(out))
    if not args.keep and not args.scratch:
        shutil.rmtree(b.scratch, ignore_errors=True)
    else:
        log('kept %s' % b.scratch)
    return 0


if __name__ == '__main__':
    sys.exit(main())
