// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the host's side of a paravirtual PCI bus (<linux/pvbus_pci.h>).
 *
 * A device of class %PVBUS_PCI_CLASS is a bus; behind it are the functions
 * configfs gave it.  The host answers the guest's requests as a real one
 * would, with the checks a real one makes:
 *
 * - QUERY_VERSION settles on 1.1 or 1.0, no newer than the bus's
 *   max_version; every other request must be written in that version;
 * - D0_ENTRY is refused (%PVBUS_STATUS_REFUSED) for a config window that
 *   is not %PVBUS_PCI_CFG_WINDOW_SIZE bytes, not 4 KiB aligned, not inside
 *   one of the bus's MMIO windows, or that overlaps a range the host
 *   reserved (its idea of the framebuffer); a bus in D0 already answers
 *   %PVBUS_STATUS_BUSY, as a host that still holds a crashed kernel's
 *   state does;
 * - ASSIGNED_RESOURCES is refused for a BAR that is not naturally aligned,
 *   not inside a window, a 32-bit BAR not below 4 GiB, or a BAR that
 *   overlaps another BAR of any function, the config window or a reserved
 *   range.
 *
 * Config space is emulated through the host backend's window operations:
 * a write to page 0 of the config window selects a function, page 1 is
 * its type-0 header, with BARs that size as real ones do.  The window
 * operations run in atomic context, so everything they touch is under a
 * spinlock and allocates nothing.
 *
 * Hot add puts a function into the relations and sends RELATIONS_CHANGED;
 * eject sends EJECT, and the function leaves the relations when the guest
 * answers with EJECT_COMPLETE.
 *
 * A function may be a real one passed through (passthrough.c): its config
 * space is then the real function's, forwarded, but for what a hypervisor
 * keeps to itself.  Its BARs are emulated as those of any function, so
 * that sizing never reaches the real ones, and the real function decodes
 * memory only where and while the host allows it: the guest turned memory
 * decode on, the bus is in D0, and every memory BAR is where the last
 * ASSIGNED_RESOURCES the host accepted put it.  The guest's BAR addresses
 * are written into the real BARs just before decode goes on.  When the
 * guest gives the function up (RELEASED_RESOURCES, D0_EXIT, EJECT_COMPLETE)
 * or the host takes it away, the real function stops decoding and
 * mastering at once.
 *
 * One file per job, meeting in pci.h: this one holds the bus's functions
 * and answers the protocol; pci_emul.c emulates config space, pci_forward.c
 * forwards a passed-through function's, pci_window.c dispatches the config
 * window's accesses, pci_checks.c makes the host's address checks and
 * pci_hotplug.c does what configfs asks of an offered bus.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "host.h"
#include "pci.h"

/* ---------------------------------------------------------------------
 * Functions and their BARs
 */

struct pvbus_sim_pci_fn *pvbus_sim_pci_find(struct pvbus_sim_pci *pci,
					    u32 devfn)
{
	unsigned int i;

	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++)
		if (pci->fn[i].state != PVBUS_SIM_PCI_ABSENT &&
		    pci->fn[i].desc.id.devfn == devfn)
			return &pci->fn[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_find);

/*
 * Put @desc into a free entry: present, registers reset.  A real function
 * passed through decodes nothing until the guest enables it.
 */
int pvbus_sim_pci_fn_add(struct pvbus_sim_pci *pci,
			 const struct pvbus_sim_pci_fn_desc *desc)
{
	struct pvbus_sim_pci_fn *fn = NULL;
	unsigned int i;

	if (desc->id.devfn > PVBUS_PCI_MAX_DEVFN)
		return -EINVAL;
	if (pvbus_sim_pci_find(pci, desc->id.devfn))
		return -EEXIST;
	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS && !fn; i++)
		if (pci->fn[i].state == PVBUS_SIM_PCI_ABSENT)
			fn = &pci->fn[i];
	if (!fn)
		return -ENOSPC;

	pvbus_sim_pci_config_reset(fn, desc);
	if (desc->pt)
		pvbus_sim_pci_pt_fence(fn);
	return 0;
}

/*
 * @fn leaves the relations: a real function behind it stops decoding and
 * mastering before the entry is free.
 */
void pvbus_sim_pci_fn_drop(struct pvbus_sim_pci_fn *fn)
{
	pvbus_sim_pci_pt_fence(fn);
	fn->state = PVBUS_SIM_PCI_ABSENT;
}

/* ---------------------------------------------------------------------
 * The protocol
 */

#define PVBUS_SIM_PCI_PAYLOAD(s)	(sizeof(s) - sizeof(struct pvbus_msg_hdr))

#define PVBUS_SIM_PCI_SPEC(t, s) {				\
	.type		= (t),					\
	.min_version	= PVBUS_PCI_VERSION_MIN,		\
	.max_version	= PVBUS_PCI_VERSION_MAX,		\
	.fixed_len	= PVBUS_SIM_PCI_PAYLOAD(s),		\
}

static const char *pvbus_sim_pci_type_name(u16 type)
{
	static const char *const names[] = {
		"QUERY_VERSION", "D0_ENTRY", "D0_EXIT", "QUERY_RELATIONS",
		"QUERY_RESOURCES", "ASSIGNED_RESOURCES", "RELEASED_RESOURCES",
		"RELATIONS_CHANGED", "EJECT", "EJECT_COMPLETE",
	};

	type -= PVBUS_PCI_MSG_QUERY_VERSION;
	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

/* Refuse a request with @status, for the reason @why. */
static u32 pvbus_sim_pci_why(struct pvbus_sim_pci *pci, u32 status,
			     const char *why)
{
	pci->why = why;
	return status;
}

/* Likewise, and say so in the log (pvbus_sim_pci_unlock()). */
static u32 pvbus_sim_pci_refuse(struct pvbus_sim_dev *sdev,
				struct pvbus_sim_pci *pci, u16 type,
				u32 status, const char *why)
{
	snprintf(pci->say, sizeof(pci->say), "%s refused with status %#x: %s",
		 pvbus_sim_pci_type_name(type), status, why);
	return pvbus_sim_pci_why(pci, status, why);
}

/*
 * Log lines are written into the bus under its lock (@pci->say) and
 * printed without it: the lock is raw, and a console, however slow, takes
 * locks that sleep on PREEMPT_RT.
 */

/*
 * Move a line kept under @pci->lock (@from: @pci->say or @pci->later) to
 * @to, of @size bytes, and clear @from; "" for none.
 */
static void pvbus_sim_pci_take_line(struct pvbus_sim_pci *pci, char *to,
				    char *from, size_t size)
{
	lockdep_assert_held(&pci->lock);
	strscpy(to, from, size);
	from[0] = '\0';
}

/* Drop @pci->lock, then log the refusal recorded under it, if any. */
static void pvbus_sim_pci_unlock(struct pvbus_sim_dev *sdev,
				 struct pvbus_sim_pci *pci)
	__releases(&pci->lock)
{
	char say[PVBUS_SIM_PCI_SAY_LEN];

	pvbus_sim_pci_take_line(pci, say, pci->say, sizeof(say));
	raw_spin_unlock_irq(&pci->lock);
	if (say[0])
		pr_info_ratelimited("%s: %s\n", sdev->host->host.name, say);
}

/**
 * pvbus_sim_pci_say_later() - log the line recorded, from a work item
 * @sdev: the device
 * @pci: the bus, its lock held
 *
 * For the window operations, which run under the caller's raw locks too
 * (pci-pvbus's config lock, the PCI core's pci_lock): printed there, the
 * line would take the console's locks under them.  Of lines recorded
 * faster than the work item runs, the last is printed, with the name of
 * the host (its first %PVBUS_SIM_PCI_NAME_SHOWN characters) as
 * pvbus_sim_pci_unlock() prints its lines.
 */
void pvbus_sim_pci_say_later(struct pvbus_sim_dev *sdev,
			     struct pvbus_sim_pci *pci)
{
	lockdep_assert_held(&pci->lock);
	if (!pci->say[0])
		return;
	snprintf(pci->later, sizeof(pci->later), "%.*s: %s",
		 PVBUS_SIM_PCI_NAME_SHOWN, sdev->host->host.name, pci->say);
	pci->say[0] = '\0';
	schedule_work(&pci->say_work);
}

static void pvbus_sim_pci_say_work(struct work_struct *work)
{
	struct pvbus_sim_pci *pci = container_of(work, struct pvbus_sim_pci,
						 say_work);
	char say[PVBUS_SIM_PCI_LATER_LEN];
	unsigned long flags;

	raw_spin_lock_irqsave(&pci->lock, flags);
	pvbus_sim_pci_take_line(pci, say, pci->later, sizeof(say));
	if (say[0]) {
		pci->said_later++;
		strscpy(pci->said, say, sizeof(pci->said));
	}
	raw_spin_unlock_irqrestore(&pci->lock, flags);
	if (say[0])
		pr_info_ratelimited("%s\n", say);
}

/*
 * Start a handler, under @pci->lock: the request must be written in the
 * version negotiated.
 */
static u32 pvbus_sim_pci_begin(struct pvbus_sim_dev *sdev,
			       struct pvbus_sim_pci *pci, const void *req)
{
	const struct pvbus_msg_hdr *hdr = req;
	u16 type = le16_to_cpu(hdr->type);

	lockdep_assert_held(&pci->lock);
	pci->why = NULL;
	if (!pci->version)
		return pvbus_sim_pci_refuse(sdev, pci, type,
					    PVBUS_STATUS_UNSUPPORTED,
					    "no protocol version negotiated yet");
	if (le16_to_cpu(hdr->version) != pci->version)
		return pvbus_sim_pci_refuse(sdev, pci, type,
					    PVBUS_STATUS_UNSUPPORTED,
					    "not written in the version negotiated");
	return PVBUS_STATUS_SUCCESS;
}

/* Zero the payload of the message @msg of @len bytes. */
static void pvbus_sim_pci_zero_payload(void *msg, size_t len)
{
	memset((u8 *)msg + sizeof(struct pvbus_msg_hdr), 0,
	       len - sizeof(struct pvbus_msg_hdr));
}

/* Echo the request @req as the response. */
static u32 pvbus_sim_pci_echo(const void *req, size_t len, void *resp,
			      size_t *resp_len)
{
	memcpy(resp + sizeof(struct pvbus_msg_hdr),
	       req + sizeof(struct pvbus_msg_hdr),
	       len - sizeof(struct pvbus_msg_hdr));
	*resp_len = len;
	return PVBUS_STATUS_SUCCESS;
}

static u32 pvbus_sim_pci_query_version(struct pvbus_sim_dev *sdev,
				       const void *req, size_t len,
				       void *resp, size_t *resp_len)
{
	const struct pvbus_pci_version *rq = req;
	struct pvbus_pci_version *rp = resp;
	struct pvbus_sim_pci *pci = sdev->cls;
	u16 v = le16_to_cpu(rq->version);
	u32 status = PVBUS_STATUS_SUCCESS;

	raw_spin_lock_irq(&pci->lock);
	pci->why = NULL;
	if (rq->reserved[0] || rq->reserved[1] || rq->reserved[2] ||
	    v != le16_to_cpu(rq->hdr.version))
		status = pvbus_sim_pci_refuse(sdev, pci, PVBUS_PCI_MSG_QUERY_VERSION,
					      PVBUS_STATUS_INVALID,
					      "reserved fields set, or a version other than its header's");
	else if (v != PVBUS_PCI_VERSION_1_0 && v != PVBUS_PCI_VERSION_1_1)
		status = pvbus_sim_pci_refuse(sdev, pci, PVBUS_PCI_MSG_QUERY_VERSION,
					      PVBUS_STATUS_UNSUPPORTED,
					      "not a version the host knows");
	else if (v > pci->max_version)
		status = pvbus_sim_pci_refuse(sdev, pci, PVBUS_PCI_MSG_QUERY_VERSION,
					      PVBUS_STATUS_UNSUPPORTED,
					      "newer than the bus's max_version");
	/* It negotiates anew: a version refused leaves none negotiated. */
	pci->version = status ? 0 : v;
	pvbus_sim_pci_unlock(sdev, pci);
	if (status)
		return status;

	pvbus_sim_pci_zero_payload(rp, sizeof(*rp));
	rp->version = rq->version;
	*resp_len = sizeof(*rp);
	return PVBUS_STATUS_SUCCESS;
}

static u32 pvbus_sim_pci_d0_entry(struct pvbus_sim_dev *sdev, const void *req,
				  size_t len, void *resp, size_t *resp_len)
{
	const struct pvbus_pci_d0_entry *rq = req;
	struct pvbus_sim_pci *pci = sdev->cls;
	u64 base = le64_to_cpu(rq->cfg_base);
	u32 size = le32_to_cpu(rq->cfg_size);
	const char *why;
	u32 status;

	if (rq->reserved)
		return PVBUS_STATUS_INVALID;

	mutex_lock(&sdev->host->addr_lock);
	raw_spin_lock_irq(&pci->lock);
	status = pvbus_sim_pci_begin(sdev, pci, req);
	if (status)
		goto out;
	if (pci->d0) {
		status = pvbus_sim_pci_refuse(sdev, pci, PVBUS_PCI_MSG_D0_ENTRY,
					      PVBUS_STATUS_BUSY,
					      "the bus is in D0 already");
		goto out;
	}
	why = pvbus_sim_pci_check_cfg(sdev, base, size);
	if (why) {
		snprintf(pci->say, sizeof(pci->say),
			 "D0_ENTRY with config window %#llx size %#x refused: %s",
			 base, size, why);
		status = pvbus_sim_pci_why(pci, PVBUS_STATUS_REFUSED, why);
		goto out;
	}
	pci->d0 = true;
	pci->cfg_base = base;
	pci->selected = PVBUS_SIM_PCI_NO_DEVFN;
out:
	pvbus_sim_pci_unlock(sdev, pci);
	mutex_unlock(&sdev->host->addr_lock);
	return status ?: pvbus_sim_pci_echo(req, len, resp, resp_len);
}

/*
 * Out of D0: no config window, and every real function behind the bus
 * stops decoding and mastering.  Under the bus's lock.
 */
static void pvbus_sim_pci_leave_d0(struct pvbus_sim_pci *pci)
{
	unsigned int i;

	pci->d0 = false;
	pci->cfg_base = 0;
	pci->selected = PVBUS_SIM_PCI_NO_DEVFN;
	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++)
		if (pci->fn[i].state != PVBUS_SIM_PCI_ABSENT)
			pvbus_sim_pci_pt_fence(&pci->fn[i]);
}

static u32 pvbus_sim_pci_d0_exit(struct pvbus_sim_dev *sdev, const void *req,
				 size_t len, void *resp, size_t *resp_len)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	u32 status;

	raw_spin_lock_irq(&pci->lock);
	status = pvbus_sim_pci_begin(sdev, pci, req);
	if (!status)
		pvbus_sim_pci_leave_d0(pci);
	pvbus_sim_pci_unlock(sdev, pci);
	*resp_len = sizeof(struct pvbus_msg_hdr);
	return status;
}

/*
 * Fill @rel with the functions in the relations, as the version negotiated
 * describes them; return its length.
 */
size_t pvbus_sim_pci_relations(struct pvbus_sim_pci *pci,
			       struct pvbus_pci_relations *rel)
{
	struct pvbus_pci_fn_desc id;
	unsigned int i, n = 0;

	lockdep_assert_held(&pci->lock);

	pvbus_sim_pci_zero_payload(rel, sizeof(*rel));
	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++) {
		if (pci->fn[i].state == PVBUS_SIM_PCI_ABSENT)
			continue;
		id = pci->fn[i].desc.id;
		/* Version 1.0 defines no flag. */
		if (pci->version < PVBUS_PCI_VERSION_1_1)
			id.flags = 0;
		pvbus_pci_fn_encode(&rel->fn[n++], &id);
	}
	rel->count = cpu_to_le32(n);
	return struct_size(rel, fn, n);
}

static u32 pvbus_sim_pci_query_relations(struct pvbus_sim_dev *sdev,
					 const void *req, size_t len,
					 void *resp, size_t *resp_len)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	u32 status;

	static_assert(PVBUS_SIM_PCI_REL_MAX <= PVBUS_SIM_RESP_MAX);

	raw_spin_lock_irq(&pci->lock);
	status = pvbus_sim_pci_begin(sdev, pci, req);
	if (!status)
		*resp_len = pvbus_sim_pci_relations(pci, resp);
	pvbus_sim_pci_unlock(sdev, pci);
	return status;
}

/*
 * Find the function a devfn request names, under @pci->lock; NULL with a
 * refusal in *@status.
 */
static struct pvbus_sim_pci_fn *
pvbus_sim_pci_req_fn(struct pvbus_sim_dev *sdev, struct pvbus_sim_pci *pci,
		     const void *req, u32 *status)
{
	const struct pvbus_msg_hdr *hdr = req;
	const struct pvbus_pci_devfn_msg *rq = req;
	struct pvbus_sim_pci_fn *fn;

	/* &pvbus_pci_assigned starts as &pvbus_pci_devfn_msg does. */
	BUILD_BUG_ON(offsetof(struct pvbus_pci_assigned, devfn) !=
		     offsetof(struct pvbus_pci_devfn_msg, devfn));
	BUILD_BUG_ON(offsetof(struct pvbus_pci_assigned, reserved) !=
		     offsetof(struct pvbus_pci_devfn_msg, reserved));

	*status = pvbus_sim_pci_begin(sdev, pci, req);
	if (*status)
		return NULL;
	if (rq->reserved) {
		*status = pvbus_sim_pci_refuse(sdev, pci, le16_to_cpu(hdr->type),
					       PVBUS_STATUS_INVALID,
					       "reserved field set");
		return NULL;
	}
	fn = pvbus_sim_pci_find(pci, le32_to_cpu(rq->devfn));
	if (!fn)
		*status = pvbus_sim_pci_refuse(sdev, pci, le16_to_cpu(hdr->type),
					       PVBUS_STATUS_NOT_FOUND,
					       "no such function");
	return fn;
}

static u32 pvbus_sim_pci_query_resources(struct pvbus_sim_dev *sdev,
					 const void *req, size_t len,
					 void *resp, size_t *resp_len)
{
	const struct pvbus_pci_devfn_msg *rq = req;
	struct pvbus_pci_resources *rp = resp;
	struct pvbus_sim_pci *pci = sdev->cls;
	struct pvbus_sim_pci_fn *fn;
	bool preserve;
	unsigned int b;
	u32 status;

	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_req_fn(sdev, pci, req, &status);
	if (fn) {
		pvbus_sim_pci_zero_payload(rp, sizeof(*rp));
		rp->devfn = rq->devfn;
		preserve = (fn->desc.id.flags & PVBUS_PCI_FN_PRESERVE) &&
			   pci->version >= PVBUS_PCI_VERSION_1_1;
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
			rp->bar[b].probed =
				cpu_to_le32(pvbus_sim_pci_bar_probe(&fn->desc, b));
			if (preserve)
				rp->bar[b].host_addr =
					cpu_to_le64(fn->desc.bar[b].host_addr);
		}
		*resp_len = sizeof(*rp);
	}
	pvbus_sim_pci_unlock(sdev, pci);
	return status;
}

static u32 pvbus_sim_pci_assigned(struct pvbus_sim_dev *sdev, const void *req,
				  size_t len, void *resp, size_t *resp_len)
{
	const struct pvbus_pci_assigned *rq = req;
	struct pvbus_sim_pci *pci = sdev->cls;
	u64 addr[PVBUS_PCI_NR_BARS];
	struct pvbus_sim_pci_fn *fn;
	const char *why;
	unsigned int b;
	u32 status;

	mutex_lock(&sdev->host->addr_lock);
	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_req_fn(sdev, pci, req, &status);
	if (!fn)
		goto out;
	if (!pci->d0) {
		status = pvbus_sim_pci_refuse(sdev, pci,
					      PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					      PVBUS_STATUS_BUSY,
					      "the bus is not in D0");
		goto out;
	}
	/*
	 * A function being ejected is the guest's until EJECT_COMPLETE: its
	 * ASSIGNED_RESOURCES may have crossed the EJECT.
	 */
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		addr[b] = le64_to_cpu(rq->addr[b]);
		if (!addr[b])
			continue;
		if (!fn->desc.bar[b].size) {
			status = pvbus_sim_pci_refuse(sdev, pci,
						      PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
						      PVBUS_STATUS_INVALID,
						      "an address for a BAR the function does not have");
			goto out;
		}
	}
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (!addr[b])
			continue;
		why = pvbus_sim_pci_check_bar(sdev, fn, addr, b);
		if (why) {
			snprintf(pci->say, sizeof(pci->say),
				 "ASSIGNED_RESOURCES of %02x.%x refused: BAR %u at %#llx, size %#llx: %s",
				 PCI_SLOT(fn->desc.id.devfn),
				 PCI_FUNC(fn->desc.id.devfn), b, addr[b],
				 fn->desc.bar[b].size, why);
			status = pvbus_sim_pci_why(pci, PVBUS_STATUS_REFUSED,
						   why);
			goto out;
		}
	}
	memcpy(fn->assigned, addr, sizeof(addr));
	if (fn->desc.pt)
		pvbus_sim_pci_pt_apply(pci, fn);
out:
	pvbus_sim_pci_unlock(sdev, pci);
	mutex_unlock(&sdev->host->addr_lock);
	return status ?: pvbus_sim_pci_echo(req, len, resp, resp_len);
}

static u32 pvbus_sim_pci_released(struct pvbus_sim_dev *sdev, const void *req,
				  size_t len, void *resp, size_t *resp_len)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	struct pvbus_sim_pci_fn *fn;
	u32 status;

	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_req_fn(sdev, pci, req, &status);
	if (fn) {
		memset(fn->assigned, 0, sizeof(fn->assigned));
		pvbus_sim_pci_pt_fence(fn);
	}
	pvbus_sim_pci_unlock(sdev, pci);
	return status ?: pvbus_sim_pci_echo(req, len, resp, resp_len);
}

static u32 pvbus_sim_pci_eject_complete(struct pvbus_sim_dev *sdev,
					const void *req, size_t len,
					void *resp, size_t *resp_len)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	struct pvbus_sim_pci_fn *fn;
	u32 status;

	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_req_fn(sdev, pci, req, &status);
	if (fn && fn->state != PVBUS_SIM_PCI_EJECTING)
		status = pvbus_sim_pci_refuse(sdev, pci,
					      PVBUS_PCI_MSG_EJECT_COMPLETE,
					      PVBUS_STATUS_BUSY,
					      "the host did not eject the function");
	else if (fn)
		pvbus_sim_pci_fn_drop(fn);
	pvbus_sim_pci_unlock(sdev, pci);
	if (!status)
		wake_up_all(&pci->ejected);
	return status ?: pvbus_sim_pci_echo(req, len, resp, resp_len);
}

static const struct pvbus_msg_spec pvbus_sim_pci_specs[] = {
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_QUERY_VERSION,
			   struct pvbus_pci_version),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_D0_ENTRY, struct pvbus_pci_d0_entry),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_D0_EXIT, struct pvbus_msg_hdr),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_QUERY_RELATIONS, struct pvbus_msg_hdr),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_QUERY_RESOURCES,
			   struct pvbus_pci_devfn_msg),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
			   struct pvbus_pci_assigned),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_RELEASED_RESOURCES,
			   struct pvbus_pci_devfn_msg),
	PVBUS_SIM_PCI_SPEC(PVBUS_PCI_MSG_EJECT_COMPLETE,
			   struct pvbus_pci_devfn_msg),
};

static const struct pvbus_sim_handler pvbus_sim_pci_handlers[] = {
	{ .handle = pvbus_sim_pci_query_version },
	{ .handle = pvbus_sim_pci_d0_entry },
	{ .handle = pvbus_sim_pci_d0_exit },
	{ .handle = pvbus_sim_pci_query_relations },
	{ .handle = pvbus_sim_pci_query_resources },
	{ .handle = pvbus_sim_pci_assigned },
	{ .handle = pvbus_sim_pci_released },
	{ .handle = pvbus_sim_pci_eject_complete },
};

static_assert(ARRAY_SIZE(pvbus_sim_pci_specs) ==
	      ARRAY_SIZE(pvbus_sim_pci_handlers));

/* ---------------------------------------------------------------------
 * A bus's life
 */

const guid_t pvbus_sim_pci_class = PVBUS_PCI_CLASS;

/* @settings: a &struct pvbus_sim_pci_settings, or NULL for no function. */
static int pvbus_sim_pci_init(struct pvbus_sim_dev *sdev, const void *settings)
{
	const struct pvbus_sim_pci_settings *st = settings;
	struct pvbus_sim_pci *pci;
	unsigned int i;
	int ret;

	if (st && (st->nr_fns > PVBUS_PCI_MAX_FUNCTIONS ||
		   st->max_version < PVBUS_PCI_VERSION_MIN ||
		    st->max_version > PVBUS_PCI_VERSION_MAX))
		return -EINVAL;

	pci = kzalloc(sizeof(*pci), GFP_KERNEL);
	if (!pci)
		return -ENOMEM;
	raw_spin_lock_init(&pci->lock);
	init_waitqueue_head(&pci->ejected);
	INIT_WORK(&pci->say_work, pvbus_sim_pci_say_work);
	pci->max_version = st ? st->max_version : PVBUS_PCI_VERSION_MAX;
	pci->selected = PVBUS_SIM_PCI_NO_DEVFN;
	/* A previous kernel's D0, whose window the host has forgotten. */
	pci->d0 = st && st->stale_d0;

	for (i = 0; st && i < st->nr_fns; i++) {
		ret = pvbus_sim_pci_fn_add(pci, &st->fn[i]);
		if (ret) {
			kfree(pci);
			return ret;
		}
	}
	sdev->cls = pci;
	return 0;
}

/* The bus went: as a D0_EXIT, whatever the guest last asked. */
static void pvbus_sim_pci_gone(struct pvbus_sim_dev *sdev)
{
	struct pvbus_sim_pci *pci = sdev->cls;

	raw_spin_lock_irq(&pci->lock);
	pvbus_sim_pci_leave_d0(pci);
	raw_spin_unlock_irq(&pci->lock);
}

static void pvbus_sim_pci_fini(struct pvbus_sim_dev *sdev)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	unsigned int i;

	/* Nothing uses the device: no window operation runs any more. */
	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++)
		if (pci->fn[i].state != PVBUS_SIM_PCI_ABSENT)
			pvbus_sim_pci_fn_drop(&pci->fn[i]);
	flush_work(&pci->say_work);
	kfree(pci);
	sdev->cls = NULL;
}

const struct pvbus_sim_proto pvbus_sim_pci_proto = {
	.class		= &pvbus_sim_pci_class,
	.specs		= pvbus_sim_pci_specs,
	.handlers	= pvbus_sim_pci_handlers,
	.nr		= ARRAY_SIZE(pvbus_sim_pci_specs),
	.init		= pvbus_sim_pci_init,
	.fini		= pvbus_sim_pci_fini,
	.gone		= pvbus_sim_pci_gone,
	.window_read	= pvbus_sim_pci_window_read,
	.window_write	= pvbus_sim_pci_window_write,
};
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_proto);

/**
 * pvbus_sim_is_pci() - whether a class is a paravirtual PCI bus's
 * @class: the class
 *
 * Return: true for %PVBUS_PCI_CLASS.
 */
bool pvbus_sim_is_pci(const guid_t *class)
{
	return guid_equal(class, &pvbus_sim_pci_class);
}
