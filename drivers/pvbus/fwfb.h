/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus: MMIO windows from firmware and the framebuffer reservations.
 *
 * The pure parts of firmware.c and fb.c: parsers, validators, the
 * screen_info decoder and the reservation plan.  They touch no hardware
 * and no global state, so the pvbus_fw and pvbus_fb KUnit suites call them
 * directly.
 */
#ifndef _PVBUS_FWFB_H
#define _PVBUS_FWFB_H

#include <linux/bits.h>
#include <linux/elf.h>
#include <linux/ioport.h>
#include <linux/pvbus_host.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "pvbus_internal.h"

struct device;
struct screen_info;

/*
 * The video type field of &struct screen_info.  Its uapi name is in
 * CamelCase, which checkpatch --no-tree cannot tell is not ours, so it is
 * spelled here by pasting, once.
 */
#define PVBUS_SI_VIDEO_TYPE		orig_video_is ## VGA

/* Most program headers of the ELF core header read in a kdump kernel. */
#define PVBUS_FW_MAX_PHDRS		8192

/* Windows start and end on this boundary and are at least this large. */
#define PVBUS_FW_WIN_ALIGN		SZ_4K

/* Most ranges pvbus.reserve= takes. */
#define PVBUS_MAX_PARAM_RSV		8

/* Most PCI display BARs reserved. */
#define PVBUS_MAX_PCI_RSV		16

/* Most candidates of one boot-time plan: every source at its maximum. */
#define PVBUS_FB_MAX_CAND		(1 + PVBUS_MAX_PCI_RSV + \
					 PVBUS_MAX_FW_RSV + \
					 PVBUS_MAX_PARAM_RSV + 1)

/*
 * The kdump fallback reservation, see pvbus_fb_fallback_range(): at least
 * MIN, at most MAX (upstream's bound), leaving ROOM of the low window to
 * 32-bit BARs where it can.
 */
#define PVBUS_FB_FALLBACK_MIN		SZ_16M
#define PVBUS_FB_FALLBACK_MAX		SZ_128M
#define PVBUS_FB_FALLBACK_ROOM		SZ_16M

/* Every source. */
#define PVBUS_FB_ALL_SOURCES		(BIT(PVBUS_FB_NR_SOURCES) - 1)

/**
 * enum pvbus_fw_verdict - what is wrong with a range
 * @PVBUS_FW_OK: nothing.
 * @PVBUS_FW_EMPTY: its size is 0.
 * @PVBUS_FW_WRAP: it wraps past the end of the 64-bit address space.
 * @PVBUS_FW_SMALL: a window smaller than %PVBUS_FW_WIN_ALIGN.
 * @PVBUS_FW_UNALIGNED: a window whose start or size is not a multiple of
 *	%PVBUS_FW_WIN_ALIGN.
 * @PVBUS_FW_BEYOND: it ends above the highest physical address.
 * @PVBUS_FW_OVERLAP: a window that overlaps an earlier window.
 * @PVBUS_FW_RAM: a window that overlaps System RAM.
 * @PVBUS_FW_TOO_MANY: a window after %PVBUS_MAX_WINDOWS others.
 * @PVBUS_FW_OLD_RAM: in a kdump kernel, a window that overlaps the crashed
 *	kernel's RAM, which is not System RAM there.  Checked after
 *	pvbus_fw_check_window(), by its caller.
 */
enum pvbus_fw_verdict {
	PVBUS_FW_OK,
	PVBUS_FW_EMPTY,
	PVBUS_FW_WRAP,
	PVBUS_FW_SMALL,
	PVBUS_FW_UNALIGNED,
	PVBUS_FW_BEYOND,
	PVBUS_FW_OVERLAP,
	PVBUS_FW_RAM,
	PVBUS_FW_TOO_MANY,
	PVBUS_FW_OLD_RAM,
};

/*
 * Does [start, start + size - 1] overlap System RAM?  The kernel asks
 * region_intersects(); KUnit passes a fake.
 */
typedef bool (*pvbus_fw_is_ram_fn)(u64 start, u64 size, void *ctx);

/*
 * A parameter item that pvbus_fw_parse_list() refuses: @err is -EINVAL
 * for one that is not size@start, -E2BIG for one past the maximum.
 */
typedef void (*pvbus_fw_bad_item_fn)(void *ctx, const char *item,
				     size_t len, int err);

const char *pvbus_fw_verdict_str(enum pvbus_fw_verdict v);
enum pvbus_fw_verdict pvbus_fw_check_range(const struct pvbus_range *r);
enum pvbus_fw_verdict pvbus_fw_check_window(const struct pvbus_range *win,
					    const struct pvbus_range *prev,
					    unsigned int nr_prev, u64 max_addr,
					    pvbus_fw_is_ram_fn is_ram,
					    void *ctx);
int pvbus_fw_parse_range(const char *s, size_t len, struct pvbus_range *r);
bool pvbus_fw_list_has_item(const char *s);
unsigned int pvbus_fw_parse_list(const char *s, struct pvbus_range *out,
				 unsigned int max, pvbus_fw_bad_item_fn bad,
				 void *ctx);
int pvbus_fw_parse_cells(const u64 *cells, size_t ncells,
			 struct pvbus_range *out, unsigned int max);
unsigned int pvbus_fw_crs_ranges(const struct resource *res, unsigned int n,
				 struct pvbus_range *out, unsigned int max);
const char *pvbus_fw_zone(const struct pvbus_range *r);

/*
 * Memory resources kept from one _CRS; more are counted, not read.  Only
 * the resources kept count: disabled ones and those refused take no slot.
 * The walk of the records is bounded by the buffer's length, not by this.
 */
#define PVBUS_FW_MAX_CRS	64

/**
 * struct pvbus_fw_crs_walk - what the walk of one _CRS found
 * @nr: memory resources stored
 * @bad: memory descriptors refused: a range that ends below its start,
 *	or wraps (translated or not)
 * @disabled: memory descriptors disabled (a length of 0: not assigned);
 *	not stored, and not counted against the room for the rest
 * @more: more memory resources to keep than there was room for
 * @malformed: the list is not a list of resources: a record shorter than
 *	its type, running past the buffer, of a type ACPI does not have, or
 *	no end tag; nothing of it is used
 */
struct pvbus_fw_crs_walk {
	unsigned int nr;
	unsigned int bad;
	unsigned int disabled;
	bool more;
	bool malformed;
};

/**
 * struct pvbus_fw_crs_src - an ACPI device whose _CRS may give windows
 * @crs: its _CRS as acpi_get_current_resources() returns it, or NULL
 * @len: bytes at @crs
 * @ids: its hardware ids (_HID, then its _CIDs), or those of them that
 *	matter (pvbus_fw_read_crs() gives "ACPI0004" if the ACPI core
 *	matches the parent to it, none otherwise); for the parent only
 * @nr_ids: entries in @ids
 */
struct pvbus_fw_crs_src {
	const void *crs;
	size_t len;
	const char * const *ids;
	unsigned int nr_ids;
};

/**
 * struct pvbus_fw_crs_report - what pvbus_fw_crs_windows() found
 * @own: the walk of the bus root's own _CRS
 * @own_mem: memory resources in it, refused (see firmware.c)
 * @module: the parent is a module device (ACPI0004): its _CRS was read
 * @parent: the walk of the parent's _CRS
 */
struct pvbus_fw_crs_report {
	struct pvbus_fw_crs_walk own;
	unsigned int own_mem;
	bool module;
	struct pvbus_fw_crs_walk parent;
};

/**
 * struct pvbus_fw_elfcore - where an ELF core file's program headers are
 * @class: %ELFCLASS64 or %ELFCLASS32
 * @phoff: their offset from the start of the file
 * @phnum: how many to read, 1 to %PVBUS_FW_MAX_PHDRS
 * @listed: how many the file lists; more than @phnum if that is more
 *	than %PVBUS_FW_MAX_PHDRS (%PN_XNUM for 65535 or more)
 * @len: the length in bytes of the @phnum to read
 */
struct pvbus_fw_elfcore {
	u8 class;
	u64 phoff;
	unsigned int phnum;
	unsigned int listed;
	size_t len;
};

int pvbus_fw_crs_decode(const void *buf, size_t len, struct resource *out,
			unsigned int max, struct pvbus_fw_crs_walk *w);
bool pvbus_fw_is_module(const char * const *ids, unsigned int nr);
int pvbus_fw_crs_windows(const struct pvbus_fw_crs_src *own,
			 const struct pvbus_fw_crs_src *parent,
			 struct resource *out,
			 struct pvbus_fw_crs_report *rep);
int pvbus_fw_elfcore_phdrs(const void *hdr, size_t len,
			   struct pvbus_fw_elfcore *core);
unsigned int pvbus_fw_elfcore_ram(const struct pvbus_fw_elfcore *core,
				  const void *ph, struct pvbus_range *out);

/*
 * Not pure, firmware_kdump.c: the crashed kernel's RAM in a kdump kernel,
 * from /proc/vmcore; 0 ranges elsewhere.  Return: how many, or -ENOMEM.
 */
int pvbus_fw_read_old_ram(struct device *dev, struct pvbus_range **ram);
/*
 * Not pure, firmware_crs.c: the decoded _CRS of the bus root's ACPI module
 * parent into *@res (kcalloc'ed, NULL for none); 0 resources without ACPI.
 * Return: how many, or -ENOMEM.
 */
int pvbus_fw_read_crs(struct device *dev, struct resource **res);

/* Not pure: reads a (start, size) property of @dev, for fb.c too. */
int pvbus_fw_read_ranges(struct device *dev, const char *prop,
			 struct pvbus_range *out, unsigned int max);

/* The entry points of pvbus_internal.h with the module parameters given. */
int __pvbus_fw_add_windows(struct pvbus_root *root, const char *mmio);
int __pvbus_fw_add_windows_crs(struct pvbus_root *root,
			       const struct resource *crs, unsigned int nr_crs,
			       const char *mmio,
			       const struct pvbus_range *old_ram,
			       unsigned int nr_old_ram);
int __pvbus_fw_add_windows_kdump(struct pvbus_root *root, const char *mmio,
				 const struct pvbus_range *old_ram,
				 unsigned int nr_old_ram);
int __pvbus_fb_reserve_boot(struct pvbus_root *root, const char *reserve,
			    unsigned long enabled, bool kdump,
			    const struct screen_info *si);
int __pvbus_fb_reserve_host(struct pvbus_root *root,
			    const struct pvbus_range *rsv, unsigned int nr,
			    unsigned long enabled);

/**
 * struct pvbus_fb_cand - a range one source says is in use
 * @src: the source
 * @range: the range; its size is not 0 and it does not wrap
 * @label: what in the source it is, e.g. the PCI device's name; may be
 *	empty
 */
struct pvbus_fb_cand {
	enum pvbus_fb_source src;
	struct pvbus_range range;
	char label[24];
};

/**
 * enum pvbus_fb_fallback - the kdump fallback decision
 * @PVBUS_FB_FALLBACK_UNNEEDED: not a kdump kernel, or a source told where
 *	the framebuffer is and, if only screen_info bounds it, its range is
 *	as large as the fallback from its base.
 * @PVBUS_FB_FALLBACK_RESERVED: the fallback is the last entry of the plan.
 * @PVBUS_FB_FALLBACK_NO_WINDOW: needed, but there is no window below
 *	4 GiB, so no allocation can land on a framebuffer there anyway.
 * @PVBUS_FB_FALLBACK_DISABLED: needed, but pvbus.fb_sources= switched it
 *	off.
 */
enum pvbus_fb_fallback {
	PVBUS_FB_FALLBACK_UNNEEDED,
	PVBUS_FB_FALLBACK_RESERVED,
	PVBUS_FB_FALLBACK_NO_WINDOW,
	PVBUS_FB_FALLBACK_DISABLED,
};

/**
 * struct pvbus_fb_plan - the reservations to make at boot
 * @rsv: the reservations, in the order to make them
 * @nr: entries in @rsv
 * @found: bit N set when source N (&enum pvbus_fb_source) gave a range
 *	that is in @rsv
 * @fallback: the kdump fallback decision
 * @from_screen_info: the fallback is needed because screen_info told
 *	where the framebuffer is, not how far the crashed kernel's driver
 *	grew it, and no display BAR or pvbus.reserve= range holds its base;
 *	it starts at screen_info's base
 */
struct pvbus_fb_plan {
	struct pvbus_fb_cand rsv[PVBUS_FB_MAX_CAND];
	unsigned int nr;
	unsigned long found;
	enum pvbus_fb_fallback fallback;
	bool from_screen_info;
};

enum pvbus_mmio_rsv pvbus_fb_source_kind(enum pvbus_fb_source src);
void pvbus_fb_rsv_name(const struct pvbus_fb_cand *c, char *buf,
		       size_t size);
int pvbus_fb_screen_info_range(const struct screen_info *si,
			       struct pvbus_range *r);
bool pvbus_fb_in_low_window(const struct pvbus_range *r,
			    const struct pvbus_range *win, unsigned int nr_win);
bool pvbus_fb_fallback_range(const struct pvbus_range *win,
			     unsigned int nr_win, struct pvbus_range *r);
bool pvbus_fb_fallback_from(const struct pvbus_range *win,
			    unsigned int nr_win, u64 start,
			    struct pvbus_range *r);
void pvbus_fb_plan(const struct pvbus_fb_cand *cand, unsigned int nr,
		   unsigned long enabled, bool kdump,
		   const struct pvbus_range *win, unsigned int nr_win,
		   struct pvbus_fb_plan *plan);
int pvbus_fb_parse_sources(const char *s, unsigned long *mask);
void pvbus_fb_sources_str(unsigned long mask, char *buf, size_t size);

#endif /* _PVBUS_FWFB_H */
