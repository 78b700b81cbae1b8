/*
 * mem_kind.h — what a section holds, for colours, tables and rules.
 */
#ifndef H7_MEM_KIND_H
#define H7_MEM_KIND_H

#include "elf_sections.h"

enum h7_mem_kind { H7_KIND_CODE, H7_KIND_RODATA, H7_KIND_DATA, H7_KIND_BSS };

static inline enum h7_mem_kind h7_mem_kind_of(const struct h7_elf_section *s)
{
    if (s->exec)
        return H7_KIND_CODE;
    if (s->nobits)
        return H7_KIND_BSS;
    return s->write ? H7_KIND_DATA : H7_KIND_RODATA;
}

static inline const char *h7_mem_kind_name(enum h7_mem_kind k)
{
    static const char *const names[] = {"code", "rodata", "data", "bss"};
    return names[k];
}

#endif
