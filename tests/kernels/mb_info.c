/* SPDX-License-Identifier: MIT */
/*
 * kernel_mb_info - a Multiboot v1 kernel (ELF32, header flags 0) that checks
 * the boot state and the boot information minivmm built for it. Run as
 *	minivmm run tests/kernel_mb_info.elf --mem 64M \
 *		--append "mem=64 hello multiboot" --initrd tests/kernels/mb_module.txt
 * where mem= repeats --mem in MiB, so that the kernel knows what to expect.
 *
 * KVM path: none of its own; the loader's work (segments, zeroed bss, EAX,
 * EBX, the boot information) is read with plain loads, the results go out as
 * KVM_EXIT_IO call exits.
 *
 * Memory map: linked at 4 MiB like kvm-unit-tests, 32-bit flat protected
 * mode without paging, its own stack in its bss; the boot information at
 * MVM_MB_INFO_GPA (0x9000), the module at the top of low RAM.
 */
#include "mvm_guest.h"
#include "mvm_multiboot.h"

#define KERNEL_NAME  "kernel_mb_info.elf"
#define MODULE_NAME  "mb_module.txt"
#define APPEND_WORDS "hello multiboot"
/* tests/kernels/mb_module.txt, byte for byte. */
static const char module_text[] = "minivmm multiboot module: these bytes must reach the kernel "
				  "unchanged.\n";

extern uint32_t mb_boot_magic, mb_boot_info;
extern char __load_start[];

/* The loader, not the kernel, zeroes the bss: p_memsz beyond p_filesz. */
static uint8_t bss_probe[8192];

static int starts_with(const char *s, const char *prefix)
{
	return memcmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static const char *find(const char *s, const char *word)
{
	for (; *s; s++)
		if (starts_with(s, word))
			return s;
	return NULL;
}

/* The decimal after "mem=" in the command line, in MiB; 0 if absent. */
static uint32_t cmdline_mem_mib(const char *cmdline)
{
	const char *p = find(cmdline, "mem=");
	uint32_t v = 0;

	if (!p)
		return 0;
	for (p += 4; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	return v;
}

static void check_cmdline(const struct mb_info *mbi, uint32_t *mem_mib)
{
	const char *cmd = (const char *)(uintptr_t)mbi->cmdline;
	size_t argv0 = 0;

	while (cmd[argv0] && cmd[argv0] != ' ')
		argv0++;
	report(ends_with(cmd, argv0, KERNEL_NAME), "cmdline starts with the kernel's file name");
	report(cmd[argv0] == ' ' && find(cmd + argv0, APPEND_WORDS) != NULL, "cmdline has the "
									     "--append text after "
									     "the name");
	*mem_mib = cmdline_mem_mib(cmd + argv0);
	report(*mem_mib >= 2 && *mem_mib <= 3072, "cmdline says mem=%u (MiB, 2 to 3072)", *mem_mib);
}

static void check_mem(const struct mb_info *mbi, uint32_t mem_mib)
{
	uint32_t upper = (mem_mib - 1) * 1024;

	report(mbi->mem_lower == 639, "mem_lower: wanted 639, got %u", mbi->mem_lower);
	report(mbi->mem_upper == upper, "mem_upper: wanted %u, got %u", upper, mbi->mem_upper);
}

static void check_module(const struct mb_info *mbi, uint32_t mem_mib)
{
	const struct mb_module *m = (const struct mb_module *)(uintptr_t)mbi->mods_addr;
	const char *name;

	report(mbi->mods_count == 1, "mods_count: wanted 1, got %u", mbi->mods_count);
	if (mbi->mods_count != 1)
		return;
	name = (const char *)(uintptr_t)m->string;
	report(m->mod_end - m->mod_start == sizeof(module_text) - 1,
	       "module size: wanted %u, got %u", (unsigned)sizeof(module_text) - 1,
	       m->mod_end - m->mod_start);
	report(memcmp((const void *)(uintptr_t)m->mod_start, module_text,
		      sizeof(module_text) - 1) == 0,
	       "module bytes are the --initrd file's");
	report(!(m->mod_start & 0xfff) && m->mod_end <= mem_mib << 20,
	       "module is page-aligned in RAM: [0x%x, 0x%x)", m->mod_start, m->mod_end);
	report(ends_with(name, strlen(name), MODULE_NAME), "module string names the file");
}

/* Whether [base, end) lies in one type-1 range of the memory map. */
static int mmap_ram(const struct mb_info *mbi, uint64_t base, uint64_t end)
{
	uint32_t off = 0;

	while (off + sizeof(struct mb_mmap_entry) <= mbi->mmap_length) {
		const struct mb_mmap_entry *e =
			(const struct mb_mmap_entry *)(uintptr_t)(mbi->mmap_addr + off);
		uint64_t b = (uint64_t)e->base_hi << 32 | e->base_lo;
		uint64_t l = (uint64_t)e->len_hi << 32 | e->len_lo;

		if (e->type == MB_MMAP_RAM && b <= base && end <= b + l)
			return 1;
		off += e->size + 4;
	}
	return 0;
}

static void check_mmap(const struct mb_info *mbi, uint32_t mem_mib)
{
	uint64_t top = (uint64_t)mem_mib << 20;

	report(mbi->mmap_length && mbi->mmap_length % sizeof(struct mb_mmap_entry) == 0,
	       "mmap: %u bytes of 24-byte entries", mbi->mmap_length);
	report(mmap_ram(mbi, 0, (uint64_t)mbi->mem_lower << 10), "mmap: RAM below 640 KiB");
	report(mmap_ram(mbi, 1 << 20, top), "mmap: RAM from 1 MiB to --mem");
	report(!mmap_ram(mbi, 0xa0000, 0xa1000), "mmap: the legacy hole is not RAM");
	report(!mmap_ram(mbi, top, top + 0x1000), "mmap: no RAM past --mem");
	report(mmap_ram(mbi, mb_boot_info, mb_boot_info + sizeof(*mbi)), "mmap: the boot "
									 "information is in RAM");
}

int main(void)
{
	const struct mb_info *mbi = (const struct mb_info *)(uintptr_t)mb_boot_info;
	const uint32_t want = MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MMAP;
	uint32_t mem_mib = 0, nonzero = 0;

	report(mb_boot_magic == MB_BOOT_MAGIC, "EAX: wanted 0x%x, got 0x%x", MB_BOOT_MAGIC,
	       mb_boot_magic);
	report(mb_boot_info >= 0x1000 && mb_boot_info < (uintptr_t)__load_start,
	       "EBX 0x%x: above page 0, below the kernel", mb_boot_info);
	report((mbi->flags & want) == want, "flags 0x%x has mem, cmdline, mods, mmap", mbi->flags);
	for (size_t i = 0; i < sizeof(bss_probe); i++)
		nonzero |= bss_probe[i];
	report(!nonzero, "bss is zero");
	report(starts_with((const char *)(uintptr_t)mbi->boot_loader_name, "minivmm"), "boot_"
										       "loader_"
										       "name is "
										       "minivmm");
	check_cmdline(mbi, &mem_mib);
	if (mem_mib < 2 || mem_mib > 3072)
		return MVM_FAIL;
	check_mem(mbi, mem_mib);
	check_module(mbi, mem_mib);
	check_mmap(mbi, mem_mib);
	return MVM_PASS;
}
