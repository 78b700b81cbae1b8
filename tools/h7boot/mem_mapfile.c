/*
 * mem_mapfile.c — object files of input sections from a GNU ld map file (mem_mapfile.h).
 *
 * In the "Linker script and memory map" part of a map file, an input section is either
 *     " .bss.delay_line\n                0x24000000    0x27400 obj/dsp.o"
 * (a long name, address on the next line) or
 *     " .bss.scratch   0x240274a8      0x100 obj/dsp.o"
 * and symbol lines ("                0x24000000                delay_line") carry no size.
 * Lines before that part (discarded input sections, memory configuration) are skipped.
 */
#include "mem_mapfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct piece {
    uint32_t addr, size;
    char file[H7_ELF_NAME_MAX];
};

static bool hex(const char *s, uint32_t *v)
{
    char *end;
    if (strncmp(s, "0x", 2))
        return false;
    unsigned long long x = strtoull(s, &end, 16);
    if (*end || x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

/* The object's name without its folders: "dsp.o", "libdaisy.a(sdmmc.o)". */
static void base_name(char *dst, const char *path)
{
    const char *paren = strchr(path, '(');
    const char *slash = NULL;
    for (const char *p = path; *p && (!paren || p < paren); p++)
        if (*p == '/')
            slash = p;
    snprintf(dst, H7_ELF_NAME_MAX, "%s", slash ? slash + 1 : path);
}

int h7_mapfile_annotate(const char *path, struct h7_elf *elf, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = 0, cap = 256;
    struct piece *pieces = malloc(cap * sizeof *pieces);
    char line[1024];
    bool in_map = false, pending = false;
    while (pieces && fgets(line, sizeof line, f)) {
        if (!in_map) {
            in_map = !strncmp(line, "Linker script and memory map", 28);
            continue;
        }
        char *tok[5];
        int nt = 0;
        bool indented = line[0] == ' ';
        for (char *save = NULL, *t = strtok_r(line, " \t\r\n", &save); t && nt < 5;
             t = strtok_r(NULL, " \t\r\n", &save))
            tok[nt++] = t;
        uint32_t addr, size;
        const char *obj;
        bool name = nt >= 1 && (tok[0][0] == '.' || !strcmp(tok[0], "COMMON"));
        if (indented && name && nt != 4) {
            pending = nt == 1; /* a long name: address, size and file on the next line */
            continue;
        } else if (indented && name && nt == 4) {
            obj = tok[3];
            if (!hex(tok[1], &addr) || !hex(tok[2], &size))
                continue;
        } else if (pending && nt == 3 && hex(tok[0], &addr) && hex(tok[1], &size)) {
            obj = tok[2];
        } else {
            pending = false;
            continue;
        }
        pending = false;
        if (!size)
            continue;
        if (n == cap) {
            struct piece *np = realloc(pieces, (cap *= 2) * sizeof *pieces);
            if (!np) {
                free(pieces);
                pieces = NULL;
                break;
            }
            pieces = np;
        }
        pieces[n].addr = addr;
        pieces[n].size = size;
        base_name(pieces[n].file, obj);
        n++;
    }
    fclose(f);
    if (!pieces) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (!in_map) {
        free(pieces);
        snprintf(err, errlen, "%s: not a GNU ld map file (no 'Linker script and memory map')",
                 path);
        return -1;
    }
    int filled = 0;
    for (size_t i = 0; i < elf->n_symbols; i++) {
        struct h7_elf_symbol *y = &elf->symbols[i];
        if (y->file[0])
            continue;
        for (size_t k = 0; k < n; k++)
            if (y->addr >= pieces[k].addr && y->addr - pieces[k].addr < pieces[k].size) {
                memcpy(y->file, pieces[k].file, sizeof y->file);
                filled++;
                break;
            }
    }
    free(pieces);
    return filled;
}

int h7_mapfile_section_order(const char *path, struct h7_elf *elf, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024], pending[H7_ELF_NAME_MAX] = "";
    bool in_map = false;
    unsigned order = 0;
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (!in_map) {
            in_map = !strncmp(line, "Linker script and memory map", 28);
            continue;
        }
        /* An output section: at column 0, "NAME ADDR SIZE", or NAME alone with "ADDR SIZE"
         * on the next line (long names). Input sections and assignments are indented. */
        char name[H7_ELF_NAME_MAX] = "";
        if (line[0] == '.') {
            char *save = NULL, *t = strtok_r(line, " \t\r\n", &save);
            snprintf(name, sizeof name, "%s", t);
            if (!strtok_r(NULL, " \t\r\n", &save)) {
                memcpy(pending, name, sizeof pending); /* address on the next line */
                continue;
            }
        } else if (pending[0] && line[0] == ' ') {
            memcpy(name, pending, sizeof name);
        }
        pending[0] = '\0';
        if (!name[0])
            continue;
        order++;
        for (size_t i = 0; i < elf->n_sections; i++)
            if (!elf->sections[i].script_order && !strcmp(elf->sections[i].name, name)) {
                elf->sections[i].script_order = order;
                n++;
                break;
            }
    }
    fclose(f);
    if (!in_map) {
        snprintf(err, errlen, "%s: not a GNU ld map file (no 'Linker script and memory map')",
                 path);
        return -1;
    }
    return n;
}
