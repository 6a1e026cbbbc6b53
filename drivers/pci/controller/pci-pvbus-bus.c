// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the root bus and what is on it.  The windows of the bus,
 * placed by the planner of pci-pvbus-plan.c; the functions, whose BARs are
 * written where they were planned, claimed and told to the host; the root
 * bus itself, created and removed.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus.h"

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
	/* A fresh allocation has no children: this cannot fail. */
	WARN_ON(request_resource(w->alloc, &w->res));
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
 */
static bool pci_pvbus_win_free(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (w->res.child) {
		dev_err(pci_pvbus_dev(pb), "window %pR still holds %pR: kept\n",
			&w->res, w->res.child);
		/* Not a function's any more; freed once it is empty. */
		w->fn = NULL;
		w->grown = true;
		return false;
	}
	pci_pvbus_win_hide(pb, w);
	release_resource(&w->res);
	pvbus_device_mmio_free(pb->pdev, w->alloc);
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

/*
 * The ranges taken in the bus's windows: BARs, ROMs, anything.  One pass
 * into an array of fixed size: the windows' children may change under it
 * (a ROM the PCI core assigns when its sysfs file is read takes no lock of
 * ours), so nothing sized from an earlier count is written.  Should there
 * be more children than room, the rest of that window, from the first
 * child not recorded, counts as taken: the planner never places a BAR on a
 * range it was not told of.  Called with pci_lock_rescan_remove() held
 * once the bus exists, so that no device, and none of its resources, goes
 * away during the walk.
 */
VISIBLE_IF_KUNIT int pci_pvbus_used(struct pci_pvbus *pb,
				    struct pci_pvbus_plan *p)
{
	unsigned int n = 0, room = PCI_PVBUS_MAX_USED + pb->nr_win;
	struct pci_pvbus_range *used;
	struct pci_pvbus_win *w;
	struct resource *r;

	used = kcalloc(room, sizeof(*used), GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	list_for_each_entry(w, &pb->wins, node) {
		for (r = READ_ONCE(w->res.child); r; r = READ_ONCE(r->sibling)) {
			/* Out of room: one more entry, to the window's end. */
			if (n >= PCI_PVBUS_MAX_USED) {
				dev_warn(pci_pvbus_dev(pb),
					 "more than %u ranges in use in the windows: %pR taken from %pa on\n",
					 PCI_PVBUS_MAX_USED, &w->res, &r->start);
				used[n].start = r->start;
				used[n].end = w->res.end;
				n++;
				break;
			}
			used[n].start = r->start;
			used[n].end = r->end;
			n++;
		}
	}
	p->used = used;
	p->nr_used = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_used);

/* The room the BARs of @fn need, per zone, as the planner sees them. */
static void pci_pvbus_fn_need(const struct pci_pvbus_fn *fn, u64 *low,
			      u64 *high)
{
	unsigned int b;

	*low = 0;
	*high = 0;
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		const struct pci_pvbus_bar *bar = &fn->bar[b];

		if (!bar->size ||
		    bar->flags & (PCI_PVBUS_BAR_IO | PCI_PVBUS_BAR_UPPER))
			continue;
		if (bar->flags & PCI_PVBUS_BAR_64)
			*high += bar->size;
		else
			*low += bar->size;
	}
}

/* Say what did not fit: every function of the set, with what it needs. */
static void pci_pvbus_no_room(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			      unsigned int n)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i;
	u64 low, high;

	pb->nr_no_room++;
	dev_err(dev, "the bus's MMIO space is full: no room for the BARs of %u function%s\n",
		n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		pci_pvbus_fn_need(fns[i], &low, &high);
		dev_err(dev, "function %02x.%x (%04x:%04x) does not fit: it needs %#llx bytes for 32-bit BARs, %#llx for 64-bit ones\n",
			PCI_SLOT(fns[i]->desc.devfn),
			PCI_FUNC(fns[i]->desc.devfn), fns[i]->desc.vendor,
			fns[i]->desc.device, low, high);
	}
}

/*
 * Plan the BARs of @fns into the bus's windows and allocate the new
 * windows they need: as many as the plan asks for, until the bus's MMIO
 * space has no room left, which returns -ENOSPC and says nothing: the
 * caller may try the functions one at a time.  A bus at its bound of
 * windows (PCI_PVBUS_MAX_WIN) still places BARs into the gaps of its
 * windows, but takes no new one.  Called with pci_lock_rescan_remove()
 * held once the bus exists, since the windows' children are read.
 */
int pci_pvbus_try_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			    unsigned int n, struct pci_pvbus_plan *p)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i, b, want, room, have = 0;
	struct pci_pvbus_win *w;
	int ret;

	memset(p, 0, sizeof(*p));
	list_for_each_entry(w, &pb->wins, node)
		have++;
	p->nr_old = have;
	/* At most a fixed window per BAR and a packed window per zone. */
	want = PCI_PVBUS_NR_ZONES + n * PVBUS_PCI_NR_BARS;
	room = pb->nr_win < PCI_PVBUS_MAX_WIN ?
	       PCI_PVBUS_MAX_WIN - pb->nr_win : 0;
	p->max_win = have + min(want, room);

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

	ret = pci_pvbus_place(p, &pci_pvbus_mmio_ops, pb->pdev, pb->name);
	if (ret == -ENOSPC && room < want)
		dev_err(dev, "the bus has %u windows, the most it takes: no new window for %u more function%s\n",
			pb->nr_win, n, n == 1 ? "" : "s");
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

/* As pci_pvbus_try_place_fns(), and say what did not fit. */
int pci_pvbus_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			unsigned int n, struct pci_pvbus_plan *p)
{
	int ret = pci_pvbus_try_place_fns(pb, fns, n, p);

	if (ret == -ENOSPC)
		pci_pvbus_no_room(pb, fns, n);
	return ret;
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

/*
 * Hot add and eject: windows grown for a hot add that hold nothing go back
 * to the bus's MMIO space.  Called with pci_lock_rescan_remove() held.
 */
void pci_pvbus_windows_sweep(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w, *tmp;

	list_for_each_entry_safe(w, tmp, &pb->wins, node)
		if (w->grown && !w->res.child)
			pci_pvbus_win_free(pb, w);
}

/*
 * Teardown, after the root bus is gone.  A window that cannot be freed (it
 * still holds a resource someone else inserted) stays in iomem: leaked,
 * which is better than the resource's parent pointing at freed memory.
 * Its name goes with the bus, so it gets one that stays.
 */
void pci_pvbus_windows_free(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w, *tmp;
	unsigned int kept = 0;

	list_for_each_entry_safe(w, tmp, &pb->wins, node) {
		if (pci_pvbus_win_free(pb, w))
			continue;
		w->res.name = "pci-pvbus leaked window";
		list_del_init(&w->node);
		kept++;
	}
	if (kept)
		dev_err(pci_pvbus_dev(pb), "%u window%s left in iomem: leaked\n",
			kept, kept == 1 ? "" : "s");
	pb->nr_win = 0;
}

/* Write the planned BARs of @fn, with decoding off if any changes. */
static void pci_pvbus_write_bars(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn, b;
	bool off = false;
	u32 cmd, lo, hi;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		bool is64 = fn->bar[b].flags & PCI_PVBUS_BAR_64;
		int where = PCI_BASE_ADDRESS_0 + 4 * b;
		u64 addr = fn->addr[b], cur;

		if (!addr)
			continue;
		hi = 0;
		if (pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, false) ||
		    (is64 && pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
						  false)))
			continue;
		cur = (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		if (cur == addr)
			continue;

		if (!off && !pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2,
						  &cmd, false)) {
			cmd &= ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
			pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2, &cmd,
					     true);
			off = true;
		}
		lo = lower_32_bits(addr);
		hi = upper_32_bits(addr);
		pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, true);
		if (is64)
			pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
					     true);
	}
}

/*
 * Only functions with a type-0 header: a bridge would give the root bus
 * secondary buses that the host knows nothing of, and its bus number and
 * window registers are where a type-0 header has BARs 2 to 5.
 */
static int pci_pvbus_check_header(struct pci_pvbus *pb,
				  struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn;
	u32 hdr;

	if (pci_pvbus_cfg_access(pb, devfn, PCI_HEADER_TYPE, 1, &hdr, false)) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) does not answer in config space\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		return -ENODEV;
	}
	if ((hdr & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) has a type-%u header: only type 0 is supported\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device, hdr & PCI_HEADER_TYPE_MASK);
		return -EINVAL;
	}
	return 0;
}

/*
 * Before @fn is on the bus: check its header, write its planned BARs and
 * tell the host where they are.  A function the host does not take stays
 * off the bus; if the host's answer leaves open whether it took them (no
 * answer in time, a malformed one), they are released again, so that the
 * host and the guest agree.  No global lock is held: this waits for the
 * host.
 */
int pci_pvbus_offer_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	int ret;

	ret = pci_pvbus_check_header(pb, fn);
	if (ret)
		goto out;
	pci_pvbus_write_bars(pb, fn);
	ret = pci_pvbus_send_assigned(pb, fn);
	if (ret && ret != -EREMOTEIO && ret != -ENODEV)
		pci_pvbus_release_fn(pb, fn);
out:
	if (ret)
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) left off the bus: %s\n",
			PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn),
			fn->desc.vendor, fn->desc.device,
			ret == -EINVAL ? "not a type-0 function" :
			ret == -ENODEV ? "it does not answer" :
			"the host did not take its resources");
	return ret;
}

/* A BAR the host told nothing of, or a ROM: never placed. */
static void pci_pvbus_disable_res(struct pci_dev *pdev, unsigned int b,
				  const char *why)
{
	struct resource *r = &pdev->resource[b];

	if (!r->flags || r->parent)
		return;
	pci_info(pdev, "%s %pR left unassigned: %s\n",
		 b == PCI_ROM_RESOURCE ? "ROM" : "BAR", r, why);
	r->start = 0;
	r->end = 0;
	r->flags = 0;
}

/*
 * Put @fn on the bus (the scan may have found it already) and claim its
 * BARs where they were planned and told to the host.  A BAR the host did
 * not describe, and the ROM, are left unassigned: the host was told of no
 * address for them, and the protocol has none for a ROM.  Returns -EBUSY if
 * a planned BAR is not where the host was told, after taking the function
 * off the bus.  Called with pci_lock_rescan_remove() held, before
 * pci_bus_add_devices().
 */
int pci_pvbus_add_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.devfn, b, spare;
	struct pci_dev *pdev;
	int ret = 0;

	pdev = pci_get_slot(pb->bus, devfn);
	if (!pdev) {
		spare = pci_pvbus_spare_begin();
		pdev = pci_scan_single_device(pb->bus, devfn);
		pci_pvbus_spare_end(spare);
		pci_dev_get(pdev);
	}
	if (!pdev) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) does not answer in config space\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		return -ENODEV;
	}
	if (pdev->vendor != fn->desc.vendor || pdev->device != fn->desc.device)
		pci_warn(pdev, "is %04x:%04x in config space, %04x:%04x in the host's list\n",
			 pdev->vendor, pdev->device, fn->desc.vendor,
			 fn->desc.device);

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		if (!fn->addr[b]) {
			if (resource_type(r) == IORESOURCE_MEM)
				pci_pvbus_disable_res(pdev, b,
						      "the host did not describe it");
			continue;
		}
		if (!r->parent)
			pci_claim_resource(pdev, b);
		if (!r->parent || r->start != fn->addr[b] ||
		    resource_size(r) != fn->bar[b].size) {
			pci_err(pdev, "BAR %u is %pR, not [mem %#llx-%#llx] as the host was told\n",
				b, r, fn->addr[b],
				fn->addr[b] + fn->bar[b].size - 1);
			ret = -EBUSY;
		}
	}
	pci_pvbus_disable_res(pdev, PCI_ROM_RESOURCE,
			      "the host is told of no ROM");
	if (ret) {
		pci_stop_and_remove_bus_device(pdev);
		pci_dev_put(pdev);
		pci_pvbus_set_visible(pb, devfn, false);
		return ret;
	}
	fn->present = true;
	pci_dev_put(pdev);
	return 0;
}

/* Take @fn off the bus with its fixed windows; no host round trip. */
static void pci_pvbus_unplug_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_pvbus_win *w, *tmp;
	struct pci_dev *pdev;

	pci_lock_rescan_remove();
	if (fn->present && pb->bus) {
		pdev = pci_get_slot(pb->bus, fn->desc.devfn);
		if (pdev) {
			pci_stop_and_remove_bus_device(pdev);
			pci_dev_put(pdev);
		}
	}
	fn->present = false;
	pci_pvbus_set_visible(pb, fn->desc.devfn, false);
	list_for_each_entry_safe(w, tmp, &pb->wins, node)
		if (w->fn == fn)
			pci_pvbus_win_free(pb, w);
	pci_unlock_rescan_remove();
}

/* Take @fn off the bus, with its fixed windows, and forget it. */
void pci_pvbus_remove_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	pci_pvbus_unplug_fn(pb, fn);
	list_del(&fn->node);
	pb->nr_fns--;
	kfree(fn);
}

/*
 * A function that was offered to the host but cannot stay: released, if
 * the host took its resources, then forgotten.
 */
void pci_pvbus_drop_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	pci_pvbus_unplug_fn(pb, fn);
	if (fn->assigned)
		pci_pvbus_release_fn(pb, fn);
	list_del(&fn->node);
	pb->nr_fns--;
	kfree(fn);
}

struct pci_pvbus_fn *pci_pvbus_find_fn(struct pci_pvbus *pb, u32 devfn)
{
	struct pci_pvbus_fn *fn;

	list_for_each_entry(fn, &pb->fns, node)
		if (fn->desc.devfn == devfn)
			return fn;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_find_fn);

/*
 * New functions from @desc: ask for their BARs.  One that fails, or that
 * there is no memory for, is left out with a message; the others go on.
 */
unsigned int pci_pvbus_new_fns(struct pci_pvbus *pb,
			       const struct pvbus_pci_fn_desc *desc,
			       unsigned int nr,
			       struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++) {
		struct pci_pvbus_fn *fn;

		fn = kzalloc(sizeof(*fn), GFP_KERNEL);
		if (!fn) {
			pb->nr_left_out++;
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out: no memory\n",
				PCI_SLOT(desc[i].devfn), PCI_FUNC(desc[i].devfn),
				desc[i].vendor, desc[i].device);
			continue;
		}
		fn->desc = desc[i];
		if (pci_pvbus_query_resources(pb, fn)) {
			pb->nr_left_out++;
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out\n",
				PCI_SLOT(fn->desc.devfn),
				PCI_FUNC(fn->desc.devfn), fn->desc.vendor,
				fn->desc.device);
			kfree(fn);
			continue;
		}
		fns[n++] = fn;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_new_fns);

/*
 * What differs between the architectures, in one place: the root bus's
 * sysdata, its firmware node, its MSI domain, its domain number.
 *
 * x86 reads sysdata as a struct pci_sysdata (the domain and the NUMA
 * node), and pcibios_device_add() gives a device on a bus without an MSI
 * domain the default x86 PCI/MSI domain.
 *
 * arm64 with ACPI reads sysdata as a struct pci_config_window in
 * pcibios_root_bridge_prepare(): its parent, the ACPI device of the bus
 * root (NULL for none), becomes the bridge's companion, from which the PCI
 * core takes the devices' DMA attributes (_CCA) and the MSI domain (the
 * GICv2m frame, or the ITS through the IORT).  Elsewhere nothing reads it.
 *
 * With a device tree, the bus root's node becomes the bridge's node, from
 * which the PCI core reads msi-parent (the MSI controller) and msi-map
 * (the ITS device id of each requester id) as from any host bridge's node.
 *
 * Under CONFIG_PCI_DOMAINS_GENERIC the domain is the one the driver chose,
 * not one the PCI core allocates.
 */
static void pci_pvbus_bridge_init(struct pci_pvbus *pb,
				  struct pci_host_bridge *bridge)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct device *root = dev->parent;

#ifdef CONFIG_X86
	pb->sysdata.domain = pb->domain;
	pb->sysdata.node = dev_to_node(dev);
#elif IS_ENABLED(CONFIG_ACPI)
	if (root && has_acpi_companion(root))
		pb->sysdata.parent = &ACPI_COMPANION(root)->dev;
#endif
	bridge->sysdata = &pb->sysdata;
	/* The root outlives the bridge, a device managed by its child. */
	if (root && root->of_node)
		device_set_node(&bridge->dev, of_fwnode_handle(root->of_node));
#ifdef CONFIG_PCI_DOMAINS_GENERIC
	bridge->domain_nr = pb->domain;
#endif
}

int pci_pvbus_create_bus(struct pci_pvbus *pb)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_host_bridge *bridge;
	struct pci_pvbus_fn *fn, *tmp;
	struct pci_pvbus_win *w;
	unsigned int spare;
	int ret;

	bridge = devm_pci_alloc_host_bridge(dev, 0);
	if (!bridge)
		return -ENOMEM;

	pci_pvbus_bridge_init(pb, bridge);
	bridge->ops = &pci_pvbus_ops;
	bridge->busnr = pb->busnr;

	pb->busn.name = pb->bus_name;
	pb->busn.start = pb->busnr;
	/* No secondary buses: only type-0 functions are on the bus. */
	pb->busn.end = pb->busnr;
	pb->busn.flags = IORESOURCE_BUS;
	/*
	 * The windows go on the root bus once it exists, as hot add puts
	 * them there: handed over with the bridge, adjacent ones would be
	 * merged into one, and the bus could never take more.
	 */
	pci_add_resource(&bridge->windows, &pb->busn);

	/* Only the functions the host took answer config accesses. */
	list_for_each_entry(fn, &pb->fns, node)
		if (fn->assigned)
			pci_pvbus_set_visible(pb, fn->desc.devfn, true);

	pci_lock_rescan_remove();
	spare = pci_pvbus_spare_begin();
	ret = pci_scan_root_bus_bridge(bridge);
	pci_pvbus_spare_end(spare);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "cannot create root bus %04x:%02x: %d\n",
			pb->domain, pb->busnr, ret);
		return ret;
	}
	pb->bridge = bridge;
	pb->bus = bridge->bus;
	/* x86 has a default MSI domain; elsewhere the firmware must name one. */
	if (IS_ENABLED(CONFIG_PCI_MSI_IRQ_DOMAIN) && !IS_ENABLED(CONFIG_X86) &&
	    !dev_get_msi_domain(&pb->bus->dev))
		dev_info(dev, "no MSI domain for the bus root in the firmware: functions get no MSI\n");
	list_for_each_entry(w, &pb->wins, node)
		pci_pvbus_win_show(pb, w);
	list_for_each_entry(fn, &pb->fns, node)
		if (fn->assigned)
			pci_pvbus_add_fn(pb, fn);
	spare = pci_pvbus_spare_begin();
	pci_bus_add_devices(pb->bus);
	pci_pvbus_spare_end(spare);
	pci_unlock_rescan_remove();

	/* What could not be put on the bus goes back to the host. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node)
		if (fn->assigned && !fn->present)
			pci_pvbus_drop_fn(pb, fn);
	return 0;
}

void pci_pvbus_remove_bus(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w;
	struct pci_pvbus_fn *fn;

	if (pb->bus) {
		pci_lock_rescan_remove();
		pci_stop_root_bus(pb->bus);
		/* Off the root bus before it goes: the bus frees what is on it. */
		list_for_each_entry(w, &pb->wins, node)
			pci_pvbus_win_hide(pb, w);
		pci_remove_root_bus(pb->bus);
		pci_unlock_rescan_remove();
		pb->bus = NULL;
		pb->bridge = NULL;
	}
	list_for_each_entry(fn, &pb->fns, node) {
		fn->present = false;
		pci_pvbus_set_visible(pb, fn->desc.devfn, false);
	}
}

void pci_pvbus_free_fns(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn, *tmp;

	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		list_del(&fn->node);
		kfree(fn);
	}
	pb->nr_fns = 0;
}

