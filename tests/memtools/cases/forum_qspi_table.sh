# Forum situation: a 291,636-byte constant table does not fit any RAM. With an XIP layout it
# stays in QSPI, after the code, inside the application slot, and is read in place.
gen_link qspi "preset daisy-boot-qspi" -DQSPI_TABLE
expect_in qspi.elf big_table QSPI
size=$($NM -S qspi.elf | awk '$4 == "big_table" { print $2 }')
[ "$((0x$size))" -eq 291636 ] || fail "big_table is 0x$size bytes"
vec=$(sect_addr qspi.elf .isr_vector)
echo "vector table at 0x$vec, big_table at 0x$(sym_addr qspi.elf big_table)"
check_clean qspi.elf
# The same table in a RAM-loaded layout goes into the slot after the stored image (h7boot ld's
# default): an h7boot image carries it, the Daisy bootloader's raw image cannot, and h7boot
# check says so for that loader (H7-QSPI-SLOT); with --loader h7boot it is clean.
gen_link qspi_ram "preset daisy-boot-sram" -DQSPI_TABLE
if "$H7BOOT" check qspi_ram.elf --board "$BOARD" >qspi_ram.check; then
    fail "check accepted a QSPI table running into the slot"
fi
grep -q '^H7-QSPI-SLOT error' qspi_ram.check || fail "H7-QSPI-SLOT did not fire"
check_clean qspi_ram.elf --loader h7boot
