#!/usr/bin/env bash
# The whole test suite: what CI runs and what README's second command runs.
#   gcc build with -Werror and every test; clang build with -Werror;
#   ASan+UBSan build running the unit and black-box tests; the bootstrap.
# Usage: misc/test.sh [--quick]   (--quick: the gcc build and its tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

step() { printf '\n=== %s\n' "$*"; }

step "g++: build and test"
cmake -S . -B build/ci-gcc -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/ci-gcc
ctest --test-dir build/ci-gcc --output-on-failure -j "$jobs"
[ $quick = 1 ] && exit 0

step "clang++: build"
cmake -S . -B build/ci-clang -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build/ci-clang

step "ASan+UBSan: build and test"
cmake -S . -B build/ci-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMPOSER_SANITIZE=ON \
  -DCOMPOSER_BENCH=OFF -DCMAKE_CXX_COMPILER=g++ -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/ci-asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/ci-asan --output-on-failure -j "$jobs"

step "bootstrap: configure.py without CMake"
rm -rf build/ci-boot
python3 configure.py --bootstrap --builddir build/ci-boot
build/ci-boot/composer --version
build/ci-boot/composer -C examples/hello -t commands >/dev/null

step "all tests passed"
