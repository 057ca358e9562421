/* Shared by the EXI fuzz targets: the first input byte selects the codec (order below = fuzz/make_seeds.sh),
 * the rest is the EXI stream; one zeroed document buffer per codec, reused across runs. The grammar lives in
 * tables, so edge coverage says little: the state where a decode stopped is fed back as extra coverage. */
#ifndef CCSPLC_FUZZ_EXI_H
#define CCSPLC_FUZZ_EXI_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ccsplc/core/exi.h"
#include "ccsplc/core/gen/app.h"
#include "ccsplc/core/gen/din.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/gen/iso20.h"
#include "ccsplc/core/gen/iso20_ac.h"
#include "ccsplc/core/gen/iso20_acdp.h"
#include "ccsplc/core/gen/iso20_dc.h"
#include "ccsplc/core/gen/iso20_wpt.h"

/* A codec and one of its top-level grammars: the document, or a signature fragment. */
struct fuzz_codec {
    const struct exi_codec *codec;
    size_t doc_size;
    int grammar; /* 0 document, 1 signed-element fragment, 2 SignedInfo xmldsig fragment */
};

static const struct fuzz_codec fuzz_codecs[] = {
    {&app_codec, sizeof(struct app_exiDocument), 0},             /* 0 app */
    {&din_codec, sizeof(struct din_exiDocument), 0},             /* 1 din */
    {&iso2_codec, sizeof(struct iso2_exiDocument), 0},           /* 2 iso2 */
    {&iso20_codec, sizeof(struct iso20_exiDocument), 0},         /* 3 iso20-common */
    {&iso20_dc_codec, sizeof(struct iso20_dc_exiDocument), 0},   /* 4 iso20-dc */
    {&iso20_ac_codec, sizeof(struct iso20_ac_exiDocument), 0},   /* 5 iso20-ac */
    {&iso20_acdp_codec, sizeof(struct iso20_acdp_exiDocument), 0}, /* 6 iso20-acdp */
    {&iso20_wpt_codec, sizeof(struct iso20_wpt_exiDocument), 0}, /* 7 iso20-wpt */
    {&iso2_codec, sizeof(struct iso2_exiFragment), 1},           /* 8 iso2 signed elements */
    {&iso2_codec, sizeof(struct iso2_xmldsigFragment), 2},       /* 9 iso2 SignedInfo */
    {&iso20_codec, sizeof(struct iso20_exiFragment), 1},         /* 10 iso20-common signed elements */
    {&iso20_codec, sizeof(struct iso20_xmldsigFragment), 2},     /* 11 iso20-common SignedInfo */
};

/* The type index of codec i's grammar. */
static inline uint16_t fuzz_type(int i)
{
    const struct exi_codec *c = fuzz_codecs[i].codec;
    return fuzz_codecs[i].grammar == 0 ? c->doc_type : fuzz_codecs[i].grammar == 1 ? c->frag_type : c->dsig_type;
}

static inline int fuzz_encode(int i, const void *doc, uint8_t *out, size_t cap, size_t *len)
{
    return exi_encode_type(fuzz_codecs[i].codec, fuzz_type(i), doc, out, cap, len, NULL);
}
#define FUZZ_NCODECS (sizeof fuzz_codecs / sizeof fuzz_codecs[0])

/* Takes the selector byte off the input; returns the codec index, or -1 when the input is empty. */
static inline int fuzz_pick(const uint8_t **data, size_t *size)
{
    if (*size < 1)
        return -1;
    int i = (int)((*data)[0] % FUZZ_NCODECS);
    ++*data;
    --*size;
    return i;
}

/* The document buffer number slot (0 or 1) of codec i, zeroed once, reused across runs. */
static inline void *fuzz_doc(int i, unsigned slot)
{
    static void *docs[FUZZ_NCODECS][2];
    if (!docs[i][slot] && !(docs[i][slot] = calloc(1, fuzz_codecs[i].doc_size)))
        abort();
    return docs[i][slot];
}

/* libFuzzer's extra coverage counters: one per (codec, grammar state where decoding failed). */
#define FUZZ_STATES 1024
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t fuzz_state_hit[FUZZ_NCODECS][FUZZ_STATES];

/* exi_decode, plus the coverage signal. */
static inline int fuzz_decode(int i, const uint8_t *data, size_t size, void *doc)
{
    struct exi_error err;
    int rc = exi_decode_type(fuzz_codecs[i].codec, fuzz_type(i), data, size, doc, &err);
    if (rc)
        fuzz_state_hit[i][err.state % FUZZ_STATES]++;
    return rc;
}

#endif
