# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# The host side of the pvbus QEMU harness, common part: where things are,
# how a script dies, the tools it needs.  Every entry point (guest.sh,
# demo/run.sh, kdump/run.sh, soak/run.sh) sources this first:
#
#	PVBUS_TESTING=$(cd "$(dirname "$0")/.." && pwd)	# tools/testing/pvbus
#	. "$PVBUS_TESTING/lib/common.sh"
#
# and then the files of the jobs it needs, one per job:
#
#	lib/kernel.sh     the guest kernel: the Debian image of KDIR's ABI
#	lib/initramfs.sh  the busybox initramfs with the modules and tests
#	lib/acpi.sh       QEMU's DSDT upgraded to revision 2; the SSDT
#	lib/qemu.sh       the machine, the kernel command line, one boot
#	lib/ktap.sh       counting a boot's KTAP (lib/ktap.awk)
#	lib/consts.sh     constants shared with the guest and the C headers
#
# It sources lib/die.sh (die) and lib/group.sh (jobs side by side).

: "${PVBUS_TESTING:?source lib/common.sh with PVBUS_TESTING set}"
export LC_COLLATE=C

ROOT=${ROOT:-$(cd "$PVBUS_TESTING/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
if [ -z "${KDIR:-}" ]; then
	KDIR=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2> /dev/null |
		sort -V | tail -n 1)
fi
# The guest's architecture, from ARCH as make passes it: x86_64 (QEMU's
# i440fx PC) or arm64 (QEMU's virt machine with UEFI; its modules are
# cross-built into a mirror, tools/testing/arm64.sh).  Everything else
# follows from PVBUS_ARCH: the headers, the kernel package, busybox, the
# machine, the consoles, how the SSDT gets in.
case "${ARCH:-}" in
''|x86|x86_64|amd64)	PVBUS_ARCH=x86_64 ;;
arm64|aarch64)		PVBUS_ARCH=arm64 ;;
*)	echo "guest: ARCH=$ARCH: the guests are x86_64 or arm64" >&2; exit 2 ;;
esac
# Where the modules were built (drivers/ below it).
MODULES_ROOT=$ROOT
# Everything the guest harness builds and logs.
GUEST=$BUILD/guest
if [ "$PVBUS_ARCH" = arm64 ]; then
	case "${KDIR:-}" in
	*-arm64) ;;
	*) KDIR=$("$ROOT/tools/testing/arm64.sh" kdir) || exit 2 ;;
	esac
	MODULES_ROOT=$BUILD/arm64/src
	GUEST=$BUILD/guest-arm64
fi
# The initramfs built for the guest kernel (lib/initramfs.sh): in $GUEST,
# or apart for a kernel of our own (lib/kernel.sh kernel_tree).
GUEST_CACHE=$GUEST
export ROOT BUILD KDIR PVBUS_ARCH
# The prefix of die's messages.
PVBUS_ME=${PVBUS_ME:-guest}

# shellcheck source=SCRIPTDIR/consts.sh
. "$PVBUS_TESTING/lib/consts.sh"
# shellcheck source=SCRIPTDIR/die.sh
. "$PVBUS_TESTING/lib/die.sh"
# shellcheck source=SCRIPTDIR/group.sh
. "$PVBUS_TESTING/lib/group.sh"

# need_arg OPTION ARGC: OPTION has an argument.
need_arg() {
	[ "$2" -ge 2 ] || die "$1 needs an argument (see --help)"
}

# need_tools TOOL...: every TOOL is installed.
need_tools() {
	local tool

	for tool in "$@"; do
		command -v "$tool" > /dev/null ||
			die "$tool is missing: run 'make deps' (tools/testing/pvbus/packages.txt)"
	done
}

# glob_match NAME PATTERNS: NAME matches one of the comma-separated globs
# of PATTERNS (all of them when PATTERNS is empty).
glob_match() {
	local p patterns=()

	[ -n "$2" ] || return 0
	IFS=, read -ra patterns <<< "$2"
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ "$1" == $p ]] && return 0
	done
	return 1
}

# kernel_abi: the kernel release of KDIR, which the guest kernel must have
# (the modules' vermagic), in $abi.
kernel_abi() {
	if [ -z "$KDIR" ] || [ ! -f "$KDIR/include/generated/utsrelease.h" ]; then
		die "no kernel headers (KDIR='$KDIR'): run 'make deps' or set KDIR="
	fi
	abi=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h")
	[ -n "$abi" ] || die "cannot read the kernel release of $KDIR"
}

# cpio_dir DIR NAME...: a newc archive of NAME... under DIR, owned by root.
cpio_dir() {
	local dir=$1

	shift
	(cd "$dir" && find "$@" | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
}

# nvme_rid: the requester id of the QEMU NVMe (PVBUS_NVME_ADDR) on its
# native bus, which the ITS sees it signal with.
nvme_rid() {
	local bdf=${PVBUS_NVME_ADDR#*:}

	echo $(((16#${bdf%%:*} << 8) | (16#${bdf:3:2} << 3) | 16#${bdf##*.}))
}
