// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus_sim: a simulated pvbus host, configured through configfs.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus_sim: " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "sim.h"

static int __init pvbus_sim_init(void)
{
	int ret;

	ret = pvbus_sim_host_init();
	if (ret)
		return ret;
	ret = pvbus_sim_configfs_init();
	if (ret)
		pvbus_sim_host_exit();
	return ret;
}
module_init(pvbus_sim_init);

static void __exit pvbus_sim_exit(void)
{
	pvbus_sim_configfs_exit();
	pvbus_sim_host_exit();
}
module_exit(pvbus_sim_exit);

MODULE_DESCRIPTION("pvbus: simulated host, configured through configfs");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
