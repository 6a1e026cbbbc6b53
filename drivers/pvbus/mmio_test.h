/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KUnit suites of the pvbus MMIO allocator share: the test
 * addresses and the fixtures that build a space.
 *
 * Test addresses stay away from where firmware usually puts things: low
 * windows in 0xc0000000-0xfbffffff, high windows from 0x800000000 up, and
 * the one space that is published into iomem_resource at 0x7e0000000000,
 * which is free on UML.
 */
#ifndef _PVBUS_MMIO_TEST_H
#define _PVBUS_MMIO_TEST_H

#include <kunit/test.h>
#include <linux/ioport.h>
#include <linux/pvbus_mmio.h>
#include <linux/types.h>

#define GIB4		0x100000000ULL
#define LOW_BASE	0xc0000000ULL
#define LOW_SIZE	0x3c000000ULL	/* up to 0xfbffffff */
#define HIGH_BASE	0x800000000ULL
#define TIB_BASE	0x10000000000ULL
#define PUB_BASE	0x7e0000000000ULL
#define PUB_SIZE	0x10000000ULL
#define TOP		((resource_size_t)~0ULL)

#define ADDR(x)		((unsigned long long)(x))

struct mmio_win {
	resource_size_t start;
	resource_size_t size;
};

struct mmio_rsv {
	resource_size_t start;
	resource_size_t size;
	enum pvbus_mmio_rsv kind;
};

struct pvbus_mmio_space *pvbus_mt_space(struct kunit *test);
void pvbus_mt_space_destroy(struct kunit *test,
			    struct pvbus_mmio_space *space);
void pvbus_mt_add_window(struct kunit *test, struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size);
void pvbus_mt_add_windows(struct kunit *test, struct pvbus_mmio_space *space,
			  const struct mmio_win *wins, unsigned int n);
void pvbus_mt_reserve(struct kunit *test, struct pvbus_mmio_space *space,
		      resource_size_t start, resource_size_t size,
		      enum pvbus_mmio_rsv kind);
struct resource *pvbus_mt_alloc_expect(struct kunit *test,
				       struct pvbus_mmio_space *space,
				       const struct pvbus_mmio_req *req,
				       int err, resource_size_t want);
struct resource *pvbus_mt_alloc_at(struct kunit *test,
				   struct pvbus_mmio_space *space,
				   const struct pvbus_mmio_req *req,
				   resource_size_t want);

#endif /* _PVBUS_MMIO_TEST_H */
