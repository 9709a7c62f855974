# SPDX-License-Identifier: MIT
# minivmm - build, test, benchmark and install.
#
#   make            ./minivmm, the payloads tests/guest_*.bin and their symbols (.sym)
#   make run        build, then run the demo payload (guest_mmio)
#   make check      unit tests (cmocka), payload and fault-injection integration tests
#   make check-nested  the L1-hypervisor payloads in QEMU (SVM) and Bochs (VMX): minutes
#   make check-valgrind  valgrind memcheck over ~20 runs (no error, no leak)
#   make storm      random and hostile payloads for STORM_SECONDS, every run judged
#   make fuzz       libFuzzer harnesses (clang) for FUZZ_SECONDS each
#   make bench      recording loop against a bare KVM_RUN loop
#   make bench-startup  guest_hlt start-to-exit against a bare VMM doing the same set-up
#   make check-kut KUT=DIR   kvm-unit-tests' x86 tests, KUT's runner driving minivmm-qemu
#   make bench-kut KUT=DIR   the same tests timed under minivmm and QEMU, side by side
#   make golden     rewrite the golden traces from this machine's runs
#   make install    minivmm, its man page, docs, completion, payloads and guest SDK;
#                   PREFIX=/usr/local DESTDIR= (make uninstall takes them back)
#   V=1 shows commands; WERROR=1 turns warnings into errors; STATIC=1 links statically.
#   SANITIZE=1 (ASan + UBSan) or SANITIZE=thread (TSan): the host side is built apart
#   in build/san-*, and `make check SANITIZE=...` tests that minivmm.

VERSION := 0.1.0
CC ?= cc
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/minivmm
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/minivmm
INCLUDEDIR ?= $(PREFIX)/include
LIBDIR ?= $(PREFIX)/lib
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

# Sanitizers: the first report aborts the run (a test then sees a signal, never a
# status it might expect), and the payloads are the same as ever.
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:verify_asan_link_order=0 \
	UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1
BUILD := build/san-address
else ifeq ($(SANITIZE),thread)
SAN_FLAGS := -fsanitize=thread
SAN_ENV := TSAN_OPTIONS=abort_on_error=1:halt_on_error=1
BUILD := build/san-thread
else ifeq ($(SANITIZE),)
BUILD := build
else
$(error SANITIZE=$(SANITIZE): use SANITIZE=1 (ASan + UBSan) or SANITIZE=thread)
endif
# The binaries the tests run: ./minivmm, or the sanitized one in its build directory.
MINIVMM := $(if $(SANITIZE),$(BUILD)/minivmm,minivmm)
MINIVMM_QEMU := $(MINIVMM)-qemu
TEST_ENV = MVM_BIN=./$(MINIVMM) MVM_QEMU_BIN=./$(MINIVMM_QEMU) MVM_FAULT_SHIM=$(FAULT_SHIM) $(SAN_ENV)

ifeq ($(V),1)
Q :=
else
Q := @
endif
quiet = $(if $(filter 1,$(V)),,@printf '  %-7s %s\n' '$(1)' '$(2)';)

HOST_CFLAGS := -std=gnu11 -pthread -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Iinclude -Ivmm -Itests -MMD -MP \
	-DMVM_VERSION='"$(VERSION)"' $(if $(filter 1,$(WERROR)),-Werror) $(SAN_FLAGS) $(CFLAGS)
HOST_LDFLAGS := $(if $(filter 1,$(STATIC)),-static) $(SAN_FLAGS) $(LDFLAGS)

all: $(MINIVMM) $(MINIVMM_QEMU) payloads

# ---------------------------------------------------------------------------
# The VMM: everything but main.o also goes into the library the tests link.
# ---------------------------------------------------------------------------
VMM_LIB_OBJS := \
	$(BUILD)/vmm/caps.o \
	$(BUILD)/vmm/cli.o \
	$(BUILD)/vmm/cli_usage.o \
	$(BUILD)/vmm/contrib.o \
	$(BUILD)/vmm/cpu_model.o \
	$(BUILD)/vmm/cpu_x86.o \
	$(BUILD)/vmm/dev_calls.o \
	$(BUILD)/vmm/dev_console.o \
	$(BUILD)/vmm/dev_ioapic.o \
	$(BUILD)/vmm/dev_pc.o \
	$(BUILD)/vmm/dev_pc_testdev.o \
	$(BUILD)/vmm/dev_testdev.o \
	$(BUILD)/vmm/dirty.o \
	$(BUILD)/vmm/dirty_log.o \
	$(BUILD)/vmm/dirty_ring.o \
	$(BUILD)/vmm/disasm.o \
	$(BUILD)/vmm/exit_common.o \
	$(BUILD)/vmm/exit_debug.o \
	$(BUILD)/vmm/exit_info.o \
	$(BUILD)/vmm/explain.o \
	$(BUILD)/vmm/exit_text_kvm.o \
	$(BUILD)/vmm/exit_text_svm.o \
	$(BUILD)/vmm/exit_text_vmx.o \
	$(BUILD)/vmm/exit_fail.o \
	$(BUILD)/vmm/exit_io.o \
	$(BUILD)/vmm/exit_irq.o \
	$(BUILD)/vmm/exit_mmio.o \
	$(BUILD)/vmm/gmem.o \
	$(BUILD)/vmm/ioapic.o \
	$(BUILD)/vmm/iorange.o \
	$(BUILD)/vmm/irqchip.o \
	$(BUILD)/vmm/khist.o \
	$(BUILD)/vmm/kprobe.o \
	$(BUILD)/vmm/kprobe_args.o \
	$(BUILD)/vmm/kstack.o \
	$(BUILD)/vmm/ktrace.o \
	$(BUILD)/vmm/ktrace_counts.o \
	$(BUILD)/vmm/host_kvm.o \
	$(BUILD)/vmm/progress.o \
	$(BUILD)/vmm/suggest.o \
	$(BUILD)/vmm/ktrace_fields.o \
	$(BUILD)/vmm/ktrace_render.o \
	$(BUILD)/vmm/kvm.o \
	$(BUILD)/vmm/lock.o \
	$(BUILD)/vmm/marker.o \
	$(BUILD)/vmm/mem.o \
	$(BUILD)/vmm/mem_op.o \
	$(BUILD)/vmm/multiboot.o \
	$(BUILD)/vmm/names.o \
	$(BUILD)/vmm/nested.o \
	$(BUILD)/vmm/pageset.o \
	$(BUILD)/vmm/pc.o \
	$(BUILD)/vmm/payload.o \
	$(BUILD)/vmm/payload_path.o \
	$(BUILD)/vmm/qemu_cli.o \
	$(BUILD)/vmm/record.o \
	$(BUILD)/vmm/record_access.o \
	$(BUILD)/vmm/record_pack.o \
	$(BUILD)/vmm/recorder.o \
	$(BUILD)/vmm/recorder_writer.o \
	$(BUILD)/vmm/replay.o \
	$(BUILD)/vmm/run.o \
	$(BUILD)/vmm/runlog.o \
	$(BUILD)/vmm/stats.o \
	$(BUILD)/vmm/stop.o \
	$(BUILD)/vmm/symbols.o \
	$(BUILD)/vmm/trace_args.o \
	$(BUILD)/vmm/trace_cmd.o \
	$(BUILD)/vmm/trace_diff.o \
	$(BUILD)/vmm/trace_read.o \
	$(BUILD)/vmm/trace_text.o \
	$(BUILD)/vmm/tracefs.o \
	$(BUILD)/vmm/util.o \
	$(BUILD)/vmm/vcpu.o \
	$(BUILD)/vmm/vm.o \
	$(BUILD)/vmm/vm_records.o
VMM_MAIN_OBJ := $(BUILD)/vmm/main.o
VMM_LIB := $(BUILD)/libminivmm.a

$(BUILD)/vmm/%.o: vmm/%.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -c $< -o $@

# A bare `minivmm run NAME` also looks in the directory `make install` puts the payloads
# in. The tree's ./minivmm has the default one compiled in; `make install` links its
# own copy (build/install/minivmm) from a main.o compiled for the DATADIR it installs
# to, so an install with another PREFIX (make check-install's PREFIX=/usr) never
# relinks the tree's ./minivmm.
$(VMM_MAIN_OBJ): HOST_CFLAGS += -DMVM_PAYLOAD_DIR='"$(DATADIR)/payloads"'
INSTALL_MINIVMM := $(BUILD)/install/minivmm
$(BUILD)/install/main.o: vmm/main.c FORCE
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) \
		-DMVM_PAYLOAD_DIR='"$(DATADIR)/payloads"' -c $< -o $@
$(INSTALL_MINIVMM): $(BUILD)/install/main.o $(VMM_LIB)
	$(call quiet,LD,$@)$(CC) $(HOST_LDFLAGS) -o $@ $^ -pthread
.PHONY: FORCE
FORCE:

$(VMM_LIB): $(VMM_LIB_OBJS)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(MINIVMM): $(VMM_MAIN_OBJ) $(VMM_LIB)
	$(call quiet,LD,$@)$(CC) $(HOST_LDFLAGS) -o $@ $^ -pthread

# `minivmm qemu` under the one name KUT's runner can take as $QEMU.
$(MINIVMM_QEMU): $(MINIVMM)
	$(call quiet,LN,$@)ln -sf minivmm $@

# The same objects linked statically, for the nested tests' initramfs (it has no libc).
STATIC_MINIVMM := $(BUILD)/static/minivmm
$(STATIC_MINIVMM): $(VMM_MAIN_OBJ) $(VMM_LIB)
	$(call quiet,LD,$@)mkdir -p $(@D) && $(CC) -static $(LDFLAGS) -o $@ $^ -pthread

# ---------------------------------------------------------------------------
# Payloads (tests/guest_*.bin), built by the guest SDK's own rules.
# ---------------------------------------------------------------------------
include guest/guest.mk
# guest_bench_exits (2 vCPUs, irqchip kernel) belongs in guest.mk's payload table, as
# guest_bench_exits:long:::2:kernel; it is made from here, with the same rule, because
# guest/ is frozen while the SDK start-up is being reworked. Move the row there then.
$(eval $(call guest_payload_rules,guest_bench_exits,long,guest_bench_exits,,2,kernel))
payloads: tests/guest_bench_exits.bin tests/guest_bench_exits.sym
-include build/guest/payloads/guest_bench_exits.d

# ---------------------------------------------------------------------------
# Tests.
# ---------------------------------------------------------------------------
UNIT_TESTS := \
	$(BUILD)/tests/test_cli \
	$(BUILD)/tests/test_cpu_model \
	$(BUILD)/tests/test_cpu_x86 \
	$(BUILD)/tests/test_disasm \
	$(BUILD)/tests/test_exit_info \
	$(BUILD)/tests/test_explain \
	$(BUILD)/tests/test_gmem \
	$(BUILD)/tests/test_ioapic \
	$(BUILD)/tests/test_kprobe_args \
	$(BUILD)/tests/test_kstack \
	$(BUILD)/tests/test_ktrace \
	$(BUILD)/tests/test_ktrace_render \
	$(BUILD)/tests/test_host_kvm \
	$(BUILD)/tests/test_iorange \
	$(BUILD)/tests/test_multiboot \
	$(BUILD)/tests/test_names \
	$(BUILD)/tests/test_pageset \
	$(BUILD)/tests/test_pc \
	$(BUILD)/tests/test_payload \
	$(BUILD)/tests/test_payload_path \
	$(BUILD)/tests/test_progress \
	$(BUILD)/tests/test_qemu_cli \
	$(BUILD)/tests/test_record \
	$(BUILD)/tests/test_record_access \
	$(BUILD)/tests/test_record_pack \
	$(BUILD)/tests/test_replay \
	$(BUILD)/tests/test_stats \
	$(BUILD)/tests/test_suggest \
	$(BUILD)/tests/test_symbols \
	$(BUILD)/tests/test_trace_read \
	$(BUILD)/tests/test_tracefs
# test_faults last: until vmm/ ends every host failure as one, it fails, and
# check-integration stops at the first failure.
INTEGRATION_TESTS := \
	$(BUILD)/tests/test_payloads \
	$(BUILD)/tests/test_smp \
	$(BUILD)/tests/test_endings \
	$(BUILD)/tests/test_pc_devices \
	$(BUILD)/tests/test_qemu \
	$(BUILD)/tests/test_show \
	$(BUILD)/tests/test_cli_hints \
	$(BUILD)/tests/test_docs \
	$(BUILD)/tests/test_explain_cmd \
	$(BUILD)/tests/test_faults
# The LD_PRELOAD ioctl shim test_faults runs ./minivmm under (tests/fault/).
FAULT_SHIM := $(BUILD)/tests/libfailioctl.so
BENCH_BARE := $(BUILD)/bench/bare_loop
BENCH_DIRTY := $(BUILD)/bench/dirty_bench
BENCH_STARTUP := $(BUILD)/bench/startup_bench

$(BUILD)/tests/%.o: tests/unit/%.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/integration/%.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/tests/testutil.o: tests/testutil.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/tests/testutil.o $(VMM_LIB)
	$(call quiet,LD,$@)$(CC) $(SAN_FLAGS) -o $@ $^ -lcmocka -pthread

$(FAULT_SHIM): tests/fault/failioctl.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(filter-out $(SAN_FLAGS),$(HOST_CFLAGS)) -fPIC -shared -o $@ $< -ldl

# Order-only: test_faults loads the shim into minivmm, it does not link it.
$(BUILD)/tests/test_faults: | $(FAULT_SHIM)

$(BUILD)/bench/%.o: tests/bench/%.c Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(VMM_LIB)
	$(call quiet,LD,$@)$(CC) $(SAN_FLAGS) -o $@ $^ -pthread

# dirty_bench prints its table through dirty_report.c.
$(BENCH_DIRTY): $(BUILD)/bench/dirty_report.o

# cmocka comes from Debian's libcmocka-dev; root installs it, others are told how.
CMOCKA_HEADER := /usr/include/cmocka.h
.PHONY: cmocka
cmocka:
	@if [ ! -f $(CMOCKA_HEADER) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "make check: installing libcmocka-dev with apt-get"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq libcmocka-dev >/dev/null) || exit 1; \
		else \
			echo "make check: cmocka is missing; run: sudo apt-get install libcmocka-dev"; \
			exit 1; \
		fi; \
	fi

# Each test binary is run in turn; the first failure fails `make check`,
# and 77 (everything skipped) does not.
.PHONY: check check-unit check-integration check-install
check: check-unit check-integration
	$(Q)$(MAKE) --no-print-directory check-install

check-unit: cmocka
	$(Q)$(MAKE) --no-print-directory $(UNIT_TESTS)
	$(Q)for t in $(UNIT_TESTS); do echo "== $$t"; $(TEST_ENV) $$t || exit 1; done

check-integration: cmocka all
	$(Q)$(MAKE) --no-print-directory $(INTEGRATION_TESTS)
	$(Q)for t in $(INTEGRATION_TESTS); do echo "== $$t"; $(TEST_ENV) $$t; s=$$?; \
		[ $$s = 0 ] || [ $$s = 77 ] || exit 1; done

# The bash completion, then `make install DESTDIR=... PREFIX=/usr` with its man page, an
# out-of-tree payload built against the installed SDK, and bare payload names
# (tests/install/). Run by check after the integration tests, never beside them: the
# install relinks ./minivmm for PREFIX=/usr's payload directory.
check-install: all
	$(Q)echo "== tests/install/completion.sh"; tests/install/completion.sh ./$(MINIVMM)
	$(Q)echo "== tests/install/install.sh"; MAKE="$(MAKE)" $(SAN_ENV) \
		tests/install/install.sh ./$(MINIVMM) $(BUILD)/tests/out/install; s=$$?; \
		[ $$s = 0 ] || [ $$s = 77 ]

# Nested payloads (L1 hypervisors) need VMX or SVM, which this host's KVM does not
# offer: they run on an emulated stack, SVM in QEMU TCG and VMX in Bochs, booted side
# by side (one core each) by tests/nested/run.sh. Minutes, not seconds: not in `check`.
# The QEMU boot also runs the start modes this host's kvm_pvm refuses (its KVM,
# a stock 6.1 kvm_amd, accepts all six), so paging32, pae and la57 are tested too.
NESTED_SVM_PAYLOADS := guest_svm_basic guest_svm_invalid guest_svm_dirty guest_svm_paging \
	guest_svm_intr guest_svm_except guest_mode_paging32 guest_mode_pae guest_mode_la57
NESTED_VMX_PAYLOADS := guest_vmx_basic guest_vmx_vmread guest_vmx_invalid guest_vmx_dirty \
	guest_vmx_paging guest_vmx_intr guest_vmx_except guest_vmx_pml guest_vmx_ptwrite
# A second boot of each stack runs some payloads again under --kprobe and
# --ktrace, with the L0 functions and tracepoints they are meant to drive
# (test_nested.c checks the counts); the VMX one loads kvm_intel with shadow VMCS
# off, so that every VMREAD exits.
NESTED_SVM_KPROBED := guest_svm_basic guest_svm_paging guest_svm_intr guest_svm_dirty \
	guest_svm_except
NESTED_VMX_KPROBED := guest_vmx_vmread guest_vmx_paging guest_vmx_intr guest_vmx_except \
	guest_vmx_pml guest_vmx_ptwrite
# A third VMX boot loads kvm_intel with ept=0: L0 shadow-pages L1 and L2, so
# L2's page-table writes are trapped and emulated (guest_vmx_ptwrite). It
# runs after the SVM boots, beside the second VMX one.
NESTED_VMX_NOEPT := guest_vmx_ptwrite
# L0's gfn write tracking: a page it shadows (L1's NPT or EPT) write-protected,
# and L1's write to it trapped and emulated.
NESTED_WRITE_TRACKING := kvm_slot_page_track_add_page kvm_page_track_write kvm_mmu_pte_write
NESTED_SVM_KPROBES := nested_svm_vmrun nested_svm_vmexit nested_svm_inject_npf_exit \
	npf_interception pf_interception vmsave_interception vmload_interception \
	kvm_init_shadow_npt_mmu __kvm_mmu_get_shadow_page svm_inject_irq __apic_accept_irq \
	ud_interception handle_ud $(NESTED_WRITE_TRACKING)
NESTED_VMX_KPROBES := handle_vmread handle_vmwrite nested_vmx_vmexit \
	nested_ept_inject_page_fault handle_ept_violation handle_ept_misconfig \
	handle_exception_nmi kvm_init_shadow_ept_mmu __kvm_mmu_get_shadow_page \
	vmx_inject_irq __apic_accept_irq vmx_enable_irq_window kvm_check_and_inject_events \
	handle_ud vmx_update_exception_bitmap nested_vmx_write_pml_buffer $(NESTED_WRITE_TRACKING)
NESTED_KTRACE := kvm_nested_intr_vmexit kvm_nested_vmexit_inject kvm_inj_virq kvm_inj_exception
nested_comma := ,
nested_space := $(subst ,, )
nested_list = $(subst $(nested_space),$(nested_comma),$(strip $(1)))
# Two more SVM probes fetch an argument, counted by value and named (khist):
# the emulation type of each emulation, the error code of each L0 page fault.
NESTED_SVM_KPROBE_ARGS := x86_emulate_instruction type=%dx:u32,kvm_mmu_page_fault error=%dx:u64
# The SVM boot counts per exit (--kprobe-count), the VMX one records each hit;
# both count call chains (--kstack), the SVM one also at guest_svm_dirty's checkpoints.
NESTED_SVM_RUN_ARGS = --kprobe-count --kstack \
	--kprobe '$(call nested_list,$(NESTED_SVM_KPROBES)),$(NESTED_SVM_KPROBE_ARGS)' \
	--ktrace=$(call nested_list,$(NESTED_KTRACE))
NESTED_VMX_RUN_ARGS = --kprobe $(call nested_list,$(NESTED_VMX_KPROBES)) --kstack \
	--ktrace=$(call nested_list,$(NESTED_KTRACE))
# The first boot of each stack records L0's nested state (KVM_GET_NESTED_STATE) at
# the checkpoints and the end: the goldens hold it beside L1's l2_exit records.
NESTED_PLAIN_RUN_ARGS := --nested-state
NESTED_TEST := $(BUILD)/tests/test_nested

# No nested row wants 77 (guest_vmx_intr's wants 1, every other 0): the emulated
# stack offers nesting, so a payload that skipped inside it fails its row.
.PHONY: check-nested
check-nested: cmocka $(STATIC_MINIVMM) $(NESTED_SVM_PAYLOADS:%=tests/%.bin) \
		$(NESTED_VMX_PAYLOADS:%=tests/%.bin)
	$(Q)$(MAKE) --no-print-directory $(NESTED_TEST)
	$(Q)(MVM_NESTED_RUN_ARGS="$(NESTED_PLAIN_RUN_ARGS)" \
		tests/nested/run.sh svm $(BUILD)/nested/svm $(NESTED_SVM_PAYLOADS) && \
		MVM_NESTED_RUN_ARGS="$(NESTED_SVM_RUN_ARGS)" \
		tests/nested/run.sh svm $(BUILD)/nested/svm-kprobe $(NESTED_SVM_KPROBED) && \
		MVM_NESTED_MODULE_PARAMS=ept=0 MVM_NESTED_RUN_ARGS="$(NESTED_VMX_RUN_ARGS)" \
		tests/nested/run.sh vmx $(BUILD)/nested/vmx-noept $(NESTED_VMX_NOEPT)) & svm=$$!; \
		{ MVM_NESTED_RUN_ARGS="$(NESTED_PLAIN_RUN_ARGS)" \
		tests/nested/run.sh vmx $(BUILD)/nested/vmx $(NESTED_VMX_PAYLOADS) && \
		MVM_NESTED_MODULE_PARAMS=enable_shadow_vmcs=0 \
		MVM_NESTED_RUN_ARGS="$(NESTED_VMX_RUN_ARGS)" \
		tests/nested/run.sh vmx $(BUILD)/nested/vmx-noshadow $(NESTED_VMX_KPROBED); }; \
		vmx=$$?; \
		wait $$svm && [ $$vmx = 0 ]
	$(Q)echo "== $(NESTED_TEST)"; MVM_NESTED_SVM=$(BUILD)/nested/svm \
		MVM_NESTED_VMX=$(BUILD)/nested/vmx MVM_NESTED_SVM_KPROBE=$(BUILD)/nested/svm-kprobe \
		MVM_NESTED_VMX_NOSHADOW=$(BUILD)/nested/vmx-noshadow \
		MVM_NESTED_VMX_NOEPT=$(BUILD)/nested/vmx-noept $(NESTED_TEST)

# Rewrites tests/golden/ from this machine's runs: review the diff before committing.
.PHONY: golden
golden: all cmocka $(INTEGRATION_TESTS)
	$(Q)MVM_GOLDEN_UPDATE=1 $(INTEGRATION_TESTS)

# Random and hostile payloads for STORM_SECONDS (default 60), STORM_JOBS at a time,
# every run judged (tests/storm/storm.c); STORM_SEED=N repeats a storm.
STORM_SECONDS ?= 60
STORM_JOBS ?= 2
STORM := $(BUILD)/storm/storm
$(STORM): tests/storm/storm.c include/minivmm_abi.h Makefile
	$(call quiet,CC,$@)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -o $@ $<

.PHONY: storm
storm: all $(STORM)
	$(Q)rm -rf $(BUILD)/storm/out && $(STORM) ./$(MINIVMM) $(BUILD)/storm/out $(STORM_SECONDS) \
		$(STORM_JOBS) $(STORM_SEED)

# libFuzzer harnesses of the parsers and the encoder (docs/fuzzing.md): make fuzz,
# make fuzz FUZZ_SECONDS=N, make fuzz-HARNESS. Not in check: it needs clang.
include tests/fuzz/fuzz.mk

# valgrind memcheck over runs that reach every part of minivmm (tests/valgrind/run.sh).
.PHONY: check-valgrind
check-valgrind: all
	$(Q)tests/valgrind/run.sh ./$(MINIVMM) $(BUILD)/tests/out/valgrind; s=$$?; \
		[ $$s = 0 ] || [ $$s = 77 ]

.PHONY: run
run: all
	./$(MINIVMM) run tests/guest_mmio.bin

# kvm-unit-tests' x86 tests through their own runner, with minivmm-qemu as
# $QEMU: KUT=DIR is a configured and built KUT tree (not part of minivmm; see
# docs/kernels.md). Without KUT both skip. TESTS="a b" picks tests.
.PHONY: check-kut bench-kut
check-kut: all
	$(Q)tests/kut/kut.sh check "$(KUT)" ./minivmm-qemu $(TESTS); s=$$?; [ $$s = 0 ] || [ $$s = 77 ]

bench-kut: all
	$(Q)tests/kut/kut.sh bench "$(KUT)" ./minivmm-qemu $(TESTS); s=$$?; [ $$s = 0 ] || [ $$s = 77 ]

.PHONY: bench
bench: all $(BENCH_BARE) $(BENCH_DIRTY) $(BENCH_STARTUP)
	$(Q)tests/bench/run_bench.sh ./$(MINIVMM) $(BUILD)/bench

# guest_hlt's start-to-exit against a bare VMM doing the same set-up, interleaved
# (docs/performance.md#start-up); STARTUP_ROUNDS=N, STARTUP_BENCH_NO_QEMU=1.
STARTUP_ROUNDS ?= 21
.PHONY: bench-startup
bench-startup: all $(BENCH_STARTUP)
	$(Q)$(BENCH_STARTUP) ./$(MINIVMM) tests/guest_hlt.bin $(STARTUP_ROUNDS)

# ---------------------------------------------------------------------------
# Install, format, clean.
# ---------------------------------------------------------------------------
# The payloads go with their symbols and ELFs (for gdb and objdump), the test kernels
# with theirs. The guest SDK is what guest.mk links a payload from: the headers a
# payload includes, each mode's entry object, each code size's library, the linker
# script, and minivmm-sdk.mk, which does the same link out of tree. Its default SDK
# prefix is PREFIX (not DESTDIR): right once the files are where they were meant for.
PAYLOAD_ELFS := $(PAYLOAD_BINS:tests/%.bin=build/guest/payloads/%.elf)
SDK_HEADERS := \
	include/minivmm_abi.h \
	include/mvm_multiboot.h \
	include/mvm_x86.h \
	guest/mvm_apic.h \
	guest/mvm_guest.h \
	guest/mvm_irq.h \
	guest/mvm_smp.h \
	guest/mvm_time.h \
	guest/nested.h \
	guest/svm.h \
	guest/vmx.h
SDK_MODES := real prot32 paging32 pae long la57
SDK_ENTRY_OBJS := $(SDK_MODES:%=build/guest/entry_%.o)
SDK_BITS := 16 32 64
SDK_INCLUDEDIR := $(INCLUDEDIR)/minivmm
SDK_LIBDIR := $(LIBDIR)/minivmm
# A directory under PREFIX is written in the fragment relative to $(MINIVMM_SDK).
sdk_dir = $(if $(filter $(PREFIX)/%,$(1)),$$(MINIVMM_SDK)/$(patsubst $(PREFIX)/%,%,$(1)),$(1))
# The docs keep their layout (README.md, docs/, docs/labs/, docs/bpftrace/), and so their
# links.
DOC_MD := $(wildcard docs/*.md)
DOC_LABS := $(wildcard docs/labs/*.md)
DOC_BPFTRACE := $(wildcard docs/bpftrace/*)
# The man page, the completion and the fragment name the directories of the default
# PREFIX, /usr/local; the installed copies name those of this install.
INSTALL_PATHS_SED := -e 's|/usr/local/share/minivmm|$(DATADIR)|g' \
	-e 's|/usr/local/share/doc/minivmm|$(DOCDIR)|g' \
	-e 's|/usr/local/include/minivmm|$(SDK_INCLUDEDIR)|g' \
	-e 's|/usr/local/lib/minivmm|$(SDK_LIBDIR)|g'
INSTALL_PAYLOADS := $(PAYLOAD_BINS) $(PAYLOAD_SYMS) $(PAYLOAD_ELFS) $(KERNEL_ELFS) $(KERNEL_SYMS)

.PHONY: install uninstall
install: all $(INSTALL_MINIVMM) $(SDK_ENTRY_OBJS) $(SDK_BITS:%=build/guest/%/libmvm.a)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/payloads $(DESTDIR)$(DATADIR)/sdk \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/docs/bpftrace \
		$(DESTDIR)$(DOCDIR)/docs/labs $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SDK_INCLUDEDIR) $(SDK_BITS:%=$(DESTDIR)$(SDK_LIBDIR)/%)
	install -m 0755 $(INSTALL_MINIVMM) $(DESTDIR)$(BINDIR)/minivmm
	ln -sf minivmm $(DESTDIR)$(BINDIR)/minivmm-qemu
	install -m 0644 $(INSTALL_PAYLOADS) $(DESTDIR)$(DATADIR)/payloads/
	sed $(INSTALL_PATHS_SED) docs/minivmm.1 >$(DESTDIR)$(MANDIR)/man1/minivmm.1
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(DOC_MD) $(DESTDIR)$(DOCDIR)/docs/
	install -m 0644 $(DOC_LABS) $(DESTDIR)$(DOCDIR)/docs/labs/
	install -m 0644 $(DOC_BPFTRACE) $(DESTDIR)$(DOCDIR)/docs/bpftrace/
	sed $(INSTALL_PATHS_SED) docs/bash-completion/minivmm >$(DESTDIR)$(BASHCOMPDIR)/minivmm
	install -m 0644 $(SDK_HEADERS) $(DESTDIR)$(SDK_INCLUDEDIR)/
	install -m 0644 $(SDK_ENTRY_OBJS) guest/guest.ld $(DESTDIR)$(SDK_LIBDIR)/
	$(foreach b,$(SDK_BITS),install -m 0644 build/guest/$(b)/libmvm.a $(DESTDIR)$(SDK_LIBDIR)/$(b)/ &&) true
	sed $(INSTALL_PATHS_SED) -e 's|@PREFIX@|$(PREFIX)|' \
		-e 's|@INCLUDE@|$(call sdk_dir,$(SDK_INCLUDEDIR))|' \
		-e 's|@LIB@|$(call sdk_dir,$(SDK_LIBDIR))|' guest/minivmm-sdk.mk \
		>$(DESTDIR)$(DATADIR)/sdk/minivmm-sdk.mk

# Only what install put there: DATADIR and the others may be shared directories.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minivmm $(DESTDIR)$(BINDIR)/minivmm-qemu \
		$(addprefix $(DESTDIR)$(DATADIR)/payloads/,$(notdir $(INSTALL_PAYLOADS))) \
		$(DESTDIR)$(DATADIR)/sdk/minivmm-sdk.mk $(DESTDIR)$(MANDIR)/man1/minivmm.1 \
		$(addprefix $(DESTDIR)$(DOCDIR)/,README.md $(DOC_MD) $(DOC_LABS) $(DOC_BPFTRACE)) \
		$(DESTDIR)$(BASHCOMPDIR)/minivmm \
		$(addprefix $(DESTDIR)$(SDK_INCLUDEDIR)/,$(notdir $(SDK_HEADERS))) \
		$(addprefix $(DESTDIR)$(SDK_LIBDIR)/,$(notdir $(SDK_ENTRY_OBJS)) guest.ld) \
		$(SDK_BITS:%=$(DESTDIR)$(SDK_LIBDIR)/%/libmvm.a)
	rmdir $(SDK_BITS:%=$(DESTDIR)$(SDK_LIBDIR)/%) $(DESTDIR)$(SDK_LIBDIR) \
		$(DESTDIR)$(SDK_INCLUDEDIR) $(DESTDIR)$(DOCDIR)/docs/bpftrace \
		$(DESTDIR)$(DOCDIR)/docs/labs $(DESTDIR)$(DOCDIR)/docs \
		$(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(DATADIR)/payloads $(DESTDIR)$(DATADIR)/sdk $(DESTDIR)$(DATADIR) 2>/dev/null || true

.PHONY: format
format:
	clang-format -i vmm/*.c vmm/*.h include/*.h guest/*.c guest/*.h tests/unit/*.c \
		tests/integration/*.c tests/bench/*.c tests/payloads/*.c tests/fault/*.c \
		tests/fuzz/*.c tests/fuzz/*.h tests/storm/*.c

.PHONY: clean
clean:
	rm -rf $(BUILD) minivmm minivmm-qemu $(PAYLOAD_BINS) $(PAYLOAD_SYMS) $(KERNEL_ELFS) $(KERNEL_SYMS)

.DEFAULT_GOAL := all
-include $(VMM_LIB_OBJS:.o=.d) $(VMM_MAIN_OBJ:.o=.d) $(BUILD)/tests/*.d $(BUILD)/bench/*.d
