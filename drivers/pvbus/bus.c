// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the bus type, its devices and drivers.
 *
 * A device is one channel a host offers; it is named after its instance
 * UUID and matched to drivers by its class UUID.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/pvbus_host.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "channel.h"
#include "pvbus_internal.h"

static const struct pvbus_device_id *
pvbus_match_id(const struct pvbus_device_id *id, const guid_t *class)
{
	for (; id && !guid_is_null(&id->class); id++)
		if (guid_equal(&id->class, class))
			return id;
	return NULL;
}

static int pvbus_match(struct device *dev, struct device_driver *drv)
{
	struct pvbus_device *pdev = to_pvbus_device(dev);
	struct pvbus_driver *pdrv = to_pvbus_driver(drv);

	return !!pvbus_match_id(pdrv->id_table, &pdev->class);
}

static int pvbus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct pvbus_device *pdev = to_pvbus_device(dev);
	int ret;

	ret = add_uevent_var(env, "MODALIAS=pvbus:%pUl", &pdev->class);
	if (ret)
		return ret;
	return add_uevent_var(env, "PVBUS_INSTANCE=%pUl", &pdev->instance);
}

/*
 * The driver's message table goes with the driver's managed resources, not
 * with its remove(): a managed action may still ask the host, after
 * remove() or a failed probe(), and the answer is checked against the
 * table.  Added before probe(), this action is released after every one
 * of the driver's.
 */
static void pvbus_unbind_table(void *data)
{
	struct pvbus_device *pdev = data;

	pvbus_channel_bind(pdev->chan, NULL);
}

static int pvbus_probe(struct device *dev)
{
	struct pvbus_device *pdev = to_pvbus_device(dev);
	struct pvbus_driver *pdrv = to_pvbus_driver(dev->driver);
	const struct pvbus_device_id *id;
	int ret;

	id = pvbus_match_id(pdrv->id_table, &pdev->class);
	if (!id || !pdrv->probe)
		return -ENODEV;

	ret = devm_add_action(dev, pvbus_unbind_table, pdev);
	if (ret)
		return ret;
	pvbus_channel_bind(pdev->chan, pdrv);
	ret = pdrv->probe(pdev, id);
	/*
	 * As at remove: a notify() in progress may wait for an answer,
	 * which is checked against the driver's table; the table goes once
	 * notify() has returned, with the driver's managed resources.
	 */
	if (ret)
		pvbus_channel_stop_notify(pdev->chan);
	return ret;
}

static void pvbus_remove(struct device *dev)
{
	struct pvbus_device *pdev = to_pvbus_device(dev);
	struct pvbus_driver *pdrv = to_pvbus_driver(dev->driver);

	/* No notify() from here on, nor one in progress. */
	pvbus_channel_stop_notify(pdev->chan);
	if (pdrv->remove)
		pdrv->remove(pdev);
	/* The message table stays for the driver's managed actions. */
}

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%pUl\n", &to_pvbus_device(dev)->class);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%pUl\n", &to_pvbus_device(dev)->instance);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "pvbus:%pUl\n", &to_pvbus_device(dev)->class);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t host_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", to_pvbus_device(dev)->host->name);
}
static DEVICE_ATTR_RO(host);

static struct attribute *pvbus_dev_attrs[] = {
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
	&dev_attr_host.attr,
	NULL
};
ATTRIBUTE_GROUPS(pvbus_dev);

struct bus_type pvbus_bus_type = {
	.name		= "pvbus",
	.match		= pvbus_match,
	.uevent		= pvbus_uevent,
	.probe		= pvbus_probe,
	.remove		= pvbus_remove,
	.dev_groups	= pvbus_dev_groups,
};

/**
 * __pvbus_driver_register() - register a pvbus driver
 * @drv: the driver; its id_table must end with an all-zero class
 * @owner: the module that owns it
 *
 * Use pvbus_driver_register() or module_pvbus_driver() instead.
 *
 * Return: 0; -EINVAL if @drv has no id_table or probe, or its table of
 * message types is malformed (pvbus_msg_specs_check()); or another
 * negative error code.
 */
int __pvbus_driver_register(struct pvbus_driver *drv, struct module *owner)
{
	int ret;

	if (!drv->id_table || !drv->probe)
		return -EINVAL;
	ret = pvbus_msg_specs_check(drv->msg_specs, drv->nr_msg_specs);
	if (ret)
		return ret;

	drv->driver.bus = &pvbus_bus_type;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__pvbus_driver_register);

/**
 * pvbus_driver_unregister() - unregister a pvbus driver
 * @drv: the driver
 */
void pvbus_driver_unregister(struct pvbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(pvbus_driver_unregister);

static void pvbus_device_release(struct device *dev)
{
	struct pvbus_device *pdev = to_pvbus_device(dev);

	pvbus_channel_free(pdev->chan);
	of_node_put(dev->of_node);
	kfree(pdev);
}

/**
 * pvbus_device_create() - make a device for a channel a host offers
 * @root: the bus root, the device's parent
 * @host: the host offering it
 * @class: class of the channel
 * @instance: instance of the channel
 * @host_data: the backend's state for the device
 *
 * The device is initialised, not added.  On a bus root that a device tree
 * node describes it shares the node: the PCI core configures the DMA of
 * the functions of a PCI bus from the node of the bus's parent device
 * (its "dma-coherent"; pci_dma_configure()), which is this device.
 *
 * Return: the device or an ERR_PTR().
 */
struct pvbus_device *pvbus_device_create(struct pvbus_root *root,
					 struct pvbus_host *host,
					 const guid_t *class,
					 const guid_t *instance,
					 void *host_data)
{
	struct pvbus_device *pdev;
	int ret;

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	if (!pdev)
		return ERR_PTR(-ENOMEM);

	pdev->chan = pvbus_channel_alloc(pdev);
	if (!pdev->chan) {
		kfree(pdev);
		return ERR_PTR(-ENOMEM);
	}

	guid_copy(&pdev->class, class);
	guid_copy(&pdev->instance, instance);
	pdev->host = host;
	pdev->host_data = host_data;
	INIT_LIST_HEAD(&pdev->node);
	INIT_LIST_HEAD(&pdev->revoking);
	init_completion(&pdev->added);
	init_completion(&pdev->gone);

	device_initialize(&pdev->dev);
	pdev->dev.bus = &pvbus_bus_type;
	pdev->dev.parent = root->dev;
	pdev->dev.release = pvbus_device_release;
	if (root->dev->of_node)
		device_set_of_node_from_dev(&pdev->dev, root->dev);
	ret = dev_set_name(&pdev->dev, "%pUl", instance);
	if (ret) {
		put_device(&pdev->dev);
		return ERR_PTR(ret);
	}
	return pdev;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_device_create);

/**
 * pvbus_device_mmio_alloc() - allocate MMIO for a device from its bus
 * @pdev: the device
 * @req: the request, see pvbus_mmio_alloc()
 *
 * Return: the allocation or an ERR_PTR(), as pvbus_mmio_alloc().
 */
struct resource *pvbus_device_mmio_alloc(struct pvbus_device *pdev,
					 const struct pvbus_mmio_req *req)
{
	struct pvbus_root *root = dev_get_drvdata(pdev->dev.parent);

	return pvbus_mmio_alloc(root->space, req);
}
EXPORT_SYMBOL_GPL(pvbus_device_mmio_alloc);

/**
 * pvbus_device_mmio_free() - free what pvbus_device_mmio_alloc() gave
 * @pdev: the device
 * @res: the allocation
 *
 * Return: as pvbus_mmio_free(): 0, or -EBUSY if a resource is still
 * requested inside @res, which then stays allocated.
 */
int pvbus_device_mmio_free(struct pvbus_device *pdev, struct resource *res)
{
	struct pvbus_root *root = dev_get_drvdata(pdev->dev.parent);

	return pvbus_mmio_free(root->space, res);
}
EXPORT_SYMBOL_GPL(pvbus_device_mmio_free);

/**
 * pvbus_device_mmio_find() - where a device's bus leaves room for a request
 * @pdev: the device
 * @req: the request, see pvbus_mmio_find()
 * @start: where the start of the room found is stored
 *
 * Return: as pvbus_mmio_find(): 0, -EINVAL or -ENOSPC.
 */
int pvbus_device_mmio_find(struct pvbus_device *pdev,
			   const struct pvbus_mmio_req *req,
			   resource_size_t *start)
{
	struct pvbus_root *root = dev_get_drvdata(pdev->dev.parent);

	return pvbus_mmio_find(root->space, req, start);
}
EXPORT_SYMBOL_GPL(pvbus_device_mmio_find);

int pvbus_bus_init(void)
{
	return bus_register(&pvbus_bus_type);
}

void pvbus_bus_exit(void)
{
	bus_unregister(&pvbus_bus_type);
}
