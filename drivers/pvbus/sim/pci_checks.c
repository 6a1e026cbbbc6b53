// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the checks a real host makes of the addresses a guest puts
 * a PCI bus's config window and BARs at: against the host's windows and
 * reserved ranges, the bus itself, and what the host's other PCI buses
 * decode.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/pci.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>

#include "pci.h"

/* [@start, @last] lies wholly inside one of the bus's windows. */
static bool pvbus_sim_in_windows(const struct pvbus_sim_host *host,
				 u64 start, u64 last)
{
	unsigned int i;

	for (i = 0; i < host->nr_win; i++)
		if (start >= host->win[i].start &&
		    last - host->win[i].start < host->win[i].size)
			return true;
	return false;
}

/* [@start, @last] overlaps a range the host reserved. */
static bool pvbus_sim_hits_reserved(const struct pvbus_sim_host *host,
				    u64 start, u64 last)
{
	unsigned int i;

	for (i = 0; i < host->nr_rsv; i++)
		if (pvbus_ranges_overlap(start, last, host->rsv[i].start,
					 host->rsv[i].start +
					 host->rsv[i].size - 1))
			return true;
	return false;
}

/* [@start, @last] overlaps @pci's config window, while it is in D0. */
static bool pvbus_sim_hits_cfg(const struct pvbus_sim_pci *pci, u64 start,
			       u64 last)
{
	return pci->d0 &&
	       pvbus_ranges_overlap(start, last, pci->cfg_base,
				    pci->cfg_base + PVBUS_PCI_CFG_WINDOW_SIZE - 1);
}

/*
 * [@start, @last] overlaps a BAR the host accepted for a function of @pci
 * other than @skip (NULL: any).
 */
static bool pvbus_sim_hits_bars(const struct pvbus_sim_pci *pci,
				const struct pvbus_sim_pci_fn *skip,
				u64 start, u64 last)
{
	const struct pvbus_sim_pci_fn *fn;
	unsigned int i, b;

	for (i = 0; i < PVBUS_PCI_MAX_FUNCTIONS; i++) {
		fn = &pci->fn[i];
		if (fn == skip || fn->state == PVBUS_SIM_PCI_ABSENT)
			continue;
		for (b = 0; b < PVBUS_PCI_NR_BARS; b++)
			if (fn->assigned[b] &&
			    pvbus_ranges_overlap(start, last, fn->assigned[b],
						 fn->assigned[b] +
						 fn->desc.bar[b].size - 1))
				return true;
	}
	return false;
}

/* Why [@start, @last] may not go where bus @pci decodes, or NULL. */
static const char *pvbus_sim_hits_bus(struct pvbus_sim_pci *pci, u64 start,
				      u64 last)
{
	const char *why = NULL;

	/* Nested in the checking bus's lock: see pvbus_sim_hits_other(). */
	raw_spin_lock_nested(&pci->lock, SINGLE_DEPTH_NESTING);
	if (pvbus_sim_hits_cfg(pci, start, last))
		why = "it overlaps the config window of another bus";
	else if (pvbus_sim_hits_bars(pci, NULL, start, last))
		why = "it overlaps a BAR of a function of another bus";
	raw_spin_unlock(&pci->lock);
	return why;
}

/*
 * Why [@start, @last] may not go where another PCI bus of @self's host
 * decodes (its config window in D0, or the BARs the host accepted for its
 * functions), or NULL.  Called with the host's @addr_lock held, which
 * keeps the buses on its @devs and their checks from running meanwhile,
 * and with @self's lock held: only the holder of @addr_lock takes a
 * second bus's lock inside its own, so two never wait for each other.
 */
static const char *pvbus_sim_hits_other(const struct pvbus_sim_dev *self,
					u64 start, u64 last)
{
	const struct pvbus_sim_dev *sdev;
	const char *why;

	lockdep_assert_held(&self->host->addr_lock);

	list_for_each_entry(sdev, &self->host->devs, node) {
		if (sdev == self || sdev->proto != &pvbus_sim_pci_proto ||
		    !sdev->cls)
			continue;
		why = pvbus_sim_hits_bus(sdev->cls, start, last);
		if (why)
			return why;
	}
	return NULL;
}

/*
 * Why the config window [@base, +@size) of bus @sdev is refused, or NULL.
 * Called with the host's @addr_lock and the bus's lock held.
 */
const char *pvbus_sim_pci_check_cfg(const struct pvbus_sim_dev *sdev,
				    u64 base, u32 size)
{
	const struct pvbus_sim_host *host = sdev->host;
	u64 last;

	if (size != PVBUS_PCI_CFG_WINDOW_SIZE)
		return "its size is not the config window's";
	if (base & (PVBUS_PCI_CFG_WINDOW_ALIGN - 1))
		return "it is not 4 KiB aligned";
	if (check_add_overflow(base, (u64)size - 1, &last))
		return "it wraps around";
	if (!pvbus_sim_in_windows(host, base, last))
		return "it is not inside an MMIO window of the bus";
	if (pvbus_sim_hits_reserved(host, base, last))
		return "it overlaps a range the host reserved";
	/* Accepted BARs stay through D0_EXIT, until RELEASED_RESOURCES. */
	if (pvbus_sim_hits_bars(sdev->cls, NULL, base, last))
		return "it overlaps a BAR of a function of the bus";
	return pvbus_sim_hits_other(sdev, base, last);
}

/*
 * Why BAR @b of @self, a function of bus @sdev, at @addr[@b] is refused,
 * or NULL.  @addr are all the BAR addresses of the request; the BARs
 * before @b have passed.  Called as pvbus_sim_pci_check_cfg() is.
 */
const char *pvbus_sim_pci_check_bar(const struct pvbus_sim_dev *sdev,
				    const struct pvbus_sim_pci_fn *self,
				    const u64 *addr, unsigned int b)
{
	const struct pvbus_sim_host *host = sdev->host;
	const struct pvbus_sim_pci *pci = sdev->cls;
	const struct pvbus_sim_pci_bar *bar = self->desc.bar;
	u64 start = addr[b], last;
	unsigned int i;

	if (start & (bar[b].size - 1))
		return "it is not aligned to its size";
	if (check_add_overflow(start, bar[b].size - 1, &last))
		return "it wraps around";
	if (!(bar[b].flags & PVBUS_SIM_BAR_64) && last > U32_MAX)
		return "a 32-bit BAR must lie below 4 GiB";
	if (!pvbus_sim_in_windows(host, start, last))
		return "it is not inside an MMIO window of the bus";
	if (pvbus_sim_hits_cfg(pci, start, last))
		return "it overlaps the config window";
	if (pvbus_sim_hits_reserved(host, start, last))
		return "it overlaps a range the host reserved";

	for (i = 0; i < b; i++)
		if (addr[i] && pvbus_ranges_overlap(start, last, addr[i],
						    addr[i] + bar[i].size - 1))
			return "it overlaps another BAR of the function";

	if (pvbus_sim_hits_bars(pci, self, start, last))
		return "it overlaps a BAR of another function";
	return pvbus_sim_hits_other(sdev, start, last);
}
