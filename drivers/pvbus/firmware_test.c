// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pvbus's MMIO windows: the size@start and u64-cell
 * parsers and the window validator, fed with a fake System RAM map; and
 * pvbus_fw_add_windows() itself, on a device whose firmware node is a
 * software node, adding to a private MMIO space.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/property.h>
#include <linux/pvbus.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "fwfb.h"
#include "fwfb_test.h"
#include "kunit_param.h"

#define GIB4		0x100000000ULL
#define MAX_ADDR	((1ULL << 46) - 1)

/* ---- pvbus_fw_parse_range() ------------------------------------------ */

struct parse_range_case {
	const char *desc;
	const char *s;
	int ret;
	u64 start, size;
};

static const struct parse_range_case parse_range_cases[] = {
	{ "hex start, M suffix", "16M@0xfd000000", 0, 0xfd000000, SZ_16M },
	{ "G suffix, high start", "4G@0x800000000", 0, 0x800000000ULL, SZ_4G },
	{ "plain hex and decimal", "0x1000@4096", 0, 4096, 0x1000 },
	{ "lower-case suffix", "64k@0x10000", 0, 0x10000, SZ_64K },
	{ "suffix on the start", "1M@3G", 0, 3ULL << 30, SZ_1M },
	{ "octal as memparse reads it", "010@0", 0, 0, 8 },
	{ "spaces around the item", "  16M@0xfd000000\n", 0, 0xfd000000,
	  SZ_16M },
	{ "range ending at the top", "0x1000@0xfffffffffffff000", 0,
	  0xfffffffffffff000ULL, 0x1000 },
	{ "empty", "", -EINVAL },
	{ "only spaces", "   ", -EINVAL },
	{ "no @", "16M", -EINVAL },
	{ "no size", "@0xfd000000", -EINVAL },
	{ "no start", "16M@", -EINVAL },
	{ "two @", "16M@@0xfd000000", -EINVAL },
	{ "trailing junk", "16M@0xfd000000x", -EINVAL },
	{ "junk after the suffix", "16MB@0xfd000000", -EINVAL },
	{ "space inside", "16 M@0xfd000000", -EINVAL },
	{ "negative size", "-16M@0xfd000000", -EINVAL },
	{ "0x without digits", "0x@0xfd000000", -EINVAL },
	{ "bad octal digit", "09@0", -EINVAL },
	{ "words", "all@once", -EINVAL },
	{ "size 0", "0@0xfd000000", -EINVAL },
	{ "wraps", "0x2000@0xfffffffffffff000", -EINVAL },
	{ "number over 64 bits", "0x10000000000000000@0", -EINVAL },
	{ "suffix overflows", "16E@0", -EINVAL },
	{ "more than 64 characters",
	  "000000000000000000000000000000000000000000000000000000000016M@0x0",
	  -EINVAL },
	{ "64 characters, octal",
	  "00000000000000000000000000000000000000000000000000000000016M@0x0",
	  0, 0, 14 * SZ_1M },
};

/* "<what>: "<s>"", with newlines escaped so that KTAP stays one line. */
static void parse_range_desc(const struct parse_range_case *c, char *desc)
{
	pvbus_tr_desc(desc, c->desc, c->s);
}

KUNIT_ARRAY_PARAM(parse_range, parse_range_cases, parse_range_desc);

static void pvbus_fw_parse_range_test(struct kunit *test)
{
	const struct parse_range_case *c = test->param_value;
	struct pvbus_range r = { .start = 0x5a5a, .size = 0xa5a5 };
	int ret;

	ret = pvbus_fw_parse_range(c->s, strlen(c->s), &r);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret) {
		/* A refused item leaves the output alone. */
		KUNIT_EXPECT_EQ(test, r.start, 0x5a5aULL);
		KUNIT_EXPECT_EQ(test, r.size, 0xa5a5ULL);
	} else {
		KUNIT_EXPECT_EQ(test, r.start, c->start);
		KUNIT_EXPECT_EQ(test, r.size, c->size);
	}
}

/* The item ends at @len, whatever follows it. */
static void pvbus_fw_parse_range_stops_at_len(struct kunit *test)
{
	const char *s = "16M@0xfd000000,4G@0x800000000";
	struct pvbus_range r;

	KUNIT_ASSERT_EQ(test, pvbus_fw_parse_range(s, 14, &r), 0);
	KUNIT_EXPECT_EQ(test, r.start, 0xfd000000ULL);
	KUNIT_EXPECT_EQ(test, r.size, (u64)SZ_16M);
}

/* ---- pvbus_fw_parse_list() ------------------------------------------- */

#define LIST_MAX	4

struct parse_list_case {
	const char *desc;
	const char *s;
	unsigned int max;
	unsigned int nr;
	struct pvbus_range want[LIST_MAX];
	unsigned int nr_bad;
	const char *bad[LIST_MAX];
	int bad_err[LIST_MAX];
};

static const struct parse_list_case parse_list_cases[] = {
	{ "NULL is no range", NULL, LIST_MAX, 0 },
	{ "empty string is no range", "", LIST_MAX, 0 },
	{ "one range", "16M@0xfd000000", LIST_MAX, 1,
	  { { 0xfd000000, SZ_16M } } },
	{ "two ranges in order", "32M@0xfc000000,4G@0x800000000", LIST_MAX, 2,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G } } },
	{ "empty items are skipped", ",32M@0xfc000000,,", LIST_MAX, 1,
	  { { 0xfc000000, SZ_32M } } },
	{ "items of white space only are skipped",
	  " \t,32M@0xfc000000,\r\n,\v\f", LIST_MAX, 1,
	  { { 0xfc000000, SZ_32M } } },
	{ "a bad item is reported, the rest used",
	  "32M@0xfc000000,junk,4G@0x800000000", LIST_MAX, 2,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G } },
	  1, { "junk" }, { -EINVAL } },
	{ "a wrapping item is reported, the rest used",
	  "0x2000@0xfffffffffffff000,4G@0x800000000", LIST_MAX, 1,
	  { { 0x800000000ULL, SZ_4G } },
	  1, { "0x2000@0xfffffffffffff000" }, { -EINVAL } },
	{ "a wrong separator makes one bad item",
	  "32M@0xfc000000;4G@0x800000000", LIST_MAX, 0, { },
	  1, { "32M@0xfc000000;4G@0x800000000" }, { -EINVAL } },
	{ "items past max are reported as too many",
	  "1M@0,1M@0x100000,1M@0x200000,1M@0x300000", 2, 2,
	  { { 0, SZ_1M }, { 0x100000, SZ_1M } },
	  2, { "1M@0x200000", "1M@0x300000" }, { -E2BIG, -E2BIG } },
	{ "a bad item takes no slot", "junk,1M@0", 1, 1,
	  { { 0, SZ_1M } }, 1, { "junk" }, { -EINVAL } },
};

KUNIT_ARRAY_PARAM_DESC(parse_list, parse_list_cases, desc);

struct bad_log {
	unsigned int nr;
	char item[LIST_MAX][48];
	int err[LIST_MAX];
};

static void record_bad(void *ctx, const char *item, size_t len, int err)
{
	struct bad_log *log = ctx;

	if (log->nr < LIST_MAX) {
		snprintf(log->item[log->nr], sizeof(log->item[0]), "%.*s",
			 (int)len, item);
		log->err[log->nr] = err;
	}
	log->nr++;
}

static void pvbus_fw_parse_list_test(struct kunit *test)
{
	const struct parse_list_case *c = test->param_value;
	struct pvbus_range out[LIST_MAX] = { };
	struct bad_log log = { };
	unsigned int nr, i;

	nr = pvbus_fw_parse_list(c->s, out, c->max, record_bad, &log);
	KUNIT_ASSERT_EQ(test, nr, c->nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, out[i].start, c->want[i].start);
		KUNIT_EXPECT_EQ(test, out[i].size, c->want[i].size);
	}
	/* Nothing is written past max. */
	for (i = c->max; i < LIST_MAX; i++)
		KUNIT_EXPECT_EQ(test, out[i].size, 0ULL);

	KUNIT_ASSERT_EQ(test, log.nr, c->nr_bad);
	for (i = 0; i < log.nr; i++) {
		KUNIT_EXPECT_STREQ(test, log.item[i], c->bad[i]);
		KUNIT_EXPECT_EQ(test, log.err[i], c->bad_err[i]);
	}
}

struct has_item_case {
	const char *desc;
	const char *s;
	bool has;
};

static const struct has_item_case has_item_cases[] = {
	{ "NULL has none", NULL, false },
	{ "empty string has none", "", false },
	{ "commas only have none", ",,", false },
	{ "blanks and commas have none", " \t, \r\n,\v\f", false },
	{ "a range is one", "16M@0xfd000000", true },
	{ "a range after blank items is one", " , ,16M@0xfd000000", true },
	{ "an item that does not parse is one", ",junk,", true },
};

KUNIT_ARRAY_PARAM_DESC(has_item, has_item_cases, desc);

/* pvbus.mmio= of blank items only describes no bus, and makes no root. */
static void pvbus_fw_list_has_item_test(struct kunit *test)
{
	const struct has_item_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pvbus_fw_list_has_item(c->s), c->has);
}

/* Without a report callback bad items are still skipped. */
static void pvbus_fw_parse_list_no_callback(struct kunit *test)
{
	struct pvbus_range out[2];

	KUNIT_EXPECT_EQ(test, pvbus_fw_parse_list("junk,1M@0,x", out, 2,
						  NULL, NULL), 1U);
	KUNIT_EXPECT_EQ(test, out[0].size, (u64)SZ_1M);
}

/* ---- pvbus_fw_parse_cells() ------------------------------------------ */

struct parse_cells_case {
	const char *desc;
	u64 cells[6];
	size_t ncells;
	unsigned int max;
	int ret;
	unsigned int nr_stored;
};

/* What a range of out[] the function did not write reads as. */
#define OUT_UNWRITTEN	0x5a5a5a5a5a5a5a5aULL

static const struct parse_cells_case parse_cells_cases[] = {
	{ "no cells", { }, 0, 2, 0, 0 },
	{ "one pair", { 0xfc000000, SZ_32M }, 2, 2, 1, 1 },
	{ "two pairs", { 0xfc000000, SZ_32M, 0x800000000ULL, SZ_4G }, 4, 2,
	  2, 2 },
	{ "odd count is refused as a whole",
	  { 0xfc000000, SZ_32M, 0x800000000ULL }, 3, 2, -EINVAL, 0 },
	{ "one lone cell is refused", { 0xfc000000 }, 1, 2, -EINVAL, 0 },
	{ "more pairs than max: the first max are stored",
	  { 0xfc000000, SZ_32M, 0x800000000ULL, SZ_4G, 0x900000000ULL,
	    SZ_4G }, 6, 2, -E2BIG, 2 },
	{ "pairs are not checked", { 0, 0 }, 2, 1, 1, 1 },
};

KUNIT_ARRAY_PARAM_DESC(parse_cells, parse_cells_cases, desc);

static void pvbus_fw_parse_cells_test(struct kunit *test)
{
	const struct parse_cells_case *c = test->param_value;
	struct pvbus_range out[3];
	unsigned int i;

	/* Not 0: a range of 0 that was stored differs from none. */
	memset(out, 0x5a, sizeof(out));
	KUNIT_EXPECT_EQ(test, pvbus_fw_parse_cells(c->cells, c->ncells, out,
						   c->max), c->ret);
	for (i = 0; i < c->nr_stored; i++) {
		KUNIT_EXPECT_EQ(test, out[i].start, c->cells[2 * i]);
		KUNIT_EXPECT_EQ(test, out[i].size, c->cells[2 * i + 1]);
	}
	for (; i < ARRAY_SIZE(out); i++)
		KUNIT_EXPECT_EQ(test, out[i].size, OUT_UNWRITTEN);
}

/* ---- pvbus_fw_crs_ranges() ------------------------------------------- */

#define CRS_MEM(s, e)	{ .start = (s), .end = (e), .flags = IORESOURCE_MEM }
#define CRS_WIN(s, e)	{ .start = (s), .end = (e), \
			  .flags = IORESOURCE_MEM | IORESOURCE_WINDOW }

struct crs_case {
	const char *desc;
	struct resource res[5];
	unsigned int n;
	unsigned int max;
	unsigned int ret;
	struct pvbus_range want[3];
};

static const struct crs_case crs_cases[] = {
	{ "no resource", { }, 0, 3, 0 },
	{ "two windows, in order",
	  { CRS_WIN(0xfd000000, 0xfe7fffff), CRS_WIN(0x800000000ULL, 0x8ffffffffULL) },
	  2, 3, 2,
	  { { 0xfd000000, 0x1800000 }, { 0x800000000ULL, SZ_4G } } },
	{ "fixed memory, not a window, counts too",
	  { CRS_MEM(0xfc000000, 0xfcffffff) }, 1, 3, 1,
	  { { 0xfc000000, SZ_16M } } },
	{ "I/O ports, bus numbers and IRQs are skipped",
	  { DEFINE_RES_IO(0x1000, 0x100), DEFINE_RES_IRQ(5),
	    DEFINE_RES_NAMED(0, 256, NULL, IORESOURCE_BUS),
	    CRS_WIN(0xfc000000, 0xfcffffff) }, 4, 3, 1,
	  { { 0xfc000000, SZ_16M } } },
	{ "a disabled (zero-length) range is skipped",
	  { { .start = 0xfc000000, .end = 0xfbffffff,
	      .flags = IORESOURCE_MEM | IORESOURCE_DISABLED },
	    CRS_WIN(0x800000000ULL, 0x8ffffffffULL) }, 2, 3, 1,
	  { { 0x800000000ULL, SZ_4G } } },
	{ "end below start, not disabled: a range that wraps, for the checks",
	  { { .start = 0xfd000000, .end = 0xfc000000, .flags = IORESOURCE_MEM },
	    CRS_WIN(0x800000000ULL, 0x8ffffffffULL) }, 2, 3, 2,
	  { { 0xfd000000, 0xffffffffff000001ULL },
	    { 0x800000000ULL, SZ_4G } } },
	{ "the whole address space: its size wraps to 0, for the checks",
	  { CRS_WIN(0, ~(resource_size_t)0) }, 1, 3, 1, { { 0, 0 } } },
	{ "up to the last address",
	  { CRS_WIN(0xfffffffffffff000ULL, ~(resource_size_t)0) }, 1, 3, 1,
	  { { 0xfffffffffffff000ULL, SZ_4K } } },
	{ "more than max: counted, the first max stored",
	  { CRS_WIN(0x100000000ULL, 0x13fffffffULL),
	    CRS_WIN(0x200000000ULL, 0x23fffffffULL),
	    CRS_WIN(0x300000000ULL, 0x33fffffffULL) }, 3, 2, 3,
	  { { 0x100000000ULL, SZ_1G }, { 0x200000000ULL, SZ_1G } } },
};

KUNIT_ARRAY_PARAM_DESC(crs, crs_cases, desc);

static void pvbus_fw_crs_ranges_test(struct kunit *test)
{
	const struct crs_case *c = test->param_value;
	struct pvbus_range out[4];
	unsigned int i;

	memset(out, 0x5a, sizeof(out));
	KUNIT_ASSERT_LE(test, c->max, ARRAY_SIZE(out));
	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_ranges(c->res, c->n, out, c->max),
			c->ret);
	for (i = 0; i < min(c->ret, c->max); i++) {
		KUNIT_EXPECT_EQ(test, out[i].start, c->want[i].start);
		KUNIT_EXPECT_EQ(test, out[i].size, c->want[i].size);
	}
	/* Nothing is stored past what is counted, nor past max. */
	for (i = min(c->ret, c->max); i < ARRAY_SIZE(out); i++)
		KUNIT_EXPECT_EQ(test, out[i].size, OUT_UNWRITTEN);
}

/* ---- pvbus_fw_check_window() ----------------------------------------- */

/* A fake System RAM map: [0, 3 GiB) and [5 GiB, 7 GiB). */
static const struct pvbus_range fake_ram[] = {
	{ 0, 3ULL << 30 },
	{ 5ULL << 30, SZ_2G },
};

struct ram_ctx {
	unsigned int calls;
};

static bool fake_is_ram(u64 start, u64 size, void *data)
{
	struct ram_ctx *ctx = data;
	u64 end = start + size - 1;
	unsigned int i;

	if (ctx)
		ctx->calls++;
	for (i = 0; i < ARRAY_SIZE(fake_ram); i++)
		if (start <= fake_ram[i].start + fake_ram[i].size - 1 &&
		    fake_ram[i].start <= end)
			return true;
	return false;
}

/* Windows accepted before the candidate: disjoint, all above 8 GiB. */
static const struct pvbus_range prev_windows[PVBUS_MAX_WINDOWS] = {
	{ 0x200000000ULL, SZ_1G },
	{ 0x300000000ULL, SZ_1G },
	{ 0x400000000ULL, SZ_1G },
	{ 0x500000000ULL, SZ_1G },
	{ 0x600000000ULL, SZ_1G },
	{ 0x700000000ULL, SZ_1G },
	{ 0x800000000ULL, SZ_1G },
	{ 0x900000000ULL, SZ_1G },
};

struct check_window_case {
	const char *desc;
	struct pvbus_range win;
	unsigned int nr_prev;
	enum pvbus_fw_verdict v;
};

static const struct check_window_case check_window_cases[] = {
	{ "low window", { 0xfc000000, SZ_32M }, 1, PVBUS_FW_OK },
	{ "high window", { 0x1000000000ULL, SZ_4G }, 1, PVBUS_FW_OK },
	{ "window straddling 4 GiB", { 0xf0000000, SZ_512M }, 1,
	  PVBUS_FW_OK },
	{ "4 KiB window", { 0xfc000000, SZ_4K }, 1, PVBUS_FW_OK },
	{ "window ending at max_addr", { MAX_ADDR + 1 - SZ_1G, SZ_1G }, 1,
	  PVBUS_FW_OK },
	{ "size 0", { 0xfc000000, 0 }, 1, PVBUS_FW_EMPTY },
	{ "wraps", { 0xfffffffffffff000ULL, SZ_8K }, 1, PVBUS_FW_WRAP },
	{ "smaller than 4 KiB", { 0xfc000000, 0x800 }, 1, PVBUS_FW_SMALL },
	{ "start not 4 KiB aligned", { 0xfc000800, SZ_32M }, 1,
	  PVBUS_FW_UNALIGNED },
	{ "size not 4 KiB aligned", { 0xfc000000, SZ_32M + 0x800 }, 1,
	  PVBUS_FW_UNALIGNED },
	{ "beyond max_addr", { MAX_ADDR + 1, SZ_1G }, 1, PVBUS_FW_BEYOND },
	{ "ends one page past max_addr", { MAX_ADDR + 1 - SZ_1G, SZ_1G + SZ_4K },
	  1, PVBUS_FW_BEYOND },
	{ "same as an earlier window", { 0x200000000ULL, SZ_1G }, 1,
	  PVBUS_FW_OVERLAP },
	{ "overlaps the end of an earlier window",
	  { 0x23ffff000ULL, SZ_8K }, 1, PVBUS_FW_OVERLAP },
	{ "inside an earlier window", { 0x210000000ULL, SZ_4K }, 1,
	  PVBUS_FW_OVERLAP },
	{ "adjacent to an earlier window", { 0x240000000ULL, SZ_1G }, 1,
	  PVBUS_FW_OK },
	{ "overlaps the last of eight earlier windows",
	  { 0x93ffff000ULL, SZ_8K }, PVBUS_MAX_WINDOWS, PVBUS_FW_OVERLAP },
	{ "over low RAM", { 0x80000000, SZ_32M }, 1, PVBUS_FW_RAM },
	{ "ends in low RAM", { 0xbf000000, SZ_32M }, 1, PVBUS_FW_RAM },
	{ "ends in high RAM", { 0x13f000000ULL, SZ_32M }, 1, PVBUS_FW_RAM },
	{ "covers all of high RAM", { 0xf0000000, SZ_4G }, 1, PVBUS_FW_RAM },
	{ "right after low RAM", { 0xc0000000, SZ_32M }, 1, PVBUS_FW_OK },
	{ "ninth window", { 0xfc000000, SZ_32M }, PVBUS_MAX_WINDOWS,
	  PVBUS_FW_TOO_MANY },
	{ "eighth window", { 0xfc000000, SZ_32M }, PVBUS_MAX_WINDOWS - 1,
	  PVBUS_FW_OK },
};

KUNIT_ARRAY_PARAM_DESC(check_window, check_window_cases, desc);

static void pvbus_fw_check_window_test(struct kunit *test)
{
	const struct check_window_case *c = test->param_value;
	enum pvbus_fw_verdict v;

	v = pvbus_fw_check_window(&c->win, prev_windows, c->nr_prev, MAX_ADDR,
				  fake_is_ram, NULL);
	KUNIT_EXPECT_EQ_MSG(test, v, c->v, "got \"%s\", want \"%s\"",
			    pvbus_fw_verdict_str(v), pvbus_fw_verdict_str(c->v));
}

/* A window refused before the RAM check never reaches the callback. */
static void pvbus_fw_check_window_ram_last(struct kunit *test)
{
	const struct pvbus_range bad = { 0x80000800, SZ_32M };
	const struct pvbus_range good = { 0xfc000000, SZ_32M };
	struct ram_ctx ctx = { };

	KUNIT_EXPECT_EQ(test, pvbus_fw_check_window(&bad, NULL, 0, MAX_ADDR,
						    fake_is_ram, &ctx),
			PVBUS_FW_UNALIGNED);
	KUNIT_EXPECT_EQ(test, ctx.calls, 0U);

	KUNIT_EXPECT_EQ(test, pvbus_fw_check_window(&good, NULL, 0, MAX_ADDR,
						    fake_is_ram, &ctx),
			PVBUS_FW_OK);
	KUNIT_EXPECT_EQ(test, ctx.calls, 1U);
}

/* ---- pvbus_fw_check_range(), pvbus_fw_zone(), verdict strings -------- */

struct check_range_case {
	const char *desc;
	struct pvbus_range r;
	enum pvbus_fw_verdict v;
};

static const struct check_range_case check_range_cases[] = {
	{ "one byte", { 0xfd000000, 1 }, PVBUS_FW_OK },
	{ "unaligned is fine", { 0xfd000800, 0x801 }, PVBUS_FW_OK },
	{ "up to the last address", { 0, U64_MAX }, PVBUS_FW_OK },
	{ "last byte", { U64_MAX, 1 }, PVBUS_FW_OK },
	{ "size 0", { 0xfd000000, 0 }, PVBUS_FW_EMPTY },
	{ "wraps by one byte", { U64_MAX, 2 }, PVBUS_FW_WRAP },
	{ "from 1 up to the last address", { 1, U64_MAX }, PVBUS_FW_OK },
	{ "from 2, one byte too long", { 2, U64_MAX }, PVBUS_FW_WRAP },
};

KUNIT_ARRAY_PARAM_DESC(check_range, check_range_cases, desc);

static void pvbus_fw_check_range_test(struct kunit *test)
{
	const struct check_range_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pvbus_fw_check_range(&c->r), c->v);
}

struct zone_case {
	const char *desc;
	struct pvbus_range r;
	const char *zone;
};

static const struct zone_case zone_cases[] = {
	{ "below 4 GiB", { 0xfc000000, SZ_32M }, "low" },
	{ "ending at 4 GiB - 1", { 0xfe000000, SZ_32M }, "low" },
	{ "starting at 4 GiB", { GIB4, SZ_4K }, "high" },
	{ "far above", { 0x800000000ULL, SZ_4G }, "high" },
	{ "straddling 4 GiB", { 0xfe000000, SZ_64M }, "low+high" },
};

KUNIT_ARRAY_PARAM_DESC(zone, zone_cases, desc);

static void pvbus_fw_zone_test(struct kunit *test)
{
	const struct zone_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, pvbus_fw_zone(&c->r), c->zone);
}

/* Every verdict has its own phrase; unknown ones do not crash. */
static void pvbus_fw_verdict_str_distinct(struct kunit *test)
{
	enum pvbus_fw_verdict a, b;

	for (a = PVBUS_FW_OK; a <= PVBUS_FW_OLD_RAM; a++) {
		KUNIT_EXPECT_STRNEQ(test, pvbus_fw_verdict_str(a), "invalid");
		for (b = PVBUS_FW_OK; b < a; b++)
			KUNIT_EXPECT_STRNEQ(test, pvbus_fw_verdict_str(a),
					    pvbus_fw_verdict_str(b));
	}
	KUNIT_EXPECT_STREQ(test, pvbus_fw_verdict_str(PVBUS_FW_OLD_RAM + 1),
			   "invalid");
}

/* ---- the crashed kernel's RAM, from the kdump kernel's ELF core header -- */

struct elfcore_case {
	const char *desc;
	char mag1;
	u8 class;
	u16 type, phentsize, phnum;
	u64 phoff;
	size_t cut;		/* bytes of the header read, if not all */
	int ret;
};

#define EH	sizeof(struct elf64_hdr)
#define PH	sizeof(struct elf64_phdr)
#define EH32	sizeof(struct elf32_hdr)
#define PH32	sizeof(struct elf32_phdr)

static const struct elfcore_case elfcore_cases[] = {
	{ "valid", ELFMAG1, ELFCLASS64, ET_CORE, PH, 3, EH, 0, 0 },
	{ "most program headers", ELFMAG1, ELFCLASS64, ET_CORE, PH,
	  PVBUS_FW_MAX_PHDRS, EH, 0, 0 },
	{ "bad magic", 'X', ELFCLASS64, ET_CORE, PH, 3, EH, 0, -EINVAL },
	{ "no class", ELFMAG1, ELFCLASSNONE, ET_CORE, PH, 3, EH, 0, -EINVAL },
	{ "not a core file", ELFMAG1, ELFCLASS64, ET_EXEC, PH, 3, EH, 0,
	  -EINVAL },
	{ "program header size wrong", ELFMAG1, ELFCLASS64, ET_CORE, 32, 3,
	  EH, 0, -EINVAL },
	{ "no program header", ELFMAG1, ELFCLASS64, ET_CORE, PH, 0, EH, 0,
	  -EINVAL },
	{ "more program headers than are read: the first ones", ELFMAG1,
	  ELFCLASS64, ET_CORE, PH, PVBUS_FW_MAX_PHDRS + 1, EH, 0, 0 },
	{ "PN_XNUM program headers: the first ones", ELFMAG1, ELFCLASS64,
	  ET_CORE, PH, PN_XNUM, EH, 0, 0 },
	{ "program headers inside the ELF header", ELFMAG1, ELFCLASS64,
	  ET_CORE, PH, 3, 8, 0, -EINVAL },
	{ "program headers far away", ELFMAG1, ELFCLASS64, ET_CORE, PH, 3,
	  U64_MAX - 8, 0, -EINVAL },
	{ "header cut short", ELFMAG1, ELFCLASS64, ET_CORE, PH, 3, EH,
	  EH - 1, -EINVAL },
	{ "32-bit, valid", ELFMAG1, ELFCLASS32, ET_CORE, PH32, 3, EH32, 0, 0 },
	{ "32-bit, most program headers", ELFMAG1, ELFCLASS32, ET_CORE, PH32,
	  PVBUS_FW_MAX_PHDRS, EH32, 0, 0 },
	{ "32-bit, not a core file", ELFMAG1, ELFCLASS32, ET_EXEC, PH32, 3,
	  EH32, 0, -EINVAL },
	{ "32-bit, 64-bit program headers", ELFMAG1, ELFCLASS32, ET_CORE, PH,
	  3, EH32, 0, -EINVAL },
	{ "32-bit, more program headers than are read: the first ones",
	  ELFMAG1, ELFCLASS32, ET_CORE, PH32, PVBUS_FW_MAX_PHDRS + 1, EH32, 0,
	  0 },
	{ "32-bit, program headers inside the ELF header", ELFMAG1,
	  ELFCLASS32, ET_CORE, PH32, 3, 8, 0, -EINVAL },
	{ "32-bit, program headers far away", ELFMAG1, ELFCLASS32, ET_CORE,
	  PH32, 3, U32_MAX - 8, 0, -EINVAL },
	{ "32-bit, header cut short", ELFMAG1, ELFCLASS32, ET_CORE, PH32, 3,
	  EH32, EH32 - 1, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(elfcore, elfcore_cases, desc);

/*
 * The ELF core header of a kdump kernel, of either class, is checked
 * before its program headers are read, and bounds how many there are.
 * A 32-bit one (kexec --elf32-core-headers) used to be refused: its
 * windows were not checked against the crashed kernel's RAM.
 */
static void pvbus_fw_elfcore_phdrs_test(struct kunit *test)
{
	const struct elfcore_case *c = test->param_value;
	union {
		struct elf64_hdr e64;
		struct elf32_hdr e32;
	} eh = { };
	struct pvbus_fw_elfcore core = { };

	if (c->class == ELFCLASS32) {
		eh.e32.e_type = c->type;
		eh.e32.e_phoff = c->phoff;
		eh.e32.e_phentsize = c->phentsize;
		eh.e32.e_phnum = c->phnum;
	} else {
		eh.e64.e_type = c->type;
		eh.e64.e_phoff = c->phoff;
		eh.e64.e_phentsize = c->phentsize;
		eh.e64.e_phnum = c->phnum;
	}
	memcpy(eh.e64.e_ident, ELFMAG, SELFMAG);
	eh.e64.e_ident[EI_MAG1] = c->mag1;
	eh.e64.e_ident[EI_CLASS] = c->class;

	/* As /proc/vmcore is read: 64 bytes, whatever the class. */
	KUNIT_EXPECT_EQ(test, pvbus_fw_elfcore_phdrs(&eh, c->cut ?: sizeof(eh),
						     &core), c->ret);
	if (!c->ret) {
		unsigned int phnum = min_t(unsigned int, c->phnum,
					   PVBUS_FW_MAX_PHDRS);

		KUNIT_EXPECT_EQ(test, core.class, c->class);
		KUNIT_EXPECT_EQ(test, core.phoff, c->phoff);
		KUNIT_EXPECT_EQ(test, core.listed, (unsigned int)c->phnum);
		KUNIT_EXPECT_EQ(test, core.phnum, phnum);
		KUNIT_EXPECT_EQ(test, core.len, phnum * (size_t)c->phentsize);
	}
}

/* A crashed kernel's memory: RAM at 1 GiB, a note, RAM that wraps. */
static const struct elf64_phdr old_phdrs[] = {
	{ .p_type = PT_NOTE, .p_paddr = 0x800000000ULL, .p_memsz = SZ_1G },
	{ .p_type = PT_LOAD, .p_paddr = SZ_1G, .p_memsz = SZ_1G },
	{ .p_type = PT_LOAD, .p_paddr = 0x900000000ULL, .p_memsz = 0 },
	{ .p_type = PT_LOAD, .p_paddr = U64_MAX - SZ_4K + 1,
	  .p_memsz = SZ_8K },
};

/* The same in 32-bit headers, the last RAM across 4 GiB. */
static const struct elf32_phdr old_phdrs32[] = {
	{ .p_type = PT_NOTE, .p_paddr = 0x80000000U, .p_memsz = SZ_1G },
	{ .p_type = PT_LOAD, .p_paddr = SZ_1G, .p_memsz = SZ_1G },
	{ .p_type = PT_LOAD, .p_paddr = 0x90000000U, .p_memsz = 0 },
	{ .p_type = PT_LOAD, .p_paddr = 0xfff00000U, .p_memsz = SZ_2M },
};

struct elfcore_ram_case {
	const char *desc;
	struct pvbus_fw_elfcore core;
	const void *ph;
	struct pvbus_range ram[2];
};

static const struct elfcore_ram_case elfcore_ram_cases[] = {
	{ "64-bit", { ELFCLASS64, EH, ARRAY_SIZE(old_phdrs), sizeof(old_phdrs) },
	  old_phdrs,
	  { { SZ_1G, SZ_1G }, { U64_MAX - SZ_4K + 1, SZ_4K } } },
	{ "32-bit", { ELFCLASS32, EH32, ARRAY_SIZE(old_phdrs32),
		      sizeof(old_phdrs32) },
	  old_phdrs32,
	  { { SZ_1G, SZ_1G }, { 0xfff00000ULL, SZ_2M } } },
};

KUNIT_ARRAY_PARAM_DESC(elfcore_ram, elfcore_ram_cases, desc);

/*
 * The PT_LOAD headers are the crashed kernel's RAM: notes and empty ones
 * are not, and one that wraps is cut at the end of the address space.
 */
static void pvbus_fw_elfcore_ram_test(struct kunit *test)
{
	const struct elfcore_ram_case *c = test->param_value;
	struct pvbus_range out[ARRAY_SIZE(old_phdrs)] = { };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pvbus_fw_elfcore_ram(&c->core, c->ph, out), 2U);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, out[i].start, c->ram[i].start);
		KUNIT_EXPECT_EQ(test, out[i].size, c->ram[i].size);
		KUNIT_EXPECT_EQ(test, pvbus_fw_check_range(&out[i]),
				PVBUS_FW_OK);
	}
}

/* ---- pvbus_fw_add_windows() on a device with firmware properties ----- */

/* A root whose device's firmware node is @node, with a private space. */
static struct pvbus_root *fw_root(struct kunit *test,
				  const struct software_node *node)
{
	return pvbus_tr_root(test, node, "pvbus_fw_test");
}

/* How many lines of the space's map start with @what. */
static unsigned int map_lines(struct kunit *test,
			      struct pvbus_mmio_space *space, const char *what)
{
	unsigned int n = 0;
	char *line, *next;

	for (line = pvbus_tr_map(test, space); *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			next++;
		if (!strncmp(line, what, strlen(what)))
			n++;
	}
	return n;
}

#define WIN_NODE(name, ...)						\
	static const u64 name##_cells[] = { __VA_ARGS__ };		\
	static const struct property_entry name##_props[] = {		\
		PROPERTY_ENTRY_U64_ARRAY("mmio-windows", name##_cells),	\
		{ }							\
	};								\
	static const struct software_node name = {			\
		.properties = name##_props,				\
	}

WIN_NODE(two_windows, 0xfc000000, SZ_32M, 0x800000000ULL, SZ_4G);
WIN_NODE(some_bad, 0xfc000000, SZ_32M, 0xfd000000, SZ_4K,
	 0x900000000ULL, 0x800, 0x1000000000ULL, 0, 0xa00000000ULL, SZ_1G);
WIN_NODE(odd_cells, 0xfc000000, SZ_32M, 0x800000000ULL);
WIN_NODE(only_bad, 0xfc000800, SZ_32M);
WIN_NODE(ten_windows,
	 0x100000000ULL, SZ_1G, 0x200000000ULL, SZ_1G, 0x300000000ULL, SZ_1G,
	 0x400000000ULL, SZ_1G, 0x500000000ULL, SZ_1G, 0x600000000ULL, SZ_1G,
	 0x700000000ULL, SZ_1G, 0x800000000ULL, SZ_1G, 0x900000000ULL, SZ_1G,
	 0xa00000000ULL, SZ_1G);
WIN_NODE(two_bad_nine,
	 0x100000000ULL, SZ_2K, 0x200000000ULL, SZ_2K,
	 0x300000000ULL, SZ_1G, 0x400000000ULL, SZ_1G, 0x500000000ULL, SZ_1G,
	 0x600000000ULL, SZ_1G, 0x700000000ULL, SZ_1G, 0x800000000ULL, SZ_1G,
	 0x900000000ULL, SZ_1G, 0xa00000000ULL, SZ_1G, 0xb00000000ULL, SZ_1G);

/*
 * 130 pairs, 260 cells, all of one window but the last that is read and
 * the first that is not: more than a property is read in full.  Filled by
 * the suite's init.
 */
static u64 many_cells_cells[260];
static const struct property_entry many_cells_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", many_cells_cells),
	{ }
};

static const struct software_node many_cells = {
	.properties = many_cells_props,
};

static const struct software_node no_props_node = { };

/* "mmio-windows" there but empty: a DT boolean, or an empty _DSD package. */
static const struct property_entry empty_prop_props[] = {
	PROPERTY_ENTRY_BOOL("mmio-windows"),
	{ }
};

static const struct software_node empty_prop_node = {
	.properties = empty_prop_props,
};

struct read_ranges_case {
	const char *desc;
	const struct software_node *node;
	unsigned int max;
	int ret;
	u64 first;
};

static const struct read_ranges_case read_ranges_cases[] = {
	{ "no property: no range", &no_props_node, 8, 0, 0 },
	{ "an empty property: refused", &empty_prop_node, 8, -EINVAL, 0 },
	{ "an odd number of cells: refused", &odd_cells, 8, -EINVAL, 0 },
	{ "two pairs: both", &two_windows, 8, 2, 0xfc000000 },
	{ "two pairs, room for one: the first", &two_windows, 1, 1,
	  0xfc000000 },
};

KUNIT_ARRAY_PARAM_DESC(read_ranges, read_ranges_cases, desc);

/* A property that is there but refused is told apart from none. */
static void pvbus_fw_read_ranges_test(struct kunit *test)
{
	const struct read_ranges_case *c = test->param_value;
	struct pvbus_root *root = fw_root(test, c->node);
	struct pvbus_range out[8] = { };

	KUNIT_ASSERT_EQ(test, pvbus_fw_read_ranges(root->dev, "mmio-windows",
						   out, c->max), c->ret);
	KUNIT_EXPECT_EQ(test, out[0].start, c->first);
}

struct add_windows_case {
	const char *desc;
	const struct software_node *node;
	const char *mmio;
	int ret;
	unsigned int nr;
	struct pvbus_range want[3];
};

/* One pvbus.mmio= window four times: the first taken, the rest refused. */
#define SAME_WINDOW_4 \
	"32M@0xfc000000,32M@0xfc000000,32M@0xfc000000,32M@0xfc000000,"

static const struct add_windows_case add_windows_cases[] = {
	{ "two good windows, both added", &two_windows, NULL, 0, 2,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G } } },
	{ "bad windows refused, the rest added", &some_bad, NULL, 0, 2,
	  { { 0xfc000000, SZ_32M }, { 0xa00000000ULL, SZ_1G } } },
	{ "more than eight windows: the first eight", &ten_windows, NULL, 0,
	  PVBUS_MAX_WINDOWS, { { 0x100000000ULL, SZ_1G },
			       { 0x200000000ULL, SZ_1G },
			       { 0x300000000ULL, SZ_1G } } },
	{ "two refused, then nine: the first eight of the nine",
	  &two_bad_nine, NULL, 0, PVBUS_MAX_WINDOWS,
	  { { 0x300000000ULL, SZ_1G }, { 0x400000000ULL, SZ_1G },
	    { 0x500000000ULL, SZ_1G } } },
	{ "more than 128 cells: the 64th pair read, not the 65th",
	  &many_cells, NULL, 0, 2,
	  { { 0x100000000ULL, SZ_1G }, { 0x200000000ULL, SZ_1G } } },
	{ "odd number of cells: no window", &odd_cells, NULL, -ENODEV, 0 },
	{ "only bad windows: no window", &only_bad, NULL, -ENODEV, 0 },
	{ "no property: no window", &no_props_node, NULL, -ENODEV, 0 },
	{ "an empty property refused, pvbus.mmio= still added",
	  &empty_prop_node, "32M@0xfc000000", 0, 1,
	  { { 0xfc000000, SZ_32M } } },
	{ "pvbus.mmio= without firmware", &no_props_node,
	  "32M@0xfc000000,4G@0x800000000", 0, 2,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G } } },
	{ "firmware first, then pvbus.mmio=, checked against it",
	  &two_windows, "16M@0xfd000000,1G@0x900000000", 0, 3,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G },
	    { 0x900000000ULL, SZ_1G } } },
	{ "a bad pvbus.mmio= item skipped, the rest added", &no_props_node,
	  "junk,32M@0xfc000000", 0, 1, { { 0xfc000000, SZ_32M } } },
	{ "pvbus.mmio= items refused take no window's place", &no_props_node,
	  SAME_WINDOW_4 SAME_WINDOW_4 "3K@0xe0000000,64M@0xf0000000", 0, 2,
	  { { 0xfc000000, SZ_32M }, { 0xf0000000, SZ_64M } } },
	{ "pvbus.mmio= past the eighth window refused", &ten_windows,
	  "32M@0xfc000000", 0, PVBUS_MAX_WINDOWS,
	  { { 0x100000000ULL, SZ_1G }, { 0x200000000ULL, SZ_1G },
	    { 0x300000000ULL, SZ_1G } } },
};

KUNIT_ARRAY_PARAM_DESC(add_windows, add_windows_cases, desc);

static void pvbus_fw_add_windows_test(struct kunit *test)
{
	const struct add_windows_case *c = test->param_value;
	struct pvbus_root *root = fw_root(test, c->node);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, __pvbus_fw_add_windows(root, c->mmio), c->ret);
	KUNIT_ASSERT_EQ(test, root->nr_windows, c->nr);
	for (i = 0; i < min_t(unsigned int, c->nr, ARRAY_SIZE(c->want));
	     i++) {
		KUNIT_EXPECT_EQ(test, root->windows[i].start, c->want[i].start);
		KUNIT_EXPECT_EQ(test, root->windows[i].size, c->want[i].size);
	}
	/* What is recorded is what the space has. */
	KUNIT_EXPECT_EQ(test, map_lines(test, root->space, "window "), c->nr);
}

/* The crashed kernel's RAM, as a kdump kernel reads it from its core. */
static const struct pvbus_range old_ram[] = {
	{ 0, SZ_2G },
	{ 0x800000000ULL + SZ_1G, SZ_1G },
};

struct kdump_case {
	const char *desc;
	const struct pvbus_range *old_ram;
	unsigned int nr_old_ram;
	unsigned int nr;
	struct pvbus_range want;
};

static const struct kdump_case kdump_cases[] = {
	{ "no core: both windows", NULL, 0, 2,
	  { 0xfc000000, SZ_32M } },
	{ "the high window over the crashed kernel's RAM is refused",
	  old_ram, ARRAY_SIZE(old_ram), 1, { 0xfc000000, SZ_32M } },
	{ "RAM below both windows: both", old_ram, 1, 2,
	  { 0xfc000000, SZ_32M } },
};

KUNIT_ARRAY_PARAM_DESC(kdump, kdump_cases, desc);

/*
 * In a kdump kernel the crashed kernel's RAM is not System RAM: iomem
 * shows nothing there.  A window over it is refused; the others are used.
 */
static void pvbus_fw_add_windows_kdump_test(struct kunit *test)
{
	const struct kdump_case *c = test->param_value;
	struct pvbus_root *root = fw_root(test, &two_windows);

	KUNIT_EXPECT_EQ(test, __pvbus_fw_add_windows_kdump(root, NULL,
							   c->old_ram,
							   c->nr_old_ram), 0);
	KUNIT_ASSERT_EQ(test, root->nr_windows, c->nr);
	KUNIT_EXPECT_EQ(test, root->windows[0].start, c->want.start);
	KUNIT_EXPECT_EQ(test, root->windows[0].size, c->want.size);
	KUNIT_EXPECT_EQ(test, map_lines(test, root->space, "window "), c->nr);
}

/* The _CRS of a module device, as ACPI decodes it. */
static const struct resource crs_windows[] = {
	DEFINE_RES_IRQ(5),
	CRS_WIN(0xfc000000, 0xfdffffff),
	{ .start = 0xfe000000, .end = 0xfd000000, .flags = IORESOURCE_MEM },
	CRS_WIN(0, ~(resource_size_t)0),
	CRS_WIN(0x800000000ULL, 0x8ffffffffULL),
};

struct crs_add_case {
	const char *desc;
	const struct software_node *node;
	const char *mmio;
	unsigned int nr;
	struct pvbus_range want[3];
};

static const struct crs_add_case crs_add_cases[] = {
	{ "_CRS alone", &no_props_node, NULL, 2,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G } } },
	{ "_CRS first, then _DSD, checked against it", &some_bad, NULL, 3,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G },
	    { 0xa00000000ULL, SZ_1G } } },
	{ "_CRS, then pvbus.mmio=", &no_props_node, "1G@0x900000000", 3,
	  { { 0xfc000000, SZ_32M }, { 0x800000000ULL, SZ_4G },
	    { 0x900000000ULL, SZ_1G } } },
};

KUNIT_ARRAY_PARAM_DESC(crs_add, crs_add_cases, desc);

static void pvbus_fw_add_windows_crs_test(struct kunit *test)
{
	const struct crs_add_case *c = test->param_value;
	struct pvbus_root *root = fw_root(test, c->node);
	unsigned int i;
	int ret;

	ret = __pvbus_fw_add_windows_crs(root, crs_windows,
					 ARRAY_SIZE(crs_windows), c->mmio,
					 NULL, 0);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, root->nr_windows, c->nr);
	for (i = 0; i < c->nr; i++) {
		KUNIT_EXPECT_EQ(test, root->windows[i].start, c->want[i].start);
		KUNIT_EXPECT_EQ(test, root->windows[i].size, c->want[i].size);
	}
	KUNIT_EXPECT_EQ(test, map_lines(test, root->space, "window "), c->nr);
}

/*
 * A _CRS of more memory ranges than windows: the first eight it takes,
 * after @refused ranges it refuses (2 KiB: too small), which take no
 * window's place.
 */
struct crs_too_many_case {
	const char *desc;
	unsigned int refused, nr;
};

static const struct crs_too_many_case crs_too_many_cases[] = {
	{ "eleven ranges: the first eight", 0, 11 },
	{ "two refused, then nine: the first eight of the nine", 2, 11 },
	{ "eight refused, then nine: the first eight of the nine", 8, 17 },
};

KUNIT_ARRAY_PARAM_DESC(crs_too_many, crs_too_many_cases, desc);

static void pvbus_fw_add_windows_crs_too_many(struct kunit *test)
{
	const struct crs_too_many_case *c = test->param_value;
	struct pvbus_root *root = fw_root(test, &no_props_node);
	unsigned int i, n = c->nr;
	struct resource *res;

	res = kunit_kcalloc(test, n, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	for (i = 0; i < n; i++) {
		res[i].start = (i + 1ULL) << 32;
		res[i].end = res[i].start + (i < c->refused ? SZ_2K : SZ_1G) - 1;
		res[i].flags = IORESOURCE_MEM;
	}
	KUNIT_EXPECT_EQ(test, __pvbus_fw_add_windows_crs(root, res, n, NULL,
							 NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, root->nr_windows, PVBUS_MAX_WINDOWS);
	KUNIT_EXPECT_EQ(test, root->windows[0].start,
			(c->refused + 1ULL) << 32);
	KUNIT_EXPECT_EQ(test, root->windows[PVBUS_MAX_WINDOWS - 1].start,
			(u64)(c->refused + PVBUS_MAX_WINDOWS) << 32);
}

/* ---- pvbus_fw_crs_decode(): a _CRS as ACPICA returns it ---------------- */

#define RS_MEM24	ACPI_RESOURCE_TYPE_MEMORY24
#define RS_MEM32	ACPI_RESOURCE_TYPE_MEMORY32
#define RS_FIXED32	ACPI_RESOURCE_TYPE_FIXED_MEMORY32
#define RS_WORD		ACPI_RESOURCE_TYPE_ADDRESS16
#define RS_QWORD	ACPI_RESOURCE_TYPE_ADDRESS64
#define RS_DWORD	ACPI_RESOURCE_TYPE_ADDRESS32
#define RS_EXT		ACPI_RESOURCE_TYPE_EXTENDED_ADDRESS64
#define RS_IRQ		ACPI_RESOURCE_TYPE_IRQ
#define RS_END		ACPI_RESOURCE_TYPE_END_TAG
#define RS_LEN_TYPE	0	/* the record as long as its type */

/* One record: for memory descriptors @min is the start, @len the length. */
struct rs_rec {
	u32 type;
	u32 rlen;		/* RS_LEN_TYPE, or this */
	u8 space;		/* address descriptors: ACPI_*_RANGE */
	u8 pc;			/* ACPI_PRODUCER or ACPI_CONSUMER */
	u64 min, max, off, len;
};

#define RS_QMEM(mn, mx, o, l) \
	{ .type = RS_QWORD, .space = ACPI_MEMORY_RANGE, .pc = ACPI_PRODUCER, \
	  .min = (mn), .max = (mx), .off = (o), .len = (l) }

struct crs_decode_case {
	const char *desc;
	struct rs_rec rec[3];
	unsigned int nr;
	bool no_end;
	int n;
	unsigned int bad;
	bool malformed;
	resource_size_t start, end;	/* of the first resource */
	unsigned long flags;
	unsigned int disabled;
};

#define F_WIN	(IORESOURCE_MEM | IORESOURCE_WINDOW)

static const struct crs_decode_case crs_decode_cases[] = {
	{ "QWordMemory producer: [min, max], a window",
	  { RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0x1800000) }, 1, false,
	  1, 0, false, 0xfd000000, 0xfe7fffff, F_WIN },
	{ "a producer's translation offset is added",
	  { RS_QMEM(0x1000, 0x1fff, 0x800000000ULL, 0x1000) }, 1, false,
	  1, 0, false, 0x800001000ULL, 0x800001fffULL, F_WIN },
	{ "a consumer's translation offset is ignored",
	  { { .type = RS_DWORD, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_CONSUMER, .min = 0xc0000000, .max = 0xc0ffffff,
	      .off = 0x10000000, .len = SZ_16M } }, 1, false,
	  1, 0, false, 0xc0000000, 0xc0ffffff, IORESOURCE_MEM },
	{ "ExtendedMemory is read as QWordMemory",
	  { { .type = RS_EXT, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_PRODUCER, .min = 0x900000000ULL,
	      .max = 0x9ffffffffULL, .len = SZ_4G } }, 1, false,
	  1, 0, false, 0x900000000ULL, 0x9ffffffffULL, F_WIN },
	{ "a length of 0: disabled, counted, not kept (as the core keeps none)",
	  { RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0) }, 1, false,
	  0, 0, false, .disabled = 1 },
	{ "Memory32 of length 0: disabled, not kept",
	  { { .type = RS_MEM32, .min = 0xfc000000 },
	    { .type = RS_FIXED32, .min = 0xfed40000, .len = 0x5000 } }, 2,
	  false, 1, 0, false, 0xfed40000, 0xfed44fff, IORESOURCE_MEM,
	  .disabled = 1 },
	{ "a length that is not the range's size: [min, max], as the core reads it",
	  { RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0x1000),
	    RS_QMEM(0x800000000ULL, 0x8ffffffffULL, 0, SZ_4G) }, 2, false,
	  2, 0, false, 0xfd000000, 0xfe7fffff, F_WIN },
	{ "ends below its start: refused",
	  { RS_QMEM(0xfe000000, 0xfd000000, 0, 0x1000) }, 1, false,
	  0, 1, false },
	{ "the whole address space: decoded (the window checks refuse it)",
	  { RS_QMEM(0, U64_MAX, 0, U64_MAX) }, 1, false,
	  1, 0, false, 0, U64_MAX, F_WIN },
	/*
	 * The offset is added modulo 2^64, as acpi_decode_space() adds it:
	 * an offset "below 0" (two's complement) moves a range down.
	 */
	{ "a producer's negative offset moves the range down",
	  { RS_QMEM(0x8c0000000ULL, 0x8cfffffffULL, -0x800000000ULL,
		    SZ_256M) }, 1, false,
	  1, 0, false, 0xc0000000, 0xcfffffff, F_WIN },
	{ "ExtendedMemory: a negative offset moves the range down",
	  { { .type = RS_EXT, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_PRODUCER, .min = 0x1900000000ULL,
	      .max = 0x19ffffffffULL, .off = -0x1000000000ULL,
	      .len = SZ_4G } }, 1, false,
	  1, 0, false, 0x900000000ULL, 0x9ffffffffULL, F_WIN },
	{ "a negative offset down to address 0",
	  { RS_QMEM(0x100000000ULL, 0x1ffffffffULL, -0x100000000ULL,
		    SZ_4G) }, 1, false,
	  1, 0, false, 0, 0xffffffff, F_WIN },
	{ "both ends carried past 2^64: the range the sums name",
	  { RS_QMEM(0xfffffffffffff000ULL, 0xffffffffffffffffULL, 0x2000,
		    0x1000) }, 1, false, 1, 0, false, 0x1000, 0x1fff, F_WIN },
	{ "a negative offset takes the start below 0: refused",
	  { RS_QMEM(0x1000, 0x2fff, -0x2000ULL, 0x2000) }, 1, false,
	  0, 1, false },
	{ "translated across the top of the address space: refused",
	  { RS_QMEM(0xffffffffff000000ULL, 0xffffffffffffffffULL, 0x800000,
		    SZ_16M) }, 1, false, 0, 1, false },
	{ "a consumer's negative offset is ignored too",
	  { { .type = RS_QWORD, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_CONSUMER, .min = 0x8c0000000ULL,
	      .max = 0x8cfffffffULL, .off = -0x800000000ULL,
	      .len = SZ_256M } }, 1, false,
	  1, 0, false, 0x8c0000000ULL, 0x8cfffffffULL, IORESOURCE_MEM },
	{ "a DWord's offset is 32 bits, never negative: added as it is",
	  { { .type = RS_DWORD, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_PRODUCER, .min = 0x1000, .max = 0x1fff,
	      .off = 0xfffff000, .len = 0x1000 } }, 1, false,
	  1, 0, false, 0x100000000ULL, 0x100000fffULL, F_WIN },
	{ "WordMemory: [min, max], a producer's offset added",
	  { { .type = RS_WORD, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_PRODUCER, .min = 0xa000, .max = 0xafff,
	      .off = 0x1000, .len = 0x1000 } }, 1, false,
	  1, 0, false, 0xb000, 0xbfff, F_WIN },
	{ "a Word's offset is 16 bits, never negative: added as it is",
	  { { .type = RS_WORD, .space = ACPI_MEMORY_RANGE,
	      .pc = ACPI_PRODUCER, .min = 0x1000, .max = 0x1fff,
	      .off = 0xf000, .len = 0x1000 } }, 1, false,
	  1, 0, false, 0x10000, 0x10fff, F_WIN },
	{ "I/O ports and bus numbers are skipped",
	  { { .type = RS_QWORD, .space = ACPI_IO_RANGE, .min = 0x1000,
	      .max = 0x1fff, .len = 0x1000 },
	    { .type = RS_QWORD, .space = ACPI_BUS_NUMBER_RANGE, .max = 0xff,
	      .len = 0x100 }, { .type = RS_IRQ } }, 3, false,
	  0, 0, false },
	{ "a vendor-defined address space: skipped",
	  { { .type = RS_QWORD, .space = 0xc0, .min = 0x1000, .max = 0x1fff,
	      .len = 0x1000 } }, 1, false, 0, 0, false },
	{ "a reserved address space type: skipped",
	  { { .type = RS_QWORD, .space = 3, .min = 0x1000, .max = 0x1fff,
	      .len = 0x1000 } }, 1, false, 0, 0, false },
	{ "Memory24: in units of 256 bytes",
	  { { .type = RS_MEM24, .min = 0xfd00, .len = 0x10 } }, 1, false,
	  1, 0, false, 0xfd0000, 0xfd0fff, IORESOURCE_MEM },
	{ "Memory32: minimum and length",
	  { { .type = RS_MEM32, .min = 0xfc000000, .len = SZ_16M } }, 1, false,
	  1, 0, false, 0xfc000000, 0xfcffffff, IORESOURCE_MEM },
	{ "FixedMemory32: address and length",
	  { { .type = RS_FIXED32, .min = 0xfed40000, .len = 0x5000 } }, 1,
	  false, 1, 0, false, 0xfed40000, 0xfed44fff, IORESOURCE_MEM },
	{ "a record shorter than its type: the list is malformed",
	  { RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0x1800000),
	    { .type = RS_QWORD, .rlen = 16 } }, 2, false, 0, 0, true },
	{ "a record shorter than its header: malformed",
	  { { .type = RS_IRQ, .rlen = 4 } }, 1, false, 0, 0, true },
	{ "a record past the end of the list: malformed",
	  { { .type = RS_IRQ, .rlen = 0x10000 } }, 1, false, 0, 0, true },
	{ "a type ACPI does not have: malformed",
	  { { .type = ACPI_RESOURCE_TYPE_MAX + 1, .rlen = 16 } }, 1, false,
	  0, 0, true },
	{ "no end tag: malformed",
	  { RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0x1800000) }, 1, true,
	  0, 0, true },
};

KUNIT_ARRAY_PARAM_DESC(crs_decode, crs_decode_cases, desc);

/* The size of a record of @type, as ACPICA makes it. */
static u32 rs_size(u32 type)
{
	switch (type) {
	case RS_MEM24:
		return ACPI_RS_SIZE(struct acpi_resource_memory24);
	case RS_MEM32:
		return ACPI_RS_SIZE(struct acpi_resource_memory32);
	case RS_FIXED32:
		return ACPI_RS_SIZE(struct acpi_resource_fixed_memory32);
	case RS_WORD:
		return ACPI_RS_SIZE(struct acpi_resource_address16);
	case RS_DWORD:
		return ACPI_RS_SIZE(struct acpi_resource_address32);
	case RS_QWORD:
		return ACPI_RS_SIZE(struct acpi_resource_address64);
	case RS_EXT:
		return ACPI_RS_SIZE(struct acpi_resource_extended_address64);
	default:
		return ACPI_RS_SIZE(struct acpi_resource_irq);
	}
}

/* The address attribute @attr, of any width, from the record @rec. */
#define rs_put_attr(attr, rec) ({					\
	typeof(attr) *_a = &(attr);					\
	const struct rs_rec *_r = (rec);				\
									\
	_a->minimum = _r->min;						\
	_a->maximum = _r->max;						\
	_a->translation_offset = _r->off;				\
	_a->address_length = _r->len;					\
})

/* Append @r at *@pos of @buf (room enough); an end tag if @r is NULL. */
static void rs_put(u8 *buf, size_t *pos, const struct rs_rec *r)
{
	struct acpi_resource *a = (void *)(buf + *pos);
	u32 type = r ? r->type : RS_END;
	/* An end tag is 16 bytes long (ACPICA's ACPI_RS_SIZE_MIN). */
	u32 size = r ? ALIGN(rs_size(type), 8) : 16;

	a->type = type;
	a->length = r && r->rlen ? r->rlen : size;
	*pos += r && r->rlen && r->rlen < size ? r->rlen : size;
	if (!r)
		return;
	switch (type) {
	case RS_MEM24:
		a->data.memory24.minimum = r->min;
		a->data.memory24.address_length = r->len;
		break;
	case RS_MEM32:
		a->data.memory32.minimum = r->min;
		a->data.memory32.address_length = r->len;
		break;
	case RS_FIXED32:
		a->data.fixed_memory32.address = r->min;
		a->data.fixed_memory32.address_length = r->len;
		break;
	case RS_WORD:
		rs_put_attr(a->data.address16.address, r);
		break;
	case RS_DWORD:
		rs_put_attr(a->data.address32.address, r);
		break;
	case RS_QWORD:
		rs_put_attr(a->data.address64.address, r);
		break;
	case RS_EXT:
		rs_put_attr(a->data.ext_address64.address, r);
		break;
	}
	if (type >= RS_WORD && type <= RS_EXT) {
		a->data.address.resource_type = r->space;
		a->data.address.producer_consumer = r->pc;
	}
}

/*
 * A _CRS of the records @rec, exactly as long as it is, so that KASAN
 * sees a read past it.
 */
static void *rs_build(struct kunit *test, const struct rs_rec *rec,
		      unsigned int nr, bool end, size_t *len)
{
	u8 *buf, *out;
	unsigned int i;
	size_t pos = 0;

	buf = kunit_kzalloc(test, (nr + 1) * 128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < nr; i++)
		rs_put(buf, &pos, &rec[i]);
	if (end)
		rs_put(buf, &pos, NULL);
	out = kunit_kzalloc(test, pos, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memcpy(out, buf, pos);
	*len = pos;
	return out;
}

static void pvbus_fw_crs_decode_test(struct kunit *test)
{
	const struct crs_decode_case *c = test->param_value;
	struct resource out[4];
	struct pvbus_fw_crs_walk w;
	size_t len;
	void *buf;
	int n;

	buf = rs_build(test, c->rec, c->nr, !c->no_end, &len);
	n = pvbus_fw_crs_decode(buf, len, out, ARRAY_SIZE(out), &w);
	KUNIT_EXPECT_EQ(test, n, c->n);
	KUNIT_EXPECT_EQ(test, w.nr, (unsigned int)c->n);
	KUNIT_EXPECT_EQ(test, w.bad, c->bad);
	KUNIT_EXPECT_EQ(test, w.disabled, c->disabled);
	KUNIT_EXPECT_EQ(test, w.malformed, c->malformed);
	KUNIT_EXPECT_FALSE(test, w.more);
	if (n < 1 || c->n < 1)
		return;
	KUNIT_EXPECT_EQ(test, out[0].flags, c->flags);
	KUNIT_EXPECT_EQ(test, out[0].start, c->start);
	KUNIT_EXPECT_EQ(test, out[0].end, c->end);
}

/* No _CRS at all is no resource, not a malformed one. */
static void pvbus_fw_crs_decode_none(struct kunit *test)
{
	struct pvbus_fw_crs_walk w;
	struct resource out[1];

	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_decode(NULL, 0, out, 1, &w), 0);
	KUNIT_EXPECT_FALSE(test, w.malformed);
}

/*
 * The bound is on the resources kept: memory resources past it are
 * counted in @more, not stored.  Disabled records (a length of 0) are not
 * kept, so they take no slot and never make a list too long.
 */
struct crs_bound_case {
	const char *desc;
	unsigned int off_first;		/* disabled records before the windows */
	unsigned int windows;		/* 1 MiB windows, one per 4 GiB */
	unsigned int off_last;		/* disabled records after them */
	unsigned int n;
	bool more;
};

static const struct crs_bound_case crs_bound_cases[] = {
	{ "as many windows as the bound: all kept", 0, PVBUS_FW_MAX_CRS, 0,
	  PVBUS_FW_MAX_CRS, false },
	{ "one window past the bound: counted in more", 0,
	  PVBUS_FW_MAX_CRS + 1, 0, PVBUS_FW_MAX_CRS, true },
	{ "disabled records before the bound's windows take no slot", 8,
	  PVBUS_FW_MAX_CRS, 0, PVBUS_FW_MAX_CRS, false },
	{ "disabled records after the bound's windows are not too many", 0,
	  PVBUS_FW_MAX_CRS, 8, PVBUS_FW_MAX_CRS, false },
	{ "more disabled records than the bound: nothing kept, not too many",
	  PVBUS_FW_MAX_CRS + 8, 0, 0, 0, false },
	{ "disabled records and one window past the bound: more", 4,
	  PVBUS_FW_MAX_CRS + 1, 4, PVBUS_FW_MAX_CRS, true },
};

KUNIT_ARRAY_PARAM_DESC(crs_bound, crs_bound_cases, desc);

static void pvbus_fw_crs_decode_bound(struct kunit *test)
{
	const struct crs_bound_case *c = test->param_value;
	unsigned int i, nr = c->off_first + c->windows + c->off_last;
	struct pvbus_fw_crs_walk w;
	struct resource *out;
	struct rs_rec *rec;
	size_t len;
	void *buf;

	rec = kunit_kcalloc(test, nr, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	for (i = 0; i < nr; i++) {
		unsigned int win = i - c->off_first;
		u64 at = GIB4 * (win + 1);

		if (i < c->off_first || win >= c->windows)	/* disabled */
			rec[i] = (struct rs_rec)RS_QMEM(GIB4, GIB4 + SZ_1M - 1,
							0, 0);
		else
			rec[i] = (struct rs_rec)RS_QMEM(at, at + SZ_1M - 1, 0,
							SZ_1M);
	}
	out = kunit_kcalloc(test, PVBUS_FW_MAX_CRS, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	buf = rs_build(test, rec, nr, true, &len);
	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_decode(buf, len, out,
						  PVBUS_FW_MAX_CRS, &w),
			(int)c->n);
	KUNIT_EXPECT_EQ(test, w.more, c->more);
	KUNIT_EXPECT_EQ(test, w.disabled, c->off_first + c->off_last);
	KUNIT_EXPECT_FALSE(test, w.malformed);
	for (i = 0; i < c->n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, out[i].start,
				    (resource_size_t)GIB4 * (i + 1),
				    "resource %u", i);
		KUNIT_EXPECT_EQ_MSG(test, out[i].flags, F_WIN,
				    "resource %u", i);
	}
}

struct module_case {
	const char *desc;
	const char *ids[3];
	unsigned int nr;
	bool module;
};

static const struct module_case module_cases[] = {
	{ "_HID ACPI0004", { "ACPI0004" }, 1, true },
	{ "ACPI0004 as a _CID", { "PNP0A03", "ACPI0004" }, 2, true },
	{ "no id", { }, 0, false },
	{ "another device", { "PNP0A08" }, 1, false },
	{ "ids compare whole: ACPI00040", { "ACPI00040" }, 1, false },
	{ "ids compare whole: ACPI000", { "ACPI000" }, 1, false },
	{ "ids compare case and all", { "acpi0004" }, 1, false },
};

KUNIT_ARRAY_PARAM_DESC(module, module_cases, desc);

static void pvbus_fw_is_module_test(struct kunit *test)
{
	const struct module_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pvbus_fw_is_module(c->ids, c->nr), c->module);
}

/*
 * Memory in the bus root's own _CRS is counted, never used: the windows
 * come from its parent, and only from a module device.
 */
static void pvbus_fw_crs_windows_test(struct kunit *test)
{
	static const struct rs_rec own_rec[] = {
		RS_QMEM(0xfd000000, 0xfe7fffff, 0, 0x1800000),
	};
	static const struct rs_rec up_rec[] = {
		RS_QMEM(0x800000000ULL, 0x8ffffffffULL, 0, SZ_4G),
	};
	static const char * const module[] = { "ACPI0004" };
	static const char * const other[] = { "PNP0A03" };
	struct pvbus_fw_crs_src own = {}, up = {};
	struct pvbus_fw_crs_report rep;
	struct resource *out;

	out = kunit_kcalloc(test, PVBUS_FW_MAX_CRS, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	own.crs = rs_build(test, own_rec, 1, true, &own.len);
	up.crs = rs_build(test, up_rec, 1, true, &up.len);

	up.ids = module;
	up.nr_ids = 1;
	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_windows(&own, &up, out, &rep), 1);
	KUNIT_EXPECT_EQ(test, rep.own_mem, 1U);
	KUNIT_EXPECT_TRUE(test, rep.module);
	KUNIT_EXPECT_EQ(test, out[0].start, (resource_size_t)0x800000000ULL);

	up.ids = other;
	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_windows(&own, &up, out, &rep), 0);
	KUNIT_EXPECT_FALSE(test, rep.module);
	KUNIT_EXPECT_EQ(test, pvbus_fw_crs_windows(&own, NULL, out, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.own_mem, 1U);
}

static struct kunit_case pvbus_fw_cases[] = {
	KUNIT_CASE_PARAM(pvbus_fw_parse_range_test, parse_range_gen_params),
	KUNIT_CASE(pvbus_fw_parse_range_stops_at_len),
	KUNIT_CASE_PARAM(pvbus_fw_parse_list_test, parse_list_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_list_has_item_test, has_item_gen_params),
	KUNIT_CASE(pvbus_fw_parse_list_no_callback),
	KUNIT_CASE_PARAM(pvbus_fw_parse_cells_test, parse_cells_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_crs_ranges_test, crs_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_crs_decode_test, crs_decode_gen_params),
	KUNIT_CASE(pvbus_fw_crs_decode_none),
	KUNIT_CASE_PARAM(pvbus_fw_crs_decode_bound, crs_bound_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_is_module_test, module_gen_params),
	KUNIT_CASE(pvbus_fw_crs_windows_test),
	KUNIT_CASE_PARAM(pvbus_fw_check_window_test, check_window_gen_params),
	KUNIT_CASE(pvbus_fw_check_window_ram_last),
	KUNIT_CASE_PARAM(pvbus_fw_check_range_test, check_range_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_zone_test, zone_gen_params),
	KUNIT_CASE(pvbus_fw_verdict_str_distinct),
	KUNIT_CASE_PARAM(pvbus_fw_elfcore_phdrs_test, elfcore_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_elfcore_ram_test, elfcore_ram_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_add_windows_kdump_test, kdump_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_read_ranges_test, read_ranges_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_add_windows_test, add_windows_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_add_windows_crs_test, crs_add_gen_params),
	KUNIT_CASE_PARAM(pvbus_fw_add_windows_crs_too_many,
			 crs_too_many_gen_params),
	{ }
};

static int pvbus_fw_suite_init(struct kunit_suite *suite)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(many_cells_cells); i += 2) {
		many_cells_cells[i] = 0x100000000ULL;
		many_cells_cells[i + 1] = SZ_1G;
	}
	/* The last pair read, and the first one not. */
	many_cells_cells[2 * (PVBUS_FW_MAX_CRS - 1)] = 0x200000000ULL;
	many_cells_cells[2 * PVBUS_FW_MAX_CRS] = 0x300000000ULL;
	return 0;
}

static struct kunit_suite pvbus_fw_suite = {
	.name = "pvbus_fw",
	.suite_init = pvbus_fw_suite_init,
	.init = pvbus_tr_init,
	.exit = pvbus_tr_exit,
	.test_cases = pvbus_fw_cases,
};

kunit_test_suite(pvbus_fw_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus firmware windows");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
