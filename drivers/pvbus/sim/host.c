// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the simulated host.
 *
 * A host registers with the bus, reports the reserved ranges it was
 * configured with when the bus connects, and offers devices.  What a guest
 * driver sends on a device's channel is copied by send() onto the device's
 * queue and answered from a work item, one per device, so messages and
 * notifications of one device are handled in order and send() never waits.
 *
 * Every request is checked as a real host would check it: the header must
 * carry no flags and no status and a transaction id; the message must
 * match the spec table of its protocol (pvbus_msg_validate()).  A request
 * that fails is refused with %PVBUS_STATUS_INVALID, or with
 * %PVBUS_STATUS_UNSUPPORTED for a type or version the host does not know.
 * Requests are dispatched through protocol tables: the bus-generic protocol
 * for types below %PVBUS_MSG_CLASS_BASE, the protocol of the device's class
 * for the others.
 *
 * Revoking a device calls pvbus_host_revoke() first, while the host still
 * answers: the driver's remove() may talk to the host (a PCI bus releases
 * its resources and leaves D0).  Only then is the queue closed, so send()
 * refuses new messages, and the work item waited for.  Every queued message
 * holds a reference to its device, so the work item may still deliver to a
 * device the bus has revoked meanwhile: pvbus_channel_receive() then
 * returns -ENODEV.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pvbus.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>

#include "host.h"

static struct workqueue_struct *pvbus_sim_wq;

/**
 * pvbus_sim_count() - count an event of a host
 * @host: the host
 * @stat: what happened
 *
 * Return: how many times @stat happened, this one included.
 */
u64 pvbus_sim_count(struct pvbus_sim_host *host, enum pvbus_sim_stat stat)
{
	return atomic64_inc_return(&host->stats[stat]);
}

/* ---------------------------------------------------------------------
 * The bus-generic protocol
 */

static u32 pvbus_sim_ping(struct pvbus_sim_dev *sdev, const void *req,
			  size_t len, void *resp, size_t *resp_len)
{
	const struct pvbus_msg_ping *ping = req;
	struct pvbus_msg_ping *pong = resp;

	pong->cookie = ping->cookie;
	*resp_len = sizeof(*pong);
	return PVBUS_STATUS_SUCCESS;
}

static const struct pvbus_msg_spec pvbus_sim_bus_specs[] = {
	{
		.type		= PVBUS_MSG_PING,
		.min_version	= PVBUS_BUS_VERSION,
		.max_version	= PVBUS_BUS_VERSION,
		.fixed_len	= sizeof(struct pvbus_msg_ping) -
				  sizeof(struct pvbus_msg_hdr),
	},
};

static const struct pvbus_sim_handler pvbus_sim_bus_handlers[] = {
	{ .handle = pvbus_sim_ping },
};

static_assert(ARRAY_SIZE(pvbus_sim_bus_specs) ==
	      ARRAY_SIZE(pvbus_sim_bus_handlers));

static const struct pvbus_sim_proto pvbus_sim_bus_proto = {
	.specs		= pvbus_sim_bus_specs,
	.handlers	= pvbus_sim_bus_handlers,
	.nr		= ARRAY_SIZE(pvbus_sim_bus_specs),
};

/*
 * The protocols of the device classes the host knows, NULL-terminated.
 * A class with no entry speaks the bus-generic protocol only.
 */
static const struct pvbus_sim_proto *const pvbus_sim_class_protos[] = {
	&pvbus_sim_pci_proto,
	NULL
};

static const struct pvbus_sim_proto *pvbus_sim_find_proto(const guid_t *class)
{
	const struct pvbus_sim_proto *const *p;

	for (p = pvbus_sim_class_protos; *p; p++)
		if (guid_equal((*p)->class, class))
			return *p;
	return NULL;
}

/* ---------------------------------------------------------------------
 * Answering
 */

/*
 * Check a request as a real host would and find its handler.  Returns
 * %PVBUS_STATUS_SUCCESS and sets *@handler if the request is valid.
 */
static u32 pvbus_sim_check(struct pvbus_sim_dev *sdev, const void *msg,
			   size_t len, const struct pvbus_sim_handler **handler)
{
	const struct pvbus_msg_hdr *hdr = msg;
	const struct pvbus_sim_proto *proto;
	const struct pvbus_msg_spec *spec;
	u16 type = get_unaligned_le16(&hdr->type);

	if (get_unaligned_le32(&hdr->flags) || get_unaligned_le32(&hdr->status))
		return PVBUS_STATUS_INVALID;

	proto = type < PVBUS_MSG_CLASS_BASE ? &pvbus_sim_bus_proto : sdev->proto;
	if (!proto)
		return PVBUS_STATUS_UNSUPPORTED;

	switch (pvbus_msg_validate(msg, len, proto->specs, proto->nr, &spec)) {
	case 0:
		break;
	case -EPROTO:
	case -EPROTONOSUPPORT:
		return PVBUS_STATUS_UNSUPPORTED;
	default:
		return PVBUS_STATUS_INVALID;
	}

	*handler = &proto->handlers[spec - proto->specs];
	return PVBUS_STATUS_SUCCESS;
}

static void pvbus_sim_count_status(struct pvbus_sim_host *host, u32 status)
{
	switch (status) {
	case PVBUS_STATUS_SUCCESS:
		pvbus_sim_count(host, PVBUS_SIM_STAT_ANSWERED);
		break;
	case PVBUS_STATUS_INVALID:
		pvbus_sim_count(host, PVBUS_SIM_STAT_INVALID);
		break;
	case PVBUS_STATUS_UNSUPPORTED:
		pvbus_sim_count(host, PVBUS_SIM_STAT_UNSUPPORTED);
		break;
	case PVBUS_STATUS_REFUSED:
		pvbus_sim_count(host, PVBUS_SIM_STAT_REFUSED);
		break;
	case PVBUS_STATUS_BUSY:
		pvbus_sim_count(host, PVBUS_SIM_STAT_BUSY);
		break;
	case PVBUS_STATUS_NOT_FOUND:
		pvbus_sim_count(host, PVBUS_SIM_STAT_NOT_FOUND);
		break;
	}
}

static void pvbus_sim_deliver(struct pvbus_sim_dev *sdev,
			      struct pvbus_device *pdev, const void *msg,
			      size_t len)
{
	int ret;

	ret = pvbus_channel_receive(pdev->chan, msg, len);
	if (ret) {
		pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_REJECTED);
		dev_dbg(&pdev->dev, "the guest rejected a message: %d\n", ret);
	}
}

/* Damage a response as the device's fault says; return its new length. */
static size_t pvbus_sim_damage(struct pvbus_sim_dev *sdev,
			       enum pvbus_sim_fault fault,
			       struct pvbus_msg_hdr *hdr, size_t len)
{
	switch (fault) {
	case PVBUS_SIM_FAULT_SHORT:
		len -= PVBUS_SIM_SHORT_CUT;
		put_unaligned_le32(len, &hdr->len);
		break;
	case PVBUS_SIM_FAULT_BADLEN:
		put_unaligned_le32(len + PVBUS_SIM_SHORT_CUT, &hdr->len);
		break;
	case PVBUS_SIM_FAULT_BADVER:
		put_unaligned_le16(PVBUS_SIM_BAD_VERSION, &hdr->version);
		break;
	default:
		return len;
	}
	pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_FAULTY);
	return len;
}

/**
 * pvbus_sim_respond() - answer a request
 * @sdev: the device it came on
 * @fault: how to damage the response
 * @req: the request
 * @len: its length
 * @resp: where the response goes, %PVBUS_SIM_RESP_MAX bytes
 *
 * Runs from the device's work item (and from the KUnit suites).
 *
 * Return: the response's length, or 0 if the request gets no response.
 */
size_t pvbus_sim_respond(struct pvbus_sim_dev *sdev,
			 enum pvbus_sim_fault fault, const void *req,
			 size_t len, void *resp)
{
	const struct pvbus_sim_handler *handler = NULL;
	const struct pvbus_msg_hdr *rq = req;
	struct pvbus_msg_hdr *hdr = resp;
	size_t resp_len = sizeof(*hdr);
	u32 status;

	/* Without a transaction id no response could refer to the request. */
	if (len < sizeof(*rq) || !get_unaligned_le64(&rq->trans_id)) {
		pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_UNANSWERABLE);
		return 0;
	}
	if (fault == PVBUS_SIM_FAULT_DROP) {
		pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_DROPPED);
		return 0;
	}

	memset(hdr, 0, sizeof(*hdr));
	if (fault == PVBUS_SIM_FAULT_STATUS)
		status = PVBUS_STATUS_REFUSED;
	else
		status = pvbus_sim_check(sdev, req, len, &handler);
	if (status == PVBUS_STATUS_SUCCESS) {
		status = handler->handle(sdev, req, len, resp, &resp_len);
		if (status != PVBUS_STATUS_SUCCESS)
			resp_len = sizeof(*hdr);
	}

	hdr->type = rq->type;
	hdr->version = rq->version;
	put_unaligned_le32(resp_len, &hdr->len);
	hdr->trans_id = rq->trans_id;
	put_unaligned_le32(status, &hdr->status);
	put_unaligned_le32(PVBUS_MSG_F_RESPONSE, &hdr->flags);
	pvbus_sim_count_status(sdev->host, status);

	return pvbus_sim_damage(sdev, fault, hdr, resp_len);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_respond);

static void pvbus_sim_answer(struct pvbus_sim_dev *sdev,
			     struct pvbus_sim_msg *m)
{
	size_t len;

	len = pvbus_sim_respond(sdev, READ_ONCE(sdev->fault), m->data, m->len,
				sdev->resp);
	if (len)
		pvbus_sim_deliver(sdev, m->pdev, sdev->resp, len);
}

/**
 * pvbus_sim_msg_alloc() - allocate a message to queue
 * @len: length of the message
 * @gfp: how to allocate
 *
 * Return: the message, zeroed, with &pvbus_sim_msg.len set, or NULL.
 */
struct pvbus_sim_msg *pvbus_sim_msg_alloc(size_t len, gfp_t gfp)
{
	struct pvbus_sim_msg *m;

	m = kzalloc(struct_size(m, data, len), gfp);
	if (m)
		m->len = len;
	return m;
}

/* Free a message, and drop its reference to its device. */
static void pvbus_sim_msg_free(struct pvbus_sim_msg *m)
{
	if (m->pdev)
		put_device(&m->pdev->dev);
	kfree(m);
}

static void pvbus_sim_dev_work(struct work_struct *work)
{
	struct pvbus_sim_dev *sdev = container_of(work, struct pvbus_sim_dev,
						  work);
	struct pvbus_sim_msg *m;

	for (;;) {
		spin_lock(&sdev->lock);
		m = list_first_entry_or_null(&sdev->queue, struct pvbus_sim_msg,
					     node);
		if (m) {
			list_del(&m->node);
			sdev->nr_queued--;
		}
		spin_unlock(&sdev->lock);
		if (!m)
			return;

		if (m->to_guest) {
			pvbus_sim_count(sdev->host,
					PVBUS_SIM_STAT_NOTIFICATIONS);
			pvbus_sim_deliver(sdev, m->pdev, m->data, m->len);
		} else {
			pvbus_sim_answer(sdev, m);
		}
		pvbus_sim_msg_free(m);
		cond_resched();
	}
}

/*
 * Queue @m, for @pdev, on @sdev: 0; -ENODEV if the device no longer takes
 * messages; -ENOBUFS for a request from the guest if the queue holds
 * %PVBUS_SIM_QUEUE_MAX already (a guest that sends faster than the host
 * answers): the request is dropped, counted and logged.  A notification
 * from the host is never dropped for a full queue: its callers have
 * already changed the host's state (relations, an eject under way), and
 * a guest that floods requests must not make the host lose them; they
 * come one per configfs store, so the user bounds them.  A queued
 * message holds a reference to @pdev.
 */
static int pvbus_sim_queue(struct pvbus_sim_dev *sdev,
			   struct pvbus_device *pdev, struct pvbus_sim_msg *m)
{
	u64 dropped = 0;
	int ret = 0;

	m->pdev = pdev;
	if (pdev)
		get_device(&pdev->dev);
	spin_lock(&sdev->lock);
	if (!sdev->open) {
		ret = -ENODEV;
	} else if (!m->to_guest && sdev->nr_queued >= PVBUS_SIM_QUEUE_MAX) {
		dropped = pvbus_sim_count(sdev->host,
					  PVBUS_SIM_STAT_QUEUE_FULL);
		ret = -ENOBUFS;
	} else {
		if (!m->to_guest)
			pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_REQUESTS);
		list_add_tail(&m->node, &sdev->queue);
		sdev->nr_queued++;
		queue_work(pvbus_sim_wq, &sdev->work);
	}
	spin_unlock(&sdev->lock);
	if (ret && pdev) {
		put_device(&pdev->dev);
		m->pdev = NULL;
	}
	if (ret == -ENOBUFS)
		pr_warn_ratelimited("%s: %s dropped: the device's queue holds %u messages (%llu dropped so far)\n",
				    sdev->host->host.name,
				    m->to_guest ? "notification" : "request",
				    PVBUS_SIM_QUEUE_MAX, dropped);
	return ret;
}

/*
 * Stop handling messages: refuse new ones, wait for the work item and drop
 * what it did not handle.  Nothing reaches the device afterwards.
 */
static void pvbus_sim_dev_close(struct pvbus_sim_dev *sdev)
{
	struct pvbus_sim_msg *m, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&sdev->lock);
	sdev->open = false;
	list_splice_init(&sdev->queue, &dropped);
	sdev->nr_queued = 0;
	spin_unlock(&sdev->lock);

	cancel_work_sync(&sdev->work);

	list_for_each_entry_safe(m, tmp, &dropped, node) {
		if (!m->to_guest)
			pvbus_sim_count(sdev->host, PVBUS_SIM_STAT_DROPPED);
		pvbus_sim_msg_free(m);
	}
}

/* ---------------------------------------------------------------------
 * Backend operations
 */

static int pvbus_sim_connect(struct pvbus_host *phost, struct pvbus_range *rsv,
			     unsigned int max)
{
	struct pvbus_sim_host *host = phost->priv;

	if (host->nr_rsv > max)
		return -ENOSPC;
	memcpy(rsv, host->rsv, host->nr_rsv * sizeof(*rsv));
	return host->nr_rsv;
}

/*
 * The bus goes (its root is unbound) and has taken every device from the
 * guest, answered or not: a device the guest did not give up, because the
 * host refused or dropped its last requests, say, is given up now.  A
 * device the host revokes itself goes before this is called.
 */
VISIBLE_IF_KUNIT void pvbus_sim_disconnect(struct pvbus_host *phost)
{
	struct pvbus_sim_host *host = container_of(phost, struct pvbus_sim_host,
						   host);
	struct pvbus_sim_dev *sdev;

	mutex_lock(&host->addr_lock);
	list_for_each_entry(sdev, &host->devs, node)
		if (sdev->cls && sdev->proto->gone)
			sdev->proto->gone(sdev);
	mutex_unlock(&host->addr_lock);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_disconnect);

static int pvbus_sim_send(struct pvbus_host *phost, struct pvbus_device *pdev,
			  const void *msg, size_t len)
{
	struct pvbus_sim_dev *sdev = pdev->host_data;
	struct pvbus_sim_msg *m;
	int ret;

	/* What no transport could carry. */
	if (len > PVBUS_MSG_MAX_LEN)
		return -EMSGSIZE;

	m = pvbus_sim_msg_alloc(len, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->to_guest = false;
	memcpy(m->data, msg, len);

	ret = pvbus_sim_queue(sdev, pdev, m);
	if (ret)
		kfree(m);
	return ret;
}

/*
 * The config window of a PCI bus: the bus calls these while a driver is
 * bound to the device, so between the offer and the end of the revoke.
 */
static int pvbus_sim_window_read(struct pvbus_host *phost,
				 struct pvbus_device *pdev, u64 addr,
				 unsigned int size, u32 *val)
{
	struct pvbus_sim_dev *sdev = pdev->host_data;

	if (!sdev->proto || !sdev->proto->window_read)
		return -EINVAL;
	return sdev->proto->window_read(sdev, addr, size, val);
}

static int pvbus_sim_window_write(struct pvbus_host *phost,
				  struct pvbus_device *pdev, u64 addr,
				  unsigned int size, u32 val)
{
	struct pvbus_sim_dev *sdev = pdev->host_data;

	if (!sdev->proto || !sdev->proto->window_write)
		return -EINVAL;
	return sdev->proto->window_write(sdev, addr, size, val);
}

static const struct pvbus_host_ops pvbus_sim_ops = {
	.connect	= pvbus_sim_connect,
	.send		= pvbus_sim_send,
	.disconnect	= pvbus_sim_disconnect,
	.window_read	= pvbus_sim_window_read,
	.window_write	= pvbus_sim_window_write,
};

/* ---------------------------------------------------------------------
 * What configfs.c calls
 */

/**
 * pvbus_sim_dev_offer() - offer a device to the guest
 * @host: a started host
 * @class: class of the device's channel
 * @instance: instance of the channel
 * @fault: the fault in force from the start
 * @settings: the class's settings for the device, opaque to the host and
 *	handed to its class protocol's &pvbus_sim_proto.init (which copies
 *	what it keeps); NULL for the class's defaults
 *
 * A driver may bind, and talk to the host, before this returns.
 *
 * Return: the device or an ERR_PTR().
 */
struct pvbus_sim_dev *pvbus_sim_dev_offer(struct pvbus_sim_host *host,
					  const guid_t *class,
					  const guid_t *instance,
					  enum pvbus_sim_fault fault,
					  const void *settings)
{
	struct pvbus_sim_dev *sdev;
	struct pvbus_device *pdev;
	int ret;

	if (!host->registered)
		return ERR_PTR(-ENODEV);

	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return ERR_PTR(-ENOMEM);
	sdev->resp = kmalloc(PVBUS_SIM_RESP_MAX, GFP_KERNEL);
	if (!sdev->resp) {
		kfree(sdev);
		return ERR_PTR(-ENOMEM);
	}
	sdev->host = host;
	INIT_LIST_HEAD(&sdev->node);
	sdev->proto = pvbus_sim_find_proto(class);
	sdev->fault = fault;
	spin_lock_init(&sdev->lock);
	sdev->open = true;
	INIT_LIST_HEAD(&sdev->queue);
	INIT_WORK(&sdev->work, pvbus_sim_dev_work);
	if (sdev->proto && sdev->proto->init) {
		ret = sdev->proto->init(sdev, settings);
		if (ret) {
			pvbus_sim_dev_release(sdev);
			return ERR_PTR(ret);
		}
	}

	/* Seen by the other devices' checks before the guest can talk to it. */
	mutex_lock(&host->addr_lock);
	list_add_tail(&sdev->node, &host->devs);
	mutex_unlock(&host->addr_lock);
	pdev = pvbus_host_offer(&host->host, class, instance, sdev);
	if (IS_ERR(pdev)) {
		pvbus_sim_dev_close(sdev);
		pvbus_sim_dev_release(sdev);
		return ERR_CAST(pdev);
	}
	sdev->pdev = pdev;
	return sdev;
}

/**
 * pvbus_sim_dev_withdraw() - take a device away from the guest, keep it
 * @sdev: a device pvbus_sim_dev_offer() returned
 *
 * The driver's remove() runs first and is answered; then the messages
 * still queued are dropped and whatever the guest sends is refused.  The
 * class's state stays as the guest left it (a function it gave back in
 * its remove(), say), for the caller to read, until
 * pvbus_sim_dev_release(); so does the device's place on the host's list,
 * so that the other devices' checks keep clear of what it still decodes.
 */
void pvbus_sim_dev_withdraw(struct pvbus_sim_dev *sdev)
{
	pvbus_host_revoke(sdev->pdev);
	pvbus_sim_dev_close(sdev);
}

/**
 * pvbus_sim_dev_release() - free a device that is not offered
 * @sdev: the device, which pvbus_sim_dev_withdraw() took away, or whose
 *	offer failed, and which nothing uses any more; freed
 */
void pvbus_sim_dev_release(struct pvbus_sim_dev *sdev)
{
	/*
	 * The class's state goes (a passed-through function stops decoding)
	 * and the device leaves the host's list at once for the other
	 * devices' checks: until then they keep clear of what it decodes.
	 */
	mutex_lock(&sdev->host->addr_lock);
	if (sdev->cls && sdev->proto->fini)
		sdev->proto->fini(sdev);
	list_del_init(&sdev->node);
	mutex_unlock(&sdev->host->addr_lock);
	kfree(sdev->resp);
	kfree(sdev);
}

/**
 * pvbus_sim_dev_revoke() - take a device away from the guest and free it
 * @sdev: a device pvbus_sim_dev_offer() returned; freed
 *
 * pvbus_sim_dev_withdraw(), then pvbus_sim_dev_release().
 */
void pvbus_sim_dev_revoke(struct pvbus_sim_dev *sdev)
{
	pvbus_sim_dev_withdraw(sdev);
	pvbus_sim_dev_release(sdev);
}

/**
 * pvbus_sim_dev_set_fault() - change how a device misbehaves
 * @sdev: the device
 * @fault: the new fault; applies to the requests not yet answered
 */
void pvbus_sim_dev_set_fault(struct pvbus_sim_dev *sdev,
			     enum pvbus_sim_fault fault)
{
	WRITE_ONCE(sdev->fault, fault);
}

/**
 * pvbus_sim_dev_send_notification() - queue a notification for the guest
 * @sdev: an offered device
 * @m: the notification, from pvbus_sim_msg_alloc(); taken over, also on
 *	failure
 *
 * The notification is delivered as it is, behind the responses the device
 * still owes.
 *
 * Return: 0, or -ENODEV if the device is being revoked.
 */
int pvbus_sim_dev_send_notification(struct pvbus_sim_dev *sdev,
				    struct pvbus_sim_msg *m)
{
	int ret;

	m->to_guest = true;
	ret = pvbus_sim_queue(sdev, sdev->pdev, m);
	if (ret)
		kfree(m);
	return ret;
}

/**
 * pvbus_sim_host_create() - make a host, not yet registered
 * @name: its name; copied
 *
 * Return: the host or an ERR_PTR().
 */
struct pvbus_sim_host *pvbus_sim_host_create(const char *name)
{
	struct pvbus_sim_host *host;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return ERR_PTR(-ENOMEM);
	host->host.name = kstrdup(name, GFP_KERNEL);
	if (!host->host.name) {
		kfree(host);
		return ERR_PTR(-ENOMEM);
	}
	host->host.ops = &pvbus_sim_ops;
	host->host.owner = THIS_MODULE;
	host->host.priv = host;
	INIT_LIST_HEAD(&host->devs);
	mutex_init(&host->addr_lock);
	return host;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_host_create);

/**
 * pvbus_sim_host_destroy() - free a host
 * @host: a stopped host
 */
void pvbus_sim_host_destroy(struct pvbus_sim_host *host)
{
	if (WARN_ON(host->registered))
		pvbus_sim_host_stop(host);
	mutex_destroy(&host->addr_lock);
	kfree(host->host.name);
	kfree(host);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_host_destroy);

/**
 * pvbus_sim_host_set_root() - choose the bus root a host attaches to
 * @host: the host, stopped
 * @root: the name of the root's device, or NULL for the first root; must
 *	outlive the host's registration
 */
void pvbus_sim_host_set_root(struct pvbus_sim_host *host, const char *root)
{
	host->host.root_name = root;
}

/**
 * pvbus_sim_host_start() - register a host with the bus
 * @host: the host, stopped
 * @rsv: the ranges the host reports as in use when the bus connects
 * @nr_rsv: entries in @rsv, at most %PVBUS_HOST_MAX_RSV
 *
 * Return: 0 or a negative error code.
 */
int pvbus_sim_host_start(struct pvbus_sim_host *host,
			 const struct pvbus_range *rsv, unsigned int nr_rsv)
{
	int ret;

	if (host->registered)
		return -EBUSY;
	if (nr_rsv > ARRAY_SIZE(host->rsv))
		return -EINVAL;

	memcpy(host->rsv, rsv, nr_rsv * sizeof(*rsv));
	host->nr_rsv = nr_rsv;
	ret = pvbus_host_register(&host->host);
	if (ret)
		return ret;

	/*
	 * The bus's windows, for the checks a real host makes.  Asked once,
	 * here: they do not change while the host is attached.
	 */
	ret = pvbus_host_windows(&host->host, host->win,
				 ARRAY_SIZE(host->win));
	if (ret < 0) {
		pvbus_host_unregister(&host->host);
		return ret;
	}
	if (ret > ARRAY_SIZE(host->win)) {
		pr_warn("%s: the bus has %d MMIO windows, only the first %zu are used\n",
			host->host.name, ret, ARRAY_SIZE(host->win));
		ret = ARRAY_SIZE(host->win);
	}
	host->nr_win = ret;
	host->registered = true;
	return 0;
}

/**
 * pvbus_sim_host_stop() - unregister a host from the bus
 * @host: the host, started
 *
 * Revokes the devices still offered first.
 */
void pvbus_sim_host_stop(struct pvbus_sim_host *host)
{
	struct pvbus_sim_dev *sdev, *tmp;

	if (!host->registered)
		return;
	list_for_each_entry_safe_reverse(sdev, tmp, &host->devs, node)
		pvbus_sim_dev_revoke(sdev);
	pvbus_host_unregister(&host->host);
	host->nr_win = 0;
	host->registered = false;
}

/**
 * pvbus_sim_host_get_stats() - read a host's counters
 * @host: the host
 * @stats: filled with %PVBUS_SIM_NR_STATS counters
 */
void pvbus_sim_host_get_stats(struct pvbus_sim_host *host, u64 *stats)
{
	unsigned int i;

	for (i = 0; i < PVBUS_SIM_NR_STATS; i++)
		stats[i] = atomic64_read(&host->stats[i]);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_host_get_stats);

/**
 * pvbus_sim_host_init() - set up what every host shares
 *
 * Return: 0 or -ENOMEM.
 */
int pvbus_sim_host_init(void)
{
	pvbus_sim_wq = alloc_workqueue("pvbus_sim", 0, 0);
	return pvbus_sim_wq ? 0 : -ENOMEM;
}

/**
 * pvbus_sim_host_exit() - undo pvbus_sim_host_init(); every host is gone
 */
void pvbus_sim_host_exit(void)
{
	destroy_workqueue(pvbus_sim_wq);
}
