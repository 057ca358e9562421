/* Small helpers shared by the unit tests: hex conversion, file reading, paths into ../shared. */
#ifndef CCSPLC_TESTUTIL_H
#define CCSPLC_TESTUTIL_H
#include <stddef.h>
#include <stdint.h>

/* Hex text (spaces allowed) to bytes; returns the byte count or -1 on bad hex / overflow. */
long tu_hex2bin(const char *hex, uint8_t *out, size_t cap);
/* Whole file into a malloc'd NUL-terminated buffer (caller frees); NULL if unreadable. */
char *tu_read_file(const char *path, size_t *len);
/* Path of a file under the shared data directory (static buffer, valid until the next call). */
const char *tu_shared(const char *rel);
/* Path of a file under the source tree (static buffer, valid until the next call). */
const char *tu_source(const char *rel);

#endif
