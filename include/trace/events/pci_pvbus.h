/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of pci-pvbus.ko: where a bus's config window went, D0 entry
 * and exit with the host's answer, the lists of functions received, and
 * ejects.  Documentation/admin-guide/pvbus-debugging.rst says how to use
 * them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pci_pvbus

#if !defined(_TRACE_PCI_PVBUS_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_PCI_PVBUS_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/* A config window placed (@ret 0) or not; @mode is cfg_window's value. */
TRACE_EVENT(pci_pvbus_cfg_window,
	    TP_PROTO(const char *bus, const char *mode, u64 start, u64 end,
		     int ret),
	    TP_ARGS(bus, mode, start, end, ret),
	    TP_STRUCT__entry(__string(bus, bus)
			     __string(mode, mode)
			     __field(u64, start)
			     __field(u64, end)
			     __field(int, ret)),
	    TP_fast_assign(__assign_str(bus, bus);
			   __assign_str(mode, mode);
			   __entry->start = start;
			   __entry->end = end;
			   __entry->ret = ret;),
	    TP_printk("%s: cfg_window=%s range=%#llx-%#llx ret=%d",
		      __get_str(bus), __get_str(mode), __entry->start,
		      __entry->end, __entry->ret)
);

/*
 * D0 entry with the config window at @cfg_start: @ret 0, or -EREMOTEIO
 * with the host's @status when it refused; D0 exit likewise.
 */
TRACE_EVENT(pci_pvbus_d0_entry,
	    TP_PROTO(const char *bus, u64 cfg_start, int ret, u32 status),
	    TP_ARGS(bus, cfg_start, ret, status),
	    TP_STRUCT__entry(__string(bus, bus)
			     __field(u64, cfg_start)
			     __field(int, ret)
			     __field(u32, status)),
	    TP_fast_assign(__assign_str(bus, bus);
			   __entry->cfg_start = cfg_start;
			   __entry->ret = ret;
			   __entry->status = status;),
	    TP_printk("%s: cfg=%#llx ret=%d status=%#x", __get_str(bus),
		      __entry->cfg_start, __entry->ret, __entry->status)
);

TRACE_EVENT(pci_pvbus_d0_exit,
	    TP_PROTO(const char *bus, int ret, u32 status),
	    TP_ARGS(bus, ret, status),
	    TP_STRUCT__entry(__string(bus, bus)
			     __field(int, ret)
			     __field(u32, status)),
	    TP_fast_assign(__assign_str(bus, bus);
			   __entry->ret = ret;
			   __entry->status = status;),
	    TP_printk("%s: ret=%d status=%#x", __get_str(bus), __entry->ret,
		      __entry->status)
);

/*
 * A list of functions received and applied: @nr listed, @added new to
 * the guest, @removed gone from it.
 */
TRACE_EVENT(pci_pvbus_relations,
	    TP_PROTO(const char *bus, unsigned int nr, unsigned int added,
		     unsigned int removed),
	    TP_ARGS(bus, nr, added, removed),
	    TP_STRUCT__entry(__string(bus, bus)
			     __field(unsigned int, nr)
			     __field(unsigned int, added)
			     __field(unsigned int, removed)),
	    TP_fast_assign(__assign_str(bus, bus);
			   __entry->nr = nr;
			   __entry->added = added;
			   __entry->removed = removed;),
	    TP_printk("%s: listed=%u added=%u removed=%u", __get_str(bus),
		      __entry->nr, __entry->added, __entry->removed)
);

/* The host ejected @devfn; @found: the guest had it. */
TRACE_EVENT(pci_pvbus_eject,
	    TP_PROTO(const char *bus, u32 devfn, bool found),
	    TP_ARGS(bus, devfn, found),
	    TP_STRUCT__entry(__string(bus, bus)
			     __field(u32, devfn)
			     __field(bool, found)),
	    TP_fast_assign(__assign_str(bus, bus);
			   __entry->devfn = devfn;
			   __entry->found = found;),
	    TP_printk("%s: devfn=%02x.%x found=%d", __get_str(bus),
		      __entry->devfn >> 3, __entry->devfn & 7, __entry->found)
);

#endif /* _TRACE_PCI_PVBUS_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
