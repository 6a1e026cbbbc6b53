# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # soak.sh's settings
#
# The soak's simulated PCI bus (busybox sh; /soak/lib/bus.sh in the guest,
# sourced by soak.sh): its configuration in configfs, its functions, and
# one hot cycle of function 02.0.

# fn NAME SLOT BARS: function NAME of the bus.
fn() {
	mkdir "$DEV/$1" && echo "$2" > "$DEV/$1/slot" && echo "$3" > "$DEV/$1/bars" &&
		echo 0x1b36 > "$DEV/$1/vendor" && echo 0x00fe > "$DEV/$1/device"
}

pcidev() {
	echo "/sys/bus/pci/devices/$DOM:00:$1"
}

# bus_config: host sim0 with the framebuffer reserved, bus pci0 with 00.0
# (64-bit prefetchable 16 MiB BAR) and 01.0 (32-bit 1 MiB BAR) live, the
# hot function 02.0 (a 32-bit and a 64-bit BAR) not; the host live, both
# functions there.
bus_config() {
	mkdir "$HOST" "$DEV" && echo "$FB_RSV" > "$HOST/reserved" &&
		echo "$PCI_CLASS" > "$DEV/class" && echo "$INST" > "$DEV/instance" &&
		fn big 0x00 "64p:16M" && fn small 0x08 "32:1M" && fn hot 0x10 "32:64K 64p:1M" &&
		echo 1 > "$DEV/big/live" && echo 1 > "$DEV/small/live" &&
		echo 1 > "$DEV/live" && echo 1 > "$HOST/live" && bus_there
}

# bus_there: the bus's two fixed functions are there.
bus_there() {
	wait_for 300 test -e "$(pcidev 01.0)/resource" && test -e "$(pcidev 00.0)/resource"
}

# bus_remove: every configfs directory removed (the live ones taken down).
bus_remove() {
	for _f in "$DEV"/*/; do
		[ -d "$_f" ] && { rmdir "$_f" || return 1; }
	done
	rmdir "$DEV" "$HOST"
}

load() {
	insmod "$pvbus" && insmod "$sim" && insmod "$pcipv"
}

# hot_add: 02.0 goes live and appears.
hot_add() {
	echo 1 > "$DEV/hot/live" && wait_for 300 test -e "$(pcidev 02.0)/resource"
}

# hot_gone: 02.0 has left the guest and the host.
hot_gone() {
	wait_for 300 grep -qx 0 "$DEV/hot/live" && wait_for 300 test ! -e "$(pcidev 02.0)"
}

# handled: the requests the host has answered or refused so far.
handled() {
	awk '$1 == "answered" || $1 ~ /^refused_/ { n += $2 } END { print n + 0 }' \
		"$HOST/stats"
}

# handled_past N: the host has answered or refused more than N requests.
handled_past() {
	[ "$(handled)" -gt "$1" ]
}

# recover: after a failed cycle, 02.0 away and the bus up, or a failure.
recover() {
	echo 0 > "$DEV/hot/live"
	hot_gone && bus_there && return 0
	echo 0 > "$HOST/live"
	echo 1 > "$HOST/live" && bus_there
}

# ---------------------------------------------------------------------------
# One hot cycle, I: 02.0 hot added, then taken away one way or another.

hot_cycle() {
	_i=$1
	hot_add || { fail "cycle $_i: hot add"; return 1; }
	case "$((_i % 50)):$((_i % 10))" in
	0:*)	# the host detaches and attaches with 02.0 live: all three back
		{ echo 0 > "$HOST/live" && [ ! -e "$(pcidev 02.0)" ] && [ ! -e "$BUSDEV" ]; } ||
			{ fail "cycle $_i: host detach"; return 1; }
		{ echo 1 > "$HOST/live" && bus_there &&
			wait_for 300 test -e "$(pcidev 02.0)/resource"; } ||
			{ fail "cycle $_i: host attach"; return 1; }
		detaches=$((detaches + 1))
		echo 1 > "$DEV/hot/eject" || { fail "cycle $_i: eject"; return 1; }
		ejects=$((ejects + 1))
		;;
	25:*)	# pci-pvbus unbound and bound with 02.0 live
		{ echo "$INST" > "$BUSDRV/unbind" && [ ! -e "$(pcidev 00.0)" ]; } ||
			{ fail "cycle $_i: unbind pci-pvbus"; return 1; }
		{ echo "$INST" > "$BUSDRV/bind" && bus_there &&
			wait_for 300 test -e "$(pcidev 02.0)/resource"; } ||
			{ fail "cycle $_i: bind pci-pvbus"; return 1; }
		rebinds=$((rebinds + 1))
		echo 1 > "$DEV/hot/eject" || { fail "cycle $_i: eject"; return 1; }
		ejects=$((ejects + 1))
		;;
	*:3|*:7)	# a surprise removal
		echo 0 > "$DEV/hot/live" || { fail "cycle $_i: live=0"; return 1; }
		surprises=$((surprises + 1))
		;;
	*:5)	# removed while its eject is pending
		_h=$(handled)
		_b=$(pvbus_sim_stat "$HOST" refused_busy)
		_nf=$(pvbus_sim_stat "$HOST" refused_not_found)
		{ echo 1 > "$DEV/hot/eject" && echo 0 > "$DEV/hot/live"; } ||
			{ fail "cycle $_i: eject, then live=0"; return 1; }
		# 02.0 leaves sysfs before the guest's EJECT_COMPLETE is
		# answered (NOT_FOUND, if the removal came first): the next
		# hot add must wait for that answer, or it puts 02.0 back on
		# the host first, which then answers BUSY (no eject of it
		# under way) and the guest holds its BARs.  The only request
		# in flight is that one: the hot add's were answered, and
		# the stressors send none.
		hot_gone || { fail "cycle $_i: 02.0 did not go away"; return 1; }
		wait_for 300 handled_past "$_h" ||
			{ fail "cycle $_i: the host did not answer EJECT_COMPLETE"; return 1; }
		[ "$(pvbus_sim_stat "$HOST" refused_busy)" = "$_b" ] ||
			{ fail "cycle $_i: the host answered EJECT_COMPLETE BUSY"; return 1; }
		[ "$(pvbus_sim_stat "$HOST" refused_not_found)" = "$_nf" ] ||
			not_found=$((not_found + 1))
		pending=$((pending + 1))
		;;
	*)
		echo 1 > "$DEV/hot/eject" || { fail "cycle $_i: eject"; return 1; }
		ejects=$((ejects + 1))
		;;
	esac
	hot_gone || { fail "cycle $_i: 02.0 did not go away"; return 1; }
	{ [ -e "$(pcidev 00.0)" ] && [ -e "$(pcidev 01.0)" ]; } ||
		{ fail "cycle $_i: the fixed functions went away"; return 1; }
}
