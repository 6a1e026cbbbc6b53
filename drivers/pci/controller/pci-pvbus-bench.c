// SPDX-License-Identifier: GPL-2.0
/*
 * pci_pvbus_bench: benchmark P3 of issue 14, BAR packing.  For BAR sets
 * from device profiles and random power-of-two sets (fixed seeds), it
 * reports the MMIO each way of placing them consumes below 4 GiB, and how
 * many such devices (each a bus of its own, as on Hyper-V) fit a 128 MiB
 * low window (Hyper-V Gen2 at 0xf8000000) and a 3 GiB one (Azure Gen2 at
 * 0x40000000):
 *
 * - pvbus: pci_pvbus_place() (the planner, then the pvbus MMIO allocator)
 *   on a private pvbus MMIO space with that low window;
 * - disc: discovery order with natural alignment, hvmloader-style: each
 *   BAR of each function in index order at the next address aligned to
 *   its size, devices one after the other;
 * - hv: pci-hyperv's one window the sum of the BAR sizes per zone, aligned
 *   to the largest power of two not above the sum (hv_allocate_config_
 *   window() and hv_pci_allocate_bridge_windows() in Linux 6.1), placed
 *   at the lowest free address, as vmbus_allocate_mmio() does.
 *
 * Two modes: "low", no MMIO above 4 GiB, every BAR goes low; "split",
 * 64-bit BARs go above 4 GiB and only the 32-bit ones take the low window.
 *
 * Each result is a KTAP diagnostic line, "# bench: P3 key=value ...", read
 * by tools/testing/bench/bench.py.  The only assertions are about
 * correctness: nothing consumes less than its BARs, and the devices
 * counted as fitting fit.  Nothing is timed but the whole case, for
 * bench.py's table of where make bench's time goes.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/pvbus.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "pci-pvbus-domain.h"
#include "pci-pvbus-plan.h"
#include "../../pvbus/bench.h"

#define BENCH_MAX_FN	8
#define BENCH_HIGH_BASE	((u64)SZ_1T)
#define BENCH_HIGH_SIZE	(256 * (u64)SZ_1T)

/*
 * Each device is a bus of its own, and pci-pvbus gives each bus a PCI
 * domain of 16 bits, 0 excepted (pci-pvbus-domain.c): no guest has more
 * than 65,535 such devices, and a count that reaches that says all of them
 * fit.
 */
static unsigned int p3_cap = PCI_PVBUS_MAX_DOMAIN;
module_param(p3_cap, uint, 0444);
MODULE_PARM_DESC(p3_cap, "P3: count at most this many devices per window (default 65535, the PCI domains a guest can give buses)");

static unsigned int p3_check = 1024;
module_param(p3_check, uint, 0444);
MODULE_PARM_DESC(p3_check, "P3: devices placed again unpacked, where each must go as when packed (default 1024)");

static unsigned int p3_random = 8;
module_param(p3_random, uint, 0444);
MODULE_PARM_DESC(p3_random, "P3: random power-of-two BAR sets, seeds 1..N (default 8)");

/* A memory BAR of a profile: size, 64-bit or not. */
struct bench_bar {
	u8 fn;
	u64 size;
	bool is64;
};

struct bench_profile {
	const char *name;
	unsigned int nr;
	struct bench_bar bar[BENCH_MAX_FN * PVBUS_PCI_NR_BARS / 2];
};

/*
 * Modelled on the devices of Documentation/dev-tools/pvbus-testing.rst
 * ("Field layouts") and common passthrough devices; sizes as lspci shows
 * them for such devices.
 */
static const struct bench_profile bench_profiles[] = {
	{ "nvme", 1, { { 0, SZ_16K, true } } },
	{ "k80", 3, { { 0, SZ_16M, false }, { 0, 16 * (u64)SZ_1G, true },
		      { 0, SZ_32M, true } } },
	{ "ixgbe-vf", 2, { { 0, SZ_16K, true }, { 0, SZ_16K, true } } },
	{ "mlx5-vf", 1, { { 0, SZ_1M, true } } },
	{ "nic-pf+4vf", 10, {
		{ 0, SZ_8M, true }, { 0, SZ_32K, true },
		{ 1, SZ_64K, true }, { 1, SZ_16K, true },
		{ 2, SZ_64K, true }, { 2, SZ_16K, true },
		{ 3, SZ_64K, true }, { 3, SZ_16K, true },
		{ 4, SZ_64K, true }, { 4, SZ_16K, true } } },
	{ "gen1-vga", 1, { { 0, SZ_64M, false } } },
	{ "mixed32", 3, { { 0, SZ_16K, false }, { 0, SZ_16M, false },
			  { 0, SZ_4K, false } } },
};

/* The BARs of one device, as the planner takes them. */
struct bench_dev {
	const char *name;
	unsigned int nr_fn;
	struct pci_pvbus_bar bar[BENCH_MAX_FN][PVBUS_PCI_NR_BARS];
};

enum bench_mode { BENCH_LOW, BENCH_SPLIT };

static const char * const bench_mode_name[] = { "low", "split" };

static bool bench_goes_low(const struct pci_pvbus_bar *bar,
			   enum bench_mode mode)
{
	if (!bar->size || (bar->flags & PCI_PVBUS_BAR_UPPER))
		return false;
	return mode == BENCH_LOW || !(bar->flags & PCI_PVBUS_BAR_64);
}

/* Add a BAR to the next free slot of function @fn; false if none. */
static bool bench_add_bar(struct bench_dev *d, unsigned int fn, u64 size,
			  bool is64)
{
	struct pci_pvbus_bar *bar = d->bar[fn];
	unsigned int b;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (bar[b].size || (bar[b].flags & PCI_PVBUS_BAR_UPPER))
			continue;
		if (is64 && b + 1 == PVBUS_PCI_NR_BARS)
			return false;
		bar[b].size = size;
		bar[b].flags = is64 ? PCI_PVBUS_BAR_64 : 0;
		if (is64)
			bar[b + 1].flags = PCI_PVBUS_BAR_UPPER;
		d->nr_fn = max(d->nr_fn, fn + 1);
		return true;
	}
	return false;
}

static void bench_dev_from_profile(struct bench_dev *d,
				   const struct bench_profile *p)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->name = p->name;
	for (i = 0; i < p->nr; i++)
		WARN_ON(!bench_add_bar(d, p->bar[i].fn, p->bar[i].size,
				       p->bar[i].is64));
}

/* 1 to 2 functions of 1 to 3 BARs each, 4 KiB to 16 MiB, mixed widths. */
static void bench_dev_random(struct bench_dev *d, u32 seed, char *name,
			     size_t len)
{
	struct rnd_state st;
	unsigned int fn, nr_fn, nr, i;

	memset(d, 0, sizeof(*d));
	prandom_seed_state(&st, seed);
	nr_fn = 1 + prandom_u32_state(&st) % 2;
	for (fn = 0; fn < nr_fn; fn++) {
		nr = 1 + prandom_u32_state(&st) % 3;
		for (i = 0; i < nr; i++) {
			u64 size = (u64)SZ_4K << (prandom_u32_state(&st) % 13);
			bool is64 = prandom_u32_state(&st) & 1;

			bench_add_bar(d, fn, size, is64);
		}
	}
	snprintf(name, len, "random-%u", seed);
	d->name = name;
}

static u64 bench_low_sum(const struct bench_dev *d, enum bench_mode mode,
			 u64 *largest)
{
	unsigned int fn, b;
	u64 sum = 0;

	*largest = 0;
	for (fn = 0; fn < d->nr_fn; fn++)
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			if (bench_goes_low(&d->bar[fn][b], mode)) {
				sum += d->bar[fn][b].size;
				*largest = max(*largest, d->bar[fn][b].size);
			}
	return sum;
}

/*
 * Discovery order, natural alignment, from @pos; the end of the last BAR
 * (exclusive), or 0 if it passes @end (inclusive).
 */
static u64 bench_disc_place(const struct bench_dev *d, enum bench_mode mode,
			    u64 pos, u64 end)
{
	unsigned int fn, b;

	for (fn = 0; fn < d->nr_fn; fn++)
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			const struct pci_pvbus_bar *bar = &d->bar[fn][b];

			if (!bench_goes_low(bar, mode))
				continue;
			pos = ALIGN(pos, bar->size);
			if (pos + bar->size - 1 > end)
				return 0;
			pos += bar->size;
		}
	return pos;
}

static struct resource *bench_alloc(void *ctx, const struct pvbus_mmio_req *req)
{
	return pvbus_mmio_alloc(ctx, req);
}

static void bench_free(void *ctx, struct resource *res)
{
	pvbus_mmio_free(ctx, res);
}

static const struct pci_pvbus_mmio_ops bench_ops = {
	.alloc	= bench_alloc,
	.free	= bench_free,
};

/* A plan of @d with no existing windows and no hot-add slack. */
struct bench_plan {
	struct pci_pvbus_plan plan;
	struct pci_pvbus_plan_fn fn[BENCH_MAX_FN];
	struct pci_pvbus_plan_win win[4];
};

static void bench_plan_init(struct bench_plan *bp, const struct bench_dev *d,
			    enum bench_mode mode)
{
	unsigned int i;

	memset(bp, 0, sizeof(*bp));
	for (i = 0; i < d->nr_fn; i++)
		bp->fn[i].bar = d->bar[i];
	bp->plan.fn = bp->fn;
	bp->plan.nr_fn = d->nr_fn;
	bp->plan.win = bp->win;
	bp->plan.max_win = ARRAY_SIZE(bp->win);
	bp->plan.no_high = mode == BENCH_LOW;
}

/* The MMIO the planner's new low window takes for @d. */
static int bench_pvbus_used(const struct bench_dev *d, enum bench_mode mode,
			    u64 *used)
{
	struct bench_plan bp;
	unsigned int i;
	int ret;

	bench_plan_init(&bp, d, mode);
	ret = pci_pvbus_plan(&bp.plan);
	if (ret)
		return ret;
	*used = 0;
	for (i = 0; i < bp.plan.nr_win; i++)
		if (bp.win[i].zone == PCI_PVBUS_LOW)
			*used += bp.win[i].size;
	return 0;
}

struct bench_fit {
	unsigned int pvbus, disc, hv;
	u64 pvbus_low;
	bool packed;		/* pvbus counted with the placed part packed */
	unsigned int checked;	/* devices placed again unpacked, alike */
};

/*
 * One count of devices like @d placed by pci_pvbus_place() into a private
 * space, as bench_pvbus_fit() describes.  @starts, if not NULL, receives
 * the start of each new window of the first @nr_starts devices.
 */
struct bench_count {
	const struct bench_dev *d;
	enum bench_mode mode;
	u64 base, size;
	unsigned int cap;
	bool pack;
	u64 *starts;
	unsigned int nr_starts;
	/* results */
	unsigned int n;
	u64 low;
};

/* The new windows of a device: how many, and each one's size and kind. */
struct bench_shape {
	unsigned int nr;
	u64 size[4], align[4];
	enum pci_pvbus_zone zone[4];
};

static void bench_shape_of(const struct bench_plan *bp, struct bench_shape *s)
{
	unsigned int i;

	s->nr = 0;
	for (i = 0; i < bp->plan.nr_win && s->nr < ARRAY_SIZE(s->size); i++) {
		if (!bp->win[i].res)
			continue;
		s->size[s->nr] = bp->win[i].size;
		s->align[s->nr] = bp->win[i].align;
		s->zone[s->nr++] = bp->win[i].zone;
	}
}

static bool bench_shape_eq(const struct bench_shape *a,
			   const struct bench_shape *b)
{
	unsigned int i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++)
		if (a->size[i] != b->size[i] || a->align[i] != b->align[i] ||
		    a->zone[i] != b->zone[i])
			return false;
	return true;
}

/*
 * Pack the part of space window @w (@first to @last) that no later
 * device can use into one allocation, *@blk, freeing the allocations in
 * it (those in @res[0..*@nr_res), compacted).
 *
 * Every device is the same: the same windows, each of the same size and
 * alignment, in the same order, and free space only shrinks while
 * devices are counted.  A low window goes at the highest start that fits
 * (pci_pvbus_alloc_low()), so once the last device's window of a kind is
 * at P, no start above P fits that kind again, and every later window of
 * that kind lies below P.  Above the highest start H of the last device's
 * windows in @w no later window lies: [H, @last] can be one allocation
 * without changing where any later device goes.  A high window goes at
 * the lowest start that fits: below the lowest end L of the last device's
 * windows there, [@first, L] likewise.
 */
static int bench_pack(struct pvbus_mmio_space *space, struct resource **res,
		      unsigned int *nr_res, struct resource **blk,
		      const struct bench_plan *bp, u64 first, u64 last)
{
	struct pvbus_mmio_req req = {
		.name = "bench P3 packed", .align = SZ_4K,
		.zone = PVBUS_MMIO_ANY,
	};
	bool top_down = last <= PVBUS_MMIO_LOW_END;
	u64 lo = first, hi = last, edge = 0;
	unsigned int i, j;
	bool any = false;

	for (i = 0; i < bp->plan.nr_win; i++) {
		const struct resource *r = bp->win[i].res;

		if (!r || r->start < first || r->end > last)
			continue;
		if (!any)
			edge = top_down ? r->start : r->end;
		else
			edge = top_down ? max_t(u64, edge, r->start) :
					  min_t(u64, edge, r->end);
		any = true;
	}
	if (!any)
		return 0;
	if (top_down)
		lo = edge;
	else
		hi = edge;

	for (i = 0, j = 0; i < *nr_res; i++) {
		if (res[i]->start >= lo && res[i]->end <= hi)
			pvbus_mmio_free(space, res[i]);
		else
			res[j++] = res[i];
	}
	*nr_res = j;
	if (*blk)
		pvbus_mmio_free(space, *blk);
	req.size = hi - lo + 1;
	req.min = lo;
	req.max = hi;
	*blk = pvbus_mmio_alloc(space, &req);
	if (IS_ERR(*blk)) {
		int ret = PTR_ERR(*blk);

		/* Not "the device did not fit": the range was just freed. */
		*blk = NULL;
		return ret == -ENOSPC ? -EIO : ret;
	}
	return 0;
}

static int bench_count(struct kunit *test, struct bench_count *c)
{
	struct resource *blk[2] = { }, **res;
	struct pvbus_mmio_space *space;
	struct bench_shape shape, first = { };
	unsigned int nr_res = 0, i, k, max_res;
	struct bench_plan *bp;
	int ret;

	/* Unpacked, every window of every device stays live. */
	max_res = (c->pack ? 64 : c->cap) * ARRAY_SIZE(bp->win);
	res = kvcalloc(max_res, sizeof(*res), GFP_KERNEL);
	bp = kmalloc(sizeof(*bp), GFP_KERNEL);
	space = pvbus_mmio_space_create("bench P3");
	if (!res || !bp || IS_ERR(space)) {
		ret = IS_ERR(space) ? PTR_ERR(space) : -ENOMEM;
		goto out;
	}
	ret = pvbus_mmio_add_window(space, c->base, c->size);
	if (!ret && c->mode == BENCH_SPLIT)
		ret = pvbus_mmio_add_window(space, BENCH_HIGH_BASE,
					    BENCH_HIGH_SIZE);
	c->n = 0;
	c->low = 0;
	while (!ret && c->n < c->cap) {
		bench_plan_init(bp, c->d, c->mode);
		ret = pci_pvbus_place(&bp->plan, &bench_ops, space, "bench");
		if (ret)
			break;
		bench_shape_of(bp, &shape);
		if (!c->n)
			first = shape;
		for (i = 0, k = 0; i < bp->plan.nr_win; i++) {
			struct resource *r = bp->win[i].res;

			if (!r)
				continue;
			if (r->end <= PVBUS_MMIO_LOW_END)
				c->low += resource_size(r);
			/* Below 4 GiB only in the low window, as in "low". */
			KUNIT_EXPECT_TRUE(test, r->end <= PVBUS_MMIO_LOW_END ?
					  r->start >= c->base &&
					  r->end <= c->base + c->size - 1 :
					  c->mode == BENCH_SPLIT);
			if (c->starts && c->n < c->nr_starts && k < 4)
				c->starts[c->n * 4 + k++] = r->start;
			if (nr_res == max_res) {
				pvbus_mmio_free(space, r);
				ret = -E2BIG;
				continue;
			}
			res[nr_res++] = r;
		}
		if (ret)
			break;
		c->n++;
		if (!c->pack)
			continue;
		/* Packing holds only while every device is the first's. */
		if (!bench_shape_eq(&shape, &first)) {
			ret = -EMLINK;
			break;
		}
		ret = bench_pack(space, res, &nr_res, &blk[0], bp, c->base,
				 c->base + c->size - 1);
		if (!ret && c->mode == BENCH_SPLIT)
			ret = bench_pack(space, res, &nr_res, &blk[1], bp,
					 BENCH_HIGH_BASE,
					 BENCH_HIGH_BASE + BENCH_HIGH_SIZE - 1);
		if (!ret && nr_res > max_res / 2)
			ret = -E2BIG;
	}
	if (ret == -ENOSPC)
		ret = 0;
out:
	while (nr_res)
		pvbus_mmio_free(space, res[--nr_res]);
	for (i = 0; i < ARRAY_SIZE(blk); i++)
		if (blk[i])
			pvbus_mmio_free(space, blk[i]);
	if (!IS_ERR_OR_NULL(space))
		pvbus_mmio_space_destroy(space);
	kfree(bp);
	kvfree(res);
	return ret;
}

/*
 * How many devices like @d pci_pvbus_place() fits, up to @p3_cap.  Placing
 * each device walks the window's children some 35 times (the binary
 * search of pci_pvbus_alloc_low()), so with every device live, counting
 * is quadratic: at 65,536 NVMe devices, minutes.  So the count packs, after
 * each device, the part of the window no later device can use into one
 * allocation (bench_pack() says why that changes no placement), and the
 * children stay few.  That it changes nothing is also checked: the first
 * @p3_check devices are placed again with every window live, and each
 * window must start where it did packed.  A set for which packing does
 * not hold (devices whose windows differ) is counted unpacked.
 */
static int bench_pvbus_fit(struct kunit *test, const struct bench_dev *d,
			   enum bench_mode mode, u64 base, u64 size,
			   struct bench_fit *fit)
{
	struct bench_count packed = {
		.d = d, .mode = mode, .base = base, .size = size,
		.cap = p3_cap, .pack = true,
	};
	struct bench_count live = packed;
	int ret;

	live.pack = false;
	live.cap = min(p3_check, p3_cap);
	live.nr_starts = live.cap;
	packed.nr_starts = live.cap;
	live.starts = kvcalloc(live.cap * 4 + 1, sizeof(u64), GFP_KERNEL);
	packed.starts = kvcalloc(live.cap * 4 + 1, sizeof(u64), GFP_KERNEL);
	if (!live.starts || !packed.starts) {
		ret = -ENOMEM;
		goto out;
	}

	ret = bench_count(test, &packed);
	if (ret == -EMLINK) {
		packed.pack = false;
		ret = bench_count(test, &packed);
	}
	if (ret)
		goto out;
	fit->pvbus = packed.n;
	fit->pvbus_low = packed.low;
	fit->packed = packed.pack;

	if (live.cap && packed.pack) {
		ret = bench_count(test, &live);
		if (ret)
			goto out;
		/* As many, up to where the unpacked count stopped. */
		KUNIT_EXPECT_EQ(test, min(packed.n, live.cap), live.n);
		KUNIT_EXPECT_EQ(test, memcmp(packed.starts, live.starts,
					     live.n * 4 * sizeof(u64)), 0);
		fit->checked = live.n;
	}
out:
	kvfree(live.starts);
	kvfree(packed.starts);
	return ret;
}

static void bench_fits(struct kunit *test, const struct bench_dev *d,
		       enum bench_mode mode, u64 base, u64 size, u64 sum,
		       struct bench_fit *fit)
{
	u64 end = base + size - 1, pos, next, align;

	KUNIT_EXPECT_EQ(test, bench_pvbus_fit(test, d, mode, base, size, fit),
			0);
	KUNIT_EXPECT_LE(test, fit->pvbus_low, size);

	for (fit->disc = 0, pos = base; fit->disc < p3_cap; fit->disc++) {
		next = bench_disc_place(d, mode, pos, end);
		if (!next)
			break;
		pos = next;
	}
	KUNIT_EXPECT_LE(test, pos - base, size);

	align = rounddown_pow_of_two(sum);
	for (fit->hv = 0, pos = base; fit->hv < p3_cap; fit->hv++) {
		next = ALIGN(pos, align);
		if (next + sum - 1 > end)
			break;
		pos = next + sum;
	}
	KUNIT_EXPECT_LE(test, pos - base, size);
}

static const struct {
	const char *name;
	u64 base, size;
} bench_windows[] = {
	{ "hyperv-gen2", 0xf8000000, SZ_128M },
	{ "azure-gen2", 0x40000000, 3 * (u64)SZ_1G },
};

static void bench_p3_dev(struct kunit *test, const struct bench_dev *d)
{
	enum bench_mode mode;
	unsigned int w;

	for (mode = BENCH_LOW; mode <= BENCH_SPLIT; mode++) {
		u64 largest, sum = bench_low_sum(d, mode, &largest);
		u64 pv_used = 0, disc_used;
		int ret;

		/* Nothing to place low, or more than there is below 4 GiB. */
		if (!sum || sum > SZ_4G)
			continue;
		ret = bench_pvbus_used(d, mode, &pv_used);
		KUNIT_EXPECT_EQ(test, ret, 0);
		disc_used = bench_disc_place(d, mode, 0, U64_MAX);
		/* Nothing takes less than its BARs. */
		KUNIT_EXPECT_GE(test, pv_used, sum);
		KUNIT_EXPECT_GE(test, disc_used, sum);
		kunit_info(test,
			   "bench: P3 profile=%s mode=%s sum=%llu largest=%llu pvbus_used=%llu disc_used=%llu hv_used=%llu\n",
			   d->name, bench_mode_name[mode], sum, largest,
			   pv_used, disc_used, sum);

		for (w = 0; w < ARRAY_SIZE(bench_windows); w++) {
			struct bench_fit fit = { };

			bench_fits(test, d, mode, bench_windows[w].base,
				   bench_windows[w].size, sum, &fit);
			kunit_info(test,
				   "bench: P3fit profile=%s mode=%s window=%s window_mib=%llu pvbus_fit=%u disc_fit=%u hv_fit=%u cap=%u packed=%d checked=%u\n",
				   d->name, bench_mode_name[mode],
				   bench_windows[w].name,
				   bench_windows[w].size / SZ_1M, fit.pvbus,
				   fit.disc, fit.hv, p3_cap, fit.packed,
				   fit.checked);
		}
	}
}

static void pci_pvbus_bench_p3(struct kunit *test)
{
	u64 t0 = ktime_get_ns();
	struct bench_dev *d;
	char name[24];
	unsigned int i;

	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);

	for (i = 0; i < ARRAY_SIZE(bench_profiles); i++) {
		bench_dev_from_profile(d, &bench_profiles[i]);
		bench_p3_dev(test, d);
	}
	for (i = 1; i <= p3_random; i++) {
		bench_dev_random(d, i, name, sizeof(name));
		bench_p3_dev(test, d);
	}
	pvbus_bench_report_time(test, "P3", t0);
}

static struct kunit_case pci_pvbus_bench_cases[] = {
	KUNIT_CASE(pci_pvbus_bench_p3),
	{}
};

static struct kunit_suite pci_pvbus_bench_suite = {
	.name = "pci_pvbus_bench",
	.test_cases = pci_pvbus_bench_cases,
};

kunit_test_suite(pci_pvbus_bench_suite);

MODULE_DESCRIPTION("Benchmark of the pci-pvbus BAR planner against discovery order and pci-hyperv");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
