#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An SSDT with bad ranges, and the sources that need a boot of their own.
# Its "mmio-windows" has, between the good low and high windows, one over
# System RAM (16 MiB at 16 MiB), one that wraps past 2^64, and one that
# straddles the end of the PCI host bridge window (0xfeb00000-0xfecfffff,
# over the IOAPIC); after them, one at 2^48, past the physical address
# space (the CPU's address bits: 40 here); its "reserved-ranges" covers
# the framebuffer, and has one range that wraps.  The kernel command line carries
# pvbus.reserve=16M@0xfd000000, as kdump-tools' KDUMP_CMDLINE_APPEND would.
#
# - each bad window is refused with a message saying why, the bad reserved
#   range is ignored, and the good windows are used;
# - the firmware's reserved range alone reserves the framebuffer;
# - pvbus.reserve= from the command line (modprobe passes it) alone does.
#
# guest-args: -D 'PVBUS_MMIO_WINDOWS=0xfd000000, 0x1800000, 0x1000000, 0x1000000, 0xfffffffffffff000, 0x2000, 0xfeb00000, 0x200000, 0x800000000, 0x100000000, 0x1000000000000, 0x40000000' -D 'PVBUS_RESERVED_RANGES=0xfd000000, 0x1000000, 0xfffffffffffff000, 0x2000' -a pvbus.reserve=16M@0xfd000000
#
# On arm64 (consts.sh's windows; the framebuffer the 16 MiB at the low
# window's start) the window over System RAM is 16 MiB at 0x41000000, and
# the one over the host bridge window's end is 0x3ef00000 + 2 MiB, which
# only partly covers the 32-bit window 0x10000000-0x3efeffff, and the one
# past the physical address space is at 2^44: the CPU's PARange (QEMU's
# cortex-a57), below the kernel's MAX_PHYSMEM_BITS (48):
# guest-args-arm64: -D 'PVBUS_MMIO_WINDOWS=0x30000000, 0x0e000000, 0x41000000, 0x1000000, 0xfffffffffffff000, 0x2000, 0x3ef00000, 0x200000, 0x9000000000, 0x100000000, 0x100000000000, 0x40000000' -D 'PVBUS_RESERVED_RANGES=0x30000000, 0x1000000, 0xfffffffffffff000, 0x2000' -a pvbus.reserve=16M@0x30000000

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

PLAN=25
tap_plan "$PLAN"

# The bad windows of the guest-args lines.
case "$(uname -m)" in
aarch64)	RAM_WIN=0x41000000 EDGE_WIN=0x3ef00000 PAST_WIN=0x100000000000 PAST=2^44 ;;
*)		RAM_WIN=0x1000000 EDGE_WIN=0xfeb00000 PAST_WIN=0x1000000000000 PAST=2^48 ;;
esac

grep -q "pvbus.reserve=$PVBUS_FB_RESERVE" /proc/cmdline ||
	missing "the boot of its guest-args line, pvbus.reserve=$PVBUS_FB_RESERVE"

# /proc/iomem without pvbus's own entries and without indentation: what
# the bus must leave alone.
others() {
	sed 's/^ *//' "$1" |
		grep -vE ' : (pvbus (low|high|low\+high) window|(framebuffer|reserved) \(.*\))$'
}

cat /proc/iomem > /tmp/iomem.base

# --- bad ranges refused, good windows used ------------------------------
pvbus_dmesg_mark
tap_check "modprobe pvbus" modprobe pvbus
pvbus_dmesg_new | grep pvbus | tap_diag
pvbus_dmesg_new > /tmp/fw.dmesg

grep -qF "firmware window start $RAM_WIN size 0x1000000 overlaps System RAM: refused" /tmp/fw.dmesg
tap_ok $? "the window over System RAM is refused: overlaps System RAM"
grep -qF 'firmware window start 0xfffffffffffff000 size 0x2000 wraps around the end of the address space: refused' /tmp/fw.dmesg
tap_ok $? "the window that wraps is refused: wraps around the end of the address space"
grep -qF "firmware window start $PAST_WIN size 0x40000000 beyond the physical address space: refused" /tmp/fw.dmesg
tap_ok $? "the window at $PAST is refused: beyond the physical address space"
edge=$(pvbus_mem_range "$EDGE_WIN" "$((EDGE_WIN + 0x1fffff))")
grep -qF "window $edge only partly covers a resource: refused" /tmp/fw.dmesg &&
	grep -qF "firmware window $edge not taken by the MMIO allocator" /tmp/fw.dmesg
tap_ok $? "the window over the end of the host bridge window is refused: a resource it only partly covers"
grep -qF 'firmware reserved range start 0xfffffffffffff000 size 0x2000 wraps around the end of the address space: ignored' /tmp/fw.dmesg
tap_ok $? "the reserved range that wraps is ignored"

grep -E 'pvbus|framebuffer \(|reserved \(' /proc/iomem | tap_diag
iomem_has "$PVBUS_LOW" "pvbus low window" &&
	iomem_has "$PVBUS_HIGH" "pvbus high window" &&
	[ "$(grep -c '^window ' "$PVBUS_DBG")" -eq 2 ] &&
	grep -qF "low window $(pvbus_mem_range "$PVBUS_LOW_START" "$PVBUS_LOW_END") (firmware)" \
		/tmp/fw.dmesg &&
	grep -qF "high window $(pvbus_mem_range "$PVBUS_HIGH_START" "$PVBUS_HIGH_END") (firmware)" \
		/tmp/fw.dmesg
tap_ok $? "the good low and high windows are used, and only they"
grep '^window ' "$PVBUS_DBG" | tap_diag

others /tmp/iomem.base > /tmp/others.base
others /proc/iomem > /tmp/others.now
cmp -s /tmp/others.base /tmp/others.now
tap_ok $? "nothing else in /proc/iomem changed (System RAM, the IOAPIC, the BARs)" ||
	diff /tmp/others.base /tmp/others.now | tap_diag

tap_check "rmmod pvbus" rmmod pvbus
pvbus_iomem_baseline /tmp/iomem.base

# --- each source alone --------------------------------------------------
pvbus_fb_alone firmware "reserved (firmware)" \
	"framebuffer sources found: firmware" \
	"modprobe pvbus fb_sources=firmware" "rmmod pvbus"

# modprobe passes pvbus.reserve= of the kernel command line.
pvbus_fb_alone reserve "reserved (pvbus.reserve)" \
	"framebuffer sources found: reserve" \
	"modprobe pvbus fb_sources=reserve" "rmmod pvbus"

# modprobe took pvbus.reserve= from the kernel command line.
modprobe pvbus fb_sources=none
r=$(cat /sys/module/pvbus/parameters/reserve)
rmmod pvbus
[ "$r" = "$PVBUS_FB_RESERVE" ]
tap_ok $? "pvbus.reserve= came from the kernel command line: '$r'"

tap_done
