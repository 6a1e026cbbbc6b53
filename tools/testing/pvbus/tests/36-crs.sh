#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Windows described as hypervisors describe them (ssdt/crs.asl): the _CRS
# of an ACPI module device (ACPI0004) whose child is the bus root.  The
# ACPI core has claimed none of it at boot: the VGA BAR the low window
# covers was claimed where it is and no range of the _CRS is in
# /proc/iomem before pvbus loads.  pvbus walks the _CRS, publishes both
# windows, adopts the VGA BAR intact, honours the _DSD's reserved range,
# and unloading leaves /proc/iomem as it was.  A second bus root's parent
# is a module device only by the last of its ten hardware ids: its
# windows come from that parent's _CRS all the same.  The addresses are
# consts.sh's; the VGA BAR is x86's (arm64's virt machine has none).
#
# guest-args: --ssdt crs

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

LOW=$PVBUS_LOW
HIGH=$PVBUS_HIGH
LOW2=$(pvbus_iomem_range "$PVBUS_LOW2_START" "$PVBUS_LOW2_END")
HIGH2=$(pvbus_iomem_range "$PVBUS_HIGH2_START" "$PVBUS_HIGH2_END")
ROOT2=PVBS0001:01
BAR=$PVBUS_FB

PLAN=10
tap_plan "$PLAN"

pvbus_need_ssdt crs "_CRS windows"

cat /proc/iomem > /tmp/iomem.base

# --- what the ACPI core did at boot ------------------------------------
! grep -qE "^ *($LOW|$HIGH|$LOW2|$HIGH2) : " /tmp/iomem.base &&
	! dmesg | grep -qiE 'PVM[01]|PVBS000[01]:0[01]: failed to claim|ACPI0004:.*(can.t claim|failed)'
tap_ok $? "no range of the module devices' _CRS was claimed at boot"

if [ -n "$PVBUS_BOOT_FB" ]; then
	tap_skip "the VGA BAR was claimed where firmware put it" "$PVBUS_BOOT_FB"
else
	path=$(iomem_path "$BAR")
	[ "$(sed -n 1p "/sys/bus/pci/devices/$PVBUS_DISPLAY/resource" | cut -c1-18)" = \
		"$(printf '0x%016x' "$PVBUS_FB_START")" ] &&
		! dmesg | grep -q "$PVBUS_DISPLAY: .*can.t claim" &&
		case "$path" in
		"PCI Bus 0000:00 > $PVBUS_DISPLAY"*) true ;;
		*) false ;;
		esac
	tap_ok $? "the VGA BAR was claimed where firmware put it: $path"
fi

# --- pvbus walks the _CRS -----------------------------------------------
pvbus_dmesg_mark
tap_check "modprobe pvbus" modprobe pvbus
pvbus_dmesg_new > /tmp/crs.dmesg
grep pvbus /tmp/crs.dmesg | tap_diag

grep -qF "low window $(pvbus_mem_range "$PVBUS_LOW_START" "$PVBUS_LOW_END") (_CRS)" \
	/tmp/crs.dmesg &&
	grep -qF "high window $(pvbus_mem_range "$PVBUS_HIGH_START" "$PVBUS_HIGH_END") (_CRS)" \
	/tmp/crs.dmesg &&
	! grep -q "own _CRS" /tmp/crs.dmesg
tap_ok $? "dmesg: the low and high windows come from the _CRS"

grep -qF "$ROOT2: low window $(pvbus_mem_range "$PVBUS_LOW2_START" "$PVBUS_LOW2_END") (_CRS)" \
	/tmp/crs.dmesg &&
	grep -qF "$ROOT2: high window $(pvbus_mem_range "$PVBUS_HIGH2_START" "$PVBUS_HIGH2_END") (_CRS)" \
	/tmp/crs.dmesg &&
	iomem_has "$LOW2" "pvbus $ROOT2 low window" &&
	iomem_has "$HIGH2" "pvbus $ROOT2 high window"
tap_ok $? "$ROOT2, under a module device by its 10th id: its windows come from the _CRS"

[ "$(iomem_path "$LOW")" = "PCI Bus 0000:00 > pvbus low window" ] &&
	[ "$(iomem_path "$HIGH")" = "PCI Bus 0000:00 > pvbus high window" ] &&
	[ "$(grep -c '^window ' "$PVBUS_DBG")" -eq 2 ]
tap_ok $? "/proc/iomem and debugfs: both windows, inside the host bridge's, and only they"

if [ -n "$PVBUS_BOOT_FB" ]; then
	tap_skip "the VGA BAR is nested intact in the low window" "$PVBUS_BOOT_FB"
else
	path=$(iomem_path "$BAR")
	case "$path" in
	"PCI Bus 0000:00 > pvbus low window > "*"$PVBUS_DISPLAY > vesafb") true ;;
	*) false ;;
	esac
	tap_ok $? "the VGA BAR is nested intact in the low window: $path"
fi

grep -qE "^reserved .*$(pvbus_dbg_range "$PVBUS_HIGH_START" "$((PVBUS_HIGH_START + 0xfffff))")" \
	"$PVBUS_DBG"
tap_ok $? "the _DSD's reserved range is reserved" || tap_diag < "$PVBUS_DBG"

tap_check "rmmod pvbus" rmmod pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
