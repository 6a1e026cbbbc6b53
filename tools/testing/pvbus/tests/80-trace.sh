#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tracepoints (include/trace/events/pvbus.h, pci_pvbus.h), enabled
# through tracefs as the admin guide says: a host attaches, a PCI bus comes
# up with one function, a second function is hot added and then ejected,
# the bus is revoked and the host detaches.  A second host on the same
# root is refused, and that is traced too.  The trace must show each step
# as its events, in order, with their results.  The bus is also unbound and
# bound again, and with tp_printk the events reach the kernel log, both as
# Documentation/admin-guide/pvbus-debugging.rst tells an operator to do.

# shellcheck source=SCRIPTDIR/../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

T=/sys/kernel/tracing
CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/trace0
DEV=$HOST/pci0
PCI_CLASS=$PVBUS_PCI_CLASS
INST=7ace0001-2b3c-4d5e-9f60-718293a4b5c6
DOM=9f60
# The host's reserved range, 2 MiB in the high window (consts.sh).
RSV=$(printf '0x%x' "$((PVBUS_HIGH_START + 0x40000000))")
RSV_RANGE=$(printf '0x%x-0x%x' "$RSV" "$((RSV + 0x1fffff))")

tap_plan 14

# events FILE: the event lines of a trace, "name: details", in order.
events() {
	sed -n 's/^.*: \(pvbus_[a-z0-9_]*\|pci_pvbus_[a-z0-9_]*\): /\1: /p' "$1"
}

# in_order FILE PATTERN...: each extended regular expression matches an
# event line of FILE, each after the one before.
in_order() {
	_f=$1
	shift
	events "$_f" | awk -v pats="$(printf '%s\n' "$@")" '
		BEGIN { n = split(pats, p, "\n"); i = 1 }
		i <= n && $0 ~ p[i] { i++ }
		END { if (i <= n) { print "missing, in order: " p[i]; exit 1 } }'
}

# expect_order NAME WHAT PATTERN...: a test that the snapshot NAME has the
# events PATTERN... in order; on failure the first missing one and the
# snapshot's events go to the log.
expect_order() {
	_name=$1
	_what=$2
	shift 2
	in_order "/tmp/trace.$_name" "$@" > /tmp/why 2>&1
	tap_ok $? "$_what" || {
		tap_diag < /tmp/why
		events "/tmp/trace.$_name" | tap_diag
	}
}

# snap NAME: the trace so far into /tmp/trace.NAME, the buffer emptied.
snap() {
	cat "$T/trace" > "/tmp/trace.$1"
	echo > "$T/trace"
}

{ [ -e "$T/trace" ] || mount -t tracefs nodev "$T"; } &&
	modprobe pvbus && modprobe pvbus_sim && modprobe pci-pvbus &&
	[ -d "$T/events/pvbus" ] && [ -d "$T/events/pci_pvbus" ]
tap_ok $? "tracefs mounted; the events pvbus:* and pci_pvbus:* are there" ||
	bail "no tracefs or no events"

# shellcheck disable=SC2317 # run through tap_check
enable() {
	echo > "$T/trace" && echo 1 > "$T/events/pvbus/enable" &&
		echo 1 > "$T/events/pci_pvbus/enable" && echo 1 > "$T/tracing_on"
}
tap_check "events enabled" enable

# --- a host, and a bus with one function ----------------------------------
mkdir "$HOST" "$DEV" && echo "2M@$RSV" > "$HOST/reserved" &&
	echo "$PCI_CLASS" > "$DEV/class" && echo "$INST" > "$DEV/instance" &&
	mkdir "$DEV/a" "$DEV/hot" &&
	echo 0 > "$DEV/a/slot" && echo 64:16K > "$DEV/a/bars" && echo 1 > "$DEV/a/live" &&
	echo 0x10 > "$DEV/hot/slot" && echo "32:64K 64p:1M" > "$DEV/hot/bars" &&
	echo 1 > "$DEV/live" && echo 1 > "$HOST/live" &&
	wait_for 100 test -e "/sys/bus/pci/devices/$DOM:00:00.0"
tap_ok $? "host trace0 attached, bus $DOM:00 with 00.0" || bail "the bus did not come up"
snap up
expect_order up "bring-up: host attach, config window placed, D0 entry, BAR window allocated" \
	'^pvbus_host_attach: .* host=trace0 reserved=1 ret=0' \
	'^pci_pvbus_cfg_window: .* cfg_window=auto range=0x[0-9a-f]+-0x[0-9a-f]+ ret=0' \
	'^pci_pvbus_d0_entry: .* ret=0 status=0x0' \
	'^pvbus_mmio_alloc: .* high BARs zone=high .* ret=0'
events /tmp/trace.up | grep -q "^pvbus_rsv_add: .* kind=host .* range=$RSV_RANGE ret=0"
tap_ok $? "the host's reserved range is traced as a reservation of kind host"

# --- a second host on the same root is refused, and traced -----------------
HOST2=$CFS/trace1
mkdir "$HOST2" && ! echo 1 > "$HOST2/live" 2> /dev/null
refused=$?
snap busy
if [ "$refused" -eq 0 ]; then
	expect_order busy "a second host on the root: refused, traced with ret=-16 (-EBUSY)" \
		'^pvbus_host_attach: .* host=trace1 reserved=0 ret=-16'
else
	tap_ok 1 "a second host on the root: refused, traced with ret=-16 (-EBUSY)"
	tap_diag "trace1 attached where trace0 is"
fi
rmdir "$HOST2"

# --- rebind, as the admin guide says to see a bus come up -------------------
drv=/sys/bus/pvbus/drivers/pci-pvbus
echo "$INST" > "$drv/unbind" && wait_for 100 test ! -e "/sys/bus/pci/devices/$DOM:00:00.0" &&
	echo "$INST" > "$drv/bind" && wait_for 100 test -e "/sys/bus/pci/devices/$DOM:00:00.0"
tap_ok $? "the bus unbound and bound again through $drv" || bail "rebind failed"
snap rebind
expect_order rebind "rebind: the bus's teardown, then its config window and D0 entry again" \
	'^pci_pvbus_d0_exit: .* ret=0' \
	'^pvbus_mmio_free: .* config range=0x[0-9a-f]+-0x[0-9a-f]+ ret=0' \
	'^pci_pvbus_cfg_window: .* cfg_window=auto range=0x[0-9a-f]+-0x[0-9a-f]+ ret=0' \
	'^pci_pvbus_d0_entry: .* ret=0 status=0x0'

# With tp_printk on the command line (the harness boots with it), every
# enabled event is also a kernel message: what a serial log keeps.
grep -qw tp_printk /proc/cmdline &&
	dmesg | grep -q 'pci_pvbus_d0_entry: .* ret=0 status=0x0'
tap_ok $? "tp_printk: the D0 entry event is in the kernel log" ||
	dmesg | grep 'pvbus' | tail -n 5 | tap_diag

# --- hot add, then eject ----------------------------------------------------
echo 1 > "$DEV/hot/live" && wait_for 100 test -e "/sys/bus/pci/devices/$DOM:00:02.0"
tap_ok $? "02.0 hot added" || bail "hot add failed"
snap add
echo 1 > "$DEV/hot/eject" && wait_for 100 test ! -e "/sys/bus/pci/devices/$DOM:00:02.0"
gone=$?
snap eject
events /tmp/trace.add | sed 's/^/hot add: /' | tap_diag
events /tmp/trace.eject | sed 's/^/eject: /' | tap_diag
echo "02.0 still there after the eject" > /tmp/why
[ "$gone" -eq 0 ] && in_order /tmp/trace.add \
	'^pci_pvbus_relations: .* listed=2 added=1 removed=0' > /tmp/why 2>&1 &&
	in_order /tmp/trace.eject \
		'^pci_pvbus_eject: .* devfn=02.0 found=1' > /tmp/why 2>&1
tap_ok $? "hot add: a list of 2 with 1 added; eject: 02.0 found and removed" || {
	tap_diag < /tmp/why
	events /tmp/trace.add | tap_diag
	events /tmp/trace.eject | tap_diag
}

# --- the bus revoked, the host detached -------------------------------------
echo 0 > "$DEV/live" && echo 0 > "$HOST/live" &&
	wait_for 100 test ! -e "/sys/bus/pci/devices/$DOM:00:00.0"
tap_ok $? "bus revoked, host detached"
snap down
in_order /tmp/trace.down \
	'^pci_pvbus_d0_exit: .* ret=0' \
	'^pvbus_mmio_free: .* config range=0x[0-9a-f]+-0x[0-9a-f]+ ret=0' \
	'^pvbus_host_detach: .* host=trace0' > /tmp/why 2>&1 &&
	events /tmp/trace.down |
		grep -q "^pvbus_rsv_remove: .* kind=host .* range=$RSV_RANGE ret=0"
tap_ok $? "teardown: D0 exit, config window freed, host detached, its range unreserved" || {
	tap_diag < /tmp/why
	events /tmp/trace.down | tap_diag
}

echo 0 > "$T/events/pvbus/enable" && echo 0 > "$T/events/pci_pvbus/enable" &&
	rmdir "$DEV/a" "$DEV/hot" "$DEV" "$HOST" &&
	rmmod pci_pvbus pvbus_sim pvbus
tap_ok $? "events disabled, configuration removed, modules unloaded"
tap_done
