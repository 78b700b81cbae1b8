/*
 * Decide: boot now, or stay in the bootloader. See h7_boot.h for the rules.
 */
#include "h7_boot.h"
#include "h7_boot_app.h"

uint32_t h7_boot_attempts(const volatile struct h7_boot_info *info)
{
    /* Without the tag the word is left over from a cold start (random) or from another
     * bootloader: no attempts counted yet. */
    return h7_boot_unconfirmed_attempts(info);
}

void h7_boot_count_attempt(volatile struct h7_boot_info *info)
{
    uint32_t n = h7_boot_attempts(info);
    if (n < H7_BOOT_COUNT_MASK)
        n++;
    info->data = H7_BOOT_COUNT_TAG | n;
}

enum h7_boot_reason h7_boot_decide(const struct h7_boot_port *p, const struct h7_boot_config *c)
{
    volatile struct h7_boot_info *info = p->info;

    /* The request word is consumed by this reset, whatever it said, as the Daisy bootloader
     * does: a request applies to one reset only. */
    uint32_t request = info->status;
    info->status = H7_BOOT_REQ_NONE;
    info->version = H7_BOOT_INFO_VERSION;

    if (p->button_held(p->ctx))
        return H7_BOOT_STAY_BUTTON;
    if (request == H7_BOOT_REQ_STAY)
        return H7_BOOT_STAY_REQUEST;
    /* Not cleared here: a new image (DFU) or the app's confirm clears it, so repeated resets
     * of a crashing app keep landing in recovery. */
    if (c->max_unconfirmed && h7_boot_attempts(info) >= c->max_unconfirmed)
        return H7_BOOT_STAY_UNCONFIRMED;
    /* JUMP is what the Daisy bootloader leaves for itself before its own reset: the app is to
     * start at once. h7boot never jumps to the address in `data`; it boots the verified slot. */
    bool skip_window = request == H7_BOOT_REQ_SKIP_WINDOW || request == H7_BOOT_REQ_JUMP;
    if (c->window_ms && p->window && !skip_window && p->window(p->ctx, c->window_ms))
        return H7_BOOT_STAY_WINDOW;
    return H7_BOOT_OK;
}
