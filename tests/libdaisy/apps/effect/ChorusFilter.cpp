// DaisySP effect: stereo chorus, then a state-variable low-pass swept by a slow LFO. The audio
// callback runs on the SAI DMA interrupt; the main loop blinks the LED as a heartbeat.
#include "daisy_seed.h"
#include "daisysp.h"

using namespace daisy;
using namespace daisysp;

static DaisySeed  hw;
static Chorus     chorus;
static Svf        filter_l, filter_r;
static Oscillator sweep;

static void AudioCallback(AudioHandle::InputBuffer  in,
                          AudioHandle::OutputBuffer out,
                          size_t                    size)
{
    for(size_t i = 0; i < size; i++)
    {
        float cutoff = 400.0f + 3000.0f * (0.5f + 0.5f * sweep.Process());
        filter_l.SetFreq(cutoff);
        filter_r.SetFreq(cutoff);
        chorus.Process(in[0][i] + in[1][i]);
        filter_l.Process(chorus.GetLeft());
        filter_r.Process(chorus.GetRight());
        out[0][i] = filter_l.Low();
        out[1][i] = filter_r.Low();
    }
}

int main(void)
{
    hw.Init();
    hw.SetAudioBlockSize(4);
    float sr = hw.AudioSampleRate();

    chorus.Init(sr);
    chorus.SetLfoFreq(0.33f, 0.2f);
    chorus.SetLfoDepth(0.8f, 0.9f);
    chorus.SetDelay(0.75f, 0.9f);
    filter_l.Init(sr);
    filter_r.Init(sr);
    filter_l.SetRes(0.4f);
    filter_r.SetRes(0.4f);
    sweep.Init(sr);
    sweep.SetWaveform(Oscillator::WAVE_TRI);
    sweep.SetFreq(0.1f);
    sweep.SetAmp(1.0f);

    hw.StartLog();
    hw.PrintLine("ChorusFilter: %d Hz, block %d", (int)sr, 4);
    hw.StartAudio(AudioCallback);
    bool on = false;
    for(;;)
    {
        on = !on;
        hw.SetLed(on);
        System::Delay(250);
    }
}
