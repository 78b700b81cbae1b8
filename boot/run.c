/*
 * The whole boot sequence (h7_boot.h, top comment).
 */
#include "boot_internal.h"

static void phase(const struct h7_boot_port *p, enum h7_boot_phase ph)
{
    if (p->mark)
        p->mark(p->ctx, ph);
    h7_boot_emit(p, H7_EV_PHASE, ph, 0, 0, 0);
}

static _Noreturn void refuse(const struct h7_boot_port *p, enum h7_boot_reason r,
                             const struct h7_boot_plan *plan)
{
    h7_boot_emit(p, H7_EV_REFUSED, r, plan ? plan->bad_addr : 0,
                 plan ? (uint32_t)plan->bad_index : 0xFFFFFFFFu, h7_boot_reason_text(r));
    if (plan && plan->detail)
        h7_boot_emit(p, H7_EV_DETAIL, r, plan->bad_field, 0, plan->detail);
    p->recovery(p->ctx, r);
    for (;;) /* a port's recovery never returns; if one did, stay here rather than boot */
        ;
}

_Noreturn void h7_boot_run(const struct h7_boot_port *p, const struct h7_boot_config *c)
{
    static struct h7_boot_plan plan; /* static: keeps the bootloader's stack small */
    phase(p, H7_PHASE_RESET);
    enum h7_boot_reason r = h7_boot_decide(p, c);
    if (r)
        refuse(p, r, 0);
    phase(p, H7_PHASE_DECIDED);

    r = h7_boot_find(p, c, &plan);
    if (r)
        refuse(p, r, &plan);
    h7_boot_emit(p, H7_EV_IMAGE, plan.format, plan.image_size, plan.vtor,
                 plan.format ? "h7boot" : "raw");
    phase(p, H7_PHASE_VERIFIED);

    r = h7_boot_load(p, &plan);
    if (r)
        refuse(p, r, &plan);
    phase(p, H7_PHASE_LOADED);

    r = h7_boot_reverify(p, &plan);
    if (r)
        refuse(p, r, &plan);
    phase(p, H7_PHASE_REVERIFIED);

    /* Counted before the jump: an app that hangs or crashes before its confirm call has used
     * up one attempt. */
    if (c->max_unconfirmed)
        h7_boot_count_attempt(p->info);
    const volatile uint32_t *vt = h7_boot_map(p, plan.vtor, 8);
    h7_boot_emit(p, H7_EV_HANDOFF, plan.vtor, vt[0], vt[1], 0);
    p->jump(p->ctx, plan.vtor);
    for (;;)
        ;
}
