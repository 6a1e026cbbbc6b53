/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the paravirtual PCI front-end on pvbus.  What the parts of
 * the driver share (the two pure units have headers of their own,
 * pci-pvbus-msg.h and pci-pvbus-plan.h):
 *
 * - pci-pvbus-main.c: its parameters, the config window and the config
 *   accessors, probe and remove (pci-pvbus-domain.c chooses the domain);
 * - pci-pvbus-proto.c: the requests to the host;
 * - pci-pvbus-notify.c: the host's notifications (hot add and eject);
 * - pci-pvbus-bus.c: the root bus and its functions;
 * - pci-pvbus-win.c: the root bus's windows, grown for hot add.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_H
#define _PCI_PVBUS_H

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/pci-ecam.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_mmio.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "pci-pvbus-msg.h"
#include "pci-pvbus-plan.h"

/* How the config window is placed: the cfg_window parameter. */
enum pci_pvbus_cfg_mode {
	PCI_PVBUS_CFG_AUTO,
	PCI_PVBUS_CFG_HIGH,
	PCI_PVBUS_CFG_LEGACY,
};

extern u64 pci_pvbus_slack[PCI_PVBUS_NR_ZONES];
extern unsigned int pci_pvbus_timeout_ms;
extern int pci_pvbus_d0_retries;
extern unsigned int pci_pvbus_d0_backoff_ms;

/* The bounds of the parameters above. */
#define PCI_PVBUS_TIMEOUT_MIN_MS	10
#define PCI_PVBUS_TIMEOUT_MAX_MS	PVBUS_REQUEST_TIMEOUT_LIMIT_MS
#define PCI_PVBUS_D0_RETRIES_MAX	16
#define PCI_PVBUS_D0_RETRIES_KDUMP	4
#define PCI_PVBUS_D0_BACKOFF_MAX_MS	(10 * 1000)

/* Notifications queued at most; ranges in use a hot add is told of. */
#define PCI_PVBUS_MAX_NOTES		64
#define PCI_PVBUS_MAX_USED		(PVBUS_PCI_MAX_FUNCTIONS * \
					 (PCI_ROM_RESOURCE + 1))
/*
 * A list that could not be had again is asked for after this long, then
 * twice as long each time, up to the most.
 */
#define PCI_PVBUS_LOST_RETRY_MS		1000
#define PCI_PVBUS_LOST_RETRY_MAX_MS	60000
/* BARs the host can have been told of: every BAR of every function. */
#define PCI_PVBUS_MAX_TOLD		(PVBUS_PCI_MAX_FUNCTIONS * \
					 PVBUS_PCI_NR_BARS)
/* BARs held for a host that did not confirm it let them go, at most. */
#define PCI_PVBUS_MAX_HELD		PCI_PVBUS_MAX_TOLD
/*
 * Windows a bus has at most: one per BAR of every function it can have,
 * and a packed window per zone from each of probe and the hot add under
 * way.  Empty windows grown for hot add go back, so only a bug (or a
 * resource someone else left in a window) reaches it.
 */
#define PCI_PVBUS_MAX_WIN		(PVBUS_PCI_MAX_FUNCTIONS * \
					 PVBUS_PCI_NR_BARS + \
					 4 * PCI_PVBUS_NR_ZONES)

/**
 * struct pci_pvbus_fn - a function behind the bus
 * @node: in &pci_pvbus.fns
 * @desc: as the host described it
 * @bar: its BARs, as the host probed them
 * @addr: where each BAR was placed, 0 for none
 * @keep: what became of the host's wish to preserve its BARs
 * @present: it is on the PCI bus
 * @assigned: the host confirmed its ASSIGNED_RESOURCES, and has not been
 *	sent RELEASED_RESOURCES since (an answer left open is released at
 *	once by pci_pvbus_offer_fn(), @assigned false)
 */
struct pci_pvbus_fn {
	struct list_head node;
	struct pvbus_pci_fn_desc desc;
	struct pci_pvbus_bar bar[PVBUS_PCI_NR_BARS];
	u64 addr[PVBUS_PCI_NR_BARS];
	enum pci_pvbus_keep keep;
	bool present;
	bool assigned;
};

/* The name in iomem of a window left there when its bus went. */
#define PCI_PVBUS_LEAKED_WINDOW	"pci-pvbus leaked window"

/**
 * struct pci_pvbus_win - a window of the root bus
 * @node: in &pci_pvbus.wins
 * @res: what the PCI core sees, nested in @alloc
 * @alloc: the allocation from the bus
 * @bus_res: the entry that puts @res on the root bus's resource list
 * @on_bus: @bus_res is on that list
 * @zone: where it lies
 * @kind: what it holds
 * @fn: the function a fixed window belongs to
 * @grown: the window was added for a hot add; it goes back to the bus
 *	when it holds nothing any more
 * @pinned: it holds a BAR the host may still decode that could not be
 *	held (pci_pvbus_windows_hold_fn()): it stays until the bus goes
 * @leaked_name: the name of @res once the window is leaked, kept in iomem
 *	after the bus (and maybe the module) is gone
 */
struct pci_pvbus_win {
	struct list_head node;
	struct resource res;
	struct resource *alloc;
	struct pci_bus_resource *bus_res;
	bool on_bus;
	enum pci_pvbus_zone zone;
	enum pci_pvbus_win_kind kind;
	struct pci_pvbus_fn *fn;
	bool grown;
	bool pinned;
	char leaked_name[sizeof(PCI_PVBUS_LEAKED_WINDOW)];
};

/**
 * struct pci_pvbus_held - a BAR the host may still decode
 * @node: in &pci_pvbus.held
 * @res: the BAR's range, a child of the window that holds it
 */
struct pci_pvbus_held {
	struct list_head node;
	struct resource res;
};

/**
 * enum pci_pvbus_state - the life of a bus
 * @PCI_PVBUS_PROBING: probe is setting it up
 * @PCI_PVBUS_RUNNING: the root bus is live; hotplug is handled
 * @PCI_PVBUS_DEAD: probe failed or remove began
 */
enum pci_pvbus_state {
	PCI_PVBUS_PROBING,
	PCI_PVBUS_RUNNING,
	PCI_PVBUS_DEAD,
};

/**
 * struct pci_pvbus - one paravirtual PCI bus
 * @pdev: its pvbus device
 * @version: the protocol version negotiated
 * @domain: its PCI domain
 * @busnr: the number of its root bus
 * @name: "pci-pvbus DDDD:BB", prefix of the names in /proc/iomem
 * @cfg_name: name of the config window
 * @bus_name: name of the root bus's windows
 * @lock: serialises probe, hotplug and remove; protects everything below
 *	up to @cfg_lock
 * @state: where in its life the bus is
 * @fns: &struct pci_pvbus_fn, the functions on the bus (those the host
 *	listed, but for any whose resources could not be had)
 * @nr_fns: entries in @fns
 * @listed: the devfns the host listed last
 * @unconfirmed: devfns ejected whose EJECT_COMPLETE the host did not
 *	confirm, and not listed since: a repeated EJECT of one is answered
 *	again
 * @ejected: devfns ejected since the host last sent a list that left
 *	them out, or gave the list the guest asked for, and where no
 *	function was added since: a list the host sent before it heard the
 *	eject was answered still lists the function, which it then no
 *	longer has
 * @wins: &struct pci_pvbus_win, the windows of the root bus: made as hot
 *	add needs them, until the bus's MMIO space is full
 * @nr_win: entries in @wins, at most @max_win
 * @max_win: the most windows the bus takes, %PCI_PVBUS_MAX_WIN
 * @held: &struct pci_pvbus_held, BARs the host may still decode, each a
 *	resource in its window until the bus goes
 * @nr_held: entries in @held, at most %PCI_PVBUS_MAX_HELD
 * @bridge: the host bridge
 * @bus: the root bus
 * @busn: the bus number range of the root bus
 * @cfg: the config window's allocation; a busy region, its one child,
 *	marks it in iomem
 * @cfg_win: the config window, accessed through the bus
 * @cfg_legacy: @cfg was placed by cfg_window=legacy (pci-pvbus-legacy.c)
 * @d0: the bus is in D0
 * @cfg_lock: serialises config accesses (devfn select, then access); raw,
 *	for the PCI core calls the accessors under the raw pci_lock
 * @visible: devfns whose config space the PCI core may see
 * @pci_nb: on the PCI bus's notifier chain while @bus exists: a device
 *	of @bus that the PCI core removes is no longer visible
 * @desc: the functions of the list being handled (under @lock)
 * @add_desc: those of them to hot add (under @lock)
 * @nr_left_out: functions listed but left out (no memory, no resources)
 * @nr_no_room: plans refused because the bus's MMIO space had no room
 * @nr_probe_no_room: of them, functions probe left out
 * @note_lock: protects @notes up to @dying
 * @notes: notifications waiting for @work
 * @nr_notes: entries in @notes, at most %PCI_PVBUS_MAX_NOTES
 * @nr_notes_lost: notifications not queued, kept as lost (handled later)
 * @lost: a notification could not be queued: those after it are not
 *	queued either, but kept in what follows, which @work handles once
 *	the queue is empty; cleared once nothing is left of it
 * @lost_ejects: devfns whose EJECT was not queued, and that no list not
 *	queued since left out: answered by @work, and not added
 * @lost_relations: a RELATIONS_CHANGED was not queued: @work asks the
 *	host for the list
 * @lost_reset: devfns a list that was not queued left out: a function
 *	there is added anew, even if the list asked for lists it as before
 *	(unless only lists older than probe's left it out)
 * @lost_reset_seq: for each devfn of @lost_reset, the place among the
 *	host's messages of the newest such list (%U64_MAX: not known): one
 *	older than the list probe had is no reason to add a function anew
 * @lost_desc: where a list is read as it comes, under @note_lock
 * @lost_retry: asks for a list that could not be had again, later
 * @lost_retry_ms: the delay of @lost_retry, doubled each time
 * @list_seq: the place among the host's messages of the list probe had
 *	(pvbus_channel_request_seq()): a list that came before it is older,
 *	and is dropped
 * @nr_lists_older: lists dropped as older than the one probe had (under
 *	@note_lock)
 * @dying: remove began; notifications are dropped
 * @host_gone: a request timed out after @dying, or a second one in a row
 *	while the bus is not running: no more are sent
 * @setup_timeouts: requests timed out in a row while the bus was not
 *	running, counted anew from each D0_ENTRY
 * @wq: runs @work
 * @work: handles @notes, then what was lost: hot add and eject
 * @sysdata: the root bus's sysdata, of the type the architecture's PCI
 *	core reads it as (pci_pvbus_bridge_init() says which)
 */
struct pci_pvbus {
	struct pvbus_device *pdev;
	u16 version;
	int domain;
	int busnr;
	char name[24];
	char cfg_name[32];
	char bus_name[24];

	struct mutex lock;		/* see above */
	enum pci_pvbus_state state;
	struct list_head fns;
	unsigned int nr_fns;
	DECLARE_BITMAP(listed, PVBUS_PCI_MAX_DEVFN + 1);
	DECLARE_BITMAP(unconfirmed, PVBUS_PCI_MAX_DEVFN + 1);
	DECLARE_BITMAP(ejected, PVBUS_PCI_MAX_DEVFN + 1);
	struct list_head wins;
	unsigned int nr_win;
	unsigned int max_win;
	struct list_head held;
	unsigned int nr_held;
	struct pci_host_bridge *bridge;
	struct pci_bus *bus;
	struct resource busn;
	struct resource *cfg;
	struct pvbus_window cfg_win;
	bool cfg_legacy;
	bool d0;

	raw_spinlock_t cfg_lock;	/* see above */
	DECLARE_BITMAP(visible, PVBUS_PCI_MAX_DEVFN + 1);
	struct notifier_block pci_nb;

	struct pvbus_pci_fn_desc desc[PVBUS_PCI_MAX_FUNCTIONS];
	struct pvbus_pci_fn_desc add_desc[PVBUS_PCI_MAX_FUNCTIONS];
	unsigned int nr_left_out;
	unsigned int nr_no_room;
	unsigned int nr_probe_no_room;

	spinlock_t note_lock;		/* see above */
	struct list_head notes;
	unsigned int nr_notes;
	u64 nr_notes_lost;
	bool lost;
	DECLARE_BITMAP(lost_ejects, PVBUS_PCI_MAX_DEVFN + 1);
	bool lost_relations;
	DECLARE_BITMAP(lost_reset, PVBUS_PCI_MAX_DEVFN + 1);
	u64 lost_reset_seq[PVBUS_PCI_MAX_DEVFN + 1];
	struct pvbus_pci_fn_desc lost_desc[PVBUS_PCI_MAX_FUNCTIONS];
	struct delayed_work lost_retry;
	unsigned int lost_retry_ms;
	u64 list_seq;
	u64 nr_lists_older;
	bool dying;
	bool host_gone;
	unsigned int setup_timeouts;
	struct workqueue_struct *wq;
	struct work_struct work;
#ifdef CONFIG_X86
	struct pci_sysdata sysdata;
#else
	struct pci_config_window sysdata;
#endif
};

static inline struct device *pci_pvbus_dev(struct pci_pvbus *pb)
{
	return &pb->pdev->dev;
}

/*
 * A vendor ID (the low 16 bits of @id) of 0x0001: a Configuration Request
 * Retry Status completion, for which the PCI core would wait up to a
 * minute (pci_bus_wait_crs()) with the global rescan lock held.  No root
 * port is between the guest and the host to mean it: no function.
 */
static inline bool pci_pvbus_vendor_is_retry(u32 id)
{
	return (id & 0xffff) == PCI_VENDOR_ID_PCI_SIG;
}

/* pci-pvbus-proto.c: requests to the host */
const char *pci_pvbus_type_name(u16 type);
int pci_pvbus_negotiate(struct pci_pvbus *pb);
int pci_pvbus_query_relations(struct pci_pvbus *pb,
			      struct pvbus_pci_fn_desc *desc,
			      unsigned int *nr, u64 *seq);
int pci_pvbus_query_resources(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
int pci_pvbus_release_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
int pci_pvbus_send_assigned(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
int pci_pvbus_d0_exit(struct pci_pvbus *pb);
int pci_pvbus_enter_d0(struct pci_pvbus *pb);
int pci_pvbus_eject_complete(struct pci_pvbus *pb, u32 devfn);

/* pci-pvbus-notify.c: the host's notifications */
void pci_pvbus_set_listed(struct pci_pvbus *pb,
			  const struct pvbus_pci_fn_desc *desc,
			  unsigned int nr);
void pci_pvbus_work(struct work_struct *work);
void pci_pvbus_lost_retry(struct work_struct *work);
void pci_pvbus_notify(struct pvbus_device *pdev, const void *msg, size_t len);
void pci_pvbus_set_list_seq(struct pci_pvbus *pb, u64 seq);
void pci_pvbus_stop_notes(struct pci_pvbus *pb);

/* pci-pvbus-main.c: config space */
extern struct pci_ops pci_pvbus_ops;
int pci_pvbus_cfg_access(struct pci_pvbus *pb, unsigned int devfn,
			 int where, int size, u32 *val, bool write);
void pci_pvbus_set_visible(struct pci_pvbus *pb, u32 devfn, bool on);

/* pci-pvbus-win.c: the root bus's windows */
typedef void (*pci_pvbus_gap_fn)(void *data, resource_size_t start,
				 resource_size_t end);
void pci_pvbus_walk_gaps(struct resource *res, pci_pvbus_gap_fn fn,
			 void *data);
extern const struct pci_pvbus_mmio_ops pci_pvbus_mmio_ops;
extern struct mutex pci_pvbus_place_lock;
void pci_pvbus_plan_free(struct pci_pvbus_plan *p);
int pci_pvbus_place_fns(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			unsigned int n, struct pci_pvbus_plan *p, bool quiet);
typedef int (*pci_pvbus_place_set_t)(struct pci_pvbus *pb,
				     struct pci_pvbus_fn **fns, unsigned int n,
				     bool split);
int pci_pvbus_place_apart(struct pci_pvbus *pb, struct pci_pvbus_fn **fns,
			  unsigned int n, pci_pvbus_place_set_t set);
int pci_pvbus_windows_init(struct pci_pvbus *pb, struct pci_pvbus_plan *p,
			   struct pci_pvbus_fn **fns);
int pci_pvbus_windows_add(struct pci_pvbus *pb, struct pci_pvbus_plan *p,
			  struct pci_pvbus_fn **fns);
void pci_pvbus_windows_sweep(struct pci_pvbus *pb);
void pci_pvbus_windows_free(struct pci_pvbus *pb);
void pci_pvbus_windows_show(struct pci_pvbus *pb);
void pci_pvbus_windows_hide(struct pci_pvbus *pb);
void pci_pvbus_windows_free_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
void pci_pvbus_windows_hold_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);

/* pci-pvbus-bus.c: the root bus and its functions */
int pci_pvbus_offer_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
int pci_pvbus_add_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
void pci_pvbus_unplug_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
void pci_pvbus_forget_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
void pci_pvbus_remove_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
void pci_pvbus_drop_fn(struct pci_pvbus *pb, struct pci_pvbus_fn *fn);
struct pci_pvbus_fn *pci_pvbus_find_fn(struct pci_pvbus *pb, u32 devfn);
unsigned int pci_pvbus_new_fns(struct pci_pvbus *pb,
			       const struct pvbus_pci_fn_desc *desc,
			       unsigned int nr, struct pci_pvbus_fn **fns);
int pci_pvbus_create_bus(struct pci_pvbus *pb);
void pci_pvbus_remove_bus(struct pci_pvbus *pb);
void pci_pvbus_free_fns(struct pci_pvbus *pb);

/*
 * The PCI core's scan is spared by the fault suite (pci-pvbus-fault_test.c
 * says why): while it runs, the task's fail_nth is put aside, so that the
 * allocations it makes are neither failed nor counted.  Only in that
 * suite's build; elsewhere these do nothing.
 */
#ifdef CONFIG_PCI_PVBUS_FAULT_KUNIT_TEST
static inline unsigned int pci_pvbus_spare_begin(void)
{
	unsigned int nth = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return nth;
}

static inline void pci_pvbus_spare_end(unsigned int nth)
{
	WRITE_ONCE(current->fail_nth, nth);
}
#else
static inline unsigned int pci_pvbus_spare_begin(void)
{
	return 0;
}

static inline void pci_pvbus_spare_end(unsigned int nth)
{
}
#endif

/* Only the KUnit suites reach these; without KUnit they are static. */
#if IS_ENABLED(CONFIG_KUNIT)
extern int pci_pvbus_cfg_mode;
int pci_pvbus_parse_size(const char *val, u64 *size);
int pci_pvbus_used(struct pci_pvbus *pb, struct pci_pvbus_plan *p);
bool pci_pvbus_win_told(struct pci_pvbus *pb, struct pci_pvbus_win *w);
#endif

#endif /* _PCI_PVBUS_H */
