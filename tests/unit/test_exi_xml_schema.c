/* Every corpus line (../shared/corpus/<name>.tsv) decoded to XML (exi_text_xml, what `ccsplc exi decode` prints)
 * validates against its official schema (libxml2's validator, in this one process) and reads back
 * (exi_text_from_xml) into the same EXI bytes. Corpus lines whose content itself breaks the schema are listed. The
 * same for every message our ISO 15118-20 AC engines send, charger and car, captured from in-process sessions
 * (three- and single-phase, Dynamic and Scheduled control mode), and of a DC session identified by Plug & Charge
 * (the signed AuthorizationReq with its contract chain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccsplc/linux/random.h"
#include "ccsplc/tools/exi_text.h"
#include "corpus.h"
#include "iso20_bpt_world.h"
#include "iso20_tour.h"
#include "pki_mem.h"
#include "certinst_check.h"
#include "testutil.h"

static const struct {
    const char *proto, *xsd;
} schemas[] = {
    {"app", "schemas/V2G_CI_AppProtocol.xsd"},
    {"din", "schemas/din_spec/V2G_CI_MsgDef.xsd"},
    {"iso2", "schemas/iso15118_2/V2G_CI_MsgDef.xsd"},
    {"iso20-common", "schemas/iso15118_20/V2G_CI_CommonMessages.xsd"},
    {"iso20-dc", "schemas/iso15118_20/V2G_CI_DC.xsd"},
    {"iso20-ac", "schemas/iso15118_20/V2G_CI_AC.xsd"},
    {"iso20-acdp", "schemas/iso15118_20/V2G_CI_ACDP.xsd"},
    {"iso20-wpt", "schemas/iso15118_20/V2G_CI_WPT.xsd"},
};
#define NSCHEMAS (sizeof schemas / sizeof schemas[0])
static xmlSchemaPtr parsed[NSCHEMAS];

/* Corpus content that breaks the schema, so that no XML of it can validate: a real DIN
 * ChargeParameterDiscoveryRes carrying the abstract-typed SASchedules element; synthetic ISO-20 vectors with a
 * 56-byte DHPublicKey (the schema fixes 133) or a repeated xs:ID value. Each part of an entry must occur. */
static const char *const known_invalid[][2] = {
    {"The type definition is abstract", NULL},
    {"DHPublicKey", "facet 'length'"},
    {"'PLS1' is not a valid value of the atomic type 'xs:ID'", NULL},
};

static char errors[8192]; /* the validator's messages for the current document */
static size_t errlen;

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
    (void)ctx;
    int n = snprintf(errors + errlen, sizeof errors - errlen, "%s", e->message ? e->message : "?\n");
    if (n > 0) errlen = errlen + (size_t)n < sizeof errors ? errlen + (size_t)n : sizeof errors - 1;
}

static xmlSchemaPtr schema_for(const char *proto)
{
    for (size_t i = 0; i < NSCHEMAS; i++) {
        if (strcmp(proto, schemas[i].proto)) continue;
        if (!parsed[i]) {
            char *path = realpath(tu_shared(schemas[i].xsd), NULL); /* as the schemas' imports name it */
            xmlSchemaParserCtxtPtr pc = path ? xmlSchemaNewParserCtxt(path) : NULL;
            free(path);
            parsed[i] = pc ? xmlSchemaParse(pc) : NULL;
            xmlSchemaFreeParserCtxt(pc);
        }
        return parsed[i];
    }
    return NULL;
}

/* libxml2 handles xs:integer up to 24 digits only; certificate serial numbers are longer. Their values are
 * checked by the read-back; for validation they are cut to 20 digits. */
static void shorten_serials(char *xml)
{
    for (char *p = xml; (p = strstr(p, "X509SerialNumber>")) != NULL;) {
        p += strlen("X509SerialNumber>"); /* digits follow only the opening tag */
        char *d = p + (*p == '-');
        size_t n = 0;
        while (isdigit((unsigned char)d[n])) n++;
        if (n > 20) memmove(d + 20, d + n, strlen(d + n) + 1);
    }
}

/* What the validator said, when every message is known corpus content: 1; any other message: 0. */
static int only_known_invalid(void)
{
    char *save, *msg = strtok_r(errors, "\n", &save);
    for (; msg; msg = strtok_r(NULL, "\n", &save)) {
        size_t k = 0;
        while (k < sizeof known_invalid / sizeof known_invalid[0] &&
               !(strstr(msg, known_invalid[k][0]) && (!known_invalid[k][1] || strstr(msg, known_invalid[k][1]))))
            k++;
        if (k == sizeof known_invalid / sizeof known_invalid[0]) return 0;
    }
    return 1;
}

/* NULL when the EXI document in[0..n) of codec `proto` passes (with a note when it fails the schema only through
 * known corpus content), else why. */
static const char *check_exi(const char *proto, const uint8_t *in, long n, const char **note)
{
    static char why[sizeof errors + 256];
    const struct exi_proto *p = exi_proto_find(proto);
    xmlSchemaPtr schema = p ? schema_for(proto) : NULL;
    if (!schema) return "no codec or schema for this proto";
    uint8_t out[8192];
    void *doc = calloc(1, p->doc_size), *back = calloc(1, p->doc_size);
    char *xml = NULL;
    size_t xlen = 0, olen = 0;
    FILE *f = open_memstream(&xml, &xlen);
    const char *res = NULL;
    char msg[1024] = "";
    if (n < 0 || !doc || !back || !f) res = "bad hex or out of memory";
    else if (exi_decode(p->codec, in, (size_t)n, doc)) res = "does not decode";
    else if (exi_text_xml(f, p, doc)) res = "XML output failed";
    if (f) fclose(f);
    if (!res && exi_text_from_xml(p, xml, xlen, back, msg, sizeof msg)) {
        snprintf(why, sizeof why, "XML does not read back: %s", msg);
        res = why;
    } else if (!res && exi_encode(p->codec, back, out, sizeof out, &olen)) {
        res = "read back, it does not encode";
    } else if (!res) {
        res = corpus_same_encoding(in, (size_t)n, out, olen);
    }
    if (!res) {
        shorten_serials(xml);
        errlen = 0;
        errors[0] = 0;
        xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "decoded.xml", NULL, XML_PARSE_NONET);
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        xmlSchemaSetValidStructuredErrors(vc, on_error, NULL);
        int v = d && vc ? xmlSchemaValidateDoc(vc, d) : -1;
        xmlSchemaFreeValidCtxt(vc);
        xmlFreeDoc(d);
        if (v && only_known_invalid() && errlen) {
            *note = "known invalid corpus content";
        } else if (v) {
            snprintf(why, sizeof why, "not valid: %s", errlen ? errors : "not well-formed");
            res = why;
        }
    }
    free(xml);
    free(doc);
    free(back);
    return res;
}

static const char *check_line(const struct corpus_line *cl, const char **note)
{
    uint8_t in[8192];
    return check_exi(cl->proto, in, tu_hex2bin(cl->hex, in, sizeof in), note);
}

CORPUS_FILE_TESTS(check_line)

/* Every message of an in-process ISO-20 AC (or DC_BPT, AC_BPT) session through check_exi, by the codec its payload
 * type names. */
typedef struct {
    unsigned sent, service, bad;   /* service: messages of the energy service's codec (AC, DC) */
    unsigned power_delivery;       /* PowerDeliveryReq of any ChargeProgress */
    unsigned metering, vas;        /* MeteringConfirmationReq/Res; VASList, VAS ServiceDetail, SelectedVASList */
    unsigned service_stop;         /* SessionStopReq ServiceRenegotiation and the SessionStopRes that follows */
    int scheduled;   /* the charger's ServiceDetailRes cut to the Scheduled sets (after its check) */
    const sess_proto *proto;       /* the session's protocol (NULL: ISO-20 AC) */
} sent_check;

static int check_sent(sw_world *w, int dir, uint8_t *buf, size_t *len)
{
    sent_check *c = w->hook_ctx;
    static struct sess_iso20_doc d;
    v2gtp_msg m;
    const char *note = NULL, *why = NULL;
    const char *codec = v2gtp_parse(buf, *len, SESS_TX_CAP, &m) ? NULL
                        : m.payload_type == V2GTP_EXI ? "app"
                        : sess_codec_name(c->proto ? c->proto : &sess_proto_iso20_ac, m.payload_type);
    if (!codec) why = "no codec for its payload type";
    else why = check_exi(codec, m.payload, (long)m.payload_len, &note);
    if (why || note) {
        printf("%s message %u (%s): %s\n", dir == SW_TO_EVSE ? "car" : "charger", c->sent, codec ? codec : "?",
               why ? why : note);
        c->bad++;
    }
    c->sent++;
    c->service += codec && (!strcmp(codec, "iso20-ac") || !strcmp(codec, "iso20-dc"));
    int msg = bw_msg_of(buf, *len, &d);
    c->power_delivery += msg == ISO20_ROOT_PowerDeliveryReq || ISO20_IS_POWER_DELIVERY_PSEUDO(msg);
    c->metering += msg == ISO20_ROOT_MeteringConfirmationReq || msg == ISO20_ROOT_MeteringConfirmationRes;
    c->service_stop += msg == ISO20_MSG_SESSION_STOP_RENEGOTIATE ||
                       (msg == ISO20_ROOT_SessionStopRes && c->service_stop == 1);
    c->vas += (msg == ISO20_ROOT_ServiceDiscoveryRes && d.common.ServiceDiscoveryRes.has_VASList) ||
              (msg == ISO20_ROOT_ServiceDetailReq && d.common.ServiceDetailReq.ServiceID > 60) ||
              (msg == ISO20_ROOT_ServiceDetailRes && d.common.ServiceDetailRes.ServiceID > 60) ||
              (msg == ISO20_ROOT_ServiceSelectionReq && d.common.ServiceSelectionReq.has_SelectedVASList);
    if (c->scheduled && msg == ISO20_ROOT_ServiceDetailRes)
        assert_int_equal(aw_keep_sets(&d, "ControlMode", ISO20_CONTROL_SCHEDULED, buf, len), 0);
    return 1;
}

static void short_charge(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->target_soc = 20.2f;
}

static void test_iso20_ac_sent(void **state)
{
    (void)state;
    static sw_world w;
    for (int k = 0; k < 4; k++) {
        sent_check c = { .scheduled = k & 1 };
        aw_setup(&w, k & 2 ? 1 : 3, short_charge);
        w.hook = check_sent;
        w.hook_ctx = &c;
        sw_connect(&w);
        assert_true(sw_run(&w, 30 * 60 * 1000, sw_both_ended));
        assert_int_equal(w.evse.stop, SESS_STOP_NORMAL);
        assert_int_equal(w.pev.dynamic, !c.scheduled);
        printf("iso20-ac %d-phase %s: %u messages (%u AC) valid\n", k & 2 ? 1 : 3, c.scheduled ? "scheduled" : "dynamic",
               c.sent, c.service);
        assert_int_equal(c.bad, 0);
        assert_true(c.service >= 4 && c.sent > c.service);
    }
}

static void bpt_cycle(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    (void)e, (void)p, (void)c;
    b->target_soc = 20.2f;   /* from 20 % down to 19 % and back */
}

/* DC_BPT and AC_BPT (three-phase), Dynamic and Scheduled: a discharge, then the charge back; every message valid. */
static void test_iso20_bpt_sent(void **state)
{
    (void)state;
    static sw_world w;
    for (int k = 0; k < 4; k++) {
        int ac = k & 2;
        sent_check c = { .scheduled = k & 1, .proto = ac ? &sess_proto_iso20_ac : &sess_proto_iso20 };
        bw_setup(&w, ac, 19, bpt_cycle);
        w.hook = check_sent;
        w.hook_ctx = &c;
        sw_connect(&w);
        assert_true(sw_run(&w, 30 * 60 * 1000, sw_both_ended));
        assert_int_equal(w.evse.stop, SESS_STOP_NORMAL);
        assert_true(w.evse.bpt && w.pev.discharged && w.plant.charger.returned_wh > 0.0);
        assert_int_equal(w.pev.dynamic, !c.scheduled);
        printf("iso20 %s %s: %u messages (%u of the service) valid\n", ac ? "AC_BPT" : "DC_BPT",
               c.scheduled ? "scheduled" : "dynamic", c.sent, c.service);
        assert_int_equal(c.bad, 0);
        assert_true(c.service >= 4 && c.sent > c.service);
    }
}

/* Every message of ISO-20 DC and AC sessions through the notifications, Standby and schedule renegotiation by
 * either side, a value-added service, a metering confirmation and a service renegotiation (iso20_tour.h: 10
 * PowerDeliveryReq, the VAS discovered, detailed and selected twice, SessionStop ServiceRenegotiation both ways). */
static void test_iso20_notice_sent(void **state)
{
    (void)state;
    static sw_world w;
    for (int ac = 0; ac < 2; ac++) {
        sent_check c = { .proto = ac ? NULL : &sess_proto_iso20 };
        aw_setup(&w, 3, ac ? NULL : aw_dc_car);
        w.hook = check_sent;
        w.hook_ctx = &c;
        assert_true(iso20_tour(&w));
        printf("iso20-%s notifications, standby, renegotiation: %u messages valid\n", ac ? "ac" : "dc", c.sent);
        assert_int_equal(c.bad, 0);
        assert_int_equal(c.power_delivery, 10);
        assert_true(c.metering >= 2);
        assert_int_equal(c.vas, 8);   /* VASList, ServiceDetail of the Internet service both ways, its selection */
        assert_int_equal(c.service_stop, 2);   /* SessionStop ServiceRenegotiation and its response */
    }
}

/* A DC car with a secp521r1 contract (MO root -> Sub-CA -> contract, made here) and a charger trusting its root. */
static void pnc_dc(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    aw_dc_car(e, p, c, b);
    b->target_soc = 20.2f;
    e->pnc = &checker;
    e->rng = ccs_random_getrandom;
    e->clock_unix_s = p->clock_unix_s = (uint64_t)time(NULL);   /* the certificates' validity */
    p->pnc = &contract;
}

/* The same with a test-bench CPS (V2G root -> CPS) handing out that contract and a car with only its provisioning
 * certificate (OEM root -> provisioning). */
static void pnc_install_dc(sess_evse_config *e, sess_pev_config *p, phys_charger_config *c, phys_battery_config *b)
{
    pnc_dc(e, p, c, b);
    e->cps = &cps;
    p->install = &installer;
}

/* Every message of ISO-20 DC sessions on (the engines' view of) TLS identified by PnC: AuthorizationSetupRes with
 * the challenge, the AuthorizationReq with the contract chain and the header's Signature; then one that installs
 * the contract first: CertificateInstallationReq and -Res with their Signatures; then a CPS without a contract to
 * give: its refusal (WARNING_NoCertificateAvailable, the schema's mandatory members). */
static void test_iso20_pnc_sent(void **state)
{
    (void)state;
    pki_dir_make("xsd-pnc");
    EVP_PKEY *k[3], *ki[4];
    X509 *x[3], *xi[4];
    pnc_make_pki("P-521", "SHA512", "DEABCC12345678", k, x);
    for (int i = 0; i < 4; i++) assert_non_null(ki[i] = EVP_EC_gen("P-521"));
    xi[0] = pki_cert("V2G root", ki[0], NULL, NULL, 1, -60, 86400, "SHA512");
    xi[1] = pki_cert("CPS", ki[1], xi[0], ki[0], 0, -60, 86400, "SHA512");
    xi[2] = pki_cert("OEM root", ki[2], NULL, NULL, 1, -60, 86400, "SHA512");
    xi[3] = pki_cert("WCCSPLC00000000001", ki[3], xi[2], ki[2], 0, -60, 86400, "SHA512");
    static const char *const files[] = { "v2g_root.pem", "cps_chain.pem", "oem_root.pem", "prov.pem" };
    for (int i = 0; i < 4; i++) pki_write_cert(pki_path(files[i]), "w", xi[i]);
    pki_write_key(pki_path("cps.key"), ki[1]);
    pki_write_key(pki_path("prov.key"), ki[3]);
    pki_write_cert(pki_path("contract_chain.pem"), "w", x[2]);
    pki_write_cert(pki_path("contract_chain.pem"), "a", x[1]);
    for (int i = 0; i < 4; i++) X509_free(xi[i]), EVP_PKEY_free(ki[i]);
    pnc_free_pki(k, x);
    static sw_world w;
    for (int install = 0; install < 3; install++) {
        if (install) {
            ci_open_charger("cps_chain.pem", "cps.key", "oem_root.pem", "mo_root.pem", install == 1);
            ci_open_car("prov.pem", "prov.key", "v2g_root.pem");
        } else {
            pnc_open("mo_root.pem", "chain.pem", "contract.key");
        }
        sent_check c = { .proto = &sess_proto_iso20 };
        aw_setup(&w, 3, install ? pnc_install_dc : pnc_dc);
        w.evse.tls = 1;
        w.hook = check_sent;
        w.hook_ctx = &c;
        sw_connect(&w);
        assert_true(sw_run(&w, 30 * 60 * 1000, sw_both_ended));
        assert_int_equal(sw_count(&w, "CertificateInstallationRes"), install > 0);
        printf("iso20-dc plug & charge%s: %u messages valid\n",
               install == 2 ? ", certificate installation refused" : install ? " with certificate installation" : "",
               c.sent);
        assert_int_equal(c.bad, 0);
        if (install == 2) {
            assert_int_equal(w.evse.last_code, iso20_responseCodeType_WARNING_NoCertificateAvailable);
            continue;
        }
        assert_int_equal(w.evse.stop, SESS_STOP_NORMAL);
        assert_true(w.evse.pnc_signed && w.pev.pnc);
        assert_true(c.service >= 4);
    }
    assert_int_equal(ci_teardown(NULL), 0);
}

static int done(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSCHEMAS; i++) xmlSchemaFree(parsed[i]);
    xmlCleanupParser();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CORPUS_UNIT_TESTS,
        cmocka_unit_test(test_iso20_ac_sent),
        cmocka_unit_test(test_iso20_notice_sent),
        cmocka_unit_test(test_iso20_bpt_sent),
        cmocka_unit_test(test_iso20_pnc_sent),
    };
    xmlInitParser();
    return cmocka_run_group_tests(tests, NULL, done);
}
