/*
 * h7boot check — placement rules over a linked ELF file (docs/memory.md lists every rule).
 *
 *   h7boot check APP.elf --board B [--bin] [--loader h7boot|daisy|none] [--min-stack N]
 *                        [--max-bin N] [--json] [--list]
 *
 * Each finding prints "ID level: message" and "  fix: ...". Exit 1 when an error-level rule
 * fired, 0 otherwise (warnings alone do not fail a build).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mem_rules.h"

static int usage(FILE *o)
{
    fprintf(o, "usage: h7boot check APP.elf --board BOARD [--bin] [--loader h7boot|daisy|none]\n"
               "                    [--min-stack BYTES] [--max-bin BYTES] [--json] [--list]\n"
               "  --bin            a raw .bin will be made (objcopy -O binary): check its size\n"
               "  --loader L       what puts the app in place (default daisy): h7boot initialises\n"
               "                   SDRAM first and keeps BOOT_RAM; none: flashed at its addresses\n"
               "  --min-stack N    stack margin below which H7-STACK-MARGIN warns (4096)\n"
               "  --max-bin N      largest acceptable .bin (8 MB)\n"
               "  --json           findings as JSON\n"
               "  --list           list the rules and exit\n");
    return o == stdout ? H7_EXIT_OK : H7_EXIT_USAGE;
}

struct out {
    bool json;
    size_t n;
};

static void print_finding(void *ctx, const struct h7_rule_info *rule, const char *msg,
                          const char *fix)
{
    struct out *o = ctx;
    const char *level = rule->level == H7_RULE_ERROR ? "error" : "warning";
    if (o->json) {
        printf("%s\n {\"id\":\"%s\",\"level\":\"%s\",\"message\":", o->n ? "," : "", rule->id,
               level);
        h7_json_string(stdout, msg);
        printf(",\"fix\":");
        h7_json_string(stdout, fix);
        printf("}");
    } else {
        printf("%s %s: %s\n  fix: %s\n", rule->id, level, msg, fix);
    }
    o->n++;
}

static bool number(const char *s, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || x > UINT32_MAX)
        return false;
    if (*end == 'K' || *end == 'k')
        x <<= 10, end++;
    else if (*end == 'M')
        x <<= 20, end++;
    if (*end || x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

int h7_cmd_check(int argc, char **argv)
{
    const char *elf = NULL, *board = NULL;
    struct h7_rule_options opt = {.min_stack = 4096, .max_bin = 8u << 20};
    struct out o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage(stdout);
        if (!strcmp(a, "--list")) {
            for (const struct h7_rule_info *r = h7_rules; r->id; r++)
                printf("%-16s %-7s %s\n", r->id, r->level == H7_RULE_ERROR ? "error" : "warning",
                       r->summary);
            return H7_EXIT_OK;
        }
        if (!strcmp(a, "--board") && i + 1 < argc)
            board = argv[++i];
        else if (!strcmp(a, "--bin"))
            opt.bin = true;
        else if (!strcmp(a, "--json"))
            o.json = true;
        else if (!strcmp(a, "--loader") && i + 1 < argc) {
            const char *l = argv[++i];
            if (strcmp(l, "h7boot") && strcmp(l, "daisy") && strcmp(l, "none")) {
                fprintf(stderr, "h7boot check: --loader is h7boot, daisy or none, not '%s'\n", l);
                return H7_EXIT_USAGE;
            }
            opt.loader = !strcmp(l, "h7boot") ? H7_LOADER_H7BOOT
                         : !strcmp(l, "none") ? H7_LOADER_NONE
                                              : H7_LOADER_DAISY;
        } else if ((!strcmp(a, "--min-stack") || !strcmp(a, "--max-bin")) && i + 1 < argc) {
            uint32_t *v = !strcmp(a, "--min-stack") ? &opt.min_stack : &opt.max_bin;
            if (!number(argv[++i], v)) {
                fprintf(stderr, "h7boot check: %s wants a size (1234, 0x400, 4K), got '%s'\n", a,
                        argv[i]);
                return H7_EXIT_USAGE;
            }
        } else if (a[0] == '-' || elf) {
            fprintf(stderr, "h7boot check: unexpected argument '%s'\n", a);
            return usage(stderr);
        } else
            elf = a;
    }
    if (!elf || !board) {
        fprintf(stderr, "h7boot check: %s\n", !elf ? "no ELF file given" : "--board is required");
        return usage(stderr);
    }
    struct h7_mem_input in;
    if (h7_mem_input_load(&in, "check", elf, board))
        return H7_EXIT_BAD_INPUT;
    if (o.json)
        printf("{\"format\":1,\"findings\":[");
    size_t errors = h7_rules_run(&in, &opt, print_finding, &o);
    if (o.json)
        printf("],\"errors\":%zu}\n", errors);
    else if (!o.n)
        printf("%s: no findings on %s\n", elf, in.board.name);
    h7_mem_input_free(&in);
    return errors ? H7_EXIT_BAD_INPUT : H7_EXIT_OK;
}
