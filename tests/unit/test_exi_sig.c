/* exi_sig_check, signature digests: in every signed message of the corpus (ISO-2, ISO-20) each Reference finds its
 * element by Id and encodes it as a fragment (the corpus carries dummy digests); a signed ISO-2 AuthorizationReq
 * (SHA-256) and ISO-20 PnC authorization (SHA-512) whose DigestValue is set from the typed fragment encoders match,
 * and no longer after a changed byte, with another Id, or without the algorithm. exi_sig_fragments (`ccsplc exi
 * fragment`) gives the bytes the typed encoders give: SignedInfo's xmldsig fragment, each Reference's element, and
 * ISO-2's eMAID in the relaxed grammar as the published vector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "ccsplc/tools/exi_sig.h"
#include "ccsplc/core/gen/iso2.h"
#include "ccsplc/core/gen/iso20.h"
#include "corpus.h"
#include "testutil.h"

static size_t digest(const char *algorithm, const uint8_t *data, size_t len, uint8_t out[EXI_SIG_DIGEST_MAX])
{
    if (!strcmp(algorithm, "http://www.w3.org/2001/04/xmlenc#sha256"))
        return SHA256(data, len, out) ? SHA256_DIGEST_LENGTH : 0;
    if (!strcmp(algorithm, "http://www.w3.org/2001/04/xmlenc#sha512"))
        return SHA512(data, len, out) ? SHA512_DIGEST_LENGTH : 0;
    return 0;
}

static size_t no_digest(const char *algorithm, const uint8_t *data, size_t len, uint8_t out[EXI_SIG_DIGEST_MAX])
{
    (void)algorithm, (void)data, (void)len, (void)out;
    return 0;
}

/* The first corpus line of file with this message (and a signature when sig), decoded into doc. */
static void corpus_line(const char *file, const char *proto, const char *msg, int sig, void *doc)
{
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared(file), &lines, &n);
    assert_non_null(buf);
    static uint8_t bin[65536];
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(lines[i].proto, proto) || strcmp(lines[i].message, msg) ||
            (sig && !strstr(lines[i].fields, "Signature.")))
            continue;
        long len = tu_hex2bin(lines[i].hex, bin, sizeof bin);
        assert_int_equal(exi_decode(exi_proto_find(proto)->codec, bin, (size_t)len, doc), 0);
        found = 1;
    }
    free(lines);
    free(buf);
    assert_true(found);
}

static void corpus_file(const char *file, unsigned *signed_msgs)
{
    struct corpus_line *lines;
    size_t n;
    char *buf = corpus_load(tu_shared(file), &lines, &n);
    assert_non_null(buf);
    uint8_t *bin = malloc(65536);
    for (size_t i = 0; i < n; i++) {
        const struct exi_proto *p = exi_proto_find(lines[i].proto);
        if (!p)
            continue;
        void *doc = malloc(p->doc_size);
        long len = tu_hex2bin(lines[i].hex, bin, 65536);
        assert_true(len > 0);
        assert_int_equal(exi_decode(p->codec, bin, (size_t)len, doc), 0);
        exi_sig_ref refs[4];
        int nref = exi_sig_check(p, doc, digest, refs, 4);
        assert_int_equal(nref > 0, strstr(lines[i].fields, "Signature.SignedInfo.Reference") != NULL);
        *signed_msgs += nref > 0;
        for (int k = 0; k < nref && k < 4; k++) {
            if (!refs[k].element || !refs[k].encoded)
                fail_msg("%s line %d %s: Reference %s: element %s, encoded %d", file, lines[i].lineno,
                         lines[i].message, refs[k].uri, refs[k].element ? refs[k].element : "none", refs[k].encoded);
            assert_int_equal(refs[k].digest_len, strcmp(p->name, "iso2") ? 64 : 32);
        }
        free(doc);
    }
    free(bin);
    free(lines);
    free(buf);
}

static void corpus(void **state)
{
    (void)state;
    unsigned msgs = 0;
    corpus_file("corpus/iso2.tsv", &msgs);
    assert_true(msgs >= 13);
    corpus_file("corpus/iso20.tsv", &msgs);
    assert_true(msgs >= 24);
}

typedef struct {
    int calls;
    const char *uri[3], *element[3];
    uint8_t bytes[3][8192];
    size_t len[3];
} listed;

static void collect(void *ctx, const char *uri, const char *element, const uint8_t *fragment, size_t len)
{
    listed *l = ctx;
    assert_true(l->calls < 3);
    l->uri[l->calls] = uri;
    l->element[l->calls] = element;
    l->len[l->calls] = fragment ? len : 0;
    if (fragment)
        memcpy(l->bytes[l->calls], fragment, len);
    l->calls++;
}

/* exi_sig_fragments lists SignedInfo and each Reference's element: n References; call i has element el and the
 * bytes want[wlen] (wlen 0: no fragment). */
static void expect_listed(const listed *l, int i, const char *uri, const char *el, const uint8_t *want, size_t wlen)
{
    if (uri)
        assert_string_equal(l->uri[i], uri);
    else
        assert_null(l->uri[i]);
    if (el)
        assert_string_equal(l->element[i], el);
    else
        assert_null(l->element[i]);
    assert_int_equal(l->len[i], wlen);
    assert_memory_equal(l->bytes[i], want, wlen);
}

/* One Reference: checked, ok as expected. */
static void expect(const struct exi_proto *p, const void *doc, const char *element, int ok)
{
    exi_sig_ref ref;
    assert_int_equal(exi_sig_check(p, doc, digest, &ref, 1), 1);
    if (element)
        assert_string_equal(ref.element, element);
    else
        assert_null(ref.element);
    assert_int_equal(ref.ok, ok);
}

static void iso2_authorization(void **state)
{
    (void)state;
    const struct exi_proto *p = exi_proto_find("iso2");
    struct iso2_exiDocument *doc = malloc(sizeof *doc);
    struct iso2_exiFragment *frag = calloc(1, sizeof *frag);
    corpus_line("corpus/iso2.tsv", "iso2", "AuthorizationReq", 1, doc);
    struct iso2_AuthorizationReqType *a = &doc->V2G_Message.Body.AuthorizationReq;
    struct iso2_ReferenceType *r = &doc->V2G_Message.Header.Signature.SignedInfo.Reference.array[0];
    frag->root = ISO2_FRAG_AuthorizationReq;
    frag->AuthorizationReq = *a;
    uint8_t bytes[1024];
    size_t len;
    assert_int_equal(iso2_encode_fragment(frag, bytes, sizeof bytes, &len), 0);
    r->DigestValue.len = SHA256_DIGEST_LENGTH;
    SHA256(bytes, len, r->DigestValue.bytes);
    expect(p, doc, "AuthorizationReq", 1);
    a->GenChallenge.bytes[0] ^= 1;
    expect(p, doc, "AuthorizationReq", 0);
    a->GenChallenge.bytes[0] ^= 1;
    a->Id.chars[0] ^= 1;
    expect(p, doc, NULL, 0);
    a->Id.chars[0] ^= 1;
    exi_sig_ref ref;
    assert_int_equal(exi_sig_check(p, doc, no_digest, &ref, 1), 1);
    assert_false(ref.ok);
    assert_int_equal(ref.digest_len, 0);
    free(frag);
    free(doc);
}

static void iso20_authorization(void **state)
{
    (void)state;
    const struct exi_proto *p = exi_proto_find("iso20-common");
    struct iso20_exiDocument *doc = malloc(sizeof *doc);
    struct iso20_exiFragment *frag = calloc(1, sizeof *frag);
    corpus_line("corpus/iso20.tsv", "iso20-common", "AuthorizationReq", 1, doc);
    struct iso20_PnC_AReqAuthorizationModeType *m = &doc->AuthorizationReq.PnC_AReqAuthorizationMode;
    struct iso20_ReferenceType *r = &doc->AuthorizationReq.Header.Signature.SignedInfo.Reference.array[0];
    frag->root = ISO20_FRAG_PnC_AReqAuthorizationMode;
    frag->PnC_AReqAuthorizationMode = *m;
    static uint8_t bytes[8192];
    size_t len;
    assert_int_equal(iso20_encode_fragment(frag, bytes, sizeof bytes, &len), 0);
    r->DigestValue.len = SHA512_DIGEST_LENGTH;
    SHA512(bytes, len, r->DigestValue.bytes);
    expect(p, doc, "PnC_AReqAuthorizationMode", 1);
    struct iso20_xmldsigFragment *dsig = calloc(1, sizeof *dsig);   /* what `ccsplc exi fragment` prints */
    static uint8_t sb[1024];
    static listed l;
    size_t sn;
    dsig->root = ISO20_DSIG_SignedInfo;
    dsig->SignedInfo = doc->AuthorizationReq.Header.Signature.SignedInfo;
    assert_int_equal(iso20_encode_xmldsig_fragment(dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(exi_sig_fragments(p, doc, collect, &l), 1);
    expect_listed(&l, 0, NULL, "SignedInfo", sb, sn);
    expect_listed(&l, 1, r->URI.chars, "PnC_AReqAuthorizationMode", bytes, len);
    free(dsig);
    m->GenChallenge.bytes[3] ^= 0x80;
    expect(p, doc, "PnC_AReqAuthorizationMode", 0);
    free(frag);
    free(doc);
}

static void fragments(void **state)
{
    (void)state;
    const struct exi_proto *p = exi_proto_find("iso2");
    struct iso2_exiDocument *doc = malloc(sizeof *doc);
    struct iso2_exiFragment *frag = calloc(1, sizeof *frag);
    struct iso2_xmldsigFragment *dsig = calloc(1, sizeof *dsig);
    static listed l;
    corpus_line("corpus/iso2.tsv", "iso2", "AuthorizationReq", 1, doc);
    frag->root = ISO2_FRAG_AuthorizationReq;
    frag->AuthorizationReq = doc->V2G_Message.Body.AuthorizationReq;
    dsig->root = ISO2_DSIG_SignedInfo;
    dsig->SignedInfo = doc->V2G_Message.Header.Signature.SignedInfo;
    uint8_t fb[1024], sb[1024];
    size_t fn, sn;
    assert_int_equal(iso2_encode_fragment(frag, fb, sizeof fb, &fn), 0);
    assert_int_equal(iso2_encode_xmldsig_fragment(dsig, sb, sizeof sb, &sn), 0);
    assert_int_equal(exi_sig_fragments(p, doc, collect, &l), 1);
    assert_int_equal(l.calls, 2);
    expect_listed(&l, 0, NULL, "SignedInfo", sb, sn);
    expect_listed(&l, 1, "#ID1", "AuthorizationReq", fb, fn);
    doc->V2G_Message.Body.AuthorizationReq.Id.chars[0] ^= 1;   /* the Reference names nothing now */
    memset(&l, 0, sizeof l);
    assert_int_equal(exi_sig_fragments(p, doc, collect, &l), 1);
    expect_listed(&l, 1, "#ID1", NULL, fb, 0);
    doc->V2G_Message.Header.has_Signature = false;
    memset(&l, 0, sizeof l);
    assert_int_equal(exi_sig_fragments(p, doc, collect, &l), 0);
    assert_int_equal(l.calls, 0);
    free(dsig);
    free(frag);
    free(doc);
}

/* ISO-2's eMAID in CertificateInstallationRes (EMAIDType) goes through the relaxed element fragment grammar: the
 * published vector of EVerest/cbexigen issue #60 (docs/exi.md), byte for byte. */
static void fragments_relaxed(void **state)
{
    (void)state;
    static const char id[] = "id4", emaid[] = "DEABCC123ABC56";
    static const uint8_t want[] = {0x80, 0xec, 0x02, 0x02, 0xb4, 0xb2, 0x1a, 0x40, 0x04, 0x11, 0x11, 0x50, 0x50,
                                   0x90, 0xd0, 0xcc, 0x4c, 0x8c, 0xd0, 0x50, 0x90, 0xcd, 0x4d, 0xbd, 0x3d, 0x00};
    struct iso2_exiDocument *doc = malloc(sizeof *doc);
    static listed l;
    corpus_line("corpus/iso2.tsv", "iso2", "CertificateInstallationRes", 0, doc);
    struct iso2_EMAIDType *e = &doc->V2G_Message.Body.CertificateInstallationRes.eMAID;
    e->Id.len = (uint16_t)strlen(id);
    memcpy(e->Id.chars, id, sizeof id);
    e->CONTENT.len = (uint16_t)strlen(emaid);
    memcpy(e->CONTENT.chars, emaid, sizeof emaid);
    struct iso2_SignatureType *sg = &doc->V2G_Message.Header.Signature;
    memset(sg, 0, sizeof *sg);
    doc->V2G_Message.Header.has_Signature = true;
    sg->SignedInfo.Reference.count = 1;
    memcpy(sg->SignedInfo.Reference.array[0].URI.chars, "#id4", 5);
    sg->SignedInfo.Reference.array[0].URI.len = 4;
    sg->SignedInfo.Reference.array[0].has_URI = true;
    assert_int_equal(exi_sig_fragments(exi_proto_find("iso2"), doc, collect, &l), 1);
    expect_listed(&l, 1, "#id4", "eMAID", want, sizeof want);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus),
        cmocka_unit_test(iso2_authorization),
        cmocka_unit_test(iso20_authorization),
        cmocka_unit_test(fragments),
        cmocka_unit_test(fragments_relaxed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
