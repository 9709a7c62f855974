/* SPDX-License-Identifier: MIT */
/* nested.c - the L1 libraries' shared parts: GDT descriptors decoded, the 4 GiB identity map. */
#include "nested.h"

#define DESC_S (1U << 4)  /* attr: a code or data segment */
#define DESC_G (1U << 15) /* attr: the limit counts 4 KiB pages */

struct nested_seg nested_gdt_seg(const struct desc_ptr *gdt, uint16_t sel)
{
	const uint64_t *d = (const uint64_t *)(uintptr_t)(gdt->base + (sel & ~7U));
	struct nested_seg s = { .sel = sel };
	uint64_t lo;

	if (!(sel & ~7U))
		return s;
	lo = d[0];
	s.base = (lo >> 16 & 0xffffff) | (lo >> 56 & 0xff) << 24;
	s.limit = (uint32_t)((lo & 0xffff) | (lo >> 32 & 0xf0000));
	s.attr = (uint16_t)((lo >> 40) & 0xf0ff);
	if (s.attr & DESC_G)
		s.limit = s.limit << 12 | 0xfff;
	s.system = !(s.attr & DESC_S);
	if (s.system)
		s.base |= d[1] << 32;
	return s;
}

void nested_identity_map(uint64_t *pml4, uint64_t *pdpt, uint64_t (*pd)[512], uint64_t table_bits,
			 uint64_t leaf_bits)
{
	memset(pml4, 0, 512 * sizeof(*pml4));
	memset(pdpt, 0, 512 * sizeof(*pdpt));
	pml4[0] = pa(pdpt) | table_bits;
	for (uint64_t g = 0; g < NESTED_MAP_GIB; g++) {
		pdpt[g] = pa(pd[g]) | table_bits;
		for (uint64_t i = 0; i < 512; i++)
			pd[g][i] = (g << 30 | i << 21) | leaf_bits;
	}
}
