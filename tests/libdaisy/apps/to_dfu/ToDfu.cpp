// A stock app that asks for the bootloader: libDaisy's System::ResetToBootloader with
// DAISY_INFINITE_TIMEOUT (writes the "stay" word into backup SRAM, then resets the chip).
// On the virtual Daisy, h7boot must then stay in its USB DFU (tests/pack: *_to_dfu).
#include "daisy_seed.h"

using namespace daisy;

static DaisySeed hw;

int main(void)
{
    hw.Init();
    hw.SetLed(true);
    System::ResetToBootloader(System::DAISY_INFINITE_TIMEOUT);
    for(;;) {}
}
