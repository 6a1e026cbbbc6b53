# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # the globals of lib/*.sh
#
# One boot of the guest: the machine, the initrd, the kernel command line,
# QEMU run with the guest's three serial ports (ttyS0 the console, ttyS1
# the KTAP stream, ttyS2 the dmesg at the end), followed and judged.
#
# An arm64 guest (PVBUS_ARCH) is QEMU's virt machine under TCG with UEFI
# (qemu-efi-aarch64) and ramfb, so that efifb has a real framebuffer; it
# boots with ACPI.  Its interrupt controller is GICv2 with GICv2m for MSI,
# or with GIC=3 in the environment (make guest-test ARCH=arm64 GIC=3)
# GICv3 with an ITS.  Its console is the PL011 (ttyAMA0); virt has no second
# UART, so the KTAP stream and the dmesg go to two PCI 16550s, ttyS1 and
# ttyS2 as on x86 (the first PCI 16550, ttyS0, is not connected).
# Needs lib/common.sh, lib/kernel.sh (vmlinuz), lib/initramfs.sh
# (initramfs) and lib/ktap.sh.
#
#	qemu_machine DISK QEMU_ARGS	machine, disk_dev, disk_args, extra
#	guest_initrd FILE [DIR NAMES]...
#					FILE: the DSDT upgrade, the initramfs,
#					and a cpio of NAMES under each DIR
#	qemu_command NAME INITRD CMDLINE AML SERIAL
#					qemu: the command line; SERIAL 'files'
#					or 'shell'
#	qemu_boot NAME TIMEOUT FOLLOW	run it, show FOLLOW (tap or log);
#					sets qemu_rc, secs
#	boot_judge NAME PANICS [SCRIPTS]
#					problems, passed, failed, skipped:
#					PANICS is how many sysrq panics are
#					expected (a kdump cycle: 1), SCRIPTS
#					how many test scripts were selected

# The console device of the kernel command line.
qemu_console() {
	if [ "$PVBUS_ARCH" = arm64 ]; then
		echo ttyAMA0
	else
		echo ttyS0
	fi
}

qemu_bin() {
	if [ "$PVBUS_ARCH" = arm64 ]; then
		echo qemu-system-aarch64
	else
		echo qemu-system-x86_64
	fi
}

qemu_machine() {
	local disk=$1 virt

	read -ra extra <<< "$2"
	if [ "$PVBUS_ARCH" = arm64 ]; then
		case "${GIC:-2}" in
		2)	virt=virt ;;
		3)	virt=virt,gic-version=3,its=on ;;
		*)	die "GIC=$GIC: the arm64 guest's GIC is 2 (GICv2m) or 3 (ITS)" ;;
		esac
		machine=(-accel tcg -machine "$virt" -cpu cortex-a57 -m 1G
			-bios "$PVBUS_ARM64_EFI" -device ramfb -display none
			-no-reboot -nic none)
		# The DT firmware (lib/dt.sh): no ACPI tables.
		[ "${fw:-acpi}" != dt ] || machine+=(-machine acpi=off)
	else
		machine=(-accel tcg -m 1G -vga std -display none -no-reboot -nic none
			-global i440FX-pcihost.pci-hole64-size=64G)
	fi
	# The NVMe is part of the machine (QEMU's DSDT describes its slot), its
	# image is not: each run has its own (two QEMUs cannot share one).
	# shellcheck disable=SC2054 # commas of QEMU options
	disk_dev=(-device "nvme,drive=pvbus-d0,serial=$PVBUS_NVME_SERIAL,addr=04.0")
	disk_args=()
	if [ -n "$disk" ]; then
		[[ "$disk" != *,* ]] || die "the disk image's path may not contain a comma: $disk"
		disk_args=(-drive "file=$disk,if=none,id=pvbus-d0,format=raw" "${disk_dev[@]}")
	else
		disk_dev=()
	fi
}

guest_initrd() {
	local out=$1

	shift
	{
		[ -z "${dsdt_cpio:-}" ] || cat "$dsdt_cpio"
		[ -z "${ssdt_cpio:-}" ] || cat "$ssdt_cpio"
		cat "$initramfs"
		while [ $# -ge 2 ]; do
			# shellcheck disable=SC2086 # NAMES split on purpose
			cpio_dir "$1" $2
			shift 2
		done
	} > "$out"
}

qemu_command() {
	local name=$1

	qemu=("$(qemu_bin)" "${machine[@]}" -kernel "$vmlinuz" -initrd "$2" -append "$3")
	# arm64: the SSDT is in the initrd (guest_initrd, ssdt_cpio).
	[ -z "$4" ] || [ "$PVBUS_ARCH" = arm64 ] || qemu+=(-acpitable "file=$4")
	if [ "$PVBUS_ARCH" = arm64 ]; then
		# shellcheck disable=SC2054 # commas of QEMU options
		if [ "$5" = shell ]; then
			qemu+=(-serial mon:stdio -chardev null,id=pvs1 -chardev null,id=pvs2)
		else
			qemu+=(-serial stdio -chardev "file,id=pvs1,path=$GUEST/$name.tap"
				-chardev "file,id=pvs2,path=$GUEST/$name.dmesg")
		fi
		# shellcheck disable=SC2054
		qemu+=(-chardev null,id=pvs0 -device pci-serial,chardev=pvs0,addr=05.0
			-device pci-serial,chardev=pvs1,addr=06.0
			-device pci-serial,chardev=pvs2,addr=07.0)
	elif [ "$5" = shell ]; then
		qemu+=(-serial mon:stdio -serial null -serial null)
	else
		qemu+=(-serial stdio -serial "file:$GUEST/$name.tap"
			-serial "file:$GUEST/$name.dmesg")
	fi
	# The DT firmware's tree (lib/dt.sh).
	[ -z "${dtb:-}" ] || qemu+=(-dtb "$dtb")
	qemu+=("${disk_args[@]}" "${extra[@]}")
}

qemu_boot() {
	local name=$1 timeout=$2 follow=$GUEST/$1.$3 start end qpid

	start=$(date +%s%N)
	: > "$GUEST/$name.log"
	: > "$GUEST/$name.tap"
	timeout -k 5 "$timeout" "${qemu[@]}" < /dev/null > "$GUEST/$name.log" \
		2> "$GUEST/$name.qemu.err" &
	qpid=$!
	# shellcheck disable=SC2064 # expand now
	trap "kill $qpid 2> /dev/null || true" EXIT
	# shellcheck disable=SC2064
	trap "kill $qpid 2> /dev/null; echo 'guest: interrupted' >&2; exit 130" INT TERM
	# Line-buffered: the output may be a pipe (tee, make check).
	tail -s 0.2 -n +1 -f --pid="$qpid" "$follow" | stdbuf -oL tr -d '\r' || true
	qemu_rc=0
	wait "$qpid" || qemu_rc=$?
	trap - EXIT INT TERM
	end=$(date +%s%N)
	secs=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
	sed -i 's/\r$//' "$GUEST/$name".{log,tap,dmesg} 2> /dev/null || true
}

boot_judge() {
	local name=$1 log=$GUEST/$1.log panics plan ran broken finished n bad

	problems=()
	if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
		problems+=("timeout: the guest did not power off within ${timeout}s")
	elif [ "$qemu_rc" -ne 0 ]; then
		problems+=("qemu exited with status $qemu_rc: $(head -c 2000 "$GUEST/$name.qemu.err")")
	fi
	# A kdump cycle panics the first kernel on purpose, once.
	panics=$(grep 'Kernel panic - not syncing' "$log" || true)
	[ "$2" -eq 0 ] || panics=$(echo "$panics" | sed '1{/sysrq triggered crash/d}')
	[ -z "$panics" ] || problems+=("kernel panic: $(echo "$panics" | head -n 1)")

	read -r passed failed skipped plan ran broken finished _ < <(ktap_count "$GUEST/$name.tap")
	if [ "$plan" = - ]; then
		problems+=("no KTAP plan from the guest")
	elif [ "$ran" -lt "$plan" ]; then
		problems+=("the guest stopped after $ran of $plan tests")
	fi
	[ "$finished" -eq 1 ] || [ ${#problems[@]} -gt 0 ] || problems+=("the guest did not finish")
	# The guest's plan counts the scripts it found: check them against
	# the host's selection.
	if [ -n "${3:-}" ]; then
		n=$(sed -n 's/^# pvbus-guest: kernel [^,]*, \([0-9]*\) test script(s).*/\1/p' \
			"$GUEST/$name.tap" | head -n 1)
		[ "$n" = "$3" ] ||
			problems+=("the guest found ${n:-no count of} scripts, not the $3 selected")
	fi
	# The drivers' shutdown runs after the guest's kernel-log check; what
	# the kernel says then is on the console, after init.sh's line.
	bad=$(sed -n '/pvbus-guest: powering off/,$p' "$log" | grep -E "$PVBUS_KLOG_BAD" |
		head -n 3 | paste -sd';' || true)
	[ -z "$bad" ] || problems+=("the kernel complained as it powered off: $bad")
	[ $((passed + failed + broken)) -gt 0 ] || [ ${#problems[@]} -gt 0 ] ||
		problems+=("no test ran")
	failed=$((failed + broken + ${#problems[@]}))
}

# boot_report NAME FOLLOW: what boot_judge found, the console's last lines
# when it was not shown, where the logs are.
boot_report() {
	local name=$1 p

	for p in "${problems[@]}"; do
		echo "# guest: $p"
	done
	if [ ${#problems[@]} -gt 0 ] && [ "$2" != log ]; then
		echo "# guest: last lines of the console ($GUEST/$name.log):"
		tail -n 25 "$GUEST/$name.log" | sed 's/^/#   /'
	fi
	echo "# guest: $name took ${secs}s; logs: $GUEST/$name.log, $GUEST/$name.tap, $GUEST/$name.dmesg"
}
