#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the benchmarks of issue 14.  P1 to P3 (the MMIO allocator
# against vmbus_allocate_mmio()'s stride scan, BAR packing against
# discovery order and pci-hyperv) run as KUnit suites on UML through
# kunit.py in a kernel of their own (bench.kunitconfig: no KASAN or
# lockdep); P4 (bring-up and kdump, pci-pvbus against native) in QEMU
# guests (p4.sh).  bench.py tabulates both into build/bench/results.{json,md}
# and SVG plots.
#
#   bench.sh           the full sizes (see
#                      Documentation/dev-tools/pvbus-bench.rst)
#   bench.sh --smoke   tiny sizes, into build/bench-smoke: that it runs and
#                      its output parses (make check); no time is checked.
#                      It runs in the pci-pvbus KUnit kernel of make kunit
#                      (build/kunit-uml-pci) with the two benchmarks added,
#                      a rebuild of a few objects rather than a third UML
#                      kernel; its debug options time nothing it checks.
#
# BENCH_P4=0 leaves P4 out; BENCH_DOCS=1 copies the plots of a full run
# into Documentation/dev-tools/.  Extra arguments go to kunit.py.  See
# Documentation/dev-tools/pvbus-bench.rst.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
JOBS=${JOBS:-$(nproc)}
HERE=$ROOT/tools/testing/bench
export ROOT BUILD
# shellcheck source=tools/testing/kunit/lib.sh
. "$ROOT/tools/testing/kunit/lib.sh"

out=$BUILD/bench
dir=$BUILD/kunit-bench
kunitconfig=$HERE/bench.kunitconfig
timeout=1700
args=()
smoke=()
if [ "${1:-}" = --smoke ]; then
	shift
	out=$BUILD/bench-smoke
	dir=$BUILD/kunit-uml-pci
	kunitconfig=$out/smoke.kunitconfig
	timeout=600
	smoke=(--smoke)
	args=('*_bench'
	      --kernel_args='pvbus_mmio_bench.p1_mib=1,16'
	      --kernel_args='pvbus_mmio_bench.p2_n=16,64,256'
	      --kernel_args='pvbus_mmio_bench.p2_reps=2'
	      --kernel_args='pvbus_mmio_bench.trials=1'
	      --kernel_args='pvbus_mmio_bench.min_ns=100000'
	      --kernel_args='pci_pvbus_bench.p3_cap=64'
	      --kernel_args='pci_pvbus_bench.p3_random=2')
fi

"$ROOT/tools/testing/kunit/prepare_tree.sh"
mkdir -p "$out"
if [ ${#smoke[@]} -ne 0 ]; then
	{
		cat "$ROOT/drivers/pci/controller/.kunitconfig"
		echo "# bench.sh --smoke: the benchmarks, at the sizes above"
		grep -E '^CONFIG_(PVBUS|PCI_PVBUS)_BENCH=' "$HERE/bench.kunitconfig"
	} > "$kunitconfig"
fi
kunit_stamp

# The machine's load through the run, every 30 s (the times depend on it).
# Not on our stdout: its sleep outlives the kill below, and would hold a
# pipe reading this script open for up to 30 s more.
: > "$out/load.log"
(while :; do
	echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"
	sleep 30
done) >> "$out/load.log" 2>&1 < /dev/null &
sampler=$!
trap 'kill "$sampler" 2> /dev/null; rm -f "$KUNIT_STAMP"' EXIT
start=$SECONDS

rc=0
(cd "$BUILD/linux-source-6.1" &&
	./tools/testing/kunit/kunit.py run \
		--kunitconfig="$kunitconfig" \
		--build_dir="$dir" \
		--jobs="$JOBS" \
		--timeout="$timeout" \
		"${args[@]}" "$@") || rc=$?
if ! kunit_fresh "$dir/test.log"; then
	echo "bench: no new $dir/test.log: the kernel did not run"
	exit 1
fi
cp "$dir/test.log" "$out/test.log"
stages=(--stage "P1 to P3: build and run the benchmark kernel=$((SECONDS - start))")

p4=()
if [ "${BENCH_P4:-1}" != 0 ]; then
	t=$SECONDS
	"$HERE/p4.sh" "${smoke[@]}" "$out/p4.log" || rc=$?
	p4=(--p4 "$out/p4.log")
	stages+=(--stage "P4: guests (p4.sh)=$((SECONDS - t))")
fi
stages+=(--stage "all of bench.sh=$((SECONDS - start))")
"$PYTHON" "$HERE/bench.py" "${smoke[@]}" "${p4[@]}" "${stages[@]}" \
	--load "$out/load.log" --out "$out" "$out/test.log" || rc=$?

# BENCH_DOCS=1: the plots of this run become the documentation's.
if [ "${BENCH_DOCS:-0}" = 1 ] && [ ${#smoke[@]} -eq 0 ] && [ "$rc" -eq 0 ]; then
	for p in p1 p2; do
		cp "$out/$p.svg" "$ROOT/Documentation/dev-tools/pvbus-bench-$p.svg"
	done
	echo "bench: plots copied to Documentation/dev-tools/pvbus-bench-{p1,p2}.svg"
fi
exit "$rc"
