# Forum situation: a function moved to ITCM ended up at address 0, where a pointer to it
# compares equal to NULL. Generated scripts keep the first 32 bytes of ITCM free.
gen_link itcm "preset internal-flash" -DH7_ITCM_FUNC
expect_in itcm.elf fir_step ITCM
a=$(sym_addr itcm.elf fir_step)
[ "$((0x$a))" -ne 0 ] || fail "fir_step is at address 0"
# its code is stored in FLASH and copied by the start-up code: a copy-table entry exists
"$H7BOOT" report itcm.elf --board "$BOARD" --json | python3 -c '
import json, sys
flash = [r for r in json.load(sys.stdin)["regions"] if r["name"] == "FLASH"][0]
img = [s for s in flash["sections"] if s["name"] == ".h7_itcm" and s["load_image"]]
assert img, ".h7_itcm has no load image in FLASH"
print("fir_step code is stored at 0x%08x in FLASH" % img[0]["lma"])' || fail "ITCM code not stored in FLASH"
check_clean itcm.elf
