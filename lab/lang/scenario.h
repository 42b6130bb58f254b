/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_SCENARIO_H
#define LAB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

struct lab;
struct diags;

/*
 * The scenario parser is fed one line at a time and never touches the
 * kernel, so tests and fuzzers drive it from strings.  Errors are
 * collected with their positions; parsing goes on after an error so that
 * every error is reported at once.
 */
struct scenario_parser;

/* Always 0: running out of memory is fatal (netns/util/xalloc.h). */
int scenario_parse_init(struct scenario_parser **ret, const char *file);
/* Feeds one line (without its newline).  Returns 0, or 1 when the line is
 * an `include`: the caller reads scenario_parse_include()'s file with
 * scenario_parse_push()/scenario_parse_pop() around its lines. */
int scenario_parse_line(struct scenario_parser *p, const char *line, size_t len);
const char *scenario_parse_include(const struct scenario_parser *p);
/* Whether a line outside a block opens one (its last word, unquoted, is
 * `<<`: a comment may follow it), and whether a line inside a block closes
 * it (`>>` alone): the parser's own rules, for tools that find the lines
 * of a statement in its text (wglab mutate). */
bool scenario_line_opens_block(const char *line, size_t len);
bool scenario_line_closes_block(const char *line, size_t len);
int scenario_parse_push(struct scenario_parser *p, const char *file);
void scenario_parse_pop(struct scenario_parser *p);
/* Ends the input.  ret gets the model (even when there were errors, so
 * callers can show it); returns 0, or -EINVAL when d holds errors. */
int scenario_parse_finish(struct scenario_parser *p, struct lab **ret, struct diags *d);
void scenario_parse_free(struct scenario_parser *p);

/* Reads and parses a file (and its includes), then validates it
 * (lab/lang/validate.h).  0, or -EINVAL with every error in d, or -errno
 * when the file cannot be read (also in d). */
int scenario_load(const char *path, struct lab **ret, struct diags *d);
/* scenario_load(), and *ret_text (caller frees): the scenario as its lines
 * expand (lab/lang/expand.h), included files inlined, a form that parses to
 * the same statements (`wglab check --expand`).  NULL ret_text: none. */
int scenario_load_expanded(const char *path, struct lab **ret, char **ret_text, struct diags *d);
/* The same for text in memory, named `name` in messages. */
int scenario_load_text(const char *name, const char *text, size_t len, struct lab **ret,
		       struct diags *d);
/* A file followed by n more texts (as if each were included at its end,
 * named names[i] in messages): a kept lab's scenario and the statements
 * applied to it since (wglab apply/expect), validated together. */
int scenario_load_more(const char *path, const char *const *names, const char *const *texts,
		       size_t n, struct lab **ret, struct diags *d);

#endif
