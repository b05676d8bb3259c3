#!/usr/bin/env bash
# The two commands of the README's quick start, for a fresh Debian 12 machine:
#   ./dev.sh serve [serve options]   install what is missing, build the gateway only, run it (demo by default)
#   ./dev.sh test                    install what is missing, build everything, run the whole test suite,
#                                    build the Debian package and inspect it (packaging/check-package.sh)
# Also: ./dev.sh build (install and build everything), ./dev.sh package (build, then the .deb only).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
PACKAGES=(cmake make g++ pkg-config ca-certificates openssl curl
          libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libssl-dev catch2)
# Only the test suite needs a browser (the web inbox's end-to-end test) and a
# PostgreSQL server (a throwaway cluster, tests/postgres/cluster.sh); the
# package check needs dpkg-shlibdeps (dpkg-dev) and file (CPack's Depends),
# and systemd-analyze (systemd) to verify the unit.
TEST_PACKAGES=(chromium chromium-driver postgresql-15)
PACKAGE_PACKAGES=(dpkg-dev file systemd)

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

# build [TARGET]: everything, or only TARGET (and what it needs).
build() {
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUARADESA_WERROR="$werror" >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" ${1:+--target "$1"}
}

# The Debian package from a complete build, and its inspection.
package() {
  rm -f "$BUILD_DIR"/suaradesa_*.deb
  (cd "$BUILD_DIR" && cpack -G DEB >/dev/null)
  packaging/check-package.sh "$BUILD_DIR"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  serve)
    install_packages
    build suaradesa
    exec "$BUILD_DIR/suaradesa" serve "$@"
    ;;
  test)
    install_packages "${TEST_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
    build
    # The PostgreSQL tests run against a cluster of their own, removed on exit.
    PG_DIR=$(mktemp -d -t suaradesa-pg.XXXXXX)
    trap 'tests/postgres/cluster.sh stop "$PG_DIR"' EXIT
    SUARADESA_TEST_PG_URL=$(tests/postgres/cluster.sh start "$PG_DIR")
    export SUARADESA_TEST_PG_URL
    (cd "$BUILD_DIR" && ctest --output-on-failure -j "$(nproc)" --timeout 300)
    package
    ;;
  build)
    install_packages
    build
    ;;
  package)
    install_packages "${PACKAGE_PACKAGES[@]}"
    build
    package
    ;;
  *)
    echo "usage: ./dev.sh serve|test|build|package" >&2
    exit 2
    ;;
esac
