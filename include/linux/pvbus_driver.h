/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus for drivers of its devices: a device is one channel the host
 * offers; its driver talks to the host through request/response messages
 * and notifications in the wire format of <linux/pvbus_wire.h>, and takes
 * MMIO from the bus's allocator (<linux/pvbus_mmio.h>).
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _LINUX_PVBUS_DRIVER_H
#define _LINUX_PVBUS_DRIVER_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/pvbus_mmio.h>
#include <linux/types.h>
#include <linux/uuid.h>

/**
 * struct pvbus_device_id - what a pvbus driver binds to
 * @class: the class of channel, as a UUID
 * @driver_data: for the driver
 *
 * A table of these ends with an entry whose @class is all zeroes.
 */
struct pvbus_device_id {
	guid_t class;
	kernel_ulong_t driver_data;
};

/*
 * modprobe finds drivers by MODALIAS=pvbus:<class> with <class> the UUID in
 * lower case.  Out of tree, modpost does not know the pvbus table type, so a
 * driver states its aliases with this macro as well as with
 * MODULE_DEVICE_TABLE(pvbus, ...).
 */
#define PVBUS_MODULE_ALIAS(class_str)	MODULE_ALIAS("pvbus:" class_str)

struct pvbus_host;
struct pvbus_channel;
struct pvbus_root;
struct pvbus_msg_spec;

/**
 * struct pvbus_device - a device on the bus: one channel the host offers
 * @dev: the device; its parent is the bus root
 * @class: class of the channel
 * @instance: instance of the channel, unique on the host
 * @host: the host that offers it
 * @chan: the channel to the host
 * @host_data: the host backend's own state for this device
 * @node: in the bus root's list of devices, from the offer until the
 *	revoke starts (bus core)
 * @revoking: in the bus's list of devices being revoked, from when the
 *	revoke starts until it is done (bus core)
 * @debugfs: the device's debugfs directory (bus core)
 * @added: completed when the offer's device_add() returned (bus core)
 * @registered: that device_add() succeeded (bus core)
 * @gone: completed when the revoke is done (bus core)
 */
struct pvbus_device {
	struct device dev;
	guid_t class;
	guid_t instance;
	struct pvbus_host *host;
	struct pvbus_channel *chan;
	void *host_data;
	struct list_head node;
	struct list_head revoking;
	struct dentry *debugfs;
	struct completion added;
	bool registered;
	struct completion gone;
};

#define to_pvbus_device(d)	container_of(d, struct pvbus_device, dev)

/**
 * struct pvbus_driver - a driver for pvbus devices
 * @driver: the driver
 * @id_table: the classes it binds to
 * @probe: bind to a device
 * @remove: unbind; called before a revoked device goes away, too
 * @notify: a notification from the host, already validated against
 *	@msg_specs; runs in process context, never concurrently with itself
 *	for one device.  It may be called as soon as @probe is, and until
 *	@probe returns; if @probe fails, its own unwinding may race with
 *	it.  It is not called once @remove is, nor is one still running
 *	then: the bus waits for a @notify in progress to return, a request
 *	to the host it waits on included, before it calls @remove.
 *	Notifications the host sends meanwhile are dropped
 * @msg_specs: every message type the host may send on the channel, for
 *	pvbus_msg_validate(): responses and notifications that match none
 *	are dropped before the driver sees them.  Class types only, each
 *	once; a malformed table fails registration (pvbus_msg_specs_check())
 * @nr_msg_specs: entries in @msg_specs
 */
struct pvbus_driver {
	struct device_driver driver;
	const struct pvbus_device_id *id_table;
	int (*probe)(struct pvbus_device *pdev,
		     const struct pvbus_device_id *id);
	void (*remove)(struct pvbus_device *pdev);
	void (*notify)(struct pvbus_device *pdev, const void *msg, size_t len);
	const struct pvbus_msg_spec *msg_specs;
	unsigned int nr_msg_specs;
};

#define to_pvbus_driver(d)	container_of(d, struct pvbus_driver, driver)

int __pvbus_driver_register(struct pvbus_driver *drv, struct module *owner);
#define pvbus_driver_register(drv) __pvbus_driver_register(drv, THIS_MODULE)
void pvbus_driver_unregister(struct pvbus_driver *drv);

/**
 * module_pvbus_driver() - register a pvbus driver for the module's lifetime
 * @__drv: the &struct pvbus_driver
 */
#define module_pvbus_driver(__drv) \
	module_driver(__drv, pvbus_driver_register, pvbus_driver_unregister)

struct resource *pvbus_device_mmio_alloc(struct pvbus_device *pdev,
					 const struct pvbus_mmio_req *req);
int pvbus_device_mmio_free(struct pvbus_device *pdev, struct resource *res);
int pvbus_device_mmio_find(struct pvbus_device *pdev,
			   const struct pvbus_mmio_req *req,
			   resource_size_t *start);

/**
 * struct pvbus_window - a window whose accesses reach the host
 * @pdev: the device whose driver owns it; NULL while not mapped
 * @start: its first guest physical address
 * @size: its size in bytes
 * @map: the window mapped, or NULL where the host backend models the
 *	accesses (&pvbus_host_ops.window_read); the bus's business
 *
 * A driver maps a window it allocated and told the host about with
 * pvbus_window_map() and accesses it only through pvbus_window_read() and
 * pvbus_window_write().
 */
struct pvbus_window {
	struct pvbus_device *pdev;
	u64 start;
	u64 size;
	void __iomem *map;
};

int pvbus_window_map(struct pvbus_window *win, struct pvbus_device *pdev,
		     const struct resource *res);
void pvbus_window_unmap(struct pvbus_window *win);
int pvbus_window_read(struct pvbus_window *win, unsigned int off,
		      unsigned int size, u32 *val);
int pvbus_window_write(struct pvbus_window *win, unsigned int off,
		       unsigned int size, u32 val);

/* Sizes and addresses users write, without memparse()'s wrap */
int pvbus_parse_size(const char *s, char **end, u64 *val);

/* Channels to the host */

/*
 * Default time a request waits for the host's response, and the longest a
 * request may wait: 10 minutes.
 */
#define PVBUS_REQUEST_TIMEOUT_MS	5000
#define PVBUS_REQUEST_TIMEOUT_LIMIT_MS	600000

int pvbus_channel_request_seq(struct pvbus_channel *chan, void *req,
			      size_t req_len, void *resp, size_t resp_size,
			      size_t *resp_len, unsigned int timeout_ms,
			      u64 *seq);
u64 pvbus_channel_notify_seq(struct pvbus_channel *chan);

/* pvbus_channel_request_seq() without the response's place. */
static inline int pvbus_channel_request(struct pvbus_channel *chan,
					void *req, size_t req_len, void *resp,
					size_t resp_size, size_t *resp_len,
					unsigned int timeout_ms)
{
	return pvbus_channel_request_seq(chan, req, req_len, resp, resp_size,
					 resp_len, timeout_ms, NULL);
}

#endif /* _LINUX_PVBUS_DRIVER_H */
