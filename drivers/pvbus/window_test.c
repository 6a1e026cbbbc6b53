// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_window: the bus's window accessors, on a window a
 * host backend models (as the simulated host does): every access inside
 * the window reaches the backend at its guest physical address, every
 * other one is refused before it does; and on a window the bus maps, as a
 * hypervisor that traps MMIO has it: ioremap(), then readb/w/l() and
 * writeb/w/l() of the right width at the right offset, iounmap().  Under
 * UML (CONFIG_INDIRECT_IOMEM) a logic_iomem region stands in for the MMIO: its accesses land in a
 * KUnit buffer.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/ioport.h>
#include <linux/logic_iomem.h>
#include <linux/module.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_host.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "kunit_param.h"

#define WIN_START	0x100000000ULL
#define WIN_SIZE	SZ_8K

/* What the backend saw of the last access. */
struct window_fake {
	struct pvbus_host host;
	struct pvbus_device pdev;
	unsigned int calls;
	u64 addr;
	unsigned int size;
	u32 val;
	/*
	 * What window_read() and window_write() answer: @answer_ret, and
	 * window_read() @answer if it is 0.
	 */
	int answer_ret;
	u32 answer;
};

static int fake_window_read(struct pvbus_host *host, struct pvbus_device *pdev,
			    u64 addr, unsigned int size, u32 *val)
{
	struct window_fake *f = container_of(host, struct window_fake, host);

	f->calls++;
	f->addr = addr;
	f->size = size;
	if (!f->answer_ret)
		*val = f->answer;
	return f->answer_ret;
}

static int fake_window_write(struct pvbus_host *host,
			     struct pvbus_device *pdev, u64 addr,
			     unsigned int size, u32 val)
{
	struct window_fake *f = container_of(host, struct window_fake, host);

	f->calls++;
	f->addr = addr;
	f->size = size;
	f->val = val;
	return f->answer_ret;
}

static const struct pvbus_host_ops fake_ops = {
	.window_read	= fake_window_read,
	.window_write	= fake_window_write,
};

/* A backend that answers @answer_ret, and reads @answer if that is 0. */
static struct window_fake *fake_new(struct kunit *test, int answer_ret,
				    u32 answer)
{
	struct window_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->host.ops = &fake_ops;
	f->pdev.host = &f->host;
	f->answer_ret = answer_ret;
	f->answer = answer;
	return f;
}

struct window_case {
	const char *name;
	unsigned int off;
	unsigned int size;
	int ret;
};

static const struct window_case window_cases[] = {
	{ "first dword", 0, 4, 0 },
	{ "last dword", WIN_SIZE - 4, 4, 0 },
	{ "last byte", WIN_SIZE - 1, 1, 0 },
	{ "a word", 0x1002, 2, 0 },
	{ "past the end", WIN_SIZE, 4, -EINVAL },
	{ "across the end", WIN_SIZE - 2, 4, -EINVAL },
	{ "far past the end", 0xfffffffc, 4, -EINVAL },
	{ "misaligned dword", 0x1002, 4, -EINVAL },
	{ "misaligned word", 0x1001, 2, -EINVAL },
	{ "three bytes", 0, 3, -EINVAL },
	{ "eight bytes", 0, 8, -EINVAL },
	{ "no bytes", 0, 0, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(window, window_cases, name);

static void window_bounds(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct resource res = DEFINE_RES_MEM(WIN_START, WIN_SIZE);
	struct pvbus_window win;
	struct window_fake *f;
	u32 val = 0;

	f = fake_new(test, 0, 0x5a5a5a5a);

	/* A modelled window is not mapped. */
	KUNIT_ASSERT_EQ(test, pvbus_window_map(&win, &f->pdev, &res), 0);
	KUNIT_EXPECT_NULL(test, win.map);

	KUNIT_EXPECT_EQ(test, pvbus_window_read(&win, c->off, c->size, &val),
			c->ret);
	KUNIT_EXPECT_EQ(test, pvbus_window_write(&win, c->off, c->size,
						 0x1234), c->ret);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, f->calls, 0U);
	} else {
		KUNIT_EXPECT_EQ(test, f->calls, 2U);
		KUNIT_EXPECT_EQ(test, val, 0x5a5a5a5aU >> (32 - 8 * c->size));
		KUNIT_EXPECT_EQ(test, f->addr, WIN_START + c->off);
		KUNIT_EXPECT_EQ(test, f->size, c->size);
		KUNIT_EXPECT_EQ(test, f->val, 0x1234U);
	}

	/* Unmapped, nothing reaches the backend; unmapping twice is fine. */
	pvbus_window_unmap(&win);
	pvbus_window_unmap(&win);
	f->calls = 0;
	KUNIT_EXPECT_EQ(test, pvbus_window_read(&win, 0, 4, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->calls, 0U);
}

/*
 * What a driver gets when the backend answers as it may: never more than
 * @size bytes, on an error the all ones of a failed config read, whatever
 * the backend left in the value, and an error code for a positive answer,
 * of a read or a write.
 */
struct answer_case {
	const char *name;
	unsigned int size;
	int answer_ret;
	u32 answer;
	int ret;
	u32 val;
};

static const struct answer_case answer_cases[] = {
	{ "a byte of a dword's answer", 1, 0, 0xdeadbeef, 0, 0xef },
	{ "a word of a dword's answer", 2, 0, 0xdeadbeef, 0, 0xbeef },
	{ "a dword", 4, 0, 0xdeadbeef, 0, 0xdeadbeef },
	{ "an error: all ones", 4, -ENODEV, 0, -ENODEV, 0xffffffff },
	{ "an error on a byte: its all ones", 1, -EIO, 0, -EIO, 0xff },
	{ "a positive answer: an error", 4, 1, 0, -EIO, 0xffffffff },
};

KUNIT_ARRAY_PARAM_DESC(answer, answer_cases, name);

static void window_backend_answer(struct kunit *test)
{
	const struct answer_case *c = test->param_value;
	struct resource res = DEFINE_RES_MEM(WIN_START, WIN_SIZE);
	struct pvbus_window win;
	struct window_fake *f;
	u32 val = 0x12345678;

	f = fake_new(test, c->answer_ret, c->answer);
	KUNIT_ASSERT_EQ(test, pvbus_window_map(&win, &f->pdev, &res), 0);

	KUNIT_EXPECT_EQ(test, pvbus_window_read(&win, 0, c->size, &val),
			c->ret);
	KUNIT_EXPECT_EQ(test, val, c->val);
	KUNIT_EXPECT_EQ(test, pvbus_window_write(&win, 0, c->size, 0), c->ret);
	pvbus_window_unmap(&win);
}

/* ---------------------------------------------------------------------
 * A mapped window: a buffer standing in for MMIO (UML's logic_iomem).
 */

#define MMIO_START	0x7e00000000ULL

static const struct pvbus_host_ops mapped_ops = { };

/* The buffer behind the region, and what the region saw. */
static struct {
	u8 *buf;
	unsigned int maps;
	unsigned int unmaps;
	unsigned int accesses;
	int last_size;
} mmio;

static unsigned long mmio_read(void *priv, unsigned int off, int size)
{
	unsigned long val = 0;

	mmio.accesses++;
	mmio.last_size = size;
	memcpy(&val, mmio.buf + off, size);	/* UML is little-endian */
	return val;
}

static void mmio_write(void *priv, unsigned int off, int size,
		       unsigned long val)
{
	mmio.accesses++;
	mmio.last_size = size;
	memcpy(mmio.buf + off, &val, size);
}

static void mmio_unmap(void *priv)
{
	mmio.unmaps++;
}

static const struct logic_iomem_ops mmio_ops = {
	.read	= mmio_read,
	.write	= mmio_write,
	.unmap	= mmio_unmap,
};

static long mmio_map(unsigned long offset, size_t size,
		     const struct logic_iomem_ops **ops, void **priv)
{
	if (offset || size != WIN_SIZE)
		return -EINVAL;
	mmio.maps++;
	*ops = &mmio_ops;
	*priv = NULL;
	return 0;
}

static const struct logic_iomem_region_ops mmio_region_ops = {
	.map	= mmio_map,
};

/*
 * A logic_iomem region cannot be taken back: it is added once, and only
 * by a built-in suite, so that it never outlives this code.
 */
static struct resource mmio_res = DEFINE_RES_MEM_NAMED(MMIO_START, WIN_SIZE,
							"pvbus-kunit-mmio");

static int mmio_region(void)
{
	static int ret = 1;

	if (!IS_ENABLED(CONFIG_INDIRECT_IOMEM) ||
	    !IS_BUILTIN(CONFIG_PVBUS_KUNIT_TEST))
		return -EOPNOTSUPP;
	if (ret > 0)
		ret = logic_iomem_add_region(&mmio_res, &mmio_region_ops);
	return ret;
}

static void window_mapped(struct kunit *test)
{
	const struct window_case *c = test->param_value;
	struct resource res = DEFINE_RES_MEM(MMIO_START, WIN_SIZE);
	struct pvbus_device *pdev;
	struct pvbus_host *host;
	struct pvbus_window win;
	u32 val = 0, want = 0;
	unsigned int i;
	u8 *old;
	int ret;

	ret = mmio_region();
	if (ret == -EOPNOTSUPP)
		kunit_skip(test, "needs logic_iomem (UML) and a built-in suite");
	KUNIT_ASSERT_EQ(test, ret, 0);

	memset(&mmio, 0, sizeof(mmio));
	mmio.buf = kunit_kzalloc(test, WIN_SIZE, GFP_KERNEL);
	old = kunit_kzalloc(test, WIN_SIZE, GFP_KERNEL);
	host = kunit_kzalloc(test, sizeof(*host), GFP_KERNEL);
	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, mmio.buf && old && host && pdev);
	host->ops = &mapped_ops;
	pdev->host = host;
	/* A pattern, so that a read at a wrong offset or width shows. */
	for (i = 0; i < WIN_SIZE; i++)
		mmio.buf[i] = i * 7 + 3;
	memcpy(old, mmio.buf, WIN_SIZE);

	/* No backend model: the window is mapped. */
	KUNIT_ASSERT_EQ(test, pvbus_window_map(&win, pdev, &res), 0);
	KUNIT_EXPECT_NOT_NULL(test, win.map);
	KUNIT_EXPECT_EQ(test, mmio.maps, 1U);

	KUNIT_EXPECT_EQ(test, pvbus_window_read(&win, c->off, c->size, &val),
			c->ret);
	if (!c->ret) {
		memcpy(&want, old + c->off, c->size);
		KUNIT_EXPECT_EQ(test, val, want);
		KUNIT_EXPECT_EQ(test, mmio.last_size, (int)c->size);
	}
	KUNIT_EXPECT_EQ(test, pvbus_window_write(&win, c->off, c->size,
						 0xa1b2c3d4), c->ret);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, mmio.accesses, 0U);
		KUNIT_EXPECT_EQ(test, memcmp(mmio.buf, old, WIN_SIZE), 0);
	} else {
		/* The write's width, at its offset, and nothing else. */
		want = 0xa1b2c3d4;
		memcpy(old + c->off, &want, c->size);
		KUNIT_EXPECT_EQ(test, mmio.accesses, 2U);
		KUNIT_EXPECT_EQ(test, memcmp(mmio.buf, old, WIN_SIZE), 0);
	}

	pvbus_window_unmap(&win);
	KUNIT_EXPECT_EQ(test, mmio.unmaps, 1U);
	KUNIT_EXPECT_NULL(test, win.map);
	pvbus_window_unmap(&win);
	KUNIT_EXPECT_EQ(test, mmio.unmaps, 1U);
}

static struct kunit_case pvbus_window_cases[] = {
	KUNIT_CASE_PARAM(window_bounds, window_gen_params),
	KUNIT_CASE_PARAM(window_backend_answer, answer_gen_params),
	KUNIT_CASE_PARAM(window_mapped, window_gen_params),
	{}
};

static struct kunit_suite pvbus_window_suite = {
	.name		= "pvbus_window",
	.test_cases	= pvbus_window_cases,
};

kunit_test_suite(pvbus_window_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus's window accessors");
MODULE_LICENSE("GPL");
