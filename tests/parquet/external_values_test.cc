// Values read from other writers' files, checked against what can be derived independently:
// the expected-value CSVs of parquet-testing and the footer statistics of a pyarrow file.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parquet/file_reader.h"

namespace btstore::parquet {
namespace {

namespace fs = std::filesystem;
const fs::path kTestData = BTSTORE_TESTDATA_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One CSV cell: nullopt for an empty unquoted cell (a null in these files).
using Cell = std::optional<std::string>;

std::vector<std::vector<Cell>> parse_csv(const std::string& text) {
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> row;
  std::string cell;
  bool quoted = false, in_quotes = false;
  auto end_cell = [&] {
    row.push_back(quoted || !cell.empty() ? Cell(cell) : std::nullopt);
    cell.clear();
    quoted = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"', ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      in_quotes = quoted = true;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\n') {
      end_cell();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!row.empty() || !cell.empty()) end_cell(), rows.push_back(row);
  return rows;
}

Cell cell_text(const GenericColumn& column, size_t row) {
  if (!column.defined[row]) return std::nullopt;
  return std::visit(
      [&](const auto& values) -> std::string {
        using V = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<V, std::string>) {
          return values[row];
        } else {
          return std::to_string(values[row]);
        }
      },
      column.values);
}

void expect_matches_csv(const std::string& parquet, const std::string& csv) {
  const fs::path dir = kTestData / "parquet-testing" / "data";
  const std::string bytes = slurp(dir / parquet);
  auto reader = FileReader::open(bytes, parquet);
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  const auto table = parse_csv(slurp(dir / csv));
  ASSERT_FALSE(table.empty());
  const size_t rows = table.size() - 1;
  ASSERT_EQ(reader->num_rows(), static_cast<int64_t>(rows)) << parquet;
  ASSERT_EQ(reader->num_columns(), static_cast<int>(table[0].size())) << parquet;
  for (int c = 0; c < reader->num_columns(); ++c) {
    auto column = reader->read_column(c);
    ASSERT_TRUE(column.ok()) << column.status().to_string();
    for (size_t r = 0; r < rows; ++r) {
      ASSERT_EQ(cell_text(*column, r), table[r + 1][c])
          << parquet << " column " << column->name << " row " << r;
    }
  }
}

TEST(ExternalValues, DeltaBinaryPackedMatchesExpectedCsv) {
  expect_matches_csv("delta_binary_packed.parquet", "delta_binary_packed_expect.csv");
}

TEST(ExternalValues, DeltaByteArrayMatchesExpectedCsv) {
  expect_matches_csv("delta_byte_array.parquet", "delta_byte_array_expect.csv");
}

TEST(ExternalValues, DeltaOptionalColumnsMatchExpectedCsv) {
  expect_matches_csv("delta_encoding_optional_column.parquet",
                     "delta_encoding_optional_column_expect.csv");
}

TEST(ExternalValues, DeltaRequiredColumnsMatchExpectedCsv) {
  expect_matches_csv("delta_encoding_required_column.parquet",
                     "delta_encoding_required_column_expect.csv");
}

// Decodes a PLAIN statistics value of the column's type for comparison.
template <typename V>
V stat_value(const std::string& plain) {
  if constexpr (std::is_same_v<V, std::string>) {
    return plain;
  } else {
    V v{};
    EXPECT_EQ(plain.size(), sizeof(V));
    std::memcpy(&v, plain.data(), std::min(sizeof(V), plain.size()));
    return v;
  }
}

// The footer's statistics (written by parquet-cpp-arrow 12) against the values we decode.
TEST(ExternalValues, FreqtradeTradesMatchFooterStatistics) {
  const std::string bytes = slurp(kTestData / "freqtrade" / "parquet" / "XRP_ETH-trades.parquet");
  auto reader = FileReader::open(bytes, "XRP_ETH-trades.parquet");
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  ASSERT_EQ(reader->num_rows(), 12477);
  ASSERT_EQ(reader->num_columns(), 7);
  const std::vector<std::string> names = {"timestamp", "id",     "type", "side",
                                          "price",     "amount", "cost"};
  for (int c = 0; c < reader->num_columns(); ++c) {
    EXPECT_EQ(reader->column_schema(c).name, names[c]);
    auto column = reader->read_column(c);
    ASSERT_TRUE(column.ok()) << column.status().to_string();
    int64_t group_start = 0;
    for (const RowGroup& group : reader->metadata().row_groups) {
      const Statistics& stats = *group.columns[c].meta_data->statistics;
      int64_t group_nulls = 0;
      std::visit(
          [&](const auto& values) {
            using V = typename std::decay_t<decltype(values)>::value_type;
            std::optional<V> lo, hi;
            for (int64_t r = group_start; r < group_start + group.num_rows; ++r) {
              if (!column->defined[r]) {
                ++group_nulls;
                continue;
              }
              if (!lo || values[r] < *lo) lo = values[r];
              if (!hi || *hi < values[r]) hi = values[r];
            }
            ASSERT_TRUE(lo && stats.min_value && stats.max_value) << names[c];
            EXPECT_EQ(stat_value<V>(*stats.min_value), *lo) << names[c];
            EXPECT_EQ(stat_value<V>(*stats.max_value), *hi) << names[c];
          },
          column->values);
      ASSERT_TRUE(stats.null_count.has_value());
      EXPECT_EQ(group_nulls, *stats.null_count) << names[c];
      group_start += group.num_rows;
    }
    EXPECT_EQ(group_start, 12477);
  }
  // The trades are in time order (epoch milliseconds), which the statistics cannot show.
  auto ts = reader->read_column(0);
  ASSERT_TRUE(ts.ok());
  const auto& t = std::get<std::vector<int64_t>>(ts->values);
  EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
}

}  // namespace
}  // namespace btstore::parquet
