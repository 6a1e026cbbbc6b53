// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the windows of the root bus.  The planner of
 * pci-pvbus-plan.c places a set of functions' BARs; here its new windows
 * are allocated from the bus's MMIO space, put on the root bus, grown
 * for hot add until the space is full, and given back when they hold
 * nothing any more.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus.h"

/*
 * How the driver gets MMIO from the bus, in the shape of the planner's
 * seam (pci-pvbus-plan.h): the bus's config window and windows are
 * allocated and freed through these only.
 */
static struct resource *pci_pvbus_mmio_alloc(void *ctx,
					     const struct pvbus_mmio_req *req)
{
	return pvbus_device_mmio_alloc(ctx, req);
}

static void pci_pvbus_mmio_free(void *ctx, struct resource *res)
{
	pvbus_device_mmio_free(ctx, res);
}

const struct pci_pvbus_mmio_ops pci_pvbus_mmio_ops = {
	.alloc	= pci_pvbus_mmio_alloc,
	.free	= pci_pvbus_mmio_free,
};

/*
 * pci_pvbus_alloc_cfg() and pci_pvbus_place() search for room with trial
 * allocations that they free again.  One bus's trials must not be what
 * another bus, placing at the same time (its probe, or a hot add on its
 * own workqueue), finds in its way: a kept BAR's window refused for good,
 * or a config window sent lower.  pci-pvbus places under this lock; it
 * nests outside the space's own.
 */
DEFINE_MUTEX(pci_pvbus_place_lock);

/*
 * The root bus's windows change while the bus is live: hot add takes new
 * ones until the bus's MMIO space is full, and windows that hold nothing
 * any more go back to it.  A host bridge's windows are only handed to the
 * PCI core when the bus is created, so a window is put on the root bus's
 * resource list, and taken off it, here, under pci_lock_rescan_remove(),
 * as the PCI core changes bus resources itself.  pci_bus_add_resource()
 * and pci_bus_remove_resource() do exactly this but are not exported to
 * modules; the entry is allocated with the window, so that putting it on
 * the list cannot fail.  Nothing of the PCI core keeps a window: it finds
 * the one a BAR goes into by walking the list when the BAR is claimed.
 */
static void pci_pvbus_win_show(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (w->on_bus || !pb->bus)
		return;
	w->bus_res->res = &w->res;
	w->bus_res->flags = 0;
	list_add_tail(&w->bus_res->list, &pb->bus->resources);
	w->on_bus = true;
	dev_info(&pb->bus->dev, "root bus resource %pR%s\n", &w->res,
		 w->grown ? " (grown for hot add)" : "");
}

static void pci_pvbus_win_hide(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (!w->on_bus)
		return;
	list_del(&w->bus_res->list);
	w->on_bus = false;
	if (w->grown && pb->bus)
		dev_info(&pb->bus->dev, "root bus resource %pR given back\n",
			 &w->res);
}

/* A window, not yet holding anything, with its entry for the bus. */
static struct pci_pvbus_win *pci_pvbus_win_new(void)
{
	struct pci_pvbus_win *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return NULL;
	w->bus_res = kzalloc(sizeof(*w->bus_res), GFP_KERNEL);
	if (!w->bus_res) {
		kfree(w);
		return NULL;
	}
	INIT_LIST_HEAD(&w->node);
	return w;
}

static void pci_pvbus_win_put(struct pci_pvbus_win *w)
{
	kfree(w->bus_res);
	kfree(w);
}

/* Make @w the window placed as @pw, and the bus's. */
static void pci_pvbus_win_use(struct pci_pvbus *pb, struct pci_pvbus_win *w,
			      const struct pci_pvbus_plan_win *pw,
			      struct pci_pvbus_fn *fn, bool grown)
{
	w->alloc = pw->res;
	w->zone = pw->zone;
	w->kind = pw->kind;
	w->fn = pw->kind == PCI_PVBUS_WIN_FIXED ? fn : NULL;
	w->grown = grown;
	w->res.name = pb->bus_name;
	w->res.start = pw->res->start;
	w->res.end = pw->res->end;
	w->res.flags = IORESOURCE_MEM;
	/*
	 * Into the allocation, over whatever a driver requested in it since
	 * it was placed (request_mem_region() nests in any resource that is
	 * not busy): insert_resource() takes such a region in, and the
	 * window holds it as one requested later (pci_pvbus_win_free()).  It
	 * cannot fail: what is in the allocation lies inside its range, which
	 * is the window's.
	 */
	insert_resource(w->alloc, &w->res);
	list_add_tail(&w->node, &pb->wins);
	pb->nr_win++;
}

/*
 * Give a window back to the bus's MMIO space.  A window that still holds
 * something (a resource someone else inserted into it) stays where it is,
 * linked in iomem and on the root bus: freeing it would leave that
 * resource's parent pointing at freed memory.  Returns whether the window
 * is gone.  Called with pci_lock_rescan_remove() held while the bus
 * exists.
 *
 * What is inserted into a window is not named: its owner may release it
 * meanwhile, under resource_lock only.  For the same reason the window
 * leaves iomem through remove_resource(), which hands up to the
 * allocation what was inserted after the check (the allocation is then
 * kept): release_resource() would leave it a child of freed memory.
 */
static bool pci_pvbus_win_free(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (READ_ONCE(w->res.child)) {
		dev_err(pci_pvbus_dev(pb),
			"window %pR still holds a region requested in it: kept\n",
			&w->res);
		/* Not a function's any more; freed once it is empty. */
		w->fn = NULL;
		w->grown = true;
		return false;
	}
	pci_pvbus_win_hide(pb, w);
	remove_resource(&w->res);
	pci_pvbus_mmio_ops.free(pb->pdev, w->alloc);
	list_del(&w->node);
	pb->nr_win--;
	pci_pvbus_win_put(w);
	return true;
}

void pci_pvbus_plan_free(struct pci_pvbus_plan *p)
{
	kfree(p->fn);
	kfree(p->win);
	kfree(p->used);
	memset(p, 0, sizeof(*p));
}

/* Whom pci_pvbus_gap() tells of each gap. */
struct pci_pvbus_gap_walk {
	pci_pvbus_gap_fn fn;
	void *data;
};

/*
 * allocate_resource() constraint of pci_pvbus_walk_gaps(): tell of the
 * gap and let nothing fit.
 */
static resource_size_t pci_pvbus_gap(void *data, const struct resource *avail,
				     resource_size_t size,
				     resource_size_t align)
{
	struct pci_pvbus_gap_walk *w = data;

	w->fn(w->data, avail->start, avail->end);
	/* Two bytes from the gap's last one never fit in it. */
	return avail->end;
}

/**
 * pci_pvbus_walk_gaps() - tell of each range of a resource no child takes
 * @res: a window of the bus, or a resource of the bus in iomem
 * @fn: called with @data and the first and last address of each gap
 * @data: for @fn
 *
 * The gaps are the ranges before, between and after @res's children (all
 * of @res if it has none), in address order.  The children are not ours:
 * anything may be inserted into a window, and its owner may release it
 * meanwhile, under the resource lock only, which is not exported.  So
 * they are never looked at: allocate_resource() walks the gaps under that
 * lock and tells @fn of each; nothing fits, so nothing is allocated.
 *
 * Context: process context, without the resource lock.  @fn runs under
 * it, a rwlock held for writing: it must not sleep nor touch the resource
 * tree.
 */
void pci_pvbus_walk_gaps(struct resource *res, pci_pvbus_gap_fn fn,
			 void *data)
{
	struct pci_pvbus_gap_walk w = { .fn = fn, .data = data };
	struct resource walk = { .name = "pci-pvbus gap walk" };

	/* -EBUSY, always: the constraint lets nothing fit. */
	allocate_resource(res, &walk, 2, res->start, res->end, 1,
			  pci_pvbus_gap, &w);
}

/* What pci_pvbus_win_gap() records: up to @room gaps; @n counts them all. */
struct pci_pvbus_gaps {
	struct pci_pvbus_range *gap;
	unsigned int n, room;
};

static void pci_pvbus_win_gap(void *data, resource_size_t start,
			      resource_size_t end)
{
	struct pci_pvbus_gaps *g = data;

	if (g->n < g->room) {
		g->gap[g->n].start = start;
		g->gap[g->n].end = end;
	}
	g->n++;
}

/*
 * The ranges that @w's children take, into @used, which has room for
 * @room + 1: the window less the gaps between them, as
 * pci_pvbus_walk_gaps() tells of them.  Of more than @room gaps, the rest
 * of the window, from the end of the last one recorded, counts as taken:
 * the planner never places a BAR on a range it was not told of.  Returns
 * the number of ranges.
 */
static unsigned int pci_pvbus_win_used(struct pci_pvbus *pb,
				       struct pci_pvbus_win *w,
				       struct pci_pvbus_range *used,
				       struct pci_pvbus_range *gap,
				       unsigned int room)
{
	struct pci_pvbus_gaps g = { .gap = gap, .room = room };
	u64 pos = w->res.start;
	unsigned int i, n = 0;

	pci_pvbus_walk_gaps(&w->res, pci_pvbus_win_gap, &g);
	for (i = 0; i < min(g.n, room); i++) {
		if (gap[i].start > pos) {
			used[n].start = pos;
			used[n].end = gap[i].start - 1;
			n++;
		}
		if (gap[i].end >= w->res.end)
			return n;
		pos = gap[i].end + 1;
	}
	if (g.n > room)
		dev_warn(pci_pvbus_dev(pb),
			 "more than %u ranges in use in the windows: %pR taken from %#llx on\n",
			 PCI_PVBUS_MAX_USED, &w->res, pos);
	used[n].start = pos;
	used[n].end = w->res.end;
	return n + 1;
}

/*
 * The ranges taken in the bus's windows: BARs, ROMs, anything, read as
 * pci_pvbus_win_used() reads them, at most %PCI_PVBUS_MAX_USED and one
 * more per window; and the BARs placed for the bus's functions (below).
 * Called with pci_lock_rescan_remove() held once the bus exists, so that
 * the functions' BARs do not change during the walk.
 */
VISIBLE_IF_KUNIT int pci_pvbus_used(struct pci_pvbus *pb,
				    struct pci_pvbus_plan *p)
{
	unsigned int n = 0, room = PCI_PVBUS_MAX_USED + pb->nr_win +
				   PCI_PVBUS_MAX_TOLD;
	struct pci_pvbus_range *used, *gap;
	struct pci_pvbus_win *w;
	struct pci_pvbus_fn *fn;
	unsigned int b, left;

	used = kcalloc(room, sizeof(*used), GFP_KERNEL);
	gap = kcalloc(PCI_PVBUS_MAX_USED, sizeof(*gap), GFP_KERNEL);
	if (!used || !gap) {
		kfree(used);
		kfree(gap);
		return -ENOMEM;
	}
	list_for_each_entry(w, &pb->wins, node) {
		left = PCI_PVBUS_MAX_USED - min_t(unsigned int, n,
						  PCI_PVBUS_MAX_USED);
		n += pci_pvbus_win_used(pb, w, used + n, gap, left);
	}
	kfree(gap);
	/*
	 * The BARs placed for the bus's functions: those the host was told
	 * of, whether the PCI core still has them or not (a function removed
	 * through sysfs keeps them on the host's side until they are
	 * released), and those probe placed and has not told it of yet (it
	 * places functions one at a time when they do not fit together, and
	 * before the bus exists, a BAR is in no window).
	 */
	list_for_each_entry(fn, &pb->fns, node) {
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			if (!fn->addr[b] || n >= room)
				continue;
			used[n].start = fn->addr[b];
			used[n].end = fn->addr[b] + fn->bar[b].size - 1;
			n++;
		}
	}
	p->used = used;
	p->nr_used = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_used);

/* Does @w hold a BAR the host was told of (its function may be gone)? */
VISIBLE_IF_KUNIT bool pci_pvbus_win_told(struct pci_pvbus *pb,
					 struct pci_pvbus_win *w)
{
	struct pci_pvbus_fn *fn;
	unsigned int b;

	list_for_each_entry(fn, &pb->fns, node)
		for (b = 0; fn->assigned && b < PVBUS_PCI_NR_BARS; b++)
			if (fn->addr[b] && fn->addr[b] >= w->res.start &&
			    fn->addr[b] <= w->res.end)
				return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_win_told);

/* The most new windows @n functions need: one per BAR and one per zone. */
static unsigned int pci_pvbus_wins_wanted(unsigned int n)
{
	return PCI_PVBUS_NR_ZONES + n * PVBUS_PCI_NR_BARS;
}

/*
 * Say what did not fit, and why: the bus's MMIO space, or the bound on
 * its windows; then every function of the set, with what it needs.
 */
static void pci_pvbus_no_room(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			      unsigned int n)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i;
	u64 low, high;

	pb->nr_no_room++;
	if (pb->nr_win >= pb->max_win)
		dev_err(dev, "the bus has %u window%s, the most it takes, and no room in them for the BARs of %u function%s\n",
			pb->nr_win, pb->nr_win == 1 ? "" : "s", n,
			n == 1 ? "" : "s");
	else if (pb->max_win - pb->nr_win < pci_pvbus_wins_wanted(n))
		dev_err(dev, "no room for the BARs of %u function%s in the bus's MMIO space and the %u more window%s the bus takes\n",
			n, n == 1 ? "" : "s", pb->max_win - pb->nr_win,
			pb->max_win - pb->nr_win == 1 ? "" : "s");
	else
		dev_err(dev, "the bus's MMIO space is full: no room for the BARs of %u function%s\n",
			n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		pci_pvbus_bars_need(fns[i]->bar, &low, &high);
		dev_err(dev, "function %02x.%x (%04x:%04x) does not fit: it needs %#llx bytes for 32-bit BARs, %#llx for 64-bit ones\n",
			PCI_SLOT(fns[i]->desc.devfn),
			PCI_FUNC(fns[i]->desc.devfn), fns[i]->desc.vendor,
			fns[i]->desc.device, low, high);
	}
}

/*
 * Plan the BARs of @fns into the bus's windows and allocate the new
 * windows they need: as many as the plan asks for, until the bus's MMIO
 * space has no room left, which returns -ENOSPC and says nothing.  A bus at
 * its bound of
 * windows (@max_win) still places BARs into the gaps of its windows, but
 * takes no new one.  Called with pci_lock_rescan_remove()
 * held once the bus exists, since the windows' children are read.
 */
static int pci_pvbus_try_place_fns(struct pci_pvbus *pb,
				   struct pci_pvbus_fn **fns, unsigned int n,
				   struct pci_pvbus_plan *p)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i, b, want, room;
	struct pci_pvbus_win *w;
	int ret;

	memset(p, 0, sizeof(*p));
	p->nr_old = pb->nr_win;
	want = pci_pvbus_wins_wanted(n);
	room = pb->nr_win < pb->max_win ? pb->max_win - pb->nr_win : 0;
	p->max_win = pb->nr_win + min(want, room);

	p->fn = kcalloc(max(n, 1U), sizeof(*p->fn), GFP_KERNEL);
	p->win = kcalloc(p->max_win, sizeof(*p->win), GFP_KERNEL);
	if (!p->fn || !p->win) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = pci_pvbus_used(pb, p);
	if (ret)
		goto fail;

	b = 0;
	list_for_each_entry(w, &pb->wins, node) {
		p->win[b++] = (struct pci_pvbus_plan_win) {
			.start	= w->res.start,
			.size	= resource_size(&w->res),
			.zone	= w->zone,
			.kind	= w->kind,
		};
	}

	p->nr_fn = n;
	for (i = 0; i < n; i++) {
		p->fn[i].bar = fns[i]->bar;
		p->fn[i].preserve = fns[i]->desc.flags & PVBUS_PCI_FN_PRESERVE;
		p->fn[i].keep = PCI_PVBUS_KEEP_NONE;
	}
	p->slack[PCI_PVBUS_LOW] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW]);
	p->slack[PCI_PVBUS_HIGH] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH]);

	mutex_lock(&pci_pvbus_place_lock);
	ret = pci_pvbus_place(p, &pci_pvbus_mmio_ops, pb->pdev, pb->name);
	mutex_unlock(&pci_pvbus_place_lock);
	if (ret)
		goto fail;
	if (p->no_high)
		dev_warn(dev, "no room above 4 GiB: 64-bit BARs go below 4 GiB\n");

	for (i = 0; i < n; i++) {
		struct pci_pvbus_plan_fn *pf = &p->fn[i];

		fns[i]->keep = pf->keep;
		if (fns[i]->desc.flags & PVBUS_PCI_FN_PRESERVE &&
		    pf->keep != PCI_PVBUS_KEEP_OK)
			dev_warn(dev,
				 "function %02x.%x: host-assigned BARs not kept (BAR %u: %s): reassigned\n",
				 PCI_SLOT(fns[i]->desc.devfn),
				 PCI_FUNC(fns[i]->desc.devfn), pf->bad_bar,
				 pci_pvbus_keep_reason(pf->keep));
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			fns[i]->addr[b] = pf->win[b] < 0 ? 0 :
				p->win[pf->win[b]].start + pf->off[b];
	}
	return 0;

fail:
	pci_pvbus_plan_free(p);
	return ret;
}

/*
 * As pci_pvbus_try_place_fns(); unless @quiet, also say what did not fit.
 * Called as pci_pvbus_try_place_fns() is.
 */
int pci_pvbus_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			unsigned int n, struct pci_pvbus_plan *p, bool quiet)
{
	int ret = pci_pvbus_try_place_fns(pb, fns, n, p);

	if (ret == -ENOSPC && !quiet)
		pci_pvbus_no_room(pb, fns, n);
	return ret;
}

/*
 * Put the functions whose BARs the host placed first in @fns, and return
 * how many.
 */
static unsigned int pci_pvbus_preserved_first(struct pci_pvbus_fn **fns,
					      unsigned int n)
{
	unsigned int i, np = 0;

	for (i = 0; i < n; i++)
		if (fns[i]->desc.flags & PVBUS_PCI_FN_PRESERVE) {
			swap(fns[i], fns[np]);
			np++;
		}
	return np;
}

/**
 * pci_pvbus_place_apart() - place functions together, or one at a time
 * @pb: the bus
 * @fns: the functions, none on the bus yet; their order may change
 * @n: how many
 * @set: places the functions it is given together, and takes them on
 *
 * Probe and hot add place the functions they find this way.  All @n go
 * to @set together.  If they do not fit together, they go one at a time,
 * so that those that fit are placed; those whose BARs the host placed
 * (%PVBUS_PCI_FN_PRESERVE) go first, together if they fit together, so
 * that no window of another function takes their place.
 *
 * @set(@pb, @fns, @n, @split): with @split, it returns -ENOSPC, with
 * nothing taken and nothing said, if the functions do not fit together;
 * without, it deals with a function that does not fit itself (says so and
 * leaves it out) and returns 0.  @n may be 0: @set is still called.
 *
 * Return: 0, or the first other error of @set.
 */
int pci_pvbus_place_apart(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			  unsigned int n, pci_pvbus_place_set_t set)
{
	unsigned int i = 0, np;
	int ret;

	ret = set(pb, fns, n, n > 1);
	if (ret != -ENOSPC || n < 2)
		return ret;
	dev_info(pci_pvbus_dev(pb),
		 "%u functions do not fit together: placing them one at a time\n",
		 n);
	np = pci_pvbus_preserved_first(fns, n);
	if (np > 1) {
		ret = set(pb, fns, np, true);
		if (!ret)
			i = np;
		else if (ret != -ENOSPC)
			return ret;
	}
	for (; i < n; i++) {
		ret = set(pb, &fns[i], 1, false);
		if (ret)
			return ret;
	}
	return 0;
}

/* The function whose fixed window plan window @w is. */
static struct pci_pvbus_fn *pci_pvbus_win_fn(const struct pci_pvbus_plan *p,
					     unsigned int w,
					     struct pci_pvbus_fn **fns)
{
	return p->win[w].kind == PCI_PVBUS_WIN_FIXED ? fns[p->win[w].fn] :
						       NULL;
}

/*
 * Take the new windows of plan @p for the bus, @grown ones for a hot add:
 * each goes on the bus's list of windows, and on the root bus if there is
 * one.  Every window is allocated before any is taken, so that on -ENOMEM
 * nothing changed: the plan still owns every allocation.
 */
static int pci_pvbus_windows_take(struct pci_pvbus *pb,
				  struct pci_pvbus_plan *p,
				  struct pci_pvbus_fn **fns, bool grown)
{
	struct pci_pvbus_win *w, *tmp;
	unsigned int i;
	LIST_HEAD(new);

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		w = pci_pvbus_win_new();
		if (!w)
			goto nomem;
		list_add_tail(&w->node, &new);
	}

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		w = list_first_entry(&new, struct pci_pvbus_win, node);
		list_del(&w->node);
		pci_pvbus_win_use(pb, w, &p->win[i],
				  pci_pvbus_win_fn(p, i, fns), grown);
		p->win[i].res = NULL;	/* the bus owns it now */
		pci_pvbus_win_show(pb, w);
	}
	return 0;

nomem:
	list_for_each_entry_safe(w, tmp, &new, node)
		pci_pvbus_win_put(w);
	return -ENOMEM;
}

/* The first windows of a new bus; the root bus gets them when it exists. */
int pci_pvbus_windows_init(struct pci_pvbus *pb, struct pci_pvbus_plan *p,
			   struct pci_pvbus_fn **fns)
{
	return pci_pvbus_windows_take(pb, p, fns, false);
}

/*
 * Hot add: the new windows go on the root bus.  Called with
 * pci_lock_rescan_remove() held.  On error the plan still owns them.
 */
int pci_pvbus_windows_add(struct pci_pvbus *pb, struct pci_pvbus_plan *p,
			  struct pci_pvbus_fn **fns)
{
	return pci_pvbus_windows_take(pb, p, fns, true);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_windows_add);

/*
 * Hot add and eject: windows grown for a hot add that hold nothing, not
 * even a BAR the host still has for a function removed through sysfs, go
 * back to the bus's MMIO space.  Called with pci_lock_rescan_remove() held.
 */
void pci_pvbus_windows_sweep(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w, *tmp;

	list_for_each_entry_safe(w, tmp, &pb->wins, node)
		if (w->grown && !w->pinned && !w->res.child &&
		    !pci_pvbus_win_told(pb, w))
			pci_pvbus_win_free(pb, w);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_windows_sweep);

/* The window of the bus that holds @addr, or NULL. */
static struct pci_pvbus_win *pci_pvbus_win_at(struct pci_pvbus *pb, u64 addr)
{
	struct pci_pvbus_win *w;

	list_for_each_entry(w, &pb->wins, node)
		if (addr >= w->res.start && addr <= w->res.end)
			return w;
	return NULL;
}

/*
 * The host did not confirm that it let @fn's BARs go: its answer to
 * RELEASED_RESOURCES or EJECT_COMPLETE did not come in time, was a
 * refusal (other than NOT_FOUND, a function it no longer has) or
 * malformed.  It may still decode them, so each stays taken
 * until the bus goes: a resource of its own in the window that holds it,
 * where neither this bus's planner nor the MMIO space places anything, and
 * which keeps the window from going back.  At most %PCI_PVBUS_MAX_HELD,
 * against a host that never confirms; a BAR that cannot be held (past
 * that, no memory, the range in use) pins its window instead, which then
 * stays until the bus goes too, though this bus's planner may use it.
 * Call before pci_pvbus_forget_fn().
 */
void pci_pvbus_windows_hold_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_held *h;
	struct pci_pvbus_win *w;
	unsigned int b;

	pci_lock_rescan_remove();
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (!fn->addr[b])
			continue;
		w = pci_pvbus_win_at(pb, fn->addr[b]);
		if (!w)
			continue;
		/* A fixed window is the function's no more: it goes with the bus. */
		if (w->fn == fn) {
			w->fn = NULL;
			w->grown = true;
		}
		h = pb->nr_held < PCI_PVBUS_MAX_HELD ?
		    kzalloc(sizeof(*h), GFP_KERNEL) : NULL;
		if (h) {
			h->res.name = "pci-pvbus held BAR";
			h->res.start = fn->addr[b];
			h->res.end = fn->addr[b] + fn->bar[b].size - 1;
			/*
			 * Busy: nothing nests in it, to be left with a freed
			 * parent when the bus frees it.
			 */
			h->res.flags = IORESOURCE_MEM | IORESOURCE_BUSY;
			if (request_resource(&w->res, &h->res)) {
				kfree(h);
				h = NULL;
			}
		}
		if (!h) {
			w->pinned = true;
			dev_err(dev, "function %02x.%x: BAR %u [mem %#llx] not held (%u held): its window %pR stays until the bus goes, but the bus may place a BAR there\n",
				PCI_SLOT(fn->desc.devfn),
				PCI_FUNC(fn->desc.devfn), b, fn->addr[b],
				pb->nr_held, &w->res);
			continue;
		}
		list_add_tail(&h->node, &pb->held);
		pb->nr_held++;
		dev_warn(dev, "function %02x.%x: BAR %u %pR held until the bus goes: the host did not confirm it let it go\n",
			 PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn), b,
			 &h->res);
	}
	pci_unlock_rescan_remove();
}

/* Teardown: the BARs held go first, they are in the windows. */
static void pci_pvbus_held_free(struct pci_pvbus *pb)
{
	struct pci_pvbus_held *h, *tmp;

	list_for_each_entry_safe(h, tmp, &pb->held, node) {
		release_resource(&h->res);
		list_del(&h->node);
		kfree(h);
	}
	pb->nr_held = 0;
}

/*
 * Teardown, after the root bus is gone.  A window that cannot be freed (it
 * still holds a resource someone else inserted) stays in iomem: leaked,
 * which is better than the resource's parent pointing at freed memory.
 * Its name goes with the bus, and a string of the module's would go with
 * the module: it gets one of its own, leaked with it.
 */
void pci_pvbus_windows_free(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w, *tmp;
	unsigned int kept = 0;

	pci_pvbus_held_free(pb);
	list_for_each_entry_safe(w, tmp, &pb->wins, node) {
		if (pci_pvbus_win_free(pb, w))
			continue;
		strscpy(w->leaked_name, PCI_PVBUS_LEAKED_WINDOW,
			sizeof(w->leaked_name));
		w->res.name = w->leaked_name;
		list_del_init(&w->node);
		kept++;
	}
	if (kept)
		dev_err(pci_pvbus_dev(pb), "%u window%s left in iomem: leaked\n",
			kept, kept == 1 ? "" : "s");
	pb->nr_win = 0;
}

/* The root bus is created: its windows go on it. */
void pci_pvbus_windows_show(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w;

	list_for_each_entry(w, &pb->wins, node)
		pci_pvbus_win_show(pb, w);
}

/* The root bus is about to go: its windows come off it first. */
void pci_pvbus_windows_hide(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w;

	list_for_each_entry(w, &pb->wins, node)
		pci_pvbus_win_hide(pb, w);
}

/* @fn leaves the bus: the windows made for it alone go back. */
void pci_pvbus_windows_free_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_pvbus_win *w, *tmp;

	list_for_each_entry_safe(w, tmp, &pb->wins, node)
		if (w->fn == fn)
			pci_pvbus_win_free(pb, w);
}
