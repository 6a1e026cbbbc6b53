/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture the KUnit suites of firmware.c and fb.c share (pvbus_fw,
 * pvbus_fb): a bus root of the case's own, whose device has a given
 * firmware node, with a private space.  fwfb_test_util.c.
 */
#ifndef _PVBUS_FWFB_TEST_H
#define _PVBUS_FWFB_TEST_H

#include <kunit/test.h>
#include <linux/property.h>

#include "pvbus_internal.h"

int pvbus_tr_init(struct kunit *test);
void pvbus_tr_exit(struct kunit *test);
struct pvbus_root *pvbus_tr_root(struct kunit *test,
				 const struct software_node *node,
				 const char *name);
char *pvbus_tr_map(struct kunit *test, struct pvbus_mmio_space *space);
void pvbus_tr_desc(char *desc, const char *what, const char *s);

#endif /* _PVBUS_FWFB_TEST_H */
