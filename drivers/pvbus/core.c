// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: a paravirtual bus for virtual machines.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <linux/module.h>

MODULE_DESCRIPTION("pvbus: paravirtual bus and MMIO allocator");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
