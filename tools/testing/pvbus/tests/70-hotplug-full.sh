#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Windows that grow on demand.  Two buses of the simulated host come up
# empty; 64 functions with mixed 32-bit and 64-bit BARs are hot added one
# by one, in turn on each bus (a bus has at most 32), each taking the room
# it needs: new windows past what probe made, with no disabled dummies on
# the root bus.  Then a third bus gets functions with 512 MiB BARs until the
# MMIO space is full: the guest refuses the one that does not fit, names it
# in dmesg and tells the host nothing of it.  Every function ejected,
# /proc/iomem is as it was before the hot adds; unloaded, as before load.
#
# Under TCG the 64 hot adds take about 21 s and the whole test about 35 s
# of guest time (measured on 2 cores); it gets a boot of its own with a
# longer timeout, so that a busy machine does not time out the others.
#
# guest-args: --timeout 300

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
PCI_CLASS=$PVBUS_PCI_CLASS
FB_RSV=$PVBUS_FB_RESERVE
NR_FNS=64
# The buses: configfs name, instance id, PCI domain (the id's bytes 8-9).
BUSES="pci0:5e1d3c7a-9b2f-4d6e-7a01-7c8d9e0f1a2b:7a01
pci1:5e1d3c7a-9b2f-4d6e-7a02-7c8d9e0f1a2b:7a02
pci2:5e1d3c7a-9b2f-4d6e-7a03-7c8d9e0f1a2b:7a03"
BIG="64p:512M 32:16K"

PLAN=15
tap_plan "$PLAN"

pvbus_kos
pvbus_need_ssdt prp "windows that grow"

# bus_field NAME FIELD: field 1 (dir), 2 (instance) or 3 (domain) of a bus.
bus_field() {
	echo "$BUSES" | awk -F: -v n="$1" -v f="$2" '$1 == n { print $f }'
}

# bus_up NAME: an offered bus with no functions.
bus_up() {
	mkdir "$HOST/$1" && echo "$PCI_CLASS" > "$HOST/$1/class" &&
		bus_field "$1" 2 > "$HOST/$1/instance" && echo 1 > "$HOST/$1/live"
}

# bars_of N: the BARs of function N, mixed: 32-bit and 64-bit, prefetchable
# or not, the 64-bit BAR first or last.
bars_of() {
	case $(($1 % 4)) in
	0) echo "32:16K 64p:32M" ;;
	1) echo "64:1M 32:64K" ;;
	2) echo "32p:32K 64p:64M" ;;
	*) echo "64p:16M" ;;
	esac
}

# hot_add BUS SLOT BARS: hot add function SLOT.0 (device id 0x1000 + SLOT)
# to BUS.  Returns 0 when it is on the PCI bus, 1 when the guest refused it
# (and says so), 2 on anything else.
hot_add() {
	_f=$HOST/$1/f$2
	_dev=/sys/bus/pci/devices/$(bus_field "$1" 3):00:$(printf '%02x' "$2").0
	_id=$(printf '%04x' $((0x1000 + $2)))
	mkdir "$_f" && printf '0x%02x\n' $(($2 << 3)) > "$_f/slot" &&
		echo "$3" > "$_f/bars" && echo 0x1b36 > "$_f/vendor" &&
		echo "0x$_id" > "$_f/device" || return 2
	pvbus_dmesg_mark
	echo 1 > "$_f/live" || return 2
	_n=200
	while [ "$_n" -gt 0 ]; do
		[ -e "$_dev/resource" ] && return 0
		pvbus_dmesg_new | grep -qF "function $(printf '%02x' "$2").0 (1b36:$_id) does not fit" &&
			return 1
		_n=$((_n - 1))
		sleep 0.1
	done
	return 2
}

# eject BUS SLOT: eject function SLOT.0 of BUS and forget its configuration.
eject() {
	_f=$HOST/$1/f$2
	echo 1 > "$_f/eject" && wait_for 100 grep -qx 0 "$_f/live" &&
		rmdir "$_f"
}

cat /proc/iomem > /tmp/iomem.base
tap_check "insmod pvbus.ko pvbus_sim.ko pci-pvbus.ko" \
	sh -c "insmod '$pvbus' && insmod '$sim' && insmod '$pcipv'" ||
	bail "cannot load the modules"
pvbus_dmesg_mark
mkdir "$HOST" && echo "$FB_RSV" > "$HOST/reserved" && bus_up pci0 && bus_up pci1 &&
	echo 1 > "$HOST/live" &&
	wait_for 100 test -e "/sys/bus/pvbus/devices/$(bus_field pci0 2)/driver" &&
	wait_for 100 test -e "/sys/bus/pvbus/devices/$(bus_field pci1 2)/driver"
tap_ok $? "two empty buses come up" || {
	pvbus_dmesg_new | tap_diag
	bail "no buses"
}
pvbus_dmesg_new | grep -E 'pci-pvbus|pci_bus' | tap_diag
cat /proc/iomem > /tmp/iomem.bus
pvbus_dmesg_mark
grep -E 'pci-pvbus' /proc/iomem | tap_diag

# --- 64 functions, one by one --------------------------------------------
start=$(cut -d. -f1 /proc/uptime)
i=0 added=0 bad=
while [ "$i" -lt "$NR_FNS" ]; do
	bus=pci$((i % 2))
	slot=$((i / 2))
	bars=$(bars_of "$i")
	hot_add "$bus" "$slot" "$bars"
	r=$?
	if [ "$r" -ne 0 ]; then
		bad="$bus $slot ($bars): $([ "$r" -eq 1 ] && echo refused || echo failed)"
		break
	fi
	added=$((added + 1))
	i=$((i + 1))
done
took=$(($(cut -d. -f1 /proc/uptime) - start))
[ "$added" -eq "$NR_FNS" ]
tap_ok $? "$added of $NR_FNS functions hot added one by one (${took}s)" ||
	tap_diag "stopped at $bad"
grep -E "pci-pvbus|PCI Bus (7a01|7a02)" /proc/iomem | tap_diag

wins=$(grep -cE 'PCI Bus 7a0[12]:00$' /proc/iomem)
wins0=$(grep -cE 'PCI Bus 7a0[12]:00$' /tmp/iomem.bus)
[ "$wins" -gt $((wins0 + 8)) ]
tap_ok $? "the buses' windows grew from $wins0 to $wins, past the old pool of 4 spares each"

! dmesg | grep -qF 'root bus resource [mem size 0x00000001 disabled]'
tap_ok $? "no disabled dummy window on any root bus"

# --- until the space is full ----------------------------------------------
pvbus_dmesg_mark
bus_up pci2 && wait_for 100 test -e "/sys/bus/pvbus/devices/$(bus_field pci2 2)/driver"
tap_ok $? "a third bus comes up"
slot=0 refused=
while [ "$slot" -lt 32 ]; do
	hot_add pci2 "$slot" "$BIG"
	r=$?
	[ "$r" -eq 0 ] || { refused=$r; break; }
	slot=$((slot + 1))
done
[ "$refused" = 1 ]
tap_ok $? "pci2: $slot functions with a 512 MiB BAR fit, then one is refused"
pvbus_dmesg_new | grep -E 'pci-pvbus' | tail -n 4 | tap_diag

msg=$(dmesg | grep -F "function $(printf '%02x' "$slot").0 (1b36:$(printf '%04x' $((0x1000 + slot)))) does not fit" | tail -n 1)
dmesg | grep -qF "the bus's MMIO space is full: no room for the BARs of 1 function" &&
	echo "$msg" | grep -qF "it needs 0x4000 bytes for 32-bit BARs, 0x20000000 for 64-bit ones"
tap_ok $? "the guest says what did not fit: ${msg#*] }"

f=$HOST/pci2/f$slot
[ ! -e "/sys/bus/pci/devices/7a03:00:$(printf '%02x' "$slot").0" ] &&
	[ "$(cat "$f/live")" = 1 ]
tap_ok $? "the refused function is not on the PCI bus; the host still lists it"

# --- eject them all ---------------------------------------------------------
start=$(cut -d. -f1 /proc/uptime)
ok=0
eject pci2 "$slot" || ok=1
s=0
while [ "$s" -lt "$slot" ]; do
	eject pci2 "$s" || ok=1
	s=$((s + 1))
done
i=0
while [ "$i" -lt "$added" ]; do
	eject "pci$((i % 2))" $((i / 2)) || { ok=1; tap_diag "eject pci$((i % 2)) $((i / 2)) failed"; }
	i=$((i + 1))
done
left=
for d in /sys/bus/pci/devices/7a0[123]:*; do
	[ -e "$d" ] && left="$left ${d##*/}"
done
[ "$ok" -eq 0 ] && [ -z "$left" ]
tap_ok $? "every function ejected ($(($(cut -d. -f1 /proc/uptime) - start))s)${left:+; left:$left}"

echo 0 > "$HOST/pci2/live" && rmdir "$HOST/pci2" 2> /dev/null
wait_for 50 test ! -e "/sys/bus/pvbus/devices/$(bus_field pci2 2)"
if cmp /tmp/iomem.bus /proc/iomem > /dev/null; then
	tap_ok 0 "/proc/iomem is as before the hot adds"
else
	diff /tmp/iomem.bus /proc/iomem | tap_diag
	tap_ok 1 "/proc/iomem is as before the hot adds"
fi

echo 0 > "$HOST/live" && rmdir "$HOST/pci0" "$HOST/pci1" "$HOST"
tap_ok $? "the host goes down"
tap_check "rmmod pci-pvbus pvbus_sim pvbus" rmmod pci-pvbus pvbus_sim pvbus
pvbus_iomem_baseline /tmp/iomem.base

tap_done
