/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus_sim: what the configfs files share (configfs.c, the hosts and
 * devices, and pci_configfs.c, the functions of PCI buses).  host.c does
 * not see this.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PVBUS_SIM_CONFIGFS_H
#define _PVBUS_SIM_CONFIGFS_H

#include <linux/configfs.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pvbus.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include "sim.h"

/**
 * struct pvbus_sim_host_item - configuration of a host
 * @group: its configfs directory
 * @op_lock: held by whatever changes the host: its start and stop, its
 *	offers and revokes, across their round trips, and the stores that
 *	change the configuration they copy; taken before @lock
 * @lock: protects everything below, the &struct pvbus_sim_dev_item of the
 *	host and their &struct pvbus_sim_fn_item; never held across a host
 *	round trip (registering or unregistering the host, an offer or a
 *	revoke)
 * @host: the host
 * @live: @host is started
 * @rsv: the reserved ranges it reports
 * @nr_rsv: entries in @rsv
 * @root: the name of the bus root's device it attaches to; empty for the
 *	first root
 * @devs: the &struct pvbus_sim_dev_item of the host
 */
struct pvbus_sim_host_item {
	struct config_group group;
	struct mutex op_lock;	/* offers, revokes, configuration changes */
	struct mutex lock;	/* the host's configuration and its devices' */
	struct pvbus_sim_host *host;
	bool live;
	struct pvbus_range rsv[PVBUS_HOST_MAX_RSV];
	unsigned int nr_rsv;
	char root[64];
	struct list_head devs;
};

/**
 * struct pvbus_sim_dev_item - configuration of a device
 * @group: its configfs directory
 * @parent: the host; outlives the device (configfs clears
 *	&config_item.ci_parent before the release callback)
 * @node: in &pvbus_sim_host_item.devs
 * @class: class UUID; null until set
 * @instance: instance UUID
 * @live: offered whenever the host is live
 * @fault: the &enum pvbus_sim_fault for the device
 * @max_version: for a PCI bus, the newest protocol version accepted
 * @stale_d0: for a PCI bus, it is offered in D0, as a host that still
 *	holds a crashed kernel's state has it
 * @fns: for a PCI bus, its &struct pvbus_sim_fn_item
 * @sdev: the offered device, or NULL
 * @taking_back: functions the host waits for the guest to give back,
 *	without the lock; @sdev cannot be revoked meanwhile
 */
struct pvbus_sim_dev_item {
	struct config_group group;
	struct pvbus_sim_host_item *parent;
	struct list_head node;
	guid_t class;
	guid_t instance;
	bool live;
	enum pvbus_sim_fault fault;
	u16 max_version;
	bool stale_d0;
	struct list_head fns;
	struct pvbus_sim_dev *sdev;
	unsigned int taking_back;
};

static inline struct pvbus_sim_host_item *to_host_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct pvbus_sim_host_item,
			    group);
}

static inline struct pvbus_sim_dev_item *to_dev_item(struct config_item *item)
{
	return container_of(to_config_group(item), struct pvbus_sim_dev_item,
			    group);
}

/*
 * Take the host for a change: its offers and revokes, and the stores that
 * change the configuration they copy, are serialized by
 * &pvbus_sim_host_item.op_lock, held across the round trips for which they
 * drop &pvbus_sim_host_item.lock.  A writer waiting for a round trip to
 * end can be killed: -EINTR.  rmdir, which cannot fail, waits with
 * pvbus_sim_host_item_lock_op_always().
 */
static inline int pvbus_sim_host_item_lock_op(struct pvbus_sim_host_item *hc)
{
	int ret = mutex_lock_killable(&hc->op_lock);

	if (ret)
		return ret;
	mutex_lock(&hc->lock);
	return 0;
}

static inline void
pvbus_sim_host_item_lock_op_always(struct pvbus_sim_host_item *hc)
{
	mutex_lock(&hc->op_lock);
	mutex_lock(&hc->lock);
}

static inline void pvbus_sim_host_item_unlock_op(struct pvbus_sim_host_item *hc)
{
	mutex_unlock(&hc->lock);
	mutex_unlock(&hc->op_lock);
}

/*
 * Every attribute of a host, a device or a function has one shape: a read
 * method that prints it and a write method that applies what is written,
 * both called under the host's lock by pvbus_sim_attr_show() and
 * pvbus_sim_attr_store().  A write method returns 0 or a negative error
 * code.  PVBUS_SIM_WHEN_IDLE: the write takes the host for a change
 * (pvbus_sim_host_item_lock_op()), waiting until no offer or revoke of the
 * host is in flight; PVBUS_SIM_WHEN_ANY: it does not wait (the fault of a
 * device).
 */
enum pvbus_sim_when {
	PVBUS_SIM_WHEN_IDLE,
	PVBUS_SIM_WHEN_ANY,
};

typedef ssize_t (*pvbus_sim_read_t)(struct config_item *item, char *page);
typedef int (*pvbus_sim_write_t)(struct config_item *item, const char *page,
				 size_t count);

ssize_t pvbus_sim_attr_show(struct pvbus_sim_host_item *hc,
			    struct config_item *item, char *page,
			    pvbus_sim_read_t read);
ssize_t pvbus_sim_attr_store(struct pvbus_sim_host_item *hc,
			     struct config_item *item, const char *page,
			     size_t count, pvbus_sim_write_t write,
			     enum pvbus_sim_when when);

/*
 * The attribute _name of the items whose methods are named _pfx<method>:
 * _pfx<name>_read and _pfx<name>_write, and _pfxhost(), which returns the
 * host of an item.
 */
#define PVBUS_SIM_ATTR(_pfx, _name, _when)				\
static ssize_t _pfx##_name##_show(struct config_item *item, char *page)	\
{									\
	return pvbus_sim_attr_show(_pfx##host(item), item, page,	\
				   _pfx##_name##_read);			\
}									\
									\
static ssize_t _pfx##_name##_store(struct config_item *item,		\
				   const char *page, size_t count)	\
{									\
	return pvbus_sim_attr_store(_pfx##host(item), item, page, count,\
				    _pfx##_name##_write, _when);	\
}									\
									\
CONFIGFS_ATTR(_pfx, _name)

/*
 * The value of a flag attribute: "0" or "1", a newline after it allowed,
 * and nothing else (kstrtobool() would take "10" and "yes" for 1, and
 * "0x1", which the numeric attributes read as 1, for 0).
 */
static inline int pvbus_sim_parse_flag(const char *page, bool *flag)
{
	if (sysfs_streq(page, "1"))
		*flag = true;
	else if (sysfs_streq(page, "0"))
		*flag = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * A flag attribute _name: it reads "0" or "1" as _pfx<name>_get(item) says;
 * a write, once the host is idle, hands the flag written to
 * _pfx<name>_set(item, flag), which returns 0 or a negative error code.
 */
#define PVBUS_SIM_BOOL_ATTR(_pfx, _name)				\
static ssize_t _pfx##_name##_read(struct config_item *item, char *page)	\
{									\
	return sprintf(page, "%d\n", _pfx##_name##_get(item));		\
}									\
									\
static int _pfx##_name##_write(struct config_item *item,		\
			       const char *page, size_t count)		\
{									\
	bool val;							\
									\
	return pvbus_sim_parse_flag(page, &val) ?:			\
	       _pfx##_name##_set(item, val);				\
}									\
									\
PVBUS_SIM_ATTR(_pfx, _name, PVBUS_SIM_WHEN_IDLE)

/* The host of a host item, for PVBUS_SIM_ATTR(pvbus_sim_host_item_, ...). */
static inline struct pvbus_sim_host_item *
pvbus_sim_host_item_host(struct config_item *item)
{
	return to_host_item(item);
}

/* The host of a device item, for PVBUS_SIM_ATTR(pvbus_sim_dev_item_, ...). */
static inline struct pvbus_sim_host_item *
pvbus_sim_dev_item_host(struct config_item *item)
{
	return to_dev_item(item)->parent;
}

/* The device is an offered PCI bus: its functions reach the host. */
static inline bool pvbus_sim_dev_item_pci_offered(struct pvbus_sim_dev_item *dc)
{
	lockdep_assert_held(&dc->parent->lock);
	return dc->sdev && pvbus_sim_is_pci(&dc->class);
}

/* How long the guest has to give a passed-through function back. */
#define PVBUS_SIM_PT_TIMEOUT_MS	10000

/**
 * struct pvbus_sim_class_configfs - what a device class adds to its devices'
 *	configfs directories
 * @class: the class
 * @settings: make the settings a device is offered with, an object only
 *	the class's protocol knows the type of (see pvbus_sim_dev_offer());
 *	the caller kfree()s it after the offer.  Returns an ERR_PTR() on
 *	failure.  Under the host's lock.
 * @sync: if set, bring the device's attributes up to date from @sdev, the
 *	device as the guest left it once it was taken away from the guest
 *	(pvbus_sim_dev_withdraw()): the guest may have given back what the
 *	attributes still say it has.  Under the host's lock.
 * @dev_attrs: the class's attributes of a device, NULL-terminated; every
 *	device has them (its class is written after its mkdir), and they
 *	act on the device only while it is of the class
 * @dev_init: if set, give a new device, of any class yet, the class's
 *	defaults
 */
struct pvbus_sim_class_configfs {
	const guid_t *class;
	void *(*settings)(struct pvbus_sim_dev_item *dc);
	void (*sync)(struct pvbus_sim_dev_item *dc,
		     struct pvbus_sim_dev *sdev);
	struct configfs_attribute *const *dev_attrs;
	void (*dev_init)(struct pvbus_sim_dev_item *dc);
};

/* configfs.c */
#if IS_ENABLED(CONFIG_KUNIT)
extern struct configfs_subsystem pvbus_sim_subsys;
int pvbus_sim_parse_reserved(char *s, struct pvbus_range *rsv);
#endif

/* pci_configfs.c */
extern struct configfs_group_operations pvbus_sim_dev_item_group_ops;
extern const struct pvbus_sim_class_configfs pvbus_sim_pci_class_configfs;
#if IS_ENABLED(CONFIG_PVBUS_SIM_KUNIT_TEST)
void pvbus_sim_pci_item_take_back(struct config_item *item,
				  unsigned int timeout_ms);
#endif

#endif /* _PVBUS_SIM_CONFIGFS_H */
