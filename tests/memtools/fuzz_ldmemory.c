/*
 * libFuzzer target: the MEMORY parser of linker scripts (mem_ldmemory.c) on arbitrary text. Any
 * input must end in regions inside 32-bit addresses, "no MEMORY" or an error naming the file,
 * never in a crash, overflow or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem_ldmemory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct h7_ld_memory m;
    char err[512];
    int rc = h7_ld_memory_parse_script(text, "fuzz.ld", &m, err, sizeof err);
    free(text);
    if (rc < 0 && strncmp(err, "fuzz.ld: ", 9))
        abort();
    for (size_t i = 0; rc > 0 && i < m.n; i++)
        if ((uint64_t)m.regions[i].origin + m.regions[i].length > (1ull << 32) || !m.regions[i].name[0])
            abort();
    return 0;
}
