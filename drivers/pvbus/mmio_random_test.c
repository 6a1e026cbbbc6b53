// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pvbus MMIO allocator, at scale: the cost of a
 * failing request, concurrent allocation, and randomized runs (fixed
 * seeds) against invariants and a reference model.
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
#include <linux/string.h>

#include "kunit_param.h"
#include "mmio_internal.h"
#include "mmio_test.h"

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
	}
	return "bad";
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

KUNIT_ARRAY_PARAM_DESC(gaps, gaps_cases, desc);

/*
 * Split a window of @size into nallocs + 1 equal gaps with 4 KiB
 * allocations, then count the gaps a failing 4 KiB-aligned request walks.
 */
static u64 gaps_for_failure(struct kunit *test, const struct gaps_case *c,
			    resource_size_t base, resource_size_t size)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	resource_size_t step = size / (c->nallocs + 1);
	struct pvbus_mmio_req req = {
		.name = "gap", .size = SZ_4K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	unsigned int i;
	u64 before;

	pvbus_mt_add_window(test, space, base, size);
	for (i = 1; i <= c->nallocs; i++) {
		req.min = base + i * step;
		pvbus_mt_alloc_at(test, space, &req, req.min);
	}

	req.min = 0;
	req.size = size / c->div * c->mul;
	before = pvbus_mmio_space_gaps_walked(space);
	pvbus_mt_alloc_expect(test, space, &req, -ENOSPC, 0);
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

/* ---- records walked per gap ------------------------------------------ */

#define RSV_WALK_N	64

struct rsv_walk_case {
	const char *desc;
	enum pvbus_mmio_rsv kind;
};

static const struct rsv_walk_case rsv_walk_cases[] = {
	{ "firmware records", PVBUS_RSV_FIRMWARE },
	{ "host records", PVBUS_RSV_HOST },
	{ "framebuffer records, a plain request", PVBUS_RSV_FRAMEBUFFER },
};

KUNIT_ARRAY_PARAM_DESC(rsv_walk, rsv_walk_cases, desc);

/*
 * RSV_WALK_N reservations of 4 KiB, 64 KiB apart, leave gaps of 60 KiB
 * that a 128 KiB request cannot use, so every gap is refused before the
 * one past the last record.  Refusing a gap costs the records that can
 * overlap it, not all of them: the request looks at O(records + gaps)
 * records, not O(records * gaps).
 */
static void alloc_walks_records_near_gaps(struct kunit *test)
{
	const struct rsv_walk_case *c = test->param_value;
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	const resource_size_t last = HIGH_BASE + (RSV_WALK_N - 1) * SZ_64K;
	struct pvbus_mmio_req req = {
		.name = "past the records", .size = SZ_128K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct resource *res;
	u64 gaps, recs;
	unsigned int i;

	pvbus_mt_add_window(test, space, HIGH_BASE, SZ_1G);
	for (i = 0; i < RSV_WALK_N; i++)
		KUNIT_ASSERT_EQ(test,
				pvbus_mmio_reserve(space, HIGH_BASE + i * SZ_64K,
						   SZ_4K, c->kind, "walk"),
				0);
	gaps = pvbus_mmio_space_gaps_walked(space);
	recs = pvbus_mmio_space_rsv_walked(space);
	res = pvbus_mmio_alloc(space, &req);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(res));
	gaps = pvbus_mmio_space_gaps_walked(space) - gaps;
	recs = pvbus_mmio_space_rsv_walked(space) - recs;
	kunit_info(test, "%llu gaps, %llu records walked\n", gaps, recs);
	KUNIT_EXPECT_EQ(test, (u64)res->start, (u64)last + SZ_4K);
	KUNIT_EXPECT_GE(test, gaps, (u64)RSV_WALK_N);
	KUNIT_EXPECT_LE(test, recs, 4 * (gaps + RSV_WALK_N));
	pvbus_mmio_free(space, res);
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
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
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
	pvbus_mt_add_window(test, space, CONC_BASE, CONC_SIZE);

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
	pvbus_mt_alloc_at(test, space, &all, CONC_BASE);
	pvbus_mt_space_destroy(test, space);
}

/* ---- a window packed with allocations -------------------------------- */

#define PACK_BASE	HIGH_BASE
#define PACK_MAX	512

struct pack_case {
	const char *desc;
	unsigned int n;		/* 4 KiB allocations, packed from the start */
	unsigned int free_every; /* then free every k-th (0: none) ... */
	unsigned int free_from;	/* ... from this one on */
};

static const struct pack_case pack_cases[] = {
	{ "1 allocation", 1, 0, 0 },
	{ "512 allocations, none freed", 512, 0, 0 },
	{ "512, the first freed", 512, 512, 0 },
	{ "512, the last freed", 512, 512, 511 },
	{ "512, every 2nd freed", 512, 2, 1 },
	{ "512, every 7th from the 300th freed", 512, 7, 300 },
	{ "300, every 3rd freed", 300, 3, 0 },
};

KUNIT_ARRAY_PARAM_DESC(pack, pack_cases, desc);

/*
 * Many allocations side by side, some freed: the space must know each
 * one as an obstacle of its own (pvbus_mmio_reserve() refuses exactly the
 * live ones, pvbus_mmio_find() finds the holes a brute-force walk over
 * the slots finds) and free each one it handed out.
 */
static void alloc_packed_lookup(struct kunit *test)
{
	const struct pack_case *c = test->param_value;
	struct pvbus_mmio_req one = {
		.name = "pack", .size = SZ_4K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_space *space = pvbus_mt_space(test);
	struct resource **live;
	resource_size_t addr, got, want;
	unsigned int i, j;
	int ret;

	live = kunit_kcalloc(test, PACK_MAX + 1, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	pvbus_mt_add_window(test, space, PACK_BASE, SZ_16M);

	for (i = 0; i < c->n; i++)
		live[i] = pvbus_mt_alloc_at(test, space, &one,
					    PACK_BASE + (resource_size_t)i * SZ_4K);
	for (i = c->free_from; c->free_every && i < c->n; i += c->free_every) {
		KUNIT_ASSERT_EQ(test, pvbus_mmio_free(space, live[i]), 0);
		live[i] = NULL;
	}

	/* The reference: the slots, one by one. */
	for (i = 0; i <= c->n; i++) {
		addr = PACK_BASE + (resource_size_t)i * SZ_4K;
		ret = pvbus_mmio_reserve(space, addr, SZ_4K, PVBUS_RSV_HOST,
					 "pack rsv");
		KUNIT_EXPECT_EQ_MSG(test, ret, live[i] ? -EBUSY : 0,
				    "reserve of slot %u", i);
		if (!ret)
			KUNIT_EXPECT_EQ(test, pvbus_mmio_unreserve(space, addr,
								   SZ_4K,
								   PVBUS_RSV_HOST),
					0);
		/* A range across two slots, busy if either is. */
		if (i < c->n) {
			ret = pvbus_mmio_reserve(space, addr + SZ_2K, SZ_4K,
						 PVBUS_RSV_FIRMWARE, "pack rsv");
			KUNIT_EXPECT_EQ_MSG(test, ret,
					    live[i] || live[i + 1] ? -EBUSY : 0,
					    "reserve across slots %u and %u",
					    i, i + 1);
			if (!ret)
				pvbus_mmio_unreserve(space, addr + SZ_2K,
						     SZ_4K, PVBUS_RSV_FIRMWARE);
		}
	}

	/* The first hole of one slot, and of two slots side by side. */
	for (j = 1; j <= 2; j++) {
		struct pvbus_mmio_req req = one;

		req.size = j * SZ_4K;
		for (i = 0; i + j - 1 <= c->n; i++)
			if (!live[i] && (j == 1 || !live[i + 1]))
				break;
		want = PACK_BASE + (resource_size_t)i * SZ_4K;
		KUNIT_EXPECT_EQ(test, pvbus_mmio_find(space, &req, &got), 0);
		KUNIT_EXPECT_EQ_MSG(test, got, want, "find of %u slots", j);
	}

	/* Each live one is the space's own to free; then all is free. */
	for (i = 0; i < c->n; i++)
		if (live[i])
			KUNIT_EXPECT_EQ_MSG(test, pvbus_mmio_free(space, live[i]),
					    0, "free of slot %u", i);
	one.size = SZ_16M;
	pvbus_mt_alloc_at(test, space, &one, PACK_BASE);
	pvbus_mt_space_destroy(test, space);
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
	unsigned int allocs, enospc, einval, frees, rsv_ok, rsv_busy, finds;
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
	if (!req->name || !req->size || req->zone > PVBUS_MMIO_ANY)
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

	req->zone = rnd32(r, PVBUS_MMIO_ANY + 1);
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
		req->zone = PVBUS_MMIO_ANY + 1 + rnd32(r, 4);
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

/*
 * pvbus_mmio_find() of a valid request without fb_overlap_ok: the room
 * the model finds, since nobody else has resources in these windows.
 */
static bool rnd_find(struct rnd_run *r, const struct pvbus_mmio_req *req,
		     bool fits, resource_size_t want)
{
	resource_size_t start = 0;
	int ret = pvbus_mmio_find(r->space, req, &start);

	r->finds++;
	if (ret == (fits ? 0 : -ENOSPC) && (!fits || start == want))
		return true;
	KUNIT_FAIL(r->test,
		   "find: %d at %#llx, model says %s %#llx: size %#llx align %#llx min %#llx max %#llx zone %s",
		   ret, ADDR(start), fits ? "fits at" : "-ENOSPC",
		   ADDR(want), ADDR(req->size), ADDR(req->align),
		   ADDR(req->min), ADDR(req->max), zone_name(req->zone));
	return false;
}

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

	if (valid && r->model && !req.fb_overlap_ok &&
	    !rnd_find(r, &req, fits, want))
		return false;

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
	r->space = pvbus_mt_space(test);

	for (i = 0; i < ARRAY_SIZE(rnd_rsvs); i++) {
		if (i == RND_RSV_EARLY)
			pvbus_mt_add_windows(test, r->space, rnd_wins,
					     ARRAY_SIZE(rnd_wins));
		pvbus_mt_reserve(test, r->space, rnd_rsvs[i].start, rnd_rsvs[i].size,
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
		   "%u allocs, %u -ENOSPC, %u -EINVAL, %u frees, %u reserved, %u -EBUSY, %u finds\n",
		   r->allocs, r->enospc, r->einval, r->frees, r->rsv_ok,
		   r->rsv_busy, r->finds);
	/* The run really exercised all outcomes. */
	KUNIT_EXPECT_GT(test, r->allocs, RND_OPS / 4);
	KUNIT_EXPECT_GT(test, r->enospc, 0U);
	KUNIT_EXPECT_GT(test, r->einval, 0U);
	if (model)
		KUNIT_EXPECT_GT(test, r->finds, 0U);
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
 * at the lowest fitting address, and -ENOSPC only when nothing fits;
 * pvbus_mmio_find() finds the same room first.
 */
static void alloc_random_matches_model(struct kunit *test)
{
	rnd_run(test, true);
}

static struct kunit_case pvbus_mmio_random_cases[] = {
	KUNIT_CASE_PARAM(alloc_failure_walks_gaps, gaps_gen_params),
	KUNIT_CASE_PARAM(alloc_walks_records_near_gaps, rsv_walk_gen_params),
	KUNIT_CASE(alloc_free_concurrent),
	KUNIT_CASE_PARAM(alloc_packed_lookup, pack_gen_params),
	KUNIT_CASE_PARAM(alloc_random_invariants, rnd_seed_gen_params),
	KUNIT_CASE_PARAM(alloc_random_matches_model, rnd_seed_gen_params),
	{}
};

static struct kunit_suite pvbus_mmio_random_suite = {
	.name = "pvbus_mmio_random",
	.test_cases = pvbus_mmio_random_cases,
};

kunit_test_suite(pvbus_mmio_random_suite);

MODULE_DESCRIPTION("Randomised KUnit tests for the pvbus MMIO allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
