// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: where a space's own records leave room for a
 * request, without allocating.  For a caller that places by rules of its
 * own with the kernel's resource calls (pci-pvbus's cfg_window=legacy,
 * through pvbus_device_mmio_find()): the answer looks at the space's
 * reservations and allocations, never at others' resources in its windows.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/pvbus_mmio.h>
#include <linux/rbtree.h>

#include "mmio_internal.h"

/*
 * The lowest start in @win within @pass that no reservation and no
 * allocation of @space overlaps.  Each turn passes one allocation or
 * reservation; the allocations in the way are met in address order, from
 * the tree, so that a find among n allocations costs O(n), not O(n^2).
 */
static bool pvbus_mmio_fit_records(struct pvbus_mmio_space *space,
				   struct pvbus_mmio_win *win,
				   const struct pvbus_mmio_pass *pass,
				   resource_size_t size, resource_size_t align,
				   resource_size_t *start)
{
	u64 min = max_t(u64, pass->min, win->res.start);
	u64 max = min_t(u64, pass->max, win->res.end);
	struct pvbus_rsv_cursor cur = {};	/* @pos only rises */
	resource_size_t pos, end, next;
	struct pvbus_mmio_area *area;
	struct rb_node *n;

	if (min > max || max - min < size - 1)
		return false;
	pos = ALIGN(min, align);
	if (pos < min)
		return false;

	/* Those before it end below @pos: their successors start there. */
	area = pvbus_mmio_area_below(space, pos);
	n = area ? &area->rb : rb_first(&space->area_tree);
	for (;;) {
		if (!pvbus_rsv_set_place(&space->rsv, false, size, align, max,
					 &cur, &pos) ||
		    !pvbus_mmio_end(pos, size, &end) || end > max)
			return false;
		/*
		 * The first allocation that ends at or above @pos; @pos only
		 * rises, so the cursor only moves on.  Ends rise with starts:
		 * if it starts above @end, nothing is in the way.
		 */
		while (n && pvbus_mmio_area_of(n)->res.end < pos)
			n = rb_next(n);
		if (!n || pvbus_mmio_area_of(n)->res.start > end) {
			*start = pos;
			return true;
		}
		area = pvbus_mmio_area_of(n);
		if (area->res.end == PVBUS_MMIO_TOP)
			return false;
		next = area->res.end + 1;
		pos = ALIGN(next, align);
		if (pos < next)
			return false;
	}
}

/**
 * pvbus_mmio_find() - where a space's own records leave room for a request
 * @space: the space
 * @req: what to place, as for pvbus_mmio_alloc(); @req->fb_overlap_ok
 *	must be false
 * @start: where the start of the room found is stored
 *
 * The lowest start, within the zone's passes and windows in address order,
 * at which [start, start + @req->size - 1] overlaps no reservation and no
 * allocation of @space.  Unlike pvbus_mmio_alloc(), resources of others in
 * the windows (the BARs and drivers' regions a published window took in)
 * are not looked at, and nothing is allocated: the answer holds only as
 * long as the space does not change.  It is for a caller that places by
 * rules of its own, with the kernel's resource calls, in the room the
 * space leaves.
 *
 * Return: 0; -EINVAL for an invalid request or one with fb_overlap_ok;
 * -ENOSPC if there is no such room.
 */
int pvbus_mmio_find(struct pvbus_mmio_space *space,
		    const struct pvbus_mmio_req *req, resource_size_t *start)
{
	struct pvbus_mmio_pass pass[PVBUS_MMIO_MAX_PASSES];
	struct pvbus_mmio_win *win;
	resource_size_t align;
	unsigned int n, i;
	int ret;
	u64 max;

	if (!space || !start)
		return -EINVAL;
	ret = pvbus_mmio_check_req(req, &align, &max);
	if (ret)
		return ret;
	if (req->fb_overlap_ok)
		return -EINVAL;

	n = pvbus_mmio_passes(req, req->min, max, pass);
	ret = -ENOSPC;
	mutex_lock(&space->lock);
	for (i = 0; i < n && ret; i++)
		list_for_each_entry(win, &space->windows, node)
			if (pvbus_mmio_fit_records(space, win, &pass[i],
						   req->size, align, start)) {
				ret = 0;
				break;
			}
	mutex_unlock(&space->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_find);
