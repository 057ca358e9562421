// Manual interop harness (docs/interop.md, not CI): EVerest's libiso15118 ISO 15118-20 SECC (its TbdController:
// SDP server, TCP or TLS 1.3, the -20 state machine) on one interface, with a bench power stage standing in for
// EVerest's EvseManager: EIM authorised at once, cable check passes, the DC output follows PreCharge's target and
// then gives the car what it asks within 500 V / 125 A / 50 kW, the AC contactor closes when asked (3 x 230 V, 11 kW).
// What the library reports through these callbacks goes to stdout, its log to stderr. It serves until killed.
//   everest_secc IFACE dc|ac|dc,ac [CHAIN KEY ROOT1 ROOT2]   TLS (TLS 1.3 only): the SECC's certificate chain and
//   key (PEM), and the two roots libiso15118 loads to verify the car's certificate (its "V2G root" and "MO root";
//   for ccsplc's test PKI: the V2G root and the OEM root)
#include <algorithm>
#include <cstdio>
#include <string>

#include <iso15118/io/logging.hpp>
#include <iso15118/session/logger.hpp>
#include <iso15118/tbd_controller.hpp>

namespace dt = iso15118::message_20::datatypes;
namespace fb = iso15118::session::feedback;
using iso15118::d20::ControlEvent;

static constexpr float MAX_V = 500, MIN_V = 150, MAX_A = 125, MAX_W = 50000, AC_W = 11000;

static iso15118::TbdController* controller;
static float ev_voltage; // the battery voltage the car reports in the charge loop

static void send(const ControlEvent& ev) {
    controller->send_control_event(ev);
}

static float f(const dt::RationalNumber& r) {
    return dt::from_RationalNumber(r);
}

// the current the stage delivers at the car's voltage v for a request of `want` amperes (and `watts` at most)
static float delivered(float v, float want, float watts) {
    const float cap = std::min(MAX_A, std::min(MAX_W, watts) / std::max(v, 1.0f));
    return std::max(0.0f, std::min(want, cap));
}

static void output(float v, float a) {
    std::printf("bench: output %.1f V %.1f A\n", v, a);
    send(iso15118::d20::PresentVoltageCurrent{v, a});
}

static void on_dc_loop(const fb::DcChargeLoopReq& req) {
    if (const auto* v = std::get_if<fb::PresentVoltage>(&req)) {
        ev_voltage = f(*v);
    } else if (const auto* mode = std::get_if<fb::DcReqControlMode>(&req)) {
        const float v = ev_voltage > 0 ? ev_voltage : MIN_V;
        if (const auto* s = std::get_if<dt::Scheduled_DC_CLReqControlMode>(mode)) {
            std::printf("car: scheduled target %.1f V %.1f A\n", f(s->target_voltage), f(s->target_current));
            output(v, delivered(v, f(s->target_current), MAX_W));
        } else if (const auto* d = std::get_if<dt::Dynamic_DC_CLReqControlMode>(mode)) {
            std::printf("car: dynamic max %.0f W %.1f A, energy request %.0f Wh\n", f(d->max_charge_power),
                        f(d->max_charge_current), f(d->target_energy_request));
            output(v, delivered(v, f(d->max_charge_current), f(d->max_charge_power)));
        } else {
            std::printf("car: BPT control mode (not simulated)\n");
        }
    } else if (const auto* dp = std::get_if<dt::DisplayParameters>(&req)) {
        if (dp->present_soc) {
            std::printf("car: SoC %d %%\n", *dp->present_soc);
        }
    }
}

static void on_ac_loop(const fb::AcChargeLoopReq& req) {
    const auto* mode = std::get_if<fb::AcReqControlMode>(&req);
    if (mode == nullptr) {
        return;
    }
    float want = 0;
    if (const auto* d = std::get_if<dt::Dynamic_AC_CLReqControlMode>(mode)) {
        want = f(d->max_charge_power);
    } else if (const auto* s = std::get_if<dt::Scheduled_AC_CLReqControlMode>(mode)) {
        want = s->max_charge_power ? f(*s->max_charge_power) : AC_W;
    }
    const float w = std::max(0.0f, std::min(want, AC_W));
    std::printf("bench: AC %.0f W (car's maximum %.0f W)\n", w, want);
    send(iso15118::d20::AcTargetPower{dt::from_float(w), {}, {}, {}, {}, {}, {}});
    send(iso15118::d20::AcPresentPower{dt::from_float(w), {}, {}});
}

static void on_signal(fb::Signal s) {
    using S = fb::Signal;
    static const char* const names[] = {"REQUIRE_AUTH_EIM",     "START_CABLE_CHECK",    "SETUP_FINISHED",
                                        "PRE_CHARGE_STARTED",   "CHARGE_LOOP_STARTED",  "CHARGE_LOOP_FINISHED",
                                        "DC_OPEN_CONTACTOR",    "AC_CLOSE_CONTACTOR",   "AC_OPEN_CONTACTOR",
                                        "DLINK_TERMINATE",      "DLINK_ERROR",          "DLINK_PAUSE"};
    std::printf("signal: %s\n", names[static_cast<int>(s)]);
    switch (s) {
    case S::REQUIRE_AUTH_EIM:
        send(iso15118::d20::AuthorizationResponse{true});
        break;
    case S::START_CABLE_CHECK:
        send(iso15118::d20::CableCheckFinished{true});
        break;
    case S::DC_OPEN_CONTACTOR:
        output(0, 0); // welding detection then sees the output discharged
        break;
    case S::AC_CLOSE_CONTACTOR:
        send(iso15118::d20::ClosedContactor{true});
        break;
    default:
        break;
    }
    std::fflush(stdout);
}

static iso15118::d20::DcTransferLimits dc_limits() {
    iso15118::d20::DcTransferLimits l{};
    l.charge_limits.power = {dt::from_float(MAX_W), dt::from_float(0)};
    l.charge_limits.current = {dt::from_float(MAX_A), dt::from_float(0)};
    l.voltage = {dt::from_float(MAX_V), dt::from_float(MIN_V)};
    return l;
}

static fb::Callbacks callbacks() {
    fb::Callbacks cb;
    cb.signal = on_signal;
    cb.dc_pre_charge_target_voltage = [](float v) { output(std::min(v, MAX_V), 0); };
    cb.dc_charge_loop_req = on_dc_loop;
    cb.ac_charge_loop_req = on_ac_loop;
    cb.dc_max_limits = [](const fb::DcMaximumLimits& m) {
        std::printf("car: DC maxima %.0f V %.1f A %.0f W\n", m.voltage, m.current, m.power);
    };
    cb.evccid = [](const std::string& id) { std::printf("car: EVCCID %s\n", id.c_str()); };
    cb.selected_protocol = [](const std::string& p) { std::printf("protocol: %s\n", p.c_str()); };
    cb.ev_termination = [](const std::string& code, const std::string& why) {
        std::printf("car: termination %s %s\n", code.c_str(), why.c_str());
    };
    cb.v2g_message = [](const iso15118::message_20::Type& t) { std::printf("req: %d\n", static_cast<int>(t)); };
    return cb;
}

int main(int argc, char* argv[]) {
    if (argc != 3 && argc != 7) {
        std::fprintf(stderr, "usage: everest_secc IFACE dc|ac|dc,ac [CHAIN KEY ROOT1 ROOT2]\n");
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    iso15118::io::set_logging_callback(
        [](iso15118::LogLevel, const std::string& msg) { std::fprintf(stderr, "%s\n", msg.c_str()); });
    namespace sl = iso15118::session::logging;   // called unchecked: without it the first SDP request aborts
    sl::set_session_log_callback([](std::size_t, const sl::Event& ev) {
        if (const auto* e = std::get_if<sl::SimpleEvent>(&ev)) {
            std::fprintf(stderr, "session: %s\n", e->info.c_str());
        } else if (const auto* m = std::get_if<sl::ExiMessageEvent>(&ev)) {
            std::fprintf(stderr, "session: %s EXI %zu bytes\n",
                         m->direction == sl::ExiMessageDirection::FROM_EV ? "<-" : "->", m->len);
        }
    });

    iso15118::d20::EvseSetupConfig setup{};
    setup.evse_id = "DE*CCS*E0001";
    const std::string services = argv[2];
    if (services.find("dc") != std::string::npos) {
        setup.supported_energy_services.push_back(dt::ServiceCategory::DC);
    }
    if (services.find("ac") != std::string::npos) {
        setup.supported_energy_services.push_back(dt::ServiceCategory::AC);
        setup.ac_setup_config = iso15118::d20::AcSetupConfig{230, {dt::AcConnector::ThreePhase}};
    }
    setup.authorization_services = {dt::Authorization::EIM};
    setup.dc_limits = dc_limits();
    setup.powersupply_limits = dc_limits();
    setup.ac_limits.charge_power = {dt::from_float(AC_W), dt::from_float(0)};
    setup.ac_limits.nominal_frequency = dt::from_float(50);
    setup.control_mobility_modes = {{dt::ControlMode::Dynamic, dt::MobilityNeedsMode::ProvidedByEvcc},
                                    {dt::ControlMode::Scheduled, dt::MobilityNeedsMode::ProvidedByEvcc}};

    iso15118::TbdConfig config{};
    config.interface_name = argv[1];
    if (argc == 7) {
        config.ssl.path_certificate_chain = argv[3];
        config.ssl.path_certificate_key = argv[4];
        config.ssl.path_certificate_v2g_root = argv[5];
        config.ssl.path_certificate_mo_root = argv[6];
        config.ssl.enforce_tls_1_3 = true;
    }
    iso15118::TbdController c(config, callbacks(), setup);
    controller = &c;
    c.loop();
    return 1;
}
