// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus MMIO allocator.
 *
 * A space is a set of MMIO windows, a set of reserved ranges and the
 * allocations made from the windows.  The resource tree is the single truth
 * about what is taken: windows are resources (children of a private root, or
 * of iomem_resource once the space is published), allocations are their
 * children, and reservations are shown in the tree as resources too.
 *
 * Finding a place is allocate_resource(): it walks the gaps between the
 * children of a window, and a constraint callback moves each candidate past
 * the reserved ranges it may not use.  A failing request therefore costs a
 * walk over the gaps and the reservations, however large the window is.
 *
 * Reserved ranges may overlap each other and may lie partly or wholly
 * outside the windows; mmio_rsv.c keeps them as records and shows them in
 * the tree.  The constraint callback consults the records, never the tree,
 * so a reservation that cannot be shown (it would partly overlap a
 * resource someone else owns) weakens nothing.
 *
 * The allocator is a library of pvbus.ko: the bus core uses it, other
 * modules go through the bus (pvbus_device_mmio_alloc() and its kin), and
 * only the KUnit suites call it from outside.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: mmio: " fmt

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pvbus_mmio.h>
#include <linux/rbtree.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mmio_internal.h"

#include <trace/events/pvbus.h>

/* Context of one allocate_resource() call, for the constraint callback. */
struct pvbus_mmio_ctx {
	struct pvbus_mmio_space *space;
	bool in_fb;
	struct pvbus_rsv_cursor cur;	/* the gaps come in address order */
};

/**
 * pvbus_mmio_space_create() - create an empty, private MMIO space
 * @name: name of the space; copied
 *
 * The space is private: its windows are not in iomem_resource until
 * pvbus_mmio_space_publish() is called.
 *
 * Return: the space, or an ERR_PTR() on error.
 */
struct pvbus_mmio_space *pvbus_mmio_space_create(const char *name)
{
	struct pvbus_mmio_space *space;

	if (!name)
		return ERR_PTR(-EINVAL);

	space = kzalloc(sizeof(*space), GFP_KERNEL);
	if (!space)
		return ERR_PTR(-ENOMEM);

	space->name = kstrdup(name, GFP_KERNEL);
	if (!space->name) {
		kfree(space);
		return ERR_PTR(-ENOMEM);
	}

	mutex_init(&space->lock);
	space->root.name = space->name;
	space->root.start = 0;
	space->root.end = PVBUS_MMIO_TOP;
	space->root.flags = IORESOURCE_MEM;
	space->parent = &space->root;
	INIT_LIST_HEAD(&space->windows);
	pvbus_rsv_set_init(&space->rsv);
	INIT_LIST_HEAD(&space->areas);
	space->area_tree = RB_ROOT;

	return space;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_create);

/**
 * pvbus_mmio_space_publish() - make a space's windows part of iomem
 * @space: a space without windows
 *
 * Windows added afterwards are inserted into iomem_resource, in free space
 * or in a PCI host bridge window, adopting the BARs and drivers' regions
 * they wholly contain, so that they, the reservations and the allocations
 * show in /proc/iomem.
 * pvbus_mmio_space_destroy() takes them out again and gives the adopted
 * resources back to their old parents.
 *
 * Return: 0, or -EBUSY if the space already has windows.
 */
int pvbus_mmio_space_publish(struct pvbus_mmio_space *space)
{
	int ret = 0;

	mutex_lock(&space->lock);
	if (!list_empty(&space->windows))
		ret = -EBUSY;
	else
		space->parent = &iomem_resource;
	mutex_unlock(&space->lock);

	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_publish);

/**
 * pvbus_mmio_space_set_tie() - say who ties windows to PCI host bridges
 * @space: a space without windows
 * @tie: called for each window of the published @space that goes into a
 *	PCI host bridge window (the window's parent), with the window in
 *	the tree and the PCI core's root buses held still
 *	(pci_lock_rescan_remove()) from before the window went in until after
 *	@tie returns, and with the space's lock and the allocator's own lock
 *	of published windows held (@tie must not call into any space);
 *	returns 0 to keep the window, or an error to refuse it
 * @data: passed to @tie
 *
 * A host bridge window is freed when its bridge goes, with whatever is
 * still inside it: a window is kept in one only if @tie makes its owner
 * go first (a device link to the bridge's driver, for one).  Without
 * @tie, a window is refused there.  A refused window is out of the tree
 * before the root buses are let go; that covers bridges whose driver
 * removes its root bus under pci_lock_rescan_remove(), as
 * pci-host-generic does.  A window @tie accepted may still be refused
 * after it (no memory): what @tie did is not undone, and must be undone
 * by its owner's own teardown, or be harmless (the bus root's device link
 * goes when the bridge's driver does).
 *
 * Return: 0, or -EBUSY if the space already has windows.
 */
int pvbus_mmio_space_set_tie(struct pvbus_mmio_space *space,
			     pvbus_mmio_tie_fn tie, void *data)
{
	int ret = 0;

	mutex_lock(&space->lock);
	if (!list_empty(&space->windows)) {
		ret = -EBUSY;
	} else {
		space->tie = tie;
		space->tie_data = data;
	}
	mutex_unlock(&space->lock);

	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_set_tie);

/*
 * Take @res, a resource of the space, out of the tree.  What is still
 * nested in it (a driver's region in an allocation) goes to its parent:
 * release_resource() would leave it pointing at @res, which is freed next.
 * The nested resource is not named: its driver may release it meanwhile,
 * under resource_lock, which is not exported.
 */
static void pvbus_mmio_unlink(struct pvbus_mmio_space *space,
			      struct resource *res)
{
	if (READ_ONCE(res->child))
		pr_err("%s: %s %pR still holds a region requested in it: handed to %s\n",
		       space->name, res->name, res, res->parent ? res->parent->name : "-");
	remove_resource(res);
}

/* Take @win out of the tree: iomem for a published space. */
static void pvbus_mmio_remove_window(struct pvbus_mmio_space *space,
				     struct pvbus_mmio_win *win)
{
	if (pvbus_mmio_published(space))
		pvbus_mmio_remove_published(win);
	else
		remove_resource(&win->res);
}

/**
 * pvbus_mmio_space_free() - free a space whose resources are all gone
 * @space: the space: no window, reservation or allocation left, and
 *	nothing in its private root
 *
 * The end of pvbus_mmio_space_destroy(); KUnit calls it for a space that
 * destroy had to leave, once the case released what held it.
 */
VISIBLE_IF_KUNIT void pvbus_mmio_space_free(struct pvbus_mmio_space *space)
{
	mutex_destroy(&space->lock);
	kfree(space->name);
	kfree(space);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_free);

/**
 * pvbus_mmio_space_destroy() - tear a space down
 * @space: the space; NULL or an ERR_PTR() is ignored
 *
 * Frees the allocations still live, removes the reservations and the
 * windows from the resource tree (resources they adopted go back where they
 * were) and frees the space.  Resources of others still requested inside an
 * allocation are handed to the window's parent, with an error message; in
 * a private space, which has no parent to hand them to, the space is then
 * not freed, so that they never point at freed memory.
 */
void pvbus_mmio_space_destroy(struct pvbus_mmio_space *space)
{
	struct pvbus_mmio_area *area, *atmp;
	struct pvbus_mmio_win *win, *wtmp;
	bool leaked;

	if (IS_ERR_OR_NULL(space))
		return;

	mutex_lock(&space->lock);
	list_for_each_entry_safe(area, atmp, &space->areas, node) {
		pvbus_mmio_unlink(space, &area->res);
		pvbus_mmio_area_free(space, area);
	}
	list_for_each_entry(win, &space->windows, node)
		pvbus_rsv_view_clear(&win->view);
	pvbus_rsv_set_destroy(&space->rsv);
	list_for_each_entry_safe(win, wtmp, &space->windows, node) {
		pvbus_mmio_remove_window(space, win);
		list_del(&win->node);
		kfree(win->res.name);
		kfree(win);
	}
	/*
	 * Resources of others handed up to the private root still point at
	 * it: the space must outlive them.  Leak it rather than free them
	 * into freed memory.
	 */
	leaked = READ_ONCE(space->root.child);
	mutex_unlock(&space->lock);

	/* Not named: its owner may release it meanwhile. */
	if (leaked) {
		pr_err("%s: a resource of another is still in the private space: space not freed\n",
		       space->name);
		return;
	}
	pvbus_mmio_space_free(space);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_destroy);

static int pvbus_mmio_insert_window(struct pvbus_mmio_space *space,
				    struct pvbus_mmio_win *new)
{
	struct pvbus_mmio_win *win;

	list_for_each_entry(win, &space->windows, node) {
		if (resource_overlaps(&win->res, &new->res)) {
			pr_err("%s: window %pR overlaps window %pR: refused\n",
			       space->name, &new->res, &win->res);
			return -EBUSY;
		}
	}

	if (pvbus_mmio_published(space))
		return pvbus_mmio_insert_published(space, new);

	return request_resource(space->parent, &new->res);
}

/**
 * pvbus_mmio_add_window() - add an MMIO window to a space
 * @space: the space
 * @start: first address of the window
 * @size: size of the window in bytes
 *
 * Windows may be added in any order.  A window that straddles 4 GiB serves
 * %PVBUS_MMIO_LOW below 4 GiB and %PVBUS_MMIO_HIGH above.  Reservations
 * made before the window apply to it.
 *
 * A window of a published space must lie in free space of iomem or of a
 * PCI host bridge window that the space's tie accepts
 * (pvbus_mmio_space_set_tie()): never inside a resource of someone else's
 * (a driver's region, a BAR, ACPI tables), never over RAM, ACPI tables or
 * NVS, reserved or persistent memory, nor over a window of another
 * published space; nor in a host bridge window that lies inside another
 * space's window or a region of the memory map.  A refusal says why in the kernel log.
 *
 * Return: 0; -EINVAL if @size is 0 or the window wraps; -EBUSY if it
 * overlaps another window of the space or, for a published space, is
 * refused as above or only partly covers a resource; the tie's error if
 * it refused the window; -ENOMEM.
 */
int pvbus_mmio_add_window(struct pvbus_mmio_space *space,
			  resource_size_t start, resource_size_t size)
{
	struct pvbus_mmio_win *new, *win;
	resource_size_t end;
	bool published;
	int ret;

	if (!space || !pvbus_mmio_end(start, size, &end))
		return -EINVAL;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	new->res.name = kasprintf(GFP_KERNEL, "%s %s window", space->name,
				  pvbus_mmio_zone_name(start, end));
	if (!new->res.name) {
		kfree(new);
		return -ENOMEM;
	}
	new->res.start = start;
	new->res.end = end;
	new->res.flags = IORESOURCE_MEM;
	pvbus_rsv_view_init(&new->view, &new->res);

	published = pvbus_mmio_tree_lock(space);
	ret = pvbus_mmio_insert_window(space, new);
	if (ret)
		goto out_free;

	ret = pvbus_rsv_view_prepare(&new->view, &space->rsv, GFP_KERNEL);
	if (ret)
		goto out_remove;
	pvbus_rsv_view_commit(&new->view);

	list_for_each_entry(win, &space->windows, node)
		if (win->res.start > new->res.start)
			break;
	list_add_tail(&new->node, &win->node);

	pvbus_mmio_tree_unlock(space, published);
	pr_debug("%s: window %pR\n", space->name, &new->res);
	return 0;

out_remove:
	pvbus_rsv_view_abort(&new->view);
	pvbus_mmio_remove_window(space, new);
out_free:
	pvbus_mmio_tree_unlock(space, published);
	kfree(new->res.name);
	kfree(new);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_add_window);

/*
 * Show the reservations anew in every window that meets [start, end].  All
 * or nothing: if a part cannot be allocated, every window shows what it
 * showed before and -ENOMEM is returned, so /proc/iomem never shows half
 * of a change.
 */
static int pvbus_mmio_rsv_rebuild(struct pvbus_mmio_space *space,
				  resource_size_t start, resource_size_t end,
				  gfp_t gfp)
{
	struct pvbus_mmio_win *win;
	int ret = 0;

	list_for_each_entry(win, &space->windows, node) {
		if (!pvbus_ranges_overlap(win->res.start, win->res.end, start,
					  end))
			continue;
		ret = pvbus_rsv_view_prepare(&win->view, &space->rsv, gfp);
		if (ret)
			break;
	}
	list_for_each_entry(win, &space->windows, node) {
		if (ret)
			pvbus_rsv_view_abort(&win->view);
		else
			pvbus_rsv_view_commit(&win->view);
	}
	return ret;
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
 * Context: process context; takes pci_lock_rescan_remove() if @space is
 * published, which the caller must not hold.
 *
 * Return: 0; -EINVAL for a NULL @name, an unknown @kind, a @size of 0 or a
 * range that wraps; -EBUSY if the range overlaps a live allocation;
 * -ENOMEM.
 */
int pvbus_mmio_reserve(struct pvbus_mmio_space *space, resource_size_t start,
		       resource_size_t size, enum pvbus_mmio_rsv kind,
		       const char *name)
{
	struct pvbus_rsv_rec *new;
	resource_size_t end;
	bool published;
	int ret;

	if (!space || !name || !pvbus_mmio_end(start, size, &end) ||
	    !pvbus_rsv_kind_valid(kind))
		return -EINVAL;

	new = pvbus_rsv_rec_alloc(start, end, kind, name);
	if (!new)
		return -ENOMEM;

	published = pvbus_mmio_tree_lock(space);
	if (pvbus_mmio_area_in(space, start, end)) {
		pvbus_mmio_tree_unlock(space, published);
		pvbus_rsv_rec_free(new);
		return -EBUSY;
	}
	pvbus_rsv_set_add(&space->rsv, new);
	ret = pvbus_mmio_rsv_rebuild(space, start, end, GFP_KERNEL);
	if (ret) {
		pvbus_rsv_rec_del(new);
		pvbus_rsv_rec_free(new);
	}
	pvbus_mmio_tree_unlock(space, published);

	trace_pvbus_rsv_add(space->name, kind, name, start, end, ret);
	if (!ret)
		pr_debug("%s: %s reservation %s [mem %pa-%pa]\n", space->name,
			 pvbus_mmio_rsv_name(kind), name, &start, &end);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_reserve);

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
 * Context: as pvbus_mmio_reserve().
 *
 * Return: 0; -ENOENT if there is none; -EBUSY if a live allocation lies
 * in it (a framebuffer allocation); -EINVAL for a range that wraps.
 */
int pvbus_mmio_unreserve(struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size,
			 enum pvbus_mmio_rsv kind)
{
	struct pvbus_rsv_rec *found;
	resource_size_t end;
	bool published;

	if (!space || !pvbus_mmio_end(start, size, &end))
		return -EINVAL;

	published = pvbus_mmio_tree_lock(space);
	found = pvbus_rsv_set_find(&space->rsv, start, end, kind);
	if (!found || pvbus_mmio_area_in(space, start, end)) {
		pvbus_mmio_tree_unlock(space, published);
		trace_pvbus_rsv_remove(space->name, kind, "", start, end,
				       found ? -EBUSY : -ENOENT);
		return found ? -EBUSY : -ENOENT;
	}

	/*
	 * Unreserving undoes: a host going away, a failed attach.  It must
	 * not fail, and the parts that showed @found point at its name, so
	 * they cannot be kept: the new ones are small and allocated with
	 * __GFP_NOFAIL.
	 */
	pvbus_rsv_rec_del(found);
	pvbus_mmio_rsv_rebuild(space, start, end, GFP_KERNEL | __GFP_NOFAIL);
	pvbus_mmio_tree_unlock(space, published);

	trace_pvbus_rsv_remove(space->name, kind, found->name, start, end, 0);

	pvbus_rsv_rec_free(found);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_unreserve);

/* For KUnit: count a candidate gap the constraint callback examines. */
static inline void pvbus_mmio_count_gap(struct pvbus_mmio_space *space)
{
#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
	space->gaps_walked++;
#endif
}

/*
 * allocate_resource() constraint: the first address at or after the gap's
 * start, aligned, that the reservations allow.  Called under the resource
 * lock once per candidate gap.
 */
static resource_size_t pvbus_mmio_constrain(void *data,
					    const struct resource *avail,
					    resource_size_t size,
					    resource_size_t align)
{
	struct pvbus_mmio_ctx *ctx = data;
	const resource_size_t fail = avail->end + 1;
	resource_size_t pos, end;

	pvbus_mmio_count_gap(ctx->space);

	pos = ALIGN(avail->start, align);
	if (pos < avail->start ||
	    !pvbus_rsv_set_place(&ctx->space->rsv, ctx->in_fb, size, align,
				 avail->end, &ctx->cur, &pos) ||
	    !pvbus_mmio_end(pos, size, &end) || end > avail->end)
		return fail;
	return pos;
}

/* Try to place @res in @parent within one pass. */
static bool pvbus_mmio_try(struct pvbus_mmio_space *space,
			   struct resource *parent, struct resource *res,
			   const struct pvbus_mmio_pass *pass,
			   resource_size_t size, resource_size_t align,
			   bool in_fb)
{
	struct pvbus_mmio_ctx ctx = { .space = space, .in_fb = in_fb };
	u64 min = max_t(u64, pass->min, parent->start);
	u64 max = min_t(u64, pass->max, parent->end);

	if (min > max || max - min < size - 1)
		return false;

	return !allocate_resource(parent, res, size, min, max, align,
				  pvbus_mmio_constrain, &ctx);
}

/**
 * pvbus_mmio_alloc() - allocate MMIO from a space
 * @space: the space
 * @req: what to allocate and where; see &struct pvbus_mmio_req
 *
 * Within the zone's passes (%PVBUS_MMIO_PREFER_HIGH tries high, then low)
 * the lowest address that fits is chosen, windows in address order.  With
 * @req->fb_overlap_ok, framebuffer reservations are tried before the
 * windows.  Firmware and host reservations are never used.
 *
 * Return: the allocation, a resource nested in its window (or framebuffer
 * reservation) named @req->name; -EINVAL for an invalid request; -ENOSPC
 * if nothing fits, the space unchanged; -ENOMEM.  Never NULL.
 */
struct resource *pvbus_mmio_alloc(struct pvbus_mmio_space *space,
				  const struct pvbus_mmio_req *req)
{
	struct pvbus_mmio_pass pass[PVBUS_MMIO_MAX_PASSES];
	struct pvbus_mmio_area *area;
	struct pvbus_mmio_win *win;
	struct resource *fb;
	resource_size_t align;
	unsigned int n, i;
	u64 max;
	int ret;

	if (!space)
		return ERR_PTR(-EINVAL);
	ret = pvbus_mmio_check_req(req, &align, &max);
	if (ret)
		return ERR_PTR(ret);

	n = pvbus_mmio_passes(req, req->min, max, pass);

	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return ERR_PTR(-ENOMEM);
	area->res.name = kstrdup(req->name, GFP_KERNEL);
	if (!area->res.name) {
		kfree(area);
		return ERR_PTR(-ENOMEM);
	}
	area->res.flags = IORESOURCE_MEM;

	mutex_lock(&space->lock);

	for (i = 0; req->fb_overlap_ok && i < n; i++) {
		list_for_each_entry(win, &space->windows, node) {
			fb = NULL;
			while ((fb = pvbus_rsv_view_next_fb(&win->view, fb)))
				if (pvbus_mmio_try(space, fb, &area->res,
						   &pass[i], req->size, align,
						   true))
					goto found;
		}
	}

	for (i = 0; i < n; i++) {
		list_for_each_entry(win, &space->windows, node) {
			if (pvbus_mmio_try(space, &win->res, &area->res,
					   &pass[i], req->size, align, false))
				goto found;
		}
	}

	mutex_unlock(&space->lock);
	trace_pvbus_mmio_alloc(space->name, req->name, req->zone, req->size,
			       align, 0, 0, -ENOSPC);
	kfree(area->res.name);
	kfree(area);
	return ERR_PTR(-ENOSPC);

found:
	pvbus_mmio_area_add(space, area);
	mutex_unlock(&space->lock);
	trace_pvbus_mmio_alloc(space->name, req->name, req->zone, req->size,
			       align, area->res.start, area->res.end, 0);
	pr_debug("%s: %s %pR\n", space->name, req->name, &area->res);
	return &area->res;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_alloc);

/**
 * pvbus_mmio_free() - free an allocation
 * @space: the space it was allocated from
 * @res: what pvbus_mmio_alloc() returned; NULL or an ERR_PTR() is ignored
 *
 * Whatever was requested inside @res must have been released first: while
 * a resource is still nested in @res, @res is not freed (it stays
 * allocated, and pvbus_mmio_space_destroy() deals with it), so that the
 * nested resource never points at freed memory; one requested in it as
 * it is freed is handed to the allocation's parent (its window, or the
 * framebuffer reservation it lies in).
 *
 * @res must be live: like kfree(), a second free of an allocation reads
 * freed memory, and may free another allocation that reused it.  Only a
 * resource @space never allocated is told apart.
 *
 * Return: 0; -EBUSY, with an error message, if a resource is still
 * nested in @res; -EINVAL, with a warning, if @space did not allocate
 * @res.
 */
int pvbus_mmio_free(struct pvbus_mmio_space *space, struct resource *res)
{
	struct pvbus_mmio_area *area;
	int ret = 0;

	if (!space || IS_ERR_OR_NULL(res))
		return 0;

	mutex_lock(&space->lock);
	/* Only its start is read until it is known to be the space's. */
	area = pvbus_mmio_area_below(space, res->start);
	if (area && &area->res == res) {
		/*
		 * What is requested inside is not named: its driver may
		 * release it meanwhile, under resource_lock only.
		 */
		if (READ_ONCE(res->child))
			ret = -EBUSY;
		trace_pvbus_mmio_free(space->name, res->name, res->start,
				      res->end, ret);
		if (ret) {
			pr_err("%s: not freeing %s %pR: a region is still requested inside it\n",
			       space->name, res->name, res);
		} else {
			/* Hands up what is requested in it meanwhile. */
			pvbus_mmio_unlink(space, res);
			pvbus_mmio_area_free(space, area);
		}
		mutex_unlock(&space->lock);
		return ret;
	}
	mutex_unlock(&space->lock);

	WARN(1, "pvbus: mmio: %s: freeing %pR, which it did not allocate\n",
	     space->name, res);
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_free);

/**
 * pvbus_mmio_space_show() - print a space's MMIO map
 * @m: where to print
 * @space: the space
 *
 * Prints the windows, the reservations with their kind, and the
 * allocations with the resource they are nested in, one per line.  Meant
 * for debugfs.
 */
void pvbus_mmio_space_show(struct seq_file *m, struct pvbus_mmio_space *space)
{
	struct pvbus_mmio_area *area;
	struct pvbus_mmio_win *win;

	mutex_lock(&space->lock);
	seq_printf(m, "space %s (%s)\n", space->name,
		   pvbus_mmio_published(space) ? "published" : "private");
	list_for_each_entry(win, &space->windows, node)
		seq_printf(m, "window      %pa-%pa %s\n", &win->res.start,
			   &win->res.end, win->res.name);
	pvbus_rsv_set_show(m, &space->rsv);
	list_for_each_entry(area, &space->areas, node)
		seq_printf(m, "allocated   %pa-%pa %s (in %s)\n",
			   &area->res.start, &area->res.end, area->res.name,
			   area->res.parent ? area->res.parent->name : "-");
	mutex_unlock(&space->lock);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_show);

#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
/**
 * pvbus_mmio_space_gaps_walked() - candidate gaps examined so far
 * @space: the space
 *
 * For KUnit: the cost of a failing request is a number of gaps, never a
 * number of aligned steps through a window.
 *
 * Return: how often the constraint callback ran on @space.
 */
u64 pvbus_mmio_space_gaps_walked(struct pvbus_mmio_space *space)
{
	u64 n;

	mutex_lock(&space->lock);
	n = space->gaps_walked;
	mutex_unlock(&space->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_gaps_walked);

/**
 * pvbus_mmio_space_rsv_walked() - reservation records looked at so far
 * @space: the space
 *
 * For KUnit: refusing a candidate gap costs the records that can overlap
 * it, not every record of the space.
 *
 * Return: how many records placements on @space looked at.
 */
u64 pvbus_mmio_space_rsv_walked(struct pvbus_mmio_space *space)
{
	u64 n;

	mutex_lock(&space->lock);
	n = space->rsv.walked;
	mutex_unlock(&space->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_rsv_walked);

/**
 * pvbus_mmio_space_root() - the parent of a private space's windows
 * @space: the space
 *
 * For KUnit: where pvbus_mmio_space_destroy() hands a resource of someone
 * else's that is still nested in an allocation of a private space.
 *
 * Return: the space's private root.
 */
struct resource *pvbus_mmio_space_root(struct pvbus_mmio_space *space)
{
	return &space->root;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mmio_space_root);
#endif
