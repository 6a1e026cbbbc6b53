// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests that drive pci-pvbus on the real bus against a fake host
 * (pci_pvbus_live).
 *
 * The fake host (pci-pvbus-fakehost.h) registers with the bus root, offers
 * a paravirtual PCI bus and plays the host's side of <linux/pvbus_pci.h>:
 * it answers requests from send() and emulates the trapped config window
 * through the window ops, with a config space per function whose BARs size
 * like real ones.
 * The driver binds to the offered device, and the cases check what a host
 * and the guest's PCI core would see: the messages in their order, the
 * config window's place, the BARs in config space, the devices on the new
 * root bus, hot add and eject, teardown, and that the bus's MMIO space is
 * left as it was.
 *
 * The suite needs a bus root: under kunit.py on UML, boot with
 * pvbus.mmio=64M@0xc0000000,256M@0x100000000 (--kernel_args).  Without
 * one, or with another host attached, the cases are skipped.  Without a
 * window below 4 GiB, the parts about 32-bit BARs are left out.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "pci-pvbus.h"
#include "pci-pvbus-fakehost.h"
#include "pci-pvbus-test.h"
#include "../../pvbus/kunit_param.h"

#define GIB4		0x100000000ULL

static unsigned int count_log(struct pci_pvbus_fake *f, u16 type, u32 devfn)
{
	return pci_pvbus_fake_count_log(f, type, devfn);
}

static bool wait_log(struct pci_pvbus_fake *f, u16 type, u32 devfn,
		     unsigned int n)
{
	return pci_pvbus_fake_wait_log(f, type, devfn, n);
}

/* Where the bus would put 8 KiB above and below 4 GiB, right now. */
struct space_mark {
	u64 high;
	u64 low;	/* 0: no window below 4 GiB */
};

static u64 try_alloc(struct pvbus_device *pdev, enum pvbus_mmio_zone zone,
		     u64 size, u64 align)
{
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-test probe", .size = size, .align = align,
		.zone = zone,
	};
	struct resource *res = pvbus_device_mmio_alloc(pdev, &req);
	u64 start;

	if (IS_ERR(res))
		return 0;
	start = res->start;
	pvbus_device_mmio_free(pdev, res);
	return start;
}

static void space_mark(struct kunit *test, struct pci_pvbus_fake *f,
		       struct space_mark *m, u8 id)
{
	struct pvbus_device *probe =
		pci_pvbus_fake_offer(test, f, &pci_pvbus_fake_probe_class, id);

	m->high = try_alloc(probe, PVBUS_MMIO_HIGH, SZ_8K, SZ_4K);
	m->low = try_alloc(probe, PVBUS_MMIO_LOW, SZ_8K, SZ_4K);
	pci_pvbus_fake_unoffer(probe);
	KUNIT_ASSERT_NE_MSG(test, m->high, 0ULL,
			    "the bus has no room above 4 GiB");
}

/* A free 1M above 4 GiB that stays free after the config window. */
static u64 free_high_1m(struct kunit *test, struct pci_pvbus_fake *f, u8 id)
{
	struct pvbus_device *probe =
		pci_pvbus_fake_offer(test, f, &pci_pvbus_fake_probe_class, id);
	struct pvbus_mmio_req req = {
		.name = "pci-pvbus-test cfg", .size = SZ_8K, .align = SZ_4K,
		.zone = PVBUS_MMIO_HIGH,
	};
	struct resource *cfg = pvbus_device_mmio_alloc(probe, &req);
	u64 addr;

	KUNIT_ASSERT_FALSE(test, IS_ERR(cfg));
	addr = try_alloc(probe, PVBUS_MMIO_HIGH, SZ_1M, SZ_1M);
	pvbus_device_mmio_free(probe, cfg);
	pci_pvbus_fake_unoffer(probe);
	KUNIT_ASSERT_NE(test, addr, 0ULL);
	return addr;
}

/*
 * 00.0, with a 16K BAR, and 01.0, which the host preserved with a 1M BAR
 * at a free address above 4 GiB (found through a device of @probe_id),
 * returned.
 */
static u64 preserved_pair(struct kunit *test, struct pci_pvbus_fake *f,
			  u16 device, u8 probe_id)
{
	u64 host = free_high_1m(test, f, probe_id);

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, device, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_16K, true, false, 0);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, device + 1,
			       PVBUS_PCI_FN_PRESERVE);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_1M, true, false, host);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	return host;
}

/*
 * BAR @b of the function at @devfn: claimed, where config space says, and
 * where the host was told; returns its start.
 */
static u64 check_bar(struct kunit *test, struct pci_pvbus_fake *f,
		     struct pci_pvbus *pb, u32 devfn, unsigned int b, u64 size)
{
	struct pci_pvbus_fake_fn *fn = pci_pvbus_fake_find(f, devfn);
	struct pci_dev *pdev = pci_pvbus_fake_get_fn(pb, devfn);
	struct resource *r;
	u32 lo, hi = 0;
	u64 start;

	KUNIT_ASSERT_NOT_NULL(test, fn);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device at devfn %#x", devfn);
	r = &pdev->resource[b];
	start = r->start;
	KUNIT_EXPECT_NOT_NULL_MSG(test, r->parent, "%#x BAR %u unclaimed",
				  devfn, b);
	KUNIT_EXPECT_EQ(test, (u64)resource_size(r), size);
	KUNIT_EXPECT_EQ(test, start % size, 0ULL);

	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * b, &lo);
	if (r->flags & IORESOURCE_MEM_64)
		pci_read_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * b + 4,
				      &hi);
	KUNIT_EXPECT_EQ(test, (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK),
			start);
	KUNIT_EXPECT_EQ(test,
			le64_to_cpu(f->assigned[fn - f->fn].addr[b]), start);
	pci_dev_put(pdev);
	return start;
}

/* ---- the cases ------------------------------------------------------ */

static void restore_slack(void *data)
{
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], (unsigned long)data);
}

/* A bus with three functions, eject, hot add twice, remove. */
static void live_bus(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_pci_devfn_msg ej = {};
	struct space_mark before, after;
	struct pvbus_device *pdev;
	struct pci_pvbus_win *w;
	struct pci_pvbus *pb;
	u64 host, a0, a2, d0;
	unsigned int i;
	void *old_slack;
	bool low;

	/* 4M of slack: the case fits the 16M of a small bus root. */
	old_slack = (void *)(unsigned long)pci_pvbus_slack[PCI_PVBUS_HIGH];
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_slack,
						   old_slack), 0);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], SZ_4M);

	space_mark(test, f, &before, 1);
	low = before.low;
	host = free_high_1m(test, f, 2);

	/* 00.0: 64-bit 16K, 64-bit prefetchable 4M, 32-bit 1M. */
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa000, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_16K, true, false, 0);
	pci_pvbus_fake_bar(&f->fn[0], 2, SZ_4M, true, true, 0);
	if (low)
		pci_pvbus_fake_bar(&f->fn[0], 4, SZ_1M, false, false, 0);
	/* 01.1, without a function 0 in its slot: 64-bit 64K. */
	pci_pvbus_fake_fn_init(&f->fn[1], 0x09, 0xa001, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	/* 02.0, preserved: its 1M BAR stays where the host put it. */
	pci_pvbus_fake_fn_init(&f->fn[2], 0x10, 0xa002, PVBUS_PCI_FN_PRESERVE);
	pci_pvbus_fake_bar(&f->fn[2], 0, SZ_1M, true, false, host);
	for (i = 0; i < 3; i++)
		pci_pvbus_fake_cfg_init(&f->fn[i]);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 3);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev->dev.driver, "pci-pvbus did not bind");
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, pb->version, (u16)PVBUS_PCI_VERSION_1_1);
	KUNIT_EXPECT_EQ(test, f->window_errors, 0U);
	{
		static const u16 order[] = {
			PVBUS_PCI_MSG_QUERY_VERSION,
			PVBUS_PCI_MSG_QUERY_RELATIONS,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_QUERY_RESOURCES,
			PVBUS_PCI_MSG_D0_ENTRY,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
			PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		};

		pci_pvbus_fake_expect_log(test, f, order, ARRAY_SIZE(order));
	}

	/* The config window: above 4 GiB, busy, told to the host. */
	KUNIT_ASSERT_NOT_NULL(test, pb->cfg);
	KUNIT_EXPECT_GE(test, (u64)pb->cfg->start, GIB4);
	KUNIT_EXPECT_EQ(test, (u64)pb->cfg->start % SZ_4K, 0ULL);
	KUNIT_EXPECT_EQ(test, (u64)resource_size(pb->cfg),
			(u64)PVBUS_PCI_CFG_WINDOW_SIZE);
	KUNIT_EXPECT_EQ(test, f->cfg_base, (u64)pb->cfg->start);
	/* Marked busy by one region that covers it whole. */
	KUNIT_ASSERT_NOT_NULL(test, pb->cfg->child);
	KUNIT_EXPECT_TRUE(test, pb->cfg->child->flags & IORESOURCE_BUSY);
	KUNIT_EXPECT_EQ(test, pb->cfg->child->start, pb->cfg->start);
	KUNIT_EXPECT_EQ(test, pb->cfg->child->end, pb->cfg->end);
	KUNIT_EXPECT_NULL(test, pb->cfg->child->sibling);
	KUNIT_EXPECT_EQ(test, before.high, (u64)pb->cfg->start);

	/* Config space is never BAR space. */
	list_for_each_entry(w, &pb->wins, node)
		KUNIT_EXPECT_FALSE(test, pvbus_ranges_overlap(w->res.start,
							      w->res.end,
							      pb->cfg->start,
							      pb->cfg->end));

	/* Exactly the listed functions, at the devfns the host gave. */
	KUNIT_ASSERT_NOT_NULL(test, pb->bus);
	KUNIT_EXPECT_NE(test, pb->domain + pb->busnr, 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 3U);

	/* BARs: planned, claimed, in config space, told to the host. */
	a0 = check_bar(test, f, pb, 0x00, 0, SZ_16K);
	a2 = check_bar(test, f, pb, 0x00, 2, SZ_4M);
	KUNIT_EXPECT_GE(test, a0, GIB4);
	KUNIT_EXPECT_GE(test, a2, GIB4);
	{
		struct pci_dev *p = pci_pvbus_fake_get_fn(pb, 0x00);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE(test, p->resource[2].flags &
				  IORESOURCE_PREFETCH);
		KUNIT_EXPECT_TRUE(test, p->resource[2].flags &
				  IORESOURCE_MEM_64);
		pci_dev_put(p);
	}
	/* Largest first: the 4M BAR at the window's start, 16K after. */
	KUNIT_EXPECT_EQ(test, a0, a2 + SZ_4M + SZ_64K);
	if (low)
		KUNIT_EXPECT_LT(test, check_bar(test, f, pb, 0x00, 4, SZ_1M),
				GIB4);
	KUNIT_EXPECT_GE(test, check_bar(test, f, pb, 0x09, 0, SZ_64K), GIB4);
	KUNIT_EXPECT_EQ(test, check_bar(test, f, pb, 0x10, 0, SZ_1M), host);

	/* Eject 01.1. */
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x09);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x09,
					 1));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);
	KUNIT_EXPECT_NULL(test, pci_pvbus_fake_get_fn(pb, 0x09));
	pci_pvbus_fake_set_listed(f, &f->fn[1], false);

	/* Hot add 03.0 with a 2M BAR: it fits in the 4M slack. */
	pci_pvbus_fake_fn_init(&f->fn[3], 0x18, 0xa003, 0);
	pci_pvbus_fake_bar(&f->fn[3], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[3]);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 0x18, 1));
	d0 = check_bar(test, f, pb, 0x18, 0, SZ_2M);
	KUNIT_EXPECT_GE(test, d0, a2);
	KUNIT_EXPECT_EQ(test, d0, a2 + SZ_4M + SZ_2M);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 3U);

	/* Hot add 04.0 with a 32-bit BAR: no slack below, a new window. */
	if (low) {
		unsigned int before_win = pb->nr_win;

		pci_pvbus_fake_fn_init(&f->fn[4], 0x20, 0xa004, 0);
		pci_pvbus_fake_bar(&f->fn[4], 1, SZ_256K, false, false, 0);
		pci_pvbus_fake_cfg_init(&f->fn[4]);
		pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					   0x20, 1));
		KUNIT_EXPECT_LT(test, check_bar(test, f, pb, 0x20, 1, SZ_256K),
				GIB4);
		KUNIT_EXPECT_EQ(test, pb->nr_win, before_win + 1);

		/* Ejected, it gives the window grown for it back. */
		pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x20);
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE,
					   0x20, 1));
		pci_pvbus_fake_set_listed(f, &f->fn[4], false);
		KUNIT_EXPECT_EQ(test, pb->nr_win, before_win);
		KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 3U);
	}

	/*
	 * A host that ejects what it never listed is ignored: once the bus's
	 * work has handled the notification, no EJECT_COMPLETE.  Given to
	 * the driver's notify() straight, not through the channel, whose own
	 * work item delivers it at a time the test cannot wait for.
	 */
	pvbus_msg_init(&ej.hdr, PVBUS_PCI_MSG_EJECT, pb->version, sizeof(ej));
	ej.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	ej.devfn = cpu_to_le32(0x77);
	f->nr_log = 0;
	pci_pvbus_notify(pdev, &ej, sizeof(ej));
	flush_workqueue(pb->wq);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x77),
			0U);
	KUNIT_EXPECT_EQ(test, f->window_errors, 0U);

	/* Remove: resources released, then D0 exit; the space as it was. */
	f->nr_log = 0;
	pci_pvbus_fake_unoffer(pdev);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					~0U), 3U);
	KUNIT_ASSERT_GE(test, f->nr_log, 1U);
	KUNIT_EXPECT_EQ(test, f->log[f->nr_log - 1].type,
			(u16)PVBUS_PCI_MSG_D0_EXIT);
	KUNIT_EXPECT_FALSE(test, f->d0);

	space_mark(test, f, &after, 4);
	KUNIT_EXPECT_EQ(test, after.high, before.high);
	KUNIT_EXPECT_EQ(test, after.low, before.low);
}

/*
 * 01.0 vanishes from config space once the host took its resources; the
 * host answers its release with @status.
 */
static struct {
	bool gone;
	u32 status;
	int held;
} vanish;

static int vanish_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			 const void *req, size_t req_len, void *resp,
			 size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *m = req;
	struct pci_pvbus *pb = pci_pvbus_fake_bus_of(pdev);
	u16 type = le16_to_cpu(m->hdr.type);
	struct pci_pvbus_win *w;

	/* Both requests start as a devfn message does. */
	if ((type != PVBUS_PCI_MSG_ASSIGNED_RESOURCES &&
	     type != PVBUS_PCI_MSG_RELEASED_RESOURCES) ||
	    req_len < sizeof(*m) || le32_to_cpu(m->devfn) != 0x08)
		return PCI_PVBUS_FAKE_NOW;
	switch (type) {
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		WRITE_ONCE(vanish.gone, true);
		break;
	case PVBUS_PCI_MSG_RELEASED_RESOURCES:
		/* Sent by the thread that owns the windows: no lock to take. */
		vanish.held = 0;
		list_for_each_entry(w, &pb->wins, node)
			if (w->kind == PCI_PVBUS_WIN_FIXED && w->fn &&
			    w->fn->desc.devfn == 0x08)
				vanish.held++;
		((struct pvbus_msg_hdr *)resp)->status =
			cpu_to_le32(vanish.status);
		break;
	}
	return PCI_PVBUS_FAKE_NOW;
}

static void vanish_cfg_read(struct pci_pvbus_fake *f,
			    struct pci_pvbus_fake_fn *fn, unsigned int off,
			    unsigned int size, u32 *val)
{
	if (fn && fn->devfn == 0x08 && READ_ONCE(vanish.gone))
		*val = ~0U;
}

/*
 * The pair offered, 01.0 vanishing once the host took its resources, and
 * its release answered with @status: 00.0 alone on the bus, and one
 * RELEASED_RESOURCES sent for 01.0.  Its device in *@pdevp; returns 01.0's
 * host address.
 */
static u64 vanished_pair(struct kunit *test, struct pci_pvbus_fake *f,
			 u32 status, u16 device, u8 id,
			 struct pvbus_device **pdevp)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = vanish_answer,
		.cfg_read = vanish_cfg_read,
	};
	struct pci_pvbus *pb;
	u64 host;

	vanish.gone = false;
	vanish.status = status;
	vanish.held = -1;
	host = preserved_pair(test, f, device, id);
	f->hooks = &hooks;
	*pdevp = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, id + 1);
	f->hooks = NULL;
	pb = pci_pvbus_fake_bus_of(*pdevp);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x08), 1U);
	return host;
}

/*
 * A preserved function that the host took but that cannot go on the bus
 * (it no longer answers in config space) keeps its fixed window until the
 * host has been told it is released: given back before, another bus could
 * be placed there and tell its host while this one still decodes it.
 */
static void live_dropped_fn_window_kept_until_released(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	vanished_pair(test, f, PVBUS_STATUS_SUCCESS, 0xa030, 15, &pdev);
	KUNIT_EXPECT_EQ_MSG(test, vanish.held, 1,
			    "01.0's fixed window went back before the host heard of its release");
}

/*
 * The same function, whose release the host refuses: its BAR stays held
 * for as long as the bus lives, and is free again once it goes.
 */
static void live_dropped_unconfirmed_bar_held(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	u64 host;

	host = vanished_pair(test, f, PVBUS_STATUS_REFUSED, 0xa060, 34, &pdev);
	KUNIT_EXPECT_NE_MSG(test, free_high_1m(test, f, 36), host,
			    "01.0's BAR went back though the host refused its release");
	pci_pvbus_fake_unoffer(pdev);
	KUNIT_EXPECT_EQ(test, free_high_1m(test, f, 37), host);
}

/*
 * The same function, which the host no longer has when its release comes
 * (NOT_FOUND: it took the function away meanwhile): the host decodes
 * nothing of it, and its BAR goes back with the function.
 */
static void live_dropped_gone_from_host_bar_freed(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	u64 host;

	host = vanished_pair(test, f, PVBUS_STATUS_NOT_FOUND, 0xa070, 38,
			     &pdev);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_bus_of(pdev)->nr_held, 0U);
	KUNIT_EXPECT_EQ_MSG(test, free_high_1m(test, f, 40), host,
			    "01.0's BAR held though the host no longer has 01.0");
}

/* When 01.0's EJECT_COMPLETE is sent: how many fixed windows it holds. */
static int eject_held;

static int eject_answer(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			const void *req, size_t req_len, void *resp,
			size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *m = req;
	struct pci_pvbus *pb = pci_pvbus_fake_bus_of(pdev);
	struct pci_pvbus_win *w;

	if (le16_to_cpu(m->hdr.type) != PVBUS_PCI_MSG_EJECT_COMPLETE ||
	    req_len < sizeof(*m) || le32_to_cpu(m->devfn) != 0x08)
		return PCI_PVBUS_FAKE_NOW;
	/* Sent by the thread that owns the windows: no lock to take. */
	eject_held = 0;
	list_for_each_entry(w, &pb->wins, node)
		if (w->kind == PCI_PVBUS_WIN_FIXED && w->fn &&
		    w->fn->desc.devfn == 0x08)
			eject_held++;
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * The pair offered, both on the bus; then 01.0 ejected, with @hooks on.
 * Its device in *@pdevp, if not NULL.
 */
static struct pci_pvbus *
preserved_pair_ejected(struct kunit *test, struct pci_pvbus_fake *f, u8 id,
		       const struct pci_pvbus_fake_hooks *hooks,
		       struct pvbus_device **pdevp)
{
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, id);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);

	f->hooks = hooks;
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x08);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x08,
					 1));
	flush_workqueue(pb->wq);
	f->hooks = NULL;
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	if (pdevp)
		*pdevp = pdev;
	return pb;
}

/*
 * An ejected preserved function keeps its fixed window until the host
 * has been told the eject is complete: until then the host may decode its
 * BARs, and a window given back before could be placed for another bus.
 */
static void live_ejected_fn_window_kept_until_complete(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = eject_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);

	eject_held = -1;
	preserved_pair(test, f, 0xa040, 18);
	preserved_pair_ejected(test, f, 19, &hooks, NULL);
	KUNIT_EXPECT_EQ_MSG(test, eject_held, 1,
			    "01.0's fixed window went back before the host heard the eject was complete");
}

/* The host answers 01.0's EJECT_COMPLETE with this status. */
static u32 eject_status;

static int eject_status_answer(struct pci_pvbus_fake *f,
			       struct pvbus_device *pdev, const void *req,
			       size_t req_len, void *resp, size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *m = req;
	struct pvbus_msg_hdr *hdr = resp;

	if (le16_to_cpu(m->hdr.type) == PVBUS_PCI_MSG_EJECT_COMPLETE &&
	    req_len >= sizeof(*m) && le32_to_cpu(m->devfn) == 0x08)
		hdr->status = cpu_to_le32(eject_status);
	return PCI_PVBUS_FAKE_NOW;
}

/*
 * A host that does not confirm an eject may still decode the function's
 * BARs: each stays taken, in the window that holds it, for as long as the
 * bus lives, and nothing else is placed there, nor requested (a held BAR
 * is busy: what nested in it would be left with a freed parent when the
 * bus frees it); when the bus goes, the range is free again.  Before, the
 * fixed window went back at once.
 */
static void live_eject_unconfirmed_bar_held(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = eject_status_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pci_pvbus_held *held;
	struct pvbus_device *pdev;
	struct resource *region;
	struct pci_pvbus *pb;
	u64 host;

	eject_status = PVBUS_STATUS_REFUSED;
	host = preserved_pair(test, f, 0xa050, 30);
	pb = preserved_pair_ejected(test, f, 31, &hooks, &pdev);

	pci_lock_rescan_remove();
	held = list_first_entry_or_null(&pb->held, struct pci_pvbus_held,
					node);
	KUNIT_EXPECT_EQ(test, pb->nr_held, 1U);
	if (held) {
		KUNIT_EXPECT_EQ(test, (u64)held->res.start, host);
		KUNIT_EXPECT_EQ(test, (u64)resource_size(&held->res),
				(u64)SZ_1M);
		KUNIT_EXPECT_NOT_NULL(test, held->res.parent);
	}
	pci_unlock_rescan_remove();
	KUNIT_EXPECT_NE_MSG(test, free_high_1m(test, f, 32), host,
			    "01.0's BAR went back though the host did not confirm the eject");
	/* Nor can a driver's region go there: the bus frees it unasked. */
	region = request_mem_region(host, SZ_4K, "pci-pvbus-test region");
	KUNIT_EXPECT_PTR_EQ_MSG(test, region, NULL,
				"a region was requested in a held BAR");
	if (region)
		release_mem_region(host, SZ_4K);

	pci_pvbus_fake_unoffer(pdev);
	KUNIT_EXPECT_EQ(test, free_high_1m(test, f, 33), host);
}

/*
 * EJECT of @devfn, then of 00.0, which is on the bus: once 00.0's is
 * answered, @devfn's was handled (notifications are handled in order).
 */
static void eject_then_mark(struct kunit *test, struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev, u32 devfn)
{
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, devfn);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x00);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x00,
					 1));
}

/*
 * A host that did not confirm an eject and ejects the function again gets
 * its EJECT_COMPLETE again; once one is confirmed, another eject is
 * ignored.  Before, the repeated eject was ignored as one of a function
 * never listed, and such a host waited for an answer for ever.
 */
static void live_eject_unconfirmed_answered_again(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = eject_status_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	eject_status = PVBUS_STATUS_REFUSED;
	preserved_pair(test, f, 0xa0a0, 60);
	preserved_pair_ejected(test, f, 61, &hooks, &pdev);

	/* Refused once; now confirmed. */
	eject_status = PVBUS_STATUS_SUCCESS;
	f->hooks = &hooks;
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x08);
	KUNIT_EXPECT_TRUE_MSG(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE,
					     0x08, 2),
			      "01.0's repeated eject was not answered");

	eject_then_mark(test, f, pdev, 0x08);
	KUNIT_EXPECT_EQ_MSG(test,
			    count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x08),
			    2U, "an eject after a confirmed one was answered");
}

/*
 * An unconfirmed eject is over once the host lists the devfn again: that
 * names another function.  Removed by a list that leaves it out, that
 * one's eject is ignored like any eject of a function not listed.
 */
static void live_eject_unconfirmed_then_listed_again(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = eject_status_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;
	unsigned int added;

	eject_status = PVBUS_STATUS_REFUSED;
	preserved_pair(test, f, 0xa0b0, 62);
	pb = preserved_pair_ejected(test, f, 63, &hooks, &pdev);

	/* Another function at 01.0, hot added, then taken away. */
	added = count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES, 0x08);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xa0b2, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	pci_pvbus_fake_set_listed(f, &f->fn[1], true);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 0x08, added + 1));
	flush_workqueue(pb->wq);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 2U);
	pci_pvbus_fake_set_listed(f, &f->fn[1], false);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);

	eject_then_mark(test, f, pdev, 0x08);
	KUNIT_EXPECT_EQ_MSG(test,
			    count_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x08),
			    1U, "the eject of a function taken away was answered");
}

/*
 * The host answers 01.0's EJECT_COMPLETE with NOT_FOUND, as one that took
 * 01.0 away while the eject was pending does (the fake keeps 01.0: only
 * the answer is tested; the guest tests 40-pci.sh and the soak make the
 * crossing itself): it no longer has the function and decodes nothing of
 * it, so its BAR goes back with it.
 */
static void live_eject_gone_from_host_bar_freed(struct kunit *test)
{
	static const struct pci_pvbus_fake_hooks hooks = {
		.answer = eject_status_answer,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pci_pvbus *pb;
	u64 host;

	eject_status = PVBUS_STATUS_NOT_FOUND;
	host = preserved_pair(test, f, 0xa080, 41);
	pb = preserved_pair_ejected(test, f, 42, &hooks, NULL);

	KUNIT_EXPECT_EQ(test, pb->nr_held, 0U);
	KUNIT_EXPECT_EQ_MSG(test, free_high_1m(test, f, 43), host,
			    "01.0's BAR held though the host no longer has 01.0");
}

/*
 * A function the guest removed through sysfs stays off the bus when the
 * PCI core rescans it: a rescan would put it back with BARs the PCI core
 * places itself, and a ROM, where the host was never told.  Only a new
 * offer of the host brings it back.
 */
static void live_removed_fn_not_rescanned(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct pci_pvbus *pb;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa020, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xa021, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 14);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	/* What "echo 1 > /sys/bus/pci/devices/.../remove" does. */
	dev = pci_pvbus_fake_get_fn(pb, 0x08);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	pci_stop_and_remove_bus_device_locked(dev);
	pci_dev_put(dev);

	/* What "echo 1 > /sys/bus/pci/rescan" does to the bus. */
	pci_lock_rescan_remove();
	pci_rescan_bus(pb->bus);
	pci_unlock_rescan_remove();

	dev = pci_pvbus_fake_get_fn(pb, 0x08);
	KUNIT_EXPECT_PTR_EQ_MSG(test, dev, NULL,
				"a rescan put 01.0 back, out of the host's sight");
	pci_dev_put(dev);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
}

/*
 * The host has the BARs where they were told to it: the PCI core must
 * not resize them (sysfs resourceN_resize, or a driver such as amdgpu
 * that calls pci_resize_resource()), which moves them without a word to
 * the host.  The function has a Resizable BAR capability and its memory
 * decoding is off, as a driver leaves it before a resize; the host
 * bridge preserves the configuration, so the PCI core refuses.
 */
static void live_bar_resize_refused(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct pci_pvbus *pb;
	u64 start;
	u16 cmd;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa040, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	/* 1, 2, 4 or 8 MiB. */
	pci_pvbus_fake_rebar(&f->fn[0], 0xf);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 16);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	start = dev->resource[0].start;
	KUNIT_EXPECT_TRUE_MSG(test, pb->bridge->preserve_config,
			      "the host bridge lets the PCI core move BARs");
	KUNIT_EXPECT_EQ(test, pci_rebar_get_possible_sizes(dev, 0), 0xfU);

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	pci_write_config_word(dev, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_LT(test, pci_resize_resource(dev, 0, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, dev->resource[0].start, start);
	KUNIT_EXPECT_EQ(test, pci_resource_len(dev, 0), (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, f->fn[0].emul.desc.bar[0].size, (u64)SZ_2M);
	pci_write_config_word(dev, PCI_COMMAND, cmd);
	pci_dev_put(dev);
}

/*
 * A function with SR-IOV: the PCI core sizes its VF BARs, which the
 * protocol has no words for and the host places nowhere.  They are left
 * unassigned, so that a rescan does not place them in the bus's windows
 * out of the host's sight; enabling VFs then fails, as it should.
 */
static void live_sriov_vf_bars_unassigned(struct kunit *test)
{
#ifdef CONFIG_PCI_IOV
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct pci_pvbus *pb;
	unsigned int i;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa030, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_sriov(&f->fn[0], 4, SZ_1M);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 15);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_TRUE_MSG(test, dev->is_physfn,
			      "the PCI core found no SR-IOV capability");

	/* What "echo 1 > /sys/bus/pci/rescan" does to the bus. */
	pci_lock_rescan_remove();
	pci_rescan_bus(pb->bus);
	pci_unlock_rescan_remove();

	for (i = PCI_IOV_RESOURCES; i <= PCI_IOV_RESOURCE_END; i++)
		KUNIT_EXPECT_PTR_EQ_MSG(test, dev->resource[i].parent, NULL,
					"VF BAR %u placed at %pR",
					i - PCI_IOV_RESOURCES,
					&dev->resource[i]);
	pci_dev_put(dev);
#else
	kunit_skip(test, "no CONFIG_PCI_IOV");
#endif
}

/*
 * A function whose device the guest removed through sysfs keeps its BARs
 * on the host's side (nothing told the host otherwise): a hot add must
 * not be placed on them, and their window is not given back.
 */
static void live_removed_fn_keeps_bars(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	unsigned int nr_win;
	struct pci_pvbus *pb;
	void *old_slack;
	u64 a1, a2;

	old_slack = (void *)(unsigned long)pci_pvbus_slack[PCI_PVBUS_HIGH];
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_slack,
						   old_slack), 0);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], SZ_4M);

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa010, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xa011, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_cfg_init(&f->fn[1]);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 10);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	a1 = check_bar(test, f, pb, 0x08, 0, SZ_2M);

	/* What "echo 1 > /sys/bus/pci/devices/.../remove" does. */
	dev = pci_pvbus_fake_get_fn(pb, 0x08);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	pci_stop_and_remove_bus_device_locked(dev);
	pci_dev_put(dev);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x08), 0U);

	/* Hot add 02.0 with a 2M BAR. */
	pci_pvbus_fake_fn_init(&f->fn[2], 0x10, 0xa012, 0);
	pci_pvbus_fake_bar(&f->fn[2], 0, SZ_2M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[2]);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 0x10, 1));
	a2 = check_bar(test, f, pb, 0x10, 0, SZ_2M);
	KUNIT_EXPECT_FALSE_MSG(test, pvbus_ranges_overlap(a1, a1 + SZ_2M - 1,
							  a2, a2 + SZ_2M - 1),
			       "02.0 placed at %#llx, on 01.0's BAR the host still has",
			       a2);

	/*
	 * 03.0 needs more than the slack: a window grown for it.  Removed
	 * through sysfs, it keeps the window when 02.0's eject sweeps the
	 * empty ones: the host still has its BAR there.
	 */
	pci_pvbus_fake_fn_init(&f->fn[3], 0x18, 0xa013, 0);
	pci_pvbus_fake_bar(&f->fn[3], 0, SZ_8M, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[3]);
	nr_win = pb->nr_win;
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 0x18, 1));
	KUNIT_EXPECT_EQ(test, pb->nr_win, nr_win + 1);
	dev = pci_pvbus_fake_get_fn(pb, 0x18);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	pci_stop_and_remove_bus_device_locked(dev);
	pci_dev_put(dev);
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x10);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x10,
					 1));
	pci_pvbus_fake_set_listed(f, &f->fn[2], false);
	/* EJECT_COMPLETE is logged as it is sent; the sweep comes after. */
	flush_workqueue(pb->wq);
	KUNIT_EXPECT_EQ(test, pb->nr_win, nr_win + 1);
	pci_pvbus_fake_unoffer(pdev);
}

/* A host that speaks only 1.0. */
static void live_version_fallback(struct kunit *test)
{
	static const u16 order[] = {
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_RELATIONS,
		PVBUS_PCI_MSG_QUERY_RESOURCES,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	f->max_version = PVBUS_PCI_VERSION_1_0;
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xb000, PVBUS_PCI_FN_PRESERVE);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 5);
	KUNIT_ASSERT_NOT_NULL(test, pci_pvbus_fake_bus_of(pdev));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_bus_of(pdev)->version,
			(u16)PVBUS_PCI_VERSION_1_0);
	pci_pvbus_fake_expect_log(test, f, order, ARRAY_SIZE(order));
	check_bar(test, f, pci_pvbus_fake_bus_of(pdev), 0x00, 0, SZ_64K);
}

/* A host still holding a crashed kernel's state: exit D0 and retry. */
static void live_d0_retry(struct kunit *test)
{
	static const u16 order[] = {
		PVBUS_PCI_MSG_QUERY_VERSION,
		PVBUS_PCI_MSG_QUERY_RELATIONS,
		PVBUS_PCI_MSG_QUERY_RESOURCES,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_RELEASED_RESOURCES,
		PVBUS_PCI_MSG_D0_EXIT,
		PVBUS_PCI_MSG_D0_ENTRY,
		PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	};
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;

	f->refuse_d0 = 1;
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xc000, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 6);
	KUNIT_ASSERT_NOT_NULL(test, pci_pvbus_fake_bus_of(pdev));
	pci_pvbus_fake_expect_log(test, f, order, ARRAY_SIZE(order));
	KUNIT_EXPECT_TRUE(test, f->d0);
}

/* A function whose BARs make no sense is left out, but can be ejected. */
static void live_left_out(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xe000, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xe001, 0);
	f->fn[1].probed[0] = 0xffe0a000;	/* not a power of two */
	pci_pvbus_fake_cfg_init(&f->fn[1]);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 12);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_QUERY_RESOURCES, ~0U),
			2U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 1U);

	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, 0x08);
	KUNIT_EXPECT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x08,
					 1));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
}

/* A function whose resources the host refuses stays off the bus. */
static void live_assigned_refused(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	f->refuse_assigned = 0x08 + 1;
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xf000, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xf001, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[1]);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 13);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 2U);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	KUNIT_EXPECT_NULL(test, pci_pvbus_fake_get_fn(pb, 0x08));

	/* Teardown releases only what the host took. */
	pci_pvbus_fake_unoffer(pdev);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x00), 1U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					0x08), 0U);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_D0_EXIT, ~0U), 1U);
}

struct fail_case {
	const char *name;
	unsigned int refuse_d0;
	bool dup_devfns;
	u16 last;	/* the last request the host sees */
};

static const struct fail_case fail_cases[] = {
	{ "D0 refused twice", 2, false, PVBUS_PCI_MSG_D0_ENTRY },
	{ "relations list a devfn twice", 0, true,
	  PVBUS_PCI_MSG_QUERY_RELATIONS },
};

KUNIT_ARRAY_PARAM_DESC(fail, fail_cases, name);

/* Probe fails cleanly: no driver, nothing left allocated. */
static void live_probe_fails(struct kunit *test)
{
	const struct fail_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct space_mark before, after;
	struct pvbus_device *pdev;

	space_mark(test, f, &before, 7);
	f->refuse_d0 = c->refuse_d0;
	f->dup_devfns = c->dup_devfns;
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xd000, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_fn_init(&f->fn[1], 0x08, 0xd001, 0);
	pci_pvbus_fake_bar(&f->fn[1], 0, SZ_64K, true, false, 0);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 8);
	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, pci_pvbus_fake_bus_of(pdev));
	KUNIT_ASSERT_GE(test, f->nr_log, 1U);
	KUNIT_EXPECT_EQ(test, f->log[f->nr_log - 1].type, c->last);
	KUNIT_EXPECT_EQ(test, count_log(f, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					~0U), 0U);
	space_mark(test, f, &after, 9);
	KUNIT_EXPECT_EQ(test, after.high, before.high);
	KUNIT_EXPECT_EQ(test, after.low, before.low);
}

static void restore_cfg_mode(void *data)
{
	WRITE_ONCE(pci_pvbus_cfg_mode, (int)(long)data);
}

/*
 * cfg_window=legacy reproduces the old placement: the lowest address that
 * nothing reserved, allocated or claimed takes.
 */
static void live_cfg_legacy(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct space_mark before;
	struct pvbus_device *pdev;
	struct pci_pvbus *pb;

	space_mark(test, f, &before, 10);
	if (!before.low)
		kunit_skip(test, "the bus has no window below 4 GiB");
	KUNIT_ASSERT_EQ(test,
			pci_pvbus_test_defer(test, restore_cfg_mode,
					     (void *)(long)pci_pvbus_cfg_mode),
			0);
	WRITE_ONCE(pci_pvbus_cfg_mode, PCI_PVBUS_CFG_LEGACY);

	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 11);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_EXPECT_EQ(test, (u64)pb->cfg->start, before.low);
	KUNIT_EXPECT_LT(test, (u64)pb->cfg->start, GIB4);
}

/* ---- windows that grow on demand ------------------------------------- */

#define GROW_SNAP_SIZE	(16 * 1024)

/*
 * iomem as text, one line per resource with its depth.  Without
 * resource_lock (not exported): the case changes iomem only through the
 * bus it drives, and waits for it before each snapshot.
 */
static size_t grow_walk(struct resource *parent, char *buf, size_t pos,
			unsigned int depth)
{
	struct resource *r;

	for (r = parent->child; r && pos < GROW_SNAP_SIZE; r = r->sibling) {
		pos += scnprintf(buf + pos, GROW_SNAP_SIZE - pos,
				 "%u %llx-%llx %lx %s\n", depth, (u64)r->start,
				 (u64)r->end, r->flags, r->name ?: "");
		if (r->child && depth < 16)
			pos = grow_walk(r, buf, pos, depth + 1);
	}
	return pos;
}

static char *grow_snapshot(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, GROW_SNAP_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	grow_walk(&iomem_resource, buf, 0, 0);
	return buf;
}

/* Expect the same iomem as @want; else show the first line that differs. */
static void grow_expect_iomem(struct kunit *test, const char *want,
			      const char *when)
{
	char *got = grow_snapshot(test);
	size_t i = 0, line = 0;

	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n')
			line = i + 1;
		i++;
	}
	KUNIT_EXPECT_TRUE_MSG(test, !got[i] && !want[i],
			      "iomem %s differs: was \"%.*s\", is \"%.*s\"",
			      when, (int)strcspn(want + line, "\n"),
			      want + line, (int)strcspn(got + line, "\n"),
			      got + line);
}

/* The memory windows on the root bus, and how many are dummies. */
static unsigned int grow_bus_windows(struct pci_pvbus *pb,
				     unsigned int *dummies)
{
	unsigned int i, n = 0;
	struct resource *r;

	pci_lock_rescan_remove();
	pci_bus_for_each_resource(pb->bus, r, i) {
		if (!r || resource_type(r) != IORESOURCE_MEM)
			continue;
		if (r->flags & IORESOURCE_DISABLED || !r->parent)
			(*dummies)++;
		else
			n++;
	}
	pci_unlock_rescan_remove();
	return n;
}

/* Whether the bus's MMIO space has room for a BAR of @size now. */
static bool grow_room(struct pvbus_device *probe, enum pvbus_mmio_zone zone,
		      u64 size, u64 align)
{
	return try_alloc(probe, zone, size, align);
}

/*
 * Whether a function with a 32-bit BAR of @s32 and a 64-bit BAR of @s64
 * (either may be 0) could be placed: each in a window of its zone, or
 * both in one window below 4 GiB, as the planner does when there is no
 * room above.
 */
static bool grow_fits(struct pvbus_device *probe, u64 s32, u64 s64)
{
	if (!s64)
		return grow_room(probe, PVBUS_MMIO_LOW, s32, s32);
	if ((!s32 || grow_room(probe, PVBUS_MMIO_LOW, s32, s32)) &&
	    grow_room(probe, PVBUS_MMIO_HIGH, s64, s64))
		return true;
	return grow_room(probe, PVBUS_MMIO_LOW, s32 + s64, max(s32, s64));
}

struct grow_case {
	const char *name;
	u64 s32;		/* each hot-added function's 32-bit BAR, or 0 */
	u64 s64;		/* its 64-bit BAR, or 0 */
	bool full;		/* the space fills before the fake's functions run out */
	unsigned int min_win;	/* windows on the root bus at the most, at least */
};

/*
 * The old pool took 2 windows per window made at probe, 4 more, and used
 * one between each two; past it, hot add failed.  Hot-add slack is 0, so
 * every function needs windows of its own.
 */
static const struct grow_case grow_cases[] = {
	{ "64-bit BARs past the old pool", 0, SZ_1M, false, 8 },
	{ "32-bit and 64-bit BARs past the old pool", SZ_256K, SZ_1M, false,
	  15 },
	{ "64-bit BARs until the space is full", 0, SZ_64M, true, 4 },
	{ "32-bit BARs until the space is full", SZ_16M, 0, true, 2 },
	{ "32-bit and 64-bit BARs until the space is full", SZ_8M, SZ_64M,
	  true, 4 },
};

KUNIT_ARRAY_PARAM_DESC(grow, grow_cases, name);

static void restore_slack_low(void *data)
{
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW], (unsigned long)data);
}

/* Eject the function at @devfn and wait for the guest to let it go. */
static void grow_eject(struct kunit *test, struct pci_pvbus_fake *f,
		       struct pvbus_device *pdev, u32 devfn)
{
	pci_pvbus_fake_notify(test, f, pdev, PVBUS_PCI_MSG_EJECT, devfn);
	KUNIT_ASSERT_TRUE(test, wait_log(f, PVBUS_PCI_MSG_EJECT_COMPLETE, devfn,
					 1));
	pci_pvbus_fake_set_listed(f, pci_pvbus_fake_find(f, devfn), false);
}

/*
 * Hot add functions one by one, with no slack: each takes new windows, past
 * the old pool, until the bus's MMIO space has no room for the next one,
 * which is refused (and only then: the space truly has no room for it).
 * Once the space is full, one function is ejected and two come in one
 * list: they do not fit together, but the one that fits is added.
 * Ejecting them all gives every window back: iomem is as it was after
 * probe, and after remove as before the bus.
 */
static void live_grow(struct kunit *test)
{
	const struct grow_case *c = test->param_value;
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev, *probe;
	unsigned int i, added = 0, max_win = 0, dummies = 0;
	char *before, *probed;
	struct space_mark mark;
	struct pci_pvbus *pb;
	bool refused = false;
	void *old_slack;

	space_mark(test, f, &mark, 20);
	if (c->s32 && !mark.low)
		kunit_skip(test, "the bus has no window below 4 GiB");
	old_slack = (void *)(unsigned long)pci_pvbus_slack[PCI_PVBUS_HIGH];
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_slack,
						   old_slack), 0);
	old_slack = (void *)(unsigned long)pci_pvbus_slack[PCI_PVBUS_LOW];
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, restore_slack_low,
						   old_slack), 0);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH], 0);
	WRITE_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW], 0);

	before = grow_snapshot(test);
	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0x6700, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_64K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 21);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	KUNIT_ASSERT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	probed = grow_snapshot(test);
	probe = pci_pvbus_fake_offer(test, f, &pci_pvbus_fake_probe_class, 22);

	for (i = 1; i < PCI_PVBUS_FAKE_FNS && !refused; i++) {
		struct pci_pvbus_fake_fn *fn = &f->fn[i];
		u32 devfn = PCI_DEVFN(i, 0);
		struct pci_dev *dev;

		pci_pvbus_fake_fn_init(fn, devfn, 0x6700 + i, 0);
		if (c->s32)
			pci_pvbus_fake_bar(fn, 0, c->s32, false, false, 0);
		if (c->s64)
			pci_pvbus_fake_bar(fn, 2, c->s64, true, true, 0);
		pci_pvbus_fake_cfg_init(fn);
		pci_pvbus_fake_notify(test, f, pdev,
				      PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
		/* Asked for from the work that hot adds: wait for it. */
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_QUERY_RESOURCES,
					   devfn, 1));
		flush_workqueue(pb->wq);

		dev = pci_pvbus_fake_get_fn(pb, devfn);
		pci_dev_put(dev);
		if (dev) {
			added++;
			if (c->s32)
				KUNIT_EXPECT_LT(test,
						check_bar(test, f, pb, devfn, 0,
							  c->s32), GIB4);
			if (c->s64)
				check_bar(test, f, pb, devfn, 2, c->s64);
			max_win = max(max_win, grow_bus_windows(pb, &dummies));
			continue;
		}

		/* Refused: the host was never told of BARs, and no room. */
		refused = true;
		KUNIT_EXPECT_EQ(test, count_log(f,
						PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						devfn), 0U);
		KUNIT_EXPECT_FALSE_MSG(test, grow_fits(probe, c->s32, c->s64),
				       "function %u refused with room left", i);
		/* Nothing of it stays; the others are untouched. */
		KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb),
				added + 1);
		grow_eject(test, f, pdev, devfn);
	}

	/* Room for one more: two functions in one list, one is added. */
	if (refused) {
		unsigned int a = i, b = i + 1, now;

		KUNIT_ASSERT_LT(test, b, (unsigned int)PCI_PVBUS_FAKE_FNS);
		grow_eject(test, f, pdev, PCI_DEVFN(added, 0));
		pci_pvbus_fake_fn_init(&f->fn[a], PCI_DEVFN(a, 0), 0x6700 + a,
				       0);
		pci_pvbus_fake_fn_init(&f->fn[b], PCI_DEVFN(b, 0), 0x6700 + b,
				       0);
		for (i = a; i <= b; i++) {
			if (c->s32)
				pci_pvbus_fake_bar(&f->fn[i], 0, c->s32, false,
						   false, 0);
			if (c->s64)
				pci_pvbus_fake_bar(&f->fn[i], 2, c->s64, true,
						   true, 0);
			pci_pvbus_fake_cfg_init(&f->fn[i]);
		}
		pci_pvbus_fake_notify(test, f, pdev,
				      PVBUS_PCI_MSG_RELATIONS_CHANGED, 0);
		KUNIT_ASSERT_TRUE(test,
				  wait_log(f, PVBUS_PCI_MSG_QUERY_RESOURCES,
					   PCI_DEVFN(b, 0), 1));
		flush_workqueue(pb->wq);
		now = pci_pvbus_fake_count_devices(pb);
		KUNIT_EXPECT_EQ_MSG(test, now, added + 1,
				    "of two functions in one list, %u added",
				    now - added);
		KUNIT_EXPECT_FALSE(test, grow_fits(probe, c->s32, c->s64));
		/* Both go: the one left out is answered at once. */
		grow_eject(test, f, pdev, PCI_DEVFN(a, 0));
		grow_eject(test, f, pdev, PCI_DEVFN(b, 0));
		added--;
	}
	pci_pvbus_fake_unoffer(probe);

	KUNIT_EXPECT_EQ(test, refused, c->full);
	KUNIT_EXPECT_GE(test, max_win, c->min_win);
	/* No "[mem size 0x00000001 disabled]" on the bus, ever. */
	KUNIT_EXPECT_EQ(test, dummies, 0U);
	KUNIT_EXPECT_GE(test, added, 1U);

	/* Eject all hot-added functions: the windows grown for them go. */
	for (i = 1; i <= added; i++)
		grow_eject(test, f, pdev, PCI_DEVFN(i, 0));
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 1U);
	grow_expect_iomem(test, probed, "after ejecting every hot-added function");

	grow_eject(test, f, pdev, 0x00);
	KUNIT_EXPECT_EQ(test, pci_pvbus_fake_count_devices(pb), 0U);
	pci_pvbus_fake_unoffer(pdev);
	grow_expect_iomem(test, before, "after remove");
}

/*
 * lspci and sysfs's config file reach config space through
 * pci_user_{read,write}_config_*(), which hold the raw pci_lock around the
 * bus's accessors on every architecture (on arm64, every config access
 * does).  What pci-pvbus and its host backend lock under it must be raw
 * too: a spinlock_t sleeps on PREEMPT_RT, and lockdep's raw nesting check
 * (CONFIG_PROVE_RAW_LOCK_NESTING) reports it as an invalid wait context.
 * The case's own checks are of the values read and written; the report
 * fails the run where run_kunit.sh reads the kernel's log (make kunit),
 * not under a plain kunit.py run.
 */
static void live_cfg_user_access(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_create(test);
	struct pvbus_device *pdev;
	struct pci_dev *dev;
	struct pci_pvbus *pb;
	u16 vendor = 0, cmd = 0, now = 0;

	pci_pvbus_fake_fn_init(&f->fn[0], 0x00, 0xa040, 0);
	pci_pvbus_fake_bar(&f->fn[0], 0, SZ_16K, true, false, 0);
	pci_pvbus_fake_cfg_init(&f->fn[0]);
	pdev = pci_pvbus_fake_offer(test, f, &PVBUS_PCI_CLASS, 1);
	pb = pci_pvbus_fake_bus_of(pdev);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	dev = pci_pvbus_fake_get_fn(pb, 0x00);
	KUNIT_ASSERT_NOT_NULL(test, dev);

	KUNIT_EXPECT_EQ(test, pci_user_read_config_word(dev, PCI_VENDOR_ID,
							&vendor), 0);
	KUNIT_EXPECT_EQ(test, vendor, (u16)0x1234);
	KUNIT_EXPECT_EQ(test, pci_user_read_config_word(dev, PCI_COMMAND,
							&cmd), 0);
	KUNIT_EXPECT_EQ(test, pci_user_write_config_word(dev, PCI_COMMAND,
							 cmd ^ PCI_COMMAND_SERR),
			0);
	KUNIT_EXPECT_EQ(test, pci_user_read_config_word(dev, PCI_COMMAND,
							&now), 0);
	KUNIT_EXPECT_EQ(test, now, (u16)(cmd ^ PCI_COMMAND_SERR));
	pci_user_write_config_word(dev, PCI_COMMAND, cmd);
	pci_dev_put(dev);
}

static struct kunit_case pci_pvbus_live_cases[] = {
	KUNIT_CASE(live_bus),
	KUNIT_CASE(live_version_fallback),
	KUNIT_CASE(live_d0_retry),
	KUNIT_CASE(live_left_out),
	KUNIT_CASE(live_removed_fn_not_rescanned),
	KUNIT_CASE(live_sriov_vf_bars_unassigned),
	KUNIT_CASE(live_bar_resize_refused),
	KUNIT_CASE(live_cfg_user_access),
	KUNIT_CASE(live_dropped_fn_window_kept_until_released),
	KUNIT_CASE(live_dropped_unconfirmed_bar_held),
	KUNIT_CASE(live_dropped_gone_from_host_bar_freed),
	KUNIT_CASE(live_ejected_fn_window_kept_until_complete),
	KUNIT_CASE(live_eject_unconfirmed_bar_held),
	KUNIT_CASE(live_eject_unconfirmed_answered_again),
	KUNIT_CASE(live_eject_unconfirmed_then_listed_again),
	KUNIT_CASE(live_eject_gone_from_host_bar_freed),
	KUNIT_CASE(live_removed_fn_keeps_bars),
	KUNIT_CASE(live_assigned_refused),
	KUNIT_CASE_PARAM(live_probe_fails, fail_gen_params),
	KUNIT_CASE(live_cfg_legacy),
	KUNIT_CASE_PARAM(live_grow, grow_gen_params),
	{}
};

static struct kunit_suite pci_pvbus_live_suite = {
	.name = "pci_pvbus_live",
	.test_cases = pci_pvbus_live_cases,
};

kunit_test_suite(pci_pvbus_live_suite);

MODULE_DESCRIPTION("KUnit tests of pci-pvbus against a fake host on the real bus");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
