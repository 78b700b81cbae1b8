# h7_daisy.mk — h7::PersistentStorage (h7_persistent_storage.h) in a libDaisy project.
# Include it in the app's Makefile BEFORE libDaisy's core/Makefile:
#
#     H7BOOT_DIR = ../h7boot                 # an h7boot checkout, built with `make`
#     include $(H7BOOT_DIR)/runtime/daisy/h7_daisy.mk
#     include $(SYSTEM_FILES_DIR)/Makefile
#
# It puts the header on the include path and into every C++ file (so the app only swaps
# daisy::PersistentStorage for h7::PersistentStorage), and links the store with the QSPI code
# for the app's APP_TYPE:
#   BOOT_QSPI              libh7_daisy_xip.a: the QSPI-writing code in .data, i.e. in AXI SRAM
#                          (libDaisy's STM32H750IB_qspi.lds), copied there by libDaisy's startup
#   BOOT_NONE, BOOT_SRAM   libh7_daisy.a: the same code in .text
# Both libraries come from h7boot's daisy-seed build tree (H7BOOT_LIB_DIR).

H7BOOT_DIR ?= ../h7boot
H7BOOT_LIB_DIR ?= $(H7BOOT_DIR)/build/daisy-seed/runtime/daisy

C_INCLUDES += -I$(H7BOOT_DIR)/runtime/daisy -I$(H7BOOT_DIR)/store -I$(H7BOOT_DIR)/include
C_INCLUDES += -include h7_persistent_storage.h
LIBDIR += -L$(H7BOOT_LIB_DIR)
ifeq ($(APP_TYPE), BOOT_QSPI)
H7_DAISY_LIB ?= h7_daisy_xip
else
H7_DAISY_LIB ?= h7_daisy
endif
LIBS += -l$(H7_DAISY_LIB)
