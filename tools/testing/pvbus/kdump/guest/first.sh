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
tap_diag "kexec -p $KDUMP_KEXEC_ARGS --command-line='$append' --initrd=$KDUMP_INITRD $KDUMP_KERNEL"
start=$(date +%s)
# shellcheck disable=SC2086 # the options split on purpose
tap_check "kexec -p ${KDUMP_KEXEC_ARGS:+$KDUMP_KEXEC_ARGS }loads the kdump kernel" \
	kexec -p $KDUMP_KEXEC_ARGS --command-line="$append" \
	--initrd="$KDUMP_INITRD" "$KDUMP_KERNEL"
secs=$(($(date +%s) - start))
loaded=$(cat /sys/kernel/kexec_crash_loaded 2> /dev/null)
[ "$loaded" = 1 ]
tap_ok $? "/sys/kernel/kexec_crash_loaded is 1 ($loaded)"

kd_fact "stage=first fb=$(kd_fbs) lfb_base=$(kd_lfb_base) root=$dev root_pci=$pci" \
	"kexec=-p${KDUMP_KEXEC_ARGS:+,$KDUMP_KEXEC_ARGS} loaded=${loaded:--} load_secs=$secs token=$token"
tap_done
