// Fuzz targets: one plain function per parser that reads untrusted text
// (webhook bodies and headers, the config file, what residents type).
//
// Each function takes arbitrary bytes, feeds them to the code under test the
// way the gateway does, and checks the code's own invariants (valid UTF-8
// out, E.164 phones, non-negative amounts, ...), not only that nothing
// crashes. A broken invariant prints what broke and aborts, which libFuzzer
// and the regression test both report. Every function returns 0.
//
// tests/fuzz/fuzz_main.cc turns one of them into a libFuzzer binary
// (fuzz_<name>); tests/fuzz/regressions_test.cc replays the seeds and every
// crash ever found through all of them in the normal test suite.
//
// Thread safety: the functions build their fixtures once (function-local
// statics) and may then be called from any thread.
#ifndef SUARADESA_TESTS_FUZZ_TARGETS_H_
#define SUARADESA_TESTS_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace suaradesa::fuzz {

using FuzzFunction = int (*)(const uint8_t* data, size_t size);

struct FuzzTarget {
  const char* name;       // fuzz_<name>, tests/fuzz/{seeds,regressions}/<name>/
  FuzzFunction function;
};

// Channels: Verify (headers from the input's first line), then RepairUtf8
// and Parse as the server does.
int FuzzTelegram(const uint8_t* data, size_t size);
int FuzzWhatsApp(const uint8_t* data, size_t size);
int FuzzTwilio(const uint8_t* data, size_t size);
int FuzzAndroidSms(const uint8_t* data, size_t size);
int FuzzHttpChannel(const uint8_t* data, size_t size);
// Channel helpers: Twilio's form codec and port toggling, UTF-8 repair, SMS
// segmentation, Telegram's text splitting.
int FuzzTwilioForm(const uint8_t* data, size_t size);
int FuzzUtf8(const uint8_t* data, size_t size);
int FuzzSmsSegments(const uint8_t* data, size_t size);
int FuzzTelegramSplit(const uint8_t* data, size_t size);
// The config loader, and every channel built from a config it accepts.
int FuzzConfig(const uint8_t* data, size_t size);
// Dialog parsers.
int FuzzRupiah(const uint8_t* data, size_t size);
int FuzzDateTime(const uint8_t* data, size_t size);
int FuzzYesNo(const uint8_t* data, size_t size);
int FuzzPhone(const uint8_t* data, size_t size);
int FuzzNumbers(const uint8_t* data, size_t size);
int FuzzKeywords(const uint8_t* data, size_t size);
int FuzzPlaces(const uint8_t* data, size_t size);
int FuzzRsvp(const uint8_t* data, size_t size);
int FuzzText(const uint8_t* data, size_t size);

// Every target, in a fixed order. The names match tests/fuzz/CMakeLists.txt.
const std::vector<FuzzTarget>& FuzzTargets();
// The target called `name`, or nullptr.
const FuzzTarget* FindFuzzTarget(std::string_view name);

}  // namespace suaradesa::fuzz

#endif  // SUARADESA_TESTS_FUZZ_TARGETS_H_
