#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# QEMU guest harness of pvbus.  It boots the Debian kernel whose ABI is the
# one of KDIR (so the modules' vermagic matches) under TCG with a busybox
# initramfs that carries the project's modules, the Debian modules they and
# the tests need, and the guest tests, plus an SSDT describing the pvbus bus
# root.  The guest runs tools/testing/pvbus/tests/*.sh in order and powers
# off (with --kdump, after a crash into a kdump kernel that runs them again:
# see README); this script prints their KTAP and a closing line
#
#	guest-test: N passed, M failed
#
# and exits non-zero on any failure, a missing plan, a kernel panic or a
# timeout.  Everything it builds is cached under $BUILD/guest and rebuilt
# only when its inputs change.  Run with --help for the options.

set -euo pipefail
export LC_COLLATE=C

orig_args=("$@")
here=$(cd "$(dirname "$0")" && pwd)
ROOT=${ROOT:-$(cd "$here/../../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
if [ -z "${KDIR:-}" ]; then
	KDIR=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null |
		sort -V | tail -n 1)
fi
GUEST=$BUILD/guest

usage() {
	cat <<EOF
usage: ${0##*/} [options]

Boot the pvbus test guest and run the guest tests (tests/*.sh).

  -t, --tests LIST       run only these tests: comma-separated names without
                         .sh, globs allowed (e.g. 10-modules,2*)   [\$GUEST_TESTS]
      --suite NAME       which scripts: 'tests' (the guest tests,
                         tests/*.sh) or 'soak' (soak/guest/*.sh, see
                         soak/README)                              [tests]
  -a, --append ARGS      extra kernel command line (repeatable)    [\$GUEST_APPEND]
  -q, --qemu ARGS        extra QEMU arguments, split at blanks
                         (repeatable)                              [\$GUEST_QEMU_ARGS]
  -s, --ssdt VARIANT     prp (_HID PRP0001 + compatible, the default),
                         hid (own _HID PVBS0001), none, or an .asl
                         template file (ssdt/NAME.asl or a path)   [\$GUEST_SSDT]
  -D, --define NAME[=VALUE]
                         #define for the SSDT template (repeatable), e.g.
                         -D 'PVBUS_RESERVED_RANGES=0xfe000000, 0x100000'
      --vga MODE         vga= boot parameter, 'none' for none      [\$GUEST_VGA, 0x318]
      --timeout SECONDS  kill the guest after this long            [\$GUEST_TIMEOUT, 120]
  -n, --name NAME        name of the run: logs go to
                         \$BUILD/guest/NAME.{log,tap,dmesg}         [guest-test, demo]
      --demo[=SCRIPT]    run a demo script instead of the tests and show
                         the console: demo/SCRIPT.sh or a file     [demo]
      --shell            interactive: a shell on the console (no timeout)
  -v, --verbose          show the console log instead of only the KTAP
      --no-dsdt-upgrade  keep QEMU's revision 1 DSDT: ACPI integers are
                         then 32-bit, the SSDT's 64-bit values are
                         truncated                                 [\$GUEST_DSDT_UPGRADE=0]
      --kdump            a kdump cycle (tests only): after the tests the
                         guest loads the same kernel and initramfs with
                         kexec -p, crashes (sysrq c), and the kdump kernel
                         runs the tests again (their kdump side, see
                         README); appends crashkernel=256M unless -a gives
                         a crashkernel=
      --kexec-args ARGS  extra options of kexec -p, e.g. '-s' (use
                         kexec_file_load) or --reuse-video-type
      --kdump-append ARGS
                         extra command line of the kdump kernel, e.g.
                         pvbus.reserve=16M@0xfd000000 (repeatable)
      --disk FILE        attach FILE (a raw image) as an NVMe disk,
                         serial pvbus0, at 0000:00:04.0; its path is not
                         part of the machine's DSDT key                [\$GUEST_DISK]
      --kdump-cell ROLE  one boot of a kdump matrix cell (kdump/run.sh;
                         needs --disk): ROLE 'first' (the root file system
                         on the NVMe behind pci-pvbus, kexec -p, a crash,
                         the kdump kernel saves the dump) or 'verify' (the
                         next boot checks the dump); see kdump/README
      --boot-files DIR   build everything, put into DIR what the guest
                         boots (vmlinuz, initrd.img: the DSDT upgrade and
                         the initramfs) and the initramfs's files as
                         initramfs.cpio, stop
      --dry-run          build everything, print the QEMU command, stop
      --group NAME       (internal) one boot of a test group
  -h, --help             this text
EOF
}

die() {
	echo "guest: $*" >&2
	exit 2
}

tests=${GUEST_TESTS:-}
suite=tests
append=${GUEST_APPEND:-}
qemu_args=${GUEST_QEMU_ARGS:-}
ssdt=${GUEST_SSDT:-prp}
vga=${GUEST_VGA:-0x318}
timeout=${GUEST_TIMEOUT:-120}
defines=()
name=
mode='test'
demo=demo
verbose=0
dry_run=0
group=
dsdt_rev2=${GUEST_DSDT_UPGRADE:-1}
kdump=0
kexec_args=
kdump_append=
disk=${GUEST_DISK:-}
kdump_role=
boot_files=

need_arg() {
	[ "$2" -ge 2 ] || die "$1 needs an argument (see --help)"
}

while [ $# -gt 0 ]; do
	case "$1" in
	-t|--tests)	need_arg "$1" $#; tests=$2; shift ;;
	--suite)	need_arg "$1" $#; suite=$2; shift ;;
	-a|--append)	need_arg "$1" $#; append="$append $2"; shift ;;
	-q|--qemu)	need_arg "$1" $#; qemu_args="$qemu_args $2"; shift ;;
	-s|--ssdt)	need_arg "$1" $#; ssdt=$2; shift ;;
	-D|--define)	need_arg "$1" $#; defines+=("$2"); shift ;;
	--vga)		need_arg "$1" $#; vga=$2; shift ;;
	--timeout)	need_arg "$1" $#; timeout=$2; shift ;;
	-n|--name)	need_arg "$1" $#; name=$2; shift ;;
	--demo)		mode=demo ;;
	--demo=*)	mode=demo; demo=${1#--demo=} ;;
	--shell)	mode=shell ;;
	-v|--verbose)	verbose=1 ;;
	--dry-run)	dry_run=1 ;;
	--kdump)	kdump=1 ;;
	--kexec-args)	need_arg "$1" $#; kexec_args="$kexec_args $2"; shift ;;
	--kdump-append)	need_arg "$1" $#; kdump_append="$kdump_append $2"; shift ;;
	--disk)		need_arg "$1" $#; disk=$2; shift ;;
	--kdump-cell)	need_arg "$1" $#; mode=kdump; kdump_role=$2; shift ;;
	--boot-files)	need_arg "$1" $#; boot_files=$2; shift ;;
	--no-dsdt-upgrade) dsdt_rev2=0 ;;
	--group)	need_arg "$1" $#; group=$2; shift ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done

case "$mode" in
test)	name=${name:-guest-test} ;;
*)	name=${name:-$mode} ;;
esac
case "$name" in
*/*|'') die "bad run name '$name'" ;;
esac
[[ "$timeout" =~ ^[0-9]+$ ]] || die "bad timeout '$timeout'"
case "$suite" in
tests)	suite_dir=$here/tests ;;
soak)	suite_dir=$here/soak/guest ;;
*)	die "--suite takes 'tests' or 'soak', not '$suite'" ;;
esac
[ -z "$disk" ] || [ -f "$disk" ] || die "no disk image '$disk'"
case "$kdump_role" in
''|first|verify) ;;
*) die "--kdump-cell takes 'first' or 'verify', not '$kdump_role'" ;;
esac
mkdir -p "$GUEST"

# The selected tests' names, in order.
select_tests() {
	local f n p patterns=()

	IFS=, read -ra patterns <<< "$tests"
	for f in "$suite_dir"/*.sh; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .sh)
		[ -n "$tests" ] || { echo "$n"; continue; }
		for p in "${patterns[@]}"; do
			# shellcheck disable=SC2053 # a glob on purpose
			if [[ "$n" == $p ]]; then
				echo "$n"
				break
			fi
		done
	done
}

# A test that needs its own guest says how in a line of its own:
#	# guest-args: --ssdt hid -D 'PVBUS_RESERVED_RANGES='
# (guest.sh options, shell quoting).  A test that needs an NVMe disk says
# how big, in a line of its own (truncate's sizes):
#	# guest-disk: 64M
# and gets a fresh raw image of zeroes, $GUEST/NAME.disk, as --disk.  The
# tests without such lines share one boot; each distinct pair of lines gets
# a boot of its own, named after its first test, and the results add up.
run_groups() {
	local -A members=()
	local keys=() n a d key list gname out rc line p f s img
	local total_p=0 total_f=0 total_s=0

	mapfile -t selected < <(select_tests)
	[ ${#selected[@]} -gt 0 ] || die "no test in $suite_dir matches '$tests'"
	for n in "${selected[@]}"; do
		a=$(sed -n 's/^# guest-args:[[:blank:]]*//p' "$suite_dir/$n.sh" | head -n 1)
		d=$(sed -n 's/^# guest-disk:[[:blank:]]*//p' "$suite_dir/$n.sh" | head -n 1)
		[ -z "$d" ] || [[ "$d" =~ ^[0-9]+[KMG]?$ ]] || die "$n.sh: bad guest-disk '$d'"
		key="k:$d:$a"
		[ -n "${members[$key]:-}" ] || keys+=("$key")
		members[$key]="${members[$key]:-},$n"
	done
	# One boot with no extra arguments: no groups.
	[ ${#keys[@]} -eq 1 ] && [ "${keys[0]}" = "k::" ] && return 0

	for key in "${keys[@]}"; do
		a=${key#k:}
		d=${a%%:*}
		a=${a#*:}
		list=${members[$key]#,}
		gname=default
		[ -z "$a$d" ] || gname=${list%%,*}
		local gargs=()
		# The project's own test files: eval for their quoting.
		eval "gargs=($a)"
		if [ -n "$d" ]; then
			img=$GUEST/$name-$gname.disk
			rm -f "$img"
			truncate -s "$d" "$img"
			gargs+=(--disk "$img")
		fi
		echo "# guest: boot '$gname': $list${a:+ (guest-args: $a)}${d:+ (guest-disk: $d)}"
		out=$GUEST/$name-$gname.out
		rc=0
		"$0" "${orig_args[@]}" --group "$gname" -n "$name-$gname" -t "$list" \
			"${gargs[@]}" | tee "$out" || rc=$?
		line=$(grep -E "^# group $gname: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1 || true)
		if [ -z "$line" ]; then
			total_f=$((total_f + 1))
			continue
		fi
		read -r p f s < <(echo "$line" |
			sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/')
		total_p=$((total_p + p))
		total_f=$((total_f + f))
		total_s=$((total_s + ${s:-0}))
		[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || total_f=$((total_f + 1))
	done
	line="guest-test: $total_p passed, $total_f failed"
	[ "$total_s" -eq 0 ] || line="$line, $total_s skipped"
	echo "$line"
	[ "$total_f" -eq 0 ]
	exit
}

if [ "$mode" = test ] && [ -z "$group" ] && [ -z "$boot_files" ]; then
	run_groups
fi

for tool in qemu-system-x86_64 iasl cpio depmod modprobe modinfo apt-get dpkg-deb; do
	command -v "$tool" > /dev/null ||
		die "$tool is missing: run 'make deps' (tools/testing/pvbus/packages.txt)"
done
[ -x /bin/busybox ] || die "/bin/busybox is missing: run 'make deps'"

if [ -z "$KDIR" ] || [ ! -f "$KDIR/include/generated/utsrelease.h" ]; then
	die "no kernel headers (KDIR='$KDIR'): run 'make deps' or set KDIR="
fi
abi=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h")
[ -n "$abi" ] || die "cannot read the kernel release of $KDIR"

# One build of the caches at a time; runs themselves may overlap.
exec 9> "$GUEST/.lock"
flock 9

# ---------------------------------------------------------------------------
# The guest kernel: the Debian image of exactly the headers' ABI, unpacked
# privately (never the host's /boot).  GUEST_KERNEL_ROOT= may name a tree
# with boot/vmlinuz-<abi> and lib/modules/<abi> instead.

# The stamp, $GUEST/kernel/<abi>.stamp: package, version, the .deb kept
# beside it, and the number of files in the tree.  'make clean' deletes
# every *.ko and modules.order under the project, $BUILD included; a tree
# that lost files is unpacked again from the kept .deb.
fetch_kernel() {
	local kroot=$1 stamp=$GUEST/kernel/$abi.stamp want tmp pkg spec got='' deb=''
	local s_ver s_deb s_count

	# The headers' package version; empty when KDIR is not from a package.
	want=$(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2>/dev/null || true)
	if [ -f "$stamp" ]; then
		read -r _ s_ver s_deb s_count < "$stamp"
		if [ -z "$want" ] || [ "$s_ver" = "$want" ]; then
			[ "$(find "$kroot" -type f 2> /dev/null | wc -l)" = "$s_count" ] && return 0
			if [ -f "$GUEST/kernel/$s_deb" ]; then
				echo "guest: $kroot lost files ('make clean'?): unpacking it again"
				deb=$GUEST/kernel/$s_deb
			fi
		fi
	fi

	mkdir -p "$GUEST/kernel"
	tmp=$(mktemp -d "$GUEST/kernel/.fetch.XXXXXX")
	# shellcheck disable=SC2064 # expand now
	trap "rm -rf '$tmp'" EXIT
	if [ -z "$deb" ]; then
		local apt=(apt-get download -q)
		[ "$(id -u)" -ne 0 ] || apt+=(-o APT::Sandbox::User=root)
		for attempt in 1 2; do
			for pkg in "linux-image-$abi-unsigned" "linux-image-$abi"; do
				for spec in ${want:+"$pkg=$want"} "$pkg"; do
					echo "guest: fetching $spec"
					if (cd "$tmp" && "${apt[@]}" "$spec" > "$tmp/apt.log" 2>&1); then
						got=$spec
						break 3
					fi
				done
			done
			# Stale package lists are the usual reason; refresh them once.
			if [ "$attempt" -ne 1 ] || [ "$(id -u)" -ne 0 ]; then
				break
			fi
			echo "guest: apt-get update"
			apt-get update -qq || true
		done
		if [ -z "$got" ]; then
			cat "$tmp/apt.log" >&2
			die "cannot download linux-image-$abi(-unsigned): 'apt-get update' and retry"
		fi
		[ -z "$want" ] || [ "$got" = "${got%=*}=$want" ] ||
			echo "guest: warning: $got is not version $want of the headers"
		# Keep only this .deb.
		find "$GUEST/kernel" -maxdepth 1 -name '*.deb' -delete
		deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)
		mv "$deb" "$GUEST/kernel/"
		deb=$GUEST/kernel/$(basename "$deb")
	fi

	echo "guest: unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp/root"
	[ -f "$tmp/root/boot/vmlinuz-$abi" ] || die "no vmlinuz-$abi in $(basename "$deb")"
	# The package does not ship modules.dep (postinst makes it).
	depmod -b "$tmp/root" "$abi"
	rm -rf "$kroot"
	mv "$tmp/root" "$kroot"
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" \
		"$(basename "$deb") $(find "$kroot" -type f | wc -l)" > "$stamp"
	rm -rf "$tmp"
	trap - EXIT
	# Drop kernels of other ABIs.
	find "$GUEST/kernel" -mindepth 1 -maxdepth 1 -type d ! -name "$abi" -exec rm -rf {} +
	find "$GUEST/kernel" -maxdepth 1 -name '*.stamp' ! -name "$abi.stamp" -delete
}

if [ -n "${GUEST_KERNEL_ROOT:-}" ]; then
	kroot=$GUEST_KERNEL_ROOT
else
	kroot=$GUEST/kernel/$abi
	fetch_kernel "$kroot"
fi
vmlinuz=$kroot/boot/vmlinuz-$abi
if [ ! -f "$vmlinuz" ] || [ ! -d "$kroot/lib/modules/$abi" ]; then
	die "$kroot has no boot/vmlinuz-$abi or lib/modules/$abi"
fi

# ---------------------------------------------------------------------------
# The initramfs.

mapfile -t project_kos < <(find "$ROOT/drivers" -name '*.ko' | LC_ALL=C sort)
[ ${#project_kos[@]} -gt 0 ] || die "no modules under $ROOT/drivers: run 'make' first"
project_names=()
for ko in "${project_kos[@]}"; do
	magic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$magic" = "$abi" ] ||
		die "${ko#"$ROOT"/} is built for '$magic', the guest kernel is $abi: run 'make'"
	n=$(basename "$ko" .ko)
	project_names+=("${n//-/_}")
done

is_project() {
	local n
	for n in "${project_names[@]}"; do
		[ "$n" = "${1//-/_}" ] && return 0
	done
	return 1
}

# Debian modules: modules.txt, and what the project's modules depend on.
debian_mods=()
while read -r m _; do
	case "$m" in ''|'#'*) continue ;; esac
	debian_mods+=("$m")
done < "$here/modules.txt"
for ko in "${project_kos[@]}"; do
	IFS=, read -ra deps <<< "$(modinfo -F depends "$ko")"
	for m in "${deps[@]}"; do
		[ -z "$m" ] || is_project "$m" || debian_mods+=("$m")
	done
done

# Programs from the host, with the libraries they load: kexec for the
# kdump cycles, makedumpfile for the kdump matrix.  kexec_files is empty
# without kexec; makedumpfile is optional.
kexec_files=()
tool_files=()
if command -v kexec > /dev/null; then
	kexec_bin=$(command -v kexec)
	kexec_files=("$kexec_bin")
	mapfile -t -O 1 kexec_files < <(ldd "$kexec_bin" | grep -o '/[^ ]*')
fi
if command -v makedumpfile > /dev/null; then
	tool_files=("$(command -v makedumpfile)")
	mapfile -t -O 1 tool_files < <(ldd "${tool_files[0]}" | grep -o '/[^ ]*')
fi
tool_files=("${kexec_files[@]}" "${tool_files[@]}")

inputs_hash() {
	local dirs=() d

	for d in tests soak/guest demo lib kdump/guest; do
		[ ! -d "$here/$d" ] || dirs+=("$here/$d")
	done
	{
		echo "$abi ${debian_mods[*]}"
		cat "$GUEST/kernel/$abi.stamp" 2> /dev/null || true
		find "${dirs[@]}" -type f 2> /dev/null |
			LC_ALL=C sort
		sha256sum /bin/busybox "${tool_files[@]}" "${project_kos[@]}" \
			"$here/guest.sh" "$here/init.sh" "$here/modules.txt"
		find "${dirs[@]}" -type f \
			-exec sha256sum {} + 2> /dev/null | LC_ALL=C sort
	} | sha256sum | cut -d' ' -f1
}

# newc entry: NAME MODE(octal) RDEVMAJOR RDEVMINOR INO.  For the nodes the
# kernel needs before /init mounts devtmpfs (/dev/console), without root.
newc() {
	local namesize=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$5" "$((8#$2))" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
	printf '%s\0' "$1"
	head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}

# The archive in front of the initramfs: /dev/console for the kernel.
initramfs_nodes() {
	newc dev 040755 0 0 1
	newc dev/console 020600 5 1 2
	newc 'TRAILER!!!' 0 0 0 0
}

build_initramfs() {
	local stage=$GUEST/initramfs.d cpio=$1 m path rel f app

	echo "guest: building the initramfs"
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root} \
		"$stage"/{tests,soak,demo,kdump,usr/share/pvbus} "$stage/lib/modules/$abi/extra"

	cp /bin/busybox "$stage/bin/busybox"
	while read -r app; do
		[ -e "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
	done < <("$stage/bin/busybox" --list-full)
	for f in "${tool_files[@]}"; do
		mkdir -p "$stage/$(dirname "$f")"
		cp -L "$f" "$stage/$f"
	done

	install -m 0755 "$here/init.sh" "$stage/init"
	for f in "$here"/lib/guest/*.sh; do
		cp "$f" "$stage/usr/share/pvbus/"
	done
	for f in "$here"/tests/*.sh; do
		[ -f "$f" ] && install -m 0755 "$f" "$stage/tests/"
	done
	for f in "$here"/soak/guest/*.sh; do
		[ -f "$f" ] && install -m 0755 "$f" "$stage/soak/"
	done
	for f in "$here"/demo/*.sh; do
		[ -f "$f" ] && install -m 0755 "$f" "$stage/demo/"
	done
	# The guest side of the kdump matrix (kdump/run.sh).
	for f in "$here"/kdump/guest/*.sh; do
		[ -f "$f" ] && install -m 0755 "$f" "$stage/kdump/"
	done

	# The project's modules keep their place under drivers/.
	for f in "${project_kos[@]}"; do
		rel=${f#"$ROOT"/drivers/}
		mkdir -p "$stage/lib/modules/$abi/extra/$(dirname "$rel")"
		cp "$f" "$stage/lib/modules/$abi/extra/$rel"
	done
	# Debian modules with their dependencies, from the private tree.
	for m in "${debian_mods[@]}"; do
		modprobe -d "$kroot" -S "$abi" --show-depends "$m" ||
			die "the Debian kernel has no module '$m'"
	done | awk '$1 == "insmod" { print $2 }' | LC_ALL=C sort -u | while read -r path; do
		rel=${path#"$kroot"/}
		mkdir -p "$stage/$(dirname "$rel")"
		cp "$path" "$stage/$rel"
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$kroot/lib/modules/$abi/$f" "$stage/lib/modules/$abi/"
	done
	depmod -b "$stage" "$abi"

	{
		initramfs_nodes
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --quiet)
	} > "$cpio.tmp"
	mv "$cpio.tmp" "$cpio"
	rm -rf "$stage"
}

initramfs=$GUEST/initramfs.cpio
hash=$(inputs_hash)
if [ ! -f "$initramfs" ] || [ "$(cat "$GUEST/initramfs.hash" 2> /dev/null)" != "$hash" ]; then
	build_initramfs "$initramfs"
	echo "$hash" > "$GUEST/initramfs.hash"
fi

# ---------------------------------------------------------------------------
# The machine.  QEMU builds the DSDT from it, its devices and its serial
# ports, so every mode has the same three serial ports.

read -ra extra <<< "$qemu_args"
machine=(-accel tcg -m 1G -vga std -display none -no-reboot -nic none
	-global i440FX-pcihost.pci-hole64-size=64G)

# --disk: the NVMe is part of the machine (QEMU's DSDT describes its slot),
# its image is not: each run has its own (two QEMUs cannot share one).
# shellcheck disable=SC2054 # commas of QEMU options
disk_dev=(-device nvme,drive=pvbus-d0,serial=pvbus0,addr=04.0)
disk_args=()
if [ -n "$disk" ]; then
	[[ "$disk" != *,* ]] || die "the disk image's path may not contain a comma: $disk"
	disk_args=(-drive "file=$disk,if=none,id=pvbus-d0,format=raw" "${disk_dev[@]}")
else
	disk_dev=()
fi

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
	if ! timeout -k 5 60 qemu-system-x86_64 "${machine[@]}" "${probe_disk[@]}" \
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

dsdt_cpio=
if [ "$ssdt" != none ] && [ "$dsdt_rev2" -eq 1 ]; then
	dsdt_upgrade
fi

# --boot-files: what a root file system's /boot needs to load this guest's
# kernel with kexec, and the initramfs's files (kdump/mkroot.sh), copied
# under the lock.
if [ -n "$boot_files" ]; then
	mkdir -p "$boot_files"
	cp "$vmlinuz" "$boot_files/vmlinuz"
	{
		[ -z "$dsdt_cpio" ] || cat "$dsdt_cpio"
		cat "$initramfs"
	} > "$boot_files/initrd.img"
	# The initramfs's files as one archive, without the device nodes.
	tail -c +$(($(initramfs_nodes | wc -c) + 1)) "$initramfs" > "$boot_files/initramfs.cpio"
	echo "$abi" > "$boot_files/abi"
	exit 0
fi
flock -u 9

# ---------------------------------------------------------------------------
# Per run: the SSDT, the demo script, the QEMU command line.

log=$GUEST/$name.log
tap=$GUEST/$name.tap
dmesg=$GUEST/$name.dmesg
qemu_err=$GUEST/$name.qemu.err
rm -f "$log" "$tap" "$dmesg" "$qemu_err" "$GUEST/$name"-ssdt.* "$GUEST/$name".initrd

aml=
ssdt_tag=$ssdt
case "$ssdt" in
none)	template= ;;
prp)	template=$here/ssdt/pvbus.asl ;;
hid)	template=$here/ssdt/pvbus.asl; defines=(PVBUS_OWN_HID "${defines[@]}") ;;
*/*|*.asl) template=$(realpath "$ssdt"); ssdt_tag=$(basename "$ssdt" .asl) ;;
*)	template=$here/ssdt/$ssdt.asl ;;
esac
if [ -n "$template" ]; then
	[ -f "$template" ] || die "no SSDT template $template"
	# iasl takes a file as ASL only when it holds a DefinitionBlock, so
	# the #defines go in front of a copy, not into a wrapper.
	source_asl=$GUEST/$name-ssdt.asl
	{
		echo "/* Generated by guest.sh for the run '$name' from $template */"
		for d in "${defines[@]}"; do
			[[ "$d" =~ ^[A-Za-z_][A-Za-z0-9_]*(=.*)?$ ]] || die "bad define '$d'"
			if [[ "$d" == *=* ]]; then
				echo "#define ${d%%=*} ${d#*=}"
			else
				echo "#define $d"
			fi
		done
		cat "$template"
	} > "$source_asl"
	if ! iasl -vs -I "$(dirname "$template")" -p "$GUEST/$name-ssdt" "$source_asl" \
		> "$GUEST/$name-ssdt.out" 2>&1; then
		cat "$GUEST/$name-ssdt.out" >&2
		die "iasl failed on $template"
	fi
	aml=$GUEST/$name-ssdt.aml
	[ -f "$aml" ] || die "iasl made no $aml"
elif [ ${#defines[@]} -gt 0 ]; then
	die "-D needs an SSDT"
fi

# The initrd: the DSDT upgrade first (it must be at the start), the
# initramfs, a demo script from the host as /demo/<name>.sh, and for a
# kdump cycle what the guest loads with kexec -p.
overlay=
if [ "$mode" = demo ] && [ -f "$demo" ]; then
	overlay=$(mktemp -d)
	mkdir "$overlay/demo"
	install -m 0755 "$demo" "$overlay/demo/$(basename "$demo" .sh).sh"
	demo=$(basename "$demo" .sh)
elif [ "$mode" = demo ] && [ ! -f "$here/demo/$demo.sh" ]; then
	die "no demo script $here/demo/$demo.sh"
fi

# shell_quote WORDS: one word for sh, in single quotes.
shell_quote() {
	local q="'\\''"

	printf "'%s'" "${1//\'/$q}"
}

# A kdump cycle: the kdump kernel is the same kernel with the same initrd
# (the DSDT upgrade and the initramfs: the kdump kernel reads QEMU's
# revision 1 DSDT again), put in as files, /boot/vmlinuz and
# /boot/initrd.img, with /etc/pvbus-kdump.conf telling /init how to load
# them.  These are a cpio of their own after the initramfs: the first
# kernel gets them, the kdump kernel does not.
if [ "$mode" = kdump ]; then
	[ ${#kexec_files[@]} -gt 0 ] ||
		die "--kdump-cell needs kexec: run 'make deps' (kexec-tools)"
	[ -n "$disk" ] || die "--kdump-cell needs --disk"
	[ "$kdump_role" != first ] || [[ " $append " == *" crashkernel="* ]] ||
		append="$append crashkernel=256M"
fi
kdump_dir=
if [ "$kdump" -eq 1 ]; then
	[ ${#kexec_files[@]} -gt 0 ] ||
		die "--kdump needs kexec: run 'make deps' (kexec-tools)"
	[[ " $append " == *" crashkernel="* ]] || append="$append crashkernel=256M"
	kdump_dir=$(mktemp -d)
	mkdir "$kdump_dir/boot" "$kdump_dir/etc"
	cp "$vmlinuz" "$kdump_dir/boot/vmlinuz"
	{
		[ -z "$dsdt_cpio" ] || cat "$dsdt_cpio"
		cat "$initramfs"
	} > "$kdump_dir/boot/initrd.img"
	read -ra words <<< "$kexec_args"
	kexec_args="${words[*]}"
	read -ra words <<< "$kdump_append"
	kdump_append="${words[*]}"
	{
		echo "# Generated by guest.sh for the run '$name'"
		echo "KEXEC_ARGS=$(shell_quote "$kexec_args")"
		echo "KDUMP_APPEND=$(shell_quote "$kdump_append")"
	} > "$kdump_dir/etc/pvbus-kdump.conf"
fi

initrd=$initramfs
if [ -n "$dsdt_cpio" ] || [ -n "$overlay" ] || [ -n "$kdump_dir" ]; then
	initrd=$GUEST/$name.initrd
	{
		[ -z "$dsdt_cpio" ] || cat "$dsdt_cpio"
		cat "$initramfs"
		[ -z "$overlay" ] ||
			(cd "$overlay" && find demo | cpio -o -H newc -R 0:0 --quiet)
		[ -z "$kdump_dir" ] ||
			(cd "$kdump_dir" && find boot etc | LC_ALL=C sort |
				cpio -o -H newc -R 0:0 --quiet)
	} > "$initrd"
	[ -z "$overlay" ] || rm -rf "$overlay"
	[ -z "$kdump_dir" ] || rm -rf "$kdump_dir"
fi

cmdline="console=ttyS0 quiet panic=-1"
case "$vga" in
''|none) ;;
*) cmdline="$cmdline vga=$vga" ;;
esac
cmdline="$cmdline pvbus_guest_mode=$mode pvbus_guest_ssdt=$ssdt_tag"
[ "$mode" != demo ] || cmdline="$cmdline pvbus_guest_demo=$demo"
[ "$mode" != kdump ] || cmdline="$cmdline pvbus_kd_boot=$kdump_role"
[ -z "$tests" ] || cmdline="$cmdline pvbus_guest_tests=$tests"
[ "$suite" = tests ] || cmdline="$cmdline pvbus_guest_suite=$suite"
read -ra words <<< "$append"
append="${words[*]}"
[ -z "$append" ] || cmdline="$cmdline $append"

qemu=(qemu-system-x86_64 "${machine[@]}"
	-kernel "$vmlinuz" -initrd "$initrd" -append "$cmdline")
[ -z "$aml" ] || qemu+=(-acpitable "file=$aml")
if [ "$mode" = shell ]; then
	qemu+=(-serial mon:stdio -serial null -serial null)
else
	qemu+=(-serial stdio -serial "file:$tap" -serial "file:$dmesg")
fi
qemu+=("${disk_args[@]}" "${extra[@]}")

if [ "$dry_run" -eq 1 ]; then
	printf '%q ' "${qemu[@]}"
	echo
	exit 0
fi

if [ "$mode" = shell ]; then
	echo "guest: shell; 'poweroff -f' or exit ends it, Ctrl-A x kills QEMU"
	exec "${qemu[@]}"
fi

# ---------------------------------------------------------------------------
# Run, following the KTAP (or the console), then judge.

start=$(date +%s%N)
: > "$log"
: > "$tap"
timeout -k 5 "$timeout" "${qemu[@]}" < /dev/null > "$log" 2> "$qemu_err" &
qpid=$!
# shellcheck disable=SC2064 # expand now
trap "kill $qpid 2> /dev/null || true" EXIT
# shellcheck disable=SC2064
trap "kill $qpid 2> /dev/null; echo 'guest: interrupted' >&2; exit 130" INT TERM
if [ "$mode" = demo ] || [ "$verbose" -eq 1 ]; then
	follow=$log
else
	follow=$tap
fi
# Line-buffered: the output may be a pipe (tee, make check).
tail -s 0.2 -n +1 -f --pid="$qpid" "$follow" | stdbuf -oL tr -d '\r' || true
rc=0
wait "$qpid" || rc=$?
trap - EXIT INT TERM
end=$(date +%s%N)
secs=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
sed -i 's/\r$//' "$log" "$tap" "$dmesg" 2> /dev/null || true

problems=()
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	problems+=("timeout: the guest did not power off within ${timeout}s")
elif [ "$rc" -ne 0 ]; then
	problems+=("qemu exited with status $rc: $(head -c 2000 "$qemu_err")")
fi
# A kdump cycle panics the first kernel on purpose, once.
panics=$(grep 'Kernel panic - not syncing' "$log" || true)
if { [ "$kdump" -eq 1 ] && [ "$mode" = test ]; } || [ "$kdump_role" = first ]; then
	panics=$(echo "$panics" | sed '1{/sysrq triggered crash/d}')
fi
if [ -n "$panics" ]; then
	problems+=("kernel panic: $(echo "$panics" | head -n 1)")
fi

# Leaves are the subtests' results, and top-level results without a
# subtest.  A failed subtest without a failed leaf (no plan, a crash) adds
# one failure.
read -r passed failed skipped plan ran broken finished < <(awk '
	function leaf(line) {
		if (line ~ /# *[Ss][Kk][Ii][Pp]/) skip++
		else if (line ~ /^ *not ok/) fail++
		else pass++
	}
	/^1\.\.[0-9]+/ && plan == "" { plan = substr($1, 4) + 0; next }
	/^    # Subtest: / { insub = 1; subfail = 0; leaves = 0; next }
	/^    (not )?ok [0-9]+/ { leaf($0); leaves++; if ($1 == "not") subfail++; next }
	/^(not )?ok [0-9]+/ {
		ran++
		if (!insub) leaf($0)
		else if ($1 == "not" && subfail == 0) broken++
		else if (leaves == 0 && $0 ~ /# *[Ss][Kk][Ii][Pp]/) skip++
		insub = 0
		next
	}
	/^# pvbus-guest: done/ { done = 1 }
	END {
		print pass + 0, fail + 0, skip + 0, (plan == "" ? "-" : plan), ran + 0,
			broken + 0, done + 0
	}' "$tap")

if [ "$plan" = - ]; then
	problems+=("no KTAP plan from the guest")
elif [ "$ran" -lt "$plan" ]; then
	problems+=("the guest stopped after $ran of $plan tests")
fi
[ "$finished" -eq 1 ] || [ ${#problems[@]} -gt 0 ] || problems+=("the guest did not finish")
[ $((passed + failed + broken)) -gt 0 ] || [ ${#problems[@]} -gt 0 ] ||
	problems+=("no test ran")

for p in "${problems[@]}"; do
	echo "# guest: $p"
done
if [ ${#problems[@]} -gt 0 ] && [ "$follow" != "$log" ]; then
	echo "# guest: last lines of the console ($log):"
	tail -n 25 "$log" | sed 's/^/#   /'
fi
echo "# guest: $name took ${secs}s; logs: $log, $tap, $dmesg"

failed=$((failed + broken + ${#problems[@]}))
if [ "$mode" = demo ]; then
	if [ "$failed" -eq 0 ]; then
		echo "demo: ok"
	else
		echo "demo: failed"
	fi
else
	line="$passed passed, $failed failed"
	[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
	if [ -n "$group" ]; then
		echo "# group $group: $line"
	elif [ "$mode" = kdump ]; then
		# One run of a cell: kdump/run.sh counts the cells.
		echo "# kdump-cell $kdump_role: $line"
	else
		echo "guest-test: $line"
	fi
fi
[ "$failed" -eq 0 ]
