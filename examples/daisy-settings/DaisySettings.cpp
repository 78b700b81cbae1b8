// DaisySettings: a setting that survives power cycles, in DaisyExamples style.
//
// A button on D28 (to ground) steps the LED's blink speed through four values; each press saves
// it. Held for two seconds it restores the defaults. After a reset or power cycle the app comes
// back with the last saved speed; while the settings are the factory ones the LED stays on for
// a second at start. Audio passes through with a gain that is part of the same settings.
//
// The one line that differs from libDaisy's PersistentStorage example is the declaration of
// `storage` (h7::PersistentStorage instead of daisy::PersistentStorage): its saves are
// power-safe and wear-levelled, and work the same in BOOT_SRAM and BOOT_QSPI builds.
#include "daisy_seed.h"
// h7_persistent_storage.h comes with h7_daisy.mk (see the Makefile)

using namespace daisy;

DaisySeed hw;
Switch    button;

struct Settings
{
    uint8_t speed; // 0..3: blink period 800, 400, 200, 100 ms
    float   gain;

    // PersistentStorage saves only when this says the settings changed
    bool operator!=(const Settings& a) const
    {
        return a.speed != speed || a.gain != gain;
    }
};

h7::PersistentStorage<Settings> storage(hw.qspi);

static float gain = 1.f;

static void AudioCallback(AudioHandle::InputBuffer  in,
                          AudioHandle::OutputBuffer out,
                          size_t                    size)
{
    for(size_t i = 0; i < size; i++)
    {
        out[0][i] = in[0][i] * gain;
        out[1][i] = in[1][i] * gain;
    }
}

int main(void)
{
    hw.Init();
    button.Init(seed::D28, 1000.f);

    Settings defaults = {0, 1.f};
    storage.Init(defaults); // address_offset 0: the first sector of QSPI, then the store

    if(storage.GetState() == decltype(storage)::State::FACTORY)
    {
        hw.SetLed(true);
        System::Delay(1000);
    }

    Settings& settings = storage.GetSettings();
    gain               = settings.gain;
    hw.StartAudio(AudioCallback);

    uint32_t last = System::GetNow();
    bool     led  = false;
    for(;;)
    {
        button.Debounce();
        if(button.RisingEdge())
        {
            settings.speed = (settings.speed + 1) % 4;
            storage.Save(); // programs a few bytes; erases only when the store's log is full
        }
        if(button.TimeHeldMs() > 2000.f
           && storage.GetState() != decltype(storage)::State::FACTORY)
            storage.RestoreDefaults();
        uint32_t period = 800u >> settings.speed;
        if(System::GetNow() - last >= period / 2)
        {
            last = System::GetNow();
            led  = !led;
            hw.SetLed(led);
        }
        System::Delay(1);
    }
}
