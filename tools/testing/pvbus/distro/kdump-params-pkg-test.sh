# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by kdump-params-test.sh, whose $T, $ROOT, $TOOL, expect() and
# copy of the bus's map ($T/qemu) it uses:
# the package's postinst (debian/pvbus-dkms.postinst) and initramfs-tools
# hook (debian/initramfs-hook/pvbus) with fake commands that log how they
# were called.

# fake NAME [STATUS]: $T/bin/NAME logs "NAME ARGS" to $T/pkg.log and
# exits with STATUS (0).
fake() {
	mkdir -p "$T/bin"
	printf '#!/bin/sh\necho "%s $*" >> "%s"\nexit %s\n' \
		"$1" "$T/pkg.log" "${2:-0}" > "$T/bin/$1"
	chmod +x "$T/bin/$1"
}

# The postinst, on configure, has systemd read its units again (the
# drop-in, the refresh service; also on abort-upgrade), builds
# kdump-tools' initrds that are there again as kdump-tools' kernel hook
# does, then has kdump-tools load the kdump kernel again through
# systemd's try-restart; without systemd it only says to run
# 'kdump-config reload'.  No initrd built when none is there, no restart
# when one failed to build, nothing on other actions.
fake systemd-invoke
fake systemctl
mkdir -p "$T/systemd"
while IFS='|' read -r what action initrds hook systemd want_rc want note; do
	rm -rf "$T/kdump" "$T/pkg.log"
	mkdir -p "$T/kdump"
	for v in $initrds; do
		: > "$T/kdump/initrd.img-$v"
	done
	fake hook "$hook"
	PVBUS_KDUMP_DIR=$T/kdump PVBUS_KDUMP_HOOK=$T/bin/hook \
		PVBUS_SYSTEMD_RUN=$T/$systemd PVBUS_SYSTEMD_INVOKE=$T/bin/systemd-invoke \
		PVBUS_SYSTEMCTL=$T/bin/systemctl \
		sh "$ROOT/debian/pvbus-dkms.postinst" "$action" 0.0.9 > /dev/null 2> "$T/postinst.err"
	expect "postinst $what: status" "$want_rc" "$?"
	expect "postinst $what: called" "$want" "$(paste -sd, "$T/pkg.log" 2> /dev/null)"
	expect "postinst $what: says to reload" "$note" \
		"$(grep -q "'kdump-config reload'" "$T/postinst.err" && echo yes || echo no)"
done <<'TABLE'
with two initrds, systemd|configure|6.1.0-9-amd64 6.1.0-10-amd64 6.1.0-9-amd64.new|0|systemd|0|systemctl --system daemon-reload,hook 6.1.0-10-amd64,hook 6.1.0-9-amd64,systemd-invoke try-restart kdump-tools.service|no
with one, no systemd|configure|6.1.0-9-amd64|0|no-systemd|0|hook 6.1.0-9-amd64|yes
with none|configure||0|systemd|0|systemctl --system daemon-reload|no
with one failing|configure|6.1.0-9-amd64|1|systemd|0|systemctl --system daemon-reload,hook 6.1.0-9-amd64|no
on abort-upgrade|abort-upgrade|6.1.0-9-amd64|0|systemd|0|systemctl --system daemon-reload|no
on triggered|triggered|6.1.0-9-amd64|0|systemd|0||no
TABLE

# Into another root (DPKG_ROOT): nothing of this system's kdump-tools.
rm -f "$T/pkg.log"
DPKG_ROOT=$T/other PVBUS_KDUMP_DIR=$T/kdump PVBUS_KDUMP_HOOK=$T/bin/hook \
	PVBUS_SYSTEMD_RUN=$T/systemd PVBUS_SYSTEMD_INVOKE=$T/bin/systemd-invoke \
	PVBUS_SYSTEMCTL=$T/bin/systemctl \
	sh "$ROOT/debian/pvbus-dkms.postinst" configure 0.0.9 > /dev/null 2>&1
expect "postinst into DPKG_ROOT: called" "" "$(paste -sd, "$T/pkg.log" 2> /dev/null)"

# Triggered by kdump-tools' upgrade (its files in /usr/share/kdump-tools):
# when ucf replaced its defaults with its version and the old ones,
# .ucf-old, sourced the snippet (either form of the line), a warning says
# to run --enable again; the defaults are left alone, and the status is
# 0.  Nothing of configure (an initrd is there), nothing into DPKG_ROOT.
#
# @SOURCE@ is the line that --enable writes, taken from a run of it, so
# that the postinst, which has its own copy of it, is checked against it.
sn=$T/etc/kdump-tools.conf
printf 'KDUMP_COREDIR="/var/crash"\n' > "$T/enabled"
PVBUS_DEBUGFS=$T/qemu PVBUS_KDUMP_DEFAULTS=$T/enabled PVBUS_KDUMP_SNIPPET=$sn \
	"$TOOL" --enable > /dev/null 2>&1
enabled=$(tail -n 1 "$T/enabled")
expect "--enable adds a line that sources the snippet" yes \
	"$(case $enabled in *". $sn"*) echo yes ;; *) echo "no: $enabled" ;; esac)"
lines() {	# TEXT FILE: @SOURCE@ and @OLD@ the line --enable adds, and of before
	local v=${1//@SOURCE@/"$enabled"}
	printf '%b' "${v//@OLD@/[ -r $sn ] \&\& . $sn}" > "$2"
}
: > "$T/kdump/initrd.img-6.1.0-9-amd64"
# Also on configure: dpkg runs no trigger of a package it configures in
# the same run (kdump-tools and pvbus-dkms upgraded together); no
# initrd hook and no systemd then, so that only the check runs.
while IFS='|' read -r action what defaults ucf_old into warn; do
	rm -f "$T/pkg.log" "$T/defaults.ucf-old"
	lines "$defaults" "$T/defaults"
	cp "$T/defaults" "$T/defaults.was"
	[ -z "$ucf_old" ] || lines "$ucf_old" "$T/defaults.ucf-old"
	(if [ -n "$into" ]; then export DPKG_ROOT=$T/other; fi
	 PVBUS_KDUMP_DIR=$T/kdump PVBUS_KDUMP_HOOK=$T/bin/none \
		PVBUS_SYSTEMD_RUN=$T/no-systemd PVBUS_SYSTEMD_INVOKE=$T/bin/systemd-invoke \
		PVBUS_SYSTEMCTL=$T/bin/systemctl \
		PVBUS_KDUMP_DEFAULTS=$T/defaults PVBUS_KDUMP_SNIPPET=$sn \
		sh "$ROOT/debian/pvbus-dkms.postinst" "$action" /usr/share/kdump-tools \
		> "$T/postinst.err" 2>&1)
	expect "postinst $action, $what: status" 0 "$?"
	expect "postinst $action, $what: warns" "$warn" "$(if [ ! -s "$T/postinst.err" ]; then
		echo no; else grep -c "pvbus-dkms: warning: $T/defaults was replaced by kdump-tools' version (the old one is $T/defaults.ucf-old) and no longer sources $sn: run 'pvbus-kdump-params --enable' again" "$T/postinst.err"; fi)"
	expect "postinst $action, $what: the defaults unchanged" same \
		"$(cmp -s "$T/defaults" "$T/defaults.was" && echo same)"
	expect "postinst $action, $what: called" "" "$(paste -sd, "$T/pkg.log" 2> /dev/null)"
done <<'TABLE'
triggered|replaced, .ucf-old sourcing it|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n||1
triggered|replaced, .ucf-old with the old line|KDUMP_COREDIR="/var/crash"\n|@OLD@\n||1
triggered|with the line|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n||no
triggered|without .ucf-old|KDUMP_COREDIR="/var/crash"\n|||no
triggered|.ucf-old without the line|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n||no
triggered|into DPKG_ROOT|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n|yes|no
configure|replaced, .ucf-old sourcing it|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n||1
configure|with the line|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n||no
configure|into DPKG_ROOT|KDUMP_COREDIR="/var/crash"\n|KDUMP_COREDIR="/var/crash"\n@SOURCE@\n|yes|no
TABLE

# The initramfs-tools hook (debian/initramfs-hook/pvbus) with a fake
# hook-functions: the modules it adds, in order, and whether it warns
# (naming PVBUS_HOST_MODULES) that it adds no host backend: none set, and
# no loaded module uses pvbus (a chroot has no /sys/module/pvbus).
cat > "$T/hook-functions" <<SH
force_load() { echo "\$1" >> "$T/pkg.log"; }
SH
# hook_check WHAT WANT LABEL WARN PATTERN [VAR=VALUE...]: run the hook with
# $T/pvbus.conf and those variables; check its status, the modules it
# added (WANT) and, as LABEL, whether its stderr has PATTERN (WARN).
hook_check() {
	local what=$1 want=$2 label=$3 warn=$4 pattern=$5

	shift 5
	env "$@" PVBUS_HOOK_FUNCTIONS="$T/hook-functions" PVBUS_CONF="$T/pvbus.conf" \
		sh "$ROOT/debian/initramfs-hook/pvbus" > /dev/null 2> "$T/hook.err"
	expect "initramfs hook, $what: status" 0 "$?"
	expect "initramfs hook, $what: the modules" "$want" \
		"$(paste -sd' ' "$T/pkg.log" 2> /dev/null)"
	expect "initramfs hook, $what: $label" "$warn" \
		"$(grep -q "$pattern" "$T/hook.err" && echo yes || echo no)"
}
while IFS='|' read -r what initramfs host holders want warn; do
	rm -rf "$T/holders" "$T/pkg.log"
	if [ "$holders" != - ]; then
		mkdir -p "$T/holders"
		for h in $holders; do mkdir "$T/holders/$h"; done
	fi
	printf 'PVBUS_INITRAMFS=%s\nPVBUS_HOST_MODULES="%s"\n' "$initramfs" "$host" > "$T/pvbus.conf"
	hook_check "$what" "$want" warns "$warn" PVBUS_HOST_MODULES PVBUS_HOLDERS="$T/holders"
done <<'TABLE'
yes, none set, pvbus not loaded (a chroot)|yes||-|pvbus pci-pvbus|yes
yes, none set, no module uses pvbus|yes|||pvbus pci-pvbus|yes
yes, none set, pvbus_sim uses pvbus|yes||pvbus_sim pci_pvbus|pvbus pvbus_sim pci-pvbus|no
yes, set|yes|pvbus_sim hv_pvbus|-|pvbus pvbus_sim hv_pvbus pci-pvbus|no
no|no||-||no
TABLE

# In auto mode (the default) the hook looks for the disks of the root
# file system in sysfs, here a tree of $T's (PVBUS_SYSFS) with an NVMe
# behind a pvbus bus and a virtio disk that is not, and a fake findmnt
# that answers for a directory with the mount of $T/fm/mnt whose name is
# the nearest directory above it (/ as _), and nothing for one not there.
# Device mapper volumes (LVM, as Debian's installer makes them) are
# asked about through their slaves: dm-0 on the NVMe, dm-1 on the virtio
# disk.  nvme0n2, behind pvbus, has a slave that is not, which no real
# driver makes, but the hook must still find the bus above it.
# The device number names the disk, except on btrfs and ZFS (major 0):
# there the source does, or btrfs's list of its devices; where neither
# names one on btrfs or ZFS, the hook cannot tell, and says so; a file
# system on no disk (overlay) is on none behind pvbus.
sys=$T/sys
rm -rf "$sys"
nvme=$sys/devices/pvbus/pvbus0/0000:00:00.0/nvme/nvme0/nvme0n1/nvme0n1p2
vda=$sys/devices/pci0000:00/virtio1/block/vda/vda2
mkdir -p "$nvme" "$vda" "$sys/bus/pvbus" "$sys/bus/virtio" "$sys/dev/block" \
	"$sys/class/block" "$sys/fs/btrfs/b7f5/devices"
ln -s "$sys/bus/pvbus" "$sys/devices/pvbus/pvbus0/subsystem"
ln -s "$sys/bus/virtio" "$sys/devices/pci0000:00/virtio1/subsystem"
for d in "$nvme" "$vda"; do
	ln -s "$d" "$sys/class/block/${d##*/}"
done
ln -s "$nvme" "$sys/dev/block/259:2"
ln -s "$vda" "$sys/dev/block/254:2"
while read -r d slave majmin; do
	d=$sys/devices/$d slave=$sys/devices/$slave
	mkdir -p "$d/slaves"
	ln -s "$slave" "$d/slaves/${slave##*/}"
	ln -s "$d" "$sys/dev/block/$majmin"
done <<'TABLE'
virtual/block/dm-0 pvbus/pvbus0/0000:00:00.0/nvme/nvme0/nvme0n1/nvme0n1p2 253:0
virtual/block/dm-1 pci0000:00/virtio1/block/vda/vda2 253:1
pvbus/pvbus0/0000:00:00.0/nvme/nvme0/nvme0n2 pci0000:00/virtio1/block/vda/vda2 259:5
TABLE
mkdir -p "$T/fm"
cat > "$T/fm/findmnt" <<SH
#!/bin/sh
# findmnt -n -P -y -o TARGET,MAJ:MIN,FSTYPE,SOURCE,UUID --target DIR
# (nothing, as findmnt, for a DIR that is not there)
for d; do :; done
[ -e "\$d" ] || exit 1
while :; do
	f=$T/fm/mnt/\$(printf '%s' "\$d" | tr / _)
	if [ -f "\$f" ]; then
		cat "\$f"
		exit 0
	fi
	[ "\$d" != / ] || exit 1
	d=\$(dirname "\$d")
done
SH
chmod +x "$T/fm/findmnt"
# mnt DIR [FSTYPE MAJ:MIN SOURCE [UUID]]: the file system mounted on DIR
# (a UUID of - is none); none there with DIR alone.
mnt() {
	local f uuid=${5:-}
	f=$T/fm/mnt/$(printf '%s' "$1" | tr / _)
	mkdir -p "$T/fm/mnt"
	if [ $# -eq 1 ]; then
		rm -f "$f"
	else
		printf 'TARGET="%s" MAJ_MIN="%s" FSTYPE="%s" SOURCE="%s" UUID="%s"\n' \
			"$1" "$3" "$2" "$4" "${uuid#-}" > "$f"
	fi
}
printf 'PVBUS_INITRAMFS=auto\nPVBUS_HOST_MODULES=pvbus_sim\n' > "$T/pvbus.conf"
while IFS='|' read -r what fstype majmin source uuid btrfs want warn; do
	rm -f "$T/pkg.log" "$sys/fs/btrfs/b7f5/devices"/*
	if [ -n "$majmin" ]; then
		mnt / "$fstype" "$majmin" "$source" "$uuid"
	else
		mnt /
	fi
	for d in $btrfs; do
		ln -s "$sys/class/block/$d" "$sys/fs/btrfs/b7f5/devices/$d"
	done
	hook_check "auto, $what" "$want" "says it cannot tell" "$warn" \
		'cannot tell whether the root file system' PATH="$T/fm:$PATH" PVBUS_SYSFS="$sys"
done <<'TABLE'
ext4 on the NVMe|ext4|259:2|/dev/nvme0n1p2|||pvbus pvbus_sim pci-pvbus|no
ext4 on the virtio disk|ext4|254:2|/dev/vda2||||no
ext4 on LVM on the NVMe|ext4|253:0|/dev/mapper/vg-root|||pvbus pvbus_sim pci-pvbus|no
ext4 on LVM on the virtio disk|ext4|253:1|/dev/mapper/vg-root||||no
ext4 on a disk behind pvbus made of one that is not|ext4|259:5|/dev/nvme0n2|||pvbus pvbus_sim pci-pvbus|no
btrfs on the NVMe, a subvolume|btrfs|0:30|/dev/nvme0n1p2[/@rootfs]|b7f5|nvme0n1p2|pvbus pvbus_sim pci-pvbus|no
btrfs on both, the source the virtio disk|btrfs|0:30|/dev/vda2|b7f5|vda2 nvme0n1p2|pvbus pvbus_sim pci-pvbus|no
btrfs on the virtio disk|btrfs|0:30|/dev/vda2[/@]|b7f5|vda2||no
btrfs, its disks not found|btrfs|0:30|/dev/vdz2|b7f5|||yes
ZFS|zfs|0:41|rpool/ROOT/debian||||yes
overlay|overlay|0:25|overlay||||no
no findmnt answer (no /proc)|||||||no
TABLE

# /usr of its own (Debian's initrd mounts it) and kdump-tools' dump
# directory (KDUMP_COREDIR, on the mount of the nearest directory there
# when it is not there yet) are looked at as the root is, the root here
# on the virtio disk; where the hook cannot tell, it says which.
mnt / ext4 254:2 /dev/vda2
printf '#!/bin/sh\n' > "$T/kdump-config"
chmod +x "$T/kdump-config"
while IFS='|' read -r what usr dump coredir want warn; do
	rm -rf "$T/pkg.log" "$T/dump"
	mkdir -p "$T/dump"
	# shellcheck disable=SC2086 # the mount's fields
	if [ -n "$usr" ]; then mnt /usr $usr; else mnt /usr; fi
	# shellcheck disable=SC2086
	if [ -n "$dump" ]; then mnt "$T/dump" $dump; else mnt "$T/dump"; fi
	[ "$coredir" = absent ] || mkdir -p "$T/dump/crash"
	printf 'KDUMP_COREDIR="%s"\n' "$T/dump/crash" > "$T/hook-defaults"
	hook_check "auto, $what" "$want" "says it cannot tell of ${warn#*:}" \
		"${warn%%:*}" "cannot tell whether ${warn#*:}" PATH="$T/fm:$PATH" \
		PVBUS_SYSFS="$sys" PVBUS_KDUMP_CONFIG="$T/kdump-config" \
		PVBUS_KDUMP_DEFAULTS="$T/hook-defaults"
done <<'TABLE'
/usr on the root file system|||there||no:/usr
/usr of its own on the NVMe|ext4 259:2 /dev/nvme0n1p2 -||there|pvbus pvbus_sim pci-pvbus|no:/usr
/usr of its own on the virtio disk|ext4 254:2 /dev/vda2 -||there||no:/usr
/usr on btrfs, its disks not found|btrfs 0:30 /dev/vdz2 b7f5||there||yes:/usr
the dump directory on the NVMe||ext4 259:2 /dev/nvme0n1p2 -|there|pvbus pvbus_sim pci-pvbus|no:the dump directory
the dump directory on the NVMe, not there yet||ext4 259:2 /dev/nvme0n1p2 -|absent|pvbus pvbus_sim pci-pvbus|no:the dump directory
the dump directory on ZFS||zfs 0:41 tank/crash -|there||yes:the dump directory
TABLE

# The udev rule (debian/pvbus-dkms.udev): when pci-pvbus binds a bus,
# systemd restarts pvbus-kdump-refresh.service without waiting for it;
# without systemd (no /run/systemd/system) nothing runs.  Its command,
# with those two paths made $T's, runs as udev runs it.
fake systemctl
udev_cmd=$(sed -n "s|^ACTION==\"bind\", SUBSYSTEM==\"pvbus\", DRIVER==\"pci-pvbus\", RUN+=\"/bin/sh -c '\(.*\)'\"\$|\1|p" \
	"$ROOT/debian/pvbus-dkms.udev")
expect "udev rule: a bind of pci-pvbus runs /bin/sh -c" yes "$([ -n "$udev_cmd" ] && echo yes)"
udev_cmd=${udev_cmd//\/run\/systemd\/system/$T/udev-systemd}
udev_cmd=${udev_cmd//\/bin\/systemctl/$T/bin/systemctl}
while IFS='|' read -r what systemd want; do
	rm -rf "$T/pkg.log" "$T/udev-systemd"
	[ "$systemd" = no ] || mkdir "$T/udev-systemd"
	/bin/sh -c "$udev_cmd" > /dev/null 2>&1
	expect "udev rule, $what: status" 0 "$?"
	expect "udev rule, $what: called" "$want" "$(paste -sd, "$T/pkg.log" 2> /dev/null)"
done <<'TABLE'
systemd|yes|systemctl --no-block restart pvbus-kdump-refresh.service
no systemd|no|
TABLE
