// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for cfg_window=legacy (pci_pvbus_legacy): the config window
 * placed as old front-ends placed it, in a published MMIO space among
 * resources of others.
 *
 * The space lives at 0x7e0000000000, which is free on UML.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pvbus_mmio.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus-legacy.h"
#include "../../pvbus/kunit_param.h"

#define LT_BASE		0x7e0000000000ULL
#define LT_SIZE		0x10000000ULL
#define LT_NR_RES	2

/*
 * A resource of someone else's in the window, at LT_BASE + @off: @busy is
 * a driver's claim (request_mem_region()), else one nobody claimed, such
 * as the BAR of a device without a driver (insert_resource()).  Each goes
 * inside the ones before it that cover it.
 */
struct lt_res {
	resource_size_t off, size;
	bool busy;
};

struct lt_case {
	const char *desc;
	struct lt_res res[LT_NR_RES];
	resource_size_t fb_off, fb_size;	/* a framebuffer reservation */
	resource_size_t bus_size;	/* an allocation of the bus, first */
	resource_size_t min;		/* offset from LT_BASE, if not 0 */
	resource_size_t align;		/* the request's, if not 0 */
	resource_size_t want;		/* offset from LT_BASE */
	int nest;			/* res[] it nests in, or -1 */
	unsigned int turns;		/* at most, if not 0 */
	bool nospc;			/* nothing fits */
};

static const struct lt_case lt_cases[] = {
	/* Nothing of others' in the window: placed as PVBUS_MMIO_ANY. */
	{ "empty window, its start", .nest = -1, .turns = 1 },
	{ "framebuffer reserved at the start, right after it",
	  .fb_size = 0x480000, .want = 0x480000, .nest = -1 },
	{ "an allocation of the bus at the start, after it",
	  .bus_size = SZ_1M, .want = SZ_1M, .nest = -1 },
	{ "a lower bound, at it", .min = SZ_4M, .want = SZ_4M, .nest = -1 },
	{ "a lower bound past the window, no room", .min = LT_SIZE,
	  .nospc = true },
	/* Others' resources: nest in what nobody claimed, never take in. */
	{ "unclaimed at window start, nests in it",
	  { { 0, SZ_16M } }, .want = 0, .nest = 0 },
	/* Past the claim in one turn, not in 2048 steps of 8K. */
	{ "claimed at window start, goes past it",
	  { { 0, SZ_16M, true } }, .want = SZ_16M, .nest = -1, .turns = 2 },
	{ "claimed start of an unclaimed one, nests after the claim",
	  { { 0, SZ_16M }, { 0, SZ_1M, true } }, .want = SZ_1M, .nest = 0 },
	{ "unclaimed but a framebuffer, goes past it",
	  { { 0, SZ_16M } }, .fb_size = SZ_16M, .want = SZ_16M, .nest = -1 },
	{ "unclaimed too small, does not take it in",
	  { { 0, SZ_4K } }, .want = SZ_8K, .nest = -1 },
	{ "unclaimed of the same size, goes past it",
	  { { 0, SZ_8K } }, .want = SZ_8K, .nest = -1 },
	{ "unclaimed from inside the first try, does not straddle it",
	  { { SZ_4K, SZ_64K } }, .want = SZ_8K, .nest = 0 },
	{ "unclaimed in the middle of the first try, goes past it",
	  { { SZ_2K, SZ_4K } }, .want = SZ_8K, .nest = -1 },
	/* pci-pvbus's alignment, half the size: on from the end of it. */
	{ "unclaimed too small, 4K aligned, right after it",
	  { { 0, SZ_2K } }, .align = SZ_4K, .want = SZ_4K, .nest = -1 },
};

KUNIT_ARRAY_PARAM_DESC(lt, lt_cases, desc);

/* What a case sets up, torn down in reverse whether it passes or not. */
struct lt_fx {
	struct resource *res[LT_NR_RES];
	bool busy[LT_NR_RES];
	struct pvbus_mmio_space *space;
	struct resource *bus;
	struct resource *win;
};

static int lt_fx_init(struct kunit_resource *kres, void *context)
{
	struct lt_fx *fx = kzalloc(sizeof(*fx), GFP_KERNEL);

	if (!fx)
		return -ENOMEM;
	kres->data = fx;
	return 0;
}

static void lt_fx_free(struct kunit_resource *kres)
{
	struct lt_fx *fx = kres->data;
	int i;

	pci_pvbus_legacy_free(fx->win);
	if (fx->bus)
		pvbus_mmio_free(fx->space, fx->bus);
	pvbus_mmio_space_destroy(fx->space);
	for (i = LT_NR_RES - 1; i >= 0; i--) {
		struct resource *r = fx->res[i];

		if (!r)
			continue;
		if (fx->busy[i]) {
			release_mem_region(r->start, resource_size(r));
		} else {
			remove_resource(r);
			kfree(r);
		}
	}
	kfree(fx);
}

static void lt_add_res(struct kunit *test, struct lt_fx *fx, int i,
		       const struct lt_res *lr)
{
	resource_size_t start = LT_BASE + lr->off;
	struct resource *r;

	if (lr->busy) {
		r = request_mem_region(start, lr->size, "pci-pvbus-kunit-claimed");
		KUNIT_ASSERT_NOT_NULL(test, r);
	} else {
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->name = "pci-pvbus-kunit-unclaimed";
		r->start = start;
		r->end = start + lr->size - 1;
		r->flags = IORESOURCE_MEM;
		if (insert_resource(&iomem_resource, r)) {
			kfree(r);
			KUNIT_FAIL(test, "cannot insert %#llx+%#llx",
				   (unsigned long long)start,
				   (unsigned long long)lr->size);
			return;
		}
	}
	fx->res[i] = r;
	fx->busy[i] = lr->busy;
}

/*
 * The resource tree where the window is: every resource of iomem that
 * meets it, in the order of a walk, with its place in the tree.  Read
 * without resource_lock, which is not exported: nothing else touches
 * this range while the case runs.
 */
#define LT_SNAP_MAX	16

struct lt_node {
	const struct resource *res;
	const struct resource *parent;
	resource_size_t start, end;
	unsigned long flags;
	const char *name;
};

struct lt_snap {
	unsigned int nr;
	bool overflow;
	struct lt_node node[LT_SNAP_MAX];
};

static void lt_snap_walk(struct lt_snap *snap, const struct resource *r)
{
	for (; r; r = r->sibling) {
		if (r->end < LT_BASE || r->start > LT_BASE + LT_SIZE - 1)
			continue;
		if (snap->nr == LT_SNAP_MAX) {
			snap->overflow = true;
			return;
		}
		snap->node[snap->nr++] = (struct lt_node) {
			.res	= r,
			.parent	= r->parent,
			.start	= r->start,
			.end	= r->end,
			.flags	= r->flags,
			.name	= r->name,
		};
		lt_snap_walk(snap, r->child);
	}
}

static struct lt_snap *lt_snap_take(struct kunit *test)
{
	struct lt_snap *snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, snap);
	lt_snap_walk(snap, iomem_resource.child);
	KUNIT_ASSERT_FALSE_MSG(test, snap->overflow,
			       "more than %d resources at %#llx", LT_SNAP_MAX,
			       LT_BASE);
	return snap;
}

/* The tree is as @before: the same resources, each where it was. */
static void lt_snap_expect(struct kunit *test, const struct lt_snap *before)
{
	struct lt_snap *after = lt_snap_take(test);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, after->nr, before->nr);
	for (i = 0; i < min(after->nr, before->nr); i++) {
		const struct lt_node *a = &after->node[i], *b = &before->node[i];

		KUNIT_EXPECT_PTR_EQ_MSG(test, a->res, b->res,
					"resource %u: %s %#llx-%#llx, was %s %#llx-%#llx",
					i, a->name, (u64)a->start, (u64)a->end,
					b->name, (u64)b->start, (u64)b->end);
		KUNIT_EXPECT_PTR_EQ_MSG(test, a->parent, b->parent,
					"resource %u (%s) has another parent", i,
					b->name);
		KUNIT_EXPECT_EQ_MSG(test, a->start, b->start, "resource %u", i);
		KUNIT_EXPECT_EQ_MSG(test, a->end, b->end, "resource %u", i);
		KUNIT_EXPECT_EQ_MSG(test, a->flags, b->flags, "resource %u", i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, a->name, b->name, "resource %u",
					i);
	}
	for (i = before->nr; i < after->nr; i++)
		KUNIT_FAIL(test, "left in iomem: %s %#llx-%#llx",
			   after->node[i].name, (u64)after->node[i].start,
			   (u64)after->node[i].end);
}

static int lt_find(void *ctx, const struct pvbus_mmio_req *req,
		   resource_size_t *start)
{
	return pvbus_mmio_find(ctx, req, start);
}

/*
 * Legacy placement nests in what nobody claimed, like
 * request_mem_region(), and is stopped by a claim, a reservation, an
 * allocation of the bus, or a resource it would only partly cover.
 * Freeing it leaves the others' resources as they were.
 */
static void legacy_placement(struct kunit *test)
{
	const struct lt_case *c = test->param_value;
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-kunit-cfg", .size = SZ_8K,
		.align = c->align, .zone = PVBUS_MMIO_ANY,
		.min = c->min ? LT_BASE + c->min : 0,
	};
	struct pvbus_mmio_req bus_req = {
		.name = "pci-pvbus-kunit-bar", .size = c->bus_size,
		.zone = PVBUS_MMIO_ANY,
	};
	unsigned int turns = 0;
	struct lt_snap *before;
	struct resource *res;
	struct lt_fx *fx;
	int i;

	if (region_intersects(LT_BASE, LT_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", LT_BASE);

	fx = kunit_alloc_resource(test, lt_fx_init, lt_fx_free, GFP_KERNEL,
				  NULL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->space = pvbus_mmio_space_create("pci-pvbus-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(fx->space));
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(fx->space), 0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_add_window(fx->space, LT_BASE,
						    LT_SIZE), 0);
	for (i = 0; i < LT_NR_RES && c->res[i].size; i++)
		lt_add_res(test, fx, i, &c->res[i]);
	if (c->fb_size)
		KUNIT_ASSERT_EQ(test,
				pvbus_mmio_reserve(fx->space,
						   LT_BASE + c->fb_off,
						   c->fb_size,
						   PVBUS_RSV_FRAMEBUFFER,
						   "pci-pvbus-kunit-fb"), 0);
	if (c->bus_size) {
		fx->bus = pvbus_mmio_alloc(fx->space, &bus_req);
		KUNIT_ASSERT_FALSE(test, IS_ERR(fx->bus));
		KUNIT_ASSERT_EQ(test, (u64)fx->bus->start, LT_BASE);
	}

	before = lt_snap_take(test);
	res = __pci_pvbus_legacy_alloc(lt_find, fx->space, &req, &turns);
	if (c->nospc) {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(res), -ENOSPC);
		lt_snap_expect(test, before);
		return;
	}
	KUNIT_ASSERT_FALSE(test, IS_ERR(res));
	fx->win = res;
	KUNIT_EXPECT_EQ(test, (u64)res->start, LT_BASE + c->want);
	KUNIT_EXPECT_EQ(test, (u64)resource_size(res), (u64)SZ_8K);
	if (c->nest >= 0)
		KUNIT_EXPECT_PTR_EQ(test, res->parent, fx->res[c->nest]);
	else
		KUNIT_EXPECT_STREQ(test, res->parent->name,
				   "pci-pvbus-kunit high window");
	KUNIT_EXPECT_NULL(test, res->child);
	if (c->turns)
		KUNIT_EXPECT_LE(test, turns, c->turns);

	/* Freeing the window puts the tree back as it was, to the pointer. */
	pci_pvbus_legacy_free(res);
	fx->win = NULL;
	lt_snap_expect(test, before);

	/* So does destroying the space, for the others' resources. */
	if (fx->bus)
		KUNIT_EXPECT_EQ(test, pvbus_mmio_free(fx->space, fx->bus), 0);
	fx->bus = NULL;
	pvbus_mmio_space_destroy(fx->space);
	fx->space = NULL;
	if (!fx->res[0])
		return;
	KUNIT_EXPECT_PTR_EQ(test, fx->res[0]->parent, &iomem_resource);
	for (i = 1; i < LT_NR_RES && fx->res[i]; i++)
		KUNIT_EXPECT_PTR_EQ(test, fx->res[i]->parent, fx->res[i - 1]);
	KUNIT_EXPECT_NULL(test, fx->res[i - 1]->child);
}

static struct kunit_case pci_pvbus_legacy_cases[] = {
	KUNIT_CASE_PARAM(legacy_placement, lt_gen_params),
	{}
};

static struct kunit_suite pci_pvbus_legacy_suite = {
	.name = "pci_pvbus_legacy",
	.test_cases = pci_pvbus_legacy_cases,
};

kunit_test_suite(pci_pvbus_legacy_suite);

MODULE_DESCRIPTION("KUnit tests for the legacy placement of the pci-pvbus config window");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
