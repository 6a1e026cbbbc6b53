// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: a bus root whose windows lie in a PCI host bridge's window.
 *
 * A published window goes into free space of iomem_resource or into a
 * PCI host bridge window (mmio_iomem.c); in the latter it, and all the
 * space allocates in it, is a child of the bridge's resource.  When the
 * bridge goes, pci-host-generic's unbind for one, its windows are
 * released with all below them and freed: the pvbus window would be left
 * outside the tree with a freed parent, which its removal then writes.
 * A device link from the root to the device of the bridge's driver makes
 * the driver core unbind the root first; the root's windows then leave
 * iomem while the bridge's are still there.
 *
 * The allocator calls the root's tie for each such window, with the
 * window in the tree, under pci_lock_rescan_remove(), which
 * pci-host-generic (and other host bridge drivers) hold to remove their
 * root bus: from the insertion to the link, or to the removal of a
 * refused window, the bridge's root bus and its windows stay.  Once
 * linked, a bridge whose driver would unbind waits for the root's probe
 * to end (the link is in its probing state), and then unbinds the root
 * first.  A window in a host bridge window of no PCI bus, of a bridge a
 * PCI function owns (VMD's: it goes under the rescan lock, which the
 * root's removal would take again), or of a bridge whose driver is
 * unbinding already, is refused, and the root with it: a
 * root bound with a link made to a bridge that is going would have the
 * driver core warn.  A bridge whose driver is still probing (its root bus
 * shows before its probe() returns) may yet fail: no link is made to it,
 * and the root's probe is deferred until the bridge is bound.  If the
 * bridge's probe fails instead, the root is tried again only when the
 * driver core next retries deferred probes, which it does after some
 * other driver binds; until then it stays deferred, holding nothing in
 * iomem (a deferred probe gives its windows back).  ACPI's
 * root bridges have no driver to unbind (they go with their ACPI device,
 * which a VM's firmware does not remove): no link is made there.
 *
 * Not closed, in each case a refused window is removed while devres may
 * release and free its parent, and no lock the root can take orders the
 * two:
 * - a bridge whose driver's remove() has removed its root bus while devres
 *   has not yet released its windows (the moment after remove());
 * - a bridge driver that removes its root bus without the rescan lock
 *   (6.1's DesignWare, VMD, brcmstb and tegra drivers): its unbinding
 *   driver is seen, and the window refused, but not waited for;
 * - a bridge whose windows are in iomem before its root bus is registered
 *   (devm_pci_alloc_host_bridge() requests them), and whose probe then
 *   fails.
 * The windows of a bridge that is bound, with its root bus, are safe.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/pvbus_mmio.h>

#include "pvbus_internal.h"

/* Refuse a window with @err; the root's probe fails with the first. */
static int pvbus_root_tie_refused(struct pvbus_root *root, int err)
{
	if (!root->tie_err)
		root->tie_err = err;
	return err;
}

#ifdef CONFIG_PCI
/* The device of the driver that owns @bus's host bridge, or NULL. */
static struct device *pvbus_bridge_owner(struct pci_bus *bus)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(bus);
	struct device *owner = bridge ? bridge->dev.parent : NULL;

	return owner && owner->driver ? owner : NULL;
}

/**
 * pvbus_root_tie_window() - unbind the root before the PCI host bridge a
 *	window of its lies in
 * @data: the root, probing
 * @win: a window of the root's space, just inserted into a PCI host bridge
 *	window, its parent
 *
 * The allocator's tie (pvbus_mmio_space_set_tie()).  Makes the root's
 * device a consumer of the device of the driver that owns the bridge; the
 * link goes when the bridge's driver unbinds.  A second window in the same
 * bridge finds the link made.
 *
 * Context: process context, from the root's probe, under
 * pci_lock_rescan_remove().
 * Return: 0; -EBUSY if @win's parent is the window of no PCI root bus, of
 * a bridge a PCI function owns, or the bridge's driver is unbinding;
 * -EPROBE_DEFER if it is still probing.
 * The window must then not be kept, and the root's probe fails with the
 * first error (&pvbus_root.tie_err): a root bound with a link made to a
 * bridge that is going would have the driver core warn.
 */
int pvbus_root_tie_window(void *data, const struct resource *win)
{
	struct pvbus_root *root = data;
	struct device_link *link;
	struct device *owner;
	struct pci_bus *bus;

	bus = pvbus_mmio_root_bus_of(win->parent);
	if (!bus) {
		dev_err(root->dev, "window %pR lies in host bridge window %pR of no PCI bus (its bridge going away?): refused\n",
			win, win->parent);
		return pvbus_root_tie_refused(root, -EBUSY);
	}
	owner = pvbus_bridge_owner(bus);
	if (!owner)
		return 0;
	/*
	 * A PCI function (a VMD endpoint) goes under the rescan lock (sysfs
	 * remove, hot unplug): the root linked to it would be unbound under
	 * that lock, and its buses' removal takes it again.
	 */
	if (dev_is_pci(owner)) {
		dev_err(root->dev, "window %pR lies in a PCI host bridge window of PCI function %s, which goes under the lock the root's removal takes: refused\n",
			win, dev_name(owner));
		return pvbus_root_tie_refused(root, -EBUSY);
	}
	/*
	 * A bridge whose driver is still probing (its root bus shows before
	 * its probe() returns) may yet fail, and a link made now would be
	 * left behind then: the root tries again once the bridge is bound.
	 * One that is bound cannot unbind meanwhile: its remove() waits for
	 * the rescan lock held here.
	 */
	if (READ_ONCE(owner->links.status) == DL_DEV_PROBING) {
		dev_info(root->dev, "%s, whose PCI host bridge window holds %pR, is still probing: tried again once it is bound\n",
			 dev_name(owner), win);
		return pvbus_root_tie_refused(root, -EPROBE_DEFER);
	}
	/*
	 * Dropped when the bridge's driver goes, not when the root's does:
	 * a link made while that driver unbinds is dropped by the driver
	 * core as it unbinds, whether the root's failed probe came first
	 * or not (a link the consumer's unbind drops would warn there if
	 * the probe had not failed yet).
	 */
	link = device_link_add(root->dev, owner, DL_FLAG_AUTOREMOVE_SUPPLIER);
	/* Not bound and staying so: the bridge's driver is going. */
	if (!link || READ_ONCE(link->status) != DL_STATE_CONSUMER_PROBE) {
		dev_err(root->dev, "cannot be linked to %s, whose PCI host bridge window holds %pR: refused\n",
			dev_name(owner), win);
		return pvbus_root_tie_refused(root, -EBUSY);
	}
	dev_dbg(root->dev, "unbinds before %s, whose PCI host bridge window holds %pR\n",
		dev_name(owner), win);
	return 0;
}
#else
int pvbus_root_tie_window(void *data, const struct resource *win)
{
	struct pvbus_root *root = data;

	dev_err(root->dev, "window %pR lies in host bridge window %pR without PCI: refused\n",
		win, win->parent);
	return pvbus_root_tie_refused(root, -EBUSY);
}
#endif
