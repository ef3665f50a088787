#!/usr/bin/env bash
# Installs every Debian package Composer needs to build, test and benchmark.
# Run as root on Debian bookworm; as another user it only reports what is missing.
set -euo pipefail

packages=(
  # toolchain and generators
  g++ clang cmake make pkg-config python3 git re2c lemon
  # libraries (doc/dependencies.md says why each one is here)
  libxxhash-dev libzstd-dev libgit2-dev libssl-dev
  libcurl4-openssl-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # reference implementations and real projects the tests compare against
  ninja-build googletest meson
  # services and tools the tests drive
  nginx-light libnginx-mod-http-dav-ext openssl curl
  # the cache benchmark's reference (bench/cache_compare.py)
  ccache
)
# The npm generator's example and tests (examples/monorepo, tests/npm) run
# real node and npm: Debian's, unless some are already on the PATH (a newer
# Node from elsewhere must not be replaced).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "misc/setup.sh: missing packages (run as root to install): ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "misc/setup.sh: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
