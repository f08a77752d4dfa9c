// btstore-bench generate: a preset document written to a file.
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "commands.h"
#include "generator/result_generator.h"

namespace btstore::bench {
namespace {

constexpr long long kMaxCount = 10'000'000;

int usage_error(const std::string& message) {
  std::fprintf(stderr,
               "btstore-bench generate: %s\nusage: btstore-bench generate --preset "
               "small|100mb|500mb [--seed N] [--symbols N] [--signals N] [--curve N] -o FILE\n",
               message.c_str());
  return 2;
}

std::optional<long long> parse_count(const std::string& text) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used != text.size() || v < 0 || v > kMaxCount) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

int run_generate(const Args& args) {
  std::string preset = "small", out;
  std::optional<long long> seed, symbols, signals, curve;
  const std::map<std::string, std::optional<long long>*> counts = {
      {"--seed", &seed}, {"--symbols", &symbols}, {"--signals", &signals}, {"--curve", &curve}};
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return usage_error("option " + a + " needs a value");
    const std::string& v = args[i + 1];
    if (a == "--preset") {
      preset = v;
    } else if (a == "-o" || a == "--output") {
      out = v;
    } else if (auto it = counts.find(a); it != counts.end()) {
      *it->second = parse_count(v);
      if (!*it->second) return usage_error(a + " takes a number from 0 to 10000000, not " + v);
    } else {
      return usage_error("unknown option " + a);
    }
  }
  if (out.empty()) return usage_error("-o FILE is required");
  Result<GeneratorOptions> options = preset_options(preset);
  if (!options.ok()) return usage_error(options.status().message());
  GeneratorOptions o = *options;
  if (seed) o.seed = static_cast<uint64_t>(*seed);
  if (symbols) o.symbols = static_cast<int>(*symbols);
  if (signals) o.signals = static_cast<int>(*signals);
  if (curve) o.curve_points = static_cast<int>(*curve);
  auto start = std::chrono::steady_clock::now();
  Result<uint64_t> bytes = generate_result_file(o, out);
  if (!bytes.ok()) {
    std::fprintf(stderr, "btstore-bench generate: %s\n", bytes.status().to_string().c_str());
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "wrote %s: %llu bytes (%d symbols x %d signals x %d curve points) in %.2f s\n",
               out.c_str(), static_cast<unsigned long long>(*bytes), o.symbols, o.signals,
               o.curve_points, seconds);
  return 0;
}

}  // namespace btstore::bench
