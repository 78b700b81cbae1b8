#!/usr/bin/env python3
"""Boot time at 480 MHz from the QEMU instruction counts (boot_cost.sh), software and HASH-unit
paths, beside the stock Daisy bootloader. An estimate with its model stated, not a measurement:
no Daisy is attached, and the virtual Daisy's cycle model (ports/vdaisy) is not on main yet.

Model (each number named once here, quoted in docs/bootloader.md, "Boot time"):
  CPU       480 MHz, one instruction per cycle for the counted instructions (the Cortex-M7 can
            issue two; memory stalls are counted separately below).
  QSPI      memory-mapped quad I/O read 0xEB at 120 MHz: 4 bits per clock = 2 clocks per byte,
            sequential reads streaming (the QUADSPI reads ahead; the 22 command/address/mode/
            dummy clocks are paid once per run and left out). Every image byte is read from
            QSPI once: copy segments by the copy, XIP segments by the hash.
  copy      bounded by the QSPI read of the copied bytes (the memcpy's own instructions run
            while the CPU waits on the bus).
  SHA-256   software: the counted instructions of the hash phase; on XIP bytes the CPU, not the
            QSPI bus, is the bound (36 k instructions per KB against 17 us of bus time per KB).
  HASH unit RM0433/RM0399 §38.2: 66 HCLK cycles per 64-byte block, HCLK 240 MHz; the CPU feeds
            it (the driver's instructions per KB, counted on QEMU); per KB the slower of the two;
            for XIP bytes also not faster than the QSPI bus.
  stock     Daisy bootloader v6.x: its 10 ms window (the 2000 ms variant aside), then a 480 KB
            copy from QSPI at the same 120 MHz quad read, no hash.
"""
import sys

CPU_HZ = 480e6
QSPI_HZ = 120e6
QSPI_CLOCKS_PER_BYTE = 2
HASH_BLOCK_CYCLES = 66
HASH_HCLK_HZ = 240e6
STOCK_WINDOW_MS = 10.0
STOCK_COPY_BYTES = 480 * 1024


def qspi_ms(nbytes):
    return nbytes * QSPI_CLOCKS_PER_BYTE / QSPI_HZ * 1e3


def main(path):
    rows = [line.split() for line in open(path) if line.strip()]
    print("h7boot boot time at 480 MHz (estimate from QEMU instruction counts; model in "
          "bench/boot/boot_time.py)")
    print(f"  {'image':<18}{'bytes':>10}{'instr (sw)':>13}{'instr (HASH)':>14}{'software ms':>13}"
          f"{'HASH-unit ms':>14}")
    for name, size, total, copy, sha, sha_kb, copy_kb, feed_kb in rows:
        size, total, copy, sha = int(size), int(total), int(copy), int(sha)
        sha_kb, feed_kb = int(sha_kb), int(feed_kb)
        kb = size / 1024
        xip = name.endswith("xip")
        other = total - copy - sha  # start-up, decision, checks, hand-off
        # Bytes that go through the copy (from QSPI) and through the hash in place (XIP).
        copied_bytes = 0 if xip else size
        xip_bytes = size if xip else 0
        copy_ms = max(copy / CPU_HZ * 1e3, qspi_ms(copied_bytes))
        sw_hash_ms = max(sha / CPU_HZ * 1e3, qspi_ms(xip_bytes))
        unit_per_kb_ms = 16 * HASH_BLOCK_CYCLES / HASH_HCLK_HZ * 1e3
        feed_per_kb_ms = feed_kb / CPU_HZ * 1e3
        hw_hash_ms = max(kb * max(unit_per_kb_ms, feed_per_kb_ms), qspi_ms(xip_bytes))
        base_ms = other / CPU_HZ * 1e3 + copy_ms
        # On the HASH path the CPU runs the driver's feed instead of the rounds (QEMU has no
        # unit: the software path ran; the feed was counted on its own, per KB).
        hw_instr = total - sha + round(feed_kb * kb)
        print(f"  {name:<18}{size:>10}{total:>13}{hw_instr:>14}{base_ms + sw_hash_ms:>13.1f}"
              f"{base_ms + hw_hash_ms:>14.1f}")
    stock = STOCK_WINDOW_MS + qspi_ms(STOCK_COPY_BYTES)
    print(f"  stock Daisy bootloader, 480 KB app: {stock:.1f} ms (estimate: {STOCK_WINDOW_MS:.0f} ms "
          f"window + {qspi_ms(STOCK_COPY_BYTES):.1f} ms copy at {QSPI_HZ / 1e6:.0f} MHz quad, "
          "no hash; 2000 ms window variant: "
          f"{2000 + qspi_ms(STOCK_COPY_BYTES):.0f} ms)")
    print("  per KB: SHA-256 software "
          f"{rows[0][5]} instructions = {int(rows[0][5]) / CPU_HZ * 1e6:.1f} us; HASH unit "
          f"{16 * HASH_BLOCK_CYCLES / HASH_HCLK_HZ * 1e6:.1f} us (16 blocks x "
          f"{HASH_BLOCK_CYCLES} HCLK), its driver {rows[0][7]} instructions = "
          f"{int(rows[0][7]) / CPU_HZ * 1e6:.1f} us; QSPI read "
          f"{qspi_ms(1024) * 1e3:.1f} us")


if __name__ == "__main__":
    main(sys.argv[1])
