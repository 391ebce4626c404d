# courant build. GNU make; no generated build system.
#
# Convention (so that adding a module never means editing this file):
#   services/<dir>/*.c|*.cc except main.c  -> $(BUILD)/lib/lib<dir>.a
#   services/<dir>/main.c                  -> $(BUILD)/bin/courant-<dir>  (cli -> courant)
#   tests/unit/test_*.c                    -> $(BUILD)/tests/test_*
#   services/<dir>/module.mk               -> extra rules (data tables, ...), included
#
#   make                 build everything
#   make run             install what is missing, build, run the pipeline on samples/
#   make test            build and run every test (ends with "N passed, N failed")
#   make test-sanitize   the same tests under ASan+UBSan (separate build dir)
#   make score           extraction scores on ../shared/corpus
#   make bench           benchmarks (build/bench.json)
#   make fuzz            run every libFuzzer target for a bounded time
#   make SANITIZER=address|undefined|address,undefined   sanitized build in build/san-*

SHELL      := /bin/bash
SANITIZER  ?=
ifeq ($(SANITIZER),)
BUILD      ?= build
SANFLAGS   :=
else
BUILD      ?= build/san-$(subst $(comma),-,$(SANITIZER))
SANFLAGS   := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
comma      := ,

CC         ?= cc
CXX        ?= c++
OPT        ?= -O2
WARN       := -Wall -Wextra -Werror
CPPFLAGS   += -D_GNU_SOURCE -I$(BUILD)/gen -Iservices -MMD -MP
CFLAGS     += -std=c11 $(OPT) -g $(WARN) $(SANFLAGS) -fPIC
CXXFLAGS   += -std=c++17 $(OPT) -g $(WARN) $(SANFLAGS) -fPIC
LDFLAGS    += $(SANFLAGS)
LDLIBS     += -lzmq -lprotobuf-c -llmdb -lcld2 -lutf8proc -lstemmer -lstdc++ -lpthread -lm

# Link order: dependents before dependencies. Each program links only the
# libraries of its own directory's closure, so a half-edited module in one
# service never breaks the build of another.
LIBDIRS    := cli client store ingest relay extract normalize common
LIBDEPS_common    := common
LIBDEPS_normalize := normalize common
LIBDEPS_extract   := extract common
LIBDEPS_ingest    := ingest common
LIBDEPS_relay     := relay common
LIBDEPS_store     := store common
LIBDEPS_client    := client common
LIBDEPS_cli       := cli client extract normalize common
SVCDIRS    := $(sort $(notdir $(wildcard services/*)))

PROTO      := proto/courant.proto
GEN_C      := $(BUILD)/gen/courant.pb-c.c
GEN_H      := $(BUILD)/gen/courant.pb-c.h
PROTO_LIB  := $(BUILD)/lib/libproto.a

lib_srcs    = $(filter-out services/$(1)/main.c,$(wildcard services/$(1)/*.c services/$(1)/*.cc))
lib_objs    = $(patsubst services/%,$(BUILD)/obj/%.o,$(call lib_srcs,$(1))) $(EXTRA_OBJS_$(1))
LIBS       := $(foreach d,$(LIBDIRS),$(if $(call lib_objs,$(d)),$(BUILD)/lib/lib$(d).a))
bin_name    = $(if $(filter cli,$(1)),courant,courant-$(1))
BINS       := $(foreach d,$(SVCDIRS),$(if $(wildcard services/$(d)/main.c),$(BUILD)/bin/$(call bin_name,$(d))))
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
ALL_LINK    = $(LIBS) $(PROTO_LIB)
# libraries for a directory name (unknown names get everything)
link_for    = $(if $(LIBDEPS_$(1)),$(foreach l,$(LIBDEPS_$(1)),$(BUILD)/lib/lib$(l).a) $(PROTO_LIB),$(ALL_LINK))
# tests/unit/test_<dir>[_anything].c links what <dir> links
test_dir    = $(firstword $(subst _, ,$(patsubst test_%,%,$(1))))

-include $(wildcard services/*/module.mk tests/module.mk)

.PHONY: all deps run test test-unit test-sanitize score bench fuzz format lint clean
.DEFAULT_GOAL := all
all: $(BINS) $(UNIT_BINS) $(EXTRA_TARGETS)

# ---- protobuf ---------------------------------------------------------------
$(GEN_C) $(GEN_H): $(PROTO)
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=proto --c_out=$(BUILD)/gen $(PROTO)

$(BUILD)/obj/gen/courant.pb-c.o: $(GEN_C)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(filter-out -Werror,$(CFLAGS)) -c $< -o $@

$(PROTO_LIB): $(BUILD)/obj/gen/courant.pb-c.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# ---- objects, libraries, programs ------------------------------------------
$(BUILD)/obj/%.c.o: services/%.c | $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.cc.o: services/%.cc
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

define lib_rule
$(BUILD)/lib/lib$(1).a: $(call lib_objs,$(1))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach d,$(LIBDIRS),$(if $(call lib_objs,$(d)),$(eval $(call lib_rule,$(d)))))

define bin_rule
$(BUILD)/bin/$(call bin_name,$(1)): services/$(1)/main.c $(call link_for,$(1)) | $(GEN_H)
	@mkdir -p $$(@D)
	@mkdir -p $(BUILD)/obj/bin
	$$(CC) $$(CPPFLAGS) -MF $(BUILD)/obj/bin/$(1).d $$(CFLAGS) $$< $(call link_for,$(1)) $$(LDFLAGS) $$(LDLIBS) -o $$@
endef
$(foreach d,$(SVCDIRS),$(if $(wildcard services/$(d)/main.c),$(eval $(call bin_rule,$(d)))))

define test_rule
$(BUILD)/tests/$(1): tests/unit/$(1).c $(call link_for,$(call test_dir,$(1))) | $(GEN_H)
	@mkdir -p $$(@D)
	@mkdir -p $(BUILD)/obj/tests
	$$(CC) $$(CPPFLAGS) -MF $(BUILD)/obj/tests/$(1).d -Itests/unit $$(CFLAGS) $$< $(call link_for,$(call test_dir,$(1))) $$(LDFLAGS) $$(LDLIBS) -o $$@
endef
$(foreach t,$(UNIT_SRCS),$(eval $(call test_rule,$(basename $(notdir $(t))))))

# ---- the two commands ------------------------------------------------------
deps:
	@deploy/install-deps

run: deps
	@$(MAKE) --no-print-directory all
	@deploy/run-samples $(BUILD)

test: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/run

test-unit: all
	@BUILD=$(BUILD) tests/run --unit

# the sanitized build sits under the build directory in use (BUILD=DIR make
# test-sanitize builds and tests DIR/san-address-undefined)
SAN_BUILD = $(if $(filter build,$(BUILD)),build,$(BUILD))/san-address-undefined
test-sanitize: deps
	@$(MAKE) --no-print-directory SANITIZER=address,undefined BUILD=$(SAN_BUILD) all
	@BUILD=$(SAN_BUILD) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run

bench:
	@BUILD=$(BUILD) tests/bench/run

format:
	clang-format -i $$(find services tests -name '*.[ch]')

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr -Iservices -I$(BUILD)/gen services

clean:
	rm -rf build

DEPFILES := $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(DEPFILES)
