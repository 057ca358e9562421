/* The decoder's event loop, included twice by codec.c (a copy each, with its own dispatch table): DEC_WALK names
 * the function; DEC_TRACK 1 keeps what an error report needs (the event's state and field, and the `used` bits
 * of it read, to work out its start position) and reports into d->err, DEC_TRACK 0 only returns the error code
 * and has fewer values to keep in registers. One event per turn: the state's event code, its production, then
 * the field's op byte decides the rest. */
static int DEC_WALK(struct dec *d)
{
    uint8_t *base = d->doc;
    const struct exi_codec *c = d->c;
    const struct exi_prod *prods = c->prods;
    const struct exi_field *fields = c->fields;
    const struct exi_type *types = c->types;
    const uint8_t *buf = d->r.buf;
    size_t nbytes = d->r.nbytes, next, at;
    uint64_t win;
    unsigned avail, depth = 0, used;
    const struct exi_field *f; /* the event's field (for an error report: NULL before it is known) */
    int rc;
    R_LOAD();
    struct dec_frame stack[EXI_MAX_DEPTH], top = {NULL, 0}; /* top: the innermost open element's parent frame,
                                                               * stack[depth - 1] the one below it */
    clear_presence(c, &types[d->type], base);
    uint16_t s = types[d->type].aux;
    for (;;) {
        if (s == EXI_STATE_EE && avail && !R_PEEK(1)) { /* EE, the one event this state allows (else: below) */
            R_SKIP(1);
            goto end_element;
        }
        const struct exi_prod *head = &prods[EXI_STATE_POS(s)];
        unsigned w = EXI_STATE_WIDTH(s); /* not head->next: the code is read while the header loads */
        uint32_t code = 0;
        used = 0;
        if (w) {
            if (!R_NEED(w)) {
                f = NULL;
                rc = CCS_ETRUNC;
                goto fail;
            }
            code = R_PEEK(w);
            R_SKIP(w);
            used = w;
        }
        if (code >= head->field) {
            f = NULL;
            rc = code == head->field ? CCS_EUNSUPP : CCS_EGRAMMAR;
            goto fail;
        }
        const struct exi_prod *pr = &head[1 + code];
        unsigned word = pr->field;
        if (word >= EXI_PROD_SPECIAL) { /* end element, or something this codec refuses */
            if (word == EXI_PROD_EE) {
end_element:
                if (!depth) {
                    R_SAVE();
                    return 0;
                }
                depth--;
                base = top.base; /* the parent's frame from registers: its loads are off the event chain */
                s = top.s;
                top = stack[depth];
                continue;
            }
            rc = word >= EXI_PROD_ROOT ? CCS_EUNSUPP : CCS_ECAP;
            f = word >= EXI_PROD_ROOT ? NULL : &fields[EXI_PROD_FIELD(word)];
            goto fail;
        }
        f = &fields[EXI_PROD_FIELD(word)];
        unsigned op = f->op;
        uint8_t *dst = base + f->offset;
        const struct exi_type *t = &types[f->type];
        unsigned lim; /* the handler's: the largest fixed-width code, or an integer's sign bits */
        if (op >> 5) {
            if (EXI_OP_PRESENCE(op) == EXI_P_FLAG) {
                base[f->presence] = 1;
            } else if (EXI_OP_PRESENCE(op) == EXI_P_ARRAY) {
                uint16_t n = load_u16(base + f->presence);
                if (n >= f->cap) {
                    rc = CCS_ECAP;
                    goto fail;
                }
                dst += (size_t)n * t->size;
                store_u16(base + f->presence, (uint16_t)(n + 1));
            } else if (EXI_OP_PRESENCE(op) == EXI_P_CHOICE) {
                base[f->presence] = f->choice;
            } else { /* EXI_P_ROOT */
                store_u16(base + f->presence, f->cap);
            }
        }
        s = pr->next;
        DISPATCH(op);
        switch (EXI_OP_HANDLER(op)) {
        case EXI_OP_COMPLEX:
        HANDLER(h_complex)
            if (depth >= EXI_MAX_DEPTH) {
                R_SAVE();
                return DEC_TRACK ? fail(d->err, CCS_EUNSUPP, exi_reader_pos(&d->r), EXI_STATE_POS(t->aux), 0xFFFF)
                             : CCS_EUNSUPP;
            }
            stack[depth] = top;
            top.base = base;
            if (EXI_PROD_NIB(word) == EXI_NIB_CHILD) { /* s is the element's start state already */
                top.s = f->step;
            } else {
                top.s = (uint16_t)s;
                s = f->step;
            }
            depth++;
            base = dst;
            clear_presence(c, t, base);
            continue;
        case EXI_OP_ENUM:
        HANDLER(h_enum)
            lim = t->aux - 1u; /* aux literals */
            goto fixed;
        case EXI_OP_NBIT:
        HANDLER(h_nbit)
            lim = t->aux; /* max - min */
        fixed: { /* CH, the fixed-width value and EE in one read */
            unsigned vw = EXI_PROD_NIB(word); /* CH, value, EE: from the production, not the field's row */
            if (!R_NEED(vw)) {
                rc = CCS_ETRUNC;
                goto fail;
            }
            uint32_t v = R_PEEK(vw);
            R_SKIP(vw);
            used += vw;
            /* CH 0 and the value in range (a CH of 1 puts it past any range of vw - 2 bits), EE 0 */
            if (v > lim << 1 || (v & 1u)) {
                rc = v >> (vw - 1) || (v & 1u) ? CCS_EUNSUPP : CCS_ERANGE;
                goto fail;
            }
            v >>= 1;
            /* NBIT storage holds the schema's whole range (tools/exigen), so min + v fits it */
            exi_store_int(dst, 1u << EXI_OP_LOG2(op), (uint64_t)((int64_t)t->min + v));
            continue;
        }
        case EXI_OP_UINT:
        HANDLER(h_uint)
            lim = 0; /* no sign bit */
            goto integer;
        case EXI_OP_INT:
        HANDLER(h_int)
            lim = 1;
        integer:
            if (R_NEED(19)) {
                /* Most integers take one or two 7-bit groups: CH, [sign], the groups and EE in one read.
                 * Bits, most significant first: CH, sign (INT only), group 1, [group 2], EE. */
                unsigned sb = lim, lg = EXI_OP_LOG2(op);
                uint32_t v = R_PEEK(18 + sb);
                unsigned g1 = v >> 9 & 0xFFu, g2 = v >> 1 & 0xFFu, neg = sb & (v >> 17);
                uint64_t u;
                if (v >> (17 + sb)) {
                    u = ~(uint64_t)0; /* CH is not 0: the general path refuses it */
                } else if (!(g1 & 0x80u) && !(v & 0x100u)) {
                    R_SKIP(10 + sb);
                    used += 10 + sb;
                    u = g1;
                } else if ((g1 & 0x80u) && !(g2 & 0x80u) && !(v & 1u)) {
                    R_SKIP(18 + sb);
                    used += 18 + sb;
                    u = (g1 & 0x7Fu) | g2 << 7;
                } else {
                    u = ~(uint64_t)0;
                }
                if (u != ~(uint64_t)0) { /* at most 14 bits: a range check only for 1-byte storage */
                    uint64_t x = neg ? ~u : u;
                    if (lg == 0 && (sb ? (int64_t)x < -128 || (int64_t)x > 127 : u > 255)) {
                        rc = CCS_ERANGE;
                        goto fail;
                    }
                    exi_store_int(dst, 1u << lg, x);
                    continue;
                }
            }
            /* fall through - longer, too close to the end, or another shape: the general path */
        case EXI_OP_ELEM:
        HANDLER(h_elem)
            if (t->kind == EXI_K_BINARY && R_NEED(9)) {
                /* a binary of fewer than 128 bytes (SessionID, EVCCID): CH and the length in one read, then the
                 * bytes (four per read), when the stream holds all of it and EE */
                uint32_t n = R_PEEK(9);
                if (n <= t->aux && n < 0x80u && (nbytes - next) * 8 + avail >= 10 + 8 * n) {
                    uint8_t *b = dst + sizeof(uint16_t);
                    uint32_t k = 0;
                    R_SKIP(9);
                    for (; k + 4 <= n; k += 4) {
                        (void)R_NEED(32);
                        exi_store_be32(b + k, R_PEEK(32));
                        R_SKIP(32);
                    }
                    for (; k < n; k++) {
                        (void)R_NEED(8);
                        b[k] = (uint8_t)R_PEEK(8);
                        R_SKIP(8);
                    }
                    (void)R_NEED(1);
                    if (!R_PEEK(1)) {
                        R_SKIP(1);
                        store_u16(dst, (uint16_t)n);
                        continue;
                    }
                    rc = CCS_EUNSUPP; /* EE is not 0 (reported at the event's start, as the general path does) */
                    used += 9 + 8 * n;
                    goto fail;
                }
            }
            R_SAVE();
            at = DEC_TRACK ? exi_reader_pos(&d->r) - used : 0;
            rc = dec_simple_general(d, t, dst);
            R_LOAD();
            break;
        default: /* EXI_OP_VALUE, EXI_OP_CONTENT */
        HANDLER(h_value)
            R_SAVE();
            at = DEC_TRACK ? exi_reader_pos(&d->r) - used : 0;
            rc = exi_value_decode(&d->r, t, dst);
            R_LOAD();
            break;
        }
        if (rc)
            return DEC_TRACK ? fail(d->err, rc, at, (uint16_t)(head - prods), (uint16_t)(f - fields)) : rc;
        continue;
fail:
        R_SAVE();
        return DEC_TRACK ? fail(d->err, rc, exi_reader_pos(&d->r) - used, (uint16_t)(head - prods),
                            f ? (uint16_t)(f - fields) : 0xFFFF)
                     : rc;
    }
}
