/*
 * elf_segments.c — PT_LOAD reading with libelf (elf_segments.h).
 */
#include "elf_segments.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int elf_open(struct elf_file *ef, const char *path, char *err, size_t errlen)
{
    memset(ef, 0, sizeof *ef);
    ef->path = path;
    ef->fd = -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, "%s: libelf initialisation failed", path);
    ef->fd = open(path, O_RDONLY);
    if (ef->fd < 0)
        return fail(err, errlen, "%s: cannot open: %m", path);
    struct stat st;
    if (fstat(ef->fd, &st) || st.st_size == 0) {
        elf_close(ef);
        return fail(err, errlen, "%s: empty or unreadable file", path);
    }
    ef->map_size = (size_t)st.st_size;
    ef->map = mmap(NULL, ef->map_size, PROT_READ, MAP_PRIVATE, ef->fd, 0);
    if (ef->map == MAP_FAILED) {
        ef->map = NULL;
        elf_close(ef);
        return fail(err, errlen, "%s: cannot map: %m", path);
    }
    Elf *e = elf_memory(ef->map, ef->map_size);
    ef->elf = e;
    GElf_Ehdr eh;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        elf_close(ef);
        return fail(err, errlen, "%s: not an ELF file", path);
    }
    if (gelf_getclass(e) != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_machine != EM_ARM) {
        elf_close(ef);
        return fail(err, errlen, "%s: not a 32-bit little-endian ARM ELF file", path);
    }
    ef->entry = (uint32_t)eh.e_entry;
    size_t nph;
    if (elf_getphdrnum(e, &nph)) {
        elf_close(ef);
        return fail(err, errlen, "%s: cannot read the program headers: %s", path, elf_errmsg(-1));
    }
    ef->loads = calloc(nph ? nph : 1, sizeof *ef->loads);
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            elf_close(ef);
            return fail(err, errlen, "%s: program header %zu unreadable", path, i);
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > ef->map_size ||
            ph.p_filesz > ef->map_size - ph.p_offset) {
            elf_close(ef);
            return fail(err, errlen,
                        "%s: program header %zu (PT_LOAD at 0x%08llx): file range "
                        "0x%llx+0x%llx is outside the file or larger than p_memsz",
                        path, i, (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_offset,
                        (unsigned long long)ph.p_filesz);
        }
        if (ph.p_paddr + ph.p_filesz > 0x100000000ull || ph.p_vaddr + ph.p_memsz > 0x100000000ull) {
            elf_close(ef);
            return fail(err, errlen, "%s: program header %zu runs past the 4 GB address space",
                        path, i);
        }
        struct elf_load *l = &ef->loads[ef->n_loads++];
        l->index = (unsigned)i;
        l->paddr = (uint32_t)ph.p_paddr;
        l->vaddr = (uint32_t)ph.p_vaddr;
        l->filesz = (uint32_t)ph.p_filesz;
        l->memsz = (uint32_t)ph.p_memsz;
        l->flags = ph.p_flags;
        l->data = (const uint8_t *)ef->map + ph.p_offset;
    }
    if (ef->n_loads == 0) {
        elf_close(ef);
        return fail(err, errlen, "%s: no loadable (PT_LOAD) segment", path);
    }
    return 0;
}

void elf_close(struct elf_file *ef)
{
    if (ef->elf)
        elf_end(ef->elf);
    if (ef->map)
        munmap(ef->map, ef->map_size);
    if (ef->fd >= 0)
        close(ef->fd);
    free(ef->loads);
    ef->elf = NULL;
    ef->map = NULL;
    ef->fd = -1;
    ef->loads = NULL;
}

uint32_t elf_symbol(const struct elf_file *ef, const char *const *names, const char **found)
{
    Elf *e = ef->elf;
    for (const char *const *n = names; *n; n++) {
        Elf_Scn *scn = NULL;
        while ((scn = elf_nextscn(e, scn))) {
            GElf_Shdr sh;
            if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
                continue;
            Elf_Data *d = elf_getdata(scn, NULL);
            if (!d)
                continue;
            size_t count = sh.sh_size / sh.sh_entsize;
            for (size_t i = 0; i < count; i++) {
                GElf_Sym sym;
                if (!gelf_getsym(d, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
                    continue;
                const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
                if (name && !strcmp(name, *n)) {
                    if (found)
                        *found = *n;
                    return (uint32_t)sym.st_value;
                }
            }
        }
    }
    return 0;
}
