# h7boot.mk — h7boot for a libDaisy project. Include it at the END of the app's Makefile, after
# libDaisy's core Makefile; nothing else in the project changes:
#
#     APP_TYPE = BOOT_SRAM          # or BOOT_QSPI, as libDaisy builds them
#     ...
#     include $(SYSTEM_FILES_DIR)/Makefile
#     H7BOOT_DIR = ../h7boot        # where h7boot is checked out and built (`make` there)
#     include $(H7BOOT_DIR)/examples/daisy-seed/h7boot.mk
#
# Targets:
#   make h7boot-image     build/TARGET.img and build/TARGET.dfu: an h7boot image of the ELF
#                         libDaisy linked (SHA-256 verified by the bootloader, every region loaded)
#   make program-h7boot   write build/TARGET.dfu through h7boot's DFU with dfu-util (the board in
#                         h7boot's DFU mode: hold BOOT while pressing RESET, or call
#                         System::ResetToBootloader() from the app), like libDaisy's program-dfu
#   make program-h7boot-raw   write libDaisy's raw build/TARGET.bin to the slot instead (no hash:
#                         booted the way the Daisy bootloader boots it)
#   make h7boot-report    memory use: ld's table for the script that linked the app, then per
#                         region its sections, largest symbols (C++ names demangled), free space
#   make h7boot-check     placement rules (docs/memory.md), for an app loaded by h7boot
#   make h7boot-ld        build/h7boot.ld from the placement file H7BOOT_PLACEMENT (default: one
#                         line, the preset for APP_TYPE)
#   make install-h7boot   flash the h7boot bootloader itself through the ST ROM DFU (BOOT held at
#                         power-up); once per board
#
# Link with h7boot's script instead of libDaisy's: set H7BOOT_PLACEMENT = app.place (a placement
# file, docs/memory.md), or H7BOOT_LINK = 1 for the default placement, before the include. The
# preset follows APP_TYPE: BOOT_SRAM -> daisy-boot-sram, BOOT_QSPI -> daisy-boot-qspi.
#
# APP_TYPE = BOOT_NONE links the app at 0x08000000, where h7boot itself lives: the image, DFU and
# linking targets stop with a message; report and check work (check with --loader none).
#
# Variables: H7BOOT_DIR (required), H7BOOT (the h7boot tool), H7BOOT_BOARD (daisy-seed),
# DFU_UTIL (dfu-util), H7BOOT_USB_ID (0483:df11), H7BOOT_PLACEMENT, H7BOOT_LINK.

ifndef H7BOOT_DIR
$(error h7boot.mk: set H7BOOT_DIR to the h7boot checkout before including h7boot.mk)
endif
H7BOOT_BUILD ?= $(H7BOOT_DIR)/build
H7BOOT ?= $(H7BOOT_BUILD)/host/bin/h7boot
H7BOOT_BOARD ?= daisy-seed
H7BOOT_BOOTLOADER ?= $(H7BOOT_BUILD)/daisy-seed/ports/stm32h750/h7boot-daisy-seed.bin
DFU_UTIL ?= dfu-util
# ST's DFU ids: both the ST ROM and h7boot answer to them (h7boot lists QSPI, the ROM does not).
H7BOOT_USB_ID ?= 0483:df11
# The app slot (boards/daisy-seed.board `slot APP`, the Daisy bootloader's address) and the
# internal flash the ST ROM DFU writes the bootloader to.
H7BOOT_SLOT ?= 0x90040000
H7BOOT_FLASH ?= 0x08000000

H7BOOT_ELF = $(BUILD_DIR)/$(TARGET).elf
H7BOOT_NONE_MSG = h7boot.mk: APP_TYPE = BOOT_NONE links the app into internal flash at \
0x08000000, where h7boot itself is stored. Set APP_TYPE = BOOT_SRAM (the app runs in RAM) or \
BOOT_QSPI (it runs from QSPI) to boot it with h7boot.
# First line of every recipe that needs an app h7boot can boot.
H7BOOT_NEED_SLOT_APP = @if [ "$(APP_TYPE)" = BOOT_NONE ]; then echo "$(H7BOOT_NONE_MSG)" >&2; exit 1; fi

ifeq ($(APP_TYPE),BOOT_QSPI)
H7BOOT_PRESET ?= daisy-boot-qspi
else
H7BOOT_PRESET ?= daisy-boot-sram
endif

.PHONY: h7boot-image program-h7boot program-h7boot-raw h7boot-report h7boot-check h7boot-ld \
        install-h7boot

# ---- linking with h7boot's script -------------------------------------------------------
# libDaisy's core Makefile builds LDFLAGS with -T$(LDSCRIPT) unexpanded, so setting LDSCRIPT here
# (after it) takes effect.
H7BOOT_SCRIPT = $(BUILD_DIR)/h7boot.ld
H7BOOT_PLACE_FILE = $(if $(H7BOOT_PLACEMENT),$(H7BOOT_PLACEMENT),$(BUILD_DIR)/h7boot.place)
ifneq ($(strip $(H7BOOT_LINK)$(H7BOOT_PLACEMENT)),)
ifneq ($(APP_TYPE),BOOT_NONE)
LDSCRIPT = $(H7BOOT_SCRIPT)
$(H7BOOT_ELF): $(H7BOOT_SCRIPT)
endif
endif

# The default placement: the preset alone (h7boot ld adds libDaisy's sections, heap, backup SRAM).
# Rewritten only when the preset changes.
$(BUILD_DIR)/h7boot.place: FORCE_H7BOOT_PLACE | $(BUILD_DIR)
	@echo "preset $(H7BOOT_PRESET)" | cmp -s - $@ || echo "preset $(H7BOOT_PRESET)" >$@

$(H7BOOT_SCRIPT): $(H7BOOT_PLACE_FILE) $(wildcard $(H7BOOT)) | $(BUILD_DIR)
	$(H7BOOT_NEED_SLOT_APP)
	$(H7BOOT) ld $(H7BOOT_PLACE_FILE) --board $(H7BOOT_BOARD) -o $@

h7boot-ld: $(H7BOOT_SCRIPT)

.PHONY: FORCE_H7BOOT_PLACE
FORCE_H7BOOT_PLACE:

# ---- images and DFU ---------------------------------------------------------------------
h7boot-image: $(H7BOOT_ELF)
	$(H7BOOT_NEED_SLOT_APP)
	$(H7BOOT) pack $< --board $(H7BOOT_BOARD) -o $(BUILD_DIR)/$(TARGET).img
	$(H7BOOT) pack $< --board $(H7BOOT_BOARD) -o $(BUILD_DIR)/$(TARGET).dfu

program-h7boot: h7boot-image
	$(DFU_UTIL) -a 0 -D $(BUILD_DIR)/$(TARGET).dfu -d ,$(H7BOOT_USB_ID)

program-h7boot-raw: $(BUILD_DIR)/$(TARGET).bin
	$(H7BOOT_NEED_SLOT_APP)
	$(DFU_UTIL) -a 0 -s $(H7BOOT_SLOT):leave -D $< -d ,$(H7BOOT_USB_ID)

install-h7boot:
	$(DFU_UTIL) -a 0 -s $(H7BOOT_FLASH):leave -D $(H7BOOT_BOOTLOADER) -d ,$(H7BOOT_USB_ID)

# ---- memory report and placement check --------------------------------------------------
h7boot-report: $(H7BOOT_ELF)
	$(H7BOOT) report $< --board $(H7BOOT_BOARD)

h7boot-check: $(H7BOOT_ELF)
	$(H7BOOT) check $< --board $(H7BOOT_BOARD) --loader $(if $(filter BOOT_NONE,$(APP_TYPE)),none,h7boot)
