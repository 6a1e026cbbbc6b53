#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the pvbus KUnit suites through kunit.py on UML.  The build directory
# is kept between runs, so a rebuild after touching one file takes seconds.
#
# Extra arguments go to kunit.py, e.g. a suite filter: run_kunit.sh 'pvbus_mmio*'
#
# pvbus.mmio= gives the pvbus UML kernel a bus root, so that the suites
# that drive the real bus (pvbus_sim_live) have one.  The pci-pvbus kernel
# gets its own from drivers/pci/controller/.kunitconfig
# (CONFIG_PVBUS_KUNIT_ROOT_MMIO) and runs as a plain
# "kunit.py run --kunitconfig=drivers/pci/controller" does.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
SRC=$BUILD/linux-source-6.1
JOBS=${JOBS:-$(nproc)}
# shellcheck source=tools/testing/kunit/lib.sh
. "$ROOT/tools/testing/kunit/lib.sh"

"$ROOT/tools/testing/kunit/prepare_tree.sh"

# pci-pvbus runs in a UML kernel of its own: built in with the others, its
# driver would take the PCI buses the pvbus_sim suites drive with a driver
# of their own.  A filter ("suite.test" glob) picks the kernels it concerns;
# for the pci-pvbus kernel, --build_dir=D becomes D-pci.
filter=
pci_args=()
kunit_build_dirs "$@"
for a in "$@"; do
	case $a in
	--build_dir=*)
		pci_args+=("$a-pci") ;;
	-*) pci_args+=("$a") ;;
	*) filter=${a%%.*}; pci_args+=("$a") ;;
	esac
done
run_pci=0
for s in pci_pvbus_plan pci_pvbus_domain pci_pvbus_domain_fw pci_pvbus_msg pci_pvbus_live pci_pvbus_legacy \
	 pci_pvbus_hostile pci_pvbus_fault pci_pvbus_fuzz; do
	# shellcheck disable=SC2053
	if [ -z "$filter" ] || [[ $s == $filter ]]; then
		run_pci=1
	fi
done

kunit_stamp

cd "$SRC"
rc=0
if [ -z "$filter" ] || [[ $filter != pci_pvbus* ]]; then
	./tools/testing/kunit/kunit.py run \
		--kunitconfig=drivers/pvbus \
		--build_dir="$BUILD/kunit-uml" \
		--jobs="$JOBS" \
		--kernel_args='pvbus.mmio=16M@0x100000000' "$@" || rc=$?
fi
# The first build of the pci-pvbus kernel starts from a copy of the main
# kernel's tree, just built: the two kunitconfigs differ only in the
# project's options, so kbuild rebuilds what those touch, not the whole
# UML kernel with KASAN and lockdep (5 minutes on 2 cores).  kunit.py
# regenerates the copy's .config from this kunitconfig.
if [ "$run_pci" = 1 ] && [ ! -e "$KUNIT_PCI_DIR/.config" ] &&
   kunit_fresh "$KUNIT_MAIN_DIR/test.log"; then
	echo "kunit: $KUNIT_PCI_DIR starts as a copy of $KUNIT_MAIN_DIR"
	rm -rf "$KUNIT_PCI_DIR"
	cp -a "$KUNIT_MAIN_DIR" "$KUNIT_PCI_DIR"
	rm -f "$KUNIT_PCI_DIR/test.log"
fi
if [ "$run_pci" = 1 ]; then
	./tools/testing/kunit/kunit.py run \
		--kunitconfig="$ROOT/drivers/pci/controller" \
		--build_dir="$BUILD/kunit-uml-pci" \
		--jobs="$JOBS" \
		"${pci_args[@]}" || rc=$?
fi
# A lockdep splat, a KASAN report or sysfs's warning of a name added twice
# (a stack dump, no WARNING) does not fail a KUnit case in 6.1, so read the
# raw logs: any of these lines fails the run.
for log in "$KUNIT_MAIN_DIR/test.log" "$KUNIT_PCI_DIR/test.log"; do
	kunit_fresh "$log" || continue
	if grep -nE 'BUG:|WARNING:|KASAN|possible circular locking|inconsistent lock|possible recursive locking|ODEBUG|cannot create duplicate filename' "$log"; then
		echo "kunit: $log has kernel errors (above)"
		rc=1
	else
		echo "kunit: $log: no BUG, WARNING, KASAN or lockdep report"
	fi
	# kunit.py counts a skipped case as a pass.  These skip for want of
	# what this script's kernels give them (the bus root of pvbus.mmio=,
	# failslab, free address space, no other pvbus host): here that is a
	# bug, not the machine's lack, and fails the run.
	if grep -nE '# SKIP (no (bus|pvbus) root|another pvbus host|.* is not free in iomem|no failslab)' "$log"; then
		echo "kunit: $log: cases skipped that these kernels must run (above)"
		rc=1
	fi
done
exit "$rc"
