#ifndef HIEROS_CPCRE2_SHIM_H
#define HIEROS_CPCRE2_SHIM_H

// Hieros matches UTF-8 text only: select the 8-bit code unit library before the header.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Swift cannot import macros that expand to expressions; re-export the ones the wrapper needs.
static inline PCRE2_SIZE hieros_pcre2_unset(void) { return PCRE2_UNSET; }

#endif
