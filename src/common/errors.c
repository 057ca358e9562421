/* Message table for the CCS_E* error codes. */
#include "ccsplc/core/errors.h"

const char *ccs_strerror(int err)
{
    switch (err) {
    case CCS_OK: return "ok";
    case CCS_EINVAL: return "invalid argument";
    case CCS_ETRUNC: return "input truncated";
    case CCS_ENOSPC: return "output buffer too small";
    case CCS_ECAP: return "more repetitions than the configured capacity";
    case CCS_EGRAMMAR: return "event not allowed by the grammar here";
    case CCS_ERANGE: return "value out of range";
    case CCS_EUNSUPP: return "unsupported construct";
    case CCS_EHEADER: return "bad header";
    case CCS_EPROTO: return "protocol violation";
    case CCS_ETIMEOUT: return "timeout";
    case CCS_ESTATE: return "not allowed in this state";
    case CCS_ECHECKSUM: return "checksum mismatch";
    case CCS_ENOTFOUND: return "not found";
    case CCS_EIO: return "I/O error";
    case CCS_ESYNTAX: return "syntax error";
    case CCS_EAGAIN: return "need more input";
    case CCS_ELENGTH: return "longer than the maximum length (schema maxLength or configured capacity)";
    case CCS_ERANDOM: return "no randomness (the random hook failed)";
    default: return "unknown error";
    }
}
