#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A bus with no room above 4 GiB and a framebuffer no source reports, as a
# Hyper-V Gen2 arm64 VM's: the config window and the 32-bit BARs go as high
# below 4 GiB as there is room, off the framebuffer at the start of the low
# window.  The guest's only pvbus window is the low one (0xfd000000,
# 24 MiB); the framebuffer is the 16 MiB at its start that the host
# believes in and checks D0 entry against, like Hyper-V's synthetic video
# no PCI BAR the guest could see (the guest has no VGA device: QEMU's std
# VGA BAR would be a resource the window takes in, which nothing is placed
# on whatever the sources say); and pvbus.fb_sources=none.  Left to the
# allocator's bottom-up placement the config window went to 0xfd000000,
# the host refused D0 entry and the bus never came up.
#
# guest-args: --vga none -q '-vga none' -D 'PVBUS_MMIO_WINDOWS=0xfd000000, 0x01800000' -D PVBUS_NO_RESERVED
#
# On arm64 (no VGA device on the virt machine) the only window is
# consts.sh's low window, 0x30000000 + 224 MiB, the framebuffer the 16 MiB
# at its start:
# guest-args-arm64: -D "PVBUS_MMIO_WINDOWS=$PVBUS_LOW_START, $((PVBUS_LOW_END - PVBUS_LOW_START + 1))" -D PVBUS_NO_RESERVED

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

HOST=/sys/kernel/config/pvbus_sim/sim0
DEV=$HOST/pci0
INST=5e1d3c7a-9b2f-4d6e-41fb-7c8d9e0f1a2b
DOM=41fb
BUSDEV=/sys/bus/pvbus/devices/$INST

tap_plan 12

# off_fb "START END": the range lies in the low window, above the
# framebuffer (the window's first 16 MiB).
off_fb() {
	in_range "$1" "$((PVBUS_FB_END + 1))" "$PVBUS_LOW_END"
}

# fn NAME SLOT BARS: a live function NAME of the bus.
fn() {
	mkdir "$DEV/$1" && echo "$2" > "$DEV/$1/slot" &&
		echo "$3" > "$DEV/$1/bars" && echo 0x1b36 > "$DEV/$1/vendor" &&
		echo 0x00fe > "$DEV/$1/device" && echo 1 > "$DEV/$1/live"
}

pvbus=$(pvbus_ko pvbus)
sim=$(pvbus_ko pvbus_sim)
pcipv=$(pvbus_ko pci-pvbus)
[ -e /sys/bus/pci/devices/0000:00:02.0/boot_vga ] &&
	missing "no VGA device (its guest-args line)"
cat /proc/iomem > /tmp/iomem.base

pvbus_dmesg_mark
tap_check "insmod pvbus fb_sources=none, pvbus_sim, pci-pvbus" \
	sh -c "insmod '$pvbus' fb_sources=none && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"

grep -q ' : pvbus low window$' /proc/iomem && ! grep -q ' : pvbus high window$' /proc/iomem &&
	[ "$(pvbus_sources)" = none ] && [ -z "$(pvbus_rsv_lines)" ]
tap_ok $? "one window, below 4 GiB; no source, nothing reserved" ||
	bail "needs the low window alone (its guest-args line)"

# The host: the framebuffer reserved on its side; a 32-bit 4 MiB BAR and a
# 64-bit 1 MiB one, which goes below 4 GiB too.
mkdir "$HOST" "$DEV" && echo "$PVBUS_FB_RESERVE" > "$HOST/reserved" &&
	echo "$PVBUS_PCI_CLASS" > "$DEV/class" && echo "$INST" > "$DEV/instance" &&
	fn a 0x00 "32:4M" && fn b 0x08 "64p:1M" && echo 1 > "$DEV/live" &&
	echo 1 > "$HOST/live"
tap_ok $? "a host reserving $PVBUS_FB_RESERVE, a bus with a 32-bit 4 MiB BAR and a 64-bit 1 MiB BAR, live"

d0=/sys/bus/pci/devices/$DOM:00:00.0
d1=/sys/bus/pci/devices/$DOM:00:01.0
wait_for 50 test -e "$d1/resource"
pvbus_dmesg_new > /tmp/pci.dmesg
grep -E 'pci-pvbus|pvbus_sim|pvbus' /tmp/pci.dmesg | tap_diag
grep -E "pvbus|$DOM" /proc/iomem | tap_diag

[ "$(readlink "$BUSDEV/driver" | sed 's|.*/||')" = pci-pvbus ] &&
	[ -e "$d0/resource" ] && [ -e "$d1/resource" ]
tap_ok $? "the bus came up: both functions are in domain $DOM"

cfg=$(sed -n "s/^ *\([0-9a-f]*-[0-9a-f]*\) : pci-pvbus $DOM:00 config$/\1/p" /proc/iomem | head -n 1)
[ -n "$cfg" ] && off_fb "0x${cfg%-*} 0x${cfg#*-}"
tap_ok $? "config window $cfg below 4 GiB, off the framebuffer $PVBUS_FB_START-$PVBUS_FB_END"

grep -qF "no room above 4 GiB: config window [mem 0x${cfg%-*}-0x${cfg#*-}" /tmp/pci.dmesg
tap_ok $? "the guest says the config window is below 4 GiB"

b0=$(bar "$d0" 0)
off_fb "$b0" && [ $(($(printf '%d' "${b0#* }") - $(printf '%d' "${b0% *}") + 1)) -eq 4194304 ]
tap_ok $? "00.0 BAR 0 (32-bit, 4 MiB) off the framebuffer: $b0"

b1=$(bar "$d1" 0)
off_fb "$b1" && [ $(($(printf '%d' "${b1#* }") - $(printf '%d' "${b1% *}") + 1)) -eq 1048576 ]
tap_ok $? "01.0 BAR 0 (64-bit, 1 MiB) below 4 GiB, off the framebuffer: $b1"

[ "$(pvbus_sim_stat "$HOST" refused_refused)" = 0 ] &&
	[ "$(pvbus_sim_stat "$HOST" refused_busy)" = 0 ]
tap_ok $? "the host refused nothing"
tap_diag < "$HOST/stats"

tap_check "down and rmdir" pvbus_sim_remove "$HOST" "$DEV"
tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
