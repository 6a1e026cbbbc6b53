// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the MMIO windows of the bus, from firmware and pvbus.mmio=.
 *
 * Firmware describes the windows in one of two ways, or both:
 *
 * - as hypervisors describe theirs (Hyper-V's VMBus among them): the
 *   memory ranges of the _CRS of an ACPI module device (_HID "ACPI0004")
 *   whose child the bus root is.  The ACPI core leaves a module device's
 *   _CRS alone, so nothing claims the ranges before PCI claims its BARs;
 *   this driver walks the _CRS itself.  Memory in the _CRS of the bus root
 *   itself is refused: the ACPI core inserted it into iomem when it made
 *   the platform device, before PCI claimed its BARs, and a range over
 *   the VGA BAR has stolen it by now;
 * - the u64-array property "mmio-windows" of the bus root's firmware node
 *   (ACPI _DSD or DT) of (start, size) pairs.
 *
 * Here the windows go into the published MMIO space, which inserts them
 * into iomem_resource so that they adopt the BARs they contain.
 *
 * Where no firmware node exists, pvbus.mmio= describes the windows as a
 * comma-separated list of size@start (size and start as memparse() reads
 * them, e.g. pvbus.mmio=32M@0xfc000000,4G@0x800000000).
 *
 * Every window is checked before it is used; a bad one is refused with a
 * message that names it and says why, and the others are still used (but
 * for one in the window of a PCI host bridge that is going, which the
 * root's probe then fails for: root_bridge.c).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/align.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/moduleparam.h>
#include <linux/property.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_host.h>
#include <linux/slab.h>
#include <linux/string.h>

#ifdef CONFIG_ARM64
#include <asm/cpufeature.h>
#endif

#include "fwfb.h"
#include "pvbus_internal.h"

/*
 * A kernel built for KUnit may give it a default, so that its suites have
 * a bus root on UML, which has no firmware to describe one.
 */
#ifdef CONFIG_PVBUS_KUNIT_ROOT_MMIO
static char *pvbus_mmio_param = CONFIG_PVBUS_KUNIT_ROOT_MMIO;
#else
static char *pvbus_mmio_param;
#endif
module_param_named(mmio, pvbus_mmio_param, charp, 0444);
MODULE_PARM_DESC(mmio,
		 "MMIO windows of a bus that no firmware node describes: comma-separated size@start, sizes with optional K/M/G suffix, e.g. 32M@0xfc000000,4G@0x800000000");

static const char * const pvbus_fw_verdicts[] = {
	[PVBUS_FW_OK]		= "valid",
	[PVBUS_FW_EMPTY]	= "empty",
	[PVBUS_FW_WRAP]		= "wraps around the end of the address space",
	[PVBUS_FW_SMALL]	= "smaller than 4 KiB",
	[PVBUS_FW_UNALIGNED]	= "not 4 KiB aligned",
	[PVBUS_FW_BEYOND]	= "beyond the physical address space",
	[PVBUS_FW_OVERLAP]	= "overlaps an earlier window",
	[PVBUS_FW_RAM]		= "overlaps System RAM",
	[PVBUS_FW_TOO_MANY]	= "one window too many",
	[PVBUS_FW_OLD_RAM]	= "overlaps the crashed kernel's RAM",
};

/**
 * pvbus_fw_verdict_str() - what a verdict means, for messages
 * @v: the verdict
 *
 * Return: a short phrase, e.g. "overlaps System RAM".
 */
const char *pvbus_fw_verdict_str(enum pvbus_fw_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(pvbus_fw_verdicts))
		return "invalid";
	return pvbus_fw_verdicts[v];
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_verdict_str);

/* Last address of @r; the range must be non-empty and not wrap. */
static u64 pvbus_fw_end(const struct pvbus_range *r)
{
	return r->start + (r->size - 1);
}

/**
 * pvbus_fw_check_range() - check that a range is a range at all
 * @r: the range
 *
 * Return: %PVBUS_FW_EMPTY, %PVBUS_FW_WRAP or %PVBUS_FW_OK.
 */
enum pvbus_fw_verdict pvbus_fw_check_range(const struct pvbus_range *r)
{
	if (!r->size)
		return PVBUS_FW_EMPTY;
	if (r->start > U64_MAX - (r->size - 1))
		return PVBUS_FW_WRAP;
	return PVBUS_FW_OK;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_check_range);

static bool pvbus_fw_overlaps(const struct pvbus_range *a,
			      const struct pvbus_range *b)
{
	return pvbus_ranges_overlap(a->start, pvbus_fw_end(a), b->start,
				    pvbus_fw_end(b));
}

/**
 * pvbus_fw_check_window() - check a candidate MMIO window
 * @win: the candidate
 * @prev: the windows accepted before it
 * @nr_prev: entries in @prev
 * @max_addr: the highest physical address
 * @is_ram: tells whether a range overlaps System RAM
 * @ctx: passed to @is_ram
 *
 * The checks run in the order of &enum pvbus_fw_verdict, so a window is
 * refused for the first thing wrong with it; @is_ram is called only for a
 * window that passed every check before it.
 *
 * Return: %PVBUS_FW_OK, or why the window must not be used.
 */
enum pvbus_fw_verdict pvbus_fw_check_window(const struct pvbus_range *win,
					    const struct pvbus_range *prev,
					    unsigned int nr_prev, u64 max_addr,
					    pvbus_fw_is_ram_fn is_ram,
					    void *ctx)
{
	enum pvbus_fw_verdict v;
	unsigned int i;

	v = pvbus_fw_check_range(win);
	if (v != PVBUS_FW_OK)
		return v;
	if (win->size < PVBUS_FW_WIN_ALIGN)
		return PVBUS_FW_SMALL;
	if (!IS_ALIGNED(win->start, PVBUS_FW_WIN_ALIGN) ||
	    !IS_ALIGNED(win->size, PVBUS_FW_WIN_ALIGN))
		return PVBUS_FW_UNALIGNED;
	if (pvbus_fw_end(win) > max_addr)
		return PVBUS_FW_BEYOND;
	for (i = 0; i < nr_prev; i++)
		if (pvbus_fw_overlaps(win, &prev[i]))
			return PVBUS_FW_OVERLAP;
	if (is_ram(win->start, win->size, ctx))
		return PVBUS_FW_RAM;
	if (nr_prev >= PVBUS_MAX_WINDOWS)
		return PVBUS_FW_TOO_MANY;
	return PVBUS_FW_OK;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_check_window);

/* Longer items are refused: no valid size@start needs as many. */
#define PVBUS_FW_ITEM_MAX	64

/* The item [*@s, *@end) without the white space around it. */
static void pvbus_fw_trim(const char **s, const char **end)
{
	while (*s < *end && isspace(**s))
		(*s)++;
	while (*end > *s && isspace((*end)[-1]))
		(*end)--;
}

/**
 * pvbus_fw_parse_range() - parse one size@start item
 * @s: the item; need not be NUL-terminated
 * @len: its length
 * @r: the range it describes
 *
 * Spaces around the item are ignored.  The item is read by
 * pvbus_parse_range(), its size and start as memparse() reads them:
 * decimal, 0x hex or 0 octal, with an optional K/M/G/T/P/E suffix; a
 * range pvbus_fw_check_range() refuses is refused.
 *
 * Return: 0; -EINVAL for anything but size@start, for trailing junk, a
 * number that does not fit in 64 bits, a size of 0, a range that wraps,
 * or an item of more than 64 characters.
 */
int pvbus_fw_parse_range(const char *s, size_t len, struct pvbus_range *r)
{
	char buf[PVBUS_FW_ITEM_MAX + 1];
	const char *end = s + len;
	struct pvbus_range tmp;
	char *p;

	pvbus_fw_trim(&s, &end);

	/* A copy that ends where the item does, for pvbus_parse_range(). */
	if (end - s > PVBUS_FW_ITEM_MAX)
		return -EINVAL;
	memcpy(buf, s, end - s);
	buf[end - s] = '\0';

	if (pvbus_parse_range(buf, &p, &tmp) || *p ||
	    pvbus_fw_check_range(&tmp) != PVBUS_FW_OK)
		return -EINVAL;

	*r = tmp;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_parse_range);

/* Whether an item is empty once trimmed as pvbus_fw_parse_range() trims. */
static bool pvbus_fw_item_blank(const char *s, size_t len)
{
	const char *end = s + len;

	pvbus_fw_trim(&s, &end);
	return s == end;
}

/**
 * pvbus_fw_list_has_item() - does a comma-separated list have an item?
 * @s: the list; NULL is an empty list
 *
 * Return: true if an item of @s is not empty once trimmed, whether it
 * parses or not.
 */
bool pvbus_fw_list_has_item(const char *s)
{
	const char *item;
	size_t len;

	if (!s)
		return false;
	for (item = s; ; item += len + 1) {
		len = strchrnul(item, ',') - item;
		if (!pvbus_fw_item_blank(item, len))
			return true;
		if (!item[len])
			return false;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_list_has_item);

/**
 * pvbus_fw_parse_list() - parse a comma-separated list of size@start
 * @s: the list; NULL is an empty list
 * @out: where the ranges go
 * @max: room in @out
 * @bad: called for each item refused; may be NULL
 * @ctx: passed to @bad
 *
 * Empty items, or items of white space only, are skipped.  An item that
 * is not size@start (see pvbus_fw_parse_range()) is reported to @bad with
 * -EINVAL, an item after the first @max good ones with -E2BIG; neither
 * stops the parse, so one mistyped item costs only itself.
 *
 * Return: the number of ranges stored in @out.
 */
unsigned int pvbus_fw_parse_list(const char *s, struct pvbus_range *out,
				 unsigned int max, pvbus_fw_bad_item_fn bad,
				 void *ctx)
{
	unsigned int nr = 0;
	const char *item;
	size_t len;
	int err;

	if (!s)
		return 0;

	for (item = s; ; item += len + 1) {
		len = strchrnul(item, ',') - item;

		if (!pvbus_fw_item_blank(item, len)) {
			err = nr < max ?
			      pvbus_fw_parse_range(item, len, &out[nr]) :
			      -E2BIG;
			if (!err)
				nr++;
			else if (bad)
				bad(ctx, item, len, err);
		}
		if (!item[len])
			break;
	}
	return nr;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_parse_list);

/**
 * pvbus_fw_parse_cells() - turn a firmware u64 array into ranges
 * @cells: the array: start, size, start, size, ...
 * @ncells: entries in @cells
 * @out: where the ranges go
 * @max: room in @out
 *
 * The ranges are not checked; see pvbus_fw_check_range().
 *
 * Return: the number of ranges stored; -EINVAL if @ncells is odd (with a
 * cell missing, which one is unknown, so every pair after it would be
 * misread: nothing is stored); -E2BIG if there are more than @max pairs
 * (the first @max are stored).
 */
int pvbus_fw_parse_cells(const u64 *cells, size_t ncells,
			 struct pvbus_range *out, unsigned int max)
{
	size_t i;

	if (ncells % 2)
		return -EINVAL;

	for (i = 0; i < ncells / 2 && i < max; i++) {
		out[i].start = cells[2 * i];
		out[i].size = cells[2 * i + 1];
	}
	return ncells / 2 > max ? -E2BIG : (int)i;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_parse_cells);

/**
 * pvbus_fw_zone() - which side of 4 GiB a valid range is on
 * @r: the range
 *
 * Return: "low", "high", or "low+high" for one that straddles 4 GiB.
 */
const char *pvbus_fw_zone(const struct pvbus_range *r)
{
	return pvbus_mmio_zone_name(r->start, pvbus_fw_end(r));
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_zone);

/**
 * pvbus_fw_read_ranges() - read a (start, size) property of a device
 * @dev: the device; its fwnode may be ACPI, DT or none
 * @prop: name of the u64-array property
 * @out: where the ranges go
 * @max: room in @out
 *
 * A missing property is no range.  A property that is there but is not an
 * array of 64-bit cells (empty, of a length that is not a whole number of
 * them, of another type), or has an odd number of cells, is refused as a
 * whole; of a property with more than @max pairs the first @max are used
 * (only they are read).  All three are reported with dev_err().  The
 * ranges are not checked.
 *
 * Return: the number of ranges stored; -EINVAL if the property is there
 * but refused (nothing is stored); -ENOMEM.
 */
int pvbus_fw_read_ranges(struct device *dev, const char *prop,
			 struct pvbus_range *out, unsigned int max)
{
	int count, ret;
	size_t n;
	u64 *cells;

	count = device_property_count_u64(dev, prop);
	if (count <= 0) {
		if (!device_property_present(dev, prop))
			return 0;
		/* DT: empty, or not a multiple of 8 bytes; ACPI: no integers. */
		dev_err(dev, "firmware property %s is not an array of 64-bit (start, size) cells (%d): ignored\n",
			prop, count);
		return -EINVAL;
	}
	if (count % 2) {
		dev_err(dev, "firmware property %s has an odd number of cells (%d), not (start, size) pairs: ignored\n",
			prop, count);
		return -EINVAL;
	}

	n = min_t(size_t, count, 2 * (size_t)max);
	cells = kcalloc(n, sizeof(*cells), GFP_KERNEL);
	if (!cells)
		return -ENOMEM;

	ret = device_property_read_u64_array(dev, prop, cells, n);
	if (ret) {
		dev_err(dev, "firmware property %s unreadable (%d): ignored\n",
			prop, ret);
		ret = -EINVAL;
		goto out;
	}

	ret = pvbus_fw_parse_cells(cells, n, out, max);
	if (n < (size_t)count)
		dev_err(dev, "firmware property %s has %d ranges: only the first %u are used\n",
			prop, count / 2, max);
out:
	kfree(cells);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_read_ranges);

static bool pvbus_fw_is_ram(u64 start, u64 size, void *ctx)
{
	return region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) != REGION_DISJOINT;
}

static bool pvbus_fw_is_old_ram(const struct pvbus_range *win,
				const struct pvbus_range *old_ram,
				unsigned int nr_old_ram)
{
	unsigned int i;

	for (i = 0; i < nr_old_ram; i++)
		if (pvbus_fw_overlaps(win, &old_ram[i]))
			return true;
	return false;
}

/* What the windows of one root are checked against. */
struct pvbus_fw_ctx {
	struct pvbus_root *root;
	const struct pvbus_range *old_ram;
	unsigned int nr_old_ram;
};

#ifdef CONFIG_ARM64
/*
 * The CPUs' physical address range: ID_AA64MMFR0_EL1.PARange, sanitised
 * to the lowest of all CPUs.  An access past it faults.
 */
static u64 pvbus_fw_cpu_max_addr(void)
{
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	int parange = cpuid_feature_extract_unsigned_field(mmfr0,
					ID_AA64MMFR0_EL1_PARANGE_SHIFT);

	return (1ULL << id_aa64mmfr0_parange_to_phys_shift(parange)) - 1;
}
#else
static u64 pvbus_fw_cpu_max_addr(void)
{
	return U64_MAX;
}
#endif

/*
 * The highest address a window may reach.  x86 lowers iomem_resource's end
 * to the CPU's physical address bits, which may pass MAX_PHYSMEM_BITS (46
 * with 4-level paging), and ioremap() reaches them: that end it is.  arm64
 * leaves it at -1, so there the bound is the lower of the kernel's,
 * MAX_PHYSMEM_BITS (CONFIG_ARM64_PA_BITS, past which ioremap() refuses),
 * and the CPUs' (pvbus_fw_cpu_max_addr()).
 */
static u64 pvbus_fw_max_addr(void)
{
	u64 max = iomem_resource.end;

#ifdef MAX_PHYSMEM_BITS
	if (iomem_resource.end == (resource_size_t)~0)
		max = (1ULL << MAX_PHYSMEM_BITS) - 1;
#endif
	return min(max, pvbus_fw_cpu_max_addr());
}

/* Check one window and add it to the root's space. */
static int pvbus_fw_add_window(struct pvbus_fw_ctx *ctx,
			       const struct pvbus_range *win, const char *from)
{
	struct pvbus_root *root = ctx->root;
	struct device *dev = root->dev;
	enum pvbus_fw_verdict v;
	u64 end;
	int ret;

	v = pvbus_fw_check_window(win, root->windows, root->nr_windows,
				  pvbus_fw_max_addr(), pvbus_fw_is_ram,
				  NULL);
	if (v == PVBUS_FW_OK &&
	    pvbus_fw_is_old_ram(win, ctx->old_ram, ctx->nr_old_ram))
		v = PVBUS_FW_OLD_RAM;
	if (v != PVBUS_FW_OK) {
		dev_err(dev, "%s window start %#llx size %#llx %s: refused\n",
			from, win->start, win->size, pvbus_fw_verdict_str(v));
		return 0;
	}

	end = pvbus_fw_end(win);
	ret = pvbus_mmio_add_window(root->space, win->start, win->size);
	if (ret == -ENOMEM)
		return ret;
	/* The root's tie said why: the root is tried again later. */
	if (ret == -EPROBE_DEFER)
		return 0;
	if (ret) {
		/* The allocator, or the root's tie, said why above. */
		dev_err(dev, "%s window [mem %#010llx-%#010llx] not taken by the MMIO allocator (%d): refused\n",
			from, win->start, end, ret);
		return 0;
	}

	root->windows[root->nr_windows++] = *win;
	dev_info(dev, "%s window [mem %#010llx-%#010llx] (%s)\n",
		 pvbus_fw_zone(win), win->start, end, from);
	return 0;
}

static void pvbus_fw_bad_param(void *ctx, const char *item, size_t len,
			       int err)
{
	struct device *dev = ctx;

	if (err == -E2BIG)
		dev_err(dev, "pvbus.mmio=: '%.*s' comes after %d valid items: refused\n",
			(int)len, item, PVBUS_FW_MAX_CRS);
	else
		dev_err(dev, "pvbus.mmio=: '%.*s' is not size@start: refused\n",
			(int)len, item);
}

/**
 * __pvbus_fw_add_windows_crs() - pvbus_fw_add_windows() with its inputs
 * @root: the root; its space exists
 * @crs: the resources of the _CRS that describes the windows; may be NULL
 * @nr_crs: entries in @crs
 * @mmio: the value of pvbus.mmio=, or NULL
 * @old_ram: in a kdump kernel, the crashed kernel's RAM; else NULL
 * @nr_old_ram: entries in @old_ram
 *
 * See pvbus_fw_add_windows(); a window that overlaps @old_ram is refused
 * too.  KUnit and the fuzzer call this to be independent of ACPI and of
 * the module parameter, and to act as a kdump kernel.
 *
 * Return: 0 if at least one window was added; -ENODEV if none was;
 * -ENOMEM.
 */
int __pvbus_fw_add_windows_crs(struct pvbus_root *root,
			       const struct resource *crs, unsigned int nr_crs,
			       const char *mmio,
			       const struct pvbus_range *old_ram,
			       unsigned int nr_old_ram)
{
	struct pvbus_fw_ctx ctx = {
		.root = root, .old_ram = old_ram, .nr_old_ram = nr_old_ram,
	};
	unsigned int i, nr_crs_win, nr_fw, nr_param;
	struct pvbus_range *ranges;
	int ret;

	/*
	 * Room for every memory range of a decoded _CRS: each is checked,
	 * and a refused one takes no window's place.
	 */
	BUILD_BUG_ON(PVBUS_FW_MAX_CRS < PVBUS_MAX_WINDOWS);
	ranges = kcalloc(PVBUS_FW_MAX_CRS, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;

	nr_crs_win = pvbus_fw_crs_ranges(crs, nr_crs, ranges,
					 PVBUS_FW_MAX_CRS);
	if (nr_crs_win > PVBUS_FW_MAX_CRS) {
		dev_err(root->dev, "_CRS has %u memory ranges: only the first %d are looked at\n",
			nr_crs_win, PVBUS_FW_MAX_CRS);
		nr_crs_win = PVBUS_FW_MAX_CRS;
	}
	for (i = 0; i < nr_crs_win; i++) {
		ret = pvbus_fw_add_window(&ctx, &ranges[i], "_CRS");
		if (ret)
			goto out;
	}

	/* A refused property was reported, and gives no window. */
	ret = pvbus_fw_read_ranges(root->dev, "mmio-windows", ranges,
				   PVBUS_FW_MAX_CRS);
	if (ret == -ENOMEM)
		goto out;
	nr_fw = max(ret, 0);
	for (i = 0; i < nr_fw; i++) {
		ret = pvbus_fw_add_window(&ctx, &ranges[i], "firmware");
		if (ret)
			goto out;
	}

	/* As for _CRS: an item refused takes no window's place. */
	nr_param = pvbus_fw_parse_list(mmio, ranges, PVBUS_FW_MAX_CRS,
				       pvbus_fw_bad_param, root->dev);
	for (i = 0; i < nr_param; i++) {
		ret = pvbus_fw_add_window(&ctx, &ranges[i], "pvbus.mmio");
		if (ret)
			goto out;
	}

	ret = 0;
	if (!root->nr_windows) {
		/* A window the root's tie refused: the tie said why. */
		if (!root->tie_err)
			dev_err(root->dev, "no usable MMIO window (_CRS gave %u, firmware %u, pvbus.mmio= %u)\n",
				nr_crs_win, nr_fw, nr_param);
		ret = -ENODEV;
	}
out:
	kfree(ranges);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_fw_add_windows_crs);

/**
 * __pvbus_fw_add_windows_kdump() - pvbus_fw_add_windows() without _CRS
 * @root: the root; its space exists
 * @mmio: the value of pvbus.mmio=, or NULL
 * @old_ram: in a kdump kernel, the crashed kernel's RAM; else NULL
 * @nr_old_ram: entries in @old_ram
 *
 * As __pvbus_fw_add_windows_crs() with no _CRS.
 *
 * Return: as __pvbus_fw_add_windows_crs().
 */
int __pvbus_fw_add_windows_kdump(struct pvbus_root *root, const char *mmio,
				 const struct pvbus_range *old_ram,
				 unsigned int nr_old_ram)
{
	return __pvbus_fw_add_windows_crs(root, NULL, 0, mmio, old_ram,
					  nr_old_ram);
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_fw_add_windows_kdump);

/**
 * __pvbus_fw_add_windows() - pvbus_fw_add_windows() with pvbus.mmio= given
 * @root: the root; its space exists
 * @mmio: the value of pvbus.mmio=, or NULL
 *
 * As __pvbus_fw_add_windows_kdump() outside a kdump kernel.
 *
 * Return: as pvbus_fw_add_windows().
 */
int __pvbus_fw_add_windows(struct pvbus_root *root, const char *mmio)
{
	return __pvbus_fw_add_windows_kdump(root, mmio, NULL, 0);
}
EXPORT_SYMBOL_IF_KUNIT(__pvbus_fw_add_windows);

/**
 * pvbus_fw_read_input() - read what firmware says of a root's windows
 * @dev: the root's device
 * @in: filled; pvbus_fw_free_input() frees it
 *
 * Evaluates the _CRS of @dev's parent module device and, in a kdump
 * kernel, reads the crashed kernel's RAM from /proc/vmcore (the PT_LOAD
 * headers of its ELF core header).  A _CRS or a header that cannot be
 * read is reported and gives nothing.
 *
 * Context: process context, without the bus's lock.
 * Return: 0 or -ENOMEM (@in is then empty).
 */
int pvbus_fw_read_input(struct device *dev, struct pvbus_fw_input *in)
{
	int ret;

	memset(in, 0, sizeof(*in));
	ret = pvbus_fw_read_crs(dev, &in->crs);
	if (ret < 0)
		return ret;
	in->nr_crs = ret;
	ret = pvbus_fw_read_old_ram(dev, &in->old_ram);
	if (ret < 0) {
		pvbus_fw_free_input(in);
		return ret;
	}
	in->nr_old_ram = ret;
	return 0;
}

/**
 * pvbus_fw_free_input() - free what pvbus_fw_read_input() read
 * @in: the input; empty afterwards
 */
void pvbus_fw_free_input(struct pvbus_fw_input *in)
{
	kfree(in->crs);
	kvfree(in->old_ram);
	memset(in, 0, sizeof(*in));
}

/**
 * pvbus_fw_add_windows() - add the bus's MMIO windows to its space
 * @root: the root; its space exists and is published
 * @in: what firmware says, from pvbus_fw_read_input()
 * @param: take the windows of pvbus.mmio= too (for the first root only)
 *
 * Takes the windows of the _CRS of @root->dev's parent module device,
 * then those of the firmware property "mmio-windows" of @root->dev, then
 * those of pvbus.mmio= if @param, checks each against the ones before it (see
 * pvbus_fw_check_window()) and, in a kdump kernel, against
 * the crashed kernel's RAM,
 * adds the good ones to @root->space and records them in @root->windows.
 * A bad window is refused with a message naming it and the reason; the
 * others are still used (the root's probe fails, after, for one its
 * host bridge tie refused).
 *
 * Context: process context; called once, from the root's probe.
 * Return: 0 if at least one window was added; -ENODEV if none was;
 * -ENOMEM.  On error the space may hold windows already: the caller
 * destroys it.
 */
int pvbus_fw_add_windows(struct pvbus_root *root,
			 const struct pvbus_fw_input *in, bool param)
{
	return __pvbus_fw_add_windows_crs(root, in->crs, in->nr_crs,
					  param ? pvbus_mmio_param : NULL,
					  in->old_ram, in->nr_old_ram);
}

/**
 * pvbus_fw_param_root_wanted() - does pvbus.mmio= describe a bus?
 *
 * An item that does not parse is wanted too: the root's probe says why it
 * is refused.  One of only commas and blanks describes nothing, and makes
 * no root that no probe can bind.
 *
 * Return: true if pvbus.mmio= has an item that is not blank.
 */
bool pvbus_fw_param_root_wanted(void)
{
	return pvbus_fw_list_has_item(pvbus_mmio_param);
}
