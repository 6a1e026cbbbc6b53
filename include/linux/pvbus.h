/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvbus: a paravirtual bus for virtual machines.
 *
 * The public interface of pvbus.ko, one header per audience:
 *
 * - <linux/pvbus_mmio.h>: the MMIO allocator, a library over struct
 *   resource that knows nothing of buses or PCI;
 * - <linux/pvbus_driver.h>: the bus, its devices and their drivers, and
 *   the channels drivers talk to the host through;
 * - <linux/pvbus_host.h>: host backends, what plays the hypervisor's side;
 * - <linux/pvbus_wire.h>: the wire format of the messages (and
 *   <linux/pvbus_pci.h>, the protocol of the PCI class).
 *
 * Including this header gets the first three.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _LINUX_PVBUS_H
#define _LINUX_PVBUS_H

#include <linux/pvbus_driver.h>
#include <linux/pvbus_host.h>
#include <linux/pvbus_mmio.h>

#endif /* _LINUX_PVBUS_H */
