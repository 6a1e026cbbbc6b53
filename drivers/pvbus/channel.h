/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus channels: what the bus core sees of them.
 */
#ifndef _PVBUS_CHANNEL_H
#define _PVBUS_CHANNEL_H

#include <linux/pvbus.h>

struct dentry;

struct pvbus_channel *pvbus_channel_alloc(struct pvbus_device *pdev);
void pvbus_channel_free(struct pvbus_channel *chan);
void pvbus_channel_bind(struct pvbus_channel *chan, struct pvbus_driver *drv);
void pvbus_channel_close(struct pvbus_channel *chan);
void pvbus_channel_debugfs_init(struct pvbus_channel *chan,
				struct dentry *dir);

#endif /* _PVBUS_CHANNEL_H */
