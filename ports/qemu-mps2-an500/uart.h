/* CMSDK APB UART0 of the MPS2 AN500 board (QEMU): polled transmit for status output. */
#ifndef H7_QEMU_UART_H
#define H7_QEMU_UART_H

#include <stdint.h>

void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
/* "0x" and 8 hex digits. */
void uart_put_hex32(uint32_t v);
/* Unsigned decimal. */
void uart_put_dec(uint32_t v);

#endif
