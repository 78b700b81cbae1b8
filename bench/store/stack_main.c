/* stack_main.c — a Cortex-M7 program that calls every function of the store's API, linked with
 * LTO only so that tools/stack_bound.py can bound the store's deepest stack the way it bounds
 * the bootloader's (tests/store/CMakeLists.txt: test store_stack_bound). The flash is a RAM
 * array behind the project's flash interface; its callbacks are the only address-taken functions
 * besides the iterate callback, so every indirect call the store makes is charged the deepest of
 * them. Never run: only linked and measured. */
#include <stdint.h>
#include <string.h>

#include "h7_settings.h"
#include "h7_store.h"

#define SIZE (64u << 10)
static uint8_t mem[SIZE];

static int ram_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    memcpy(buf, mem + off, len);
    return 0;
}

static int ram_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    const uint8_t *p = buf;
    (void)ctx;
    for (uint32_t i = 0; i < len; i++)
        mem[off + i] &= p[i];
    return 0;
}

static int ram_erase(void *ctx, uint32_t off, uint32_t size)
{
    (void)ctx;
    memset(mem + off, 0xFF, size);
    return 0;
}

static const struct h7_flash_ops ops = {.read = ram_read, .program = ram_program,
                                        .erase = ram_erase};
static const struct h7_flash flash = {.ops = &ops, .size = SIZE, .erase_size = 4096,
                                      .program_size = 256};
static struct h7_store_entry index_[32];
static struct h7_store st;
static volatile uint32_t sink;

static int count(void *ctx, uint32_t key, uint32_t len)
{
    (void)ctx;
    sink += key + len;
    return 0;
}

/* One small function per API call, each a root of the measurement (tests/store/CMakeLists.txt):
 * the bound is the deepest stack from the call of an API function on, the caller's own frame
 * (a few bytes here) included. Arguments come from statics so the store's code is not folded
 * into constants of this file. */
static struct h7_store_config cfg = {&flash, 0, SIZE, 4096, index_, 32};
static struct h7_store_stat stat;
static uint8_t buf[32], cur[16];
static const uint8_t defaults[16];
static uint32_t len;
static struct h7_settings set = {.store = &st, .key = 1, .version = 1, .size = sizeof cur,
                                 .data = cur, .defaults = defaults};
#define ROOT __attribute__((noinline, used)) void
ROOT call_mount(void) { sink = (uint32_t)h7_store_mount(&st, &cfg); }
ROOT call_format(void) { sink = (uint32_t)h7_store_format(&st, &cfg); }
ROOT call_set(void) { sink = (uint32_t)h7_store_set(&st, sink, buf, sizeof buf); }
ROOT call_set2(void) { sink = (uint32_t)h7_store_set2(&st, sink, buf, 2, buf, sizeof buf); }
ROOT call_get(void) { sink = (uint32_t)h7_store_get(&st, sink, buf, sizeof buf, &len); }
ROOT call_read(void) { sink = (uint32_t)h7_store_read(&st, sink, 2, buf, sizeof buf, &len); }
ROOT call_delete(void) { sink = (uint32_t)h7_store_delete(&st, sink); }
ROOT call_iterate(void) { sink = (uint32_t)h7_store_iterate(&st, count, NULL); }
ROOT call_gc(void) { sink = (uint32_t)(h7_store_gc_needed(&st) + h7_store_gc_step(&st)); }
ROOT call_stat(void) { h7_store_stat(&st, &stat); }
ROOT call_settings_load(void) { sink = (uint32_t)h7_settings_load(&set); }
ROOT call_settings_save(void) { sink = (uint32_t)h7_settings_save(&set); }

int main(void)
{
    call_mount();
    call_format();
    call_set();
    call_set2();
    call_get();
    call_read();
    call_delete();
    call_iterate();
    call_gc();
    call_stat();
    call_settings_load();
    call_settings_save();
    return 0;
}
