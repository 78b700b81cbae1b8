# Every preset links the fixture (with libDaisy's and h7boot's section names in use), report
# matches ld, check is clean, and the vector table is where the boot mode needs it.
vec_region() { # ELF REGION-or-SLOT
    v=$(sect_addr "$1" .isr_vector)
    # shellcheck disable=SC2046
    in_range "$v" $(region "$1" "$2") || fail "$1: vectors at 0x$v, not in $2"
    echo "$1: vectors at 0x$v ($2)"
}
defs="-DDMA_IN_SRAM1 -DSDRAM_BSS -DH7_ITCM_FUNC -DFATFS_OBJECT -DFATFS_AXI -DSDRAM_DATA -DSDRAM_INIT_HOOK"
for p in internal-flash ram-load qspi-xip daisy-boot-sram daisy-boot-qspi; do
    # shellcheck disable=SC2086
    gen_link "$p" "preset $p" $defs "$RUNTIME/h7_startup.c"
    # every zeroed and copied section is in the tables
    $NM "$p.elf" | grep -q __h7_zero_table_start || fail "$p: no zero table"
    # an internal-flash app has no bootloader (h7boot's own flash is where it links)
    if [ "$p" = internal-flash ]; then loader=none; else loader=h7boot; fi
    check_clean "$p.elf" --loader $loader
done
vec_region internal-flash.elf FLASH
vec_region ram-load.elf AXI_SRAM
vec_region daisy-boot-sram.elf AXI_SRAM
vec_region qspi-xip.elf QSPI
v=$(sect_addr daisy-boot-qspi.elf .isr_vector)
# The XIP presets start at the board's application slot (0x90040000 on the Daisy Seed).
slot_origin=$(awk '$1 == "slot" && $2 == "APP" { print $3 }' "$BOARDS/$BOARD.board")
[ "$((0x$v))" -eq "$((slot_origin))" ] || fail "daisy-boot-qspi: vectors at 0x$v, slot at $slot_origin"
# ram-load: every section is at its final address (no load image elsewhere), so the
# bootloader puts each one where it runs.
$READELF -lW ram-load.elf | awk '$1 == "LOAD" && $3 != $4 { bad = 1 } END { exit bad }' ||
    fail "ram-load has a segment whose load address differs from its run address"
# internal-flash: .bin of the stored image fits the flash
check_clean internal-flash.elf --bin --max-bin 131072 --loader none
