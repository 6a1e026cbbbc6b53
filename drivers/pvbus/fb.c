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
 * If none of the first four tells a kdump kernel where the framebuffer is
 * (a firmware range tells only if it lies where the fallback would), it
 * reserves the start of the lowest window below 4 GiB, "framebuffer
 * (kdump fallback)", and says so.  screen_info's size is the boot mode's,
 * not what the crashed kernel's driver made of it: where no display BAR
 * or pvbus.reserve= range holds its base, a kdump kernel reserves the
 * fallback from that base as well.
 * pvbus.fb_sources= switches sources off, for tests.
 *
 * Gathering and reserving are done here; deciding what to reserve
 * (pvbus_fb_plan()) and decoding screen_info are pure, in fb_plan.c.
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
				      struct pvbus_fb_boot *b,
				      const struct screen_info *si)
{
	struct pvbus_range r;
	int ret;

	if (!si)
		return;
	ret = pvbus_fb_screen_info_range(si, &r);
	if (!ret)
		pvbus_fb_add(b, PVBUS_FB_SCREEN_INFO, &r, "");
	else if (ret == -EINVAL)
		dev_err(root->dev, "screen_info: malformed framebuffer (video type %#x, lfb_base %#x, ext_lfb_base %#x, lfb_size %#x): ignored\n",
			si->PVBUS_SI_VIDEO_TYPE, si->lfb_base,
			si->ext_lfb_base, si->lfb_size);
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

	/* A refused property was reported, and reserves nothing. */
	n = pvbus_fw_read_ranges(root->dev, "reserved-ranges", b->ranges,
				 PVBUS_MAX_FW_RSV);
	if (n == -ENOMEM)
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
		if (plan->from_screen_info)
			dev_warn(root->dev, "kdump kernel and no display BAR or pvbus.reserve= range holds screen_info's framebuffer, which the crashed kernel's driver may have grown: reserved [mem %#010llx-%#010llx] (%llu KiB) from its base\n",
				 r->start, r->start + (r->size - 1),
				 r->size >> 10);
		else
			dev_warn(root->dev, "kdump kernel and no source tells where the framebuffer is: reserved [mem %#010llx-%#010llx] (%llu KiB) at the start of the low window, in case it is there\n",
				 r->start, r->start + (r->size - 1),
				 r->size >> 10);
		break;
	case PVBUS_FB_FALLBACK_NO_WINDOW:
		dev_info(root->dev, "kdump kernel and no source tells where the framebuffer is, but no window below 4 GiB: no fallback needed\n");
		break;
	case PVBUS_FB_FALLBACK_DISABLED:
		if (plan->from_screen_info)
			dev_warn(root->dev, "kdump kernel and no display BAR or pvbus.reserve= range holds screen_info's framebuffer, which the crashed kernel's driver may have grown; the fallback is switched off by pvbus.fb_sources\n");
		else
			dev_warn(root->dev, "kdump kernel and no source tells where the framebuffer is; the fallback is switched off by pvbus.fb_sources\n");
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
 * @si: the boot screen_info, or NULL where the architecture has none
 *
 * See pvbus_fb_reserve_boot(); KUnit calls this to be independent of the
 * module parameters and of the boot screen_info, and to act as a kdump
 * kernel.
 *
 * Return: 0 or -ENOMEM.
 */
int __pvbus_fb_reserve_boot(struct pvbus_root *root, const char *reserve,
			    unsigned long enabled, bool kdump,
			    const struct screen_info *si)
{
	unsigned long gathered = 0;
	struct pvbus_fb_boot *b;
	char list[128];
	unsigned int i;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;

	pvbus_fb_from_screen_info(root, b, si);
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
				       is_kdump_kernel(),
				       pvbus_fb_boot_screen_info());
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
