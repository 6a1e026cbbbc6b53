// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pvbus's framebuffer and reserved ranges: the screen_info
 * decoder, the reservation plan with its kdump fallback, and the
 * pvbus.fb_sources= words.  Nothing here needs hardware: the sources are
 * given to the plan as lists of (source, range).  Then
 * pvbus_fb_reserve_boot() and pvbus_fb_reserve_host() themselves, on a
 * device whose firmware node is a software node, reserving in a private
 * MMIO space.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/property.h>
#include <linux/pvbus.h>
#include <linux/screen_info.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwfb.h"
#include "fwfb_test.h"
#include "kunit_param.h"

#define FB_BASE		0xfd000000ULL
#define LOW_BASE	0xfc000000ULL
#define HIGH_BASE	0x800000000ULL

/* ---- pvbus_fb_screen_info_range() ------------------------------------ */

struct si_case {
	const char *desc;
	struct screen_info si;
	int ret;
	u64 start, size;
};

static const struct si_case si_cases[] = {
	{ "VLFB counts 64 KiB units",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = 0xfd000000,
	    .lfb_size = 0x100 },
	  0, FB_BASE, SZ_16M },
	{ "EFI counts bytes",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0x80000000,
	    .lfb_size = 0x300000 },
	  0, 0x80000000, 0x300000 },
	{ "64-bit base with the capability",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0x10000000,
	    .ext_lfb_base = 0x8, .lfb_size = SZ_8M,
	    .capabilities = VIDEO_CAPABILITY_64BIT_BASE },
	  0, 0x810000000ULL, SZ_8M },
	{ "64-bit base with lfb_base 0",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .ext_lfb_base = 0x8,
	    .lfb_size = SZ_8M, .capabilities = VIDEO_CAPABILITY_64BIT_BASE },
	  0, HIGH_BASE, SZ_8M },
	{ "ext_lfb_base ignored without the capability",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0x80000000,
	    .ext_lfb_base = 0x8, .lfb_size = SZ_8M },
	  0, 0x80000000, SZ_8M },
	{ "VLFB size 0: the visible mode",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = 0xfd000000,
	    .lfb_linelength = 4096, .lfb_height = 768 },
	  0, FB_BASE, 4096 * 768 },
	{ "EFI size smaller than the mode: the mode",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0x80000000,
	    .lfb_size = SZ_1M, .lfb_linelength = 4096, .lfb_height = 1024 },
	  0, 0x80000000, SZ_4M },
	{ "VLFB larger than the mode: lfb_size",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = 0xfd000000,
	    .lfb_size = 0x100, .lfb_linelength = 4096, .lfb_height = 768 },
	  0, FB_BASE, SZ_16M },
	{ "lfb_base 0: none",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_size = 0x100 },
	  -ENOENT },
	{ "64-bit capability but base 0: none",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_size = SZ_8M,
	    .capabilities = VIDEO_CAPABILITY_64BIT_BASE },
	  -ENOENT },
	{ "no size and no mode: none",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0x80000000 },
	  -ENOENT },
	{ "VGA text mode: none",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VGAC, .lfb_base = 0xfd000000,
	    .lfb_size = 0x100 },
	  -ENOENT },
	{ "unknown video type: none",
	  { .PVBUS_SI_VIDEO_TYPE = 0x99, .lfb_base = 0xfd000000,
	    .lfb_size = 0x100 },
	  -ENOENT },
	{ "video type 0 (kexec left it empty): none",
	  { .lfb_base = 0xfd000000, .lfb_size = 0x100 },
	  -ENOENT },
	{ "wraps past the top: malformed",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = 0xfff00000,
	    .ext_lfb_base = 0xffffffff, .lfb_size = SZ_2M,
	    .capabilities = VIDEO_CAPABILITY_64BIT_BASE },
	  -EINVAL },
	{ "VLFB size the most VBE counts",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = 0xfd000000,
	    .lfb_size = 0xffff },
	  0, FB_BASE, SZ_4G - SZ_64K },
	{ "VLFB size beyond VBE's 16 bits: malformed",
	  { .PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = 0xfd000000,
	    .lfb_size = 0x10000 },
	  -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(si, si_cases, desc);

static void pvbus_fb_screen_info_test(struct kunit *test)
{
	const struct si_case *c = test->param_value;
	struct pvbus_range r = { .start = 0x5a5a, .size = 0xa5a5 };

	KUNIT_ASSERT_EQ(test, pvbus_fb_screen_info_range(&c->si, &r),
			c->ret);
	if (!c->ret) {
		KUNIT_EXPECT_EQ(test, r.start, c->start);
		KUNIT_EXPECT_EQ(test, r.size, c->size);
	} else {
		KUNIT_EXPECT_EQ(test, r.start, 0x5a5aULL);
		KUNIT_EXPECT_EQ(test, r.size, 0xa5a5ULL);
	}
}

/* ---- pvbus_fb_plan() ------------------------------------------------- */

/* A low window with the framebuffer in it, and a high one. */
static const struct pvbus_range std_win[] = {
	{ LOW_BASE, SZ_32M },
	{ HIGH_BASE, SZ_4G },
};

static const struct pvbus_range high_win[] = {
	{ HIGH_BASE, SZ_4G },
};

/* Hyper-V Gen2's low MMIO, 128 MiB up to 4 GiB; the framebuffer at its base. */
static const struct pvbus_range hv_win[] = {
	{ 0xf8000000, SZ_128M },
	{ HIGH_BASE, SZ_4G },
};

/* vesafb's share of 16 MiB of VRAM, as kexec-tools gives a kdump kernel. */
#define SI_SMALL	(SZ_4M + SZ_512K)

#define SI(s, z)	{ PVBUS_FB_SCREEN_INFO, { s, z } }
#define PCI(s, z)	{ PVBUS_FB_PCI_DISPLAY, { s, z }, "0000:00:02.0" }
#define FW(s, z)	{ PVBUS_FB_FIRMWARE, { s, z } }
#define HOST(s, z)	{ PVBUS_FB_HOST, { s, z } }
#define PARAM(s, z)	{ PVBUS_FB_PARAM, { s, z } }
#define FALLBACK(s, z)	{ PVBUS_FB_KDUMP_FALLBACK, { s, z } }

#define ALL		PVBUS_FB_ALL_SOURCES
#define PLAN_MAX	5

struct plan_case {
	const char *desc;
	struct pvbus_fb_cand cand[PLAN_MAX];
	unsigned int nr;
	unsigned long enabled;
	bool kdump;
	const struct pvbus_range *win;
	unsigned int nr_win;
	struct pvbus_fb_cand want[PLAN_MAX];
	unsigned int nr_want;
	unsigned long found;
	enum pvbus_fb_fallback fallback;
	bool from_screen_info;
};

static const struct plan_case plan_cases[] = {
	{ "screen_info alone",
	  { SI(FB_BASE, SZ_16M) }, 1, ALL, false, std_win, 2,
	  { SI(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "PCI alone, in kdump: no fallback",
	  { PCI(FB_BASE, SZ_16M) }, 1, ALL, true, std_win, 2,
	  { PCI(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_PCI_DISPLAY),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "firmware over the fallback's range, in kdump: no fallback",
	  { FW(LOW_BASE, SZ_16M) }, 1, ALL, true, std_win, 2,
	  { FW(LOW_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_FIRMWARE),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "pvbus.reserve alone, in kdump: no fallback",
	  { PARAM(FB_BASE, SZ_16M) }, 1, ALL, true, std_win, 2,
	  { PARAM(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info alone, in kdump: no fallback",
	  { SI(FB_BASE, SZ_16M) }, 1, ALL, true, std_win, 2,
	  { SI(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "firmware outside every window, in kdump: the fallback too",
	  { FW(0xfed40000, SZ_4K) }, 1, ALL, true, std_win, 2,
	  { FW(0xfed40000, SZ_4K), FALLBACK(LOW_BASE, SZ_16M) }, 2,
	  BIT(PVBUS_FB_FIRMWARE) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "firmware in the window past the fallback's, in kdump: the fallback too",
	  { FW(LOW_BASE + SZ_16M, SZ_4K) }, 1, ALL, true, std_win, 2,
	  { FW(LOW_BASE + SZ_16M, SZ_4K), FALLBACK(LOW_BASE, SZ_16M) }, 2,
	  BIT(PVBUS_FB_FIRMWARE) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "pvbus.reserve outside every window, in kdump: no fallback",
	  { PARAM(0xfed40000, SZ_4K) }, 1, ALL, true, std_win, 2,
	  { PARAM(0xfed40000, SZ_4K) }, 1, BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info outside every window, in kdump: no fallback",
	  { SI(0xfed40000, SZ_4K) }, 1, ALL, true, std_win, 2,
	  { SI(0xfed40000, SZ_4K) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "host alone, in kdump: the fallback too",
	  { HOST(FB_BASE, SZ_16M) }, 1, ALL, true, std_win, 2,
	  { HOST(FB_BASE, SZ_16M), FALLBACK(LOW_BASE, SZ_16M) }, 2,
	  BIT(PVBUS_FB_HOST) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "same range from every source: each kept, in order",
	  { SI(FB_BASE, SZ_16M), PCI(FB_BASE, SZ_16M), FW(FB_BASE, SZ_16M),
	    PARAM(FB_BASE, SZ_16M) }, 4, ALL, false, std_win, 2,
	  { SI(FB_BASE, SZ_16M), PCI(FB_BASE, SZ_16M), FW(FB_BASE, SZ_16M),
	    PARAM(FB_BASE, SZ_16M) }, 4,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PCI_DISPLAY) |
	  BIT(PVBUS_FB_FIRMWARE) | BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "same range twice from one source: once",
	  { PARAM(FB_BASE, SZ_16M), PARAM(FB_BASE, SZ_16M) }, 2, ALL, false,
	  std_win, 2,
	  { PARAM(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "same start, other size from one source: both",
	  { PCI(FB_BASE, SZ_16M), PCI(FB_BASE, SZ_4K) }, 2, ALL, false,
	  std_win, 2,
	  { PCI(FB_BASE, SZ_16M), PCI(FB_BASE, SZ_4K) }, 2,
	  BIT(PVBUS_FB_PCI_DISPLAY), PVBUS_FB_FALLBACK_UNNEEDED },
	{ "overlapping ranges: both, so the union is covered",
	  { SI(FB_BASE, SZ_16M), PARAM(0xfc800000, SZ_16M) }, 2, ALL, false,
	  std_win, 2,
	  { SI(FB_BASE, SZ_16M), PARAM(0xfc800000, SZ_16M) }, 2,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "nothing, in kdump: the fallback",
	  { }, 0, ALL, true, std_win, 2,
	  { FALLBACK(LOW_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "nothing, outside kdump: nothing",
	  { }, 0, ALL, false, std_win, 2,
	  { }, 0, 0, PVBUS_FB_FALLBACK_UNNEEDED },
	{ "a switched-off source is dropped",
	  { SI(FB_BASE, SZ_16M), PCI(FB_BASE, SZ_16M) }, 2,
	  ALL & ~BIT(PVBUS_FB_SCREEN_INFO), false, std_win, 2,
	  { PCI(FB_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_PCI_DISPLAY),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "only source switched off, in kdump: the fallback",
	  { SI(FB_BASE, SZ_16M) }, 1, ALL & ~BIT(PVBUS_FB_SCREEN_INFO), true,
	  std_win, 2,
	  { FALLBACK(LOW_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "fallback switched off, in kdump: nothing",
	  { }, 0, ALL & ~BIT(PVBUS_FB_KDUMP_FALLBACK), true, std_win, 2,
	  { }, 0, 0, PVBUS_FB_FALLBACK_DISABLED },
	{ "no low window, in kdump: no fallback",
	  { }, 0, ALL, true, high_win, 1,
	  { }, 0, 0, PVBUS_FB_FALLBACK_NO_WINDOW },
	{ "an empty range is dropped",
	  { SI(FB_BASE, 0) }, 1, ALL, false, std_win, 2,
	  { }, 0, 0, PVBUS_FB_FALLBACK_UNNEEDED },
	{ "an empty range does not count, in kdump",
	  { SI(FB_BASE, 0) }, 1, ALL, true, std_win, 2,
	  { FALLBACK(LOW_BASE, SZ_16M) }, 1, BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED },
	{ "a wrapping range is dropped",
	  { PARAM(0xfffffffffffff000ULL, SZ_8K) }, 1, ALL, false, std_win, 2,
	  { }, 0, 0, PVBUS_FB_FALLBACK_UNNEEDED },
	{ "an unknown source is dropped",
	  { { PVBUS_FB_NR_SOURCES, { FB_BASE, SZ_16M } } }, 1, ALL, false,
	  std_win, 2,
	  { }, 0, 0, PVBUS_FB_FALLBACK_UNNEEDED },
	{ "a range outside every window is still reserved",
	  { SI(0x80000000, SZ_8M) }, 1, ALL, true, std_win, 2,
	  { SI(0x80000000, SZ_8M) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info smaller than the fallback from its base, in kdump: that too",
	  { SI(FB_BASE, SI_SMALL) }, 1, ALL, true, std_win, 2,
	  { SI(FB_BASE, SI_SMALL), FALLBACK(FB_BASE, SZ_16M) }, 2,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED, true },
	{ "Hyper-V Gen2, 3 MiB screen_info, in kdump: 64 MiB from its base",
	  { SI(0xf8000000, SZ_2M + SZ_1M) }, 1, ALL, true, hv_win, 2,
	  { SI(0xf8000000, SZ_2M + SZ_1M), FALLBACK(0xf8000000, SZ_64M) }, 2,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  PVBUS_FB_FALLBACK_RESERVED, true },
	{ "screen_info smaller, a firmware range at its base, in kdump: the fallback too",
	  { SI(FB_BASE, SI_SMALL), FW(FB_BASE, SZ_8M) }, 2, ALL, true,
	  std_win, 2,
	  { SI(FB_BASE, SI_SMALL), FW(FB_BASE, SZ_8M),
	    FALLBACK(FB_BASE, SZ_16M) }, 3,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_FIRMWARE) |
	  BIT(PVBUS_FB_KDUMP_FALLBACK), PVBUS_FB_FALLBACK_RESERVED, true },
	{ "screen_info smaller, a display BAR elsewhere, in kdump: the fallback too",
	  { SI(FB_BASE, SI_SMALL), PCI(LOW_BASE, SZ_4M) }, 2, ALL, true,
	  std_win, 2,
	  { SI(FB_BASE, SI_SMALL), PCI(LOW_BASE, SZ_4M),
	    FALLBACK(FB_BASE, SZ_16M) }, 3,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PCI_DISPLAY) |
	  BIT(PVBUS_FB_KDUMP_FALLBACK), PVBUS_FB_FALLBACK_RESERVED, true },
	{ "screen_info smaller, fallback switched off, in kdump: said",
	  { SI(FB_BASE, SI_SMALL) }, 1, ALL & ~BIT(PVBUS_FB_KDUMP_FALLBACK),
	  true, std_win, 2,
	  { SI(FB_BASE, SI_SMALL) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_DISABLED, true },
	{ "screen_info smaller, in a display BAR, in kdump: no fallback",
	  { SI(FB_BASE, SI_SMALL), PCI(LOW_BASE, SZ_32M) }, 2, ALL, true,
	  std_win, 2,
	  { SI(FB_BASE, SI_SMALL), PCI(LOW_BASE, SZ_32M) }, 2,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PCI_DISPLAY),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info smaller, in pvbus.reserve, in kdump: no fallback",
	  { SI(FB_BASE, SI_SMALL), PARAM(FB_BASE, SZ_16M) }, 2, ALL, true,
	  std_win, 2,
	  { SI(FB_BASE, SI_SMALL), PARAM(FB_BASE, SZ_16M) }, 2,
	  BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PARAM),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info just below every window, in kdump: no fallback",
	  { SI(LOW_BASE - SZ_4M, SI_SMALL) }, 1, ALL, true, std_win, 2,
	  { SI(LOW_BASE - SZ_4M, SI_SMALL) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
	{ "screen_info smaller, outside kdump: no fallback",
	  { SI(FB_BASE, SI_SMALL) }, 1, ALL, false, std_win, 2,
	  { SI(FB_BASE, SI_SMALL) }, 1, BIT(PVBUS_FB_SCREEN_INFO),
	  PVBUS_FB_FALLBACK_UNNEEDED },
};

KUNIT_ARRAY_PARAM_DESC(plan, plan_cases, desc);

static struct pvbus_fb_plan *new_plan(struct kunit *test)
{
	struct pvbus_fb_plan *plan;

	plan = kunit_kzalloc(test, sizeof(*plan), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, plan);
	return plan;
}

static void pvbus_fb_plan_test(struct kunit *test)
{
	const struct plan_case *c = test->param_value;
	struct pvbus_fb_plan *plan = new_plan(test);
	unsigned int i;

	pvbus_fb_plan(c->cand, c->nr, c->enabled, c->kdump, c->win, c->nr_win,
		      plan);

	KUNIT_EXPECT_EQ(test, plan->found, c->found);
	KUNIT_EXPECT_EQ(test, plan->fallback, c->fallback);
	KUNIT_EXPECT_EQ(test, plan->from_screen_info, c->from_screen_info);
	KUNIT_ASSERT_EQ(test, plan->nr, c->nr_want);
	for (i = 0; i < plan->nr; i++) {
		KUNIT_EXPECT_EQ(test, plan->rsv[i].src, c->want[i].src);
		KUNIT_EXPECT_EQ(test, plan->rsv[i].range.start,
				c->want[i].range.start);
		KUNIT_EXPECT_EQ(test, plan->rsv[i].range.size,
				c->want[i].range.size);
		KUNIT_EXPECT_STREQ(test, plan->rsv[i].label,
				   c->want[i].label);
	}
}

/* More candidates than fit: the plan stops, full but for the fallback. */
static void pvbus_fb_plan_full_keeps_fallback_slot(struct kunit *test)
{
	struct pvbus_fb_plan *plan = new_plan(test);
	struct pvbus_fb_cand *cand;
	unsigned int i, n = PVBUS_FB_MAX_CAND + 4;

	cand = kunit_kcalloc(test, n, sizeof(*cand), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cand);
	for (i = 0; i < n; i++) {
		cand[i].src = PVBUS_FB_HOST;
		cand[i].range.start = HIGH_BASE + i * SZ_4K;
		cand[i].range.size = SZ_4K;
	}

	pvbus_fb_plan(cand, n, ALL, true, std_win, 2, plan);

	KUNIT_EXPECT_EQ(test, plan->nr, (unsigned int)PVBUS_FB_MAX_CAND);
	KUNIT_EXPECT_EQ(test, plan->fallback, PVBUS_FB_FALLBACK_RESERVED);
	KUNIT_EXPECT_EQ(test, plan->rsv[PVBUS_FB_MAX_CAND - 1].src,
			PVBUS_FB_KDUMP_FALLBACK);
	KUNIT_EXPECT_EQ(test, plan->rsv[PVBUS_FB_MAX_CAND - 2].range.start,
			HIGH_BASE + (PVBUS_FB_MAX_CAND - 2) * SZ_4K);
}

/* Is @c from an enabled source, with a valid range? */
static bool model_ok(const struct pvbus_fb_cand *c, unsigned long enabled)
{
	return enabled & BIT(c->src) &&
	       pvbus_fw_check_range(&c->range) == PVBUS_FW_OK;
}

static bool model_holds(const struct pvbus_range *r, u64 addr)
{
	return addr >= r->start && addr - r->start < r->size;
}

static bool model_overlap(const struct pvbus_range *a,
			  const struct pvbus_range *b)
{
	return a->start <= b->start + (b->size - 1) &&
	       b->start <= a->start + (a->size - 1);
}

/*
 * The kdump fallback decision as the plan's kernel-doc states it, from
 * the inputs alone: what pvbus_fb_plan() must set in @fallback and
 * @from_screen_info.
 */
static void plan_model(const struct pvbus_fb_cand *cand, unsigned int n,
		       unsigned long enabled, bool kdump,
		       const struct pvbus_range *win, unsigned int nr_win,
		       enum pvbus_fb_fallback *fallback, bool *from_si)
{
	const struct pvbus_fb_cand *si = NULL;
	struct pvbus_range fb, from;
	bool told = false, has_fb;
	unsigned int i;

	*fallback = PVBUS_FB_FALLBACK_UNNEEDED;
	*from_si = false;
	if (!kdump)
		return;

	has_fb = pvbus_fb_fallback_range(win, nr_win, &fb);
	for (i = 0; i < n; i++) {
		if (!model_ok(&cand[i], enabled))
			continue;
		if (cand[i].src == PVBUS_FB_SCREEN_INFO && !si)
			si = &cand[i];
		if (cand[i].src == PVBUS_FB_SCREEN_INFO ||
		    cand[i].src == PVBUS_FB_PCI_DISPLAY ||
		    cand[i].src == PVBUS_FB_PARAM ||
		    (cand[i].src == PVBUS_FB_FIRMWARE &&
		     (!has_fb || model_overlap(&cand[i].range, &fb))))
			told = true;
	}

	if (told) {
		if (!si)
			return;
		for (i = 0; i < n; i++)
			if (model_ok(&cand[i], enabled) &&
			    (cand[i].src == PVBUS_FB_PCI_DISPLAY ||
			     cand[i].src == PVBUS_FB_PARAM) &&
			    model_holds(&cand[i].range, si->range.start))
				return;
		if (!pvbus_fb_fallback_from(win, nr_win, si->range.start,
					    &from) ||
		    from.size <= si->range.size)
			return;
		*from_si = true;
	}
	if (!(enabled & BIT(PVBUS_FB_KDUMP_FALLBACK)))
		*fallback = PVBUS_FB_FALLBACK_DISABLED;
	else if (!told && !has_fb)
		*fallback = PVBUS_FB_FALLBACK_NO_WINDOW;
	else
		*fallback = PVBUS_FB_FALLBACK_RESERVED;
}

/*
 * Random plans, as sources and firmware may give them, against the plan's
 * promises: the fallback decision of plan_model(); at most
 * PVBUS_FB_MAX_CAND valid entries, each from an enabled source, @found
 * their sources; a reserved fallback last, inside the part below 4 GiB of
 * a window, one from screen_info's base starting there and larger, and
 * leaving 16 MiB of that part in one piece where it is larger than
 * 16 MiB.  The seed is fixed; a failure prints it and the round.
 */
static void pvbus_fb_plan_random(struct kunit *test)
{
	static const enum pvbus_fb_source srcs[] = {
		PVBUS_FB_SCREEN_INFO, PVBUS_FB_PCI_DISPLAY, PVBUS_FB_FIRMWARE,
		PVBUS_FB_HOST, PVBUS_FB_PARAM,
	};
	struct pvbus_fb_plan *plan = new_plan(test);
	struct pvbus_fb_cand cand[6];
	const u32 seed = 0xfb91a4;
	struct rnd_state rnd;
	unsigned int round;

	prandom_seed_state(&rnd, seed);
	for (round = 0; round < 3000; round++) {
		unsigned int i, n, nr_win = prandom_u32_state(&rnd) % 4;
		unsigned long enabled = prandom_u32_state(&rnd) & ALL;
		bool kdump = prandom_u32_state(&rnd) & 1, from_si;
		u64 next = SZ_2G + ((u64)(prandom_u32_state(&rnd) % 1024) << 20);
		struct pvbus_range win[3], low = { }, *last;
		enum pvbus_fb_fallback fallback;
		unsigned long found = 0;

		/* Windows in order, apart, the last often above 4 GiB. */
		for (i = 0; i < nr_win; i++) {
			win[i].start = next;
			win[i].size = ((u64)(prandom_u32_state(&rnd) % 512) + 1) << 20;
			next += win[i].size + ((u64)(prandom_u32_state(&rnd) % 256) << 20);
		}
		n = prandom_u32_state(&rnd) % (ARRAY_SIZE(cand) + 1);
		for (i = 0; i < n; i++) {
			u32 a = prandom_u32_state(&rnd);
			u64 off = (u64)(prandom_u32_state(&rnd) % (SZ_32M >> 12)) << 12;
			struct pvbus_range *r = &cand[i].range;

			memset(&cand[i], 0, sizeof(cand[i]));
			cand[i].src = srcs[a % ARRAY_SIZE(srcs)];
			/*
			 * Where the choices are: near a window's start or
			 * end, or at or just below an earlier range's start
			 * (a BAR holding screen_info's base); else anywhere.
			 */
			if ((a >> 8) % 4 == 1 && nr_win)
				r->start = win[a % nr_win].start + off;
			else if ((a >> 8) % 4 == 2 && nr_win)
				r->start = win[a % nr_win].start +
					   win[a % nr_win].size - off - SZ_4K;
			else if ((a >> 8) % 4 == 3 && i)
				r->start = cand[a % i].range.start - off / 8;
			else
				r->start = SZ_2G + ((u64)(prandom_u32_state(&rnd) %
							  (SZ_4G >> 12)) << 12);
			r->size = (a >> 12) % 8 == 0 ? 0 :
				((u64)(prandom_u32_state(&rnd) % (SZ_64M >> 12)) + 1) << 12;
		}

		pvbus_fb_plan(cand, n, enabled, kdump, win, nr_win, plan);
		plan_model(cand, n, enabled, kdump, win, nr_win, &fallback,
			   &from_si);

		KUNIT_EXPECT_EQ_MSG(test, plan->fallback, fallback,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_EQ_MSG(test, plan->from_screen_info, from_si,
				    "seed %#x round %u", seed, round);
		KUNIT_ASSERT_LE_MSG(test, plan->nr, (unsigned int)PVBUS_FB_MAX_CAND,
				    "seed %#x round %u", seed, round);
		for (i = 0; i < plan->nr; i++) {
			KUNIT_EXPECT_EQ_MSG(test, pvbus_fw_check_range(&plan->rsv[i].range),
					    PVBUS_FW_OK, "seed %#x round %u", seed, round);
			KUNIT_EXPECT_TRUE_MSG(test, enabled & BIT(plan->rsv[i].src),
					      "seed %#x round %u", seed, round);
			found |= BIT(plan->rsv[i].src);
		}
		KUNIT_EXPECT_EQ_MSG(test, plan->found, found,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_EQ_MSG(test, plan->fallback == PVBUS_FB_FALLBACK_RESERVED,
				    plan->nr &&
				    plan->rsv[plan->nr - 1].src == PVBUS_FB_KDUMP_FALLBACK,
				    "seed %#x round %u", seed, round);
		if (plan->fallback != PVBUS_FB_FALLBACK_RESERVED)
			continue;

		/* The fallback lies in the part below 4 GiB of a window. */
		last = &plan->rsv[plan->nr - 1].range;
		for (i = 0; i < nr_win; i++)
			if (win[i].start < SZ_4G &&
			    model_holds(&win[i], last->start)) {
				low.start = win[i].start;
				low.size = min_t(u64, win[i].size,
						 SZ_4G - win[i].start);
			}
		KUNIT_ASSERT_TRUE_MSG(test, model_holds(&low, last->start) &&
				      last->size <= low.size - (last->start - low.start),
				      "seed %#x round %u: %#llx+%#llx", seed,
				      round, last->start, last->size);
		/* 16 MiB of it left in one piece, below or after. */
		if (last->size > SZ_16M)
			KUNIT_EXPECT_TRUE_MSG(test,
					      last->start - low.start >= SZ_16M ||
					      low.start + low.size -
					      (last->start + last->size) >= SZ_16M,
					      "seed %#x round %u: %#llx+%#llx", seed,
					      round, last->start, last->size);
		if (!plan->from_screen_info)
			continue;
		/* From screen_info's base, and larger than it says. */
		for (i = 0; i + 1 < plan->nr; i++)
			if (plan->rsv[i].src == PVBUS_FB_SCREEN_INFO)
				break;
		KUNIT_ASSERT_LT_MSG(test, i + 1, plan->nr,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_EQ_MSG(test, last->start, plan->rsv[i].range.start,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_GT_MSG(test, last->size, plan->rsv[i].range.size,
				    "seed %#x round %u", seed, round);
	}
}

/* ---- pvbus_fb_fallback_range() --------------------------------------- */

struct fallback_case {
	const char *desc;
	struct pvbus_range win[2];
	unsigned int nr_win;
	bool found;
	u64 start, size;
};

static const struct fallback_case fallback_cases[] = {
	{ "32 MiB window at 4 GiB - 64 MiB: 16 MiB, 16 MiB left",
	  { { LOW_BASE, SZ_32M } }, 1, true, LOW_BASE, SZ_16M },
	{ "Hyper-V Gen2, 128 MiB up to 4 GiB: half, 64 MiB",
	  { { 0xf8000000, SZ_128M } }, 1, true, 0xf8000000, SZ_64M },
	{ "Hyper-V Gen2, 68 MiB framebuffer: base moved down, 68 MiB",
	  { { 0xf7800000, SZ_128M + SZ_8M } }, 1, true, 0xf7800000,
	  SZ_64M + SZ_4M },
	{ "Hyper-V Gen1, up to the vTPM: 64 MiB, more than half",
	  { { 0xf8000000, 0xfed40000 - 0xf8000000 } }, 1, true, 0xf8000000,
	  SZ_64M },
	{ "1 GiB window: capped at 128 MiB", { { 0xc0000000, SZ_1G } }, 1,
	  true, 0xc0000000, SZ_128M },
	{ "100 MiB window far below 4 GiB: cut to leave 16 MiB",
	  { { 0xf0000000, 100 * SZ_1M } }, 1, true, 0xf0000000, 84 * SZ_1M },
	{ "128 MiB window far below 4 GiB: cut to leave 16 MiB",
	  { { 0xf0000000, SZ_128M } }, 1, true, 0xf0000000, 112 * SZ_1M },
	{ "24 MiB window at 0xfd000000: 16 MiB, not upstream's 24 MiB",
	  { { 0xfd000000, 24 * SZ_1M } }, 1, true, 0xfd000000, SZ_16M },
	{ "16 MiB window: all of it, not upstream's 12 MiB",
	  { { 0xfd000000, SZ_16M } }, 1, true, 0xfd000000, SZ_16M },
	{ "8 MiB window far below 4 GiB: all of it",
	  { { 0xc0000000, SZ_8M } }, 1, true, 0xc0000000, SZ_8M },
	{ "4 KiB window: all of it", { { LOW_BASE, SZ_4K } }, 1,
	  true, LOW_BASE, SZ_4K },
	{ "window straddling 4 GiB: half its low part",
	  { { 0xfe000000, SZ_1G } }, 1, true, 0xfe000000, SZ_16M },
	{ "window straddling 4 GiB, 16 MiB below: all of that",
	  { { 0xff000000, SZ_1G } }, 1, true, 0xff000000, SZ_16M },
	{ "window straddling 4 GiB, 256 MiB below: capped at 128 MiB",
	  { { 0xf0000000, SZ_1G } }, 1, true, 0xf0000000, SZ_128M },
	{ "the lowest of two low windows, whatever their order",
	  { { LOW_BASE, SZ_32M }, { 0xc0000000, SZ_64M } }, 2,
	  true, 0xc0000000, 48 * SZ_1M },
	{ "a high window before the low one is skipped",
	  { { HIGH_BASE, SZ_4G }, { LOW_BASE, SZ_32M } }, 2,
	  true, LOW_BASE, SZ_16M },
	{ "only a high window: none", { { HIGH_BASE, SZ_4G } }, 1, false },
	{ "no window: none", { }, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(fallback, fallback_cases, desc);

static void pvbus_fb_fallback_range_test(struct kunit *test)
{
	const struct fallback_case *c = test->param_value;
	struct pvbus_range r = { };

	KUNIT_ASSERT_EQ(test, pvbus_fb_fallback_range(c->win, c->nr_win, &r),
			c->found);
	if (c->found) {
		KUNIT_EXPECT_EQ(test, r.start, c->start);
		KUNIT_EXPECT_EQ(test, r.size, c->size);
	}
}

/* ---- pvbus_fb_fallback_from() ---------------------------------------- */

struct from_case {
	const char *desc;
	struct pvbus_range win[2];
	unsigned int nr_win;
	u64 start;
	bool found;
	u64 size;
};

static const struct from_case from_cases[] = {
	{ "at the window's start: as at the lowest window's",
	  { { LOW_BASE, SZ_32M } }, 1, LOW_BASE, true, SZ_16M },
	{ "Hyper-V Gen2 base: half of 128 MiB",
	  { { 0xf8000000, SZ_128M } }, 1, 0xf8000000, true, SZ_64M },
	{ "inside a 1 GiB window: half of what is left to 4 GiB",
	  { { 0xc0000000, SZ_1G } }, 1, 0xfc000000, true, SZ_32M },
	{ "far inside a 1 GiB window: capped at 128 MiB",
	  { { 0xc0000000, SZ_1G } }, 1, 0xd0000000, true, SZ_128M },
	{ "8 MiB below 4 GiB: all that is left, not half",
	  { { 0xc0000000, SZ_1G } }, 1, 0xff800000, true, SZ_8M },
	{ "8 MiB into a 48 MiB window: 16 MiB left after it, in one piece",
	  { { 0xfc000000, 48 * SZ_1M } }, 1, 0xfc800000, true, 24 * SZ_1M },
	{ "16 MiB into a window: the room below it, all the rest",
	  { { 0xe0000000, SZ_64M } }, 1, 0xe1000000, true, 48 * SZ_1M },
	{ "24 MiB window: the 16 MiB floor, over the 16 MiB left to BARs",
	  { { 0xfc000000, 24 * SZ_1M } }, 1, 0xfc000000, true, SZ_16M },
	{ "in the second window",
	  { { LOW_BASE, SZ_32M }, { 0xc0000000, SZ_512M } }, 2, 0xd0000000,
	  true, SZ_128M },
	{ "at the last byte of a window: one byte",
	  { { 0xc0000000, SZ_16M } }, 1, 0xc0ffffff, true, 1 },
	{ "just past a window: none",
	  { { 0xc0000000, SZ_16M } }, 1, 0xc1000000, false },
	{ "in a window's part above 4 GiB: none",
	  { { 0xfe000000, SZ_1G } }, 1, SZ_4G, false },
	{ "below every window: none",
	  { { LOW_BASE, SZ_32M } }, 1, 0x80000000, false },
	{ "no window: none", { }, 0, FB_BASE, false },
};

KUNIT_ARRAY_PARAM_DESC(from, from_cases, desc);

static void pvbus_fb_fallback_from_test(struct kunit *test)
{
	const struct from_case *c = test->param_value;
	struct pvbus_range r = { };

	KUNIT_ASSERT_EQ(test, pvbus_fb_fallback_from(c->win, c->nr_win,
						     c->start, &r),
			c->found);
	if (c->found) {
		KUNIT_EXPECT_EQ(test, r.start, c->start);
		KUNIT_EXPECT_EQ(test, r.size, c->size);
	}
}

/*
 * Upstream's rule (016a25e4b0df) on one low window, as a model: min((4 GiB
 * - start) / 2, 128 MiB), halved until it fits the window, down to 1 MiB;
 * 0 if even that does not fit.
 */
static u64 upstream_fallback(u64 start, u64 low_size)
{
	u64 size = min_t(u64, (SZ_4G - start) / 2, SZ_128M);

	for (; size >= SZ_1M; size /= 2)
		if (size <= low_size)
			return size;
	return 0;
}

/*
 * Random windows, as firmware may give them (4 KiB aligned, some across
 * 4 GiB, some above it), against the rule's promises: the fallback starts
 * at the lowest window below 4 GiB and stays in its part below 4 GiB; it
 * covers at least 16 MiB of it (all of a smaller part) and at most
 * 128 MiB; it covers upstream's range wherever that leaves 16 MiB of the
 * part free, and leaves 16 MiB free itself wherever it is more than
 * 16 MiB.  The seed is fixed; a failure prints it and the round.
 */
static void pvbus_fb_fallback_range_random(struct kunit *test)
{
	const u32 seed = 0xfa11bac;
	struct rnd_state rnd;
	unsigned int round, i, n;

	prandom_seed_state(&rnd, seed);
	for (round = 0; round < 2000; round++) {
		const struct pvbus_range *lowest = NULL;
		struct pvbus_range win[3], r = { };
		u64 low, up;
		bool found;

		n = prandom_u32_state(&rnd) % 4;
		for (i = 0; i < n; i++) {
			u32 a = prandom_u32_state(&rnd);
			u64 start, size;

			/* Mostly just below 4 GiB, where the choices are. */
			if (a & 1)
				start = SZ_4G - ((u64)(prandom_u32_state(&rnd) %
						       (SZ_1G >> 12)) << 12) -
					SZ_4K;
			else
				start = (u64)prandom_u32_state(&rnd) << 12 &
					(SZ_16G - 1);
			size = ((u64)(prandom_u32_state(&rnd) % (SZ_1G >> 12)) + 1)
			       << (a & 2 ? 12 : 16);
			win[i] = (struct pvbus_range){ start, size };
			if (start <= PVBUS_MMIO_LOW_END &&
			    (!lowest || start < lowest->start))
				lowest = &win[i];
		}

		found = pvbus_fb_fallback_range(win, n, &r);
		KUNIT_ASSERT_EQ_MSG(test, found, !!lowest,
				    "seed %#x round %u", seed, round);
		if (!found)
			continue;
		low = min_t(u64, lowest->size, SZ_4G - lowest->start);
		up = upstream_fallback(lowest->start, low);
		KUNIT_EXPECT_EQ_MSG(test, r.start, lowest->start,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_LE_MSG(test, r.size, low,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_LE_MSG(test, r.size, (u64)SZ_128M,
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_GE_MSG(test, r.size, min_t(u64, low, SZ_16M),
				    "seed %#x round %u", seed, round);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED(r.size, SZ_4K),
				      "seed %#x round %u", seed, round);
		if (up && low - up >= SZ_16M)
			KUNIT_EXPECT_GE_MSG(test, r.size, up,
					    "seed %#x round %u: upstream %#llx",
					    seed, round, up);
		if (r.size > SZ_16M)
			KUNIT_EXPECT_GE_MSG(test, low - r.size, (u64)SZ_16M,
					    "seed %#x round %u", seed, round);
	}
}

/* ---- pvbus_fb_in_low_window() ---------------------------------------- */

static const struct pvbus_range straddle_win[] = {
	{ 0xfe000000, SZ_1G },
};

struct low_case {
	const char *desc;
	struct pvbus_range r;
	const struct pvbus_range *win;
	unsigned int nr_win;
	bool in;
};

static const struct low_case low_cases[] = {
	{ "inside the low window", { FB_BASE, SZ_16M }, std_win, 2, true },
	{ "the whole low window", { LOW_BASE, SZ_32M }, std_win, 2, true },
	{ "straddling its start", { 0xfb000000, SZ_32M }, std_win, 2, true },
	{ "straddling its end", { 0xfdfff000, SZ_8K }, std_win, 2, true },
	{ "just below it", { 0xfb000000, SZ_16M }, std_win, 2, false },
	{ "just above it", { 0xfe000000, SZ_4K }, std_win, 2, false },
	{ "inside the high window", { HIGH_BASE, SZ_16M }, std_win, 2,
	  false },
	{ "low part of a straddling window", { 0xfff00000, SZ_1M },
	  straddle_win, 1, true },
	{ "high part of a straddling window", { 0x100000000ULL, SZ_1M },
	  straddle_win, 1, false },
	{ "no window", { FB_BASE, SZ_16M }, NULL, 0, false },
};

KUNIT_ARRAY_PARAM_DESC(low, low_cases, desc);

static void pvbus_fb_in_low_window_test(struct kunit *test)
{
	const struct low_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pvbus_fb_in_low_window(&c->r, c->win, c->nr_win),
			c->in);
}

/* ---- names, kinds and pvbus.fb_sources= ------------------------------ */

struct source_case {
	enum pvbus_fb_source src;
	const char *name;
	enum pvbus_mmio_rsv kind;
	const char *rsv_name;
};

static const struct source_case source_cases[] = {
	{ PVBUS_FB_SCREEN_INFO, "screen_info", PVBUS_RSV_FRAMEBUFFER,
	  "framebuffer (screen_info)" },
	{ PVBUS_FB_PCI_DISPLAY, "pci", PVBUS_RSV_FRAMEBUFFER,
	  "framebuffer (PCI 0000:00:02.0)" },
	{ PVBUS_FB_FIRMWARE, "firmware", PVBUS_RSV_FIRMWARE,
	  "reserved (firmware)" },
	{ PVBUS_FB_HOST, "host", PVBUS_RSV_HOST, "reserved (host)" },
	{ PVBUS_FB_PARAM, "reserve", PVBUS_RSV_FRAMEBUFFER,
	  "reserved (pvbus.reserve)" },
	{ PVBUS_FB_KDUMP_FALLBACK, "kdump_fallback", PVBUS_RSV_FRAMEBUFFER,
	  "framebuffer (kdump fallback)" },
};

KUNIT_ARRAY_PARAM_DESC(source, source_cases, name);

static void pvbus_fb_source_test(struct kunit *test)
{
	const struct source_case *c = test->param_value;
	struct pvbus_fb_cand cand = { .src = c->src, .label = "0000:00:02.0" };
	char name[48];

	KUNIT_EXPECT_STREQ(test, pvbus_fb_source_name(c->src), c->name);
	KUNIT_EXPECT_EQ(test, pvbus_fb_source_kind(c->src), c->kind);
	pvbus_fb_rsv_name(&cand, name, sizeof(name));
	KUNIT_EXPECT_STREQ(test, name, c->rsv_name);
}

/* The table above covers every source. */
static void pvbus_fb_source_every_one(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(source_cases),
			(size_t)PVBUS_FB_NR_SOURCES);
	KUNIT_EXPECT_STREQ(test, pvbus_fb_source_name(PVBUS_FB_NR_SOURCES),
			   "unknown");
}

struct sources_case {
	const char *s;
	int ret;
	unsigned long mask;
};

static const struct sources_case sources_cases[] = {
	{ "all", 0, ALL },
	{ "none", 0, 0 },
	{ "", 0, 0 },
	{ "\n", 0, 0 },
	{ "screen_info", 0, BIT(PVBUS_FB_SCREEN_INFO) },
	{ "pci,host", 0, BIT(PVBUS_FB_PCI_DISPLAY) | BIT(PVBUS_FB_HOST) },
	{ "firmware,reserve,kdump_fallback\n", 0,
	  BIT(PVBUS_FB_FIRMWARE) | BIT(PVBUS_FB_PARAM) |
	  BIT(PVBUS_FB_KDUMP_FALLBACK) },
	{ "pci,,pci", 0, BIT(PVBUS_FB_PCI_DISPLAY) },
	{ "none,pci", 0, BIT(PVBUS_FB_PCI_DISPLAY) },
	{ "all,none", 0, ALL },
	{ "bogus", -EINVAL },
	{ "pci,bogus", -EINVAL },
	{ "screen", -EINVAL },
	{ "screen_infos", -EINVAL },
	{ "PCI", -EINVAL },
	{ "pci host", -EINVAL },
	{ "pci\nhost", -EINVAL },
};

static void sources_desc(const struct sources_case *c, char *desc)
{
	pvbus_tr_desc(desc, NULL, c->s);
}

KUNIT_ARRAY_PARAM(sources, sources_cases, sources_desc);

static void pvbus_fb_parse_sources_test(struct kunit *test)
{
	const struct sources_case *c = test->param_value;
	unsigned long mask = 0xdead;

	KUNIT_EXPECT_EQ(test, pvbus_fb_parse_sources(c->s, &mask), c->ret);
	KUNIT_EXPECT_EQ(test, mask, c->ret ? 0xdeadUL : c->mask);
}

struct str_case {
	const char *desc;
	unsigned long mask;
	size_t size;
	const char *str;
};

static const struct str_case str_cases[] = {
	{ "no source", 0, 64, "none" },
	{ "one source", BIT(PVBUS_FB_PCI_DISPLAY), 64, "pci" },
	{ "several, in source order",
	  BIT(PVBUS_FB_PARAM) | BIT(PVBUS_FB_SCREEN_INFO), 64,
	  "screen_info, reserve" },
	{ "every source", ALL, 128,
	  "screen_info, pci, firmware, host, reserve, kdump_fallback" },
	{ "bits past the last source are ignored", BIT(PVBUS_FB_HOST) |
	  BIT(PVBUS_FB_NR_SOURCES), 64, "host" },
	{ "truncated to the buffer", ALL, 8, "screen_" },
};

KUNIT_ARRAY_PARAM_DESC(str, str_cases, desc);

static void pvbus_fb_sources_str_test(struct kunit *test)
{
	const struct str_case *c = test->param_value;
	char buf[128];

	memset(buf, 'x', sizeof(buf));
	pvbus_fb_sources_str(c->mask, buf, c->size);
	KUNIT_EXPECT_STREQ(test, buf, c->str);
}

/* What pvbus_fb_sources_str() writes, pvbus_fb_parse_sources() reads. */
static void pvbus_fb_sources_round_trip(struct kunit *test)
{
	unsigned long mask, back;
	char buf[128], *p;

	for (mask = 0; mask <= ALL; mask++) {
		pvbus_fb_sources_str(mask, buf, sizeof(buf));
		/* The list is ", "-separated; fb_sources= takes ",". */
		while ((p = strstr(buf, ", ")))
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
		KUNIT_ASSERT_EQ(test, pvbus_fb_parse_sources(buf, &back), 0);
		KUNIT_EXPECT_EQ(test, back, mask);
	}
}

/* ---- pvbus_fb_reserve_boot() and pvbus_fb_reserve_host() ------------ */

/* Away from where QEMU's x86 VGA BAR is, should this run there. */
#define T_LOW		0xc0000000ULL
#define T_FB		0xc1000000ULL

/*
 * A root whose device's firmware node is @node, with a private space and
 * the windows of @node added, as the root's probe does.
 */
static struct pvbus_root *fb_root(struct kunit *test,
				  const struct software_node *node)
{
	struct pvbus_root *root = pvbus_tr_root(test, node, "pvbus_fb_test");

	KUNIT_ASSERT_EQ(test, __pvbus_fw_add_windows(root, NULL), 0);
	return root;
}

/* How often @what occurs in the space's map. */
static unsigned int map_count(struct kunit *test,
			      struct pvbus_mmio_space *space, const char *what)
{
	const char *map = pvbus_tr_map(test, space);
	unsigned int n = 0;
	const char *p;

	for (p = strstr(map, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static const u64 t_windows[] = { T_LOW, SZ_32M, HIGH_BASE, SZ_4G };
static const u64 t_reserved[] = { T_FB, SZ_16M, T_LOW, 0, HIGH_BASE, SZ_4K };
static const u64 t_reserved_odd[] = { T_FB, SZ_16M, T_LOW };

static const struct property_entry t_fw_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", t_windows),
	PROPERTY_ENTRY_U64_ARRAY("reserved-ranges", t_reserved),
	{ }
};

static const struct property_entry t_odd_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", t_windows),
	PROPERTY_ENTRY_U64_ARRAY("reserved-ranges", t_reserved_odd),
	{ }
};

static const struct property_entry t_win_props[] = {
	PROPERTY_ENTRY_U64_ARRAY("mmio-windows", t_windows),
	{ }
};

static const struct software_node t_fw_node = { .properties = t_fw_props };
static const struct software_node t_odd_node = { .properties = t_odd_props };
static const struct software_node t_win_node = { .properties = t_win_props };

#define NOT_BOOT_FB	(BIT(PVBUS_FB_HOST) | BIT(PVBUS_FB_PARAM) | \
			 BIT(PVBUS_FB_KDUMP_FALLBACK))

struct boot_case {
	const char *desc;
	const struct software_node *node;
	const char *reserve;
	unsigned long enabled;
	bool kdump;
	bool uml_only;
	unsigned long found;
	const char *needle;
	unsigned int count;
	const struct screen_info *si;
};

static const struct screen_info t_si_efi = {
	.PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_EFI, .lfb_base = T_FB,
	.lfb_size = SZ_8M,
};

/* 0x10000 units of 64 KiB: 4 GiB, more than VBE can say. */
static const struct screen_info t_si_vlfb_huge = {
	.PVBUS_SI_VIDEO_TYPE = VIDEO_TYPE_VLFB, .lfb_base = T_FB,
	.lfb_size = 0x10000,
};

static const struct boot_case boot_cases[] = {
	{ "screen_info reserved as it says", &t_win_node, NULL, ALL, false,
	  false, BIT(PVBUS_FB_SCREEN_INFO),
	  "0x00000000c1000000-0x00000000c17fffff framebuffer (screen_info) [framebuffer]",
	  1, &t_si_efi },
	{ "malformed screen_info: nothing reserved from it", &t_win_node,
	  NULL, ALL, false, false, 0, "(screen_info)", 0, &t_si_vlfb_huge },
	{ "firmware ranges reserved, the empty one ignored", &t_fw_node,
	  NULL, ALL, false, false, BIT(PVBUS_FB_FIRMWARE),
	  "reserved (firmware) [firmware]", 2 },
	{ "odd reserved-ranges cells: nothing from firmware", &t_odd_node,
	  NULL, ALL, false, false, 0, "[firmware]", 0 },
	{ "pvbus.reserve= reserved as a framebuffer", &t_win_node,
	  "16M@0xc1000000", ALL, false, false, BIT(PVBUS_FB_PARAM),
	  "0x00000000c1000000-0x00000000c1ffffff reserved (pvbus.reserve) [framebuffer]",
	  1 },
	{ "a bad pvbus.reserve= item skipped, the rest reserved", &t_win_node,
	  "junk,16M@0xc1000000,0@0", ALL, false, false, BIT(PVBUS_FB_PARAM),
	  "reserved (pvbus.reserve) [framebuffer]", 1 },
	{ "firmware switched off: not reserved", &t_fw_node, NULL,
	  ALL & ~BIT(PVBUS_FB_FIRMWARE), false, false, 0, "[firmware]", 0 },
	{ "kdump with firmware ranges past the fallback's: the fallback too",
	  &t_fw_node, NULL, ALL, true, true,
	  BIT(PVBUS_FB_FIRMWARE) | BIT(PVBUS_FB_KDUMP_FALLBACK),
	  "kdump fallback", 1 },
	{ "kdump with pvbus.reserve=: no fallback", &t_win_node,
	  "16M@0xc1000000", ALL, true, false, BIT(PVBUS_FB_PARAM),
	  "kdump fallback", 0 },
	{ "kdump with nothing: the fallback at the low window's start",
	  &t_win_node, NULL, ALL, true, true,
	  BIT(PVBUS_FB_KDUMP_FALLBACK),
	  "0x00000000c0000000-0x00000000c0ffffff framebuffer (kdump fallback) [framebuffer]",
	  1 },
	{ "kdump with nothing, fallback switched off: nothing", &t_win_node,
	  NULL, ALL & ~BIT(PVBUS_FB_KDUMP_FALLBACK), true, true, 0,
	  "reserved ", 0 },
	{ "no kdump and nothing: nothing", &t_win_node, NULL, ALL, false,
	  true, 0, "reserved ", 0 },
};

KUNIT_ARRAY_PARAM_DESC(boot, boot_cases, desc);

/*
 * The screen_info is the case's.  On UML nothing but it, the firmware
 * node and pvbus.reserve= tells where a framebuffer is.  Elsewhere PCI may
 * add sources, so only the ones the case expects are checked.
 */
static void pvbus_fb_reserve_boot_test(struct kunit *test)
{
	const struct boot_case *c = test->param_value;
	struct pvbus_root *root;

	if (c->uml_only && !IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "PCI may find a framebuffer here");

	root = fb_root(test, c->node);
	KUNIT_ASSERT_EQ(test, __pvbus_fb_reserve_boot(root, c->reserve,
						      c->enabled, c->kdump,
						      c->si),
			0);
	if (IS_ENABLED(CONFIG_UML)) {
		KUNIT_EXPECT_EQ(test, root->fb_sources, c->found);
	} else {
		KUNIT_EXPECT_EQ(test, root->fb_sources & c->found, c->found);
		KUNIT_EXPECT_EQ(test, root->fb_sources & NOT_BOOT_FB,
				c->found & NOT_BOOT_FB);
	}
	KUNIT_EXPECT_EQ(test, map_count(test, root->space, c->needle),
			c->count);
}

struct host_case {
	const char *desc;
	struct pvbus_range rsv[3];
	unsigned int nr;
	unsigned long enabled;
	bool alloc_first;
	int ret;
	unsigned int nr_reserved;
};

static const struct host_case host_cases[] = {
	{ "two ranges, both reserved",
	  { { T_FB, SZ_16M }, { HIGH_BASE, SZ_4K } }, 2, ALL, false, 0, 2 },
	{ "no range, nothing reserved", { }, 0, ALL, false, 0, 0 },
	{ "an empty range is refused, the rest reserved",
	  { { T_FB, SZ_16M }, { T_LOW, 0 } }, 2, ALL, false, -EINVAL, 1 },
	{ "a wrapping range is refused, the rest reserved",
	  { { 0xfffffffffffff000ULL, SZ_8K }, { HIGH_BASE, SZ_4K } }, 2,
	  ALL, false, -EINVAL, 1 },
	{ "a range over a live allocation is refused, the rest reserved",
	  { { T_LOW, SZ_4K }, { T_FB, SZ_16M } }, 2, ALL, true, -EINVAL, 1 },
	{ "a range outside the windows is reserved",
	  { { 0x40000000, SZ_16M } }, 1, ALL, false, 0, 1 },
	{ "host switched off: nothing reserved, no error",
	  { { T_FB, SZ_16M } }, 1, ALL & ~BIT(PVBUS_FB_HOST), false, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(host, host_cases, desc);

static void pvbus_fb_reserve_host_test(struct kunit *test)
{
	const struct host_case *c = test->param_value;
	struct pvbus_root *root = fb_root(test, &t_win_node);

	if (c->alloc_first) {
		struct pvbus_mmio_req req = {
			.name = "live", .size = SZ_4K, .zone = PVBUS_MMIO_LOW,
		};
		struct resource *res = pvbus_mmio_alloc(root->space, &req);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, res);
		KUNIT_ASSERT_EQ(test, (u64)res->start, T_LOW);
	}

	KUNIT_EXPECT_EQ(test, __pvbus_fb_reserve_host(root, c->rsv, c->nr,
						      c->enabled), c->ret);
	KUNIT_EXPECT_EQ(test, !!(root->fb_sources & BIT(PVBUS_FB_HOST)),
			c->nr_reserved > 0);
	KUNIT_EXPECT_EQ(test, map_count(test, root->space,
					"reserved (host) [host]"),
			c->nr_reserved);
}

/* More ranges than a host may report: none is reserved. */
static void pvbus_fb_reserve_host_too_many(struct kunit *test)
{
	struct pvbus_root *root = fb_root(test, &t_win_node);
	unsigned int i, n = PVBUS_HOST_MAX_RSV + 1;
	struct pvbus_range *rsv;

	rsv = kunit_kcalloc(test, n, sizeof(*rsv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rsv);
	for (i = 0; i < n; i++) {
		rsv[i].start = HIGH_BASE + i * SZ_4K;
		rsv[i].size = SZ_4K;
	}

	KUNIT_EXPECT_EQ(test, __pvbus_fb_reserve_host(root, rsv, n, ALL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, root->fb_sources, 0UL);
	KUNIT_EXPECT_EQ(test, map_count(test, root->space, "[host]"), 0U);

	/* One fewer is fine. */
	KUNIT_EXPECT_EQ(test, __pvbus_fb_reserve_host(root, rsv, n - 1, ALL),
			0);
	KUNIT_EXPECT_EQ(test, map_count(test, root->space, "[host]"), n - 1);
}

static struct kunit_case pvbus_fb_cases[] = {
	KUNIT_CASE_PARAM(pvbus_fb_screen_info_test, si_gen_params),
	KUNIT_CASE_PARAM(pvbus_fb_plan_test, plan_gen_params),
	KUNIT_CASE(pvbus_fb_plan_full_keeps_fallback_slot),
	KUNIT_CASE(pvbus_fb_plan_random),
	KUNIT_CASE_PARAM(pvbus_fb_fallback_range_test, fallback_gen_params),
	KUNIT_CASE_PARAM(pvbus_fb_fallback_from_test, from_gen_params),
	KUNIT_CASE(pvbus_fb_fallback_range_random),
	KUNIT_CASE_PARAM(pvbus_fb_in_low_window_test, low_gen_params),
	KUNIT_CASE_PARAM(pvbus_fb_source_test, source_gen_params),
	KUNIT_CASE(pvbus_fb_source_every_one),
	KUNIT_CASE_PARAM(pvbus_fb_parse_sources_test, sources_gen_params),
	KUNIT_CASE_PARAM(pvbus_fb_sources_str_test, str_gen_params),
	KUNIT_CASE(pvbus_fb_sources_round_trip),
	KUNIT_CASE_PARAM(pvbus_fb_reserve_boot_test, boot_gen_params),
	KUNIT_CASE_PARAM(pvbus_fb_reserve_host_test, host_gen_params),
	KUNIT_CASE(pvbus_fb_reserve_host_too_many),
	{ }
};

static struct kunit_suite pvbus_fb_suite = {
	.name = "pvbus_fb",
	.init = pvbus_tr_init,
	.exit = pvbus_tr_exit,
	.test_cases = pvbus_fb_cases,
};

kunit_test_suite(pvbus_fb_suite);

MODULE_DESCRIPTION("KUnit tests for pvbus framebuffer and reserved ranges");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
