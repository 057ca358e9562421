/* Signature digests of ISO-2 and ISO-20 messages (exi_sig_check): each Reference's element encoded as an EXI
 * fragment and hashed with its DigestMethod (GLib's SHA-256 / SHA-512), shown under the message and flagged when it
 * differs from the DigestValue or names no element. */
#include <string.h>

#include <epan/expert.h>
#include <epan/proto.h>

#include "ccsplc/tools/exi_sig.h"
#include "v2g.h"

#define MAX_REFS 4

static int hf_ref = -1, hf_element = -1, hf_digest = -1, hf_ok = -1, hf_fragment_len = -1;
static gint ett_sig = -1;
static expert_field ei_mismatch = EI_INIT, ei_no_element = EI_INIT, ei_algorithm = EI_INIT;

static size_t digest(const char *algorithm, const uint8_t *data, size_t len, uint8_t out[EXI_SIG_DIGEST_MAX])
{
    static const struct {
        const char *uri;
        GChecksumType type;
    } algs[] = {{"http://www.w3.org/2001/04/xmlenc#sha256", G_CHECKSUM_SHA256},
                {"http://www.w3.org/2001/04/xmlenc#sha512", G_CHECKSUM_SHA512}};
    for (size_t i = 0; i < G_N_ELEMENTS(algs); i++) {
        if (strcmp(algorithm, algs[i].uri))
            continue;
        GChecksum *c = g_checksum_new(algs[i].type);
        gsize n = EXI_SIG_DIGEST_MAX;
        g_checksum_update(c, data, (gssize)len);
        g_checksum_get_digest(c, out, &n);
        g_checksum_free(c);
        return n;
    }
    return 0;
}

void v2g_sig_register(void)
{
    static hf_register_info hf[] = {
        {&hf_ref, {"Signed reference", "v2g.signature.reference", FT_STRING, BASE_NONE, NULL, 0,
                   "URI of a Reference of the header's SignedInfo", HFILL}},
        {&hf_element, {"Signed element", "v2g.signature.element", FT_STRING, BASE_NONE, NULL, 0,
                       "The element the Reference names by its Id", HFILL}},
        {&hf_fragment_len, {"EXI fragment length", "v2g.signature.fragment_length", FT_UINT32, BASE_DEC, NULL, 0,
                            "Bytes of the element encoded as an EXI fragment (what is digested)", HFILL}},
        {&hf_digest, {"Digest", "v2g.signature.digest", FT_BYTES, BASE_NONE, NULL, 0,
                      "Digest of the fragment by the Reference's DigestMethod", HFILL}},
        {&hf_ok, {"Digest matches", "v2g.signature.digest_ok", FT_BOOLEAN, BASE_NONE, NULL, 0,
                  "The digest equals the Reference's DigestValue", HFILL}},
    };
    static gint *ett[] = {&ett_sig};
    static ei_register_info ei[] = {
        {&ei_mismatch, {"v2g.signature.digest_mismatch", PI_CHECKSUM, PI_WARN,
                        "Signature digest differs from the DigestValue", EXPFILL}},
        {&ei_no_element, {"v2g.signature.no_element", PI_PROTOCOL, PI_WARN,
                          "Signature Reference names no element of the message", EXPFILL}},
        {&ei_algorithm, {"v2g.signature.algorithm", PI_UNDECODED, PI_NOTE, "Digest algorithm not supported",
                         EXPFILL}},
    };
    v2g_register(hf, G_N_ELEMENTS(hf), ett, G_N_ELEMENTS(ett), ei, G_N_ELEMENTS(ei));
}

void v2g_sig_show(const struct exi_proto *p, const void *doc, packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb)
{
    exi_sig_ref refs[MAX_REFS];
    int n = exi_sig_check(p, doc, digest, refs, MAX_REFS);
    for (int i = 0; i < n && i < MAX_REFS; i++) {
        const exi_sig_ref *r = &refs[i];
        proto_item *ti = proto_tree_add_string(tree, hf_ref, tvb, 0, 0, r->uri);
        proto_item_set_generated(ti);
        proto_tree *sub = proto_item_add_subtree(ti, ett_sig);
        if (!r->element) {
            expert_add_info_format(pinfo, ti, &ei_no_element, "Signature Reference %s names no element of the "
                                   "message", r->uri);
            continue;
        }
        proto_item_set_generated(proto_tree_add_string(sub, hf_element, tvb, 0, 0, r->element));
        if (!r->encoded)
            continue;
        proto_item_set_generated(proto_tree_add_uint(sub, hf_fragment_len, tvb, 0, 0, (guint32)r->fragment_len));
        if (!r->digest_len) {
            expert_add_info_format(pinfo, ti, &ei_algorithm, "Digest algorithm %s not supported", r->algorithm);
            continue;
        }
        proto_item_set_generated(proto_tree_add_bytes_with_length(sub, hf_digest, tvb, 0, 0, r->digest,
                                                                  (gint)r->digest_len));
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_ok, tvb, 0, 0, r->ok));
        proto_item_append_text(ti, r->ok ? " (%s): digest matches" : " (%s): digest differs", r->element);
        if (!r->ok)
            expert_add_info_format(pinfo, ti, &ei_mismatch, "Signature digest of %s (%s) differs from its "
                                   "DigestValue", r->uri, r->element);
    }
}
