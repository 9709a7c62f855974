/* SPDX-License-Identifier: MIT */
/* payload.c - owns payload files: reading, header checks, layout checks. */
#include "payload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irqchip.h"
#include "minivmm_abi.h"
#include "names.h"

#define PAGE_MASK 0xfffULL

/* What st_mode says a file is, for a file that is not a regular one. */
static const char *file_kind(mode_t mode)
{
	return S_ISDIR(mode)    ? "a directory"
	       : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISCHR(mode)  ? "a character device"
	       : S_ISBLK(mode)  ? "a block device"
	       : S_ISSOCK(mode) ? "a socket"
				: "not a regular file";
}

/*
 * Whether fd, open on path, is a regular file no larger than low RAM can
 * hold, by fstat: a FIFO or a device is refused before anything is read
 * (the open was O_NONBLOCK, so a FIFO without a writer did not block
 * either), a huge or sparse file before it is read whole.
 */
static bool check_file(int fd, const char *path, const char *what, struct errbuf *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		errbuf_set(err, "cannot stat %s %s: %s", what, path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(err, "%s %s is %s, not a regular file", what, path,
			   file_kind(st.st_mode));
		return false;
	}
	if ((uint64_t)st.st_size > MVM_LOW_RAM_MAX) {
		errbuf_set(err, "%s %s is larger than the largest low RAM (%llu bytes)", what,
			   path, (unsigned long long)MVM_LOW_RAM_MAX);
		return false;
	}
	return true;
}

/* The whole file at path into *data (malloc'd, also on failure); what names it. */
static bool read_all(const char *path, const char *what, uint8_t **data, size_t *size,
		     struct errbuf *err)
{
	size_t cap = 1 << 16;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*size = 0;
	*data = NULL;
	if (fd < 0) {
		errbuf_set(err, "cannot open %s %s: %s", what, path, strerror(errno));
		return false;
	}
	if (!check_file(fd, path, what, err)) {
		close(fd);
		return false;
	}
	*data = malloc(cap);
	if (!*data) {
		errbuf_set(err, "cannot read %s %s: out of memory", what, path);
		close(fd);
		return false;
	}
	for (;;) {
		ssize_t n;

		if (*size == cap) {
			/* The file grew past what fstat said: the same limit holds. */
			uint8_t *bigger = cap > MVM_LOW_RAM_MAX ? NULL : realloc(*data, cap * 2);

			if (!bigger) {
				errbuf_set(err,
					   "%s %s is larger than the largest low RAM "
					   "(%llu bytes)",
					   what, path, (unsigned long long)MVM_LOW_RAM_MAX);
				break;
			}
			*data = bigger;
			cap *= 2;
		}
		n = read(fd, *data + *size, cap - *size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			errbuf_set(err, "cannot read %s %s: %s", what, path, strerror(errno));
		if (n <= 0) {
			close(fd);
			return n == 0;
		}
		*size += n;
	}
	close(fd);
	return false;
}

bool payload_read(const char *path, struct payload *p, struct errbuf *err)
{
	memset(p, 0, sizeof(*p));
	p->name = path;
	return read_all(path, "payload", &p->data, &p->size, err);
}

bool payload_read_initrd(const char *path, struct payload *p, struct errbuf *err)
{
	return read_all(path, "--initrd", &p->initrd, &p->boot.initrd_size, err);
}

void payload_free(struct payload *p)
{
	free(p->data);
	free(p->initrd);
	p->data = p->initrd = NULL;
}

static bool parse_header(struct payload *p, struct errbuf *err)
{
	struct mvm_header h;

	if (p->size < MVM_HEADER_SIZE) {
		errbuf_set(err, "%s: truncated payload header: %zu of %d bytes", p->name, p->size,
			   MVM_HEADER_SIZE);
		return false;
	}
	memcpy(&h, p->data, sizeof(h));
	if (h.abi_version != MVM_ABI_VERSION)
		errbuf_set(err, "%s: payload ABI version %u, minivmm speaks %u", p->name,
			   h.abi_version, MVM_ABI_VERSION);
	else if (h.header_size != MVM_HEADER_SIZE)
		errbuf_set(err, "%s: header_size %u, expected %u", p->name, h.header_size,
			   MVM_HEADER_SIZE);
	else if (h.mode >= MVM_MODE_COUNT)
		errbuf_set(err, "%s: unknown start mode %u in header", p->name, h.mode);
	else if (h.flags & ~MVM_FLAGS_KNOWN)
		errbuf_set(err, "%s: unknown header flags 0x%x", p->name,
			   h.flags & ~MVM_FLAGS_KNOWN);
	else if (h.irqchip >= MVM_IRQCHIP_COUNT)
		errbuf_set(err, "%s: unknown irqchip %u in header", p->name, h.irqchip);
	else if (h.vcpus > MVM_VCPUS_MAX)
		errbuf_set(err, "%s: header asks for %u vCPUs, minivmm runs at most %d", p->name,
			   h.vcpus, MVM_VCPUS_MAX);
	else if (h.reserved)
		errbuf_set(err, "%s: reserved header field is 0x%x, must be 0", p->name,
			   h.reserved);
	else {
		p->has_header = true;
		p->flags = h.flags;
		p->vcpus = h.vcpus ? h.vcpus : 1;
		p->irqchip = h.irqchip;
		p->mode = h.mode;
		p->load = h.load_gpa;
		p->entry = h.entry_gpa;
		p->mem_size = h.mem_size ? h.mem_size : MVM_DEFAULT_MEM_SIZE;
		return true;
	}
	return false;
}

/* APs wait for INIT/SIPI, which only an in-kernel LAPIC delivers. */
static bool check_vcpus(const struct payload *p, struct errbuf *err)
{
	if (p->vcpus > 1 && p->irqchip == MVM_IRQCHIP_NONE) {
		errbuf_set(err, "%u vCPUs need an interrupt controller (--irqchip kernel): the "
				"APs wait for INIT/SIPI from the in-kernel LAPIC", p->vcpus);
		return false;
	}
	return true;
}

static bool check_mem(const struct payload *p, struct errbuf *err)
{
	if (p->mem_size & PAGE_MASK)
		errbuf_set(err, "guest memory size 0x%llx is not a multiple of 4 KiB",
			   (unsigned long long)p->mem_size);
	else if (p->mem_size < MVM_MIN_MEM_SIZE || p->mem_size > MVM_MAX_MEM_SIZE)
		errbuf_set(err, "guest memory size 0x%llx is outside [1 MiB, 1 TiB]",
			   (unsigned long long)p->mem_size);
	else
		return true;
	return false;
}

/* Areas the VMM writes before the first KVM_RUN, per mode. */
static bool overlaps_vmm_area(const struct payload *p, struct errbuf *err)
{
	struct {
		uint64_t start, end;
		const char *what;
		bool used;
	} areas[] = {
		{ MVM_GDT_GPA, MVM_GDT_GPA + 0x1000, "GDT and TSS", p->mode != MVM_MODE_REAL },
		{ MVM_PT_GPA, MVM_PT_GPA + MVM_PT_PAGES * 0x1000ULL, "page tables",
		  p->mode >= MVM_MODE_PAGING32 },
		{ MVM_STACK_TOP - MVM_STACK_SIZE, MVM_STACK_TOP, "initial stack",
		  p->mode != MVM_MODE_REAL },
		{ MVM_REAL_STACK_TOP - 0x6000, MVM_REAL_STACK_TOP, "real-mode stack",
		  p->mode == MVM_MODE_REAL },
	};
	uint64_t end = p->load + p->size;

	for (size_t i = 0; i < ARRAY_SIZE(areas); i++) {
		if (areas[i].used && p->load < areas[i].end && areas[i].start < end) {
			errbuf_set(err,
				   "payload [0x%llx, 0x%llx) overlaps the %s the VMM builds "
				   "at [0x%llx, 0x%llx)",
				   (unsigned long long)p->load, (unsigned long long)end,
				   areas[i].what, (unsigned long long)areas[i].start,
				   (unsigned long long)areas[i].end);
			return true;
		}
	}
	return false;
}

/* The image goes into low RAM: at most MVM_LOW_RAM_MAX of the guest's memory. */
static bool check_layout(const struct payload *p, struct errbuf *err)
{
	uint64_t low = p->mem_size < MVM_LOW_RAM_MAX ? p->mem_size : MVM_LOW_RAM_MAX;
	uint64_t end;

	if (__builtin_add_overflow(p->load, (uint64_t)p->size, &end) || end > low)
		errbuf_set(err,
			   "payload (%zu bytes at 0x%llx) does not fit in guest memory "
			   "(0x%llx bytes of low RAM)",
			   p->size, (unsigned long long)p->load, (unsigned long long)low);
	else if (p->entry >= low)
		errbuf_set(err, "entry 0x%llx is outside guest memory (0x%llx bytes of low RAM)",
			   (unsigned long long)p->entry, (unsigned long long)low);
	else if (p->entry < p->load || p->entry >= end)
		errbuf_set(err, "entry 0x%llx is outside the payload image [0x%llx, 0x%llx)",
			   (unsigned long long)p->entry, (unsigned long long)p->load,
			   (unsigned long long)end);
	else if (p->mode == MVM_MODE_REAL && p->entry > 0xffff)
		errbuf_set(err,
			   "real-mode entry 0x%llx must be below 0x10000 "
			   "(segment bases start at 0)",
			   (unsigned long long)p->entry);
	else
		return !overlaps_vmm_area(p, err);
	return false;
}

/* A Multiboot kernel says where it loads and starts; the command line may
 * repeat that (minivmm replay does) but not change it. */
static bool parse_multiboot(struct payload *p, const struct payload_overrides *o,
			    struct errbuf *err)
{
	if (!mb_parse(p->name, p->data, p->size, &p->mb, err))
		return false;
	p->multiboot = true;
	p->mode = MVM_MODE_PROT32;
	p->load = p->mb.start;
	p->entry = p->mb.entry;
	if ((o->mode >= 0 && o->mode != MVM_MODE_PROT32) || (o->has_load && o->load != p->load) ||
	    (o->has_entry && o->entry != p->entry)) {
		errbuf_set(err,
			   "%s: a Multiboot kernel starts in prot32 at its ELF entry 0x%llx "
			   "(loaded from 0x%llx): --mode, --load and --entry cannot move it",
			   p->name, (unsigned long long)p->entry, (unsigned long long)p->load);
		return false;
	}
	p->mem_size = o->has_mem ? o->mem : MB_DEFAULT_MEM_SIZE;
	p->vcpus = o->vcpus ? o->vcpus : 1;
	/* kvm-unit-tests sends INIT/SIPI through the LAPIC even with one CPU. */
	p->irqchip = o->has_irqchip ? o->irqchip : MVM_IRQCHIP_KERNEL;
	p->boot.argv0 = p->name;
	p->boot.append = o->append;
	p->boot.initrd_name = o->initrd;
	p->boot.mem_size = p->mem_size;
	return check_mem(p, err) && check_vcpus(p, err) &&
	       mb_layout(p->name, &p->mb, &p->boot, err);
}

bool payload_parse(struct payload *p, const struct payload_overrides *o, struct errbuf *err)
{
	uint32_t magic = 0;

	if (p->size == 0) {
		errbuf_set(err, "payload %s is empty", p->name);
		return false;
	}
	if (mb_is_elf(p->data, p->size))
		return parse_multiboot(p, o, err);
	if (o->append || o->initrd) {
		errbuf_set(err,
			   "%s: --append and --initrd are for Multiboot kernels (ELF32), "
			   "not payloads",
			   p->name);
		return false;
	}
	if (p->size >= 4)
		memcpy(&magic, p->data, 4);
	if (magic == MVM_MAGIC) {
		if (!parse_header(p, err))
			return false;
	} else {
		p->has_header = false;
		p->mode = MVM_MODE_REAL;
		p->load = p->entry = MVM_RAW_LOAD_GPA;
		p->mem_size = MVM_DEFAULT_MEM_SIZE;
		p->vcpus = 1;
		p->irqchip = MVM_IRQCHIP_NONE;
	}
	p->hdr.mode = p->mode;
	p->hdr.load = p->load;
	p->hdr.entry = p->entry;
	p->hdr.mem_size = p->mem_size;
	p->hdr.vcpus = p->vcpus;
	p->hdr.irqchip = p->irqchip;
	if (o->mode >= 0)
		p->mode = o->mode;
	if (o->has_load)
		p->load = o->load;
	if (o->has_entry)
		p->entry = o->entry;
	else if (o->has_load && !p->has_header)
		p->entry = o->load; /* a raw image is entered where it is loaded */
	if (o->has_mem)
		p->mem_size = o->mem;
	if (o->vcpus)
		p->vcpus = o->vcpus;
	if (o->has_irqchip)
		p->irqchip = o->irqchip;
	return check_mem(p, err) && check_layout(p, err) && check_vcpus(p, err);
}

uint64_t payload_hash(const struct payload *p)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < p->size; i++)
		h = (h ^ p->data[i]) * 0x100000001b3ull;
	return h;
}

int payload_override_notes(const struct payload *p, const struct payload_overrides *o,
			   char notes[PAYLOAD_NOTES_MAX][PAYLOAD_NOTE_LEN])
{
	int n = 0;

	if (!p->has_header)
		return 0;
	if (o->mode >= 0 && o->mode != p->hdr.mode)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--mode %s overrides the payload header's mode %s", mvm_mode_name(o->mode),
			 mvm_mode_name(p->hdr.mode));
	if (o->has_load && o->load != p->hdr.load)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--load 0x%llx overrides the payload header's load 0x%llx",
			 (unsigned long long)o->load, (unsigned long long)p->hdr.load);
	if (o->has_entry && o->entry != p->hdr.entry)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--entry 0x%llx overrides the payload header's entry 0x%llx",
			 (unsigned long long)o->entry, (unsigned long long)p->hdr.entry);
	if (o->has_mem && o->mem != p->hdr.mem_size)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--mem 0x%llx overrides the payload header's mem 0x%llx",
			 (unsigned long long)o->mem, (unsigned long long)p->hdr.mem_size);
	if (o->vcpus && o->vcpus != p->hdr.vcpus)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--vcpus %u overrides the payload header's vcpus %u", o->vcpus,
			 p->hdr.vcpus);
	if (o->has_irqchip && o->irqchip != p->hdr.irqchip)
		snprintf(notes[n++], PAYLOAD_NOTE_LEN,
			 "--irqchip %s overrides the payload header's irqchip %s",
			 irqchip_name(o->irqchip), irqchip_name(p->hdr.irqchip));
	return n;
}
