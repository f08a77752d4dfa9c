// libFuzzer target: btstore::fuzz::json_ingest() (tests/fuzz/entry_points.h) on every input.
#include "fuzz/entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return btstore::fuzz::run_fuzz_input(btstore::fuzz::json_ingest, data, size);
}
