/* The car firmware's board layer (firmware/mps2-an386/board.h) on Linux, for tests/integration/qca_firmware.sh:
 * the firmware's main loop (car.c, session.c) with examples/qca7000/eth_qca7000.c as its frame I/O, whose SPI
 * transfers go to the QCA7000 model (tests/unit/qca_model.c); the model's powerline side is a raw socket on the
 * interface named by CCS_QCA_IFACE. The log goes to stdout; the clock is CLOCK_MONOTONIC. */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "eth_qca7000.h"
#include "qca_model.h"

#define ETH_MIN 60u

static qca_model modem;
static int sock = -1;
static uint8_t ifmac[6];
static struct timespec start;

static uint64_t ns_since_start(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)(t.tv_sec - start.tv_sec) * 1000000000u + (uint64_t)t.tv_nsec - (uint64_t)start.tv_nsec;
}

uint32_t board_millis(void) { return (uint32_t)(ns_since_start() / 1000000u); }

uint32_t board_ticks(void) { return (uint32_t)(ns_since_start() / (1000000000u / BOARD_TICK_HZ)); }

/* The modem put a frame on the powerline. */
static void to_line(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    if (send(sock, frame, len, 0) != (ssize_t)len) perror("qca host: send");
}

/* Frames from the line into the modem's read buffer while it runs and has room for one more (the rest wait in the
 * socket); shorter ones padded to the Ethernet minimum, as on a wire (a veth does not pad). */
static void from_line(int timeout_ms)
{
    struct pollfd p = { .fd = sock, .events = POLLIN };
    if (poll(&p, 1, timeout_ms) <= 0) return;
    while (!modem.booting && sizeof modem.rbuf - modem.rlen >= 4 + 10 + QM_ETH_MAX) {
        uint8_t f[QM_ETH_MAX + 64];
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(sock, f, sizeof f, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n <= 0) return;
        if (from.sll_pkttype == PACKET_OUTGOING) continue;   /* our own frames, seen on the way out */
        if ((size_t)n < ETH_MIN) {
            memset(f + n, 0, ETH_MIN - (size_t)n);
            n = ETH_MIN;
        }
        (void)qm_receive(&modem, f, (size_t)n);   /* longer than 1518: dropped, as the modem would */
    }
}

void board_idle(void) { from_line(1); }

int board_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

void spi_xfer(const uint8_t *tx, uint8_t *rx, size_t len) { qm_xfer(&modem, tx, rx, len); }

void board_host_mac(uint8_t mac[6]) { memcpy(mac, ifmac, 6); }

/* At the end of the run (main returns its verdict): what the driver and the model counted. */
static void report(void)
{
    const eth_qca7000_counters *c = eth_qca7000_stats();
    fw_log("qca: modem resets %u, starts %u, tx refused %u, dropped %u; model: frames out %u in %u (dropped %u), "
           "errors write %u read %u framing %u transfers %u", (unsigned)c->resets, (unsigned)c->cpu_on,
           (unsigned)c->tx_too_long, (unsigned)c->tx_dropped, modem.frames_out, modem.frames_in, modem.dropped_in,
           modem.wr_errors, modem.rd_errors, modem.bad_frames, modem.bad_xfers);
}

/* The board's bring-up (the firmware calls it first): the raw socket on CCS_QCA_IFACE and the modem, powered up. */
void log_init(void)
{
    const char *ifname = getenv("CCS_QCA_IFACE");
    struct ifreq ifr;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (!ifname || strlen(ifname) >= sizeof ifr.ifr_name) {
        fprintf(stderr, "qca host: set CCS_QCA_IFACE to the interface of the powerline side\n");
        exit(2);
    }
    sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, ifname);
    if (sock < 0 || ioctl(sock, SIOCGIFINDEX, &ifr) != 0) {
        perror("qca host: raw socket");
        exit(1);
    }
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifr.ifr_ifindex };
    struct packet_mreq mr = { .mr_ifindex = ifr.ifr_ifindex, .mr_type = PACKET_MR_PROMISC };
    if (bind(sock, (struct sockaddr *)&sll, sizeof sll) != 0 || ioctl(sock, SIOCGIFHWADDR, &ifr) != 0 ||
        setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
        perror("qca host: bind");
        exit(1);
    }
    memcpy(ifmac, ifr.ifr_hwaddr.sa_data, 6);
    modem.on_powerline = to_line;
    modem.boot_xfers = 20;
    qm_init(&modem);
    atexit(report);
}

void fw_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

size_t board_stack_peak(void) { return 0; }   /* not measured on the host */
