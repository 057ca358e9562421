# Josev's EVCC (iso15118/evcc/main.py) with the ccsplc-backed EXI codec; argv[1]: the EV config JSON.
import asyncio, sys
from iso15118.evcc import Config, EVCCHandler
from iso15118.evcc.controller.simulator import SimEVController
from iso15118.evcc.evcc_config import load_from_file
from ccsplc_codec import CcsplcEXICodec


async def main():
    config = Config()
    config.load_envs()
    evcc_config = await load_from_file(sys.argv[1])
    await EVCCHandler(evcc_config=evcc_config, iface=config.iface, exi_codec=CcsplcEXICodec(),
                      ev_controller=SimEVController(evcc_config)).start()

asyncio.run(main())
