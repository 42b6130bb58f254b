# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 wglab developers.
#
# wglab: network-namespace lab for WireGuard topologies.  `make help` lists
# the targets and knobs.

PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
NETNS_RUN_DIR ?= /run/netns
WGLAB_RUN_DIR ?= /run/wglab
BUILDDIR ?= build
CFLAGS ?= -O2 -g

PKGS := libmnl libnftnl libnftables libsodium libpcap jansson
# Debian's Go sources of wireguard-go (golang-golang.zx2c4-wireguard-dev)
# and golang.org/x, for the WireGuard host (netns/wg/wghost/).
WGHOST_GOPATH ?= /usr/share/gocode

# A fresh machine gets its dependencies on first use (ci/install-deps is
# idempotent and cheap when nothing is missing).
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(PKGS) check 2>/dev/null && command -v go >/dev/null && \
	test -d $(WGHOST_GOPATH)/src/golang.zx2c4.com/wireguard/device && echo yes),yes)
$(info Installing missing dependencies (ci/install-deps))
$(if $(shell ci/install-deps >&2 && echo ok),,$(error Missing libraries: $(PKGS) check. Run ci/install-deps as root))
endif
endif

VERSION := $(shell git describe --always --dirty 2>/dev/null)

override CFLAGS += -std=gnu11 -D_GNU_SOURCE
override CFLAGS += -Wall -Wextra -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
	-Wmissing-declarations -Wold-style-definition -Wshadow
override CFLAGS += -MMD -MP
override CPPFLAGS += -I. -DNETNS_RUN_DIR='"$(NETNS_RUN_DIR)"' -DWGLAB_RUN_DIR='"$(WGLAB_RUN_DIR)"'
ifneq ($(VERSION),)
override CPPFLAGS += -DLAB_VERSION='"$(VERSION)"'
endif
override CPPFLAGS += $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

ifeq ($(DEBUG),1)
override CFLAGS += -O0 -g3
endif
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
# Every report is fatal, so that a test or a run that hits one fails.
override CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifneq ($(findstring address,$(SANITIZE)),)
# Leaks inside libraries, each with the version it applies to
# (tests/lsan.supp), for every test run of an ASan build.
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0$(if $(LSAN_OPTIONS),:$(LSAN_OPTIONS))
endif

# Objects and programs are rebuilt when the flags change (SANITIZE=, DEBUG=,
# CFLAGS=...): the flags of the last build are kept in $(FLAGS_STAMP).  The
# version and -Werror change no object.
FLAGS_STAMP := $(BUILDDIR)/.flags
FLAGS_NOW := $(CC) $(filter-out -DLAB_VERSION=%,$(CPPFLAGS)) $(filter-out -Werror,$(CFLAGS)) \
	$(LDFLAGS) $(LDLIBS)
# The objects that print the version are rebuilt when it changes (a build
# kept across commits reported the commit it was first built at).
VERSION_STAMP := $(BUILDDIR)/.version
ifeq ($(filter clean help,$(MAKECMDGOALS)),)
ifneq ($(file < $(FLAGS_STAMP)),$(FLAGS_NOW))
$(shell mkdir -p $(BUILDDIR))
$(file > $(FLAGS_STAMP),$(FLAGS_NOW))
endif
ifneq ($(file < $(VERSION_STAMP)),$(VERSION))
$(shell mkdir -p $(BUILDDIR))
$(file > $(VERSION_STAMP),$(VERSION))
endif
endif

ifneq ($(V),1)
Q_CC = @echo "  CC      $@";
Q_LD = @echo "  LD      $@";
Q_AR = @echo "  AR      $@";
Q_GO = @echo "  GO      $@";
endif

LIB_DIRS := netns netns/util netns/fw netns/wg traffic assertions
LAB_DIRS := lab lab/lang lab/run lab/report lab/bench lab/mutate lab/host
CMD_SRCS := lab/main.c $(wildcard lab/cmd_*.c)
LAB_LIB_SRCS := $(filter-out $(CMD_SRCS),$(foreach d,$(LAB_DIRS),$(wildcard $(d)/*.c)))
LIB_SRCS := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)) $(LAB_LIB_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILDDIR)/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(BUILDDIR)/%.o)
LIB := $(BUILDDIR)/libwglab.a
BIN := $(BUILDDIR)/wglab
WGHOST_BIN := $(BUILDDIR)/wglab-wghost
WGHOST_LIBVERSION := $(shell dpkg-query -W -f='$${Version}' golang-golang.zx2c4-wireguard-dev 2>/dev/null | sed 's/-[^-]*$$//')

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILDDIR)/%.o)
UNIT_BIN := $(BUILDDIR)/tests/unit/check_unit
INTEG_SRCS := $(wildcard tests/integration/*.c)
INTEG_OBJS := $(INTEG_SRCS:%.c=$(BUILDDIR)/%.o)
INTEG_BIN := $(BUILDDIR)/tests/integration/check_integration
# A userspace WireGuard that refuses what the real ones take (tests/cli).
FAKEWG_BIN := $(BUILDDIR)/tests/fakewg/fakewg

# libFuzzer harnesses: the archive's sources again, built by clang with
# coverage and sanitizers into an object tree of their own.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
CHECK_FUZZ_SECONDS ?= 8
FUZZ_DIR := $(BUILDDIR)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -O1 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wold-style-definition -Wshadow -MMD -MP \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link $(if $(filter 1,$(WERROR)),-Werror)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LIB := $(FUZZ_DIR)/libwglab.a

DEPS := $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(INTEG_OBJS:.o=.d) $(FAKEWG_BIN).d \
	$(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_BINS:=.d)

.DEFAULT_GOAL := all
.PHONY: all run check check-unit check-integration check-scenarios check-kernel layering catalogue-real-time \
	bench bench-kernel mutate soak fuzz fuzz-build analyze memcheck install uninstall clean help

all: $(BIN) $(WGHOST_BIN)

$(BUILDDIR)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILDDIR)/tests/%.o: tests/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(CPPFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -c -o $@ $<

# The test programs (not beside the host) find it in the build tree.
$(BUILDDIR)/lab/run/exec_wg.o: override CPPFLAGS += -DWGLAB_WGHOST_BUILT='"$(abspath $(WGHOST_BIN))"'

$(BUILDDIR)/lab/main.o $(BUILDDIR)/lab/report/report_json.o $(FUZZ_DIR)/obj/lab/report/report_json.o: $(VERSION_STAMP)

$(LIB): $(LIB_OBJS)
	$(Q_AR)$(AR) rcs $@ $^

$(BIN): $(CMD_OBJS) $(LIB) $(FLAGS_STAMP) | $(WGHOST_BIN)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(LIB) $(LDLIBS)

# The WireGuard host: every userspace interface of a lab in one process,
# wireguard-go's code as Debian packages it (GOPATH mode, no network).
$(WGHOST_BIN): $(wildcard netns/wg/wghost/*.go)
	@mkdir -p $(@D)
	$(Q_GO)cd netns/wg/wghost && GO111MODULE=off GOPATH=$(WGHOST_GOPATH) GOFLAGS= \
		GOCACHE=$(abspath $(BUILDDIR))/gocache go build -trimpath \
		-ldflags '-X main.libVersion=$(WGHOST_LIBVERSION)' -o $(abspath $@) .

# Suite lists are generated from the test files, so adding a suite is adding
# a file.
$(BUILDDIR)/tests/%/suites.h: $(wildcard tests/unit/check_*.c tests/integration/check_*.c)
	@mkdir -p $(@D)
	@grep -ho '^Suite \*[a-z0-9_]*_suite(void)$$' tests/$*/check_*.c 2>/dev/null | \
		sed 's/^Suite \*\([a-z0-9_]*\)_suite(void)/SUITE(\1)/' | sort > $@.tmp && \
		(cmp -s $@.tmp $@ || mv $@.tmp $@); rm -f $@.tmp

$(BUILDDIR)/tests/unit/check_main.o: $(BUILDDIR)/tests/unit/suites.h
$(BUILDDIR)/tests/integration/check_integration_main.o: $(BUILDDIR)/tests/integration/suites.h
$(BUILDDIR)/tests/unit/%.o: override CPPFLAGS += -I$(BUILDDIR)/tests/unit
$(BUILDDIR)/tests/integration/%.o: override CPPFLAGS += -I$(BUILDDIR)/tests/integration

$(UNIT_BIN): $(UNIT_OBJS) $(LIB) $(FLAGS_STAMP)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIB) $(CHECK_LIBS) $(LDLIBS)

$(FAKEWG_BIN): $(BUILDDIR)/tests/fakewg/fakewg.o
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $<

$(INTEG_BIN): $(INTEG_OBJS) $(LIB) $(FLAGS_STAMP) | $(WGHOST_BIN)
	$(Q_LD)$(CC) $(LDFLAGS) -o $@ $(INTEG_OBJS) $(LIB) $(CHECK_LIBS) $(LDLIBS)

# The main job: build, then run the scenario catalogue.
run: $(BIN)
	$(BIN) run --jobs 2 scenarios/

check: $(BIN) $(UNIT_BIN) $(INTEG_BIN) $(FAKEWG_BIN)
	@MAKE="$(MAKE)" FUZZ_CC="$(FUZZ_CC)" CHECK_FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) tests/run-all $(BUILDDIR)

# The folder rules of tests/layering/layers on the sources and the built
# objects (no back-edge, no cycle between files, narrow headers), then the
# check's self-test.
layering: $(LIB) $(CMD_OBJS)
	@tests/layering/run $(BUILDDIR)

check-unit: $(UNIT_BIN)
	CK_TAP_LOG_FILE_NAME=$(BUILDDIR)/unit.tap $(if $(SUITE),CK_RUN_SUITE=$(SUITE)) $(if $(CASE),CK_RUN_CASE=$(CASE)) $(UNIT_BIN)

check-integration: $(BIN) $(INTEG_BIN)
	@tests/run-integration $(BUILDDIR)

# nat-hub.lab at the guides' real keepalive and NAT timeout (minutes;
# outside make check).
catalogue-real-time: $(BIN)
	@tests/real-time $(BUILDDIR)

check-scenarios: $(BIN)
	$(BIN) run --junit $(BUILDDIR)/scenarios.xml --json $(BUILDDIR)/scenarios.json scenarios/

# KERNEL_LABS: scenario files for the guest (default, chosen by ci/vm:
# tests/wg/*.lab tests/vm/*.lab scenarios/*.lab).
check-kernel: $(BIN) $(INTEG_BIN)
	@ci/vm $(BUILDDIR) $(KERNEL_LABS)

bench: $(BIN)
	@tests/bench/run $(BUILDDIR)

# Both WireGuard data paths side by side, in the qemu guest (the kernel
# here has no WireGuard): the start per interface and the phases.
BENCH_KERNEL_ARGS ?= --wg kernel,userspace --repeat 3 tests/bench/wgstart.lab
bench-kernel: $(BIN) $(INTEG_BIN)
	@WGLAB_VM_BENCH="$(BENCH_KERNEL_ARGS)" WGLAB_VM_TIMEOUT=$${WGLAB_VM_TIMEOUT:-900} ci/vm $(BUILDDIR)

# Mutation testing of the catalogue (not part of check: slow).
# MUTATE_SHARD=I/N takes the I-th of N shares of the sorted files (CI).
MUTATE_FILES ?= $(sort $(wildcard scenarios/*.lab))
MUTATE_JOBS ?= 2
mutate_shard = $(if $(MUTATE_SHARD),$(shell echo $(MUTATE_FILES) | tr ' ' '\n' | \
	awk -v i=$(word 1,$(subst /, ,$(MUTATE_SHARD))) -v n=$(word 2,$(subst /, ,$(MUTATE_SHARD))) \
	'(NR - 1) % n == i - 1'),$(MUTATE_FILES))
mutate: $(BIN)
	$(BIN) mutate --jobs $(MUTATE_JOBS) --json $(BUILDDIR)/mutate.json --junit $(BUILDDIR)/mutate.xml \
		$(mutate_shard)

soak: $(BIN)
	@tests/soak $(BUILDDIR)

# Builds the harnesses, seeds $(FUZZ_DIR)/corpus-* from the scenarios and
# fixtures, runs each for FUZZ_SECONDS; "N passed, N failed", or SKIP when
# clang or its libFuzzer runtime is missing.
fuzz:
	@MAKE="$(MAKE)" FUZZ_CC="$(FUZZ_CC)" tests/fuzz/run $(BUILDDIR) $(FUZZ_SECONDS) || [ $$? = 77 ]

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q_CC)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(Q_AR)$(AR) rcs $@ $^

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(Q_LD)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS)

analyze:
	scan-build $(MAKE) all

# The unit tests in one process, then one scenario run (root; SKIP without).
memcheck: $(BIN) $(UNIT_BIN)
	CK_FORK=no valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite $(UNIT_BIN)
	@tests/memcheck-run $(BUILDDIR) || [ $$? = 77 ]

install: $(BIN) $(WGHOST_BIN)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/wglab
	install -m 0755 $(WGHOST_BIN) $(DESTDIR)$(BINDIR)/wglab-wghost

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wglab $(DESTDIR)$(BINDIR)/wglab-wghost

clean:
	rm -rf $(BUILDDIR)

help:
	@echo "Targets:"
	@echo "  all                build $(BIN) (default)"
	@echo "  run                build and run the scenario catalogue (scenarios/)"
	@echo "  check              layering, unit, fuzz, integration, self-tests, CLI, catalogue, qemu"
	@echo "  check-unit         Check unit tests only (no privileges; SUITE=, CASE= select)"
	@echo "  check-integration  namespace tests, self-tests and command-line tests (root)"
	@echo "  layering           the folder rules (tests/layering/layers): no back-edge, no cycle"
	@echo "  check-kernel       kernel WireGuard backend and netem in a qemu guest (KERNEL_LABS= files)"
	@echo "  bench              build and throughput benchmarks"
	@echo "  bench-kernel       kernel and userspace WireGuard side by side in the qemu guest (BENCH_KERNEL_ARGS=)"
	@echo "  soak               run the catalogue 20 times back to back"
	@echo "  catalogue-real-time nat-hub.lab at the guides' real keepalive (25 s) and NAT timeout (30 s)"
	@echo "  fuzz               libFuzzer harnesses (clang), FUZZ_SECONDS=$(FUZZ_SECONDS) each"
	@echo "  analyze            scan-build"
	@echo "  memcheck           unit tests and a run of routed.lab under valgrind"
	@echo "  install/uninstall  into \$$(DESTDIR)\$$(BINDIR) ($(DESTDIR)$(BINDIR))"
	@echo "  clean              remove $(BUILDDIR)/"
	@echo "Knobs: V=1 WERROR=1 DEBUG=1 SANITIZE=address,undefined PREFIX= DESTDIR= BUILDDIR="
	@echo "       FUZZ_SECONDS=$(FUZZ_SECONDS) (make fuzz) CHECK_FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) (make check)"
	@echo "       NETNS_RUN_DIR=$(NETNS_RUN_DIR) WGLAB_RUN_DIR=$(WGLAB_RUN_DIR)"

-include $(DEPS)
