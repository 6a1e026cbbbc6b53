#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Remove what the out-of-tree build left in the source directories, and
# nothing in build/ (kunit.py trees, the guest images).

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

cd "$ROOT"
find drivers include \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
	-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.a' -o -name '*.d' \
	-o -name 'modules.order' -o -name '*.dwo' \) -type f -delete
rm -f Module.symvers modules.order .*.cmd
