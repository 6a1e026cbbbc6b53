#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 cross build (make ARCH=arm64).  Debian's arm64 packages are
# fetched with a private apt state under $BUILD/arm64/apt and unpacked
# under $BUILD/arm64/root: nothing of arm64 is ever installed into the
# host, and the host's dpkg keeps its architectures.
#
#   arm64.sh kdir          fetch the arm64 headers of the ABI of the amd64
#                          KDIR if needed; print their directory
#   arm64.sh fetch PKG...  download PKG (arm64) into $BUILD/arm64/debs and
#                          print each .deb's path
#   arm64.sh modules [MAKE-ARG...]
#                          cross-build the modules in $BUILD/arm64/src
#   arm64.sh kernel        the arm64 kernel with kexec_file_load (below),
#                          built once, and the modules against it; prints
#                          its directory
#   arm64.sh tools PKG PROGRAM...
#                          for the guest's initramfs: PKG and the library
#                          packages it depends on, unpacked under
#                          $BUILD/arm64/tools; prints "GUEST-PATH FILE" for
#                          each PROGRAM (its path in PKG) and each shared
#                          library it loads, the dynamic loader included
#
# The arm64 headers are Debian's linux-headers-<abi>-arm64 of the same
# package version as the amd64 headers: their scripts/ and tools/ point
# into linux-kbuild-6.1, which in the arm64 package holds arm64 programs,
# so they are pointed at the host's amd64 linux-kbuild-6.1 of that same
# version; their Makefile includes linux-headers-<abi>-common, which is
# architecture-independent and installed with the amd64 headers.
#
# Debian's arm64 6.1 kernel is built without CONFIG_KEXEC_FILE, so kexec
# -s -p (kexec_file_load) has no kernel to run on there.  'kernel' builds
# one from Debian's linux-source-6.1 (make source: $BUILD/linux-source-6.1,
# left clean: the build is O=): allnoconfig plus the fragment
# tools/testing/pvbus/kdump/arm64-kexec-file.config, Image and the modules,
# into $BUILD/arm64/kernel-kexec-file/KEY, KEY the hash of the fragment's
# lines (not its comments), the source package's version, the cross
# compiler's and the recipe (kernel_build as bash prints it, comments
# left out); a build of another KEY is deleted.  There:
#   build/   the O= tree: KDIR of the modules built against it
#   root/    boot/vmlinuz-REL (the uncompressed Image, which arm64's
#            kexec_file_load requires) and lib/modules/REL, a tree for
#            GUEST_KERNEL_ROOT (tools/testing/pvbus/lib/kernel.sh)
#   src/     the project's modules built against it (as $BUILD/arm64/src)
#   stamp    "REL SOURCE-VERSION SECONDS CPU": the build's wall time and
#            CPU time (user and system), in seconds
# Only the kdump matrix's kexec -s cells use it (kdump/run.sh).
#
# Out-of-tree modules are built in their source directory (M=), so the
# arm64 objects would overwrite the amd64 ones: the sources are mirrored
# as symbolic links into $BUILD/arm64/src and built there.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
AMD64_KDIR=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1)
A64=$BUILD/arm64
MODCONFIG=(CONFIG_PVBUS=m CONFIG_PVBUS_SIM=m CONFIG_PCI_PVBUS=m)
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
KF_FRAGMENT=$ROOT/tools/testing/pvbus/kdump/arm64-kexec-file.config

PVBUS_ME=arm64
# shellcheck source=SCRIPTDIR/pvbus/lib/die.sh
. "$ROOT/tools/testing/pvbus/lib/die.sh"

# The apt options of the private arm64 state.
apt_opts=(-q -o APT::Architecture=arm64 -o APT::Architectures::=arm64
	-o "Dir::State::Lists=$A64/apt/lists" -o "Dir::State::status=$A64/apt/status"
	-o "Dir::Cache=$A64/apt/cache")
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

apt_update() {
	mkdir -p "$A64/apt/lists/partial" "$A64/apt/cache/archives/partial"
	touch "$A64/apt/status"
	echo "arm64: apt-get update (private arm64 lists in $A64/apt)" >&2
	apt-get "${apt_opts[@]}" update > "$A64/apt/update.log" 2>&1 ||
		{ cat "$A64/apt/update.log" >&2; die "apt-get update failed"; }
}

# fetch PKG[=VERSION]...: the .deb of each, downloaded once.
fetch() {
	local spec pkg ver deb

	mkdir -p "$A64/debs"
	[ -d "$A64/apt/lists" ] || apt_update
	for spec in "$@"; do
		pkg=${spec%%=*}
		ver=
		[ "$spec" = "$pkg" ] || ver=${spec#*=}
		deb=$(find "$A64/debs" -maxdepth 1 -name "${pkg}_${ver:-*}_*.deb" |
			sort -V | tail -n 1)
		if [ -z "$deb" ]; then
			if ! (cd "$A64/debs" && apt-get "${apt_opts[@]}" download "$spec") \
				> "$A64/debs/apt.log" 2>&1; then
				apt_update
				(cd "$A64/debs" && apt-get "${apt_opts[@]}" download "$spec") \
					> "$A64/debs/apt.log" 2>&1 ||
					{ cat "$A64/debs/apt.log" >&2; die "cannot download $spec"; }
			fi
			deb=$(find "$A64/debs" -maxdepth 1 -name "${pkg}_${ver:-*}_*.deb" |
				sort -V | tail -n 1)
			[ -n "$deb" ] || die "apt-get download $spec left no .deb"
		fi
		echo "$deb"
	done
}

kdir() {
	local abi ver amd_abi dir deb kbuild

	[ -n "$AMD64_KDIR" ] || die "no amd64 kernel headers: run 'make deps'"
	amd_abi=${AMD64_KDIR##*/linux-headers-}
	abi=${amd_abi%-amd64}-arm64
	ver=$(dpkg-query -W -f='${Version}' "linux-headers-$amd_abi")
	dir=$A64/root/usr/src/linux-headers-$abi
	if [ "$(cat "$A64/root/headers.stamp" 2> /dev/null)" != "$abi $ver" ]; then
		deb=$(fetch "linux-headers-$abi=$ver")
		rm -rf "$A64/root"
		mkdir -p "$A64/root"
		dpkg-deb -x "$deb" "$A64/root"
		[ -f "$dir/Makefile" ] || die "no $dir/Makefile in $(basename "$deb")"
		# The host's amd64 kbuild programs, of the same version.
		kbuild=/usr/lib/linux-kbuild-$(echo "$ver" | cut -d. -f1,2)
		[ -d "$kbuild/scripts" ] || die "no $kbuild: run 'make deps'"
		[ "$(dpkg-query -W -f='${Version}' "linux-kbuild-${kbuild##*-}")" = "$ver" ] ||
			die "linux-kbuild-${kbuild##*-} is not version $ver"
		ln -sfn "$kbuild/scripts" "$dir/scripts"
		ln -sfn "$kbuild/tools" "$dir/tools"
		grep -q "/usr/src/linux-headers-${amd_abi%-amd64}-common" "$dir/Makefile" ||
			die "$dir/Makefile does not include the common headers"
		echo "$abi $ver" > "$A64/root/headers.stamp"
	fi
	echo "$dir"
}

# mirror [DIR]: the sources of the modules, as symbolic links in DIR
# ($A64/src); links whose source went away are dropped.  Never a file the
# build writes (*.mod.c): modpost would write the arm64 one through the
# link over the amd64 one.
mirror() {
	local src=${1:-$A64/src} f

	mkdir -p "$src"
	find "$src" -type l \( -name '*.mod.c' -o ! -exec test -e {} \; \) -delete
	(cd "$ROOT" && find Kbuild drivers include -type f \( -name '*.[ch]' \
		-o -name Makefile -o -name Kbuild -o -name 'Kconfig*' \) \
		! -name '*.mod.c') |
		while read -r f; do
			mkdir -p "$src/$(dirname "$f")"
			[ -L "$src/$f" ] || ln -sf "$ROOT/$f" "$src/$f"
		done
}

modules() {
	local kdir

	command -v "${CROSS_COMPILE}gcc" > /dev/null ||
		die "${CROSS_COMPILE}gcc is missing: run 'make deps'"
	kdir=$(kdir)
	mirror
	make -C "$kdir" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" M="$A64/src" \
		"${MODCONFIG[@]}" "$@" modules
}

# child_cpu: the CPU time, user and system, in clock ticks, of the
# children of this shell that have ended (/proc/PID/stat's cutime and
# cstime).
child_cpu() {
	awk '{ print $16 + $17 }' "/proc/$$/stat"
}

# kernel_build DIR: allnoconfig plus the fragment, Image and the modules,
# in DIR (see the top of this file).  Its wall time and CPU time, in
# seconds, go to DIR/stamp.new with the kernel release.
kernel_build() {
	local dir=$1 src=$BUILD/linux-source-6.1 line rel t0 c0 cpu missing=()
	local mk=(make -C "$src" O="$dir/build" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE")

	t0=$(date +%s)
	c0=$(child_cpu)
	mkdir -p "$dir/build"
	echo "arm64: building the kexec_file_load kernel in $dir (allnoconfig +" \
		"${KF_FRAGMENT#"$ROOT"/}; log: $dir/build.log)"
	{
		"${mk[@]}" KCONFIG_ALLCONFIG="$KF_FRAGMENT" allnoconfig &&
			"${mk[@]}" -j"$(nproc)" Image modules
	} > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; die "the kernel build failed"; }
	while read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		grep -qxF "$line" "$dir/build/.config" || missing+=("$line")
	done < "$KF_FRAGMENT"
	[ ${#missing[@]} -eq 0 ] || die "not in the kernel's .config: ${missing[*]}"
	rel=$(cat "$dir/build/include/config/kernel.release")
	"${mk[@]}" INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 modules_install \
		>> "$dir/build.log" 2>&1 || die "modules_install failed ($dir/build.log)"
	mkdir -p "$dir/root/boot"
	cp "$dir/build/arch/arm64/boot/Image" "$dir/root/boot/vmlinuz-$rel"
	cpu=$((($(child_cpu) - c0) / $(getconf CLK_TCK)))
	echo "$rel $(($(date +%s) - t0)) $cpu" > "$dir/stamp.new"
	echo "arm64: built $rel in $(($(date +%s) - t0))s ($cpu s of CPU)"
}

kernel() {
	local key srcver dir base=$A64/kernel-kexec-file rel secs cpu

	command -v "${CROSS_COMPILE}gcc" > /dev/null ||
		die "${CROSS_COMPILE}gcc is missing: run 'make deps'"
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2> /dev/null) ||
		die "linux-source-6.1 is not installed: run 'make deps'"
	key=$({ grep -v '^#' "$KF_FRAGMENT"; echo "linux-source-6.1 $srcver"
		"${CROSS_COMPILE}gcc" --version | head -n 1
		declare -f kernel_build; } | sha256sum | cut -c1-16)
	dir=$base/$key
	mkdir -p "$base"
	exec 8> "$base/.lock"
	flock 8
	if [ ! -f "$dir/stamp" ]; then
		"$ROOT/tools/testing/kunit/prepare_tree.sh" >&2
		find "$base" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
		rm -rf "$dir"
		kernel_build "$dir" >&2
		read -r rel secs cpu < "$dir/stamp.new"
		echo "$rel $srcver $secs $cpu" > "$dir/stamp"
		rm -f "$dir/stamp.new"
	fi
	mirror "$dir/src"
	make -C "$dir/build" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" M="$dir/src" \
		"${MODCONFIG[@]}" modules > "$dir/modules.log" 2>&1 ||
		{ cat "$dir/modules.log" >&2; die "the modules failed to build against $dir/build"; }
	flock -u 8
	echo "$dir"
}

# resolve FILE: FILE under $TOOLS with its symbolic links followed inside
# $TOOLS (an absolute link points into the guest, not the host).
resolve() {
	local f=$1 t n=0

	while [ -L "$TOOLS$f" ] && [ "$n" -lt 16 ]; do
		t=$(readlink "$TOOLS$f")
		case "$t" in
		/*) f=$t ;;
		*) f=$(dirname "$f")/$t ;;
		esac
		n=$((n + 1))
	done
	[ -f "$TOOLS$f" ] || die "$f is not in the unpacked packages"
	echo "$TOOLS$f"
}

tools() {
	local pkg=$1 deb p f file so interp stamp want
	local -a pkgs queue
	local -A seen=()

	shift
	TOOLS=$A64/tools/$pkg
	[ -d "$A64/apt/lists" ] || apt_update
	mapfile -t pkgs < <(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
		"$pkg" 2> /dev/null | grep -E '^(lib[a-z0-9.+-]+|zlib1g)$' | sort -u)
	want="$pkg ${pkgs[*]}"
	stamp=$TOOLS/.stamp
	if [ "$(cat "$stamp" 2> /dev/null)" != "$want" ]; then
		rm -rf "$TOOLS"
		mkdir -p "$TOOLS"
		for p in "$pkg" "${pkgs[@]}"; do
			deb=$(fetch "$p")
			dpkg-deb -x "$deb" "$TOOLS"
		done
		echo "$want" > "$stamp"
	fi
	queue=("$@")
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		[ -z "${seen[$f]:-}" ] || continue
		seen[$f]=1
		file=$(resolve "$f")
		echo "$f $file"
		interp=$(readelf -l "$file" 2> /dev/null |
			sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
		[ -z "$interp" ] || queue+=("$interp")
		for so in $(readelf -d "$file" 2> /dev/null |
				sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			for p in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
				if [ -e "$TOOLS$p/$so" ]; then
					queue+=("$p/$so")
					continue 2
				fi
			done
			die "$f needs $so, which no unpacked package has"
		done
	done
}

cmd=${1:-}
[ $# -eq 0 ] || shift
case "$cmd" in
kdir)		kdir ;;
fetch)		fetch "$@" ;;
modules)	modules "$@" ;;
kernel)		kernel ;;
tools)		[ $# -ge 2 ] || die "usage: arm64.sh tools PKG PROGRAM..."; tools "$@" ;;
*)		die "usage: arm64.sh kdir | fetch PKG... | modules [MAKE-ARG...] | kernel | tools PKG PROGRAM..." ;;
esac
