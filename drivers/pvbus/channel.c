// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus channels: requests, responses and notifications between a device's
 * driver and the host.
 *
 * A request gets a transaction id, goes to the host backend's send(), and
 * waits, with a timeout, for the response with the same id.  The host
 * delivers responses and notifications with pvbus_channel_receive(), which
 * validates every message before anyone reads it: the header first, then
 * the payload against the bus's own message table (types below
 * PVBUS_MSG_CLASS_BASE) or the bound driver's.  Notifications reach the
 * driver's notify() from a work item, one at a time.
 *
 * What the host hands over may be memory it still writes to.  So a message
 * is copied once, and only the copy is validated and used: a response
 * straight into the requester's buffer, a notification into the entry of
 * the channel's queue.  That queue is bounded (parameter
 * notify_queue_len); a notification that finds it full, or finds no memory
 * for its copy, is dropped, counted (debugfs "stats", channel_debugfs.c)
 * and logged.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <kunit/visibility.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pvbus_host.h>
#include <linux/pvbus_wire.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>

#include "channel_priv.h"
#include "pvbus_internal.h"

struct pvbus_pending {
	struct list_head node;
	u64 id;
	u16 type;
	struct completion done;
	void *buf;
	size_t size;
	size_t len;
	int err;
	u64 seq;
};

struct pvbus_note {
	struct list_head node;
	unsigned int binding;
	u64 seq;
	size_t len;
	u8 msg[];
};

#define PVBUS_FIXED(s)	(sizeof(s) - sizeof(struct pvbus_msg_hdr))

/* Notifications queued per channel: the default, and the most allowed. */
#define PVBUS_NOTIFY_QUEUE_DEFAULT	64
#define PVBUS_NOTIFY_QUEUE_LIMIT	4096

/* Notifications the work item delivers before it lets others run. */
#define PVBUS_NOTIFY_BATCH		16

static unsigned int pvbus_notify_queue_len = PVBUS_NOTIFY_QUEUE_DEFAULT;
static unsigned int pvbus_request_timeout_ms = PVBUS_REQUEST_TIMEOUT_MS;

static int pvbus_uint_param_set(const char *val, const struct kernel_param *kp,
				unsigned int max)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (!v || v > max)
		return -ERANGE;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int pvbus_notify_queue_len_set(const char *val,
				      const struct kernel_param *kp)
{
	return pvbus_uint_param_set(val, kp, PVBUS_NOTIFY_QUEUE_LIMIT);
}

static const struct kernel_param_ops pvbus_notify_queue_len_ops = {
	.set	= pvbus_notify_queue_len_set,
	.get	= param_get_uint,
};

module_param_cb(notify_queue_len, &pvbus_notify_queue_len_ops,
		&pvbus_notify_queue_len, 0644);
MODULE_PARM_DESC(notify_queue_len,
		 "Notifications from the host queued per device, 1 to 4096 (default 64); more are dropped and counted");

static int pvbus_request_timeout_set(const char *val,
				     const struct kernel_param *kp)
{
	return pvbus_uint_param_set(val, kp, PVBUS_REQUEST_TIMEOUT_LIMIT_MS);
}

static const struct kernel_param_ops pvbus_request_timeout_ops = {
	.set	= pvbus_request_timeout_set,
	.get	= param_get_uint,
};

module_param_cb(request_timeout_ms, &pvbus_request_timeout_ops,
		&pvbus_request_timeout_ms, 0644);
MODULE_PARM_DESC(request_timeout_ms,
		 "How long a request waits for the host's answer when its driver names no timeout, in ms, 1 to 600000 (default 5000)");

/**
 * pvbus_channel_notify_queue_max() - notifications a channel queues
 *
 * Return: the notify_queue_len parameter in force.
 */
unsigned int pvbus_channel_notify_queue_max(void)
{
	return READ_ONCE(pvbus_notify_queue_len);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_notify_queue_max);

static const struct pvbus_msg_spec pvbus_bus_specs[] = {
	{
		.type		= PVBUS_MSG_PING,
		.min_version	= PVBUS_BUS_VERSION,
		.max_version	= PVBUS_BUS_VERSION,
		.fixed_len	= PVBUS_FIXED(struct pvbus_msg_ping),
	},
};

static void pvbus_channel_notify_work(struct work_struct *work);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * pvbus_channel_set_test_ops() - install KUnit seams in a channel
 * @chan: the channel
 * @ops: the seams, or NULL for none
 */
void pvbus_channel_set_test_ops(struct pvbus_channel *chan,
				const struct pvbus_channel_test_ops *ops)
{
	WRITE_ONCE(chan->test_ops, ops);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_set_test_ops);

static void pvbus_channel_test_copied(struct pvbus_channel *chan,
				      const void *msg, size_t len)
{
	const struct pvbus_channel_test_ops *ops = READ_ONCE(chan->test_ops);

	if (ops && ops->copied)
		ops->copied(msg, len);
}

static bool pvbus_channel_test_fail_alloc(struct pvbus_channel *chan,
					  size_t len)
{
	const struct pvbus_channel_test_ops *ops = READ_ONCE(chan->test_ops);

	return ops && ops->fail_alloc && ops->fail_alloc(len);
}
#else
static inline void pvbus_channel_test_copied(struct pvbus_channel *chan,
					     const void *msg, size_t len)
{
}

static inline bool pvbus_channel_test_fail_alloc(struct pvbus_channel *chan,
						 size_t len)
{
	return false;
}
#endif

struct pvbus_channel *pvbus_channel_alloc(struct pvbus_device *pdev)
{
	struct pvbus_channel *chan;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return NULL;

	chan->pdev = pdev;
	spin_lock_init(&chan->lock);
	INIT_LIST_HEAD(&chan->pending);
	INIT_LIST_HEAD(&chan->notes);
	INIT_WORK(&chan->notify_work, pvbus_channel_notify_work);
	mutex_init(&chan->drv_lock);
	mutex_init(&chan->ping_lock);
	chan->next_id = 1;
	return chan;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_alloc);

/*
 * The last reference to a device may go in atomic context (a backend's
 * receive path may hold it): a channel a revoke closed is not closed
 * again, as closing waits for the notify work.  Nothing reopens or
 * requeues a closed channel, so there is nothing left to close.
 */
void pvbus_channel_free(struct pvbus_channel *chan)
{
	if (!chan)
		return;
	if (!chan->closed)
		pvbus_channel_close(chan);
	mutex_destroy(&chan->drv_lock);
	mutex_destroy(&chan->ping_lock);
	kfree(chan);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_free);

/*
 * A new binding: the notifications queued under the old one were checked
 * against its message table and are its driver's, so they are dropped,
 * and any the work item has taken already is not delivered (see
 * pvbus_channel_notify_work()).  Then @drv becomes the driver that
 * notify() is called for, once a notify() in progress has returned.
 */
static void pvbus_channel_set_driver(struct pvbus_channel *chan,
				     struct pvbus_driver *drv)
{
	struct pvbus_note *n, *ntmp;
	unsigned long flags;
	LIST_HEAD(notes);

	mutex_lock(&chan->drv_lock);
	spin_lock_irqsave(&chan->lock, flags);
	chan->binding++;
	list_splice_init(&chan->notes, &notes);
	chan->stats.queued = 0;
	spin_unlock_irqrestore(&chan->lock, flags);
	chan->drv = drv;
	mutex_unlock(&chan->drv_lock);

	list_for_each_entry_safe(n, ntmp, &notes, node)
		kfree(n);
}

/*
 * Bind @drv (or unbind, with NULL): its notify() and its message table.
 * The old table is cleared first and the new one set last, so that no
 * notification checked against one driver's table goes to another.
 */
void pvbus_channel_bind(struct pvbus_channel *chan, struct pvbus_driver *drv)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	chan->specs = NULL;
	chan->nr_specs = 0;
	spin_unlock_irqrestore(&chan->lock, flags);
	pvbus_channel_set_driver(chan, drv);
	if (drv) {
		spin_lock_irqsave(&chan->lock, flags);
		chan->specs = drv->msg_specs;
		chan->nr_specs = drv->nr_msg_specs;
		spin_unlock_irqrestore(&chan->lock, flags);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_bind);

/*
 * The driver is about to be removed: no notify() once this returns,
 * and none in progress.  Its message table stays, so that its remove()
 * and its managed actions still get the answers to their requests;
 * notifications that come meanwhile are dropped.
 * pvbus_channel_bind(chan, NULL) ends it.
 */
void pvbus_channel_stop_notify(struct pvbus_channel *chan)
{
	pvbus_channel_set_driver(chan, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_stop_notify);

/*
 * The device is revoked: fail the requests still waiting, drop the
 * notifications not yet delivered, and refuse everything from now on.
 */
void pvbus_channel_close(struct pvbus_channel *chan)
{
	struct pvbus_pending *p, *ptmp;
	struct pvbus_note *n, *ntmp;
	unsigned long flags;
	LIST_HEAD(notes);

	spin_lock_irqsave(&chan->lock, flags);
	chan->closed = true;
	list_for_each_entry_safe(p, ptmp, &chan->pending, node) {
		list_del_init(&p->node);
		p->err = -ENODEV;
		complete(&p->done);
	}
	list_splice_init(&chan->notes, &notes);
	chan->stats.queued = 0;
	spin_unlock_irqrestore(&chan->lock, flags);

	cancel_work_sync(&chan->notify_work);
	list_for_each_entry_safe(n, ntmp, &notes, node)
		kfree(n);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_close);

/*
 * A failed send() sent nothing: an error by which the channel tells what
 * the host answered, or did not (-EREMOTEIO: its header is in the
 * caller's buffer; -ETIMEDOUT, which pci-pvbus counts towards a gone
 * host...), cannot be true, and becomes -EIO, as does a non-errno.
 * Others (-ENOMEM, -ENODEV, -EINVAL...) mean the same and pass through.
 */
static int pvbus_channel_send_ret(int ret)
{
	switch (ret) {
	case -EREMOTEIO:
	case -ETIMEDOUT:
	case -EBADMSG:
	case -EMSGSIZE:
	case -EINTR:
		return -EIO;
	default:
		return ret > 0 ? -EIO : ret;
	}
}

/**
 * pvbus_channel_request_seq() - send a request and wait for its response
 * @chan: the channel
 * @req: the request, a message whose header pvbus_msg_init() filled in;
 *	its transaction id is set here
 * @req_len: length of @req
 * @resp: where the response goes
 * @resp_size: size of @resp
 * @resp_len: if not NULL, set to the length of the response when one
 *	arrived (a return of 0 or -EREMOTEIO)
 * @timeout_ms: how long to wait, at most %PVBUS_REQUEST_TIMEOUT_LIMIT_MS;
 *	0 means the request_timeout_ms parameter of pvbus.ko (default
 *	%PVBUS_REQUEST_TIMEOUT_MS)
 * @seq: if not NULL, set to the response's place among the host's
 *	messages when one arrived, as pvbus_channel_notify_seq() gives a
 *	notification's
 *
 * The response has been validated against the bus's and the bound driver's
 * message tables, and has the request's type.  A host that refuses answers
 * with a status and possibly no payload: then the header is in @resp and
 * the return value is -EREMOTEIO.
 *
 * Context: process context; sleeps, killable.
 * Return: 0; -EREMOTEIO if the host answered with a status other than
 * %PVBUS_STATUS_SUCCESS; -ETIMEDOUT if it did not answer in time; -EINTR
 * if the waiting task was killed first (an answer that comes later is
 * refused as one to no request); -EBADMSG if the answer was malformed;
 * -EMSGSIZE if it does not fit in @resp; -ENODEV if the device is
 * revoked; -EINVAL for a malformed request; or the backend's error from
 * sending (-EIO for one of the errors above that say what the host
 * answered or did not, or for anything positive).
 */
int pvbus_channel_request_seq(struct pvbus_channel *chan, void *req,
			      size_t req_len, void *resp, size_t resp_size,
			      size_t *resp_len, unsigned int timeout_ms,
			      u64 *seq)
{
	struct pvbus_device *pdev = chan->pdev;
	struct pvbus_msg_hdr *hdr = req;
	struct pvbus_pending p = {};
	unsigned long flags;
	long left;
	int ret;

	if (req_len < sizeof(*hdr) || req_len > PVBUS_MSG_MAX_LEN ||
	    le32_to_cpu(hdr->len) != req_len ||
	    resp_size < sizeof(struct pvbus_msg_hdr) ||
	    timeout_ms > PVBUS_REQUEST_TIMEOUT_LIMIT_MS)
		return -EINVAL;

	init_completion(&p.done);
	p.buf = resp;
	p.size = resp_size;
	p.type = le16_to_cpu(hdr->type);

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->closed) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return -ENODEV;
	}
	p.id = chan->next_id++;
	hdr->trans_id = cpu_to_le64(p.id);
	hdr->flags = 0;
	hdr->status = 0;
	list_add_tail(&p.node, &chan->pending);
	spin_unlock_irqrestore(&chan->lock, flags);

	ret = pvbus_channel_send_ret(pdev->host->ops->send(pdev->host, pdev,
							   req, req_len));
	spin_lock_irqsave(&chan->lock, flags);
	if (ret)
		list_del_init(&p.node);
	else
		chan->stats.requests++;
	spin_unlock_irqrestore(&chan->lock, flags);
	if (ret) {
		dev_dbg(&pdev->dev, "send of type %#x failed: %d\n", p.type,
			ret);
		return ret;
	}

	if (!timeout_ms)
		timeout_ms = READ_ONCE(pvbus_request_timeout_ms);
	/*
	 * Killable: the timeout may be minutes, longer than the hung task
	 * detector's, and a task that waits on a silent host may be killed.
	 */
	left = wait_for_completion_killable_timeout(&p.done,
						    msecs_to_jiffies(timeout_ms));
	if (left <= 0) {
		spin_lock_irqsave(&chan->lock, flags);
		if (!list_empty(&p.node)) {
			list_del_init(&p.node);
			if (left) {
				p.err = -EINTR;
			} else {
				p.err = -ETIMEDOUT;
				chan->stats.timeouts++;
			}
		}
		spin_unlock_irqrestore(&chan->lock, flags);
		if (p.err == -ETIMEDOUT) {
			dev_err(&pdev->dev, "host did not answer request %llu (type %#x) in time\n",
				p.id, p.type);
			return -ETIMEDOUT;
		}
		if (p.err == -EINTR) {
			dev_info(&pdev->dev, "request %llu (type %#x) given up: the task waiting for it was killed\n",
				 p.id, p.type);
			return -EINTR;
		}
		/* Completed just as the wait ended. */
		wait_for_completion(&p.done);
	}

	if ((!p.err || p.err == -EREMOTEIO) && resp_len)
		*resp_len = p.len;
	if ((!p.err || p.err == -EREMOTEIO) && seq)
		*seq = p.seq;
	return p.err;
}
EXPORT_SYMBOL_GPL(pvbus_channel_request_seq);

/**
 * pvbus_channel_notify_seq() - where the notification being delivered came
 * @chan: the channel
 *
 * The channel numbers the messages it takes from the host, responses and
 * notifications alike, in the order it takes them: a notification with a
 * lower number than a response came before it, whatever the order in
 * which the driver sees them (responses complete their requests at once,
 * notifications are queued).
 *
 * Context: the driver's notify(), for the notification it was given.
 * Return: that notification's number (the first is 1); 0 elsewhere (in
 * another task, or with no notification being delivered).
 */
u64 pvbus_channel_notify_seq(struct pvbus_channel *chan)
{
	return READ_ONCE(chan->note_task) == current ? chan->note_seq : 0;
}
EXPORT_SYMBOL_GPL(pvbus_channel_notify_seq);

/*
 * Validate a message from the host, a copy nobody else writes to; returns 0
 * or why it is refused.
 */
static int pvbus_channel_check(struct pvbus_channel *chan,
			       const struct pvbus_msg_hdr *hdr, size_t len)
{
	u32 flags = get_unaligned_le32(&hdr->flags);
	u16 type = get_unaligned_le16(&hdr->type);
	bool response = flags & PVBUS_MSG_F_RESPONSE;
	const struct pvbus_msg_spec *specs;
	unsigned int nr;

	lockdep_assert_held(&chan->lock);

	/* Exactly one of response and notification. */
	if (!response == !(flags & PVBUS_MSG_F_NOTIFY))
		return -EBADMSG;
	if (!response && (hdr->trans_id || hdr->status))
		return -EBADMSG;

	if (type < PVBUS_MSG_CLASS_BASE) {
		/* The bus's own types are answers; notifications are a class's. */
		if (!response)
			return -EPROTO;
		specs = pvbus_bus_specs;
		nr = ARRAY_SIZE(pvbus_bus_specs);
	} else {
		specs = chan->specs;
		nr = chan->nr_specs;
	}

	/* A refusal may carry no payload, but its header is checked all the same. */
	if (response && hdr->status && len == sizeof(*hdr))
		return pvbus_msg_validate_refusal(hdr, len, specs, nr);
	return pvbus_msg_validate(hdr, len, specs, nr, NULL);
}

static struct pvbus_pending *pvbus_channel_find(struct pvbus_channel *chan,
						u64 id)
{
	struct pvbus_pending *p;

	list_for_each_entry(p, &chan->pending, node)
		if (p->id == id)
			return p;
	return NULL;
}

static void pvbus_channel_refused(struct pvbus_channel *chan,
				  const struct pvbus_msg_hdr *hdr, size_t len,
				  int err, bool request_fails)
{
	dev_err_ratelimited(&chan->pdev->dev, "host message type %#x, %zu bytes, refused: %d%s\n",
			    get_unaligned_le16(&hdr->type), len, err,
			    request_fails ? " (its request fails)" : "");
}

/*
 * A response: copied into the buffer of the request it names, validated
 * there, and only then does the request see it.  @hdr is a copy of the
 * header, which only finds the request.
 */
static int pvbus_channel_receive_response(struct pvbus_channel *chan,
					  const struct pvbus_msg_hdr *hdr,
					  const void *msg, size_t len)
{
	const struct pvbus_msg_hdr *copy;
	struct pvbus_pending *p;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->closed) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return -ENODEV;
	}
	p = pvbus_channel_find(chan, get_unaligned_le64(&hdr->trans_id));
	if (!p) {
		ret = -ENOENT;
		goto out_bad;
	}
	list_del_init(&p->node);

	if (len > p->size) {
		ret = -EMSGSIZE;
		p->err = -EMSGSIZE;
	} else {
		memcpy(p->buf, msg, len);
		pvbus_channel_test_copied(chan, msg, len);
		copy = p->buf;
		ret = pvbus_channel_check(chan, copy, len);
		if (!ret &&
		    (!(get_unaligned_le32(&copy->flags) & PVBUS_MSG_F_RESPONSE) ||
		     get_unaligned_le64(&copy->trans_id) != p->id ||
		     get_unaligned_le16(&copy->type) != p->type))
			ret = -EBADMSG;
		if (ret) {
			p->err = -EBADMSG;
		} else {
			p->len = len;
			p->err = copy->status ? -EREMOTEIO : 0;
			p->seq = ++chan->rx_seq;
		}
	}
	complete(&p->done);
	if (!ret) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return 0;
	}

out_bad:
	chan->stats.bad++;
	spin_unlock_irqrestore(&chan->lock, flags);
	pvbus_channel_refused(chan, hdr, len, ret, p);
	return ret;
}

/* A notification found the queue full: drop it, count and say so. */
static int pvbus_channel_queue_full(struct pvbus_channel *chan,
				    const struct pvbus_msg_hdr *hdr,
				    unsigned long flags)
	__releases(&chan->lock)
{
	unsigned int max = chan->stats.queued;
	u64 dropped = ++chan->stats.dropped_full;
	/* Read whether or not the warning is printed: the header must be live. */
	u16 type = get_unaligned_le16(&hdr->type);

	spin_unlock_irqrestore(&chan->lock, flags);
	dev_warn_ratelimited(&chan->pdev->dev, "notification type %#x dropped: %u queued already (%llu dropped so far)\n",
			     type, max, dropped);
	return -ENOBUFS;
}

/*
 * A notification: copied once, into the entry it is queued in, and
 * validated there.  @hdr is a copy of the header, for the log.
 */
static int pvbus_channel_receive_note(struct pvbus_channel *chan,
				      const struct pvbus_msg_hdr *hdr,
				      const void *msg, size_t len)
{
	unsigned int max = pvbus_channel_notify_queue_max();
	const struct pvbus_msg_hdr *copy;
	struct pvbus_note *note;
	unsigned long flags;
	u64 dropped;
	int ret;

	/* A full queue takes nothing: no allocation for a flood. */
	spin_lock_irqsave(&chan->lock, flags);
	if (chan->closed) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return -ENODEV;
	}
	if (chan->stats.queued >= max)
		return pvbus_channel_queue_full(chan, hdr, flags);
	spin_unlock_irqrestore(&chan->lock, flags);

	note = pvbus_channel_test_fail_alloc(chan, len) ? NULL :
	       kmalloc(struct_size(note, msg, len), GFP_ATOMIC | __GFP_NOWARN);
	if (!note) {
		spin_lock_irqsave(&chan->lock, flags);
		dropped = ++chan->stats.dropped_nomem;
		spin_unlock_irqrestore(&chan->lock, flags);
		dev_err_ratelimited(&chan->pdev->dev, "notification type %#x, %zu bytes, dropped: out of memory (%llu dropped so far)\n",
				    get_unaligned_le16(&hdr->type), len, dropped);
		return -ENOMEM;
	}
	note->len = len;
	memcpy(note->msg, msg, len);
	pvbus_channel_test_copied(chan, msg, len);
	copy = (const struct pvbus_msg_hdr *)note->msg;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->closed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = pvbus_channel_check(chan, copy, len);
	if (!ret && (get_unaligned_le32(&copy->flags) & PVBUS_MSG_F_RESPONSE))
		ret = -EBADMSG;
	if (ret) {
		chan->stats.bad++;
		spin_unlock_irqrestore(&chan->lock, flags);
		pvbus_channel_refused(chan, copy, len, ret, false);
		kfree(note);
		return ret;
	}
	/* Filled meanwhile: logged from @hdr, @copy is in the note freed. */
	if (chan->stats.queued >= max) {
		kfree(note);
		return pvbus_channel_queue_full(chan, hdr, flags);
	}

	chan->stats.notify++;
	chan->stats.queued++;
	note->binding = chan->binding;
	note->seq = ++chan->rx_seq;
	list_add_tail(&note->node, &chan->notes);
	queue_work(system_long_wq, &chan->notify_work);
	spin_unlock_irqrestore(&chan->lock, flags);
	return 0;

out_unlock:
	spin_unlock_irqrestore(&chan->lock, flags);
	kfree(note);
	return ret;
}

/**
 * pvbus_channel_receive() - deliver a message from the host
 * @chan: the channel
 * @msg: the message; copied, the caller keeps it
 * @len: its length
 *
 * For host backends.  @msg is copied once; only the copy is validated and
 * used, so the host may change @msg at any time.  A response completes the
 * request with the same transaction id; a notification is queued for the
 * driver's notify().  A message that fails validation is dropped with a
 * message in the log; if it answers a pending request, that request fails
 * with -EBADMSG instead of waiting for its timeout.  A notification that
 * finds the device's queue full (parameter notify_queue_len) or no memory
 * for its copy is dropped, counted and logged; the driver never hears of
 * it, so a backend that wants it heard sends it again later.
 *
 * Context: any context.
 * Return: 0; -EBADMSG, -EMSGSIZE, -EPROTO or -EPROTONOSUPPORT for a
 * malformed message (see pvbus_msg_validate()), -EMSGSIZE also for a
 * response larger than its request's buffer; -ENOENT for a response to no
 * pending request; -ENODEV if the device is revoked; -ENOBUFS if the
 * notification queue is full; -ENOMEM.
 */
int pvbus_channel_receive(struct pvbus_channel *chan, const void *msg,
			  size_t len)
{
	struct pvbus_device *pdev = chan->pdev;
	struct pvbus_msg_hdr hdr;
	unsigned long flags;

	if (!msg || len < sizeof(hdr) || len > PVBUS_MSG_MAX_LEN) {
		dev_err_ratelimited(&pdev->dev, "host message of %zu bytes refused\n",
				    len);
		spin_lock_irqsave(&chan->lock, flags);
		chan->stats.bad++;
		spin_unlock_irqrestore(&chan->lock, flags);
		return -EMSGSIZE;
	}

	/* The header only decides where the message goes. */
	memcpy(&hdr, msg, sizeof(hdr));
	if (get_unaligned_le32(&hdr.flags) & PVBUS_MSG_F_RESPONSE)
		return pvbus_channel_receive_response(chan, &hdr, msg, len);
	return pvbus_channel_receive_note(chan, &hdr, msg, len);
}
EXPORT_SYMBOL_GPL(pvbus_channel_receive);

/*
 * Deliver the queued notifications, a batch at a time: a host that keeps
 * the queue full keeps this work item coming back, not running.  On
 * system_long_wq: a driver's notify() may wait for a silent host.
 */
static void pvbus_channel_notify_work(struct work_struct *work)
{
	struct pvbus_channel *chan = container_of(work, struct pvbus_channel,
						  notify_work);
	struct pvbus_note *note;
	unsigned long flags;
	unsigned int n;

	for (n = 0; ; n++) {
		spin_lock_irqsave(&chan->lock, flags);
		if (n == PVBUS_NOTIFY_BATCH) {
			if (!list_empty(&chan->notes) && !chan->closed)
				queue_work(system_long_wq, &chan->notify_work);
			spin_unlock_irqrestore(&chan->lock, flags);
			return;
		}
		note = list_first_entry_or_null(&chan->notes, struct pvbus_note,
						node);
		if (note) {
			list_del(&note->node);
			chan->stats.queued--;
		}
		spin_unlock_irqrestore(&chan->lock, flags);
		if (!note)
			return;

		/* Checked against this driver's table, or it is not its. */
		mutex_lock(&chan->drv_lock);
		if (chan->drv && chan->drv->notify &&
		    note->binding == chan->binding) {
			chan->note_seq = note->seq;
			WRITE_ONCE(chan->note_task, current);
			chan->drv->notify(chan->pdev, note->msg, note->len);
			WRITE_ONCE(chan->note_task, NULL);
			chan->note_seq = 0;
		}
		mutex_unlock(&chan->drv_lock);
		kfree(note);
	}
}

/**
 * pvbus_channel_get_stats() - read what a channel counted
 * @chan: the channel
 * @st: filled in
 */
void pvbus_channel_get_stats(struct pvbus_channel *chan,
			     struct pvbus_channel_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	*st = chan->stats;
	spin_unlock_irqrestore(&chan->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_channel_get_stats);
