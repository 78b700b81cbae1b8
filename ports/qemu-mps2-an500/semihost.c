#include "semihost.h"

#define SYS_OPEN 0x01u
#define SYS_CLOSE 0x02u
#define SYS_WRITE 0x05u
#define SYS_GET_CMDLINE 0x15u
#define OPEN_MODE_WB 5u /* "wb" in the semihosting mode table */
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

static uint32_t length(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

int semihost_save(const char *path, const void *buf, uint32_t len)
{
    uint32_t open[3] = {(uint32_t)(uintptr_t)path, OPEN_MODE_WB, length(path)};
    uint32_t h = semihost_call(SYS_OPEN, open);
    if (h == 0xFFFFFFFFu)
        return -1;
    uint32_t write[3] = {h, (uint32_t)(uintptr_t)buf, len};
    uint32_t left = semihost_call(SYS_WRITE, write); /* bytes NOT written */
    uint32_t close[1] = {h};
    semihost_call(SYS_CLOSE, close);
    return left == 0 ? 0 : -1;
}

/* In the command line: the word `name` alone (value NULL) or `name=...` (value set to what
 * follows '='). Returns 1 when found. */
static int find_arg(const char *name, const char **value)
{
    static char line[256];
    uint32_t n = length(name);
    if (semihost_cmdline(line, sizeof line))
        return 0;
    for (const char *p = line; *p;) {
        while (*p == ' ')
            p++;
        uint32_t i = 0;
        while (i < n && p[i] == name[i])
            i++;
        if (i == n && !value && (p[n] == ' ' || !p[n]))
            return 1;
        if (i == n && value && p[n] == '=') {
            *value = p + n + 1;
            return 1;
        }
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

int semihost_has_arg(const char *word)
{
    return find_arg(word, 0);
}

int semihost_arg_value(const char *name, char *buf, uint32_t len)
{
    const char *v;
    if (!len || !find_arg(name, &v))
        return -1;
    uint32_t k = 0;
    while (v[k] && v[k] != ' ' && k + 1 < len) {
        buf[k] = v[k];
        k++;
    }
    buf[k] = 0;
    return 0;
}
