/*
 * A payload of BENCH_PAYLOAD_BYTES of constants, linked into the virtual Daisy's raw BOOT_SRAM
 * app (tests/vdaisy/raw_app.c, raw_sram.ld: in AXI SRAM with the code) and packed as an h7boot
 * image: the ~480 KB copied image of the boot-time benchmark on the virtual Daisy.
 */
#include <stdint.h>

__attribute__((used)) const uint8_t bench_payload[BENCH_PAYLOAD_BYTES] = {1, 2, 3, 4};
