/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 wglab developers. */
#ifndef LAB_COMMANDS_H
#define LAB_COMMANDS_H

/* One command per file, lab/cmd_<name>.c; argv[0] is the command name. */
int run_main(int argc, const char *argv[]);
int mutate_main(int argc, const char *argv[]);
int check_main(int argc, const char *argv[]);
int up_main(int argc, const char *argv[]);
int down_main(int argc, const char *argv[]);
int apply_main(int argc, const char *argv[]);
int expect_main(int argc, const char *argv[]);
int exec_main(int argc, const char *argv[]);
int shell_main(int argc, const char *argv[]);
int list_main(int argc, const char *argv[]);
int reap_main(int argc, const char *argv[]);
int show_main(int argc, const char *argv[]);
int graph_main(int argc, const char *argv[]);
int bench_main(int argc, const char *argv[]);
int report_main(int argc, const char *argv[]);
int genkey_main(int argc, const char *argv[]);
int pubkey_main(int argc, const char *argv[]);
int genpsk_main(int argc, const char *argv[]);
int help_main(int argc, const char *argv[]);


#endif
