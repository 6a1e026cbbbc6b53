/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus MMIO allocator: the reservation set.
 *
 * Records of reserved ranges go in; out come the constraint they put on a
 * placement and their view in a resource tree, under any resource the
 * caller names (a window of the allocator).  The set knows nothing of
 * spaces, windows or allocations.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_MMIO_RSV_H
#define _PVBUS_MMIO_RSV_H

#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/pvbus_mmio.h>
#include <linux/types.h>

struct seq_file;

#define PVBUS_MMIO_TOP		((resource_size_t)~0)

/* The last address of [start, start + size - 1]; false if empty or wraps. */
static inline bool pvbus_mmio_end(resource_size_t start, resource_size_t size,
				  resource_size_t *end)
{
	if (!size || start > PVBUS_MMIO_TOP - (size - 1))
		return false;
	*end = start + (size - 1);
	return true;
}

/**
 * struct pvbus_rsv_rec - a reserved range as the caller gave it: the truth
 * @node: in &pvbus_rsv_set.recs, sorted by @start
 * @start: first address
 * @end: last address
 * @kind: what it is
 * @seq: order of arrival; older firmware and host records win overlaps
 * @name: name shown in the tree; owned
 */
struct pvbus_rsv_rec {
	struct list_head node;
	resource_size_t start, end;
	enum pvbus_mmio_rsv kind;
	unsigned int seq;
	const char *name;
};

/**
 * struct pvbus_rsv_set - the reserved ranges of a space
 * @recs: &struct pvbus_rsv_rec, sorted by start
 * @seq: sequence number for the next record
 * @walked: for KUnit only, records a placement looked at
 *	(pvbus_mmio_space_rsv_walked())
 *
 * The caller serialises every call on a set and on its views.
 */
struct pvbus_rsv_set {
	struct list_head recs;
	unsigned int seq;
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
	u64 walked;
#endif
};

/* For KUnit: count a record a placement looks at. */
static inline void pvbus_rsv_count(struct pvbus_rsv_set *set)
{
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
	set->walked++;
#endif
}

/**
 * struct pvbus_rsv_view - how a set shows under one resource
 * @parent: the resource the view shows under (a window)
 * @segs: the resources shown, sorted by start
 * @old: what was shown before pvbus_rsv_view_prepare(), until commit or
 *	abort
 * @prepared: pvbus_rsv_view_prepare() ran and neither commit nor abort did
 */
struct pvbus_rsv_view {
	struct resource *parent;
	struct list_head segs;
	struct list_head old;
	bool prepared;
};

/* Records in. */
void pvbus_rsv_set_init(struct pvbus_rsv_set *set);
void pvbus_rsv_set_destroy(struct pvbus_rsv_set *set);
bool pvbus_rsv_kind_valid(enum pvbus_mmio_rsv kind);
struct pvbus_rsv_rec *pvbus_rsv_rec_alloc(resource_size_t start,
					  resource_size_t end,
					  enum pvbus_mmio_rsv kind,
					  const char *name);
void pvbus_rsv_rec_free(struct pvbus_rsv_rec *rec);
void pvbus_rsv_set_add(struct pvbus_rsv_set *set, struct pvbus_rsv_rec *rec);
struct pvbus_rsv_rec *pvbus_rsv_set_find(struct pvbus_rsv_set *set,
					 resource_size_t start,
					 resource_size_t end,
					 enum pvbus_mmio_rsv kind);
void pvbus_rsv_rec_del(struct pvbus_rsv_rec *rec);
void pvbus_rsv_set_show(struct seq_file *m, struct pvbus_rsv_set *set);

/**
 * struct pvbus_rsv_cursor - where the walks of rising placements start
 * @rec: a record that every record before it ends below the candidate
 *	start of the placement; NULL: the first record
 *
 * Zeroed before the first of a series of pvbus_rsv_set_place() calls
 * whose candidate starts only rise (the gaps of one allocate_resource(),
 * in address order) while the records do not change: the records the
 * cursor has passed end below every later candidate, so no walk looks at
 * them again.
 */
struct pvbus_rsv_cursor {
	struct pvbus_rsv_rec *rec;
};

/* The placement constraint out. */
bool pvbus_rsv_set_place(struct pvbus_rsv_set *set, bool in_fb,
			 resource_size_t size, resource_size_t align,
			 resource_size_t limit, struct pvbus_rsv_cursor *cur,
			 resource_size_t *pos);

/* The tree view out. */
void pvbus_rsv_view_init(struct pvbus_rsv_view *view, struct resource *parent);
int pvbus_rsv_view_prepare(struct pvbus_rsv_view *view,
			   struct pvbus_rsv_set *set, gfp_t gfp);
void pvbus_rsv_view_commit(struct pvbus_rsv_view *view);
void pvbus_rsv_view_abort(struct pvbus_rsv_view *view);
void pvbus_rsv_view_clear(struct pvbus_rsv_view *view);
struct resource *pvbus_rsv_view_next_fb(struct pvbus_rsv_view *view,
					struct resource *prev);

#endif /* _PVBUS_MMIO_RSV_H */
