// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the config space of a real PCI function passed through
 * (passthrough.c takes it from its driver): forwarded to the real one,
 * but for what a hypervisor keeps to itself, and memory decode only where
 * and while the host allows it.  Called under the bus's lock, in atomic
 * context; but pvbus_sim_pt_find_kept(), which passthrough.c calls as it
 * takes the function, before any bus has it.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>

#include "pci.h"

/* Read @size bytes at @where of the real function; all ones if it fails. */
static u32 pvbus_sim_pt_rd(struct pvbus_sim_pt *pt, unsigned int where,
			   unsigned int size)
{
	u32 val;

	if (where + size > pt->cfg_size || pt->ops->read(pt, where, size, &val))
		return pvbus_sim_pci_size_mask(size);
	return val;
}

/* Write @size bytes of @val at @where of the real function, if it has it. */
static void pvbus_sim_pt_wr(struct pvbus_sim_pt *pt, unsigned int where,
			    unsigned int size, u32 val)
{
	if (where + size <= pt->cfg_size)
		pt->ops->write(pt, where, size, val);
}

/*
 * The bits of a write of @size bytes at @reg that fall on @bits of the
 * 16-bit register at @where, in the write's own place.
 */
static u32 pvbus_sim_pt_bits(unsigned int reg, unsigned int size,
			     unsigned int where, u16 bits)
{
	u32 in = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		if (reg + i == where)
			in |= (u32)(bits & 0xff) << (8 * i);
		else if (reg + i == where + 1)
			in |= (u32)(bits >> 8) << (8 * i);
	}
	return in;
}

/*
 * What the host keeps of a write the guest forwards through to @pt, as
 * vfio-pci keeps it: a write to the registers of a Resizable BAR
 * capability is dropped (a BAR resized at an address aligned to its new
 * size would still hold that address, and decode past what the host
 * assigned); the Max Payload Size and Phantom Functions of the PCI
 * Express Device Control register are written as the host set them (they
 * must match what the host's fabric takes), also after a reset put them
 * back to their defaults.  Returns whether to write *@val.
 */
static bool pvbus_sim_pt_keep_host_bits(struct pvbus_sim_pt *pt,
					unsigned int reg, unsigned int size,
					u32 *val)
{
	unsigned int where = pt->pcie_cap + PCI_EXP_DEVCTL;

	if (pt->rebar && reg < pt->rebar_end && reg + size > pt->rebar)
		return false;
	if (pt->pcie_cap) {
		*val &= ~pvbus_sim_pt_bits(reg, size, where,
					   PVBUS_SIM_PT_DEVCTL_KEPT);
		*val |= pvbus_sim_pt_bits(reg, size, where, pt->devctl);
	}
	return true;
}

/**
 * pvbus_sim_pt_find_kept() - read what the host keeps of a function's registers
 * @pt: the function, its &pvbus_sim_pt.ops and &pvbus_sim_pt.cfg_size set
 * @pcie_cap: where its PCI Express capability is, 0 if it has none
 * @rebar: where its Resizable BAR capability is, 0 if it has none
 *
 * Sets @pt's &pvbus_sim_pt.devctl to the Max Payload Size and Phantom
 * Functions its Device Control holds now, and the span of the Resizable
 * BAR registers, one pair for each resizable BAR the capability says it
 * has (all six if it says none, or more).  The function must be awake.
 *
 * Return: 0, or -EIO if its Device Control reads as all ones: the function
 * is gone, or does not answer, and the host would keep a payload size no
 * fabric has.
 */
int pvbus_sim_pt_find_kept(struct pvbus_sim_pt *pt, unsigned int pcie_cap,
			   unsigned int rebar)
{
	unsigned int nbars;
	u16 devctl;

	pt->pcie_cap = pcie_cap;
	pt->devctl = 0;
	pt->rebar = 0;
	pt->rebar_end = 0;
	if (pcie_cap) {
		devctl = pvbus_sim_pt_rd(pt, pcie_cap + PCI_EXP_DEVCTL, 2);
		if (PCI_POSSIBLE_ERROR(devctl))
			return -EIO;
		pt->devctl = devctl & PVBUS_SIM_PT_DEVCTL_KEPT;
	}
	if (!rebar)
		return 0;
	nbars = FIELD_GET(PCI_REBAR_CTRL_NBAR_MASK,
			  pvbus_sim_pt_rd(pt, rebar + PCI_REBAR_CTRL, 4));
	if (!nbars || nbars > PCI_STD_NUM_BARS)
		nbars = PCI_STD_NUM_BARS;
	pt->rebar = rebar + PCI_REBAR_CAP;
	pt->rebar_end = min(pt->rebar + 8 * nbars, pt->cfg_size);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pt_find_kept);

/*
 * The host's Max Payload Size and Phantom Functions back in @pt's Device
 * Control, if a reset the guest asked of it put them back to defaults.
 */
static void pvbus_sim_pt_restore_devctl(struct pvbus_sim_pt *pt)
{
	unsigned int where = pt->pcie_cap + PCI_EXP_DEVCTL;
	u16 devctl;

	if (!pt->pcie_cap)
		return;
	devctl = pvbus_sim_pt_rd(pt, where, 2);
	if (PCI_POSSIBLE_ERROR(devctl) ||
	    (devctl & PVBUS_SIM_PT_DEVCTL_KEPT) == pt->devctl)
		return;
	pvbus_sim_pt_wr(pt, where, 2,
			(devctl & ~PVBUS_SIM_PT_DEVCTL_KEPT) | pt->devctl);
}

/*
 * Why the real function behind @fn may not decode memory now, or NULL: it
 * may only while the bus is in D0 and each of its memory BARs is where the
 * last ASSIGNED_RESOURCES the host accepted put it.
 */
static const char *
pvbus_sim_pci_pt_no_decode(const struct pvbus_sim_pci *pci,
			   const struct pvbus_sim_pci_fn *fn)
{
	const struct pvbus_sim_pci_bar *bar = fn->desc.bar;
	unsigned int b;

	if (!pci->d0)
		return "the bus is not in D0";
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (!bar[b].size)
			continue;
		if (!fn->assigned[b])
			return "a BAR was not assigned";
		if (pvbus_sim_pci_bar_addr(fn, b) != fn->assigned[b])
			return "a BAR is not where it was assigned";
	}
	return NULL;
}

/*
 * The BARs of @fn whose real registers do not hold what the guest wrote:
 * read from the function each time, since a reset the guest asks of it
 * (an FLR, D3hot to D0) clears them behind the host's back.  Their flag
 * bits are the function's own.
 */
static unsigned int pvbus_sim_pci_pt_stale_bars(const struct pvbus_sim_pci_fn *fn)
{
	struct pvbus_sim_pt *pt = fn->desc.pt;
	unsigned int b, stale = 0;
	u32 mask, real;

	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		if (fn->desc.bar[b].flags & PVBUS_SIM_BAR_UPPER)
			mask = ~0U;
		else if (fn->desc.bar[b].size)
			mask = (u32)PCI_BASE_ADDRESS_MEM_MASK;
		else
			continue;
		real = pvbus_sim_pt_rd(pt, PCI_BASE_ADDRESS_0 + 4 * b, 4);
		if ((real ^ pvbus_sim_pci_bar_read(fn, b)) & mask)
			stale |= BIT(b);
	}
	return stale;
}

/*
 * Make the real function behind @fn decode memory as the guest wants it
 * to, if the host allows it, and return why not if it does not: the
 * guest's BAR addresses go into the real BARs, with decode off, before
 * decode goes on, and only if the BARs then hold them (a BAR the guest
 * resized through a Resizable BAR capability, say, does not).  I/O is
 * never decoded: no I/O BAR is passed through.
 */
const char *pvbus_sim_pci_pt_apply(struct pvbus_sim_pci *pci,
				   struct pvbus_sim_pci_fn *fn)
{
	struct pvbus_sim_pt *pt = fn->desc.pt;
	const char *why = NULL;
	unsigned int b, stale = 0;
	bool want, intx;
	u16 cmd;

	lockdep_assert_held(&pci->lock);

	want = fn->command & PCI_COMMAND_MEMORY;
	if (want) {
		why = pvbus_sim_pci_pt_no_decode(pci, fn);
		want = !why;
	}
	if (want)
		stale = pvbus_sim_pci_pt_stale_bars(fn);

	cmd = pvbus_sim_pt_rd(pt, PCI_COMMAND, 2);
	/* In reset, say: what is written now would be its all ones, or lost. */
	if (PCI_POSSIBLE_ERROR(cmd))
		return "the function does not answer";
	/* A reset the guest asked of it cleared these, and INTx Disable. */
	pvbus_sim_pt_restore_devctl(pt);
	intx = !(cmd & PCI_COMMAND_INTX_DISABLE);
	cmd |= PCI_COMMAND_INTX_DISABLE;
	if (cmd & PVBUS_SIM_PCI_DECODE && (!want || stale)) {
		cmd &= ~PVBUS_SIM_PCI_DECODE;
		pvbus_sim_pt_wr(pt, PCI_COMMAND, 2, cmd);
		intx = false;
	}
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
		if (stale & BIT(b))
			pvbus_sim_pt_wr(pt, PCI_BASE_ADDRESS_0 + 4 * b, 4,
					pvbus_sim_pci_bar_read(fn, b));
	if (stale && pvbus_sim_pci_pt_stale_bars(fn)) {
		why = "a real BAR does not hold the address assigned to it";
		want = false;
	}
	if (want && !(cmd & PCI_COMMAND_MEMORY))
		pvbus_sim_pt_wr(pt, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY);
	else if (intx)
		pvbus_sim_pt_wr(pt, PCI_COMMAND, 2, cmd);
	return why;
}

/*
 * The guest does not have @fn any more (it gave it up, the host took it
 * away, or the bus went): a real function behind it stops decoding and
 * mastering, its INTx off.  Nothing for an emulated function.
 */
void pvbus_sim_pci_pt_fence(struct pvbus_sim_pci_fn *fn)
{
	struct pvbus_sim_pt *pt = fn->desc.pt;
	u16 cmd;

	if (!pt)
		return;
	fn->command = 0;
	cmd = pvbus_sim_pt_rd(pt, PCI_COMMAND, 2);
	/*
	 * In reset, say: what is written now would be its all ones, or
	 * lost, and a reset leaves it decoding and mastering nothing.
	 */
	if (PCI_POSSIBLE_ERROR(cmd))
		return;
	if (cmd & (PVBUS_SIM_PCI_DECODE | PCI_COMMAND_MASTER) ||
	    !(cmd & PCI_COMMAND_INTX_DISABLE))
		pvbus_sim_pt_wr(pt, PCI_COMMAND, 2,
				(cmd & ~(PVBUS_SIM_PCI_DECODE |
					 PCI_COMMAND_MASTER)) |
				PCI_COMMAND_INTX_DISABLE);
}

/*
 * Read @size bytes at @reg of the config space of passed-through @fn.
 * What the guest reads is the real function's, but for:
 *
 * - the decode bits of the command register: as the guest wrote them
 *   (INTx Disable is the real one's, which the host keeps set);
 * - the header type: type 0, with the multi-function bit of this bus; BIST
 *   reads 0;
 * - the BARs: emulated, sized as the real ones;
 * - no expansion ROM;
 * - interrupt line and pin 0: no INTx, the guest uses MSI-X or MSI.
 *
 * A function that does not answer (in reset, say) reads all ones there
 * too, as pci_dev_wait() expects.
 */
u32 pvbus_sim_pci_pt_read(const struct pvbus_sim_pci *pci,
			  const struct pvbus_sim_pci_fn *fn,
			  unsigned int reg, unsigned int size)
{
	struct pvbus_sim_pt *pt = fn->desc.pt;
	unsigned int shift = (reg & 3) * 8;
	u32 mask = pvbus_sim_pci_size_mask(size);
	u32 dword;

	switch (reg & ~3) {
	case PCI_COMMAND:
		dword = pvbus_sim_pt_rd(pt, PCI_COMMAND, 4);
		if (PCI_POSSIBLE_ERROR(dword))
			return mask;
		dword = (dword & ~PVBUS_SIM_PCI_DECODE) | fn->command;
		break;
	case PCI_CACHE_LINE_SIZE:
		dword = pvbus_sim_pt_rd(pt, PCI_CACHE_LINE_SIZE, 4);
		if (PCI_POSSIBLE_ERROR(dword))
			return mask;
		dword &= 0xffff;
		if (pvbus_sim_pci_multifn(pci, fn))
			dword |= PVBUS_SIM_PCI_MFD << 16;
		break;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		dword = pvbus_sim_pci_bar_read(fn,
					       ((reg & ~3) - PCI_BASE_ADDRESS_0) / 4);
		break;
	case PCI_ROM_ADDRESS:
		dword = 0;
		break;
	case PCI_INTERRUPT_LINE:
		dword = pvbus_sim_pt_rd(pt, PCI_INTERRUPT_LINE, 4);
		if (PCI_POSSIBLE_ERROR(dword))
			return mask;
		dword &= 0xffff0000;
		break;
	default:
		return pvbus_sim_pt_rd(pt, reg, size);
	}
	return (dword >> shift) & mask;
}

/*
 * Write @size bytes of @val at @reg of passed-through @fn: forwarded with
 * the size the guest wrote (the status register's bits are cleared by
 * writing ones), but for what pvbus_sim_pci_pt_read() emulates, INTx
 * Disable, and what pvbus_sim_pt_keep_host_bits() keeps.
 */
void pvbus_sim_pci_pt_write(struct pvbus_sim_pci *pci,
			    struct pvbus_sim_pci_fn *fn,
			    unsigned int reg, unsigned int size, u32 val)
{
	struct pvbus_sim_pt *pt = fn->desc.pt;
	unsigned int shift = (reg & 3) * 8, b;
	u32 mask = pvbus_sim_pci_size_mask(size);
	const char *why = NULL;
	u32 dword;
	u8 now;

	switch (reg & ~3) {
	case PCI_COMMAND:
		if (reg == PCI_COMMAND) {
			/*
			 * The decode bits are the host's to set: kept as the
			 * real function has them, none if it does not answer
			 * (its all ones are no decode bits).
			 */
			fn->command = val & PVBUS_SIM_PCI_DECODE;
			now = pvbus_sim_pt_rd(pt, PCI_COMMAND, 1);
			if (PCI_POSSIBLE_ERROR(now))
				now = 0;
			val = (val & ~PVBUS_SIM_PCI_DECODE) |
			      (now & PVBUS_SIM_PCI_DECODE);
		}
		/*
		 * INTx stays disabled: it is not passed through, and the
		 * function's line may be shared with the host's devices.
		 */
		val |= pvbus_sim_pt_bits(reg, size, PCI_COMMAND,
					 PCI_COMMAND_INTX_DISABLE);
		/* Bus mastering may go on: only as the host's fabric has it. */
		pvbus_sim_pt_restore_devctl(pt);
		pvbus_sim_pt_wr(pt, reg, size, val);
		why = pvbus_sim_pci_pt_apply(pci, fn);
		if (reg != PCI_COMMAND)
			why = NULL;
		break;
	case PCI_CACHE_LINE_SIZE:
		/* Cache line size and latency timer; not header type, BIST. */
		if (shift + size * 8 <= 16)
			pvbus_sim_pt_wr(pt, reg, size, val);
		else if (size == 4)
			pvbus_sim_pt_wr(pt, reg, 2, val & 0xffff);
		break;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		b = ((reg & ~3) - PCI_BASE_ADDRESS_0) / 4;
		dword = fn->bar_reg[b];
		dword &= ~(mask << shift);
		dword |= (val & mask) << shift;
		fn->bar_reg[b] = dword;
		pvbus_sim_pci_pt_apply(pci, fn);
		break;
	case PCI_ROM_ADDRESS:
	case PCI_INTERRUPT_LINE:
		break;
	default:
		if (!pvbus_sim_pt_keep_host_bits(pt, reg, size, &val))
			break;
		/* A reset the guest asks of it clears the BARs: check. */
		pvbus_sim_pt_wr(pt, reg, size, val);
		why = pvbus_sim_pci_pt_apply(pci, fn);
		break;
	}
	if (why)
		snprintf(pci->say, sizeof(pci->say),
			 "pass-through %s as %02x.%x: memory decode held back: %s",
			 pt->name, PCI_SLOT(fn->desc.id.devfn),
			 PCI_FUNC(fn->desc.id.devfn), why);
}
