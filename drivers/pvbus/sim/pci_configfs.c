// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: the configfs interface of a PCI bus: its attributes and its
 * functions.
 *
 *	/sys/kernel/config/pvbus_sim/<host>/<device>/
 *		max_version, stale_d0	the bus's protocol and state
 *		<function>/		mkdir: a function, not live: its ids,
 *					BARs, passthrough, live and eject
 *
 * Documentation/ABI/testing/configfs-pvbus-sim says what each attribute
 * takes.
 *
 * A function is in the relations of its bus while live is 1: from the
 * start when the bus is offered, or hot added when live is set while the
 * bus is offered.  Its other attributes can change only while live is 0.
 * Functions of a device of another class than %PVBUS_PCI_CLASS are kept
 * but not used.  Everything is under the host's lock (see configfs.c).
 *
 * A function with passthrough set is a real PCI function of the guest
 * (passthrough.c), its ids and BARs the real one's.  An empty passthrough,
 * or rmdir, gives it back to its native driver, after taking it back from
 * the guest if it is live on an offered bus (pvbus_sim_fn_item_take_back()).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <kunit/visibility.h>
#include <linux/configfs.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "configfs.h"

/* Defaults: an id no driver binds to, class "unassigned". */
#define PVBUS_SIM_FN_VENDOR	0x1b36
#define PVBUS_SIM_FN_DEVICE	0x00fe
#define PVBUS_SIM_FN_CLASS	0xff0000

/**
 * struct pvbus_sim_fn_item - configuration of a function of a PCI bus
 * @item: its configfs directory
 * @parent: the device (the bus); outlives the function
 * @node: in &pvbus_sim_dev_item.fns
 * @desc: the function; the BARs' host addresses are in @host_addr; a
 *	passed-through function is in @desc.pt
 * @host_addr: the "host_addrs" attribute, one per BAR
 * @nr_host_addr: entries in @host_addr
 * @live: in the bus's relations (for an offered bus, as last seen: see
 *	pvbus_sim_fn_item_sync())
 * @taking_back: the host waits, without the lock, for the guest to give
 *	the function back
 */
struct pvbus_sim_fn_item {
	struct config_item item;
	struct pvbus_sim_dev_item *parent;
	struct list_head node;
	struct pvbus_sim_pci_fn_desc desc;
	u64 host_addr[PVBUS_PCI_NR_BARS];
	unsigned int nr_host_addr;
	bool live;
	bool taking_back;
};

static struct pvbus_sim_fn_item *to_fn_item(struct config_item *item)
{
	return container_of(item, struct pvbus_sim_fn_item, item);
}

static struct pvbus_sim_host_item *pvbus_sim_fn_item_host(struct config_item *item)
{
	return to_fn_item(item)->parent->parent;
}

/* What a function describes by default: its devfn and serial are kept. */
static void pvbus_sim_fn_item_defaults(struct pvbus_sim_pci_fn_desc *desc)
{
	desc->id.vendor = PVBUS_SIM_FN_VENDOR;
	desc->id.device = PVBUS_SIM_FN_DEVICE;
	desc->id.class = PVBUS_SIM_FN_CLASS;
	desc->id.revision = 0;
	desc->id.subsys_vendor = 0;
	desc->id.subsys_device = 0;
	memset(desc->bar, 0, sizeof(desc->bar));
	desc->pt = NULL;
}

/*
 * The function as the host gets it: @fc->desc with the host addresses
 * given to the BARs in order.  -EINVAL if there are more addresses than
 * BARs.
 */
static int pvbus_sim_fn_item_desc(struct pvbus_sim_fn_item *fc,
				  struct pvbus_sim_pci_fn_desc *desc)
{
	unsigned int b, i = 0;

	*desc = fc->desc;
	for (b = 0; b < PVBUS_PCI_NR_BARS && i < fc->nr_host_addr; b++)
		if (desc->bar[b].size)
			desc->bar[b].host_addr = fc->host_addr[i++];
	return i < fc->nr_host_addr ? -EINVAL : 0;
}

/* ---------------------------------------------------------------------
 * What configfs.c calls, under the host's lock
 */

/*
 * A function the guest gave back to bus @sdev (EJECT_COMPLETE) is live
 * no more.
 */
static void pvbus_sim_fn_item_sync_from(struct pvbus_sim_fn_item *fc,
					struct pvbus_sim_dev *sdev)
{
	lockdep_assert_held(&fc->parent->parent->lock);

	if (fc->live &&
	    pvbus_sim_pci_fn_state(sdev, fc->desc.id.devfn) ==
	    PVBUS_SIM_PCI_ABSENT)
		fc->live = false;
}

/* The same, on an offered bus; nothing otherwise. */
static void pvbus_sim_fn_item_sync(struct pvbus_sim_fn_item *fc)
{
	if (pvbus_sim_dev_item_pci_offered(fc->parent))
		pvbus_sim_fn_item_sync_from(fc, fc->parent->sdev);
}

/*
 * Called once the bus, @sdev, is taken away from the guest, so that
 * functions the guest gave back, also in its remove(), are not in its
 * relations when it is offered again.
 */
static void pvbus_sim_pci_item_sync(struct pvbus_sim_dev_item *dc,
				    struct pvbus_sim_dev *sdev)
{
	struct pvbus_sim_fn_item *fc;

	list_for_each_entry(fc, &dc->fns, node)
		pvbus_sim_fn_item_sync_from(fc, sdev);
}

/* The settings a bus is offered with: a &struct pvbus_sim_pci_settings. */
static void *pvbus_sim_pci_settings_make(struct pvbus_sim_dev_item *dc)
{
	struct pvbus_sim_pci_settings *st;
	struct pvbus_sim_fn_item *fc;
	int ret;

	lockdep_assert_held(&dc->parent->lock);

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ERR_PTR(-ENOMEM);
	st->max_version = dc->max_version;
	st->stale_d0 = dc->stale_d0;
	list_for_each_entry(fc, &dc->fns, node) {
		if (!fc->live)
			continue;
		/* Checked when it went live. */
		ret = st->nr_fns < PVBUS_PCI_MAX_FUNCTIONS ?
		      pvbus_sim_fn_item_desc(fc, &st->fn[st->nr_fns++]) :
		      -ENOSPC;
		if (ret) {
			kfree(st);
			return ERR_PTR(ret);
		}
	}
	return st;
}

/* ---------------------------------------------------------------------
 * The attributes of a bus, in its device's directory
 */

static ssize_t pvbus_sim_dev_item_max_version_read(struct config_item *item,
						   char *page)
{
	u16 v = to_dev_item(item)->max_version;

	return sprintf(page, "%u.%u\n", v >> 8, v & 0xff);
}

static int pvbus_sim_dev_item_max_version_write(struct config_item *item,
						const char *page, size_t count)
{
	static const char *const versions[] = { "1.0", "1.1" };
	struct pvbus_sim_dev_item *dc = to_dev_item(item);
	int i, ret = 0;
	u16 v;

	i = sysfs_match_string(versions, page);
	if (i < 0)
		return i;
	v = i ? PVBUS_PCI_VERSION_1_1 : PVBUS_PCI_VERSION_1_0;
	if (pvbus_sim_dev_item_pci_offered(dc))
		ret = pvbus_sim_pci_set_max_version(dc->sdev, v);
	if (!ret)
		dc->max_version = v;
	return ret;
}

PVBUS_SIM_ATTR(pvbus_sim_dev_item_, max_version, PVBUS_SIM_WHEN_IDLE);

static bool pvbus_sim_dev_item_stale_d0_get(struct config_item *item)
{
	return to_dev_item(item)->stale_d0;
}

static int pvbus_sim_dev_item_stale_d0_set(struct config_item *item,
					   bool stale)
{
	to_dev_item(item)->stale_d0 = stale;
	return 0;
}

PVBUS_SIM_BOOL_ATTR(pvbus_sim_dev_item_, stale_d0);

static struct configfs_attribute *const pvbus_sim_pci_dev_attrs[] = {
	&pvbus_sim_dev_item_attr_max_version,
	&pvbus_sim_dev_item_attr_stale_d0,
	NULL
};

static void pvbus_sim_pci_dev_init(struct pvbus_sim_dev_item *dc)
{
	dc->max_version = PVBUS_PCI_VERSION_MAX;
}

const struct pvbus_sim_class_configfs pvbus_sim_pci_class_configfs = {
	.class		= &pvbus_sim_pci_class,
	.settings	= pvbus_sim_pci_settings_make,
	.sync		= pvbus_sim_pci_item_sync,
	.dev_attrs	= pvbus_sim_pci_dev_attrs,
	.dev_init	= pvbus_sim_pci_dev_init,
};

/* ---------------------------------------------------------------------
 * The attributes of a function
 */

/* Attributes other than live and eject: not while live or taken back. */
static int pvbus_sim_fn_item_writable(struct pvbus_sim_fn_item *fc)
{
	if (fc->taking_back)
		return -EBUSY;
	pvbus_sim_fn_item_sync(fc);
	return fc->live ? -EBUSY : 0;
}

/* What the real function of a passed-through one says: not writable. */
static int pvbus_sim_fn_item_id_writable(struct pvbus_sim_fn_item *fc)
{
	return fc->desc.pt ? -EBUSY : pvbus_sim_fn_item_writable(fc);
}

/**
 * struct pvbus_sim_fn_num - a numeric attribute of a function
 * @off: offset of its field in &struct pvbus_sim_pci_fn_desc
 * @size: size of the field: 1, 2 or 4
 * @max: largest value; it is shown with as many hex digits as @max has
 * @real: the real function's while one is passed through: read only
 */
struct pvbus_sim_fn_num {
	size_t off;
	size_t size;
	u32 max;
	bool real;
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_slot = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.devfn),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.devfn),
	.max	= PVBUS_PCI_MAX_DEVFN,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_vendor = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.vendor),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.vendor),
	.max	= U16_MAX,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_device = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.device),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.device),
	.max	= U16_MAX,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_class = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.class),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.class),
	.max	= 0xffffff,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_revision = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.revision),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.revision),
	.max	= U8_MAX,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_subsys_vendor = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.subsys_vendor),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.subsys_vendor),
	.max	= U16_MAX,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_subsys_device = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.subsys_device),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.subsys_device),
	.max	= U16_MAX,
	.real	= true,
};

static const struct pvbus_sim_fn_num pvbus_sim_fn_num_serial = {
	.off	= offsetof(struct pvbus_sim_pci_fn_desc, id.serial),
	.size	= sizeof_field(struct pvbus_sim_pci_fn_desc, id.serial),
	.max	= U32_MAX,
};

static ssize_t pvbus_sim_fn_num_read(struct config_item *item, char *page,
				     const struct pvbus_sim_fn_num *num)
{
	void *p = (u8 *)&to_fn_item(item)->desc + num->off;
	u32 val;

	if (num->size == 1)
		val = *(u8 *)p;
	else if (num->size == 2)
		val = *(u16 *)p;
	else
		val = *(u32 *)p;
	return sprintf(page, "0x%0*x\n", DIV_ROUND_UP(fls(num->max), 4), val);
}

static int pvbus_sim_fn_num_write(struct config_item *item, const char *page,
				  const struct pvbus_sim_fn_num *num)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	void *p = (u8 *)&fc->desc + num->off;
	u32 val;
	int ret;

	ret = kstrtou32(page, 0, &val);
	if (ret)
		return ret;
	if (val > num->max)
		return -ERANGE;

	ret = num->real ? pvbus_sim_fn_item_id_writable(fc) :
			  pvbus_sim_fn_item_writable(fc);
	if (ret)
		return ret;
	if (num->size == 1)
		*(u8 *)p = val;
	else if (num->size == 2)
		*(u16 *)p = val;
	else
		*(u32 *)p = val;
	return 0;
}

/* A numeric attribute, described by pvbus_sim_fn_num_<name>. */
#define PVBUS_SIM_FN_NUM_ATTR(_name)					\
static ssize_t pvbus_sim_fn_item_##_name##_read(struct config_item *item,\
					       char *page)		\
{									\
	return pvbus_sim_fn_num_read(item, page,			\
				     &pvbus_sim_fn_num_##_name);	\
}									\
									\
static int pvbus_sim_fn_item_##_name##_write(struct config_item *item,	\
					    const char *page,		\
					    size_t count)		\
{									\
	return pvbus_sim_fn_num_write(item, page,			\
				      &pvbus_sim_fn_num_##_name);	\
}									\
									\
PVBUS_SIM_ATTR(pvbus_sim_fn_item_, _name, PVBUS_SIM_WHEN_IDLE)

PVBUS_SIM_FN_NUM_ATTR(slot);
PVBUS_SIM_FN_NUM_ATTR(vendor);
PVBUS_SIM_FN_NUM_ATTR(device);
PVBUS_SIM_FN_NUM_ATTR(class);
PVBUS_SIM_FN_NUM_ATTR(revision);
PVBUS_SIM_FN_NUM_ATTR(subsys_vendor);
PVBUS_SIM_FN_NUM_ATTR(subsys_device);
PVBUS_SIM_FN_NUM_ATTR(serial);

static ssize_t pvbus_sim_fn_item_bars_read(struct config_item *item,
					   char *page)
{
	return pvbus_sim_bars_str(page, to_fn_item(item)->desc.bar);
}

static int pvbus_sim_fn_item_bars_write(struct config_item *item,
					const char *page, size_t count)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS];
	char *buf;
	int ret;

	buf = kmemdup_nul(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = pvbus_sim_pci_parse_bars(buf, bar);
	kfree(buf);
	if (ret < 0)
		return ret;

	ret = pvbus_sim_fn_item_id_writable(fc);
	if (!ret)
		memcpy(fc->desc.bar, bar, sizeof(bar));
	return ret;
}

PVBUS_SIM_ATTR(pvbus_sim_fn_item_, bars, PVBUS_SIM_WHEN_IDLE);

static bool pvbus_sim_fn_item_preserve_get(struct config_item *item)
{
	return to_fn_item(item)->desc.id.flags & PVBUS_PCI_FN_PRESERVE;
}

static int pvbus_sim_fn_item_preserve_set(struct config_item *item,
					  bool preserve)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	int ret = pvbus_sim_fn_item_writable(fc);

	if (ret)
		return ret;
	if (preserve)
		fc->desc.id.flags |= PVBUS_PCI_FN_PRESERVE;
	else
		fc->desc.id.flags &= ~PVBUS_PCI_FN_PRESERVE;
	return 0;
}

PVBUS_SIM_BOOL_ATTR(pvbus_sim_fn_item_, preserve);

static ssize_t pvbus_sim_fn_item_host_addrs_read(struct config_item *item,
						 char *page)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < fc->nr_host_addr; i++)
		len += sysfs_emit_at(page, len, "%s%#llx", i ? " " : "",
				     fc->host_addr[i]);
	len += sysfs_emit_at(page, len, "\n");
	return len;
}

static int pvbus_sim_fn_item_host_addrs_write(struct config_item *item,
					      const char *page, size_t count)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	u64 addr[PVBUS_PCI_NR_BARS];
	char *buf;
	int n, ret;

	buf = kmemdup_nul(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = pvbus_sim_pci_parse_host_addrs(buf, addr);
	kfree(buf);
	if (n < 0)
		return n;

	ret = pvbus_sim_fn_item_writable(fc);
	if (!ret) {
		memcpy(fc->host_addr, addr, n * sizeof(*addr));
		fc->nr_host_addr = n;
	}
	return ret;
}

PVBUS_SIM_ATTR(pvbus_sim_fn_item_, host_addrs, PVBUS_SIM_WHEN_IDLE);

/* The live flag, brought up to date. */
static bool pvbus_sim_fn_item_live_get(struct config_item *item)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);

	pvbus_sim_fn_item_sync(fc);
	return fc->live;
}

/* Put @fc into the relations: at once if its bus is offered (hot add). */
static int pvbus_sim_fn_item_go_live(struct pvbus_sim_fn_item *fc)
{
	struct pvbus_sim_dev_item *dc = fc->parent;
	struct pvbus_sim_pci_fn_desc desc;
	struct pvbus_sim_fn_item *other;
	unsigned int nr = 0;
	int ret;

	ret = pvbus_sim_fn_item_desc(fc, &desc);
	if (ret)
		return ret;
	list_for_each_entry(other, &dc->fns, node) {
		if (other == fc)
			continue;
		if (other->taking_back &&
		    other->desc.id.devfn == fc->desc.id.devfn)
			return -EBUSY;
		pvbus_sim_fn_item_sync(other);
		if (!other->live)
			continue;
		if (other->desc.id.devfn == fc->desc.id.devfn)
			return -EEXIST;
		nr++;
	}
	if (nr >= PVBUS_PCI_MAX_FUNCTIONS)
		return -ENOSPC;

	if (pvbus_sim_dev_item_pci_offered(dc)) {
		ret = pvbus_sim_pci_add_fn(dc->sdev, &desc);
		if (ret)
			return ret;
	}
	fc->live = true;
	return 0;
}

/* Take @fc out of the relations: at once if its bus is offered. */
static void pvbus_sim_fn_item_go_dead(struct pvbus_sim_fn_item *fc)
{
	struct pvbus_sim_dev_item *dc = fc->parent;

	if (fc->live && pvbus_sim_dev_item_pci_offered(dc))
		pvbus_sim_pci_remove_fn(dc->sdev, fc->desc.id.devfn);
	fc->live = false;
}

static int pvbus_sim_fn_item_live_set(struct config_item *item, bool live)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);

	if (fc->taking_back)
		return -EBUSY;
	pvbus_sim_fn_item_sync(fc);
	if (live && !fc->live)
		return pvbus_sim_fn_item_go_live(fc);
	if (!live && fc->live)
		pvbus_sim_fn_item_go_dead(fc);
	return 0;
}

PVBUS_SIM_BOOL_ATTR(pvbus_sim_fn_item_, live);

static int pvbus_sim_fn_item_eject_write(struct config_item *item,
					 const char *page, size_t count)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	bool eject;
	int ret;

	ret = pvbus_sim_parse_flag(page, &eject);
	if (ret)
		return ret;
	if (!eject)
		return -EINVAL;
	if (fc->taking_back)
		return -EBUSY;
	pvbus_sim_fn_item_sync(fc);
	if (!fc->live || !pvbus_sim_dev_item_pci_offered(fc->parent))
		return -ENODEV;
	return pvbus_sim_pci_eject(fc->parent->sdev, fc->desc.id.devfn);
}

static ssize_t pvbus_sim_fn_item_eject_store(struct config_item *item,
					     const char *page, size_t count)
{
	return pvbus_sim_attr_store(pvbus_sim_fn_item_host(item), item, page,
				    count, pvbus_sim_fn_item_eject_write,
				    PVBUS_SIM_WHEN_IDLE);
}

CONFIGFS_ATTR_WO(pvbus_sim_fn_item_, eject);

/*
 * Give the real function of @fc back to its native driver, taking it back
 * from the guest first if the function is live on an offered bus.  The
 * function is not live afterwards, and describes the defaults.
 */
static void pvbus_sim_fn_item_take_back(struct pvbus_sim_fn_item *fc,
					unsigned int timeout_ms)
{
	struct pvbus_sim_dev_item *dc = fc->parent;
	struct pvbus_sim_host_item *hc = dc->parent;
	struct pvbus_sim_dev *sdev;
	u32 devfn = fc->desc.id.devfn;
	bool gone = false;
	int ret;

	lockdep_assert_held(&hc->op_lock);
	lockdep_assert_held(&hc->lock);

	pvbus_sim_fn_item_sync(fc);
	if (fc->live && pvbus_sim_dev_item_pci_offered(dc)) {
		sdev = dc->sdev;
		ret = pvbus_sim_pci_take_back_ask(sdev, devfn);
		if (ret > 0) {
			/*
			 * The guest answers when it answers: wait without the
			 * host's locks, so that other stores go on.  Until it
			 * does, the function and its devfn stay as they are
			 * (@fc->taking_back), the bus offered (@dc->taking_back).
			 */
			fc->taking_back = true;
			dc->taking_back++;
			pvbus_sim_host_item_unlock_op(hc);
			gone = pvbus_sim_pci_take_back_wait(sdev, devfn,
							    timeout_ms);
			pvbus_sim_host_item_lock_op_always(hc);
			dc->taking_back--;
			fc->taking_back = false;
		}
		if (ret && !gone)
			pvbus_sim_pci_remove_fn(sdev, devfn);
	}
	fc->live = false;
}

static void pvbus_sim_fn_item_give_back(struct pvbus_sim_fn_item *fc)
{
	pvbus_sim_fn_item_take_back(fc, PVBUS_SIM_PT_TIMEOUT_MS);
	pvbus_sim_pt_give_back(fc->desc.pt);
	pvbus_sim_fn_item_defaults(&fc->desc);
}

#if IS_ENABLED(CONFIG_PVBUS_SIM_KUNIT_TEST)
/**
 * pvbus_sim_pci_item_take_back() - take a function back from the guest
 * @item: the function's configfs item
 * @timeout_ms: how long to wait for the guest
 *
 * What giving a passed-through function back does before the real
 * function goes back to its native driver, for any function: for KUnit,
 * which has no real function to pass through.
 */
void pvbus_sim_pci_item_take_back(struct config_item *item,
				  unsigned int timeout_ms)
{
	struct pvbus_sim_host_item *hc = pvbus_sim_fn_item_host(item);

	pvbus_sim_host_item_lock_op_always(hc);
	pvbus_sim_fn_item_take_back(to_fn_item(item), timeout_ms);
	pvbus_sim_host_item_unlock_op(hc);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_sim_pci_item_take_back);
#endif

static ssize_t pvbus_sim_fn_item_passthrough_read(struct config_item *item,
						  char *page)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);

	return sysfs_emit(page, "%s\n", fc->desc.pt ? fc->desc.pt->name : "");
}

static int pvbus_sim_fn_item_passthrough_write(struct config_item *item,
					       const char *page, size_t count)
{
	struct pvbus_sim_fn_item *fc = to_fn_item(item);
	struct pvbus_sim_pci_fn_desc desc;
	struct pvbus_sim_pt *pt;
	char *buf, *addr;
	int ret = 0;

	buf = kmemdup_nul(page, count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	addr = strim(buf);

	if (fc->taking_back) {
		ret = -EBUSY;
	} else if (!*addr) {
		if (fc->desc.pt)
			pvbus_sim_fn_item_give_back(fc);
	} else if (fc->desc.pt) {
		ret = -EBUSY;
	} else {
		ret = pvbus_sim_fn_item_writable(fc);
		if (!ret) {
			desc = fc->desc;
			pt = pvbus_sim_pt_take(addr, &desc);
			if (IS_ERR(pt))
				ret = PTR_ERR(pt);
			else
				fc->desc = desc;
		}
	}
	kfree(buf);
	return ret;
}

PVBUS_SIM_ATTR(pvbus_sim_fn_item_, passthrough, PVBUS_SIM_WHEN_IDLE);

static struct configfs_attribute *pvbus_sim_fn_item_attrs[] = {
	&pvbus_sim_fn_item_attr_slot,
	&pvbus_sim_fn_item_attr_vendor,
	&pvbus_sim_fn_item_attr_device,
	&pvbus_sim_fn_item_attr_class,
	&pvbus_sim_fn_item_attr_revision,
	&pvbus_sim_fn_item_attr_subsys_vendor,
	&pvbus_sim_fn_item_attr_subsys_device,
	&pvbus_sim_fn_item_attr_serial,
	&pvbus_sim_fn_item_attr_bars,
	&pvbus_sim_fn_item_attr_preserve,
	&pvbus_sim_fn_item_attr_host_addrs,
	&pvbus_sim_fn_item_attr_passthrough,
	&pvbus_sim_fn_item_attr_live,
	&pvbus_sim_fn_item_attr_eject,
	NULL
};

static void pvbus_sim_fn_item_release(struct config_item *item)
{
	kfree(to_fn_item(item));
}

static struct configfs_item_operations pvbus_sim_fn_item_item_ops = {
	.release	= pvbus_sim_fn_item_release,
};

static const struct config_item_type pvbus_sim_fn_item_type = {
	.ct_item_ops	= &pvbus_sim_fn_item_item_ops,
	.ct_attrs	= pvbus_sim_fn_item_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *
pvbus_sim_dev_item_make_fn(struct config_group *group, const char *name)
{
	struct pvbus_sim_dev_item *dc = to_dev_item(&group->cg_item);
	struct pvbus_sim_fn_item *fc;

	fc = kzalloc(sizeof(*fc), GFP_KERNEL);
	if (!fc)
		return ERR_PTR(-ENOMEM);
	config_item_init_type_name(&fc->item, name, &pvbus_sim_fn_item_type);
	fc->parent = dc;
	pvbus_sim_fn_item_defaults(&fc->desc);

	mutex_lock(&dc->parent->lock);
	list_add_tail(&fc->node, &dc->fns);
	mutex_unlock(&dc->parent->lock);
	return &fc->item;
}

/*
 * rmdir of a function: a live one leaves the relations without asking,
 * but a passed-through one is taken back from the guest and given back to
 * its native driver.
 */
static void pvbus_sim_dev_item_drop_fn(struct config_group *group,
				       struct config_item *item)
{
	struct pvbus_sim_dev_item *dc = to_dev_item(&group->cg_item);
	struct pvbus_sim_fn_item *fc = to_fn_item(item);

	pvbus_sim_host_item_lock_op_always(dc->parent);
	if (fc->desc.pt)
		pvbus_sim_fn_item_give_back(fc);
	pvbus_sim_fn_item_sync(fc);
	pvbus_sim_fn_item_go_dead(fc);
	list_del(&fc->node);
	pvbus_sim_host_item_unlock_op(dc->parent);

	config_item_put(item);
}

struct configfs_group_operations pvbus_sim_dev_item_group_ops = {
	.make_item	= pvbus_sim_dev_item_make_fn,
	.drop_item	= pvbus_sim_dev_item_drop_fn,
};
