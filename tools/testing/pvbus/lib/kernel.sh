# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# The guest kernel: the Debian image of exactly the ABI of KDIR (so that
# the modules' vermagic matches), fetched with 'apt-get download' and
# unpacked privately under $GUEST/kernel (never the host's /boot).
# GUEST_KERNEL_ROOT= may name a tree with boot/vmlinuz-<abi> and
# lib/modules/<abi> instead.  Needs lib/common.sh and kernel_abi.
#
#	guest_kernel	sets kroot (the tree) and vmlinuz
#	kernel_tree DIR	the runs that follow boot the kernel that
#			tools/testing/arm64.sh kernel built in DIR

# The stamp, $GUEST/kernel/<abi>.stamp: package, version, the .deb kept
# beside it, and the number of files in the tree.  'make clean' deletes
# every *.ko and modules.order under the project, $BUILD included; a tree
# that lost files is unpacked again from the kept .deb.
# kernel_download SPEC: the .deb of SPEC into the current directory; arm64
# packages come from the private arm64 apt state of tools/testing/arm64.sh.
kernel_download() {
	if [ "$PVBUS_ARCH" = arm64 ]; then
		cp "$("$ROOT/tools/testing/arm64.sh" fetch "$1")" .
	else
		"${apt[@]}" "$1"
	fi
}

fetch_kernel() {
	local kroot=$1 stamp=$GUEST/kernel/$abi.stamp want tmp pkg spec got='' deb=''
	local s_ver s_deb s_count

	# The headers' package version; empty when KDIR is not from a package.
	want=$(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2>/dev/null || true)
	if [ -f "$stamp" ]; then
		read -r _ s_ver s_deb s_count < "$stamp"
		if [ -z "$want" ] || [ "$s_ver" = "$want" ]; then
			[ "$(find "$kroot" -type f 2> /dev/null | wc -l)" = "$s_count" ] && return 0
			if [ -f "$GUEST/kernel/$s_deb" ]; then
				echo "guest: $kroot lost files ('make clean'?): unpacking it again"
				deb=$GUEST/kernel/$s_deb
			fi
		fi
	fi

	mkdir -p "$GUEST/kernel"
	tmp=$(mktemp -d "$GUEST/kernel/.fetch.XXXXXX")
	# shellcheck disable=SC2064 # expand now
	trap "rm -rf '$tmp'" EXIT
	if [ -z "$deb" ]; then
		local apt=(apt-get download -q)
		[ "$(id -u)" -ne 0 ] || apt+=(-o APT::Sandbox::User=root)
		for attempt in 1 2; do
			for pkg in "linux-image-$abi-unsigned" "linux-image-$abi"; do
				for spec in ${want:+"$pkg=$want"} "$pkg"; do
					echo "guest: fetching $spec"
					if (cd "$tmp" && kernel_download "$spec") > "$tmp/apt.log" 2>&1; then
						got=$spec
						break 3
					fi
				done
			done
			# Stale package lists are the usual reason; refresh them once.
			if [ "$attempt" -ne 1 ] || [ "$(id -u)" -ne 0 ]; then
				break
			fi
			echo "guest: apt-get update"
			apt-get update -qq || true
		done
		if [ -z "$got" ]; then
			cat "$tmp/apt.log" >&2
			die "cannot download linux-image-$abi(-unsigned): 'apt-get update' and retry"
		fi
		[ -z "$want" ] || [ "$got" = "${got%=*}=$want" ] ||
			echo "guest: warning: $got is not version $want of the headers"
		# Keep only this .deb.
		find "$GUEST/kernel" -maxdepth 1 -name '*.deb' -delete
		deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)
		mv "$deb" "$GUEST/kernel/"
		deb=$GUEST/kernel/$(basename "$deb")
	fi

	echo "guest: unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp/root"
	[ -f "$tmp/root/boot/vmlinuz-$abi" ] || die "no vmlinuz-$abi in $(basename "$deb")"
	# The package does not ship modules.dep (postinst makes it).
	depmod -b "$tmp/root" "$abi"
	rm -rf "$kroot"
	mv "$tmp/root" "$kroot"
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" \
		"$(basename "$deb") $(find "$kroot" -type f | wc -l)" > "$stamp"
	rm -rf "$tmp"
	trap - EXIT
	# Drop kernels of other ABIs.
	find "$GUEST/kernel" -mindepth 1 -maxdepth 1 -type d ! -name "$abi" -exec rm -rf {} +
	find "$GUEST/kernel" -maxdepth 1 -name '*.stamp' ! -name "$abi.stamp" -delete
}

# kernel_tree DIR: instead of Debian's, the kernel of DIR (build/ its KDIR,
# root/ its GUEST_KERNEL_ROOT, src/ the project's modules built against
# it: tools/testing/arm64.sh kernel), with an initramfs cache of its own
# in $GUEST/<DIR's parent's name>.  The kdump matrix's arm64 kexec -s
# cells boot it (Debian's arm64 kernel has no kexec_file_load).
kernel_tree() {
	[ -f "$1/build/include/generated/utsrelease.h" ] || die "no kernel built in $1"
	KDIR=$1/build
	MODULES_ROOT=$1/src
	GUEST_KERNEL_ROOT=$1/root
	GUEST_CACHE=$GUEST/$(basename "$(dirname "$1")")
}

guest_kernel() {
	if [ -n "${GUEST_KERNEL_ROOT:-}" ]; then
		kroot=$GUEST_KERNEL_ROOT
	else
		kroot=$GUEST/kernel/$abi
		fetch_kernel "$kroot"
	fi
	vmlinuz=$kroot/boot/vmlinuz-$abi
	if [ ! -f "$vmlinuz" ] || [ ! -d "$kroot/lib/modules/$abi" ]; then
		die "$kroot has no boot/vmlinuz-$abi or lib/modules/$abi"
	fi
}
