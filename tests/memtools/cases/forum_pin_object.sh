# Forum situation: all .bss goes to AXI SRAM, except one object's (reverb.o), pinned into DTCM
# for speed. The object rule comes first, so it wins the match.
$CC $CFLAGS -c "$SRC/fixtures/reverb.c" -o reverb.o
gen_link pin "preset ram-load
place object reverb.o bss -> DTCM
place section .bss .bss.* COMMON -> AXI_SRAM" -DBIG_BSS reverb.o
expect_in pin.elf reverb_state DTCM
expect_in pin.elf delay_line AXI_SRAM
expect_in pin.elf scratch AXI_SRAM
check_clean pin.elf --loader h7boot
# the report names the object file of each large symbol (from pin.map beside pin.elf)
"$H7BOOT" report pin.elf --board "$BOARD" >pin.txt
grep -Eq '^ +reverb_state +0x[0-9a-f]+ +8192 +object +reverb\.o$' pin.txt ||
    { cat pin.txt; fail "report does not say reverb_state comes from reverb.o"; }
