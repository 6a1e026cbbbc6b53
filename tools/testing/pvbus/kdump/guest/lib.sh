# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # for the scripts that source it
#
# Shared by the guest side of the kdump matrix (busybox sh), installed as
# /kdump/lib.sh.  Source tap.sh and pvbus.sh first.
#
# A cell's facts are lines of their own in the KTAP stream,
#
#	# PVBUS-FACT stage=kdump lfb_base=0x0 fb_rsv=pci,host ...
#
# key=value words without blanks ('-' for none), which kdump/run.sh reads.

# shellcheck source=SCRIPTDIR/../../lib/consts.sh
. /usr/share/pvbus/consts.sh
KD_NEWROOT=/newroot
KD_MARK=/etc/pvbus-root
KD_CFS=/sys/kernel/config/pvbus_sim
KD_HOST=$KD_CFS/kdhost
KD_BUS=$KD_HOST/pci0
KD_FN=$KD_BUS/nvme
KD_PCI_CLASS=$PVBUS_PCI_CLASS
# The bus's instance: its PCI domain is bytes 8 and 9, 8c7d.
KD_INSTANCE=3b0e6d2a-5c4f-4e1a-8c7d-2f9a6b1e0d35
KD_DOMAIN=8c7d
# What the host believes the VM's framebuffer is: QEMU's std VGA BAR; on
# arm64 a host-owned one at the base of the bus's low window (consts.sh).
KD_FB_RANGE=$PVBUS_FB_RESERVE
KD_FB_START=$PVBUS_FB_START
KD_FB_END=$PVBUS_FB_END
if [ "$(uname -m)" = aarch64 ]; then
	KD_FB_RANGE=$PVBUS_ARM64_FB_RESERVE
	KD_FB_START=$PVBUS_ARM64_FB_START
	KD_FB_END=$PVBUS_ARM64_FB_END
fi
# The ACPI tables the harness gives an arm64 kernel in front of its initrd
# (QEMU's virt machine takes no -acpitable), kept for the kdump kernel's.
KD_ACPI=/run/pvbus-acpi
# The NVMe: QEMU's (1b36:0010, class 010802) at guest.sh's fixed slot.
KD_NVME_ADDR=$PVBUS_NVME_ADDR

# kd_arg NAME: the value of NAME= on the kernel command line.
kd_arg() {
	read -r _cl < /proc/cmdline
	for _w in $_cl; do
		case "$_w" in "$1"=*) echo "${_w#*=}"; return 0 ;; esac
	done
	return 1
}

# kd_fact KEY=VALUE...: one fact line (a KTAP comment).
kd_fact() {
	echo "# PVBUS-FACT $*"
}

# kd_lfb_base: screen_info.lfb_base as this kernel got it (boot_params
# offset 0x18), with ext_lfb_base (0x3a) above it.  arm64 has no
# boot_params: there it is what pvbus read from screen_info when it
# probed (modprobe pvbus first), kd_lfb_base_log.
kd_lfb_base() {
	_bp=/sys/kernel/boot_params/data
	[ -r "$_bp" ] || { kd_lfb_base_log; return; }
	_lo=$(od -An -tu4 -j24 -N4 "$_bp" | tr -d ' ')
	_hi=$(od -An -tu4 -j58 -N4 "$_bp" | tr -d ' ')
	printf '0x%x\n' $(((_hi << 32) + _lo))
}

# kd_lfb_base_log: screen_info.lfb_base from pvbus's messages: its
# reservation "framebuffer (screen_info) [mem BASE-...]" (or the notice
# that pvbus.fb_sources switched it off, then efifb's "framebuffer at
# BASE"), or, when screen_info holds no linear framebuffer, pvbus's debug
# message "screen_info: no linear framebuffer (video type T, lfb_base
# BASE)", which bringup.sh switches on (pvbus.dyndbg=+p) on arm64.  '-' when pvbus
# said neither.
kd_lfb_base_log() {
	dmesg > /tmp/kd_lfb.log
	_b=$(sed -n 's/.*framebuffer (screen_info) \[mem \(0x[0-9a-f]*\)-.*/\1/p' /tmp/kd_lfb.log | tail -n 1)
	if [ -z "$_b" ] && grep -q 'switched off by pvbus.fb_sources:.*screen_info' /tmp/kd_lfb.log; then
		_b=$(sed -n 's/.*efifb: framebuffer at \(0x[0-9a-f]*\),.*/\1/p' /tmp/kd_lfb.log | tail -n 1)
	fi
	[ -n "$_b" ] || _b=$(sed -n 's/.*screen_info: no linear framebuffer (video type [0-9a-fx]*, lfb_base \(0x[0-9a-f]*\|0\)).*/\1/p' /tmp/kd_lfb.log | tail -n 1)
	case "$_b" in
	'') echo '-' ;;
	*) printf '0x%x\n' "$_b" ;;
	esac
}

# kd_irqs PCI: the interrupts of the NVMe controller on PCI function PCI in
# /proc/interrupts, as "KIND:COUNT:CHIP" (msix:42:ITS-MSI), KIND from the
# function's msi_irqs; '-' without a controller.
kd_irqs() {
	_c=
	for _d in "/sys/bus/pci/devices/$1"/nvme/nvme*; do
		[ -e "$_d" ] && _c=${_d##*/}
	done
	[ -n "$_c" ] || { echo '-'; return; }
	_k=$(cat "/sys/bus/pci/devices/$1"/msi_irqs/* 2> /dev/null | sort -u | tr '\n' '+')
	_k=${_k%+}
	awk -v c="$_c" -v k="${_k:-intx}" '$NF ~ "^" c "q[0-9]+$" {
			for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
				n += $i
			if (!index(chips, $i))
				chips = chips (chips == "" ? "" : "+") $i
		}
		END { printf "%s:%d:%s\n", k, n, chips == "" ? "-" : chips }' /proc/interrupts
}

# kd_fbs: the framebuffer devices, /proc/fb's names joined by ','.
kd_fbs() {
	_f=$(sed 's/^[0-9]* //; s/ /_/g' /proc/fb 2> /dev/null | tr '\n' ',')
	echo "${_f%,}" | sed 's/^$/-/'
}

# kd_sources: the bus's framebuffer sources (debugfs), joined by ','.
kd_sources() {
	_s=$(pvbus_sources 2> /dev/null | sed 's/^ *//; s/ *$//; s/  */,/g')
	case "$_s" in ''|none) echo '-' ;; *) echo "$_s" ;; esac
}

# kd_fb_rsv: which of the bus's reservations cover the framebuffer the
# host believes in, short names joined by ','.
kd_fb_rsv() {
	_out=
	_fs=$(printf '%d' "$KD_FB_START")
	_fe=$(printf '%d' "$KD_FB_END")
	# reserved    0x...-0x... NAME [KIND]
	grep '^reserved ' "$PVBUS_DBG" 2> /dev/null | while read -r _ _r _n; do
		_s=$(printf '%d' "${_r%-*}")
		_e=$(printf '%d' "${_r#*-}")
		{ [ "$_s" -le "$_fe" ] && [ "$_e" -ge "$_fs" ]; } || continue
		case "$_n" in
		*screen_info*)	echo screen_info ;;
		*PCI*|*pci*)	echo pci ;;
		*firmware*)	echo firmware ;;
		*host*)		echo host ;;
		*pvbus.reserve*) echo reserve ;;
		*fallback*)	echo fallback ;;
		*)		echo "$_n" | tr -c 'a-zA-Z0-9_.\n' _ ;;
		esac
	done | sort -u > /tmp/kd_fb_rsv
	_out=$(tr '\n' ',' < /tmp/kd_fb_rsv)
	_out=${_out%,}
	echo "${_out:--}"
}

# kd_root_dev: the block device mounted on / (or on $1).
kd_mounted_dev() {
	awk -v m="${1:-/}" '$2 == m { d = $1 } END { print d }' /proc/mounts
}

# kd_blk_pci DEV: the PCI address of the controller of block device DEV
# (nvme0n1), e.g. 8c7d:00:00.0.
kd_blk_pci() {
	readlink -f "/sys/block/$1/device/device" 2> /dev/null | sed 's|.*/||'
}
