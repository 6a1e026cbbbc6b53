# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # PVBUS_* for the tests that source it
#
# pvbus checks shared by the guest tests (busybox sh), installed as
# /usr/share/pvbus/pvbus.sh.  Source tap.sh first:
#
#	. /usr/share/pvbus/tap.sh
#	. /usr/share/pvbus/pvbus.sh
#
# The addresses of the guest's layout are in consts.sh, per architecture.

# shellcheck source=SCRIPTDIR/../consts.sh
. /usr/share/pvbus/consts.sh

PVBUS_DBG=/sys/kernel/debug/pvbus/mmio

# pvbus_iomem_range START END: the range as /proc/iomem writes it.
pvbus_iomem_range() {
	printf '%x-%x' "$1" "$2"
}

# pvbus_mem_range START END: the range as the kernel's %pR writes it.
pvbus_mem_range() {
	printf '[mem 0x%x-0x%x]' "$1" "$2"
}

# pvbus_dbg_range START END: the range as debugfs mmio writes it.
pvbus_dbg_range() {
	printf '0x%016x-0x%016x' "$1" "$2"
}

# pvbus_high OFFSET: the address OFFSET bytes into the high window.
pvbus_high() {
	printf '0x%x' "$((PVBUS_HIGH_START + $1))"
}

# The windows and the framebuffer (consts.sh) as /proc/iomem and debugfs
# write them.
PVBUS_LOW=$(pvbus_iomem_range "$PVBUS_LOW_START" "$PVBUS_LOW_END")
PVBUS_HIGH=$(pvbus_iomem_range "$PVBUS_HIGH_START" "$PVBUS_HIGH_END")
PVBUS_FB=$(pvbus_iomem_range "$PVBUS_FB_START" "$PVBUS_FB_END")
PVBUS_FB_DBG=$(pvbus_dbg_range "$PVBUS_FB_START" "$PVBUS_FB_END")

# pvbus_dmesg_mark: remember how far dmesg is; pvbus_dmesg_new prints the
# kernel's messages since.
pvbus_dmesg_mark() {
	_pvbus_mark=$(dmesg | wc -l)
}

pvbus_dmesg_new() {
	dmesg | tail -n +"$((${_pvbus_mark:-0} + 1))"
}

# bar DEV N: "START END" of resource N of the PCI device DEV (a sysfs
# directory), in hex.
bar() {
	sed -n "$(($2 + 1))p" "$1/resource" | awk '{ print $1, $2 }'
}

# in_range "START END" LO HI: the range lies within [LO, HI].
in_range() {
	_s=$(printf '%d' "${1% *}")
	_e=$(printf '%d' "${1#* }")
	[ "$_s" -ge "$(printf '%d' "$2")" ] && [ "$_e" -le "$(printf '%d' "$3")" ] &&
		[ "$_s" -lt "$_e" ]
}

# nvme_disk DEVDIR: the block device of the namespace of the NVMe
# controller bound to the PCI device DEVDIR, a sysfs directory (nvme0n1;
# its path device nvme0c0n1 with native multipath), or nothing yet.
nvme_disk() {
	for _c in "$1"/nvme/nvme*; do
		for _ns in "$_c"/nvme*n1; do
			[ -e "$_ns" ] || continue
			_b=$(basename "$_ns" | sed 's/c[0-9]*n/n/')
			[ -b "/dev/$_b" ] && echo "$_b" && return 0
		done
	done
	return 1
}

# pvbus_sources: the debugfs "sources" line of the bus, without its label.
pvbus_sources() {
	sed -n 's/^sources *//p' "$PVBUS_DBG"
}

# pvbus_rsv_lines: the pvbus reservations in /proc/iomem, unindented.
pvbus_rsv_lines() {
	sed 's/^ *//' /proc/iomem | grep -E ' : (framebuffer|reserved) \('
}

# pvbus_need_ssdt VARIANT WHAT: unless the guest got the SSDT VARIANT
# (pvbus_ssdt), skip every result of the plan, named WHAT, and finish.
pvbus_need_ssdt() {
	[ "$(pvbus_ssdt)" = "$1" ] && return 0
	tap_diag "needs the default SSDT, not '$(pvbus_ssdt)'"
	tap_skip_rest "$2" "SSDT '$(pvbus_ssdt)'"
}

# pvbus_iomem_baseline FILE: 1 result, /proc/iomem is byte for byte FILE.
pvbus_iomem_baseline() {
	if cmp "$1" /proc/iomem > /dev/null; then
		tap_ok 0 "/proc/iomem is back to its baseline"
	else
		diff "$1" /proc/iomem | tap_diag
		tap_ok 1 "/proc/iomem is back to its baseline"
	fi
}

# pvbus_fb_alone SOURCE NAME FOUND LOAD UNLOAD: 7 results.  The
# framebuffer is reserved from SOURCE alone, the other sources switched off:
# LOAD (a shell command line, run with eval) loads the modules so that only
# SOURCE (a word of pvbus.fb_sources=, as debugfs "sources" shows it) can
# tell where the framebuffer is.  Checks that /proc/iomem has the
# framebuffer (PVBUS_FB) named NAME in the low window, with PVBUS_FB_NEST
# (x86: the VGA BAR and vesafb) nested in it, and no other pvbus
# reservation; that debugfs lists it and names SOURCE alone; that dmesg
# says "NAME [mem START-END]" and FOUND (a fixed string); then that UNLOAD
# leaves /proc/iomem as it was.
pvbus_fb_alone() {
	_src=$1 _name=$2 _found=$3 _load=$4 _unload=$5

	cat /proc/iomem > /tmp/fb_alone.base
	pvbus_dmesg_mark
	tap_check "$_src alone: $_load" eval "$_load"
	pvbus_dmesg_new | grep pvbus | tap_diag
	grep -A4 'pvbus low window' /proc/iomem | tap_diag

	_path=$(iomem_path "$PVBUS_FB")
	iomem_has "$PVBUS_FB" "$_name" &&
		case "$_path" in
		"PCI Bus 0000:00 > pvbus low window > $_name$PVBUS_FB_NEST") true ;;
		*) false ;;
		esac
	tap_ok $? "$_src alone: /proc/iomem: $PVBUS_FB : $_name, in the low window${PVBUS_FB_NEST:+, nesting$PVBUS_FB_NEST}"

	pvbus_rsv_lines > /tmp/fb_alone.rsv
	[ "$(cat /tmp/fb_alone.rsv)" = "$PVBUS_FB : $_name" ]
	tap_ok $? "$_src alone: no other pvbus reservation in /proc/iomem" ||
		tap_diag < /tmp/fb_alone.rsv

	grep -F " $PVBUS_FB_DBG $_name [" "$PVBUS_DBG" | grep -q '^reserved ' &&
		[ "$(pvbus_sources)" = "$_src" ]
	tap_ok $? "$_src alone: debugfs mmio lists the reservation, sources '$(pvbus_sources)'" ||
		tap_diag < "$PVBUS_DBG"

	pvbus_dmesg_new > /tmp/fb_alone.dmesg
	_mem=$(pvbus_mem_range "$PVBUS_FB_START" "$PVBUS_FB_END")
	grep -qF "$_name $_mem" /tmp/fb_alone.dmesg &&
		grep -qF "$_found" /tmp/fb_alone.dmesg
	tap_ok $? "$_src alone: dmesg: '$_name $_mem', '$_found'"

	tap_check "$_src alone: $_unload" eval "$_unload"
	pvbus_iomem_baseline /tmp/fb_alone.base
}

# pvbus_sim_remove HOST DEV: the simulated host HOST down, and its
# configuration gone: the functions of its device DEV, DEV, HOST.
pvbus_sim_remove() {
	echo 0 > "$1/live" &&
		for _f in "$2"/*/; do rmdir "$_f" || return 1; done &&
		rmdir "$2" "$1"
}

# pvbus_sim_stat HOST NAME: the counter NAME of the simulated host HOST
# (its configfs directory).
pvbus_sim_stat() {
	sed -n "s/^$2 //p" "$1/stats"
}

# pvbus_sim_clean HOST: the simulated host HOST refused nothing and the
# guest rejected none of its answers.
pvbus_sim_clean() {
	for _s in refused_invalid refused_unsupported refused_refused refused_busy \
		refused_not_found rejected; do
		[ "$(pvbus_sim_stat "$1" "$_s")" = 0 ] || return 1
	done
}

# pvbus_fb_skip SOURCE REASON: pvbus_fb_alone's 7 results, skipped for
# REASON: SOURCE cannot tell of a framebuffer in the low window here.
pvbus_fb_skip() {
	for _r in "reserved in the low window" "no other pvbus reservation" \
		"debugfs mmio lists it" "dmesg names it" "loaded" "unloaded" \
		"/proc/iomem is back to its baseline"; do
		tap_skip "$1 alone: $_r" "$2"
	done
}
