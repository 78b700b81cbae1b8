/*
 * The h7boot subcommands. Each lives in its own cmd_NAME.c and takes the arguments after its
 * name (argv[0] is the subcommand name). Exit codes, for every subcommand:
 *   0 success, 1 bad input (a file, an image, an ELF, a rule that fired), 2 usage error.
 */
#ifndef H7BOOT_COMMANDS_H
#define H7BOOT_COMMANDS_H

enum { H7_EXIT_OK = 0, H7_EXIT_BAD_INPUT = 1, H7_EXIT_USAGE = 2 };

int h7_cmd_pack(int argc, char **argv);    /* ELF -> .img / .dfu / .bin  (cmd_pack.c) */
int h7_cmd_inspect(int argc, char **argv); /* describe and verify .img / .dfu / .bin */
int h7_cmd_report(int argc, char **argv);  /* memory use per region (cmd_report.c) */
int h7_cmd_check(int argc, char **argv);   /* placement rules (cmd_check.c) */
int h7_cmd_ld(int argc, char **argv);      /* linker script from a placement file (cmd_ld.c) */

#endif
