/* ccsplc pev: the car (PEV/EVCC) side of a charging session on an interface or on simulated modems
 * (app/live*.c do the work). */
#include "commands.h"
#include "live.h"

int cmd_pev(int argc, char **argv) { return live_main(LIVE_PEV, argc, argv); }
