# Forum situation: 157 KB of .bss (delay_line, 160,768 bytes) on top of the usual data overflows
# the 128 KB DTCM where libDaisy's BOOT_SRAM script puts all of .bss. One rule spills what does
# not fit into AXI SRAM.
gen_link spill "preset daisy-boot-sram
place section .bss .bss.* COMMON -> DTCM, AXI_SRAM" -DBIG_BSS
expect_in spill.elf delay_line AXI_SRAM
expect_in spill.elf counter DTCM
check_clean spill.elf
# Without a spill list the same program does not link: ld reports DTCM overflowed.
printf 'preset daisy-boot-sram\nplace section .bss .bss.* COMMON -> DTCM\n' >nospill.place
"$H7BOOT" ld nospill.place --board "$BOARD" -o nospill.ld
if $CC $CFLAGS -Tnospill.ld "$SRC/fixtures/app.c" -DBIG_BSS -o nospill.elf 2>nospill.err; then
    fail "157 KB of .bss linked into DTCM alone"
fi
grep -q "region .DTCM' overflowed" nospill.err || { cat nospill.err; fail "no DTCM overflow message"; }
echo "without spill: $(grep -o "region .DTCM' overflowed by [0-9]* bytes" nospill.err)"
