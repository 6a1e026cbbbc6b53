/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the BAR planner (pci-pvbus-plan.c), a pure function from the
 * functions' BARs and the bus's windows to a placement, the placement of
 * its new windows through an MMIO allocator given as operations, and the
 * choice of a PCI domain.  The root bus code and the planner's KUnit suite
 * use it.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_PLAN_H
#define _PCI_PVBUS_PLAN_H

#include <linux/ioport.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/types.h>

#include "pci-pvbus-msg.h"

/**
 * enum pci_pvbus_zone - the two parts of the MMIO space
 * @PCI_PVBUS_LOW: below 4 GiB
 * @PCI_PVBUS_HIGH: at or above 4 GiB
 * @PCI_PVBUS_NR_ZONES: how many there are
 */
enum pci_pvbus_zone {
	PCI_PVBUS_LOW,
	PCI_PVBUS_HIGH,
	PCI_PVBUS_NR_ZONES,
};

/**
 * enum pci_pvbus_keep - what became of a function's host-assigned BARs
 * @PCI_PVBUS_KEEP_NONE: the host did not ask to preserve them
 * @PCI_PVBUS_KEEP_OK: kept
 * @PCI_PVBUS_KEEP_UNSET: a BAR has no host address
 * @PCI_PVBUS_KEEP_MISALIGNED: a host address is not aligned to its BAR's
 *	size
 * @PCI_PVBUS_KEEP_ZONE: a 32-bit BAR does not lie wholly below 4 GiB, or a
 *	BAR wraps around the address space
 * @PCI_PVBUS_KEEP_OVERLAP: a BAR overlaps another kept BAR, a window of
 *	the bus, or a range in use
 * @PCI_PVBUS_KEEP_REFUSED: the MMIO allocator refused the range: it is
 *	outside the bus's MMIO windows, reserved, or taken
 * @PCI_PVBUS_KEEP_NO_WINDOW: no window slot is left for it
 */
enum pci_pvbus_keep {
	PCI_PVBUS_KEEP_NONE,
	PCI_PVBUS_KEEP_OK,
	PCI_PVBUS_KEEP_UNSET,
	PCI_PVBUS_KEEP_MISALIGNED,
	PCI_PVBUS_KEEP_ZONE,
	PCI_PVBUS_KEEP_OVERLAP,
	PCI_PVBUS_KEEP_REFUSED,
	PCI_PVBUS_KEEP_NO_WINDOW,
};

/**
 * struct pci_pvbus_plan_fn - one function for the planner
 * @bar: its BARs (%PVBUS_PCI_NR_BARS of them)
 * @preserve: the host asks for its BARs to stay where it put them
 * @keep: out: what became of that wish; set only when @preserve is set
 * @bad_bar: out: the BAR that made @keep fail
 * @win: out: for each BAR, the window it lies in, or -1 for none
 * @off: out: for each BAR, its offset from the start of its window
 */
struct pci_pvbus_plan_fn {
	const struct pci_pvbus_bar *bar;
	bool preserve;
	enum pci_pvbus_keep keep;
	u8 bad_bar;
	s16 win[PVBUS_PCI_NR_BARS];
	u64 off[PVBUS_PCI_NR_BARS];
};

/**
 * enum pci_pvbus_win_kind - what a window holds
 * @PCI_PVBUS_WIN_PACKED: BARs packed by the planner, then hot-added ones
 * @PCI_PVBUS_WIN_FIXED: exactly one kept BAR of a preserved function
 */
enum pci_pvbus_win_kind {
	PCI_PVBUS_WIN_PACKED,
	PCI_PVBUS_WIN_FIXED,
};

/**
 * struct pci_pvbus_plan_win - a window of the bus, existing or planned
 * @start: first address; for a new packed window, 0 until it is placed
 * @size: size in bytes
 * @used: for a new packed window, the bytes its BARs take (the rest of
 *	@size is hot-add slack)
 * @align: for a new packed window, the alignment it needs
 * @zone: the zone it lies in
 * @kind: what it holds
 * @is_new: the planner added it; it still has to be allocated
 * @fn: for a new fixed window, the index of its function
 * @res: for a placed window, the allocation that holds it
 */
struct pci_pvbus_plan_win {
	u64 start;
	u64 size;
	u64 used;
	u64 align;
	enum pci_pvbus_zone zone;
	enum pci_pvbus_win_kind kind;
	bool is_new;
	unsigned int fn;
	struct resource *res;
};

/**
 * struct pci_pvbus_range - an inclusive range of addresses
 * @start: first address
 * @end: last address
 */
struct pci_pvbus_range {
	u64 start;
	u64 end;
};

/**
 * struct pci_pvbus_plan - the input and output of the BAR planner
 * @fn: the functions whose BARs are to be placed
 * @nr_fn: entries in @fn
 * @win: the windows; the first @nr_old are the bus's existing ones, the
 *	planner appends the new ones
 * @nr_win: entries in @win
 * @max_win: room in @win
 * @nr_old: existing windows at the start of the plan
 * @used: ranges in the existing windows that are taken
 * @nr_used: entries in @used
 * @no_high: there is no room above 4 GiB: 64-bit BARs go below it
 * @slack: bytes of hot-add room a new packed window gets, per zone
 */
struct pci_pvbus_plan {
	struct pci_pvbus_plan_fn *fn;
	unsigned int nr_fn;
	struct pci_pvbus_plan_win *win;
	unsigned int nr_win;
	unsigned int max_win;
	unsigned int nr_old;
	const struct pci_pvbus_range *used;
	unsigned int nr_used;
	bool no_high;
	u64 slack[PCI_PVBUS_NR_ZONES];
};

/**
 * struct pci_pvbus_mmio_ops - how pci_pvbus_place() gets MMIO
 * @alloc: allocate, as pvbus_mmio_alloc()
 * @free: free what @alloc gave
 */
struct pci_pvbus_mmio_ops {
	struct resource *(*alloc)(void *ctx, const struct pvbus_mmio_req *req);
	void (*free)(void *ctx, struct resource *res);
};

int pci_pvbus_plan(struct pci_pvbus_plan *plan);
int pci_pvbus_place(struct pci_pvbus_plan *plan,
		    const struct pci_pvbus_mmio_ops *ops, void *ctx,
		    const char *name);
void pci_pvbus_unplace(struct pci_pvbus_plan *plan,
		       const struct pci_pvbus_mmio_ops *ops, void *ctx);
struct resource *pci_pvbus_alloc_cfg(const struct pci_pvbus_mmio_ops *ops,
				     void *ctx, struct pvbus_mmio_req *req);
const char *pci_pvbus_keep_reason(enum pci_pvbus_keep keep);
void pci_pvbus_bars_need(const struct pci_pvbus_bar *bar, u64 *low,
			 u64 *high);

/* Only the KUnit suites reach these; without KUnit they are static. */
#if IS_ENABLED(CONFIG_KUNIT)
bool pci_pvbus_placeable(const struct pci_pvbus_bar *bar);
#endif
int pci_pvbus_pick_id(u32 wanted, const u32 *used, unsigned int nr_used,
		      u32 max);

#endif /* _PCI_PVBUS_PLAN_H */
