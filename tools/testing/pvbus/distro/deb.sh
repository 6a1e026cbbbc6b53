#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build the pvbus-dkms package with dpkg-buildpackage (debhelper,
# dh-dkms) from a copy of the tree's files (git ls-files: what is
# committed or added, nothing of build/), so that nothing is written next
# to the tree; then lintian on the result.  Prints the .deb's path last:
#
#   deb: $BUILD/deb/pvbus-dkms_<version>_all.deb
#
# DEB_OUT= names another output directory.

set -euo pipefail
export LC_ALL=C

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
OUT=${DEB_OUT:-$BUILD/deb}

PVBUS_ME=deb
# shellcheck source=SCRIPTDIR/../lib/die.sh
. "$ROOT/tools/testing/pvbus/lib/die.sh"

for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" > /dev/null || die "$t is missing: run 'make deps'"
done

cd "$ROOT"
# The package's tool against saved copies of what the bus shows.
"$ROOT/tools/testing/pvbus/distro/kdump-params-test.sh" || die "pvbus-kdump-params fails its test"
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
src=$OUT/pvbus-$version
rm -rf "$src"
mkdir -p "$src"
# The package's sources: what git knows of the tree, as it is now.
git ls-files -co --exclude-standard | grep -v '^build/' |
	while read -r f; do [ -e "$f" ] && echo "$f"; done |
	tar -cf - -T - | tar -xf - -C "$src"
rm -f "$OUT"/pvbus-dkms_*.deb "$OUT"/pvbus_*.changes "$OUT"/pvbus_*.buildinfo
echo "deb: dpkg-buildpackage in $src"
(cd "$src" && dpkg-buildpackage -b -us -uc) > "$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log" >&2
	die "dpkg-buildpackage failed (log: $OUT/build.log)"
}
deb=$(ls "$OUT"/pvbus-dkms_"$version"_all.deb 2> /dev/null) || die "no .deb in $OUT"
rm -rf "$src"

# lintian, down to its informational tags: none is expected but those
# debian/pvbus-dkms.lintian-overrides explains.  A tag fails the build, as
# does lintian failing to run (exit status 2, or no status at all).
echo "deb: lintian $(basename "$deb")"
rc=0
lintian --tag-display-limit 0 -I "$deb" > "$OUT/lintian.log" 2> "$OUT/lintian.err" || rc=$?
if [ "$rc" -gt 1 ]; then
	sed 's/^/  /' "$OUT/lintian.log" "$OUT/lintian.err"
	die "lintian failed to run (exit status $rc)"
fi
if [ -s "$OUT/lintian.log" ] || [ "$rc" -ne 0 ]; then
	sed 's/^/  /' "$OUT/lintian.log"
	die "lintian: tags the overrides do not explain (log: $OUT/lintian.log)"
fi
echo "  lintian: no tags"
dpkg-deb -c "$deb" | awk '{ print "  " $NF }' | grep -vE '/$' | grep -vE '\.(c|h)$' || true
echo "deb: $(dpkg-deb -c "$deb" | grep -cE '\.(c|h)$') C sources and headers in /usr/src/pvbus-$version"
echo "deb: $deb"
