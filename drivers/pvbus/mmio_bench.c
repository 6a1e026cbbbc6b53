// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_mmio_bench: benchmarks P1 and P2 of the MMIO allocator, each
 * against a reference measured in the same run (issue 14).
 *
 * The reference is the placement loop of vmbus_allocate_mmio() in Linux
 * 6.1 (drivers/hv/vmbus_drv.c): for each window, the candidate start goes
 * from the window's start, aligned, in steps of @align, and at each step
 * __request_region() is tried in the window and released again.  Here it
 * runs the kernel's own __request_region() on a private resource tree that
 * holds exactly what the pvbus space holds, without the framebuffer
 * (there is none) and without the final request_mem_region_exclusive()
 * in iomem_resource, which only a successful step reaches.
 *
 * P1, a failing request against window size: one 4 KiB allocation pinned
 * in the middle of a window, then a request of half the window plus
 * 4 KiB, 4 KiB aligned, which cannot fit.
 * P2, many live allocations: N live 8 KiB allocations (4 KiB aligned) in
 * one window, then the allocation and the free of one more.  Beside the
 * two sides, P2 times what explains pvbus's cost: the kernel's share
 * (allocate_resource() and release_resource() of the same range, called
 * directly on the pvbus window, as pvbus calls them), one walk of the
 * window's children per child (the memory cost of the kernel's sibling
 * list), and pvbus_mmio_find() of the same request.  The whole of P2 is
 * repeated p2_reps times, so that bench.py can give the spread of the
 * fitted growth exponents.
 *
 * Each result is one KTAP diagnostic line, "# bench: P1 key=value ...",
 * which tools/testing/bench/bench.py reads.  The only assertions are
 * about correctness: both sides refuse the P1 request, both place P2's
 * extra allocation at the same address.  Times are printed, never
 * asserted.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pvbus.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "bench.h"

/* Every window starts here: above 4 GiB, 1 TiB aligned. */
#define BENCH_BASE	((resource_size_t)SZ_1T)
#define BENCH_TRIALS_MAX	9

static unsigned long p1_mib[8] = { SZ_1K, 16 * SZ_1K, 256 * SZ_1K, SZ_1M };
static unsigned int p1_nr = 4;
module_param_array(p1_mib, ulong, &p1_nr, 0444);
MODULE_PARM_DESC(p1_mib, "P1: window sizes in MiB (default 1024,16384,262144,1048576)");

static unsigned long p1_max_steps = 1UL << 27;
module_param(p1_max_steps, ulong, 0444);
MODULE_PARM_DESC(p1_max_steps,
		 "P1: most steps of the reference scan timed; beyond it the cost per step times the steps is reported as extrapolated (default 2^27: 1 TiB measured whole)");

static unsigned long p2_n[8] = { 16, 64, 256, 1024, 4096 };
static unsigned int p2_nr = 5;
module_param_array(p2_n, ulong, &p2_nr, 0444);
MODULE_PARM_DESC(p2_n, "P2: numbers of live allocations (default 16,64,256,1024,4096)");

static unsigned int p2_reps = 5;
module_param(p2_reps, uint, 0444);
MODULE_PARM_DESC(p2_reps, "P2: repetitions of the whole benchmark (default 5)");

static unsigned int trials = 5;
module_param(trials, uint, 0444);
MODULE_PARM_DESC(trials, "trials per measurement, the median is reported (default 5, at most 9)");

static unsigned long min_ns = 20 * NSEC_PER_MSEC;
module_param(min_ns, ulong, 0444);
MODULE_PARM_DESC(min_ns, "repeat an operation until a trial lasts this long (default 20 ms)");

static int bench_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The median over the trials of the time of one operation, in ns.  Each
 * trial repeats the operation, doubling, until it lasts @min_ns; a single
 * operation that lasts over a second makes it the only trial.
 */
static int bench_measure(int (*fn)(void *ctx, unsigned long reps), void *ctx,
			 u64 *ns)
{
	unsigned int nr = clamp(trials, 1U, BENCH_TRIALS_MAX), t;
	u64 per[BENCH_TRIALS_MAX];

	for (t = 0; t < nr; t++) {
		unsigned long reps = 1;
		u64 t0, el;
		int ret;

		for (;;) {
			t0 = ktime_get_ns();
			ret = fn(ctx, reps);
			el = ktime_get_ns() - t0;
			if (ret)
				return ret;
			if (el >= min_ns || reps >= ULONG_MAX / 2)
				break;
			reps *= 2;
		}
		per[t] = div64_u64(el, reps);
		if (el >= NSEC_PER_SEC && reps == 1) {
			nr = t + 1;
			break;
		}
	}
	sort(per, nr, sizeof(per[0]), bench_u64_cmp, NULL);
	*ns = per[nr / 2];
	return 0;
}

/* The reference: a private resource tree of one window. */
struct bench_ref {
	struct resource root;
	struct resource win;
};

static void bench_ref_init(struct bench_ref *ref, resource_size_t size)
{
	ref->root = (struct resource)DEFINE_RES_MEM_NAMED(0, ~(resource_size_t)0,
							  "bench ref");
	ref->win = (struct resource)DEFINE_RES_MEM_NAMED(BENCH_BASE, size,
							 "bench ref window");
	WARN_ON(request_resource(&ref->root, &ref->win));
}

/* What holds what the pvbus space holds: as hv's shadow requests do. */
static int bench_ref_take(struct bench_ref *ref, resource_size_t start,
			  resource_size_t size)
{
	return __request_region(&ref->win, start, size, NULL,
				IORESOURCE_BUSY) ? 0 : -EBUSY;
}

/* Release everything in the tree; hv releases one region at a time. */
static void bench_ref_fini(struct bench_ref *ref)
{
	while (ref->win.child)
		__release_region(&ref->win, ref->win.child->start,
				 resource_size(ref->win.child));
	release_resource(&ref->win);
}

/*
 * vmbus_allocate_mmio()'s placement loop for the one window, stopped
 * after @max_steps steps (0: never).  Return: the start found, 0 for none;
 * *@steps the steps taken.
 */
static resource_size_t bench_ref_alloc(struct bench_ref *ref,
				       resource_size_t size,
				       resource_size_t align, u64 max_steps,
				       u64 *steps)
{
	struct resource *iter = &ref->win;
	resource_size_t start, range_max = iter->end;
	struct resource *shadow;
	u64 n = 0;

	start = (iter->start + align - 1) & ~(align - 1);
	for (; start + size - 1 <= range_max; start += align) {
		if (max_steps && n == max_steps)
			break;
		n++;
		if (!(n & 0xffff))
			cond_resched();
		shadow = __request_region(iter, start, size, NULL,
					  IORESOURCE_BUSY);
		if (!shadow)
			continue;
		*steps = n;
		return start;
	}
	*steps = n;
	return 0;
}

/* The number of steps the reference takes for a request that fails. */
static u64 bench_ref_steps(resource_size_t win, resource_size_t size,
			   resource_size_t align)
{
	return size > win ? 0 : div64_u64(win - size, align) + 1;
}

static struct pvbus_mmio_space *bench_space(struct kunit *test,
					    resource_size_t size)
{
	struct pvbus_mmio_space *space = pvbus_mmio_space_create("bench");
	int ret;

	KUNIT_ASSERT_FALSE(test, IS_ERR(space));
	ret = pvbus_mmio_add_window(space, BENCH_BASE, size);
	if (ret)
		pvbus_mmio_space_destroy(space);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return space;
}

struct bench_p1 {
	struct pvbus_mmio_space *space;
	struct bench_ref *ref;
	struct pvbus_mmio_req req;
	u64 max_steps;
	u64 steps;
};

static int bench_p1_pvbus(void *ctx, unsigned long reps)
{
	struct bench_p1 *b = ctx;
	struct resource *res;

	while (reps--) {
		res = pvbus_mmio_alloc(b->space, &b->req);
		if (!IS_ERR(res)) {
			pvbus_mmio_free(b->space, res);
			return -EEXIST;
		}
		if (PTR_ERR(res) != -ENOSPC)
			return PTR_ERR(res);
	}
	return 0;
}

static int bench_p1_ref(void *ctx, unsigned long reps)
{
	struct bench_p1 *b = ctx;

	resource_size_t start;

	while (reps--) {
		start = bench_ref_alloc(b->ref, b->req.size, b->req.align,
					b->max_steps, &b->steps);
		if (start) {
			__release_region(&b->ref->win, start, b->req.size);
			return -EEXIST;
		}
	}
	return 0;
}

/* P1: the failing request, pvbus against the stride scan, per size. */
static void pvbus_bench_p1(struct kunit *test)
{
	u64 t0 = ktime_get_ns();
	struct bench_ref *ref;
	unsigned int i;

	ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);

	for (i = 0; i < p1_nr; i++) {
		resource_size_t size = (resource_size_t)p1_mib[i] * SZ_1M;
		resource_size_t mid = BENCH_BASE + size / 2;
		struct pvbus_mmio_req pin = {
			.name = "bench pinned", .size = SZ_4K, .align = SZ_4K,
			.min = mid, .max = mid + SZ_4K - 1,
			.zone = PVBUS_MMIO_ANY,
		};
		struct bench_p1 b = {
			.ref = ref,
			.req = {
				.name = "bench P1", .size = size / 2 + SZ_4K,
				.align = SZ_4K, .zone = PVBUS_MMIO_ANY,
			},
		};
		u64 all, pv_ns, ref_ns, step_ns;
		struct resource *res;
		const char *method;
		int ret;

		if (size < SZ_64K) {
			KUNIT_FAIL(test, "P1: window of %lu MiB too small", p1_mib[i]);
			continue;
		}
		b.space = bench_space(test, size);
		res = pvbus_mmio_alloc(b.space, &pin);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(res), "pin: %ld", PTR_ERR(res));
		KUNIT_ASSERT_EQ(test, res->start, mid);

		bench_ref_init(ref, size);
		KUNIT_ASSERT_EQ(test, bench_ref_take(ref, mid, SZ_4K), 0);

		/*
		 * Correctness: both refuse (a run that places it returns
		 * -EEXIST), the reference after every step it was given.
		 */
		all = bench_ref_steps(size, b.req.size, b.req.align);
		ret = bench_measure(bench_p1_pvbus, &b, &pv_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		b.max_steps = min_t(u64, all, p1_max_steps);
		ret = bench_measure(bench_p1_ref, &b, &ref_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, b.steps, b.max_steps);

		step_ns = div64_u64(ref_ns, max_t(u64, b.max_steps, 1));
		if (b.max_steps < all) {
			/* The cost per step times the steps: not measured. */
			ref_ns = div_u64(div64_u64(ref_ns * 1000, b.max_steps) * all,
					 1000);
			method = "extrapolated";
		} else {
			method = "measured";
		}
		kunit_info(test,
			   "bench: P1 size_mib=%lu pvbus_ns=%llu ref_ns=%llu ref_steps=%llu ref_steps_timed=%llu ref_step_ns=%llu ref_method=%s\n",
			   p1_mib[i], pv_ns, ref_ns, all, b.max_steps, step_ns,
			   method);

		bench_ref_fini(ref);
		pvbus_mmio_free(b.space, res);
		pvbus_mmio_space_destroy(b.space);
	}
	pvbus_bench_report_time(test, "P1", t0);
}

struct bench_p2 {
	struct pvbus_mmio_space *space;
	struct bench_ref *ref;
	struct pvbus_mmio_req req;
	resource_size_t expect;
	struct resource *win;	/* the pvbus window, for the kernel's share */
	u64 walked;		/* children seen by the last walk */
};

static int bench_p2_pvbus(void *ctx, unsigned long reps)
{
	struct bench_p2 *b = ctx;
	struct resource *res;

	while (reps--) {
		res = pvbus_mmio_alloc(b->space, &b->req);
		if (IS_ERR(res))
			return PTR_ERR(res);
		if (res->start != b->expect) {
			pvbus_mmio_free(b->space, res);
			return -EFAULT;
		}
		pvbus_mmio_free(b->space, res);
	}
	return 0;
}

static int bench_p2_ref(void *ctx, unsigned long reps)
{
	struct bench_p2 *b = ctx;
	resource_size_t start;
	u64 steps;

	while (reps--) {
		start = bench_ref_alloc(b->ref, b->req.size, b->req.align, 0,
					&steps);
		if (start != b->expect)
			return -EFAULT;
		/* vmbus_free_mmio(): __release_region() in the window. */
		__release_region(&b->ref->win, start, b->req.size);
	}
	return 0;
}

/*
 * The kernel's share of pvbus's alloc + free: the same allocate_resource()
 * (a constraint that only aligns, as pvbus's does without reservations)
 * and release_resource() on the same window, without pvbus's lock, its
 * records and its kmalloc()s.
 */
static int bench_p2_kernel(void *ctx, unsigned long reps)
{
	struct bench_p2 *b = ctx;
	struct resource tmp;
	int ret;

	while (reps--) {
		tmp = (struct resource)DEFINE_RES_MEM_NAMED(0, 0, "bench P2");
		ret = allocate_resource(b->win, &tmp, b->req.size,
					b->win->start, b->win->end,
					b->req.align, NULL, NULL);
		if (ret)
			return ret;
		release_resource(&tmp);
		if (tmp.start != b->expect)
			return -EFAULT;
	}
	return 0;
}

/*
 * One walk of the window's children, as each of the kernel's walks makes
 * it: its time per child is what a child costs the kernel in memory.
 */
static int bench_p2_walk(void *ctx, unsigned long reps)
{
	struct bench_p2 *b = ctx;
	resource_size_t sum = 0;
	struct resource *p;
	u64 n;

	while (reps--) {
		n = 0;
		for (p = READ_ONCE(b->win->child); p; p = READ_ONCE(p->sibling)) {
			sum += p->end;
			n++;
		}
		b->walked = n;
	}
	/* Keep the walk from being optimised away. */
	return sum == 1 ? -EFAULT : 0;
}

static int bench_p2_find(void *ctx, unsigned long reps)
{
	struct bench_p2 *b = ctx;
	resource_size_t start;
	int ret;

	while (reps--) {
		ret = pvbus_mmio_find(b->space, &b->req, &start);
		if (ret)
			return ret;
		if (start != b->expect)
			return -EFAULT;
	}
	return 0;
}

/* One repetition of P2 with @n live allocations. */
static void bench_p2_one(struct kunit *test, struct bench_ref *ref,
			 unsigned long n, unsigned int rep)
{
	resource_size_t size = SZ_1G;
	struct resource **live;
	struct bench_p2 b = {
		.ref = ref,
		.req = {
			.name = "bench P2", .size = SZ_8K,
			.align = SZ_4K, .zone = PVBUS_MMIO_ANY,
		},
	};
	u64 pv_ns, ref_ns, kern_ns, walk_ns, find_ns;
	struct resource *res;
	unsigned long k;
	int ret;

	if (!n || n >= size / SZ_8K) {
		KUNIT_FAIL(test, "P2: N=%lu is 0 or does not fit 1 GiB", n);
		return;
	}
	live = kvcalloc(n, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	b.space = bench_space(test, size);
	bench_ref_init(ref, size);

	/* The reference tree holds what the space holds, as placed. */
	for (k = 0; k < n; k++) {
		live[k] = pvbus_mmio_alloc(b.space, &b.req);
		if (IS_ERR(live[k]))
			break;
		if (bench_ref_take(ref, live[k]->start, SZ_8K)) {
			pvbus_mmio_free(b.space, live[k]);
			live[k] = ERR_PTR(-EBUSY);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, k, n);
	if (k == n) {
		/* Both place the next one at the lowest free start. */
		b.win = live[0]->parent;
		res = pvbus_mmio_alloc(b.space, &b.req);
		KUNIT_EXPECT_FALSE(test, IS_ERR(res));
		if (!IS_ERR(res)) {
			b.expect = res->start;
			pvbus_mmio_free(b.space, res);
		}
		KUNIT_EXPECT_EQ(test, bench_p2_ref(&b, 1), 0);
		KUNIT_EXPECT_EQ(test, bench_p2_kernel(&b, 1), 0);
		KUNIT_EXPECT_EQ(test, bench_p2_find(&b, 1), 0);

		ret = bench_measure(bench_p2_pvbus, &b, &pv_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		ret = bench_measure(bench_p2_kernel, &b, &kern_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		ret = bench_measure(bench_p2_walk, &b, &walk_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, b.walked, (u64)n);
		ret = bench_measure(bench_p2_find, &b, &find_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		ret = bench_measure(bench_p2_ref, &b, &ref_ns);
		KUNIT_EXPECT_EQ(test, ret, 0);
		kunit_info(test,
			   "bench: P2 rep=%u n=%lu pvbus_ns=%llu ref_ns=%llu ref_steps=%llu kernel_ns=%llu walk_ps=%llu find_ns=%llu\n",
			   rep, n, pv_ns, ref_ns,
			   (u64)(b.expect - BENCH_BASE) / SZ_4K + 1, kern_ns,
			   div64_u64(walk_ns * 1000, n), find_ns);
	}

	while (k--)
		pvbus_mmio_free(b.space, live[k]);
	kvfree(live);
	bench_ref_fini(ref);
	pvbus_mmio_space_destroy(b.space);
}

/*
 * P2: alloc + free of one more among N live allocations, per N; the
 * whole repeated p2_reps times, the repetitions outermost so that each
 * spans the run's changes of load.
 */
static void pvbus_bench_p2(struct kunit *test)
{
	u64 t0 = ktime_get_ns();
	struct bench_ref *ref;
	unsigned int i, rep;

	ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);

	for (rep = 0; rep < max(p2_reps, 1U); rep++)
		for (i = 0; i < p2_nr; i++)
			bench_p2_one(test, ref, p2_n[i], rep);
	pvbus_bench_report_time(test, "P2", t0);
}

static struct kunit_case pvbus_mmio_bench_cases[] = {
	KUNIT_CASE(pvbus_bench_p1),
	KUNIT_CASE(pvbus_bench_p2),
	{}
};

static struct kunit_suite pvbus_mmio_bench_suite = {
	.name = "pvbus_mmio_bench",
	.test_cases = pvbus_mmio_bench_cases,
};

kunit_test_suite(pvbus_mmio_bench_suite);

MODULE_DESCRIPTION("Benchmarks of the pvbus MMIO allocator against vmbus_allocate_mmio()'s placement");
MODULE_LICENSE("GPL");
