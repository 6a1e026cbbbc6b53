# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# ACPI tables for the guest: the upgrade of QEMU's DSDT to revision 2, and
# the SSDT that describes the pvbus bus root (ssdt/*.asl, compiled by iasl).
# Needs lib/common.sh and lib/qemu.sh's machine (qemu_machine).
#
#	dsdt_upgrade		sets dsdt_cpio: the cpio to put in front of
#				the initrd (one probe boot per machine, cached)
#	ssdt_build NAME VARIANT [DEFINE...]
#				sets aml (empty for VARIANT none) and ssdt_tag;
#				arm64: ssdt_cpio, the AML for the initrd (and
#				with GIC=3 the IORT, iort_build)
#
# QEMU's arm64 virt machine takes no -acpitable: there the SSDT goes into
# the initrd as kernel/firmware/acpi/pvbus-ssdt.aml, which the kernel
# installs early (CONFIG_ACPI_TABLE_UPGRADE; "ACPI: Table Upgrade: install
# [SSDT- PVBUS-PVBUSBUS]").  Its DSDT is revision 2 already.  The template
# gets PVBUS_ARM64 defined: the windows of the virt machine, and _CCA.

# QEMU's DSDT has revision 1, and ACPICA then runs every table, our SSDT
# too, with 32-bit integers: the 64-bit window addresses would be truncated
# ("ACPI Warning: Truncated 64-bit constant found in 32-bit table").  The
# Debian kernel has CONFIG_ACPI_TABLE_UPGRADE: kernel/firmware/acpi/dsdt.aml
# in an uncompressed cpio in front of the initrd replaces the DSDT when its
# OEM revision is higher.  So a probe boot (once per QEMU and machine, then
# cached) fetches QEMU's own DSDT, which goes back with revision 2.

patch_byte() {	# FILE OFFSET VALUE
	# shellcheck disable=SC2059 # an octal escape made on purpose
	printf "\\$(printf %03o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

dsdt_upgrade() {
	local dir=$GUEST/dsdt key tmp orig new oemrev sum i
	# A TCG boot to /init takes seconds on an idle machine, but over a
	# minute on 2 cores at load 13 (seen: two probes killed at 60 s).
	local probe_timeout=300

	key=$({ qemu-system-x86_64 --version | head -n 1
		printf '%s\n' "${machine[@]}" "${disk_dev[@]}" "${extra[@]}"; } |
		sha256sum | cut -c1-16)
	dsdt_cpio=$dir/$key.cpio
	[ -f "$dsdt_cpio" ] && return 0

	echo "guest: probing QEMU's DSDT for this machine"
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.probe.XXXXXX")
	local probe_disk=()
	if [ ${#disk_dev[@]} -gt 0 ]; then
		truncate -s 1M "$tmp/disk.img"
		probe_disk=(-drive "file=$tmp/disk.img,if=none,id=pvbus-d0,format=raw"
			"${disk_dev[@]}")
	fi
	if ! timeout -k 5 "$probe_timeout" qemu-system-x86_64 "${machine[@]}" "${probe_disk[@]}" \
		-kernel "$vmlinuz" -initrd "$initramfs" \
		-append "console=ttyS0 quiet panic=-1 pvbus_guest_mode=acpidump" \
		-serial "file:$tmp/console" -serial "file:$tmp/out" -serial null "${extra[@]}" \
		< /dev/null > "$tmp/qemu.out" 2>&1; then
		cat "$tmp/qemu.out" >&2
		tail -n 20 "$tmp/console" >&2
		die "the DSDT probe boot failed"
	fi
	orig=$tmp/dsdt.orig.aml
	new=$tmp/root/kernel/firmware/acpi/dsdt.aml
	tr -d '\r' < "$tmp/out" |
		awk '/^END DSDT$/ { on = 0 } on { print } /^BEGIN DSDT$/ { on = 1 }' |
		base64 -d > "$orig" || die "bad DSDT dump from the probe boot"
	if [ "$(head -c 4 "$orig")" != DSDT ] || [ "$(stat -c %s "$orig")" -lt 36 ]; then
		die "no DSDT from the probe boot (see $tmp)"
	fi

	mkdir -p "$(dirname "$new")"
	cp "$orig" "$new"
	patch_byte "$new" 8 2			# revision 2: 64-bit integers
	oemrev=$(od -An -tu4 -j24 -N4 "$orig" | tr -d ' ')
	oemrev=$((oemrev + 1))			# must be higher to be taken
	for i in 0 1 2 3; do
		patch_byte "$new" $((24 + i)) $(((oemrev >> (8 * i)) & 255))
	done
	patch_byte "$new" 9 0
	sum=$(od -An -v -tu1 "$new" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s % 256 }')
	patch_byte "$new" 9 $(((256 - sum) % 256))

	(cd "$tmp/root" && find kernel | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
		> "$dsdt_cpio.tmp"
	cp "$orig" "$dir/$key.orig.aml"
	cp "$new" "$dir/$key.aml"
	mv "$dsdt_cpio.tmp" "$dsdt_cpio"
	rm -rf "$tmp"
}

# iort_rc SEGMENT INPUT COUNT OUTPUT: an IORT root complex node (the data
# table format of iasl, revision 1 layout, 0x38 bytes) of PCI segment
# SEGMENT, coherent, whose COUNT requester ids from INPUT map to the ITS
# device ids from OUTPUT (the table holds COUNT - 1).
iort_rc() {
	cat <<EOF

[0001]                               Type : 02
[0002]                             Length : 0038
[0001]                           Revision : 00
[0004]                           Reserved : 00000000
[0004]                      Mapping Count : 00000001
[0004]                     Mapping Offset : 00000024

[0008]                  Memory Properties : [IORT Memory Access Properties]
[0004]                    Cache Coherency : 00000001
[0001]              Hints (decoded below) : 00
                                Transient : 0
                           Write Allocate : 0
                            Read Allocate : 0
                                 Override : 0
[0002]                           Reserved : 0000
[0001]       Memory Flags (decoded below) : 03
                                Coherency : 1
                         Device Attribute : 1
[0004]                      ATS Attribute : 00000000
[0004]                 PCI Segment Number : $(printf %08X "$1")
[0001]                  Memory Size Limit : 00
[0003]                           Reserved : 000000

[0004]                         Input base : $(printf %08X "$2")
[0004]                           ID Count : $(printf %08X "$(($3 - 1))")
[0004]                        Output Base : $(printf %08X "$4")
[0004]                   Output Reference : 00000034
[0004]              Flags (decoded below) : 00000000
                           Single Mapping : 0
EOF
}

# iort_build NAME: the IORT of a GICv3 guest (GIC=3) with the pvbus
# segment in it, $GUEST/NAME-iort.aml.  QEMU's virt machine describes its
# ITS and one root complex, segment 0, whose requester ids are the ITS
# device ids.  A PCI segment that no root complex of the IORT names gets
# no ITS mapping under ACPI: neither an MSI domain nor a device id.  So, as
# the VMM that offers a pvbus bus describes it, a second root complex: the
# segment of 60-passthrough's bus (PVBUS_PT_DOMAIN), whose function 00.0
# is the NVMe the simulated host passes through, mapped to the device id
# the ITS sees for the NVMe, its requester id at PVBUS_NVME_ADDR.  The
# table replaces QEMU's (CONFIG_ACPI_TABLE_UPGRADE: the same OEM ids, a
# higher OEM revision).
iort_build() {
	local name=$1 rid

	rid=$(nvme_rid)
	{
		cat <<EOF
/* Generated by the pvbus harness (lib/acpi.sh iort_build) for '$name' */
[0004]                          Signature : "IORT"
[0004]                       Table Length : 00000000
[0001]                           Revision : 00
[0001]                           Checksum : 00
[0006]                             Oem ID : "BOCHS "
[0008]                       Oem Table ID : "BXPC    "
[0004]                       Oem Revision : 00000002
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 00000000

[0004]                         Node Count : 00000003
[0004]                        Node Offset : 00000034
[0004]                           Reserved : 00000000
[0004]                   Optional Padding : 00 00 00 00

[0001]                               Type : 00
[0002]                             Length : 0018
[0001]                           Revision : 00
[0004]                           Reserved : 00000000
[0004]                      Mapping Count : 00000000
[0004]                     Mapping Offset : 00000000

[0004]                           ItsCount : 00000001
[0004]                        Identifiers : 00000000
EOF
		iort_rc 0 0 0x10000 0
		iort_rc "0x$PVBUS_PT_DOMAIN" 0 1 "$rid"
	} > "$GUEST/$name-iort.asl"
	if ! iasl -vs -p "$GUEST/$name-iort" "$GUEST/$name-iort.asl" \
		> "$GUEST/$name-iort.out" 2>&1; then
		cat "$GUEST/$name-iort.out" >&2
		die "iasl failed on the IORT"
	fi
}

# ssdt_build NAME VARIANT [DEFINE...]: VARIANT prp (_HID PRP0001 and
# "compatible", ssdt/pvbus.asl), hid (_HID PVBS0001), none, ssdt/NAME.asl
# or an .asl file; DEFINE NAME[=VALUE] a #define for the template.  The
# AML is $GUEST/NAME-ssdt.aml.
ssdt_build() {
	local name=$1 ssdt=$2 template d src

	shift 2
	aml=
	ssdt_cpio=
	ssdt_tag=$ssdt
	[ "$PVBUS_ARCH" != arm64 ] || set -- PVBUS_ARM64 "$@"
	case "$ssdt" in
	none)	template= ;;
	prp)	template=$PVBUS_TESTING/ssdt/pvbus.asl ;;
	hid)	template=$PVBUS_TESTING/ssdt/pvbus.asl; set -- PVBUS_OWN_HID "$@" ;;
	*/*|*.asl) template=$(realpath "$ssdt"); ssdt_tag=$(basename "$ssdt" .asl) ;;
	*)	template=$PVBUS_TESTING/ssdt/$ssdt.asl ;;
	esac
	if [ -z "$template" ]; then
		[ $# -eq 0 ] || die "-D needs an SSDT"
		return 0
	fi
	[ -f "$template" ] || die "no SSDT template $template"
	# iasl takes a file as ASL only when it holds a DefinitionBlock, so
	# the #defines go in front of a copy, not into a wrapper.
	src=$GUEST/$name-ssdt.asl
	{
		echo "/* Generated by the pvbus harness for the run '$name' from $template */"
		for d in "$@"; do
			[[ "$d" =~ ^[A-Za-z_][A-Za-z0-9_]*(=.*)?$ ]] || die "bad define '$d'"
			if [[ "$d" == *=* ]]; then
				echo "#define ${d%%=*} ${d#*=}"
			else
				echo "#define $d"
			fi
		done
		cat "$template"
	} > "$src"
	if ! iasl -vs -I "$(dirname "$template")" -p "$GUEST/$name-ssdt" "$src" \
		> "$GUEST/$name-ssdt.out" 2>&1; then
		cat "$GUEST/$name-ssdt.out" >&2
		die "iasl failed on $template"
	fi
	aml=$GUEST/$name-ssdt.aml
	[ -f "$aml" ] || die "iasl made no $aml"
	if [ "$PVBUS_ARCH" = arm64 ]; then
		rm -rf "$GUEST/$name-ssdt.d"
		mkdir -p "$GUEST/$name-ssdt.d/kernel/firmware/acpi"
		cp "$aml" "$GUEST/$name-ssdt.d/kernel/firmware/acpi/pvbus-ssdt.aml"
		if [ "${GIC:-2}" = 3 ]; then
			iort_build "$name"
			cp "$GUEST/$name-iort.aml" \
				"$GUEST/$name-ssdt.d/kernel/firmware/acpi/pvbus-iort.aml"
		fi
		cpio_dir "$GUEST/$name-ssdt.d" kernel > "$GUEST/$name-ssdt.cpio"
		rm -rf "$GUEST/$name-ssdt.d"
		ssdt_cpio=$GUEST/$name-ssdt.cpio
	fi
}
