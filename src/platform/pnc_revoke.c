/* The charger's revocation sources for contract chains (ccsplc/linux/pnc_revoke.h): CRLs checked with OpenSSL
 * against the issuing CA found in the verified chain, and a text list of serials, SHA-256 fingerprints, eMAIDs. */
#include "ccsplc/linux/pnc_revoke.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/pnc_openssl.h"

#define FP_LEN 32u    /* a SHA-256 fingerprint */
#define EMAID_CAP 40u /* an eMAID in the list, separators included */

typedef struct {
    enum { R_SERIAL, R_SHA256, R_EMAID } kind;
    BIGNUM *serial;
    uint8_t fp[FP_LEN];
    char emaid[EMAID_CAP];
} entry;

struct pnc_revoked {
    STACK_OF(X509_CRL) *crls;
    entry *list;
    size_t n, cap;
};

pnc_revoked *pnc_revoked_new(void)
{
    pnc_revoked *r = calloc(1, sizeof *r);
    if (r && !(r->crls = sk_X509_CRL_new_null())) {
        free(r);
        r = NULL;
    }
    return r;
}

void pnc_revoked_free(pnc_revoked *r)
{
    if (!r) return;
    sk_X509_CRL_pop_free(r->crls, X509_CRL_free);
    for (size_t i = 0; i < r->n; i++) BN_free(r->list[i].serial);
    free(r->list);
    free(r);
}

/* Hex digits (':' between bytes allowed) into at most cap bytes: their count, or -1. */
static int hex_bytes(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int half = -1;
    for (; *s; s++) {
        if (*s == ':' && half < 0) continue;
        if (!isxdigit((unsigned char)*s)) return -1;
        int v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
        if (half < 0) {
            half = v;
        } else {
            if (n == cap) return -1;
            out[n++] = (uint8_t)(half << 4 | v);
            half = -1;
        }
    }
    return half < 0 ? (int)n : -1;
}

/* One line of a text list: "serial HEX", "sha256 HEX" or "emaid ID" (blank lines and '#' comments skipped). */
static int list_line(pnc_revoked *r, char *line)
{
    char *save = NULL, *kind = strtok_r(line, " \t\r\n", &save);
    char *value = kind ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    if (!kind || kind[0] == '#') return 0;
    if (!value || strtok_r(NULL, " \t\r\n", &save)) return CCS_ESYNTAX;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        entry *l = realloc(r->list, cap * sizeof *l);
        if (!l) return CCS_ENOSPC;
        r->list = l, r->cap = cap;
    }
    entry *e = &r->list[r->n];
    memset(e, 0, sizeof *e);
    uint8_t b[64];
    int len;
    if (!strcmp(kind, "serial") && (len = hex_bytes(value, b, sizeof b)) > 0) {
        e->kind = R_SERIAL;
        if (!(e->serial = BN_bin2bn(b, len, NULL))) return CCS_ENOSPC;
    } else if (!strcmp(kind, "sha256") && hex_bytes(value, e->fp, FP_LEN) == (int)FP_LEN) {
        e->kind = R_SHA256;
    } else if (!strcmp(kind, "emaid") && strlen(value) < EMAID_CAP) {
        e->kind = R_EMAID;
        strcpy(e->emaid, value);
    } else {
        return CCS_ESYNTAX;
    }
    r->n++;
    return 0;
}

static int load_list(pnc_revoked *r, FILE *f, const char *file, char *err, size_t errcap)
{
    char line[256];
    for (unsigned no = 1; fgets(line, sizeof line, f); no++) {
        int rc = strchr(line, '\n') || feof(f) ? list_line(r, line) : CCS_ESYNTAX;
        if (rc) {
            snprintf(err, errcap, "%s:%u: not a revocation entry (serial HEX, sha256 HEX, emaid ID) nor a CRL", file,
                     no);
            return rc;
        }
    }
    return 0;
}

int pnc_revoked_load(pnc_revoked *r, const char *file, char *err, size_t errcap)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open the revocation list %s", file);
        return CCS_EINVAL;
    }
    char head[32] = "";
    size_t got = fread(head, 1, sizeof head - 1, f);
    rewind(f);
    int rc = 0;
    X509_CRL *crl;
    if (got && (unsigned char)head[0] == 0x30) {   /* DER: an ASN.1 SEQUENCE */
        if ((crl = d2i_X509_CRL_fp(f, NULL)) && sk_X509_CRL_push(r->crls, crl)) crl = NULL;
        else rc = CCS_EINVAL;
        X509_CRL_free(crl);
    } else if (strstr(head, "-----BEGIN X509 CRL")) {
        size_t before = (size_t)sk_X509_CRL_num(r->crls);
        while ((crl = PEM_read_X509_CRL(f, NULL, NULL, NULL)) && sk_X509_CRL_push(r->crls, crl)) {}
        rc = (size_t)sk_X509_CRL_num(r->crls) > before ? 0 : CCS_EINVAL;
    } else {
        rc = load_list(r, f, file, err, errcap);
        fclose(f);
        return rc;
    }
    fclose(f);
    ERR_clear_error();
    if (rc) snprintf(err, errcap, "no CRL in %s", file);
    return rc;
}

/* x revoked by a CRL of its issuer whose signature the issuer's key verifies (a CRL of another CA, or one with a
 * bad signature, says nothing about x). */
static int crl_revokes(const pnc_revoked *r, X509 *x, X509 *issuer)
{
    for (int i = 0; i < sk_X509_CRL_num(r->crls); i++) {
        X509_CRL *crl = sk_X509_CRL_value(r->crls, i);
        X509_REVOKED *rev;
        EVP_PKEY *key = X509_get0_pubkey(issuer);
        if (!X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) && key &&
            X509_CRL_verify(crl, key) == 1 && X509_CRL_get0_by_cert(crl, &rev, x) == 1)
            return 1;
    }
    ERR_clear_error();
    return 0;
}

static int list_revokes(const pnc_revoked *r, X509 *x)
{
    uint8_t fp[FP_LEN];
    unsigned fplen = 0;
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    int hit = 0, have_fp = X509_digest(x, EVP_sha256(), fp, &fplen) == 1 && fplen == FP_LEN;
    for (size_t i = 0; i < r->n && !hit; i++) {
        const entry *e = &r->list[i];
        hit = (e->kind == R_SERIAL && serial && !BN_cmp(serial, e->serial)) ||
              (e->kind == R_SHA256 && have_fp && !memcmp(fp, e->fp, FP_LEN));
    }
    BN_free(serial);
    return hit;
}

int pnc_revoked_check(const pnc_revoked *r, STACK_OF(X509) *path, const char *emaid, size_t emaid_len, char *why,
                      size_t whycap)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (r->list[i].kind == R_EMAID &&
            pnc_emaid_equal(r->list[i].emaid, strlen(r->list[i].emaid), emaid, emaid_len)) {
            snprintf(why, whycap, "eMAID %s", r->list[i].emaid);
            return 1;
        }
    int n = path ? sk_X509_num(path) : 0;
    for (int i = 0; r && i < n; i++) {
        X509 *x = sk_X509_value(path, i);
        if ((i + 1 < n && crl_revokes(r, x, sk_X509_value(path, i + 1))) || list_revokes(r, x)) {
            char cn[64] = "?";
            X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
            snprintf(why, whycap, "certificate %d of the chain (CN=%s)", i, cn);
            return 1;
        }
    }
    return 0;
}
