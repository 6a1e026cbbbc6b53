// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pvbus channels: a fake host answers each request the way
 * a case says, and the case checks what the requester and the host see.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pvbus.h>
#include <linux/pvbus_wire.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "channel.h"
#include "kunit_param.h"

/* How the fake host answers a request. */
enum answer {
	ANSWER_ECHO,		/* a valid response */
	ANSWER_NONE,		/* nothing: the request times out */
	ANSWER_WRONG_ID,	/* valid, but for another transaction */
	ANSWER_WRONG_TYPE,	/* valid header, another message type */
	ANSWER_BAD_LEN,		/* header length not the message length */
	ANSWER_SHORT,		/* payload shorter than the type's */
	ANSWER_REFUSED,		/* header only, status REFUSED */
	ANSWER_BOTH_FLAGS,	/* response and notify flags */
	ANSWER_SEND_FAILS,	/* send() returns the case's send_ret */
	ANSWER_REFUSED_FLAG,	/* header only, status REFUSED, unknown flag */
	ANSWER_REFUSED_VERSION,	/* header only, status REFUSED, no such version */
	ANSWER_REFUSED_TYPE,	/* header only, status REFUSED, another type */
};

/*
 * The tests' own device class: a protocol with one notification, as a
 * class driver's has.  The bus's own types have no notification.
 */
#define NOTE_MSG	PVBUS_MSG_CLASS_BASE
#define NOTE_VERSION	0x0100

struct note_msg {
	struct pvbus_msg_hdr hdr;
	__le64 value;
} __packed;

static const struct pvbus_msg_spec note_specs[] = {
	{
		.type		= NOTE_MSG,
		.min_version	= NOTE_VERSION,
		.max_version	= NOTE_VERSION,
		.fixed_len	= sizeof(struct note_msg) -
				  sizeof(struct pvbus_msg_hdr),
	},
};

struct fake {
	struct pvbus_host host;
	struct pvbus_device pdev;
	enum answer answer;
	int send_ret;		/* ANSWER_SEND_FAILS: what send() returns */
	int receive_ret;
	unsigned int sent;
	/* ANSWER_NONE: the first requests sent, to answer them later */
	struct pvbus_msg_ping unanswered[2];
	struct completion sent_one;
	struct completion noted;	/* one per notification delivered */
	u64 last_value;			/* of the last one delivered */
	u64 note_seq[2];		/* the first ones' places, as given */
	unsigned int nr_noted;
};

static int fake_send(struct pvbus_host *host, struct pvbus_device *pdev,
		     const void *msg, size_t len)
{
	struct fake *f = container_of(host, struct fake, host);
	struct pvbus_msg_ping resp;

	f->sent++;
	if (f->answer == ANSWER_SEND_FAILS)
		return f->send_ret;
	if (f->answer == ANSWER_NONE) {
		if (f->sent <= ARRAY_SIZE(f->unanswered) &&
		    len == sizeof(f->unanswered[0]))
			memcpy(&f->unanswered[f->sent - 1], msg, len);
		complete(&f->sent_one);
		return 0;
	}

	memcpy(&resp, msg, sizeof(resp));
	resp.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);

	switch (f->answer) {
	case ANSWER_WRONG_ID:
		le64_add_cpu(&resp.hdr.trans_id, 1000);
		break;
	case ANSWER_WRONG_TYPE:
		resp.hdr.type = cpu_to_le16(NOTE_MSG);
		break;
	case ANSWER_BAD_LEN:
		resp.hdr.len = cpu_to_le32(sizeof(resp) + 8);
		break;
	case ANSWER_SHORT:
		resp.hdr.len = cpu_to_le32(sizeof(resp) - 4);
		f->receive_ret = pvbus_channel_receive(pdev->chan, &resp,
						       sizeof(resp) - 4);
		return 0;
	case ANSWER_REFUSED:
		resp.hdr.status = cpu_to_le32(PVBUS_STATUS_REFUSED);
		resp.hdr.len = cpu_to_le32(sizeof(resp.hdr));
		f->receive_ret = pvbus_channel_receive(pdev->chan, &resp,
						       sizeof(resp.hdr));
		return 0;
	case ANSWER_REFUSED_FLAG:
	case ANSWER_REFUSED_VERSION:
	case ANSWER_REFUSED_TYPE:
		resp.hdr.status = cpu_to_le32(PVBUS_STATUS_REFUSED);
		resp.hdr.len = cpu_to_le32(sizeof(resp.hdr));
		if (f->answer == ANSWER_REFUSED_FLAG)
			resp.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE | 0x100);
		else if (f->answer == ANSWER_REFUSED_VERSION)
			resp.hdr.version = cpu_to_le16(0x0900);
		else
			resp.hdr.type = cpu_to_le16(NOTE_MSG);
		f->receive_ret = pvbus_channel_receive(pdev->chan, &resp,
						       sizeof(resp.hdr));
		return 0;
	case ANSWER_BOTH_FLAGS:
		resp.hdr.flags = cpu_to_le32(PVBUS_MSG_F_ALL);
		break;
	default:
		break;
	}
	f->receive_ret = pvbus_channel_receive(pdev->chan, &resp,
					       sizeof(resp));
	return 0;
}

static const struct pvbus_host_ops fake_ops = {
	.send = fake_send,
};

static void fake_release(struct device *dev)
{
}

static void release_held(void);

/* What the class driver's notify() saw. */
static void note_record(struct pvbus_device *pdev, const void *msg,
			size_t len)
{
	struct fake *f = container_of(pdev, struct fake, pdev);
	const struct note_msg *n = msg;

	f->last_value = le64_to_cpu(n->value);
	if (f->nr_noted < ARRAY_SIZE(f->note_seq))
		f->note_seq[f->nr_noted] = pvbus_channel_notify_seq(pdev->chan);
	f->nr_noted++;
	complete(&f->noted);
}

static void note_notify(struct pvbus_device *pdev, const void *msg,
			size_t len)
{
	note_record(pdev, msg, len);
}

static struct pvbus_driver note_driver = {
	.notify		= note_notify,
	.msg_specs	= note_specs,
	.nr_msg_specs	= ARRAY_SIZE(note_specs),
};

/* Suite exit: whatever a case created goes, whether it passed or not. */
static void channel_test_exit(struct kunit *test)
{
	struct fake *f = test->priv;

	/* A driver's notify() still waiting would stall the close. */
	release_held();

	if (!f)
		return;
	/* Parameterised cases share one struct kunit: leave nothing behind. */
	test->priv = NULL;
	pvbus_channel_free(f->pdev.chan);
	put_device(&f->pdev.dev);
}

static struct fake *fake_create(struct kunit *test, enum answer answer)
{
	struct fake *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->answer = answer;
	init_completion(&f->sent_one);
	f->host.name = "fake";
	f->host.ops = &fake_ops;
	f->pdev.host = &f->host;
	device_initialize(&f->pdev.dev);
	f->pdev.dev.release = fake_release;
	KUNIT_ASSERT_EQ(test, dev_set_name(&f->pdev.dev, "pvbus-fake"), 0);
	init_completion(&f->noted);
	f->pdev.chan = pvbus_channel_alloc(&f->pdev);
	test->priv = f;
	KUNIT_ASSERT_NOT_NULL(test, f->pdev.chan);
	pvbus_channel_bind(f->pdev.chan, &note_driver);
	return f;
}

static int ping(struct fake *f, u64 cookie, struct pvbus_msg_ping *resp,
		size_t *len)
{
	struct pvbus_msg_ping req;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	req.cookie = cpu_to_le64(cookie);
	return pvbus_channel_request(f->pdev.chan, &req, sizeof(req), resp,
				     sizeof(*resp), len, 20);
}

struct answer_case {
	const char *name;
	enum answer answer;
	int send_ret;		/* ANSWER_SEND_FAILS: what send() returns */
	int request_ret;	/* what the requester gets */
	int receive_ret;	/* what the host's receive() gets */
	u64 requests;		/* what the channel counts as sent */
};

static const struct answer_case answer_cases[] = {
	{ "echo", ANSWER_ECHO, 0, 0, 0, 1 },
	{ "no answer times out", ANSWER_NONE, 0, -ETIMEDOUT, 0, 1 },
	{ "answer to another id", ANSWER_WRONG_ID, 0, -ETIMEDOUT, -ENOENT, 1 },
	{ "answer of another type", ANSWER_WRONG_TYPE, 0, -EBADMSG, -EBADMSG,
	  1 },
	{ "header length wrong", ANSWER_BAD_LEN, 0, -EBADMSG, -EMSGSIZE, 1 },
	{ "payload short", ANSWER_SHORT, 0, -EBADMSG, -EMSGSIZE, 1 },
	{ "refused, header only", ANSWER_REFUSED, 0, -EREMOTEIO, 0, 1 },
	{ "response and notify flags", ANSWER_BOTH_FLAGS, 0, -EBADMSG,
	  -EBADMSG, 1 },
	/* A send() error of its own passes through... */
	{ "send fails with -EIO", ANSWER_SEND_FAILS, -EIO, -EIO, 0, 0 },
	{ "send fails with -ENOMEM", ANSWER_SEND_FAILS, -ENOMEM, -ENOMEM, 0,
	  0 },
	{ "send fails with -ENODEV", ANSWER_SEND_FAILS, -ENODEV, -ENODEV, 0,
	  0 },
	/* ...but none that says what the host answered, or did not. */
	{ "send fails with -EREMOTEIO", ANSWER_SEND_FAILS, -EREMOTEIO, -EIO,
	  0, 0 },
	{ "send fails with -ETIMEDOUT", ANSWER_SEND_FAILS, -ETIMEDOUT, -EIO,
	  0, 0 },
	{ "send fails with -EBADMSG", ANSWER_SEND_FAILS, -EBADMSG, -EIO, 0,
	  0 },
	{ "send fails with -EMSGSIZE", ANSWER_SEND_FAILS, -EMSGSIZE, -EIO, 0,
	  0 },
	{ "send fails with -EINTR", ANSWER_SEND_FAILS, -EINTR, -EIO, 0, 0 },
	{ "send returns a positive number", ANSWER_SEND_FAILS, 1, -EIO, 0,
	  0 },
	{ "refused, unknown flag", ANSWER_REFUSED_FLAG, 0, -EBADMSG, -EBADMSG,
	  1 },
	{ "refused, unknown version", ANSWER_REFUSED_VERSION, 0, -EBADMSG,
	  -EPROTONOSUPPORT, 1 },
	{ "refused, another type", ANSWER_REFUSED_TYPE, 0, -EBADMSG, -EBADMSG,
	  1 },
};

KUNIT_ARRAY_PARAM_DESC(answer, answer_cases, name);

static void channel_request_answers(struct kunit *test)
{
	const struct answer_case *c = test->param_value;
	struct fake *f = fake_create(test, c->answer);
	struct pvbus_msg_ping resp = {};
	struct pvbus_channel_stats st;
	size_t len = 0;

	f->send_ret = c->send_ret;
	KUNIT_EXPECT_EQ(test, ping(f, 0x1234, &resp, &len), c->request_ret);
	KUNIT_EXPECT_EQ(test, f->receive_ret, c->receive_ret);
	KUNIT_EXPECT_EQ(test, f->sent, 1U);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.requests, c->requests);
	if (!c->request_ret) {
		KUNIT_EXPECT_EQ(test, len, sizeof(resp));
		KUNIT_EXPECT_EQ(test, le64_to_cpu(resp.cookie), 0x1234ULL);
	}
	if (c->request_ret == -EREMOTEIO) {
		KUNIT_EXPECT_EQ(test, len, sizeof(resp.hdr));
		KUNIT_EXPECT_EQ(test, le32_to_cpu(resp.hdr.status),
				PVBUS_STATUS_REFUSED);
	}
}

static void channel_ids_differ(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping req, resp;
	u64 first;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	KUNIT_ASSERT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &resp,
						    sizeof(resp), NULL, 20), 0);
	first = le64_to_cpu(req.hdr.trans_id);
	KUNIT_EXPECT_NE(test, first, 0ULL);
	KUNIT_ASSERT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &resp,
						    sizeof(resp), NULL, 20), 0);
	KUNIT_EXPECT_NE(test, le64_to_cpu(req.hdr.trans_id), first);
}

static void channel_response_too_big(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping req;
	struct pvbus_msg_hdr small;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	KUNIT_EXPECT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &small,
						    sizeof(small), NULL, 20),
			-EMSGSIZE);
}

static void channel_malformed_request(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping req, resp;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req) + 1);
	KUNIT_EXPECT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &resp,
						    sizeof(resp), NULL, 20),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, f->sent, 0U);
}

/*
 * A request may wait 10 minutes at the most, as the parameter: a longer
 * timeout is refused, not sent.  A revoke waits for a notify() that waits
 * on its request, so a timeout without bound held the revoke as long.
 */
static void channel_request_timeout_too_long(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping req, resp;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	KUNIT_EXPECT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &resp,
						    sizeof(resp), NULL,
						    PVBUS_REQUEST_TIMEOUT_LIMIT_MS + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, f->sent, 0U);
	KUNIT_EXPECT_EQ(test, pvbus_channel_request(f->pdev.chan, &req,
						    sizeof(req), &resp,
						    sizeof(resp), NULL,
						    PVBUS_REQUEST_TIMEOUT_LIMIT_MS),
			0);
}

static void channel_closed_refuses(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping resp;
	struct note_msg note;

	pvbus_channel_close(f->pdev.chan);
	KUNIT_EXPECT_EQ(test, ping(f, 1, &resp, NULL), -ENODEV);
	KUNIT_EXPECT_EQ(test, f->sent, 0U);

	pvbus_msg_init(&note.hdr, NOTE_MSG, NOTE_VERSION, sizeof(note));
	note.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, &note,
						    sizeof(note)), -ENODEV);
}

struct notify_case {
	const char *name;
	u16 type;
	u32 flags;
	u64 trans_id;
	u32 status;
	u16 version;
	int expect;
};

static const struct notify_case notify_cases[] = {
	{ "valid", NOTE_MSG, PVBUS_MSG_F_NOTIFY, 0, 0, NOTE_VERSION, 0 },
	{ "no flag", NOTE_MSG, 0, 0, 0, NOTE_VERSION, -EBADMSG },
	{ "with a transaction id", NOTE_MSG, PVBUS_MSG_F_NOTIFY, 7, 0,
	  NOTE_VERSION, -EBADMSG },
	{ "with a status", NOTE_MSG, PVBUS_MSG_F_NOTIFY, 0, 1, NOTE_VERSION,
	  -EBADMSG },
	{ "unknown version", NOTE_MSG, PVBUS_MSG_F_NOTIFY, 0, 0, 0x0900,
	  -EPROTONOSUPPORT },
	{ "unsolicited response", NOTE_MSG, PVBUS_MSG_F_RESPONSE, 9, 0,
	  NOTE_VERSION, -ENOENT },
	/* A ping is as long as a note: only its type is wrong. */
	{ "a bus type (ping) as a notification", PVBUS_MSG_PING,
	  PVBUS_MSG_F_NOTIFY, 0, 0, PVBUS_BUS_VERSION, -EPROTO },
};

KUNIT_ARRAY_PARAM_DESC(notify, notify_cases, name);

static void channel_notifications(struct kunit *test)
{
	const struct notify_case *c = test->param_value;
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_channel_stats st;
	struct note_msg note;

	pvbus_msg_init(&note.hdr, c->type, c->version, sizeof(note));
	note.hdr.flags = cpu_to_le32(c->flags);
	note.hdr.trans_id = cpu_to_le64(c->trans_id);
	note.hdr.status = cpu_to_le32(c->status);
	note.value = cpu_to_le64(42);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, &note,
						    sizeof(note)), c->expect);

	/* Refused: counted as bad, and nothing queued for the driver. */
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.bad, c->expect ? 1ULL : 0ULL);
	KUNIT_EXPECT_EQ(test, st.notify, c->expect ? 0ULL : 1ULL);
	if (!c->expect) {
		wait_for_completion(&f->noted);
		KUNIT_EXPECT_EQ(test, f->last_value, 42ULL);
	}
}

static void channel_receive_short(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	u8 buf[8] = {};

	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, buf,
						    sizeof(buf)), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, NULL, 64),
			-EMSGSIZE);
}

/* ---------------------------------------------------------------------
 * What the host's buffer holds after the channel copied it is not used.
 */

static void mutate_status(const void *msg, size_t len)
{
	struct pvbus_msg_hdr *hdr = (void *)msg;	/* the fake's own buffer */

	hdr->status = cpu_to_le32(PVBUS_STATUS_REFUSED);
}

static void mutate_notify(const void *msg, size_t len)
{
	struct note_msg *n = (void *)msg;

	n->hdr.flags = cpu_to_le32(PVBUS_MSG_F_ALL | 0x100);
	n->value = cpu_to_le64(99);
}

static const struct pvbus_channel_test_ops mutate_status_ops = {
	.copied = mutate_status,
};

static const struct pvbus_channel_test_ops mutate_notify_ops = {
	.copied = mutate_notify,
};

/* A host that changes the response's status once the channel copied it. */
static void channel_response_changed_after_copy(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_msg_ping resp = {};
	size_t len = 0;

	pvbus_channel_set_test_ops(f->pdev.chan, &mutate_status_ops);
	KUNIT_EXPECT_EQ(test, ping(f, 0x55, &resp, &len), 0);
	KUNIT_EXPECT_EQ(test, f->receive_ret, 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp.hdr.status),
			PVBUS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, len, sizeof(resp));
}

/* Likewise for a notification: what is queued is what was validated. */
static void channel_notify_changed_after_copy(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_channel_stats st;
	struct note_msg note;

	pvbus_channel_set_test_ops(f->pdev.chan, &mutate_notify_ops);
	pvbus_msg_init(&note.hdr, NOTE_MSG, NOTE_VERSION, sizeof(note));
	note.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	note.value = cpu_to_le64(42);
	KUNIT_ASSERT_EQ(test, pvbus_channel_receive(f->pdev.chan, &note,
						    sizeof(note)), 0);
	wait_for_completion(&f->noted);
	KUNIT_EXPECT_EQ(test, f->last_value, 42ULL);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.bad, 0ULL);
}

/* ---------------------------------------------------------------------
 * Notifications: a bounded queue, counted drops.
 */

static struct {
	struct completion entered;
	struct completion release;
	unsigned int calls;
	bool armed;
} held;

/* A driver whose notify() waits for the test, so that notes pile up. */
static void held_notify(struct pvbus_device *pdev, const void *msg,
			size_t len)
{
	if (!held.calls++) {
		complete(&held.entered);
		wait_for_completion(&held.release);
	}
	note_record(pdev, msg, len);
}

static struct pvbus_driver held_driver = {
	.notify		= held_notify,
	.msg_specs	= note_specs,
	.nr_msg_specs	= ARRAY_SIZE(note_specs),
};

static void release_held(void)
{
	if (held.armed)
		complete_all(&held.release);
	held.armed = false;
}

static int send_note(struct fake *f, u64 value)
{
	struct note_msg note;

	pvbus_msg_init(&note.hdr, NOTE_MSG, NOTE_VERSION, sizeof(note));
	note.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	note.value = cpu_to_le64(value);
	return pvbus_channel_receive(f->pdev.chan, &note, sizeof(note));
}

/*
 * Bind the held driver and send note 0: it reaches notify(), which holds
 * on to it until release_held(), so that the next ones stay queued.
 */
static void hold_first_note(struct kunit *test, struct fake *f)
{
	init_completion(&held.entered);
	init_completion(&held.release);
	held.calls = 0;
	held.armed = true;
	pvbus_channel_bind(f->pdev.chan, &held_driver);
	KUNIT_ASSERT_EQ(test, send_note(f, 0), 0);
	wait_for_completion(&held.entered);
}

#define FLOOD	1000

static void channel_notify_flood_bounded(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	unsigned int max = pvbus_channel_notify_queue_max();
	unsigned int i, ok = 0, full = 0, other = 0;
	struct pvbus_channel_stats st;
	int ret;

	KUNIT_ASSERT_LT(test, max, FLOOD);
	hold_first_note(test, f);

	for (i = 1; i <= FLOOD; i++) {
		ret = send_note(f, i);
		if (!ret)
			ok++;
		else if (ret == -ENOBUFS)
			full++;
		else
			other++;
	}
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, ok, max);
	KUNIT_EXPECT_EQ(test, full, FLOOD - max);
	KUNIT_EXPECT_EQ(test, other, 0);
	KUNIT_EXPECT_EQ(test, st.queued, max);
	KUNIT_EXPECT_EQ(test, st.dropped_full, (u64)(FLOOD - max));

	/* Delivered in order, the last one the last that fitted. */
	release_held();
	for (i = 0; i <= max; i++)
		wait_for_completion(&f->noted);
	KUNIT_EXPECT_EQ(test, f->last_value, (u64)max);
	pvbus_channel_close(f->pdev.chan);
	pvbus_channel_bind(f->pdev.chan, NULL);
}

static bool fail_every_alloc(size_t len)
{
	return true;
}

static const struct pvbus_channel_test_ops fail_alloc_ops = {
	.fail_alloc = fail_every_alloc,
};

static void channel_notify_nomem_counted(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	struct pvbus_channel_stats st;

	pvbus_channel_set_test_ops(f->pdev.chan, &fail_alloc_ops);
	KUNIT_EXPECT_EQ(test, send_note(f, 7), -ENOMEM);
	pvbus_channel_set_test_ops(f->pdev.chan, NULL);
	KUNIT_EXPECT_EQ(test, send_note(f, 8), 0);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.dropped_nomem, 1ULL);
	KUNIT_EXPECT_EQ(test, st.notify, 1ULL);
	wait_for_completion(&f->noted);
	KUNIT_EXPECT_EQ(test, f->last_value, 8ULL);
}

/*
 * Unbound and bound again before the channel's work ran: what it queued
 * meanwhile.  The steps run in a work item of system_wq that does not
 * sleep, so that the channel's work, queued on the same CPU's pool of
 * system_wq, waits until they are done.
 */
static struct {
	struct work_struct work;
	struct fake *f;
	int sent;
	unsigned int queued;	/* after the unbind and the bind */
} rebind;

static void rebind_steps(struct work_struct *work)
{
	struct pvbus_channel_stats st;

	rebind.sent = send_note(rebind.f, 7);
	pvbus_channel_bind(rebind.f->pdev.chan, NULL);
	pvbus_channel_bind(rebind.f->pdev.chan, &note_driver);
	pvbus_channel_get_stats(rebind.f->pdev.chan, &st);
	rebind.queued = st.queued;
}

/*
 * A note queued for one binding is not delivered to the next: it was
 * checked against the other driver's message table.  It used to be, once
 * the channel's work ran.
 */
static void channel_notify_not_carried_over(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	unsigned int delivered = 0;

	rebind.f = f;
	INIT_WORK(&rebind.work, rebind_steps);
	queue_work_on(raw_smp_processor_id(), system_wq, &rebind.work);
	flush_work(&rebind.work);
	KUNIT_ASSERT_EQ(test, rebind.sent, 0);
	KUNIT_EXPECT_EQ(test, rebind.queued, 0U);

	/* The next note is delivered; the one before it was not. */
	KUNIT_ASSERT_EQ(test, send_note(f, 8), 0);
	do {
		wait_for_completion(&f->noted);
		delivered++;
	} while (READ_ONCE(f->last_value) != 8);
	KUNIT_EXPECT_EQ(test, delivered, 1U);
}

/* The note another CPU queues while the channel copies one, once. */
static struct {
	struct fake *f;
	bool sent;
	int ret;
} racer;

static void queue_one_more(const void *msg, size_t len)
{
	if (racer.sent)
		return;
	racer.sent = true;
	racer.ret = send_note(racer.f, 2);
}

static const struct pvbus_channel_test_ops queue_one_more_ops = {
	.copied = queue_one_more,
};

/*
 * The last note that fits is queued while another is copied: the queue is
 * full at the second look, and the note refused there is logged from the
 * caller's copy of its header, not from the entry freed for it (KASAN
 * reported a use-after-free read there).
 */
static void channel_notify_full_after_copy(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	unsigned int max = pvbus_channel_notify_queue_max();
	struct pvbus_channel_stats st;
	unsigned int i;

	hold_first_note(test, f);
	for (i = 1; i < max; i++)
		KUNIT_ASSERT_EQ(test, send_note(f, 1), 0);

	racer.f = f;
	racer.sent = false;
	pvbus_channel_set_test_ops(f->pdev.chan, &queue_one_more_ops);
	KUNIT_EXPECT_EQ(test, send_note(f, 3), -ENOBUFS);
	pvbus_channel_set_test_ops(f->pdev.chan, NULL);
	KUNIT_EXPECT_EQ(test, racer.ret, 0);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.queued, max);
	KUNIT_EXPECT_EQ(test, st.dropped_full, 1ULL);

	release_held();
	for (i = 0; i <= max; i++)
		wait_for_completion(&f->noted);
	KUNIT_EXPECT_EQ(test, f->last_value, 2ULL);
	pvbus_channel_close(f->pdev.chan);
	pvbus_channel_bind(f->pdev.chan, NULL);
}

/* ---------------------------------------------------------------------
 * Notifications are delivered a batch at a time.
 */

/* channel.c's PVBUS_NOTIFY_BATCH: notifications per run of its work. */
#define NOTIFY_BATCH	16
#define BATCHED		(2 * NOTIFY_BATCH + NOTIFY_BATCH / 2 + 1)

static struct {
	unsigned int delivered;
	unsigned int runs;
	unsigned int per_run[8];
	struct work_struct *work;
	struct tracepoint *tp;
} batch;

/*
 * Count the runs of the channel's work from the workqueue's own
 * tracepoint, workqueue_execute_start, so that nothing of the test queues
 * the work: a run the channel forgets to queue is a run that does not
 * happen.  The first run is counted by the first delivery, which waits for
 * the test to fill the queue.
 */
static void batch_run_probe(void *data, struct work_struct *work)
{
	if (work == READ_ONCE(batch.work))
		batch.runs++;
}

static void batch_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "workqueue_execute_start"))
		batch.tp = tp;
}

static void batch_notify(struct pvbus_device *pdev, const void *msg,
			 size_t len)
{
	if (!batch.delivered) {
		batch.runs = 1;
		WRITE_ONCE(batch.work, current_work());
	}
	if (batch.runs && batch.runs <= ARRAY_SIZE(batch.per_run))
		batch.per_run[batch.runs - 1]++;
	if (!batch.delivered++) {
		complete(&held.entered);
		wait_for_completion(&held.release);
	}
}

static struct pvbus_driver batch_driver = {
	.notify		= batch_notify,
	.msg_specs	= note_specs,
	.nr_msg_specs	= ARRAY_SIZE(note_specs),
};

/* A full queue is delivered NOTIFY_BATCH at a time, the rest in a last run. */
static void channel_notify_batched(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_ECHO);
	unsigned int i;

	KUNIT_ASSERT_GE(test, pvbus_channel_notify_queue_max(), BATCHED - 1);
	memset(&batch, 0, sizeof(batch));
	for_each_kernel_tracepoint(batch_find_tp, NULL);
	if (!batch.tp)
		kunit_skip(test, "no workqueue_execute_start tracepoint: CONFIG_TRACEPOINTS");
	KUNIT_ASSERT_EQ(test, tracepoint_probe_register(batch.tp,
							batch_run_probe, NULL),
			0);
	init_completion(&held.entered);
	init_completion(&held.release);
	held.armed = true;
	pvbus_channel_bind(f->pdev.chan, &batch_driver);

	KUNIT_ASSERT_EQ(test, send_note(f, 0), 0);
	wait_for_completion(&held.entered);
	for (i = 1; i < BATCHED; i++)
		KUNIT_ASSERT_EQ(test, send_note(f, i), 0);
	release_held();
	/*
	 * Wait until the work is idle: each flush waits for the run in
	 * flight, and the run a batch queues after it is waited for by the
	 * next.  A run that is never queued leaves notes behind.
	 */
	while (flush_work(batch.work))
		;
	tracepoint_probe_unregister(batch.tp, batch_run_probe, NULL);
	tracepoint_synchronize_unregister();

	KUNIT_EXPECT_EQ(test, batch.delivered, BATCHED);
	KUNIT_EXPECT_EQ(test, batch.runs, 3U);
	KUNIT_EXPECT_EQ(test, batch.per_run[0], NOTIFY_BATCH);
	KUNIT_EXPECT_EQ(test, batch.per_run[1], NOTIFY_BATCH);
	KUNIT_EXPECT_EQ(test, batch.per_run[2], BATCHED - 2 * NOTIFY_BATCH);

	pvbus_channel_close(f->pdev.chan);
	pvbus_channel_bind(f->pdev.chan, NULL);
}

/* ---------------------------------------------------------------------
 * pvbus.request_timeout_ms, set as an administrator would, through sysfs.
 */

#define TIMEOUT_PARAM	"module/pvbus/parameters/request_timeout_ms"

/* Read the parameter into @val (or write @val to it, if @write). */
static int timeout_param(struct kunit *test, char *val, size_t size,
			 bool write)
{
	struct file_system_type *type = get_fs_type("sysfs");
	struct vfsmount *mnt;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, type);
	mnt = kern_mount(type);
	module_put(type->owner);	/* put_filesystem(), not exported */
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	file = file_open_root_mnt(mnt, TIMEOUT_PARAM,
				  write ? O_WRONLY : O_RDONLY, 0);
	if (IS_ERR(file)) {
		kern_unmount(mnt);
		KUNIT_FAIL(test, "cannot open %s: %ld", TIMEOUT_PARAM,
			   PTR_ERR(file));
		return PTR_ERR(file);
	}
	if (write) {
		n = kernel_write(file, val, strlen(val), &pos);
	} else {
		n = kernel_read(file, val, size - 1, &pos);
		val[n > 0 ? n : 0] = '\0';
	}
	fput(file);
	/* A kernel thread's last fput() is deferred: finish it now. */
	flush_delayed_fput();
	kern_unmount(mnt);
	return n < 0 ? n : 0;
}

struct timeout_req {
	struct work_struct work;
	struct fake *f;
	unsigned int timeout_ms;
	struct pvbus_msg_ping resp;
	int ret;
	struct completion done;
};

static void timeout_req_work(struct work_struct *work)
{
	struct timeout_req *r = container_of(work, struct timeout_req, work);
	struct pvbus_msg_ping req;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	r->ret = pvbus_channel_request(r->f->pdev.chan, &req, sizeof(req),
				       &r->resp, sizeof(r->resp), NULL,
				       r->timeout_ms);
	complete(&r->done);
}

/*
 * A silent host: a request whose driver names no timeout gives up after
 * request_timeout_ms with -ETIMEDOUT.  That it is the parameter's time and
 * not the built-in default is seen from the outcome, not measured: another
 * request, naming half the default, is still waiting when it gives up, and
 * is then answered.
 */
static void channel_request_timeout_param(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_NONE);
	struct pvbus_msg_ping req, resp, answer;
	struct pvbus_channel_stats st;
	unsigned int old_ms;
	struct timeout_req *r;
	char old[16];
	int ret;

	KUNIT_ASSERT_EQ(test, timeout_param(test, old, sizeof(old), false), 0);
	KUNIT_ASSERT_EQ(test, kstrtouint(strim(old), 10, &old_ms), 0);
	KUNIT_ASSERT_GE(test, old_ms, 1000U);

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->f = f;
	r->timeout_ms = old_ms / 2;
	init_completion(&r->done);
	INIT_WORK(&r->work, timeout_req_work);
	queue_work(system_unbound_wq, &r->work);
	wait_for_completion(&f->sent_one);

	KUNIT_ASSERT_EQ(test, timeout_param(test, "20", 0, true), 0);
	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	ret = pvbus_channel_request(f->pdev.chan, &req, sizeof(req), &resp,
				    sizeof(resp), NULL, 0);
	timeout_param(test, strim(old), 0, true);

	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&r->done),
			       "the request naming %u ms gave up first: %d",
			       r->timeout_ms, r->ret);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.timeouts, 1ULL);

	/* Now the host answers the request still waiting. */
	answer = f->unanswered[0];
	answer.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, &answer,
						    sizeof(answer)), 0);
	wait_for_completion(&r->done);
	KUNIT_EXPECT_EQ(test, r->ret, 0);
	KUNIT_EXPECT_EQ(test, f->sent, 2U);
}

/*
 * The timeout of a request whose task is killed: only the kill ends it
 * sooner.  A wait that is not killable ends with -ETIMEDOUT after it.
 */
#define KILLED_TIMEOUT_MS	5000

/* A request made by a thread that may be killed. */
struct killed_req {
	struct fake *f;
	int ret;
	struct completion done;
};

static int killed_req_fn(void *data)
{
	struct killed_req *r = data;
	struct pvbus_msg_ping req, resp;

	/* A kernel thread takes SIGKILL only if it says so. */
	allow_signal(SIGKILL);
	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	r->ret = pvbus_channel_request(r->f->pdev.chan, &req, sizeof(req),
				       &resp, sizeof(resp), NULL,
				       KILLED_TIMEOUT_MS);
	/* In one step: once @done is complete, this module may go. */
	kthread_complete_and_exit(&r->done, 0);
}

/*
 * A task waiting on a silent host is killed: its request gives up with
 * -EINTR, long before its timeout, is not counted as timed out, and the
 * host's late answer is refused as one to no request.  A wait the task
 * could not leave would be one the hung task detector reports, since the
 * timeout may be minutes.
 */
static void channel_request_killed(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_NONE);
	struct pvbus_channel_stats st;
	struct pvbus_msg_ping answer;
	struct task_struct *task;
	struct killed_req *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->f = f;
	init_completion(&r->done);
	task = kthread_create(killed_req_fn, r, "pvbus-killed-req");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	wake_up_process(task);

	wait_for_completion(&f->sent_one);
	send_sig(SIGKILL, task, 1);
	wait_for_completion(&r->done);
	put_task_struct(task);

	KUNIT_EXPECT_EQ(test, r->ret, -EINTR);
	pvbus_channel_get_stats(f->pdev.chan, &st);
	KUNIT_EXPECT_EQ(test, st.timeouts, 0ULL);
	answer = f->unanswered[0];
	answer.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, &answer,
						    sizeof(answer)), -ENOENT);
}

/* A ping whose response's place among the host's messages is kept. */
struct seq_req {
	struct work_struct work;
	struct fake *f;
	u64 seq;
	int ret;
	struct completion done;
};

static void seq_req_work(struct work_struct *work)
{
	struct seq_req *r = container_of(work, struct seq_req, work);
	struct pvbus_msg_ping req, resp;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	r->ret = pvbus_channel_request_seq(r->f->pdev.chan, &req, sizeof(req),
					   &resp, sizeof(resp), NULL, 10000,
					   &r->seq);
	complete(&r->done);
}

/*
 * A response taken between two notifications has its place between
 * theirs, although the requester sees it before the driver's notify()
 * sees either: a driver tells from the places which of its host's
 * messages came first.  Outside notify() there is no place.
 */
static void channel_seq_orders_messages(struct kunit *test)
{
	struct fake *f = fake_create(test, ANSWER_NONE);
	struct pvbus_msg_ping answer;
	struct seq_req *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->f = f;
	init_completion(&r->done);
	INIT_WORK(&r->work, seq_req_work);
	queue_work(system_unbound_wq, &r->work);
	wait_for_completion(&f->sent_one);

	KUNIT_EXPECT_EQ(test, send_note(f, 1), 0);
	answer = f->unanswered[0];
	answer.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	KUNIT_EXPECT_EQ(test, pvbus_channel_receive(f->pdev.chan, &answer,
						    sizeof(answer)), 0);
	wait_for_completion(&r->done);
	KUNIT_EXPECT_EQ(test, send_note(f, 2), 0);
	wait_for_completion(&f->noted);
	wait_for_completion(&f->noted);

	KUNIT_EXPECT_EQ(test, r->ret, 0);
	KUNIT_EXPECT_EQ(test, f->nr_noted, 2U);
	KUNIT_EXPECT_GT(test, f->note_seq[0], 0ULL);
	KUNIT_EXPECT_LT(test, f->note_seq[0], r->seq);
	KUNIT_EXPECT_LT(test, r->seq, f->note_seq[1]);
	KUNIT_EXPECT_EQ(test, pvbus_channel_notify_seq(f->pdev.chan), 0ULL);
}

/* The parameter takes 1 ms to 10 minutes, nothing else. */
static void channel_request_timeout_range(struct kunit *test)
{
	static char bad[][8] = { "0", "600001", "-1", "ten" };
	char old[16], now[16];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, timeout_param(test, old, sizeof(old), false), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_LT_MSG(test, timeout_param(test, bad[i], 0, true),
				    0,
				    "request_timeout_ms=%s taken", bad[i]);
	KUNIT_EXPECT_EQ(test, timeout_param(test, now, sizeof(now), false), 0);
	KUNIT_EXPECT_STREQ(test, now, old);
	KUNIT_EXPECT_EQ(test, timeout_param(test, "600000", 0, true), 0);
	timeout_param(test, strim(old), 0, true);
}

static struct kunit_case pvbus_channel_test_cases[] = {
	KUNIT_CASE_PARAM(channel_request_answers, answer_gen_params),
	KUNIT_CASE(channel_ids_differ),
	KUNIT_CASE(channel_response_too_big),
	KUNIT_CASE(channel_malformed_request),
	KUNIT_CASE(channel_request_timeout_too_long),
	KUNIT_CASE(channel_closed_refuses),
	KUNIT_CASE_PARAM(channel_notifications, notify_gen_params),
	KUNIT_CASE(channel_receive_short),
	KUNIT_CASE(channel_response_changed_after_copy),
	KUNIT_CASE(channel_notify_changed_after_copy),
	KUNIT_CASE(channel_notify_full_after_copy),
	KUNIT_CASE(channel_notify_flood_bounded),
	KUNIT_CASE(channel_notify_nomem_counted),
	KUNIT_CASE(channel_notify_not_carried_over),
	KUNIT_CASE(channel_notify_batched),
	KUNIT_CASE(channel_request_timeout_param),
	KUNIT_CASE(channel_request_timeout_range),
	KUNIT_CASE(channel_seq_orders_messages),
	KUNIT_CASE(channel_request_killed),
	{}
};

static struct kunit_suite pvbus_channel_test_suite = {
	.name = "pvbus_channel",
	.exit = channel_test_exit,
	.test_cases = pvbus_channel_test_cases,
};

kunit_test_suite(pvbus_channel_test_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus channels");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
