// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the choice of a bus's PCI domain (or, without PCI domains, of
 * its root bus number).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "pci-pvbus-domain.h"
#include "pci-pvbus.h"

/* Largest PCI domain chosen; without domains, largest root bus number. */
#define PCI_PVBUS_MAX_DOMAIN	0xffff
#define PCI_PVBUS_MAX_BUSNR	0xff

/* Serialises the choice of domains; holds those of our buses. */
static DEFINE_MUTEX(pci_pvbus_ids_lock);
static DEFINE_XARRAY(pci_pvbus_ids);

struct pci_pvbus_ids {
	u32 *id;
	unsigned int nr;
	unsigned int room;
};

static int pci_pvbus_add_id(struct pci_pvbus_ids *ids, u32 id)
{
	if (ids->nr == ids->room) {
		unsigned int room = max(2 * ids->room, 16U);
		u32 *more;

		more = krealloc_array(ids->id, room, sizeof(*more), GFP_KERNEL);
		if (!more)
			return -ENOMEM;
		ids->id = more;
		ids->room = room;
	}
	ids->id[ids->nr++] = id;
	return 0;
}

/* The domains (or, without domains, the bus numbers) in use. */
static int pci_pvbus_ids_in_use(struct pci_pvbus_ids *ids)
{
	struct pci_bus *bus = NULL;
	unsigned long id;
	void *entry;
	int ret = 0;

	if (IS_ENABLED(CONFIG_PCI_DOMAINS)) {
		while (!ret && (bus = pci_find_next_bus(bus)))
			ret = pci_pvbus_add_id(ids, pci_domain_nr(bus));
	} else {
		for (id = 0; !ret && id <= PCI_PVBUS_MAX_BUSNR; id++)
			if (pci_find_bus(0, id))
				ret = pci_pvbus_add_id(ids, id);
	}
	xa_for_each(&pci_pvbus_ids, id, entry)
		if (!ret)
			ret = pci_pvbus_add_id(ids, id);
	return ret;
}

/*
 * Choose the bus's domain from its instance id, as the old front-ends
 * did: bytes 8 and 9, the fourth group of the UUID as printed.  Without
 * PCI domains, choose the number of its root bus instead.
 */
int pci_pvbus_reserve_id(struct pci_pvbus *pb)
{
	const guid_t *inst = &pb->pdev->instance;
	u32 wanted = inst->b[8] << 8 | inst->b[9];
	bool domains = IS_ENABLED(CONFIG_PCI_DOMAINS);
	struct pci_pvbus_ids ids = {};
	int id;

	mutex_lock(&pci_pvbus_ids_lock);
	id = pci_pvbus_ids_in_use(&ids);
	if (!id)
		id = pci_pvbus_pick_id(wanted, ids.id, ids.nr,
				       domains ? PCI_PVBUS_MAX_DOMAIN :
						 PCI_PVBUS_MAX_BUSNR);
	kfree(ids.id);
	if (id >= 0) {
		int ret = xa_insert(&pci_pvbus_ids, id, pb, GFP_KERNEL);

		if (ret)
			id = ret;
	}
	mutex_unlock(&pci_pvbus_ids_lock);

	if (id < 0) {
		dev_err(&pb->pdev->dev, "no free PCI %s: %d\n",
			domains ? "domain" : "bus number", id);
		return id;
	}
	if (domains) {
		pb->domain = id;
		pb->busnr = 0;
	} else {
		pb->domain = 0;
		pb->busnr = id;
	}
	if (domains && id != wanted)
		dev_info(&pb->pdev->dev, "PCI domain %04x is not available: using %04x\n",
			 wanted, id);
	snprintf(pb->name, sizeof(pb->name), "pci-pvbus %04x:%02x",
		 pb->domain, pb->busnr);
	return 0;
}

void pci_pvbus_release_id(struct pci_pvbus *pb)
{
	mutex_lock(&pci_pvbus_ids_lock);
	xa_erase(&pci_pvbus_ids, IS_ENABLED(CONFIG_PCI_DOMAINS) ?
		 pb->domain : pb->busnr);
	mutex_unlock(&pci_pvbus_ids_lock);
}
