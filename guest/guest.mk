# SPDX-License-Identifier: MIT
# guest/guest.mk - builds the guest SDK (16-, 32- and 64-bit), the payloads tests/guest_*.bin
# and the Multiboot test kernels tests/kernel_*.elf.
#
# The top-level Makefile includes this file; it also runs alone from the repository root:
#	make -f guest/guest.mk payloads [V=1]
# Everything it builds goes to build/guest/ except the payloads, tests/guest_<name>.bin,
# and their symbol files, tests/guest_<name>.sym.

GUEST_MK := $(lastword $(MAKEFILE_LIST))
guest_saved_goal := $(.DEFAULT_GOAL)

# ---------------------------------------------------------------------------
# Payload table, one line per payload:
#	<name>:<mode>[:<source>[:<needs>[:<vcpus>[:<irqchip>]]]]
# builds tests/<name>.bin from tests/payloads/<source>.c (default: <name>.c)
# to start in <mode>: real, prot32, paging32, pae, long or la57. <needs> is
# svm or vmx: the header's flags then carry MVM_FLAG_NEEDS_SVM or _VMX
# (e.g. guest_svm_basic:long::svm, the source left empty for the default).
# <vcpus> is the header's vCPU count (empty: 0, which means 1) and <irqchip>
# its interrupt controller, none, kernel or split (empty: none); e.g.
# guest_ipi:long:::4:kernel. More than one vCPU needs an irqchip.
# ---------------------------------------------------------------------------
GUEST_PAYLOADS := \
	guest_hlt:long \
	guest_pio:long \
	guest_mmio:long \
	guest_mode_real:real:guest_mode \
	guest_mode_prot32:prot32:guest_mode \
	guest_mode_paging32:paging32:guest_mode \
	guest_mode_pae:pae:guest_mode \
	guest_mode_long:long:guest_mode \
	guest_mode_la57:la57:guest_mode \
	guest_exception:long \
	guest_triplefault:long \
	guest_loop:long \
	guest_bench_pio:long \
	guest_bench_mmio:long \
	guest_dirty:long \
	guest_dirty_burst:long \
	guest_ept:long \
	guest_ptwrite:long \
	guest_bench_dirty:long \
	guest_emulate:long \
	guest_emulate_fail:long \
	guest_emulate_fep:long \
	guest_emulate_mode_real:real:guest_emulate_mode \
	guest_emulate_mode_prot32:prot32:guest_emulate_mode \
	guest_emulate_mode_long:long:guest_emulate_mode

# Nested payloads (the payload is an L1 hypervisor): one line each, e.g.
#   GUEST_PAYLOADS += guest_svm_basic:long::svm
# They need VMX or SVM from the host and skip (77) where it is not offered.
GUEST_PAYLOADS += guest_svm_basic:long::svm
GUEST_PAYLOADS += guest_svm_invalid:long::svm
GUEST_PAYLOADS += guest_svm_dirty:long::svm
GUEST_PAYLOADS += guest_svm_paging:long::svm
GUEST_PAYLOADS += guest_svm_intr:long::svm::kernel
GUEST_PAYLOADS += guest_svm_except:long::svm
GUEST_PAYLOADS += guest_vmx_basic:long::vmx
GUEST_PAYLOADS += guest_vmx_vmread:long::vmx
GUEST_PAYLOADS += guest_vmx_invalid:long::vmx
GUEST_PAYLOADS += guest_vmx_dirty:long::vmx
GUEST_PAYLOADS += guest_vmx_paging:long::vmx
GUEST_PAYLOADS += guest_vmx_intr:long::vmx::kernel
GUEST_PAYLOADS += guest_vmx_except:long::vmx
GUEST_PAYLOADS += guest_vmx_pml:long::vmx
GUEST_PAYLOADS += guest_vmx_ptwrite:long::vmx

# Interrupt and SMP payloads (in-kernel irqchip; HLT no longer exits, so they
# end by the exit call): one line each, e.g.
#   GUEST_PAYLOADS += guest_ipi:long:::4:kernel
GUEST_PAYLOADS += guest_tpr:long::::kernel
GUEST_PAYLOADS += guest_extint:long::::kernel
GUEST_PAYLOADS += guest_timer:long::::kernel
GUEST_PAYLOADS += guest_ipi:long:::4:kernel

# PC devices (run with --machine pc; tests/integration/test_pc.c): the run
# ends by isa-debug-exit, not by the exit call.
GUEST_PAYLOADS += guest_pc:long::::kernel

# ---------------------------------------------------------------------------
# Tools and flags.
# ---------------------------------------------------------------------------
GUEST_CC ?= gcc
GUEST_LD ?= ld
GUEST_AR ?= ar
GUEST_OBJCOPY ?= objcopy
GUEST_NM ?= nm

ifeq ($(V),1)
Q ?=
guest_quiet =
else
Q ?= @
guest_quiet = printf '  %-7s %s\n' '$(1)' '$(2)';
endif

# The kernel's x86 uapi headers (<asm/processor-flags.h>, <asm/vmx.h>, <asm/svm.h>) are
# the same for every code size, but Debian installs them only in the 64-bit multiarch
# directory, which gcc -m32 does not search (-m16 and -m64 do): add it, last.
GUEST_UAPI_DIR := /usr/include/$(shell $(GUEST_CC) -m64 -print-multiarch 2>/dev/null)
GUEST_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-builtin -nostdlib -mno-red-zone -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-omit-frame-pointer \
	-O2 -Wall -Wextra -Werror -Iinclude -Iguest -idirafter $(GUEST_UAPI_DIR) -MMD -MP
GUEST_LDFLAGS := -T guest/guest.ld -nostdlib --build-id=none -z noexecstack \
	--no-warn-rwx-segments

# Per code size: compiler flags and linker emulation.
GUEST_BITS_FLAGS_16 := -m16 -DMVM_BITS=16
GUEST_BITS_FLAGS_32 := -m32 -DMVM_BITS=32
GUEST_BITS_FLAGS_64 := -m64 -DMVM_BITS=64
GUEST_LD_EMUL_16 := elf_i386
GUEST_LD_EMUL_32 := elf_i386
GUEST_LD_EMUL_64 := elf_x86_64

# Load addresses come from the ABI header, so they are written down only there.
guest_abi_value = $(patsubst %ULL,%,$(lastword $(shell echo '$(1)' | \
	$(GUEST_CC) -E -P -D__ASSEMBLER__ -Iinclude -include minivmm_abi.h -x c -)))
GUEST_LOAD_REAL := $(call guest_abi_value,MVM_RAW_LOAD_GPA)
GUEST_LOAD := $(call guest_abi_value,MVM_LOAD_GPA)

# Per start mode: code size, ABI mode macro, load address[, highest image end].
# Real mode runs with segment bases 0 and 64 KiB limits: the image must end below 64 KiB.
GUEST_MODE_real := 16 MVM_MODE_REAL $(GUEST_LOAD_REAL) 0x10000
GUEST_MODE_prot32 := 32 MVM_MODE_PROT32 $(GUEST_LOAD)
GUEST_MODE_paging32 := 32 MVM_MODE_PAGING32 $(GUEST_LOAD)
GUEST_MODE_pae := 32 MVM_MODE_PAE $(GUEST_LOAD)
GUEST_MODE_long := 64 MVM_MODE_LONG $(GUEST_LOAD)
GUEST_MODE_la57 := 64 MVM_MODE_LA57 $(GUEST_LOAD)
guest_mode_bits = $(word 1,$(GUEST_MODE_$(1)))
guest_mode_macro = $(word 2,$(GUEST_MODE_$(1)))
guest_mode_load = $(word 3,$(GUEST_MODE_$(1)))
guest_mode_limit = $(addprefix --defsym=IMAGE_LIMIT=,$(word 4,$(GUEST_MODE_$(1))))

# A row's <needs> as the header's flags: entry.S stores the symbol HEADER_FLAGS there.
GUEST_NEEDS_svm := $(patsubst %U,%,$(call guest_abi_value,MVM_FLAG_NEEDS_SVM))
GUEST_NEEDS_vmx := $(patsubst %U,%,$(call guest_abi_value,MVM_FLAG_NEEDS_VMX))
guest_needs_flags = --defsym=HEADER_FLAGS=$(if $(1),$(or $(GUEST_NEEDS_$(1)),$(error \
	guest.mk: unknown <needs> '$(1)' (svm or vmx))),0)

# A row's <vcpus> and <irqchip> as the header's: entry.S stores HEADER_VCPUS and HEADER_IRQCHIP.
GUEST_IRQCHIP_none := $(call guest_abi_value,MVM_IRQCHIP_NONE)
GUEST_IRQCHIP_kernel := $(call guest_abi_value,MVM_IRQCHIP_KERNEL)
GUEST_IRQCHIP_split := $(call guest_abi_value,MVM_IRQCHIP_SPLIT)
# ld refuses a <vcpus> that is not a number (it reads as an undefined symbol).
guest_vcpus_flags = --defsym=HEADER_VCPUS=$(or $(1),0)
guest_irqchip_flags = --defsym=HEADER_IRQCHIP=$(if $(1),$(or $(GUEST_IRQCHIP_$(1)),$(error \
	guest.mk: unknown <irqchip> '$(1)' (none, kernel or split))),0)

# ---------------------------------------------------------------------------
# The SDK library, once per code size: build/guest/<bits>/libmvm.a.
# Real mode has no IDT support, so the 16-bit library leaves out the fault files.
# ---------------------------------------------------------------------------
GUEST_LIB_OBJS := \
	lib.o \
	report.o \
	printf.o \
	string.o
GUEST_LIB_FAULT_OBJS := \
	idt.o \
	fault.o \
	isr.o
GUEST_LIB_OBJS_16 := $(GUEST_LIB_OBJS)
GUEST_LIB_OBJS_32 := $(GUEST_LIB_OBJS) $(GUEST_LIB_FAULT_OBJS)
# The L1 hypervisor libraries (64-bit only): one line each, e.g.
#   GUEST_LIB_NESTED_OBJS += svm.o
GUEST_LIB_NESTED_OBJS :=
GUEST_LIB_NESTED_OBJS += nested.o
GUEST_LIB_NESTED_OBJS += vmx.o
GUEST_LIB_NESTED_OBJS += vmx_vmcs.o
GUEST_LIB_NESTED_OBJS += vmx_entry.o
GUEST_LIB_NESTED_OBJS += svm.o
GUEST_LIB_NESTED_OBJS += svm_vmrun.o
# Interrupts, the local and I/O APICs, time and SMP start (64-bit only): one line each, e.g.
#   GUEST_LIB_IRQ_OBJS += apic.o
GUEST_LIB_IRQ_OBJS :=
GUEST_LIB_IRQ_OBJS += irq.o
GUEST_LIB_IRQ_OBJS += irq_stubs.o
GUEST_LIB_IRQ_OBJS += apic.o
GUEST_LIB_IRQ_OBJS += apic_timer.o
GUEST_LIB_IRQ_OBJS += ioapic.o
GUEST_LIB_IRQ_OBJS += time.o
GUEST_LIB_IRQ_OBJS += smp.o
GUEST_LIB_IRQ_OBJS += ap_start.o
GUEST_LIB_OBJS_64 = $(GUEST_LIB_OBJS) $(GUEST_LIB_FAULT_OBJS) $(GUEST_LIB_NESTED_OBJS) \
	$(GUEST_LIB_IRQ_OBJS)

define guest_lib_rules
build/guest/$(1)/%.o: guest/%.c $(GUEST_MK)
	$$(Q)$$(call guest_quiet,CC,$$@)mkdir -p $$(@D) && \
		$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_BITS_FLAGS_$(1)) -c $$< -o $$@

build/guest/$(1)/%.o: guest/%.S $(GUEST_MK)
	$$(Q)$$(call guest_quiet,AS,$$@)mkdir -p $$(@D) && \
		$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_BITS_FLAGS_$(1)) -c $$< -o $$@

build/guest/$(1)/libmvm.a: $(addprefix build/guest/$(1)/,$(GUEST_LIB_OBJS_$(1)))
	$$(Q)$$(call guest_quiet,AR,$$@)rm -f $$@ && $$(GUEST_AR) rcs $$@ $$^

GUEST_OBJS += $(addprefix build/guest/$(1)/,$(GUEST_LIB_OBJS_$(1)))
endef

# ---------------------------------------------------------------------------
# Entry code, once per start mode: build/guest/entry_<mode>.o.
# ---------------------------------------------------------------------------
define guest_entry_rules
build/guest/entry_$(1).o: guest/entry.S $(GUEST_MK)
	$$(Q)$$(call guest_quiet,AS,$$@)mkdir -p $$(@D) && \
		$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_BITS_FLAGS_$(call guest_mode_bits,$(1))) \
		-DMVM_ENTRY_MODE=$(call guest_mode_macro,$(1)) -c $$< -o $$@

GUEST_OBJS += build/guest/entry_$(1).o
endef

# ---------------------------------------------------------------------------
# One payload: $(1) name, $(2) mode, $(3) source name, $(4) needs, $(5) vcpus,
# $(6) irqchip (the last three may be empty).
# ---------------------------------------------------------------------------
define guest_payload_rules
build/guest/payloads/$(1).o: tests/payloads/$(3).c $(GUEST_MK)
	$$(Q)$$(call guest_quiet,CC,$$@)mkdir -p $$(@D) && \
		$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_BITS_FLAGS_$(call guest_mode_bits,$(2))) \
		-DEXPECT_MODE=$(call guest_mode_macro,$(2)) -c $$< -o $$@

build/guest/payloads/$(1).elf: build/guest/entry_$(2).o build/guest/payloads/$(1).o \
		build/guest/$(call guest_mode_bits,$(2))/libmvm.a guest/guest.ld
	$$(Q)$$(call guest_quiet,LD,$$@)$$(GUEST_LD) \
		-m $$(GUEST_LD_EMUL_$(call guest_mode_bits,$(2))) \
		--defsym=LOAD_ADDR=$(call guest_mode_load,$(2)) $(call guest_mode_limit,$(2)) \
		$(call guest_needs_flags,$(4)) $(call guest_vcpus_flags,$(5)) \
		$(call guest_irqchip_flags,$(6)) \
		$$(GUEST_LDFLAGS) \
		-o $$@ $$(filter %.o %.a,$$^)

tests/$(1).bin: build/guest/payloads/$(1).elf
	$$(Q)$$(call guest_quiet,OBJCOPY,$$@)$$(GUEST_OBJCOPY) -O binary $$< $$@

# The symbols minivmm names RIPs with (vmm/symbols.h reads nm's output as it is);
# through a temporary file, so that a failed nm leaves no half a file behind.
tests/$(1).sym: build/guest/payloads/$(1).elf
	$$(Q)$$(call guest_quiet,NM,$$@)$$(GUEST_NM) -n -S --defined-only $$< >$$@.tmp && \
		mv $$@.tmp $$@

GUEST_OBJS += build/guest/payloads/$(1).o
PAYLOAD_BINS += tests/$(1).bin
PAYLOAD_SYMS += tests/$(1).sym
endef

# ---------------------------------------------------------------------------
# Multiboot test kernels, one name per line: tests/kernel_<name>.elf (ELF32,
# linked at 4 MiB like kvm-unit-tests' binaries) from tests/kernels/<name>.c,
# the Multiboot header and _start of guest/multiboot.S, and the 32-bit SDK.
# They are booted as they are, not objcopied: minivmm loads their PT_LOADs.
# ---------------------------------------------------------------------------
GUEST_KERNELS :=
GUEST_KERNELS += mb_info
GUEST_KERNELS += cpuid
GUEST_KERNELS += pic
GUEST_KERNEL_LOAD := 0x400000

build/guest/multiboot.o: guest/multiboot.S $(GUEST_MK)
	$(Q)$(call guest_quiet,AS,$@)mkdir -p $(@D) && \
		$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_BITS_FLAGS_32) -c $< -o $@

define guest_kernel_rules
build/guest/kernels/$(1).o: tests/kernels/$(1).c $(GUEST_MK)
	$$(Q)$$(call guest_quiet,CC,$$@)mkdir -p $$(@D) && \
		$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_BITS_FLAGS_32) -c $$< -o $$@

tests/kernel_$(1).elf: build/guest/multiboot.o build/guest/kernels/$(1).o \
		build/guest/32/libmvm.a guest/guest.ld
	$$(Q)$$(call guest_quiet,LD,$$@)$$(GUEST_LD) -m $$(GUEST_LD_EMUL_32) \
		--defsym=LOAD_ADDR=$$(GUEST_KERNEL_LOAD) $$(GUEST_LDFLAGS) \
		-o $$@ $$(filter %.o %.a,$$^)

tests/kernel_$(1).sym: tests/kernel_$(1).elf
	$$(Q)$$(call guest_quiet,NM,$$@)$$(GUEST_NM) -n -S --defined-only $$< >$$@.tmp && \
		mv $$@.tmp $$@

GUEST_OBJS += build/guest/kernels/$(1).o
KERNEL_ELFS += tests/kernel_$(1).elf
KERNEL_SYMS += tests/kernel_$(1).sym
endef

GUEST_OBJS := build/guest/multiboot.o
PAYLOAD_BINS :=
PAYLOAD_SYMS :=
KERNEL_ELFS :=
KERNEL_SYMS :=
# Field $(2) of row $(1); an empty field ("a:long::svm", "a:long:::4") reads as nothing.
# Two passes: one leaves every other colon of a run of three or more.
guest_field = $(filter-out -,$(word $(2),$(subst :, ,$(subst ::,:-:,$(subst ::,:-:,$(1))))))
$(foreach b,16 32 64,$(eval $(call guest_lib_rules,$(b))))
$(foreach m,real prot32 paging32 pae long la57,$(eval $(call guest_entry_rules,$(m))))
$(foreach r,$(GUEST_PAYLOADS),$(eval $(call guest_payload_rules,$(call guest_field,$(r),1),$(call \
	guest_field,$(r),2),$(firstword $(call guest_field,$(r),3) $(call \
	guest_field,$(r),1)),$(call guest_field,$(r),4),$(call guest_field,$(r),5),$(call \
	guest_field,$(r),6))))

$(foreach k,$(GUEST_KERNELS),$(eval $(call guest_kernel_rules,$(k))))

.PHONY: payloads guest-clean
payloads: $(PAYLOAD_BINS) $(PAYLOAD_SYMS) $(KERNEL_ELFS) $(KERNEL_SYMS)

guest-clean:
	rm -rf build/guest $(PAYLOAD_BINS) $(PAYLOAD_SYMS) $(KERNEL_ELFS) $(KERNEL_SYMS)

-include $(GUEST_OBJS:.o=.d)

# Alone, default to the payloads; included, leave the including Makefile's default alone.
ifeq ($(firstword $(MAKEFILE_LIST)),$(GUEST_MK))
.DEFAULT_GOAL := payloads
else
.DEFAULT_GOAL := $(guest_saved_goal)
endif
