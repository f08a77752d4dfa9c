// The DOM reader of one symbol takes what the On-Demand readers take, into the same values, and
// gives up on everything else: a refusal only costs the slower reader, a wrong value would be
// stored.
#include <gtest/gtest.h>

#include <bit>
#include <string>

#include "json/parser_test_util.h"
#include "json/section_readers.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

using btstore::testing::result_difference;

// The one symbol object of `document`.
std::string symbol_of(const std::string& document) {
  const size_t open = document.find("[\n    {");
  const size_t close = document.rfind("}\n  ]");
  EXPECT_NE(open, std::string::npos);
  EXPECT_NE(close, std::string::npos);
  return document.substr(open + 6, close - open - 5);
}

// What read_symbol_dom says of the symbol of `document`, and what it read.
bool dom_reads(const std::string& document, model::BacktestResult* out = nullptr) {
  std::string text = symbol_of(document);
  const size_t size = text.size();
  text.append(kParsePadding, ' ');
  simdjson::dom::parser parser;
  model::BacktestResult result;
  const bool ok = read_symbol_dom(parser, std::string_view(text.data(), size), result);
  if (out != nullptr) *out = std::move(result);
  return ok;
}

// The document parsed whole by the On-Demand readers, and parsed split (the DOM reader first).
void expect_same_result(const std::string& document) {
  ParseOptions whole_options;
  whole_options.split_symbols = false;
  const Result<model::BacktestResult> whole = parse_result(document, whole_options);
  const Result<model::BacktestResult> split = parse_result(document);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  ASSERT_TRUE(split.ok()) << split.status().message();
  EXPECT_EQ(result_difference(*whole, *split), "");
}

TEST(SymbolsDomReader, ReadsTheValidDocumentLikeTheOnDemandReaders) {
  model::BacktestResult dom;
  ASSERT_TRUE(dom_reads(std::string(kValidDocument), &dom));
  const Result<model::BacktestResult> whole = parse_result(kValidDocument);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(dom.summary, whole->summary);
  EXPECT_EQ(dom.signals, whole->signals);
  EXPECT_EQ(dom.curve, whole->curve);
  EXPECT_EQ(dom.signals.num_rows(), 2u);
  EXPECT_EQ(dom.signals.symbol.values[1], "BTC/USDT");
  EXPECT_TRUE(dom.signals.exit_price.is_null(1));
}

// Number forms whose double or integer is easy to get wrong from the tape.
TEST(SymbolsDomReader, NumberFormsGiveTheOnDemandValues) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"\"entry_price\": 42000,", "\"entry_price\": 12345678901234567890,"},
      {"\"entry_price\": 42000,", "\"entry_price\": -9223372036854775808,"},
      {"\"entry_price\": 42000,", "\"entry_price\": 9007199254740993,"},
      {"\"entry_price\": 42000,", "\"entry_price\": -0.0,"},
      {"\"entry_price\": 42000,", "\"entry_price\": 1E-400,"},
      {"\"signal_index\": 1,", "\"signal_index\": 1e0,"},
      {"\"signal_index\": 1,", "\"signal_index\": 1.0,"},
      {"\"hold_bars\": 4,", "\"hold_bars\": 2147483647,"},
      {"\"hold_bars\": 4,", "\"hold_bars\": -2147483648,"},
      {"\"quantity\": 0.5,", "\"quantity\": 5e-324,"},
  };
  for (const auto& [from, to] : cases) {
    const std::string document = with(from, to);
    SCOPED_TRACE(to);
    EXPECT_TRUE(dom_reads(document));
    expect_same_result(document);
  }
}

// The integer token -0 is the integer 0 on the tape, but -0.0 to On-Demand's get_double().
TEST(SymbolsDomReader, GivesUpOnAnIntegerMinusZeroInADoubleField) {
  const std::string document = with("\"entry_price\": 42000,", "\"entry_price\": -0,");
  EXPECT_FALSE(dom_reads(document));
  const Result<model::BacktestResult> split = parse_result(document);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(std::bit_cast<uint64_t>(split->signals.entry_price.values[0]),
            std::bit_cast<uint64_t>(-0.0));
  expect_same_result(document);
  // An integer 0 where no -0 is near is read.
  EXPECT_TRUE(dom_reads(with("\"entry_price\": 42000,", "\"entry_price\": 0,")));
  // Where a -0 is anywhere in the symbol (here an int32, which it may be), an integer 0 in a
  // double field ("cumulative_pnl": 0) makes it give up all the same.
  const std::string int_zero = with("\"signal_index\": 1,", "\"signal_index\": -0,");
  EXPECT_FALSE(dom_reads(int_zero));
  expect_same_result(int_zero);
}

TEST(SymbolsDomReader, ReadsMembersInAnyOrderAndEscapedText) {
  const std::string summary_null = [] {
    std::string d(kValidDocument);
    const size_t from = d.find("\"summary\": {");
    const size_t to = d.find("},", from);
    return d.replace(from, to + 1 - from, "\"summary\": null");
  }();
  const std::string cases[] = {
      with("      ]\n    }\n  ]", "      ],\n      \"symbol\": \"BTC/USDT\"\n    }\n  ]",
           with("\"symbol\": \"BTC/USDT\",", "")),
      with("{\"idx\": 0, \"timestamp\": \"2024-01-01T00:00:00Z\", \"equity\": 100000,",
           "{\"equity\": 100000, \"timestamp\": \"2024-01-01T00:00:00Z\", \"idx\": 0,"),
      summary_null,
      with("\"type\": \"buy\"", "\"type\": \"b\\u0075y\\n\\\"\""),
      with("\"fee_amount\": 16.8", "\"fee_\\u0061mount\": 16.8"),
      with("\"symbol\": \"BTC/USDT\"", "\"symbol\": \"\\u00e9\\ud83d\\ude00\""),
      with("\"exit_price\": null, \"quantity\": 0.5,", "\"quantity\": 0.5,"),
  };
  for (const std::string& document : cases) {
    SCOPED_TRACE(document);
    EXPECT_TRUE(dom_reads(document));
    expect_same_result(document);
  }
}

// Each breaks one rule the On-Demand readers report; the DOM reader must give up on it.
TEST(SymbolsDomReader, GivesUpWhereTheOnDemandReadersReportAProblem) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"\"symbol\": \"BTC/USDT\"", "\"symbol\": \"\""},
      {"\"symbol\": \"BTC/USDT\"", "\"symbol\": \"A\\u0000B\""},
      {"\"symbol\": \"BTC/USDT\"", "\"symbol\": 7"},
      {"\"symbol\": \"BTC/USDT\",", ""},
      {"\"symbol\": \"BTC/USDT\",", "\"symbol\": \"BTC/USDT\", \"symbol\": \"X\","},
      {"\"symbol\": \"BTC/USDT\",", "\"symbol\": \"BTC/USDT\", \"extra\": 1,"},
      {"\"summary\": {\"win_rate\": 58.5,", "\"summary\": {\"win_rate\": \"58.5\","},
      {"\"summary\": {\"win_rate\": 58.5,", "\"summary\": {\"win_rate\": 58.5, \"win_rate\": 1,"},
      {"\"summary\": {\"win_rate\": 58.5,", "\"summary\": {\"winrate\": 58.5,"},
      {"\"summary\": {", "\"summary\": ["},
      {"\"signal_index\": 1,", ""},
      {"\"signal_index\": 1,", "\"signal_index\": null,"},
      {"\"signal_index\": 1,", "\"signal_index\": 1.5,"},
      {"\"signal_index\": 1,", "\"signal_index\": 2147483648,"},
      {"\"signal_index\": 1,", "\"signal_index\": 1e10,"},
      {"\"hold_bars\": 4,", "\"hold_bars\": \"4\","},
      {"\"entry_price\": 42000,", "\"entry_price\": \"42000\","},
      {"\"entry_price\": 42000,", "\"entry_price\": true,"},
      {"\"entry_price\": 42000,", "\"entry_price\": 1e400,"},
      {"\"entry_price\": 42000,", "\"entry_price\": NaN,"},
      {"\"type\": \"buy\"", "\"type\": 1"},
      {"\"timestamp\": \"2024-01-01T10:00:00Z\"", "\"timestamp\": \"2024-13-01T10:00:00Z\""},
      {"\"timestamp\": \"2024-01-01T10:00:00Z\"", "\"timestamp\": null"},
      {"\"timestamp\": \"2024-01-01T14:00:00Z\"", "\"timestamp\": \"2024-01-01T09:00:00Z\""},
      {"\"idx\": 1,", "\"idx\": 0,"},
      {"\"idx\": 1, \"timestamp\": \"2024-01-01T01:00:00Z\"",
       "\"idx\": 1, \"timestamp\": \"2023-12-31T01:00:00Z\""},
      {"\"signals\": [", "\"signals\": [null, "},
      {"\"signals\": [", "\"signals\": null, \"x\": ["},
      {"\"performance_curve\": [", "\"performance_curve\": {\"a\": 1}, \"x\": ["},
      {"\"status\": \"closed\"}", "\"status\": \"closed\"},"},
      {"\"type\": \"buy\"", "\"type\": \"\\ud800\""},
  };
  for (const auto& [from, to] : cases) {
    const std::string document = with(from, to);
    SCOPED_TRACE(to);
    EXPECT_FALSE(dom_reads(document));
    // The document as a whole is refused too, with the same messages either way.
    ParseOptions whole;
    whole.split_symbols = false;
    const Result<model::BacktestResult> a = parse_result(document, whole);
    const Result<model::BacktestResult> b = parse_result(document);
    EXPECT_FALSE(a.ok());
    EXPECT_EQ(a.status().to_string(), b.status().to_string());
  }
}

}  // namespace
}  // namespace btstore::json::test
