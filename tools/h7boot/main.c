/*
 * h7boot — the host command line tool: `h7boot COMMAND [ARGS]`, `h7boot COMMAND --help`.
 */
#include <stdio.h>
#include <string.h>

#include "cli_io.h"
#include "commands.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"pack", h7_cmd_pack, "pack an ELF file into an image (.img), a DfuSe file (.dfu) or a .bin"},
    {"inspect", h7_cmd_inspect, "show and verify an .img, .dfu or .bin file"},
    {"report", h7_cmd_report, "memory use of an ELF file per region of a board"},
    {"check", h7_cmd_check, "check an ELF file's placement against a board's rules"},
    {"ld", h7_cmd_ld, "generate a GNU ld script from a placement file"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: h7boot COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'h7boot COMMAND --help' describes a command.\n"
                 "Exit status: 0 ok, 1 bad input, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return H7_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return cli_finish_stdout(NULL, H7_EXIT_OK);
    }
    if (!strcmp(argv[1], "--version")) {
        printf("h7boot %s\n", H7BOOT_VERSION);
        return cli_finish_stdout(NULL, H7_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            /* a command's output that did not reach its destination is a failure */
            return cli_finish_stdout(commands[i].name, commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "h7boot: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return H7_EXIT_USAGE;
}
