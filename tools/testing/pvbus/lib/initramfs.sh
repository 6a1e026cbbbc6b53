# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# The guest's initramfs: static busybox, kexec and makedumpfile with their
# libraries, the project's modules (vermagic checked against the guest
# kernel) and the Debian modules of modules.txt with their dependencies,
# /init (init.sh), the guest libraries (/usr/share/pvbus/) and the guest
# scripts: tests/ (/tests), soak/guest/ (/soak), demo/ (/demo),
# kdump/guest/ (/kdump) and ../bench/guest/ (/bench).  Built under $GUEST and rebuilt only when one of
# its inputs changes.  Needs lib/common.sh and lib/kernel.sh (kroot, abi).
#
#	guest_modules		the modules: project_kos, debian_mods; tool_files,
#				kexec_files (empty without kexec)
#	guest_initramfs		sets initramfs, rebuilt if needed
#	initramfs_nodes		the archive of the device nodes in front of it

# The guest's files: SOURCE-GLOB DESTINATION-DIR MODE, relative to
# tools/testing/pvbus and to the initramfs.
INITRAMFS_FILES=(
	"lib/guest/*.sh		usr/share/pvbus	0644"
	"lib/consts.sh		usr/share/pvbus	0644"
	"lib/ktap.awk		usr/share/pvbus	0644"
	"tests/*.sh		tests		0755"
	"soak/guest/*.sh	soak		0755"
	"soak/guest/lib/*.sh	soak/lib	0644"
	"demo/guest/*.sh	demo		0755"
	"kdump/guest/*.sh	kdump		0755"
	"../bench/guest/*.sh	bench		0755"
)

# guest_busybox: the static busybox of the guest's architecture, in
# busybox_bin: the host's, or Debian's arm64 one unpacked under $GUEST.
guest_busybox() {
	local deb

	busybox_bin=/bin/busybox
	[ "$PVBUS_ARCH" = arm64 ] || return 0
	busybox_bin=$GUEST/busybox/bin/busybox
	[ -x "$busybox_bin" ] && return 0
	deb=$("$ROOT/tools/testing/arm64.sh" fetch busybox-static) || exit 2
	rm -rf "$GUEST/busybox"
	dpkg-deb -x "$deb" "$GUEST/busybox"
	[ -x "$busybox_bin" ] || die "no bin/busybox in $(basename "$deb")"
}

guest_modules() {
	local ko n m magic deps=() project_names=() mk=make

	[ "$PVBUS_ARCH" = x86_64 ] || mk="make ARCH=$PVBUS_ARCH"
	guest_busybox
	mapfile -t project_kos < <(find "$MODULES_ROOT/drivers" -name '*.ko' | LC_ALL=C sort)
	[ ${#project_kos[@]} -gt 0 ] ||
		die "no modules under $MODULES_ROOT/drivers: run '$mk' first"
	for ko in "${project_kos[@]}"; do
		magic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
		[ "$magic" = "$abi" ] ||
			die "${ko#"$ROOT"/} is built for '$magic', the guest kernel is $abi: run '$mk'"
		n=$(basename "$ko" .ko)
		project_names+=("${n//-/_}")
	done

	# Debian modules: modules.txt, and what the project's modules depend on.
	debian_mods=()
	while read -r m opt _; do
		case "$m" in ''|'#'*) continue ;; esac
		# A kernel of our own (GUEST_KERNEL_ROOT) may lack an optional
		# one: the arm64 kexec_file_load kernel has no bochs.
		if [ -n "${GUEST_KERNEL_ROOT:-}" ] && [ "${opt:-}" = optional ] &&
			! modprobe -d "$kroot" -S "$abi" --show-depends "$m" > /dev/null 2>&1; then
			echo "guest: $m is not in the kernel of $kroot: left out of the initramfs"
			continue
		fi
		debian_mods+=("$m")
	done < "$PVBUS_TESTING/modules.txt"
	for ko in "${project_kos[@]}"; do
		IFS=, read -ra deps <<< "$(modinfo -F depends "$ko")"
		for m in "${deps[@]}"; do
			[ -n "$m" ] || continue
			[[ " ${project_names[*]} " == *" ${m//-/_} "* ]] || debian_mods+=("$m")
		done
	done

	# Programs from the host, with the libraries they load: kexec for the
	# kdump cycles, makedumpfile for the kdump matrix (optional).
	kexec_files=()
	tool_files=()
	# Where each file of tool_files comes from: itself on x86_64; an arm64
	# guest's are from Debian's arm64 packages (tools/testing/arm64.sh).
	declare -gA tool_src=()
	if [ "$PVBUS_ARCH" = arm64 ]; then
		local f src list

		list=$("$ROOT/tools/testing/arm64.sh" tools kexec-tools /sbin/kexec) || exit 2
		while read -r f src; do
			kexec_files+=("$f")
			tool_src[$f]=$src
		done <<< "$list"
		tool_files=("${kexec_files[@]}")
		list=$("$ROOT/tools/testing/arm64.sh" tools makedumpfile /usr/bin/makedumpfile) ||
			exit 2
		while read -r f src; do
			[ -n "${tool_src[$f]:-}" ] || tool_files+=("$f")
			tool_src[$f]=$src
		done <<< "$list"
		return 0
	fi
	if command -v kexec > /dev/null; then
		kexec_files=("$(command -v kexec)")
		mapfile -t -O 1 kexec_files < <(ldd "${kexec_files[0]}" | grep -o '/[^ ]*')
	fi
	if command -v makedumpfile > /dev/null; then
		tool_files=("$(command -v makedumpfile)")
		mapfile -t -O 1 tool_files < <(ldd "${tool_files[0]}" | grep -o '/[^ ]*')
	fi
	tool_files=("${kexec_files[@]}" "${tool_files[@]}")
}

inputs_hash() {
	local dirs=() d f srcs=()

	for d in tests soak/guest demo/guest lib kdump/guest ../bench/guest; do
		[ ! -d "$PVBUS_TESTING/$d" ] || dirs+=("$PVBUS_TESTING/$d")
	done
	for f in "${tool_files[@]}"; do
		srcs+=("${tool_src[$f]:-$f}")
	done
	{
		echo "$abi $kroot ${debian_mods[*]}"
		cat "$GUEST/kernel/$abi.stamp" 2> /dev/null || true
		find "${dirs[@]}" -type f 2> /dev/null | LC_ALL=C sort
		sha256sum "$busybox_bin" "${srcs[@]}" "${project_kos[@]}" \
			"$PVBUS_TESTING/init.sh" "$PVBUS_TESTING/modules.txt"
		find "${dirs[@]}" -type f -exec sha256sum {} + 2> /dev/null | LC_ALL=C sort
	} | sha256sum | cut -d' ' -f1
}

# newc entry: NAME MODE(octal) RDEVMAJOR RDEVMINOR INO.  For the nodes the
# kernel needs before /init mounts devtmpfs (/dev/console), without root.
newc() {
	local namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$((8#$2))" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$1"
	head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}

# The archive in front of the initramfs: /dev/console for the kernel.
initramfs_nodes() {
	newc dev 040755 0 0 1
	newc dev/console 020600 5 1 2
	newc 'TRAILER!!!' 0 0 0 0
}

build_initramfs() {
	local stage=$GUEST_CACHE/initramfs.d cpio=$1 path rel f app spec glob dest mode

	echo "guest: building the initramfs"
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root} \
		"$stage/lib/modules/$abi/extra"

	cp "$busybox_bin" "$stage/bin/busybox"
	# The applets of the host's busybox, of the same Debian version: an
	# arm64 busybox does not run here.
	while read -r app; do
		[ -e "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
	done < <(/bin/busybox --list-full)
	for f in "${tool_files[@]}"; do
		mkdir -p "$stage/$(dirname "$f")"
		cp -L "${tool_src[$f]:-$f}" "$stage/$f"
	done

	install -m 0755 "$PVBUS_TESTING/init.sh" "$stage/init"
	for spec in "${INITRAMFS_FILES[@]}"; do
		read -r glob dest mode <<< "$spec"
		mkdir -p "$stage/$dest"
		for f in "$PVBUS_TESTING"/$glob; do
			[ ! -f "$f" ] || install -m "$mode" "$f" "$stage/$dest/"
		done
	done

	# The project's modules keep their place under drivers/.
	for f in "${project_kos[@]}"; do
		rel=${f#"$MODULES_ROOT"/drivers/}
		mkdir -p "$stage/lib/modules/$abi/extra/$(dirname "$rel")"
		cp "$f" "$stage/lib/modules/$abi/extra/$rel"
	done
	# Debian modules with their dependencies, from the private tree.
	for f in "${debian_mods[@]}"; do
		modprobe -d "$kroot" -S "$abi" --show-depends "$f" ||
			die "the kernel of $kroot has no module '$f' (modules.txt)"
	done | awk '$1 == "insmod" { print $2 }' | LC_ALL=C sort -u | while read -r path; do
		rel=${path#"$kroot"/}
		mkdir -p "$stage/$(dirname "$rel")"
		cp "$path" "$stage/$rel"
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$kroot/lib/modules/$abi/$f" "$stage/lib/modules/$abi/"
	done
	depmod -b "$stage" "$abi"

	{
		initramfs_nodes
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --quiet)
	} > "$cpio.tmp"
	mv "$cpio.tmp" "$cpio"
	rm -rf "$stage"
}

guest_initramfs() {
	local hash

	guest_modules
	mkdir -p "$GUEST_CACHE"
	initramfs=$GUEST_CACHE/initramfs.cpio
	hash=$(inputs_hash)
	if [ ! -f "$initramfs" ] ||
		[ "$(cat "$GUEST_CACHE/initramfs.hash" 2> /dev/null)" != "$hash" ]; then
		build_initramfs "$initramfs"
		echo "$hash" > "$GUEST_CACHE/initramfs.hash"
	fi
}
