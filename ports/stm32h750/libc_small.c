/*
 * Small memcpy/memset for the bootloader. newlib-nano's versions are tuned for speed (about
 * 470 bytes together); these are a few dozen bytes, and the bootloader's copies are bounded by
 * QSPI read speed anyway. Word loops when both pointers are word aligned.
 * Built with -fno-tree-loop-distribute-patterns so the loops do not become calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}
