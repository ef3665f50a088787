#!/usr/bin/env python3
"""Builds Composer without CMake, and writes a manifest that builds it again.

    python3 configure.py [options]              write the manifest only
    python3 configure.py --bootstrap [options]  also compile and link composer,
                                                using only a C++ compiler,
                                                python3, re2c and lemon

Where things go (DIR is --builddir, default build-boot):

  * With the default DIR the manifest is ./build.composer at the project root,
    its objects live in build-boot/ and it links ./composer; --bootstrap also
    leaves a copy of the bootstrap binary at ./composer. So after bootstrapping,
    `./composer` (which reads ./build.composer) rebuilds itself, as Ninja's
    configure.py --bootstrap arranges for ninja.
  * With any other DIR everything stays inside DIR: the manifest is
    DIR/build.composer, its paths are relative to DIR, it links DIR/composer,
    and nothing at the project root is touched, so CI and scratch builds never
    overwrite a developer's ./build.composer or ./composer. Build it with
    `composer -C DIR`.

The manifest is plain Ninja syntax: Debian's ninja builds it too, given
`-f build.composer` (ninja looks for build.ninja by default). It reruns this
script, with the same options, when configure.py changes or a file is added
to or removed from src/ or grammar/ (the source lists are globbed).

Only the Python 3.11 standard library is used.
"""

import argparse
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BUILDDIR = 'build-boot'
DEFAULT_CXX = 'c++'
DEFAULT_LEMON_TEMPLATE = '/usr/share/lemon/lempar.c'
MANIFEST = 'build.composer'
SETUP_HINT = '`bash misc/setup.sh` (as root) installs it'

# Libraries the composer binary links, in link order. Each entry is a
# pkg-config module and the flags to use when pkg-config does not know it.
# This is the one list to extend (its compile flags come from pkg-config too).
# xxhash is used header-only (XXH_INLINE_ALL), so it does not appear here.
LIBRARIES = [
    ('libzstd', ['-lzstd']),      # cache blobs (src/cache/local_store.cc)
    # ('libgit2', ['-lgit2']),
    # ('openssl', ['-lssl', '-lcrypto']),
    ('libcrypto', ['-lcrypto']),  # SHA-256 (src/cache)
    ('libcurl', ['-lcurl']),      # the remote cache (src/cache/remote_store.cc)
]

# What the unit-test binaries (--with-tests) link in addition.
TEST_LIBRARIES = [
    ('gmock', ['-lgmock']),
    ('gtest_main', ['-lgtest_main', '-lgtest']),
]

# Generated sources: every grammar/*.re goes through re2c into generated/<stem>.cc
# and every grammar/*.y through lemon into generated/<stem>.c and .h, all of
# them compiled into the binary. Names that differ from <stem>.cc, as in
# CMakeLists.txt:
RE2C_OUTPUT_NAMES = {'depfile.re': 'depfile_parser.cc'}

WARNINGS = ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter']
# Lemon's parser template is C; these warnings are harmless there.
LEMON_OUTPUT_FLAGS = ['-x', 'c++', '-Wno-unused-variable', '-Wno-implicit-fallthrough',
                      '-Wno-unused-but-set-variable']
SANITIZE_COMPILE = ['-fsanitize=address,undefined', '-fno-omit-frame-pointer',
                    '-fno-sanitize-recover=undefined']
SANITIZE_LINK = ['-fsanitize=address,undefined']


class ConfigureError(Exception):
    pass


# --- finding sources ----------------------------------------------------------

def layers():
    """The folders under src/, each one library in the CMake build."""
    src = os.path.join(ROOT, 'src')
    return sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))


def sources(tests):
    """Root-relative .cc files under src/: the binary's (tests=False) or the
    unit tests (tests=True), which never go into the binary."""
    found = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, 'src')):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith('.cc') and name.endswith('_test.cc') == tests:
                found.append(os.path.relpath(os.path.join(dirpath, name), ROOT))
    return found


# --- tools and flags ------------------------------------------------------------

def grammar_files(suffix):
    directory = os.path.join(ROOT, 'grammar')
    return [os.path.join(directory, name) for name in sorted(os.listdir(directory))
            if name.endswith(suffix)]


def find_tool(command, what):
    words = shlex.split(command)
    if not words:
        raise ConfigureError(f'no {what} given')
    if shutil.which(words[0]) is None:
        raise ConfigureError(f'{what} not found: `{words[0]}` is not on PATH; {SETUP_HINT}')


def pkg_config_flags(entries):
    """(cflags, libs) for a LIBRARIES-style list."""
    cflags, libs = [], []
    have_pkg_config = shutil.which('pkg-config') is not None
    for module, fallback in entries:
        if have_pkg_config and subprocess.run(['pkg-config', '--exists', module]).returncode == 0:
            cflags += shlex.split(subprocess.run(['pkg-config', '--cflags', module], check=True,
                                                 capture_output=True, text=True).stdout)
            libs += shlex.split(subprocess.run(['pkg-config', '--libs', module], check=True,
                                               capture_output=True, text=True).stdout)
        else:
            warn(f'pkg-config does not know {module}; linking {" ".join(fallback)} '
                 f'(if it is missing, {SETUP_HINT})')
            libs += fallback
    return cflags, libs


class Config:
    """Everything decided from the command line and the environment."""

    def __init__(self, args):
        self.args = args
        self.cxx = args.cxx or os.environ.get('CXX') or DEFAULT_CXX
        self.re2c = 're2c'
        self.lemon = 'lemon'
        self.lemon_template = os.path.abspath(args.lemon_template)
        self.env_cxxflags = shlex.split(os.environ.get('CXXFLAGS', ''))
        self.env_ldflags = shlex.split(os.environ.get('LDFLAGS', ''))

        self.builddir = os.path.abspath(args.builddir)
        if self.builddir == ROOT:
            raise ConfigureError('--builddir must not be the project root')
        self.default_builddir = self.builddir == os.path.join(ROOT, DEFAULT_BUILDDIR)
        # Where the manifest goes; its paths are relative to this directory.
        self.manifest_dir = ROOT if self.default_builddir else self.builddir

        cflags = ['-O0' if args.debug else '-O2']
        if args.debug:
            cflags.append('-g')
        self.cxxflags = ['-std=c++20'] + cflags + WARNINGS
        self.ldflags = []
        if args.asan:
            self.cxxflags += SANITIZE_COMPILE
            self.ldflags += SANITIZE_LINK
        lib_cflags, self.libs = pkg_config_flags(LIBRARIES)
        self.cxxflags += lib_cflags
        self.test_cflags, self.test_libs = ([], [])
        if args.with_tests:
            self.test_cflags, self.test_libs = pkg_config_flags(TEST_LIBRARIES)

    def regenerate_command(self):
        """The shell command the manifest's generator edge runs."""
        argv = []
        if not self.default_builddir:
            argv += ['--builddir', self.path(self.builddir, ROOT)]
        if self.cxx != DEFAULT_CXX:
            argv += ['--cxx', self.cxx]
        if self.lemon_template != DEFAULT_LEMON_TEMPLATE:
            argv += ['--lemon-template', self.lemon_template]
        for flag in ('debug', 'asan', 'with_tests'):
            if getattr(self.args, flag):
                argv.append('--' + flag.replace('_', '-'))
        env = [f'{name}={value}' for name in ('CXXFLAGS', 'LDFLAGS')
               if (value := os.environ.get(name))]
        python = sys.executable
        on_path = shutil.which('python3')
        if on_path and os.path.realpath(on_path) == os.path.realpath(python):
            python = 'python3'
        words = (['env'] + env if env else []) + [python, 'configure.py'] + argv
        command = ' '.join(shlex.quote(w) for w in words)
        if self.manifest_dir != ROOT:
            command = f'cd {shlex.quote(self.path(ROOT, self.manifest_dir))} && {command}'
        return command

    @staticmethod
    def path(target, start):
        """target relative to start when it lies under start or both lie in the
        project; otherwise (the lemon template, a build dir elsewhere) absolute."""
        if is_under(target, start) or (is_under(target, ROOT) and is_under(start, ROOT)):
            return os.path.relpath(target, start)
        return target


def is_under(path, directory):
    rel = os.path.relpath(path, directory)
    return rel != '..' and not rel.startswith('..' + os.sep)


def warn(message):
    print(f'configure.py: warning: {message}', file=sys.stderr)


# --- the build plan, shared by the manifest and the bootstrap --------------------

class Plan:
    """Every path is absolute here; the writers make them relative."""

    def __init__(self, config):
        b = config.builddir
        self.gen = os.path.join(b, 'generated')
        # (input, output) for re2c; (input, [.c output, .h output]) for lemon.
        self.re2c = []
        for re in grammar_files('.re'):
            name = os.path.basename(re)
            out = RE2C_OUTPUT_NAMES.get(name, name[:-len('.re')] + '.cc')
            self.re2c.append((re, os.path.join(self.gen, out)))
        self.lemon = []
        for y in grammar_files('.y'):
            stem = os.path.join(self.gen, os.path.basename(y)[:-len('.y')])
            self.lemon.append((y, [stem + '.c', stem + '.h']))
        self.generated = ([out for _, out in self.re2c] +
                          [out for _, outs in self.lemon for out in outs])
        self.includes = [os.path.join(ROOT, 'src'), self.gen]

        def obj(source, base):
            return os.path.join(b, 'obj', os.path.splitext(os.path.relpath(source, base))[0] + '.o')

        # (source, object, extra flags)
        self.compiles = [(os.path.join(ROOT, s), obj(os.path.join(ROOT, s), ROOT), [])
                         for s in sources(tests=False)]
        self.compiles += [(cc, obj(cc, b), []) for _, cc in self.re2c]
        self.compiles += [(c, obj(c, b), LEMON_OUTPUT_FLAGS) for _, (c, _) in self.lemon]
        self.objects = [o for _, o, _ in self.compiles]
        main_o = obj(os.path.join(ROOT, 'src', 'main.cc'), ROOT)
        self.library_objects = [o for o in self.objects if o != main_o]

        # One unit-test binary per layer that has *_test.cc files (--with-tests).
        self.tests = []
        if config.args.with_tests:
            support = os.path.join(ROOT, 'tests', 'support', 'virtual_file_system.cc')
            self.test_support = (support, obj(support, ROOT))
            by_layer = {}
            for s in sources(tests=True):
                layer = s.split(os.sep)[1]
                by_layer.setdefault(layer, []).append(os.path.join(ROOT, s))
            for layer in sorted(by_layer):
                self.tests.append((os.path.join(b, 'tests', f'{layer}_test'),
                                   [(s, obj(s, ROOT)) for s in by_layer[layer]]))


# --- the manifest ---------------------------------------------------------------

def escape_path(path):
    return path.replace('$', '$$').replace(' ', '$ ').replace(':', '$:')


def escape_value(value):
    return value.replace('$', '$$')


class ManifestWriter:
    WIDTH = 78

    def __init__(self):
        self.lines = []

    def comment(self, text):
        self.lines.append(f'# {text}')

    def blank(self):
        self.lines.append('')

    def variable(self, name, value, indent=0):
        if isinstance(value, list):
            value = ' '.join(value)
        head = ' ' * indent + f'{name} ='
        self.lines.append(self.wrap(head, value.split(' '), indent + 4) if value else head)

    def rule(self, name, **bindings):
        self.lines.append(f'rule {name}')
        for key, value in bindings.items():
            self.lines.append(f'  {key} = {value}')

    def build(self, outputs, rule, inputs, implicit=(), order_only=(), **bindings):
        words = [escape_path(o) for o in outputs]
        words[-1] += ':'
        words.append(rule)
        words += [escape_path(i) for i in inputs]
        if implicit:
            words += ['|'] + [escape_path(i) for i in implicit]
        if order_only:
            words += ['||'] + [escape_path(i) for i in order_only]
        self.lines.append(self.wrap('build', words, 4))
        for key, value in bindings.items():
            self.variable(key, value, indent=2)

    def default(self, targets):
        self.lines.append('default ' + ' '.join(escape_path(t) for t in targets))

    def wrap(self, head, words, indent):
        """head followed by words, broken between words with `$` continuations."""
        out, line = [], head
        for word in words:
            if len(line) + 1 + len(word) > self.WIDTH and line.strip() != head.strip():
                out.append(line + ' $')
                line = ' ' * indent + word
            else:
                line += ' ' + word
        out.append(line)
        return '\n'.join(out)

    def text(self):
        return '\n'.join(self.lines) + '\n'


def write_manifest(config, plan):
    here = config.manifest_dir

    def rel(path):
        return Config.path(path, here)

    def rels(paths):
        return [rel(p) for p in paths]

    def flags(words):
        return ' '.join(escape_value(shlex.quote(w)) for w in words)

    w = ManifestWriter()
    w.comment('Generated by configure.py; edits are lost when it reruns.')
    w.comment(f'Regenerate with: {config.regenerate_command()}')
    w.blank()
    w.variable('ninja_required_version', '1.5')
    if here == ROOT:
        w.comment('Where .ninja_log and .ninja_deps go.')
        w.variable('builddir', escape_value(rel(config.builddir)))
    w.blank()
    w.variable('cxx', escape_value(config.cxx))
    w.variable('cxxflags', flags(config.cxxflags + config.env_cxxflags +
                                 ['-I' + rel(p) for p in plan.includes]))
    w.variable('ldflags', flags(config.ldflags + config.env_ldflags))
    w.variable('libs', flags(config.libs))
    w.variable('re2c', escape_value(config.re2c))
    w.variable('lemon', escape_value(config.lemon))
    w.blank()

    w.rule('re2c',
           command='$re2c -W --no-generation-date --no-version -o $out $in',
           description='RE2C $out')
    w.blank()
    w.comment('Lemon leaves an unchanged header alone; restat then spares its users.')
    w.rule('lemon',
           command=f'$lemon -q -l -T{escape_value(shlex.quote(config.lemon_template))} '
                   f'-d{escape_value(shlex.quote(rel(plan.gen)))} $in',
           description='LEMON $in',
           restat='1')
    w.blank()
    w.rule('cxx',
           command='$cxx -MMD -MF $out.d $cxxflags $extra_flags -c $in -o $out',
           depfile='$out.d',
           deps='gcc',
           description='CXX $out')
    w.blank()
    w.rule('link',
           command='$cxx $ldflags -o $out $in $libs',
           description='LINK $out')
    w.blank()
    w.rule('configure',
           command=escape_value(config.regenerate_command()),
           description='CONFIGURE $out',
           generator='1')
    w.blank()

    for re, cc in plan.re2c:
        w.build([rel(cc)], 're2c', [rel(re)])
    for y, outs in plan.lemon:
        w.build(rels(outs), 'lemon', [rel(y)], implicit=[rel(config.lemon_template)])
    w.comment('Sources may include generated headers before their depfiles say so.')
    w.build(['generated_sources'], 'phony', rels(plan.generated))
    w.blank()
    for source, obj, extra in plan.compiles:
        bindings = {'extra_flags': flags(extra)} if extra else {}
        w.build([rel(obj)], 'cxx', [rel(source)], order_only=['generated_sources'], **bindings)
    w.blank()
    binary = os.path.join(here, 'composer')
    w.build([rel(binary)], 'link', rels(plan.objects))
    w.blank()

    if plan.tests:
        test_flags = flags(config.test_cflags + ['-I' + rel(os.path.join(ROOT, 'tests'))])
        support_src, support_obj = plan.test_support
        w.build([rel(support_obj)], 'cxx', [rel(support_src)], order_only=['generated_sources'],
                extra_flags=test_flags)
        for binary_path, test_sources in plan.tests:
            for source, obj in test_sources:
                w.build([rel(obj)], 'cxx', [rel(source)], order_only=['generated_sources'],
                        extra_flags=test_flags)
            w.build([rel(binary_path)], 'link',
                    rels([o for _, o in test_sources] + [support_obj] + plan.library_objects),
                    libs=flags(config.libs + config.test_libs))
        w.build(['unit_tests'], 'phony', rels([t for t, _ in plan.tests]))
        w.blank()

    # Directory inputs: adding or removing a source or grammar file changes the
    # folder's mtime, and the globbed file lists are rebuilt.
    watched = ([os.path.join(ROOT, 'grammar'), os.path.join(ROOT, 'src')] +
               [os.path.join(ROOT, 'src', d) for d in layers()])
    w.build([rel(os.path.join(here, MANIFEST))], 'configure',
            [], implicit=rels([os.path.join(ROOT, 'configure.py')] + watched))
    w.blank()
    w.build(['all'], 'phony', [rel(binary)] + rels([t for t, _ in plan.tests]))
    w.default([rel(binary)])

    path = os.path.join(here, MANIFEST)
    os.makedirs(here, exist_ok=True)
    with open(path + '.tmp', 'w') as f:
        f.write(w.text())
    os.replace(path + '.tmp', path)
    return path


# --- the bootstrap ----------------------------------------------------------------

def shown(path):
    """path as printed: relative to the current directory when under it."""
    return os.path.relpath(path) if is_under(path, os.getcwd()) else path


def run(argv, verbose, label):
    print(' '.join(shlex.quote(a) for a in argv) if verbose else label, flush=True)
    return subprocess.run(argv, capture_output=True, text=True)


def fail_with_output(label, result):
    sys.stderr.write(result.stdout + result.stderr)
    hint = ''
    if 'fatal error:' in result.stderr and ('No such file or directory' in result.stderr or
                                            'file not found' in result.stderr):
        hint = f' (a header is missing; {SETUP_HINT.replace("it", "the libraries")})'
    raise ConfigureError(f'{label} failed{hint}')


def check_tools(config, fatal):
    """Names the first missing tool; a warning when only writing the manifest."""
    for command, what in ((config.cxx, 'C++ compiler'),
                          (config.re2c, 'lexer generator re2c'),
                          (config.lemon, 'parser generator lemon')):
        try:
            find_tool(command, what)
        except ConfigureError as e:
            if fatal:
                raise
            warn(f'{e}; the manifest needs it to build')
    if not os.path.isfile(config.lemon_template):
        message = (f"lemon's template {config.lemon_template} not found "
                   f'(package lemon; {SETUP_HINT}, or pass --lemon-template)')
        if fatal:
            raise ConfigureError(message)
        warn(message)


def bootstrap(config, plan, verbose):
    started = time.monotonic()
    os.makedirs(plan.gen, exist_ok=True)
    steps = [('RE2C ' + shown(cc),
              [config.re2c, '-W', '--no-generation-date', '--no-version', '-o', cc, re])
             for re, cc in plan.re2c]
    steps += [('LEMON ' + shown(y),
               [config.lemon, '-q', '-l', '-T' + config.lemon_template, '-d' + plan.gen, y])
              for y, _ in plan.lemon]
    for label, argv in steps:
        result = run(argv, verbose, label)
        if result.returncode != 0:
            fail_with_output(label, result)
        sys.stderr.write(result.stdout + result.stderr)  # re2c -W warnings

    cxx = shlex.split(config.cxx)
    includes = ['-I' + p for p in plan.includes]
    jobs = []
    for source, obj, extra in plan.compiles:
        os.makedirs(os.path.dirname(obj), exist_ok=True)
        jobs.append((f'CXX {shown(obj)}',
                     cxx + config.cxxflags + config.env_cxxflags + includes + extra +
                     ['-c', source, '-o', obj]))

    workers = os.cpu_count() or 1
    total = len(jobs)
    failed = None
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {pool.submit(subprocess.run, argv, capture_output=True, text=True):
                   (label, argv) for label, argv in jobs}
        done_count = 0
        for future in concurrent.futures.as_completed(pending):
            label, argv = pending[future]
            result = future.result()
            done_count += 1
            line = ' '.join(shlex.quote(a) for a in argv) if verbose else label
            print(f'[{done_count}/{total}] {line}', flush=True)
            sys.stdout.write(result.stdout)
            if result.returncode != 0 and failed is None:
                failed = (label, result)
                pool.shutdown(wait=True, cancel_futures=True)
                break
            sys.stderr.write(result.stderr)
    if failed:
        fail_with_output(*failed)

    binary = os.path.join(config.builddir, 'composer')
    label = 'LINK ' + shown(binary)
    result = run(cxx + config.ldflags + config.env_ldflags + ['-o', binary] + plan.objects +
                 config.libs, verbose, label)
    if result.returncode != 0:
        fail_with_output(label, result)
    sys.stderr.write(result.stdout + result.stderr)

    if config.default_builddir:
        target = os.path.join(ROOT, 'composer')
        shutil.copy2(binary, target + '.tmp')
        os.replace(target + '.tmp', target)
        print(f'copied {shown(binary)} to {shown(target)}')
    print(f'bootstrap finished in {time.monotonic() - started:.1f}s '
          f'({total} files, {workers} jobs)')


# --- main -------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description='Write the manifest that builds composer; with --bootstrap, also '
                    'build composer without CMake or ninja.')
    p.add_argument('--bootstrap', action='store_true',
                   help='compile and link composer now (needs a C++ compiler, re2c, lemon)')
    p.add_argument('--builddir', default=os.path.join(ROOT, DEFAULT_BUILDDIR), metavar='DIR',
                   help=f'build directory (default: {DEFAULT_BUILDDIR}/ in the project). '
                        'With the default the manifest is ./build.composer and the binary '
                        './composer; otherwise both go into DIR')
    p.add_argument('--cxx', metavar='CXX',
                   help=f'C++ compiler (default: $CXX, else {DEFAULT_CXX})')
    p.add_argument('--debug', action='store_true', help='-O0 -g instead of -O2')
    p.add_argument('--asan', action='store_true',
                   help='build with AddressSanitizer and UndefinedBehaviorSanitizer')
    p.add_argument('--with-tests', action='store_true',
                   help="add the unit-test binaries (target 'unit_tests') to the manifest")
    p.add_argument('--lemon-template', default=DEFAULT_LEMON_TEMPLATE, metavar='FILE',
                   help=f"lemon's parser template (default: {DEFAULT_LEMON_TEMPLATE})")
    p.add_argument('-v', '--verbose', action='store_true',
                   help='print full command lines while bootstrapping')
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        config = Config(args)
        plan = Plan(config)
        check_tools(config, fatal=args.bootstrap)
        manifest = write_manifest(config, plan)
        print(f'wrote {shown(manifest)}')
        if args.bootstrap:
            bootstrap(config, plan, args.verbose)
    except ConfigureError as e:
        print(f'configure.py: error: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
