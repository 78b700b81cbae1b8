/* stack_memmove.c — memmove for the store's stack measurement link (stack_main.c): the store's
 * index insertion calls it; ports/stm32h750/libc_small.c has the other mem functions. Built
 * without LTO and with -fstack-usage, like libc_small.c for the bootloader. */
#include <stddef.h>
#include <stdint.h>

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}
