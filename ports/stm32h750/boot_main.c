/*
 * The Daisy Seed bootloader: bring the chip up, hand the portable core (boot/h7_boot.h) its
 * port, and be the recovery path: USB DFU (dfu/h7_dfu.h) over the OTG FS controller.
 *
 * Bring-up order: timebase, LED, button, clocks (480 MHz), MPU from the board description,
 * caches, backup SRAM, QSPI (memory-mapped). SDRAM is initialised only when an image or a DFU
 * download needs it (port ram_init).
 *
 * State the app receives (documented in docs/daisy-seed.md): CPU at 480 MHz from PLL1, QSPI in
 * memory-mapped quad mode, SDRAM initialised if the image used it, MPU off, caches cleaned and
 * off, no interrupt enabled, VTOR/MSP from the image's vector table.
 */
#include <string.h>

#include "board_map.h"
#include "h7_boot.h"
#include "h7_hash.h"
#include "h7_image.h"
#include "h7_port.h"
#include "stm32h750_regs.h"
#ifdef H7_HAVE_DFU
#include "h7_dfu.h"
#include "usb_dcd.h"
#endif

extern const struct h7_board h7_this_board;

/* Raw Daisy images whose reset vector lies in AXI SRAM: copy this much, like the Daisy
 * bootloader (its last 32 KB of AXI SRAM is its own working memory). */
#define DAISY_RAW_COPY_SIZE (480u * 1024u)
#define DAISY_RAW_REGION "AXI_SRAM"
/* Boot counter: off by default, since libDaisy apps never confirm themselves. Build with
 * -DH7_DAISY_MAX_UNCONFIRMED=N to fall back to DFU after N unconfirmed boots. */
#ifndef H7_DAISY_MAX_UNCONFIRMED
#define H7_DAISY_MAX_UNCONFIRMED 0u
#endif
#define US_PER_MS 1000u

static bool qspi_ok, sdram_ok;

static bool port_button(void *ctx)
{
    (void)ctx;
    return h7_button_held();
}

static int port_ram_init(void *ctx, const struct h7_region *r)
{
    (void)ctx;
    if (r->init != H7_INIT_SDRAM)
        return -1;
    if (!sdram_ok)
        sdram_ok = h7_sdram_init() == 0;
    return sdram_ok ? 0 : -1;
}

static void port_event(void *ctx, const struct h7_boot_event *ev)
{
    (void)ctx;
    (void)ev; /* no console on the Seed: the LED shows the state (recovery: error pattern) */
}

static int port_slot_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    (void)off;
    (void)buf;
    (void)len;
    return -1; /* only used when the QSPI did not come up: nothing can be read */
}

static int read_mapped_slot(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    memcpy(buf, (const uint8_t *)(uintptr_t)H7_SLOT_APP_ORIGIN + off, len);
    return 0;
}

/* Does the app in the slot (already verified) set its clocks up from the reset state? Raw
 * images (libDaisy's program-dfu) and images with H7_IMAGE_FLAG_RESET_CLOCKS (pack sets it for
 * libDaisy ELFs) do; h7boot's own apps keep the bootloader's 480 MHz. */
static bool app_resets_clocks(void)
{
    const struct h7_range *slot = h7_board_range(&h7_this_board, H7_RANGE_SLOT, "APP");
    uint32_t at;
    uint8_t flags[4];
    int found = h7_image_locate(&h7_this_board, slot->length, read_mapped_slot, NULL, &at);
    if (found != H7_IMAGE_FOUND_HEADER)
        return true;
    read_mapped_slot(NULL, at + H7_IMAGE_OFF_FLAGS, flags, 4);
    return (h7_le32(flags) & H7_IMAGE_FLAG_RESET_CLOCKS) != 0;
}

static _Noreturn void jump_to_app(uint32_t vtor, bool reset_clocks)
{
    h7_caches_clean_disable();
    h7_mpu_disable();
    h7_led_set(false);
    /* libDaisy (boot_info.version = v6_1) configures its own clocks from what it takes for the
     * reset state: PLL1 must not be sys_ck (docs/daisy-seed.md, "What the app gets"). */
    if (reset_clocks)
        h7_clock_reset_for_app();
    h7_boot_handoff(vtor);
}

static _Noreturn void port_jump(void *ctx, uint32_t vtor)
{
    (void)ctx;
    jump_to_app(vtor, qspi_ok && app_resets_clocks());
}

#ifdef H7_HAVE_DFU
/* Plain memory for the DFU RAM target and read-only views. */
static int mem_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    (void)ctx;
    memcpy(buf, (const void *)(uintptr_t)addr, len);
    return 0;
}

static int mem_write(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    (void)ctx;
    memcpy((void *)(uintptr_t)addr, buf, len);
    return 0;
}

static const struct h7_dfu_mem_ops mem_ops = {.read = mem_read, .write = mem_write};

/* The QSPI did not come up (no answer, or a state init could not repair): DFU still runs, so
 * the board is never left without a way in (issue 12 item 2). Its RAM alts work; every flash
 * request of alt 0 fails with a DFU error status (errERASE / errWRITE, reads give zeros, never
 * erased-looking 0xFF), and the serial string says why (`dfu-util -l` shows it). The geometry is
 * the real one so the build-time layout still matches. */
#define DFU_SERIAL_QSPI_FAILED "QSPI-FAILED"

static int qspi_down(void *ctx)
{
    (void)ctx;
    return H7_FLASH_EIO;
}

static int qspi_down_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)off;
    (void)buf;
    (void)len;
    return qspi_down(ctx);
}

static int qspi_down_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    (void)off;
    (void)buf;
    (void)len;
    return qspi_down(ctx);
}

static int qspi_down_erase(void *ctx, uint32_t off, uint32_t size)
{
    (void)off;
    (void)size;
    return qspi_down(ctx);
}

static const struct h7_flash_ops qspi_down_ops = {
    .read = qspi_down_read, .program = qspi_down_program, .erase = qspi_down_erase,
};
static struct h7_flash qspi_down_flash; /* h7_qspi_flash's geometry, qspi_down_ops */
/* wTransferSize (H7_DFU_BOARD_XFER, from dfu/): 2048 like the ST ROM, so the EP0 buffer, the
 * job buffer and the class state fit in the 16 KB BOOT_RAM together with the stack. */
#define DFU_TRANSFER_SIZE H7_DFU_BOARD_XFER
static struct h7_dfu dfu;
static uint8_t ep0_buf[DFU_TRANSFER_SIZE];
static uint8_t dfu_job_buf[DFU_TRANSFER_SIZE];

_Static_assert(H7_USB_NAK == H7_DFU_NAK, "the driver retries what the class NAKs");

static int dcd_control(void *ctx, const struct h7_usb_setup *s, uint8_t *buf)
{
    return h7_dfu_control(ctx, s, buf);
}

static void dcd_reset(void *ctx)
{
    h7_dfu_bus_reset(ctx);
}

/* After dfuMANIFEST went out: let the status stage finish, then leave the bus. */
#define LEAVE_SETTLE_MS 20u

static _Noreturn void dfu_leave(const struct h7_boot_port *p)
{
    uint32_t t0 = h7_cycles();
    while (h7_us_since(t0) < LEAVE_SETTLE_MS * US_PER_MS)
        h7_usb_poll();
    h7_usb_detach();
    struct h7_dfu_leave lv = h7_dfu_leave_request(&dfu);
    if (lv.kind == H7_DFU_LEAVE_RUN_RAM) /* code sent to RAM: the bootloader's clocks */
        jump_to_app(lv.addr, false);
    /* Boot: a reset runs the normal decision, which verifies the slot again. */
    p->info->status = H7_BOOT_REQ_SKIP_WINDOW;
    h7_system_reset();
}
#endif

static const struct h7_boot_port *the_port;

static _Noreturn void port_recovery(void *ctx, enum h7_boot_reason why)
{
    (void)ctx;
    enum h7_led_state led = why >= H7_BOOT_ERR_SLOT_EMPTY ? H7_LED_ERROR : H7_LED_DFU_IDLE;
#ifdef H7_HAVE_DFU
    static const struct h7_usb_class usb_class = {
        .ctx = &dfu, .control = dcd_control, .bus_reset = dcd_reset,
        .buf = ep0_buf, .buf_size = sizeof ep0_buf,
    };
    qspi_down_flash = h7_qspi_flash;
    qspi_down_flash.ops = &qspi_down_ops;
    const struct h7_dfu_config cfg = {
        .layout = &h7_dfu_board_layout, /* generated from the board at build time */
        .board = &h7_this_board,
        .flash = qspi_ok ? &h7_qspi_flash : &qspi_down_flash,
        .mem = &mem_ops,
        .buf = dfu_job_buf,
        .serial = qspi_ok ? 0 : DFU_SERIAL_QSPI_FAILED,
    };
    if (!qspi_ok)
        led = H7_LED_ERROR;
    /* The DFU RAM target lists SDRAM: make it usable before a host writes there. */
    if (!sdram_ok)
        sdram_ok = h7_sdram_init() == 0;
    if (h7_dfu_init(&dfu, &cfg) == 0 && h7_usb_init(&usb_class) == 0) {
        for (;;) {
            while (h7_usb_poll()) {
            }
            uint32_t now = h7_millis();
            enum h7_dfu_poll_result r = h7_dfu_poll(&dfu, now);
            if (r == H7_DFU_POLL_LEAVE)
                dfu_leave(the_port);
            bool busy = r == H7_DFU_POLL_BUSY;
            h7_led_set(h7_led_pattern(busy ? H7_LED_DFU_BUSY : led, now));
        }
    }
    led = H7_LED_ERROR;
#endif
    /* No DFU (not built in, or USB did not start): show the state; the BOOT button or a power
     * cycle starts over. */
    uint32_t ms = 0;
    for (;;) {
        h7_led_set(h7_led_pattern(led, ms++));
        h7_delay_us(US_PER_MS);
    }
}

int main(void)
{
    h7_timebase_init();
    h7_led_init();
    h7_led_set(h7_led_pattern(H7_LED_BOOTING, 0));
    h7_button_init();
    (void)h7_clock_init(); /* on failure the CPU stays on the HSI: slower, still able to boot */
    h7_mpu_init();
    h7_icache_enable();
    h7_dcache_enable();
    volatile uint32_t *bkp = h7_backup_sram_enable();
    qspi_ok = h7_qspi_init(H7_QSPI_DEFAULT_MAX_HZ) == 0;

    static struct h7_boot_port port;
    port.board = &h7_this_board;
    port.slot = h7_board_range(&h7_this_board, H7_RANGE_SLOT, "APP");
    port.slot_map = qspi_ok ? (const uint8_t *)(uintptr_t)H7_SLOT_APP_ORIGIN : 0;
    port.slot_read = port_slot_read;
    port.button_held = port_button;
    port.info = (volatile struct h7_boot_info *)(uintptr_t)H7_WORD_BOOT_REQUEST_ADDR;
    port.ram_init = port_ram_init;
    port.event = port_event;
    port.jump = port_jump;
    port.recovery = port_recovery;
    /* The image hash on the HASH unit; on a lot without one (ST's quality alert: it reads zero)
     * the engine says so at start and the hash runs in software (hash.c, h7_sha256.h). */
    port.sha256 = h7_hash_stm32h750();
    the_port = &port;
    (void)bkp;

    static const struct h7_boot_config config = {
        .max_unconfirmed = H7_DAISY_MAX_UNCONFIRMED,
        .window_ms = 0,
        .raw_region = DAISY_RAW_REGION,
        .raw_copy_size = DAISY_RAW_COPY_SIZE,
    };
    h7_boot_run(&port, &config);
}
