/* SPDX-License-Identifier: MIT */
/* svm.c - owns L1's side of SVM: the CPUID check, SVME, the VMCB, NPT, intercepts and exits. */
#include "svm.h"

/* The VMCB layout, offset by offset, as APM vol. 2 appendix B gives it. */
#define VMCB_AT(field, off) _Static_assert(offsetof(struct vmcb, field) == (off), #field)
VMCB_AT(control.intercept_cr, 0x000);
VMCB_AT(control.intercept_dr, 0x004);
VMCB_AT(control.intercept_exc, 0x008);
VMCB_AT(control.intercept3, 0x00c);
VMCB_AT(control.intercept4, 0x010);
VMCB_AT(control.intercept5, 0x014);
VMCB_AT(control.pause_filter_threshold, 0x03c);
VMCB_AT(control.pause_filter_count, 0x03e);
VMCB_AT(control.iopm_base_pa, 0x040);
VMCB_AT(control.msrpm_base_pa, 0x048);
VMCB_AT(control.tsc_offset, 0x050);
VMCB_AT(control.asid, 0x058);
VMCB_AT(control.tlb_control, 0x05c);
VMCB_AT(control.int_ctl, 0x060);
VMCB_AT(control.int_vector, 0x064);
VMCB_AT(control.int_state, 0x068);
VMCB_AT(control.exit_code, 0x070);
VMCB_AT(control.exit_info1, 0x078);
VMCB_AT(control.exit_info2, 0x080);
VMCB_AT(control.exit_int_info, 0x088);
VMCB_AT(control.np_control, 0x090);
VMCB_AT(control.avic_apic_bar, 0x098);
VMCB_AT(control.ghcb_pa, 0x0a0);
VMCB_AT(control.event_inj, 0x0a8);
VMCB_AT(control.n_cr3, 0x0b0);
VMCB_AT(control.virt_ext, 0x0b8);
VMCB_AT(control.clean, 0x0c0);
VMCB_AT(control.next_rip, 0x0c8);
VMCB_AT(control.insn_len, 0x0d0);
VMCB_AT(control.insn_bytes, 0x0d1);
VMCB_AT(save.es, 0x400);
VMCB_AT(save.cs, 0x410);
VMCB_AT(save.ss, 0x420);
VMCB_AT(save.ds, 0x430);
VMCB_AT(save.fs, 0x440);
VMCB_AT(save.gs, 0x450);
VMCB_AT(save.gdtr, 0x460);
VMCB_AT(save.ldtr, 0x470);
VMCB_AT(save.idtr, 0x480);
VMCB_AT(save.tr, 0x490);
VMCB_AT(save.cpl, 0x4cb);
VMCB_AT(save.efer, 0x4d0);
VMCB_AT(save.cr4, 0x548);
VMCB_AT(save.cr3, 0x550);
VMCB_AT(save.cr0, 0x558);
VMCB_AT(save.dr7, 0x560);
VMCB_AT(save.dr6, 0x568);
VMCB_AT(save.rflags, 0x570);
VMCB_AT(save.rip, 0x578);
VMCB_AT(save.rsp, 0x5d8);
VMCB_AT(save.rax, 0x5f8);
VMCB_AT(save.star, 0x600);
VMCB_AT(save.lstar, 0x608);
VMCB_AT(save.cstar, 0x610);
VMCB_AT(save.sfmask, 0x618);
VMCB_AT(save.kernel_gs_base, 0x620);
VMCB_AT(save.sysenter_cs, 0x628);
VMCB_AT(save.sysenter_esp, 0x630);
VMCB_AT(save.sysenter_eip, 0x638);
VMCB_AT(save.cr2, 0x640);
VMCB_AT(save.g_pat, 0x668);
VMCB_AT(save.dbgctl, 0x670);
VMCB_AT(save.br_from, 0x678);
VMCB_AT(save.br_to, 0x680);
VMCB_AT(save.last_excp_from, 0x688);
VMCB_AT(save.last_excp_to, 0x690);
_Static_assert(sizeof(struct vmcb_seg) == 16, "vmcb_seg");
_Static_assert(sizeof(struct vmcb) == 4096, "vmcb");

/* svm_vmrun.S addresses struct svm_gprs by these offsets. */
#define GPR_AT(field, off) _Static_assert(offsetof(struct svm_gprs, field) == (off), #field)
GPR_AT(rbx, SVM_GPR_RBX);
GPR_AT(rcx, SVM_GPR_RCX);
GPR_AT(rdx, SVM_GPR_RDX);
GPR_AT(rsi, SVM_GPR_RSI);
GPR_AT(rdi, SVM_GPR_RDI);
GPR_AT(rbp, SVM_GPR_RBP);
GPR_AT(r8, SVM_GPR_R8);
GPR_AT(r9, SVM_GPR_R9);
GPR_AT(r10, SVM_GPR_R10);
GPR_AT(r11, SVM_GPR_R11);
GPR_AT(r12, SVM_GPR_R12);
GPR_AT(r13, SVM_GPR_R13);
GPR_AT(r14, SVM_GPR_R14);
GPR_AT(r15, SVM_GPR_R15);

_Static_assert(offsetof(struct svm, hsave) % 4096 == 0 && offsetof(struct svm, iopm) % 4096 == 0 &&
		       offsetof(struct svm, msrpm) % 4096 == 0 &&
		       offsetof(struct svm, npt_pml4) % 4096 == 0 &&
		       offsetof(struct svm, npt_pd) % 4096 == 0,
	       "what the CPU reads by physical address is page aligned");

/* Nested page table entries: NPT walks count as user accesses, so U is set everywhere. */
#define NPT_P	  (1ULL << 0)
#define NPT_RW	  (1ULL << 1)
#define NPT_US	  (1ULL << 2)
#define NPT_A	  (1ULL << 5)
#define NPT_D	  (1ULL << 6)
#define NPT_PS	  (1ULL << 7)
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US | NPT_A)
#define NPT_LEAF  (NPT_TABLE | NPT_D | NPT_PS)
#define NPT_LIMIT ((uint64_t)NESTED_MAP_GIB << 30)

/* How long the intercepted instructions are in the plain encodings L2 uses. */
#define LEN_CPUID   2 /* 0f a2 */
#define LEN_HLT	    1 /* f4 */
#define LEN_MSR	    2 /* 0f 32, 0f 30 */
#define LEN_VMMCALL 3 /* 0f 01 d9 */

static void svm_cpuid(struct svm *s)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x8000000a)
		mvm_skip("svm: no CPUID leaf 0x8000000A");
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & CPUID_EXT_SVM))
		mvm_skip("svm: CPUID 0x80000001 ECX[2] (SVM) is clear");
	cpuid(0x8000000a, 0, &a, &b, &c, &d);
	s->revision = a & 0xff;
	s->nasid = b;
	s->features = d;
	mvm_printf("svm: revision %u, %u ASIDs, features 0x%x: NP %s, NRIPS %s, VGIF %s, "
		   "decode assists %s",
		   s->revision, s->nasid, s->features, d & SVM_FEAT_NP ? "yes" : "no",
		   d & SVM_FEAT_NRIPS ? "yes" : "no", d & SVM_FEAT_VGIF ? "yes" : "no",
		   d & SVM_FEAT_DECODE_ASSISTS ? "yes" : "no");
	if (s->nasid < 2)
		mvm_skip("svm: fewer than 2 ASIDs, no ASID 1 for L2");
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		mvm_skip("svm: VM_CR.SVMDIS is set");
}

/* A VMCB segment from the descriptor sel names in the GDT: attrib packs bits 47:40 and 55:52. */
static struct vmcb_seg svm_seg(const struct desc_ptr *gdt, uint16_t sel)
{
	struct nested_seg n = nested_gdt_seg(gdt, sel);

	return (struct vmcb_seg){ .selector = sel,
				  .attrib = (uint16_t)((n.attr & 0xff) | (n.attr >> 4 & 0xf00)),
				  .limit = n.limit,
				  .base = n.base };
}

static void svm_init_save(struct svm *s, void (*rip)(void), void *rsp)
{
	struct vmcb_save *v = &s->vmcb.save;
	struct desc_ptr g = read_gdtr();

	/* The VMM's flat segments; FS, GS, TR and LDTR only take effect through VMLOAD. */
	v->cs = svm_seg(&g, MVM_SEL_CODE64);
	v->ds = v->es = v->ss = v->fs = v->gs = svm_seg(&g, MVM_SEL_DATA);
	v->tr = svm_seg(&g, MVM_SEL_TSS);
	v->gdtr = (struct vmcb_seg){ .limit = g.limit, .base = g.base };
	/* No IDT: an exception L2 does not have intercepted ends in SHUTDOWN. */
	v->idtr = (struct vmcb_seg){ 0 };
	v->cpl = 0;
	v->efer = rdmsr(MSR_EFER); /* L1's, SVME included: VMRUN wants it set */
	v->cr0 = read_cr0();
	v->cr3 = read_cr3(); /* L2 shares L1's identity page tables */
	v->cr4 = read_cr4();
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->rflags = 0x2;
	v->rip = (uintptr_t)rip;
	v->rsp = (uintptr_t)rsp;
	v->g_pat = rdmsr(MSR_PAT);
}

void svm_setup(struct svm *s, void (*rip)(void), void *rsp)
{
	struct vmcb_control *c = &s->vmcb.control;

	svm_cpuid(s);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, pa(s->hsave));
	memset(&s->vmcb, 0, sizeof(s->vmcb));
	memset(s->iopm, 0, sizeof(s->iopm));
	memset(s->msrpm, 0, sizeof(s->msrpm));
	memset(&s->gprs, 0, sizeof(s->gprs));
	c->intercept3 = SVM_INTERCEPT3_SHUTDOWN;
	c->intercept4 = SVM_INTERCEPT4_VMRUN;
	/* Empty maps: IOIO_PROT and MSR_PROT intercept nothing until a bit is set. */
	c->iopm_base_pa = pa(s->iopm);
	c->msrpm_base_pa = pa(s->msrpm);
	c->asid = 1;
	c->tlb_control = SVM_TLB_FLUSH_ALL;
	svm_init_save(s, rip, rsp);
}

void svm_npt_init(struct svm *s)
{
	if (!(s->features & SVM_FEAT_NP))
		mvm_skip("svm: no nested paging (CPUID 0x8000000A EDX[0])");
	nested_identity_map(s->npt_pml4, s->npt_pdpt, s->npt_pd, NPT_TABLE, NPT_LEAF);
	s->vmcb.control.n_cr3 = pa(s->npt_pml4);
	s->vmcb.control.np_control |= SVM_NP_ENABLE;
	s->vmcb.control.tlb_control = SVM_TLB_FLUSH_ALL;
}

void svm_npt_map(struct svm *s, uint64_t gpa, int present)
{
	uint64_t base = gpa & ~((2ULL << 20) - 1);

	if (gpa >= NPT_LIMIT)
		mvm_exit(MVM_FAIL, "svm_npt_map: the nested tables cover only 4 GiB");
	/* A hole under L1's own image would take L2's code, stack and tables with it. */
	if (!present && base < pa(__image_end))
		mvm_exit(MVM_FAIL, "svm_npt_map: a hole there would unmap the payload");
	s->npt_pd[base >> 30][(base >> 21) & 511] = present ? base | NPT_LEAF : 0;
	/* A flush costs nothing here and spares reasoning about what the TLB kept. */
	s->vmcb.control.tlb_control = SVM_TLB_FLUSH_ALL;
}

void svm_intercept_io(struct svm *s, uint16_t port)
{
	s->iopm[port / 8] |= (uint8_t)(1U << (port % 8));
	s->vmcb.control.intercept3 |= SVM_INTERCEPT3_IOIO;
}

/*
 * The MSRPM holds two bits per MSR (read, then write) for three ranges of
 * 8192 MSRs, 2 KiB each: 0x0-0x1fff, 0xc0000000-0xc0001fff, 0xc0010000-0xc0011fff.
 */
void svm_intercept_msr(struct svm *s, uint32_t msr, int write)
{
	static const uint32_t range_base[] = { 0x0, 0xc0000000U, 0xc0010000U };
	uint32_t bit;

	for (unsigned int r = 0; r < 3; r++) {
		if (msr - range_base[r] >= 0x2000)
			continue;
		bit = (msr - range_base[r]) * 2 + (write ? 1 : 0);
		s->msrpm[r * 0x800 + bit / 8] |= (uint8_t)(1U << (bit % 8));
		s->vmcb.control.intercept3 |= SVM_INTERCEPT3_MSR;
		return;
	}
	mvm_exit(MVM_FAIL, "svm_intercept_msr: the MSR is in no MSRPM range");
}

const struct mvm_call_l2_exit *svm_run(struct svm *s)
{
	struct vmcb_control *c = &s->vmcb.control;
	uint64_t rip, len = 0;

	/* Nothing is cached: the library changes VMCB fields between runs freely. */
	c->clean = 0;
	c->next_rip = 0;
	svm_vmrun(pa(&s->vmcb), &s->gprs);
	c->tlb_control = SVM_TLB_NOTHING;
	rip = s->vmcb.save.rip;
	if ((s->features & SVM_FEAT_NRIPS) && c->next_rip > rip)
		len = c->next_rip - rip;
	s->exit = (struct mvm_call_l2_exit){
		.reason = c->exit_code,
		.info1 = c->exit_info1,
		.info2 = c->exit_info2,
		.guest_rip = rip,
		.insn_len = len,
		.intr_info = c->exit_int_info,
		.isa = MVM_ISA_SVM,
		.level = 2,
	};
	mvm_l2_exit(&s->exit);
	return &s->exit;
}

int svm_expect(struct svm *s, uint64_t want, const char *name, const void *rip)
{
	const struct mvm_call_l2_exit *e = svm_run(s);
	int ok = e->reason == want && e->guest_rip == (uintptr_t)rip;

	report(ok, "wanted %s (0x%llx) at 0x%lx, got 0x%llx at 0x%llx", name,
	       (unsigned long long)want, (unsigned long)(uintptr_t)rip,
	       (unsigned long long)e->reason, (unsigned long long)e->guest_rip);
	return ok;
}

int svm_skip(struct svm *s)
{
	struct vmcb_control *c = &s->vmcb.control;
	uint64_t len;

	switch (c->exit_code) {
	case SVM_EXIT_IOIO:
		/* EXITINFO2 has the next RIP with or without NRIPS. */
		s->vmcb.save.rip = c->exit_info2;
		return 1;
	case SVM_EXIT_CPUID:
		len = LEN_CPUID;
		break;
	case SVM_EXIT_HLT:
		len = LEN_HLT;
		break;
	case SVM_EXIT_MSR:
		len = LEN_MSR;
		break;
	case SVM_EXIT_VMMCALL:
		len = LEN_VMMCALL;
		break;
	default:
		return 0;
	}
	if ((s->features & SVM_FEAT_NRIPS) && c->next_rip)
		s->vmcb.save.rip = c->next_rip;
	else
		s->vmcb.save.rip += len;
	return 1;
}
