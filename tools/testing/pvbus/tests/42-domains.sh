#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# PCI domains that never collide with a segment firmware declares.  The
# default SSDT declares \_SB.PVH0, a PCI host bridge that is absent (_STA
# 0), as a hot-pluggable one is until it is added, with _SEG 0x7e57: no
# bus is alive in that segment, and yet no pvbus bus may take it.  A bus
# whose instance asks for domain 7e57 gets another and says so; a bus
# that asks for 7e5a, which nothing declares, gets it.  With the DT
# firmware (arm64, guest.sh --fw dt) the absent host bridge is the node
# /pcie-absent, status "disabled", linux,pci-domain 0x7e57.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
SEG=7e57
FREE=7e5a
INST_SEG=3c0d5a1e-6b7f-4a2c-$SEG-1d2e3f405161
INST_FREE=3c0d5a1e-6b7f-4a2c-$FREE-1d2e3f405162

PLAN=9
tap_plan "$PLAN"

[ "$(pvbus_ssdt)" = dt ] || pvbus_need_ssdt prp "domains"

pvbus_kos

# The host bridge is in the namespace (or the DT), absent; no bus is in
# its segment.
pvh=
if [ "$(pvbus_ssdt)" = dt ]; then
	for d in /proc/device-tree/*/linux,pci-domain; do
		[ "$(od -An -tx1 "$d" | tr -d ' \n')" = "0000$SEG" ] && pvh=${d%/*}
	done
	[ -n "$pvh" ] && [ "$(tr -d '\0' < "$pvh/status")" = disabled ] &&
		[ -z "$(ls -d /sys/bus/pci/devices/"$SEG":* 2> /dev/null)" ]
	tap_ok $? "firmware declares ${pvh#/proc/device-tree} (linux,pci-domain 0x$SEG, status disabled), no bus in segment $SEG"
else
	for d in /sys/bus/acpi/devices/*; do
		[ "$(cat "$d/path" 2> /dev/null)" = '\_SB_.PVH0' ] && pvh=$d
	done
	[ -n "$pvh" ] && [ -z "$(ls -d /sys/bus/pci/devices/"$SEG":* 2> /dev/null)" ]
	tap_ok $? "firmware declares \\_SB.PVH0 (${pvh##*/}, status $(cat "$pvh/status" 2> /dev/null)), no bus in segment $SEG"
fi

cat /proc/iomem > /tmp/iomem.base

# bus NAME INSTANCE: a live PCI bus of the host with one function.
bus() {
	mkdir "$HOST/$1" && echo "$PVBUS_PCI_CLASS" > "$HOST/$1/class" &&
		echo "$2" > "$HOST/$1/instance" && mkdir "$HOST/$1/f0" &&
		echo 0x00 > "$HOST/$1/f0/slot" && echo "64p:1M" > "$HOST/$1/f0/bars" &&
		echo 0x1b36 > "$HOST/$1/f0/vendor" && echo 0x00fe > "$HOST/$1/f0/device" &&
		echo 1 > "$HOST/$1/f0/live" && echo 1 > "$HOST/$1/live"
}

# domain_of INSTANCE: the PCI domain the bus of INSTANCE took.
domain_of() {
	for _b in "/sys/bus/pvbus/devices/$1"/pci*:*; do
		[ -e "$_b" ] || continue
		_b=${_b##*/pci}
		echo "${_b%%:*}"
		return 0
	done
	return 1
}

pvbus_dmesg_mark
tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"

mkdir "$HOST" && bus pci0 "$INST_SEG" && bus pci1 "$INST_FREE" &&
	echo 1 > "$HOST/live"
tap_ok $? "configfs: a live host with two PCI buses, one asking for $SEG, one for $FREE"
wait_for 50 domain_of "$INST_SEG" > /dev/null
wait_for 50 domain_of "$INST_FREE" > /dev/null
pvbus_dmesg_new > /tmp/dom.dmesg
grep -E 'pci-pvbus|PCI domain' /tmp/dom.dmesg | tap_diag

d=$(domain_of "$INST_SEG")
[ -n "$d" ] && [ "$d" != "$SEG" ] && [ "$d" != 0000 ] && [ "$d" != "$FREE" ] &&
	[ -e "/sys/bus/pci/devices/$d:00:00.0" ]
tap_ok $? "the bus that asks for the declared segment $SEG is in domain ${d:-none}, its function too"

grep -qF "PCI domain $SEG is not available: using $d" /tmp/dom.dmesg
tap_ok $? "and says so: PCI domain $SEG is not available: using ${d:-none}"

d=$(domain_of "$INST_FREE")
[ "$d" = "$FREE" ] && [ -e "/sys/bus/pci/devices/$FREE:00:00.0" ]
tap_ok $? "the bus that asks for $FREE, declared by no one, gets it: ${d:-none}"

echo 0 > "$HOST/live" &&
	rmdir "$HOST/pci0/f0" "$HOST/pci0" "$HOST/pci1/f0" "$HOST/pci1" "$HOST" &&
	rmmod pci-pvbus && rmmod pvbus_sim && rmmod pvbus
tap_ok $? "the buses go away; pci-pvbus, pvbus_sim and pvbus unload"

pvbus_iomem_baseline /tmp/iomem.base

tap_done
