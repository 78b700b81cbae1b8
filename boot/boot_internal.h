/*
 * Helpers shared by the core's files (not part of the API).
 */
#ifndef H7_BOOT_INTERNAL_H
#define H7_BOOT_INTERNAL_H

#include "h7_boot.h"

/* Read len bytes at byte offset off of the slot (through the map or port->slot_read).
 * Returns false when the range is outside the slot or the read failed. */
bool h7_boot_slot_read(const struct h7_boot_port *p, uint32_t off, void *buf, uint32_t len);

/* Little-endian 32-bit word at offset off of the slot; false as above. */
bool h7_boot_slot_word(const struct h7_boot_port *p, uint32_t off, uint32_t *out);

/* A pointer to target addresses [addr, addr+len) (port->map, identity when NULL). */
void *h7_boot_map(const struct h7_boot_port *p, uint32_t addr, uint32_t len);

/* Report an event. */
void h7_boot_emit(const struct h7_boot_port *p, enum h7_boot_event_kind kind, uint32_t a,
                  uint32_t b, uint32_t c, const char *name);

/* Image format part of h7_boot_find (image.c): where the slot's header is
 * (h7_image_locate: H7_IMAGE_FOUND_*, *at its offset), and the plan from the header at `at`. */
int h7_boot_locate(const struct h7_boot_port *p, uint32_t *at);
enum h7_boot_reason h7_boot_image_plan(const struct h7_boot_port *p, uint32_t at,
                                       struct h7_boot_plan *plan);
enum h7_boot_reason h7_boot_image_reverify(const struct h7_boot_port *p, struct h7_boot_plan *plan);

#endif
