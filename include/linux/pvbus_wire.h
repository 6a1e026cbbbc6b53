/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus wire format: every message between a guest driver and the host.
 *
 * A message is a &struct pvbus_msg_hdr followed by a payload whose layout
 * the message type defines.  All fields are little-endian, whatever the
 * guest's byte order; structures are packed and padded explicitly.  What
 * the host sends is untrusted: pvbus_msg_validate() checks it against a
 * table of &struct pvbus_msg_spec before anyone looks at the payload.
 */
#ifndef _LINUX_PVBUS_WIRE_H
#define _LINUX_PVBUS_WIRE_H

#include <linux/types.h>

/* Largest message, header included. */
#define PVBUS_MSG_MAX_LEN		0x10000

/* pvbus_msg_hdr.flags */
#define PVBUS_MSG_F_RESPONSE		0x1	/* answers the request @trans_id */
#define PVBUS_MSG_F_NOTIFY		0x2	/* unsolicited, host to guest */
#define PVBUS_MSG_F_ALL			(PVBUS_MSG_F_RESPONSE | PVBUS_MSG_F_NOTIFY)

/* pvbus_msg_hdr.status of a response */
#define PVBUS_STATUS_SUCCESS		0x0
#define PVBUS_STATUS_INVALID		0xc0000001	/* malformed request */
#define PVBUS_STATUS_UNSUPPORTED	0xc0000002	/* unknown type/version */
#define PVBUS_STATUS_REFUSED		0xc0000003	/* host policy says no */
#define PVBUS_STATUS_BUSY		0xc0000004	/* state does not allow it */
#define PVBUS_STATUS_NOT_FOUND		0xc0000005	/* no such object */

/**
 * struct pvbus_msg_hdr - header of every message
 * @type: message type, defined by the protocol of the channel's class
 * @version: protocol version the message is written in, major << 8 | minor
 * @len: length of the whole message, header included
 * @trans_id: request identifier, echoed in the response; 0 in
 *	notifications
 * @status: in a response, PVBUS_STATUS_*; 0 otherwise
 * @flags: PVBUS_MSG_F_*; other bits must be 0
 */
struct pvbus_msg_hdr {
	__le16 type;
	__le16 version;
	__le32 len;
	__le64 trans_id;
	__le32 status;
	__le32 flags;
} __packed;

/**
 * struct pvbus_msg_spec - what a valid message of one type looks like
 * @type: the message type
 * @min_version: oldest protocol version the type may be written in
 * @max_version: newest protocol version the type may be written in
 * @fixed_len: length of the payload's fixed part, after the header
 * @elem_len: length of one element of the array that follows the fixed
 *	part; 0 if there is none
 * @count_off: offset in the payload of the __le32 element count
 * @max_count: most elements a valid message has
 *
 * A message is valid when its payload is exactly @fixed_len bytes, plus
 * count * @elem_len bytes if it has an array, with count <= @max_count.
 */
struct pvbus_msg_spec {
	u16 type;
	u16 min_version;
	u16 max_version;
	u32 fixed_len;
	u32 elem_len;
	u32 count_off;
	u32 max_count;
};

/*
 * Bus-generic messages: every channel understands them, whatever its class.
 * Types below PVBUS_MSG_CLASS_BASE belong to the bus; a class's protocol
 * numbers its own types from PVBUS_MSG_CLASS_BASE up.
 */
#define PVBUS_BUS_VERSION		0x0100	/* 1.0 */
#define PVBUS_MSG_PING			0x0001
#define PVBUS_MSG_CLASS_BASE		0x0100

/**
 * struct pvbus_msg_ping - PVBUS_MSG_PING request and response
 * @hdr: header
 * @cookie: any value; the host echoes it
 */
struct pvbus_msg_ping {
	struct pvbus_msg_hdr hdr;
	__le64 cookie;
} __packed;

int pvbus_msg_validate(const void *msg, size_t len,
		       const struct pvbus_msg_spec *specs, unsigned int nspecs,
		       const struct pvbus_msg_spec **spec);
void pvbus_msg_init(struct pvbus_msg_hdr *hdr, u16 type, u16 version,
		    size_t len);

#endif /* _LINUX_PVBUS_WIRE_H */
