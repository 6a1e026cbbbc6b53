/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the choice of a bus's PCI domain (pci-pvbus-domain.c).
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_DOMAIN_H
#define _PCI_PVBUS_DOMAIN_H

#include <linux/types.h>

struct acpi_table_header;
struct pci_pvbus;

/* More segments than this in one firmware source are not read. */
#define PCI_PVBUS_MAX_FW_SEGS	1024

/* Largest PCI domain chosen: 16 bits, as an ACPI PCI segment. */
#define PCI_PVBUS_MAX_DOMAIN	0xffff

/**
 * struct pci_pvbus_ids - a set of PCI domains (or root bus numbers)
 * @id: the numbers; may repeat
 * @nr: entries in @id
 * @room: room in @id
 */
struct pci_pvbus_ids {
	u32 *id;
	unsigned int nr;
	unsigned int room;
};

/**
 * struct pci_pvbus_fw_segs - the PCI segments firmware declares
 * @mcfg: the ACPI MCFG table as mapped, or NULL
 * @mcfg_len: bytes mapped at @mcfg
 * @mcfg_hdr: the table to put back, or NULL
 * @seg: the _SEG values of the ACPI devices that have one
 * @nr_seg: entries in @seg
 * @dt: the "linux,pci-domain" values of the DT nodes that have one
 * @nr_dt: entries in @dt
 * @more: a source declares more than %PCI_PVBUS_MAX_FW_SEGS
 */
struct pci_pvbus_fw_segs {
	const u8 *mcfg;
	size_t mcfg_len;
	struct acpi_table_header *mcfg_hdr;
	u64 *seg;
	unsigned int nr_seg;
	u32 *dt;
	unsigned int nr_dt;
	bool more;
};

#if IS_ENABLED(CONFIG_KUNIT)
int pci_pvbus_add_id(struct pci_pvbus_ids *ids, u32 id);
int pci_pvbus_mcfg_entries(const u8 *tbl, size_t len);
int pci_pvbus_pick_domain(u32 wanted, struct pci_pvbus_ids *taken,
			  const struct pci_pvbus_fw_segs *fw, u32 max);
#endif

int pci_pvbus_reserve_id(struct pci_pvbus *pb);
void pci_pvbus_release_id(struct pci_pvbus *pb);

#endif /* _PCI_PVBUS_DOMAIN_H */
