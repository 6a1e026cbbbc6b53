#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kdump fallback.  A kdump kernel that learns of no framebuffer from any
# source reserves the start of the low window, in case the framebuffer is
# there, and says so.  The boot is a real kdump cycle: the first kernel
# (crashkernel=256M) checks what it needs and where its framebuffer is,
# /init loads the same kernel and initramfs with kexec -p and crashes, and
# the kdump kernel runs this script again.  kexec -i (--no-checks) skips
# the SHA-256 of the loaded kernel and initrd, at load and in purgatory:
# seconds under TCG, and nothing this test is about.
#
# guest-args: --kdump --kexec-args -i

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

# load ARGS...: load pvbus.ko with ARGS, a pass when it loads.
load() {
	pvbus_dmesg_mark
	tap_check "insmod pvbus.ko $*" insmod "$(pvbus_ko pvbus)" "$@"
	pvbus_dmesg_new | grep pvbus | tap_diag
}

# unload: 2 results, rmmod pvbus and /proc/iomem back to its baseline.
unload() {
	tap_check "rmmod pvbus" rmmod pvbus
	pvbus_iomem_baseline /tmp/iomem.base
}

cat /proc/iomem > /tmp/iomem.base

if ! pvbus_kdump_kernel; then
	# --- the first kernel ---------------------------------------------
	tap_plan 8
	pvbus_kdump_cycle
	tap_ok $? "this boot is a kdump cycle (/etc/pvbus-kdump.conf)"
	grep -q 'Crash kernel' /proc/iomem
	tap_ok $? "crashkernel= reserved memory: $(grep 'Crash kernel' /proc/iomem | sed 's/^ *//')"
	[ -f /boot/vmlinuz ] && [ -f /boot/initrd.img ] && command -v kexec > /dev/null
	tap_ok $? "kexec, /boot/vmlinuz and /boot/initrd.img are in the initramfs"

	# For comparison: where the first kernel's sources say the
	# framebuffer is.
	load
	iomem_has "$PVBUS_FB" "framebuffer (screen_info)"
	tap_ok $? "first kernel: framebuffer (screen_info) at $PVBUS_FB"
	unload
	! dmesg | grep -q 'kdump fallback'
	tap_ok $? "first kernel: no kdump fallback"
	tap_done
fi

# --- the kdump kernel ---------------------------------------------------
tap_plan 17
tap_diag "kdump kernel: $(cat /proc/cmdline)"
tap_diag "/proc/fb: $(tr '\n' ';' < /proc/fb)"
[ -e /proc/vmcore ]
tap_ok $? "this is the kdump kernel (/proc/vmcore)"

# Every source: kexec -p rebuilt screen_info from the first kernel's
# vesafb, and the VGA BAR is found again, so no fallback.
load
[ "$(pvbus_sources)" = "screen_info pci firmware" ] &&
	! pvbus_dmesg_new | grep -q 'kdump kernel and no framebuffer source'
tap_ok $? "all sources: screen_info, PCI and firmware found; no fallback"
unload

# No source: the fallback, 16 MiB (at least the VGA BAR's default size) at its start.
load fb_sources=kdump_fallback
grep -A3 'pvbus low window' /proc/iomem | tap_diag
[ "$(pvbus_rsv_lines)" = "fd000000-fdffffff : framebuffer (kdump fallback)" ]
tap_ok $? "/proc/iomem: fd000000-fdffffff : framebuffer (kdump fallback), and no other reservation"
path=$(iomem_path fd000000-fdffffff)
case "$path" in
*"pvbus low window > framebuffer (kdump fallback)"*) r=0 ;;
*) r=1 ;;
esac
tap_ok $r "it is in the low window: $path"
grep -q '^reserved .*0x00000000fd000000-0x00000000fdffffff framebuffer (kdump fallback)' "$PVBUS_DBG" &&
	[ "$(pvbus_sources)" = kdump_fallback ]
tap_ok $? "debugfs mmio: the fallback reservation, sources '$(pvbus_sources)'"
pvbus_dmesg_new | grep -q 'kdump kernel and no framebuffer source: reserved \[mem 0xfd000000-0xfdffffff\] (16384 KiB) at the start of the low window'
tap_ok $? "dmesg says so: kdump kernel and no framebuffer source: reserved [mem 0xfd000000-0xfdffffff] ..."
pvbus_dmesg_new | grep -q 'switched off by pvbus.fb_sources: screen_info, pci, firmware'
tap_ok $? "dmesg: the sources switched off are named"
unload

# No source and the fallback switched off too: nothing, and it says so.
load fb_sources=none
[ -z "$(pvbus_rsv_lines)" ] &&
	pvbus_dmesg_new | grep -q 'the fallback is switched off by pvbus.fb_sources'
tap_ok $? "fb_sources=none: nothing reserved, and dmesg says the fallback is off"
unload

tap_done
