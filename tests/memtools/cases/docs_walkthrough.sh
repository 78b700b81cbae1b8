# The walk-through of docs/memory.md, step by step, so the page stays true: an app whose
# 291,636-byte table overflows FLASH and whose 157 KB of .bss overflows DTCM, reported, moved to
# a QSPI layout with a spill rule, checked, reported again and drawn.

# 1. internal-flash layout: the link fails; with --noinhibit-exec ld still writes the ELF
printf 'preset internal-flash\n' >flash.place
"$H7BOOT" ld flash.place --board "$BOARD" -o flash.ld
link before "$OUT/flash.ld" -DFLASH_TABLE -DBIG_BSS -DDMA_IN_TCM -Wl,--noinhibit-exec
grep -q "region .FLASH' overflowed" before.ld-err || fail "FLASH did not overflow"
report_matches_ld before
"$H7BOOT" report before.elf --board "$BOARD" --top 2 --svg before.svg >before.txt
rsvg-convert before.svg -o before.png
grep -q 'big_table  *0x08000078  *291636' before.txt || fail "report does not name big_table"
if "$H7BOOT" check before.elf --board "$BOARD" >before.check; then fail "check passed"; fi
grep -q '^H7-OVERFLOW error: region FLASH' before.check || fail "no FLASH overflow finding"

# 2. the QSPI layout with a spill rule links, and check is clean
gen_link after "# app.place: the program is stored in QSPI and runs in place (Daisy BOOT_QSPI)
preset daisy-boot-qspi
# what does not fit in DTCM goes to AXI SRAM
place section .bss .bss.* COMMON -> DTCM, AXI_SRAM" -DFLASH_TABLE -DBIG_BSS -DDMA_IN_TCM
expect_in after.elf big_table QSPI
expect_in after.elf delay_line AXI_SRAM
expect_in after.elf adc_dma SRAM1
check_clean after.elf
"$H7BOOT" report after.elf --board "$BOARD" --top 2 --svg after.svg >after.txt
rsvg-convert after.svg -o after.png
python3 "$SRC/png_check.py" after.png

# 3. the same app under a libDaisy-style BOOT_SRAM script: check finds its two classic bugs
link libdaisy "$SRC/fixtures/daisy_sram.ld" -DDMA_IN_TCM -DQSPI_BSS
if "$H7BOOT" check libdaisy.elf --board "$BOARD" >libdaisy.check; then fail "check passed"; fi
grep -q '^H7-DMA-TCM error' libdaisy.check || fail "no H7-DMA-TCM"
grep -q '^H7-QSPI-SLOT error' libdaisy.check || fail "no H7-QSPI-SLOT"
