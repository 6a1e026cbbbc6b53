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
# seconds under TCG, and nothing this test is about.  What differs on
# arm64 (consts.sh): the first kernel's framebuffer (efifb, in System RAM)
# is reported by screen_info but outside every window; the kdump kernel
# loses screen_info and has no PCI display, the firmware's one reserved
# range is above 4 GiB and tells nothing of a framebuffer, so even with
# every source on it reserves the fallback, 128 MiB.
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
	if [ -z "$PVBUS_BOOT_FB" ]; then
		iomem_has "$PVBUS_FB" "framebuffer (screen_info)"
		tap_ok $? "first kernel: framebuffer (screen_info) at $PVBUS_FB"
	else
		# efifb's range, as /proc/iomem names it, is what screen_info
		# tells; it is in System RAM, so nothing is inserted.
		efi=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : efifb$/\1/p' /proc/iomem)
		[ -n "$efi" ] &&
			pvbus_dmesg_new | grep -q "framebuffer (screen_info) \[mem 0x$efi-" &&
			! pvbus_rsv_lines | grep -qv '(firmware)$'
		tap_ok $? "first kernel: framebuffer (screen_info) at efifb's 0x${efi:-?}, outside the windows"
	fi
	unload
	! dmesg | grep -q 'kdump fallback'
	tap_ok $? "first kernel: no kdump fallback"
	tap_done
fi

# --- the kdump kernel ---------------------------------------------------
tap_plan 22
tap_diag "kdump kernel: $(cat /proc/cmdline)"
tap_diag "/proc/fb: $(tr '\n' ';' < /proc/fb)"
[ -e /proc/vmcore ]
tap_ok $? "this is the kdump kernel (/proc/vmcore)"

# Every source: on x86 kexec -p rebuilt screen_info from the first
# kernel's vesafb, and the VGA BAR is found again: no fallback.  On arm64
# only the firmware's reserved range is left, above 4 GiB: the fallback.
load
said=no
pvbus_dmesg_new | grep -q 'kdump kernel and no source tells where the framebuffer is' && said=yes
case " $PVBUS_KDUMP_FOUND " in
*" kdump_fallback "*) want=yes ;;
*) want=no ;;
esac
[ "$(pvbus_sources)" = "$PVBUS_KDUMP_FOUND" ] && [ "$said" = "$want" ]
tap_ok $? "all sources: '$(pvbus_sources)' found (want '$PVBUS_KDUMP_FOUND'); fallback said: $said (want $want)"
# The crashed kernel's RAM is read from /proc/vmcore's ELF core header
# (KUnit and the fuzzer check that windows are kept off it).
ram=$(pvbus_dmesg_new | grep -o "kdump: the crashed kernel's RAM is [0-9]* ranges\? ([^)]*)")
[ -n "$ram" ] && [ "${ram#*RAM is 0 }" = "$ram" ]
tap_ok $? "the crashed kernel's RAM is read: ${ram:-no such line}"
unload

# No source: the fallback at the low window's start (16 MiB on x86, at
# least the VGA BAR's default size).
fb=$(pvbus_iomem_range "$PVBUS_FALLBACK_START" "$PVBUS_FALLBACK_END")
mem=$(pvbus_mem_range "$PVBUS_FALLBACK_START" "$PVBUS_FALLBACK_END")
kib=$(((PVBUS_FALLBACK_END - PVBUS_FALLBACK_START + 1) / 1024))
load fb_sources=kdump_fallback
grep -A3 'pvbus low window' /proc/iomem | tap_diag
[ "$(pvbus_rsv_lines)" = "$fb : framebuffer (kdump fallback)" ]
tap_ok $? "/proc/iomem: $fb : framebuffer (kdump fallback), and no other reservation"
path=$(iomem_path "$fb")
case "$path" in
*"pvbus low window > framebuffer (kdump fallback)"*) r=0 ;;
*) r=1 ;;
esac
tap_ok $r "it is in the low window: $path"
grep -q "^reserved .*$(pvbus_dbg_range "$PVBUS_FALLBACK_START" "$PVBUS_FALLBACK_END") framebuffer (kdump fallback)" "$PVBUS_DBG" &&
	[ "$(pvbus_sources)" = kdump_fallback ]
tap_ok $? "debugfs mmio: the fallback reservation, sources '$(pvbus_sources)'"
pvbus_dmesg_new | grep -qF "kdump kernel and no source tells where the framebuffer is: reserved $mem ($kib KiB) at the start of the low window"
tap_ok $? "dmesg says so: kdump kernel and no source tells where the framebuffer is: reserved $mem ..."
off=$(echo "$PVBUS_KDUMP_SOURCES" | sed 's/ /, /g')
pvbus_dmesg_new | grep -qF "switched off by pvbus.fb_sources: $off"
tap_ok $? "dmesg: the sources switched off are named: $off"
unload

# screen_info alone: on x86 kexec -p rebuilt it from vesafb, which maps
# 4.5 MiB of the VGA BAR's 16 MiB.  With the BAR's source off nothing says
# how far the first kernel's driver grew the framebuffer: the fallback
# from screen_info's base, here the low window's start, so the same range
# as above (/proc/iomem names both on one line).  An arm64 kdump kernel
# has no screen_info.
load fb_sources=screen_info,kdump_fallback
if [ -n "$PVBUS_BOOT_FB" ]; then
	tap_skip "screen_info alone: the fallback from its base" \
		"no screen_info in an arm64 kdump kernel"
else
	grep -A3 'pvbus low window' /proc/iomem | tap_diag
	si=$(pvbus_dmesg_new | grep -o 'framebuffer (screen_info) \[mem [^]]*\]$')
	si=${si#framebuffer (screen_info) }
	[ "${si%%-*}" = "${mem%%-*}" ] &&
		pvbus_rsv_lines | grep -F "$fb : " | grep -qF 'framebuffer (kdump fallback)' &&
		pvbus_dmesg_new | grep -qF "no display BAR or pvbus.reserve= range holds screen_info's framebuffer, which the crashed kernel's driver may have grown: reserved $mem ($kib KiB) from its base"
	tap_ok $? "screen_info alone (${si:-none}): the fallback from its base too, $fb, and dmesg says why"
fi
unload

# No source and the fallback switched off too: nothing, and it says so.
load fb_sources=none
[ -z "$(pvbus_rsv_lines)" ] &&
	pvbus_dmesg_new | grep -q 'the fallback is switched off by pvbus.fb_sources'
tap_ok $? "fb_sources=none: nothing reserved, and dmesg says the fallback is off"
unload

tap_done
