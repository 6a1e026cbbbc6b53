/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus MMIO allocator: what only pvbus itself and its KUnit suites see.
 */
#ifndef _PVBUS_MMIO_INTERNAL_H
#define _PVBUS_MMIO_INTERNAL_H

#include <linux/types.h>

struct pvbus_mmio_space;

#if IS_ENABLED(CONFIG_PVBUS_KUNIT_TEST)
u64 pvbus_mmio_space_gaps_walked(struct pvbus_mmio_space *space);
#endif

#endif /* _PVBUS_MMIO_INTERNAL_H */
