/* Reset and interrupts of the mps2-an386 firmware: the vector table, .data/.bss set-up, the stack painted for
 * its peak, the SysTick millisecond clock, the 25 MHz measurement counter (CMSDK APB timer 0), the run's end
 * through semihosting (QEMU -semihosting-config enable=on). */
#include <stdint.h>
#include <string.h>

#include "board.h"

#define REG(a) (*(volatile uint32_t *)(a))
/* ARMv7-M System Control Space (ARMv7-M ARM B3.2, B3.3). */
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define SYST_CSR_ENABLE 1u
#define SYST_CSR_TICKINT 2u
#define SYST_CSR_CLKSOURCE 4u   /* the processor clock (25 MHz on the MPS2) */
/* CMSDK APB timer 0 (mps2-an386: 0x40000000, clocked with the 25 MHz system clock): a 32-bit down-counter. */
#define TIMER0_CTRL REG(0x40000000u)
#define TIMER0_VALUE REG(0x40000004u)
#define TIMER0_RELOAD REG(0x40000008u)

#define STACK_PAINT 0x5AA5C33Cu

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_limit, __stack;
int main(void);
void reset_handler(void);
void systick_handler(void);
void fault_handler(void);

static volatile uint32_t millis;

uint32_t board_millis(void) { return millis; }
uint32_t board_ticks(void) { return ~TIMER0_VALUE; }
void board_idle(void) { __asm volatile("wfi"); }

void systick_handler(void) { millis++; }

/* Paints the stack below the current frame (a few words of margin) so board_stack_peak can find its low mark. */
static void __attribute__((noinline)) paint_stack(void)
{
    uint32_t *p = &__stack_limit;
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    while (p < sp - 16) *p++ = STACK_PAINT;
}

size_t board_stack_peak(void)
{
    const uint32_t *p = &__stack_limit;
    while (p < &__stack && *p == STACK_PAINT) p++;
    return (size_t)((const uint8_t *)&__stack - (const uint8_t *)p);
}

/* Semihosting SYS_EXIT (ARM "Semihosting for AArch32 and AArch64" 6.5: r0 = 0x18, r1 = the reason):
 * ADP_Stopped_ApplicationExit makes QEMU exit with status 0, any other reason with 1. */
void board_exit(int ok)
{
    register uint32_t r0 __asm("r0") = 0x18u;
    register uint32_t r1 __asm("r1") = ok ? 0x20026u : 0x20023u;   /* ApplicationExit : RunTimeErrorUnknown */
    __asm volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
    for (;;) __asm volatile("wfi");
}

void fault_handler(void)
{
    fw_log("fault: hard fault, stopping");
    board_exit(0);
}

void reset_handler(void)
{
    memcpy(&__data_start, &__data_load, (size_t)((uint8_t *)&__data_end - (uint8_t *)&__data_start));
    memset(&__bss_start, 0, (size_t)((uint8_t *)&__bss_end - (uint8_t *)&__bss_start));
    paint_stack();
    TIMER0_RELOAD = 0xFFFFFFFFu;
    TIMER0_VALUE = 0xFFFFFFFFu;
    TIMER0_CTRL = 1u;
    SYST_RVR = BOARD_TICK_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
    board_exit(main() == 0);
}

/* Cortex-M vector table: initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault, 4 reserved, SVCall,
 * DebugMonitor, reserved, PendSV, SysTick. The peripherals' interrupts stay off (the main loop polls). */
__attribute__((section(".isr_vector"), used)) static const void *const vectors[16] = {
    &__stack, (const void *)reset_handler, (const void *)fault_handler, (const void *)fault_handler,
    (const void *)fault_handler, (const void *)fault_handler, (const void *)fault_handler, 0, 0, 0, 0,
    (const void *)fault_handler, (const void *)fault_handler, 0, (const void *)fault_handler,
    (const void *)systick_handler,
};
