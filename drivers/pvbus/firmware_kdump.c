// SPDX-License-Identifier: GPL-2.0
/*
 * pvbus: the crashed kernel's RAM, in a kdump kernel.  There that RAM is
 * not System RAM: it is not in iomem at all and looks free, so a window
 * firmware (or a stale description) puts over it would be taken.  The
 * program headers of /proc/vmcore's ELF core header list it; firmware.c
 * refuses windows over it.  The header is the crashed kernel's, so it is
 * read as untrusted input: bounded, checked, then used.
 *
 * Copyright (C) 2026 The pvbus developers
 */

#include <kunit/visibility.h>
#include <linux/crash_dump.h>
#include <linux/device.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pvbus_driver.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwfb.h"
#include "pvbus_internal.h"

/**
 * pvbus_fw_elfcore_phdrs() - where the program headers of an ELF core are
 * @eh: the ELF header, as read
 * @off: offset of the program headers from the ELF header
 * @len: their length in bytes
 *
 * Return: 0; -EINVAL if @eh is not the header of a 64-bit ELF core file
 * with 1 to %PVBUS_FW_MAX_PHDRS program headers of the expected size,
 * within 1 MiB of it.
 */
int pvbus_fw_elfcore_phdrs(const struct elf64_hdr *eh, u64 *off, size_t *len)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_CORE ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || !eh->e_phnum ||
	    eh->e_phnum > PVBUS_FW_MAX_PHDRS ||
	    eh->e_phoff < sizeof(*eh) || eh->e_phoff > SZ_1M)
		return -EINVAL;
	*off = eh->e_phoff;
	*len = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_elfcore_phdrs);

/**
 * pvbus_fw_elfcore_ram() - the RAM an ELF core's program headers describe
 * @ph: the program headers
 * @n: how many
 * @out: where the ranges go; room for @n
 *
 * The PT_LOAD headers of the ELF core a kdump kernel is given describe,
 * by physical address, the crashed kernel's RAM.  Empty ones are skipped;
 * one whose end wraps reaches to the end of the address space.
 *
 * Return: the number of ranges stored.
 */
unsigned int pvbus_fw_elfcore_ram(const struct elf64_phdr *ph, unsigned int n,
				  struct pvbus_range *out)
{
	unsigned int i, nr = 0;

	for (i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		out[nr].start = ph[i].p_paddr;
		out[nr].size = ph[i].p_memsz;
		/* Only a start above 0 can wrap: the size stays above 0. */
		if (pvbus_fw_check_range(&out[nr]) != PVBUS_FW_OK)
			out[nr].size = U64_MAX - out[nr].start + 1;
		nr++;
	}
	return nr;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_elfcore_ram);

#ifdef CONFIG_CRASH_DUMP
/*
 * In a kdump kernel the crashed kernel's RAM is not System RAM: it is not
 * in iomem at all and looks free.  The ELF core header the kdump kernel
 * was given lists it, but vmcore_init() forgets its address once it has
 * built /proc/vmcore, whose own header keeps the PT_LOADs' physical
 * addresses: read that.  A header that cannot be read is reported and
 * adds nothing: the windows are still checked against iomem.
 */
int pvbus_fw_read_old_ram(struct device *dev, struct pvbus_range **ram)
{
	struct elf64_phdr *ph;
	struct elf64_hdr eh;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	size_t len;
	u64 off;
	int ret = 0;

	if (!is_kdump_kernel())
		return 0;

	f = filp_open("/proc/vmcore", O_RDONLY, 0);
	if (IS_ERR(f)) {
		dev_warn(dev, "kdump: cannot open /proc/vmcore (%ld): windows not checked against the crashed kernel's RAM\n",
			 PTR_ERR(f));
		return 0;
	}
	n = kernel_read(f, &eh, sizeof(eh), &pos);
	if (n != sizeof(eh) || pvbus_fw_elfcore_phdrs(&eh, &off, &len)) {
		dev_warn(dev, "kdump: /proc/vmcore has no valid ELF header: windows not checked against the crashed kernel's RAM\n");
		goto out;
	}

	ph = kvmalloc(len, GFP_KERNEL);
	*ram = kcalloc(eh.e_phnum, sizeof(**ram), GFP_KERNEL);
	if (!ph || !*ram) {
		kvfree(ph);
		kfree(*ram);
		*ram = NULL;
		ret = -ENOMEM;
		goto out;
	}
	pos = off;
	n = kernel_read(f, ph, len, &pos);
	if (n != len)
		dev_warn(dev, "kdump: cannot read the ELF program headers of /proc/vmcore (%zd): windows not checked against the crashed kernel's RAM\n",
			 n);
	else
		ret = pvbus_fw_elfcore_ram(ph, eh.e_phnum, *ram);
	kvfree(ph);
out:
	filp_close(f, NULL);
	return ret;
}
#else
int pvbus_fw_read_old_ram(struct device *dev, struct pvbus_range **ram)
{
	return 0;
}
#endif
