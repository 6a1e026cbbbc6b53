# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# A guest run from options to verdict, on the other lib/ files: what the
# entry points (guest.sh, demo/run.sh, kdump/run.sh) share.  Sources them.
#
#	boot_defaults		the options' defaults (GUEST_* variables)
#	boot_option ARG...	one option of a guest run; sets nshift, or
#				returns 1 for an option that is not one
#	boot_usage		their help lines
#	guest_prepare		the kernel, the initramfs, the machine and its
#				DSDT upgrade (under a lock)
#	guest_boot_files DIR	what the guest boots, into DIR (kdump/mkroot.sh)
#	guest_boot		one boot in $mode (test, demo, shell, kdump):
#				prints the KTAP (or the console), judges it;
#				sets passed, failed, skipped.  Call it as a
#				command of its own: lib/ runs with set -e

# shellcheck source=SCRIPTDIR/kernel.sh
. "$PVBUS_TESTING/lib/kernel.sh"
# shellcheck source=SCRIPTDIR/initramfs.sh
. "$PVBUS_TESTING/lib/initramfs.sh"
# shellcheck source=SCRIPTDIR/acpi.sh
. "$PVBUS_TESTING/lib/acpi.sh"
# shellcheck source=SCRIPTDIR/dt.sh
. "$PVBUS_TESTING/lib/dt.sh"
# shellcheck source=SCRIPTDIR/qemu.sh
. "$PVBUS_TESTING/lib/qemu.sh"
# shellcheck source=SCRIPTDIR/ktap.sh
. "$PVBUS_TESTING/lib/ktap.sh"

# suite_scripts: the names of guest.sh's scripts ($suite_dir) that $tests
# selects, one a line, in the order the guest runs them.
suite_scripts() {
	local f n

	for f in "$suite_dir"/*.sh; do
		n=$(basename "$f" .sh)
		if [ -f "$f" ] && glob_match "$n" "$tests"; then
			echo "$n"
		fi
	done
}

# boot_selected: how many scripts a test boot selects; nothing for the
# other modes.
boot_selected() {
	[ "$mode" = test ] && [ -n "${suite_dir:-}" ] || return 0
	suite_scripts | wc -l
}

# shellcheck disable=SC2034 # used by the entry points and guest_boot
boot_defaults() {
	tests=${GUEST_TESTS:-}
	suite=tests
	append=${GUEST_APPEND:-}
	qemu_args=${GUEST_QEMU_ARGS:-}
	ssdt=${GUEST_SSDT:-prp}
	fw=${GUEST_FW:-${FW:-acpi}}
	vga=${GUEST_VGA:-0x318}
	timeout=${GUEST_TIMEOUT:-120}
	# UEFI and an emulated arm64 CPU take longer.
	[ "$PVBUS_ARCH" = x86_64 ] || timeout=${GUEST_TIMEOUT:-360}
	defines=()
	name=
	mode='test'
	demo=demo
	verbose=0
	dry_run=0
	dsdt_rev2=${GUEST_DSDT_UPGRADE:-1}
	kdump=0
	kexec_args=
	kdump_append=
	disk=${GUEST_DISK:-}
	kdump_role=
}

boot_option() {
	nshift=2
	case "$1" in
	-a|--append)	need_arg "$1" $#; append="$append $2" ;;
	-q|--qemu)	need_arg "$1" $#; qemu_args="$qemu_args $2" ;;
	-s|--ssdt)	need_arg "$1" $#; ssdt=$2 ;;
	--fw)		need_arg "$1" $#; fw=$2 ;;
	-D|--define)	need_arg "$1" $#; defines+=("$2") ;;
	--vga)		need_arg "$1" $#; vga=$2 ;;
	--timeout)	need_arg "$1" $#; timeout=$2 ;;
	-n|--name)	need_arg "$1" $#; name=$2 ;;
	--disk)		need_arg "$1" $#; disk=$2 ;;
	*)
		nshift=1
		case "$1" in
		-v|--verbose)	verbose=1 ;;
		--dry-run)	dry_run=1 ;;
		--no-dsdt-upgrade) dsdt_rev2=0 ;;
		*)		return 1 ;;
		esac ;;
	esac
}

boot_usage() {
	cat <<EOF
  -a, --append ARGS      extra kernel command line (repeatable)    [\$GUEST_APPEND]
  -q, --qemu ARGS        extra QEMU arguments, split at blanks
                         (repeatable)                              [\$GUEST_QEMU_ARGS]
  -s, --ssdt VARIANT     prp (_HID PRP0001 + compatible, the default),
                         hid (own _HID PVBS0001), none, or an .asl
                         template file (ssdt/NAME.asl or a path)   [\$GUEST_SSDT]
      --fw acpi|dt       how firmware describes the bus root: acpi (the
                         SSDT) or, arm64 only, dt (-machine acpi=off and
                         a device tree: QEMU's own and the pvbus node of
                         dt/pvbus.dtsi, lib/dt.sh)             [\$GUEST_FW, \$FW]
  -D, --define NAME[=VALUE]
                         #define for the SSDT template, or the DT's
                         (repeatable), e.g.
                         -D 'PVBUS_RESERVED_RANGES=0xfe000000, 0x100000'
      --vga MODE         vga= boot parameter, 'none' for none      [\$GUEST_VGA, 0x318]
      --timeout SECONDS  kill the guest after this long            [\$GUEST_TIMEOUT, 120]
  -n, --name NAME        name of the run: logs go to
                         \$BUILD/guest/NAME.{log,tap,dmesg}
  -v, --verbose          show the console log instead of only the KTAP
      --no-dsdt-upgrade  keep QEMU's revision 1 DSDT: ACPI integers are
                         then 32-bit, the SSDT's 64-bit values are
                         truncated                                 [\$GUEST_DSDT_UPGRADE=0]
      --disk FILE        attach FILE (a raw image) as an NVMe disk,
                         serial $PVBUS_NVME_SERIAL, at $PVBUS_NVME_ADDR; its path is not
                         part of the machine's DSDT key                [\$GUEST_DISK]
      --dry-run          build everything, print the QEMU command, stop
EOF
}

# boot_check: the options are sane; sets name's default.
boot_check() {
	local fw_tag=

	[ "$fw" = acpi ] || fw_tag=-$fw
	case "$mode" in
	test)	name=${name:-guest-test$fw_tag} ;;
	*)	name=${name:-$mode} ;;
	esac
	case "$name" in
	*/*|'') die "bad run name '$name'" ;;
	esac
	[[ "$timeout" =~ ^[0-9]+$ ]] || die "bad timeout '$timeout'"
	case "$fw" in
	acpi) ;;
	dt) [ "$PVBUS_ARCH" = arm64 ] || die "--fw dt: only the arm64 guest (ARCH=arm64) has a DT" ;;
	*) die "--fw takes 'acpi' or 'dt', not '$fw'" ;;
	esac
	[ -z "$disk" ] || [ -f "$disk" ] || die "no disk image '$disk'"
}

guest_prepare() {
	need_tools "$(qemu_bin)" iasl cpio depmod modprobe modinfo apt-get dpkg-deb
	[ "$fw" != dt ] || need_tools dtc fdtget cpp
	[ -x /bin/busybox ] || die "/bin/busybox is missing: run 'make deps'"
	[ "$PVBUS_ARCH" != arm64 ] || [ -f "$PVBUS_ARM64_EFI" ] ||
		die "$PVBUS_ARM64_EFI is missing: run 'make deps' (qemu-efi-aarch64)"
	kernel_abi
	mkdir -p "$GUEST"
	# One build of the caches at a time; runs themselves may overlap.
	exec 9> "$GUEST/.lock"
	flock 9
	guest_kernel
	guest_initramfs
	qemu_machine "$disk" "$qemu_args"
	dsdt_cpio=
	if [ "$ssdt" != none ] && [ "$dsdt_rev2" -eq 1 ] && [ "$PVBUS_ARCH" = x86_64 ]; then
		dsdt_upgrade
	fi
	flock -u 9
}

# guest_boot_files DIR: what a root file system's /boot needs to load this
# guest's kernel with kexec, and the initramfs's files (kdump/mkroot.sh),
# copied under the lock.
guest_boot_files() {
	flock 9
	mkdir -p "$1"
	cp "$vmlinuz" "$1/vmlinuz"
	guest_initrd "$1/initrd.img"
	# The initramfs's files as one archive, without the device nodes.
	tail -c +$(($(initramfs_nodes | wc -c) + 1)) "$initramfs" > "$1/initramfs.cpio"
	echo "$abi" > "$1/abi"
	flock -u 9
}

# shell_quote WORD: one word for sh, in single quotes.
shell_quote() {
	local q="'\\''"

	printf "'%s'" "${1//\'/$q}"
}

# kdump_files DIR: for a kdump cycle (--kdump), the kernel and the initrd
# the guest loads with kexec -p (the same kernel and initrd: the kdump
# kernel reads QEMU's revision 1 DSDT again), as /boot/vmlinuz and
# /boot/initrd.img, and /etc/pvbus-kdump.conf telling /init how to load
# them, in DIR.  They go in a cpio after the initramfs: the first kernel
# gets them, the kdump kernel does not.
kdump_files() {
	local words=()

	mkdir "$1/boot" "$1/etc"
	cp "$vmlinuz" "$1/boot/vmlinuz"
	guest_initrd "$1/boot/initrd.img"
	read -ra words <<< "$kexec_args"
	kexec_args="${words[*]}"
	read -ra words <<< "$kdump_append"
	kdump_append="${words[*]}"
	{
		echo "# Generated by guest.sh for the run '$name'"
		echo "KEXEC_ARGS=$(shell_quote "$kexec_args")"
		echo "KDUMP_APPEND=$(shell_quote "$kdump_append")"
	} > "$1/etc/pvbus-kdump.conf"
}

guest_boot() {
	local initrd=$initramfs overlay='' kdump_dir='' cmdline words=() follow=tap panics=0

	rm -f "$GUEST/$name".{log,tap,dmesg,qemu.err,initrd,dts,dtb} "$GUEST/$name"-ssdt.*
	dtb=
	if [ "$fw" = dt ]; then
		# The tests see pvbus_guest_ssdt=dt: no SSDT, a DT bus root.
		dt_build "$name" "${defines[@]}"
		aml='' ssdt_cpio='' ssdt_tag=dt
	else
		ssdt_build "$name" "$ssdt" "${defines[@]}"
	fi

	# A demo script from the host goes in as /demo/<name>.sh.  What goes
	# into the initrd is staged under $GUEST, not in /tmp: a boot that
	# fails or is interrupted before it is removed leaves it there, where
	# the next boot of that name starts it afresh.
	if [ "$mode" = demo ] && [ -f "$demo" ]; then
		overlay=$GUEST/$name.overlay
		rm -rf "$overlay"
		mkdir -p "$overlay/demo"
		install -m 0755 "$demo" "$overlay/demo/$(basename "$demo" .sh).sh"
		demo=$(basename "$demo" .sh)
	elif [ "$mode" = demo ] && [ ! -f "$PVBUS_TESTING/demo/guest/$demo.sh" ]; then
		die "no demo script $PVBUS_TESTING/demo/guest/$demo.sh"
	fi
	if [ "$mode" = kdump ]; then
		[ ${#kexec_files[@]} -gt 0 ] ||
			die "a kdump matrix cell needs kexec: run 'make deps' (kexec-tools)"
		[ -n "$disk" ] || die "a kdump matrix cell needs a disk"
		[ "$kdump_role" != first ] || [[ " $append " == *" crashkernel="* ]] ||
			append="$append crashkernel=256M"
		[ "$kdump_role" != first ] || panics=1
	fi
	if [ "$kdump" -eq 1 ]; then
		[ ${#kexec_files[@]} -gt 0 ] ||
			die "--kdump needs kexec: run 'make deps' (kexec-tools)"
		[[ " $append " == *" crashkernel="* ]] || append="$append crashkernel=256M"
		kdump_dir=$GUEST/$name.kdump
		rm -rf "$kdump_dir"
		mkdir -p "$kdump_dir"
		kdump_files "$kdump_dir"
		panics=1
	fi
	if [ -n "$dsdt_cpio$ssdt_cpio" ] || [ -n "$overlay" ] || [ -n "$kdump_dir" ]; then
		initrd=$GUEST/$name.initrd
		guest_initrd "$initrd" ${overlay:+"$overlay" demo} \
			${kdump_dir:+"$kdump_dir" "boot etc"}
		rm -rf "$overlay" "$kdump_dir"
	fi

	cmdline="console=$(qemu_console) quiet panic=-1"
	# no_timer_check: under TCG on a loaded host the x86 kernel's check of
	# the IO-APIC timer can miss its ticks and panic ("IO-APIC + timer
	# doesn't work!"), seen in the kdump matrix at load 12-15; the distro
	# guest passes it for the same reason.  It tests nothing of pvbus.
	[ "$PVBUS_ARCH" != x86_64 ] || cmdline="$cmdline no_timer_check"
	case "$vga" in
	''|none) ;;
	*) [ "$PVBUS_ARCH" != x86_64 ] || cmdline="$cmdline vga=$vga" ;;
	esac
	cmdline="$cmdline pvbus_guest_mode=$mode pvbus_guest_ssdt=$ssdt_tag"
	[ "$mode" != demo ] || cmdline="$cmdline pvbus_guest_demo=$demo"
	# Events a test enables are kernel messages too (tests/80-trace.sh),
	# and a test's boot (70-hotplug-full's hundreds of hot adds) must not
	# wrap the log the kernel-log check reads (lib/guest/runner.sh).
	[ "$mode" != test ] || cmdline="$cmdline tp_printk log_buf_len=4M"
	[ "$mode" != kdump ] || cmdline="$cmdline pvbus_kd_boot=$kdump_role"
	[ -z "$tests" ] || cmdline="$cmdline pvbus_guest_tests=$tests"
	[ "$suite" = tests ] || cmdline="$cmdline pvbus_guest_suite=$suite"
	read -ra words <<< "$append"
	[ ${#words[@]} -eq 0 ] || cmdline="$cmdline ${words[*]}"

	if [ "$mode" = shell ]; then
		qemu_command "$name" "$initrd" "$cmdline" "$aml" shell
	else
		qemu_command "$name" "$initrd" "$cmdline" "$aml" files
	fi
	if [ "$dry_run" -eq 1 ]; then
		printf '%q ' "${qemu[@]}"
		echo
		exit 0
	fi
	if [ "$mode" = shell ]; then
		echo "guest: shell; 'poweroff -f' or exit ends it, Ctrl-A x kills QEMU"
		exec "${qemu[@]}"
	fi

	[ "$mode" != demo ] && [ "$verbose" -eq 0 ] || follow=log
	qemu_boot "$name" "$timeout" "$follow"
	boot_judge "$name" "$panics" "$(boot_selected)"
	boot_report "$name" "$follow"
}
