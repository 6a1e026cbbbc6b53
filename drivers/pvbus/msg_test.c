// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pvbus_msg_validate(): every way a host message can be
 * malformed is refused, with the right error, and well-formed ones pass;
 * and for pvbus_msg_specs_check(): a driver's malformed table of message
 * types is refused when it registers.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/pvbus_driver.h>
#include <linux/pvbus_wire.h>
#include <linux/string.h>

#include "kunit_param.h"
#include "pvbus_internal.h"

#define T_FIXED		0x0101	/* fixed payload of 8 bytes */
#define T_ARRAY		0x0102	/* 4-byte count, 4 bytes pad, 16-byte elements */
#define T_EMPTY		0x0103	/* no payload */
#define V10		0x0100
#define V11		0x0101
#define V20		0x0200

static const struct pvbus_msg_spec test_specs[] = {
	{ .type = T_FIXED, .min_version = V10, .max_version = V11,
	  .fixed_len = 8 },
	{ .type = T_ARRAY, .min_version = V10, .max_version = V10,
	  .fixed_len = 8, .elem_len = 16, .count_off = 0, .max_count = 4 },
	{ .type = T_EMPTY, .min_version = V10, .max_version = V20 },
};

struct msg_case {
	const char *name;
	u16 type;
	u16 version;
	u32 flags;
	size_t len;		/* bytes handed to the validator */
	s64 hdr_len;		/* header's len field; -1: same as @len */
	u32 count;		/* element count written for T_ARRAY */
	int expect;
};

#define HDR	sizeof(struct pvbus_msg_hdr)

static const struct msg_case msg_cases[] = {
	{ "fixed ok", T_FIXED, V10, 0, HDR + 8, -1, 0, 0 },
	{ "fixed newest version ok", T_FIXED, V11, 0, HDR + 8, -1, 0, 0 },
	{ "response flag ok", T_FIXED, V10, PVBUS_MSG_F_RESPONSE, HDR + 8, -1, 0, 0 },
	{ "empty ok", T_EMPTY, V20, 0, HDR, -1, 0, 0 },
	{ "array of 0 ok", T_ARRAY, V10, 0, HDR + 8, -1, 0, 0 },
	{ "array of 4 ok", T_ARRAY, V10, 0, HDR + 8 + 64, -1, 4, 0 },
	{ "shorter than a header", T_FIXED, V10, 0, HDR - 1, -1, 0, -EMSGSIZE },
	{ "empty buffer", T_FIXED, V10, 0, 0, 0, 0, -EMSGSIZE },
	{ "header len larger", T_FIXED, V10, 0, HDR + 8, HDR + 9, 0, -EMSGSIZE },
	{ "header len smaller", T_FIXED, V10, 0, HDR + 8, HDR + 7, 0, -EMSGSIZE },
	{ "header len huge", T_FIXED, V10, 0, HDR + 8, 0xffffffff, 0, -EMSGSIZE },
	{ "over the maximum", T_EMPTY, V10, 0, PVBUS_MSG_MAX_LEN + 1, -1, 0, -EMSGSIZE },
	{ "unknown flag", T_FIXED, V10, 0x80, HDR + 8, -1, 0, -EBADMSG },
	{ "unknown type", 0x0777, V10, 0, HDR + 8, -1, 0, -EPROTO },
	{ "version too old", T_FIXED, 0x00ff, 0, HDR + 8, -1, 0, -EPROTONOSUPPORT },
	{ "version too new", T_FIXED, V20, 0, HDR + 8, -1, 0, -EPROTONOSUPPORT },
	{ "payload short", T_FIXED, V10, 0, HDR + 7, -1, 0, -EMSGSIZE },
	{ "payload long", T_FIXED, V10, 0, HDR + 9, -1, 0, -EMSGSIZE },
	{ "empty with payload", T_EMPTY, V10, 0, HDR + 1, -1, 0, -EMSGSIZE },
	{ "array count over max", T_ARRAY, V10, 0, HDR + 8 + 80, -1, 5, -EBADMSG },
	{ "array count huge", T_ARRAY, V10, 0, HDR + 8 + 16, -1, 0xffffffff, -EBADMSG },
	{ "array count says more than sent", T_ARRAY, V10, 0, HDR + 8 + 16, -1, 2, -EMSGSIZE },
	{ "array count says fewer than sent", T_ARRAY, V10, 0, HDR + 8 + 48, -1, 2, -EMSGSIZE },
	{ "array partial element", T_ARRAY, V10, 0, HDR + 8 + 20, -1, 1, -EMSGSIZE },
	{ "array without fixed part", T_ARRAY, V10, 0, HDR + 4, -1, 0, -EMSGSIZE },
};

KUNIT_ARRAY_PARAM_DESC(msg, msg_cases, name);

static void msg_validate_cases(struct kunit *test)
{
	const struct msg_case *c = test->param_value;
	const struct pvbus_msg_spec *spec = NULL;
	size_t alloc = max_t(size_t, c->len, HDR + 8);
	struct pvbus_msg_hdr *hdr;
	int ret;

	hdr = kunit_kzalloc(test, alloc, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hdr);

	if (c->len >= HDR || alloc >= HDR) {
		hdr->type = cpu_to_le16(c->type);
		hdr->version = cpu_to_le16(c->version);
		hdr->flags = cpu_to_le32(c->flags);
		hdr->len = cpu_to_le32(c->hdr_len < 0 ? c->len : c->hdr_len);
		if (c->type == T_ARRAY)
			*(__le32 *)(hdr + 1) = cpu_to_le32(c->count);
	}

	ret = pvbus_msg_validate(hdr, c->len, test_specs,
				 ARRAY_SIZE(test_specs), &spec);
	KUNIT_EXPECT_EQ(test, ret, c->expect);
	if (!c->expect) {
		KUNIT_ASSERT_NOT_NULL(test, spec);
		KUNIT_EXPECT_EQ(test, spec->type, c->type);
	}
}

static void msg_validate_null(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(NULL, HDR, test_specs,
						 ARRAY_SIZE(test_specs), NULL),
			-EMSGSIZE);
}

static void msg_validate_no_specs(struct kunit *test)
{
	struct pvbus_msg_hdr hdr;

	pvbus_msg_init(&hdr, T_EMPTY, V10, sizeof(hdr));
	KUNIT_EXPECT_EQ(test, pvbus_msg_validate(&hdr, sizeof(hdr), NULL, 0,
						 NULL), -EPROTO);
}

static void msg_init_fills_header(struct kunit *test)
{
	struct pvbus_msg_hdr hdr;

	memset(&hdr, 0xa5, sizeof(hdr));
	pvbus_msg_init(&hdr, T_FIXED, V11, HDR + 8);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr.type), T_FIXED);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr.version), V11);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr.len), (u32)(HDR + 8));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(hdr.trans_id), 0ULL);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr.status), 0U);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr.flags), 0U);
}

static void msg_header_is_24_bytes(struct kunit *test)
{
	/* The wire format is fixed; a change here breaks every host. */
	KUNIT_EXPECT_EQ(test, sizeof(struct pvbus_msg_hdr), (size_t)24);
	KUNIT_EXPECT_EQ(test, sizeof(struct pvbus_msg_ping), (size_t)32);
}

struct specs_case {
	const char *name;
	struct pvbus_msg_spec spec[2];
	unsigned int n;
	bool no_table;
	int expect;
};

#define SPEC(t, fixed, elem, off)					\
	{ .type = (t), .min_version = V10, .max_version = V11,		\
	  .fixed_len = (fixed), .elem_len = (elem), .count_off = (off),	\
	  .max_count = 4 }

static const struct specs_case specs_cases[] = {
	{ "no types", {}, 0, true, 0 },
	{ "fixed and array types", { SPEC(T_FIXED, 8, 0, 0),
				     SPEC(T_ARRAY, 8, 16, 4) }, 2, false, 0 },
	{ "types and no table", {}, 1, true, -EINVAL },
	{ "a bus type", { SPEC(PVBUS_MSG_PING, 8, 0, 0) }, 1, false, -EINVAL },
	{ "a type listed twice", { SPEC(T_FIXED, 8, 0, 0),
				   SPEC(T_FIXED, 16, 0, 0) }, 2, false,
	  -EINVAL },
	{ "versions out of order",
	  { { .type = T_FIXED, .min_version = V11, .max_version = V10 } }, 1,
	  false, -EINVAL },
	{ "fixed part over the largest message",
	  { SPEC(T_FIXED, PVBUS_MSG_MAX_LEN, 0, 0) }, 1, false, -EINVAL },
	{ "count past the fixed part", { SPEC(T_ARRAY, 8, 16, 8) }, 1, false,
	  -EINVAL },
	{ "count across the fixed part's end", { SPEC(T_ARRAY, 8, 16, 5) }, 1,
	  false, -EINVAL },
	{ "count offset huge", { SPEC(T_ARRAY, 8, 16, 0xfffffffe) }, 1, false,
	  -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(specs, specs_cases, name);

static void msg_specs_check_cases(struct kunit *test)
{
	const struct specs_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, pvbus_msg_specs_check(c->no_table ? NULL :
						    c->spec, c->n),
			c->expect);
}

static const struct pvbus_device_id specs_test_ids[] = {
	{ .class = GUID_INIT(0x7c1d2e3f, 0x4a5b, 0x4c6d, 0x8e, 0x9f,
			     0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f) },
	{ }
};

static int specs_test_probe(struct pvbus_device *pdev,
			    const struct pvbus_device_id *id)
{
	return -ENODEV;
}

/* A driver whose table is malformed is refused when it registers. */
static void msg_specs_bad_driver_refused(struct kunit *test)
{
	static const struct pvbus_msg_spec twice[] = {
		SPEC(T_FIXED, 8, 0, 0), SPEC(T_FIXED, 8, 0, 0),
	};
	static struct pvbus_driver drv = {
		.driver		= { .name = "pvbus_msg_specs_test" },
		.id_table	= specs_test_ids,
		.probe		= specs_test_probe,
		.msg_specs	= twice,
		.nr_msg_specs	= ARRAY_SIZE(twice),
	};
	int ret = pvbus_driver_register(&drv);

	if (!ret)
		pvbus_driver_unregister(&drv);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
}

static struct kunit_case pvbus_msg_test_cases[] = {
	KUNIT_CASE_PARAM(msg_validate_cases, msg_gen_params),
	KUNIT_CASE(msg_validate_null),
	KUNIT_CASE(msg_validate_no_specs),
	KUNIT_CASE(msg_init_fills_header),
	KUNIT_CASE(msg_header_is_24_bytes),
	KUNIT_CASE_PARAM(msg_specs_check_cases, specs_gen_params),
	KUNIT_CASE(msg_specs_bad_driver_refused),
	{}
};

static struct kunit_suite pvbus_msg_test_suite = {
	.name = "pvbus_msg",
	.test_cases = pvbus_msg_test_cases,
};

kunit_test_suite(pvbus_msg_test_suite);

MODULE_DESCRIPTION("KUnit tests for the pvbus wire format validator");
MODULE_AUTHOR("The pvbus developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
