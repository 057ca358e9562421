/* The firmware's log on UART0 of the mps2-an386 (CMSDK APB UART at 0x40004000), with a small formatter: no
 * stdio in the image (scripts/arm-link.sh bans it), one line per call. */
#include <stdarg.h>
#include <stdint.h>

#include "board.h"

#define UART0 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0 + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0 + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0 + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0 + 0x10u))
#define UART_STATE_TXFULL 1u
#define UART_CTRL_TXEN 1u

void log_init(void)
{
    UART_BAUDDIV = BOARD_TICK_HZ / 115200u;   /* 217: 115200 baud from the 25 MHz clock (at least 16) */
    UART_CTRL = UART_CTRL_TXEN;
}

static void put(char c)
{
    while (UART_STATE & UART_STATE_TXFULL) {}
    UART_DATA = (uint8_t)c;
}

static void put_num(uint32_t v, unsigned base, unsigned width, int neg)
{
    char digits[12];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg) put('-');
    while (width > n) {
        put('0');
        width--;
    }
    while (n) put(digits[--n]);
}

void fw_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(*f);
            continue;
        }
        unsigned width = 0;
        while (f[1] >= '0' && f[1] <= '9') width = width * 10u + (unsigned)(*++f - '0');
        switch (*++f) {
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++) put(*s);
            break;
        case 'c': put((char)va_arg(ap, int)); break;
        case 'u': put_num(va_arg(ap, unsigned), 10, width, 0); break;
        case 'x': put_num(va_arg(ap, unsigned), 16, width, 0); break;
        case 'd': {
            int v = va_arg(ap, int);
            put_num(v < 0 ? 0u - (unsigned)v : (unsigned)v, 10, width, v < 0);
            break;
        }
        case '%': put('%'); break;
        default: f--; break;   /* an unknown conversion: printed as is */
        }
    }
    va_end(ap);
    put('\n');
}
