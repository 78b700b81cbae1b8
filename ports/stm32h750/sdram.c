/*
 * FMC SDRAM bank 1 (SDNE0/SDCKE0) with the Seed's AS4C16M32MSA. RM0433 §22.9.3 (SDRAM
 * initialisation sequence: clock enable, 100 us+ wait, PALL, auto-refreshes, load mode
 * register, refresh rate), registers §22.9.7. Pins from libDaisy src/dev/sdram.cpp (all AF12).
 */
#include "h7_stm32h750_consts.h" /* SDCR/SDTR/refresh from h7_calc.c */
#include "h7_port.h"
#include "sdram_part.h"
#include "stm32h750_regs.h"

#define FMC_AF 12u
#define SDRAM_BUSY_TIMEOUT_US 1000u
#define P(n) (1u << (n))
#define FMC_PINS_D (P(0) | P(1) | P(8) | P(9) | P(10) | P(14) | P(15))
#define FMC_PINS_E (P(0) | P(1) | P(7) | P(8) | P(9) | P(10) | P(11) | P(12) | P(13) | P(14) | P(15))
#define FMC_PINS_F (P(0) | P(1) | P(2) | P(3) | P(4) | P(5) | P(11) | P(12) | P(13) | P(14) | P(15))
#define FMC_PINS_G (P(0) | P(1) | P(2) | P(4) | P(5) | P(8) | P(15))
#define FMC_PINS_H (P(2) | P(3) | P(5) | P(8) | P(9) | P(10) | P(11) | P(12) | P(13) | P(14) | P(15))
#define FMC_PINS_I (P(0) | P(1) | P(2) | P(3) | P(4) | P(5) | P(6) | P(7) | P(9) | P(10))

static int sdram_command(uint32_t mode, uint32_t refreshes, uint32_t mode_register)
{
    uint32_t t0 = h7_cycles();
    while (H7_REG(FMC_SDSR) & FMC_SDSR_BUSY)
        if (h7_us_since(t0) > SDRAM_BUSY_TIMEOUT_US)
            return -1;
    H7_REG(FMC_SDCMR) = mode | FMC_SDCMR_CTB1 | H7_FIELD(refreshes - 1u, FMC_SDCMR_NRFS_POS) |
                        H7_FIELD(mode_register, FMC_SDCMR_MRD_POS);
    t0 = h7_cycles();
    while (H7_REG(FMC_SDSR) & FMC_SDSR_BUSY)
        if (h7_us_since(t0) > SDRAM_BUSY_TIMEOUT_US)
            return -1;
    return 0;
}

int h7_sdram_init(void)
{
    static const uint16_t pins[][2] = {
        {GPIO_PORT_D, FMC_PINS_D}, {GPIO_PORT_E, FMC_PINS_E}, {GPIO_PORT_F, FMC_PINS_F},
        {GPIO_PORT_G, FMC_PINS_G}, {GPIO_PORT_H, FMC_PINS_H}, {GPIO_PORT_I, FMC_PINS_I},
    };
    for (unsigned i = 0; i < sizeof pins / sizeof pins[0]; i++)
        h7_gpio_config(pins[i][0], pins[i][1], GPIO_MODE_AF, FMC_AF, GPIO_PULL_NONE);

    H7_REG(RCC_AHB3ENR) |= RCC_AHB3_FMC;
    (void)H7_REG(RCC_AHB3ENR);
    H7_REG(FMC_SDCR1) = H7_SDRAM_SDCR;
    H7_REG(FMC_SDTR1) = H7_SDRAM_SDTR;
    H7_REG(FMC_BCR1) |= FMC_BCR1_FMCEN;

    if (sdram_command(FMC_SDCMR_MODE_CLK_ENABLE, 1, 0))
        return -1;
    h7_delay_us(H7_SDRAM_POWERUP_US);
    if (sdram_command(FMC_SDCMR_MODE_PALL, 1, 0) ||
        sdram_command(FMC_SDCMR_MODE_AUTO_REFRESH, H7_SDRAM_INIT_REFRESHES, 0) ||
        sdram_command(FMC_SDCMR_MODE_LOAD_MODE, 1, H7_SDRAM_MODE_REGISTER))
        return -1;
    H7_REG(FMC_SDRTR) = H7_FIELD(H7_SDRAM_REFRESH_COUNT, FMC_SDRTR_COUNT_POS);
    return 0;
}
