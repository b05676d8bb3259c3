#!/usr/bin/env bash
# Inspects the Debian package `cpack -G DEB` made in BUILD_DIR and fails
# loudly on the first thing missing:
#   - the files: /usr/bin/suaradesa (executable), the systemd unit, the
#     config template, marked as a conffile; the maintainer scripts;
#   - Depends computed by dpkg-shlibdeps (the libraries the binary links);
#   - the packaged binary runs and accepts the packaged config template;
#   - `systemd-analyze verify` on the packaged unit says nothing, and its
#     exposure (`systemd-analyze security`) stays at most MAX_EXPOSURE.
# verify checks that ExecStart's program exists, and /usr/bin/suaradesa is
# not installed on a build machine: the unit is verified as a copy whose
# ExecStart names the binary extracted from the same package.
# Usage: packaging/check-package.sh [BUILD_DIR]   (default: build)
set -euo pipefail

BUILD_DIR=${1:-build}
MAX_EXPOSURE=${MAX_EXPOSURE:-25}  # tenths: 25 is 2.5 ("OK") on the 0-10 scale

fail() {
  echo "check-package: FAILED: $*" >&2
  exit 1
}

shopt -s nullglob
debs=("$BUILD_DIR"/suaradesa_*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one suaradesa_*.deb in $BUILD_DIR, found ${#debs[@]}"
deb=${debs[0]}
echo "check-package: $deb"

work=$(mktemp -d -t suaradesa-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The files, with their modes.
dpkg-deb -c "$deb" > "$work/listing"
has() {  # has MODE_PREFIX PATH
  grep -Eq "^$1[^ ]* +[^ ]+ +[0-9]+ [0-9-]+ [0-9:]+ \.$2\$" "$work/listing" ||
    fail "$2 missing from the package (or mode not $1); dpkg-deb -c says:
$(cat "$work/listing")"
}
has '-rwxr-xr-x' /usr/bin/suaradesa
has '-rw-r--r--' /lib/systemd/system/suaradesa.service
has '-rw-r-----' /etc/suaradesa/suaradesa.json

# Control: conffiles, maintainer scripts, Depends.
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/suaradesa/suaradesa.json "$work/control/conffiles" ||
  fail "/etc/suaradesa/suaradesa.json is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "maintainer script $script missing or not executable"
  sh -n "$work/control/$script" || fail "maintainer script $script: syntax error"
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libssl3 libsqlite3-0 libpq5 libcpp-httplib0.11; do
  [[ ", $depends," == *", $lib "* ]] ||
    fail "Depends lacks $lib (dpkg-shlibdeps did not run?): $depends"
done

# The packaged binary and the packaged config template.
root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/suaradesa" --version > /dev/null || fail "the packaged binary does not run"
"$root/usr/bin/suaradesa" check --config "$root/etc/suaradesa/suaradesa.json" > "$work/check" 2>&1 ||
  fail "the packaged config template is refused:
$(cat "$work/check")"

# The unit, as a copy that starts the extracted binary.
mkdir "$work/unit"
unit="$work/unit/suaradesa.service"
sed "s|^ExecStart=/usr/bin/suaradesa |ExecStart=$root/usr/bin/suaradesa |" \
  "$root/lib/systemd/system/suaradesa.service" > "$unit"
grep -q "^ExecStart=$root/usr/bin/suaradesa serve --config /etc/suaradesa/suaradesa.json\$" "$unit" ||
  fail "the unit's ExecStart is not /usr/bin/suaradesa serve --config /etc/suaradesa/suaradesa.json"
# verify exits 0 on unknown keys and bad values, only printing them: any
# output is a failure.
if ! out=$(systemd-analyze verify "$unit" 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify suaradesa.service:
$out"
fi
if ! out=$(systemd-analyze security --offline=yes --threshold="$MAX_EXPOSURE" "$unit" 2>&1); then
  fail "systemd-analyze security: exposure over $MAX_EXPOSURE tenths:
$out"
fi
exposure=$(printf '%s\n' "$out" | grep -o 'Overall exposure level[^:]*: [0-9.]*' | grep -o '[0-9.]*$')
for setting in 'User=suaradesa' 'StateDirectory=suaradesa' 'ProtectSystem=strict' \
               'NoNewPrivileges=yes' 'Restart=on-failure' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$setting" "$unit" || fail "the unit lacks $setting"
done

echo "check-package: ok ($(wc -l < "$work/listing") entries; unit verified, exposure ${exposure:-?};" \
     "Depends: $depends)"
