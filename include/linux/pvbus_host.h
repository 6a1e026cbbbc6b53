/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus for host backends: what plays the hypervisor's side registers
 * through &struct pvbus_host_ops, offers and revokes devices, and answers
 * their drivers' messages with pvbus_channel_receive().
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _LINUX_PVBUS_HOST_H
#define _LINUX_PVBUS_HOST_H

#include <linux/module.h>
#include <linux/pvbus_driver.h>
#include <linux/types.h>
#include <linux/uuid.h>

/**
 * struct pvbus_range - a range of guest physical addresses
 * @start: first address
 * @size: size in bytes
 */
struct pvbus_range {
	u64 start;
	u64 size;
};

/* size@start, as users write a range (parse.c) */
int pvbus_parse_range(const char *s, char **end, struct pvbus_range *r);

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
 *	-ENODEV, but only while the device is still referenced.  Returns 0
 *	or a negative errno, which the request fails with; the errors by
 *	which the channel says what the host answered or did not
 *	(-EREMOTEIO, -ETIMEDOUT, -EBADMSG, -EMSGSIZE, -EINTR), and anything
 *	positive, become -EIO.
 * @disconnect: the bus is going away; no call follows.
 * @window_read: read @size (1, 2 or 4) bytes at guest physical address
 *	@addr of a window the device's driver told the host about (the
 *	config window of a PCI bus).  On a real hypervisor such a window is
 *	MMIO whose accesses trap to the host, and these ops are NULL: the
 *	bus maps the window.  A backend that cannot trap (the simulated
 *	host) models the trap here.  Only the bus calls them, from
 *	pvbus_window_read() and pvbus_window_write().  Called in atomic
 *	context, possibly under a raw spinlock (the PCI core's pci_lock):
 *	what they lock must be a raw spinlock too, which a spinlock_t is not
 *	on PREEMPT_RT.  Returns 0 or -EINVAL for an address outside the
 *	window.
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
 * @root_name: the name of the device of the bus root to attach to (as
 *	in /sys/bus/platform/devices, e.g. "PVBS0001:01"), or NULL for the
 *	first root
 * @root: the bus root it is attached to (set by the bus)
 */
struct pvbus_host {
	const char *name;
	const struct pvbus_host_ops *ops;
	struct module *owner;
	void *priv;
	const char *root_name;
	struct pvbus_root *root;
};

/* Most ranges a host may report at connect. */
#define PVBUS_HOST_MAX_RSV	16
/* Most devices a host may have offered on its bus root at once. */
#define PVBUS_HOST_MAX_DEVICES	256

int pvbus_host_register(struct pvbus_host *host);
void pvbus_host_unregister(struct pvbus_host *host);
struct pvbus_device *pvbus_host_offer(struct pvbus_host *host,
				      const guid_t *class,
				      const guid_t *instance, void *host_data);
void pvbus_host_revoke(struct pvbus_device *pdev);
int pvbus_host_windows(struct pvbus_host *host, struct pvbus_range *win,
		       unsigned int max);

int pvbus_channel_receive(struct pvbus_channel *chan, const void *msg,
			  size_t len);

#endif /* _LINUX_PVBUS_HOST_H */
