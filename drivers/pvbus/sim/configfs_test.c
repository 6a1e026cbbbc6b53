// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_sim_live: a host and a device made and driven through
 * the configfs callbacks, on the real bus, with a driver that talks to the
 * host from probe() (inside the offer, under the host's lock and the bus's)
 * and from remove() (inside the revoke), a request left pending across a
 * revoke; then a PCI bus with a minimal front-end: functions in the
 * relations and their notifications, config space through the bus's window
 * accessors,
 * hot add, eject, a stale D0, remove() answered during the revoke, and
 * the errors of the "passthrough" attribute; a store waiting for a round
 * trip of the host, killed; a host with more devices than a bus root
 * takes.
 * Run it with lockdep on: the lock graph of configfs callbacks, work items
 * and bus calls is what it is for.
 *
 * It needs a bus root; under kunit.py on UML, pass one with
 * --kernel_args='pvbus.mmio=16M@0x100000000'.  Without one it is skipped.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "../kunit_param.h"
#include "configfs.h"

#define PVBUS_SIM_LIVE_CLASS	"7d9f3c1e-2b4a-4e6f-8c0d-1a2b3c4d5e6f"
#define PVBUS_SIM_LIVE_INST	"0f1e2d3c-4b5a-4968-8776-655443322110"

static const struct pvbus_device_id pvbus_sim_live_ids[] = {
	{ .class = GUID_INIT(0x7d9f3c1e, 0x2b4a, 0x4e6f, 0x8c, 0x0d,
			     0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f) },
	{ }
};

/* What the test driver saw; one test runs at a time. */
static struct {
	struct pvbus_device *pdev;
	unsigned int probes;
	unsigned int removes;
	int probe_ping;
	int remove_ping;
	struct pvbus_sim_host_item *hc;
	unsigned int locked;	/* probe() or remove() found hc->lock held */
	struct work_struct async;
	struct pvbus_device *async_pdev;
	int async_ping;
} lt;

static int pvbus_sim_live_ping(struct pvbus_device *pdev, u64 cookie,
			       unsigned int timeout_ms)
{
	struct pvbus_msg_ping req, resp;
	size_t len = 0;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	req.cookie = cpu_to_le64(cookie);
	ret = pvbus_channel_request(pdev->chan, &req, sizeof(req), &resp,
				    sizeof(resp), &len, timeout_ms);
	if (!ret && (len != sizeof(resp) || le64_to_cpu(resp.cookie) != cookie))
		ret = -EBADMSG;
	return ret;
}

static int pvbus_sim_live_probe(struct pvbus_device *pdev,
				const struct pvbus_device_id *id)
{
	lt.pdev = pdev;
	lt.probes++;
	/* A guest round trip: no lock of the host's configuration held. */
	if (lt.hc && mutex_is_locked(&lt.hc->lock))
		lt.locked++;
	lt.probe_ping = pvbus_sim_live_ping(pdev, 1, 2000);
	return 0;
}

static void pvbus_sim_live_remove(struct pvbus_device *pdev)
{
	lt.removes++;
	if (lt.hc && mutex_is_locked(&lt.hc->lock))
		lt.locked++;
	lt.remove_ping = pvbus_sim_live_ping(pdev, 2, 2000);
	lt.pdev = NULL;
}

static struct pvbus_driver pvbus_sim_live_driver = {
	.driver		= { .name = "pvbus_sim_live_test" },
	.id_table	= pvbus_sim_live_ids,
	.probe		= pvbus_sim_live_probe,
	.remove		= pvbus_sim_live_remove,
};

static void pvbus_sim_live_async(struct work_struct *work)
{
	lt.async_ping = pvbus_sim_live_ping(lt.async_pdev, 3, 10000);
	put_device(&lt.async_pdev->dev);
}

/* Write @val to the attribute @attr of @item, as userspace would. */
static int pvbus_sim_live_store(struct config_item *item,
				struct configfs_attribute *attr,
				const char *val)
{
	ssize_t ret = attr->store(item, val, strlen(val));

	return ret < 0 ? ret : 0;
}

/* The attribute @name of @item. */
static struct configfs_attribute *pvbus_sim_live_attr(struct config_item *item,
						      const char *name)
{
	struct configfs_attribute **a;

	for (a = item->ci_type->ct_attrs; *a; a++)
		if (!strcmp((*a)->ca_name, name))
			return *a;
	return NULL;
}

static int pvbus_sim_live_set(struct config_item *item, const char *name,
			      const char *val)
{
	struct configfs_attribute *attr = pvbus_sim_live_attr(item, name);

	return attr ? pvbus_sim_live_store(item, attr, val) : -ENOENT;
}

/* Read the attribute @name of @item into @page, without the newline. */
static const char *pvbus_sim_live_get(struct config_item *item,
				      const char *name, char *page)
{
	struct configfs_attribute *attr = pvbus_sim_live_attr(item, name);
	ssize_t len = attr ? attr->show(item, page) : -ENOENT;

	if (len <= 0)
		return "";
	page[len - 1] = '\0';
	return page;
}

/* mkdir and rmdir, as configfs calls them. */
static struct config_group *pvbus_sim_live_mkdir(struct config_group *parent,
						 const char *name)
{
	return parent->cg_item.ci_type->ct_group_ops->make_group(parent, name);
}

static void pvbus_sim_live_rmdir(struct config_group *parent,
				 struct config_item *item)
{
	parent->cg_item.ci_type->ct_group_ops->drop_item(parent, item);
}

static u64 pvbus_sim_live_stat(struct pvbus_sim_host_item *hc,
			       enum pvbus_sim_stat s)
{
	u64 stats[PVBUS_SIM_NR_STATS];

	pvbus_sim_host_get_stats(hc->host, stats);
	return stats[s];
}

static void pvbus_sim_live_lifecycle(struct kunit *test)
{
	struct pvbus_sim_host_item *hc;
	struct config_group *hg, *dg;
	struct config_item *hi, *di;
	unsigned long timeout;
	int ret;

	memset(&lt, 0, sizeof(lt));
	INIT_WORK(&lt.async, pvbus_sim_live_async);

	hg = pvbus_sim_live_mkdir(&pvbus_sim_subsys.su_group, "kunit0");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hg);
	hi = &hg->cg_item;
	hc = to_host_item(hi);
	lt.hc = hc;
	dg = pvbus_sim_live_mkdir(hg, "dev0");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dg);
	di = &dg->cg_item;

	ret = pvbus_sim_live_set(hi, "reserved", "4K@0x1000000\n");
	KUNIT_EXPECT_EQ(test, ret, 0);
	ret = pvbus_sim_live_set(di, "class", PVBUS_SIM_LIVE_CLASS "\n");
	KUNIT_EXPECT_EQ(test, ret, 0);
	ret = pvbus_sim_live_set(di, "instance", PVBUS_SIM_LIVE_INST);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "1"), 0);
	ret = pvbus_driver_register(&pvbus_sim_live_driver);
	KUNIT_ASSERT_EQ(test, ret, 0);

	/* Offered as the host goes live; the driver pings from probe(). */
	ret = pvbus_sim_live_set(hi, "live", "1");
	if (ret == -ENODEV) {
		pvbus_driver_unregister(&pvbus_sim_live_driver);
		pvbus_sim_live_rmdir(hg, di);
		pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, hi);
		kunit_skip(test, "no bus root: boot with pvbus.mmio=");
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, lt.probes, 1);
	KUNIT_EXPECT_EQ(test, lt.probe_ping, 0);
	KUNIT_ASSERT_NOT_NULL(test, lt.pdev);
	ret = pvbus_sim_live_set(di, "class", PVBUS_SIM_LIVE_CLASS);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	ret = pvbus_sim_live_set(hi, "reserved", "");
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);

	/* The drop fault: a request stays pending until its device goes. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "fault", "drop"), 0);
	lt.async_pdev = lt.pdev;
	get_device(&lt.async_pdev->dev);
	queue_work(system_unbound_wq, &lt.async);
	timeout = jiffies + msecs_to_jiffies(2000);
	while (pvbus_sim_live_stat(hc, PVBUS_SIM_STAT_DROPPED) < 1 &&
	       time_before(jiffies, timeout))
		msleep(20);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_stat(hc, PVBUS_SIM_STAT_DROPPED),
			1);

	/*
	 * Revoke: what remove() sends is still answered (the host revokes
	 * before it stops taking messages); the request the host dropped
	 * fails with -ENODEV when the channel closes.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "fault", "none"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "0"), 0);
	flush_work(&lt.async);
	KUNIT_EXPECT_EQ(test, lt.async_ping, -ENODEV);
	KUNIT_EXPECT_EQ(test, lt.removes, 1);
	KUNIT_EXPECT_EQ(test, lt.remove_ping, 0);

	/* Offered again; remove() at driver unbind reaches the host too. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "1"), 0);
	KUNIT_EXPECT_EQ(test, lt.probes, 2);
	KUNIT_EXPECT_EQ(test, lt.probe_ping, 0);
	pvbus_driver_unregister(&pvbus_sim_live_driver);
	KUNIT_EXPECT_EQ(test, lt.removes, 2);
	KUNIT_EXPECT_EQ(test, lt.remove_ping, 0);
	/* Two probes and a remove came from offers and a revoke. */
	KUNIT_EXPECT_EQ(test, lt.locked, 0);

	/*
	 * Pings answered: two from probe(), two from remove().  A class the
	 * host has no protocol for gets no notification.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_stat(hc, PVBUS_SIM_STAT_ANSWERED),
			4);
	KUNIT_EXPECT_EQ(test,
			pvbus_sim_live_stat(hc, PVBUS_SIM_STAT_NOTIFICATIONS),
			0);

	/* Down with a device offered; rmdir of the live device and host. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(hi, "live", "0"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(hi, "live", "1"), 0);
	pvbus_sim_live_rmdir(hg, di);
	pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, hi);

	KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep found a problem");
}

/* ---------------------------------------------------------------------
 * A PCI bus: a minimal front-end against the host's PCI protocol.
 */

#define PVBUS_SIM_LIVE_PCI_INST	"3c4d5e6f-7a8b-4c9d-8e0f-102132435465"
#define PVBUS_SIM_LIVE_CFG	0x100000000ULL
#define PVBUS_SIM_LIVE_BAR	0x100100000ULL

static const struct pvbus_device_id pvbus_sim_live_pci_ids[] = {
	{ .class = PVBUS_PCI_CLASS },
	{ }
};

#define LIVE_SPEC(t, s) {						\
	.type = (t), .min_version = PVBUS_PCI_VERSION_MIN,		\
	.max_version = PVBUS_PCI_VERSION_MAX,				\
	.fixed_len = sizeof(s) - sizeof(struct pvbus_msg_hdr),		\
}

#define LIVE_SPEC_REL(t) {						\
	.type = (t), .min_version = PVBUS_PCI_VERSION_MIN,		\
	.max_version = PVBUS_PCI_VERSION_MAX,				\
	.fixed_len = sizeof(struct pvbus_pci_relations) -		\
		     sizeof(struct pvbus_msg_hdr),			\
	.elem_len = sizeof(struct pvbus_pci_function),			\
	.count_off = 0, .max_count = PVBUS_PCI_MAX_FUNCTIONS,		\
}

static const struct pvbus_msg_spec pvbus_sim_live_pci_specs[] = {
	LIVE_SPEC(PVBUS_PCI_MSG_QUERY_VERSION, struct pvbus_pci_version),
	LIVE_SPEC(PVBUS_PCI_MSG_D0_ENTRY, struct pvbus_pci_d0_entry),
	LIVE_SPEC(PVBUS_PCI_MSG_D0_EXIT, struct pvbus_msg_hdr),
	LIVE_SPEC_REL(PVBUS_PCI_MSG_QUERY_RELATIONS),
	LIVE_SPEC(PVBUS_PCI_MSG_ASSIGNED_RESOURCES, struct pvbus_pci_assigned),
	LIVE_SPEC(PVBUS_PCI_MSG_RELEASED_RESOURCES, struct pvbus_pci_devfn_msg),
	LIVE_SPEC_REL(PVBUS_PCI_MSG_RELATIONS_CHANGED),
	LIVE_SPEC(PVBUS_PCI_MSG_EJECT, struct pvbus_pci_devfn_msg),
	LIVE_SPEC(PVBUS_PCI_MSG_EJECT_COMPLETE, struct pvbus_pci_devfn_msg),
};

/* What the PCI test driver saw. */
static struct {
	int version;
	int relations;
	unsigned int nr_fns;
	int d0;
	u32 vendor;
	u32 bar;
	int assigned;
	int released;
	int d0_exit;
	unsigned int removes;
	unsigned int rel_count;
	struct completion rel_done;
	u32 ejected;
	int eject_complete;
	struct completion eject_done;
	bool hold_eject;
	struct completion eject_seen;
	struct completion eject_release;
	bool eject_in_remove;	/* EJECT answered by remove(), not notify() */
} lp;

/* A request whose response is a message of @resp_size bytes or less. */
static int pvbus_sim_live_pci_req(struct pvbus_device *pdev, void *req,
				  size_t len, size_t resp_size)
{
	u8 resp[sizeof(struct pvbus_pci_relations) +
		PVBUS_PCI_MAX_FUNCTIONS * sizeof(struct pvbus_pci_function)];

	return pvbus_channel_request(pdev->chan, req, len, resp,
				     min(resp_size, sizeof(resp)), NULL, 2000);
}

static int pvbus_sim_live_pci_devfn_req(struct pvbus_device *pdev, u16 type,
					u32 devfn)
{
	struct pvbus_pci_devfn_msg req = {};

	pvbus_msg_init(&req.hdr, type, PVBUS_PCI_VERSION_1_1, sizeof(req));
	req.devfn = cpu_to_le32(devfn);
	return pvbus_sim_live_pci_req(pdev, &req, sizeof(req), sizeof(req));
}

static DEFINE_RAW_SPINLOCK(pvbus_sim_live_cfg_lock);

static int pvbus_sim_live_pci_probe(struct pvbus_device *pdev,
				    const struct pvbus_device_id *id)
{
	struct resource cfg = DEFINE_RES_MEM(PVBUS_SIM_LIVE_CFG,
					     PVBUS_PCI_CFG_WINDOW_SIZE);
	struct pvbus_pci_relations *rel;
	struct pvbus_window win;
	struct pvbus_pci_assigned asg = {};
	struct pvbus_pci_d0_entry d0 = {};
	struct pvbus_pci_version ver = {};
	struct pvbus_msg_hdr hdr;
	unsigned long flags;
	size_t len = 0;
	u8 buf[256];

	pvbus_msg_init(&ver.hdr, PVBUS_PCI_MSG_QUERY_VERSION,
		       PVBUS_PCI_VERSION_1_1, sizeof(ver));
	ver.version = cpu_to_le16(PVBUS_PCI_VERSION_1_1);
	lp.version = pvbus_sim_live_pci_req(pdev, &ver, sizeof(ver),
					    sizeof(ver));

	pvbus_msg_init(&hdr, PVBUS_PCI_MSG_QUERY_RELATIONS,
		       PVBUS_PCI_VERSION_1_1, sizeof(hdr));
	lp.relations = pvbus_channel_request(pdev->chan, &hdr, sizeof(hdr),
					     buf, sizeof(buf), &len, 2000);
	rel = (void *)buf;
	if (!lp.relations)
		lp.nr_fns = le32_to_cpu(rel->count);

	pvbus_msg_init(&d0.hdr, PVBUS_PCI_MSG_D0_ENTRY, PVBUS_PCI_VERSION_1_1,
		       sizeof(d0));
	d0.cfg_base = cpu_to_le64(PVBUS_SIM_LIVE_CFG);
	d0.cfg_size = cpu_to_le32(PVBUS_PCI_CFG_WINDOW_SIZE);
	lp.d0 = pvbus_sim_live_pci_req(pdev, &d0, sizeof(d0), sizeof(d0));

	/*
	 * Config space through the bus's window accessors, as a driver, and
	 * under a raw spinlock, as pci-pvbus's accessors run under the PCI
	 * core's pci_lock: what the host backend locks there must be raw.
	 */
	if (!pvbus_window_map(&win, pdev, &cfg)) {
		raw_spin_lock_irqsave(&pvbus_sim_live_cfg_lock, flags);
		pvbus_window_write(&win, PVBUS_PCI_CFG_SELECT, 4, 0);
		pvbus_window_read(&win, PVBUS_PCI_CFG_SPACE, 4, &lp.vendor);
		pvbus_window_write(&win, PVBUS_PCI_CFG_SPACE +
				   PCI_BASE_ADDRESS_0, 4, 0xffffffff);
		pvbus_window_read(&win, PVBUS_PCI_CFG_SPACE +
				  PCI_BASE_ADDRESS_0, 4, &lp.bar);
		raw_spin_unlock_irqrestore(&pvbus_sim_live_cfg_lock, flags);
		pvbus_window_unmap(&win);
	}

	pvbus_msg_init(&asg.hdr, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		       PVBUS_PCI_VERSION_1_1, sizeof(asg));
	asg.addr[0] = cpu_to_le64(PVBUS_SIM_LIVE_BAR);
	lp.assigned = pvbus_sim_live_pci_req(pdev, &asg, sizeof(asg),
					     sizeof(asg));
	return 0;
}

/* As pci-pvbus does: release what was assigned and leave D0. */
static void pvbus_sim_live_pci_remove(struct pvbus_device *pdev)
{
	struct pvbus_msg_hdr hdr;

	lp.removes++;
	if (lp.eject_in_remove)
		lp.eject_complete =
			pvbus_sim_live_pci_devfn_req(pdev,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						     lp.ejected);
	lp.released =
		pvbus_sim_live_pci_devfn_req(pdev,
					     PVBUS_PCI_MSG_RELEASED_RESOURCES,
					    0);
	pvbus_msg_init(&hdr, PVBUS_PCI_MSG_D0_EXIT, PVBUS_PCI_VERSION_1_1,
		       sizeof(hdr));
	lp.d0_exit = pvbus_sim_live_pci_req(pdev, &hdr, sizeof(hdr),
					    sizeof(hdr));
}

static void pvbus_sim_live_pci_notify(struct pvbus_device *pdev,
				      const void *msg, size_t len)
{
	const struct pvbus_pci_relations *rel = msg;
	const struct pvbus_pci_devfn_msg *ej = msg;

	switch (le16_to_cpu(rel->hdr.type)) {
	case PVBUS_PCI_MSG_RELATIONS_CHANGED:
		lp.rel_count = le32_to_cpu(rel->count);
		complete(&lp.rel_done);
		break;
	case PVBUS_PCI_MSG_EJECT:
		lp.ejected = le32_to_cpu(ej->devfn);
		if (lp.eject_in_remove) {
			complete(&lp.eject_done);
			break;
		}
		if (lp.hold_eject) {
			/* A guest slow to give the function back. */
			complete(&lp.eject_seen);
			wait_for_completion(&lp.eject_release);
		}
		lp.eject_complete =
			pvbus_sim_live_pci_devfn_req(pdev,
						     PVBUS_PCI_MSG_EJECT_COMPLETE,
						    lp.ejected);
		complete(&lp.eject_done);
		break;
	}
}

static struct pvbus_driver pvbus_sim_live_pci_driver = {
	.driver		= { .name = "pvbus_sim_live_pci_test" },
	.id_table	= pvbus_sim_live_pci_ids,
	.probe		= pvbus_sim_live_pci_probe,
	.remove		= pvbus_sim_live_pci_remove,
	.notify		= pvbus_sim_live_pci_notify,
	.msg_specs	= pvbus_sim_live_pci_specs,
	.nr_msg_specs	= ARRAY_SIZE(pvbus_sim_live_pci_specs),
};

static struct config_item *pvbus_sim_live_fn(struct kunit *test,
					     struct config_group *dg,
					     const char *name, const char *devfn,
					     const char *bars)
{
	struct config_item *fi;

	fi = dg->cg_item.ci_type->ct_group_ops->make_item(dg, name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fi);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(fi, "slot", devfn), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(fi, "vendor", "0x1af4"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(fi, "bars", bars), 0);
	return fi;
}

/*
 * A host with one PCI bus for the test driver: made, and the bus offered
 * (to a host not yet live), by live_bus_make(), which also clears what
 * the driver saw (lp) and gives the case a page to read attributes
 * into; its functions made by
 * live_bus_fn(); the driver registered and the host started by
 * live_bus_start(), or the case skipped; all of it undone by
 * live_bus_stop().
 */
struct live_bus {
	struct config_group *hg, *dg;
	struct config_item *hi, *di;
	struct config_item *fn[2];
	unsigned int nr_fn;
	char *page;
};

static void live_bus_make(struct kunit *test, struct live_bus *b,
			  const char *host, const char *dev, const char *inst)
{
	memset(&lp, 0, sizeof(lp));
	init_completion(&lp.rel_done);
	init_completion(&lp.eject_done);
	init_completion(&lp.eject_seen);
	init_completion(&lp.eject_release);
	memset(b, 0, sizeof(*b));
	b->page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->page);
	b->hg = pvbus_sim_live_mkdir(&pvbus_sim_subsys.su_group, host);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->hg);
	b->hi = &b->hg->cg_item;
	b->dg = pvbus_sim_live_mkdir(b->hg, dev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->dg);
	b->di = &b->dg->cg_item;
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(b->di, "class",
						 PVBUS_PCI_CLASS_STR), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(b->di, "instance", inst), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(b->di, "live", "1"), 0);
}

static struct config_item *live_bus_fn(struct kunit *test, struct live_bus *b,
				       const char *name, const char *devfn,
				       const char *bars)
{
	KUNIT_ASSERT_LT(test, b->nr_fn, ARRAY_SIZE(b->fn));
	b->fn[b->nr_fn] = pvbus_sim_live_fn(test, b->dg, name, devfn, bars);
	return b->fn[b->nr_fn++];
}

/* The functions, the bus and the host gone, the host not live. */
static void live_bus_drop(struct live_bus *b)
{
	struct configfs_group_operations *ops = b->di->ci_type->ct_group_ops;

	while (b->nr_fn)
		ops->drop_item(b->dg, b->fn[--b->nr_fn]);
	pvbus_sim_live_rmdir(b->hg, b->di);
	pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, b->hi);
}

static void live_bus_start(struct kunit *test, struct live_bus *b)
{
	int ret;

	ret = pvbus_driver_register(&pvbus_sim_live_pci_driver);
	if (ret) {
		live_bus_drop(b);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	ret = pvbus_sim_live_set(b->hi, "live", "1");
	if (ret == -ENODEV) {
		pvbus_driver_unregister(&pvbus_sim_live_pci_driver);
		live_bus_drop(b);
		kunit_skip(test, "no bus root: boot with pvbus.mmio=");
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static void live_bus_stop(struct kunit *test, struct live_bus *b)
{
	pvbus_driver_unregister(&pvbus_sim_live_pci_driver);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(b->hi, "live", "0"), 0);
	live_bus_drop(b);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep found a problem");
}

static void pvbus_sim_live_pci(struct kunit *test)
{
	struct config_item *hi, *di, *f0, *f1;
	unsigned long timeout;
	struct live_bus b;
	char *page;

	live_bus_make(test, &b, "kunit1", "pci0", PVBUS_SIM_LIVE_PCI_INST);
	hi = b.hi;
	di = b.di;
	page = b.page;

	/* 00.0 is in the relations from the start. */
	f0 = live_bus_fn(test, &b, "fn0", "0", "64:1M");
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f0, "bars", page),
			   "64:1M");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "live", "1"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "slot", "8"), -EBUSY);
	f1 = live_bus_fn(test, &b, "fn1", "0", "32:4K");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "live", "1"), -EEXIST);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "slot", "0x8"), 0);

	/*
	 * Pass-through, without a device to take: not while live, not a
	 * malformed address nor a missing function; clearing is harmless.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "passthrough",
						 "0000:00:04.0"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "passthrough", "00:04"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "passthrough",
						 "7a5e:1f:1f.7"), -ENODEV);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "passthrough", "\n"), 0);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f1, "passthrough", page),
			   "");
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f1, "bars", page),
			   "32:4K");

	live_bus_start(test, &b);

	/* The driver's probe: every request answered, config space real. */
	KUNIT_EXPECT_EQ(test, lp.version, 0);
	KUNIT_EXPECT_EQ(test, lp.relations, 0);
	KUNIT_EXPECT_EQ(test, lp.nr_fns, 1);
	KUNIT_EXPECT_EQ(test, lp.d0, 0);
	KUNIT_EXPECT_EQ(test, lp.vendor, 0x00fe1af4);
	KUNIT_EXPECT_EQ(test, lp.bar, 0xfff00004);
	KUNIT_EXPECT_EQ(test, lp.assigned, 0);

	/* Hot add: RELATIONS_CHANGED with both functions. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "live", "1"), 0);
	timeout = wait_for_completion_timeout(&lp.rel_done,
					      msecs_to_jiffies(2000));
	KUNIT_EXPECT_NE(test, timeout, 0);
	KUNIT_EXPECT_EQ(test, lp.rel_count, 2);

	/* Eject: the driver answers EJECT_COMPLETE; the function is gone. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "eject", "1"), 0);
	timeout = wait_for_completion_timeout(&lp.eject_done,
					      msecs_to_jiffies(2000));
	KUNIT_EXPECT_NE(test, timeout, 0);
	KUNIT_EXPECT_EQ(test, lp.ejected, 8);
	KUNIT_EXPECT_EQ(test, lp.eject_complete, 0);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f1, "live", page), "0");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "eject", "1"), -ENODEV);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "slot", "9"), 0);

	/* Revoke: remove() releases and leaves D0, and is answered. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "0"), 0);
	KUNIT_EXPECT_EQ(test, lp.removes, 1);
	KUNIT_EXPECT_EQ(test, lp.released, 0);
	KUNIT_EXPECT_EQ(test, lp.d0_exit, 0);

	/* Offered in D0 (stale_d0): D0_ENTRY is busy. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "stale_d0", "1"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "1"), 0);
	KUNIT_EXPECT_EQ(test, lp.d0, -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, lp.nr_fns, 1);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_stat(to_host_item(hi),
						  PVBUS_SIM_STAT_BUSY), 1);

	/* The driver goes first: its remove() is answered. */
	live_bus_stop(test, &b);
	KUNIT_EXPECT_EQ(test, lp.removes, 2);
	KUNIT_EXPECT_EQ(test, lp.d0_exit, 0);
}

/* ---------------------------------------------------------------------
 * Taking a function back waits for the guest without the host's lock.
 */

#define PVBUS_SIM_LIVE_TB_INST	"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"

static struct {
	struct work_struct work;
	struct config_item *fn;
	struct completion done;
} tb;

/*
 * The take-back's timeout, and how long the case waits for it to end once
 * the guest has answered: the answer ends it within milliseconds, the
 * timeout only after a minute.  Half of that tells one from the other
 * whatever the load; it bounds a wait, it measures nothing.
 */
#define PVBUS_SIM_LIVE_TB_TIMEOUT_MS	60000
#define PVBUS_SIM_LIVE_TB_ENDS_MS	(PVBUS_SIM_LIVE_TB_TIMEOUT_MS / 2)

static void pvbus_sim_live_tb_work(struct work_struct *work)
{
	pvbus_sim_pci_item_take_back(tb.fn, PVBUS_SIM_LIVE_TB_TIMEOUT_MS);
	complete(&tb.done);
}

static void pvbus_sim_live_take_back_unlocked(struct kunit *test)
{
	struct config_item *hi, *di, *f0, *f1;
	unsigned long ends = msecs_to_jiffies(PVBUS_SIM_LIVE_TB_ENDS_MS);
	struct pvbus_sim_dev_item *dc;
	unsigned long ended;
	struct live_bus b;
	char *page;

	init_completion(&tb.done);
	INIT_WORK(&tb.work, pvbus_sim_live_tb_work);
	live_bus_make(test, &b, "kunit2", "pci1", PVBUS_SIM_LIVE_TB_INST);
	lp.hold_eject = true;
	lp.eject_complete = -EINVAL;
	page = b.page;
	hi = b.hi;
	di = b.di;
	dc = to_dev_item(di);
	f0 = live_bus_fn(test, &b, "fn0", "0", "64:1M");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "live", "1"), 0);
	f1 = live_bus_fn(test, &b, "fn1", "8", "32:4K");
	live_bus_start(test, &b);
	KUNIT_ASSERT_EQ(test, lp.d0, 0);

	/* The host asks for 00.0 back; the guest holds on to it. */
	tb.fn = f0;
	queue_work(system_unbound_wq, &tb.work);
	wait_for_completion(&lp.eject_seen);

	/*
	 * Meanwhile the host's configuration can still be written, and the
	 * function is still being ejected when that write returns.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "slot", "9"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(dc->sdev, 0),
			PVBUS_SIM_PCI_EJECTING);
	/* But the bus the host waits on cannot be revoked. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "0"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(hi, "live", "0"), -EBUSY);
	/*
	 * Nor can the function be taken out and put back (it would be put
	 * back with the real function the host is giving back), nor another
	 * go live on its devfn.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "live", "0"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "live", "1"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "eject", "1"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "slot", "0"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "live", "1"), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f1, "slot", "9"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(dc->sdev, 0),
			PVBUS_SIM_PCI_EJECTING);

	/* The guest gives it back: that, not the timeout, ends the take-back. */
	complete_all(&lp.eject_release);
	ended = wait_for_completion_timeout(&tb.done, ends);
	if (!ended)
		wait_for_completion(&tb.done);
	KUNIT_EXPECT_NE_MSG(test, ended, 0UL,
			    "the guest's EJECT_COMPLETE did not end the take-back: its timeout did");
	wait_for_completion(&lp.eject_done);
	KUNIT_EXPECT_EQ(test, lp.eject_complete, 0);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f0, "live", page), "0");

	live_bus_stop(test, &b);
}

/* ---------------------------------------------------------------------
 * A function the guest gives back while its bus is revoked.
 */

#define PVBUS_SIM_LIVE_EJ_INST	"6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"

/*
 * The host ejects 00.0 and, before the guest answers, revokes the bus:
 * the guest's remove() gives 00.0 back (EJECT_COMPLETE), which the host
 * accepts.  The function is not live afterwards, and the bus is offered
 * again without it.  The host used to bring the functions up to date
 * before the revoke only, and so offered 00.0 again.
 */
static void pvbus_sim_live_eject_in_revoke(struct kunit *test)
{
	struct config_item *di, *f0;
	unsigned long timeout;
	struct live_bus b;

	live_bus_make(test, &b, "kunit5", "pci5", PVBUS_SIM_LIVE_EJ_INST);
	lp.eject_complete = -EINVAL;
	di = b.di;
	f0 = live_bus_fn(test, &b, "fn0", "0", "64:1M");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "live", "1"), 0);
	live_bus_start(test, &b);
	KUNIT_ASSERT_EQ(test, lp.nr_fns, 1);

	/* The eject reaches the guest, which answers it only in remove(). */
	lp.eject_in_remove = true;
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(f0, "eject", "1"), 0);
	timeout = wait_for_completion_timeout(&lp.eject_done,
					      msecs_to_jiffies(2000));
	KUNIT_EXPECT_NE(test, timeout, 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "0"), 0);
	KUNIT_EXPECT_EQ(test, lp.eject_complete, 0);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(f0, "live", b.page), "0");

	/* Offered again: without 00.0. */
	lp.eject_in_remove = false;
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(di, "live", "1"), 0);
	KUNIT_EXPECT_EQ(test, lp.nr_fns, 0);

	live_bus_stop(test, &b);
}

/* ---------------------------------------------------------------------
 * A store that waits for a round trip of the host can be killed.
 */

static struct {
	struct config_item *item;
	struct completion ready;
	struct completion done;
	int ret;
} kl;

static int pvbus_sim_live_kill_fn(void *data)
{
	allow_signal(SIGKILL);
	complete(&kl.ready);
	kl.ret = pvbus_sim_live_set(kl.item, "stale_d0", "1");
	complete(&kl.done);
	return 0;
}

static void pvbus_sim_live_op_killable(struct kunit *test)
{
	struct pvbus_sim_host_item *hc;
	struct config_group *hg, *dg;
	struct task_struct *task;
	unsigned long killed;
	char *page;

	memset(&kl, 0, sizeof(kl));
	init_completion(&kl.ready);
	init_completion(&kl.done);
	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);

	hg = pvbus_sim_live_mkdir(&pvbus_sim_subsys.su_group, "kunit3");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hg);
	hc = to_host_item(&hg->cg_item);
	dg = pvbus_sim_live_mkdir(hg, "dev0");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dg);
	kl.item = &dg->cg_item;

	/*
	 * An offer's round trip in flight holds the host's op_lock: the store
	 * waits for it, and a SIGKILL ends the wait (sent before or after the
	 * writer sleeps, the lock is still held, so it cannot be taken).
	 */
	mutex_lock(&hc->op_lock);
	task = kthread_run(pvbus_sim_live_kill_fn, NULL, "pvbus_sim_kill");
	if (IS_ERR(task)) {
		mutex_unlock(&hc->op_lock);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		goto out;
	}
	get_task_struct(task);
	wait_for_completion(&kl.ready);
	send_sig(SIGKILL, task, 1);
	/*
	 * Not a timed assertion: a killable wait returns at once.  This bounds
	 * only how long an unkillable one is waited for before the lock is
	 * let go, so that the case fails instead of hanging.
	 */
	killed = wait_for_completion_timeout(&kl.done, 30 * HZ);
	mutex_unlock(&hc->op_lock);
	if (!killed) {
		KUNIT_FAIL(test, "a store waiting for the host ignored SIGKILL");
		wait_for_completion(&kl.done);
	}
	put_task_struct(task);

	KUNIT_EXPECT_EQ(test, kl.ret, -EINTR);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(kl.item, "stale_d0", page),
			   "0");
	/* The host is not left taken. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(kl.item, "stale_d0", "1"), 0);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(kl.item, "stale_d0", page),
			   "1");
out:
	pvbus_sim_live_rmdir(hg, kl.item);
	pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, &hg->cg_item);

	KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep found a problem");
}

/* ---------------------------------------------------------------------
 * A device's directory: the generic attributes and the PCI class's.
 */

static const struct {
	const char *name;
	const char *dflt;	/* as a new device reads it */
} pvbus_sim_live_dev_attrs[] = {
	{ "class",	  "00000000-0000-0000-0000-000000000000" },
	{ "live",	  "0" },
	{ "fault",	  "none" },
	{ "max_version",  "1.1" },
	{ "stale_d0",	  "0" },
};

static void pvbus_sim_live_dev_dir(struct kunit *test)
{
	struct config_group *hg, *dg;
	unsigned int i;
	char *page;

	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	hg = pvbus_sim_live_mkdir(&pvbus_sim_subsys.su_group, "kunit4");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hg);
	dg = pvbus_sim_live_mkdir(hg, "dev0");
	if (IS_ERR_OR_NULL(dg)) {
		KUNIT_FAIL(test, "mkdir dev0: %ld", PTR_ERR(dg));
		goto out_host;
	}

	for (i = 0; i < ARRAY_SIZE(pvbus_sim_live_dev_attrs); i++)
		KUNIT_EXPECT_STREQ_MSG(test,
				       pvbus_sim_live_get(&dg->cg_item,
							  pvbus_sim_live_dev_attrs[i].name,
							  page),
				       pvbus_sim_live_dev_attrs[i].dflt,
				       "attribute %s",
				       pvbus_sim_live_dev_attrs[i].name);
	KUNIT_EXPECT_NOT_NULL(test, pvbus_sim_live_attr(&dg->cg_item,
							"instance"));

	pvbus_sim_live_rmdir(hg, &dg->cg_item);
out_host:
	pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, &hg->cg_item);
}

/*
 * A host with one live device more than a bus root takes: going live
 * fails with -ENOSPC, and the host is left as it was, not live, none of
 * its devices offered.  With that device gone, it goes live with all the
 * others.
 */
#define LIVE_MANY	(PVBUS_HOST_MAX_DEVICES + 1)

static unsigned int pvbus_sim_live_offered(struct config_group **dg,
					   unsigned int n)
{
	unsigned int i, offered = 0;

	for (i = 0; i < n; i++)
		offered += !!to_dev_item(&dg[i]->cg_item)->sdev;
	return offered;
}

static void pvbus_sim_live_too_many(struct kunit *test)
{
	struct config_group *hg, **dg;
	char name[16], inst[40], *page;
	struct config_item *di;
	unsigned int n;
	int ret;

	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	dg = kunit_kcalloc(test, LIVE_MANY, sizeof(*dg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dg);
	hg = pvbus_sim_live_mkdir(&pvbus_sim_subsys.su_group, "kunit5");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, hg);

	for (n = 0; n < LIVE_MANY; n++) {
		snprintf(name, sizeof(name), "dev%u", n);
		dg[n] = pvbus_sim_live_mkdir(hg, name);
		if (IS_ERR_OR_NULL(dg[n])) {
			KUNIT_FAIL(test, "mkdir %s: %ld", name, PTR_ERR(dg[n]));
			goto out;
		}
		di = &dg[n]->cg_item;
		snprintf(inst, sizeof(inst), "0f1e2d3c-4b5a-4968-8776-%012x",
			 0x1000 + n);
		if (pvbus_sim_live_set(di, "class", PVBUS_SIM_LIVE_CLASS) ||
		    pvbus_sim_live_set(di, "instance", inst) ||
		    pvbus_sim_live_set(di, "live", "1")) {
			KUNIT_FAIL(test, "%s not configured", name);
			n++;
			goto out;
		}
	}

	ret = pvbus_sim_live_set(&hg->cg_item, "live", "1");
	if (ret == -ENODEV) {
		kunit_mark_skipped(test, "no bus root: boot with pvbus.mmio=");
		goto out;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(&hg->cg_item, "live", page),
			   "0");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_offered(dg, LIVE_MANY), 0);

	pvbus_sim_live_rmdir(hg, &dg[--n]->cg_item);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(&hg->cg_item, "live", "1"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_offered(dg, n),
			PVBUS_HOST_MAX_DEVICES);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(&hg->cg_item, "live", "0"), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_offered(dg, n), 0);
out:
	while (n)
		pvbus_sim_live_rmdir(hg, &dg[--n]->cg_item);
	pvbus_sim_live_rmdir(&pvbus_sim_subsys.su_group, &hg->cg_item);
}

static struct kunit_case pvbus_sim_live_cases[] = {
	KUNIT_CASE(pvbus_sim_live_lifecycle),
	KUNIT_CASE(pvbus_sim_live_dev_dir),
	KUNIT_CASE(pvbus_sim_live_pci),
	KUNIT_CASE(pvbus_sim_live_take_back_unlocked),
	KUNIT_CASE(pvbus_sim_live_eject_in_revoke),
	KUNIT_CASE(pvbus_sim_live_op_killable),
	KUNIT_CASE(pvbus_sim_live_too_many),
	{}
};

static struct kunit_suite pvbus_sim_live_suite = {
	.name		= "pvbus_sim_live",
	.test_cases	= pvbus_sim_live_cases,
};

/* ---------------------------------------------------------------------
 * KUnit suite pvbus_sim_configfs: parsing what userspace writes.
 */

/* Four ranges; the rows of more repeat them. */
#define RSV4 "4K@0x1000,8K@0x4000,1M@4G,2M@0x200000"
#define RSV4_WANT { { 0x1000, SZ_4K }, { 0x4000, SZ_8K }, \
		    { SZ_4G, SZ_1M }, { 0x200000, SZ_2M } }

/* @want: the ranges parsed, the i-th being @want[i % 4]. */
struct reserved_case {
	const char *desc;
	const char *in;
	int ret;
	struct pvbus_range want[4];
};

static const struct reserved_case reserved_cases[] = {
	{ "one", "4K@0x1000000", 1, { { 0x1000000, SZ_4K } } },
	{ "none", "", 0 },
	{ "two, blanks around", " 1M@4G , 4K@0x1000 ", 2,
	  { { SZ_4G, SZ_1M }, { 0x1000, SZ_4K } } },
	{ "the most, 16", RSV4 "," RSV4 "," RSV4 "," RSV4, 16, RSV4_WANT },
	{ "one too many, 17", RSV4 "," RSV4 "," RSV4 "," RSV4 ",4K@0", -E2BIG },
	{ "half the space", "8E@0", 1, { { 0, 1ULL << 63 } } },
	{ "the last page", "4K@0xfffffffffffff000", 1,
	  { { 0xfffffffffffff000ULL, SZ_4K } } },
	{ "size over 64 bits", "24E@0", -ERANGE },
	{ "size 2^64", "16E@0", -ERANGE },
	{ "start 2^64", "4K@16E", -ERANGE },
	{ "start of 17 hex digits", "4K@0x10000000000000000", -ERANGE },
	{ "size of 20 digits", "18446744073709551616@0", -ERANGE },
	{ "wraps", "4K@0xfffffffffffff001", -EINVAL },
	{ "size 0", "0@0", -EINVAL },
	{ "no start", "4K", -EINVAL },
	{ "empty start", "4K@", -EINVAL },
	{ "no size", "@0x1000", -EINVAL },
	{ "junk after the size", "4Kx@0", -EINVAL },
	{ "junk after the start", "4K@0x1000x", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(reserved, reserved_cases, desc);

/*
 * Every range parsed is the row's, and nothing is written past
 * %PVBUS_HOST_MAX_RSV of them: configfs's write holds that many.
 */
static void pvbus_sim_configfs_reserved(struct kunit *test)
{
	const struct reserved_case *c = test->param_value;
	struct pvbus_range rsv[PVBUS_HOST_MAX_RSV + 1];
	char buf[512];
	int i, ret;

	memset(rsv, 0x5a, sizeof(rsv));
	strscpy(buf, c->in, sizeof(buf));
	ret = pvbus_sim_parse_reserved(buf, rsv);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	for (i = 0; i < c->ret && i < ret; i++) {
		KUNIT_EXPECT_EQ_MSG(test, rsv[i].start, c->want[i % 4].start,
				    "range %d", i);
		KUNIT_EXPECT_EQ_MSG(test, rsv[i].size, c->want[i % 4].size,
				    "range %d", i);
	}
	KUNIT_EXPECT_EQ(test, rsv[PVBUS_HOST_MAX_RSV].start,
			0x5a5a5a5a5a5a5a5aULL);
	KUNIT_EXPECT_EQ(test, rsv[PVBUS_HOST_MAX_RSV].size,
			0x5a5a5a5a5a5a5a5aULL);
}

/*
 * A flag attribute takes "0" or "1", a newline after it allowed, and
 * nothing else; what it refuses leaves the flag as it was (set).  It took
 * whatever kstrtobool() takes: "10" and "yes" for 1, and "0x1", which the
 * numeric attributes beside it would read as 1, for 0.
 */
struct flag_case {
	const char *in;
	int ret;
	const char *now;
};

static const struct flag_case flag_cases[] = {
	{ "0", 0, "0" },
	{ "0\n", 0, "0" },
	{ "1\n", 0, "1" },
	{ "0x1", -EINVAL, "1" },
	{ "0x0", -EINVAL, "1" },
	{ "10", -EINVAL, "1" },
	{ "1abc", -EINVAL, "1" },
	{ "yes", -EINVAL, "1" },
	{ "off", -EINVAL, "1" },
	{ "", -EINVAL, "1" },
	{ " 0", -EINVAL, "1" },
};

static void flag_case_desc(const struct flag_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\"", (int)strlen(c->in),
		 c->in);
}

KUNIT_ARRAY_PARAM(flag, flag_cases, flag_case_desc);

static void pvbus_sim_configfs_flag(struct kunit *test)
{
	const struct flag_case *c = test->param_value;
	struct config_item *fi;
	struct live_bus b;

	live_bus_make(test, &b, "kunitflag", "dev0", PVBUS_SIM_LIVE_PCI_INST);
	fi = live_bus_fn(test, &b, "fn0", "0x8", "64:16K");
	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(fi, "preserve", "1"), 0);

	KUNIT_EXPECT_EQ(test, pvbus_sim_live_set(fi, "preserve", c->in), c->ret);
	KUNIT_EXPECT_STREQ(test, pvbus_sim_live_get(fi, "preserve", b.page),
			   c->now);
	live_bus_drop(&b);
}

static struct kunit_case pvbus_sim_configfs_cases[] = {
	KUNIT_CASE_PARAM(pvbus_sim_configfs_reserved, reserved_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_configfs_flag, flag_gen_params),
	{}
};

static struct kunit_suite pvbus_sim_configfs_suite = {
	.name		= "pvbus_sim_configfs",
	.test_cases	= pvbus_sim_configfs_cases,
};

kunit_test_suites(&pvbus_sim_live_suite, &pvbus_sim_configfs_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus_sim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
