#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The root file system of the kdump matrix's guest: a raw ext4 image made
# without mounting anything (mke2fs -d from a staging directory, debugfs -w
# for the per-cell files), for QEMU's NVMe.
#
#   mkroot.sh template BOOTDIR IMAGE
#	BOOTDIR is lib/boot.sh's guest_boot_files: the guest's initramfs (its files
#	become the root file system: busybox, kexec, makedumpfile, the
#	modules, /init), vmlinuz and initrd.img (the kernel and initrd that
#	kexec -p loads, in /boot as on a Debian system), and the skeleton of
#	what kdump-tools uses: /etc/default/kdump-tools, /var/crash.
#   mkroot.sh cell TEMPLATE IMAGE ID KDUMP_TOOLS
#	a copy of TEMPLATE for one cell (sparse), with /etc/pvbus-root
#	"image=ID" (the hook mounts only a root that carries the cell's id)
#	and /etc/default/kdump-tools from the file KDUMP_TOOLS.
#
# One image per guest run: two QEMUs cannot share one.

set -euo pipefail

SIZE=${KDUMP_IMAGE_SIZE:-256M}

die() {
	echo "mkroot: $*" >&2
	exit 2
}

template() {
	local boot=$1 img=$2 stage

	for f in vmlinuz initrd.img initramfs.cpio; do
		[ -f "$boot/$f" ] || die "no $boot/$f (guest_boot_files)"
	done
	command -v mke2fs > /dev/null || die "no mke2fs: run 'make deps' (e2fsprogs)"
	stage=$(mktemp -d "${img}.stage.XXXXXX")
	# shellcheck disable=SC2064 # expand now
	trap "rm -rf '$stage'" EXIT
	(cd "$stage" && cpio -idm --quiet --no-absolute-filenames) < "$boot/initramfs.cpio"
	mkdir -p "$stage"/{boot,newroot,var/crash,var/lib/pvbus-kdump,etc/default}
	cp "$boot/vmlinuz" "$stage/boot/vmlinuz"
	cp "$boot/initrd.img" "$stage/boot/initrd.img"
	echo "image=template" > "$stage/etc/pvbus-root"
	cat > "$stage/etc/default/kdump-tools" <<-'CONF'
	# Debian's kdump-tools settings; kdump/run.sh writes each cell's.
	USE_KDUMP=1
	KDUMP_KERNEL=/boot/vmlinuz
	KDUMP_INITRD=/boot/initrd.img
	KDUMP_COREDIR=/var/crash
	MAKEDUMP_ARGS="-c -d 31"
	KDUMP_KEXEC_ARGS=""
	KDUMP_CMDLINE_APPEND="reset_devices nr_cpus=1 irqpoll usbcore.nousb pvbus.reserve=16M@0xfd000000"
	CONF
	rm -f "$img"
	truncate -s "$SIZE" "$img"
	mke2fs -q -F -t ext4 -L pvbus-root -d "$stage" "$img" ||
		die "mke2fs failed"
	rm -rf "$stage"
	trap - EXIT
}

cell() {
	local tmpl=$1 img=$2 id=$3 conf=$4 tmp

	[ -f "$tmpl" ] || die "no template image $tmpl"
	[ -f "$conf" ] || die "no file $conf"
	command -v debugfs > /dev/null || die "no debugfs: run 'make deps' (e2fsprogs)"
	cp --sparse=always "$tmpl" "$img"
	tmp=$(mktemp)
	echo "image=$id" > "$tmp"
	# debugfs says what it did on stderr, and exits 0 even when a command
	# failed: check the result.
	debugfs -w -f - "$img" > /dev/null 2>&1 <<-EOF2
	cd /etc
	rm pvbus-root
	write $tmp pvbus-root
	cd /etc/default
	rm kdump-tools
	write $conf kdump-tools
	EOF2
	rm -f "$tmp"
	[ "$(debugfs -R 'cat /etc/pvbus-root' "$img" 2> /dev/null)" = "image=$id" ] ||
		die "cannot write /etc/pvbus-root into $img"
	cmp -s <(debugfs -R 'cat /etc/default/kdump-tools' "$img" 2> /dev/null) "$conf" ||
		die "cannot write /etc/default/kdump-tools into $img"
}

case "${1:-}" in
template) [ $# -eq 3 ] || die "usage: mkroot.sh template BOOTDIR IMAGE"; template "$2" "$3" ;;
cell)	[ $# -eq 5 ] || die "usage: mkroot.sh cell TEMPLATE IMAGE ID KDUMP_TOOLS"
	cell "$2" "$3" "$4" "$5" ;;
*)	die "usage: mkroot.sh template BOOTDIR IMAGE | cell TEMPLATE IMAGE ID KDUMP_TOOLS" ;;
esac
