# Toolchain file: Cortex-M7 with the double-precision FPU, hard-float ABI (Debian's
# gcc-arm-none-eabi + libnewlib-arm-none-eabi). Used by every firmware build tree.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m7)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size")

# Compiler checks link a static library, not a program: there is no startup code yet.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(H7_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16")
set(CMAKE_C_FLAGS_INIT "${H7_CPU_FLAGS} -ffunction-sections -fdata-sections -ffreestanding")
set(CMAKE_ASM_FLAGS_INIT "${H7_CPU_FLAGS}")
# newlib-nano supplies memcpy/memset (which the compiler may call); no startup files, no syscalls.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${H7_CPU_FLAGS} -nostartfiles --specs=nano.specs -Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
