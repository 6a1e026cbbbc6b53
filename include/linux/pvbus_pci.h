/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus PCI protocol: the wire format between pci-pvbus (the guest's
 * paravirtual PCI front-end) and the host.
 *
 * Every message is a &struct pvbus_msg_hdr (<linux/pvbus_wire.h>) followed
 * by one of the payloads below, all little-endian and packed.  Requests go
 * guest to host and are answered with the same type; notifications go host
 * to guest with PVBUS_MSG_F_NOTIFY.
 *
 * The life of a bus:
 *
 * 1. QUERY_VERSION, newest version first, then older ones until the host
 *    accepts one (PVBUS_STATUS_SUCCESS) or none is left.
 * 2. QUERY_RELATIONS: the functions behind the bus.
 * 3. QUERY_RESOURCES per function: its BARs as the host probed them.
 * 4. The guest allocates an 8 KiB config window and BAR windows, and
 *    sends D0_ENTRY with the config window's address.  The host refuses a
 *    window that overlaps what it believes is in use (the framebuffer),
 *    that is misaligned, or that is outside the bus's MMIO windows.
 * 5. Config space is reached through the config window: a write of the
 *    function's devfn to page 0 selects it, page 1 is its config space.
 *    Where the window is not real MMIO (the simulated host), the host
 *    backend's window ops are called instead.
 * 6. ASSIGNED_RESOURCES per function, after the guest placed its BARs.
 * 7. The host may send RELATIONS_CHANGED (hot add, with the new list) and
 *    EJECT (the guest removes the function, then sends EJECT_COMPLETE).
 * 8. Teardown: RELEASED_RESOURCES per function, then D0_EXIT.
 *
 * Every message is written in the version QUERY_VERSION settled on (a
 * QUERY_VERSION message carries the version it proposes), and reserved
 * fields are 0.  A response has the type of its request and, on success,
 * this layout; a refusal may be a bare header with a status:
 *
 *   QUERY_VERSION       request and response &struct pvbus_pci_version
 *   D0_ENTRY            request &struct pvbus_pci_d0_entry, echoed
 *   D0_EXIT             request and response a bare header
 *   QUERY_RELATIONS     request a bare header, response
 *                       &struct pvbus_pci_relations
 *   QUERY_RESOURCES     request &struct pvbus_pci_devfn_msg, response
 *                       &struct pvbus_pci_resources
 *   ASSIGNED_RESOURCES  request &struct pvbus_pci_assigned, echoed
 *   RELEASED_RESOURCES  request &struct pvbus_pci_devfn_msg, echoed
 *   EJECT_COMPLETE      request &struct pvbus_pci_devfn_msg, echoed
 *   RELATIONS_CHANGED   notification &struct pvbus_pci_relations
 *   EJECT               notification &struct pvbus_pci_devfn_msg
 */
#ifndef _LINUX_PVBUS_PCI_H
#define _LINUX_PVBUS_PCI_H

#include <asm/byteorder.h>
#include <linux/build_bug.h>
#include <linux/pvbus_wire.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/uuid.h>

/* Class of a paravirtual PCI bus channel. */
#define PVBUS_PCI_CLASS_STR	"c5a1b9e2-7d3f-4e58-a0c4-5b2d8e6f1a37"
#define PVBUS_PCI_CLASS \
	GUID_INIT(0xc5a1b9e2, 0x7d3f, 0x4e58, \
		  0xa0, 0xc4, 0x5b, 0x2d, 0x8e, 0x6f, 0x1a, 0x37)

/* Protocol versions, newest first in negotiation. */
#define PVBUS_PCI_VERSION_1_0	0x0100
#define PVBUS_PCI_VERSION_1_1	0x0101	/* adds PVBUS_PCI_FN_PRESERVE */
#define PVBUS_PCI_VERSION_MIN	PVBUS_PCI_VERSION_1_0
#define PVBUS_PCI_VERSION_MAX	PVBUS_PCI_VERSION_1_1

/* Message types. */
#define PVBUS_PCI_MSG_QUERY_VERSION	(PVBUS_MSG_CLASS_BASE + 0x00)
#define PVBUS_PCI_MSG_D0_ENTRY		(PVBUS_MSG_CLASS_BASE + 0x01)
#define PVBUS_PCI_MSG_D0_EXIT		(PVBUS_MSG_CLASS_BASE + 0x02)
#define PVBUS_PCI_MSG_QUERY_RELATIONS	(PVBUS_MSG_CLASS_BASE + 0x03)
#define PVBUS_PCI_MSG_QUERY_RESOURCES	(PVBUS_MSG_CLASS_BASE + 0x04)
#define PVBUS_PCI_MSG_ASSIGNED_RESOURCES (PVBUS_MSG_CLASS_BASE + 0x05)
#define PVBUS_PCI_MSG_RELEASED_RESOURCES (PVBUS_MSG_CLASS_BASE + 0x06)
#define PVBUS_PCI_MSG_RELATIONS_CHANGED	(PVBUS_MSG_CLASS_BASE + 0x07)
#define PVBUS_PCI_MSG_EJECT		(PVBUS_MSG_CLASS_BASE + 0x08)
#define PVBUS_PCI_MSG_EJECT_COMPLETE	(PVBUS_MSG_CLASS_BASE + 0x09)

/* The config window. */
#define PVBUS_PCI_CFG_WINDOW_SIZE	0x2000
#define PVBUS_PCI_CFG_WINDOW_ALIGN	0x1000
#define PVBUS_PCI_CFG_SELECT		0x0000	/* page 0: __le32 devfn */
#define PVBUS_PCI_CFG_SPACE		0x1000	/* page 1: config space */
#define PVBUS_PCI_CFG_SPACE_SIZE	0x1000

/* Most functions behind one bus; the highest devfn; BARs per function. */
#define PVBUS_PCI_MAX_FUNCTIONS		32
#define PVBUS_PCI_MAX_DEVFN		0xff
#define PVBUS_PCI_NR_BARS		6

/* pvbus_pci_function.flags */
#define PVBUS_PCI_FN_PRESERVE		0x1	/* keep the host's BAR addresses */
#define PVBUS_PCI_FN_ALL		PVBUS_PCI_FN_PRESERVE

/**
 * struct pvbus_pci_version - QUERY_VERSION request and response
 * @hdr: header
 * @version: the version proposed; the response repeats the one accepted
 * @reserved: 0
 */
struct pvbus_pci_version {
	struct pvbus_msg_hdr hdr;
	__le16 version;
	__le16 reserved[3];
} __packed;

/**
 * struct pvbus_pci_d0_entry - D0_ENTRY request
 * @hdr: header
 * @cfg_base: guest physical address of the config window
 * @cfg_size: its size, %PVBUS_PCI_CFG_WINDOW_SIZE
 * @reserved: 0
 */
struct pvbus_pci_d0_entry {
	struct pvbus_msg_hdr hdr;
	__le64 cfg_base;
	__le32 cfg_size;
	__le32 reserved;
} __packed;

/**
 * struct pvbus_pci_function - one function behind the bus
 * @devfn: its devfn on the bus, at most %PVBUS_PCI_MAX_DEVFN
 * @vendor: vendor id
 * @device: device id
 * @class: class code (base << 16 | sub << 8 | prog-if)
 * @revision: revision id
 * @reserved0: 0
 * @subsys_vendor: subsystem vendor id
 * @subsys_device: subsystem id
 * @serial: serial number the host gives the function
 * @flags: PVBUS_PCI_FN_*
 */
struct pvbus_pci_function {
	__le32 devfn;
	__le16 vendor;
	__le16 device;
	__le32 class;
	u8 revision;
	u8 reserved0[3];
	__le16 subsys_vendor;
	__le16 subsys_device;
	__le32 serial;
	__le32 flags;
} __packed;

static_assert(sizeof(struct pvbus_pci_function) == 28);
static_assert(offsetof(struct pvbus_pci_function, class) == 8);
static_assert(offsetof(struct pvbus_pci_function, revision) == 12);
static_assert(offsetof(struct pvbus_pci_function, subsys_vendor) == 16);
static_assert(offsetof(struct pvbus_pci_function, serial) == 20);
static_assert(offsetof(struct pvbus_pci_function, flags) == 24);

/**
 * struct pvbus_pci_fn_desc - a function as the host describes it
 * @devfn: its devfn on the bus
 * @vendor: vendor id
 * @device: device id
 * @class: class code
 * @revision: revision id
 * @subsys_vendor: subsystem vendor id
 * @subsys_device: subsystem id
 * @serial: serial number
 * @flags: PVBUS_PCI_FN_*
 *
 * &struct pvbus_pci_function in CPU byte order, without its reserved
 * bytes: what the guest decodes from the relations and what a host
 * encodes into them.  It is no wire format; nothing checks it here.
 */
struct pvbus_pci_fn_desc {
	u32 devfn;
	u16 vendor;
	u16 device;
	u32 class;
	u8 revision;
	u16 subsys_vendor;
	u16 subsys_device;
	u32 serial;
	u32 flags;
};

/**
 * pvbus_pci_fn_encode() - write a function's description in wire format
 * @f: the entry of the relations, reserved bytes set to 0
 * @d: the function
 */
static inline void pvbus_pci_fn_encode(struct pvbus_pci_function *f,
				       const struct pvbus_pci_fn_desc *d)
{
	*f = (struct pvbus_pci_function) {
		.devfn		= cpu_to_le32(d->devfn),
		.vendor		= cpu_to_le16(d->vendor),
		.device		= cpu_to_le16(d->device),
		.class		= cpu_to_le32(d->class),
		.revision	= d->revision,
		.subsys_vendor	= cpu_to_le16(d->subsys_vendor),
		.subsys_device	= cpu_to_le16(d->subsys_device),
		.serial		= cpu_to_le32(d->serial),
		.flags		= cpu_to_le32(d->flags),
	};
}

/**
 * pvbus_pci_fn_decode() - read a function's description from wire format
 * @d: the function
 * @f: the entry of the relations, already copied out of the host's reach;
 *	its reserved bytes are the caller's to check
 */
static inline void pvbus_pci_fn_decode(struct pvbus_pci_fn_desc *d,
				       const struct pvbus_pci_function *f)
{
	*d = (struct pvbus_pci_fn_desc) {
		.devfn		= le32_to_cpu(f->devfn),
		.vendor		= le16_to_cpu(f->vendor),
		.device		= le16_to_cpu(f->device),
		.class		= le32_to_cpu(f->class),
		.revision	= f->revision,
		.subsys_vendor	= le16_to_cpu(f->subsys_vendor),
		.subsys_device	= le16_to_cpu(f->subsys_device),
		.serial		= le32_to_cpu(f->serial),
		.flags		= le32_to_cpu(f->flags),
	};
}

/**
 * struct pvbus_pci_relations - QUERY_RELATIONS response, RELATIONS_CHANGED
 * @hdr: header
 * @count: entries in @fn, at most %PVBUS_PCI_MAX_FUNCTIONS
 * @reserved: 0
 * @fn: the functions
 */
struct pvbus_pci_relations {
	struct pvbus_msg_hdr hdr;
	__le32 count;
	__le32 reserved;
	struct pvbus_pci_function fn[];
} __packed;

/**
 * struct pvbus_pci_devfn_msg - a request or notification naming one devfn
 * @hdr: header
 * @devfn: the function's devfn
 * @reserved: 0
 *
 * QUERY_RESOURCES and RELEASED_RESOURCES requests, EJECT notifications,
 * EJECT_COMPLETE requests.
 */
struct pvbus_pci_devfn_msg {
	struct pvbus_msg_hdr hdr;
	__le32 devfn;
	__le32 reserved;
} __packed;

/**
 * struct pvbus_pci_bar - one BAR as the host describes it
 * @probed: what the BAR reads after all ones were written to it, the flag
 *	bits included; for a 64-bit BAR the upper half is in the next
 *	entry's @probed.  0: no BAR.
 * @reserved: 0
 * @host_addr: the address the host assigned (for functions with
 *	%PVBUS_PCI_FN_PRESERVE), else 0; for a 64-bit BAR the whole address
 *	is in the lower entry
 */
struct pvbus_pci_bar {
	__le32 probed;
	__le32 reserved;
	__le64 host_addr;
} __packed;

/**
 * struct pvbus_pci_resources - QUERY_RESOURCES response
 * @hdr: header
 * @devfn: the function's devfn
 * @reserved: 0
 * @bar: its BARs
 */
struct pvbus_pci_resources {
	struct pvbus_msg_hdr hdr;
	__le32 devfn;
	__le32 reserved;
	struct pvbus_pci_bar bar[PVBUS_PCI_NR_BARS];
} __packed;

/**
 * struct pvbus_pci_assigned - ASSIGNED_RESOURCES request
 * @hdr: header
 * @devfn: the function's devfn
 * @reserved: 0
 * @addr: the address of each BAR as the guest placed it, 0 for none; a
 *	64-bit BAR's address is in the lower entry and the upper entry is 0
 */
struct pvbus_pci_assigned {
	struct pvbus_msg_hdr hdr;
	__le32 devfn;
	__le32 reserved;
	__le64 addr[PVBUS_PCI_NR_BARS];
} __packed;

#endif /* _LINUX_PVBUS_PCI_H */
