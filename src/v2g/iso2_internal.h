/* ISO 15118-2 session internals: message ids, the states of both tables, PhysicalValue and status helpers, and
 * the handlers the tables (iso2_proto.c) refer to. External identification (EIM), DC and AC. */
#ifndef CCSPLC_ISO2_INTERNAL_H
#define CCSPLC_ISO2_INTERNAL_H

#include "sess_internal.h"

/* Message ids are the BodyElement choice values (iso2_BodyType_*), plus pseudo ids for the PowerDeliveryReq
 * steps other than Start: ChargeProgress is an enum (Start = 0), not DIN's ReadyToChargeState boolean. */
#define ISO2_MSG_POWER_DELIVERY_STOP 64
#define ISO2_MSG_POWER_DELIVERY_RENEGOTIATE 65

#define ISO2_SERVICE_ID_CHARGING 1   /* our ChargeService's ServiceID */
#define ISO2_SERVICE_ID_CERTIFICATE 2 /* the certificate service (ISO 15118-2 Table 105: ServiceID 2) */
#define ISO2_SA_TUPLE_ID 1           /* our one SAScheduleTuple */
#define ISO2_SCHEDULE_S 86400u       /* it covers 24 h (the standard's maximum schedule length) */

/* Charger states, each named by the request it waits for. AC sessions skip CableCheck/PreCharge (CPD goes to
 * POWER_DELIVERY), charge in CHARGING instead of CHARGE, and end without WeldingDetection (SESSION_STOP). */
enum {
    ISO2_EVSE_SESSION_SETUP, ISO2_EVSE_SERVICE_DISCOVERY, ISO2_EVSE_PAYMENT, ISO2_EVSE_AUTH,
    ISO2_EVSE_CHARGE_PARAMETER, ISO2_EVSE_CABLE_CHECK, ISO2_EVSE_PRECHARGE, ISO2_EVSE_POWER_DELIVERY,
    ISO2_EVSE_CHARGE, ISO2_EVSE_CHARGING, ISO2_EVSE_WELDING, ISO2_EVSE_SESSION_STOP, ISO2_EVSE_PAYMENT_DETAILS,
    ISO2_EVSE_NSTATES
};

/* Car states (rows of the PEV table). */
enum {
    ISO2_PEV_SESSION_SETUP, ISO2_PEV_SERVICE_DISCOVERY, ISO2_PEV_SERVICE_DETAIL, ISO2_PEV_PAYMENT, ISO2_PEV_AUTH,
    ISO2_PEV_CHARGE_PARAMETER, ISO2_PEV_CABLE_CHECK, ISO2_PEV_PRECHARGE, ISO2_PEV_POWER_START,
    ISO2_PEV_CURRENT_DEMAND, ISO2_PEV_CHARGING_STATUS, ISO2_PEV_METERING, ISO2_PEV_POWER_STOP, ISO2_PEV_WELDING,
    ISO2_PEV_SESSION_STOP, ISO2_PEV_PAYMENT_DETAILS, ISO2_PEV_CERT_INSTALL, ISO2_PEV_CERT_UPDATE
};

/* The body of an ISO-2 document held in a sess_docs union. */
#define ISO2_BODY(doc) (&((struct iso2_exiDocument *)(doc))->V2G_Message.Body)

/* PhysicalValue <-> float (iso2_values.c). */
void iso2_pv_set(struct iso2_PhysicalValueType *pv, float x, enum iso2_unitSymbolType unit);
float iso2_pv_get(const struct iso2_PhysicalValueType *pv);

/* Glue, error response fields, DC mapper (sess_internal.h). */
SESS_PROTO_DECLS(iso2)
/* The status of a response that has one (else NULL); DC or AC per the response's own choice. */
struct iso2_DC_EVSEStatusType *iso2_dc_status_of(struct iso2_BodyType *b);
struct iso2_AC_EVSEStatusType *iso2_ac_status_of(struct iso2_BodyType *b);

/* EVSE (iso2_evse*.c). */
uint8_t iso2_evse_next(const sess_evse *s, const sess_evse_row *row);
int iso2_evse_check_status(sess_evse *s, struct iso2_BodyType *res);
/* The DC or AC status of a response that has one (iso2_evse.c); the DC one (iso2_map.c). */
void iso2_evse_status(const sess_evse *s, struct iso2_BodyType *b);
void iso2_evse_dc_status(const sess_evse *s, struct iso2_DC_EVSEStatusType *st);
/* The charger's present values in PreChargeRes, CurrentDemandRes, WeldingDetectionRes (pv_dc_map.h). */
void iso2_evse_present(const sess_evse *s, struct iso2_BodyType *b);
void iso2_evse_id(const sess_evse *s, struct iso2_BodyType *res);
void iso2_evse_meter(const sess_evse *s, struct iso2_MeterInfoType *m);
sess_evse_step iso2_evse_session_setup, iso2_evse_service_discovery, iso2_evse_service_detail, iso2_evse_payment,
    iso2_evse_auth, iso2_evse_session_stop, iso2_evse_metering;

/* PEV (iso2_pev*.c). */
uint8_t iso2_pev_next(const sess_pev *p, const sess_pev_row *row);
int iso2_pev_check(sess_pev *p, int code, const struct iso2_DC_EVSEStatusType *dc,
                   const struct iso2_AC_EVSEStatusType *ac);
sess_pev_step iso2_pev_build_session_setup, iso2_pev_build_service_discovery, iso2_pev_build_service_detail,
    iso2_pev_build_payment, iso2_pev_build_session_stop, iso2_pev_build_metering, iso2_pev_on_session_setup,
    iso2_pev_on_service_discovery, iso2_pev_on_simple, iso2_pev_on_auth, iso2_pev_on_session_stop,
    iso2_pev_on_metering;

/* Plug & Charge (iso2_pnc*.c, CCS_PNC). SignedInfo as an xmldsig fragment into d->sig.bytes; SignedInfo of one
 * Reference to element `id` with ISO 15118-2's algorithms (DigestValue's length set, its bytes not); whether a
 * SignedInfo is that, for the id of id_len characters. A request signed: the element in d->sig.frag (Id id), the
 * Signature into header h by sign(ctx) (SESS_H_NEXT or SESS_H_FAIL); checked: 1 when h's Signature is that, by the
 * holder of key (k->verify), else 0. */
#if CCS_PNC
int iso2_pnc_signed_info_bytes(sess_docs *d, const struct iso2_SignedInfoType *si, size_t *len);
void iso2_pnc_signed_info(struct iso2_SignedInfoType *si, const char *id);
int iso2_pnc_signed_info_ok(const struct iso2_SignedInfoType *si, const char *id, size_t id_len);
int iso2_pnc_sign(sess_docs *d, struct iso2_MessageHeaderType *h, const char *id, ccs_sha256_fn sha256,
                  int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx);
int iso2_pnc_signed_by(sess_docs *d, const struct iso2_MessageHeaderType *h, const char *id, size_t id_len,
                       const ccs_pnc_checker *k, const uint8_t key[CCS_PNC_KEY_MAX]);
/* The charger: whether it offers Contract payment on this connection (configured, a random source, TLS); the
 * PnC check of an AuthorizationReq (SESS_H_NEXT: nothing to check or checked, SESS_H_FAIL with the code set). */
int iso2_evse_pnc_offered(const sess_evse *s);
int iso2_evse_pnc_auth(sess_evse *s);
sess_evse_step iso2_evse_payment_details;
sess_pev_step iso2_pev_build_payment_details, iso2_pev_on_payment_details, iso2_pev_build_auth;
/* MeteringReceiptReq under Contract payment: the car signs the request in its tx document with the contract key
 * (SESS_H_NEXT or SESS_H_FAIL); the charger checks it against the contract's key (SESS_H_NEXT, or SESS_H_FAIL with
 * FAILED_MeteringSignatureNotValid set). Nothing under external payment. */
int iso2_pev_pnc_metering(sess_pev *p);
int iso2_evse_pnc_metering(sess_evse *s);

/* CertificateInstallation / CertificateUpdate (iso2_certinst*.c). The chain of a CertificateChainType as
 * ccs_pnc_cert (at most CCS_PNC_CHAIN_MAX, pointing into it; the count); the SHA-256 of d->sig.frag's fragment
 * (its bytes in d->sig.bytes). */
size_t iso2_pnc_chain_of(const struct iso2_CertificateChainType *c, ccs_pnc_cert chain[CCS_PNC_CHAIN_MAX]);
/* The chain c[0..n) (each at most ISO2_LEN_certificateType bytes, n at most CCS_PNC_CHAIN_MAX) into ch. */
void iso2_ci_put_chain(struct iso2_CertificateChainType *ch, const ccs_pnc_cert *c, size_t n);
int iso2_ci_digest(sess_docs *d, ccs_sha256_fn sha256, uint8_t out[CCS_SHA256_LEN]);
/* The elements a CertificateInstallationRes / CertificateUpdateRes signs (ISO2_CI_REFS References). */
#define ISO2_CI_REFS 4u
typedef struct {
    struct iso2_CertificateChainType *chain;
    struct iso2_ContractSignatureEncryptedPrivateKeyType *key;
    struct iso2_DiffieHellmanPublickeyType *dh;
    struct iso2_EMAIDType *emaid;
} iso2_ci_res;
#define ISO2_CI_RES(r)                                                                                          \
    { &(r)->ContractSignatureCertChain, &(r)->ContractSignatureEncryptedPrivateKey, &(r)->DHpublickey, &(r)->eMAID }
/* Sign them into sg (SignedInfo: one Reference per element, by its Id) with sign(ctx); 0 or CCS_E*. Check sg
 * against them and the CPS's key with in->verify: 1 when every element has its Reference and digest and the
 * SignatureValue is the key's, else 0. */
int iso2_ci_sign_res(sess_docs *d, const iso2_ci_res *r, struct iso2_SignatureType *sg, ccs_sha256_fn sha256,
                     int (*sign)(void *, const uint8_t *, size_t, uint8_t *), void *ctx);
int iso2_ci_check_res(sess_docs *d, const iso2_ci_res *r, const struct iso2_SignatureType *sg,
                      ccs_sha256_fn sha256, const ccs_pnc_installer *in, const uint8_t key[CCS_PNC_KEY_MAX]);
/* The charger: the certificate service offered (Plug & Charge and a CPS); its ServiceList entry; the Unix time. */
int iso2_evse_certinst_offered(const sess_evse *s);
void iso2_evse_certinst_offer(const sess_evse *s, struct iso2_ServiceDiscoveryResType *r);
int iso2_evse_certinst_detail(const sess_evse *s, struct iso2_ServiceDetailResType *r);
uint64_t iso2_evse_unix_s(const sess_evse *s, uint32_t now);
sess_evse_step iso2_evse_cert_install, iso2_evse_cert_update;
/* The car: whether it pays by contract after the ServiceDiscoveryRes r (p->cert_op set: install or update first);
 * the certificate service added to its PaymentServiceSelectionReq. */
int iso2_pev_certinst_choose(sess_pev *p, const struct iso2_ServiceDiscoveryResType *r, uint32_t now);
void iso2_pev_certinst_select(sess_pev *p, struct iso2_SelectedServiceListType *l);
sess_pev_step iso2_pev_build_cert_install, iso2_pev_build_cert_update, iso2_pev_on_cert_install;
#endif

#endif
