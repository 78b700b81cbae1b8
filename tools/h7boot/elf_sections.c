/*
 * elf_sections.c — read sections and symbols of a 32-bit ELF file with libelf.
 */
#include "elf_sections.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void copy_name(char *dst, const char *src)
{
    snprintf(dst, H7_ELF_NAME_MAX, "%s", src ? src : "");
}

static int by_addr(const void *a, const void *b)
{
    const struct h7_elf_section *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Largest first; equal sizes by name so the output is stable. */
static int by_size(const void *a, const void *b)
{
    const struct h7_elf_symbol *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The load address of a section: from the PT_LOAD segment whose file image holds it. */
static uint32_t section_lma(Elf *e, size_t phnum, const GElf_Shdr *sh)
{
    if (sh->sh_type == SHT_NOBITS)
        return (uint32_t)sh->sh_addr;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
            continue;
        if (sh->sh_offset >= ph.p_offset && sh->sh_offset + sh->sh_size <= ph.p_offset + ph.p_filesz &&
            sh->sh_addr >= ph.p_vaddr && sh->sh_addr + sh->sh_size <= ph.p_vaddr + ph.p_memsz)
            return (uint32_t)(ph.p_paddr + (sh->sh_addr - ph.p_vaddr));
    }
    return (uint32_t)sh->sh_addr;
}

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "%s: %s", path, what);
    return -1;
}

int h7_elf_load(const char *path, struct h7_elf *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, path, "libelf is unusable");
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(err, errlen, path, strerror(errno));
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    int rc = -1;
    size_t shnum = 0, phnum = 0, shstrndx = 0;
    if (!e || elf_kind(e) != ELF_K_ELF) {
        fail(err, errlen, path, "not an ELF file");
        goto out;
    }
    GElf_Ehdr eh;
    if (!gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS32 ||
        eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        fail(err, errlen, path, "not a 32-bit little-endian ELF file (an Arm Cortex-M program?)");
        goto out;
    }
    if (eh.e_machine != EM_ARM) {
        char what[96];
        snprintf(what, sizeof what, "built for machine %u, not Arm (EM_ARM = %u)",
                 (unsigned)eh.e_machine, (unsigned)EM_ARM);
        fail(err, errlen, path, what);
        goto out;
    }
    if (elf_getshdrnum(e, &shnum) || elf_getphdrnum(e, &phnum) ||
        elf_getshdrstrndx(e, &shstrndx)) {
        fail(err, errlen, path, elf_errmsg(-1));
        goto out;
    }
    /* A file cut short (a copy that stopped, a download that failed) still has a readable ELF
     * header; say so instead of reading what is left. */
    struct stat st;
    if (fstat(fd, &st) == 0) {
        uint64_t size = (uint64_t)st.st_size;
        /* (libelf counts no sections when their table lies past the end: use the header's) */
        size_t n_sh = shnum ? shnum : eh.e_shnum;
        uint64_t sh_end = eh.e_shoff + (uint64_t)n_sh * eh.e_shentsize;
        uint64_t ph_end = eh.e_phoff + (uint64_t)phnum * eh.e_phentsize;
        if (sh_end > size || ph_end > size) {
            char what[160];
            snprintf(what, sizeof what, "truncated: its %s headers end at byte %llu, the file "
                     "has %llu bytes", sh_end > size ? "section" : "program",
                     (unsigned long long)(sh_end > size ? sh_end : ph_end),
                     (unsigned long long)size);
            fail(err, errlen, path, what);
            goto out;
        }
        for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
            GElf_Shdr sh;
            if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
                sh.sh_offset + sh.sh_size > size) {
                char what[160];
                snprintf(what, sizeof what, "truncated: section %u ends at byte %llu, the file "
                         "has %llu bytes", (unsigned)elf_ndxscn(scn),
                         (unsigned long long)(sh.sh_offset + sh.sh_size),
                         (unsigned long long)size);
                fail(err, errlen, path, what);
                goto out;
            }
        }
    }
    out->entry = (uint32_t)eh.e_entry;
    out->sections = calloc(shnum ? shnum : 1, sizeof *out->sections);
    if (!out->sections) {
        fail(err, errlen, path, "out of memory");
        goto out;
    }
    Elf_Scn *symtab = NULL;
    for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh)) {
            fail(err, errlen, path, elf_errmsg(-1));
            goto out;
        }
        if (sh.sh_type == SHT_SYMTAB)
            symtab = scn;
        if (!(sh.sh_flags & SHF_ALLOC))
            continue;
        struct h7_elf_section *s = &out->sections[out->n_sections++];
        copy_name(s->name, elf_strptr(e, shstrndx, sh.sh_name));
        s->addr = (uint32_t)sh.sh_addr;
        s->size = (uint32_t)sh.sh_size;
        s->nobits = sh.sh_type == SHT_NOBITS;
        s->exec = (sh.sh_flags & SHF_EXECINSTR) != 0;
        s->write = (sh.sh_flags & SHF_WRITE) != 0;
        s->index = (unsigned)elf_ndxscn(scn);
        s->lma = section_lma(e, phnum, &sh);
    }
    qsort(out->sections, out->n_sections, sizeof *out->sections, by_addr);

    if (symtab) {
        GElf_Shdr sh;
        gelf_getshdr(symtab, &sh);
        Elf_Data *d = elf_getdata(symtab, NULL);
        size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        out->symbols = calloc(n ? n : 1, sizeof *out->symbols);
        out->marks = calloc(n ? n : 1, sizeof *out->marks);
        if (!d || !out->symbols || !out->marks) {
            fail(err, errlen, path, "cannot read the symbol table");
            goto out;
        }
        const char *file = "";
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(d, (int)i, &sym))
                continue;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            int type = GELF_ST_TYPE(sym.st_info);
            if (type == STT_FILE) {
                file = name ? name : "";
                continue;
            }
            if (!sym.st_size && GELF_ST_BIND(sym.st_info) == STB_GLOBAL && name &&
                sym.st_shndx != SHN_UNDEF) {
                struct h7_elf_mark *m = &out->marks[out->n_marks++];
                copy_name(m->name, name);
                m->addr = (uint32_t)sym.st_value;
                continue;
            }
            if ((type != STT_OBJECT && type != STT_FUNC) || !sym.st_size ||
                sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
                continue;
            struct h7_elf_symbol *y = &out->symbols[out->n_symbols++];
            snprintf(y->name, sizeof y->name, "%s", name ? name : "");
            /* Globals follow every file's locals: their file is unknown. */
            copy_name(y->file, GELF_ST_BIND(sym.st_info) == STB_LOCAL ? file : "");
            y->addr = (uint32_t)sym.st_value & (type == STT_FUNC ? ~1u : ~0u);
            y->size = (uint32_t)sym.st_size;
            y->func = type == STT_FUNC;
            y->shndx = sym.st_shndx;
        }
        qsort(out->symbols, out->n_symbols, sizeof *out->symbols, by_size);
    }
    rc = 0;
out:
    if (e)
        elf_end(e);
    close(fd);
    if (rc)
        h7_elf_free(out);
    return rc;
}

void h7_elf_free(struct h7_elf *elf)
{
    free(elf->sections);
    free(elf->symbols);
    free(elf->marks);
    memset(elf, 0, sizeof *elf);
}

const struct h7_elf_section *h7_elf_section_by_index(const struct h7_elf *elf, unsigned index)
{
    for (size_t i = 0; i < elf->n_sections; i++)
        if (elf->sections[i].index == index)
            return &elf->sections[i];
    return NULL;
}

const struct h7_elf_section *h7_elf_section_by_name(const struct h7_elf *elf, const char *name)
{
    for (size_t i = 0; i < elf->n_sections; i++)
        if (!strcmp(elf->sections[i].name, name))
            return &elf->sections[i];
    return NULL;
}

bool h7_elf_symbol_addr(const struct h7_elf *elf, const char *name, uint32_t *addr)
{
    for (size_t i = 0; i < elf->n_symbols; i++)
        if (!strcmp(elf->symbols[i].name, name)) {
            *addr = elf->symbols[i].addr;
            return true;
        }
    for (size_t i = 0; i < elf->n_marks; i++)
        if (!strcmp(elf->marks[i].name, name)) {
            *addr = elf->marks[i].addr;
            return true;
        }
    return false;
}
