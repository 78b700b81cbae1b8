/* 4 KB of "factory calibration data" the app keeps in the QSPI user area (outside the app slot):
 * `h7boot pack` must carry it in the .dfu as an element of its own. */
    .section .user_data, "a"
    .global factory_data
    .balign 4
factory_data:
    .set i, 0
    .rept 1024
    .word 0xCA110000 + i
    .set i, i + 1
    .endr
