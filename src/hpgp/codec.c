/* Generic pack/unpack of HomePlug management messages, driven by the field tables in layouts_*.c. */
#include <string.h>

#include "ccsplc/core/errors.h"
#include "header.h"
#include "layout.h"
#include "wire.h"

const hpgp_layout *hpgp_layout_of(hpgp_kind kind)
{
    if ((unsigned)kind < HPGP_CM_KINDS) return &hpgp_cm_layouts[kind];
    if ((unsigned)kind < HPGP_K_COUNT) return &hpgp_vs_layouts[kind - HPGP_CM_KINDS];
    return NULL;
}

uint16_t hpgp_kind_mmtype(hpgp_kind kind)
{
    const hpgp_layout *l = hpgp_layout_of(kind);
    return l ? l->mmtype : 0;
}

static uint32_t count_of(const hpgp_field *f, const uint8_t *base)
{
    return f->count_kind == HPGP_F_U16 ? *(const uint16_t *)(const void *)(base + f->count_mem)
                                       : base[f->count_mem];
}

/* Bytes a field occupies on the wire, given the counts already in the struct. */
static uint32_t wire_size(const hpgp_field *f, const uint8_t *base)
{
    if (f->kind == HPGP_F_REF) return count_of(f, base) * (f->size ? f->size : 1u); /* records of `size` bytes */
    return f->kind == HPGP_F_ARRAY ? count_of(f, base) : f->size;
}

static int unpack_field(const hpgp_field *f, const uint8_t *frame, size_t len, uint8_t *base)
{
    uint32_t n = wire_size(f, base);
    if (f->kind == HPGP_F_ARRAY && n > f->size) return CCS_ECAP;
    if ((size_t)f->wire + n > len) return CCS_ETRUNC;
    const uint8_t *p = frame + f->wire;
    uint8_t *m = base + f->mem;
    switch (f->kind) {
    case HPGP_F_U8: *m = *p; break;
    case HPGP_F_U16: *(uint16_t *)(void *)m = wire_le16(p); break;
    case HPGP_F_U32: *(uint32_t *)(void *)m = wire_le32(p); break;
    case HPGP_F_REF: *(const uint8_t **)(void *)m = p; break;
    default: memcpy(m, p, n); break;
    }
    return 0;
}

static int layout_matches(const hpgp_layout *l, const hpgp_header *h, const uint8_t *frame, size_t len)
{
    if (l->mmtype != h->mmtype) return 0;
    if (hpgp_is_vendor_mmtype(l->mmtype) && (h->mmv >= 1) != l->mmv) return 0; /* the payload would be elsewhere */
    if (!l->sel_off) return 1;
    return (size_t)l->sel_off + 2 <= len && (wire_le16(frame + l->sel_off) & l->sel_mask) == l->sel_val;
}

int hpgp_unpack(const uint8_t *frame, size_t len, hpgp_msg *msg)
{
    if (!frame || !msg) return CCS_EINVAL;
    memset(msg, 0, sizeof *msg);
    if (len > HPGP_MAX_FRAME) return CCS_ERANGE; /* no Ethernet frame is longer: nothing we could answer */
    int rc = hpgp_parse_header(frame, len, &msg->hdr);
    if (rc) return rc;
    if (hpgp_is_vendor_mmtype(msg->hdr.mmtype) && memcmp(msg->hdr.oui, hpgp_qualcomm_oui, 3) != 0)
        return CCS_EUNSUPP;
    frame += msg->hdr.tag_len; /* the layouts' offsets are those of an untagged frame (fields start at 17) */
    len -= msg->hdr.tag_len;
    for (int k = 0; k < HPGP_K_COUNT; k++) {
        const hpgp_layout *l = hpgp_layout_of((hpgp_kind)k);
        if (!layout_matches(l, &msg->hdr, frame, len)) continue;
        msg->kind = (hpgp_kind)k;
        for (unsigned i = 0; i < l->nfields; i++) {
            rc = unpack_field(&l->fields[i], frame, len, (uint8_t *)&msg->u);
            if (rc) return rc;
        }
        return 0;
    }
    return CCS_EUNSUPP;
}

static int pack_field(const hpgp_field *f, uint8_t *frame, const uint8_t *base)
{
    uint8_t *p = frame + f->wire;
    const uint8_t *m = base + f->mem;
    switch (f->kind) {
    case HPGP_F_U8: *p = *m; break;
    case HPGP_F_U16: wire_put_le16(p, *(const uint16_t *)(const void *)m); break;
    case HPGP_F_U32: wire_put_le32(p, *(const uint32_t *)(const void *)m); break;
    case HPGP_F_REF: {
        uint32_t n = wire_size(f, base);
        const uint8_t *src = *(const uint8_t *const *)(const void *)m;
        if (n && !src) return CCS_EINVAL;
        if (n) memcpy(p, src, n);
        break;
    }
    default: memcpy(p, m, wire_size(f, base)); break;
    }
    return 0;
}

int hpgp_pack(const hpgp_msg *msg, uint8_t *buf, size_t cap, size_t *len)
{
    if (!msg || !buf || !len) return CCS_EINVAL;
    const hpgp_layout *l = hpgp_layout_of(msg->kind);
    if (!l) return CCS_EINVAL;
    const uint8_t *base = (const uint8_t *)&msg->u;
    size_t end = l->wire_len < HPGP_MIN_FRAME ? HPGP_MIN_FRAME : l->wire_len;
    for (unsigned i = 0; i < l->nfields; i++) {
        const hpgp_field *f = &l->fields[i];
        if (f->kind == HPGP_F_ARRAY && count_of(f, base) > f->size) return CCS_ECAP;
        size_t e = (size_t)f->wire + wire_size(f, base);
        if (e > end) end = e;
    }
    if (end > cap) return CCS_ENOSPC;
    memset(buf, 0, end);
    hpgp_write_header(buf, msg->hdr.dst, msg->hdr.src, l->mmtype, l->mmv);
    for (unsigned i = 0; i < l->nfields; i++) {
        int rc = pack_field(&l->fields[i], buf, base);
        if (rc) return rc;
    }
    *len = end;
    return 0;
}
