// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the root bus and what is on it.  The windows of the bus,
 * placed by the planner of pci-pvbus-plan.c; the functions, whose BARs are
 * written where they were planned, claimed and told to the host; the root
 * bus itself, created and removed.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus.h"

/* Windows a root bus keeps in reserve for hot add. */
#define PCI_PVBUS_SPARE_WINDOWS	4

/* ---------------------------------------------------------------------
 * Windows
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

static void pci_pvbus_win_spare(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	w->alloc = NULL;
	w->fn = NULL;
	w->grown = false;
	w->res.name = pb->bus_name;
	w->res.start = 0;
	w->res.end = 0;
	w->res.flags = IORESOURCE_MEM | IORESOURCE_UNSET | IORESOURCE_DISABLED;
}

/* Put a placed window into a spare: the PCI core sees it from now on. */
static void pci_pvbus_win_use(struct pci_pvbus_win *w,
			      const struct pci_pvbus_plan_win *pw,
			      struct pci_pvbus_fn *fn)
{
	w->alloc = pw->res;
	w->zone = pw->zone;
	w->kind = pw->kind;
	w->fn = pw->kind == PCI_PVBUS_WIN_FIXED ? fn : NULL;
	w->res.start = pw->res->start;
	w->res.end = pw->res->end;
	w->res.flags = IORESOURCE_MEM;
	/* A fresh allocation has no children: this cannot fail. */
	WARN_ON(request_resource(w->alloc, &w->res));
}

/* Give a window back to the bus; it becomes a spare. */
static void pci_pvbus_win_free(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (!w->alloc)
		return;
	if (WARN(w->res.child, "%s: window %pR still holds %pR\n", pb->name,
		 &w->res, w->res.child))
		return;
	release_resource(&w->res);
	pvbus_device_mmio_free(pb->pdev, w->alloc);
	pci_pvbus_win_spare(pb, w);
}

void pci_pvbus_plan_free(struct pci_pvbus_plan *p)
{
	kfree(p->fn);
	kfree(p->win);
	kfree(p->used);
	memset(p, 0, sizeof(*p));
}

/* The ranges taken in the bus's packed windows: BARs, ROMs, anything. */
static int pci_pvbus_used(struct pci_pvbus *pb, struct pci_pvbus_plan *p)
{
	struct pci_pvbus_range *used;
	unsigned int i, n = 0;
	struct resource *r;

	for (i = 0; i < pb->nr_win; i++)
		for (r = pb->win[i].alloc ? pb->win[i].res.child : NULL; r;
		     r = r->sibling)
			n++;
	used = kcalloc(max(n, 1U), sizeof(*used), GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < pb->nr_win; i++) {
		for (r = pb->win[i].alloc ? pb->win[i].res.child : NULL; r;
		     r = r->sibling) {
			used[n].start = r->start;
			used[n].end = r->end;
			n++;
		}
	}
	p->used = used;
	p->nr_used = n;
	return 0;
}

/*
 * Plan the BARs of @fns into the bus's windows and allocate the new
 * windows they need.  Called with pci_lock_rescan_remove() held once the
 * bus exists, since the windows' children are read.
 */
int pci_pvbus_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			unsigned int n, struct pci_pvbus_plan *p)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i, b, spare = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < pb->nr_win; i++)
		if (!pb->win[i].alloc)
			spare++;
	p->nr_old = pb->nr_win - spare;
	p->max_win = pb->win ? pb->nr_win : 2 + n * PVBUS_PCI_NR_BARS;

	p->fn = kcalloc(max(n, 1U), sizeof(*p->fn), GFP_KERNEL);
	p->win = kcalloc(p->max_win, sizeof(*p->win), GFP_KERNEL);
	if (!p->fn || !p->win) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = pci_pvbus_used(pb, p);
	if (ret)
		goto fail;

	for (i = 0, b = 0; i < pb->nr_win; i++) {
		struct pci_pvbus_win *w = &pb->win[i];

		if (!w->alloc)
			continue;
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
				 PCI_SLOT(fns[i]->desc.slot),
				 PCI_FUNC(fns[i]->desc.slot), pf->bad_bar,
				 pci_pvbus_keep_reason(pf->keep));
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			fns[i]->addr[b] = pf->win[b] < 0 ? 0 :
				p->win[pf->win[b]].start + pf->off[b];
	}
	return 0;

fail:
	if (ret == -ENOSPC)
		dev_err(dev, "no room for the BARs of %u function%s\n", n,
			n == 1 ? "" : "s");
	pci_pvbus_plan_free(p);
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
 * The first windows of a new bus: each placed window, then a spare so that
 * no two windows are neighbours in the list the PCI core gets (it merges
 * adjacent windows it is given), then the spares for hot add.
 */
int pci_pvbus_windows_init(struct pci_pvbus *pb,
			   struct pci_pvbus_plan *p,
			   struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0, real = 0;

	for (i = p->nr_old; i < p->nr_win; i++)
		if (p->win[i].res)
			real++;
	pb->win = kcalloc(2 * real + PCI_PVBUS_SPARE_WINDOWS, sizeof(*pb->win),
			  GFP_KERNEL);
	if (!pb->win)
		return -ENOMEM;
	pb->nr_win = 2 * real + PCI_PVBUS_SPARE_WINDOWS;
	for (i = 0; i < pb->nr_win; i++)
		pci_pvbus_win_spare(pb, &pb->win[i]);

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		pci_pvbus_win_use(&pb->win[n], &p->win[i],
				  pci_pvbus_win_fn(p, i, fns));
		p->win[i].res = NULL;	/* the bus owns it now */
		n += 2;
	}
	return 0;
}

/* Hot add: put the new windows into spares. */
void pci_pvbus_windows_add(struct pci_pvbus *pb,
			   struct pci_pvbus_plan *p,
			   struct pci_pvbus_fn **fns)
{
	unsigned int i, s = 0;

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		while (pb->win[s].alloc)
			s++;
		pci_pvbus_win_use(&pb->win[s], &p->win[i],
				  pci_pvbus_win_fn(p, i, fns));
		pb->win[s].grown = true;
		p->win[i].res = NULL;
	}
}

void pci_pvbus_windows_free(struct pci_pvbus *pb)
{
	unsigned int i;

	for (i = 0; i < pb->nr_win; i++)
		pci_pvbus_win_free(pb, &pb->win[i]);
	kfree(pb->win);
	pb->win = NULL;
	pb->nr_win = 0;
}

/* ---------------------------------------------------------------------
 * Functions on the bus
 */

/* Write the planned BARs of @fn, with decoding off if any changes. */
void pci_pvbus_write_bars(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.slot, b;
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
 * Put @fn on the bus (the scan may have found it already) and claim its
 * BARs where they were planned.  Called with pci_lock_rescan_remove()
 * held, for every new function before pci_pvbus_finish_fn().
 */
int pci_pvbus_add_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.slot, b;
	struct pci_dev *pdev;

	pdev = pci_get_slot(pb->bus, devfn);
	if (!pdev) {
		pdev = pci_scan_single_device(pb->bus, devfn);
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

		if (!fn->addr[b])
			continue;
		if (!r->parent)
			pci_claim_resource(pdev, b);
		if (!r->parent || r->start != fn->addr[b] ||
		    resource_size(r) != fn->bar[b].size)
			pci_warn(pdev, "BAR %u is %pR, not [mem %#llx-%#llx] as planned\n",
				 b, r, fn->addr[b],
				 fn->addr[b] + fn->bar[b].size - 1);
	}
	fn->present = true;
	pci_dev_put(pdev);
	return 0;
}

/*
 * Once every new function's planned BARs are claimed: a memory BAR the
 * host did not describe is assigned by the PCI core in the windows, and
 * where each BAR ended up is noted for ASSIGNED_RESOURCES.
 */
void pci_pvbus_finish_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;
	unsigned int b;

	if (!fn->present)
		return;
	pdev = pci_get_slot(pb->bus, fn->desc.slot);
	if (!pdev) {
		fn->present = false;
		return;
	}
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		if (resource_type(r) != IORESOURCE_MEM || r->parent ||
		    !resource_size(r))
			continue;
		pci_warn(pdev, "BAR %u %pR was not described by the host\n",
			 b, r);
		if (pci_assign_resource(pdev, b))
			pci_warn(pdev, "BAR %u: no room for it\n", b);
	}

	/* What the host is told: where each BAR really is. */
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		fn->addr[b] = resource_type(r) == IORESOURCE_MEM && r->parent ?
			      r->start : 0;
	}
	pci_dev_put(pdev);
}

/*
 * Tell the host where @fn's BARs are, before any driver can bind to it: a
 * function whose resources the host refuses does not stay on the bus.
 * Called with pci_lock_rescan_remove() held, before pci_bus_add_devices().
 */
void pci_pvbus_assign_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;

	if (!fn->present || !pci_pvbus_send_assigned(pb, fn))
		return;
	pdev = pci_get_slot(pb->bus, fn->desc.slot);
	if (pdev) {
		pci_stop_and_remove_bus_device(pdev);
		pci_dev_put(pdev);
	}
	fn->present = false;
	pci_pvbus_set_visible(pb, fn->desc.slot, false);
	dev_err(pci_pvbus_dev(pb),
		"function %02x.%x (%04x:%04x) left off the bus: the host did not take its resources\n",
		PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot),
		fn->desc.vendor, fn->desc.device);
}

/* Take @fn off the bus, with its fixed windows, and forget it. */
void pci_pvbus_remove_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;
	unsigned int i;

	pci_lock_rescan_remove();
	if (fn->present) {
		pdev = pci_get_slot(pb->bus, fn->desc.slot);
		if (pdev) {
			pci_stop_and_remove_bus_device(pdev);
			pci_dev_put(pdev);
		}
		fn->present = false;
	}
	pci_pvbus_set_visible(pb, fn->desc.slot, false);
	/* Its fixed windows, and windows grown for hot add now empty. */
	for (i = 0; i < pb->nr_win; i++) {
		struct pci_pvbus_win *w = &pb->win[i];

		if (w->fn == fn || (w->alloc && w->grown && !w->res.child))
			pci_pvbus_win_free(pb, w);
	}
	pci_unlock_rescan_remove();

	list_del(&fn->node);
	pb->nr_fns--;
	kfree(fn);
}

struct pci_pvbus_fn *pci_pvbus_find_fn(struct pci_pvbus *pb, u32 slot)
{
	struct pci_pvbus_fn *fn;

	list_for_each_entry(fn, &pb->fns, node)
		if (fn->desc.slot == slot)
			return fn;
	return NULL;
}

/* New functions from @desc: ask for their BARs; skip those that fail. */
unsigned int pci_pvbus_new_fns(struct pci_pvbus *pb,
			       const struct pci_pvbus_fn_desc *desc,
			       unsigned int nr,
			       struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++) {
		struct pci_pvbus_fn *fn;

		fn = kzalloc(sizeof(*fn), GFP_KERNEL);
		if (!fn)
			break;
		fn->desc = desc[i];
		if (pci_pvbus_query_resources(pb, fn)) {
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out\n",
				PCI_SLOT(fn->desc.slot),
				PCI_FUNC(fn->desc.slot), fn->desc.vendor,
				fn->desc.device);
			kfree(fn);
			continue;
		}
		fns[n++] = fn;
	}
	return n;
}

/* ---------------------------------------------------------------------
 * The root bus
 */

int pci_pvbus_create_bus(struct pci_pvbus *pb)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_host_bridge *bridge;
	struct pci_pvbus_fn *fn;
	unsigned int i;
	int ret;

	bridge = devm_pci_alloc_host_bridge(dev, 0);
	if (!bridge)
		return -ENOMEM;

#ifdef CONFIG_X86
	pb->sysdata.domain = pb->domain;
	pb->sysdata.node = dev_to_node(dev);
	bridge->sysdata = &pb->sysdata;
#else
	bridge->sysdata = pb;
#endif
#ifdef CONFIG_PCI_DOMAINS_GENERIC
	bridge->domain_nr = pb->domain;
#endif
	bridge->ops = &pci_pvbus_ops;
	bridge->busnr = pb->busnr;

	pb->busn.name = pb->bus_name;
	pb->busn.start = pb->busnr;
	pb->busn.end = IS_ENABLED(CONFIG_PCI_DOMAINS) ? 0xff : pb->busnr;
	pb->busn.flags = IORESOURCE_BUS;
	pci_add_resource(&bridge->windows, &pb->busn);
	for (i = 0; i < pb->nr_win; i++)
		pci_add_resource(&bridge->windows, &pb->win[i].res);

	pci_lock_rescan_remove();
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "cannot create root bus %04x:%02x: %d\n",
			pb->domain, pb->busnr, ret);
		return ret;
	}
	pb->bridge = bridge;
	pb->bus = bridge->bus;
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_add_fn(pb, fn);
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_finish_fn(pb, fn);
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_assign_fn(pb, fn);
	pci_bus_add_devices(pb->bus);
	pci_unlock_rescan_remove();
	return 0;
}

void pci_pvbus_remove_bus(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn;

	if (pb->bus) {
		pci_lock_rescan_remove();
		pci_stop_root_bus(pb->bus);
		pci_remove_root_bus(pb->bus);
		pci_unlock_rescan_remove();
		pb->bus = NULL;
		pb->bridge = NULL;
	}
	list_for_each_entry(fn, &pb->fns, node) {
		fn->present = false;
		pci_pvbus_set_visible(pb, fn->desc.slot, false);
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

