/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus_sim: what the host's files share (host.c, the generic host, and
 * the class protocols, pci.c).  configfs.c does not see this.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_SIM_HOST_H
#define _PVBUS_SIM_HOST_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pvbus.h>
#include <linux/pvbus_wire.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include "sim.h"

/* Room for the largest response, header included. */
#define PVBUS_SIM_RESP_MAX	4096

/* A protocol version no message type has: the major version 0xff. */
#define PVBUS_SIM_BAD_VERSION	0xff00

/* What %PVBUS_SIM_FAULT_SHORT cuts off a response. */
#define PVBUS_SIM_SHORT_CUT	4

/* Most messages a device's queue holds. */
#define PVBUS_SIM_QUEUE_MAX	256

/* Most MMIO windows of the bus a host keeps. */
#define PVBUS_SIM_MAX_WINDOWS	8

/**
 * struct pvbus_sim_host - a simulated host
 * @host: what the bus knows of it
 * @rsv: the reserved ranges reported at connect; fixed while registered
 * @nr_rsv: entries in @rsv
 * @win: the MMIO windows of the bus, as pvbus_host_windows() told them
 *	right after the host registered; fixed while registered
 * @nr_win: entries in @win
 * @registered: registered with the bus
 * @devs: the &struct pvbus_sim_dev offered
 * @addr_lock: serialises the checks a device makes of the addresses the
 *	guest puts it at against what the host's other devices decode, each
 *	with what it then takes; and, for them, the membership of @devs
 * @stats: counters, indexed by &enum pvbus_sim_stat
 *
 * @rsv, @nr_rsv, @win, @nr_win, @registered and @devs change only in the
 * calls the caller serialises (start, stop, offer, revoke), @devs also
 * under @addr_lock; devices exist only while the host is registered, so
 * their work items and the backend operations read @rsv and @win without
 * a lock.
 */
struct pvbus_sim_host {
	struct pvbus_host host;
	struct pvbus_range rsv[PVBUS_HOST_MAX_RSV];
	unsigned int nr_rsv;
	struct pvbus_range win[PVBUS_SIM_MAX_WINDOWS];
	unsigned int nr_win;
	bool registered;
	struct list_head devs;
	struct mutex addr_lock;	/* the checks across devices; @devs */
	atomic64_t stats[PVBUS_SIM_NR_STATS];
};

/**
 * struct pvbus_sim_dev - a device the host offers
 * @host: the host
 * @pdev: the bus device, once pvbus_host_offer() returned it
 * @proto: the protocol of the device's class, or NULL if the host knows
 *	none
 * @cls: the state of @proto for this device, or NULL
 * @node: in &pvbus_sim_host.devs
 * @fault: the &enum pvbus_sim_fault in force; read and written once
 * @lock: protects @open, @queue and @nr_queued
 * @open: messages may be queued
 * @queue: the &struct pvbus_sim_msg to handle, oldest first
 * @nr_queued: entries in @queue, at most %PVBUS_SIM_QUEUE_MAX
 * @work: handles @queue
 * @resp: where @work builds a response, %PVBUS_SIM_RESP_MAX bytes
 */
struct pvbus_sim_dev {
	struct pvbus_sim_host *host;
	struct pvbus_device *pdev;
	const struct pvbus_sim_proto *proto;
	void *cls;
	struct list_head node;
	int fault;
	spinlock_t lock;	/* @open and @queue */
	bool open;
	struct list_head queue;
	unsigned int nr_queued;
	struct work_struct work;
	void *resp;
};

/**
 * struct pvbus_sim_msg - a queued message
 * @node: in &pvbus_sim_dev.queue
 * @pdev: the device the message is for; the message holds a reference to
 *	it (get_device()) while queued
 * @to_guest: a message the host sends (a notification), to deliver as is;
 *	otherwise a message from the guest, to answer
 * @len: length of @data
 * @data: the message
 */
struct pvbus_sim_msg {
	struct list_head node;
	struct pvbus_device *pdev;
	bool to_guest;
	size_t len;
	u8 data[];
};

/**
 * struct pvbus_sim_handler - how the host answers one message type
 * @handle: answer @req (@len bytes, already validated) by filling in the
 *	payload of @resp, which has room for %PVBUS_SIM_RESP_MAX bytes
 *	header included, and setting *@resp_len to the response's length;
 *	return a PVBUS_STATUS_*.  The caller fills in the header, and sends
 *	the header alone for a status other than %PVBUS_STATUS_SUCCESS.
 *	Runs from the device's work item, never concurrently with another
 *	handler of the same device.
 */
struct pvbus_sim_handler {
	u32 (*handle)(struct pvbus_sim_dev *sdev, const void *req, size_t len,
		      void *resp, size_t *resp_len);
};

/**
 * struct pvbus_sim_proto - a protocol the host speaks
 * @class: the class whose channels speak it; NULL for the bus-generic
 *	protocol every channel speaks
 * @specs: what each message type the guest may send looks like
 * @handlers: @handlers[i] answers the type of @specs[i]
 * @nr: entries in @specs and @handlers
 * @init: if set, make &pvbus_sim_dev.cls from the class's settings (the
 *	opaque pointer given to pvbus_sim_dev_offer(), which only the class
 *	knows the type of; NULL for its defaults) before the device is
 *	offered; returns 0 or a negative error code
 * @fini: if set, free &pvbus_sim_dev.cls once nothing uses the device
 * @gone: if set, the bus took the device from the guest (its bus root
 *	went), whatever the guest last said of it: what the guest had of
 *	the class's state ends as if it had given it up (a passed-through
 *	function stops decoding).  Called under the host's @addr_lock, with
 *	&pvbus_sim_dev.cls set
 * @window_read: if set, &pvbus_host_ops.window_read for the class's
 *	devices; atomic context
 * @window_write: if set, &pvbus_host_ops.window_write likewise
 */
struct pvbus_sim_proto {
	const guid_t *class;
	const struct pvbus_msg_spec *specs;
	const struct pvbus_sim_handler *handlers;
	unsigned int nr;
	int (*init)(struct pvbus_sim_dev *sdev, const void *settings);
	void (*fini)(struct pvbus_sim_dev *sdev);
	void (*gone)(struct pvbus_sim_dev *sdev);
	int (*window_read)(struct pvbus_sim_dev *sdev, u64 addr,
			   unsigned int size, u32 *val);
	int (*window_write)(struct pvbus_sim_dev *sdev, u64 addr,
			    unsigned int size, u32 val);
};

/* host.c */
size_t pvbus_sim_respond(struct pvbus_sim_dev *sdev,
			 enum pvbus_sim_fault fault, const void *req,
			 size_t len, void *resp);
u64 pvbus_sim_count(struct pvbus_sim_host *host, enum pvbus_sim_stat stat);
#if IS_ENABLED(CONFIG_KUNIT)
void pvbus_sim_disconnect(struct pvbus_host *phost);
#endif
struct pvbus_sim_msg *pvbus_sim_msg_alloc(size_t len, gfp_t gfp);
int pvbus_sim_dev_send_notification(struct pvbus_sim_dev *sdev,
				    struct pvbus_sim_msg *m);

/* pci.c */
extern const struct pvbus_sim_proto pvbus_sim_pci_proto;

#endif /* _PVBUS_SIM_HOST_H */
