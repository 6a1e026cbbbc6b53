// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: cfg_window=legacy, the config window placed as old
 * paravirtual PCI front-ends placed it.
 *
 * They chose a place from a private view of their windows that held only
 * their own allocations and the framebuffer found in screen_info, then
 * called request_mem_region() for it.  That request nests inside any
 * resource no driver has claimed -- the BAR of a PCI device without a
 * driver, such as the boot display in a kdump kernel -- and fails only on
 * a claimed (busy) one.  This file does the same, on purpose and nowhere
 * else, so that the field failure (a config window on an unreserved
 * framebuffer, refused by the host) can be reproduced: the private view is
 * what the bus's allocator says its own records leave free
 * (pvbus_device_mmio_find()), the request is the kernel's resource calls.
 * It is not safe against a foreign resource being released under a window
 * nested in it; neither were the old front-ends.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/printk.h>
#include <linux/pvbus_driver.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus-legacy.h"
#include "pci-pvbus.h"

#define LEGACY_TOP	((resource_size_t)~0)

#if !IS_ENABLED(CONFIG_KUNIT)
typedef int (*pci_pvbus_legacy_find_t)(void *ctx,
				       const struct pvbus_mmio_req *req,
				       resource_size_t *start);
#endif

/* The first claimed resource the walk met, clipped to the walk. */
struct legacy_busy {
	resource_size_t start, end;
	bool found;
};

static int legacy_busy_first(struct resource *res, void *arg)
{
	struct legacy_busy *b = arg;

	b->start = res->start;
	b->end = res->end;
	b->found = true;
	return 1;
}

/*
 * The end + 1 of the claimed resource in iomem that takes part of
 * [start, end], or 0 if none does.  The walk goes on past @end, so that a
 * claimed resource reaching past @end is passed in one turn (the walker
 * clips what it reports to the range walked).  *top is set if it reaches
 * the top of the address space.
 */
static resource_size_t legacy_busy_clash(resource_size_t start,
					 resource_size_t end, bool *top)
{
	struct legacy_busy b = { };

	/* The walker refuses a one-byte range; look one byte lower. */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
			    start < LEGACY_TOP ? start : start - 1, LEGACY_TOP,
			    &b, legacy_busy_first);
	if (!b.found || b.start > end || b.end < start)
		return 0;
	if (b.end == LEGACY_TOP)
		*top = true;
	return b.end + 1;
}

/* The start of the first gap in a resource that begins after @after. */
struct legacy_gap {
	resource_size_t after, next;
	bool found;
};

/* pci_pvbus_walk_gaps() callback of legacy_insert(): resource lock held. */
static void legacy_gap(void *data, resource_size_t start, resource_size_t end)
{
	struct legacy_gap *g = data;

	if (!g->found && start > g->after) {
		g->next = start;
		g->found = true;
	}
}

/*
 * Put @res at [start, end] in iomem the way request_mem_region() would:
 * inside whatever wholly contains it.  Return 0, or the address to go on
 * from: it would straddle the edge of a resource, or take one in (the
 * old front-ends' request failed there too).  What it took in is not
 * ours, and its owner may release it meanwhile, under the resource lock
 * only: the end of the first one is read there, as the start of the
 * first gap after it (pci_pvbus_walk_gaps(); past @end, when it reaches
 * that far).
 */
static resource_size_t legacy_insert(struct resource *res,
				     resource_size_t start, resource_size_t end)
{
	struct legacy_gap g = { .after = start };
	resource_size_t next;

	res->start = start;
	res->end = end;
	res->parent = NULL;
	res->sibling = NULL;
	res->child = NULL;
	if (insert_resource(&iomem_resource, res))
		return start + 1;
	if (!READ_ONCE(res->child))
		return 0;
	pci_pvbus_walk_gaps(res, legacy_gap, &g);
	next = g.found ? g.next : end + 1;
	remove_resource(res);
	res->child = NULL;
	res->sibling = NULL;
	return next ?: LEGACY_TOP;
}

/*
 * Does the bus still leave [start, end] free?  It may have allocated or
 * reserved there since @find answered, and nothing of the bus may be
 * nested in, or taken in by, the window.
 */
static bool legacy_still_free(pci_pvbus_legacy_find_t find, void *ctx,
			      const struct pvbus_mmio_req *req,
			      resource_size_t start, resource_size_t end)
{
	struct pvbus_mmio_req q = *req;
	resource_size_t check;

	q.min = start;
	q.max = end;
	return !find(ctx, &q, &check) && check == start;
}

/**
 * __pci_pvbus_legacy_alloc() - place a config window the old way
 * @find: where the bus's allocator leaves room for a request
 * @ctx: for @find
 * @req: the request, zone %PVBUS_MMIO_ANY
 * @turns: if not NULL, counts the candidates tried
 *
 * Each turn moves the candidate past one reservation or allocation of the
 * bus (@find), one claimed resource, or one resource it would have taken
 * in (with those right after it, if they touch).  Only where it would
 * straddle the edge of a resource nobody claimed does it move by the
 * alignment, which passes the edge in at most size / alignment turns.
 *
 * Return: a resource of its own in iomem, or an ERR_PTR(): -ENOSPC,
 * -ENOMEM, -EINVAL.
 */
VISIBLE_IF_KUNIT struct resource *
__pci_pvbus_legacy_alloc(pci_pvbus_legacy_find_t find, void *ctx,
			 const struct pvbus_mmio_req *req, unsigned int *turns)
{
	struct pvbus_mmio_req q = *req;
	resource_size_t start, end, next, align;
	struct resource *res;
	bool top = false;
	int ret;

	if (!req->name || !req->size || req->fb_overlap_ok ||
	    (!req->align && req->size > LEGACY_TOP / 2 + 1))
		return ERR_PTR(-EINVAL);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return ERR_PTR(-ENOMEM);
	res->name = kstrdup(req->name, GFP_KERNEL);
	if (!res->name) {
		kfree(res);
		return ERR_PTR(-ENOMEM);
	}
	res->flags = IORESOURCE_MEM;
	align = req->align ?: roundup_pow_of_two(req->size);

	for (;;) {
		if (turns)
			(*turns)++;
		ret = find(ctx, &q, &start);
		if (ret)
			break;
		end = start + (req->size - 1);

		next = legacy_busy_clash(start, end, &top);
		if (!next && !top) {
			next = legacy_insert(res, start, end);
			if (!next &&
			    !legacy_still_free(find, ctx, &q, start, end)) {
				remove_resource(res);
				next = start + 1;
			}
			if (!next)
				return res;
		}
		ret = -ENOSPC;
		if (top || next <= start)
			break;
		q.min = ALIGN(next, align);
		if (q.min < next || (q.max && q.min > q.max))
			break;
	}
	kfree(res->name);
	kfree(res);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(__pci_pvbus_legacy_alloc);

static int legacy_find(void *ctx, const struct pvbus_mmio_req *req,
		       resource_size_t *start)
{
	return pvbus_device_mmio_find(ctx, req, start);
}

/**
 * pci_pvbus_legacy_alloc() - a config window where old front-ends put it
 * @pdev: the bus's device
 * @req: the request; its zone is ignored (%PVBUS_MMIO_ANY)
 *
 * The lowest address that no reservation or allocation of the bus and no
 * claimed resource takes, nested inside a resource nobody claimed if it
 * lies in one.  Free it with pci_pvbus_legacy_free().
 *
 * Return: the window, or an ERR_PTR().
 */
struct resource *pci_pvbus_legacy_alloc(struct pvbus_device *pdev,
					const struct pvbus_mmio_req *req)
{
	struct pvbus_mmio_req q = *req;

	q.zone = PVBUS_MMIO_ANY;
	return __pci_pvbus_legacy_alloc(legacy_find, pdev, &q, NULL);
}

/**
 * pci_pvbus_legacy_free() - free what pci_pvbus_legacy_alloc() gave
 * @res: the window; NULL or an ERR_PTR() is ignored
 *
 * A resource still requested inside @res keeps it: it is left in iomem
 * (leaked, with a warning) rather than freed under the one nested in it.
 * One requested after that check is handed up to @res's parent.
 */
void pci_pvbus_legacy_free(struct resource *res)
{
	if (IS_ERR_OR_NULL(res))
		return;
	/*
	 * Not named, and handed up if inserted after the check: see
	 * pci_pvbus_win_free().
	 */
	if (WARN(READ_ONCE(res->child),
		 "pci-pvbus: legacy window %pR still holds a region requested in it: leaked\n",
		 res))
		return;
	remove_resource(res);
	kfree(res->name);
	kfree(res);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_legacy_free);
