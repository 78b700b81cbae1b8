# h7boot ld: what MEMORY cannot say is asserted (BOOT_RAM, the user area's end, fixed
# addresses, the stored image), QSPI data of RAM-loaded apps goes after the image, '@ ADDRESS'
# places a rule, and libDaisy's backup SRAM and newlib's `end` need no placement line.

# must_not_link NAME PLACEMENT MESSAGE -D...: h7boot ld succeeds, the link fails with MESSAGE
must_not_link() {
    name=$1 text=$2 msg=$3
    shift 3
    printf '%s\n' "$text" >"$name.place"
    "$H7BOOT" ld "$name.place" --board "$BOARD" -o "$name.ld" || fail "h7boot ld $name.place"
    # shellcheck disable=SC2086
    if $CC $CFLAGS "$@" -T"$name.ld" -Wl,--enable-non-contiguous-regions "$SRC/fixtures/app.c" \
        -o "$name.elf" 2>"$name.err"; then
        fail "$name linked: $msg expected"
    fi
    grep -q "$msg" "$name.err" || { cat "$name.err"; fail "$name: no '$msg'"; }
    echo "$name: $(grep -o "$msg.*" "$name.err" | head -n 1)"
}

# BOOT_RAM: a 60 KB D3 buffer runs into the bootloader's RAM (top 16 KB of SRAM4) ...
must_not_link boot_ram "preset ram-load
place section .d3_buf -> SRAM4" "sections run into BOOT_RAM" -DD3_BUF=61440
# ... 48 KB fits, and without a bootloader (internal-flash) all 64 KB are the app's.
gen_link d3_48k "preset ram-load
place section .d3_buf -> SRAM4" -DD3_BUF=49152
expect_in d3_48k.elf d3_buf SRAM4
gen_link d3_flash "preset internal-flash
place section .d3_buf -> SRAM4" -DD3_BUF=61440
expect_in d3_flash.elf d3_buf SRAM4

# QSPI storage linked from 0x90000000 must end inside the 256 KB user area.
must_not_link storage "preset daisy-boot-qspi" "runs past USER_AREA" -DQSPI_STORAGE_BIG

# A RAM-loaded app's QSPI table: by default after the stored image, on an erase block ...
gen_link after_image "preset daisy-boot-sram" -DQSPI_TABLE
t=$(sym_addr after_image.elf big_table)
[ $((0x$t)) -ge $((0x90041000)) ] || fail "big_table at 0x$t is not after the image"
[ $((0x$t % 4096)) -eq 0 ] || fail "big_table at 0x$t is not 4 KB aligned"
check_clean after_image.elf --loader h7boot
# ... or where the placement says: RANGE + SIZE, a number, image-end.
gen_link at_app "preset daisy-boot-sram
place section .h7_qspi_data .h7_qspi_data.* -> QSPI @ APP + 1M" -DQSPI_TABLE
[ "$(sym_addr at_app.elf big_table)" = 90140000 ] || fail "@ APP + 1M: big_table not at 0x90140000"
gen_link at_number "preset daisy-boot-sram
place section .h7_qspi_data .h7_qspi_data.* -> QSPI @ 0x90200000" -DQSPI_TABLE
[ "$(sym_addr at_number.elf big_table)" = 90200000 ] || fail "@ 0x90200000 not honoured"
gen_link at_end "preset daisy-boot-sram
place section .h7_qspi_data .h7_qspi_data.* -> QSPI @ image-end" -DQSPI_TABLE
[ "$(sym_addr at_end.elf big_table)" = "$t" ] || fail "@ image-end differs from the default"
# ... and every fixed address that cannot work is a link error that says why.
must_not_link at_user "preset daisy-boot-sram
place section .h7_qspi_data .h7_qspi_data.* -> QSPI @ USER_AREA" "runs past the end of USER_AREA" \
    -DQSPI_TABLE
must_not_link at_slot "preset daisy-boot-sram
place section .h7_qspi_data .h7_qspi_data.* -> QSPI @ APP" "overlaps the app image stored in slot APP" \
    -DQSPI_TABLE
# Placement errors name the line.
printf 'preset daisy-boot-sram\nplace section .x -> QSPI @ NOWHERE\n' >bad_at.place
"$H7BOOT" ld bad_at.place --board "$BOARD" -o bad_at.ld 2>bad_at.err && fail "@ NOWHERE accepted"
grep -q "bad_at.place:2: board daisy-seed has no range 'NOWHERE'" bad_at.err || fail "$(cat bad_at.err)"
printf 'preset daisy-boot-sram\nplace section .x -> DTCM, AXI_SRAM @ 0x20000100\n' >bad_spill.place
"$H7BOOT" ld bad_spill.place --board "$BOARD" -o bad_spill.ld 2>bad_spill.err && fail "@ with spill accepted"
grep -q "bad_spill.place:2: '@ ADDRESS' needs exactly one region" bad_spill.err || fail "$(cat bad_spill.err)"

# Defaults: libDaisy's backup SRAM section at the start of backup SRAM, a heap and `end`.
gen_link defaults "preset daisy-boot-sram" -DBACKUP_WORD -Wl,--undefined=end
[ "$(sym_addr defaults.elf backup_word)" = 38800000 ] || fail "backup_word not at 0x38800000"
$READELF -SW defaults.elf | grep -q ' \.backup_sram  *NOBITS ' || fail ".backup_sram is not NOLOAD"
$NM defaults.elf | grep -q '__h7_zero_table' || fail "no zero table"
! $READELF -x .h7_tables defaults.elf | grep -qi ' 00008838 ' || fail "backup SRAM in the zero table"
expect_in defaults.elf end SRAM1
expect_in defaults.elf __HeapBase SRAM1
# '@ image-end' only where an image is stored in the slot and runs in RAM.
printf 'preset daisy-boot-qspi\nplace section .h7_qspi_data -> QSPI @ image-end\n' >xip_end.place
"$H7BOOT" ld xip_end.place --board "$BOARD" -o xip_end.ld 2>xip_end.err && fail "@ image-end accepted for XIP"
grep -q "xip_end.place:2: '@ image-end' is for apps whose image is stored in the slot" xip_end.err ||
    fail "$(cat xip_end.err)"
