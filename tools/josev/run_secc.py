# Josev's SECC (iso15118/secc/main.py) with the ccsplc-backed EXI codec and a bench power stage around Josev's own
# simulator: realistic DC limits (its defaults are 40 V / 40 A) and present voltage/current that follow the car's
# targets (its send_charging_command does nothing, so PreCharge would never reach the car's voltage).
import asyncio
from iso15118.secc import SECCHandler
from iso15118.secc.controller.interface import ServiceStatus
from iso15118.secc.controller.simulator import SimEVSEController
from iso15118.secc.secc_settings import Config
from iso15118.shared.messages.datatypes import (
    PVEVSEMaxCurrentLimit, PVEVSEMaxPowerLimit, PVEVSEMaxVoltageLimit, PVEVSEMinCurrentLimit,
    PVEVSEMinVoltageLimit, PVEVSEPeakCurrentRipple)
from ccsplc_codec import CcsplcEXICodec


class BenchEVSE(SimEVSEController):
    def __init__(self):
        super().__init__()
        ac = self.evse_data_context.session_limits.ac_limits   # Josev's default: 10 W per phase
        ac.max_charge_power = 11000
        for k in ("max_charge_power_l2", "max_charge_power_l3", "max_charge_reactive_power",
                  "max_charge_reactive_power_l2", "max_charge_reactive_power_l3"):
            setattr(ac, k, None)
        self.evse_data_context.present_active_power = 11000

    async def get_dc_charge_parameters(self):
        p = await super().get_dc_charge_parameters()
        p.evse_maximum_power_limit = PVEVSEMaxPowerLimit(multiplier=3, value=50, unit="W")
        p.evse_maximum_current_limit = PVEVSEMaxCurrentLimit(multiplier=0, value=125, unit="A")
        p.evse_maximum_voltage_limit = PVEVSEMaxVoltageLimit(multiplier=0, value=500, unit="V")
        p.evse_minimum_current_limit = PVEVSEMinCurrentLimit(multiplier=0, value=1, unit="A")
        p.evse_minimum_voltage_limit = PVEVSEMinVoltageLimit(multiplier=0, value=50, unit="V")
        p.evse_peak_current_ripple = PVEVSEPeakCurrentRipple(multiplier=0, value=1, unit="A")
        return p

    async def send_charging_command(self, ev_target_voltage=None, ev_target_current=None, is_precharge=False,
                                    is_session_bpt=False):
        ctx = self.evse_data_context
        if ev_target_voltage is None and ev_target_current is None:
            ctx.present_current = 50   # ISO-20 Dynamic mode: the charger sets the current (a fixed 50 A here)
        if ev_target_voltage is not None:
            ctx.present_voltage = int(ev_target_voltage)
        if ev_target_current is not None:
            ctx.present_current = int(ev_target_current)


async def main():
    config = Config()
    config.load_envs()
    config.print_settings()
    ctrl = BenchEVSE()
    await ctrl.set_status(ServiceStatus.STARTING)
    await SECCHandler(exi_codec=CcsplcEXICodec(), evse_controller=ctrl, config=config).start(config.iface)

asyncio.run(main())
