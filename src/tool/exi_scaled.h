/* The scaled numbers of the schemas: PhysicalValueType (DIN, ISO-2: Value x 10^Multiplier, with a Unit) and
 * RationalNumberType (ISO-20: Value x 10^Exponent). Host side. */
#ifndef CCSPLC_TOOL_EXI_SCALED_H
#define CCSPLC_TOOL_EXI_SCALED_H

#include <stdint.h>

#include "ccsplc/tools/exi_text.h"

struct exi_scaled {
    int value, exp, unit; /* field indices; unit is -1 when the type has none */
    int physical;         /* 1: the exponent is named Multiplier (PhysicalValueType), 0: Exponent */
};

/* 1 and *s when complex type ti is such a number (its members are Value and Multiplier or Exponent, and maybe a
 * Unit, nothing else), else 0. */
int exi_scaled_type(const struct exi_proto *p, uint16_t ti, struct exi_scaled *s);

/* Value and exponent of the instance at base. */
void exi_scaled_get(const struct exi_proto *p, const struct exi_scaled *s, const uint8_t *base, int64_t *value,
                    int *exp);

#endif
