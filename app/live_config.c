/* Options of `ccsplc evse` / `ccsplc pev`: defaults and the INI file (our keys in [general], [evse], [pev];
 * pyPLC's pyPlc.ini keys in [general] where they mean the same). Every key is listed in docs/config.md. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ccsplc/core/errors.h"
#include "ccsplc/linux/ini.h"
#include "ccsplc/linux/log.h"
#include "live.h"

void live_options_default(live_options *o, live_role role)
{
    memset(o, 0, sizeof *o);
    o->role = role;
    o->auth_timeout_ms = AUTH_BACKEND_TIMEOUT_MS;
    snprintf(o->proto, sizeof o->proto, "%s", role == LIVE_EVSE ? LIVE_EVSE_PROTOS : LIVE_PEV_PROTOS);
    o->until = role == LIVE_EVSE ? LIVE_UNTIL_SERVE : LIVE_UNTIL_SESSION;   /* a charger stays ready */
    o->evse_max_v = 500.0f;   /* the defaults of sess_evse_config_default and phys_charger_default */
    o->evse_max_a = 125.0f;
    o->evse_max_w = 50000.0f;
    o->session_id_len = 8;
    o->isolation_ms = 3000;
    o->resume_wait_ms = LIVE_RESUME_WAIT_MS;
    o->service_reneg = 1;
    o->soc = 20.0f;           /* as `ccsplc demo` */
    o->target_soc = 80.0f;
    o->capacity_kwh = 60.0f;
    o->pev_target_v = 410.0f; /* sess_pev_config_default's max_v */
    o->pev_max_a = 125.0f;
    o->precharge_tolerance_v = SESS_PEV_PRECHARGE_TOLERANCE_V;
    o->renew_days = 30.0f;    /* our choice: ISO 15118-2 names no renewal time (docs/pnc.md) */
    o->resume_after_ms = LIVE_RESUME_AFTER_MS;
    live_ext_defaults(&o->hw.ext, role == LIVE_EVSE ? HW_CHARGER : HW_CAR);
}

int live_until_parse(const char *s, live_until *out)
{
    static const char *const names[] = { "slac", "sdp", "session" };
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) return *out = (live_until)i, 0;
    return -1;
}

typedef enum { K_STR, K_FLOAT, K_U8, K_U16, K_MS, K_BOOL, K_UNTIL, K_MODE, K_LOG, K_EXIT_END, K_BOARD, K_BAUD, K_TLS, K_VAS, K_CONTROL,
               K_IGNORE } key_kind;

typedef struct {
    const char *section, *key;
    key_kind kind;
    size_t off, size;         /* K_STR: the char array's size */
    double lo, hi;
} key_row;

#define O(f) offsetof(live_options, f)
#define S(f) O(f), sizeof(((live_options *)0)->f)
static const key_row keys[] = {
    { "general", "interface", K_STR, S(ifname), 0, 0 },
    { "general", "eth_interface", K_STR, S(ifname), 0, 0 },          /* pyPLC */
    { "general", "sim", K_BOOL, O(sim), 0, 0, 0 },
    { "general", "is_simulation_without_modems", K_BOOL, O(sim), 0, 0, 0 }, /* pyPLC */
    { "general", "mode", K_MODE, 0, 0, 0, 0 },                          /* pyPLC: PevMode / EvseMode */
    { "general", "proto", K_STR, S(proto), 0, 0 },
    { "general", "stop_after", K_UNTIL, O(until), 0, 0, 0 },
    { "general", "pcap", K_STR, S(pcap), 0, 0 },
    { "general", "timeout", K_MS, O(timeout_ms), 0, 0, 86400 },
    { "general", "log_level", K_LOG, 0, 0, 0, 0 },
    { "general", "exit_on_session_end", K_EXIT_END, 0, 0, 0, 0 },      /* pyPLC: charger: one session or serve */
    { "general", "charge_target_voltage", K_FLOAT, O(pev_target_v), 0, 1, 1500 },          /* pyPLC */
    { "general", "u_delta_max_for_end_of_precharge", K_FLOAT, O(precharge_tolerance_v), 0, 0.1, 100 }, /* pyPLC */
    { "general", "digital_output_device", K_BOARD, O(hw.digital), 0, 0, 0 },  /* pyPLC: docs/hardware.md */
    { "general", "analog_input_device", K_BOARD, O(hw.analog), 0, 0, 0 },     /* pyPLC */
    { "general", "serial_port", K_STR, S(hw.port), 0, 0 },                    /* pyPLC: a path or auto */
    { "general", "serial_baud", K_BAUD, O(hw.baud), 0, 300, 4000000 },        /* pyPLC */
    { "evse", "max_voltage", K_FLOAT, O(evse_max_v), 0, 50, 1500 },
    { "evse", "max_current", K_FLOAT, O(evse_max_a), 0, 1, 1000 },
    { "evse", "max_power", K_FLOAT, O(evse_max_w), 0, 100, 1000000 },
    { "evse", "tcp_port", K_U16, O(tcp_port), 0, 0, 65535 },
    { "evse", "sessions", K_U16, O(sessions), 0, 0, 65535 },
    { "evse", "session_id_len", K_U8, O(session_id_len), 0, 1, 8 },
    { "evse", "auth_ongoing", K_U8, O(auth_ongoing), 0, 0, 200 },
    { "evse", "cpd_ongoing", K_U8, O(cpd_ongoing), 0, 0, 200 },
    { "evse", "isolation_time", K_MS, O(isolation_ms), 0, 0, 60 },
    { "evse", "resume_wait", K_MS, O(resume_wait_ms), 0, 1, 86400 },
    { "evse", "receipt_interval", K_MS, O(receipt_ms), 0, 0, 86400 },
    { "evse", "vas", K_VAS, O(vas), 0, 0, 0 },
    { "evse", "service_renegotiation", K_BOOL, O(service_reneg), 0, 0, 0 },
    { "pev", "soc", K_FLOAT, O(soc), 0, 0, 100 },
    { "pev", "target_soc", K_FLOAT, O(target_soc), 0, 1, 100 },
    { "pev", "discharge_to", K_FLOAT, O(discharge_to), 0, 0, 99 },
    { "pev", "capacity_kwh", K_FLOAT, O(capacity_kwh), 0, 0.1, 300 },
    { "pev", "target_voltage", K_FLOAT, O(pev_target_v), 0, 1, 1500 },
    { "pev", "max_current", K_FLOAT, O(pev_max_a), 0, 1, 1000 },
    { "pev", "precharge_tolerance", K_FLOAT, O(precharge_tolerance_v), 0, 0.1, 100 },
    { "pev", "pause_after", K_MS, O(pause_after_ms), 0, 0, 86400 },
    { "pev", "resume_after", K_MS, O(resume_after_ms), 0, 0, 86400 },
    { "pev", "bridge", K_STR, S(bridge), 0, 0 },
    { "pev", "vas", K_VAS, O(vas), 0, 0, 0 },
    { "pev", "control_mode", K_CONTROL, O(control_mode), 0, 0, 0 },
    { "pev", "departure", K_MS, O(departure_ms), 0, 0, 86400 },
    { "pev", "renegotiate_at", K_FLOAT, O(renegotiate_at), 0, 0, 100 },
    { "pev", "can", K_STR, S(can), 0, 0 },
    { "tls", "mode", K_TLS, O(tls), 0, 0, 0 },   /* off | ask | require (docs/pnc.md) */
    { "tls", "cert", K_STR, S(tls_cert), 0, 0 },
    { "tls", "key", K_STR, S(tls_key), 0, 0 },
    { "tls", "ca", K_STR, S(tls_ca), 0, 0 },
    { "tls", "keylog", K_STR, S(keylog), 0, 0 },
    { "pnc", "mo_root", K_STR, S(mo_root), 0, 0 },       /* charger: Plug & Charge (docs/pnc.md) */
    { "pnc", "providers", K_STR, S(providers), 0, 0 },   /* charger: ISO-20 SupportedProviders */
    { "pnc", "revoked", K_STR, S(revoked), 0, 0 },        /* charger: CRLs, lists (comma-separated) */
    { "pnc", "allow", K_STR, S(allow), 0, 0 },            /* charger: the authorization backend */
    { "pnc", "auth_cmd", K_STR, S(auth_cmd), 0, 0 },
    { "pnc", "auth_timeout", K_MS, O(auth_timeout_ms), 0, 0.1, 60 },
    { "pnc", "enabled", K_BOOL, O(pnc), 0, 0, 0 },        /* car */
    { "pnc", "contract_cert", K_STR, S(contract_cert), 0, 0 },
    { "pnc", "contract_key", K_STR, S(contract_key), 0, 0 },
    { "pnc", "prov_cert", K_STR, S(prov_cert), 0, 0 },    /* car: CertificateInstallation (docs/pnc.md) */
    { "pnc", "prov_key", K_STR, S(prov_key), 0, 0 },
    { "pnc", "renew_days", K_FLOAT, O(renew_days), 0, 0, 3650 },
    { "pnc", "cps_cert", K_STR, S(cps_cert), 0, 0 },      /* charger: the test-bench CPS */
    { "pnc", "cps_key", K_STR, S(cps_key), 0, 0 },
    { "pnc", "oem_root", K_STR, S(oem_root), 0, 0 },
    { "pnc", "install_cert", K_STR, S(install_cert), 0, 0 },
    { "pnc", "install_key", K_STR, S(install_key), 0, 0 },
};

/* pyPLC keys (its doc/pyPlc.ini.template) without a meaning here yet (Windows, display, MQTT, CHAdeMO, logging
 * back-ends, test modes): read, and named together in one warning. */
static const char *const pyplc_ignored[] = {
    "eth_windows_interface_name", "display_via_serial", "light_bulb_demo", "soc_simulation",
    "evse_simulate_precharge", "use_evsepresentvoltage_for_precharge_end",
    "use_physical_inlet_voltage_during_chargeloop", "allow_new_session_after_stopping",
    "exit_if_no_local_link_address_is_found", "log_the_evse_mac_to_file", "testsuite_enable", "udp_syslog_enable",
    "charge_parameter_backend", "evsemode_environment", "evse_power_supply_control_via_special_homeplug_message",
    "evse_printtrace", "evse_show_decoded_transmit_message", "sniffer_print_raw_exi", "logging_url",
    "smart_listener_configuration",
};

/* digital_output_device / analog_input_device: pyPLC's serial boards; its other devices are not here yet. */
static int set_board(hw_board_kind *kind, const char *v, const char *key)
{
    if (!hw_board_parse(v, kind)) return 0;
    *kind = HW_BOARD_NONE;
    if (!strcmp(v, "none")) return 0;
    if (strcmp(v, "beaglebone")) return CCS_ESYNTAX;
    LOG_W("config: %s = %s: use digital_output_device = gpio with its pins (docs/hardware.md); the simulated "
          "hardware is used", key, v);
    return 0;
}

static int set_mode(live_options *o, const char *v)
{
    int pev = !strcasecmp(v, "PevMode") || !strcasecmp(v, "pev");
    int evse = !strcasecmp(v, "EvseMode") || !strcasecmp(v, "evse");
    if (!pev && !evse && strcasecmp(v, "ListenMode")) return CCS_ESYNTAX;
    if (pev != (o->role == LIVE_PEV) || evse != (o->role == LIVE_EVSE))
        LOG_W("config: mode = %s ignored: the command (%s) decides, as pyPLC's command line does", v,
              o->role == LIVE_EVSE ? "evse" : "pev");
    return 0;
}

static int set_value(live_options *o, const key_row *k, const char *v)
{
    char *base = (char *)o;
    double x = 0;
    int b, rc = 0;
    switch (k->kind) {
    case K_STR:
        if (!*v || strlen(v) >= k->size) return CCS_ERANGE;
        memcpy(base + k->off, v, strlen(v) + 1);
        return 0;
    case K_BOOL:
        if ((rc = ini_bool(v, &b)) == 0) *(int *)(void *)(base + k->off) = b;
        return rc;
    case K_UNTIL: return live_until_parse(v, (live_until *)(void *)(base + k->off)) ? CCS_ESYNTAX : 0;
    case K_MODE: return set_mode(o, v);
    case K_LOG: {
        enum ccs_log_level lv;
        if (ccs_log_parse_level(v, &lv)) return CCS_ESYNTAX;
        ccs_log_set_level(lv);
        return 0;
    }
    case K_EXIT_END:
        if (ini_bool(v, &b)) return CCS_ESYNTAX;
        if (o->role == LIVE_EVSE && o->until >= LIVE_UNTIL_SESSION) o->until = b ? LIVE_UNTIL_SESSION : LIVE_UNTIL_SERVE;
        else if (!b) LOG_W("config: %s = %s: the car runs one session per start", k->key, v);
        return 0;
    case K_BOARD: return set_board((hw_board_kind *)(void *)(base + k->off), v, k->key);
    case K_TLS: return live_tls_mode_parse(v, (live_tls_mode *)(void *)(base + k->off)) ? CCS_ESYNTAX : 0;
    case K_VAS: return live_vas_parse(v, (uint8_t *)(base + k->off)) ? CCS_ESYNTAX : 0;
    case K_CONTROL: return live_control_parse(v, (uint8_t *)(base + k->off)) ? CCS_ESYNTAX : 0;
    case K_IGNORE: return 0;
    default: break;
    }
    if ((rc = ini_number(v, k->lo, k->hi, &x)) != 0) return rc;
    if (k->kind == K_FLOAT) *(float *)(void *)(base + k->off) = (float)x;
    else if (k->kind == K_U8) *(uint8_t *)(base + k->off) = (uint8_t)x;
    else if (k->kind == K_U16) *(uint16_t *)(void *)(base + k->off) = (uint16_t)x;
    else if (k->kind == K_BAUD) *(unsigned *)(void *)(base + k->off) = (unsigned)x;
    else *(uint32_t *)(void *)(base + k->off) = (uint32_t)(x * 1000.0);
    return 0;
}

typedef struct {
    live_options *o;
    const char *why;
    char key[72];             /* the unknown key */
    char unused[1024];        /* pyPLC keys read without a use here, for the one warning */
} cfg_ctx;

static void note_unused(cfg_ctx *c, const char *key)
{
    size_t n = strlen(c->unused);
    snprintf(c->unused + n, sizeof c->unused - n, "%s%s", n ? ", " : "", key);
}

static int on_key(void *ctx, const char *section, const char *key, const char *value, unsigned line)
{
    cfg_ctx *c = ctx;
    int ext = !strcmp(section, "general") ? live_ext_key(&c->o->hw.ext, key, value) : 0;   /* MQTT, GPIO, ... */
    if (ext) {
        c->why = ext == CCS_ERANGE ? "value out of range" : "bad value";
        return ext < 0 ? ext : 0;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key)) {
            int rc = set_value(c->o, &keys[i], value);
            if (rc) c->why = rc == CCS_ERANGE ? "value out of range" : "bad value";
            return rc;
        }
    if (!strcmp(section, "general") && !strcmp(key, "charge_parameter_backend") && !strcmp(value, "chademo")) {
        snprintf(c->o->bridge, sizeof c->o->bridge, "chademo");   /* pyPLC's CHAdeMO adapter: docs/chademo.md */
        return 0;
    }
    if (!strcmp(section, "general"))
        for (size_t i = 0; i < sizeof pyplc_ignored / sizeof pyplc_ignored[0]; i++)
            if (!strcmp(pyplc_ignored[i], key)) {
                (void)line;
                note_unused(c, key);
                return 0;
            }
    snprintf(c->key, sizeof c->key, "%s", key);
    c->why = "unknown key";
    return CCS_ENOTFOUND;
}

int live_config_file(live_options *o, const char *path)
{
    static cfg_ctx c;
    unsigned line = 0;
    memset(&c, 0, sizeof c);
    c.o = o;
    int rc = ini_parse_file(path, on_key, &c, &line);
    if (rc == 0) {
        if (*c.unused) LOG_W("config: %s: pyPLC keys not used here (read and ignored): %s", path, c.unused);
        return 0;
    }
    if (line && *c.key) LOG_E("config: %s line %u: unknown key %s", path, line, c.key);
    else if (line) LOG_E("config: %s line %u: %s", path, line, c.why ? c.why : "not INI syntax");
    else LOG_E("config: %s: %s", path, rc == CCS_EIO ? "cannot read" : "too large");
    return -1;
}

/* The car's target voltage (pyPLC's charge_target_voltage) is its EVMaximumVoltageLimit: below the battery's
 * open-circuit voltage at the target SoC the charge can never get there (the charger stops at the limit). */
int live_target_check(const live_options *o)
{
    live_protos ps;
    if (o->role != LIVE_PEV || live_protos_parse(o->proto, &ps) || ps.ac) return 0;
    phys_battery_config bc;
    phys_battery at_start, at_target;
    phys_battery_default(&bc);
    bc.soc = o->soc;
    phys_battery_init(&at_start, &bc);
    bc.soc = o->target_soc;
    phys_battery_init(&at_target, &bc);
    float need = phys_battery_ocv(&at_target);
    if (o->pev_target_v >= need) return 0;
    LOG_E("config: the car's target voltage (charge_target_voltage / target_voltage / --target-voltage) %.0f V is "
          "below its battery's voltage (%.0f V at SoC %.0f %%, %.0f V at the target SoC %.0f %%): the charge could "
          "never reach the target; set it to at least %.0f V", (double)o->pev_target_v,
          (double)phys_battery_ocv(&at_start), (double)o->soc, (double)need, (double)o->target_soc, (double)need);
    return -1;
}

/* --bridge chademo (pyPLC's charge_parameter_backend = chademo): the car's, DC only; its bus can0 unless named. */
int live_bridge_check(live_options *o)
{
    if (!o->bridge[0]) return 0;
    if (strcmp(o->bridge, "chademo") || o->role != LIVE_PEV || sess_proto_ac(o->proto)) {
        LOG_E("config: bridge = %s: only chademo, for the car (pev), charging DC", o->bridge);
        return -1;
    }
    if (!o->can[0]) snprintf(o->can, sizeof o->can, "can0");   /* pyPLC's bus */
    return 0;
}
