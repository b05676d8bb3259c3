#!/usr/bin/env bash
# The two commands of the README's quick start, for a fresh Debian 12 machine:
#   ./dev.sh serve [serve options]   install what is missing, build, run the gateway (demo by default)
#   ./dev.sh test                    install what is missing, build, run the whole test suite
# Also: ./dev.sh build (install and build only).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
PACKAGES=(cmake make g++ pkg-config ca-certificates openssl curl
          libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libssl-dev catch2)
# Only the test suite needs a browser (the web inbox's end-to-end test) and a
# PostgreSQL server (a throwaway cluster, tests/postgres/cluster.sh).
TEST_PACKAGES=(chromium chromium-driver postgresql-15)

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUARADESA_WERROR="$werror" >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  serve)
    install_packages
    build
    exec "$BUILD_DIR/suaradesa" serve "$@"
    ;;
  test)
    install_packages "${TEST_PACKAGES[@]}"
    build
    # The PostgreSQL tests run against a cluster of their own, removed on exit.
    PG_DIR=$(mktemp -d -t suaradesa-pg.XXXXXX)
    trap 'tests/postgres/cluster.sh stop "$PG_DIR"' EXIT
    SUARADESA_TEST_PG_URL=$(tests/postgres/cluster.sh start "$PG_DIR")
    export SUARADESA_TEST_PG_URL
    (cd "$BUILD_DIR" && ctest --output-on-failure -j "$(nproc)" --timeout 300)
    ;;
  build)
    install_packages
    build
    ;;
  *)
    echo "usage: ./dev.sh serve|test|build" >&2
    exit 2
    ;;
esac
