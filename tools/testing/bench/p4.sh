#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark P4 of make bench: bring-up and kdump in a QEMU guest (TCG),
# pci-pvbus against native, both sides interleaved run by run.
#
#   bring-up   insmod pci-pvbus until 1, 8 and 64 offered functions are
#              bound (guest side: bench/guest/p4.sh, through guest.sh
#              --suite bench)
#   nvme       module load until the NVMe's block device is there, behind
#              pci-pvbus against the same NVMe enumerated natively
#   kdump      the kdump matrix's cell p-bochs-auto (kdump/run.sh), with
#              the NVMe behind pci-pvbus and with --nvme native: the kdump
#              kernel's time from its start, and from its /init, to its
#              root file system mounted; the same for the first kernel.
#              Its first boot only (--no-verify): every time comes from
#              it, and the next boot, which reads the dump back, is
#              make kdump-test's to check
#
# Writes one line per measurement to OUT (default $BUILD/bench/p4.log),
#
#	bench-p4 KIND SIDE N RUN MICROSECONDS
#
# which bench.py tabulates (medians, ratios).  No time is judged here.
#
#   p4.sh [--smoke] [--runs R] [--counts N:N:...] [--kdump-runs K] [OUT]
#
# --smoke: 1 run of 1 and 8 functions, 1 kdump run per side; make check.

set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
PVBUS_TESTING=$(cd "$here/../pvbus" && pwd)
PVBUS_ME=bench-p4
# shellcheck source=SCRIPTDIR/../pvbus/lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"

runs=5
counts=1:8:64
kdump_runs=5
out=
while [ $# -gt 0 ]; do
	case "$1" in
	--smoke)	runs=1; counts=1:8; kdump_runs=1 ;;
	--runs)		need_arg "$1" $#; runs=$2; shift ;;
	--counts)	need_arg "$1" $#; counts=$2; shift ;;
	--kdump-runs)	need_arg "$1" $#; kdump_runs=$2; shift ;;
	-h|--help)	sed -n '3,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*)		die "unknown option '$1' (--help)" ;;
	*)		out=$1 ;;
	esac
	shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "bad --runs '$runs'"
[[ "$kdump_runs" =~ ^[0-9]+$ ]] || die "bad --kdump-runs '$kdump_runs'"
[[ "$counts" =~ ^[1-9][0-9]*(:[1-9][0-9]*)*$ ]] || die "bad --counts '$counts'"
out=${out:-$BUILD/bench/p4.log}
mkdir -p "$(dirname "$out")"
: > "$out"
rc=0

# --- bring-up and the NVMe: one guest ----------------------------------------
echo "bench-p4: bring-up of $counts function(s) and the NVMe, $runs run(s) each"
t0=$SECONDS
glog=$(dirname "$out")/p4-guest.out
"$PVBUS_TESTING/guest.sh" --suite bench -n bench-p4 --timeout 1800 \
	-a "pvbus_p4=$runs,$counts" > "$glog" 2>&1 || rc=1
sed -n 's/^ *# \(bench-p4 .*\)$/\1/p' "$glog" >> "$out"
grep -E '^guest-test: ' "$glog" | sed 's/^/bench-p4: guest: /'
[ "$rc" -eq 0 ] || echo "bench-p4: the guest failed: see $glog"
echo "bench-p4: bring-up and NVMe guest took $((SECONDS - t0))s"

# --- kdump: the matrix's cell, pvbus and native in turn ---------------------
# kdump_times DMESG SIDE RUN: from the dmesg of a cell's first boot (both
# kernels), the times to the root file system mounted.
kdump_times() {
	awk -v side="$2" -v run="$3" '
		function us(line) {
			sub(/^\[ */, "", line); split(line, t, "]"); split(t[1], s, ".")
			return s[1] * 1000000 + s[2]
		}
		/^===== pvbus-guest: dmesg of the first kernel/ { k = "first"; init = -1; next }
		/^===== pvbus-guest: dmesg of the kdump kernel/ { k = "kdump"; init = -1; next }
		k != "" && /Run \/init as init process/ && init < 0 { init = us($0) }
		k != "" && /EXT4-fs \(nvme[0-9n]+\): mounted filesystem/ && !(k in done) {
			done[k] = 1
			printf "bench-p4 %s-root %s 1 %d %d\n", k, side, run, us($0)
			if (init >= 0)
				printf "bench-p4 %s-init-root %s 1 %d %d\n", k, side, run, us($0) - init
		}' "$1"
}

cell='p-bochs-auto'
run=1
while [ "$run" -le "$kdump_runs" ]; do
	for side in pvbus native; do
		klog=$(dirname "$out")/p4-kdump-$side-$run.out
		t0=$SECONDS
		if "$PVBUS_TESTING/kdump/run.sh" --jobs 1 --no-verify --nvme "$side" "$cell" \
			> "$klog" 2>&1; then
			kdump_times "$GUEST/kd-$cell-first.dmesg" "$side" "$run" >> "$out"
			echo "bench-p4: kdump run $run, NVMe $side: $((SECONDS - t0))s"
		else
			rc=1
			echo "bench-p4: kdump run $run, NVMe $side failed: see $klog"
		fi
	done
	run=$((run + 1))
done

echo "bench-p4: $(grep -c . "$out") measurement(s) in $out"
exit "$rc"
