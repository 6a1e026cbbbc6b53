// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the paravirtual PCI front-end on pvbus.
 *
 * The host offers a pvbus channel of class PVBUS_PCI_CLASS for each
 * paravirtual PCI bus; the functions it passes through sit behind it.
 * Probing one, in the order of <linux/pvbus_pci.h>:
 *
 * 1. negotiate the protocol version, newest first;
 * 2. ask for the functions, then for each function's BARs;
 * 3. take an 8 KiB config window from the bus's MMIO allocator: above
 *    4 GiB, below only when there is no room above and then as high as
 *    there is room (pci_pvbus_alloc_cfg()), away from the start of the low
 *    window where framebuffers are, never on a reserved range
 *    (cfg_window=legacy places it as the old front-ends did: the
 *    lowest address that no reservation and no claimed resource takes),
 *    and mark it busy;
 * 4. enter D0 with the config window's address; if the host refuses,
 *    release everything, exit D0 and try once more, since a host may still
 *    hold a crashed kernel's state;
 * 5. plan the BARs (pci-pvbus-plan.c) and allocate their windows;
 * 6. write the planned addresses into the BARs, create a root bus in a
 *    PCI domain of its own with the windows, scan exactly the devfns the
 *    host listed, claim the BARs where they were planned;
 * 7. tell the host where each function's BARs are, leaving off the bus a
 *    function whose resources it refuses, and only then add the devices,
 *    so that no driver touches a BAR the host does not know of.
 *
 * The config window is the driver's own: taken and marked busy in probe,
 * accessed under a spinlock by the root bus's config accessors, which
 * answer only for the devfns the host listed and took.
 *
 * Hotplug notifications are handled on an ordered workqueue: the host adds
 * functions with a new list (their BARs go into the windows' slack, or
 * into new windows), and ejects them.  Remove undoes everything in
 * reverse, so /proc/iomem is left as it was.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pci-pvbus: " fmt

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "pci-pvbus-domain.h"
#include "pci-pvbus-legacy.h"
#include "pci-pvbus.h"

#define CREATE_TRACE_POINTS
#include <trace/events/pci_pvbus.h>

VISIBLE_IF_KUNIT int pci_pvbus_cfg_mode = PCI_PVBUS_CFG_AUTO;
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_cfg_mode);

static const char * const pci_pvbus_cfg_modes[] = {
	[PCI_PVBUS_CFG_AUTO]	= "auto",
	[PCI_PVBUS_CFG_HIGH]	= "high",
	[PCI_PVBUS_CFG_LEGACY]	= "legacy",
};

static int pci_pvbus_cfg_mode_set(const char *val,
				  const struct kernel_param *kp)
{
	int mode = sysfs_match_string(pci_pvbus_cfg_modes, val);

	if (mode < 0)
		return -EINVAL;
	WRITE_ONCE(pci_pvbus_cfg_mode, mode);
	return 0;
}

static int pci_pvbus_cfg_mode_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 pci_pvbus_cfg_modes[READ_ONCE(pci_pvbus_cfg_mode)]);
}

static const struct kernel_param_ops pci_pvbus_cfg_mode_ops = {
	.set	= pci_pvbus_cfg_mode_set,
	.get	= pci_pvbus_cfg_mode_get,
};

module_param_cb(cfg_window, &pci_pvbus_cfg_mode_ops, NULL, 0644);
MODULE_PARM_DESC(cfg_window,
		 "Where a bus's config window goes: auto (default: above 4 GiB, else as high below 4 GiB as there is room, off every reserved range), high (above 4 GiB or fail), legacy (as old front-ends did: the lowest address no reservation or claimed resource takes)");

u64 pci_pvbus_slack[PCI_PVBUS_NR_ZONES] = {
	[PCI_PVBUS_LOW]		= 0,
	[PCI_PVBUS_HIGH]	= SZ_16M,
};
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_slack);

/**
 * pci_pvbus_parse_size() - read a size parameter
 * @val: the text: a number (decimal, 0x hex or 0 octal) with an optional
 *	 K, M, G, T, P or E suffix and an optional trailing newline
 * @size: the size, in bytes
 *
 * Unlike memparse(), refuses what does not fit in 64 bits rather than
 * wrapping it ("24E" would be 2^63), and a suffix without a number.
 *
 * Return: 0; -EINVAL if @val is not a size; -ERANGE if it is too large.
 */
VISIBLE_IF_KUNIT int pci_pvbus_parse_size(const char *val, u64 *size)
{
	char *end;
	int ret;

	ret = pvbus_parse_size(val, &end, size);
	if (ret)
		return ret;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_parse_size);

static int pci_pvbus_size_set(const char *val, const struct kernel_param *kp)
{
	u64 size;
	int ret;

	ret = pci_pvbus_parse_size(val, &size);
	if (ret)
		return ret;
	WRITE_ONCE(*(u64 *)kp->arg, size);
	return 0;
}

static int pci_pvbus_size_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%llu\n",
			 READ_ONCE(*(u64 *)kp->arg));
}

static const struct kernel_param_ops pci_pvbus_size_ops = {
	.set	= pci_pvbus_size_set,
	.get	= pci_pvbus_size_get,
};

module_param_cb(hotplug_slack, &pci_pvbus_size_ops,
		&pci_pvbus_slack[PCI_PVBUS_HIGH], 0644);
MODULE_PARM_DESC(hotplug_slack,
		 "Room for hot-added BARs in a bus's window above 4 GiB, in bytes (K, M, G suffixes; default 16M); given up when it does not fit");

module_param_cb(hotplug_slack_low, &pci_pvbus_size_ops,
		&pci_pvbus_slack[PCI_PVBUS_LOW], 0644);
MODULE_PARM_DESC(hotplug_slack_low,
		 "Room for hot-added BARs in a bus's window below 4 GiB, in bytes (default 0: hot add takes a new window there)");

/**
 * struct pci_pvbus_ms_param - a parameter in milliseconds, and its bounds
 * @ms: where it is kept
 * @min: the least it may be
 * @max: the most it may be
 */
struct pci_pvbus_ms_param {
	unsigned int *ms;
	unsigned int min;
	unsigned int max;
};

static int pci_pvbus_ms_set(const char *val, const struct kernel_param *kp)
{
	const struct pci_pvbus_ms_param *p = kp->arg;
	unsigned int ms;
	int ret;

	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	if (ms < p->min || ms > p->max)
		return -ERANGE;
	WRITE_ONCE(*p->ms, ms);
	return 0;
}

static int pci_pvbus_ms_get(char *buf, const struct kernel_param *kp)
{
	const struct pci_pvbus_ms_param *p = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", READ_ONCE(*p->ms));
}

static const struct kernel_param_ops pci_pvbus_ms_ops = {
	.set	= pci_pvbus_ms_set,
	.get	= pci_pvbus_ms_get,
};

unsigned int pci_pvbus_timeout_ms = 5000;
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_timeout_ms);
unsigned int pci_pvbus_d0_backoff_ms = 100;
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_d0_backoff_ms);

/* request_timeout_ms and d0_backoff_ms */
static struct pci_pvbus_ms_param pci_pvbus_ms_params[] = {
	{ &pci_pvbus_timeout_ms, PCI_PVBUS_TIMEOUT_MIN_MS,
	  PCI_PVBUS_TIMEOUT_MAX_MS },
	{ &pci_pvbus_d0_backoff_ms, 0, PCI_PVBUS_D0_BACKOFF_MAX_MS },
};

module_param_cb(request_timeout_ms, &pci_pvbus_ms_ops,
		&pci_pvbus_ms_params[0], 0644);
MODULE_PARM_DESC(request_timeout_ms,
		 "How long a request waits for the host's answer, in ms (10 to 600000; default 5000)");

int pci_pvbus_d0_retries = -1;
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_d0_retries);

static int pci_pvbus_d0_retries_set(const char *val,
				    const struct kernel_param *kp)
{
	int n, ret;

	ret = kstrtoint(val, 0, &n);
	if (ret)
		return ret;
	if (n < -1 || n > PCI_PVBUS_D0_RETRIES_MAX)
		return -ERANGE;
	WRITE_ONCE(pci_pvbus_d0_retries, n);
	return 0;
}

static const struct kernel_param_ops pci_pvbus_d0_retries_ops = {
	.set	= pci_pvbus_d0_retries_set,
	.get	= param_get_int,
};

module_param_cb(d0_retries, &pci_pvbus_d0_retries_ops, &pci_pvbus_d0_retries,
		0644);
MODULE_PARM_DESC(d0_retries,
		 "How often a refused D0 entry is retried (0 to 16; default -1: once, 4 times in a kdump kernel)");

module_param_cb(d0_backoff_ms, &pci_pvbus_ms_ops, &pci_pvbus_ms_params[1],
		0644);
MODULE_PARM_DESC(d0_backoff_ms,
		 "Wait before the second D0 retry, in ms, doubled for each one after it up to 10000 (0 to 10000; default 100)");

/* Give the config window back to where it came from. */
static void pci_pvbus_cfg_put(struct pci_pvbus *pb)
{
	if (pb->cfg_legacy)
		pci_pvbus_legacy_free(pb->cfg);
	else
		pci_pvbus_mmio_ops.free(pb->pdev, pb->cfg);
	pb->cfg = NULL;
}

static int pci_pvbus_cfg_alloc(struct pci_pvbus *pb)
{
	static const enum pvbus_mmio_zone zone[] = {
		[PCI_PVBUS_CFG_AUTO]	= PVBUS_MMIO_PREFER_HIGH,
		[PCI_PVBUS_CFG_HIGH]	= PVBUS_MMIO_HIGH,
		[PCI_PVBUS_CFG_LEGACY]	= PVBUS_MMIO_ANY,
	};
	struct device *dev = pci_pvbus_dev(pb);
	int mode = READ_ONCE(pci_pvbus_cfg_mode);
	struct pvbus_mmio_req req = {
		.name	= pb->cfg_name,
		.size	= PVBUS_PCI_CFG_WINDOW_SIZE,
		.align	= PVBUS_PCI_CFG_WINDOW_ALIGN,
		.zone	= zone[mode],
	};
	struct resource *res;

	snprintf(pb->cfg_name, sizeof(pb->cfg_name), "%s config", pb->name);
	pb->cfg_legacy = mode == PCI_PVBUS_CFG_LEGACY;
	mutex_lock(&pci_pvbus_place_lock);
	if (pb->cfg_legacy)
		res = pci_pvbus_legacy_alloc(pb->pdev, &req);
	else if (mode == PCI_PVBUS_CFG_AUTO)
		res = pci_pvbus_alloc_cfg(&pci_pvbus_mmio_ops, pb->pdev, &req);
	else
		res = pci_pvbus_mmio_ops.alloc(pb->pdev, &req);
	mutex_unlock(&pci_pvbus_place_lock);
	if (IS_ERR(res)) {
		trace_pci_pvbus_cfg_window(pb->name, pci_pvbus_cfg_modes[mode],
					   0, 0, PTR_ERR(res));
		dev_err(dev, "no room for a config window of %#x bytes (cfg_window=%s): %ld\n",
			PVBUS_PCI_CFG_WINDOW_SIZE, pci_pvbus_cfg_modes[mode],
			PTR_ERR(res));
		return PTR_ERR(res);
	}
	pb->cfg = res;
	trace_pci_pvbus_cfg_window(pb->name, pci_pvbus_cfg_modes[mode],
				   res->start, res->end, 0);

	if (mode == PCI_PVBUS_CFG_LEGACY)
		dev_warn(dev, "cfg_window=legacy: config window %pR placed as old front-ends did\n",
			 res);
	else if (res->start < SZ_4G)
		dev_warn(dev, "no room above 4 GiB: config window %pR is below 4 GiB\n",
			 res);

	/* Busy: nothing else may map it, and it is never BAR space. */
	if (!__request_region(res, res->start, resource_size(res),
			      pb->cfg_name, 0)) {
		dev_err(dev, "config window %pR: cannot mark it busy\n", res);
		goto free;
	}

	if (pvbus_window_map(&pb->cfg_win, pb->pdev, res)) {
		dev_err(dev, "config window %pR: cannot map it\n", res);
		goto release;
	}
	return 0;

release:
	__release_region(res, res->start, resource_size(res));
free:
	pci_pvbus_cfg_put(pb);
	return -ENOMEM;
}

static void pci_pvbus_cfg_free(struct pci_pvbus *pb)
{
	if (!pb->cfg)
		return;
	pvbus_window_unmap(&pb->cfg_win);
	__release_region(pb->cfg, pb->cfg->start, resource_size(pb->cfg));
	pci_pvbus_cfg_put(pb);
}

static int pci_pvbus_cfg_do(struct pci_pvbus *pb, unsigned int devfn,
			    int where, int size, u32 *val, bool write,
			    bool visible_only)
{
	unsigned long flags;
	int ret;

	if (where < 0 || (size != 1 && size != 2 && size != 4) ||
	    where & (size - 1) || where + size > PVBUS_PCI_CFG_SPACE_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	if (devfn > PVBUS_PCI_MAX_DEVFN)
		return PCIBIOS_DEVICE_NOT_FOUND;

	raw_spin_lock_irqsave(&pb->cfg_lock, flags);
	if (!pb->d0 || (visible_only && !test_bit(devfn, pb->visible))) {
		raw_spin_unlock_irqrestore(&pb->cfg_lock, flags);
		if (!write)
			*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}

	ret = pvbus_window_write(&pb->cfg_win, PVBUS_PCI_CFG_SELECT, 4, devfn);
	if (!ret && write)
		ret = pvbus_window_write(&pb->cfg_win,
					 PVBUS_PCI_CFG_SPACE + where, size,
					 *val);
	else if (!ret)
		ret = pvbus_window_read(&pb->cfg_win,
					PVBUS_PCI_CFG_SPACE + where, size, val);
	raw_spin_unlock_irqrestore(&pb->cfg_lock, flags);

	if (ret) {
		if (!write)
			*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	/* pvbus_window_read() gave nothing wider than the access. */
	return PCIBIOS_SUCCESSFUL;
}

/*
 * One config access: select the function on page 0, then access its
 * config space on page 1, under @pb->cfg_lock so that the pair is atomic.
 * For the driver itself, any devfn; the PCI core goes through
 * pci_pvbus_read() and pci_pvbus_write(), which see only the visible ones.
 */
int pci_pvbus_cfg_access(struct pci_pvbus *pb, unsigned int devfn,
			 int where, int size, u32 *val, bool write)
{
	return pci_pvbus_cfg_do(pb, devfn, where, size, val, write, false);
}

static struct pci_pvbus *pci_pvbus_from_bus(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct pci_pvbus, sysdata);
}

/*
 * The PCI core's accesses: only on the root bus's own number (there is no
 * other bus behind it: without this, a bus a bridge made would alias the
 * root's functions) and only to the devfns the host listed and took.  A
 * read of the header type that shows anything but a type-0 header fails:
 * the function was checked before it was put on the bus, so a host that
 * changes it since is refused, not believed.  So does a read of a vendor
 * ID that reads as a retry (pci_pvbus_vendor_is_retry()).
 */
static int pci_pvbus_read(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 *val)
{
	struct pci_pvbus *pb = pci_pvbus_from_bus(bus);
	u32 hdr;
	int ret;

	if (bus->number != pb->busnr) {
		*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	ret = pci_pvbus_cfg_do(pb, devfn, where, size, val, false, true);
	if (ret)
		return ret;
	if (where == PCI_VENDOR_ID && size >= 2 &&
	    pci_pvbus_vendor_is_retry(*val)) {
		dev_err_ratelimited(pci_pvbus_dev(pb),
				    "function %02x.%x reads a retry (vendor ID 0x0001): access refused\n",
				    PCI_SLOT(devfn), PCI_FUNC(devfn));
		*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	if (where <= PCI_HEADER_TYPE && where + size > PCI_HEADER_TYPE) {
		hdr = *val >> (8 * (PCI_HEADER_TYPE - where));
		if ((hdr & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL) {
			dev_err_ratelimited(pci_pvbus_dev(pb),
					    "function %02x.%x shows a type-%u header: access refused\n",
					    PCI_SLOT(devfn), PCI_FUNC(devfn),
					    hdr & PCI_HEADER_TYPE_MASK);
			*val = ~0U;
			return PCIBIOS_DEVICE_NOT_FOUND;
		}
	}
	return PCIBIOS_SUCCESSFUL;
}

static int pci_pvbus_write(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 val)
{
	struct pci_pvbus *pb = pci_pvbus_from_bus(bus);

	if (bus->number != pb->busnr)
		return PCIBIOS_DEVICE_NOT_FOUND;
	return pci_pvbus_cfg_do(pb, devfn, where, size, &val, true, true);
}

struct pci_ops pci_pvbus_ops = {
	.read	= pci_pvbus_read,
	.write	= pci_pvbus_write,
};

void pci_pvbus_set_visible(struct pci_pvbus *pb, u32 devfn, bool on)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pb->cfg_lock, flags);
	if (on)
		__set_bit(devfn, pb->visible);
	else
		__clear_bit(devfn, pb->visible);
	raw_spin_unlock_irqrestore(&pb->cfg_lock, flags);
}

/* Release what the host was told about, exit D0, free every window. */
static void pci_pvbus_teardown(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn;

	pci_pvbus_remove_bus(pb);
	if (pb->d0) {
		list_for_each_entry_reverse(fn, &pb->fns, node)
			if (fn->assigned)
				pci_pvbus_release_fn(pb, fn);
		pci_pvbus_d0_exit(pb);
	}
	pci_pvbus_windows_free(pb);
	pci_pvbus_cfg_free(pb);
	pci_pvbus_free_fns(pb);
}

/*
 * Place the BARs of @fns together and take the windows they need, for
 * pci_pvbus_place_apart().  A function that fits nowhere is left out, with
 * a message naming it, and stays listed, so the host's next list tries it
 * again.
 */
static int pci_pvbus_setup_place_set(struct pci_pvbus *pb,
				     struct pci_pvbus_fn **fns, unsigned int n,
				     bool split)
{
	struct pci_pvbus_plan plan;
	int ret;

	ret = pci_pvbus_place_fns(pb, fns, n, &plan, split);
	if (ret == -ENOSPC && n == 1 && !split) {
		pb->nr_probe_no_room++;
		pci_pvbus_forget_fn(pb, fns[0]);
		return 0;
	}
	if (ret)
		return ret;
	ret = pci_pvbus_windows_init(pb, &plan, fns);
	if (ret)
		pci_pvbus_unplace(&plan, &pci_pvbus_mmio_ops, pb->pdev);
	pci_pvbus_plan_free(&plan);
	return ret;
}

static int pci_pvbus_setup(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fns[PVBUS_PCI_MAX_FUNCTIONS];
	struct pci_pvbus_fn *fn, *tmp;
	unsigned int nr, n, i;
	u64 seq = 0;
	int ret;

	ret = pci_pvbus_negotiate(pb);
	if (ret)
		return ret;

	ret = pci_pvbus_query_relations(pb, pb->desc, &nr, &seq);
	if (ret)
		return ret;
	pci_pvbus_set_list_seq(pb, seq);
	pci_pvbus_set_listed(pb, pb->desc, nr);
	n = pci_pvbus_new_fns(pb, pb->desc, nr, fns);
	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
	}
	/* Killed: the probe fails before it asks the host for D0. */
	if (fatal_signal_pending(current))
		return -EINTR;

	ret = pci_pvbus_cfg_alloc(pb);
	if (ret)
		return ret;
	ret = pci_pvbus_enter_d0(pb);
	if (ret)
		return ret;

	/* A bus whose functions all fit nowhere still answers the host. */
	ret = pci_pvbus_place_apart(pb, fns, n, pci_pvbus_setup_place_set);
	if (ret)
		return ret;

	/* Tell the host where the BARs are; what it refuses stays off. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		if (READ_ONCE(pb->host_gone) || fatal_signal_pending(current))
			break;
		if (pci_pvbus_offer_fn(pb, fn))
			pci_pvbus_remove_fn(pb, fn);
	}
	/* A bus whose host stopped answering is no bus. */
	if (READ_ONCE(pb->host_gone))
		return -ETIMEDOUT;
	/*
	 * Nor is one whose probe was killed: its task waits for no answer
	 * any more, and the functions left would not be offered.
	 */
	if (fatal_signal_pending(current))
		return -EINTR;

	ret = pci_pvbus_create_bus(pb);
	if (ret)
		return ret;
	/* Nor one that stopped answering as functions went back to it. */
	if (READ_ONCE(pb->host_gone))
		return -ETIMEDOUT;
	return 0;
}

static int pci_pvbus_probe(struct pvbus_device *pdev,
			   const struct pvbus_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct pci_pvbus *pb;
	int ret;

	pb = devm_kzalloc(dev, sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return -ENOMEM;
	pb->pdev = pdev;
	mutex_init(&pb->lock);
	INIT_LIST_HEAD(&pb->fns);
	INIT_LIST_HEAD(&pb->wins);
	INIT_LIST_HEAD(&pb->held);
	pb->max_win = PCI_PVBUS_MAX_WIN;
	raw_spin_lock_init(&pb->cfg_lock);
	spin_lock_init(&pb->note_lock);
	INIT_LIST_HEAD(&pb->notes);
	INIT_WORK(&pb->work, pci_pvbus_work);
	INIT_DELAYED_WORK(&pb->lost_retry, pci_pvbus_lost_retry);

	pb->wq = alloc_ordered_workqueue("pci-pvbus", 0);
	if (!pb->wq)
		return -ENOMEM;
	/*
	 * The host may notify as soon as probe is called: from here on its
	 * notifications are queued, and handled once probe is over (the
	 * worker waits for @pb->lock).
	 */
	mutex_lock(&pb->lock);
	dev_set_drvdata(dev, pb);

	ret = pci_pvbus_reserve_id(pb);
	if (ret)
		goto out_notes;
	snprintf(pb->bus_name, sizeof(pb->bus_name), "PCI Bus %04x:%02x",
		 pb->domain, pb->busnr);

	ret = pci_pvbus_setup(pb);
	if (ret)
		goto out_teardown;
	pb->state = PCI_PVBUS_RUNNING;
	dev_info(dev, "PCI domain %04x, bus %02x: %u function%s, config window %pR, protocol %u.%u\n",
		 pb->domain, pb->busnr, pb->nr_fns, pb->nr_fns == 1 ? "" : "s",
		 pb->cfg, pb->version >> 8, pb->version & 0xff);
	mutex_unlock(&pb->lock);
	return 0;

out_teardown:
	pb->state = PCI_PVBUS_DEAD;
	pci_pvbus_teardown(pb);
	mutex_unlock(&pb->lock);
	pci_pvbus_stop_notes(pb);
	dev_set_drvdata(dev, NULL);
	pci_pvbus_release_id(pb);
	return ret;

out_notes:
	pb->state = PCI_PVBUS_DEAD;
	mutex_unlock(&pb->lock);
	pci_pvbus_stop_notes(pb);
	dev_set_drvdata(dev, NULL);
	return ret;
}

static void pci_pvbus_remove(struct pvbus_device *pdev)
{
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);

	pci_pvbus_stop_notes(pb);
	mutex_lock(&pb->lock);
	pb->state = PCI_PVBUS_DEAD;
	pci_pvbus_teardown(pb);
	mutex_unlock(&pb->lock);
	pci_pvbus_release_id(pb);
	dev_set_drvdata(&pdev->dev, NULL);
}

static const struct pvbus_device_id pci_pvbus_id_table[] = {
	{ .class = PVBUS_PCI_CLASS },
	{ }
};
MODULE_DEVICE_TABLE(pvbus, pci_pvbus_id_table);

static struct pvbus_driver pci_pvbus_driver = {
	.driver = {
		.name	= "pci-pvbus",
	},
	.id_table	= pci_pvbus_id_table,
	.probe		= pci_pvbus_probe,
	.remove		= pci_pvbus_remove,
	.notify		= pci_pvbus_notify,
	.msg_specs	= pci_pvbus_msg_specs,
	.nr_msg_specs	= PCI_PVBUS_NR_MSG_SPECS,
};

/*
 * Not module_pvbus_driver(): built in, drivers/pci is linked before
 * drivers/pvbus, whose bus registers at module_init time.  A late initcall
 * registers after it; in a module, late_initcall() is module_init().
 */
static int __init pci_pvbus_init(void)
{
	return pvbus_driver_register(&pci_pvbus_driver);
}
late_initcall(pci_pvbus_init);

static void __exit pci_pvbus_exit(void)
{
	pvbus_driver_unregister(&pci_pvbus_driver);
}
module_exit(pci_pvbus_exit);

PVBUS_MODULE_ALIAS(PVBUS_PCI_CLASS_STR);
MODULE_DESCRIPTION("pvbus paravirtual PCI front-end");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
