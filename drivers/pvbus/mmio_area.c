// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the live allocations of an MMIO space, on a list oldest first
 * and in a tree by start.  They never overlap, so their ends rise with
 * their starts: the one freed, or the one in the way of a range, is found
 * in O(log n), where a walk of the list cost O(n) per free (and made
 * pvbus_mmio_find() O(n^2)).  The callers hold the space's lock.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/slab.h>

#include "mmio_internal.h"

static bool pvbus_mmio_area_less(struct rb_node *a, const struct rb_node *b)
{
	return pvbus_mmio_area_of(a)->res.start <
	       pvbus_mmio_area_of(b)->res.start;
}

/* A new allocation, placed: onto the list and into the tree. */
void pvbus_mmio_area_add(struct pvbus_mmio_space *space,
			 struct pvbus_mmio_area *area)
{
	list_add_tail(&area->node, &space->areas);
	rb_add(&area->rb, &space->area_tree, pvbus_mmio_area_less);
}

void pvbus_mmio_area_free(struct pvbus_mmio_space *space,
			  struct pvbus_mmio_area *area)
{
	list_del(&area->node);
	rb_erase(&area->rb, &space->area_tree);
	kfree(area->res.name);
	kfree(area);
}

/*
 * The live allocation of @space with the highest start at or below @addr,
 * if there is one.  Allocations never overlap, so their ends rise with
 * their starts.
 */
struct pvbus_mmio_area *pvbus_mmio_area_below(struct pvbus_mmio_space *space,
					      resource_size_t addr)
{
	struct rb_node *n = space->area_tree.rb_node;
	struct pvbus_mmio_area *area, *found = NULL;

	while (n) {
		area = pvbus_mmio_area_of(n);
		if (area->res.start <= addr) {
			found = area;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	return found;
}

/*
 * A live allocation of @space that overlaps [start, end], if one does:
 * the one that ends last.  Only the allocation starting last at or below
 * @end can reach @start, since their ends rise with their starts.
 */
struct pvbus_mmio_area *pvbus_mmio_area_in(struct pvbus_mmio_space *space,
					   resource_size_t start,
					   resource_size_t end)
{
	struct pvbus_mmio_area *area = pvbus_mmio_area_below(space, end);

	return area && area->res.end >= start ? area : NULL;
}
