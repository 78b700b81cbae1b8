/*
 * The boot decision: button, request word (libDaisy values), boot counter, optional window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_port.h"
#include "h7_boot_app.h"

static struct fake f;
static const struct h7_boot_config cfg = {.max_unconfirmed = 3};

static int setup(void **state)
{
    (void)state;
    fake_init(&f, true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_free(&f);
    return 0;
}

static void boots_with_nothing_set_and_writes_version(void **state)
{
    (void)state;
    f.info.version = 0;
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
    assert_int_equal(f.info.version, H7_BOOT_INFO_VERSION);
}

static void button_keeps_the_bootloader_and_consumes_the_request(void **state)
{
    (void)state;
    f.button = true;
    f.info.status = H7_BOOT_REQ_SKIP_WINDOW;
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_STAY_BUTTON);
    assert_int_equal(f.info.status, H7_BOOT_REQ_NONE);
}

static void stay_request_applies_to_one_reset(void **state)
{
    (void)state;
    h7_boot_request(&f.info, H7_BOOT_REQ_STAY);
    assert_int_equal(f.info.status, 0xB0074EFAu); /* libDaisy INF_TIMEOUT */
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_STAY_REQUEST);
    assert_int_equal(f.info.status, H7_BOOT_REQ_NONE);
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
}

static void other_request_values_boot_normally(void **state)
{
    (void)state;
    const uint32_t values[] = {H7_BOOT_REQ_NONE, H7_BOOT_REQ_JUMP, H7_BOOT_REQ_SKIP_WINDOW,
                               0x12345678u,      0xB0074EFBu,      0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        f.info.status = values[i];
        assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
        assert_int_equal(f.info.status, H7_BOOT_REQ_NONE);
    }
}

static void window_runs_unless_the_app_asked_to_skip_it(void **state)
{
    (void)state;
    struct h7_boot_config c = cfg;
    c.window_ms = 100;
    f.window_says_stay = true;
    assert_int_equal(h7_boot_decide(&f.port, &c), H7_BOOT_STAY_WINDOW);
    assert_int_equal(f.window_calls, 1);
    f.info.status = H7_BOOT_REQ_SKIP_WINDOW; /* libDaisy SKIP_TIMEOUT */
    assert_int_equal(h7_boot_decide(&f.port, &c), H7_BOOT_OK);
    f.info.status = H7_BOOT_REQ_JUMP;
    assert_int_equal(h7_boot_decide(&f.port, &c), H7_BOOT_OK);
    assert_int_equal(f.window_calls, 1);
    f.window_says_stay = false;
    assert_int_equal(h7_boot_decide(&f.port, &c), H7_BOOT_OK);
    assert_int_equal(f.window_calls, 2);
    /* No window configured: never called. */
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
    assert_int_equal(f.window_calls, 2);
}

static void unconfirmed_app_falls_back_after_n_boots(void **state)
{
    (void)state;
    for (int boot = 0; boot < 3; boot++) {
        assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
        h7_boot_count_attempt(&f.info); /* what h7_boot_run does before each jump */
        assert_int_equal(h7_boot_attempts(&f.info), (uint32_t)boot + 1);
    }
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_STAY_UNCONFIRMED);
    /* Resets keep landing in recovery... */
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_STAY_UNCONFIRMED);
    /* ...until something clears the counter (a new image, the app's confirm). */
    h7_boot_confirm(&f.info);
    assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
}

static void confirming_app_boots_forever(void **state)
{
    (void)state;
    for (int boot = 0; boot < 10; boot++) {
        assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
        h7_boot_count_attempt(&f.info);
        h7_boot_confirm(&f.info);
        assert_int_equal(h7_boot_unconfirmed_attempts(&f.info), 0);
    }
}

static void counter_disabled_with_zero(void **state)
{
    (void)state;
    struct h7_boot_config c = {.max_unconfirmed = 0};
    f.info.data = H7_BOOT_COUNT_TAG | 1000u;
    assert_int_equal(h7_boot_decide(&f.port, &c), H7_BOOT_OK);
}

static void cold_start_garbage_is_no_attempts(void **state)
{
    (void)state;
    const uint32_t garbage[] = {0xDEADBEEFu, 0x0000FFFFu, 0xFFFFFFFFu, 0x48360005u};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        f.info.data = garbage[i];
        assert_int_equal(h7_boot_attempts(&f.info), 0);
        assert_int_equal(h7_boot_decide(&f.port, &cfg), H7_BOOT_OK);
        h7_boot_count_attempt(&f.info);
        assert_int_equal(f.info.data, H7_BOOT_COUNT_TAG | 1u);
    }
}

static void counter_saturates(void **state)
{
    (void)state;
    f.info.data = H7_BOOT_COUNT_TAG | H7_BOOT_COUNT_MASK;
    h7_boot_count_attempt(&f.info);
    assert_int_equal(h7_boot_attempts(&f.info), H7_BOOT_COUNT_MASK);
}

static void every_reason_has_a_text(void **state)
{
    (void)state;
    for (int r = 0; r < 64; r++) {
        const char *t = h7_boot_reason_text((enum h7_boot_reason)r);
        assert_non_null(t);
    }
    assert_string_equal(h7_boot_reason_text(H7_BOOT_ERR_SEG_RESERVED),
                        "segment overlaps a reserved range");
    assert_string_equal(h7_boot_reason_text((enum h7_boot_reason)63), "unknown reason");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(boots_with_nothing_set_and_writes_version, setup, teardown),
        cmocka_unit_test_setup_teardown(button_keeps_the_bootloader_and_consumes_the_request, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(stay_request_applies_to_one_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(other_request_values_boot_normally, setup, teardown),
        cmocka_unit_test_setup_teardown(window_runs_unless_the_app_asked_to_skip_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unconfirmed_app_falls_back_after_n_boots, setup, teardown),
        cmocka_unit_test_setup_teardown(confirming_app_boots_forever, setup, teardown),
        cmocka_unit_test_setup_teardown(counter_disabled_with_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(cold_start_garbage_is_no_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(counter_saturates, setup, teardown),
        cmocka_unit_test_setup_teardown(every_reason_has_a_text, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
