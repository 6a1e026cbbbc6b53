#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The first kernel of a kdump matrix cell, on its root file system (the
# NVMe behind pci-pvbus): the framebuffer driver of the cell (vesafb, or
# bochs-drm loaded after boot, as udev would), then the kdump kernel loaded
# as Debian's kdump-tools does, from /etc/default/kdump-tools:
#
#	kexec -p $KDUMP_KEXEC_ARGS --command-line="<this kernel's command line
#		without crashkernel=> $KDUMP_CMDLINE_APPEND"
#		--initrd=$KDUMP_INITRD $KDUMP_KERNEL
#
# KDUMP_KEXEC_ARGS is "" (KEXEC_LOAD) or "-s" (KEXEC_FILE_LOAD).  A token
# written to the kernel log before the crash lets the verification boot
# tell this crash's dump from any other.

# shellcheck source=SCRIPTDIR/../../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh
# shellcheck source=SCRIPTDIR/lib.sh
. /kdump/lib.sh

KDUMP_KERNEL=/boot/vmlinuz
KDUMP_INITRD=/boot/initrd.img
KDUMP_CMDLINE_APPEND=
KDUMP_KEXEC_ARGS=
PVBUS_KD_FB=vesafb
# shellcheck source=/dev/null # the cell's, written by run.sh
. /etc/default/kdump-tools

tap_plan 7

dev=$(kd_mounted_dev /)
blk=${dev#/dev/}
pci=$(kd_blk_pci "$blk")
case "$(kd_arg pvbus_kd_nvme || echo pvbus):$pci" in
pvbus:"$KD_DOMAIN":*|native:"$KD_NVME_ADDR") r=0 ;;
*) r=1 ;;
esac
tap_ok $r "/ is $dev ($(awk '$2 == "/" { print $3 }' /proc/mounts)) on $pci"

# --- the framebuffer driver --------------------------------------------------
rsv_before=$(pvbus_rsv_lines)
case "$PVBUS_KD_FB" in
bochs)
	tap_check "modprobe bochs (bochs-drm replaces vesafb)" modprobe bochs
	wait_for 100 grep -q bochs /proc/fb
	;;
efifb)
	# arm64: UEFI's GOP on QEMU's ramfb, efifb from the EFI stub's
	# screen_info.
	grep -q 'EFI VGA' /proc/fb
	tap_ok $? "efifb drives the framebuffer ($(dmesg | sed -n 's/.*efifb: framebuffer at \([^,]*\),.*/\1/p' | tail -n 1))"
	;;
*)
	grep -q 'VESA VGA' /proc/fb
	tap_ok $? "vesafb drives the framebuffer"
	;;
esac
tap_diag "/proc/fb: $(kd_fbs)"
# bochs-drm removes vesafb, which releases its region inside the bus's
# reservations: they stay in /proc/iomem as they were.
rsv_after=$(pvbus_rsv_lines)
[ "$rsv_after" = "$rsv_before" ]
tap_ok $? "the bus's reservations in /proc/iomem are as before: $(echo "$rsv_after" | tr '\n' ';')"

grep -q 'Crash kernel' /proc/iomem
tap_ok $? "crashkernel= reserved: $(grep 'Crash kernel' /proc/iomem | sed 's/^ *//')"

token=$(cat /proc/sys/kernel/random/uuid)
mkdir -p /var/lib/pvbus-kdump
echo "$token" > /var/lib/pvbus-kdump/token && rm -rf /var/crash/* &&
	echo "pvbus-kdump: crash token $token" > /dev/kmsg && sync
tap_ok $? "crash token $token in the kernel log and in /var/lib/pvbus-kdump/token"

# --- the kdump kernel ------------------------------------------------------------
append=
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case "$w" in
	crashkernel=*|pvbus_guest_kdump_first=*) ;;
	*) append="$append $w" ;;
	esac
done
append="${append# } $KDUMP_CMDLINE_APPEND pvbus_guest_kdump_first=4"
# arm64: the harness's ACPI tables go in front of the kdump kernel's
# initrd as in front of this one's (kdump.sh kept them): on a real VM the
# firmware's tables reach both kernels.
if [ -d "$KD_ACPI/kernel" ]; then
	(cd "$KD_ACPI" && find kernel | cpio -o -H newc 2> /dev/null) > /run/kdump-initrd &&
		cat "$KDUMP_INITRD" >> /run/kdump-initrd &&
		KDUMP_INITRD=/run/kdump-initrd
	tap_diag "the kdump kernel's initrd: $(cd "$KD_ACPI" && find kernel -type f) in front of /boot/initrd.img"
fi
# arm64: kexec-tools 2.0.25 takes the kernel's page offset and the
# virtual address of its text from _text in /proc/kallsyms, which Debian's
# arm64 kernel does not list (_text is below _stext, and kallsyms keeps
# only the text without CONFIG_KALLSYMS_ALL): without it the vmcore's ELF
# headers are wrong and makedumpfile cannot read the dump.  _text is 64 KiB
# below _stext there (SEGMENT_ALIGN), so the harness adds that line to a
# copy mounted over /proc/kallsyms for kexec alone.
kallsyms=
if [ "$(uname -m)" = aarch64 ] && ! grep -q ' _text$' /proc/kallsyms; then
	stext=$(sed -n 's/^\([0-9a-f]*\) [Tt] _stext$/\1/p' /proc/kallsyms)
	if [ -n "$stext" ] && [ "$stext" != 0000000000000000 ]; then
		cp /proc/kallsyms /run/kallsyms &&
			printf '%016x T _text\n' $((0x$stext - 0x10000)) >> /run/kallsyms &&
			mount --bind /run/kallsyms /proc/kallsyms && kallsyms=yes
		tap_diag "/proc/kallsyms has no _text: $(tail -n 1 /run/kallsyms) (_stext - 64 KiB) added for kexec (${kallsyms:-the bind mount failed})"
	fi
fi
tap_diag "kexec -p $KDUMP_KEXEC_ARGS --command-line='$append' --initrd=$KDUMP_INITRD $KDUMP_KERNEL"
start=$(date +%s)
# shellcheck disable=SC2086 # the options split on purpose
kexec -p $KDUMP_KEXEC_ARGS --command-line="$append" \
	--initrd="$KDUMP_INITRD" "$KDUMP_KERNEL" > /tmp/kexec.out 2>&1
r=$?
[ -z "$kallsyms" ] || umount /proc/kallsyms
tap_diag < /tmp/kexec.out
secs=$(($(date +%s) - start))
loaded=$(cat /sys/kernel/kexec_crash_loaded 2> /dev/null)
nosys=
# A kernel without CONFIG_KEXEC_FILE (Debian's arm64 6.1 kernel) refuses
# kexec -s (ENOSYS): recorded here so that judge.sh fails the cell with
# that reason.
if [ "$r" -ne 0 ] && grep -qiE 'not implemented|kexec_file_load not available' /tmp/kexec.out; then
	nosys="kexec_file_load is not in this kernel (ENOSYS)"
	echo "$nosys" > /run/pvbus-kd-nosys
	tap_skip "kexec -p $KDUMP_KEXEC_ARGS loads the kdump kernel" "$nosys"
	tap_skip "/sys/kernel/kexec_crash_loaded is 1" "$nosys"
else
	tap_ok $r "kexec -p ${KDUMP_KEXEC_ARGS:+$KDUMP_KEXEC_ARGS }loads the kdump kernel"
	[ "$loaded" = 1 ]
	tap_ok $? "/sys/kernel/kexec_crash_loaded is 1 ($loaded)"
fi

kd_fact "stage=first fb=$(kd_fbs) lfb_base=$(kd_lfb_base) root=$dev root_pci=$pci" \
	"kexec=-p${KDUMP_KEXEC_ARGS:+,$KDUMP_KEXEC_ARGS} loaded=${loaded:--} load_secs=$secs token=$token" \
	"nosys=$([ -n "$nosys" ] && echo yes || echo no)"
tap_done
