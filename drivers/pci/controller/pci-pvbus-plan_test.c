// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pci-pvbus BAR planner (pci_pvbus_plan) and for the
 * choice of a PCI domain (pci_pvbus_domain).
 *
 * Every plan a case makes goes through plan_check(), which proves the
 * invariants whatever the case is about: every BAR is placed once, inside
 * its window, naturally aligned, in the zone the policy demands, with no
 * two BARs and no BAR and range in use overlapping; every new packed
 * window is exactly its BARs plus its slack.  The cases that go through
 * pci_pvbus_place() use a private MMIO space of the allocator, so that
 * "outside the windows", "on the framebuffer" and "no room" mean what they
 * mean on a real bus.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/pvbus.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "pci-pvbus-plan.h"
#include "pci-pvbus-test.h"
#include "../../pvbus/fwfb.h"
#include "../../pvbus/kunit_param.h"

#define MAX_FN		PVBUS_PCI_MAX_FUNCTIONS
#define MAX_WIN		(2 + MAX_FN * PVBUS_PCI_NR_BARS + 8)
#define MAX_USED	16
#define GIB4		0x100000000ULL
#define LOW_BASE	0xc0000000ULL
#define HIGH_BASE	0x800000000ULL

struct fixture {
	struct pci_pvbus_bar bar[MAX_FN][PVBUS_PCI_NR_BARS];
	struct pci_pvbus_plan_fn fn[MAX_FN];
	struct pci_pvbus_plan_win win[MAX_WIN];
	struct pci_pvbus_range used[MAX_USED];
	struct pci_pvbus_plan plan;
};

static struct fixture *fixture(struct kunit *test, unsigned int nr_fn)
{
	struct fixture *f;
	unsigned int i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < MAX_FN; i++)
		f->fn[i].bar = f->bar[i];
	f->plan.fn = f->fn;
	f->plan.nr_fn = nr_fn;
	f->plan.win = f->win;
	f->plan.max_win = MAX_WIN;
	f->plan.used = f->used;
	return f;
}

static void set_bar(struct fixture *f, unsigned int fn, unsigned int b,
		    u64 size, u32 flags)
{
	f->bar[fn][b].size = size;
	f->bar[fn][b].flags = flags;
	if (flags & PCI_PVBUS_BAR_64)
		f->bar[fn][b + 1].flags = PCI_PVBUS_BAR_UPPER;
}

static void set_host(struct fixture *f, unsigned int fn, unsigned int b,
		     u64 addr)
{
	f->bar[fn][b].host_addr = addr;
	f->fn[fn].preserve = true;
}

static void add_win(struct fixture *f, u64 start, u64 size,
		    enum pci_pvbus_zone zone, enum pci_pvbus_win_kind kind)
{
	f->win[f->plan.nr_old++] = (struct pci_pvbus_plan_win) {
		.start	= start,
		.size	= size,
		.zone	= zone,
		.kind	= kind,
	};
}

static void add_used(struct fixture *f, u64 start, u64 size)
{
	f->used[f->plan.nr_used].start = start;
	f->used[f->plan.nr_used].end = start + size - 1;
	f->plan.nr_used++;
}

static bool placeable(const struct pci_pvbus_bar *bar)
{
	return bar->size &&
	       !(bar->flags & (PCI_PVBUS_BAR_IO | PCI_PVBUS_BAR_UPPER));
}

/* Where a placed BAR starts (an offset for a window not yet placed). */
static u64 bar_start(const struct fixture *f, unsigned int fn, unsigned int b)
{
	return f->win[f->fn[fn].win[b]].start + f->fn[fn].off[b];
}

/* The invariants of every plan. */
static void plan_check(struct kunit *test, const struct fixture *f)
{
	const struct pci_pvbus_plan *p = &f->plan;
	unsigned int i, b, j, c, w;
	u64 *sum, *largest;

	KUNIT_ASSERT_LE(test, p->nr_win, p->max_win);
	sum = kunit_kcalloc(test, MAX_WIN, sizeof(*sum), GFP_KERNEL);
	largest = kunit_kcalloc(test, MAX_WIN, sizeof(*largest), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sum);
	KUNIT_ASSERT_NOT_NULL(test, largest);
	for (i = 0; i < p->nr_fn; i++) {
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			const struct pci_pvbus_bar *bar = &f->bar[i][b];
			const struct pci_pvbus_plan_win *win;
			u64 s, e;

			if (!placeable(bar)) {
				KUNIT_EXPECT_EQ(test, f->fn[i].win[b], -1);
				continue;
			}
			KUNIT_ASSERT_GE_MSG(test, f->fn[i].win[b], 0,
					    "fn %u BAR %u not placed", i, b);
			KUNIT_ASSERT_LT(test, (unsigned int)f->fn[i].win[b],
					p->nr_win);
			w = f->fn[i].win[b];
			win = &f->win[w];
			s = bar_start(f, i, b);
			e = s + bar->size - 1;

			KUNIT_EXPECT_EQ_MSG(test, f->fn[i].off[b] % bar->size,
					    0ULL, "fn %u BAR %u offset", i, b);
			KUNIT_EXPECT_LE_MSG(test, f->fn[i].off[b] + bar->size,
					    win->size, "fn %u BAR %u", i, b);
			if (!win->is_new || win->kind == PCI_PVBUS_WIN_FIXED ||
			    win->start)
				KUNIT_EXPECT_EQ_MSG(test, s % bar->size, 0ULL,
						    "fn %u BAR %u", i, b);

			/* The zone policy. */
			if (!(bar->flags & PCI_PVBUS_BAR_64))
				KUNIT_EXPECT_EQ_MSG(test, win->zone,
						    PCI_PVBUS_LOW,
						    "32-bit fn %u BAR %u", i, b);
			else if (win->kind == PCI_PVBUS_WIN_PACKED &&
				 (!p->no_high || w >= p->nr_old))
				/* With no_high, an old window of either zone. */
				KUNIT_EXPECT_EQ_MSG(test, win->zone,
						    p->no_high ? PCI_PVBUS_LOW :
								 PCI_PVBUS_HIGH,
						    "64-bit fn %u BAR %u", i, b);

			/* Preserved and kept: at the host's address. */
			if (f->fn[i].preserve &&
			    f->fn[i].keep == PCI_PVBUS_KEEP_OK) {
				KUNIT_EXPECT_EQ(test, win->kind,
						PCI_PVBUS_WIN_FIXED);
				KUNIT_EXPECT_EQ(test, s, bar->host_addr);
			} else {
				KUNIT_EXPECT_EQ(test, win->kind,
						PCI_PVBUS_WIN_PACKED);
			}

			/* Existing windows: nothing in use is touched. */
			for (c = 0; w < p->nr_old && c < p->nr_used; c++) {
				const struct pci_pvbus_range *u = &f->used[c];

				KUNIT_EXPECT_FALSE_MSG(test,
						       pvbus_ranges_overlap(s, e, u->start,
									    u->end),
						       "fn %u BAR %u in use",
						       i, b);
			}

			/* No two BARs in one window overlap. */
			for (j = 0; j < p->nr_fn; j++) {
				for (c = 0; c < PVBUS_PCI_NR_BARS; c++) {
					u64 s2, e2;

					if ((j == i && c == b) ||
					    !placeable(&f->bar[j][c]) ||
					    f->fn[j].win[c] != w)
						continue;
					s2 = bar_start(f, j, c);
					e2 = s2 + f->bar[j][c].size - 1;
					KUNIT_EXPECT_FALSE_MSG(test,
							       pvbus_ranges_overlap(s, e,
										    s2, e2),
							       "fn %u BAR %u, fn %u BAR %u",
							       i, b, j, c);
				}
			}
			sum[w] += bar->size;
			largest[w] = max(largest[w], bar->size);
		}
	}

	/* New packed windows: exactly their BARs plus slack, aligned. */
	for (w = p->nr_old; w < p->nr_win; w++) {
		const struct pci_pvbus_plan_win *win = &f->win[w];
		u64 slack = p->slack[win->zone];

		KUNIT_EXPECT_TRUE(test, win->is_new);
		if (win->kind != PCI_PVBUS_WIN_PACKED)
			continue;
		KUNIT_EXPECT_EQ(test, win->used, sum[w]);
		if (win->res)
			continue;	/* placed: the allocator decided */
		KUNIT_EXPECT_EQ(test, win->size,
				ALIGN(sum[w] + slack, (u64)SZ_4K));
		KUNIT_EXPECT_GE(test, win->align, largest[w]);
		KUNIT_EXPECT_TRUE(test, is_power_of_2(win->align));
		if (slack)
			KUNIT_EXPECT_GE(test, win->align,
					(u64)rounddown_pow_of_two(slack));
	}
	kunit_kfree(test, sum);
	kunit_kfree(test, largest);
}

/* The new packed window of @zone, or -1. */
static int new_packed(const struct fixture *f, enum pci_pvbus_zone zone)
{
	unsigned int w;

	for (w = f->plan.nr_old; w < f->plan.nr_win; w++)
		if (f->win[w].kind == PCI_PVBUS_WIN_PACKED &&
		    f->win[w].zone == zone)
			return w;
	return -1;
}

/* ---- pci_pvbus_plan: pure planning ---------------------------------- */

static void plan_empty(struct kunit *test)
{
	struct fixture *f = fixture(test, 0);

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 0U);

	/* With slack, a bus without BARs still gets room for hot add. */
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;
	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	KUNIT_ASSERT_EQ(test, f->plan.nr_win, 1U);
	KUNIT_EXPECT_EQ(test, f->win[0].zone, PCI_PVBUS_HIGH);
	KUNIT_EXPECT_EQ(test, f->win[0].size, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, f->win[0].used, 0ULL);
	plan_check(test, f);
}

static void plan_mixed(struct kunit *test)
{
	struct fixture *f = fixture(test, 3);
	int lo, hi;

	set_bar(f, 0, 0, SZ_1M, 0);
	set_bar(f, 0, 2, SZ_8M, PCI_PVBUS_BAR_64 | PCI_PVBUS_BAR_PREFETCH);
	set_bar(f, 1, 0, SZ_16K, PCI_PVBUS_BAR_64);
	set_bar(f, 1, 2, SZ_4K, 0);
	set_bar(f, 1, 3, SZ_64K, PCI_PVBUS_BAR_PREFETCH);
	set_bar(f, 2, 4, SZ_2M, PCI_PVBUS_BAR_64);
	f->bar[2][0].size = 0x100;	/* an I/O BAR: never placed */
	f->bar[2][0].flags = PCI_PVBUS_BAR_IO;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 2U);
	lo = new_packed(f, PCI_PVBUS_LOW);
	hi = new_packed(f, PCI_PVBUS_HIGH);
	KUNIT_ASSERT_GE(test, lo, 0);
	KUNIT_ASSERT_GE(test, hi, 0);
	KUNIT_EXPECT_EQ(test, f->win[lo].used, (u64)SZ_1M + SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, f->win[hi].used, (u64)SZ_8M + SZ_2M + SZ_16K);
	KUNIT_EXPECT_EQ(test, f->win[hi].align, (u64)SZ_8M);

	/* Largest first: the 8M BAR at 0, then 2M, then 16K. */
	KUNIT_EXPECT_EQ(test, f->fn[0].off[2], 0ULL);
	KUNIT_EXPECT_EQ(test, f->fn[2].off[4], (u64)SZ_8M);
	KUNIT_EXPECT_EQ(test, f->fn[1].off[0], (u64)SZ_8M + SZ_2M);
	KUNIT_EXPECT_EQ(test, f->fn[2].win[0], -1);
	/* The planner leaves the BARs' flags (prefetchable) as they are. */
	KUNIT_EXPECT_TRUE(test, f->bar[0][2].flags & PCI_PVBUS_BAR_PREFETCH);
}

static void plan_no_high(struct kunit *test)
{
	struct fixture *f = fixture(test, 2);

	set_bar(f, 0, 0, SZ_1M, PCI_PVBUS_BAR_64);
	set_bar(f, 1, 0, SZ_4M, 0);
	f->plan.no_high = true;
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 1U);
	KUNIT_EXPECT_EQ(test, f->win[0].zone, PCI_PVBUS_LOW);
	KUNIT_EXPECT_EQ(test, f->win[0].size, (u64)SZ_4M + SZ_1M);
}

/*
 * With no new window above 4 GiB to be had, a hot-added 64-bit BAR still
 * goes into a gap of the bus's window above; only what does not fit
 * there goes below.  All of them used to go below.
 */
static void plan_no_high_old_gap(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);

	add_win(f, HIGH_BASE, SZ_16M, PCI_PVBUS_HIGH, PCI_PVBUS_WIN_PACKED);
	set_bar(f, 0, 0, SZ_1G, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 2, SZ_2M, PCI_PVBUS_BAR_64);
	f->plan.no_high = true;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->fn[0].win[2], 0);
	KUNIT_ASSERT_EQ(test, f->plan.nr_win, 2U);
	KUNIT_EXPECT_EQ(test, f->win[1].zone, PCI_PVBUS_LOW);
	KUNIT_EXPECT_EQ(test, f->win[1].size, (u64)SZ_1G);
}

/* Powers of two, packed largest first: the window is their sum. */
static void plan_zero_waste(struct kunit *test)
{
	static const u64 sizes[] = {
		SZ_64K, SZ_1M, SZ_16K, SZ_256K, SZ_4K, SZ_512K, SZ_4K, SZ_2M,
		SZ_128K, SZ_8K, SZ_32K, SZ_1M,
	};
	struct fixture *f = fixture(test, 2);
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		set_bar(f, i / 6, i % 6, sizes[i], 0);
		sum += sizes[i];
	}
	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_ASSERT_EQ(test, f->plan.nr_win, 1U);
	KUNIT_EXPECT_EQ(test, f->win[0].size, sum);
	KUNIT_EXPECT_EQ(test, f->win[0].used, sum);
	KUNIT_EXPECT_EQ(test, f->win[0].align, (u64)SZ_2M);
}

/* Random sets of powers of two: still no waste, no overlap. */
static void plan_zero_waste_random(struct kunit *test)
{
	struct rnd_state rnd;
	unsigned int round;

	prandom_seed_state(&rnd, 0x5eed);
	for (round = 0; round < 24; round++) {
		unsigned int nr_fn = 1 + prandom_u32_state(&rnd) % MAX_FN;
		struct fixture *f = fixture(test, nr_fn);
		u64 sum[PCI_PVBUS_NR_ZONES] = { };
		unsigned int i, b;
		int w;

		for (i = 0; i < nr_fn; i++) {
			for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
				u32 r = prandom_u32_state(&rnd);
				u64 size = 16ULL << (r % 20);	/* 16 .. 8M */
				bool is64 = r & BIT(8);

				if (r & BIT(9) || f->bar[i][b].flags ||
				    (is64 && b == PVBUS_PCI_NR_BARS - 1))
					continue;
				set_bar(f, i, b, size,
					is64 ? PCI_PVBUS_BAR_64 : 0);
				sum[is64] += size;
			}
		}
		KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
		plan_check(test, f);
		for (i = 0; i < PCI_PVBUS_NR_ZONES; i++) {
			w = new_packed(f, i);
			if (!sum[i]) {
				KUNIT_EXPECT_EQ(test, w, -1);
				continue;
			}
			KUNIT_ASSERT_GE(test, w, 0);
			KUNIT_EXPECT_EQ(test, f->win[w].used, sum[i]);
			KUNIT_EXPECT_EQ(test, f->win[w].size,
					ALIGN(sum[i], (u64)SZ_4K));
		}
		kunit_kfree(test, f);
	}
}

static void plan_slack(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);
	int lo, hi;

	set_bar(f, 0, 0, SZ_1M, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 2, 0x100, 0);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;
	f->plan.slack[PCI_PVBUS_LOW] = SZ_64K;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	lo = new_packed(f, PCI_PVBUS_LOW);
	hi = new_packed(f, PCI_PVBUS_HIGH);
	KUNIT_ASSERT_GE(test, lo, 0);
	KUNIT_ASSERT_GE(test, hi, 0);
	KUNIT_EXPECT_EQ(test, f->win[hi].size, (u64)SZ_16M + SZ_1M);
	KUNIT_EXPECT_EQ(test, f->win[hi].align, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, f->win[lo].size, (u64)SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, f->win[lo].align, (u64)SZ_64K);
}

/* Hot add: BARs go into the gaps of the existing windows first. */
static void plan_hot_add_fits(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);

	add_win(f, HIGH_BASE, SZ_32M, PCI_PVBUS_HIGH, PCI_PVBUS_WIN_PACKED);
	add_win(f, LOW_BASE, SZ_2M, PCI_PVBUS_LOW, PCI_PVBUS_WIN_PACKED);
	add_used(f, HIGH_BASE, SZ_8M);
	add_used(f, HIGH_BASE + SZ_8M, SZ_4K);
	add_used(f, LOW_BASE, SZ_1M);
	set_bar(f, 0, 0, SZ_8M, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 2, SZ_4K, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 4, SZ_512K, 0);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 2U);	/* no new window */
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 0), HIGH_BASE + SZ_16M);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 2), HIGH_BASE + SZ_8M + SZ_4K);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 4), LOW_BASE + SZ_1M);
}

/*
 * The low window is exhausted: a new 32-bit BAR takes a new low window,
 * never the high one, while a 64-bit BAR still fits above.
 */
static void plan_low_exhausted(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);
	int lo;

	add_win(f, LOW_BASE, SZ_4M, PCI_PVBUS_LOW, PCI_PVBUS_WIN_PACKED);
	add_win(f, HIGH_BASE, SZ_64M, PCI_PVBUS_HIGH, PCI_PVBUS_WIN_PACKED);
	add_used(f, LOW_BASE, SZ_2M);
	add_used(f, LOW_BASE + SZ_2M, SZ_1M);
	add_used(f, LOW_BASE + SZ_2M + SZ_1M + SZ_512K, SZ_512K);
	set_bar(f, 0, 0, SZ_1M, 0);	/* the 512K gap is too small */
	set_bar(f, 0, 1, SZ_512K, 0);	/* fits the gap */
	set_bar(f, 0, 2, SZ_4M, PCI_PVBUS_BAR_64);

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	lo = new_packed(f, PCI_PVBUS_LOW);
	KUNIT_ASSERT_GE(test, lo, 0);
	KUNIT_EXPECT_EQ(test, f->fn[0].win[0], lo);
	KUNIT_EXPECT_EQ(test, f->win[lo].size, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 1),
			LOW_BASE + SZ_2M + SZ_1M);
	KUNIT_EXPECT_EQ(test, f->fn[0].win[2], 1);
	KUNIT_EXPECT_EQ(test, new_packed(f, PCI_PVBUS_HIGH), -1);

	/* And with no window slot left, the plan fails. */
	f->plan.max_win = f->plan.nr_old;
	KUNIT_EXPECT_EQ(test, pci_pvbus_plan(&f->plan), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, f->plan.nr_old);
}

/*
 * No window slot left, and a zone with slack but no window of its own: a
 * BAR that fits a gap still goes there, and no room is made for hot add.
 */
static void plan_full_slack_skipped(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);

	add_win(f, LOW_BASE, SZ_4M, PCI_PVBUS_LOW, PCI_PVBUS_WIN_PACKED);
	add_used(f, LOW_BASE, SZ_2M);
	set_bar(f, 0, 0, SZ_1M, 0);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;
	f->plan.max_win = f->plan.nr_old;

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, f->plan.nr_old);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 0), LOW_BASE + SZ_2M);
}

/* More 32-bit BARs than 4 GiB can hold. */
static void plan_low_impossible(struct kunit *test)
{
	struct fixture *f = fixture(test, 1);

	set_bar(f, 0, 0, SZ_2G, 0);
	set_bar(f, 0, 1, SZ_2G, 0);
	set_bar(f, 0, 2, SZ_2G, 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_plan(&f->plan), -ENOSPC);

	/* 64-bit BARs of that size are fine above 4 GiB... */
	set_bar(f, 0, 0, SZ_2G, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 2, SZ_2G, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 4, SZ_2G, PCI_PVBUS_BAR_64);
	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	/* ...but not below it. */
	f->plan.no_high = true;
	KUNIT_EXPECT_EQ(test, pci_pvbus_plan(&f->plan), -ENOSPC);
}

static void plan_preserved_valid(struct kunit *test)
{
	struct fixture *f = fixture(test, 2);

	set_bar(f, 0, 0, SZ_1M, 0);
	set_host(f, 0, 0, LOW_BASE + SZ_1M);
	set_bar(f, 0, 2, SZ_2M, PCI_PVBUS_BAR_64 | PCI_PVBUS_BAR_PREFETCH);
	set_host(f, 0, 2, HIGH_BASE + SZ_2M);
	set_bar(f, 1, 0, SZ_1M, 0);

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->fn[0].keep, PCI_PVBUS_KEEP_OK);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 0), LOW_BASE + SZ_1M);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 2), HIGH_BASE + SZ_2M);
	KUNIT_EXPECT_EQ(test, f->win[f->fn[0].win[2]].zone, PCI_PVBUS_HIGH);
	KUNIT_EXPECT_EQ(test, f->fn[1].keep, PCI_PVBUS_KEEP_NONE);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 3U);
}

struct keep_case {
	const char *name;
	u64 size;
	u32 flags;
	u64 host;
	enum pci_pvbus_keep keep;
};

static const struct keep_case keep_cases[] = {
	{ "no host address", SZ_1M, 0, 0, PCI_PVBUS_KEEP_UNSET },
	{ "misaligned", SZ_1M, 0, LOW_BASE + SZ_512K,
	  PCI_PVBUS_KEEP_MISALIGNED },
	{ "32-bit above 4 GiB", SZ_1M, 0, HIGH_BASE, PCI_PVBUS_KEEP_ZONE },
	{ "32-bit across 4 GiB", SZ_2G, 0, GIB4 - SZ_1G,
	  PCI_PVBUS_KEEP_MISALIGNED },
	{ "32-bit ends at 4 GiB", SZ_1M, 0, GIB4 - SZ_1M, PCI_PVBUS_KEEP_OK },
	{ "64-bit at the top", SZ_1G, PCI_PVBUS_BAR_64, ~0ULL - SZ_1G + 1,
	  PCI_PVBUS_KEEP_OK },
	{ "on an existing window", SZ_1M, PCI_PVBUS_BAR_64, HIGH_BASE + SZ_1M,
	  PCI_PVBUS_KEEP_OVERLAP },
	{ "on the other preserved fn", SZ_1M, 0, LOW_BASE,
	  PCI_PVBUS_KEEP_OVERLAP },
	{ "64-bit below 4 GiB", SZ_1M, PCI_PVBUS_BAR_64, LOW_BASE + SZ_4M,
	  PCI_PVBUS_KEEP_OK },
};

KUNIT_ARRAY_PARAM_DESC(keep, keep_cases, name);

/* A preserved function is kept, or wholly reassigned, never half. */
static void plan_preserved(struct kunit *test)
{
	const struct keep_case *c = test->param_value;
	struct fixture *f = fixture(test, 2);

	add_win(f, HIGH_BASE, SZ_16M, PCI_PVBUS_HIGH, PCI_PVBUS_WIN_PACKED);
	/* Function 0: kept, first in line. */
	set_bar(f, 0, 0, SZ_1M, 0);
	set_host(f, 0, 0, LOW_BASE);
	/* Function 1: a valid BAR, then the case's. */
	set_bar(f, 1, 0, SZ_64K, PCI_PVBUS_BAR_64);
	set_host(f, 1, 0, GIB4 - SZ_64M);
	set_bar(f, 1, 2, c->size, c->flags);
	set_host(f, 1, 2, c->host);

	KUNIT_ASSERT_EQ(test, pci_pvbus_plan(&f->plan), 0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->fn[0].keep, PCI_PVBUS_KEEP_OK);
	KUNIT_EXPECT_EQ(test, f->fn[1].keep, c->keep);
	if (c->keep == PCI_PVBUS_KEEP_OK) {
		KUNIT_EXPECT_EQ(test, bar_start(f, 1, 2), c->host);
		KUNIT_EXPECT_EQ(test, bar_start(f, 1, 0), GIB4 - SZ_64M);
	} else {
		KUNIT_EXPECT_EQ(test, f->fn[1].bad_bar, 2);
		KUNIT_EXPECT_EQ(test,
				f->win[f->fn[1].win[0]].kind,
				PCI_PVBUS_WIN_PACKED);
	}
	KUNIT_EXPECT_STRNEQ(test, pci_pvbus_keep_reason(f->fn[1].keep),
			    "unknown");
}

/* ---- pci_pvbus_plan: planning and allocating ------------------------ */

static struct resource *space_alloc(void *ctx, const struct pvbus_mmio_req *req)
{
	return pvbus_mmio_alloc(ctx, req);
}

static void space_free(void *ctx, struct resource *res)
{
	pvbus_mmio_free(ctx, res);
}

static const struct pci_pvbus_mmio_ops space_ops = {
	.alloc	= space_alloc,
	.free	= space_free,
};

static void space_destroy(void *space)
{
	pvbus_mmio_space_destroy(space);
}

/* A private space with a low and a high window and a framebuffer. */
static struct pvbus_mmio_space *space(struct kunit *test, u64 low_size,
				      u64 high_size)
{
	struct pvbus_mmio_space *s;

	s = pvbus_mmio_space_create("pci-pvbus-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, space_destroy, s), 0);
	if (low_size)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_add_window(s, LOW_BASE,
							    low_size), 0);
	if (high_size)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_add_window(s, HIGH_BASE,
							    high_size), 0);
	/* A framebuffer at the start of the low window. */
	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(s, LOW_BASE, SZ_8M,
						 PVBUS_RSV_FRAMEBUFFER, "fb"),
			0);
	return s;
}

/* Nothing of the space is taken: a request for all of it succeeds. */
static void expect_space_free(struct kunit *test, struct pvbus_mmio_space *s,
			      u64 start, u64 size)
{
	struct pvbus_mmio_req req = {
		.name = "probe", .size = size, .align = SZ_4K,
		.min = start, .max = start + size - 1, .zone = PVBUS_MMIO_ANY,
	};
	struct resource *res = pvbus_mmio_alloc(s, &req);

	KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(res), "[%#llx-%#llx] is taken",
			       start, start + size - 1);
	if (!IS_ERR(res))
		pvbus_mmio_free(s, res);
}

static void place_mixed(struct kunit *test)
{
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_1G);
	struct fixture *f = fixture(test, 2);
	unsigned int w;

	set_bar(f, 0, 0, SZ_1M, 0);
	set_bar(f, 0, 2, SZ_8M, PCI_PVBUS_BAR_64);
	set_bar(f, 1, 0, SZ_2M, 0);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	plan_check(test, f);
	for (w = 0; w < f->plan.nr_win; w++) {
		struct pci_pvbus_plan_win *win = &f->win[w];

		KUNIT_ASSERT_NOT_NULL(test, win->res);
		KUNIT_EXPECT_EQ(test, win->start, (u64)win->res->start);
		KUNIT_EXPECT_EQ(test, win->size, (u64)resource_size(win->res));
		KUNIT_EXPECT_EQ(test, win->start % win->align, 0ULL);
		if (win->zone == PCI_PVBUS_LOW) {
			KUNIT_EXPECT_LT(test, win->start + win->size - 1, GIB4);
			/* Never on the framebuffer, though nobody asked. */
			KUNIT_EXPECT_GE(test, win->start, LOW_BASE + SZ_8M);
			KUNIT_EXPECT_EQ(test, win->size, (u64)SZ_2M + SZ_1M);
		} else {
			KUNIT_EXPECT_GE(test, win->start, GIB4);
			KUNIT_EXPECT_EQ(test, win->size, (u64)SZ_16M + SZ_8M);
		}
	}
	pci_pvbus_unplace(&f->plan, &space_ops, s);
	expect_space_free(test, s, LOW_BASE + SZ_8M, SZ_64M - SZ_8M);
	expect_space_free(test, s, HIGH_BASE, SZ_1G);
}

/* The low window has no room: nothing stays allocated. */
static void place_low_exhausted(struct kunit *test)
{
	struct pvbus_mmio_space *s = space(test, SZ_16M, SZ_1G);
	struct fixture *f = fixture(test, 1);

	set_bar(f, 0, 0, SZ_8M, 0);	/* the 8M left are aligned... */
	set_bar(f, 0, 1, SZ_4M, 0);	/* ...but 12M do not fit in 8M */
	set_bar(f, 0, 2, SZ_8M, PCI_PVBUS_BAR_64);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;

	KUNIT_EXPECT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			-ENOSPC);
	expect_space_free(test, s, LOW_BASE + SZ_8M, SZ_8M);
	expect_space_free(test, s, HIGH_BASE, SZ_1G);

	/* Without the 4M BAR it fits, and takes all of it. */
	set_bar(f, 0, 1, 0, 0);
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, bar_start(f, 0, 0), LOW_BASE + SZ_8M);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
}

/* No high window: 64-bit BARs go below 4 GiB, never on the framebuffer. */
static void place_no_high_window(struct kunit *test)
{
	struct pvbus_mmio_space *s = space(test, SZ_64M, 0);
	struct fixture *f = fixture(test, 1);

	set_bar(f, 0, 0, SZ_4M, PCI_PVBUS_BAR_64);
	set_bar(f, 0, 2, SZ_1M, 0);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	KUNIT_EXPECT_TRUE(test, f->plan.no_high);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->plan.nr_win, 1U);
	KUNIT_EXPECT_GE(test, bar_start(f, 0, 0), LOW_BASE + SZ_8M);
	KUNIT_EXPECT_LT(test, bar_start(f, 0, 0), GIB4);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
}

/*
 * Windows for 32-bit BARs pack downwards from the top of the low window,
 * one against the other, leaving the room below them in one piece.
 */
static void place_low_packs_down(struct kunit *test)
{
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_1G);
	struct fixture *a = fixture(test, 1);
	struct fixture *b = fixture(test, 1);
	u64 top = LOW_BASE + SZ_64M;

	set_bar(a, 0, 0, SZ_2M, 0);
	set_bar(b, 0, 0, SZ_1M, 0);

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&a->plan, &space_ops, s, "a"),
			0);
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&b->plan, &space_ops, s, "b"),
			0);
	plan_check(test, a);
	plan_check(test, b);
	KUNIT_EXPECT_EQ(test, bar_start(a, 0, 0), top - SZ_2M);
	KUNIT_EXPECT_EQ(test, bar_start(b, 0, 0), top - SZ_2M - SZ_1M);
	expect_space_free(test, s, LOW_BASE + SZ_8M, SZ_64M - SZ_8M - SZ_2M -
			  SZ_1M);
	pci_pvbus_unplace(&b->plan, &space_ops, s);
	pci_pvbus_unplace(&a->plan, &space_ops, s);
}

/* Slack that does not fit is given up before the plan is. */
static void place_slack_dropped(struct kunit *test)
{
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_16M);
	struct fixture *f = fixture(test, 1);
	int hi;

	set_bar(f, 0, 0, SZ_4M, PCI_PVBUS_BAR_64);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_32M;

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	KUNIT_EXPECT_FALSE(test, f->plan.no_high);
	hi = new_packed(f, PCI_PVBUS_HIGH);
	KUNIT_ASSERT_GE(test, hi, 0);
	KUNIT_EXPECT_EQ(test, f->win[hi].size, (u64)SZ_4M);
	KUNIT_EXPECT_GE(test, f->win[hi].start, HIGH_BASE);
	pci_pvbus_unplace(&f->plan, &space_ops, s);

	/* A window of nothing but slack is given up altogether. */
	set_bar(f, 0, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	hi = new_packed(f, PCI_PVBUS_HIGH);
	KUNIT_ASSERT_GE(test, hi, 0);
	KUNIT_EXPECT_EQ(test, f->win[hi].size, 0ULL);
	KUNIT_EXPECT_NULL(test, f->win[hi].res);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
}

/* Slack too large to be had at all is dropped, never the plan. */
struct huge_slack_case {
	const char *name;
	enum pci_pvbus_zone zone;
	u64 slack;
};

static const struct huge_slack_case huge_slack_cases[] = {
	{ "2^63 above 4 GiB", PCI_PVBUS_HIGH, 1ULL << 63 },
	{ "U64_MAX above 4 GiB", PCI_PVBUS_HIGH, U64_MAX },
	{ "U64_MAX - 4K + 1 above 4 GiB", PCI_PVBUS_HIGH, U64_MAX - SZ_4K + 1 },
	{ "8 GiB below 4 GiB", PCI_PVBUS_LOW, 8ULL * SZ_1G },
	{ "U64_MAX below 4 GiB", PCI_PVBUS_LOW, U64_MAX },
};

KUNIT_ARRAY_PARAM_DESC(huge_slack, huge_slack_cases, name);

/* The same slack for a zone where no BAR goes: no window at all. */
static void place_huge_slack_alone_dropped(struct kunit *test)
{
	const struct huge_slack_case *c = test->param_value;
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_1G);
	struct fixture *f = fixture(test, 1);
	int w;

	f->plan.slack[c->zone] = c->slack;

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	w = new_packed(f, c->zone);
	KUNIT_ASSERT_GE(test, w, 0);
	KUNIT_EXPECT_EQ(test, f->win[w].size, 0ULL);
	KUNIT_EXPECT_NULL(test, f->win[w].res);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
}

static void place_huge_slack_dropped(struct kunit *test)
{
	const struct huge_slack_case *c = test->param_value;
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_1G);
	struct fixture *f = fixture(test, 1);
	int w;

	set_bar(f, 0, 0, SZ_4M,
		c->zone == PCI_PVBUS_HIGH ? PCI_PVBUS_BAR_64 : 0);
	f->plan.slack[c->zone] = c->slack;

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	plan_check(test, f);
	w = new_packed(f, c->zone);
	KUNIT_ASSERT_GE(test, w, 0);
	KUNIT_EXPECT_EQ(test, f->win[w].size, (u64)SZ_4M);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
}

/*
 * BAR @bar (0, 2 MiB; or 1, 1 MiB) at @host, the other where it may be,
 * and BAR 2 (1 MiB) after them, where it may be too: kept, or reassigned
 * with @bar named as the one not kept (not the last BAR looked at).
 */
struct refuse_case {
	const char *name;
	unsigned int bar;
	u64 host;
	enum pci_pvbus_keep keep;
};

static const struct refuse_case refuse_cases[] = {
	{ "inside a window", 0, LOW_BASE + SZ_16M, PCI_PVBUS_KEEP_OK },
	{ "outside every window", 0, LOW_BASE - SZ_16M,
	  PCI_PVBUS_KEEP_REFUSED },
	{ "on the framebuffer", 0, LOW_BASE + SZ_4M, PCI_PVBUS_KEEP_REFUSED },
	{ "BAR 1 on the framebuffer", 1, LOW_BASE + SZ_4M,
	  PCI_PVBUS_KEEP_REFUSED },
	{ "just past a window", 0, LOW_BASE + SZ_64M, PCI_PVBUS_KEEP_REFUSED },
	{ "misaligned", 0, LOW_BASE + SZ_16M + SZ_1M,
	  PCI_PVBUS_KEEP_MISALIGNED },
	{ "BAR 1 misaligned", 1, LOW_BASE + SZ_16M + SZ_512K,
	  PCI_PVBUS_KEEP_MISALIGNED },
};

KUNIT_ARRAY_PARAM_DESC(refuse, refuse_cases, name);

/* The _DSM #5 lesson: keep host BARs only where the bus can give them. */
static void place_preserved(struct kunit *test)
{
	const struct refuse_case *c = test->param_value;
	struct pvbus_mmio_space *s = space(test, SZ_64M, SZ_1G);
	struct fixture *f = fixture(test, 1);

	set_bar(f, 0, 0, SZ_2M, 0);
	set_host(f, 0, 0, c->bar == 0 ? c->host : LOW_BASE + SZ_16M);
	set_bar(f, 0, 1, SZ_1M, PCI_PVBUS_BAR_PREFETCH);
	set_host(f, 0, 1, c->bar == 1 ? c->host : LOW_BASE + SZ_32M);
	set_bar(f, 0, 2, SZ_1M, 0);
	set_host(f, 0, 2, LOW_BASE + SZ_32M + SZ_16M);

	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"),
			0);
	plan_check(test, f);
	KUNIT_EXPECT_EQ(test, f->fn[0].keep, c->keep);
	if (c->keep == PCI_PVBUS_KEEP_OK) {
		KUNIT_EXPECT_EQ(test, bar_start(f, 0, c->bar), c->host);
	} else {
		/* Reassigned: off the framebuffer, in the low window. */
		KUNIT_EXPECT_FALSE(test, f->fn[0].preserve &&
				   c->keep == PCI_PVBUS_KEEP_REFUSED);
		KUNIT_EXPECT_GE(test, bar_start(f, 0, c->bar), LOW_BASE + SZ_8M);
		KUNIT_EXPECT_LT(test, bar_start(f, 0, c->bar),
				LOW_BASE + SZ_64M);
		/* The warning names the BAR not kept. */
		KUNIT_EXPECT_EQ(test, f->fn[0].bad_bar, c->bar);
	}
	pci_pvbus_unplace(&f->plan, &space_ops, s);
	expect_space_free(test, s, LOW_BASE + SZ_8M, SZ_64M - SZ_8M);
}

/*
 * Another user of the space takes the room the search for the highest
 * start found, between the search and the allocation there (another bus
 * placing at the same time): the config window goes as high as there is
 * room then, not to the start of the low window, where an unreported
 * framebuffer would be.  The ops take that room at the allocation whose
 * @min is where the last one that fitted started: the search's trials
 * only ever ask higher, so that is the final one.
 */
struct race_ops_ctx {
	struct pvbus_mmio_space *space;
	u64 last;
	bool have_last;
	struct resource *other;
};

static struct resource *race_alloc(void *ctx, const struct pvbus_mmio_req *req)
{
	struct race_ops_ctx *r = ctx;
	struct resource *res;

	if (!r->other && r->have_last && req->zone == PVBUS_MMIO_LOW &&
	    req->min == r->last) {
		struct pvbus_mmio_req other = *req;

		other.name = "other";
		other.max = req->min + req->size - 1;
		r->other = pvbus_mmio_alloc(r->space, &other);
	}
	res = pvbus_mmio_alloc(r->space, req);
	if (!IS_ERR(res)) {
		r->last = res->start;
		r->have_last = true;
	}
	return res;
}

static void race_free(void *ctx, struct resource *res)
{
	struct race_ops_ctx *r = ctx;

	pvbus_mmio_free(r->space, res);
}

static const struct pci_pvbus_mmio_ops race_ops = {
	.alloc	= race_alloc,
	.free	= race_free,
};

static void alloc_cfg_raced(struct kunit *test)
{
	struct race_ops_ctx r = { .space = space(test, SZ_64M, 0) };
	struct pvbus_mmio_req req = {
		.name	= "t config",
		.size	= PVBUS_PCI_CFG_WINDOW_SIZE,
		.align	= PVBUS_PCI_CFG_WINDOW_ALIGN,
	};
	struct resource *cfg;

	cfg = pci_pvbus_alloc_cfg(&race_ops, &r, &req);
	KUNIT_ASSERT_FALSE(test, IS_ERR(cfg));
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(r.other));
	/* The other took the top of the low window: just below it. */
	KUNIT_EXPECT_EQ(test, r.other->end, LOW_BASE + SZ_64M - 1);
	KUNIT_EXPECT_EQ(test, cfg->end + 1, r.other->start);
	pvbus_mmio_free(r.space, cfg);
	pvbus_mmio_free(r.space, r.other);
}

/*
 * What a function that does not fit is said to need: the sizes of its
 * memory BARs per zone, I/O BARs and upper halves not counted, and a sum
 * past 64 bits said as U64_MAX, not as what is left of it.
 */
struct bars_need_case {
	const char *name;
	struct pci_pvbus_bar bar[PVBUS_PCI_NR_BARS];
	u64 low, high;
};

#define NEED_BAR(sz, fl)	{ .size = (sz), .flags = (fl) }
#define NEED_UPPER		NEED_BAR(0, PCI_PVBUS_BAR_UPPER)

static const struct bars_need_case bars_need_cases[] = {
	{ "32-bit and 64-bit BARs, each in its zone",
	  { NEED_BAR(SZ_1M, 0), NEED_BAR(SZ_16M, PCI_PVBUS_BAR_64), NEED_UPPER,
	    NEED_BAR(SZ_256, PCI_PVBUS_BAR_IO), NEED_BAR(SZ_4K, 0) },
	  SZ_1M + SZ_4K, SZ_16M },
	{ "an upper half with a size: not counted",
	  { NEED_BAR(SZ_1M, PCI_PVBUS_BAR_64),
	    NEED_BAR(SZ_4G, PCI_PVBUS_BAR_UPPER) }, 0, SZ_1M },
	{ "two 64-bit BARs of 2^63: U64_MAX, not 0",
	  { NEED_BAR(1ULL << 63, PCI_PVBUS_BAR_64), NEED_UPPER,
	    NEED_BAR(1ULL << 63, PCI_PVBUS_BAR_64), NEED_UPPER }, 0, U64_MAX },
	{ "three of 2^63: still U64_MAX",
	  { NEED_BAR(1ULL << 63, PCI_PVBUS_BAR_64), NEED_UPPER,
	    NEED_BAR(1ULL << 63, PCI_PVBUS_BAR_64), NEED_UPPER,
	    NEED_BAR(1ULL << 63, PCI_PVBUS_BAR_64), NEED_UPPER }, 0, U64_MAX },
};

KUNIT_ARRAY_PARAM_DESC(bars_need, bars_need_cases, name);

static void bars_need(struct kunit *test)
{
	const struct bars_need_case *c = test->param_value;
	u64 low, high;

	pci_pvbus_bars_need(c->bar, &low, &high);
	KUNIT_EXPECT_EQ(test, low, c->low);
	KUNIT_EXPECT_EQ(test, high, c->high);
}

/* ---- the layouts of the field: the framebuffer stays free ----------- */

/*
 * The MMIO layouts of Documentation/dev-tools/pvbus-testing.rst ("Field
 * layouts").  The framebuffer is where each platform puts it; where the
 * platform has none (or does not say), an 8 MiB one is assumed at the
 * low base, where upstream's kdump rule (016a25e4b0df) assumes it too.
 * @rsv is another range the platform keeps for itself inside the low
 * window (vTPM, ECAM).
 */
struct field_layout {
	const char *name;
	u64 low_start, low_size;
	u64 high_start, high_size;
	u64 fb_start, fb_size;
	bool fb_is_bar;		/* the framebuffer is a PCI display BAR */
	u64 rsv_start, rsv_size;
};

#define HV_HIGH		0xfe0000000ULL
#define HV_VTPM		0xfed40000ULL

static const struct field_layout field_layouts[] = {
	{ "hv-gen2", 0xf8000000, SZ_128M, HV_HIGH, SZ_512M,
	  0xf8000000, SZ_8M, false, HV_VTPM, GIB4 - HV_VTPM },
	/* A framebuffer over 64 MiB moves the base down by twice the excess. */
	{ "hv-gen2-fb68M", 0xf7800000, GIB4 - 0xf7800000, HV_HIGH, SZ_512M,
	  0xf7800000, SZ_64M + SZ_4M, false, HV_VTPM, GIB4 - HV_VTPM },
	{ "hv-gen2-fb128M", 0xf0000000, SZ_256M, HV_HIGH, SZ_512M,
	  0xf0000000, SZ_128M, false, HV_VTPM, GIB4 - HV_VTPM },
	{ "azure-gen2", 0x40000000, SZ_2G + SZ_1G, HV_HIGH, SZ_512M,
	  0x40000000, SZ_8M, false, HV_VTPM, GIB4 - HV_VTPM },
	{ "hv-gen1", 0xf8000000, 0xfed40000 - 0xf8000000, HV_HIGH, SZ_512M,
	  0xf8000000, SZ_64M, true, 0, 0 },
	/* No high window reported: the 64-bit BARs go below 4 GiB. */
	{ "hv-gen2-arm64", 0xe0000000, SZ_512M, 0, 0,
	  0xe0000000, SZ_4M, false, 0, 0 },
	{ "openvmm-x86", 0xf8000000, SZ_128M, HV_HIGH, SZ_512M,
	  0xf8000000, SZ_8M, false, 0, 0 },
	{ "openvmm-arm64", 0xe0000000, SZ_512M, HV_HIGH, SZ_512M,
	  0xe0000000, SZ_8M, false, 0, 0 },
	{ "cloud-hypervisor", 0xc0000000, SZ_512M + SZ_128M,
	  0x240000000ULL, 0x7ff40000000ULL - 0x240000000ULL,
	  0xc0000000, SZ_8M, false, 0, 0 },
	/* ECAM: 256 MiB below the IOAPIC. */
	{ "firecracker", 0xc0000000, SZ_1G, 256ULL << 30, 256ULL << 30,
	  0xc0000000, SZ_8M, false, 0xfec00000 - SZ_256M, SZ_256M },
	{ "crosvm", 0xd0000000, 0xf4000000 - 0xd0000000,
	  0x200000000ULL, 64ULL << 30,
	  0xd0000000, SZ_8M, false, 0, 0 },
};

/* One run: a layout, booted normally or as a kdump kernel, one source. */
struct field_run {
	const struct field_layout *l;
	bool kdump;
	int src;		/* a single source, or -1 for none */
};

#define NR_FIELD_SRC	(PVBUS_FB_NR_SOURCES + 1)

static const void *field_gen_params(const void *prev, char *desc)
{
	static struct field_run run;
	unsigned int i;

	i = prev ? (run.l - field_layouts) * 2 * NR_FIELD_SRC +
		   run.kdump * NR_FIELD_SRC + run.src + 1 + 1 : 0;
	if (i >= ARRAY_SIZE(field_layouts) * 2 * NR_FIELD_SRC)
		return NULL;
	run.l = &field_layouts[i / (2 * NR_FIELD_SRC)];
	run.kdump = (i / NR_FIELD_SRC) % 2;
	run.src = (int)(i % NR_FIELD_SRC) - 1;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s fb_sources=%s", run.l->name,
		 run.kdump ? "kdump" : "boot",
		 run.src < 0 ? "none" : pvbus_fb_source_name(run.src));
	return &run;
}

/* How much of [s, s + n) lies in [ws, ws + wn). */
static u64 field_inside(u64 s, u64 n, u64 ws, u64 wn)
{
	u64 a = max(s, ws), b = min(s + n, ws + wn);

	return b > a ? b - a : 0;
}

/* [s, s + n) is off the framebuffer, and off every range @plan reserved. */
static void field_expect_off(struct kunit *test, const char *what,
			     const struct field_layout *l,
			     const struct pvbus_fb_plan *plan, u64 s, u64 n)
{
	unsigned int i;

	if (!n)
		return;
	KUNIT_EXPECT_FALSE_MSG(test,
			       pvbus_ranges_overlap(s, s + n - 1, l->fb_start,
						    l->fb_start + l->fb_size - 1),
			       "%s [%#llx-%#llx] on the framebuffer [%#llx-%#llx]",
			       what, s, s + n - 1, l->fb_start,
			       l->fb_start + l->fb_size - 1);
	for (i = 0; i < plan->nr; i++) {
		const struct pvbus_range *r = &plan->rsv[i].range;

		KUNIT_EXPECT_FALSE_MSG(test,
				       pvbus_ranges_overlap(s, s + n - 1, r->start,
							    r->start + r->size - 1),
				       "%s [%#llx-%#llx] on the %s reservation [%#llx-%#llx]",
				       what, s, s + n - 1,
				       pvbus_fb_source_name(plan->rsv[i].src),
				       r->start, r->start + r->size - 1);
	}
}

/* Every window of @f from @from on is off the framebuffer and @plan. */
static void field_expect_wins_off(struct kunit *test,
				  const struct field_layout *l,
				  const struct pvbus_fb_plan *plan,
				  const struct fixture *f, const char *when)
{
	char what[48];
	unsigned int w;

	for (w = f->plan.nr_old; w < f->plan.nr_win; w++) {
		snprintf(what, sizeof(what), "%s %s BARs", when,
			 f->win[w].zone == PCI_PVBUS_LOW ? "low" : "high");
		field_expect_off(test, what, l, plan, f->win[w].start,
				 f->win[w].size);
	}
}

/*
 * Hot add: @h's functions come after @f's, so the windows @f allocated are
 * @h's existing ones and @f's BARs are in use.  Only @f's own windows are
 * taken (from its @nr_old on: the ones before are its predecessor's).
 */
static void field_inherit(struct kunit *test, struct fixture *h,
			  const struct fixture *f)
{
	unsigned int w, i, b;

	for (w = f->plan.nr_old; w < f->plan.nr_win; w++)
		if (f->win[w].size)
			add_win(h, f->win[w].start, f->win[w].size,
				f->win[w].zone, PCI_PVBUS_WIN_PACKED);
	for (i = 0; i < f->plan.nr_fn; i++)
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			if (!placeable(&f->bar[i][b]))
				continue;
			KUNIT_ASSERT_LT(test, h->plan.nr_used, MAX_USED);
			add_used(h, bar_start(f, i, b), f->bar[i][b].size);
		}
	h->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;
}

/* The layout's windows and its own reserved range in a private space. */
static struct pvbus_mmio_space *field_space(struct kunit *test,
					    const struct field_layout *l,
					    struct pvbus_range *win,
					    unsigned int *nr_win)
{
	struct pvbus_mmio_space *s;
	unsigned int i;

	s = pvbus_mmio_space_create("pci-pvbus-field");
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, space_destroy, s), 0);
	*nr_win = 0;
	win[(*nr_win)++] = (struct pvbus_range){ l->low_start, l->low_size };
	if (l->high_size)
		win[(*nr_win)++] = (struct pvbus_range){ l->high_start,
							 l->high_size };
	for (i = 0; i < *nr_win; i++)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_add_window(s, win[i].start,
							    win[i].size), 0);
	if (l->rsv_size)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(s, l->rsv_start,
							 l->rsv_size,
							 PVBUS_RSV_FIRMWARE,
							 "platform"), 0);
	return s;
}

/* How much of the low window [r, r + n) and the platform's range leave. */
static u64 field_low_taken(const struct field_layout *l, u64 s, u64 n)
{
	u64 in = field_inside(s, n, l->low_start, l->low_size);

	/* What the platform's own range already took is not counted twice. */
	return in - field_inside(s, n, l->rsv_start, l->rsv_size);
}

/*
 * Each layout as the sources would see it (screen_info has the
 * framebuffer only at a normal boot: a kdump kernel's lfb_base is 0; the
 * PCI source has it where it is a display BAR; pvbus.reserve= is the
 * admin naming it; firmware and host say nothing of it on these
 * platforms), under each single source and none.  The bus probes with a
 * config window (pci_pvbus_alloc_cfg(), as the driver places it), 32-bit
 * BARs of 16 MiB and 1 MiB and a 64-bit one of 64 MiB, with the driver's
 * default slack; then two functions are hot-added, one after the other:
 * 2 MiB 32-bit and 32 MiB 64-bit, then a 16 MiB 32-bit BAR (a K80's BAR0)
 * and a 16 MiB 64-bit one.  Nothing may overlap the framebuffer, whatever
 * was reserved, nor any reservation (the kdump fallback among them); the
 * kdump fallback covers the framebuffer.  The case reports what the layout
 * leaves free below 4 GiB.
 */
static void place_field_layout(struct kunit *test)
{
	const struct field_run *run = test->param_value;
	const struct field_layout *l = run->l;
	struct pvbus_range win[2], fbr = { l->fb_start, l->fb_size };
	struct pvbus_fb_cand cand[3] = { };
	struct pvbus_mmio_req req = {
		.name	= "t config",
		.size	= PVBUS_PCI_CFG_WINDOW_SIZE,
		.align	= PVBUS_PCI_CFG_WINDOW_ALIGN,
	};
	u64 covered = 0, low_left = l->low_size;
	struct fixture *f, *h1, *h2;
	struct pvbus_fb_plan *plan;
	struct pvbus_mmio_space *s;
	unsigned int nr_win, nr = 0, i, w;
	struct resource *cfg;

	plan = kunit_kzalloc(test, sizeof(*plan), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, plan);
	s = field_space(test, l, win, &nr_win);
	low_left -= field_inside(l->rsv_start, l->rsv_size, l->low_start,
				 l->low_size);

	if (!run->kdump)
		cand[nr++] = (struct pvbus_fb_cand){ PVBUS_FB_SCREEN_INFO, fbr };
	if (l->fb_is_bar)
		cand[nr++] = (struct pvbus_fb_cand){ PVBUS_FB_PCI_DISPLAY, fbr };
	if (run->src == PVBUS_FB_PARAM)
		cand[nr++] = (struct pvbus_fb_cand){ PVBUS_FB_PARAM, fbr };
	pvbus_fb_plan(cand, nr, run->src < 0 ? 0 : BIT(run->src), run->kdump,
		      win, nr_win, plan);
	for (i = 0; i < plan->nr; i++) {
		const struct pvbus_range *r = &plan->rsv[i].range;
		enum pvbus_mmio_rsv kind = pvbus_fb_source_kind(plan->rsv[i].src);

		KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(s, r->start, r->size,
							 kind, "fb"), 0);
		covered += field_inside(l->fb_start, l->fb_size, r->start,
					r->size);
		low_left -= field_low_taken(l, r->start, r->size);
	}
	/* Each run has one source: its ranges do not overlap each other. */
	if (plan->fallback == PVBUS_FB_FALLBACK_RESERVED)
		KUNIT_EXPECT_GE_MSG(test, covered, l->fb_size,
				    "kdump fallback covers %llu of the %llu MiB framebuffer",
				    covered >> 20, l->fb_size >> 20);

	cfg = pci_pvbus_alloc_cfg(&space_ops, s, &req);
	KUNIT_ASSERT_FALSE(test, IS_ERR(cfg));
	field_expect_off(test, "config window", l, plan, cfg->start,
			 resource_size(cfg));
	low_left -= field_low_taken(l, cfg->start, resource_size(cfg));

	f = fixture(test, 2);
	set_bar(f, 0, 0, SZ_16M, 0);
	set_bar(f, 0, 1, SZ_1M, 0);
	set_bar(f, 1, 0, SZ_64M, PCI_PVBUS_BAR_64);
	f->plan.slack[PCI_PVBUS_HIGH] = SZ_16M;
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&f->plan, &space_ops, s, "t"), 0);
	plan_check(test, f);
	field_expect_wins_off(test, l, plan, f, "probe:");

	h1 = fixture(test, 1);
	field_inherit(test, h1, f);
	set_bar(h1, 0, 0, SZ_2M, 0);
	set_bar(h1, 0, 2, SZ_32M, PCI_PVBUS_BAR_64);
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&h1->plan, &space_ops, s, "h1"),
			0);
	plan_check(test, h1);
	field_expect_wins_off(test, l, plan, h1, "hot add 1:");

	h2 = fixture(test, 1);
	field_inherit(test, h2, f);
	field_inherit(test, h2, h1);
	set_bar(h2, 0, 0, SZ_16M, 0);
	set_bar(h2, 0, 2, SZ_16M, PCI_PVBUS_BAR_64);
	KUNIT_ASSERT_EQ(test, pci_pvbus_place(&h2->plan, &space_ops, s, "h2"),
			0);
	plan_check(test, h2);
	field_expect_wins_off(test, l, plan, h2, "hot add 2:");

	for (w = f->plan.nr_old; w < f->plan.nr_win; w++)
		low_left -= field_low_taken(l, f->win[w].start, f->win[w].size);
	for (w = h1->plan.nr_old; w < h1->plan.nr_win; w++)
		low_left -= field_low_taken(l, h1->win[w].start,
					    h1->win[w].size);
	for (w = h2->plan.nr_old; w < h2->plan.nr_win; w++)
		low_left -= field_low_taken(l, h2->win[w].start,
					    h2->win[w].size);
	kunit_info(test, "fb %llu/%llu MiB reserved, cfg %#llx, 32-bit BARs %#llx, hot-added %#llx %#llx, %llu MiB low left\n",
		   covered >> 20, l->fb_size >> 20, (u64)cfg->start,
		   bar_start(f, 0, 0), bar_start(h1, 0, 0),
		   bar_start(h2, 0, 0), low_left >> 20);

	pci_pvbus_unplace(&h2->plan, &space_ops, s);
	pci_pvbus_unplace(&h1->plan, &space_ops, s);
	pci_pvbus_unplace(&f->plan, &space_ops, s);
	pvbus_mmio_free(s, cfg);
}

/* ---- the kdump fallback: upstream's rule and pvbus's, side by side --- */

/*
 * Upstream's rule (016a25e4b0df, "Drivers: hv: vmbus: Improve the logic of
 * reserving fb_mmio on Gen2 VMs") as a model: when lfb_base is 0, reserve
 * min((4 GiB - low base) / 2, 128 MiB) from the low base, halving the size
 * on failure down to 1 MiB.  The reservation fails where it would leave the
 * low window or take the platform's range.
 */
static bool field_upstream_fallback(const struct field_layout *l,
				    struct pvbus_range *r)
{
	u64 size = min_t(u64, (GIB4 - l->low_start) / 2, SZ_128M);

	for (; size >= SZ_1M; size /= 2) {
		if (size > l->low_size ||
		    field_inside(l->low_start, size, l->rsv_start, l->rsv_size))
			continue;
		*r = (struct pvbus_range){ l->low_start, size };
		return true;
	}
	return false;
}

/* What a fallback leaves: the framebuffer covered, room for 32-bit BARs. */
struct field_verdict {
	u64 size, covered, free;
	bool bar16;
};

static void field_judge(struct kunit *test, const struct field_layout *l,
			const struct pvbus_range *fb, struct field_verdict *v)
{
	struct pvbus_range win[2];
	struct pvbus_mmio_space *s;
	unsigned int nr_win;
	struct fixture *f;
	int ret;

	s = field_space(test, l, win, &nr_win);
	v->size = fb->size;
	v->covered = field_inside(l->fb_start, l->fb_size, fb->start,
				  fb->size);
	v->free = l->low_size -
		  field_inside(l->rsv_start, l->rsv_size, l->low_start,
			       l->low_size) -
		  field_low_taken(l, fb->start, fb->size);
	if (fb->size)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(s, fb->start,
							 fb->size,
							 PVBUS_RSV_FRAMEBUFFER,
							 "fallback"), 0);
	/* A 16 MiB 32-bit BAR (a K80's BAR0) after the fallback. */
	f = fixture(test, 1);
	set_bar(f, 0, 0, SZ_16M, 0);
	ret = pci_pvbus_place(&f->plan, &space_ops, s, "t");
	KUNIT_EXPECT_TRUE(test, !ret || ret == -ENOSPC);
	v->bar16 = !ret;
	if (!ret) {
		plan_check(test, f);
		KUNIT_EXPECT_FALSE(test, fb->size &&
				   pvbus_ranges_overlap(bar_start(f, 0, 0),
							bar_start(f, 0, 0) + SZ_16M - 1,
							fb->start,
							fb->start + fb->size - 1));
		pci_pvbus_unplace(&f->plan, &space_ops, s);
	}
}

/*
 * Layouts compared only, too small for the probe of place_field_layout:
 * the test guest's (QEMU, the low window of tools/testing/pvbus/ssdt/
 * pvbus.asl, the std VGA BAR at its start), and two small low windows,
 * where the rules differ: one far below 4 GiB, one that ends at 4 GiB.
 */
static const struct field_layout fallback_layouts[] = {
	{ "qemu-pvbus-ssdt", 0xfd000000, 24 * SZ_1M, HIGH_BASE, SZ_4G,
	  0xfd000000, SZ_16M, true, 0, 0 },
	{ "small-32M", 0xc0000000, SZ_32M, HIGH_BASE, SZ_4G,
	  0xc0000000, SZ_8M, false, 0, 0 },
	{ "small-16M-at-4G", 0xff000000, SZ_16M, HIGH_BASE, SZ_4G,
	  0xff000000, SZ_8M, false, 0, 0 },
};

/* The layouts of place_field_layout, then fallback_layouts. */
static const void *fallback_gen_params(const void *prev, char *desc)
{
	const struct field_layout *l = prev;

	if (l == &fallback_layouts[ARRAY_SIZE(fallback_layouts) - 1])
		return NULL;
	if (!l)
		l = &field_layouts[0];
	else if (l == &field_layouts[ARRAY_SIZE(field_layouts) - 1])
		l = &fallback_layouts[0];
	else
		l++;
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
	return l;
}

static const char *field_cover_str(const struct field_verdict *v,
				   const struct field_layout *l, char *buf,
				   size_t size)
{
	if (!v->size)
		return "none";
	snprintf(buf, size, "%llu MiB: %s", v->size >> 20,
		 v->covered >= l->fb_size ? "yes" : "NO");
	return buf;
}

/*
 * A kdump kernel with lfb_base 0 and no source but the fallback, on each
 * layout: upstream's fallback and pvbus's (pvbus_fb_fallback_range()).
 * pvbus's covers the framebuffer on every layout, covers at least what
 * upstream's does wherever upstream's leaves room for a 16 MiB 32-bit BAR,
 * and leaves room for one wherever upstream's does.  Each run prints a row
 * of the table in Documentation/admin-guide/pvbus-kdump.rst
 * (tools/testing/kunit/fallback_table.sh extracts them).
 */
static void place_field_fallback(struct kunit *test)
{
	const struct field_layout *l = test->param_value;
	struct pvbus_range win[2], up = { }, pv = { };
	struct field_verdict vu, vp;
	unsigned int nr_win = 0;
	char bu[32], bp[32];

	win[nr_win++] = (struct pvbus_range){ l->low_start, l->low_size };
	if (l->high_size)
		win[nr_win++] = (struct pvbus_range){ l->high_start,
						      l->high_size };
	field_upstream_fallback(l, &up);
	KUNIT_ASSERT_TRUE(test, pvbus_fb_fallback_range(win, nr_win, &pv));
	field_judge(test, l, &up, &vu);
	field_judge(test, l, &pv, &vp);

	KUNIT_EXPECT_GE_MSG(test, vp.covered, l->fb_size,
			    "pvbus's fallback covers %llu of the %llu MiB framebuffer",
			    vp.covered >> 20, l->fb_size >> 20);
	if (vu.bar16) {
		KUNIT_EXPECT_GE(test, vp.covered, vu.covered);
		KUNIT_EXPECT_TRUE_MSG(test, vp.bar16,
				      "no room for a 16 MiB 32-bit BAR where upstream leaves it");
	}
	kunit_info(test, "fallback-table: %s;%#llx %llu MiB;%llu MiB;%s;%s;%llu MiB;%s;%s;%llu MiB\n",
		   l->name, l->low_start, l->low_size >> 20, l->fb_size >> 20,
		   field_cover_str(&vu, l, bu, sizeof(bu)),
		   vu.bar16 ? "yes" : "no", vu.free >> 20,
		   field_cover_str(&vp, l, bp, sizeof(bp)),
		   vp.bar16 ? "yes" : "no", vp.free >> 20);
}

static struct kunit_case pci_pvbus_plan_cases[] = {
	KUNIT_CASE(plan_empty),
	KUNIT_CASE(plan_mixed),
	KUNIT_CASE(plan_no_high),
	KUNIT_CASE(plan_no_high_old_gap),
	KUNIT_CASE(plan_zero_waste),
	KUNIT_CASE(plan_zero_waste_random),
	KUNIT_CASE(plan_slack),
	KUNIT_CASE(plan_hot_add_fits),
	KUNIT_CASE(plan_low_exhausted),
	KUNIT_CASE(plan_full_slack_skipped),
	KUNIT_CASE(plan_low_impossible),
	KUNIT_CASE(plan_preserved_valid),
	KUNIT_CASE_PARAM(plan_preserved, keep_gen_params),
	KUNIT_CASE(place_mixed),
	KUNIT_CASE(place_low_exhausted),
	KUNIT_CASE(place_no_high_window),
	KUNIT_CASE(place_low_packs_down),
	KUNIT_CASE(place_slack_dropped),
	KUNIT_CASE_PARAM(place_huge_slack_dropped, huge_slack_gen_params),
	KUNIT_CASE_PARAM(place_huge_slack_alone_dropped, huge_slack_gen_params),
	KUNIT_CASE_PARAM(place_preserved, refuse_gen_params),
	KUNIT_CASE(alloc_cfg_raced),
	KUNIT_CASE_PARAM(bars_need, bars_need_gen_params),
	KUNIT_CASE_PARAM(place_field_layout, field_gen_params),
	KUNIT_CASE_PARAM(place_field_fallback, fallback_gen_params),
	{}
};

static struct kunit_suite pci_pvbus_plan_suite = {
	.name = "pci_pvbus_plan",
	.test_cases = pci_pvbus_plan_cases,
};

/* ---- pci_pvbus_domain ----------------------------------------------- */

struct id_case {
	const char *name;
	u32 wanted;
	u32 used[8];
	unsigned int nr_used;
	u32 max;
	int expect;
};

static const struct id_case id_cases[] = {
	{ "wanted and free", 0xa0c4, { 0 }, 1, 0xffff, 0xa0c4 },
	{ "nothing in use", 0x1234, { }, 0, 0xffff, 0x1234 },
	{ "wanted is 0", 0, { 0, 7 }, 2, 0xffff, 8 },
	{ "wanted is 0, nothing in use", 0, { }, 0, 0xffff, 1 },
	{ "wanted is in use", 0x1234, { 0, 0x1234, 3 }, 3, 0xffff, 0x1235 },
	{ "above the highest", 5, { 0, 5, 0x8000, 2 }, 4, 0xffff, 0x8001 },
	{ "vmd above 0xffff", 5, { 0, 5, 0x10000 }, 3, 0xffff, 1 },
	{ "highest is the max", 3, { 0, 3, 0xffff }, 3, 0xffff, 1 },
	{ "bus number too big", 0xa0c4, { 0 }, 1, 0xff, 1 },
	{ "lowest free", 2, { 0, 1, 2, 4, 0xff }, 5, 0xff, 3 },
	{ "all taken", 1, { 0, 1, 2, 3 }, 4, 3, -ENOSPC },
	{ "all but 0 taken", 1, { 1, 2, 3 }, 3, 3, -ENOSPC },
};

KUNIT_ARRAY_PARAM_DESC(id, id_cases, name);

static void domain_pick(struct kunit *test)
{
	const struct id_case *c = test->param_value;
	unsigned int i;
	int id;

	id = pci_pvbus_pick_id(c->wanted, c->used, c->nr_used, c->max);
	KUNIT_EXPECT_EQ(test, id, c->expect);
	if (id < 0)
		return;
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_LE(test, (u32)id, c->max);
	for (i = 0; i < c->nr_used; i++)
		KUNIT_EXPECT_NE(test, (u32)id, c->used[i]);
}

/* Every bus of a full house gets its own domain. */
static void domain_many(struct kunit *test)
{
	u32 used[64];
	unsigned int n = 1, i;
	int id;

	used[0] = 0;
	for (i = 0; i < 63; i++) {
		id = pci_pvbus_pick_id(0x100 + (i % 4), used, n, 0xffff);
		KUNIT_ASSERT_GT(test, id, 0);
		used[n++] = id;
	}
	for (i = 0; i < n; i++) {
		unsigned int j;

		for (j = i + 1; j < n; j++)
			KUNIT_EXPECT_NE(test, used[i], used[j]);
	}
}

static struct kunit_case pci_pvbus_domain_cases[] = {
	KUNIT_CASE_PARAM(domain_pick, id_gen_params),
	KUNIT_CASE(domain_many),
	{}
};

static struct kunit_suite pci_pvbus_domain_suite = {
	.name = "pci_pvbus_domain",
	.test_cases = pci_pvbus_domain_cases,
};

kunit_test_suites(&pci_pvbus_plan_suite, &pci_pvbus_domain_suite);

MODULE_DESCRIPTION("KUnit tests for the pci-pvbus BAR planner and domain choice");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
