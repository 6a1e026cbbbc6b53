/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-pvbus: the config window placed as old paravirtual PCI front-ends
 * placed it (cfg_window=legacy), kept only to reproduce the field failure.
 *
 * Copyright (C) 2026 The pvbus developers
 */
#ifndef _PCI_PVBUS_LEGACY_H
#define _PCI_PVBUS_LEGACY_H

#include <linux/ioport.h>
#include <linux/pvbus_driver.h>
#include <linux/types.h>

struct resource *pci_pvbus_legacy_alloc(struct pvbus_device *pdev,
					const struct pvbus_mmio_req *req);
void pci_pvbus_legacy_free(struct resource *res);

#if IS_ENABLED(CONFIG_KUNIT)
/* Where the bus's allocator leaves room: pvbus_device_mmio_find() or so. */
typedef int (*pci_pvbus_legacy_find_t)(void *ctx,
				       const struct pvbus_mmio_req *req,
				       resource_size_t *start);

struct resource *__pci_pvbus_legacy_alloc(pci_pvbus_legacy_find_t find,
					  void *ctx,
					  const struct pvbus_mmio_req *req,
					  unsigned int *turns);
#endif

#endif /* _PCI_PVBUS_LEGACY_H */
