// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator: the reservation set.
 *
 * A reservation is kept as the record the caller gave: the records are the
 * truth the allocator's placement constraint consults
 * (pvbus_rsv_set_place()), so nothing is ever handed out on a reserved
 * range, whatever the tree can show of it.
 *
 * A view shows the records under one resource (a window of the
 * allocator): the framebuffers as the connected parts of their union, each
 * named after every framebuffer it holds, and each firmware or host record
 * as the parts that no older one of those covers, split where a
 * framebuffer part begins or ends so that each part nests inside a
 * framebuffer part or lies outside all of them.  fb_overlap_ok allocations
 * go inside the framebuffer parts (pvbus_rsv_view_next_fb()), so one
 * allocation may use a whole framebuffer even where another framebuffer
 * reservation overlaps it; the firmware and host parts nested there keep
 * it off them.  Whenever the records change, a view is built anew
 * (pvbus_rsv_view_prepare(), then _commit() or _abort(), all or nothing);
 * what was nested in the old parts (allocations, resources of other
 * drivers) is adopted by the new ones.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: mmio: " fmt

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/pvbus_mmio.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mmio_rsv.h"

/*
 * A part of the records shown in the tree: of the framebuffers (@rec is
 * NULL, @name joins their names), or of the firmware or host record @rec.
 */
struct pvbus_rsv_seg {
	struct list_head node;
	struct resource res;
	const struct pvbus_rsv_rec *rec;
	char *name;
};

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
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_rsv_name);

/**
 * pvbus_rsv_kind_valid() - whether a reservation kind is known
 * @kind: the kind
 *
 * Return: true for %PVBUS_RSV_FRAMEBUFFER, _FIRMWARE and _HOST.
 */
bool pvbus_rsv_kind_valid(enum pvbus_mmio_rsv kind)
{
	return (unsigned int)kind < ARRAY_SIZE(pvbus_mmio_rsv_names);
}

static bool pvbus_rsv_is_fb(const struct pvbus_rsv_rec *rec)
{
	return rec->kind == PVBUS_RSV_FRAMEBUFFER;
}

/* Is a firmware or host record cut by @other, an older one of those? */
static bool pvbus_rsv_cuts(const struct pvbus_rsv_rec *other,
			   const struct pvbus_rsv_rec *rec)
{
	return !pvbus_rsv_is_fb(other) && other->seq < rec->seq;
}

/**
 * pvbus_rsv_set_init() - an empty set
 * @set: the set
 */
void pvbus_rsv_set_init(struct pvbus_rsv_set *set)
{
	INIT_LIST_HEAD(&set->recs);
	set->seq = 0;
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
	set->walked = 0;
#endif
}

/**
 * pvbus_rsv_rec_alloc() - a record, not yet in a set
 * @start: first address
 * @end: last address, not below @start
 * @kind: a valid kind
 * @name: its name; copied
 *
 * Return: the record, or NULL without memory.
 */
struct pvbus_rsv_rec *pvbus_rsv_rec_alloc(resource_size_t start,
					  resource_size_t end,
					  enum pvbus_mmio_rsv kind,
					  const char *name)
{
	struct pvbus_rsv_rec *rec = kzalloc(sizeof(*rec), GFP_KERNEL);

	if (!rec)
		return NULL;
	rec->name = kstrdup(name, GFP_KERNEL);
	if (!rec->name) {
		kfree(rec);
		return NULL;
	}
	rec->start = start;
	rec->end = end;
	rec->kind = kind;
	return rec;
}

/**
 * pvbus_rsv_rec_free() - free a record that is in no set
 * @rec: the record; no view may show it any more
 */
void pvbus_rsv_rec_free(struct pvbus_rsv_rec *rec)
{
	kfree(rec->name);
	kfree(rec);
}

/**
 * pvbus_rsv_set_add() - put a record in a set, the newest
 * @set: the set
 * @rec: from pvbus_rsv_rec_alloc()
 *
 * The views show it once they are prepared anew.
 */
void pvbus_rsv_set_add(struct pvbus_rsv_set *set, struct pvbus_rsv_rec *rec)
{
	struct pvbus_rsv_rec *pos;

	rec->seq = set->seq++;
	list_for_each_entry(pos, &set->recs, node)
		if (pos->start > rec->start)
			break;
	list_add_tail(&rec->node, &pos->node);
}

/**
 * pvbus_rsv_set_find() - the newest record of a range and kind
 * @set: the set
 * @start: first address
 * @end: last address
 * @kind: the kind
 *
 * Return: the record, or NULL if there is none.
 */
struct pvbus_rsv_rec *pvbus_rsv_set_find(struct pvbus_rsv_set *set,
					 resource_size_t start,
					 resource_size_t end,
					 enum pvbus_mmio_rsv kind)
{
	struct pvbus_rsv_rec *rec, *found = NULL;

	list_for_each_entry(rec, &set->recs, node)
		if (rec->start == start && rec->end == end &&
		    rec->kind == kind && (!found || rec->seq > found->seq))
			found = rec;
	return found;
}

/**
 * pvbus_rsv_rec_del() - take a record out of the set it is in
 * @rec: a record put in a set by pvbus_rsv_set_add()
 *
 * The set's views still point at its name until they are prepared anew:
 * free it after that.
 */
void pvbus_rsv_rec_del(struct pvbus_rsv_rec *rec)
{
	list_del(&rec->node);
}

/**
 * pvbus_rsv_set_destroy() - free every record of a set
 * @set: the set; its views cleared
 */
void pvbus_rsv_set_destroy(struct pvbus_rsv_set *set)
{
	struct pvbus_rsv_rec *rec, *tmp;

	list_for_each_entry_safe(rec, tmp, &set->recs, node) {
		list_del(&rec->node);
		pvbus_rsv_rec_free(rec);
	}
}

/**
 * pvbus_rsv_set_show() - print the records, one per line
 * @m: where to print
 * @set: the set
 */
void pvbus_rsv_set_show(struct seq_file *m, struct pvbus_rsv_set *set)
{
	struct pvbus_rsv_rec *rec;

	list_for_each_entry(rec, &set->recs, node)
		seq_printf(m, "reserved    %pa-%pa %s [%s]\n", &rec->start,
			   &rec->end, rec->name, pvbus_mmio_rsv_name(rec->kind));
}

/*
 * The next part of [*pos, end] that no record cutting @rec covers, as
 * [*s, *e]; *pos moves past it.  False when none is left.
 */
static bool pvbus_rsv_next_part(struct pvbus_rsv_set *set,
				const struct pvbus_rsv_rec *rec,
				resource_size_t *pos, resource_size_t end,
				bool *done, resource_size_t *s,
				resource_size_t *e)
{
	struct pvbus_rsv_rec *other;

	while (!*done && *pos <= end) {
		const struct pvbus_rsv_rec *first = NULL;

		/* The cutting record that starts first in [*pos, end]. */
		list_for_each_entry(other, &set->recs, node) {
			if (!pvbus_rsv_cuts(other, rec) ||
			    !pvbus_ranges_overlap(other->start, other->end,
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

static void pvbus_rsv_seg_free(struct pvbus_rsv_seg *seg)
{
	kfree(seg->name);
	kfree(seg);
}

static void pvbus_rsv_seg_add(struct pvbus_rsv_view *view,
			      struct pvbus_rsv_seg *new)
{
	struct pvbus_rsv_seg *seg;

	list_for_each_entry(seg, &view->segs, node)
		if (seg->res.start > new->res.start)
			break;
	list_add_tail(&new->node, &seg->node);
}

/* The framebuffers' names in [s, e], joined; NULL on allocation failure. */
static char *pvbus_rsv_fb_name(struct pvbus_rsv_set *set, resource_size_t s,
			       resource_size_t e, gfp_t gfp)
{
	struct pvbus_rsv_rec *rec, *prev;
	size_t len = 1;
	char *name;

	list_for_each_entry(rec, &set->recs, node)
		if (pvbus_rsv_is_fb(rec) &&
		    pvbus_ranges_overlap(rec->start, rec->end, s, e))
			len += strlen(rec->name) + 3;

	name = kzalloc(len, gfp);
	if (!name)
		return NULL;

	list_for_each_entry(rec, &set->recs, node) {
		bool dup = false;

		if (!pvbus_rsv_is_fb(rec) ||
		    !pvbus_ranges_overlap(rec->start, rec->end, s, e))
			continue;
		/* Several sources often name the same range the same way. */
		list_for_each_entry(prev, &set->recs, node) {
			if (prev == rec)
				break;
			if (pvbus_rsv_is_fb(prev) &&
			    pvbus_ranges_overlap(prev->start, prev->end, s, e) &&
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

/* May @parent hold a part of @view: is it the view's parent or an fb part? */
static bool pvbus_rsv_parent_ok(struct pvbus_rsv_view *view,
				const struct resource *parent)
{
	struct pvbus_rsv_seg *seg;

	if (parent == view->parent)
		return true;
	list_for_each_entry(seg, &view->segs, node)
		if (!seg->rec && &seg->res == parent)
			return true;
	return false;
}

/*
 * Put @seg in the tree under the view's parent; false (and @seg out of the
 * tree) if it cannot go there: it would partly overlap another resource,
 * or lie inside one that is neither the parent nor a framebuffer part.
 */
static bool pvbus_rsv_seg_insert(struct pvbus_rsv_view *view,
				 struct pvbus_rsv_seg *seg)
{
	if (insert_resource(view->parent, &seg->res)) {
		pr_info("%s: reservation %s %pR not shown: it partly overlaps another resource\n",
			view->parent->name, seg->res.name, &seg->res);
		return false;
	}
	/*
	 * insert_resource() descends into whatever wholly contains the
	 * segment: a BAR the window took in, a driver's region.  Released,
	 * that would leave the segment pointing at freed memory.  Only the
	 * window or a framebuffer part of it may hold a segment.
	 */
	if (!pvbus_rsv_parent_ok(view, seg->res.parent)) {
		/*
		 * Out again at once, under pvbus_mmio_tree_lock() (which
		 * see), and not named: its owner may release it.
		 */
		struct resource other = DEFINE_RES_MEM(seg->res.parent->start,
						       resource_size(seg->res.parent));

		remove_resource(&seg->res);
		pr_info("%s: reservation %s %pR not shown: it lies inside %pR, a resource of another\n",
			view->parent->name, seg->res.name, &seg->res, &other);
		return false;
	}
	pvbus_rsv_seg_add(view, seg);
	return true;
}

/*
 * Show [s, e] under the view's parent, for @rec or, with @rec NULL, for
 * the framebuffers.  Failing to show it is not an error: the records keep
 * allocations off it.
 */
static int pvbus_rsv_seg_show(struct pvbus_rsv_set *set,
			      struct pvbus_rsv_view *view,
			      const struct pvbus_rsv_rec *rec,
			      resource_size_t s, resource_size_t e, gfp_t gfp)
{
	struct pvbus_rsv_seg *seg;

	seg = kzalloc(sizeof(*seg), gfp);
	if (!seg)
		return -ENOMEM;

	seg->rec = rec;
	if (rec) {
		seg->res.name = rec->name;
	} else {
		seg->name = pvbus_rsv_fb_name(set, s, e, gfp);
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

	if (!pvbus_rsv_seg_insert(view, seg))
		pvbus_rsv_seg_free(seg);
	return 0;
}

/*
 * Show [s, e] of the firmware or host record @rec, split where a
 * framebuffer part of the view begins or ends.
 */
static int pvbus_rsv_show_split(struct pvbus_rsv_set *set,
				struct pvbus_rsv_view *view,
				const struct pvbus_rsv_rec *rec,
				resource_size_t s, resource_size_t e, gfp_t gfp)
{
	struct pvbus_rsv_seg *fb;
	int ret;

	list_for_each_entry(fb, &view->segs, node) {
		if (fb->rec || fb->res.end < s)
			continue;
		if (fb->res.start > e)
			break;
		if (fb->res.start > s) {
			ret = pvbus_rsv_seg_show(set, view, rec, s,
						 fb->res.start - 1, gfp);
			if (ret)
				return ret;
			s = fb->res.start;
		}
		ret = pvbus_rsv_seg_show(set, view, rec, s,
					 min(e, fb->res.end), gfp);
		if (ret || fb->res.end >= e)
			return ret;
		s = fb->res.end + 1;
	}
	return pvbus_rsv_seg_show(set, view, rec, s, e, gfp);
}

/* Show the firmware or host record @rec in the view. */
static int pvbus_rsv_show_rec(struct pvbus_rsv_set *set,
			      struct pvbus_rsv_view *view,
			      const struct pvbus_rsv_rec *rec, gfp_t gfp)
{
	const struct resource *p = view->parent;
	resource_size_t pos, end, s, e;
	bool done = false;
	int ret;

	if (!pvbus_ranges_overlap(rec->start, rec->end, p->start, p->end))
		return 0;

	pos = max(rec->start, p->start);
	end = min(rec->end, p->end);
	while (pvbus_rsv_next_part(set, rec, &pos, end, &done, &s, &e)) {
		ret = pvbus_rsv_show_split(set, view, rec, s, e, gfp);
		if (ret)
			return ret;
	}
	return 0;
}

/* Show the union of the framebuffers in the view. */
static int pvbus_rsv_show_fb(struct pvbus_rsv_set *set,
			     struct pvbus_rsv_view *view, gfp_t gfp)
{
	const struct resource *p = view->parent;
	resource_size_t us = 0, ue = 0, s, e;
	struct pvbus_rsv_rec *rec;
	bool have = false;
	int ret;

	/* The records are sorted by start: merge them as they come. */
	list_for_each_entry(rec, &set->recs, node) {
		if (!pvbus_rsv_is_fb(rec) ||
		    !pvbus_ranges_overlap(rec->start, rec->end, p->start,
					  p->end))
			continue;
		s = max(rec->start, p->start);
		e = min(rec->end, p->end);
		if (have && (s <= ue || s - 1 == ue)) {
			ue = max(ue, e);
			continue;
		}
		if (have) {
			ret = pvbus_rsv_seg_show(set, view, NULL, us, ue, gfp);
			if (ret)
				return ret;
		}
		us = s;
		ue = e;
		have = true;
	}
	return have ? pvbus_rsv_seg_show(set, view, NULL, us, ue, gfp) : 0;
}

/* Free the parts on @list, taking them out of the tree if @in_tree. */
static void pvbus_rsv_free_list(struct list_head *list, bool in_tree)
{
	struct pvbus_rsv_seg *seg, *tmp;

	list_for_each_entry_safe(seg, tmp, list, node) {
		if (in_tree)
			remove_resource(&seg->res);
		list_del(&seg->node);
		pvbus_rsv_seg_free(seg);
	}
}

/**
 * pvbus_rsv_view_init() - a view that shows nothing yet
 * @view: the view
 * @parent: the resource it shows under
 */
void pvbus_rsv_view_init(struct pvbus_rsv_view *view, struct resource *parent)
{
	view->parent = parent;
	INIT_LIST_HEAD(&view->segs);
	INIT_LIST_HEAD(&view->old);
	view->prepared = false;
}

/**
 * pvbus_rsv_view_clear() - take a view's parts out of the tree
 * @view: the view, not prepared
 *
 * What was nested in them goes back to where they were.
 */
void pvbus_rsv_view_clear(struct pvbus_rsv_view *view)
{
	pvbus_rsv_free_list(&view->segs, true);
}

/**
 * pvbus_rsv_view_prepare() - show the records anew, keeping the old view
 * @view: the view
 * @set: the records
 * @gfp: for the new parts
 *
 * The old parts are taken out of the tree and kept until
 * pvbus_rsv_view_commit() frees them or pvbus_rsv_view_abort() puts them
 * back; one of the two must follow, whatever this returns.  Preparing
 * several views and then committing or aborting them all makes a change
 * all or nothing.
 *
 * Return: 0 or -ENOMEM.
 */
int pvbus_rsv_view_prepare(struct pvbus_rsv_view *view,
			   struct pvbus_rsv_set *set, gfp_t gfp)
{
	struct pvbus_rsv_rec *rec;
	struct pvbus_rsv_seg *seg, *tmp;
	int ret;

	list_for_each_entry_safe(seg, tmp, &view->segs, node) {
		remove_resource(&seg->res);
		list_move_tail(&seg->node, &view->old);
	}
	view->prepared = true;

	/* The framebuffers first: the others' parts split at them. */
	ret = pvbus_rsv_show_fb(set, view, gfp);
	if (ret)
		return ret;
	list_for_each_entry(rec, &set->recs, node) {
		if (pvbus_rsv_is_fb(rec))
			continue;
		ret = pvbus_rsv_show_rec(set, view, rec, gfp);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * pvbus_rsv_view_commit() - drop what a view showed before it was prepared
 * @view: the view; nothing is done unless it is prepared
 */
void pvbus_rsv_view_commit(struct pvbus_rsv_view *view)
{
	if (!view->prepared)
		return;
	pvbus_rsv_free_list(&view->old, false);
	view->prepared = false;
}

/**
 * pvbus_rsv_view_abort() - show what a view showed before it was prepared
 * @view: the view; nothing is done unless it is prepared
 *
 * The framebuffer parts go back first, since the others may lie inside
 * them.  Nothing is allocated, so this cannot fail for want of memory; a
 * part that no longer fits (someone else's resource appeared meanwhile) is
 * dropped, as a new part would be.
 */
void pvbus_rsv_view_abort(struct pvbus_rsv_view *view)
{
	struct pvbus_rsv_seg *seg, *tmp;
	int pass;

	if (!view->prepared)
		return;
	pvbus_rsv_free_list(&view->segs, true);
	for (pass = 0; pass < 2; pass++) {
		list_for_each_entry_safe(seg, tmp, &view->old, node) {
			if (!seg->rec != !pass)
				continue;
			list_del(&seg->node);
			/* remove_resource() leaves these as they were. */
			seg->res.parent = NULL;
			seg->res.sibling = NULL;
			seg->res.child = NULL;
			if (!pvbus_rsv_seg_insert(view, seg))
				pvbus_rsv_seg_free(seg);
		}
	}
	view->prepared = false;
}

/**
 * pvbus_rsv_view_next_fb() - the framebuffer parts of a view, in order
 * @view: the view
 * @prev: the part before, or NULL for the first
 *
 * Return: the next framebuffer part, a resource fb_overlap_ok allocations
 * may be made in, or NULL.
 */
struct resource *pvbus_rsv_view_next_fb(struct pvbus_rsv_view *view,
					struct resource *prev)
{
	struct pvbus_rsv_seg *seg;

	seg = prev ? list_next_entry(container_of(prev, struct pvbus_rsv_seg,
						  res), node) :
		     list_first_entry(&view->segs, struct pvbus_rsv_seg, node);
	list_for_each_entry_from(seg, &view->segs, node)
		if (!seg->rec)
			return &seg->res;
	return NULL;
}

/*
 * Move *pos past the records an allocation may not overlap, from @rec on
 * (those before it end below *pos); false once it cannot end at or below
 * @limit.
 */
static bool pvbus_rsv_avoid(struct pvbus_rsv_set *set,
			    struct pvbus_rsv_rec *rec, bool in_fb,
			    resource_size_t size, resource_size_t align,
			    resource_size_t limit, resource_size_t *pos)
{
	resource_size_t end;

	/*
	 * The records are sorted by start, so one pass suffices: a record
	 * passed over ends before the candidate, and the candidate only
	 * moves up.  Past @limit it can only be refused: stop there, not
	 * at the last record.
	 */
	list_for_each_entry_from(rec, &set->recs, node) {
		pvbus_rsv_count(set);
		if (in_fb && pvbus_rsv_is_fb(rec))
			continue;
		if (!pvbus_mmio_end(*pos, size, &end) || end > limit)
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
	return pvbus_mmio_end(*pos, size, &end) && end <= limit;
}

/*
 * The framebuffer record that holds [pos, end], if one does, from @rec on
 * (those before it end below @pos); else in *@next the aligned start of
 * the first framebuffer record that starts above @pos, 0 if none does.
 */
static bool pvbus_rsv_in_one_fb(struct pvbus_rsv_set *set,
				struct pvbus_rsv_rec *rec, resource_size_t pos,
				resource_size_t end, resource_size_t align,
				resource_size_t *next)
{
	resource_size_t start;

	*next = 0;
	list_for_each_entry_from(rec, &set->recs, node) {
		pvbus_rsv_count(set);
		if (!pvbus_rsv_is_fb(rec))
			continue;
		if (rec->start <= pos && rec->end >= end)
			return true;
		if (rec->start <= pos)
			continue;
		/*
		 * The first that starts above @pos: by start, no later one
		 * holds @pos, and none has a lower aligned start (where
		 * aligning this one wraps, aligning those wraps too).
		 */
		start = ALIGN(rec->start, align);
		if (start >= rec->start)
			*next = start;
		return false;
	}
	return false;
}

/* The first record from the cursor on that does not end below @pos. */
static struct pvbus_rsv_rec *pvbus_rsv_from(struct pvbus_rsv_set *set,
					    struct pvbus_rsv_cursor *cur,
					    resource_size_t pos)
{
	struct pvbus_rsv_rec *rec = cur->rec ?:
		list_first_entry(&set->recs, struct pvbus_rsv_rec, node);

	while (!list_entry_is_head(rec, &set->recs, node) && rec->end < pos) {
		pvbus_rsv_count(set);
		rec = list_next_entry(rec, node);
	}
	cur->rec = rec;
	return rec;
}

/**
 * pvbus_rsv_set_place() - the first place at or after *pos the records allow
 * @set: the records
 * @in_fb: for an fb_overlap_ok allocation inside a framebuffer part: it
 *	must lie wholly inside one framebuffer record and off every other
 *	kind; else off every record
 * @size: size of the allocation
 * @align: its alignment; *pos is aligned already
 * @limit: the last address the allocation may take (the end of the gap)
 * @cur: where the walk starts; see &struct pvbus_rsv_cursor
 * @pos: the candidate start, moved up as needed
 *
 * Costs a walk over the records per framebuffer at most: never a scan in
 * steps of @align.  Each walk starts at the cursor, which passes the
 * records that end below *@pos once for a whole series of calls, and
 * stops where the allocation would pass @limit: refusing a gap costs the
 * records that reach into it, not the whole set.
 *
 * Return: true if a place was found, ending at or below @limit.
 */
bool pvbus_rsv_set_place(struct pvbus_rsv_set *set, bool in_fb,
			 resource_size_t size, resource_size_t align,
			 resource_size_t limit, struct pvbus_rsv_cursor *cur,
			 resource_size_t *pos)
{
	resource_size_t end, next;
	struct pvbus_rsv_rec *from;

	for (;;) {
		/*
		 * Only a candidate within @limit moves the cursor: the next
		 * gap's candidates all start above it.
		 */
		if (!pvbus_mmio_end(*pos, size, &end) || end > limit)
			return false;
		from = pvbus_rsv_from(set, cur, *pos);
		if (!pvbus_rsv_avoid(set, from, in_fb, size, align, limit,
				     pos))
			return false;
		if (!in_fb)
			return true;
		pvbus_mmio_end(*pos, size, &end);
		from = pvbus_rsv_from(set, cur, *pos);
		if (pvbus_rsv_in_one_fb(set, from, *pos, end, align, &next))
			return true;
		/* Each turn passes the start of one framebuffer. */
		if (next <= *pos)
			return false;
		*pos = next;
	}
}
