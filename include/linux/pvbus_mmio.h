/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus MMIO allocator: a library over struct resource that decides where
 * in a guest's MMIO space a config window or a BAR goes.  It knows nothing
 * of buses or PCI.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _LINUX_PVBUS_MMIO_H
#define _LINUX_PVBUS_MMIO_H

#include <linux/ioport.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct seq_file;

/**
 * enum pvbus_mmio_zone - where an allocation may go
 * @PVBUS_MMIO_LOW: wholly below 4 GiB (32-bit BARs).
 * @PVBUS_MMIO_HIGH: wholly at or above 4 GiB.
 * @PVBUS_MMIO_PREFER_HIGH: as @PVBUS_MMIO_HIGH if it fits, else as
 *	@PVBUS_MMIO_LOW.
 * @PVBUS_MMIO_ANY: the lowest address that fits in any window.
 */
enum pvbus_mmio_zone {
	PVBUS_MMIO_LOW,
	PVBUS_MMIO_HIGH,
	PVBUS_MMIO_PREFER_HIGH,
	PVBUS_MMIO_ANY,
};

/**
 * enum pvbus_mmio_rsv - kinds of reserved MMIO ranges
 * @PVBUS_RSV_FRAMEBUFFER: the boot framebuffer.  Only allocations that set
 *	&pvbus_mmio_req.fb_overlap_ok may go inside it.
 * @PVBUS_RSV_FIRMWARE: a range firmware says must not be used.  Never
 *	handed out.
 * @PVBUS_RSV_HOST: a range the host says is in use.  Never handed out.
 */
enum pvbus_mmio_rsv {
	PVBUS_RSV_FRAMEBUFFER,
	PVBUS_RSV_FIRMWARE,
	PVBUS_RSV_HOST,
};

/**
 * struct pvbus_mmio_req - an MMIO allocation request
 * @name: name of the allocation, shown in /proc/iomem.  Copied.
 * @size: size in bytes, not 0.
 * @align: alignment of the start, a power of two; 0 means natural
 *	alignment (@size rounded up to a power of two).
 * @min: lowest address the allocation may use (inclusive).
 * @max: highest address the allocation may use (inclusive); 0 means no
 *	bound.  @min and @max bound the whole range
 *	[start, start + @size - 1].
 * @zone: which part of the address space to use.
 * @fb_overlap_ok: the allocation may lie wholly inside a
 *	%PVBUS_RSV_FRAMEBUFFER reservation, and that is tried first.  This is
 *	how a framebuffer driver gets its VRAM.
 */
struct pvbus_mmio_req {
	const char *name;
	resource_size_t size;
	resource_size_t align;
	resource_size_t min, max;
	enum pvbus_mmio_zone zone;
	bool fb_overlap_ok;
};

struct pvbus_mmio_space;

/**
 * typedef pvbus_mmio_tie_fn - ties a window to the PCI host bridge it is in
 * @data: what pvbus_mmio_space_set_tie() was given
 * @win: the window, whose parent is the PCI host bridge window
 *
 * See pvbus_mmio_space_set_tie().
 *
 * Return: 0 to keep the window, or an error code to refuse it.
 */
typedef int (*pvbus_mmio_tie_fn)(void *data, const struct resource *win);

/* The last address of %PVBUS_MMIO_LOW: what a 32-bit BAR can reach. */
#define PVBUS_MMIO_LOW_END	((u64)SZ_4G - 1)

/**
 * pvbus_mmio_zone_name() - which side of 4 GiB a range is on
 * @start: first address of the range
 * @end: last address of the range
 *
 * Return: "low", "high", or "low+high" for one that straddles 4 GiB.
 */
static inline const char *pvbus_mmio_zone_name(u64 start, u64 end)
{
	if (end <= PVBUS_MMIO_LOW_END)
		return "low";
	if (start > PVBUS_MMIO_LOW_END)
		return "high";
	return "low+high";
}

/**
 * pvbus_ranges_overlap() - whether two ranges share an address
 * @s1: first address of the one
 * @e1: last address of the one
 * @s2: first address of the other
 * @e2: last address of the other
 *
 * For ranges given as first and last address; resource_overlaps() is the
 * same for two struct resource.
 *
 * Return: true if [@s1, @e1] and [@s2, @e2] overlap.
 */
static inline bool pvbus_ranges_overlap(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

struct pvbus_mmio_space *pvbus_mmio_space_create(const char *name);
int pvbus_mmio_space_publish(struct pvbus_mmio_space *space);
int pvbus_mmio_space_set_tie(struct pvbus_mmio_space *space,
			     pvbus_mmio_tie_fn tie, void *data);
void pvbus_mmio_space_destroy(struct pvbus_mmio_space *space);
int pvbus_mmio_add_window(struct pvbus_mmio_space *space,
			  resource_size_t start, resource_size_t size);
int pvbus_mmio_reserve(struct pvbus_mmio_space *space, resource_size_t start,
		       resource_size_t size, enum pvbus_mmio_rsv kind,
		       const char *name);
int pvbus_mmio_unreserve(struct pvbus_mmio_space *space,
			 resource_size_t start, resource_size_t size,
			 enum pvbus_mmio_rsv kind);
struct resource *pvbus_mmio_alloc(struct pvbus_mmio_space *space,
				  const struct pvbus_mmio_req *req);
int pvbus_mmio_find(struct pvbus_mmio_space *space,
		    const struct pvbus_mmio_req *req, resource_size_t *start);
int pvbus_mmio_free(struct pvbus_mmio_space *space, struct resource *res);
void pvbus_mmio_space_show(struct seq_file *m,
			   struct pvbus_mmio_space *space);
const char *pvbus_mmio_rsv_name(enum pvbus_mmio_rsv kind);

#endif /* _LINUX_PVBUS_MMIO_H */
