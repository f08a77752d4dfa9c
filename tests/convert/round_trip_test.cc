// json_to_parquet -> parquet_to_json gives back the document: every double
// bit for bit, nulls, row and symbol order, timestamps to the microsecond.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "btstore/convert.h"
#include "common/file_util.h"
#include "convert/result_files.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "model/schema.h"
#include "support/random_result.h"
#include "support/temp_dir.h"

namespace btstore {
namespace {

using testing::TempDir;

// Column<double> == compares values with ==, which hides -0.0 vs 0.0; compare bits.
template <typename T>
void expect_same_bits(const model::Column<T>& a, const model::Column<T>& b, const char* name) {
  ASSERT_EQ(a.size(), b.size()) << name;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.defined[i], b.defined[i]) << name << " row " << i;
    if (!a.defined[i]) continue;
    if constexpr (std::is_same_v<T, double>) {
      ASSERT_EQ(0, std::memcmp(&a.values[i], &b.values[i], sizeof(double)))
          << name << " row " << i << ": " << a.values[i] << " vs " << b.values[i];
    } else {
      ASSERT_EQ(a.values[i], b.values[i]) << name << " row " << i;
    }
  }
}

void expect_identical(const model::BacktestResult& a, const model::BacktestResult& b) {
  EXPECT_EQ(a.header, b.header);
  for (model::TableKind kind : model::kAllTables) {
    model::ConstTableView va = model::view(a, kind);
    model::ConstTableView vb = model::view(b, kind);
    auto fields = model::table_fields(kind);
    for (size_t c = 0; c < va.columns.size(); ++c) {
      std::visit(
          [&](auto* col) {
            using Ptr = decltype(col);
            expect_same_bits(*col, *std::get<Ptr>(vb.columns[c]), fields[c].name.data());
          },
          va.columns[c]);
    }
  }
}

model::BacktestResult round_trip(const model::BacktestResult& original,
                                 const ConvertOptions& options) {
  TempDir dir;
  std::string json = json::write_result(original, 0);
  auto summary = json_to_parquet(json, dir.path() / "out", options);
  EXPECT_TRUE(summary.ok()) << summary.status().to_string();
  auto back = parquet_to_json(dir.path() / "out");
  EXPECT_TRUE(back.ok()) << back.status().to_string();
  auto parsed = json::parse_result(back.ok() ? *back : "{}");
  EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
  return parsed.ok() ? std::move(*parsed) : model::BacktestResult{};
}

TEST(RoundTrip, RandomResultsComeBackBitIdentical) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    std::mt19937_64 rng(seed);
    model::BacktestResult original = testing::random_result(rng);
    SCOPED_TRACE("seed " + std::to_string(seed));
    expect_identical(original, round_trip(original, {}));
  }
}

TEST(RoundTrip, EveryCompressionAndSmallRowGroups) {
  std::mt19937_64 rng(7);
  model::BacktestResult original = testing::random_result(rng, {.max_symbols = 4});
  for (Compression c : {Compression::kSnappy, Compression::kZstd, Compression::kUncompressed}) {
    SCOPED_TRACE(std::string(compression_name(c)));
    expect_identical(original, round_trip(original, {c, 7}));
  }
}

TEST(RoundTrip, MoreThanOneRowGroupOfTenThousand) {
  std::mt19937_64 rng(11);
  model::BacktestResult original = testing::random_result(
      rng, {.max_symbols = 3, .max_signals = 9000, .max_curve = 9000, .null_rate = 0.05});
  while (original.signals.num_rows() <= 10'000) {
    original = testing::random_result(
        rng, {.max_symbols = 3, .max_signals = 9000, .max_curve = 9000, .null_rate = 0.05});
  }
  expect_identical(original, round_trip(original, {}));
}

TEST(RoundTrip, ManifestRecordsRowCountsSizesAndEtags) {
  TempDir dir;
  std::mt19937_64 rng(3);
  model::BacktestResult original = testing::random_result(rng);
  auto summary = json_to_parquet(json::write_result(original), dir.path());
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  model::Manifest manifest;
  auto back = convert::read_result_dir(dir.path(), &manifest);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(manifest.schema_version, "1.0");
  EXPECT_EQ(manifest.compression, "snappy");
  EXPECT_EQ(manifest.header.task_id, original.header.task_id);
  ASSERT_EQ(manifest.parquet_files.size(), 3u);
  EXPECT_EQ(manifest.parquet_files[0].row_count, int64_t(original.summary.num_rows()));
  EXPECT_EQ(manifest.parquet_files[1].row_count, int64_t(original.signals.num_rows()));
  EXPECT_EQ(manifest.parquet_files[2].row_count, int64_t(original.curve.num_rows()));
  for (const auto& f : manifest.parquet_files) {
    EXPECT_EQ(f.file_size_bytes,
              int64_t(std::filesystem::file_size(dir.path() / (f.table + ".parquet"))));
    EXPECT_EQ(f.etag.size(), 32u);
  }
}

TEST(RoundTrip, InvalidDocumentWritesNothing) {
  TempDir dir;
  auto summary = json_to_parquet(R"({"strategy": ""})", dir.path() / "out");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(ReadResultDir, RowCountDisagreeingWithManifestIsCorruption) {
  TempDir dir;
  std::mt19937_64 rng(5);
  model::BacktestResult original = testing::random_result(rng);
  ASSERT_TRUE(json_to_parquet(json::write_result(original), dir.path()).ok());
  auto text = read_file(dir.path() / "metadata.json", 1 << 20);
  ASSERT_TRUE(text.ok());
  std::string edited = *text;
  std::string needle = "\"row_count\": " + std::to_string(original.signals.num_rows());
  size_t at = edited.find(needle, edited.find("\"symbol_signals\""));
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, needle.size(), "\"row_count\": 123456789");
  ASSERT_TRUE(write_file_synced(dir.path() / "metadata.json", edited).ok());
  auto back = convert::read_result_dir(dir.path(), nullptr);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kCorruption);
  EXPECT_NE(back.status().message().find("symbol_signals.parquet"), std::string::npos)
      << back.status().message();
}

TEST(ReadResultDir, MissingFileIsNotFoundNamingIt) {
  TempDir dir;
  std::mt19937_64 rng(6);
  ASSERT_TRUE(json_to_parquet(json::write_result(testing::random_result(rng)), dir.path()).ok());
  std::filesystem::remove(dir.path() / "performance_curve.parquet");
  auto back = parquet_to_json(dir.path());
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kNotFound);
  EXPECT_NE(back.status().message().find("performance_curve.parquet"), std::string::npos);
}

}  // namespace
}  // namespace btstore
