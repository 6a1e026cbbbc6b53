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

# fd 3: the KTAP channel.
if [ -c /dev/ttyS1 ]; then
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	exec 3>/dev/ttyS1
else
	exec 3>/dev/null
fi

emit() {
	printf '%s\n' "$*"
	printf '%s\n' "$*" >&3
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
	poweroff -f
	# Not reached; never let init exit (that panics).
	while :; do sleep 1000; done
}

selected() {
	[ -z "$tests" ] && return 0
	old_ifs=$IFS
	IFS=,
	for pattern in $tests; do
		# shellcheck disable=SC2254 # the selection is a glob on purpose
		case "$1" in $pattern) IFS=$old_ifs; return 0 ;; esac
	done
	IFS=$old_ifs
	return 1
}

# Run one script; its stdout is the subtest, stderr becomes comments.
# The exit status is left in /tmp/rc.
run_script() {
	{ { sh "$1" 2>&1 1>&4 4>&-; echo $? > /tmp/rc; } |
		sed 's/^/# stderr: /'; } 4>&1
}

# Summarise /tmp/out (one script's output) into one result line.
result() {
	i=$1 name=$2 rc=$3
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' /tmp/out | head -n 1)
	ran=$(grep -cE '^(not )?ok [0-9]+' /tmp/out)
	failed=$(grep -cE '^not ok [0-9]+' /tmp/out)
	why=
	if [ -z "$plan" ]; then
		why="no plan"
	elif [ "$plan" -ne "$ran" ]; then
		why="planned $plan, ran $ran"
	fi
	[ "$failed" -eq 0 ] || why="${why:+$why; }$failed failed"
	[ "$rc" = 0 ] || why="${why:+$why; }exit status $rc"
	if [ -z "$why" ]; then
		if [ "$plan" -eq 0 ] && grep -q '^1\.\.0.*# *[Ss][Kk][Ii][Pp]' /tmp/out; then
			emit "ok $i - $name # SKIP"
		else
			emit "ok $i - $name"
		fi
		return 0
	fi
	emit "    # $name: $why"
	emit "not ok $i - $name"
	return 1
}

# run_one I NAME SCRIPT: one test script as subtest I.
run_one() {
	mark=$(dmesg | wc -l)
	emit "    KTAP version 1"
	emit "    # Subtest: $2"
	echo 1 > /tmp/rc
	run_script "$3" | tee /tmp/out | while IFS= read -r line; do
		emit "    $line"
	done
	if ! result "$1" "$2" "$(cat /tmp/rc)"; then
		# The kernel's side of a failure: its messages since the start.
		dmesg | tail -n +"$((mark + 1))" | tail -n 40 |
			while IFS= read -r line; do
				emit "    # dmesg: $line"
			done
	fi
}

# Warnings from code that is not ours, that the tests do not cause, and
# that have been seen to come and go between runs of the same test:
#   drm_mode_prune_invalid  the Debian 6.1 bochs-drm now and then hands
#                           DRM a mode status that has no name
#                           (drm_get_mode_status_name()) while probing
FOREIGN_WARN='at drivers/gpu/drm/drm_modes\.c:[0-9]+ drm_mode_prune_invalid'

# kernel_dmesg: the kernel log without the foreign warnings above, each
# dropped whole ("cut here" to "end trace") and named on a line of its
# own, "FOREIGN: <the WARNING line>".
kernel_dmesg() {
	dmesg | awk -v foreign="$FOREIGN_WARN" '
		/-+\[ cut here \]-+/ { blk = 1; n = 0; drop = ""; }
		blk {
			buf[n++] = $0
			if ($0 ~ foreign)
				drop = $0
			if ($0 ~ /---\[ end trace/) {
				blk = 0
				if (drop != "")
					print "FOREIGN: " drop
				else
					for (i = 0; i < n; i++)
						print buf[i]
			}
			next
		}
		{ print }
		END { if (blk) for (i = 0; i < n; i++) print buf[i] }'
}

# kernel_log I NAME: a test can pass while the kernel complains: check the
# log once, as subtest I.
kernel_log() {
	bad='(BUG:|WARNING:|Oops|UBSAN:|KASAN:|general protection fault|Call Trace:|Kernel panic|list_(add|del) corruption|refcount_t:|ACPI (Error|Warning|BIOS Error))'
	emit "    KTAP version 1"
	emit "    # Subtest: $2"
	emit "    1..1"
	kernel_dmesg > /tmp/kernel.log
	grep '^FOREIGN: ' /tmp/kernel.log | sed 's/^FOREIGN: /not from pvbus, ignored: /' |
		while IFS= read -r line; do
			emit "    # $line"
		done
	if grep -v '^FOREIGN: ' /tmp/kernel.log | grep -E "$bad" > /tmp/bad; then
		while IFS= read -r line; do
			emit "    # $line"
		done < /tmp/bad
		emit "    not ok 1 - no BUG, WARNING, Oops, Call Trace or ACPI error in dmesg"
		emit "not ok $1 - $2"
	else
		emit "    ok 1 - no BUG, WARNING, Oops, Call Trace or ACPI error in dmesg"
		emit "ok $1 - $2"
	fi
}

# The command line of the kdump kernel: the first kernel's without
# crashkernel=, what kdump-tools adds, where the KTAP numbering goes on,
# and the run's --kdump-append.
kdump_cmdline() {
	out=
	for word in $cmdline; do
		case "$word" in
		crashkernel=*|pvbus_guest_kdump_first=*) ;;
		*) out="$out $word" ;;
		esac
	done
	echo "${out# } irqpoll nr_cpus=1 reset_devices pvbus_guest_kdump_first=$1${KDUMP_APPEND:+ $KDUMP_APPEND}"
}

# kdump_crash I: load the kdump kernel (subtest I) and crash into it; the
# kdump kernel's /init goes on at I + 1.  Returns only if that failed.
kdump_crash() {
	KEXEC_ARGS=
	KDUMP_APPEND=
	# shellcheck source=/dev/null # made by guest.sh
	. "$KDUMP_CONF"
	kappend=$(kdump_cmdline "$(($1 + 1))")
	emit "    KTAP version 1"
	emit "    # Subtest: kdump-load"
	emit "    1..2"
	emit "    # $(grep -i 'crash kernel' /proc/iomem | sed 's/^ *//')"
	emit "    # kexec -p /boot/vmlinuz --initrd=/boot/initrd.img $KEXEC_ARGS"
	emit "    #   --append='$kappend'"
	ok=0
	# shellcheck disable=SC2086 # the options split on purpose
	if kexec -p /boot/vmlinuz --initrd=/boot/initrd.img \
		--append="$kappend" $KEXEC_ARGS > /tmp/kexec.out 2>&1; then
		emit "    ok 1 - kexec -p loads the kdump kernel"
	else
		ok=1
		tail -n 15 /tmp/kexec.out > /tmp/kexec.out.tail
		while IFS= read -r line; do
			emit "    # $line"
		done < /tmp/kexec.out.tail
		emit "    not ok 1 - kexec -p loads the kdump kernel"
	fi
	loaded=$(cat /sys/kernel/kexec_crash_loaded 2> /dev/null)
	if [ "$loaded" = 1 ]; then
		emit "    ok 2 - /sys/kernel/kexec_crash_loaded is 1"
	else
		ok=1
		emit "    not ok 2 - /sys/kernel/kexec_crash_loaded is 1 (it is '$loaded')"
	fi
	if [ "$ok" -ne 0 ]; then
		emit "not ok $1 - kdump-load"
		emit "Bail out! no kdump kernel loaded"
		return 1
	fi
	emit "ok $1 - kdump-load"
	crash_into_kdump
	return 1
}

# The selected test scripts as "/$suite/NAME.sh ...", and their number.
list_tests() {
	list=
	count=0
	for t in /"$suite"/*.sh; do
		[ -f "$t" ] || continue
		name=${t##*/}
		name=${name%.sh}
		selected "$name" || continue
		list="$list $t"
		count=$((count + 1))
	done
}

# A kdump cycle makes one KTAP stream of both kernels: the first runs the
# tests, kernel-log and kdump-load; the kdump kernel the tests again as
# kdump:NAME, and kdump:kernel-log.
run_tests() {
	list_tests
	prefix=
	if [ "$kdump" = kernel ]; then
		i=$((${kdump_first:-1} - 1))
		prefix=kdump:
		emit "# pvbus-guest: kdump kernel $(uname -r) up; the kdump side of $count test script(s)"
	else
		total=$((count + 1))
		[ "$kdump" != cycle ] || total=$((2 * count + 3))
		emit "KTAP version 1"
		emit "# pvbus-guest: kernel $(uname -r), $count test script(s)${tests:+ (selected: $tests)}${kdump:+, then a kdump cycle}"
		emit "1..$total"
		i=0
	fi
	for t in $list; do
		i=$((i + 1))
		name=${t##*/}
		run_one "$i" "$prefix${name%.sh}" "$t"
	done
	i=$((i + 1))
	kernel_log "$i" "${prefix}kernel-log"
	[ "$kdump" != cycle ] || kdump_crash $((i + 1))
}

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
	# shellcheck source=kdump/guest/kdump.sh
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
