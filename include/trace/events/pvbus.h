/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of pvbus.ko: the MMIO allocator's allocations and frees,
 * reservations made and dropped, hosts attached and detached.
 * Documentation/admin-guide/pvbus-debugging.rst says how to use them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pvbus

#if !defined(_TRACE_PVBUS_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_PVBUS_H

#include <linux/pvbus_mmio.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

/* The enums by name in the format files, for trace-cmd and perf. */
TRACE_DEFINE_ENUM(PVBUS_MMIO_LOW);
TRACE_DEFINE_ENUM(PVBUS_MMIO_HIGH);
TRACE_DEFINE_ENUM(PVBUS_MMIO_PREFER_HIGH);
TRACE_DEFINE_ENUM(PVBUS_MMIO_ANY);
TRACE_DEFINE_ENUM(PVBUS_RSV_FRAMEBUFFER);
TRACE_DEFINE_ENUM(PVBUS_RSV_FIRMWARE);
TRACE_DEFINE_ENUM(PVBUS_RSV_HOST);

#define show_pvbus_zone(zone)					\
	__print_symbolic(zone,					\
			 { PVBUS_MMIO_LOW, "low" },		\
			 { PVBUS_MMIO_HIGH, "high" },		\
			 { PVBUS_MMIO_PREFER_HIGH, "prefer_high" }, \
			 { PVBUS_MMIO_ANY, "any" })

#define show_pvbus_rsv(kind)					\
	__print_symbolic(kind,					\
			 { PVBUS_RSV_FRAMEBUFFER, "framebuffer" }, \
			 { PVBUS_RSV_FIRMWARE, "firmware" },	\
			 { PVBUS_RSV_HOST, "host" })

/*
 * An allocation: @start and @end are 0 when it failed, and @ret is then
 * the error (-ENOSPC: nothing fits).
 */
TRACE_EVENT(pvbus_mmio_alloc,
	    TP_PROTO(const char *space, const char *name, int zone, u64 size,
		     u64 align, u64 start, u64 end, int ret),
	    TP_ARGS(space, name, zone, size, align, start, end, ret),
	    TP_STRUCT__entry(__string(space, space)
			     __string(name, name)
			     __field(int, zone)
			     __field(u64, size)
			     __field(u64, align)
			     __field(u64, start)
			     __field(u64, end)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(space, space);
			   __assign_str(name, name);
			   __entry->zone = zone;
			   __entry->size = size;
			   __entry->align = align;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->ret = ret;),
	    TP_printk("%s: %s zone=%s size=%#llx align=%#llx range=%#llx-%#llx ret=%d",
		      __get_str(space), __get_str(name),
		      show_pvbus_zone(__entry->zone), __entry->size,
		      __entry->align, __entry->start, __entry->end, __entry->ret)
);

TRACE_EVENT(pvbus_mmio_free,
	    TP_PROTO(const char *space, const char *name, u64 start, u64 end,
		     int ret),
	    TP_ARGS(space, name, start, end, ret),
	    TP_STRUCT__entry(__string(space, space)
			     __string(name, name)
			     __field(u64, start)
			     __field(u64, end)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(space, space);
			   __assign_str(name, name);
			   __entry->start = start;
			   __entry->end = end;
			   __entry->ret = ret;),
	    TP_printk("%s: %s range=%#llx-%#llx ret=%d", __get_str(space),
		      __get_str(name), __entry->start, __entry->end, __entry->ret)
);

/* A reservation added (@add) or dropped; @source names who asked. */
DECLARE_EVENT_CLASS(pvbus_rsv_class,
		    TP_PROTO(const char *space, int kind, const char *source, u64 start,
			     u64 end, int ret),
		    TP_ARGS(space, kind, source, start, end, ret),
		    TP_STRUCT__entry(__string(space, space)
				     __field(int, kind)
				     __string(source, source)
				     __field(u64, start)
				     __field(u64, end)
				     __field(int, ret)),
		    TP_fast_assign(__assign_str(space, space);
				   __entry->kind = kind;
				   __assign_str(source, source);
				   __entry->start = start;
				   __entry->end = end;
				   __entry->ret = ret;),
		    TP_printk("%s: kind=%s source=\"%s\" range=%#llx-%#llx ret=%d",
			      __get_str(space), show_pvbus_rsv(__entry->kind),
			      __get_str(source), __entry->start, __entry->end,
			      __entry->ret)
);

DEFINE_EVENT(pvbus_rsv_class, pvbus_rsv_add,
	     TP_PROTO(const char *space, int kind, const char *source, u64 start,
		      u64 end, int ret),
	     TP_ARGS(space, kind, source, start, end, ret)
);

DEFINE_EVENT(pvbus_rsv_class, pvbus_rsv_remove,
	     TP_PROTO(const char *space, int kind, const char *source, u64 start,
		      u64 end, int ret),
	     TP_ARGS(space, kind, source, start, end, ret)
);

/*
 * A host attached to a bus root (@ret 0), or refused there: -EBUSY when
 * another host is attached, the backend's error from connect(), -EPROTO
 * when it reported more ranges than asked for, -ENOMEM.  @nr_rsv is how
 * many ranges the host reported at connect ("reserved=" in the output;
 * 0 when it did not connect), not how many of them could be reserved.  A
 * host with no bus root to attach to is not traced: there is no root.
 */
TRACE_EVENT(pvbus_host_attach,
	    TP_PROTO(const char *root, const char *host, int nr_rsv, int ret),
	    TP_ARGS(root, host, nr_rsv, ret),
	    TP_STRUCT__entry(__string(root, root)
			     __string(host, host)
			     __field(int, nr_rsv)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(root, root);
			   __assign_str(host, host);
			   __entry->nr_rsv = nr_rsv;
			   __entry->ret = ret;),
	    TP_printk("%s: host=%s reserved=%d ret=%d", __get_str(root),
		      __get_str(host), __entry->nr_rsv, __entry->ret)
);

TRACE_EVENT(pvbus_host_detach,
	    TP_PROTO(const char *root, const char *host),
	    TP_ARGS(root, host),
	    TP_STRUCT__entry(__string(root, root)
			     __string(host, host)),
	    TP_fast_assign(__assign_str(root, root);
			   __assign_str(host, host);),
	    TP_printk("%s: host=%s", __get_str(root), __get_str(host))
);

#endif /* _TRACE_PVBUS_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
