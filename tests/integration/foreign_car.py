#!/usr/bin/env python3
"""A scripted DIN 70121 car that is not ours, with pyPLC's car's facts (its fsmPev.py and OpenV2Gx encoder):
SupportedAppProtocol with DIN alone, EVCCID = its MAC, ChargeParameterDiscovery with EVMaximumVoltageLimit 398 V
and EVMaximumCurrentLimit 100 A, PreCharge to its battery voltage at 1 A until the reported voltage is within
10 V, CurrentDemand at 10 A up to charge_target_voltage with no EVMaximum* limits, a simulated SoC that rises
while charging, PowerDelivery(stop), WeldingDetection, SessionStop; EVSE_Shutdown or StopCharging ends the
charge the same way. Link with our SLAC, then SDP and V2GTP itself; EXI through `ccsplc exi` (lib/v2g_peer.py).
Usage: foreign_car.py CCSPLC IFNAME VARIANT
  charge       PreCharge 230 V, CurrentDemand 270 V (pyPLC as the issue met it): it must charge
  unreachable  PreCharge 350 V, CurrentDemand 270 V (target below its battery): the charger must stop it
  nonego       offers ISO 15118-20 AC only: Failed_NoNegotiation expected
  nothing      offers Tesla's namespace and ISO 15118-2 major version 3 only: Failed_NoNegotiation expected
  unusual      offers four entries out of priority order with their own SchemaIDs (below): DIN 2.1 must be chosen
               with OK_SuccessfulNegotiationWithMinorDeviation and SchemaID 11; then it charges as "charge"
  garbage      undecodable EXI after SessionSetup: the charger must close the connection
Prints what it saw ('ok: ...'); exit 0 when the car's checks hold, 1 ('FAIL: ...') otherwise."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import v2g_peer as vp  # noqa: E402

CCSPLC, IFNAME, VARIANT = sys.argv[1:4]
MAX_V, MAX_A, TARGET_A, PRECHARGE_A = 398, 100, 10, 1     # OpenV2Gx's ChargeParameterDiscoveryReq; pyPLC's targets
BATTERY_V = {"charge": 230, "unreachable": 350}            # pyPLC's accu voltage (simulated: 230 V)
TARGET_V = 270                                             # pyPLC's charge_target_voltage as the issue met it
SOC0, SOC_END = 30, 33                                     # simulated SoC: +1 % every 10 CurrentDemand cycles
STOP_WAIT = 40.0                                           # unreachable: the charger must stop it within this
DELTA_V = 10                                               # u_delta_max_for_end_of_precharge
# (namespace, major, minor, SchemaID, Priority), in this order on the wire. A charger with DIN 2.0, ISO-2 2.0 and
# ISO-20 DC and AC 1.0 has: Tesla's namespace (priority 1) no, ISO-2 major 3 (2) no (another major version), ISO-20
# WPT (3) no, DIN 2.1 (4) yes, another minor version: DIN, SchemaID 11, OK_SuccessfulNegotiationWithMinorDeviation.
UNUSUAL = [("urn:iso:std:iso:15118:-20:WPT", 1, 0, 5, 3), ("urn:din:70121:2012:MsgDef", 2, 1, 11, 4),
           ("urn:tesla:din:2018:MsgDef", 2, 0, 7, 1), ("urn:iso:15118:2:2013:MsgDef", 3, 0, 20, 2)]
NOTHING = [("urn:tesla:din:2018:MsgDef", 2, 0), ("urn:iso:15118:2:2013:MsgDef", 3, 0)]


def fail(why):
    print(f"FAIL: {why}")
    sys.exit(1)


def status(soc, prefix="ns4"):
    return (f"<{prefix}:DC_EVStatus><ns0:EVReady>true</ns0:EVReady><ns0:EVErrorCode>NO_ERROR</ns0:EVErrorCode>"
            f"<ns0:EVRESSSOC>{soc}</ns0:EVRESSSOC></{prefix}:DC_EVStatus>")


class Car:
    def __init__(self, session, mac):
        self.s, self.mac, self.sid, self.soc = session, mac, "00" * 8, SOC0

    def din(self, name, inner=""):
        r = self.s.ask("din", vp.din_xml(self.sid, f"<ns4:{name}>{inner}</ns4:{name}>"))
        if r.get("ResponseCode", "").startswith("FAILED"):
            fail(f"{name}: {r['ResponseCode']}")
        return r

    def handshake(self, protocols):
        return self.s.ask("app", vp.sap_request_xml(protocols))

    def setup(self):
        r = self.din("SessionSetupReq", f"<ns4:EVCCID>{self.mac.replace(':', '')}</ns4:EVCCID>")
        self.sid = r["SessionID"]
        self.din("ServiceDiscoveryReq")
        self.din("ServicePaymentSelectionReq", "<ns4:SelectedPaymentOption>ExternalPayment</ns4:SelectedPaymentOption>"
                 "<ns4:SelectedServiceList><ns0:SelectedService><ns0:ServiceID>1</ns0:ServiceID></ns0:SelectedService>"
                 "</ns4:SelectedServiceList>")
        while self.din("ContractAuthenticationReq")["EVSEProcessing"] != "Finished":
            time.sleep(0.2)

    def prepare(self, battery_v):
        cpd = ("<ns4:EVRequestedEnergyTransferType>DC_extended</ns4:EVRequestedEnergyTransferType>"
               f"<ns0:DC_EVChargeParameter>{status(self.soc, 'ns0')}{vp.din_value('EVMaximumCurrentLimit', MAX_A)}"
               f"{vp.din_value('EVMaximumVoltageLimit', MAX_V)}</ns0:DC_EVChargeParameter>")
        while self.din("ChargeParameterDiscoveryReq", cpd)["EVSEProcessing"] != "Finished":
            time.sleep(0.2)
        while self.din("CableCheckReq", status(self.soc))["EVSEProcessing"] != "Finished":
            time.sleep(0.2)
        voltages = []
        deadline = time.monotonic() + 30   # pyPLC gives PreCharge 30 s
        while True:
            r = self.din("PreChargeReq", status(self.soc) + vp.din_value("EVTargetVoltage", battery_v, prefix="ns4") +
                         vp.din_value("EVTargetCurrent", PRECHARGE_A, prefix="ns4"))
            voltages.append(float(r["EVSEPresentVoltage"]))
            if abs(voltages[-1] - battery_v) < DELTA_V:
                break
            if time.monotonic() > deadline:
                fail(f"PreCharge to {battery_v} V never reached: {voltages[-5:]}")
            time.sleep(0.2)
        self.power_delivery(True)
        return voltages

    def power_delivery(self, on):
        flag = "true" if on else "false"
        self.din("PowerDeliveryReq", f"<ns4:ReadyToChargeState>{flag}</ns4:ReadyToChargeState>"
                 f"<ns0:DC_EVPowerDeliveryParameter>{status(self.soc, 'ns0')}"
                 "<ns0:ChargingComplete>false</ns0:ChargingComplete></ns0:DC_EVPowerDeliveryParameter>")

    def current_demand(self):
        return self.din("CurrentDemandReq", status(self.soc) + vp.din_value("EVTargetCurrent", TARGET_A, prefix="ns4") +
                        "<ns4:ChargingComplete>false</ns4:ChargingComplete>" +
                        vp.din_value("EVTargetVoltage", TARGET_V, prefix="ns4"))

    def stop(self):
        self.power_delivery(False)
        self.din("WeldingDetectionReq", status(self.soc))
        self.din("SessionStopReq")


def stopped_by_charger(r):
    return r["DC_EVSEStatus.EVSEStatusCode"] != "EVSE_Ready" or r["DC_EVSEStatus.EVSENotification"] != "None"


def charge(car):
    pre = car.prepare(BATTERY_V["charge"])
    cycles = []
    n = 0
    while car.soc < SOC_END:
        r = car.current_demand()
        if stopped_by_charger(r):
            fail(f"the charger stopped the charge: {r['DC_EVSEStatus.EVSEStatusCode']}")
        cycles.append((float(r["EVSEPresentVoltage"]), float(r["EVSEPresentCurrent"])))
        n += 1
        car.soc += n % 10 == 0
        time.sleep(0.05)
    car.stop()
    seen = [v for v in pre] + [v for v, _ in cycles]
    if max(seen) > MAX_V:
        fail(f"the charger reported {max(seen)} V against our maximum {MAX_V} V")
    if pre[0] >= 60:
        fail(f"first PreChargeRes at {pre[0]} V: the output was not discharged after the insulation test")
    peak = max(a for _, a in cycles)
    if peak < TARGET_A - 0.5:
        fail(f"no current: at most {peak} A in {len(cycles)} CurrentDemandRes")
    flowing = [v for v, a in cycles if a > 0]
    if min(flowing) < BATTERY_V["charge"] or max(flowing) > TARGET_V:
        fail(f"voltage while charging {min(flowing)}-{max(flowing)} V, outside our battery {BATTERY_V['charge']} "
             f"V .. target {TARGET_V} V")
    print(f"ok: charged: {len(cycles)} CurrentDemandRes, up to {peak} A at {min(flowing)}-{max(flowing)} V; "
          f"first PreChargeRes {pre[0]} V; nothing above {MAX_V} V")


def unreachable(car):
    car.prepare(BATTERY_V["unreachable"])
    t0 = time.monotonic()
    while True:
        r = car.current_demand()
        if float(r["EVSEPresentCurrent"]) >= 1:
            fail(f"{r['EVSEPresentCurrent']} A flowed into a battery above the target voltage")
        if stopped_by_charger(r):
            break
        if time.monotonic() - t0 > STOP_WAIT:
            fail(f"the charger did not stop a charge without progress in {STOP_WAIT} s")
        time.sleep(0.05)
    took = time.monotonic() - t0
    car.stop()
    print(f"ok: the charger stopped the charge after {took:.1f} s: {r['DC_EVSEStatus.EVSEStatusCode']}, "
          f"{r['DC_EVSEStatus.EVSENotification']}")


def main():
    vp.slac(CCSPLC, IFNAME)
    addr, port = vp.sdp(IFNAME)
    print(f"ok: SDP: charger at [{addr}]:{port}")
    car = Car(vp.Session(vp.connect(IFNAME, addr, port), vp.Exi(CCSPLC)), vp.interface_mac(IFNAME))
    if VARIANT in ("nonego", "nothing"):
        r = car.handshake([("urn:iso:std:iso:15118:-20:WPT", 1, 0)] if VARIANT == "nonego" else NOTHING)
        if r.get("ResponseCode") != "Failed_NoNegotiation" or "SchemaID" in r:
            fail(f"supportedAppProtocolRes {r}")
        print("ok: Failed_NoNegotiation")
        return
    if VARIANT == "unusual":
        r = car.handshake(UNUSUAL)
        if r.get("ResponseCode") != "OK_SuccessfulNegotiationWithMinorDeviation" or r.get("SchemaID") != "11":
            fail(f"unusual list: supportedAppProtocolRes {r}, expected DIN's SchemaID 11 with a minor deviation")
        print("ok: unusual list: DIN 2.1 chosen (SchemaID 11, OK_SuccessfulNegotiationWithMinorDeviation)")
    elif car.handshake([vp.DIN_NAMESPACE]).get("ResponseCode") != "OK_SuccessfulNegotiation":
        fail("handshake")
    car.setup()
    if VARIANT == "garbage":
        car.s.sock.sendall(vp.v2gtp_frame(bytes([0x80, 0x9A, 0x02, 0x00, 0x00, 0x00, 0x00]) + b"\xff" * 6))
        try:
            vp.v2gtp_read(car.s.sock, 5.0)
            fail("the charger answered undecodable EXI")
        except vp.PeerClosed:
            print("ok: the charger closed the connection after undecodable EXI")
        return
    {"charge": charge, "unusual": charge, "unreachable": unreachable}[VARIANT](car)
    car.s.close()


if __name__ == "__main__":
    try:
        main()
    except (vp.PeerClosed, RuntimeError, ValueError, OSError) as e:
        fail(f"{type(e).__name__}: {e}")
