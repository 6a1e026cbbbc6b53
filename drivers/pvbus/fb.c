// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the framebuffer and every other reserved range.
 *
 * No single source knows where the boot framebuffer is in every kernel:
 * screen_info.lfb_base is 0 in an arm64 kdump kernel and in an x86 one
 * loaded with kexec -p after a DRM driver took over.  So the bus reserves
 * the union of every source it finds, each reservation named in
 * /proc/iomem by its source:
 *
 * - screen_info, where the architecture has it (x86; arm64 with EFI):
 *   "framebuffer (screen_info)";
 * - the memory BARs of PCI display devices that lie in a window below
 *   4 GiB: "framebuffer (PCI 0000:00:02.0)";
 * - the firmware property "reserved-ranges" of the bus's node, (start,
 *   size) pairs; like IORT RMR nodes they come from the ACPI tables, so the
 *   kdump kernel sees them too: "reserved (firmware)";
 * - pvbus.reserve=, a comma-separated list of size@start, meant for
 *   kdump-tools' KDUMP_CMDLINE_APPEND: "reserved (pvbus.reserve)";
 * - the ranges the host backend reports when it connects:
 *   "reserved (host)".
 *
 * If a kdump kernel finds none of the first four, it reserves the start of
 * the lowest window below 4 GiB, "framebuffer (kdump fallback)", and says
 * so.  pvbus.fb_sources= switches sources off, for tests.
 *
 * Gathering is done here; deciding what to reserve (pvbus_fb_plan()) is
 * pure, and so is decoding screen_info, for the pvbus_fb KUnit suite.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#define pr_fmt(fmt) "pvbus: " fmt

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/crash_dump.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/pvbus_host.h>
#include <linux/screen_info.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwfb.h"
#include "pvbus_internal.h"

static char *pvbus_reserve_param;
module_param_named(reserve, pvbus_reserve_param, charp, 0444);
MODULE_PARM_DESC(reserve,
		 "MMIO ranges to keep free, e.g. the framebuffer in a kdump kernel: comma-separated size@start, sizes with optional K/M/G suffix, e.g. 16M@0xfd000000");

static unsigned long pvbus_fb_enabled = PVBUS_FB_ALL_SOURCES;

static const char * const pvbus_fb_source_names[] = {
	[PVBUS_FB_SCREEN_INFO]		= "screen_info",
	[PVBUS_FB_PCI_DISPLAY]		= "pci",
	[PVBUS_FB_FIRMWARE]		= "firmware",
	[PVBUS_FB_HOST]			= "host",
	[PVBUS_FB_PARAM]		= "reserve",
	[PVBUS_FB_KDUMP_FALLBACK]	= "kdump_fallback",
};

/**
 * pvbus_fb_source_name() - name of a source
 * @src: the source
 *
 * These are also the words of pvbus.fb_sources=.
 *
 * Return: "screen_info", "pci", "firmware", "host", "reserve",
 * "kdump_fallback", or "unknown".
 */
const char *pvbus_fb_source_name(enum pvbus_fb_source src)
{
	if ((unsigned int)src >= ARRAY_SIZE(pvbus_fb_source_names))
		return "unknown";
	return pvbus_fb_source_names[src];
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_source_name);

/**
 * pvbus_fb_source_kind() - the kind of reservation a source makes
 * @src: the source
 *
 * Firmware and host ranges are never handed out.  Every other source
 * tells where a framebuffer may be, which a framebuffer driver may still
 * map with &pvbus_mmio_req.fb_overlap_ok.
 *
 * Return: %PVBUS_RSV_FIRMWARE, %PVBUS_RSV_HOST or %PVBUS_RSV_FRAMEBUFFER.
 */
enum pvbus_mmio_rsv pvbus_fb_source_kind(enum pvbus_fb_source src)
{
	switch (src) {
	case PVBUS_FB_FIRMWARE:
		return PVBUS_RSV_FIRMWARE;
	case PVBUS_FB_HOST:
		return PVBUS_RSV_HOST;
	default:
		return PVBUS_RSV_FRAMEBUFFER;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_source_kind);

/**
 * pvbus_fb_rsv_name() - the /proc/iomem name of a reservation
 * @c: the reservation
 * @buf: where the name goes
 * @size: size of @buf
 *
 * The name says where the range comes from, e.g. "framebuffer
 * (screen_info)" or "framebuffer (PCI 0000:00:02.0)".
 */
void pvbus_fb_rsv_name(const struct pvbus_fb_cand *c, char *buf, size_t size)
{
	switch (c->src) {
	case PVBUS_FB_SCREEN_INFO:
		strscpy(buf, "framebuffer (screen_info)", size);
		break;
	case PVBUS_FB_PCI_DISPLAY:
		snprintf(buf, size, "framebuffer (PCI %s)", c->label);
		break;
	case PVBUS_FB_FIRMWARE:
		strscpy(buf, "reserved (firmware)", size);
		break;
	case PVBUS_FB_HOST:
		strscpy(buf, "reserved (host)", size);
		break;
	case PVBUS_FB_PARAM:
		strscpy(buf, "reserved (pvbus.reserve)", size);
		break;
	case PVBUS_FB_KDUMP_FALLBACK:
		strscpy(buf, "framebuffer (kdump fallback)", size);
		break;
	default:
		strscpy(buf, "reserved", size);
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_rsv_name);

/**
 * pvbus_fb_screen_info_range() - where screen_info says the framebuffer is
 * @si: the screen_info
 * @r: the framebuffer's range
 *
 * Only the linear framebuffer types have one: %VIDEO_TYPE_VLFB, whose
 * lfb_size counts 64 KiB units, and %VIDEO_TYPE_EFI, whose lfb_size counts
 * bytes.  With %VIDEO_CAPABILITY_64BIT_BASE, ext_lfb_base holds bits 63:32
 * of the base.  As in vesafb and efifb, the size is at least the visible
 * mode, lfb_linelength * lfb_height.
 *
 * Return: true and @r set if @si describes a linear framebuffer at a
 * non-zero base; false otherwise, @r unchanged.
 */
bool pvbus_fb_screen_info_range(const struct screen_info *si,
				struct pvbus_range *r)
{
	struct pvbus_range tmp;
	u64 mode;

	tmp.start = si->lfb_base;
	if (si->capabilities & VIDEO_CAPABILITY_64BIT_BASE)
		tmp.start |= (u64)si->ext_lfb_base << 32;

	switch (si->PVBUS_SI_VIDEO_TYPE) {
	case VIDEO_TYPE_VLFB:
		tmp.size = (u64)si->lfb_size << 16;
		break;
	case VIDEO_TYPE_EFI:
		tmp.size = si->lfb_size;
		break;
	default:
		return false;
	}
	mode = (u64)si->lfb_linelength * si->lfb_height;
	tmp.size = max(tmp.size, mode);

	if (!tmp.start || pvbus_fw_check_range(&tmp) != PVBUS_FW_OK)
		return false;
	*r = tmp;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_screen_info_range);

/* The part of @win below 4 GiB; false if there is none. */
static bool pvbus_fb_low_part(const struct pvbus_range *win,
			      struct pvbus_range *low)
{
	u64 end = win->start + (win->size - 1);

	if (win->start > PVBUS_MMIO_LOW_END)
		return false;
	low->start = win->start;
	low->size = min(end, PVBUS_MMIO_LOW_END) - win->start + 1;
	return true;
}

/**
 * pvbus_fb_in_low_window() - does a range touch a window below 4 GiB?
 * @r: the range, valid
 * @win: the windows, valid
 * @nr_win: entries in @win
 *
 * Return: true if @r overlaps the part below 4 GiB of a window.
 */
bool pvbus_fb_in_low_window(const struct pvbus_range *r,
			    const struct pvbus_range *win, unsigned int nr_win)
{
	u64 end = r->start + (r->size - 1);
	struct pvbus_range low;
	unsigned int i;

	for (i = 0; i < nr_win; i++)
		if (pvbus_fb_low_part(&win[i], &low) &&
		    pvbus_ranges_overlap(r->start, end, low.start,
					 low.start + (low.size - 1)))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_in_low_window);

/**
 * pvbus_fb_fallback_range() - the kdump fallback reservation
 * @win: the windows, valid
 * @nr_win: entries in @win
 * @r: the range to reserve
 *
 * The start of the lowest window below 4 GiB, where hypervisor firmware
 * tends to put the framebuffer (Hyper-V does, and its vmbus driver falls
 * back to the same place).  Its size is half the window's part below
 * 4 GiB (rounded down to 4 KiB), but at least %PVBUS_FB_FALLBACK_MIN and
 * at most %PVBUS_FB_FALLBACK_MAX, and never more than that part:
 *
 * - 16 MiB is QEMU's default VGA memory (and its VGA BAR), twice Hyper-V's
 *   default: a framebuffer that size at the start of a small window must
 *   be covered whole, even if that leaves less than half the window;
 * - 64 MiB holds two 32-bit frames of 3840x2160;
 * - half the window leaves the other half to the 32-bit BARs of the kdump
 *   kernel, which needs few.
 *
 * Return: true and @r set, or false if no window starts below 4 GiB.
 */
bool pvbus_fb_fallback_range(const struct pvbus_range *win,
			     unsigned int nr_win, struct pvbus_range *r)
{
	const struct pvbus_range *lowest = NULL;
	struct pvbus_range low;
	unsigned int i;
	u64 size;

	for (i = 0; i < nr_win; i++)
		if (win[i].start <= PVBUS_MMIO_LOW_END &&
		    (!lowest || win[i].start < lowest->start))
			lowest = &win[i];
	if (!lowest || !pvbus_fb_low_part(lowest, &low))
		return false;

	size = ALIGN_DOWN(low.size / 2, PVBUS_FW_WIN_ALIGN);
	size = clamp_t(u64, size, PVBUS_FB_FALLBACK_MIN, PVBUS_FB_FALLBACK_MAX);
	r->start = low.start;
	r->size = min(size, low.size);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_fallback_range);

static bool pvbus_fb_plan_has(const struct pvbus_fb_plan *plan,
			      const struct pvbus_fb_cand *c)
{
	unsigned int i;

	for (i = 0; i < plan->nr; i++)
		if (plan->rsv[i].src == c->src &&
		    plan->rsv[i].range.start == c->range.start &&
		    plan->rsv[i].range.size == c->range.size)
			return true;
	return false;
}

/**
 * pvbus_fb_plan() - decide what to reserve at boot
 * @cand: what the sources found, in the order to reserve it
 * @nr: entries in @cand
 * @enabled: bit N set if source N (&enum pvbus_fb_source) may be used
 * @kdump: whether this is a kdump kernel
 * @win: the bus's windows, valid
 * @nr_win: entries in @win
 * @plan: the decision
 *
 * Every range of an enabled source is reserved: overlapping ranges of
 * different sources are all kept, so that each shows under its own name
 * and the union is covered; a range that a source gives twice is reserved
 * once.  Invalid ranges are dropped.  If this is a kdump kernel and none
 * of the sources that tell where a framebuffer is (screen_info, PCI,
 * firmware, pvbus.reserve=) gave a range, the plan ends with the kdump
 * fallback of pvbus_fb_fallback_range(), if enabled.
 */
void pvbus_fb_plan(const struct pvbus_fb_cand *cand, unsigned int nr,
		   unsigned long enabled, bool kdump,
		   const struct pvbus_range *win, unsigned int nr_win,
		   struct pvbus_fb_plan *plan)
{
	struct pvbus_fb_cand *fb;
	struct pvbus_range r;
	unsigned int i;

	plan->nr = 0;
	plan->found = 0;
	plan->fallback = PVBUS_FB_FALLBACK_UNNEEDED;

	for (i = 0; i < nr; i++) {
		const struct pvbus_fb_cand *c = &cand[i];

		if ((unsigned int)c->src >= PVBUS_FB_NR_SOURCES ||
		    !(enabled & BIT(c->src)) ||
		    pvbus_fw_check_range(&c->range) != PVBUS_FW_OK ||
		    pvbus_fb_plan_has(plan, c))
			continue;
		/* The last entry is kept for the fallback. */
		if (plan->nr >= ARRAY_SIZE(plan->rsv) - 1)
			break;
		plan->rsv[plan->nr++] = *c;
		plan->found |= BIT(c->src);
	}

	if (!kdump || (plan->found & PVBUS_FB_BOOT_SOURCES))
		return;
	if (!(enabled & BIT(PVBUS_FB_KDUMP_FALLBACK))) {
		plan->fallback = PVBUS_FB_FALLBACK_DISABLED;
		return;
	}
	if (!pvbus_fb_fallback_range(win, nr_win, &r)) {
		plan->fallback = PVBUS_FB_FALLBACK_NO_WINDOW;
		return;
	}

	fb = &plan->rsv[plan->nr++];
	memset(fb, 0, sizeof(*fb));
	fb->src = PVBUS_FB_KDUMP_FALLBACK;
	fb->range = r;
	plan->found |= BIT(PVBUS_FB_KDUMP_FALLBACK);
	plan->fallback = PVBUS_FB_FALLBACK_RESERVED;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_plan);

/**
 * pvbus_fb_parse_sources() - parse a pvbus.fb_sources= value
 * @s: comma-separated source names (see pvbus_fb_source_name()), "all"
 *	or "none"; a trailing newline is ignored
 * @mask: bit N set for each source N named
 *
 * Return: 0, or -EINVAL for an unknown word; @mask is then unchanged.
 */
int pvbus_fb_parse_sources(const char *s, unsigned long *mask)
{
	size_t total = strlen(s), len;
	const char *word, *end, *comma;
	unsigned long m = 0;
	unsigned int src;

	if (total && s[total - 1] == '\n')
		total--;
	end = s + total;

	for (word = s; ; word += len + 1) {
		comma = memchr(word, ',', end - word);
		len = comma ? comma - word : end - word;
		if (len == 3 && !strncmp(word, "all", len)) {
			m |= PVBUS_FB_ALL_SOURCES;
		} else if (len && !(len == 4 && !strncmp(word, "none", len))) {
			for (src = 0; src < PVBUS_FB_NR_SOURCES; src++)
				if (strlen(pvbus_fb_source_names[src]) == len &&
				    !strncmp(word, pvbus_fb_source_names[src],
					     len))
					break;
			if (src == PVBUS_FB_NR_SOURCES)
				return -EINVAL;
			m |= BIT(src);
		}
		if (word + len >= end)
			break;
	}

	*mask = m;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_parse_sources);

/**
 * pvbus_fb_sources_str() - list the sources of a mask
 * @mask: bit N set for source N
 * @buf: where the list goes
 * @size: size of @buf
 *
 * Writes the names separated by ", ", or "none".
 */
void pvbus_fb_sources_str(unsigned long mask, char *buf, size_t size)
{
	unsigned int src;
	size_t n = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (src = 0; src < PVBUS_FB_NR_SOURCES; src++)
		if (mask & BIT(src))
			n += scnprintf(buf + n, size - n, "%s%s",
				       n ? ", " : "",
				       pvbus_fb_source_names[src]);
	if (!n)
		strscpy(buf, "none", size);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_sources_str);

static int pvbus_fb_sources_set(const char *val, const struct kernel_param *kp)
{
	unsigned long mask;

	if (pvbus_fb_parse_sources(val, &mask)) {
		pr_err("fb_sources=%s: not a comma-separated list of all, none, screen_info, pci, firmware, host, reserve, kdump_fallback\n",
		       val);
		return -EINVAL;
	}
	*(unsigned long *)kp->arg = mask;
	return 0;
}

static int pvbus_fb_sources_get(char *buf, const struct kernel_param *kp)
{
	char list[128];

	pvbus_fb_sources_str(*(unsigned long *)kp->arg, list, sizeof(list));
	return scnprintf(buf, PAGE_SIZE, "%s\n", list);
}

static const struct kernel_param_ops pvbus_fb_sources_ops = {
	.set	= pvbus_fb_sources_set,
	.get	= pvbus_fb_sources_get,
};
module_param_cb(fb_sources, &pvbus_fb_sources_ops, &pvbus_fb_enabled, 0444);
MODULE_PARM_DESC(fb_sources,
		 "Sources of framebuffer and reserved ranges to use, for tests: comma-separated screen_info, pci, firmware, host, reserve, kdump_fallback, or all (default) or none");

/* What the boot-time sources found, and the plan made of it. */
struct pvbus_fb_boot {
	struct pvbus_fb_cand cand[PVBUS_FB_MAX_CAND];
	unsigned int nr;
	unsigned int nr_pci;
	struct pvbus_range ranges[PVBUS_MAX_FW_RSV];
	struct pvbus_fb_plan plan;
};

static void pvbus_fb_add(struct pvbus_fb_boot *b, enum pvbus_fb_source src,
			 const struct pvbus_range *r, const char *label)
{
	struct pvbus_fb_cand *c;

	/* Each source is bounded, so the array cannot overflow. */
	if (WARN_ON_ONCE(b->nr >= ARRAY_SIZE(b->cand) - 1))
		return;
	c = &b->cand[b->nr++];
	c->src = src;
	c->range = *r;
	strscpy(c->label, label, sizeof(c->label));
}

#if defined(CONFIG_X86) || (defined(CONFIG_ARM64) && defined(CONFIG_EFI))
static const struct screen_info *pvbus_fb_boot_screen_info(void)
{
	return &screen_info;
}
#else
/* The architecture has no screen_info. */
static const struct screen_info *pvbus_fb_boot_screen_info(void)
{
	return NULL;
}
#endif

static void pvbus_fb_from_screen_info(struct pvbus_root *root,
				      struct pvbus_fb_boot *b)
{
	const struct screen_info *si = pvbus_fb_boot_screen_info();
	struct pvbus_range r;

	if (!si)
		return;
	if (pvbus_fb_screen_info_range(si, &r))
		pvbus_fb_add(b, PVBUS_FB_SCREEN_INFO, &r, "");
	else
		dev_dbg(root->dev, "screen_info: no linear framebuffer (video type %#x, lfb_base %#x)\n",
			si->PVBUS_SI_VIDEO_TYPE, si->lfb_base);
}

#if IS_ENABLED(CONFIG_PCI)
static void pvbus_fb_from_pci_dev(struct pvbus_root *root,
				  struct pvbus_fb_boot *b, struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct resource *res = &pdev->resource[i];
		struct pvbus_range r;

		if (!(res->flags & IORESOURCE_MEM) ||
		    (res->flags & IORESOURCE_UNSET) || !res->start ||
		    !resource_size(res))
			continue;
		r.start = res->start;
		r.size = resource_size(res);
		if (!pvbus_fb_in_low_window(&r, root->windows,
					    root->nr_windows))
			continue;
		if (b->nr_pci == PVBUS_MAX_PCI_RSV) {
			dev_warn(root->dev, "PCI %s: BAR %u %pR not reserved: more than %d display BARs\n",
				 pci_name(pdev), i, res, PVBUS_MAX_PCI_RSV);
			continue;
		}
		b->nr_pci++;
		pvbus_fb_add(b, PVBUS_FB_PCI_DISPLAY, &r, pci_name(pdev));
	}
}

static void pvbus_fb_from_pci(struct pvbus_root *root, struct pvbus_fb_boot *b)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if ((pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY)
			pvbus_fb_from_pci_dev(root, b, pdev);
}
#else
static void pvbus_fb_from_pci(struct pvbus_root *root, struct pvbus_fb_boot *b)
{
}
#endif

static int pvbus_fb_from_firmware(struct pvbus_root *root,
				  struct pvbus_fb_boot *b)
{
	enum pvbus_fw_verdict v;
	int i, n;

	n = pvbus_fw_read_ranges(root->dev, "reserved-ranges", b->ranges,
				 PVBUS_MAX_FW_RSV);
	if (n < 0)
		return n;

	for (i = 0; i < n; i++) {
		v = pvbus_fw_check_range(&b->ranges[i]);
		if (v != PVBUS_FW_OK) {
			dev_err(root->dev, "firmware reserved range start %#llx size %#llx %s: ignored\n",
				b->ranges[i].start, b->ranges[i].size,
				pvbus_fw_verdict_str(v));
			continue;
		}
		pvbus_fb_add(b, PVBUS_FB_FIRMWARE, &b->ranges[i], "");
	}
	return 0;
}

static void pvbus_fb_bad_param(void *ctx, const char *item, size_t len,
			       int err)
{
	struct device *dev = ctx;

	if (err == -E2BIG)
		dev_err(dev, "pvbus.reserve=: '%.*s' is one range too many (at most %d): ignored\n",
			(int)len, item, PVBUS_MAX_PARAM_RSV);
	else
		dev_err(dev, "pvbus.reserve=: '%.*s' is not size@start: ignored\n",
			(int)len, item);
}

static void pvbus_fb_from_param(struct pvbus_root *root,
				struct pvbus_fb_boot *b, const char *reserve)
{
	unsigned int i, n;

	n = pvbus_fw_parse_list(reserve, b->ranges,
				PVBUS_MAX_PARAM_RSV, pvbus_fb_bad_param,
				root->dev);
	for (i = 0; i < n; i++)
		pvbus_fb_add(b, PVBUS_FB_PARAM, &b->ranges[i], "");
}

/*
 * Reserve one range.  Returns 0; -ENOMEM; or another error if the range
 * was refused, which is reported here.
 */
static int pvbus_fb_reserve_one(struct pvbus_root *root,
				const struct pvbus_fb_cand *c)
{
	u64 end = c->range.start + (c->range.size - 1);
	char name[48];
	int ret;

	pvbus_fb_rsv_name(c, name, sizeof(name));
	if (end > (u64)(resource_size_t)~0) {
		dev_err(root->dev, "%s [mem %#010llx-%#010llx] is beyond the physical address space: ignored\n",
			name, c->range.start, end);
		return -ERANGE;
	}

	ret = pvbus_mmio_reserve(root->space, c->range.start, c->range.size,
				 pvbus_fb_source_kind(c->src), name);
	if (ret == -EBUSY)
		dev_err(root->dev, "%s [mem %#010llx-%#010llx] not reserved: it overlaps a live allocation\n",
			name, c->range.start, end);
	else if (ret && ret != -ENOMEM)
		dev_err(root->dev, "%s [mem %#010llx-%#010llx] not reserved (%d)\n",
			name, c->range.start, end, ret);
	if (ret)
		return ret;

	set_bit(c->src, &root->fb_sources);
	dev_info(root->dev, "%s [mem %#010llx-%#010llx]\n", name,
		 c->range.start, end);
	return 0;
}

static void pvbus_fb_log_fallback(struct pvbus_root *root,
				  const struct pvbus_fb_plan *plan)
{
	const struct pvbus_range *r;

	switch (plan->fallback) {
	case PVBUS_FB_FALLBACK_RESERVED:
		r = &plan->rsv[plan->nr - 1].range;
		dev_warn(root->dev, "kdump kernel and no framebuffer source: reserved [mem %#010llx-%#010llx] (%llu KiB) at the start of the low window, in case the framebuffer is there\n",
			 r->start, r->start + (r->size - 1), r->size >> 10);
		break;
	case PVBUS_FB_FALLBACK_NO_WINDOW:
		dev_info(root->dev, "kdump kernel and no framebuffer source, but no window below 4 GiB: no fallback needed\n");
		break;
	case PVBUS_FB_FALLBACK_DISABLED:
		dev_warn(root->dev, "kdump kernel and no framebuffer source; the fallback is switched off by pvbus.fb_sources\n");
		break;
	case PVBUS_FB_FALLBACK_UNNEEDED:
		break;
	}
}

/**
 * __pvbus_fb_reserve_boot() - pvbus_fb_reserve_boot() with its inputs given
 * @root: the root; its windows are added already
 * @reserve: the value of pvbus.reserve=, or NULL
 * @enabled: the sources pvbus.fb_sources= enables
 * @kdump: whether to act as in a kdump kernel
 *
 * See pvbus_fb_reserve_boot(); KUnit calls this to be independent of the
 * module parameters and to act as a kdump kernel.
 *
 * Return: 0 or -ENOMEM.
 */
int __pvbus_fb_reserve_boot(struct pvbus_root *root, const char *reserve,
			    unsigned long enabled, bool kdump)
{
	unsigned long gathered = 0;
	struct pvbus_fb_boot *b;
	char list[128];
	unsigned int i;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;

	pvbus_fb_from_screen_info(root, b);
	pvbus_fb_from_pci(root, b);
	ret = pvbus_fb_from_firmware(root, b);
	if (ret)
		goto out;
	pvbus_fb_from_param(root, b, reserve);

	for (i = 0; i < b->nr; i++)
		gathered |= BIT(b->cand[i].src);

	pvbus_fb_plan(b->cand, b->nr, enabled, kdump, root->windows,
		      root->nr_windows, &b->plan);

	for (i = 0; i < b->plan.nr; i++) {
		ret = pvbus_fb_reserve_one(root, &b->plan.rsv[i]);
		if (ret == -ENOMEM)
			goto out;
	}
	ret = 0;
	pvbus_fb_log_fallback(root, &b->plan);

	pvbus_fb_sources_str(root->fb_sources, list, sizeof(list));
	dev_info(root->dev, "framebuffer sources found: %s\n", list);
	if (gathered & ~b->plan.found) {
		pvbus_fb_sources_str(gathered & ~b->plan.found, list,
				     sizeof(list));
		dev_info(root->dev, "framebuffer sources switched off by pvbus.fb_sources: %s\n",
			 list);
	}
out:
	kfree(b);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_fb_reserve_boot);

/**
 * pvbus_fb_reserve_boot() - reserve the framebuffer and reserved ranges
 * @root: the root; its windows are added already
 *
 * Gathers what screen_info, the PCI display devices, the firmware property
 * "reserved-ranges" and pvbus.reserve= say, drops the sources that
 * pvbus.fb_sources= switched off, plans with pvbus_fb_plan() and reserves
 * each range in @root->space under a name that says where it comes from.
 * Sets the bit of each source that gave a range in @root->fb_sources, and
 * logs each reservation and the list of sources found.  A range the
 * allocator refuses is reported and skipped.
 *
 * Context: process context; called once, from the root's probe, after
 * pvbus_fw_add_windows().
 * Return: 0 or -ENOMEM.  On error the space may hold reservations already:
 * the caller destroys it.
 */
int pvbus_fb_reserve_boot(struct pvbus_root *root)
{
	return __pvbus_fb_reserve_boot(root, pvbus_reserve_param,
				       READ_ONCE(pvbus_fb_enabled),
				       is_kdump_kernel());
}

/**
 * __pvbus_fb_reserve_host() - pvbus_fb_reserve_host() with its sources given
 * @root: the root
 * @rsv: the ranges, as the host's connect() reported them
 * @nr: entries in @rsv
 * @enabled: the sources pvbus.fb_sources= enables
 *
 * See pvbus_fb_reserve_host(); KUnit calls this to be independent of the
 * module parameter.
 *
 * Return: as pvbus_fb_reserve_host().
 */
int __pvbus_fb_reserve_host(struct pvbus_root *root,
			    const struct pvbus_range *rsv, unsigned int nr,
			    unsigned long enabled)
{
	struct pvbus_fb_cand c = { .src = PVBUS_FB_HOST };
	enum pvbus_fw_verdict v;
	unsigned int i;
	int err, ret = 0;

	if (nr > PVBUS_HOST_MAX_RSV || (nr && !rsv)) {
		dev_err(root->dev, "host reports %u reserved ranges, at most %d are allowed: none reserved\n",
			nr, PVBUS_HOST_MAX_RSV);
		return -EINVAL;
	}
	if (!(enabled & BIT(PVBUS_FB_HOST))) {
		if (nr)
			dev_info(root->dev, "%u host reserved ranges ignored: switched off by pvbus.fb_sources\n",
				 nr);
		return 0;
	}

	for (i = 0; i < nr; i++) {
		v = pvbus_fw_check_range(&rsv[i]);
		if (v != PVBUS_FW_OK) {
			dev_err(root->dev, "host reserved range start %#llx size %#llx %s: ignored\n",
				rsv[i].start, rsv[i].size,
				pvbus_fw_verdict_str(v));
			ret = -EINVAL;
			continue;
		}
		c.range = rsv[i];
		err = pvbus_fb_reserve_one(root, &c);
		if (err == -ENOMEM)
			return err;
		if (err)
			ret = -EINVAL;
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_fb_reserve_host);

/**
 * pvbus_fb_reserve_host() - reserve the ranges a host reports
 * @root: the root
 * @rsv: the ranges, as the host's connect() reported them
 * @nr: entries in @rsv
 *
 * Each range is reserved as %PVBUS_RSV_HOST, named "reserved (host)".  A
 * range that is empty, wraps or that the allocator refuses (it overlaps a
 * live allocation) is reported and skipped; the others are still
 * reserved.  Nothing is reserved if pvbus.fb_sources= switched the host
 * source off.
 *
 * Context: process context.
 * Return: 0 if every range was reserved; -EINVAL if @nr is more than
 * %PVBUS_HOST_MAX_RSV (nothing is reserved) or a range was skipped;
 * -ENOMEM.
 */
int pvbus_fb_reserve_host(struct pvbus_root *root,
			  const struct pvbus_range *rsv, unsigned int nr)
{
	return __pvbus_fb_reserve_host(root, rsv, nr,
				       READ_ONCE(pvbus_fb_enabled));
}
