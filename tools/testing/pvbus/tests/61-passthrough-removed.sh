#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A passed-through function that leaves the native bus while the simulated
# host has it.  The guest's QEMU NVMe (0000:00:04.0) is taken and driven
# through pvbus, then removed from the native bus through sysfs
# (.../remove, as an operator or a hot-unplug would).  The host notices;
# the guest keeps the function until the host takes it back.  Given back,
# the function gets its config space as it was taken, with memory and I/O
# decode off, but it is not put back on a native bus that no longer has
# it: no resource of it is claimed again (its struct pci_dev goes with the
# host's last reference, and a resource of it left in /proc/iomem would
# be freed memory), and no driver is probed.  A rescan then finds the
# NVMe with its decode off, the native nvme driver binds and reads what
# was written, and /proc/iomem is as it was but for where the rescan put
# the NVMe's BAR.
#
# The same guest lines as 60-passthrough.sh: one boot for both.
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

pt_names sim1 5d4c3b2a-9f8e-4d7c 1f2e3d4c5b6a

# iomem_without ADDR: /proc/iomem (stdin) without the entry named ADDR and
# the entries nested in it.
iomem_without() {
	awk -v a="$1" '
		{ match($0, /^ */); ind = RLENGTH }
		skip >= 0 && ind > skip { next }
		{ skip = -1 }
		$NF == a { skip = ind; next }
		{ print }' skip=-1
}

tap_plan 15

pvbus_kos
[ "$(cat "$NATDEV/vendor" 2> /dev/null)" = 0x1b36 ] &&
	[ "$(cat "$NATDEV/device")" = 0x0010 ]
tap_ok $? "the QEMU NVMe is $NATIVE" || bail "no NVMe at $NATIVE"

modprobe nvme && wait_for 150 bound "$NATDEV"
tap_ok $? "native: nvme bound to $NATIVE" || bail "the native nvme driver does not work"
disk=$(nvme_disk "$NATDEV")
pattern /tmp/patR 3
disk_write "$disk" /tmp/patR 2 && disk_check "$disk" /tmp/patR 2
tap_ok $? "native: pattern R written at 2 MiB and read back"

cat /proc/iomem > /tmp/iomem.rm.base
cat "$NATDEV/resource" > /tmp/res.rm.base

# --- taken, then removed from the native bus ------------------------------------
tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"
pt_bus "$HOST" "$DEV" "$INST" && pt_take "$FN" "$NATIVE"
tap_ok $? "configfs: host sim1, bus pci0, the NVMe taken" || bail "cannot take the NVMe"
pvbus_dmesg_mark
echo 1 > "$FN/live" && echo 1 > "$HOST/live" && wait_for 50 test -e "$PVDEV" &&
	wait_for 150 bound "$PVDEV"
tap_ok $? "host live: nvme bound to $DOM:00:00.0" || {
	pvbus_dmesg_new | tap_diag
	bail "the bus did not come up"
}
pvdisk=$(nvme_disk "$PVDEV")

pvbus_dmesg_mark
echo 1 > "$NATDEV/remove" && [ ! -e "$NATDEV" ] &&
	pvbus_dmesg_new | grep -qF "$NATIVE: removed from the native bus while the simulated host has it"
tap_ok $? "removed from the native bus through sysfs: the host noticed"
pvbus_dmesg_new | grep -E 'pvbus_sim|04.0' | tap_diag

disk_check "$pvdisk" /tmp/patR 2
tap_ok $? "the guest keeps it until the host takes it back: $pvdisk reads pattern R"

# --- given back -------------------------------------------------------------------
pvbus_dmesg_mark
echo > "$FN/passthrough" && [ ! -e "$PVDEV" ] && [ ! -e "$NATDEV" ] &&
	pvbus_dmesg_new | grep -qF "$NATIVE: not put back on the native bus, which removed it"
tap_ok $? "given back: ejected from the guest, not put back on the native bus"
pvbus_dmesg_new | grep -E 'pci-pvbus|pvbus_sim|04.0' | tap_diag

tap_check "rmdir, rmmod pci-pvbus pvbus_sim pvbus" \
	sh -c "rmdir '$FN' '$DEV' '$HOST' && rmmod pci-pvbus pvbus_sim pvbus"

iomem_without "$NATIVE" < /tmp/iomem.rm.base > /tmp/iomem.rm.gone
if cmp -s /tmp/iomem.rm.gone /proc/iomem; then
	tap_ok 0 "/proc/iomem has nothing of the removed function"
else
	diff /tmp/iomem.rm.gone /proc/iomem | tap_diag
	tap_ok 1 "/proc/iomem has nothing of the removed function"
fi

# --- found again by a rescan ------------------------------------------------------
# PCI probes a rescanned device's drivers whatever drivers_autoprobe says:
# nvme is unloaded, so that the command register is read as given back.
rmmod nvme && echo 1 > /sys/bus/pci/rescan && wait_for 50 test -e "$NATDEV"
found=$?
cmd=$(od -An -tx1 -j4 -N1 "$NATDEV/config" 2> /dev/null | tr -d ' ')
[ "$found" -eq 0 ] && [ -z "$(driver_of "$NATDEV")" ] && [ $((0x${cmd:-ff} & 3)) -eq 0 ]
tap_ok $? "a rescan finds it, memory and I/O decode off as given back (command ${cmd:-none})"

modprobe nvme && wait_for 150 bound "$NATDEV" && disk=$(nvme_disk "$NATDEV") &&
	disk_check "$disk" /tmp/patR 2
tap_ok $? "native: nvme bound again, pattern R intact"

# A rescanned function's BARs are assigned afresh (x86 puts a 64-bit BAR
# above 4 GiB): where it went is the PCI core's choice.
iomem_without "$NATIVE" < /proc/iomem > /tmp/iomem.rm.now
[ "$(grep -c ": $NATIVE\$" /proc/iomem)" -eq "$(grep -c ": $NATIVE\$" /tmp/iomem.rm.base)" ] &&
	cmp -s /tmp/iomem.rm.gone /tmp/iomem.rm.now
tap_ok $? "/proc/iomem as before, but for where the rescan put the NVMe: $(grep ": $NATIVE\$" /proc/iomem | tr -s ' ')" ||
	diff /tmp/iomem.rm.base /proc/iomem | tap_diag

tap_done
