/*
 * elf_segments.h — the loadable contents of an ARM ELF file, from its program headers.
 *
 * h7boot decides where bytes go from PT_LOAD entries only (p_paddr, p_vaddr, p_filesz,
 * p_memsz), never from section names; the symbol table is consulted only to find the vector
 * table by its conventional names. Reading uses libelf.
 */
#ifndef H7BOOT_ELF_SEGMENTS_H
#define H7BOOT_ELF_SEGMENTS_H

#include <stddef.h>
#include <stdint.h>

struct elf_load {
    unsigned index;      /* program header index (for messages) */
    uint32_t paddr;      /* load address: where the file bytes belong */
    uint32_t vaddr;      /* run address */
    uint32_t filesz;     /* bytes in the file */
    uint32_t memsz;      /* bytes in memory (>= filesz; the rest is zero-filled) */
    uint32_t flags;      /* PF_X | PF_W | PF_R */
    const uint8_t *data; /* filesz bytes (points into the mapped file) */
};

struct elf_file {
    const char *path;
    uint32_t entry;
    unsigned n_loads;
    struct elf_load *loads; /* PT_LOAD entries with p_memsz > 0, in file order */
    /* private */
    int fd;
    void *map;
    size_t map_size;
    void *elf; /* Elf * */
};

/*
 * Open and read an ELF file: 32-bit, little-endian, EM_ARM, with at least one PT_LOAD.
 * Checks every PT_LOAD's file range lies inside the file and filesz <= memsz and that no
 * segment wraps past 4 GB. Returns 0, or -1 with a message "PATH: what is wrong" in err.
 */
int elf_open(struct elf_file *ef, const char *path, char *err, size_t errlen);
void elf_close(struct elf_file *ef);

/* Address of the first defined symbol among names (NULL-terminated list); 0 if none. */
uint32_t elf_symbol(const struct elf_file *ef, const char *const *names, const char **found);

#endif /* H7BOOT_ELF_SEGMENTS_H */
