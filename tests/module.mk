# tests/module.mk: fuzzing. Included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=30] [FUZZ_TARGETS="codec record"]
#       builds every tests/fuzz/fuzz_<name>.c with clang -fsanitize=fuzzer,
#       address,undefined into $(BUILD)/fuzz/ and runs each for FUZZ_SECONDS
#       over a copy of tests/fuzz/corpus/<name>/ plus tests/fuzz/regress/<name>/;
#       fails if any target crashes, leaks, times out or runs out of memory.
#   $(BUILD)/tests/test_fuzz_<name>   (built by `make`, run by `make test`)
#       the same entry point without libFuzzer (tests/fuzz/replay.c), replaying
#       the corpus and every regression input, under SANITIZER too.
#
# A target links the sources of FUZZ_SRCS_<name>; by default those of
# services/<name>/ (when it exists) and services/common/, plus the protobuf code.

FUZZ_SECONDS ?= 30
# A target whose FUZZ_NEEDS_<name> files do not exist yet is left out, so a
# fuzz target can land before the module it tests.
FUZZ_NEEDS_json  := services/common/json.c
FUZZ_NEEDS_input := services/cli/input.c services/cli/input.h
fuzz_ready   = $(if $(strip $(foreach f,$(FUZZ_NEEDS_$(1)),$(if $(wildcard $(f)),,x))),,$(1))
FUZZ_NAMES   := $(foreach n,$(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)),$(call fuzz_ready,$(n)))
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_CC      ?= clang
FUZZ_CXX     ?= clang++
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -Wall -Wextra $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_CPPFLAGS := -D_GNU_SOURCE -I$(BUILD)/gen -Iservices -Itests/fuzz -MMD -MP

# Sources and link closure per target (the cli's input reader is one file of cli).
FUZZ_SRCS_input   = services/cli/input.c $(call lib_srcs,common)
FUZZ_LIBDIR_input = cli
fuzz_srcs  = $(or $(FUZZ_SRCS_$(1)),$(if $(wildcard services/$(1)),$(call lib_srcs,$(1))) $(call lib_srcs,common))
fuzz_objs  = $(BUILD)/fuzz/obj/fuzz_$(1).o $(BUILD)/fuzz/obj/gen/courant.pb-c.o \
             $(patsubst services/%,$(BUILD)/fuzz/obj/%.o,$(call fuzz_srcs,$(1)))
# Libraries for the replay program: the closure of the directory the target
# exercises, restricted to libraries that exist (a service not written yet).
fuzz_libdir = $(or $(FUZZ_LIBDIR_$(1)),$(if $(wildcard services/$(1)),$(1),common))
fuzz_libs   = $(filter $(LIBS) $(PROTO_LIB),$(call link_for,$(call fuzz_libdir,$(1))))

FUZZ_BINS   := $(foreach n,$(FUZZ_NAMES),$(BUILD)/fuzz/fuzz_$(n))
REPLAY_BINS := $(foreach n,$(FUZZ_NAMES),$(BUILD)/tests/test_fuzz_$(n))
EXTRA_TARGETS += $(REPLAY_BINS)

.PHONY: fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(foreach n,$(FUZZ_TARGETS),$(BUILD)/fuzz/fuzz_$(n))
	@tests/fuzz/run $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- libFuzzer build (clang, instrumented) ---------------------------------
$(BUILD)/fuzz/obj/gen/courant.pb-c.o: $(GEN_C)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -std=c11 -c $< -o $@

$(BUILD)/fuzz/obj/%.c.o: services/%.c | $(GEN_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -std=c11 -c $< -o $@

$(BUILD)/fuzz/obj/%.cc.o: services/%.cc | $(GEN_H)
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -std=c++17 -c $< -o $@

$(BUILD)/fuzz/obj/fuzz_%.o: tests/fuzz/fuzz_%.c tests/fuzz/jsoncheck.h | $(GEN_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -std=c11 -c $< -o $@

define fuzz_rule
$(BUILD)/fuzz/fuzz_$(1): $(call fuzz_objs,$(1))
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer $$^ $(LDLIBS) -o $$@

$(BUILD)/obj/fuzz/fuzz_$(1).o: tests/fuzz/fuzz_$(1).c | $(GEN_H)
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) -Itests/fuzz $$(CFLAGS) -c $$< -o $$@

$(BUILD)/obj/fuzz/replay_$(1).o: tests/fuzz/replay.c
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) -DFUZZ_NAME='"$(1)"' -c $$< -o $$@

$(BUILD)/tests/test_fuzz_$(1): $(BUILD)/obj/fuzz/replay_$(1).o $(BUILD)/obj/fuzz/fuzz_$(1).o $(call fuzz_libs,$(1))
	@mkdir -p $$(@D)
	$$(CC) $$^ $$(LDFLAGS) $$(LDLIBS) -o $$@
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_rule,$(n))))

-include $(shell find $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)
