/* Store benchmark: the issue-6 reference workload (32 keys x 32-byte values, 10 000 uniformly
 * random updates, seed 1) on the simulated IS25LP064A (nor_sim timing model, typical figures,
 * 100 MHz QSPI), for this store on 64 KB / 1 MB / 8 MB partitions of 4 KB sectors, and for the
 * erase-and-rewrite-in-place baseline. On 64 KB also a long run of the same workload (100 000
 * updates) whose second half gives the steady-state erase rate, once the log has wrapped many
 * times. Writes build/bench/store.json and prints a table.
 * Then, when the peers benchmark was built (../shared/peers/store-bench: littlefs and FlashDB on
 * the same nor_sim, bench/store/CMakeLists.txt), the store beside them from that harness: steady
 * erases, mean update time and mount + read all after 100 000 updates, on 64 KB / 1 MB / 8 MB,
 * with each peer's figure as a multiple of the store's.
 * Usage: bench_store OUT.json CODE_SIZE_FILE [PEERS_EXE | none]
 * (CODE_SIZE_FILE: arm-none-eabi-size output, one line per object) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h7_store.h"
#include "nor_sim.h"

#define KEYS 32
#define VLEN 32
#define UPDATES 10000
#define LONG_UPDATES 100000
#define CODE_TARGET 3072u /* bytes: "code on Cortex-M7 (-Os) <= 3 KB" */

struct result {
    const char *name;
    double erases_per_1000, mean_ms, p99_ms, max_ms, max_gc_ms, mount_ms, steady;
    unsigned cuts, lost, max_erases;
};

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static uint64_t rng = 1;
static uint32_t rnd(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

static void fill(uint8_t *v)
{
    for (int i = 0; i < VLEN; i++)
        v[i] = (uint8_t)rnd();
}

static struct h7_store_entry index_[KEYS];

static void init_sim(struct nor_sim *sim, uint32_t size)
{
    struct nor_sim_config c = NOR_SIM_IS25LP064A;
    c.size = size;
    if (nor_sim_init(sim, &c, NULL, 0))
        exit(1);
}

static double ms(uint64_t ns)
{
    return (double)ns / 1e6;
}

/* One pass of the workload (`updates` updates); gc_idle: call gc_step between updates when
 * needed (not timed). Returns the erases of the second half of the updates. */
static uint64_t store_run(uint32_t size, int gc_idle, int updates, struct result *r)
{
    static double t[LONG_UPDATES];
    struct nor_sim sim;
    struct h7_store st;
    uint8_t v[VLEN];
    init_sim(&sim, size);
    struct h7_store_config cfg = {&sim.flash, 0, size, 4096, index_, KEYS};
    h7_store_mount(&st, &cfg);
    rng = 1;
    for (int k = 0; k < KEYS; k++) {
        fill(v);
        h7_store_set(&st, (uint32_t)k, v, VLEN);
    }
    nor_sim_reset_stats(&sim);
    uint64_t erases = 0, second_half = 0;
    for (int n = 0; n < updates; n++) {
        fill(v);
        uint64_t t0 = nor_sim_stats(&sim)->time_ns, e0 = nor_sim_stats(&sim)->erases;
        if (h7_store_set(&st, rnd() % KEYS, v, VLEN))
            exit(2);
        t[n] = ms(nor_sim_stats(&sim)->time_ns - t0);
        uint64_t e = nor_sim_stats(&sim)->erases - e0;
        if (!gc_idle && e > r->max_erases)
            r->max_erases = (unsigned)e;
        erases += e;
        if (n == updates / 2)
            second_half = erases - e;
        while (gc_idle && h7_store_gc_needed(&st)) {
            e0 = nor_sim_stats(&sim)->erases;
            h7_store_gc_step(&st);
            erases += nor_sim_stats(&sim)->erases - e0;
        }
    }
    second_half = erases - second_half;
    double sum = 0;
    for (int n = 0; n < updates; n++)
        sum += t[n];
    qsort(t, (size_t)updates, sizeof t[0], cmp);
    if (updates != UPDATES) {
        /* the long run only measures the steady-state erase rate */
    } else if (gc_idle) {
        r->max_gc_ms = t[UPDATES - 1];
    } else {
        r->erases_per_1000 = erases * 1000.0 / UPDATES;
        r->mean_ms = sum / UPDATES;
        r->p99_ms = t[UPDATES * 99 / 100];
        r->max_ms = t[UPDATES - 1];
        nor_sim_reset_stats(&sim);
        h7_store_mount(&st, &cfg);
        uint32_t len;
        for (int k = 0; k < KEYS; k++)
            h7_store_get(&st, (uint32_t)k, v, VLEN, &len);
        r->mount_ms = ms(nor_sim_stats(&sim)->time_ns);
    }
    nor_sim_free(&sim);
    return second_half;
}

/* Random power cuts (torn programs and erases): after each, remount and check every key holds
 * its last committed value (the interrupted key: old or new). */
static void store_cuts(unsigned cuts, struct result *r)
{
    static uint8_t model[KEYS][VLEN];
    struct nor_sim sim;
    struct h7_store st;
    uint8_t v[VLEN], b[VLEN];
    init_sim(&sim, 64u << 10);
    struct h7_store_config cfg = {&sim.flash, 0, 64u << 10, 4096, index_, KEYS};
    h7_store_mount(&st, &cfg);
    rng = 7;
    for (int k = 0; k < KEYS; k++) {
        fill(model[k]);
        h7_store_set(&st, (uint32_t)k, model[k], VLEN);
    }
    for (unsigned c = 0; c < cuts; c++) {
        nor_sim_cut_at(&sim, 1 + rnd() % 200, c % 2 ? NOR_SIM_CUT_TORN_ANY : NOR_SIM_CUT_CLEAN);
        int key;
        for (;;) {
            key = (int)(rnd() % KEYS);
            fill(v);
            v[VLEN - 1] = 0xFF;
            if (h7_store_set(&st, (uint32_t)key, v, VLEN))
                break;
            memcpy(model[key], v, VLEN);
        }
        nor_sim_power_on(&sim);
        if (h7_store_mount(&st, &cfg)) {
            r->lost += KEYS;
            break;
        }
        for (int k = 0; k < KEYS; k++) {
            uint32_t len = 0;
            int rc = h7_store_get(&st, (uint32_t)k, b, VLEN, &len);
            int ok = rc == 0 && len == VLEN && !memcmp(b, model[k], VLEN);
            if (!ok && k == key && rc == 0 && len == VLEN && !memcmp(b, v, VLEN))
                ok = 1;
            if (ok && k == key)
                memcpy(model[k], b, VLEN);
            r->lost += !ok;
        }
        r->cuts++;
    }
    nor_sim_free(&sim);
}

/* libDaisy's PersistentStorage pattern: the 32 x 32-byte struct in one sector, erased and
 * rewritten on every update. */
static void baseline_run(struct result *r)
{
    static double t[UPDATES];
    static uint8_t blob[KEYS * VLEN];
    struct nor_sim sim;
    init_sim(&sim, 64u << 10);
    rng = 1;
    double sum = 0;
    for (int n = 0; n < UPDATES; n++) {
        fill(blob + (rnd() % KEYS) * VLEN);
        uint64_t t0 = nor_sim_stats(&sim)->time_ns;
        uint64_t e0 = nor_sim_stats(&sim)->erases;
        h7_flash_erase(&sim.flash, 0, 4096);
        h7_flash_program(&sim.flash, 0, blob, sizeof blob);
        t[n] = ms(nor_sim_stats(&sim)->time_ns - t0);
        if (nor_sim_stats(&sim)->erases - e0 > r->max_erases)
            r->max_erases = (unsigned)(nor_sim_stats(&sim)->erases - e0);
        sum += t[n];
    }
    qsort(t, UPDATES, sizeof t[0], cmp);
    r->erases_per_1000 = nor_sim_stats(&sim)->erases * 1000.0 / UPDATES;
    r->mean_ms = sum / UPDATES;
    r->p99_ms = t[UPDATES * 99 / 100];
    r->max_ms = r->max_gc_ms = t[UPDATES - 1];
    nor_sim_reset_stats(&sim);
    h7_flash_read(&sim.flash, 0, blob, sizeof blob);
    r->mount_ms = ms(nor_sim_stats(&sim)->time_ns);
    nor_sim_free(&sim);
}

/* ---- The store beside littlefs and FlashDB: the peers harness, one process per run. ---- */

#define PEER_UPDATES 100000

struct peer_row {
    double steady, mean_ms, mount_ms;
    int bad, ok;
};

static double field(const char *line, const char *name)
{
    const char *p = strstr(line, name);
    return p ? atof(p + strlen(name)) : -1.0;
}

/* `EXE perf STORE KB 100000`: its PERF line. */
static void run_peer(const char *exe, const char *store, unsigned kb, struct peer_row *r)
{
    char cmd[1200], line[2048];
    snprintf(cmd, sizeof cmd, "'%s' perf %s %u %d", exe, store, kb, PEER_UPDATES);
    memset(r, 0, sizeof *r);
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p))
        if (!strncmp(line, "PERF ", 5) && strstr(line, " fails=0 ")) {
            r->steady = field(line, " er_2nd_half_per_1000=");
            r->mean_ms = field(line, " mean_ms=");
            r->mount_ms = field(line, " mount_readall_ms=");
            r->bad = (int)field(line, " bad_after_remount=");
            r->ok = r->mount_ms >= 0;
        }
    if (!p || pclose(p) != 0)
        r->ok = 0;
}

static void print_ratio(double peer, double ours)
{
    if (ours > 0)
        printf(" %7.1fx", peer / ours);
    else
        printf(" %8s", peer > 0 ? "(0)" : "=");
}

static void peers_table(const char *exe, FILE *out)
{
    static const char *const stores[] = {"h7", "lfs256", "lfs16", "fdb"};
    static const char *const names[] = {"h7_store", "littlefs prog 256", "littlefs prog 16",
                                        "FlashDB KVDB"};
    static const unsigned kb[] = {64, 1024, 8192};
    if (!exe || !strcmp(exe, "none")) {
        printf("\nstore beside littlefs and FlashDB: peers not found (../shared/peers/store-bench "
               "beside the source tree)\n");
        fprintf(out, "  \"peers\": \"peers not found\",\n");
        return;
    }
    printf("\nstore beside littlefs and FlashDB (../shared/peers/store-bench, one nor_sim "
           "harness, typical timing):\n32 keys x 32 B, fill, %d random updates, seed 1; "
           "steady = erases per 1000 updates in the second half; mount = remount + read all "
           "32 keys, ms of flash time; x = the peer's figure over the store's\n",
           PEER_UPDATES);
    printf("%-8s %-18s %9s %8s %9s %5s %8s %8s %8s\n", "size", "store", "steady", "mean_ms",
           "mount_ms", "bad", "x steady", "x mean", "x mount");
    fprintf(out, "  \"peers\": [\n");
    int first = 1;
    struct peer_row fdb1m = {0};
    for (unsigned k = 0; k < 3; k++) {
        struct peer_row ours = {0};
        for (unsigned i = 0; i < 4; i++) {
            struct peer_row r;
            /* The harness gives FlashDB its 1 MB FAL partition on any flash of 1 MB or more:
             * the 8 MB row would repeat the 1 MB run, so it is reused (and said so). */
            if (i == 3 && kb[k] == 8192 && fdb1m.ok)
                r = fdb1m;
            else
                run_peer(exe, stores[i], kb[k], &r);
            if (i == 3 && kb[k] == 1024)
                fdb1m = r;
            if (i == 0)
                ours = r;
            char size[16];
            snprintf(size, sizeof size, "%u %s", kb[k] >= 1024 ? kb[k] / 1024 : kb[k],
                     kb[k] >= 1024 ? "MB" : "KB");
            if (!r.ok) {
                printf("%-8s %-18s run failed\n", size, names[i]);
                continue;
            }
            printf("%-8s %-18s %9.2f %8.3f %9.3f %5d", size, names[i], r.steady, r.mean_ms,
                   r.mount_ms, r.bad);
            if (i && ours.ok) {
                print_ratio(r.steady, ours.steady);
                print_ratio(r.mean_ms, ours.mean_ms);
                print_ratio(r.mount_ms, ours.mount_ms);
            }
            printf("%s\n", i == 3 && kb[k] == 8192 ? "  (its 1 MB partition)" : "");
            fprintf(out,
                    "%s    {\"kb\": %u, \"store\": \"%s\", \"erases_per_1000_steady\": %.2f, "
                    "\"mean_ms\": %.3f, \"mount_read_all_ms\": %.3f, \"bad_keys\": %d}",
                    first ? "" : ",\n", kb[k], stores[i], r.steady, r.mean_ms, r.mount_ms, r.bad);
            first = 0;
        }
    }
    fprintf(out, "\n  ],\n");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT.json CODE_SIZE_FILE\n", argv[0]);
        return 2;
    }
    /* arm-none-eabi-size (Berkeley format): a title line, then "text data bss dec hex file" per
     * object. store.c + crc32.c (image/crc32.c, the CRC it links) are the store; settings.c is the settings helper. */
    long code = 0, settings = 0, text, data;
    int objects = 0;
    char line[512], file[400];
    FILE *f = fopen(argv[2], "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%ld %ld %*ld %*ld %*x %399s", &text, &data, file) == 3) {
            *(strstr(file, "settings.") ? &settings : &code) += text + data;
            objects++;
        }
    if (f)
        fclose(f);
    if (objects != 3) {
        fprintf(stderr, "%s: expected the sizes of 3 objects, read %d\n", argv[2], objects);
        code = settings = -1;
    }
    struct result res[4] = {{.name = "h7_store_64KB"},
                            {.name = "h7_store_1MB"},
                            {.name = "h7_store_8MB"},
                            {.name = "erase_rewrite_in_place_64KB"}};
    uint32_t sizes[3] = {64u << 10, 1u << 20, 8u << 20};
    for (int i = 0; i < 3; i++) {
        store_run(sizes[i], 0, UPDATES, &res[i]);
        store_run(sizes[i], 1, UPDATES, &res[i]);
    }
    struct result scratch = {0};
    uint64_t steady = store_run(sizes[0], 0, LONG_UPDATES, &scratch);
    res[0].steady = steady * 1000.0 / (LONG_UPDATES - LONG_UPDATES / 2);
    steady = store_run(sizes[0], 1, LONG_UPDATES, &scratch);
    double steady_gc = steady * 1000.0 / (LONG_UPDATES - LONG_UPDATES / 2);
    store_cuts(10000, &res[0]);
    baseline_run(&res[3]);
    unsigned ram = (unsigned)sizeof(struct h7_store);
    /* The code target (3 KB) is the store: store.c + the CRC it links; the helper is reported. */
    long both = code < 0 ? -1 : code + settings;
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out, "{\n  \"timing\": \"nor_sim typical: program 0.2 ms/cmd, 4 KB erase 45 ms, "
                 "read at 100 MHz QSPI\",\n  \"workload\": \"32 keys x 32 B, 10000 random "
                 "updates, seed 1, 4 KB sectors\",\n");
    printf("%-28s %8s %8s %8s %8s %9s %8s %6s %5s %9s\n", "store", "er/1000", "mean_ms", "p99_ms",
           "max_ms", "max_gc_ms", "mount_ms", "cuts", "lost", "max_er/up");
    for (int i = 0; i < 4; i++) {
        struct result *r = &res[i];
        printf("%-28s %8.2f %8.3f %8.3f %8.3f %9.3f %8.3f %6u %5u %9u\n", r->name,
               r->erases_per_1000, r->mean_ms, r->p99_ms, r->max_ms, r->max_gc_ms, r->mount_ms,
               r->cuts, r->lost, r->max_erases);
        fprintf(out,
                "  \"%s\": {\"erases_per_1000_updates\": %.2f, \"flash_ms_per_update_mean\": %.3f, "
                "\"flash_ms_per_update_p99\": %.3f, \"flash_ms_per_update_max\": %.3f, "
                "\"flash_ms_per_update_max_with_gc_step\": %.3f, \"mount_read_all_ms\": %.3f, "
                "\"power_cuts\": %u, \"lost_keys\": %u, \"max_erases_per_update\": %u, "
                "\"code_bytes_cortex_m7\": %ld, ",
                r->name, r->erases_per_1000, r->mean_ms, r->p99_ms, r->max_ms, r->max_gc_ms,
                r->mount_ms, r->cuts, r->lost, r->max_erases, i < 3 ? code : 0);
        if (i == 0)
            fprintf(out,
                    "\"erases_per_1000_updates_steady\": %.2f, "
                    "\"erases_per_1000_updates_steady_with_gc_step\": %.2f, ",
                    r->steady, steady_gc);
        if (i < 3)
            fprintf(out,
                    "\"code_bytes_cortex_m7_settings_helper\": %ld, "
                    "\"code_bytes_cortex_m7_store_and_settings\": %ld, ",
                    settings, both);
        fprintf(out, "\"ram_bytes\": {\"static\": %u, \"per_key\": %u}},\n", i < 3 ? ram : 1024,
                i < 3 ? (unsigned)sizeof(struct h7_store_entry) : 0);
    }
    printf("steady state (64 KB, %d updates, second half): %.2f erases/1000 updates without "
           "gc_step, %.2f with gc_step\n",
           LONG_UPDATES, res[0].steady, steady_gc);
    printf("code_bytes_cortex_m7 (-Os, text+data): store (store.c + crc32.c, the CRC it links) "
           "%ld (target <= %u: %s); settings helper (settings.c) %ld; together %ld\n",
           code, CODE_TARGET, code >= 0 && code <= CODE_TARGET ? "met" : "MISSED", settings, both);
    printf("ram_bytes: struct h7_store %u + %u per key\n", ram,
           (unsigned)sizeof(struct h7_store_entry));
    peers_table(argc > 3 ? argv[3] : NULL, out);
    fprintf(out, "  \"steady_state\": \"erases_per_1000_updates_steady: 64 KB, same workload, "
                 "%d updates, erases of the second half per 1000 updates\",\n",
            LONG_UPDATES);
    fprintf(out, "  \"code_size\": \"arm-none-eabi-gcc -Os -mcpu=cortex-m7 -mthumb "
                 "-mfloat-abi=hard -mfpu=fpv5-d16, text+data; code_bytes_cortex_m7: store.c + "
                 "crc32.c (the store, target <= %u); code_bytes_cortex_m7_settings_helper: settings.c; "
                 "code_bytes_cortex_m7_store_and_settings: the three together\"\n}\n",
            CODE_TARGET);
    fclose(out);
    if (res[0].lost) { /* the tests fail on this too (test_store_random); the bench says it */
        fprintf(stderr, "bench_store: %u keys lost or garbled in %u power cuts\n", res[0].lost,
                res[0].cuts);
        return 1;
    }
    return 0;
}
