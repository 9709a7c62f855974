/* SPDX-License-Identifier: MIT */
/* vmx_vmcs.c - owns the VMCS of one 64-bit L2: controls, bitmaps, EPT, host and guest state. */
#include "vmx_lib.h"

/* ------------------------------------------------------------------------
 * Controls: the allowed-0 half of a capability MSR (bits 31:0) are the
 * bits that must be 1, the allowed-1 half (bits 63:32) those that may be.
 * The TRUE_* MSRs replace the first four when IA32_VMX_BASIC bit 55 is set.
 * ---------------------------------------------------------------------- */
struct vmx_cap {
	uint32_t must, may;
};

static struct vmx_cap vmx_cap_read(const struct vmx *v, uint32_t msr, uint32_t true_msr)
{
	uint64_t m = rdmsr(true_msr && (v->basic & VMX_BASIC_TRUE_CTLS) ? true_msr : msr);
	struct vmx_cap c = { (uint32_t)m, (uint32_t)(m >> 32) };

	return c;
}

static uint32_t vmx_ctl(const char *name, struct vmx_cap c, uint32_t want)
{
	uint32_t ctl = want | c.must;

	if (ctl & ~c.may) {
		report(0, "%s controls: wanted 0x%x, the CPU does not allow 0x%x", name, want,
		       ctl & ~c.may);
		mvm_exit(MVM_FAIL, "VMX controls not available");
	}
	return ctl;
}

static void vmx_controls(struct vmx *v, const struct vmx_config *cfg)
{
	struct vmx_cap pin =
		vmx_cap_read(v, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS);
	struct vmx_cap proc =
		vmx_cap_read(v, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
	struct vmx_cap exit = vmx_cap_read(v, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS);
	struct vmx_cap entry =
		vmx_cap_read(v, MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	struct vmx_cap proc2 = { 0, 0 };
	uint32_t want = cfg->proc;

	/* Bitmaps when the CPU has them: only the chosen port and MSR exit. */
	want |= proc.may & CPU_USE_MSR_BITMAPS;
	want |= proc.may & CPU_USE_IO_BITMAPS ? CPU_USE_IO_BITMAPS : CPU_UNCOND_IO_EXITING;
	if (cfg->ept)
		want |= CPU_SECONDARY;
	if (proc.may & CPU_SECONDARY)
		proc2 = vmx_cap_read(v, MSR_IA32_VMX_PROCBASED_CTLS2, 0);
	v->pin = vmx_ctl("pin-based", pin, 0);
	v->proc = vmx_ctl("primary processor-based", proc, want);
	v->proc2 = v->proc & CPU_SECONDARY ? vmx_ctl("secondary processor-based", proc2,
						     cfg->ept ? CPU2_ENABLE_EPT : 0)
					   : 0;
	v->exit_ctl =
		vmx_ctl("VM-exit", exit, EXIT_HOST_ADDR_SPACE_SIZE | (exit.may & EXIT_LOAD_EFER));
	v->entry_ctl = vmx_ctl("VM-entry", entry, ENTRY_IA32E_MODE | (entry.may & ENTRY_LOAD_EFER));
	vmwrite(PIN_BASED_VM_EXEC_CONTROL, v->pin);
	vmwrite(CPU_BASED_VM_EXEC_CONTROL, v->proc);
	if (v->proc & CPU_SECONDARY)
		vmwrite(SECONDARY_VM_EXEC_CONTROL, v->proc2);
	vmwrite(VM_EXIT_CONTROLS, v->exit_ctl);
	vmwrite(VM_ENTRY_CONTROLS, v->entry_ctl);
	mvm_printf("vmx: basic 0x%llx pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x\n",
		   (unsigned long long)v->basic, v->pin, v->proc, v->proc2, v->exit_ctl,
		   v->entry_ctl);
}

/* Empty bitmaps: nothing exits until vmx_intercept_io/_msr sets a bit. */
static void vmx_bitmaps(struct vmx *v)
{
	memset(v->io_bitmap_a, 0, sizeof(v->io_bitmap_a));
	memset(v->io_bitmap_b, 0, sizeof(v->io_bitmap_b));
	memset(v->msr_bitmap, 0, sizeof(v->msr_bitmap));
	if (v->proc & CPU_USE_IO_BITMAPS) {
		vmwrite(IO_BITMAP_A, pa(v->io_bitmap_a));
		vmwrite(IO_BITMAP_B, pa(v->io_bitmap_b));
	}
	if (v->proc & CPU_USE_MSR_BITMAPS)
		vmwrite(MSR_BITMAP, pa(v->msr_bitmap));
}

void vmx_intercept_io(struct vmx *v, uint16_t port)
{
	/* A covers ports 0-0x7fff, B 0x8000-0xffff; one bit each. */
	uint8_t *bm = port < 0x8000 ? v->io_bitmap_a : v->io_bitmap_b;

	if (!(v->proc & CPU_USE_IO_BITMAPS))
		return; /* unconditional I/O exiting: every port exits already */
	bm[(port & 0x7fff) / 8] |= (uint8_t)(1U << (port % 8));
}

/*
 * The MSR bitmap: reads of 0-0x1fff at byte 0, of 0xc0000000-0xc0001fff at
 * 1024, writes of the same two ranges at 2048 and 3072; one bit each.
 */
void vmx_intercept_msr(struct vmx *v, uint32_t msr, int write)
{
	uint32_t bit = msr & 0x1fff;
	unsigned int base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000U && msr < 0xc0002000U)
		base = 1024;
	else
		mvm_exit(MVM_FAIL, "vmx_intercept_msr: the MSR is in no MSR-bitmap range");
	if (!(v->proc & CPU_USE_MSR_BITMAPS))
		return; /* no MSR bitmaps: every RDMSR and WRMSR exits already */
	v->msr_bitmap[base + (write ? 2048 : 0) + bit / 8] |= (uint8_t)(1U << (bit % 8));
}

/* ------------------------------------------------------------------------
 * EPT: an identity map of the first NESTED_MAP_GIB GiB in 2 MiB pages, but
 * the 2 MiB around the hole in 4 KiB pages with the hole left out.
 * ---------------------------------------------------------------------- */
static void vmx_ept_build(struct vmx *v, uint64_t hole)
{
	uint64_t mt = v->ept_cap & EPT_CAP_WB ? EPT_MT_WB : EPT_MT_UC;
	uint64_t leaf = EPT_RWX | EPT_MT_WB << EPT_MT_SHIFT;

	nested_identity_map(v->ept_pml4, v->ept_pdpt, v->ept_pd, EPT_RWX, leaf | EPT_LEAF_2M);
	if (hole) {
		uint64_t base = hole & ~0x1fffffULL;

		for (uint64_t k = 0; k < 512; k++)
			v->ept_pt[k] = (base + k * PAGE_4K) | leaf;
		v->ept_pt[(hole >> 12) & 511] = 0;
		v->ept_pd[hole >> 30][(hole >> 21) & 511] = pa(v->ept_pt) | EPT_RWX;
	}
	v->eptp = pa(v->ept_pml4) | EPTP_WALK_4 | mt;
}

static void vmx_ept_init(struct vmx *v, const struct vmx_config *cfg)
{
	uint64_t hole = cfg->ept_hole;

	v->ept_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(v->ept_cap & EPT_CAP_WALK_4) || !(v->ept_cap & (EPT_CAP_WB | EPT_CAP_UC)))
		mvm_skip("IA32_VMX_EPT_VPID_CAP: no 4-level walk or no WB/UC memory type for EPT");
	if (!(v->ept_cap & EPT_CAP_2M))
		mvm_skip("IA32_VMX_EPT_VPID_CAP: no 2 MiB EPT pages for L1's identity map");
	if (hole && ((hole & 0xfff) || hole < pa(__image_end) || hole >> 30 >= NESTED_MAP_GIB)) {
		report(0, "EPT hole 0x%llx: not a free page above the image, below %d GiB",
		       (unsigned long long)hole, NESTED_MAP_GIB);
		mvm_exit(MVM_FAIL, "bad EPT hole");
	}
	vmx_ept_build(v, hole);
	vmwrite(EPT_POINTER, v->eptp);
}

void vmx_ept_map_hole(struct vmx *v, uint64_t l1_gpa)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { v->eptp, 0 };
	uint64_t hole = v->cfg.ept_hole;
	uint64_t type = v->ept_cap & EPT_CAP_INVEPT_1 ? INVEPT_SINGLE : INVEPT_ALL;
	uint8_t cf, zf;

	if (!hole)
		return;
	v->ept_pt[(hole >> 12) & 511] = (l1_gpa & ~0xfffULL) | EPT_RWX | EPT_MT_WB << EPT_MT_SHIFT;
	if (!(v->ept_cap & EPT_CAP_INVEPT) || !(v->ept_cap & (EPT_CAP_INVEPT_1 | EPT_CAP_INVEPT_2)))
		return;
	asm volatile("invept %[desc], %[type]\n\tsetc %[cf]\n\tsetz %[zf]"
		     : [cf] "=qm"(cf), [zf] "=qm"(zf)
		     : [desc] "m"(desc), [type] "r"(type)
		     : "cc", "memory");
	if (vmx_status_of(cf, zf) != VMX_SUCCEED)
		vmx_check(vmx_status_of(cf, zf), "INVEPT");
}

/* ------------------------------------------------------------------------
 * Host and guest state.
 * ---------------------------------------------------------------------- */
struct seg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit, ar;
};

#define READ_SEG(reg)                                         \
	({                                                    \
		uint16_t s_;                                  \
		asm volatile("mov %%" reg ", %0" : "=r"(s_)); \
		s_;                                           \
	})

/* A segment as the GDT describes it, in the VMCS's form: a null selector is unusable. */
static struct seg gdt_seg(const struct desc_ptr *gdt, uint16_t sel)
{
	struct nested_seg n = nested_gdt_seg(gdt, sel);
	struct seg s = { .sel = sel, .base = n.base, .limit = n.limit, .ar = n.attr };

	if (!(sel & ~7U))
		s.ar = AR_UNUSABLE;
	else if (!n.system)
		s.ar |= AR_ACCESSED; /* VM entry wants code and data segments marked accessed */
	return s;
}

static void vmx_host_state(void)
{
	struct desc_ptr gdt = read_gdtr(), idt = read_idtr();

	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_ES_SELECTOR, READ_SEG("es"));
	vmwrite(HOST_CS_SELECTOR, READ_SEG("cs"));
	vmwrite(HOST_SS_SELECTOR, READ_SEG("ss"));
	vmwrite(HOST_DS_SELECTOR, READ_SEG("ds"));
	vmwrite(HOST_FS_SELECTOR, READ_SEG("fs"));
	vmwrite(HOST_GS_SELECTOR, READ_SEG("gs"));
	vmwrite(HOST_TR_SELECTOR, read_tr());
	vmwrite(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(HOST_TR_BASE, gdt_seg(&gdt, read_tr()).base);
	vmwrite(HOST_GDTR_BASE, gdt.base);
	vmwrite(HOST_IDTR_BASE, idt.base);
	vmwrite(HOST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(HOST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(HOST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	/* HOST_RSP and HOST_RIP: vmx_enter sets them on every entry. */
}

static void vmx_guest_seg(uint32_t sel_field, const struct seg *s)
{
	/* Selector, base, limit and access-rights fields are laid out alike for every register. */
	vmwrite(sel_field, s->sel);
	vmwrite(GUEST_ES_BASE + (sel_field - GUEST_ES_SELECTOR), s->base);
	vmwrite(GUEST_ES_LIMIT + (sel_field - GUEST_ES_SELECTOR), s->limit);
	vmwrite(GUEST_ES_AR + (sel_field - GUEST_ES_SELECTOR), s->ar);
}

/* L2 runs in L1's own flat 64-bit segments, page tables and descriptor tables. */
static void vmx_guest_segments(void)
{
	struct desc_ptr gdt = read_gdtr(), idt = read_idtr();
	struct seg s;

	s = gdt_seg(&gdt, READ_SEG("es"));
	vmx_guest_seg(GUEST_ES_SELECTOR, &s);
	s = gdt_seg(&gdt, READ_SEG("cs"));
	vmx_guest_seg(GUEST_CS_SELECTOR, &s);
	s = gdt_seg(&gdt, READ_SEG("ss"));
	vmx_guest_seg(GUEST_SS_SELECTOR, &s);
	s = gdt_seg(&gdt, READ_SEG("ds"));
	vmx_guest_seg(GUEST_DS_SELECTOR, &s);
	/* In 64-bit mode the FS and GS bases come from MSRs, not from the GDT. */
	s = gdt_seg(&gdt, READ_SEG("fs"));
	s.base = rdmsr(MSR_FS_BASE);
	vmx_guest_seg(GUEST_FS_SELECTOR, &s);
	s = gdt_seg(&gdt, READ_SEG("gs"));
	s.base = rdmsr(MSR_GS_BASE);
	vmx_guest_seg(GUEST_GS_SELECTOR, &s);
	s = gdt_seg(&gdt, 0);
	vmx_guest_seg(GUEST_LDTR_SELECTOR, &s);
	s = gdt_seg(&gdt, read_tr());
	vmx_guest_seg(GUEST_TR_SELECTOR, &s);
	vmwrite(GUEST_GDTR_BASE, gdt.base);
	vmwrite(GUEST_GDTR_LIMIT, gdt.limit);
	vmwrite(GUEST_IDTR_BASE, idt.base);
	vmwrite(GUEST_IDTR_LIMIT, idt.limit);
}

static void vmx_guest_state(struct vmx *v, void (*rip)(void), void *rsp)
{
	vmwrite(GUEST_CR0, (read_cr0() | v->cr0_fixed0) & v->cr0_fixed1);
	vmwrite(GUEST_CR3, read_cr3());
	vmwrite(GUEST_CR4, (read_cr4() | v->cr4_fixed0) & v->cr4_fixed1);
	/* L2 owns every CR0/CR4 bit: no guest/host mask, so no CR0/CR4 exits. */
	vmwrite(CR0_GUEST_HOST_MASK, 0);
	vmwrite(CR4_GUEST_HOST_MASK, 0);
	vmwrite(CR0_READ_SHADOW, 0);
	vmwrite(CR4_READ_SHADOW, 0);
	if (v->entry_ctl & ENTRY_LOAD_EFER)
		vmwrite(GUEST_IA32_EFER, rdmsr(MSR_EFER));
	if (v->exit_ctl & EXIT_LOAD_EFER)
		vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmx_guest_segments();
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_RSP, (uint64_t)(uintptr_t)rsp);
	vmwrite(GUEST_RIP, (uint64_t)(uintptr_t)rip);
	vmwrite(GUEST_RFLAGS, 0x2);
	vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
}

static void vmx_other_controls(const struct vmx_config *cfg)
{
	vmwrite(EXCEPTION_BITMAP, cfg->exception_bitmap);
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_INTR_INFO, 0);
}

void vmx_vmcs_init(struct vmx *v, void (*rip)(void), void *rsp, const struct vmx_config *cfg)
{
	uint32_t rev = (uint32_t)(v->basic & VMX_BASIC_REVISION_MASK);

	v->cfg = *cfg;
	v->launched = 0;
	memset(&v->l2, 0, sizeof(v->l2));
	memset(v->vmcs, 0, sizeof(v->vmcs));
	memcpy(v->vmcs, &rev, sizeof(rev));
	vmx_check(VMX_OP_PA("vmclear", pa(v->vmcs)), "VMCLEAR");
	vmx_check(VMX_OP_PA("vmptrld", pa(v->vmcs)), "VMPTRLD");
	vmx_controls(v, cfg);
	vmx_bitmaps(v);
	if (cfg->ept)
		vmx_ept_init(v, cfg);
	vmx_other_controls(cfg);
	vmx_host_state();
	vmx_guest_state(v, rip, rsp);
}
