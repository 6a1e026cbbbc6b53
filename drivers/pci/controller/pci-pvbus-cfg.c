// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: the config window, taken from the bus's MMIO allocator and
 * marked busy, and the config accessors of the root bus: select a
 * function, then access its config space, for the devfns the host listed.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#include "pci-pvbus.h"

/* ---------------------------------------------------------------------
 * The config window and config space
 */

int pci_pvbus_cfg_alloc(struct pci_pvbus *pb)
{
	static const enum pvbus_mmio_zone zone[] = {
		[PCI_PVBUS_CFG_AUTO]	= PVBUS_MMIO_PREFER_HIGH,
		[PCI_PVBUS_CFG_HIGH]	= PVBUS_MMIO_HIGH,
		[PCI_PVBUS_CFG_LEGACY]	= PVBUS_MMIO_LEGACY,
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
	res = pvbus_device_mmio_alloc(pb->pdev, &req);
	if (IS_ERR(res)) {
		dev_err(dev, "no room for a config window of %#x bytes (cfg_window=%s): %ld\n",
			PVBUS_PCI_CFG_WINDOW_SIZE, pci_pvbus_cfg_modes[mode],
			PTR_ERR(res));
		return PTR_ERR(res);
	}
	pb->cfg = res;

	if (mode == PCI_PVBUS_CFG_LEGACY)
		dev_warn(dev, "cfg_window=legacy: config window %pR placed as old front-ends did\n",
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

	if (pvbus_window_map(&pb->cfg_win, pb->pdev, res)) {
		dev_err(dev, "config window %pR: cannot map it\n", res);
		goto release;
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

void pci_pvbus_cfg_free(struct pci_pvbus *pb)
{
	if (!pb->cfg)
		return;
	pvbus_window_unmap(&pb->cfg_win);
	__release_region(pb->cfg, pb->cfg->start, resource_size(pb->cfg));
	pb->cfg_busy = NULL;
	pvbus_device_mmio_free(pb->pdev, pb->cfg);
	pb->cfg = NULL;
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

	spin_lock_irqsave(&pb->cfg_lock, flags);
	if (!pb->d0 || (visible_only && !test_bit(devfn, pb->visible))) {
		spin_unlock_irqrestore(&pb->cfg_lock, flags);
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
	spin_unlock_irqrestore(&pb->cfg_lock, flags);

	if (ret) {
		if (!write)
			*val = ~0U;
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	/* Nothing wider than the access, whatever the backend returned. */
	if (!write && size < 4)
		*val &= (1U << (8 * size)) - 1;
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
#ifdef CONFIG_X86
	struct pci_sysdata *sd = bus->sysdata;

	return container_of(sd, struct pci_pvbus, sysdata);
#else
	return bus->sysdata;
#endif
}

/*
 * The PCI core's accesses: only on the root bus's own number (there is no
 * other bus behind it: without this, a bus a bridge made would alias the
 * root's functions) and only to the devfns the host listed and took.  A
 * read of the header type that shows anything but a type-0 header fails:
 * the function was checked before it was put on the bus, so a host that
 * changes it since is refused, not believed.
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

	spin_lock_irqsave(&pb->cfg_lock, flags);
	if (on)
		__set_bit(devfn, pb->visible);
	else
		__clear_bit(devfn, pb->visible);
	spin_unlock_irqrestore(&pb->cfg_lock, flags);
}

