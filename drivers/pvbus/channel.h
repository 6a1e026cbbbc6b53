/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus channels: what the bus core sees of them.
 */
#ifndef _PVBUS_CHANNEL_H
#define _PVBUS_CHANNEL_H

#include <linux/pvbus_host.h>
#include <linux/types.h>

struct dentry;

/**
 * struct pvbus_channel_stats - what a channel counted
 * @requests: requests sent
 * @timeouts: requests that got no response in time
 * @bad: messages from the host that failed validation
 * @notify: notifications received and queued
 * @dropped_full: notifications dropped because the queue was full
 * @dropped_nomem: notifications dropped because no memory was left
 * @queued: notifications queued, not yet delivered
 */
struct pvbus_channel_stats {
	u64 requests;
	u64 timeouts;
	u64 bad;
	u64 notify;
	u64 dropped_full;
	u64 dropped_nomem;
	unsigned int queued;
};

/**
 * struct pvbus_channel_test_ops - KUnit seams of a channel
 * @copied: called by pvbus_channel_receive() right after it copied the
 *	host's message, with the host's buffer: a test changes it there, as
 *	a host sharing the buffer could
 * @fail_alloc: called before a notification is allocated; true makes
 *	the allocation fail
 */
struct pvbus_channel_test_ops {
	void (*copied)(const void *msg, size_t len);
	bool (*fail_alloc)(size_t len);
};

struct pvbus_channel *pvbus_channel_alloc(struct pvbus_device *pdev);
void pvbus_channel_free(struct pvbus_channel *chan);
void pvbus_channel_bind(struct pvbus_channel *chan, struct pvbus_driver *drv);
void pvbus_channel_stop_notify(struct pvbus_channel *chan);
void pvbus_channel_close(struct pvbus_channel *chan);
void pvbus_channel_debugfs_init(struct pvbus_channel *chan,
				struct dentry *dir);
void pvbus_channel_get_stats(struct pvbus_channel *chan,
			     struct pvbus_channel_stats *st);
unsigned int pvbus_channel_notify_queue_max(void);
#if IS_ENABLED(CONFIG_KUNIT)
void pvbus_channel_set_test_ops(struct pvbus_channel *chan,
				const struct pvbus_channel_test_ops *ops);
#endif

#endif /* _PVBUS_CHANNEL_H */
