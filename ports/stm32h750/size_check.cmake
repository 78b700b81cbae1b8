# Post-build size check of a Daisy Seed bootloader link: BIN against BUDGET bytes. ENFORCE=1
# fails the build when over (the product); ENFORCE=0 only reports (the DFU build while it does
# not fit).
file(SIZE ${BIN} size)
get_filename_component(name ${BIN} NAME)
math(EXPR left "${BUDGET} - ${size}")
if(size GREATER BUDGET)
  math(EXPR over "${size} - ${BUDGET}")
  if(ENFORCE)
    message(FATAL_ERROR "${BIN}: ${size} bytes, ${over} over the ${BUDGET}-byte bootloader budget")
  endif()
  message(STATUS "${name}: ${size} of ${BUDGET} bytes: OVER BUDGET by ${over} (not enforced)")
else()
  message(STATUS "${name}: ${size} of ${BUDGET} bytes (${left} left)")
endif()
