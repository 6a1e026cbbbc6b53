// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite pvbus_sim_pt: what the simulated host makes of a real PCI
 * function it is to pass through, without one: the address the
 * "passthrough" attribute takes, the functions it refuses, and the BARs
 * the host offers for the function's resources.  How the host forwards the config space of a
 * passed-through function is in pvbus_sim_pci (pci_test.c).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include "sim.h"
#include "../kunit_param.h"

struct addr_case {
	const char *in;
	int ret;
	u32 domain;
	u8 bus;
	u8 devfn;
};

static const struct addr_case addr_cases[] = {
	{ "0000:00:04.0", 0, 0, 0, PCI_DEVFN(4, 0) },
	{ "0000:00:04.0\n", 0, 0, 0, PCI_DEVFN(4, 0) },
	{ "00:04.0", 0, 0, 0, PCI_DEVFN(4, 0) },
	{ "7a5e:00:1f.7", 0, 0x7a5e, 0, PCI_DEVFN(0x1f, 7) },
	{ "10000:ff:00.1", 0, 0x10000, 0xff, PCI_DEVFN(0, 1) },
	{ "0:3:2.1", 0, 0, 3, PCI_DEVFN(2, 1) },
	{ "ABCD:0A:1F.0", 0, 0xabcd, 0x0a, PCI_DEVFN(0x1f, 0) },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "0000:00:04", -EINVAL },
	{ "00:04", -EINVAL },
	{ "0000:00:20.0", -EINVAL },
	{ "0000:00:04.8", -EINVAL },
	{ "0000:100:04.0", -EINVAL },
	{ "100:04.0", -EINVAL },
	{ "80000000:00:04.0", -EINVAL },
	{ "0000:00:04.0 ", -EINVAL },
	{ " 0000:00:04.0", -EINVAL },
	{ "0000:00:04.0\n\n", -EINVAL },
	{ "0000:00:004.0", -EINVAL },
	{ "00:004.0", -EINVAL },
	{ "000:04.0", -EINVAL },
	{ "0000:0ff:04.0", -EINVAL },
	{ "0000:000000ff:04.0", -EINVAL },
	{ "0000:00:04.00", -EINVAL },
	{ "0x0:00:04.0", -EINVAL },
	{ "0000-00:04.0", -EINVAL },
	{ "0000:00:04:0", -EINVAL },
	{ "g000:00:04.0", -EINVAL },
	{ "0000:00:04.0.1", -EINVAL },
};

static void addr_case_desc(const struct addr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
	strreplace(desc, '\n', '$');
}

KUNIT_ARRAY_PARAM(addr, addr_cases, addr_case_desc);

static void pvbus_sim_pt_test_parse_addr(struct kunit *test)
{
	const struct addr_case *c = test->param_value;
	u32 domain = 0x5a5a;
	u8 bus = 0x5a, devfn = 0x5a;

	KUNIT_EXPECT_EQ(test, pvbus_sim_pt_parse_addr(c->in, &domain, &bus,
						      &devfn), c->ret);
	if (c->ret) {
		/* Nothing is written on failure. */
		KUNIT_EXPECT_EQ(test, domain, 0x5a5a);
		KUNIT_EXPECT_EQ(test, bus, 0x5a);
		KUNIT_EXPECT_EQ(test, devfn, 0x5a);
		return;
	}
	KUNIT_EXPECT_EQ(test, domain, c->domain);
	KUNIT_EXPECT_EQ(test, bus, c->bus);
	KUNIT_EXPECT_EQ(test, devfn, c->devfn);
}

#define MEM		IORESOURCE_MEM
#define MEM64		(IORESOURCE_MEM | IORESOURCE_MEM_64)
#define PREF		IORESOURCE_PREFETCH
#define IO		IORESOURCE_IO

/* A resource of @size bytes at 0xfe000000 (the address does not matter). */
#define RES(_flags, _size) {						\
	.start	= 0xfe000000,						\
	.end	= 0xfe000000 + (_size) - 1,				\
	.flags	= (_flags),						\
}

struct describe_case {
	const char *name;
	struct resource res[PVBUS_PCI_NR_BARS];
	int ret;
	const char *bars;	/* what the host offers, as "bars" reads */
};

static const struct describe_case describe_cases[] = {
	{
		.name	= "the QEMU NVMe: a 64-bit 16K BAR",
		.res	= { RES(MEM64, SZ_16K) },
		.bars	= "64:16K",
	},
	{
		.name	= "mixed, an I/O BAR left out",
		.res	= { RES(MEM64 | PREF, SZ_16M), {}, RES(IO, 0x20),
			    RES(MEM, SZ_4K), {}, RES(MEM | PREF, SZ_1M) },
		.ret	= 1,
		.bars	= "64p:16M - 32:4K - 32p:1M",
	},
	{
		.name	= "I/O BARs only",
		.res	= { RES(IO, 0x100), RES(IO, 0x8) },
		.ret	= 2,
		.bars	= "",
	},
	{
		.name	= "no BAR",
		.res	= { },
		.bars	= "",
	},
	{
		.name	= "a 64-bit BAR in the last slot",
		.res	= { [5] = RES(MEM64, SZ_4K) },
		.ret	= -EINVAL,
	},
	{
		.name	= "a size that is not a power of two",
		.res	= { RES(MEM, 0x3000) },
		.ret	= -EINVAL,
	},
	{
		.name	= "smaller than 16 bytes",
		.res	= { RES(MEM, 8) },
		.ret	= -EINVAL,
	},
	{
		.name	= "a 32-bit BAR of 4 GiB",
		.res	= { RES(MEM, SZ_4G) },
		.ret	= -EINVAL,
	},
	{
		.name	= "a 64-bit BAR of 4 GiB",
		.res	= { RES(MEM64, SZ_4G) },
		.bars	= "64:4G",
	},
};

KUNIT_ARRAY_PARAM_DESC(describe, describe_cases, name);

static void pvbus_sim_pt_test_describe(struct kunit *test)
{
	const struct describe_case *c = test->param_value;
	struct pvbus_sim_pci_bar bar[PVBUS_PCI_NR_BARS], want[PVBUS_PCI_NR_BARS];
	char buf[64];
	unsigned int b;

	KUNIT_ASSERT_EQ(test, pvbus_sim_pt_describe_bars(c->res, bar), c->ret);
	if (c->ret < 0)
		return;
	strscpy(buf, c->bars, sizeof(buf));
	KUNIT_ASSERT_GE(test, pvbus_sim_pci_parse_bars(buf, want), 0);
	for (b = 0; b < PVBUS_PCI_NR_BARS; b++) {
		KUNIT_EXPECT_EQ_MSG(test, bar[b].size, want[b].size, "BAR %u",
				    b);
		KUNIT_EXPECT_EQ_MSG(test, bar[b].flags, want[b].flags,
				    "BAR %u", b);
		KUNIT_EXPECT_EQ_MSG(test, bar[b].host_addr, 0, "BAR %u", b);
	}
}

/* Which functions the host refuses to pass through, with no real one. */
struct check_case {
	const char *name;
	u8 hdr_type;
	u32 class;
	bool virtfn;
	bool physfn;
	int ret;
	bool iommu;	/* an IOMMU handles it: it is in an IOMMU group */
	bool bridged;	/* its bus is behind a bridge, not a root bus */
};

static const struct check_case check_cases[] = {
	{ "an NVMe controller", PCI_HEADER_TYPE_NORMAL, 0x010802, 0, 0, 0 },
	{ "a PCI-to-PCI bridge", PCI_HEADER_TYPE_BRIDGE, 0x060400, 0, 0,
	  -EINVAL },
	{ "a type 0 function of bridge class", PCI_HEADER_TYPE_NORMAL,
	  0x060000, 0, 0, -EINVAL },
	{ "a virtual function", PCI_HEADER_TYPE_NORMAL, 0x020000, 1, 0,
	  -EINVAL },
	{ "a physical function with SR-IOV", PCI_HEADER_TYPE_NORMAL,
	  0x020000, 0, 1, -EINVAL },
	{ "an NVMe controller behind an IOMMU", PCI_HEADER_TYPE_NORMAL,
	  0x010802, 0, 0, -EINVAL, true },
	{ "an NVMe controller behind a PCI-to-PCI bridge",
	  PCI_HEADER_TYPE_NORMAL, 0x010802, 0, 0, -EINVAL, false, true },
};

KUNIT_ARRAY_PARAM_DESC(check, check_cases, name);

static void pvbus_sim_pt_test_check(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	struct pci_bus *root, *bus;
	struct pci_dev *pdev;

	/* No config space (cfg_size 0): only the fields are looked at. */
	pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	/* Buses of fields only: a root bus, and one behind a bridge on it. */
	root = kunit_kzalloc(test, sizeof(*root), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, root);
	bus = kunit_kzalloc(test, sizeof(*bus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bus);
	bus->parent = root;
	pdev->bus = c->bridged ? bus : root;
	pdev->hdr_type = c->hdr_type;
	pdev->class = c->class;
	pdev->is_virtfn = c->virtfn;
	pdev->is_physfn = c->physfn;
	/*
	 * Only whether there is a group is looked at
	 * (device_iommu_mapped()): a pointer that is not NULL, never used.
	 */
	if (c->iommu)
		pdev->dev.iommu_group = (struct iommu_group *)test;

	KUNIT_EXPECT_EQ(test, pvbus_sim_pt_check(pdev), c->ret);
}

static struct kunit_case pvbus_sim_pt_cases[] = {
	KUNIT_CASE_PARAM(pvbus_sim_pt_test_parse_addr, addr_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pt_test_describe, describe_gen_params),
	KUNIT_CASE_PARAM(pvbus_sim_pt_test_check, check_gen_params),
	{}
};

static struct kunit_suite pvbus_sim_pt_suite = {
	.name		= "pvbus_sim_pt",
	.test_cases	= pvbus_sim_pt_cases,
};

kunit_test_suite(pvbus_sim_pt_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus_sim");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
