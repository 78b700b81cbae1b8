/*
 * libFuzzer target: what `h7boot report` and `h7boot check` read — the ELF file (libelf through
 * elf_sections.c, then the usage per region and every placement rule) and the GNU ld map file
 * (mem_mapfile.c). Both readers take a path, so the input is written to a temporary file.
 *  - first byte even: the rest is an ELF file: h7_mem_input_load + h7_rules_run;
 *  - first byte odd: the rest is a map file, read against a fixed set of symbols.
 * Any input ends in a result or an error naming the file, never a crash, overflow or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem_mapfile.h"
#include "mem_rules.h"

static char path[64];

static void report(void *ctx, const struct h7_rule_info *rule, const char *message,
                   const char *fix)
{
    (void)rule;
    *(size_t *)ctx += strlen(message) + strlen(fix);
}

static void write_input(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_mem_readers.%ld", (long)getpid());
    }
    if (size < 1)
        return 0;
    write_input(data + 1, size - 1);
    char err[512];
    if (!(data[0] & 1)) {
        struct h7_mem_input in;
        if (h7_mem_input_load(&in, "fuzz", path, "daisy-seed"))
            return 0;
        struct h7_rule_options opt = {.bin = data[0] & 2, .loader = (enum h7_loader)((data[0] >> 2) % 3),
                                      .min_stack = 1024, .max_bin = 1u << 20};
        size_t chars = 0;
        h7_rules_run(&in, &opt, report, &chars);
        h7_mem_input_free(&in);
        return 0;
    }
    struct h7_elf_symbol syms[4] = {
        {.name = "delay_line", .addr = 0x24000000, .size = 0x27400},
        {.name = "scratch", .addr = 0x240274a8, .size = 0x100},
        {.name = "main", .addr = 0x08000400, .size = 0x40, .func = true},
        {.name = "big", .addr = 0xC0000000, .size = 0x100000},
    };
    struct h7_elf elf = {.n_symbols = 4, .symbols = syms};
    int n = h7_mapfile_annotate(path, &elf, err, sizeof err);
    if (n < -1 || n > 4 || (n == -1 && !memchr(err, 0, sizeof err)))
        abort();
    for (int i = 0; i < 4; i++)
        if (!memchr(syms[i].file, 0, sizeof syms[i].file))
            abort();
    return 0;
}
