/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SSDT of the pvbus test guest, as hypervisors describe a bus: the windows
 * are the memory ranges of the _CRS of an ACPI module device, \_SB.PVM0
 * (_HID "ACPI0004", as Hyper-V's VMOD), and the bus root, \_SB.PVM0.PVB0
 * (_HID "PVBS0001", as Hyper-V's VMBS), is its child with no memory in a
 * _CRS of its own.  The ACPI core claims no range of a module device's
 * _CRS (the container driver takes the device; no platform device is
 * made for it), so the low window, which covers the VGA BAR, does not
 * steal it before PCI claims it: pvbus walks the _CRS itself.
 *
 * The same windows as ssdt/pvbus.asl's defaults (see there); the bus
 * root's _DSD keeps only "reserved-ranges".  guest.sh --ssdt crs.
 *
 * A second module device, \_SB.PVM1, is one only by the last of its ten
 * hardware ids (_HID "PVBS0000", then nine _CIDs, "ACPI0004" last), as
 * the ACPI core matches ids: all of them.  Its child \_SB.PVM1.PVB1 is
 * a second bus root, whose windows are its _CRS's, ssdt/pvbus.asl's
 * PVBUS_SECOND_WINDOWS (lib/consts.sh's PVBUS_LOW2_* and PVBUS_HIGH2_*).
 * PVBUS_ARM64 (defined by the harness for an arm64 guest): the virt
 * machine's windows of ssdt/pvbus.asl, and _CCA on the bus root.
 */

#ifdef PVBUS_ARM64
#define PVBUS_CRS_LOW	0x30000000, 0x3dffffff, 0x0, 0x0e000000
#define PVBUS_CRS_HIGH	0x9000000000, 0x90ffffffff, 0x0, 0x100000000
#define PVBUS_CRS_RSV	0x9000000000, 0x100000
#define PVBUS_CRS_LOW2	0x2f000000, 0x2fffffff, 0x0, 0x01000000
#define PVBUS_CRS_HIGH2	0x9100000000, 0x91ffffffff, 0x0, 0x100000000
#else
#define PVBUS_CRS_LOW	0xfd000000, 0xfe7fffff, 0x0, 0x1800000
#define PVBUS_CRS_HIGH	0x800000000, 0x8ffffffff, 0x0, 0x100000000
#define PVBUS_CRS_RSV	0x800000000, 0x100000
#define PVBUS_CRS_LOW2	0xfc000000, 0xfcffffff, 0x0, 0x01000000
#define PVBUS_CRS_HIGH2	0x900000000, 0x9ffffffff, 0x0, 0x100000000
#endif

DefinitionBlock ("", "SSDT", 2, "PVBUS", "PVBUSCRS", 0x00000001)
{
	Scope (\_SB)
	{
		Device (PVM0)
		{
			Name (_HID, "ACPI0004")
			Name (_UID, 0x50564d30)
			Name (_CRS, ResourceTemplate ()
			{
				QWordMemory (ResourceProducer, PosDecode,
					MinFixed, MaxFixed, Cacheable, ReadWrite,
					0x0, PVBUS_CRS_LOW)
				QWordMemory (ResourceProducer, PosDecode,
					MinFixed, MaxFixed, Cacheable, ReadWrite,
					0x0, PVBUS_CRS_HIGH)
			})

			Device (PVB0)
			{
				Name (_HID, "PVBS0001")
				Name (_UID, Zero)
#ifdef PVBUS_ARM64
				Name (_CCA, One)
#endif
				Name (_DSD, Package ()
				{
					ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
					Package ()
					{
						Package () { "reserved-ranges",
							Package () { PVBUS_CRS_RSV } },
					}
				})
			}
		}

		Device (PVM1)
		{
			Name (_HID, "PVBS0000")
			Name (_CID, Package ()
			{
				"PVBS0002", "PVBS0003", "PVBS0004", "PVBS0005",
				"PVBS0006", "PVBS0007", "PVBS0008", "PVBS0009",
				"ACPI0004"
			})
			Name (_UID, 0x50564d31)
			Name (_CRS, ResourceTemplate ()
			{
				QWordMemory (ResourceProducer, PosDecode,
					MinFixed, MaxFixed, Cacheable, ReadWrite,
					0x0, PVBUS_CRS_LOW2)
				QWordMemory (ResourceProducer, PosDecode,
					MinFixed, MaxFixed, Cacheable, ReadWrite,
					0x0, PVBUS_CRS_HIGH2)
			})

			Device (PVB1)
			{
				Name (_HID, "PVBS0001")
				Name (_UID, One)
#ifdef PVBUS_ARM64
				Name (_CCA, One)
#endif
			}
		}
	}
}
