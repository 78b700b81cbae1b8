/*
 * h7_startup.c — walk the copy and zero tables of a generated linker script (h7_runtime.h).
 */
#include "h7_runtime.h"

extern const struct h7_copy_entry __h7_copy_table_start[], __h7_copy_table_end[];
extern const struct h7_zero_entry __h7_zero_table_start[], __h7_zero_table_end[];
extern void (*const __preinit_array_start[])(void), (*const __preinit_array_end[])(void);
extern void (*const __init_array_start[])(void), (*const __init_array_end[])(void);

/* The loops must not become memcpy/memset calls: the C library's own data may not be set up
 * yet, and the program may not link one at all. */
#define H7_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

H7_NO_LIBCALLS uint32_t h7_runtime_init_memory(void)
{
    uint32_t entries = 0;
    if (h7_memory_init)
        h7_memory_init();
    for (const struct h7_copy_entry *e = __h7_copy_table_start; e < __h7_copy_table_end; e++) {
        entries++;
        if (e->src == e->dst)
            continue; /* already in place (loaded there) */
        const uint32_t *s = e->src;
        uint32_t *d = e->dst;
        for (uint32_t n = e->bytes / 4; n; n--)
            *d++ = *s++;
    }
    for (const struct h7_zero_entry *e = __h7_zero_table_start; e < __h7_zero_table_end; e++) {
        entries++;
        uint32_t *d = e->dst;
        for (uint32_t n = e->bytes / 4; n; n--)
            *d++ = 0;
    }
    return entries;
}

void h7_runtime_constructors(void)
{
    for (void (*const *f)(void) = __preinit_array_start; f < __preinit_array_end; f++)
        (*f)();
    for (void (*const *f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

int h7_runtime_start(int (*main_fn)(void))
{
    h7_runtime_init_memory();
    h7_runtime_constructors();
    return main_fn();
}
