/* SPDX-License-Identifier: MIT */
/* test_cpu_x86.c - GDT, identity page tables, start registers and the sregs explainer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu_x86.h"
#include "minivmm_abi.h"

#define MEM_SIZE (1ULL << 20)
#define PT(n)	 (MVM_PT_GPA + (n)*0x1000ULL)

struct guest {
	struct gmem gm;
	uint8_t *mem;
};

static int guest_setup(void **state)
{
	struct guest *g = calloc(1, sizeof(*g));

	if (!g)
		return -1;
	g->mem = calloc(1, MEM_SIZE);
	if (!g->mem || !gmem_add(&g->gm, 0, MEM_SIZE, g->mem))
		return -1;
	*state = g;
	return 0;
}

static int guest_teardown(void **state)
{
	struct guest *g = *state;

	free(g->mem);
	free(g);
	return 0;
}

static uint64_t entry64(const struct guest *g, uint64_t gpa)
{
	uint64_t e;

	memcpy(&e, g->mem + gpa, 8);
	return e;
}

static uint32_t entry32(const struct guest *g, uint64_t gpa)
{
	uint32_t e;

	memcpy(&e, g->mem + gpa, 4);
	return e;
}

static const struct cpu_features all_features = {
	.pse = true,
	.pae = true,
	.lm = true,
	.la57 = true,
	.maxphyaddr = 46,
};

/* Builds tables for mode and the matching sregs. */
static void build(struct guest *g, int mode, struct kvm_sregs *s)
{
	struct errbuf err = { "" };
	uint64_t cr3 = 1;

	memset(g->mem, 0, MEM_SIZE);
	if (!cpu_build_page_tables(&g->gm, mode, &cr3, &err))
		fail_msg("cpu_build_page_tables(%d): %s", mode, err.msg);
	assert_int_equal(cr3, MVM_PT_GPA);
	memset(s, 0, sizeof(*s));
	cpu_setup_sregs(mode, cr3, s);
}

static void expect_identity(struct guest *g, const struct kvm_sregs *s, uint64_t va)
{
	uint64_t pa = ~0ULL;

	if (!cpu_translate(&g->gm, s, va, &pa))
		fail_msg("va 0x%llx: wanted present, got not present", (unsigned long long)va);
	if (pa != va)
		fail_msg("va 0x%llx: wanted pa 0x%llx, got 0x%llx", (unsigned long long)va,
			 (unsigned long long)va, (unsigned long long)pa);
}

static const uint64_t identity_vas[] = {
	0x0,	    0xfff,	0x1000,	    0x1234,	0x100000,   0x1fffff,
	0x200000,   0x3fffff,	0x400000,   0x40000000, 0x12345678, 0x7fffffff,
	0xbfffffff, 0xc0000000, 0xd0000000, 0xd0000fff, 0xffffffff,
};

static void identity_for_mode(struct guest *g, int mode)
{
	struct kvm_sregs s;

	build(g, mode, &s);
	for (size_t i = 0; i < sizeof(identity_vas) / sizeof(identity_vas[0]); i++)
		expect_identity(g, &s, identity_vas[i]);
}

static void identity_paging32(void **state)
{
	identity_for_mode(*state, MVM_MODE_PAGING32);
}

static void identity_pae(void **state)
{
	identity_for_mode(*state, MVM_MODE_PAE);
}

static void identity_long(void **state)
{
	identity_for_mode(*state, MVM_MODE_LONG);
}

static void identity_la57(void **state)
{
	identity_for_mode(*state, MVM_MODE_LA57);
}

static void above_4g_not_present(void **state)
{
	static const uint64_t vas[] = { 0x100000000ULL, 0x100001000ULL, 0x7fffffffffffULL,
					0x8000000000ULL, 0xffffffff80000000ULL };
	int modes[] = { MVM_MODE_LONG, MVM_MODE_LA57 };
	struct guest *g = *state;
	struct kvm_sregs s;
	uint64_t pa;

	for (size_t m = 0; m < 2; m++) {
		build(g, modes[m], &s);
		for (size_t i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
			if (cpu_translate(&g->gm, &s, vas[i], &pa))
				fail_msg("mode %d va 0x%llx: wanted not present, got pa 0x%llx",
					 modes[m], (unsigned long long)vas[i],
					 (unsigned long long)pa);
		}
	}
}

/* Non-canonical addresses fault (#GP); they must not alias low memory. */
static void noncanonical_not_translated(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;
	uint64_t pa = 0;

	build(g, MVM_MODE_LONG, &s);
	if (cpu_translate(&g->gm, &s, 1ULL << 48, &pa))
		fail_msg("long va 0x1000000000000 (non-canonical): wanted not present, "
			 "got pa 0x%llx",
			 (unsigned long long)pa);
	build(g, MVM_MODE_LA57, &s);
	if (cpu_translate(&g->gm, &s, 1ULL << 57, &pa))
		fail_msg("la57 va 0x200000000000000 (non-canonical): wanted not present, "
			 "got pa 0x%llx",
			 (unsigned long long)pa);
}

/* What the builders put in entries: A preset everywhere, D on leaves. */
#define TABLE (PTE_P | PTE_RW | PTE_A)
#define LEAF  (PTE_P | PTE_RW | PTE_A | PTE_D)

/* Long mode: read each level out of guest memory, not through the walker. */
static void long_tables_by_hand(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;
	uint64_t e;

	build(g, MVM_MODE_LONG, &s);
	assert_int_equal(entry64(g, PT(0)), PT(1) | TABLE); /* PML4[0] */
	assert_int_equal(entry64(g, PT(0) + 8), 0);
	for (int i = 0; i < 4; i++) /* PDPT[0..3] -> four page directories */
		assert_int_equal(entry64(g, PT(1) + i * 8), PT(2 + i) | TABLE);
	assert_int_equal(entry64(g, PT(1) + 4 * 8), 0); /* nothing at 4 GiB */
	e = entry64(g, PT(2)); /* PD[0]: page table for the first 2 MiB, not a large page */
	assert_int_equal(e, PT(6) | TABLE);
	assert_int_equal(entry64(g, PT(2) + 8), 0x200000 | LEAF | PTE_PS);
	/* 0xd0000000: PDPT index 3, PD index 0x80 */
	assert_int_equal(entry64(g, PT(5) + 0x80 * 8), 0xd0000000 | LEAF | PTE_PS);
	assert_int_equal(entry64(g, PT(5) + 511 * 8), 0xffe00000 | LEAF | PTE_PS);
	assert_int_equal(entry64(g, PT(6)), LEAF);
	assert_int_equal(entry64(g, PT(6) + 0x1ff * 8), 0x1ff000 | LEAF);
	(void)s;
}

static void la57_tables_by_hand(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;

	build(g, MVM_MODE_LA57, &s);
	assert_int_equal(entry64(g, PT(0)), PT(1) | TABLE); /* PML5[0] */
	assert_int_equal(entry64(g, PT(1)), PT(2) | TABLE); /* PML4[0] */
	assert_int_equal(entry64(g, PT(2)), PT(3) | TABLE); /* PDPT[0] */
	assert_int_equal(entry64(g, PT(3)), PT(7) | TABLE); /* PD[0] */
	assert_int_equal(entry64(g, PT(7) + 8), 0x1000 | LEAF);
	(void)s;
}

/* PAE PDPTEs have RW and PS reserved: setting them makes the load fault. */
static void pae_tables_by_hand(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;

	build(g, MVM_MODE_PAE, &s);
	for (int i = 0; i < 4; i++)
		assert_int_equal(entry64(g, PT(0) + i * 8), PT(1 + i) | PTE_P);
	assert_int_equal(entry64(g, PT(1)), PT(5) | TABLE);
	assert_int_equal(entry64(g, PT(4) + 511 * 8), 0xffe00000 | LEAF | PTE_PS);
	(void)s;
}

static void paging32_tables_by_hand(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;

	build(g, MVM_MODE_PAGING32, &s);
	assert_int_equal(entry32(g, PT(0)), PT(1) | TABLE);
	assert_int_equal(entry32(g, PT(0) + 4), 0x400000 | LEAF | PTE_PS);
	assert_int_equal(entry32(g, PT(0) + 0x340 * 4), 0xd0000000 | LEAF | PTE_PS);
	assert_int_equal(entry32(g, PT(0) + 1023 * 4), 0xffc00000 | LEAF | PTE_PS);
	assert_int_equal(entry32(g, PT(1) + 1023 * 4), 0x3ff000 | LEAF);
	assert_true(s.cr4 & X86_CR4_PSE);
	(void)s;
}

/* The walker follows the 4 KiB page table: remap one page and see it. */
static void walker_uses_page_table(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s;
	uint64_t pte = 0x5000 | PTE_P | PTE_RW, pa = 0;

	build(g, MVM_MODE_LONG, &s);
	memcpy(g->mem + PT(6) + 8, &pte, 8); /* va 0x1000 -> pa 0x5000 */
	assert_true(cpu_translate(&g->gm, &s, 0x1234, &pa));
	assert_int_equal(pa, 0x5234);
	pte = 0;
	memcpy(g->mem + PT(6) + 8, &pte, 8);
	assert_false(cpu_translate(&g->gm, &s, 0x1234, &pa));
}

static void no_paging_translates_flat(void **state)
{
	struct guest *g = *state;
	struct kvm_sregs s = { 0 };
	uint64_t pa = 0;

	cpu_setup_sregs(MVM_MODE_PROT32, 0, &s);
	assert_true(cpu_translate(&g->gm, &s, 0x123456789ULL, &pa));
	assert_int_equal(pa, 0x23456789); /* 32-bit addresses */
}

static void tables_need_memory(void **state)
{
	uint8_t *small = calloc(1, MVM_PT_GPA + 0x1000);
	struct gmem gm = { 0 };
	struct errbuf err = { "" };
	uint64_t cr3;

	assert_true(gmem_add(&gm, 0, MVM_PT_GPA + 0x1000, small));
	for (int mode = MVM_MODE_PAGING32; mode < MVM_MODE_COUNT; mode++) {
		err.msg[0] = '\0';
		if (cpu_build_page_tables(&gm, mode, &cr3, &err))
			fail_msg("mode %d: wanted failure with one page-table page", mode);
		if (!strstr(err.msg, "page tables"))
			fail_msg("mode %d: wanted 'page tables' in message, got '%s'", mode,
				 err.msg);
	}
	assert_true(cpu_build_page_tables(&gm, MVM_MODE_PROT32, &cr3, &err));
	assert_int_equal(cr3, 0);
	free(small);
	(void)state;
}

static void gdt_needs_memory(void **state)
{
	uint8_t small[0x1000];
	struct gmem gm = { 0 };
	struct errbuf err = { "" };

	assert_true(gmem_add(&gm, 0, sizeof(small), small));
	assert_false(cpu_build_gdt(&gm, &err));
	assert_non_null(strstr(err.msg, "GDT"));
	(void)state;
}

struct desc {
	uint64_t base;
	uint32_t limit;
	unsigned int type, s, dpl, p, l, d, g;
};

static struct desc decode(uint64_t d)
{
	return (struct desc){
		.base = (d >> 16 & 0xffffff) | (d >> 56 & 0xff) << 24,
		.limit = (uint32_t)((d & 0xffff) | (d >> 48 & 0xf) << 16),
		.type = d >> 40 & 0xf,
		.s = d >> 44 & 1,
		.dpl = d >> 45 & 3,
		.p = d >> 47 & 1,
		.l = d >> 53 & 1,
		.d = d >> 54 & 1,
		.g = d >> 55 & 1,
	};
}

static void expect_flat(const struct guest *g, int sel, unsigned int type, unsigned int l,
			unsigned int d)
{
	struct desc x = decode(entry64(g, MVM_GDT_GPA + sel));

	assert_int_equal(x.base, 0);
	assert_int_equal(x.limit, 0xfffff);
	assert_int_equal(x.g, 1);
	assert_int_equal(x.type, type);
	assert_int_equal(x.s, 1);
	assert_int_equal(x.dpl, 0);
	assert_int_equal(x.p, 1);
	assert_int_equal(x.l, l);
	assert_int_equal(x.d, d);
}

static void gdt_descriptors(void **state)
{
	struct guest *g = *state;
	struct errbuf err = { "" };
	struct desc tss;

	memset(g->mem, 0xaa, 0x2000);
	assert_true(cpu_build_gdt(&g->gm, &err));
	assert_int_equal(entry64(g, MVM_GDT_GPA), 0); /* null descriptor */
	expect_flat(g, MVM_SEL_CODE32, 0xb, 0, 1);
	expect_flat(g, MVM_SEL_DATA, 0x3, 0, 1);
	expect_flat(g, MVM_SEL_CODE64, 0xb, 1, 0);
	tss = decode(entry64(g, MVM_GDT_GPA + MVM_SEL_TSS));
	assert_int_equal(tss.base, MVM_TSS_GPA);
	assert_int_equal(tss.limit, 0x67);
	assert_int_equal(tss.type, 0xb);
	assert_int_equal(tss.s, 0);
	assert_int_equal(tss.p, 1);
	assert_int_equal(tss.g, 0);
	assert_int_equal(entry64(g, MVM_GDT_GPA + MVM_SEL_TSS + 8), 0); /* base 63:32 */
}

/* The GDTR limit set in sregs covers the 16-byte TSS descriptor. */
static void sregs_match_gdt(void **state)
{
	struct kvm_sregs s = { 0 };

	cpu_setup_sregs(MVM_MODE_LONG, MVM_PT_GPA, &s);
	assert_int_equal(s.gdt.base, MVM_GDT_GPA);
	assert_true(s.gdt.limit >= MVM_SEL_TSS + 15);
	assert_int_equal(s.cs.selector, MVM_SEL_CODE64);
	assert_int_equal(s.ds.selector, MVM_SEL_DATA);
	assert_int_equal(s.ss.selector, MVM_SEL_DATA);
	assert_int_equal(s.tr.selector, MVM_SEL_TSS);
	assert_int_equal(s.tr.base, MVM_TSS_GPA);
	assert_int_equal(s.tr.limit, 0x67);
	assert_int_equal(s.tr.type, 0xb);
	cpu_setup_sregs(MVM_MODE_PROT32, 0, &s);
	assert_int_equal(s.cs.selector, MVM_SEL_CODE32);
	(void)state;
}

struct want_sregs {
	int mode;
	int pe, pg, pae, pse, la57, lme, lma, cs_l, cs_db;
};

static const struct want_sregs mode_table[] = {
	{ MVM_MODE_REAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ MVM_MODE_PROT32, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ MVM_MODE_PAGING32, 1, 1, 0, 1, 0, 0, 0, 0, 1 },
	{ MVM_MODE_PAE, 1, 1, 1, 0, 0, 0, 0, 0, 1 },
	{ MVM_MODE_LONG, 1, 1, 1, 0, 0, 1, 1, 1, 0 },
	{ MVM_MODE_LA57, 1, 1, 1, 0, 1, 1, 1, 1, 0 },
};

#define BIT(v, m) (((v) & (m)) != 0)

static void sregs_per_mode(void **state)
{
	for (size_t i = 0; i < sizeof(mode_table) / sizeof(mode_table[0]); i++) {
		const struct want_sregs *w = &mode_table[i];
		struct kvm_sregs s = { 0 };
		struct errbuf why = { "" };

		cpu_setup_sregs(w->mode, w->mode >= MVM_MODE_PAGING32 ? MVM_PT_GPA : 0, &s);
		assert_int_equal(BIT(s.cr0, X86_CR0_PE), w->pe);
		assert_int_equal(BIT(s.cr0, X86_CR0_PG), w->pg);
		assert_int_equal(BIT(s.cr4, X86_CR4_PAE), w->pae);
		assert_int_equal(BIT(s.cr4, X86_CR4_PSE), w->pse);
		assert_int_equal(BIT(s.cr4, X86_CR4_LA57), w->la57);
		assert_int_equal(BIT(s.efer, EFER_LME), w->lme);
		assert_int_equal(BIT(s.efer, EFER_LMA), w->lma);
		assert_int_equal(s.cs.l, w->cs_l);
		assert_int_equal(s.cs.db, w->cs_db);
		assert_int_equal(s.cs.base, 0);
		assert_int_equal(s.cs.present, 1);
		assert_int_equal(s.cr3, w->pg ? MVM_PT_GPA : 0);
		if (cpu_sregs_explain(&s, &all_features, &why))
			fail_msg("mode %d: wanted valid sregs, got '%s'", w->mode, why.msg);
	}
	(void)state;
}

static void regs_per_mode(void **state)
{
	for (int mode = 0; mode < MVM_MODE_COUNT; mode++) {
		struct kvm_regs r;

		memset(&r, 0xff, sizeof(r));
		cpu_setup_regs(mode, 0x100040, &r);
		assert_int_equal(r.rip, 0x100040);
		assert_int_equal(r.rsp, mode == MVM_MODE_REAL ? MVM_REAL_STACK_TOP : MVM_STACK_TOP);
		assert_int_equal(r.rflags, 0x2);
		assert_int_equal(r.rax, 0);
		assert_int_equal(r.rbp, 0);
	}
	(void)state;
}

/* Which modes a CPU with features f can start in. */
static void expect_supported(const struct cpu_features *f, const char *missing,
			     const int want[MVM_MODE_COUNT])
{
	for (int mode = 0; mode < MVM_MODE_COUNT; mode++) {
		struct errbuf err = { "" };
		bool got = cpu_mode_supported(f, mode, &err);

		if (got != want[mode])
			fail_msg("mode %d: wanted supported=%d, got %d", mode, want[mode], got);
		if (!got && !strstr(err.msg, missing))
			fail_msg("mode %d: wanted '%s' in message, got '%s'", mode, missing,
				 err.msg);
	}
}

static void mode_supported_by_features(void **state)
{
	struct cpu_features f = all_features;
	static const int all[] = { 1, 1, 1, 1, 1, 1 };
	static const int no_pse[] = { 1, 1, 0, 1, 1, 1 };
	static const int no_pae[] = { 1, 1, 1, 0, 0, 0 };
	static const int no_lm[] = { 1, 1, 1, 1, 0, 0 };
	static const int no_la57[] = { 1, 1, 1, 1, 1, 0 };

	expect_supported(&f, "", all);
	f.pse = false;
	expect_supported(&f, "PSE", no_pse);
	f = all_features;
	f.pae = false;
	expect_supported(&f, "PAE", no_pae);
	f = all_features;
	f.lm = false;
	expect_supported(&f, "long mode", no_lm);
	f = all_features;
	f.la57 = false;
	expect_supported(&f, "LA57", no_la57);
	(void)state;
}

static void expect_explained(const struct kvm_sregs *s, const struct cpu_features *f,
			     const char *want)
{
	struct errbuf why = { "" };

	if (!cpu_sregs_explain(s, f, &why))
		fail_msg("wanted a rule naming '%s', got none", want);
	if (!strstr(why.msg, want))
		fail_msg("wanted message naming '%s', got '%s'", want, why.msg);
}

static struct kvm_sregs sregs_for(int mode)
{
	struct kvm_sregs s = { 0 };

	cpu_setup_sregs(mode, mode >= MVM_MODE_PAGING32 ? MVM_PT_GPA : 0, &s);
	return s;
}

static void explain_cr0_rules(void **state)
{
	struct kvm_sregs s = sregs_for(MVM_MODE_PAGING32);

	s.cr0 &= ~X86_CR0_PE;
	expect_explained(&s, &all_features, "CR0.PG");
	s = sregs_for(MVM_MODE_LONG);
	s.cr0 &= ~X86_CR0_PE;
	expect_explained(&s, &all_features, "CR0.PE");
	s = sregs_for(MVM_MODE_PROT32);
	s.cr0 |= X86_CR0_NW;
	expect_explained(&s, &all_features, "CR0.NW");
	s.cr0 |= X86_CR0_CD; /* NW with CD is allowed */
	assert_false(cpu_sregs_explain(&s, &all_features, &(struct errbuf){ "" }));
	s = sregs_for(MVM_MODE_PROT32);
	s.cr0 |= 1ULL << 32;
	expect_explained(&s, &all_features, "CR0");
	(void)state;
}

static void explain_long_mode_rules(void **state)
{
	struct kvm_sregs s = sregs_for(MVM_MODE_LONG);

	s.cr4 &= ~X86_CR4_PAE;
	expect_explained(&s, &all_features, "CR4.PAE");
	s = sregs_for(MVM_MODE_LONG);
	s.efer &= ~EFER_LMA;
	expect_explained(&s, &all_features, "EFER.LMA");
	s = sregs_for(MVM_MODE_PROT32);
	s.efer |= EFER_LMA;
	expect_explained(&s, &all_features, "EFER.LMA");
	s = sregs_for(MVM_MODE_PAE);
	s.cs.l = 1;
	expect_explained(&s, &all_features, "CS.L");
	s = sregs_for(MVM_MODE_LONG); /* LME without PG is not long mode yet */
	s.cr0 &= ~X86_CR0_PG;
	s.efer &= ~EFER_LMA;
	expect_explained(&s, &all_features, "CS.L");
	(void)state;
}

static void explain_cr4_rules(void **state)
{
	struct kvm_sregs s = sregs_for(MVM_MODE_LONG);
	struct cpu_features f = all_features;

	s.cr4 |= 1ULL << 15;
	expect_explained(&s, &all_features, "CR4");
	expect_explained(&s, &all_features, "reserved");
	s = sregs_for(MVM_MODE_LONG);
	s.cr4 |= 1ULL << 40;
	expect_explained(&s, &all_features, "reserved");
	s = sregs_for(MVM_MODE_LA57);
	f.la57 = false;
	expect_explained(&s, &f, "LA57");
	f = all_features;
	f.pae = false;
	s = sregs_for(MVM_MODE_PAE);
	expect_explained(&s, &f, "PAE");
	f = all_features;
	f.lm = false;
	s = sregs_for(MVM_MODE_LONG);
	expect_explained(&s, &f, "long mode");
	(void)state;
}

/* SMAP (bit 21) and PKE (bit 22) are architectural CR4 bits, not reserved ones. */
static void explain_cr4_smap_pke_not_reserved(void **state)
{
	static const uint64_t bits[] = { 1ULL << 21, 1ULL << 22 };

	for (size_t i = 0; i < 2; i++) {
		struct kvm_sregs s = sregs_for(MVM_MODE_LONG);
		struct errbuf why = { "" };

		s.cr4 |= bits[i];
		if (cpu_sregs_explain(&s, &all_features, &why) && strstr(why.msg, "reserved"))
			fail_msg("CR4 bit %d: wanted not called reserved, got '%s'",
				 __builtin_ctzll(bits[i]), why.msg);
	}
	(void)state;
}

static void explain_cr3_maxphyaddr(void **state)
{
	struct kvm_sregs s = sregs_for(MVM_MODE_LONG);
	struct cpu_features f = all_features;
	struct errbuf why = { "" };

	f.maxphyaddr = 36;
	s.cr3 = 1ULL << 36;
	expect_explained(&s, &f, "CR3");
	expect_explained(&s, &f, "MAXPHYADDR");
	s.cr3 = (1ULL << 36) - 0x1000;
	assert_false(cpu_sregs_explain(&s, &f, &why));
	(void)state;
}

static void explain_valid_long_mode(void **state)
{
	struct kvm_sregs s = sregs_for(MVM_MODE_LONG);
	struct errbuf why = { "" };

	assert_false(cpu_sregs_explain(&s, &all_features, &why));
	s = sregs_for(MVM_MODE_LA57);
	assert_false(cpu_sregs_explain(&s, &all_features, &why));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(identity_paging32, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(identity_pae, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(identity_long, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(identity_la57, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(above_4g_not_present, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(noncanonical_not_translated, guest_setup,
						guest_teardown),
		cmocka_unit_test_setup_teardown(long_tables_by_hand, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(la57_tables_by_hand, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(pae_tables_by_hand, guest_setup, guest_teardown),
		cmocka_unit_test_setup_teardown(paging32_tables_by_hand, guest_setup,
						guest_teardown),
		cmocka_unit_test_setup_teardown(walker_uses_page_table, guest_setup,
						guest_teardown),
		cmocka_unit_test_setup_teardown(no_paging_translates_flat, guest_setup,
						guest_teardown),
		cmocka_unit_test(tables_need_memory),
		cmocka_unit_test(gdt_needs_memory),
		cmocka_unit_test_setup_teardown(gdt_descriptors, guest_setup, guest_teardown),
		cmocka_unit_test(sregs_match_gdt),
		cmocka_unit_test(sregs_per_mode),
		cmocka_unit_test(regs_per_mode),
		cmocka_unit_test(mode_supported_by_features),
		cmocka_unit_test(explain_cr0_rules),
		cmocka_unit_test(explain_long_mode_rules),
		cmocka_unit_test(explain_cr4_rules),
		cmocka_unit_test(explain_cr4_smap_pke_not_reserved),
		cmocka_unit_test(explain_cr3_maxphyaddr),
		cmocka_unit_test(explain_valid_long_mode),
	};

	return cmocka_run_group_tests_name("test_cpu_x86", tests, NULL, NULL);
}
