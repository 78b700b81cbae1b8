#include "semihost.h"

#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

_Noreturn void semihost_exit(uint32_t status)
{
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, status};
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;)
        ;
}

int semihost_cmdline(char *buf, uint32_t len)
{
    uint32_t block[2] = {(uint32_t)(uintptr_t)buf, len};
    if (!len)
        return -1;
    buf[0] = 0;
    return semihost_call(SYS_GET_CMDLINE, block) == 0 ? 0 : -1;
}

int semihost_has_arg(const char *word)
{
    static char line[256];
    if (semihost_cmdline(line, sizeof line))
        return 0;
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        const char *w = word;
        const char *q = p;
        while (*w && *q == *w)
            q++, w++;
        if (!*w && (*q == ' ' || !*q))
            return 1;
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}
