// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: what the host does to the functions of an offered PCI bus
 * (configfs asks): hot add, surprise removal, eject, take back, and the
 * protocol version it accepts.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "pci.h"

static struct pvbus_sim_pci *pvbus_sim_pci_of(struct pvbus_sim_dev *sdev)
{
	return sdev->proto == &pvbus_sim_pci_proto ? sdev->cls : NULL;
}

/*
 * Send RELATIONS_CHANGED with the relations as they are now, if the guest
 * negotiated a version (else it learns them with QUERY_RELATIONS).  @m has
 * room for %PVBUS_SIM_PCI_REL_MAX bytes, and is taken over.
 */
static int pvbus_sim_pci_send_relations(struct pvbus_sim_dev *sdev,
					struct pvbus_sim_pci *pci,
					struct pvbus_sim_msg *m)
{
	struct pvbus_pci_relations *rel = (void *)m->data;
	u16 version;

	raw_spin_lock_irq(&pci->lock);
	version = pci->version;
	if (version)
		m->len = pvbus_sim_pci_relations(pci, rel);
	raw_spin_unlock_irq(&pci->lock);

	if (!version) {
		kfree(m);
		return 0;
	}
	pvbus_msg_init(&rel->hdr, PVBUS_PCI_MSG_RELATIONS_CHANGED, version,
		       m->len);
	rel->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	return pvbus_sim_dev_send_notification(sdev, m);
}

/*
 * Change the relations of @pci under its lock: add @add, or with @add NULL
 * drop the function @devfn.  Returns 0, or what pvbus_sim_pci_fn_add()
 * refused, or -ENOENT if no function has @devfn; nothing changed then.
 */
static int pvbus_sim_pci_change(struct pvbus_sim_pci *pci,
				const struct pvbus_sim_pci_fn_desc *add,
				u32 devfn)
{
	struct pvbus_sim_pci_fn *fn;
	int ret = 0;

	raw_spin_lock_irq(&pci->lock);
	if (add) {
		ret = pvbus_sim_pci_fn_add(pci, add);
	} else {
		fn = pvbus_sim_pci_find(pci, devfn);
		if (fn)
			pvbus_sim_pci_fn_drop(fn);
		else
			ret = -ENOENT;
	}
	raw_spin_unlock_irq(&pci->lock);
	return ret;
}

/*
 * pvbus_sim_pci_change() on @sdev, and RELATIONS_CHANGED to the guest.  A
 * removal is made even when there is no memory to tell the guest (said in
 * the log); an addition is not made then.
 */
static int pvbus_sim_pci_change_and_tell(struct pvbus_sim_dev *sdev,
					 const struct pvbus_sim_pci_fn_desc *add,
					 u32 devfn)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);
	struct pvbus_sim_msg *m;
	int ret;

	if (!pci)
		return -ENODEV;
	m = pvbus_sim_msg_alloc(PVBUS_SIM_PCI_REL_MAX, GFP_KERNEL);
	if (!m && add)
		return -ENOMEM;

	ret = pvbus_sim_pci_change(pci, add, devfn);
	if (ret) {
		kfree(m);
		return ret;
	}
	if (!m) {
		pr_warn("%s: %02x.%x removed; the guest is not told: out of memory\n",
			sdev->host->host.name, PCI_SLOT(devfn), PCI_FUNC(devfn));
		return 0;
	}
	return pvbus_sim_pci_send_relations(sdev, pci, m);
}

/**
 * pvbus_sim_pci_add_fn() - hot add a function to a bus
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @fn: the function; copied
 *
 * The function joins the relations and the guest gets RELATIONS_CHANGED
 * with the new list.
 *
 * Return: 0; -EEXIST if a function has the devfn already; -ENOSPC if the
 * bus has %PVBUS_PCI_MAX_FUNCTIONS; -EINVAL for a devfn out of range;
 * -ENOMEM; -ENODEV for a device of another class or being revoked.
 */
int pvbus_sim_pci_add_fn(struct pvbus_sim_dev *sdev,
			 const struct pvbus_sim_pci_fn_desc *fn)
{
	return pvbus_sim_pci_change_and_tell(sdev, fn, 0);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_add_fn);

/**
 * pvbus_sim_pci_remove_fn() - take a function away without asking
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @devfn: the function's devfn
 *
 * Surprise removal: the function leaves the relations at once, also while
 * it is being ejected, and the guest gets RELATIONS_CHANGED without it.
 * It leaves them also when there is no memory to tell the guest (a
 * warning says so): a caller that takes it away must be able to count on
 * that, a function passed through above all.
 *
 * Return: 0; -ENOENT if no function has @devfn; -ENODEV for a device of
 * another class or being revoked.
 */
int pvbus_sim_pci_remove_fn(struct pvbus_sim_dev *sdev, u32 devfn)
{
	return pvbus_sim_pci_change_and_tell(sdev, NULL, devfn);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_remove_fn);

/**
 * pvbus_sim_pci_eject() - ask the guest to give a function back
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @devfn: the function's devfn
 *
 * Sends EJECT; the function leaves the relations when the guest answers
 * with EJECT_COMPLETE.  If no guest negotiated a protocol version, there is
 * no one to ask and the function leaves at once.
 *
 * Return: 0; -ENOENT if no function has @devfn; -EBUSY if it is being
 * ejected already; -ENOMEM; -ENODEV for a device of another class or
 * being revoked.
 */
int pvbus_sim_pci_eject(struct pvbus_sim_dev *sdev, u32 devfn)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);
	struct pvbus_pci_devfn_msg *e;
	struct pvbus_sim_pci_fn *fn;
	struct pvbus_sim_msg *m;
	u16 version = 0;
	int ret = 0;

	if (!pci)
		return -ENODEV;
	m = pvbus_sim_msg_alloc(sizeof(*e), GFP_KERNEL);
	if (!m)
		return -ENOMEM;

	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_find(pci, devfn);
	if (!fn) {
		ret = -ENOENT;
	} else if (fn->state == PVBUS_SIM_PCI_EJECTING) {
		ret = -EBUSY;
	} else if (!pci->version) {
		pvbus_sim_pci_fn_drop(fn);
	} else {
		fn->state = PVBUS_SIM_PCI_EJECTING;
		version = pci->version;
	}
	raw_spin_unlock_irq(&pci->lock);
	if (ret || !version) {
		kfree(m);
		return ret;
	}

	e = (void *)m->data;
	pvbus_msg_init(&e->hdr, PVBUS_PCI_MSG_EJECT, version, sizeof(*e));
	e->hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	e->devfn = cpu_to_le32(devfn);
	return pvbus_sim_dev_send_notification(sdev, m);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_eject);

/**
 * pvbus_sim_pci_fn_state() - where a function of a bus is
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @devfn: the function's devfn
 *
 * Return: an &enum pvbus_sim_pci_state, or -ENODEV for a device of
 * another class.
 */
int pvbus_sim_pci_fn_state(struct pvbus_sim_dev *sdev, u32 devfn)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);
	struct pvbus_sim_pci_fn *fn;
	int state;

	if (!pci)
		return -ENODEV;
	raw_spin_lock_irq(&pci->lock);
	fn = pvbus_sim_pci_find(pci, devfn);
	state = fn ? fn->state : PVBUS_SIM_PCI_ABSENT;
	raw_spin_unlock_irq(&pci->lock);
	return state;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_fn_state);

/**
 * pvbus_sim_pci_take_back_ask() - ask the guest to give a function back
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @devfn: the function's devfn
 *
 * The first step of pvbus_sim_pci_take_back(): if a guest has the bus in
 * D0, the host ejects the function, unless it does so already.
 *
 * Return: 1 if the guest is asked, or if the function left at once (no
 * guest negotiated a protocol version): wait with
 * pvbus_sim_pci_take_back_wait(), which then returns at once; 0 if no
 * function has @devfn; -ENXIO if no guest has the bus in D0, or another
 * negative error code if the guest cannot be asked: remove the function
 * with pvbus_sim_pci_remove_fn().
 */
int pvbus_sim_pci_take_back_ask(struct pvbus_sim_dev *sdev, u32 devfn)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);
	bool d0;
	int ret;

	if (!pci)
		return -ENODEV;
	raw_spin_lock_irq(&pci->lock);
	d0 = pci->d0;
	raw_spin_unlock_irq(&pci->lock);
	if (!d0)
		return -ENXIO;

	ret = pvbus_sim_pci_eject(sdev, devfn);
	if (ret == -ENOENT)
		return 0;
	if (ret && ret != -EBUSY)
		return ret;
	return 1;
}

/**
 * pvbus_sim_pci_take_back_wait() - wait for the guest to give a function back
 * @sdev: an offered device of class %PVBUS_PCI_CLASS, which stays offered
 *	while this waits
 * @devfn: the function's devfn
 * @timeout_ms: how long to wait
 *
 * Return: true if the function left the relations in time.
 */
bool pvbus_sim_pci_take_back_wait(struct pvbus_sim_dev *sdev, u32 devfn,
				  unsigned int timeout_ms)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);

	if (!pci)
		return true;
	if (wait_event_timeout(pci->ejected,
			       pvbus_sim_pci_fn_state(sdev, devfn) ==
			       PVBUS_SIM_PCI_ABSENT,
			       msecs_to_jiffies(timeout_ms)))
		return true;
	pr_warn("%s: the guest did not give %02x.%x back within %u ms: removing it\n",
		sdev->host->host.name, PCI_SLOT(devfn), PCI_FUNC(devfn),
		timeout_ms);
	return false;
}

/**
 * pvbus_sim_pci_take_back() - take a function back from the guest
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @devfn: the function's devfn
 * @timeout_ms: how long to wait for the guest
 *
 * If a guest has the bus in D0, the host ejects the function (unless it
 * does so already) and waits for the guest's EJECT_COMPLETE, so that the
 * guest's driver lets go of the function cleanly.  If no guest has the bus
 * in D0, or the guest does not answer in time, the function leaves the
 * relations without asking, and the guest gets RELATIONS_CHANGED.  Either
 * way, when this returns the function is not in the relations and nothing
 * reaches a real function behind it any more.  The three steps are
 * pvbus_sim_pci_take_back_ask(), pvbus_sim_pci_take_back_wait() and
 * pvbus_sim_pci_remove_fn(), for a caller that must not hold its locks
 * while the guest answers.
 *
 * Return: 0, also if no function has @devfn; -ENODEV for a device of
 * another class.
 */
int pvbus_sim_pci_take_back(struct pvbus_sim_dev *sdev, u32 devfn,
			    unsigned int timeout_ms)
{
	int ret;

	if (!pvbus_sim_pci_of(sdev))
		return -ENODEV;
	ret = pvbus_sim_pci_take_back_ask(sdev, devfn);
	if (!ret)
		return 0;
	if (ret > 0 && pvbus_sim_pci_take_back_wait(sdev, devfn, timeout_ms))
		return 0;
	pvbus_sim_pci_remove_fn(sdev, devfn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_take_back);

/**
 * pvbus_sim_pci_set_max_version() - change the newest version a bus accepts
 * @sdev: an offered device of class %PVBUS_PCI_CLASS
 * @version: %PVBUS_PCI_VERSION_1_0 or %PVBUS_PCI_VERSION_1_1
 *
 * Applies from the next QUERY_VERSION on.
 *
 * Return: 0; -EINVAL for an unknown version; -ENODEV for a device of
 * another class.
 */
int pvbus_sim_pci_set_max_version(struct pvbus_sim_dev *sdev, u16 version)
{
	struct pvbus_sim_pci *pci = pvbus_sim_pci_of(sdev);

	if (!pci)
		return -ENODEV;
	if (version < PVBUS_PCI_VERSION_MIN || version > PVBUS_PCI_VERSION_MAX)
		return -EINVAL;
	raw_spin_lock_irq(&pci->lock);
	pci->max_version = version;
	raw_spin_unlock_irq(&pci->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_set_max_version);
