#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian/pvbus-kdump-params against saved copies of what the bus shows,
# table-driven; make deb runs it before it builds the package.  Prints
# "kdump-params: N passed, M failed".

set -uo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../../../.." && pwd)}
TOOL=$ROOT/debian/pvbus-kdump-params
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

expect() {	# WHAT WANT GOT
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
	else
		echo "not ok - $1: want '$2', got '$3'"
		failed=$((failed + 1))
	fi
}

# debugfs copies: the framebuffer and host ranges count, a pvbus.reserve=
# of this boot among them; the firmware's and the kdump fallback do not;
# overlapping and adjacent ranges merge.  screen_info's alone below 4 GiB
# gives no parameter (its size is the boot mode's, and any pvbus.reserve=
# would cancel the kdump kernel's fallback).
cat > "$T/qemu" <<'MAP'
space pvbus (mmio)
window      0x00000000fd000000-0x00000000fe7fffff pvbus low window
reserved    0x00000000fd000000-0x00000000fdffffff framebuffer (screen_info) [framebuffer]
reserved    0x00000000fd000000-0x00000000fdffffff framebuffer (PCI 0000:00:02.0) [framebuffer]
reserved    0x00000000fd000000-0x00000000fdffffff reserved (host) [host]
reserved    0x0000000800000000-0x00000008000fffff reserved (firmware) [firmware]
sources     screen_info pci firmware host
MAP
cat > "$T/merge" <<'MAP'
reserved    0x00000000fd000000-0x00000000fd47ffff framebuffer (screen_info) [framebuffer]
reserved    0x00000000fd400000-0x00000000fdffffff reserved (host) [host]
reserved    0x00000000fe000000-0x00000000fe0fffff reserved (host) [host]
reserved    0x00000000c0000000-0x00000000c0000fff framebuffer (PCI 0000:00:03.0) [framebuffer]
reserved    0x00000000f0000000-0x00000000f0ffffff framebuffer (kdump fallback) [framebuffer]
reserved    0x00000000e0000000-0x00000000e0ffffff reserved (pvbus.reserve) [framebuffer]
MAP
# Two bus roots: the second's map is mmio-<root>.
cat > "$T/two" <<'MAP'
reserved    0x0000000800000000-0x00000008000fffff reserved (firmware) [firmware]
MAP
cat > "$T/two-PVBS0001:01" <<'MAP'
reserved    0x00000000fd000000-0x00000000fdffffff framebuffer (PCI 0001:00:02.0) [framebuffer]
MAP
# A range above 4 GiB (a 64-bit framebuffer BAR the host reports).
cat > "$T/high" <<'MAP'
reserved    0x0000001000000000-0x0000001000ffffff reserved (host) [host]
reserved    0x00000000fd000000-0x00000000fdffffff framebuffer (screen_info) [framebuffer]
MAP
# Hyper-V Gen2 (not "sinfo-...": that would be a second root's map):
# screen_info only, the boot mode's 3 MiB at the low base,
# which the DRM driver grows to 8 MiB.
cat > "$T/sinfo" <<'MAP'
window      0x00000000f8000000-0x00000000fed3ffff pvbus low window
reserved    0x00000000f8000000-0x00000000f82fffff framebuffer (screen_info) [framebuffer]
sources     screen_info
MAP
# screen_info alone, but not at the base of its root's lowest window
# below 4 GiB, where the kdump kernel's fallback goes: it is given, as
# large as the kernel's fallback from its base (its driver may have grown
# it): 64 MiB of a Hyper-V Gen2 window from 0xf8000000.  With a host
# range beside it, likewise, at the base.
cat > "$T/hvhost" <<'MAP'
window      0x00000000f8000000-0x00000000ffffffff pvbus low window
reserved    0x00000000f8000000-0x00000000f82fffff framebuffer (screen_info) [framebuffer]
reserved    0x0000000fe0000000-0x0000000fe00fffff reserved (host) [host]
MAP
cat > "$T/sitop" <<'MAP'
window      0x00000000c0000000-0x00000000fdffffff pvbus low window
reserved    0x00000000fdd00000-0x00000000fdffffff framebuffer (screen_info) [framebuffer]
MAP
cat > "$T/sinotlow" <<'MAP'
window      0x00000000f8000000-0x00000000fed3ffff pvbus low window
window      0x00000000c0000000-0x00000000c7ffffff pvbus low window
reserved    0x00000000f8000000-0x00000000f82fffff framebuffer (screen_info) [framebuffer]
MAP
# screen_info at the base of its root's lowest low window, whatever the
# other root's windows and the order the maps are read in: nothing.
cat > "$T/rootlo" <<'MAP'
window      0x0000001000000000-0x00000010ffffffff pvbus high window
MAP
cat > "$T/rootlo-PVBS0001:01" <<'MAP'
window      0x00000000f8000000-0x00000000fed3ffff pvbus PVBS0001:01 low window
reserved    0x00000000f8000000-0x00000000f82fffff framebuffer (screen_info) [framebuffer]
MAP
cat > "$T/rootfb" <<'MAP'
window      0x00000000f8000000-0x00000000fed3ffff pvbus low window
reserved    0x00000000f8000000-0x00000000f82fffff framebuffer (screen_info) [framebuffer]
MAP
cat > "$T/rootfb-PVBS0001:01" <<'MAP'
window      0x00000000c0000000-0x00000000c7ffffff pvbus PVBS0001:01 low window
MAP
# Nine ranges, one more than pvbus.reserve= takes: the closest two are
# joined; eight are given as they are.
for i in 0 1 2 3 4 5 6 7; do
	printf 'reserved    0x00000000f%d000000-0x00000000f%d0fffff reserved (host) [host]\n' "$i" "$i"
done > "$T/eight"
cp "$T/eight" "$T/nine"
echo 'reserved    0x00000000f7200000-0x00000000f72fffff reserved (host) [host]' >> "$T/nine"
# screen_info alone, above 4 GiB (a display BAR there, which the kernel
# records only in a low window): no fallback reaches it, so it is given.
cat > "$T/hisinfo" <<'MAP'
reserved    0x0000001000000000-0x00000010007fffff framebuffer (screen_info) [framebuffer]
MAP
cat > "$T/none" <<'MAP'
reserved    0x0000000800000000-0x00000008000fffff reserved (firmware) [firmware]
sources     firmware
MAP
# /proc/iomem, when debugfs is not mounted.
cat > "$T/iomem" <<'MAP'
  fd000000-fe7fffff : pvbus low window
    fd000000-fdffffff : framebuffer (screen_info) + framebuffer (PCI 0000:00:02.0)
    fd000000-fdffffff : reserved (host)
    fe000000-fe001fff : pci-pvbus 9e2d:00 config
  e0000000-e0ffffff : reserved (pvbus.reserve)
MAP
cat > "$T/iomem-sinfo" <<'MAP'
  f8000000-fed3ffff : pvbus low window
    f8000000-f82fffff : framebuffer (screen_info)
MAP
cat > "$T/iomem-roots" <<'MAP'
  c0000000-c7ffffff : pvbus PVBS0001:01 low window
  f8000000-fed3ffff : pvbus low window
    f8000000-f82fffff : framebuffer (screen_info)
MAP
cat > "$T/iomem-top" <<'MAP'
  c0000000-10fffffff : pvbus low+high window
    fdd00000-fdffffff : framebuffer (screen_info)
MAP
# /proc/iomem as a user who is not root reads it: every address 0.
sed 's/[0-9a-f]\{8\}-[0-9a-f]\{8\}/00000000-00000000/' "$T/iomem" > "$T/iomem-user"

# The table: map, iomem, the line printed, the exit status.
while IFS='|' read -r map iomem want rc; do
	got=$(PVBUS_DEBUGFS=$T/$map PVBUS_IOMEM=$T/$iomem "$TOOL" 2> /dev/null)
	r=$?
	expect "$map/$iomem: output" "$want" "$got"
	expect "$map/$iomem: status" "$rc" "$r"
done <<'TABLE'
qemu|-|pvbus.reserve=16M@0xfd000000|0
merge|-|pvbus.reserve=4K@0xc0000000,16M@0xe0000000,17M@0xfd000000|0
high|-|pvbus.reserve=16M@0xfd000000,16M@0x1000000000|0
two|-|pvbus.reserve=16M@0xfd000000|0
sinfo|-||1
sitop|-|pvbus.reserve=3M@0xfdd00000|0
sinotlow|-|pvbus.reserve=64M@0xf8000000|0
hvhost|-|pvbus.reserve=64M@0xf8000000,1M@0xfe0000000|0
rootlo|-||1
rootfb|-||1
eight|-|pvbus.reserve=1M@0xf0000000,1M@0xf1000000,1M@0xf2000000,1M@0xf3000000,1M@0xf4000000,1M@0xf5000000,1M@0xf6000000,1M@0xf7000000|0
nine|-|pvbus.reserve=1M@0xf0000000,1M@0xf1000000,1M@0xf2000000,1M@0xf3000000,1M@0xf4000000,1M@0xf5000000,1M@0xf6000000,3M@0xf7000000|0
hisinfo|-|pvbus.reserve=8M@0x1000000000|0
none|-||1
-|iomem|pvbus.reserve=16M@0xe0000000,16M@0xfd000000|0
-|iomem-sinfo||1
-|iomem-roots||1
-|iomem-top|pvbus.reserve=17920K@0xfdd00000|0
-|iomem-user||1
-|-||1
TABLE

# The snippet: appended to KDUMP_CMDLINE_APPEND as set, to kdump-tools'
# default words when unset, left alone when pvbus.reserve= is there.
PVBUS_DEBUGFS=$T/qemu "$TOOL" --kdump-tools > "$T/snippet"
defaults="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
while IFS='|' read -r before want; do
	# shellcheck disable=SC1090,SC2016 # the snippet under test
	got=$(KDUMP_CMDLINE_APPEND=$before sh -c '. "$1"; echo "$KDUMP_CMDLINE_APPEND"' - "$T/snippet")
	expect "snippet after '$before'" "${want//@DEFAULTS@/$defaults}" "$got"
done <<'TABLE'
|@DEFAULTS@ pvbus.reserve=16M@0xfd000000
nr_cpus=1 irqpoll|nr_cpus=1 irqpoll pvbus.reserve=16M@0xfd000000
irqpoll pvbus.reserve=8M@0xc0000000|irqpoll pvbus.reserve=8M@0xc0000000
TABLE

# The snippet it writes, and the package's purge.
# shellcheck source=tools/testing/pvbus/distro/kdump-params-write-test.sh
. "$ROOT/tools/testing/pvbus/distro/kdump-params-write-test.sh"
# The package's postinst and initramfs hook.
# shellcheck source=tools/testing/pvbus/distro/kdump-params-pkg-test.sh
. "$ROOT/tools/testing/pvbus/distro/kdump-params-pkg-test.sh"

echo "kdump-params: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
