/*
 * Reading the slot: through the memory-mapped view when the port has one (QSPI in memory-mapped
 * mode), else through port->slot_read. Mapping target addresses (identity on firmware).
 */
#include <string.h>

#include "boot_internal.h"

bool h7_boot_slot_read(const struct h7_boot_port *p, uint32_t off, void *buf, uint32_t len)
{
    if (off > p->slot->length || len > p->slot->length - off)
        return false;
    if (p->slot_map) {
        memcpy(buf, p->slot_map + off, len);
        return true;
    }
    return p->slot_read && p->slot_read(p->ctx, off, buf, len) == 0;
}

bool h7_boot_slot_word(const struct h7_boot_port *p, uint32_t off, uint32_t *out)
{
    uint8_t b[4];
    if (!h7_boot_slot_read(p, off, b, 4))
        return false;
    *out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

void *h7_boot_map(const struct h7_boot_port *p, uint32_t addr, uint32_t len)
{
    if (p->map)
        return p->map(p->ctx, addr, len);
    return (void *)(uintptr_t)addr;
}

void h7_boot_emit(const struct h7_boot_port *p, enum h7_boot_event_kind kind, uint32_t a,
                  uint32_t b, uint32_t c, const char *name)
{
    struct h7_boot_event ev = {.kind = kind, .a = a, .b = b, .c = c, .name = name};
    p->event(p->ctx, &ev);
}
