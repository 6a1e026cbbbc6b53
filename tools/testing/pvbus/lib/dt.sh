# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# The device tree of an arm64 guest whose firmware is DT, not ACPI
# (guest.sh --fw dt): QEMU's own tree of the machine, from
# -machine dumpdtb= (one dump per machine, cached), plus the pvbus bus
# root node of dt/pvbus.dtsi (the binding: Documentation/devicetree/
# bindings/bus/pvbus,bus.yaml), compiled by dtc and given to QEMU with
# -dtb.  The machine runs with acpi=off: QEMU then gives UEFI no ACPI
# tables, UEFI hands the kernel the tree QEMU loaded (ours), and the
# kernel, which prefers ACPI when it has both, uses the DT.
# Needs lib/common.sh and lib/qemu.sh's machine (qemu_machine).
#
#	dt_build NAME [DEFINE...]	sets dtb ($GUEST/NAME.dtb); DEFINE
#					NAME[=VALUE] as for the SSDT (-D)

# dt_dump: QEMU's device tree of this machine, as a .dts; sets qemu_dts.
dt_dump() {
	local dir=$GUEST/dt key tmp

	key=$({ "$(qemu_bin)" --version | head -n 1
		printf '%s\n' "${machine[@]}" "${extra[@]}"; } | sha256sum | cut -c1-16)
	qemu_dts=$dir/$key.dts
	[ -f "$qemu_dts" ] && return 0
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.dump.XXXXXX")
	if ! timeout -k 5 60 "$(qemu_bin)" "${machine[@]}" "${extra[@]}" \
		-machine "dumpdtb=$tmp/qemu.dtb" < /dev/null > "$tmp/qemu.out" 2>&1 ||
		[ ! -s "$tmp/qemu.dtb" ]; then
		cat "$tmp/qemu.out" >&2
		die "QEMU did not dump its device tree (-machine dumpdtb=)"
	fi
	dtc -q -I dtb -O dts -o "$tmp/qemu.dts" "$tmp/qemu.dtb" ||
		die "dtc cannot read QEMU's device tree ($tmp/qemu.dtb)"
	cp "$tmp/qemu.dtb" "$dir/$key.dtb"
	mv "$tmp/qemu.dts" "$qemu_dts"
	rm -rf "$tmp"
}

# dt_cells VALUE: an SSDT-style list ("0x1000, 0x2000") as DT cells.
dt_cells() {
	echo "${1//,/ }" | tr -s ' '
}

dt_build() {
	local name=$1 d n v pcie msi src defs=()

	shift
	dt_dump
	# The MSI controller of QEMU's PCIe host node, and its coherence.
	pcie=$(fdtget -l "${qemu_dts%.dts}.dtb" / | grep -m 1 '^pcie@') ||
		die "no PCIe host node in QEMU's device tree"
	# Its msi-map (rid-base, controller, msi-base, length), else its
	# msi-parent.
	msi=$(fdtget -t x "${qemu_dts%.dts}.dtb" "/$pcie" msi-map 2> /dev/null |
		awk '{ print $2 }')
	[ -n "$msi" ] || msi=$(fdtget -t x "${qemu_dts%.dts}.dtb" "/$pcie" msi-parent) ||
		die "QEMU's /$pcie has neither msi-map nor msi-parent"
	# With an ITS (GIC=3) an msi-map, as for the IORT (lib/acpi.sh): the
	# pvbus bus's requester id 0, where the NVMe is passed through, is the
	# NVMe's native one for the ITS.  It names no PCI domain: every pvbus
	# bus's 00.0 is mapped (Documentation/devicetree/bindings/bus/
	# pvbus,bus.yaml).
	if [ "${GIC:-2}" = 3 ]; then
		defs+=("-DPVBUS_MSI_MAP=0x0 0x$msi $(nvme_rid) 0x1")
	else
		defs+=("-DPVBUS_MSI_PARENT=0x$msi")
	fi
	! fdtget "${qemu_dts%.dts}.dtb" "/$pcie" dma-coherent > /dev/null 2>&1 ||
		defs+=(-DPVBUS_DMA_COHERENT)
	for d in "$@"; do
		[[ "$d" =~ ^[A-Za-z_][A-Za-z0-9_]*(=.*)?$ ]] || die "bad define '$d'"
		n=${d%%=*}
		v=
		[[ "$d" != *=* ]] || v=$(dt_cells "${d#*=}")
		defs+=("-D$n${v:+=$v}")
	done
	src=$GUEST/$name.dts
	{
		cat "$qemu_dts"
		echo "/* The pvbus bus root: $PVBUS_TESTING/dt/pvbus.dtsi, for the run '$name' */"
		cpp -nostdinc -undef -P -x assembler-with-cpp "${defs[@]}" \
			"$PVBUS_TESTING/dt/pvbus.dtsi"
	} > "$src" || die "cpp failed on dt/pvbus.dtsi"
	dtb=$GUEST/$name.dtb
	dtc -q -I dts -O dtb -o "$dtb" "$src" > "$GUEST/$name-dtc.out" 2>&1 || {
		cat "$GUEST/$name-dtc.out" >&2
		die "dtc failed on $src"
	}
	echo "guest: device tree $dtb: QEMU's, with /pvbus (${GIC:+GIC=$GIC, }the MSI controller <0x$msi> of /$pcie)"
}
