#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the pvbus KUnit suites through kunit.py on UML.  The build directory
# is kept between runs, so a rebuild after touching one file takes seconds.
#
# Extra arguments go to kunit.py, e.g. a suite filter: run_kunit.sh 'pvbus_mmio'
#
# pvbus.mmio= gives the UML kernel a bus root, so that the suites that drive
# the real bus (pvbus_sim_live) have one.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
SRC=$BUILD/linux-source-6.1
JOBS=${JOBS:-$(nproc)}

"$ROOT/tools/testing/kunit/prepare_tree.sh"

cd "$SRC"
./tools/testing/kunit/kunit.py run \
	--kunitconfig=drivers/pvbus \
	--build_dir="$BUILD/kunit-uml" \
	--jobs="$JOBS" \
	--kernel_args='pvbus.mmio=16M@0x100000000' "$@"
