# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # for the scripts that source it
#
# Constants of the pvbus harness, defined once for the host scripts and the
# guest (installed as /usr/share/pvbus/consts.sh; busybox sh).  A value that
# the C code defines too is checked against it by 'make lint'
# (tools/testing/lint.sh consts): the header's macro is named beside it.

# The class of a paravirtual PCI bus channel: PVBUS_PCI_CLASS_STR.
PVBUS_PCI_CLASS=c5a1b9e2-7d3f-4e58-a0c4-5b2d8e6f1a37
# A class no driver binds to, for the simulated host's plain devices.
PVBUS_TEST_CLASS=5c0a6a42-1f4e-4d3b-9b4e-2a8d6c1e7f01

# The guest's layout: what differs between the architectures, in one
# place, for the host (PVBUS_ARCH) and the guest (uname -m).  x86_64 is
# QEMU's i440fx PC as guest.sh boots it, arm64 its virt machine with UEFI
# and ramfb (lib/qemu.sh).
#
#   PVBUS_LOW_START, PVBUS_LOW_END, PVBUS_HIGH_START, PVBUS_HIGH_END
#	the default SSDT's windows (ssdt/pvbus.asl), inside the host
#	bridge's 32-bit and 64-bit windows
#   PVBUS_LOW2_START, PVBUS_LOW2_END, PVBUS_HIGH2_START, PVBUS_HIGH2_END
#	the windows of the SSDT's second bus root (PVBUS_SECOND_ROOT)
#   PVBUS_FB_START, PVBUS_FB_END, PVBUS_FB_RESERVE
#	a framebuffer in the low window, as pvbus.reserve= and pvbus_sim's
#	"reserved" take it: on x86 the guest's boot framebuffer, QEMU's std
#	VGA BAR, where vga=0x318 puts the VESA mode; on arm64 the boot
#	framebuffer (ramfb, efifb) is in System RAM, outside every window,
#	so there it is the 16 MiB at the low window's start, where a VMM's
#	framebuffer BAR would be
#   PVBUS_FB_NEST	what /proc/iomem nests in that framebuffer: the VGA
#	BAR with vesafb in it on x86, nothing on arm64
#   PVBUS_DISPLAY	the PCI display, whose BAR is that framebuffer; none
#	on arm64 (ramfb is no PCI device)
#   PVBUS_BOOT_FB	why a test about the boot framebuffer of x86's
#	layout (screen_info or the PCI display in the low window) does not
#	apply; empty where it does
#   PVBUS_KDUMP_SOURCES	the framebuffer sources a kdump kernel finds with
#	the default SSDT (debugfs "sources"): on arm64 screen_info is lost
#	(arm64-facts.md) and there is no PCI display
#   PVBUS_KDUMP_FOUND	what debugfs "sources" then says: on arm64 the
#	kdump fallback too, since the firmware's one range is above 4 GiB,
#	which tells nothing of a framebuffer
#   PVBUS_FALLBACK_START, PVBUS_FALLBACK_END
#	the kdump fallback with the default SSDT, at the low window's start
#	(fb_plan.c: 16 MiB of x86's 24 MiB window, 128 MiB of arm64's)
case "${PVBUS_ARCH:-$(uname -m)}" in
arm64|aarch64)
	PVBUS_LOW_START=0x30000000
	PVBUS_LOW_END=0x3dffffff
	PVBUS_HIGH_START=0x9000000000
	PVBUS_HIGH_END=0x90ffffffff
	PVBUS_LOW2_START=0x2f000000
	PVBUS_LOW2_END=0x2fffffff
	PVBUS_HIGH2_START=0x9100000000
	PVBUS_HIGH2_END=0x91ffffffff
	PVBUS_FB_START=0x30000000
	PVBUS_FB_END=0x30ffffff
	PVBUS_FB_RESERVE=16M@0x30000000
	PVBUS_FB_NEST=
	PVBUS_DISPLAY=
	PVBUS_BOOT_FB="arm64 virt: the boot framebuffer (ramfb) is in System RAM, outside every pvbus window, and there is no PCI display"
	PVBUS_KDUMP_SOURCES=firmware
	PVBUS_KDUMP_FOUND="firmware kdump_fallback"
	PVBUS_FALLBACK_START=0x30000000
	PVBUS_FALLBACK_END=0x37ffffff
	;;
*)
	PVBUS_LOW_START=0xfd000000
	PVBUS_LOW_END=0xfe7fffff
	PVBUS_HIGH_START=0x800000000
	PVBUS_HIGH_END=0x8ffffffff
	PVBUS_LOW2_START=0xfc000000
	PVBUS_LOW2_END=0xfcffffff
	PVBUS_HIGH2_START=0x900000000
	PVBUS_HIGH2_END=0x9ffffffff
	PVBUS_FB_START=0xfd000000
	PVBUS_FB_END=0xfdffffff
	PVBUS_FB_RESERVE=16M@0xfd000000
	PVBUS_FB_NEST=" > 0000:00:02.0 > vesafb"
	PVBUS_DISPLAY=0000:00:02.0
	PVBUS_BOOT_FB=
	PVBUS_KDUMP_SOURCES="screen_info pci firmware"
	PVBUS_KDUMP_FOUND=$PVBUS_KDUMP_SOURCES
	PVBUS_FALLBACK_START=0xfd000000
	PVBUS_FALLBACK_END=0xfdffffff
	;;
esac

# The arm64 guest's boot framebuffer as its host owns it: at the base of
# the bus's low window, as on Hyper-V arm64 (512 MiB at 0xe0000000, the
# framebuffer at its start).  QEMU's ramfb, which efifb drives, is in RAM
# where no window can reach it: the kdump matrix declares this range to
# the simulated host instead (tools/testing/pvbus/kdump/README).
PVBUS_ARM64_FB_START=0x30000000
PVBUS_ARM64_FB_END=0x30ffffff
PVBUS_ARM64_FB_RESERVE=16M@0x30000000

# The UEFI of the arm64 guest (qemu-efi-aarch64).  The arm64 guest runs
# every test; with the DT firmware (guest.sh --fw dt) those that apply to
# it.
PVBUS_ARM64_EFI=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
PVBUS_ARM64_DT_TESTS=10-modules,37-roots,42-domains,60-passthrough,61-passthrough-removed,62-passthrough-reset,95-host-bridge

# The PCI domain of 60-passthrough's bus (bytes 8-9 of its instance id):
# the segment that the IORT of a GICv3 guest (GIC=3) maps to the ITS device
# id of the NVMe passed through (lib/acpi.sh iort_build).
PVBUS_PT_DOMAIN=7a5e

# The QEMU NVMe of a boot with a disk: its PCI function and serial.
PVBUS_NVME_ADDR=0000:00:04.0
PVBUS_NVME_SERIAL=pvbus0

# What the guests' kernel-log checks fail on: lib/guest/runner.sh's at the
# end of a boot, the soak's at each checkpoint.  A stack dump is "Call
# Trace:" on x86 and "Call trace:" on arm64; with no WARNING line it is how
# sysfs says a name was added twice, and the hung-task and RCU stall
# detectors print theirs after an "INFO:" line.
PVBUS_KLOG_BAD='BUG:|WARNING:|Oops|UBSAN:|KASAN:|general protection fault|Call [Tt]race:|Kernel panic|list_(add|del) corruption|refcount_t:|cannot create duplicate filename|INFO: task .* blocked|rcu: INFO:|ACPI (Error|Warning|BIOS Error)'
