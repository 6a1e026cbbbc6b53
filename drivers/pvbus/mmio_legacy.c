// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: legacy placement (%PVBUS_MMIO_LEGACY).
 *
 * Old paravirtual PCI front-ends placed from a private view of their
 * windows that held only their own allocations and the framebuffer found
 * in screen_info, then called request_mem_region() for the chosen range.
 * That request nests inside any resource no driver has claimed -- the BAR
 * of a PCI device without a driver, such as the boot display in a kdump
 * kernel -- and fails only on a claimed (busy) one.  This file does the
 * same, on purpose and nowhere else, so that the field failure can be
 * reproduced.  It is not safe against a foreign resource being released
 * under an allocation nested in it; neither were the old front-ends.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/align.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/lockdep.h>

#include "mmio_internal.h"

/* The first claimed resource found by the walk, clipped to the walk. */
struct pvbus_mmio_busy {
	resource_size_t start, end;
	bool found;
};

/*
 * walk_iomem_res_desc() callback, called first for the claimed resource
 * that starts lowest in the range walked: keep it and stop.
 */
static int pvbus_mmio_busy_first(struct resource *res, void *arg)
{
	struct pvbus_mmio_busy *b = arg;

	b->start = res->start;
	b->end = res->end;
	b->found = true;
	return 1;
}

/* The end + 1 of an allocation of @space that overlaps [start, end], or 0. */
static resource_size_t pvbus_mmio_area_clash(struct pvbus_mmio_space *space,
					     resource_size_t start,
					     resource_size_t end, bool *past_top)
{
	struct pvbus_mmio_area *area;

	list_for_each_entry(area, &space->areas, node) {
		if (!pvbus_mmio_overlaps(area->res.start, area->res.end,
					 start, end))
			continue;
		if (area->res.end == PVBUS_MMIO_TOP)
			*past_top = true;
		return area->res.end + 1;
	}
	return 0;
}

/*
 * The end + 1 of the claimed resource in iomem_resource that takes
 * [start, end], or 0 if there is none.  The walk covers [start, max], so
 * that a claimed resource reaching past @end is passed in one turn.  Only
 * a published space shares iomem_resource with others; a private one
 * holds nothing but its own resources.
 */
static resource_size_t pvbus_mmio_iomem_clash(struct pvbus_mmio_space *space,
					      resource_size_t start,
					      resource_size_t end,
					      resource_size_t max,
					      bool *past_top)
{
	struct pvbus_mmio_busy b = { };

	if (space->parent != &iomem_resource)
		return 0;

	/* The walker refuses a one-byte range; look one byte further. */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
			    start, max > start ? max : max + 1, &b,
			    pvbus_mmio_busy_first);
	if (!b.found || b.start > end)
		return 0;
	if (b.end == PVBUS_MMIO_TOP)
		*past_top = true;
	return b.end + 1;
}

/**
 * pvbus_mmio_place_legacy() - place an allocation in one window, the old way
 * @space: the space, locked
 * @win: the window
 * @res: the allocation; its start and end are set, and it is inserted
 * @min: lowest address allowed
 * @max: highest address allowed
 * @size: size of the allocation
 * @align: its alignment
 *
 * Each turn moves the candidate past one reservation, allocation,
 * claimed resource or resource it would have taken in.  Only where it
 * would straddle the edge of a resource nobody claimed does it move by
 * @align, which passes the edge in at most @size / @align turns.
 *
 * Return: true if @res was inserted.
 */
bool pvbus_mmio_place_legacy(struct pvbus_mmio_space *space,
			     struct pvbus_mmio_win *win, struct resource *res,
			     u64 min, u64 max, resource_size_t size,
			     resource_size_t align)
{
	resource_size_t pos, end, next;
	bool past_top = false;

	lockdep_assert_held(&space->lock);

	min = max_t(u64, min, win->res.start);
	max = min_t(u64, max, win->res.end);
	if (min > max || max - min < size - 1)
		return false;

	pos = ALIGN(min, align);
	if (pos < min)
		return false;

	for (;;) {
		space->gaps_walked++;
		if (!pvbus_mmio_rsv_place(space, false, size, align, &pos) ||
		    !pvbus_mmio_end(pos, size, &end) || end > max)
			return false;

		next = pvbus_mmio_area_clash(space, pos, end, &past_top);
		if (!next && !past_top)
			next = pvbus_mmio_iomem_clash(space, pos, end, max,
						      &past_top);
		if (past_top)
			return false;

		if (!next) {
			res->start = pos;
			res->end = end;
			res->parent = NULL;
			res->sibling = NULL;
			res->child = NULL;
			if (insert_resource(&win->res, res)) {
				/* It straddles the edge of an unclaimed one. */
				next = pos + 1;
			} else if (res->child) {
				/* It took a resource in: never adopt one. */
				next = res->child->end + 1;
				remove_resource(res);
				res->child = NULL;
				res->sibling = NULL;
				if (!next)
					return false;
			} else {
				return true;
			}
		}

		if (next <= pos)
			return false;
		pos = ALIGN(next, align);
		if (pos < next)
			return false;
	}
}
