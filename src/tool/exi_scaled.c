/* Which complex types are scaled numbers (PhysicalValueType, RationalNumberType) and their value. Host side. */
#include "exi_scaled.h"

#include <string.h>

#include "exi/values.h"

int exi_scaled_type(const struct exi_proto *p, uint16_t ti, struct exi_scaled *s)
{
    const struct exi_type *t = &p->codec->types[ti];
    *s = (struct exi_scaled){-1, -1, -1, 0};
    if (t->kind != EXI_K_COMPLEX)
        return 0;
    for (unsigned i = 0; i < t->nfields; i++) {
        unsigned fi = t->first + i;
        const char *n = p->meta->field_names[fi];
        if (!strcmp(n, "Value"))
            s->value = (int)fi;
        else if (!strcmp(n, "Multiplier") || !strcmp(n, "Exponent")) {
            s->exp = (int)fi;
            s->physical = n[0] == 'M';
        } else if (!strcmp(n, "Unit"))
            s->unit = (int)fi;
        else
            return 0;
    }
    return s->value >= 0 && s->exp >= 0 && (s->physical || s->unit < 0);
}

void exi_scaled_get(const struct exi_proto *p, const struct exi_scaled *s, const uint8_t *base, int64_t *value,
                    int *exp)
{
    const struct exi_field *fv = &p->codec->fields[s->value], *fe = &p->codec->fields[s->exp];
    const struct exi_type *tv = &p->codec->types[fv->type], *te = &p->codec->types[fe->type];
    *value = exi_load_int(base + fv->offset, tv->size, tv->is_signed || tv->kind == EXI_K_INT);
    *exp = (int)exi_load_int(base + fe->offset, te->size, 1);
}
