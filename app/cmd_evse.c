/* ccsplc evse: the charger (EVSE/SECC) side of a charging session on an interface or on simulated modems
 * (app/live*.c do the work). */
#include "commands.h"
#include "live.h"

int cmd_evse(int argc, char **argv) { return live_main(LIVE_EVSE, argc, argv); }
