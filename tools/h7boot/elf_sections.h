/*
 * elf_sections.h — the allocated sections and sized symbols of a 32-bit ELF file, read with
 * libelf, in the form the memory tools (report, check) need.
 *
 * A section's load address (LMA) is not in the section header: it is taken from the PT_LOAD
 * program header that holds the section (lma = p_paddr + (sh_addr - p_vaddr)); a section in no
 * segment has lma == addr. The object or source file of a symbol comes from the STT_FILE symbol
 * that precedes it in the symbol table (GCC emits one per translation unit for local symbols);
 * global symbols carry no such record and get an empty file name.
 */
#ifndef H7_ELF_SECTIONS_H
#define H7_ELF_SECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define H7_ELF_NAME_MAX 64
/* Symbol names: C++ names are long (mangled, and after mem_demangle.c); a truncated mangled
 * name cannot be demangled. */
#define H7_ELF_SYMBOL_MAX 256

struct h7_elf_section {
    char name[H7_ELF_NAME_MAX];
    uint32_t addr;  /* VMA: where the program uses it */
    uint32_t lma;   /* where its initial contents are stored (== addr for NOBITS) */
    uint32_t size;
    bool nobits;    /* SHT_NOBITS: occupies memory, no contents in the file */
    bool exec;      /* SHF_EXECINSTR */
    bool write;     /* SHF_WRITE */
    unsigned index; /* section header index */
    unsigned script_order; /* 1.. = place in the linker script (from the map file), 0 unknown */
};

struct h7_elf_symbol {
    char name[H7_ELF_SYMBOL_MAX];
    char file[H7_ELF_NAME_MAX]; /* source/object file from STT_FILE, or "" */
    uint32_t addr;
    uint32_t size;
    bool func;
    unsigned shndx; /* section header index of the section that holds it */
};

/* A global symbol without size (a linker-script label such as _estack). */
struct h7_elf_mark {
    char name[H7_ELF_NAME_MAX];
    uint32_t addr;
};

struct h7_elf {
    size_t n_sections;
    struct h7_elf_section *sections; /* SHF_ALLOC sections (also empty ones), by address */
    size_t n_symbols;
    struct h7_elf_symbol *symbols;   /* objects and functions of non-zero size, largest first */
    size_t n_marks;
    struct h7_elf_mark *marks;
    uint32_t entry;
};

/*
 * Read `path`. Returns 0, or -1 with a message naming the file in err ("FILE: what is wrong").
 * Only 32-bit little-endian ELF files are accepted (every Cortex-M toolchain output).
 */
int h7_elf_load(const char *path, struct h7_elf *out, char *err, size_t errlen);

void h7_elf_free(struct h7_elf *elf);

/* The section with header index `index`, or NULL. */
const struct h7_elf_section *h7_elf_section_by_index(const struct h7_elf *elf, unsigned index);

/* The first section called `name`, or NULL. */
const struct h7_elf_section *h7_elf_section_by_name(const struct h7_elf *elf, const char *name);

/* The address of symbol `name` (a sized symbol or a mark); false when there is none. */
bool h7_elf_symbol_addr(const struct h7_elf *elf, const char *name, uint32_t *addr);

#endif
