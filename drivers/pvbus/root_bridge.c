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
 * iomem while the bridge's are still there.
 *
 * The root looks under pci_lock_rescan_remove(), which a host bridge's
 * driver holds to remove its root bus: a window in a host bridge window
 * of no PCI bus, or of a bridge whose driver is unbinding already, is
 * refused, since nothing would keep the bridge's window from going first.
 * ACPI's root bridges have no driver to unbind (they go with their ACPI
 * device, which a VM's firmware does not remove): no link is made there.
 *
 * Not closed: the windows are inserted, and the lock dropped, before the
 * root looks.  A bridge whose driver removes its root bus in between is
 * found by nobody, and the root is refused, but its window is then taken
 * out of the tree through the bridge's window, which devres may have
 * freed by then.  Holding the lock from the insertion to the link (and
 * the undo) would close it.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/pvbus_mmio.h>

#include "pvbus_internal.h"

#ifdef CONFIG_PCI
/* Root buses come and go, and a host bridge's driver goes, under it. */
#define pvbus_bridges_lock()	pci_lock_rescan_remove()
#define pvbus_bridges_unlock()	pci_unlock_rescan_remove()

/* The root bus one of whose windows holds @win, or NULL. */
static struct pci_bus *pvbus_bridge_bus(struct pvbus_root *root,
					const struct pvbus_range *win)
{
	struct pci_bus *bus = NULL;
	struct resource *r;
	unsigned int i;

	while ((bus = pci_find_next_bus(bus)))
		pci_bus_for_each_resource(bus, r, i)
			if (r && pvbus_mmio_window_in(root->space, win->start, r))
				return bus;
	return NULL;
}

/*
 * Tie @root to the driver of the host bridge whose window holds @win,
 * unless done already for another window (@owners, @nr) or the bridge has
 * no driver.
 */
static int pvbus_bridge_tie(struct pvbus_root *root,
			    const struct pvbus_range *win,
			    struct device **owners, unsigned int *nr)
{
	struct pci_bus *bus = pvbus_bridge_bus(root, win);
	struct pci_host_bridge *bridge;
	struct device_link *link;
	struct device *owner;
	unsigned int j;

	if (!bus)
		return -ENODEV;
	bridge = pci_find_host_bridge(bus);
	owner = bridge ? bridge->dev.parent : NULL;
	if (!owner || !owner->driver)
		return 0;
	for (j = 0; j < *nr; j++)
		if (owners[j] == owner)
			return 0;
	link = device_link_add(root->dev, owner, DL_FLAG_AUTOREMOVE_CONSUMER);
	/* Not bound and staying so: the bridge's driver is going. */
	if (!link || READ_ONCE(link->status) != DL_STATE_CONSUMER_PROBE) {
		dev_err(root->dev, "cannot be linked to %s, whose PCI host bridge window holds [mem %#llx-%#llx]: refused\n",
			dev_name(owner), win->start,
			win->start + win->size - 1);
		return -EBUSY;
	}
	dev_dbg(root->dev, "unbinds before %s, whose PCI host bridge window holds [mem %#llx-%#llx]\n",
		dev_name(owner), win->start, win->start + win->size - 1);
	owners[(*nr)++] = owner;
	return 0;
}
#else
static int pvbus_bridge_tie(struct pvbus_root *root,
			    const struct pvbus_range *win,
			    struct device **owners, unsigned int *nr)
{
	return -ENODEV;
}

#define pvbus_bridges_lock()	do { } while (0)
#define pvbus_bridges_unlock()	do { } while (0)
#endif

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
 * Return: 0; -EBUSY if a window lies neither in free space of iomem nor
 * in a window of a live PCI root bus, or a link cannot be made (the root
 * must then not keep its windows).
 */
int pvbus_root_link_bridges(struct pvbus_root *root)
{
	struct device *owners[PVBUS_MAX_WINDOWS];
	const struct pvbus_range *win;
	unsigned int i, nr = 0;
	int ret = 0;

	pvbus_bridges_lock();
	for (i = 0; i < root->nr_windows; i++) {
		win = &root->windows[i];
		if (pvbus_mmio_window_in(root->space, win->start,
					 &iomem_resource))
			continue;
		ret = pvbus_bridge_tie(root, win, owners, &nr);
		if (ret == -ENODEV) {
			dev_err(root->dev, "window [mem %#llx-%#llx] lies in a host bridge window of no PCI bus (its bridge going away?): refused\n",
				win->start, win->start + win->size - 1);
			ret = -EBUSY;
		}
		if (ret)
			break;
	}
	pvbus_bridges_unlock();
	return ret;
}
