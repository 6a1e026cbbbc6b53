// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the configfs interface.
 *
 *	/sys/kernel/config/pvbus_sim/
 *		<host>/			mkdir: a host, not live
 *			live		1: register and offer, 0: revoke all
 *			reserved	size@start,... reported at connect
 *			root		the bus root's device; empty: the first
 *			stats		what the host counted
 *			<device>/	mkdir: a device of the host
 *				class		class UUID
 *				instance	instance UUID (random by default)
 *				live		1: offered while the host is live
 *				fault		none, drop, short, badlen,
 *						badver or status
 *				max_version	PCI: newest protocol version
 *				stale_d0	PCI: offered in D0 already
 *				<function>/	mkdir: a function of a PCI bus
 *
 * The PCI class's attributes and functions are pci_configfs.c's: a class
 * adds attributes to every device (&pvbus_sim_class_configfs).
 *
 * This file only keeps the configuration and decides, from the live
 * attributes, when a host starts and which devices it offers; host.c does
 * the rest.  Everything of one host, its devices' and their functions'
 * configuration included, is under the host's lock, which is also held
 * across the calls into host.c but for the round trips: registering and
 * unregistering the host, offers and revokes.  Nothing host.c runs from
 * its work items or its backend operations takes that lock or the host's
 * op_lock, so the bus may call them while the lock is held, and a driver
 * may talk to the host, and read its attributes, while it probes from
 * inside a round trip.  The one wait for the guest, for a passed-through
 * function given back (pci_configfs.c), is made without either.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pvbus.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "configfs.h"

static const char *const pvbus_sim_fault_names[PVBUS_SIM_NR_FAULTS] = {
	[PVBUS_SIM_FAULT_NONE]		= "none",
	[PVBUS_SIM_FAULT_DROP]		= "drop",
	[PVBUS_SIM_FAULT_SHORT]		= "short",
	[PVBUS_SIM_FAULT_BADLEN]	= "badlen",
	[PVBUS_SIM_FAULT_BADVER]	= "badver",
	[PVBUS_SIM_FAULT_STATUS]	= "status",
};

static const char *const pvbus_sim_stat_names[PVBUS_SIM_NR_STATS] = {
	[PVBUS_SIM_STAT_REQUESTS]	= "requests",
	[PVBUS_SIM_STAT_ANSWERED]	= "answered",
	[PVBUS_SIM_STAT_INVALID]	= "refused_invalid",
	[PVBUS_SIM_STAT_UNSUPPORTED]	= "refused_unsupported",
	[PVBUS_SIM_STAT_REFUSED]	= "refused_refused",
	[PVBUS_SIM_STAT_BUSY]		= "refused_busy",
	[PVBUS_SIM_STAT_NOT_FOUND]	= "refused_not_found",
	[PVBUS_SIM_STAT_UNANSWERABLE]	= "unanswerable",
	[PVBUS_SIM_STAT_DROPPED]	= "dropped",
	[PVBUS_SIM_STAT_FAULTY]		= "faulty",
	[PVBUS_SIM_STAT_NOTIFICATIONS]	= "notifications",
	[PVBUS_SIM_STAT_REJECTED]	= "rejected",
	[PVBUS_SIM_STAT_QUEUE_FULL]	= "dropped_queue_full",
};

/* ---------------------------------------------------------------------
 * Going live and back, under the host's lock
 */

/* The device classes whose settings have configfs attributes. */
static const struct pvbus_sim_class_configfs *const pvbus_sim_class_configfs_all[] = {
	&pvbus_sim_pci_class_configfs,
};

static const struct pvbus_sim_class_configfs *
pvbus_sim_find_class_configfs(const guid_t *class)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pvbus_sim_class_configfs_all); i++)
		if (guid_equal(class, pvbus_sim_class_configfs_all[i]->class))
			return pvbus_sim_class_configfs_all[i];
	return NULL;
}

/*
 * Offers and revokes are host round trips: the guest's driver probes and
 * removes, and talks to the host meanwhile, and reads the host's
 * attributes if it likes.  The host's lock is not held across them: they
 * run with the host taken for a change (pvbus_sim_host_item_lock_op()),
 * copy what they need, drop the lock for the round trip and take it again
 * to publish the result.  The op_lock they keep holding makes other
 * transitions of the host, and the stores that change its configuration,
 * wait until the round trip ends; reading attributes, the stats and the
 * fault store do not.
 */

/* Offer @dc: called with the host taken for a change. */
static int pvbus_sim_dev_item_offer(struct pvbus_sim_dev_item *dc)
{
	struct pvbus_sim_host_item *hc = dc->parent;
	const struct pvbus_sim_class_configfs *cc;
	struct pvbus_sim_dev *sdev;
	guid_t class, instance;
	void *settings = NULL;

	lockdep_assert_held(&hc->op_lock);
	lockdep_assert_held(&hc->lock);

	cc = pvbus_sim_find_class_configfs(&dc->class);
	if (cc) {
		settings = cc->settings(dc);
		if (IS_ERR(settings))
			return PTR_ERR(settings);
	}
	guid_copy(&class, &dc->class);
	guid_copy(&instance, &dc->instance);

	mutex_unlock(&hc->lock);
	sdev = pvbus_sim_dev_offer(hc->host, &class, &instance,
				   READ_ONCE(dc->fault), settings);
	mutex_lock(&hc->lock);

	kfree(settings);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	dc->sdev = sdev;
	/* The fault may have changed meanwhile. */
	pvbus_sim_dev_set_fault(sdev, dc->fault);
	return 0;
}

/* Revoke @dc: called with the host taken for a change. */
static void pvbus_sim_dev_item_revoke(struct pvbus_sim_dev_item *dc)
{
	struct pvbus_sim_host_item *hc = dc->parent;
	const struct pvbus_sim_class_configfs *cc;
	struct pvbus_sim_dev *sdev = dc->sdev;

	lockdep_assert_held(&hc->op_lock);
	lockdep_assert_held(&hc->lock);

	if (!sdev)
		return;
	dc->sdev = NULL;

	mutex_unlock(&hc->lock);
	pvbus_sim_dev_withdraw(sdev);
	mutex_lock(&hc->lock);
	/* What the guest gave back, also in its remove(), is live no more. */
	cc = pvbus_sim_find_class_configfs(&dc->class);
	if (cc && cc->sync)
		cc->sync(dc, sdev);
	pvbus_sim_dev_release(sdev);
}

/*
 * Registering a host with the bus and unregistering it are round trips
 * too: the bus connects, probes and removes drivers.  They are made, as
 * offers and revokes, with the host taken for a change but without its
 * lock.  What they read of the host's configuration, its root and
 * reserved ranges, only a store that takes the host for a change writes,
 * and only while the host is not live.
 */
static void pvbus_sim_host_item_stop(struct pvbus_sim_host_item *hc)
{
	struct pvbus_sim_dev_item *dc;

	lockdep_assert_held(&hc->op_lock);
	lockdep_assert_held(&hc->lock);

	list_for_each_entry_reverse(dc, &hc->devs, node)
		pvbus_sim_dev_item_revoke(dc);

	mutex_unlock(&hc->lock);
	pvbus_sim_host_stop(hc->host);
	mutex_lock(&hc->lock);
	hc->live = false;
}

/* A function of a device of @hc is being taken back, without the lock. */
static bool pvbus_sim_host_item_taking_back(struct pvbus_sim_host_item *hc)
{
	struct pvbus_sim_dev_item *dc;

	lockdep_assert_held(&hc->lock);

	list_for_each_entry(dc, &hc->devs, node)
		if (dc->taking_back)
			return true;
	return false;
}

static int pvbus_sim_host_item_start(struct pvbus_sim_host_item *hc)
{
	struct pvbus_sim_dev_item *dc;
	int ret;

	lockdep_assert_held(&hc->op_lock);
	lockdep_assert_held(&hc->lock);

	mutex_unlock(&hc->lock);
	pvbus_sim_host_set_root(hc->host, hc->root[0] ? hc->root : NULL);
	ret = pvbus_sim_host_start(hc->host, hc->rsv, hc->nr_rsv);
	mutex_lock(&hc->lock);
	if (ret)
		return ret;
	hc->live = true;

	list_for_each_entry(dc, &hc->devs, node) {
		if (!dc->live)
			continue;
		ret = pvbus_sim_dev_item_offer(dc);
		if (ret) {
			pvbus_sim_host_item_stop(hc);
			return ret;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The shape of every attribute (configfs.h)
 */

/**
 * pvbus_sim_attr_show() - show an attribute
 * @hc: the host the item belongs to
 * @item: the host, device or function
 * @page: where to print
 * @read: the attribute's read method, called under the host's lock
 *
 * Return: what @read returns.
 */
ssize_t pvbus_sim_attr_show(struct pvbus_sim_host_item *hc,
			    struct config_item *item, char *page,
			    pvbus_sim_read_t read)
{
	ssize_t ret;

	mutex_lock(&hc->lock);
	ret = read(item, page);
	mutex_unlock(&hc->lock);
	return ret;
}

/**
 * pvbus_sim_attr_store() - store an attribute
 * @hc: the host the item belongs to
 * @item: the host, device or function
 * @page: what is written, NUL-terminated
 * @count: its length
 * @write: the attribute's write method, called under the host's lock
 * @when: whether @write takes @hc for a change (waiting until no offer
 *	or revoke of @hc is in flight) or only its lock
 *
 * Return: @count, the negative error code @write returns, or -EINTR if
 * the writer was killed while it waited.
 */
ssize_t pvbus_sim_attr_store(struct pvbus_sim_host_item *hc,
			     struct config_item *item, const char *page,
			     size_t count, pvbus_sim_write_t write,
			     enum pvbus_sim_when when)
{
	int ret;

	if (when == PVBUS_SIM_WHEN_ANY) {
		mutex_lock(&hc->lock);
		ret = write(item, page, count);
		mutex_unlock(&hc->lock);
		return ret ?: count;
	}

	ret = pvbus_sim_host_item_lock_op(hc);
	if (ret)
		return ret;
	ret = write(item, page, count);
	pvbus_sim_host_item_unlock_op(hc);
	return ret ?: count;
}

/* ---------------------------------------------------------------------
 * Device attributes
 */

/*
 * Read and write the UUID at @off in a device: its class or instance.  A
 * write only while the device is not offered.
 */
static ssize_t pvbus_sim_uuid_read(struct config_item *item, size_t off,
				   char *page)
{
	return sprintf(page, "%pUl\n", (u8 *)to_dev_item(item) + off);
}

static int pvbus_sim_uuid_write(struct config_item *item, size_t off,
				const char *page, size_t count)
{
	struct pvbus_sim_dev_item *dc = to_dev_item(item);
	char buf[UUID_STRING_LEN + 2], *s;
	guid_t new;

	if (count >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, page, count);
	buf[count] = '\0';
	s = strim(buf);
	if (strlen(s) != UUID_STRING_LEN || guid_parse(s, &new) ||
	    guid_is_null(&new))
		return -EINVAL;
	if (dc->sdev)
		return -EBUSY;
	guid_copy((guid_t *)((u8 *)dc + off), &new);
	return 0;
}

/* The methods of a UUID attribute: the field pvbus_sim_dev_item_<name>_off. */
#define PVBUS_SIM_DEV_UUID_METHODS(_name)				\
static ssize_t pvbus_sim_dev_item_##_name##_read(struct config_item *item,\
						 char *page)		\
{									\
	return pvbus_sim_uuid_read(item, pvbus_sim_dev_item_##_name##_off,\
				   page);				\
}									\
									\
static int pvbus_sim_dev_item_##_name##_write(struct config_item *item,\
					      const char *page,		\
					      size_t count)		\
{									\
	return pvbus_sim_uuid_write(item,				\
				    pvbus_sim_dev_item_##_name##_off,	\
				    page, count);			\
}

static const size_t pvbus_sim_dev_item_class_off =
	offsetof(struct pvbus_sim_dev_item, class);
PVBUS_SIM_DEV_UUID_METHODS(class)
PVBUS_SIM_ATTR(pvbus_sim_dev_item_, class, PVBUS_SIM_WHEN_IDLE);

static const size_t pvbus_sim_dev_item_instance_off =
	offsetof(struct pvbus_sim_dev_item, instance);
PVBUS_SIM_DEV_UUID_METHODS(instance)
PVBUS_SIM_ATTR(pvbus_sim_dev_item_, instance, PVBUS_SIM_WHEN_IDLE);

static bool pvbus_sim_dev_item_live_get(struct config_item *item)
{
	return to_dev_item(item)->live;
}

static int pvbus_sim_dev_item_live_set(struct config_item *item, bool live)
{
	struct pvbus_sim_dev_item *dc = to_dev_item(item);
	struct pvbus_sim_host_item *hc = dc->parent;
	int ret;

	if (live == dc->live)
		return 0;
	/* A function being taken back, without the lock, keeps it offered. */
	if (!live && dc->taking_back)
		return -EBUSY;
	if (!live) {
		pvbus_sim_dev_item_revoke(dc);
		dc->live = false;
		return 0;
	}
	if (guid_is_null(&dc->class))
		return -EINVAL;
	ret = hc->live ? pvbus_sim_dev_item_offer(dc) : 0;
	if (!ret)
		dc->live = true;
	return ret;
}

PVBUS_SIM_BOOL_ATTR(pvbus_sim_dev_item_, live);

static ssize_t pvbus_sim_dev_item_fault_read(struct config_item *item,
					     char *page)
{
	return sprintf(page, "%s\n",
		       pvbus_sim_fault_names[to_dev_item(item)->fault]);
}

static int pvbus_sim_dev_item_fault_write(struct config_item *item,
					  const char *page, size_t count)
{
	struct pvbus_sim_dev_item *dc = to_dev_item(item);
	int fault;

	fault = sysfs_match_string(pvbus_sim_fault_names, page);
	if (fault < 0)
		return fault;
	WRITE_ONCE(dc->fault, fault);
	if (dc->sdev)
		pvbus_sim_dev_set_fault(dc->sdev, fault);
	return 0;
}

/*
 * A fault may be written while an offer or a revoke waits for the guest:
 * it reaches an offered device at once, one being offered once the offer
 * returns, and one being revoked not at all (its next offer takes it).
 */
PVBUS_SIM_ATTR(pvbus_sim_dev_item_, fault, PVBUS_SIM_WHEN_ANY);

/*
 * A device's class is written after its mkdir, so its directory has the
 * attributes of every class (&pvbus_sim_class_configfs.dev_attrs) after the
 * generic ones; pvbus_sim_dev_item_attrs_init() adds them.
 */
#define PVBUS_SIM_DEV_MAX_ATTRS	16

static struct configfs_attribute *pvbus_sim_dev_item_attrs[PVBUS_SIM_DEV_MAX_ATTRS + 1] = {
	&pvbus_sim_dev_item_attr_class,
	&pvbus_sim_dev_item_attr_instance,
	&pvbus_sim_dev_item_attr_live,
	&pvbus_sim_dev_item_attr_fault,
};

static int pvbus_sim_dev_item_attrs_init(void)
{
	struct configfs_attribute *const *a;
	unsigned int i, n = 0;

	while (pvbus_sim_dev_item_attrs[n])
		n++;
	for (i = 0; i < ARRAY_SIZE(pvbus_sim_class_configfs_all); i++) {
		a = pvbus_sim_class_configfs_all[i]->dev_attrs;
		for (; a && *a; a++) {
			if (WARN_ON(n == PVBUS_SIM_DEV_MAX_ATTRS))
				return -E2BIG;
			pvbus_sim_dev_item_attrs[n++] = *a;
		}
	}
	return 0;
}

static void pvbus_sim_dev_item_release(struct config_item *item)
{
	kfree(to_dev_item(item));
}

static struct configfs_item_operations pvbus_sim_dev_item_item_ops = {
	.release	= pvbus_sim_dev_item_release,
};

static const struct config_item_type pvbus_sim_dev_item_type = {
	.ct_item_ops	= &pvbus_sim_dev_item_item_ops,
	.ct_group_ops	= &pvbus_sim_dev_item_group_ops,
	.ct_attrs	= pvbus_sim_dev_item_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---------------------------------------------------------------------
 * Host attributes
 */

static bool pvbus_sim_host_item_live_get(struct config_item *item)
{
	return to_host_item(item)->live;
}

static int pvbus_sim_host_item_live_set(struct config_item *item, bool live)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);

	if (live == hc->live)
		return 0;
	if (live)
		return pvbus_sim_host_item_start(hc);
	if (pvbus_sim_host_item_taking_back(hc))
		return -EBUSY;
	pvbus_sim_host_item_stop(hc);
	return 0;
}

PVBUS_SIM_BOOL_ATTR(pvbus_sim_host_item_, live);

static ssize_t pvbus_sim_host_item_reserved_read(struct config_item *item,
						 char *page)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);
	unsigned int i;
	ssize_t len = 0;

	for (i = 0; i < hc->nr_rsv; i++)
		len += sysfs_emit_at(page, len, "%s%#llx@%#llx", i ? "," : "",
				     hc->rsv[i].size, hc->rsv[i].start);
	len += sysfs_emit_at(page, len, "\n");
	return len;
}

/*
 * Parse "size@start[,size@start...]", memparse() suffixes allowed, into
 * @rsv.  Blanks around the list and its items are ignored; an empty list is
 * no range.  Returns the number of ranges; -EINVAL for a malformed list, a
 * size of 0 or a range that wraps; -ERANGE for a number that does not fit
 * in 64 bits; -E2BIG for too many ranges.
 */
VISIBLE_IF_KUNIT int pvbus_sim_parse_reserved(char *s, struct pvbus_range *rsv)
{
	unsigned int nr = 0;
	char *item, *end;
	int ret;

	s = strim(s);
	if (!*s)
		return 0;

	while ((item = strsep(&s, ","))) {
		if (nr == PVBUS_HOST_MAX_RSV)
			return -E2BIG;
		ret = pvbus_parse_range(strim(item), &end, &rsv[nr]);
		if (ret)
			return ret;
		if (*end)
			return -EINVAL;
		nr++;
	}
	return nr;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_parse_reserved);

static int pvbus_sim_host_item_reserved_write(struct config_item *item,
					      const char *page, size_t count)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);
	struct pvbus_range *rsv;
	char *buf;
	int nr;

	buf = kmemdup_nul(page, count, GFP_KERNEL);
	rsv = kcalloc(PVBUS_HOST_MAX_RSV, sizeof(*rsv), GFP_KERNEL);
	if (!buf || !rsv) {
		nr = -ENOMEM;
		goto out;
	}

	nr = pvbus_sim_parse_reserved(buf, rsv);
	if (nr < 0)
		goto out;
	if (hc->live) {
		nr = -EBUSY;
	} else {
		memcpy(hc->rsv, rsv, nr * sizeof(*rsv));
		hc->nr_rsv = nr;
	}

out:
	kfree(rsv);
	kfree(buf);
	return min(nr, 0);
}

PVBUS_SIM_ATTR(pvbus_sim_host_item_, reserved, PVBUS_SIM_WHEN_IDLE);

static ssize_t pvbus_sim_host_item_root_read(struct config_item *item,
					     char *page)
{
	return sysfs_emit(page, "%s\n", to_host_item(item)->root);
}

/* The bus root to attach to, by its device's name; empty: the first. */
static int pvbus_sim_host_item_root_write(struct config_item *item,
					  const char *page, size_t count)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);
	char *buf, *name;
	int ret = 0;

	buf = kmemdup_nul(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	name = strim(buf);
	if (strlen(name) >= sizeof(hc->root))
		ret = -ENAMETOOLONG;
	else if (hc->live)
		ret = -EBUSY;
	else
		strscpy(hc->root, name, sizeof(hc->root));
	kfree(buf);
	return ret;
}

PVBUS_SIM_ATTR(pvbus_sim_host_item_, root, PVBUS_SIM_WHEN_IDLE);

/* Read without the host's lock: the host counts under its own. */
static ssize_t pvbus_sim_host_item_stats_show(struct config_item *item,
					      char *page)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);
	u64 stats[PVBUS_SIM_NR_STATS];
	ssize_t len = 0;
	unsigned int i;

	pvbus_sim_host_get_stats(hc->host, stats);
	for (i = 0; i < PVBUS_SIM_NR_STATS; i++)
		len += sysfs_emit_at(page, len, "%s %llu\n",
				     pvbus_sim_stat_names[i], stats[i]);
	return len;
}

CONFIGFS_ATTR_RO(pvbus_sim_host_item_, stats);

static struct configfs_attribute *pvbus_sim_host_item_attrs[] = {
	&pvbus_sim_host_item_attr_live,
	&pvbus_sim_host_item_attr_reserved,
	&pvbus_sim_host_item_attr_root,
	&pvbus_sim_host_item_attr_stats,
	NULL
};

static struct config_group *
pvbus_sim_host_item_make_dev(struct config_group *group, const char *name)
{
	struct pvbus_sim_host_item *hc = to_host_item(&group->cg_item);
	struct pvbus_sim_dev_item *dc;
	unsigned int i;

	dc = kzalloc(sizeof(*dc), GFP_KERNEL);
	if (!dc)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&dc->group, name, &pvbus_sim_dev_item_type);
	dc->parent = hc;
	guid_gen(&dc->instance);
	dc->fault = PVBUS_SIM_FAULT_NONE;
	INIT_LIST_HEAD(&dc->fns);
	for (i = 0; i < ARRAY_SIZE(pvbus_sim_class_configfs_all); i++)
		if (pvbus_sim_class_configfs_all[i]->dev_init)
			pvbus_sim_class_configfs_all[i]->dev_init(dc);

	mutex_lock(&hc->lock);
	list_add_tail(&dc->node, &hc->devs);
	mutex_unlock(&hc->lock);
	return &dc->group;
}

/*
 * rmdir of a device: configfs has waited for the attribute callbacks in
 * flight and lets no new one in; the device's functions are gone already.
 */
static void pvbus_sim_host_item_drop_dev(struct config_group *group,
					 struct config_item *item)
{
	struct pvbus_sim_host_item *hc = to_host_item(&group->cg_item);
	struct pvbus_sim_dev_item *dc = to_dev_item(item);

	pvbus_sim_host_item_lock_op_always(hc);
	pvbus_sim_dev_item_revoke(dc);
	list_del(&dc->node);
	pvbus_sim_host_item_unlock_op(hc);

	config_item_put(item);
}

static void pvbus_sim_host_item_release(struct config_item *item)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);

	pvbus_sim_host_destroy(hc->host);
	mutex_destroy(&hc->lock);
	mutex_destroy(&hc->op_lock);
	kfree(hc);
}

static struct configfs_item_operations pvbus_sim_host_item_item_ops = {
	.release	= pvbus_sim_host_item_release,
};

static struct configfs_group_operations pvbus_sim_host_item_group_ops = {
	.make_group	= pvbus_sim_host_item_make_dev,
	.drop_item	= pvbus_sim_host_item_drop_dev,
};

static const struct config_item_type pvbus_sim_host_item_type = {
	.ct_item_ops	= &pvbus_sim_host_item_item_ops,
	.ct_group_ops	= &pvbus_sim_host_item_group_ops,
	.ct_attrs	= pvbus_sim_host_item_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ---------------------------------------------------------------------
 * The subsystem
 */

static struct config_group *
pvbus_sim_make_host(struct config_group *group, const char *name)
{
	struct pvbus_sim_host_item *hc;

	hc = kzalloc(sizeof(*hc), GFP_KERNEL);
	if (!hc)
		return ERR_PTR(-ENOMEM);

	hc->host = pvbus_sim_host_create(name);
	if (IS_ERR(hc->host)) {
		struct pvbus_sim_host *host = hc->host;

		kfree(hc);
		return ERR_CAST(host);
	}
	mutex_init(&hc->op_lock);
	mutex_init(&hc->lock);
	INIT_LIST_HEAD(&hc->devs);
	config_group_init_type_name(&hc->group, name,
				    &pvbus_sim_host_item_type);
	return &hc->group;
}

/*
 * rmdir of a host: its devices are gone already (configfs refuses to remove
 * a directory with children).
 */
static void pvbus_sim_drop_host(struct config_group *group,
				struct config_item *item)
{
	struct pvbus_sim_host_item *hc = to_host_item(item);

	pvbus_sim_host_item_lock_op_always(hc);
	if (hc->live)
		pvbus_sim_host_item_stop(hc);
	pvbus_sim_host_item_unlock_op(hc);

	config_item_put(item);
}

static struct configfs_group_operations pvbus_sim_group_ops = {
	.make_group	= pvbus_sim_make_host,
	.drop_item	= pvbus_sim_drop_host,
};

static const struct config_item_type pvbus_sim_type = {
	.ct_group_ops	= &pvbus_sim_group_ops,
	.ct_owner	= THIS_MODULE,
};

VISIBLE_IF_KUNIT struct configfs_subsystem pvbus_sim_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "pvbus_sim",
			.ci_type	= &pvbus_sim_type,
		},
	},
};
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_subsys);

/**
 * pvbus_sim_configfs_init() - register /sys/kernel/config/pvbus_sim
 *
 * Return: 0 or a negative error code.
 */
int pvbus_sim_configfs_init(void)
{
	int ret;

	ret = pvbus_sim_dev_item_attrs_init();
	if (ret)
		return ret;
	config_group_init(&pvbus_sim_subsys.su_group);
	mutex_init(&pvbus_sim_subsys.su_mutex);
	ret = configfs_register_subsystem(&pvbus_sim_subsys);
	if (ret) {
		pr_err("cannot register the configfs subsystem: %d\n", ret);
		mutex_destroy(&pvbus_sim_subsys.su_mutex);
	}
	return ret;
}

/**
 * pvbus_sim_configfs_exit() - unregister /sys/kernel/config/pvbus_sim
 *
 * configfs holds a reference to the module for every directory made under
 * it, so there is no host left by now.
 */
void pvbus_sim_configfs_exit(void)
{
	configfs_unregister_subsystem(&pvbus_sim_subsys);
	mutex_destroy(&pvbus_sim_subsys.su_mutex);
}
