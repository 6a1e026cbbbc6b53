# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # run.sh's and lib/'s globals
#
# The verdict on one cell of the kdump matrix (sourced by kdump/run.sh):
# the facts its guests printed (PVBUS-FACT lines of their KTAP), held
# against what cell.sh's expect says the cell must show.
#
#	judge NAME KEXEC FB POLICY SOURCES	writes $W/NAME.row; 0 when the
#						cell is as expected

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
	local n=$1 k=$2 f=$3 p=$4 s=$5 why=() st rc dump lfb rsv cfg cls d0 root rel
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
	# --no-verify: no next boot read the dump back; not checked.
	if [ "$verify" -eq 0 ]; then
		dump=-
		e_dump=-
	fi

	# The harness: every guest run finished as it should.
	for st in first verify; do
		[ "$st" = verify ] && [ "$verify" -eq 0 ] && continue
		rc=$(cat "$W/$n-$st.rc" 2> /dev/null || echo '?')
		[ "$rc" = 0 ] || why+=("the $st run failed (status $rc)")
	done
	[ "$(fact initrd-first.root)" = yes ] || why+=("the first kernel had no root file system")
	# Both kernels are the one the cell boots (cell.sh's cell_kernel).
	rel=${KERNEL_REL[$(cell_kernel "$k")]}
	for st in initrd-first kdump; do
		[ "$(fact "$st.kernel")" = "$rel" ] || [ "$(fact "$st.stage")" != "$st" ] ||
			why+=("the $st stage ran kernel $(fact "$st.kernel"), not $rel")
	done
	# Every cell, kexec -s on arm64 included (cell.sh's cell_kernel), loads
	# a kdump kernel.
	[ "$(fact first.nosys)" != yes ] ||
		why+=("kexec $k -p refused: the kernel has no kexec_file_load (ENOSYS)")
	[ "$(fact first.loaded)" = 1 ] || why+=("no kdump kernel was loaded")
	[ "$(fact kdump.stage)" = kdump ] || why+=("no facts from a kdump kernel")
	[ "$verify" -eq 0 ] || [ "$(fact initrd-verify.root)" = yes ] ||
		why+=("the next boot had no root file system")
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
		[ "$rsv" = "$e_rsv" ] ||
			why+=("framebuffer reserved by '$rsv', expected '$e_rsv'")
	fi

	st=$(IFS=';'; echo "${why[*]}")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "kexec $k" "$f" \
		"$p${s:+/$s}" "$lfb" "$rsv" "$cfg" "$d0" "$root" "$dump" \
		"$([ ${#why[@]} -eq 0 ] && echo pass || echo FAIL)" \
		"${st//;/; }" "$(disk initrd-first)" "$(disk kdump)" "$(fact kdump.sources)" > "$W/$n.row"
	[ ${#why[@]} -eq 0 ]
}
