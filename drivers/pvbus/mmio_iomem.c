// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: where a window of a published space may go in
 * iomem_resource, among the resources of others.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: mmio: " fmt

#include <kunit/visibility.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "mmio_internal.h"
#include "pvbus_internal.h"

/*
 * The windows of every published space, all of them in iomem: a window
 * takes none of them in (see pvbus_mmio_may_adopt()).  The lock orders
 * the insertions and removals of published windows with the check.  It
 * is taken under the space's lock, and held across the space's tie.
 */
static LIST_HEAD(pvbus_mmio_published_wins);
static DEFINE_MUTEX(pvbus_mmio_published_lock);

/*
 * Hold the PCI core's root buses and their windows still, for
 * pvbus_mmio_insert_published(): pci-pvbus, for one, gives a root bus's
 * window back under pci_lock_rescan_remove(), and pci-host-generic (not
 * every host bridge driver) removes its root bus under it.  Taken before
 * the space's lock, as pci-pvbus takes it before allocating.
 */
VISIBLE_IF_KUNIT void pvbus_mmio_iomem_lock(void)
{
#ifdef CONFIG_PCI
	pci_lock_rescan_remove();
#endif
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_iomem_lock);

VISIBLE_IF_KUNIT void pvbus_mmio_iomem_unlock(void)
{
#ifdef CONFIG_PCI
	pci_unlock_rescan_remove();
#endif
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_iomem_unlock);

/*
 * Lock @space for a change of what it shows in the tree: a window, the
 * parts that show its reservations.  Both go in with insert_resource(),
 * which descends into whatever wholly contains them, a BAR too, and are
 * taken out again at once from what is not theirs (mmio_rsv.c).  In
 * iomem the PCI core releases BARs only under pci_lock_rescan_remove():
 * held across, no BAR is freed in between.  That lock comes before the
 * space's, so whether the space is published is read before either is
 * taken; a space published in between (it then had no window, but may
 * have one by now) is locked again.  Returns whether the space is
 * published, for pvbus_mmio_tree_unlock().
 */
bool pvbus_mmio_tree_lock(struct pvbus_mmio_space *space)
{
	bool published;

	for (;;) {
		published = pvbus_mmio_published(space);
		if (published)
			pvbus_mmio_iomem_lock();
		mutex_lock(&space->lock);
		/* A space is published once: this loops at most twice. */
		if (published == pvbus_mmio_published(space))
			return published;
		pvbus_mmio_tree_unlock(space, published);
	}
}

void pvbus_mmio_tree_unlock(struct pvbus_mmio_space *space, bool published)
{
	mutex_unlock(&space->lock);
	if (published)
		pvbus_mmio_iomem_unlock();
}

/**
 * pvbus_mmio_root_bus_of() - the PCI root bus one of whose windows is @res
 * @res: the resource; compared by identity, not by range
 *
 * For a space's tie (pvbus_mmio_space_set_tie()), which learns from it the
 * host bridge a window went into.
 *
 * Context: under pci_lock_rescan_remove(), as a tie is called: root buses
 * take no reference, the lock keeps them.
 * Return: the bus, or NULL (always without CONFIG_PCI).
 */
struct pci_bus *pvbus_mmio_root_bus_of(const struct resource *res)
{
#ifdef CONFIG_PCI
	struct pci_bus *bus = NULL;
	struct resource *r;
	unsigned int i;

	while ((bus = pci_find_next_bus(bus)))
		pci_bus_for_each_resource(bus, r, i)
			if (r == res)
				return bus;
#endif
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_root_bus_of);

/*
 * Is @res a PCI host bridge window: what the host bridge forwards, meant to
 * be divided among what lies behind it?  ACPI marks a host bridge's _CRS
 * windows IORESOURCE_WINDOW; a DT host bridge's windows are found among
 * the root buses' resources.  Called under pvbus_mmio_iomem_lock().
 */
static bool pvbus_mmio_is_host_window(const struct resource *res)
{
	if ((res->flags & IORESOURCE_TYPE_BITS) != IORESOURCE_MEM ||
	    res->flags & (IORESOURCE_BUSY | IORESOURCE_SYSRAM) ||
	    res->desc != IORES_DESC_NONE)
		return false;
	return res->flags & IORESOURCE_WINDOW || pvbus_mmio_root_bus_of(res);
}

/* Is @res a window of a published space?  Under the registry's lock. */
static bool pvbus_mmio_is_published(const struct resource *res)
{
	struct pvbus_mmio_win *win;

	lockdep_assert_held(&pvbus_mmio_published_lock);
	list_for_each_entry(win, &pvbus_mmio_published_wins, published)
		if (&win->res == res)
			return true;
	return false;
}

/*
 * What a published window may take in: BARs and the regions drivers
 * requested in them.  Never RAM, ACPI tables or NVS, reserved or
 * persistent memory: anything the memory map describes; nor a PCI host
 * bridge window, whose bridge owns all below it; nor a window of another
 * space (another bus root), which does not own the window it would be
 * under, and whose firmware then gave the two roots one range.  Most of
 * the memory map's regions have a descriptor; those without one are known
 * by name: arm64's no-map ones (EFI runtime services, ACPI tables, no-map
 * reserved memory, request_standard_resources()), and x86's unusable
 * memory and E820 types it does not know (e820_type_to_string()).
 */
static const char * const pvbus_mmio_memmap_names[] = {
	"reserved", "Unusable memory", "Unknown E820 type",
};

/* Is @res a region of the memory map, as above? */
static bool pvbus_mmio_is_memmap(const struct resource *res)
{
	unsigned int i;

	if (res->flags & IORESOURCE_SYSRAM || res->desc != IORES_DESC_NONE)
		return true;
	for (i = 0; res->name && i < ARRAY_SIZE(pvbus_mmio_memmap_names); i++)
		if (!strcmp(res->name, pvbus_mmio_memmap_names[i]))
			return true;
	return false;
}

static bool pvbus_mmio_may_adopt(const struct resource *res)
{
	return !pvbus_mmio_is_memmap(res) &&
	       !pvbus_mmio_is_host_window(res) &&
	       !pvbus_mmio_is_published(res);
}

/* The host bridge window with @res's range that @res holds, if any. */
static struct resource *pvbus_mmio_same_host_window(const struct resource *res)
{
	struct resource *child = res->child;

	if (child && !child->sibling && child->start == res->start &&
	    child->end == res->end && pvbus_mmio_is_host_window(child))
		return child;
	return NULL;
}

/*
 * Insert @res, a window of @space, into iomem.  Only where it is wholly
 * free, or wholly inside a PCI host bridge window that the space's tie
 * accepts: nothing of the space goes under a resource it does not own,
 * which could be released and freed with the window still in it
 * (insert_resource() descends into whatever wholly contains @res, a
 * driver's region too).  What it takes in must be BARs and their drivers'
 * regions.  Called under pvbus_mmio_iomem_lock(), which keeps the root
 * bus of a host bridge whose driver removes it under that lock, and so
 * its windows, from going between the insertion and the tie (or the
 * window's removal, if refused); root_bridge.c says what it does not.
 *
 * The walk of what the window took in runs without resource_lock, which
 * is not exported.  What it refuses is never freed meanwhile (the memory
 * map's entries stay, host bridge windows go only under the rescan lock
 * and published windows under pvbus_mmio_published_lock, both held), but
 * a driver's region it adopts is: a driver outside the bus that releases
 * a region in the window's range just as the window is added frees a
 * resource the walk may still read.  Windows are added as a bus root
 * probes, before anything of the bus is in them.  The walk up from the
 * host bridge window it went into, also without the lock, passes only
 * what holds a host bridge window: an entry of the memory map (x86 puts
 * them at the top level or inside E820 entries, arm64 at the top level)
 * or a published window of another bus root, which stay meanwhile, as
 * above.
 */
static int pvbus_mmio_insert_checked(struct pvbus_mmio_space *space,
				     struct resource *res)
{
	const char *name = space->name;
	struct resource *parent, *child, *anc;
	int ret;

	/* A published window must never cover RAM. */
	if (region_intersects(res->start, resource_size(res),
			      IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("%s: window %pR overlaps System RAM: refused\n",
		       name, res);
		return -EBUSY;
	}
	if (insert_resource(&iomem_resource, res)) {
		pr_err("%s: window %pR only partly covers a resource: refused\n",
		       name, res);
		return -EBUSY;
	}
	/*
	 * Of two resources with one range, insert_resource() puts the new
	 * one outside: a window that is exactly a host bridge window went
	 * over it.  It goes inside, as into a larger one.
	 */
	while ((child = pvbus_mmio_same_host_window(res))) {
		remove_resource(res);
		/* Which remove_resource() leaves pointing at what it held. */
		res->child = NULL;
		res->sibling = NULL;
		if (insert_resource(child, res)) {
			pr_err("%s: window %pR cannot go into %pR: refused\n",
			       name, res, child);
			return -EBUSY;
		}
	}

	parent = res->parent;
	if (parent != &iomem_resource && !pvbus_mmio_is_host_window(parent)) {
		/*
		 * Out again at once: its owner may release the resource it
		 * went into, which is not named for that reason either.
		 */
		struct resource other = DEFINE_RES_MEM(parent->start,
						       resource_size(parent));

		remove_resource(res);
		pr_err("%s: window %pR lies inside %pR, which is neither free space nor a PCI host bridge window: refused\n",
		       name, res, &other);
		return -EBUSY;
	}
	for (child = res->child; child; child = child->sibling) {
		if (!pvbus_mmio_may_adopt(child)) {
			pr_err("%s: window %pR covers %s %pR: refused\n",
			       name, res, child->name ?: "?", child);
			goto refuse;
		}
	}
	if (parent == &iomem_resource)
		return 0;

	/*
	 * A host bridge window inside another bus root's window (a root bus
	 * of pci-pvbus takes its windows from its root's space): that root
	 * owns the range, and its firmware and this one's gave the two one.
	 * Or inside a region of the memory map (firmware whose E820 reserves
	 * the host bridge's windows): x86's allocate_resource() clips every
	 * gap around E820 entries (arch_remove_reservations()), so nothing
	 * could be allocated in the window, while pvbus_mmio_find(), which
	 * does not go through it, would say there is room.
	 */
	for (anc = parent->parent; anc != &iomem_resource; anc = anc->parent) {
		if (pvbus_mmio_is_published(anc)) {
			pr_err("%s: window %pR lies inside %pR, a window of another bus root: refused\n",
			       name, res, anc);
			goto refuse;
		}
		if (pvbus_mmio_is_memmap(anc)) {
			pr_err("%s: window %pR lies in PCI host bridge window %pR, inside %s %pR of the memory map: refused\n",
			       name, res, parent, anc->name ?: "?", anc);
			goto refuse;
		}
	}

	if (!space->tie) {
		pr_err("%s: window %pR lies in PCI host bridge window %pR, and nothing ties it to the bridge: refused\n",
		       name, res, parent);
		goto refuse;
	}
	ret = space->tie(space->tie_data, res);
	if (ret) {
		remove_resource(res);
		return ret;
	}
	return 0;

refuse:
	remove_resource(res);
	return -EBUSY;
}

/*
 * Insert @win, a window of @space, into iomem, as
 * pvbus_mmio_insert_checked() says, and enter it among the published
 * windows.  Called under pvbus_mmio_iomem_lock().
 */
int pvbus_mmio_insert_published(struct pvbus_mmio_space *space,
				struct pvbus_mmio_win *win)
{
	int ret;

	mutex_lock(&pvbus_mmio_published_lock);
	ret = pvbus_mmio_insert_checked(space, &win->res);
	if (!ret)
		list_add_tail(&win->published, &pvbus_mmio_published_wins);
	mutex_unlock(&pvbus_mmio_published_lock);
	return ret;
}

/* Take @win, a window of a published space, out of iomem. */
void pvbus_mmio_remove_published(struct pvbus_mmio_win *win)
{
	mutex_lock(&pvbus_mmio_published_lock);
	remove_resource(&win->res);
	list_del(&win->published);
	mutex_unlock(&pvbus_mmio_published_lock);
}
