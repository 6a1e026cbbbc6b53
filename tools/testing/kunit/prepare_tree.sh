#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract linux-source-6.1 once into $BUILD (ignored by git) and link the
# project into it: drivers/pvbus, include/linux/pvbus*.h and the trace
# headers include/trace/events/*pvbus*.h become symlinks,
# drivers/Makefile and drivers/Kconfig gain one line each.  Every step is
# idempotent, so kunit.py rebuilds stay incremental.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
# shellcheck disable=SC2012 # Debian's tarball names have no blanks
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
for hdr in "$ROOT"/include/trace/events/*pvbus*.h; do
	link "$hdr" "$SRC/include/trace/events/$(basename "$hdr")"
done

# shellcheck disable=SC2016 # a make variable, not the shell's
grep -qx 'obj-$(CONFIG_PVBUS)		+= pvbus/' "$SRC/drivers/Makefile" ||
	printf 'obj-$(CONFIG_PVBUS)		+= pvbus/\n' >> "$SRC/drivers/Makefile"

if ! grep -q '^source "drivers/pvbus/Kconfig"' "$SRC/drivers/Kconfig"; then
	# Insert before the final endmenu.
	last=$(grep -n '^endmenu' "$SRC/drivers/Kconfig" | tail -n 1 | cut -d: -f1)
	sed -i "${last}i source \"drivers/pvbus/Kconfig\"\n" "$SRC/drivers/Kconfig"
fi

# pci-pvbus lives in drivers/pci/controller, which the tree has already: its
# sources are linked in one by one, its Makefile's lines go between markers
# (rewritten when they change), its Kconfig is sourced before the menu ends.
PCI=$SRC/drivers/pci/controller
for f in "$ROOT"/drivers/pci/controller/pci-pvbus*.[ch] \
	 "$ROOT"/drivers/pci/controller/.kunitconfig \
	 "$ROOT"/drivers/pci/controller/Kconfig.pvbus; do
	case $f in *.mod.c) continue ;; esac
	link "$f" "$PCI/$(basename "$f")"
done
block=$(printf '# pci-pvbus begin\n'
	grep -v '^#' "$ROOT/drivers/pci/controller/Makefile" | sed '/^$/d'
	printf '# pci-pvbus end\n')
if [ "$(sed -n '/^# pci-pvbus begin$/,/^# pci-pvbus end$/p' "$PCI/Makefile")" != "$block" ]; then
	sed -i '/^# pci-pvbus begin$/,/^# pci-pvbus end$/d' "$PCI/Makefile"
	printf '%s\n' "$block" >> "$PCI/Makefile"
fi
if ! grep -q '^source "drivers/pci/controller/Kconfig.pvbus"' "$PCI/Kconfig"; then
	last=$(grep -n '^endmenu' "$PCI/Kconfig" | tail -n 1 | cut -d: -f1)
	sed -i "${last}i source \"drivers/pci/controller/Kconfig.pvbus\"" "$PCI/Kconfig"
fi
