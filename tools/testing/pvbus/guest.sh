#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest tests of pvbus (make guest-test).  Boots the Debian kernel whose
# ABI is the one of KDIR (so the modules' vermagic matches) under QEMU TCG
# with a busybox initramfs that carries the project's modules and the guest
# tests, plus an SSDT describing the pvbus bus root (lib/: one file per job).
# The guest runs tools/testing/pvbus/tests/*.sh in order and powers off
# (with --kdump, after a crash into a kdump kernel that runs them again:
# see README); this script prints their KTAP and a closing line
#
#	guest-test: N passed, M failed
#
# and exits non-zero on any failure, a missing plan, a kernel panic or a
# timeout.  Tests that need a guest of their own get a boot each, and the
# results add up.  Run with --help for the options.

set -euo pipefail

orig_args=("$@")
PVBUS_TESTING=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"
# shellcheck source=SCRIPTDIR/lib/boot.sh
. "$PVBUS_TESTING/lib/boot.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [options]

Boot the pvbus test guest and run the guest tests (tests/*.sh).

  -t, --tests LIST       run only these tests: comma-separated names without
                         .sh, globs allowed (e.g. 10-modules,2*)   [\$GUEST_TESTS]
      --suite NAME       which scripts: 'tests' (the guest tests,
                         tests/*.sh), 'soak' (soak/guest/*.sh, see
                         soak/README) or 'bench' (the benchmarks'
                         guest side, ../bench/guest/*.sh)          [tests]
$(boot_usage)
      --shell            interactive: a shell on the console (no timeout)
      --kdump            a kdump cycle: after the tests the guest loads
                         the same kernel and initramfs with kexec -p,
                         crashes (sysrq c), and the kdump kernel runs the
                         tests again (their kdump side, see README);
                         appends crashkernel=256M unless -a gives one
      --kexec-args ARGS  extra options of kexec -p, e.g. '-s' (use
                         kexec_file_load) or --reuse-video-type
      --kdump-append ARGS
                         extra command line of the kdump kernel, e.g.
                         pvbus.reserve=$PVBUS_FB_RESERVE (repeatable)
      --demo[=SCRIPT]    the demo instead (demo/run.sh)
      --group NAME       (internal) one boot of a test group
  -h, --help             this text
EOF
}

boot_defaults
group=
while [ $# -gt 0 ]; do
	if boot_option "$@"; then
		shift "$nshift"
		continue
	fi
	case "$1" in
	-t|--tests)	need_arg "$1" $#; tests=$2; shift ;;
	--suite)	need_arg "$1" $#; suite=$2; shift ;;
	--shell)	mode=shell ;;
	--kdump)	kdump=1 ;;
	--kexec-args)	need_arg "$1" $#; kexec_args="$kexec_args $2"; shift ;;
	--kdump-append)	need_arg "$1" $#; kdump_append="$kdump_append $2"; shift ;;
	--demo|--demo=*) exec "$PVBUS_TESTING/demo/run.sh" "${orig_args[@]}" ;;
	--group)	need_arg "$1" $#; group=$2; shift ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done
boot_check
# An arm64 guest runs every test; with the DT firmware, those that apply
# to it (lib/consts.sh).
if [ "$PVBUS_ARCH" = arm64 ] && [ "$fw" = dt ] && [ -z "$tests" ] &&
	[ "$suite" = tests ]; then
	tests=$PVBUS_ARM64_DT_TESTS
fi
case "$suite" in
tests)	suite_dir=$PVBUS_TESTING/tests ;;
soak)	suite_dir=$PVBUS_TESTING/soak/guest ;;
bench)	suite_dir=$ROOT/tools/testing/bench/guest ;;
*)	die "--suite takes 'tests', 'soak' or 'bench', not '$suite'" ;;
esac

# A test that needs its own guest says how in a line of its own:
#	# guest-args: --ssdt hid -D 'PVBUS_RESERVED_RANGES='
# (guest.sh options, shell quoting).  A test that needs an NVMe disk says
# how big, in a line of its own (truncate's sizes):
#	# guest-disk: 64M
# and gets a fresh raw image of zeroes, $GUEST/NAME.disk, as --disk.  An
# arm64 guest takes a '# guest-args-arm64:' line instead of 'guest-args:'
# when the test has one, and a guest with the DT firmware (--fw dt) a
# '# guest-args-dt:' line before either.  The
# tests without such lines share one boot; each distinct pair of lines gets
# a boot of its own, named after its first test, and the results add up.
run_groups() {
	local -A members=()
	local keys=() selected=() f n a d key list gname out rc line p s img gargs=()
	local total_p=0 total_f=0 total_s=0

	mapfile -t selected < <(suite_scripts)
	[ ${#selected[@]} -gt 0 ] || die "no test in $suite_dir matches '$tests'"
	for n in "${selected[@]}"; do
		a=$(sed -n 's/^# guest-args:[[:blank:]]*//p' "$suite_dir/$n.sh" | head -n 1)
		if [ "$PVBUS_ARCH" = arm64 ] &&
			grep -q '^# guest-args-arm64:' "$suite_dir/$n.sh"; then
			a=$(sed -n 's/^# guest-args-arm64:[[:blank:]]*//p' "$suite_dir/$n.sh" |
				head -n 1)
		fi
		if [ "$fw" = dt ] && grep -q '^# guest-args-dt:' "$suite_dir/$n.sh"; then
			a=$(sed -n 's/^# guest-args-dt:[[:blank:]]*//p' "$suite_dir/$n.sh" |
				head -n 1)
		fi
		d=$(sed -n 's/^# guest-disk:[[:blank:]]*//p' "$suite_dir/$n.sh" | head -n 1)
		[ -z "$d" ] || [[ "$d" =~ ^[0-9]+[KMG]?$ ]] || die "$n.sh: bad guest-disk '$d'"
		key="k:$d:$a"
		[ -n "${members[$key]:-}" ] || keys+=("$key")
		members[$key]="${members[$key]:-},$n"
	done
	# One boot with no extra arguments: no groups.
	[ ${#keys[@]} -eq 1 ] && [ "${keys[0]}" = "k::" ] && return 0

	mkdir -p "$GUEST"
	for key in "${keys[@]}"; do
		a=${key#k:}
		d=${a%%:*}
		a=${a#*:}
		list=${members[$key]#,}
		gname=default
		[ -z "$a$d" ] || gname=${list%%,*}
		# The project's own test files: eval for their quoting.
		eval "gargs=($a)"
		if [ -n "$d" ]; then
			img=$GUEST/$name-$gname.disk
			rm -f "$img"
			truncate -s "$d" "$img"
			gargs+=(--disk "$img")
		fi
		echo "# guest: boot '$gname': $list${a:+ (guest-args: $a)}${d:+ (guest-disk: $d)}"
		out=$GUEST/$name-$gname.out
		rc=0
		"$0" "${orig_args[@]}" --group "$gname" -n "$name-$gname" -t "$list" \
			"${gargs[@]}" | tee "$out" || rc=$?
		line=$(grep -E "^# group $gname: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1 || true)
		if [ -z "$line" ]; then
			total_f=$((total_f + 1))
			continue
		fi
		read -r p f s < <(echo "$line" |
			sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/')
		total_p=$((total_p + p))
		total_f=$((total_f + f))
		total_s=$((total_s + ${s:-0}))
		[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || total_f=$((total_f + 1))
	done
	line="guest-test: $total_p passed, $total_f failed"
	[ "$total_s" -eq 0 ] || line="$line, $total_s skipped"
	echo "$line"
	[ "$total_f" -eq 0 ]
	exit
}

if [ "$mode" = test ] && [ -z "$group" ]; then
	run_groups
fi

guest_prepare
passed=0 failed=0 skipped=0
guest_boot
rc=0
[ "$failed" -eq 0 ] || rc=1
[ "$mode" = test ] || exit "$rc"
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
if [ -n "$group" ]; then
	echo "# group $group: $line"
else
	echo "guest-test: $line"
fi
exit "$rc"
