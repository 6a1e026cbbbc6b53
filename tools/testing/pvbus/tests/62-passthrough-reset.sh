#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A passed-through function taken from the guest by surprise is reset
# before it is given back.  The guest's QEMU NVMe (0000:00:04.0) is taken
# and hot added; the stock nvme driver enables the controller through
# pvbus.  "live" set to 0 removes it by surprise: the host fences it at
# once, so the guest's nvme driver, removed after, never reaches it to
# shut it down.  Given back with a driver_override no driver matches (the
# host puts back the one it found), the controller is read through the
# native BAR: a reset left it disabled (NVMe CC.EN and CSTS.RDY 0), as it
# must be before the native driver turns bus mastering on.  Then the
# native nvme driver binds and reads what was written through pvbus.
# Taken again with no reset method, it is given back unreset, and the
# host warns.
#
# The same guest lines as 60-passthrough.sh: one boot for them all.
#
# guest-disk: 64M
# guest-args-arm64: --kdump --kexec-args -i
# guest-args-dt:

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh
# shellcheck source=SCRIPTDIR/../lib/guest/passthrough.sh
. /usr/share/pvbus/passthrough.sh

pt_names sim2 6e5d4c3b-a09f-4e8d 2a3b4c5d6e7f

tap_plan 12

pvbus_kos
modprobe nvme && wait_for 150 bound "$NATDEV"
tap_ok $? "native: nvme bound to $NATIVE" || bail "the native nvme driver does not work"
cat /proc/iomem > /tmp/iomem.reset.base
override=$(cat "$NATDEV/driver_override")

tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"
pvbus_dmesg_mark
echo pvbus-test-none > "$NATDEV/driver_override" &&
	pt_bus "$HOST" "$DEV" "$INST" && echo 1 > "$HOST/live" &&
	pt_hot_add "$FN" "$NATIVE" "$PVDEV"
tap_ok $? "taken and hot added: nvme bound to $DOM:00:00.0" || {
	pvbus_dmesg_new | tap_diag
	bail "the NVMe did not come up through pvbus"
}
pvdisk=$(nvme_disk "$PVDEV")
pattern /tmp/patS 4
disk_write "$pvdisk" /tmp/patS 3 && disk_check "$pvdisk" /tmp/patS 3
tap_ok $? "through pvbus: pattern S written at 3 MiB and read back"

echo 0 > "$FN/live" && wait_for 100 test ! -e "$PVDEV" &&
	echo > "$FN/passthrough" && [ -z "$(driver_of "$NATDEV")" ]
tap_ok $? "live=0, a surprise removal, then given back: no driver bound"
pvbus_dmesg_new | grep -E 'pci-pvbus|pvbus_sim|nvme|04.0' | tap_diag

# An empty read would count as 0: each read must give a value.
bar0=$(sed -n 1p "$NATDEV/resource" | cut -d' ' -f1)
cc=$(devmem $((bar0 + 0x14)) 32) && [ -n "$cc" ] &&
	csts=$(devmem $((bar0 + 0x1c)) 32) && [ -n "$csts" ] &&
	[ $((cc & 1)) -eq 0 ] && [ $((csts & 1)) -eq 0 ] &&
	! pvbus_dmesg_new | grep -q "$NATIVE: not reset"
tap_ok $? "the controller the guest left enabled was reset: CC ${cc:-unread}, CSTS ${csts:-unread}"

if [ "$override" = "(null)" ]; then
	echo > "$NATDEV/driver_override"
else
	echo "$override" > "$NATDEV/driver_override"
fi
echo "$NATIVE" > /sys/bus/pci/drivers_probe
wait_for 150 bound "$NATDEV" && disk=$(nvme_disk "$NATDEV") &&
	disk_check "$disk" /tmp/patS 3
tap_ok $? "native: nvme bound again, pattern S intact"

# A function with no reset method (its reset_method emptied, a warning
# from the PCI core) is given back unreset, and the host says so.  Given
# back by an eject, the guest's nvme driver shut the controller down, so
# the native driver, probed again by the host, finds it as usual.
methods=$(cat "$NATDEV/reset_method")
pvbus_dmesg_mark
echo > "$NATDEV/reset_method" && rmdir "$FN" &&
	pt_hot_add "$FN" "$NATIVE" "$PVDEV" && echo > "$FN/passthrough" &&
	wait_for 150 bound "$NATDEV" &&
	pvbus_dmesg_new | grep -q "$NATIVE: not reset (-25)"
tap_ok $? "no reset method ('$methods' emptied): taken, given back, the host said it was not reset"
pvbus_dmesg_new | grep -E "pvbus_sim|$NATIVE" | tap_diag
echo "$methods" > "$NATDEV/reset_method" &&
	[ "$(cat "$NATDEV/reset_method")" = "$methods" ] &&
	wait_for 150 bound "$NATDEV" && disk=$(nvme_disk "$NATDEV") &&
	disk_check "$disk" /tmp/patS 3
tap_ok $? "native: nvme bound again, pattern S intact, reset methods back"

tap_check "rmdir, rmmod pci-pvbus pvbus_sim pvbus" \
	sh -c "rmdir '$FN' '$DEV' '$HOST' && rmmod pci-pvbus pvbus_sim pvbus"
pvbus_iomem_baseline /tmp/iomem.reset.base

tap_done
