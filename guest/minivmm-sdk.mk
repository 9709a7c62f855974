# SPDX-License-Identifier: MIT
# minivmm-sdk.mk - builds minivmm payloads out of tree, against the installed guest SDK.
#
# `make install` puts this file in DATADIR/sdk/, here /usr/local/share/minivmm/sdk/,
# with the SDK's install prefix written in. A payload's Makefile:
#
#	include /usr/local/share/minivmm/sdk/minivmm-sdk.mk
#	$(eval $(call minivmm_payload,hello,long,hello.c))
#	all: hello.bin hello.sym
#
# minivmm_payload NAME,MODE,SOURCES[,NEEDS[,VCPUS[,IRQCHIP]]] makes NAME.bin, the flat
# payload `minivmm run NAME.bin` boots, and NAME.sym, the symbols minivmm names RIPs
# with (it reads them beside NAME.bin), from the .c and .S files SOURCES, linked with the
# SDK's entry code for start mode MODE (real, prot32, paging32, pae, long or la57) and
# its library. NEEDS (svm or vmx), VCPUS and IRQCHIP (none, kernel or split) fill the
# payload header as guest.mk's table does in the minivmm tree (docs/abi.md). Objects and
# NAME.elf go to $(MINIVMM_OBJDIR)/NAME/.
#
# Variables, to set on make's command line or before the include:
#	MINIVMM_SDK      the prefix the SDK is installed under (default: the one
#	                 `make install` was given), e.g. /tmp/x/usr after DESTDIR=/tmp/x
#	MINIVMM_CFLAGS   more compiler flags for the payload's own sources
#	MINIVMM_OBJDIR   where objects and ELFs go (default: build)
#	MINIVMM_CC, MINIVMM_LD, MINIVMM_OBJCOPY, MINIVMM_NM   the tools (gcc, ld, ...)

MINIVMM_SDK ?= @PREFIX@
MINIVMM_INCLUDE ?= @INCLUDE@
MINIVMM_LIB ?= @LIB@
MINIVMM_OBJDIR ?= build
MINIVMM_CC ?= gcc
MINIVMM_LD ?= ld
MINIVMM_OBJCOPY ?= objcopy
MINIVMM_NM ?= nm

ifeq ($(wildcard $(MINIVMM_INCLUDE)/mvm_guest.h),)
$(error minivmm-sdk.mk: no SDK headers in $(MINIVMM_INCLUDE) (set MINIVMM_SDK to the install prefix))
endif

# As guest.mk builds the SDK itself: freestanding, no red zone, no SSE, no PIC; the
# kernel's x86 uapi headers (mvm_x86.h) are in the 64-bit multiarch directory only.
minivmm_uapi := /usr/include/$(shell $(MINIVMM_CC) -m64 -print-multiarch 2>/dev/null)
minivmm_cflags := -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-builtin -nostdlib -mno-red-zone -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-omit-frame-pointer \
	-O2 -Wall -Wextra -I$(MINIVMM_INCLUDE) -idirafter $(minivmm_uapi) -MMD -MP
minivmm_ldflags := -T $(MINIVMM_LIB)/guest.ld -nostdlib --build-id=none -z noexecstack \
	--no-warn-rwx-segments

# Values of the ABI header, read from the installed copy (nothing is written down twice).
minivmm_abi = $(patsubst %U,%,$(patsubst %ULL,%,$(lastword $(shell echo '$(1)' | \
	$(MINIVMM_CC) -E -P -D__ASSEMBLER__ -I$(MINIVMM_INCLUDE) -include minivmm_abi.h -x c -))))
minivmm_load_real := $(call minivmm_abi,MVM_RAW_LOAD_GPA)
minivmm_load := $(call minivmm_abi,MVM_LOAD_GPA)

# Per start mode: code size, -m flag, ld emulation, load address[, highest image end].
minivmm_mode_real := 16 -m16 elf_i386 $(minivmm_load_real) 0x10000
minivmm_mode_prot32 := 32 -m32 elf_i386 $(minivmm_load)
minivmm_mode_paging32 := 32 -m32 elf_i386 $(minivmm_load)
minivmm_mode_pae := 32 -m32 elf_i386 $(minivmm_load)
minivmm_mode_long := 64 -m64 elf_x86_64 $(minivmm_load)
minivmm_mode_la57 := 64 -m64 elf_x86_64 $(minivmm_load)
minivmm_mode = $(or $(word $(2),$(minivmm_mode_$(1))),$(error \
	minivmm_payload: unknown mode '$(1)' (real, prot32, paging32, pae, long, la57)))
minivmm_limit = $(addprefix --defsym=IMAGE_LIMIT=,$(word 5,$(minivmm_mode_$(1))))
# A payload's <needs> and <irqchip> words as the header's values ($(2): the kind, $(3): the words).
minivmm_word_svm := MVM_FLAG_NEEDS_SVM
minivmm_word_vmx := MVM_FLAG_NEEDS_VMX
minivmm_word_none := MVM_IRQCHIP_NONE
minivmm_word_kernel := MVM_IRQCHIP_KERNEL
minivmm_word_split := MVM_IRQCHIP_SPLIT
minivmm_header = $(if $(1),$(call minivmm_abi,$(if $(filter $(3),$(1)),$(minivmm_word_$(1)),$(error \
	minivmm_payload: unknown $(2) '$(1)' ($(3))))),0)
minivmm_needs = $(call minivmm_header,$(1),needs,svm vmx)
minivmm_irqchip = $(call minivmm_header,$(1),irqchip,none kernel split)
minivmm_objs = $(patsubst %,$(MINIVMM_OBJDIR)/$(1)/%.o,$(basename $(2)))

# $(1) name, $(2) mode, $(3) sources, $(4) needs, $(5) vcpus, $(6) irqchip. The rules
# leave the including Makefile's default goal as it was (empty: its next target).
define minivmm_payload
minivmm_goal := $$(.DEFAULT_GOAL)
$(call minivmm_objs,$(1),$(3)): minivmm_bits_flags := $(call minivmm_mode,$(2),2) \
	-DMVM_BITS=$(call minivmm_mode,$(2),1)

$(MINIVMM_OBJDIR)/$(1)/%.o: %.c
	mkdir -p $$(@D) && $$(MINIVMM_CC) $$(minivmm_cflags) $$(minivmm_bits_flags) \
		$$(MINIVMM_CFLAGS) -c $$< -o $$@

$(MINIVMM_OBJDIR)/$(1)/%.o: %.S
	mkdir -p $$(@D) && $$(MINIVMM_CC) $$(minivmm_cflags) $$(minivmm_bits_flags) \
		$$(MINIVMM_CFLAGS) -c $$< -o $$@

$(MINIVMM_OBJDIR)/$(1)/$(1).elf: $(MINIVMM_LIB)/entry_$(2).o $(call minivmm_objs,$(1),$(3)) \
		$(MINIVMM_LIB)/$(call minivmm_mode,$(2),1)/libmvm.a $(MINIVMM_LIB)/guest.ld
	$$(MINIVMM_LD) -m $(call minivmm_mode,$(2),3) \
		--defsym=LOAD_ADDR=$(call minivmm_mode,$(2),4) $(call minivmm_limit,$(2)) \
		--defsym=HEADER_FLAGS=$(call minivmm_needs,$(4)) --defsym=HEADER_VCPUS=$(or $(5),0) \
		--defsym=HEADER_IRQCHIP=$(call minivmm_irqchip,$(6)) $$(minivmm_ldflags) \
		-o $$@ $$(filter %.o %.a,$$^)

$(1).bin: $(MINIVMM_OBJDIR)/$(1)/$(1).elf
	$$(MINIVMM_OBJCOPY) -O binary $$< $$@

$(1).sym: $(MINIVMM_OBJDIR)/$(1)/$(1).elf
	$$(MINIVMM_NM) -n -S --defined-only $$< >$$@.tmp && mv $$@.tmp $$@

-include $(patsubst %.o,%.d,$(call minivmm_objs,$(1),$(3)))
.DEFAULT_GOAL := $$(minivmm_goal)
endef
