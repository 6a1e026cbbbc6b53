#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The framebuffer is reserved from each source alone, pvbus.fb_sources=
# switching the others off: screen_info (vga=0x318), the PCI display (the
# std VGA BAR), pvbus.reserve= given to insmod, and the simulated host's
# reserved range.  Each shows in /proc/iomem under the name of its source
# and in debugfs as the only source.  The firmware source and pvbus.reserve=
# on the kernel command line need a boot of their own: 35-firmware.sh.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

HOST=/sys/kernel/config/pvbus_sim/sim0

tap_plan 28

pvbus_need_ssdt prp "framebuffer sources"

# host_live RANGES: the simulated host sim0, reporting RANGES reserved, goes
# live.  Nothing is reserved before: the boot sources are all off.
# shellcheck disable=SC2317 # run by tap_check
host_live() {
	mkdir "$HOST" && echo "$1" > "$HOST/reserved" &&
		[ -z "$(pvbus_rsv_lines)" ] && [ "$(pvbus_sources)" = none ] &&
		echo 1 > "$HOST/live"
}

# The framebuffer is consts.sh's: 16 MiB at 0xfd000000 on x86 (the VGA
# BAR); on arm64 the boot framebuffer is in System RAM and there is no PCI
# display, so only pvbus.reserve= and the host can name one there.
if [ -n "$PVBUS_BOOT_FB" ]; then
	pvbus_fb_skip screen_info "$PVBUS_BOOT_FB"
	pvbus_fb_skip pci "$PVBUS_BOOT_FB"
else
	pvbus_fb_alone screen_info "framebuffer (screen_info)" \
		"framebuffer sources found: screen_info" \
		"modprobe pvbus fb_sources=screen_info" "rmmod pvbus"
	pvbus_fb_alone pci "framebuffer (PCI $PVBUS_DISPLAY)" \
		"framebuffer sources found: pci" \
		"modprobe pvbus fb_sources=pci" "rmmod pvbus"
fi
pvbus_fb_alone reserve "reserved (pvbus.reserve)" \
	"framebuffer sources found: reserve" \
	"modprobe pvbus fb_sources=reserve reserve=$PVBUS_FB_RESERVE" "rmmod pvbus"
pvbus_fb_alone host "reserved (host)" \
	"host sim0 attached, 1 reserved range" \
	"modprobe pvbus fb_sources=host && modprobe pvbus_sim && host_live $PVBUS_FB_RESERVE" \
	"echo 0 > $HOST/live && rmdir $HOST && rmmod pvbus_sim pvbus"

tap_done
