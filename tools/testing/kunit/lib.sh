# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # what it sets is for its callers
#
# What the scripts that run kunit.py and read its logs share
# (kunit/run_kunit.sh, kunit/run_fuzz.sh, bench/bench.sh), and the Python
# that they and lint.sh run.  Source it with ROOT and BUILD set:
#
#	. "$ROOT/tools/testing/kunit/lib.sh"

# Debian's python3: deps.sh installs what the tools import
# (python3-docutils, python3-matplotlib) for it, and a python3 earlier in
# PATH (a pyenv, a virtualenv) may lack them.  PYTHON= overrides it.
PYTHON=${PYTHON:-/usr/bin/python3}

# kunit_build_dirs [ARGS...]: the build directories of the two UML kernels
# as run_kunit.sh makes them: KUNIT_MAIN_DIR for the pvbus suites,
# KUNIT_PCI_DIR for pci-pvbus's.  $BUILD/kunit-uml and $BUILD/kunit-uml-pci,
# or D and D-pci for a --build_dir=D among ARGS.
kunit_build_dirs() {
	local a

	KUNIT_MAIN_DIR=$BUILD/kunit-uml
	KUNIT_PCI_DIR=$BUILD/kunit-uml-pci
	for a in "$@"; do
		case $a in
		--build_dir=*)
			KUNIT_MAIN_DIR=${a#--build_dir=}
			KUNIT_PCI_DIR=$KUNIT_MAIN_DIR-pci ;;
		esac
	done
}

# kunit_stamp: mark the start of a run (the file KUNIT_STAMP, removed when
# the script exits), for kunit_fresh.
kunit_stamp() {
	KUNIT_STAMP=$(mktemp)
	trap 'rm -f "$KUNIT_STAMP"' EXIT
}

# kunit_fresh LOG: LOG was written since kunit_stamp, not left by an
# earlier run (a kernel that did not build or did not boot leaves the old
# log in place).
kunit_fresh() {
	[ -f "$1" ] && [ "$1" -nt "$KUNIT_STAMP" ]
}
