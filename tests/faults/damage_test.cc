// Damaged stored files: each file of a small saved result is truncated at every offset (CI: the
// first and last 512 offsets and a stride between; --long: every offset) and has bits flipped
// (CI: a random sample; --long: many more). verify must detect 100% of them: a damaged file is
// never reported clean. The file is restored after each case. The library's verify is what
// `btstore verify` runs; a sample of cases also goes through the command itself (exit code 4).
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

const char* const kFiles[] = {"symbol_summary.parquet", "symbol_signals.parquet",
                              "performance_curve.parquet", "metadata.json"};

class DamageTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    id_ = fixed_id(7);
    save_ok(document(Size::kTiny, id_));
  }

  static void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  // True when verify of the task reports a problem (the damage is detected).
  bool detected() {
    VerifyOptions v;
    v.task_ids = {id_};
    auto problems = store().verify(v);
    EXPECT_TRUE(problems.ok()) << problems.status().to_string();
    return problems.ok() && !problems->empty();
  }

  bool cli_detects() {
    RunResult r = testing::run_process(cli_argv({"verify", id_}));
    return r.exit_code == 4;
  }

  // The bytes of metadata.json's created_at value: a digit changed there still makes a valid
  // time that nothing else records (the catalog's created_at is the server's), so verify
  // cannot tell; those flips are counted apart as a known limit (docs/storage.md).
  static std::pair<size_t, size_t> created_at_value(const std::string& manifest) {
    size_t key = manifest.find("\"created_at\": \"");
    if (key == std::string::npos) return {0, 0};
    size_t begin = key + 15;
    return {begin, manifest.find('"', begin)};
  }

  std::string id_;
};

TEST_F(DamageTest, EveryTruncationIsDetected) {
  const int edge = scaled(512, 1 << 30), stride = scaled(13, 1);
  int cases = 0, missed = 0, cli_cases = 0;
  for (const char* name : kFiles) {
    const fs::path path = result_dir(id_) / name;
    const std::string original = read_all(path);
    ASSERT_FALSE(original.empty()) << path;
    const size_t n = original.size();
    for (size_t len = 0; len < n; ++len) {
      const bool near_edge =
          len < static_cast<size_t>(edge) || n - len <= static_cast<size_t>(edge);
      if (!near_edge && len % stride != 0) continue;
      write_bytes(path, original.substr(0, len));
      ++cases;
      if (!detected()) {
        ++missed;
        ADD_FAILURE() << name << " truncated to " << len << " of " << n
                      << " bytes: verify finds nothing";
      }
      if (len % 97 == 0) {
        ++cli_cases;
        EXPECT_TRUE(cli_detects()) << name << " truncated to " << len;
      }
    }
    write_bytes(path, original);
    ASSERT_TRUE(detected() == false) << "the restored file is reported damaged";
  }
  std::printf("[ figures ] %d truncations (%d through the CLI), %d undetected\n", cases, cli_cases,
              missed);
}

TEST_F(DamageTest, EveryBitFlipIsDetected) {
  const int flips_per_file = scaled(400, 8000);
  std::mt19937_64 rng(std::random_device{}());
  int cases = 0, missed = 0, cli_cases = 0, created_at_missed = 0;
  for (const char* name : kFiles) {
    const fs::path path = result_dir(id_) / name;
    const std::string original = read_all(path);
    ASSERT_FALSE(original.empty()) << path;
    const auto [time_begin, time_end] = std::string(name) == "metadata.json"
                                            ? created_at_value(original)
                                            : std::pair<size_t, size_t>{0, 0};
    const uint64_t bits = original.size() * 8;
    // --long flips every bit of the file when the sample would be larger.
    const bool every_bit = long_run() && bits <= static_cast<uint64_t>(flips_per_file);
    const uint64_t count = every_bit ? bits : static_cast<uint64_t>(flips_per_file);
    for (uint64_t i = 0; i < count; ++i) {
      const uint64_t bit = every_bit ? i : rng() % bits;
      std::string damaged = original;
      damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
      write_bytes(path, damaged);
      ++cases;
      const size_t byte = bit / 8;
      if (!detected()) {
        if (byte >= time_begin && byte < time_end) {
          ++created_at_missed;
          continue;
        }
        ++missed;
        ADD_FAILURE() << name << ": bit " << bit % 8 << " of byte " << bit / 8 << " (0x" << std::hex
                      << (static_cast<unsigned>(original[bit / 8]) & 0xff) << std::dec << " '"
                      << original[bit / 8] << "') flipped: verify finds nothing";
      }
      if (i % 100 == 0) {
        ++cli_cases;
        EXPECT_TRUE(cli_detects()) << name << ": byte " << bit / 8;
      }
    }
    write_bytes(path, original);
    ASSERT_FALSE(detected()) << "the restored file is reported damaged";
  }
  std::printf(
      "[ figures ] %d bit flips (%d through the CLI), %d undetected; %d more in "
      "metadata.json's created_at value (known limit)\n",
      cases, cli_cases, missed, created_at_missed);
}

}  // namespace
}  // namespace btstore::faults
