// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_sim_host: how the simulated host answers what a guest
 * sends, checked on pvbus_sim_respond() with a device on no bus.  The guest
 * tests cannot send the host malformed requests (the guest's channel
 * refuses to), so the refusals are proven here.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>

#include "host.h"

/* A class protocol for the tests: one type with an array of __le32. */
#define PVBUS_SIM_TEST_SUM	(PVBUS_MSG_CLASS_BASE + 0)
#define PVBUS_SIM_TEST_VERSION	0x0100

struct pvbus_sim_test_sum {
	struct pvbus_msg_hdr hdr;
	__le32 count;
	__le32 vals[];
} __packed;

struct pvbus_sim_test_sum_resp {
	struct pvbus_msg_hdr hdr;
	__le64 sum;
} __packed;

static u32 pvbus_sim_test_sum(struct pvbus_sim_dev *sdev, const void *req,
			      size_t len, void *resp, size_t *resp_len)
{
	const struct pvbus_sim_test_sum *rq = req;
	struct pvbus_sim_test_sum_resp *rp = resp;
	u32 i, count = get_unaligned_le32(&rq->count);
	u64 sum = 0;

	if (!count)
		return PVBUS_STATUS_NOT_FOUND;
	for (i = 0; i < count; i++)
		sum += get_unaligned_le32(&rq->vals[i]);
	rp->sum = cpu_to_le64(sum);
	*resp_len = sizeof(*rp);
	return PVBUS_STATUS_SUCCESS;
}

static const guid_t pvbus_sim_test_class =
	GUID_INIT(0x5c0a6a42, 0x1f4e, 0x4d3b,
		  0x9b, 0x4e, 0x2a, 0x8d, 0x6c, 0x1e, 0x7f, 0x01);

static const struct pvbus_msg_spec pvbus_sim_test_specs[] = {
	{
		.type		= PVBUS_SIM_TEST_SUM,
		.min_version	= PVBUS_SIM_TEST_VERSION,
		.max_version	= PVBUS_SIM_TEST_VERSION,
		.fixed_len	= sizeof(__le32),
		.elem_len	= sizeof(__le32),
		.count_off	= 0,
		.max_count	= 4,
	},
};

static const struct pvbus_sim_handler pvbus_sim_test_handlers[] = {
	{ .handle = pvbus_sim_test_sum },
};

static const struct pvbus_sim_proto pvbus_sim_test_proto = {
	.class		= &pvbus_sim_test_class,
	.specs		= pvbus_sim_test_specs,
	.handlers	= pvbus_sim_test_handlers,
	.nr		= ARRAY_SIZE(pvbus_sim_test_specs),
};

/* What the guest accepts from the host, as the bus core checks it. */
static const struct pvbus_msg_spec pvbus_sim_test_guest_specs[] = {
	{
		.type		= PVBUS_MSG_PING,
		.min_version	= PVBUS_BUS_VERSION,
		.max_version	= PVBUS_BUS_VERSION,
		.fixed_len	= sizeof(struct pvbus_msg_ping) -
				  sizeof(struct pvbus_msg_hdr),
	},
};

struct pvbus_sim_test {
	struct pvbus_sim_host host;
	struct pvbus_sim_dev sdev;
	u8 resp[PVBUS_SIM_RESP_MAX];
	size_t len;
};

static int pvbus_sim_test_init(struct kunit *test)
{
	struct pvbus_sim_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->sdev.host = &t->host;
	test->priv = t;
	return 0;
}

static struct pvbus_msg_hdr *resp_hdr(struct kunit *test)
{
	struct pvbus_sim_test *t = test->priv;

	return (struct pvbus_msg_hdr *)t->resp;
}

static u64 sim_stat(struct kunit *test, enum pvbus_sim_stat s)
{
	struct pvbus_sim_test *t = test->priv;

	return atomic64_read(&t->host.stats[s]);
}

static size_t respond(struct kunit *test, enum pvbus_sim_fault fault,
		      const void *req, size_t len)
{
	struct pvbus_sim_test *t = test->priv;

	memset(t->resp, 0xa5, sizeof(t->resp));
	t->len = pvbus_sim_respond(&t->sdev, fault, req, len, t->resp);
	return t->len;
}

static void ping_init(struct pvbus_msg_ping *p, u64 id, u64 cookie)
{
	pvbus_msg_init(&p->hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION, sizeof(*p));
	p->hdr.trans_id = cpu_to_le64(id);
	p->cookie = cpu_to_le64(cookie);
}

/* The response is a header alone answering @id of @type with @status. */
static void expect_refusal(struct kunit *test, u16 type, u64 id, u32 status)
{
	struct pvbus_sim_test *t = test->priv;
	struct pvbus_msg_hdr *hdr = resp_hdr(test);

	KUNIT_EXPECT_EQ(test, t->len, sizeof(*hdr));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->len), sizeof(*hdr));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->type), type);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(hdr->trans_id), id);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->status), status);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->flags), PVBUS_MSG_F_RESPONSE);
}

static void pvbus_sim_test_ping(struct kunit *test)
{
	struct pvbus_msg_ping req, *resp;

	ping_init(&req, 7, 0x0123456789abcdefULL);
	KUNIT_ASSERT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, &req,
				      sizeof(req)), sizeof(req));

	resp = (struct pvbus_msg_ping *)resp_hdr(test);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(resp->hdr.type), PVBUS_MSG_PING);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(resp->hdr.version),
			PVBUS_BUS_VERSION);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->hdr.len), sizeof(*resp));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(resp->hdr.trans_id), 7);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->hdr.status),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->hdr.flags),
			PVBUS_MSG_F_RESPONSE);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(resp->cookie), 0x0123456789abcdefULL);
	/* What the guest's channel would accept. */
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(resp, sizeof(*resp),
						 pvbus_sim_test_guest_specs,
						 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_ANSWERED), 1);
}

static void pvbus_sim_test_unanswerable(struct kunit *test)
{
	struct pvbus_msg_ping req;

	ping_init(&req, 1, 1);
	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, &req,
				      sizeof(req.hdr) - 1), 0);
	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, &req, 0), 0);

	req.hdr.trans_id = 0;
	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, &req,
				      sizeof(req)), 0);
	/* Also when refusing everything: there is nothing to refuse to. */
	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_STATUS, &req,
				      sizeof(req)), 0);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_UNANSWERABLE), 4);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_ANSWERED), 0);
}

static void pvbus_sim_test_invalid_header(struct kunit *test)
{
	struct pvbus_msg_ping req;

	ping_init(&req, 2, 0);
	req.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_PING, 2, PVBUS_STATUS_INVALID);

	req.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_PING, 2, PVBUS_STATUS_INVALID);

	req.hdr.flags = cpu_to_le32(0x80);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_PING, 2, PVBUS_STATUS_INVALID);

	req.hdr.flags = 0;
	req.hdr.status = cpu_to_le32(PVBUS_STATUS_REFUSED);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_PING, 2, PVBUS_STATUS_INVALID);

	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_INVALID), 4);
}

static void pvbus_sim_test_invalid_length(struct kunit *test)
{
	u8 buf[sizeof(struct pvbus_msg_ping) + 8] = {};
	struct pvbus_msg_ping *req = (void *)buf;

	/* The header's length is not the message's. */
	ping_init(req, 3, 0);
	respond(test, PVBUS_SIM_FAULT_NONE, req, sizeof(*req) - 1);
	expect_refusal(test, PVBUS_MSG_PING, 3, PVBUS_STATUS_INVALID);
	respond(test, PVBUS_SIM_FAULT_NONE, req, sizeof(*req) + 1);
	expect_refusal(test, PVBUS_MSG_PING, 3, PVBUS_STATUS_INVALID);

	/* Consistent, but the payload is not a ping's. */
	req->hdr.len = cpu_to_le32(sizeof(req->hdr));
	respond(test, PVBUS_SIM_FAULT_NONE, req, sizeof(req->hdr));
	expect_refusal(test, PVBUS_MSG_PING, 3, PVBUS_STATUS_INVALID);
	req->hdr.len = cpu_to_le32(sizeof(buf));
	respond(test, PVBUS_SIM_FAULT_NONE, req, sizeof(buf));
	expect_refusal(test, PVBUS_MSG_PING, 3, PVBUS_STATUS_INVALID);

	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_INVALID), 4);
}

static void pvbus_sim_test_unsupported(struct kunit *test)
{
	struct pvbus_msg_ping req;
	const u16 versions[] = { 0x00ff, 0x0101, 0x0200, 0xffff };
	unsigned int i;

	/* A bus type the host does not know, or a class's type on none. */
	ping_init(&req, 4, 0);
	req.hdr.type = cpu_to_le16(0x00ff);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, 0x00ff, 4, PVBUS_STATUS_UNSUPPORTED);

	req.hdr.type = cpu_to_le16(PVBUS_MSG_CLASS_BASE);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_CLASS_BASE, 4,
		       PVBUS_STATUS_UNSUPPORTED);

	/* Versions a ping does not have. */
	req.hdr.type = cpu_to_le16(PVBUS_MSG_PING);
	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		req.hdr.version = cpu_to_le16(versions[i]);
		respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
		expect_refusal(test, PVBUS_MSG_PING, 4,
			       PVBUS_STATUS_UNSUPPORTED);
	}

	/* A class type on a channel whose class the host has no table for. */
	req.hdr.type = cpu_to_le16(PVBUS_SIM_TEST_SUM);
	req.hdr.version = cpu_to_le16(PVBUS_SIM_TEST_VERSION);
	respond(test, PVBUS_SIM_FAULT_NONE, &req, sizeof(req));
	expect_refusal(test, PVBUS_SIM_TEST_SUM, 4, PVBUS_STATUS_UNSUPPORTED);

	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_UNSUPPORTED),
			3 + ARRAY_SIZE(versions));
}

static void sum_init(struct pvbus_sim_test_sum *req, u64 id, u32 count)
{
	size_t len = struct_size(req, vals, count);
	u32 i;

	pvbus_msg_init(&req->hdr, PVBUS_SIM_TEST_SUM, PVBUS_SIM_TEST_VERSION,
		       len);
	req->hdr.trans_id = cpu_to_le64(id);
	req->count = cpu_to_le32(count);
	for (i = 0; i < count; i++)
		req->vals[i] = cpu_to_le32(i + 1);
}

static void pvbus_sim_test_class_proto(struct kunit *test)
{
	u8 buf[sizeof(struct pvbus_sim_test_sum) + 5 * sizeof(__le32)];
	struct pvbus_sim_test_sum *req = (void *)buf;
	struct pvbus_sim_test_sum_resp *resp;
	struct pvbus_sim_test *t = test->priv;
	struct pvbus_msg_ping ping;

	t->sdev.proto = &pvbus_sim_test_proto;

	/* Dispatched to the class's handler. */
	sum_init(req, 5, 4);
	KUNIT_ASSERT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, req,
				      struct_size(req, vals, 4)),
			sizeof(*resp));
	resp = (void *)resp_hdr(test);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->hdr.status),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(resp->hdr.type), PVBUS_SIM_TEST_SUM);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(resp->hdr.trans_id), 5);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(resp->sum), 10);

	/* A handler's refusal is a header alone. */
	sum_init(req, 6, 0);
	respond(test, PVBUS_SIM_FAULT_NONE, req, struct_size(req, vals, 0));
	expect_refusal(test, PVBUS_SIM_TEST_SUM, 6, PVBUS_STATUS_NOT_FOUND);

	/* More elements than the type allows; a count the length belies. */
	sum_init(req, 7, 5);
	respond(test, PVBUS_SIM_FAULT_NONE, req, struct_size(req, vals, 5));
	expect_refusal(test, PVBUS_SIM_TEST_SUM, 7, PVBUS_STATUS_INVALID);
	sum_init(req, 8, 3);
	req->count = cpu_to_le32(2);
	respond(test, PVBUS_SIM_FAULT_NONE, req, struct_size(req, vals, 3));
	expect_refusal(test, PVBUS_SIM_TEST_SUM, 8, PVBUS_STATUS_INVALID);

	/* A class type the class's table does not have. */
	sum_init(req, 9, 1);
	req->hdr.type = cpu_to_le16(PVBUS_SIM_TEST_SUM + 1);
	respond(test, PVBUS_SIM_FAULT_NONE, req, struct_size(req, vals, 1));
	expect_refusal(test, PVBUS_SIM_TEST_SUM + 1, 9,
		       PVBUS_STATUS_UNSUPPORTED);

	/* The bus-generic protocol still works on the class's channel. */
	ping_init(&ping, 10, 42);
	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_NONE, &ping,
				      sizeof(ping)), sizeof(ping));

	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_ANSWERED), 2);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_NOT_FOUND), 1);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_INVALID), 2);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_UNSUPPORTED), 1);
}

static void pvbus_sim_test_faults(struct kunit *test)
{
	struct pvbus_msg_hdr *hdr = resp_hdr(test);
	struct pvbus_msg_ping req;
	size_t len;

	ping_init(&req, 11, 99);

	KUNIT_EXPECT_EQ(test, respond(test, PVBUS_SIM_FAULT_DROP, &req,
				      sizeof(req)), 0);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_DROPPED), 1);

	respond(test, PVBUS_SIM_FAULT_STATUS, &req, sizeof(req));
	expect_refusal(test, PVBUS_MSG_PING, 11, PVBUS_STATUS_REFUSED);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_REFUSED), 1);

	len = respond(test, PVBUS_SIM_FAULT_SHORT, &req, sizeof(req));
	KUNIT_EXPECT_EQ(test, len, sizeof(req) - PVBUS_SIM_SHORT_CUT);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->len), len);
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(hdr, len,
						 pvbus_sim_test_guest_specs,
						 1, NULL), -EMSGSIZE);

	len = respond(test, PVBUS_SIM_FAULT_BADLEN, &req, sizeof(req));
	KUNIT_EXPECT_EQ(test, len, sizeof(req));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->len),
			len + PVBUS_SIM_SHORT_CUT);
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(hdr, len,
						 pvbus_sim_test_guest_specs,
						 1, NULL), -EMSGSIZE);

	len = respond(test, PVBUS_SIM_FAULT_BADVER, &req, sizeof(req));
	KUNIT_EXPECT_EQ(test, len, sizeof(req));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr->version),
			PVBUS_SIM_BAD_VERSION);
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(hdr, len,
						 pvbus_sim_test_guest_specs,
						 1, NULL), -EPROTONOSUPPORT);

	/* A damaged refusal is still counted as what it refused. */
	req.hdr.type = cpu_to_le16(0x00ff);
	len = respond(test, PVBUS_SIM_FAULT_SHORT, &req, sizeof(req));
	KUNIT_EXPECT_EQ(test, len, sizeof(*hdr) - PVBUS_SIM_SHORT_CUT);

	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_FAULTY), 4);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_ANSWERED), 3);
	KUNIT_EXPECT_EQ(test, sim_stat(test, PVBUS_SIM_STAT_UNSUPPORTED), 1);
}

/* ---------------------------------------------------------------------
 * A device's queue of messages is bounded.
 */

/* The device's work item, held back: nothing leaves the queue. */
static void pvbus_sim_test_stalled(struct work_struct *work)
{
}

static void pvbus_sim_test_release(struct device *dev)
{
}

#define PVBUS_SIM_TEST_FLOOD	(PVBUS_SIM_QUEUE_MAX + 100)

/* A guest that sends faster than the host answers: the excess is refused. */
static void pvbus_sim_test_queue_bounded(struct kunit *test)
{
	struct pvbus_sim_msg *m, *tmp;
	unsigned int i, ok = 0, full = 0, other = 0;
	struct pvbus_sim_host *host;
	struct pvbus_sim_dev *sdev;
	struct pvbus_device *pdev;
	struct pvbus_msg_ping req;
	int ret;

	host = pvbus_sim_host_create("kunit-queue");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, host);
	sdev = kunit_kzalloc(test, sizeof(*sdev), GFP_KERNEL);
	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	if (!sdev || !pdev)
		pvbus_sim_host_destroy(host);
	KUNIT_ASSERT_NOT_NULL(test, sdev);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	sdev->host = host;
	spin_lock_init(&sdev->lock);
	INIT_LIST_HEAD(&sdev->queue);
	INIT_WORK(&sdev->work, pvbus_sim_test_stalled);
	sdev->open = true;
	device_initialize(&pdev->dev);
	pdev->dev.release = pvbus_sim_test_release;
	pdev->host_data = sdev;

	ping_init(&req, 1, 0);
	for (i = 0; i < PVBUS_SIM_TEST_FLOOD; i++) {
		ret = host->host.ops->send(&host->host, pdev, &req,
					   sizeof(req));
		if (!ret)
			ok++;
		else if (ret == -ENOBUFS)
			full++;
		else
			other++;
	}
	flush_work(&sdev->work);

	KUNIT_EXPECT_EQ(test, ok, PVBUS_SIM_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test, full, PVBUS_SIM_TEST_FLOOD - PVBUS_SIM_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test, other, 0);
	KUNIT_EXPECT_EQ(test, sdev->nr_queued, PVBUS_SIM_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test,
			atomic64_read(&host->stats[PVBUS_SIM_STAT_QUEUE_FULL]),
			PVBUS_SIM_TEST_FLOOD - PVBUS_SIM_QUEUE_MAX);
	KUNIT_EXPECT_EQ(test,
			atomic64_read(&host->stats[PVBUS_SIM_STAT_REQUESTS]),
			PVBUS_SIM_QUEUE_MAX);

	/*
	 * The guest's flood must not cost the host a notification: its
	 * sender has already changed the host's state.
	 */
	sdev->pdev = pdev;
	m = pvbus_sim_msg_alloc(sizeof(req), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	memcpy(m->data, &req, sizeof(req));
	KUNIT_EXPECT_EQ(test, pvbus_sim_dev_send_notification(sdev, m), 0);
	flush_work(&sdev->work);
	KUNIT_EXPECT_EQ(test, sdev->nr_queued, PVBUS_SIM_QUEUE_MAX + 1);

	list_for_each_entry_safe(m, tmp, &sdev->queue, node) {
		list_del(&m->node);
		put_device(&m->pdev->dev);
		kfree(m);
	}
	put_device(&pdev->dev);
	pvbus_sim_host_destroy(host);
}

static struct kunit_case pvbus_sim_host_cases[] = {
	KUNIT_CASE(pvbus_sim_test_ping),
	KUNIT_CASE(pvbus_sim_test_unanswerable),
	KUNIT_CASE(pvbus_sim_test_invalid_header),
	KUNIT_CASE(pvbus_sim_test_invalid_length),
	KUNIT_CASE(pvbus_sim_test_unsupported),
	KUNIT_CASE(pvbus_sim_test_class_proto),
	KUNIT_CASE(pvbus_sim_test_faults),
	KUNIT_CASE(pvbus_sim_test_queue_bounded),
	{}
};

static struct kunit_suite pvbus_sim_host_suite = {
	.name		= "pvbus_sim_host",
	.init		= pvbus_sim_test_init,
	.test_cases	= pvbus_sim_host_cases,
};

kunit_test_suite(pvbus_sim_host_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus_sim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
