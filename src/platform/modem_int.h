/* Internal helpers shared by the modem management files (modem_client.c, modem_pib.c). */
#ifndef CCSPLC_PLATFORM_MODEM_INT_H
#define CCSPLC_PLATFORM_MODEM_INT_H

#include "ccsplc/linux/modem.h"

void modem_progress(modem_client *c, const char *stage, size_t done, size_t total);
/* Pack m from our MAC to c->dst and send it. 0 or CCS_E*. */
int modem_send(modem_client *c, hpgp_msg *m);
/* Wait until deadline (io clock) for a confirmation of `kind` for us: 1 with *cnf, 0 on timeout, or CCS_E*. */
int modem_recv(modem_client *c, hpgp_kind kind, uint32_t deadline, hpgp_msg *cnf);
/* Send req and wait for its confirmation, repeating on silence. 0 with *cnf, CCS_ETIMEOUT, or CCS_E*. */
int modem_transact(modem_client *c, hpgp_msg *req, hpgp_kind kind, hpgp_msg *cnf);

#endif
