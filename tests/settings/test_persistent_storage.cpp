/*
 * h7::PersistentStorage (runtime/daisy/h7_persistent_storage.h) on the host: the header as a
 * libDaisy app compiles it, over the real store and the NOR simulator (ports/host/nor_sim), with
 * a QSPIHandle stand-in and h7_daisy_flash() returning the simulator.
 *
 * What is checked: libDaisy's semantics (FACTORY on first Init, USER after Save, RestoreDefaults,
 * save only when operator!= says so), save / reset / read back, migration from libDaisy's format
 * at address_offset (and a power cut during it), nothing written outside the sector of
 * address_offset + the partition, and a power cut at every flash operation of Save() — with the
 * store at every age of two rounds of its ring, so the cuts also land in garbage collection —
 * leaves the old or the new settings, never the defaults or garbage, in the three fault models.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern "C" {
#include <cmocka.h>

#include "nor_sim.h"
}

namespace daisy
{
class QSPIHandle /* the app passes hw.qspi; the class never calls it */
{
};
} // namespace daisy

#include "h7_persistent_storage.h"

static struct nor_sim sim;
static bool           flash_present = true;

extern "C" const struct h7_flash *h7_daisy_flash(void)
{
    return flash_present ? &sim.flash : nullptr;
}

static uint32_t reserved_start, reserved_end; /* the "app image"; none unless a test sets it */

extern "C" void h7_daisy_flash_reserved(uint32_t *start, uint32_t *end)
{
    *start = reserved_start;
    *end   = reserved_end;
}

/* A typical settings struct: mixed types, padding, operator!= over the fields that matter. */
struct Settings
{
    float    gain;
    uint8_t  mode;
    int32_t  cutoff;
    uint32_t presses; /* not compared by operator!=: changing only this does not save */
    bool     operator!=(const Settings &o) const
    {
        return gain != o.gain || mode != o.mode || cutoff != o.cutoff;
    }
};

static const Settings kDefaults = {0.5f, 1, 1000, 0};

static const uint32_t kFlashSize = 256u * 1024u;
static const uint32_t kOffset    = 0x8000u; /* address_offset used by the tests */

typedef h7::PersistentStorage<Settings>              Storage;      /* 64 KB partition */
typedef h7::PersistentStorage<Settings, 4u * 4096u>  SmallStorage; /* the smallest: 4 sectors */

static daisy::QSPIHandle qspi;

static int setup(void **state)
{
    (void)state;
    struct nor_sim_config cfg; /* the IS25LP064A's geometry (NOR_SIM_IS25LP064A), smaller */
    memset(&cfg, 0, sizeof cfg);
    cfg.size             = kFlashSize;
    cfg.erase_size       = 4096;
    cfg.erase_size_large = 65536;
    cfg.program_size     = 256;
    char err[128];
    flash_present  = true;
    reserved_start = reserved_end = 0;
    return nor_sim_init(&sim, &cfg, err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    nor_sim_free(&sim);
    return 0;
}

static bool same(const Settings &a, const Settings &b)
{
    return a.gain == b.gain && a.mode == b.mode && a.cutoff == b.cutoff && a.presses == b.presses;
}

/* libDaisy's record {State; Settings} as its PersistentStorage writes it at address_offset. */
static void put_libdaisy_record(uint32_t offset, uint32_t state, const Settings &s)
{
    struct
    {
        uint32_t state;
        Settings data;
    } rec;
    memset(&rec, 0, sizeof rec);
    rec.state = state;
    rec.data  = s;
    memcpy(nor_sim_data(&sim) + offset, &rec, sizeof rec);
}

static void fresh_init_stores_defaults_as_factory(void **state)
{
    (void)state;
    {
        Storage st(qspi);
        assert_int_equal((int)st.GetState(), (int)Storage::State::UNKNOWN);
        st.Init(kDefaults, kOffset);
        assert_int_equal(st.GetError(), 0);
        assert_int_equal((int)st.GetState(), (int)Storage::State::FACTORY);
        assert_true(same(st.GetSettings(), kDefaults));
        assert_false(st.Migrated());
    }
    uint64_t programs = nor_sim_stats(&sim)->programs;
    assert_true(programs > 0); /* the defaults were stored, as libDaisy does */
    Storage again(qspi);
    again.Init(kDefaults, kOffset);
    assert_int_equal((int)again.GetState(), (int)Storage::State::FACTORY);
    assert_true(same(again.GetSettings(), kDefaults));
    assert_int_equal(nor_sim_stats(&sim)->programs, programs); /* nothing new to store */
}

static void save_reset_read_back(void **state)
{
    (void)state;
    Settings want = {0.75f, 3, 2200, 9};
    {
        Storage st(qspi);
        st.Init(kDefaults, kOffset);
        st.GetSettings() = want;
        st.Save();
        assert_int_equal(st.GetError(), 0);
        assert_int_equal((int)st.GetState(), (int)Storage::State::USER);
    }
    Storage after_reset(qspi);
    after_reset.Init(kDefaults, kOffset);
    assert_int_equal((int)after_reset.GetState(), (int)Storage::State::USER);
    assert_true(same(after_reset.GetSettings(), want));

    /* RestoreDefaults: FACTORY again, and so after the next reset. */
    after_reset.RestoreDefaults();
    assert_int_equal((int)after_reset.GetState(), (int)Storage::State::FACTORY);
    Storage third(qspi);
    third.Init(kDefaults, kOffset);
    assert_int_equal((int)third.GetState(), (int)Storage::State::FACTORY);
    assert_true(same(third.GetSettings(), kDefaults));
}

/* libDaisy's rule: Save writes only when operator!= says the settings changed. */
static void save_only_when_changed(void **state)
{
    (void)state;
    Storage st(qspi);
    st.Init(kDefaults, kOffset);
    st.GetSettings().gain = 0.25f;
    st.Save();
    uint64_t programs = nor_sim_stats(&sim)->programs;
    st.Save(); /* same settings */
    assert_int_equal(nor_sim_stats(&sim)->programs, programs);
    st.GetSettings().presses = 5; /* a field operator!= ignores */
    st.Save();
    assert_int_equal(nor_sim_stats(&sim)->programs, programs);
    st.GetSettings().mode = 7;
    st.Save();
    assert_true(nor_sim_stats(&sim)->programs > programs);
}

static void migrates_libdaisy_format(void **state)
{
    (void)state;
    Settings user = {0.9f, 4, 3300, 2};
    put_libdaisy_record(kOffset, 2 /* USER */, user);
    uint8_t before[64];
    memcpy(before, nor_sim_data(&sim) + kOffset, sizeof before);
    {
        Storage st(qspi);
        st.Init(kDefaults, kOffset);
        assert_true(st.Migrated());
        assert_int_equal((int)st.GetState(), (int)Storage::State::USER);
        assert_true(same(st.GetSettings(), user));
    }
    /* libDaisy's copy is left untouched; the next boot reads the store, not migrating again. */
    assert_memory_equal(nor_sim_data(&sim) + kOffset, before, sizeof before);
    {
        Storage st(qspi);
        st.Init(kDefaults, kOffset);
        assert_false(st.Migrated());
        assert_true(same(st.GetSettings(), user));
        st.GetSettings().cutoff = 10; /* a later save wins over the old libDaisy copy */
        st.Save();
    }
    Storage st(qspi);
    st.Init(kDefaults, kOffset);
    assert_int_equal(st.GetSettings().cutoff, 10);
    assert_int_equal((int)st.GetState(), (int)Storage::State::USER);
}

static void migrates_factory_state_and_ignores_garbage(void **state)
{
    (void)state;
    Settings factory = {0.1f, 2, 50, 0};
    put_libdaisy_record(kOffset, 1 /* FACTORY */, factory);
    put_libdaisy_record(kOffset + 0x20000u, 7 /* not a State */, factory);
    Storage a(qspi);
    a.Init(kDefaults, kOffset);
    assert_true(a.Migrated());
    assert_int_equal((int)a.GetState(), (int)Storage::State::FACTORY);
    assert_true(same(a.GetSettings(), factory));
    Storage b(qspi);
    b.Init(kDefaults, kOffset + 0x20000u);
    assert_false(b.Migrated());
    assert_int_equal((int)b.GetState(), (int)Storage::State::FACTORY);
    assert_true(same(b.GetSettings(), kDefaults));
}

/* A power cut at every flash operation of the migrating Init: the next boot still has the
 * user's settings (libDaisy's copy is the source until the store holds them). */
static void migration_survives_power_cuts(void **state)
{
    (void)state;
    Settings user = {0.3f, 5, 777, 1};
    for(int fault = NOR_SIM_CUT_CLEAN; fault <= NOR_SIM_CUT_TORN_ANY; fault++)
        for(uint64_t n = 1;; n++)
        {
            memset(nor_sim_data(&sim), 0xFF, kFlashSize);
            nor_sim_power_on(&sim);
            put_libdaisy_record(kOffset, 2, user);
            nor_sim_cut_at(&sim, n, (enum nor_sim_fault)fault);
            {
                Storage st(qspi);
                st.Init(kDefaults, kOffset);
            }
            bool cut = nor_sim_power_is_off(&sim);
            nor_sim_power_on(&sim);
            Storage st(qspi);
            st.Init(kDefaults, kOffset);
            assert_int_equal(st.GetError(), 0);
            assert_int_equal((int)st.GetState(), (int)Storage::State::USER);
            assert_true(same(st.GetSettings(), user));
            if(!cut)
                break;
        }
}

/* Nothing outside libDaisy's record and the partition is ever written. */
static void writes_stay_in_partition(void **state)
{
    (void)state;
    uint8_t *mem = nor_sim_data(&sim);
    memset(mem, 0x00, kFlashSize); /* programmed everywhere: any erase or stray write shows */
    Storage st(qspi);
    st.Init(kDefaults, kOffset);
    uint32_t lo = st.PartitionOffset(), hi = lo + 64u * 1024u;
    assert_true(lo % 4096u == 0 && lo >= kOffset + sizeof(uint32_t) + sizeof(Settings));
    for(int i = 0; i < 3000; i++)
    {
        st.GetSettings().cutoff = i;
        st.Save();
        assert_int_equal(st.GetError(), 0);
    }
    for(uint32_t a = 0; a < kFlashSize; a++)
        if(a < lo || a >= hi)
            assert_int_equal(mem[a], 0);
    /* and the ring went round: every sector of the partition was erased */
    for(uint32_t u = lo / 4096u; u < hi / 4096u; u++)
        assert_true(nor_sim_unit_erases(&sim, u) >= 1);
}

/* An address_offset whose partition would cover the app's image: refused, nothing written. */
static void refuses_partition_over_app_image(void **state)
{
    (void)state;
    reserved_start = 0x20000u; /* an app image at [128 KB, 192 KB) */
    reserved_end   = 0x30000u;
    Storage over(qspi);
    over.Init(kDefaults, 0x18000u); /* partition [0x19000, 0x29000): overlaps */
    assert_int_equal(over.GetError(), H7_STORE_EINVAL);
    assert_int_equal((int)over.GetState(), (int)Storage::State::FACTORY);
    over.GetSettings().mode = 3;
    over.Save();
    assert_int_equal(nor_sim_stats(&sim)->programs + nor_sim_stats(&sim)->erases, 0);
    Storage below(qspi);
    below.Init(kDefaults, 0x0u); /* partition [0x1000, 0x11000): clear of it */
    assert_int_equal(below.GetError(), 0);
    Storage above(qspi);
    above.Init(kDefaults, 0x2F000u); /* partition [0x30000, 0x40000): touches its end only */
    assert_int_equal(above.GetError(), 0);
}

static void no_flash_keeps_defaults(void **state)
{
    (void)state;
    flash_present = false;
    Storage st(qspi);
    st.Init(kDefaults, kOffset);
    assert_true(st.GetError() != 0);
    assert_int_equal((int)st.GetState(), (int)Storage::State::FACTORY);
    assert_true(same(st.GetSettings(), kDefaults));
    st.GetSettings().mode = 9;
    st.Save(); /* no flash: nothing to do, no crash */
    assert_int_equal((int)st.GetState(), (int)Storage::State::USER);
}

/*
 * A power cut at every flash operation of Save(), for every age of the store over two rounds of
 * its ring (so that some of those Saves collect garbage and erase), in the three fault models:
 * the next Init gives the old or the new settings, state USER; never the defaults or garbage.
 */
static void power_cut_at_every_operation_of_save(void **state)
{
    (void)state;
    uint8_t *mem = nor_sim_data(&sim);
    static uint8_t snapshot[256u * 1024u];
    unsigned       cuts = 0, saw_old = 0, saw_new = 0, cuts_in_erase = 0;
    Settings       old  = {0.6f, 2, 0, 0};
    uint32_t       end;
    {
        SmallStorage st(qspi);
        st.Init(kDefaults, kOffset);
        st.GetSettings() = old;
        st.Save();
        end = st.PartitionOffset() + 4u * 4096u;
    }
    /* Only [kOffset, end) ever changes (writes_stay_in_partition): snapshot just that. */
    mem += kOffset;
    const uint32_t span = end - kOffset;
    for(int age = 0; age < 1000; age++)
    {
        Settings next = old;
        next.cutoff   = old.cutoff + 1;
        memcpy(snapshot, mem, span);
        for(int fault = NOR_SIM_CUT_CLEAN; fault <= NOR_SIM_CUT_TORN_ANY; fault++)
        {
            for(uint64_t n = 1;; n++)
            {
                memcpy(mem, snapshot, span);
                nor_sim_power_on(&sim);
                SmallStorage st(qspi);
                st.Init(kDefaults, kOffset);
                assert_int_equal(st.GetError(), 0);
                assert_true(same(st.GetSettings(), old));
                uint64_t erases = nor_sim_stats(&sim)->erases;
                nor_sim_cut_at(&sim, n, (enum nor_sim_fault)fault);
                st.GetSettings() = next;
                st.Save();
                bool cut = nor_sim_power_is_off(&sim);
                nor_sim_power_on(&sim);
                if(!cut)
                    break;
                cuts++;
                if(nor_sim_stats(&sim)->erases > erases)
                    cuts_in_erase++;
                SmallStorage rebooted(qspi);
                rebooted.Init(kDefaults, kOffset);
                assert_int_equal(rebooted.GetError(), 0);
                assert_int_equal((int)rebooted.GetState(), (int)SmallStorage::State::USER);
                const Settings &got = rebooted.GetSettings();
                if(same(got, old))
                    saw_old++;
                else if(same(got, next))
                    saw_new++;
                else
                    fail_msg("age %d fault %d cut %u: neither old nor new (gain %f mode %u "
                             "cutoff %d)",
                             age, fault, (unsigned)n, (double)got.gain, got.mode, got.cutoff);
            }
        }
        /* the age advances: the Save of `next` completes */
        memcpy(mem, snapshot, span);
        SmallStorage st(qspi);
        st.Init(kDefaults, kOffset);
        st.GetSettings() = next;
        st.Save();
        assert_int_equal(st.GetError(), 0);
        old = next;
    }
    print_message("power cuts: %u (%u during a Save that erased), old kept %u, new kept %u\n",
                  cuts, cuts_in_erase, saw_old, saw_new);
    assert_true(cuts_in_erase > 0); /* the cuts did reach garbage collection */
    assert_true(saw_old > 0 && saw_new > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fresh_init_stores_defaults_as_factory, setup, teardown),
        cmocka_unit_test_setup_teardown(save_reset_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(save_only_when_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(migrates_libdaisy_format, setup, teardown),
        cmocka_unit_test_setup_teardown(migrates_factory_state_and_ignores_garbage, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(migration_survives_power_cuts, setup, teardown),
        cmocka_unit_test_setup_teardown(writes_stay_in_partition, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_partition_over_app_image, setup, teardown),
        cmocka_unit_test_setup_teardown(no_flash_keeps_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(power_cut_at_every_operation_of_save, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
