/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus_sim: the PCI config-space emulator (pci_emul.c), for its users
 * outside the simulator too: a function as configured, its BARs, and the
 * emulated config space of a function, reset and accessed.  The KUnit
 * fake host of pci-pvbus (drivers/pci/controller/pci-pvbus-fakehost-fn.c)
 * emulates its functions with it; nothing else of the simulator is here.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_SIM_PCI_EMUL_H
#define _PVBUS_SIM_PCI_EMUL_H

#include <linux/bits.h>
#include <linux/pvbus_pci.h>
#include <linux/types.h>

/* A real function passed through (sim.h); the emulator only keeps it. */
struct pvbus_sim_pt;

/* The bits of a config access of @size bytes: 1, 2 or 4. */
static inline u32 pvbus_sim_pci_size_mask(unsigned int size)
{
	return GENMASK(size * 8 - 1, 0);
}

/* pvbus_sim_pci_bar.flags */
#define PVBUS_SIM_BAR_64	BIT(0)	/* 64-bit: the next BAR is its upper half */
#define PVBUS_SIM_BAR_PREFETCH	BIT(1)	/* prefetchable */
#define PVBUS_SIM_BAR_UPPER	BIT(2)	/* the upper half of the BAR before */

/**
 * struct pvbus_sim_pci_bar - one BAR of a simulated PCI function
 * @size: size in bytes, a power of two of at least 16; 0 for no BAR and
 *	for the upper half of a 64-bit BAR
 * @host_addr: the address the host assigned it, for functions whose BARs
 *	are to be preserved; 0 for none
 * @flags: PVBUS_SIM_BAR_*
 */
struct pvbus_sim_pci_bar {
	u64 size;
	u64 host_addr;
	u32 flags;
};

/**
 * struct pvbus_sim_pci_fn_desc - a simulated PCI function, as configured
 * @id: what the host tells of it in the relations: its devfn, at most
 *	%PVBUS_PCI_MAX_DEVFN, ids, 24-bit class code, serial number, and
 *	%PVBUS_PCI_FN_PRESERVE if the guest is asked to keep the BARs at
 *	their host addresses (sent from version 1.1 on)
 * @bar: its BARs
 * @total_vfs: the VFs of its SR-IOV capability; 0 for none.  With
 *	neither VFs nor @rebar_sizes, no capability at all: a conventional
 *	PCI function
 * @vf_bar: the VF BARs of that capability, as @bar, each VF's size; no
 *	VF is ever enabled
 * @rebar_sizes: the sizes BAR 0 can take through a Resizable BAR
 *	capability, bit n for 1 MiB << n, as in its capability register;
 *	0 for no such capability.  BAR 0 is at least 1 MiB and of one of
 *	these sizes; a resize changes its @bar size.
 * @pt: the real function passed through as this one, or NULL for a
 *	function whose config space the host emulates; it outlives every
 *	bus the function is in
 */
struct pvbus_sim_pci_fn_desc {
	struct pvbus_pci_fn_desc id;
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS];
	u16 total_vfs;
	struct pvbus_sim_pci_bar vf_bar[PVBUS_PCI_NR_BARS];
	u32 rebar_sizes;
	struct pvbus_sim_pt *pt;
};

/**
 * enum pvbus_sim_pci_state - where a function of a simulated bus is
 * @PVBUS_SIM_PCI_ABSENT: not in the bus's relations
 * @PVBUS_SIM_PCI_PRESENT: in the relations
 * @PVBUS_SIM_PCI_EJECTING: the host sent EJECT and waits for the guest's
 *	EJECT_COMPLETE; still in the relations
 */
enum pvbus_sim_pci_state {
	PVBUS_SIM_PCI_ABSENT,
	PVBUS_SIM_PCI_PRESENT,
	PVBUS_SIM_PCI_EJECTING,
};

/**
 * struct pvbus_sim_pci_fn - a function behind a simulated bus
 * @desc: as configured
 * @state: where it is; %PVBUS_SIM_PCI_ABSENT for a free entry
 * @bar_reg: each BAR register as the guest last wrote it (or the host
 *	address, for a preserved function, until then)
 * @command: the command register; for a passed-through function, only
 *	its decode bits as the guest last wrote them
 * @assigned: the BAR addresses of the last ASSIGNED_RESOURCES accepted, 0
 *	for none
 * @sriov_ctrl: the SR-IOV control register, as the guest last wrote it
 * @num_vfs: NumVFs, likewise
 * @vf_pgsize: the system page size of the SR-IOV capability, likewise
 * @vf_bar_reg: each VF BAR register, likewise
 */
struct pvbus_sim_pci_fn {
	struct pvbus_sim_pci_fn_desc desc;
	enum pvbus_sim_pci_state state;
	u32 bar_reg[PVBUS_PCI_NR_BARS];
	u16 command;
	u64 assigned[PVBUS_PCI_NR_BARS];
	u16 sriov_ctrl;
	u16 num_vfs;
	u32 vf_pgsize;
	u32 vf_bar_reg[PVBUS_PCI_NR_BARS];
};

/* pci_emul.c */
u32 pvbus_sim_pci_bar_probe(const struct pvbus_sim_pci_fn_desc *desc,
			    unsigned int b);
u32 pvbus_sim_pci_bar_read(const struct pvbus_sim_pci_fn *fn,
			   unsigned int b);
u64 pvbus_sim_pci_bar_addr(const struct pvbus_sim_pci_fn *fn,
			   unsigned int b);
void pvbus_sim_pci_config_reset(struct pvbus_sim_pci_fn *fn,
				const struct pvbus_sim_pci_fn_desc *desc);
void pvbus_sim_pci_config_access(struct pvbus_sim_pci_fn *fn, bool multifn,
				 unsigned int off, unsigned int size, u32 *val,
				 bool write);

#endif /* _PVBUS_SIM_PCI_EMUL_H */
