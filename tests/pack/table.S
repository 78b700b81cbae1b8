/* A 291,636-byte constant table (72,909 words of a Weyl sequence), as in the forum report of a
 * const array placed in QSPI. */
    .section .qspi_rodata, "a"
    .global big_table
    .balign 4
big_table:
    .set i, 0
    .rept 72909
    .word (i * 0x9E3779B1 + 0x01234567) & 0xFFFFFFFF
    .set i, i + 1
    .endr
