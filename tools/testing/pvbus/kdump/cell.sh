# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # run.sh's and lib/'s globals
#
# One cell of the kdump matrix (sourced by kdump/run.sh): what it is
# expected to show, its guest boots (lib/boot.sh) on a copy of the root
# file system image, its facts and its verdict.
#
#	expect KEXEC FB POLICY SOURCES	"lfb cfg d0 root dump rsv load" expected
#	cell_job CELL			the cell from start to row ($W/NAME.row),
#					run again when QEMU's NVMe got stuck

# ---------------------------------------------------------------------------
# What each cell is expected to show, from its kdump kernel and the next
# boot: "lfb cfg d0 root dump rsv load", where
#   lfb   screen_info.lfb_base in the kdump kernel
#   cfg   high: the config window above 4 GiB; fb: on the framebuffer;
#         low: below 4 GiB, off the framebuffer
#   rsv   the reservations covering the framebuffer, '*' for any
#   load  yes: kexec loads a kdump kernel; nosys: the kernel has not the
#         syscall (kexec -s on Debian's arm64 kernel), the cell ends there

expect() {
	local kexec=$1 fb=$2 policy=$3 sources=$4 lfb=$FB rsv='*'

	if [ "$PVBUS_ARCH" = arm64 ]; then
		expect_arm64 "$@"
		return
	fi

	# The field case: kexec -p knows no bochs-drm and leaves lfb_base 0.
	[ "$kexec" != -p ] || [ "$fb" != bochs ] || lfb=0x0
	if [ "$policy" = legacy ]; then
		if [ "$lfb" = 0x0 ]; then
			echo "$lfb fb refused no no - yes"
		elif [ "$kexec" = -p ]; then
			# kexec -p gives vesafb's smem_len (4.5 MiB) as lfb_size,
			# not the 16 MiB of VRAM: the window lands just past it.
			echo "$lfb fb refused no no screen_info yes"
		else
			echo "$lfb low ok yes yes screen_info yes"
		fi
		return
	fi
	case "$sources" in
	all) ;;
	none) rsv=- ;;
	*) rsv=$sources ;;
	esac
	echo "$lfb high ok yes yes $rsv yes"
}

# expect_arm64 KEXEC FB POLICY SOURCES: the same on arm64, where no kexec
# path gives the kdump kernel screen_info (lfb_base 0 in every cell), the
# framebuffer the host believes in is at the base of the low window (FB),
# and Debian's kernel has no kexec_file_load.
expect_arm64() {
	local kexec=$1 policy=$3 sources=$4 rsv='*'

	if [ "$kexec" = -s ]; then
		echo "- - - - - - nosys"
		return
	fi
	if [ "$policy" = legacy ]; then
		# Nothing reserved, the lowest free place: the framebuffer.
		echo "0x0 fb refused no no - yes"
		return
	fi
	case "$sources" in
	all) ;;
	none|screen_info) rsv=- ;;
	kdump_fallback) rsv=fallback ;;
	*) rsv=$sources ;;
	esac
	echo "0x0 high ok yes yes $rsv yes"
}

# kdump_tools KEXEC FB POLICY: the cell's /etc/default/kdump-tools.  On
# arm64 kexec -p gets -i (no SHA-256 of the images in purgatory: seconds
# instead of half a minute under TCG), and a legacy cell's policy is the
# kdump kernel's alone (see run_cell).
kdump_tools() {
	local append=$KDUMP_APPEND_BASE kargs=

	[ "$3" = legacy ] || append="$append pvbus.reserve=$FB_RESERVE"
	[ "$3" != legacy ] || [ "$PVBUS_ARCH" != arm64 ] ||
		append="$append pci_pvbus.cfg_window=legacy pvbus.fb_sources=screen_info"
	[ "$1" != -s ] || kargs=-s
	[ "$PVBUS_ARCH" != arm64 ] || [ "$1" != -p ] || kargs=-i
	cat <<-EOF
	# Debian's kdump-tools settings, for the kdump matrix cell ($1, $2, $3)
	USE_KDUMP=1
	KDUMP_KERNEL=/boot/vmlinuz
	KDUMP_INITRD=/boot/initrd.img
	KDUMP_COREDIR=/var/crash
	MAKEDUMP_ARGS="-c -d 31"
	KDUMP_KEXEC_ARGS="$kargs"
	KDUMP_CMDLINE_APPEND="$append"
	# not kdump-tools': the framebuffer driver the first kernel loads
	PVBUS_KD_FB=$2
	EOF
}

# cell_boot ROLE NAME GUEST-OPTION...: one boot of the cell, 'first' (the
# first kernel, kexec -p, the crash, the kdump kernel) or 'verify' (the
# next boot), as lib/boot.sh's mode kdump; ends with the line
# "# kdump-cell ROLE: N passed, M failed".  Not to be called in a
# condition: lib/ needs set -e.
cell_boot() {
	(
		set -e
		boot_defaults
		mode=kdump
		kdump_role=$1
		name=$2
		shift 2
		while [ $# -gt 0 ]; do
			boot_option "$@" || die "cell_boot: bad option '$1'"
			shift "$nshift"
		done
		boot_check
		guest_prepare
		guest_boot
		rc=0
		[ "$failed" -eq 0 ] || rc=1
		line="$passed passed, $failed failed"
		[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
		# One run of a cell: run.sh counts the cells.
		echo "# kdump-cell $kdump_role: $line"
		exit "$rc"
	)
}

run_cell() {
	local n=$1 k=$2 f=$3 p=$4 s=$5 id args=() gargs=() role rc out

	id="$n-$(od -An -tx4 -N4 /dev/urandom | tr -d ' ')"
	kdump_tools "$k" "$f" "$p" > "$W/$n.kdump-tools"
	"$here/mkroot.sh" cell "$W/root.img" "$W/$n.img" "$id" "$W/$n.kdump-tools" ||
		return 1
	args=("pvbus_kd_image=$id" "pvbus_kd_nvme=$nvme")
	# arm64: efifb's screen_info names QEMU's ramfb in RAM, not the
	# framebuffer the host believes in, so a legacy first kernel would put
	# its window on that too; on Hyper-V arm64 its screen_info names it.
	# There the first kernel and the next boot are auto, and the legacy
	# policy goes to the kdump kernel alone (kdump_tools).
	if [ "$p" != legacy ] || [ "$PVBUS_ARCH" != arm64 ]; then
		[ "$p" != legacy ] || args+=(pci_pvbus.cfg_window=legacy)
		[ "$s" = all ] || args+=("pvbus.fb_sources=$s")
	fi
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
		# No kdump kernel, no crash: nothing to verify either.
		if [ "$role" = verify ] &&
			grep -q 'PVBUS-FACT stage=first .*nosys=yes' "$GUEST/kd-$n-first.tap"; then
			echo "not run: no kdump kernel (no kexec_file_load)" > "$W/$n-$role.rc"
			continue
		fi
		out=$W/$n-$role.out
		rc=0
		if [ "$verbose" -eq 1 ]; then
			cell_boot "$role" "kd-$n-$role" "${gargs[@]}" 2>&1 | tee "$out"
			rc=${PIPESTATUS[0]}
		else
			cell_boot "$role" "kd-$n-$role" "${gargs[@]}" > "$out" 2>&1
			rc=$?
		fi
		echo "$rc" > "$W/$n-$role.rc"
	done
}

# facts FILE...: the fact lines of a cell's runs as "stage.key=value" lines.
facts() {
	local f

	for f in "$@"; do
		ktap_diag "$f" 'PVBUS-FACT '
	done | while read -r line; do
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

# disk STAGE: the root disk's driver, PCI function and interrupts
# (KIND:COUNT:CHIP, kd_irqs) in STAGE, or -.
disk() {
	[ "$(fact "$1.root")" = yes ] || { echo -; return; }
	echo "$(fact "$1.root_drv") $(fact "$1.root_pci") $(fact "$1.root_irqs")"
}

# msi_ok STAGE: the root disk's controller had MSI-X or MSI interrupts
# counting in STAGE.
msi_ok() {
	local kind count

	IFS=: read -r kind count _ <<< "$(fact "$1.root_irqs")"
	case "$kind" in msix|msi) ;; *) return 1 ;; esac
	[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -gt 0 ]
}

# judge NAME KEXEC FB POLICY SOURCES: writes $W/NAME.row, returns 0 when
# the cell is what it is expected to be.
judge() {
	local n=$1 k=$2 f=$3 p=$4 s=$5 why=() st rc dump lfb rsv cfg cls d0 root
	local e_lfb e_cfg e_d0 e_root e_dump e_rsv e_load

	facts "$GUEST/kd-$n-first.tap" "$GUEST/kd-$n-verify.tap" > "$W/$n.facts"
	read -r e_lfb e_cfg e_d0 e_root e_dump e_rsv e_load <<< "$(expect "$k" "$f" "$p" "$s")"
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
	[ "$e_load" = yes ] || dump=-
	[ "$(fact verify.dump)" != yes ] || [ "$(fact verify.valid)" != yes ] || dump=yes
	[ "$(fact verify.dump)" != yes ] || [ "$(fact verify.valid)" = yes ] ||
		dump=invalid

	# The harness: every guest run finished as it should.
	for st in first verify; do
		[ "$st" = verify ] && [ "$e_load" != yes ] && continue
		rc=$(cat "$W/$n-$st.rc" 2> /dev/null || echo '?')
		[ "$rc" = 0 ] || why+=("the $st run failed (status $rc)")
	done
	[ "$(fact initrd-first.root)" = yes ] || why+=("the first kernel had no root file system")
	if [ "$e_load" = nosys ]; then
		[ "$(fact first.nosys)" = yes ] ||
			why+=("kexec $k was expected to be refused: the kernel has no kexec_file_load")
	else
		[ "$(fact first.loaded)" = 1 ] || why+=("no kdump kernel was loaded")
		[ "$(fact kdump.stage)" = kdump ] || why+=("no facts from a kdump kernel")
		[ "$(fact initrd-verify.root)" = yes ] || why+=("the next boot had no root file system")
	fi
	[ "$nvme" != pvbus ] || [ "$(fact initrd-first.nvme)" = pvbus ] ||
		why+=("the NVMe was not on the pvbus bus")
	[ "$(fact initrd-first.root_drv)" = nvme ] ||
		why+=("the first kernel's root disk is not driven by nvme")
	[ "$root" != yes ] || [ "$(fact kdump.root_drv)" = nvme ] ||
		why+=("the kdump kernel's root disk is not driven by nvme")
	# arm64: the stock nvme driver's MSI-X (or MSI) counting, wherever it
	# had the root (issue 12).
	if [ "$PVBUS_ARCH" = arm64 ]; then
		msi_ok initrd-first ||
			why+=("no MSI-X/MSI counting for the first kernel's root disk: $(fact initrd-first.root_irqs)")
		[ "$root" != yes ] || msi_ok kdump ||
			why+=("no MSI-X/MSI counting for the kdump kernel's root disk: $(fact kdump.root_irqs)")
	fi
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
	# What a cell without a kdump kernel did instead, for the table's notes.
	[ -n "$st" ] || [ "$e_load" != nosys ] ||
		st="no kdump kernel: kexec $k -p refused, the kernel has no kexec_file_load (ENOSYS)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "kexec $k" "$f" \
		"$p${s:+/$s}" "$lfb" "$rsv" "$cfg" "$d0" "$root" "$dump" \
		"$([ ${#why[@]} -eq 0 ] && echo pass || echo FAIL)" \
		"${st//;/; }" "$(disk initrd-first)" "$(disk kdump)" "$(fact kdump.sources)" > "$W/$n.row"
	[ ${#why[@]} -eq 0 ]
}

# nvme_io_stuck NAME: a kernel of the cell saw the NVMe's I/O queue never
# complete a command.  QEMU 7.2's NVMe does that now and then in a kdump
# kernel, with the NVMe passed through and at its own address alike (see
# Documentation/dev-tools/pvbus-testing.rst); it says nothing about pvbus.
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
