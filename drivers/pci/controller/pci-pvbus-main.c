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
 *    4 GiB, below only when there is no room above, never on a reserved
 *    range (cfg_window=legacy takes the lowest free address anywhere, as
 *    the old front-ends did), and mark it busy;
 * 4. enter D0 with the config window's address; if the host refuses,
 *    release everything, exit D0 and try once more, since a host may still
 *    hold a crashed kernel's state;
 * 5. plan the BARs (pci-pvbus-plan.c) and allocate their windows;
 * 6. write the planned addresses into the BARs, create a root bus in a
 *    PCI domain of its own with the windows, scan exactly the slots the
 *    host listed, claim the BARs where they were planned;
 * 7. tell the host where each function's BARs are, leaving off the bus a
 *    function whose resources it refuses, and only then add the devices,
 *    so that no driver touches a BAR the host does not know of.
 *
 * Hotplug notifications are handled on an ordered workqueue: the host adds
 * functions with a new list (their BARs go into the windows' slack, or
 * into new windows), and ejects them.  Remove undoes everything in
 * reverse, so /proc/iomem is left as it was.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pci-pvbus: " fmt

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "pci-pvbus.h"

/* Windows a root bus keeps in reserve for hot add. */
#define PCI_PVBUS_SPARE_WINDOWS	4

/* Largest PCI domain chosen; without domains, largest root bus number. */
#define PCI_PVBUS_MAX_DOMAIN	0xffff
#define PCI_PVBUS_MAX_BUSNR	0xff

/* ---------------------------------------------------------------------
 * Parameters
 */

int pci_pvbus_cfg_mode = PCI_PVBUS_CFG_AUTO;

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
		 "Where a bus's config window goes: auto (default: above 4 GiB, else below 4 GiB off every reserved range), high (above 4 GiB or fail), legacy (the lowest free address anywhere, as old front-ends did)");

u64 pci_pvbus_slack[PCI_PVBUS_NR_ZONES] = {
	[PCI_PVBUS_LOW]		= 0,
	[PCI_PVBUS_HIGH]	= SZ_16M,
};

static int pci_pvbus_size_set(const char *val, const struct kernel_param *kp)
{
	char *end;
	u64 size;

	size = memparse(val, &end);
	if (end == val || (*end && *end != '\n'))
		return -EINVAL;
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

/* ---------------------------------------------------------------------
 * Domains
 */

/* Serialises the choice of domains; holds those of our buses. */
static DEFINE_MUTEX(pci_pvbus_ids_lock);
static DEFINE_XARRAY(pci_pvbus_ids);

struct pci_pvbus_ids {
	u32 *id;
	unsigned int nr;
	unsigned int room;
};

static int pci_pvbus_add_id(struct pci_pvbus_ids *ids, u32 id)
{
	if (ids->nr == ids->room) {
		unsigned int room = max(2 * ids->room, 16U);
		u32 *more;

		more = krealloc_array(ids->id, room, sizeof(*more), GFP_KERNEL);
		if (!more)
			return -ENOMEM;
		ids->id = more;
		ids->room = room;
	}
	ids->id[ids->nr++] = id;
	return 0;
}

/* The domains (or, without domains, the bus numbers) in use. */
static int pci_pvbus_ids_in_use(struct pci_pvbus_ids *ids)
{
	struct pci_bus *bus = NULL;
	unsigned long id;
	void *entry;
	int ret = 0;

	if (IS_ENABLED(CONFIG_PCI_DOMAINS)) {
		while (!ret && (bus = pci_find_next_bus(bus)))
			ret = pci_pvbus_add_id(ids, pci_domain_nr(bus));
	} else {
		for (id = 0; !ret && id <= PCI_PVBUS_MAX_BUSNR; id++)
			if (pci_find_bus(0, id))
				ret = pci_pvbus_add_id(ids, id);
	}
	xa_for_each(&pci_pvbus_ids, id, entry)
		if (!ret)
			ret = pci_pvbus_add_id(ids, id);
	return ret;
}

/*
 * Choose the bus's domain from its instance id, as the old front-ends
 * did: bytes 8 and 9, the fourth group of the UUID as printed.  Without
 * PCI domains, choose the number of its root bus instead.
 */
static int pci_pvbus_reserve_id(struct pci_pvbus *pb)
{
	const guid_t *inst = &pb->pdev->instance;
	u32 wanted = inst->b[8] << 8 | inst->b[9];
	bool domains = IS_ENABLED(CONFIG_PCI_DOMAINS);
	struct pci_pvbus_ids ids = {};
	int id;

	mutex_lock(&pci_pvbus_ids_lock);
	id = pci_pvbus_ids_in_use(&ids);
	if (!id)
		id = pci_pvbus_pick_id(wanted, ids.id, ids.nr,
				       domains ? PCI_PVBUS_MAX_DOMAIN :
						 PCI_PVBUS_MAX_BUSNR);
	kfree(ids.id);
	if (id >= 0) {
		int ret = xa_insert(&pci_pvbus_ids, id, pb, GFP_KERNEL);

		if (ret)
			id = ret;
	}
	mutex_unlock(&pci_pvbus_ids_lock);

	if (id < 0) {
		dev_err(&pb->pdev->dev, "no free PCI %s: %d\n",
			domains ? "domain" : "bus number", id);
		return id;
	}
	if (domains) {
		pb->domain = id;
		pb->busnr = 0;
	} else {
		pb->domain = 0;
		pb->busnr = id;
	}
	if (domains && id != wanted)
		dev_info(&pb->pdev->dev, "PCI domain %04x is not available: using %04x\n",
			 wanted, id);
	snprintf(pb->name, sizeof(pb->name), "pci-pvbus %04x:%02x",
		 pb->domain, pb->busnr);
	return 0;
}

static void pci_pvbus_release_id(struct pci_pvbus *pb)
{
	mutex_lock(&pci_pvbus_ids_lock);
	xa_erase(&pci_pvbus_ids, IS_ENABLED(CONFIG_PCI_DOMAINS) ?
		 pb->domain : pb->busnr);
	mutex_unlock(&pci_pvbus_ids_lock);
}

/* ---------------------------------------------------------------------
 * Requests
 */

static struct device *pci_pvbus_dev(struct pci_pvbus *pb)
{
	return &pb->pdev->dev;
}

/*
 * Send a request and wait for the answer.  A refusal returns -EREMOTEIO
 * with the host's status in *@status.
 */
static int pci_pvbus_request(struct pci_pvbus *pb, void *req, size_t req_len,
			     void *resp, size_t resp_size, size_t *resp_len,
			     u32 *status)
{
	int ret;

	*status = PVBUS_STATUS_SUCCESS;
	ret = pvbus_channel_request(pb->pdev->chan, req, req_len, resp,
				    resp_size, resp_len, 0);
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

static const u16 pci_pvbus_versions[] = {
	PVBUS_PCI_VERSION_1_1,
	PVBUS_PCI_VERSION_1_0,
};

static int pci_pvbus_negotiate(struct pci_pvbus *pb)
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
static int pci_pvbus_query_relations(struct pci_pvbus *pb,
				     struct pci_pvbus_fn_desc *desc,
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

/* QUERY_RESOURCES: a function's BARs as the host probed them. */
static int pci_pvbus_query_resources(struct pci_pvbus *pb,
				     struct pci_pvbus_fn *fn)
{
	struct pvbus_pci_slot_msg req = {};
	struct pvbus_pci_resources resp;
	char what[24];
	size_t len;
	u32 status;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_QUERY_RESOURCES, pb->version,
		       sizeof(req));
	req.slot = cpu_to_le32(fn->desc.slot);
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, &status);
	if (!ret)
		ret = pci_pvbus_parse_resources(&resp, len, pb->version,
						fn->desc.slot,
						fn->desc.flags &
						PVBUS_PCI_FN_PRESERVE,
						fn->bar);
	if (ret) {
		snprintf(what, sizeof(what), " of %02x.%x",
			 PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot));
		pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_QUERY_RESOURCES, ret,
					 status, what);
	}
	return ret;
}

/* A request naming one slot, echoed: RELEASED_RESOURCES, EJECT_COMPLETE. */
static int pci_pvbus_slot_request(struct pci_pvbus *pb, u16 type, u32 slot)
{
	struct pvbus_pci_slot_msg req = {}, resp;
	char what[24];
	size_t len;
	u32 status, got = slot;
	int ret;

	pvbus_msg_init(&req.hdr, type, pb->version, sizeof(req));
	req.slot = cpu_to_le32(slot);
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, &status);
	if (!ret)
		ret = pci_pvbus_check_slot_msg(&resp, len, pb->version, type,
					       &got);
	if (ret) {
		snprintf(what, sizeof(what), " of %02x.%x",
			 PCI_SLOT(slot), PCI_FUNC(slot));
		pci_pvbus_request_failed(pb, type, ret, status, what);
	}
	return ret;
}

static int pci_pvbus_release_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	fn->assigned = false;
	return pci_pvbus_slot_request(pb, PVBUS_PCI_MSG_RELEASED_RESOURCES,
				      fn->desc.slot);
}

static int pci_pvbus_send_assigned(struct pci_pvbus *pb,
				   struct pci_pvbus_fn *fn)
{
	struct pvbus_pci_assigned req = {}, resp;
	unsigned int b;
	char what[24];
	size_t len;
	u32 status;
	int ret;

	pvbus_msg_init(&req.hdr, PVBUS_PCI_MSG_ASSIGNED_RESOURCES, pb->version,
		       sizeof(req));
	req.slot = cpu_to_le32(fn->desc.slot);
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		req.addr[b] = cpu_to_le64(fn->addr[b]);
	ret = pci_pvbus_request(pb, &req, sizeof(req), &resp, sizeof(resp),
				&len, &status);
	if (!ret)
		ret = pci_pvbus_check_assigned(&resp, len, pb->version, &req);
	if (ret) {
		snprintf(what, sizeof(what), " of %02x.%x",
			 PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot));
		pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
					 ret, status, what);
		return ret;
	}
	fn->assigned = true;
	return 0;
}

/* ---------------------------------------------------------------------
 * The config window and config space
 */

static int pci_pvbus_cfg_alloc(struct pci_pvbus *pb)
{
	static const enum pvbus_mmio_zone zone[] = {
		[PCI_PVBUS_CFG_AUTO]	= PVBUS_MMIO_PREFER_HIGH,
		[PCI_PVBUS_CFG_HIGH]	= PVBUS_MMIO_HIGH,
		[PCI_PVBUS_CFG_LEGACY]	= PVBUS_MMIO_ANY,
	};
	const struct pvbus_host_ops *ops = pb->pdev->host->ops;
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
	res = pvbus_device_mmio_alloc(pb->pdev, &req);
	if (IS_ERR(res)) {
		dev_err(dev, "no room for a config window of %#x bytes (cfg_window=%s): %ld\n",
			PVBUS_PCI_CFG_WINDOW_SIZE, pci_pvbus_cfg_modes[mode],
			PTR_ERR(res));
		return PTR_ERR(res);
	}
	pb->cfg = res;

	if (mode == PCI_PVBUS_CFG_LEGACY)
		dev_warn(dev, "cfg_window=legacy: config window %pR is at the lowest free address\n",
			 res);
	else if (res->start < SZ_4G)
		dev_warn(dev, "no room above 4 GiB: config window %pR is below 4 GiB\n",
			 res);

	/* Busy: nothing else may map it, and it is never BAR space. */
	pb->cfg_busy = __request_region(res, res->start, resource_size(res),
					pb->cfg_name, 0);
	if (!pb->cfg_busy) {
		dev_err(dev, "config window %pR: cannot mark it busy\n", res);
		goto free;
	}

	if (!ops->window_read || !ops->window_write) {
		pb->cfg_map = ioremap(res->start, resource_size(res));
		if (!pb->cfg_map) {
			dev_err(dev, "config window %pR: cannot map it\n", res);
			goto release;
		}
	}
	return 0;

release:
	__release_region(res, res->start, resource_size(res));
	pb->cfg_busy = NULL;
free:
	pvbus_device_mmio_free(pb->pdev, res);
	pb->cfg = NULL;
	return -ENOMEM;
}

static void pci_pvbus_cfg_free(struct pci_pvbus *pb)
{
	if (!pb->cfg)
		return;
	if (pb->cfg_map)
		iounmap(pb->cfg_map);
	pb->cfg_map = NULL;
	__release_region(pb->cfg, pb->cfg->start, resource_size(pb->cfg));
	pb->cfg_busy = NULL;
	pvbus_device_mmio_free(pb->pdev, pb->cfg);
	pb->cfg = NULL;
}

/*
 * One config access: select the function on page 0, then access its
 * config space on page 1, under @pb->cfg_lock so that the pair is atomic.
 * Only the slots the host listed are visible.
 */
static int pci_pvbus_cfg_access(struct pci_pvbus *pb, unsigned int devfn,
				int where, int size, u32 *val, bool write)
{
	const struct pvbus_host_ops *ops = pb->pdev->host->ops;
	struct pvbus_host *host = pb->pdev->host;
	unsigned long flags;
	void __iomem *p;
	u64 sel, addr;
	int ret = 0;

	if (where < 0 || (size != 1 && size != 2 && size != 4) ||
	    where & (size - 1) || where + size > PVBUS_PCI_CFG_SPACE_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	if (devfn > PVBUS_PCI_MAX_SLOT)
		return PCIBIOS_DEVICE_NOT_FOUND;

	spin_lock_irqsave(&pb->cfg_lock, flags);
	if (!pb->d0 || !test_bit(devfn, pb->visible)) {
		spin_unlock_irqrestore(&pb->cfg_lock, flags);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}

	if (pb->cfg_map) {
		writel(devfn, pb->cfg_map + PVBUS_PCI_CFG_SELECT);
		p = pb->cfg_map + PVBUS_PCI_CFG_SPACE + where;
		if (write && size == 1)
			writeb(*val, p);
		else if (write && size == 2)
			writew(*val, p);
		else if (write)
			writel(*val, p);
		else if (size == 1)
			*val = readb(p);
		else if (size == 2)
			*val = readw(p);
		else
			*val = readl(p);
	} else {
		sel = pb->cfg->start + PVBUS_PCI_CFG_SELECT;
		addr = pb->cfg->start + PVBUS_PCI_CFG_SPACE + where;
		ret = ops->window_write(host, pb->pdev, sel, 4, devfn);
		if (!ret && write)
			ret = ops->window_write(host, pb->pdev, addr, size,
						*val);
		else if (!ret)
			ret = ops->window_read(host, pb->pdev, addr, size,
					       val);
	}
	spin_unlock_irqrestore(&pb->cfg_lock, flags);

	return ret ? PCIBIOS_DEVICE_NOT_FOUND : PCIBIOS_SUCCESSFUL;
}

static struct pci_pvbus *pci_pvbus_from_bus(struct pci_bus *bus)
{
#ifdef CONFIG_X86
	struct pci_sysdata *sd = bus->sysdata;

	return container_of(sd, struct pci_pvbus, sysdata);
#else
	return bus->sysdata;
#endif
}

static int pci_pvbus_read(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 *val)
{
	return pci_pvbus_cfg_access(pci_pvbus_from_bus(bus), devfn, where,
				    size, val, false);
}

static int pci_pvbus_write(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 val)
{
	return pci_pvbus_cfg_access(pci_pvbus_from_bus(bus), devfn, where,
				    size, &val, true);
}

static struct pci_ops pci_pvbus_ops = {
	.read	= pci_pvbus_read,
	.write	= pci_pvbus_write,
};

static void pci_pvbus_set_visible(struct pci_pvbus *pb, u32 slot, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->cfg_lock, flags);
	if (on)
		__set_bit(slot, pb->visible);
	else
		__clear_bit(slot, pb->visible);
	spin_unlock_irqrestore(&pb->cfg_lock, flags);
}

/* ---------------------------------------------------------------------
 * D0
 */

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
	if (!ret) {
		spin_lock_irqsave(&pb->cfg_lock, flags);
		pb->d0 = true;
		spin_unlock_irqrestore(&pb->cfg_lock, flags);
	}
	return ret;
}

static int pci_pvbus_d0_exit(struct pci_pvbus *pb)
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
	if (ret)
		pci_pvbus_request_failed(pb, PVBUS_PCI_MSG_D0_EXIT, ret, status,
					 "");
	return ret;
}

/*
 * Enter D0.  A host may still hold the state of a kernel that crashed
 * (this one is its kdump kernel): if it refuses, release every function,
 * exit D0 and try once more.
 */
static int pci_pvbus_enter_d0(struct pci_pvbus *pb)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;
	u32 status;
	int ret;

	ret = pci_pvbus_d0_entry(pb, &status);
	if (ret == -EREMOTEIO) {
		dev_warn(dev, "host refused D0 entry with config window %pR: status %#x (%s); exiting D0 and retrying\n",
			 pb->cfg, status, pci_pvbus_status_name(status));
		list_for_each_entry(fn, &pb->fns, node)
			pci_pvbus_release_fn(pb, fn);
		pci_pvbus_d0_exit(pb);
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

/* ---------------------------------------------------------------------
 * Windows
 */

static struct resource *pci_pvbus_mmio_alloc(void *ctx,
					     const struct pvbus_mmio_req *req)
{
	return pvbus_device_mmio_alloc(ctx, req);
}

static void pci_pvbus_mmio_free(void *ctx, struct resource *res)
{
	pvbus_device_mmio_free(ctx, res);
}

static const struct pci_pvbus_mmio_ops pci_pvbus_mmio_ops = {
	.alloc	= pci_pvbus_mmio_alloc,
	.free	= pci_pvbus_mmio_free,
};

static void pci_pvbus_win_spare(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	w->alloc = NULL;
	w->fn = NULL;
	w->grown = false;
	w->res.name = pb->bus_name;
	w->res.start = 0;
	w->res.end = 0;
	w->res.flags = IORESOURCE_MEM | IORESOURCE_UNSET | IORESOURCE_DISABLED;
}

/* Put a placed window into a spare: the PCI core sees it from now on. */
static void pci_pvbus_win_use(struct pci_pvbus_win *w,
			      const struct pci_pvbus_plan_win *pw,
			      struct pci_pvbus_fn *fn)
{
	w->alloc = pw->res;
	w->zone = pw->zone;
	w->kind = pw->kind;
	w->fn = pw->kind == PCI_PVBUS_WIN_FIXED ? fn : NULL;
	w->res.start = pw->res->start;
	w->res.end = pw->res->end;
	w->res.flags = IORESOURCE_MEM;
	/* A fresh allocation has no children: this cannot fail. */
	WARN_ON(request_resource(w->alloc, &w->res));
}

/* Give a window back to the bus; it becomes a spare. */
static void pci_pvbus_win_free(struct pci_pvbus *pb, struct pci_pvbus_win *w)
{
	if (!w->alloc)
		return;
	if (WARN(w->res.child, "%s: window %pR still holds %pR\n", pb->name,
		 &w->res, w->res.child))
		return;
	release_resource(&w->res);
	pvbus_device_mmio_free(pb->pdev, w->alloc);
	pci_pvbus_win_spare(pb, w);
}

static void pci_pvbus_plan_free(struct pci_pvbus_plan *p)
{
	kfree(p->fn);
	kfree(p->win);
	kfree(p->used);
	memset(p, 0, sizeof(*p));
}

/* The ranges taken in the bus's packed windows: BARs, ROMs, anything. */
static int pci_pvbus_used(struct pci_pvbus *pb, struct pci_pvbus_plan *p)
{
	struct pci_pvbus_range *used;
	unsigned int i, n = 0;
	struct resource *r;

	for (i = 0; i < pb->nr_win; i++)
		for (r = pb->win[i].alloc ? pb->win[i].res.child : NULL; r;
		     r = r->sibling)
			n++;
	used = kcalloc(max(n, 1U), sizeof(*used), GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < pb->nr_win; i++) {
		for (r = pb->win[i].alloc ? pb->win[i].res.child : NULL; r;
		     r = r->sibling) {
			used[n].start = r->start;
			used[n].end = r->end;
			n++;
		}
	}
	p->used = used;
	p->nr_used = n;
	return 0;
}

/*
 * Plan the BARs of @fns into the bus's windows and allocate the new
 * windows they need.  Called with pci_lock_rescan_remove() held once the
 * bus exists, since the windows' children are read.
 */
static int pci_pvbus_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			       unsigned int n, struct pci_pvbus_plan *p)
{
	struct device *dev = pci_pvbus_dev(pb);
	unsigned int i, b, spare = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < pb->nr_win; i++)
		if (!pb->win[i].alloc)
			spare++;
	p->nr_old = pb->nr_win - spare;
	p->max_win = pb->win ? pb->nr_win : 2 + n * PVBUS_PCI_NR_BARS;

	p->fn = kcalloc(max(n, 1U), sizeof(*p->fn), GFP_KERNEL);
	p->win = kcalloc(p->max_win, sizeof(*p->win), GFP_KERNEL);
	if (!p->fn || !p->win) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = pci_pvbus_used(pb, p);
	if (ret)
		goto fail;

	for (i = 0, b = 0; i < pb->nr_win; i++) {
		struct pci_pvbus_win *w = &pb->win[i];

		if (!w->alloc)
			continue;
		p->win[b++] = (struct pci_pvbus_plan_win) {
			.start	= w->res.start,
			.size	= resource_size(&w->res),
			.zone	= w->zone,
			.kind	= w->kind,
		};
	}

	p->nr_fn = n;
	for (i = 0; i < n; i++) {
		p->fn[i].bar = fns[i]->bar;
		p->fn[i].preserve = fns[i]->desc.flags & PVBUS_PCI_FN_PRESERVE;
		p->fn[i].keep = PCI_PVBUS_KEEP_NONE;
	}
	p->slack[PCI_PVBUS_LOW] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_LOW]);
	p->slack[PCI_PVBUS_HIGH] = READ_ONCE(pci_pvbus_slack[PCI_PVBUS_HIGH]);

	ret = pci_pvbus_place(p, &pci_pvbus_mmio_ops, pb->pdev, pb->name);
	if (ret)
		goto fail;
	if (p->no_high)
		dev_warn(dev, "no room above 4 GiB: 64-bit BARs go below 4 GiB\n");

	for (i = 0; i < n; i++) {
		struct pci_pvbus_plan_fn *pf = &p->fn[i];

		fns[i]->keep = pf->keep;
		if (fns[i]->desc.flags & PVBUS_PCI_FN_PRESERVE &&
		    pf->keep != PCI_PVBUS_KEEP_OK)
			dev_warn(dev,
				 "function %02x.%x: host-assigned BARs not kept (BAR %u: %s): reassigned\n",
				 PCI_SLOT(fns[i]->desc.slot),
				 PCI_FUNC(fns[i]->desc.slot), pf->bad_bar,
				 pci_pvbus_keep_reason(pf->keep));
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			fns[i]->addr[b] = pf->win[b] < 0 ? 0 :
				p->win[pf->win[b]].start + pf->off[b];
	}
	return 0;

fail:
	if (ret == -ENOSPC)
		dev_err(dev, "no room for the BARs of %u function%s\n", n,
			n == 1 ? "" : "s");
	pci_pvbus_plan_free(p);
	return ret;
}

/* The function whose fixed window plan window @w is. */
static struct pci_pvbus_fn *pci_pvbus_win_fn(const struct pci_pvbus_plan *p,
					     unsigned int w,
					     struct pci_pvbus_fn **fns)
{
	return p->win[w].kind == PCI_PVBUS_WIN_FIXED ? fns[p->win[w].fn] :
						       NULL;
}

/*
 * The first windows of a new bus: each placed window, then a spare so that
 * no two windows are neighbours in the list the PCI core gets (it merges
 * adjacent windows it is given), then the spares for hot add.
 */
static int pci_pvbus_windows_init(struct pci_pvbus *pb,
				  struct pci_pvbus_plan *p,
				  struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0, real = 0;

	for (i = p->nr_old; i < p->nr_win; i++)
		if (p->win[i].res)
			real++;
	pb->win = kcalloc(2 * real + PCI_PVBUS_SPARE_WINDOWS, sizeof(*pb->win),
			  GFP_KERNEL);
	if (!pb->win)
		return -ENOMEM;
	pb->nr_win = 2 * real + PCI_PVBUS_SPARE_WINDOWS;
	for (i = 0; i < pb->nr_win; i++)
		pci_pvbus_win_spare(pb, &pb->win[i]);

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		pci_pvbus_win_use(&pb->win[n], &p->win[i],
				  pci_pvbus_win_fn(p, i, fns));
		p->win[i].res = NULL;	/* the bus owns it now */
		n += 2;
	}
	return 0;
}

/* Hot add: put the new windows into spares. */
static void pci_pvbus_windows_add(struct pci_pvbus *pb,
				  struct pci_pvbus_plan *p,
				  struct pci_pvbus_fn **fns)
{
	unsigned int i, s = 0;

	for (i = p->nr_old; i < p->nr_win; i++) {
		if (!p->win[i].res)
			continue;
		while (pb->win[s].alloc)
			s++;
		pci_pvbus_win_use(&pb->win[s], &p->win[i],
				  pci_pvbus_win_fn(p, i, fns));
		pb->win[s].grown = true;
		p->win[i].res = NULL;
	}
}

static void pci_pvbus_windows_free(struct pci_pvbus *pb)
{
	unsigned int i;

	for (i = 0; i < pb->nr_win; i++)
		pci_pvbus_win_free(pb, &pb->win[i]);
	kfree(pb->win);
	pb->win = NULL;
	pb->nr_win = 0;
}

/* ---------------------------------------------------------------------
 * Functions on the bus
 */

/* Write the planned BARs of @fn, with decoding off if any changes. */
static void pci_pvbus_write_bars(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.slot, b;
	bool off = false;
	u32 cmd, lo, hi;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		bool is64 = fn->bar[b].flags & PCI_PVBUS_BAR_64;
		int where = PCI_BASE_ADDRESS_0 + 4 * b;
		u64 addr = fn->addr[b], cur;

		if (!addr)
			continue;
		hi = 0;
		if (pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, false) ||
		    (is64 && pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
						  false)))
			continue;
		cur = (u64)hi << 32 | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		if (cur == addr)
			continue;

		if (!off && !pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2,
						  &cmd, false)) {
			cmd &= ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
			pci_pvbus_cfg_access(pb, devfn, PCI_COMMAND, 2, &cmd,
					     true);
			off = true;
		}
		lo = lower_32_bits(addr);
		hi = upper_32_bits(addr);
		pci_pvbus_cfg_access(pb, devfn, where, 4, &lo, true);
		if (is64)
			pci_pvbus_cfg_access(pb, devfn, where + 4, 4, &hi,
					     true);
	}
}

/*
 * Put @fn on the bus (the scan may have found it already) and claim its
 * BARs where they were planned.  Called with pci_lock_rescan_remove()
 * held, for every new function before pci_pvbus_finish_fn().
 */
static int pci_pvbus_add_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	unsigned int devfn = fn->desc.slot, b;
	struct pci_dev *pdev;

	pdev = pci_get_slot(pb->bus, devfn);
	if (!pdev) {
		pdev = pci_scan_single_device(pb->bus, devfn);
		pci_dev_get(pdev);
	}
	if (!pdev) {
		dev_err(pci_pvbus_dev(pb),
			"function %02x.%x (%04x:%04x) does not answer in config space\n",
			PCI_SLOT(devfn), PCI_FUNC(devfn), fn->desc.vendor,
			fn->desc.device);
		return -ENODEV;
	}
	if (pdev->vendor != fn->desc.vendor || pdev->device != fn->desc.device)
		pci_warn(pdev, "is %04x:%04x in config space, %04x:%04x in the host's list\n",
			 pdev->vendor, pdev->device, fn->desc.vendor,
			 fn->desc.device);

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		if (!fn->addr[b])
			continue;
		if (!r->parent)
			pci_claim_resource(pdev, b);
		if (!r->parent || r->start != fn->addr[b] ||
		    resource_size(r) != fn->bar[b].size)
			pci_warn(pdev, "BAR %u is %pR, not [mem %#llx-%#llx] as planned\n",
				 b, r, fn->addr[b],
				 fn->addr[b] + fn->bar[b].size - 1);
	}
	fn->present = true;
	pci_dev_put(pdev);
	return 0;
}

/*
 * Once every new function's planned BARs are claimed: a memory BAR the
 * host did not describe is assigned by the PCI core in the windows, and
 * where each BAR ended up is noted for ASSIGNED_RESOURCES.
 */
static void pci_pvbus_finish_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;
	unsigned int b;

	if (!fn->present)
		return;
	pdev = pci_get_slot(pb->bus, fn->desc.slot);
	if (!pdev) {
		fn->present = false;
		return;
	}
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		if (resource_type(r) != IORESOURCE_MEM || r->parent ||
		    !resource_size(r))
			continue;
		pci_warn(pdev, "BAR %u %pR was not described by the host\n",
			 b, r);
		if (pci_assign_resource(pdev, b))
			pci_warn(pdev, "BAR %u: no room for it\n", b);
	}

	/* What the host is told: where each BAR really is. */
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		struct resource *r = &pdev->resource[b];

		fn->addr[b] = resource_type(r) == IORESOURCE_MEM && r->parent ?
			      r->start : 0;
	}
	pci_dev_put(pdev);
}

/*
 * Tell the host where @fn's BARs are, before any driver can bind to it: a
 * function whose resources the host refuses does not stay on the bus.
 * Called with pci_lock_rescan_remove() held, before pci_bus_add_devices().
 */
static void pci_pvbus_assign_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;

	if (!fn->present || !pci_pvbus_send_assigned(pb, fn))
		return;
	pdev = pci_get_slot(pb->bus, fn->desc.slot);
	if (pdev) {
		pci_stop_and_remove_bus_device(pdev);
		pci_dev_put(pdev);
	}
	fn->present = false;
	pci_pvbus_set_visible(pb, fn->desc.slot, false);
	dev_err(pci_pvbus_dev(pb),
		"function %02x.%x (%04x:%04x) left off the bus: the host did not take its resources\n",
		PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot),
		fn->desc.vendor, fn->desc.device);
}

/* Take @fn off the bus, with its fixed windows, and forget it. */
static void pci_pvbus_remove_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn)
{
	struct pci_dev *pdev;
	unsigned int i;

	pci_lock_rescan_remove();
	if (fn->present) {
		pdev = pci_get_slot(pb->bus, fn->desc.slot);
		if (pdev) {
			pci_stop_and_remove_bus_device(pdev);
			pci_dev_put(pdev);
		}
		fn->present = false;
	}
	pci_pvbus_set_visible(pb, fn->desc.slot, false);
	/* Its fixed windows, and windows grown for hot add now empty. */
	for (i = 0; i < pb->nr_win; i++) {
		struct pci_pvbus_win *w = &pb->win[i];

		if (w->fn == fn || (w->alloc && w->grown && !w->res.child))
			pci_pvbus_win_free(pb, w);
	}
	pci_unlock_rescan_remove();

	list_del(&fn->node);
	pb->nr_fns--;
	kfree(fn);
}

static struct pci_pvbus_fn *pci_pvbus_find_fn(struct pci_pvbus *pb, u32 slot)
{
	struct pci_pvbus_fn *fn;

	list_for_each_entry(fn, &pb->fns, node)
		if (fn->desc.slot == slot)
			return fn;
	return NULL;
}

/* New functions from @desc: ask for their BARs; skip those that fail. */
static unsigned int pci_pvbus_new_fns(struct pci_pvbus *pb,
				      const struct pci_pvbus_fn_desc *desc,
				      unsigned int nr,
				      struct pci_pvbus_fn **fns)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++) {
		struct pci_pvbus_fn *fn;

		fn = kzalloc(sizeof(*fn), GFP_KERNEL);
		if (!fn)
			break;
		fn->desc = desc[i];
		if (pci_pvbus_query_resources(pb, fn)) {
			dev_err(pci_pvbus_dev(pb),
				"function %02x.%x (%04x:%04x) left out\n",
				PCI_SLOT(fn->desc.slot),
				PCI_FUNC(fn->desc.slot), fn->desc.vendor,
				fn->desc.device);
			kfree(fn);
			continue;
		}
		fns[n++] = fn;
	}
	return n;
}

/* ---------------------------------------------------------------------
 * The root bus
 */

static int pci_pvbus_create_bus(struct pci_pvbus *pb)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_host_bridge *bridge;
	struct pci_pvbus_fn *fn;
	unsigned int i;
	int ret;

	bridge = devm_pci_alloc_host_bridge(dev, 0);
	if (!bridge)
		return -ENOMEM;

#ifdef CONFIG_X86
	pb->sysdata.domain = pb->domain;
	pb->sysdata.node = dev_to_node(dev);
	bridge->sysdata = &pb->sysdata;
#else
	bridge->sysdata = pb;
#endif
#ifdef CONFIG_PCI_DOMAINS_GENERIC
	bridge->domain_nr = pb->domain;
#endif
	bridge->ops = &pci_pvbus_ops;
	bridge->busnr = pb->busnr;

	pb->busn.name = pb->bus_name;
	pb->busn.start = pb->busnr;
	pb->busn.end = IS_ENABLED(CONFIG_PCI_DOMAINS) ? 0xff : pb->busnr;
	pb->busn.flags = IORESOURCE_BUS;
	pci_add_resource(&bridge->windows, &pb->busn);
	for (i = 0; i < pb->nr_win; i++)
		pci_add_resource(&bridge->windows, &pb->win[i].res);

	pci_lock_rescan_remove();
	ret = pci_scan_root_bus_bridge(bridge);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "cannot create root bus %04x:%02x: %d\n",
			pb->domain, pb->busnr, ret);
		return ret;
	}
	pb->bridge = bridge;
	pb->bus = bridge->bus;
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_add_fn(pb, fn);
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_finish_fn(pb, fn);
	list_for_each_entry(fn, &pb->fns, node)
		pci_pvbus_assign_fn(pb, fn);
	pci_bus_add_devices(pb->bus);
	pci_unlock_rescan_remove();
	return 0;
}

static void pci_pvbus_remove_bus(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn;

	if (pb->bus) {
		pci_lock_rescan_remove();
		pci_stop_root_bus(pb->bus);
		pci_remove_root_bus(pb->bus);
		pci_unlock_rescan_remove();
		pb->bus = NULL;
		pb->bridge = NULL;
	}
	list_for_each_entry(fn, &pb->fns, node) {
		fn->present = false;
		pci_pvbus_set_visible(pb, fn->desc.slot, false);
	}
}

static void pci_pvbus_free_fns(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn *fn, *tmp;

	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		list_del(&fn->node);
		kfree(fn);
	}
	pb->nr_fns = 0;
}

/* ---------------------------------------------------------------------
 * Hotplug
 */

static void pci_pvbus_set_listed(struct pci_pvbus *pb,
				 const struct pci_pvbus_fn_desc *desc,
				 unsigned int nr)
{
	unsigned int i;

	bitmap_zero(pb->listed, PVBUS_PCI_MAX_SLOT + 1);
	for (i = 0; i < nr; i++)
		__set_bit(desc[i].slot, pb->listed);
}

static bool pci_pvbus_same_fn(const struct pci_pvbus_fn_desc *a,
			      const struct pci_pvbus_fn_desc *b)
{
	return a->slot == b->slot && a->vendor == b->vendor &&
	       a->device == b->device && a->class == b->class &&
	       a->subsys_vendor == b->subsys_vendor &&
	       a->subsys_device == b->subsys_device && a->serial == b->serial;
}

/* Hot add @n functions described by @desc. */
static void pci_pvbus_hot_add(struct pci_pvbus *pb,
			      const struct pci_pvbus_fn_desc *desc,
			      unsigned int nr)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_plan plan;
	struct pci_pvbus_fn **fns;
	unsigned int i, n;
	int ret;

	fns = kcalloc(nr, sizeof(*fns), GFP_KERNEL);
	if (!fns)
		return;
	n = pci_pvbus_new_fns(pb, desc, nr, fns);
	if (!n)
		goto out;

	pci_lock_rescan_remove();
	ret = pci_pvbus_place_fns(pb, fns, n, &plan);
	if (ret) {
		pci_unlock_rescan_remove();
		dev_err(dev, "hot add of %u function%s failed: %d\n", n,
			n == 1 ? "" : "s", ret);
		for (i = 0; i < n; i++)
			kfree(fns[i]);
		goto out;
	}
	pci_pvbus_windows_add(pb, &plan, fns);
	pci_pvbus_plan_free(&plan);

	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
		pci_pvbus_set_visible(pb, fns[i]->desc.slot, true);
		pci_pvbus_write_bars(pb, fns[i]);
	}
	for (i = 0; i < n; i++)
		pci_pvbus_add_fn(pb, fns[i]);
	for (i = 0; i < n; i++)
		pci_pvbus_finish_fn(pb, fns[i]);
	for (i = 0; i < n; i++)
		pci_pvbus_assign_fn(pb, fns[i]);
	pci_bus_add_devices(pb->bus);
	pci_unlock_rescan_remove();

	for (i = 0; i < n; i++)
		if (fns[i]->present)
			dev_info(dev, "function %02x.%x (%04x:%04x) added\n",
				 PCI_SLOT(fns[i]->desc.slot),
				 PCI_FUNC(fns[i]->desc.slot),
				 fns[i]->desc.vendor, fns[i]->desc.device);
out:
	kfree(fns);
}

static void pci_pvbus_relations_changed(struct pci_pvbus *pb, const void *msg,
					size_t len)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn_desc *desc, *add;
	struct pci_pvbus_fn *fn, *tmp;
	unsigned int nr, i, j, n = 0;
	int ret;

	desc = kcalloc(2 * PVBUS_PCI_MAX_FUNCTIONS, sizeof(*desc), GFP_KERNEL);
	if (!desc)
		return;
	add = desc + PVBUS_PCI_MAX_FUNCTIONS;

	ret = pci_pvbus_parse_relations(msg, len, pb->version,
					PVBUS_PCI_MSG_RELATIONS_CHANGED, desc,
					&nr);
	if (ret) {
		dev_err(dev, "malformed RELATIONS_CHANGED dropped: %d\n", ret);
		goto out;
	}
	pci_pvbus_set_listed(pb, desc, nr);

	/* Gone from the list, or another function in the same slot. */
	list_for_each_entry_safe(fn, tmp, &pb->fns, node) {
		for (i = 0; i < nr; i++)
			if (pci_pvbus_same_fn(&desc[i], &fn->desc))
				break;
		if (i < nr)
			continue;
		dev_info(dev, "function %02x.%x (%04x:%04x) is gone\n",
			 PCI_SLOT(fn->desc.slot), PCI_FUNC(fn->desc.slot),
			 fn->desc.vendor, fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
	}

	for (i = 0; i < nr; i++) {
		if (pci_pvbus_find_fn(pb, desc[i].slot))
			continue;
		for (j = 0; j < n; j++)
			if (add[j].slot == desc[i].slot)
				break;
		if (j == n)
			add[n++] = desc[i];
	}
	if (n)
		pci_pvbus_hot_add(pb, add, n);
out:
	kfree(desc);
}

static void pci_pvbus_eject(struct pci_pvbus *pb, const void *msg, size_t len)
{
	struct device *dev = pci_pvbus_dev(pb);
	struct pci_pvbus_fn *fn;
	u32 slot;
	int ret;

	ret = pci_pvbus_check_slot_msg(msg, len, pb->version,
				       PVBUS_PCI_MSG_EJECT, &slot);
	if (ret) {
		dev_err(dev, "malformed EJECT dropped: %d\n", ret);
		return;
	}
	fn = pci_pvbus_find_fn(pb, slot);
	if (fn) {
		dev_info(dev, "function %02x.%x (%04x:%04x) ejected\n",
			 PCI_SLOT(slot), PCI_FUNC(slot), fn->desc.vendor,
			 fn->desc.device);
		pci_pvbus_remove_fn(pb, fn);
	} else if (test_bit(slot, pb->listed)) {
		/* Listed, but left out: there is nothing to remove. */
		dev_info(dev, "function %02x.%x ejected\n", PCI_SLOT(slot),
			 PCI_FUNC(slot));
	} else {
		dev_warn(dev,
			 "host ejects %02x.%x, which it never listed: ignored\n",
			 PCI_SLOT(slot), PCI_FUNC(slot));
		return;
	}
	__clear_bit(slot, pb->listed);
	pci_pvbus_slot_request(pb, PVBUS_PCI_MSG_EJECT_COMPLETE, slot);
}

struct pci_pvbus_note {
	struct list_head node;
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

static void pci_pvbus_work(struct work_struct *work)
{
	struct pci_pvbus *pb = container_of(work, struct pci_pvbus, work);
	struct pci_pvbus_note *note;
	unsigned long flags;
	bool dying;

	for (;;) {
		spin_lock_irqsave(&pb->note_lock, flags);
		note = list_first_entry_or_null(&pb->notes,
						struct pci_pvbus_note, node);
		if (note)
			list_del(&note->node);
		dying = pb->dying;
		spin_unlock_irqrestore(&pb->note_lock, flags);
		if (!note)
			return;
		if (!dying)
			pci_pvbus_handle(pb, note->msg, note->len);
		kfree(note);
	}
}

/* A validated notification: queue it for the workqueue. */
static void pci_pvbus_notify(struct pvbus_device *pdev, const void *msg,
			     size_t len)
{
	struct pci_pvbus *pb = dev_get_drvdata(&pdev->dev);
	u16 type = le16_to_cpu(((const struct pvbus_msg_hdr *)msg)->type);
	struct pci_pvbus_note *note;
	unsigned long flags;

	if (!pb)
		return;
	if (type != PVBUS_PCI_MSG_RELATIONS_CHANGED &&
	    type != PVBUS_PCI_MSG_EJECT) {
		dev_warn_ratelimited(&pdev->dev, "unexpected notification of type %#x dropped\n",
				     type);
		return;
	}

	note = kmalloc(struct_size(note, msg, len), GFP_KERNEL);
	if (!note)
		return;
	note->len = len;
	memcpy(note->msg, msg, len);

	spin_lock_irqsave(&pb->note_lock, flags);
	if (pb->dying) {
		spin_unlock_irqrestore(&pb->note_lock, flags);
		kfree(note);
		return;
	}
	list_add_tail(&note->node, &pb->notes);
	queue_work(pb->wq, &pb->work);
	spin_unlock_irqrestore(&pb->note_lock, flags);
}

/* No more notifications; those queued are dropped. */
static void pci_pvbus_stop_notes(struct pci_pvbus *pb)
{
	unsigned long flags;

	spin_lock_irqsave(&pb->note_lock, flags);
	pb->dying = true;
	spin_unlock_irqrestore(&pb->note_lock, flags);
	destroy_workqueue(pb->wq);
}

/* ---------------------------------------------------------------------
 * Probe and remove
 */

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

static int pci_pvbus_setup(struct pci_pvbus *pb)
{
	struct pci_pvbus_fn_desc *desc;
	struct pci_pvbus_plan plan;
	struct pci_pvbus_fn **fns;
	struct pci_pvbus_fn *fn;
	unsigned int nr, n, i;
	int ret;

	ret = pci_pvbus_negotiate(pb);
	if (ret)
		return ret;

	desc = kcalloc(PVBUS_PCI_MAX_FUNCTIONS, sizeof(*desc), GFP_KERNEL);
	fns = kcalloc(PVBUS_PCI_MAX_FUNCTIONS, sizeof(*fns), GFP_KERNEL);
	if (!desc || !fns) {
		ret = -ENOMEM;
		goto out;
	}
	ret = pci_pvbus_query_relations(pb, desc, &nr);
	if (ret)
		goto out;
	pci_pvbus_set_listed(pb, desc, nr);
	n = pci_pvbus_new_fns(pb, desc, nr, fns);
	for (i = 0; i < n; i++) {
		list_add_tail(&fns[i]->node, &pb->fns);
		pb->nr_fns++;
	}

	ret = pci_pvbus_cfg_alloc(pb);
	if (ret)
		goto out;
	ret = pci_pvbus_enter_d0(pb);
	if (ret)
		goto out;

	ret = pci_pvbus_place_fns(pb, fns, n, &plan);
	if (ret)
		goto out;
	ret = pci_pvbus_windows_init(pb, &plan, fns);
	if (ret) {
		pci_pvbus_unplace(&plan, &pci_pvbus_mmio_ops, pb->pdev);
		pci_pvbus_plan_free(&plan);
		goto out;
	}
	pci_pvbus_plan_free(&plan);

	/* Only the slots the host listed answer config accesses. */
	list_for_each_entry(fn, &pb->fns, node) {
		pci_pvbus_set_visible(pb, fn->desc.slot, true);
		pci_pvbus_write_bars(pb, fn);
	}

	ret = pci_pvbus_create_bus(pb);
out:
	kfree(fns);
	kfree(desc);
	return ret;
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
	spin_lock_init(&pb->cfg_lock);
	spin_lock_init(&pb->note_lock);
	INIT_LIST_HEAD(&pb->notes);
	INIT_WORK(&pb->work, pci_pvbus_work);

	ret = pci_pvbus_reserve_id(pb);
	if (ret)
		return ret;
	snprintf(pb->bus_name, sizeof(pb->bus_name), "PCI Bus %04x:%02x",
		 pb->domain, pb->busnr);

	pb->wq = alloc_ordered_workqueue("pci-pvbus", 0);
	if (!pb->wq) {
		ret = -ENOMEM;
		goto out_id;
	}
	dev_set_drvdata(dev, pb);

	mutex_lock(&pb->lock);
	ret = pci_pvbus_setup(pb);
	if (ret) {
		pb->state = PCI_PVBUS_DEAD;
		pci_pvbus_teardown(pb);
		mutex_unlock(&pb->lock);
		pci_pvbus_stop_notes(pb);
		dev_set_drvdata(dev, NULL);
		goto out_id;
	}
	pb->state = PCI_PVBUS_RUNNING;
	dev_info(dev, "PCI domain %04x, bus %02x: %u function%s, config window %pR, protocol %u.%u\n",
		 pb->domain, pb->busnr, pb->nr_fns, pb->nr_fns == 1 ? "" : "s",
		 pb->cfg, pb->version >> 8, pb->version & 0xff);
	mutex_unlock(&pb->lock);
	return 0;

out_id:
	pci_pvbus_release_id(pb);
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
