# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # run.sh's and lib/'s globals
#
# One cell of the kdump matrix (sourced by kdump/run.sh): what it is
# expected to show and its guest boots (lib/boot.sh) on a copy of the
# root file system image; judge.sh reads its facts and gives its verdict.
#
#	expect KEXEC FB POLICY SOURCES	"lfb cfg d0 root dump rsv" expected
#	cell_kernel KEXEC		the kernel the cell boots
#	kernel_tag KERNEL		its suffix in file names
#	cell_job CELL			the cell from start to row ($W/NAME.row),
#					run again when QEMU's NVMe got stuck

# ---------------------------------------------------------------------------
# What each cell is expected to show, from its kdump kernel and the next
# boot: "lfb cfg d0 root dump rsv", where
#   lfb   screen_info.lfb_base in the kdump kernel
#   cfg   high: the config window above 4 GiB; fb: on the framebuffer;
#         low: below 4 GiB, off the framebuffer
#   rsv   the sources whose reservations cover the framebuffer, '-' for none
# Every cell loads a kdump kernel, which saves the dump wherever it has
# the root file system.

expect() {
	local kexec=$1 fb=$2 policy=$3 sources=$4 lfb=$FB rsv

	if [ "$PVBUS_ARCH" = arm64 ]; then
		expect_arm64 "$@"
		return
	fi

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
	# Where several sources cover the framebuffer, the tree view names
	# the framebuffer records (host, pci, pvbus.reserve= and, with an
	# lfb_base, screen_info); firmware's reserved-ranges record is of
	# another kind and is named only where it alone covers it.
	case "$sources" in
	all)
		rsv=host,pci,reserve
		[ "$lfb" = 0x0 ] || rsv=$rsv,screen_info ;;
	none) rsv=- ;;
	*) rsv=$sources ;;
	esac
	echo "$lfb high ok yes yes $rsv"
}

# expect_arm64 KEXEC FB POLICY SOURCES: the same on arm64, where no kexec
# path gives the kdump kernel screen_info (lfb_base 0 in every cell, under
# kexec -p and kexec -s alike) and the framebuffer the host believes in is
# at the base of the low window (FB).
expect_arm64() {
	local policy=$3 sources=$4 rsv

	if [ "$policy" = legacy ]; then
		# Nothing reserved, the lowest free place: the framebuffer.
		echo "0x0 fb refused no no -"
		return
	fi
	# No PCI display device holds the framebuffer, and no screen_info.
	case "$sources" in
	all) rsv=host,reserve ;;
	none|screen_info) rsv=- ;;
	kdump_fallback) rsv=fallback ;;
	*) rsv=$sources ;;
	esac
	echo "0x0 high ok yes yes $rsv"
}

# cell_kernel KEXEC: the kernel a cell boots, first and kdump kernel
# alike: debian (Debian's, of KDIR's ABI) or, for kexec -s on arm64,
# kexec-file, which tools/testing/arm64.sh kernel builds from Debian's
# linux-source-6.1 with CONFIG_KEXEC_FILE (run.sh's KF_DIR): Debian's arm64
# 6.1 kernel has no kexec_file_load.  Debian's is what users run; the -p
# cells keep it.
cell_kernel() {
	if [ "$PVBUS_ARCH" = arm64 ] && [ "$1" = -s ]; then
		echo kexec-file
	else
		echo debian
	fi
}

# kernel_tag KERNEL: the suffix of its files in $W: none for Debian's.
kernel_tag() {
	[ "$1" = debian ] || echo "-$1"
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
		[ "$kern" = debian ] || kernel_tree "$KF_DIR"
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
	local n=$1 k=$2 f=$3 p=$4 s=$5 id args=() gargs=() role rc out kern

	kern=$(cell_kernel "$k")
	id="$n-$(od -An -tx4 -N4 /dev/urandom | tr -d ' ')"
	kdump_tools "$k" "$f" "$p" > "$W/$n.kdump-tools"
	"$here/mkroot.sh" cell "$W/root$(kernel_tag "$kern").img" "$W/$n.img" "$id" \
		"$W/$n.kdump-tools" ||
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
		# --no-verify: the first boot only.
		if [ "$role" = verify ] && [ "$verify" -eq 0 ]; then
			echo "not run: --no-verify" > "$W/$n-$role.rc"
			continue
		fi
		# No root in the first kernel: nothing to verify.
		if [ "$role" = verify ] &&
			grep -q 'PVBUS-FACT stage=initrd-first .*root=no' "$GUEST/kd-$n-first.tap"; then
			echo "not run: the first kernel had no root file system" > "$W/$n-$role.rc"
			continue
		fi
		# No kdump kernel, no crash: nothing to verify either.
		if [ "$role" = verify ] &&
			grep -q 'PVBUS-FACT stage=first .*nosys=yes' "$GUEST/kd-$n-first.tap"; then
			echo "not run: no kdump kernel (the kernel has no kexec_file_load)" \
				> "$W/$n-$role.rc"
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
	# Written when the cell is done (run.sh's EXIT trap reads it).
	rm -f "$W/$n.secs"
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
