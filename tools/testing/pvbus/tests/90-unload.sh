#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A full scenario, then everything unloaded: /proc/iomem must be byte for
# byte what it was before.  The bus with every boot source (screen_info,
# the PCI display, the firmware's reserved range, pvbus.reserve=), the
# simulated host with reserved ranges of its own and two devices that
# answer pings; then the devices and the live host removed through
# configfs, and both modules unloaded.  Before that, the bus root is
# unbound and bound again (pvbus-debugging.rst): unbound, its host is
# detached, its devices revoked and nothing of pvbus is left in
# /proc/iomem; bound again, the boot reservations are back, the host's
# not.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
ROOT=PRP0001:00
ROOT_DRV=/sys/bus/platform/drivers/pvbus
HOST=$CFS/sim0
CLASS=$PVBUS_TEST_CLASS
INST0=0b7e4a1c-2d3f-4e5a-8b6c-7d8e9f0a1b20
INST1=0b7e4a1c-2d3f-4e5a-8b6c-7d8e9f0a1b21

# The framebuffer and ranges in the high window (consts.sh).  On arm64 the
# boot framebuffer is in System RAM, outside the windows, and there is no
# PCI display: the framebuffer in the low window is pvbus.reserve='s.
FB_NAME="framebuffer (screen_info)"
[ -z "$PVBUS_BOOT_FB" ] || FB_NAME="reserved (pvbus.reserve)"
SOURCES="screen_info${PVBUS_DISPLAY:+ pci} firmware host reserve"
P_RSV=$(pvbus_high 0x80000000)
H_RSV=$(pvbus_high 0x40000000)

PLAN=16
tap_plan "$PLAN"

pvbus_need_ssdt prp "unload"

cat /proc/iomem > /tmp/iomem.base

tap_check "modprobe pvbus reserve=$PVBUS_FB_RESERVE,1M@$P_RSV" \
	modprobe pvbus reserve="$PVBUS_FB_RESERVE,1M@$P_RSV"
tap_check "modprobe pvbus_sim" modprobe pvbus_sim

# shellcheck disable=SC2317 # run by tap_check
host_up() {
	mkdir "$HOST" &&
		echo "$PVBUS_FB_RESERVE,2M@$H_RSV" > "$HOST/reserved" || return 1
	for i in 0 1; do
		mkdir "$HOST/dev$i" &&
			echo "$CLASS" > "$HOST/dev$i/class" &&
			eval echo "\$INST$i" > "$HOST/dev$i/instance" &&
			echo 1 > "$HOST/dev$i/live" || return 1
	done
	echo 1 > "$HOST/live"
}
tap_check "a live host with two live devices" host_up

[ -d "/sys/bus/pvbus/devices/$INST0" ] && [ -d "/sys/bus/pvbus/devices/$INST1" ]
tap_ok $? "both devices are on the bus"

ping_ok() {
	d=/sys/kernel/debug/pvbus/devices/$1
	echo "$2" > "$d/ping" && [ "$(cat "$d/ping")" = "cookie $3 ok" ]
}
ping_ok "$INST0" 1 0x1 && ping_ok "$INST1" 2 0x2
tap_ok $? "both answer a ping"

sed 's/^ *//' /proc/iomem | grep -E 'pvbus|framebuffer \(|reserved \(' | tap_diag
iomem_has "$PVBUS_FB" "$FB_NAME" &&
	iomem_has "$(pvbus_iomem_range "$PVBUS_HIGH_START" "$((PVBUS_HIGH_START + 0xfffff))")" \
		"reserved (firmware)" &&
	iomem_has "$(pvbus_iomem_range "$P_RSV" "$((P_RSV + 0xfffff))")" \
		"reserved (pvbus.reserve)" &&
	iomem_has "$(pvbus_iomem_range "$H_RSV" "$((H_RSV + 0x1fffff))")" "reserved (host)"
tap_ok $? "/proc/iomem has the reservations of every source"
[ "$(pvbus_sources)" = "$SOURCES" ]
tap_ok $? "debugfs sources: $(pvbus_sources)"
sed 's/^ *//' /proc/iomem | grep -E 'framebuffer \(|reserved \(' |
	grep -v 'reserved (host)' > /tmp/boot.rsv

pvbus_dmesg_mark
tap_check "unbind the bus root $ROOT" \
	sh -c "echo '$ROOT' > '$ROOT_DRV/unbind'"
pvbus_dmesg_new | grep -q "pvbus $ROOT: host sim0 detached" &&
	[ -z "$(ls /sys/bus/pvbus/devices)" ] &&
	cmp -s /tmp/iomem.base /proc/iomem
tap_ok $? "unbound: host detached, no device on the bus, /proc/iomem as before the modules"
tap_check "bind the bus root $ROOT again" \
	sh -c "echo '$ROOT' > '$ROOT_DRV/bind'"
sed 's/^ *//' /proc/iomem | grep -E 'framebuffer \(|reserved \(' |
	tee /tmp/boot.again | tap_diag
cmp -s /tmp/boot.rsv /tmp/boot.again &&
	[ "$(pvbus_sources)" = "${SOURCES% host reserve} reserve" ]
tap_ok $? "bound again: the boot reservations are back, the host's not"

# rmdir of live devices, then of the live host, takes them down.
tap_check "rmdir the live devices and the live host" \
	rmdir "$HOST/dev0" "$HOST/dev1" "$HOST"
[ -z "$(ls /sys/bus/pvbus/devices)" ] && [ -z "$(ls "$CFS")" ]
tap_ok $? "no device left on the bus, nothing left in configfs"

tap_check "rmmod pvbus_sim pvbus" rmmod pvbus_sim pvbus
[ ! -e /sys/bus/pvbus ] && [ ! -e /sys/kernel/debug/pvbus ] && [ ! -e "$CFS" ]
tap_ok $? "/sys/bus/pvbus, debugfs pvbus and configfs pvbus_sim are gone"

pvbus_iomem_baseline /tmp/iomem.base

tap_done
