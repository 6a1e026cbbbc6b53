// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the choice of a bus's PCI domain against the segments
 * firmware declares (pci_pvbus_domain_fw): the MCFG table, _SEG and DT
 * "linux,pci-domain", given as firmware would give them, malformed ones
 * among them.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <asm/unaligned.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus-domain.h"
#include "../../pvbus/kunit_param.h"

#define MCFG_HDR	44
#define MCFG_ENTRY	16
#define MAX_SEGS	8

/* MCFG_LEN_MAPPED: the table's length field says what was mapped. */
#define MCFG_LEN_MAPPED	0xffffffff

struct dom_case {
	const char *name;
	u32 wanted;
	u32 live[MAX_SEGS];
	unsigned int nr_live;
	u16 mcfg[MAX_SEGS];		/* the MCFG's entries' segments */
	unsigned int nr_mcfg;		/* 0: no MCFG table */
	size_t mcfg_mapped;		/* bytes mapped; 0: the entries' */
	u32 mcfg_len;			/* its length field */
	u64 seg[MAX_SEGS];		/* _SEG values */
	unsigned int nr_seg;
	u32 dt[MAX_SEGS];		/* linux,pci-domain values */
	unsigned int nr_dt;
	u32 max;
	int expect;
	u32 avoided[MAX_SEGS];		/* besides @live: must not be chosen */
	unsigned int nr_avoided;
};

static const struct dom_case dom_cases[] = {
	{ .name = "nothing declared: the wanted domain",
	  .wanted = 0x1234, .live = { 0 }, .nr_live = 1,
	  .max = 0xffff, .expect = 0x1234 },
	{ .name = "an MCFG segment without a bus is avoided",
	  .wanted = 0x1234, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 0, 0x1234 }, .nr_mcfg = 2, .mcfg_len = MCFG_LEN_MAPPED,
	  .max = 0xffff, .expect = 0x1235 },
	{ .name = "the _SEG of an absent host bridge is avoided",
	  .wanted = 0x1234, .live = { 0 }, .nr_live = 1,
	  .seg = { 0x1234 }, .nr_seg = 1,
	  .max = 0xffff, .expect = 0x1235 },
	{ .name = "_SEG's bits above 15 are not the segment",
	  .wanted = 0x1234, .live = { 0 }, .nr_live = 1,
	  .seg = { 0xabcd00001234ULL }, .nr_seg = 1,
	  .max = 0xffff, .expect = 0x1235 },
	{ .name = "a DT linux,pci-domain is avoided",
	  .wanted = 5, .live = { 0 }, .nr_live = 1,
	  .dt = { 5 }, .nr_dt = 1,
	  .max = 0xffff, .expect = 6 },
	{ .name = "every source at once",
	  .wanted = 2, .live = { 0, 1 }, .nr_live = 2,
	  .mcfg = { 2 }, .nr_mcfg = 1, .mcfg_len = MCFG_LEN_MAPPED,
	  .seg = { 3 }, .nr_seg = 1, .dt = { 4 }, .nr_dt = 1,
	  .max = 0xffff, .expect = 5, .avoided = { 2, 3, 4 }, .nr_avoided = 3 },
	{ .name = "a declared 0xffff: the lowest free",
	  .wanted = 0xffff, .live = { 0, 1 }, .nr_live = 2,
	  .seg = { 0xffff, 2 }, .nr_seg = 2,
	  .max = 0xffff, .expect = 3, .avoided = { 0xffff, 2 },
	  .nr_avoided = 2 },
	{ .name = "every domain declared",
	  .wanted = 1, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 1 }, .nr_mcfg = 1, .mcfg_len = MCFG_LEN_MAPPED,
	  .seg = { 2 }, .nr_seg = 1, .dt = { 3 }, .nr_dt = 1,
	  .max = 3, .expect = -ENOSPC },
	{ .name = "MCFG: a partial entry at the end is none",
	  .wanted = 7, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 6, 7 }, .nr_mcfg = 2, .mcfg_mapped = MCFG_HDR + 24,
	  .mcfg_len = MCFG_HDR + 24,
	  .max = 0xffff, .expect = 7, .avoided = { 6 }, .nr_avoided = 1 },
	{ .name = "MCFG: entries past its length field are not read",
	  .wanted = 7, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 6, 7 }, .nr_mcfg = 2, .mcfg_len = MCFG_HDR + MCFG_ENTRY,
	  .max = 0xffff, .expect = 7, .avoided = { 6 }, .nr_avoided = 1 },
	{ .name = "MCFG: a length field past the mapping is not followed",
	  .wanted = 7, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 6, 7 }, .nr_mcfg = 2, .mcfg_mapped = MCFG_HDR + MCFG_ENTRY,
	  .mcfg_len = 0x7fffffff,
	  .max = 0xffff, .expect = 7, .avoided = { 6 }, .nr_avoided = 1 },
	{ .name = "MCFG: a length field shorter than the header: not read",
	  .wanted = 6, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 6 }, .nr_mcfg = 1, .mcfg_len = 36,
	  .seg = { 9 }, .nr_seg = 1,
	  .max = 0xffff, .expect = 6, .avoided = { 9 }, .nr_avoided = 1 },
	{ .name = "MCFG: a mapping shorter than the header: not read",
	  .wanted = 6, .live = { 0 }, .nr_live = 1,
	  .mcfg = { 6 }, .nr_mcfg = 1, .mcfg_mapped = 40,
	  .mcfg_len = MCFG_LEN_MAPPED,
	  .max = 0xffff, .expect = 6 },
};

KUNIT_ARRAY_PARAM_DESC(dom, dom_cases, name);

/* An MCFG table as firmware gives it, its length field as @c says. */
static u8 *mcfg_build(struct kunit *test, const struct dom_case *c,
		      size_t *mapped)
{
	size_t full = MCFG_HDR + c->nr_mcfg * MCFG_ENTRY;
	unsigned int i;
	u8 *tbl, *out;

	tbl = kunit_kzalloc(test, full, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tbl);
	memcpy(tbl, "MCFG", 4);
	for (i = 0; i < c->nr_mcfg; i++) {
		u8 *e = tbl + MCFG_HDR + i * MCFG_ENTRY;

		put_unaligned_le64(0xe0000000ULL + i * SZ_256M, e);
		put_unaligned_le16(c->mcfg[i], e + 8);
		e[11] = 0xff;			/* end bus */
	}
	*mapped = c->mcfg_mapped ? c->mcfg_mapped : full;
	put_unaligned_le32(c->mcfg_len == MCFG_LEN_MAPPED ? *mapped :
			   c->mcfg_len, tbl + 4);
	/* Exactly what is mapped, so that KASAN sees a read past it. */
	out = kunit_kzalloc(test, *mapped, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memcpy(out, tbl, min(*mapped, full));
	return out;
}

static void domain_fw_pick(struct kunit *test)
{
	const struct dom_case *c = test->param_value;
	struct pci_pvbus_fw_segs fw = {
		.seg = (u64 *)c->seg, .nr_seg = c->nr_seg,
		.dt = (u32 *)c->dt, .nr_dt = c->nr_dt,
	};
	struct pci_pvbus_ids taken = {};
	unsigned int i;
	int id;

	if (c->nr_mcfg)
		fw.mcfg = mcfg_build(test, c, &fw.mcfg_len);
	for (i = 0; i < c->nr_live; i++)
		KUNIT_ASSERT_EQ(test, pci_pvbus_add_id(&taken, c->live[i]), 0);

	id = pci_pvbus_pick_domain(c->wanted, &taken, &fw, c->max);
	kfree(taken.id);

	KUNIT_EXPECT_EQ(test, id, c->expect);
	if (id < 0)
		return;
	for (i = 0; i < c->nr_live; i++)
		KUNIT_EXPECT_NE(test, (u32)id, c->live[i]);
	for (i = 0; i < c->nr_avoided; i++)
		KUNIT_EXPECT_NE(test, (u32)id, c->avoided[i]);
}

/* However long an MCFG says it is, at most so many entries are read. */
static void domain_fw_mcfg_bounded(struct kunit *test)
{
	size_t len = MCFG_HDR + (PCI_PVBUS_MAX_FW_SEGS + 5) * MCFG_ENTRY;
	u8 *tbl;

	tbl = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tbl);
	put_unaligned_le32(len, tbl + 4);
	KUNIT_EXPECT_EQ(test, pci_pvbus_mcfg_entries(tbl, len),
			PCI_PVBUS_MAX_FW_SEGS);
	KUNIT_EXPECT_EQ(test, pci_pvbus_mcfg_entries(tbl, MCFG_HDR), 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_mcfg_entries(NULL, 0), -EINVAL);
}

static struct kunit_case pci_pvbus_domain_fw_cases[] = {
	KUNIT_CASE_PARAM(domain_fw_pick, dom_gen_params),
	KUNIT_CASE(domain_fw_mcfg_bounded),
	{}
};

static struct kunit_suite pci_pvbus_domain_fw_suite = {
	.name = "pci_pvbus_domain_fw",
	.test_cases = pci_pvbus_domain_fw_cases,
};

kunit_test_suite(pci_pvbus_domain_fw_suite);

MODULE_DESCRIPTION("KUnit tests for the pci-pvbus domain choice against firmware");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
