/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus: a paravirtual bus for virtual machines.
 *
 * This header is the public interface of pvbus.ko:
 *
 * - the MMIO allocator, a library over struct resource that decides where
 *   in a guest's MMIO space a config window or a BAR goes.  It knows
 *   nothing of buses or PCI;
 * - the bus: devices (one per channel the host offers) and their drivers;
 * - channels: request/response messages and notifications between a
 *   device's driver and the host, in the wire format of <linux/pvbus_wire.h>;
 * - host backends: what plays the hypervisor's side registers through
 *   &struct pvbus_host_ops.
 */
#ifndef _LINUX_PVBUS_H
#define _LINUX_PVBUS_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

struct seq_file;

/**
 * enum pvbus_mmio_zone - where an allocation may go
 * @PVBUS_MMIO_LOW: wholly below 4 GiB (32-bit BARs).
 * @PVBUS_MMIO_HIGH: wholly at or above 4 GiB.
 * @PVBUS_MMIO_PREFER_HIGH: as @PVBUS_MMIO_HIGH if it fits, else as
 *	@PVBUS_MMIO_LOW.
 * @PVBUS_MMIO_ANY: the lowest address that fits in any window.
 * @PVBUS_MMIO_LEGACY: as @PVBUS_MMIO_ANY, but placed the way old
 *	paravirtual PCI front-ends placed: only reservations, the space's own
 *	allocations and claimed (%IORESOURCE_BUSY) resources stop it, and it
 *	nests, like request_mem_region(), inside a resource nobody claimed
 *	(the BAR of a PCI device without a driver).  Kept only so that the
 *	field failure, a config window on an unreserved framebuffer, can be
 *	reproduced; nothing should use it otherwise.
 */
enum pvbus_mmio_zone {
	PVBUS_MMIO_LOW,
	PVBUS_MMIO_HIGH,
	PVBUS_MMIO_PREFER_HIGH,
	PVBUS_MMIO_ANY,
	PVBUS_MMIO_LEGACY,
};

/**
 * enum pvbus_mmio_rsv - kinds of reserved MMIO ranges
 * @PVBUS_RSV_FRAMEBUFFER: the boot framebuffer.  Only allocations that set
 *	&pvbus_mmio_req.fb_overlap_ok may go inside it.
 * @PVBUS_RSV_FIRMWARE: a range firmware says must not be used.  Never
 *	handed out.
 * @PVBUS_RSV_HOST: a range the host says is in use.  Never handed out.
 */
enum pvbus_mmio_rsv {
	PVBUS_RSV_FRAMEBUFFER,
	PVBUS_RSV_FIRMWARE,
	PVBUS_RSV_HOST,
};

/**
 * struct pvbus_mmio_req - an MMIO allocation request
 * @name: name of the allocation, shown in /proc/iomem.  Copied.
 * @size: size in bytes, not 0.
 * @align: alignment of the start, a power of two; 0 means natural
 *	alignment (@size rounded up to a power of two).
 * @min: lowest address the allocation may use (inclusive).
 * @max: highest address the allocation may use (inclusive); 0 means no
 *	bound.  @min and @max bound the whole range
 *	[start, start + @size - 1].
 * @zone: which part of the address space to use.
 * @fb_overlap_ok: the allocation may lie wholly inside a
 *	%PVBUS_RSV_FRAMEBUFFER reservation, and that is tried first.  This is
 *	how a framebuffer driver gets its VRAM.
 */
struct pvbus_mmio_req {
	const char *name;
	resource_size_t size;
	resource_size_t align;
	resource_size_t min, max;
	enum pvbus_mmio_zone zone;
	bool fb_overlap_ok;
};

struct pvbus_mmio_space;

struct pvbus_mmio_space *pvbus_mmio_space_create(const char *name);
int pvbus_mmio_space_publish(struct pvbus_mmio_space *space);
void pvbus_mmio_space_destroy(struct pvbus_mmio_space *space);
int pvbus_mmio_add_window(struct pvbus_mmio_space *space,
			  resource_size_t start, resource_size_t size);
int pvbus_mmio_reserve(struct pvbus_mmio_space *space, resource_size_t start,
		       resource_size_t size, enum pvbus_mmio_rsv kind,
		       const char *name);
int pvbus_mmio_unreserve(struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size,
			 enum pvbus_mmio_rsv kind);
struct resource *pvbus_mmio_alloc(struct pvbus_mmio_space *space,
				  const struct pvbus_mmio_req *req);
int pvbus_mmio_free(struct pvbus_mmio_space *space, struct resource *res);
void pvbus_mmio_space_show(struct seq_file *m,
			   struct pvbus_mmio_space *space);
const char *pvbus_mmio_rsv_name(enum pvbus_mmio_rsv kind);

/* ---------------------------------------------------------------------
 * The bus
 */

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
 *	for one device
 * @msg_specs: every message type the host may send on the channel, for
 *	pvbus_msg_validate(): responses and notifications that match none
 *	are dropped before the driver sees them
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

/* ---------------------------------------------------------------------
 * Channels
 */

/* Default time a request waits for the host's response. */
#define PVBUS_REQUEST_TIMEOUT_MS	5000

int pvbus_channel_request(struct pvbus_channel *chan, void *req,
			  size_t req_len, void *resp, size_t resp_size,
			  size_t *resp_len, unsigned int timeout_ms);
int pvbus_channel_receive(struct pvbus_channel *chan, const void *msg,
			  size_t len);

/* ---------------------------------------------------------------------
 * Host backends
 */

/**
 * struct pvbus_range - a range of guest physical addresses
 * @start: first address
 * @size: size in bytes
 */
struct pvbus_range {
	u64 start;
	u64 size;
};

/**
 * struct pvbus_host_ops - what the bus asks of a host backend
 * @connect: the bus is ready.  Fill @rsv with up to @max ranges the host
 *	believes are in use (its idea of the VM's framebuffer) and return
 *	how many, or a negative error.
 * @send: deliver a message from a device's driver to the host.  The host
 *	answers later with pvbus_channel_receive(); @send must not wait for
 *	the answer.  @send is called during pvbus_host_revoke() too (the
 *	driver's remove may still talk to the host), never after it returns.
 *	A backend that answers asynchronously holds a reference to the
 *	device (get_device()) for every answer it has queued:
 *	pvbus_channel_receive() on a revoked device is safe and returns
 *	-ENODEV, but only while the device is still referenced.
 * @disconnect: the bus is going away; no call follows.
 * @window_read: read @size (1, 2 or 4) bytes at guest physical address
 *	@addr of a window the device's driver told the host about (the
 *	config window of a PCI bus).  On a real hypervisor such a window is
 *	MMIO whose accesses trap to the host, and these ops are NULL: the
 *	driver maps the window.  A backend that cannot trap (the simulated
 *	host) emulates the accesses here.  Called in atomic context.
 *	Returns 0 or -EINVAL for an address outside the window.
 * @window_write: write @size bytes of @val at @addr, likewise.
 */
struct pvbus_host_ops {
	int (*connect)(struct pvbus_host *host, struct pvbus_range *rsv,
		       unsigned int max);
	int (*send)(struct pvbus_host *host, struct pvbus_device *pdev,
		    const void *msg, size_t len);
	void (*disconnect)(struct pvbus_host *host);
	int (*window_read)(struct pvbus_host *host, struct pvbus_device *pdev,
			   u64 addr, unsigned int size, u32 *val);
	int (*window_write)(struct pvbus_host *host, struct pvbus_device *pdev,
			    u64 addr, unsigned int size, u32 val);
};

/**
 * struct pvbus_host - a host backend
 * @name: name, for messages
 * @ops: its operations
 * @owner: module that implements @ops
 * @priv: the backend's own data
 * @root: the bus root it is attached to (set by the bus)
 */
struct pvbus_host {
	const char *name;
	const struct pvbus_host_ops *ops;
	struct module *owner;
	void *priv;
	struct pvbus_root *root;
};

/* Most ranges a host may report at connect. */
#define PVBUS_HOST_MAX_RSV	16

int pvbus_host_register(struct pvbus_host *host);
void pvbus_host_unregister(struct pvbus_host *host);
struct pvbus_device *pvbus_host_offer(struct pvbus_host *host,
				      const guid_t *class,
				      const guid_t *instance, void *host_data);
void pvbus_host_revoke(struct pvbus_device *pdev);
int pvbus_host_windows(struct pvbus_host *host, struct pvbus_range *win,
		       unsigned int max);

#endif /* _LINUX_PVBUS_H */
