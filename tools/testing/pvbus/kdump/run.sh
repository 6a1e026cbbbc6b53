#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kdump matrix of pvbus (make kdump-test).  Each cell is a VM whose root
# file system (ext4) is on QEMU's NVMe, passed through to the guest on a
# pvbus PCI bus (pci-pvbus, the simulated host pvbus_sim), booted three
# times by guest.sh:
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
# Documentation/admin-guide/pvbus-kdump.rst and run.sh --help.

set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
pvbus=$(cd "$here/.." && pwd)
ROOT=${ROOT:-$(cd "$pvbus/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
export ROOT BUILD
GUEST=$BUILD/guest
W=$BUILD/kdump

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
FB=0xfd000000
FB_END=0xfdffffff
FB_RESERVE=16M@0xfd000000
SSDT_FB='PVBUS_RESERVED_RANGES=0xfd000000, 0x1000000, 0x800000000, 0x100000'
KDUMP_APPEND_BASE="reset_devices nr_cpus=1 irqpoll usbcore.nousb"

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
      --demo          one cell (p-bochs-auto), the console shown, then the
                      dump read back from the disk image on the host
  -v, --verbose       show each guest's console
      --keep          keep every cell's disk image (failed cells' are kept)
      --timeout S     per guest run                                 [300]
  -l, --list          list the cells and what is expected of them
  -h, --help          this text
EOF
}

die() {
	echo "kdump-test: $*" >&2
	exit 2
}

jobs=${KDUMP_JOBS:-$(nproc)}
nvme=${KDUMP_NVME:-pvbus}
demo=0
verbose=0
keep=0
timeout=300
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
[ "$demo" -eq 0 ] || [ ${#select[@]} -gt 0 ] || select=(p-bochs-auto)

# ---------------------------------------------------------------------------
# What each cell is expected to show, from its kdump kernel and the next
# boot: "lfb cfg d0 root dump rsv", where
#   lfb   screen_info.lfb_base in the kdump kernel
#   cfg   high: the config window above 4 GiB; fb: on the framebuffer;
#         low: below 4 GiB, off the framebuffer
#   rsv   the reservations covering the framebuffer, '*' for any

expect() {
	local kexec=$1 fb=$2 policy=$3 sources=$4 lfb=$FB rsv='*'

	# The field case: kexec -p knows no bochs-drm and leaves lfb_base 0.
	[ "$kexec" != -p ] || [ "$fb" != bochs ] || lfb=0x0
	if [ "$policy" = legacy ]; then
		if [ "$lfb" = 0x0 ]; then
			echo "$lfb fb refused no no -"
		elif [ "$kexec" = -p ]; then
			# kexec -p gives vesafb's smem_len (4.5 MiB) as lfb_size,
			# not the 16 MiB of VRAM: the window lands just past it.
			echo "$lfb fb refused no no screen_info"
		else
			echo "$lfb low ok yes yes screen_info"
		fi
		return
	fi
	case "$sources" in
	all) ;;
	none) rsv=- ;;
	*) rsv=$sources ;;
	esac
	echo "$lfb high ok yes yes $rsv"
}

if [ "$list" -eq 1 ]; then
	printf '%-18s %-6s %-7s %-7s %-12s | %-10s %-5s %-8s %-4s %-4s %s\n' \
		cell kexec fb policy sources lfb_base cfg d0 root dump fb_rsv
	for c in "${CELLS[@]}"; do
		read -r n k f p s <<< "$c"
		read -r e_lfb e_cfg e_d0 e_root e_dump e_rsv <<< "$(expect "$k" "$f" "$p" "$s")"
		printf '%-18s %-6s %-7s %-7s %-12s | %-10s %-5s %-8s %-4s %-4s %s\n' \
			"$n" "$k" "$f" "$p" "$s" "$e_lfb" "$e_cfg" "$e_d0" "$e_root" "$e_dump" "$e_rsv"
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

for tool in makedumpfile mke2fs debugfs; do
	command -v "$tool" > /dev/null ||
		die "$tool is missing: run 'make deps' (tools/testing/pvbus/packages.txt)"
done
mkdir -p "$W"
t0=$(date +%s)
echo "kdump-test: building the guest and the root file system image"
truncate -s 1M "$W/probe.img"
if ! "$pvbus/guest.sh" --boot-files "$W/boot.new" --disk "$W/probe.img" > "$W/build.log" 2>&1; then
	sed 's/^/#   /' "$W/build.log"
	die "guest.sh --boot-files failed"
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

# kdump_tools KEXEC FB POLICY: the cell's /etc/default/kdump-tools.
kdump_tools() {
	local append=$KDUMP_APPEND_BASE

	[ "$3" = legacy ] || append="$append pvbus.reserve=$FB_RESERVE"
	cat <<-EOF
	# Debian's kdump-tools settings, for the kdump matrix cell ($1, $2, $3)
	USE_KDUMP=1
	KDUMP_KERNEL=/boot/vmlinuz
	KDUMP_INITRD=/boot/initrd.img
	KDUMP_COREDIR=/var/crash
	MAKEDUMP_ARGS="-c -d 31"
	KDUMP_KEXEC_ARGS="$([ "$1" = -s ] && echo -s)"
	KDUMP_CMDLINE_APPEND="$append"
	# not kdump-tools': the framebuffer driver the first kernel loads
	PVBUS_KD_FB=$2
	EOF
}

run_cell() {
	local n=$1 k=$2 f=$3 p=$4 s=$5 id args=() gargs=() role rc out

	id="$n-$(od -An -tx4 -N4 /dev/urandom | tr -d ' ')"
	kdump_tools "$k" "$f" "$p" > "$W/$n.kdump-tools"
	"$here/mkroot.sh" cell "$W/root.img" "$W/$n.img" "$id" "$W/$n.kdump-tools" ||
		return 1
	args=("pvbus_kd_image=$id" "pvbus_kd_nvme=$nvme")
	[ "$p" != legacy ] || args+=(pci_pvbus.cfg_window=legacy)
	[ "$s" = all ] || args+=("pvbus.fb_sources=$s")
	gargs=(--disk "$W/$n.img" --timeout "$timeout" -a "${args[*]}")
	[ "$s" != firmware ] || gargs+=(-D "$SSDT_FB")
	[ "$verbose" -eq 0 ] || gargs+=(-v)
	for role in first verify; do
		# No root in the first kernel: nothing to verify.
		if [ "$role" = verify ] &&
			grep -q 'PVBUS-FACT stage=initrd-first .*root=no' "$GUEST/kd-$n-first.tap"; then
			echo "not run: the first kernel had no root file system" > "$W/$n-$role.rc"
			continue
		fi
		out=$W/$n-$role.out
		rc=0
		if [ "$verbose" -eq 1 ]; then
			"$pvbus/guest.sh" --kdump-cell "$role" -n "kd-$n-$role" "${gargs[@]}" 2>&1 |
				tee "$out"
			rc=${PIPESTATUS[0]}
		else
			"$pvbus/guest.sh" --kdump-cell "$role" -n "kd-$n-$role" "${gargs[@]}" \
				> "$out" 2>&1 || rc=$?
		fi
		echo "$rc" > "$W/$n-$role.rc"
	done
}

# facts FILE...: the fact lines of a cell's runs as "stage.key=value" lines.
facts() {
	sed -n 's/^ *# PVBUS-FACT //p' "$@" 2> /dev/null | while read -r line; do
		st=$(echo "$line" | sed -n 's/.*\bstage=\([^ ]*\).*/\1/p')
		for kv in $line; do
			echo "$st.$kv"
		done
	done
}

# fact STAGE.KEY: from the current cell's facts ($W/$n.facts).
fact() {
	local v

	v=$(grep -m1 "^$1=" "$W/$n.facts" 2> /dev/null | cut -d= -f2-)
	echo "${v:--}"
}

# hex_ge A B: A >= B, both hex.
hex_ge() {
	[ "$(printf '%d' "$1" 2> /dev/null || echo -1)" -ge "$(printf '%d' "$2")" ]
}

# cfg_class ADDR: high, fb, low or - for the config window ADDR.
cfg_class() {
	case "$1" in
	-|'') echo - ;;
	*)
		if hex_ge "$1" 0x100000000; then
			echo high
		elif hex_ge "$1" "$FB" && ! hex_ge "$1" $((FB_END + 1)); then
			echo fb
		else
			echo low
		fi ;;
	esac
}

# disk STAGE: the root disk's driver and PCI function in STAGE, or -.
disk() {
	[ "$(fact "$1.root")" = yes ] || { echo -; return; }
	echo "$(fact "$1.root_drv") $(fact "$1.root_pci")"
}

# judge NAME KEXEC FB POLICY SOURCES: writes $W/NAME.row, returns 0 when
# the cell is what it is expected to be.
judge() {
	local n=$1 k=$2 f=$3 p=$4 s=$5 why=() st rc dump lfb rsv cfg cls d0 root
	local e_lfb e_cfg e_d0 e_root e_dump e_rsv

	facts "$GUEST/kd-$n-first.tap" "$GUEST/kd-$n-verify.tap" > "$W/$n.facts"
	read -r e_lfb e_cfg e_d0 e_root e_dump e_rsv <<< "$(expect "$k" "$f" "$p" "$s")"
	if [ "$nvme" = native ]; then
		e_root=yes
		e_dump=yes
	fi
	lfb=$(fact kdump.lfb_base)
	rsv=$(fact kdump.fb_rsv)
	cfg=$(fact kdump.cfg_window)
	cls=$(cfg_class "$cfg")
	d0=$(fact kdump.d0)
	root=$(fact kdump.root)
	dump=no
	[ "$(fact verify.dump)" != yes ] || [ "$(fact verify.valid)" != yes ] || dump=yes
	[ "$(fact verify.dump)" != yes ] || [ "$(fact verify.valid)" = yes ] ||
		dump=invalid

	# The harness: every guest run finished as it should.
	for st in first verify; do
		rc=$(cat "$W/$n-$st.rc" 2> /dev/null || echo '?')
		[ "$rc" = 0 ] || why+=("the $st run failed (status $rc)")
	done
	[ "$(fact initrd-first.root)" = yes ] || why+=("the first kernel had no root file system")
	[ "$(fact first.loaded)" = 1 ] || why+=("no kdump kernel was loaded")
	[ "$(fact kdump.stage)" = kdump ] || why+=("no facts from a kdump kernel")
	[ "$(fact initrd-verify.root)" = yes ] || why+=("the next boot had no root file system")
	[ "$nvme" != pvbus ] || [ "$(fact initrd-first.nvme)" = pvbus ] ||
		why+=("the NVMe was not on the pvbus bus")
	[ "$(fact initrd-first.root_drv)" = nvme ] ||
		why+=("the first kernel's root disk is not driven by nvme")
	[ "$root" != yes ] || [ "$(fact kdump.root_drv)" = nvme ] ||
		why+=("the kdump kernel's root disk is not driven by nvme")
	st=$(fact initrd-first.why)
	[ "$st" = - ] || why=("the hook failed in the first kernel: $(echo "$st" | tr _: ' =')")

	# The cell, if the harness worked.
	if [ ${#why[@]} -eq 0 ]; then
		[ "$lfb" = "$e_lfb" ] || why+=("lfb_base $lfb, expected $e_lfb")
		[ "$cls" = "$e_cfg" ] || why+=("config window $cfg ($cls), expected $e_cfg")
		[ "$d0" = "$e_d0" ] || why+=("D0 $d0, expected $e_d0")
		[ "$root" = "$e_root" ] || why+=("root $root, expected $e_root")
		[ "$dump" = "$e_dump" ] || why+=("dump $dump, expected $e_dump")
		[ "$e_rsv" = '*' ] || [ "$rsv" = "$e_rsv" ] ||
			why+=("framebuffer reserved by '$rsv', expected '$e_rsv'")
	fi

	st=$(IFS=';'; echo "${why[*]}")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "kexec $k" "$f" \
		"$p${s:+/$s}" "$lfb" "$rsv" "$cfg" "$d0" "$root" "$dump" \
		"$([ ${#why[@]} -eq 0 ] && echo pass || echo FAIL)" \
		"${st//;/; }" "$(disk initrd-first)" "$(disk kdump)" "$(fact kdump.sources)" > "$W/$n.row"
	[ ${#why[@]} -eq 0 ]
}

# nvme_io_stuck NAME: a kernel of the cell saw the NVMe's I/O queue never
# complete a command.  QEMU 7.2's NVMe does that now and then in a kdump
# kernel, with the NVMe passed through and at its own address alike (see
# pvbus-kdump.rst); it says nothing about pvbus.
nvme_io_stuck() {
	grep -qsE 'nvme nvme[0-9]+: I/O [0-9]+ (\(I/O Cmd\) )?QID [1-9][0-9]* timeout' \
		"$GUEST/kd-$1"-*.dmesg "$GUEST/kd-$1"-*.log
}

# keep_logs NAME: copy a failed run's logs where a later run cannot
# overwrite them; prints the directory.
keep_logs() {
	local keepdir

	keepdir=$W/failed/$1-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$keepdir"
	cp "$GUEST/kd-$1"-*.{log,tap,dmesg} "$W/$1"-*.out "$W/$1.facts" "$keepdir/" 2> /dev/null
	echo "$keepdir"
}

# A cell from start to row, in the background when -j > 1.  A cell that
# failed where the NVMe's I/O queue got stuck runs again, at most twice,
# and says so.
cell_job() {
	local c=$1 n k f p s start secs keepdir try rerun=

	read -r n k f p s <<< "$c"
	start=$(date +%s)
	for try in 1 2 3; do
		rm -f "$W/$n".{row,facts} "$W/$n"-*.{out,rc} "$GUEST/kd-$n"-*.{dmesg,log}
		run_cell "$n" "$k" "$f" "$p" "$s"
		judge "$n" "$k" "$f" "$p" "$s" && break
		if [ "$try" -eq 3 ] || ! nvme_io_stuck "$n"; then
			break
		fi
		keepdir=$(keep_logs "$n")
		rerun="${rerun:- after a rerun:} the NVMe's I/O queue got stuck in try $try, logs in $keepdir;"
		echo "kdump-test: cell $n: the NVMe's I/O queue got stuck (QEMU) in try $try; running it again"
	done
	rerun=${rerun%;}
	secs=$(($(date +%s) - start))
	if [ "$(cut -f11 "$W/$n.row")" = pass ]; then
		if [ -n "$rerun" ]; then
			awk -F '\t' -v OFS='\t' -v r="$rerun" \
				'{ $11 = "pass (rerun)"; $12 = r; print }' "$W/$n.row" > "$W/$n.row.new" &&
				mv "$W/$n.row.new" "$W/$n.row"
		fi
		echo "kdump-test: cell $n: pass (${secs}s)$rerun"
		[ "$keep" -eq 1 ] || rm -f "$W/$n.img"
	else
		echo "kdump-test: cell $n: FAIL (${secs}s): $(cut -f12 "$W/$n.row")"
		for r in first verify; do
			[ "$(cat "$W/$n-$r.rc" 2> /dev/null)" = 0 ] && continue
			grep -E '^# guest: [a-z]|^ *not ok|^Bail out' "$W/$n-$r.out" 2> /dev/null |
				grep -vE '# guest: (last lines|.* took )' | head -n 8 |
				sed "s/^ */#   $r: /"
		done
		# Kept: a later run of the cell overwrites the logs.
		keepdir=$(keep_logs "$n")
		echo "#   logs: $keepdir (from $GUEST/kd-$n-{first,verify}.*); image $W/$n.img"
	fi
	echo "$secs" > "$W/$n.secs"
}

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
echo "kdump matrix: what the kdump kernel saw and did, and whether the next boot found its dump"
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
	pass) passed=$((passed + 1)) ;;
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
