// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pvbus MMIO allocator.
 *
 * Every case builds its own space from scratch and hands it to a KUnit
 * resource, so a failing case destroys it (and with it every window,
 * reservation and allocation) just like a passing one.
 *
 * Test addresses stay away from where firmware usually puts things: low
 * windows in 0xc0000000-0xfbffffff, high windows from 0x800000000 up, and
 * the one space that is published into iomem_resource at 0x7e0000000000,
 * which is free on UML.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/pvbus.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "mmio_internal.h"

#define GIB4		0x100000000ULL
#define LOW_BASE	0xc0000000ULL
#define LOW_SIZE	0x3c000000ULL	/* up to 0xfbffffff */
#define HIGH_BASE	0x800000000ULL
#define TIB_BASE	0x10000000000ULL
#define PUB_BASE	0x7e0000000000ULL
#define PUB_SIZE	0x10000000ULL
#define TOP		((resource_size_t)~0ULL)

#define ADDR(x)		((unsigned long long)(x))

struct mmio_win {
	resource_size_t start;
	resource_size_t size;
};

struct mmio_rsv {
	resource_size_t start;
	resource_size_t size;
	enum pvbus_mmio_rsv kind;
};

/* ---- fixtures and helpers ------------------------------------------- */

static int space_res_init(struct kunit_resource *res, void *context)
{
	struct pvbus_mmio_space *space = pvbus_mmio_space_create(context);

	if (IS_ERR_OR_NULL(space))
		return space ? PTR_ERR(space) : -ENOMEM;
	res->data = space;
	return 0;
}

static void space_res_free(struct kunit_resource *res)
{
	pvbus_mmio_space_destroy(res->data);
}

static bool space_res_match(struct kunit *test, struct kunit_resource *res,
			    void *match_data)
{
	return res->free == space_res_free && res->data == match_data;
}

/* A new private space, destroyed when the test case ends. */
static struct pvbus_mmio_space *test_space(struct kunit *test)
{
	struct pvbus_mmio_space *space;

	space = kunit_alloc_resource(test, space_res_init, space_res_free,
				     GFP_KERNEL, (void *)"pvbus-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, space);
	return space;
}

/* Destroy @space now rather than at the end of the case. */
static void test_space_destroy(struct kunit *test,
			       struct pvbus_mmio_space *space)
{
	KUNIT_ASSERT_EQ(test, kunit_destroy_resource(test, space_res_match,
						     space), 0);
}

static void add_window(struct kunit *test, struct pvbus_mmio_space *space,
		       resource_size_t start, resource_size_t size)
{
	int ret = pvbus_mmio_add_window(space, start, size);

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "window %#llx+%#llx",
			    ADDR(start), ADDR(size));
}

static void add_windows(struct kunit *test, struct pvbus_mmio_space *space,
			const struct mmio_win *wins, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && wins[i].size; i++)
		add_window(test, space, wins[i].start, wins[i].size);
}

static void reserve(struct kunit *test, struct pvbus_mmio_space *space,
		    resource_size_t start, resource_size_t size,
		    enum pvbus_mmio_rsv kind)
{
	int ret = pvbus_mmio_reserve(space, start, size, kind, "kunit-rsv");

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reservation %#llx+%#llx kind %d",
			    ADDR(start), ADDR(size), kind);
}

/*
 * Allocate @req and expect it at @want; err != 0 expects that error
 * instead.  Returns the allocation or NULL.
 */
static struct resource *alloc_expect(struct kunit *test,
				     struct pvbus_mmio_space *space,
				     const struct pvbus_mmio_req *req,
				     int err, resource_size_t want)
{
	struct resource *res = pvbus_mmio_alloc(space, req);

	KUNIT_ASSERT_NOT_NULL_MSG(test, res, "alloc returned NULL");
	if (err) {
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(res),
				      "%s: expected %d, got [%#llx-%#llx]",
				      req && req->name ? req->name : "?", err,
				      IS_ERR(res) ? 0 : ADDR(res->start),
				      IS_ERR(res) ? 0 : ADDR(res->end));
		if (IS_ERR(res))
			KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(res), (long)err,
					    "%s", req && req->name ?
					    req->name : "?");
		return NULL;
	}

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(res),
			       "%s: expected %#llx, got error %ld",
			       req->name, ADDR(want), PTR_ERR(res));
	KUNIT_EXPECT_EQ_MSG(test, ADDR(res->start), ADDR(want),
			    "%s: got %#llx, want %#llx (size %#llx)",
			    req->name, ADDR(res->start), ADDR(want),
			    ADDR(req->size));
	KUNIT_EXPECT_EQ(test, ADDR(resource_size(res)), ADDR(req->size));
	return res;
}

static struct resource *alloc_at(struct kunit *test,
				 struct pvbus_mmio_space *space,
				 const struct pvbus_mmio_req *req,
				 resource_size_t want)
{
	return alloc_expect(test, space, req, 0, want);
}

static bool ranges_overlap(resource_size_t s1, resource_size_t e1,
			   resource_size_t s2, resource_size_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

static const char *zone_name(enum pvbus_mmio_zone zone)
{
	switch (zone) {
	case PVBUS_MMIO_LOW:
		return "low";
	case PVBUS_MMIO_HIGH:
		return "high";
	case PVBUS_MMIO_PREFER_HIGH:
		return "prefer-high";
	case PVBUS_MMIO_ANY:
		return "any";
	case PVBUS_MMIO_LEGACY:
		return "legacy";
	}
	return "bad";
}

/* ---- zones ---------------------------------------------------------- */

#define WIN_LOW		{ LOW_BASE, LOW_SIZE }
#define WIN_HIGH	{ HIGH_BASE, GIB4 }
#define WIN_HIGH_16M	{ HIGH_BASE, SZ_16M }
#define WIN_STRADDLE	{ 0xe0000000ULL, SZ_1G }	/* to 0x11fffffff */

struct zone_case {
	const char *desc;
	struct mmio_win wins[2];
	resource_size_t size, align, min;
	enum pvbus_mmio_zone zone;
	int err;
	resource_size_t start;
};

static const struct zone_case zone_cases[] = {
	{ "low window, low", { WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LOW, 0, LOW_BASE },
	{ "low window, high", { WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_HIGH, -ENOSPC },
	{ "low window, prefer-high", { WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_PREFER_HIGH, 0, LOW_BASE },
	{ "low window, any", { WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_ANY, 0, LOW_BASE },
	{ "low window, legacy", { WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LEGACY, 0, LOW_BASE },

	{ "high window, low", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LOW, -ENOSPC },
	{ "high window, high", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_HIGH, 0, HIGH_BASE },
	{ "high window, prefer-high", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_PREFER_HIGH, 0, HIGH_BASE },
	{ "high window, any", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_ANY, 0, HIGH_BASE },
	{ "high window, legacy", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LEGACY, 0, HIGH_BASE },

	{ "straddling window, low", { WIN_STRADDLE }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LOW, 0, 0xe0000000 },
	{ "straddling window, high", { WIN_STRADDLE }, SZ_16M, 0, 0,
	  PVBUS_MMIO_HIGH, 0, GIB4 },
	{ "straddling window, prefer-high", { WIN_STRADDLE }, SZ_16M, 0, 0,
	  PVBUS_MMIO_PREFER_HIGH, 0, GIB4 },
	{ "straddling window, any", { WIN_STRADDLE }, SZ_16M, 0, 0,
	  PVBUS_MMIO_ANY, 0, 0xe0000000 },

	/* The low part of the straddling window is exactly 512 MiB. */
	{ "straddling window, low part exactly full, low",
	  { WIN_STRADDLE }, SZ_512M, SZ_4K, 0, PVBUS_MMIO_LOW, 0, 0xe0000000 },
	{ "straddling window, high part exactly full, high",
	  { WIN_STRADDLE }, SZ_512M, SZ_4K, 0, PVBUS_MMIO_HIGH, 0, GIB4 },
	/* 768 MiB only fits across 4 GiB, which only ANY may do. */
	{ "straddling window, across 4G, low", { WIN_STRADDLE },
	  0x30000000, SZ_4K, 0, PVBUS_MMIO_LOW, -ENOSPC },
	{ "straddling window, across 4G, high", { WIN_STRADDLE },
	  0x30000000, SZ_4K, 0, PVBUS_MMIO_HIGH, -ENOSPC },
	{ "straddling window, across 4G, prefer-high", { WIN_STRADDLE },
	  0x30000000, SZ_4K, 0, PVBUS_MMIO_PREFER_HIGH, -ENOSPC },
	{ "straddling window, across 4G, any", { WIN_STRADDLE },
	  0x30000000, SZ_4K, 0, PVBUS_MMIO_ANY, 0, 0xe0000000 },
	{ "straddling window, across 4G, legacy", { WIN_STRADDLE },
	  0x30000000, SZ_4K, 0, PVBUS_MMIO_LEGACY, 0, 0xe0000000 },
	/* From min the lowest fit would end above 4 GiB. */
	{ "straddling window, min near 4G, low", { WIN_STRADDLE },
	  SZ_16M, SZ_4K, 0xff800000, PVBUS_MMIO_LOW, -ENOSPC },
	{ "straddling window, min near 4G, prefer-high", { WIN_STRADDLE },
	  SZ_16M, SZ_4K, 0xff800000, PVBUS_MMIO_PREFER_HIGH, 0, GIB4 },
	{ "straddling window, min near 4G, any", { WIN_STRADDLE },
	  SZ_16M, SZ_4K, 0xff800000, PVBUS_MMIO_ANY, 0, 0xff800000 },

	/* Windows added high first: ANY still takes the lowest address. */
	{ "high+low windows, low", { WIN_HIGH, WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LOW, 0, LOW_BASE },
	{ "high+low windows, high", { WIN_HIGH, WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_HIGH, 0, HIGH_BASE },
	{ "high+low windows, prefer-high", { WIN_HIGH, WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_PREFER_HIGH, 0, HIGH_BASE },
	{ "high+low windows, any", { WIN_HIGH, WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_ANY, 0, LOW_BASE },
	{ "high+low windows, legacy", { WIN_HIGH, WIN_LOW }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LEGACY, 0, LOW_BASE },

	/* 32 MiB does not fit the 16 MiB high window. */
	{ "low+small high windows, high", { WIN_LOW, WIN_HIGH_16M }, SZ_32M,
	  0, 0, PVBUS_MMIO_HIGH, -ENOSPC },
	{ "low+small high windows, prefer-high falls back",
	  { WIN_LOW, WIN_HIGH_16M }, SZ_32M, 0, 0, PVBUS_MMIO_PREFER_HIGH,
	  0, LOW_BASE },
};

static void zone_case_desc(const struct zone_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zone, zone_cases, zone_case_desc);

/* Each zone picks the lowest fit in its part of the windows. */
static void alloc_zone_placement(struct kunit *test)
{
	const struct zone_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "zone", .size = c->size, .align = c->align,
		.min = c->min, .zone = c->zone,
	};

	add_windows(test, space, c->wins, ARRAY_SIZE(c->wins));
	alloc_expect(test, space, &req, c->err, c->start);
}

/* ---- min / max ------------------------------------------------------ */

struct minmax_case {
	const char *desc;
	resource_size_t size, align, min, max;
	int err;
	resource_size_t start;
};

/* One window, [0xc0000000, 0xfbffffff]. */
static const struct minmax_case minmax_cases[] = {
	{ "min inside window", SZ_1M, 0, 0xd0000000, 0, 0, 0xd0000000 },
	{ "unaligned min rounds up", SZ_1M, 0, 0xd0000001, 0, 0, 0xd0100000 },
	{ "min below window", SZ_1M, 0, 0x1000, 0, 0, LOW_BASE },
	{ "min, no max, window tail", SZ_1M, 0, 0xfbf00000, 0, 0, 0xfbf00000 },
	{ "max above window", SZ_1M, 0, 0xfbf00000, 0xffffffff, 0, 0xfbf00000 },
	{ "max is the last byte", SZ_1M, 0, 0, 0xc00fffff, 0, LOW_BASE },
	{ "max one byte short", SZ_1M, 0, 0, 0xc00ffffe, -ENOSPC },
	{ "min and max exact", SZ_1M, 0, 0xd0000000, 0xd00fffff, 0, 0xd0000000 },
	{ "min and max one byte short", SZ_1M, 0, 0xd0000000, 0xd00ffffe,
	  -ENOSPC },
	{ "min and max narrower than size", SZ_1M, SZ_4K, 0xd0000000,
	  0xd007ffff, -ENOSPC },
	{ "aligned start is the last fit", SZ_1M, 0, 0xd0000800, 0xd01fffff,
	  0, 0xd0100000 },
	{ "aligned start ends past max", SZ_1M, 0, 0xd0000800, 0xd01ffffe,
	  -ENOSPC },
	{ "min beyond window", SZ_1M, 0, 0xfc000000, 0, -ENOSPC },
	{ "max below window", SZ_1M, 0, 0, 0xbfffffff, -ENOSPC },
	{ "past min only the window tail, too small", SZ_1M, SZ_4K,
	  0xfbf00001, 0, -ENOSPC },
};

static void minmax_case_desc(const struct minmax_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(minmax, minmax_cases, minmax_case_desc);

/*
 * min and max bound the whole allocation.  An allocator that compared
 * only the start against max would return 0xc0000000/0xd0000000 for the
 * "one byte short" rows, and one that did not round min up to the
 * alignment would return a start below 0xd0100000.
 */
static void alloc_min_max_clamp(struct kunit *test)
{
	const struct minmax_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "minmax", .size = c->size, .align = c->align,
		.min = c->min, .max = c->max, .zone = PVBUS_MMIO_LOW,
	};

	add_window(test, space, LOW_BASE, LOW_SIZE);
	alloc_expect(test, space, &req, c->err, c->start);
}

/* ---- alignment ------------------------------------------------------ */

struct align_case {
	const char *desc;
	resource_size_t size, align, start;
};

/* One window, [0xc0001000, 0xfbffffff]: only 4 KiB aligned. */
static const struct align_case align_cases[] = {
	{ "natural, 4K", SZ_4K, 0, 0xc0001000 },
	{ "natural, 12K rounds to 16K", 0x3000, 0, 0xc0004000 },
	{ "natural, 1 byte", 1, 0, 0xc0001000 },
	{ "natural, 1M", SZ_1M, 0, 0xc0100000 },
	{ "natural, 1.5M rounds to 2M", 0x180000, 0, 0xc0200000 },
	{ "explicit 1", 0x3000, 1, 0xc0001000 },
	{ "explicit 4K, size 12K", 0x3000, SZ_4K, 0xc0001000 },
	{ "explicit 8K, smaller than size", SZ_1M, SZ_8K, 0xc0002000 },
	{ "explicit 256M, larger than size", SZ_4K, SZ_256M, 0xd0000000 },
};

static void align_case_desc(const struct align_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(align, align_cases, align_case_desc);

static void alloc_alignment(struct kunit *test)
{
	const struct align_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "align", .size = c->size, .align = c->align,
		.zone = PVBUS_MMIO_LOW,
	};

	add_window(test, space, LOW_BASE + SZ_4K, LOW_SIZE - SZ_4K);
	alloc_at(test, space, &req, c->start);
}

/* ---- reservations --------------------------------------------------- */

/* The reservation every shape runs into: [0xc1000000, 0xc1ffffff]. */
#define AV_RSV_START	0xc1000000ULL
#define AV_RSV_SIZE	SZ_16M

struct avoid_shape {
	const char *desc;
	resource_size_t size, align, min, start;
};

/*
 * Without the reservation each request would land at its min, which puts
 * it as the name says.  With it, the next aligned start past the
 * reservation is 0xc2000000.
 */
static const struct avoid_shape avoid_shapes[] = {
	{ "starts in it", SZ_16M, SZ_8M, 0xc1800000, 0xc2000000 },
	{ "ends in it", SZ_16M, SZ_8M, 0xc0800000, 0xc2000000 },
	{ "straddles it", SZ_32M, SZ_8M, 0xc0800000, 0xc2000000 },
	{ "wholly inside it", SZ_4M, SZ_4M, 0xc1400000, 0xc2000000 },
	{ "ends at its last byte", SZ_16M + SZ_8M, SZ_8M, 0xc0800000,
	  0xc2000000 },
	{ "starts at its last byte", SZ_8M, 1, 0xc1ffffff, 0xc2000000 },
	{ "ends just below it", SZ_8M, SZ_8M, 0xc0800000, 0xc0800000 },
};

/* A framebuffer around the reservation, [0xc0000000, 0xc3ffffff]. */
enum avoid_fb {
	AV_NO_FB,
	AV_FB_BEFORE,		/* reserved before the reservation */
	AV_FB_AFTER,		/* reserved after it */
};

struct avoid_kind {
	const char *desc;
	enum pvbus_mmio_rsv kind;
	bool fb_ok;
	enum avoid_fb fb;
};

/*
 * With a framebuffer around it, an fb_overlap_ok request lands inside the
 * framebuffer at the same address, so the shapes and their results hold
 * for every kind.
 */
static const struct avoid_kind avoid_kinds[] = {
	{ "framebuffer", PVBUS_RSV_FRAMEBUFFER, false },
	{ "firmware", PVBUS_RSV_FIRMWARE, false },
	{ "host", PVBUS_RSV_HOST, false },
	{ "firmware, fb_overlap_ok", PVBUS_RSV_FIRMWARE, true },
	{ "host, fb_overlap_ok", PVBUS_RSV_HOST, true },
	{ "firmware in an older framebuffer, fb_overlap_ok",
	  PVBUS_RSV_FIRMWARE, true, AV_FB_BEFORE },
	{ "host in an older framebuffer, fb_overlap_ok", PVBUS_RSV_HOST, true,
	  AV_FB_BEFORE },
	{ "firmware in a newer framebuffer, fb_overlap_ok",
	  PVBUS_RSV_FIRMWARE, true, AV_FB_AFTER },
	{ "host in a newer framebuffer, fb_overlap_ok", PVBUS_RSV_HOST, true,
	  AV_FB_AFTER },
};

/* Every shape against every kind; filled in as the cases are generated. */
static struct avoid_case {
	const struct avoid_kind *kind;
	const struct avoid_shape *shape;
} avoid_cases[ARRAY_SIZE(avoid_kinds) * ARRAY_SIZE(avoid_shapes)];

static const void *avoid_gen_params(const void *prev, char *desc)
{
	const struct avoid_case *c = prev;
	size_t i = c ? c - avoid_cases + 1 : 0;

	if (i >= ARRAY_SIZE(avoid_cases))
		return NULL;
	avoid_cases[i].kind = &avoid_kinds[i / ARRAY_SIZE(avoid_shapes)];
	avoid_cases[i].shape = &avoid_shapes[i % ARRAY_SIZE(avoid_shapes)];
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s",
		 avoid_cases[i].kind->desc, avoid_cases[i].shape->desc);
	return &avoid_cases[i];
}

/*
 * An allocation never overlaps a reservation it may not use.  The
 * "straddles it" rows fail if the overlap test only looks at whether the
 * start or the end of the candidate lies inside the reservation: the
 * candidate 0xc0800000-0xc27fffff has neither inside
 * 0xc1000000-0xc1ffffff, so such an allocator returns 0xc0800000.  For
 * plain requests a resource tree holding the reservation catches that by
 * itself; a firmware or host range inside an older framebuffer is not in
 * the tree apart from the framebuffer, so for fb_overlap_ok requests only
 * the allocator's own overlap test keeps them off it.
 */
static void alloc_avoids_reservation(struct kunit *test)
{
	const struct avoid_case *c = test->param_value;
	const struct avoid_shape *shape = c->shape;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "avoid", .size = shape->size, .align = shape->align,
		.min = shape->min, .zone = PVBUS_MMIO_LOW,
		.fb_overlap_ok = c->kind->fb_ok,
	};

	add_window(test, space, LOW_BASE, LOW_SIZE);
	if (c->kind->fb == AV_FB_BEFORE)
		reserve(test, space, LOW_BASE, SZ_64M, PVBUS_RSV_FRAMEBUFFER);
	reserve(test, space, AV_RSV_START, AV_RSV_SIZE, c->kind->kind);
	if (c->kind->fb == AV_FB_AFTER)
		reserve(test, space, LOW_BASE, SZ_64M, PVBUS_RSV_FRAMEBUFFER);
	alloc_at(test, space, &req, shape->start);
}

/* Framebuffer [0xd0000000, 0xd0ffffff] in window [0xc0000000, 0xfbffffff]. */
#define FB_START	0xd0000000ULL
#define FB_SIZE		SZ_16M

struct fb_case {
	const char *desc;
	resource_size_t size, align, min, start;
	struct mmio_rsv extra;		/* size 0: none */
	bool extra_first;		/* reserve @extra before the fb */
};

#define FB_EXTRA(s, n, k)	.extra = { s, n, PVBUS_RSV_ ## k }

static const struct fb_case fb_cases[] = {
	{ "lands at the framebuffer start", SZ_4M, 0, 0, FB_START },
	{ "honours min inside the framebuffer", SZ_4M, 0, 0xd0800000,
	  0xd0800000 },
	{ "exactly the framebuffer", SZ_16M, 0, 0, FB_START },
	{ "too big for the framebuffer goes below it", SZ_32M, 0, 0,
	  LOW_BASE },
	/* Candidates 0xcf000000 and 0xd0000000 would each half overlap. */
	{ "never partly in the framebuffer", SZ_32M, SZ_16M, 0xcf000000,
	  0xd1000000 },
	/* Wholly inside the second, not the first. */
	{ "in the later of two overlapping framebuffers", SZ_16M, SZ_8M,
	  0xd0800000, 0xd0800000, FB_EXTRA(0xd0800000, SZ_16M, FRAMEBUFFER) },
	/* Screen first, then all of VRAM around it. */
	{ "in a framebuffer around an earlier, smaller one", SZ_16M, 0, 0,
	  FB_START, FB_EXTRA(0xd0400000, SZ_4M, FRAMEBUFFER), true },
};

static void fb_case_desc(const struct fb_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fb, fb_cases, fb_case_desc);

/* The framebuffer, @c's extra reservation, and an fb request at @c. */
static void fb_case_run(struct kunit *test, const struct fb_case *c)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "fb", .size = c->size, .align = c->align,
		.min = c->min, .zone = PVBUS_MMIO_LOW, .fb_overlap_ok = true,
	};

	add_window(test, space, LOW_BASE, LOW_SIZE);
	if (c->extra.size && c->extra_first)
		reserve(test, space, c->extra.start, c->extra.size,
			c->extra.kind);
	reserve(test, space, FB_START, FB_SIZE, PVBUS_RSV_FRAMEBUFFER);
	if (c->extra.size && !c->extra_first)
		reserve(test, space, c->extra.start, c->extra.size,
			c->extra.kind);
	alloc_at(test, space, &req, c->start);
}

/*
 * fb_overlap_ok tries the framebuffer first (the window below it is free
 * and lower) and goes wholly inside one framebuffer reservation, else
 * allocates as if it were not set.
 */
static void alloc_fb_overlap_ok_framebuffer_first(struct kunit *test)
{
	fb_case_run(test, test->param_value);
}

/* A second fb request goes right after the first, a plain one below it. */
static void alloc_fb_overlap_ok_packs_framebuffer(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req fb = {
		.name = "fb", .size = SZ_4M, .zone = PVBUS_MMIO_ANY,
		.fb_overlap_ok = true,
	};
	struct pvbus_mmio_req plain = {
		.name = "plain", .size = SZ_4M, .zone = PVBUS_MMIO_ANY,
	};

	add_window(test, space, LOW_BASE, LOW_SIZE);
	reserve(test, space, FB_START, FB_SIZE, PVBUS_RSV_FRAMEBUFFER);
	alloc_at(test, space, &fb, FB_START);
	alloc_at(test, space, &plain, LOW_BASE);
	alloc_at(test, space, &fb, FB_START + SZ_4M);
	alloc_at(test, space, &fb, FB_START + SZ_8M);
	alloc_at(test, space, &fb, FB_START + SZ_8M + SZ_4M);
	/* The framebuffer is full: the next one goes to the free space. */
	alloc_at(test, space, &fb, LOW_BASE + SZ_4M);
}

static const struct fb_case fb_rsv_cases[] = {
	{ "host over the framebuffer head", SZ_4M, 0, 0, 0xd0800000,
	  FB_EXTRA(FB_START, SZ_8M, HOST) },
	{ "host over the framebuffer head, reserved first", SZ_4M, 0, 0,
	  0xd0800000, FB_EXTRA(FB_START, SZ_8M, HOST), true },
	{ "host over the framebuffer tail, fit only below", SZ_8M, 0, 0,
	  LOW_BASE, FB_EXTRA(FB_START + SZ_4M, SZ_16M, HOST) },
	{ "firmware in the framebuffer middle", SZ_8M, SZ_4M, 0, 0xd0800000,
	  FB_EXTRA(FB_START + SZ_4M, SZ_4M, FIRMWARE) },
	{ "firmware in the framebuffer middle, reserved first", SZ_8M, SZ_4M,
	  0, 0xd0800000, FB_EXTRA(FB_START + SZ_4M, SZ_4M, FIRMWARE), true },
	{ "host covers the framebuffer", SZ_4M, 0, 0, LOW_BASE,
	  FB_EXTRA(FB_START, FB_SIZE, HOST) },
	{ "host covers the framebuffer, reserved first", SZ_4M, 0, 0,
	  LOW_BASE, FB_EXTRA(FB_START, FB_SIZE, HOST), true },
	{ "firmware covers the framebuffer and more", SZ_4M, 0, 0xcfc00000,
	  0xd1400000, FB_EXTRA(FB_START - SZ_1M, FB_SIZE + SZ_2M, FIRMWARE) },
};

KUNIT_ARRAY_PARAM(fb_rsv, fb_rsv_cases, fb_case_desc);

/* FIRMWARE and HOST ranges are never handed out, not even to fb requests. */
static void alloc_fb_overlap_ok_avoids_firmware_host(struct kunit *test)
{
	fb_case_run(test, test->param_value);
}

struct outside_case {
	const char *desc;
	struct mmio_rsv rsv;
	bool fb_ok;
	resource_size_t min;
	int err;
	resource_size_t start;
};

/* One window [0xc0000000, 0xcfffffff]; requests of 1 MiB. */
static const struct outside_case outside_cases[] = {
	{ "host from below into the window",
	  { 0xbff00000, SZ_2M, PVBUS_RSV_HOST }, false, 0, 0, 0xc0100000 },
	{ "firmware from the window tail beyond it",
	  { 0xcff00000, SZ_2M, PVBUS_RSV_FIRMWARE }, false, 0xcfe00000, 0,
	  0xcfe00000 },
	{ "firmware from the window tail beyond it, no room",
	  { 0xcff00000, SZ_2M, PVBUS_RSV_FIRMWARE }, false, 0xcff00000,
	  -ENOSPC },
	{ "framebuffer from below into the window",
	  { 0xbf000000, SZ_32M, PVBUS_RSV_FRAMEBUFFER }, false, 0, 0,
	  0xc1000000 },
	{ "framebuffer from below into the window, fb_overlap_ok",
	  { 0xbf000000, SZ_32M, PVBUS_RSV_FRAMEBUFFER }, true, 0, 0,
	  LOW_BASE },
	{ "host wholly below the window",
	  { 0xb0000000, SZ_256M, PVBUS_RSV_HOST }, false, 0, 0, LOW_BASE },
	{ "host over the whole window and beyond",
	  { 0xbf000000, 0x12000000, PVBUS_RSV_HOST }, false, 0, -ENOSPC },
};

static void outside_case_desc(const struct outside_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(outside, outside_cases, outside_case_desc);

/* Only the part of a reservation inside a window matters there. */
static void alloc_reservation_partly_outside_window(struct kunit *test)
{
	const struct outside_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "outside", .size = SZ_1M, .min = c->min,
		.zone = PVBUS_MMIO_LOW, .fb_overlap_ok = c->fb_ok,
	};

	add_window(test, space, LOW_BASE, SZ_256M);
	reserve(test, space, c->rsv.start, c->rsv.size, c->rsv.kind);
	alloc_expect(test, space, &req, c->err, c->start);
}

/* Reservations made before their window exists still apply. */
static void alloc_reservation_before_window(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req plain = {
		.name = "plain", .size = SZ_16M, .zone = PVBUS_MMIO_LOW,
	};
	struct pvbus_mmio_req fb = {
		.name = "fb", .size = SZ_16M, .zone = PVBUS_MMIO_LOW,
		.fb_overlap_ok = true,
	};

	reserve(test, space, LOW_BASE, SZ_16M, PVBUS_RSV_HOST);
	reserve(test, space, LOW_BASE + SZ_32M, SZ_16M,
		PVBUS_RSV_FRAMEBUFFER);
	reserve(test, space, LOW_BASE + SZ_64M, SZ_16M, PVBUS_RSV_FIRMWARE);
	add_window(test, space, LOW_BASE, SZ_256M);

	alloc_at(test, space, &plain, LOW_BASE + SZ_16M);
	alloc_at(test, space, &plain, LOW_BASE + SZ_32M + SZ_16M);
	alloc_at(test, space, &plain, LOW_BASE + SZ_64M + SZ_16M);
	alloc_at(test, space, &fb, LOW_BASE + SZ_32M);
}

struct busy_rsv_case {
	const char *desc;
	struct mmio_rsv rsv;
	int err;
};

/* A live allocation at [0xc0100000, 0xc01fffff]. */
static const struct busy_rsv_case busy_rsv_cases[] = {
	{ "host over its head", { 0xc00ff000, SZ_8K, PVBUS_RSV_HOST },
	  -EBUSY },
	{ "firmware over its tail", { 0xc01ff000, SZ_8K, PVBUS_RSV_FIRMWARE },
	  -EBUSY },
	{ "framebuffer over its last byte",
	  { 0xc01fffff, 1, PVBUS_RSV_FRAMEBUFFER }, -EBUSY },
	{ "host inside it", { 0xc0140000, SZ_4K, PVBUS_RSV_HOST }, -EBUSY },
	{ "firmware around it", { LOW_BASE, SZ_4M, PVBUS_RSV_FIRMWARE },
	  -EBUSY },
	{ "framebuffer exactly on it",
	  { 0xc0100000, SZ_1M, PVBUS_RSV_FRAMEBUFFER }, -EBUSY },
	{ "host just below it", { 0xc00ff000, SZ_4K, PVBUS_RSV_HOST }, 0 },
	{ "framebuffer just above it",
	  { 0xc0200000, SZ_1M, PVBUS_RSV_FRAMEBUFFER }, 0 },
};

static void busy_rsv_case_desc(const struct busy_rsv_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(busy_rsv, busy_rsv_cases, busy_rsv_case_desc);

/*
 * A reservation over a live allocation is refused with -EBUSY and not
 * recorded: once the allocation is freed its range is handed out again.
 */
static void reserve_over_allocation_busy(struct kunit *test)
{
	const struct busy_rsv_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req req = {
		.name = "live", .size = SZ_1M, .min = 0xc0100000,
		.zone = PVBUS_MMIO_LOW,
	};
	struct resource *res;

	add_window(test, space, LOW_BASE, SZ_256M);
	res = alloc_at(test, space, &req, 0xc0100000);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_reserve(space, c->rsv.start,
						 c->rsv.size, c->rsv.kind,
						 "kunit-rsv"), c->err);
	if (c->err) {
		pvbus_mmio_free(space, res);
		alloc_at(test, space, &req, 0xc0100000);
	}
}

/* ---- exhaustion and reuse ------------------------------------------- */

/*
 * Failing requests of every kind leave the space as it was: the next
 * request lands exactly where it would have without them.
 */
static void alloc_enospc_leaves_space_unchanged(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req one = {
		.name = "one", .size = SZ_1M, .zone = PVBUS_MMIO_LOW,
	};
	struct pvbus_mmio_req big = {
		.name = "big", .size = SZ_16M, .zone = PVBUS_MMIO_LOW,
	};
	struct pvbus_mmio_req tail = {
		.name = "tail", .size = SZ_1M, .min = LOW_BASE + SZ_16M - SZ_1M + 1,
		.zone = PVBUS_MMIO_LOW,
	};
	struct pvbus_mmio_req high = {
		.name = "high", .size = SZ_1M, .zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_req fb = {
		.name = "fb", .size = SZ_8M, .zone = PVBUS_MMIO_LOW,
		.fb_overlap_ok = true,
	};
	struct pvbus_mmio_req page = {
		.name = "page", .size = SZ_4K, .zone = PVBUS_MMIO_ANY,
	};
	unsigned int i;

	/* 16 MiB window, its top 4 MiB a framebuffer. */
	add_window(test, space, LOW_BASE, SZ_16M);
	reserve(test, space, LOW_BASE + SZ_16M - SZ_4M, SZ_4M,
		PVBUS_RSV_FRAMEBUFFER);

	alloc_at(test, space, &one, LOW_BASE);
	alloc_expect(test, space, &big, -ENOSPC, 0);
	alloc_expect(test, space, &tail, -ENOSPC, 0);
	alloc_expect(test, space, &high, -ENOSPC, 0);
	alloc_expect(test, space, &fb, -ENOSPC, 0);
	alloc_at(test, space, &one, LOW_BASE + SZ_1M);

	/* Fill the 12 MiB below the framebuffer. */
	for (i = 2; i < 12; i++)
		alloc_at(test, space, &one, LOW_BASE + i * SZ_1M);
	alloc_expect(test, space, &one, -ENOSPC, 0);
	alloc_expect(test, space, &page, -ENOSPC, 0);
	alloc_expect(test, space, &big, -ENOSPC, 0);
	/* The framebuffer is still there, untouched by the failures. */
	fb.size = SZ_4M;
	alloc_at(test, space, &fb, LOW_BASE + SZ_16M - SZ_4M);
	alloc_expect(test, space, &fb, -ENOSPC, 0);
}

/* Freeing and allocating the same request again reuses its address. */
static void alloc_free_reuses_address(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req one = {
		.name = "one", .size = SZ_1M, .zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_req two = {
		.name = "two", .size = SZ_2M, .align = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct resource *a, *b, *c;

	add_window(test, space, HIGH_BASE, SZ_1G);
	a = alloc_at(test, space, &one, HIGH_BASE);
	b = alloc_at(test, space, &one, HIGH_BASE + SZ_1M);
	c = alloc_at(test, space, &one, HIGH_BASE + SZ_2M);

	pvbus_mmio_free(space, b);
	b = alloc_at(test, space, &one, HIGH_BASE + SZ_1M);

	pvbus_mmio_free(space, c);
	c = alloc_at(test, space, &one, HIGH_BASE + SZ_2M);

	/* Two adjacent holes merge into one that fits 2 MiB. */
	pvbus_mmio_free(space, a);
	pvbus_mmio_free(space, b);
	a = alloc_at(test, space, &two, HIGH_BASE);

	pvbus_mmio_free(space, a);
	pvbus_mmio_free(space, c);
	alloc_at(test, space, &one, HIGH_BASE);
}

/* ---- argument checking ---------------------------------------------- */

struct alloc_inval_case {
	const char *desc;
	struct pvbus_mmio_req req;
	bool null_req;
};

#define RQ(...)	{ .name = "inval", __VA_ARGS__ }

static const struct alloc_inval_case alloc_inval_cases[] = {
	{ "size 0", RQ(.size = 0) },
	{ "align 3", RQ(.size = SZ_4K, .align = 3) },
	{ "align 12K", RQ(.size = SZ_4K, .align = 0x3000) },
	{ "align all ones", RQ(.size = SZ_4K, .align = TOP) },
	{ "min above max", RQ(.size = SZ_4K, .min = 0xd0000000,
			       .max = 0xcfffffff) },
	{ "natural alignment overflows", RQ(.size = (1ULL << 63) + 1) },
	{ "min + size - 1 wraps", RQ(.size = SZ_8K, .align = SZ_4K,
				      .min = TOP - SZ_4K + 1) },
	{ "min + size - 1 wraps, max 0", RQ(.size = 2, .align = 1,
					     .min = TOP) },
	{ "bad zone", RQ(.size = SZ_4K, .zone = PVBUS_MMIO_LEGACY + 1) },
	{ "bad zone, all ones", RQ(.size = SZ_4K,
				   .zone = (enum pvbus_mmio_zone)~0U) },
	{ "NULL name", { .size = SZ_4K } },
	{ "NULL req", { }, true },
};

static void alloc_inval_case_desc(const struct alloc_inval_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(alloc_inval, alloc_inval_cases, alloc_inval_case_desc);

static void alloc_invalid_request(struct kunit *test)
{
	const struct alloc_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req page = {
		.name = "page", .size = SZ_4K, .zone = PVBUS_MMIO_ANY,
	};
	struct resource *res;

	add_window(test, space, LOW_BASE, LOW_SIZE);
	add_window(test, space, HIGH_BASE, GIB4);
	res = pvbus_mmio_alloc(space, c->null_req ? NULL : &c->req);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(res), (long)-EINVAL);
	/* Nothing was taken. */
	alloc_at(test, space, &page, LOW_BASE);
}

struct range_inval_case {
	const char *desc;
	resource_size_t start, size;
	unsigned int kind;
	const char *name;
	int err;
};

static const struct range_inval_case window_inval_cases[] = {
	{ "size 0", LOW_BASE, 0, 0, NULL, -EINVAL },
	{ "end wraps", TOP - SZ_4K + 1, SZ_8K, 0, NULL, -EINVAL },
	{ "end wraps to 0", TOP - SZ_4K + 1, SZ_4K + 1, 0, NULL, -EINVAL },
	{ "all ones from 2", 2, TOP, 0, NULL, -EINVAL },
	{ "ends at the top", TOP - SZ_4K + 1, SZ_4K, 0, NULL, 0 },
	{ "all ones from 1", 1, TOP, 0, NULL, 0 },
};

static void range_inval_case_desc(const struct range_inval_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(window_inval, window_inval_cases, range_inval_case_desc);

/* Bad windows are refused; one ending exactly at the top is fine. */
static void add_window_invalid(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);

	KUNIT_EXPECT_EQ(test, pvbus_mmio_add_window(space, c->start, c->size),
			c->err);
}

static const struct range_inval_case rsv_inval_cases[] = {
	{ "size 0", LOW_BASE, 0, PVBUS_RSV_HOST, "r", -EINVAL },
	{ "end wraps", TOP - SZ_4K + 1, SZ_8K, PVBUS_RSV_HOST, "r", -EINVAL },
	{ "all ones from 2", 2, TOP, PVBUS_RSV_FIRMWARE, "r", -EINVAL },
	{ "NULL name", LOW_BASE, SZ_4K, PVBUS_RSV_HOST, NULL, -EINVAL },
	{ "bad kind", LOW_BASE, SZ_4K, PVBUS_RSV_HOST + 1, "r", -EINVAL },
	{ "bad kind, all ones", LOW_BASE, SZ_4K, ~0U, "r", -EINVAL },
	{ "ends at the top", TOP - SZ_4K + 1, SZ_4K, PVBUS_RSV_HOST, "r", 0 },
};

KUNIT_ARRAY_PARAM(rsv_inval, rsv_inval_cases, range_inval_case_desc);

/*
 * Bad reservations are refused and leave nothing behind: the window is
 * still wholly available afterwards.
 */
static void reserve_invalid(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req all = {
		.name = "all", .size = SZ_256M, .zone = PVBUS_MMIO_LOW,
	};

	add_window(test, space, LOW_BASE, SZ_256M);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_reserve(space, c->start, c->size,
						 (enum pvbus_mmio_rsv)c->kind,
						 c->name), c->err);
	alloc_at(test, space, &all, LOW_BASE);
}

static const struct range_inval_case window_busy_cases[] = {
	{ "identical", 0xc0000000, SZ_256M, 0, NULL, -EBUSY },
	{ "over its start", 0xbf000000, SZ_32M, 0, NULL, -EBUSY },
	{ "over its end", 0xcf000000, SZ_32M, 0, NULL, -EBUSY },
	{ "inside it", 0xc4000000, SZ_16M, 0, NULL, -EBUSY },
	{ "around it", 0xb0000000, SZ_1G, 0, NULL, -EBUSY },
	{ "its first byte", 0xc0000000, 1, 0, NULL, -EBUSY },
	{ "its last byte", 0xcfffffff, 1, 0, NULL, -EBUSY },
	{ "adjacent below", 0xb0000000, SZ_256M, 0, NULL, 0 },
	{ "adjacent above", 0xd0000000, SZ_256M, 0, NULL, 0 },
};

KUNIT_ARRAY_PARAM(window_busy, window_busy_cases, range_inval_case_desc);

/* A window overlapping one of the space's windows is refused. */
static void add_window_overlap_busy(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = test_space(test);

	add_window(test, space, LOW_BASE, SZ_256M);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_add_window(space, c->start, c->size),
			c->err);
}

/* ---- the returned resource ------------------------------------------ */

/* The name is copied, the flags say MEM, and the parent is the window. */
static void alloc_resource_fields(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	char name[16] = "bar0";
	struct pvbus_mmio_req req = {
		.name = name, .size = 0x3000, .zone = PVBUS_MMIO_HIGH,
	};
	struct resource *hi, *lo;

	add_window(test, space, LOW_BASE, LOW_SIZE);
	add_window(test, space, HIGH_BASE, GIB4);
	hi = alloc_at(test, space, &req, HIGH_BASE);
	strscpy(name, "bar1", sizeof(name));
	req.zone = PVBUS_MMIO_LOW;
	lo = alloc_at(test, space, &req, LOW_BASE);
	strscpy(name, "gone", sizeof(name));

	KUNIT_EXPECT_STREQ(test, hi->name, "bar0");
	KUNIT_EXPECT_STREQ(test, lo->name, "bar1");
	KUNIT_EXPECT_PTR_NE(test, hi->name, (const char *)name);
	KUNIT_EXPECT_TRUE(test, hi->flags & IORESOURCE_MEM);
	KUNIT_EXPECT_TRUE(test, lo->flags & IORESOURCE_MEM);
	KUNIT_EXPECT_EQ(test, ADDR(resource_size(hi)), 0x3000ULL);

	KUNIT_ASSERT_NOT_NULL(test, hi->parent);
	KUNIT_EXPECT_EQ(test, ADDR(hi->parent->start), HIGH_BASE);
	KUNIT_EXPECT_EQ(test, ADDR(hi->parent->end), HIGH_BASE + GIB4 - 1);
	KUNIT_ASSERT_NOT_NULL(test, lo->parent);
	KUNIT_EXPECT_EQ(test, ADDR(lo->parent->start), LOW_BASE);
	KUNIT_EXPECT_EQ(test, ADDR(lo->parent->end), LOW_BASE + LOW_SIZE - 1);
}

/* ---- iomem_resource ------------------------------------------------- */

/*
 * Look for a resource called @name spanning [@start, @end] among the
 * children of @parent (and their descendants if @deep).  resource_lock is
 * not exported; nothing else changes iomem while this case runs.
 */
static bool iomem_find(const struct resource *parent, const char *name,
		       resource_size_t start, resource_size_t end, bool deep)
{
	const struct resource *p;

	for (p = parent->child; p; p = p->sibling) {
		if (p->start == start && p->end == end && p->name &&
		    !strcmp(p->name, name))
			return true;
		if (deep && iomem_find(p, name, start, end, true))
			return true;
	}
	return false;
}

static void expect_iomem_free(struct kunit *test, resource_size_t start,
			      resource_size_t size)
{
	struct resource *probe;

	KUNIT_EXPECT_EQ(test, region_intersects(start, size, 0,
						IORES_DESC_NONE),
			REGION_DISJOINT);
	probe = request_mem_region(start, size, "pvbus-kunit-probe");
	KUNIT_EXPECT_NOT_NULL(test, probe);
	if (probe)
		release_mem_region(start, size);
}

/* A space that was never published stays out of iomem_resource. */
static void space_private_not_in_iomem(struct kunit *test)
{
	struct pvbus_mmio_space *space;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bar", .size = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	space = test_space(test);
	add_window(test, space, PUB_BASE, PUB_SIZE);
	reserve(test, space, PUB_BASE + SZ_16M, SZ_16M, PVBUS_RSV_HOST);
	alloc_at(test, space, &req, PUB_BASE);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* Publishing is only allowed before the first window. */
static void space_publish_after_window_busy(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);

	add_window(test, space, LOW_BASE, LOW_SIZE);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_space_publish(space), -EBUSY);
}

/*
 * A published space shows its windows, reservations and allocations in
 * iomem_resource by name; destroying it leaves iomem as it was.
 */
static void space_publish_destroy_restores_iomem(struct kunit *test)
{
	struct pvbus_mmio_space *space;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bar", .size = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	const resource_size_t rsv = PUB_BASE + SZ_16M;
	struct resource *res;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);

	space = test_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	add_window(test, space, PUB_BASE, PUB_SIZE);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space, rsv, SZ_16M,
						 PVBUS_RSV_FRAMEBUFFER,
						 "pvbus-kunit-fb"), 0);
	res = alloc_at(test, space, &req, PUB_BASE);

	KUNIT_EXPECT_NE(test, region_intersects(PUB_BASE, PUB_SIZE, 0,
						IORES_DESC_NONE),
			REGION_DISJOINT);
	KUNIT_ASSERT_NOT_NULL(test, res->parent);
	KUNIT_ASSERT_NOT_NULL(test, res->parent->name);
	KUNIT_EXPECT_TRUE_MSG(test, iomem_find(&iomem_resource,
					       res->parent->name, PUB_BASE,
					       PUB_BASE + PUB_SIZE - 1, false),
			      "window \"%s\" not a child of iomem_resource",
			      res->parent->name);
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-fb",
					   rsv, rsv + SZ_16M - 1, true));
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, req.name,
					   PUB_BASE, PUB_BASE + SZ_1M - 1,
					   true));

	test_space_destroy(test, space);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* ---- legacy placement ----------------------------------------------- */

/*
 * A resource of someone else's in the published window, at PUB_BASE +
 * @off: @busy is a driver's claim (request_mem_region()), else one nobody
 * claimed, such as the BAR of a device without a driver (insert_resource()).
 * Each goes inside the ones before it that cover it.
 */
struct legacy_res {
	resource_size_t off, size;
	bool busy;
};

#define LEGACY_NR_RES	2

struct legacy_case {
	const char *desc;
	struct legacy_res res[LEGACY_NR_RES];
	resource_size_t fb_off, fb_size;	/* a framebuffer reservation */
	enum pvbus_mmio_zone zone;
	resource_size_t want;			/* offset from PUB_BASE */
	int nest;				/* res[] it nests in, or -1 */
	unsigned int turns;			/* at most, if not 0 */
};

static const struct legacy_case legacy_cases[] = {
	{ "unclaimed at window start, legacy nests in it",
	  { { 0, SZ_16M } }, 0, 0, PVBUS_MMIO_LEGACY, 0, 0 },
	{ "unclaimed at window start, any goes past it",
	  { { 0, SZ_16M } }, 0, 0, PVBUS_MMIO_ANY, SZ_16M, -1 },
	{ "unclaimed at window start, high goes past it",
	  { { 0, SZ_16M } }, 0, 0, PVBUS_MMIO_HIGH, SZ_16M, -1 },
	/* Past the claim in one turn, not in 2048 steps of 8K. */
	{ "claimed at window start, legacy goes past it",
	  { { 0, SZ_16M, true } }, 0, 0, PVBUS_MMIO_LEGACY, SZ_16M, -1, 2 },
	{ "claimed start of an unclaimed one, legacy nests after the claim",
	  { { 0, SZ_16M }, { 0, SZ_1M, true } }, 0, 0, PVBUS_MMIO_LEGACY,
	  SZ_1M, 0 },
	{ "unclaimed but a framebuffer, legacy goes past it",
	  { { 0, SZ_16M } }, 0, SZ_16M, PVBUS_MMIO_LEGACY, SZ_16M, -1 },
	{ "unclaimed too small, legacy does not take it in",
	  { { 0, SZ_4K } }, 0, 0, PVBUS_MMIO_LEGACY, SZ_8K, -1 },
	{ "unclaimed of the same size, legacy goes past it",
	  { { 0, SZ_8K } }, 0, 0, PVBUS_MMIO_LEGACY, SZ_8K, -1 },
	{ "unclaimed from inside the first try, legacy does not straddle it",
	  { { SZ_4K, SZ_64K } }, 0, 0, PVBUS_MMIO_LEGACY, SZ_8K, 0 },
	{ "unclaimed in the middle of the first try, legacy goes past it",
	  { { SZ_2K, SZ_4K } }, 0, 0, PVBUS_MMIO_LEGACY, SZ_8K, -1 },
};

static void legacy_case_desc(const struct legacy_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(legacy, legacy_cases, legacy_case_desc);

/* The foreign resources, released after the space is destroyed. */
struct legacy_fx {
	struct resource *res[LEGACY_NR_RES];
	bool busy[LEGACY_NR_RES];
};

static int legacy_fx_init(struct kunit_resource *kres, void *context)
{
	struct legacy_fx *fx = kzalloc(sizeof(*fx), GFP_KERNEL);

	if (!fx)
		return -ENOMEM;
	kres->data = fx;
	return 0;
}

static void legacy_fx_free(struct kunit_resource *kres)
{
	struct legacy_fx *fx = kres->data;
	int i;

	for (i = LEGACY_NR_RES - 1; i >= 0; i--) {
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

static void legacy_add_res(struct kunit *test, struct legacy_fx *fx, int i,
			   const struct legacy_res *lr)
{
	resource_size_t start = PUB_BASE + lr->off;
	struct resource *r;

	if (lr->busy) {
		r = request_mem_region(start, lr->size, "pvbus-kunit-claimed");
		KUNIT_ASSERT_NOT_NULL(test, r);
	} else {
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->name = "pvbus-kunit-unclaimed";
		r->start = start;
		r->end = start + lr->size - 1;
		r->flags = IORESOURCE_MEM;
		if (insert_resource(&iomem_resource, r)) {
			kfree(r);
			KUNIT_FAIL(test, "cannot insert %#llx+%#llx",
				   ADDR(start), ADDR(lr->size));
			return;
		}
	}
	fx->res[i] = r;
	fx->busy[i] = lr->busy;
}

/*
 * %PVBUS_MMIO_LEGACY nests in what nobody claimed, like
 * request_mem_region(), and is stopped by a claim, a reservation, an
 * allocation, or a resource it would only partly cover; the other zones
 * never nest.  Freeing the allocation leaves the foreign resources as
 * they were.
 */
static void alloc_legacy_placement(struct kunit *test)
{
	const struct legacy_case *c = test->param_value;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-cfg", .size = SZ_8K, .zone = c->zone,
	};
	struct pvbus_mmio_space *space;
	struct resource *res, *parent;
	struct legacy_fx *fx;
	int i;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	/* Before the space: KUnit frees in reverse, the space first. */
	fx = kunit_alloc_resource(test, legacy_fx_init, legacy_fx_free,
				  GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	space = test_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	add_window(test, space, PUB_BASE, PUB_SIZE);
	for (i = 0; i < LEGACY_NR_RES && c->res[i].size; i++)
		legacy_add_res(test, fx, i, &c->res[i]);
	if (c->fb_size)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space,
							 PUB_BASE + c->fb_off,
							 c->fb_size,
							 PVBUS_RSV_FRAMEBUFFER,
							 "pvbus-kunit-fb"), 0);

	res = alloc_at(test, space, &req, PUB_BASE + c->want);
	parent = c->nest < 0 ? NULL : fx->res[c->nest];
	if (parent)
		KUNIT_EXPECT_PTR_EQ(test, res->parent, parent);
	else
		KUNIT_EXPECT_STREQ(test, res->parent->name,
				   "pvbus-kunit high window");
	KUNIT_EXPECT_NULL(test, res->child);
	if (c->turns)
		KUNIT_EXPECT_LE(test, pvbus_mmio_space_gaps_walked(space),
				(u64)c->turns);

	/* The foreign resources are back where they were. */
	test_space_destroy(test, space);
	KUNIT_EXPECT_PTR_EQ(test, fx->res[0]->parent, &iomem_resource);
	for (i = 1; i < LEGACY_NR_RES && fx->res[i]; i++)
		KUNIT_EXPECT_PTR_EQ(test, fx->res[i]->parent, fx->res[i - 1]);
	KUNIT_EXPECT_NULL(test, fx->res[i - 1]->child);
}

/* ---- cost of a failing request -------------------------------------- */

struct gaps_case {
	const char *desc;
	unsigned int nallocs;
	unsigned int mul, div;	/* request size = window size * mul / div */
};

static const struct gaps_case gaps_cases[] = {
	{ "twice the window, empty", 0, 2, 1 },
	{ "twice the window, 3 allocations", 3, 2, 1 },
	{ "half the window, 3 allocations", 3, 1, 2 },
	{ "a third of the window, 7 allocations", 7, 1, 3 },
};

static void gaps_case_desc(const struct gaps_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gaps, gaps_cases, gaps_case_desc);

/*
 * Split a window of @size into nallocs + 1 equal gaps with 4 KiB
 * allocations, then count the gaps a failing 4 KiB-aligned request walks.
 */
static u64 gaps_for_failure(struct kunit *test, const struct gaps_case *c,
			    resource_size_t base, resource_size_t size)
{
	struct pvbus_mmio_space *space = test_space(test);
	resource_size_t step = size / (c->nallocs + 1);
	struct pvbus_mmio_req req = {
		.name = "gap", .size = SZ_4K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	unsigned int i;
	u64 before;

	add_window(test, space, base, size);
	for (i = 1; i <= c->nallocs; i++) {
		req.min = base + i * step;
		alloc_at(test, space, &req, req.min);
	}

	req.min = 0;
	req.size = size / c->div * c->mul;
	before = pvbus_mmio_space_gaps_walked(space);
	alloc_expect(test, space, &req, -ENOSPC, 0);
	return pvbus_mmio_space_gaps_walked(space) - before;
}

/*
 * A failing request costs one look per gap, however big the window is:
 * the same layout in 1 GiB and in 1 TiB walks the same few gaps.  An
 * allocator stepping through candidate starts by the alignment would
 * look at 2^28 of them in the 1 TiB window.
 */
static void alloc_failure_walks_gaps(struct kunit *test)
{
	const struct gaps_case *c = test->param_value;
	u64 small = gaps_for_failure(test, c, HIGH_BASE, SZ_1G);
	u64 large = gaps_for_failure(test, c, TIB_BASE, TIB_BASE);

	kunit_info(test, "%llu gaps walked in 1 GiB, %llu in 1 TiB\n", small,
		   large);
	KUNIT_EXPECT_EQ(test, small, large);
	KUNIT_EXPECT_LE(test, large, (u64)2 * (c->nallocs + 1) + 2);
	/* A request smaller than the window cannot fail unexamined. */
	if (c->mul < c->div)
		KUNIT_EXPECT_GE(test, large, 1ULL);
}

/* ---- concurrency ---------------------------------------------------- */

#define CONC_THREADS	4
#define CONC_LOOPS	400
#define CONC_SLOTS	8
#define CONC_CHUNK	SZ_64K
#define CONC_BASE	HIGH_BASE
#define CONC_SIZE	SZ_64M
#define CONC_CHUNKS	(CONC_SIZE / CONC_CHUNK)

struct conc_worker {
	struct pvbus_mmio_space *space;
	unsigned long *owner;		/* shared: one bit per chunk in use */
	struct completion *go;
	struct task_struct *task;
	struct rnd_state rnd;
	struct resource *live[CONC_SLOTS];
	unsigned int allocs, enospc, overlaps, misplaced;
	long err;			/* first unexpected error */
};

static void conc_release(struct conc_worker *w, unsigned int slot)
{
	struct resource *res = w->live[slot];
	unsigned long c;

	for (c = (res->start - CONC_BASE) / CONC_CHUNK;
	     c <= (res->end - CONC_BASE) / CONC_CHUNK; c++)
		if (!test_and_clear_bit(c, w->owner))
			w->overlaps++;
	pvbus_mmio_free(w->space, res);
	w->live[slot] = NULL;
}

static void conc_take(struct conc_worker *w, unsigned int slot)
{
	u32 r = prandom_u32_state(&w->rnd);
	struct pvbus_mmio_req req = {
		.name = "conc",
		.size = (1 + r % 16) * CONC_CHUNK,
		.align = (r >> 4) % 2 ? 0 : CONC_CHUNK << ((r >> 5) % 4),
		.zone = (r >> 7) % 2 ? PVBUS_MMIO_HIGH : PVBUS_MMIO_ANY,
	};
	struct resource *res = pvbus_mmio_alloc(w->space, &req);
	unsigned long c;

	if (IS_ERR_OR_NULL(res)) {
		if (PTR_ERR(res) == -ENOSPC)
			w->enospc++;
		else if (!w->err)
			w->err = res ? PTR_ERR(res) : -EFAULT;
		return;
	}
	w->allocs++;
	if (res->start < CONC_BASE || res->end > CONC_BASE + CONC_SIZE - 1 ||
	    res->start % CONC_CHUNK || resource_size(res) != req.size) {
		/* Outside the bitmap: just give it back. */
		w->misplaced++;
		pvbus_mmio_free(w->space, res);
		return;
	}
	for (c = (res->start - CONC_BASE) / CONC_CHUNK;
	     c <= (res->end - CONC_BASE) / CONC_CHUNK; c++)
		if (test_and_set_bit(c, w->owner))
			w->overlaps++;
	w->live[slot] = res;
}

static int conc_thread(void *data)
{
	struct conc_worker *w = data;
	unsigned int i, slot;

	wait_for_completion(w->go);
	for (i = 0; i < CONC_LOOPS; i++) {
		slot = prandom_u32_state(&w->rnd) % CONC_SLOTS;
		if (w->live[slot])
			conc_release(w, slot);
		else
			conc_take(w, slot);
		if (i % 32 == 31)
			usleep_range(10, 50);
		else
			cond_resched();
	}
	for (slot = 0; slot < CONC_SLOTS; slot++)
		if (w->live[slot])
			conc_release(w, slot);

	/* Stay around until kthread_stop() so the task cannot go away. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * Several threads allocating and freeing on one space never get
 * overlapping ranges, and leave the space empty.
 */
static void alloc_free_concurrent(struct kunit *test)
{
	struct pvbus_mmio_space *space = test_space(test);
	struct pvbus_mmio_req all = {
		.name = "all", .size = CONC_SIZE, .zone = PVBUS_MMIO_HIGH,
	};
	DECLARE_COMPLETION_ONSTACK(go);
	struct conc_worker *w;
	unsigned long *owner;
	unsigned int i, started = 0;

	w = kunit_kcalloc(test, CONC_THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	owner = kunit_kcalloc(test, BITS_TO_LONGS(CONC_CHUNKS), sizeof(long),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, owner);
	add_window(test, space, CONC_BASE, CONC_SIZE);

	for (i = 0; i < CONC_THREADS; i++) {
		w[i].space = space;
		w[i].owner = owner;
		w[i].go = &go;
		prandom_seed_state(&w[i].rnd, 0x5eed0000 + i);
		w[i].task = kthread_run(conc_thread, &w[i], "pvbus_kunit/%u",
					i);
		if (IS_ERR(w[i].task))
			break;
		started++;
	}
	complete_all(&go);
	for (i = 0; i < started; i++)
		kthread_stop(w[i].task);
	KUNIT_ASSERT_EQ(test, started, CONC_THREADS);

	for (i = 0; i < CONC_THREADS; i++) {
		KUNIT_EXPECT_EQ_MSG(test, w[i].err, 0L, "thread %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w[i].overlaps, 0U, "thread %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w[i].misplaced, 0U, "thread %u", i);
		KUNIT_EXPECT_GT_MSG(test, w[i].allocs, CONC_LOOPS / 4,
				    "thread %u", i);
	}
	KUNIT_EXPECT_TRUE(test, bitmap_empty(owner, CONC_CHUNKS));
	/* Everything was given back: the whole window is free again. */
	alloc_at(test, space, &all, CONC_BASE);
	test_space_destroy(test, space);
}

/* ---- randomized property test --------------------------------------- */

#define RND_OPS		3000
#define RND_MAX_LIVE	48
#define RND_MAX_RSV	24

struct rnd_alloc {
	struct resource *res;
	struct pvbus_mmio_req req;
};

struct rnd_run {
	struct kunit *test;
	struct pvbus_mmio_space *space;
	struct rnd_state rnd;
	bool model;		/* check placements against the model */
	struct mmio_rsv rsv[RND_MAX_RSV];
	unsigned int nrsv;
	struct rnd_alloc live[RND_MAX_LIVE];
	unsigned int nlive;
	unsigned int allocs, enospc, einval, frees, rsv_ok, rsv_busy;
};

/* Three windows, given in no particular order. */
static const struct mmio_win rnd_wins[] = {
	{ HIGH_BASE, SZ_16G },			/* high */
	{ LOW_BASE, SZ_512M },			/* low */
	{ 0xf0000000, SZ_512M },		/* straddles 4 GiB */
};

/* Fixed reservations; the first few go in before the windows. */
static const struct mmio_rsv rnd_rsvs[] = {
	{ 0xc8000000, SZ_16M, PVBUS_RSV_FRAMEBUFFER },
	{ 0xc8c00000, SZ_4M, PVBUS_RSV_HOST },		/* fb tail */
	{ 0xbff00000, SZ_2M, PVBUS_RSV_FIRMWARE },	/* below low window */
	{ 0xfff00000, SZ_2M, PVBUS_RSV_HOST },		/* across 4 GiB */
	{ 0x900000000, SZ_256M, PVBUS_RSV_FRAMEBUFFER },
	{ 0x904000000, SZ_16M, PVBUS_RSV_FIRMWARE },	/* inside that fb */
	{ 0xbfff00000, SZ_2M, PVBUS_RSV_HOST },	/* past high window */
	{ 0x200000000, SZ_16M, PVBUS_RSV_FIRMWARE },	/* in no window */
};

#define RND_RSV_EARLY	4

static u64 rnd64(struct rnd_run *r)
{
	u64 hi = prandom_u32_state(&r->rnd);

	return hi << 32 | prandom_u32_state(&r->rnd);
}

static u32 rnd32(struct rnd_run *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* An address somewhere in a random window. */
static resource_size_t rnd_addr(struct rnd_run *r)
{
	const struct mmio_win *w = &rnd_wins[rnd32(r, ARRAY_SIZE(rnd_wins))];

	return w->start + (rnd64(r) & (w->size - 1));
}

static resource_size_t req_align(const struct pvbus_mmio_req *req)
{
	return req->align ? req->align : roundup_pow_of_two(req->size);
}

/* Whether a request is valid whatever the state of the space. */
static bool req_valid(const struct pvbus_mmio_req *req)
{
	if (!req->name || !req->size || req->zone > PVBUS_MMIO_LEGACY)
		return false;
	if (req->align && !is_power_of_2(req->align))
		return false;
	if (!req->align && req->size > (1ULL << 63))
		return false;
	if (req->max && req->min > req->max)
		return false;
	return req->min + (req->size - 1) >= req->min;
}

static void rnd_req(struct rnd_run *r, struct pvbus_mmio_req *req)
{
	static const char * const names[] = { "rnd-a", "rnd-b", "rnd-c" };
	u32 pick = rnd32(r, 100);

	memset(req, 0, sizeof(*req));
	req->name = names[rnd32(r, ARRAY_SIZE(names))];

	if (pick < 65)
		req->size = (u64)(1 + rnd32(r, 4)) << (12 + rnd32(r, 17));
	else if (pick < 90)
		req->size = 1 + rnd32(r, SZ_128K);
	else
		req->size = (u64)(1 + rnd32(r, 8)) << (28 + rnd32(r, 7));

	pick = rnd32(r, 100);
	if (pick < 40)
		req->align = 0;
	else
		req->align = 1ULL << rnd32(r, 29);

	req->zone = rnd32(r, PVBUS_MMIO_LEGACY + 1);
	req->fb_overlap_ok = rnd32(r, 100) < 30;

	pick = rnd32(r, 100);
	if (pick < 25) {
		req->min = rnd_addr(r);
	} else if (pick < 40) {
		req->max = rnd_addr(r);
	} else if (pick < 55) {
		req->min = rnd_addr(r);
		req->max = req->min + ((1ULL << (12 + rnd32(r, 26))) - 1);
	}

	/* Now and then break it. */
	switch (rnd32(r, 60)) {
	case 0:
		req->size = 0;
		break;
	case 1:
		req->align = (3ULL + 2 * rnd32(r, 8)) << rnd32(r, 20);
		break;
	case 2:
		req->min = 0xd0000000 + rnd32(r, SZ_16M) + 1;
		req->max = req->min - 1 - rnd32(r, SZ_16M);
		break;
	case 3:
		req->zone = PVBUS_MMIO_LEGACY + 1 + rnd32(r, 4);
		break;
	case 4:
		req->name = NULL;
		break;
	case 5:
		req->size = (1ULL << 63) + 1 + rnd32(r, SZ_1M);
		req->align = 0;
		break;
	}
}

/* ---- the reference model -------------------------------------------- */

static bool align_up(resource_size_t x, resource_size_t a,
		     resource_size_t *out)
{
	resource_size_t y = (x + (a - 1)) & ~(a - 1);

	if (y < x)
		return false;
	*out = y;
	return true;
}

/* Something in the way of [s, e], and where it ends; false if nothing. */
static bool model_blocked(const struct rnd_run *r, resource_size_t s,
			  resource_size_t e, bool in_fb, resource_size_t *end)
{
	unsigned int i;

	for (i = 0; i < r->nlive; i++) {
		const struct resource *res = r->live[i].res;

		if (ranges_overlap(s, e, res->start, res->end)) {
			*end = res->end;
			return true;
		}
	}
	for (i = 0; i < r->nrsv; i++) {
		const struct mmio_rsv *v = &r->rsv[i];

		if (in_fb && v->kind == PVBUS_RSV_FRAMEBUFFER)
			continue;
		if (ranges_overlap(s, e, v->start, v->start + v->size - 1)) {
			*end = v->start + v->size - 1;
			return true;
		}
	}
	return false;
}

/* Lowest start in [lo, hi] that fits and is clear. */
static bool model_fit(const struct rnd_run *r,
		      const struct pvbus_mmio_req *req, resource_size_t lo,
		      resource_size_t hi, bool in_fb, resource_size_t *out)
{
	resource_size_t a = req_align(req), s, end;

	if (lo > hi || !align_up(lo, a, &s))
		return false;
	for (;;) {
		if (s > hi || hi - s < req->size - 1)
			return false;
		if (!model_blocked(r, s, s + req->size - 1, in_fb, &end)) {
			*out = s;
			return true;
		}
		if (end == TOP || !align_up(end + 1, a, &s))
			return false;
	}
}

/*
 * Lowest placement in zone @zone (LOW, HIGH or ANY): inside a
 * framebuffer reservation if @in_fb, else clear of every reservation.
 */
static bool model_place(const struct rnd_run *r,
			const struct pvbus_mmio_req *req,
			enum pvbus_mmio_zone zone, bool in_fb,
			resource_size_t *out)
{
	resource_size_t zlo = zone == PVBUS_MMIO_HIGH ? GIB4 : 0;
	resource_size_t zhi = zone == PVBUS_MMIO_LOW ? GIB4 - 1 : TOP;
	resource_size_t best = 0, s, lo, hi;
	bool found = false;
	unsigned int w, v;

	for (w = 0; w < ARRAY_SIZE(rnd_wins); w++) {
		lo = max3(rnd_wins[w].start, zlo, req->min);
		hi = min(rnd_wins[w].start + rnd_wins[w].size - 1, zhi);
		if (req->max)
			hi = min(hi, req->max);
		for (v = 0; v < (in_fb ? r->nrsv : 1); v++) {
			resource_size_t l = lo, h = hi;

			if (in_fb) {
				if (r->rsv[v].kind != PVBUS_RSV_FRAMEBUFFER)
					continue;
				l = max(l, r->rsv[v].start);
				h = min(h, r->rsv[v].start + r->rsv[v].size - 1);
			}
			if (model_fit(r, req, l, h, in_fb, &s) &&
			    (!found || s < best)) {
				best = s;
				found = true;
			}
		}
	}
	*out = best;
	return found;
}

/*
 * Where @req should land, trying framebuffers first; @fb_per_zone puts
 * the framebuffer attempt of each zone of PREFER_HIGH right before the
 * plain attempt of that zone instead of before both.
 */
static bool model_alloc(const struct rnd_run *r,
			const struct pvbus_mmio_req *req, bool fb_per_zone,
			resource_size_t *out)
{
	enum pvbus_mmio_zone zones[2] = { req->zone };
	unsigned int nz = 1, i, pass;

	if (req->zone == PVBUS_MMIO_PREFER_HIGH) {
		zones[0] = PVBUS_MMIO_HIGH;
		zones[1] = PVBUS_MMIO_LOW;
		nz = 2;
	}
	if (fb_per_zone) {
		for (i = 0; i < nz; i++) {
			if (req->fb_overlap_ok &&
			    model_place(r, req, zones[i], true, out))
				return true;
			if (model_place(r, req, zones[i], false, out))
				return true;
		}
		return false;
	}
	for (pass = req->fb_overlap_ok ? 0 : 1; pass < 2; pass++)
		for (i = 0; i < nz; i++)
			if (model_place(r, req, zones[i], !pass, out))
				return true;
	return false;
}

/* ---- invariants ----------------------------------------------------- */

static bool rnd_in_window(resource_size_t s, resource_size_t e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rnd_wins); i++)
		if (s >= rnd_wins[i].start &&
		    e <= rnd_wins[i].start + rnd_wins[i].size - 1)
			return true;
	return false;
}

/* Everything one live allocation must satisfy, on its own. */
static bool rnd_check_one(struct rnd_run *r, const struct rnd_alloc *a)
{
	const struct pvbus_mmio_req *q = &a->req;
	const struct resource *res = a->res;
	resource_size_t s = res->start, e = res->end;
	struct kunit *test = r->test;
	bool zone_ok;
	unsigned int i;

	switch (q->zone) {
	case PVBUS_MMIO_LOW:
		zone_ok = e < GIB4;
		break;
	case PVBUS_MMIO_HIGH:
		zone_ok = s >= GIB4;
		break;
	case PVBUS_MMIO_PREFER_HIGH:
		zone_ok = e < GIB4 || s >= GIB4;
		break;
	default:
		zone_ok = true;
		break;
	}

	if (resource_size(res) != q->size || s % req_align(q) ||
	    s < q->min || (q->max && e > q->max) || !zone_ok ||
	    !rnd_in_window(s, e) || !(res->flags & IORESOURCE_MEM) ||
	    !res->name || strcmp(res->name, q->name)) {
		KUNIT_FAIL(test,
			   "[%#llx-%#llx] %s breaks its request: size %#llx align %#llx min %#llx max %#llx zone %s",
			   ADDR(s), ADDR(e), res->name ? res->name : "(null)",
			   ADDR(q->size), ADDR(q->align), ADDR(q->min),
			   ADDR(q->max), zone_name(q->zone));
		return false;
	}

	for (i = 0; i < r->nrsv; i++) {
		const struct mmio_rsv *v = &r->rsv[i];
		resource_size_t ve = v->start + v->size - 1;

		if (!ranges_overlap(s, e, v->start, ve))
			continue;
		if (v->kind == PVBUS_RSV_FRAMEBUFFER && q->fb_overlap_ok &&
		    s >= v->start && e <= ve)
			continue;
		KUNIT_FAIL(test,
			   "[%#llx-%#llx] (fb_overlap_ok %d) overlaps %s reservation [%#llx-%#llx]",
			   ADDR(s), ADDR(e), q->fb_overlap_ok,
			   pvbus_mmio_rsv_name(v->kind), ADDR(v->start),
			   ADDR(ve));
		return false;
	}
	return true;
}

static bool rnd_check_all(struct rnd_run *r)
{
	unsigned int i, j;

	for (i = 0; i < r->nlive; i++) {
		const struct resource *a = r->live[i].res;

		if (!rnd_check_one(r, &r->live[i]))
			return false;
		for (j = i + 1; j < r->nlive; j++) {
			const struct resource *b = r->live[j].res;

			if (ranges_overlap(a->start, a->end, b->start,
					   b->end)) {
				KUNIT_FAIL(r->test,
					   "[%#llx-%#llx] overlaps [%#llx-%#llx]",
					   ADDR(a->start), ADDR(a->end),
					   ADDR(b->start), ADDR(b->end));
				return false;
			}
		}
	}
	return true;
}

/* ---- the random run ------------------------------------------------- */

static bool rnd_alloc(struct rnd_run *r)
{
	struct kunit *test = r->test;
	struct pvbus_mmio_req req;
	resource_size_t want = 0, alt = 0;
	bool valid, fits = false, fits_alt = false;
	struct resource *res;

	rnd_req(r, &req);
	valid = req_valid(&req);
	if (valid && r->model) {
		fits = model_alloc(r, &req, false, &want);
		fits_alt = model_alloc(r, &req, true, &alt);
	}

	res = pvbus_mmio_alloc(r->space, &req);
	if (!res) {
		KUNIT_FAIL(test, "alloc returned NULL");
		return false;
	}
	if (IS_ERR(res)) {
		if (PTR_ERR(res) == -ENOSPC && valid) {
			r->enospc++;
			if (!fits)
				return true;
			KUNIT_FAIL(test,
				   "-ENOSPC but %#llx fits: size %#llx align %#llx min %#llx max %#llx zone %s fb %d",
				   ADDR(want), ADDR(req.size),
				   ADDR(req.align), ADDR(req.min),
				   ADDR(req.max), zone_name(req.zone),
				   req.fb_overlap_ok);
			return false;
		}
		if (PTR_ERR(res) == -EINVAL && !valid) {
			r->einval++;
			return true;
		}
		KUNIT_FAIL(test,
			   "error %ld for a%s request: size %#llx align %#llx min %#llx max %#llx zone %u",
			   PTR_ERR(res), valid ? " valid" : "n invalid",
			   ADDR(req.size), ADDR(req.align), ADDR(req.min),
			   ADDR(req.max), req.zone);
		return false;
	}

	r->live[r->nlive].res = res;
	r->live[r->nlive].req = req;
	r->nlive++;
	r->allocs++;
	if (!valid) {
		KUNIT_FAIL(test,
			   "invalid request got [%#llx-%#llx]: size %#llx align %#llx min %#llx max %#llx zone %u name %s",
			   ADDR(res->start), ADDR(res->end), ADDR(req.size),
			   ADDR(req.align), ADDR(req.min), ADDR(req.max),
			   req.zone, req.name ? req.name : "(null)");
		return false;
	}
	if (r->model && !(fits && res->start == want) &&
	    !(fits_alt && res->start == alt)) {
		KUNIT_FAIL(test,
			   "got %#llx, model says %#llx (or %#llx): size %#llx align %#llx min %#llx max %#llx zone %s fb %d",
			   ADDR(res->start), fits ? ADDR(want) : 0ULL,
			   fits_alt ? ADDR(alt) : 0ULL, ADDR(req.size),
			   ADDR(req.align), ADDR(req.min), ADDR(req.max),
			   zone_name(req.zone), req.fb_overlap_ok);
		return false;
	}
	return true;
}

static void rnd_free(struct rnd_run *r)
{
	unsigned int i = rnd32(r, r->nlive);

	pvbus_mmio_free(r->space, r->live[i].res);
	r->live[i] = r->live[--r->nlive];
	r->frees++;
}

/* A HOST or FIRMWARE reservation: -EBUSY exactly if it hits a live one. */
static bool rnd_reserve(struct rnd_run *r)
{
	struct mmio_rsv v = {
		.start = rnd_addr(r) & ~(resource_size_t)(SZ_4K - 1),
		.size = (resource_size_t)SZ_4K << rnd32(r, 13),
		.kind = rnd32(r, 2) ? PVBUS_RSV_HOST : PVBUS_RSV_FIRMWARE,
	};
	int want = 0, ret;
	unsigned int i;

	/* Half of them aimed at a live allocation. */
	if (r->nlive && rnd32(r, 2)) {
		i = rnd32(r, r->nlive);
		v.start = r->live[i].res->end & ~(resource_size_t)(SZ_4K - 1);
	}
	for (i = 0; i < r->nlive; i++)
		if (ranges_overlap(v.start, v.start + v.size - 1,
				   r->live[i].res->start, r->live[i].res->end))
			want = -EBUSY;
	ret = pvbus_mmio_reserve(r->space, v.start, v.size, v.kind, "rnd-rsv");
	if (ret != want) {
		KUNIT_FAIL(r->test, "reserve [%#llx-%#llx]: got %d, want %d",
			   ADDR(v.start), ADDR(v.start + v.size - 1), ret,
			   want);
		return false;
	}
	if (!ret) {
		r->rsv[r->nrsv++] = v;
		r->rsv_ok++;
	} else {
		r->rsv_busy++;
	}
	return true;
}

static const u64 rnd_seeds[] = { 0x9e3779b97f4a7c15ULL, 42, 20240601 };

static void rnd_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %#llx", *seed);
}

KUNIT_ARRAY_PARAM(rnd_seed, rnd_seeds, rnd_seed_desc);

static void rnd_run(struct kunit *test, bool model)
{
	struct rnd_run *r;
	unsigned int i, op;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->test = test;
	r->model = model;
	prandom_seed_state(&r->rnd, *(const u64 *)test->param_value);
	r->space = test_space(test);

	for (i = 0; i < ARRAY_SIZE(rnd_rsvs); i++) {
		if (i == RND_RSV_EARLY)
			add_windows(test, r->space, rnd_wins,
				    ARRAY_SIZE(rnd_wins));
		reserve(test, r->space, rnd_rsvs[i].start, rnd_rsvs[i].size,
			rnd_rsvs[i].kind);
		r->rsv[r->nrsv++] = rnd_rsvs[i];
	}

	for (op = 0; op < RND_OPS; op++) {
		u32 pick = rnd32(r, 100);
		bool ok = true;

		if (r->nlive && (r->nlive == RND_MAX_LIVE || pick < 40))
			rnd_free(r);
		else if (pick < 42 && r->nrsv < RND_MAX_RSV)
			ok = rnd_reserve(r);
		else
			ok = rnd_alloc(r);
		if (!ok || (!model && !rnd_check_all(r))) {
			KUNIT_FAIL(test, "at operation %u", op);
			return;
		}
		if (op % 64 == 63)
			cond_resched();
	}

	kunit_info(test,
		   "%u allocs, %u -ENOSPC, %u -EINVAL, %u frees, %u reserved, %u -EBUSY\n",
		   r->allocs, r->enospc, r->einval, r->frees, r->rsv_ok,
		   r->rsv_busy);
	/* The run really exercised all outcomes. */
	KUNIT_EXPECT_GT(test, r->allocs, RND_OPS / 4);
	KUNIT_EXPECT_GT(test, r->enospc, 0U);
	KUNIT_EXPECT_GT(test, r->einval, 0U);
}

/*
 * Thousands of random allocations and frees: after every step no two
 * live allocations overlap, none sits on a reservation it may not use,
 * and each lies in a window and honours its zone, min, max, alignment
 * and size.  Valid requests fail only with -ENOSPC, invalid ones only
 * with -EINVAL.
 */
static void alloc_random_invariants(struct kunit *test)
{
	rnd_run(test, false);
}

/*
 * The same random runs against a reference model: each allocation lands
 * at the lowest fitting address, and -ENOSPC only when nothing fits.
 */
static void alloc_random_matches_model(struct kunit *test)
{
	rnd_run(test, true);
}

static struct kunit_case pvbus_mmio_test_cases[] = {
	KUNIT_CASE_PARAM(alloc_zone_placement, zone_gen_params),
	KUNIT_CASE_PARAM(alloc_min_max_clamp, minmax_gen_params),
	KUNIT_CASE_PARAM(alloc_alignment, align_gen_params),
	KUNIT_CASE_PARAM(alloc_avoids_reservation, avoid_gen_params),
	KUNIT_CASE_PARAM(alloc_fb_overlap_ok_framebuffer_first,
			 fb_gen_params),
	KUNIT_CASE(alloc_fb_overlap_ok_packs_framebuffer),
	KUNIT_CASE_PARAM(alloc_fb_overlap_ok_avoids_firmware_host,
			 fb_rsv_gen_params),
	KUNIT_CASE_PARAM(alloc_reservation_partly_outside_window,
			 outside_gen_params),
	KUNIT_CASE(alloc_reservation_before_window),
	KUNIT_CASE_PARAM(reserve_over_allocation_busy, busy_rsv_gen_params),
	KUNIT_CASE(alloc_enospc_leaves_space_unchanged),
	KUNIT_CASE(alloc_free_reuses_address),
	KUNIT_CASE_PARAM(alloc_invalid_request, alloc_inval_gen_params),
	KUNIT_CASE_PARAM(add_window_invalid, window_inval_gen_params),
	KUNIT_CASE_PARAM(reserve_invalid, rsv_inval_gen_params),
	KUNIT_CASE_PARAM(add_window_overlap_busy, window_busy_gen_params),
	KUNIT_CASE(alloc_resource_fields),
	KUNIT_CASE(space_private_not_in_iomem),
	KUNIT_CASE(space_publish_after_window_busy),
	KUNIT_CASE(space_publish_destroy_restores_iomem),
	KUNIT_CASE_PARAM(alloc_legacy_placement, legacy_gen_params),
	KUNIT_CASE_PARAM(alloc_failure_walks_gaps, gaps_gen_params),
	KUNIT_CASE(alloc_free_concurrent),
	KUNIT_CASE_PARAM(alloc_random_invariants, rnd_seed_gen_params),
	KUNIT_CASE_PARAM(alloc_random_matches_model, rnd_seed_gen_params),
	{}
};

static struct kunit_suite pvbus_mmio_test_suite = {
	.name = "pvbus_mmio",
	.test_cases = pvbus_mmio_test_cases,
};

kunit_test_suite(pvbus_mmio_test_suite);

MODULE_DESCRIPTION("KUnit tests for the pvbus MMIO allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
