/* Error codes shared by every ccsplc module: functions return 0 or a negative CCS_E* value. */
#ifndef CCSPLC_ERRORS_H
#define CCSPLC_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
    CCS_OK = 0,
    CCS_EINVAL = -1,      /* invalid argument */
    CCS_ETRUNC = -2,      /* input ends before the structure does */
    CCS_ENOSPC = -3,      /* output buffer too small */
    CCS_ECAP = -4,        /* more repetitions than the configured capacity */
    CCS_EGRAMMAR = -5,    /* event code not allowed by the grammar at this point */
    CCS_ERANGE = -6,      /* value outside the type's range */
    CCS_EUNSUPP = -7,     /* valid but unsupported construct (e.g. wildcard content) */
    CCS_EHEADER = -8,     /* bad header (EXI header, V2GTP header, HomePlug header) */
    CCS_EPROTO = -9,      /* message not valid for this protocol or state */
    CCS_ETIMEOUT = -10,   /* a protocol timer expired */
    CCS_ESTATE = -11,     /* operation not allowed in the current state */
    CCS_ECHECKSUM = -12,  /* checksum mismatch */
    CCS_ENOTFOUND = -13,  /* item not found */
    CCS_EIO = -14,        /* I/O failure (platform layer only) */
    CCS_ESYNTAX = -15,    /* text input does not parse (XML, INI, hex) */
    CCS_EAGAIN = -16,     /* need more input */
    CCS_ELENGTH = -17,    /* string or binary longer than its maximum length (schema or configured capacity) */
    CCS_ERANDOM = -18,    /* the random hook gave no randomness (keys, RunIDs, nonces, SessionIDs) */
};

/* A short human-readable description of a CCS_E* code (never NULL). */
const char *ccs_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
