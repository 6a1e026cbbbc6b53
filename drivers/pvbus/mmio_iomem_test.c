// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pvbus MMIO allocator in iomem_resource: a
 * published space among the resources of others.
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
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/pvbus_mmio.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "kunit_param.h"
#include "mmio_internal.h"
#include "mmio_test.h"

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

	space = pvbus_mt_space(test);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	pvbus_mt_reserve(test, space, PUB_BASE + SZ_16M, SZ_16M, PVBUS_RSV_HOST);
	pvbus_mt_alloc_at(test, space, &req, PUB_BASE);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* Publishing is only allowed before the first window. */
static void space_publish_after_window_busy(struct kunit *test)
{
	struct pvbus_mmio_space *space = pvbus_mt_space(test);

	pvbus_mt_add_window(test, space, LOW_BASE, LOW_SIZE);
	KUNIT_EXPECT_EQ(test, pvbus_mmio_space_publish(space), -EBUSY);
}

/*
 * A reservation whose caller found the space private, but which gets the
 * space's lock only after the space was published (it may have a window
 * in iomem by then), takes the locks of a published space before it
 * changes the tree: it waits for the iomem lock, which this case holds.
 * Publishing is done here as pvbus_mmio_space_publish() does it, under
 * the space's lock, which the case holds while the reservation waits.
 */
struct publish_race {
	struct pvbus_mmio_space *space;
	struct completion done;
	int ret;
};

static int publish_race_reserve(void *data)
{
	struct publish_race *pr = data;

	pr->ret = pvbus_mmio_reserve(pr->space, PUB_BASE, SZ_1M,
				     PVBUS_RSV_HOST, "pvbus-kunit-race");
	complete(&pr->done);
	return 0;
}

static void reserve_published_meanwhile(struct kunit *test)
{
	struct publish_race pr = { .space = pvbus_mt_space(test) };
	struct mutex *lock = &pr.space->lock;
	struct task_struct *task;
	bool waiting = false, early;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_PCI) || IS_ENABLED(CONFIG_PREEMPT_RT))
		kunit_skip(test, "no PCI rescan lock, or a mutex without a wait list");

	init_completion(&pr.done);
	pvbus_mmio_iomem_lock();
	mutex_lock(lock);
	task = kthread_run(publish_race_reserve, &pr, "pvbus-kunit-race");
	if (IS_ERR(task)) {
		mutex_unlock(lock);
		pvbus_mmio_iomem_unlock();
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return;
	}
	/* Until the reservation waits for the space's lock. */
	for (i = 0; i < 500 && !waiting; i++) {
		msleep(20);
#ifndef CONFIG_PREEMPT_RT
		waiting = !list_empty_careful(&lock->wait_list);
#endif
	}
	pr.space->parent = &iomem_resource;
	mutex_unlock(lock);
	early = wait_for_completion_timeout(&pr.done, msecs_to_jiffies(200));
	pvbus_mmio_iomem_unlock();
	if (!early)
		wait_for_completion(&pr.done);

	KUNIT_EXPECT_TRUE_MSG(test, waiting,
			      "the reservation never waited for the space's lock");
	KUNIT_EXPECT_FALSE_MSG(test, early,
			       "the reservation changed a published space without the iomem lock");
	KUNIT_EXPECT_EQ(test, pr.ret, 0);
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

	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space, rsv, SZ_16M,
						 PVBUS_RSV_FRAMEBUFFER,
						 "pvbus-kunit-fb"), 0);
	res = pvbus_mt_alloc_at(test, space, &req, PUB_BASE);

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

	pvbus_mt_space_destroy(test, space);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

static const enum pvbus_mmio_rsv over_kinds[] = {
	PVBUS_RSV_HOST, PVBUS_RSV_FIRMWARE, PVBUS_RSV_FRAMEBUFFER,
};

static void over_kind_desc(const enum pvbus_mmio_rsv *kind, char *desc)
{
	strscpy(desc, pvbus_mmio_rsv_name(*kind), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(over, over_kinds, over_kind_desc);

/*
 * A reservation laid over exactly the range a driver requested before
 * (vesafb's region when the host reports the framebuffer): the driver can
 * still release its region, and the reservation stays.  A busy segment
 * there used to be what release_mem_region() found, and freed.
 */
static void reserve_over_driver_region(struct kunit *test)
{
	const enum pvbus_mmio_rsv *kind = test->param_value;
	const resource_size_t start = PUB_BASE + SZ_16M;
	const resource_size_t end = start + SZ_16M - 1;
	struct pvbus_mmio_space *space;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, request_mem_region(start, SZ_16M,
						       "pvbus-kunit-driver"));
	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space, start, SZ_16M, *kind,
						 "pvbus-kunit-rsv"), 0);
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-rsv",
					   start, end, true));

	release_mem_region(start, SZ_16M);
	KUNIT_EXPECT_FALSE(test, iomem_find(&iomem_resource,
					    "pvbus-kunit-driver", start, end,
					    true));
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-rsv",
					   start, end, true));

	pvbus_mt_space_destroy(test, space);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* ---- windows and reservations among other resources ----------------- */

/*
 * A resource of someone else's in iomem_resource: a driver's claim
 * (request_mem_region()), or one inserted with @flags and @desc the way
 * the firmware's memory map, ACPI, a PCI host bridge or the PCI core
 * inserts theirs.
 */
struct foreign_res {
	const char *name;
	unsigned long flags;
	unsigned long desc;
	bool claim;
};

#define FOREIGN_DRIVER	{ "pvbus-kunit-driver", 0, 0, true }
#define FOREIGN_BAR	{ "pvbus-kunit-bar", IORESOURCE_MEM, IORES_DESC_NONE }
#define FOREIGN_BRIDGE	{ "pvbus-kunit-bridge", \
			  IORESOURCE_MEM | IORESOURCE_WINDOW, IORES_DESC_NONE }
#define FOREIGN_RAM	{ "System RAM", \
			  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, \
			  IORES_DESC_NONE }
#define FOREIGN_ACPI	{ "ACPI Tables", IORESOURCE_MEM, \
			  IORES_DESC_ACPI_TABLES }
#define FOREIGN_NVS	{ "ACPI Non-volatile Storage", IORESOURCE_MEM, \
			  IORES_DESC_ACPI_NV_STORAGE }
#define FOREIGN_RSVD	{ "Reserved", IORESOURCE_MEM, IORES_DESC_RESERVED }
/* arm64's no-map memory (EFI runtime, ACPI tables): named, no desc. */
#define FOREIGN_NOMAP	{ "reserved", IORESOURCE_MEM, IORES_DESC_NONE }
/* x86's E820 unusable memory: named, no desc. */
#define FOREIGN_UNUSABLE { "Unusable memory", \
			  IORESOURCE_MEM | IORESOURCE_BUSY, IORES_DESC_NONE }
#define FOREIGN_PMEM	{ "Persistent Memory", \
			  IORESOURCE_MEM | IORESOURCE_BUSY, \
			  IORES_DESC_PERSISTENT_MEMORY }

/* The foreign resource, released at the end unless the case did. */
struct foreign_fx {
	struct resource *res;
	bool claim;
};

static int foreign_fx_init(struct kunit_resource *kres, void *context)
{
	struct foreign_fx *fx = kzalloc(sizeof(*fx), GFP_KERNEL);

	if (!fx)
		return -ENOMEM;
	kres->data = fx;
	return 0;
}

static void foreign_release(struct foreign_fx *fx)
{
	struct resource *r = fx->res;

	if (!r)
		return;
	fx->res = NULL;
	/* As their owners do: the PCI core releases a BAR with its children. */
	if (fx->claim) {
		release_mem_region(r->start, resource_size(r));
	} else {
		release_resource(r);
		kfree(r);
	}
}

static void foreign_fx_free(struct kunit_resource *kres)
{
	foreign_release(kres->data);
	kfree(kres->data);
}

/*
 * Put @f at [start, start + size - 1] in iomem_resource.  Call before
 * creating the space: KUnit releases in reverse, the space first.
 */
static struct foreign_fx *foreign_add(struct kunit *test,
				      const struct foreign_res *f,
				      resource_size_t start,
				      resource_size_t size)
{
	struct foreign_fx *fx;
	struct resource *r;

	fx = kunit_alloc_resource(test, foreign_fx_init, foreign_fx_free,
				  GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->claim = f->claim;
	if (f->claim) {
		r = request_mem_region(start, size, f->name);
		KUNIT_ASSERT_NOT_NULL(test, r);
		fx->res = r;
		return fx;
	}

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->name = f->name;
	r->start = start;
	r->end = start + size - 1;
	r->flags = f->flags;
	r->desc = f->desc;
	if (insert_resource(&iomem_resource, r)) {
		kfree(r);
		KUNIT_FAIL(test, "cannot insert %s %#llx+%#llx", f->name,
			   ADDR(start), ADDR(size));
		return fx;
	}
	fx->res = r;
	return fx;
}

/* Offsets from PUB_BASE. */
#define FW_AT		SZ_16M		/* the foreign resource */
#define FW_SIZE		SZ_16M

/* What the space's tie does with a window in a host bridge window. */
enum win_tie {
	TIE_NONE,	/* the space has none */
	TIE_KEEP,
	TIE_REFUSE,
};

#define TIE_ERR		(-ENXIO)	/* what a refusing tie returns */

struct win_foreign_case {
	const char *desc;
	struct foreign_res foreign;
	resource_size_t fstart, fsize;	/* the foreign resource */
	resource_size_t wstart, wsize;	/* the window */
	int err;
	enum win_tie tie;
};

static const struct win_foreign_case win_foreign_cases[] = {
	{ "strictly inside a driver's region", FOREIGN_DRIVER,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "at the start of a driver's region", FOREIGN_DRIVER,
	  FW_AT, FW_SIZE, FW_AT, SZ_4M, -EBUSY },
	{ "strictly inside an unclaimed BAR", FOREIGN_BAR,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "strictly inside System RAM", FOREIGN_RAM,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "strictly inside ACPI tables", FOREIGN_ACPI,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "strictly inside ACPI NVS", FOREIGN_NVS,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "strictly inside a reserved range", FOREIGN_RSVD,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "strictly inside persistent memory", FOREIGN_PMEM,
	  FW_AT, FW_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY },
	{ "over ACPI tables", FOREIGN_ACPI,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "exactly ACPI tables", FOREIGN_ACPI,
	  FW_AT, FW_SIZE, FW_AT, FW_SIZE, -EBUSY },
	{ "over a reserved range", FOREIGN_RSVD,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "over arm64's no-map memory", FOREIGN_NOMAP,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "over x86's unusable memory", FOREIGN_UNUSABLE,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "over persistent memory", FOREIGN_PMEM,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "over System RAM", FOREIGN_RAM,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY },
	{ "over a driver's region, which it adopts", FOREIGN_DRIVER,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, 0 },
	{ "exactly a driver's region, which it adopts", FOREIGN_DRIVER,
	  FW_AT, FW_SIZE, FW_AT, FW_SIZE, 0 },
	{ "over an unclaimed BAR, which it adopts", FOREIGN_BAR,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, 0 },
	{ "inside a host bridge window, tied to it", FOREIGN_BRIDGE,
	  0, PUB_SIZE, FW_AT + SZ_4M, SZ_4M, 0, TIE_KEEP },
	{ "inside a host bridge window, with nothing to tie it", FOREIGN_BRIDGE,
	  0, PUB_SIZE, FW_AT + SZ_4M, SZ_4M, -EBUSY, TIE_NONE },
	{ "inside a host bridge window, its tie refusing", FOREIGN_BRIDGE,
	  0, PUB_SIZE, FW_AT + SZ_4M, SZ_4M, TIE_ERR, TIE_REFUSE },
	{ "exactly a host bridge window, tied to it", FOREIGN_BRIDGE,
	  FW_AT, FW_SIZE, FW_AT, FW_SIZE, 0, TIE_KEEP },
	{ "exactly a host bridge window, with nothing to tie it",
	  FOREIGN_BRIDGE, FW_AT, FW_SIZE, FW_AT, FW_SIZE, -EBUSY, TIE_NONE },
	{ "exactly a host bridge window, its tie refusing", FOREIGN_BRIDGE,
	  FW_AT, FW_SIZE, FW_AT, FW_SIZE, TIE_ERR, TIE_REFUSE },
	{ "over a host bridge window", FOREIGN_BRIDGE,
	  FW_AT, FW_SIZE, 0, PUB_SIZE, -EBUSY, TIE_KEEP },
	{ "free space of iomem", FOREIGN_BAR,
	  FW_AT, FW_SIZE, FW_AT + FW_SIZE, FW_SIZE, 0 },
	{ "free space of iomem, a tie never asked", FOREIGN_BAR,
	  FW_AT, FW_SIZE, FW_AT + FW_SIZE, FW_SIZE, 0, TIE_REFUSE },
};

/* What the tie of add_window_among_foreign()'s space saw. */
struct win_tie_seen {
	enum win_tie tie;
	unsigned int calls;
	const struct resource *parent;
};

static int win_tie(void *data, const struct resource *win)
{
	struct win_tie_seen *seen = data;

	seen->calls++;
	seen->parent = win->parent;
	return seen->tie == TIE_KEEP ? 0 : TIE_ERR;
}

KUNIT_ARRAY_PARAM_DESC(win_foreign, win_foreign_cases, desc);

/*
 * A published window goes only where nothing else is, or where what is
 * there is a PCI host bridge window its space's tie accepts or resources
 * it wholly takes in (BARs and the drivers' regions in them): never
 * inside a resource of someone else's, never over RAM, ACPI, reserved or
 * persistent memory.  The tie is asked only for a window in a host bridge
 * window, which is its parent.  A
 * window accepted inside a driver's region used to be freed with it:
 * the allocation made from it, then pvbus_mmio_space_destroy(), used
 * freed memory.  Whatever the verdict, the foreign resource can go first
 * and iomem ends as it was.
 */
static void add_window_among_foreign(struct kunit *test)
{
	const struct win_foreign_case *c = test->param_value;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bar", .size = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct win_tie_seen seen = { .tie = c->tie };
	struct pvbus_mmio_space *space;
	struct resource *fres, *fparent, *res;
	struct foreign_fx *fx;
	bool in_bridge;
	int ret;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	fx = foreign_add(test, &c->foreign, PUB_BASE + c->fstart, c->fsize);
	fres = fx->res;
	KUNIT_ASSERT_NOT_NULL(test, fres);
	fparent = fres->parent;
	space = pvbus_mt_space(test);
	if (c->tie != TIE_NONE)
		KUNIT_ASSERT_EQ(test, pvbus_mmio_space_set_tie(space, win_tie,
							       &seen), 0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);

	ret = pvbus_mmio_add_window(space, PUB_BASE + c->wstart, c->wsize);
	KUNIT_EXPECT_EQ(test, ret, c->err);
	in_bridge = c->foreign.flags & IORESOURCE_WINDOW &&
		    c->wsize <= c->fsize && c->tie != TIE_NONE;
	KUNIT_EXPECT_EQ(test, seen.calls, in_bridge ? 1U : 0U);
	if (in_bridge)
		KUNIT_EXPECT_PTR_EQ(test, seen.parent, fres);
	if (ret) {
		/* Refused: iomem as it was. */
		KUNIT_EXPECT_PTR_EQ(test, fres->parent, fparent);
		KUNIT_EXPECT_NULL(test, fres->child);
		KUNIT_EXPECT_FALSE(test, iomem_find(&iomem_resource,
						    "pvbus-kunit high window",
						    PUB_BASE + c->wstart,
						    PUB_BASE + c->wstart +
						    c->wsize - 1, true));
	} else if (c->wsize > c->fsize || c->foreign.flags & IORESOURCE_WINDOW) {
		/* An allocation where the foreign resource is not. */
		res = pvbus_mmio_alloc(space, &req);
		KUNIT_ASSERT_FALSE(test, IS_ERR(res));
		/* Its window is ours, and sits in iomem or the bridge. */
		KUNIT_ASSERT_NOT_NULL(test, res->parent);
		KUNIT_EXPECT_STREQ(test, res->parent->name,
				   "pvbus-kunit high window");
		KUNIT_ASSERT_NOT_NULL(test, res->parent->parent);
		KUNIT_EXPECT_TRUE(test, res->parent->parent == &iomem_resource ||
				  res->parent->parent == fres);
	}

	/*
	 * The foreign resource goes first: nothing of the space goes with
	 * it.  A host bridge window outlives the windows inside it.
	 */
	if (!(c->foreign.flags & IORESOURCE_WINDOW))
		foreign_release(fx);
	pvbus_mt_space_destroy(test, space);
	foreign_release(fx);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* The first resource below @parent that is busy, or NULL. */
static const struct resource *iomem_first_busy(const struct resource *parent)
{
	const struct resource *p, *busy;

	for (p = parent->child; p; p = p->sibling) {
		if (p->flags & IORESOURCE_BUSY)
			return p;
		busy = iomem_first_busy(p);
		if (busy)
			return busy;
	}
	return NULL;
}

/* The published window of the space the case made, or NULL. */
static const struct resource *iomem_window(void)
{
	const struct resource *p;

	for (p = iomem_resource.child; p; p = p->sibling)
		if (p->name && !strcmp(p->name, "pvbus-kunit high window"))
			return p;
	return NULL;
}

/*
 * No resource of the space is ever busy, so release_mem_region(), which
 * frees the first busy resource of its range it meets, never finds one: a
 * release of a reservation's range by someone who does not hold it
 * leaves the reservation alone.  A busy segment was found and freed, a
 * kfree() of a pointer into struct pvbus_mmio_seg; and while a segment
 * was busy even for a moment (between insert_resource() and clearing the
 * flag of one that took in a driver's region), a concurrent release of
 * the driver's region found the segment first.
 */
static void reserve_never_busy(struct kunit *test)
{
	const enum pvbus_mmio_rsv *kind = test->param_value;
	const resource_size_t start = PUB_BASE + SZ_16M;
	const resource_size_t end = start + SZ_16M - 1;
	const struct resource *win, *busy;
	struct pvbus_mmio_space *space;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space, start, SZ_16M, *kind,
						 "pvbus-kunit-rsv"), 0);
	KUNIT_ASSERT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-rsv",
					   start, end, true));
	win = iomem_window();
	KUNIT_ASSERT_NOT_NULL(test, win);
	busy = iomem_first_busy(win);
	KUNIT_EXPECT_NULL_MSG(test, busy, "%s %pR is busy",
			      busy ? busy->name : "", busy);

	/* Nobody holds it: "Trying to free nonexistent resource". */
	release_mem_region(start, SZ_16M);
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-rsv",
					   start, end, true));

	pvbus_mt_space_destroy(test, space);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/*
 * A reservation strictly inside a driver's region (4M of the framebuffer
 * inside vesafb's 4.5M) is not shown inside it: it would be freed with
 * the region.  The record still keeps allocations off it, and once the
 * driver is gone the next rebuild shows it.  A segment nested in the
 * region used to outlive it, and the next rebuild used freed memory.
 */
static void reserve_inside_driver_region(struct kunit *test)
{
	static const struct foreign_res drv = FOREIGN_DRIVER;
	const enum pvbus_mmio_rsv *kind = test->param_value;
	const resource_size_t start = PUB_BASE + SZ_16M;
	const resource_size_t end = start + SZ_16M - 1;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bar", .size = SZ_16M,
		.min = start, .max = end, .zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_space *space;
	struct foreign_fx *fx;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	fx = foreign_add(test, &drv, start, SZ_16M + SZ_512K);
	KUNIT_ASSERT_NOT_NULL(test, fx->res);
	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);

	KUNIT_ASSERT_EQ(test, pvbus_mmio_reserve(space, start, SZ_16M, *kind,
						 "pvbus-kunit-rsv"), 0);
	KUNIT_EXPECT_NULL(test, fx->res->child);
	pvbus_mt_alloc_expect(test, space, &req, -ENOSPC, 0);

	foreign_release(fx);
	/* Another reservation in the window rebuilds it. */
	pvbus_mt_reserve(test, space, PUB_BASE + SZ_64M, SZ_1M,
			 PVBUS_RSV_HOST);
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource, "pvbus-kunit-rsv",
					   start, end, true));
	pvbus_mt_alloc_expect(test, space, &req, -ENOSPC, 0);

	pvbus_mt_space_destroy(test, space);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/*
 * Destroying a space while a resource is still requested inside one of
 * its allocations (a driver's BAR region) hands that resource to the
 * window's parent: it was left pointing at the freed allocation.
 */
static void destroy_with_nested_resource(struct kunit *test)
{
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bar", .size = SZ_1M,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct pvbus_mmio_space *space;
	struct resource *child, *res;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	/* Before the space, so that KUnit frees it after the space. */
	child = kunit_kzalloc(test, sizeof(*child), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	res = pvbus_mt_alloc_at(test, space, &req, PUB_BASE);

	child->name = "pvbus-kunit-driver";
	child->start = res->start;
	child->end = res->start + SZ_4K - 1;
	child->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	KUNIT_ASSERT_EQ(test, request_resource(res, child), 0);

	pvbus_mt_space_destroy(test, space);
	KUNIT_EXPECT_PTR_EQ(test, child->parent, &iomem_resource);
	release_resource(child);
	expect_iomem_free(test, PUB_BASE, PUB_SIZE);
}

/* ---- resources of others in a window ------------------------------- */

struct nest_case {
	const char *desc;
	enum pvbus_mmio_zone zone;
};

static const struct nest_case nest_cases[] = {
	{ "unclaimed at window start, any goes past it", PVBUS_MMIO_ANY },
	{ "unclaimed at window start, high goes past it", PVBUS_MMIO_HIGH },
};

KUNIT_ARRAY_PARAM_DESC(nest, nest_cases, desc);

/*
 * An allocation never nests in a resource of someone else's, not even one
 * nobody claimed, such as the BAR of a device without a driver
 * (pci-pvbus's cfg_window=legacy does, on purpose: see
 * pci-pvbus-legacy_test.c).  Destroying the space gives the resource back
 * to where it was.
 */
static void alloc_never_nests(struct kunit *test)
{
	static const struct foreign_res bar = FOREIGN_BAR;
	const struct nest_case *c = test->param_value;
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-cfg", .size = SZ_8K, .zone = c->zone,
	};
	struct pvbus_mmio_space *space;
	struct foreign_fx *fx;
	struct resource *res;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);
	pvbus_mt_add_window(test, space, PUB_BASE, PUB_SIZE);
	/* In the window, as the PCI core puts a BAR it finds there. */
	fx = foreign_add(test, &bar, PUB_BASE, SZ_16M);
	KUNIT_ASSERT_NOT_NULL(test, fx->res);

	res = pvbus_mt_alloc_at(test, space, &req, PUB_BASE + SZ_16M);
	KUNIT_EXPECT_STREQ(test, res->parent->name, "pvbus-kunit high window");
	KUNIT_EXPECT_NULL(test, res->child);
	KUNIT_EXPECT_NULL(test, fx->res->child);

	pvbus_mt_space_destroy(test, space);
	KUNIT_EXPECT_PTR_EQ(test, fx->res->parent, &iomem_resource);
}

struct two_spaces_case {
	const char *desc;
	resource_size_t first_start, first_size;	/* added first */
	resource_size_t second_start, second_size;	/* refused */
};

static const struct two_spaces_case two_spaces_cases[] = {
	{ "over another space's window", PUB_BASE + SZ_16M, SZ_16M,
	  PUB_BASE, PUB_SIZE },
	{ "inside another space's window", PUB_BASE, PUB_SIZE,
	  PUB_BASE + SZ_16M, SZ_16M },
};

KUNIT_ARRAY_PARAM_DESC(two_spaces, two_spaces_cases, desc);

/*
 * Two published spaces (two bus roots) whose windows nest: the second is
 * refused, and the first stays where it was, a child of iomem.  A window
 * over another space's used to take it in, as it takes in a BAR: the
 * other space's window was then under a resource it did not own.
 */
static void add_window_nested_with_other_space(struct kunit *test)
{
	const struct two_spaces_case *c = test->param_value;
	struct pvbus_mmio_space *first, *second;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	first = pvbus_mt_space(test);
	second = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(first), 0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(second), 0);
	pvbus_mt_add_window(test, first, c->first_start, c->first_size);

	KUNIT_EXPECT_EQ(test, pvbus_mmio_add_window(second, c->second_start,
						    c->second_size), -EBUSY);
	KUNIT_EXPECT_TRUE(test, iomem_find(&iomem_resource,
					   "pvbus-kunit high window",
					   c->first_start,
					   c->first_start + c->first_size - 1,
					   false));
}

/*
 * A window of one bus root inside a PCI host bridge window that lies in
 * another root's window (a root bus of pci-pvbus takes its windows from
 * its root's space): refused, the tie never asked.  It used to be taken,
 * tied to the other root's bus, so that two roots handed out one range.
 */
static void add_window_in_other_space_bus_window(struct kunit *test)
{
	struct pvbus_mmio_req req = {
		.name = "pvbus-kunit-bus", .size = SZ_16M,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct win_tie_seen seen = { .tie = TIE_KEEP };
	struct pvbus_mmio_space *first, *second;
	struct resource *alloc, bw = {};
	int ret;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	first = pvbus_mt_space(test);
	second = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(first), 0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(second), 0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_set_tie(second, win_tie, &seen),
			0);
	pvbus_mt_add_window(test, first, PUB_BASE, PUB_SIZE);
	alloc = pvbus_mt_alloc_at(test, first, &req, PUB_BASE);

	/* What pci-pvbus puts on its root bus. */
	bw.name = "pvbus-kunit bus window";
	bw.start = alloc->start;
	bw.end = alloc->end;
	bw.flags = IORESOURCE_MEM | IORESOURCE_WINDOW;
	KUNIT_ASSERT_EQ(test, request_resource(alloc, &bw), 0);

	ret = pvbus_mmio_add_window(second, alloc->start + SZ_4M, SZ_4M);
	if (!ret)
		pvbus_mt_space_destroy(test, second);
	release_resource(&bw);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_EQ(test, seen.calls, 0U);
}

/* A region of the memory map around a PCI host bridge window. */
struct win_memmap_case {
	const char *desc;
	struct foreign_res memmap;
};

static const struct win_memmap_case win_memmap_cases[] = {
	{ "a reserved range", FOREIGN_RSVD },
	{ "arm64's no-map memory", FOREIGN_NOMAP },
	{ "x86's unusable memory", FOREIGN_UNUSABLE },
};

KUNIT_ARRAY_PARAM_DESC(win_memmap, win_memmap_cases, desc);

/*
 * A window in a PCI host bridge window that lies inside a region of the
 * memory map (firmware whose E820 reserves the bridge's windows): refused,
 * the tie never asked.  It used to be taken; on x86, allocate_resource()
 * clips every gap around E820 entries, so nothing could be allocated in
 * it, while pvbus_mmio_find() said there was room.
 */
static void add_window_in_memmap_bridge(struct kunit *test)
{
	const struct win_memmap_case *c = test->param_value;
	const struct foreign_res bridge = FOREIGN_BRIDGE;
	struct win_tie_seen seen = { .tie = TIE_KEEP };
	struct pvbus_mmio_space *space;
	struct foreign_fx *fx;

	if (region_intersects(PUB_BASE, PUB_SIZE, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT)
		kunit_skip(test, "%#llx is not free in iomem", PUB_BASE);

	KUNIT_ASSERT_NOT_NULL(test, foreign_add(test, &c->memmap, PUB_BASE,
						PUB_SIZE)->res);
	fx = foreign_add(test, &bridge, PUB_BASE + FW_AT, FW_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, fx->res);
	space = pvbus_mt_space(test);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_set_tie(space, win_tie, &seen),
			0);
	KUNIT_ASSERT_EQ(test, pvbus_mmio_space_publish(space), 0);

	KUNIT_EXPECT_EQ(test, pvbus_mmio_add_window(space,
						    PUB_BASE + FW_AT + SZ_4M,
						    SZ_4M), -EBUSY);
	KUNIT_EXPECT_EQ(test, seen.calls, 0U);
	KUNIT_EXPECT_NULL(test, fx->res->child);
	pvbus_mt_space_destroy(test, space);
}

static struct kunit_case pvbus_mmio_iomem_cases[] = {
	KUNIT_CASE(space_private_not_in_iomem),
	KUNIT_CASE(space_publish_after_window_busy),
	KUNIT_CASE(reserve_published_meanwhile),
	KUNIT_CASE(space_publish_destroy_restores_iomem),
	KUNIT_CASE_PARAM(reserve_over_driver_region, over_gen_params),
	KUNIT_CASE_PARAM(add_window_among_foreign, win_foreign_gen_params),
	KUNIT_CASE_PARAM(add_window_nested_with_other_space,
			 two_spaces_gen_params),
	KUNIT_CASE(add_window_in_other_space_bus_window),
	KUNIT_CASE_PARAM(add_window_in_memmap_bridge, win_memmap_gen_params),
	KUNIT_CASE_PARAM(reserve_never_busy, over_gen_params),
	KUNIT_CASE_PARAM(reserve_inside_driver_region, over_gen_params),
	KUNIT_CASE(destroy_with_nested_resource),
	KUNIT_CASE_PARAM(alloc_never_nests, nest_gen_params),
	{}
};

static struct kunit_suite pvbus_mmio_iomem_suite = {
	.name = "pvbus_mmio_iomem",
	.test_cases = pvbus_mmio_iomem_cases,
};

kunit_test_suite(pvbus_mmio_iomem_suite);

MODULE_DESCRIPTION("KUnit tests for the pvbus MMIO allocator in iomem_resource");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
