#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kdump matrix of pvbus (make kdump-test).  Each cell is a VM whose root
# file system (ext4) is on QEMU's NVMe, passed through to the guest on a
# pvbus PCI bus (pci-pvbus, the simulated host pvbus_sim), booted three
# times on the harness's library (lib/boot.sh; the cells: kdump/matrix.sh,
# one cell: kdump/cell.sh, its verdict: kdump/judge.sh, the table:
# kdump/report.sh, the dump read back for make kdump-demo: kdump/demo.sh):
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
# shellcheck source=SCRIPTDIR/matrix.sh
. "$here/matrix.sh"
# shellcheck source=SCRIPTDIR/report.sh
. "$here/report.sh"
# shellcheck source=SCRIPTDIR/demo.sh
. "$here/demo.sh"
W=$BUILD/kdump
[ "$PVBUS_ARCH" = x86_64 ] || W=$BUILD/kdump-$PVBUS_ARCH

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
      --no-verify     no next boot: each cell's first boot only (first and
                      kdump kernel), its verdict without the dump's check;
                      what the benchmark needs (bench/p4.sh)
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
verify=1
verbose=0
keep=0
timeout=$guest_timeout
list=0
select=()
while [ $# -gt 0 ]; do
	case "$1" in
	-j|--jobs)	[ $# -ge 2 ] || die "$1 needs an argument"; jobs=$2; shift ;;
	--nvme)		[ $# -ge 2 ] || die "$1 needs an argument"; nvme=$2; shift ;;
	--no-verify)	verify=0 ;;
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
	matrix_list
	exit 0
fi

# The cells selected, in matrix order.
matrix_select "${select[@]}"

# ---------------------------------------------------------------------------
# The root file system: one template, copied for each cell.

need_tools makedumpfile mke2fs debugfs
mkdir -p "$W"
t0=$(date +%s)

# The kernels the selected cells boot (cell.sh's cell_kernel): Debian's,
# and on arm64 for kexec -s the one tools/testing/arm64.sh kernel builds
# (Debian's arm64 kernel has no kexec_file_load), in KF_DIR.
kernels=()
for c in "${cells[@]}"; do
	read -r _ k _ <<< "$c"
	kern=$(cell_kernel "$k")
	[[ " ${kernels[*]} " == *" $kern "* ]] || kernels+=("$kern")
done
# The release each must report in its cells (judge.sh): KERNEL_REL[debian]
# and KERNEL_REL[kexec-file].
declare -A KERNEL_REL
kernel_abi
KERNEL_REL[debian]=$abi
# Without it, its cells fail unrun and the others run.
KF_DIR=
if [[ " ${kernels[*]} " == *" kexec-file "* ]]; then
	start=$(date +%s)
	if KF_DIR=$("$ROOT/tools/testing/arm64.sh" kernel); then
		read -r rel _ secs cpu < "$KF_DIR/stamp"
		KERNEL_REL[kexec-file]=$rel
		echo "kdump-test: kexec -s cells boot $rel (allnoconfig + arm64-kexec-file.config," \
			"built in ${secs}s, ${cpu:-?}s of CPU; $(($(date +%s) - start))s now)"
	else
		KF_DIR=
		others=()
		for kern in "${kernels[@]}"; do
			[ "$kern" = kexec-file ] || others+=("$kern")
		done
		kernels=("${others[@]}")
		echo "kdump-test: cannot build the kexec_file_load kernel (above): its cells fail, not run"
	fi
fi

# root_template KERNEL: the root file system image of the cells that boot
# KERNEL, $W/root$(kernel_tag KERNEL).img, built again when what goes in
# changed.  A subshell of its own, with set -e as lib/ expects, not in a
# condition.
root_template() {
	local tag hash rc

	tag=$(kernel_tag "$1")
	echo "kdump-test: building the guest and the root file system image${tag:+ ($1 kernel)}"
	(set -e; boot_defaults; [ "$1" = debian ] || kernel_tree "$KF_DIR"; disk=$W/probe.img
		guest_prepare; guest_boot_files "$W/boot$tag.new") > "$W/build$tag.log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/#   /' "$W/build$tag.log"
		die "building the guest's boot files failed"
	fi
	hash=$({ sha256sum "$W/boot$tag.new"/* "$here/mkroot.sh" | cut -d' ' -f1; } |
		sha256sum | cut -c1-16)
	if [ ! -f "$W/root$tag.img" ] || [ "$(cat "$W/root$tag.hash" 2> /dev/null)" != "$hash" ]; then
		rm -rf "${W:?}/boot$tag"
		mv "$W/boot$tag.new" "$W/boot$tag"
		"$here/mkroot.sh" template "$W/boot$tag" "$W/root$tag.img" ||
			die "cannot build the root image"
		echo "$hash" > "$W/root$tag.hash"
	else
		rm -rf "$W/boot$tag.new"
	fi
}

truncate -s 1M "$W/probe.img"
for kern in "${kernels[@]}"; do
	root_template "$kern"
done

# ---------------------------------------------------------------------------
# One cell: its image, two guest runs, its facts.


echo "kdump-test: ${#cells[@]} cell(s), $jobs at a time, nvme=$nvme; each: first kernel," \
	"kdump kernel$([ "$verify" -eq 0 ] && echo ", no next boot (--no-verify)" || echo ", next boot")"
[ "$nvme" = pvbus ] ||
	echo "kdump-test: --nvme native: the NVMe is not behind pci-pvbus; root and dump do not depend on the bus"
# missing_passthrough: true once a cell found that pvbus_sim cannot pass the
# NVMe through; every other cell would fail the same way.
missing_passthrough() {
	grep -qs "why=pvbus_sim_has_no_'passthrough'" "$GUEST"/kd-*-first.tap
}

# An interrupted run stops its cells, waits for them, and removes the
# disk images of those it started that did not finish ($W/NAME.secs is
# written last).  A finished cell's image stays if it failed (cell_job),
# and every image with --keep; a cell not started keeps what an earlier
# run left.
started=()
stop_cells() {
	local n

	group_stop_all
	wait
	[ "$keep" -eq 0 ] || return 0
	for n in "${started[@]}"; do
		[ -f "$W/$n.secs" ] || rm -f "$W/$n.img"
	done
}

running=0
trap stop_cells EXIT
rm -f "$GUEST"/kd-*-first.tap
# A cell not run has no row: an earlier run's must not stand for it.
for c in "${cells[@]}"; do
	rm -f "$W/${c%%[[:space:]]*}.row"
done
for c in "${cells[@]}"; do
	if missing_passthrough; then
		echo "kdump-test: cell ${c%%[[:space:]]*}: not run: pvbus_sim has no pass-through yet"
		continue
	fi
	read -r _ k _ <<< "$c"
	if [ "$(cell_kernel "$k")" = kexec-file ] && [ -z "$KF_DIR" ]; then
		echo "kdump-test: cell ${c%%[[:space:]]*}: not run: no kexec_file_load kernel"
		continue
	fi
	if [ "$jobs" -le 1 ]; then
		started+=("${c%%[[:space:]]*}")
		cell_job "$c"
		continue
	fi
	while [ "$running" -ge "$jobs" ]; do
		group_wait_one
		running=$((running - 1))
	done
	started+=("${c%%[[:space:]]*}")
	group_start cell_job "$c"
	running=$((running + 1))
done
group_wait_all

# ---------------------------------------------------------------------------
# The table.

report

if [ "$demo" -eq 1 ] && [ -f "$W/${cells[0]%%[[:space:]]*}.img" ]; then
	demo_dump "${cells[0]%%[[:space:]]*}"
fi

echo
echo "kdump-test: took $(($(date +%s) - t0))s"
[ "$reruns" -eq 0 ] ||
	echo "kdump-test: $reruns cell(s) passed on a rerun after the NVMe's I/O queue got stuck"
echo "kdump-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
