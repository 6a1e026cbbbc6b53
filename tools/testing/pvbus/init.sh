#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the pvbus test guest (busybox sh), put into the initramfs by
# guest.sh.  It mounts the pseudo file systems, then, according to the
# kernel command line:
#
#   pvbus_guest_mode=test     run /tests/*.sh in order (default)
#   pvbus_guest_mode=demo     run /demo/$pvbus_guest_demo.sh
#   pvbus_guest_mode=shell    give a shell on the console
#   pvbus_guest_mode=acpidump write the DSDT to ttyS1 (for guest.sh)
#   pvbus_guest_mode=kdump    one boot of a kdump matrix cell: /kdump/kdump.sh
#                             (kdump/run.sh; the same /init runs again as
#                             the root file system's after switch_root)
#   pvbus_guest_tests=A,B*    run only these tests (names without .sh; globs)
#   pvbus_guest_suite=soak    run /soak/*.sh instead of /tests/*.sh
#   pvbus_guest_suite=bench   run /bench/*.sh (the benchmarks' guest side)
#
# and powers off.  A kdump cycle (guest.sh --kdump) puts the kernel, its
# initrd and /etc/pvbus-kdump.conf into the initramfs: after the tests the
# first kernel loads them with kexec -p and crashes; the kdump kernel, which
# finds /proc/vmcore, runs the tests again, continuing the same KTAP stream,
# and powers off.  Test results are KTAP: each test script prints a plan and
# "ok N - name" lines on stdout, which become one indented subtest.  The
# KTAP stream goes to the console and, clean of kernel messages, to ttyS1;
# the whole dmesg goes to ttyS2 at the end.  guest.sh reads both.

PATH=/sbin:/bin:/usr/sbin:/usr/bin
export PATH

# After a switch_root (the kdump matrix) /proc, /sys, /dev and /run come
# along, mounted; the rest is mounted again.
mounted() {
	grep -q "^[^ ]* $1 " /proc/mounts 2>/dev/null
}

mounted /proc || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run
mounted /dev/pts || mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mounted /run || mount -t tmpfs tmpfs /run
mounted /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
# configfs is a module in the Debian kernel.
modprobe configfs 2>/dev/null
mounted /sys/kernel/config ||
	mount -t configfs configfs /sys/kernel/config 2>/dev/null ||
	echo "pvbus-guest: cannot mount configfs"

mode='test'
tests=
suite=tests
demo=demo
kdump_first=
read -r cmdline < /proc/cmdline
for word in $cmdline; do
	case "$word" in
	pvbus_guest_mode=*)	mode=${word#*=} ;;
	pvbus_guest_tests=*)	tests=${word#*=} ;;
	pvbus_guest_suite=soak)	suite=soak ;;
	pvbus_guest_suite=bench) suite=bench ;;
	pvbus_guest_demo=*)	demo=${word#*=} ;;
	pvbus_guest_kdump_first=*) kdump_first=${word#*=} ;;
	esac
done

# kdump: 'kernel' in the kdump kernel; 'cycle' in the first kernel of a
# kdump cycle; empty otherwise.
KDUMP_CONF=/etc/pvbus-kdump.conf
kdump=
if [ -e /proc/vmcore ]; then
	kdump=kernel
elif [ -f "$KDUMP_CONF" ]; then
	kdump=cycle
fi

# fd 3: the KTAP channel.  ktap_reopen opens ttyS1 anew if it is there
# (a redirection that fails would end this shell, PID 1).
ktap_reopen() {
	(: > /dev/ttyS1) 2> /dev/null || return 1
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	exec 3>/dev/ttyS1
}
ktap_reopen || exec 3>/dev/null

# emit LINE: to the console and the KTAP channel.  On arm64 ttyS1 is a
# PCI 16550: a test that takes the PCI host bridge away and gives it back
# (95-host-bridge.sh) hangs it up, and a new one comes; emit waits up to
# 30 s for it, then gives the channel up (guest.sh then misses the rest).
emit() {
	printf '%s\n' "$*"
	printf '%s\n' "$*" 2> /dev/null >&3 && return 0
	_emit_wait=0
	while [ "$_emit_wait" -lt 30 ]; do
		if ktap_reopen && printf '%s\n' "$*" 2> /dev/null >&3; then
			return 0
		fi
		sleep 1
		_emit_wait=$((_emit_wait + 1))
	done
	exec 3>/dev/null
}

# The kernel's messages to ttyS2.  Both kernels of a kdump cycle write
# theirs, each after a header.
dump_dmesg() {
	[ -c /dev/ttyS2 ] || return 0
	stty -F /dev/ttyS2 raw -echo 2>/dev/null
	{
		[ -z "$1" ] || echo "===== pvbus-guest: dmesg of the $1 ====="
		dmesg
	} > /dev/ttyS2
}

# crash_into_kdump: the first kernel's log to ttyS2, then sysrq c into the
# loaded kdump kernel.  Returns only if the kernel did not crash.
crash_into_kdump() {
	dump_dmesg "first kernel"
	emit "# pvbus-guest: crashing the first kernel (sysrq c) into the kdump kernel"
	exec 3>&-
	sync
	echo c > /proc/sysrq-trigger
	exec 3>/dev/ttyS1
	emit "Bail out! sysrq c did not crash the kernel"
}

finish() {
	case "$kdump" in
	kernel)	dump_dmesg "kdump kernel" ;;
	cycle)	dump_dmesg "first kernel" ;;
	*)	dump_dmesg ;;
	esac
	emit "# pvbus-guest: done"
	exec 3>&-
	sync
	# The drivers' shutdown comes after the kernel-log check: what the
	# kernel says from here, warnings too (quiet shows only errors), goes
	# to the console, which the host checks after this line.
	echo 5 > /proc/sys/kernel/printk
	echo "pvbus-guest: powering off" > /dev/kmsg
	poweroff -f
	# Not reached; never let init exit (that panics).
	while :; do sleep 1000; done
}

# shellcheck source=SCRIPTDIR/lib/guest/runner.sh
. /usr/share/pvbus/runner.sh

# The demo's output is the console; only its result goes to ttyS1.
run_demo() {
	script=/demo/$demo.sh
	printf 'KTAP version 1\n1..1\n' >&3
	if [ -f "$script" ]; then
		sh "$script"
		rc=$?
	else
		echo "pvbus-guest: no demo script $script"
		rc=1
	fi
	echo "pvbus-guest: demo $demo exited with status $rc"
	if [ "$rc" -eq 0 ]; then
		echo "ok 1 - demo $demo" >&3
	else
		echo "not ok 1 - demo $demo" >&3
	fi
}

cd /tmp || exit 1
case "$mode" in
test)	run_tests ;;
demo)	run_demo ;;
acpidump)
	# For guest.sh's DSDT upgrade: the firmware's DSDT, in base64.
	echo "BEGIN DSDT" >&3
	base64 < /sys/firmware/acpi/tables/DSDT >&3
	echo "END DSDT" >&3
	;;
kdump)
	# shellcheck source=SCRIPTDIR/kdump/guest/kdump.sh
	. /kdump/kdump.sh
	kdump_main
	;;
shell)
	echo "pvbus-guest: shell; the guest powers off when it exits"
	setsid cttyhack sh -l
	;;
*)	emit "Bail out! unknown pvbus_guest_mode=$mode" ;;
esac
finish
