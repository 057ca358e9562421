/* pyPLC's serial boards as hardware backends of the car (docs/hardware.md): `dieter` (the DieterLV/HV
 * Arduinos: outputs "do000N", inlet voltage "A0=NNNN") and `celeron55device` (one line per command and value),
 * on a serial port at pyPLC's baud rate (serial_baud, 19200). */
#ifndef CCSPLC_LINUX_HW_SERIAL_H
#define CCSPLC_LINUX_HW_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "ccsplc/core/hw.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HW_SERIAL_BAUD 19200u          /* pyPLC's serial_baud */
#define HW_DIETER_REFRESH_MS 480u      /* pyPLC repeats the dieter outputs every 16th 30 ms cycle */
#define HW_SERIAL_SILENT_MS 2000u      /* a board that reported values and then says nothing this long: link lost */

typedef enum { HW_BOARD_NONE, HW_BOARD_DIETER, HW_BOARD_CELERON55 } hw_board_kind;

typedef struct {
    hw_board_kind kind;
    int analog;                        /* analog_input_device is this board: it reports the inlet voltage */
    int fd;
    char path[128];
    char rx[256];
    size_t rx_len;
    uint32_t last_rx_ms, last_tx_ms;
    int heard, dead;
    int sent_any;
    hw_cmd sent;                       /* the levels last written */
    hw_meas m;                         /* what the board reported (kept until it reports again) */
    /* celeron55device values read and logged but not used by the session yet */
    int dc_link_v, soc_percent, max_charge_a, cp_pwm;
} hw_serial;

/* "dieter" / "celeron55device" -> kind (0), anything else -1. */
int hw_board_parse(const char *name, hw_board_kind *kind);
const char *hw_board_name(hw_board_kind kind);
/* Open path (raw, 8N1, baud) for the board. 0 or CCS_EIO (logged) / CCS_ERANGE (a baud rate termios lacks). */
int hw_serial_open(hw_serial *s, hw_board_kind kind, int analog, const char *path, unsigned baud);
/* pyPLC's serial_port = auto: the first /dev/ttyUSB* or /dev/ttyACM*. 0 or CCS_ENOTFOUND. */
int hw_serial_find_port(char *out, size_t cap);
void hw_serial_backend(hw_serial *s, hw_backend *b);
void hw_serial_close(hw_serial *s);

/* The line protocols (sans-I/O): the bytes for a command (dieter: the output word when it changed or refresh
 * is due; celeron55device: one line per level that changed), and one received line into the measurement. */
size_t hw_board_encode(hw_board_kind kind, const hw_cmd *cmd, const hw_cmd *sent, int sent_any, int refresh,
                       char *out, size_t cap);
void hw_board_line(hw_serial *s, const char *line);

#ifdef __cplusplus
}
#endif

#endif
