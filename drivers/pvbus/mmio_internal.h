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
#include <linux/sizes.h>
#include <linux/types.h>

#define PVBUS_MMIO_TOP		((resource_size_t)~0)
#define PVBUS_MMIO_LOW_END	((u64)SZ_4G - 1)

/**
 * struct pvbus_mmio_space - an MMIO space
 * @name: name, used for the windows shown in /proc/iomem
 * @lock: serialises every change to the space and the lists below
 * @root: parent of the windows while the space is private
 * @parent: where windows go: @root, or &iomem_resource once published
 * @windows: &struct pvbus_mmio_win, sorted by start
 * @rsvs: &struct pvbus_mmio_rsv_rec, sorted by start
 * @segs: &struct pvbus_mmio_seg, sorted by start
 * @areas: &struct pvbus_mmio_area, the live allocations
 * @rsv_seq: sequence number for the next reservation
 * @gaps_walked: candidate gaps examined by the constraint callback
 */
struct pvbus_mmio_space {
	const char *name;
	struct mutex lock;	/* protects the lists and gaps_walked */
	struct resource root;
	struct resource *parent;
	struct list_head windows;
	struct list_head rsvs;
	struct list_head segs;
	struct list_head areas;
	unsigned int rsv_seq;
	u64 gaps_walked;
};

struct pvbus_mmio_win {
	struct list_head node;
	struct resource res;
};

/* A reserved range as the caller gave it: the truth about reservations. */
struct pvbus_mmio_rsv_rec {
	struct list_head node;
	resource_size_t start, end;
	enum pvbus_mmio_rsv kind;
	unsigned int seq;
	const char *name;
};

/*
 * How reservations show in the tree under one window: the framebuffers as
 * the connected parts of their union (@rec is NULL, @name joins the
 * framebuffers' names), a firmware or host reservation as the parts no
 * older one of those shows, split at the framebuffer parts (@rec is it).
 * fb_overlap_ok allocations are made inside the framebuffer parts.
 */
struct pvbus_mmio_seg {
	struct list_head node;
	struct resource res;
	struct pvbus_mmio_win *win;
	struct pvbus_mmio_rsv_rec *rec;
	char *name;
};

struct pvbus_mmio_area {
	struct list_head node;
	struct resource res;
};

static inline bool pvbus_mmio_end(resource_size_t start, resource_size_t size,
				  resource_size_t *end)
{
	if (!size || start > PVBUS_MMIO_TOP - (size - 1))
		return false;
	*end = start + (size - 1);
	return true;
}

static inline bool pvbus_mmio_overlaps(resource_size_t s1, resource_size_t e1,
				       resource_size_t s2, resource_size_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

/* mmio_rsv.c */
int pvbus_mmio_rsv_rebuild(struct pvbus_mmio_space *space,
			   struct pvbus_mmio_win *win);
void pvbus_mmio_rsv_unshow(struct pvbus_mmio_space *space,
			   struct pvbus_mmio_win *win);
void pvbus_mmio_rsv_destroy(struct pvbus_mmio_space *space);
bool pvbus_mmio_rsv_place(struct pvbus_mmio_space *space, bool in_fb,
			  resource_size_t size, resource_size_t align,
			  resource_size_t *pos);

#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
u64 pvbus_mmio_space_gaps_walked(struct pvbus_mmio_space *space);
#endif

#endif /* _PVBUS_MMIO_INTERNAL_H */
