// SPDX-License-Identifier: GPL-2.0
/*
 * pci-pvbus: checks on every message from the host.
 *
 * The channel has matched a message against pci_pvbus_msg_specs (its
 * type, version range and length) before the driver sees it.  The
 * functions here check the rest before any field is used: that the
 * message is written in the version negotiated, that reserved fields are
 * 0, that an echo repeats the request, that devfns, counts, flags and class
 * codes are in range, that no devfn is listed twice, and that every BAR is
 * encoded as a BAR can be: a memory type that exists, a size that is a
 * power of two, a 64-bit BAR that has an upper half, a host address only
 * where the function asked for its BARs to be preserved.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "pci-pvbus-msg.h"

#define PCI_PVBUS_PAYLOAD(s)	(sizeof(s) - sizeof(struct pvbus_msg_hdr))

#define PCI_PVBUS_SPEC(t, s) {					\
	.type		= (t),					\
	.min_version	= PVBUS_PCI_VERSION_MIN,		\
	.max_version	= PVBUS_PCI_VERSION_MAX,		\
	.fixed_len	= PCI_PVBUS_PAYLOAD(s),			\
}

#define PCI_PVBUS_SPEC_RELATIONS(t) {				\
	.type		= (t),					\
	.min_version	= PVBUS_PCI_VERSION_MIN,		\
	.max_version	= PVBUS_PCI_VERSION_MAX,		\
	.fixed_len	= PCI_PVBUS_PAYLOAD(struct pvbus_pci_relations), \
	.elem_len	= sizeof(struct pvbus_pci_function),	\
	.count_off	= offsetof(struct pvbus_pci_relations, count) - \
			  sizeof(struct pvbus_msg_hdr),		\
	.max_count	= PVBUS_PCI_MAX_FUNCTIONS,		\
}

/* Every message the host may send: responses and notifications. */
const struct pvbus_msg_spec pci_pvbus_msg_specs[PCI_PVBUS_NR_MSG_SPECS] = {
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_QUERY_VERSION, struct pvbus_pci_version),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_D0_ENTRY, struct pvbus_pci_d0_entry),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_D0_EXIT, struct pvbus_msg_hdr),
	PCI_PVBUS_SPEC_RELATIONS(PVBUS_PCI_MSG_QUERY_RELATIONS),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_QUERY_RESOURCES,
		       struct pvbus_pci_resources),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
		       struct pvbus_pci_assigned),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_RELEASED_RESOURCES,
		       struct pvbus_pci_devfn_msg),
	PCI_PVBUS_SPEC_RELATIONS(PVBUS_PCI_MSG_RELATIONS_CHANGED),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_EJECT, struct pvbus_pci_devfn_msg),
	PCI_PVBUS_SPEC(PVBUS_PCI_MSG_EJECT_COMPLETE,
		       struct pvbus_pci_devfn_msg),
};
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_msg_specs);

/**
 * pci_pvbus_status_name() - name of a status the host answered with
 * @status: PVBUS_STATUS_*
 *
 * Return: a name for messages, "unknown" for a status without one.
 */
const char *pci_pvbus_status_name(u32 status)
{
	switch (status) {
	case PVBUS_STATUS_SUCCESS:
		return "success";
	case PVBUS_STATUS_INVALID:
		return "invalid";
	case PVBUS_STATUS_UNSUPPORTED:
		return "unsupported";
	case PVBUS_STATUS_REFUSED:
		return "refused";
	case PVBUS_STATUS_BUSY:
		return "busy";
	case PVBUS_STATUS_NOT_FOUND:
		return "not found";
	default:
		return "unknown";
	}
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_status_name);

static bool pci_pvbus_is_notification(u16 type)
{
	return type == PVBUS_PCI_MSG_RELATIONS_CHANGED ||
	       type == PVBUS_PCI_MSG_EJECT;
}

/*
 * The header of a successful response or a notification of @type, written
 * in @version, @want bytes long.
 */
static int pci_pvbus_check_hdr(const void *msg, size_t len, size_t want,
			       u16 type, u16 version)
{
	const struct pvbus_msg_hdr *hdr = msg;
	u32 flags;

	if (!msg || len < sizeof(*hdr) || len != want ||
	    le32_to_cpu(hdr->len) != len)
		return -EMSGSIZE;
	if (le16_to_cpu(hdr->type) != type)
		return -EPROTO;
	if (le16_to_cpu(hdr->version) != version)
		return -EPROTONOSUPPORT;
	flags = le32_to_cpu(hdr->flags);
	if (flags != (pci_pvbus_is_notification(type) ? PVBUS_MSG_F_NOTIFY :
						      PVBUS_MSG_F_RESPONSE))
		return -EPROTO;
	if (hdr->status)
		return -EBADMSG;
	return 0;
}

/**
 * pci_pvbus_check_version() - check a QUERY_VERSION response
 * @msg: the response
 * @len: its length
 * @proposed: the version the request proposed
 *
 * Return: 0 if the host accepts @proposed; -EMSGSIZE, -EPROTO,
 * -EPROTONOSUPPORT or -EBADMSG for a malformed response.
 */
int pci_pvbus_check_version(const void *msg, size_t len, u16 proposed)
{
	const struct pvbus_pci_version *v = msg;
	int ret;

	ret = pci_pvbus_check_hdr(msg, len, sizeof(*v),
				  PVBUS_PCI_MSG_QUERY_VERSION, proposed);
	if (ret)
		return ret;
	if (le16_to_cpu(v->version) != proposed)
		return -EBADMSG;
	if (v->reserved[0] || v->reserved[1] || v->reserved[2])
		return -EBADMSG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_check_version);

/**
 * pci_pvbus_check_d0_entry() - check a D0_ENTRY response
 * @msg: the response
 * @len: its length
 * @version: the protocol version negotiated
 * @cfg_base: the config window's address the request gave
 * @cfg_size: the config window's size the request gave
 *
 * Return: 0 if it echoes the request; a negative error code otherwise.
 */
int pci_pvbus_check_d0_entry(const void *msg, size_t len, u16 version,
			     u64 cfg_base, u32 cfg_size)
{
	const struct pvbus_pci_d0_entry *d0 = msg;
	int ret;

	ret = pci_pvbus_check_hdr(msg, len, sizeof(*d0),
				  PVBUS_PCI_MSG_D0_ENTRY, version);
	if (ret)
		return ret;
	if (le64_to_cpu(d0->cfg_base) != cfg_base ||
	    le32_to_cpu(d0->cfg_size) != cfg_size || d0->reserved)
		return -EBADMSG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_check_d0_entry);

/**
 * pci_pvbus_check_bare() - check a response that is a bare header
 * @msg: the response
 * @len: its length
 * @version: the protocol version negotiated
 * @type: the type it must have (D0_EXIT)
 *
 * Return: 0 if valid; a negative error code otherwise.
 */
int pci_pvbus_check_bare(const void *msg, size_t len, u16 version, u16 type)
{
	return pci_pvbus_check_hdr(msg, len, sizeof(struct pvbus_msg_hdr),
				   type, version);
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_check_bare);

/**
 * pci_pvbus_check_devfn_msg() - check a message that names one devfn
 * @msg: the message: an EJECT notification, or the echo of a
 *	RELEASED_RESOURCES or EJECT_COMPLETE request
 * @len: its length
 * @version: the protocol version negotiated
 * @type: the type it must have
 * @devfn: in: for a response, the devfn the request named; out: the devfn
 *
 * Return: 0 if valid; a negative error code otherwise.
 */
int pci_pvbus_check_devfn_msg(const void *msg, size_t len, u16 version,
			      u16 type, u32 *devfn)
{
	const struct pvbus_pci_devfn_msg *s = msg;
	u32 got;
	int ret;

	ret = pci_pvbus_check_hdr(msg, len, sizeof(*s), type, version);
	if (ret)
		return ret;
	got = le32_to_cpu(s->devfn);
	if (got > PVBUS_PCI_MAX_DEVFN || s->reserved)
		return -EBADMSG;
	if (!pci_pvbus_is_notification(type) && got != *devfn)
		return -EBADMSG;
	*devfn = got;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_check_devfn_msg);

/**
 * pci_pvbus_check_assigned() - check an ASSIGNED_RESOURCES response
 * @msg: the response
 * @len: its length
 * @version: the protocol version negotiated
 * @sent: the request
 *
 * Return: 0 if it echoes @sent; a negative error code otherwise.
 */
int pci_pvbus_check_assigned(const void *msg, size_t len, u16 version,
			     const struct pvbus_pci_assigned *sent)
{
	const struct pvbus_pci_assigned *a = msg;
	int ret;

	ret = pci_pvbus_check_hdr(msg, len, sizeof(*a),
				  PVBUS_PCI_MSG_ASSIGNED_RESOURCES, version);
	if (ret)
		return ret;
	if (a->devfn != sent->devfn || a->reserved ||
	    memcmp(a->addr, sent->addr, sizeof(a->addr)))
		return -EBADMSG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_check_assigned);

/**
 * pci_pvbus_parse_relations() - check and decode a list of functions
 * @msg: a QUERY_RELATIONS response or a RELATIONS_CHANGED notification
 * @len: its length
 * @version: the protocol version negotiated
 * @type: the type it must have
 * @fn: where the functions go; room for %PVBUS_PCI_MAX_FUNCTIONS
 * @nr: set to how many there are
 *
 * Each function must have a devfn of at most %PVBUS_PCI_MAX_DEVFN that no
 * other function has, a vendor id other than 0 and 0xffff, a 24-bit class
 * code, zero reserved bytes and no flag the version does not define.
 *
 * Return: 0; -EMSGSIZE if the length does not match the count; -EBADMSG
 * for anything else malformed; -EPROTO or -EPROTONOSUPPORT for a wrong
 * header.
 */
int pci_pvbus_parse_relations(const void *msg, size_t len, u16 version,
			      u16 type, struct pvbus_pci_fn_desc *fn,
			      unsigned int *nr)
{
	DECLARE_BITMAP(seen, PVBUS_PCI_MAX_DEVFN + 1);
	const struct pvbus_pci_relations *rel = msg;
	u32 allowed, count, i;
	int ret;

	if (!msg || len < sizeof(*rel))
		return -EMSGSIZE;
	count = le32_to_cpu(rel->count);
	if (count > PVBUS_PCI_MAX_FUNCTIONS)
		return -EBADMSG;
	ret = pci_pvbus_check_hdr(msg, len, struct_size(rel, fn, count), type,
				  version);
	if (ret)
		return ret;
	if (rel->reserved)
		return -EBADMSG;

	allowed = version >= PVBUS_PCI_VERSION_1_1 ? PVBUS_PCI_FN_ALL : 0;
	bitmap_zero(seen, PVBUS_PCI_MAX_DEVFN + 1);
	for (i = 0; i < count; i++) {
		const struct pvbus_pci_function *f = &rel->fn[i];
		struct pvbus_pci_fn_desc *d = &fn[i];

		pvbus_pci_fn_decode(d, f);
		if (d->devfn > PVBUS_PCI_MAX_DEVFN ||
		    __test_and_set_bit(d->devfn, seen))
			return -EBADMSG;
		if (d->vendor == 0 || d->vendor == 0xffff)
			return -EBADMSG;
		if (d->class & ~0xffffffU)
			return -EBADMSG;
		if (f->reserved0[0] || f->reserved0[1] || f->reserved0[2])
			return -EBADMSG;
		if (d->flags & ~allowed)
			return -EBADMSG;
	}
	*nr = count;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_parse_relations);

/* An I/O BAR: bit 1 is reserved, the size a power of two of 4 to 256. */
static int pci_pvbus_parse_io_bar(u32 probed, struct pci_pvbus_bar *bar)
{
	u32 mask = probed & PCI_BASE_ADDRESS_IO_MASK;
	u32 size = mask & -mask;

	if (probed & 0x2 || size < 4 || size > 256 ||
	    ((mask | (size - 1)) & 0xffff) != 0xffff)
		return -EBADMSG;
	bar->size = size;
	bar->flags = PCI_PVBUS_BAR_IO;
	return 0;
}

/**
 * pci_pvbus_parse_resources() - check and decode a QUERY_RESOURCES response
 * @msg: the response
 * @len: its length
 * @version: the protocol version negotiated
 * @devfn: the devfn the request named
 * @preserve: the function has %PVBUS_PCI_FN_PRESERVE
 * @bar: where its %PVBUS_PCI_NR_BARS BARs go
 *
 * A memory BAR must be 32-bit or 64-bit (not the old below-1-MiB type);
 * its size, from the probed value, must be a power of two of at least 16
 * bytes, and at most 2 GiB for a 32-bit BAR; a 64-bit BAR may not be the
 * last one, and its upper half is taken from the next entry.  I/O BARs
 * are decoded and marked %PCI_PVBUS_BAR_IO; they are never placed.  Host
 * addresses are only allowed for memory BARs of a function with
 * @preserve (whether they are usable is the planner's business).
 *
 * Return: 0; -EBADMSG for a malformed BAR or a wrong devfn; -EMSGSIZE,
 * -EPROTO or -EPROTONOSUPPORT for a wrong header.
 */
int pci_pvbus_parse_resources(const void *msg, size_t len, u16 version,
			      u32 devfn, bool preserve,
			      struct pci_pvbus_bar *bar)
{
	const struct pvbus_pci_resources *r = msg;
	unsigned int i;
	int ret;

	ret = pci_pvbus_check_hdr(msg, len, sizeof(*r),
				  PVBUS_PCI_MSG_QUERY_RESOURCES, version);
	if (ret)
		return ret;
	if (le32_to_cpu(r->devfn) != devfn || r->reserved)
		return -EBADMSG;

	memset(bar, 0, sizeof(*bar) * PVBUS_PCI_NR_BARS);
	for (i = 0; i < PVBUS_PCI_NR_BARS; i++) {
		u32 probed = le32_to_cpu(r->bar[i].probed);
		u64 host = le64_to_cpu(r->bar[i].host_addr);
		u64 mask, size;

		if (r->bar[i].reserved)
			return -EBADMSG;
		if (bar[i].flags & PCI_PVBUS_BAR_UPPER) {
			if (host)
				return -EBADMSG;
			continue;
		}
		if (!probed) {
			if (host)
				return -EBADMSG;
			continue;
		}
		if (probed & PCI_BASE_ADDRESS_SPACE_IO) {
			if (host)
				return -EBADMSG;
			ret = pci_pvbus_parse_io_bar(probed, &bar[i]);
			if (ret)
				return ret;
			continue;
		}
		if (host && !preserve)
			return -EBADMSG;

		switch (probed & PCI_BASE_ADDRESS_MEM_TYPE_MASK) {
		case PCI_BASE_ADDRESS_MEM_TYPE_32:
			mask = GENMASK_ULL(63, 32) |
			       (probed & PCI_BASE_ADDRESS_MEM_MASK);
			break;
		case PCI_BASE_ADDRESS_MEM_TYPE_64:
			if (i == PVBUS_PCI_NR_BARS - 1)
				return -EBADMSG;
			mask = (u64)le32_to_cpu(r->bar[i + 1].probed) << 32 |
			       (probed & PCI_BASE_ADDRESS_MEM_MASK);
			bar[i].flags |= PCI_PVBUS_BAR_64;
			bar[i + 1].flags = PCI_PVBUS_BAR_UPPER;
			break;
		default:
			return -EBADMSG;
		}

		/* The mask is ones down to the size: ~mask + 1 is the size. */
		size = ~mask + 1;
		if (!size || (size & (size - 1)) || size < 16)
			return -EBADMSG;
		if (!(bar[i].flags & PCI_PVBUS_BAR_64) && size > SZ_2G)
			return -EBADMSG;
		if (probed & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar[i].flags |= PCI_PVBUS_BAR_PREFETCH;
		bar[i].size = size;
		bar[i].host_addr = host;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_pvbus_parse_resources);
