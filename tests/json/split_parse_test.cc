// Parsing the symbols apart (on several threads) gives what parsing the whole document gives:
// the same result for every valid document, the same messages for every broken one.
#include "json/split_parse.h"

#include <gtest/gtest.h>

#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "json/parser_test_util.h"
#include "json/result_writer.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

using btstore::testing::random_result;
using btstore::testing::RandomResultOptions;
using btstore::testing::result_difference;

Result<model::BacktestResult> parse_whole(std::string_view json) {
  ParseOptions options;
  options.split_symbols = false;
  options.threads = 1;
  return parse_result(json, options);
}

// Split over `threads` threads however small the document.
Result<model::BacktestResult> parse_split(std::string_view json, size_t threads) {
  ParseOptions options;
  options.threads = threads;
  options.min_bytes_per_thread = 0;
  return parse_result(json, options);
}

// "" when both parses agree; a generated task_id (the document has none) is not compared.
std::string disagreement(std::string_view json, const Result<model::BacktestResult>& whole,
                         Result<model::BacktestResult> split) {
  if (whole.ok() != split.ok()) {
    return "whole: " + (whole.ok() ? std::string("ok") : whole.status().message()) +
           "\nsplit: " + (split.ok() ? std::string("ok") : split.status().message());
  }
  if (!whole.ok()) {
    return whole.status().to_string() == split.status().to_string()
               ? ""
               : "whole: " + whole.status().message() + "\nsplit: " + split.status().message();
  }
  if (json.find("\"task_id\"") == std::string_view::npos) {
    split->header.task_id = whole->header.task_id;
  }
  return result_difference(*whole, *split);
}

std::string random_document(uint64_t seed, int indent) {
  std::mt19937_64 rng(seed);
  RandomResultOptions options;
  options.max_symbols = 7;
  options.max_signals = 30;
  options.max_curve = 30;
  options.null_rate = seed % 3 == 0 ? 0.5 : 0.1;
  return write_result(random_result(rng, options), indent);
}

TEST(SplitParse, ValidDocumentsGiveTheSameResultOnAnyThreadCount) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const std::string text = random_document(seed, static_cast<int>(seed % 3));
    const Result<model::BacktestResult> whole = parse_whole(text);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    for (size_t threads : {1, 2, 3, 8}) {
      ASSERT_EQ(disagreement(text, whole, parse_split(text, threads)), "")
          << "seed " << seed << ", " << threads << " threads";
    }
  }
}

// One random edit: a byte removed, inserted or replaced by one JSON cares about.
std::string mutate(std::string text, std::mt19937_64& rng) {
  static constexpr std::string_view kBytes = "{}[],:\"\\ 0-.enul\x01\xff";
  const size_t at = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
  const char c = kBytes[std::uniform_int_distribution<size_t>(0, kBytes.size() - 1)(rng)];
  switch (rng() % 3) {
    case 0: text.erase(at, 1); break;
    case 1: text.insert(at, 1, c); break;
    default: text[at] = c; break;
  }
  return text;
}

TEST(SplitParse, DocumentsOfLargeAndSmallSymbolsInTurnOnOneThread) {
  // The thread keeps its symbol parser between documents unless a symbol made it large: the
  // documents after a large one, and after a small one, still parse as the whole parse does.
  std::vector<std::string> documents;
  for (uint64_t seed : {11, 12, 13}) {
    std::mt19937_64 rng(seed);
    RandomResultOptions options;
    options.max_symbols = 2;
    options.max_signals = seed == 12 ? 20000 : 40;  // seed 12: symbols over 1 MB
    options.max_curve = seed == 12 ? 20000 : 40;
    documents.push_back(write_result(random_result(rng, options), 1));
  }
  ASSERT_GT(documents[1].size(), size_t{3} << 20);
  for (int round = 0; round < 2; ++round) {
    for (const std::string& json : documents) {
      ASSERT_EQ(disagreement(json, parse_whole(json), parse_split(json, 1)), "") << json.size();
    }
  }
}

TEST(SplitParse, BrokenDocumentsGiveTheSameMessages) {
  std::mt19937_64 rng(11);
  int failures = 0;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    const std::string original = random_document(seed, static_cast<int>(seed % 2));
    for (int round = 0; round < 40; ++round) {
      std::string text = mutate(original, rng);
      if (round % 4 == 3) text = mutate(text, rng);
      const Result<model::BacktestResult> whole = parse_whole(text);
      failures += !whole.ok();
      ASSERT_EQ(disagreement(text, whole, parse_split(text, 3)), "")
          << "seed " << seed << " round " << round << "\n"
          << text;
    }
  }
  EXPECT_GT(failures, 1000);  // most edits break the document
}

TEST(SplitParse, ADuplicateSymbolInAnotherPieceIsFoundWithItsPlace) {
  const std::string one = with("\"BTC/USDT\"", "\"ETH/USDT\"");
  const size_t open = one.find("[\n    {");
  const size_t close = one.rfind("]");
  // Three symbols: BTC, ETH, BTC; each piece alone has unique names.
  const std::string element = one.substr(open + 1, close - open - 1);
  std::string text = std::string(kValidDocument);
  text.insert(text.rfind("]"),
              "," + element + "," + std::string(kValidDocument).substr(open + 1, close - open - 1));
  const Result<model::BacktestResult> whole = parse_whole(text);
  ASSERT_FALSE(whole.ok());
  EXPECT_NE(whole.status().message().find("symbols[2].symbol: \"BTC/USDT\" is already the symbol "
                                          "of symbols[0]"),
            std::string::npos)
      << whole.status().message();
  EXPECT_EQ(disagreement(text, whole, parse_split(text, 3)), "");
}

TEST(SplitParse, TellsWhichBytesItIsDoneWith) {
  const std::string text = random_document(7, 0);
  std::mutex mutex;
  std::vector<std::pair<size_t, size_t>> ranges;
  ParseOptions options;
  options.threads = 2;
  options.min_bytes_per_thread = 0;
  options.consumed = [&](size_t begin, size_t end) {
    std::lock_guard lock(mutex);
    ranges.emplace_back(begin, end);
  };
  ASSERT_TRUE(parse_result(text, options).ok());
  ASSERT_FALSE(ranges.empty());
  size_t covered = 0;
  for (auto [begin, end] : ranges) {
    EXPECT_LT(begin, end);
    EXPECT_LE(end, text.size());
    EXPECT_EQ(text[begin], '{');  // a symbol object, whole
    EXPECT_EQ(text[end - 1], '}');
    covered += end - begin;
  }
  EXPECT_GT(covered, text.size() / 2);
}

TEST(SplitParse, RunsAreBoundedByThreadsSymbolsAndBytes) {
  constexpr size_t kMiB = size_t{1} << 20;
  EXPECT_EQ(split_runs(1 * kMiB, 5, 2, 4 * kMiB), 1u);  // a small result: one thread
  EXPECT_EQ(split_runs(7 * kMiB, 5, 2, 4 * kMiB), 1u);
  EXPECT_EQ(split_runs(8 * kMiB, 5, 2, 4 * kMiB), 2u);
  EXPECT_EQ(split_runs(114 * kMiB, 200, 2, 4 * kMiB), 2u);
  EXPECT_EQ(split_runs(114 * kMiB, 200, 8, 4 * kMiB), 8u);
  EXPECT_EQ(split_runs(114 * kMiB, 3, 8, 4 * kMiB), 3u);  // no more runs than symbols
  EXPECT_EQ(split_runs(1 * kMiB, 5, 3, 0), 3u);           // 0: any size splits
  EXPECT_EQ(split_runs(100, 1, 3, 0), 1u);
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(split_runs(100, 5, 0, 0), std::min<size_t>(5, cores));  // 0 threads: one per core
}

}  // namespace
}  // namespace btstore::json::test
