/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus_sim: what the files of the PCI class share: the state of a
 * simulated bus and its functions, and the calls between them.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_SIM_PCI_H
#define _PVBUS_SIM_PCI_H

#include <linux/limits.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "host.h"
#include "pci_emul.h"

/* No function selected on page 0 of the config window. */
#define PVBUS_SIM_PCI_NO_DEVFN	U32_MAX

/* The bit of the header type that marks a multi-function device. */
#define PVBUS_SIM_PCI_MFD	0x80

/* The bits of the command register a function implements. */
#define PVBUS_SIM_PCI_CMD_MASK	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)

/* The command bits that make a function decode. */
#define PVBUS_SIM_PCI_DECODE	(PCI_COMMAND_MEMORY | PCI_COMMAND_IO)

/* The longest RELATIONS_CHANGED. */
#define PVBUS_SIM_PCI_REL_MAX	(sizeof(struct pvbus_pci_relations) + \
				 PVBUS_PCI_MAX_FUNCTIONS * \
				 sizeof(struct pvbus_pci_function))

/* A refusal's log line: the longest, ASSIGNED_RESOURCES', is ~150 bytes. */
#define PVBUS_SIM_PCI_SAY_LEN	192
/*
 * A line the window operations recorded, printed later with the host's
 * name before it: at most this much of the name, so that the line keeps
 * its end (why).
 */
#define PVBUS_SIM_PCI_NAME_SHOWN	48
#define PVBUS_SIM_PCI_LATER_LEN	(PVBUS_SIM_PCI_NAME_SHOWN + 2 + \
				 PVBUS_SIM_PCI_SAY_LEN)

/**
 * struct pvbus_sim_pci - the state of a simulated bus
 * @lock: protects everything below; the window operations take it in
 *	atomic context, under pci-pvbus's config lock and the PCI core's
 *	pci_lock, both raw: so is it
 * @max_version: newest protocol version accepted
 * @version: the version negotiated, 0 before QUERY_VERSION succeeded
 * @d0: the bus is in D0
 * @cfg_base: address of the config window while in D0
 * @selected: the devfn selected on page 0 of the config window
 * @why: why the last request was refused, for the log and the tests
 * @say: a log line recorded under @lock, printed once it is dropped
 * @later: one the window operations recorded, for @say_work to print
 * @say_work: prints @later
 * @said_later: lines @say_work handed to printk, for the tests
 * @said: the last of them, for the tests
 * @ejected: woken when a function leaves the relations with EJECT_COMPLETE
 * @fn: the functions; entries in state %PVBUS_SIM_PCI_ABSENT are free
 */
struct pvbus_sim_pci {
	wait_queue_head_t ejected;
	raw_spinlock_t lock;	/* everything below */
	u16 max_version;
	u16 version;
	bool d0;
	u64 cfg_base;
	u32 selected;
	const char *why;
	char say[PVBUS_SIM_PCI_SAY_LEN];
	char later[PVBUS_SIM_PCI_LATER_LEN];
	struct work_struct say_work;
	unsigned int said_later;
	char said[PVBUS_SIM_PCI_LATER_LEN];
	struct pvbus_sim_pci_fn fn[PVBUS_PCI_MAX_FUNCTIONS];
};

/* pci.c: the bus */
struct pvbus_sim_pci_fn *pvbus_sim_pci_find(struct pvbus_sim_pci *pci,
					    u32 devfn);

/* pci_emul.c: config space (the rest is in pci_emul.h) */
bool pvbus_sim_pci_multifn(const struct pvbus_sim_pci *pci,
			   const struct pvbus_sim_pci_fn *fn);

/* pci_forward.c: passed-through functions */
const char *pvbus_sim_pci_pt_apply(struct pvbus_sim_pci *pci,
				   struct pvbus_sim_pci_fn *fn);
void pvbus_sim_pci_pt_fence(struct pvbus_sim_pci_fn *fn);
u32 pvbus_sim_pci_pt_read(const struct pvbus_sim_pci *pci,
			  const struct pvbus_sim_pci_fn *fn,
			  unsigned int reg, unsigned int size);
void pvbus_sim_pci_pt_write(struct pvbus_sim_pci *pci,
			    struct pvbus_sim_pci_fn *fn,
			    unsigned int reg, unsigned int size, u32 val);

/* pci_window.c: the config window */
int pvbus_sim_pci_window_read(struct pvbus_sim_dev *sdev, u64 addr,
			      unsigned int size, u32 *val);
int pvbus_sim_pci_window_write(struct pvbus_sim_dev *sdev, u64 addr,
			       unsigned int size, u32 val);

/* pci_checks.c: the host's checks */
const char *pvbus_sim_pci_check_cfg(const struct pvbus_sim_dev *sdev,
				    u64 base, u32 size);
const char *pvbus_sim_pci_check_bar(const struct pvbus_sim_dev *sdev,
				    const struct pvbus_sim_pci_fn *self,
				    const u64 *addr, unsigned int b);

/* pci.c: the bus and its protocol */
size_t pvbus_sim_pci_relations(struct pvbus_sim_pci *pci,
			       struct pvbus_pci_relations *rel);
int pvbus_sim_pci_fn_add(struct pvbus_sim_pci *pci,
			 const struct pvbus_sim_pci_fn_desc *desc);
void pvbus_sim_pci_fn_drop(struct pvbus_sim_pci_fn *fn);
void pvbus_sim_pci_say_later(struct pvbus_sim_dev *sdev,
			     struct pvbus_sim_pci *pci);

#endif /* _PVBUS_SIM_PCI_H */
