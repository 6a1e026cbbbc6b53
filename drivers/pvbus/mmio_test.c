// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pvbus MMIO allocator: where an allocation goes
 * (zones, min and max, alignment, reservations), exhaustion and reuse,
 * argument checking and the resource returned.  The suites on
 * iomem_resource and the randomized ones are in mmio_iomem_test.c and
 * mmio_random_test.c; the fixtures in mmio_test_util.c.
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
#include <linux/pvbus_mmio.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kunit_param.h"
#include "mmio_internal.h"
#include "mmio_test.h"

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

	{ "high window, low", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_LOW, -ENOSPC },
	{ "high window, high", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_HIGH, 0, HIGH_BASE },
	{ "high window, prefer-high", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_PREFER_HIGH, 0, HIGH_BASE },
	{ "high window, any", { WIN_HIGH }, SZ_16M, 0, 0,
	  PVBUS_MMIO_ANY, 0, HIGH_BASE },

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

	/* 32 MiB does not fit the 16 MiB high window. */
	{ "low+small high windows, high", { WIN_LOW, WIN_HIGH_16M }, SZ_32M,
	  0, 0, PVBUS_MMIO_HIGH, -ENOSPC },
	{ "low+small high windows, prefer-high falls back",
	  { WIN_LOW, WIN_HIGH_16M }, SZ_32M, 0, 0, PVBUS_MMIO_PREFER_HIGH,
	  0, LOW_BASE },
};

KUNIT_ARRAY_PARAM_DESC(zone, zone_cases, desc);

/* Each zone picks the lowest fit in its part of the windows. */
static void alloc_zone_placement(struct kunit *test)
{
	const struct zone_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "zone", .size = c->size, .align = c->align,
		.min = c->min, .zone = c->zone,
	};

	pvbus_mt_add_windows(test, space, c->wins, ARRAY_SIZE(c->wins));
	pvbus_mt_alloc_expect(test, space, &req, c->err, c->start);
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

KUNIT_ARRAY_PARAM_DESC(minmax, minmax_cases, desc);

/*
 * min and max bound the whole allocation.  An allocator that compared
 * only the start against max would return 0xc0000000/0xd0000000 for the
 * "one byte short" rows, and one that did not round min up to the
 * alignment would return a start below 0xd0100000.
 */
static void alloc_min_max_clamp(struct kunit *test)
{
	const struct minmax_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "minmax", .size = c->size, .align = c->align,
		.min = c->min, .max = c->max, .zone = PVBUS_MMIO_LOW,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	pvbus_mt_alloc_expect(test, space, &req, c->err, c->start);
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

KUNIT_ARRAY_PARAM_DESC(align, align_cases, desc);

static void alloc_alignment(struct kunit *test)
{
	const struct align_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "align", .size = c->size, .align = c->align,
		.zone = PVBUS_MMIO_LOW,
	};

	pvbus_mt_add_window(test, space, LOW_BASE + SZ_4K, LOW_SIZE - SZ_4K);
	pvbus_mt_alloc_at(test, space, &req, c->start);
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
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "avoid", .size = shape->size, .align = shape->align,
		.min = shape->min, .zone = PVBUS_MMIO_LOW,
		.fb_overlap_ok = c->kind->fb_ok,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	if (c->kind->fb == AV_FB_BEFORE)
		pvbus_mt_reserve(test, space, LOW_BASE, SZ_64M, PVBUS_RSV_FRAMEBUFFER);
	pvbus_mt_reserve(test, space, AV_RSV_START, AV_RSV_SIZE, c->kind->kind);
	if (c->kind->fb == AV_FB_AFTER)
		pvbus_mt_reserve(test, space, LOW_BASE, SZ_64M, PVBUS_RSV_FRAMEBUFFER);
	pvbus_mt_alloc_at(test, space, &req, shape->start);
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

KUNIT_ARRAY_PARAM_DESC(fb, fb_cases, desc);

/* The framebuffer, @c's extra reservation, and an fb request at @c. */
static void fb_case_run(struct kunit *test, const struct fb_case *c)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "fb", .size = c->size, .align = c->align,
		.min = c->min, .zone = PVBUS_MMIO_LOW, .fb_overlap_ok = true,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	if (c->extra.size && c->extra_first)
		pvbus_mt_reserve(test, space, c->extra.start, c->extra.size,
				 c->extra.kind);
	pvbus_mt_reserve(test, space, FB_START, FB_SIZE, PVBUS_RSV_FRAMEBUFFER);
	if (c->extra.size && !c->extra_first)
		pvbus_mt_reserve(test, space, c->extra.start, c->extra.size,
				 c->extra.kind);
	pvbus_mt_alloc_at(test, space, &req, c->start);
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
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req fb = {
		.name = "fb", .size = SZ_4M, .zone = PVBUS_MMIO_ANY,
		.fb_overlap_ok = true,
	};
	struct pvbus_mmio_req plain = {
		.name = "plain", .size = SZ_4M, .zone = PVBUS_MMIO_ANY,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	pvbus_mt_reserve(test, space, FB_START, FB_SIZE, PVBUS_RSV_FRAMEBUFFER);
	pvbus_mt_alloc_at(test, space, &fb, FB_START);
	pvbus_mt_alloc_at(test, space, &plain, LOW_BASE);
	pvbus_mt_alloc_at(test, space, &fb, FB_START + SZ_4M);
	pvbus_mt_alloc_at(test, space, &fb, FB_START + SZ_8M);
	pvbus_mt_alloc_at(test, space, &fb, FB_START + SZ_8M + SZ_4M);
	/* The framebuffer is full: the next one goes to the free space. */
	pvbus_mt_alloc_at(test, space, &fb, LOW_BASE + SZ_4M);
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

KUNIT_ARRAY_PARAM_DESC(fb_rsv, fb_rsv_cases, desc);

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

KUNIT_ARRAY_PARAM_DESC(outside, outside_cases, desc);

/* Only the part of a reservation inside a window matters there. */
static void alloc_reservation_partly_outside_window(struct kunit *test)
{
	const struct outside_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "outside", .size = SZ_1M, .min = c->min,
		.zone = PVBUS_MMIO_LOW, .fb_overlap_ok = c->fb_ok,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, SZ_256M);
	pvbus_mt_reserve(test, space, c->rsv.start, c->rsv.size, c->rsv.kind);
	pvbus_mt_alloc_expect(test, space, &req, c->err, c->start);
}

/* Reservations made before their window exists still apply. */
static void alloc_reservation_before_window(struct kunit *test)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req plain = {
		.name = "plain", .size = SZ_16M, .zone = PVBUS_MMIO_LOW,
	};
	struct pvbus_mmio_req fb = {
		.name = "fb", .size = SZ_16M, .zone = PVBUS_MMIO_LOW,
		.fb_overlap_ok = true,
	};

	pvbus_mt_reserve(test, space, LOW_BASE, SZ_16M, PVBUS_RSV_HOST);
	pvbus_mt_reserve(test, space, LOW_BASE + SZ_32M, SZ_16M,
			 PVBUS_RSV_FRAMEBUFFER);
	pvbus_mt_reserve(test, space, LOW_BASE + SZ_64M, SZ_16M, PVBUS_RSV_FIRMWARE);
	pvbus_mt_add_window(test, space, LOW_BASE, SZ_256M);

	pvbus_mt_alloc_at(test, space, &plain, LOW_BASE + SZ_16M);
	pvbus_mt_alloc_at(test, space, &plain, LOW_BASE + SZ_32M + SZ_16M);
	pvbus_mt_alloc_at(test, space, &plain, LOW_BASE + SZ_64M + SZ_16M);
	pvbus_mt_alloc_at(test, space, &fb, LOW_BASE + SZ_32M);
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

KUNIT_ARRAY_PARAM_DESC(busy_rsv, busy_rsv_cases, desc);

/*
 * A reservation over a live allocation is refused with -EBUSY and not
 * recorded: once the allocation is freed its range is handed out again.
 */
static void reserve_over_allocation_busy(struct kunit *test)
{
	const struct busy_rsv_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req req = {
		.name = "live", .size = SZ_1M, .min = 0xc0100000,
		.zone = PVBUS_MMIO_LOW,
	};
	struct resource *res;

	pvbus_mt_add_window(test, space, LOW_BASE, SZ_256M);
	res = pvbus_mt_alloc_at(test, space, &req, 0xc0100000);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_reserve(space, c->rsv.start,
						 c->rsv.size, c->rsv.kind,
						 "kunit-rsv"), c->err);
	if (c->err) {
		pvbus_mmio_free(space, res);
		pvbus_mt_alloc_at(test, space, &req, 0xc0100000);
	}
}

/* ---- exhaustion and reuse ------------------------------------------- */

/*
 * Failing requests of every kind leave the space as it was: the next
 * request lands exactly where it would have without them.
 */
static void alloc_enospc_leaves_space_unchanged(struct kunit *test)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
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
	pvbus_mt_add_window(test, space, LOW_BASE, SZ_16M);
	pvbus_mt_reserve(test, space, LOW_BASE + SZ_16M - SZ_4M, SZ_4M,
			 PVBUS_RSV_FRAMEBUFFER);

	pvbus_mt_alloc_at(test, space, &one, LOW_BASE);
	pvbus_mt_alloc_expect(test, space, &big, -ENOSPC, 0);
	pvbus_mt_alloc_expect(test, space, &tail, -ENOSPC, 0);
	pvbus_mt_alloc_expect(test, space, &high, -ENOSPC, 0);
	pvbus_mt_alloc_expect(test, space, &fb, -ENOSPC, 0);
	pvbus_mt_alloc_at(test, space, &one, LOW_BASE + SZ_1M);

	/* Fill the 12 MiB below the framebuffer. */
	for (i = 2; i < 12; i++)
		pvbus_mt_alloc_at(test, space, &one, LOW_BASE + i * SZ_1M);
	pvbus_mt_alloc_expect(test, space, &one, -ENOSPC, 0);
	pvbus_mt_alloc_expect(test, space, &page, -ENOSPC, 0);
	pvbus_mt_alloc_expect(test, space, &big, -ENOSPC, 0);
	/* The framebuffer is still there, untouched by the failures. */
	fb.size = SZ_4M;
	pvbus_mt_alloc_at(test, space, &fb, LOW_BASE + SZ_16M - SZ_4M);
	pvbus_mt_alloc_expect(test, space, &fb, -ENOSPC, 0);
}

/* Freeing and allocating the same request again reuses its address. */
static void alloc_free_reuses_address(struct kunit *test)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req one = {
		.name = "one", .size = SZ_1M, .zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_req two = {
		.name = "two", .size = SZ_2M, .align = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct resource *a, *b, *c;

	pvbus_mt_add_window(test, space, HIGH_BASE, SZ_1G);
	a = pvbus_mt_alloc_at(test, space, &one, HIGH_BASE);
	b = pvbus_mt_alloc_at(test, space, &one, HIGH_BASE + SZ_1M);
	c = pvbus_mt_alloc_at(test, space, &one, HIGH_BASE + SZ_2M);

	pvbus_mmio_free(space, b);
	b = pvbus_mt_alloc_at(test, space, &one, HIGH_BASE + SZ_1M);

	pvbus_mmio_free(space, c);
	c = pvbus_mt_alloc_at(test, space, &one, HIGH_BASE + SZ_2M);

	/* Two adjacent holes merge into one that fits 2 MiB. */
	pvbus_mmio_free(space, a);
	pvbus_mmio_free(space, b);
	a = pvbus_mt_alloc_at(test, space, &two, HIGH_BASE);

	pvbus_mmio_free(space, a);
	pvbus_mmio_free(space, c);
	pvbus_mt_alloc_at(test, space, &one, HIGH_BASE);
}

/*
 * An allocation that something is still requested inside (a driver's BAR
 * region) is not freed: the nested resource would point at freed memory.
 * Once that is released, the allocation is freed and its range reused.
 */
static void free_with_nested_resource(struct kunit *test)
{
	struct pvbus_mmio_req req = {
		.name = "bar", .size = SZ_1M, .zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_space *space;
	struct resource *child, *res;

	/* Before the space, so that KUnit frees it after the space. */
	child = kunit_kzalloc(test, sizeof(*child), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	space = pvbus_mt_space(test);
	pvbus_mt_add_window(test, space, HIGH_BASE, SZ_1G);
	res = pvbus_mt_alloc_at(test, space, &req, HIGH_BASE);

	child->name = "driver";
	child->start = res->start;
	child->end = res->start + SZ_4K - 1;
	child->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	KUNIT_ASSERT_EQ(test, request_resource(res, child), 0);

	KUNIT_EXPECT_EQ(test, pvbus_mmio_free(space, res), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, child->parent, res);
	KUNIT_EXPECT_NOT_NULL(test, res->parent);
	pvbus_mt_alloc_at(test, space, &req, HIGH_BASE + SZ_1M);

	release_resource(child);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_free(space, res), 0);
	pvbus_mt_alloc_at(test, space, &req, HIGH_BASE);
}

/*
 * Destroying a private space while a resource is still requested inside
 * one of its allocations: there is no parent outside the space to hand it
 * to, so the space is not freed (it is leaked, with an error message)
 * rather than leave the resource pointing at freed memory.  The case frees
 * what was leaked once the resource is gone.
 */
static void destroy_private_with_nested_resource(struct kunit *test)
{
	struct pvbus_mmio_req req = {
		.name = "bar", .size = SZ_1M, .zone = PVBUS_MMIO_HIGH,
	};
	struct resource *child, *res, *root;
	struct pvbus_mmio_space *space;

	child = kunit_kzalloc(test, sizeof(*child), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	/* Not a KUnit resource: the case destroys it, and frees it. */
	space = pvbus_mmio_space_create("pvbus-kunit-private");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, space);
	if (pvbus_mmio_add_window(space, HIGH_BASE, SZ_1G)) {
		pvbus_mmio_space_destroy(space);
		KUNIT_FAIL(test, "cannot add the window");
		return;
	}
	res = pvbus_mmio_alloc(space, &req);
	if (IS_ERR(res)) {
		pvbus_mmio_space_destroy(space);
		KUNIT_FAIL(test, "cannot allocate: %ld", PTR_ERR(res));
		return;
	}
	child->name = "driver";
	child->start = res->start;
	child->end = res->start + SZ_4K - 1;
	child->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	KUNIT_EXPECT_EQ(test, request_resource(res, child), 0);

	root = pvbus_mmio_space_root(space);
	pvbus_mmio_space_destroy(space);
	KUNIT_EXPECT_PTR_EQ(test, child->parent, root);
	KUNIT_EXPECT_PTR_EQ(test, root->child, child);
	release_resource(child);
	KUNIT_EXPECT_NULL(test, root->child);

	/* What pvbus_mmio_space_destroy() left: the space itself. */
	pvbus_mmio_space_free(space);
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
	{ "bad zone", RQ(.size = SZ_4K, .zone = PVBUS_MMIO_ANY + 1) },
	{ "bad zone, all ones", RQ(.size = SZ_4K,
				   .zone = (enum pvbus_mmio_zone)~0U) },
	{ "NULL name", { .size = SZ_4K } },
	{ "NULL req", { }, true },
};

KUNIT_ARRAY_PARAM_DESC(alloc_inval, alloc_inval_cases, desc);

static void alloc_invalid_request(struct kunit *test)
{
	const struct alloc_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req page = {
		.name = "page", .size = SZ_4K, .zone = PVBUS_MMIO_ANY,
	};
	struct resource *res;

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	pvbus_mt_add_window(test, space, HIGH_BASE, GIB4);
	res = pvbus_mmio_alloc(space, c->null_req ? NULL : &c->req);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(res), (long)-EINVAL);
	/* Nothing was taken. */
	pvbus_mt_alloc_at(test, space, &page, LOW_BASE);
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

KUNIT_ARRAY_PARAM_DESC(window_inval, window_inval_cases, desc);

/* Bad windows are refused; one ending exactly at the top is fine. */
static void add_window_invalid(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);

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

KUNIT_ARRAY_PARAM_DESC(rsv_inval, rsv_inval_cases, desc);

/*
 * Bad reservations are refused and leave nothing behind: the window is
 * still wholly available afterwards.
 */
static void reserve_invalid(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct pvbus_mmio_req all = {
		.name = "all", .size = SZ_256M, .zone = PVBUS_MMIO_LOW,
	};

	pvbus_mt_add_window(test, space, LOW_BASE, SZ_256M);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_reserve(space, c->start, c->size,
						 (enum pvbus_mmio_rsv)c->kind,
						 c->name), c->err);
	pvbus_mt_alloc_at(test, space, &all, LOW_BASE);
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

KUNIT_ARRAY_PARAM_DESC(window_busy, window_busy_cases, desc);

/* A window overlapping one of the space's windows is refused. */
static void add_window_overlap_busy(struct kunit *test)
{
	const struct range_inval_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);

	pvbus_mt_add_window(test, space, LOW_BASE, SZ_256M);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_add_window(space, c->start, c->size),
			c->err);
}

/* ---- the returned resource ------------------------------------------ */

/* The name is copied, the flags say MEM, and the parent is the window. */
static void alloc_resource_fields(struct kunit *test)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	char name[16] = "bar0";
	struct pvbus_mmio_req req = {
		.name = name, .size = 0x3000, .zone = PVBUS_MMIO_HIGH,
	};
	struct resource *hi, *lo;

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	pvbus_mt_add_window(test, space, HIGH_BASE, GIB4);
	hi = pvbus_mt_alloc_at(test, space, &req, HIGH_BASE);
	strscpy(name, "bar1", sizeof(name));
	req.zone = PVBUS_MMIO_LOW;
	lo = pvbus_mt_alloc_at(test, space, &req, LOW_BASE);
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

/* ---- passes around an architecture's hole --------------------------- */

/*
 * x86's allocate_resource() never places in its BIOS ROM area, and clips
 * a gap across it to its larger side: no pass may take it in, and each
 * keeps what lies on either side.  Three passes at the most are listed.
 */
#define ROM_HOLE	{ 0xffe00000ULL, 0xffffffffULL }
#define NO_HOLE		{ 1, 0 }

struct pass_case {
	const char *desc;
	enum pvbus_mmio_zone zone;
	u64 min, max;
	struct pvbus_mmio_pass hole;
	unsigned int n;
	struct pvbus_mmio_pass pass[3];
};

static const struct pass_case pass_cases[] = {
	{ "low, no hole", PVBUS_MMIO_LOW, 0, TOP, NO_HOLE,
	  1, { { 0, 0xffffffff } } },
	{ "low: short of the hole", PVBUS_MMIO_LOW, 0, TOP, ROM_HOLE,
	  1, { { 0, 0xffdfffff } } },
	{ "high: the hole below it", PVBUS_MMIO_HIGH, 0, TOP, ROM_HOLE,
	  1, { { GIB4, TOP } } },
	{ "any across the hole: both sides", PVBUS_MMIO_ANY,
	  0xc0000000, 0x13fffffff, ROM_HOLE,
	  2, { { 0xc0000000, 0xffdfffff }, { GIB4, 0x13fffffff } } },
	{ "any, no hole: one pass", PVBUS_MMIO_ANY,
	  0xc0000000, 0x13fffffff, NO_HOLE,
	  1, { { 0xc0000000, 0x13fffffff } } },
	{ "any from inside the hole", PVBUS_MMIO_ANY,
	  0xfff00000, 0x1ffffffff, ROM_HOLE, 1, { { GIB4, 0x1ffffffff } } },
	{ "any up to inside the hole", PVBUS_MMIO_ANY,
	  0, 0xfff00000, ROM_HOLE, 1, { { 0, 0xffdfffff } } },
	{ "any wholly inside the hole", PVBUS_MMIO_ANY,
	  0xffe00000, 0xfff00000, ROM_HOLE, 0 },
	{ "prefer-high: high, then low short of the hole",
	  PVBUS_MMIO_PREFER_HIGH, 0, TOP, ROM_HOLE,
	  2, { { GIB4, TOP }, { 0, 0xffdfffff } } },
};

KUNIT_ARRAY_PARAM_DESC(pass, pass_cases, desc);

static void passes_around_hole(struct kunit *test)
{
	const struct pass_case *c = test->param_value;
	struct pvbus_mmio_req req = { .name = "t", .size = SZ_4K,
				      .zone = c->zone };
	struct pvbus_mmio_pass pass[PVBUS_MMIO_MAX_PASSES];
	unsigned int n, i;

	n = __pvbus_mmio_passes(&req, c->min, c->max, &c->hole, pass);
	KUNIT_ASSERT_EQ(test, n, c->n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, pass[i].min, c->pass[i].min,
				    "pass %u", i);
		KUNIT_EXPECT_EQ_MSG(test, pass[i].max, c->pass[i].max,
				    "pass %u", i);
	}
}

static struct kunit_case pvbus_mmio_cases[] = {
	KUNIT_CASE_PARAM(alloc_zone_placement, zone_gen_params),
	KUNIT_CASE_PARAM(alloc_min_max_clamp, minmax_gen_params),
	KUNIT_CASE_PARAM(alloc_alignment, align_gen_params),
	KUNIT_CASE_PARAM(alloc_avoids_reservation, avoid_gen_params),
	KUNIT_CASE_PARAM(alloc_fb_overlap_ok_framebuffer_first, fb_gen_params),
	KUNIT_CASE(alloc_fb_overlap_ok_packs_framebuffer),
	KUNIT_CASE_PARAM(alloc_fb_overlap_ok_avoids_firmware_host,
			 fb_rsv_gen_params),
	KUNIT_CASE_PARAM(alloc_reservation_partly_outside_window,
			 outside_gen_params),
	KUNIT_CASE(alloc_reservation_before_window),
	KUNIT_CASE_PARAM(reserve_over_allocation_busy, busy_rsv_gen_params),
	KUNIT_CASE(alloc_enospc_leaves_space_unchanged),
	KUNIT_CASE(alloc_free_reuses_address),
	KUNIT_CASE(free_with_nested_resource),
	KUNIT_CASE(destroy_private_with_nested_resource),
	KUNIT_CASE_PARAM(alloc_invalid_request, alloc_inval_gen_params),
	KUNIT_CASE_PARAM(add_window_invalid, window_inval_gen_params),
	KUNIT_CASE_PARAM(reserve_invalid, rsv_inval_gen_params),
	KUNIT_CASE_PARAM(add_window_overlap_busy, window_busy_gen_params),
	KUNIT_CASE(alloc_resource_fields),
	KUNIT_CASE_PARAM(passes_around_hole, pass_gen_params),
	{}
};

static struct kunit_suite pvbus_mmio_suite = {
	.name = "pvbus_mmio",
	.test_cases = pvbus_mmio_cases,
};

kunit_test_suite(pvbus_mmio_suite);

MODULE_DESCRIPTION("KUnit tests for the pvbus MMIO allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
