#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Pass-through of a real device by the simulated host.  The guest's QEMU
# NVMe (0000:00:04.0, a fresh 64 MiB image) is first driven natively by
# the stock nvme driver, which writes a pattern.  Then the simulated host
# takes it (configfs "passthrough"): the native driver is unbound and kept
# off, the native BAR leaves /proc/iomem.  A pvbus PCI bus with the
# function comes up in a new PCI domain; pci-pvbus moves BAR 0 into the
# pvbus high window, the stock nvme driver binds there, uses MSI-X, reads
# the first pattern and writes a second one.  Given back (an empty
# "passthrough": the host ejects it first), the native driver binds again
# at 0000:00:04.0 with the BARs and resources as they were, and reads both
# patterns.  The same by hot add and rmdir, and by hot add, revoke of the
# bus and rmdir; then everything is unloaded and /proc/iomem is as before.
# A rescan of the native buses while the guest has it places none of its
# BARs.
# A bridge, a missing function, a function taken twice and writes to the
# real function's ids are refused.  Its DMA is configured as the native
# function's: coherent DMA memory is remapped (a "dma-coherent" area in
# /proc/vmallocinfo) only for a device that is not DMA-coherent, so the
# NVMe on the pvbus domain must leave exactly as many as the native one,
# with the DT firmware too, where the bus root's node says dma-coherent.
# In a GICv3 guest (GIC=3), whose IORT maps this bus's domain to the ITS,
# a bus in a domain it does not map gets no MSI, and pci-pvbus says so
# (with a device tree, whose msi-map names no domain, there is none).
#
# On arm64 the boot is a kdump cycle (guest.sh --kdump): the test runs in
# the first kernel and again in the kdump kernel, where screen_info is
# empty on arm64, so the NVMe is shown on the pvbus domain with MSI-X in
# both (kexec -i: no SHA-256 of the images, seconds under TCG).
#
# With the DT firmware (guest.sh --fw dt) it runs in the first kernel
# only: make check's time.
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

pt_names sim0 3c2b1a09-8f7e-4d6c 0f1e2d3c4b5a

PLAN=50
tap_plan "$PLAN"

pvbus=$(pvbus_ko pvbus)
sim=$(pvbus_ko pvbus_sim)
pcipv=$(pvbus_ko pci-pvbus)
[ -n "$pvbus" ] && [ -n "$sim" ] && [ -n "$pcipv" ] &&
	[ -n "$(find "/lib/modules/$(uname -r)/kernel" -name 'nvme.ko*')" ]
tap_ok $? "pvbus.ko, pvbus_sim.ko, pci-pvbus.ko and nvme are in the initramfs" ||
	bail "no modules"

[ "$(cat "$NATDEV/vendor" 2> /dev/null)" = 0x1b36 ] &&
	[ "$(cat "$NATDEV/device")" = 0x0010 ] && [ "$(cat "$NATDEV/class")" = 0x010802 ]
tap_ok $? "the QEMU NVMe is $NATIVE (its guest-disk line)" ||
	bail "no NVMe at $NATIVE"

# --- the native driver first -------------------------------------------------
pvbus_dmesg_mark
modprobe nvme && wait_for 150 bound "$NATDEV"
tap_ok $? "native: nvme binds to $NATIVE, disk $(nvme_disk "$NATDEV")" ||
	bail "the native nvme driver does not work"
disk=$(nvme_disk "$NATDEV")
pattern /tmp/patA 1
pattern /tmp/patB 2
disk_write "$disk" /tmp/patA 0 && disk_check "$disk" /tmp/patA 0
tap_ok $? "native: pattern A written at 0 MiB and read back"

cat /proc/iomem > /tmp/iomem.base
native_remaps=$(dma_remaps)
pt_iomem "$NATIVE" > /tmp/iomem.native
cat "$NATDEV/resource" > /tmp/res.base
header "$NATDEV" > /tmp/hdr.base
override=$(cat "$NATDEV/driver_override")
grep -F "$NATIVE" /tmp/iomem.base | tap_diag

# --- the host takes it ---------------------------------------------------------
tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"
pt_bus "$HOST" "$DEV" "$INST"
tap_ok $? "configfs: host sim0, bus pci0 (instance $INST)" ||
	bail "cannot configure the bus"

tap_check "passthrough = $NATIVE" pt_take "$FN" "$NATIVE" ||
	bail "the host did not take the NVMe"
[ -z "$(driver_of "$NATDEV")" ] && [ "$(cat "$NATDEV/driver_override")" = pvbus_sim ] &&
	[ ! -e "/dev/$disk" ] && ! grep -qF "$NATIVE" /proc/iomem
tap_ok $? "native nvme unbound and kept off (driver_override pvbus_sim), its BAR out of /proc/iomem"
pvbus_dmesg_new | grep -E 'pvbus|nvme|04.0' | tap_diag

# Runtime PM allowed while the host has it: the host's usage count keeps
# it awake (runtime_usage, CONFIG_PM_ADVANCED_DEBUG; 0 without it).
pmctl=$(cat "$NATDEV/power/control")
echo auto > "$NATDEV/power/control"
pm_usage=$(cat "$NATDEV/power/runtime_usage")
pm_status=$(cat "$NATDEV/power/runtime_status")
[ "$pm_usage" -ge 1 ] && [ "$pm_status" = active ]
tap_ok $? "runtime PM allowed: it stays awake (usage $pm_usage, $pm_status)"

[ "$(cat "$FN/passthrough")" = "$NATIVE" ] && [ "$(cat "$FN/vendor")" = 0x1b36 ] &&
	[ "$(cat "$FN/device")" = 0x0010 ] && [ "$(cat "$FN/class")" = 0x010802 ] &&
	[ -n "$(cat "$FN/bars")" ]
tap_ok $? "the function is the NVMe: $(cat "$FN/vendor"):$(cat "$FN/device") class $(cat "$FN/class"), bars '$(cat "$FN/bars")'"

! echo 0x1234 > "$FN/vendor" 2> /dev/null && ! echo 64:4K > "$FN/bars" 2> /dev/null &&
	[ "$(cat "$FN/vendor")" = 0x1b36 ]
tap_ok $? "its ids and BARs are the real function's: writes refused"

mkdir "$DEV/other" &&
	! echo "$NATIVE" > "$DEV/other/passthrough" 2> /dev/null &&
	! echo 0000:00:00.0 > "$DEV/other/passthrough" 2> /dev/null &&
	! echo 0000:00:1f.7 > "$DEV/other/passthrough" 2> /dev/null &&
	! echo 00:04 > "$DEV/other/passthrough" 2> /dev/null &&
	[ -z "$(cat "$DEV/other/passthrough")" ] && rmdir "$DEV/other"
tap_ok $? "refused: the NVMe a second time, the host bridge, a missing function, a bad address"

# --- the bus comes up with it ---------------------------------------------------
pvbus_dmesg_mark
echo 1 > "$FN/live" && echo 1 > "$HOST/live" && wait_for 50 test -e "$PVDEV"
tap_ok $? "host live: the NVMe is $DOM:00:00.0" || {
	pvbus_dmesg_new | tap_diag
	bail "the bus did not come up"
}
[ "$(cat "$PVDEV/vendor")" = 0x1b36 ] && [ "$(cat "$PVDEV/device")" = 0x0010 ] &&
	[ "$(cat "$PVDEV/class")" = 0x010802 ] &&
	[ "$(readlink "$BUSDEV/driver" | sed 's|.*/||')" = pci-pvbus ]
tap_ok $? "$DOM:00:00.0 is the NVMe, behind pci-pvbus"

b0=$(bar "$PVDEV" 0)
iomem=$(printf '%08x-%08x' "${b0% *}" "${b0#* }")
# The high window of the default SSDT on this machine (consts.sh).
in_range "$b0" "$PVBUS_HIGH_START" "$PVBUS_HIGH_END" &&
	case "$(iomem_path "$iomem")" in
	*"pvbus high window > "*"PCI Bus $DOM:00 > $DOM:00:00.0"*) true ;;
	*) false ;;
	esac
tap_ok $? "BAR 0 $b0 in the pvbus high window: $(iomem_path "$iomem")"
grep -E "pvbus high window|pci-pvbus $DOM|PCI Bus $DOM|$DOM:00:00.0|: nvme\$" /proc/iomem | tap_diag

wait_for 150 bound "$PVDEV"
tap_ok $? "the stock nvme driver is bound to $DOM:00:00.0: $(readlink "$PVDEV/driver")"
pvbus_dmesg_new | grep -E "pci-pvbus|pvbus_sim|nvme|$DOM" | tap_diag
pvdisk=$(nvme_disk "$PVDEV")
ctrl=
for c in "$PVDEV"/nvme/nvme*; do
	ctrl=${c##*/}
done

msix=$(cat "$PVDEV"/msi_irqs/* 2> /dev/null | sort -u | tr '\n' ' ')
[ "$msix" = "msix " ]
tap_ok $? "MSI-X: $(find "$PVDEV/msi_irqs" -type f | wc -l) vectors in msi_irqs, all '$msix'"
# pci-pvbus says when firmware gives no MSI domain; this function has one
# (GICv2m, the ITS through the IORT, x86's).
! pvbus_dmesg_new | grep -E 'pci-pvbus|pci '"$DOM" | grep -q 'no MSI'
tap_ok $? "pci-pvbus does not say that it gets no MSI" ||
	pvbus_dmesg_new | grep 'no MSI' | tap_diag

remaps=$(dma_remaps)
[ "$remaps" = "$native_remaps" ]
tap_ok $? "DMA configured as natively: $remaps remapped coherent DMA areas, natively $native_remaps"

disk_check "$pvdisk" /tmp/patA 0
tap_ok $? "through pvbus: $pvdisk reads pattern A, written natively"

disk_write "$pvdisk" /tmp/patB 1 && disk_check "$pvdisk" /tmp/patB 1
tap_ok $? "through pvbus: pattern B written at 1 MiB and read back"

irqs=$(nvme_irqs "$ctrl")
# The PCI MSI chip: x86's PCI-MSI; on arm64 GICv2m's MSI, the ITS's ITS-MSI.
[ "${irqs%% *}" -gt 0 ] && case " $irqs " in
	*" PCI-MSI "*|*" MSI "*|*" ITS-MSI "*) true ;;
	*) false ;;
	esac
tap_ok $? "interrupts of $ctrl: $irqs"
grep -E " $ctrl"q /proc/interrupts | tap_diag

# A rescan of every PCI bus: the native resource assigner places no BAR
# of the NVMe, which would move the real function under the guest.
header "$NATDEV" > /tmp/hdr.pt
echo 1 > /sys/bus/pci/rescan
! grep -qF "$NATIVE" /proc/iomem && header "$NATDEV" | cmp -s /tmp/hdr.pt - &&
	disk_check "$pvdisk" /tmp/patB 1
tap_ok $? "a native rescan leaves it alone: none of its BARs in /proc/iomem, its real BARs where the guest put them, $pvdisk reads pattern B" || {
	grep -F "$NATIVE" /proc/iomem | tap_diag
	header "$NATDEV" | diff /tmp/hdr.pt - | tap_diag
}

pvbus_sim_clean "$HOST"
tap_ok $? "the host refused nothing, the guest rejected nothing"

# --- given back ------------------------------------------------------------------
pvbus_dmesg_mark
tap_check "passthrough = '': given back" sh -c "echo > $FN/passthrough"
[ ! -e "$PVDEV" ] && [ "$(cat "$FN/live")" = 0 ] && [ -z "$(cat "$FN/passthrough")" ] &&
	[ "$(cat "$FN/vendor")" = 0x1b36 ] && [ "$(cat "$FN/device")" = 0x00fe ]
tap_ok $? "the guest gave it back (eject): $DOM:00:00.0 is gone, the function is not live"
pvbus_dmesg_new > /tmp/back.dmesg
grep -E 'pci-pvbus|pvbus_sim|nvme|04.0' /tmp/back.dmesg | tap_diag
grep -q "function 00.0 (1b36:0010) ejected" /tmp/back.dmesg &&
	! grep -q "did not give" /tmp/back.dmesg
tap_ok $? "it was ejected, not removed by surprise"

wait_for 150 bound "$NATDEV"
tap_ok $? "native: nvme binds to $NATIVE again" || bail "the NVMe did not come back"
echo "$pmctl" > "$NATDEV/power/control"
[ "$(cat "$NATDEV/driver_override")" = "$override" ] &&
	cmp -s /tmp/res.base "$NATDEV/resource" && header "$NATDEV" | cmp -s /tmp/hdr.base -
tap_ok $? "native: BARs, resources and driver_override as before" || {
	diff /tmp/res.base "$NATDEV/resource" | tap_diag
	header "$NATDEV" | diff /tmp/hdr.base - | tap_diag
}
if pt_iomem "$NATIVE" | cmp -s /tmp/iomem.native -; then
	tap_ok 0 "native: its /proc/iomem entries as before: $(tr -s ' \n' ' ' < /tmp/iomem.native)"
else
	pt_iomem "$NATIVE" | diff /tmp/iomem.native - | tap_diag
	tap_ok 1 "native: its /proc/iomem entries as before"
fi
disk=$(nvme_disk "$NATDEV")
disk_check "$disk" /tmp/patA 0 && disk_check "$disk" /tmp/patB 1
tap_ok $? "native: $disk reads pattern A and pattern B, written through pvbus"

# --- hot add, then a surprise removal ----------------------------------------
pvbus_dmesg_mark
pt_hot_add "$FN" "$NATIVE" "$PVDEV"
tap_ok $? "taken again and hot added: nvme bound to $DOM:00:00.0"
pvdisk=$(nvme_disk "$PVDEV")
disk_check "$pvdisk" /tmp/patB 1
tap_ok $? "through pvbus: $pvdisk reads pattern B"

echo 0 > "$FN/live" && wait_for 100 test ! -e "$PVDEV"; gone=$?
cmd=$(od -An -tx1 -j4 -N1 "$NATDEV/config" | tr -d ' ')
[ "$gone" -eq 0 ] && [ $((0x$cmd & 7)) -eq 0 ] && [ -z "$(driver_of "$NATDEV")" ]
tap_ok $? "live=0, a surprise removal: the guest let go of $DOM:00:00.0, the NVMe is fenced (command $cmd) and still the host's"
pvbus_dmesg_new | grep -E 'pci-pvbus|pvbus_sim|nvme|04.0' | tap_diag

tap_check "passthrough = '': given back" sh -c "echo > $FN/passthrough"
wait_for 150 bound "$NATDEV" && disk=$(nvme_disk "$NATDEV") &&
	disk_check "$disk" /tmp/patA 0 && disk_check "$disk" /tmp/patB 1
tap_ok $? "native: nvme bound again, both patterns intact"

# --- hot add, then rmdir ---------------------------------------------------------
pvbus_dmesg_mark
pt_hot_add "$FN" "$NATIVE" "$PVDEV"
tap_ok $? "taken a third time and hot added: nvme bound to $DOM:00:00.0"

tap_check "rmdir of the live function" rmdir "$FN"
[ ! -e "$PVDEV" ] && wait_for 150 bound "$NATDEV"
tap_ok $? "it was taken back from the guest and given back: native nvme bound"
pvbus_dmesg_new | grep -E 'pci-pvbus|pvbus_sim|04.0' | tap_diag

# --- hot add, revoke of the bus, unload ------------------------------------------
pt_hot_add "$FN" "$NATIVE" "$PVDEV"
tap_ok $? "taken a fourth time and hot added: nvme bound to $DOM:00:00.0"

tap_check "host live=0: the bus is revoked" sh -c "echo 0 > $HOST/live"
[ ! -e "$PVDEV" ] && [ -z "$(driver_of "$NATDEV")" ] && [ "$(cat "$FN/live")" = 1 ]
tap_ok $? "the bus is gone, the NVMe still the host's"

tap_check "rmdir everything" rmdir "$FN" "$DEV" "$HOST"
wait_for 150 bound "$NATDEV"
tap_ok $? "native: nvme bound to $NATIVE"

# --- a domain that firmware gives no MSI -----------------------------------------
# Only an ITS guest with ACPI has one (pt_nomsi_why).  The function gets
# none: pci-pvbus says so and turns MSI off for it, so that its driver finds
# no MSI instead of the PCI core warning of a device without an MSI domain.
NOMSI=7a5f
NOMSI_DEV=/sys/bus/pci/devices/$NOMSI:00:00.0
why=$(pt_nomsi_why)
if [ -n "$why" ]; then
	tap_skip "a domain the IORT does not name: no MSI, and pci-pvbus says so" "$why"
	tap_skip "no WARNING from the PCI core" "$why"
	tap_skip "given back: native nvme bound" "$why"
else
	pvbus_dmesg_mark
	pt_bus "$HOST" "$DEV" "3c2b1a09-8f7e-4d6c-$NOMSI-0f1e2d3c4b5a" &&
		pt_take "$FN" "$NATIVE" && echo 1 > "$FN/live" &&
		echo 1 > "$HOST/live" && wait_for 50 test -e "$NOMSI_DEV" &&
		wait_for 150 sh -c "[ -z \"\$(readlink $NOMSI_DEV/driver)\" ]"
	r=$?
	pvbus_dmesg_new | grep -E "pci-pvbus|$NOMSI|nvme|WARNING" | tap_diag
	[ "$r" -eq 0 ] && [ -z "$(ls "$NOMSI_DEV/msi_irqs" 2> /dev/null)" ] &&
		pvbus_dmesg_new |
		grep -qF "$NOMSI:00:00.0: no MSI domain in the firmware for domain $NOMSI: no MSI or MSI-X"
	tap_ok $? "a domain the IORT does not name, $NOMSI: no MSI, and pci-pvbus says so"
	! pvbus_dmesg_new | grep -qE "$PVBUS_KLOG_BAD"
	tap_ok $? "no WARNING from the PCI core"
	echo 0 > "$HOST/live" && rmdir "$FN" "$DEV" "$HOST" && wait_for 150 bound "$NATDEV"
	tap_ok $? "given back: native nvme bound"
fi

tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base
disk=$(nvme_disk "$NATDEV")
cmp -s /tmp/res.base "$NATDEV/resource" && header "$NATDEV" | cmp -s /tmp/hdr.base - &&
	disk_check "$disk" /tmp/patA 0 && disk_check "$disk" /tmp/patB 1
tap_ok $? "native: resources, BARs and both patterns intact"

tap_done
