// SPDX-License-Identifier: GPL-2.0
/*
 * A fake pvbus host for the pci-pvbus KUnit suites: see
 * pci-pvbus-fakehost.h.  Its answers to pci-pvbus's requests, late and
 * mutated ones, its notifications, its lifetime and offers, and the log
 * of what it saw; its functions are in pci-pvbus-fakehost-fn.c.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "pci-pvbus.h"
#include "pci-pvbus-fakehost.h"
#include "pci-pvbus-test.h"

const guid_t pci_pvbus_fake_probe_class =
	GUID_INIT(0x0d5e7a41, 0x9b2c, 0x4f3e,
		  0x8a, 0x61, 0x72, 0x5c, 0x0e, 0x9f, 0x11, 0x42);
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_probe_class);

/* An answer waiting for the late work; holds a reference to @pdev. */
struct fake_late {
	struct list_head node;
	struct pvbus_device *pdev;
	size_t len;
	u8 msg[];
};

/* ---- answers -------------------------------------------------------- */

static void fake_log(struct pci_pvbus_fake *f, u16 type, u32 devfn)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&f->lock, flags);
	f->nr_requests++;
	if (f->nr_log < PCI_PVBUS_FAKE_LOG) {
		f->log[f->nr_log].type = type;
		f->log[f->nr_log].devfn = devfn;
		f->nr_log++;
	}
	raw_spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * pci_pvbus_fake_relations() - the host's list of functions
 * @f: the fake host
 * @buf: where it goes, room for %PCI_PVBUS_FAKE_FNS functions
 * @type: QUERY_RELATIONS (an answer) or RELATIONS_CHANGED (a notification)
 * @version: the version to write it in
 *
 * Return: its length.
 */
size_t pci_pvbus_fake_relations(struct pci_pvbus_fake *f, u8 *buf, u16 type,
				u16 version)
{
	struct pvbus_pci_relations *rel = (void *)buf;
	unsigned long flags;
	unsigned int i, n = 0;
	size_t len;

	raw_spin_lock_irqsave(&f->lock, flags);
	for (i = 0; i < PCI_PVBUS_FAKE_FNS; i++) {
		struct pci_pvbus_fake_fn *fn = &f->fn[i];
		struct pvbus_pci_fn_desc id;

		if (!fn->listed)
			continue;
		id = pci_pvbus_fake_id(fn, 100 + i);
		if (version < PVBUS_PCI_VERSION_1_1)
			id.flags = 0;
		pvbus_pci_fn_encode(&rel->fn[n], &id);
		if (f->dup_devfns && n)
			rel->fn[n].devfn = rel->fn[0].devfn;
		n++;
	}
	raw_spin_unlock_irqrestore(&f->lock, flags);

	len = struct_size(rel, fn, n);
	pvbus_msg_init(&rel->hdr, type, version, len);
	rel->hdr.flags = cpu_to_le32(type == PVBUS_PCI_MSG_RELATIONS_CHANGED ?
				     PVBUS_MSG_F_NOTIFY : PVBUS_MSG_F_RESPONSE);
	rel->count = cpu_to_le32(n);
	rel->reserved = 0;
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_relations);

static size_t fake_resources(struct pci_pvbus_fake *f, u8 *buf, u32 devfn,
			     u16 version)
{
	struct pvbus_pci_resources *r = (void *)buf;
	struct pci_pvbus_fake_fn *fn;
	unsigned long flags;
	unsigned int b;

	memset(r, 0, sizeof(*r));
	pvbus_msg_init(&r->hdr, PVBUS_PCI_MSG_QUERY_RESOURCES, version,
		       sizeof(*r));
	r->devfn = cpu_to_le32(devfn);
	raw_spin_lock_irqsave(&f->lock, flags);
	fn = pci_pvbus_fake_find(f, devfn);
	for (b = 0; fn && b < PVBUS_PCI_NR_BARS; b++) {
		r->bar[b].probed = cpu_to_le32(fn->probed[b]);
		if (fn->flags & PVBUS_PCI_FN_PRESERVE &&
		    !(fn->upper & BIT(b)))
			r->bar[b].host_addr = cpu_to_le64(fn->host_addr[b]);
	}
	raw_spin_unlock_irqrestore(&f->lock, flags);
	return fn ? sizeof(*r) : 0;
}

/**
 * pci_pvbus_fake_inject() - deliver a message of the suite's own
 * @f: the fake host
 * @pdev: the device whose channel it goes to
 * @msg: the message
 * @len: its length
 *
 * Counted in &pci_pvbus_fake.nr_sent like the fake's own answers.
 *
 * Return: what pvbus_channel_receive() returned.
 */
int pci_pvbus_fake_inject(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			  const void *msg, size_t len)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&f->lock, flags);
	f->nr_sent++;
	raw_spin_unlock_irqrestore(&f->lock, flags);
	return pvbus_channel_receive(pdev->chan, msg, len);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_inject);

static void fake_queue_late(struct pci_pvbus_fake *f,
			    struct pvbus_device *pdev, const void *msg,
			    size_t len)
{
	struct fake_late *l;
	unsigned long flags;

	l = kmalloc(struct_size(l, msg, len), GFP_KERNEL);
	if (!l)
		return;		/* never answered, then */
	get_device(&pdev->dev);
	l->pdev = pdev;
	l->len = len;
	memcpy(l->msg, msg, len);
	raw_spin_lock_irqsave(&f->lock, flags);
	list_add_tail(&l->node, &f->late);
	raw_spin_unlock_irqrestore(&f->lock, flags);
	schedule_delayed_work(&f->late_work, msecs_to_jiffies(f->late_ms));
}

static void fake_late_run(struct pci_pvbus_fake *f, bool deliver)
{
	struct fake_late *l, *tmp;
	unsigned long flags;
	LIST_HEAD(late);

	raw_spin_lock_irqsave(&f->lock, flags);
	list_splice_init(&f->late, &late);
	raw_spin_unlock_irqrestore(&f->lock, flags);

	list_for_each_entry_safe(l, tmp, &late, node) {
		if (deliver)
			pci_pvbus_fake_inject(f, l->pdev, l->msg, l->len);
		put_device(&l->pdev->dev);
		kfree(l);
	}
}

static void fake_late_work(struct work_struct *work)
{
	struct pci_pvbus_fake *f = container_of(to_delayed_work(work),
						struct pci_pvbus_fake,
						late_work);

	fake_late_run(f, true);
}

/**
 * pci_pvbus_fake_flush() - deliver the late answers now
 * @f: the fake host
 */
void pci_pvbus_fake_flush(struct pci_pvbus_fake *f)
{
	cancel_delayed_work_sync(&f->late_work);
	fake_late_run(f, true);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_flush);

/**
 * pci_pvbus_fake_drop_late() - drop the late answers: never delivered
 * @f: the fake host
 */
void pci_pvbus_fake_drop_late(struct pci_pvbus_fake *f)
{
	cancel_delayed_work_sync(&f->late_work);
	fake_late_run(f, false);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_drop_late);

static int fake_send(struct pvbus_host *host, struct pvbus_device *pdev,
		     const void *msg, size_t len)
{
	struct pci_pvbus_fake *f = container_of(host, struct pci_pvbus_fake,
						host);
	const struct pvbus_msg_hdr *req = msg;
	u16 type = le16_to_cpu(req->type);
	u16 version = le16_to_cpu(req->version);
	const struct pvbus_pci_d0_entry *d0 = msg;
	struct pvbus_msg_hdr *resp;
	u32 status = 0, devfn = ~0U;
	int fate = PCI_PVBUS_FAKE_NOW;
	struct pci_pvbus_fake_fn *fn;
	unsigned long flags;
	size_t rlen = len;

	if (len >= sizeof(struct pvbus_pci_devfn_msg) &&
	    type != PVBUS_PCI_MSG_QUERY_VERSION &&
	    type != PVBUS_PCI_MSG_D0_ENTRY)
		devfn = le32_to_cpu(((const struct pvbus_pci_devfn_msg *)msg)->devfn);
	fake_log(f, type, devfn);

	mutex_lock(&f->send_lock);
	resp = (void *)f->resp;
	memcpy(f->resp, msg, min_t(size_t, len, PVBUS_MSG_MAX_LEN));

	switch (type) {
	case PVBUS_PCI_MSG_QUERY_VERSION:
		if (version > f->max_version)
			status = PVBUS_STATUS_UNSUPPORTED;
		break;
	case PVBUS_PCI_MSG_D0_ENTRY:
		raw_spin_lock_irqsave(&f->lock, flags);
		if (f->refuse_d0) {
			f->refuse_d0--;
			status = PVBUS_STATUS_BUSY;
		} else {
			f->d0 = true;
			f->cfg_base = le64_to_cpu(d0->cfg_base);
		}
		raw_spin_unlock_irqrestore(&f->lock, flags);
		break;
	case PVBUS_PCI_MSG_D0_EXIT:
		raw_spin_lock_irqsave(&f->lock, flags);
		f->d0 = false;
		raw_spin_unlock_irqrestore(&f->lock, flags);
		break;
	case PVBUS_PCI_MSG_QUERY_RELATIONS:
		rlen = pci_pvbus_fake_relations(f, f->resp, type, version);
		break;
	case PVBUS_PCI_MSG_QUERY_RESOURCES:
		rlen = fake_resources(f, f->resp, devfn, version);
		if (!rlen) {
			status = PVBUS_STATUS_NOT_FOUND;
			rlen = len;
		}
		break;
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		raw_spin_lock_irqsave(&f->lock, flags);
		fn = pci_pvbus_fake_find(f, devfn);
		if (f->refuse_assigned == devfn + 1)
			status = PVBUS_STATUS_REFUSED;
		else if (fn && len >= sizeof(f->assigned[0]))
			memcpy(&f->assigned[fn - f->fn], msg,
			       sizeof(f->assigned[0]));
		raw_spin_unlock_irqrestore(&f->lock, flags);
		break;
	default:
		break;
	}

	resp->trans_id = req->trans_id;
	resp->flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	if (status) {
		rlen = sizeof(*resp);
		resp->status = cpu_to_le32(status);
	}
	resp->len = cpu_to_le32(rlen);

	if (f->hooks && f->hooks->answer) {
		fate = f->hooks->answer(f, pdev, msg, len, f->resp, &rlen);
		if (fate < 0) {
			mutex_unlock(&f->send_lock);
			return fate;
		}
		rlen = min_t(size_t, rlen, PVBUS_MSG_MAX_LEN);
	}
	if (fate == PCI_PVBUS_FAKE_NOW || fate == PCI_PVBUS_FAKE_TWICE)
		pci_pvbus_fake_inject(f, pdev, f->resp, rlen);
	if (fate == PCI_PVBUS_FAKE_LATE || fate == PCI_PVBUS_FAKE_TWICE)
		fake_queue_late(f, pdev, f->resp, rlen);
	mutex_unlock(&f->send_lock);
	return 0;
}

static int fake_connect(struct pvbus_host *host, struct pvbus_range *rsv,
			unsigned int max)
{
	struct pci_pvbus_fake *f = container_of(host, struct pci_pvbus_fake,
						host);

	if (!f->hooks || !f->hooks->connect)
		return 0;
	return f->hooks->connect(f, rsv, max);
}

static const struct pvbus_host_ops fake_ops = {
	.connect	= fake_connect,
	.send		= fake_send,
	.window_read	= pci_pvbus_fake_window_read,
	.window_write	= pci_pvbus_fake_window_write,
};

/* ---- the host ------------------------------------------------------- */

/**
 * pci_pvbus_fake_reset() - forget the functions, the log and the knobs
 * @f: the fake host, with no bus offered
 *
 * The counters &pci_pvbus_fake.nr_sent and &pci_pvbus_fake.nr_requests
 * and the hooks are kept; late answers are dropped.
 */
void pci_pvbus_fake_reset(struct pci_pvbus_fake *f)
{
	unsigned long flags;

	pci_pvbus_fake_drop_late(f);
	raw_spin_lock_irqsave(&f->lock, flags);
	f->max_version = PVBUS_PCI_VERSION_MAX;
	f->refuse_d0 = 0;
	f->refuse_assigned = 0;
	f->dup_devfns = false;
	f->d0 = false;
	f->cfg_base = 0;
	f->selected = 0;
	f->window_errors = 0;
	memset(f->fn, 0, sizeof(f->fn));
	memset(f->assigned, 0, sizeof(f->assigned));
	f->nr_log = 0;
	raw_spin_unlock_irqrestore(&f->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_reset);

/**
 * pci_pvbus_fake_new() - make a fake host and attach it to the bus
 * @hooks: the suite's hooks from the start (its @connect is called as
 *	the host attaches), or NULL
 *
 * Return: the fake host; ERR_PTR(-ENODEV) without a bus root,
 * ERR_PTR(-EBUSY) if another host is attached, or another error.
 */
struct pci_pvbus_fake *
pci_pvbus_fake_new(const struct pci_pvbus_fake_hooks *hooks)
{
	struct pci_pvbus_fake *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->resp = kzalloc(PVBUS_MSG_MAX_LEN, GFP_KERNEL);
	if (!f->resp) {
		kfree(f);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&f->send_lock);
	raw_spin_lock_init(&f->lock);
	INIT_LIST_HEAD(&f->late);
	INIT_DELAYED_WORK(&f->late_work, fake_late_work);
	f->late_ms = 1;
	f->max_version = PVBUS_PCI_VERSION_MAX;
	f->host.name = "pci-pvbus-test";
	f->host.ops = &fake_ops;
	f->host.owner = THIS_MODULE;
	f->hooks = hooks;

	ret = pvbus_host_register(&f->host);
	if (ret) {
		kfree(f->resp);
		kfree(f);
		return ERR_PTR(ret);
	}
	return f;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_new);

/**
 * pci_pvbus_fake_destroy() - detach a fake host and free it
 * @f: the fake host
 *
 * Revokes what it still offers (the references of pvbus_host_offer() are
 * the caller's to give back with pvbus_host_revoke()).
 */
void pci_pvbus_fake_destroy(struct pci_pvbus_fake *f)
{
	pci_pvbus_fake_drop_late(f);
	pvbus_host_unregister(&f->host);
	pci_pvbus_fake_drop_late(f);
	mutex_destroy(&f->send_lock);
	kfree(f->resp);
	kfree(f);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_destroy);

static void fake_destroy_action(void *data)
{
	pci_pvbus_fake_destroy(data);
}

/**
 * pci_pvbus_fake_create() - a fake host for one test case
 * @test: the test case
 *
 * Skips the case without a bus root or with another host attached; the
 * host is destroyed when the case ends.
 *
 * Return: the fake host.
 */
struct pci_pvbus_fake *pci_pvbus_fake_create(struct kunit *test)
{
	struct pci_pvbus_fake *f = pci_pvbus_fake_new(NULL);

	if (IS_ERR(f)) {
		if (PTR_ERR(f) == -ENODEV)
			kunit_skip(test,
				   "no pvbus root: boot with pvbus.mmio=64M@0xc0000000,256M@0x100000000");
		if (PTR_ERR(f) == -EBUSY)
			kunit_skip(test, "another pvbus host is attached");
		KUNIT_ASSERT_FAILURE(test, "fake host: %ld", PTR_ERR(f));
	}
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, fake_destroy_action,
						   f), 0);
	return f;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_create);

/**
 * pci_pvbus_fake_guid() - the instance GUID of the fake's device @id
 * @inst: filled in
 * @id: the device's number
 */
void pci_pvbus_fake_guid(guid_t *inst, u32 id)
{
	*inst = GUID_INIT(0x6c1e0000 | (id & 0xffff), 0x42a1, 0x4d0b,
			  0x5a, id & 0xff, 0x3e, 0x77, 0x10,
			  0x02 ^ ((id >> 16) & 0xff), id >> 24, id & 0xff);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_guid);

static void revoke(void *data)
{
	pvbus_host_revoke(data);
}

/**
 * pci_pvbus_fake_offer() - offer a device for one test case
 * @test: the test case
 * @f: the fake host
 * @class: the device's class
 * @id: its number, unique among the devices offered at a time
 *
 * The device is revoked when the case ends, if pci_pvbus_fake_unoffer()
 * did not revoke it before.
 *
 * Return: the device; a driver of @class bound to it, if its probe
 * succeeded.
 */
struct pvbus_device *pci_pvbus_fake_offer(struct kunit *test,
					  struct pci_pvbus_fake *f,
					  const guid_t *class, u8 id)
{
	struct pvbus_device *pdev;
	guid_t inst;

	pci_pvbus_fake_guid(&inst, id);
	pdev = pvbus_host_offer(&f->host, class, &inst, f);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_ASSERT_EQ(test, pci_pvbus_test_defer(test, revoke, pdev), 0);
	return pdev;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_offer);

/**
 * pci_pvbus_fake_unoffer() - revoke a device pci_pvbus_fake_offer() offered
 * @pdev: the device
 *
 * Revokes it now; the deferred revoke only drops the reference taken here.
 */
void pci_pvbus_fake_unoffer(struct pvbus_device *pdev)
{
	get_device(&pdev->dev);
	pvbus_host_revoke(pdev);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_unoffer);

/**
 * pci_pvbus_fake_send_notify() - send a notification
 * @f: the fake host
 * @pdev: the device
 * @buf: room for the message, %PVBUS_MSG_MAX_LEN bytes
 * @type: RELATIONS_CHANGED (with the fake's list) or a devfn notification
 * @devfn: the devfn of a devfn notification
 * @version: the version to write it in
 *
 * Return: what pvbus_channel_receive() returned.
 */
static int pci_pvbus_fake_send_notify(struct pci_pvbus_fake *f,
				      struct pvbus_device *pdev, u8 *buf,
				      u16 type, u32 devfn, u16 version)
{
	struct pvbus_pci_devfn_msg *m = (void *)buf;
	size_t len;

	if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		len = pci_pvbus_fake_relations(f, buf, type, version);
	} else {
		len = sizeof(*m);
		pvbus_msg_init(&m->hdr, type, version, len);
		m->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
		m->devfn = cpu_to_le32(devfn);
		m->reserved = 0;
	}
	return pci_pvbus_fake_inject(f, pdev, buf, len);
}

/**
 * pci_pvbus_fake_notify() - send a notification that must be accepted
 * @test: the test case
 * @f: the fake host
 * @pdev: the device, bound to pci-pvbus
 * @type: as for pci_pvbus_fake_send_notify()
 * @devfn: likewise
 */
void pci_pvbus_fake_notify(struct kunit *test, struct pci_pvbus_fake *f,
			   struct pvbus_device *pdev, u16 type, u32 devfn)
{
	u8 *buf = kunit_kzalloc(test, PVBUS_MSG_MAX_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test,
			pci_pvbus_fake_send_notify(f, pdev, buf, type, devfn,
						   pci_pvbus_fake_bus_of(pdev)->version),
			0);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_notify);

/* ---- what the host saw ---------------------------------------------- */

/**
 * pci_pvbus_fake_count_log() - requests of a type the host saw
 * @f: the fake host
 * @type: the type
 * @devfn: the devfn they name, or ~0 for any
 *
 * Return: how many, among the first %PCI_PVBUS_FAKE_LOG requests.
 */
unsigned int pci_pvbus_fake_count_log(struct pci_pvbus_fake *f, u16 type,
				      u32 devfn)
{
	unsigned long flags;
	unsigned int i, n = 0;

	raw_spin_lock_irqsave(&f->lock, flags);
	for (i = 0; i < f->nr_log; i++)
		if (f->log[i].type == type &&
		    (devfn == ~0U || f->log[i].devfn == devfn))
			n++;
	raw_spin_unlock_irqrestore(&f->lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_count_log);

/**
 * pci_pvbus_fake_wait_log() - wait for the host to see requests
 * @f: the fake host
 * @type: their type
 * @devfn: the devfn they name, or ~0 for any
 * @n: how many
 *
 * Return: true if it saw them within 10 seconds.
 */
bool pci_pvbus_fake_wait_log(struct pci_pvbus_fake *f, u16 type, u32 devfn,
			     unsigned int n)
{
	unsigned long end = jiffies + 10 * HZ;

	while (pci_pvbus_fake_count_log(f, type, devfn) < n) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_wait_log);

/**
 * pci_pvbus_fake_expect_log() - the requests the host saw, in order
 * @test: the test case
 * @f: the fake host
 * @types: their types
 * @n: entries in @types
 */
void pci_pvbus_fake_expect_log(struct kunit *test, struct pci_pvbus_fake *f,
			       const u16 *types, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, f->nr_log, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->log[i].type, types[i],
				    "request %u", i);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_expect_log);

/**
 * pci_pvbus_fake_bus_of() - the bus pci-pvbus made of a device
 * @pdev: the device
 *
 * Return: the bus, or NULL if pci-pvbus is not bound.
 */
struct pci_pvbus *pci_pvbus_fake_bus_of(struct pvbus_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_bus_of);

/**
 * pci_pvbus_fake_get_fn() - the PCI device at a devfn of the bus
 * @pb: the bus
 * @devfn: the devfn
 *
 * Return: the device with a reference (pci_dev_put()), or NULL.
 */
struct pci_dev *pci_pvbus_fake_get_fn(struct pci_pvbus *pb, u32 devfn)
{
	return pci_get_domain_bus_and_slot(pb->domain, pb->busnr, devfn);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_get_fn);

/**
 * pci_pvbus_fake_count_devices() - the PCI devices on the bus
 * @pb: the bus
 *
 * Return: how many.
 */
unsigned int pci_pvbus_fake_count_devices(struct pci_pvbus *pb)
{
	unsigned int devfn, n = 0;
	struct pci_dev *pdev;

	for (devfn = 0; devfn <= PVBUS_PCI_MAX_DEVFN; devfn++) {
		pdev = pci_pvbus_fake_get_fn(pb, devfn);
		if (pdev)
			n++;
		pci_dev_put(pdev);
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_count_devices);

MODULE_DESCRIPTION("The fake pvbus host of the pci-pvbus KUnit suites");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
