// write_result() and write_result_to() against the previous writer (the
// oracle of today's bytes), on random results, every thread count and layout.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>

#include "json/reference_result_writer.h"
#include "json/result_writer.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

using btstore::testing::random_result;
using btstore::testing::RandomResultOptions;

std::string chunked_text(const model::BacktestResult& r, int indent, size_t threads,
                         size_t* pieces = nullptr) {
  std::string out;
  size_t count = 0;
  Status st = write_result_to(r, indent, threads, [&](std::string_view piece) {
    out += piece;
    ++count;
    return Status::OK();
  });
  EXPECT_TRUE(st.ok()) << st.to_string();
  if (pieces != nullptr) *pieces = count;
  return out;
}

TEST(WriteResultChunks, EqualsThePreviousWriterForRandomResults) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 30; ++i) {
    const model::BacktestResult r = random_result(rng);
    for (int indent : {0, 2}) {
      const std::string expected = reference_write_result(r, indent);
      ASSERT_EQ(write_result(r, indent), expected) << "result " << i;
      for (size_t threads : {1, 2, 3}) {
        ASSERT_EQ(chunked_text(r, indent, threads), expected) << "result " << i;
      }
    }
  }
}

TEST(WriteResultChunks, SplitsManySymbolsIntoPiecesInDocumentOrder) {
  std::mt19937_64 rng(11);
  RandomResultOptions options;
  options.max_symbols = 60;
  options.max_signals = 400;
  options.max_curve = 600;
  for (int i = 0; i < 4; ++i) {
    const model::BacktestResult r = random_result(rng, options);
    const std::string expected = reference_write_result(r, 0);
    size_t pieces = 0;
    ASSERT_EQ(chunked_text(r, 0, 2, &pieces), expected);
    ASSERT_EQ(chunked_text(r, 4, 2), reference_write_result(r, 4));
    const size_t rows = r.signals.num_rows() + r.curve.num_rows();
    if (rows > 3 * 8192) {
      EXPECT_GE(pieces, 4u);  // header, >= 2 runs of symbols, end
    }
  }
}

TEST(WriteResultChunks, WritesAnEmptyResult) {
  model::BacktestResult r;
  r.header.task_id = "550e8400-e29b-41d4-a716-446655440000";
  for (int indent : {0, 2})
    EXPECT_EQ(chunked_text(r, indent, 2), reference_write_result(r, indent));
}

TEST(WriteResultChunks, StopsAtTheFirstErrorOfTheSink) {
  std::mt19937_64 rng(3);
  RandomResultOptions options;
  options.max_symbols = 40;
  const model::BacktestResult r = random_result(rng, options);
  for (size_t threads : {1, 2, 4}) {
    std::atomic<int> calls{0};
    Status st = write_result_to(r, 0, threads, [&](std::string_view) {
      return ++calls == 2 ? Status::IOError("disk full") : Status::OK();
    });
    EXPECT_EQ(st.code(), StatusCode::kIOError);
    EXPECT_NE(st.to_string().find("disk full"), std::string::npos);
    EXPECT_EQ(calls.load(), 2);
  }
}

}  // namespace
}  // namespace btstore::json::test
