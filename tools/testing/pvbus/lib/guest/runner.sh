# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # init.sh's settings
#
# The test runner of the guest's /init (init.sh; busybox sh), installed as
# /usr/share/pvbus/runner.sh: the selected scripts of /tests (or /soak),
# each wrapped as a KTAP subtest, the kernel-log check, and in a kdump
# cycle the kexec -p load and the crash into the kdump kernel, which goes
# on with the same stream.  Uses init.sh's emit, crash_into_kdump and
# settings (tests, suite, kdump, kdump_first, cmdline, KDUMP_CONF).
#
#	run_tests	the whole KTAP stream of the boot

# shellcheck source=SCRIPTDIR/../consts.sh
. /usr/share/pvbus/consts.sh

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

# Summarise /tmp/out (one script's output) into one result line, counted
# by the harness's KTAP parser (lib/ktap.awk).
result() {
	i=$1 name=$2 rc=$3
	read -r _ _ _ plan ran _ _ failed planskip <<-EOF
	$(awk -f /usr/share/pvbus/ktap.awk /tmp/out)
	EOF
	why=
	if [ "$plan" = - ]; then
		why="no plan"
	elif [ "$plan" -ne "$ran" ]; then
		why="planned $plan, ran $ran"
	fi
	[ "$failed" -eq 0 ] || why="${why:+$why; }$failed failed"
	[ "$rc" = 0 ] || why="${why:+$why; }exit status $rc"
	if [ -z "$why" ]; then
		if [ "$plan" -eq 0 ] && [ "$planskip" -eq 1 ]; then
			why=$(sed -n 's/^1\.\.0[[:blank:]]*#[[:blank:]]*SKIP[[:blank:]]*//p' /tmp/out |
				head -n 1)
			emit "ok $i - $name # SKIP${why:+ $why}"
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
# log once, as subtest I.  A log that wrapped (its first line, "Linux
# version", gone) fails it: what it lost is not checked.
kernel_log() {
	emit "    KTAP version 1"
	emit "    # Subtest: $2"
	emit "    1..1"
	kernel_dmesg > /tmp/kernel.log
	grep '^FOREIGN: ' /tmp/kernel.log | sed 's/^FOREIGN: /not from pvbus, ignored: /' |
		while IFS= read -r line; do
			emit "    # $line"
		done
	if ! grep -q 'Linux version' /tmp/kernel.log; then
		emit "    not ok 1 - the kernel log is whole: no 'Linux version' in dmesg"
		emit "not ok $1 - $2"
	elif grep -v '^FOREIGN: ' /tmp/kernel.log | grep -E "$PVBUS_KLOG_BAD" > /tmp/bad; then
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
