// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the checks pci-pvbus makes on every message from the
 * host (pci_pvbus_msg): each case builds a valid message, proves it passes,
 * then breaks it one way at a time and proves each break is caught.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pci_regs.h>
#include <linux/pvbus_pci.h>
#include <linux/pvbus_wire.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pci-pvbus-msg.h"

#define V10	PVBUS_PCI_VERSION_1_0
#define V11	PVBUS_PCI_VERSION_1_1

static void hdr(void *msg, u16 type, u16 version, size_t len)
{
	struct pvbus_msg_hdr *h = msg;
	bool notify = type == PVBUS_PCI_MSG_RELATIONS_CHANGED ||
		      type == PVBUS_PCI_MSG_EJECT;

	memset(msg, 0, len);
	h->type = cpu_to_le16(type);
	h->version = cpu_to_le16(version);
	h->len = cpu_to_le32(len);
	h->trans_id = cpu_to_le64(notify ? 0 : 7);
	h->flags = cpu_to_le32(notify ? PVBUS_MSG_F_NOTIFY :
				      PVBUS_MSG_F_RESPONSE);
}

/* ---- the channel's table -------------------------------------------- */

static const u16 all_types[] = {
	PVBUS_PCI_MSG_QUERY_VERSION, PVBUS_PCI_MSG_D0_ENTRY,
	PVBUS_PCI_MSG_D0_EXIT, PVBUS_PCI_MSG_QUERY_RELATIONS,
	PVBUS_PCI_MSG_QUERY_RESOURCES, PVBUS_PCI_MSG_ASSIGNED_RESOURCES,
	PVBUS_PCI_MSG_RELEASED_RESOURCES, PVBUS_PCI_MSG_RELATIONS_CHANGED,
	PVBUS_PCI_MSG_EJECT, PVBUS_PCI_MSG_EJECT_COMPLETE,
};

static size_t type_len(u16 type, u32 count)
{
	switch (type) {
	case PVBUS_PCI_MSG_QUERY_VERSION:
		return sizeof(struct pvbus_pci_version);
	case PVBUS_PCI_MSG_D0_ENTRY:
		return sizeof(struct pvbus_pci_d0_entry);
	case PVBUS_PCI_MSG_D0_EXIT:
		return sizeof(struct pvbus_msg_hdr);
	case PVBUS_PCI_MSG_QUERY_RELATIONS:
	case PVBUS_PCI_MSG_RELATIONS_CHANGED:
		return sizeof(struct pvbus_pci_relations) +
		       count * sizeof(struct pvbus_pci_function);
	case PVBUS_PCI_MSG_QUERY_RESOURCES:
		return sizeof(struct pvbus_pci_resources);
	case PVBUS_PCI_MSG_ASSIGNED_RESOURCES:
		return sizeof(struct pvbus_pci_assigned);
	default:
		return sizeof(struct pvbus_pci_devfn_msg);
	}
}

/* Every message the host may send matches the table; nothing else does. */
static void msg_specs(struct kunit *test)
{
	size_t size = type_len(PVBUS_PCI_MSG_QUERY_RELATIONS,
			       PVBUS_PCI_MAX_FUNCTIONS + 1);
	struct pvbus_pci_relations *rel;
	unsigned int i, j;
	u8 *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	rel = (void *)buf;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(all_types),
			(size_t)PCI_PVBUS_NR_MSG_SPECS);
	for (i = 0; i < ARRAY_SIZE(all_types); i++) {
		u16 t = all_types[i];
		size_t len = type_len(t, 2);

		for (j = 0; j < PCI_PVBUS_NR_MSG_SPECS; j++)
			if (j != i)
				KUNIT_EXPECT_NE(test, pci_pvbus_msg_specs[j].type,
						pci_pvbus_msg_specs[i].type);

		hdr(buf, t, V10, len);
		rel->count = cpu_to_le32(2);
		KUNIT_EXPECT_EQ_MSG(test,
				    pvbus_msg_validate(buf, len,
						       pci_pvbus_msg_specs,
						       PCI_PVBUS_NR_MSG_SPECS,
						       NULL), 0,
				    "type %#x", t);
		hdr(buf, t, V11, len);
		rel->count = cpu_to_le32(2);
		KUNIT_EXPECT_EQ(test, pvbus_msg_validate(buf, len,
							 pci_pvbus_msg_specs,
							 PCI_PVBUS_NR_MSG_SPECS,
							 NULL), 0);
		hdr(buf, t, 0x0200, len);
		rel->count = cpu_to_le32(2);
		KUNIT_EXPECT_EQ(test, pvbus_msg_validate(buf, len,
							 pci_pvbus_msg_specs,
							 PCI_PVBUS_NR_MSG_SPECS,
							 NULL),
				-EPROTONOSUPPORT);
		hdr(buf, t, V10, len + 4);
		rel->count = cpu_to_le32(2);
		KUNIT_EXPECT_EQ(test, pvbus_msg_validate(buf, len + 4,
							 pci_pvbus_msg_specs,
							 PCI_PVBUS_NR_MSG_SPECS,
							 NULL), -EMSGSIZE);
	}

	/* Too many functions, and a type nobody defined. */
	hdr(buf, PVBUS_PCI_MSG_RELATIONS_CHANGED, V11, size);
	rel->count = cpu_to_le32(PVBUS_PCI_MAX_FUNCTIONS + 1);
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(buf, size, pci_pvbus_msg_specs,
						 PCI_PVBUS_NR_MSG_SPECS, NULL),
			-EBADMSG);
	hdr(buf, PVBUS_MSG_CLASS_BASE + 0x0a, V11, 16 + 8);
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(buf, 16 + 8,
						 pci_pvbus_msg_specs,
						 PCI_PVBUS_NR_MSG_SPECS, NULL),
			-EPROTO);
}

/* ---- QUERY_VERSION, D0_ENTRY, D0_EXIT ------------------------------- */

static void good_version(struct pvbus_pci_version *m, u16 v)
{
	hdr(m, PVBUS_PCI_MSG_QUERY_VERSION, v, sizeof(*m));
	m->version = cpu_to_le16(v);
}

static void msg_version(struct kunit *test)
{
	struct pvbus_pci_version m;

	good_version(&m, V11);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11), 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(NULL, 0, V11),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, 8, V11), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m) - 2, V11),
			-EMSGSIZE);
	/* Written in another version than the one proposed. */
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V10),
			-EPROTONOSUPPORT);

	good_version(&m, V11);
	m.version = cpu_to_le16(V10);	/* accepts what was not proposed */
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EBADMSG);
	good_version(&m, V11);
	m.reserved[2] = cpu_to_le16(1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EBADMSG);
	good_version(&m, V11);
	m.hdr.type = cpu_to_le16(PVBUS_PCI_MSG_D0_ENTRY);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EPROTO);
	good_version(&m, V11);
	m.hdr.flags = cpu_to_le32(PVBUS_MSG_F_NOTIFY);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EPROTO);
	good_version(&m, V11);
	m.hdr.status = cpu_to_le32(PVBUS_STATUS_REFUSED);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EBADMSG);
	good_version(&m, V11);
	m.hdr.len = cpu_to_le32(sizeof(m) + 8);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_version(&m, sizeof(m), V11),
			-EMSGSIZE);
}

static void good_d0(struct pvbus_pci_d0_entry *m)
{
	hdr(m, PVBUS_PCI_MSG_D0_ENTRY, V11, sizeof(*m));
	m->cfg_base = cpu_to_le64(0x800000000ULL);
	m->cfg_size = cpu_to_le32(PVBUS_PCI_CFG_WINDOW_SIZE);
}

static void msg_d0(struct kunit *test)
{
	const u64 base = 0x800000000ULL;
	const u32 size = PVBUS_PCI_CFG_WINDOW_SIZE;
	struct pvbus_pci_d0_entry m;
	struct pvbus_msg_hdr h;

	good_d0(&m);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m), V11,
						       base, size), 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m), V10,
						       base, size),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m), V11,
						       base + SZ_4K, size),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m), V11,
						       base, SZ_4K),
			-EBADMSG);
	good_d0(&m);
	m.reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m), V11,
						       base, size), -EBADMSG);
	/* A bare header is not a D0_ENTRY response. */
	hdr(&m, PVBUS_PCI_MSG_D0_ENTRY, V11, sizeof(m.hdr));
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_d0_entry(&m, sizeof(m.hdr), V11,
						       base, size), -EMSGSIZE);

	hdr(&h, PVBUS_PCI_MSG_D0_EXIT, V11, sizeof(h));
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_bare(&h, sizeof(h), V11,
						   PVBUS_PCI_MSG_D0_EXIT), 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_bare(&h, sizeof(h), V11,
						   PVBUS_PCI_MSG_D0_ENTRY),
			-EPROTO);
	good_d0(&m);
	m.hdr.type = cpu_to_le16(PVBUS_PCI_MSG_D0_EXIT);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_bare(&m, sizeof(m), V11,
						   PVBUS_PCI_MSG_D0_EXIT),
			-EMSGSIZE);
}

/* ---- devfn messages, ASSIGNED_RESOURCES ------------------------------ */

static void good_devfn(struct pvbus_pci_devfn_msg *m, u16 type, u32 devfn)
{
	hdr(m, type, V11, sizeof(*m));
	m->devfn = cpu_to_le32(devfn);
}

static void msg_devfn(struct kunit *test)
{
	struct pvbus_pci_devfn_msg m;
	u32 devfn;

	good_devfn(&m, PVBUS_PCI_MSG_EJECT, 0x09);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT,
						       &devfn), 0);
	KUNIT_EXPECT_EQ(test, devfn, 0x09U);

	good_devfn(&m, PVBUS_PCI_MSG_EJECT, PVBUS_PCI_MAX_DEVFN + 1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT,
						       &devfn), -EBADMSG);
	good_devfn(&m, PVBUS_PCI_MSG_EJECT, 0x09);
	m.reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT,
						       &devfn), -EBADMSG);
	/* An EJECT must be a notification. */
	good_devfn(&m, PVBUS_PCI_MSG_EJECT, 0x09);
	m.hdr.flags = cpu_to_le32(PVBUS_MSG_F_RESPONSE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT,
						       &devfn), -EPROTO);

	/* An echo must name the devfn of the request. */
	good_devfn(&m, PVBUS_PCI_MSG_EJECT_COMPLETE, 0x10);
	devfn = 0x10;
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT_COMPLETE,
						       &devfn), 0);
	devfn = 0x11;
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_EJECT_COMPLETE,
						       &devfn), -EBADMSG);
	devfn = 0x10;
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m), V11,
							PVBUS_PCI_MSG_RELEASED_RESOURCES,
						       &devfn), -EPROTO);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_devfn_msg(&m, sizeof(m) - 4, V11,
							PVBUS_PCI_MSG_EJECT_COMPLETE,
						       &devfn), -EMSGSIZE);
}

static void msg_assigned(struct kunit *test)
{
	struct pvbus_pci_assigned sent, m;

	hdr(&sent, PVBUS_PCI_MSG_ASSIGNED_RESOURCES, V11, sizeof(sent));
	sent.devfn = cpu_to_le32(3);
	sent.addr[0] = cpu_to_le64(0xc0000000);
	sent.addr[2] = cpu_to_le64(0x800000000ULL);

	memcpy(&m, &sent, sizeof(m));
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_assigned(&m, sizeof(m), V11,
						       &sent), 0);
	m.addr[2] = cpu_to_le64(0x800001000ULL);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_assigned(&m, sizeof(m), V11,
						       &sent), -EBADMSG);
	memcpy(&m, &sent, sizeof(m));
	m.devfn = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_assigned(&m, sizeof(m), V11,
						       &sent), -EBADMSG);
	memcpy(&m, &sent, sizeof(m));
	m.reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_assigned(&m, sizeof(m), V11,
						       &sent), -EBADMSG);
	memcpy(&m, &sent, sizeof(m));
	KUNIT_EXPECT_EQ(test, pci_pvbus_check_assigned(&m, sizeof(m), V10,
						       &sent),
			-EPROTONOSUPPORT);
}

/* ---- relations ------------------------------------------------------ */

static size_t good_rel(struct pvbus_pci_relations *b, u16 type, u16 v,
		       u32 count)
{
	size_t len = struct_size(b, fn, count);
	u32 i;

	hdr(b, type, v, len);
	b->count = cpu_to_le32(count);
	for (i = 0; i < count; i++) {
		b->fn[i].devfn = cpu_to_le32(i * 8 + (i & 1));
		b->fn[i].vendor = cpu_to_le16(0x1af4);
		b->fn[i].device = cpu_to_le16(0x1000 + i);
		b->fn[i].class = cpu_to_le32(0x010802);
		b->fn[i].revision = 1;
		b->fn[i].subsys_vendor = cpu_to_le16(0x1af4);
		b->fn[i].subsys_device = cpu_to_le16(0x0001);
		b->fn[i].serial = cpu_to_le32(1000 + i);
	}
	return len;
}

static void msg_relations(struct kunit *test)
{
	const u16 q = PVBUS_PCI_MSG_QUERY_RELATIONS;
	const u16 c = PVBUS_PCI_MSG_RELATIONS_CHANGED;
	struct pvbus_pci_relations *b;
	struct pvbus_pci_fn_desc *fn;
	unsigned int nr;
	size_t len;

	b = kunit_kzalloc(test, struct_size(b, fn, PVBUS_PCI_MAX_FUNCTIONS + 1),
			  GFP_KERNEL);
	fn = kunit_kcalloc(test, PVBUS_PCI_MAX_FUNCTIONS + 1, sizeof(*fn),
			   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, fn);

	len = good_rel(b, q, V11, 3);
	KUNIT_ASSERT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 3U);
	KUNIT_EXPECT_EQ(test, fn[1].devfn, 0x09U);
	KUNIT_EXPECT_EQ(test, fn[2].device, 0x1002);
	KUNIT_EXPECT_EQ(test, fn[2].class, 0x010802U);
	KUNIT_EXPECT_EQ(test, fn[2].serial, 1002U);

	/* None is fine; so are 32. */
	len = good_rel(b, q, V11, 0);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	len = good_rel(b, c, V11, PVBUS_PCI_MAX_FUNCTIONS);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, c, fn,
							&nr), 0);
	KUNIT_EXPECT_EQ(test, nr, (unsigned int)PVBUS_PCI_MAX_FUNCTIONS);
	/* 33 are not. */
	len = good_rel(b, c, V11, PVBUS_PCI_MAX_FUNCTIONS + 1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, c, fn,
							&nr), -EBADMSG);

	/* A count the length does not match. */
	len = good_rel(b, q, V11, 3);
	b->count = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, 8, V11, q, fn,
							&nr), -EMSGSIZE);
	/* A notification where a response belongs, and the reverse. */
	len = good_rel(b, c, V11, 3);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EPROTO);
	b->hdr.type = cpu_to_le16(q);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EPROTO);

	len = good_rel(b, q, V11, 3);
	b->fn[2].devfn = cpu_to_le32(0x09);	/* twice */
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[0].devfn = cpu_to_le32(PVBUS_PCI_MAX_DEVFN + 1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[1].vendor = cpu_to_le16(0xffff);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[1].vendor = 0;
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[1].class = cpu_to_le32(0x01010802);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[1].reserved0[1] = 1;
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);

	/* PRESERVE exists from 1.1 on; other flags not at all. */
	len = good_rel(b, q, V11, 3);
	b->fn[1].flags = cpu_to_le32(PVBUS_PCI_FN_PRESERVE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), 0);
	KUNIT_EXPECT_EQ(test, fn[1].flags, (u32)PVBUS_PCI_FN_PRESERVE);
	len = good_rel(b, q, V10, 3);
	b->fn[1].flags = cpu_to_le32(PVBUS_PCI_FN_PRESERVE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V10, q, fn,
							&nr), -EBADMSG);
	len = good_rel(b, q, V11, 3);
	b->fn[1].flags = cpu_to_le32(0x2);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr), -EBADMSG);
	/* Written in another version than the one negotiated. */
	len = good_rel(b, q, V10, 3);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_relations(b, len, V11, q, fn,
							&nr),
			-EPROTONOSUPPORT);
}

/* ---- resources ------------------------------------------------------ */

static void good_res(struct pvbus_pci_resources *m, u32 devfn)
{
	hdr(m, PVBUS_PCI_MSG_QUERY_RESOURCES, V11, sizeof(*m));
	m->devfn = cpu_to_le32(devfn);
	/* BAR0: 32-bit 1M; BAR1-2: 64-bit prefetchable 16G; BAR3: I/O 32. */
	m->bar[0].probed = cpu_to_le32(0xfff00000);
	m->bar[1].probed = cpu_to_le32(0x0000000c);
	m->bar[2].probed = cpu_to_le32(0xfffffffc);
	m->bar[3].probed = cpu_to_le32(0x0000ffe1);
}

static int parse(struct pvbus_pci_resources *m, bool preserve,
		 struct pci_pvbus_bar *bar)
{
	return pci_pvbus_parse_resources(m, sizeof(*m), V11, 5, preserve, bar);
}

static void msg_resources(struct kunit *test)
{
	struct pci_pvbus_bar bar[PVBUS_PCI_NR_BARS];
	struct pvbus_pci_resources m;

	good_res(&m, 5);
	KUNIT_ASSERT_EQ(test, parse(&m, false, bar), 0);
	KUNIT_EXPECT_EQ(test, bar[0].size, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, bar[0].flags, 0U);
	KUNIT_EXPECT_EQ(test, bar[1].size, 16ULL << 30);
	KUNIT_EXPECT_EQ(test, bar[1].flags,
			(u32)(PCI_PVBUS_BAR_64 | PCI_PVBUS_BAR_PREFETCH));
	KUNIT_EXPECT_EQ(test, bar[2].flags, (u32)PCI_PVBUS_BAR_UPPER);
	KUNIT_EXPECT_EQ(test, bar[3].flags, (u32)PCI_PVBUS_BAR_IO);
	KUNIT_EXPECT_EQ(test, bar[3].size, 32ULL);
	KUNIT_EXPECT_EQ(test, bar[4].size, 0ULL);

	/* A 32-bit BAR of 2G is the largest; 4G cannot be. */
	good_res(&m, 5);
	m.bar[0].probed = cpu_to_le32(0x80000000);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), 0);
	KUNIT_EXPECT_EQ(test, bar[0].size, (u64)SZ_2G);
	m.bar[0].probed = cpu_to_le32(0x00000008);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);

	/* Sizes that are not a power of two. */
	good_res(&m, 5);
	m.bar[0].probed = cpu_to_le32(0xffe0a000);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	good_res(&m, 5);
	m.bar[2].probed = cpu_to_le32(0xfff0fffc);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	/* A 64-bit BAR whose upper half is all zero. */
	good_res(&m, 5);
	m.bar[1].probed = cpu_to_le32(0xfff0000c);
	m.bar[2].probed = 0;
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	/* A 64-bit BAR of 2^64 bytes. */
	good_res(&m, 5);
	m.bar[1].probed = cpu_to_le32(0x4);
	m.bar[2].probed = 0;
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	/* A 64-bit BAR without an upper half. */
	good_res(&m, 5);
	m.bar[5].probed = cpu_to_le32(0xfff00004);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	/* The below-1M type and the reserved type. */
	good_res(&m, 5);
	m.bar[0].probed = cpu_to_le32(0xfff00002);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	m.bar[0].probed = cpu_to_le32(0xfff00006);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	/* I/O BARs: bit 1 is reserved, sizes are powers of two to 256. */
	good_res(&m, 5);
	m.bar[3].probed = cpu_to_le32(0x0000ffe3);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	m.bar[3].probed = cpu_to_le32(0x0000f0e1);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	m.bar[3].probed = cpu_to_le32(0x0000f001);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);

	/* Host addresses: only for preserved functions, only where a BAR is. */
	good_res(&m, 5);
	m.bar[0].host_addr = cpu_to_le64(0xc0000000);
	m.bar[1].host_addr = cpu_to_le64(0x800000000ULL);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	KUNIT_EXPECT_EQ(test, parse(&m, true, bar), 0);
	KUNIT_EXPECT_EQ(test, bar[0].host_addr, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, bar[1].host_addr, 0x800000000ULL);
	m.bar[2].host_addr = cpu_to_le64(0x1000);	/* the upper half */
	KUNIT_EXPECT_EQ(test, parse(&m, true, bar), -EBADMSG);
	good_res(&m, 5);
	m.bar[4].host_addr = cpu_to_le64(0x1000);	/* no BAR */
	KUNIT_EXPECT_EQ(test, parse(&m, true, bar), -EBADMSG);
	good_res(&m, 5);
	m.bar[3].host_addr = cpu_to_le64(0x1000);	/* I/O */
	KUNIT_EXPECT_EQ(test, parse(&m, true, bar), -EBADMSG);

	/* Reserved fields, the devfn, the header. */
	good_res(&m, 5);
	m.bar[4].reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	good_res(&m, 5);
	m.reserved = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	good_res(&m, 6);
	KUNIT_EXPECT_EQ(test, parse(&m, false, bar), -EBADMSG);
	good_res(&m, 5);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_resources(&m, sizeof(m) - 16,
							V11, 5, false, bar),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pci_pvbus_parse_resources(&m, sizeof(m), V10, 5,
							false, bar),
			-EPROTONOSUPPORT);
}

static void msg_status_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, pci_pvbus_status_name(PVBUS_STATUS_REFUSED),
			   "refused");
	KUNIT_EXPECT_STREQ(test, pci_pvbus_status_name(PVBUS_STATUS_BUSY),
			   "busy");
	KUNIT_EXPECT_STREQ(test, pci_pvbus_status_name(0xc0370048),
			   "unknown");
}

static struct kunit_case pci_pvbus_msg_cases[] = {
	KUNIT_CASE(msg_specs),
	KUNIT_CASE(msg_version),
	KUNIT_CASE(msg_d0),
	KUNIT_CASE(msg_devfn),
	KUNIT_CASE(msg_assigned),
	KUNIT_CASE(msg_relations),
	KUNIT_CASE(msg_resources),
	KUNIT_CASE(msg_status_names),
	{}
};

static struct kunit_suite pci_pvbus_msg_suite = {
	.name = "pci_pvbus_msg",
	.test_cases = pci_pvbus_msg_cases,
};

kunit_test_suite(pci_pvbus_msg_suite);

MODULE_DESCRIPTION("KUnit tests for the pci-pvbus message checks");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
