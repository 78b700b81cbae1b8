/*
 * QEMU smoke test: proves the cross toolchain, the board's generated memory map, the startup
 * code (.data copied, .bss zeroed), the UART and the semihosting exit status all work.
 */
#include <stdint.h>

#include "uart.h"

static volatile uint32_t initialised = 0x5EED1234u;
static volatile uint32_t zeroed[16];

int main(void)
{
    uart_puts("h7boot smoke: hello from the Cortex-M7\r\n");
    if (initialised != 0x5EED1234u) {
        uart_puts("smoke: .data was not copied\r\n");
        return 1;
    }
    for (int i = 0; i < 16; i++) {
        if (zeroed[i]) {
            uart_puts("smoke: .bss was not zeroed\r\n");
            return 1;
        }
    }
    /* A double-precision FPU operation: fails (UsageFault) if CPACR was not set up. */
    volatile double x = 1.5;
    x = x * 3.0;
    if (x != 4.5)
        return 1;
    uart_puts("smoke: data ");
    uart_put_hex32((uint32_t)(uintptr_t)&initialised);
    uart_puts(" ok, exiting with 42\r\n");
    return 42;
}
