// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: reserved ranges.
 *
 * A reservation is kept as the record the caller gave: the records are the
 * truth the allocator's constraint consults, so nothing is ever handed out
 * on a reserved range, whatever the tree can show of it.
 *
 * The tree shows the reservations under each window: the framebuffers
 * as the connected parts of their union, each named after every
 * framebuffer it holds, and each firmware or host reservation as the
 * parts that no older one of those covers, split where a framebuffer part
 * begins or ends so that each part nests inside a framebuffer part or lies
 * outside all of them.  fb_overlap_ok allocations go inside the
 * framebuffer parts, so one allocation may use a whole framebuffer even
 * where another framebuffer reservation overlaps it; the firmware and host
 * parts nested there keep it off them.  Whenever the reservations of a
 * window change, its parts are built anew; what was nested in them
 * (allocations, resources of other drivers) is adopted by the new parts.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: mmio: " fmt

#include <linux/align.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/pvbus_mmio.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mmio_internal.h"

static const char * const pvbus_mmio_rsv_names[] = {
	[PVBUS_RSV_FRAMEBUFFER]	= "framebuffer",
	[PVBUS_RSV_FIRMWARE]	= "firmware",
	[PVBUS_RSV_HOST]	= "host",
};

/**
 * pvbus_mmio_rsv_name() - name of a reservation kind
 * @kind: the kind
 *
 * Return: "framebuffer", "firmware", "host", or "unknown".
 */
const char *pvbus_mmio_rsv_name(enum pvbus_mmio_rsv kind)
{
	if ((unsigned int)kind >= ARRAY_SIZE(pvbus_mmio_rsv_names))
		return "unknown";
	return pvbus_mmio_rsv_names[kind];
}
EXPORT_SYMBOL_GPL(pvbus_mmio_rsv_name);

static bool pvbus_mmio_is_fb(const struct pvbus_mmio_rsv_rec *rec)
{
	return rec->kind == PVBUS_RSV_FRAMEBUFFER;
}

/* Is a firmware or host record cut by @other, an older one of those? */
static bool pvbus_mmio_cuts(const struct pvbus_mmio_rsv_rec *other,
			    const struct pvbus_mmio_rsv_rec *rec)
{
	return !pvbus_mmio_is_fb(other) && other->seq < rec->seq;
}

/*
 * The next part of [*pos, end] that no record cutting @rec covers, as
 * [*s, *e]; *pos moves past it.  False when none is left.
 */
static bool pvbus_mmio_next_part(struct pvbus_mmio_space *space,
				 const struct pvbus_mmio_rsv_rec *rec,
				 resource_size_t *pos, resource_size_t end,
				 bool *done, resource_size_t *s,
				 resource_size_t *e)
{
	struct pvbus_mmio_rsv_rec *other;

	while (!*done && *pos <= end) {
		const struct pvbus_mmio_rsv_rec *first = NULL;

		/* The cutting record that starts first in [*pos, end]. */
		list_for_each_entry(other, &space->rsvs, node) {
			if (!pvbus_mmio_cuts(other, rec) ||
			    !pvbus_mmio_overlaps(other->start, other->end,
						 *pos, end))
				continue;
			if (!first || other->start < first->start)
				first = other;
		}

		if (!first) {
			*s = *pos;
			*e = end;
			*done = true;
			return true;
		}
		if (first->start > *pos) {
			*s = *pos;
			*e = first->start - 1;
			if (first->end >= end)
				*done = true;
			else
				*pos = first->end + 1;
			return true;
		}
		if (first->end >= end)
			*done = true;
		else
			*pos = first->end + 1;
	}
	return false;
}

static void pvbus_mmio_seg_free(struct pvbus_mmio_seg *seg)
{
	kfree(seg->name);
	kfree(seg);
}

static void pvbus_mmio_seg_add(struct pvbus_mmio_space *space,
			       struct pvbus_mmio_seg *new)
{
	struct pvbus_mmio_seg *seg;

	list_for_each_entry(seg, &space->segs, node)
		if (seg->res.start > new->res.start)
			break;
	list_add_tail(&new->node, &seg->node);
}

/* The framebuffers' names in [s, e], joined; NULL on allocation failure. */
static char *pvbus_mmio_fb_name(struct pvbus_mmio_space *space,
				resource_size_t s, resource_size_t e, gfp_t gfp)
{
	struct pvbus_mmio_rsv_rec *rec, *prev;
	size_t len = 1;
	char *name;

	list_for_each_entry(rec, &space->rsvs, node)
		if (pvbus_mmio_is_fb(rec) &&
		    pvbus_mmio_overlaps(rec->start, rec->end, s, e))
			len += strlen(rec->name) + 3;

	name = kzalloc(len, gfp);
	if (!name)
		return NULL;

	list_for_each_entry(rec, &space->rsvs, node) {
		bool dup = false;

		if (!pvbus_mmio_is_fb(rec) ||
		    !pvbus_mmio_overlaps(rec->start, rec->end, s, e))
			continue;
		/* Several sources often name the same range the same way. */
		list_for_each_entry(prev, &space->rsvs, node) {
			if (prev == rec)
				break;
			if (pvbus_mmio_is_fb(prev) &&
			    pvbus_mmio_overlaps(prev->start, prev->end, s, e) &&
			    !strcmp(prev->name, rec->name))
				dup = true;
		}
		if (dup)
			continue;
		if (*name)
			strcat(name, " + ");
		strcat(name, rec->name);
	}
	return name;
}

/* May @parent hold a segment of @win: is it @win or a framebuffer part? */
static bool pvbus_mmio_seg_parent_ok(struct pvbus_mmio_space *space,
				     struct pvbus_mmio_win *win,
				     const struct resource *parent)
{
	struct pvbus_mmio_seg *seg;

	if (parent == &win->res)
		return true;
	list_for_each_entry(seg, &space->segs, node)
		if (!seg->rec && seg->win == win && &seg->res == parent)
			return true;
	return false;
}

/*
 * Show [s, e] of @win in the tree, for @rec or, with @rec NULL, for the
 * framebuffers.  Failing to show it is not an error: the records keep
 * allocations off it.
 */
static int pvbus_mmio_seg_show(struct pvbus_mmio_space *space,
			       struct pvbus_mmio_win *win,
			       struct pvbus_mmio_rsv_rec *rec,
			       resource_size_t s, resource_size_t e, gfp_t gfp)
{
	struct pvbus_mmio_seg *seg;

	seg = kzalloc(sizeof(*seg), gfp);
	if (!seg)
		return -ENOMEM;

	seg->win = win;
	seg->rec = rec;
	if (rec) {
		seg->res.name = rec->name;
	} else {
		seg->name = pvbus_mmio_fb_name(space, s, e, gfp);
		if (!seg->name) {
			kfree(seg);
			return -ENOMEM;
		}
		seg->res.name = seg->name;
	}
	/*
	 * Never busy, not even for a moment: release_mem_region() frees the
	 * first busy resource of its range it meets, and a segment it met
	 * (one that took in a driver's region of the same range, before the
	 * driver released it) would be kfree()d, a pointer into @seg.  The
	 * records, not the tree, keep allocations off a reservation; the
	 * framebuffer driver's own regions nest inside.
	 */
	seg->res.flags = IORESOURCE_MEM;
	seg->res.start = s;
	seg->res.end = e;

	if (insert_resource(&win->res, &seg->res)) {
		pr_info("%s: reservation %s %pR not shown: it partly overlaps another resource\n",
			space->name, seg->res.name, &seg->res);
		pvbus_mmio_seg_free(seg);
		return 0;
	}
	/*
	 * insert_resource() descends into whatever wholly contains the
	 * segment: a BAR the window took in, a driver's region.  Released,
	 * that would leave the segment pointing at freed memory.  Only the
	 * window or a framebuffer part of it may hold a segment.
	 */
	if (!pvbus_mmio_seg_parent_ok(space, win, seg->res.parent)) {
		pr_info("%s: reservation %s %pR not shown: it lies inside %s %pR\n",
			space->name, seg->res.name, &seg->res,
			seg->res.parent->name ?: "?", seg->res.parent);
		remove_resource(&seg->res);
		pvbus_mmio_seg_free(seg);
		return 0;
	}
	pvbus_mmio_seg_add(space, seg);
	return 0;
}

/*
 * Show [s, e] of the firmware or host record @rec, split where a
 * framebuffer part of @win begins or ends.
 */
static int pvbus_mmio_show_split(struct pvbus_mmio_space *space,
				 struct pvbus_mmio_win *win,
				 struct pvbus_mmio_rsv_rec *rec,
				 resource_size_t s, resource_size_t e, gfp_t gfp)
{
	struct pvbus_mmio_seg *fb;
	int ret;

	list_for_each_entry(fb, &space->segs, node) {
		if (fb->rec || fb->win != win || fb->res.end < s)
			continue;
		if (fb->res.start > e)
			break;
		if (fb->res.start > s) {
			ret = pvbus_mmio_seg_show(space, win, rec, s,
						  fb->res.start - 1, gfp);
			if (ret)
				return ret;
			s = fb->res.start;
		}
		ret = pvbus_mmio_seg_show(space, win, rec, s,
					  min(e, fb->res.end), gfp);
		if (ret || fb->res.end >= e)
			return ret;
		s = fb->res.end + 1;
	}
	return pvbus_mmio_seg_show(space, win, rec, s, e, gfp);
}

/* Show the firmware or host record @rec under @win. */
static int pvbus_mmio_show_rec(struct pvbus_mmio_space *space,
			       struct pvbus_mmio_win *win,
			       struct pvbus_mmio_rsv_rec *rec, gfp_t gfp)
{
	resource_size_t pos, end, s, e;
	bool done = false;
	int ret;

	if (!pvbus_mmio_overlaps(rec->start, rec->end, win->res.start,
				 win->res.end))
		return 0;

	pos = max(rec->start, win->res.start);
	end = min(rec->end, win->res.end);
	while (pvbus_mmio_next_part(space, rec, &pos, end, &done, &s, &e)) {
		ret = pvbus_mmio_show_split(space, win, rec, s, e, gfp);
		if (ret)
			return ret;
	}
	return 0;
}

/* Show the union of the framebuffers under @win. */
static int pvbus_mmio_show_fb(struct pvbus_mmio_space *space,
			      struct pvbus_mmio_win *win, gfp_t gfp)
{
	resource_size_t us = 0, ue = 0, s, e;
	struct pvbus_mmio_rsv_rec *rec;
	bool have = false;
	int ret;

	/* The records are sorted by start: merge them as they come. */
	list_for_each_entry(rec, &space->rsvs, node) {
		if (!pvbus_mmio_is_fb(rec) ||
		    !pvbus_mmio_overlaps(rec->start, rec->end, win->res.start,
					 win->res.end))
			continue;
		s = max(rec->start, win->res.start);
		e = min(rec->end, win->res.end);
		if (have && (s <= ue || s - 1 == ue)) {
			ue = max(ue, e);
			continue;
		}
		if (have) {
			ret = pvbus_mmio_seg_show(space, win, NULL, us, ue,
						  gfp);
			if (ret)
				return ret;
		}
		us = s;
		ue = e;
		have = true;
	}
	return have ? pvbus_mmio_seg_show(space, win, NULL, us, ue, gfp) : 0;
}

/**
 * pvbus_mmio_rsv_unshow() - take a window's reservations out of the tree
 * @space: the space, locked
 * @win: the window
 *
 * What was nested in them goes back to where they were.
 */
void pvbus_mmio_rsv_unshow(struct pvbus_mmio_space *space,
			   struct pvbus_mmio_win *win)
{
	struct pvbus_mmio_seg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, &space->segs, node) {
		if (seg->win != win)
			continue;
		remove_resource(&seg->res);
		list_del(&seg->node);
		pvbus_mmio_seg_free(seg);
	}
}

/* Show @win's reservations, as the records say now. */
static int pvbus_mmio_rsv_show(struct pvbus_mmio_space *space,
			       struct pvbus_mmio_win *win, gfp_t gfp)
{
	struct pvbus_mmio_rsv_rec *rec;
	int ret;

	/* The framebuffers first: the others' parts split at them. */
	ret = pvbus_mmio_show_fb(space, win, gfp);
	if (ret)
		return ret;
	list_for_each_entry(rec, &space->rsvs, node) {
		if (pvbus_mmio_is_fb(rec))
			continue;
		ret = pvbus_mmio_show_rec(space, win, rec, gfp);
		if (ret)
			return ret;
	}
	return 0;
}

/* Take @win's segments out of the tree and onto @old, kept as they are. */
static void pvbus_mmio_rsv_stash(struct pvbus_mmio_space *space,
				 struct pvbus_mmio_win *win,
				 struct list_head *old)
{
	struct pvbus_mmio_seg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, &space->segs, node) {
		if (seg->win != win)
			continue;
		remove_resource(&seg->res);
		list_move_tail(&seg->node, old);
	}
}

/*
 * Put the segments stashed on @old back where they were: the framebuffer
 * parts first, since the others may lie inside them.  Nothing is
 * allocated, so this cannot fail for want of memory; a segment that no
 * longer fits (someone else's resource appeared meanwhile) is dropped, as
 * pvbus_mmio_seg_show() drops it.
 */
static void pvbus_mmio_rsv_unstash(struct pvbus_mmio_space *space,
				   struct list_head *old)
{
	struct pvbus_mmio_seg *seg, *tmp;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		list_for_each_entry_safe(seg, tmp, old, node) {
			if (!seg->rec != !pass)
				continue;
			list_del(&seg->node);
			/* remove_resource() leaves these as they were. */
			seg->res.parent = NULL;
			seg->res.sibling = NULL;
			seg->res.child = NULL;
			if (insert_resource(&seg->win->res, &seg->res)) {
				pvbus_mmio_seg_free(seg);
				continue;
			}
			if (!pvbus_mmio_seg_parent_ok(space, seg->win,
						      seg->res.parent)) {
				remove_resource(&seg->res);
				pvbus_mmio_seg_free(seg);
				continue;
			}
			pvbus_mmio_seg_add(space, seg);
		}
	}
}

static void pvbus_mmio_rsv_free_list(struct list_head *old)
{
	struct pvbus_mmio_seg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, old, node) {
		list_del(&seg->node);
		pvbus_mmio_seg_free(seg);
	}
}

/*
 * Show anew the reservations of @only, or with @only NULL of every window
 * that meets [@start, @end].  All or nothing: if a segment cannot be
 * allocated, what was shown before is put back as it was and -ENOMEM
 * returned, so /proc/iomem never shows half of a change.
 */
static int pvbus_mmio_rsv_rebuild_range(struct pvbus_mmio_space *space,
					struct pvbus_mmio_win *only,
					resource_size_t start,
					resource_size_t end, gfp_t gfp)
{
	struct pvbus_mmio_win *win;
	LIST_HEAD(old);
	int ret = 0;

	/* @only may be a window being added, not on the list yet. */
	if (only) {
		pvbus_mmio_rsv_stash(space, only, &old);
		ret = pvbus_mmio_rsv_show(space, only, gfp);
		if (ret)
			pvbus_mmio_rsv_unshow(space, only);
	} else {
		list_for_each_entry(win, &space->windows, node)
			if (pvbus_mmio_overlaps(win->res.start, win->res.end,
						start, end))
				pvbus_mmio_rsv_stash(space, win, &old);
		list_for_each_entry(win, &space->windows, node) {
			if (!pvbus_mmio_overlaps(win->res.start, win->res.end,
						 start, end))
				continue;
			ret = pvbus_mmio_rsv_show(space, win, gfp);
			if (ret)
				break;
		}
		if (ret)
			list_for_each_entry(win, &space->windows, node)
				if (pvbus_mmio_overlaps(win->res.start,
							win->res.end, start,
							end))
					pvbus_mmio_rsv_unshow(space, win);
	}

	if (ret)
		pvbus_mmio_rsv_unstash(space, &old);
	else
		pvbus_mmio_rsv_free_list(&old);
	return ret;
}

/**
 * pvbus_mmio_rsv_rebuild() - show a window's reservations anew
 * @space: the space, locked
 * @win: the window
 *
 * Return: 0 or -ENOMEM; on error the window shows what it showed before.
 */
int pvbus_mmio_rsv_rebuild(struct pvbus_mmio_space *space,
			   struct pvbus_mmio_win *win)
{
	return pvbus_mmio_rsv_rebuild_range(space, win, 0, 0, GFP_KERNEL);
}

/**
 * pvbus_mmio_rsv_destroy() - drop every reservation of a space
 * @space: the space, locked, its allocations freed
 */
void pvbus_mmio_rsv_destroy(struct pvbus_mmio_space *space)
{
	struct pvbus_mmio_rsv_rec *rec, *tmp;
	struct pvbus_mmio_win *win;

	list_for_each_entry(win, &space->windows, node)
		pvbus_mmio_rsv_unshow(space, win);
	list_for_each_entry_safe(rec, tmp, &space->rsvs, node) {
		list_del(&rec->node);
		kfree(rec->name);
		kfree(rec);
	}
}

/**
 * pvbus_mmio_reserve() - keep a range of a space from being handed out
 * @space: the space
 * @start: first address of the range
 * @size: size of the range in bytes
 * @kind: what the range is
 * @name: name shown in /proc/iomem; copied
 *
 * Reservations may overlap each other and may lie partly or wholly outside
 * the windows.  No allocation ever overlaps one, except that an allocation
 * with &pvbus_mmio_req.fb_overlap_ok may lie wholly inside a
 * %PVBUS_RSV_FRAMEBUFFER reservation.
 *
 * Return: 0; -EINVAL for a NULL @name, an unknown @kind, a @size of 0 or a
 * range that wraps; -EBUSY if the range overlaps a live allocation;
 * -ENOMEM.
 */
int pvbus_mmio_reserve(struct pvbus_mmio_space *space, resource_size_t start,
		       resource_size_t size, enum pvbus_mmio_rsv kind,
		       const char *name)
{
	struct pvbus_mmio_rsv_rec *new, *rec;
	struct pvbus_mmio_area *area;
	resource_size_t end;
	int ret;

	if (!space || !name || !pvbus_mmio_end(start, size, &end) ||
	    (unsigned int)kind >= ARRAY_SIZE(pvbus_mmio_rsv_names))
		return -EINVAL;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->name = kstrdup(name, GFP_KERNEL);
	if (!new->name) {
		kfree(new);
		return -ENOMEM;
	}
	new->start = start;
	new->end = end;
	new->kind = kind;

	mutex_lock(&space->lock);

	list_for_each_entry(area, &space->areas, node) {
		if (pvbus_mmio_overlaps(area->res.start, area->res.end,
					start, end)) {
			mutex_unlock(&space->lock);
			kfree(new->name);
			kfree(new);
			return -EBUSY;
		}
	}

	new->seq = space->rsv_seq++;
	list_for_each_entry(rec, &space->rsvs, node)
		if (rec->start > start)
			break;
	list_add_tail(&new->node, &rec->node);

	/* All or nothing: on failure the tree shows what it showed. */
	ret = pvbus_mmio_rsv_rebuild_range(space, NULL, start, end,
					   GFP_KERNEL);
	if (ret) {
		list_del(&new->node);
		kfree(new->name);
		kfree(new);
	}
	mutex_unlock(&space->lock);

	if (!ret)
		pr_debug("%s: %s reservation %s [mem %pa-%pa]\n", space->name,
			 pvbus_mmio_rsv_name(kind), name, &start, &end);
	return ret;
}
EXPORT_SYMBOL_GPL(pvbus_mmio_reserve);

/**
 * pvbus_mmio_unreserve() - drop a reservation
 * @space: the space
 * @start: first address of the range, as given to pvbus_mmio_reserve()
 * @size: its size, likewise
 * @kind: its kind, likewise
 *
 * Drops the newest reservation of exactly this range and kind, for
 * instance a host's when the host goes away.
 *
 * Return: 0; -ENOENT if there is none; -EBUSY if a live allocation lies
 * in it (a framebuffer allocation); -EINVAL for a range that wraps.
 */
int pvbus_mmio_unreserve(struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size,
			 enum pvbus_mmio_rsv kind)
{
	struct pvbus_mmio_rsv_rec *rec, *found = NULL;
	struct pvbus_mmio_area *area;
	resource_size_t end;

	if (!space || !pvbus_mmio_end(start, size, &end))
		return -EINVAL;

	mutex_lock(&space->lock);
	list_for_each_entry(rec, &space->rsvs, node)
		if (rec->start == start && rec->end == end &&
		    rec->kind == kind && (!found || rec->seq > found->seq))
			found = rec;
	if (!found) {
		mutex_unlock(&space->lock);
		return -ENOENT;
	}
	list_for_each_entry(area, &space->areas, node) {
		if (pvbus_mmio_overlaps(area->res.start, area->res.end,
					start, end)) {
			mutex_unlock(&space->lock);
			return -EBUSY;
		}
	}

	/*
	 * Unreserving undoes: a host going away, a failed attach.  It must
	 * not fail, and the segments that showed @found point at its name,
	 * so they cannot be kept: the new ones are small and allocated with
	 * __GFP_NOFAIL.
	 */
	list_del(&found->node);
	pvbus_mmio_rsv_rebuild_range(space, NULL, start, end,
				     GFP_KERNEL | __GFP_NOFAIL);
	mutex_unlock(&space->lock);

	kfree(found->name);
	kfree(found);
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_mmio_unreserve);

/* Move *pos past the records an allocation may not overlap. */
static bool pvbus_mmio_avoid(struct pvbus_mmio_space *space, bool in_fb,
			     resource_size_t size, resource_size_t align,
			     resource_size_t *pos)
{
	struct pvbus_mmio_rsv_rec *rec;
	resource_size_t end;

	/*
	 * The records are sorted by start, so one pass suffices: a record
	 * passed over ends before the candidate, and the candidate only
	 * moves up.
	 */
	list_for_each_entry(rec, &space->rsvs, node) {
		if (in_fb && pvbus_mmio_is_fb(rec))
			continue;
		if (!pvbus_mmio_end(*pos, size, &end))
			return false;
		if (rec->start > end)
			break;
		if (rec->end < *pos)
			continue;
		if (rec->end == PVBUS_MMIO_TOP)
			return false;
		*pos = ALIGN(rec->end + 1, align);
		if (*pos <= rec->end)
			return false;
	}
	return pvbus_mmio_end(*pos, size, &end);
}

/* The framebuffer record that holds [pos, pos + size - 1], if one does. */
static bool pvbus_mmio_in_one_fb(struct pvbus_mmio_space *space,
				 resource_size_t pos, resource_size_t end,
				 resource_size_t align, resource_size_t *next)
{
	struct pvbus_mmio_rsv_rec *rec;
	bool found = false;

	*next = 0;
	list_for_each_entry(rec, &space->rsvs, node) {
		resource_size_t start;

		if (!pvbus_mmio_is_fb(rec))
			continue;
		if (rec->start <= pos && rec->end >= end)
			return true;
		/* Else the next framebuffer that starts above @pos. */
		start = ALIGN(rec->start, align);
		if (rec->start > pos && start >= rec->start &&
		    (!found || start < *next)) {
			*next = start;
			found = true;
		}
	}
	return false;
}

/**
 * pvbus_mmio_rsv_place() - the first place at or after *pos the records allow
 * @space: the space, locked
 * @in_fb: for an fb_overlap_ok allocation inside a framebuffer segment: it
 *	must lie wholly inside one framebuffer reservation and off every
 *	other kind; else off every reservation
 * @size: size of the allocation
 * @align: its alignment; *pos is aligned already
 * @pos: the candidate start, moved up as needed
 *
 * Costs a walk over the records per framebuffer at most: never a scan in
 * steps of @align.
 *
 * Return: true if a place was found.
 */
bool pvbus_mmio_rsv_place(struct pvbus_mmio_space *space, bool in_fb,
			  resource_size_t size, resource_size_t align,
			  resource_size_t *pos)
{
	resource_size_t end, next;

	for (;;) {
		if (!pvbus_mmio_avoid(space, in_fb, size, align, pos))
			return false;
		if (!in_fb)
			return true;
		pvbus_mmio_end(*pos, size, &end);
		if (pvbus_mmio_in_one_fb(space, *pos, end, align, &next))
			return true;
		/* Each turn passes the start of one framebuffer. */
		if (next <= *pos)
			return false;
		*pos = next;
	}
}
