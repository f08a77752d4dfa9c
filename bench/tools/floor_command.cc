// btstore-bench floor: the least work any JSON -> Parquet converter must do.
// simdjson On-Demand walks the whole document, parses every number (int64 or
// double) and unescapes every string and key, and writes nothing. The time
// includes reading the file, as a converter's does.
//
// On-Demand runs the kernel chosen at compile time ("builtin"); without
// target flags that is the portable fallback. CMake compiles this file for
// haswell (AVX2) when the build machine has it, so the floor is what the
// hardware allows; the output names the kernel.
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace btstore::bench {
namespace {

#define BTSTORE_BENCH_STR(x) #x
#define BTSTORE_BENCH_XSTR(x) BTSTORE_BENCH_STR(x)
// The On-Demand kernel compiled into this file.
constexpr const char* kKernel = BTSTORE_BENCH_XSTR(SIMDJSON_BUILTIN_IMPLEMENTATION);

struct Tally {
  uint64_t numbers = 0, strings = 0, string_bytes = 0, nulls = 0, bools = 0;
  double checksum = 0;  // keeps the parsed values alive for the optimizer
};

simdjson::error_code walk(simdjson::ondemand::value value, Tally& tally);

simdjson::error_code walk_object(simdjson::ondemand::object object, Tally& tally) {
  for (auto field : object) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return err;
    tally.string_bytes += key.size();
    simdjson::ondemand::value v;
    if (auto err = field.value().get(v)) return err;
    if (auto err = walk(v, tally)) return err;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk(simdjson::ondemand::value value, Tally& tally) {
  simdjson::ondemand::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (auto err = value.get_object().get(object)) return err;
      return walk_object(object, tally);
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (auto err = value.get_array().get(array)) return err;
      for (auto element : array) {
        simdjson::ondemand::value v;
        if (auto err = element.get(v)) return err;
        if (auto err = walk(v, tally)) return err;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number n;
      if (auto err = value.get_number().get(n)) return err;
      tally.checksum += n.as_double();
      ++tally.numbers;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto err = value.get_string().get(s)) return err;
      tally.string_bytes += s.size();
      ++tally.strings;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (auto err = value.get_bool().get(b)) return err;
      ++tally.bools;
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::null: ++tally.nulls; return value.is_null().error();
    default: return simdjson::INCORRECT_TYPE;
  }
}

}  // namespace

int run_floor(const Args& args) {
  if (args.size() != 1) {
    std::fputs("usage: btstore-bench floor FILE\n", stderr);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  simdjson::padded_string json;
  if (auto err = simdjson::padded_string::load(args[0]).get(json)) {
    std::fprintf(stderr, "btstore-bench floor: cannot read %s: %s\n", args[0].c_str(),
                 simdjson::error_message(err));
    return 1;
  }
  auto loaded = std::chrono::steady_clock::now();
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  Tally tally;
  simdjson::ondemand::value root;
  simdjson::error_code err = parser.iterate(json).get(doc);
  if (!err) err = doc.get_value().get(root);
  if (!err) err = walk(root, tally);
  if (err) {
    std::fprintf(stderr, "btstore-bench floor: %s is not valid JSON: %s\n", args[0].c_str(),
                 simdjson::error_message(err));
    return 1;
  }
  auto end = std::chrono::steady_clock::now();
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf(
      "{\"bytes\": %zu, \"seconds\": %.6f, \"read_seconds\": %.6f, \"walk_seconds\": %.6f, "
      "\"numbers\": %llu, \"strings\": %llu, \"nulls\": %llu, \"checksum\": %.17g, "
      "\"simdjson\": \"%s\"}\n",
      json.size(), secs(start, end), secs(start, loaded), secs(loaded, end),
      static_cast<unsigned long long>(tally.numbers),
      static_cast<unsigned long long>(tally.strings), static_cast<unsigned long long>(tally.nulls),
      tally.checksum, kKernel);
  return 0;
}

}  // namespace btstore::bench
