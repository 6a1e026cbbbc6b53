#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo of pvbus (make demo): boots the guest of the guest tests
# (lib/boot.sh) with a demo script instead of the tests, demo/guest/demo.sh by
# default, shows its console and ends with "demo: ok" or "demo: failed".

set -euo pipefail

PVBUS_TESTING=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"
# shellcheck source=SCRIPTDIR/../lib/boot.sh
. "$PVBUS_TESTING/lib/boot.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [options]

Boot the pvbus test guest, run a demo script and show the console.

      --demo[=SCRIPT]    the demo script: demo/guest/SCRIPT.sh or a file [demo]
$(boot_usage)
  -h, --help             this text
EOF
}

boot_defaults
mode=demo
while [ $# -gt 0 ]; do
	if boot_option "$@"; then
		shift "$nshift"
		continue
	fi
	case "$1" in
	--demo)		;;
	--demo=*)	demo=${1#--demo=} ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done
boot_check
guest_prepare
failed=0
guest_boot
# saved FILE: what the demo printed of FILE for pvbus-mmio-map.
saved() {
	tr -d '\r' < "$GUEST/$name.log" |
		sed -n "\|^----- pvbus-mmio-map: begin $1 -----\$|,\|^----- pvbus-mmio-map: end $1 -----\$|p" |
		sed '1d;$d'
}

if [ "$failed" -eq 0 ] && [ "$demo" = demo ]; then
	mkdir -p "$BUILD/demo"
	saved /proc/iomem > "$BUILD/demo/iomem"
	saved /sys/kernel/debug/pvbus/mmio > "$BUILD/demo/pvbus-mmio"
	map=$BUILD/demo/mmio-map.svg
	if "$ROOT/tools/pvbus/pvbus-mmio-map" --iomem "$BUILD/demo/iomem" \
		--debugfs "$BUILD/demo/pvbus-mmio" \
		--title "pvbus MMIO map of the demo guest (a PCI bus in domain 9a0b)" \
		-o "$map"; then
		echo "demo: the guest's MMIO map, drawn: ${map#"$ROOT"/}"
	else
		echo "demo: cannot draw the guest's MMIO map"
		failed=1
	fi
fi
if [ "$failed" -eq 0 ]; then
	echo "demo: ok"
else
	echo "demo: failed"
	exit 1
fi
