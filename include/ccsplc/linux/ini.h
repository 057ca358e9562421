/* INI files for `-c FILE` (platform): a hostile-input-safe line parser calling back once per key, and value
 * helpers (numbers in a range, booleans as Python's configparser spells them, so pyPLC's pyPlc.ini reads). */
#ifndef CCSPLC_INI_H
#define CCSPLC_INI_H

#include <stddef.h>

#define INI_MAX_FILE (1u << 20)   /* larger files are refused */
#define INI_MAX_LINE 1024u        /* longer lines are refused */
#define INI_MAX_NAME 64u          /* section and key names, lower-cased */

/* One key: section ("" before the first [section]) and key lower-cased, value trimmed; line numbers from 1.
 * Return 0 to go on, or a negative CCS_E* code to stop parsing with it. */
typedef int (*ini_key_fn)(void *ctx, const char *section, const char *key, const char *value, unsigned line);

/* Parses len bytes of text. Lines end in \n (a \r before it is dropped); blank lines and lines starting with
 * '#' or ';' are skipped; "[name]" starts a section; "key = value" or "key: value" is a key. 0, CCS_ESYNTAX
 * (*bad_line set: a line that is none of these, a NUL byte, a name too long or with odd characters, a line
 * too long), CCS_ERANGE (text above INI_MAX_FILE) or the callback's error (*bad_line set). */
int ini_parse(const char *text, size_t len, ini_key_fn fn, void *ctx, unsigned *bad_line);
/* The same for a file: also CCS_EIO when it cannot be read. */
int ini_parse_file(const char *path, ini_key_fn fn, void *ctx, unsigned *bad_line);

/* A decimal number (strtod syntax, nothing after it) within [lo, hi]. 0 or CCS_ESYNTAX / CCS_ERANGE. */
int ini_number(const char *value, double lo, double hi, double *out);
/* 1/yes/true/on and 0/no/false/off, any case (configparser's booleans). 0 or CCS_ESYNTAX. */
int ini_bool(const char *value, int *out);

#endif
