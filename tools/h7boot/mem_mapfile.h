/*
 * mem_mapfile.h — which object file each input section came from, read from a GNU ld map file
 * (-Wl,-Map=app.map; h7_firmware_executable writes one next to every ELF).
 *
 * The ELF file itself only names the source file of static symbols (STT_FILE); the map file
 * names the object (or archive member) of every input section, so `report` can say where each
 * of the largest symbols comes from.
 */
#ifndef H7_MEM_MAPFILE_H
#define H7_MEM_MAPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "elf_sections.h"

/* Fill in the `file` of every symbol of `elf` that has none, from the input section of map
 * file `path` that holds the symbol's address. Returns the number of symbols filled in, or -1
 * with a message in err when the file cannot be read or is not an ld map file. */
int h7_mapfile_annotate(const char *path, struct h7_elf *elf, char *err, size_t errlen);

/* Set `script_order` of every section of `elf` from the order of the output sections in map
 * file `path` (ld's script order; the section header order is not). Returns the number of
 * sections ordered, or -1 with a message in err. */
int h7_mapfile_section_order(const char *path, struct h7_elf *elf, char *err, size_t errlen);

#endif
