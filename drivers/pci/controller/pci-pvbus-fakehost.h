/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake pvbus host for the pci-pvbus KUnit suites (test builds only).
 *
 * The fake registers with the bus root as a host backend, offers
 * paravirtual PCI buses and plays the host's side of <linux/pvbus_pci.h>:
 * it answers every request from its send() and emulates the trapped config
 * window through the window ops, with a config space per function whose
 * BARs size like real ones: pvbus_sim's emulator, the one the simulated
 * host uses (drivers/pvbus/sim/pci_emul.c).  Hooks let a suite see, rewrite, delay, repeat
 * or drop every answer, rewrite config-space reads, and fail send(); the
 * suite can also inject messages of its own (notifications, stray
 * answers).
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_FAKEHOST_H
#define _PCI_PVBUS_FAKEHOST_H

#include <kunit/test.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pvbus.h>
#include <linux/pvbus_pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "pci_emul.h"

struct pci_pvbus;
struct pci_dev;

#define PCI_PVBUS_FAKE_FNS	8
#define PCI_PVBUS_FAKE_LOG	128

/**
 * struct pci_pvbus_fake_fn - one function of the fake host
 * @listed: the host lists it in QUERY_RELATIONS and RELATIONS_CHANGED
 * @devfn: its devfn
 * @vendor: vendor id
 * @device: device id
 * @class: class code
 * @flags: PVBUS_PCI_FN_* (sent from version 1.1 on)
 * @probed: what each BAR reads after all ones were written
 * @host_addr: where the host put each BAR (sent for PVBUS_PCI_FN_PRESERVE)
 * @upper: BARs that are the upper halves of 64-bit ones
 * @emul: its config space, emulated by pvbus_sim
 *	(pci_pvbus_fake_cfg_init() resets it)
 */
struct pci_pvbus_fake_fn {
	bool listed;
	u32 devfn;
	u16 vendor;
	u16 device;
	u32 class;
	u32 flags;
	u32 probed[PVBUS_PCI_NR_BARS];
	u64 host_addr[PVBUS_PCI_NR_BARS];
	unsigned long upper;
	struct pvbus_sim_pci_fn emul;
};

/**
 * struct pci_pvbus_fake_log - one request the host saw
 * @type: its type
 * @devfn: the devfn it names, ~0 for none
 */
struct pci_pvbus_fake_log {
	u16 type;
	u32 devfn;
};

/**
 * enum pci_pvbus_fake_fate - what becomes of an answer
 * @PCI_PVBUS_FAKE_NOW: delivered from send(), as a synchronous host would
 * @PCI_PVBUS_FAKE_LATE: queued, delivered by a work item after
 *	&pci_pvbus_fake.late_ms (or by pci_pvbus_fake_flush())
 * @PCI_PVBUS_FAKE_TWICE: delivered from send() and once more, late
 * @PCI_PVBUS_FAKE_NEVER: dropped: the request waits for its timeout, or
 *	for the device to be revoked
 */
enum pci_pvbus_fake_fate {
	PCI_PVBUS_FAKE_NOW,
	PCI_PVBUS_FAKE_LATE,
	PCI_PVBUS_FAKE_TWICE,
	PCI_PVBUS_FAKE_NEVER,
};

struct pci_pvbus_fake;

/**
 * struct pci_pvbus_fake_hooks - how a suite intercepts the fake host
 * @answer: called for every request, in process context with
 *	&pci_pvbus_fake.send_lock held, after the fake built its answer in
 *	@resp (a %PVBUS_MSG_MAX_LEN buffer) of *@resp_len bytes.  It may
 *	rewrite the answer and its length (up to %PVBUS_MSG_MAX_LEN), and
 *	returns an &enum pci_pvbus_fake_fate, or a negative errno that
 *	send() returns instead of answering.
 * @cfg_read: called for every config-space read of a function (@fn NULL
 *	when no listed function is selected), with the fake's spinlock held:
 *	may rewrite *@val.
 * @window: called for every access to the config window, after the fake
 *	answered it with @ret (and, for a read, *@val), with the fake's
 *	spinlock held: returns what the backend op returns, and may rewrite
 *	*@val of a read with any value, also one wider than @size bytes.
 * @connect: called as the host attaches, from pci_pvbus_fake_new(): the
 *	host's connect op, whose ranges and return the bus checks.  Without
 *	it the host gives no ranges.
 * @data: for the hooks
 */
struct pci_pvbus_fake_hooks {
	int (*answer)(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
		      const void *req, size_t req_len, void *resp,
		      size_t *resp_len);
	void (*cfg_read)(struct pci_pvbus_fake *f, struct pci_pvbus_fake_fn *fn,
			 unsigned int off, unsigned int size, u32 *val);
	int (*window)(struct pci_pvbus_fake *f, bool write, unsigned int size,
		      u32 *val, int ret);
	int (*connect)(struct pci_pvbus_fake *f, struct pvbus_range *rsv,
		       unsigned int max);
	void *data;
};

/**
 * struct pci_pvbus_fake - the fake host
 * @host: its pvbus host backend
 * @hooks: the suite's hooks, or NULL
 * @late_ms: delay of %PCI_PVBUS_FAKE_LATE answers
 * @send_lock: one answer at a time
 * @resp: the answer being built
 * @late_work: delivers @late
 * @lock: protects everything below
 * @late: answers waiting for @late_work
 * @max_version: newest protocol version it accepts
 * @refuse_d0: D0_ENTRY requests to refuse (BUSY) before one succeeds
 * @refuse_assigned: devfn + 1 whose ASSIGNED_RESOURCES is refused, or 0
 * @dup_devfns: list every function with the first one's devfn
 * @d0: the bus is in D0
 * @cfg_base: the config window the guest gave in D0_ENTRY
 * @selected: the devfn selected in the config window
 * @window_errors: config window accesses outside the window or not in D0
 * @nr_sent: messages delivered to the guest (answers and injected)
 * @nr_requests: requests received
 * @fn: its functions
 * @assigned: the last ASSIGNED_RESOURCES per function
 * @log: the first %PCI_PVBUS_FAKE_LOG requests
 * @nr_log: entries in @log
 */
struct pci_pvbus_fake {
	struct pvbus_host host;
	const struct pci_pvbus_fake_hooks *hooks;
	unsigned int late_ms;
	struct mutex send_lock;		/* one answer at a time */
	u8 *resp;
	struct delayed_work late_work;

	raw_spinlock_t lock;	/* protects everything below */
	struct list_head late;
	u16 max_version;
	unsigned int refuse_d0;
	u32 refuse_assigned;
	bool dup_devfns;
	bool d0;
	u64 cfg_base;
	u32 selected;
	unsigned int window_errors;
	u64 nr_sent;
	u64 nr_requests;
	struct pci_pvbus_fake_fn fn[PCI_PVBUS_FAKE_FNS];
	struct pvbus_pci_assigned assigned[PCI_PVBUS_FAKE_FNS];
	struct pci_pvbus_fake_log log[PCI_PVBUS_FAKE_LOG];
	unsigned int nr_log;
};

/* A class no driver binds to: devices that only ask the bus for MMIO. */
extern const guid_t pci_pvbus_fake_probe_class;

/* The host */
struct pci_pvbus_fake *
pci_pvbus_fake_new(const struct pci_pvbus_fake_hooks *hooks);
void pci_pvbus_fake_destroy(struct pci_pvbus_fake *f);
struct pci_pvbus_fake *pci_pvbus_fake_create(struct kunit *test);
void pci_pvbus_fake_reset(struct pci_pvbus_fake *f);
void pci_pvbus_fake_flush(struct pci_pvbus_fake *f);
void pci_pvbus_fake_drop_late(struct pci_pvbus_fake *f);

/* Its functions and their config space */
void pci_pvbus_fake_fn_init(struct pci_pvbus_fake_fn *fn, u32 devfn,
			    u16 device, u32 flags);
void pci_pvbus_fake_bar(struct pci_pvbus_fake_fn *fn, unsigned int b,
			u64 size, bool is64, bool pref, u64 host);
void pci_pvbus_fake_cfg_init(struct pci_pvbus_fake_fn *fn);
void pci_pvbus_fake_sriov(struct pci_pvbus_fake_fn *fn, u16 total_vfs,
			  u64 vf_size);
void pci_pvbus_fake_rebar(struct pci_pvbus_fake_fn *fn, u32 sizes);
void pci_pvbus_fake_set_listed(struct pci_pvbus_fake *f,
			       struct pci_pvbus_fake_fn *fn, bool listed);
struct pci_pvbus_fake_fn *pci_pvbus_fake_find(struct pci_pvbus_fake *f,
					      u32 devfn);
/* For the host's own use (pci-pvbus-fakehost.c) */
struct pvbus_pci_fn_desc pci_pvbus_fake_id(const struct pci_pvbus_fake_fn *fn,
					   u32 serial);
int pci_pvbus_fake_window_read(struct pvbus_host *host,
			       struct pvbus_device *pdev, u64 addr,
			       unsigned int size, u32 *val);
int pci_pvbus_fake_window_write(struct pvbus_host *host,
				struct pvbus_device *pdev, u64 addr,
				unsigned int size, u32 val);

/* Offering buses */
void pci_pvbus_fake_guid(guid_t *inst, u32 id);
struct pvbus_device *pci_pvbus_fake_offer(struct kunit *test,
					  struct pci_pvbus_fake *f,
					  const guid_t *class, u8 id);
void pci_pvbus_fake_unoffer(struct pvbus_device *pdev);

/* Messages from the host */
size_t pci_pvbus_fake_relations(struct pci_pvbus_fake *f, u8 *buf, u16 type,
				u16 version);
int pci_pvbus_fake_inject(struct pci_pvbus_fake *f, struct pvbus_device *pdev,
			  const void *msg, size_t len);
void pci_pvbus_fake_notify(struct kunit *test, struct pci_pvbus_fake *f,
			   struct pvbus_device *pdev, u16 type, u32 devfn);

/* What the host saw, and what the guest made of it */
unsigned int pci_pvbus_fake_count_log(struct pci_pvbus_fake *f, u16 type,
				      u32 devfn);
bool pci_pvbus_fake_wait_log(struct pci_pvbus_fake *f, u16 type, u32 devfn,
			     unsigned int n);
void pci_pvbus_fake_expect_log(struct kunit *test, struct pci_pvbus_fake *f,
			       const u16 *types, unsigned int n);
struct pci_pvbus *pci_pvbus_fake_bus_of(struct pvbus_device *pdev);
struct pci_dev *pci_pvbus_fake_get_fn(struct pci_pvbus *pb, u32 devfn);
unsigned int pci_pvbus_fake_count_devices(struct pci_pvbus *pb);

#endif /* _PCI_PVBUS_FAKEHOST_H */
