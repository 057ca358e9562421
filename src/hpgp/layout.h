/* Field-descriptor tables that drive the generic HomePlug pack/unpack (one table per message kind). */
#ifndef CCSPLC_HPGP_LAYOUT_H
#define CCSPLC_HPGP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hpgp.h"

enum { HPGP_F_U8, HPGP_F_U16, HPGP_F_U32, HPGP_F_BYTES, HPGP_F_ARRAY, HPGP_F_REF };

/* One field: where it is on the wire (absolute frame offset) and in the payload struct. ARRAY copies
 * `count` bytes into an inline array of capacity `size`; REF points into the frame at `count` bytes, or
 * `count` records of `size` bytes when size is set; both take their count from the member at count_mem (of
 * width count_kind), which an earlier field of the table fills. */
typedef struct {
    uint8_t kind;
    uint8_t count_kind;
    uint16_t size;
    uint16_t wire;
    uint16_t mem;
    uint16_t count_mem;
} hpgp_field;

typedef struct {
    uint16_t mmtype;
    uint16_t wire_len;     /* nominal frame length before padding */
    uint8_t sel_off;       /* 0: none; else offset of a LE16 operation code that picks this layout */
    uint16_t sel_mask, sel_val;
    const hpgp_field *fields;
    uint8_t nfields;
    uint8_t mmv;           /* vendor messages: 0, or 1 for a header with FMI (VS_NW_INFO) */
} hpgp_layout;

#define HPGP_MEMBER_SIZE(T, m) sizeof(((T *)0)->m)
#define HPGP_FU8(w, T, m) { HPGP_F_U8, 0, 1, w, offsetof(T, m), 0 }
#define HPGP_FU16(w, T, m) { HPGP_F_U16, 0, 2, w, offsetof(T, m), 0 }
#define HPGP_FU32(w, T, m) { HPGP_F_U32, 0, 4, w, offsetof(T, m), 0 }
#define HPGP_FBYTES(w, T, m) { HPGP_F_BYTES, 0, HPGP_MEMBER_SIZE(T, m), w, offsetof(T, m), 0 }
#define HPGP_FARRAY(w, T, m, cnt) \
    { HPGP_F_ARRAY, HPGP_F_U8, HPGP_MEMBER_SIZE(T, m), w, offsetof(T, m), offsetof(T, cnt) }
#define HPGP_FREF(w, T, m, cnt, ck) { HPGP_F_REF, ck, 0, w, offsetof(T, m), offsetof(T, cnt) }
#define HPGP_FREF_RECORDS(w, T, m, cnt, ck, rec) { HPGP_F_REF, ck, rec, w, offsetof(T, m), offsetof(T, cnt) }
#define HPGP_LAYOUT(mmt, len, f) { mmt, len, 0, 0, 0, f, (uint8_t)(sizeof f / sizeof f[0]), 0 }
#define HPGP_LAYOUT_EMPTY(mmt, len) { mmt, len, 0, 0, 0, NULL, 0, 0 }
#define HPGP_LAYOUT_MMV1(mmt, len, f) { mmt, len, 0, 0, 0, f, (uint8_t)(sizeof f / sizeof f[0]), 1 }
#define HPGP_LAYOUT_EMPTY_MMV1(mmt, len) { mmt, len, 0, 0, 0, NULL, 0, 1 }
#define HPGP_LAYOUT_SEL(mmt, len, off, mask, val, f) \
    { mmt, len, off, mask, val, f, (uint8_t)(sizeof f / sizeof f[0]), 0 }

/* Kinds HPGP_K_SET_KEY_REQ .. HPGP_K_SLAC_MATCH_CNF (layouts_cm.c). */
#define HPGP_CM_KINDS (HPGP_K_SLAC_MATCH_CNF + 1)
extern const hpgp_layout hpgp_cm_layouts[HPGP_CM_KINDS];
/* Kinds HPGP_K_SW_VER_REQ .. HPGP_K_VS_SET_KEY_CNF (layouts_vs.c). */
extern const hpgp_layout hpgp_vs_layouts[HPGP_K_COUNT - HPGP_CM_KINDS];

/* The layout of a kind, or NULL. */
const hpgp_layout *hpgp_layout_of(hpgp_kind kind);

#endif
