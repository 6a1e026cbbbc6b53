// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit fuzzer for the MMIO ranges firmware and the host give pvbus
 * (pvbus_fuzz_fw).
 *
 * Each sequence builds a bus root with a space published into
 * iomem_resource, next to resources of other drivers (busy regions, as
 * request_mem_region() makes them, unclaimed ones, as PCI BARs are, PCI
 * host bridge windows, whose tie accepts or refuses a window in them, and
 * entries of the memory map, which no window takes in, nor lies in a host
 * bridge window inside one) and, in one sequence of four, another bus
 * root's window with a PCI bus window in it, in which no window may lie,
 * and feeds it random windows (a _CRS and pvbus.mmio= through
 * __pvbus_fw_add_windows_crs(), and pvbus_mmio_add_window()): the _CRS
 * with I/O, interrupt, disabled and reversed resources among its memory
 * ranges, and more of them than a bus takes; in three sequences of four
 * the _CRS as ACPICA hands it over, raw resource records of the bus root
 * and of its parent, through pvbus_fw_crs_windows(): memory and address
 * space descriptors of every width, of memory, I/O, bus numbers and
 * spaces ACPI lacks, producers and consumers, translation offsets,
 * lengths that disagree with their ranges, ranges that wrap, records
 * shorter than their type or running past the list, types ACPI lacks, end
 * tags missing or cut off, and parents with ids like a module device's;
 * the DT/_DSD properties "mmio-windows" and "reserved-ranges" of the bus
 * root's node (a software node here): (start, size) pairs and garbage,
 * odd cell counts, more pairs than a bus takes, arrays of u32 or u8 read
 * as u64 cells; the boot screen_info, of a linear framebuffer or not, its
 * base 64-bit or not, its size in range, past VBE's 16 bits or anything,
 * its mode larger than its size; reserved ranges
 * (pvbus_mmio_reserve(), and the host's through __pvbus_fb_reserve_host()):
 * empty, wrapping, overlapping each other, nested inside live resources or
 * around them.  Half the sequences act as a kdump kernel: they read the
 * crashed kernel's RAM from a hostile ELF core header, 64-bit or 32-bit
 * (the header of /proc/vmcore: its ELF header and PT_LOAD program headers,
 * mutated; more of them listed than are read, PN_XNUM too) as
 * pvbus_fw_add_windows() does, and the windows must stay off that RAM (a
 * 32-bit header's RAM is below 8 GiB, where no window of the fuzzer's span
 * lies: those are checked at the parser).
 * It allocates and frees, lets the other drivers release their regions
 * under the space, and destroys it.
 *
 * Checked: pvbus.mmio=, with items of white space only (any isspace()) or
 * empty between its ranges, or of such items only, is read by
 * pvbus_fw_parse_list() as its valid ranges, every other item refused, and
 * pvbus_fw_list_has_item() says whether it has any; no allocation overlaps
 * another driver's busy region or a firmware or host reservation, or lies
 * outside the windows; nothing of pvbus ends up under a resource it does not
 * own, but for a window right in a host bridge window whose tie accepted it
 * (the bridge then goes only after the space, as a device link makes it);
 * the tie is asked of host bridge windows only; an ELF core header is taken
 * exactly when valid, and its non-empty PT_LOADs are read as the RAM they
 * describe (a wrapping one up to the end), no window over it; every window
 * the bus took is a memory range of the _CRS, of a property or of
 * pvbus.mmio=, as given, and every firmware reservation a pair of
 * "reserved-ranges"; screen_info is read as a model of its rules says, and
 * reserved as exactly that framebuffer (in a kdump kernel, one fallback
 * besides, in a window below 4 GiB, from its base or from the
 * framebuffer's), and a pvbus.reserve= beside it as exactly its first valid
 * ranges, each only where pvbus.fb_sources= leaves its source on; a raw _CRS
 * decodes to what a model of its records says (every resource, the refused
 * ones counted, a malformed list wholly ignored), memory of the bus root's
 * own _CRS is never used, and a parent's only when it is a module device;
 * iomem is as before the sequence; no WARN, KASAN report or lockdep splat
 * (taint flags, debug_locks).  A failure prints the seed;
 * pvbus_fuzz.replay=<seed> runs that sequence alone.  pvbus_fuzz.sequences=
 * sets the run's size; the suite ends with "fuzz-fw: N sequences, R ranges,
 * K failures".  A run of FW_COVERAGE_SEQUENCES or more also fails if an
 * input was never made (pvbus_fuzz_fw_coverage).
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/debug_locks.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/panic.h>
#include <linux/prandom.h>
#include <linux/property.h>
#include <linux/pvbus.h>
#include <linux/screen_info.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <asm/unaligned.h>

#include "fuzz_quiet.h"
#include "fwfb.h"
#include "mmio_internal.h"
#include "pvbus_internal.h"

static unsigned long sequences = 200;
module_param(sequences, ulong, 0444);
MODULE_PARM_DESC(sequences, "pvbus_fuzz_fw: sequences to run (default 200)");

static unsigned long long seed = 0xf1a70001;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "pvbus_fuzz_fw: seed of the first sequence");

static unsigned long long replay;
module_param(replay, ullong, 0444);
MODULE_PARM_DESC(replay, "pvbus_fuzz_fw: run only the sequence of this seed");

/*
 * Gated while the defects they find are fixed: 1, windows and reservations
 * nested inside other drivers' busy regions, and those regions released
 * under the space (C1).
 */
static unsigned int gate;
module_param(gate, uint, 0444);
MODULE_PARM_DESC(gate,
		 "pvbus_fuzz_fw: classes left out (1: nested in busy regions; default 0)");

#define FW_GATE_NESTED		BIT(0)

/* Free on UML and on x86 guests: the mmio suites use 0x7e0000000000. */
#define FW_BASE			0x7f0000000000ULL
#define FW_SPAN			SZ_256M
#define FW_LIVE			8
#define FW_ALLOCS		16
#define FW_IOMEM_SIZE		SZ_64K
#define FW_CHUNK_SEQUENCES	2000
#define FW_CHUNK_SECONDS	120
/* The ELF core header of a kdump sequence: its size, program headers. */
#define FW_CRS			(2 * PVBUS_MAX_WINDOWS + 4)
#define FW_CRS_BUF		SZ_8K
/* Room for more program headers than are read, now and then. */
#define FW_CORE_SIZE		SZ_512K
#define FW_CORE_PHDRS		((FW_CORE_SIZE - sizeof(struct elf64_hdr)) / \
				 sizeof(struct elf64_phdr))
/* Ranges of pvbus.mmio= a sequence gives, at most. */
#define FW_PARAM		10
/*
 * A property's u64 cells: more pairs than a bus reads of either kind
 * (PVBUS_FW_MAX_CRS windows, PVBUS_MAX_FW_RSV reservations), now and then;
 * most often up to FW_PROP_PAIRS.
 */
#define FW_PROP_CELLS		(2 * PVBUS_FW_MAX_CRS + 8)
#define FW_PROP_PAIRS		(PVBUS_MAX_FW_RSV + 4)
/*
 * Windows a sequence offers, at most: _CRS, pvbus.mmio=, mmio-windows
 * (each of whose pairs is read, up to PVBUS_FW_MAX_CRS).
 */
#define FW_GIVEN		(PVBUS_FW_MAX_CRS + FW_PARAM + FW_PROP_CELLS / 2)

/*
 * What the walk of one list must find, by the rules firmware_crs.c states,
 * restated here from the records as written.
 */
struct fw_crs_model {
	struct resource res[PVBUS_FW_MAX_CRS];
	unsigned int nr, bad, mem;	/* mem: valid, enabled memory */
	unsigned int disabled;		/* not kept, no slot taken */
	bool more, malformed;
};

/* A (start, size) property of the bus root's node, as firmware wrote it. */
struct fw_prop {
	u64 cells[FW_PROP_CELLS];
	size_t len;			/* bytes of @cells in the property */
	unsigned int elem;		/* its element size: 8, 4 or 1 */
};

struct fw_live {
	struct resource *res;
	bool busy;		/* request_mem_region(), else request_resource() */
	bool bridge;		/* a PCI host bridge window */
	bool memmap;		/* an entry of the memory map: it stays */
	bool tied;		/* the space's tie accepted a window in it */
	bool in_memmap;		/* a bridge inside a memory map entry */
	resource_size_t start, size;
};

struct fw_fuzz {
	struct kunit *test;
	struct rnd_state rnd;
	u64 seed;
	bool failed;
	char why[160];
	u64 ranges;
	struct pvbus_root root;
	struct fw_live live[FW_LIVE];
	struct resource *alloc[FW_ALLOCS];
	struct pvbus_range rsv[PVBUS_HOST_MAX_RSV + 2];
	char *mmio;
	char *reserve;			/* a pvbus.reserve=, or "" */
	struct resource crs[PVBUS_FW_MAX_CRS];	/* a _CRS, decoded */
	unsigned int nr_crs;
	u8 *crs_buf;			/* a raw _CRS, FW_CRS_BUF bytes */
	struct fw_crs_model *crs_model;	/* of the root's and the parent's */
	u64 crs_lists;			/* sequences with raw _CRS lists */
	u64 crs_malformed;		/* lists malformed */
	u64 crs_modules;		/* parents that are module devices */
	u64 crs_given;			/* windows their lists give */
	u64 malformed_items;		/* pvbus.mmio= items no range */
	u64 blank_lists;		/* pvbus.mmio= lists of no item */
	struct pvbus_range given[FW_GIVEN];
	unsigned int nr_given;		/* @given: offered as windows */
	struct fw_prop *prop;		/* mmio-windows, reserved-ranges */
	struct property_entry prop_entries[3];
	struct software_node node;
	u64 prop_nodes;			/* sequences with a node */
	u64 prop_rsv;			/* firmware reservations made */
	u64 ties, ties_refused;		/* the space's tie: asked, said no */
	u64 memmap_offered;		/* windows over a memory map entry */
	/*
	 * Another bus root's space, with a window, an allocation in it and,
	 * as pci-pvbus puts on its root bus, a bus window on that.
	 */
	struct pvbus_mmio_space *other;
	struct resource *other_alloc;
	struct resource other_bw;
	u64 other_offered;		/* windows offered in that bus window */
	u64 memmap_bridge_offered;	/* in a bridge in a memory map entry */
	char *iomem_base, *iomem_now;
	size_t iomem_base_len, iomem_now_len;
	u8 *core;			/* an ELF core header, as read */
	size_t core_len;
	struct pvbus_range *old_ram;	/* the RAM it describes */
	unsigned int nr_old_ram;
	u64 cores;			/* sequences that read one */
	u64 phdrs;			/* program headers read */
	u64 cores32;			/* of the headers read, 32-bit */
	u64 cores_capped;		/* read, listing more than are read */
	u64 cores_xnum;			/* of them, listing PN_XNUM */
	u64 si_read;			/* screen_infos read */
	u64 si_fb;			/* of them, a framebuffer's */
	u64 si_bad;			/* of them, malformed */
	u64 param_rsv;			/* pvbus.reserve= ranges reserved */
	u64 sources_off;		/* of the screen_infos, with sources off */
	u64 fallbacks;			/* kdump fallbacks reserved beside */
	struct pvbus_quiet quiet;
};

static struct {
	u64 sequences;
	u64 ranges;
	u64 failures;
	u64 cores;
	u64 phdrs;
	u64 cores32;
	u64 cores_capped;
	u64 cores_xnum;
	u64 crs_lists;
	u64 crs_malformed;
	u64 crs_modules;
	u64 crs_given;
	u64 malformed_items;
	u64 blank_lists;
	u64 prop_nodes;
	u64 prop_rsv;
	u64 ties;
	u64 ties_refused;
	u64 memmap_offered;
	u64 other_offered;
	u64 memmap_bridge_offered;
	u64 si_read;
	u64 si_fb;
	u64 si_bad;
	u64 param_rsv;
	u64 sources_off;
	u64 fallbacks;
	u64 next_seed;
	unsigned int chunk;
	bool done;
} fw_run;

static u32 fw_rand(struct fw_fuzz *fz)
{
	return prandom_u32_state(&fz->rnd);
}

static u32 fw_below(struct fw_fuzz *fz, u32 n)
{
	return n ? fw_rand(fz) % n : 0;
}

static bool fw_chance(struct fw_fuzz *fz, u32 n)
{
	return !fw_below(fz, n);
}

static void fw_fill(struct fw_fuzz *fz, u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = fw_rand(fz);
}

/* The first failure of a sequence is what fw_sequence_quiet() reports. */
static __printf(2, 3) void fw_fail(struct fw_fuzz *fz, const char *fmt, ...)
{
	va_list args;

	if (fz->failed)
		return;
	va_start(args, fmt);
	vsnprintf(fz->why, sizeof(fz->why), fmt, args);
	va_end(args);
	fz->failed = true;
}

/* ---- ranges --------------------------------------------------------- */

/*
 * A driver's busy region, or an entry of the memory map the kernel marks
 * busy: no allocation may overlap it.
 */
static bool fw_live_is_busy(const struct fw_live *l)
{
	return l->busy || (l->res && (l->res->flags & IORESOURCE_BUSY));
}

/* A live resource to nest in, or to wrap around, or 0. */
static struct fw_live *fw_some_live(struct fw_fuzz *fz)
{
	struct fw_live *l = &fz->live[fw_below(fz, FW_LIVE)];

	return l->res ? l : NULL;
}

/* A range as firmware might describe it, or lie about it. */
static void fw_range(struct fw_fuzz *fz, u64 *start, u64 *size)
{
	struct fw_live *l;
	u64 s, n;

	switch (fw_below(fz, 13)) {
	case 0:		/* empty */
		*start = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 12) << 12);
		*size = 0;
		return;
	case 1:		/* wraps */
		*start = U64_MAX - ((u64)fw_below(fz, 16) << 12);
		*size = (u64)(1 + fw_below(fz, 64)) << 12;
		return;
	case 2:		/* everything */
		*start = 0;
		*size = fw_chance(fz, 2) ? U64_MAX : 1ULL << 63;
		return;
	case 3:		/* strictly inside a live resource */
	case 4:
		l = fw_some_live(fz);
		if (!l || l->size < SZ_16K ||
		    (fw_live_is_busy(l) && (gate & FW_GATE_NESTED)))
			break;
		n = l->size >> 12;
		s = 1 + fw_below(fz, n - 2);
		*start = l->start + (s << 12);
		*size = (u64)(1 + fw_below(fz, n - s - 1)) << 12;
		return;
	case 5:		/* around a live resource */
		l = fw_some_live(fz);
		if (!l)
			break;
		*start = l->start - ((u64)fw_below(fz, 4) << 12);
		*size = l->size + ((u64)fw_below(fz, 8) << 12);
		return;
	case 6:		/* exactly a live resource */
		l = fw_some_live(fz);
		if (!l || (fw_live_is_busy(l) && (gate & FW_GATE_NESTED)))
			break;
		*start = l->start;
		*size = l->size;
		return;
	case 7:		/* unaligned */
		*start = FW_BASE + fw_below(fz, FW_SPAN);
		*size = 1 + fw_below(fz, SZ_1M);
		return;
	case 8:		/* in another bus root's bus window */
		if (!fz->other)
			break;
		n = resource_size(&fz->other_bw) >> 12;
		s = fw_below(fz, n);
		*start = fz->other_bw.start + (s << 12);
		*size = (u64)(1 + fw_below(fz, n - s)) << 12;
		return;
	default:
		break;
	}
	*start = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 12) << 12);
	*size = (u64)(1 + fw_below(fz, 1 << fw_below(fz, 15))) << 12;
}

static bool fw_overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

/* Is any live resource's busy region overlapping [s, e]? */
static bool fw_in_busy(struct fw_fuzz *fz, u64 s, u64 e)
{
	unsigned int i;

	for (i = 0; i < FW_LIVE; i++) {
		struct fw_live *l = &fz->live[i];

		if (l->res && fw_live_is_busy(l) &&
		    fw_overlaps(s, e, l->start, l->start + l->size - 1))
			return true;
	}
	return false;
}

/* ---- other drivers ---------------------------------------------------- */

/*
 * Entries of the memory map as the kernel names them (x86's e820, arm64's
 * request_standard_resources()): a window takes none of them in, by its
 * descriptor or, without one, by its name.
 */
static const struct fw_memmap_entry {
	const char *name;
	unsigned long flags;
	unsigned long desc;
} fw_memmap[] = {
	{ "reserved", IORESOURCE_MEM, IORES_DESC_NONE },	/* arm64 no-map */
	{ "Unusable memory", IORESOURCE_MEM | IORESOURCE_BUSY,
	  IORES_DESC_NONE },
	{ "Unknown E820 type", IORESOURCE_MEM | IORESOURCE_BUSY,
	  IORES_DESC_NONE },
	{ "Reserved", IORESOURCE_MEM, IORES_DESC_RESERVED },
	{ "ACPI Tables", IORESOURCE_MEM | IORESOURCE_BUSY,
	  IORES_DESC_ACPI_TABLES },
};

/*
 * An entry of the memory map before @l to put the bridge @l inside, with
 * its start and size moved there; NULL for none (in every other bridge,
 * and when there is no such entry).  Firmware whose E820 table reserves a
 * host bridge's windows makes this: no window may lie in such a bridge
 * (allocate_resource() would place nothing in it).  Of the bridge's own
 * start and size, not of draws of their own: the rest of the sequence
 * stays as it was before these came in.  The entries stay until the end,
 * where the bridge, of a higher index, goes first.
 */
static struct fw_live *fw_live_memmap_for(struct fw_fuzz *fz,
					  struct fw_live *l, u64 *start,
					  u64 *size)
{
	struct fw_live *m;
	u64 pages, off;

	if ((*start >> 12) & 1)
		return NULL;
	for (m = fz->live; m < l; m++) {
		if (!m->res || !m->memmap || m->size < SZ_8K)
			continue;
		pages = m->size >> 12;
		off = ((*start - FW_BASE) >> 12) % pages;
		*start = m->start + (off << 12);
		*size = min_t(u64, *size, (pages - off) << 12);
		return m;
	}
	return NULL;
}

static void fw_live_add(struct fw_fuzz *fz, struct fw_live *l)
{
	u64 start = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 12) << 12);
	u64 size = (u64)(1 + fw_below(fz, 1 << fw_below(fz, 12))) << 12;
	struct resource *parent = &iomem_resource;
	const struct fw_memmap_entry *mm;
	struct fw_live *m = NULL;

	l->busy = fw_chance(fz, 2);
	l->bridge = !l->busy && fw_chance(fz, 2);
	l->memmap = !l->busy && !l->bridge && fw_chance(fz, 2);
	l->tied = false;
	if (l->bridge)
		m = fw_live_memmap_for(fz, l, &start, &size);
	l->in_memmap = !!m;
	if (m)
		parent = m->res;
	l->start = start;
	l->size = size;
	if (l->busy) {
		l->res = request_mem_region(start, size, "pvbus-fuzz driver");
		return;
	}
	l->res = kzalloc(sizeof(*l->res), GFP_KERNEL);
	if (!l->res)
		return;
	l->res->name = l->bridge ? "pvbus-fuzz bridge window" :
				   "pvbus-fuzz BAR";
	l->res->start = start;
	l->res->end = start + size - 1;
	l->res->flags = IORESOURCE_MEM | (l->bridge ? IORESOURCE_WINDOW : 0);
	if (l->memmap) {
		mm = &fw_memmap[fw_below(fz, ARRAY_SIZE(fw_memmap))];
		l->res->name = mm->name;
		l->res->flags = mm->flags;
		l->res->desc = mm->desc;
	}
	/*
	 * As the PCI core claims a BAR, and a host bridge driver its
	 * windows: request_resource() in the parent, never
	 * insert_resource() around what others hold.
	 */
	if (request_resource(parent, l->res)) {
		kfree(l->res);
		l->res = NULL;
	}
}

/* The other driver lets go of its resource, whatever lies under it. */
static void fw_live_release(struct fw_live *l)
{
	if (!l->res)
		return;
	if (l->busy) {
		release_mem_region(l->start, l->size);
	} else {
		release_resource(l->res);
		kfree(l->res);
	}
	l->res = NULL;
}

/* ---- checks ----------------------------------------------------------- */

static size_t fw_iomem_walk(struct resource *parent, char *buf, size_t pos,
			    unsigned int depth)
{
	struct resource *r;

	for (r = parent->child; r && pos < FW_IOMEM_SIZE; r = r->sibling) {
		pos += scnprintf(buf + pos, FW_IOMEM_SIZE - pos,
				 "%u %llx-%llx %lx %s\n", depth, (u64)r->start,
				 (u64)r->end, r->flags, r->name ?: "");
		if (r->child && depth < 16)
			pos = fw_iomem_walk(r, buf, pos, depth + 1);
	}
	return pos;
}

/* Without resource_lock (not exported): nothing else changes iomem now. */
static size_t fw_iomem(char *buf)
{
	return fw_iomem_walk(&iomem_resource, buf, 0, 0);
}

static struct fw_live *fw_live_of(struct fw_fuzz *fz, const struct resource *r)
{
	unsigned int i;

	for (i = 0; i < FW_LIVE; i++)
		if (fz->live[i].res == r)
			return &fz->live[i];
	return NULL;
}

/*
 * Is @p a resource of another driver that nothing of the space may be
 * under?  @child is the resource right below it on the way up.  Only a
 * host bridge window whose tie accepted a window may hold one: the
 * window right in it.  Called under the space's lock.
 */
static bool fw_is_foreign(struct fw_fuzz *fz, const struct resource *p,
			  const struct resource *child)
{
	struct fw_live *l = fw_live_of(fz, p);
	struct pvbus_mmio_win *win;

	if (!l)
		return false;
	if (!l->bridge || !l->tied)
		return true;
	list_for_each_entry(win, &fz->root.space->windows, node)
		if (&win->res == child)
			return false;
	return true;
}

/*
 * A host bridge window that is not the fuzzer's: one the firmware marks
 * (IORESOURCE_WINDOW), or one of a PCI root bus (UML's virt-pci has one
 * below 4 GiB, where a raw _CRS may put a window).  Under the rescan
 * lock, as the tie is called.
 */
static bool fw_other_host_window(const struct resource *res)
{
	return res->flags & IORESOURCE_WINDOW || pvbus_mmio_root_bus_of(res);
}

/*
 * The space's tie: asked only of a window in a host bridge window, it
 * accepts three in four of those in the fuzzer's bridges, none in others.
 */
static int fw_tie(void *data, const struct resource *win)
{
	struct fw_fuzz *fz = data;
	struct fw_live *l = fw_live_of(fz, win->parent);

	fz->ties++;
	if (fz->other && win->parent == &fz->other_bw) {
		fw_fail(fz, "the tie was asked for a window in another bus root's bus window");
		return -EBUSY;
	}
	if (!l && fw_other_host_window(win->parent)) {
		fz->ties_refused++;
		return -EBUSY;
	}
	if (!l || !l->bridge) {
		fw_fail(fz, "the tie was asked for a window in no host bridge window");
		return -EBUSY;
	}
	if (!fw_below(fz, 4)) {
		fz->ties_refused++;
		return -ENXIO;
	}
	l->tied = true;
	return 0;
}

/* An allocation: in a window, off busy regions and reservations. */
static void fw_check_alloc(struct fw_fuzz *fz, struct resource *res)
{
	struct pvbus_mmio_space *space = fz->root.space;
	const struct resource *p, *child;
	struct pvbus_rsv_rec *rec;
	struct pvbus_mmio_win *win;
	bool in_win = false;

	if (fw_in_busy(fz, res->start, res->end))
		fw_fail(fz, "allocation %pR overlaps another driver's busy region",
			res);
	mutex_lock(&space->lock);
	for (child = res, p = res->parent; p && p != &iomem_resource;
	     child = p, p = p->parent)
		if (fw_is_foreign(fz, p, child))
			fw_fail(fz, "allocation %pR lies under another driver's %pR",
				res, p);
	list_for_each_entry(win, &space->windows, node)
		if (res->start >= win->res.start && res->end <= win->res.end)
			in_win = true;
	list_for_each_entry(rec, &space->rsv.recs, node)
		if (rec->kind != PVBUS_RSV_FRAMEBUFFER &&
		    fw_overlaps(res->start, res->end, rec->start, rec->end))
			fw_fail(fz, "allocation %pR overlaps reservation %s",
				res, rec->name);
	mutex_unlock(&space->lock);
	if (!in_win)
		fw_fail(fz, "allocation %pR outside every window", res);
}

/* Nothing of the space under a resource of another driver but a tied one. */
static void fw_check_tree(struct fw_fuzz *fz)
{
	struct pvbus_mmio_space *space = fz->root.space;
	const struct resource *p, *child;
	struct pvbus_mmio_win *win;

	struct fw_live *l;

	mutex_lock(&space->lock);
	list_for_each_entry(win, &space->windows, node) {
		for (child = &win->res, p = win->res.parent;
		     p && p != &iomem_resource; child = p, p = p->parent) {
			if (fw_is_foreign(fz, p, child)) {
				fw_fail(fz, "window %pR lies under another driver's %pR",
					&win->res, p);
				break;
			}
			if (fz->other && p == fz->other_alloc) {
				fw_fail(fz, "window %pR lies in another bus root's window",
					&win->res);
				break;
			}
		}
		for (child = win->res.child; child; child = child->sibling) {
			l = fw_live_of(fz, child);
			if (l && l->memmap)
				fw_fail(fz, "window %pR took in memory map entry %s %pR",
					&win->res, child->name, child);
		}
	}
	mutex_unlock(&space->lock);
}

struct fw_health {
	bool warn, bad_page, locks;
	enum kunit_status status;
};

static void fw_health(struct fw_fuzz *fz, struct fw_health *h)
{
	h->warn = test_taint(TAINT_WARN);
	h->bad_page = test_taint(TAINT_BAD_PAGE);
	h->locks = debug_locks;
	h->status = fz->test->status;
}

/* ---- the sequence ------------------------------------------------------ */

/* ---- the crashed kernel's ELF core header (kdump) --------------------- */

/*
 * What pvbus_fw_elfcore_phdrs() must find of the first @len bytes of the
 * header: true if they are a whole valid header of either class.
 */
static bool fw_core_valid(const u8 *hdr, size_t len)
{
	const struct elf64_hdr *e64 = (const void *)hdr;
	const struct elf32_hdr *e32 = (const void *)hdr;

	if (len < EI_NIDENT || memcmp(hdr, ELFMAG, SELFMAG))
		return false;
	if (hdr[EI_CLASS] == ELFCLASS64)
		return len >= sizeof(*e64) && e64->e_type == ET_CORE &&
		       e64->e_phentsize == sizeof(struct elf64_phdr) &&
		       e64->e_phnum >= 1 &&
		       e64->e_phoff >= sizeof(*e64) && e64->e_phoff <= SZ_1M;
	if (hdr[EI_CLASS] == ELFCLASS32)
		return len >= sizeof(*e32) && e32->e_type == ET_CORE &&
		       e32->e_phentsize == sizeof(struct elf32_phdr) &&
		       e32->e_phnum >= 1 &&
		       e32->e_phoff >= sizeof(*e32) && e32->e_phoff <= SZ_1M;
	return false;
}

/* A program header, mostly PT_LOAD, at @p: 32-bit if @is32. */
static void fw_core_phdr(struct fw_fuzz *fz, void *p, bool is32)
{
	u32 type = fw_chance(fz, 8) ? fw_below(fz, 8) :
		   fw_chance(fz, 16) ? fw_rand(fz) : PT_LOAD;
	u64 paddr, memsz;

	if (fw_chance(fz, 4)) {
		fw_range(fz, &paddr, &memsz);
	} else {	/* RAM in the span the windows come from */
		paddr = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 12) << 12);
		memsz = (u64)(1 + fw_below(fz, 1 << fw_below(fz, 12))) << 12;
	}
	if (fw_chance(fz, 16))
		memsz = U64_MAX - fw_below(fz, 4);
	if (is32) {
		struct elf32_phdr *ph = p;

		/* RAM below 4 GiB, some of it across it. */
		ph->p_type = type;
		ph->p_paddr = fw_chance(fz, 2) ? (u32)paddr :
			      (u32)(fw_below(fz, SZ_1M) << 12);
		ph->p_memsz = memsz;
		ph->p_vaddr = ph->p_paddr + 0xc0000000U;
		ph->p_filesz = fw_chance(fz, 4) ? fw_rand(fz) : ph->p_memsz;
		ph->p_offset = fw_rand(fz);
	} else {
		struct elf64_phdr *ph = p;

		ph->p_type = type;
		ph->p_paddr = paddr;
		ph->p_memsz = memsz;
		ph->p_vaddr = paddr + 0xffff888000000000ULL;
		ph->p_filesz = fw_chance(fz, 4) ? fw_rand(fz) : memsz;
		ph->p_offset = fw_rand(fz);
	}
}

/*
 * An ELF core header as a crashed kernel, or whatever overwrote it, might
 * leave it: a valid one, 64-bit or (one in four, kexec's
 * --elf32-core-headers) 32-bit, then each field mutated now and then;
 * program headers of any type, PT_LOADs of any range (empty, wrapping,
 * over the windows to come), placed where e_phoff says if they fit in the
 * file.
 */
static void fw_core_make(struct fw_fuzz *fz)
{
	bool is32 = fw_chance(fz, 4);
	size_t ehsz = is32 ? sizeof(struct elf32_hdr) : sizeof(struct elf64_hdr);
	size_t phsz = is32 ? sizeof(struct elf32_phdr) :
			     sizeof(struct elf64_phdr);
	struct elf64_hdr *e64 = (struct elf64_hdr *)fz->core;
	struct elf32_hdr *e32 = (struct elf32_hdr *)fz->core;
	unsigned int i, n, phnum, mag_i = 0;
	u16 type = ET_CORE, phentsize = phsz;
	u8 class = is32 ? ELFCLASS32 : ELFCLASS64, mag_x = 0;
	bool cut = false;
	u64 off = ehsz;

	memset(fz->core, 0, FW_CORE_SIZE);
	n = 1 + fw_below(fz, fw_chance(fz, 4) ? FW_CORE_PHDRS : 8);
	phnum = n;

	switch (fw_below(fz, 16)) {
	case 0:
		mag_i = fw_below(fz, SELFMAG);
		mag_x = 1 + fw_below(fz, 255);
		break;
	case 1:		/* the other class, or none */
		class = fw_chance(fz, 4) ? fw_below(fz, 256) :
			is32 ? ELFCLASS64 : ELFCLASS32;
		break;
	case 2:
		type = fw_chance(fz, 2) ? ET_EXEC : fw_rand(fz);
		break;
	case 3:		/* the other class's size, or any */
		phentsize = fw_chance(fz, 2) ?
			(is32 ? sizeof(struct elf64_phdr) :
				sizeof(struct elf32_phdr)) : fw_rand(fz);
		break;
	case 4:		/* none, too many, more than the file holds */
		phnum = fw_chance(fz, 4) ? 0 :
			fw_chance(fz, 2) ? PVBUS_FW_MAX_PHDRS + fw_below(fz, 64) :
			n + 1 + fw_below(fz, PVBUS_FW_MAX_PHDRS - n);
		break;
	case 5:		/* inside the ELF header, past the file, past 1 MiB */
		off = fw_chance(fz, 2) ? fw_below(fz, ehsz) :
			fw_chance(fz, 2) ? SZ_1M + 1 + fw_below(fz, SZ_1M) :
			ehsz + fw_below(fz, SZ_1M);
		break;
	case 6:		/* unaligned, still in the file */
		off = ehsz + 1 + fw_below(fz, 7);
		break;
	case 7:		/* the file ends early */
		cut = true;
		break;
	default:
		break;
	}
	/*
	 * Of more than are read, half list PN_XNUM, as a kernel with 65535
	 * or more lists them.  Of @n, not of a draw of its own, so that the
	 * rest of the sequence stays as it was before this came in.
	 */
	if (phnum == n && n > PVBUS_FW_MAX_PHDRS && n & 1)
		phnum = PN_XNUM;

	memcpy(e64->e_ident, ELFMAG, SELFMAG);
	e64->e_ident[mag_i] ^= mag_x;
	e64->e_ident[EI_CLASS] = class;
	e64->e_ident[EI_DATA] = ELFDATA2LSB;
	e64->e_ident[EI_VERSION] = EV_CURRENT;
	/*
	 * Now and then the fields the other class reads e_phoff and the
	 * rest from are small, so that a header of one class read as the
	 * other may pass.
	 */
	if (fw_chance(fz, 4)) {
		if (is32) {
			e32->e_entry = fw_below(fz, SZ_1M);
			e32->e_shoff = fw_below(fz, SZ_1M);
			e32->e_flags = fw_below(fz, 16);
		} else {
			e64->e_entry = (u64)fw_below(fz, SZ_1M) << 32 |
				       fw_rand(fz);
			e64->e_shoff = fw_below(fz, SZ_1M);
			e64->e_flags = fw_below(fz, 16);
		}
	}
	if (is32) {
		e32->e_type = type;
		e32->e_machine = EM_386;
		e32->e_version = EV_CURRENT;
		e32->e_ehsize = ehsz;
		e32->e_phoff = off;
		e32->e_phentsize = phentsize;
		e32->e_phnum = phnum;
		off = e32->e_phoff;	/* as the file holds it */
	} else {
		e64->e_type = type;
		e64->e_machine = EM_X86_64;
		e64->e_version = EV_CURRENT;
		e64->e_ehsize = ehsz;
		e64->e_phoff = off;
		e64->e_phentsize = phentsize;
		e64->e_phnum = phnum;
	}

	for (i = 0; i < n; i++) {
		if (off > FW_CORE_SIZE || (i + 1) * phsz > FW_CORE_SIZE - off)
			break;
		fw_core_phdr(fz, fz->core + off + i * phsz, is32);
	}
	/* The file ends after what was written. */
	fz->core_len = ehsz;
	if (off <= FW_CORE_SIZE)
		fz->core_len = max_t(u64, fz->core_len, off + (u64)i * phsz);
	if (cut)
		fz->core_len = fw_below(fz, fz->core_len);
}

/* PT_LOAD @i of the program headers @ph of class @class: its range. */
static bool fw_core_load(const void *ph, u8 class, unsigned int i,
			 u64 *start, u64 *size)
{
	const struct elf32_phdr *p32 = (const struct elf32_phdr *)ph + i;
	const struct elf64_phdr *p64 = (const struct elf64_phdr *)ph + i;

	if (class == ELFCLASS32) {
		*start = p32->p_paddr;
		*size = p32->p_memsz;
		return p32->p_type == PT_LOAD && p32->p_memsz;
	}
	*start = p64->p_paddr;
	*size = p64->p_memsz;
	return p64->p_type == PT_LOAD && p64->p_memsz;
}

/*
 * Read the crashed kernel's RAM from the header as pvbus_fw_read_old_ram()
 * reads /proc/vmcore (the ELF header, as much of a 64-bit one as the file
 * has, then exactly the program headers it names, a short read giving
 * up), and check what the parsers make of it.
 */
static void fw_core_read(struct fw_fuzz *fz)
{
	size_t hlen = min_t(size_t, fz->core_len, sizeof(struct elf64_hdr));
	const u8 *hdr = fz->core;
	struct pvbus_fw_elfcore core;
	unsigned int i, nr = 0;
	u64 start, size, end;
	size_t phsz;
	void *copy;
	int ret;

	fz->cores++;
	fz->nr_old_ram = 0;
	ret = pvbus_fw_elfcore_phdrs(hdr, hlen, &core);
	if (!ret != fw_core_valid(hdr, hlen)) {
		fw_fail(fz, "ELF header taken as %s", ret ? "invalid" : "valid");
		return;
	}
	if (ret)
		return;
	if (hdr[EI_CLASS] == ELFCLASS32) {
		const struct elf32_hdr *e32 = (const void *)hdr;

		phsz = sizeof(struct elf32_phdr);
		if (core.phoff != e32->e_phoff || core.listed != e32->e_phnum ||
		    core.phnum != min_t(unsigned int, e32->e_phnum,
					PVBUS_FW_MAX_PHDRS))
			fw_fail(fz, "32-bit program headers misread");
	} else {
		const struct elf64_hdr *e64 = (const void *)hdr;

		phsz = sizeof(struct elf64_phdr);
		if (core.phoff != e64->e_phoff || core.listed != e64->e_phnum ||
		    core.phnum != min_t(unsigned int, e64->e_phnum,
					PVBUS_FW_MAX_PHDRS))
			fw_fail(fz, "64-bit program headers misread");
	}
	if (core.class != hdr[EI_CLASS] || core.len != core.phnum * phsz)
		fw_fail(fz, "program headers of class %u, %zu bytes, misread",
			core.class, core.len);
	if (core.phoff > fz->core_len || core.len > fz->core_len - core.phoff)
		return;		/* a short read: nothing is taken */

	/* Exactly what was read, so that KASAN sees a read beyond it. */
	copy = kmemdup(fz->core + core.phoff, core.len, GFP_KERNEL);
	fz->old_ram = kcalloc(core.phnum, sizeof(*fz->old_ram), GFP_KERNEL);
	if (!copy || !fz->old_ram) {
		kfree(copy);
		fw_fail(fz, "no memory for %zu bytes of program headers",
			core.len);
		return;
	}
	fz->nr_old_ram = pvbus_fw_elfcore_ram(&core, copy, fz->old_ram);
	fz->phdrs += core.phnum;
	if (core.class == ELFCLASS32)
		fz->cores32++;
	if (core.listed > core.phnum)
		fz->cores_capped++;
	if (core.listed == PN_XNUM)
		fz->cores_xnum++;

	for (i = 0; i < core.phnum; i++) {
		if (!fw_core_load(copy, core.class, i, &start, &size))
			continue;
		fz->ranges++;
		if (nr >= fz->nr_old_ram) {
			nr++;
			continue;
		}
		end = start + size - 1;
		if (end < start)
			end = U64_MAX;
		if (fz->old_ram[nr].start != start ||
		    fz->old_ram[nr].start + (fz->old_ram[nr].size - 1) != end ||
		    !fz->old_ram[nr].size)
			fw_fail(fz, "PT_LOAD %u [%#llx+%#llx] read as [%#llx+%#llx]",
				i, start, size, fz->old_ram[nr].start,
				fz->old_ram[nr].size);
		nr++;
	}
	if (nr != fz->nr_old_ram)
		fw_fail(fz, "%u PT_LOAD headers read as %u ranges", nr,
			fz->nr_old_ram);
	kfree(copy);
}

/* No window the bus took may overlap the crashed kernel's RAM. */
static void fw_core_check(struct fw_fuzz *fz)
{
	const struct pvbus_range *w, *r;
	unsigned int i, j;

	for (i = 0; i < fz->root.nr_windows; i++) {
		w = &fz->root.windows[i];
		for (j = 0; j < fz->nr_old_ram; j++) {
			r = &fz->old_ram[j];
			if (fw_overlaps(w->start, w->start + w->size - 1,
					r->start, r->start + (r->size - 1)))
				fw_fail(fz, "window [%#llx+%#llx] over old RAM [%#llx+%#llx]",
					w->start, w->size, r->start, r->size);
		}
	}
}

/* A window over a PT_LOAD of the core, or 0. */
static bool fw_core_range(struct fw_fuzz *fz, u64 *start, u64 *size)
{
	const struct pvbus_range *r;

	if (!fz->nr_old_ram)
		return false;
	r = &fz->old_ram[fw_below(fz, fz->nr_old_ram)];
	if (r->start > U64_MAX - SZ_1M || r->size > SZ_256M)
		return false;
	*start = r->start + ((u64)fw_below(fz, r->size >> 12) << 12);
	*size = (u64)(1 + fw_below(fz, 1 << fw_below(fz, 12))) << 12;
	if (fw_chance(fz, 2) && *start >= SZ_1M)
		*start -= (u64)fw_below(fz, 256) << 12;
	return true;
}

/* Offered as a window: a valid one may be taken. */
static void fw_given(struct fw_fuzz *fz, u64 start, u64 size)
{
	if (!size || start > U64_MAX - (size - 1))
		return;
	if (fz->nr_given == ARRAY_SIZE(fz->given)) {
		fw_fail(fz, "more windows offered than the model holds");
		return;
	}
	fz->given[fz->nr_given].start = start;
	fz->given[fz->nr_given].size = size;
	fz->nr_given++;
}

/* A _CRS as ACPI decodes one: mostly memory, some of it bad. */
static void fw_crs_make(struct fw_fuzz *fz)
{
	unsigned int i;
	u64 start, size;

	fz->nr_crs = fw_chance(fz, 2) ? 0 : fw_below(fz, FW_CRS + 1);
	for (i = 0; i < fz->nr_crs; i++) {
		struct resource *r = &fz->crs[i];

		fw_range(fz, &start, &size);
		*r = (struct resource)DEFINE_RES_MEM(start, size);
		switch (fw_below(fz, 10)) {
		case 0:
			r->flags = IORESOURCE_IO;
			break;
		case 1:
			r->flags = IORESOURCE_IRQ;
			break;
		case 2:		/* zero-length, as ACPI marks it */
			r->flags |= IORESOURCE_DISABLED | IORESOURCE_UNSET;
			break;
		case 3:		/* reversed */
			r->end = start - 1 - fw_below(fz, SZ_1M);
			break;
		default:
			r->flags |= fw_chance(fz, 2) ? IORESOURCE_WINDOW : 0;
			break;
		}
		if (resource_type(r) == IORESOURCE_MEM &&
		    !(r->flags & IORESOURCE_DISABLED) && r->end >= r->start)
			fw_given(fz, r->start, r->end - r->start + 1);
		fz->ranges++;
	}
}

/* ---- a _CRS as ACPICA hands it over: raw resource records ------------- */

/* A value for a field of @bits bits: often at its edges. */
static u64 fw_crs_val(struct fw_fuzz *fz, unsigned int bits)
{
	u64 top = bits == 64 ? U64_MAX : (1ULL << bits) - 1;

	switch (fw_below(fz, 6)) {
	case 0:
		return 0;
	case 1:
		return top;
	case 2:
		return top - fw_below(fz, 4096);
	default:
		return ((u64)fw_rand(fz) << 32 | fw_rand(fz)) & top;
	}
}

/*
 * The expected resource of a memory range [start, start + len - 1] of a
 * Memory24/32 or FixedMemory32 descriptor.
 */
static void fw_crs_expect_mem(struct fw_crs_model *m, u64 start, u64 len)
{
	struct resource r = { .flags = IORESOURCE_MEM };

	if (len && (start + (len - 1) < start ||
		    start + (len - 1) > (resource_size_t)~0)) {
		m->bad++;
		return;
	}
	if (!len) {
		m->disabled++;
		return;
	}
	r.start = start;
	r.end = start + (len - 1);
	if (m->nr == PVBUS_FW_MAX_CRS) {
		m->more = true;
		return;
	}
	m->mem++;
	m->res[m->nr++] = r;
}

/* The expected resource of an address space descriptor. */
static void fw_crs_expect_addr(struct fw_crs_model *m, u8 type, u8 pc,
			       u8 caching, u64 min, u64 max, u64 off, u64 len)
{
	struct resource r = { .flags = IORESOURCE_MEM };

	if (type != ACPI_MEMORY_RANGE)	/* I/O, bus numbers, others */
		return;
	if (pc != ACPI_PRODUCER)
		off = 0;
	if (len) {
		u64 start, end;
		/*
		 * Modulo 2^64: a range whose two ends both carry past 2^64
		 * moved down (a negative offset); one whose end alone does
		 * wraps around the top.
		 */
		bool carry_start = check_add_overflow(min, off, &start);
		bool carry_end = check_add_overflow(max, off, &end);

		if (max < min || carry_start != carry_end ||
		    end > (resource_size_t)~0) {
			m->bad++;
			return;
		}
		r.start = start;
		r.end = end;
		if (pc == ACPI_PRODUCER)
			r.flags |= IORESOURCE_WINDOW;
		if (caching == ACPI_PREFETCHABLE_MEMORY)
			r.flags |= IORESOURCE_PREFETCH;
	} else {
		m->disabled++;
		return;
	}
	if (m->nr == PVBUS_FW_MAX_CRS) {
		m->more = true;
		return;
	}
	m->mem++;
	m->res[m->nr++] = r;
}

/* min, max, offset and length of an address descriptor of @bits bits. */
static void fw_crs_space(struct fw_fuzz *fz, unsigned int bits, u64 *min,
			 u64 *max, u64 *off, u64 *len)
{
	u64 top = bits == 64 ? U64_MAX : (1ULL << bits) - 1;
	u64 s, n;

	fw_range(fz, &s, &n);
	*off = fw_chance(fz, 4) ? fw_crs_val(fz, bits) : 0;
	if (bits < 64 || fw_chance(fz, 4)) {	/* fits the field */
		s &= top;
		n = n & top;
	}
	*min = s;
	*len = n;
	*max = n ? (s + n - 1) & top : s;
	switch (fw_below(fz, 10)) {
	case 0:		/* length disagrees with the range */
		*len = fw_crs_val(fz, bits);
		break;
	case 1:		/* ends below its start */
		*max = *min ? *min - 1 - fw_below(fz, *min < 4096 ? *min : 4096) : 0;
		break;
	case 2:		/* translated past the end, or a little down */
		*off = top - fw_below(fz, 4096);
		break;
	case 4:		/* a negative offset: down to near 0, or past it */
		*off = (fw_below(fz, 8192) - *min) & top;
		break;
	case 3:
		*min = fw_crs_val(fz, bits);
		*max = fw_crs_val(fz, bits);
		break;
	default:
		break;
	}
}

/*
 * Stores an address descriptor's minimum, maximum, translation offset and
 * length in @attr, its struct acpi_address{16,32,64}_attribute: five
 * fields @bits wide, the granularity (left 0) first.  fw_crs_space() keeps
 * every value within the width, so none is cut: what the model expects is
 * what the record holds.
 */
static void fw_crs_put_addr(void *attr, unsigned int bits, u64 min, u64 max,
			    u64 off, u64 len)
{
	const u64 v[] = { min, max, off, len };
	u8 *p = attr;
	unsigned int i;

	BUILD_BUG_ON(sizeof(struct acpi_address16_attribute) != 5 * 2 ||
		     sizeof(struct acpi_address32_attribute) != 5 * 4 ||
		     sizeof(struct acpi_address64_attribute) != 5 * 8);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		p += bits / 8;
		if (bits == 16)
			put_unaligned(v[i], (u16 *)p);
		else if (bits == 32)
			put_unaligned(v[i], (u32 *)p);
		else
			put_unaligned(v[i], (u64 *)p);
	}
}

/*
 * One record at @rec (zeroed, room for 128 bytes): its type, fields and
 * the length it needs; the model learns what it must decode to.
 */
static u32 fw_crs_record(struct fw_fuzz *fz, struct acpi_resource *rec,
			 struct fw_crs_model *m)
{
	union acpi_resource_data *d = &rec->data;
	struct acpi_resource_address *a = &d->address;
	static const u8 spaces[] = {
		ACPI_MEMORY_RANGE, ACPI_MEMORY_RANGE, ACPI_MEMORY_RANGE,
		ACPI_IO_RANGE, ACPI_BUS_NUMBER_RANGE, 3, 0xc0, 0xff,
	};
	u64 start, len, min, max, off;
	unsigned int bits;
	void *attr;
	u32 need;

	rec->type = fw_below(fz, ACPI_RESOURCE_TYPE_MAX + 1);
	if (fw_chance(fz, 2))
		rec->type = ACPI_RESOURCE_TYPE_ADDRESS64;
	if (rec->type == ACPI_RESOURCE_TYPE_END_TAG)
		rec->type = ACPI_RESOURCE_TYPE_IO;
	switch (rec->type) {
	case ACPI_RESOURCE_TYPE_MEMORY24:
		need = ACPI_RS_SIZE(struct acpi_resource_memory24);
		d->memory24.minimum = fw_crs_val(fz, 16);
		d->memory24.address_length = fw_crs_val(fz, 16);
		d->memory24.maximum = fw_rand(fz);
		fw_crs_expect_mem(m, (u64)d->memory24.minimum << 8,
				  (u64)d->memory24.address_length << 8);
		break;
	case ACPI_RESOURCE_TYPE_MEMORY32:
		need = ACPI_RS_SIZE(struct acpi_resource_memory32);
		fw_range(fz, &start, &len);
		d->memory32.minimum = fw_chance(fz, 2) ? start : fw_crs_val(fz, 32);
		d->memory32.address_length = fw_chance(fz, 2) ? len :
					     fw_crs_val(fz, 32);
		d->memory32.maximum = fw_rand(fz);
		fw_crs_expect_mem(m, d->memory32.minimum,
				  d->memory32.address_length);
		break;
	case ACPI_RESOURCE_TYPE_FIXED_MEMORY32:
		need = ACPI_RS_SIZE(struct acpi_resource_fixed_memory32);
		d->fixed_memory32.address = fw_crs_val(fz, 32);
		d->fixed_memory32.address_length = fw_crs_val(fz, 32);
		fw_crs_expect_mem(m, d->fixed_memory32.address,
				  d->fixed_memory32.address_length);
		break;
	case ACPI_RESOURCE_TYPE_ADDRESS16:
	case ACPI_RESOURCE_TYPE_ADDRESS32:
	case ACPI_RESOURCE_TYPE_ADDRESS64:
	case ACPI_RESOURCE_TYPE_EXTENDED_ADDRESS64:
		a->resource_type = spaces[fw_below(fz, ARRAY_SIZE(spaces))];
		a->producer_consumer = fw_chance(fz, 8) ? fw_rand(fz) :
				       fw_below(fz, 2);
		a->min_address_fixed = fw_below(fz, 2);
		a->max_address_fixed = fw_below(fz, 2);
		a->info.mem.caching = fw_below(fz, 4);
		if (rec->type == ACPI_RESOURCE_TYPE_ADDRESS16) {
			need = ACPI_RS_SIZE(struct acpi_resource_address16);
			bits = 16;
			attr = &d->address16.address;
		} else if (rec->type == ACPI_RESOURCE_TYPE_ADDRESS32) {
			need = ACPI_RS_SIZE(struct acpi_resource_address32);
			bits = 32;
			attr = &d->address32.address;
		} else if (rec->type == ACPI_RESOURCE_TYPE_ADDRESS64) {
			need = ACPI_RS_SIZE(struct acpi_resource_address64);
			bits = 64;
			attr = &d->address64.address;
		} else {
			need = ACPI_RS_SIZE(struct acpi_resource_extended_address64);
			bits = 64;
			attr = &d->ext_address64.address;
		}
		fw_crs_space(fz, bits, &min, &max, &off, &len);
		fw_crs_put_addr(attr, bits, min, max, off, len);
		fw_crs_expect_addr(m, a->resource_type, a->producer_consumer,
				   a->info.mem.caching, min, max, off, len);
		break;
	default:	/* I/O ports, interrupts, GPIO, serial buses: skipped */
		need = ACPI_RS_SIZE_NO_DATA + fw_below(fz, 24);
		fw_fill(fz, (u8 *)d, need - ACPI_RS_SIZE_NO_DATA);
		break;
	}
	return need;
}

/*
 * A _CRS of random records, as acpi_get_current_resources() returns one,
 * in @fz->crs_buf; now and then malformed (a length too short for its
 * type or past the end, a type ACPI lacks, the end tag missing or cut
 * off), which the model notes.  Returns its length.
 */
static size_t fw_crs_list(struct fw_fuzz *fz, struct fw_crs_model *m)
{
	unsigned int i, n, bad_at;
	size_t pos = 0;
	u8 rec[128];

	memset(m, 0, sizeof(*m));
	n = fw_chance(fz, 8) ? PVBUS_FW_MAX_CRS - 2 + fw_below(fz, 8) :
			       fw_below(fz, 8);
	/* One list in four malformed: at record bad_at, or at its end. */
	bad_at = fw_chance(fz, 4) ? fw_below(fz, n + 1) : UINT_MAX;
	for (i = 0; i < n && pos + sizeof(rec) + 16 <= FW_CRS_BUF; i++) {
		struct acpi_resource *ares = (void *)rec;
		u32 need, rlen, copy;

		memset(rec, 0, sizeof(rec));
		need = fw_crs_record(fz, ares, m);
		rlen = ALIGN(need, 8) + 8 * fw_below(fz, fw_chance(fz, 4) ? 3 : 1);
		switch (i == bad_at ? fw_below(fz, 3) : 3) {
		case 0:		/* shorter than its type, or than a header */
			m->malformed = true;
			rlen = fw_below(fz, need < ACPI_RS_SIZE_NO_DATA + 1 ?
					ACPI_RS_SIZE_NO_DATA : need);
			if (rlen >= ACPI_RS_SIZE_NO_DATA &&
			    ares->type > ACPI_RESOURCE_TYPE_EXTENDED_ADDRESS64)
				rlen = fw_below(fz, ACPI_RS_SIZE_NO_DATA);
			if (rlen >= ACPI_RS_SIZE_NO_DATA &&
			    ares->type < ACPI_RESOURCE_TYPE_MEMORY24)
				rlen = fw_below(fz, ACPI_RS_SIZE_NO_DATA);
			break;
		case 1:		/* past the end of the list */
			m->malformed = true;
			rlen = FW_CRS_BUF + 1 + fw_below(fz, U32_MAX - FW_CRS_BUF - 1);
			break;
		case 2:		/* a type ACPI does not have */
			m->malformed = true;
			ares->type = ACPI_RESOURCE_TYPE_MAX + 1 +
				     fw_below(fz, fw_chance(fz, 2) ? 4 : U32_MAX - 32);
			break;
		default:
			break;
		}
		ares->length = rlen;
		if (m->malformed) {
			/* The walk stops here: what follows is junk. */
			copy = clamp_t(u32, rlen, ACPI_RS_SIZE_NO_DATA,
				       sizeof(rec));
			memcpy(fz->crs_buf + pos, rec, copy);
			fw_fill(fz, fz->crs_buf + pos + copy, 16);
			return pos + copy + 16;
		}
		memcpy(fz->crs_buf + pos, rec, rlen);
		pos += rlen;
	}
	if (bad_at != UINT_MAX) {	/* no end tag, or one cut off */
		m->malformed = true;
		if (fw_chance(fz, 2))
			return pos;
		((struct acpi_resource *)(fz->crs_buf + pos))->type =
			ACPI_RESOURCE_TYPE_END_TAG;
		((struct acpi_resource *)(fz->crs_buf + pos))->length = 16;
		return pos + fw_below(fz, 16);
	}
	memset(fz->crs_buf + pos, 0, 16);
	((struct acpi_resource *)(fz->crs_buf + pos))->type =
		ACPI_RESOURCE_TYPE_END_TAG;
	((struct acpi_resource *)(fz->crs_buf + pos))->length =
		fw_chance(fz, 4) ? ACPI_RS_SIZE_NO_DATA : 16;
	pos += 16;
	if (fw_chance(fz, 8)) {		/* junk after the end tag: not read */
		fw_fill(fz, fz->crs_buf + pos, 16);
		pos += 16;
	}
	return pos;
}

/* The walk of one list, against its model. */
static void fw_crs_expect(struct fw_fuzz *fz, const char *whose,
			  const struct pvbus_fw_crs_walk *w,
			  const struct resource *res, unsigned int n,
			  const struct fw_crs_model *m)
{
	unsigned int i, nr = m->malformed ? 0 : m->nr;

	if (w->malformed != m->malformed)
		fw_fail(fz, "_CRS of the %s taken as %s", whose,
			w->malformed ? "malformed" : "well-formed");
	if (m->malformed)
		return;
	if (n != nr || w->nr != nr || w->bad != m->bad ||
	    w->disabled != m->disabled || w->more != m->more)
		fw_fail(fz,
			"_CRS of the %s: %u resources, %u bad, %u disabled, more %d; expected %u, %u, %u, %d",
			whose, n, w->bad, w->disabled, w->more, nr, m->bad,
			m->disabled, m->more);
	for (i = 0; i < min(n, nr); i++)
		if (res[i].start != m->res[i].start ||
		    res[i].end != m->res[i].end ||
		    res[i].flags != m->res[i].flags)
			fw_fail(fz, "_CRS of the %s: resource %u is %pR, expected %pR",
				whose, i, &res[i], &m->res[i]);
}

/* Hardware ids of a parent: a module device's, or something like one. */
static unsigned int fw_crs_ids(struct fw_fuzz *fz, const char **ids,
			       bool *module)
{
	static const char * const names[] = {
		"ACPI0004", "ACPI0004", "PNP0A03", "PNP0A08", "acpi0004",
		"ACPI00040", "ACPI000", "ACPI0004 ", "VMBUS", "",
	};
	unsigned int i, n = fw_below(fz, 4);

	*module = false;
	if (fw_chance(fz, 2)) {		/* as hypervisors write it */
		ids[0] = "ACPI0004";
		*module = true;
		return 1;
	}
	for (i = 0; i < n; i++) {
		ids[i] = names[fw_below(fz, ARRAY_SIZE(names))];
		if (!strcmp(ids[i], "ACPI0004"))
			*module = true;
	}
	return n;
}

/*
 * The windows from raw _CRS lists: the bus root's own (memory in it is
 * counted, never used) and its parent's, used when the parent is a module
 * device.  Each list is checked against its model; the windows the
 * parent's gives are what the bus may take.
 */
static void fw_crs_raw(struct fw_fuzz *fz)
{
	struct fw_crs_model *own = &fz->crs_model[0], *up = &fz->crs_model[1];
	struct pvbus_fw_crs_src src_own = {}, src_up = {};
	bool module, parent = !fw_chance(fz, 8);
	struct pvbus_fw_crs_report rep;
	struct pvbus_fw_crs_walk w;
	const char *ids[4];
	unsigned int i;
	size_t len;
	int n;

	fz->crs_lists++;
	memset(own, 0, sizeof(*own));		/* no _CRS */
	if (fw_below(fz, 4)) {
		len = fw_crs_list(fz, own);
		src_own.crs = kmemdup(fz->crs_buf, len, GFP_KERNEL);
		src_own.len = len;
		fz->crs_malformed += own->malformed;
	}
	src_up.nr_ids = fw_crs_ids(fz, ids, &module);
	src_up.ids = ids;
	len = fw_crs_list(fz, up);
	/* Exactly as long as the list, so that KASAN sees a read past it. */
	src_up.crs = kmemdup(fz->crs_buf, len, GFP_KERNEL);
	src_up.len = len;
	fz->crs_malformed += up->malformed;
	module = module && parent;
	fz->crs_modules += module;
	if ((src_own.len && !src_own.crs) || !src_up.crs) {
		fw_fail(fz, "no memory for a _CRS");
		goto out;
	}

	/* The bus root's list alone, walked. */
	n = pvbus_fw_crs_decode(src_own.crs, src_own.len, fz->crs,
				PVBUS_FW_MAX_CRS, &w);
	fw_crs_expect(fz, "bus root", &w, fz->crs, n, own);

	n = pvbus_fw_crs_windows(&src_own, parent ? &src_up : NULL, fz->crs,
				 &rep);
	if (rep.own_mem != (own->malformed ? 0 : own->mem))
		fw_fail(fz, "%u memory ranges in the bus root's own _CRS counted as %u",
			own->malformed ? 0 : own->mem, rep.own_mem);
	if (rep.module != module)
		fw_fail(fz, "parent %s a module device",
			rep.module ? "taken for" : "not taken for");
	else if (module)
		fw_crs_expect(fz, "parent", &rep.parent, fz->crs, n, up);
	else if (n)
		fw_fail(fz, "%d resources from a parent that is not a module device",
			n);
	fz->nr_crs = n;

	if (module && !up->malformed)
		for (i = 0; i < up->nr; i++)
			if (!(up->res[i].flags & IORESOURCE_DISABLED)) {
				fw_given(fz, up->res[i].start,
					 up->res[i].end - up->res[i].start + 1);
				fz->crs_given++;
			}
	fz->ranges += own->nr + up->nr;
out:
	kfree(src_own.crs);
	kfree(src_up.crs);
}

/* Every window the bus took was offered. */
static void fw_windows_check(struct fw_fuzz *fz)
{
	const struct pvbus_range *w;
	unsigned int i, j;

	for (i = 0; i < fz->root.nr_windows; i++) {
		w = &fz->root.windows[i];
		for (j = 0; j < fz->nr_given; j++)
			if (w->start == fz->given[j].start &&
			    w->size == fz->given[j].size)
				break;
		if (j == fz->nr_given)
			fw_fail(fz, "window [%#llx+%#llx] was not offered",
				w->start, w->size);
	}
}

/* ---- "mmio-windows" and "reserved-ranges" ------------------------------- */

static const char *const fw_prop_names[] = { "mmio-windows",
					     "reserved-ranges" };

/*
 * A property of (start, size) pairs, mostly ranges the sequence would give
 * anyway, some garbage; an odd count now and then, sometimes more pairs
 * than are read, sometimes an array of narrower cells, sometimes none at
 * all.  Returns its entry, or an empty one for a property left out.
 */
static struct property_entry fw_prop_make(struct fw_fuzz *fz,
					  struct fw_prop *p, const char *name)
{
	unsigned int i, n = fw_below(fz, FW_PROP_PAIRS + 1) * 2;
	struct property_entry e = { };

	BUILD_BUG_ON(PVBUS_FW_MAX_CRS < PVBUS_MAX_FW_RSV);
	if (fw_chance(fz, 8))
		n = fw_below(fz, FW_PROP_CELLS / 2 + 1) * 2;

	p->len = 0;
	if (!fw_below(fz, 4))
		return e;
	if (fw_chance(fz, 8))
		n = min_t(unsigned int, n + 1, FW_PROP_CELLS);
	for (i = 0; i + 1 < n; i += 2) {
		if (fw_chance(fz, 8)) {
			fw_fill(fz, (u8 *)&p->cells[i], 2 * sizeof(u64));
			continue;
		}
		fw_range(fz, &p->cells[i], &p->cells[i + 1]);
		if (fw_chance(fz, 16))
			p->cells[i + 1] = 0;
	}
	if (n % 2)
		fw_fill(fz, (u8 *)&p->cells[n - 1], sizeof(u64));

	p->elem = sizeof(u64);
	if (fw_chance(fz, 8))
		p->elem = fw_chance(fz, 2) ? sizeof(u32) : sizeof(u8);
	p->len = n * sizeof(u64);
	if (p->elem != sizeof(u64) && p->len)
		p->len -= fw_below(fz, sizeof(u64)) / p->elem * p->elem;
	if (!p->len)
		return PROPERTY_ENTRY_BOOL(name);	/* there, but empty */

	e.name = name;
	e.length = p->len;
	e.pointer = p->cells;
	e.type = p->elem == sizeof(u64) ? DEV_PROP_U64 :
		 p->elem == sizeof(u32) ? DEV_PROP_U32 : DEV_PROP_U8;
	return e;
}

/*
 * The pairs a reader takes from @p: whole u64 cells, none if their count
 * is odd, at most @max pairs.
 */
static unsigned int fw_prop_pairs(const struct fw_prop *p, unsigned int max)
{
	size_t cells = p->len / sizeof(u64);

	if (cells % 2)
		return 0;
	return min_t(size_t, cells / 2, max);
}

/* Give the bus root a node with the two properties, or none. */
static bool fw_props_add(struct fw_fuzz *fz)
{
	unsigned int i, j = 0, n;
	struct property_entry e;

	memset(fz->prop_entries, 0, sizeof(fz->prop_entries));
	for (i = 0; i < ARRAY_SIZE(fw_prop_names); i++) {
		e = fw_prop_make(fz, &fz->prop[i], fw_prop_names[i]);
		if (e.name)
			fz->prop_entries[j++] = e;
	}
	if (!j)
		return false;

	n = fw_prop_pairs(&fz->prop[0], PVBUS_FW_MAX_CRS);
	for (i = 0; i < n; i++)
		fw_given(fz, fz->prop[0].cells[2 * i],
			 fz->prop[0].cells[2 * i + 1]);
	memset(&fz->node, 0, sizeof(fz->node));
	fz->node.properties = fz->prop_entries;
	if (device_add_software_node(fz->root.dev, &fz->node)) {
		fw_fail(fz, "cannot add the root's software node");
		return false;
	}
	fz->prop_nodes++;
	return true;
}

/*
 * The firmware reservations the space holds, as the bus root's own
 * reserve path makes them from "reserved-ranges": exactly the valid pairs
 * of the first %PVBUS_MAX_FW_RSV (a pair given twice is one record).  The
 * space is new: nothing allocated is in the way.
 */
static void fw_props_rsv_check(struct fw_fuzz *fz, int ret)
{
	unsigned int i, n = fw_prop_pairs(&fz->prop[1], PVBUS_MAX_FW_RSV);
	struct pvbus_mmio_space *space = fz->root.space;
	const u64 *c = fz->prop[1].cells;
	struct pvbus_rsv_rec *rec;
	struct pvbus_range r;
	bool found;

	if (ret == -ENOMEM)
		return;
	if (ret)
		fw_fail(fz, "reserving from firmware returned %d", ret);
	mutex_lock(&space->lock);
	list_for_each_entry(rec, &space->rsv.recs, node) {
		if (rec->kind != PVBUS_RSV_FIRMWARE)
			continue;
		fz->prop_rsv++;
		for (i = 0; i < n; i++)
			if (rec->start == c[2 * i] &&
			    rec->end == c[2 * i] + c[2 * i + 1] - 1)
				break;
		if (i == n)
			fw_fail(fz, "firmware reservation [%#llx-%#llx] not in reserved-ranges",
				(u64)rec->start, (u64)rec->end);
	}
	for (i = 0; i < n; i++) {
		r.start = c[2 * i];
		r.size = c[2 * i + 1];
		if (pvbus_fw_check_range(&r) != PVBUS_FW_OK)
			continue;
		found = false;
		list_for_each_entry(rec, &space->rsv.recs, node)
			if (rec->kind == PVBUS_RSV_FIRMWARE &&
			    rec->start == r.start &&
			    rec->end == r.start + r.size - 1)
				found = true;
		if (!found)
			fw_fail(fz, "reserved-ranges pair [%#llx+%#llx] not reserved",
				r.start, r.size);
	}
	mutex_unlock(&space->lock);
}

/* ---- screen_info ------------------------------------------------------ */

/*
 * A screen_info as a boot loader, kexec-tools or the crashed kernel may
 * leave it: a linear framebuffer's type or another, a base from
 * fw_range() (its high half with the 64-bit capability or without), a
 * size that fits it, one at VBE's 16-bit limit or past it, or any, and
 * now and then a mode larger than the size.
 */
static void fw_si_make(struct fw_fuzz *fz, struct screen_info *si)
{
	static const u8 types[] = { VIDEO_TYPE_VLFB, VIDEO_TYPE_EFI,
				    VIDEO_TYPE_VGAC, 0 };
	u64 start, size;

	memset(si, 0, sizeof(*si));
	si->PVBUS_SI_VIDEO_TYPE = fw_chance(fz, 8) ? fw_rand(fz) :
				  types[fw_below(fz, ARRAY_SIZE(types))];
	fw_range(fz, &start, &size);
	if (fw_chance(fz, 8))
		start = 0;
	si->lfb_base = lower_32_bits(start);
	si->ext_lfb_base = upper_32_bits(start);
	if (fw_below(fz, 4))
		si->capabilities = VIDEO_CAPABILITY_64BIT_BASE;
	if (fw_chance(fz, 8))
		si->capabilities |= fw_rand(fz);
	switch (fw_below(fz, 4)) {
	case 0:
		si->lfb_size = fw_rand(fz);
		break;
	case 1:
		si->lfb_size = U16_MAX + fw_below(fz, 2);
		break;
	default:
		si->lfb_size = si->PVBUS_SI_VIDEO_TYPE == VIDEO_TYPE_VLFB ?
			       DIV_ROUND_UP_ULL(size, SZ_64K) : size;
		break;
	}
	if (fw_chance(fz, 4)) {
		si->lfb_linelength = fw_rand(fz);
		si->lfb_height = fw_rand(fz);
	}
}

/*
 * What pvbus_fb_screen_info_range() must make of @si, restated from its
 * rules: -ENOENT for no linear framebuffer or none at a base, -EINVAL for
 * a VLFB size past 16 bits or a range that wraps, else @r.
 */
static int fw_si_expect(const struct screen_info *si, struct pvbus_range *r)
{
	bool vlfb = si->PVBUS_SI_VIDEO_TYPE == VIDEO_TYPE_VLFB;

	if (!vlfb && si->PVBUS_SI_VIDEO_TYPE != VIDEO_TYPE_EFI)
		return -ENOENT;
	if (vlfb && si->lfb_size > U16_MAX)
		return -EINVAL;
	r->start = si->lfb_base;
	if (si->capabilities & VIDEO_CAPABILITY_64BIT_BASE)
		r->start += (u64)si->ext_lfb_base << 32;
	r->size = max(vlfb ? (u64)si->lfb_size * SZ_64K : si->lfb_size,
		      (u64)si->lfb_linelength * si->lfb_height);
	if (!r->start || !r->size)
		return -ENOENT;
	if (r->size - 1 > U64_MAX - r->start)
		return -EINVAL;
	return 0;
}

/*
 * Write size@start at @pos of a parameter (@buf, a page) as an admin might: hex,
 * decimal, octal, the size with a K or M suffix; or now and then an item
 * the parser refuses whatever the range (a number past 64 bits, a suffix
 * that overflows, more than PVBUS_FW_ITEM_MAX characters).
 *
 * Return: whether the item is well-formed.
 */
static bool fw_param_item(struct fw_fuzz *fz, char *buf, size_t *pos,
			  u64 size, u64 start)
{
	char *b = buf + *pos;
	size_t room = PAGE_SIZE - *pos;

	switch (fw_below(fz, 16)) {
	case 0:
		*pos += scnprintf(b, room, "%llu@%llu", size, start);
		return true;
	case 1:
		*pos += scnprintf(b, room, "%#llo@%#llo", size, start);
		return true;
	case 2:
		if (size && !(size % SZ_1M))
			*pos += scnprintf(b, room, "%lluM@%#llx", size >> 20,
					  start);
		else if (size && !(size % SZ_1K))
			*pos += scnprintf(b, room, "%lluk@%#llx", size >> 10,
					  start);
		else
			*pos += scnprintf(b, room, "%#llx@%#llx", size, start);
		return true;
	case 3:
		*pos += scnprintf(b, room, "18446744073709551616@%#llx", start);
		return false;
	case 4:
		*pos += scnprintf(b, room, "%#llx@16E", size);
		return false;
	case 5:
		*pos += scnprintf(b, room, "0x%064llx@%#llx", size, start);
		return false;
	default:
		*pos += scnprintf(b, room, "%#llx@%#llx", size, start);
		return true;
	}
}

/*
 * A pvbus.reserve= as an admin, or kdump-tools' KDUMP_CMDLINE_APPEND, might
 * give it: none, or up to two items more than the bus takes, each as
 * fw_param_item() writes it.  @given gets the ranges the parser must take,
 * in order (past the first PVBUS_MAX_PARAM_RSV of them, none is taken).
 *
 * Return: the number of ranges in @given.
 */
static unsigned int fw_reserve_make(struct fw_fuzz *fz,
				    struct pvbus_range *given)
{
	unsigned int i, nr = 0, n = fw_below(fz, PVBUS_MAX_PARAM_RSV + 3);
	struct pvbus_range r;
	size_t pos = 0;

	fz->reserve[0] = '\0';
	for (i = 0; i < n; i++) {
		fw_range(fz, &r.start, &r.size);
		if (i)
			pos += scnprintf(fz->reserve + pos, PAGE_SIZE - pos,
					 ",");
		if (fw_param_item(fz, fz->reserve, &pos, r.size, r.start) &&
		    pvbus_fw_check_range(&r) == PVBUS_FW_OK)
			given[nr++] = r;
	}
	return nr;
}

static bool fw_rec_is(const struct pvbus_rsv_rec *rec,
		      const struct pvbus_range *r)
{
	return rec->start == r->start && rec->end == r->start + (r->size - 1);
}

/* Is @rec one of the first pvbus.reserve= ranges the parser takes? */
static bool fw_reserve_given(const struct pvbus_rsv_rec *rec,
			     const struct pvbus_range *given, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, nr, PVBUS_MAX_PARAM_RSV); i++)
		if (fw_rec_is(rec, &given[i]))
			return true;
	return false;
}

/*
 * Is each of the first pvbus.reserve= ranges the parser takes reserved
 * under its name?  The space has no allocation yet, so none is refused.
 * Called with the space's lock held.
 */
static void fw_reserve_taken_check(struct fw_fuzz *fz,
				   const struct pvbus_range *given,
				   unsigned int nr)
{
	struct pvbus_mmio_space *space = fz->root.space;
	struct pvbus_rsv_rec *rec;
	unsigned int i;
	bool found;

	for (i = 0; i < min_t(unsigned int, nr, PVBUS_MAX_PARAM_RSV); i++) {
		found = false;
		list_for_each_entry(rec, &space->rsv.recs, node)
			if (rec->kind == PVBUS_RSV_FRAMEBUFFER &&
			    fw_rec_is(rec, &given[i]) &&
			    !strcmp(rec->name, "reserved (pvbus.reserve)"))
				found = true;
		if (!found)
			fw_fail(fz, "pvbus.reserve= item %u [%#llx+%#llx] of '%s' not reserved",
				i, given[i].start, given[i].size, fz->reserve);
	}
}

/*
 * Where a kdump fallback may lie: inside the part below 4 GiB of one of
 * the root's windows, from the start of the lowest window that starts
 * below 4 GiB or from screen_info's base (@si, when it gave one).
 */
static bool fw_fallback_ok(struct fw_fuzz *fz, const struct pvbus_rsv_rec *rec,
			   const struct pvbus_range *si)
{
	const struct pvbus_range *win = fz->root.windows, *lowest = NULL;
	bool inside = false;
	unsigned int i;

	for (i = 0; i < fz->root.nr_windows; i++) {
		if (win[i].start > PVBUS_MMIO_LOW_END)
			continue;
		if (!lowest || win[i].start < lowest->start)
			lowest = &win[i];
		if (rec->start >= win[i].start && rec->end <= PVBUS_MMIO_LOW_END &&
		    rec->end <= win[i].start + (win[i].size - 1))
			inside = true;
	}
	return inside && (rec->start == lowest->start ||
			  (si && rec->start == si->start));
}

/*
 * A screen_info read as the model says (the range untouched on error),
 * then the boot reservations made from it and, half the time, a
 * pvbus.reserve=, in the new space: exactly its range, as a framebuffer,
 * each of the first ranges of pvbus.reserve= the allocator takes, and in
 * a kdump kernel at most a fallback besides.
 */
static void fw_si_check(struct fw_fuzz *fz, bool kdump)
{
	struct pvbus_mmio_space *space = fz->root.space;
	struct pvbus_range want = { 0 }, got = { .start = 1, .size = 1 };
	struct pvbus_range given[PVBUS_MAX_PARAM_RSV + 2];
	unsigned long enabled = BIT(PVBUS_FB_SCREEN_INFO) | BIT(PVBUS_FB_PARAM) |
				BIT(PVBUS_FB_KDUMP_FALLBACK);
	unsigned int nr_given = 0;
	struct pvbus_rsv_rec *rec;
	struct screen_info si;
	int ret, expect;
	bool found = false;
	unsigned int fallbacks = 0;

	fw_si_make(fz, &si);
	expect = fw_si_expect(&si, &want);
	ret = pvbus_fb_screen_info_range(&si, &got);
	fz->si_read++;
	fz->si_fb += !ret;
	fz->si_bad += ret == -EINVAL;
	if (ret != expect ||
	    (!ret && (got.start != want.start || got.size != want.size)) ||
	    (ret && (got.start != 1 || got.size != 1))) {
		fw_fail(fz,
			"screen_info type %#x base %#x:%#x caps %#x size %#x mode %ux%u: %d [%#llx+%#llx], not %d [%#llx+%#llx]",
			si.PVBUS_SI_VIDEO_TYPE, si.ext_lfb_base, si.lfb_base,
			si.capabilities, si.lfb_size, si.lfb_linelength,
			si.lfb_height, ret, got.start, got.size, expect,
			want.start, want.size);
		return;
	}

	if (fw_chance(fz, 2))
		nr_given = fw_reserve_make(fz, given);
	else
		fz->reserve[0] = '\0';
	/* Now and then pvbus.fb_sources= switches some of them off. */
	if (fw_chance(fz, 4)) {
		enabled &= fw_rand(fz);
		fz->sources_off++;
	}
	if (__pvbus_fb_reserve_boot(&fz->root, fz->reserve, enabled, kdump,
				    &si))
		return;		/* -ENOMEM */
	if (!(enabled & BIT(PVBUS_FB_PARAM)))
		nr_given = 0;
	mutex_lock(&space->lock);
	list_for_each_entry(rec, &space->rsv.recs, node) {
		if (rec->kind != PVBUS_RSV_FRAMEBUFFER)
			continue;
		if (!strcmp(rec->name, "reserved (pvbus.reserve)")) {
			fz->param_rsv++;
			if (!fw_reserve_given(rec, given, nr_given))
				fw_fail(fz,
					"pvbus.reserve= [%#llx-%#llx] reserved: not among '%s' (sources %#lx)",
					(u64)rec->start, (u64)rec->end,
					fz->reserve, enabled);
		} else if (!ret && (enabled & BIT(PVBUS_FB_SCREEN_INFO)) &&
			   fw_rec_is(rec, &got) &&
			   !strcmp(rec->name, "framebuffer (screen_info)")) {
			found = true;
		} else if (kdump && (enabled & BIT(PVBUS_FB_KDUMP_FALLBACK)) &&
			   !strcmp(rec->name, "framebuffer (kdump fallback)")) {
			fz->fallbacks++;
			if (fallbacks++ ||
			    !fw_fallback_ok(fz, rec, ret ? NULL : &got))
				fw_fail(fz,
					"kdump fallback [%#llx-%#llx] is not the only one, or not at the base of a window below 4 GiB or of screen_info's framebuffer",
					(u64)rec->start, (u64)rec->end);
		} else {
			fw_fail(fz,
				"framebuffer reservation %s [%#llx-%#llx] not screen_info's (sources %#lx)",
				rec->name, (u64)rec->start, (u64)rec->end,
				enabled);
		}
	}
	fw_reserve_taken_check(fz, given, nr_given);
	mutex_unlock(&space->lock);
	if (!ret && (enabled & BIT(PVBUS_FB_SCREEN_INFO)) && !found)
		fw_fail(fz, "screen_info's framebuffer [%#llx+%#llx] not reserved",
			got.start, got.size);
}

/* pvbus_fw_parse_list()'s @bad: count the items refused. */
static void fw_count_bad(void *ctx, const char *item, size_t len, int err)
{
	(*(unsigned int *)ctx)++;
}

/*
 * The pvbus.mmio= list as pvbus_fw_parse_list() reads it: @valid ranges
 * the parser must take, and @refused items it must refuse; the items of
 * white space only between them are skipped, whatever the space.
 */
static void fw_param_check(struct fw_fuzz *fz, unsigned int valid,
			   unsigned int refused)
{
	struct pvbus_range out[FW_PARAM];
	unsigned int nr, bad = 0;

	nr = pvbus_fw_parse_list(fz->mmio, out, ARRAY_SIZE(out),
				 fw_count_bad, &bad);
	if (nr != valid || bad != refused)
		fw_fail(fz, "pvbus.mmio=: %u ranges taken, %u items refused; expected %u and %u",
			nr, bad, valid, refused);
	if (pvbus_fw_list_has_item(fz->mmio) != (valid || refused))
		fw_fail(fz, "pvbus.mmio=: '%s' said to have %s item",
			fz->mmio, valid || refused ? "no" : "an");
	fz->blank_lists += !valid && !refused;
}

/* Append an item of white space only, or an empty one, at @pos. */
static void fw_param_blank(struct fw_fuzz *fz, size_t *pos)
{
	static const char blanks[] = " \t\n\r\v\f";
	unsigned int k;

	if (*pos)
		*pos += scnprintf(fz->mmio + *pos, PAGE_SIZE - *pos, ",");
	for (k = fw_below(fz, 4); k; k--)
		*pos += scnprintf(fz->mmio + *pos, PAGE_SIZE - *pos, "%c",
				  blanks[fw_below(fz, sizeof(blanks) - 1)]);
}

static void fw_windows_param(struct fw_fuzz *fz)
{
	unsigned int i, n = 1 + fw_below(fz, FW_PARAM);
	bool kdump = fw_chance(fz, 2);
	unsigned int valid = 0, refused = 0;
	struct pvbus_range r;
	size_t pos = 0;
	u64 start, size;
	bool node;

	fz->old_ram = NULL;
	fz->nr_old_ram = 0;
	fz->nr_given = 0;
	fz->mmio[0] = '\0';
	if (kdump) {
		fw_core_make(fz);
		fw_core_read(fz);
	}
	if (fw_below(fz, 4))
		fw_crs_raw(fz);
	else
		fw_crs_make(fz);
	/* Now and then a list of blank items only: no item at all. */
	if (fw_chance(fz, 16)) {
		for (i = 0; i < n; i++)
			fw_param_blank(fz, &pos);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (!fw_chance(fz, 3) || !fw_core_range(fz, &start, &size))
			fw_range(fz, &start, &size);
		if (i)
			pos += scnprintf(fz->mmio + pos, PAGE_SIZE - pos, ",");
		if (!fw_param_item(fz, fz->mmio, &pos, size, start)) {
			fz->malformed_items++;
			refused++;
			continue;
		}
		r.start = start;
		r.size = size;
		if (pvbus_fw_check_range(&r) == PVBUS_FW_OK)
			valid++;
		else
			refused++;
		/* Now and then an item of white space only, or empty. */
		if (fw_chance(fz, 4))
			fw_param_blank(fz, &pos);
		fw_given(fz, start, size);
		fz->ranges++;
	}
	if (fw_chance(fz, 16)) {	/* garbage */
		scnprintf(fz->mmio + pos, PAGE_SIZE - pos, ",%x@", fw_rand(fz));
		refused++;
	}
	fw_param_check(fz, valid, refused);
	node = fw_chance(fz, 2) && fw_props_add(fz);
	__pvbus_fw_add_windows_crs(&fz->root, fz->crs, fz->nr_crs, fz->mmio,
				   fz->old_ram, fz->nr_old_ram);
	if (kdump)
		fw_core_check(fz);
	fw_windows_check(fz);
	if (node) {
		fw_props_rsv_check(fz, __pvbus_fb_reserve_boot(&fz->root, NULL,
							       BIT(PVBUS_FB_FIRMWARE),
							       kdump, NULL));
		device_remove_software_node(fz->root.dev);
	}
	if (fw_chance(fz, 2))
		fw_si_check(fz, kdump);
	kfree(fz->old_ram);
	fz->old_ram = NULL;
	fz->nr_old_ram = 0;
}

/* Does [start, start + size) take in an entry of the memory map? */
static bool fw_covers_memmap(struct fw_fuzz *fz, u64 start, u64 size)
{
	unsigned int i;

	if (!size || start > U64_MAX - (size - 1))
		return false;
	for (i = 0; i < FW_LIVE; i++) {
		struct fw_live *l = &fz->live[i];

		if (l->res && l->memmap && start <= l->start &&
		    l->start + l->size - 1 <= start + size - 1)
			return true;
	}
	return false;
}

/* Does [start, start + size) lie in a bridge inside a memory map entry? */
static bool fw_in_memmap_bridge(struct fw_fuzz *fz, u64 start, u64 size)
{
	unsigned int i;

	if (!size || start > U64_MAX - (size - 1))
		return false;
	for (i = 0; i < FW_LIVE; i++) {
		struct fw_live *l = &fz->live[i];

		if (l->res && l->in_memmap && l->start <= start &&
		    start + size - 1 <= l->start + l->size - 1)
			return true;
	}
	return false;
}

static void fw_op(struct fw_fuzz *fz)
{
	struct pvbus_mmio_space *space = fz->root.space;
	struct pvbus_mmio_req req = { .name = "pvbus-fuzz alloc" };
	unsigned int i, n;
	u64 start, size;

	switch (fw_below(fz, 8)) {
	case 0:
		fw_range(fz, &start, &size);
		fz->memmap_offered += fw_covers_memmap(fz, start, size);
		fz->memmap_bridge_offered += fw_in_memmap_bridge(fz, start,
								 size);
		fz->other_offered += fz->other && size &&
				     start >= fz->other_bw.start &&
				     start - fz->other_bw.start < resource_size(&fz->other_bw);
		pvbus_mmio_add_window(space, start, size);
		fz->ranges++;
		break;
	case 1:
	case 2:
		fw_range(fz, &start, &size);
		pvbus_mmio_reserve(space, start, size, fw_below(fz, 4),
				   "pvbus-fuzz reserved");
		fz->ranges++;
		break;
	case 3:
		n = fw_below(fz, ARRAY_SIZE(fz->rsv) + 1);
		for (i = 0; i < n; i++)
			fw_range(fz, &fz->rsv[i].start, &fz->rsv[i].size);
		__pvbus_fb_reserve_host(&fz->root, fz->rsv, n, ~0UL);
		fz->ranges += n;
		break;
	case 4:
	case 5:
		i = fw_below(fz, FW_ALLOCS);
		if (fz->alloc[i]) {
			pvbus_mmio_free(space, fz->alloc[i]);
			fz->alloc[i] = NULL;
			break;
		}
		req.size = (u64)(1 + fw_below(fz, 1 << fw_below(fz, 10))) << 12;
		req.align = fw_chance(fz, 2) ? 0 : 1ULL << fw_below(fz, 24);
		req.zone = fw_below(fz, PVBUS_MMIO_ANY + 1);
		req.fb_overlap_ok = fw_chance(fz, 4);
		if (fw_chance(fz, 4))
			req.min = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 12) << 12);
		fz->alloc[i] = pvbus_mmio_alloc(space, &req);
		if (IS_ERR(fz->alloc[i]))
			fz->alloc[i] = NULL;
		else
			fw_check_alloc(fz, fz->alloc[i]);
		break;
	case 6:		/* another driver comes or goes */
		i = fw_below(fz, FW_LIVE);
		if (!fz->live[i].res)
			fw_live_add(fz, &fz->live[i]);
		else if ((!(gate & FW_GATE_NESTED) || !fz->live[i].busy) &&
			 !fz->live[i].bridge && !fz->live[i].memmap)
			fw_live_release(&fz->live[i]);
		break;
	default:	/* a reservation dropped */
		fw_range(fz, &start, &size);
		pvbus_mmio_unreserve(space, start, size, fw_below(fz, 3));
		break;
	}
}

/*
 * Another bus root, one time in four: its space, published, a window in
 * the span, an allocation of it and the bus window pci-pvbus would put
 * on its root bus there.  None if a step fails (a live resource in the
 * way).
 */
static void fw_other_add(struct fw_fuzz *fz)
{
	struct pvbus_mmio_req req = {
		.name = "pvbus-fuzz other bus", .zone = PVBUS_MMIO_ANY,
	};
	u64 start = FW_BASE + ((u64)fw_below(fz, FW_SPAN >> 24) << 24);
	struct resource *alloc;

	fz->other = NULL;
	if (!fw_chance(fz, 4))
		return;
	fz->other = pvbus_mmio_space_create("pvbus-fuzz other");
	if (IS_ERR(fz->other))
		goto none;
	if (pvbus_mmio_space_publish(fz->other) ||
	    pvbus_mmio_add_window(fz->other, start, SZ_16M))
		goto destroy;
	req.size = (u64)(1 + fw_below(fz, 4)) << 22;
	alloc = pvbus_mmio_alloc(fz->other, &req);
	if (IS_ERR(alloc))
		goto destroy;
	fz->other_bw = (struct resource)DEFINE_RES_NAMED(alloc->start,
							 resource_size(alloc),
							 "pvbus-fuzz other bus window",
							 IORESOURCE_MEM |
							 IORESOURCE_WINDOW);
	if (request_resource(alloc, &fz->other_bw)) {
		pvbus_mmio_free(fz->other, alloc);
		goto destroy;
	}
	fz->other_alloc = alloc;
	return;
destroy:
	pvbus_mmio_space_destroy(fz->other);
none:
	fz->other = NULL;
}

static void fw_other_del(struct fw_fuzz *fz)
{
	if (!fz->other)
		return;
	release_resource(&fz->other_bw);
	pvbus_mmio_free(fz->other, fz->other_alloc);
	pvbus_mmio_space_destroy(fz->other);
	fz->other = NULL;
}

static void fw_sequence(struct fw_fuzz *fz, u64 s)
{
	struct fw_health was, now;
	unsigned int i, n;

	fz->seed = s;
	fz->failed = false;
	prandom_seed_state(&fz->rnd, s);
	memset(fz->live, 0, sizeof(fz->live));
	memset(fz->alloc, 0, sizeof(fz->alloc));
	fw_health(fz, &was);
	fz->iomem_base_len = fw_iomem(fz->iomem_base);

	n = fw_below(fz, FW_LIVE + 1);
	for (i = 0; i < n; i++)
		fw_live_add(fz, &fz->live[i]);

	fw_other_add(fz);
	fz->root.nr_windows = 0;
	fz->root.fb_sources = 0;
	fz->root.space = pvbus_mmio_space_create("pvbus-fuzz");
	if (IS_ERR(fz->root.space)) {
		fw_fail(fz, "no space");
		goto out_live;
	}
	pvbus_mmio_space_set_tie(fz->root.space, fw_tie, fz);
	pvbus_mmio_space_publish(fz->root.space);
	fw_windows_param(fz);

	n = 4 + fw_below(fz, 40);
	for (i = 0; i < n; i++) {
		fw_op(fz);
		fw_check_tree(fz);
	}
	for (i = 0; i < FW_ALLOCS; i++)
		if (fz->alloc[i] && fw_chance(fz, 2)) {
			pvbus_mmio_free(fz->root.space, fz->alloc[i]);
			fz->alloc[i] = NULL;
		}
	/*
	 * Some drivers go before the bus, the others after; host bridges
	 * after, as the root's device link to a bridge's driver has it.
	 */
	for (i = 0; i < FW_LIVE; i++)
		if (fw_chance(fz, 2) && !fz->live[i].bridge &&
		    !fz->live[i].memmap &&
		    (!(gate & FW_GATE_NESTED) || !fz->live[i].busy))
			fw_live_release(&fz->live[i]);
	pvbus_mmio_space_destroy(fz->root.space);
	fz->root.space = NULL;
out_live:
	fw_other_del(fz);
	/*
	 * The drivers' regions first: request_mem_region() may have put one
	 * in a BAR, bridge or memory map entry of any slot, and a release
	 * of that resource takes the region out of the tree with it.  Then
	 * a bridge before the memory map entry it lies in, of a lower slot.
	 */
	for (i = 0; i < FW_LIVE; i++)
		if (fz->live[i].busy)
			fw_live_release(&fz->live[i]);
	for (i = FW_LIVE; i-- > 0;)
		fw_live_release(&fz->live[i]);

	fz->iomem_now_len = fw_iomem(fz->iomem_now);
	if (fz->iomem_now_len != fz->iomem_base_len ||
	    memcmp(fz->iomem_now, fz->iomem_base, fz->iomem_now_len))
		fw_fail(fz, "iomem not as before the sequence");
	fw_health(fz, &now);
	if (now.warn != was.warn)
		fw_fail(fz, "a WARN (taint W)");
	if (now.bad_page != was.bad_page)
		fw_fail(fz, "a KASAN or bad page report (taint B)");
	if (now.locks != was.locks)
		fw_fail(fz, "a lockdep report (debug_locks turned off)");
	if (now.status != was.status)
		fw_fail(fz, "a KASAN report or a failed expectation");
}

/*
 * A sequence with the console quiet (not when replaying one): a failure
 * prints the sequence's kernel log, then its seed.
 */
static void fw_sequence_quiet(struct fw_fuzz *fz, u64 s, bool quiet)
{
	pvbus_quiet_begin(&fz->quiet, quiet);
	fw_sequence(fz, s);
	if (pvbus_quiet_end(&fz->quiet, fz->failed))
		fw_fail(fz, "a kernel report in its log (above)");
	if (fz->failed)
		kunit_err(fz->test, "fuzz-fw: seed %#llx failed: %s (replay: pvbus_fuzz.replay=%#llx pvbus_fuzz.gate=%u)\n",
			  fz->seed, fz->why, fz->seed, gate);
}

/* ---- the suite ---------------------------------------------------------- */

static const void *fw_gen(const void *prev, char *desc)
{
	if (fw_run.done)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "chunk %u", fw_run.chunk);
	return &fw_run;
}

static void pvbus_fuzz_fw_chunk(struct kunit *test)
{
	unsigned long end = jiffies + FW_CHUNK_SECONDS * HZ;
	u64 seqs = 0, fails = 0;
	struct fw_fuzz *fz;
	struct device *dev;

	fw_run.chunk++;
	fz = kunit_kzalloc(test, sizeof(*fz), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz);
	fz->test = test;
	fz->mmio = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	fz->reserve = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz->reserve);
	fz->iomem_base = kunit_kzalloc(test, FW_IOMEM_SIZE, GFP_KERNEL);
	fz->iomem_now = kunit_kzalloc(test, FW_IOMEM_SIZE, GFP_KERNEL);
	fz->core = kunit_kzalloc(test, FW_CORE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz->core);
	fz->crs_buf = kunit_kzalloc(test, FW_CRS_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz->crs_buf);
	fz->crs_model = kunit_kcalloc(test, 2, sizeof(*fz->crs_model),
				      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz->crs_model);
	fz->prop = kunit_kcalloc(test, ARRAY_SIZE(fw_prop_names),
				 sizeof(*fz->prop), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fz->prop);
	KUNIT_ASSERT_NOT_NULL(test, fz->mmio);
	KUNIT_ASSERT_NOT_NULL(test, fz->iomem_base);
	KUNIT_ASSERT_NOT_NULL(test, fz->iomem_now);
	if (region_intersects(FW_BASE, FW_SPAN, 0, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		fw_run.done = true;
		kunit_skip(test, "%#llx is not free in iomem", FW_BASE);
	}

	KUNIT_ASSERT_EQ(test, pvbus_quiet_guard(test), 0);
	dev = root_device_register("pvbus_fuzz_fw");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	fz->root.dev = dev;
	INIT_LIST_HEAD(&fz->root.devices);

	if (replay) {
		fw_run.done = true;
		fw_sequence_quiet(fz, replay, false);
		seqs = 1;
		fails = fz->failed;
	} else {
		if (!fw_run.next_seed)
			fw_run.next_seed = seed;
		while (seqs < FW_CHUNK_SEQUENCES &&
		       fw_run.sequences + seqs < sequences &&
		       time_before(jiffies, end)) {
			fw_sequence_quiet(fz, fw_run.next_seed++, true);
			seqs++;
			fails += fz->failed;
		}
		if (fw_run.sequences + seqs >= sequences)
			fw_run.done = true;
	}
	root_device_unregister(dev);

	fw_run.sequences += seqs;
	fw_run.ranges += fz->ranges;
	fw_run.failures += fails;
	fw_run.cores += fz->cores;
	fw_run.phdrs += fz->phdrs;
	fw_run.cores32 += fz->cores32;
	fw_run.cores_capped += fz->cores_capped;
	fw_run.cores_xnum += fz->cores_xnum;
	fw_run.crs_lists += fz->crs_lists;
	fw_run.crs_malformed += fz->crs_malformed;
	fw_run.crs_modules += fz->crs_modules;
	fw_run.crs_given += fz->crs_given;
	fw_run.malformed_items += fz->malformed_items;
	fw_run.blank_lists += fz->blank_lists;
	fw_run.prop_nodes += fz->prop_nodes;
	fw_run.prop_rsv += fz->prop_rsv;
	fw_run.ties += fz->ties;
	fw_run.ties_refused += fz->ties_refused;
	fw_run.memmap_offered += fz->memmap_offered;
	fw_run.other_offered += fz->other_offered;
	fw_run.memmap_bridge_offered += fz->memmap_bridge_offered;
	fw_run.si_read += fz->si_read;
	fw_run.si_fb += fz->si_fb;
	fw_run.si_bad += fz->si_bad;
	fw_run.param_rsv += fz->param_rsv;
	fw_run.sources_off += fz->sources_off;
	fw_run.fallbacks += fz->fallbacks;
	KUNIT_EXPECT_EQ_MSG(test, fails, 0ULL,
			    "the seeds of the failing sequences are above");
}

static int pvbus_fuzz_fw_init(struct kunit_suite *suite)
{
	memset(&fw_run, 0, sizeof(fw_run));
	pr_info("fuzz-fw: %lu sequences, seed %#llx, gate %#x\n", sequences,
		seed, gate);
	return 0;
}

static void pvbus_fuzz_fw_exit(struct kunit_suite *suite)
{
	pr_info("fuzz-fw: %llu sequences, %llu ranges, %llu failures\n",
		fw_run.sequences, fw_run.ranges, fw_run.failures);
	pr_info("fuzz-fw: of the sequences, %llu read an ELF core header (%llu program headers; %llu headers read were 32-bit, %llu listed more than %u, %llu of them PN_XNUM)\n",
		fw_run.cores, fw_run.phdrs, fw_run.cores32,
		fw_run.cores_capped, PVBUS_FW_MAX_PHDRS, fw_run.cores_xnum);
	pr_info("fuzz-fw: _CRS: %llu sequences read raw lists (%llu lists malformed, %llu parents module devices, %llu windows offered)\n",
		fw_run.crs_lists, fw_run.crs_malformed, fw_run.crs_modules,
		fw_run.crs_given);
	pr_info("fuzz-fw: pvbus.mmio=: %llu items malformed (a number past 64 bits, a suffix that overflows, too long); %llu lists of blank items only\n",
		fw_run.malformed_items, fw_run.blank_lists);
	pr_info("fuzz-fw: properties: %llu sequences gave the root a node (%llu firmware reservations made)\n",
		fw_run.prop_nodes, fw_run.prop_rsv);
	pr_info("fuzz-fw: screen_info: %llu read (%llu framebuffers, %llu malformed, %llu with sources switched off); %llu pvbus.reserve= ranges and %llu kdump fallbacks reserved beside\n",
		fw_run.si_read, fw_run.si_fb, fw_run.si_bad,
		fw_run.sources_off, fw_run.param_rsv, fw_run.fallbacks);
	pr_info("fuzz-fw: host bridge windows: the tie was asked %llu times, refused %llu\n",
		fw_run.ties, fw_run.ties_refused);
	pr_info("fuzz-fw: %llu windows offered over an entry of the memory map, %llu in a host bridge window inside one, %llu in another bus root's bus window\n",
		fw_run.memmap_offered, fw_run.memmap_bridge_offered,
		fw_run.other_offered);
}

/*
 * A run of make check's size or more, from any seed, reaches each of
 * these; one that does not says that a generator stopped making the
 * input, and the run proves nothing of it.
 */
#define FW_COVERAGE_SEQUENCES	1000

static const struct {
	const char *what;
	const u64 *count;
} fw_coverage[] = {
	{ "ELF core header read", &fw_run.cores },
	{ "32-bit ELF core header read", &fw_run.cores32 },
	{ "ELF core header listing more than are read", &fw_run.cores_capped },
	{ "ELF core header listing PN_XNUM", &fw_run.cores_xnum },
	{ "raw _CRS list read", &fw_run.crs_lists },
	{ "malformed _CRS list", &fw_run.crs_malformed },
	{ "_CRS of a module device parent", &fw_run.crs_modules },
	{ "window given by a _CRS", &fw_run.crs_given },
	{ "pvbus.mmio= of blank items only", &fw_run.blank_lists },
	{ "firmware node given", &fw_run.prop_nodes },
	{ "firmware reservation made", &fw_run.prop_rsv },
	{ "screen_info read", &fw_run.si_read },
	{ "screen_info framebuffer", &fw_run.si_fb },
	{ "malformed screen_info", &fw_run.si_bad },
	{ "pvbus.reserve= range reserved", &fw_run.param_rsv },
	{ "pvbus.fb_sources= switching sources off", &fw_run.sources_off },
	{ "kdump fallback reserved", &fw_run.fallbacks },
	{ "tie asked", &fw_run.ties },
	{ "tie refused", &fw_run.ties_refused },
	{ "window offered over a memory map entry", &fw_run.memmap_offered },
	{ "window offered in a host bridge window in a memory map entry",
	  &fw_run.memmap_bridge_offered },
	{ "window offered in another bus root's bus window",
	  &fw_run.other_offered },
};

static void pvbus_fuzz_fw_coverage(struct kunit *test)
{
	unsigned int i;

	if (replay || fw_run.sequences < FW_COVERAGE_SEQUENCES)
		kunit_skip(test, "%llu sequences: too few to judge",
			   fw_run.sequences);
	for (i = 0; i < ARRAY_SIZE(fw_coverage); i++)
		KUNIT_EXPECT_GT_MSG(test, *fw_coverage[i].count, 0ULL,
				    "no %s in %llu sequences from seed %#llx",
				    fw_coverage[i].what, fw_run.sequences, seed);
}

static struct kunit_case pvbus_fuzz_fw_cases[] = {
	KUNIT_CASE_PARAM(pvbus_fuzz_fw_chunk, fw_gen),
	KUNIT_CASE(pvbus_fuzz_fw_coverage),
	{}
};

static struct kunit_suite pvbus_fuzz_fw_suite = {
	.name = "pvbus_fuzz_fw",
	.suite_init = pvbus_fuzz_fw_init,
	.suite_exit = pvbus_fuzz_fw_exit,
	.test_cases = pvbus_fuzz_fw_cases,
};

kunit_test_suite(pvbus_fuzz_fw_suite);

MODULE_DESCRIPTION("KUnit fuzzer for the MMIO ranges pvbus is given");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
