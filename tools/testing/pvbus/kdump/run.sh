#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kdump matrix of pvbus (make kdump-test).  Each cell is a VM whose root
# file system (ext4) is on QEMU's NVMe, passed through to the guest on a
# pvbus PCI bus (pci-pvbus, the simulated host pvbus_sim), booted three
# times on the harness's library (lib/boot.sh; one cell: kdump/cell.sh,
# its verdict: kdump/judge.sh):
#
#   first kernel   the initramfs brings the NVMe up through pvbus and
#                  switch_roots into it; the cell's framebuffer driver;
#                  kexec -p (KEXEC_LOAD) or kexec -s -p (KEXEC_FILE_LOAD)
#                  loads /boot/vmlinuz and /boot/initrd.img; sysrq c
#   kdump kernel   the same hook brings the NVMe up again, mounts the root
#                  file system, makedumpfile saves the dump to /var/crash
#   next boot      the dump is there and is this crash's
#
# The guest prints facts (# PVBUS-FACT key=value ...); this script prints
# them as a table, compares each cell with what is expected of it, and ends
# with "kdump-test: N passed, M failed", non-zero if a cell failed.  See
# Documentation/dev-tools/pvbus-testing.rst and run.sh --help.

set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
PVBUS_TESTING=$(cd "$here/.." && pwd)
PVBUS_ME='kdump-test'
# shellcheck source=SCRIPTDIR/../lib/common.sh
. "$PVBUS_TESTING/lib/common.sh"
# shellcheck source=SCRIPTDIR/../lib/boot.sh
. "$PVBUS_TESTING/lib/boot.sh"
# shellcheck source=SCRIPTDIR/cell.sh
. "$here/cell.sh"
# shellcheck source=SCRIPTDIR/judge.sh
. "$here/judge.sh"
W=$BUILD/kdump
[ "$PVBUS_ARCH" = x86_64 ] || W=$BUILD/kdump-$PVBUS_ARCH

# The matrix: name, kexec options, framebuffer driver, policy, sources.
#   policy auto     pci-pvbus cfg_window=auto, every framebuffer source, and
#                   the kdump kernel gets pvbus.reserve= (as the admin guide
#                   says to set up kdump-tools)
#   policy legacy   what the old front-ends did: cfg_window=legacy, the
#                   framebuffer known from screen_info alone, nothing added
#                   to the kdump kernel's command line
#   sources X       pvbus.fb_sources=X: the one source left (auto)
CELLS=(
	"p-vesafb-auto		-p	vesafb	auto	all"
	"p-bochs-auto		-p	bochs	auto	all"
	"s-vesafb-auto		-s	vesafb	auto	all"
	"s-bochs-auto		-s	bochs	auto	all"
	"p-vesafb-legacy	-p	vesafb	legacy	screen_info"
	"p-bochs-legacy		-p	bochs	legacy	screen_info"
	"s-vesafb-legacy	-s	vesafb	legacy	screen_info"
	"s-bochs-legacy		-s	bochs	legacy	screen_info"
	"p-bochs-firmware	-p	bochs	auto	firmware"
	"p-bochs-host		-p	bochs	auto	host"
	"p-bochs-pci		-p	bochs	auto	pci"
	"p-bochs-reserve	-p	bochs	auto	reserve"
	"p-bochs-none		-p	bochs	auto	none"
)
# The framebuffer the host believes in; the firmware row describes it in
# the SSDT's reserved-ranges too.
FB=$PVBUS_FB_START
FB_END=$PVBUS_FB_END
FB_RESERVE=$PVBUS_FB_RESERVE
SSDT_FB="PVBUS_RESERVED_RANGES=$PVBUS_FB_START, 0x1000000, 0x800000000, 0x100000"
KDUMP_APPEND_BASE="reset_devices nr_cpus=1 irqpoll usbcore.nousb"
guest_timeout=300
# arm64 (QEMU virt, UEFI, ramfb): efifb is the framebuffer driver of every
# cell, and no kexec path gives its kdump kernel screen_info.  QEMU's ramfb
# is in RAM, where no window can be: the framebuffer the host believes in
# is at the base of the bus's low window, as on Hyper-V arm64 (consts.sh),
# the simulated host refuses a config window there.  No PCI display
# device holds it (no 'pci' row: the source finds nothing, see
# Documentation/dev-tools/pvbus-testing.rst); the screen_info row shows
# that source alone finds nothing in the kdump kernel, the kdump_fallback
# row that the fallback covers the framebuffer of this layout.  Debian's
# arm64 kernel has no kexec_file_load: the -s cells show kexec -s refused.
if [ "$PVBUS_ARCH" = arm64 ]; then
	CELLS=(
		"p-efifb-auto		-p	efifb	auto	all"
		"s-efifb-auto		-s	efifb	auto	all"
		"p-efifb-legacy		-p	efifb	legacy	screen_info"
		"s-efifb-legacy		-s	efifb	legacy	screen_info"
		"p-efifb-screen_info	-p	efifb	auto	screen_info"
		"p-efifb-firmware	-p	efifb	auto	firmware"
		"p-efifb-host		-p	efifb	auto	host"
		"p-efifb-reserve	-p	efifb	auto	reserve"
		"p-efifb-fallback	-p	efifb	auto	kdump_fallback"
		"p-efifb-none		-p	efifb	auto	none"
	)
	FB=$PVBUS_ARM64_FB_START
	FB_END=$PVBUS_ARM64_FB_END
	FB_RESERVE=$PVBUS_ARM64_FB_RESERVE
	SSDT_FB="PVBUS_RESERVED_RANGES=$FB, 0x1000000, 0x9000000000, 0x100000"
	# UEFI and an emulated arm64 CPU: three kernels take longer.
	guest_timeout=900
fi

usage() {
	cat <<EOF
usage: ${0##*/} [options] [CELL...]

Run the kdump matrix (all cells, or those named; globs allowed) and print
its table.  Cells:
$(for c in "${CELLS[@]}"; do echo "  $c"; done | expand -t 8,24,32,40,48)

  -j, --jobs N        cells run at once (each guest is one TCG thread: the
                      default is one per core)                      [\$KDUMP_JOBS]
      --nvme MODE     pvbus (default): the NVMe passed through on the pvbus
                      PCI bus; native: everything but the pass-through, a
                      plain function on the bus and the NVMe at its own
                      address (root and dump then do not depend on the
                      bus, and are expected everywhere)             [\$KDUMP_NVME]
      --demo          one cell (p-bochs-auto; arm64 p-efifb-auto), the console shown, then the
                      dump read back from the disk image on the host
  -v, --verbose       show each guest's console
      --keep          keep every cell's disk image (failed cells' are kept)
      --timeout S     per guest run                     [300; arm64 900]
  -l, --list          list the cells and what is expected of them
  -h, --help          this text
EOF
}

jobs=${KDUMP_JOBS:-$(nproc)}
nvme=${KDUMP_NVME:-pvbus}
demo=0
verbose=0
keep=0
timeout=$guest_timeout
list=0
select=()
while [ $# -gt 0 ]; do
	case "$1" in
	-j|--jobs)	[ $# -ge 2 ] || die "$1 needs an argument"; jobs=$2; shift ;;
	--nvme)		[ $# -ge 2 ] || die "$1 needs an argument"; nvme=$2; shift ;;
	--demo)		demo=1; verbose=1; keep=1 ;;
	-v|--verbose)	verbose=1 ;;
	--keep)		keep=1 ;;
	--timeout)	[ $# -ge 2 ] || die "$1 needs an argument"; timeout=$2; shift ;;
	-l|--list)	list=1 ;;
	-h|--help)	usage; exit 0 ;;
	-*)		usage >&2; exit 2 ;;
	*)		select+=("$1") ;;
	esac
	shift
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "bad --jobs '$jobs'"
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || die "bad --timeout '$timeout'"
case "$nvme" in pvbus|native) ;; *) die "--nvme is pvbus or native, not '$nvme'" ;; esac
if [ "$demo" -eq 1 ] && [ ${#select[@]} -eq 0 ]; then
	select=(p-bochs-auto)
	[ "$PVBUS_ARCH" != arm64 ] || select=(p-efifb-auto)
fi

if [ "$list" -eq 1 ]; then
	printf '%-20s %-6s %-7s %-7s %-14s | %-10s %-5s %-8s %-4s %-4s %-11s %s\n' \
		cell kexec fb policy sources lfb_base cfg d0 root dump fb_rsv load
	for c in "${CELLS[@]}"; do
		read -r n k f p s <<< "$c"
		read -r e_lfb e_cfg e_d0 e_root e_dump e_rsv e_load <<< "$(expect "$k" "$f" "$p" "$s")"
		printf '%-20s %-6s %-7s %-7s %-14s | %-10s %-5s %-8s %-4s %-4s %-11s %s\n' \
			"$n" "$k" "$f" "$p" "$s" "$e_lfb" "$e_cfg" "$e_d0" "$e_root" "$e_dump" \
			"$e_rsv" "$e_load"
	done
	exit 0
fi

# The cells selected, in matrix order.
cells=()
for c in "${CELLS[@]}"; do
	read -r n _ <<< "$c"
	if [ ${#select[@]} -eq 0 ]; then
		cells+=("$c")
		continue
	fi
	for p in "${select[@]}"; do
		# shellcheck disable=SC2053 # a glob on purpose
		if [[ "$n" == $p ]]; then
			cells+=("$c")
			break
		fi
	done
done
[ ${#cells[@]} -gt 0 ] || die "no cell matches '${select[*]}' (--list)"

# ---------------------------------------------------------------------------
# The root file system: one template, copied for each cell.

need_tools makedumpfile mke2fs debugfs
mkdir -p "$W"
t0=$(date +%s)
echo "kdump-test: building the guest and the root file system image"
truncate -s 1M "$W/probe.img"
# A subshell of its own, with set -e as lib/ expects, not in a condition.
(set -e; boot_defaults; disk=$W/probe.img; guest_prepare
	guest_boot_files "$W/boot.new") > "$W/build.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
	sed 's/^/#   /' "$W/build.log"
	die "building the guest's boot files failed"
fi
hash=$({ sha256sum "$W/boot.new"/* "$here/mkroot.sh" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
if [ ! -f "$W/root.img" ] || [ "$(cat "$W/root.hash" 2> /dev/null)" != "$hash" ]; then
	rm -rf "${W:?}/boot"
	mv "$W/boot.new" "$W/boot"
	"$here/mkroot.sh" template "$W/boot" "$W/root.img" || die "cannot build the root image"
	echo "$hash" > "$W/root.hash"
else
	rm -rf "$W/boot.new"
fi

# ---------------------------------------------------------------------------
# One cell: its image, two guest runs, its facts.


echo "kdump-test: ${#cells[@]} cell(s), $jobs at a time, nvme=$nvme; each: first kernel," \
	"kdump kernel, next boot"
[ "$nvme" = pvbus ] ||
	echo "kdump-test: --nvme native: the NVMe is not behind pci-pvbus; root and dump do not depend on the bus"
# missing_passthrough: true once a cell found that pvbus_sim cannot pass the
# NVMe through; every other cell would fail the same way.
missing_passthrough() {
	grep -qs "why=pvbus_sim_has_no_'passthrough'" "$GUEST"/kd-*-first.tap
}

running=0
rm -f "$GUEST"/kd-*-first.tap
for c in "${cells[@]}"; do
	if missing_passthrough; then
		echo "kdump-test: cell ${c%%[[:space:]]*}: not run: pvbus_sim has no pass-through yet"
		continue
	fi
	if [ "$jobs" -le 1 ]; then
		cell_job "$c"
		continue
	fi
	while [ "$running" -ge "$jobs" ]; do
		wait -n
		running=$((running - 1))
	done
	cell_job "$c" &
	running=$((running + 1))
done
wait

# ---------------------------------------------------------------------------
# The table.

passed=0
failed=0
reruns=0
echo
echo "kdump matrix$([ "$PVBUS_ARCH" = x86_64 ] || echo " ($PVBUS_ARCH)"): what the kdump kernel saw and did, and whether the next boot found its dump"
{
	printf 'cell\tmode\tfb\tpolicy/sources\tlfb_base\tfb sources found\tfb reserved by\tconfig window\tD0\troot\tdump saved\tresult\troot disk, first kernel\troot disk, kdump kernel\n'
	for c in "${cells[@]}"; do
		read -r n _ <<< "$c"
		if [ -f "$W/$n.row" ]; then
			awk -F '\t' -v OFS='\t' \
				'{ print $1, $2, $3, $4, $5, $15, $6, $7, $8, $9, $10, $11, $13, $14 }' \
				"$W/$n.row"
		else
			printf '%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\tFAIL\t-\t-\n' "$n"
		fi
	done
} | column -t -s $'\t' | sed 's/^/  /'
for c in "${cells[@]}"; do
	read -r n _ <<< "$c"
	case $(cut -f11 "$W/$n.row" 2> /dev/null) in
	pass)
		passed=$((passed + 1))
		note=$(cut -f12 "$W/$n.row")
		[ -z "$note" ] || echo "  $n: $note" ;;
	"pass (rerun)")
		passed=$((passed + 1))
		reruns=$((reruns + 1))
		echo "  $n: passed$(cut -f12 "$W/$n.row")" ;;
	*)
		failed=$((failed + 1))
		echo "  $n: $(cut -f12 "$W/$n.row" 2> /dev/null || echo 'not run')" ;;
	esac
done

if [ "$demo" -eq 1 ] && [ -f "$W/${cells[0]%%[[:space:]]*}.img" ]; then
	n=${cells[0]%%[[:space:]]*}
	echo
	echo "kdump-demo: the disk image of cell $n, read on the host (debugfs, no mount):"
	dump=$(debugfs -R 'ls -p /var/crash' "$W/$n.img" 2> /dev/null |
		awk -F/ '$6 ~ /^[0-9]+$/ { print $6 }' | head -n 1)
	if [ -n "$dump" ]; then
		debugfs -R "ls -l /var/crash/$dump" "$W/$n.img" 2> /dev/null | sed '/^ *$/d; s/^/  /'
		f=$(debugfs -R "ls -p /var/crash/$dump" "$W/$n.img" 2> /dev/null |
			awk -F/ '$6 ~ /^dump\./ { print $6 }')
		debugfs -R "dump /var/crash/$dump/$f $W/$n.dump" "$W/$n.img" 2> /dev/null
		rm -f "$W/$n.vmcore"
		makedumpfile -R "$W/$n.vmcore" < "$W/$n.dump" > /dev/null 2>&1
		echo "  $f: $(head -c 12 "$W/$n.dump" | tr -cd '[:alnum:]') (flattened), restored with" \
			"makedumpfile -R: $(head -c 8 "$W/$n.vmcore" | tr -cd '[:upper:]') ($(stat -c %s "$W/$n.vmcore") bytes)"
		echo "  the crashed kernel's log in it (makedumpfile --dump-dmesg), about pvbus and the crash:"
		makedumpfile --dump-dmesg "$W/$n.vmcore" "$W/$n.vmcore.dmesg" > /dev/null 2>&1
		grep -E 'pci-pvbus|nvme0|crash token|sysrq|Kernel panic' "$W/$n.vmcore.dmesg" |
			tail -n 14 | sed 's/^/    /'
		rm -f "$W/$n.dump" "$W/$n.vmcore" "$W/$n.vmcore.dmesg"
	else
		echo "  no dump in /var/crash"
	fi
fi

echo
echo "kdump-test: took $(($(date +%s) - t0))s"
[ "$reruns" -eq 0 ] ||
	echo "kdump-test: $reruns cell(s) passed on a rerun after the NVMe's I/O queue got stuck"
echo "kdump-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
