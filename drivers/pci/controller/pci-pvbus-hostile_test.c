// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of pci-pvbus against a hostile or broken host and against
 * what else lives in iomem (pci_pvbus_hostile): each case is the
 * regression test of a defect found in review (issue 9 and since), driven
 * through the fake host of pci-pvbus-fakehost.h on the real bus.
 *
 * - a window that still holds a foreign resource at teardown is kept, not
 *   freed under it, and one taken over a region requested in its
 *   allocation holds it (C3);
 * - the ranges in use a hot add is planned around are read in one bounded
 *   pass (C4);
 * - a function with a type-1 header stays off the bus, a header type that
 *   changes later is refused, and config space is reached only on the root
 *   bus's own number (C5);
 * - no global PCI lock is held while the driver waits for the host (D1);
 * - an unbind during a hot add stops it at the request in flight, whether
 *   the host is silent or slow;
 * - the notification queue is bounded, and what cannot be queued is still
 *   handled (D2, D4); a function there is no memory for is left out, not
 *   the rest of the list (D4); what follows a notification that could not
 *   be queued is handled after the queue, in the order the host sent it,
 *   and a lost list's removals still apply; a list the host refuses is
 *   asked for again later, the ejects waiting for it; an eject a later
 *   list leaves out is overtaken; an eject sent before probe knows the
 *   protocol version is handled after probe; a function ejected and
 *   still listed by a list that crossed the eject's answer is no error;
 *   a list sent before the answer to probe's list is dropped, also when
 *   the work item took it before, one sent after it applied; lost ejects
 *   stop once the bus goes;
 * - D0 is retried as often as d0_retries says (D3);
 * - an ASSIGNED_RESOURCES without an answer is followed by
 *   RELEASED_RESOURCES, and neither a ROM nor a BAR the host did not
 *   describe is placed (W3).
 *
 * The suite needs a bus root, as pci_pvbus_live does: under kunit.py on
 * UML, boot with pvbus.mmio=64M@0xc0000000,256M@0x100000000.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "pci-pvbus.h"
#include "pci-pvbus-fakehost.h"
#include "pci-pvbus-test.h"
#include "../../pvbus/fault_test.h"
#include "../../pvbus/kunit_param.h"

/* Offer ids: distinct from those of the other suites. */
#define HOSTILE_ID	0x60

/* ---- helpers -------------------------------------------------------- */

/* A bus with a function at 00.0 (64-bit 64K BAR) and maybe 01.0. */
static struct pvbus_device *hostile_bus(struct kunit *test,
					struct pci_pvbus_fake *f, bool two,
					u8 id)
{
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0x7a00, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	if (two) {
		pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0x7a01, 0);
		pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
		pci_pvbus_fake_cfg_init(&f->fn[1]);
	}
	return pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, id);
}

/*
 * Functions @first to @last - 1 of the fake host, each at devfn slot i,
 * device @device + i, with a 64K BAR.
 */
static void hostile_fns(struct pci_pvbus_fake *f, unsigned int first,
			unsigned int last, u16 device)
{
	unsigned int i;

	for (i = first; i < last; i++) {
		pci_pvbus_fake_fn_init(&f->fn[i], i << 3, device + i, 0);
		pci_pvbus_fake_bar(&f->fn[i], 0, SZ_64K, true, false, 0);
		pci_pvbus_fake_cfg_init(&f->fn[i]);
	}
}

/* A buffer for one message of the host's, for the case. */
static u8 *msg_buf(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, PVBUS_MSG_MAX_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static bool has_fn(struct pci_pvbus *pb, u32 devfn)
{
	struct pci_dev *pdev = pci_pvbus_fake_get_fn(pb, devfn);

	pci_dev_put(pdev);
	return pdev;
}

/* A window of the bus in use, with 4K free at its end. */
static struct pci_pvbus_win *free_tail_win(struct pci_pvbus *pb)
{
	struct pci_pvbus_win *w;

	list_for_each_entry(w, &pb->wins, node) {
		struct resource *r;
		u64 end = w->res.end;

		if (w->kind != PCI_PVBUS_WIN_PACKED ||
		    resource_size(&w->res) < SZ_1M)
			continue;
		for (r = w->res.child; r; r = r->sibling)
			if (r->end >= end - SZ_1M + 1)
				break;
		if (!r)
			return w;
	}
	return NULL;
}

struct saved_uint {
	unsigned int *var;
	unsigned int old;
};

static void restore_uint(void *data)
{
	struct saved_uint *s = data;

	WRITE_ONCE(*s->var, s->old);
}

/* Set *@var to @val for the case; the old value comes back after it. */
static void set_uint(struct kunit *test, unsigned int *var, unsigned int val)
{
	struct saved_uint *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->var = var;
	s->old = READ_ONCE(*var);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_uint, s), 0);
	WRITE_ONCE(*var, val);
}

/* ---- C3: teardown never frees what is still linked ------------------ */

/*
 * A resource someone else inserted into a window of the bus is still
 * there when the bus goes: the window must stay linked in iomem (and be
 * reported), not be freed under it, and keep a name that outlives the
 * module.  The name used to be a string of the module's own: after an
 * rmmod, reading /proc/iomem read freed memory.
 */
static void hostile_window_kept(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct resource *foreign, *win, *alloc;
	struct pvbus_device *pdev, *probe;
	struct pci_pvbus_win *w;
	struct pci_pvbus *pb;

	pdev = hostile_bus(test, f, false, HOSTILE_ID);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	w = free_tail_win(pb);
	KUNIT_ASSERT_NOT_NULL_MSG(test, w, "no window with room left");

	foreign = kunit_kzalloc(test, sizeof(*foreign), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	foreign->name = "pci-pvbus-test foreign";
	foreign->start = w->res.end - SZ_4K + 1;
	foreign->end = w->res.end;
	foreign->flags = IORESOURCE_MEM;
	KUNIT_ASSERT_EQ(test, request_resource(&w->res, foreign), 0);

	pci_pvbus_fake_unoffer(pdev);

	/* The window is still the foreign resource's parent, and alive. */
	win = foreign->parent;
	KUNIT_ASSERT_NOT_NULL(test, win);
	KUNIT_EXPECT_STREQ(test, win->name, "pci-pvbus leaked window");
	/* Its name is leaked with it: the module may go, iomem still shows it. */
	KUNIT_EXPECT_TRUE_MSG(test,
			      (void *)win->name >= (void *)w &&
			      (void *)win->name < (void *)(w + 1),
			      "the leaked window's name is not in the window's own memory");
	KUNIT_EXPECT_PTR_EQ(test, win->child, foreign);
	alloc = win->parent;
	KUNIT_ASSERT_NOT_NULL(test, alloc);

	/* Its owner goes; then the window can go back to the bus. */
	release_resource(foreign);
	release_resource(win);
	probe = pci_pvbus_fake_offer(test, f, &pci_pvbus_fake_probe_class,
				     HOSTILE_ID + 1);
	pvbus_device_mmio_free(probe, alloc);
}

/* Release a region of the case's, if it is still in the tree. */
static void release_if_linked(void *data)
{
	struct resource *r = data;

	if (r->parent)
		release_resource(r);
}

/*
 * A driver may request a region inside a window's allocation before the
 * bus takes it as a window (request_mem_region() nests in any resource
 * that is not busy).  The window still goes into the allocation, over
 * the region, and holds it as one requested later; once the region goes,
 * the window goes back to the bus's space.  It used to be requested with
 * request_resource(), which failed there: a WARN, and a window on the
 * root bus but in no tree, whose remove_resource() dereferenced NULL.
 */
static void hostile_window_over_foreign(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-test allocation",
		.size = SZ_1M,
		.align = SZ_1M,
		.zone = PVBUS_MMIO_ANY,
	};
	struct pci_pvbus_plan_win pw = { .kind = PCI_PVBUS_WIN_PACKED };
	struct pci_pvbus_plan plan = { .win = &pw, .nr_win = 1 };
	struct pci_pvbus_win *w, *found = NULL;
	struct resource *foreign, *alloc;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int nr;
	u64 start;
	int ret;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 44);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	alloc = pvbus_device_mmio_alloc(pdev, &req);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, alloc);
	start = alloc->start;
	pw.res = alloc;
	pw.zone = start > U32_MAX ? PCI_PVBUS_HIGH : PCI_PVBUS_LOW;

	foreign = kunit_kzalloc(test, sizeof(*foreign), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	foreign->name = "pci-pvbus-test foreign";
	foreign->start = start + SZ_64K;
	foreign->end = foreign->start + SZ_4K - 1;
	foreign->flags = IORESOURCE_MEM;
	KUNIT_ASSERT_EQ(test, request_resource(alloc, foreign), 0);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, release_if_linked,
						   foreign), 0);

	mutex_lock(&pb->lock);
	pci_lock_rescan_remove();
	nr = pb->nr_win;
	ret = pci_pvbus_windows_add(pb, &plan, NULL);
	pci_unlock_rescan_remove();
	mutex_unlock(&pb->lock);
	if (ret)
		pvbus_device_mmio_free(pdev, alloc);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_NULL(test, pw.res);
	KUNIT_EXPECT_EQ(test, pb->nr_win, nr + 1);

	list_for_each_entry(w, &pb->wins, node)
		if (w->alloc == alloc)
			found = w;
	KUNIT_ASSERT_NOT_NULL(test, found);
	KUNIT_EXPECT_PTR_EQ(test, found->res.parent, alloc);
	KUNIT_EXPECT_PTR_EQ(test, foreign->parent, &found->res);
	KUNIT_EXPECT_TRUE(test, found->grown);

	/* Its owner goes; then the window goes back to the bus's space. */
	release_resource(foreign);
	mutex_lock(&pb->lock);
	pci_lock_rescan_remove();
	pci_pvbus_windows_sweep(pb);
	pci_unlock_rescan_remove();
	mutex_unlock(&pb->lock);
	KUNIT_EXPECT_EQ(test, pb->nr_win, nr);
	list_for_each_entry(w, &pb->wins, node)
		KUNIT_EXPECT_NE(test, w->res.start, start);
}

/* ---- C4: the ranges in use, read in one bounded pass ---------------- */

/* A bus of hostile_bus() and one of its windows with its last MiB free. */
static struct pci_pvbus_win *used_bus(struct kunit *test, u8 id,
				      struct pci_pvbus **pbp)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pci_pvbus_win *w;
	struct pci_pvbus *pb;

	pb = pci_pvbus_fake_bus_of(hostile_bus(test, f, false, id));
	KUNIT_ASSERT_NOT_NULL(test, pb);
	w = free_tail_win(pb);
	KUNIT_ASSERT_NOT_NULL(test, w);
	*pbp = pb;
	return w;
}

/* pci_pvbus_used() under the locks a hot add holds. */
static int used_read(struct pci_pvbus *pb, struct pci_pvbus_plan *plan)
{
	int ret;

	mutex_lock(&pb->lock);
	pci_lock_rescan_remove();
	ret = pci_pvbus_used(pb, plan);
	pci_unlock_rescan_remove();
	mutex_unlock(&pb->lock);
	return ret;
}

static void release_all(void *data)
{
	struct resource *r = data;
	unsigned int i;

	for (i = 0; i < PCI_PVBUS_MAX_USED + 8; i++)
		if (r[i].parent)
			release_resource(&r[i]);
}

/*
 * A window with more children than the planner is told of: the list of
 * ranges in use stays within its bound, the children past it taken as one
 * range to the window's end, and every child is still inside a range the
 * planner avoids.
 */
static void hostile_used_bounded(struct kunit *test)
{
	const unsigned int nr = PCI_PVBUS_MAX_USED + 8;
	struct pci_pvbus_plan plan = {};
	struct pci_pvbus_win *w;
	struct resource *child;
	struct pci_pvbus *pb;
	unsigned int i, j;
	u64 base;
	int ret;

	w = used_bus(test, HOSTILE_ID + 2, &pb);

	child = kunit_kcalloc(test, nr, sizeof(*child), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, release_all, child),
			0);
	base = w->res.end - SZ_1M + 1;
	for (i = 0; i < nr; i++) {
		child[i].name = "pci-pvbus-test child";
		child[i].start = base + (u64)i * SZ_4K;
		child[i].end = child[i].start + SZ_2K - 1;
		child[i].flags = IORESOURCE_MEM;
		KUNIT_ASSERT_EQ(test, request_resource(&w->res, &child[i]), 0);
	}

	ret = used_read(pb, &plan);
	KUNIT_ASSERT_EQ(test, ret, 0);

	KUNIT_EXPECT_LE(test, plan.nr_used,
			PCI_PVBUS_MAX_USED + pb->nr_win + PCI_PVBUS_MAX_TOLD);
	/* Fewer ranges than children: the last ones were taken as one. */
	KUNIT_EXPECT_LT(test, plan.nr_used, nr);
	for (j = 0; j < plan.nr_used; j++)
		if (plan.used[j].end == w->res.end &&
		    plan.used[j].start < child[nr - 1].start)
			break;
	KUNIT_EXPECT_LT_MSG(test, j, plan.nr_used,
			    "no range in use from before the last child to the window's end");
	for (i = 0; i < nr; i++) {
		for (j = 0; j < plan.nr_used; j++)
			if (plan.used[j].start <= child[i].start &&
			    plan.used[j].end >= child[i].end)
				break;
		KUNIT_EXPECT_LT_MSG(test, j, plan.nr_used,
				    "child %u %pR is in no range in use", i,
				    &child[i]);
	}
	kfree(plan.used);
}

/*
 * The ranges in use are a window less the gaps between its children, as
 * the resource lock holds them: adjacent children are one range, a region
 * requested inside a child is in the child's, and a child at the window's
 * end leaves no gap after it.  Offsets are from the start of the window's
 * free last MiB; a size of 0 ends a list.
 */
struct used_case {
	const char *name;
	struct { u32 off, size; bool inside; } child[3];
	struct { u32 off, size; } want[3];
};

static const struct used_case used_cases[] = {
	{ "no child", {}, {} },
	{ "one child", { { SZ_64K, SZ_64K } }, { { SZ_64K, SZ_64K } } },
	{ "two adjacent children: one range",
	  { { SZ_64K, SZ_64K }, { SZ_128K, SZ_64K } },
	  { { SZ_64K, SZ_128K } } },
	{ "two children apart: two ranges",
	  { { SZ_64K, SZ_4K }, { SZ_128K, SZ_4K } },
	  { { SZ_64K, SZ_4K }, { SZ_128K, SZ_4K } } },
	{ "a region requested inside a child",
	  { { SZ_64K, SZ_64K }, { SZ_64K + SZ_16K, SZ_4K, true } },
	  { { SZ_64K, SZ_64K } } },
	{ "a child at the window's end",
	  { { SZ_1M - SZ_64K, SZ_64K } }, { { SZ_1M - SZ_64K, SZ_64K } } },
};

KUNIT_ARRAY_PARAM_DESC(used, used_cases, name);

static void hostile_used_children(struct kunit *test)
{
	const struct used_case *c = test->param_value;
	struct resource *child, *parent;
	struct pci_pvbus_plan plan = {};
	struct pci_pvbus_win *w;
	unsigned int i, j, k = 0;
	struct pci_pvbus *pb;
	u64 base;
	int ret;

	w = used_bus(test, HOSTILE_ID + 43, &pb);
	base = w->res.end - SZ_1M + 1;

	child = kunit_kcalloc(test, ARRAY_SIZE(c->child), sizeof(*child),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, child);
	for (i = 0; i < ARRAY_SIZE(c->child) && c->child[i].size; i++) {
		child[i].name = "pci-pvbus-test child";
		child[i].start = base + c->child[i].off;
		child[i].end = child[i].start + c->child[i].size - 1;
		child[i].flags = IORESOURCE_MEM;
		parent = c->child[i].inside ? &child[i - 1] : &w->res;
		KUNIT_ASSERT_EQ(test, request_resource(parent, &child[i]), 0);
	}

	ret = used_read(pb, &plan);
	while (i--)
		release_resource(&child[i]);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* The ranges in the last MiB, in order, are those wanted. */
	for (j = 0; j < plan.nr_used; j++) {
		if (plan.used[j].end < base || plan.used[j].start > w->res.end)
			continue;
		if (k < ARRAY_SIZE(c->want) && c->want[k].size) {
			KUNIT_EXPECT_EQ_MSG(test, plan.used[j].start,
					    base + c->want[k].off, "range %u", k);
			KUNIT_EXPECT_EQ_MSG(test, plan.used[j].end,
					    base + c->want[k].off +
					    c->want[k].size - 1, "range %u", k);
		} else {
			KUNIT_FAIL(test, "range %u [%#llx-%#llx] is not wanted",
				   k, plan.used[j].start, plan.used[j].end);
		}
		k++;
	}
	for (; k < ARRAY_SIZE(c->want) && c->want[k].size; k++)
		KUNIT_FAIL(test, "range %u is missing", k);
	kfree(plan.used);
}

/* ---- C5: type-0 functions only, the root bus's number only ---------- */

/* Function 01.0 has a bridge's header from the start. */
static void bridge_08_cfg_read(struct pci_pvbus_fake *f,
			       struct pci_pvbus_fake_fn *fn, unsigned int off,
			       unsigned int size, u32 *val)
{
	if (fn && fn->devfn == 0x08 && off <= PCI_HEADER_TYPE &&
	    off + size > PCI_HEADER_TYPE)
		*val |= PCI_HEADER_TYPE_BRIDGE << (8 * (PCI_HEADER_TYPE - off));
}

/*
 * Function 01.0's vendor ID reads 0x0001, the PCI-SIG's id that a root
 * port returns for a Configuration Request Retry Status completion.
 */
static void retry_08_cfg_read(struct pci_pvbus_fake *f,
			      struct pci_pvbus_fake_fn *fn, unsigned int off,
			      unsigned int size, u32 *val)
{
	if (fn && fn->devfn == 0x08 && off == PCI_VENDOR_ID && size >= 2)
		*val = (*val & ~0xffffU) | PCI_VENDOR_ID_PCI_SIG;
}

struct fn_refused_case {
	const char *name;
	void (*cfg_read)(struct pci_pvbus_fake *f, struct pci_pvbus_fake_fn *fn,
			 unsigned int off, unsigned int size, u32 *val);
	u8 id;
};

/*
 * A vendor ID that reads as a retry: the PCI core waits up to 60 s for
 * such a function to answer (pci_bus_wait_crs()), with the global rescan
 * lock held, every time it scans it; a host that answered so stalled
 * every PCI hot plug of the guest as long.
 */
static const struct fn_refused_case fn_refused_cases[] = {
	{ "a type-1 header", bridge_08_cfg_read, HOSTILE_ID + 3 },
	{ "a vendor ID that reads as a retry", retry_08_cfg_read,
	  HOSTILE_ID + 41 },
};

KUNIT_ARRAY_PARAM_DESC(fn_refused, fn_refused_cases, name);

/*
 * A function that is no function the bus can have is left off it before
 * the host is told of its BARs; the others come up.
 */
static void hostile_fn_refused(struct kunit *test)
{
	const struct fn_refused_case *c = test->param_value;
	struct pci_pvbus_fake_hooks *hooks;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	hooks = kunit_kzalloc(test, sizeof(*hooks), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hooks);
	hooks->cfg_read = c->cfg_read;
	f->hooks = hooks;

	pdev = hostile_bus(test, f, true, c->id);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	KUNIT_EXPECT_TRUE(test, list_empty(&pb->bus->children));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 0x08), 0U);
}

/*
 * 01.0 and 02.0 read all ones for their ids (no function there, to the
 * PCI core) until the host unmutes them.
 */
struct mute_fns {
	bool muted;
	bool read;
	int ret;	/* of the read of 02.0's ids, once 01.0 is released */
	u32 val;
};

static void mute_cfg_read(struct pci_pvbus_fake *f,
			  struct pci_pvbus_fake_fn *fn, unsigned int off,
			  unsigned int size, u32 *val)
{
	struct mute_fns *m = f->hooks->data;

	if (fn && fn->devfn != 0x00 && off < PCI_COMMAND &&
	    READ_ONCE(m->muted))
		*val = ~0U >> (32 - 8 * size);
}

static int mute_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
		       const void *req, size_t req_len, void *resp,
		       size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *msg = req;
	struct pci_pvbus *pb = pci_pvbus_fake_bus_of(pdev);
	struct mute_fns *m = f->hooks->data;

	if (le16_to_cpu(msg->hdr.type) == PVBUS_PCI_MSG_RELEASED_RESOURCES &&
	    le32_to_cpu(msg->devfn) == 0x08 && !m->read && pb && pb->bus) {
		WRITE_ONCE(m->muted, false);
		m->ret = pb->bus->ops->read(pb->bus, 0x10, PCI_VENDOR_ID, 4,
					    &m->val);
		m->read = true;
	}
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * Functions that do not answer in config space when put on the bus are
 * hidden at once, not when their turn comes to be given back: 02.0 was
 * still reachable while 01.0's RELEASED_RESOURCES went out, and a rescan
 * then would have put it on the bus with BARs the PCI core placed.
 */
static void hostile_mute_fn_hidden(struct kunit *test)
{
	static struct mute_fns mute;
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = mute_answer,
		.cfg_read = mute_cfg_read,
		.data = &mute,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	mute = (struct mute_fns){ .muted = true };
	hostile_fns(f, 0, 3, 0x7a10);
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 21);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_TRUE(test, mute.read);
	KUNIT_EXPECT_EQ_MSG(test, mute.ret, PCIBIOS_DEVICE_NOT_FOUND,
			    "02.0 read %#x while 01.0 was given back", mute.val);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x10));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x10), 1U);
}

/* Config space on any other bus number is no device: no alias. */
static void hostile_other_bus_number(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_bus *alias;
	struct pci_pvbus *pb;
	u32 val = 0;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 4);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	/* What the PCI core would scan behind a bridge on the root bus. */
	alias = kunit_kzalloc(test, sizeof(*alias), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, alias);
	alias->sysdata = pb->bus->sysdata;
	alias->ops = pb->bus->ops;
	alias->number = pb->busnr + 1;

	KUNIT_EXPECT_EQ(test, pb->bus->ops->read(pb->bus, 0x00, PCI_VENDOR_ID,
						 4, &val),
			PCIBIOS_SUCCESSFUL);
	KUNIT_EXPECT_EQ(test, val & 0xffff, 0x1234U);
	KUNIT_EXPECT_EQ(test, alias->ops->read(alias, 0x00, PCI_VENDOR_ID, 4,
					       &val),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_NE(test, val & 0xffff, 0x1234U);
}

/* Config space turns the function into a bridge once it is on the bus. */
static void bridge_cfg_read(struct pci_pvbus_fake *f,
			    struct pci_pvbus_fake_fn *fn, unsigned int off,
			    unsigned int size, u32 *val)
{
	if (fn && off <= PCI_HEADER_TYPE && off + size > PCI_HEADER_TYPE)
		*val |= PCI_HEADER_TYPE_BRIDGE << (8 * (PCI_HEADER_TYPE - off));
}

/* A header type that changes under the driver is refused, not believed. */
static void hostile_header_changes(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.cfg_read = bridge_cfg_read,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	u32 dword = 0;
	u8 byte = 0;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 11);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test, pci_bus_read_config_byte(pb->bus, 0x00,
						       PCI_HEADER_TYPE, &byte),
			PCIBIOS_SUCCESSFUL);
	KUNIT_EXPECT_EQ(test, byte, (u8)PCI_HEADER_TYPE_NORMAL);

	f->hooks = &hooks;
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_byte(pb->bus, 0x00,
						       PCI_HEADER_TYPE, &byte),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(pb->bus, 0x00,
							PCI_CACHE_LINE_SIZE,
							&dword),
			PCIBIOS_DEVICE_NOT_FOUND);
	f->hooks = NULL;
}

/*
 * A function on the bus whose vendor ID reads as a retry later (a rescan
 * reads it again): the read is refused, as for no function there.
 */
static void hostile_retry_vendor_later(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.cfg_read = retry_08_cfg_read,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	u32 dword = 0;
	u16 word = 0;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 42);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_TRUE(test, has_fn(pb, 0x08));

	f->hooks = &hooks;
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(pb->bus, 0x08,
							PCI_VENDOR_ID, &dword),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, dword, ~0U);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_word(pb->bus, 0x08,
						       PCI_VENDOR_ID, &word),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, pci_bus_read_config_dword(pb->bus, 0x00,
							PCI_VENDOR_ID, &dword),
			PCIBIOS_SUCCESSFUL);
	f->hooks = NULL;
}

/* ---- D1: no global lock across a host round trip -------------------- */

/*
 * @devfn's ASSIGNED_RESOURCES answered as @fate says; its
 * RELEASED_RESOURCES with status @released.
 */
struct hold_assigned {
	u32 devfn;
	enum pci_pvbus_fake_fate fate;
	u32 released;
};

static int hold_assigned_answer(struct pci_pvbus_fake *f,
				struct pvbus_device *pdev, const void *req,
				size_t req_len, void *resp, size_t *resp_len)
{
	const struct hold_assigned *h = f->hooks->data;
	const struct pvbus_pci_devfn_msg *m = req;

	/* A devfn is read only from a request long enough to have one. */
	if (req_len < sizeof(*m) || le32_to_cpu(m->devfn) != h->devfn)
		return PCI_PVBUS_FAKE_NOW;
	switch (le16_to_cpu(m->hdr.type)) {
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		return h->fate;
	case PVBUS_PCI_MSG_RELEASED_RESOURCES:
		((struct pvbus_msg_hdr *)resp)->status =
			cpu_to_le32(h->released);
		break;
	}
	return PCI_PVBUS_FAKE_NOW;
}

static bool late_queued(struct pci_pvbus_fake *f)
{
	unsigned long flags;
	bool queued;

	raw_spin_lock_irqsave(&f->lock, flags);
	queued = !list_empty(&f->late);
	raw_spin_unlock_irqrestore(&f->lock, flags);
	return queued;
}

/*
 * While a hot add waits for the host's answer to ASSIGNED_RESOURCES, the
 * rest of the guest's PCI hotplug, rescan and remove must not wait: the
 * test takes pci_lock_rescan_remove() then, and only then lets the host
 * answer.  Had the hot add held the lock, the test would get it only
 * once the request timed out, and the function would be left off.
 */
static void hostile_silent_host_no_global_lock(struct kunit *test)
{
	static struct hold_assigned hold = {
		.devfn = 0x08, .fate = PCI_PVBUS_FAKE_LATE,
	};
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = hold_assigned_answer,
		.data = &hold,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int i;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 5);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	f->late_ms = 60 * 1000;		/* answered only when the test says */
	f->hooks = &hooks;
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0x7c01, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test,
			  pci_pvbus_fake_wait_log(f,
						  PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						  0x08, 1));
	for (i = 0; i < 500 && !late_queued(f); i++)
		msleep(20);
	KUNIT_ASSERT_TRUE(test, late_queued(f));

	pci_lock_rescan_remove();
	pci_unlock_rescan_remove();

	pci_pvbus_fake_flush(f);
	flush_workqueue(pb->wq);
	f->hooks = NULL;
	KUNIT_EXPECT_TRUE_MSG(test, has_fn(pb, 0x08),
			      "the hot add held the PCI rescan lock until its request timed out");
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);
}

/* ---- D2, D4: the notification queue -------------------------------- */

static unsigned int queued_notes(struct pci_pvbus *pb)
{
	struct list_head *pos;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&pb->note_lock, flags);
	list_for_each(pos, &pb->notes)
		n++;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	return n;
}

/* An EJECT notification of @devfn, in @buf; returns its length. */
static size_t eject_msg(u8 *buf, u16 version, u32 devfn)
{
	struct pvbus_pci_devfn_msg *m = (void *)buf;

	memset(m, 0, sizeof(*m));
	pvbus_msg_init(&m->hdr, PVBUS_PCI_MSG_EJECT, version, sizeof(*m));
	m->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	m->devfn = cpu_to_le32(devfn);
	return sizeof(*m);
}

/*
 * A host that floods notifications while the bus is busy: the queue stays
 * within its bound whatever it sends, and an EJECT that did not fit is
 * still answered once the bus is free again.
 */
static void hostile_note_flood(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	u8 *ej = msg_buf(test);
	struct pvbus_device *pdev;
	size_t rel_len, ej_len;
	struct pci_pvbus *pb;
	unsigned int i;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 6);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);

	rel_len = pci_pvbus_fake_relations(f, rel,
					   PVBUS_PCI_MSG_RELATIONS_CHANGED,
					   pb->version);
	/* Ejects of a devfn the host never listed: each is only ignored. */
	ej_len = eject_msg(ej, pb->version, 0x77);

	/* The bus is busy (the test holds its lock): nothing is handled. */
	mutex_lock(&pb->lock);
	for (i = 0; i < 2 * PCI_PVBUS_MAX_NOTES; i++) {
		if (i % 2)
			pci_pvbus_notify(pdev, ej, ej_len);
		else
			pci_pvbus_notify(pdev, rel, rel_len);
	}
	KUNIT_EXPECT_LE(test, queued_notes(pb), PCI_PVBUS_MAX_NOTES);
	/* One more eject, of a function on the bus, that does not fit. */
	ej_len = eject_msg(ej, pb->version, 0x08);
	pci_pvbus_notify(pdev, ej, ej_len);
	KUNIT_EXPECT_LE(test, queued_notes(pb), PCI_PVBUS_MAX_NOTES);
	mutex_unlock(&pb->lock);

	flush_workqueue(pb->wq);
	KUNIT_EXPECT_EQ(test, queued_notes(pb), 0U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE,
						 0x08), 1U);
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
}

/*
 * The host takes 01.0 away and gives it back, two lists in a row, while
 * the bus is busy: both are applied, 01.0 removed and added anew (told of
 * its BARs again), not the first list replaced by the second, which lists
 * 01.0 as before and so left the guest with the old function, whose
 * resources the host no longer has.
 */
static void hostile_removed_and_back(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *gone = msg_buf(test);
	u8 *back = msg_buf(test);
	size_t gone_len, back_len, ej_len;
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int i;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 19);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 0x08), 1U);

	pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	gone_len = pci_pvbus_fake_relations(f, gone,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);
	pci_pvbus_fake_set_listed(f, &f->fn[1], true);
	back_len = pci_pvbus_fake_relations(f, back,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);

	/*
	 * The bus is busy (the test holds its lock), and the work item is
	 * parked on it with an eject of a devfn never listed: both lists
	 * wait in the queue.
	 */
	mutex_lock(&pb->lock);
	ej_len = eject_msg((u8 *)&ej, pb->version, 0x77);
	pci_pvbus_notify(pdev, &ej, ej_len);
	for (i = 0; i < 1000 && queued_notes(pb); i++)
		usleep_range(1000, 2000);
	pci_pvbus_notify(pdev, gone, gone_len);
	pci_pvbus_notify(pdev, back, back_len);
	KUNIT_EXPECT_EQ(test, queued_notes(pb), 2U);
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);

	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						     0x08), 2U,
			    "01.0 was not added anew");
}

/*
 * Park the bus's work item: it takes an eject of a devfn never listed and
 * waits for the bus's lock, which the caller holds.  What is notified
 * after that waits in the queue, or is lost when it does not fit.
 */
static void park_work(struct kunit *test, struct pvbus_device *pdev,
		      struct pci_pvbus *pb)
{
	struct pvbus_pci_devfn_msg ej;
	size_t len = eject_msg((u8 *)&ej, pb->version, 0x77);
	unsigned int i;

	pci_pvbus_notify(pdev, &ej, len);
	for (i = 0; i < 1000 && queued_notes(pb); i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_EQ(test, queued_notes(pb), 0U);
}

/* Fill the parked bus's queue with ejects of a devfn never listed. */
static void fill_notes(struct pvbus_device *pdev, struct pci_pvbus *pb)
{
	struct pvbus_pci_devfn_msg ej;
	size_t len = eject_msg((u8 *)&ej, pb->version, 0x77);

	while (queued_notes(pb) < PCI_PVBUS_MAX_NOTES)
		pci_pvbus_notify(pdev, &ej, len);
}

/*
 * As hostile_removed_and_back, but neither list fits in the queue: the
 * list asked for again lists 01.0 as before, yet a list that was lost
 * did not, so 01.0 is added anew.  The guest used to keep the old
 * function: what the lost lists said of a removal was lost with them.
 */
static void hostile_lost_removed_and_back(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *gone = msg_buf(test);
	u8 *back = msg_buf(test);
	size_t gone_len, back_len;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 26);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	gone_len = pci_pvbus_fake_relations(f, gone,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);
	pci_pvbus_fake_set_listed(f, &f->fn[1], true);
	back_len = pci_pvbus_fake_relations(f, back,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	fill_notes(pdev, pb);
	pci_pvbus_notify(pdev, gone, gone_len);
	pci_pvbus_notify(pdev, back, back_len);
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);

	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						     0x08), 2U,
			    "01.0 was not added anew");
}

/*
 * A list that hot adds 02.0 is lost (no memory for it), and the host
 * then ejects 02.0, an eject that fits in the queue: it is answered,
 * and 02.0 is not added.  The eject used to be handled before the list
 * was asked for again, ignored as one of a function never listed, and
 * 02.0 then added: a function the host was taking away, its eject never
 * answered.
 */
static void hostile_lost_list_then_eject(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_failslab fs;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	size_t len, ej_len;
	bool fired;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 27);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	hostile_fns(f, 2, 3, 0x7b00);
	len = pci_pvbus_fake_relations(f, rel, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	ej_len = eject_msg((u8 *)&ej, pb->version, 0x10);

	if (pvbus_failslab_quiet(&fs))
		kunit_skip(test, "no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	pvbus_fault_arm(1);
	pci_pvbus_notify(pdev, rel, len);
	fired = pvbus_fault_disarm();
	pvbus_failslab_restore(&fs);
	pci_pvbus_notify(pdev, &ej, ej_len);
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);

	KUNIT_EXPECT_TRUE_MSG(test, fired, "no allocation failed");
	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						     0x10), 1U,
			    "02.0's eject was not answered");
	KUNIT_EXPECT_FALSE_MSG(test, has_fn(pb, 0x10),
			       "02.0 was added while the host ejected it");
}

struct crossed_case {
	const char *name;
	bool eject;		/* the host ejects 01.0 first */
	bool left_out;		/* then sends a list that leaves 01.0 out */
	u32 devfn;		/* the function the last list is about */
	bool host_has;		/* the host has it when the guest asks */
	bool added;
	unsigned int nr_left_out;
};

static const struct crossed_case crossed_cases[] = {
	{ "ejected, then listed by a list sent before the eject was answered",
	  true, false, 0x08, false, false, 0 },
	{ "ejected, then given back by the host",
	  true, false, 0x08, true, true, 0 },
	{ "never ejected, and listed by a host that has no such function",
	  false, false, 0x10, false, false, 1 },
	{ "another one ejected, and listed by a host that has no such function",
	  true, false, 0x10, false, false, 1 },
	{ "ejected and left out, then listed by a host that has no such function",
	  true, true, 0x08, false, false, 1 },
};

KUNIT_ARRAY_PARAM_DESC(crossed, crossed_cases, name);

/*
 * The host ejects 01.0 and, before the guest answers, sends a list that
 * still lists it: a host lists a function it ejects until the eject is
 * answered, as Hyper-V does.  The guest answers the eject, then reads the
 * list: it asks the host for 01.0's BARs, and the host no longer has the
 * function.  That is no error: 01.0 is not added, not counted as left
 * out.  A function the host gave back meanwhile is added anew.  A
 * function the host lists but has no BARs for is still left out, with an
 * error, if it is not the one ejected, or if a list left the ejected one
 * out since.  The guest used to count 01.0 as left out, with an error.
 */
static void hostile_eject_crossed_by_list(struct kunit *test)
{
	const struct crossed_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	u8 *gone = msg_buf(test);
	size_t len, gone_len = 0, ej_len;
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_device *pdev;
	unsigned int left_out;
	struct pci_pvbus *pb;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 34);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	if (c->devfn == 0x10)
		hostile_fns(f, 2, 3, 0x7b00);
	len = pci_pvbus_fake_relations(f, rel, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	if (c->left_out) {
		pci_pvbus_fake_set_listed(f, &f->fn[1], false);
		gone_len = pci_pvbus_fake_relations(f, gone,
						    PVBUS_PCI_MSG_RELATIONS_CHANGED,
						    pb->version);
	}
	ej_len = eject_msg((u8 *)&ej, pb->version, 0x08);

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	if (c->eject)
		pci_pvbus_notify(pdev, &ej, ej_len);
	if (c->left_out)
		pci_pvbus_notify(pdev, gone, gone_len);
	pci_pvbus_notify(pdev, rel, len);
	/* What the host has when the guest asks. */
	if (c->eject)
		pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	pci_pvbus_fake_set_listed(f, &f->fn[c->devfn >> 3], c->host_has);
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);

	mutex_lock(&pb->lock);
	left_out = pb->nr_left_out;
	mutex_unlock(&pb->lock);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_EJECT_COMPLETE,
						 0x08), c->eject ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, has_fn(pb, c->devfn), c->added);
	KUNIT_EXPECT_EQ(test, left_out, c->nr_left_out);
}

/* The host answers QUERY_RESOURCES of 01.0 that it has no such function. */
static int no_fn_08_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			   const void *req, size_t req_len, void *resp,
			   size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *m = req;
	struct pvbus_msg_hdr *hdr = resp;

	if (le16_to_cpu(m->hdr.type) == PVBUS_PCI_MSG_QUERY_RESOURCES &&
	    le32_to_cpu(m->devfn) == 0x08) {
		hdr->status = cpu_to_le32(PVBUS_STATUS_NOT_FOUND);
		hdr->len = cpu_to_le32(sizeof(*hdr));
		*resp_len = sizeof(*hdr);
	}
	return PCI_PVBUS_FAKE_NOW;
}

static const struct pci_pvbus_fake_hooks no_fn_08_hooks = {
	.answer = no_fn_08_answer,
};

/*
 * As hostile_eject_crossed_by_list, but the list after the eject does not
 * fit in the queue, and the guest asks for the list again.  The host
 * answers that after it heard the eject answered: the 01.0 it lists is
 * its own, and its NOT_FOUND for 01.0's BARs is an error again.  It used
 * to be taken for a list that crossed the eject's answer.
 */
static void hostile_eject_then_list_asked_for(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_device *pdev;
	unsigned int left_out;
	struct pci_pvbus *pb;
	size_t len, ej_len;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 35);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	len = pci_pvbus_fake_relations(f, rel, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	ej_len = eject_msg((u8 *)&ej, pb->version, 0x08);

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	pci_pvbus_notify(pdev, &ej, ej_len);
	fill_notes(pdev, pb);
	pci_pvbus_notify(pdev, rel, len);
	f->hooks = &no_fn_08_hooks;
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);
	f->hooks = NULL;

	mutex_lock(&pb->lock);
	left_out = pb->nr_left_out;
	mutex_unlock(&pb->lock);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_EJECT_COMPLETE,
						 0x08), 1U);
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_EQ(test, left_out, 1U);
}

/*
 * At the first QUERY_RELATIONS, the host sends the notifications in
 * rq.send, if any; it refuses QUERY_RELATIONS the first rq.refuse times.
 */
static struct {
	unsigned int refuse;
	const void *send[2];
	size_t send_len[2];
} rq;

static int requery_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			  const void *req, size_t req_len, void *resp,
			  size_t *resp_len)
{
	unsigned int i;

	if (le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type) !=
	    PVBUS_PCI_MSG_QUERY_RELATIONS)
		return PCI_PVBUS_FAKE_NOW;
	for (i = 0; i < ARRAY_SIZE(rq.send); i++) {
		if (rq.send_len[i])
			pci_pvbus_notify(pdev, rq.send[i], rq.send_len[i]);
		rq.send_len[i] = 0;
	}
	if (!rq.refuse)
		return PCI_PVBUS_FAKE_NOW;
	rq.refuse--;
	return -EIO;
}

static const struct pci_pvbus_fake_hooks requery_hooks = {
	.answer = requery_answer,
};

/*
 * Wait for the list to be asked for @n times in all, and for what the bus
 * does with the last answer.
 */
static void wait_asked(struct kunit *test, struct pci_pvbus_fake *f,
		       struct pci_pvbus *pb, unsigned int n)
{
	KUNIT_EXPECT_TRUE_MSG(test,
			      pci_pvbus_fake_wait_log(f,
						      PVBUS_PCI_MSG_QUERY_RELATIONS,
						      ~0U, n),
			      "the list was not asked for %u times", n);
	flush_workqueue(pb->wq);
}

struct malformed_case {
	const char *name;
	unsigned int refuse;
};

static const struct malformed_case malformed_cases[] = {
	{ "the list asked for at once", 0 },
	{ "the list refused once, asked for again later", 1 },
};

KUNIT_ARRAY_PARAM_DESC(malformed, malformed_cases, name);

/*
 * A list of functions the guest cannot parse (a reserved field not 0) is
 * not the host's last word: the guest asks for the list again, and the
 * removal it was to tell of is applied all the same; if the host refuses
 * to give the list, it is asked for again later.  A refused list used to
 * be forgotten, the removal with it.
 */
static void hostile_malformed_relations_asked_again(struct kunit *test)
{
	const struct malformed_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	struct pvbus_pci_relations *r = (void *)rel;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int asked;
	size_t len;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 18);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);

	/* The host drops 01.0, and says so in a list that is malformed. */
	pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	len = pci_pvbus_fake_relations(f, rel, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	r->reserved = cpu_to_le32(1);
	memset(&rq, 0, sizeof(rq));
	rq.refuse = c->refuse;
	f->hooks = &requery_hooks;
	asked = pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_QUERY_RELATIONS, ~0U);
	pci_pvbus_notify(pdev, rel, len);
	wait_asked(test, f, pb, asked + c->refuse + 1);
	f->hooks = NULL;

	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
}

struct asking_case {
	const char *name;
	unsigned int refuse;
	bool eject_lost;	/* lost with the list, not sent as it is asked */
};

static const struct asking_case asking_cases[] = {
	{ "the list refused once, the eject sent meanwhile", 1, false },
	{ "the list refused twice, the eject sent meanwhile", 2, false },
	{ "the list refused twice, the eject lost with it", 2, true },
};

KUNIT_ARRAY_PARAM_DESC(asking, asking_cases, name);

/*
 * As hostile_lost_list_then_eject, but the host refuses the list the
 * guest asks for, and ejects 02.0 as it refuses, or had ejected it in a
 * notification lost with the list: the eject is answered after the list,
 * asked for again later, and 02.0 not added.  The eject used to be
 * queued, as the lost list was being handled, and handled first: ignored,
 * and 02.0 then added; or, the list refused again, answered and
 * forgotten, and 02.0 added all the same; or left unanswered until the
 * host sent something more, which a host waiting for it does not.
 */
static void hostile_lost_eject_while_asking(struct kunit *test)
{
	const struct asking_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *rel = msg_buf(test);
	struct pvbus_pci_devfn_msg *ej = kunit_kzalloc(test, sizeof(*ej),
						       GFP_KERNEL);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	size_t len, ej_len;

	KUNIT_ASSERT_NOT_NULL(test, ej);
	pdev = hostile_bus(test, f, true, HOSTILE_ID + 29);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	hostile_fns(f, 2, 3, 0x7b10);
	len = pci_pvbus_fake_relations(f, rel, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	ej_len = eject_msg((u8 *)ej, pb->version, 0x10);
	memset(&rq, 0, sizeof(rq));
	rq.refuse = c->refuse;
	if (!c->eject_lost) {
		rq.send[0] = ej;
		rq.send_len[0] = ej_len;
	}
	f->hooks = &requery_hooks;

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	fill_notes(pdev, pb);
	pci_pvbus_notify(pdev, rel, len);
	if (c->eject_lost)
		pci_pvbus_notify(pdev, ej, ej_len);
	mutex_unlock(&pb->lock);
	pci_pvbus_fake_wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x10, 1);
	flush_workqueue(pb->wq);
	f->hooks = NULL;

	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						     0x10), 1U,
			    "02.0's eject was not answered");
	KUNIT_EXPECT_FALSE_MSG(test, has_fn(pb, 0x10),
			       "02.0 was added while the host ejected it");
}

struct overtaken_case {
	const char *name;
	bool while_asking;
};

static const struct overtaken_case overtaken_cases[] = {
	{ "all lost before the bus is free", false },
	{ "the lists sent as the guest asks for the list", true },
};

KUNIT_ARRAY_PARAM_DESC(overtaken, overtaken_cases, name);

/*
 * Notifications lost: the host ejects 01.0, takes it away before the
 * guest answered (a list without it), and plugs it in again (a list with
 * it as before); those two lists lost with the eject, or sent while the
 * guest asks for the list after a list lost before the eject.  The eject
 * is overtaken: 01.0 is added anew, and the eject not answered.  The
 * eject used to keep 01.0 from being added, or be answered, its answer
 * naming the function plugged in anew.
 */
static void hostile_lost_eject_overtaken(struct kunit *test)
{
	const struct overtaken_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *all = msg_buf(test);
	u8 *gone = msg_buf(test);
	u8 *back = msg_buf(test);
	size_t all_len, gone_len, back_len, ej_len;
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	pdev = hostile_bus(test, f, true, HOSTILE_ID + 30);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	all_len = pci_pvbus_fake_relations(f, all,
					   PVBUS_PCI_MSG_RELATIONS_CHANGED,
					   pb->version);
	pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	gone_len = pci_pvbus_fake_relations(f, gone,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);
	pci_pvbus_fake_set_listed(f, &f->fn[1], true);
	back_len = pci_pvbus_fake_relations(f, back,
					    PVBUS_PCI_MSG_RELATIONS_CHANGED,
					    pb->version);
	ej_len = eject_msg((u8 *)&ej, pb->version, 0x08);
	memset(&rq, 0, sizeof(rq));
	if (c->while_asking) {
		rq.send[0] = gone;
		rq.send_len[0] = gone_len;
		rq.send[1] = back;
		rq.send_len[1] = back_len;
		f->hooks = &requery_hooks;
	}

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	fill_notes(pdev, pb);
	if (c->while_asking)
		pci_pvbus_notify(pdev, all, all_len);
	pci_pvbus_notify(pdev, &ej, ej_len);
	if (!c->while_asking) {
		pci_pvbus_notify(pdev, gone, gone_len);
		pci_pvbus_notify(pdev, back, back_len);
	}
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);
	f->hooks = NULL;

	KUNIT_EXPECT_TRUE_MSG(test, has_fn(pb, 0x08),
			      "01.0, plugged in again, was not added");
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 0x08), 2U);
	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						     0x08), 0U,
			    "an eject overtaken was answered");
}

/*
 * The bus goes as the guest answers the first of its lost ejects: remove
 * has begun (@dying, as pci_pvbus_stop_notes() sets it).
 */
static int dying_at_eject_complete(struct pci_pvbus_fake *f,
				   struct pvbus_device *pdev, const void *req,
				   size_t req_len, void *resp,
				   size_t *resp_len)
{
	const struct pvbus_msg_hdr *hdr = req;
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	unsigned long flags;

	if (le16_to_cpu(hdr->type) == PVBUS_PCI_MSG_EJECT_COMPLETE) {
		spin_lock_irqsave(&pb->note_lock, flags);
		pb->dying = true;
		spin_unlock_irqrestore(&pb->note_lock, flags);
	}
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * Eight ejects lost, and the bus goes as the first is answered: the rest
 * are not.  They used to be answered one by one, each request waiting up
 * to request_timeout_ms for a host that answers each just in time: 256
 * lost ejects held remove for over 20 minutes at the default timeout.
 */
static void hostile_lost_ejects_stop_when_bus_goes(struct kunit *test)
{
	const struct pci_pvbus_fake_hooks hooks = {
		.answer = dying_at_eject_complete,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_pci_devfn_msg ej;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int n = 0;
	u32 devfn;
	size_t len;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 36);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	mutex_lock(&pb->lock);
	park_work(test, pdev, pb);
	fill_notes(pdev, pb);
	for (devfn = 0x20; devfn < 0x28; devfn++) {
		len = eject_msg((u8 *)&ej, pb->version, devfn);
		pci_pvbus_notify(pdev, &ej, len);
	}
	f->hooks = &hooks;
	mutex_unlock(&pb->lock);
	flush_workqueue(pb->wq);
	f->hooks = NULL;

	for (devfn = 0x20; devfn < 0x28; devfn++)
		n += pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE,
					      devfn);
	KUNIT_EXPECT_EQ_MSG(test, n, 1U,
			    "lost ejects answered after the bus began to go");
}

struct probe_list_case {
	const char *name;
	unsigned int fn;	/* the fake's function that changes */
	u32 devfn;
	unsigned int nr_lists;	/* lists the host sends during probe */
	bool listed[2];		/* whether each of them lists it */
	bool after;		/* sent after probe's answer, not before */
	bool answered;		/* whether probe's answer lists it */
	bool stays;		/* whether it is on the bus in the end */
	bool eject;		/* the host ejects it after the lists */
	bool lost;		/* a malformed list first: the lists are lost */
};

static const struct probe_list_case probe_list_cases[] = {
	{ "02.0 added before probe's answer", 2, 0x10, 2, { false, true },
	  false, true, true },
	{ "01.0 gone before probe's answer", 1, 0x08, 1, { true }, false,
	  false, false },
	{ "01.0 ejected and gone before probe's answer", 1, 0x08, 1, { true },
	  false, false, false, true },
	{ "02.0 gone after probe's answer", 2, 0x10, 1, { false }, true,
	  true, false },
	{ "02.0 gone and back, lost before probe's answer", 2, 0x10, 1,
	  { false }, false, true, true, false, true },
};

KUNIT_ARRAY_PARAM_DESC(probe_list, probe_list_cases, name);

struct probe_list_run {
	const struct probe_list_case *c;
	u8 *msg;
	bool sent;
	bool taken;	/* the work item took a list before probe's answer */
};

/*
 * The case's lists, through the channel as a host sends them; before
 * probe's answer, until the bus's work item has taken the first list and
 * waits for probe with it: it must not take a list for newer than
 * probe's before probe has its answer.
 */
static void probe_list_send(struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev,
			    struct probe_list_run *run, u16 version)
{
	const struct probe_list_case *c = run->c;
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	unsigned int i;
	size_t len;

	run->sent = true;
	if (c->lost) {
		len = pci_pvbus_fake_relations(f, run->msg,
					       PVBUS_PCI_MSG_RELATIONS_CHANGED,
					       version);
		((struct pvbus_pci_relations *)run->msg)->reserved =
			cpu_to_le32(1);
		pvbus_channel_receive(pdev->chan, run->msg, len);
	}
	for (i = 0; i < c->nr_lists; i++) {
		pci_pvbus_fake_set_listed(f, &f->fn[c->fn], c->listed[i]);
		len = pci_pvbus_fake_relations(f, run->msg,
					       PVBUS_PCI_MSG_RELATIONS_CHANGED,
					       version);
		pvbus_channel_receive(pdev->chan, run->msg, len);
	}
	if (c->eject) {
		len = eject_msg(run->msg, version, c->devfn);
		pvbus_channel_receive(pdev->chan, run->msg, len);
	}
	if (c->after)
		return;
	for (i = 0; i < 5000; i++) {
		if (work_busy(&pb->work) & WORK_BUSY_RUNNING) {
			run->taken = true;
			return;
		}
		usleep_range(1000, 2000);
	}
}

/*
 * The host sends the case's lists as probe asks for the list, before its
 * answer, which it then makes anew; or once it took the function's
 * ASSIGNED_RESOURCES, after its answer.
 */
static int probe_list_answer(struct pci_pvbus_fake *f,
			     struct pvbus_device *pdev, const void *req,
			     size_t req_len, void *resp, size_t *resp_len)
{
	const struct pvbus_msg_hdr *hdr = req;
	struct probe_list_run *run = f->hooks->data;
	const struct probe_list_case *c = run->c;
	u16 type = le16_to_cpu(hdr->type);
	u16 version = le16_to_cpu(hdr->version);

	if (run->sent)
		return PCI_PVBUS_FAKE_NOW;
	if (!c->after && type == PVBUS_PCI_MSG_QUERY_RELATIONS) {
		probe_list_send(f, pdev, run, version);
		pci_pvbus_fake_set_listed(f, &f->fn[c->fn], c->answered);
		*resp_len = pci_pvbus_fake_relations(f, resp,
						     PVBUS_PCI_MSG_QUERY_RELATIONS,
						     version);
		((struct pvbus_msg_hdr *)resp)->trans_id = hdr->trans_id;
	} else if (c->after && type == PVBUS_PCI_MSG_ASSIGNED_RESOURCES &&
		   req_len >= sizeof(struct pvbus_pci_assigned) &&
		   le32_to_cpu(((const struct pvbus_pci_assigned *)req)->devfn) ==
		   c->devfn) {
		probe_list_send(f, pdev, run, version);
	}
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * The case's lists delivered and handled: 02.0 gone, the lists dropped,
 * or those lost asked for again and nothing left of them.
 */
static bool probe_list_done(struct pci_pvbus_fake *f, struct pci_pvbus *pb,
			    const struct probe_list_case *c)
{
	unsigned long flags;
	u64 older;

	if (c->after)
		return !has_fn(pb, c->devfn);
	if (c->lost)
		return pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_QUERY_RELATIONS,
						~0U) >= 2 &&
		       !READ_ONCE(pb->lost) && !work_busy(&pb->work);
	spin_lock_irqsave(&pb->note_lock, flags);
	older = pb->nr_lists_older;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	return older == c->nr_lists;
}

/*
 * Lists the host sends while the bus probes: those it sent before its
 * answer to probe's QUERY_RELATIONS are older than what probe set up, and
 * dropped; one sent after it is applied.  The older ones used to be
 * applied once probe was over: 02.0, added meanwhile and set up by probe,
 * was removed and added anew (a second ASSIGNED_RESOURCES with no release
 * between); 01.0, gone meanwhile, was asked for and logged as left out.
 * An eject of 01.0 the host sent before its answer is answered, though
 * the answer does not list 01.0: the host listed it before.  Lists lost
 * before the answer (after a malformed one) are asked for again, but what
 * they left out that the answer lists was set up by probe: 02.0 used to
 * be removed and added anew for them.
 */
static void hostile_lists_during_probe(struct kunit *test)
{
	const struct probe_list_case *c = test->param_value;
	struct probe_list_run run = { .c = c, .msg = msg_buf(test) };
	const struct pci_pvbus_fake_hooks hooks = {
		.answer = probe_list_answer,
		.data = &run,
	};
	/* What the guest sends of the function: once each, or never. */
	const struct {
		const char *name;
		u16 type;
		unsigned int want;
	} sent[] = {
		{ "QUERY_RESOURCES", PVBUS_PCI_MSG_QUERY_RESOURCES, c->answered },
		{ "ASSIGNED_RESOURCES", PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		  c->answered },
		{ "EJECT_COMPLETE", PVBUS_PCI_MSG_EJECT_COMPLETE, c->eject },
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int i;

	hostile_fns(f, 2, 3, 0x7b20);
	f->hooks = &hooks;
	pdev = hostile_bus(test, f, true, HOSTILE_ID + 37);
	/* The hooks live on this stack: gone before the case may return. */
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	for (i = 0; i < 250 && !probe_list_done(f, pb, c); i++)
		msleep(20);
	flush_workqueue(pb->wq);

	KUNIT_EXPECT_TRUE(test, run.sent);
	KUNIT_EXPECT_TRUE_MSG(test, c->after || run.taken,
			      "the work item took no list before probe's answer");
	KUNIT_EXPECT_EQ(test, has_fn(pb, c->devfn), c->stays);
	for (i = 0; i < ARRAY_SIZE(sent); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    pci_pvbus_fake_count_log(f, sent[i].type,
							     c->devfn),
				    sent[i].want,
				    "%s of %02x.%x: sent as it should not be, or not once",
				    sent[i].name, PCI_SLOT(c->devfn),
				    PCI_FUNC(c->devfn));
	KUNIT_EXPECT_EQ(test, pb->nr_left_out, 0U);
	KUNIT_EXPECT_EQ(test, pb->nr_lists_older,
			c->after || c->lost ? 0ULL : (u64)c->nr_lists);
}

struct early_case {
	const char *name;
	bool fill;		/* the queue filled first: the eject is lost */
	bool malformed;		/* its reserved field not 0 */
	bool answered;
};

static const struct early_case early_cases[] = {
	{ "an eject, queued", false, false, true },
	{ "an eject, lost", true, false, true },
	{ "a malformed eject, lost", true, true, false },
};

KUNIT_ARRAY_PARAM_DESC(early, early_cases, name);

struct early_run {
	const struct early_case *c;
	unsigned int queued;	/* notifications queued as 01.0's eject came */
};

/*
 * As it accepts a protocol version, the host ejects 01.0 in it; first it
 * fills the queue, if the case says.  Probe holds the bus's lock: the
 * work item takes one notification and waits, the rest stay queued.
 */
static int version_eject_answer(struct pci_pvbus_fake *f,
				struct pvbus_device *pdev, const void *req,
				size_t req_len, void *resp, size_t *resp_len)
{
	struct early_run *run = f->hooks->data;
	const struct early_case *c = run->c;
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	const struct pvbus_pci_version *v = req;
	struct pvbus_pci_devfn_msg ej;
	unsigned int i;
	size_t len;
	u16 version;

	if (req_len < sizeof(*v) ||
	    le16_to_cpu(v->hdr.type) != PVBUS_PCI_MSG_QUERY_VERSION)
		return PCI_PVBUS_FAKE_NOW;
	version = le16_to_cpu(v->version);
	if (version > f->max_version)
		return PCI_PVBUS_FAKE_NOW;
	len = eject_msg((u8 *)&ej, version, 0x77);
	if (c->fill) {
		pci_pvbus_notify(pdev, &ej, len);
		for (i = 0; i < 1000 && queued_notes(pb); i++)
			usleep_range(1000, 2000);
		for (i = 0; i < 2 * PCI_PVBUS_MAX_NOTES; i++) {
			if (queued_notes(pb) == PCI_PVBUS_MAX_NOTES)
				break;
			pci_pvbus_notify(pdev, &ej, len);
		}
	}
	len = eject_msg((u8 *)&ej, version, 0x08);
	ej.reserved = cpu_to_le32(c->malformed);
	run->queued = queued_notes(pb);
	pci_pvbus_notify(pdev, &ej, len);
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * An eject the host sends as soon as it has accepted a protocol version,
 * before probe has taken note of it, is handled once probe is over: 01.0
 * is removed and the eject answered, whether the eject was queued or
 * lost; a malformed one is dropped.  It used to be checked against no
 * version, and dropped as malformed: 01.0 stayed, the host waiting.
 */
static void hostile_eject_during_probe(struct kunit *test)
{
	const struct early_case *c = test->param_value;
	struct early_run run = { .c = c };
	const struct pci_pvbus_fake_hooks hooks = {
		.answer = version_eject_answer,
		.data = &run,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	f->hooks = &hooks;
	pdev = hostile_bus(test, f, true, HOSTILE_ID + 31);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	flush_workqueue(pb->wq);

	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						     0x08), c->answered,
			    "01.0's eject answered as it should not, or not as it should");
	KUNIT_EXPECT_EQ(test, has_fn(pb, 0x08), !c->answered);
	/* The case is what it says: the queue was full, or not. */
	KUNIT_EXPECT_EQ(test, run.queued == PCI_PVBUS_MAX_NOTES, c->fill);
}

struct probe_room_case {
	const char *name;
	unsigned int nr;	/* functions listed at probe: 00.0 and on */
	unsigned int big;	/* the one whose 1 GiB BAR fits nowhere */
	u64 host[3];		/* where the host placed a function's BAR */
};

/*
 * The first 64K free in the high window, where a window of a function
 * placed first would go, and one 64K into the next 16M, where a slack
 * window of one would.
 */
#define PROBE_ROOM_HOST_BAR	0x101000000ULL
#define PROBE_ROOM_HOST_BAR2	0x102010000ULL

static const struct probe_room_case probe_room_cases[] = {
	{ "the last of three", 3, 2, { } },
	{ "the first of three", 3, 0, { } },
	{ "the only one", 1, 0, { } },
	{ "beside a function the host placed", 3, 2,
	  { 0, PROBE_ROOM_HOST_BAR } },
	{ "beside two functions the host placed", 3, 2,
	  { PROBE_ROOM_HOST_BAR, PROBE_ROOM_HOST_BAR2 } },
};

KUNIT_ARRAY_PARAM_DESC(probe_room, probe_room_cases, name);

/* The case's functions on the fake host, listed or not yet. */
static void probe_room_fns(struct pci_pvbus_fake *f,
			   const struct probe_room_case *c, bool listed)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++) {
		pci_pvbus_fake_fn_init(&f->fn[i], i << 3, 0x7b40 + i,
				       c->host[i] ? PVBUS_PCI_FN_PRESERVE : 0);
		pci_pvbus_fake_bar(&f->fn[i], 0, i == c->big ? SZ_1G : SZ_64K,
				   true, false, c->host[i]);
		pci_pvbus_fake_cfg_init(&f->fn[i]);
		pci_pvbus_fake_set_listed(f, &f->fn[i], listed);
	}
}

/*
 * The one that fits nowhere is left out, the others are on the bus, and
 * those the host placed where it placed them.
 */
static void probe_room_check(struct kunit *test, struct pci_pvbus_fake *f,
			     struct pci_pvbus *pb,
			     const struct probe_room_case *c)
{
	struct pci_pvbus_fn *fn;
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, has_fn(pb, i << 3), i != c->big,
				    "function %02x.0", i);
	KUNIT_EXPECT_EQ(test, pb->nr_no_room, 1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 c->big << 3), 0U);
	mutex_lock(&pb->lock);
	for (i = 0; i < c->nr; i++) {
		if (!c->host[i])
			continue;
		fn = pci_pvbus_find_fn(pb, i << 3);
		KUNIT_EXPECT_TRUE_MSG(test, fn && fn->addr[0] == c->host[i],
				      "%02x.0 not where the host placed it", i);
	}
	mutex_unlock(&pb->lock);
}

/*
 * At probe, one function whose BAR fits nowhere in the bus's MMIO space:
 * it is left out, named, and the bus comes up with the others, or with
 * none, and so answers the host; a function whose BARs the host placed
 * keeps them.  The whole probe used to fail with -ENOSPC, and with it the
 * disk beside it; once it placed functions one at a time, one placed
 * before the preserved one took the preserved one's place.
 */
static void hostile_probe_fn_no_room(struct kunit *test)
{
	const struct probe_room_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	probe_room_fns(f, c, true);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 38);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pb, "the bus did not come up");

	probe_room_check(test, f, pb, c);
	KUNIT_EXPECT_EQ(test, pb->nr_probe_no_room, 1U);
}

/*
 * The same functions hot added to a bus that came up with none: placed
 * as probe places them.  Hot add placed them one at a time in the list's
 * order, so a function placed before one the host placed took its place.
 */
static void hostile_hot_add_fn_no_room(struct kunit *test)
{
	const struct probe_room_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	u8 *msg = msg_buf(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int i;
	size_t len;

	probe_room_fns(f, c, false);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 39);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pb, "the bus did not come up");

	for (i = 0; i < c->nr; i++)
		pci_pvbus_fake_set_listed(f, &f->fn[i], true);
	len = pci_pvbus_fake_relations(f, msg, PVBUS_PCI_MSG_RELATIONS_CHANGED,
				       pb->version);
	pvbus_channel_receive(pdev->chan, msg, len);
	/* The channel hands it over in its own time; then the worker. */
	for (i = 0; i < 250 && !READ_ONCE(pb->nr_no_room); i++)
		msleep(20);
	flush_workqueue(pb->wq);

	probe_room_check(test, f, pb, c);
	KUNIT_EXPECT_EQ(test, pb->nr_probe_no_room, 0U);
}

/*
 * The first allocation of a hot add's new functions fails: that function
 * is left out with an error, and the others are still set up (the list
 * used to stop there, silently).  The allocation is failed through the
 * task's fail_nth, with failslab told not to skip sleeping allocations.
 */
static void hostile_new_fns_no_memory(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_pci_fn_desc desc[3] = {};
	struct pci_pvbus_fn *fns[3] = {};
	struct pvbus_failslab fs;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int i, n;
	bool fired;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 12);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	for (i = 0; i < 3; i++) {
		pci_pvbus_fake_fn_init(&f->fn[1 + i], 0x08 * (i + 1),
				       0x7f01 + i, 0);
		pci_pvbus_fake_bar(&f->fn[1 + i], 0, SZ_64K, true, false, 0);
		pci_pvbus_fake_cfg_init(&f->fn[1 + i]);
		desc[i].devfn = 0x08 * (i + 1);
		desc[i].vendor = 0x1234;
		desc[i].device = 0x7f01 + i;
	}

	if (pvbus_failslab_quiet(&fs))
		kunit_skip(test, "no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	mutex_lock(&pb->lock);
	pvbus_fault_arm(1);
	n = pci_pvbus_new_fns(pb, desc, 3, fns);
	fired = pvbus_fault_disarm();
	mutex_unlock(&pb->lock);
	pvbus_failslab_restore(&fs);

	KUNIT_EXPECT_TRUE_MSG(test, fired, "no allocation failed");
	KUNIT_EXPECT_EQ(test, n, 2U);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, fns[i]->desc.devfn, desc[i + 1].devfn);
		kfree(fns[i]);
	}
}

/* ---- D3: D0 retries as the parameter says --------------------------- */

struct d0_case {
	const char *name;
	int retries;
	unsigned int refused;
	bool up;
	unsigned int entries;	/* D0_ENTRY requests the host sees */
};

static const struct d0_case d0_cases[] = {
	{ "refused 3 times, 3 retries", 3, 3, true, 4 },
	{ "refused 4 times, 3 retries", 3, 4, false, 4 },
	{ "refused once, no retry", 0, 1, false, 1 },
};

KUNIT_ARRAY_PARAM_DESC(d0, d0_cases, name);

static void restore_d0(void *data)
{
	WRITE_ONCE(pci_pvbus_d0_retries, (int)(long)data);
}

/* d0_retries = @retries for the case; as it was after. */
static void set_d0_retries(struct kunit *test, int retries)
{
	KUNIT_ASSERT_EQ(test,
			pci_pvbus_test_defer(test, restore_d0,
					     (void *)(long)pci_pvbus_d0_retries),
			0);
	WRITE_ONCE(pci_pvbus_d0_retries, retries);
}

static void hostile_d0_retries(struct kunit *test)
{
	const struct d0_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	set_d0_retries(test, c->retries);
	set_uint(test, &pci_pvbus_d0_backoff_ms, 1);
	f->refuse_d0 = c->refused;

	pdev = hostile_bus(test, f, false, HOSTILE_ID + 7);
	KUNIT_EXPECT_EQ(test, !!pci_pvbus_fake_bus_of(pdev), c->up);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_D0_ENTRY, ~0U),
			c->entries);
}

/*
 * A D0 entry whose outcome the guest cannot know (no answer in time, or
 * one for another config window) may have been made: the host may decode
 * the window for the bus, which probe is about to free.  D0_EXIT undoes
 * it, as it does for a refused one; an exit the host did not need is
 * harmless.
 */
struct d0_unsure_case {
	const char *name;
	enum pci_pvbus_fake_fate fate;
	bool other_window;
	bool silent_query;	/* 01.0's QUERY_RESOURCES is not answered */
};

static const struct d0_unsure_case d0_unsure_cases[] = {
	{ "D0_ENTRY never answered", PCI_PVBUS_FAKE_NEVER, false, false },
	{ "D0_ENTRY answered for another window", PCI_PVBUS_FAKE_NOW, true,
	  false },
	{ "D0_ENTRY never answered, after a QUERY_RESOURCES",
	  PCI_PVBUS_FAKE_NEVER, false, true },
};

KUNIT_ARRAY_PARAM_DESC(d0_unsure, d0_unsure_cases, name);

static int d0_unsure_answer(struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev, const void *req,
			    size_t req_len, void *resp, size_t *resp_len)
{
	const struct d0_unsure_case *c = f->hooks->data;
	const struct pvbus_msg_hdr *hdr = req;
	struct pvbus_pci_d0_entry *answer = resp;
	const struct pvbus_pci_devfn_msg *q = req;

	if (c->silent_query &&
	    le16_to_cpu(hdr->type) == PVBUS_PCI_MSG_QUERY_RESOURCES &&
	    le32_to_cpu(q->devfn) == 0x08)
		return PCI_PVBUS_FAKE_NEVER;
	if (le16_to_cpu(hdr->type) != PVBUS_PCI_MSG_D0_ENTRY)
		return PCI_PVBUS_FAKE_NOW;
	if (c->other_window)
		answer->cfg_base = cpu_to_le64(le64_to_cpu(answer->cfg_base) +
					       PVBUS_PCI_CFG_WINDOW_SIZE);
	return c->fate;
}

static void hostile_d0_unsure_exits(struct kunit *test)
{
	const struct d0_unsure_case *c = test->param_value;
	struct pci_pvbus_fake_hooks hooks = {
		.answer = d0_unsure_answer,
		.data = (void *)c,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	set_uint(test, &pci_pvbus_timeout_ms, 200);
	f->hooks = &hooks;
	pdev = hostile_bus(test, f, c->silent_query, HOSTILE_ID + 14);
	f->hooks = NULL;
	KUNIT_EXPECT_NULL(test, pci_pvbus_fake_bus_of(pdev));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_D0_ENTRY, ~0U),
			1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_D0_EXIT, ~0U),
			1U);
}

/* ---- W3: host and guest agree on what the guest placed --------------- */

/*
 * How the host answers 01.0's RELEASED_RESOURCES, and whether its BAR is
 * held then: a host that refuses it may still decode it; one that answers
 * NOT_FOUND took 01.0 away meanwhile and decodes nothing of it.
 */
struct released_case {
	const char *name;
	u32 status;
	unsigned int held;
};

static const struct released_case released_cases[] = {
	{ "release confirmed", PVBUS_STATUS_SUCCESS, 0 },
	{ "release answered NOT_FOUND", PVBUS_STATUS_NOT_FOUND, 0 },
	{ "release refused", PVBUS_STATUS_REFUSED, 1 },
};

KUNIT_ARRAY_PARAM_DESC(released, released_cases, name);

/*
 * The host never answers ASSIGNED_RESOURCES for 01.0: when the request
 * times out, the function stays off the bus and RELEASED_RESOURCES tells
 * the host so, whatever it did with the request; its BAR is held as the
 * answer to that says.
 */
static void hostile_assigned_timeout(struct kunit *test)
{
	const struct released_case *c = test->param_value;
	static struct hold_assigned hold = {
		.devfn = 0x08, .fate = PCI_PVBUS_FAKE_NEVER,
	};
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = hold_assigned_answer,
		.data = &hold,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	hold.released = c->status;
	set_uint(test, &pci_pvbus_timeout_ms, 200);
	f->hooks = &hooks;
	pdev = hostile_bus(test, f, true, HOSTILE_ID + 8);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x08), 1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x00), 0U);
	KUNIT_EXPECT_EQ_MSG(test, pb->nr_held, c->held,
			    "01.0's BARs held, its release answered %#x",
			    c->status);
}

/* The host goes silent for what tells it of resources, and for D0 exit. */
static int silent_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			 const void *req, size_t req_len, void *resp,
			 size_t *resp_len)
{
	switch (le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type)) {
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
	case PVBUS_PCI_MSG_RELEASED_RESOURCES:
	case PVBUS_PCI_MSG_D0_EXIT:
		return PCI_PVBUS_FAKE_NEVER;
	default:
		return PCI_PVBUS_FAKE_NOW;
	}
}

/* The host answers what sets functions up late, but in time. */
static int slow_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
		       const void *req, size_t req_len, void *resp,
		       size_t *resp_len)
{
	switch (le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type)) {
	case PVBUS_PCI_MSG_QUERY_RESOURCES:
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		return PCI_PVBUS_FAKE_LATE;
	default:
		return PCI_PVBUS_FAKE_NOW;
	}
}

static const struct pci_pvbus_fake_hooks silent_hooks = {
	.answer = silent_answer,
};

static const struct pci_pvbus_fake_hooks slow_hooks = {
	.answer = slow_answer,
};

struct unbind_case {
	const char *name;
	const struct pci_pvbus_fake_hooks *hooks;
	unsigned int timeout_ms;
	u16 waits;		/* the request in flight as the unbind begins */
	bool gone;		/* the host is sent nothing more */
};

static const struct unbind_case unbind_cases[] = {
	{ "a silent host", &silent_hooks, 1000,
	  PVBUS_PCI_MSG_ASSIGNED_RESOURCES, true },
	{ "a slow host, answering in time", &slow_hooks, 2000,
	  PVBUS_PCI_MSG_QUERY_RESOURCES, false },
};

KUNIT_ARRAY_PARAM_DESC(unbind, unbind_cases, name);

/*
 * The host is silent, or slow, while seven functions are hot added, and
 * the driver is unbound meanwhile: the hot add stops at the request in
 * flight, and no function is offered to the host after it.  A silent
 * host, which did not answer while the bus went, is sent nothing more.
 * The unbind used to wait for each function's QUERY_RESOURCES and
 * ASSIGNED_RESOURCES (and, the host silent, RELEASED_RESOURCES), then
 * for the teardown's: minutes at the default timeout, in D state,
 * holding the device lock.
 */
static void hostile_unbind_during_hot_add(struct kunit *test)
{
	const struct unbind_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	unsigned int queried, assigned;

	set_uint(test, &pci_pvbus_timeout_ms, c->timeout_ms);
	pdev = hostile_bus(test, f, false, HOSTILE_ID + 16);
	KUNIT_ASSERT_NOT_NULL(test, pci_pvbus_fake_bus_of(pdev));

	f->late_ms = 300;
	f->hooks = c->hooks;
	hostile_fns(f, 1, PCI_PVBUS_FAKE_FNS, 0x7d00);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, pci_pvbus_fake_wait_log(f, c->waits, 0x08, 1));
	queried = pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_QUERY_RESOURCES,
					   ~0U);
	assigned = pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					    ~0U);

	device_release_driver(&pdev->dev);
	f->hooks = NULL;

	/* The one in flight, and perhaps the next one asked meanwhile. */
	KUNIT_EXPECT_LE(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_QUERY_RESOURCES,
						 ~0U), queried + 1);
	KUNIT_EXPECT_EQ_MSG(test,
			    pci_pvbus_fake_count_log(f,
						     PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						     ~0U), assigned,
			    "functions offered to the host while the bus went");
	if (!c->gone)
		return;
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 ~0U), 0U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_D0_EXIT, ~0U),
			0U);
}

/* No answer to 01.0's QUERY_RESOURCES, nor to 02.0's ASSIGNED_RESOURCES. */
static int two_apart_answer(struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev, const void *req,
			    size_t req_len, void *resp, size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *m = req;
	u16 type;
	u32 devfn;

	/* Both requests start as a devfn message does. */
	if (req_len < sizeof(*m))
		return PCI_PVBUS_FAKE_NOW;
	type = le16_to_cpu(m->hdr.type);
	devfn = le32_to_cpu(m->devfn);
	if ((type == PVBUS_PCI_MSG_QUERY_RESOURCES && devfn == 0x08) ||
	    (type == PVBUS_PCI_MSG_ASSIGNED_RESOURCES && devfn == 0x10))
		return PCI_PVBUS_FAKE_NEVER;
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * A host that refuses D0 may still hold a crashed kernel's BARs, of a
 * function probe left out too: between the entries, every function the
 * host listed is released, not only those probe kept.
 */
static void hostile_d0_reset_releases_left_out(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = two_apart_answer,	/* 01.0 is left out */
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	set_d0_retries(test, 1);
	set_uint(test, &pci_pvbus_timeout_ms, 100);
	set_uint(test, &pci_pvbus_d0_backoff_ms, 1);
	f->refuse_d0 = 1;
	f->hooks = &hooks;
	pdev = hostile_bus(test, f, true, HOSTILE_ID + 40);
	f->hooks = NULL;

	KUNIT_EXPECT_NOT_NULL(test, pci_pvbus_fake_bus_of(pdev));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x08), 1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x00), 1U);
}

/*
 * Two timeouts apart, answers in between, while probe sets the bus up:
 * only the two functions they are about are left out, the host is not
 * taken as gone (only a second timeout in a row does that).
 */
static void hostile_probe_timeouts_apart(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = two_apart_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	set_uint(test, &pci_pvbus_timeout_ms, 100);
	hostile_fns(f, 0, 3, 0x7e10);
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 20);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);

	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x00));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x08));
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x10));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 0x10), 1U);
}

/*
 * The host answers until D0 entry, then goes silent for what tells it of
 * resources: probe gives up at the second request that times out and
 * fails, rather than waiting two timeouts for each of the eight functions
 * listed (ASSIGNED_RESOURCES, then RELEASED_RESOURCES) with the device
 * lock held and the host's revoke waiting behind it; it sends the host
 * nothing more.
 */
static void hostile_probe_silent_host(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	set_uint(test, &pci_pvbus_timeout_ms, 100);
	hostile_fns(f, 0, PCI_PVBUS_FAKE_FNS, 0x7e00);
	f->hooks = &silent_hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 17);

	KUNIT_EXPECT_PTR_EQ(test, pci_pvbus_fake_bus_of(pdev), NULL);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 ~0U), 1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 ~0U), 1U);
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f, PVBUS_PCI_MSG_D0_EXIT, ~0U),
			0U);
}

/* No function answers in config space; RELEASED_RESOURCES is not answered. */
static void absent_cfg_read(struct pci_pvbus_fake *f,
			    struct pci_pvbus_fake_fn *fn, unsigned int off,
			    unsigned int size, u32 *val)
{
	if (off < PCI_COMMAND)
		*val = ~0U >> (32 - 8 * size);
}

static int absent_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			 const void *req, size_t req_len, void *resp,
			 size_t *resp_len)
{
	if (le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type) ==
	    PVBUS_PCI_MSG_RELEASED_RESOURCES)
		return PCI_PVBUS_FAKE_NEVER;
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * The host takes two functions that are then not there in config space,
 * and does not answer as they are given back: the second silence takes
 * the host as gone, and the probe fails.  It used to bind a bus with no
 * function, every later request failing at once: no hot add, no
 * EJECT_COMPLETE, and neither RELEASED_RESOURCES nor D0_EXIT at unbind.
 */
static void hostile_gone_giving_back(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = absent_answer,
		.cfg_read = absent_cfg_read,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	set_uint(test, &pci_pvbus_timeout_ms, 100);
	hostile_fns(f, 0, 2, 0x7e60);
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 33);
	f->hooks = NULL;

	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_RELEASED_RESOURCES,
						 ~0U), 2U);
	KUNIT_EXPECT_PTR_EQ_MSG(test, pci_pvbus_fake_bus_of(pdev), NULL,
				"a bus whose host is gone was bound");
}

/*
 * Where the probing task is killed: as the host gets the first request of
 * @kill_on, which it never answers (@never) or answers; @refuse_d0 D0
 * entries are refused, with @retries retries.  The probe stops there:
 * @step, the request of its next step, is sent @nr_step times.
 */
struct killed_case {
	const char *name;
	u16 kill_on;
	bool never;
	unsigned int refuse_d0;
	int retries;
	u16 step;
	unsigned int nr_step;
};

static const struct killed_case killed_cases[] = {
	{ "waiting for QUERY_RESOURCES", PVBUS_PCI_MSG_QUERY_RESOURCES,
	  true, 0, 0, PVBUS_PCI_MSG_D0_ENTRY, 0 },
	{ "waiting for ASSIGNED_RESOURCES", PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	  true, 0, 0, PVBUS_PCI_MSG_ASSIGNED_RESOURCES, 1 },
	{ "at a refused D0 entry", PVBUS_PCI_MSG_D0_ENTRY, false, 8, 4,
	  PVBUS_PCI_MSG_RELEASED_RESOURCES, 0 },
	{ "releasing the functions before a D0 retry",
	  PVBUS_PCI_MSG_RELEASED_RESOURCES, false, 8, 4,
	  PVBUS_PCI_MSG_RELEASED_RESOURCES, 1 },
	{ "exiting D0 before a D0 retry", PVBUS_PCI_MSG_D0_EXIT, false, 8, 4,
	  PVBUS_PCI_MSG_D0_ENTRY, 1 },
};

KUNIT_ARRAY_PARAM_DESC(killed, killed_cases, name);

/* A probe run by a task that is killed as the host gets a request. */
struct killed_probe {
	const struct killed_case *c;
	struct pci_pvbus_fake *f;
	struct completion done;
	struct pvbus_device *pdev;
};

static int killed_probe_answer(struct pci_pvbus_fake *f,
			       struct pvbus_device *pdev, const void *req,
			       size_t req_len, void *resp, size_t *resp_len)
{
	struct killed_probe *kp = f->hooks->data;

	if (le16_to_cpu(((const struct pvbus_msg_hdr *)req)->type) !=
	    kp->c->kill_on)
		return PCI_PVBUS_FAKE_NOW;
	/* send() runs in the task that asks: the probe's, killed now. */
	send_sig(SIGKILL, current, 1);
	return kp->c->never ? PCI_PVBUS_FAKE_NEVER : PCI_PVBUS_FAKE_NOW;
}

static int killed_probe_fn(void *data)
{
	struct killed_probe *kp = data;
	guid_t inst;

	/* A kernel thread takes SIGKILL only if it says so. */
	allow_signal(SIGKILL);
	pci_pvbus_fake_guid(&inst, HOSTILE_ID + 32);
	kp->pdev = pvbus_host_offer(&kp->f->host, &PVBUS_PCI_CLASS, &inst,
				    kp->f);
	/* In one step: once @done is complete, this module may go. */
	kthread_complete_and_exit(&kp->done, 0);
}

/*
 * The task that probes (a modprobe, a write to "bind") is killed: the
 * probe stops and fails, and undoes what it did.  Killed while the host
 * had not answered the first ASSIGNED_RESOURCES, it used to go on, each
 * later request failing at once, and to bind a bus without the functions
 * left, its log blaming the host for each; killed between refused D0
 * entries, it went on retrying; killed as it asked for the functions'
 * resources, it went on to D0.
 */
static void hostile_probe_killed(struct kunit *test)
{
	const struct killed_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct killed_probe kp = { .c = c, .f = f };
	const struct pci_pvbus_fake_hooks hooks = {
		.answer = killed_probe_answer,
		.data = &kp,
	};
	struct task_struct *task;

	set_d0_retries(test, c->retries);
	f->refuse_d0 = c->refuse_d0;
	init_completion(&kp.done);
	hostile_fns(f, 0, 3, 0x7e40);
	f->hooks = &hooks;
	task = kthread_run(killed_probe_fn, &kp, "pvbus-killed-probe");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&kp.done);
	f->hooks = NULL;

	KUNIT_ASSERT_FALSE(test, IS_ERR(kp.pdev));
	KUNIT_EXPECT_PTR_EQ_MSG(test, pci_pvbus_fake_bus_of(kp.pdev), NULL,
				"a killed probe left the bus bound");
	KUNIT_EXPECT_EQ_MSG(test, pci_pvbus_fake_count_log(f, c->step, ~0U),
			    c->nr_step, "the probe went on after the kill");
	pvbus_host_revoke(kp.pdev);
}

/* Config space shows a 64K ROM at 0xffff0000 for every function. */
static void rom_cfg_read(struct pci_pvbus_fake *f, struct pci_pvbus_fake_fn *fn,
			 unsigned int off, unsigned int size, u32 *val)
{
	if (fn && off == PCI_ROM_ADDRESS && size == 4)
		*val = 0xffff0000;
}

/*
 * The host has no word for a ROM: the guest must not place one where the
 * host was not told (as pci_map_rom() would, through the sysfs rom file).
 */
static void hostile_rom_not_placed(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.cfg_read = rom_cfg_read,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct resource *rom;
	struct pci_pvbus *pb;
	int ret;

	/* A 32-bit BAR too: the bus gets a window where a ROM could go. */
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0x7e00, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_bar(&f->fn[0], 2, SZ_64K, false, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 9);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	rom = &dev->resource[PCI_ROM_RESOURCE];

	KUNIT_EXPECT_EQ(test, (u64)pci_resource_len(dev, PCI_ROM_RESOURCE),
			0ULL);
	/* What pci_map_rom() does first. */
	pci_lock_rescan_remove();
	ret = rom->parent ? 0 : pci_assign_resource(dev, PCI_ROM_RESOURCE);
	KUNIT_EXPECT_NE(test, ret, 0);
	KUNIT_EXPECT_NULL_MSG(test, rom->parent, "ROM placed at %pR", rom);
	if (rom->parent)
		pci_release_resource(dev, PCI_ROM_RESOURCE);
	pci_unlock_rescan_remove();
	pci_dev_put(dev);
	f->hooks = NULL;
}

/*
 * Config space shows BAR 1 as I/O ports at 0xc000, where the host put
 * them: the second read of the BAR, after the PCI core wrote all ones to
 * size it, shows 256 ports.
 */
static unsigned int io_bar_reads;

static void io_bar_cfg_read(struct pci_pvbus_fake *f,
			    struct pci_pvbus_fake_fn *fn, unsigned int off,
			    unsigned int size, u32 *val)
{
	if (fn && off == PCI_BASE_ADDRESS_1 && size == 4)
		*val = io_bar_reads++ == 1 ? 0xffffff01 : 0xc001;
}

/*
 * pci-pvbus places no I/O BARs: one the host describes is left
 * unassigned, not claimed at the ports the host chose.
 */
static void hostile_io_bar_unassigned(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.cfg_read = io_bar_cfg_read,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct resource *io;
	struct pci_pvbus *pb;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0x7e01, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, false, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	/* QUERY_RESOURCES says so too: 256 ports. */
	f->fn[0].probed[1] = 0xffffff01;
	io_bar_reads = 0;
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 15);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	io = &dev->resource[1];

	KUNIT_EXPECT_GE(test, io_bar_reads, 2U);
	KUNIT_EXPECT_EQ_MSG(test, resource_type(io), 0UL, "BAR 1 is %pR", io);
	KUNIT_EXPECT_NULL_MSG(test, io->parent, "BAR 1 claimed at %pR", io);
	pci_dev_put(dev);
	f->hooks = NULL;
}

/* The host's QUERY_RESOURCES leaves BAR 2 (64-bit) out; config space has it. */
static int hide_bar2_answer(struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev, const void *req,
			    size_t req_len, void *resp, size_t *resp_len)
{
	struct pvbus_pci_resources *r = resp;

	if (le16_to_cpu(r->hdr.type) == PVBUS_PCI_MSG_QUERY_RESOURCES &&
	    *resp_len == sizeof(*r)) {
		r->bar[2].probed = 0;
		r->bar[3].probed = 0;
	}
	return PCI_PVBUS_FAKE_NOW;
}

/* A BAR the host did not describe is not placed, and not told of. */
static void hostile_undescribed_bar(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = hide_bar2_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct pci_pvbus *pb;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0x7d00, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_bar(&f->fn[0], 2, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	f->hooks = &hooks;
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, HOSTILE_ID + 10);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_NOT_NULL(test, dev->resource[0].parent);
	KUNIT_EXPECT_NULL_MSG(test, dev->resource[2].parent,
			      "BAR 2 placed at %pR", &dev->resource[2]);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(f->assigned[0].addr[2]), 0ULL);
	pci_dev_put(dev);
}

/* A size parameter that does not fit in 64 bits is refused, not wrapped. */
struct size_case {
	const char *val;
	int ret;
	u64 size;
};

static const struct size_case size_cases[] = {
	{ "16M", 0, SZ_16M },
	{ "0", 0, 0 },
	{ "0x1000\n", 0, SZ_4K },
	{ "15E", 0, 15ULL << 60 },
	{ "0x1e", 0, 0x1e },
	{ "0x10M", 0, SZ_16M },
	{ "24E", -ERANGE },
	{ "16E", -ERANGE },
	{ "17179869184G", -ERANGE },
	{ "18446744073709551616", -ERANGE },
	{ "99999999999999999999K", -ERANGE },
	{ "", -EINVAL },
	{ "M", -EINVAL },
	{ "16X", -EINVAL },
	{ "-1", -EINVAL },
};

static void size_case_desc(const struct size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->val);
}

KUNIT_ARRAY_PARAM(size, size_cases, size_case_desc);

static void hostile_size_param(struct kunit *test)
{
	const struct size_case *c = test->param_value;
	u64 size = 0;

	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_size(c->val, &size), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, size, c->size);
}

/* ---- the bound on a bus's windows ----------------------------------- */

struct saved_u64 {
	u64 *var;
	u64 old;
};

static void restore_u64(void *data)
{
	struct saved_u64 *s = data;

	WRITE_ONCE(*s->var, s->old);
}

/* No hot-add slack below 4 GiB for the case. */
static void set_slack_low(struct kunit *test, u64 val)
{
	struct saved_u64 *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->var = &pci_pvbus_slack[PCI_PVBUS_LOW];
	s->old = READ_ONCE(*s->var);
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_u64, s), 0);
	WRITE_ONCE(*s->var, val);
}

/* Hot add what the fake lists now; wait until @devfn was asked for @n times. */
static void bound_hot_add(struct kunit *test, struct pci_pvbus_fake *f,
			  struct pvbus_device *pdev, u32 devfn, unsigned int n)
{
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test,
			  pci_pvbus_fake_wait_log(f,
						  PVBUS_PCI_MSG_QUERY_RESOURCES,
						  devfn, n));
	flush_workqueue(pci_pvbus_fake_bus_of(pdev)->wq);
}

/*
 * A bus at its bound of windows takes no new one: a function that fits
 * the slack of its windows is still added, one that needs a new window is
 * refused, and the host is told nothing of it.  Below the bound again,
 * the host's next list adds it.
 */
static void hostile_window_bound(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	unsigned int nr_win, now;
	struct pci_pvbus *pb;

	set_slack_low(test, 0);
	pdev = hostile_bus(test, f, false, HOSTILE_ID + 13);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	/* The bus at its bound: the windows it has. */
	mutex_lock(&pb->lock);
	nr_win = pb->nr_win;
	pb->max_win = nr_win;
	mutex_unlock(&pb->lock);

	/* 01.0: 64K, 64-bit: into the slack of the window above 4 GiB. */
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0x7d01, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	bound_hot_add(test, f, pdev, 0x08, 1);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x08));

	/* 02.0: 64K, 32-bit: no window below 4 GiB, and none may be made. */
	pci_pvbus_fake_fn_init(&f->fn[2], 0x10, 0x7d02, 0);
	pci_pvbus_fake_bar(&f->fn[2], 0, SZ_64K, false, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[2]);
	bound_hot_add(test, f, pdev, 0x10, 1);
	KUNIT_EXPECT_FALSE(test, has_fn(pb, 0x10));
	KUNIT_EXPECT_EQ(test,
			pci_pvbus_fake_count_log(f,
						 PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						 0x10), 0U);

	/* It took no new window; its bound back, it may. */
	mutex_lock(&pb->lock);
	now = pb->nr_win;
	pb->max_win = PCI_PVBUS_MAX_WIN;
	mutex_unlock(&pb->lock);
	KUNIT_EXPECT_EQ(test, now, nr_win);

	/* Still listed: the next list adds it. */
	bound_hot_add(test, f, pdev, 0x10, 2);
	KUNIT_EXPECT_TRUE(test, has_fn(pb, 0x10));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 3U);
}

static struct kunit_case pci_pvbus_hostile_cases[] = {
	KUNIT_CASE(hostile_window_kept),
	KUNIT_CASE(hostile_window_over_foreign),
	KUNIT_CASE(hostile_used_bounded),
	KUNIT_CASE_PARAM(hostile_used_children, used_gen_params),
	KUNIT_CASE_PARAM(hostile_fn_refused, fn_refused_gen_params),
	KUNIT_CASE(hostile_mute_fn_hidden),
	KUNIT_CASE(hostile_other_bus_number),
	KUNIT_CASE(hostile_header_changes),
	KUNIT_CASE(hostile_retry_vendor_later),
	KUNIT_CASE(hostile_silent_host_no_global_lock),
	KUNIT_CASE(hostile_note_flood),
	KUNIT_CASE_PARAM(hostile_malformed_relations_asked_again,
			 malformed_gen_params),
	KUNIT_CASE(hostile_removed_and_back),
	KUNIT_CASE(hostile_lost_removed_and_back),
	KUNIT_CASE(hostile_lost_list_then_eject),
	KUNIT_CASE(hostile_lost_ejects_stop_when_bus_goes),
	KUNIT_CASE_PARAM(hostile_lost_eject_while_asking, asking_gen_params),
	KUNIT_CASE_PARAM(hostile_lost_eject_overtaken, overtaken_gen_params),
	KUNIT_CASE_PARAM(hostile_eject_during_probe, early_gen_params),
	KUNIT_CASE_PARAM(hostile_lists_during_probe, probe_list_gen_params),
	KUNIT_CASE_PARAM(hostile_eject_crossed_by_list, crossed_gen_params),
	KUNIT_CASE(hostile_eject_then_list_asked_for),
	KUNIT_CASE_PARAM(hostile_probe_fn_no_room, probe_room_gen_params),
	KUNIT_CASE_PARAM(hostile_hot_add_fn_no_room, probe_room_gen_params),
	KUNIT_CASE(hostile_new_fns_no_memory),
	KUNIT_CASE_PARAM(hostile_d0_retries, d0_gen_params),
	KUNIT_CASE_PARAM(hostile_d0_unsure_exits, d0_unsure_gen_params),
	KUNIT_CASE(hostile_d0_reset_releases_left_out),
	KUNIT_CASE_PARAM(hostile_assigned_timeout, released_gen_params),
	KUNIT_CASE_PARAM(hostile_unbind_during_hot_add, unbind_gen_params),
	KUNIT_CASE(hostile_probe_silent_host),
	KUNIT_CASE(hostile_gone_giving_back),
	KUNIT_CASE_PARAM(hostile_probe_killed, killed_gen_params),
	KUNIT_CASE(hostile_probe_timeouts_apart),
	KUNIT_CASE(hostile_rom_not_placed),
	KUNIT_CASE(hostile_io_bar_unassigned),
	KUNIT_CASE(hostile_undescribed_bar),
	KUNIT_CASE_PARAM(hostile_size_param, size_gen_params),
	KUNIT_CASE(hostile_window_bound),
	{}
};

static struct kunit_suite pci_pvbus_hostile_suite = {
	.name = "pci_pvbus_hostile",
	.test_cases = pci_pvbus_hostile_cases,
};

kunit_test_suite(pci_pvbus_hostile_suite);

MODULE_DESCRIPTION("KUnit tests of pci-pvbus against a hostile host");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
