# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The boots of a kdump matrix cell (kdump/run.sh), sourced by /init
# (init.sh) with pvbus_guest_mode=kdump; it uses init.sh's emit, run_one,
# kernel_log, dump_dmesg and finish.  One KTAP stream runs through all the
# stages of a guest run:
#
# pvbus_kd_boot=first: the first kernel, then its kdump kernel
#   1 bringup         initramfs: the NVMe through pvbus, root at /newroot;
#                     then switch_root into it, where the root's /init (this
#                     same script) goes on
#   2 first           root: the framebuffer driver, kexec -p
#   3 kernel-log
#   ... sysrq c: the kdump kernel boots with the initrd of the root's /boot
#   4 kdump:bringup   initramfs: the same hook; what happens is a fact
#   5 kdump:save      makedumpfile to the root's /var/crash
#   6 kdump:kernel-log
#
# pvbus_kd_boot=verify: the next boot
#   1 bringup, switch_root
#   2 verify          root: the dump is there and valid
#   3 kernel-log

KD_NEXT=/run/pvbus-kdump.next

kdump_main() {
	kd_boot=first
	# shellcheck disable=SC2154 # init.sh's
	for word in $cmdline; do
		case "$word" in pvbus_kd_boot=*) kd_boot=${word#*=} ;; esac
	done
	if [ -e /proc/vmcore ]; then
		kd_kdump_kernel
	elif [ -f /etc/pvbus-root ]; then
		kd_root_stage
	else
		kd_initramfs_stage
	fi
}

kd_initramfs_stage() {
	kd_plan=6
	[ "$kd_boot" != verify ] || kd_plan=3
	emit "KTAP version 1"
	emit "# pvbus-guest: kernel $(uname -r), a kdump matrix cell, boot '$kd_boot'"
	emit "1..$kd_plan"
	run_one 1 bringup /kdump/bringup.sh
	if ! mounted /newroot; then
		emit "Bail out! no root file system"
		return
	fi
	echo 2 > "$KD_NEXT"
	# arm64: the SSDT came in front of the initrd; the kdump kernel's
	# needs it too (first.sh).
	if [ -d /kernel/firmware/acpi ]; then
		mkdir -p /run/pvbus-acpi
		cp -a /kernel /run/pvbus-acpi/
	fi
	emit "# pvbus-guest: switch_root to the root file system on the NVMe"
	exec 3>&-
	cd / && umount /tmp
	for m in /dev /proc /sys /run; do
		mount --move "$m" "/newroot$m"
	done
	exec switch_root /newroot /init
}

kd_root_stage() {
	kd_i=$(cat "$KD_NEXT" 2> /dev/null || echo 2)
	if [ "$kd_boot" = verify ]; then
		run_one "$kd_i" verify /kdump/verify.sh
		kernel_log $((kd_i + 1)) kernel-log
		return
	fi
	run_one "$kd_i" first /kdump/first.sh
	kernel_log $((kd_i + 1)) kernel-log
	if [ "$(cat /sys/kernel/kexec_crash_loaded 2> /dev/null)" != 1 ]; then
		# A kernel without the syscall (first.sh): no kdump kernel to run.
		if [ -f /run/pvbus-kd-nosys ]; then
			kd_why=$(cat /run/pvbus-kd-nosys)
			emit "ok $((kd_i + 2)) kdump:bringup # SKIP $kd_why"
			emit "ok $((kd_i + 3)) kdump:save # SKIP $kd_why"
			emit "ok $((kd_i + 4)) kdump:kernel-log # SKIP $kd_why"
			return
		fi
		emit "Bail out! no kdump kernel loaded"
		return
	fi
	crash_into_kdump
}

kd_kdump_kernel() {
	kd_i=${kdump_first:-4}
	emit "# pvbus-guest: kdump kernel $(uname -r) up"
	run_one "$kd_i" kdump:bringup /kdump/bringup.sh
	run_one $((kd_i + 1)) kdump:save /kdump/save.sh
	kernel_log $((kd_i + 2)) kdump:kernel-log
}
