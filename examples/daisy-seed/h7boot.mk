# h7boot.mk — use h7boot from a libDaisy project. Include it at the END of your Makefile, after
# `include $(SYSTEM_FILES_DIR)/Makefile`:
#
#     APP_TYPE = BOOT_SRAM          # or BOOT_QSPI: libDaisy's usual choice, unchanged
#     H7BOOT_DIR = ../h7boot        # where h7boot is checked out (and built with `make`)
#     include $(H7BOOT_DIR)/examples/daisy-seed/h7boot.mk
#
# h7boot boots libDaisy's BOOT_SRAM and BOOT_QSPI images exactly like the Daisy bootloader
# (raw image at 0x90040000, vector table first), so nothing in the build changes; this file
# adds targets:
#
#   make program-h7boot     write build/$(TARGET).bin to the app slot through h7boot's DFU
#                           (the board must be in h7boot's DFU mode: hold BOOT while pressing
#                           RESET, or call System::ResetToBootloader() from the app)
#   make h7boot-image       pack build/$(TARGET).elf into an h7boot image + .dfu (verified by
#                           the bootloader: SHA-256, segments into every RAM region)
#   make program-h7boot-image   write that .dfu through h7boot's DFU
#   make install-h7boot     flash the h7boot bootloader itself into internal flash through the
#                           ST ROM DFU (BOOT held at power-up); once per board
#
# Variables: H7BOOT_DIR (required), DFU_UTIL (default dfu-util), H7BOOT_BUILD (default
# $(H7BOOT_DIR)/build).

H7BOOT_BUILD ?= $(H7BOOT_DIR)/build
H7BOOT_CLI ?= $(H7BOOT_BUILD)/host/bin/h7boot
H7BOOT_BOOTLOADER ?= $(H7BOOT_BUILD)/daisy-seed/ports/stm32h750/h7boot-daisy-seed.bin
DFU_UTIL ?= dfu-util
# ST's DFU ids: both the ST ROM and h7boot answer to them (h7boot lists QSPI, the ROM does not).
H7BOOT_USB_ID ?= 0483:df11
# The app slot: boards/daisy-seed.board `slot APP` (the Daisy bootloader's address).
H7BOOT_SLOT ?= 0x90040000
# The internal flash the ST ROM DFU writes the bootloader to (boards/daisy-seed.board FLASH).
H7BOOT_FLASH ?= 0x08000000
H7BOOT_BUILD_DIR ?= $(BUILD_DIR)

.PHONY: program-h7boot h7boot-image program-h7boot-image install-h7boot

program-h7boot: $(H7BOOT_BUILD_DIR)/$(TARGET).bin
	$(DFU_UTIL) -a 0 -s $(H7BOOT_SLOT):leave -D $< -d ,$(H7BOOT_USB_ID)

h7boot-image: $(H7BOOT_BUILD_DIR)/$(TARGET).elf
	$(H7BOOT_CLI) pack --board daisy-seed -o $(H7BOOT_BUILD_DIR)/$(TARGET).dfu $<

program-h7boot-image: h7boot-image
	$(DFU_UTIL) -a 0 -D $(H7BOOT_BUILD_DIR)/$(TARGET).dfu -d ,$(H7BOOT_USB_ID)

install-h7boot:
	$(DFU_UTIL) -a 0 -s $(H7BOOT_FLASH):leave -D $(H7BOOT_BOOTLOADER) -d ,$(H7BOOT_USB_ID)
