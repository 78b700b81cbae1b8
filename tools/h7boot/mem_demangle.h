/*
 * mem_demangle.h — C++ symbol names as the programmer wrote them, for report and check.
 *
 * libDaisy and DaisySP are C++: their symbols are mangled (_ZN5daisy9boot_infoE). The names are
 * demangled by libiberty's cplus_demangle (Debian libiberty-dev, the demangler of binutils'
 * nm -C and c++filt), never by hand.
 */
#ifndef H7_MEM_DEMANGLE_H
#define H7_MEM_DEMANGLE_H

#include "elf_sections.h"

/* Replace every mangled symbol name of `elf` by its demangled form (with parameter types for
 * functions: "daisy::System::Delay(unsigned long)"). Names that are not mangled, or that the
 * demangler rejects, stay as they are. A name longer than the buffer ends in "...". */
void h7_demangle_symbols(struct h7_elf *elf);

#endif
