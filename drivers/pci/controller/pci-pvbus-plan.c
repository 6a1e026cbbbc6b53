// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the BAR planner and the choice of a PCI domain.
 *
 * pci_pvbus_plan() is a pure function over a list of BARs: it decides
 * which window each BAR goes into and at what offset, and which new
 * windows the bus needs.  Its policy:
 *
 * - a 32-bit BAR goes below 4 GiB; a 64-bit BAR above, and below only
 *   when there is no room above (@no_high: no new window above; the gaps
 *   of the bus's windows above are still tried first);
 * - BARs are naturally aligned and placed largest first: into the free
 *   gaps of the bus's existing windows first (hot add), then packed into
 *   one new window per zone.  Packed largest first, every BAR of a set of
 *   powers of two lands at an offset that is a multiple of its size, so
 *   the new window is exactly as large as the sum of its BARs: nothing is
 *   wasted below 4 GiB, where space is scarce;
 * - a new window gets the hot-add slack of its zone on top, and is
 *   aligned to its largest BAR (and to the slack, so that any BAR of up to
 *   half the slack fits into it later, wherever the window lands);
 * - a function the host marks "preserve" keeps the BARs the host assigned
 *   when they are valid: every BAR has an address, naturally aligned, a
 *   32-bit one wholly below 4 GiB, none overlapping another kept BAR, a
 *   window or a range in use.  Each kept BAR becomes a window of its own.
 *   Otherwise the function is reassigned like any other, and the caller
 *   warns.
 *
 * pci_pvbus_place() then allocates the new windows through the bus's MMIO
 * allocator and applies the rest of the policy where only the allocator
 * knows the answer: a kept BAR outside the bus's windows or on a
 * reservation (the framebuffer) is refused, and its function is
 * reassigned; a high window that cannot be had sends the 64-bit BARs
 * below 4 GiB; slack that does not fit is given up before the plan is.
 * A new window for 32-bit BARs goes as high below 4 GiB as there is room,
 * away from the start of the low window, where platforms put the
 * framebuffer whether or not a source reports it; so does a bus's config
 * window that finds no room above 4 GiB (pci_pvbus_alloc_cfg()).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pvbus_mmio.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "pci-pvbus-plan.h"

#define PCI_PVBUS_WIN_ALIGN	((u64)SZ_4K)

/* One BAR to place. */
struct pci_pvbus_item {
	unsigned int fn;
	unsigned int bar;
	u64 size;
	enum pci_pvbus_zone zone;
};

static const char * const pci_pvbus_keep_reasons[] = {
	[PCI_PVBUS_KEEP_NONE]		= "not asked for",
	[PCI_PVBUS_KEEP_OK]		= "kept",
	[PCI_PVBUS_KEEP_UNSET]		= "a BAR has no host address",
	[PCI_PVBUS_KEEP_MISALIGNED]	= "a host address is not aligned to its BAR's size",
	[PCI_PVBUS_KEEP_ZONE]		= "a 32-bit BAR is not below 4 GiB, or a BAR wraps",
	[PCI_PVBUS_KEEP_OVERLAP]	= "a BAR overlaps another BAR, a window or a range in use",
	[PCI_PVBUS_KEEP_REFUSED]	=
		"the bus cannot give that range (outside its windows, reserved or taken)",
	[PCI_PVBUS_KEEP_NO_WINDOW]	= "no window is left for it",
};

/**
 * pci_pvbus_keep_reason() - why a function's BARs were or were not kept
 * @keep: the planner's verdict
 *
 * Return: a phrase for messages.
 */
const char *pci_pvbus_keep_reason(enum pci_pvbus_keep keep)
{
	if ((unsigned int)keep >= ARRAY_SIZE(pci_pvbus_keep_reasons))
		return "unknown";
	return pci_pvbus_keep_reasons[keep];
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_keep_reason);

/* Does a BAR take part in planning? */
VISIBLE_IF_KUNIT bool pci_pvbus_placeable(const struct pci_pvbus_bar *bar)
{
	return bar->size &&
	       !(bar->flags & (PCI_PVBUS_BAR_IO | PCI_PVBUS_BAR_UPPER));
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_placeable);

/**
 * pci_pvbus_bars_need() - the room a function's BARs need, per zone
 * @bar: the function's %PVBUS_PCI_NR_BARS BARs
 * @low: out: the bytes its 32-bit memory BARs need
 * @high: out: the bytes its 64-bit ones need
 *
 * As the planner sees them, for the message that says what did not fit:
 * a sum past what 64 bits hold is %U64_MAX.
 */
void pci_pvbus_bars_need(const struct pci_pvbus_bar *bar, u64 *low,
			 u64 *high)
{
	unsigned int b;
	u64 *sum;

	*low = 0;
	*high = 0;
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (!pci_pvbus_placeable(&bar[b]))
			continue;
		sum = bar[b].flags & PCI_PVBUS_BAR_64 ? high : low;
		if (check_add_overflow(*sum, bar[b].size, sum))
			*sum = U64_MAX;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_bars_need);

static bool pci_pvbus_win_overlaps(const struct pci_pvbus_plan *p,
				   unsigned int from, u64 start, u64 end)
{
	unsigned int i;

	for (i = from; i < p->nr_win; i++)
		if (p->win[i].size &&
		    pvbus_ranges_overlap(start, end, p->win[i].start,
					 p->win[i].start + p->win[i].size - 1))
			return true;
	return false;
}

/* The BAR of @fn in window @w (a fixed window holds one). */
static u8 pci_pvbus_win_bar(const struct pci_pvbus_plan_fn *fn, unsigned int w)
{
	u8 b;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		if (fn->win[b] == w)
			break;
	return b;
}

/*
 * Can function @f keep its host's BARs?  On success its kept BARs are
 * appended to the windows as fixed ones.
 */
static enum pci_pvbus_keep pci_pvbus_plan_keep(struct pci_pvbus_plan *p,
					       unsigned int f)
{
	struct pci_pvbus_plan_fn *fn = &p->fn[f];
	unsigned int first = p->nr_win, b, i;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		const struct pci_pvbus_bar *bar = &fn->bar[b];
		struct pci_pvbus_plan_win *w;
		u64 start = bar->host_addr, end;
		enum pci_pvbus_keep why = PCI_PVBUS_KEEP_OK;

		if (!pci_pvbus_placeable(bar))
			continue;

		if (!start)
			why = PCI_PVBUS_KEEP_UNSET;
		else if (start & (bar->size - 1))
			why = PCI_PVBUS_KEEP_MISALIGNED;
		else if (check_add_overflow(start, bar->size - 1, &end) ||
			 (!(bar->flags & PCI_PVBUS_BAR_64) &&
			  end > PVBUS_MMIO_LOW_END))
			why = PCI_PVBUS_KEEP_ZONE;
		else if (pci_pvbus_win_overlaps(p, 0, start, end))
			why = PCI_PVBUS_KEEP_OVERLAP;
		else if (p->nr_win == p->max_win)
			why = PCI_PVBUS_KEEP_NO_WINDOW;

		for (i = 0; why == PCI_PVBUS_KEEP_OK && i < p->nr_used; i++)
			if (pvbus_ranges_overlap(start, end, p->used[i].start,
						 p->used[i].end))
				why = PCI_PVBUS_KEEP_OVERLAP;

		if (why != PCI_PVBUS_KEEP_OK) {
			fn->bad_bar = b;
			p->nr_win = first;
			for (i = 0; i < PVBUS_PCI_NR_BARS; i++)
				fn->win[i] = -1;
			return why;
		}

		w = &p->win[p->nr_win++];
		*w = (struct pci_pvbus_plan_win) {
			.start	= start,
			.size	= bar->size,
			.used	= bar->size,
			.align	= bar->size,
			.zone	= end > PVBUS_MMIO_LOW_END ? PCI_PVBUS_HIGH :
							    PCI_PVBUS_LOW,
			.kind	= PCI_PVBUS_WIN_FIXED,
			.is_new	= true,
			.fn	= f,
		};
		fn->win[b] = p->nr_win - 1;
		fn->off[b] = 0;
	}
	return PCI_PVBUS_KEEP_OK;
}

/* Largest first; equal sizes in function and BAR order. */
static int pci_pvbus_item_cmp(const void *a, const void *b)
{
	const struct pci_pvbus_item *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->fn != y->fn)
		return x->fn < y->fn ? -1 : 1;
	return x->bar < y->bar ? -1 : (x->bar > y->bar);
}

/*
 * Does [start, end] in existing window @w collide with something taken:
 * a used range, or a BAR placed into @w by this plan?  If so, return the
 * end of what it collides with.
 */
static bool pci_pvbus_taken(const struct pci_pvbus_plan *p, unsigned int w,
			    u64 start, u64 end, u64 *taken_end)
{
	unsigned int i, b;

	for (i = 0; i < p->nr_used; i++) {
		if (pvbus_ranges_overlap(start, end, p->used[i].start,
					 p->used[i].end)) {
			*taken_end = p->used[i].end;
			return true;
		}
	}
	for (i = 0; i < p->nr_fn; i++) {
		const struct pci_pvbus_plan_fn *fn = &p->fn[i];

		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			u64 s;

			if (fn->win[b] != w)
				continue;
			s = p->win[w].start + fn->off[b];
			if (pvbus_ranges_overlap(start, end, s,
						 s + fn->bar[b].size - 1)) {
				*taken_end = s + fn->bar[b].size - 1;
				return true;
			}
		}
	}
	return false;
}

/* The lowest naturally aligned free place in existing window @w. */
static bool pci_pvbus_fit(const struct pci_pvbus_plan *p, unsigned int w,
			  u64 size, u64 *off)
{
	const struct pci_pvbus_plan_win *win = &p->win[w];
	u64 last = win->start + win->size - 1;
	u64 pos = ALIGN(win->start, size), end, taken_end;

	while (pos >= win->start && !check_add_overflow(pos, size - 1, &end) &&
	       end <= last) {
		if (!pci_pvbus_taken(p, w, pos, end, &taken_end)) {
			*off = pos - win->start;
			return true;
		}
		if (taken_end == U64_MAX)
			break;
		pos = ALIGN(taken_end + 1, size);
	}
	return false;
}

/* Give each new packed window its size and alignment. */
static int pci_pvbus_plan_finish(struct pci_pvbus_plan *p)
{
	unsigned int i;

	for (i = p->nr_old; i < p->nr_win; i++) {
		struct pci_pvbus_plan_win *w = &p->win[i];
		u64 slack = p->slack[w->zone], size;
		/* ALIGN() keeps a size within it: 4 GiB is a multiple of 4K. */
		u64 limit = w->zone == PCI_PVBUS_LOW ?
			    SZ_4G : U64_MAX - PCI_PVBUS_WIN_ALIGN;

		if (w->kind != PCI_PVBUS_WIN_PACKED)
			continue;
		/* Slack that cannot be had at all is given up here. */
		if (check_add_overflow(w->used, slack, &size) || size > limit) {
			slack = 0;
			size = w->used;
		}
		if (size > limit)
			return -ENOSPC;
		w->size = ALIGN(size, PCI_PVBUS_WIN_ALIGN);
		w->align = max(w->align, PCI_PVBUS_WIN_ALIGN);
		if (slack)
			w->align = max_t(u64, w->align,
					 rounddown_pow_of_two(slack));
	}
	return 0;
}

/* A new packed window of @zone, made on first use. */
static int pci_pvbus_new_win(struct pci_pvbus_plan *p, int *idx,
			     enum pci_pvbus_zone zone)
{
	if (*idx >= 0)
		return *idx;
	if (p->nr_win == p->max_win)
		return -ENOSPC;
	*idx = p->nr_win++;
	p->win[*idx] = (struct pci_pvbus_plan_win) {
		.zone	= zone,
		.kind	= PCI_PVBUS_WIN_PACKED,
		.is_new	= true,
	};
	return *idx;
}

/**
 * pci_pvbus_plan() - decide where BARs go
 * @p: the plan: functions, existing windows, ranges in use, policy
 *
 * Places every memory BAR of the functions in @p->fn as the file comment
 * describes, and appends the windows that have to be allocated to @p->win
 * after its first @p->nr_old entries: fixed windows for the BARs of
 * preserved functions that keep them, then at most one packed window per
 * zone, sized to its BARs plus the zone's slack.  A zone whose BARs all fit
 * into existing windows gets no new window; one without an existing packed
 * window gets a window of just its slack, so that hot add has room.
 * @p->fn[].preserve is an input: functions whose wish was refused before
 * have it cleared and keep their @keep verdict.
 *
 * The plan is a pure function of its input; calling it again recomputes
 * it from scratch.
 *
 * Return: 0; -ENOSPC if more windows are needed than @p->max_win allows,
 * or the BARs cannot fit below 4 GiB even in theory; -ENOMEM.
 */
int pci_pvbus_plan(struct pci_pvbus_plan *p)
{
	int newwin[PCI_PVBUS_NR_ZONES] = { -1, -1 };
	bool has_packed[PCI_PVBUS_NR_ZONES] = { };
	struct pci_pvbus_item *items;
	unsigned int nr = 0, i, b, w, pass, nr_zones;
	int ret = 0;

	p->nr_win = p->nr_old;
	for (i = 0; i < p->nr_old; i++)
		if (p->win[i].kind == PCI_PVBUS_WIN_PACKED)
			has_packed[p->win[i].zone] = true;

	items = kcalloc(max(p->nr_fn, 1U) * PVBUS_PCI_NR_BARS, sizeof(*items),
			GFP_KERNEL);
	if (!items)
		return -ENOMEM;

	for (i = 0; i < p->nr_fn; i++) {
		struct pci_pvbus_plan_fn *fn = &p->fn[i];

		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			fn->win[b] = -1;
			fn->off[b] = 0;
		}
		if (fn->preserve) {
			fn->keep = pci_pvbus_plan_keep(p, i);
			if (fn->keep == PCI_PVBUS_KEEP_OK)
				continue;
		}
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			const struct pci_pvbus_bar *bar = &fn->bar[b];

			if (!pci_pvbus_placeable(bar))
				continue;
			items[nr++] = (struct pci_pvbus_item) {
				.fn	= i,
				.bar	= b,
				.size	= bar->size,
				.zone	= (bar->flags & PCI_PVBUS_BAR_64) &&
					  !p->no_high ? PCI_PVBUS_HIGH :
							PCI_PVBUS_LOW,
			};
		}
	}

	sort(items, nr, sizeof(*items), pci_pvbus_item_cmp, NULL);

	for (i = 0; i < nr; i++) {
		struct pci_pvbus_item *it = &items[i];
		struct pci_pvbus_plan_fn *fn = &p->fn[it->fn];
		struct pci_pvbus_plan_win *win;
		bool placed = false;
		u64 off;
		int n;

		/*
		 * A 64-bit BAR sent below 4 GiB (no new window above could be
		 * had) still goes into a gap of the bus's windows above first.
		 */
		nr_zones = fn->bar[it->bar].flags & PCI_PVBUS_BAR_64 &&
			   it->zone != PCI_PVBUS_HIGH ? 2 : 1;
		for (pass = 0; pass < nr_zones && !placed; pass++) {
			enum pci_pvbus_zone zone = pass + 1 < nr_zones ?
						   PCI_PVBUS_HIGH : it->zone;

			for (w = 0; w < p->nr_old && !placed; w++) {
				if (p->win[w].kind != PCI_PVBUS_WIN_PACKED ||
				    p->win[w].zone != zone ||
				    !pci_pvbus_fit(p, w, it->size, &off))
					continue;
				fn->win[it->bar] = w;
				fn->off[it->bar] = off;
				placed = true;
			}
		}
		if (placed)
			continue;

		n = pci_pvbus_new_win(p, &newwin[it->zone], it->zone);
		if (n < 0) {
			ret = n;
			goto out;
		}
		win = &p->win[n];
		/* Largest first: @used is a multiple of @it->size. */
		fn->win[it->bar] = n;
		fn->off[it->bar] = win->used;
		if (check_add_overflow(win->used, it->size, &win->used)) {
			ret = -ENOSPC;
			goto out;
		}
		win->align = max(win->align, it->size);
	}

	/*
	 * Room for hot add where the bus has none yet, if a window slot is
	 * left: a bus at its limit still places BARs in its windows' gaps.
	 */
	for (i = 0; i < PCI_PVBUS_NR_ZONES; i++) {
		if (has_packed[i] || newwin[i] >= 0 || !p->slack[i] ||
		    (i == PCI_PVBUS_HIGH && p->no_high))
			continue;
		pci_pvbus_new_win(p, &newwin[i], i);
	}

	ret = pci_pvbus_plan_finish(p);
out:
	kfree(items);
	if (ret)
		p->nr_win = p->nr_old;
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_plan);

/**
 * pci_pvbus_unplace() - free the windows pci_pvbus_place() allocated
 * @p: the plan
 * @ops: how MMIO was allocated
 * @ctx: for @ops
 */
void pci_pvbus_unplace(struct pci_pvbus_plan *p,
		       const struct pci_pvbus_mmio_ops *ops, void *ctx)
{
	unsigned int i;

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (p->win[i].res)
			ops->free(ctx, p->win[i].res);
		p->win[i].res = NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_unplace);

/*
 * A window for 32-bit BARs, as high below 4 GiB as the allocator has room
 * for: platforms put the framebuffer at the start of the low MMIO range
 * (Hyper-V Gen1 and Gen2, and upstream's kdump rule assumes it there), and
 * when no source reports it, nothing else keeps BARs off it.
 *
 * The allocator places bottom-up from @req->min, and whether a request
 * fits only gets easier as @req->min goes down, so the highest start that
 * fits is found by a binary search over @req->min in steps of the
 * alignment (at most 33 tries below 4 GiB), freeing each trial.  The
 * window then lands exactly there: the free room stays in one piece below
 * it, and the next window packs against this one, as bottom-up placement
 * would pack from the other end.  Placing within a factor of two of the
 * top instead left holes that later windows could not use.
 *
 * Returns the highest start that fits, in units of the alignment, or a
 * negative error code (-ENOSPC: nothing fits).
 */
static s64 pci_pvbus_find_low(const struct pci_pvbus_mmio_ops *ops,
			      void *ctx, struct pvbus_mmio_req *req, u64 align)
{
	struct resource *res;
	u64 lo, hi, mid;

	/* Where it fits at all: lo is a start that fits, in units of align. */
	req->min = 0;
	res = ops->alloc(ctx, req);
	if (IS_ERR(res))
		return PTR_ERR(res);
	lo = div64_u64(res->start, align);
	ops->free(ctx, res);

	/* pci_pvbus_plan_finish() keeps low windows within 4 GiB. */
	hi = div64_u64(SZ_4G - req->size, align);
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		req->min = mid * align;
		res = ops->alloc(ctx, req);
		if (IS_ERR(res)) {
			if (PTR_ERR(res) != -ENOSPC)
				return PTR_ERR(res);
			hi = mid - 1;
			continue;
		}
		lo = div64_u64(res->start, align);
		ops->free(ctx, res);
	}
	return lo;
}

/*
 * The search's answer holds only until another user of the space takes
 * that room: then it is searched for again, where the room is now.  Only
 * a space that keeps changing under the search, four times over, sends
 * the window wherever the allocator puts it, bottom-up, rather than fail
 * it while there is room.
 */
#define PCI_PVBUS_LOW_TRIES	4

static struct resource *
pci_pvbus_alloc_low(const struct pci_pvbus_mmio_ops *ops, void *ctx,
		    struct pvbus_mmio_req *req)
{
	u64 align = max_t(u64, req->align, 1);
	struct resource *res;
	unsigned int tries;
	s64 lo;

	for (tries = 0; tries < PCI_PVBUS_LOW_TRIES; tries++) {
		lo = pci_pvbus_find_low(ops, ctx, req, align);
		if (lo < 0)
			return ERR_PTR(lo);
		req->min = lo * align;
		res = ops->alloc(ctx, req);
		if (!IS_ERR(res) || PTR_ERR(res) != -ENOSPC)
			return res;
	}
	req->min = 0;
	return ops->alloc(ctx, req);
}

/**
 * pci_pvbus_alloc_cfg() - allocate a bus's config window
 * @ops: how to allocate MMIO from the bus
 * @ctx: for @ops
 * @req: the request: name, size and alignment; @min, @max and @zone are
 *	set here
 *
 * Above 4 GiB if the bus has room there, where no framebuffer is.  Else as
 * high below 4 GiB as there is room, like a window for 32-bit BARs: the
 * allocator alone would place it bottom-up, at the start of the low
 * window, which is where platforms put the framebuffer (Hyper-V Gen1 and
 * Gen2 do; upstream's kdump rule assumes it there) whether or not any
 * source reports it.  Reservations (a kdump fallback among them) are
 * never handed out either way.
 *
 * Return: the allocation, or an ERR_PTR() from @ops->alloc.
 */
struct resource *pci_pvbus_alloc_cfg(const struct pci_pvbus_mmio_ops *ops,
				     void *ctx, struct pvbus_mmio_req *req)
{
	struct resource *res;

	req->min = 0;
	req->max = 0;
	req->zone = PVBUS_MMIO_HIGH;
	res = ops->alloc(ctx, req);
	if (!IS_ERR(res) || PTR_ERR(res) != -ENOSPC)
		return res;
	req->zone = PVBUS_MMIO_LOW;
	return pci_pvbus_alloc_low(ops, ctx, req);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_alloc_cfg);

static int pci_pvbus_alloc_win(struct pci_pvbus_plan_win *w,
			       const struct pci_pvbus_mmio_ops *ops, void *ctx,
			       const char *name, u64 size, u64 align)
{
	static const char * const what[PCI_PVBUS_NR_ZONES] = {
		[PCI_PVBUS_LOW]		= "low BARs",
		[PCI_PVBUS_HIGH]	= "high BARs",
	};
	struct pvbus_mmio_req req = { .size = size, .align = align };
	struct resource *res;
	char buf[64];

	if (w->kind == PCI_PVBUS_WIN_FIXED) {
		snprintf(buf, sizeof(buf), "%s preserved BAR", name);
		req.min = w->start;
		req.max = w->start + w->size - 1;
		req.zone = PVBUS_MMIO_ANY;
	} else {
		snprintf(buf, sizeof(buf), "%s %s", name, what[w->zone]);
		req.zone = w->zone == PCI_PVBUS_LOW ? PVBUS_MMIO_LOW :
						      PVBUS_MMIO_HIGH;
	}
	req.name = buf;

	if (w->kind == PCI_PVBUS_WIN_PACKED && w->zone == PCI_PVBUS_LOW)
		res = pci_pvbus_alloc_low(ops, ctx, &req);
	else
		res = ops->alloc(ctx, &req);
	if (IS_ERR(res))
		return PTR_ERR(res);
	if (WARN_ON(resource_size(res) != size ||
		    (w->kind == PCI_PVBUS_WIN_FIXED && res->start != w->start))) {
		ops->free(ctx, res);
		return -EIO;
	}
	w->res = res;
	w->start = res->start;
	w->size = size;
	return 0;
}

/* The largest BAR planned into window @w. */
static u64 pci_pvbus_largest(const struct pci_pvbus_plan *p, unsigned int w)
{
	unsigned int i, b;
	u64 largest = 0;

	for (i = 0; i < p->nr_fn; i++)
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			if (p->fn[i].win[b] == w)
				largest = max(largest, p->fn[i].bar[b].size);
	return largest;
}

/*
 * Allocate a new packed window, with its slack if it fits, else without;
 * a window of nothing but slack is given up.
 */
static int pci_pvbus_alloc_packed(struct pci_pvbus_plan *p, unsigned int i,
				  const struct pci_pvbus_mmio_ops *ops,
				  void *ctx, const char *name)
{
	struct pci_pvbus_plan_win *w = &p->win[i];
	u64 align;
	int ret;

	/* Nothing but slack, which pci_pvbus_plan_finish() gave up. */
	if (!w->size)
		return 0;
	ret = pci_pvbus_alloc_win(w, ops, ctx, name, w->size, w->align);
	if (ret != -ENOSPC || w->size == ALIGN(w->used, PCI_PVBUS_WIN_ALIGN))
		return ret;
	if (!w->used) {
		w->size = 0;
		return 0;
	}
	align = max(pci_pvbus_largest(p, i), PCI_PVBUS_WIN_ALIGN);
	return pci_pvbus_alloc_win(w, ops, ctx, name,
				   ALIGN(w->used, PCI_PVBUS_WIN_ALIGN), align);
}

/**
 * pci_pvbus_place() - plan BARs and allocate the windows they need
 * @p: the plan, as for pci_pvbus_plan()
 * @ops: how to allocate MMIO from the bus
 * @ctx: for @ops
 * @name: prefix of the allocations' names, e.g. "pci-pvbus 1a2b"
 *
 * Plans, then allocates the new windows: fixed windows at exactly the
 * kept BARs' addresses, packed windows in their zone.  Where the
 * allocator refuses a fixed window, that function's BARs are reassigned;
 * where it has no room above 4 GiB, @p->no_high is set and the 64-bit BARs
 * go below; either way the plan is made again.  On success every new
 * window in @p->win has its allocation in @res and its final @start and
 * @size; a slack-only window that did not fit has @size 0 and no @res.
 *
 * Return: 0; -ENOSPC if the BARs do not fit; another negative error code
 * from the plan or the allocator.  On error nothing stays allocated.
 */
int pci_pvbus_place(struct pci_pvbus_plan *p,
		    const struct pci_pvbus_mmio_ops *ops, void *ctx,
		    const char *name)
{
	unsigned int i;
	int ret;

	for (;;) {
		bool again = false;

		ret = pci_pvbus_plan(p);
		if (ret)
			return ret;

		for (i = p->nr_old; i < p->nr_win && !again; i++) {
			struct pci_pvbus_plan_win *w = &p->win[i];
			struct pci_pvbus_plan_fn *fn = &p->fn[w->fn];

			w->res = NULL;
			if (w->kind != PCI_PVBUS_WIN_FIXED)
				continue;
			ret = pci_pvbus_alloc_win(w, ops, ctx, name, w->size,
						  w->size);
			if (ret == -ENOSPC || ret == -EINVAL) {
				fn->preserve = false;
				fn->keep = PCI_PVBUS_KEEP_REFUSED;
				fn->bad_bar = pci_pvbus_win_bar(fn, i);
				again = true;
			} else if (ret) {
				goto fail;
			}
		}

		for (i = p->nr_old; i < p->nr_win && !again; i++) {
			struct pci_pvbus_plan_win *w = &p->win[i];

			if (w->kind != PCI_PVBUS_WIN_PACKED)
				continue;
			w->res = NULL;
			ret = pci_pvbus_alloc_packed(p, i, ops, ctx, name);
			if (ret == -ENOSPC && w->zone == PCI_PVBUS_HIGH) {
				p->no_high = true;
				again = true;
			} else if (ret) {
				goto fail;
			}
		}

		if (!again)
			return 0;
		pci_pvbus_unplace(p, ops, ctx);
	}

fail:
	pci_pvbus_unplace(p, ops, ctx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_place);

/**
 * pci_pvbus_pick_id() - choose a PCI domain (or root bus number)
 * @wanted: the number the bus asks for (from its instance id)
 * @used: the numbers in use
 * @nr_used: entries in @used
 * @max: the largest number allowed
 *
 * 0 is never chosen: it is the domain of the machine's own PCI bus.
 *
 * Return: @wanted if it is not 0, at most @max and not in @used; else one
 * above the highest number in use, if that is at most @max; else the
 * lowest free number from 1; -ENOSPC if every number is in use.
 */
int pci_pvbus_pick_id(u32 wanted, const u32 *used, unsigned int nr_used,
		      u32 max)
{
	bool taken = !wanted || wanted > max;
	u32 highest = 0, id;
	unsigned int i;

	for (i = 0; i < nr_used; i++) {
		if (used[i] == wanted)
			taken = true;
		highest = max(highest, used[i]);
	}
	if (!taken)
		return wanted;
	if (highest < max)
		return highest + 1;

	for (id = 1; id <= max && id <= INT_MAX; id++) {
		for (i = 0; i < nr_used; i++)
			if (used[i] == id)
				break;
		if (i == nr_used)
			return id;
	}
	return -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_pick_id);
