/* SPDX-License-Identifier: MIT */
/* cpu_x86.c - pure builders of x86 start state; no ioctls, unit-tested. */
#include "cpu_x86.h"

#include <string.h>

#include "minivmm_abi.h"

#define PAGE_SIZE 4096ULL

/* Accessed (and, on leaves, dirty) are preset so that the guest's first
 * touch of a page does not write the page tables: dirty logs then show
 * only what the guest itself wrote. PAE PDPTEs have neither bit. */
#define PTE_TABLE (PTE_P | PTE_RW | PTE_A)
#define PTE_LEAF  (PTE_P | PTE_RW | PTE_A | PTE_D)

/* GDT entries at the selectors the ABI header names. */
#define GDT_CODE32    0x00cf9b000000ffffULL /* base 0, 4 GiB, D=1, exec/read, accessed */
#define GDT_DATA      0x00cf93000000ffffULL /* base 0, 4 GiB, read/write, accessed */
#define GDT_CODE64    0x00af9b000000ffffULL /* L=1, D=0 */
#define TSS_LIMIT     0x67
#define TSS_TYPE_BUSY 0xb

/* CR4 bits defined by the SDM (vol. 3, 2.5): 0-14, 16-24 and 28; the rest
 * are reserved. Whether a defined bit is offered is KVM's to say. */
#define X86_CR4_KNOWN 0x11ff7fffULL

const struct kvm_cpuid_entry2 *cpuid_find(const struct kvm_cpuid2 *cpuid, uint32_t fn,
					  uint32_t index)
{
	for (uint32_t i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == fn &&
		    (e->index == index || !(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX)))
			return e;
	}
	return NULL;
}

void cpu_features_from_cpuid(const struct kvm_cpuid2 *cpuid, struct cpu_features *f)
{
	const struct kvm_cpuid_entry2 *e;

	memset(f, 0, sizeof(*f));
	f->maxphyaddr = 36;
	if ((e = cpuid_find(cpuid, 0, 0))) {
		memcpy(f->vendor, &e->ebx, 4);
		memcpy(f->vendor + 4, &e->edx, 4);
		memcpy(f->vendor + 8, &e->ecx, 4);
	}
	if ((e = cpuid_find(cpuid, 1, 0))) {
		f->pse = e->edx & (1U << 3);
		f->pae = e->edx & (1U << 6);
		f->vmx = e->ecx & (1U << 5);
	}
	if ((e = cpuid_find(cpuid, 7, 0)))
		f->la57 = e->ecx & (1U << 16);
	if ((e = cpuid_find(cpuid, 0x80000001, 0)))
	{
		f->lm = e->edx & (1U << 29);
		f->svm = e->ecx & (1U << 2);
	}
	if ((e = cpuid_find(cpuid, 0x80000008, 0)) && (e->eax & 0xff))
		f->maxphyaddr = e->eax & 0xff;
}

bool cpu_build_gdt(struct gmem *gm, struct errbuf *err)
{
	uint64_t *gdt = GMEM_PTR(gm, MVM_GDT_GPA, 0x30);
	uint64_t base = MVM_TSS_GPA;

	if (!gdt || !GMEM_PTR(gm, MVM_TSS_GPA, TSS_LIMIT + 1)) {
		errbuf_set(err, "cannot place the GDT: %s (%s)", gm->last_error, gm->last_where);
		return false;
	}
	gdt[0] = 0;
	gdt[MVM_SEL_CODE32 / 8] = GDT_CODE32;
	gdt[MVM_SEL_DATA / 8] = GDT_DATA;
	gdt[MVM_SEL_CODE64 / 8] = GDT_CODE64;
	gdt[MVM_SEL_TSS / 8] = TSS_LIMIT | (base & 0xffffff) << 16 | (uint64_t)TSS_TYPE_BUSY << 40 |
			       1ULL << 47 | (base >> 24 & 0xff) << 56;
	gdt[MVM_SEL_TSS / 8 + 1] = base >> 32;
	return true;
}

/* Page n of the page-table area, zeroed. */
static void *pt_page(struct gmem *gm, int n)
{
	void *p = GMEM_PTR(gm, MVM_PT_GPA + n * PAGE_SIZE, PAGE_SIZE);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

static bool build_paging32(struct gmem *gm, uint64_t *cr3)
{
	uint32_t *pd = pt_page(gm, 0), *pt = pt_page(gm, 1);

	if (!pd || !pt)
		return false;
	pd[0] = (uint32_t)(MVM_PT_GPA + PAGE_SIZE) | PTE_TABLE;
	for (uint32_t i = 1; i < 1024; i++)
		pd[i] = i << 22 | PTE_LEAF | PTE_PS;
	for (uint32_t i = 0; i < 1024; i++)
		pt[i] = i << 12 | PTE_LEAF;
	*cr3 = MVM_PT_GPA;
	return true;
}

/*
 * 64-bit entries: levels-2 pages of upper levels (one table each), then
 * four page directories covering 4 GiB, then one page table for the first
 * 2 MiB. For PAE the top level is the 4-entry PDPT.
 */
static bool build_paging64(struct gmem *gm, int levels, uint64_t *cr3)
{
	int upper = levels - 2, pd0 = upper, ptn = upper + 4;
	uint64_t *t;

	for (int n = 0; n <= ptn; n++)
		if (!pt_page(gm, n))
			return false;
	for (int n = 0; n < upper - 1; n++) {
		t = GMEM_PTR(gm, MVM_PT_GPA + n * PAGE_SIZE, PAGE_SIZE);
		t[0] = (MVM_PT_GPA + (n + 1) * PAGE_SIZE) | PTE_TABLE;
	}
	t = GMEM_PTR(gm, MVM_PT_GPA + (upper - 1) * PAGE_SIZE, PAGE_SIZE); /* PDPT */
	for (int i = 0; i < 4; i++)
		t[i] = (MVM_PT_GPA + (pd0 + i) * PAGE_SIZE) | (levels > 3 ? PTE_TABLE : PTE_P);
	for (int i = 0; i < 4; i++) {
		t = GMEM_PTR(gm, MVM_PT_GPA + (pd0 + i) * PAGE_SIZE, PAGE_SIZE);
		for (uint64_t j = 0; j < 512; j++)
			t[j] = ((uint64_t)i << 30 | j << 21) | PTE_LEAF | PTE_PS;
	}
	t = GMEM_PTR(gm, MVM_PT_GPA + pd0 * PAGE_SIZE, PAGE_SIZE);
	t[0] = (MVM_PT_GPA + ptn * PAGE_SIZE) | PTE_TABLE;
	t = GMEM_PTR(gm, MVM_PT_GPA + ptn * PAGE_SIZE, PAGE_SIZE);
	for (uint64_t j = 0; j < 512; j++)
		t[j] = j << 12 | PTE_LEAF;
	*cr3 = MVM_PT_GPA;
	return true;
}

bool cpu_build_page_tables(struct gmem *gm, int mode, uint64_t *cr3, struct errbuf *err)
{
	bool ok;

	switch (mode) {
	case MVM_MODE_PAGING32:
		ok = build_paging32(gm, cr3);
		break;
	case MVM_MODE_PAE:
		ok = build_paging64(gm, 3, cr3);
		break;
	case MVM_MODE_LONG:
		ok = build_paging64(gm, 4, cr3);
		break;
	case MVM_MODE_LA57:
		ok = build_paging64(gm, 5, cr3);
		break;
	default:
		*cr3 = 0;
		return true;
	}
	if (!ok)
		errbuf_set(err, "cannot place the page tables: %s (%s)", gm->last_error,
			   gm->last_where);
	return ok;
}

static struct kvm_segment flat_segment(uint16_t sel, uint8_t type, bool l)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.s = 1,
		.db = !l,
		.l = l,
		.g = 1,
	};
}

static void setup_real(struct kvm_sregs *s)
{
	struct kvm_segment code = { .limit = 0xffff, .type = 0xb, .present = 1, .s = 1 };
	struct kvm_segment data = code;

	data.type = 0x3;
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->cr0 = X86_CR0_ET | X86_CR0_NE;
	s->cr3 = s->cr4 = s->efer = 0;
}

void cpu_setup_sregs(int mode, uint64_t cr3, struct kvm_sregs *s)
{
	bool l = mode == MVM_MODE_LONG || mode == MVM_MODE_LA57;

	if (mode == MVM_MODE_REAL) {
		setup_real(s);
		return;
	}
	s->cs = flat_segment(l ? MVM_SEL_CODE64 : MVM_SEL_CODE32, 0xb, l);
	s->ds = s->es = s->fs = s->gs = s->ss = flat_segment(MVM_SEL_DATA, 0x3, false);
	s->tr = (struct kvm_segment){ .base = MVM_TSS_GPA,
				      .limit = TSS_LIMIT,
				      .selector = MVM_SEL_TSS,
				      .type = TSS_TYPE_BUSY,
				      .present = 1 };
	s->ldt = (struct kvm_segment){ .type = 0x2, .unusable = 1 };
	s->gdt.base = MVM_GDT_GPA;
	s->gdt.limit = 0x2f;
	s->idt.base = 0;
	s->idt.limit = 0;
	s->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
	s->cr3 = cr3;
	s->cr4 = 0;
	s->efer = 0;
	switch (mode) {
	case MVM_MODE_PAGING32:
		s->cr4 = X86_CR4_PSE;
		break;
	case MVM_MODE_PAE:
		s->cr4 = X86_CR4_PAE;
		break;
	case MVM_MODE_LA57:
		s->cr4 = X86_CR4_LA57;
		/* fall through */
	case MVM_MODE_LONG:
		s->cr4 |= X86_CR4_PAE;
		s->efer = EFER_LME | EFER_LMA;
		break;
	}
	if (mode != MVM_MODE_PROT32)
		s->cr0 |= X86_CR0_PG;
}

void cpu_setup_regs(int mode, uint64_t entry, struct kvm_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rflags = 0x2;
	r->rip = entry;
	r->rsp = mode == MVM_MODE_REAL ? MVM_REAL_STACK_TOP : MVM_STACK_TOP;
}

bool cpu_mode_supported(const struct cpu_features *f, int mode, struct errbuf *err)
{
	const char *need = NULL;

	if (mode == MVM_MODE_PAGING32 && !f->pse)
		need = "PSE (CPUID.1:EDX[3])";
	else if (mode >= MVM_MODE_PAE && !f->pae)
		need = "PAE (CPUID.1:EDX[6])";
	else if (mode >= MVM_MODE_LONG && !f->lm)
		need = "long mode (CPUID.80000001H:EDX[29])";
	else if (mode == MVM_MODE_LA57 && !f->la57)
		need = "LA57 (CPUID.(EAX=7,ECX=0):ECX[16])";
	if (need)
		errbuf_set(err, "this host's KVM does not offer %s to guests", need);
	return !need;
}

/* One level of a 64-bit-entry walk: next table, or the final address. */
static bool walk64(struct gmem *gm, uint64_t table, int levels, int top_bits, uint64_t va,
		   uint64_t *pa)
{
	for (int level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);
		uint64_t idx = va >> shift & ((1ULL << (level == levels ? top_bits : 9)) - 1);
		uint64_t *e = GMEM_PTR(gm, table + idx * 8, 8);

		if (!e || !(*e & PTE_P))
			return false;
		if (level > 1 && level < 4 && (*e & PTE_PS) && !(levels == 3 && level == 3)) {
			uint64_t mask = (1ULL << shift) - 1;

			*pa = (*e & PTE_ADDR_MASK & ~mask) | (va & mask);
			return true;
		}
		table = *e & PTE_ADDR_MASK;
	}
	*pa = table | (va & 0xfff);
	return true;
}

static bool walk32(struct gmem *gm, uint64_t cr3, bool pse, uint64_t va, uint64_t *pa)
{
	uint32_t *pde = GMEM_PTR(gm, (cr3 & 0xfffff000) + (va >> 22 & 0x3ff) * 4, 4);
	uint32_t *pte;

	if (!pde || !(*pde & PTE_P))
		return false;
	if (pse && (*pde & PTE_PS)) {
		*pa = (*pde & 0xffc00000) | (va & 0x3fffff);
		return true;
	}
	pte = GMEM_PTR(gm, (*pde & 0xfffff000) + (va >> 12 & 0x3ff) * 4, 4);
	if (!pte || !(*pte & PTE_P))
		return false;
	*pa = (*pte & 0xfffff000) | (va & 0xfff);
	return true;
}

/* In long mode an address is canonical when the bits above the top
 * translated bit (47, or 56 with LA57) copy it. */
static bool canonical(uint64_t va, bool la57)
{
	int shift = la57 ? 56 : 47;
	uint64_t top = va >> shift;

	return top == 0 || top == (~0ULL >> shift);
}

bool cpu_translate(struct gmem *gm, const struct kvm_sregs *s, uint64_t va, uint64_t *pa)
{
	if (!(s->cr0 & X86_CR0_PG)) {
		*pa = s->efer & EFER_LMA ? va : (va & 0xffffffff);
		return true;
	}
	if (!(s->cr4 & X86_CR4_PAE))
		return walk32(gm, s->cr3, s->cr4 & X86_CR4_PSE, va & 0xffffffff, pa);
	if (!(s->efer & EFER_LMA))
		return walk64(gm, s->cr3 & 0xffffffe0, 3, 2, va & 0xffffffff, pa);
	if (!canonical(va, s->cr4 & X86_CR4_LA57))
		return false;
	return walk64(gm, s->cr3 & PTE_ADDR_MASK, s->cr4 & X86_CR4_LA57 ? 5 : 4, 9, va, pa);
}

static bool explain_cr(const struct kvm_sregs *s, const struct cpu_features *f, struct errbuf *why)
{
	if (s->cr0 >> 32)
		errbuf_set(why, "CR0 0x%llx sets reserved bits 63:32", (unsigned long long)s->cr0);
	else if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		errbuf_set(why, "CR0.NW is set without CR0.CD");
	else if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		errbuf_set(why, "CR0.PG is set without CR0.PE (paging needs protected mode)");
	else if (s->cr4 & ~X86_CR4_KNOWN)
		errbuf_set(why, "CR4 0x%llx sets reserved bits 0x%llx", (unsigned long long)s->cr4,
			   (unsigned long long)(s->cr4 & ~X86_CR4_KNOWN));
	else if ((s->cr4 & X86_CR4_LA57) && !f->la57)
		errbuf_set(why, "CR4.LA57 is set but the guest CPUID has no LA57");
	else if ((s->cr4 & X86_CR4_PAE) && !f->pae)
		errbuf_set(why, "CR4.PAE is set but the guest CPUID has no PAE");
	else if ((s->efer & EFER_LME) && !f->lm)
		errbuf_set(why, "EFER.LME is set but the guest CPUID has no long mode");
	else
		return false;
	return true;
}

bool cpu_sregs_explain(const struct kvm_sregs *s, const struct cpu_features *f, struct errbuf *why)
{
	bool paging_lm = (s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG);

	if (paging_lm && !(s->cr4 & X86_CR4_PAE))
		errbuf_set(why, "EFER.LME and CR0.PG are set but CR4.PAE is clear "
				"(long mode needs PAE paging)");
	else if (paging_lm && !(s->efer & EFER_LMA))
		errbuf_set(why, "EFER.LME and CR0.PG are set but EFER.LMA is clear");
	else if (paging_lm && f->maxphyaddr < 64 && (s->cr3 >> f->maxphyaddr))
		errbuf_set(why, "CR3 0x%llx is beyond the guest's MAXPHYADDR (%u bits)",
			   (unsigned long long)s->cr3, f->maxphyaddr);
	else if (!paging_lm && (s->efer & EFER_LMA))
		errbuf_set(why, "EFER.LMA is set outside long mode (needs EFER.LME and CR0.PG)");
	else if (!paging_lm && s->cs.l)
		errbuf_set(why, "CS.L is set outside long mode");
	else
		return explain_cr(s, f, why);
	return true;
}
