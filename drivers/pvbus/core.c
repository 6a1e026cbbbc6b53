// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: a paravirtual bus for virtual machines.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/module.h>

#include "pvbus_internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/pvbus.h>

static int __init pvbus_init(void)
{
	int ret;

	ret = pvbus_bus_init();
	if (ret)
		return ret;

	ret = pvbus_root_init();
	if (ret)
		pvbus_bus_exit();
	return ret;
}

static void __exit pvbus_exit(void)
{
	pvbus_root_exit();
	pvbus_bus_exit();
}

module_init(pvbus_init);
module_exit(pvbus_exit);

MODULE_DESCRIPTION("pvbus: paravirtual bus and MMIO allocator");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
