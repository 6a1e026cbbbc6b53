// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus channels in debugfs: "ping" sends the bus's PVBUS_MSG_PING with
 * the cookie written to it and shows what came back; "stats" shows what
 * the channel counted (see struct pvbus_channel_stats).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pvbus_host.h>
#include <linux/pvbus_wire.h>
#include <linux/seq_file.h>

#include "channel_priv.h"

static ssize_t pvbus_ping_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pvbus_channel *chan = ((struct seq_file *)file->private_data)->private;
	struct pvbus_msg_ping req, resp;
	size_t len = 0;
	u64 cookie;
	int ret;

	ret = kstrtou64_from_user(ubuf, count, 0, &cookie);
	if (ret)
		return ret;

	pvbus_msg_init(&req.hdr, PVBUS_MSG_PING, PVBUS_BUS_VERSION,
		       sizeof(req));
	req.cookie = cpu_to_le64(cookie);

	/*
	 * The lock is not held across the request, which may wait minutes
	 * for a silent host: a reader or another writer would wait as long.
	 */
	ret = pvbus_channel_request(chan, &req, sizeof(req), &resp,
				    sizeof(resp), &len, 0);
	if (!ret && (len != sizeof(resp) ||
		     le64_to_cpu(resp.cookie) != cookie))
		ret = -EBADMSG;
	mutex_lock(&chan->ping_lock);
	chan->ping_cookie = cookie;
	chan->ping_result = ret;
	mutex_unlock(&chan->ping_lock);

	return ret ? ret : count;
}

static int pvbus_ping_show(struct seq_file *m, void *unused)
{
	struct pvbus_channel *chan = m->private;

	mutex_lock(&chan->ping_lock);
	if (chan->ping_result)
		seq_printf(m, "cookie %#llx error %d\n", chan->ping_cookie,
			   chan->ping_result);
	else
		seq_printf(m, "cookie %#llx ok\n", chan->ping_cookie);
	mutex_unlock(&chan->ping_lock);
	return 0;
}

static int pvbus_ping_open(struct inode *inode, struct file *file)
{
	return single_open(file, pvbus_ping_show, inode->i_private);
}

static const struct file_operations pvbus_ping_fops = {
	.owner		= THIS_MODULE,
	.open		= pvbus_ping_open,
	.read		= seq_read,
	.write		= pvbus_ping_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int pvbus_stats_show(struct seq_file *m, void *unused)
{
	struct pvbus_channel_stats st;

	pvbus_channel_get_stats(m->private, &st);
	seq_printf(m, "requests %llu\ntimeouts %llu\nbad_messages %llu\nnotifications %llu\n",
		   st.requests, st.timeouts, st.bad, st.notify);
	seq_printf(m, "dropped_queue_full %llu\ndropped_no_memory %llu\nqueued %u\n",
		   st.dropped_full, st.dropped_nomem, st.queued);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pvbus_stats);

void pvbus_channel_debugfs_init(struct pvbus_channel *chan, struct dentry *dir)
{
	debugfs_create_file("ping", 0600, dir, chan, &pvbus_ping_fops);
	debugfs_create_file("stats", 0400, dir, chan, &pvbus_stats_fops);
}
