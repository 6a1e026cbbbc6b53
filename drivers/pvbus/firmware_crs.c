// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: windows from the _CRS of the bus root's parent, an ACPI module
 * device (_HID "ACPI0004"), as hypervisors describe theirs.
 *
 * ACPICA hands over a _CRS as a buffer of struct acpi_resource records;
 * whatever firmware put there is untrusted.  pvbus_fw_crs_decode() checks
 * each record's length against its type before it reads a field, and the
 * pure pvbus_fw_crs_windows() decides which records are windows, so that
 * KUnit and the fuzzer drive both without ACPI.  The ACPI glue at the end
 * only fetches the buffers, asks the ACPI core which hardware ids of the
 * parent matter, and reports.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwfb.h"

/* The parents whose _CRS describes the windows: module devices. */
#define PVBUS_FW_MODULE_HID	"ACPI0004"

/**
 * pvbus_fw_crs_ranges() - the memory ranges of a decoded _CRS
 * @res: the resources pvbus_fw_crs_decode() decoded the _CRS into
 * @n: entries in @res
 * @out: where the ranges go
 * @max: room in @out
 *
 * Takes the memory resources that are not disabled, in order (the decoder
 * stores none that are); resources of other types (I/O ports, bus
 * numbers, interrupts) are skipped.  The decoder refused those that end
 * below their start; the ranges are not
 * checked otherwise (see pvbus_fw_check_range(): the whole address space,
 * whose size wraps to 0, is refused there).  A memory resource past the
 * first @max is counted, not stored.
 *
 * Return: the number of memory ranges (which may exceed @max); the first
 * min(return, @max) are in @out.
 */
unsigned int pvbus_fw_crs_ranges(const struct resource *res, unsigned int n,
				 struct pvbus_range *out, unsigned int max)
{
	unsigned int i, nr = 0;

	for (i = 0; i < n; i++) {
		const struct resource *r = &res[i];

		if (resource_type(r) != IORESOURCE_MEM ||
		    (r->flags & IORESOURCE_DISABLED))
			continue;
		if (nr < max) {
			out[nr].start = r->start;
			out[nr].size = (u64)r->end - r->start + 1;
		}
		nr++;
	}
	return nr;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_crs_ranges);

/*
 * A memory range of @len bytes from @start, as acpi_dev_resource_memory()
 * decodes one: a length of 0 is a disabled resource (firmware's way of
 * saying "not assigned"); a range that wraps is refused.
 */
static int pvbus_fw_crs_mem(struct resource *r, u64 start, u64 len)
{
	*r = (struct resource){ .flags = IORESOURCE_MEM };
	if (!len) {
		r->flags |= IORESOURCE_DISABLED | IORESOURCE_UNSET;
		return 1;
	}
	if (start > U64_MAX - (len - 1) ||
	    start + (len - 1) > (resource_size_t)~0)
		return -ERANGE;
	r->start = start;
	r->end = start + (len - 1);
	return 1;
}

/*
 * A memory range of an address space descriptor, as acpi_decode_space()
 * decodes one: [min, max], translated by the offset of a producer (a
 * consumer must have none: it is ignored); a length of 0 disables it.
 * Any other length is not held against [min, max]: some firmware reports
 * wrong lengths, and the ACPI core dropped that check for it (see
 * acpi_dev_resource_len_valid()).
 *
 * The offset is added modulo 2^64, as the core adds it, so an offset
 * "below 0" (two's complement) moves the range down and a window is read
 * where the core reads it.  The offsets of Word and DWord descriptors are
 * 16 and 32 bits wide and zero-extended, as acpi_resource_to_address64()
 * extends them: never negative.  Refused: a range that ends below its
 * start, and one whose translation wraps around the top of the address
 * space (its translated end below its translated start, where the core
 * would mark it disabled) or ends past what a resource holds.  What else
 * makes it no window for pvbus (size, alignment, RAM) the window checks
 * decide (pvbus_fw_check_window()).  Spaces other than memory (I/O, bus
 * numbers, the reserved and vendor-defined types) are skipped.
 */
static int pvbus_fw_crs_addr(struct resource *r,
			     const struct acpi_resource_address *a, u64 min,
			     u64 max, u64 trans, u64 len)
{
	u64 off = a->producer_consumer == ACPI_PRODUCER ? trans : 0;
	u64 start = min + off, end = max + off;

	if (a->resource_type != ACPI_MEMORY_RANGE)
		return 0;
	*r = (struct resource){ .flags = IORESOURCE_MEM };
	if (!len) {
		r->flags |= IORESOURCE_DISABLED | IORESOURCE_UNSET;
		return 1;
	}
	if (max < min)
		return -EINVAL;
	/* With max >= min, the translation wraps iff the end falls below. */
	if (end < start || end > (resource_size_t)~0)
		return -ERANGE;
	r->start = start;
	r->end = end;
	if (a->producer_consumer == ACPI_PRODUCER)
		r->flags |= IORESOURCE_WINDOW;
	if (a->info.mem.caching == ACPI_PREFETCHABLE_MEMORY)
		r->flags |= IORESOURCE_PREFETCH;
	return 1;
}

/*
 * pvbus_fw_crs_addr() of the address attribute @attr of a Word, DWord,
 * QWord or Extended descriptor in @d: its fields, whatever their width,
 * zero-extended to 64 bits as acpi_resource_to_address64() extends them.
 */
#define pvbus_fw_crs_addr_of(r, d, attr) ({				\
	typeof(attr) *_a = &(attr);					\
									\
	pvbus_fw_crs_addr(r, &(d)->address, _a->minimum, _a->maximum,	\
			  _a->translation_offset, _a->address_length);	\
})

/*
 * One record of a _CRS, @rlen bytes, its length already checked to hold
 * its type's data.  Return: 1 for a memory resource in *@r, 0 for a record
 * of another kind, or a negative error for a memory one refused.
 */
static int pvbus_fw_crs_one(const struct acpi_resource *ares,
			    struct resource *r)
{
	const union acpi_resource_data *d = &ares->data;

	switch (ares->type) {
	case ACPI_RESOURCE_TYPE_MEMORY24:
		/* In 256-byte units, as acpi_dev_resource_memory() reads them. */
		return pvbus_fw_crs_mem(r, (u64)d->memory24.minimum << 8,
					(u64)d->memory24.address_length << 8);
	case ACPI_RESOURCE_TYPE_MEMORY32:
		return pvbus_fw_crs_mem(r, d->memory32.minimum,
					d->memory32.address_length);
	case ACPI_RESOURCE_TYPE_FIXED_MEMORY32:
		return pvbus_fw_crs_mem(r, d->fixed_memory32.address,
					d->fixed_memory32.address_length);
	case ACPI_RESOURCE_TYPE_ADDRESS16:
		return pvbus_fw_crs_addr_of(r, d, d->address16.address);
	case ACPI_RESOURCE_TYPE_ADDRESS32:
		return pvbus_fw_crs_addr_of(r, d, d->address32.address);
	case ACPI_RESOURCE_TYPE_ADDRESS64:
		return pvbus_fw_crs_addr_of(r, d, d->address64.address);
	case ACPI_RESOURCE_TYPE_EXTENDED_ADDRESS64:
		return pvbus_fw_crs_addr_of(r, d, d->ext_address64.address);
	default:
		return 0;
	}
}

/* The size of a record of @type with its data, 0 for a type not decoded. */
static u32 pvbus_fw_crs_need(u32 type)
{
	switch (type) {
	case ACPI_RESOURCE_TYPE_MEMORY24:
		return ACPI_RS_SIZE(struct acpi_resource_memory24);
	case ACPI_RESOURCE_TYPE_MEMORY32:
		return ACPI_RS_SIZE(struct acpi_resource_memory32);
	case ACPI_RESOURCE_TYPE_FIXED_MEMORY32:
		return ACPI_RS_SIZE(struct acpi_resource_fixed_memory32);
	case ACPI_RESOURCE_TYPE_ADDRESS16:
		return ACPI_RS_SIZE(struct acpi_resource_address16);
	case ACPI_RESOURCE_TYPE_ADDRESS32:
		return ACPI_RS_SIZE(struct acpi_resource_address32);
	case ACPI_RESOURCE_TYPE_ADDRESS64:
		return ACPI_RS_SIZE(struct acpi_resource_address64);
	case ACPI_RESOURCE_TYPE_EXTENDED_ADDRESS64:
		return ACPI_RS_SIZE(struct acpi_resource_extended_address64);
	default:
		return 0;
	}
}

/**
 * pvbus_fw_crs_decode() - the memory resources of a _CRS
 * @buf: the _CRS as acpi_get_current_resources() returns it: &struct
 *	acpi_resource records, each as long as its @length, the last an
 *	%ACPI_RESOURCE_TYPE_END_TAG
 * @len: bytes at @buf
 * @out: where the resources go
 * @max: room in @out
 * @w: what the walk found; see &struct pvbus_fw_crs_walk
 *
 * Walks the records as acpi_walk_resources() does, but checks every
 * record's length against what is left of @buf and against the size of
 * its type before it reads a field.  Memory descriptors (Memory24,
 * Memory32, FixedMemory32) and the memory ranges of address space
 * descriptors (Word, DWord, QWord and ExtendedSpace) are decoded as the
 * ACPI core decodes them (see pvbus_fw_crs_addr() for where this is
 * stricter); other records (I/O, bus numbers, interrupts) are skipped.
 * A memory resource refused is counted in @w->bad; a disabled one (a
 * length of 0) in @w->disabled, not stored, as acpi_dev_get_resources()
 * keeps none.  @max bounds what is stored: a memory resource kept past it
 * is counted in @w->more.  The walk itself needs no bound of its own: each
 * record takes at least %ACPI_RS_SIZE_NO_DATA bytes of @buf.
 *
 * Return: the number of resources stored in @out; 0 if @buf is NULL (no
 * _CRS), and 0 with @w->malformed set if the list is malformed (nothing
 * of it is used).
 */
int pvbus_fw_crs_decode(const void *buf, size_t len, struct resource *out,
			unsigned int max, struct pvbus_fw_crs_walk *w)
{
	const u8 *p = buf;
	size_t pos = 0;

	*w = (struct pvbus_fw_crs_walk){};
	if (!buf)
		return 0;	/* no _CRS */
	for (;;) {
		const struct acpi_resource *ares = (const void *)(p + pos);
		struct resource r;
		u32 type, rlen;
		int ret;

		if (len - pos < ACPI_RS_SIZE_NO_DATA)
			break;		/* no end tag */
		type = ares->type;
		rlen = ares->length;
		if (type > ACPI_RESOURCE_TYPE_MAX ||
		    rlen < ACPI_RS_SIZE_NO_DATA || rlen > len - pos ||
		    rlen < pvbus_fw_crs_need(type))
			break;
		if (type == ACPI_RESOURCE_TYPE_END_TAG)
			return w->nr;
		pos += rlen;

		ret = pvbus_fw_crs_one(ares, &r);
		if (!ret)
			continue;
		if (ret < 0) {
			w->bad++;
			continue;
		}
		/* Not assigned: not kept, as the ACPI core keeps none. */
		if (r.flags & IORESOURCE_DISABLED) {
			w->disabled++;
			continue;
		}
		if (w->nr == max) {
			w->more = true;
			continue;
		}
		out[w->nr++] = r;
	}
	*w = (struct pvbus_fw_crs_walk){ .malformed = true };
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_crs_decode);

/**
 * pvbus_fw_is_module() - is an ACPI device a module device?
 * @ids: its hardware ids (_HID, then its _CIDs)
 * @nr: entries in @ids
 *
 * Return: true if one of @ids is "ACPI0004", as acpi_match_device_ids()
 * compares ids: the whole string, case and all.
 */
bool pvbus_fw_is_module(const char * const *ids, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ids[i] && !strcmp(ids[i], PVBUS_FW_MODULE_HID))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_is_module);

/**
 * pvbus_fw_crs_windows() - the resources that describe the bus's windows
 * @own: the bus root's own _CRS
 * @parent: its parent's _CRS and hardware ids; NULL if it has none
 * @out: room for %PVBUS_FW_MAX_CRS resources
 * @rep: what was found, for the caller's messages
 *
 * The windows are the memory resources of the parent's _CRS if the parent
 * is a module device (see the top of this file).  Memory in the bus root's
 * own _CRS is never used: it is only counted in @rep->own_mem.
 *
 * Return: the number of resources in @out.
 */
int pvbus_fw_crs_windows(const struct pvbus_fw_crs_src *own,
			 const struct pvbus_fw_crs_src *parent,
			 struct resource *out,
			 struct pvbus_fw_crs_report *rep)
{
	int n;

	*rep = (struct pvbus_fw_crs_report){};
	n = pvbus_fw_crs_decode(own->crs, own->len, out, PVBUS_FW_MAX_CRS,
				&rep->own);
	rep->own_mem = pvbus_fw_crs_ranges(out, n, NULL, 0);

	if (!parent || !pvbus_fw_is_module(parent->ids, parent->nr_ids))
		return 0;
	rep->module = true;
	return pvbus_fw_crs_decode(parent->crs, parent->len, out,
				   PVBUS_FW_MAX_CRS, &rep->parent);
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_crs_windows);

#ifdef CONFIG_ACPI
static void pvbus_fw_crs_report(struct device *dev, const char *whose,
				const struct pvbus_fw_crs_walk *w)
{
	if (w->malformed)
		dev_err(dev, "_CRS of %s is malformed (a resource shorter than its type, past the end, of an unknown type, or no end tag): ignored\n",
			whose);
	if (w->bad)
		dev_err(dev, "_CRS of %s has %u memory resource%s that wrap%s (translated or not) or end%s below %s start: refused\n",
			whose, w->bad, w->bad == 1 ? "" : "s",
			w->bad == 1 ? "s" : "", w->bad == 1 ? "s" : "",
			w->bad == 1 ? "its" : "their");
	if (w->more)
		dev_err(dev, "_CRS of %s has more than %d enabled memory resources: only the first %d are read\n",
			whose, PVBUS_FW_MAX_CRS, PVBUS_FW_MAX_CRS);
}

/* The _CRS of @adev into @src, to free with ACPI_FREE(); a message if none. */
static void pvbus_fw_get_crs(struct device *dev, struct acpi_device *adev,
			     struct pvbus_fw_crs_src *src)
{
	struct acpi_buffer buf = { ACPI_ALLOCATE_BUFFER, NULL };
	acpi_status status;

	if (!acpi_has_method(adev->handle, METHOD_NAME__CRS))
		return;
	status = acpi_get_current_resources(adev->handle, &buf);
	if (ACPI_FAILURE(status)) {
		dev_err(dev, "_CRS of %s unreadable (%s): ignored\n",
			dev_name(&adev->dev), acpi_format_exception(status));
		return;
	}
	src->crs = buf.pointer;
	src->len = buf.length;
}

static const struct acpi_device_id pvbus_fw_module_ids[] = {
	{ PVBUS_FW_MODULE_HID, 0 },
	{ }
};

/*
 * The windows' resources from the _CRS of the bus root's parent, an ACPI
 * module device (see the top of this file): ACPICA reads the _CRS, the
 * pure pvbus_fw_crs_windows() decides.  Whether the parent is one is
 * asked as the ACPI core matches its drivers, through every one of its
 * hardware ids, however many _CIDs it has; a device not present matches
 * nothing.
 */
int pvbus_fw_read_crs(struct device *dev, struct resource **res)
{
	static const char * const module_id[] = { PVBUS_FW_MODULE_HID };
	struct acpi_device *adev = ACPI_COMPANION(dev), *parent;
	struct pvbus_fw_crs_src own = {}, up = {};
	struct pvbus_fw_crs_report rep;
	int n;

	*res = NULL;
	if (!adev)
		return 0;
	*res = kcalloc(PVBUS_FW_MAX_CRS, sizeof(**res), GFP_KERNEL);
	if (!*res)
		return -ENOMEM;

	pvbus_fw_get_crs(dev, adev, &own);
	parent = acpi_dev_parent(adev);
	if (parent && !acpi_match_device_ids(parent, pvbus_fw_module_ids)) {
		up.ids = module_id;
		up.nr_ids = ARRAY_SIZE(module_id);
		pvbus_fw_get_crs(dev, parent, &up);
	}

	n = pvbus_fw_crs_windows(&own, parent ? &up : NULL, *res, &rep);
	pvbus_fw_crs_report(dev, dev_name(&adev->dev), &rep.own);
	if (rep.own_mem)
		dev_err(dev, "memory in the bus root's own _CRS was claimed by the ACPI core before PCI claimed its BARs: not used as windows (describe them in the _CRS of a parent module device, ACPI0004, or in _DSD \"mmio-windows\")\n");
	if (rep.module)
		pvbus_fw_crs_report(dev, dev_name(&parent->dev), &rep.parent);
	ACPI_FREE((void *)own.crs);
	ACPI_FREE((void *)up.crs);
	if (!n) {
		kfree(*res);
		*res = NULL;
	}
	return n;
}
#else
int pvbus_fw_read_crs(struct device *dev, struct resource **res)
{
	*res = NULL;
	return 0;
}
#endif
