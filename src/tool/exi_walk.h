/* Iterating the present instances of a generated struct's fields, for the text tools. Host side. */
#ifndef CCSPLC_TOOL_EXI_WALK_H
#define CCSPLC_TOOL_EXI_WALK_H

#include <stdint.h>
#include <string.h>

#include "ccsplc/tools/exi_text.h"

/* Number of present instances of field f in the struct at base (0 or 1, or the array count). */
static inline unsigned exi_walk_count(const struct exi_field *f, const uint8_t *base)
{
    uint16_t n;
    switch (EXI_OP_PRESENCE(f->op)) {
    case EXI_P_FLAG: return base[f->presence] ? 1 : 0;
    case EXI_P_CHOICE: return base[f->presence] == f->choice;
    case EXI_P_ROOT:
        memcpy(&n, base + f->presence, sizeof n);
        return n == f->cap;
    case EXI_P_ARRAY:
        memcpy(&n, base + f->presence, sizeof n);
        return n < f->cap ? n : f->cap;
    default: return 1;
    }
}

/* Address of instance i of field f. */
static inline const uint8_t *exi_walk_item(const struct exi_proto *p, const struct exi_field *f,
                                           const uint8_t *base, unsigned i)
{
    return base + f->offset + (size_t)i * p->codec->types[f->type].size;
}

/* Index of the field of complex type ti named name (in namespace uri unless uri is NULL), or -1. */
int exi_walk_find_field(const struct exi_proto *p, uint16_t ti, const char *name, const char *uri, int role);

/* Mark field fi present in the struct at base and return where its (next) instance goes: NULL (with a CCS_E*
 * code and why) when it is given twice, is another alternative of a choice already made, or exceeds the
 * array's capacity. The root element of a zeroed document is claimed once. */
uint8_t *exi_walk_claim(const struct exi_proto *p, unsigned fi, uint8_t *base, int *rc, const char **why);

#endif
