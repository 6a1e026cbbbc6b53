// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the exchanges with the host.  Each request waits for its
 * answer, which pci-pvbus-msg.c checks: version negotiation, the list of
 * functions and their BARs, D0 entry and exit, and the resources assigned
 * to a function and released by it.
 *
 * The host's notifications are queued and handled on an ordered
 * workqueue: a new list of functions hot adds those it did not list before
 * and removes those it no longer lists; an eject removes one.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/crash_dump.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "pci-pvbus.h"

#include <trace/events/pci_pvbus.h>

/*
 * Send a request and wait for the answer, at most request_timeout_ms.  A
 * refusal returns -EREMOTEIO with the host's status in *@status.
 */
static int pci_pvbus_request(struct pci_pvbus *pb, void *req, size_t req_len,
			     void *resp, size_t resp_size, size_t *resp_len,
			     u32 *status)
{
	int ret;

	*status = PVBUS_STATUS_SUCCESS;
	ret = pvbus_channel_request(pb->pdev->chan, req, req_len, resp,
				    resp_size, resp_len,
				    READ_ONCE(pci_pvbus_timeout_ms));
	if (ret == -EREMOTEIO)
		*status = le32_to_cpu(((struct pvbus_msg_hdr *)resp)->status);
	return ret;
}

static const char *pci_pvbus_type_name(u16 type)
{
	switch (type) {
	case PVBUS_PCI_MSG_QUERY_VERSION:
		return "QUERY_VERSION";
	case PVBUS_PCI_MSG_D0_ENTRY:
		return "D0_ENTRY";
	case PVBUS_PCI_MSG_D0_EXIT:
		return "D0_EXIT";
	case PVBUS_PCI_MSG_QUERY_RELATIONS:
		return "QUERY_RELATIONS";
	case PVBUS_PCI_MSG_QUERY_RESOURCES:
		return "QUERY_RESOURCES";
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		return "ASSIGNED_RESOURCES";
	case PVBUS_PCI_MSG_RELEASED_RESOURCES:
		return "RELEASED_RESOURCES";
	case PVBUS_PCI_MSG_RELATIONS_CHANGED:
		return "RELATIONS_CHANGED";
	case PVBUS_PCI_MSG_EJECT:
		return "EJECT";
	case PVBUS_PCI_MSG_EJECT_COMPLETE:
		return "EJECT_COMPLETE";
	default:
		return "unknown";
	}
}

/* Report a failed request: refused, unanswered or malformed. */
static void pci_pvbus_request_failed(struct pci_pvbus *pb, u16 type,
				     int ret, u32 status, const char *what)
{
	if (ret == -EREMOTEIO)
		dev_err(pci_pvbus_dev(pb), "host refused %s%s: status %#x (%s)\n",
			pci_pvbus_type_name(type), what, status,
			pci_pvbus_status_name(status));
	else
		dev_err(pci_pvbus_dev(pb), "%s%s failed: %d\n",
			pci_pvbus_type_name(type), what, ret);
}

/* The same, for a request about the function at @devfn. */
static void pci_pvbus_fn_request_failed(struct pci_pvbus *pb, u16 type,
					int ret, u32 status, u32 devfn)
{
	char what[24];

	snprintf(what, sizeof(what), " of %02x.%x", PCI_SLOT(devfn),
		 PCI_FUNC(devfn));
	pci_pvbus_request_failed(pb, type, ret, status, what);
}

static const u16 pci_pvbus_versions[] = {
	PVBUS_PCI_VERSION_1_1,
	PVBUS_PCI_VERSION_1_0,
};

int pci_pvbus_negotiate(struct pci_pvbus *pb)
{
	struct pvbus_pci_version req, resp;
	unsigned int i;
	size_t len;
	u32 status;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pci_pvbus_versions); i++) {
		u16 v = pci_pvbus_versions[i];

		memset(&req, 0, sizeof(req));
		pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_QUERY_VERSION, v,
			       sizeof(req));
		req.version = cpu_to_le16(v);
		ret = pci_pvbus_request(pb, &req, sizeof(req), &resp,
					sizeof(resp), &len, &status);
		if (ret == -EREMOTEIO) {
			dev_info(pci_pvbus_dev(pb), "host refused protocol version %u.%u: status %#x (%s)\n",
				 v >> 8, v & 0xff, status,
				 pci_pvbus_status_name(status));
			continue;
		}
		if (!ret)
			ret = pci_pvbus_check_version(&resp, len, v);
		if (ret) {
			pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_QUERY_VERSION,
						 ret, status, "");
			return ret;
		}
		pb->version = v;
		return 0;
	}
	dev_err(pci_pvbus_dev(pb), "host accepts no protocol version from %u.%u to %u.%u\n",
		PVBUS_PCI_VERSION_MIN >> 8, PVBUS_PCI_VERSION_MIN & 0xff,
		PVBUS_PCI_VERSION_MAX >> 8, PVBUS_PCI_VERSION_MAX & 0xff);
	return -EPROTONOSUPPORT;
}

/* QUERY_RELATIONS: the functions behind the bus, in @desc. */
int pci_pvbus_query_relations(struct pci_pvbus *pb,
			      struct pvbus_pci_fn_desc *desc,
			      unsigned int *nr)
{
	struct pvbus_pci_relations *resp;
	struct pvbus_msg_hdr req;
	size_t size, len;
	u32 status;
	int ret;

	size = struct_size(resp, fn, PVBUS_PCI_MAX_FUNCTIONS);
	resp = kzalloc(size, GFP_KERNEL);
	if (!resp)
		return -ENOMEM;

	pvbus_msg_init(&req, PVBUS_PCI_MSG_QUERY_RELATIONS, pb->version,
		       sizeof(req));
	ret = pci_pvbus_request(pb, &req, sizeof(req), resp, size, &len,
				&status);
	if (!ret)
		ret = pci_pvbus_parse_relations(resp, len, pb->version,
						PVBUS_PCI_MSG_QUERY_RELATIONS,
						desc, nr);
	if (ret)
		pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_QUERY_RELATIONS, ret,
					 status, "");
	kfree(resp);
	return ret;
}

/* Send a request of @type that names @devfn; the answer is in @resp. */
static int pci_pvbus_devfn_send(struct pci_pvbus *pb, u16 type, u32 devfn,
				void *resp, size_t resp_size, size_t *len,
				u32 *status)
{
	struct pvbus_pci_devfn_msg req = {};

	pvbus_msg_init(&req.hdr, type, pb->version, sizeof(req));
	req.devfn = cpu_to_le32(devfn);
	return pci_pvbus_request(pb, &req, sizeof(req), resp, resp_size, len,
				 status);
}

/* QUERY_RESOURCES: a function's BARs as the host probed them. */
int pci_pvbus_query_resources(struct pci_pvbus *pb,
			      struct pci_pvbus_fn *fn)
{
	struct pvbus_pci_resources resp;
	size_t len;
	u32 status;
	int ret;

	ret = pci_pvbus_devfn_send(pb, PVBUS_PCI_MSG_QUERY_RESOURCES,
				   fn->desc.devfn, &resp, sizeof(resp), &len,
				   &status);
	if (!ret)
		ret = pci_pvbus_parse_resources(&resp, len, pb->version,
						fn->desc.devfn,
						fn->desc.flags &
						PVBUS_PCI_FN_PRESERVE,
						fn->bar);
	if (ret)
		pci_pvbus_fn_request_failed(pb, PVBUS_PCI_MSG_QUERY_RESOURCES,
					    ret, status, fn->desc.devfn);
	return ret;
}

/* A request naming one devfn, echoed: RELEASED_RESOURCES, EJECT_COMPLETE. */
static int pci_pvbus_devfn_request(struct pci_pvbus *pb, u16 type, u32 devfn)
{
	struct pvbus_pci_devfn_msg resp;
	size_t len;
	u32 status, got = devfn;
	int ret;

	ret = pci_pvbus_devfn_send(pb, type, devfn, &resp, sizeof(resp), &len,
				   &status);
	if (!ret)
		ret = pci_pvbus_check_devfn_msg(&resp, len, pb->version, type,
						&got);
	if (ret)
		pci_pvbus_fn_request_failed(pb, type, ret, status, devfn);
	return ret;
}

int pci_pvbus_release_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	fn->assigned = false;
	return pci_pvbus_devfn_request(pb, PVBUS_PCI_MSG_RELEASED_RESOURCES,
				      fn->desc.devfn);
}

int pci_pvbus_send_assigned(struct pci_pvbus *pb,
			    struct pci_pvbus_fn *fn)
{
	struct pvbus_pci_assigned req = {}, resp;
	unsigned int b;
	size_t len;
	u32 status;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_ASSIGNED_RESOURCES, pb->version,
		       sizeof(req));
	req.devfn = cpu_to_le32(fn->desc.devfn);
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		req.addr[b] = cpu_to_le64(fn->addr[b]);
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, &status);
	if (!ret)
		ret = pci_pvbus_check_assigned(&resp, len, pb->version, &req);
	if (ret) {
		pci_pvbus_fn_request_failed(pb, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					    ret, status, fn->desc.devfn);
		return ret;
	}
	fn->assigned = true;
	return 0;
}

static int pci_pvbus_d0_entry(struct pci_pvbus *pb, u32 *status)
{
	struct pvbus_pci_d0_entry req = {}, resp;
	unsigned long flags;
	size_t len;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_D0_ENTRY, pb->version,
		       sizeof(req));
	req.cfg_base = cpu_to_le64(pb->cfg->start);
	req.cfg_size = cpu_to_le32(PVBUS_PCI_CFG_WINDOW_SIZE);
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, status);
	if (!ret)
		ret = pci_pvbus_check_d0_entry(&resp, len, pb->version,
					       pb->cfg->start,
					       PVBUS_PCI_CFG_WINDOW_SIZE);
	trace_pci_pvbus_d0_entry(pb->name, pb->cfg->start, ret, *status);
	if (!ret) {
		spin_lock_irqsave(&pb->cfg_lock, flags);
		pb->d0 = true;
		spin_unlock_irqrestore(&pb->cfg_lock, flags);
	}
	return ret;
}

int pci_pvbus_d0_exit(struct pci_pvbus *pb)
{
	struct pvbus_msg_hdr req, resp;
	unsigned long flags;
	size_t len;
	u32 status;
	int ret;

	spin_lock_irqsave(&pb->cfg_lock, flags);
	pb->d0 = false;
	spin_unlock_irqrestore(&pb->cfg_lock, flags);

	pvbus_msg_init(&req, PVBUS_PCI_MSG_D0_EXIT, pb->version, sizeof(req));
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, &status);
	if (!ret)
		ret = pci_pvbus_check_bare(&resp, len, pb->version,
					   PVBUS_PCI_MSG_D0_EXIT);
	trace_pci_pvbus_d0_exit(pb->name, ret, status);
	if (ret)
		pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_D0_EXIT, ret, status,
					 "");
	return ret;
}

/* How many times a refused D0 entry is retried. */
static unsigned int pci_pvbus_d0_tries(void)
{
	int n = READ_ONCE(pci_pvbus_d0_retries);

	if (n < 0)
		n = is_kdump_kernel() ? PCI_PVBUS_D0_RETRIES_KDUMP : 1;
	return min_t(unsigned int, n, PCI_PVBUS_D0_RETRIES_MAX);
}

/*
 * Enter D0.  A host may still hold the state of a kernel that crashed
 * (this one is its kdump kernel): if it refuses, release every function,
 * exit D0 and try again, d0_retries times (in a kdump kernel, by default
 * %PCI_PVBUS_D0_RETRIES_KDUMP), the first retry at once, then after
 * d0_backoff_ms, doubled each time up to %PCI_PVBUS_D0_BACKOFF_MAX_MS.
 */
int pci_pvbus_enter_d0(struct pci_pvbus *pb)
{
	unsigned int tries = pci_pvbus_d0_tries(), i, wait = 0;
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;
	u32 status;
	int ret;

	ret = pci_pvbus_d0_entry(pb, &status);
	for (i = 1; ret == -EREMOTEIO && i <= tries; i++) {
		dev_warn(dev, "host refused D0 entry with config window %pR: status %#x (%s); exiting D0 and retrying (%u of %u)\n",
			 pb->cfg, status, pci_pvbus_status_name(status), i,
			 tries);
		list_for_each_entry(fn, &pb->fns, node)
			pci_pvbus_release_fn(pb, fn);
		pci_pvbus_d0_exit(pb);
		if (wait)
			msleep(wait);
		wait = wait ? min(2 * wait, PCI_PVBUS_D0_BACKOFF_MAX_MS) :
			      min(READ_ONCE(pci_pvbus_d0_backoff_ms),
				  PCI_PVBUS_D0_BACKOFF_MAX_MS);
		ret = pci_pvbus_d0_entry(pb, &status);
	}
	if (ret == -EREMOTEIO)
		dev_err(dev, "host refused D0 entry with config window %pR: status %#x (%s)\n",
			pb->cfg, status, pci_pvbus_status_name(status));
	else if (ret)
		dev_err(dev, "D0 entry with config window %pR failed: %d\n",
			pb->cfg, ret);
	return ret;
}

void pci_pvbus_set_listed(struct pci_pvbus *pb,
			  const struct pvbus_pci_fn_desc *desc,
			  unsigned int nr)
{
	unsigned int i;

	bitmap_zero(pb->listed, PVBUS_PCI_MAX_DEVFN + 1);
	for (i = 0; i < nr; i++)
		__set_bit(desc[i].devfn, pb->listed);
}

static bool pci_pvbus_same_fn(const struct pvbus_pci_fn_desc *a,
			      const struct pvbus_pci_fn_desc *b)
{
	return a->devfn == b->devfn && a->vendor == b->vendor &&
	       a->device == b->device && a->class == b->class &&
	       a->subsys_vendor == b->subsys_vendor &&
	       a->subsys_device == b->subsys_device && a->serial == b->serial;
}

/*
 * Hot add the @n functions @fns, planned together.  pci_lock_rescan_remove()
 * is held to place the BARs and to put the functions on the bus, never
 * while waiting for the host.  If they do not fit together and @split,
 * returns -ENOSPC with @fns untouched and nothing said, so that they can
 * be tried one at a time; otherwise every function ends on the bus or
 * freed.
 */
static int pci_pvbus_hot_add_set(struct pci_pvbus *pb,
				 struct pci_pvbus_fn **fns, unsigned int n,
				 bool split)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_plan plan;
	struct pci_pvbus_fn *fn;
	unsigned int i, spare;
	int ret;

	pci_lock_rescan_remove();
	ret = split ? pci_pvbus_try_place_fns(pb, fns, n, &plan) :
		      pci_pvbus_place_fns(pb, fns, n, &plan);
	if (ret) {
		pci_unlock_rescan_remove();
		if (ret == -ENOSPC && split)
			return ret;
		dev_err(dev, "hot add of %u function%s failed: %d\n", n,
			n == 1 ? "" : "s", ret);
		for (i = 0; i < n; i++)
			kfree(fns[i]);
		return ret;
	}
	ret = pci_pvbus_windows_add(pb, &plan, fns);
	pci_unlock_rescan_remove();
	/* On error the windows go back to the bus's MMIO space. */
	pci_pvbus_unplace(&plan, &pci_pvbus_mmio_ops, pb->pdev);
	pci_pvbus_plan_free(&plan);
	if (ret) {
		dev_err(dev, "hot add of %u function%s failed: %d\n", n,
			n == 1 ? "" : "s", ret);
		for (i = 0; i < n; i++)
			kfree(fns[i]);
		return ret;
	}

	/* Tell the host, without a global lock held; drop what it refuses. */
	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
	}
	for (i = 0; i < n; i++) {
		if (!pci_pvbus_offer_fn(pb, fns[i]))
			continue;
		pci_pvbus_remove_fn(pb, fns[i]);
		fns[i] = NULL;
	}

	pci_lock_rescan_remove();
	for (i = 0; i < n; i++) {
		if (!fns[i])
			continue;
		pci_pvbus_set_visible(pb, fns[i]->desc.devfn, true);
		pci_pvbus_add_fn(pb, fns[i]);
	}
	spare = pci_pvbus_spare_begin();
	pci_bus_add_devices(pb->bus);
	pci_pvbus_spare_end(spare);
	pci_unlock_rescan_remove();

	for (i = 0; i < n; i++) {
		fn = fns[i];
		if (!fn)
			continue;
		if (fn->present)
			dev_info(dev, "function %02x.%x (%04x:%04x) added\n",
				 PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn),
				 fn->desc.vendor, fn->desc.device);
		else
			pci_pvbus_drop_fn(pb, fn);
	}
	pci_lock_rescan_remove();
	pci_pvbus_windows_sweep(pb);
	pci_unlock_rescan_remove();
	return 0;
}

/*
 * Hot add @nr functions described by @desc: together, or, when they do not
 * fit together, one at a time, so that those that fit are added.
 */
static void pci_pvbus_hot_add(struct pci_pvbus *pb,
			      const struct pvbus_pci_fn_desc *desc,
			      unsigned int nr)
{
	struct pci_pvbus_fn *fns[PVBUS_PCI_MAX_FUNCTIONS];
	unsigned int i, n;

	n = pci_pvbus_new_fns(pb, desc, min_t(unsigned int, nr,
					      PVBUS_PCI_MAX_FUNCTIONS), fns);
	/* One function alone is refused, with a message, when it does not fit. */
	if (!n || pci_pvbus_hot_add_set(pb, fns, n, n > 1) != -ENOSPC ||
	    n == 1)
		return;
	dev_info(pci_pvbus_dev(pb),
		 "%u functions do not fit together: adding them one at a time\n",
		 n);
	for (i = 0; i < n; i++)
		pci_pvbus_hot_add_set(pb, &fns[i], 1, false);
}

/* A new list of functions: the functions gone go, the new ones come. */
static void pci_pvbus_apply_relations(struct pci_pvbus *pb,
				      const struct pvbus_pci_fn_desc *desc,
				      unsigned int nr)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pvbus_pci_fn_desc *add = pb->add_desc;
	struct pci_pvbus_fn *fn, *tmp;
	unsigned int i, j, n = 0, gone = 0;

	pci_pvbus_set_listed(pb, desc, nr);

	/* Gone from the list, or another function at the same devfn. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		for (i = 0; i < nr; i++)
			if (pci_pvbus_same_fn(&desc[i], &fn->desc))
				break;
		if (i < nr)
			continue;
		dev_info(dev, "function %02x.%x (%04x:%04x) is gone\n",
			 PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn),
			 fn->desc.vendor, fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
		gone++;
	}
	pci_lock_rescan_remove();
	pci_pvbus_windows_sweep(pb);
	pci_unlock_rescan_remove();

	for (i = 0; i < nr; i++) {
		if (pci_pvbus_find_fn(pb, desc[i].devfn))
			continue;
		for (j = 0; j < n; j++)
			if (add[j].devfn == desc[i].devfn)
				break;
		if (j == n)
			add[n++] = desc[i];
	}
	trace_pci_pvbus_relations(pb->name, nr, n, gone);
	if (n)
		pci_pvbus_hot_add(pb, add, n);
}

static void pci_pvbus_relations_changed(struct pci_pvbus *pb, const void *msg,
					size_t len)
{
	unsigned int nr;
	int ret;

	ret = pci_pvbus_parse_relations(msg, len, pb->version,
					PVBUS_PCI_MSG_RELATIONS_CHANGED,
					pb->desc, &nr);
	if (ret) {
		dev_err(pci_pvbus_dev(pb), "malformed RELATIONS_CHANGED dropped: %d\n",
			ret);
		return;
	}
	pci_pvbus_apply_relations(pb, pb->desc, nr);
}

/*
 * A RELATIONS_CHANGED that could not be queued: ask the host for the list
 * instead, so that a removal is applied all the same.
 */
static void pci_pvbus_requery(struct pci_pvbus *pb)
{
	unsigned int nr;

	dev_warn(pci_pvbus_dev(pb), "a list of functions was dropped: asking the host again\n");
	if (pci_pvbus_query_relations(pb, pb->desc, &nr))
		return;
	pci_pvbus_apply_relations(pb, pb->desc, nr);
}

static void pci_pvbus_eject_devfn(struct pci_pvbus *pb, u32 devfn)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;

	fn = pci_pvbus_find_fn(pb, devfn);
	trace_pci_pvbus_eject(pb->name, devfn, !!fn);
	if (fn) {
		dev_info(dev, "function %02x.%x (%04x:%04x) ejected\n",
			 PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			 fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
		pci_lock_rescan_remove();
		pci_pvbus_windows_sweep(pb);
		pci_unlock_rescan_remove();
	} else if (test_bit(devfn, pb->listed)) {
		/* Listed, but left out: there is nothing to remove. */
		dev_info(dev, "function %02x.%x ejected\n", PCI_SLOT(devfn),
			 PCI_FUNC(devfn));
	} else {
		dev_warn_ratelimited(dev,
				     "host ejects %02x.%x, which it never listed: ignored\n",
				     PCI_SLOT(devfn), PCI_FUNC(devfn));
		return;
	}
	__clear_bit(devfn, pb->listed);
	pci_pvbus_devfn_request(pb, PVBUS_PCI_MSG_EJECT_COMPLETE, devfn);
}

static void pci_pvbus_eject(struct pci_pvbus *pb, const void *msg, size_t len)
{
	u32 devfn;
	int ret;

	ret = pci_pvbus_check_devfn_msg(msg, len, pb->version,
					PVBUS_PCI_MSG_EJECT, &devfn);
	if (ret) {
		dev_err(pci_pvbus_dev(pb), "malformed EJECT dropped: %d\n", ret);
		return;
	}
	pci_pvbus_eject_devfn(pb, devfn);
}

struct pci_pvbus_note {
	struct list_head node;
	u16 type;
	size_t len;
	u8 msg[];
};

static void pci_pvbus_handle(struct pci_pvbus *pb, const void *msg,
			     size_t len)
{
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);

	mutex_lock(&pb->lock);
	if (pb->state != PCI_PVBUS_RUNNING) {
		dev_warn(pci_pvbus_dev(pb), "%s while the bus is not running: dropped\n",
			 pci_pvbus_type_name(type));
	} else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		pci_pvbus_relations_changed(pb, msg, len);
	} else {
		pci_pvbus_eject(pb, msg, len);
	}
	mutex_unlock(&pb->lock);
}

/* What could not be queued: a new list asked for, ejects answered. */
static void pci_pvbus_handle_lost(struct pci_pvbus *pb, bool relations,
				  const unsigned long *ejects)
{
	unsigned int devfn;

	mutex_lock(&pb->lock);
	if (pb->state == PCI_PVBUS_RUNNING) {
		if (relations)
			pci_pvbus_requery(pb);
		for_each_set_bit(devfn, ejects, PVBUS_PCI_MAX_DEVFN + 1)
			pci_pvbus_eject_devfn(pb, devfn);
	}
	mutex_unlock(&pb->lock);
}

void pci_pvbus_work(struct work_struct *work)
{
	struct pci_pvbus *pb = container_of(work, struct pci_pvbus, work);
	DECLARE_BITMAP(ejects, PVBUS_PCI_MAX_DEVFN + 1);
	struct pci_pvbus_note *note;
	unsigned long flags;
	bool dying, relations;

	for (;;) {
		spin_lock_irqsave(&pb->note_lock, flags);
		note = list_first_entry_or_null(&pb->notes,
						struct pci_pvbus_note, node);
		if (note) {
			list_del(&note->node);
			pb->nr_notes--;
		}
		relations = !note && pb->lost_relations;
		bitmap_zero(ejects, PVBUS_PCI_MAX_DEVFN + 1);
		if (!note) {
			bitmap_copy(ejects, pb->lost_ejects,
				    PVBUS_PCI_MAX_DEVFN + 1);
			bitmap_zero(pb->lost_ejects, PVBUS_PCI_MAX_DEVFN + 1);
			pb->lost_relations = false;
		}
		dying = pb->dying;
		spin_unlock_irqrestore(&pb->note_lock, flags);
		if (dying) {
			kfree(note);
			if (!note)
				return;
			continue;
		}
		if (note) {
			pci_pvbus_handle(pb, note->msg, note->len);
			kfree(note);
			continue;
		}
		if (!relations && bitmap_empty(ejects, PVBUS_PCI_MAX_DEVFN + 1))
			return;
		pci_pvbus_handle_lost(pb, relations, ejects);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_work);

/*
 * A notification that cannot be queued (the queue is full, or there is no
 * memory): counted and logged, and never lost where it matters: an eject is
 * remembered in a bitmap and answered once the queue is handled, a list of
 * functions is asked for again.  Called with @pb->note_lock held.
 */
static void pci_pvbus_note_lost(struct pci_pvbus *pb, u16 type, u32 devfn,
				const char *why)
{
	pb->nr_notes_dropped++;
	if (type == PVBUS_PCI_MSG_EJECT)
		__set_bit(devfn, pb->lost_ejects);
	else
		pb->lost_relations = true;
	dev_err_ratelimited(pci_pvbus_dev(pb),
			    "%s not queued (%s): %llu dropped so far, handled later\n",
			    pci_pvbus_type_name(type), why,
			    pb->nr_notes_dropped);
}

/*
 * A validated notification: queue it for the workqueue.  The channel has
 * matched it against pci_pvbus_msg_specs, so its length is exactly that of
 * its type, at most a RELATIONS_CHANGED of %PVBUS_PCI_MAX_FUNCTIONS.  The
 * queue is bounded (%PCI_PVBUS_MAX_NOTES); a list of functions that follows
 * another one still queued replaces it, since only the newer one counts.
 */
void pci_pvbus_notify(struct pvbus_device *pdev, const void *msg,
		      size_t len)
{
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);
	struct pci_pvbus_note *note, *last, *old = NULL;
	unsigned long flags;
	u32 devfn = 0;

	if (!pb)
		return;
	if (type != PVBUS_PCI_MSG_RELATIONS_CHANGED &&
	    type != PVBUS_PCI_MSG_EJECT) {
		dev_warn_ratelimited(&pdev->dev, "unexpected notification of type %#x dropped\n",
				     type);
		return;
	}
	if (type == PVBUS_PCI_MSG_EJECT &&
	    pci_pvbus_check_devfn_msg(msg, len, pb->version, type, &devfn)) {
		dev_err_ratelimited(&pdev->dev, "malformed EJECT dropped\n");
		return;
	}

	note = kmalloc(struct_size(note, msg, len), GFP_KERNEL);
	if (note) {
		note->type = type;
		note->len = len;
		memcpy(note->msg, msg, len);
	}

	spin_lock_irqsave(&pb->note_lock, flags);
	if (pb->dying)
		goto out_unlock;
	last = list_empty(&pb->notes) ? NULL :
	       list_last_entry(&pb->notes, struct pci_pvbus_note, node);
	if (!note) {
		pci_pvbus_note_lost(pb, type, devfn, "no memory");
	} else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED && last &&
		   last->type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		list_replace(&last->node, &note->node);
		old = last;
		note = NULL;
		pb->nr_notes_merged++;
	} else if (pb->nr_notes >= PCI_PVBUS_MAX_NOTES) {
		pci_pvbus_note_lost(pb, type, devfn, "queue full");
	} else {
		list_add_tail(&note->node, &pb->notes);
		pb->nr_notes++;
		note = NULL;
	}
	queue_work(pb->wq, &pb->work);
out_unlock:
	spin_unlock_irqrestore(&pb->note_lock, flags);
	kfree(note);
	kfree(old);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_notify);

/* No more notifications; those queued are dropped. */
void pci_pvbus_stop_notes(struct pci_pvbus *pb)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	pb->dying = true;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	destroy_workqueue(pb->wq);
}

