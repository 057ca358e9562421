/* Input helpers for the CLI: read a file or stdin whole, parse hex text. */
#ifndef CCSPLC_APP_IO_H
#define CCSPLC_APP_IO_H
#include <stddef.h>
#include <stdint.h>

/* Whole file ("-" = stdin) into a malloc'd NUL-terminated buffer; NULL on error (errno set). */
char *app_read_all(const char *path, size_t *len);
/* Hex digits (whitespace, ':' and a leading "0x" ignored) into a malloc'd buffer; NULL if not hex. */
uint8_t *app_parse_hex(const char *text, size_t *len);

#endif
