// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the requests to the host.  Each waits for its answer, which
 * pci-pvbus-msg.c checks: version negotiation, the list of functions and
 * their BARs, D0 entry and exit, the resources assigned to a function and
 * released by it, and the end of an eject.  The host's notifications are
 * pci-pvbus-notify.c's.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/crash_dump.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pci-pvbus.h"

#include <trace/events/pci_pvbus.h>

/*
 * A request timed out.  A host that does not answer while the bus goes is
 * not waited for again: a hot add in flight and the teardown would
 * otherwise wait a timeout for each request they have left, and the
 * unbind with them.  While probe sets the bus up (or undoes it), a second
 * timeout in a row is the last: probe would otherwise wait two for each
 * function the host listed (ASSIGNED_RESOURCES, then RELEASED_RESOURCES),
 * minutes with the device lock held and the host's revoke waiting behind
 * it.  One is allowed, since an unanswered ASSIGNED_RESOURCES is answered
 * by releasing what it assigned; an answer in between starts the count
 * again, and so does a D0_ENTRY (pci_pvbus_d0_entry()).
 */
static void pci_pvbus_timed_out(struct pci_pvbus *pb)
{
	const char *when;

	if (READ_ONCE(pb->host_gone))
		return;
	if (READ_ONCE(pb->dying))
		when = "while the bus goes";
	else if (pb->state != PCI_PVBUS_RUNNING && ++pb->setup_timeouts >= 2)
		when = "twice while the bus is set up";
	else
		return;
	WRITE_ONCE(pb->host_gone, true);
	dev_warn(pci_pvbus_dev(pb), "the host did not answer %s: nothing more is sent to it\n",
		 when);
}

/*
 * Send a request and wait for the answer, at most request_timeout_ms.  A
 * refusal returns -EREMOTEIO with the host's status in *@status; a host
 * taken as gone (above), -ESHUTDOWN.  @seq, if not NULL: the answer's
 * place among the host's messages (pvbus_channel_request_seq()).
 */
static int pci_pvbus_request_seq(struct pci_pvbus *pb, void *req,
				 size_t req_len, void *resp, size_t resp_size,
				 size_t *resp_len, u32 *status, u64 *seq)
{
	int ret;

	*status = PVBUS_STATUS_SUCCESS;
	if (READ_ONCE(pb->host_gone))
		return -ESHUTDOWN;
	ret = pvbus_channel_request_seq(pb->pdev->chan, req, req_len, resp,
					resp_size, resp_len,
					READ_ONCE(pci_pvbus_timeout_ms), seq);
	if (ret == -EREMOTEIO)
		*status = le32_to_cpu(((struct pvbus_msg_hdr *)resp)->status);
	if (ret == -ETIMEDOUT)
		pci_pvbus_timed_out(pb);
	else if (ret != -EINTR)		/* no answer either */
		pb->setup_timeouts = 0;
	return ret;
}

static int pci_pvbus_request(struct pci_pvbus *pb, void *req, size_t req_len,
			     void *resp, size_t resp_size, size_t *resp_len,
			     u32 *status)
{
	return pci_pvbus_request_seq(pb, req, req_len, resp, resp_size,
				     resp_len, status, NULL);
}

const char *pci_pvbus_type_name(u16 type)
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
		/* Read by pci_pvbus_notify(), which may run meanwhile. */
		WRITE_ONCE(pb->version, v);
		return 0;
	}
	dev_err(pci_pvbus_dev(pb), "host accepts no protocol version from %u.%u to %u.%u\n",
		PVBUS_PCI_VERSION_MIN >> 8, PVBUS_PCI_VERSION_MIN & 0xff,
		PVBUS_PCI_VERSION_MAX >> 8, PVBUS_PCI_VERSION_MAX & 0xff);
	return -EPROTONOSUPPORT;
}

/*
 * QUERY_RELATIONS: the functions behind the bus, in @desc; @seq, if not
 * NULL, the answer's place among the host's messages.
 */
int pci_pvbus_query_relations(struct pci_pvbus *pb,
			      struct pvbus_pci_fn_desc *desc,
			      unsigned int *nr, u64 *seq)
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
	ret = pci_pvbus_request_seq(pb, &req, sizeof(req), resp, size, &len,
				    &status, seq);
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

/*
 * QUERY_RESOURCES: a function's BARs as the host probed them.  Returns
 * -ENOENT, and says nothing, if the host has no such function: the caller
 * knows whether that is an error.
 */
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
	if (ret == -EREMOTEIO && status == PVBUS_STATUS_NOT_FOUND)
		return -ENOENT;
	if (ret)
		pci_pvbus_fn_request_failed(pb, PVBUS_PCI_MSG_QUERY_RESOURCES,
					    ret, status, fn->desc.devfn);
	return ret;
}

/*
 * A function given back, RELEASED_RESOURCES or EJECT_COMPLETE, echoed.
 * Returns 0 if the host confirmed it, or answered that it has no such
 * function: it took the function away meanwhile (a surprise removal that
 * crossed the guest's answer) and decodes nothing of it.
 */
static int pci_pvbus_give_back(struct pci_pvbus *pb, u16 type, u32 devfn)
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
	if (ret == -EREMOTEIO && status == PVBUS_STATUS_NOT_FOUND) {
		dev_info(pci_pvbus_dev(pb), "%s of %02x.%x: the host no longer has the function\n",
			 pci_pvbus_type_name(type), PCI_SLOT(devfn),
			 PCI_FUNC(devfn));
		return 0;
	}
	if (ret)
		pci_pvbus_fn_request_failed(pb, type, ret, status, devfn);
	return ret;
}

int pci_pvbus_release_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	fn->assigned = false;
	return pci_pvbus_give_back(pb, PVBUS_PCI_MSG_RELEASED_RESOURCES,
				   fn->desc.devfn);
}

int pci_pvbus_eject_complete(struct pci_pvbus *pb, u32 devfn)
{
	return pci_pvbus_give_back(pb, PVBUS_PCI_MSG_EJECT_COMPLETE, devfn);
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
	/*
	 * Its count of timeouts starts again: an entry that times out may
	 * have been made, and the D0_EXIT that undoes it must not be the
	 * second of a count an earlier silence (a QUERY_RESOURCES, a D0_EXIT
	 * between refused entries) began, which would send nothing while
	 * the host decodes the window probe frees.
	 */
	pb->setup_timeouts = 0;
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, status);
	if (!ret)
		ret = pci_pvbus_check_d0_entry(&resp, len, pb->version,
					       pb->cfg->start,
					       PVBUS_PCI_CFG_WINDOW_SIZE);
	trace_pci_pvbus_d0_entry(pb->name, pb->cfg->start, ret, *status);
	if (!ret) {
		raw_spin_lock_irqsave(&pb->cfg_lock, flags);
		pb->d0 = true;
		raw_spin_unlock_irqrestore(&pb->cfg_lock, flags);
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

	raw_spin_lock_irqsave(&pb->cfg_lock, flags);
	pb->d0 = false;
	raw_spin_unlock_irqrestore(&pb->cfg_lock, flags);

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
 * Between refused D0 entries: release every function the host listed
 * (those probe left out too: a crashed kernel may have placed them) and
 * exit D0, which drops what the host may still hold of a crashed kernel,
 * then wait @wait_ms.  A killed task would have each request given up at
 * once: it sends no more and returns -EINTR.
 */
static int pci_pvbus_d0_reset(struct pci_pvbus *pb, unsigned int wait_ms)
{
	long left = msecs_to_jiffies(wait_ms);
	struct pci_pvbus_fn *fn;
	unsigned int devfn;

	for_each_set_bit(devfn, pb->listed, PVBUS_PCI_MAX_DEVFN + 1) {
		if (fatal_signal_pending(current))
			return -EINTR;
		fn = pci_pvbus_find_fn(pb, devfn);
		if (fn)
			pci_pvbus_release_fn(pb, fn);
		else
			pci_pvbus_give_back(pb, PVBUS_PCI_MSG_RELEASED_RESOURCES,
					    devfn);
	}
	if (fatal_signal_pending(current))
		return -EINTR;
	pci_pvbus_d0_exit(pb);
	while (left > 0 && !fatal_signal_pending(current))
		left = schedule_timeout_killable(left);
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/*
 * Enter D0.  A host may still hold the state of a kernel that crashed
 * (this one is its kdump kernel): if it refuses, release every function,
 * exit D0 and try again, d0_retries times (in a kdump kernel, by default
 * %PCI_PVBUS_D0_RETRIES_KDUMP), the first retry at once, then after
 * d0_backoff_ms, doubled each time up to %PCI_PVBUS_D0_BACKOFF_MAX_MS.
 * A task killed meanwhile stops where it is, with -EINTR: the host refused
 * the entry, so there is no D0 to undo.
 */
int pci_pvbus_enter_d0(struct pci_pvbus *pb)
{
	unsigned int tries = pci_pvbus_d0_tries(), i, wait = 0;
	struct device *dev = pci_pvbus_dev(pb);
	u32 status;
	int ret;

	ret = pci_pvbus_d0_entry(pb, &status);
	for (i = 1; ret == -EREMOTEIO && i <= tries; i++) {
		if (fatal_signal_pending(current))
			return -EINTR;
		dev_warn(dev, "host refused D0 entry with config window %pR: status %#x (%s); exiting D0 and retrying (%u of %u)\n",
			 pb->cfg, status, pci_pvbus_status_name(status), i,
			 tries);
		ret = pci_pvbus_d0_reset(pb, wait);
		if (ret)
			return ret;
		wait = wait ? min(2 * wait, PCI_PVBUS_D0_BACKOFF_MAX_MS) :
			      min(READ_ONCE(pci_pvbus_d0_backoff_ms),
				  PCI_PVBUS_D0_BACKOFF_MAX_MS);
		ret = pci_pvbus_d0_entry(pb, &status);
	}
	if (ret == -EREMOTEIO) {
		dev_err(dev, "host refused D0 entry with config window %pR: status %#x (%s)\n",
			pb->cfg, status, pci_pvbus_status_name(status));
	} else if (ret) {
		/*
		 * No answer in time, or not one for this window: the host
		 * may have entered D0 and decode the window, which is freed
		 * next.  Undo it, unless the host is gone.
		 */
		dev_err(dev, "D0 entry with config window %pR failed: %d; exiting D0 in case the host entered it\n",
			pb->cfg, ret);
		if (ret != -ENODEV)
			pci_pvbus_d0_exit(pb);
	}
	return ret;
}
