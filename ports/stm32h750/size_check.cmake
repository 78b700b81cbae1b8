# Post-build size check of the Daisy Seed bootloader: fail when the .bin exceeds BUDGET bytes.
file(SIZE ${BIN} size)
if(size GREATER BUDGET)
  message(FATAL_ERROR "${BIN}: ${size} bytes, over the ${BUDGET}-byte bootloader budget")
endif()
math(EXPR left "${BUDGET} - ${size}")
message(STATUS "h7boot-daisy-seed.bin: ${size} of ${BUDGET} bytes (${left} left)")
