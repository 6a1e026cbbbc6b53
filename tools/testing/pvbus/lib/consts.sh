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

# The guest's boot framebuffer: QEMU's std VGA BAR, where vga=0x318 puts
# the VESA mode; as pvbus.reserve= and pvbus_sim's "reserved" take it.
PVBUS_FB_START=0xfd000000
PVBUS_FB_END=0xfdffffff
PVBUS_FB_RESERVE=16M@0xfd000000

# The arm64 guest's boot framebuffer as its host owns it: at the base of
# the bus's low window, as on Hyper-V arm64 (512 MiB at 0xe0000000, the
# framebuffer at its start).  QEMU's ramfb, which efifb drives, is in RAM
# where no window can reach it: the kdump matrix declares this range to
# the simulated host instead (tools/testing/pvbus/kdump/README).
PVBUS_ARM64_FB_START=0x30000000
PVBUS_ARM64_FB_END=0x30ffffff
PVBUS_ARM64_FB_RESERVE=16M@0x30000000

# The UEFI of the arm64 guest (qemu-efi-aarch64), and the guest tests
# that apply there (guest.sh): the others check addresses of the x86 PC's
# layout (the VGA BAR at 0xfd000000, ranges in its 64-bit hole) or kexec.
PVBUS_ARM64_EFI=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
PVBUS_ARM64_TESTS=10-modules,60-passthrough
# Those of the arm64 guest with the DT firmware (guest.sh --fw dt).
PVBUS_ARM64_DT_TESTS=10-modules,37-roots,42-domains,60-passthrough

# The QEMU NVMe of a boot with a disk: its PCI function and serial.
PVBUS_NVME_ADDR=0000:00:04.0
PVBUS_NVME_SERIAL=pvbus0
