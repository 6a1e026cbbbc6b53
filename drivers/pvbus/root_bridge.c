// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: a bus root whose windows lie in a PCI host bridge's window.
 *
 * A published window goes into free space of iomem_resource or into a
 * PCI host bridge's window (mmio_iomem.c); in the latter it, and all the
 * space allocates in it, is a child of the bridge's resource.  When the
 * bridge goes, pci-host-generic's unbind for one, its windows are
 * released with all below them and freed: the pvbus window would be left
 * outside the tree with a freed parent, which its removal then writes.
 * A device link from the root to the device of the bridge's driver makes
 * the driver core unbind the root first; the root's windows then leave
 * while the bridge's are still there.
 *
 * ACPI's root bridges have no driver to unbind (they go with their ACPI
 * device, which a VM's firmware does not remove): no link is made.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <linux/device.h>
#include <linux/pci.h>

#include "pvbus_internal.h"

/*
 * The device of the driver that owns the PCI host bridge whose window in
 * iomem holds @win, or NULL.  The caller holds pci_lock_rescan_remove().
 */
static struct device *pvbus_bridge_owner(const struct pvbus_range *win)
{
	u64 end = win->start + win->size - 1;
	struct pci_host_bridge *bridge;
	struct pci_bus *bus = NULL;
	struct resource *r;
	unsigned int i;

	while ((bus = pci_find_next_bus(bus))) {
		pci_bus_for_each_resource(bus, r, i) {
			if (!r || resource_type(r) != IORESOURCE_MEM ||
			    !r->parent || win->start < r->start || end > r->end)
				continue;
			bridge = pci_find_host_bridge(bus);
			if (!bridge || !bridge->dev.parent ||
			    !bridge->dev.parent->driver)
				return NULL;
			return bridge->dev.parent;
		}
	}
	return NULL;
}

/**
 * pvbus_root_link_bridges() - unbind the root before the PCI host bridges
 *	its windows lie in
 * @root: the root, probing, with its windows in @root->windows published
 *
 * Makes @root->dev a consumer of the device of each driver that owns a PCI
 * host bridge whose window holds one of @root's windows.  The links go
 * when the root unbinds.
 *
 * Context: process context, from the root's probe.
 * Return: 0; -EBUSY if a link cannot be made (the root must then not keep
 * its windows).
 */
int pvbus_root_link_bridges(struct pvbus_root *root)
{
	struct device *owners[PVBUS_MAX_WINDOWS];
	unsigned int i, j, nr = 0;
	struct device *owner;
	int ret = 0;

	pci_lock_rescan_remove();
	for (i = 0; i < root->nr_windows; i++) {
		owner = pvbus_bridge_owner(&root->windows[i]);
		if (!owner)
			continue;
		for (j = 0; j < nr && owners[j] != owner; j++)
			;
		if (j < nr)
			continue;
		if (!device_link_add(root->dev, owner,
				     DL_FLAG_AUTOREMOVE_CONSUMER)) {
			dev_err(root->dev, "window [mem %#llx-%#llx] lies in a PCI host bridge window of %s, but the root cannot be linked to it: refused\n",
				root->windows[i].start,
				root->windows[i].start + root->windows[i].size - 1,
				dev_name(owner));
			ret = -EBUSY;
			break;
		}
		dev_dbg(root->dev, "unbinds before %s, whose PCI host bridge window holds [mem %#llx-%#llx]\n",
			dev_name(owner), root->windows[i].start,
			root->windows[i].start + root->windows[i].size - 1);
		owners[nr++] = owner;
	}
	pci_unlock_rescan_remove();
	return ret;
}
