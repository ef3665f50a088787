#!/usr/bin/env python3
"""Writes a Chromium-shaped fake project for benchmarking build executors.

    bench/gen_manifests.py DIR [--targets N] [--seed S]

DIR receives:

  build.ninja             shared variables, a pool, the rules, one `subninja`
                          per target, a phony `all` and `default all`
  ninja/<comp>/<t>.ninja  one per target: its flags, its compile edges (gcc
                          depfiles, `deps = gcc`), code generation with a
                          target-local rule, resource copies, a static
                          library, a stamp with order-only edges to the stamps
                          of the targets it depends on, unit tests linked into
                          a test binary, sometimes a tool binary
  src/                    every source, header, .proto and data file the
                          manifests name (small, but with real #include lines)
  tools/fake_tool         bench/fake_tool.c, compiled here with `cc`
                          (or --fake-tool PATH to copy a prebuilt one)
  bench_info.json         counts, and the header bench/compare.py edits for
                          its incremental measurement

Outputs go under DIR/out; the logs beside build.ninja. Run the build from
DIR (`ninja -C DIR`). Every command runs tools/fake_tool with plain words (no
quotes, `;`, `&&` or redirections), so an executor may exec it directly.

The shape, per target (a "component" is a run of neighbouring targets):
  * 20..44 hand-written sources, each with its own header;
  * a .cc includes its header, a few headers of its own target, public
    headers of the targets it depends on (which include theirs), and a few
    "base" headers chosen with a strong bias towards the foundational ones;
    base headers include lower base headers, so one edit to a low header
    dirties a large share of the build, as in a real tree;
  * 40% of targets generate code: per .proto, one edge of a rule declared
    in the target's own file writes a .pb.h and a .pb.cc; sources include
    the .pb.h, so every compile edge of the target and of the targets
    depending on it waits (order-only) for the generator's stamp;
  * half of the targets have unit tests, linked into out/bin/<t>_unittests
    with the libraries of their dependencies (two levels deep);
  * resource copies, the library's `alink`, the target's stamp and a phony
    alias by the target's short name.
At --targets 1500 this is about 90k build statements and 25 MB of manifest.
The structure depends only on --targets and --seed.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = """
accessibility address allocator animation annotation apps audio autofill
background battery blink bookmarks bounds browser buffer bus cache canvas
capture cast cert channel clipboard codec color command compositor config
content cookie crash crypto cursor data database decoder delegate device
display dns download drag drive editing encoder event extension feature
file filter font frame geometry gesture gpu graphics handle history host
http image input ipc keyboard layer layout loader locale login manager
media memory message metrics model mojo navigation net network notification
observer omnibox origin paint password permission platform policy pref
printing process profile proxy quic quota raster reader render resource
scheduler screen script search security sensor service session settings
shell socket speech storage stream style surface sync task test text theme
thread timer touch trace tracker url usb util video view viz web widget
window worker
""".split()

TOP_DIRS = ["base", "net", "ui", "content", "media", "gpu", "cc", "components",
            "services", "storage", "device", "chrome", "extensions", "third_party"]

ROOT_DEFINES = ("-DUSE_AURA=1 -DUSE_OZONE=1 -D_FILE_OFFSET_BITS=64 -D_LARGEFILE_SOURCE "
                "-D_LARGEFILE64_SOURCE -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS "
                "-D_FORTIFY_SOURCE=2 -D_LIBCPP_HARDENING_MODE=_LIBCPP_HARDENING_MODE_EXTENSIVE "
                "-DCR_CLANG_REVISION=llvmorg-18-init-1174-g2532b68d-1 -DCOMPONENT_BUILD "
                "-DCR_LIBCXX_REVISION=84fb809dd6dae36d556dc0bb702c6cc2ce9d4b80 "
                "-DNDEBUG -DNVALGRIND -DDYNAMIC_ANNOTATIONS_ENABLED=0 -DENABLE_IPC_FUZZER "
                "-DGOOGLE_PROTOBUF_NO_RTTI -DGOOGLE_PROTOBUF_NO_STATIC_INITIALIZER "
                "-DHAVE_PTHREAD -DWEBP_EXTERN=extern -DUSE_UDEV -DUSE_GLIB=1 -DUSE_NSS_CERTS=1")

CFLAGS = ("-fno-delete-null-pointer-checks -fno-ident -fno-strict-aliasing "
          "-fstack-protector -funwind-tables -fPIC -pthread -fcolor-diagnostics "
          "-fmerge-all-constants -fcrash-diagnostics-dir=../../tools/clang/crashreports "
          "-mllvm -instcombine-lower-dbg-declare=0 -ffp-contract=off -m64 -msse3 "
          "-Wno-builtin-macro-redefined -D__DATE__= -D__TIME__= -D__TIMESTAMP__= "
          "-ffile-compilation-dir=. -no-canonical-prefixes -O2 -fdata-sections "
          "-ffunction-sections -fno-unique-section-names -fno-math-errno "
          "-fno-omit-frame-pointer -g0 -fvisibility=hidden -Wheader-hygiene "
          "-Wstring-conversion -Wtautological-overlap-compare -Wall -Wextra -Werror "
          "-Wimplicit-fallthrough -Wextra-semi -Wunreachable-code-aggressive "
          "-Wthread-safety -Wno-missing-field-initializers -Wno-unused-parameter "
          "-Wno-psabi -Wloop-analysis -Wno-unneeded-internal-declaration "
          "-Wno-ignored-pragma-optimize -Wshadow")
CFLAGS_C = "-std=c11"
CFLAGS_CC = ("-std=c++20 -Wno-trigraphs -fno-exceptions -fno-rtti -nostdinc++ "
             "-isystem../../third_party/libc++/src/include -fvisibility-inlines-hidden")
LDFLAGS = ("-Wl,--version-script=../../build/linux/chrome.map -fuse-ld=lld "
           "-Wl,--fatal-warnings -Wl,--build-id=sha1 -fPIC -Wl,-z,noexecstack "
           "-Wl,-z,relro -Wl,--icf=all -Wl,--color-diagnostics -Wl,--no-call-graph-profile-sort "
           "-m64 -no-canonical-prefixes -Wl,-O2 -Wl,--gc-sections -rdynamic -pie "
           "-Wl,--disable-new-dtags")
LIBS = "-ldl -lpthread -lrt -lgmodule-2.0 -lgobject-2.0 -lgthread-2.0 -lglib-2.0 -lnss3 -lsmime3"

TOOL = "tools/fake_tool"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dir", help="directory to write the project into (created)")
    p.add_argument("--targets", type=int, default=1500,
                   help="number of targets (default 1500: ~90k build statements)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--edit-fraction", type=float, default=0.15,
                   help="pick, for bench_info.json, the base header closest to being "
                        "included (transitively) by this fraction of compile edges")
    p.add_argument("--fake-tool", metavar="PATH",
                   help="a compiled bench/fake_tool.c to copy instead of compiling one")
    p.add_argument("--cc", default=os.environ.get("CC", "cc"),
                   help="C compiler for fake_tool.c (default $CC or cc)")
    p.add_argument("--force", action="store_true",
                   help="delete DIR first if it exists")
    args = p.parse_args(argv)
    if args.targets < 1:
        p.error("--targets must be at least 1")
    return args


class Writer:
    """Writes the project's files, creating directories as needed."""

    def __init__(self, root):
        self.root = root
        self.dirs = set()
        self.files = 0
        self.bytes = 0

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        with open(path, "w") as f:
            f.write(text)
        self.files += 1
        self.bytes += len(text)


class Header:
    __slots__ = ("path", "name", "includes", "base_mask", "own_bit")

    def __init__(self, path, name):
        self.path = path        # on disk, relative to the project directory
        self.name = name        # as written in #include "..."
        self.includes = []      # Header objects
        self.base_mask = None   # bit i: base header i is reached (transitively)
        self.own_bit = 0        # base header i: 1 << i


def mask_of(h):
    if h.base_mask is None:
        m = 0
        for inc in h.includes:
            m |= mask_of(inc)
        h.base_mask = m | h.own_bit
    return h.base_mask


class Target:
    def __init__(self, index, comp, name):
        self.index = index
        self.comp = comp                 # e.g. "content/browser"
        self.name = name                 # e.g. "cookie_manager_317"
        self.deps = []                   # Target objects, lower indices
        self.headers = []                # own headers
        self.public = []                 # the headers others may include
        self.protos = []                 # stems
        self.pb_headers = []             # generated Header objects

    @property
    def src_dir(self):
        return f"src/{self.comp}/{self.name}"

    @property
    def obj_dir(self):
        return f"out/obj/{self.comp}/{self.name}"

    @property
    def gen_dir(self):
        return f"out/gen/{self.comp}/{self.name}"

    @property
    def stamp(self):
        return f"out/obj/{self.comp}/{self.name}.stamp"

    @property
    def gen_stamp(self):
        return f"{self.obj_dir}/{self.name}_proto_gen.stamp"

    @property
    def lib(self):
        return f"{self.obj_dir}/lib{self.name}.a"

    @property
    def ninja_file(self):
        return f"ninja/{self.comp}/{self.name}.ninja"


def biased_index(rng, n, power):
    """An index in [0, n) with low indices favoured (more so as power grows)."""
    return min(n - 1, int(n * (rng.random() ** power)))


def unique_stems(rng, count, avoid=()):
    stems, seen = [], set(avoid)
    while len(stems) < count:
        stem = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}"
        if stem in seen:
            stem = f"{stem}_{len(stems)}"
        if stem in seen:
            continue
        seen.add(stem)
        stems.append(stem)
    return stems


def make_base(rng, n_base):
    """Foundational headers (src/base/...), each including lower ones."""
    headers = []
    subdirs = ["", "memory/", "containers/", "strings/", "files/", "task/",
               "synchronization/", "functional/", "numerics/", "types/"]
    names = unique_stems(rng, n_base)
    for i in range(n_base):
        sub = subdirs[i % len(subdirs)] if i >= 4 else ""
        name = f"base/{sub}{names[i]}.h"
        h = Header(f"src/{name}", name)
        h.own_bit = 1 << i
        if i > 0:
            for _ in range(rng.randint(1, 3) if i > 3 else 1):
                j = biased_index(rng, i, 1.6)
                if headers[j] not in h.includes:
                    h.includes.append(headers[j])
        headers.append(h)
    return headers


def make_targets(rng, n_targets):
    n_comps = max(1, round(n_targets / 15))
    comps, seen = [], set()
    for c in range(n_comps):
        top = TOP_DIRS[min(len(TOP_DIRS) - 1, c * len(TOP_DIRS) // n_comps)]
        while True:
            comp = f"{top}/{rng.choice(WORDS)}"
            if comp not in seen:
                break
            comp = f"{comp}{c}"
            if comp not in seen:
                break
        seen.add(comp)
        comps.append(comp)
    targets = []
    for i in range(n_targets):
        comp = comps[i * n_comps // n_targets]
        targets.append(Target(i, comp, f"{rng.choice(WORDS)}_{i}"))
    # Dependencies: a few earlier targets of the same component, a few from
    # lower layers, with the foundational first targets the most popular.
    for t in targets:
        if t.index == 0:
            continue
        same = [u for u in targets[max(0, t.index - 15):t.index] if u.comp == t.comp]
        picks = set()
        for _ in range(rng.randint(0, 2)):
            if same:
                picks.add(rng.choice(same).index)
        for _ in range(rng.randint(1, 3)):
            picks.add(biased_index(rng, t.index, 1.8))
        t.deps = [targets[j] for j in sorted(picks)]
    return targets


def include_lines(headers):
    return "".join(f'#include "{h.name}"\n' for h in headers)


def header_text(h):
    guard = h.name.upper().replace("/", "_").replace(".", "_")
    return f"#pragma once\n// {guard}\n{include_lines(h.includes)}struct {guard.lower()};\n"


def pick_base(rng, base, count, power=1.3):
    chosen = []
    for _ in range(count):
        h = base[biased_index(rng, len(base), power)]
        if h not in chosen:
            chosen.append(h)
    return chosen


def link_libs(t):
    """Own library plus the dependencies' libraries, two levels deep."""
    libs, seen = [t.lib], {t.index}
    for d in t.deps:
        for u in [d] + d.deps:
            if u.index not in seen:
                seen.add(u.index)
                libs.append(u.lib)
    return libs


def root_manifest(targets, all_outputs):
    out = [
        "# Generated by bench/gen_manifests.py: a Chromium-shaped fake project.\n",
        "ninja_required_version = 1.7.2\n\n",
        f"fake = {TOOL}\n",
        "cc = $fake cc\n",
        "cxx = $fake cc\n",
        "ar = $fake ar\n",
        "ld = $fake link\n",
        "root_out_dir = out\n",
        "root_gen_dir = out/gen\n",
        f"root_defines = {ROOT_DEFINES}\n",
        f"root_cflags = {CFLAGS}\n",
        f"ldflags = {LDFLAGS}\n",
        f"libs = {LIBS}\n\n",
        "pool link_pool\n  depth = 2\n\n",
        "rule cc\n"
        "  command = $cc -MMD -MF $out.d $root_defines $defines $include_dirs "
        "$root_cflags $cflags $cflags_c -c $in -o $out\n"
        "  description = CC $out\n"
        "  depfile = $out.d\n"
        "  deps = gcc\n\n",
        "rule cxx\n"
        "  command = $cxx -MMD -MF $out.d $root_defines $defines $include_dirs "
        "$root_cflags $cflags $cflags_cc -c $in -o $out\n"
        "  description = CXX $out\n"
        "  depfile = $out.d\n"
        "  deps = gcc\n\n",
        "rule alink\n"
        "  command = $ar -T -S -r -c -s -D -o $out $in\n"
        "  description = AR $out\n\n",
        "rule link\n"
        "  command = $ld $ldflags -o $out -Wl,--start-group $in -Wl,--end-group $libs\n"
        "  description = LINK $out\n"
        "  pool = link_pool\n\n",
        "rule stamp\n"
        "  command = $fake stamp $out\n"
        "  description = STAMP $out\n\n",
        "rule copy\n"
        "  command = $fake copy $in $out\n"
        "  description = COPY $in $out\n\n",
    ]
    out.extend(f"subninja {t.ninja_file}\n" for t in targets)
    out.append("\nbuild all: phony $\n")
    out.append("".join(f"    {o} $\n" for o in all_outputs[:-1]))
    out.append(f"    {all_outputs[-1]}\n\ndefault all\n")
    return "".join(out)


def generate(args):
    rng = random.Random(args.seed)
    root = os.path.abspath(args.dir)
    if os.path.exists(root):
        if not args.force and os.listdir(root):
            sys.exit(f"gen_manifests.py: {root} exists and is not empty (use --force)")
        if args.force:
            shutil.rmtree(root)
    w = Writer(root)

    n = args.targets
    base = make_base(rng, max(24, round(8 * n ** 0.5)))
    for h in base:
        w.write(h.path, header_text(h))
    targets = make_targets(rng, n)

    stats = dict(targets=n, build_statements=0, compile_edges=0, link_edges=0,
                 codegen_edges=0, copy_edges=0, stamp_edges=0, phony_edges=0,
                 alink_edges=0, subninjas=n, base_headers=len(base))
    compile_masks = []   # per compile edge: the base headers it reaches
    all_outputs = []

    # Headers first (a target's sources include its dependencies' headers).
    for t in targets:
        stems = unique_stems(rng, rng.randint(20, 44))
        t.stems = stems
        t.headers = []
        for k, stem in enumerate(stems):
            name = f"{t.comp}/{t.name}/{stem}.h"
            h = Header(f"src/{name}", name)
            h.includes = pick_base(rng, base, rng.randint(1, 3), power=2.0)
            if k > 0 and rng.random() < 0.5:
                h.includes.append(t.headers[rng.randrange(k)])
            t.headers.append(h)
        t.public = t.headers[:3]
        # Public headers reach the public headers of a dependency.
        for h in t.public:
            if t.deps and rng.random() < 0.6:
                h.includes.append(rng.choice(rng.choice(t.deps).public))
        for h in t.headers:
            w.write(h.path, header_text(h))
        if rng.random() < 0.4:
            t.protos = unique_stems(rng, rng.randint(2, 8), avoid=stems)
            for stem in t.protos:
                proto_incs = pick_base(rng, base, 2, power=1.5)
                w.write(f"{t.src_dir}/proto/{stem}.proto",
                        f"// {stem}.proto\n{include_lines(proto_incs)}message {stem} {{}}\n")
                h = Header(f"{t.gen_dir}/proto/{stem}.pb.h",
                           f"{t.comp}/{t.name}/proto/{stem}.pb.h")
                h.includes = proto_incs
                t.pb_headers.append(h)

    for t in targets:
        lines = [
            f"# //{t.comp}/{t.name}\n",
            f"defines = -DCOMPONENT_{t.name.upper()}_IMPLEMENTATION "
            f"-DIS_{t.comp.split('/')[0].upper()}_IMPL -DTARGET_INDEX={t.index}\n",
            f"include_dirs = -Isrc -Iout/gen -Isrc/{t.comp} "
            f"-Isrc/third_party/abseil-cpp -Isrc/third_party/boringssl/src/include "
            f"-Isrc/third_party/protobuf/src -Iout/gen/{t.comp}\n",
            "cflags = -Wno-shorten-64-to-32 -Wexit-time-destructors\n",
            f"cflags_c = {CFLAGS_C}\n",
            f"cflags_cc = {CFLAGS_CC}\n",
            f"label_name = {t.name}\n",
            f"target_out_dir = {t.obj_dir}\n",
            f"target_output_name = lib{t.name}\n\n",
        ]
        order_only = []
        if t.protos:
            order_only.append(t.gen_stamp)
        order_only += [d.gen_stamp for d in t.deps if d.protos]
        oo = (" || " + " ".join(order_only)) if order_only else ""
        dep_public = [h for d in t.deps for h in d.public]
        dep_pb = [h for d in t.deps for h in d.pb_headers]

        def compile_edge(src, obj, stem, rule, incs):
            lines.append(f"build {obj}: {rule} {src}{oo}\n"
                         f"  source_file_part = {os.path.basename(src)}\n"
                         f"  source_name_part = {stem}\n")
            m = 0
            for h in incs:
                m |= mask_of(h)
            compile_masks.append(m)
            stats["compile_edges"] += 1

        # Code generation: a rule local to this file, as GN writes for actions.
        if t.protos:
            rule = f"__{t.comp.replace('/', '_')}_{t.name}_proto_gen___rule"
            lines.append(f"rule {rule}\n"
                         f"  command = {TOOL} protoc $in $out\n"
                         f"  description = ACTION //{t.comp}/{t.name}:{t.name}_proto_gen\n"
                         f"  restat = 1\n\n")
            gen_outs = []
            for stem in t.protos:
                outs = [f"{t.gen_dir}/proto/{stem}.pb.h", f"{t.gen_dir}/proto/{stem}.pb.cc"]
                lines.append(f"build {outs[0]} {outs[1]}: {rule} "
                             f"{t.src_dir}/proto/{stem}.proto | {TOOL}\n")
                gen_outs += outs
                stats["codegen_edges"] += 1
            lines.append(f"build {t.gen_stamp}: stamp {' '.join(gen_outs)}\n\n")
            stats["stamp_edges"] += 1

        objs = []
        for k, stem in enumerate(t.stems):
            incs = [t.headers[k]]
            others = [h for h in t.headers if h is not t.headers[k]]
            incs += rng.sample(others, min(len(others), rng.randint(1, 3)))
            if dep_public:
                incs += rng.sample(dep_public, min(len(dep_public), rng.randint(1, 3)))
            incs += pick_base(rng, base, rng.randint(2, 5))
            if t.pb_headers and rng.random() < 0.3:
                incs.append(rng.choice(t.pb_headers))
            if dep_pb and rng.random() < 0.2:
                incs.append(rng.choice(dep_pb))
            is_c = rng.random() < 0.05
            src = f"{t.src_dir}/{stem}.{'c' if is_c else 'cc'}"
            w.write(src, f"// {src}\n{include_lines(incs)}int {stem}_{t.index}(void) "
                         f"{{ return {k}; }}\n")
            obj = f"{t.obj_dir}/{stem}.o"
            compile_edge(src, obj, stem, "cc" if is_c else "cxx", incs)
            objs.append(obj)
        for stem, h in zip(t.protos, t.pb_headers):
            src = f"{t.gen_dir}/proto/{stem}.pb.cc"
            obj = f"{t.obj_dir}/proto/{stem}.pb.o"
            compile_edge(src, obj, f"{stem}.pb", "cxx", [h])
            objs.append(obj)

        lines.append(f"\nbuild {t.lib}: alink {' '.join(objs)}\n"
                     f"  arflags = -T\n"
                     f"  output_extension = .a\n\n")
        stats["alink_edges"] += 1

        # Resources copied next to the binaries.
        copies = []
        for stem in unique_stems(rng, rng.randint(4, 20)):
            src = f"{t.src_dir}/data/{stem}.json"
            w.write(src, f'{{"{stem}": {t.index}}}\n')
            dst = f"out/resources/{t.comp}/{t.name}/{stem}.json"
            lines.append(f"build {dst}: copy {src}\n")
            copies.append(dst)
            stats["copy_edges"] += 1

        dep_stamps = " ".join(d.stamp for d in t.deps)
        lines.append(f"\nbuild {t.stamp}: stamp {t.lib} {' '.join(copies)}"
                     f"{' || ' + dep_stamps if dep_stamps else ''}\n")
        lines.append(f"build {t.name}: phony {t.stamp}\n")
        stats["stamp_edges"] += 1
        stats["phony_edges"] += 1
        all_outputs.append(t.stamp)

        libs = link_libs(t)
        if rng.random() < 0.5:
            test_objs = []
            for stem in unique_stems(rng, rng.randint(6, 20), avoid=t.stems):
                src = f"{t.src_dir}/{stem}_unittest.cc"
                incs = rng.sample(t.headers, min(len(t.headers), rng.randint(1, 4)))
                incs += pick_base(rng, base, rng.randint(2, 4))
                w.write(src, f"// {src}\n{include_lines(incs)}"
                             f"void Test_{stem}_{t.index}(void) {{}}\n")
                obj = f"{t.obj_dir}/{stem}_unittest.o"
                compile_edge(src, obj, f"{stem}_unittest", "cxx", incs)
                test_objs.append(obj)
            exe = f"out/bin/{t.name}_unittests"
            lines.append(f"\nbuild {exe}: link {' '.join(test_objs + libs)} || {t.stamp}\n"
                         f"  output_extension = \n"
                         f"build {t.name}_unittests: phony {exe}\n")
            stats["link_edges"] += 1
            stats["phony_edges"] += 1
            all_outputs.append(exe)
        if t.index % 10 == 9:
            src = f"{t.src_dir}/{t.name}_main.cc"
            w.write(src, f"// {src}\n{include_lines(t.public)}int main(void) {{ return 0; }}\n")
            obj = f"{t.obj_dir}/{t.name}_main.o"
            compile_edge(src, obj, f"{t.name}_main", "cxx", t.public)
            exe = f"out/bin/{t.name}"
            lines.append(f"build {exe}: link {obj} {' '.join(libs)} || {t.stamp}\n")
            stats["link_edges"] += 1
            all_outputs.append(exe)

        w.write(t.ninja_file, "".join(lines))

    stats["phony_edges"] += 1  # all
    root_text = root_manifest(targets, all_outputs)
    w.write("build.ninja", root_text)

    stats["build_statements"] = sum(stats[k] for k in (
        "compile_edges", "link_edges", "codegen_edges", "copy_edges", "stamp_edges",
        "phony_edges", "alink_edges"))
    manifest_bytes = len(root_text) + sum(
        os.path.getsize(os.path.join(root, t.ninja_file)) for t in targets)
    stats["manifest_bytes"] = manifest_bytes
    stats["files_written"] = w.files

    # The header to edit for an incremental build: a base header reached by
    # about --edit-fraction of the compile edges.
    users = [0] * len(base)
    for m in compile_masks:
        i = 0
        while m:
            if m & 1:
                users[i] += 1
            m >>= 1
            i += 1
    total = stats["compile_edges"]
    best = min(range(len(base)), key=lambda i: abs(users[i] / total - args.edit_fraction))
    stats["edit_header"] = base[best].path
    stats["edit_header_compile_users"] = users[best]
    stats["most_included_header"] = base[max(range(len(base)), key=lambda i: users[i])].path
    stats["most_included_header_users"] = max(users)

    install_tool(args, root)
    with open(os.path.join(root, "bench_info.json"), "w") as f:
        json.dump(stats, f, indent=2)
        f.write("\n")
    return stats


def install_tool(args, root):
    dest = os.path.join(root, TOOL)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if args.fake_tool:
        shutil.copy2(args.fake_tool, dest)
        return
    source = os.path.join(HERE, "fake_tool.c")
    cmd = [args.cc, "-O2", "-o", dest, source]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"gen_manifests.py: compiling fake_tool failed:\n{' '.join(cmd)}\n{r.stderr}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    stats = generate(args)
    print(f"{args.dir}: {stats['targets']} targets, {stats['build_statements']} build "
          f"statements ({stats['compile_edges']} compiles), "
          f"{stats['manifest_bytes'] / 1e6:.1f} MB of manifest, "
          f"{stats['files_written']} files; editing {stats['edit_header']} dirties "
          f"{stats['edit_header_compile_users']} compiles "
          f"({100 * stats['edit_header_compile_users'] / stats['compile_edges']:.0f}%)")


if __name__ == "__main__":
    main()
