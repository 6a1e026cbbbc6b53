// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the config window of a simulated PCI bus, the accesses a
 * hypervisor would trap: page 0 selects a function, page 1 is its config
 * space, emulated (pci_emul.c) or forwarded (pci_forward.c).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>

#include "pci.h"

/*
 * One access of @size bytes at @addr of the config window.  Page 0 holds
 * the selector at offset 0 (the rest reads 0); page 1 is the config space
 * of the selected function, all ones if there is none.
 */
static int pvbus_sim_pci_window(struct pvbus_sim_dev *sdev, u64 addr,
				unsigned int size, u32 *val, bool write)
{
	struct pvbus_sim_pci *pci = sdev->cls;
	struct pvbus_sim_pci_fn *fn;
	unsigned int shift, reg;
	unsigned long flags;
	u32 mask;
	u64 off;
	int ret = 0;

	if (!pci || (size != 1 && size != 2 && size != 4) || addr & (size - 1))
		return -EINVAL;
	mask = pvbus_sim_pci_size_mask(size);
	shift = (addr & 3) * 8;

	raw_spin_lock_irqsave(&pci->lock, flags);
	if (!pci->d0 || addr < pci->cfg_base ||
	    addr - pci->cfg_base >= PVBUS_PCI_CFG_WINDOW_SIZE) {
		ret = -EINVAL;
		goto out;
	}
	off = addr - pci->cfg_base;

	if (off < PVBUS_PCI_CFG_SPACE) {
		if (off >= sizeof(u32)) {
			if (!write)
				*val = 0;
		} else if (write) {
			pci->selected &= ~(mask << shift);
			pci->selected |= (*val & mask) << shift;
		} else {
			*val = (pci->selected >> shift) & mask;
		}
		goto out;
	}

	fn = pvbus_sim_pci_find(pci, pci->selected);
	if (!fn) {
		if (!write)
			*val = mask;
		goto out;
	}
	if (fn->desc.pt) {
		reg = off - PVBUS_PCI_CFG_SPACE;
		if (write)
			pvbus_sim_pci_pt_write(pci, fn, reg, size, *val);
		else
			*val = pvbus_sim_pci_pt_read(pci, fn, reg, size);
		goto out;
	}
	pvbus_sim_pci_config_access(fn, pvbus_sim_pci_multifn(pci, fn),
				    off - PVBUS_PCI_CFG_SPACE, size, val,
				    write);
out:
	pvbus_sim_pci_say_later(sdev, pci);
	raw_spin_unlock_irqrestore(&pci->lock, flags);
	return ret;
}

int pvbus_sim_pci_window_read(struct pvbus_sim_dev *sdev, u64 addr,
			      unsigned int size, u32 *val)
{
	return pvbus_sim_pci_window(sdev, addr, size, val, false);
}

int pvbus_sim_pci_window_write(struct pvbus_sim_dev *sdev, u64 addr,
			       unsigned int size, u32 val)
{
	return pvbus_sim_pci_window(sdev, addr, size, &val, true);
}
