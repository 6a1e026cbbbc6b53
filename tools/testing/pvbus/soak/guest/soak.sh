#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The soak (soak/README): the three modules loaded and unloaded again and
# again, then a function of a simulated PCI bus hot added and taken away
# again and again (ejected, removed by surprise, removed while its eject
# is pending, with the host detached and attached, with pci-pvbus unbound
# and bound) while other processes read /proc/iomem, debugfs, the
# functions' sysfs resource, config and rom files and bind and unbind a
# driver (pci-stub) to them; then the guest's NVMe passed through and
# given back.  At every checkpoint the stressors pause and /proc/iomem is
# compared with its baseline, the slab objects whose allocation stack
# passes through the project's modules are counted (the guest boots with
# slub_debug=U; the Debian kernel has no kmemleak) and compared with the
# count at the same state before, and so are the modules' reference
# counts.  The counts are the kernel command line's
#
#	pvbus_soak=LOADS,HOT,EVERY,PASSTHROUGH
#
# (load/unload cycles, hot add/remove cycles, hot cycles between two
# checkpoints, pass-through cycles; a load checkpoint every EVERY/10
# load cycles), by default the smoke of make check.  The last diagnostic
# is the count line "soak: N cycles, M hot add/eject, K failures".
#
# guest-args: -a slub_debug=U -a log_buf_len=32M
# guest-disk: 64M

# shellcheck source=SCRIPTDIR/../../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

LOADS=8
HOT=60
EVERY=30
PT=2

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
DEV=$HOST/pci0
PCI_CLASS=$PVBUS_PCI_CLASS
INST=50a1c0de-7e57-4a1e-8d15-0f1e2d3c4b5c
DOM=8d15
BUSDEV=/sys/bus/pvbus/devices/$INST
BUSDRV=/sys/bus/pvbus/drivers/pci-pvbus
STUB=/sys/bus/pci/drivers/pci-stub
NATIVE=$PVBUS_NVME_ADDR
NATDEV=/sys/bus/pci/devices/$NATIVE
FB_RSV=$PVBUS_FB_RESERVE
S=/tmp/soak
SLAB=/sys/kernel/debug/slab
# A frame of the project's modules, or of a module no longer loaded (an
# address without a symbol).  In the environment: awk -v would take the
# backslashes as escapes.
MODS_RE='[[](pvbus|pvbus_sim|pci_pvbus)[]]$|^ *0x[0-9a-f]+$'
export MODS_RE
# What init.sh's kernel-log check fails on, looked for at each checkpoint
# to tell when it began.
BAD_RE='BUG:|WARNING:|Oops|UBSAN:|KASAN:|general protection fault|Call Trace:|list_(add|del) corruption|refcount_t:'

read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case "$w" in
	pvbus_soak=*)
		# shellcheck disable=SC2046 # split at the commas on purpose
		set -- $(echo "${w#*=}" | tr , ' ')
		LOADS=$1 HOT=$2 EVERY=$3 PT=$4
		;;
	esac
done
LOAD_EVERY=$((EVERY / 10))
[ "$LOAD_EVERY" -gt 0 ] || LOAD_EVERY=1

FAILS=0
loads=0
hots=0
ejects=0
surprises=0
pending=0
detaches=0
rebinds=0
pts=0
checkpoints=0

tap_plan 15

# fail WHAT: count a failure and say what it was.
fail() {
	FAILS=$((FAILS + 1))
	tap_diag "FAIL: $*"
}

# ---------------------------------------------------------------------------
# Leak signals

# slab_snap FILE: the live slab objects whose allocation stack passes
# through the project's modules (or a module that is gone), as lines
# "COUNT CACHE FUNCTION" (the first such frame), to FILE, and their
# allocation stacks to FILE.rec, a line "CACHE FUNCTION COUNT frame < ..."
# each; their sum is printed.  Unused dentries and inodes are dropped
# first, three times (a pass frees a dentry, the next its parent): a
# cached dentry of a removed sysfs file keeps its kernfs node.  The
# caches read are those the modules, and the driver core on their behalf,
# allocate from: kmalloc's, kernfs's and ACPICA's (reading all of them
# takes long under TCG).  Not radix_tree_node, the nodes of the kernel's
# IDRs and xarrays (kernfs inode numbers, allocated cyclically), charged
# to whoever made a tree grow and kept when it shrinks, nor vmap_area,
# whose areas an iounmap() leaves for a lazy purge.
slab_snap() {
	sync
	for _p in 1 2 3; do
		echo 2 > /proc/sys/vm/drop_caches
	done
	awk -v rec="$1.rec" '
		BEGIN { re = ENVIRON["MODS_RE"] }
		function flush() {
			if (n && site != "") {
				tot[cache " " site] += n
				print cache, site, buf > rec
			}
			n = 0
			site = ""
		}
		FNR == 1 {
			flush()
			cache = FILENAME
			sub(/\/alloc_traces$/, "", cache)
			sub(/.*\//, "", cache)
		}
		/^ *[0-9]+ / { flush(); n = $1; buf = $1; next }
		/^ *$/ { flush(); next }
		n { l = $0; sub(/^ */, "", l); buf = buf " < " l }
		n && site == "" && $0 ~ re { site = $1; sub(/\+.*/, "", site) }
		END {
			flush()
			for (k in tot)
				print tot[k], k
		}' "$SLAB"/kmalloc-*/alloc_traces "$SLAB"/kernfs_*/alloc_traces \
		"$SLAB"/Acpi-*/alloc_traces | sort -k2 > "$1"
	awk '{ s += $1 } END { print s + 0 }' "$1"
}

# refcnts FILE: the reference counts of the modules the soak uses.
refcnts() {
	for _m in configfs pci_stub pvbus pvbus_sim pci_pvbus; do
		[ -e "/sys/module/$_m/refcnt" ] && echo "$_m $(cat "/sys/module/$_m/refcnt")"
	done > "$1"
}

# baseline NAME: /proc/iomem, the slab objects and the reference counts
# of this state, to compare with at the checkpoints of a phase.
baseline() {
	cat /proc/iomem > "$S/$1.iomem"
	_t=$(slab_snap "$S/$1.slab")
	refcnts "$S/$1.ref"
	tap_diag "$1 baseline: $_t slab objects from the modules' code, refcnt $(tr '\n' ' ' < "$S/$1.ref")"
}

# checkpoint NAME WHERE [SLAB]: compare this state with the baseline NAME;
# a failure for each signal that differs, but slab objects only reported
# when SLAB is 'report'.  Also looks for a kernel log line that would fail
# the kernel-log check.
checkpoint() {
	checkpoints=$((checkpoints + 1))
	_bad=0
	if ! cmp -s "$S/$1.iomem" /proc/iomem; then
		fail "$2: /proc/iomem differs from its baseline"
		diff "$S/$1.iomem" /proc/iomem | tap_diag
		_bad=1
	fi
	_r=$(awk '{ s += $1 } END { print s + 0 }' "$S/$1.slab")
	# A count above the baseline is taken again, up to three times: the
	# kernfs nodes of a removed device were seen to outlive the dentry
	# drop of a count now and then, and to be gone at the next one.  A
	# leak stays.
	_n=0
	while _t=$(slab_snap "$S/now.slab") && [ "$_t" -gt "$_r" ] && [ "$_n" -lt 3 ]; do
		_n=$((_n + 1))
		tap_diag "$2: $_t slab objects from the modules' code, baseline $_r: counting again"
		sleep 1
	done
	if [ "$_t" -gt "$_r" ]; then
		if [ "${3:-}" = report ]; then
			tap_diag "$2: $((_t - _r)) more slab objects from the modules' code than at the baseline ($_r), reported only"
		else
			fail "$2: $((_t - _r)) more slab objects from the modules' code than at the baseline ($_r)"
			_bad=1
		fi
		# The sites whose count grew.
		awk 'NR == FNR { ref[$2 " " $3] = $1; next }
			$1 > ref[$2 " " $3] + 0 { print $2, $3, ref[$2 " " $3] + 0, "->", $1 }' \
			"$S/$1.slab" "$S/now.slab" > "$S/grown"
		tap_diag < "$S/grown"
		# The allocation stack of the first few.
		head -n 3 "$S/grown" | while read -r _c _f _; do
			grep -F -m 1 "$_c $_f " "$S/now.slab.rec" | tap_diag
		done
		find /sys -name "$DOM:*" 2> /dev/null | head -n 20 | tap_diag
	fi
	refcnts "$S/now.ref"
	if ! cmp -s "$S/$1.ref" "$S/now.ref"; then
		fail "$2: module reference counts differ from the baseline"
		diff "$S/$1.ref" "$S/now.ref" | tap_diag
		_bad=1
	fi
	_lines=$(dmesg | wc -l)
	if dmesg | tail -n +"$((${_klog:-0} + 1))" | grep -E "$BAD_RE" > "$S/bad"; then
		fail "$2: the kernel complained"
		head -n 20 "$S/bad" | tap_diag
		_bad=1
	fi
	_klog=$_lines
	read -r _up _ < /proc/uptime
	tap_diag "checkpoint $2 at ${_up}s: $_t slab objects from the modules' code (baseline $_r)$([ "$_bad" -eq 0 ] && echo ', iomem, refcnt: ok')"
	return "$_bad"
}

# ---------------------------------------------------------------------------
# The bus

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

# recover: after a failed cycle, 02.0 away and the bus up, or a failure.
recover() {
	echo 0 > "$DEV/hot/live"
	hot_gone && bus_there && return 0
	echo 0 > "$HOST/live"
	echo 1 > "$HOST/live" && bus_there
}

# nvme_disk DEVDIR: the block device of the namespace of the NVMe
# controller bound to DEVDIR, or nothing yet.
nvme_disk() {
	for _ns in "$1"/nvme/nvme*/nvme*n1; do
		[ -e "$_ns" ] || continue
		_b=$(basename "$_ns" | sed 's/c[0-9]*n/n/')
		[ -b "/dev/$_b" ] && echo "$_b" && return 0
	done
	return 1
}

# ---------------------------------------------------------------------------
# Stressors: background loops that pause at checkpoints.

# stress NAME FUNCTION: run FUNCTION until $S/stop; while $S/pause
# exists, wait with $S/paused.NAME there.  Writes its count at the end.
stress() {
	_n=0
	while [ ! -e "$S/stop" ]; do
		if [ -e "$S/pause" ]; then
			touch "$S/paused.$1"
			while [ -e "$S/pause" ] && [ ! -e "$S/stop" ]; do
				sleep 0.1
			done
			rm -f "$S/paused.$1"
			continue
		fi
		"$2"
		_n=$((_n + 1))
	done
	echo "$_n ${extra:-}" > "$S/count.$1"
}

STRESSORS='iomem sysfs bind'

# shellcheck disable=SC2317 # run by stress
s_iomem() {
	cat /proc/iomem "$PVBUS_DBG" > /dev/null 2>&1
}

# shellcheck disable=SC2317
s_sysfs() {
	for _d in /sys/bus/pci/devices/"$DOM":*; do
		cat "$_d/resource" "$_d/config" > /dev/null 2>&1
		if [ -e "$_d/rom" ] && echo 1 > "$_d/rom" 2> /dev/null; then
			cat "$_d/rom" > /dev/null 2>&1 && extra=$((${extra:-0} + 1))
			echo 0 > "$_d/rom" 2> /dev/null
		fi
	done
}

# shellcheck disable=SC2317
s_bind() {
	for _d in /sys/bus/pci/devices/"$DOM":*; do
		_b=${_d##*/}
		{
			echo pci-stub > "$_d/driver_override" &&
				echo "$_b" > "$STUB/bind" && extra=$((${extra:-0} + 1))
			echo "$_b" > "$STUB/unbind"
		} 2> /dev/null
	done
}

stress_start() {
	rm -f "$S"/stop "$S"/pause "$S"/paused.* "$S"/count.*
	for _s in $STRESSORS; do
		stress "$_s" "s_$_s" &
	done
}

stress_pause() {
	touch "$S/pause"
	for _s in $STRESSORS; do
		wait_for 600 test -e "$S/paused.$_s" || fail "stressor $_s did not pause"
	done
}

stress_resume() {
	rm -f "$S/pause"
	for _s in $STRESSORS; do
		wait_for 600 test ! -e "$S/paused.$_s" || fail "stressor $_s did not resume"
	done
}

stress_stop() {
	touch "$S/stop"
	wait
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
		{ echo 1 > "$DEV/hot/eject" && echo 0 > "$DEV/hot/live"; } ||
			{ fail "cycle $_i: eject, then live=0"; return 1; }
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

# ---------------------------------------------------------------------------

pvbus=$(pvbus_ko pvbus)
sim=$(pvbus_ko pvbus_sim)
pcipv=$(pvbus_ko pci-pvbus)
[ -n "$pvbus" ] && [ -n "$sim" ] && [ -n "$pcipv" ]
tap_ok $? "pvbus.ko, pvbus_sim.ko and pci-pvbus.ko are in the initramfs" || bail "no modules"
tap_diag "counts: $LOADS load/unload cycles, $HOT hot cycles, a checkpoint every $EVERY (loads: every $LOAD_EVERY), $PT pass-through cycles"

mkdir -p "$S"
[ -r "$SLAB/kmalloc-64/alloc_traces" ] &&
	grep -q '^ *[0-9]' "$SLAB/kmalloc-64/alloc_traces"
tap_ok $? "slab allocation traces (slub_debug=U) are there: the leak signal" ||
	bail "no slab allocation traces: boot with slub_debug=U"

# native_rebind: the native nvme driver unbound and bound again through
# sysfs, so that no allocation of it has a module's frame in its stack
# (modprobe's probe runs in nvme's init code, freed after it, whose frames
# then look like those of a module unloaded; the host's give-back runs
# in pvbus_sim's).
native_rebind() {
	echo "$NATIVE" > /sys/bus/pci/drivers/nvme/unbind &&
		echo "$NATIVE" > /sys/bus/pci/drivers/nvme/bind &&
		wait_for 300 nvme_disk "$NATDEV" > /dev/null
}

modprobe pci-stub && modprobe nvme && wait_for 300 nvme_disk "$NATDEV" > /dev/null &&
	native_rebind
tap_ok $? "pci-stub loaded; nvme bound to the NVMe $NATIVE" || bail "no pci-stub or nvme"

# --- load and unload ----------------------------------------------------------
# A first load with the bus up, not counted, before the baseline: two
# objects stay after it for good, and are not leaks of the modules: the
# PCI core's bus number resource of the domain (get_pci_domain_busn_res(),
# kept for every domain ever used) and ACPICA's notify object of the bus
# root's ACPI node (acpi_install_notify_handler() of the PM notifier,
# kept with the node).
{ load && bus_config && bus_remove && rmmod pci-pvbus pvbus_sim pvbus; } ||
	fail "a first load with the bus up, and unload"
baseline unloaded
ok=0
j=0
while [ "$j" -lt "$LOADS" ] && [ "$FAILS" -lt 20 ]; do
	j=$((j + 1))
	if ! load || ! bus_config; then
		fail "load cycle $j: load and bring the bus up"
	else
		case $((j % 4)) in
		0)	# everything removed while live
			bus_remove && rmmod pci-pvbus pvbus_sim pvbus ;;
		1)	# the host detached first
			echo 0 > "$HOST/live" && bus_remove &&
				rmmod pci-pvbus pvbus_sim pvbus ;;
		2)	# pci-pvbus unloaded under the live bus
			rmmod pci-pvbus && [ ! -e "$(pcidev 00.0)" ] &&
				bus_remove && rmmod pvbus_sim pvbus ;;
		3)	# a hot add and an eject first
			hot_add && echo 1 > "$DEV/hot/eject" && hot_gone &&
				bus_remove && rmmod pci-pvbus pvbus_sim pvbus ;;
		esac || fail "load cycle $j: variant $((j % 4)) and unload"
	fi
	# Whatever failed, nothing of the modules stays.
	if [ -e /sys/module/pvbus ]; then
		[ ! -d "$HOST" ] || bus_remove
		rmmod pci-pvbus pvbus_sim pvbus 2> /dev/null
	fi
	loads=$j
	[ $((j % LOAD_EVERY)) -ne 0 ] && [ "$j" -ne "$LOADS" ] && continue
	checkpoint unloaded "load cycle $j" || ok=1
done
[ "$j" -eq "$LOADS" ] && [ "$FAILS" -eq 0 ]
tap_ok $? "$loads load/unload cycles of pvbus, pvbus_sim and pci-pvbus with a bus up"
[ "$ok" -eq 0 ]
tap_ok $? "load/unload: /proc/iomem, slab objects and refcounts as at the baseline at each checkpoint"

# --- hot add and remove under stress -------------------------------------------
# pci-pvbus sizes the bus's BAR windows for the functions there when it
# probes (and keeps them): every probe of the hot cycles below has 02.0
# live, and so has this first one, so that /proc/iomem is the same at
# every checkpoint.
load && bus_config && hot_add && echo 0 > "$HOST/live" && echo 1 > "$HOST/live" &&
	bus_there && wait_for 300 test -e "$(pcidev 02.0)/resource" &&
	echo 1 > "$DEV/hot/eject" && hot_gone
tap_ok $? "the modules loaded, bus $DOM:00 up with 00.0 and 01.0 (probed with 02.0 there)" ||
	bail "the bus did not come up"
baseline bus

fails0=$FAILS
ok=0
stress_start
i=0
while [ "$i" -lt "$HOT" ] && [ $((FAILS - fails0)) -lt 20 ]; do
	i=$((i + 1))
	hot_cycle "$i" || recover || fail "cycle $i: recovery"
	hots=$i
	[ $((i % EVERY)) -ne 0 ] && [ "$i" -ne "$HOT" ] && continue
	stress_pause
	checkpoint bus "hot cycle $i" || ok=1
	stress_resume
done
stress_stop
[ "$i" -eq "$HOT" ] && [ "$FAILS" -eq "$fails0" ]
tap_ok $? "$hots hot cycles: $ejects ejects, $surprises surprise removals, $pending removed while the eject was pending, $detaches host detach/attach, $rebinds pci-pvbus unbind/bind"
[ "$ok" -eq 0 ]
tap_ok $? "hot: /proc/iomem, slab objects and refcounts as at the baseline at each checkpoint"
for s in $STRESSORS; do
	read -r n x < "$S/count.$s" || n=0
	case "$s" in
	iomem) tap_diag "stressor iomem: $n reads of /proc/iomem and debugfs mmio" ;;
	sysfs) tap_diag "stressor sysfs: $n passes over resource, config and rom; ${x:-0} rom reads (the functions have no ROM BAR)" ;;
	bind)  tap_diag "stressor bind: $n passes, ${x:-0} pci-stub binds" ;;
	esac
	eval "n_$s=$n x_$s=\${x:-0}"
done
# shellcheck disable=SC2154 # set by the eval above
[ "$n_iomem" -gt 0 ] && [ "$n_sysfs" -gt 0 ] && [ "$x_bind" -gt 0 ]
tap_ok $? "the stressors ran: $n_iomem iomem reads, $n_sysfs sysfs passes, $x_bind binds"

# --- pass-through ---------------------------------------------------------------
fails0=$FAILS
PTFN=$DEV/nvme
PTDEV=$(pcidev 03.0)
k=0
while [ "$k" -lt "$PT" ] && [ $((FAILS - fails0)) -lt 5 ]; do
	k=$((k + 1))
	{ { [ -d "$PTFN" ] || mkdir "$PTFN"; } && echo 0x18 > "$PTFN/slot" &&
		echo "$NATIVE" > "$PTFN/passthrough" && echo 1 > "$PTFN/live" &&
		wait_for 300 test -e "$PTDEV/driver" &&
		[ "$(readlink "$PTDEV/driver" | sed 's|.*/||')" = nvme ]; } ||
		fail "pass-through $k: nvme bound to $DOM:00:03.0"
	{ wait_for 300 nvme_disk "$PTDEV" > /dev/null &&
		dd if="/dev/$(nvme_disk "$PTDEV")" of=/dev/null bs=4k count=16 \
			iflag=direct 2> /dev/null; } ||
		fail "pass-through $k: read from the disk through pvbus"
	if [ $((k % 2)) -eq 0 ]; then
		{ echo 0 > "$PTFN/live" && wait_for 300 test ! -e "$PTDEV"; } ||
			fail "pass-through $k: surprise removal"
	fi
	{ echo > "$PTFN/passthrough" && wait_for 300 nvme_disk "$NATDEV" > /dev/null &&
		[ ! -e "$PTDEV" ]; } || fail "pass-through $k: given back, native nvme bound"
	pts=$k
done
[ ! -d "$PTFN" ] || rmdir "$PTFN"
native_rebind || fail "the native nvme driver unbound and bound again"
[ "$k" -eq "$PT" ] && [ "$FAILS" -eq "$fails0" ]
tap_ok $? "$pts pass-through cycles of the NVMe (eject and surprise removal, given back)"
# The sysfs directory of a passed-through function that left, and its
# driver link, stay allocated until the bus goes (seen here, not yet
# explained; see soak/README): the slab objects are counted after the
# bus is gone, at the end, and only reported here.
checkpoint bus "after pass-through" report
tap_ok $? "pass-through: /proc/iomem and refcounts as at the bus baseline"

# --- the end --------------------------------------------------------------------
bus_remove && rmmod pci-pvbus pvbus_sim pvbus
tap_ok $? "everything removed and unloaded"
checkpoint unloaded "the end"
tap_ok $? "/proc/iomem, slab objects and refcounts as at the first baseline"

dmesg | grep -q 'Linux version'
tap_ok $? "the kernel log did not wrap (log_buf_len): the kernel-log check sees all of it"

[ "$FAILS" -eq 0 ]
tap_ok $? "no failure in $checkpoints checkpoints and every cycle"

total=$((hots + pts))
tap_diag "soak: $loads cycles, $total hot add/eject, $FAILS failures"
tap_done
