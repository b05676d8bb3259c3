// The libFuzzer entry point for one target of tests/fuzz/targets.h, chosen
// at compile time: SUARADESA_FUZZ_TARGET is its name as a string literal
// ("rupiah"), so each target is its own binary, fuzz_<name>.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/targets.h"

#ifndef SUARADESA_FUZZ_TARGET
#error "SUARADESA_FUZZ_TARGET must name a target of tests/fuzz/targets.h"
#endif

namespace {

suaradesa::fuzz::FuzzFunction TargetFunction() {
  const suaradesa::fuzz::FuzzTarget* target =
      suaradesa::fuzz::FindFuzzTarget(SUARADESA_FUZZ_TARGET);
  if (target == nullptr) {
    std::fprintf(stderr, "no fuzz target named %s\n", SUARADESA_FUZZ_TARGET);
    std::abort();
  }
  return target->function;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const suaradesa::fuzz::FuzzFunction function = TargetFunction();
  return function(data, size);
}
