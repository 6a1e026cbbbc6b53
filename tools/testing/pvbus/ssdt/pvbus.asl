/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SSDT of the pvbus test guest: the pvbus bus root, \_SB.PVB0, and an
 * absent PCI host bridge that declares a segment, \_SB.PVH0.
 *
 * QEMU i440fx with -vga std and -global i440FX-pcihost.pci-hole64-size=64G,
 * as guest.sh boots it.  The bus root has no _CRS on purpose: ACPI would
 * insert _CRS ranges into iomem before PCI claims its BARs, and a range
 * over the VGA BAR steals it.  The windows are _DSD properties instead, and
 * the driver claims them itself.
 *
 * This file is a template for the C-like iasl preprocessor.  guest.sh
 * compiles a copy with #defines of any of these put in front (a macro must
 * be one line); compiled alone it is the default (PRP0001) variant:
 *
 *   PVBUS_OWN_HID          defined: _HID "PVBS0001" (bound through an
 *                          acpi_match_table) and no "compatible"; else
 *                          _HID "PRP0001" and "compatible" = "pvbus,bus"
 *   PVBUS_COMPATIBLE       the "compatible" string with PRP0001
 *   PVBUS_MMIO_WINDOWS     "mmio-windows": u64 (start, size) pairs
 *   PVBUS_RESERVED_RANGES  "reserved-ranges": u64 (start, size) pairs;
 *                          may be defined empty for an empty package
 *   PVBUS_NO_RESERVED      defined: no "reserved-ranges" property at all
 *   PVBUS_SECOND_ROOT      defined: a second bus root, \_SB.PVB1 (_HID
 *                          "PVBS0001", so its device is PVBS0001:00), with
 *                          windows of its own: 0xfc000000 + 16 MiB (free
 *                          below the VGA BAR) and 0x900000000 + 4 GiB;
 *                          on arm64 0x2f000000 + 16 MiB (below the low
 *                          window) and 0x9100000000 + 4 GiB (above the
 *                          high one; lib/consts.sh has them too)
 *   PVBUS_DECLARED_SEGMENT the _SEG of \_SB.PVH0, a PCI host bridge that
 *                          firmware declares but that is absent (_STA 0),
 *                          as a hot-pluggable one is until it is added: no
 *                          bus may take its segment (default 0x7e57)
 *
 * e.g. guest.sh -s hid -D 'PVBUS_RESERVED_RANGES=0xfe000000, 0x100000'
 *
 * The default windows, against the guest's /proc/iomem:
 *
 *   low   0xfd000000 + 0x01800000 (0xfd000000-0xfe7fffff, 24 MiB): the
 *         16 MiB VGA BAR (the boot framebuffer, fully inside) and the
 *         8 MiB above it, free: SeaBIOS packs the remaining 32-bit BARs
 *         down from 0xfec00000 (the VGA MMIO BAR is 0xfebf0000), and no
 *         naturally aligned BAR there can straddle 0xfe800000.
 *   high  0x800000000 + 0x100000000 (32-36 GiB): inside the 64 GiB
 *         64-bit PCI hole 0x100000000-0x10ffffffff, far from the start
 *         where SeaBIOS puts 64-bit BARs.
 *
 * The default reserved range is the first MiB of the high window, so that
 * the allocator has a firmware reservation to honour.
 *
 * PVBUS_ARM64 (defined by the harness for an arm64 guest): QEMU's virt
 * machine, whose PCIe host windows are 0x10000000-0x3efeffff and
 * 0x8000000000-0xffffffffff (UEFI assigns BARs from their starts), and
 * whose framebuffer (ramfb, efifb) is in RAM:
 *
 *   low   0x30000000 + 0x0e000000 (0x30000000-0x3dffffff): the top of the
 *         32-bit host window, below its I/O space at 0x3eff0000
 *   high  0x9000000000 + 0x100000000: inside the 64-bit host window, far
 *         from its start
 *
 * and _CCA: arm64 takes the DMA coherence of the devices on the bus from
 * the bus root (the companion of their host bridge), and without _CCA
 * a device there could not do DMA at all.
 */

#ifndef PVBUS_COMPATIBLE
#define PVBUS_COMPATIBLE "pvbus,bus"
#endif

#ifdef PVBUS_ARM64
#define PVBUS_SECOND_WINDOWS 0x2f000000, 0x01000000, 0x9100000000, 0x100000000
#else
#define PVBUS_SECOND_WINDOWS 0xfc000000, 0x01000000, 0x900000000, 0x100000000
#endif

#ifdef PVBUS_ARM64
#ifndef PVBUS_MMIO_WINDOWS
#define PVBUS_MMIO_WINDOWS 0x30000000, 0x0e000000, 0x9000000000, 0x100000000
#endif
#ifndef PVBUS_RESERVED_RANGES
#define PVBUS_RESERVED_RANGES 0x9000000000, 0x100000
#endif
#endif

#ifndef PVBUS_MMIO_WINDOWS
#define PVBUS_MMIO_WINDOWS 0xfd000000, 0x01800000, 0x800000000, 0x100000000
#endif

#ifndef PVBUS_DECLARED_SEGMENT
#define PVBUS_DECLARED_SEGMENT 0x7e57
#endif

#ifndef PVBUS_RESERVED_RANGES
#define PVBUS_RESERVED_RANGES 0x800000000, 0x100000
#endif

DefinitionBlock ("", "SSDT", 2, "PVBUS", "PVBUSBUS", 0x00000001)
{
	Scope (\_SB)
	{
		Device (PVB0)
		{
#ifdef PVBUS_OWN_HID
			Name (_HID, "PVBS0001")
#else
			Name (_HID, "PRP0001")
#endif
			Name (_UID, Zero)
#ifdef PVBUS_ARM64
			Name (_CCA, One)
#endif
			Name (_DSD, Package ()
			{
				ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
				Package ()
				{
#ifndef PVBUS_OWN_HID
					Package () { "compatible", PVBUS_COMPATIBLE },
#endif
					Package () { "mmio-windows",
						Package () { PVBUS_MMIO_WINDOWS } },
#ifndef PVBUS_NO_RESERVED
					Package () { "reserved-ranges",
						Package () { PVBUS_RESERVED_RANGES } },
#endif
				}
			})
		}

#ifdef PVBUS_SECOND_ROOT
		Device (PVB1)
		{
			Name (_HID, "PVBS0001")
			Name (_UID, One)
#ifdef PVBUS_ARM64
			Name (_CCA, One)
#endif
			Name (_DSD, Package ()
			{
				ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
				Package ()
				{
					Package () { "mmio-windows",
						Package () { PVBUS_SECOND_WINDOWS } },
				}
			})
		}
#endif

		Device (PVH0)
		{
			Name (_HID, EisaId ("PNP0A08"))
			Name (_CID, EisaId ("PNP0A03"))
			Name (_UID, 0x7e57)
			Name (_SEG, PVBUS_DECLARED_SEGMENT)
			Name (_BBN, Zero)
			Method (_STA, 0, NotSerialized)
			{
				Return (Zero)
			}
		}
	}
}
