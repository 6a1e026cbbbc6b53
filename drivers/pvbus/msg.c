// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus wire format: validation of untrusted messages.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/pvbus_wire.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include <asm/unaligned.h>

#include "pvbus_internal.h"

/* The header of @msg: its length, flags, type and version. */
static int pvbus_msg_check_hdr(const void *msg, size_t len,
			       const struct pvbus_msg_spec *specs,
			       unsigned int nspecs,
			       const struct pvbus_msg_spec **spec)
{
	const struct pvbus_msg_hdr *hdr = msg;
	const struct pvbus_msg_spec *s = NULL;
	unsigned int i;
	u16 type, version;

	if (!msg || len < sizeof(*hdr) || len > PVBUS_MSG_MAX_LEN)
		return -EMSGSIZE;
	if (get_unaligned_le32(&hdr->len) != len)
		return -EMSGSIZE;
	if (get_unaligned_le32(&hdr->flags) & ~PVBUS_MSG_F_ALL)
		return -EBADMSG;

	type = get_unaligned_le16(&hdr->type);
	version = get_unaligned_le16(&hdr->version);
	for (i = 0; i < nspecs; i++) {
		if (specs[i].type == type) {
			s = &specs[i];
			break;
		}
	}
	if (!s)
		return -EPROTO;
	if (version < s->min_version || version > s->max_version)
		return -EPROTONOSUPPORT;
	*spec = s;
	return 0;
}

/**
 * pvbus_msg_validate() - check a message before anyone reads its payload
 * @msg: the message, header first
 * @len: how many bytes of @msg were received
 * @specs: what each valid message type looks like
 * @nspecs: entries in @specs
 * @spec: if not NULL, set to the entry @msg matched
 *
 * Checks, in this order: the header fits; the header's length is @len and
 * at most %PVBUS_MSG_MAX_LEN; no unknown flag is set; the type is in
 * @specs; the version is one the type may be written in; the payload is
 * exactly as long as the type's fixed part plus its element array, whose
 * count is at most the type's maximum.
 *
 * Return: 0 if the message is valid; -EMSGSIZE if a length is wrong;
 * -EBADMSG for unknown flags or an element count over the maximum;
 * -EPROTO for an unknown type; -EPROTONOSUPPORT for a version the type
 * does not have.
 */
int pvbus_msg_validate(const void *msg, size_t len,
		       const struct pvbus_msg_spec *specs, unsigned int nspecs,
		       const struct pvbus_msg_spec **spec)
{
	const struct pvbus_msg_hdr *hdr = msg;
	const struct pvbus_msg_spec *s;
	size_t payload, want;
	u32 count;
	int ret;

	ret = pvbus_msg_check_hdr(msg, len, specs, nspecs, &s);
	if (ret)
		return ret;

	payload = len - sizeof(*hdr);
	if (payload < s->fixed_len)
		return -EMSGSIZE;

	want = s->fixed_len;
	if (s->elem_len) {
		/* A spec whose count lies outside its fixed part is a bug. */
		if (WARN_ON_ONCE(s->count_off > s->fixed_len ||
				 s->fixed_len - s->count_off < sizeof(__le32)))
			return -EBADMSG;
		count = get_unaligned_le32((const u8 *)(hdr + 1) + s->count_off);
		if (count > s->max_count)
			return -EBADMSG;
		if (check_add_overflow((size_t)s->fixed_len,
				       array_size(count, s->elem_len), &want))
			return -EMSGSIZE;
	}
	if (payload != want)
		return -EMSGSIZE;

	if (spec)
		*spec = s;
	return 0;
}
EXPORT_SYMBOL_GPL(pvbus_msg_validate);

/*
 * Whether @s describes messages pvbus_msg_validate() can check: its
 * versions in order, its fixed part within the largest message, and its
 * element count, if it has an array, inside the fixed part.
 */
static bool pvbus_msg_spec_ok(const struct pvbus_msg_spec *s)
{
	if (s->min_version > s->max_version ||
	    s->fixed_len > PVBUS_MSG_MAX_LEN - sizeof(struct pvbus_msg_hdr))
		return false;
	if (!s->elem_len)
		return true;
	return s->count_off <= s->fixed_len &&
	       s->fixed_len - s->count_off >= sizeof(__le32);
}

/**
 * pvbus_msg_specs_check() - check a class driver's table of message types
 * @specs: the table
 * @nspecs: entries in @specs
 *
 * The table pvbus_msg_validate() checks the host's messages against comes
 * from the driver, so a mistake in it is the driver's bug, found when the
 * driver registers rather than when a host's message meets it.  Each
 * entry must be a class type (from %PVBUS_MSG_CLASS_BASE up), listed once,
 * with its versions in order and its element count, if it has an array,
 * inside its fixed part.
 *
 * Return: 0, or -EINVAL with the first bad entry said in the kernel log.
 */
int pvbus_msg_specs_check(const struct pvbus_msg_spec *specs,
			  unsigned int nspecs)
{
	unsigned int i, j;

	if (nspecs && !specs) {
		pr_err("pvbus: %u message types and no table of them\n",
		       nspecs);
		return -EINVAL;
	}
	for (i = 0; i < nspecs; i++) {
		const struct pvbus_msg_spec *s = &specs[i];

		for (j = 0; j < i; j++)
			if (specs[j].type == s->type)
				break;
		if (s->type < PVBUS_MSG_CLASS_BASE || j < i ||
		    !pvbus_msg_spec_ok(s)) {
			pr_err("pvbus: message type %#06x (entry %u): %s\n",
			       s->type, i,
			       s->type < PVBUS_MSG_CLASS_BASE ? "not a class type" :
			       j < i ? "listed twice" : "malformed");
			return -EINVAL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_msg_specs_check);

/**
 * pvbus_msg_validate_refusal() - check a response that is a status alone
 * @msg: the response, a header alone
 * @len: how many bytes of @msg were received
 * @specs: what each valid message type looks like
 * @nspecs: entries in @specs
 *
 * A host that refuses a request may answer with the header alone, whatever
 * the payload of the type.  Such a response is checked as
 * pvbus_msg_validate() checks any message, but for the payload: the
 * header's length is @len, no unknown flag is set, the type is in @specs
 * and its version one the type may be written in; and it carries a status
 * other than %PVBUS_STATUS_SUCCESS.
 *
 * Return: 0 if the response is a valid refusal; -EMSGSIZE if @len is not
 * the size of a header or the header's length is not @len; -EBADMSG for
 * unknown flags or a status of success; -EPROTO for an unknown type;
 * -EPROTONOSUPPORT for a version the type does not have.
 */
int pvbus_msg_validate_refusal(const void *msg, size_t len,
			       const struct pvbus_msg_spec *specs,
			       unsigned int nspecs)
{
	const struct pvbus_msg_hdr *hdr = msg;
	const struct pvbus_msg_spec *s;
	int ret;

	if (len != sizeof(*hdr))
		return -EMSGSIZE;
	ret = pvbus_msg_check_hdr(msg, len, specs, nspecs, &s);
	if (ret)
		return ret;
	if (get_unaligned_le32(&hdr->status) == PVBUS_STATUS_SUCCESS)
		return -EBADMSG;
	return 0;
}

/**
 * pvbus_msg_init() - fill in a request's header
 * @hdr: the header, at the start of a message of @len bytes
 * @type: message type
 * @version: protocol version the message is written in
 * @len: length of the whole message
 *
 * Zeroes everything but @type, @version and @len; the channel sets the
 * transaction id when it sends the message.
 */
void pvbus_msg_init(struct pvbus_msg_hdr *hdr, u16 type, u16 version,
		    size_t len)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->type = cpu_to_le16(type);
	hdr->version = cpu_to_le16(version);
	hdr->len = cpu_to_le32(len);
}
EXPORT_SYMBOL_GPL(pvbus_msg_init);
