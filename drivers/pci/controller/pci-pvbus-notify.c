// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the host's notifications, queued by the channel and handled
 * on the bus's ordered workqueue: a new list of functions hot adds those
 * it did not list before and removes those it no longer lists; an eject
 * removes one and tells the host (pci-pvbus-proto.c's requests).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "pci-pvbus.h"

#include <trace/events/pci_pvbus.h>

/* @listed: the devfns of the @nr functions @desc. */
static void pci_pvbus_set_listed_in(unsigned long *listed,
				    const struct pvbus_pci_fn_desc *desc,
				    unsigned int nr)
{
	unsigned int i;

	bitmap_zero(listed, PVBUS_PCI_MAX_DEVFN + 1);
	for (i = 0; i < nr; i++)
		__set_bit(desc[i].devfn, listed);
}

void pci_pvbus_set_listed(struct pci_pvbus *pb,
			  const struct pvbus_pci_fn_desc *desc,
			  unsigned int nr)
{
	pci_pvbus_set_listed_in(pb->listed, desc, nr);
	/* A devfn listed again names another function: its eject is done. */
	bitmap_andnot(pb->unconfirmed, pb->unconfirmed, pb->listed,
		      PVBUS_PCI_MAX_DEVFN + 1);
	/* One left out was seen gone by the host: its next listing is new. */
	bitmap_and(pb->ejected, pb->ejected, pb->listed,
		   PVBUS_PCI_MAX_DEVFN + 1);
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
 * A hot add of @fns failed with @err: each is freed, and named unless
 * pci_pvbus_no_room() did (-ENOSPC).  They stay listed, and are tried
 * again with the host's next list.
 */
static void pci_pvbus_hot_add_failed(struct pci_pvbus *pb,
				     struct pci_pvbus_fn **fns, unsigned int n,
				     int err)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i;

	dev_err(dev, "hot add of %u function%s failed: %d\n", n,
		n == 1 ? "" : "s", err);
	for (i = 0; i < n; i++) {
		if (err != -ENOSPC) {
			pb->nr_left_out++;
			dev_err(dev, "function %02x.%x (%04x:%04x) left out\n",
				PCI_SLOT(fns[i]->desc.devfn),
				PCI_FUNC(fns[i]->desc.devfn),
				fns[i]->desc.vendor, fns[i]->desc.device);
		}
		kfree(fns[i]);
	}
}

/*
 * Hot add the @n functions @fns, planned together, for
 * pci_pvbus_place_apart().  pci_lock_rescan_remove() is held to place the
 * BARs and to put the functions on the bus, never while waiting for the
 * host.  If they do not fit together and @split, returns -ENOSPC with @fns
 * untouched and nothing said; otherwise every function ends on the bus or
 * freed, and 0 is returned.
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
	ret = pci_pvbus_place_fns(pb, fns, n, &plan, split);
	if (ret) {
		pci_unlock_rescan_remove();
		if (ret == -ENOSPC && split)
			return ret;
		pci_pvbus_hot_add_failed(pb, fns, n, ret);
		return 0;
	}
	ret = pci_pvbus_windows_add(pb, &plan, fns);
	pci_unlock_rescan_remove();
	/* On error the windows go back to the bus's MMIO space. */
	pci_pvbus_unplace(&plan, &pci_pvbus_mmio_ops, pb->pdev);
	pci_pvbus_plan_free(&plan);
	if (ret) {
		pci_pvbus_hot_add_failed(pb, fns, n, ret);
		return 0;
	}

	/*
	 * Tell the host, without a global lock held; drop what it refuses,
	 * and, once the bus goes, what it was not told of yet.
	 */
	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
	}
	for (i = 0; i < n; i++) {
		if (!READ_ONCE(pb->dying) && !pci_pvbus_offer_fn(pb, fns[i]))
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

/* Hot add @nr functions described by @desc, as pci_pvbus_place_apart() says. */
static void pci_pvbus_hot_add(struct pci_pvbus *pb,
			      const struct pvbus_pci_fn_desc *desc,
			      unsigned int nr)
{
	struct pci_pvbus_fn *fns[PVBUS_PCI_MAX_FUNCTIONS];
	unsigned int n;

	n = pci_pvbus_new_fns(pb, desc, min_t(unsigned int, nr,
					      PVBUS_PCI_MAX_FUNCTIONS), fns);
	if (n)
		pci_pvbus_place_apart(pb, fns, n, pci_pvbus_hot_add_set);
}

/*
 * A new list of functions: the functions gone go, the new ones come.
 * @reset, if not NULL: devfns a list that was lost left out, whose
 * functions are added anew even if listed as before (the host removed
 * them meanwhile).  @ejecting, if not NULL: devfns whose eject was lost,
 * not added (the eject is answered next).
 */
static void pci_pvbus_apply_relations(struct pci_pvbus *pb,
				      const struct pvbus_pci_fn_desc *desc,
				      unsigned int nr,
				      const unsigned long *reset,
				      const unsigned long *ejecting)
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
		if (i < nr && !(reset && test_bit(fn->desc.devfn, reset)))
			continue;
		dev_info(dev, "function %02x.%x (%04x:%04x) is gone%s\n",
			 PCI_SLOT(fn->desc.devfn), PCI_FUNC(fn->desc.devfn),
			 fn->desc.vendor, fn->desc.device,
			 i < nr ? " (a lost list left it out)" : "");
		pci_pvbus_remove_fn(pb, fn);
		gone++;
	}
	pci_lock_rescan_remove();
	pci_pvbus_windows_sweep(pb);
	pci_unlock_rescan_remove();

	for (i = 0; i < nr; i++) {
		if (pci_pvbus_find_fn(pb, desc[i].devfn) ||
		    (ejecting && test_bit(desc[i].devfn, ejecting)))
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

/*
 * A RELATIONS_CHANGED that could not be queued, or was malformed: ask the
 * host for the list instead, so that a removal is applied all the same.
 * @reset and @ejecting as for pci_pvbus_apply_relations().
 */
static int pci_pvbus_requery(struct pci_pvbus *pb, const char *why,
			     const unsigned long *reset,
			     const unsigned long *ejecting)
{
	unsigned int nr;
	int ret;

	dev_warn_ratelimited(pci_pvbus_dev(pb), "%s: asking the host for the list of functions\n",
			     why);
	ret = pci_pvbus_query_relations(pb, pb->desc, &nr, NULL);
	if (ret)
		return ret;
	/*
	 * The host answered once it had heard the ejects answered before:
	 * what it lists, it has.
	 */
	bitmap_zero(pb->ejected, PVBUS_PCI_MAX_DEVFN + 1);
	pci_pvbus_apply_relations(pb, pb->desc, nr, reset, ejecting);
	return 0;
}

/*
 * A list is checked before it is queued (pci_pvbus_notify()), once probe
 * knows the protocol version: a malformed one is handled as lost.  One
 * that came before is older than probe's list, and dropped before it gets
 * here (pci_pvbus_handle()), but for one of no known place among the
 * host's messages (pvbus_channel_notify_seq() gave 0): that is checked
 * here only, and if malformed, dropped and the list asked for at once; if
 * that fails, the list probe had stands, and nothing is asked for later.
 */
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
		pci_pvbus_requery(pb, "a malformed list dropped", NULL, NULL);
		return;
	}
	pci_pvbus_apply_relations(pb, pb->desc, nr, NULL, NULL);
}

/*
 * @unseen: the eject may be of a function only a list the bus did not
 * apply told of (the eject could not be queued, and a list was lost; or
 * the host sent it before it answered probe, and a list it dropped as
 * older listed the function): answered even if not listed.  An eject
 * whose EJECT_COMPLETE the host did not confirm is answered again when
 * the host repeats it (its BARs stay held until the bus goes, as they
 * were).
 */
static void pci_pvbus_eject_devfn(struct pci_pvbus *pb, u32 devfn,
				  bool unseen)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;
	int ret;

	fn = pci_pvbus_find_fn(pb, devfn);
	trace_pci_pvbus_eject(pb->name, devfn, !!fn);
	if (fn) {
		dev_info(dev, "function %02x.%x (%04x:%04x) ejected\n",
			 PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			 fn->desc.device);
		pci_pvbus_unplug_fn(pb, fn);
	} else if (test_bit(devfn, pb->listed) || unseen) {
		/* Listed, but left out: there is nothing to remove. */
		dev_info(dev, "function %02x.%x ejected\n", PCI_SLOT(devfn),
			 PCI_FUNC(devfn));
	} else if (test_bit(devfn, pb->unconfirmed)) {
		dev_info_ratelimited(dev, "function %02x.%x ejected again: its EJECT_COMPLETE is sent again\n",
				     PCI_SLOT(devfn), PCI_FUNC(devfn));
	} else {
		dev_warn_ratelimited(dev,
				     "host ejects %02x.%x, which it never listed: ignored\n",
				     PCI_SLOT(devfn), PCI_FUNC(devfn));
		return;
	}
	__clear_bit(devfn, pb->listed);
	ret = pci_pvbus_eject_complete(pb, devfn);
	__assign_bit(devfn, pb->unconfirmed, ret);
	__set_bit(devfn, pb->ejected);
	/*
	 * Its windows go back once the host has heard the eject is done:
	 * until then it may still decode the function's BARs, and if it
	 * did not confirm, it may for as long as the bus lives.
	 */
	if (fn) {
		if (ret)
			pci_pvbus_windows_hold_fn(pb, fn);
		pci_pvbus_forget_fn(pb, fn);
		pci_lock_rescan_remove();
		pci_pvbus_windows_sweep(pb);
		pci_unlock_rescan_remove();
	}
}

/* @older: sent before the host answered probe's QUERY_RELATIONS. */
static void pci_pvbus_eject(struct pci_pvbus *pb, const void *msg, size_t len,
			    bool older)
{
	u32 devfn;
	int ret;

	ret = pci_pvbus_check_devfn_msg(msg, len, pb->version,
					PVBUS_PCI_MSG_EJECT, &devfn);
	if (ret) {
		dev_err(pci_pvbus_dev(pb), "malformed EJECT dropped: %d\n", ret);
		return;
	}
	pci_pvbus_eject_devfn(pb, devfn, older);
}

struct pci_pvbus_note {
	struct list_head node;
	u16 type;
	u64 seq;
	size_t len;
	u8 msg[];
};

/*
 * Is a list at @seq among the host's messages older than the list probe
 * had?  Then it says nothing the bus does not know: the host sent it
 * before it answered probe, and probe set up what that answer listed.
 * (For an eject at @seq: the host sent it before its answer.)
 * Called with @pb->note_lock held, or with @pb->lock once probe is over
 * (probe writes @pb->list_seq with both held).
 */
static bool pci_pvbus_list_older(struct pci_pvbus *pb, u64 seq)
{
	return seq && seq < pb->list_seq;
}

/*
 * Probe has the list at @seq among the host's messages: a list that came
 * before it is dropped, whether it is queued already (the worker drops it)
 * or comes later (pci_pvbus_notify()).  One lost before (the queue full)
 * is not: it is handled as lost lists are.  Called with @pb->lock held,
 * before the bus runs.
 */
void pci_pvbus_set_list_seq(struct pci_pvbus *pb, u64 seq)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	pb->list_seq = seq;
	spin_unlock_irqrestore(&pb->note_lock, flags);
}

static void pci_pvbus_handle(struct pci_pvbus *pb, const void *msg,
			     size_t len, u64 seq)
{
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);
	unsigned long flags;

	/* Only once this has the lock is probe over, @pb->list_seq final. */
	mutex_lock(&pb->lock);
	if (pb->state != PCI_PVBUS_RUNNING) {
		dev_warn(pci_pvbus_dev(pb), "%s while the bus is not running: dropped\n",
			 pci_pvbus_type_name(type));
	} else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED &&
		   pci_pvbus_list_older(pb, seq)) {
		spin_lock_irqsave(&pb->note_lock, flags);
		pb->nr_lists_older++;
		spin_unlock_irqrestore(&pb->note_lock, flags);
		dev_info(pci_pvbus_dev(pb), "a list of functions older than the one probe had: dropped\n");
	} else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED) {
		pci_pvbus_relations_changed(pb, msg, len);
	} else {
		pci_pvbus_eject(pb, msg, len, pci_pvbus_list_older(pb, seq));
	}
	mutex_unlock(&pb->lock);
}

/* What the notifications that could not be queued still say. */
struct pci_pvbus_lost {
	bool relations;
	DECLARE_BITMAP(reset, PVBUS_PCI_MAX_DEVFN + 1);
	DECLARE_BITMAP(ejects, PVBUS_PCI_MAX_DEVFN + 1);
};

/*
 * Take what was lost, if anything.  Called with @pb->note_lock held, and
 * the queue empty: what is taken is handled after every notification
 * queued before it.  @pb->lost stays set while it is handled, so that
 * what comes meanwhile is kept too, and handled after it; only once
 * nothing is left is the queue used again.
 */
static bool pci_pvbus_take_lost(struct pci_pvbus *pb,
				struct pci_pvbus_lost *lost)
{
	if (!pb->lost)
		return false;
	if (!pb->lost_relations &&
	    bitmap_empty(pb->lost_ejects, PVBUS_PCI_MAX_DEVFN + 1)) {
		pb->lost = false;
		pb->lost_retry_ms = 0;
		return false;
	}
	lost->relations = pb->lost_relations;
	bitmap_copy(lost->reset, pb->lost_reset, PVBUS_PCI_MAX_DEVFN + 1);
	bitmap_copy(lost->ejects, pb->lost_ejects, PVBUS_PCI_MAX_DEVFN + 1);
	bitmap_zero(pb->lost_reset, PVBUS_PCI_MAX_DEVFN + 1);
	bitmap_zero(pb->lost_ejects, PVBUS_PCI_MAX_DEVFN + 1);
	pb->lost_relations = false;
	return true;
}

/*
 * A list that could not be had: asked for again at the next notification,
 * or after a while (a host that waits for an EJECT_COMPLETE sends none),
 * and the ejects answered after it.  An eject that a list kept since
 * leaves out is overtaken, as pci_pvbus_note_lost() has it.  Returns the
 * while, in ms, or 0 if the bus goes (nothing is asked for again).
 */
static unsigned int pci_pvbus_put_back_lost(struct pci_pvbus *pb,
					    const struct pci_pvbus_lost *lost)
{
	DECLARE_BITMAP(ejects, PVBUS_PCI_MAX_DEVFN + 1);
	unsigned int retry_ms = 0;
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	if (!pb->dying) {
		pb->lost_retry_ms = clamp(2 * pb->lost_retry_ms,
					  PCI_PVBUS_LOST_RETRY_MS,
					  PCI_PVBUS_LOST_RETRY_MAX_MS);
		retry_ms = pb->lost_retry_ms;
		mod_delayed_work(system_wq, &pb->lost_retry,
				 msecs_to_jiffies(retry_ms));
	}
	pb->lost_relations = true;
	bitmap_andnot(ejects, lost->ejects, pb->lost_reset,
		      PVBUS_PCI_MAX_DEVFN + 1);
	bitmap_or(pb->lost_ejects, pb->lost_ejects, ejects,
		  PVBUS_PCI_MAX_DEVFN + 1);
	bitmap_or(pb->lost_reset, pb->lost_reset, lost->reset,
		  PVBUS_PCI_MAX_DEVFN + 1);
	spin_unlock_irqrestore(&pb->note_lock, flags);
	return retry_ms;
}

/*
 * Has a list kept since @devfn's lost eject was taken left the function
 * out?  The host took it away then: the eject is overtaken.
 */
static bool pci_pvbus_eject_overtaken(struct pci_pvbus *pb, u32 devfn)
{
	unsigned long flags;
	bool overtaken;

	spin_lock_irqsave(&pb->note_lock, flags);
	overtaken = test_bit(devfn, pb->lost_reset);
	spin_unlock_irqrestore(&pb->note_lock, flags);
	return overtaken;
}

/*
 * Keep in @reset only what a lost list no older than probe's left out:
 * probe set up what its answer listed.  With @pb->lock held, probe over.
 */
static void pci_pvbus_lost_reset_since_probe(struct pci_pvbus *pb,
					     unsigned long *reset)
{
	unsigned long flags;
	unsigned int devfn;

	spin_lock_irqsave(&pb->note_lock, flags);
	for_each_set_bit(devfn, reset, PVBUS_PCI_MAX_DEVFN + 1)
		if (pb->lost_reset_seq[devfn] < pb->list_seq)
			__clear_bit(devfn, reset);
	spin_unlock_irqrestore(&pb->note_lock, flags);
}

/*
 * What could not be queued: a new list asked for, then the ejects
 * answered.  What a lost list newer than probe's left out is added anew;
 * a function whose eject was lost is not added.  If the list cannot be
 * had, it is asked for again later (pci_pvbus_put_back_lost()), and the
 * ejects are answered after it: returns false.
 */
static bool pci_pvbus_handle_lost(struct pci_pvbus *pb,
				  struct pci_pvbus_lost *lost)
{
	unsigned int devfn, retry_ms;
	bool done = true;

	mutex_lock(&pb->lock);
	if (pb->state == PCI_PVBUS_RUNNING) {
		pci_pvbus_lost_reset_since_probe(pb, lost->reset);
		if (lost->relations &&
		    pci_pvbus_requery(pb, "notifications not queued",
				      lost->reset, lost->ejects)) {
			retry_ms = pci_pvbus_put_back_lost(pb, lost);
			if (retry_ms)
				dev_err_ratelimited(pci_pvbus_dev(pb), "the list of functions could not be had: asked for again in %u ms, or at the host's next notification\n",
						    retry_ms);
			done = false;
		}
		for_each_set_bit(devfn, lost->ejects, PVBUS_PCI_MAX_DEVFN + 1) {
			/*
			 * Once the bus goes, no more: each answer may wait
			 * request_timeout_ms, and there may be 256.
			 */
			if (!done || READ_ONCE(pb->dying))
				break;
			if (pci_pvbus_eject_overtaken(pb, devfn))
				dev_info(pci_pvbus_dev(pb), "eject of %02x.%x overtaken by a list that leaves it out: not answered\n",
					 PCI_SLOT(devfn), PCI_FUNC(devfn));
			else
				pci_pvbus_eject_devfn(pb, devfn, true);
		}
	}
	mutex_unlock(&pb->lock);
	return done;
}

/* Handle what was lost again: its list could not be had before. */
void pci_pvbus_lost_retry(struct work_struct *work)
{
	struct pci_pvbus *pb = container_of(to_delayed_work(work),
					    struct pci_pvbus, lost_retry);
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	if (!pb->dying)
		queue_work(pb->wq, &pb->work);
	spin_unlock_irqrestore(&pb->note_lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_lost_retry);

void pci_pvbus_work(struct work_struct *work)
{
	struct pci_pvbus *pb = container_of(work, struct pci_pvbus, work);
	struct pci_pvbus_note *note;
	struct pci_pvbus_lost lost;
	unsigned long flags;
	bool dying, any_lost;

	for (;;) {
		spin_lock_irqsave(&pb->note_lock, flags);
		note = list_first_entry_or_null(&pb->notes,
						struct pci_pvbus_note, node);
		if (note) {
			list_del(&note->node);
			pb->nr_notes--;
		}
		any_lost = !note && pci_pvbus_take_lost(pb, &lost);
		dying = pb->dying;
		spin_unlock_irqrestore(&pb->note_lock, flags);
		if (dying) {
			kfree(note);
			if (!note)
				return;
			continue;
		}
		if (note) {
			pci_pvbus_handle(pb, note->msg, note->len, note->seq);
			kfree(note);
			continue;
		}
		if (!any_lost || !pci_pvbus_handle_lost(pb, &lost))
			return;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_work);

/*
 * What a list not queued says of what was lost.  A malformed list says
 * nothing, nor one read before probe knows the protocol version: the list
 * asked for is all.  A lost eject of a function a list leaves out is
 * overtaken: the host took the function away, and what it lists there
 * later is another.  If @reset (a list lost, at @seq), the functions it
 * leaves out are added anew should the list asked for list them as
 * before, unless it is older than probe's list, whose answer probe set up.
 * Called with @pb->note_lock held.
 */
static void pci_pvbus_lost_list(struct pci_pvbus *pb, const void *msg,
				size_t len, u16 version, bool reset, u64 seq)
{
	DECLARE_BITMAP(listed, PVBUS_PCI_MAX_DEVFN + 1);
	unsigned int nr, devfn;

	if (!version ||
	    pci_pvbus_parse_relations(msg, len, version,
				      PVBUS_PCI_MSG_RELATIONS_CHANGED,
				      pb->lost_desc, &nr))
		return;
	pci_pvbus_set_listed_in(listed, pb->lost_desc, nr);
	bitmap_and(pb->lost_ejects, pb->lost_ejects, listed,
		   PVBUS_PCI_MAX_DEVFN + 1);
	if (!reset)
		return;
	bitmap_complement(listed, listed, PVBUS_PCI_MAX_DEVFN + 1);
	for_each_set_bit(devfn, listed, PVBUS_PCI_MAX_DEVFN + 1) {
		u64 *at = &pb->lost_reset_seq[devfn];

		*at = __test_and_set_bit(devfn, pb->lost_reset) ?
		      max(*at, seq ?: U64_MAX) : seq ?: U64_MAX;
	}
}

/*
 * A notification that cannot be queued (the queue is full, there is no
 * memory, or a list is malformed), or that comes after one that could
 * not, until all that is handled: counted and logged, and never lost where
 * it matters.  An eject is remembered in a bitmap and answered once the
 * queue is handled; for a list of functions the list is asked for again
 * then, and the functions it left out are remembered: the list asked for
 * may list one of them as before, which the host removed and added again
 * meanwhile.  What comes after it is not queued, so that it is all
 * handled after what was queued before it, in the order the host sent it.
 * Called with @pb->note_lock held.
 */
static void pci_pvbus_note_lost(struct pci_pvbus *pb, u16 type, u32 devfn,
				const void *msg, size_t len, u16 version,
				u64 seq, const char *why)
{
	pb->lost = true;
	pb->nr_notes_lost++;
	if (type == PVBUS_PCI_MSG_EJECT) {
		__set_bit(devfn, pb->lost_ejects);
	} else {
		pb->lost_relations = true;
		pci_pvbus_lost_list(pb, msg, len, version, true, seq);
	}
	dev_err_ratelimited(pci_pvbus_dev(pb),
			    "%s not queued (%s): %llu so far, handled later\n",
			    pci_pvbus_type_name(type), why,
			    pb->nr_notes_lost);
}

/*
 * A validated notification: queue it for the workqueue.  The channel has
 * matched it against pci_pvbus_msg_specs, so its length is exactly that of
 * its type, at most a RELATIONS_CHANGED of %PVBUS_PCI_MAX_FUNCTIONS; a
 * list is read once more here (into @pb->lost_desc, as a lost one is),
 * once probe knows the protocol version (before, the worker reads it).
 * The queue is bounded (%PCI_PVBUS_MAX_NOTES).  A list of functions that
 * follows another one still queued does not replace it: the one before
 * may remove a function the newer lists again, which must then be added
 * anew (the host reset it), not kept as it was.  A list that came before
 * the answer to probe's QUERY_RELATIONS (the channel numbers the host's
 * messages in the order it takes them) is older than what probe set up:
 * it is dropped, here or by the worker if it was queued before probe had
 * its answer.
 */
void pci_pvbus_notify(struct pvbus_device *pdev, const void *msg,
		      size_t len)
{
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);
	u64 seq = pvbus_channel_notify_seq(pdev->chan);
	struct pci_pvbus_note *note;
	const char *lost = NULL;
	unsigned long flags;
	unsigned int nr;
	u32 devfn = 0;
	u16 version;

	if (!pb) {
		/* Before probe could queue it, or after remove. */
		dev_warn_ratelimited(&pdev->dev, "%s before the bus is set up or after it is gone: dropped\n",
				     pci_pvbus_type_name(type));
		return;
	}
	if (type != PVBUS_PCI_MSG_RELATIONS_CHANGED &&
	    type != PVBUS_PCI_MSG_EJECT) {
		dev_warn_ratelimited(&pdev->dev, "unexpected notification of type %#x dropped\n",
				     type);
		return;
	}
	/*
	 * Before probe knows the protocol version, an eject is checked here
	 * but for its version (the channel checked its length and the
	 * version's range), and in full when it is handled if it is queued.
	 */
	version = READ_ONCE(pb->version);
	if (type == PVBUS_PCI_MSG_EJECT && version &&
	    pci_pvbus_check_devfn_msg(msg, len, version, type, &devfn)) {
		dev_err_ratelimited(&pdev->dev, "malformed EJECT dropped\n");
		return;
	}
	if (type == PVBUS_PCI_MSG_EJECT && !version) {
		const struct pvbus_pci_devfn_msg *m = msg;

		devfn = le32_to_cpu(m->devfn);
		if (devfn > PVBUS_PCI_MAX_DEVFN || m->reserved) {
			dev_err_ratelimited(&pdev->dev, "malformed EJECT dropped\n");
			return;
		}
	}

	note = kmalloc(struct_size(note, msg, len), GFP_KERNEL);
	if (note) {
		note->type = type;
		note->seq = seq;
		note->len = len;
		memcpy(note->msg, msg, len);
	}

	spin_lock_irqsave(&pb->note_lock, flags);
	if (pb->dying)
		goto out_unlock;
	if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED &&
	    pci_pvbus_list_older(pb, seq)) {
		pb->nr_lists_older++;
		/* Dropped, but it still overtakes a lost eject before it. */
		if (pb->lost)
			pci_pvbus_lost_list(pb, msg, len, version, false,
					    seq);
		goto out_unlock;
	}
	if (pb->lost)
		lost = "one before it was not";
	else if (type == PVBUS_PCI_MSG_RELATIONS_CHANGED && version &&
		 pci_pvbus_parse_relations(msg, len, version, type,
					   pb->lost_desc, &nr))
		lost = "malformed";
	else if (!note)
		lost = "no memory";
	else if (pb->nr_notes >= PCI_PVBUS_MAX_NOTES)
		lost = "queue full";
	if (lost) {
		pci_pvbus_note_lost(pb, type, devfn, msg, len, version, seq,
				    lost);
	} else {
		list_add_tail(&note->node, &pb->notes);
		pb->nr_notes++;
		note = NULL;
	}
	queue_work(pb->wq, &pb->work);
out_unlock:
	spin_unlock_irqrestore(&pb->note_lock, flags);
	kfree(note);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_notify);

/* No more notifications; those queued are dropped. */
void pci_pvbus_stop_notes(struct pci_pvbus *pb)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	pb->dying = true;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	cancel_delayed_work_sync(&pb->lost_retry);
	destroy_workqueue(pb->wq);
}

