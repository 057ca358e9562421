/* The random source of the mps2-an386 firmware: the board has no RNG, so a splitmix64 generator stirred with the
 * 25 MHz counter at every call (the timing of frames and of the host running QEMU). Good for a car's SLAC RunID
 * and TCP initial sequence numbers in an emulator; a real board uses its TRNG here (docs/porting.md). */
#include <stdint.h>

#include "board.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

int board_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i += 8) {
        state += 0x9E3779B97F4A7C15u ^ board_ticks();   /* splitmix64 (Steele, Lea, Flood 2014) */
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        z ^= z >> 31;
        for (size_t k = 0; k < 8 && i + k < len; k++) out[i + k] = (uint8_t)(z >> (8 * k));
    }
    return 0;
}
