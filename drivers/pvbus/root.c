// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the bus root and its host backend.
 *
 * A root binds to each firmware node that describes a bus (ACPI or DT),
 * or to a device made for the pvbus.mmio= parameter where there is none;
 * a VM may have several, each with its own windows and its own host.
 * Probing it, in order: creates and publishes the MMIO space, adds the
 * windows firmware describes, each linked as it goes in to the PCI host
 * bridge it lies in, if any (root_bridge.c), reserves the framebuffer and
 * every other reserved range it can find.  A host backend then attaches
 * to the root, reports the ranges it believes are in use, and offers
 * devices.
 *
 * No lock of the bus is held across a call into a host backend or a
 * driver: connect(), disconnect(), and device_add()/device_del(), whose
 * probe()/remove() may talk to the host.  A silent host then delays only
 * the operation that waits for it, not every other root or host operation.
 * pvbus_lock guards the state; the host of a root is attaching, attached or
 * detaching, and a device is on its root's list from its offer until its
 * revoke starts, then on the bus's list of devices being revoked until the
 * revoke is done.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/minmax.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/pvbus_host.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uuid.h>
#include <linux/wait.h>

#include "channel.h"
#include "pvbus_internal.h"

#include <trace/events/pvbus.h>

/*
 * Protects pvbus_roots and the host and devices of each root.  Never held
 * across a call into a host backend or a driver.
 */
static DEFINE_MUTEX(pvbus_lock);
/* Woken when a root's host state settles, and when a host is detached. */
static DECLARE_WAIT_QUEUE_HEAD(pvbus_wq);
/* The roots: the first one, then the others in the order they probed. */
static LIST_HEAD(pvbus_roots);
/*
 * Roots going away: off pvbus_roots, revoking their devices one at a
 * time.  Those not revoked yet still hold their instances.
 */
static LIST_HEAD(pvbus_roots_going);
/*
 * The root pvbus.mmio= describes, named "pvbus" with the map "mmio": the
 * first to probe, until it is gone.  While it goes it still holds its
 * windows and names, so a root probing meanwhile is not the first.
 */
static struct pvbus_root *pvbus_first_root;
/*
 * Devices being revoked: off their root's list, still named in sysfs or
 * debugfs.  Their instances are not offered again meanwhile.
 */
static LIST_HEAD(pvbus_revoking);
static struct platform_device *pvbus_param_pdev;
static struct dentry *pvbus_debugfs_dir;
static struct dentry *pvbus_debugfs_devices;

static int pvbus_mmio_map_show(struct seq_file *m, void *unused)
{
	struct pvbus_root *root = m->private;
	unsigned int src;

	pvbus_mmio_space_show(m, root->space);
	seq_puts(m, "sources    ");
	for (src = 0; src < PVBUS_FB_NR_SOURCES; src++)
		if (root->fb_sources & BIT(src))
			seq_printf(m, " %s", pvbus_fb_source_name(src));
	seq_puts(m, root->fb_sources ? "\n" : " none\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvbus_mmio_map);

static int pvbus_root_probe(struct platform_device *plat)
{
	struct device *dev = &plat->dev;
	struct pvbus_fw_input fw;
	struct pvbus_root *root;
	char name[48];
	bool first;
	int ret;

	root = devm_kzalloc(dev, sizeof(*root), GFP_KERNEL);
	if (!root)
		return -ENOMEM;
	root->dev = dev;
	INIT_LIST_HEAD(&root->devices);

	/*
	 * Firmware is read before the lock is taken: the _CRS is AML, and
	 * /proc/vmcore is a file; neither needs the bus, which meanwhile
	 * goes on for the other roots.
	 */
	ret = pvbus_fw_read_input(dev, &fw);
	if (ret)
		return ret;

	mutex_lock(&pvbus_lock);
	/* pvbus.mmio= describes the first root only. */
	first = !pvbus_first_root;

	/*
	 * The space, and so its windows in iomem and in messages and
	 * traces, is named by its root: the first root's "pvbus", as a
	 * machine of one root always had it, another's "pvbus <device>".
	 */
	snprintf(name, sizeof(name), first ? "pvbus" : "pvbus %s",
		 dev_name(dev));
	root->space = pvbus_mmio_space_create(name);
	if (IS_ERR(root->space)) {
		ret = PTR_ERR(root->space);
		goto out_unlock;
	}
	ret = pvbus_mmio_space_set_tie(root->space, pvbus_root_tie_window,
				       root);
	if (!ret)
		ret = pvbus_mmio_space_publish(root->space);
	if (ret)
		goto out_space;

	ret = pvbus_fw_add_windows(root, &fw, first);
	/*
	 * A window refused by the tie lies in the window of a host bridge
	 * that is going, or still probing; the link the tie may have made
	 * to it is in a state a bound root must not have (root_bridge.c).
	 * The tie's error is the probe's, also when the root is left with
	 * no window: -EPROBE_DEFER is tried again, -ENODEV never.
	 */
	if (root->tie_err && (!ret || ret == -ENODEV))
		ret = root->tie_err;
	if (ret)
		goto out_space;

	ret = pvbus_fb_reserve_boot(root);
	if (ret)
		goto out_space;

	platform_set_drvdata(plat, root);
	/* The first root's map is "mmio", the others' "mmio-<device>". */
	snprintf(name, sizeof(name), first ? "mmio" : "mmio-%s", dev_name(dev));
	root->debugfs = debugfs_create_file(name, 0400, pvbus_debugfs_dir,
					    root, &pvbus_mmio_map_fops);
	/* The first root heads the list: pvbus_root_find(NULL) finds it. */
	if (first) {
		list_add(&root->node, &pvbus_roots);
		pvbus_first_root = root;
	} else {
		list_add_tail(&root->node, &pvbus_roots);
	}
	mutex_unlock(&pvbus_lock);
	pvbus_fw_free_input(&fw);
	return 0;

out_space:
	pvbus_mmio_space_destroy(root->space);
out_unlock:
	mutex_unlock(&pvbus_lock);
	pvbus_fw_free_input(&fw);
	return ret;
}

/* Whether @root's host is attached or not, neither coming nor going. */
static bool pvbus_host_settled(struct pvbus_root *root)
{
	enum pvbus_host_state state = READ_ONCE(root->host_state);

	return state == PVBUS_HOST_NONE || state == PVBUS_HOST_ATTACHED;
}

static void pvbus_set_host_state(struct pvbus_root *root,
				 enum pvbus_host_state state)
{
	lockdep_assert_held(&pvbus_lock);
	WRITE_ONCE(root->host_state, state);
}

/*
 * A revoke starts: the device goes off its root's list and onto the list
 * of those being revoked.  Whoever moves it revokes it.
 */
static void pvbus_revoke_start(struct pvbus_device *pdev)
{
	lockdep_assert_held(&pvbus_lock);

	list_del_init(&pdev->node);
	list_add_tail(&pdev->revoking, &pvbus_revoking);
}

/*
 * Take a device away; the caller started its revoke.  Waits for its offer
 * to end, and may wait for the host in the driver's remove().  The
 * backend's reference stays.
 */
static void pvbus_revoke(struct pvbus_device *pdev)
{
	lockdep_assert_not_held(&pvbus_lock);

	wait_for_completion(&pdev->added);
	if (pdev->registered)
		device_del(&pdev->dev);
	pvbus_channel_close(pdev->chan);
	debugfs_remove_recursive(pdev->debugfs);
	dev_dbg(pdev->dev.parent, "revoked %s\n", dev_name(&pdev->dev));

	mutex_lock(&pvbus_lock);
	list_del_init(&pdev->revoking);
	mutex_unlock(&pvbus_lock);
	complete_all(&pdev->gone);
	put_device(&pdev->dev);
}

/*
 * A revoke started by someone else than the root's detach is done: the
 * root, which waits for it, may detach its host.
 */
static void pvbus_revoke_done(struct pvbus_root *root)
{
	mutex_lock(&pvbus_lock);
	WRITE_ONCE(root->revoking, root->revoking - 1);
	mutex_unlock(&pvbus_lock);
	wake_up_all(&pvbus_wq);
}

/*
 * Revoke every device of the root's host and let the host go.  The caller
 * set the host state to detaching, which keeps new devices off the root.
 */
static void pvbus_host_detach(struct pvbus_root *root)
{
	struct pvbus_host *host = root->host;
	struct pvbus_device *pdev;
	unsigned int i;

	for (;;) {
		mutex_lock(&pvbus_lock);
		pdev = NULL;
		if (!list_empty(&root->devices)) {
			pdev = list_last_entry(&root->devices,
					       struct pvbus_device, node);
			pvbus_revoke_start(pdev);
		}
		mutex_unlock(&pvbus_lock);
		if (!pdev)
			break;
		pvbus_revoke(pdev);
	}
	/*
	 * Revokes the backend started are off the list but not done: their
	 * drivers' remove() may still use the root and talk to the host.
	 */
	wait_event(pvbus_wq, !READ_ONCE(root->revoking));
	if (host->ops->disconnect)
		host->ops->disconnect(host);

	mutex_lock(&pvbus_lock);
	/* What the host said is in use is its business no more. */
	for (i = 0; i < root->nr_host_rsv; i++)
		pvbus_mmio_unreserve(root->space, root->host_rsv[i].start,
				     root->host_rsv[i].size, PVBUS_RSV_HOST);
	root->nr_host_rsv = 0;
	root->fb_sources &= ~BIT(PVBUS_FB_HOST);
	dev_info(root->dev, "host %s detached\n", host->name);
	trace_pvbus_host_detach(dev_name(root->dev), host->name);
	/* The host may be freed as soon as this is seen. */
	WRITE_ONCE(host->root, NULL);
	root->host = NULL;
	pvbus_set_host_state(root, PVBUS_HOST_NONE);
	mutex_unlock(&pvbus_lock);
	wake_up_all(&pvbus_wq);
}

static int pvbus_root_remove(struct platform_device *plat)
{
	struct pvbus_root *root = platform_get_drvdata(plat);
	bool detach;

	mutex_lock(&pvbus_lock);
	/* A host attaching or detaching is let finish. */
	while (!pvbus_host_settled(root)) {
		mutex_unlock(&pvbus_lock);
		wait_event(pvbus_wq, pvbus_host_settled(root));
		mutex_lock(&pvbus_lock);
	}
	list_move_tail(&root->node, &pvbus_roots_going);
	detach = root->host_state == PVBUS_HOST_ATTACHED;
	if (detach)
		pvbus_set_host_state(root, PVBUS_HOST_DETACHING);
	mutex_unlock(&pvbus_lock);

	if (detach)
		pvbus_host_detach(root);
	/* Its names and windows are free once it is off the going list. */
	debugfs_remove(root->debugfs);
	pvbus_mmio_space_destroy(root->space);
	mutex_lock(&pvbus_lock);
	list_del(&root->node);
	if (pvbus_first_root == root)
		pvbus_first_root = NULL;
	mutex_unlock(&pvbus_lock);
	return 0;
}

static const struct of_device_id pvbus_of_match[] = {
	{ .compatible = "pvbus,bus" },
	{ }
};
MODULE_DEVICE_TABLE(of, pvbus_of_match);

static const struct acpi_device_id pvbus_acpi_match[] = {
	{ "PVBS0001", 0 },
	{ }
};
MODULE_DEVICE_TABLE(acpi, pvbus_acpi_match);

static struct platform_driver pvbus_root_driver = {
	.probe	= pvbus_root_probe,
	.remove	= pvbus_root_remove,
	.driver	= {
		.name			= "pvbus",
		.of_match_table		= pvbus_of_match,
		.acpi_match_table	= pvbus_acpi_match,
	},
};

/*
 * A host that was attaching is not attached after all: disconnect it if it
 * connected, and leave the root without a host.  Called without the bus
 * lock: disconnect() may take its own locks.
 */
static void pvbus_host_attach_undo(struct pvbus_root *root,
				   struct pvbus_host *host, bool connected)
{
	if (connected && host->ops->disconnect)
		host->ops->disconnect(host);
	mutex_lock(&pvbus_lock);
	root->host = NULL;
	pvbus_set_host_state(root, PVBUS_HOST_NONE);
	mutex_unlock(&pvbus_lock);
	wake_up_all(&pvbus_wq);
}

/*
 * The root named @name (its device's name), or the first one if NULL:
 * while the first root goes, the one that probed first after it.
 */
static struct pvbus_root *pvbus_root_find(const char *name)
{
	struct pvbus_root *root;

	lockdep_assert_held(&pvbus_lock);
	list_for_each_entry(root, &pvbus_roots, node)
		if (!name || sysfs_streq(name, dev_name(root->dev)))
			return root;
	return NULL;
}

/**
 * pvbus_host_register() - attach a host backend to the bus
 * @host: the backend, with @name and @ops set, and @root_name if it is
 *	the host of a bus root other than the first
 *
 * Attaches it to the bus root whose device is named @host->root_name, or
 * to the first root if that is NULL.  Calls @host->ops->connect() to
 * learn the ranges the host believes are in use, and reserves them.  The
 * backend then offers devices with pvbus_host_offer().
 *
 * A range that cannot be reserved is reported and skipped; if memory runs
 * out while they are reserved, none stays reserved and the host is not
 * attached (its disconnect() is called).
 *
 * Return: 0; -EINVAL for a backend without name or send(); -ENODEV if
 * there is no such bus root; -EBUSY if a host is attached already, or attaches
 * or detaches; the backend's error from connect(); -EPROTO if connect()
 * reported more ranges than it was given room for; -ENOMEM.
 */
int pvbus_host_register(struct pvbus_host *host)
{
	struct pvbus_range *rsv;
	struct pvbus_root *root;
	unsigned int i;
	int n, ret;

	if (!host || !host->name || !host->ops || !host->ops->send)
		return -EINVAL;

	rsv = kcalloc(PVBUS_HOST_MAX_RSV, sizeof(*rsv), GFP_KERNEL);
	if (!rsv)
		return -ENOMEM;

	mutex_lock(&pvbus_lock);
	root = pvbus_root_find(host->root_name);
	if (!root) {
		mutex_unlock(&pvbus_lock);
		if (host->root_name)
			pr_err("host %s: no bus root %s\n", host->name,
			       host->root_name);
		else
			pr_err("host %s: no bus root (no firmware node and no pvbus.mmio=)\n",
			       host->name);
		ret = -ENODEV;
		goto out;
	}
	if (root->host) {
		dev_err(root->dev, "host %s: host %s is attached already\n",
			host->name, root->host->name);
		ret = -EBUSY;
		trace_pvbus_host_attach(dev_name(root->dev), host->name, 0, ret);
		mutex_unlock(&pvbus_lock);
		goto out;
	}
	/* The root stays until the host state settles. */
	root->host = host;
	pvbus_set_host_state(root, PVBUS_HOST_ATTACHING);
	mutex_unlock(&pvbus_lock);

	n = host->ops->connect ? host->ops->connect(host, rsv,
						    PVBUS_HOST_MAX_RSV) : 0;
	if (n < 0 || n > PVBUS_HOST_MAX_RSV) {
		dev_err(root->dev, "host %s: connect failed: %d\n", host->name,
			n);
		ret = n < 0 ? n : -EPROTO;
		trace_pvbus_host_attach(dev_name(root->dev), host->name,
					max(n, 0), ret);
		pvbus_host_attach_undo(root, host, n >= 0);
		goto out;
	}

	mutex_lock(&pvbus_lock);
	ret = pvbus_fb_reserve_host(root, rsv, n);
	if (ret == -ENOMEM) {
		/* Attached with none of its ranges, or not at all. */
		for (i = 0; i < n; i++)
			pvbus_mmio_unreserve(root->space, rsv[i].start,
					     rsv[i].size, PVBUS_RSV_HOST);
		root->fb_sources &= ~BIT(PVBUS_FB_HOST);
		dev_err(root->dev, "host %s: out of memory reserving its ranges: not attached\n",
			host->name);
		trace_pvbus_host_attach(dev_name(root->dev), host->name, n, ret);
		mutex_unlock(&pvbus_lock);
		pvbus_host_attach_undo(root, host, true);
		goto out;
	}
	memcpy(root->host_rsv, rsv, n * sizeof(*rsv));
	root->nr_host_rsv = n;
	if (ret)
		dev_warn(root->dev, "host %s: its reserved ranges are not all reserved: %d\n",
			 host->name, ret);
	WRITE_ONCE(host->root, root);
	pvbus_set_host_state(root, PVBUS_HOST_ATTACHED);
	dev_info(root->dev, "host %s attached, %d reserved range%s\n",
		 host->name, n, n == 1 ? "" : "s");
	trace_pvbus_host_attach(dev_name(root->dev), host->name, n, 0);
	mutex_unlock(&pvbus_lock);
	wake_up_all(&pvbus_wq);
	ret = 0;
out:
	kfree(rsv);
	return ret;
}
EXPORT_SYMBOL_GPL(pvbus_host_register);

/**
 * pvbus_host_unregister() - detach a host backend
 * @host: the backend
 *
 * Revokes every device the host offered, then calls its disconnect().
 * Does nothing if the host is not attached (also when the bus root went
 * away first); if the bus root is going away and detaching the host, waits
 * until it is done.  May wait for the host: the drivers' remove() may talk
 * to it.  The backend still gives back its reference to each device
 * with pvbus_host_revoke().
 */
void pvbus_host_unregister(struct pvbus_host *host)
{
	struct pvbus_root *root;

	mutex_lock(&pvbus_lock);
	root = host->root;
	if (root && root->host_state == PVBUS_HOST_ATTACHED) {
		pvbus_set_host_state(root, PVBUS_HOST_DETACHING);
		mutex_unlock(&pvbus_lock);
		pvbus_host_detach(root);
		return;
	}
	mutex_unlock(&pvbus_lock);

	/* The bus root going away detaches it: wait until it is done. */
	wait_event(pvbus_wq, !READ_ONCE(host->root));
}
EXPORT_SYMBOL_GPL(pvbus_host_unregister);

/* -EEXIST, said, if a root on @roots has a device of @instance. */
static int pvbus_instance_on(struct list_head *roots, struct pvbus_root *root,
			     struct pvbus_host *host, const guid_t *instance)
{
	struct pvbus_device *other;
	struct pvbus_root *r;

	list_for_each_entry(r, roots, node) {
		list_for_each_entry(other, &r->devices, node) {
			if (!guid_equal(&other->instance, instance))
				continue;
			if (r == root)
				dev_err(root->dev, "host %s offers instance %pUl twice\n",
					host->name, instance);
			else
				dev_err(root->dev, "host %s offers instance %pUl, which %s has\n",
					host->name, instance, dev_name(r->dev));
			return -EEXIST;
		}
	}
	return 0;
}

/*
 * Whether @instance names a device already: one offered on any root,
 * also one going away whose revokes have not come to it yet (a device is
 * named by its instance, and every root's devices share the bus's one
 * directory), or one still being revoked, off its root's list and, once
 * its device_del() started, off the bus's, but still in sysfs and
 * debugfs.  -EEXIST, said, if so; -ENOSPC, said, if @root has as many
 * devices as a host may offer.
 */
static int pvbus_offer_check(struct pvbus_root *root,
			     struct pvbus_host *host, const guid_t *instance)
{
	struct pvbus_device *other;
	unsigned int n = 0;

	lockdep_assert_held(&pvbus_lock);

	list_for_each_entry(other, &root->devices, node)
		n++;
	if (n >= PVBUS_HOST_MAX_DEVICES) {
		dev_err_ratelimited(root->dev, "host %s offers instance %pUl, one device more than the %d a bus root takes: refused\n",
				    host->name, instance, PVBUS_HOST_MAX_DEVICES);
		return -ENOSPC;
	}

	if (pvbus_instance_on(&pvbus_roots, root, host, instance) ||
	    pvbus_instance_on(&pvbus_roots_going, root, host, instance))
		return -EEXIST;

	list_for_each_entry(other, &pvbus_revoking, revoking) {
		if (!guid_equal(&other->instance, instance))
			continue;
		dev_err(root->dev, "host %s offers instance %pUl, which is still being revoked\n",
			host->name, instance);
		return -EEXIST;
	}
	return 0;
}

/**
 * pvbus_host_offer() - offer a channel to the guest
 * @host: the attached host backend
 * @class: class of the channel
 * @instance: instance of the channel, unique on the bus
 * @host_data: the backend's state, kept in &pvbus_device.host_data
 *
 * Creates and adds the device; a driver for @class binds to it before
 * this returns, if one is loaded.  The backend owns a reference to the
 * device and gives it back with pvbus_host_revoke(), exactly once, also
 * when the device was revoked already because the host or the bus root
 * went away (which may happen before this returns).  May wait for the
 * host: the driver's probe() may talk to it; no lock of the bus is held
 * meanwhile.
 *
 * Return: the device, or an ERR_PTR(): -EINVAL for a null class or
 * instance; -ENODEV if @host is not attached; -EEXIST if @instance is
 * offered already; -ENOSPC if %PVBUS_HOST_MAX_DEVICES are; -ENOMEM.
 */
struct pvbus_device *pvbus_host_offer(struct pvbus_host *host,
				      const guid_t *class,
				      const guid_t *instance, void *host_data)
{
	struct pvbus_device *pdev;
	struct pvbus_root *root;
	bool listed;
	int ret;

	if (!host || !class || !instance || guid_is_null(class) ||
	    guid_is_null(instance))
		return ERR_PTR(-EINVAL);

	mutex_lock(&pvbus_lock);
	root = host->root;
	if (!root || root->host_state != PVBUS_HOST_ATTACHED) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = pvbus_offer_check(root, host, instance);
	if (ret)
		goto out_unlock;

	pdev = pvbus_device_create(root, host, class, instance, host_data);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto out_unlock;
	}

	pdev->debugfs = debugfs_create_dir(dev_name(&pdev->dev),
					   pvbus_debugfs_devices);
	pvbus_channel_debugfs_init(pdev->chan, pdev->debugfs);
	/* On the list, a detach of the host revokes it, after the add. */
	list_add_tail(&pdev->node, &root->devices);
	get_device(&pdev->dev);		/* the backend's reference */
	mutex_unlock(&pvbus_lock);

	/* A driver may probe, and talk to the host: no lock held. */
	ret = device_add(&pdev->dev);

	mutex_lock(&pvbus_lock);
	pdev->registered = !ret;
	complete_all(&pdev->added);
	listed = !list_empty(&pdev->node);
	if (ret && listed) {
		pvbus_revoke_start(pdev);
		/* Its root is not detached until this is done. */
		WRITE_ONCE(root->revoking, root->revoking + 1);
	}
	mutex_unlock(&pvbus_lock);

	if (ret) {
		dev_err(&pdev->dev, "host %s: adding it failed: %d\n",
			host->name, ret);
		if (listed) {
			pvbus_revoke(pdev);
			pvbus_revoke_done(root);
		} else {
			wait_for_completion(&pdev->gone);
		}
		put_device(&pdev->dev);
		return ERR_PTR(ret);
	}

	dev_dbg(&pdev->dev, "offered by %s, class %pUl\n", host->name, class);
	return pdev;

out_unlock:
	mutex_unlock(&pvbus_lock);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(pvbus_host_offer);

/**
 * pvbus_host_revoke() - take a channel away from the guest
 * @pdev: a device pvbus_host_offer() returned
 *
 * The driver's remove() runs first and may still talk to the host; then
 * the channel closes: pending requests fail with -ENODEV and nothing more
 * is sent to the host.  If the device was revoked already (its host or the
 * bus root went away), only the backend's reference is dropped, once that
 * revoke is done.  May wait for the host: the driver's remove() may talk
 * to it; the bus root does not go away before the revoke is done.  The
 * backend must not use @pdev afterwards, except through references of its
 * own (get_device()).
 */
void pvbus_host_revoke(struct pvbus_device *pdev)
{
	struct pvbus_root *root = NULL;

	mutex_lock(&pvbus_lock);
	if (!list_empty(&pdev->node)) {
		pvbus_revoke_start(pdev);
		/* Its root is not detached until this is done. */
		root = pdev->host->root;
		WRITE_ONCE(root->revoking, root->revoking + 1);
	}
	mutex_unlock(&pvbus_lock);

	if (root) {
		pvbus_revoke(pdev);
		pvbus_revoke_done(root);
	} else {
		wait_for_completion(&pdev->gone);	/* by whoever took it */
	}
	put_device(&pdev->dev);
}
EXPORT_SYMBOL_GPL(pvbus_host_revoke);

/**
 * pvbus_host_windows() - the MMIO windows of the bus a host is attached to
 * @host: the attached host backend
 * @win: filled with up to @max windows
 * @max: entries in @win
 *
 * A real host knows the guest's MMIO layout because it made it; a backend
 * that plays one asks the bus, for instance to refuse a config window
 * outside the windows as a real host would.
 *
 * Return: the number of windows (which may exceed @max), or -ENODEV if
 * @host is not attached.
 */
int pvbus_host_windows(struct pvbus_host *host, struct pvbus_range *win,
		       unsigned int max)
{
	struct pvbus_root *root;
	int n;

	mutex_lock(&pvbus_lock);
	root = host->root;
	if (!root) {
		mutex_unlock(&pvbus_lock);
		return -ENODEV;
	}
	n = root->nr_windows;
	memcpy(win, root->windows, min_t(unsigned int, n, max) * sizeof(*win));
	mutex_unlock(&pvbus_lock);
	return n;
}
EXPORT_SYMBOL_GPL(pvbus_host_windows);

/*
 * A platform device, not the module's own root, that the bus root's driver
 * would bind: the platform bus's match(), so that one whose
 * driver_override names another driver is not taken for a root.
 */
static int pvbus_root_fw_dev(struct device *dev, void *drv)
{
	return (!pvbus_param_pdev || dev != &pvbus_param_pdev->dev) &&
	       dev->bus->match(dev, drv);
}

/**
 * pvbus_param_root_needed() - does pvbus.mmio= need a root device of its own?
 *
 * pvbus.mmio= describes a bus where firmware does not: when it is given
 * and no platform device but the module's own matches the bus root's
 * driver.  A firmware root whose probe was deferred (a PCI host bridge
 * still probing) is not bound yet but is the bus's root: the windows of
 * pvbus.mmio= are its, and hosts attach to it.
 *
 * Return: true if the module should make a root device for pvbus.mmio=.
 */
VISIBLE_IF_KUNIT bool pvbus_param_root_needed(void)
{
	return pvbus_fw_param_root_wanted() &&
	       !bus_for_each_dev(&platform_bus_type, NULL,
				 &pvbus_root_driver.driver, pvbus_root_fw_dev);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_param_root_needed);

int pvbus_root_init(void)
{
	int ret;

	pvbus_debugfs_dir = debugfs_create_dir("pvbus", NULL);
	pvbus_debugfs_devices = debugfs_create_dir("devices",
						   pvbus_debugfs_dir);

	ret = platform_driver_register(&pvbus_root_driver);
	if (ret)
		goto out_debugfs;

	if (pvbus_param_root_needed()) {
		pvbus_param_pdev =
			platform_device_register_simple("pvbus",
							PLATFORM_DEVID_NONE,
							NULL, 0);
		if (IS_ERR(pvbus_param_pdev)) {
			ret = PTR_ERR(pvbus_param_pdev);
			pvbus_param_pdev = NULL;
			goto out_driver;
		}
	}
	return 0;

out_driver:
	platform_driver_unregister(&pvbus_root_driver);
out_debugfs:
	debugfs_remove_recursive(pvbus_debugfs_dir);
	return ret;
}

void pvbus_root_exit(void)
{
	platform_device_unregister(pvbus_param_pdev);
	platform_driver_unregister(&pvbus_root_driver);
	debugfs_remove_recursive(pvbus_debugfs_dir);
}
