/*
 * vd_daisy.c — the Daisy Seed board: the machine plus its external parts (IS25LP064A on the
 * QUADSPI, the SDRAM on the FMC), and ELF loading for apps run without the bootloader.
 * The storage models come from their own files (vd_quadspi.c, vd_is25lp064a.c,
 * vd_fmc_sdram.c); a build without them (VD_HAVE_STORAGE_MODELS unset) stops at the first
 * QUADSPI/FMC access as unmodelled.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vd_daisy.h"
#include "vd_hash.h"
#include "vd_internal.h"
#include "vd_usb.h"
#ifdef VD_HAVE_STORAGE_MODELS
#include "vd_fmc_sdram.h"
#include "vd_is25lp064a.h"
#include "vd_quadspi.h"
#endif

struct vd_daisy {
    struct vd_machine *m;
    struct vd_hash hash; /* the STM32H750 HASH unit (vd_hash.c; hash.absent=1: a lot without) */
#ifdef VD_HAVE_STORAGE_MODELS
    struct vd_is25lp064a *nor;
    struct vd_periph *qspi, *fmc;
#endif
};

struct vd_daisy *vd_daisy_new(struct vd_machine *m, const char *nor_file)
{
    struct vd_daisy *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->m = m;
    vd_usb_new(m);
    vd_hash_init(&d->hash, m);
#ifdef VD_HAVE_STORAGE_MODELS
    d->nor = vd_is25lp064a_create(nor_file);
    if (!d->nor) {
        vd_daisy_free(d);
        return NULL;
    }
    d->qspi = vd_quadspi_create(m, d->nor);
    d->fmc = vd_fmc_sdram_create(m);
    if (!d->qspi || !d->fmc) {
        vd_daisy_free(d);
        return NULL;
    }
    /* The storage models' constructors leave registering to the board (vd_quadspi.h). */
    vd_add_periph(m, d->qspi);
    vd_add_periph(m, d->fmc);
#else
    if (nor_file)
        fprintf(stderr, "vdaisy: built without the storage models: --nor %s not used\n",
                nor_file);
#endif
    return d;
}

void vd_daisy_free(struct vd_daisy *d)
{
    if (!d)
        return;
    vd_hash_free(&d->hash);
#ifdef VD_HAVE_STORAGE_MODELS
    if (d->qspi)
        vd_quadspi_free(d->qspi);
    if (d->fmc)
        vd_fmc_sdram_free(d->fmc);
    if (d->nor)
        vd_is25lp064a_free(d->nor);
#endif
    free(d);
}

uint8_t *vd_daisy_nor(struct vd_daisy *d)
{
#ifdef VD_HAVE_STORAGE_MODELS
    return vd_is25lp064a_array(d->nor);
#else
    (void)d;
    return NULL;
#endif
}

uint8_t *vd_daisy_sdram(struct vd_daisy *d)
{
#ifdef VD_HAVE_STORAGE_MODELS
    return vd_fmc_sdram_array(d->fmc);
#else
    (void)d;
    return NULL;
#endif
}

int vd_daisy_peek(struct vd_daisy *d, uint32_t addr, void *buf, uint32_t len)
{
    if (vd_peek(d->m, addr, buf, len) == 0)
        return 0;
    /* The external memories read through their arrays even while their window is closed. */
    uint8_t *nor = vd_daisy_nor(d), *sdram = vd_daisy_sdram(d);
    const uint32_t nor_size = 8u * 1024u * 1024u, sdram_size = 64u * 1024u * 1024u;
    if (nor && addr - VD_QSPI_WINDOW < nor_size && len <= nor_size - (addr - VD_QSPI_WINDOW)) {
        memcpy(buf, nor + (addr - VD_QSPI_WINDOW), len);
        return 0;
    }
    if (sdram && addr - VD_SDRAM_WINDOW < sdram_size &&
        len <= sdram_size - (addr - VD_SDRAM_WINDOW)) {
        memcpy(buf, sdram + (addr - VD_SDRAM_WINDOW), len);
        return 0;
    }
    return -1;
}

static Elf *elf_open_file(const char *path, int *fd)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return NULL;
    *fd = open(path, O_RDONLY);
    if (*fd < 0) {
        perror(path);
        return NULL;
    }
    Elf *e = elf_begin(*fd, ELF_C_READ, NULL);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        fprintf(stderr, "vdaisy: %s: not an ELF file\n", path);
        if (e)
            elf_end(e);
        close(*fd);
        return NULL;
    }
    return e;
}

int vd_load_elf(struct vd_machine *m, const char *path, uint32_t *entry)
{
    int fd, rc = 0;
    Elf *e = elf_open_file(path, &fd);
    if (!e)
        return -1;
    size_t n;
    GElf_Ehdr eh;
    if (elf_getphdrnum(e, &n) != 0 || !gelf_getehdr(e, &eh)) {
        elf_end(e);
        close(fd);
        return -1;
    }
    if (entry)
        *entry = (uint32_t)eh.e_entry;
    size_t file_size = 0;
    char *image = elf_rawfile(e, &file_size);
    for (size_t i = 0; i < n && rc == 0; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || ph.p_filesz == 0)
            continue;
        if (ph.p_offset + ph.p_filesz > file_size ||
            vd_poke(m, (uint32_t)ph.p_paddr, image + ph.p_offset, (uint32_t)ph.p_filesz)) {
            fprintf(stderr, "vdaisy: %s: segment at 0x%08llx does not fit the memory map\n",
                    path, (unsigned long long)ph.p_paddr);
            rc = -1;
        }
    }
    elf_end(e);
    close(fd);
    return rc;
}

int vd_elf_symbol(const char *path, const char *name, uint32_t *value)
{
    int fd, rc = -1;
    Elf *e = elf_open_file(path, &fd);
    if (!e)
        return -1;
    Elf_Scn *scn = NULL;
    while (rc && (scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; data && i < count; i++) {
            GElf_Sym s;
            const char *sn;
            if (gelf_getsym(data, (int)i, &s) && (sn = elf_strptr(e, sh.sh_link, s.st_name)) &&
                strcmp(sn, name) == 0) {
                *value = (uint32_t)s.st_value;
                if (GELF_ST_TYPE(s.st_info) == STT_FUNC)
                    *value &= ~1u; /* the Thumb bit is not part of the address */
                rc = 0;
                break;
            }
        }
    }
    elf_end(e);
    close(fd);
    return rc;
}
