// SPDX-License-Identifier: GPL-2.0
/*
 * The functions of the fake pvbus host of the pci-pvbus KUnit suites:
 * their ids and BARs, which of them the host lists, and their config
 * space behind the trapped config window, emulated by pvbus_sim's
 * emulator (pci_emul.h).  pci-pvbus-fakehost.c is the host itself.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/pci.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pci-pvbus.h"
#include "pci-pvbus-fakehost.h"

/**
 * pci_pvbus_fake_fn_init() - a listed function with no BARs
 * @fn: the function
 * @devfn: its devfn
 * @device: its device id (vendor 0x1234, class NVMe)
 * @flags: PVBUS_PCI_FN_*
 */
void pci_pvbus_fake_fn_init(struct pci_pvbus_fake_fn *fn, u32 devfn,
			    u16 device, u32 flags)
{
	memset(fn, 0, sizeof(*fn));
	fn->listed = true;
	fn->devfn = devfn;
	fn->vendor = 0x1234;
	fn->device = device;
	fn->class = 0x010802;
	fn->flags = flags;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_fn_init);

/**
 * pci_pvbus_fake_bar() - give a function a memory BAR
 * @fn: the function
 * @b: the BAR's index; a 64-bit BAR takes @b + 1 too
 * @size: its size, a power of two
 * @is64: 64-bit
 * @pref: prefetchable
 * @host: where the host put it
 */
void pci_pvbus_fake_bar(struct pci_pvbus_fake_fn *fn, unsigned int b,
			u64 size, bool is64, bool pref, u64 host)
{
	u64 mask = ~(size - 1);

	fn->probed[b] = lower_32_bits(mask) |
			(is64 ? PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
			(pref ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
	fn->host_addr[b] = host;
	if (is64) {
		fn->probed[b + 1] = upper_32_bits(mask);
		fn->upper |= BIT(b + 1);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_bar);

/* What the host tells of @fn, the @serial-th function, in the relations. */
struct pvbus_pci_fn_desc pci_pvbus_fake_id(const struct pci_pvbus_fake_fn *fn,
					   u32 serial)
{
	return (struct pvbus_pci_fn_desc) {
		.devfn		= fn->devfn,
		.vendor		= fn->vendor,
		.device		= fn->device,
		.class		= fn->class,
		.revision	= 1,
		.subsys_vendor	= fn->vendor,
		.subsys_device	= 0x5a5a,
		.serial		= serial,
		.flags		= fn->flags,
	};
}

/**
 * pci_pvbus_fake_cfg_init() - reset a function's config space
 * @fn: the function, its ids and BARs set
 *
 * The BARs read their host addresses until the guest writes them.
 */
void pci_pvbus_fake_cfg_init(struct pci_pvbus_fake_fn *fn)
{
	struct pvbus_sim_pci_fn_desc desc = {
		.id = pci_pvbus_fake_id(fn, 0),
	};
	struct pvbus_sim_pci_bar *bar = desc.bar;
	unsigned int b;
	u64 mask;

	desc.id.flags |= PVBUS_PCI_FN_PRESERVE;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (fn->upper & BIT(b)) {
			bar[b].flags = PVBUS_SIM_BAR_UPPER;
			continue;
		}
		if (!fn->probed[b])
			continue;
		mask = fn->probed[b] & PCI_BASE_ADDRESS_MEM_MASK;
		if (fn->probed[b] & PCI_BASE_ADDRESS_MEM_TYPE_64) {
			bar[b].flags |= PVBUS_SIM_BAR_64;
			mask |= (u64)fn->probed[b + 1] << 32;
		} else {
			mask |= GENMASK_ULL(63, 32);
		}
		if (fn->probed[b] & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar[b].flags |= PVBUS_SIM_BAR_PREFETCH;
		bar[b].size = ~mask + 1;
		bar[b].host_addr = fn->host_addr[b];
	}
	pvbus_sim_pci_config_reset(&fn->emul, &desc);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_cfg_init);

/**
 * pci_pvbus_fake_sriov() - give a function an SR-IOV capability
 * @fn: the function, its config space reset (pci_pvbus_fake_cfg_init())
 * @total_vfs: its VFs, at least 1
 * @vf_size: the size of each VF's BAR 0, a 64-bit one, a power of two of
 *	at least a page
 *
 * The host tells nothing of it in the relations: the protocol has no VFs.
 */
void pci_pvbus_fake_sriov(struct pci_pvbus_fake_fn *fn, u16 total_vfs,
			  u64 vf_size)
{
	fn->emul.desc.total_vfs = total_vfs;
	fn->emul.desc.vf_bar[0].size = vf_size;
	fn->emul.desc.vf_bar[0].flags = PVBUS_SIM_BAR_64;
	fn->emul.desc.vf_bar[1].flags = PVBUS_SIM_BAR_UPPER;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_sriov);

/**
 * pci_pvbus_fake_rebar() - make a function's BAR 0 resizable
 * @fn: the function, its config space reset (pci_pvbus_fake_cfg_init())
 *	with a BAR 0 of one of @sizes
 * @sizes: the sizes it can take, bit n for 1 MiB << n
 *
 * A Resizable BAR capability, as on a GPU whose driver grows its VRAM
 * BAR; the protocol has no words for it either.
 */
void pci_pvbus_fake_rebar(struct pci_pvbus_fake_fn *fn, u32 sizes)
{
	u64 size = fn->emul.desc.bar[0].size;

	/* What the emulator takes as given (pvbus_sim_pci_fn_desc). */
	if (WARN_ON(sizes > FIELD_MAX(PCI_REBAR_CAP_SIZES) || size < SZ_1M ||
		    !is_power_of_2(size) ||
		    ilog2(size) - ilog2(SZ_1M) >= 32 ||
		    !(sizes & BIT(ilog2(size) - ilog2(SZ_1M)))))
		return;
	fn->emul.desc.rebar_sizes = sizes;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_rebar);

/* Another listed function has the device number of @fn. */
static bool fake_multifn(struct pci_pvbus_fake *f,
			 const struct pci_pvbus_fake_fn *fn)
{
	unsigned int i;

	for (i = 0; i < PCI_PVBUS_FAKE_FNS; i++)
		if (&f->fn[i] != fn && f->fn[i].listed &&
		    PCI_SLOT(f->fn[i].devfn) == PCI_SLOT(fn->devfn))
			return true;
	return false;
}

/**
 * pci_pvbus_fake_set_listed() - list a function of the fake host, or not
 * @f: the fake host
 * @fn: one of its functions
 * @listed: whether QUERY_RELATIONS and RELATIONS_CHANGED list it
 *
 * Under the fake's lock: a list built meanwhile has it or not, whole.
 */
void pci_pvbus_fake_set_listed(struct pci_pvbus_fake *f,
			       struct pci_pvbus_fake_fn *fn, bool listed)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&f->lock, flags);
	fn->listed = listed;
	raw_spin_unlock_irqrestore(&f->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_set_listed);

/**
 * pci_pvbus_fake_find() - the listed function at a devfn
 * @f: the fake host
 * @devfn: the devfn
 *
 * Return: the function, or NULL.
 */
struct pci_pvbus_fake_fn *pci_pvbus_fake_find(struct pci_pvbus_fake *f,
					      u32 devfn)
{
	unsigned int i;

	for (i = 0; i < PCI_PVBUS_FAKE_FNS; i++)
		if (f->fn[i].listed && f->fn[i].devfn == devfn)
			return &f->fn[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_fake_find);

/* The trapped config window, emulated. */
static int fake_window(struct pci_pvbus_fake *f, u64 addr, unsigned int size,
		       u32 *val, bool write)
{
	struct pci_pvbus_fake_fn *fn;
	unsigned long flags;
	int ret = 0;
	u64 off;

	raw_spin_lock_irqsave(&f->lock, flags);
	off = addr - f->cfg_base;
	if (!f->d0 || addr < f->cfg_base ||
	    off + size > PVBUS_PCI_CFG_WINDOW_SIZE || off & (size - 1)) {
		f->window_errors++;
		ret = -EINVAL;
	} else if (off < PVBUS_PCI_CFG_SPACE) {
		if (off == PVBUS_PCI_CFG_SELECT && size == 4 && write)
			f->selected = *val;
		else if (!write)
			*val = off == PVBUS_PCI_CFG_SELECT ? f->selected : 0;
	} else {
		fn = pci_pvbus_fake_find(f, f->selected);
		off -= PVBUS_PCI_CFG_SPACE;
		if (!fn && !write)
			*val = ~0U >> (32 - 8 * size);
		else if (fn)
			pvbus_sim_pci_config_access(&fn->emul,
						    fake_multifn(f, fn), off,
						    size, val, write);
		if (!write && f->hooks && f->hooks->cfg_read)
			f->hooks->cfg_read(f, fn, off, size, val);
	}
	if (f->hooks && f->hooks->window)
		ret = f->hooks->window(f, write, size, val, ret);
	raw_spin_unlock_irqrestore(&f->lock, flags);
	return ret;
}

int pci_pvbus_fake_window_read(struct pvbus_host *host,
			       struct pvbus_device *pdev, u64 addr,
			       unsigned int size, u32 *val)
{
	return fake_window(container_of(host, struct pci_pvbus_fake, host),
			   addr, size, val, false);
}

int pci_pvbus_fake_window_write(struct pvbus_host *host,
				struct pvbus_device *pdev, u64 addr,
				unsigned int size, u32 val)
{
	return fake_window(container_of(host, struct pci_pvbus_fake, host),
			   addr, size, &val, true);
}
