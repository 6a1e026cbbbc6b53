/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the checks on messages from the host (pci-pvbus-msg.c) and
 * the parsed forms of what the host describes.  Pure functions over a
 * copy of a message: the driver's requests and notifications use them,
 * and so does their KUnit suite.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_MSG_H
#define _PCI_PVBUS_MSG_H

#include <linux/bits.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/types.h>

/* Every message type the host may send, for the channel to validate. */
#define PCI_PVBUS_NR_MSG_SPECS	10
extern const struct pvbus_msg_spec pci_pvbus_msg_specs[PCI_PVBUS_NR_MSG_SPECS];

/* pci_pvbus_bar.flags */
#define PCI_PVBUS_BAR_64	BIT(0)	/* 64-bit memory BAR */
#define PCI_PVBUS_BAR_PREFETCH	BIT(1)	/* prefetchable */
#define PCI_PVBUS_BAR_UPPER	BIT(2)	/* upper half of the BAR before */
#define PCI_PVBUS_BAR_IO	BIT(3)	/* I/O BAR: never placed */

/**
 * struct pci_pvbus_bar - one BAR, decoded from what the host probed
 * @size: size in bytes, a power of two; 0 for no memory BAR to place
 * @host_addr: the address the host assigned (preserved functions only)
 * @flags: PCI_PVBUS_BAR_*
 */
struct pci_pvbus_bar {
	u64 size;
	u64 host_addr;
	u32 flags;
};

const char *pci_pvbus_status_name(u32 status);
int pci_pvbus_check_version(const void *msg, size_t len, u16 proposed);
int pci_pvbus_check_d0_entry(const void *msg, size_t len, u16 version,
			     u64 cfg_base, u32 cfg_size);
int pci_pvbus_check_bare(const void *msg, size_t len, u16 version, u16 type);
int pci_pvbus_check_devfn_msg(const void *msg, size_t len, u16 version,
			      u16 type, u32 *devfn);
int pci_pvbus_check_assigned(const void *msg, size_t len, u16 version,
			     const struct pvbus_pci_assigned *sent);
int pci_pvbus_parse_relations(const void *msg, size_t len, u16 version,
			      u16 type, struct pvbus_pci_fn_desc *fn,
			      unsigned int *nr);
int pci_pvbus_parse_resources(const void *msg, size_t len, u16 version,
			      u32 devfn, bool preserve,
			      struct pci_pvbus_bar *bar);

#endif /* _PCI_PVBUS_MSG_H */
