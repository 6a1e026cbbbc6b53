#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# modprobe finds a pvbus driver by its device's MODALIAS: a paravirtual PCI
# bus offered with pci-pvbus not loaded gets it loaded by
# 'modprobe pvbus:<class>', which is what udev does with the uevent.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/auto0
DEV=$HOST/pci0
PCI_CLASS=$PVBUS_PCI_CLASS
INST=7a9e1c3d-5b2f-4e6d-8c0a-1d2e3f4a5b6c
BUSDEV=/sys/bus/pvbus/devices/$INST

tap_plan 6

cat /proc/iomem > /tmp/iomem.autoload

modprobe pvbus && modprobe pvbus_sim && ! grep -q '^pci_pvbus ' /proc/modules
tap_ok $? "pvbus and pvbus_sim loaded, pci-pvbus not"

mkdir "$HOST" "$DEV" && echo "$PCI_CLASS" > "$DEV/class" &&
	echo "$INST" > "$DEV/instance" && echo 1 > "$DEV/live" &&
	echo 1 > "$HOST/live" && [ -d "$BUSDEV" ] && [ ! -e "$BUSDEV/driver" ]
tap_ok $? "a PCI bus device is offered, no driver bound"

alias=$(cat "$BUSDEV/modalias" 2> /dev/null)
modprobe "$alias" && grep -q '^pci_pvbus ' /proc/modules
tap_ok $? "modprobe $alias loads pci-pvbus"

i=0
while [ ! -e "$BUSDEV/driver" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(readlink "$BUSDEV/driver" | sed 's|.*/||')" = pci-pvbus ]
tap_ok $? "pci-pvbus is bound to the bus device"

echo 0 > "$HOST/live" && rmdir "$DEV" "$HOST" &&
	rmmod pci_pvbus pvbus_sim pvbus
tap_ok $? "everything down, modules unloaded"

pvbus_iomem_baseline /tmp/iomem.autoload
tap_done
