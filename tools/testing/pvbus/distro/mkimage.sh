#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make distro-test's Debian 12 image, built with mmdebstrap (as root):
#
#   mkimage.sh ABI DEB DSDT_CPIO APT_CACHE OUT
#
# bookworm with systemd, linux-image-ABI and linux-headers-ABI (the ABI of
# the headers the project builds against), kdump-tools, makedumpfile and
# the pvbus-dkms package DEB, installed with apt in the chroot: DKMS builds
# the modules there against the image's headers.  The test's files from
# guest/: the simulated host's init-top script, the DSDT upgrade hook, the
# test script and its units.  OUT/root.img is a raw ext4 image (label
# pvbus-root, made with mke2fs -d); OUT/vmlinuz and OUT/initrd.img are the
# image's /boot ones; OUT/upgrade-trigger.out and OUT/upgrade-configure.out
# what dpkg said as kdump-tools was installed again over defaults ucf
# replaced, alone and with pvbus-dkms.  APT_CACHE keeps the .debs between
# builds.
#
# In a chroot initramfs-tools cannot find the root device (MODULES=dep
# fails, and kdump-tools' kernel hook with it, leaving the kernel package
# unconfigured), and the package's hook cannot see the bus: the image is
# built as an image builder does it, MODULES=list (nvme, ext4 listed) and
# PVBUS_INITRAMFS=yes, PVBUS_HOST_MODULES=pvbus_sim in /etc/pvbus/pvbus.conf.
# The first boot of each test runs the hook in auto mode on the real root
# device (distro-test.sh, hook_auto).

set -euo pipefail

[ $# -eq 5 ] || { echo "usage: mkimage.sh ABI DEB DSDT_CPIO APT_CACHE OUT" >&2; exit 2; }
abi=$1 deb=$2 dsdt=$3 cache=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
consts=$here/../lib/consts.sh
SIZE=${DISTRO_IMAGE_SIZE:-3G}
# The instance of the simulated host's PCI bus (its PCI domain: 9e2d).
PVBUS_DISTRO_INSTANCE=4d1e7a52-3b6c-4f08-9e2d-6a5c7b3e1f49

PVBUS_ME=mkimage
# shellcheck source=SCRIPTDIR/../lib/die.sh
. "$here/../lib/die.sh"

[ "$(id -u)" -eq 0 ] || die "mmdebstrap needs root here"
command -v mmdebstrap > /dev/null || die "no mmdebstrap: run 'make deps'"
[ -f "$deb" ] || die "no $deb: run 'make deb'"
[ -f "$dsdt" ] || die "no $dsdt"

# unmount_below DIR: unmount whatever is mounted below DIR, deepest first.
# mmdebstrap mounts proc, sys and dev/* in its chroot and unmounts them
# as it ends, but not when it is killed (a CI job cut short): rm -rf of
# the chroot would then walk into them.
unmount_below() {
	local m

	awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do
			umount "$m" 2> /dev/null || umount -l "$m" || true
		done
}

mkdir -p "$out" "$cache"
stage=$out/rootfs
unmount_below "$stage"
rm -rf "$stage" "$out/root.img"
files=$(mktemp -d)
# shellcheck disable=SC2064 # expand now
trap "unmount_below '$stage'; rm -rf '$files' '$stage'" EXIT

# What goes into the image, staged for copy-in.
cp "$deb" "$files/"
cp "$dsdt" "$files/dsdt.cpio"
{
	cat "$consts"
	echo "PVBUS_DISTRO_INSTANCE=$PVBUS_DISTRO_INSTANCE"
} > "$files/consts.sh"
cp "$here/guest/sim-host" "$here/guest/test-hook" "$here/guest/distro-test.sh" \
	"$here/guest/pvbus-distro-test.service" "$here/guest/pvbus-distro-facts.service" "$files/"

# The chroot's part, as one script: sh -c in the chroot.
cat > "$files/setup.sh" <<'SETUP'
set -e
cd /tmp/pvbus
mkdir -p /etc/pvbus-test /etc/initramfs-tools/scripts/init-top /etc/initramfs-tools/hooks
cp consts.sh dsdt.cpio /etc/pvbus-test/
install -m 0755 sim-host /etc/initramfs-tools/scripts/init-top/pvbus-sim-host
install -m 0755 test-hook /etc/initramfs-tools/hooks/pvbus-test
install -m 0755 distro-test.sh /usr/local/sbin/pvbus-distro-test
install -m 0644 pvbus-distro-test.service pvbus-distro-facts.service /etc/systemd/system/
printf 'nvme\next4\n' >> /etc/initramfs-tools/modules
# An option of a pvbus module, which must reach the initrds.
echo 'options pvbus request_timeout_ms=7000' > /etc/modprobe.d/pvbus-test.conf
echo 'LABEL=pvbus-root / ext4 defaults 0 0' > /etc/fstab
echo pvbus-distro > /etc/hostname
passwd -d root > /dev/null
mkdir -p /etc/pvbus
printf 'PVBUS_INITRAMFS=yes\nPVBUS_HOST_MODULES=pvbus_sim\n' > /etc/pvbus/pvbus.conf
# Each initrd is built once, at the end, as an image builder does: not
# again by each dpkg run below (initramfs-tools' trigger, pvbus-dkms's
# postinst, which builds kdump-tools' initrds only where there are some).
uconf=/etc/initramfs-tools/update-initramfs.conf
set_update_initramfs() {
	sed -i "s/^update_initramfs=.*/update_initramfs=$1/" "$uconf"
	grep -qx "update_initramfs=$1" "$uconf" ||
		{ echo "mkimage: no update_initramfs= line in $uconf" >&2; exit 1; }
}
set_update_initramfs no
rm -f /var/lib/kdump/initrd.img-*
DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold \
	./pvbus-dkms_*_all.deb
dkms status
cp /etc/default/kdump-tools /tmp/pvbus/defaults.pkg
pvbus-kdump-params --enable || true
# kdump-tools upgraded after ucf replaced its defaults with its own, the
# old ones, .ucf-old, sourcing the snippet: alone, pvbus-dkms's dpkg
# trigger warns; with pvbus-dkms in the same run, its configure does.
# run.sh reads what dpkg said.
d=/etc/default/kdump-tools
cp "$d" /tmp/pvbus/defaults.enabled
# The .deb of the version installed: the cache may hold older ones.
debs=/var/cache/apt/archives/kdump-tools_$(dpkg-query -W -f='${Version}' kdump-tools | sed 's/:/%3a/')_$(dpkg --print-architecture).deb
for run in trigger configure; do
	cp /tmp/pvbus/defaults.enabled "$d.ucf-old"
	cp /tmp/pvbus/defaults.pkg "$d"
	[ "$run" = trigger ] || debs="$debs $(ls ./pvbus-dkms_*_all.deb)"
	# shellcheck disable=SC2086 # $debs: one or two paths without spaces
	DEBIAN_FRONTEND=noninteractive dpkg --force-confold -i $debs > "upgrade-$run.out" 2>&1 ||
		{ cat "upgrade-$run.out" >&2; exit 1; }
	cmp -s "$d" /tmp/pvbus/defaults.pkg && echo "defaults unchanged" >> "upgrade-$run.out"
done
cp /tmp/pvbus/defaults.enabled "$d"
rm -f "$d.ucf-old"
systemctl enable pvbus-distro-test.service pvbus-distro-facts.service
systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
	man-db.timer dpkg-db-backup.timer systemd-timesyncd.service 2> /dev/null || true
set_update_initramfs yes
update-initramfs -u -k all
for k in /lib/modules/*; do
	/etc/kernel/postinst.d/kdump-tools "${k##*/}"
	kdump-config symlinks "${k##*/}" || true
	# Else kdump-config builds the initrd again at the first boot.
	cp /etc/kdump/sysctl.conf "/var/lib/kdump/latest_sysctls-${k##*/}"
done
SETUP

echo "mkimage: mmdebstrap bookworm (linux-image-$abi, kdump-tools, pvbus-dkms)"
# shellcheck disable=SC2016 # $1 is the chroot, given to each hook by mmdebstrap
mmdebstrap --variant=minbase --skip=download/empty --skip=essential/unlink \
	--include="systemd-sysv,udev,kmod,initramfs-tools,zstd,linux-image-$abi,linux-headers-$abi,dkms,kdump-tools,makedumpfile,kexec-tools,procps,e2fsprogs,util-linux" \
	--essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo MODULES=list > "$1/etc/initramfs-tools/conf.d/pvbus-image"' \
	--setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
	--setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
	--customize-hook="mkdir -p \"\$1/tmp/pvbus\"" \
	--customize-hook="sync-in '$files' /tmp/pvbus" \
	--customize-hook='chroot "$1" sh -e /tmp/pvbus/setup.sh' \
	--customize-hook="sync-out /var/cache/apt/archives '$cache'" \
	--customize-hook="copy-out /tmp/pvbus/upgrade-trigger.out /tmp/pvbus/upgrade-configure.out '$out'" \
	--customize-hook='rm -rf "$1/tmp/pvbus"' \
	bookworm "$stage" > "$out/mmdebstrap.log" 2>&1 ||
	{ tail -n 40 "$out/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $out/mmdebstrap.log)"; }
grep -E 'pvbus|dkms|DKMS|Building|installed' "$out/mmdebstrap.log" | grep -vE '^(Get|Unpacking|Selecting|Preparing)' |
	tail -n 12 | sed 's/^/mkimage:   /'
for f in "lib/modules/$abi/updates/dkms/pvbus.ko" "lib/modules/$abi/updates/dkms/pvbus_sim.ko" \
	"lib/modules/$abi/updates/dkms/pci-pvbus.ko" "boot/vmlinuz-$abi" "boot/initrd.img-$abi" \
	"var/lib/kdump/initrd.img-$abi"; do
	[ -f "$stage/$f" ] || die "the image has no /$f"
done
cp "$stage/boot/vmlinuz-$abi" "$out/vmlinuz"
cp "$stage/boot/initrd.img-$abi" "$out/initrd.img"
truncate -s "$SIZE" "$out/root.img"
mke2fs -q -F -t ext4 -L pvbus-root -d "$stage" "$out/root.img" || die "mke2fs failed"
echo "mkimage: $out/root.img ($(du -sh --apparent-size "$stage" | cut -f1) of files)"
