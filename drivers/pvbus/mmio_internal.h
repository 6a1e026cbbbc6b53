/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus MMIO allocator: what only the allocator's files and its KUnit
 * suites see.
 */
#ifndef _PVBUS_MMIO_INTERNAL_H
#define _PVBUS_MMIO_INTERNAL_H

#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pvbus_mmio.h>
#include <linux/rbtree.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "mmio_rsv.h"

/**
 * struct pvbus_mmio_space - an MMIO space
 * @name: name, used for the windows shown in /proc/iomem
 * @lock: serialises every change to the space, its lists and @rsv
 * @root: parent of the windows while the space is private
 * @parent: where windows go: @root, or &iomem_resource once published
 * @windows: &struct pvbus_mmio_win, sorted by start
 * @rsv: the reservations
 * @areas: &struct pvbus_mmio_area, the live allocations, oldest first
 * @area_tree: the same, by start: they never overlap, so finding the one
 *	freed or the one in the way of a range costs O(log n), not a walk
 * @tie: ties a window in a PCI host bridge window to the bridge, or NULL
 * @tie_data: for @tie
 * @gaps_walked: for KUnit only, candidate gaps examined by the constraint
 *	callback (pvbus_mmio_space_gaps_walked())
 */
struct pvbus_mmio_space {
	const char *name;
	struct mutex lock;	/* protects the lists, @rsv and gaps_walked */
	struct resource root;
	struct resource *parent;
	struct list_head windows;
	struct pvbus_rsv_set rsv;
	struct list_head areas;
	struct rb_root area_tree;
	pvbus_mmio_tie_fn tie;
	void *tie_data;
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
	u64 gaps_walked;
#endif
};

/*
 * A window, and how the reservations show in it; @published links it,
 * while in iomem, with the windows of every published space.
 */
struct pvbus_mmio_win {
	struct list_head node;
	struct list_head published;
	struct resource res;
	struct pvbus_rsv_view view;
};

/* A live allocation: on the space's list and in its tree by start. */
struct pvbus_mmio_area {
	struct list_head node;
	struct rb_node rb;
	struct resource res;
};

/* One pass of the zone policy: the bounds the whole allocation must meet. */
struct pvbus_mmio_pass {
	u64 min, max;
};

#define pvbus_mmio_area_of(n) rb_entry(n, struct pvbus_mmio_area, rb)

/* mmio_area.c */
void pvbus_mmio_area_add(struct pvbus_mmio_space *space,
			 struct pvbus_mmio_area *area);
void pvbus_mmio_area_free(struct pvbus_mmio_space *space,
			  struct pvbus_mmio_area *area);
struct pvbus_mmio_area *pvbus_mmio_area_below(struct pvbus_mmio_space *space,
					      resource_size_t addr);
struct pvbus_mmio_area *pvbus_mmio_area_in(struct pvbus_mmio_space *space,
					   resource_size_t start,
					   resource_size_t end);

/* mmio_req.c: a zone's passes, each split around an architecture's hole */
#define PVBUS_MMIO_MAX_PASSES	4
unsigned int pvbus_mmio_passes(const struct pvbus_mmio_req *req,
			       u64 min, u64 max, struct pvbus_mmio_pass *pass);
#if IS_ENABLED(CONFIG_KUNIT)
unsigned int __pvbus_mmio_passes(const struct pvbus_mmio_req *req, u64 min,
				 u64 max, const struct pvbus_mmio_pass *hole,
				 struct pvbus_mmio_pass *pass);
#endif
int pvbus_mmio_check_req(const struct pvbus_mmio_req *req,
			 resource_size_t *align, u64 *max);

/* Whether @space's windows go into iomem; stable under its lock. */
static inline bool pvbus_mmio_published(const struct pvbus_mmio_space *space)
{
	return space->parent == &iomem_resource;
}

/* mmio_iomem.c */
bool pvbus_mmio_tree_lock(struct pvbus_mmio_space *space);
void pvbus_mmio_tree_unlock(struct pvbus_mmio_space *space, bool published);
int pvbus_mmio_insert_published(struct pvbus_mmio_space *space,
				struct pvbus_mmio_win *win);
void pvbus_mmio_remove_published(struct pvbus_mmio_win *win);

#if IS_ENABLED(CONFIG_KUNIT)
void pvbus_mmio_space_free(struct pvbus_mmio_space *space);
void pvbus_mmio_iomem_lock(void);
void pvbus_mmio_iomem_unlock(void);
#endif
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
u64 pvbus_mmio_space_gaps_walked(struct pvbus_mmio_space *space);
u64 pvbus_mmio_space_rsv_walked(struct pvbus_mmio_space *space);
struct resource *pvbus_mmio_space_root(struct pvbus_mmio_space *space);
#endif

#endif /* _PVBUS_MMIO_INTERNAL_H */
