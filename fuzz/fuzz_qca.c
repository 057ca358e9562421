/* libFuzzer target: the QCA7000 frame decoder on hostile SPI and UART byte streams, split into records as the
 * reads of a driver would split them. Every frame it delivers has a legal length, and re-encoded and decoded
 * on its own comes out the same. */
#include <string.h>

#include "ccsplc/core/qca7000.h"
#include "fuzz_util.h"

static void check_frame(const qca_rx *d, int n)
{
    static uint8_t enc[QCA_FRM_MAX_LEN];
    static qca_rx again;
    size_t len, used;
    FUZZ_CHECK(n >= QCA_ETH_MIN_LEN && n <= QCA_ETH_MAX_LEN);
    FUZZ_CHECK(qca_frame_encode(d->frame, (size_t)n, enc, sizeof enc, &len) == 0);
    FUZZ_CHECK(len == (size_t)n + QCA_FRM_OVERHEAD);
    qca_rx_init(&again, 0);
    FUZZ_CHECK(qca_rx_feed(&again, enc, len, &used) == n && used == len);
    FUZZ_CHECK(memcmp(again.frame, d->frame, (size_t)n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qca_rx d;
    if (size < 1) return 0;
    qca_rx_init(&d, data[0] & 1);
    data++;
    size--;
    const uint8_t *rec;
    size_t len;
    uint32_t frames = 0;
    while (fuzz_record(&data, &size, &rec, &len)) {
        while (len) {
            size_t used;
            int n = qca_rx_feed(&d, rec, len, &used);
            FUZZ_CHECK(used <= len);
            if (n == 0) {
                FUZZ_CHECK(used == len);
                break;
            }
            FUZZ_CHECK(used > 0);
            frames++;
            check_frame(&d, n);
            rec += used;
            len -= used;
        }
    }
    FUZZ_CHECK(d.stats.frames == frames);
    return 0;
}
