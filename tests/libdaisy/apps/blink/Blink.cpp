// Seed Blink: the user LED (PC7) on and off every half second. The smallest stock libDaisy app.
#include "daisy_seed.h"

using namespace daisy;

static DaisySeed hw;

int main(void)
{
    hw.Init();
    bool on = false;
    for(;;)
    {
        on = !on;
        hw.SetLed(on);
        System::Delay(500);
    }
}
