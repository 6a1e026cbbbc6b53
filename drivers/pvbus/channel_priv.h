/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus channels: the channel itself, for the two files that implement it,
 * channel.c (requests, responses, notifications) and channel_debugfs.c
 * (what a channel shows in debugfs), and for tests that look inside a
 * channel.  The rest of the bus sees channel.h.
 */
#ifndef _PVBUS_CHANNEL_PRIV_H
#define _PVBUS_CHANNEL_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "channel.h"

struct task_struct;

/**
 * struct pvbus_channel - a channel between a device's driver and the host
 * @pdev: the device
 * @lock: protects everything below up to @notes
 * @pending: &struct pvbus_pending, requests waiting for a response
 * @next_id: transaction id of the next request
 * @closed: the device is revoked: its requests failed, no new one is
 *	made and nothing more is received (a request already past the
 *	check may still be sent; pvbus_revoke() waits for its debugfs writer)
 * @specs: message table of the bound driver
 * @nr_specs: entries in @specs
 * @rx_seq: the messages taken from the host: the number of the last
 *	response that completed its request, or notification queued
 * @binding: counts binds and unbinds; written under @drv_lock too
 * @notes: &struct pvbus_note, notifications not yet delivered, each of
 *	the @binding it was checked under
 * @notify_work: delivers @notes
 * @drv_lock: protects @drv; held across the driver's notify()
 * @drv: the bound driver, or NULL
 * @note_seq: the number (@rx_seq) of the notification @drv's notify() is
 *	given, 0 outside it
 * @note_task: the task that runs that notify(), or NULL
 * @stats: what the channel counted; @stats.queued is the entries in @notes
 * @test_ops: KUnit seams, or NULL
 * @ping_lock: protects @ping_cookie and @ping_result
 * @ping_cookie: cookie of the last debugfs ping to end
 * @ping_result: its result
 */
struct pvbus_channel {
	struct pvbus_device *pdev;

	spinlock_t lock;		/* see above */
	struct list_head pending;
	u64 next_id;
	bool closed;
	const struct pvbus_msg_spec *specs;
	unsigned int nr_specs;
	u64 rx_seq;
	unsigned int binding;
	struct list_head notes;
	struct work_struct notify_work;

	struct mutex drv_lock;		/* protects drv */
	struct pvbus_driver *drv;
	u64 note_seq;
	struct task_struct *note_task;

	struct pvbus_channel_stats stats;
	const struct pvbus_channel_test_ops *test_ops;

	struct mutex ping_lock;		/* protects the two below */
	u64 ping_cookie;
	int ping_result;
};

#endif /* _PVBUS_CHANNEL_PRIV_H */
