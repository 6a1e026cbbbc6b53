#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The PCI host bridge whose window holds the bus's windows goes away under
# a live bus.  With the DT firmware (arm64, guest.sh --fw dt) the windows
# of /pvbus lie inside the 32-bit and 64-bit windows of QEMU's
# pcie@10000000, which pci-host-generic requests in /proc/iomem: there the
# pvbus windows are children of the bridge's.  Unbinding pci-host-generic
# releases the bridge's windows with all below them and frees them; the
# bus root must be unbound first (its device link to the bridge), so that
# nothing of pvbus is left in a tree it is no longer in, or under freed
# memory.  The bridge then binds again, and so does the bus.
#
# Where no driver owns the host bridge (ACPI's root bridges, x86 and
# arm64 with ACPI), there is nothing to unbind: skipped.  It takes the
# guest's PCI host bridge away: it runs last in its boot.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
GENERIC=/sys/bus/platform/drivers/pci-host-generic
INST=7a3e0c52-1b4d-4e6f-8a09-2b3c4d5e6f79
FN=/sys/bus/pci/devices/8a09:00:00.0

PLAN=11
tap_plan "$PLAN"

# The bus root: the node /pvbus (dt/pvbus.dtsi).
ROOT=pvbus
# QEMU's one PCIe host bridge, bound to pci-host-generic.
BRIDGE=
for d in "$GENERIC"/*.pcie; do
	[ -e "$d" ] || continue
	BRIDGE=${d##*/}
	break
done
# With its bus root in a device tree (FW=dt) the guest has one, which the
# test is run there for.
if [ -z "$BRIDGE" ] && [ "$(pvbus_ssdt)" = dt ]; then
	missing "a PCI host bridge bound to pci-host-generic, in a device tree"
elif [ -z "$BRIDGE" ]; then
	tap_skip_rest "host bridge unbind" "no PCI host bridge bound to pci-host-generic (ACPI root bridges have no driver)"
fi

cat /proc/iomem > /tmp/iomem.base

tap_check "modprobe pvbus pvbus_sim pci-pvbus" \
	sh -c "modprobe pvbus && modprobe pvbus_sim && modprobe pci-pvbus" ||
	bail "cannot load the modules"

# in_bridge: the low window lies in the bridge's window in /proc/iomem,
# and the root is a consumer of the bridge (/sys/class/devlink).
in_bridge() {
	path=$(iomem_path "$PVBUS_LOW")
	case "$path" in
	?*" > pvbus low window") ;;
	*) return 1 ;;
	esac
	[ -e "/sys/bus/platform/devices/$ROOT/driver" ] &&
		[ -e "/sys/class/devlink/platform:$BRIDGE--platform:$ROOT" ]
}

in_bridge
tap_ok $? "the low window lies in a window of $BRIDGE (${path:-not in /proc/iomem}), the root is linked to it"

# A live host with a PCI bus of one function with a 64-bit 1 MiB BAR.
mkdir "$CFS/sim0" && mkdir "$CFS/sim0/pci" &&
	echo "$PVBUS_PCI_CLASS" > "$CFS/sim0/pci/class" &&
	echo "$INST" > "$CFS/sim0/pci/instance" && mkdir "$CFS/sim0/pci/f0" &&
	echo 0x00 > "$CFS/sim0/pci/f0/slot" && echo "64p:1M" > "$CFS/sim0/pci/f0/bars" &&
	echo 1 > "$CFS/sim0/pci/f0/live" && echo 1 > "$CFS/sim0/pci/live" &&
	echo 1 > "$CFS/sim0/live" && wait_for 50 test -e "$FN"
tap_ok $? "a live host with a PCI bus; its function is $FN"

pvbus_dmesg_mark
tap_check "unbind $BRIDGE from pci-host-generic" \
	sh -c "echo '$BRIDGE' > '$GENERIC/unbind'"
pvbus_dmesg_new | grep -E 'pvbus|pci' | tap_diag

[ ! -e "/sys/bus/platform/devices/$ROOT/driver" ] &&
	[ ! -e "$FN" ] && [ -z "$(ls /sys/bus/pvbus/devices)" ]
tap_ok $? "the bus root $ROOT was unbound first, with its bus and function"

! grep -q pvbus /proc/iomem
tap_ok $? "nothing of pvbus is left in /proc/iomem" ||
	grep pvbus /proc/iomem | tap_diag

rmdir "$CFS/sim0/pci/f0" "$CFS/sim0/pci" "$CFS/sim0" &&
	rmmod pci-pvbus && rmmod pvbus_sim && rmmod pvbus
tap_ok $? "the host goes away; pci-pvbus, pvbus_sim and pvbus unload"

tap_check "bind $BRIDGE to pci-host-generic again" \
	sh -c "echo '$BRIDGE' > '$GENERIC/bind'"

tap_check "modprobe pvbus" modprobe pvbus
in_bridge
tap_ok $? "the root binds again, its low window in the bridge's (${path:-not in /proc/iomem}), linked to it"

rmmod pvbus && ! grep -q pvbus /proc/iomem
tap_ok $? "pvbus unloads, nothing of it left in /proc/iomem"

tap_done
