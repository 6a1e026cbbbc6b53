#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make distro-test: pvbus installed the way a Debian operator installs it,
# proven in a real Debian 12 VM.  The image (mkimage.sh: mmdebstrap, the
# pvbus-dkms package built by DKMS in it, kdump-tools) has its root file
# system on QEMU's NVMe, which the simulated host passes through to
# pci-pvbus; it boots in QEMU (TCG) with systemd:
#
#   for each kexec mode (p: kdump-tools' default, KEXEC_LOAD; s:
#   KDUMP_KEXEC_ARGS="-s", KEXEC_FILE_LOAD), on a copy of the image:
#   first    the package's initramfs hook, in auto mode, finds the bus
#            under / by itself; bochs-drm; kdump-tools.service restarted (the package's
#            drop-in writes pvbus.reserve=); kdump-config status; sysrq c
#   kdump    Debian's kdump-tools saves /var/crash/<stamp>/dump.<stamp>
#            through pci-pvbus, and reboots
#   verify   the next boot finds the dump; makedumpfile reads it back
#
# The image is cached under $BUILD/distro by the hash of its inputs (the
# .deb, the DSDT, the ABI, mkimage.sh and guest/), the .debs mmdebstrap
# fetches in $BUILD/distro/apt-cache.  Ends with
# "distro-test: N passed, M failed".

set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
PVBUS_TESTING=$(cd "$here/.." && pwd)
PVBUS_ME='distro-test'
# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"
# shellcheck source=SCRIPTDIR/../lib/boot.sh
. "$PVBUS_TESTING/lib/boot.sh"
W=$BUILD/distro

usage() {
	cat <<EOF2
usage: ${0##*/} [options]

  -m, --mode MODES    p, s or p,s (the default): kdump-tools' default
                      (kexec -p, KEXEC_LOAD) and KDUMP_KEXEC_ARGS="-s"
      --image         build the image if it is not cached, and stop
                      there (make check builds it ahead of the test)
      --rebuild       build the image even if it is cached
      --timeout S     per QEMU run                                   [900]
                      DISTRO_IMAGE=DIR uses the image in DIR as it is
                      (root.img, vmlinuz, initrd.img): for debugging
  -h, --help          this text
EOF2
}

modes=p,s
image_only=0
rebuild=0
dt_timeout=900
while [ $# -gt 0 ]; do
	case "$1" in
	-m|--mode)	need_arg "$1" $#; modes=$2; shift ;;
	--image)	image_only=1 ;;
	--rebuild)	rebuild=1 ;;
	--timeout)	need_arg "$1" $#; dt_timeout=$2; shift ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done
[[ "$dt_timeout" =~ ^[1-9][0-9]*$ ]] || die "bad --timeout '$dt_timeout'"
[[ "$modes" =~ ^[ps](,[ps])*$ ]] || die "bad --mode '$modes'"

t0=$(date +%s)
mkdir -p "$W"
version=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
deb=$BUILD/deb/pvbus-dkms_${version}_all.deb
[ -f "$deb" ] || die "no $deb: run 'make deb'"
need_tools mmdebstrap mke2fs debugfs
# One run at a time prepares the machine and builds the image: a test
# started while another run builds it waits, then finds it cached.
exec 7> "$W/.lock"
flock 7

# ---------------------------------------------------------------------------
# The machine and its ACPI tables, from the harness (lib/): the DSDT upgrade
# for the image's initrds, the SSDT with the bus root for QEMU.
echo "distro-test: the machine (lib/boot.sh), its DSDT upgrade and SSDT"
truncate -s 1M "$W/probe.img"
# A command of its own, with set -e as lib/ expects: in a condition (a
# "|| die" after it), bash would ignore set -e inside it.
(set -e; boot_defaults; disk=$W/probe.img; guest_prepare
	ssdt_build distro prp
	cp "$dsdt_cpio" "$W/dsdt.cpio"; cp "$aml" "$W/ssdt.aml"
	echo "$abi" > "$W/abi") > "$W/prepare.log" 2>&1
prepared=$?
if [ "$prepared" -ne 0 ]; then
	sed 's/^/#   /' "$W/prepare.log"
	die "preparing the machine failed"
fi
abi=$(cat "$W/abi")

# ---------------------------------------------------------------------------
# The image, cached by the hash of its inputs.
hash=$({ echo "$abi $(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2> /dev/null)"
	sha256sum "$deb" "$W/dsdt.cpio" "$here/mkimage.sh" "$here"/guest/* \
		"$PVBUS_TESTING/lib/consts.sh" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
img=$W/image-$hash
if [ -n "${DISTRO_IMAGE:-}" ]; then
	# An image of your own (debugging): used as it is.
	img=$DISTRO_IMAGE
	echo "distro-test: the image DISTRO_IMAGE=$img, not checked against its inputs"
elif [ "$rebuild" -eq 1 ] || [ ! -f "$img/ready" ]; then
	rm -rf "$W"/image-*
	ti=$(date +%s)
	"$here/mkimage.sh" "$abi" "$deb" "$W/dsdt.cpio" "$W/apt-cache" "$img" ||
		die "cannot build the image"
	echo "distro-test: image built in $(($(date +%s) - ti))s"
	touch "$img/ready"
else
	echo "distro-test: the image is cached ($img, inputs $hash)"
fi
flock -u 7
[ "$image_only" -eq 0 ] || exit 0

# boot NAME IMAGE INITRD CMDLINE: one QEMU run of the image; its facts
# (ttyS1) are $GUEST/NAME.tap.
boot() {
	local name=$1 disk=$2 initrd=$3 cmdline=$4

	rm -f "$W/$name.rc"
	(
		set -e
		qemu_machine "$disk" ""
		vmlinuz=$img/vmlinuz
		qemu_command "$name" "$initrd" "$cmdline" "$W/ssdt.aml" files
		qemu_boot "$name" "$dt_timeout" tap
		# shellcheck disable=SC2154 # set by qemu_boot
		echo "$qemu_rc" > "$W/$name.rc"
		# shellcheck disable=SC2154 # set by qemu_boot
		echo "distro-test: $name: QEMU exited ($qemu_rc) after ${secs}s"
	) | grep -v '^PVBUS-DISTRO-LOG' | sed 's/^/  /'
}

# fact NAME STAGE KEY: the value of KEY in the facts of STAGE, '-' if none.
fact() {
	local v

	v=$(grep "^PVBUS-DISTRO stage=$2 " "$GUEST/$1.tap" 2> /dev/null |
		grep -oE "(^| )$3=[^ ]*" | tail -n 1 | sed 's/^ //; s/^[^=]*=//')
	echo "${v:--}"
}

# ended NAME: how QEMU ended: 0 when the guest powered off (or, with
# -no-reboot, rebooted) by itself, 124 or 137 when it was killed for
# taking too long, '-' when it did not run.
ended() {
	cat "$W/$1.rc" 2> /dev/null || echo -
}

# extra_panics NAME: the kernel panics on NAME's console but the one the first
# boot asks for (sysrq's crash, which starts the kdump kernel).
extra_panics() {
	grep 'Kernel panic - not syncing' "$GUEST/$1.log" 2> /dev/null |
		grep -vc 'sysrq triggered crash' || true
}

# no_timer_check: under TCG on a loaded host the kernel's check of the
# IO-APIC timer can time out and panic at boot ("IO-APIC + timer doesn't
# work!"), as a mode of a parallel run did here; virtual machines' kernels
# skip it.
CMDLINE="root=LABEL=pvbus-root rw console=ttyS0 quiet panic=-1 vga=0x318 crashkernel=256M no_timer_check"
passed=0
failed=0
# check WHAT COND...: one check, counted.
check() {
	local what=$1

	shift
	if "$@"; then
		echo "ok - $what"
		passed=$((passed + 1))
	else
		echo "not ok - $what"
		failed=$((failed + 1))
	fi
}

# What dpkg said as mkimage.sh upgraded kdump-tools over defaults that
# ucf replaced, the old ones sourcing the snippet: alone (pvbus-dkms's
# trigger), then with pvbus-dkms (its configure).  An image of
# DISTRO_IMAGE has no such record.
if [ -n "${DISTRO_IMAGE:-}" ]; then
	echo "distro-test: DISTRO_IMAGE: kdump-tools' upgrade over replaced defaults not checked"
else
	for run in trigger configure; do
		out=$img/upgrade-$run.out
		check "image: kdump-tools upgraded ($run): pvbus-dkms warns once to run --enable again, the defaults left alone" \
			[ "$(grep -c "pvbus-dkms: warning: .* was replaced by kdump-tools' version .*run 'pvbus-kdump-params --enable' again" "$out" 2> /dev/null)/$(grep -c '^defaults unchanged$' "$out" 2> /dev/null)" = 1/1 ]
	done
fi

# ---------------------------------------------------------------------------
# One kdump cycle per mode, each on a copy of the image; the modes run at
# once (each QEMU is one TCG thread).  run_mode MODE prints its checks;
# its table row goes to $W/mode-MODE.row.
run_mode() {
	local m=$1 tm f v want_lfb args kcmd ok

	tm=$(date +%s)
	cp --sparse=always "$img/root.img" "$W/run-$m.img"
	boot "distro-$m-first" "$W/run-$m.img" "$img/initrd.img" \
		"$CMDLINE pvbus_distro=first pvbus_distro_kexec=$m"
	boot "distro-$m-verify" "$W/run-$m.img" "$img/initrd.img" "$CMDLINE pvbus_distro=verify"
	f=distro-$m-first
	v=distro-$m-verify
	want_lfb=0x0
	args=''
	[ "$m" = p ] || { want_lfb=$PVBUS_FB_START; args=' -s'; }
	kcmd=$(fact "$f" first kexec_cmd | tr '#' ' ')
	check "$m first: the first and kdump kernels ended by themselves (QEMU exit $(ended "$f"))" \
		[ "$(ended "$f")" = 0 ]
	check "$m first: no kernel panic but sysrq's crash ($(extra_panics "$f") more)" \
		[ "$(extra_panics "$f")" = 0 ]
	check "$m first: / on the NVMe behind pci-pvbus ($(fact "$f" first root))" \
		[ "$(fact "$f" first root_on_pvbus)" = yes ]
	check "$m first: the package's initramfs hook in auto mode on / adds $(fact "$f" first hook_auto)" \
		[ "$(fact "$f" first hook_auto)" = pvbus,pvbus_sim,pci-pvbus ]
	check "$m first: at boot, kdump-tools' drop-in wrote the parameters ($(fact "$f" first boot_write))" \
		[ "$(fact "$f" first boot_write)" = ok ]
	check "$m first: a bus bound anew: refreshed, kdump-tools restarted, the parameters back, said so; again: left alone ($(fact "$f" first refresh))" \
		[ "$(fact "$f" first refresh)" = yes,yes,yes,yes ]
	check "$m first: bochs-drm drives the framebuffer ($(fact "$f" first fb_now))" \
		[ "$(fact "$f" first fb_now)" = bochs-drmdrmfb ]
	check "$m first: kdump-config status: $(fact "$f" first kdump_status | tr _ ' ')" \
		[ "$(fact "$f" first kdump_status)" = ready_to_kdump ]
	check "$m first: the kdump initrd, deleted as pvbus-dkms.rst says, rebuilt with pci-pvbus ($(fact "$f" first kdump_initrd_pvbus))" \
		[ "$(fact "$f" first kdump_initrd_pvbus)" = 1 ]
	ok=no
	case "$kcmd" in
	"/sbin/kexec -p$args "*"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb pvbus.reserve=$PVBUS_FB_RESERVE"*)
		ok=yes ;;
	esac
	check "$m first: kdump-config loaded: $kcmd" [ "$ok" = yes ]
	check "$m kdump: lfb_base $(fact "$f" kdump lfb_base) (expected $want_lfb)" \
		[ "$(fact "$f" kdump lfb_base)" = "$want_lfb" ]
	ok=no
	[ "$(fact "$f" kdump root_on_pvbus)" != yes ] || [ "$(fact "$f" kdump cfg_window)" = - ] ||
		ok=yes
	check "$m kdump: / behind pci-pvbus again, config window at $(fact "$f" kdump cfg_window)" \
		[ "$ok" = yes ]
	check "$m kdump: /etc/modprobe.d's option reached pvbus (request_timeout_ms=$(fact "$f" kdump request_timeout_ms))" \
		[ "$(fact "$f" kdump request_timeout_ms)" = 7000 ]
	ok=no
	[[ "$(fact "$v" verify bytes)" =~ ^[1-9][0-9]*$ ]] && ok=yes
	check "$m verify: $(fact "$v" verify dump), $(fact "$v" verify bytes) bytes" [ "$ok" = yes ]
	ok=no
	[ "$(fact "$f" first token)" = - ] ||
		[ "$(fact "$v" verify dump_token)" != "$(fact "$f" first token)" ] || ok=yes
	check "$m verify: makedumpfile -R and --dump-dmesg read it back: this crash's token $(fact "$v" verify dump_token)" \
		[ "$ok" = yes ]
	check "$m verify: purged, nothing of --enable left ($(fact "$v" verify purge_left) lines, /etc/pvbus: $(fact "$v" verify etc_pvbus))" \
		[ "$(fact "$v" verify purge_left)/$(fact "$v" verify etc_pvbus)" = 0/no ]
	check "$m verify: dpkg-reconfigure kdump-tools after the purge ($(fact "$v" verify reconfigure))" \
		[ "$(fact "$v" verify reconfigure)" = 0 ]
	check "$m verify: the guest finished its checks" \
		[ "$(fact "$v" verify finished)" = yes ]
	check "$m verify: it powered off by itself (QEMU exit $(ended "$v"))" \
		[ "$(ended "$v")" = 0 ]
	check "$m verify: no kernel panic ($(extra_panics "$v"))" [ "$(extra_panics "$v")" = 0 ]
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$(fact "$f" kdump lfb_base)" \
		"$(fact "$f" kdump cfg_window)" "$(fact "$v" verify dump)" \
		"$(fact "$v" verify bytes)" "$(($(date +%s) - tm))s" > "$W/mode-$m.row"
	rm -f "$W/run-$m.img"
}

IFS=, read -ra mode_list <<< "$modes"
echo "distro-test: mode(s) ${mode_list[*]} at once: first kernel, kdump kernel, next boot"
# An interrupted run stops its modes, waits for them, and removes their
# copies of the image.
stop_modes() {
	local m

	group_stop_all
	wait
	for m in "${mode_list[@]}"; do
		rm -f "$W/run-$m.img"
	done
}
trap stop_modes EXIT
for m in "${mode_list[@]}"; do
	rm -f "$W/mode-$m.row" "$W/mode-$m.out"
	group_start run_mode "$m" > "$W/mode-$m.out" 2>&1
done
group_wait_all
for m in "${mode_list[@]}"; do
	cat "$W/mode-$m.out"
	passed=$((passed + $(grep -c '^ok - ' "$W/mode-$m.out")))
	failed=$((failed + $(grep -c '^not ok - ' "$W/mode-$m.out")))
	[ -f "$W/mode-$m.row" ] || { echo "not ok - $m: no result"; failed=$((failed + 1)); }
done

echo
echo "distro-test: what each kdump kernel had and saved"
{
	printf 'mode\tlfb_base (kdump)\tconfig window (kdump)\tdump found on the next boot\tbytes\ttime\n'
	for m in "${mode_list[@]}"; do
		cat "$W/mode-$m.row" 2> /dev/null
	done
} | column -t -s $'\t' | sed 's/^/  /'
echo "distro-test: took $(($(date +%s) - t0))s; logs: $GUEST/distro-*.{log,tap}"
echo "distro-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
