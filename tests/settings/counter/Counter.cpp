// A libDaisy BOOT_QSPI app reduced to what the virtual Daisy models today: no hw.Init() (its
// clock set-up does not survive h7boot's hand-off yet, see examples/daisy-settings), just
// h7::PersistentStorage on libDaisy's startup and linker script. Each boot loads a counter,
// publishes it in `observed`, saves it incremented, and stops at scenario_done().
#include "daisy_seed.h"

using namespace daisy;

struct Counter
{
    uint32_t count;
    uint32_t check; // ~count: a torn or mixed record would show
    bool     operator!=(const Counter& o) const { return count != o.count || check != o.check; }
};

static QSPIHandle              qspi;
h7::PersistentStorage<Counter> storage(qspi);

volatile uint32_t observed = 0xFFFFFFFFu; // the count Init found (0xFFFFFFFF: not reached)
volatile uint32_t state    = 0xFFFFFFFFu; // GetState() after Init
volatile uint32_t result   = 0xFFFFFFFFu; // GetError() after Save

extern "C" void __attribute__((noinline)) scenario_done(void)
{
    __asm volatile("" ::: "memory");
}

int main(void)
{
    Counter zero = {0, ~0u};
    storage.Init(zero, 0x10000);
    Counter& c = storage.GetSettings();
    observed   = c.check == ~c.count ? c.count : 0xBADBADu;
    state      = (uint32_t)storage.GetState();
    c.count++;
    c.check = ~c.count;
    storage.Save();
    result = (uint32_t)storage.GetError();
    scenario_done();
    for(;;) {}
}
