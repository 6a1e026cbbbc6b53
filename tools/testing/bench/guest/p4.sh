#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark P4, its guest side (busybox sh; /bench/p4.sh in the guest,
# started by tools/testing/bench/p4.sh through guest.sh --suite bench):
#
#   bring-up   pvbus_sim offers one bus per 32 functions (the protocol's
#              limit), each function with a 16 KiB 64-bit BAR and ids
#              pci-stub is told to claim; then insmod pci-pvbus, until
#              every function is bound to pci-stub
#   nvme       the guest's QEMU NVMe: 'modprobe nvme' until its namespace's
#              block device is there, natively at its own address, against
#              pvbus_sim passing it through and 'insmod pci-pvbus' plus
#              'modprobe nvme' until the same, behind pci-pvbus
#
# Both sides of a comparison alternate, run by run.  A time is the
# difference of the kernel's timestamps of two lines written to /dev/kmsg
# (microseconds), one before the first command and one when the condition
# is seen, polled every 10 ms on both sides alike.  Each is printed as
#
#	# bench-p4 KIND SIDE N RUN MICROSECONDS
#
# which p4.sh on the host collects.  The kernel command line's
# pvbus_p4=RUNS,N:N:... sets the runs of each and the function counts.
#
# guest-disk: 64M

# shellcheck source=SCRIPTDIR/../../pvbus/lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../../pvbus/lib/consts.sh
. /usr/share/pvbus/consts.sh
# shellcheck source=SCRIPTDIR/../../pvbus/lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh

RUNS=5
COUNTS=1:8:64
read -r cmdline < /proc/cmdline
for word in $cmdline; do
	case "$word" in
	pvbus_p4=*)
		w=${word#*=}
		RUNS=${w%%,*}
		COUNTS=${w#*,}
		;;
	esac
done

CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/bench0
PCI_CLASS=$PVBUS_PCI_CLASS
# The functions of the bring-up: ids nothing else in the guest has.
VENDOR=0x1b36
DEVICE=0x00fe
STUB=/sys/bus/pci/drivers/pci-stub
NATIVE=$PVBUS_NVME_ADDR
NATDEV=/sys/bus/pci/devices/$NATIVE
# The NVMe's bus: the domain pci-pvbus takes from the instance.
NVME_INST=3c2b1a09-8f7e-4d6c-7a5e-0f1e2d3c4b5b
PVDEV=/sys/bus/pci/devices/7a5e:00:00.0
PER_BUS=32

pvbus=$(pvbus_ko pvbus)
sim=$(pvbus_ko pvbus_sim)
pcipv=$(pvbus_ko pci-pvbus)

# Every count, and 2 results per count and run for the bring-up, 2 per
# run for the NVMe, and the setup and the teardown.
ncounts=$(echo "$COUNTS" | tr ':' '\n' | grep -c .)
tap_plan $((2 + ncounts * RUNS + 2 * RUNS + 1))

# mark NAME: the kernel's timestamp of a line written now, in
# microseconds; NAME makes the line unique.
mark() {
	_m="pvbus-bench-p4 mark $1"
	echo "$_m" > /dev/kmsg
	dmesg | awk -v m="$_m" 'index($0, m) {
		sub(/^\[ */, ""); split($0, t, "]"); split(t[1], s, ".")
		printf "%d%06d\n", s[1], s[2]; exit }'
}

# shellcheck disable=SC2317 # run through wait_for
stubbed() {
	[ "$(find "$STUB" -maxdepth 1 -name '*:*' | wc -l)" -eq "$1" ]
}

# shellcheck disable=SC2317 # run through wait_for
nvme_ready() {
	_d=$(nvme_disk "$1") && [ -b "/dev/$_d" ]
}

# uuid_of B: the instance of bring-up bus B.
uuid_of() {
	printf '5eb1c0de-0000-4000-8000-%012x\n' "$1"
}

# offer N: buses of up to 32 functions, N functions in all, live.
offer() {
	_left=$1
	_b=0
	mkdir "$HOST" || return 1
	while [ "$_left" -gt 0 ]; do
		_dev=$HOST/pci$_b
		mkdir "$_dev" && echo "$PCI_CLASS" > "$_dev/class" &&
			uuid_of "$_b" > "$_dev/instance" || return 1
		_i=0
		while [ "$_i" -lt "$PER_BUS" ] && [ "$_left" -gt 0 ]; do
			_f=$_dev/f$_i
			mkdir "$_f" && echo "$_i" > "$_f/slot" && echo 64:16K > "$_f/bars" &&
				echo "$VENDOR" > "$_f/vendor" && echo "$DEVICE" > "$_f/device" &&
				echo 1 > "$_f/live" || return 1
			_i=$((_i + 1))
			_left=$((_left - 1))
		done
		echo 1 > "$_dev/live" || return 1
		_b=$((_b + 1))
	done
	echo 1 > "$HOST/live"
}

# withdraw: the host and its buses gone.
withdraw() {
	echo 0 > "$HOST/live" 2> /dev/null
	for _dev in "$HOST"/pci*; do
		[ -d "$_dev" ] || continue
		for _f in "$_dev"/*/; do
			[ -d "$_f" ] && rmdir "$_f"
		done
		rmdir "$_dev"
	done
	rmdir "$HOST"
}

# take_nvme: the host passes the NVMe through on a bus of its own.
take_nvme() {
	mkdir "$HOST" "$HOST/pci0" && echo "$PCI_CLASS" > "$HOST/pci0/class" &&
		echo "$NVME_INST" > "$HOST/pci0/instance" && echo 1 > "$HOST/pci0/live" &&
		mkdir "$HOST/pci0/nvme" && echo 0 > "$HOST/pci0/nvme/slot" &&
		echo "$NATIVE" > "$HOST/pci0/nvme/passthrough" &&
		echo 1 > "$HOST/pci0/nvme/live" && echo 1 > "$HOST/live"
}

# give_nvme: the host gives it back (pci-pvbus is not loaded: no eject).
give_nvme() {
	echo 0 > "$HOST/live" && echo > "$HOST/pci0/nvme/passthrough" &&
		rmdir "$HOST/pci0/nvme" "$HOST/pci0" "$HOST"
}

# result KIND SIDE N RUN T0 T1: one time, printed for p4.sh.
result() {
	echo "# bench-p4 $1 $2 $3 $4 $(($6 - $5))"
}

# ---------------------------------------------------------------------------

rmmod nvme 2> /dev/null
modprobe pci-stub ids="${VENDOR#0x}:${DEVICE#0x}" && insmod "$pvbus" && insmod "$sim" &&
	! grep -q '^nvme ' /proc/modules
tap_ok $? "pci-stub (ids $VENDOR:$DEVICE), pvbus and pvbus_sim loaded, nvme not" ||
	bail "cannot load the modules"
[ "$(cat "$NATDEV/vendor" 2> /dev/null)" = 0x1b36 ] &&
	[ "$(cat "$NATDEV/class")" = 0x010802 ]
tap_ok $? "the QEMU NVMe is $NATIVE" || bail "no NVMe at $NATIVE"

# --- bring-up: insmod pci-pvbus to every function bound ---------------------
for n in $(echo "$COUNTS" | tr ':' ' '); do
	run=1
	ok=0
	while [ "$run" -le "$RUNS" ]; do
		if offer "$n"; then
			t0=$(mark "bringup-$n-$run-start")
			insmod "$pcipv" && wait_for -s 10 600 stubbed "$n"
			rc=$?
			t1=$(mark "bringup-$n-$run-end")
			[ "$rc" -ne 0 ] || result bringup pvbus "$n" "$run" "$t0" "$t1"
			rmmod pci_pvbus && wait_for -s 10 600 stubbed 0 || rc=1
		else
			rc=1
		fi
		withdraw || rc=1
		[ "$rc" -ne 0 ] || ok=$((ok + 1))
		tap_ok "$rc" "bring-up, $n function(s), run $run"
		run=$((run + 1))
	done
	tap_diag "bring-up of $n function(s): $ok of $RUNS runs"
done

# --- the NVMe: native and behind pci-pvbus, alternating --------------------
run=1
while [ "$run" -le "$RUNS" ]; do
	t0=$(mark "nvme-native-$run-start")
	modprobe nvme && wait_for -s 10 600 nvme_ready "$NATDEV"
	rc=$?
	t1=$(mark "nvme-native-$run-end")
	[ "$rc" -ne 0 ] || result nvme native 1 "$run" "$t0" "$t1"
	rmmod nvme || rc=1
	tap_ok "$rc" "nvme native, run $run"

	rc=1
	if take_nvme; then
		t0=$(mark "nvme-pvbus-$run-start")
		insmod "$pcipv" && modprobe nvme && wait_for -s 10 600 nvme_ready "$PVDEV"
		rc=$?
		t1=$(mark "nvme-pvbus-$run-end")
		[ "$rc" -ne 0 ] || result nvme pvbus 1 "$run" "$t0" "$t1"
		rmmod nvme && rmmod pci_pvbus || rc=1
		give_nvme || rc=1
	fi
	tap_ok "$rc" "nvme behind pci-pvbus, run $run"
	run=$((run + 1))
done

rmmod pvbus_sim && rmmod pvbus && rmmod pci_stub
tap_ok $? "everything unloaded"
tap_done
