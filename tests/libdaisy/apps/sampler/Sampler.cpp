// Sample player using every libDaisy memory section: the sample table is memory-mapped QSPI
// data (DSY_QSPI_DATA, 291,636 bytes, the size of the seed 001 app's table), the loop buffer
// is in SDRAM (DSY_SDRAM_BSS, 768 KB), the per-block gains in DTCM (DTCM_MEM_SECTION) and a
// meter history in the D2 SRAM window DMA can reach (DMA_BUFFER_MEM_SECTION).
#include "daisy_seed.h"

using namespace daisy;

static DaisySeed hw;

// A constant table computed by the compiler (xorshift32 noise), so that the image carries
// 291,636 bytes of real, non-zero contents.
#define TABLE_WORDS 72909
struct SampleTable
{
    uint32_t word[TABLE_WORDS];
    constexpr SampleTable() : word()
    {
        uint32_t x = 0x2545f491u;
        for(int i = 0; i < TABLE_WORDS; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            word[i] = x;
        }
    }
};
static const SampleTable DSY_QSPI_DATA table;

#define LOOP_SAMPLES (768 * 1024 / 4)
static float DSY_SDRAM_BSS loop[LOOP_SAMPLES];

static float DTCM_MEM_SECTION             gains[64];
static uint16_t DMA_BUFFER_MEM_SECTION    meter[256];

static size_t play_pos, loop_pos, meter_pos;

static void AudioCallback(AudioHandle::InputBuffer  in,
                          AudioHandle::OutputBuffer out,
                          size_t                    size)
{
    float gain = gains[play_pos % 64];
    for(size_t i = 0; i < size; i++)
    {
        float s = (int32_t)table.word[play_pos] * (1.0f / 2147483648.0f);
        play_pos = (play_pos + 1) % TABLE_WORDS;
        float mix = 0.5f * s * gain + 0.5f * loop[loop_pos];
        loop[loop_pos] = in[0][i] + 0.6f * mix;
        loop_pos = (loop_pos + 1) % LOOP_SAMPLES;
        out[0][i] = out[1][i] = mix;
    }
    meter[meter_pos] = (uint16_t)(gain * 65535.0f);
    meter_pos = (meter_pos + 1) % 256;
}

int main(void)
{
    hw.Init();
    for(int i = 0; i < 64; i++)
        gains[i] = 0.25f + i / 128.0f;
    for(size_t i = 0; i < LOOP_SAMPLES; i++)
        loop[i] = 0.0f;
    hw.StartAudio(AudioCallback);
    bool on = false;
    for(;;)
    {
        on = !on;
        hw.SetLed(on);
        System::Delay(meter[0] > 0 ? 500 : 100);
    }
}
