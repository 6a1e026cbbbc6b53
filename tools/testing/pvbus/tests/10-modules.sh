#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pvbus.ko loads and unloads, and leaves /proc/iomem byte for byte as it
# found it.  Also reports, as comments, what userspace sees of the boot
# framebuffer (screen_info) and whether the SSDT's bus root enumerated.
# With the DT firmware (guest.sh --fw dt, pvbus_guest_ssdt=dt) there is no
# ACPI: the bus root is the DT's /pvbus node, and pvbus must bind to it
# through its of_match and take the windows from its "mmio-windows".

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

ssdt=$(pvbus_ssdt)
if [ "$ssdt" = dt ]; then
	tap_plan 8
else
	tap_plan 7
fi

tap_diag "kernel $(uname -r): $(cat /proc/cmdline)"

# screen_info as userspace sees it.
tap_diag "/proc/fb: $(tr '\n' ';' < /proc/fb)"
for f in name virtual_size bits_per_pixel stride; do
	[ -r "/sys/class/graphics/fb0/$f" ] &&
		tap_diag "fb0 $f: $(cat "/sys/class/graphics/fb0/$f")"
done
grep -iE 'bootfb|vesafb|efifb|simple-framebuffer|0000:00:02\.0' /proc/iomem |
	sed 's/^ */iomem: /' | tap_diag
for d in /sys/bus/platform/devices/vesa-framebuffer.* \
	/sys/bus/platform/devices/simple-framebuffer.* \
	/sys/bus/platform/devices/efi-framebuffer.*; do
	[ -e "$d" ] && tap_diag "platform device ${d##*/}"
done

# The bus root of the SSDT: \_SB.PVB0.
acpi_dev=
for d in /sys/bus/acpi/devices/*; do
	[ "$(cat "$d/path" 2> /dev/null)" = '\_SB_.PVB0' ] && acpi_dev=$d && break
done
if [ -n "$acpi_dev" ]; then
	adev=${acpi_dev##*/}
	tap_diag "SSDT '$ssdt': ACPI device $adev, hid $(cat "$acpi_dev/hid")"
	tap_diag "SSDT '$ssdt': modalias $(cat "$acpi_dev/modalias")"
	if [ -e "/sys/bus/platform/devices/$adev" ]; then
		tap_diag "SSDT '$ssdt': platform device $adev"
	else
		tap_diag "SSDT '$ssdt': no platform device $adev"
	fi
else
	tap_diag "SSDT '$ssdt': no ACPI device \\_SB_.PVB0"
fi
case "$ssdt" in
prp)	want=PRP0001 ;;
hid)	want=PVBS0001 ;;
*)	want= ;;
esac
if [ -n "$want" ]; then
	[ -n "$acpi_dev" ] && [ "$(cat "$acpi_dev/hid")" = "$want" ] &&
		[ -e "/sys/bus/platform/devices/${acpi_dev##*/}" ]
	tap_ok $? "SSDT bus root enumerated as $want platform device"
elif [ "$ssdt" = none ]; then
	[ -z "$acpi_dev" ]
	tap_ok $? "no SSDT, no bus root"
elif [ "$ssdt" = dt ]; then
	dt=/sys/bus/platform/devices/pvbus
	tap_diag "DT /pvbus: compatible '$(tr '\0' ' ' < /proc/device-tree/pvbus/compatible)'"
	[ "$(tr -d '\0' < /proc/device-tree/pvbus/compatible 2> /dev/null)" = pvbus,bus ] &&
		[ -z "$acpi_dev" ] &&
		[ "$(readlink -f "$dt/of_node")" = "$(readlink -f /proc/device-tree/pvbus)" ]
	tap_ok $? "DT bus root /pvbus enumerated as platform device pvbus, no ACPI one"
else
	tap_skip "SSDT bus root enumerated" "custom SSDT '$ssdt'"
fi

# guest.sh upgrades QEMU's revision 1 DSDT to revision 2: with 32-bit
# integers ACPICA would truncate the SSDT's 64-bit window addresses.
if [ "$ssdt" = dt ]; then
	[ ! -e /sys/firmware/acpi/tables/DSDT ] && [ -e /sys/firmware/fdt ]
	tap_ok $? "DT firmware: no ACPI tables, the kernel booted from the DT"
elif [ "$ssdt" = none ]; then
	dsdt_rev=$(od -An -tu1 -j8 -N1 /sys/firmware/acpi/tables/DSDT | tr -d ' ')
	tap_diag "DSDT revision $dsdt_rev"
	tap_skip "ACPI integers are 64-bit" "no SSDT"
else
	dsdt_rev=$(od -An -tu1 -j8 -N1 /sys/firmware/acpi/tables/DSDT | tr -d ' ')
	tap_diag "DSDT revision $dsdt_rev"
	! dmesg | grep -q 'Truncated 64-bit constant' && [ "$dsdt_rev" -ge 2 ]
	tap_ok $? "ACPI integers are 64-bit (DSDT revision 2, nothing truncated)"
fi

ko=$(pvbus_ko pvbus)
cat /proc/iomem > /tmp/iomem.before

[ -n "$ko" ]
if ! tap_ok $? "pvbus.ko is in the initramfs"; then
	tap_skip "insmod pvbus.ko" "no pvbus.ko"
	[ "$ssdt" != dt ] || tap_skip "pvbus bound to the DT node" "no pvbus.ko"
	tap_skip "pvbus is live" "no pvbus.ko"
	tap_skip "rmmod pvbus" "no pvbus.ko"
	tap_skip "/proc/iomem is back to its baseline" "no pvbus.ko"
	tap_done
fi

pvbus_dmesg_mark
tap_check "insmod pvbus.ko" insmod "$ko"
if [ "$ssdt" = dt ]; then
	# dt/pvbus.dtsi's windows on the virt machine.
	pvbus_dmesg_new | grep pvbus | tap_diag
	[ "$(readlink "$dt/driver" | sed 's|.*/||')" = pvbus ] &&
		pvbus_dmesg_new | grep -qF 'pvbus pvbus: low window [mem 0x30000000-0x3dffffff] (firmware)' &&
		pvbus_dmesg_new | grep -qF 'pvbus pvbus: high window [mem 0x9000000000-0x90ffffffff] (firmware)'
	tap_ok $? "pvbus bound to the DT node, its windows from the DT's mmio-windows"
fi
grep -q '^pvbus .* Live ' /proc/modules
tap_ok $? "pvbus is live in /proc/modules"
if cmp /tmp/iomem.before /proc/iomem > /dev/null; then
	tap_diag "pvbus loaded: /proc/iomem unchanged"
else
	tap_diag "pvbus loaded: /proc/iomem changed:"
	diff /tmp/iomem.before /proc/iomem | tap_diag
fi
tap_check "rmmod pvbus" rmmod pvbus
# Byte for byte: cmp, not a line diff.
pvbus_iomem_baseline /tmp/iomem.before

tap_done
