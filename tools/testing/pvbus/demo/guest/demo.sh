#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# 'make demo': what pvbus does in the booted guest, step by step, each step
# checked: the MMIO windows published from the SSDT, the framebuffer
# reserved by every source that knows of it, a device offered, pinged
# and removed through the simulated host's configfs, and a paravirtual PCI
# bus with two functions in a domain of its own.  Ends with a success
# line, or with the step that failed and a non-zero exit.

# shellcheck source=SCRIPTDIR/../../lib/consts.sh
. /usr/share/pvbus/consts.sh
CFS=/sys/kernel/config/pvbus_sim
HOST=$CFS/sim0
DEV=$HOST/dev0
CLASS=$PVBUS_TEST_CLASS
INST=9e1d7c3a-44b2-4f0e-8a6d-3b5c7e9f1a20
DBG=/sys/kernel/debug/pvbus
N=0

section() {
	N=$((N + 1))
	echo
	echo "===== $N. $* ====="
}

# caption TEXT...: what the next output shows.
caption() {
	printf '%s\n' "$@" | sed 's/^/  | /'
}

# run COMMAND...: show it, run it.
run() {
	echo "# $*"
	"$@"
}

# check STATUS WHAT: stop the demo unless STATUS is 0.
check() {
	if [ "$1" -ne 0 ]; then
		echo
		echo "pvbus demo: FAILED at step $N: $2"
		exit 1
	fi
	echo "  -> ok: $2"
}

# The pvbus part of /proc/iomem: each top-level entry that holds a pvbus
# window, with everything below it that is in a window.
iomem_pvbus() {
	awk '
		{ match($0, /^ */); depth = RLENGTH / 2 }
		depth == 0 { top = $0; shown = 0; inwin = 0; next }
		/ : pvbus .* window$/ {
			if (!shown) print top
			shown = 1; inwin = 1; windepth = depth; print; next
		}
		inwin && depth > windepth { print; next }
		{ inwin = 0 }
	' /proc/iomem
}

cat /proc/iomem > /tmp/iomem.base

section "The guest"
caption "Linux $(uname -r) under QEMU TCG (i440fx, std VGA, vga=0x318)." \
	"The boot framebuffer (screen_info, the VGA BAR) and the SSDT's bus root:"
echo "# cat /proc/cmdline"
cat /proc/cmdline
echo "# cat /proc/fb"
cat /proc/fb
grep -E '0000:00:02\.0|vesafb' /proc/iomem
for d in /sys/bus/acpi/devices/*; do
	[ "$(cat "$d/path" 2> /dev/null)" = '\_SB_.PVB0' ] || continue
	echo "bus root: ACPI ${d##*/} (\\_SB.PVB0), modalias $(cat "$d/modalias")"
done

section "Load the bus: modprobe pvbus reserve=16M@0xfd000000"
caption "pvbus.reserve= is what kdump-tools would append to a kdump kernel's" \
	"command line; the other sources (screen_info, the PCI display, the" \
	"firmware's reserved-ranges) need no parameter."
run modprobe pvbus reserve=16M@0xfd000000
check $? "pvbus loaded"

section "The MMIO map: the windows in /proc/iomem"
caption "The SSDT's _DSD \"mmio-windows\" are published as 'pvbus low window'" \
	"and 'pvbus high window', inside the PCI host bridge windows.  The low" \
	"window adopted the VGA BAR whole, vesafb still in it; the framebuffer" \
	"shows once, under the name of the first source that reserved it."
iomem_pvbus
grep -q ' : pvbus low window$' /proc/iomem &&
	grep -q ' : pvbus high window$' /proc/iomem &&
	iomem_pvbus | grep -q 'vesafb$'
check $? "low and high windows published, the VGA BAR and vesafb nested in them"

section "The MMIO map: $DBG/mmio"
caption "Every window and every reservation, with its kind, and the sources" \
	"the framebuffer was learnt from."
run cat "$DBG/mmio"
grep -q '^sources *screen_info pci firmware reserve$' "$DBG/mmio"
check $? "four sources at boot: screen_info, pci, firmware, reserve"

section "Reservations by source: dmesg | grep pvbus"
caption "The windows found, then each reservation, named after the source" \
	"that asked for it, and the list of sources."
dmesg | grep -E '\] pvbus [^ ]+: '

section "A host goes live through configfs (pvbus_sim)"
caption "The simulated host reports a range of its own as reserved and" \
	"offers one device of class $CLASS."
run modprobe pvbus_sim
check $? "pvbus_sim loaded"
run mkdir "$HOST" "$DEV"
echo "# echo 2M@0x840000000 > $HOST/reserved"
echo 2M@0x840000000 > "$HOST/reserved"
echo "# echo $CLASS > $DEV/class"
echo "$CLASS" > "$DEV/class"
echo "# echo $INST > $DEV/instance"
echo "$INST" > "$DEV/instance"
echo "# echo 1 > $DEV/live; echo 1 > $HOST/live"
r=0
echo 1 > "$DEV/live" && echo 1 > "$HOST/live" || r=1
check $r "host sim0 live"
dmesg | grep -E '\] pvbus [^ ]+: ' | tail -n 2
iomem_pvbus | grep -E 'high window|reserved \(host\)'
grep "^sources" "$DBG/mmio"
grep -q '840000000-8401fffff : reserved (host)' /proc/iomem &&
	grep -q '^sources *screen_info pci firmware host reserve$' "$DBG/mmio"
check $? "the host's range is reserved: reserved (host); five sources"

section "The device is offered: /sys/bus/pvbus/devices"
run ls /sys/bus/pvbus/devices
B=/sys/bus/pvbus/devices/$INST
for a in class_id device_id modalias host; do
	echo "$a: $(cat "$B/$a")"
done
[ "$(cat "$B/class_id")" = "$CLASS" ] && [ "$(cat "$B/device_id")" = "$INST" ] &&
	[ "$(cat "$B/modalias")" = "pvbus:$CLASS" ]
check $? "device $INST on the bus"

section "Ping it over its channel"
caption "debugfs sends a PVBUS_MSG_PING with a cookie; the host echoes it."
echo "# echo 12345 > $DBG/devices/$INST/ping; cat $DBG/devices/$INST/ping"
echo 12345 > "$DBG/devices/$INST/ping"
out=$(cat "$DBG/devices/$INST/ping")
echo "$out"
[ "$out" = "cookie 0x3039 ok" ]
check $? "the host answered"

section "Remove it: echo 0 > $DEV/live"
echo "# echo 0 > $DEV/live"
echo 0 > "$DEV/live"
run ls /sys/bus/pvbus/devices
[ ! -e "$B" ] && [ ! -e "$DBG/devices/$INST" ]
check $? "the device is gone from the bus"

section "A paravirtual PCI bus: pci-pvbus"
caption "The host offers a PCI bus with two functions: 00.0 with a 64-bit" \
	"prefetchable 16 MiB BAR, 01.0 with a 32-bit 1 MiB BAR.  pci-pvbus takes" \
	"its 8 KiB config window above 4 GiB, enters D0, plans the BARs (64-bit" \
	"above 4 GiB, 32-bit below, off the framebuffer) and gives the functions" \
	"a PCI domain of their own."
PCI=$HOST/pci0
PCI_CLASS=$PVBUS_PCI_CLASS
PCI_INST=5e1d3c7a-9b2f-4d6e-9a0b-7c8d9e0f1a2b
run modprobe pci-pvbus
check $? "pci-pvbus loaded"
r=0
{
	mkdir "$PCI" "$PCI/big" "$PCI/small" &&
	echo "$PCI_CLASS" > "$PCI/class" && echo "$PCI_INST" > "$PCI/instance" &&
	echo 0x00 > "$PCI/big/slot" && echo "64p:16M" > "$PCI/big/bars" &&
	echo 0x1b36 > "$PCI/big/vendor" && echo 0x00fe > "$PCI/big/device" &&
	echo 0x08 > "$PCI/small/slot" && echo "32:1M" > "$PCI/small/bars" &&
	echo 0x1b36 > "$PCI/small/vendor" && echo 0x00fd > "$PCI/small/device" &&
	echo 1 > "$PCI/big/live" && echo 1 > "$PCI/small/live"
} || r=1
echo "# mkdir $PCI $PCI/big $PCI/small; echo 64p:16M > $PCI/big/bars; echo 32:1M > $PCI/small/bars; ..."
echo "# echo 1 > $PCI/live"
echo 1 > "$PCI/live" || r=1
check $r "the PCI bus is offered"
i=0
while [ ! -e /sys/bus/pci/devices/9a0b:00:01.0 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
dmesg | grep -E 'pci-pvbus' | tail -n 6
echo "# ls /sys/bus/pci/devices"
ls /sys/bus/pci/devices
for d in /sys/bus/pci/devices/9a0b:*; do
	[ -e "$d" ] || continue
	echo "${d##*/}: vendor $(cat "$d/vendor") device $(cat "$d/device") class $(cat "$d/class")"
	echo "    BAR 0: $(head -n 1 "$d/resource" | awk '{ print $1 "-" $2 }')"
done
iomem_pvbus | grep -E 'window|pci-pvbus|9a0b'
grep -q ': pci-pvbus 9a0b:00 config$' /proc/iomem &&
	[ -e /sys/bus/pci/devices/9a0b:00:00.0 ] && [ -e /sys/bus/pci/devices/9a0b:00:01.0 ]
check $? "domain 9a0b with both functions; the config window is busy above 4 GiB"
# The map as it is now, for the host to draw (demo/run.sh, pvbus-mmio-map).
for f in /proc/iomem "$DBG/mmio"; do
	echo "----- pvbus-mmio-map: begin $f -----"
	cat "$f"
	echo "----- pvbus-mmio-map: end $f -----"
done
echo "# echo 0 > $PCI/live"
echo 0 > "$PCI/live"
r=0
rmdir "$PCI/big" "$PCI/small" "$PCI" || r=1
[ ! -e /sys/bus/pci/devices/9a0b:00:00.0 ] || r=1
check $r "the bus is gone: resources released, D0 exited"

section "Take everything down"
run rmdir "$DEV" "$HOST"
run rmmod pci-pvbus pvbus_sim pvbus
check $? "modules unloaded"
cmp /tmp/iomem.base /proc/iomem > /dev/null
check $? "/proc/iomem is byte for byte as before"

echo
echo "pvbus demo: SUCCESS - windows published; reservations from screen_info," \
	"pci, firmware, reserve and host; a device offered, pinged and removed;" \
	"a paravirtual PCI bus in domain 9a0b; /proc/iomem restored"
