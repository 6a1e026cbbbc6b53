/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus_sim: a simulated pvbus host.
 *
 * configfs.c keeps the configuration that userspace writes under
 * /sys/kernel/config/pvbus_sim/ and decides when a host registers and
 * which devices it offers; host.c is the host itself: the backend
 * operations, the devices it offers and the messages it answers.  The two
 * meet only through the functions below.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_SIM_H
#define _PVBUS_SIM_H

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/pci_regs.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include "pci_emul.h"

/**
 * enum pvbus_sim_fault - how a device misbehaves, for tests
 * @PVBUS_SIM_FAULT_NONE: answer as a correct host would.
 * @PVBUS_SIM_FAULT_DROP: never answer a request; the guest's request times
 *	out.
 * @PVBUS_SIM_FAULT_SHORT: answer with the response's last bytes cut off;
 *	the header's length matches what is delivered.
 * @PVBUS_SIM_FAULT_BADLEN: answer with a header whose length is not the
 *	length delivered.
 * @PVBUS_SIM_FAULT_BADVER: answer with a protocol version the message type
 *	does not have.
 * @PVBUS_SIM_FAULT_STATUS: refuse every request with
 *	%PVBUS_STATUS_REFUSED.
 * @PVBUS_SIM_NR_FAULTS: number of faults.
 *
 * Faults change the responses to requests only; notifications are always
 * well formed.
 */
enum pvbus_sim_fault {
	PVBUS_SIM_FAULT_NONE,
	PVBUS_SIM_FAULT_DROP,
	PVBUS_SIM_FAULT_SHORT,
	PVBUS_SIM_FAULT_BADLEN,
	PVBUS_SIM_FAULT_BADVER,
	PVBUS_SIM_FAULT_STATUS,
	PVBUS_SIM_NR_FAULTS,
};

/**
 * enum pvbus_sim_stat - what a host counts
 * @PVBUS_SIM_STAT_REQUESTS: messages the guest sent.
 * @PVBUS_SIM_STAT_ANSWERED: requests answered with %PVBUS_STATUS_SUCCESS.
 * @PVBUS_SIM_STAT_INVALID: refused with %PVBUS_STATUS_INVALID.
 * @PVBUS_SIM_STAT_UNSUPPORTED: refused with %PVBUS_STATUS_UNSUPPORTED.
 * @PVBUS_SIM_STAT_REFUSED: refused with %PVBUS_STATUS_REFUSED.
 * @PVBUS_SIM_STAT_BUSY: refused with %PVBUS_STATUS_BUSY.
 * @PVBUS_SIM_STAT_NOT_FOUND: refused with %PVBUS_STATUS_NOT_FOUND.
 * @PVBUS_SIM_STAT_UNANSWERABLE: requests without a usable transaction id,
 *	which no response could refer to: dropped.
 * @PVBUS_SIM_STAT_DROPPED: requests dropped because of
 *	%PVBUS_SIM_FAULT_DROP or because their device was revoked first.
 * @PVBUS_SIM_STAT_FAULTY: responses damaged on purpose (short, badlen,
 *	badver).
 * @PVBUS_SIM_STAT_NOTIFICATIONS: notifications sent.
 * @PVBUS_SIM_STAT_REJECTED: messages to the guest that
 *	pvbus_channel_receive() refused.
 * @PVBUS_SIM_STAT_QUEUE_FULL: requests dropped because the device's
 *	queue was full (notifications never are).
 * @PVBUS_SIM_NR_STATS: number of counters.
 */
enum pvbus_sim_stat {
	PVBUS_SIM_STAT_REQUESTS,
	PVBUS_SIM_STAT_ANSWERED,
	PVBUS_SIM_STAT_INVALID,
	PVBUS_SIM_STAT_UNSUPPORTED,
	PVBUS_SIM_STAT_REFUSED,
	PVBUS_SIM_STAT_BUSY,
	PVBUS_SIM_STAT_NOT_FOUND,
	PVBUS_SIM_STAT_UNANSWERABLE,
	PVBUS_SIM_STAT_DROPPED,
	PVBUS_SIM_STAT_FAULTY,
	PVBUS_SIM_STAT_NOTIFICATIONS,
	PVBUS_SIM_STAT_REJECTED,
	PVBUS_SIM_STAT_QUEUE_FULL,
	PVBUS_SIM_NR_STATS,
};

struct pvbus_sim_host;
struct pvbus_sim_dev;
struct pvbus_sim_pt;

/**
 * struct pvbus_sim_pt_ops - how the host reaches a real function's config
 *	space
 * @read: read @size (1, 2 or 4) bytes at @where into *@val; 0 or a
 *	negative error code.  Called in atomic context, with the PCI core's
 *	config lock possibly held: it must not take it.
 * @write: write @size bytes of @val at @where, likewise.
 */
struct pvbus_sim_pt_ops {
	int (*read)(struct pvbus_sim_pt *pt, unsigned int where,
		    unsigned int size, u32 *val);
	int (*write)(struct pvbus_sim_pt *pt, unsigned int where,
		     unsigned int size, u32 val);
};

/**
 * struct pvbus_sim_pt - a real PCI function the host passes through
 * @ops: access to its config space
 * @cfg_size: size of its config space, 256 or 4096
 * @name: its address, e.g. "0000:00:04.0"
 * @pcie_cap: where its PCI Express capability is, 0 if it has none
 * @devctl: its Device Control's %PVBUS_SIM_PT_DEVCTL_KEPT bits, as the
 *	host set them
 * @rebar: where the registers of its Resizable BAR capability begin (the
 *	capability's own offset + %PCI_REBAR_CAP), 0 if it has none
 * @rebar_end: where they end
 *
 * passthrough.c makes it (pvbus_sim_pt_take()); pci.c forwards the config
 * space of a function whose &pvbus_sim_pci_fn_desc.pt is set to it.
 */
struct pvbus_sim_pt {
	const struct pvbus_sim_pt_ops *ops;
	unsigned int cfg_size;
	const char *name;
	unsigned int pcie_cap;
	u16 devctl;
	unsigned int rebar, rebar_end;
};

/* What of Device Control the fabric decides: the host keeps it. */
#define PVBUS_SIM_PT_DEVCTL_KEPT	(PCI_EXP_DEVCTL_PAYLOAD | \
					 PCI_EXP_DEVCTL_PHANTOM)

/* pci_forward.c */
int pvbus_sim_pt_find_kept(struct pvbus_sim_pt *pt, unsigned int pcie_cap,
			   unsigned int rebar);

/**
 * struct pvbus_sim_pci_settings - a simulated PCI bus as configured, at offer
 * @max_version: newest protocol version the host accepts
 * @stale_d0: the bus starts in D0, as if a previous kernel had not left it
 * @nr_fns: entries in @fn
 * @fn: the functions in the bus's relations from the start
 */
struct pvbus_sim_pci_settings {
	u16 max_version;
	bool stale_d0;
	unsigned int nr_fns;
	struct pvbus_sim_pci_fn_desc fn[PVBUS_PCI_MAX_FUNCTIONS];
};

/*
 * host.c.  A host's start, stop, offer and revoke calls are serialised by
 * the caller; set_fault and get_stats may come at any time while
 * the object exists.
 */
int pvbus_sim_host_init(void);
void pvbus_sim_host_exit(void);

struct pvbus_sim_host *pvbus_sim_host_create(const char *name);
void pvbus_sim_host_destroy(struct pvbus_sim_host *host);
void pvbus_sim_host_set_root(struct pvbus_sim_host *host, const char *root);
int pvbus_sim_host_start(struct pvbus_sim_host *host,
			 const struct pvbus_range *rsv, unsigned int nr_rsv);
void pvbus_sim_host_stop(struct pvbus_sim_host *host);
void pvbus_sim_host_get_stats(struct pvbus_sim_host *host, u64 *stats);

struct pvbus_sim_dev *pvbus_sim_dev_offer(struct pvbus_sim_host *host,
					  const guid_t *class,
					  const guid_t *instance,
					  enum pvbus_sim_fault fault,
					  const void *settings);
void pvbus_sim_dev_withdraw(struct pvbus_sim_dev *sdev);
void pvbus_sim_dev_release(struct pvbus_sim_dev *sdev);
void pvbus_sim_dev_revoke(struct pvbus_sim_dev *sdev);
void pvbus_sim_dev_set_fault(struct pvbus_sim_dev *sdev,
			     enum pvbus_sim_fault fault);

/*
 * pci.c, for devices of class %PVBUS_PCI_CLASS; called like the device
 * calls above.  -ENODEV for a device of another class.
 */
extern const guid_t pvbus_sim_pci_class;
bool pvbus_sim_is_pci(const guid_t *class);
int pvbus_sim_pci_add_fn(struct pvbus_sim_dev *sdev,
			 const struct pvbus_sim_pci_fn_desc *fn);
int pvbus_sim_pci_remove_fn(struct pvbus_sim_dev *sdev, u32 devfn);
int pvbus_sim_pci_eject(struct pvbus_sim_dev *sdev, u32 devfn);
int pvbus_sim_pci_fn_state(struct pvbus_sim_dev *sdev, u32 devfn);
int pvbus_sim_pci_take_back(struct pvbus_sim_dev *sdev, u32 devfn,
			    unsigned int timeout_ms);
int pvbus_sim_pci_take_back_ask(struct pvbus_sim_dev *sdev, u32 devfn);
bool pvbus_sim_pci_take_back_wait(struct pvbus_sim_dev *sdev, u32 devfn,
				  unsigned int timeout_ms);
int pvbus_sim_pci_set_max_version(struct pvbus_sim_dev *sdev, u16 version);

/* configfs.c */
int pvbus_sim_configfs_init(void);
void pvbus_sim_configfs_exit(void);

/* pci_bars.c: the "bars" and "host_addrs" attributes */
int pvbus_sim_pci_parse_bars(char *s, struct pvbus_sim_pci_bar *bar);
ssize_t pvbus_sim_bars_str(char *page, const struct pvbus_sim_pci_bar *bar);
int pvbus_sim_pci_parse_host_addrs(char *s, u64 *addr);

/*
 * passthrough.c: real PCI functions taken from their native drivers and
 * given back.  Process context; the caller serialises the calls for one
 * function.  Without CONFIG_PCI there is no function to take.
 */
#if IS_ENABLED(CONFIG_PCI)
#if IS_ENABLED(CONFIG_KUNIT)
struct pci_dev;
struct resource;
int pvbus_sim_pt_parse_addr(const char *s, u32 *domain, u8 *bus, u8 *devfn);
int pvbus_sim_pt_check(struct pci_dev *pdev);
int pvbus_sim_pt_describe_bars(const struct resource *res,
			       struct pvbus_sim_pci_bar *bar);
#endif
struct pvbus_sim_pt *pvbus_sim_pt_take(const char *addr,
				       struct pvbus_sim_pci_fn_desc *desc);
void pvbus_sim_pt_give_back(struct pvbus_sim_pt *pt);
#else
static inline struct pvbus_sim_pt *
pvbus_sim_pt_take(const char *addr, struct pvbus_sim_pci_fn_desc *desc)
{
	return ERR_PTR(-ENODEV);
}

static inline void pvbus_sim_pt_give_back(struct pvbus_sim_pt *pt)
{
}
#endif

#endif /* _PVBUS_SIM_H */
