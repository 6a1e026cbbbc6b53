/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the choice of a bus's PCI domain (pci-pvbus-domain.c).
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_DOMAIN_H
#define _PCI_PVBUS_DOMAIN_H

struct pci_pvbus;

int pci_pvbus_reserve_id(struct pci_pvbus *pb);
void pci_pvbus_release_id(struct pci_pvbus *pb);

#endif /* _PCI_PVBUS_DOMAIN_H */
