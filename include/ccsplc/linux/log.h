/* Logging for the platform layer and the CLI: levels, to stderr. The core never logs; it returns codes. */
#ifndef CCSPLC_LOG_H
#define CCSPLC_LOG_H

#include <stddef.h>

enum ccs_log_level { CCS_LOG_ERROR, CCS_LOG_WARN, CCS_LOG_INFO, CCS_LOG_DEBUG };

void ccs_log_set_level(enum ccs_log_level level);
enum ccs_log_level ccs_log_get_level(void);
/* Parse "error|warn|info|debug"; returns 0 or -1. */
int ccs_log_parse_level(const char *name, enum ccs_log_level *out);
/* A program that keeps a status line on stderr (a terminal) sets this: log lines then clear it first. */
void ccs_log_status_line(int on);
void ccs_log(enum ccs_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The start of a log line ("  123.456 warn  ", after clearing the status line): its length (at most cap - 1). */
int ccs_log_prefix(char *buf, size_t cap, enum ccs_log_level level);

#define LOG_E(...) ccs_log(CCS_LOG_ERROR, __VA_ARGS__)
#define LOG_W(...) ccs_log(CCS_LOG_WARN, __VA_ARGS__)
#define LOG_I(...) ccs_log(CCS_LOG_INFO, __VA_ARGS__)
#define LOG_D(...) ccs_log(CCS_LOG_DEBUG, __VA_ARGS__)

#endif
