/*
 * svg_map.h — an SVG picture of an ELF file's memory map on a board.
 *
 * One row per region that holds something (or every region with all=true). Each row's bar is
 * as long as log2 of the region's size allows relative to the largest region, so a 4 KB region
 * is visibly smaller than 64 MB but still wide enough to read; inside a bar, sections are drawn
 * to scale (at least one pixel wide), coloured by kind (code, read-only data, data, zeroed
 * data; load images hatched), and a label gives used / size and the fill level.
 */
#ifndef H7_SVG_MAP_H
#define H7_SVG_MAP_H

#include <stdio.h>

#include "mem_usage.h"

void h7_svg_map_write(FILE *out, const char *title, const struct h7_mem_usage *u, bool all);

#endif
