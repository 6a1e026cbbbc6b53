// SPDX-License-Identifier: GPL-2.0
/*
 * The fixture of the pvbus_fw and pvbus_fb KUnit suites: a bus root of the
 * case's own.  The suites set pvbus_tr_init() and pvbus_tr_exit() as their
 * init and exit, so that a failing case tears its root down just like a
 * passing one.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/property.h>
#include <linux/pvbus_mmio.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "fwfb_test.h"

struct pvbus_tr {
	struct pvbus_root root;
	bool swnode;
};

/**
 * pvbus_tr_init() - a suite's init: room for the case's root
 * @test: the case
 *
 * Return: 0 or -ENOMEM.
 */
int pvbus_tr_init(struct kunit *test)
{
	struct pvbus_tr *tr;

	tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	if (!tr)
		return -ENOMEM;
	test->priv = tr;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_tr_init);

/**
 * pvbus_tr_exit() - a suite's exit: tear the case's root down
 * @test: the case
 */
void pvbus_tr_exit(struct kunit *test)
{
	struct pvbus_tr *tr = test->priv;

	pvbus_mmio_space_destroy(tr->root.space);
	if (tr->swnode)
		device_remove_software_node(tr->root.dev);
	if (tr->root.dev)
		root_device_unregister(tr->root.dev);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_tr_exit);

/**
 * pvbus_tr_root() - the case's root
 * @test: the case
 * @node: the firmware node of the root's device
 * @name: name of the device and of the space
 *
 * Return: a root whose device's firmware node is @node, with a private
 * space and no window yet.
 */
struct pvbus_root *pvbus_tr_root(struct kunit *test,
				 const struct software_node *node,
				 const char *name)
{
	struct pvbus_tr *tr = test->priv;
	struct device *dev;

	dev = root_device_register(name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	tr->root.dev = dev;
	KUNIT_ASSERT_EQ(test, device_add_software_node(dev, node), 0);
	tr->swnode = true;
	tr->root.space = pvbus_mmio_space_create(name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr->root.space);
	return &tr->root;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_tr_root);

/**
 * pvbus_tr_map() - a space's map, as pvbus_mmio_space_show() prints it
 * @test: the case; the buffer is freed with it
 * @space: the space
 *
 * Return: the map, a string of at most a page.
 */
char *pvbus_tr_map(struct kunit *test, struct pvbus_mmio_space *space)
{
	struct seq_file m = { .size = PAGE_SIZE };

	m.buf = kunit_kzalloc(test, m.size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m.buf);
	pvbus_mmio_space_show(&m, space);
	KUNIT_ASSERT_LT(test, m.count, m.size);
	return m.buf;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_tr_map);

/**
 * pvbus_tr_desc() - a case's description with a string quoted in it
 * @desc: where it goes, %KUNIT_PARAM_DESC_SIZE bytes
 * @what: what comes first, followed by ": ", or NULL
 * @s: the string, quoted, newlines escaped so that KTAP stays one line,
 *	cut short where it does not fit
 */
void pvbus_tr_desc(char *desc, const char *what, const char *s)
{
	size_t i, n = 0;

	/* Room is left for the quotes and the NUL, whatever @what is. */
	if (what)
		n = scnprintf(desc, KUNIT_PARAM_DESC_SIZE - 3, "%s: ", what);
	desc[n++] = '"';
	for (i = 0; s[i] && n < KUNIT_PARAM_DESC_SIZE - 4; i++) {
		if (s[i] == '\n') {
			desc[n++] = '\\';
			desc[n++] = 'n';
		} else {
			desc[n++] = s[i];
		}
	}
	desc[n++] = '"';
	desc[n] = '\0';
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_tr_desc);
