#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pci-pvbus against the simulated host's PCI bus.  A bus with a 64-bit
# prefetchable 16 MiB BAR function and a 32-bit 1 MiB BAR function comes up
# as a new PCI domain: its config window above 4 GiB and busy, each BAR in
# the window it belongs to and off the framebuffer.  A function is hot added
# and ejected 20 times, leaving /proc/iomem as it was; the bus goes away
# with a clean unload.  A host that still holds a crashed kernel's D0 and
# speaks only protocol 1.0 is coped with.  Then the field failure: with
# cfg_window=legacy and the framebuffer unknown to the guest
# (fb_sources=none) the config window lands on the framebuffer, which the
# host (reserved = the framebuffer) refuses at D0 entry, and the guest
# says so.
#
# The guest has no VGA device: the framebuffer the host believes in is then
# no PCI BAR the guest could see, as a synthetic video device's is not.
#
# guest-args: --vga none -q '-vga none'
# arm64's virt machine has no VGA device; its default boot will do:
# guest-args-arm64:
#
# The addresses are consts.sh's: the windows, and the framebuffer the host
# reserves at the start of the low window (x86's VGA BAR; on arm64 where a
# VMM's would be).

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
DEV=$HOST/pci0
PCI_CLASS=$PVBUS_PCI_CLASS
INST=5e1d3c7a-9b2f-4d6e-9a0b-7c8d9e0f1a2b
DOM=9a0b
BUSDEV=/sys/bus/pvbus/devices/$INST
FB_RSV=$PVBUS_FB_RESERVE
HOT_CYCLES=20
PENDING_CYCLES=10

PLAN=40
tap_plan "$PLAN"

# hstat NAME: a counter of the host.
hstat() {
	pvbus_sim_stat "$HOST" "$1"
}

# pcidev SLOT: the sysfs directory of function SLOT (e.g. 00.0) of the bus.
pcidev() {
	echo "/sys/bus/pci/devices/$DOM:00:$1"
}

# domain_devs: the PCI devices of the bus's domain, blank-separated.
domain_devs() {
	for _d in /sys/bus/pci/devices/"$DOM":*; do
		[ -e "$_d" ] && printf '%s ' "${_d##*/}"
	done
}

# fn NAME SLOT BARS [VENDOR DEVICE]: configure function NAME of the bus.
fn() {
	mkdir "$DEV/$1" && echo "$2" > "$DEV/$1/slot" &&
		echo "$3" > "$DEV/$1/bars" &&
		echo "${4:-0x1b36}" > "$DEV/$1/vendor" &&
		echo "${5:-0x00fe}" > "$DEV/$1/device"
}

# bus_config: host sim0 with the framebuffer reserved, bus pci0 with 00.0
# (64-bit prefetchable 16 MiB BAR) and 01.0 (32-bit 1 MiB BAR), all live
# but the host.
bus_config() {
	mkdir "$HOST" "$DEV" && echo "$FB_RSV" > "$HOST/reserved" &&
		echo "$PCI_CLASS" > "$DEV/class" && echo "$INST" > "$DEV/instance" &&
		fn big 0x00 "64p:16M" 0x1b36 0x00fe && fn small 0x08 "32:1M" 0x1b36 0x00fd &&
		echo 1 > "$DEV/big/live" && echo 1 > "$DEV/small/live" &&
		echo 1 > "$DEV/live"
}

pvbus_kos

pvbus_need_ssdt prp "pci"
[ -e /sys/bus/pci/devices/0000:00:02.0/boot_vga ] &&
	missing "no VGA device (its guest-args line)"

cat /proc/iomem > /tmp/iomem.base

# --- a bus comes up -------------------------------------------------------
pvbus_dmesg_mark
tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"

bus_config
tap_ok $? "configfs: a host, a PCI bus, two live functions" ||
	bail "cannot configure the bus"

tap_check "host live=1" sh -c "echo 1 > $HOST/live" || {
	pvbus_dmesg_new | tap_diag
	bail "the host did not go live"
}
wait_for 50 test -e "$(pcidev 01.0)"
pvbus_dmesg_new > /tmp/pci.dmesg
grep -E 'pci-pvbus|pvbus_sim|pci ' /tmp/pci.dmesg | tap_diag

[ "$(readlink "$BUSDEV/driver" | sed 's|.*/||')" = pci-pvbus ]
tap_ok $? "pci-pvbus is bound to the bus device"

d0=$(pcidev 00.0)
d1=$(pcidev 01.0)
[ -d "$d0" ] && [ -d "$d1" ] &&
	[ "$(cat "$d0/vendor")" = 0x1b36 ] && [ "$(cat "$d0/device")" = 0x00fe ] &&
	[ "$(cat "$d1/device")" = 0x00fd ] && [ "$(cat "$d0/class")" = 0xff0000 ]
tap_ok $? "both functions are in domain $DOM: $(domain_devs)"

cfg=$(sed -n "s/^ *\([0-9a-f]*-[0-9a-f]*\) : pci-pvbus $DOM:00 config$/\1/p" /proc/iomem | head -n 1)
[ -n "$cfg" ] && [ "$(printf '%d' "0x${cfg%-*}")" -ge "$(printf '%d' 0x100000000)" ] &&
	case "$(iomem_path "$cfg")" in
	*"pvbus high window > pci-pvbus $DOM:00 config > pci-pvbus $DOM:00 config") true ;;
	*) false ;;
	esac
tap_ok $? "config window $cfg above 4 GiB, in the high window, busy: $(iomem_path "$cfg")"

b0=$(bar "$d0" 0)
in_range "$b0" "$PVBUS_HIGH_START" "$PVBUS_HIGH_END" &&
	[ $(($(printf '%d' "${b0#* }") - $(printf '%d' "${b0% *}") + 1)) -eq 16777216 ]
tap_ok $? "00.0 BAR 0 (64-bit prefetchable, 16 MiB) in the high window: $b0"

b1=$(bar "$d1" 0)
in_range "$b1" "$((PVBUS_FB_END + 1))" "$PVBUS_LOW_END" &&
	[ $(($(printf '%d' "${b1#* }") - $(printf '%d' "${b1% *}") + 1)) -eq 1048576 ]
tap_ok $? "01.0 BAR 0 (32-bit, 1 MiB) in the low window, off the framebuffer: $b1"

grep -qF "PCI domain $DOM, bus 00: 2 functions" /tmp/pci.dmesg &&
	grep -qF "protocol 1.1" /tmp/pci.dmesg
tap_ok $? "pci-pvbus: domain $DOM, 2 functions, protocol 1.1"

pvbus_sim_clean "$HOST"
tap_ok $? "the host refused nothing, the guest rejected nothing"
tap_diag < "$HOST/stats"

# --- hot add and eject -------------------------------------------------------
cat /proc/iomem > /tmp/iomem.bus
fn hot 0x10 "32:64K 64p:1M" 0x1b36 0x00fc
d2=$(pcidev 02.0)
ok=0
i=0
while [ "$i" -lt "$HOT_CYCLES" ]; do
	i=$((i + 1))
	if ! echo 1 > "$DEV/hot/live" || ! wait_for 100 test -e "$d2/resource"; then
		tap_diag "cycle $i: hot add failed"
		ok=1
		break
	fi
	if [ "$i" -eq 1 ]; then
		tap_diag "02.0: $(bar "$d2" 0), $(bar "$d2" 2)"
		grep -E "pci-pvbus $DOM|PCI Bus $DOM|$DOM:00" /proc/iomem | tap_diag
	fi
	if ! echo 1 > "$DEV/hot/eject" ||
		! wait_for 100 grep -qx 0 "$DEV/hot/live" ||
		! wait_for 50 test ! -e "$d2"; then
		tap_diag "cycle $i: eject failed"
		ok=1
		break
	fi
	# hot/live reads 0 once the host has taken EJECT_COMPLETE; the
	# window grown for 02.0 goes once its answer is back in the guest.
	wait_for 50 cmp -s /tmp/iomem.bus /proc/iomem
	[ "$i" -eq 1 ] && cat /proc/iomem > /tmp/iomem.hot
done
[ "$ok" -eq 0 ]
tap_ok $? "$i hot add and eject cycles of 02.0"

[ -d "$d0" ] && [ -d "$d1" ] && [ "$(hstat refused_refused)" = 0 ] &&
	[ "$(hstat refused_busy)" = 0 ] && [ "$(hstat refused_not_found)" = 0 ]
tap_ok $? "the other functions stayed, nothing was refused"
tap_diag < "$HOST/stats"

# Whatever a hot add leaves behind, it does not grow cycle after cycle.
if cmp /tmp/iomem.hot /proc/iomem > /dev/null; then
	tap_ok 0 "/proc/iomem does not grow from cycle to cycle"
else
	diff /tmp/iomem.hot /proc/iomem | tap_diag
	tap_ok 1 "/proc/iomem does not grow from cycle to cycle"
fi

if cmp /tmp/iomem.bus /proc/iomem > /dev/null; then
	tap_ok 0 "/proc/iomem is as before the hot adds"
else
	diff /tmp/iomem.bus /proc/iomem | tap_diag
	tap_ok 1 "/proc/iomem is as before the hot adds"
fi

# A surprise removal: the function leaves without an eject.
echo 1 > "$DEV/hot/live" && wait_for 100 test -e "$d2/resource" &&
	echo 0 > "$DEV/hot/live" && wait_for 50 test ! -e "$d2"
tap_ok $? "hot added, then removed without an eject (live=0)"

# Removed while its eject is pending: the host takes 02.0 away at once,
# and if that comes before the guest's EJECT_COMPLETE, the host answers it
# with NOT_FOUND.  Either way the host decodes nothing of 02.0 any more,
# and nothing of it stays in /proc/iomem (no "pci-pvbus held BAR").
nf0=$(hstat refused_not_found)
ok=0
i=0
while [ "$i" -lt "$PENDING_CYCLES" ]; do
	i=$((i + 1))
	if ! echo 1 > "$DEV/hot/live" || ! wait_for 100 test -e "$d2/resource" ||
		! echo 1 > "$DEV/hot/eject" || ! echo 0 > "$DEV/hot/live" ||
		! wait_for 50 test ! -e "$d2"; then
		tap_diag "cycle $i: hot add, eject and live=0 failed"
		ok=1
		break
	fi
	# 02.0 leaves sysfs before its EJECT_COMPLETE is answered; its BARs
	# go back after (a hot add before would find them still there).
	if ! wait_for 50 cmp -s /tmp/iomem.bus /proc/iomem; then
		tap_diag "cycle $i: 02.0's BARs did not go back"
		ok=1
		break
	fi
done
nf1=$(hstat refused_not_found)
tap_diag "EJECT_COMPLETE answered NOT_FOUND $((nf1 - nf0)) times in $i cycles"
[ "$ok" -eq 0 ] && cmp /tmp/iomem.bus /proc/iomem > /dev/null
tap_ok $? "$i hot adds removed while the eject was pending: /proc/iomem as before" ||
	diff /tmp/iomem.bus /proc/iomem | tap_diag

# --- the bus goes away -------------------------------------------------------
answered=$(hstat answered)
tap_check "host live=0: the bus is revoked" sh -c "echo 0 > $HOST/live"
[ ! -e "$BUSDEV" ] && [ -z "$(domain_devs)" ] &&
	[ "$(hstat answered)" -gt "$answered" ] && [ "$(hstat dropped)" = 0 ] &&
	[ "$(hstat refused_not_found)" = "$nf1" ]
tap_ok $? "its functions are gone; remove() was answered ($answered -> $(hstat answered) answered)"

tap_check "rmdir the configuration" pvbus_sim_remove "$HOST" "$DEV"
tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base

# --- a stale D0 and protocol 1.0 ---------------------------------------------
pvbus_dmesg_mark
tap_check "insmod the modules again" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'"
bus_config && echo 1.0 > "$DEV/max_version" && echo 1 > "$DEV/stale_d0" &&
	echo 1 > "$HOST/live" && wait_for 50 test -e "$(pcidev 01.0)"
tap_ok $? "a host in D0 already, speaking 1.0: the bus comes up"
pvbus_dmesg_new > /tmp/pci.dmesg
grep -E 'pci-pvbus|pvbus_sim' /tmp/pci.dmesg | tap_diag

grep -qF "host refused protocol version 1.1" /tmp/pci.dmesg &&
	grep -qF "protocol 1.0" /tmp/pci.dmesg
tap_ok $? "the guest fell back to protocol 1.0"

grep -qE "host refused D0 entry .*busy.*retrying" /tmp/pci.dmesg &&
	[ "$(hstat refused_busy)" = 1 ] && [ "$(hstat refused_unsupported)" = 1 ]
tap_ok $? "D0 entry was busy once; the guest left D0 and entered it again"

tap_check "down and rmdir" pvbus_sim_remove "$HOST" "$DEV"

# Preserved BARs: the guest keeps the host's addresses.
kept=$(pvbus_high 0x40000000)
bus_config && echo 0 > "$DEV/big/live" &&
	echo 1 > "$DEV/big/preserve" && echo "$kept" > "$DEV/big/host_addrs" &&
	echo 1 > "$DEV/big/live" &&
	echo 1 > "$HOST/live" && wait_for 50 test -e "$(pcidev 00.0)"
tap_ok $? "a bus whose 00.0 has its BAR preserved at $kept"
pvbus_dmesg_new | grep -E 'pci-pvbus|pvbus_sim' | tail -n 5 | tap_diag
[ "$(bar "$(pcidev 00.0)" 0)" = "$(printf '0x%016x 0x%016x' "$kept" "$((kept + 0xffffff))")" ]
tap_ok $? "00.0 BAR 0 is where the host put it: $(bar "$(pcidev 00.0)" 0)"

tap_check "down and rmdir" pvbus_sim_remove "$HOST" "$DEV"
tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base

# --- the field failure: a legacy config window on the framebuffer ----------
pvbus_dmesg_mark
tap_check "insmod pvbus fb_sources=none, pci-pvbus cfg_window=legacy" \
	sh -c "insmod '$pvbus' fb_sources=none && insmod '$sim' && insmod '$pcipv' cfg_window=legacy"
bus_config && echo 1 > "$HOST/live"
tap_ok $? "the host goes live, the bus is offered"
sleep 1
pvbus_dmesg_new > /tmp/pci.dmesg
grep -E 'pci-pvbus|pvbus_sim|pvbus' /tmp/pci.dmesg | tap_diag

[ -z "$(pvbus_rsv_lines)" ] && [ -e "$BUSDEV" ] && [ ! -e "$BUSDEV/driver" ] &&
	[ -z "$(domain_devs)" ]
tap_ok $? "nothing reserved in the guest; the bus did not come up"

grep -qF "sim0: D0_ENTRY with config window $PVBUS_FB_START size 0x2000 refused: it overlaps a range the host reserved" /tmp/pci.dmesg &&
	[ "$(hstat refused_refused)" = 2 ]
tap_ok $? "the host refused D0 entry twice: the window is on its framebuffer"

grep -qF "host refused D0 entry with config window $(pvbus_mem_range "$PVBUS_FB_START" "$((PVBUS_FB_START + 0x1fff))" | sed 's/]$//')" /tmp/pci.dmesg &&
	grep -qF "status 0xc0000003 (refused)" /tmp/pci.dmesg
tap_ok $? "the guest says so: $(grep -F 'host refused D0 entry' /tmp/pci.dmesg | tail -n 1 | sed 's/^\[[^]]*\] //')"

tap_check "down and rmdir" pvbus_sim_remove "$HOST" "$DEV"
tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
