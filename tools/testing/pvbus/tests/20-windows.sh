#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bus root finds the MMIO windows of the SSDT's _DSD and publishes them:
# both are in /proc/iomem under their names, inside the PCI host bridge's
# windows; the VGA BAR they cover is adopted intact, vesafb still nested in
# it (x86: arm64's virt machine has no PCI display); debugfs lists them; and
# unloading takes them away again.  The addresses are consts.sh's.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

DBG=/sys/kernel/debug/pvbus/mmio
LOW=$PVBUS_LOW
HIGH=$PVBUS_HIGH
BAR=$PVBUS_FB
DISPLAY=$PVBUS_DISPLAY

tap_plan 11

pvbus_need_ssdt prp windows

cat /proc/iomem > /tmp/iomem.base
# The VGA BAR and vesafb before: their lines without the indentation.
bar_lines() {
	sed 's/^ *//' "$1" | grep -E "^$BAR : ($DISPLAY|vesafb)\$"
}
bar_lines /tmp/iomem.base > /tmp/bar.base
tap_diag < /tmp/bar.base

mark=$(dmesg | wc -l)
tap_check "modprobe pvbus" modprobe pvbus
dmesg | tail -n +"$((mark + 1))" | grep pvbus | tap_diag

dmesg | tail -n +"$((mark + 1))" > /tmp/dmesg.new
grep -qF "low window $(pvbus_mem_range "$PVBUS_LOW_START" "$PVBUS_LOW_END") (firmware)" \
	/tmp/dmesg.new &&
	grep -qF "high window $(pvbus_mem_range "$PVBUS_HIGH_START" "$PVBUS_HIGH_END") (firmware)" \
	/tmp/dmesg.new
tap_ok $? "dmesg: the low and high windows found in firmware"

iomem_has "$LOW" "pvbus low window"
tap_ok $? "/proc/iomem: $LOW : pvbus low window"
iomem_has "$HIGH" "pvbus high window"
tap_ok $? "/proc/iomem: $HIGH : pvbus high window"

# Nested in the host bridge windows (x86: 40000000-febfffff and the 64-bit
# one; arm64: 10000000-3efeffff and 8000000000-ffffffffff).
[ "$(iomem_path "$LOW")" = "PCI Bus 0000:00 > pvbus low window" ] &&
	[ "$(iomem_path "$HIGH")" = "PCI Bus 0000:00 > pvbus high window" ]
tap_ok $? "both windows are inside the PCI host bridge's windows"

# The BAR is adopted whole, not stolen or split: the same lines, vesafb
# still its child, all of it inside the low window.
if [ -n "$PVBUS_BOOT_FB" ]; then
	tap_skip "the VGA BAR is nested intact in the low window" "$PVBUS_BOOT_FB"
	tap_skip "the VGA MMIO BAR above the window is untouched" "$PVBUS_BOOT_FB"
else
	bar_lines /proc/iomem > /tmp/bar.now
	path=$(iomem_path "$BAR")
	tap_diag "$BAR: $path"
	[ "$(wc -l < /tmp/bar.base)" -eq 2 ] && cmp -s /tmp/bar.base /tmp/bar.now &&
		case "$path" in
		"PCI Bus 0000:00 > pvbus low window > "*"$DISPLAY > vesafb") true ;;
		*) false ;;
		esac
	tap_ok $? "the VGA BAR $DISPLAY is nested intact in the low window, vesafb in it"
	grep -q "^ *febf0000-febf0fff : $DISPLAY\$" /proc/iomem &&
		[ "$(iomem_path febf0000-febf0fff)" = "PCI Bus 0000:00 > $DISPLAY" ]
	tap_ok $? "the VGA MMIO BAR above the window is untouched"
fi

tap_diag < "$DBG"
grep -q '^space pvbus (published)$' "$DBG"
tap_ok $? "debugfs mmio: the space is published"
grep -qE "^window +$(pvbus_dbg_range "$PVBUS_LOW_START" "$PVBUS_LOW_END") pvbus low window\$" \
	"$DBG" &&
	grep -qE "^window +$(pvbus_dbg_range "$PVBUS_HIGH_START" "$PVBUS_HIGH_END") pvbus high window\$" \
	"$DBG"
tap_ok $? "debugfs mmio lists the low and high windows"

tap_check "rmmod pvbus" rmmod pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
