/*
 * CMSDK APB UART (Arm CoreLink SDK; QEMU hw/char/cmsdk-apb-uart.c): DATA at +0x00, STATE at +0x04
 * (bit 0: TX buffer full), CTRL at +0x08 (bit 0: TX enable), BAUDDIV at +0x10. The base address
 * comes from the board description (periph UART0).
 */
#include "uart.h"

#include "board_map.h"

#define UART_DATA (*(volatile uint32_t *)(H7_PERIPH_UART0_ORIGIN + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(H7_PERIPH_UART0_ORIGIN + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(H7_PERIPH_UART0_ORIGIN + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(H7_PERIPH_UART0_ORIGIN + 0x10u))
#define UART_STATE_TX_FULL 1u
#define UART_CTRL_TX_EN 1u

void uart_init(void)
{
    UART_BAUDDIV = 16; /* the minimum legal divider; QEMU does not model the baud rate */
    UART_CTRL = UART_CTRL_TX_EN;
}

void uart_putc(char c)
{
    while (UART_STATE & UART_STATE_TX_FULL)
        ;
    UART_DATA = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_put_hex32(uint32_t v)
{
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc("0123456789abcdef"[(v >> shift) & 0xFu]);
}

void uart_put_dec(uint32_t v)
{
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}
