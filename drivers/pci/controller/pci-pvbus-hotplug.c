// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: hotplug.  The host's notifications are queued and handled on
 * an ordered workqueue: a new list of functions hot adds those it did not
 * list before and removes those it no longer lists; an eject removes one.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "pci-pvbus.h"

/* ---------------------------------------------------------------------
 * Hotplug
 */

void pci_pvbus_set_listed(struct pci_pvbus *pb,
			  const struct pci_pvbus_fn_desc *desc,
			  unsigned int nr)
{
	unsigned int i;

	bitmap_zero(pb->listed, PVBUS_PCI_MAX_SLOT + 1);
	for (i = 0; i < nr; i++)
		__set_bit(desc[i].slot, pb->listed);
}

static bool pci_pvbus_same_fn(const struct pci_pvbus_fn_desc *a,
			      const struct pci_pvbus_fn_desc *b)
{
	return a->slot == b->slot && a->vendor == b->vendor &&
	       a->device == b->device && a->class == b->class &&
	       a->subsys_vendor == b->subsys_vendor &&
	       a->subsys_device == b->subsys_device && a->serial == b->serial;
}

/* Hot add @n functions described by @desc. */
static void pci_pvbus_hot_add(struct pci_pvbus *pb,
			      const struct pci_pvbus_fn_desc *desc,
			      unsigned int nr)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_plan plan;
	struct pci_pvbus_fn **fns;
	unsigned int i, n;
	int ret;

	fns = kcalloc(nr, sizeof(*fns), GFP_KERNEL);
	if (!fns)
		return;
	n = pci_pvbus_new_fns(pb, desc, nr, fns);
	if (!n)
		goto out;

	pci_lock_rescan_remove();
	ret = pci_pvbus_place_fns(pb, fns, n, &plan);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "hot add of %u function%s failed: %d\n", n,
			n == 1 ? "" : "s", ret);
		for (i = 0; i < n; i++)
			kfree(fns[i]);
		goto out;
	}
	pci_pvbus_windows_add(pb, &plan, fns);
	pci_pvbus_plan_free(&plan);

	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
		pci_pvbus_set_visible(pb, fns[i]->desc.slot, true);
		pci_pvbus_write_bars(pb, fns[i]);
	}
	for (i = 0; i < n; i++)
		pci_pvbus_add_fn(pb, fns[i]);
	for (i = 0; i < n; i++)
		pci_pvbus_finish_fn(pb, fns[i]);
	for (i = 0; i < n; i++)
		pci_pvbus_assign_fn(pb, fns[i]);
	pci_bus_add_devices(pb->bus);
	pci_unlock_rescan_remove();

	for (i = 0; i < n; i++)
		if (fns[i]->present)
			dev_info(dev, "function %02x.%x (%04x:%04x) added\n",
				 PCI_SLOT(fns[i]->desc.slot),
				 PCI_FUNC(fns[i]->desc.slot),
				 fns[i]->desc.vendor, fns[i]->desc.device);
out:
	kfree(fns);
}

static void pci_pvbus_relations_changed(struct pci_pvbus *pb, const void *msg,
					size_t len)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn_desc *desc, *add;
	struct pci_pvbus_fn *fn, *tmp;
	unsigned int nr, i, j, n = 0;
	int ret;

	desc = kcalloc(2 * PVBUS_PCI_MAX_FUNCTIONS, sizeof(*desc), GFP_KERNEL);
	if (!desc)
		return;
	add = desc + PVBUS_PCI_MAX_FUNCTIONS;

	ret = pci_pvbus_parse_relations(msg, len, pb->version,
					PVBUS_PCI_MSG_RELATIONS_CHANGED, desc,
					&nr);
	if (ret) {
		dev_err(dev, "malformed RELATIONS_CHANGED dropped: %d\n", ret);
		goto out;
	}
	pci_pvbus_set_listed(pb, desc, nr);

	/* Gone from the list, or another function in the same slot. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		for (i = 0; i < nr; i++)
			if (pci_pvbus_same_fn(&desc[i], &fn->desc))
				break;
		if (i < nr)
			continue;
		dev_info(dev, "function %02x.%x (%04x:%04x) is gone\n",
			 PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot),
			 fn->desc.vendor, fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
	}

	for (i = 0; i < nr; i++) {
		if (pci_pvbus_find_fn(pb, desc[i].slot))
			continue;
		for (j = 0; j < n; j++)
			if (add[j].slot == desc[i].slot)
				break;
		if (j == n)
			add[n++] = desc[i];
	}
	if (n)
		pci_pvbus_hot_add(pb, add, n);
out:
	kfree(desc);
}

static void pci_pvbus_eject(struct pci_pvbus *pb, const void *msg, size_t len)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;
	u32 slot;
	int ret;

	ret = pci_pvbus_check_slot_msg(msg, len, pb->version,
				       PVBUS_PCI_MSG_EJECT, &slot);
	if (ret) {
		dev_err(dev, "malformed EJECT dropped: %d\n", ret);
		return;
	}
	fn = pci_pvbus_find_fn(pb, slot);
	if (fn) {
		dev_info(dev, "function %02x.%x (%04x:%04x) ejected\n",
			 PCI_SLOT(slot), PCI_FUNC(slot), fn->desc.vendor,
			 fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
	} else if (test_bit(slot, pb->listed)) {
		/* Listed, but left out: there is nothing to remove. */
		dev_info(dev, "function %02x.%x ejected\n", PCI_SLOT(slot),
			 PCI_FUNC(slot));
	} else {
		dev_warn(dev,
			 "host ejects %02x.%x, which it never listed: ignored\n",
			 PCI_SLOT(slot), PCI_FUNC(slot));
		return;
	}
	__clear_bit(slot, pb->listed);
	pci_pvbus_slot_request(pb, PVBUS_PCI_MSG_EJECT_COMPLETE, slot);
}

struct pci_pvbus_note {
	struct list_head node;
	size_t len;
	u8 msg[];
};

static void pci_pvbus_handle(struct pci_pvbus *pb, const void *msg,
			     size_t len)
{
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);

	mutex_lock(&pb->lock);
	if (pb->state != PCI_PVBUS_RUNNING) {
		dev_warn(pci_pvbus_dev(pb), "%s while the bus is not running: dropped\n",
			 pci_pvbus_type_name(type));
	} else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		pci_pvbus_relations_changed(pb, msg, len);
	} else {
		pci_pvbus_eject(pb, msg, len);
	}
	mutex_unlock(&pb->lock);
}

void pci_pvbus_work(struct work_struct *work)
{
	struct pci_pvbus *pb = container_of(work, struct pci_pvbus, work);
	struct pci_pvbus_note *note;
	unsigned long flags;
	bool dying;

	for (;;) {
		spin_lock_irqsave(&pb->note_lock, flags);
		note = list_first_entry_or_null(&pb->notes,
						struct pci_pvbus_note, node);
		if (note)
			list_del(&note->node);
		dying = pb->dying;
		spin_unlock_irqrestore(&pb->note_lock, flags);
		if (!note)
			return;
		if (!dying)
			pci_pvbus_handle(pb, note->msg, note->len);
		kfree(note);
	}
}

/* A validated notification: queue it for the workqueue. */
void pci_pvbus_notify(struct pvbus_device *pdev, const void *msg,
		      size_t len)
{
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);
	struct pci_pvbus_note *note;
	unsigned long flags;

	if (!pb)
		return;
	if (type != PVBUS_PCI_MSG_RELATIONS_CHANGED &&
	    type != PVBUS_PCI_MSG_EJECT) {
		dev_warn_ratelimited(&pdev->dev, "unexpected notification of type %#x dropped\n",
				     type);
		return;
	}

	note = kmalloc(struct_size(note, msg, len), GFP_KERNEL);
	if (!note)
		return;
	note->len = len;
	memcpy(note->msg, msg, len);

	spin_lock_irqsave(&pb->note_lock, flags);
	if (pb->dying) {
		spin_unlock_irqrestore(&pb->note_lock, flags);
		kfree(note);
		return;
	}
	list_add_tail(&note->node, &pb->notes);
	queue_work(pb->wq, &pb->work);
	spin_unlock_irqrestore(&pb->note_lock, flags);
}

/* No more notifications; those queued are dropped. */
void pci_pvbus_stop_notes(struct pci_pvbus *pb)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	pb->dying = true;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	destroy_workqueue(pb->wq);
}

