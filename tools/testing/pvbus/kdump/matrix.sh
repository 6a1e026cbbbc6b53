# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # run.sh's and cell.sh's globals
#
# The cells of the kdump matrix (sourced by kdump/run.sh), by architecture,
# and the framebuffer the simulated host believes in; what each cell is
# expected to show is cell.sh's expect.
#
#	CELLS			"name kexec fb policy sources", one per cell
#	FB FB_END FB_RESERVE	the host's framebuffer; SSDT_FB its SSDT row
#	matrix_list		the cells and what is expected of them (--list)
#	matrix_select GLOB...	the cells named (all if none), in matrix
#				order, into cells[]

# The matrix: name, kexec options, framebuffer driver, policy, sources.
#   policy auto     pci-pvbus cfg_window=auto, every framebuffer source, and
#                   the kdump kernel gets pvbus.reserve= (as the admin guide
#                   says to set up kdump-tools)
#   policy legacy   what the old front-ends did: cfg_window=legacy, the
#                   framebuffer known from screen_info alone, nothing added
#                   to the kdump kernel's command line
#   sources X       pvbus.fb_sources=X: the one source left (auto)
CELLS=(
	"p-vesafb-auto		-p	vesafb	auto	all"
	"p-bochs-auto		-p	bochs	auto	all"
	"s-vesafb-auto		-s	vesafb	auto	all"
	"s-bochs-auto		-s	bochs	auto	all"
	"p-vesafb-legacy	-p	vesafb	legacy	screen_info"
	"p-bochs-legacy		-p	bochs	legacy	screen_info"
	"s-vesafb-legacy	-s	vesafb	legacy	screen_info"
	"s-bochs-legacy		-s	bochs	legacy	screen_info"
	"p-bochs-firmware	-p	bochs	auto	firmware"
	"p-bochs-host		-p	bochs	auto	host"
	"p-bochs-pci		-p	bochs	auto	pci"
	"p-bochs-reserve	-p	bochs	auto	reserve"
	"p-bochs-none		-p	bochs	auto	none"
)
# The framebuffer the host believes in; the firmware row describes it in
# the SSDT's reserved-ranges too.
FB=$PVBUS_FB_START
FB_END=$PVBUS_FB_END
FB_RESERVE=$PVBUS_FB_RESERVE
SSDT_FB="PVBUS_RESERVED_RANGES=$PVBUS_FB_START, 0x1000000, 0x800000000, 0x100000"
KDUMP_APPEND_BASE="reset_devices nr_cpus=1 irqpoll usbcore.nousb"
guest_timeout=300
# arm64 (QEMU virt, UEFI, ramfb): efifb is the framebuffer driver of every
# cell, and no kexec path gives its kdump kernel screen_info.  QEMU's ramfb
# is in RAM, where no window can be: the framebuffer the host believes in
# is at the base of the bus's low window, as on Hyper-V arm64 (consts.sh),
# the simulated host refuses a config window there.  No PCI display
# device holds it (no 'pci' row: the source finds nothing, see
# Documentation/dev-tools/pvbus-testing.rst); the screen_info row shows
# that source alone finds nothing in the kdump kernel, the kdump_fallback
# row that the fallback covers the framebuffer of this layout.  Debian's
# arm64 kernel has no kexec_file_load: the -s cells boot a kernel built
# for them (cell.sh's cell_kernel) and are held to what the -p cells are.
if [ "$PVBUS_ARCH" = arm64 ]; then
	CELLS=(
		"p-efifb-auto		-p	efifb	auto	all"
		"s-efifb-auto		-s	efifb	auto	all"
		"p-efifb-legacy		-p	efifb	legacy	screen_info"
		"s-efifb-legacy		-s	efifb	legacy	screen_info"
		"p-efifb-screen_info	-p	efifb	auto	screen_info"
		"p-efifb-firmware	-p	efifb	auto	firmware"
		"p-efifb-host		-p	efifb	auto	host"
		"p-efifb-reserve	-p	efifb	auto	reserve"
		"p-efifb-fallback	-p	efifb	auto	kdump_fallback"
		"p-efifb-none		-p	efifb	auto	none"
	)
	FB=$PVBUS_ARM64_FB_START
	FB_END=$PVBUS_ARM64_FB_END
	FB_RESERVE=$PVBUS_ARM64_FB_RESERVE
	SSDT_FB="PVBUS_RESERVED_RANGES=$FB, 0x1000000, 0x9000000000, 0x100000"
	# UEFI and an emulated arm64 CPU: three kernels take longer.
	guest_timeout=900
fi
matrix_list() {
	local c n k f p s e_lfb e_cfg e_d0 e_root e_dump e_rsv

	printf '%-20s %-6s %-7s %-7s %-14s | %-10s %-5s %-8s %-4s %-4s %-10s %s\n' \
		cell kexec fb policy sources lfb_base cfg d0 root dump kernel fb_rsv
	for c in "${CELLS[@]}"; do
		read -r n k f p s <<< "$c"
		read -r e_lfb e_cfg e_d0 e_root e_dump e_rsv <<< "$(expect "$k" "$f" "$p" "$s")"
		printf '%-20s %-6s %-7s %-7s %-14s | %-10s %-5s %-8s %-4s %-4s %-10s %s\n' \
			"$n" "$k" "$f" "$p" "$s" "$e_lfb" "$e_cfg" "$e_d0" "$e_root" "$e_dump" \
			"$(cell_kernel "$k")" "$e_rsv"
	done
}

matrix_select() {
	local c n p

	cells=()
	for c in "${CELLS[@]}"; do
		read -r n _ <<< "$c"
		if [ $# -eq 0 ]; then
			cells+=("$c")
			continue
		fi
		for p in "$@"; do
			# shellcheck disable=SC2053 # a glob on purpose
			if [[ "$n" == $p ]]; then
				cells+=("$c")
				break
			fi
		done
	done
	[ ${#cells[@]} -gt 0 ] || die "no cell matches '$*' (--list)"
}
