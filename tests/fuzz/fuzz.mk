# SPDX-License-Identifier: MIT
# tests/fuzz/fuzz.mk - libFuzzer harnesses of vmm/'s parsers and encoders (docs/fuzzing.md).
# The top-level Makefile includes it after VMM_LIB_OBJS:
#
#   make fuzz                   every harness for FUZZ_SECONDS (default 10), one after another
#   make fuzz FUZZ_SECONDS=60   longer
#   make fuzz-payload           one harness (fuzz-cli, fuzz-record, ...)
#   make fuzz-build             build the harnesses and their seed corpora, run nothing
#
# The harnesses and the vmm/ sources they test are built with clang into
# build/fuzz/, apart from the gcc build; a finding stops `make fuzz` with
# the harness's name, the input's path (build/fuzz/findings/HARNESS/) and
# the command that reruns it.

FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_DIR := build/fuzz
FUZZ_HARNESSES := payload cli qemu_cli tracefs stats record trace_read

FUZZ_WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-gnu-variable-sized-type-not-at-end \
	$(if $(filter 1,$(WERROR)),-Werror)
# UBSan does not recover: its first report is a finding, as ASan's is.
FUZZ_CFLAGS := -std=gnu11 -pthread -g -O1 -fno-omit-frame-pointer $(FUZZ_WARN) \
	-Iinclude -Ivmm -Itests -MMD -MP -DMVM_VERSION='"$(VERSION)"' \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LDFLAGS := -pthread -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

FUZZ_LIB_OBJS := $(patsubst $(BUILD)/vmm/%,$(FUZZ_DIR)/vmm/%,$(VMM_LIB_OBJS))
FUZZ_LIB := $(FUZZ_DIR)/libminivmm.a
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_SEEDGEN := $(FUZZ_DIR)/seedgen

# clang and its libFuzzer runtime, tried by linking a harness that does nothing:
# root installs them (as the cmocka rule does), others are told how.
FUZZ_PROBE = echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' | \
	$(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1
.PHONY: fuzz-clang
fuzz-clang:
	@if ! $(FUZZ_PROBE); then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "make fuzz: installing clang and libclang-rt-14-dev with apt-get"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq clang libclang-rt-14-dev >/dev/null) || exit 1; \
		fi; \
		if ! $(FUZZ_PROBE); then \
			echo "make fuzz: $(FUZZ_CC) with libFuzzer is missing; run: sudo apt-get install clang libclang-rt-14-dev"; \
			exit 1; \
		fi; \
	fi

$(FUZZ_DIR)/vmm/%.o: vmm/%.c Makefile tests/fuzz/fuzz.mk | fuzz-clang
	$(call quiet,CLANG,$@)mkdir -p $(@D) && $(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_DIR)/%.o: tests/fuzz/%.c Makefile tests/fuzz/fuzz.mk | fuzz-clang
	$(call quiet,CLANG,$@)mkdir -p $(@D) && $(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/fuzz_%.o $(FUZZ_DIR)/fuzzutil.o $(FUZZ_LIB)
	$(call quiet,LD,$@)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

# The seed generator is a plain program: no sanitizer, no libFuzzer.
$(FUZZ_SEEDGEN): tests/fuzz/seedgen.c Makefile tests/fuzz/fuzz.mk | fuzz-clang
	$(call quiet,CLANG,$@)mkdir -p $(@D) && $(FUZZ_CC) -std=gnu11 -g -O1 $(FUZZ_WARN) \
		-Iinclude -Ivmm -o $@ $<

# Seeds are made anew on every build, from the payloads, the golden traces,
# this host's tracefs formats and seedgen; what libFuzzer adds goes to
# build/fuzz/corpus/HARNESS and is kept from run to run.
.PHONY: fuzz-build
fuzz-build: payloads $(FUZZ_BINS) $(FUZZ_SEEDGEN)
	$(Q)tests/fuzz/seeds.sh $(FUZZ_DIR)/seeds $(FUZZ_SEEDGEN) $(FUZZ_HARNESSES)

.PHONY: fuzz $(FUZZ_HARNESSES:%=fuzz-%)
fuzz: fuzz-build
	$(Q)for h in $(FUZZ_HARNESSES); do \
		tests/fuzz/run.sh $(FUZZ_DIR) $$h $(FUZZ_SECONDS) || exit 1; \
	done

$(FUZZ_HARNESSES:%=fuzz-%): fuzz-%: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_DIR) $* $(FUZZ_SECONDS)

-include $(FUZZ_DIR)/*.d $(FUZZ_DIR)/vmm/*.d
