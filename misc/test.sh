#!/usr/bin/env bash
# The whole test suite: what CI runs and what README's second command runs.
#   gcc build with -Werror and every test; the bootstrap, then composer
#   building itself; clang build with -Werror, run by composer as CMake's
#   make program; ASan+UBSan build running the unit and black-box tests.
# Usage: misc/test.sh [--quick]   (--quick: the gcc build and its tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

step() { printf '\n=== %s\n' "$*"; }
fail() { printf 'misc/test.sh: %s\n' "$*" >&2; exit 1; }
# Runs a build that must find nothing to do.
expect_no_work() {
  local out
  out=$("$@") || fail "$* failed"
  printf '%s\n' "$out"
  grep -q 'no work to do' <<<"$out" || fail "$* had work to do"
}

step "g++: build and test"
cmake -S . -B build/ci-gcc -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/ci-gcc
ctest --test-dir build/ci-gcc --output-on-failure -j "$jobs"
[ $quick = 1 ] && exit 0

step "bootstrap: configure.py without CMake, then composer builds itself"
rm -rf build/ci-boot
python3 configure.py --bootstrap --builddir build/ci-boot
build/ci-boot/composer --version
build/ci-boot/composer -C examples/hello -t commands >/dev/null
# The bootstrap logs nothing, so the first build from build.composer runs
# everything again (as ninja's own bootstrap does); the next has no work.
build/ci-boot/composer -C build/ci-boot
expect_no_work build/ci-boot/composer -C build/ci-boot

step "clang++: build with composer as CMake's make program"
cmake -S . -B build/ci-clang -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_MAKE_PROGRAM="$PWD/build/ci-boot/composer" >/dev/null
cmake --build build/ci-clang
[ -f build/ci-clang/.composer_db ] || fail "cmake --build build/ci-clang did not run composer"
expect_no_work cmake --build build/ci-clang

step "ASan+UBSan: build and test"
cmake -S . -B build/ci-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMPOSER_SANITIZE=ON \
  -DCOMPOSER_BENCH=OFF -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/ci-asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/ci-asan --output-on-failure -j "$jobs"

step "all tests passed"
