# Build settings and helper functions shared by every part of h7boot.
#
#   h7_add_unit_test(NAME SOURCES... [LIBS ...] [LABELS ...])      cmocka test (host)
#   h7_add_fuzzer(NAME SOURCES... [LIBS ...] [SMOKE_SECONDS N] [MAX_LEN N])  libFuzzer (host, clang)
#   h7_add_bench(NAME COMMAND ...)                                  a step of `make bench`
#   h7_firmware_executable(NAME LINKER_SCRIPT FILE SOURCES... [LIBS ...])   (firmware)
#   h7_add_qemu_test(NAME KERNEL ELF [LOAD FILE@ADDR ...] [EXPECT_EXIT N]
#                    [EXPECT REGEX ...] [REJECT REGEX ...] [TIMEOUT S] [LABELS ...]
#                    [QEMU_ARGS ...])                               QEMU MPS2 AN500 run (firmware)
include_guard(GLOBAL)

set(H7_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)
cmake_path(NORMAL_PATH H7_ROOT)
string(REGEX REPLACE "/$" "" H7_ROOT "${H7_ROOT}") # no trailing slash: paths must compare equal

if(CMAKE_CROSSCOMPILING)
  set(H7_FIRMWARE ON)
  set(H7_HOST OFF)
  set(H7_BOARD "" CACHE STRING "Board this firmware tree builds for (a boards/*.board name)")
  set(H7_HOST_BIN_DIR "" CACHE PATH "bin/ folder of the host build tree (boardgen, h7boot)")
  if(NOT H7_BOARD OR NOT EXISTS ${H7_ROOT}/boards/${H7_BOARD}.board)
    message(FATAL_ERROR "H7_BOARD must name a file in boards/ (got '${H7_BOARD}')")
  endif()
  if(NOT EXISTS ${H7_HOST_BIN_DIR}/boardgen)
    message(FATAL_ERROR "H7_HOST_BIN_DIR must hold the host tools (build the host tree first)")
  endif()
  add_compile_options(-Wall -Wextra -Werror -g)
  # struct h7_board sized for this board alone (include/h7/board.h): every target of the tree
  # must agree on it, so it is set here, before any part is added.
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/board)
  set(limits ${CMAKE_BINARY_DIR}/board/limits.cmake)
  execute_process(COMMAND ${H7_HOST_BIN_DIR}/boardgen limits ${H7_ROOT}/boards/${H7_BOARD}.board
                          -o ${limits} RESULT_VARIABLE rc ERROR_VARIABLE msg)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "boardgen limits failed: ${msg}")
  endif()
  include(${limits})
  add_compile_definitions(${H7_BOARD_LIMIT_DEFINITIONS})
  # (boards/CMakeLists.txt makes the board file a configure dependency: a change re-runs this.)
  if(NOT CMAKE_BUILD_TYPE)
    set(CMAKE_BUILD_TYPE MinSizeRel CACHE STRING "" FORCE)
  endif()
else()
  set(H7_HOST ON)
  set(H7_FIRMWARE OFF)
  option(H7_SANITIZE "Build host code with ASan+UBSan" ON)
  add_compile_options(-Wall -Wextra -Werror -g)
  add_compile_definitions(_DEFAULT_SOURCE)
  if(H7_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  endif()
  set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  # libFuzzer needs clang; gcc host trees simply build no fuzzers.
  if(CMAKE_C_COMPILER_ID STREQUAL "Clang" AND H7_SANITIZE)
    set(H7_FUZZ ON)
  else()
    set(H7_FUZZ OFF)
  endif()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()

# Where a firmware tree's generated board files go (board_table.c, board_map.h, memory.ld).
set(H7_BOARD_GEN_DIR ${CMAKE_BINARY_DIR}/board)

add_custom_target(bench)
add_custom_target(fuzz)

function(h7_add_unit_test name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA ${A_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${A_LABELS}")
endfunction()

# Coverage for libFuzzer in every library a fuzzer links, not only in the fuzzer's own sources:
# without it libFuzzer sees a handful of edges (the harness) and mutates blindly. For each
# target in the list (and, transitively, the targets it links) a copy NAME_fuzz is built from
# the same sources, include directories, definitions and options, plus
# -fsanitize=fuzzer-no-link (coverage counters and comparison tracing, no libFuzzer main); the
# unit tests and tools keep the uninstrumented library and their speed. Sets OUT to the list
# with each such target replaced by its copy (imported and interface targets, plain -l names
# pass through).
function(h7_fuzz_instrument out)
  set(mapped)
  foreach(lib IN LISTS ARGN)
    set(use ${lib})
    if(TARGET ${lib})
      get_target_property(imported ${lib} IMPORTED)
      get_target_property(type ${lib} TYPE)
      if(NOT imported AND type STREQUAL "STATIC_LIBRARY")
        set(use ${lib}_fuzz)
        if(NOT TARGET ${use})
          get_target_property(srcs ${lib} SOURCES)
          get_target_property(dir ${lib} SOURCE_DIR)
          set(abs)
          foreach(src IN LISTS srcs)
            if(IS_ABSOLUTE ${src})
              list(APPEND abs ${src})
            else()
              list(APPEND abs ${dir}/${src})
            endif()
          endforeach()
          add_library(${use} STATIC ${abs})
          foreach(prop INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES COMPILE_DEFINITIONS
                       INTERFACE_COMPILE_DEFINITIONS COMPILE_OPTIONS)
            set_property(TARGET ${use} PROPERTY ${prop} "$<TARGET_PROPERTY:${lib},${prop}>")
          endforeach()
          target_compile_options(${use} PRIVATE -fsanitize=fuzzer-no-link)
          get_target_property(deps ${lib} LINK_LIBRARIES)
          if(deps)
            h7_fuzz_instrument(deps_fuzz ${deps})
            target_link_libraries(${use} PUBLIC ${deps_fuzz})
          endif()
        endif()
      endif()
    endif()
    list(APPEND mapped ${use})
  endforeach()
  set(${out} ${mapped} PARENT_SCOPE)
endfunction()

# A libFuzzer target, instrumented with everything it links (h7_fuzz_instrument). Its seed
# corpus is tests/fuzz/corpus/NAME (checked in, small). `make test` runs it for SMOKE_SECONDS
# (default 3) from the seeds; `make fuzz` runs it for H7_FUZZ_SECONDS (default 60) with the
# seeds and a growing corpus in the build tree (build/host/fuzz-corpus/NAME).
function(h7_add_fuzzer name)
  cmake_parse_arguments(A "" "SMOKE_SECONDS;MAX_LEN" "SOURCES;LIBS" ${ARGN})
  if(NOT H7_FUZZ)
    return()
  endif()
  if(NOT A_SMOKE_SECONDS)
    set(A_SMOKE_SECONDS 3)
  endif()
  if(NOT A_MAX_LEN)
    set(A_MAX_LEN 8192)
  endif()
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  h7_fuzz_instrument(libs ${A_LIBS})
  target_link_libraries(${name} PRIVATE ${libs})
  set(seeds ${H7_ROOT}/tests/fuzz/corpus/${name})
  if(NOT IS_DIRECTORY ${seeds})
    message(FATAL_ERROR "fuzzer ${name}: no seed corpus in ${seeds}")
  endif()
  set(run ${H7_ROOT}/tests/fuzz/run-fuzzer.sh)
  add_test(NAME ${name}-smoke
           COMMAND sh ${run} $<TARGET_FILE:${name}> ${CMAKE_BINARY_DIR}/fuzz-smoke/${name}
                   ${seeds} -max_total_time=${A_SMOKE_SECONDS} -seed=1 -max_len=${A_MAX_LEN})
  set_tests_properties(${name}-smoke PROPERTIES LABELS "fuzz")
  if(NOT DEFINED H7_FUZZ_SECONDS)
    set(H7_FUZZ_SECONDS 60)
  endif()
  add_custom_target(fuzz-${name}
    COMMAND sh ${run} $<TARGET_FILE:${name}> ${CMAKE_BINARY_DIR}/fuzz-corpus/${name} ${seeds}
            -max_total_time=${H7_FUZZ_SECONDS} -max_len=65536
    DEPENDS ${name} USES_TERMINAL)
  add_dependencies(fuzz fuzz-${name})
endfunction()

# One step of `make bench`: runs COMMAND (a bench executable and its arguments).
function(h7_add_bench name)
  cmake_parse_arguments(A "" "" "COMMAND;DEPENDS" ${ARGN})
  add_custom_target(bench-${name} COMMAND ${A_COMMAND} DEPENDS ${A_DEPENDS}
                    WORKING_DIRECTORY ${CMAKE_BINARY_DIR} USES_TERMINAL)
  add_dependencies(bench bench-${name})
endfunction()

# A firmware ELF: links with LINKER_SCRIPT (which may INCLUDE the generated board memory map,
# found through -L ${H7_BOARD_GEN_DIR}), writes a map file and a .bin next to the ELF.
function(h7_firmware_executable name)
  cmake_parse_arguments(A "" "LINKER_SCRIPT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES} ${A_UNPARSED_ARGUMENTS})
  set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS ${A_LINKER_SCRIPT})
  target_link_libraries(${name} PRIVATE ${A_LIBS})
  target_link_options(${name} PRIVATE -T${A_LINKER_SCRIPT} -L${H7_BOARD_GEN_DIR}
                      -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map)
  add_dependencies(${name} h7_board_generated)
endfunction()

function(h7_add_qemu_test name)
  cmake_parse_arguments(A "" "KERNEL;EXPECT_EXIT;TIMEOUT"
                        "LOAD;EXPECT;REJECT;LABELS;QEMU_ARGS" ${ARGN})
  set(args)
  if(DEFINED A_EXPECT_EXIT)
    list(APPEND args --expect-exit ${A_EXPECT_EXIT})
  endif()
  if(A_TIMEOUT)
    list(APPEND args --timeout ${A_TIMEOUT})
  endif()
  foreach(re IN LISTS A_EXPECT)
    list(APPEND args --expect "${re}")
  endforeach()
  foreach(re IN LISTS A_REJECT)
    list(APPEND args --reject "${re}")
  endforeach()
  foreach(l IN LISTS A_LOAD)
    list(APPEND args --load "${l}")
  endforeach()
  add_test(NAME ${name}
           COMMAND ${H7_ROOT}/tests/qemu/run-qemu.sh ${args} --log
                   ${CMAKE_CURRENT_BINARY_DIR}/${name}.log --kernel ${A_KERNEL} --
                   ${A_QEMU_ARGS})
  set_tests_properties(${name} PROPERTIES LABELS "qemu;${A_LABELS}")
endfunction()

# add_subdirectory() for every child folder of the current one that has a CMakeLists.txt:
# the parts that hold one folder per test, bench, example or host-port piece.
function(h7_add_child_folders)
  file(GLOB children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(child IN LISTS children)
    if(EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
