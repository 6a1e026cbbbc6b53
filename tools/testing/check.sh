#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test of the project, in order.  Each step runs even if
# an earlier one failed, so one run shows everything that is wrong; the
# script exits non-zero if any step failed.  The last line counts the
# KUnit cases, the guest tests, the package's tests and the static
# checks: "check: N passed, M failed".

set -uo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
export ROOT BUILD
mkdir -p "$BUILD"
# shellcheck source=SCRIPTDIR/pvbus/lib/group.sh
. "$ROOT/tools/testing/pvbus/lib/group.sh"

passed=0
failed=0
failed_steps=()

step() {
	local name=$1 t=$SECONDS

	shift
	echo "=== check: $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_steps+=("$name")
	fi
	took "$name" "$t"
}

# What each step took, in one table at the end: where make check's time goes.
times=()
took() {
	times+=("$1 $((SECONDS - $2))")
}

# Run a test runner, keep its output, and add the cases it counted.
tests() {
	local name=$1 log=$BUILD/check-$1.log rc p f t=$SECONDS

	shift
	echo "=== check: $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r p f < <("$ROOT/tools/testing/count_results.py" "$log")
	if ! [[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]]; then
		echo "check: $name: its results could not be counted"
		p=0 f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$p" -eq 0 ] || [ "$f" -ne 0 ]; then
		[ "$f" -ne 0 ] || failed=$((failed + 1))
		failed_steps+=("$name")
	fi
	took "$name" "$t"
}

# beside NAME FUNCTION: run FUNCTION, steps of their own, in the
# background beside the steps that follow; join_beside NAME waits for it,
# prints its output ($BUILD/check-NAME.out) and adds what it counted.  One
# at a time: a second beside before the join would lose the first.  It
# runs in a process group of its own (lib/group.sh), which a check that
# ends early stops (the EXIT trap below).  Its guests then stop as they do
# on a Ctrl-C of their own (lib/qemu.sh).
beside_pid=
beside() {
	rm -f "$BUILD/check-$1.state"
	group_start beside_job "$@" > "$BUILD/check-$1.out" 2>&1
	beside_pid=$!
}

beside_job() {
	passed=0
	failed=0
	failed_steps=()
	times=()
	"$2"
	{
		echo "$passed $failed"
		printf 'failed %s\n' "${failed_steps[@]}"
		printf 'took %s\n' "${times[@]}"
	} > "$BUILD/check-$1.state"
}

join_beside() {
	local state=$BUILD/check-$1.state p f kind rest

	group_wait "$beside_pid"
	echo "=== check: $1: ran beside the steps above"
	cat "$BUILD/check-$1.out"
	if [ ! -s "$state" ]; then
		failed=$((failed + 1))
		failed_steps+=("$1")
		return
	fi
	{
		read -r p f
		passed=$((passed + p))
		failed=$((failed + f))
		while read -r kind rest; do
			case "$kind" in
			failed)	[ -z "$rest" ] || failed_steps+=("$rest") ;;
			took)	[ -z "$rest" ] || times+=("$rest") ;;
			esac
		done
	} < "$state"
}

step deps "$ROOT/tools/testing/deps.sh"
step source "$ROOT/tools/testing/kunit/prepare_tree.sh"
# The arm64 kernel of the kdump matrix's kexec -s cells (kdump-test-arm64
# below; some 13 minutes of CPU the first time) builds in the background
# at the lowest priority, on what the steps leave idle: a KUnit or guest
# step runs one single-threaded UML kernel or TCG guest at a time and
# leaves a core to it.  arm64.sh holds a lock while it builds, so a step
# that needs the kernel earlier waits for it.  It runs in a session of its
# own, so that a check that ends early stops the whole build (make and its
# compilers hold the lock).  A session is also a scheduling group of its
# own where the kernel groups them (CONFIG_SCHED_AUTOGROUP, on in
# Debian's): that group shares the CPU with make check's as an equal
# whatever the nice value of its processes, so the group's own nice value
# is set (sched(7)), or the build's compilers would run beside every
# step's.
arm64_kernel_log=$BUILD/check-arm64-kernel.log
# shellcheck disable=SC2016 # $0 is sh -c's own
setsid -w sh -c 'echo 19 2> /dev/null > /proc/self/autogroup; exec nice -n 19 "$0" kernel' \
	"$ROOT/tools/testing/arm64.sh" > "$arm64_kernel_log" 2>&1 &
arm64_kernel_pid=$!
trap 'kill -- -"$arm64_kernel_pid" 2> /dev/null; group_stop_all' EXIT
step w1 "$ROOT/tools/testing/lint.sh" w1
step sparse "$ROOT/tools/testing/lint.sh" sparse
step arm64 "$ROOT/tools/testing/lint.sh" arm64
step checkpatch "$ROOT/tools/testing/lint.sh" checkpatch
step kerneldoc "$ROOT/tools/testing/lint.sh" kerneldoc
step dtbinding "$ROOT/tools/testing/lint.sh" dtbinding
step shellcheck "$ROOT/tools/testing/lint.sh" shellcheck consts layout
# The operators' tools (tools/pvbus/), on saved inputs.
step pvbus-tools python3 "$ROOT/tools/pvbus/test_pvbus_mmio_map.py"
# The pvbus-dkms package, which the Debian image of distro-test (below)
# installs.
tests deb "$ROOT/tools/testing/pvbus/distro/deb.sh"
tests kunit "$ROOT/tools/testing/kunit/run_kunit.sh"
# The fuzzers, smaller than make fuzz: the same code, 50,000 host messages.
tests fuzz "$ROOT/tools/testing/kunit/run_fuzz.sh" 50000
# The benchmarks with tiny sizes: that they run and their output parses.
step bench-smoke "$ROOT/tools/testing/bench/bench.sh" --smoke
# The guests.  Each is one single-threaded TCG guest (and a kdump cell
# two, at most, at a time): the arm64 ones run in a chain of their own
# beside the x86 ones, so that both cores work.  They have files of
# their own: build/guest-arm64, build/kdump-arm64.
arm64_guests() {
	# First the Debian 12 image of distro-test (below): mmdebstrap waits
	# on the network and the disk for much of its time, which left a
	# core idle where distro-test built it, and distro-test, late in the
	# x86 chain, must find it built.  The image is cached by the hash of
	# its inputs; distro-test waits for its lock, then uses it.
	step distro-image "$ROOT/tools/testing/pvbus/distro/run.sh" --image
	# The arm64 guest (QEMU virt, UEFI, TCG) with the modules the arm64
	# step built: the guest tests that apply there.
	tests guest-test-arm64 env ARCH=arm64 "$ROOT/tools/testing/pvbus/guest.sh"
	# The same guest with its bus root in a device tree instead of ACPI
	# (guest.sh --fw dt): the tests that apply there.
	tests guest-test-arm64-dt env ARCH=arm64 GUEST_FW=dt "$ROOT/tools/testing/pvbus/guest.sh"
	# The arm64 matrix, reduced to legacy and auto under both syscalls
	# (make kdump-test ARCH=arm64 runs all of it).  First the kexec -p
	# cells, on Debian's arm64 kernel.
	tests kdump-test-arm64 env ARCH=arm64 "$ROOT/tools/testing/pvbus/kdump/run.sh" \
		p-efifb-auto p-efifb-legacy
	# The kexec -s cells boot a kernel with kexec_file_load, which
	# Debian's arm64 kernel has not: the one building in the background
	# since the source step (above).  It is needed now: if it is still
	# building, its group shares the CPU with make check's as an equal
	# from here on (as root; it took the leftovers so far).  arm64.sh
	# kernel waits for the build's lock, then reuses what it built.
	echo 0 2> /dev/null > "/proc/$arm64_kernel_pid/autogroup" || true
	tests kdump-test-arm64-s env ARCH=arm64 "$ROOT/tools/testing/pvbus/kdump/run.sh" \
		s-efifb-auto s-efifb-legacy
}
beside arm64-guests arm64_guests
# The modules the w1 step built, in QEMU guests.
tests guest-test "$ROOT/tools/testing/pvbus/guest.sh"
# VMs whose root disk is behind pci-pvbus, crashed into kdump kernels.
tests kdump-test "$ROOT/tools/testing/pvbus/kdump/run.sh"
# The soak's smoke: a few load/unload and hot add/eject cycles under stress.
tests soak "$ROOT/tools/testing/pvbus/soak/run.sh" --smoke
# A Debian 12 VM with pvbus-dkms installed, its root on the NVMe behind
# pci-pvbus, crashed under kdump-tools in both kexec modes, on the image
# built in the arm64 chain.
tests distro-test "$ROOT/tools/testing/pvbus/distro/run.sh"
join_beside arm64-guests
# The background build of the arm64 kernel, which kdump-test-arm64 used.
arm64_kernel() {
	local rc=0

	wait "$arm64_kernel_pid" || rc=$?
	trap - EXIT
	tail -n 5 "$arm64_kernel_log"
	return "$rc"
}
step arm64-kernel arm64_kernel

echo
echo "check: seconds per step (wall time; in the background: the arm64 kernel from the source step on, the arm64 chain (with the distro image) from guest-test on)"
printf '  %s\n' "${times[@]}"
echo "  all $SECONDS"
if [ ${#failed_steps[@]} -ne 0 ]; then
	echo "check: FAILED steps: ${failed_steps[*]}"
else
	echo "check: all steps passed"
fi
echo "check: $passed passed, $failed failed"
[ ${#failed_steps[@]} -eq 0 ]
