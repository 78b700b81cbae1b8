/*
 * Loading: initialise RAM that needs it, then copy and zero every segment.
 *
 * Order matters: a region with init != H7_INIT_NONE (SDRAM) is initialised before the first
 * byte is written to it — on the STM32H750 a write to an uninitialised FMC bank faults, and
 * SDRAM content after the device init is undefined, so zero segments there must be written
 * after it, never before.
 */
#include <string.h>

#include "boot_internal.h"
#include "h7_image.h"

static enum h7_boot_reason init_region(const struct h7_boot_port *p, const struct h7_region *r,
                                       uint32_t *done)
{
    uint32_t bit = 1u << (uint32_t)(r - p->board->regions);
    if (r->init == H7_INIT_NONE || (*done & bit))
        return H7_BOOT_OK;
    if (p->ram_init(p->ctx, r) != 0)
        return H7_BOOT_ERR_RAM_INIT;
    *done |= bit;
    h7_boot_emit(p, H7_EV_RAM_INIT, r->origin, r->length, r->init, r->name);
    return H7_BOOT_OK;
}

enum h7_boot_reason h7_boot_load(const struct h7_boot_port *p, struct h7_boot_plan *plan)
{
    uint32_t initialised = 0;
    for (uint32_t i = 0; i < plan->n_segments; i++) {
        const struct h7_boot_segment *s = &plan->seg[i];
        const struct h7_region *r = h7_board_region_at(p->board, s->dst, s->size);
        if (!r) /* h7_boot_check_plan ran first; kept so a misuse cannot write anywhere */
            return H7_BOOT_ERR_SEG_OUTSIDE;
        if (s->kind != H7_SEG_XIP) {
            enum h7_boot_reason e = init_region(p, r, &initialised);
            if (e) {
                plan->bad_addr = r->origin;
                plan->bad_index = (int32_t)i;
                return e;
            }
        }
        void *dst = s->kind == H7_SEG_XIP ? 0 : h7_boot_map(p, s->dst, s->size);
        if (s->kind != H7_SEG_XIP && !dst)
            return H7_BOOT_ERR_SEG_OUTSIDE;
        if (s->kind == H7_SEG_COPY && s->size) {
            if (!h7_boot_slot_read(p, s->src_off, dst, s->size)) {
                plan->bad_addr = s->dst;
                plan->bad_index = (int32_t)i;
                return H7_BOOT_ERR_SLOT_READ;
            }
        } else if (s->kind == H7_SEG_ZERO) {
            memset(dst, 0, s->size);
        }
        h7_boot_emit(p, H7_EV_SEGMENT, s->dst, s->size, s->kind, r->name);
    }
    return H7_BOOT_OK;
}

enum h7_boot_reason h7_boot_reverify(const struct h7_boot_port *p, struct h7_boot_plan *plan)
{
    /* Raw images carry no hash: nothing to compare with. */
    return plan->format ? h7_boot_image_reverify(p, plan) : H7_BOOT_OK;
}
