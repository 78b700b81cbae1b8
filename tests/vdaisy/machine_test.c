/*
 * Exercises the virtual Daisy's exception model the way HAL-style code uses it: SysTick
 * interrupts while Thread mode computes in FP registers (extended frame, ARMv7-M §B1.5.7),
 * a handler that uses the FP registers itself, SVC returning a value through the stacked r0,
 * PendSV tail-chained from SysTick at a lower priority, and SysTick time against DWT CYCCNT.
 * The verdict goes to vd_result (0x600D or an error code) before the loop at test_done.
 */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SCB_ICSR 0xE000ED04u
#define SCB_SHPR3 0xE000ED20u
#define SCB_CPACR 0xE000ED88u
#define DEMCR 0xE000EDFCu
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define DWT_LAR 0xE0001FB0u
#define HSI_HZ 64000000u
#define TICK_HZ 10000u
#define TICKS 20u
#define PASS 0x600Du

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
volatile uint32_t vd_result, ticks, pendsv_runs;
volatile float handler_sum;

void SysTick_Handler(void)
{
    ticks++;
    /* Clobber the FP registers the interrupted code uses: its values must come back. */
    float x = (float)ticks;
    handler_sum += x * 0.5f + 1.0f;
    if (ticks % 4u == 0)
        REG(SCB_ICSR) = 1u << 28; /* PENDSVSET */
}

void PendSV_Handler(void)
{
    pendsv_runs++;
}

__attribute__((naked)) void SVC_Handler(void)
{
    /* r0 of the caller is the first word of the frame: add one to it. */
    __asm__ volatile("ldr r0, [sp]\n adds r0, #1\n str r0, [sp]\n bx lr");
}

static uint32_t svc_add_one(uint32_t v)
{
    register uint32_t r0 __asm__("r0") = v;
    __asm__ volatile("svc #1" : "+r"(r0)::"memory");
    return r0;
}

__attribute__((noinline, used)) void test_done(void)
{
    for (;;) {
    }
}

/* Double precision (FPv5-D16 has it; libunicorn's default M-class core does not): VMOV
 * immediate, VLDR/VSTR of D registers, VADD/VMUL/VDIV/VSQRT.F64, VCVT between F32, F64 and
 * integers, VCMP.F64 — what newlib's powf and DaisySP execute. Operands through volatiles so
 * the compiler cannot fold them. */
static uint32_t check_double(void)
{
    volatile double three = 3.0, seven = 7.0, two = 2.0;
    volatile float one_and_half = 1.5f;
    double d = (three * seven + 0.5) / two; /* 10.75 */
    if (d != 10.75)
        return 6;
    if ((int)(d * 4.0) != 43 || (double)one_and_half + d != 12.25)
        return 7;
    double r = 1.0; /* Newton for sqrt(2): x/r and the mean, in D registers */
    for (int i = 0; i < 6; i++)
        r = (r + two / r) * 0.5;
    if (!(r > 1.41421356237 && r < 1.41421356238) || (float)r != 1.41421356f)
        return 8;
    return PASS;
}

static uint32_t run(void)
{
    uint32_t dp = check_double();
    if (dp != PASS)
        return dp;
    if (svc_add_one(41u) != 42u)
        return 1;
    REG(DEMCR) |= 1u << 24;
    REG(DWT_LAR) = 0xC5ACCE55u;
    REG(DWT_CYCCNT) = 0;
    REG(DWT_CTRL) |= 1u;
    REG(SCB_SHPR3) = (0xF0u << 16) | (0x80u << 24); /* PendSV lowest, SysTick above it */
    REG(SYST_RVR) = HSI_HZ / TICK_HZ - 1u;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7u; /* processor clock, interrupt, enable */
    volatile float acc = 0.0f;
    float a = 1.0f, b = 0.25f;
    uint32_t t0 = REG(DWT_CYCCNT), n = 0;
    while (ticks < TICKS) {
        a = a * 1.0001f + b; /* kept in s-registers across the interrupts */
        acc = a;
        n++;
    }
    uint32_t cycles = REG(DWT_CYCCNT) - t0;
    REG(SYST_CSR) = 0;
    (void)acc;
    /* The same n steps again with SysTick off: bit for bit the same, or a handler's FP use
     * leaked into Thread mode's registers (the extended frame was not restored). */
    volatile float b2 = 0.25f;
    float again = 1.0f;
    for (uint32_t i = 0; i < n; i++)
        again = again * 1.0001f + b2;
    if (n == 0 || again != a)
        return 2;
    /* 20 ticks of 6400 cycles, within one tick either way. */
    if (cycles + HSI_HZ / TICK_HZ < TICKS * (HSI_HZ / TICK_HZ) ||
        cycles > (TICKS + 1u) * (HSI_HZ / TICK_HZ))
        return 3;
    if (pendsv_runs != TICKS / 4u)
        return 4;
    float expect = 0.0f;
    for (uint32_t i = 1; i <= TICKS; i++)
        expect += (float)i * 0.5f + 1.0f;
    if (handler_sum != expect)
        return 5;
    return PASS;
}

void Reset_Handler(void)
{
    REG(SCB_CPACR) |= 0xFu << 20;
    for (uint32_t *s = &_sidata, *d = &_sdata; d < &_edata;)
        *d++ = *s++;
    for (uint32_t *d = &_sbss; d < &_ebss;)
        *d++ = 0;
    vd_result = run();
    test_done();
}

typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) const vector_t vectors[16] = {
    (vector_t)&_estack, Reset_Handler, 0, 0, 0, 0, 0, 0, 0, 0, 0, SVC_Handler, 0, 0,
    PendSV_Handler, SysTick_Handler,
};
