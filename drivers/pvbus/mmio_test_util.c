// SPDX-License-Identifier: GPL-2.0
/*
 * Fixtures of the pvbus MMIO allocator's KUnit suites.
 *
 * Every case builds its own space from scratch and hands it to a KUnit
 * resource, so a failing case destroys it (and with it every window,
 * reservation and allocation) just like a passing one.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pvbus_mmio.h>

#include "mmio_test.h"

static int space_res_init(struct kunit_resource *res, void *context)
{
	struct pvbus_mmio_space *space = pvbus_mmio_space_create(context);

	if (IS_ERR_OR_NULL(space))
		return space ? PTR_ERR(space) : -ENOMEM;
	res->data = space;
	return 0;
}

static void space_res_free(struct kunit_resource *res)
{
	pvbus_mmio_space_destroy(res->data);
}

static bool space_res_match(struct kunit *test, struct kunit_resource *res,
			    void *match_data)
{
	return res->free == space_res_free && res->data == match_data;
}

/* A new private space, destroyed when the test case ends. */
struct pvbus_mmio_space *pvbus_mt_space(struct kunit *test)
{
	struct pvbus_mmio_space *space;

	space = kunit_alloc_resource(test, space_res_init, space_res_free,
				     GFP_KERNEL, (void *)"pvbus-kunit");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, space);
	return space;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_space);

/* Destroy @space now rather than at the end of the case. */
void pvbus_mt_space_destroy(struct kunit *test,
			    struct pvbus_mmio_space *space)
{
	KUNIT_ASSERT_EQ(test, kunit_destroy_resource(test, space_res_match,
						     space), 0);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_space_destroy);

void pvbus_mt_add_window(struct kunit *test, struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size)
{
	int ret = pvbus_mmio_add_window(space, start, size);

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "window %#llx+%#llx",
			    ADDR(start), ADDR(size));
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_add_window);

void pvbus_mt_add_windows(struct kunit *test, struct pvbus_mmio_space *space,
			  const struct mmio_win *wins, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && wins[i].size; i++)
		pvbus_mt_add_window(test, space, wins[i].start, wins[i].size);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_add_windows);

void pvbus_mt_reserve(struct kunit *test, struct pvbus_mmio_space *space,
		      resource_size_t start, resource_size_t size,
		      enum pvbus_mmio_rsv kind)
{
	int ret = pvbus_mmio_reserve(space, start, size, kind, "kunit-rsv");

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reservation %#llx+%#llx kind %d",
			    ADDR(start), ADDR(size), kind);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_reserve);

/*
 * Allocate @req and expect it at @want; err != 0 expects that error
 * instead.  Returns the allocation or NULL.
 */
struct resource *pvbus_mt_alloc_expect(struct kunit *test,
				       struct pvbus_mmio_space *space,
				       const struct pvbus_mmio_req *req,
				       int err, resource_size_t want)
{
	struct resource *res = pvbus_mmio_alloc(space, req);

	KUNIT_ASSERT_NOT_NULL_MSG(test, res, "alloc returned NULL");
	if (err) {
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(res),
				      "%s: expected %d, got [%#llx-%#llx]",
				      req && req->name ? req->name : "?", err,
				      IS_ERR(res) ? 0 : ADDR(res->start),
				      IS_ERR(res) ? 0 : ADDR(res->end));
		if (IS_ERR(res))
			KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(res), (long)err,
					    "%s", req && req->name ?
					    req->name : "?");
		return NULL;
	}

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(res),
			       "%s: expected %#llx, got error %ld",
			       req->name, ADDR(want), PTR_ERR(res));
	KUNIT_EXPECT_EQ_MSG(test, ADDR(res->start), ADDR(want),
			    "%s: got %#llx, want %#llx (size %#llx)",
			    req->name, ADDR(res->start), ADDR(want),
			    ADDR(req->size));
	KUNIT_EXPECT_EQ(test, ADDR(resource_size(res)), ADDR(req->size));
	return res;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_alloc_expect);

struct resource *pvbus_mt_alloc_at(struct kunit *test,
				   struct pvbus_mmio_space *space,
				   const struct pvbus_mmio_req *req,
				   resource_size_t want)
{
	return pvbus_mt_alloc_expect(test, space, req, 0, want);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_mt_alloc_at);

MODULE_DESCRIPTION("Fixtures of the pvbus KUnit suites");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
