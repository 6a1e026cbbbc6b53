// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: windows of guest physical addresses whose accesses reach the host.
 *
 * Copyright (C) 2026 The pvbus developers
 */

/**
 * DOC: pvbus windows
 *
 * A driver tells the host about a window it allocated (the config window
 * of a PCI bus) and then reads and writes it through these accessors.  On
 * a hypervisor the window is MMIO whose accesses trap to the host: the bus
 * maps it and the accessors are readl() and writel().  A backend that
 * cannot trap (the simulated host) models the trap with
 * &pvbus_host_ops.window_read and .window_write instead.  Which of the two
 * it is, is the bus's and the backend's business, never the driver's.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_host.h>

static bool pvbus_window_modelled(const struct pvbus_window *win)
{
	const struct pvbus_host_ops *ops = win->pdev->host->ops;

	return ops->window_read && ops->window_write;
}

/**
 * pvbus_window_map() - make a window of a device accessible
 * @win: the window, filled in here
 * @pdev: the device whose driver owns the window
 * @res: the window, as pvbus_device_mmio_alloc() gave it
 *
 * Return: 0, or -ENOMEM if the window cannot be mapped.
 */
int pvbus_window_map(struct pvbus_window *win, struct pvbus_device *pdev,
		     const struct resource *res)
{
	*win = (struct pvbus_window) {
		.pdev	= pdev,
		.start	= res->start,
		.size	= resource_size(res),
	};
	if (pvbus_window_modelled(win))
		return 0;
	win->map = ioremap(res->start, resource_size(res));
	if (!win->map) {
		win->pdev = NULL;
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_window_map);

/**
 * pvbus_window_unmap() - undo pvbus_window_map()
 * @win: the window; nothing is done if it is not mapped
 */
void pvbus_window_unmap(struct pvbus_window *win)
{
	if (!win->pdev)
		return;
	if (win->map)
		iounmap(win->map);
	*win = (struct pvbus_window) { };
}
EXPORT_SYMBOL_GPL(pvbus_window_unmap);

static bool pvbus_window_ok(const struct pvbus_window *win, unsigned int off,
			    unsigned int size)
{
	if (!win->pdev || (size != 1 && size != 2 && size != 4))
		return false;
	return !(off & (size - 1)) && off < win->size &&
	       size <= win->size - off;
}

/**
 * pvbus_window_read() - read from a window
 * @win: the window
 * @off: offset in it, a multiple of @size
 * @size: 1, 2 or 4 bytes
 * @val: where the value goes: @size bytes, zero-extended
 *
 * A backend's answer is the host's: only its @size bytes are taken, and
 * when it fails @val reads all ones, as a failed PCI config read does,
 * whatever the backend left there.
 *
 * Context: any, a raw spinlock held included; does not sleep.
 * Return: 0, -EINVAL for an access outside the window or of another size
 * (@val untouched), or the host backend's error (-EIO if it returned a
 * positive value).
 */
int pvbus_window_read(struct pvbus_window *win, unsigned int off,
		      unsigned int size, u32 *val)
{
	struct pvbus_host *host;
	u32 mask, v = 0;
	int ret;

	if (!pvbus_window_ok(win, off, size))
		return -EINVAL;
	if (win->map) {
		if (size == 1)
			*val = readb(win->map + off);
		else if (size == 2)
			*val = readw(win->map + off);
		else
			*val = readl(win->map + off);
		return 0;
	}
	host = win->pdev->host;
	ret = host->ops->window_read(host, win->pdev, win->start + off, size,
				     &v);
	mask = GENMASK(8 * size - 1, 0);
	if (ret) {
		*val = mask;
		return ret < 0 ? ret : -EIO;
	}
	*val = v & mask;
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_window_read);

/**
 * pvbus_window_write() - write to a window
 * @win: the window
 * @off: offset in it, a multiple of @size
 * @size: 1, 2 or 4 bytes
 * @val: the value
 *
 * Context: any, a raw spinlock held included; does not sleep.
 * Return: as pvbus_window_read().
 */
int pvbus_window_write(struct pvbus_window *win, unsigned int off,
		       unsigned int size, u32 val)
{
	struct pvbus_host *host;
	int ret;

	if (!pvbus_window_ok(win, off, size))
		return -EINVAL;
	if (win->map) {
		if (size == 1)
			writeb(val, win->map + off);
		else if (size == 2)
			writew(val, win->map + off);
		else
			writel(val, win->map + off);
		return 0;
	}
	host = win->pdev->host;
	ret = host->ops->window_write(host, win->pdev, win->start + off, size,
				      val);
	return ret > 0 ? -EIO : ret;
}
EXPORT_SYMBOL_GPL(pvbus_window_write);
