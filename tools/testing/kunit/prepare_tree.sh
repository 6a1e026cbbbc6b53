#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract linux-source-6.1 once into $BUILD (ignored by git) and link the
# project into it: drivers/pvbus and include/linux/pvbus*.h become symlinks,
# drivers/Makefile and drivers/Kconfig gain one line each.  Every step is
# idempotent, so kunit.py rebuilds stay incremental.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
TARBALL=${TARBALL:-$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | sort -V | tail -n 1)}
SRC=$BUILD/linux-source-6.1

if [ ! -f "$SRC/.pvbus-extracted" ]; then
	[ -n "$TARBALL" ] || { echo "no linux-source-6.1 tarball: run 'make deps'" >&2; exit 1; }
	echo "kunit: extracting $(basename "$TARBALL") into $BUILD"
	mkdir -p "$BUILD"
	rm -rf "$SRC"
	tar -C "$BUILD" -xf "$TARBALL"
	touch "$SRC/.pvbus-extracted"
fi

link() {
	local target=$1 name=$2

	if [ "$(readlink "$name" 2>/dev/null)" != "$target" ]; then
		rm -rf "$name"
		ln -s "$target" "$name"
	fi
}

link "$ROOT/drivers/pvbus" "$SRC/drivers/pvbus"
for hdr in "$ROOT"/include/linux/pvbus*.h; do
	link "$hdr" "$SRC/include/linux/$(basename "$hdr")"
done

grep -qx 'obj-$(CONFIG_PVBUS)		+= pvbus/' "$SRC/drivers/Makefile" ||
	printf 'obj-$(CONFIG_PVBUS)		+= pvbus/\n' >> "$SRC/drivers/Makefile"

if ! grep -q '^source "drivers/pvbus/Kconfig"' "$SRC/drivers/Kconfig"; then
	# Insert before the final endmenu.
	last=$(grep -n '^endmenu' "$SRC/drivers/Kconfig" | tail -n 1 | cut -d: -f1)
	sed -i "${last}i source \"drivers/pvbus/Kconfig\"\n" "$SRC/drivers/Kconfig"
fi

