// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_root: the bus roots and their host backends on the
 * real bus.  A second root, with windows of its own, takes a host of its
 * own while the first keeps its.  A fake host goes silent inside a
 * driver's probe() or remove(): its send() waits until the case lets it
 * go.  Meanwhile another thread does
 * another root or host operation (the bus's windows, offering or revoking
 * another device), which must complete while the host is still silent: no
 * lock of the bus is held across a host round trip.  A driver's notify()
 * and its remove() never overlap, and a failed probe() keeps the driver's
 * message table until its notify() has returned.
 *
 * A device on a bus root that a device tree node describes shares the
 * node (of_node_reused), as the PCI core needs to configure the DMA of
 * the functions of a PCI bus on it from the root's "dma-coherent".
 *
 * It needs a bus root; under kunit.py on UML, pass one with
 * --kernel_args='pvbus.mmio=16M@0x100000000'.  Without one it is skipped.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/pvbus.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/pvbus_wire.h>
#include <linux/workqueue.h>

#include "channel_priv.h"
#include "kunit_param.h"
#include "pvbus_internal.h"

/* The class the test driver binds to, and one no driver binds to. */
static const guid_t root_test_class =
	GUID_INIT(0x2f8e5a61, 0x0c3d, 0x4b7e, 0x9a, 0x1f,
		  0x6d, 0x5c, 0x4b, 0x3a, 0x29, 0x18);
static const guid_t root_test_other_class =
	GUID_INIT(0x2f8e5a61, 0x0c3d, 0x4b7e, 0x9a, 0x1f,
		  0x6d, 0x5c, 0x4b, 0x3a, 0x29, 0x19);
static const guid_t root_test_inst[] = {
	GUID_INIT(0x6a1b2c3d, 0x4e5f, 0x4a6b, 0x8c, 0x7d,
		  0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x01),
	GUID_INIT(0x6a1b2c3d, 0x4e5f, 0x4a6b, 0x8c, 0x7d,
		  0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x02),
	GUID_INIT(0x6a1b2c3d, 0x4e5f, 0x4a6b, 0x8c, 0x7d,
		  0x9e, 0x0f, 0x1a, 0x2b, 0x3c, 0x03),
};

/* Windows a case reads. */
#define ROOT_TEST_MAX_WINDOWS	8

/* The longest a case waits for the other operation before it gives up. */
#define ROOT_TEST_PATIENCE_MS	10000

/* Where the host goes silent. */
enum silent_in {
	SILENT_IN_PROBE,
	SILENT_IN_REMOVE,
};

/* What the other thread does meanwhile. */
enum other_op {
	OTHER_WINDOWS,		/* pvbus_host_windows() */
	OTHER_OFFER,		/* offer and revoke another device */
	OTHER_REVOKE,		/* revoke a device offered before */
};

/*
 * The test class's one message type: the host's notification, and a
 * request of the driver's (fail_probe).
 */
#define ROOT_TEST_NOTE		PVBUS_MSG_CLASS_BASE
#define ROOT_TEST_NOTE_VERSION	0x0100

struct root_test_note {
	struct pvbus_msg_hdr hdr;
	__le64 value;
} __packed;

/* One case runs at a time; what it shares with the host and the driver. */
static struct {
	struct pvbus_host host;
	bool silent;			/* send() waits for @release */
	struct completion entered;	/* send() started waiting */
	struct completion release;
	int ping;			/* what the driver's last ping got */

	enum other_op op;
	struct pvbus_device *held;	/* offered before, for OTHER_REVOKE */
	int other_ret;
	struct completion other_done;
	struct work_struct other;

	enum silent_in where;
	struct pvbus_device *pdev;	/* the device whose driver waits */
	struct completion silent_done;
	struct work_struct silent_work;

	bool hold_notify;		/* notify() waits for @notify_go */
	struct completion in_notify;
	struct completion notify_go;
	bool removed;			/* remove() was called */
	bool removed_in_notify;		/* ... while notify() waited */
	struct completion removed_done;
	struct work_struct unbind;

	bool devm_ask;			/* probe() adds root_test_devm_ask() */
	bool devm_fail;			/* ... then fails */
	int devm_ret;			/* what its request got */
	bool fail_probe;		/* probe() fails once notify() asks */
	struct root_test_note ask;	/* what notify() asked, unanswered */
	struct completion asked;
	struct work_struct answer;
	int notify_ret;			/* what notify()'s request got */
	struct completion notified;
} rt;

static const struct pvbus_msg_spec root_test_specs[] = {
	{
		.type		= ROOT_TEST_NOTE,
		.min_version	= ROOT_TEST_NOTE_VERSION,
		.max_version	= ROOT_TEST_NOTE_VERSION,
		.fixed_len	= sizeof(struct root_test_note) -
				  sizeof(struct pvbus_msg_hdr),
	},
};

static int root_test_send(struct pvbus_host *host, struct pvbus_device *pdev,
			  const void *msg, size_t len)
{
	struct pvbus_msg_ping resp;
	const struct pvbus_msg_hdr *hdr = msg;

	/* The driver's own request: answered later, by rt.answer. */
	if (len == sizeof(rt.ask) &&
	    le16_to_cpu(hdr->type) == ROOT_TEST_NOTE) {
		memcpy(&rt.ask, msg, len);
		queue_work(system_unbound_wq, &rt.answer);
		complete(&rt.asked);
		return 0;
	}
	if (READ_ONCE(rt.silent) && guid_equal(&pdev->class, &root_test_class)) {
		complete(&rt.entered);
		wait_for_completion(&rt.release);
	}
	if (len != sizeof(resp))
		return -EINVAL;

	/* Then it answers, before send() returns. */
	memcpy(&resp, msg, sizeof(resp));
	resp.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	pvbus_channel_receive(pdev->chan, &resp, sizeof(resp));
	return 0;
}

static const struct pvbus_host_ops root_test_ops = {
	.send = root_test_send,
};

static int root_test_ping(struct pvbus_device *pdev)
{
	struct pvbus_msg_ping req, resp;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	return pvbus_channel_request(pdev->chan, &req, sizeof(req), &resp,
				     sizeof(resp), NULL, 0);
}

/* The host notifies, and probe() fails once notify() has asked it. */
static int root_test_probe_fails(struct pvbus_device *pdev)
{
	struct root_test_note note;

	rt.pdev = pdev;
	pvbus_msg_init(&note.hdr, ROOT_TEST_NOTE, ROOT_TEST_NOTE_VERSION,
		       sizeof(note));
	note.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	note.value = 0;
	if (!pvbus_channel_receive(pdev->chan, &note, sizeof(note)))
		wait_for_completion_timeout(&rt.asked,
					    msecs_to_jiffies(ROOT_TEST_PATIENCE_MS));
	return -EIO;
}

/* The driver's own request, which rt.answer answers. */
static int root_test_ask(struct pvbus_device *pdev, u64 value)
{
	struct root_test_note req, resp;

	pvbus_msg_init(&req.hdr, ROOT_TEST_NOTE, ROOT_TEST_NOTE_VERSION,
		       sizeof(req));
	req.value = cpu_to_le64(value);
	return pvbus_channel_request(pdev->chan, &req, sizeof(req), &resp,
				     sizeof(resp), NULL, ROOT_TEST_PATIENCE_MS);
}

/*
 * A managed action of the driver's that asks the host, as a driver's
 * cleanup may: it runs after remove(), or after a failed probe().
 */
static void root_test_devm_ask(void *data)
{
	rt.devm_ret = root_test_ask(data, 2);
}

static int root_test_probe(struct pvbus_device *pdev,
			   const struct pvbus_device_id *id)
{
	int ret;

	if (READ_ONCE(rt.fail_probe))
		return root_test_probe_fails(pdev);
	if (READ_ONCE(rt.devm_ask)) {
		rt.pdev = pdev;
		ret = devm_add_action(&pdev->dev, root_test_devm_ask, pdev);
		if (ret)
			return ret;
		if (READ_ONCE(rt.devm_fail))
			return -EIO;
	}
	rt.ping = root_test_ping(pdev);
	return 0;
}

static void root_test_remove(struct pvbus_device *pdev)
{
	WRITE_ONCE(rt.removed, true);
	if (READ_ONCE(rt.hold_notify))
		complete(&rt.removed_done);
	rt.ping = root_test_ping(pdev);
}

/* fail_probe: notify() asks the host, and waits for the answer. */
static void root_test_notify_asks(struct pvbus_device *pdev)
{
	rt.notify_ret = root_test_ask(pdev, 1);
	complete(&rt.notified);
}

/*
 * The host answers the driver's request once the driver has let go of its
 * message table (a failed probe, an unbind), or after a second if it
 * keeps it, as it must while notify() or a managed action of the
 * driver's runs.
 */
static void root_test_answer_work(struct work_struct *work)
{
	unsigned int ms;

	for (ms = 0; ms < 1000 && READ_ONCE(rt.pdev->chan->specs); ms += 20)
		msleep(20);
	rt.ask.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	pvbus_channel_receive(rt.pdev->chan, &rt.ask, sizeof(rt.ask));
}

static void root_test_notify(struct pvbus_device *pdev, const void *msg,
			     size_t len)
{
	if (READ_ONCE(rt.fail_probe)) {
		root_test_notify_asks(pdev);
		return;
	}
	if (!READ_ONCE(rt.hold_notify))
		return;
	complete(&rt.in_notify);
	wait_for_completion(&rt.notify_go);
	WRITE_ONCE(rt.removed_in_notify, READ_ONCE(rt.removed));
}

static const struct pvbus_device_id root_test_ids[] = {
	{ .class = GUID_INIT(0x2f8e5a61, 0x0c3d, 0x4b7e, 0x9a, 0x1f,
			     0x6d, 0x5c, 0x4b, 0x3a, 0x29, 0x18) },
	{ }
};

static struct pvbus_driver root_test_driver = {
	.driver		= { .name = "pvbus_root_test" },
	.id_table	= root_test_ids,
	.probe		= root_test_probe,
	.remove		= root_test_remove,
	.notify		= root_test_notify,
	.msg_specs	= root_test_specs,
	.nr_msg_specs	= ARRAY_SIZE(root_test_specs),
};

/* The thread whose driver meets the silent host. */
static void root_test_silent_work(struct work_struct *work)
{
	struct pvbus_device *pdev;

	if (rt.where == SILENT_IN_PROBE) {
		pdev = pvbus_host_offer(&rt.host, &root_test_class,
					&root_test_inst[0], NULL);
		rt.pdev = IS_ERR(pdev) ? NULL : pdev;
	} else {
		pvbus_host_revoke(rt.pdev);
		rt.pdev = NULL;
	}
	complete(&rt.silent_done);
}

/* The other thread. */
static void root_test_other_work(struct work_struct *work)
{
	struct pvbus_range win[ROOT_TEST_MAX_WINDOWS];
	struct pvbus_device *pdev;

	switch (rt.op) {
	case OTHER_WINDOWS:
		rt.other_ret = pvbus_host_windows(&rt.host, win,
						  ARRAY_SIZE(win));
		if (rt.other_ret > 0)
			rt.other_ret = 0;
		break;
	case OTHER_OFFER:
		pdev = pvbus_host_offer(&rt.host, &root_test_other_class,
					&root_test_inst[2], NULL);
		rt.other_ret = PTR_ERR_OR_ZERO(pdev);
		if (!IS_ERR(pdev))
			pvbus_host_revoke(pdev);
		break;
	case OTHER_REVOKE:
		pvbus_host_revoke(rt.held);
		rt.held = NULL;
		rt.other_ret = 0;
		break;
	}
	complete(&rt.other_done);
}

/* A case's state, ready for a host that goes silent. */
static void root_test_silent_init(void)
{
	memset(&rt, 0, sizeof(rt));
	init_completion(&rt.entered);
	init_completion(&rt.release);
	init_completion(&rt.silent_done);
	INIT_WORK(&rt.silent_work, root_test_silent_work);
}

/* The host goes silent in the driver's probe() or remove() (rt.where). */
static void root_test_go_silent(void)
{
	WRITE_ONCE(rt.silent, true);
	queue_work(system_unbound_wq, &rt.silent_work);
	wait_for_completion(&rt.entered);
}

/*
 * Run @work while the host is silent: whether it is done (@done) within
 * @ms.  Then the host answers again, and both are let finish.
 */
static bool root_test_meanwhile(struct work_struct *work,
				struct completion *done, unsigned int ms)
{
	bool first;

	queue_work(system_unbound_wq, work);
	first = wait_for_completion_timeout(done, msecs_to_jiffies(ms));
	complete_all(&rt.release);
	flush_work(work);
	flush_work(&rt.silent_work);
	return first;
}

/*
 * The case's host, @name, on the first root (pvbus.mmio=), and the test
 * driver; the case is skipped without a root.
 */
static void root_test_attach(struct kunit *test, const char *name)
{
	int ret;

	rt.host.name = name;
	rt.host.ops = &root_test_ops;
	ret = pvbus_host_register(&rt.host);
	if (ret == -ENODEV)
		kunit_skip(test, "no bus root: boot with pvbus.mmio=");
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = pvbus_driver_register(&root_test_driver);
	if (ret) {
		pvbus_host_unregister(&rt.host);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
}

struct silent_case {
	const char *name;
	enum silent_in where;
	enum other_op op;
};

static const struct silent_case silent_cases[] = {
	{ "probe; the bus's windows", SILENT_IN_PROBE, OTHER_WINDOWS },
	{ "probe; offer another device", SILENT_IN_PROBE, OTHER_OFFER },
	{ "probe; revoke another device", SILENT_IN_PROBE, OTHER_REVOKE },
	{ "remove; the bus's windows", SILENT_IN_REMOVE, OTHER_WINDOWS },
	{ "remove; offer another device", SILENT_IN_REMOVE, OTHER_OFFER },
	{ "remove; revoke another device", SILENT_IN_REMOVE, OTHER_REVOKE },
};

static void silent_case_desc(const struct silent_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "silent in %s", c->name);
}

KUNIT_ARRAY_PARAM(silent, silent_cases, silent_case_desc);

static void root_test_silent_host(struct kunit *test)
{
	const struct silent_case *c = test->param_value;
	struct pvbus_device *pdev;
	bool other_first;

	root_test_silent_init();
	rt.where = c->where;
	rt.op = c->op;
	init_completion(&rt.other_done);
	INIT_WORK(&rt.other, root_test_other_work);

	root_test_attach(test, "kunit-silent");

	if (c->op == OTHER_REVOKE) {
		pdev = pvbus_host_offer(&rt.host, &root_test_other_class,
					&root_test_inst[1], NULL);
		KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
		rt.held = IS_ERR(pdev) ? NULL : pdev;
	}
	if (c->where == SILENT_IN_REMOVE) {
		pdev = pvbus_host_offer(&rt.host, &root_test_class,
					&root_test_inst[0], NULL);
		KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
		KUNIT_EXPECT_EQ(test, rt.ping, 0);
		rt.pdev = IS_ERR(pdev) ? NULL : pdev;
	}

	if ((c->op != OTHER_REVOKE || rt.held) &&
	    (c->where != SILENT_IN_REMOVE || rt.pdev)) {
		/* The host goes silent in the driver's probe() or remove(). */
		root_test_go_silent();
		other_first = root_test_meanwhile(&rt.other, &rt.other_done,
						  ROOT_TEST_PATIENCE_MS);
		KUNIT_EXPECT_TRUE_MSG(test, other_first,
				      "the other operation waited for the silent host");
		KUNIT_EXPECT_EQ(test, rt.other_ret, 0);
		KUNIT_EXPECT_EQ(test, rt.ping, 0);
	}

	if (rt.pdev)
		pvbus_host_revoke(rt.pdev);
	if (rt.held)
		pvbus_host_revoke(rt.held);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

static void root_test_unbind_work(struct work_struct *work)
{
	device_release_driver(&rt.pdev->dev);
}

/*
 * A driver's remove() is not called while its notify() runs: the unbind
 * waits for it.  remove() used to run meanwhile, and could free what
 * notify() was using.
 */
static void root_test_remove_waits_for_notify(struct kunit *test)
{
	struct root_test_note note;
	bool removed_early, removed_in_notify, removed;
	struct pvbus_device *pdev;

	memset(&rt, 0, sizeof(rt));
	init_completion(&rt.in_notify);
	init_completion(&rt.notify_go);
	init_completion(&rt.removed_done);
	INIT_WORK(&rt.unbind, root_test_unbind_work);

	root_test_attach(test, "kunit-notify");
	pdev = pvbus_host_offer(&rt.host, &root_test_class, &root_test_inst[0],
				NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (IS_ERR(pdev))
		goto out;
	rt.pdev = pdev;

	WRITE_ONCE(rt.hold_notify, true);
	pvbus_msg_init(&note.hdr, ROOT_TEST_NOTE, ROOT_TEST_NOTE_VERSION,
		       sizeof(note));
	note.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	note.value = 0;
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(pdev->chan, &note,
						    sizeof(note)), 0);
	if (!wait_for_completion_timeout(&rt.in_notify,
					 msecs_to_jiffies(ROOT_TEST_PATIENCE_MS))) {
		KUNIT_FAIL(test, "notify() was not called");
		goto out_revoke;
	}

	/* Unbind while notify() waits; let it go after a while. */
	queue_work(system_unbound_wq, &rt.unbind);
	removed_early = wait_for_completion_timeout(&rt.removed_done,
						    msecs_to_jiffies(500));
	complete_all(&rt.notify_go);
	flush_work(&rt.unbind);

	removed_in_notify = READ_ONCE(rt.removed_in_notify);
	removed = READ_ONCE(rt.removed);
	KUNIT_EXPECT_FALSE_MSG(test, removed_early,
			       "remove() was called while notify() ran");
	KUNIT_EXPECT_FALSE(test, removed_in_notify);
	KUNIT_EXPECT_TRUE(test, removed);
	KUNIT_EXPECT_EQ(test, rt.ping, 0);
out_revoke:
	complete_all(&rt.notify_go);
	pvbus_host_revoke(pdev);
out:
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

/*
 * A probe() that fails while the driver's notify() waits for an answer
 * of the host: the answer is checked against the driver's message table
 * and reaches the request.  The table used to be cleared as soon as
 * probe() failed, before notify() had returned, so that the answer was
 * refused as malformed and the request failed.
 */
static void root_test_failed_probe_keeps_table(struct kunit *test)
{
	struct pvbus_device *pdev;

	memset(&rt, 0, sizeof(rt));
	init_completion(&rt.asked);
	init_completion(&rt.notified);
	INIT_WORK(&rt.answer, root_test_answer_work);
	rt.notify_ret = -EINPROGRESS;
	WRITE_ONCE(rt.fail_probe, true);

	root_test_attach(test, "kunit-probe-fails");
	pdev = pvbus_host_offer(&rt.host, &root_test_class, &root_test_inst[0],
				NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (!IS_ERR(pdev)) {
		KUNIT_EXPECT_FALSE(test, device_is_bound(&pdev->dev));
		if (!wait_for_completion_timeout(&rt.notified,
						 msecs_to_jiffies(ROOT_TEST_PATIENCE_MS)))
			KUNIT_FAIL(test, "notify() did not return");
		KUNIT_EXPECT_EQ_MSG(test, rt.notify_ret, 0,
				    "the host's answer did not reach notify()'s request");
		pvbus_host_revoke(pdev);
	}
	flush_work(&rt.answer);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

/*
 * A managed action of the driver's asks the host after remove(), or after
 * probe() failed: its answer is checked against the driver's message
 * table, which must still be there.  It was cleared as remove() returned,
 * or probe() failed, before the driver core released the driver's managed
 * resources, so that the answer was refused as malformed and the request
 * failed.
 */
static void root_test_devm_action_keeps_table(struct kunit *test)
{
	const bool *fail = test->param_value;
	struct pvbus_device *pdev;

	memset(&rt, 0, sizeof(rt));
	init_completion(&rt.asked);
	INIT_WORK(&rt.answer, root_test_answer_work);
	rt.devm_ret = -EINPROGRESS;
	WRITE_ONCE(rt.devm_ask, true);
	WRITE_ONCE(rt.devm_fail, *fail);

	root_test_attach(test, "kunit-devm-asks");
	pdev = pvbus_host_offer(&rt.host, &root_test_class, &root_test_inst[0],
				NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (!IS_ERR(pdev)) {
		KUNIT_EXPECT_EQ(test, device_is_bound(&pdev->dev), !*fail);
		pvbus_host_revoke(pdev);
		KUNIT_EXPECT_TRUE_MSG(test, completion_done(&rt.asked),
				      "the managed action did not ask the host");
		KUNIT_EXPECT_EQ_MSG(test, rt.devm_ret, 0,
				    "the host's answer did not reach the managed action's request");
	}
	flush_work(&rt.answer);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

static const bool devm_fail_cases[] = { false, true };

static void devm_fail_desc(const bool *fail, char *desc)
{
	strscpy(desc, *fail ? "after a failed probe" : "after remove",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(devm_fail, devm_fail_cases, devm_fail_desc);

/* The second root's window: next to the one pvbus.mmio= gives the first. */
#define ROOT2_START	0x110000000ULL
#define ROOT2_SIZE	SZ_16M

static const u64 root2_windows[] = { ROOT2_START, ROOT2_SIZE };

static const struct property_entry root2_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", root2_windows),
	{ }
};

static const struct pvbus_host_ops root2_ops = {
	.send = root_test_send,
};

/* Attach @host to the first root (pvbus.mmio=), or skip the case. */
static void root_test_attach_first(struct kunit *test, struct pvbus_host *host)
{
	int ret;

	memset(&rt, 0, sizeof(rt));
	ret = pvbus_host_register(host);
	if (ret == -ENODEV)
		kunit_skip(test, "no bus root: boot with pvbus.mmio=");
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/*
 * A second bus root, on root2_windows, with @host attached to it; its
 * platform device, or an ERR_PTR() with nothing left registered.
 */
static struct platform_device *root_test_second_root(struct pvbus_host *host)
{
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = root2_props,
	};
	struct platform_device *plat;
	int ret;

	plat = platform_device_register_full(&info);
	if (IS_ERR(plat))
		return plat;
	host->root_name = dev_name(&plat->dev);
	ret = pvbus_host_register(host);
	if (ret) {
		platform_device_unregister(plat);
		return ERR_PTR(ret);
	}
	return plat;
}

/* The one window a host's root has, or a zero range. */
static struct pvbus_range root2_window(struct pvbus_host *host)
{
	struct pvbus_range win[ROOT_TEST_MAX_WINDOWS] = { };

	if (pvbus_host_windows(host, win, ARRAY_SIZE(win)) != 1)
		return (struct pvbus_range){ };
	return win[0];
}

/* The name of the resource that starts at @start in @parent's subtree. */
static const char *root2_res_name(struct resource *parent, u64 start)
{
	struct resource *r;
	const char *name;

	for (r = parent->child; r; r = r->sibling) {
		if (r->start == start && r->name && strstr(r->name, "window"))
			return r->name;
		if (r->start <= start && start <= r->end) {
			name = root2_res_name(r, start);
			if (name)
				return name;
		}
	}
	return NULL;
}

/*
 * Two bus roots, each with its windows and its host: a host attaches to
 * the root it names (or the first), sees that root's windows, and its
 * devices allocate there; the second root going away takes its host
 * along and its window out of iomem, and leaves the first alone.
 */
static void root_test_two_roots(struct kunit *test)
{
	struct pvbus_host first = { .name = "kunit-first", .ops = &root2_ops };
	struct pvbus_host second = { .name = "kunit-second", .ops = &root2_ops };
	struct pvbus_host other = { .name = "kunit-other", .ops = &root2_ops };
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = root2_props,
	};
	struct pvbus_mmio_req req = {
		.name = "kunit two roots", .size = SZ_4K, .zone = PVBUS_MMIO_ANY,
	};
	struct platform_device *plat;
	struct pvbus_device *pdev;
	struct pvbus_range win;
	struct resource *res;
	char name[64];

	root_test_attach_first(test, &first);
	win = root2_window(&first);
	KUNIT_EXPECT_NE(test, win.start, ROOT2_START);

	plat = platform_device_register_full(&info);
	if (IS_ERR(plat)) {
		pvbus_host_unregister(&first);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plat);
	}
	KUNIT_EXPECT_TRUE(test, device_is_bound(&plat->dev));
	KUNIT_EXPECT_EQ(test, region_intersects(ROOT2_START, ROOT2_SIZE,
						IORESOURCE_MEM, IORES_DESC_NONE),
			REGION_INTERSECTS);
	/* Its window is named by the root, in iomem as in logs and traces. */
	snprintf(name, sizeof(name), "pvbus %s ", dev_name(&plat->dev));
	KUNIT_EXPECT_PTR_NE(test, root2_res_name(&iomem_resource, ROOT2_START),
			    NULL);
	KUNIT_EXPECT_TRUE_MSG(test,
			      str_has_prefix(root2_res_name(&iomem_resource,
							    ROOT2_START) ?: "",
					     name),
			      "the second root's window is \"%s\", not \"%s...\"",
			      root2_res_name(&iomem_resource, ROOT2_START),
			      name);

	second.root_name = dev_name(&plat->dev);
	KUNIT_EXPECT_EQ(test, pvbus_host_register(&second), 0);
	win = root2_window(&second);
	KUNIT_EXPECT_EQ(test, win.start, ROOT2_START);
	KUNIT_EXPECT_EQ(test, win.size, (u64)ROOT2_SIZE);

	/* One host per root; a root that does not exist has none. */
	other.root_name = dev_name(&plat->dev);
	KUNIT_EXPECT_EQ(test, pvbus_host_register(&other), -EBUSY);
	other.root_name = "pvbus.no-such-root";
	KUNIT_EXPECT_EQ(test, pvbus_host_register(&other), -ENODEV);

	/* The second host's devices allocate from the second root. */
	pdev = pvbus_host_offer(&second, &root_test_other_class,
				&root_test_inst[0], NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (!IS_ERR(pdev)) {
		res = pvbus_device_mmio_alloc(pdev, &req);
		KUNIT_EXPECT_FALSE(test, IS_ERR(res));
		if (!IS_ERR(res)) {
			KUNIT_EXPECT_GE(test, (u64)res->start, ROOT2_START);
			KUNIT_EXPECT_LT(test, (u64)res->end,
					ROOT2_START + ROOT2_SIZE);
			pvbus_device_mmio_free(pdev, res);
		}
		pvbus_host_revoke(pdev);
	}

	/* The second root goes: its host is detached, its window gone. */
	platform_device_unregister(plat);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(second.root), NULL);
	KUNIT_EXPECT_EQ(test, pvbus_host_windows(&second, &win, 1), -ENODEV);
	KUNIT_EXPECT_EQ(test, region_intersects(ROOT2_START, ROOT2_SIZE,
						IORESOURCE_MEM, IORES_DESC_NONE),
			REGION_DISJOINT);
	pvbus_host_unregister(&second);

	/* The first root and its host are as they were. */
	KUNIT_EXPECT_PTR_NE(test, READ_ONCE(first.root), NULL);
	KUNIT_EXPECT_EQ(test, pvbus_host_windows(&first, &win, 1), 1);
	pvbus_host_unregister(&first);
}

/*
 * An instance names one device on the whole bus, whichever root's host
 * offers it: a second root's host offering an instance the first root
 * has is refused before the device is added (its name would clash in the
 * bus's directory: sysfs warns with a stack dump, which run_kunit.sh
 * fails the run on), and may offer it once the first is revoked.
 */
static void root_test_instance_unique_across_roots(struct kunit *test)
{
	struct pvbus_host first = { .name = "kunit-first", .ops = &root2_ops };
	struct pvbus_host second = { .name = "kunit-second", .ops = &root2_ops };
	const guid_t *inst = &root_test_inst[1];
	struct platform_device *plat;
	struct pvbus_device *pdev, *dup;

	root_test_attach_first(test, &first);
	plat = root_test_second_root(&second);
	if (IS_ERR(plat)) {
		pvbus_host_unregister(&first);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plat);
	}

	pdev = pvbus_host_offer(&first, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (!IS_ERR(pdev)) {
		dup = pvbus_host_offer(&second, &root_test_other_class, inst,
				       NULL);
		KUNIT_EXPECT_PTR_EQ(test, dup, ERR_PTR(-EEXIST));
		if (!IS_ERR(dup))
			pvbus_host_revoke(dup);
		KUNIT_EXPECT_TRUE(test, device_is_registered(&pdev->dev));
		pvbus_host_revoke(pdev);
	}

	pdev = pvbus_host_offer(&second, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (!IS_ERR(pdev))
		pvbus_host_revoke(pdev);

	platform_device_unregister(plat);
	pvbus_host_unregister(&second);
	pvbus_host_unregister(&first);
}

/*
 * A host offers at most PVBUS_HOST_MAX_DEVICES devices on its root: one
 * more is refused with -ENOSPC, and is taken once one of them is revoked.
 */
static void root_test_offers_bounded(struct kunit *test)
{
	struct pvbus_device **pdev, *more;
	guid_t inst;
	unsigned int i, n;

	pdev = kunit_kcalloc(test, PVBUS_HOST_MAX_DEVICES, sizeof(*pdev),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	root_test_attach(test, "kunit-many");

	for (n = 0; n < PVBUS_HOST_MAX_DEVICES; n++) {
		inst = GUID_INIT(0x6d000000 + n, 0x7e57, 0x4e57, 0x8e, 0x57,
				 0, 0, 0, 0, 0, 1);
		pdev[n] = pvbus_host_offer(&rt.host, &root_test_other_class,
					   &inst, NULL);
		if (IS_ERR(pdev[n]))
			break;
	}
	KUNIT_EXPECT_EQ(test, n, PVBUS_HOST_MAX_DEVICES);
	if (n == PVBUS_HOST_MAX_DEVICES) {
		inst = GUID_INIT(0x6d0fffff, 0x7e57, 0x4e57, 0x8e, 0x57,
				 0, 0, 0, 0, 0, 1);
		more = pvbus_host_offer(&rt.host, &root_test_other_class,
					&inst, NULL);
		KUNIT_EXPECT_PTR_EQ(test, more, ERR_PTR(-ENOSPC));
		if (!IS_ERR(more))
			pvbus_host_revoke(more);

		pvbus_host_revoke(pdev[--n]);
		more = pvbus_host_offer(&rt.host, &root_test_other_class,
					&inst, NULL);
		KUNIT_EXPECT_FALSE(test, IS_ERR(more));
		if (!IS_ERR(more))
			pvbus_host_revoke(more);
	}
	for (i = 0; i < n; i++)
		pvbus_host_revoke(pdev[i]);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

/*
 * An instance whose revoke waits in its driver's remove() is still taken:
 * the device is off its root's list and, its device_del() started, off
 * the bus's, but still in sysfs and debugfs.  Another root's host that
 * offers it meanwhile is refused; once the revoke is done, it is not.
 */
static void root_test_instance_taken_while_revoked(struct kunit *test)
{
	struct pvbus_host second = { .name = "kunit-second", .ops = &root2_ops };
	const guid_t *inst = &root_test_inst[0];
	struct platform_device *plat;
	struct pvbus_device *pdev, *dup;

	root_test_silent_init();
	root_test_attach(test, "kunit-revoked");
	plat = root_test_second_root(&second);
	if (IS_ERR(plat)) {
		pvbus_driver_unregister(&root_test_driver);
		pvbus_host_unregister(&rt.host);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plat);
	}
	pdev = pvbus_host_offer(&rt.host, &root_test_class, inst, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (IS_ERR(pdev))
		goto out;

	/* The backend revokes it; the host goes silent in its remove(). */
	rt.where = SILENT_IN_REMOVE;
	rt.pdev = pdev;
	root_test_go_silent();
	dup = pvbus_host_offer(&second, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_PTR_EQ(test, dup, ERR_PTR(-EEXIST));
	if (!IS_ERR(dup))
		pvbus_host_revoke(dup);
	complete_all(&rt.release);
	flush_work(&rt.silent_work);
	KUNIT_EXPECT_EQ(test, rt.ping, 0);

	dup = pvbus_host_offer(&second, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(dup));
	if (!IS_ERR(dup))
		pvbus_host_revoke(dup);
out:
	pvbus_host_unregister(&second);
	platform_device_unregister(plat);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);
}

/*
 * A host bridge window as the ACPI core marks one, in iomem but the
 * window of no PCI bus: one of a host bridge that is going away.
 */
#define ROOT3_BRIDGE_START	0x120000000ULL
#define ROOT3_BRIDGE_SIZE	SZ_64M
#define ROOT3_START		(ROOT3_BRIDGE_START + SZ_16M)

static const u64 root3_windows[] = { ROOT3_START, SZ_16M };

static const struct property_entry root3_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", root3_windows),
	{ }
};

/*
 * A root whose window would lie in a host bridge window of no live PCI
 * bus is refused: nothing ties the window to the bridge's life, which
 * would free the window's parent under it (the bridge's driver unbinding
 * while the root probed).
 */
static void root_test_dead_bridge_window(struct kunit *test)
{
	struct resource bridge = DEFINE_RES_NAMED(ROOT3_BRIDGE_START,
						  ROOT3_BRIDGE_SIZE,
						  "kunit dead bridge window",
						  IORESOURCE_MEM |
						  IORESOURCE_WINDOW);
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = root3_props,
	};
	struct platform_device *plat;
	bool bound;

	KUNIT_ASSERT_EQ(test, request_resource(&iomem_resource, &bridge), 0);
	plat = platform_device_register_full(&info);
	if (IS_ERR(plat)) {
		release_resource(&bridge);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plat);
	}
	bound = device_is_bound(&plat->dev);
	platform_device_unregister(plat);

	KUNIT_EXPECT_FALSE_MSG(test, bound,
			       "a root took a window in a host bridge window of no PCI bus");
	KUNIT_EXPECT_PTR_EQ(test, bridge.child, NULL);
	release_resource(&bridge);
}

#ifdef CONFIG_PCI
/*
 * A PCI host bridge whose driver is unbinding: its remove() waits for the
 * case, with its root bus, and its window in iomem, still there.  A root
 * with a window in that window, and one in free space, probes meanwhile.
 */
#define ROOT4_BUSNR		0xfe
#define ROOT4_FREE_START	0x128000000ULL

static const u64 root4_windows[] = {
	ROOT3_START, SZ_16M, ROOT4_FREE_START, SZ_16M,
};

static const struct property_entry root4_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", root4_windows),
	{ }
};

static struct {
	struct resource win;
	struct resource busn;
	struct pci_bus *bus;
	struct platform_device *plat;
	struct completion removing;
	struct completion release;
	bool hold_probe;
	struct completion probing;
	struct completion probe_go;
	bool endpoint;		/* a function at 00.0 of its root bus */
} rb;

/*
 * The function rbe_driver binds to, as a VMD endpoint: ids, a class and
 * nothing else (no BAR, no capability).
 */
#define RBE_VENDOR	0x1b36
#define RBE_DEVICE	0x00fe

static u32 rbe_read(int where, int size)
{
	u32 dword = 0;

	switch (where & ~3) {
	case PCI_VENDOR_ID:
		dword = RBE_DEVICE << 16 | RBE_VENDOR;
		break;
	case PCI_CLASS_REVISION:
		dword = PCI_CLASS_SYSTEM_OTHER << 16;
		break;
	}
	dword >>= 8 * (where & 3);
	return size == 4 ? dword : dword & ((1U << (8 * size)) - 1);
}

/* No function answers on the bridge's bus, but rb.endpoint's. */
static int rb_read(struct pci_bus *bus, unsigned int devfn, int where,
		   int size, u32 *val)
{
	if (rb.endpoint && bus->number == ROOT4_BUSNR && devfn == 0) {
		*val = rbe_read(where, size);
		return PCIBIOS_SUCCESSFUL;
	}
	*val = ~0U;
	return PCIBIOS_DEVICE_NOT_FOUND;
}

static int rb_write(struct pci_bus *bus, unsigned int devfn, int where,
		    int size, u32 val)
{
	if (rb.endpoint && bus->number == ROOT4_BUSNR && devfn == 0)
		return PCIBIOS_SUCCESSFUL;
	return PCIBIOS_DEVICE_NOT_FOUND;
}

static struct pci_ops rb_ops = {
	.read = rb_read,
	.write = rb_write,
};

static int rb_probe(struct platform_device *plat)
{
	struct pci_host_bridge *bridge = pci_alloc_host_bridge(0);
	int ret;

	if (!bridge)
		return -ENOMEM;
	bridge->dev.parent = &plat->dev;
	bridge->ops = &rb_ops;
	bridge->busnr = ROOT4_BUSNR;
	pci_add_resource(&bridge->windows, &rb.win);
	pci_add_resource(&bridge->windows, &rb.busn);
	pci_lock_rescan_remove();
	ret = pci_scan_root_bus_bridge(bridge);
	if (!ret) {
		rb.bus = bridge->bus;
		/* The endpoint, if any, to its driver. */
		pci_bus_add_devices(rb.bus);
	}
	pci_unlock_rescan_remove();
	if (ret) {
		pci_free_host_bridge(bridge);
		/* No root bus: a case waiting for one goes on, and sees it. */
		complete(&rb.probing);
		return ret;
	}
	/* Its root bus is up, its probe not over, while the case says. */
	if (rb.hold_probe) {
		complete(&rb.probing);
		wait_for_completion(&rb.probe_go);
	}
	return 0;
}

/*
 * Remove @bus, and the host bridge with it, under the rescan lock, as
 * pci-host-generic does (its devres frees the bridge).
 */
static void rb_remove_root_bus(struct pci_bus *bus)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(bus);

	pci_lock_rescan_remove();
	pci_stop_root_bus(bus);
	pci_remove_root_bus(bus);
	pci_unlock_rescan_remove();
	pci_free_host_bridge(bridge);
}

static int rb_remove(struct platform_device *plat)
{
	complete(&rb.removing);
	wait_for_completion(&rb.release);
	rb_remove_root_bus(rb.bus);
	rb.bus = NULL;
	return 0;
}

static struct platform_driver rb_driver = {
	.probe = rb_probe,
	.remove = rb_remove,
	.driver = { .name = "pvbus-kunit-bridge" },
};

static void rb_unbind_work(struct work_struct *work)
{
	device_release_driver(&rb.plat->dev);
}

static void rb_register_work(struct work_struct *work)
{
	rb.plat = platform_device_register_simple("pvbus-kunit-bridge",
						  PLATFORM_DEVID_NONE, NULL, 0);
}

static void rb_init(void)
{
	rb.win = (struct resource)DEFINE_RES_NAMED(ROOT3_BRIDGE_START,
						   ROOT3_BRIDGE_SIZE,
						   "kunit bridge window",
						   IORESOURCE_MEM);
	rb.busn = (struct resource)DEFINE_RES_NAMED(ROOT4_BUSNR, 1,
						    "kunit bridge bus",
						    IORESOURCE_BUS);
	rb.bus = NULL;
	rb.plat = NULL;
	rb.hold_probe = false;
	rb.endpoint = false;
	init_completion(&rb.removing);
	init_completion(&rb.release);
	init_completion(&rb.probing);
	init_completion(&rb.probe_go);
}

/* The bridge's window in iomem and its driver registered; 0 or -errno. */
static int rb_start(struct kunit *test, bool hold_probe)
{
	rb_init();
	rb.hold_probe = hold_probe;
	if (request_resource(&iomem_resource, &rb.win)) {
		KUNIT_FAIL(test, "the bridge's window is not free in iomem");
		return -EBUSY;
	}
	if (platform_driver_register(&rb_driver)) {
		release_resource(&rb.win);
		KUNIT_FAIL(test, "cannot register the bridge's driver");
		return -ENODEV;
	}
	return 0;
}

/*
 * The bridge's probe runs, from @work, and waits with its root bus up:
 * true once it does, false (the case failed) if it came to no root bus.
 */
static bool rb_probe_held(struct kunit *test, struct work_struct *work)
{
	INIT_WORK_ONSTACK(work, rb_register_work);
	schedule_work(work);
	wait_for_completion(&rb.probing);
	if (!rb.bus)
		KUNIT_FAIL(test, "the bridge did not come up");
	return rb.bus;
}

/* The bridge's probe held by rb_probe_held() goes on, and ends. */
static void rb_probe_go(struct work_struct *work)
{
	complete(&rb.probe_go);
	flush_work(work);
	destroy_work_on_stack(work);
}

/* A root with a window in the bridge's window and one in free space. */
/* Whether a root with @props binds; it goes again either way. */
static bool rb_root_binds(const struct property_entry *props)
{
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = props,
	};
	struct platform_device *plat;
	bool bound;

	plat = platform_device_register_full(&info);
	bound = !IS_ERR(plat) && device_is_bound(&plat->dev);
	if (!IS_ERR(plat))
		platform_device_unregister(plat);
	return bound;
}

/* Nothing of the root is left in the bridge's window; the bridge goes. */
static void rb_stop(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, rb.win.child, NULL);
	complete(&rb.probe_go);
	complete(&rb.release);
	if (!IS_ERR_OR_NULL(rb.plat))
		platform_device_unregister(rb.plat);
	platform_driver_unregister(&rb_driver);
	release_resource(&rb.win);
}

/*
 * A root whose window would lie in the window of a PCI host bridge whose
 * driver is unbinding is refused, whole: the device link its tie made to
 * the bridge's driver is then dropped.  It used to bind with its other
 * window and keep the link, dormant, to a bridge with no driver; the
 * driver core warned when the root bound ("WARNING: ... at
 * drivers/base/core.c ... device_links_driver_bound").
 */
static void root_test_unbinding_bridge(struct kunit *test)
{
	struct work_struct work;
	bool bound;

	if (rb_start(test, false))
		return;
	rb.plat = platform_device_register_simple("pvbus-kunit-bridge",
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(rb.plat) || !rb.bus) {
		KUNIT_FAIL(test, "the bridge did not come up");
		goto out;
	}

	/* Its driver unbinds, and waits in remove(). */
	INIT_WORK_ONSTACK(&work, rb_unbind_work);
	schedule_work(&work);
	wait_for_completion(&rb.removing);
	bound = rb_root_binds(root4_props);
	complete(&rb.release);
	flush_work(&work);
	destroy_work_on_stack(&work);
	KUNIT_EXPECT_FALSE_MSG(test, bound,
			       "a root bound with a window in the window of a host bridge whose driver was unbinding");
out:
	rb_stop(test);
}

/*
 * A root whose window would lie in the window of a PCI host bridge whose
 * driver is still probing (its root bus is up before its probe() returns)
 * is deferred, with no link made: the bridge may yet fail.  It used to
 * bind with a link to the probing bridge, and unbinding it before the
 * bridge's probe was over had the driver core warn ("WARNING: ... at
 * drivers/base/core.c ... __device_links_no_driver").
 */
static void root_test_probing_bridge(struct kunit *test)
{
	struct work_struct work;
	bool bound = false;

	if (rb_start(test, true))
		return;
	if (rb_probe_held(test, &work))
		bound = rb_root_binds(root4_props);
	rb_probe_go(&work);
	KUNIT_EXPECT_FALSE_MSG(test, bound,
			       "a root bound with a window in the window of a host bridge still probing");
	rb_stop(test);
}

struct probing_case {
	const char *name;
	const struct property_entry *props;
};

static const struct probing_case probing_cases[] = {
	{ "a window in the bridge's, one in free space", root4_props },
	{ "its only window in the bridge's", root3_props },
};

KUNIT_ARRAY_PARAM_DESC(probing, probing_cases, name);

/*
 * A root deferred by a PCI host bridge still probing binds once the
 * bridge is bound: the driver core tries deferred devices again then.
 * A root left with no window by the deferral used to fail with -ENODEV
 * ("no usable MMIO window") instead, which is never tried again.
 */
static void root_test_probing_bridge_retried(struct kunit *test)
{
	const struct probing_case *c = test->param_value;
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = c->props,
	};
	struct platform_device *plat = NULL;
	struct work_struct work;
	bool bound = false;

	if (rb_start(test, true))
		return;
	if (rb_probe_held(test, &work))
		plat = platform_device_register_full(&info);
	rb_probe_go(&work);

	/* The bridge is bound: the deferred root is tried again. */
	wait_for_device_probe();
	if (!IS_ERR_OR_NULL(plat)) {
		bound = device_is_bound(&plat->dev);
		platform_device_unregister(plat);
	}
	KUNIT_EXPECT_TRUE_MSG(test, bound,
			      "a root deferred by a host bridge still probing was not bound once the bridge was");
	rb_stop(test);
}

struct param_root_case {
	const char *name;
	bool deferred;	/* a root is deferred by a host bridge probing */
	bool needed;
};

static const struct param_root_case param_root_cases[] = {
	{ "no root device but the module's own", false, true },
	{ "a root deferred by a PCI host bridge still probing", true, false },
};

KUNIT_ARRAY_PARAM_DESC(param_root, param_root_cases, name);

/*
 * pvbus.mmio= makes a root of the module's own only where firmware
 * describes none: a firmware root whose probe was deferred as the module
 * loads is one.  It used to be looked for among the roots bound, and the
 * module's own root then took the deferred one's place as the first.
 */
static void root_test_param_root_needed(struct kunit *test)
{
	const struct param_root_case *c = test->param_value;
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = root3_props,
	};
	struct platform_device *plat = NULL;
	struct work_struct work;
	bool needed = !c->needed;

	/* CONFIG_PVBUS_KUNIT_ROOT_MMIO gives pvbus.mmio=. */
	KUNIT_ASSERT_TRUE(test, pvbus_fw_param_root_wanted());
	if (!c->deferred) {
		KUNIT_EXPECT_EQ(test, pvbus_param_root_needed(), c->needed);
		return;
	}

	if (rb_start(test, true))
		return;
	if (rb_probe_held(test, &work)) {
		/* Probed at once, and deferred: the bridge is probing. */
		plat = platform_device_register_full(&info);
		if (!IS_ERR(plat)) {
			KUNIT_EXPECT_FALSE(test, device_is_bound(&plat->dev));
			needed = pvbus_param_root_needed();
		}
	}
	rb_probe_go(&work);
	wait_for_device_probe();
	if (!IS_ERR_OR_NULL(plat))
		platform_device_unregister(plat);
	KUNIT_EXPECT_EQ(test, needed, c->needed);
	rb_stop(test);
}

/*
 * A PCI host bridge a PCI function owns, as a VMD endpoint owns its
 * domain's: its driver makes the bridge, with a window inside the
 * platform bridge's, on bus ROOT5_BUSNR, and removes it as it unbinds.
 */
#define ROOT5_BUSNR		0xfd
#define ROOT5_BRIDGE_START	(ROOT3_BRIDGE_START + SZ_32M)
#define ROOT5_START		(ROOT5_BRIDGE_START + SZ_4M)

static const u64 root5_windows[] = { ROOT5_START, SZ_4M };

static const struct property_entry root5_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", root5_windows),
	{ }
};

static struct {
	struct resource win;
	struct resource busn;
	struct pci_bus *bus;
} rbe;

static struct pci_ops rbe_ops = {
	.read = rb_read,
	.write = rb_write,
};

static int rbe_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pci_host_bridge *bridge = pci_alloc_host_bridge(0);
	int ret;

	if (!bridge)
		return -ENOMEM;
	rbe.win = (struct resource)DEFINE_RES_NAMED(ROOT5_BRIDGE_START, SZ_16M,
						    "kunit endpoint's bridge window",
						    IORESOURCE_MEM);
	rbe.busn = (struct resource)DEFINE_RES_NAMED(ROOT5_BUSNR, 1,
						     "kunit endpoint's bus",
						     IORESOURCE_BUS);
	ret = request_resource(&rb.win, &rbe.win);
	if (ret) {
		pci_free_host_bridge(bridge);
		return ret;
	}
	bridge->dev.parent = &pdev->dev;
	bridge->ops = &rbe_ops;
	bridge->busnr = ROOT5_BUSNR;
	pci_add_resource(&bridge->windows, &rbe.win);
	pci_add_resource(&bridge->windows, &rbe.busn);
	/* Under the rescan lock already: rb_probe() adds the endpoint. */
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret) {
		pci_free_host_bridge(bridge);
		release_resource(&rbe.win);
		return ret;
	}
	rbe.bus = bridge->bus;
	return 0;
}

static void rbe_remove(struct pci_dev *pdev)
{
	rb_remove_root_bus(rbe.bus);
	rbe.bus = NULL;
	release_resource(&rbe.win);
}

static const struct pci_device_id rbe_ids[] = {
	{ PCI_DEVICE(RBE_VENDOR, RBE_DEVICE) },
	{ }
};

static struct pci_driver rbe_driver = {
	.name = "pvbus-kunit-endpoint",
	.id_table = rbe_ids,
	.probe = rbe_probe,
	.remove = rbe_remove,
};

/*
 * A root whose window would lie in the window of a PCI host bridge that a
 * PCI function owns is refused.  The function goes under the rescan lock
 * (its removal through sysfs, a hot unplug), which would unbind the root
 * linked to it under that lock, and the root's buses take it as they go:
 * the root would deadlock against itself.  It used to bind, linked.
 */
static void root_test_pci_owned_bridge(struct kunit *test)
{
	bool bound = false;

	if (rb_start(test, false))
		return;
	rb.endpoint = true;
	if (pci_register_driver(&rbe_driver)) {
		KUNIT_FAIL(test, "cannot register the endpoint's driver");
		goto stop;
	}
	rb.plat = platform_device_register_simple("pvbus-kunit-bridge",
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(rb.plat) || !rbe.bus) {
		KUNIT_FAIL(test, "the endpoint's bridge did not come up");
	} else if (!rb_root_binds(root3_props)) {
		/* Outside the function's bridge, in the platform one's. */
		KUNIT_FAIL(test,
			   "a root with a window in the platform bridge's did not bind beside the function's bridge");
	} else {
		bound = rb_root_binds(root5_props);
	}
	KUNIT_EXPECT_FALSE_MSG(test, bound,
			       "a root bound with a window in the window of a host bridge a PCI function owns");
	pci_unregister_driver(&rbe_driver);
stop:
	rb_stop(test);
}
#endif

/* The thread that takes the second root away. */
static struct {
	struct platform_device *plat;
	struct completion done;
	struct work_struct work;
} rg;

static void root_test_unplug_work(struct work_struct *work)
{
	platform_device_unregister(rg.plat);
	complete(&rg.done);
}

/*
 * A revoke the backend started holds the device's root until the
 * driver's remove() is done: the root going away meanwhile waits, since
 * that remove() may still use the bus (free its MMIO, talk to the host).
 * The host goes silent in the remove() to hold it there.
 */
static void root_test_root_waits_for_revoke(struct kunit *test)
{
	struct pvbus_host host = { .name = "kunit-revoking", .ops = &root2_ops };
	struct pvbus_device *pdev;
	bool gone_early;
	int ret;

	root_test_silent_init();
	init_completion(&rg.done);
	INIT_WORK(&rg.work, root_test_unplug_work);

	rg.plat = root_test_second_root(&host);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rg.plat);
	ret = pvbus_driver_register(&root_test_driver);
	if (ret) {
		pvbus_host_unregister(&host);
		platform_device_unregister(rg.plat);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	pdev = pvbus_host_offer(&host, &root_test_class, &root_test_inst[0],
				NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pdev));
	if (IS_ERR(pdev)) {
		pvbus_driver_unregister(&root_test_driver);
		platform_device_unregister(rg.plat);
		return;
	}

	/* The backend revokes it; the host goes silent in its remove(). */
	rt.where = SILENT_IN_REMOVE;
	rt.pdev = pdev;
	root_test_go_silent();

	/* Meanwhile the root goes. */
	gone_early = root_test_meanwhile(&rg.work, &rg.done, 500);
	KUNIT_EXPECT_FALSE_MSG(test, gone_early,
			       "the root went while a driver's remove() still ran");
	KUNIT_EXPECT_EQ(test, rt.ping, 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(host.root), NULL);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&host);
}

/*
 * A root that goes revokes its devices one at a time, the last offered
 * first: the others keep their instances until their turn, though the
 * root is off the bus's list of roots already.  Another root's host that
 * offers one of them meanwhile is refused before its device is added (its
 * name would clash in the bus's directory: sysfs warns with a stack dump,
 * which run_kunit.sh fails the run on).
 */
static void root_test_instance_taken_while_root_goes(struct kunit *test)
{
	struct pvbus_host first = { .name = "kunit-first", .ops = &root2_ops };
	struct pvbus_host going = { .name = "kunit-going", .ops = &root2_ops };
	const guid_t *inst = &root_test_inst[1];
	struct pvbus_device *later, *held, *dup;
	int ret;

	root_test_attach_first(test, &first);
	root_test_silent_init();
	init_completion(&rg.done);
	INIT_WORK(&rg.work, root_test_unplug_work);
	rg.plat = root_test_second_root(&going);
	if (IS_ERR(rg.plat)) {
		pvbus_host_unregister(&first);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rg.plat);
	}
	ret = pvbus_driver_register(&root_test_driver);
	if (ret)
		goto out_root;

	/* Revoked last; then the one whose remove() meets a silent host. */
	later = pvbus_host_offer(&going, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(later));
	if (IS_ERR(later))
		goto out_driver;
	held = pvbus_host_offer(&going, &root_test_class, &root_test_inst[0],
				NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(held));
	if (IS_ERR(held)) {
		pvbus_host_revoke(later);
		goto out_driver;
	}

	WRITE_ONCE(rt.silent, true);
	queue_work(system_unbound_wq, &rg.work);
	wait_for_completion(&rt.entered);
	dup = pvbus_host_offer(&first, &root_test_other_class, inst, NULL);
	KUNIT_EXPECT_PTR_EQ(test, dup, ERR_PTR(-EEXIST));
	if (!IS_ERR(dup))
		pvbus_host_revoke(dup);
	complete_all(&rt.release);
	flush_work(&rg.work);

	pvbus_host_revoke(held);
	pvbus_host_revoke(later);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&going);
	pvbus_host_unregister(&first);
	return;

out_driver:
	pvbus_driver_unregister(&root_test_driver);
out_root:
	platform_device_unregister(rg.plat);
	pvbus_host_unregister(&going);
	pvbus_host_unregister(&first);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* The first root's device, unbound by a case and bound again. */
static struct {
	struct device *dev;
	struct work_struct work;
} rf;

static void root_test_first_unbind_work(struct work_struct *work)
{
	device_release_driver(rf.dev);
}

/*
 * A root that probes while the first root goes away is not the first:
 * the first keeps its names ("pvbus" in iomem, the debugfs map "mmio")
 * and pvbus.mmio= until it is gone.  The root probing used to be taken
 * for the first, as the list of roots was empty: its windows were named
 * as the first root's are.  Once the first root is gone and bound again,
 * it is the first again, and a host that names no root attaches to it,
 * not to the root that probed meanwhile (which used to head the list).
 * The host goes silent in its device's remove() to hold the first root
 * there.
 */
static void root_test_probe_while_first_goes(struct kunit *test)
{
	struct platform_device_info info = {
		.name = "pvbus", .id = PLATFORM_DEVID_AUTO,
		.properties = root2_props,
	};
	struct pvbus_host again = { .name = "kunit-again", .ops = &root2_ops };
	struct pvbus_range first_win = { }, win = { };
	struct platform_device *plat;
	struct pvbus_device *pdev;
	const char *res;
	char name[64];
	int bound, ret;

	root_test_silent_init();
	root_test_attach(test, "kunit-first-goes");
	pvbus_host_windows(&rt.host, &first_win, 1);
	pdev = pvbus_host_offer(&rt.host, &root_test_class, &root_test_inst[0],
				NULL);
	if (IS_ERR(pdev)) {
		pvbus_driver_unregister(&root_test_driver);
		pvbus_host_unregister(&rt.host);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pdev);
	}
	rf.dev = get_device(READ_ONCE(rt.host.root)->dev);
	INIT_WORK(&rf.work, root_test_first_unbind_work);

	/* The first root goes; its device's remove() meets a silent host. */
	WRITE_ONCE(rt.silent, true);
	queue_work(system_unbound_wq, &rf.work);
	wait_for_completion(&rt.entered);

	plat = platform_device_register_full(&info);
	KUNIT_EXPECT_FALSE(test, IS_ERR(plat));
	if (!IS_ERR(plat)) {
		KUNIT_EXPECT_TRUE(test, device_is_bound(&plat->dev));
		snprintf(name, sizeof(name), "pvbus %s ", dev_name(&plat->dev));
		res = root2_res_name(&iomem_resource, ROOT2_START);
		KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(res ?: "", name),
				      "the root probing has its window named \"%s\", not \"%s...\"",
				      res, name);
	}
	complete_all(&rt.release);
	flush_work(&rf.work);
	pvbus_host_revoke(pdev);
	pvbus_driver_unregister(&root_test_driver);
	pvbus_host_unregister(&rt.host);

	/* Bound again, the first root is the first again. */
	bound = device_attach(rf.dev);
	KUNIT_EXPECT_EQ(test, bound, 1);
	snprintf(name, sizeof(name), "pvbus %s ", dev_name(rf.dev));
	put_device(rf.dev);
	ret = pvbus_host_register(&again);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		pvbus_host_windows(&again, &win, 1);
		KUNIT_EXPECT_EQ_MSG(test, win.start, first_win.start,
				    "the host that names no root is not on the first root");
		res = root2_res_name(&iomem_resource, win.start);
		KUNIT_EXPECT_TRUE_MSG(test,
				      res && str_has_prefix(res, "pvbus ") &&
				      !str_has_prefix(res, name),
				      "the first root bound again has its window named \"%s\"",
				      res);
		pvbus_host_unregister(&again);
	}
	if (!IS_ERR(plat))
		platform_device_unregister(plat);
}

/*
 * A DT node of the case's own, detached, valid wherever of_node_get() and
 * of_node_put() count (CONFIG_OF_DYNAMIC): they get and put the node's
 * kobject, which must have been initialised and must free the node when
 * its last reference goes, whoever drops it last.  The node is made as
 * of_node_init() makes one, but with a kobj_type of the test's own:
 * of_node_ktype is not exported to modules, and its release,
 * of_node_release(), frees only nodes flagged as the OF core's dynamic
 * ones.  Without OF_KOBJ (no OF, or no sysfs) nothing counts references:
 * the node is plain memory, freed at the end of the case.
 */
#ifdef CONFIG_OF_KOBJ
static void root_test_node_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct device_node, kobj));
}

static struct kobj_type root_test_node_ktype = {
	.release = root_test_node_release,
};
#endif

static int root_test_node_init(struct kunit_resource *res, void *context)
{
	struct device_node *np = kzalloc(sizeof(*np), GFP_KERNEL);

	if (!np)
		return -ENOMEM;
	np->name = "pvbus";
	np->full_name = "pvbus@kunit";
#ifdef CONFIG_OF_KOBJ
	kobject_init(&np->kobj, &root_test_node_ktype);
#endif
#ifdef CONFIG_OF
	fwnode_init(&np->fwnode, &of_fwnode_ops);
	of_node_set_flag(np, OF_DETACHED);
#endif
	res->data = np;
	return 0;
}

/* The case's reference goes; a device still holding one keeps the node. */
static void root_test_node_free(struct kunit_resource *res)
{
	struct device_node *np = res->data;

#ifdef CONFIG_OF_KOBJ
	kobject_put(&np->kobj);
#else
	kfree(np);
#endif
}

/* References to @np: counted under OF_DYNAMIC only, else -1. */
static int root_test_node_refs(struct device_node *np)
{
#ifdef CONFIG_OF_DYNAMIC
	return kref_read(&np->kobj.kref);
#else
	return -1;
#endif
}

/*
 * The devices of a root that a DT node describes carry the node, shared
 * with the root: pci_dma_configure() takes the DMA coherence of a PCI
 * function from the node of its host bridge's parent, the pvbus device.
 * Without it a function on a DT bus root of a coherent VM is not
 * DMA-coherent.  A root without a node gives its devices none.  Where
 * references to nodes are counted (OF_DYNAMIC), a device holds one on the
 * node while it lives.
 */
static void root_test_dt_node(struct kunit *test)
{
	struct pvbus_host host = { .name = "kunit-dt", .ops = &root_test_ops };
	/* A delayed release (DEBUG_KOBJECT_RELEASE) leaves the count up. */
	bool counted = IS_ENABLED(CONFIG_OF_DYNAMIC) &&
		       !IS_ENABLED(CONFIG_DEBUG_KOBJECT_RELEASE);
	struct device_node *np;
	struct pvbus_device *pdev;
	struct pvbus_root *root;
	struct device *dev;

	np = kunit_alloc_resource(test, root_test_node_init,
				  root_test_node_free, GFP_KERNEL, NULL);
	dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	root = kunit_kzalloc(test, sizeof(*root), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_NOT_NULL(test, root);
	root->dev = dev;

	pdev = pvbus_device_create(root, &host, &root_test_other_class,
				   &root_test_inst[0], NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_EXPECT_PTR_EQ(test, pdev->dev.of_node, NULL);
	put_device(&pdev->dev);

	dev->of_node = np;
	pdev = pvbus_device_create(root, &host, &root_test_other_class,
				   &root_test_inst[1], NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_EXPECT_PTR_EQ(test, pdev->dev.of_node, np);
	KUNIT_EXPECT_TRUE(test, pdev->dev.of_node_reused);
	if (counted)
		KUNIT_EXPECT_EQ(test, root_test_node_refs(np), 2);
	put_device(&pdev->dev);
	if (counted)
		KUNIT_EXPECT_EQ(test, root_test_node_refs(np), 1);
}

static struct kunit_case pvbus_root_test_cases[] = {
	KUNIT_CASE_PARAM(root_test_silent_host, silent_gen_params),
	KUNIT_CASE(root_test_remove_waits_for_notify),
	KUNIT_CASE(root_test_failed_probe_keeps_table),
	KUNIT_CASE_PARAM(root_test_devm_action_keeps_table, devm_fail_gen_params),
	KUNIT_CASE(root_test_two_roots),
	KUNIT_CASE(root_test_instance_unique_across_roots),
	KUNIT_CASE(root_test_offers_bounded),
	KUNIT_CASE(root_test_instance_taken_while_revoked),
	KUNIT_CASE(root_test_instance_taken_while_root_goes),
	KUNIT_CASE(root_test_root_waits_for_revoke),
	KUNIT_CASE(root_test_probe_while_first_goes),
	KUNIT_CASE(root_test_dead_bridge_window),
#ifdef CONFIG_PCI
	KUNIT_CASE(root_test_unbinding_bridge),
	KUNIT_CASE(root_test_probing_bridge),
	KUNIT_CASE_PARAM(root_test_probing_bridge_retried, probing_gen_params),
	KUNIT_CASE_PARAM(root_test_param_root_needed, param_root_gen_params),
	KUNIT_CASE(root_test_pci_owned_bridge),
#endif
	KUNIT_CASE(root_test_dt_node),
	{}
};

static struct kunit_suite pvbus_root_test_suite = {
	.name = "pvbus_root",
	.test_cases = pvbus_root_test_cases,
};

kunit_test_suite(pvbus_root_test_suite);

MODULE_DESCRIPTION("KUnit tests for the pvbus bus root and host backends");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
