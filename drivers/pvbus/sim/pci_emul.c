// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the config space of an emulated PCI function: a type-0
 * header with BARs that size as real ones do and, for a function with
 * VFs or a resizable BAR 0, a PCI Express capability, then an SR-IOV
 * capability, whose VF BARs size likewise, if it has VFs, and a Resizable
 * BAR capability if its BAR 0 is resizable.  Called under the bus's lock,
 * in atomic context: nothing here sleeps or allocates.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pci.h"

/* The flag bits a memory BAR reads with. */
static u32 pvbus_sim_pci_bar_flags(const struct pvbus_sim_pci_bar *bar)
{
	u32 flags = PCI_BASE_ADDRESS_SPACE_MEMORY;

	if (bar->flags & PVBUS_SIM_BAR_64)
		flags |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	if (bar->flags & PVBUS_SIM_BAR_PREFETCH)
		flags |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	return flags;
}

/* The address bits BAR @b of @bars implements; 0 for no BAR. */
static u32 pvbus_sim_pci_bar_mask(const struct pvbus_sim_pci_bar *bars,
				  unsigned int b)
{
	const struct pvbus_sim_pci_bar *bar = &bars[b];

	if (bar->flags & PVBUS_SIM_BAR_UPPER)
		return upper_32_bits(~(bars[b - 1].size - 1));
	if (!bar->size)
		return 0;
	return lower_32_bits(~(bar->size - 1)) & PCI_BASE_ADDRESS_MEM_MASK;
}

/* BAR @b of @bars as it reads with @reg written to it. */
static u32 pvbus_sim_pci_bar_reg(const struct pvbus_sim_pci_bar *bars,
				 unsigned int b, u32 reg)
{
	const struct pvbus_sim_pci_bar *bar = &bars[b];
	u32 val = reg & pvbus_sim_pci_bar_mask(bars, b);

	if (bar->size && !(bar->flags & PVBUS_SIM_BAR_UPPER))
		val |= pvbus_sim_pci_bar_flags(bar);
	return val;
}

/* What BAR @b reads after all ones were written to it. */
u32 pvbus_sim_pci_bar_probe(const struct pvbus_sim_pci_fn_desc *desc,
			    unsigned int b)
{
	return pvbus_sim_pci_bar_reg(desc->bar, b, ~0U);
}

/* BAR @b as it reads now. */
u32 pvbus_sim_pci_bar_read(const struct pvbus_sim_pci_fn *fn,
			   unsigned int b)
{
	return pvbus_sim_pci_bar_reg(fn->desc.bar, b, fn->bar_reg[b]);
}

/* Another function shares the PCI slot (device number) of @fn. */
bool pvbus_sim_pci_multifn(const struct pvbus_sim_pci *pci,
			   const struct pvbus_sim_pci_fn *fn)
{
	unsigned int i;

	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++)
		if (&pci->fn[i] != fn &&
		    pci->fn[i].state != PVBUS_SIM_PCI_ABSENT &&
		    PCI_SLOT(pci->fn[i].desc.id.devfn) == PCI_SLOT(fn->desc.id.devfn))
			return true;
	return false;
}

/* The address BAR @b of @fn holds, a 64-bit one with its upper half. */
u64 pvbus_sim_pci_bar_addr(const struct pvbus_sim_pci_fn *fn,
			   unsigned int b)
{
	u64 addr = pvbus_sim_pci_bar_read(fn, b) & PCI_BASE_ADDRESS_MEM_MASK;

	if (fn->desc.bar[b].flags & PVBUS_SIM_BAR_64)
		addr |= (u64)pvbus_sim_pci_bar_read(fn, b + 1) << 32;
	return addr;
}

/*
 * A PCI Express function (one with VFs or a resizable BAR 0): its PCI
 * Express capability, the only one in the list, then its extended ones:
 * the SR-IOV capability first, the Resizable BAR capability after it.
 */
#define PVBUS_SIM_PCI_EXP_CAP		0x40
#define PVBUS_SIM_PCI_SRIOV_CAP		PCI_CFG_SPACE_SIZE
#define PVBUS_SIM_PCI_REBAR_AFTER_SRIOV	0x200
/* The system page sizes its SR-IOV capability supports: 4K to 4M. */
#define PVBUS_SIM_PCI_VF_PGSIZES	0x553

static bool pvbus_sim_pci_is_pcie(const struct pvbus_sim_pci_fn_desc *d)
{
	return d->total_vfs || d->rebar_sizes;
}

/* Where the Resizable BAR capability of @d is; 0 for none. */
static unsigned int
pvbus_sim_pci_rebar_pos(const struct pvbus_sim_pci_fn_desc *d)
{
	if (!d->rebar_sizes)
		return 0;
	return d->total_vfs ? PVBUS_SIM_PCI_REBAR_AFTER_SRIOV :
			      PVBUS_SIM_PCI_SRIOV_CAP;
}

/*
 * Read the dword at @reg of the Resizable BAR capability of @d: one
 * resizable BAR, BAR 0, whose size register follows its size.
 */
static u32 pvbus_sim_pci_rebar_read(const struct pvbus_sim_pci_fn_desc *d,
				    unsigned int reg)
{
	switch (reg) {
	case 0:
		/* Version 1, the last extended capability. */
		return PCI_EXT_CAP_ID_REBAR | 1 << 16;
	case PCI_REBAR_CAP:
		return FIELD_PREP(PCI_REBAR_CAP_SIZES, d->rebar_sizes);
	case PCI_REBAR_CTRL:
		return 1 << PCI_REBAR_CTRL_NBAR_SHIFT |
		       (ilog2(d->bar[0].size) - ilog2(SZ_1M)) <<
		       PCI_REBAR_CTRL_BAR_SHIFT;
	default:
		return 0;
	}
}

/*
 * Write @val to the dword at @reg of the Resizable BAR capability of @fn:
 * a size it supports becomes BAR 0's, as on a real function.
 */
static void pvbus_sim_pci_rebar_write(struct pvbus_sim_pci_fn *fn,
				      unsigned int reg, u32 val)
{
	unsigned int size = FIELD_GET(PCI_REBAR_CTRL_BAR_SIZE, val);

	if (reg == PCI_REBAR_CTRL &&
	    (fn->desc.rebar_sizes & FIELD_MAX(PCI_REBAR_CAP_SIZES) & BIT(size)))
		fn->desc.bar[0].size = (u64)SZ_1M << size;
}

/* Read the dword at @reg of the SR-IOV capability of @fn. */
static u32 pvbus_sim_pci_sriov_read(const struct pvbus_sim_pci_fn *fn,
				    unsigned int reg)
{
	const struct pvbus_sim_pci_fn_desc *d = &fn->desc;

	switch (reg) {
	case 0:
		/* Version 1, then the Resizable BAR capability if any. */
		return PCI_EXT_CAP_ID_SRIOV | 1 << 16 |
		       pvbus_sim_pci_rebar_pos(d) << 20;
	case PCI_SRIOV_CTRL:
		return fn->sriov_ctrl;
	case PCI_SRIOV_INITIAL_VF:
		return (u32)d->total_vfs << 16 | d->total_vfs;
	case PCI_SRIOV_NUM_VF:
		return fn->num_vfs;
	case PCI_SRIOV_VF_OFFSET:
		/* Offset 1, stride 1. */
		return 1 << 16 | 1;
	case PCI_SRIOV_VF_DID & ~3:
		return (u32)d->id.device << 16;
	case PCI_SRIOV_SUP_PGSIZE:
		return PVBUS_SIM_PCI_VF_PGSIZES;
	case PCI_SRIOV_SYS_PGSIZE:
		return fn->vf_pgsize;
	case PCI_SRIOV_BAR ... PCI_SRIOV_BAR + 4 * (PVBUS_PCI_NR_BARS - 1):
		return pvbus_sim_pci_bar_reg(d->vf_bar,
					     (reg - PCI_SRIOV_BAR) / 4,
					     fn->vf_bar_reg[(reg - PCI_SRIOV_BAR) / 4]);
	default:
		return 0;
	}
}

/* Write @val to the dword at @reg of the SR-IOV capability of @fn. */
static void pvbus_sim_pci_sriov_write(struct pvbus_sim_pci_fn *fn,
				      unsigned int reg, u32 val)
{
	switch (reg) {
	case PCI_SRIOV_CTRL:
		/* No VF is ever enabled: VF Enable and VF MSE read 0. */
		fn->sriov_ctrl = val & 0xffff &
				 ~(PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE);
		break;
	case PCI_SRIOV_NUM_VF:
		fn->num_vfs = val & 0xffff;
		break;
	case PCI_SRIOV_SYS_PGSIZE:
		fn->vf_pgsize = val & PVBUS_SIM_PCI_VF_PGSIZES;
		break;
	case PCI_SRIOV_BAR ... PCI_SRIOV_BAR + 4 * (PVBUS_PCI_NR_BARS - 1):
		fn->vf_bar_reg[(reg - PCI_SRIOV_BAR) / 4] = val;
		break;
	default:
		break;
	}
}

/*
 * Read the dword at @reg of the extended capabilities of @fn, each of
 * which is 0x100 bytes at most; everything else reads 0: no ROM, no
 * other capability, interrupt pin 0.
 */
static u32 pvbus_sim_pci_ext_read(const struct pvbus_sim_pci_fn *fn,
				  unsigned int reg)
{
	unsigned int rebar = pvbus_sim_pci_rebar_pos(&fn->desc);

	if (rebar && reg >= rebar && reg < rebar + 0x100)
		return pvbus_sim_pci_rebar_read(&fn->desc, reg - rebar);
	if (fn->desc.total_vfs && reg >= PVBUS_SIM_PCI_SRIOV_CAP &&
	    reg < PVBUS_SIM_PCI_SRIOV_CAP + 0x100)
		return pvbus_sim_pci_sriov_read(fn,
						reg - PVBUS_SIM_PCI_SRIOV_CAP);
	return 0;
}

/* Write @val to the dword at @reg of the extended capabilities of @fn. */
static void pvbus_sim_pci_ext_write(struct pvbus_sim_pci_fn *fn,
				    unsigned int reg, u32 val)
{
	unsigned int rebar = pvbus_sim_pci_rebar_pos(&fn->desc);

	if (rebar && reg >= rebar && reg < rebar + 0x100)
		pvbus_sim_pci_rebar_write(fn, reg - rebar, val);
	else if (fn->desc.total_vfs && reg >= PVBUS_SIM_PCI_SRIOV_CAP &&
		 reg < PVBUS_SIM_PCI_SRIOV_CAP + 0x100)
		pvbus_sim_pci_sriov_write(fn, reg - PVBUS_SIM_PCI_SRIOV_CAP,
					  val);
}

/* Read the dword at @reg (4-byte aligned) of the config space of @fn. */
static u32 pvbus_sim_pci_config_read(const struct pvbus_sim_pci_fn *fn,
				     bool multifn, unsigned int reg)
{
	const struct pvbus_sim_pci_fn_desc *d = &fn->desc;

	switch (reg) {
	case PCI_VENDOR_ID:
		return (u32)d->id.device << 16 | d->id.vendor;
	case PCI_COMMAND:
		/* Status: a capability list on PCI Express, nothing else. */
		return fn->command |
		       (pvbus_sim_pci_is_pcie(d) ? PCI_STATUS_CAP_LIST << 16 : 0);
	case PCI_CLASS_REVISION:
		return d->id.class << 8 | d->id.revision;
	case PCI_CACHE_LINE_SIZE:
		/* Header type 0; the multi-function bit where it applies. */
		return multifn ?
		       PVBUS_SIM_PCI_MFD << 16 : 0;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		return pvbus_sim_pci_bar_read(fn,
					      (reg - PCI_BASE_ADDRESS_0) / 4);
	case PCI_SUBSYSTEM_VENDOR_ID:
		return (u32)d->id.subsys_device << 16 | d->id.subsys_vendor;
	case PCI_CAPABILITY_LIST:
		return pvbus_sim_pci_is_pcie(d) ? PVBUS_SIM_PCI_EXP_CAP : 0;
	case PVBUS_SIM_PCI_EXP_CAP:
		/* An endpoint, capability version 2; its registers read 0. */
		return pvbus_sim_pci_is_pcie(d) ?
		       PCI_CAP_ID_EXP | (PCI_EXP_TYPE_ENDPOINT << 4 | 2) << 16 :
		       0;
	default:
		return pvbus_sim_pci_ext_read(fn, reg);
	}
}

/* Write @val to the dword at @reg of @fn; read-only bits are ignored. */
static void pvbus_sim_pci_config_write(struct pvbus_sim_pci_fn *fn,
				       unsigned int reg, u32 val)
{
	switch (reg) {
	case PCI_COMMAND:
		fn->command = val & PVBUS_SIM_PCI_CMD_MASK;
		break;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		fn->bar_reg[(reg - PCI_BASE_ADDRESS_0) / 4] = val;
		break;
	default:
		pvbus_sim_pci_ext_write(fn, reg, val);
		break;
	}
}

/**
 * pvbus_sim_pci_config_reset() - an emulated function, as after reset
 * @fn: the function, filled in
 * @desc: what it is; copied
 *
 * Present, command register 0, its BARs 0, or at their host addresses if
 * @desc->id.flags has %PVBUS_PCI_FN_PRESERVE.  Shared with the pci-pvbus
 * KUnit suites' fake host, so that one emulator serves both.
 */
void pvbus_sim_pci_config_reset(struct pvbus_sim_pci_fn *fn,
				const struct pvbus_sim_pci_fn_desc *desc)
{
	unsigned int b;

	memset(fn, 0, sizeof(*fn));
	fn->desc = *desc;
	fn->state = PVBUS_SIM_PCI_PRESENT;
	if (!(desc->id.flags & PVBUS_PCI_FN_PRESERVE))
		return;
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (desc->bar[b].flags & PVBUS_SIM_BAR_UPPER)
			fn->bar_reg[b] =
				upper_32_bits(desc->bar[b - 1].host_addr);
		else
			fn->bar_reg[b] = lower_32_bits(desc->bar[b].host_addr);
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_config_reset);

/**
 * pvbus_sim_pci_config_access() - one access to an emulated config space
 * @fn: the function
 * @multifn: another function shares its device number
 * @off: offset in its config space, a multiple of @size
 * @size: 1, 2 or 4 bytes
 * @val: the value written, or where the value read goes
 * @write: a write
 *
 * Read-only bits ignore writes; registers the function does not have read
 * 0.  The caller serialises the accesses to @fn; atomic context is fine.
 */
void pvbus_sim_pci_config_access(struct pvbus_sim_pci_fn *fn, bool multifn,
				 unsigned int off, unsigned int size, u32 *val,
				 bool write)
{
	unsigned int shift = (off & 3) * 8, reg = off & ~3;
	u32 mask = pvbus_sim_pci_size_mask(size);
	u32 dword;

	dword = pvbus_sim_pci_config_read(fn, multifn, reg);
	if (write) {
		dword &= ~(mask << shift);
		dword |= (*val & mask) << shift;
		pvbus_sim_pci_config_write(fn, reg, dword);
	} else {
		*val = (dword >> shift) & mask;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_config_access);
