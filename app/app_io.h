/* Input and output helpers for the CLI: read a file or stdin whole, parse hex text, finish standard output. */
#ifndef CCSPLC_APP_IO_H
#define CCSPLC_APP_IO_H
#include <stddef.h>
#include <stdint.h>

/* Whole file ("-" = stdin) into a malloc'd NUL-terminated buffer; NULL on error (errno set). */
char *app_read_all(const char *path, size_t *len);
/* Hex digits (whitespace, ':' and a leading "0x" ignored) into a malloc'd buffer; NULL if not hex. */
uint8_t *app_parse_hex(const char *text, size_t *len);

/* Flush and close stdout: 0, or the errno of the failed write (a full disk, a closed pipe, /dev/full; an error
 * seen by an earlier write that the stream only flagged counts too: as the errno app_stdout_failed noted, else
 * EIO). */
int app_close_stdout(void);
/* A write to stdout just failed: its errno is the reason app_close_stdout gives (the first one noted counts). A
 * stream whose buffer a failed write emptied has nothing left to fail with at the end. */
void app_stdout_failed(void);

#endif
