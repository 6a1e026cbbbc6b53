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

/* Where the program headers are, if @eh is a valid 64-bit core header. */
static bool pvbus_fw_elfcore64(const struct elf64_hdr *eh,
			       struct pvbus_fw_elfcore *core)
{
	if (eh->e_type != ET_CORE ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || !eh->e_phnum ||
	    eh->e_phoff < sizeof(*eh) || eh->e_phoff > SZ_1M)
		return false;
	core->phoff = eh->e_phoff;
	core->listed = eh->e_phnum;
	core->phnum = min_t(unsigned int, eh->e_phnum, PVBUS_FW_MAX_PHDRS);
	core->len = (size_t)core->phnum * sizeof(struct elf64_phdr);
	return true;
}

/* The same for a 32-bit one (kexec --elf32-core-headers). */
static bool pvbus_fw_elfcore32(const struct elf32_hdr *eh,
			       struct pvbus_fw_elfcore *core)
{
	if (eh->e_type != ET_CORE ||
	    eh->e_phentsize != sizeof(struct elf32_phdr) || !eh->e_phnum ||
	    eh->e_phoff < sizeof(*eh) || eh->e_phoff > SZ_1M)
		return false;
	core->phoff = eh->e_phoff;
	core->listed = eh->e_phnum;
	core->phnum = min_t(unsigned int, eh->e_phnum, PVBUS_FW_MAX_PHDRS);
	core->len = (size_t)core->phnum * sizeof(struct elf32_phdr);
	return true;
}

/**
 * pvbus_fw_elfcore_phdrs() - where the program headers of an ELF core are
 * @hdr: the start of the file, as read
 * @len: bytes of it at @hdr
 * @core: where they are, and the file's class
 *
 * Of more than %PVBUS_FW_MAX_PHDRS program headers, only the first that
 * many are to be read: @core->listed says how many the file lists.
 *
 * Return: 0; -EINVAL if @hdr is not the whole header of a 64-bit or 32-bit
 * ELF core file with program headers of the size of its class, within
 * 1 MiB of it.
 */
int pvbus_fw_elfcore_phdrs(const void *hdr, size_t len,
			   struct pvbus_fw_elfcore *core)
{
	const unsigned char *ident = hdr;
	bool ok = false;

	if (len < EI_NIDENT || memcmp(ident, ELFMAG, SELFMAG))
		return -EINVAL;
	core->class = ident[EI_CLASS];
	if (core->class == ELFCLASS64 && len >= sizeof(struct elf64_hdr))
		ok = pvbus_fw_elfcore64(hdr, core);
	else if (core->class == ELFCLASS32 && len >= sizeof(struct elf32_hdr))
		ok = pvbus_fw_elfcore32(hdr, core);
	return ok ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(pvbus_fw_elfcore_phdrs);

/* Store [@start, @start + @size - 1], cut at the end of the space. */
static void pvbus_fw_old_ram(struct pvbus_range *out, u64 start, u64 size)
{
	out->start = start;
	out->size = size;
	/* Only a start above 0 can wrap: the size stays above 0. */
	if (pvbus_fw_check_range(out) != PVBUS_FW_OK)
		out->size = U64_MAX - start + 1;
}

/**
 * pvbus_fw_elfcore_ram() - the RAM an ELF core's program headers describe
 * @core: what pvbus_fw_elfcore_phdrs() found
 * @ph: the @core->phnum program headers, of @core->class
 * @out: where the ranges go; room for @core->phnum
 *
 * The PT_LOAD headers of the ELF core a kdump kernel is given describe,
 * by physical address, the crashed kernel's RAM.  Empty ones are skipped;
 * one whose end wraps reaches to the end of the address space.
 *
 * Return: the number of ranges stored.
 */
unsigned int pvbus_fw_elfcore_ram(const struct pvbus_fw_elfcore *core,
				  const void *ph, struct pvbus_range *out)
{
	const struct elf64_phdr *ph64 = ph;
	const struct elf32_phdr *ph32 = ph;
	unsigned int i, nr = 0;

	for (i = 0; i < core->phnum; i++) {
		if (core->class == ELFCLASS64) {
			if (ph64[i].p_type != PT_LOAD || !ph64[i].p_memsz)
				continue;
			pvbus_fw_old_ram(&out[nr++], ph64[i].p_paddr,
					 ph64[i].p_memsz);
		} else {
			if (ph32[i].p_type != PT_LOAD || !ph32[i].p_memsz)
				continue;
			pvbus_fw_old_ram(&out[nr++], ph32[i].p_paddr,
					 ph32[i].p_memsz);
		}
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
	union {
		struct elf64_hdr e64;
		struct elf32_hdr e32;
	} eh;
	struct pvbus_fw_elfcore core;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	void *ph;
	int ret = 0;

	if (!is_kdump_kernel())
		return 0;

	f = filp_open("/proc/vmcore", O_RDONLY, 0);
	if (IS_ERR(f)) {
		dev_warn(dev, "kdump: cannot open /proc/vmcore (%ld): windows not checked against the crashed kernel's RAM\n",
			 PTR_ERR(f));
		return 0;
	}
	/* A 32-bit header is shorter: it is followed by more of the file. */
	n = kernel_read(f, &eh, sizeof(eh), &pos);
	if (n < 0 || pvbus_fw_elfcore_phdrs(&eh, n, &core)) {
		dev_warn(dev, "kdump: /proc/vmcore has no valid ELF header: windows not checked against the crashed kernel's RAM\n");
		goto out;
	}

	if (core.listed > core.phnum)
		dev_warn(dev, "kdump: /proc/vmcore lists %u%s program headers, more than %u: the crashed kernel's RAM past the first %u is not checked\n",
			 core.listed, core.listed == PN_XNUM ? " or more" : "",
			 PVBUS_FW_MAX_PHDRS, core.phnum);

	ph = kvmalloc(core.len, GFP_KERNEL);
	*ram = kvcalloc(core.phnum, sizeof(**ram), GFP_KERNEL);
	if (!ph || !*ram) {
		kvfree(ph);
		kvfree(*ram);
		*ram = NULL;
		ret = -ENOMEM;
		goto out;
	}
	pos = core.phoff;
	n = kernel_read(f, ph, core.len, &pos);
	if (n != core.len) {
		dev_warn(dev, "kdump: cannot read the ELF program headers of /proc/vmcore (%zd): windows not checked against the crashed kernel's RAM\n",
			 n);
	} else {
		ret = pvbus_fw_elfcore_ram(&core, ph, *ram);
		if (ret)
			dev_info(dev, "kdump: the crashed kernel's RAM is %d range%s (/proc/vmcore, a %u-bit ELF core header): no window goes over it\n",
				 ret, ret == 1 ? "" : "s",
				 core.class == ELFCLASS32 ? 32 : 64);
		else
			dev_warn(dev, "kdump: the first %u program headers of /proc/vmcore list none of the crashed kernel's RAM: windows not checked against it\n",
				 core.phnum);
	}
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
