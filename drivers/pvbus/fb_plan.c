// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the framebuffer and every other reserved range, the pure part:
 * the sources' names and kinds, decoding screen_info, the kdump fallback,
 * and the plan of what to reserve (pvbus_fb_plan()).  fb.c gathers what
 * the sources say and reserves what the plan says; the pvbus_fb KUnit
 * suite tests these functions directly.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/pvbus_mmio.h>
#include <linux/screen_info.h>
#include <linux/string.h>

#include "fwfb.h"
#include "pvbus_internal.h"

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
 * screen_info comes from the boot loader, or from kexec-tools and the
 * crashed kernel: a VLFB lfb_size beyond VBE's 16 bits (kexec-tools too
 * gives a u32 byte count shifted right by 16) is no framebuffer's, and
 * taken as one it would cover every window.
 *
 * Return: 0 and @r set if @si describes a linear framebuffer at a non-zero
 * base; -ENOENT if it describes none; -EINVAL if its VLFB size is too
 * large or its range wraps.  @r is unchanged on error.
 */
int pvbus_fb_screen_info_range(const struct screen_info *si,
			       struct pvbus_range *r)
{
	struct pvbus_range tmp;
	u64 mode;

	tmp.start = si->lfb_base;
	if (si->capabilities & VIDEO_CAPABILITY_64BIT_BASE)
		tmp.start |= (u64)si->ext_lfb_base << 32;

	switch (si->PVBUS_SI_VIDEO_TYPE) {
	case VIDEO_TYPE_VLFB:
		if (si->lfb_size > U16_MAX)
			return -EINVAL;
		tmp.size = (u64)si->lfb_size << 16;
		break;
	case VIDEO_TYPE_EFI:
		tmp.size = si->lfb_size;
		break;
	default:
		return -ENOENT;
	}
	mode = (u64)si->lfb_linelength * si->lfb_height;
	tmp.size = max(tmp.size, mode);

	if (!tmp.start || !tmp.size)
		return -ENOENT;
	if (pvbus_fw_check_range(&tmp) != PVBUS_FW_OK)
		return -EINVAL;
	*r = tmp;
	return 0;
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

/*
 * The kdump fallback from @start, which lies in @low, the part below
 * 4 GiB of a window: see pvbus_fb_fallback_range().  The 16 MiB left to
 * 32-bit BARs are one piece: below @start if that much lies there, else
 * after the fallback.
 */
static u64 pvbus_fb_fallback_size(const struct pvbus_range *low, u64 start)
{
	u64 avail = low->start + (low->size - 1) - start + 1;
	u64 size, keep;

	/* Upstream's size, up to whole pages, cut to the window. */
	size = ALIGN((SZ_4G - start) / 2, PVBUS_FW_WIN_ALIGN);
	size = min3(size, (u64)PVBUS_FB_FALLBACK_MAX, avail);
	/* Room for 32-bit BARs, but never less than the floor. */
	if (start - low->start >= PVBUS_FB_FALLBACK_ROOM)
		keep = avail;
	else
		keep = avail > PVBUS_FB_FALLBACK_ROOM ?
		       avail - PVBUS_FB_FALLBACK_ROOM : 0;
	return max(min(size, keep), min_t(u64, avail, PVBUS_FB_FALLBACK_MIN));
}

/**
 * pvbus_fb_fallback_range() - the kdump fallback reservation
 * @win: the windows, valid
 * @nr_win: entries in @win
 * @r: the range to reserve
 *
 * The start of the lowest window below 4 GiB, where hypervisor firmware
 * puts the framebuffer (Hyper-V Gen1 and Gen2 do, and upstream's vmbus
 * driver falls back to the same place).  Its size starts from upstream's
 * rule (016a25e4b0df): min((4 GiB - start) / 2, %PVBUS_FB_FALLBACK_MAX),
 * that is 128 MiB, the framebuffer of 7680x4320, or half of what lies
 * between the start and 4 GiB: Hyper-V moves the low MMIO base down by
 * twice a framebuffer's excess over 64 MiB, so the framebuffer is never
 * larger than that half.  Then, where upstream halves on failure:
 *
 * - it is cut to the window's part below 4 GiB rather than halved, so it
 *   covers at least what upstream's would;
 * - it is cut further to leave %PVBUS_FB_FALLBACK_ROOM of that part to the
 *   32-bit BARs of the kdump kernel (a 16 MiB BAR exists in the field),
 *   but never below %PVBUS_FB_FALLBACK_MIN (QEMU's VGA memory, twice
 *   Hyper-V's default framebuffer) or all of a smaller part.
 *
 * On every layout where upstream's fallback leaves room for a 16 MiB BAR
 * this is upstream's range; where it would take (nearly) all of a small
 * window, this keeps 16 MiB of it free.  Sizes are multiples of 4 KiB,
 * upstream's rounded up.
 *
 * Return: true and @r set, or false if no window starts below 4 GiB.
 */
bool pvbus_fb_fallback_range(const struct pvbus_range *win,
			     unsigned int nr_win, struct pvbus_range *r)
{
	const struct pvbus_range *lowest = NULL;
	struct pvbus_range low;
	unsigned int i;

	for (i = 0; i < nr_win; i++)
		if (win[i].start <= PVBUS_MMIO_LOW_END &&
		    (!lowest || win[i].start < lowest->start))
			lowest = &win[i];
	if (!lowest || !pvbus_fb_low_part(lowest, &low))
		return false;

	r->start = low.start;
	r->size = pvbus_fb_fallback_size(&low, low.start);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_fallback_range);

/**
 * pvbus_fb_fallback_from() - the kdump fallback from a framebuffer's base
 * @win: the windows, valid
 * @nr_win: entries in @win
 * @start: the base, as screen_info gives it
 * @r: the range to reserve
 *
 * A kdump kernel's screen_info tells where the boot framebuffer starts
 * and how large its mode was, not how far the crashed kernel's driver grew
 * it (Hyper-V's synthetic video: 3 MiB at boot, 8 MiB or more with its
 * DRM driver; kexec-tools gives vesafb's 4.5 MiB of 16 MiB).  Where
 * @start lies in the part below 4 GiB of a window, this is the fallback
 * of pvbus_fb_fallback_range() with @start for that window's start: the
 * same bounds, and 16 MiB of the window left in one piece to 32-bit BARs
 * (below @start, or after the fallback).  A base below every window gets
 * none, even where a grown framebuffer would reach into one.
 *
 * Return: true and @r set, or false if @start is in no window's part
 * below 4 GiB.
 */
bool pvbus_fb_fallback_from(const struct pvbus_range *win,
			    unsigned int nr_win, u64 start,
			    struct pvbus_range *r)
{
	struct pvbus_range low;
	unsigned int i;

	for (i = 0; i < nr_win; i++)
		if (pvbus_fb_low_part(&win[i], &low) && start >= low.start &&
		    start - low.start < low.size) {
			r->start = start;
			r->size = pvbus_fb_fallback_size(&low, start);
			return true;
		}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fb_fallback_from);

/*
 * Does @c, valid, tell where a framebuffer is?  screen_info, a display
 * device's BAR and pvbus.reserve= (the framebuffer as the administrator
 * names it) do.  A firmware range may be anything in use (a vTPM's
 * registers, say): it stands for the framebuffer only if it overlaps what
 * the fallback would reserve, the start of the lowest window below 4 GiB.
 */
static bool pvbus_fb_tells(const struct pvbus_fb_cand *c,
			   const struct pvbus_range *win, unsigned int nr_win)
{
	struct pvbus_range fb;

	switch (c->src) {
	case PVBUS_FB_SCREEN_INFO:
	case PVBUS_FB_PCI_DISPLAY:
	case PVBUS_FB_PARAM:
		return true;
	case PVBUS_FB_FIRMWARE:
		/* No window below 4 GiB: no fallback to spare either. */
		if (!pvbus_fb_fallback_range(win, nr_win, &fb))
			return true;
		return pvbus_ranges_overlap(c->range.start,
					    c->range.start + (c->range.size - 1),
					    fb.start, fb.start + (fb.size - 1));
	default:
		return false;
	}
}

/*
 * In a kdump kernel, is there a framebuffer that screen_info tells of,
 * which the crashed kernel's driver may have grown past what screen_info
 * says?  A PCI display BAR or a pvbus.reserve= range that
 * holds its base bounds it; a firmware range may be the boot framebuffer
 * as screen_info is, and does not.  If so, @r is the fallback from its
 * base, pvbus_fb_fallback_from(), which is larger.
 */
static bool pvbus_fb_screen_info_grows(const struct pvbus_fb_plan *plan,
				       const struct pvbus_range *win,
				       unsigned int nr_win,
				       struct pvbus_range *r)
{
	const struct pvbus_fb_cand *si = NULL, *c;
	unsigned int i;

	for (i = 0; i < plan->nr && !si; i++)
		if (plan->rsv[i].src == PVBUS_FB_SCREEN_INFO)
			si = &plan->rsv[i];
	if (!si)
		return false;

	for (i = 0; i < plan->nr; i++) {
		c = &plan->rsv[i];
		if ((c->src == PVBUS_FB_PCI_DISPLAY || c->src == PVBUS_FB_PARAM) &&
		    si->range.start >= c->range.start &&
		    si->range.start - c->range.start < c->range.size)
			return false;
	}
	return pvbus_fb_fallback_from(win, nr_win, si->range.start, r) &&
	       r->size > si->range.size;
}

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
 * once.  Invalid ranges are dropped.  If this is a kdump kernel, the plan
 * ends with a kdump fallback, if enabled:
 *
 * - where no source told where a framebuffer is (screen_info, PCI or
 *   pvbus.reserve=; a firmware range only if it overlaps the fallback's
 *   range), the fallback of pvbus_fb_fallback_range();
 * - where screen_info told, and no PCI display BAR or pvbus.reserve=
 *   range holds its base, from that base, the fallback of
 *   pvbus_fb_fallback_from() if that is larger than screen_info's range;
 *   @plan->from_screen_info is then set.
 */
void pvbus_fb_plan(const struct pvbus_fb_cand *cand, unsigned int nr,
		   unsigned long enabled, bool kdump,
		   const struct pvbus_range *win, unsigned int nr_win,
		   struct pvbus_fb_plan *plan)
{
	struct pvbus_fb_cand *fb;
	bool told = false;
	struct pvbus_range r;
	unsigned int i;

	plan->nr = 0;
	plan->found = 0;
	plan->fallback = PVBUS_FB_FALLBACK_UNNEEDED;
	plan->from_screen_info = false;

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
		told |= pvbus_fb_tells(c, win, nr_win);
	}

	if (!kdump)
		return;
	if (told) {
		if (!pvbus_fb_screen_info_grows(plan, win, nr_win, &r))
			return;
		plan->from_screen_info = true;
	}
	if (!(enabled & BIT(PVBUS_FB_KDUMP_FALLBACK))) {
		plan->fallback = PVBUS_FB_FALLBACK_DISABLED;
		return;
	}
	if (!told && !pvbus_fb_fallback_range(win, nr_win, &r)) {
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
