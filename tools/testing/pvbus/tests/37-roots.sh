#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Two bus roots in one guest, each with its own windows and its own
# simulated host: \_SB.PVB0 (PRP0001:00, the default SSDT's windows) and
# \_SB.PVB1 (PVBS0001:00, with windows of its own: consts.sh's PVBUS_LOW2_* and
# PVBUS_HIGH2_*; x86: 0xfc000000 + 16 MiB and 0x900000000 + 4 GiB).
# A host attaches to the first root, another (configfs "root") to the
# second; each offers a PCI bus, and each bus's config window and BAR
# land in its own root's high window.  Everything unloads, leaving
# /proc/iomem as it was.  With the DT firmware (arm64, guest.sh --fw dt)
# the roots are the nodes /pvbus and /pvbus@1 (dt/pvbus.dtsi), with the
# windows of the virt machine.
#
# guest-args: -D PVBUS_SECOND_ROOT

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
ROOT0=PRP0001:00
ROOT1=PVBS0001:00
# Each root's windows (consts.sh; dt/pvbus.dtsi has the same), as
# /proc/iomem shows them.
WIN0="$PVBUS_LOW $PVBUS_HIGH"
WIN1="$(pvbus_iomem_range "$PVBUS_LOW2_START" "$PVBUS_LOW2_END") $(pvbus_iomem_range "$PVBUS_HIGH2_START" "$PVBUS_HIGH2_END")"
HIGH0="$PVBUS_HIGH_START $PVBUS_HIGH_END"
HIGH1="$PVBUS_HIGH2_START $PVBUS_HIGH2_END"
if [ "$(pvbus_ssdt)" = dt ]; then
	ROOT0=pvbus
	ROOT1=pvbus@1
fi
INST0=7a3e0c52-1b4d-4e6f-8a01-2b3c4d5e6f70
INST1=7a3e0c52-1b4d-4e6f-8a02-2b3c4d5e6f71

PLAN=10
tap_plan "$PLAN"

[ "$(pvbus_ssdt)" = dt ] || pvbus_need_ssdt prp "two roots"
[ -e "/sys/bus/platform/devices/$ROOT1" ] ||
	missing "the second root of its guest-args line, $ROOT1"

cat /proc/iomem > /tmp/iomem.base

pvbus_dmesg_mark
tap_check "modprobe pvbus pvbus_sim pci-pvbus" \
	sh -c "modprobe pvbus && modprobe pvbus_sim && modprobe pci-pvbus" ||
	bail "cannot load the modules"
pvbus_dmesg_new | grep pvbus | tap_diag

# Both roots, each with its windows and its map; the second's windows
# are named by it.
iomem_has "${WIN0% *}" "pvbus low window" &&
	iomem_has "${WIN0#* }" "pvbus high window" &&
	iomem_has "${WIN1% *}" "pvbus $ROOT1 low window" &&
	iomem_has "${WIN1#* }" "pvbus $ROOT1 high window" &&
	[ -e "$PVBUS_DBG" ] && [ -e "$PVBUS_DBG-$ROOT1" ] &&
	[ "$(readlink "/sys/bus/platform/devices/$ROOT1/driver" | sed 's|.*/||')" = pvbus ]
tap_ok $? "two roots: $ROOT0 and $ROOT1, each with its two windows in /proc/iomem and its debugfs map"
grep '^window ' "$PVBUS_DBG-$ROOT1" | tap_diag

# host NAME ROOT INSTANCE: a live host attached to ROOT (empty: the
# first), with a PCI bus of one function with a 64-bit 1 MiB BAR.
host() {
	mkdir "$CFS/$1" && echo "$2" > "$CFS/$1/root" &&
		mkdir "$CFS/$1/pci" && echo "$PVBUS_PCI_CLASS" > "$CFS/$1/pci/class" &&
		echo "$3" > "$CFS/$1/pci/instance" && mkdir "$CFS/$1/pci/f0" &&
		echo 0x00 > "$CFS/$1/pci/f0/slot" && echo "64p:1M" > "$CFS/$1/pci/f0/bars" &&
		echo 0x1b36 > "$CFS/$1/pci/f0/vendor" &&
		echo 0x00fe > "$CFS/$1/pci/f0/device" &&
		echo 1 > "$CFS/$1/pci/f0/live" && echo 1 > "$CFS/$1/pci/live" &&
		echo 1 > "$CFS/$1/live"
}

# bar0 INSTANCE: "START END" of BAR 0 of function 00.0 of the bus of
# INSTANCE (its domain is bytes 8-9 of the instance).
bar0() {
	_d=$(echo "$1" | cut -d- -f4)
	bar "/sys/bus/pci/devices/$_d:00:00.0" 0
}

host sim0 "" "$INST0" && host sim1 "$ROOT1" "$INST1"
tap_ok $? "configfs: host sim0 on the first root, sim1 on $ROOT1, each with a PCI bus"
wait_for 50 test -e /sys/bus/pci/devices/8a01:00:00.0
wait_for 50 test -e /sys/bus/pci/devices/8a02:00:00.0
pvbus_dmesg_new > /tmp/roots.dmesg
grep -E 'pci-pvbus|host .* attached' /tmp/roots.dmesg | tap_diag

[ "$(cat "$CFS/sim1/root")" = "$ROOT1" ] &&
	grep -q "$ROOT1: host sim1 attached" /tmp/roots.dmesg &&
	grep -q "$ROOT0: host sim0 attached" /tmp/roots.dmesg
tap_ok $? "each host attached to its root"

b0=$(bar0 "$INST0")
b1=$(bar0 "$INST1")
# The bus range of each root bus is the one bus pci-pvbus gives it, and
# nothing else: no range parsed from the root's node (which has none).
grep -qF "pci_bus 8a01:00: root bus resource [bus 00]" /tmp/roots.dmesg &&
	grep -qF "pci_bus 8a02:00: root bus resource [bus 00]" /tmp/roots.dmesg &&
	! grep -qE "pci_bus 8a0[12]:00: (root bus resource \[bus 00-|busn_res: can not)" /tmp/roots.dmesg
tap_ok $? "each root bus has bus 00 as its only bus range" ||
	grep -E "pci_bus 8a0[12]:00: (root bus resource \[bus|busn_res)" /tmp/roots.dmesg | tap_diag

# shellcheck disable=SC2086 # "START END"
in_range "$b0" $HIGH0
tap_ok $? "the first bus's BAR is in the first root's high window: ${b0:-none}"
# shellcheck disable=SC2086
in_range "$b1" $HIGH1
tap_ok $? "the second bus's BAR is in the second root's high window: ${b1:-none}"

c1=$(sed -n 's/.*PCI domain 8a02, .*config window \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\).*/\1 \2/p' /tmp/roots.dmesg)
# shellcheck disable=SC2086
in_range "$c1" $HIGH1
tap_ok $? "the second bus's config window is in the second root's high window: ${c1:-none}"

echo 0 > "$CFS/sim0/live" && echo 0 > "$CFS/sim1/live" &&
	rmdir "$CFS/sim0/pci/f0" "$CFS/sim0/pci" "$CFS/sim0" &&
	rmdir "$CFS/sim1/pci/f0" "$CFS/sim1/pci" "$CFS/sim1" &&
	rmmod pci-pvbus && rmmod pvbus_sim && rmmod pvbus
tap_ok $? "the hosts go away; pci-pvbus, pvbus_sim and pvbus unload"

pvbus_iomem_baseline /tmp/iomem.base

tap_done
