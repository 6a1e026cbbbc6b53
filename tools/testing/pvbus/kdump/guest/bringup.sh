#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The hook of every boot of a kdump matrix cell: bring the NVMe up through
# pvbus and mount the root file system from it at /newroot, as an initramfs
# of a VM whose root disk is behind pci-pvbus must.
#
#  1. modprobe pvbus, pvbus_sim, pci-pvbus: their options come from the
#     kernel command line (pvbus.fb_sources=, pvbus.reserve=,
#     pci_pvbus.cfg_window=), which busybox's modprobe passes on.
#  2. configfs: a simulated host that believes the framebuffer is QEMU's
#     VGA BAR (16M@0xfd000000; on arm64 16M@0x30000000 at the base of the
#     low window, as on Hyper-V arm64), a PCI bus of class PVBUS_PCI_CLASS, and on
#     it a function passing the real NVMe through (passthrough=0000:00:04.0).
#     In the kdump kernel the host still holds the crashed kernel's D0
#     (stale_d0=1), as a real host does.
#  3. host live: pci-pvbus enters D0 with its config window; the host
#     refuses a window on what it believes is the framebuffer.
#  4. modprobe nvme: the stock driver binds to the function in the bus's
#     PCI domain; /dev/nvme0n1 there is mounted (ext4) at /newroot and must
#     carry the cell's image id (/etc/pvbus-root); the controller's
#     interrupts in /proc/interrupts are a fact (root_irqs).
#
# pvbus_kd_nvme=native (run.sh --nvme native) puts a plain function on the
# bus instead and lets the nvme driver bind to the real device in domain
# 0000: everything but the pass-through is real, and the facts say
# nvme=native.
#
# In the first kernel and the verification boot the root must come up; in
# the kdump kernel what happens is a fact for run.sh to judge (the cell
# legacy x bochs-drm x kexec -p is expected to fail here).

# shellcheck source=SCRIPTDIR/../../lib/guest/tap.sh
. /usr/share/pvbus/tap.sh
# shellcheck source=SCRIPTDIR/../../lib/guest/pvbus.sh
. /usr/share/pvbus/pvbus.sh
# shellcheck source=SCRIPTDIR/lib.sh
. /kdump/lib.sh

PLAN=4
tap_plan $PLAN

stage=initrd-first
if [ -e /proc/vmcore ]; then
	stage=kdump
elif [ "$(kd_arg pvbus_kd_boot)" = verify ]; then
	stage=initrd-verify
fi
nvme=$(kd_arg pvbus_kd_nvme || echo pvbus)
image=$(kd_arg pvbus_kd_image || echo '-')

lfb=$(kd_lfb_base)
fbs=$(kd_fbs)
d0=none
cfg='-'
root=no
rootpci='-'
rootdrv='-'
irqs='-'
why=

# facts: the line run.sh reads, whatever happened.
facts() {
	kd_fact "stage=$stage kernel=$(uname -r) nvme=$nvme lfb_base=$lfb fb=$fbs" \
		"sources=$(kd_sources) fb_rsv=$(kd_fb_rsv) cfg_window=$cfg d0=$d0" \
		"root=$root root_pci=$rootpci root_drv=$rootdrv root_irqs=$irqs${why:+ why=$(echo "$why" | tr ' =' '_:')}"
}

# fail WHY: the rest of the plan skipped; a failure outside the kdump
# kernel, a fact inside it.
fail() {
	why=$1
	tap_diag "$why"
	facts
	pvbus_dmesg_new | grep -E 'pvbus|pci-pvbus|nvme|pci ' | tail -n 30 | tap_diag
	if [ "$stage" = kdump ]; then
		tap_ok 0 "kdump kernel: no root file system, reported: $why"
	else
		tap_ok 1 "$stage: $why"
	fi
	tap_skip_rest "later steps" "$why"
}

tap_diag "$stage kernel: $(cat /proc/cmdline)"
tap_diag "lfb_base $lfb, /proc/fb: $fbs"
pvbus_dmesg_mark

# --- 1. the modules ---------------------------------------------------------
# arm64 has no boot_params to read screen_info from: pvbus's debug message
# says what it found there (kd_lfb_base).
# shellcheck disable=SC2317 # called below
load_pvbus() {
	if [ "$lfb" = - ]; then
		modprobe pvbus dyndbg=+p
	else
		modprobe pvbus
	fi
}
if ! load_pvbus || ! modprobe pvbus_sim || ! modprobe pci-pvbus; then
	fail "cannot load pvbus, pvbus_sim and pci-pvbus"
fi
[ "$lfb" != - ] || lfb=$(kd_lfb_base)
params="pvbus.fb_sources=$(cat /sys/module/pvbus/parameters/fb_sources 2> /dev/null)"
params="$params pvbus.reserve=$(cat /sys/module/pvbus/parameters/reserve 2> /dev/null)"
params="$params pci_pvbus.cfg_window=$(cat /sys/module/pci_pvbus/parameters/cfg_window 2> /dev/null)"
tap_ok 0 "modprobe pvbus pvbus_sim pci-pvbus: $params"
# The command line's options must have reached the modules.
want=$(kd_arg pci_pvbus.cfg_window) &&
	[ "$(cat /sys/module/pci_pvbus/parameters/cfg_window)" != "$want" ] &&
	fail "pci_pvbus.cfg_window=$want on the command line did not reach the module"

# --- 2. the simulated host, its PCI bus, the NVMe passed through ------------
[ -d "$KD_CFS" ] || fail "no $KD_CFS (configfs, pvbus_sim)"
cfg_ok=0
{
	mkdir "$KD_HOST" "$KD_BUS" "$KD_FN" &&
		echo "$KD_FB_RANGE" > "$KD_HOST/reserved" &&
		echo "$KD_PCI_CLASS" > "$KD_BUS/class" &&
		echo "$KD_INSTANCE" > "$KD_BUS/instance"
} 2> /tmp/kd_cfs.err || cfg_ok=1
[ "$cfg_ok" -eq 0 ] || fail "configfs: cannot make the host and bus: $(cat /tmp/kd_cfs.err)"
if [ "$stage" = kdump ]; then
	echo 1 > "$KD_BUS/stale_d0" ||
		fail "configfs: the bus cannot be offered in D0 (stale_d0)"
fi
if [ "$nvme" = native ]; then
	r=0
	{ echo 0x00 > "$KD_FN/slot" && echo "64:16K" > "$KD_FN/bars" &&
		echo 1 > "$KD_FN/live"; } || r=1
	tap_ok $r "configfs: host (reserved $KD_FB_RANGE), bus of class PVBUS_PCI_CLASS, a plain function (nvme=native: the NVMe stays at $KD_NVME_ADDR)"
else
	if [ ! -e "$KD_FN/passthrough" ]; then
		tap_diag "$KD_FN has: $(cd "$KD_FN" && echo *)"
		fail "pvbus_sim has no 'passthrough' attribute on a function (drivers/pvbus/sim): the NVMe cannot be put on the pvbus PCI bus"
	fi
	if ! echo "$KD_NVME_ADDR" > "$KD_FN/passthrough" 2> /tmp/kd_cfs.err ||
		! echo 1 > "$KD_FN/live" 2>> /tmp/kd_cfs.err; then
		fail "configfs: passthrough=$KD_NVME_ADDR refused: $(cat /tmp/kd_cfs.err)"
	fi
	tap_ok 0 "configfs: host (reserved $KD_FB_RANGE), bus of class PVBUS_PCI_CLASS, function passthrough=$(cat "$KD_FN/passthrough")"
fi
echo 1 > "$KD_BUS/live" || fail "configfs: the bus cannot go live"

# --- 3. the host goes live, pci-pvbus enters D0 ------------------------------
echo 1 > "$KD_HOST/live" 2> /tmp/kd_cfs.err ||
	fail "configfs: the host cannot go live: $(cat /tmp/kd_cfs.err)"

# d0_state: ok, refused, failed or '' (not yet), from pci-pvbus's messages.
d0_state() {
	pvbus_dmesg_new | grep 'pci-pvbus' > /tmp/kd_d0.log
	if grep -q 'PCI domain .* config window \[mem' /tmp/kd_d0.log; then
		echo ok
	elif grep 'host refused D0 entry' /tmp/kd_d0.log | grep -qv 'retrying'; then
		echo refused
	elif grep -qE 'D0 entry with config window .* failed|probe .* failed|no room for a config window' /tmp/kd_d0.log; then
		echo failed
	fi
}
# shellcheck disable=SC2317 # called through wait_for
d0_known() {
	[ -n "$(d0_state)" ]
}
wait_for 300 d0_known
d0=$(d0_state)
d0=${d0:-none}
# The config window: where pci-pvbus put it, entered or refused.
cfg=$(grep -oE 'config window \[mem 0x[0-9a-f]+' /tmp/kd_d0.log | tail -n 1 |
	sed 's/.*\[mem //')
cfg=${cfg:--}
grep -E 'pci-pvbus|pvbus_sim' /tmp/kd_d0.log | tap_diag
pvbus_dmesg_new | grep -E 'pvbus_sim' | tap_diag
# Where the config window is, among what else is in the low window.
grep -A8 'pvbus low window' /proc/iomem | tap_diag
if [ "$d0" != ok ]; then
	fail "the pvbus PCI bus did not come up: D0 entry $d0 (config window $cfg)"
fi
tap_ok 0 "pci-pvbus: D0 entered with the config window at $cfg"

# --- 4. the NVMe, the root file system ---------------------------------------
modprobe nvme || fail "modprobe nvme failed"
# nvme_blk: the NVMe namespace on the expected path (the pvbus domain, or
# domain 0000 with nvme=native).
# shellcheck disable=SC2317 # called through wait_for
nvme_blk() {
	for _b in /sys/block/nvme*n1; do
		[ -e "$_b" ] || continue
		_p=$(kd_blk_pci "${_b##*/}")
		case "$nvme:$_p" in
		pvbus:"$KD_DOMAIN":*|native:"$KD_NVME_ADDR")
			echo "${_b##*/} $_p"
			return 0 ;;
		esac
	done
	return 1
}
# shellcheck disable=SC2317 # called through wait_for
nvme_up() {
	nvme_blk > /tmp/kd_blk
}
if ! wait_for 300 nvme_up; then
	# shellcheck disable=SC2012 # shown, not parsed
	ls -l /sys/block | tap_diag
	fail "no NVMe namespace in PCI domain $KD_DOMAIN ($nvme) within 30 s"
fi
read -r blk rootpci < /tmp/kd_blk
for b in /sys/block/nvme*; do
	[ -e "$b" ] || continue
	_p=$(kd_blk_pci "${b##*/}")
	_d=$(readlink "/sys/bus/pci/devices/$_p/driver" 2> /dev/null)
	tap_diag "${b##*/} on $_p, driver ${_d##*/}"
done
rootdrv=$(readlink "/sys/bus/pci/devices/$rootpci/driver" 2> /dev/null)
rootdrv=${rootdrv##*/}

modprobe crc32c_generic 2> /dev/null
modprobe ext4 || fail "modprobe ext4 failed"
mkdir -p "$KD_NEWROOT"
# In the background: when QEMU's NVMe never completes an I/O (see
# Documentation/dev-tools/pvbus-testing.rst), the mount may hang for minutes.  After 60 s the
# kernel has logged the I/O timeouts; show them and give up.
mount -t ext4 "/dev/$blk" "$KD_NEWROOT" 2> /tmp/kd_mount.err &
mpid=$!
# shellcheck disable=SC2317 # called through wait_for
mount_done() {
	! kill -0 "$mpid" 2> /dev/null
}
if ! wait_for 600 mount_done; then
	dmesg | grep -E 'nvme|I/O error' | tail -n 8 | tap_diag
	fail "mount /dev/$blk did not finish within 60 s"
fi
wait "$mpid" || fail "mount /dev/$blk: $(cat /tmp/kd_mount.err)"
got=$(sed -n 's/^image=//p' "$KD_NEWROOT$KD_MARK" 2> /dev/null)
if [ "$got" != "$image" ]; then
	umount "$KD_NEWROOT"
	fail "/dev/$blk is not this cell's root file system: image '$got', want '$image'"
fi
root=yes
tap_ok 0 "root file system /dev/$blk ($rootpci, driver $rootdrv, image $image) mounted at $KD_NEWROOT"
# The mount's I/O went through the controller's interrupts.
irqs=$(kd_irqs "$rootpci")
grep -E " ${rootdrv:-nvme}[0-9]*q[0-9]+\$" /proc/interrupts | tap_diag
facts
tap_done
