/*
 * mem_demangle.c — demangle C++ symbol names with libiberty (see mem_demangle.h).
 */
#include "mem_demangle.h"

#include <libiberty/demangle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void h7_demangle_symbols(struct h7_elf *elf)
{
    for (size_t i = 0; i < elf->n_symbols; i++) {
        char *name = elf->symbols[i].name;
        if (strncmp(name, "_Z", 2))
            continue; /* C names and linker labels: nothing to do */
        char *plain = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI);
        if (!plain)
            continue;
        size_t cap = sizeof elf->symbols[i].name;
        if (strlen(plain) < cap)
            memcpy(name, plain, strlen(plain) + 1);
        else
            snprintf(name, cap, "%.*s...", (int)(cap - 4), plain);
        free(plain);
    }
}
