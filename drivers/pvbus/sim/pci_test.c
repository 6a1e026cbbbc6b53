// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_sim_pci: the simulated host's side of a paravirtual
 * PCI bus, driven through pvbus_sim_respond() and the window operations
 * with a device on no bus: version negotiation, each reason to refuse
 * D0_ENTRY and ASSIGNED_RESOURCES, config space with real BAR sizing, hot
 * add and eject, the parser of the "bars" attribute, and functions passed
 * through from a fake real one: what is forwarded and what is not, where
 * and when the real one decodes, and how it stops when it leaves.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#include "../fault_test.h"
#include "host.h"
#include "pci.h"
#include "../kunit_param.h"

/*
 * The bus of every test: a low window of 48 MiB at 0xc0000000 with 1 MiB
 * reserved by the host at 0xc2800000, and a high window of 56 MiB at
 * 0x100000000.  The config window goes at the start of the high window.
 */
#define LOW		0xc0000000ULL
#define LOW_SIZE	(48 * SZ_1M)
#define RSV		0xc2800000ULL
#define RSV_SIZE	SZ_1M
#define HIGH		0x100000000ULL
#define HIGH_SIZE	(56 * SZ_1M)
#define CFG		HIGH

/*
 * Another bus of the host (other_up()): in D0 with its config window at
 * OTHER_CFG, and its function 00.0's 32-bit 1 MiB BAR 2 at OTHER_BAR.
 */
#define OTHER_CFG	0xc2400000ULL
#define OTHER_BAR	0xc2600000ULL

/* Functions: 00.0 "64p:16M 32:1M", 01.0 "32:1M 32:1M". */
#define FN_A		0x00
#define FN_B		0x08
#define FN_NONE		0x10

struct pci_test {
	struct pvbus_sim_host host;
	struct pvbus_sim_dev sdev;
	struct pvbus_sim_dev other;
	struct pvbus_sim_pci_settings settings;
	u8 resp[PVBUS_SIM_RESP_MAX];
	size_t len;
	u64 next_id;
	struct list_head seen;
};

static void pci_test_noop_work(struct work_struct *work)
{
}

static void fn_desc(struct pvbus_sim_pci_fn_desc *d, u32 devfn, const char *bars)
{
	char buf[64];

	memset(d, 0, sizeof(*d));
	d->id.devfn = devfn;
	d->id.vendor = 0x1234;
	d->id.device = 0x5678 + devfn;
	d->id.class = 0x010802;
	d->id.revision = 3;
	d->id.subsys_vendor = 0xabcd;
	d->id.subsys_device = 0xef01;
	d->id.serial = 0x100 + devfn;
	strscpy(buf, bars, sizeof(buf));
	WARN_ON(pvbus_sim_pci_parse_bars(buf, d->bar) < 0);
}

static int pci_test_init(struct kunit *test)
{
	struct pci_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->host.host.name = "kunit";
	t->host.win[0] = (struct pvbus_range){ LOW, LOW_SIZE };
	t->host.win[1] = (struct pvbus_range){ HIGH, HIGH_SIZE };
	t->host.nr_win = 2;
	t->host.rsv[0] = (struct pvbus_range){ RSV, RSV_SIZE };
	t->host.nr_rsv = 1;

	INIT_LIST_HEAD(&t->host.devs);
	mutex_init(&t->host.addr_lock);

	t->sdev.host = &t->host;
	t->sdev.proto = &pvbus_sim_pci_proto;
	spin_lock_init(&t->sdev.lock);
	INIT_LIST_HEAD(&t->sdev.queue);
	INIT_WORK(&t->sdev.work, pci_test_noop_work);
	t->sdev.open = true;
	list_add_tail(&t->sdev.node, &t->host.devs);
	/* Not up, unless the case calls other_up(). */
	t->other.host = &t->host;
	t->other.proto = &pvbus_sim_pci_proto;
	list_add_tail(&t->other.node, &t->host.devs);

	t->settings.max_version = PVBUS_PCI_VERSION_MAX;
	t->settings.nr_fns = 2;
	fn_desc(&t->settings.fn[0], FN_A, "64p:16M 32:1M");
	fn_desc(&t->settings.fn[1], FN_B, "32:1M 32:1M");
	t->next_id = 1;
	INIT_LIST_HEAD(&t->seen);
	test->priv = t;
	return 0;
}

static void pci_test_exit(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_msg *m, *tmp;

	cancel_work_sync(&t->sdev.work);
	list_splice_init(&t->sdev.queue, &t->seen);
	list_for_each_entry_safe(m, tmp, &t->seen, node)
		kfree(m);
	if (t->sdev.cls)
		pvbus_sim_pci_proto.fini(&t->sdev);
	if (t->other.cls)
		pvbus_sim_pci_proto.fini(&t->other);
	mutex_destroy(&t->host.addr_lock);
}

/* Make the bus from t->settings, as an offer would. */
static struct pvbus_sim_pci *bus_up(struct kunit *test)
{
	struct pci_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_proto.init(&t->sdev, &t->settings), 0);
	return t->sdev.cls;
}

/*
 * The other bus of the host, up with the same functions, in D0 at
 * OTHER_CFG with 00.0's BAR 2 at OTHER_BAR, as if its guest had asked.
 */
static void other_up(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_pci *pci;
	struct pvbus_sim_pci_fn *fn;

	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_proto.init(&t->other, &t->settings),
			0);
	pci = t->other.cls;
	fn = pvbus_sim_pci_find(pci, FN_A);
	KUNIT_ASSERT_NOT_NULL(test, fn);
	pci->d0 = true;
	pci->cfg_base = OTHER_CFG;
	fn->assigned[2] = OTHER_BAR;
}

static struct pvbus_msg_hdr *resp_hdr(struct kunit *test)
{
	return (struct pvbus_msg_hdr *)((struct pci_test *)test->priv)->resp;
}

/* Send @req (its header filled in by pvbus_msg_init()); return the status. */
static u32 send(struct kunit *test, void *req, size_t len)
{
	struct pci_test *t = test->priv;
	struct pvbus_msg_hdr *rq = req, *hdr = resp_hdr(test);
	u64 id = t->next_id++;

	rq->trans_id = cpu_to_le64(id);
	memset(t->resp, 0xa5, sizeof(t->resp));
	t->len = pvbus_sim_respond(&t->sdev, PVBUS_SIM_FAULT_NONE, req, len,
				   t->resp);
	KUNIT_ASSERT_GE(test, t->len, sizeof(*hdr));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->len), t->len);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->type), le16_to_cpu(rq->type));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->version),
			le16_to_cpu(rq->version));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(hdr->trans_id), id);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->flags), PVBUS_MSG_F_RESPONSE);
	if (hdr->status)
		KUNIT_EXPECT_EQ(test, t->len, sizeof(*hdr));
	return le32_to_cpu(hdr->status);
}

static u32 query_version(struct kunit *test, u16 v)
{
	struct pvbus_pci_version req = {};

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_QUERY_VERSION, v, sizeof(req));
	req.version = cpu_to_le16(v);
	return send(test, &req, sizeof(req));
}

static u32 d0_entry_v(struct kunit *test, u16 v, u64 base, u32 size)
{
	struct pvbus_pci_d0_entry req = {};

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_D0_ENTRY, v, sizeof(req));
	req.cfg_base = cpu_to_le64(base);
	req.cfg_size = cpu_to_le32(size);
	return send(test, &req, sizeof(req));
}

static u32 d0_entry(struct kunit *test, u64 base)
{
	return d0_entry_v(test, PVBUS_PCI_VERSION_1_1, base,
			  PVBUS_PCI_CFG_WINDOW_SIZE);
}

static u32 bare(struct kunit *test, u16 type, u16 v)
{
	struct pvbus_msg_hdr req;

	pvbus_msg_init(&req, type, v, sizeof(req));
	return send(test, &req, sizeof(req));
}

static u32 devfn_req(struct kunit *test, u16 type, u16 v, u32 devfn)
{
	struct pvbus_pci_devfn_msg req = {};

	pvbus_msg_init(&req.hdr, type, v, sizeof(req));
	req.devfn = cpu_to_le32(devfn);
	return send(test, &req, sizeof(req));
}

static u32 assign(struct kunit *test, u32 devfn, const u64 *addr)
{
	struct pvbus_pci_assigned req = {};
	unsigned int b;

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		       PVBUS_PCI_VERSION_1_1, sizeof(req));
	req.devfn = cpu_to_le32(devfn);
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		req.addr[b] = cpu_to_le64(addr[b]);
	return send(test, &req, sizeof(req));
}

/* The bus, negotiated at 1.1 and in D0 with its config window at CFG. */
static struct pvbus_sim_pci *bus_d0(struct kunit *test)
{
	struct pvbus_sim_pci *pci = bus_up(test);

	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);
	return pci;
}

/*
 * The window operations, called as pci-pvbus calls them: under its config
 * lock, a raw spinlock with interrupts off.  Lockdep's raw nesting check
 * (run_kunit.sh's kernels) reports any lock that sleeps on PREEMPT_RT
 * taken there, a console's among them.
 */
static DEFINE_RAW_SPINLOCK(win_cfg_lock);

/* A window access at @addr, of *@val if @write, else into it: 0 or -EINVAL. */
static int win_access(struct kunit *test, bool write, u64 addr,
		      unsigned int size, u32 *val)
{
	const struct pvbus_sim_proto *ops = &pvbus_sim_pci_proto;
	struct pci_test *t = test->priv;
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&win_cfg_lock, flags);
	if (write)
		ret = ops->window_write(&t->sdev, addr, size, *val);
	else
		ret = ops->window_read(&t->sdev, addr, size, val);
	raw_spin_unlock_irqrestore(&win_cfg_lock, flags);
	return ret;
}

/* An access at offset @off of the config window, which must succeed. */
static u32 win_read(struct kunit *test, u64 off, unsigned int size)
{
	u32 val = 0x5a5a5a5a;

	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG + off, size, &val),
			0);
	return val;
}

static void win_write(struct kunit *test, u64 off, unsigned int size, u32 val)
{
	KUNIT_EXPECT_EQ(test, win_access(test, true, CFG + off, size, &val), 0);
}

static void select_devfn(struct kunit *test, u32 devfn)
{
	win_write(test, PVBUS_PCI_CFG_SELECT, 4, devfn);
}

static u32 cfg_read(struct kunit *test, unsigned int reg, unsigned int size)
{
	return win_read(test, PVBUS_PCI_CFG_SPACE + reg, size);
}

static void cfg_write(struct kunit *test, unsigned int reg, unsigned int size,
		      u32 val)
{
	win_write(test, PVBUS_PCI_CFG_SPACE + reg, size, val);
}

/* The messages queued for the guest, oldest first; NULL if none. */
static struct pvbus_sim_msg *next_note(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_msg *m;

	m = list_first_entry_or_null(&t->sdev.queue, struct pvbus_sim_msg,
				     node);
	if (m)
		list_move_tail(&m->node, &t->seen);
	return m;
}

/* ---------------------------------------------------------------------
 * Versions, relations and resources
 */

static void pvbus_sim_pci_test_version(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_pci *pci = bus_up(test);
	struct pvbus_pci_version req = {}, *rp = (void *)resp_hdr(test);

	/* Nothing before a version is settled. */
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_UNSUPPORTED);

	KUNIT_EXPECT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(rp->version), PVBUS_PCI_VERSION_1_1);
	KUNIT_EXPECT_EQ(test, pci->version, PVBUS_PCI_VERSION_1_1);

	/* Newer than the host knows: refused by the spec table. */
	KUNIT_EXPECT_EQ(test, query_version(test, 0x0102),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, query_version(test, 0x0200),
			PVBUS_STATUS_UNSUPPORTED);

	/* The payload must propose what the header is written in. */
	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_QUERY_VERSION,
		       PVBUS_PCI_VERSION_1_1, sizeof(req));
	req.version = cpu_to_le16(PVBUS_PCI_VERSION_1_0);
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)),
			PVBUS_STATUS_INVALID);
	req.version = cpu_to_le16(PVBUS_PCI_VERSION_1_1);
	req.reserved[1] = cpu_to_le16(1);
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)),
			PVBUS_STATUS_INVALID);
	/* Refused by the bus, it leaves no version negotiated either. */
	KUNIT_EXPECT_EQ(test, pci->version, 0);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);

	/*
	 * max_version 1.0: the guest falls back.  The refusal leaves no
	 * version negotiated: the host used to refuse 1.1 and then serve it.
	 */
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_set_max_version(&t->sdev,
							    PVBUS_PCI_VERSION_1_0),
			0);
	KUNIT_EXPECT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, pci->version, 0);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_0),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pci->version, PVBUS_PCI_VERSION_1_0);

	/* From now on, requests in 1.1 are refused. */
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_0),
			PVBUS_STATUS_SUCCESS);

	/* Notifications are the host's to send. */
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT,
					PVBUS_PCI_VERSION_1_0, FN_A),
			PVBUS_STATUS_UNSUPPORTED);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_set_max_version(&t->sdev, 0x0102),
			-EINVAL);
}

/* Relations and resources, in 1.0 and in 1.1, of a preserved function. */
static void pvbus_sim_pci_test_describe(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_pci_relations *rel = (void *)resp_hdr(test);
	struct pvbus_pci_resources *res = (void *)resp_hdr(test);
	const struct pvbus_pci_function *f;
	u16 v;

	t->settings.fn[0].id.flags = PVBUS_PCI_FN_PRESERVE;
	t->settings.fn[0].bar[0].host_addr = 0x101000000ULL;
	t->settings.fn[0].bar[2].host_addr = 0xc0100000ULL;
	bus_up(test);

	for (v = PVBUS_PCI_VERSION_1_0; v <= PVBUS_PCI_VERSION_1_1; v++) {
		bool v11 = v == PVBUS_PCI_VERSION_1_1;

		KUNIT_ASSERT_EQ(test, query_version(test, v),
				PVBUS_STATUS_SUCCESS);
		KUNIT_ASSERT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
					   v), PVBUS_STATUS_SUCCESS);
		KUNIT_ASSERT_EQ(test, le32_to_cpu(rel->count), 2);
		KUNIT_EXPECT_EQ(test, t->len, struct_size(rel, fn, 2));
		KUNIT_EXPECT_EQ(test, rel->reserved, 0);
		f = &rel->fn[0];
		KUNIT_EXPECT_EQ(test, le32_to_cpu(f->devfn), FN_A);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(f->vendor), 0x1234);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(f->device), 0x5678);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(f->class), 0x010802);
		KUNIT_EXPECT_EQ(test, f->revision, 3);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(f->subsys_vendor), 0xabcd);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(f->subsys_device), 0xef01);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(f->serial), 0x100);
		/* PRESERVE exists from 1.1 on. */
		KUNIT_EXPECT_EQ(test, le32_to_cpu(f->flags),
				v11 ? PVBUS_PCI_FN_PRESERVE : 0);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->fn[1].devfn), FN_B);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->fn[1].flags), 0);

		KUNIT_ASSERT_EQ(test, devfn_req(test,
						PVBUS_PCI_MSG_QUERY_RESOURCES,
					       v, FN_A),
				PVBUS_STATUS_SUCCESS);
		KUNIT_ASSERT_EQ(test, t->len, sizeof(*res));
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->devfn), FN_A);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[0].probed),
				0xff00000c);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[1].probed),
				0xffffffff);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[2].probed),
				0xfff00000);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[3].probed), 0);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(res->bar[0].host_addr),
				v11 ? 0x101000000ULL : 0);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(res->bar[1].host_addr), 0);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(res->bar[2].host_addr),
				v11 ? 0xc0100000ULL : 0);
	}

	/* The BARs of a preserved function hold the host's addresses. */
	KUNIT_ASSERT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);
	select_devfn(test, FN_A);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_0, 4),
			0x0100000c);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_1, 4), 1);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_2, 4),
			0xc0100000);

	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_QUERY_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_NONE),
			PVBUS_STATUS_NOT_FOUND);
}

/* ---------------------------------------------------------------------
 * D0_ENTRY
 */

struct d0_case {
	const char *name;
	u64 base;
	u32 size;
	u32 status;
	const char *why;
};

static const struct d0_case d0_cases[] = {
	{ "at the start of the high window", CFG, 0x2000,
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "at the end of the low window", LOW + LOW_SIZE - 0x2000, 0x2000,
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "just below a reserved range", RSV - 0x2000, 0x2000,
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "smaller than a config window", CFG, 0x1000,
	  PVBUS_STATUS_REFUSED, "its size is not the config window's" },
	{ "larger than a config window", CFG, 0x4000,
	  PVBUS_STATUS_REFUSED, "its size is not the config window's" },
	{ "2 KiB aligned", CFG + 0x800, 0x2000,
	  PVBUS_STATUS_REFUSED, "it is not 4 KiB aligned" },
	{ "in no window", 0x200000000ULL, 0x2000,
	  PVBUS_STATUS_REFUSED, "it is not inside an MMIO window of the bus" },
	{ "across the end of a window", HIGH + HIGH_SIZE - 0x1000, 0x2000,
	  PVBUS_STATUS_REFUSED, "it is not inside an MMIO window of the bus" },
	{ "across the start of a window", LOW - 0x1000, 0x2000,
	  PVBUS_STATUS_REFUSED, "it is not inside an MMIO window of the bus" },
	{ "on a reserved range", RSV, 0x2000,
	  PVBUS_STATUS_REFUSED, "it overlaps a range the host reserved" },
	{ "across the start of a reserved range", RSV - 0x1000, 0x2000,
	  PVBUS_STATUS_REFUSED, "it overlaps a range the host reserved" },
	{ "across the end of a reserved range", RSV + RSV_SIZE - 0x1000,
	  0x2000, PVBUS_STATUS_REFUSED,
	  "it overlaps a range the host reserved" },
	{ "wrapping around", 0xfffffffffffff000ULL, 0x2000,
	  PVBUS_STATUS_REFUSED, "it wraps around" },
	{ "on the config window of another bus", OTHER_CFG + 0x1000, 0x2000,
	  PVBUS_STATUS_REFUSED, "it overlaps the config window of another bus" },
	{ "on a BAR of another bus", OTHER_BAR + SZ_1M - 0x1000, 0x2000,
	  PVBUS_STATUS_REFUSED,
	  "it overlaps a BAR of a function of another bus" },
	{ "between the other bus's windows and BARs", OTHER_CFG + 0x2000,
	  0x2000, PVBUS_STATUS_SUCCESS, NULL },
};

KUNIT_ARRAY_PARAM_DESC(d0, d0_cases, name);

static void pvbus_sim_pci_test_d0(struct kunit *test)
{
	const struct d0_case *c = test->param_value;
	struct pvbus_sim_pci *pci = bus_up(test);

	other_up(test);
	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d0_entry_v(test, PVBUS_PCI_VERSION_1_1, c->base,
					 c->size), c->status);
	KUNIT_EXPECT_EQ(test, pci->d0, c->status == PVBUS_STATUS_SUCCESS);
	if (c->why)
		KUNIT_EXPECT_STREQ(test, pci->why ?: "(no reason)", c->why);
	else
		KUNIT_EXPECT_NULL(test, pci->why);
	if (c->status == PVBUS_STATUS_SUCCESS) {
		struct pvbus_pci_d0_entry *rp = (void *)resp_hdr(test);

		/* The echo the guest checks. */
		KUNIT_EXPECT_EQ(test, le64_to_cpu(rp->cfg_base), c->base);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(rp->cfg_size), c->size);
		KUNIT_EXPECT_EQ(test, rp->reserved, 0);
	}
}

/*
 * A BAR the host accepted stays the function's through D0_EXIT, until
 * RELEASED_RESOURCES: a config window there is refused, as the reverse
 * order (a BAR on the config window) is.
 */
static void pvbus_sim_pci_test_d0_own_bar(struct kunit *test)
{
	u64 addr[PVBUS_PCI_NR_BARS] = { [2] = LOW + SZ_2M };
	struct pvbus_sim_pci *pci = bus_d0(test);

	KUNIT_ASSERT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1), PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d0_entry(test, LOW + SZ_2M),
			PVBUS_STATUS_REFUSED);
	KUNIT_EXPECT_STREQ(test, pci->why ?: "(no reason)",
			   "it overlaps a BAR of a function of the bus");
	KUNIT_EXPECT_FALSE(test, pci->d0);

	/* Released, the range is free again. */
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d0_entry(test, LOW + SZ_2M),
			PVBUS_STATUS_SUCCESS);
}

/* D0 states: busy when in D0 already, a stale D0, malformed requests. */
static void pvbus_sim_pci_test_d0_state(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_pci_d0_entry req = {};
	struct pvbus_sim_pci *pci;

	t->settings.stale_d0 = true;
	pci = bus_up(test);
	KUNIT_EXPECT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_UNSUPPORTED);
	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);

	/* A previous kernel's D0: busy until the guest leaves it. */
	KUNIT_EXPECT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_BUSY);
	KUNIT_EXPECT_STREQ(test, pci->why, "the bus is in D0 already");
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, pci->d0);
	KUNIT_EXPECT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pci->cfg_base, CFG);

	/* A second D0_ENTRY, even with another window, is busy. */
	KUNIT_EXPECT_EQ(test, d0_entry(test, LOW), PVBUS_STATUS_BUSY);
	KUNIT_EXPECT_EQ(test, pci->cfg_base, CFG);

	/* D0_EXIT leaves D0, and is harmless out of it. */
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, pci->d0);

	/* Malformed: reserved set, the wrong version, too short. */
	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_D0_ENTRY, PVBUS_PCI_VERSION_1_1,
		       sizeof(req));
	req.cfg_base = cpu_to_le64(CFG);
	req.cfg_size = cpu_to_le32(PVBUS_PCI_CFG_WINDOW_SIZE);
	req.reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)),
			PVBUS_STATUS_INVALID);
	KUNIT_EXPECT_EQ(test, d0_entry_v(test, PVBUS_PCI_VERSION_1_0, CFG,
					 PVBUS_PCI_CFG_WINDOW_SIZE),
			PVBUS_STATUS_UNSUPPORTED);
	req.reserved = 0;
	req.hdr.len = cpu_to_le32(sizeof(req) - 4);
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req) - 4),
			PVBUS_STATUS_INVALID);
	KUNIT_EXPECT_FALSE(test, pci->d0);
}

/* ---------------------------------------------------------------------
 * ASSIGNED_RESOURCES
 */

struct bar_case {
	const char *name;
	u32 devfn;
	u64 addr[PVBUS_PCI_NR_BARS];
	u32 status;
	const char *why;
};

/*
 * Before each case function 01.0 has its BAR 0 at 0xc0100000 and BAR 1 at
 * 0xc0200000.  Function 00.0 has a 64-bit 16 MiB BAR 0 and a 32-bit 1 MiB
 * BAR 2.
 */
static const struct bar_case bar_cases[] = {
	{ "both BARs in place", FN_A, { 0x101000000ULL, 0, 0xc0000000 },
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "no BAR placed", FN_A, { },
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "a 64-bit BAR below 4 GiB", FN_A, { LOW + SZ_16M },
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "moved within the function", FN_B, { 0xc0200000, 0xc0100000 },
	  PVBUS_STATUS_SUCCESS, NULL },
	{ "64-bit BAR misaligned", FN_A, { 0x100800000ULL },
	  PVBUS_STATUS_REFUSED, "it is not aligned to its size" },
	{ "32-bit BAR misaligned", FN_A, { 0, 0, 0xc0080000 },
	  PVBUS_STATUS_REFUSED, "it is not aligned to its size" },
	{ "32-bit BAR above 4 GiB", FN_A, { 0, 0, 0x101000000ULL },
	  PVBUS_STATUS_REFUSED, "a 32-bit BAR must lie below 4 GiB" },
	{ "in no window", FN_A, { 0x200000000ULL },
	  PVBUS_STATUS_REFUSED, "it is not inside an MMIO window of the bus" },
	{ "across the end of a window", FN_A, { HIGH + 0x3000000 },
	  PVBUS_STATUS_REFUSED, "it is not inside an MMIO window of the bus" },
	{ "on the config window", FN_A, { HIGH },
	  PVBUS_STATUS_REFUSED, "it overlaps the config window" },
	{ "on a reserved range", FN_A, { 0, 0, RSV },
	  PVBUS_STATUS_REFUSED, "it overlaps a range the host reserved" },
	{ "on another BAR of the function", FN_B, { 0xc0300000, 0xc0300000 },
	  PVBUS_STATUS_REFUSED, "it overlaps another BAR of the function" },
	{ "on a BAR of another function", FN_A, { 0, 0, 0xc0100000 },
	  PVBUS_STATUS_REFUSED, "it overlaps a BAR of another function" },
	{ "a 64-bit BAR over a BAR of another function", FN_A, { LOW },
	  PVBUS_STATUS_REFUSED, "it overlaps a BAR of another function" },
	{ "an address for an upper half", FN_A, { 0x101000000ULL, 1 },
	  PVBUS_STATUS_INVALID,
	  "an address for a BAR the function does not have" },
	{ "an address for no BAR", FN_A, { 0, 0, 0, 0xc0300000 },
	  PVBUS_STATUS_INVALID,
	  "an address for a BAR the function does not have" },
	{ "no such function", FN_NONE, { },
	  PVBUS_STATUS_NOT_FOUND, "no such function" },
	{ "on the config window of another bus", FN_A, { 0, 0, OTHER_CFG },
	  PVBUS_STATUS_REFUSED, "it overlaps the config window of another bus" },
	{ "on a BAR of another bus", FN_A, { 0, 0, OTHER_BAR },
	  PVBUS_STATUS_REFUSED,
	  "it overlaps a BAR of a function of another bus" },
};

KUNIT_ARRAY_PARAM_DESC(bar, bar_cases, name);

static void pvbus_sim_pci_test_assign(struct kunit *test)
{
	const struct bar_case *c = test->param_value;
	const u64 b_addr[PVBUS_PCI_NR_BARS] = { 0xc0100000, 0xc0200000 };
	struct pvbus_sim_pci *pci = bus_d0(test);
	struct pvbus_sim_pci_fn *fn;

	other_up(test);
	KUNIT_ASSERT_EQ(test, assign(test, FN_B, b_addr),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, c->devfn, c->addr), c->status);
	if (c->why)
		KUNIT_EXPECT_STREQ(test, pci->why ?: "(no reason)", c->why);
	else
		KUNIT_EXPECT_NULL(test, pci->why);

	fn = pvbus_sim_pci_find(pci, c->devfn);
	if (c->status == PVBUS_STATUS_SUCCESS) {
		struct pvbus_pci_assigned *rp = (void *)resp_hdr(test);

		KUNIT_ASSERT_NOT_NULL(test, fn);
		KUNIT_EXPECT_EQ(test, memcmp(fn->assigned, c->addr,
					     sizeof(c->addr)), 0);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(rp->devfn), c->devfn);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(rp->addr[0]), c->addr[0]);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(rp->addr[2]), c->addr[2]);
	} else if (fn && c->devfn == FN_B) {
		/* A refusal keeps what was accepted before. */
		KUNIT_EXPECT_EQ(test, fn->assigned[0], b_addr[0]);
	}
}

/* The states that refuse ASSIGNED_RESOURCES, and release. */
static void pvbus_sim_pci_test_assign_state(struct kunit *test)
{
	struct pci_test *t = test->priv;
	const u64 addr[PVBUS_PCI_NR_BARS] = { 0, 0, 0xc0100000 };
	const u64 b_addr[PVBUS_PCI_NR_BARS] = { 0xc0100000 };
	struct pvbus_sim_pci *pci = bus_up(test);

	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_BUSY);
	KUNIT_EXPECT_STREQ(test, pci->why, "the bus is not in D0");

	KUNIT_ASSERT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_B, b_addr),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_REFUSED);

	/* Released, the range is free again. */
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_B),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_NONE),
			PVBUS_STATUS_NOT_FOUND);

	/*
	 * A function being ejected is the guest's until EJECT_COMPLETE, which
	 * frees its BARs.
	 */
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_B), 0);
	KUNIT_EXPECT_EQ(test, assign(test, FN_B, b_addr), PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_REFUSED);
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT_COMPLETE,
					PVBUS_PCI_VERSION_1_1, FN_B),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, assign(test, FN_A, addr), PVBUS_STATUS_SUCCESS);
}

/* ---------------------------------------------------------------------
 * Config space
 */

struct sizing_case {
	const char *bars;
	unsigned int b;		/* the BAR to size */
	u32 lo;			/* it reads after all ones */
	u32 hi;			/* the upper half reads after all ones */
	u64 addr;		/* an address to program */
};

static const struct sizing_case sizing_cases[] = {
	{ "32:1M", 0, 0xfff00000, 0, 0xfe100000 },
	{ "32p:4K", 0, 0xfffff008, 0, 0xfe001000 },
	{ "32:16", 0, 0xfffffff0, 0, 0xfe000010 },
	{ "32:2G", 0, 0x80000000, 0, 0x80000000 },
	{ "- 32:64K", 1, 0xffff0000, 0, 0xc0010000 },
	{ "64:16M", 0, 0xff000004, 0xffffffff, 0x101000000ULL },
	{ "64p:16M", 0, 0xff00000c, 0xffffffff, 0x841000000ULL },
	{ "32:4K 64p:8G", 1, 0x0000000c, 0xfffffffe, 0x800000000ULL },
	{ "32:4K 32:4K 32:4K 32:4K 64:4K", 4, 0xfffff004, 0xffffffff,
	  0xfffffffffffff000ULL },
};

static void sizing_case_desc(const struct sizing_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "BAR %u of \"%s\"", c->b,
		 c->bars);
}

KUNIT_ARRAY_PARAM(sizing, sizing_cases, sizing_case_desc);

static void pvbus_sim_pci_test_sizing(struct kunit *test)
{
	const struct sizing_case *c = test->param_value;
	struct pci_test *t = test->priv;
	struct pvbus_pci_resources *res = (void *)resp_hdr(test);
	unsigned int reg = PCI_BASE_ADDRESS_0 + 4 * c->b, b;
	bool is64 = c->lo & PCI_BASE_ADDRESS_MEM_TYPE_64;
	u32 flags = c->lo & ~PCI_BASE_ADDRESS_MEM_MASK;

	fn_desc(&t->settings.fn[0], FN_A, c->bars);
	bus_d0(test);
	select_devfn(test, FN_A);

	/* A fresh BAR reads its flags; all ones read back the size mask. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4), flags);
	cfg_write(test, reg, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4), c->lo);
	if (is64) {
		KUNIT_EXPECT_EQ(test, cfg_read(test, reg + 4, 4), 0);
		cfg_write(test, reg + 4, 4, 0xffffffff);
		KUNIT_EXPECT_EQ(test, cfg_read(test, reg + 4, 4), c->hi);
	}

	/* What QUERY_RESOURCES says the host probed is just that. */
	KUNIT_ASSERT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_QUERY_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[c->b].probed), c->lo);
	if (is64)
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[c->b + 1].probed),
				c->hi);
	/* The other BARs size as the host says. */
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (b == c->b || (is64 && b == c->b + 1))
			continue;
		reg = PCI_BASE_ADDRESS_0 + 4 * b;
		cfg_write(test, reg, 4, 0xffffffff);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(res->bar[b].probed),
				cfg_read(test, reg, 4));
	}
	reg = PCI_BASE_ADDRESS_0 + 4 * c->b;

	/* An address reads back as written, with the flags. */
	cfg_write(test, reg, 4, lower_32_bits(c->addr));
	if (is64)
		cfg_write(test, reg + 4, 4, upper_32_bits(c->addr));
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4),
			lower_32_bits(c->addr) | flags);
	if (is64)
		KUNIT_EXPECT_EQ(test, cfg_read(test, reg + 4, 4),
				upper_32_bits(c->addr));

	/* The flag bits and the bits below the size are read-only. */
	cfg_write(test, reg, 1, lower_32_bits(c->addr) | 0x0f);
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4),
			lower_32_bits(c->addr) | flags);
	cfg_write(test, reg, 4, lower_32_bits(c->addr) | 0x1);
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4),
			lower_32_bits(c->addr) | flags);

	/* A 16-bit write changes half of the BAR. */
	cfg_write(test, reg + 2, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4),
			((lower_32_bits(c->addr) | 0xffff0000) & c->lo) |
			flags);
	KUNIT_EXPECT_EQ(test, cfg_read(test, reg + 2, 2),
			(c->lo >> 16) & 0xffff);
}

/* The rest of the header, the selector, and the window's bounds. */
static void pvbus_sim_pci_test_config_space(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_pci *pci;
	unsigned int reg;
	u32 val, zero = 0;

	fn_desc(&t->settings.fn[2], FN_B + 1, "32:4K");
	t->settings.nr_fns = 3;
	pci = bus_up(test);

	/* Out of D0 the window does not exist. */
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG, 4, &val), -EINVAL);
	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);

	/* Outside the window, misaligned, of a size that does not exist. */
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG - 4, 4, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG + 0x2000, 1, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, win_access(test, true, CFG + 0x2000, 4, &zero),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG + 0x1002, 4, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG + 0x1000, 3, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, win_read(test, 0x1ffc, 4), 0xffffffff);

	/* Nothing selected, an absent function: all ones; writes ignored. */
	KUNIT_EXPECT_EQ(test, win_read(test, PVBUS_PCI_CFG_SELECT, 4),
			PVBUS_SIM_PCI_NO_DEVFN);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0xffffffff);
	select_devfn(test, FN_NONE);
	KUNIT_EXPECT_EQ(test, win_read(test, PVBUS_PCI_CFG_SELECT, 4),
			FN_NONE);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 2), 0xffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1), 0xff);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	select_devfn(test, 0x100);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0xffffffff);
	/* The rest of page 0 reads 0. */
	KUNIT_EXPECT_EQ(test, win_read(test, 0x10, 4), 0);

	/* The header of 00.0, alone in its slot. */
	select_devfn(test, FN_A);
	KUNIT_EXPECT_EQ(test, win_read(test, PVBUS_PCI_CFG_SELECT, 1), FN_A);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x56781234);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_DEVICE_ID, 2), 0x5678);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CLASS_REVISION, 4),
			0x01080203);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CLASS_PROG, 1), 0x02);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CLASS_DEVICE, 2), 0x0108);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1),
			PCI_HEADER_TYPE_NORMAL);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_SUBSYSTEM_VENDOR_ID, 4),
			0xef01abcd);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_SUBSYSTEM_ID, 2), 0xef01);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_STATUS, 2), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CAPABILITY_LIST, 1), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_PIN, 1), 0);

	/* The command register: memory decode and friends, not I/O. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2), 0);
	cfg_write(test, PCI_COMMAND, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2),
			PVBUS_SIM_PCI_CMD_MASK);
	KUNIT_EXPECT_TRUE(test, cfg_read(test, PCI_COMMAND, 2) &
				PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_FALSE(test, cfg_read(test, PCI_COMMAND, 2) &
				 PCI_COMMAND_IO);
	cfg_write(test, PCI_COMMAND, 1, 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2),
			PVBUS_SIM_PCI_CMD_MASK & 0xff00);
	/* A dword write hits the status too, which ignores it. */
	cfg_write(test, PCI_COMMAND, 4, 0xffff0000 | PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 4),
			PCI_COMMAND_MEMORY);

	/* Everything else reads 0 and ignores writes: ROM, ints, ext space. */
	for (reg = PCI_CARDBUS_CIS; reg < 0x1000; reg += 4) {
		if (reg == PCI_SUBSYSTEM_VENDOR_ID)
			continue;
		cfg_write(test, reg, 4, 0xffffffff);
		KUNIT_EXPECT_EQ(test, cfg_read(test, reg, 4), 0);
	}
	cfg_write(test, PCI_CACHE_LINE_SIZE, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CACHE_LINE_SIZE, 4), 0);
	cfg_write(test, PCI_VENDOR_ID, 4, 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x56781234);

	/* 01.0 and 01.1 share a slot: multi-function. */
	select_devfn(test, FN_B);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1),
			PVBUS_SIM_PCI_MFD);
	select_devfn(test, FN_B + 1);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x56811234);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1),
			PVBUS_SIM_PCI_MFD);

	/* D0_EXIT takes the window away. */
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, win_access(test, false, CFG + 0x1000, 4, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci->d0, false);
}

/* ---------------------------------------------------------------------
 * Hot add and eject
 */

/* The next notification is @type, @len bytes, and valid for a guest. */
static void *expect_note(struct kunit *test, u16 type, u16 version,
			 size_t len)
{
	struct pvbus_sim_msg *m = next_note(test);
	struct pvbus_msg_hdr *hdr;

	KUNIT_ASSERT_NOT_NULL(test, m);
	hdr = (void *)m->data;
	KUNIT_EXPECT_TRUE(test, m->to_guest);
	KUNIT_EXPECT_EQ(test, m->len, len);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->type), type);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->version), version);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->len), len);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->flags), PVBUS_MSG_F_NOTIFY);
	KUNIT_EXPECT_EQ(test, hdr->trans_id, 0);
	KUNIT_EXPECT_EQ(test, hdr->status, 0);
	return m->data;
}

static void pvbus_sim_pci_test_hotplug(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_sim_pci_fn_desc d;
	struct pvbus_pci_relations *rel;
	struct pvbus_pci_devfn_msg *ej;
	struct pvbus_sim_pci *pci;
	unsigned int i;

	t->settings.nr_fns = 1;
	pci = bus_up(test);

	/* Before a guest negotiated: no notification, eject at once. */
	fn_desc(&d, FN_B, "32:1M");
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), -EEXIST);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_B), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_B),
			PVBUS_SIM_PCI_ABSENT);
	KUNIT_EXPECT_NULL(test, next_note(test));

	/* Hot add: RELATIONS_CHANGED with the new list. */
	KUNIT_ASSERT_EQ(test, query_version(test, PVBUS_PCI_VERSION_1_0),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), 0);
	rel = expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
			  PVBUS_PCI_VERSION_1_0, struct_size(rel, fn, 2));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->count), 2);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->fn[0].devfn), FN_A);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->fn[1].devfn), FN_B);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(rel->fn[1].device), 0x5678 + FN_B);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_B),
			PVBUS_SIM_PCI_PRESENT);

	/* Eject: EJECT, then gone at EJECT_COMPLETE. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_B), 0);
	ej = expect_note(test, PVBUS_PCI_MSG_EJECT, PVBUS_PCI_VERSION_1_0,
			 sizeof(*ej));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(ej->devfn), FN_B);
	KUNIT_EXPECT_EQ(test, ej->reserved, 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_B),
			PVBUS_SIM_PCI_EJECTING);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_B), -EBUSY);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_NONE), -ENOENT);
	/* Still listed until the guest completes. */
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_QUERY_RELATIONS,
				   PVBUS_PCI_VERSION_1_0),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(((struct pvbus_pci_relations *)
					   resp_hdr(test))->count), 2);
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT_COMPLETE,
					PVBUS_PCI_VERSION_1_0, FN_A),
			PVBUS_STATUS_BUSY);
	KUNIT_EXPECT_STREQ(test, pci->why,
			   "the host did not eject the function");
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT_COMPLETE,
					PVBUS_PCI_VERSION_1_0, FN_B),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_B),
			PVBUS_SIM_PCI_ABSENT);
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT_COMPLETE,
					PVBUS_PCI_VERSION_1_0, FN_B),
			PVBUS_STATUS_NOT_FOUND);
	KUNIT_EXPECT_NULL(test, next_note(test));

	/* Surprise removal: RELATIONS_CHANGED without it. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_remove_fn(&t->sdev, FN_A), 0);
	rel = expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
			  PVBUS_PCI_VERSION_1_0, struct_size(rel, fn, 0));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->count), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_remove_fn(&t->sdev, FN_A),
			-ENOENT);

	/* Room for %PVBUS_PCI_MAX_FUNCTIONS. */
	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++) {
		fn_desc(&d, i, "32:4K");
		KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), 0);
		if (i < PVBUS_PCI_MAX_FUNCTIONS - 1)
			next_note(test);
	}
	rel = expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
			  PVBUS_PCI_VERSION_1_0, PVBUS_SIM_PCI_REL_MAX);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->count),
			PVBUS_PCI_MAX_FUNCTIONS);
	fn_desc(&d, i, "32:4K");
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), -ENOSPC);
	KUNIT_EXPECT_NULL(test, next_note(test));
	fn_desc(&d, PVBUS_PCI_MAX_DEVFN + 1, "32:4K");
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_remove_fn(&t->sdev, 0), 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &d), -EINVAL);
}

/*
 * A surprise removal takes the function out of the relations even when
 * there is no memory to tell the guest: one left in them stays in the
 * guest's reach after its configfs item says it is gone, and a
 * passed-through one after it was given back to its native driver.
 */
static void pvbus_sim_pci_test_remove_no_memory(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct pvbus_failslab fs;
	bool fired;
	int ret;

	t->settings.nr_fns = 1;
	bus_up(test);
	KUNIT_ASSERT_NE(test, pvbus_sim_pci_fn_state(&t->sdev, FN_A),
			PVBUS_SIM_PCI_ABSENT);

	if (pvbus_failslab_quiet(&fs))
		kunit_skip(test, "no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)");
	pvbus_fault_arm(1);
	ret = pvbus_sim_pci_remove_fn(&t->sdev, FN_A);
	fired = pvbus_fault_disarm();
	pvbus_failslab_restore(&fs);

	KUNIT_EXPECT_TRUE_MSG(test, fired, "no allocation failed");
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_A),
			PVBUS_SIM_PCI_ABSENT);
}

/* ---------------------------------------------------------------------
 * Passed-through functions
 */

/*
 * A real function to pass through: 256 bytes of config space; BAR 0 a
 * 64-bit 16 KiB memory BAR, BAR 2 a 32-bit 4 KiB one; the status
 * register's error bits cleared by writing ones; an MSI-X capability at
 * 0x40; and a log of every write it takes.
 */
struct fake_pt {
	struct pvbus_sim_pt pt;
	u8 cfg[256];
	u8 wmask[256];
	u8 w1c[256];
	struct {
		u16 where;
		u8 size;
		u32 val;
		u16 devctl;	/* Device Control as the write found it */
	} log[128];
	unsigned int nr_log;
	bool silent;
};

#define FAKE_BAR0	0xfebf0000
#define FAKE_BAR2	0xfebf4000
/* Where fake_add_host_regs() puts its PCI Express capability. */
#define FAKE_PCIE	0x50
#define FAKE_DEVCTL	(FAKE_PCIE + PCI_EXP_DEVCTL)
/* INTx off in the real command register, once the host has the function. */
#define INTX_OFF	PCI_COMMAND_INTX_DISABLE

static struct fake_pt *to_fake(struct pvbus_sim_pt *pt)
{
	return container_of(pt, struct fake_pt, pt);
}

static int fake_read(struct pvbus_sim_pt *pt, unsigned int where,
		     unsigned int size, u32 *val)
{
	struct fake_pt *f = to_fake(pt);
	unsigned int i;

	if (where + size > sizeof(f->cfg))
		return -EIO;
	/* In reset: config reads complete with all ones. */
	if (f->silent) {
		*val = pvbus_sim_pci_size_mask(size);
		return 0;
	}
	*val = 0;
	for (i = 0; i < size; i++)
		*val |= (u32)f->cfg[where + i] << (8 * i);
	return 0;
}

static int fake_write(struct pvbus_sim_pt *pt, unsigned int where,
		      unsigned int size, u32 val)
{
	struct fake_pt *f = to_fake(pt);
	unsigned int i;
	u8 b;

	if (where + size > sizeof(f->cfg))
		return -EIO;
	if (f->nr_log < ARRAY_SIZE(f->log)) {
		f->log[f->nr_log].where = where;
		f->log[f->nr_log].size = size;
		f->log[f->nr_log].val = val;
		f->log[f->nr_log].devctl = f->cfg[FAKE_DEVCTL] |
					   f->cfg[FAKE_DEVCTL + 1] << 8;
		f->nr_log++;
	}
	for (i = 0; i < size; i++) {
		b = val >> (8 * i);
		f->cfg[where + i] = (f->cfg[where + i] & ~f->wmask[where + i]) |
				    (b & f->wmask[where + i]);
		f->cfg[where + i] &= ~(b & f->w1c[where + i]);
	}
	return 0;
}

static const struct pvbus_sim_pt_ops fake_pt_ops = {
	.read	= fake_read,
	.write	= fake_write,
};

static void fake_put(u8 *p, unsigned int where, unsigned int size, u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		p[where + i] = val >> (8 * i);
}

static u32 fake_get(struct fake_pt *f, unsigned int where, unsigned int size)
{
	u32 val;

	fake_read(&f->pt, where, size, &val);
	return val;
}

/* A fake real NVMe, decoding and mastering at its native addresses. */
static struct fake_pt *fake_new(struct kunit *test, u8 hdr_type)
{
	struct fake_pt *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->pt.ops = &fake_pt_ops;
	f->pt.cfg_size = sizeof(f->cfg);
	f->pt.name = "0000:00:04.0";

	fake_put(f->cfg, PCI_VENDOR_ID, 4, 0x00101b36);
	fake_put(f->cfg, PCI_COMMAND, 4, 0x20100000 | PCI_COMMAND_MEMORY |
		 PCI_COMMAND_MASTER);
	fake_put(f->wmask, PCI_COMMAND, 2, 0x0547);
	fake_put(f->w1c, PCI_STATUS, 2, 0xf900);
	fake_put(f->cfg, PCI_CLASS_REVISION, 4, 0x01080202);
	fake_put(f->wmask, PCI_CACHE_LINE_SIZE, 2, 0xffff);
	f->cfg[PCI_HEADER_TYPE] = hdr_type;
	f->cfg[PCI_BIST] = PCI_BIST_CAPABLE;
	fake_put(f->cfg, PCI_BASE_ADDRESS_0, 4, FAKE_BAR0 |
		 PCI_BASE_ADDRESS_MEM_TYPE_64);
	fake_put(f->wmask, PCI_BASE_ADDRESS_0, 4, 0xffffc000);
	fake_put(f->wmask, PCI_BASE_ADDRESS_1, 4, 0xffffffff);
	fake_put(f->cfg, PCI_BASE_ADDRESS_2, 4, FAKE_BAR2);
	fake_put(f->wmask, PCI_BASE_ADDRESS_2, 4, 0xfffff000);
	fake_put(f->cfg, PCI_SUBSYSTEM_VENDOR_ID, 4, 0x11001af4);
	fake_put(f->wmask, PCI_ROM_ADDRESS, 4, 0xfffff801);
	f->cfg[PCI_CAPABILITY_LIST] = 0x40;
	f->cfg[PCI_INTERRUPT_LINE] = 11;
	f->cfg[PCI_INTERRUPT_PIN] = 1;
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	f->cfg[0x40] = PCI_CAP_ID_MSIX;
	fake_put(f->cfg, 0x40 + PCI_MSIX_FLAGS, 2, 0x0040);
	fake_put(f->wmask, 0x40 + PCI_MSIX_FLAGS, 2, 0xc000);
	return f;
}

/* The fake took a write to a byte of [@where, @where + @size). */
static bool fake_wrote(struct fake_pt *f, unsigned int where,
		       unsigned int size)
{
	unsigned int i;

	for (i = 0; i < f->nr_log; i++)
		if (f->log[i].where < where + size &&
		    where < f->log[i].where + f->log[i].size)
			return true;
	return false;
}

/* The function of the bus t->settings.fn[@i] describes, passed through @f. */
static void pt_desc(struct kunit *test, unsigned int i, u32 devfn,
		    struct fake_pt *f)
{
	struct pvbus_sim_pci_fn_desc *d = &((struct pci_test *)test->priv)->settings.fn[i];

	fn_desc(d, devfn, "64:16K 32:4K");
	d->id.vendor = 0x1b36;
	d->id.device = 0x0010;
	d->pt = &f->pt;
}

/* The config space of a passed-through function, but for decode. */
static void pvbus_sim_pci_test_pt_config(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct fake_pt *a = fake_new(test, PVBUS_SIM_PCI_MFD);
	struct fake_pt *b = fake_new(test, PCI_HEADER_TYPE_NORMAL);
	unsigned int reg;

	/* A at 00.0, alone; B at 01.1, beside the emulated 01.0. */
	pt_desc(test, 0, FN_A, a);
	pt_desc(test, 2, FN_B + 1, b);
	t->settings.nr_fns = 3;
	bus_d0(test);

	/* Offered: its BARs where they were, decode, mastering and INTx off. */
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_BASE_ADDRESS_0, 4),
			FAKE_BAR0 | PCI_BASE_ADDRESS_MEM_TYPE_64);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_BASE_ADDRESS_2, 4), FAKE_BAR2);
	a->nr_log = 0;

	select_devfn(test, FN_A);
	/* Forwarded: ids, class, status, capabilities. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x00101b36);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_DEVICE_ID, 2), 0x0010);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CLASS_REVISION, 4),
			0x01080202);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_SUBSYSTEM_ID, 2), 0x1100);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_STATUS, 2), 0x2010);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CAPABILITY_LIST, 1), 0x40);
	KUNIT_EXPECT_EQ(test, cfg_read(test, 0x40, 4), 0x00400011);

	/* Emulated: header type of this bus, no BIST, ROM, INTx. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1),
			PCI_HEADER_TYPE_NORMAL);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BIST, 1), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_ROM_ADDRESS, 4), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_LINE, 2), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_PIN, 1), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_MAX_LAT, 1), 0);
	/* Beyond the real config space: all ones. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, 0x100, 4), 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, 0xffc, 2), 0xffff);

	/* The status is written as the guest writes it: one bit cleared. */
	cfg_write(test, PCI_STATUS, 2, PCI_STATUS_REC_MASTER_ABORT);
	KUNIT_ASSERT_EQ(test, a->nr_log, 1);
	KUNIT_EXPECT_EQ(test, a->log[0].where, PCI_STATUS);
	KUNIT_EXPECT_EQ(test, a->log[0].size, 2);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);

	/* Cache line size and latency go through; header type, BIST not. */
	cfg_write(test, PCI_CACHE_LINE_SIZE, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_CACHE_LINE_SIZE, 4),
			0x8080ffff);
	cfg_write(test, PCI_HEADER_TYPE, 2, 0);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_CACHE_LINE_SIZE, 4),
			0x8080ffff);
	KUNIT_EXPECT_FALSE(test, fake_wrote(a, PCI_HEADER_TYPE, 2));

	/* Capabilities: written through, with the size written. */
	cfg_write(test, 0x40 + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
	KUNIT_EXPECT_EQ(test, fake_get(a, 0x40 + PCI_MSIX_FLAGS, 2),
			PCI_MSIX_FLAGS_ENABLE | 0x40);
	KUNIT_EXPECT_EQ(test, a->log[a->nr_log - 1].size, 2);

	/* Never to the real function: ROM, INTx line, beyond its space. */
	a->nr_log = 0;
	cfg_write(test, PCI_ROM_ADDRESS, 4, 0xffffffff);
	cfg_write(test, PCI_INTERRUPT_LINE, 1, 5);
	cfg_write(test, 0x100, 4, 0);
	KUNIT_EXPECT_EQ(test, a->nr_log, 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_ROM_ADDRESS, 4), 0);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_INTERRUPT_LINE, 1), 11);

	/* BARs size as the real ones, which never see it. */
	for (reg = PCI_BASE_ADDRESS_0; reg <= PCI_BASE_ADDRESS_5; reg += 4)
		cfg_write(test, reg, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_0, 4),
			0xffffc000 | PCI_BASE_ADDRESS_MEM_TYPE_64);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_1, 4),
			0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_2, 4),
			0xfffff000);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_3, 4), 0);
	KUNIT_EXPECT_EQ(test, a->nr_log, 0);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_BASE_ADDRESS_0, 4),
			FAKE_BAR0 | PCI_BASE_ADDRESS_MEM_TYPE_64);

	/* B shares its device number with 01.0: multi-function. */
	select_devfn(test, FN_B + 1);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_HEADER_TYPE, 1),
			PVBUS_SIM_PCI_MFD);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x00101b36);
	select_devfn(test, FN_B);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x56801234);
}

/* The BARs of 00.0 at their place in the windows, as the guest puts them. */
#define PT_BAR0		(HIGH + 16 * SZ_1M)
#define PT_BAR2		(LOW + SZ_1M)

static void pt_write_bars(struct kunit *test, u64 bar0, u32 bar2)
{
	cfg_write(test, PCI_BASE_ADDRESS_0, 4, lower_32_bits(bar0));
	cfg_write(test, PCI_BASE_ADDRESS_1, 4, upper_32_bits(bar0));
	cfg_write(test, PCI_BASE_ADDRESS_2, 4, bar2);
}

static u32 pt_assign(struct kunit *test, u64 bar0, u32 bar2)
{
	u64 addr[PVBUS_PCI_NR_BARS] = { bar0, 0, bar2 };

	return assign(test, FN_A, addr);
}

/* The index in the log of the first write to @where, or -1. */
static int fake_first(struct fake_pt *f, unsigned int where)
{
	unsigned int i;

	for (i = 0; i < f->nr_log; i++)
		if (f->log[i].where == where)
			return i;
	return -1;
}

/* The real function's BARs where pt_assign() put them, its command @cmd. */
static void expect_assigned(struct kunit *test, struct fake_pt *f, u16 cmd)
{
	KUNIT_EXPECT_EQ(test, fake_get(f, PCI_BASE_ADDRESS_0, 4),
			lower_32_bits(PT_BAR0) | PCI_BASE_ADDRESS_MEM_TYPE_64);
	KUNIT_EXPECT_EQ(test, fake_get(f, PCI_BASE_ADDRESS_1, 4),
			upper_32_bits(PT_BAR0));
	KUNIT_EXPECT_EQ(test, fake_get(f, PCI_BASE_ADDRESS_2, 4), PT_BAR2);
	KUNIT_EXPECT_EQ(test, fake_get(f, PCI_COMMAND, 2), cmd);
}

/* The real function decodes where and while the host allows it. */
static void pvbus_sim_pci_test_pt_decode(struct kunit *test)
{
	struct fake_pt *a = fake_new(test, PCI_HEADER_TYPE_NORMAL);
	struct pvbus_sim_pci *pci;

	pt_desc(test, 0, FN_A, a);
	pci = bus_d0(test);
	select_devfn(test, FN_A);
	a->nr_log = 0;

	/* The guest places the BARs with decode off: nothing reaches them. */
	pt_write_bars(test, PT_BAR0, PT_BAR2);
	KUNIT_EXPECT_EQ(test, a->nr_log, 0);

	/*
	 * Memory decode before ASSIGNED_RESOURCES: held back, and said in
	 * the log from a work item, not under the caller's raw locks.
	 */
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_EXPECT_FALSE(test, fake_wrote(a, PCI_BASE_ADDRESS_0, 24));
	flush_work(&pci->say_work);
	KUNIT_EXPECT_EQ(test, pci->said_later, 1U);
	KUNIT_EXPECT_STREQ(test, pci->said,
			   "kunit: pass-through 0000:00:04.0 as 00.0: memory decode held back: a BAR was not assigned");
	KUNIT_EXPECT_STREQ(test, pci->say, "");
	KUNIT_EXPECT_STREQ(test, pci->later, "");

	/* Assigned: the BARs go into the real ones, then decode goes on. */
	a->nr_log = 0;
	KUNIT_ASSERT_EQ(test, pt_assign(test, PT_BAR0, PT_BAR2),
			PVBUS_STATUS_SUCCESS);
	expect_assigned(test, a,
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_ASSERT_GE(test, fake_first(a, PCI_COMMAND), 0);
	KUNIT_EXPECT_LT(test, fake_first(a, PCI_BASE_ADDRESS_0),
			fake_first(a, PCI_COMMAND));
	KUNIT_EXPECT_LT(test, fake_first(a, PCI_BASE_ADDRESS_2),
			fake_first(a, PCI_COMMAND));

	/* Writing the same again changes nothing. */
	a->nr_log = 0;
	pt_write_bars(test, PT_BAR0, PT_BAR2);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_EXPECT_FALSE(test, fake_wrote(a, PCI_BASE_ADDRESS_0, 24));
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);

	/* Moved where the host did not assign it: decode off, BAR kept. */
	cfg_write(test, PCI_BASE_ADDRESS_2, 4, PT_BAR2 + SZ_1M);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_BASE_ADDRESS_2, 4), PT_BAR2);
	KUNIT_EXPECT_TRUE(test, cfg_read(test, PCI_COMMAND, 2) &
				PCI_COMMAND_MEMORY);
	/* Back where it was assigned: decode on again. */
	cfg_write(test, PCI_BASE_ADDRESS_2, 4, PT_BAR2);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
	/* Moved and assigned there: the real BAR follows. */
	cfg_write(test, PCI_BASE_ADDRESS_2, 4, PT_BAR2 + SZ_1M);
	KUNIT_ASSERT_EQ(test, pt_assign(test, PT_BAR0, PT_BAR2 + SZ_1M),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_BASE_ADDRESS_2, 4),
			PT_BAR2 + SZ_1M);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);

	/* Never I/O decode: no I/O BAR is passed through. */
	cfg_write(test, PCI_COMMAND, 1, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | INTX_OFF);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 1),
			PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	/* The guest turns decode off: so does the real function. */
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MASTER | INTX_OFF);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	/* RELEASED_RESOURCES: no decode, no mastering. */
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);

	/* Assigned and enabled again, then D0_EXIT: likewise. */
	KUNIT_ASSERT_EQ(test, pt_assign(test, PT_BAR0, PT_BAR2 + SZ_1M),
			PVBUS_STATUS_SUCCESS);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	KUNIT_EXPECT_FALSE(test, pci->d0);
}

/* Enable 00.0 where the guest put it, as pci-pvbus does. */
static void pt_enable(struct kunit *test, struct fake_pt *f)
{
	select_devfn(test, FN_A);
	pt_write_bars(test, PT_BAR0, PT_BAR2);
	KUNIT_ASSERT_EQ(test, pt_assign(test, PT_BAR0, PT_BAR2),
			PVBUS_STATUS_SUCCESS);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_ASSERT_EQ(test, fake_get(f, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
}

/* A real function at 00.0, alone, the bus in D0 and the function enabled. */
static struct fake_pt *pt_one_enabled(struct kunit *test)
{
	struct fake_pt *a = fake_new(test, PCI_HEADER_TYPE_NORMAL);

	pt_desc(test, 0, FN_A, a);
	bus_d0(test);
	pt_enable(test, a);
	return a;
}

/*
 * The bus goes (its root is unbound) while the guest has a real function
 * enabled and its last requests were refused or lost (a host fault, a
 * guest that did not answer): the host's disconnect gives the function up
 * as a D0_EXIT would.  Only the guest's own D0_EXIT and
 * RELEASED_RESOURCES used to, and the function went on decoding at the
 * guest's addresses after its window had left iomem.
 */
static void pvbus_sim_pci_test_pt_disconnect(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct fake_pt *a = pt_one_enabled(test);
	struct pvbus_sim_pci *pci = t->sdev.cls;

	pvbus_sim_disconnect(&t->host.host);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	KUNIT_EXPECT_FALSE(test, pci->d0);
	KUNIT_EXPECT_EQ(test, pci->cfg_base, 0ULL);
}

/*
 * The guest resets the function (an FLR, D3hot to D0), which clears its
 * real BARs and command register, then restores the command register as
 * pci_restore_state() does: the BARs go back where they were assigned
 * before decode goes on.  The host used to trust what it had last written
 * to them, and let the function decode at 0.
 */
struct pt_reset_case {
	const char *name;
	unsigned int reg, size;
	u32 val;
	u16 cmd;		/* the real command register after it */
};

static const struct pt_reset_case reset_cases[] = {
	{ "the command register restored", PCI_COMMAND, 2,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF },
	/* Decode back on, as the guest has it: INTx with it off. */
	{ "a forwarded write, INTx still off", 0x40 + PCI_MSIX_FLAGS, 2, 0,
	  PCI_COMMAND_MEMORY | INTX_OFF },
};

KUNIT_ARRAY_PARAM_DESC(pt_reset, reset_cases, name);

static void pvbus_sim_pci_test_pt_reset(struct kunit *test)
{
	const struct pt_reset_case *c = test->param_value;
	struct fake_pt *a = pt_one_enabled(test);

	fake_put(a->cfg, PCI_COMMAND, 2, 0);
	fake_put(a->cfg, PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_MEM_TYPE_64);
	fake_put(a->cfg, PCI_BASE_ADDRESS_1, 4, 0);
	fake_put(a->cfg, PCI_BASE_ADDRESS_2, 4, 0);
	cfg_write(test, c->reg, c->size, c->val);

	expect_assigned(test, a, c->cmd);
}

/* A config access of the guest: @size bytes at @reg, @val written or read. */
struct pt_reg_case {
	const char *name;
	unsigned int reg, size;
	u32 val;
};

/*
 * A BAR moves behind the host (the guest resized it through a register
 * the host does not know of, a vendor's own): after the write, whatever
 * it is, the function does not decode, since its BAR no longer holds the
 * address assigned to it.
 */
static const struct pt_reg_case resized_cases[] = {
	{ "a forwarded write", 0x40 + PCI_MSIX_FLAGS, 2, 0 },
	{ "a command write", PCI_COMMAND, 2,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER },
};

KUNIT_ARRAY_PARAM_DESC(resized, resized_cases, name);

static void pvbus_sim_pci_test_pt_resized(struct kunit *test)
{
	const struct pt_reg_case *c = test->param_value;
	struct fake_pt *a = pt_one_enabled(test);
	u32 bar0;

	/* BAR 0 is 64 MiB now: address bits 25:14 read as zero. */
	fake_put(a->wmask, PCI_BASE_ADDRESS_0, 4, 0xfc000000);
	bar0 = fake_get(a, PCI_BASE_ADDRESS_0, 4);
	fake_put(a->cfg, PCI_BASE_ADDRESS_0, 4, bar0 & 0xfc00000f);
	cfg_write(test, c->reg, c->size, c->val);

	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY,
			0);
}

/*
 * Registers the host keeps to itself in a passed-through function, and
 * the fake's: INTx Disable in the command register (INTx is not passed
 * through, and the function's line may be shared with the host's other
 * devices); Max Payload Size and Phantom Functions in the PCI Express
 * Device Control register (they must match the host's fabric); the
 * registers of a Resizable BAR capability (a BAR resized at an address
 * aligned to its new size still holds it, and decodes past what the host
 * assigned).  The fake has no extended config space: its Resizable BAR
 * registers are at 0x84, where the host is told they are, as
 * pvbus_sim_pt_take() tells it of a real function's.
 */
#define FAKE_DEVCTL_MPS		0x0020	/* Max Payload Size 256 bytes */
#define FAKE_DEVCTL_INIT	(PCI_EXP_DEVCTL_RELAX_EN | FAKE_DEVCTL_MPS)
#define FAKE_REBAR		0x80
#define FAKE_REBAR_CTRL		(FAKE_REBAR + PCI_REBAR_CTRL)
#define FAKE_REBAR_INIT		0x00000020	/* one resizable BAR, BAR 0 */
#define FAKE_REBAR_8G		0x00000800	/* its size 8 GiB */

static void fake_add_host_regs(struct kunit *test, struct fake_pt *f)
{
	f->cfg[0x40 + PCI_CAP_LIST_NEXT] = FAKE_PCIE;
	f->cfg[FAKE_PCIE] = PCI_CAP_ID_EXP;
	fake_put(f->cfg, FAKE_DEVCTL, 2, FAKE_DEVCTL_INIT);
	fake_put(f->wmask, FAKE_DEVCTL, 2, 0x7fff);
	fake_put(f->w1c, FAKE_PCIE + PCI_EXP_DEVSTA, 2, 0x000f);
	fake_put(f->cfg, FAKE_REBAR_CTRL, 4, FAKE_REBAR_INIT);
	fake_put(f->wmask, FAKE_REBAR_CTRL, 4, PCI_REBAR_CTRL_BAR_SIZE);
	/* What the host keeps of them, as pvbus_sim_pt_take() reads it. */
	KUNIT_ASSERT_EQ(test, pvbus_sim_pt_find_kept(&f->pt, FAKE_PCIE,
						     FAKE_REBAR), 0);
}

/* A fake function with the registers the host keeps, 00.0 of a bus in D0. */
static struct fake_pt *pt_fake_up(struct kunit *test)
{
	struct fake_pt *f = fake_new(test, PCI_HEADER_TYPE_NORMAL);

	fake_add_host_regs(test, f);
	pt_desc(test, 0, FN_A, f);
	bus_d0(test);
	return f;
}

/*
 * A guest write, and what of it reaches the real function: the write of
 * @size bytes at @reg with @fwd, or nothing if @dropped.  (What the
 * function then holds is no test of it: pvbus_sim_pci_pt_apply() puts
 * back what a write or a reset changed of the host's bits.)  The guest
 * then reads the register as the function has it: the host hides nothing
 * of what it keeps.
 */
struct pt_keep_case {
	const char *name;
	unsigned int reg, size;
	u32 val;
	bool dropped;
	u32 fwd;
};

static const struct pt_keep_case keep_cases[] = {
	{ "INTx Disable: the command register", PCI_COMMAND, 2,
	  PCI_COMMAND_MASTER, false, PCI_COMMAND_MASTER | INTX_OFF },
	{ "INTx Disable: command and status", PCI_COMMAND, 4,
	  PCI_COMMAND_MASTER, false, PCI_COMMAND_MASTER | INTX_OFF },
	{ "INTx Disable: the command's high byte", PCI_COMMAND + 1, 1, 0,
	  false, INTX_OFF >> 8 },
	{ "Max Payload Size: Device Control", FAKE_DEVCTL, 2,
	  PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_NOSNOOP_EN, false,
	  FAKE_DEVCTL_MPS | PCI_EXP_DEVCTL_NOSNOOP_EN },
	{ "Max Payload Size: with Device Status", FAKE_DEVCTL, 4,
	  PCI_EXP_DEVCTL_PAYLOAD, false, FAKE_DEVCTL_MPS },
	{ "Max Payload Size: Device Control's low byte", FAKE_DEVCTL, 1,
	  PCI_EXP_DEVCTL_PAYLOAD, false, FAKE_DEVCTL_MPS },
	{ "Phantom Functions: Device Control's high byte", FAKE_DEVCTL + 1, 1,
	  (PCI_EXP_DEVCTL_PHANTOM | PCI_EXP_DEVCTL_NOSNOOP_EN) >> 8, false,
	  PCI_EXP_DEVCTL_NOSNOOP_EN >> 8 },
	{ "Resizable BAR: the control register", FAKE_REBAR_CTRL, 4,
	  FAKE_REBAR_INIT | FAKE_REBAR_8G, true },
	{ "Resizable BAR: the size's byte", FAKE_REBAR_CTRL + 1, 1,
	  FAKE_REBAR_8G >> 8, true },
};

KUNIT_ARRAY_PARAM_DESC(keep, keep_cases, name);

static void pvbus_sim_pci_test_pt_keep(struct kunit *test)
{
	const struct pt_keep_case *c = test->param_value;
	struct fake_pt *a = pt_fake_up(test);
	int i;

	select_devfn(test, FN_A);
	a->nr_log = 0;
	cfg_write(test, c->reg, c->size, c->val);

	i = fake_first(a, c->reg);
	if (c->dropped) {
		KUNIT_EXPECT_FALSE(test, fake_wrote(a, c->reg, c->size));
	} else {
		KUNIT_ASSERT_GE(test, i, 0);
		KUNIT_EXPECT_EQ(test, a->log[i].size, c->size);
		KUNIT_EXPECT_EQ(test, a->log[i].val, c->fwd);
	}
	/* The guest reads the register as the function has it. */
	KUNIT_EXPECT_EQ(test, cfg_read(test, c->reg, c->size),
			fake_get(a, c->reg, c->size));
}

/*
 * A reset the guest asked of the function (its FLR) put Device Control
 * back to its defaults; the guest then turns bus mastering on.  The
 * host's payload size is back in Device Control before the command write
 * reaches the function.
 */
static void pvbus_sim_pci_test_pt_reset_devctl(struct kunit *test)
{
	struct fake_pt *a = pt_fake_up(test);
	int dc, cmd;

	select_devfn(test, FN_A);
	fake_put(a->cfg, FAKE_DEVCTL, 2, 0);
	a->nr_log = 0;
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);

	dc = fake_first(a, FAKE_DEVCTL);
	cmd = fake_first(a, PCI_COMMAND);
	KUNIT_ASSERT_GE(test, dc, 0);
	KUNIT_ASSERT_GE(test, cmd, 0);
	KUNIT_EXPECT_LT(test, dc, cmd);
	KUNIT_EXPECT_EQ(test, fake_get(a, FAKE_DEVCTL, 2) &
			PVBUS_SIM_PT_DEVCTL_KEPT, FAKE_DEVCTL_MPS);
}

/*
 * What the host reads at take of the registers it keeps: the payload
 * size and phantom functions of Device Control, nothing else of it, and
 * a take refused if the register reads as all ones; the Resizable BAR
 * registers, one pair a BAR, all six if the count is out of range, and
 * never past the end of config space.
 */
struct pt_find_kept_case {
	const char *name;
	bool pcie;
	u16 devctl;
	unsigned int rebar;	/* where the capability is; 0: none */
	u32 rebar_ctrl;
	int ret;
	u16 kept;
	unsigned int rebar_end;
};

static const struct pt_find_kept_case find_kept_cases[] = {
	{ "Device Control: payload and phantom kept, the rest not", true,
	  FAKE_DEVCTL_INIT | PCI_EXP_DEVCTL_PHANTOM | PCI_EXP_DEVCTL_NOSNOOP_EN,
	  0, 0, 0, FAKE_DEVCTL_MPS | PCI_EXP_DEVCTL_PHANTOM, 0 },
	{ "Device Control: all ones, not taken", true, 0xffff, 0, 0, -EIO },
	{ "no PCI Express capability: nothing kept", false, 0xffff, 0, 0, 0,
	  0, 0 },
	{ "Resizable BAR: two BARs, two pairs", true, FAKE_DEVCTL_MPS,
	  FAKE_REBAR, 0x40, 0, FAKE_DEVCTL_MPS, FAKE_REBAR + 4 + 16 },
	{ "Resizable BAR: a count of none, all six", true, FAKE_DEVCTL_MPS,
	  FAKE_REBAR, 0, 0, FAKE_DEVCTL_MPS, FAKE_REBAR + 4 + 48 },
	{ "Resizable BAR: a count of seven, all six", true, FAKE_DEVCTL_MPS,
	  FAKE_REBAR, 0xe0, 0, FAKE_DEVCTL_MPS, FAKE_REBAR + 4 + 48 },
	{ "Resizable BAR: all ones, all six", true, FAKE_DEVCTL_MPS,
	  FAKE_REBAR, 0xffffffff, 0, FAKE_DEVCTL_MPS, FAKE_REBAR + 4 + 48 },
	{ "Resizable BAR: at the end of config space", true, FAKE_DEVCTL_MPS,
	  0xe0, 0xc0, 0, FAKE_DEVCTL_MPS, 0x100 },
};

KUNIT_ARRAY_PARAM_DESC(find_kept, find_kept_cases, name);

static void pvbus_sim_pci_test_pt_find_kept(struct kunit *test)
{
	const struct pt_find_kept_case *c = test->param_value;
	struct fake_pt *f = fake_new(test, PCI_HEADER_TYPE_NORMAL);
	unsigned int pcie = c->pcie ? FAKE_PCIE : 0;

	fake_put(f->cfg, FAKE_DEVCTL, 2, c->devctl);
	if (c->rebar)
		fake_put(f->cfg, c->rebar + PCI_REBAR_CTRL, 4, c->rebar_ctrl);

	KUNIT_ASSERT_EQ(test, pvbus_sim_pt_find_kept(&f->pt, pcie, c->rebar),
			c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, f->pt.pcie_cap, pcie);
	KUNIT_EXPECT_EQ(test, f->pt.devctl, c->kept);
	KUNIT_EXPECT_EQ(test, f->pt.rebar,
			c->rebar ? c->rebar + PCI_REBAR_CAP : 0);
	KUNIT_EXPECT_EQ(test, f->pt.rebar_end, c->rebar_end);
}

/*
 * The guest writes a passed-through function at random, and assigns,
 * enables, releases and resets it now and then; after each step, what
 * the host keeps holds: no I/O decode; while the function decodes or
 * masters, INTx off and the payload size and phantom functions the
 * host's; the Resizable BAR as it was; no write of the ROM BAR,
 * interrupt line and pin, header type or BIST; a real BAR written only
 * with the address last assigned to it; and memory decode only with
 * every BAR at it.  Fixed seeds; a failure names its seed and step.
 */
#define PT_RANDOM_STEPS	3000

struct pt_random {
	struct kunit *test;
	struct fake_pt *f;
	struct rnd_state rnd;
	u64 seed;
	unsigned int step;
	bool assigned;
	u64 bar0;
	u32 bar2;
	unsigned int decoding;		/* steps that ended with decode on */
};

static u32 pt_rnd(struct pt_random *r, u32 n)
{
	return prandom_u32_state(&r->rnd) % n;
}

/* A register the host cares of, or any; of a size it is aligned to. */
static void pt_random_write(struct pt_random *r)
{
	static const unsigned int regs[] = {
		PCI_COMMAND, PCI_COMMAND + 1, PCI_STATUS, PCI_CACHE_LINE_SIZE,
		PCI_HEADER_TYPE, PCI_BASE_ADDRESS_0, PCI_BASE_ADDRESS_1,
		PCI_BASE_ADDRESS_2, PCI_ROM_ADDRESS, PCI_INTERRUPT_LINE,
		0x40 + PCI_MSIX_FLAGS, FAKE_DEVCTL, FAKE_DEVCTL + 1,
		FAKE_REBAR_CTRL, FAKE_REBAR_CTRL + 1,
	};
	unsigned int size = 1 << pt_rnd(r, 3), reg;
	u32 val = prandom_u32_state(&r->rnd);

	reg = pt_rnd(r, 2) ? regs[pt_rnd(r, ARRAY_SIZE(regs))] :
			     pt_rnd(r, 256);
	/* Mostly a whole BAR, to an address in the bus's windows. */
	if (reg >= PCI_BASE_ADDRESS_0 && reg <= PCI_BASE_ADDRESS_2 &&
	    pt_rnd(r, 4)) {
		size = 4;
		if (reg == PCI_BASE_ADDRESS_0)
			val = lower_32_bits(PT_BAR0 + pt_rnd(r, 2) * SZ_1M);
		else if (reg == PCI_BASE_ADDRESS_1)
			val = upper_32_bits(PT_BAR0);
		else
			val = PT_BAR2 + pt_rnd(r, 2) * SZ_1M;
	}
	reg &= ~(size - 1);
	cfg_write(r->test, reg, size, val);
}

/*
 * The function resets, as the guest may ask of it (an FLR, D3hot to D0):
 * command register, BARs and Device Control back to their defaults.
 */
static void pt_random_reset(struct fake_pt *f)
{
	fake_put(f->cfg, PCI_COMMAND, 2, 0);
	fake_put(f->cfg, PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_MEM_TYPE_64);
	fake_put(f->cfg, PCI_BASE_ADDRESS_1, 4, 0);
	fake_put(f->cfg, PCI_BASE_ADDRESS_2, 4, 0);
	fake_put(f->cfg, FAKE_DEVCTL, 2, 0);
}

/* ASSIGNED_RESOURCES with where the guest has the BARs now. */
static void pt_random_assign(struct pt_random *r)
{
	u64 bar0 = (cfg_read(r->test, PCI_BASE_ADDRESS_0, 4) &
		    PCI_BASE_ADDRESS_MEM_MASK) |
		   (u64)cfg_read(r->test, PCI_BASE_ADDRESS_1, 4) << 32;
	u32 bar2 = cfg_read(r->test, PCI_BASE_ADDRESS_2, 4) &
		   PCI_BASE_ADDRESS_MEM_MASK;

	if (pt_assign(r->test, bar0, bar2) != PVBUS_STATUS_SUCCESS)
		return;
	r->assigned = true;
	r->bar0 = bar0;
	r->bar2 = bar2;
}

static bool pt_random_check(struct pt_random *r)
{
	struct fake_pt *f = r->f;
	u16 cmd = fake_get(f, PCI_COMMAND, 2);
	unsigned int i;
	const char *bad = NULL;

	for (i = 0; i < f->nr_log && !bad; i++) {
		unsigned int w = f->log[i].where;
		u32 v = f->log[i].val, a = v & PCI_BASE_ADDRESS_MEM_MASK;

		if (w == PCI_COMMAND &&
		    v & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) &&
		    ((f->log[i].size > 1 && !(v & INTX_OFF)) ||
		     (f->log[i].devctl & (PCI_EXP_DEVCTL_PAYLOAD |
					  PCI_EXP_DEVCTL_PHANTOM)) !=
		     FAKE_DEVCTL_MPS))
			bad = "decode or mastering turned on with INTx, or another payload size";
		else if ((w == PCI_BASE_ADDRESS_0 &&
			  a != lower_32_bits(r->bar0)) ||
			 (w == PCI_BASE_ADDRESS_1 &&
			  v != upper_32_bits(r->bar0)) ||
			 (w == PCI_BASE_ADDRESS_2 && a != r->bar2))
			bad = "a real BAR written with an address not assigned";
	}
	/* A reset clears them; nothing may run before they are back. */
	if (!bad && cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) &&
	    !(cmd & INTX_OFF))
		bad = "decoding or mastering with INTx enabled";
	if (!bad && cmd & PCI_COMMAND_IO)
		bad = "I/O decode on";
	if (!bad && cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) &&
	    (fake_get(f, FAKE_DEVCTL, 2) &
	     (PCI_EXP_DEVCTL_PAYLOAD | PCI_EXP_DEVCTL_PHANTOM)) !=
	    FAKE_DEVCTL_MPS)
		bad = "decoding or mastering with another payload size or phantom functions";
	if (!bad && fake_get(f, FAKE_REBAR_CTRL, 4) != FAKE_REBAR_INIT)
		bad = "a Resizable BAR control changed";
	if (!bad && (fake_wrote(f, PCI_ROM_ADDRESS, 4) ||
		     fake_wrote(f, PCI_INTERRUPT_LINE, 2) ||
		     fake_wrote(f, PCI_HEADER_TYPE, 2)))
		bad = "the ROM BAR, INTx line or pin, header type or BIST written";
	if (!bad && cmd & PCI_COMMAND_MEMORY &&
	    (!r->assigned ||
	     fake_get(f, PCI_BASE_ADDRESS_0, 4) !=
	     (lower_32_bits(r->bar0) | PCI_BASE_ADDRESS_MEM_TYPE_64) ||
	     fake_get(f, PCI_BASE_ADDRESS_1, 4) != upper_32_bits(r->bar0) ||
	     fake_get(f, PCI_BASE_ADDRESS_2, 4) != r->bar2))
		bad = "memory decode with a BAR not where it was assigned";
	r->decoding += !!(cmd & PCI_COMMAND_MEMORY);
	f->nr_log = 0;
	KUNIT_EXPECT_FALSE_MSG(r->test, bad, "seed %#llx step %u: %s",
			       r->seed, r->step, bad);
	return !bad;
}

static const u64 pt_random_seeds[] = { 0x5eed0001, 0x5eed0002, 0x5eed0003 };

static void pt_random_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %#llx", *seed);
}

KUNIT_ARRAY_PARAM(pt_random_seed, pt_random_seeds, pt_random_seed_desc);

static void pvbus_sim_pci_test_pt_random(struct kunit *test)
{
	struct pt_random r = {
		.test	= test,
		.f	= pt_fake_up(test),
		.seed	= *(const u64 *)test->param_value,
	};

	prandom_seed_state(&r.rnd, r.seed);
	/* As pvbus_sim_pt_take() hands it over. */
	fake_put(r.f->cfg, PCI_COMMAND, 2, INTX_OFF);
	select_devfn(test, FN_A);
	r.f->nr_log = 0;

	for (r.step = 0; r.step < PT_RANDOM_STEPS; r.step++) {
		switch (pt_rnd(&r, 20)) {
		case 0 ... 1:
			pt_random_assign(&r);
			break;
		case 2 ... 3:
			cfg_write(test, PCI_COMMAND, 2,
				  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
			break;
		case 4:
			if (devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
				      PVBUS_PCI_VERSION_1_1, FN_A) ==
			    PVBUS_STATUS_SUCCESS)
				r.assigned = false;
			break;
		case 5:
			pt_random_reset(r.f);
			break;
		default:
			pt_random_write(&r);
			break;
		}
		if (!pt_random_check(&r))
			return;
	}
	KUNIT_EXPECT_GT_MSG(test, r.decoding, PT_RANDOM_STEPS / 20,
			    "seed %#llx: the function rarely decoded", r.seed);
}

/*
 * A function that does not answer (in reset) reads all ones, also where
 * the host merges its own bits in: pci_dev_wait() polls the command
 * register until it does not.
 */
static const struct pt_reg_case silent_cases[] = {
	{ "the command register", PCI_COMMAND, 2, 0xffff },
	{ "command and status", PCI_COMMAND, 4, 0xffffffff },
	{ "cache line size to BIST", PCI_CACHE_LINE_SIZE, 4, 0xffffffff },
	{ "interrupt line to max latency", PCI_INTERRUPT_LINE, 4, 0xffffffff },
	{ "the ids", PCI_VENDOR_ID, 4, 0xffffffff },
};

KUNIT_ARRAY_PARAM_DESC(silent, silent_cases, name);

static void pvbus_sim_pci_test_pt_silent(struct kunit *test)
{
	const struct pt_reg_case *c = test->param_value;
	struct fake_pt *a = pt_one_enabled(test);

	a->silent = true;
	KUNIT_EXPECT_EQ(test, cfg_read(test, c->reg, c->size), c->val);
}

/*
 * What the guest does to a function that does not answer (in reset), and
 * the writes that then reach it: the guest's own, nothing of the host's.
 * The host used to take the all ones of its command register for its
 * value and write them back, decode bits cleared: 0xfffc after a
 * forwarded write, 0xfff8 as the guest let the function go; and to merge
 * them into the guest's command, memory and I/O decode on.
 */
struct silent_write_case {
	const char *name;
	bool release;		/* RELEASED_RESOURCES, else a forwarded write */
	unsigned int reg, size;
	u32 val;
	unsigned int nr_writes;
	u32 first;		/* what the first write writes */
};

static const struct silent_write_case silent_write_cases[] = {
	{ "a forwarded write: it alone", false, 0x40 + PCI_MSIX_FLAGS, 2, 0,
	  1, 0 },
	{ "a command write: it alone, decoding nothing", false, PCI_COMMAND, 2,
	  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 1,
	  PCI_COMMAND_MASTER | INTX_OFF },
	{ "a Device Control write: it alone, the host's payload size",
	  false, FAKE_DEVCTL, 2, PCI_EXP_DEVCTL_RELAX_EN, 1,
	  PCI_EXP_DEVCTL_RELAX_EN | FAKE_DEVCTL_MPS },
	{ "RELEASED_RESOURCES: none", true, 0, 0, 0, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(silent_write, silent_write_cases, name);

static void pvbus_sim_pci_test_pt_silent_write(struct kunit *test)
{
	const struct silent_write_case *c = test->param_value;
	struct fake_pt *a = pt_fake_up(test);

	pt_enable(test, a);

	a->silent = true;
	a->nr_log = 0;
	if (c->release)
		KUNIT_EXPECT_EQ(test,
				devfn_req(test, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					  PVBUS_PCI_VERSION_1_1, FN_A),
				PVBUS_STATUS_SUCCESS);
	else
		cfg_write(test, c->reg, c->size, c->val);
	KUNIT_ASSERT_EQ(test, a->nr_log, c->nr_writes);
	if (c->nr_writes)
		KUNIT_EXPECT_EQ(test, a->log[0].val, c->first);
}

/* However a function leaves the guest, its real one stops at once. */
static void pvbus_sim_pci_test_pt_leave(struct kunit *test)
{
	struct pci_test *t = test->priv;
	struct fake_pt *a = pt_one_enabled(test);
	struct pvbus_pci_relations *rel;
	struct pvbus_pci_devfn_msg *ej;

	/* EJECT, then the guest's EJECT_COMPLETE. */
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_eject(&t->sdev, FN_A), 0);
	expect_note(test, PVBUS_PCI_MSG_EJECT, PVBUS_PCI_VERSION_1_1,
		    sizeof(*ej));
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | INTX_OFF);
	KUNIT_EXPECT_EQ(test, devfn_req(test, PVBUS_PCI_MSG_EJECT_COMPLETE,
					PVBUS_PCI_VERSION_1_1, FN_A),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	/* Gone: nothing reaches the real function any more. */
	a->nr_log = 0;
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0xffffffff);
	KUNIT_EXPECT_EQ(test, a->nr_log, 0);

	/* Hot added again, then removed without asking. */
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &t->settings.fn[0]), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 2));
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	pt_enable(test, a);
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_remove_fn(&t->sdev, FN_A), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 1));
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);

	/* Taken back with no answer from the guest: ejected, then removed. */
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &t->settings.fn[0]), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 2));
	pt_enable(test, a);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_take_back(&t->sdev, FN_A, 10), 0);
	ej = expect_note(test, PVBUS_PCI_MSG_EJECT, PVBUS_PCI_VERSION_1_1,
			 sizeof(*ej));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(ej->devfn), FN_A);
	rel = expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
			  PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 1));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(rel->fn[0].devfn), FN_B);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_fn_state(&t->sdev, FN_A),
			PVBUS_SIM_PCI_ABSENT);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	/* Nothing to take back: done at once. */
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_take_back(&t->sdev, FN_A, 10), 0);
	KUNIT_EXPECT_NULL(test, next_note(test));

	/* Out of D0, taken back without an eject. */
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &t->settings.fn[0]), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 2));
	pt_enable(test, a);
	KUNIT_EXPECT_EQ(test, bare(test, PVBUS_PCI_MSG_D0_EXIT,
				   PVBUS_PCI_VERSION_1_1),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
	KUNIT_EXPECT_EQ(test, pvbus_sim_pci_take_back(&t->sdev, FN_A, 10), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 1));
	KUNIT_EXPECT_NULL(test, next_note(test));

	/* The bus goes away with the function in it. */
	KUNIT_ASSERT_EQ(test, d0_entry(test, CFG), PVBUS_STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, pvbus_sim_pci_add_fn(&t->sdev, &t->settings.fn[0]), 0);
	expect_note(test, PVBUS_PCI_MSG_RELATIONS_CHANGED,
		    PVBUS_PCI_VERSION_1_1, struct_size(rel, fn, 2));
	pt_enable(test, a);
	pvbus_sim_pci_proto.fini(&t->sdev);
	KUNIT_EXPECT_NULL(test, t->sdev.cls);
	KUNIT_EXPECT_EQ(test, fake_get(a, PCI_COMMAND, 2), INTX_OFF);
}

/* ---------------------------------------------------------------------
 * The "bars" attribute
 */

struct bars_case {
	const char *in;
	int ret;
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS];
};

#define B32(s)		{ .size = (s) }
#define B32P(s)		{ .size = (s), .flags = PVBUS_SIM_BAR_PREFETCH }
#define B64(s)		{ .size = (s), .flags = PVBUS_SIM_BAR_64 }
#define B64P(s)		{ .size = (s), .flags = PVBUS_SIM_BAR_64 | \
					 PVBUS_SIM_BAR_PREFETCH }
#define BUP		{ .flags = PVBUS_SIM_BAR_UPPER }
#define BNONE		{ }

static const struct bars_case bars_cases[] = {
	{ "64p:16M 32:1M", 3, { B64P(SZ_16M), BUP, B32(SZ_1M) } },
	{ "", 0, { } },
	{ " \t ", 0, { } },
	{ "32:4K\n", 1, { B32(SZ_4K) } },
	{ "32p:0x1000\t64:4G", 3, { B32P(SZ_4K), B64(SZ_4G), BUP } },
	{ "- 32:1M", 2, { BNONE, B32(SZ_1M) } },
	{ "32:16", 1, { B32(16) } },
	{ "32:2G", 1, { B32(SZ_2G) } },
	{ "64:1T", 2, { B64(1ULL << 40), BUP } },
	{ "64:1G 64:4G 64p:8G", 6, { B64(SZ_1G), BUP, B64(SZ_4G), BUP, B64P(SZ_8G), BUP } },
	{ "32:1M 32:1M 32:1M 32:1M 32:1M 32:1M", 6,
	  { B32(SZ_1M), B32(SZ_1M), B32(SZ_1M), B32(SZ_1M), B32(SZ_1M),
	    B32(SZ_1M) } },
	{ "32:1M 32:1M 32:1M 32:1M 32:1M 32:1M 32:1M", -E2BIG },
	{ "32:1M 32:1M 32:1M 32:1M 32:1M 64:1M", -E2BIG },
	{ "- - - - - - -", -E2BIG },
	{ "32:8", -EINVAL },
	{ "32:0", -EINVAL },
	{ "32:3K", -EINVAL },
	{ "32:4G", -EINVAL },
	{ "16:4K", -EINVAL },
	{ "64x:4K", -EINVAL },
	{ "32:", -EINVAL },
	{ "32:4Kx", -EINVAL },
	{ "32 :4K", -EINVAL },
	{ "4K", -EINVAL },
	{ "64:8E", 2, { B64(1ULL << 63), BUP } },
	{ "64:24E", -ERANGE },
	{ "64:16E", -ERANGE },
	{ "64:0x10000000000000000", -ERANGE },
	{ "64:99999999999999999999", -ERANGE },
	{ "32:17179869184G", -ERANGE },
};

static void bars_case_desc(const struct bars_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(bars, bars_cases, bars_case_desc);

static void pvbus_sim_pci_test_parse_bars(struct kunit *test)
{
	const struct bars_case *c = test->param_value;
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS];
	char buf[80];
	unsigned int b;
	int ret;

	strscpy(buf, c->in, sizeof(buf));
	ret = pvbus_sim_pci_parse_bars(buf, bar);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret < 0)
		return;
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		KUNIT_EXPECT_EQ_MSG(test, bar[b].size, c->bar[b].size,
				    "BAR %u", b);
		KUNIT_EXPECT_EQ_MSG(test, bar[b].flags, c->bar[b].flags,
				    "BAR %u", b);
		KUNIT_EXPECT_EQ(test, bar[b].host_addr, 0);
	}
}

static struct kunit_case pvbus_sim_pci_cases[] = {
	KUNIT_CASE(pvbus_sim_pci_test_version),
	KUNIT_CASE(pvbus_sim_pci_test_describe),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_d0, d0_gen_params),
	KUNIT_CASE(pvbus_sim_pci_test_d0_state),
	KUNIT_CASE(pvbus_sim_pci_test_d0_own_bar),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_assign, bar_gen_params),
	KUNIT_CASE(pvbus_sim_pci_test_assign_state),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_sizing, sizing_gen_params),
	KUNIT_CASE(pvbus_sim_pci_test_config_space),
	KUNIT_CASE(pvbus_sim_pci_test_hotplug),
	KUNIT_CASE(pvbus_sim_pci_test_remove_no_memory),
	KUNIT_CASE(pvbus_sim_pci_test_pt_config),
	KUNIT_CASE(pvbus_sim_pci_test_pt_decode),
	KUNIT_CASE(pvbus_sim_pci_test_pt_disconnect),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_reset, pt_reset_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_resized, resized_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_keep, keep_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_find_kept, find_kept_gen_params),
	KUNIT_CASE(pvbus_sim_pci_test_pt_reset_devctl),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_random,
			 pt_random_seed_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_silent, silent_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_pt_silent_write,
			 silent_write_gen_params),
	KUNIT_CASE(pvbus_sim_pci_test_pt_leave),
	KUNIT_CASE_PARAM(pvbus_sim_pci_test_parse_bars, bars_gen_params),
	{}
};

static struct kunit_suite pvbus_sim_pci_suite = {
	.name		= "pvbus_sim_pci",
	.init		= pci_test_init,
	.exit		= pci_test_exit,
	.test_cases	= pvbus_sim_pci_cases,
};

kunit_test_suite(pvbus_sim_pci_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus_sim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
