#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bus root finds the MMIO windows of the SSDT's _DSD and publishes them:
# both are in /proc/iomem under their names, inside the PCI host bridge's
# windows; the VGA BAR they cover is adopted intact, vesafb still nested in
# it; debugfs lists them; and unloading takes them away again.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

DBG=/sys/kernel/debug/pvbus/mmio
LOW=fd000000-fe7fffff
HIGH=800000000-8ffffffff
BAR=fd000000-fdffffff

tap_plan 11

pvbus_need_ssdt prp windows

cat /proc/iomem > /tmp/iomem.base
# The VGA BAR and vesafb before: their lines without the indentation.
bar_lines() {
	sed 's/^ *//' "$1" | grep -E "^$BAR : (0000:00:02\\.0|vesafb)\$"
}
bar_lines /tmp/iomem.base > /tmp/bar.base
tap_diag < /tmp/bar.base

mark=$(dmesg | wc -l)
tap_check "modprobe pvbus" modprobe pvbus
dmesg | tail -n +"$((mark + 1))" | grep pvbus | tap_diag

dmesg | tail -n +"$((mark + 1))" > /tmp/dmesg.new
grep -q 'low window \[mem 0xfd000000-0xfe7fffff\] (firmware)' /tmp/dmesg.new &&
	grep -q 'high window \[mem 0x800000000-0x8ffffffff\] (firmware)' /tmp/dmesg.new
tap_ok $? "dmesg: the low and high windows found in firmware"

iomem_has "$LOW" "pvbus low window"
tap_ok $? "/proc/iomem: $LOW : pvbus low window"
iomem_has "$HIGH" "pvbus high window"
tap_ok $? "/proc/iomem: $HIGH : pvbus high window"

# Nested in the host bridge windows: 40000000-febfffff and the 64-bit one.
[ "$(iomem_path "$LOW")" = "PCI Bus 0000:00 > pvbus low window" ] &&
	[ "$(iomem_path "$HIGH")" = "PCI Bus 0000:00 > pvbus high window" ]
tap_ok $? "both windows are inside the PCI host bridge's windows"

# The BAR is adopted whole, not stolen or split: the same lines, vesafb
# still its child, all of it inside the low window.
bar_lines /proc/iomem > /tmp/bar.now
path=$(iomem_path "$BAR")
tap_diag "$BAR: $path"
[ "$(wc -l < /tmp/bar.base)" -eq 2 ] && cmp -s /tmp/bar.base /tmp/bar.now &&
	case "$path" in
	"PCI Bus 0000:00 > pvbus low window > "*"0000:00:02.0 > vesafb") true ;;
	*) false ;;
	esac
tap_ok $? "the VGA BAR 0000:00:02.0 is nested intact in the low window, vesafb in it"
grep -q "^ *febf0000-febf0fff : 0000:00:02.0\$" /proc/iomem &&
	[ "$(iomem_path febf0000-febf0fff)" = "PCI Bus 0000:00 > 0000:00:02.0" ]
tap_ok $? "the VGA MMIO BAR above the window is untouched"

tap_diag < "$DBG"
grep -q '^space pvbus (published)$' "$DBG"
tap_ok $? "debugfs mmio: the space is published"
grep -q '^window *0x00000000fd000000-0x00000000fe7fffff pvbus low window$' "$DBG" &&
	grep -q '^window *0x0000000800000000-0x00000008ffffffff pvbus high window$' "$DBG"
tap_ok $? "debugfs mmio lists the low and high windows"

tap_check "rmmod pvbus" rmmod pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
