/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus KUnit helpers shared by the suites.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_TEST_H
#define _PCI_PVBUS_TEST_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/slab.h>

struct pci_pvbus_test_defer {
	void (*fn)(void *arg);
	void *arg;
};

static inline int pci_pvbus_test_defer_init(struct kunit_resource *res,
					    void *ctx)
{
	res->data = ctx;
	return 0;
}

static inline void pci_pvbus_test_defer_free(struct kunit_resource *res)
{
	struct pci_pvbus_test_defer *d = res->data;

	d->fn(d->arg);
	kfree(d);
}

/*
 * Call @fn(@arg) when the test case ends, passed or failed (KUnit of 6.1
 * has no kunit_add_action()).  If that cannot be arranged, call it now.
 */
static inline int pci_pvbus_test_defer(struct kunit *test,
				       void (*fn)(void *arg), void *arg)
{
	struct pci_pvbus_test_defer *d;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (d) {
		d->fn = fn;
		d->arg = arg;
		if (kunit_alloc_resource(test, pci_pvbus_test_defer_init,
					 pci_pvbus_test_defer_free, GFP_KERNEL,
					 d))
			return 0;
		kfree(d);
	}
	fn(arg);
	return -ENOMEM;
}

#endif /* _PCI_PVBUS_TEST_H */
