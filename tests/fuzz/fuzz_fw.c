// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 wglab developers. */
/*
 * The iptables-rule parser, line by line into one ruleset, then the
 * nftables transaction it compiles to (kernel-free).  A line "%commit"
 * stands for a transaction the kernel accepted (handles are made up, as
 * the kernel's echo would give them); at the end the pending changes are
 * built and dropped, as after a refusal.  An error must have a message and
 * a column at most one past the end of its line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netns/fw/fw.h"
#include "netns/fw/fw_batch.h"
#include "netns/fw/fw_model.h"
#include "netns/fw/fw_nft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t fuzz_handle;

static void fuzz_build(struct fw_ruleset *rs, bool commit)
{
	struct fw_batch *b = NULL;
	struct fw_op *op;

	if (fw_batch_build(rs, 1, &b) < 0) {
		fw_discard(rs);
		return;
	}
	fw_batch_free(b);
	if (!commit) {
		fw_discard(rs);
		return;
	}
	for (op = rs->first_op; op; op = op->next)
		if (op->kind == FW_OP_ADD_RULE)
			for (unsigned int k = 0; k < op->rule->nkern; k++)
				op->rule->handle[k] = ++fuzz_handle;
	fw_ops_commit(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_ruleset *rs = fw_ruleset_new();
	const char *s = (const char *)data, *end = s + size;
	unsigned int ln = 0;
	struct fw_error err;

	if (!rs)
		abort();
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t n = eol ? (size_t)(eol - s) : (size_t)(end - s);
		char *line = strndup(s, n);

		if (!line)
			abort();
		ln++;
		if (!strcmp(line, "%commit")) {
			if (!fw_parse_finish(rs, &err))
				fuzz_build(rs, true);
		} else if (fw_parse_line(rs, AF_INET, line, ln, &err) < 0 &&
			   (!err.msg[0] || err.column > strlen(line) + 1)) {
			fprintf(stderr, "misplaced error %u:%u: %s\n", ln, err.column, err.msg);
			abort();
		}
		free(line);
		s += n + 1;
	}
	if (!fw_parse_finish(rs, &err))
		fuzz_build(rs, false);
	fw_ruleset_free(rs);
	return 0;
}
