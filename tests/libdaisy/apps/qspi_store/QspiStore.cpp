// Seed QSPI example style: fill a RAM buffer with a pattern, erase and write it to the
// DSY_QSPI_BSS area, compare the memory-mapped copy; the LED blinks fast on success, stays on
// on a mismatch.
#include "daisy_seed.h"

using namespace daisy;

static DaisySeed hw;

#define STORE_WORDS 4096
static uint32_t DSY_QSPI_BSS stored[STORE_WORDS];
static uint32_t              pattern[STORE_WORDS];

int main(void)
{
    hw.Init();
    for(uint32_t i = 0; i < STORE_WORDS; i++)
        pattern[i] = i * 2654435761u;

    uint32_t base = reinterpret_cast<uint32_t>(stored);
    hw.qspi.Erase(base, base + sizeof(stored));
    hw.qspi.Write(base, sizeof(stored), reinterpret_cast<uint8_t*>(pattern));

    bool same = true;
    for(uint32_t i = 0; i < STORE_WORDS; i++)
        same = same && stored[i] == pattern[i];

    bool on = true;
    for(;;)
    {
        hw.SetLed(on);
        if(same)
            on = !on;
        System::Delay(100);
    }
}
