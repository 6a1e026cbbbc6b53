# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A real PCI device of the guest, its QEMU NVMe, driven natively and passed
# through by the simulated host (busybox sh), installed as
# /usr/share/pvbus/passthrough.sh.  Source tap.sh and pvbus.sh first:
#
#	. /usr/share/pvbus/tap.sh
#	. /usr/share/pvbus/pvbus.sh
#	. /usr/share/pvbus/passthrough.sh
#
# The device: driver_of, bound, header, pt_iomem, nvme_irqs, dma_remaps;
# its disk: pattern, disk_write, disk_check; the simulated host taking it:
# pt_names, pt_bus, pt_take, pt_hot_add.

# driver_of DEVDIR: the name of the driver bound to a device, or nothing.
driver_of() {
	readlink "$1/driver" 2> /dev/null | sed 's|.*/||'
}

# bound DEVDIR: the stock nvme driver is bound and its disk is there.
# shellcheck disable=SC2317 # run through wait_for
bound() {
	[ "$(driver_of "$1")" = nvme ] && nvme_disk "$1" > /dev/null
}

# pattern FILE SEED: 1 MiB of pseudo-random data.
pattern() {
	awk -v seed="$2" 'BEGIN { srand(seed); for (i = 0; i < 65536; i++)
		printf "%08x%08x\n", int(rand() * 4294967296), i }' | head -c 1048576 > "$1"
}

# disk_write DISK FILE MIB: FILE at MIB MiB of /dev/DISK, synced.
disk_write() {
	dd if="$2" of="/dev/$1" bs=1M count=1 seek="$3" conv=fsync 2> /dev/null
}

# disk_check DISK FILE MIB: what is at MIB MiB of /dev/DISK is FILE,
# read from the device (O_DIRECT, the page cache dropped).
disk_check() {
	echo 3 > /proc/sys/vm/drop_caches
	dd if="/dev/$1" of=/tmp/readback bs=1M count=1 skip="$3" iflag=direct 2> /dev/null &&
		cmp -s "$2" /tmp/readback
}

# dma_remaps: the remapped coherent DMA areas, those of devices that are
# not DMA-coherent.
dma_remaps() {
	grep -c ' dma-coherent' /proc/vmallocinfo
}

# header DEV: the command register and the BARs of DEV, in hex.
header() {
	od -An -tx1 -j4 -N2 "$1/config"
	od -An -tx1 -j16 -N24 "$1/config"
}

# nvme_irqs CTRL: the interrupts of an NVMe controller (nvme0) in
# /proc/interrupts, summed over the CPUs, and the chips they come from.
nvme_irqs() {
	awk -v c="$1" '$NF ~ "^" c "q[0-9]+$" {
			for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
				n += $i
			chips[$i] = 1
		}
		END { printf "%d", n; for (k in chips) printf " %s", k; print "" }' /proc/interrupts
}

# pt_iomem ADDR: the entries of the PCI function ADDR and of the nvme
# driver in /proc/iomem.
pt_iomem() {
	grep -E "$1|: nvme\$" /proc/iomem
}

# pt_names SIM HEAD TAIL: the names of a test that passes the NVMe
# through the simulated host SIM (sim0, sim1, ...) on a bus whose instance
# id is HEAD-DOM-TAIL.  NATIVE and NATDEV: the function's native address
# and sysfs directory; HOST, DEV and FN: the host, its bus and its
# function in configfs; DOM: the domain, bytes 8-9 of the instance id
# (consts.sh's: a GICv3 guest's IORT maps it to the ITS); INST: the
# instance id; PVDEV: the function on the pvbus domain; BUSDEV: the bus's
# pvbus device.
# shellcheck disable=SC2034 # the names are for the tests that source this
pt_names() {
	NATIVE=$PVBUS_NVME_ADDR
	NATDEV=/sys/bus/pci/devices/$NATIVE
	HOST=/sys/kernel/config/pvbus_sim/$1
	DEV=$HOST/pci0
	FN=$DEV/nvme
	DOM=$PVBUS_PT_DOMAIN
	INST=$2-$DOM-$3
	PVDEV=/sys/bus/pci/devices/$DOM:00:00.0
	BUSDEV=/sys/bus/pvbus/devices/$INST
}

# pt_bus HOST DEV INSTANCE: the simulated host HOST (a configfs directory)
# with the PCI bus DEV, instance id INSTANCE, nothing live.
pt_bus() {
	mkdir "$1" "$2" && echo "$PVBUS_PCI_CLASS" > "$2/class" &&
		echo "$3" > "$2/instance" && echo 1 > "$2/live"
}

# pt_take FN ADDR: the host takes the guest's PCI function ADDR for its
# function FN (a configfs directory), slot 0.
pt_take() {
	mkdir -p "$1" && echo 0 > "$1/slot" && echo "$2" > "$1/passthrough"
}

# pt_hot_add FN ADDR PCIDEV: ADDR taken for FN and hot added; the stock
# nvme driver binds to it, the PCI device PCIDEV (a sysfs directory).
pt_hot_add() {
	pt_take "$1" "$2" && echo 1 > "$1/live" && wait_for 50 test -e "$3" &&
		wait_for 150 bound "$3"
}

# pt_nomsi_why: why this guest has no PCI domain that firmware gives no
# MSI, or nothing.  An ITS guest's IORT (GIC=3) names $PVBUS_PT_DOMAIN
# alone; GICv2m and x86 give every domain MSI, and a device tree's
# msi-map names no domain.
pt_nomsi_why() {
	if ! grep -q ' ITS-MSI ' /proc/interrupts; then
		echo "no ITS: GICv2m and x86 give every domain MSI"
	elif [ ! -e /sys/firmware/acpi/tables/IORT ]; then
		echo "a device tree's msi-map names no PCI domain: every bus's 00.0 is mapped"
	fi
}
