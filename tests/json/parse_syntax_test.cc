// Documents that are not JSON, or not the shape of a BacktestResult at all.
#include <gtest/gtest.h>

#include <random>

#include "json/parser_test_util.h"
#include "json/result_writer.h"
#include "support/random_result.h"

namespace btstore::json::test {
namespace {

TEST(ParseSyntax, RejectsAnEmptyDocument) {
  EXPECT_EQ(problems_of(""), "$: the document is empty; expected a JSON object");
  EXPECT_EQ(problems_of("  \n "), "$: the document is empty; expected a JSON object");
}

TEST(ParseSyntax, RejectsARootThatIsNotAnObject) {
  EXPECT_EQ(problems_of("[]"), "$: the document must be a JSON object, got an array");
  EXPECT_EQ(problems_of("42"), "$: the document must be a JSON object, got a number");
  EXPECT_EQ(problems_of("\"x\""), "$: the document must be a JSON object, got a string");
}

TEST(ParseSyntax, NamesTheLocationOfAMissingComma) {
  const std::string json = with(R"("timeframe": "1h",)", R"("timeframe": "1h")");
  const std::string message = problems_of(json);
  EXPECT_EQ(message.substr(0, message.find(':', 12)),
            "$: invalid JSON at byte " + std::to_string(json.find("\"start_date\"")) +
                " (line 5, column 3)");
  EXPECT_NE(message.find("a comma, colon, bracket or brace is missing or out of place"),
            std::string::npos);
}

TEST(ParseSyntax, RejectsATruncatedDocument) {
  const std::string_view json = kValidDocument;
  for (size_t cut : {size_t{1}, size_t{40}, json.size() / 2, json.size() - 2, json.size() - 1}) {
    Result<model::BacktestResult> r = parse_result(json.substr(0, cut));
    EXPECT_FALSE(r.ok()) << cut;
  }
}

TEST(ParseSyntax, SaysWhereATruncatedDocumentEnds) {
  const std::string_view json = kValidDocument.substr(0, 229);  // after "v2.3",
  EXPECT_EQ(problems_of(json),
            "$: the document ends inside an object or array at byte 229 (line 8, column 33); is it "
            "truncated? (a '}' or ']' is missing)");
}

TEST(ParseSyntax, RejectsTextAfterTheDocument) {
  EXPECT_EQ(problems_of("{} x"),
            "$: unexpected content after the document at byte 3 (line 1, column 4)");
}

TEST(ParseSyntax, RejectsContentAfterTheDocument) {
  const std::string json = std::string(kValidDocument) + " {}";
  const auto lines = std::count(json.begin(), json.end(), '\n') + 1;
  EXPECT_EQ(problems_of(json), "$: unexpected content after the document at byte " +
                                   std::to_string(json.size() - 2) + " (line " +
                                   std::to_string(lines) + ", column 3)");
}

TEST(ParseSyntax, RejectsNaNAndInfinityWithTheirPath) {
  for (const char* literal : {"NaN", "Infinity", "-Infinity", "nan", "-inf"}) {
    const std::string json =
        with("\"entry_price\": 42000,", "\"entry_price\": " + std::string(literal) + ",");
    const std::string message = problems_of(json);
    EXPECT_EQ(message.substr(0, message.find(" at byte")),
              "symbols[0].signals[0].entry_price: " + std::string(literal))
        << message;
    EXPECT_NE(message.find("at byte " + std::to_string(json.find(literal))), std::string::npos)
        << message;
    EXPECT_NE(message.find("NaN and Infinity are not JSON numbers; write null instead"),
              std::string::npos)
        << message;
  }
}

TEST(ParseSyntax, ReportsSeveralBadLiteralsInOnePass) {
  std::string json = with("\"entry_price\": 42000,", "\"entry_price\": NaN,");
  json = with("\"exit_price\": 42840,", "\"exit_price\": Infinity,", json);
  const std::string message = problems_of(json);
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
}

TEST(ParseSyntax, RejectsInvalidNumbers) {
  for (const char* number : {"01", "1.", "-", "1e", "+1", ".5", "1.2.3"}) {
    const std::string json =
        with("\"entry_price\": 42000,", "\"entry_price\": " + std::string(number) + ",");
    const std::string message = problems_of(json);
    EXPECT_EQ(message.rfind("symbols[0].signals[0].entry_price: ", 0), 0u) << message;
  }
}

TEST(ParseSyntax, NamesTheByteOfInvalidUtf8) {
  const std::string json = with("volume_zone_breakout", "volume\xff");
  EXPECT_EQ(problems_of(json), "$: invalid UTF-8 at byte " + std::to_string(json.find('\xff')) +
                                   " (line 3, column 22); the document must be UTF-8 encoded");
}

TEST(ParseSyntax, NamesAnUnescapedControlCharacter) {
  const std::string json = with("volume_zone_breakout", "volume\tzone");
  EXPECT_EQ(problems_of(json), "$: a string contains the control character U+0009 at byte " +
                                   std::to_string(json.find('\t')) +
                                   " (line 3, column 22); control characters must be escaped (\\n, "
                                   "\\t, \\u00XX)");
}

TEST(ParseSyntax, RejectsALoneSurrogateEscape) {
  const std::string message = problems_of(with("volume_zone_breakout", "volume\\ud800"));
  EXPECT_EQ(message.rfind("strategy: the string at byte ", 0), 0u) << message;
  EXPECT_NE(message.find("invalid escape sequence"), std::string::npos);
}

TEST(ParseSyntax, RejectsAnUnclosedString) {
  EXPECT_EQ(problems_of(R"({"strategy": "abc)"), "$: a string is not closed (a '\"' is missing)");
}

TEST(ParseSyntax, RejectsMismatchedBrackets) {
  EXPECT_FALSE(parse_result(with("\"symbols\": [", "\"symbols\": {")).ok());
  EXPECT_FALSE(parse_result(R"({"strategy": "s"]})").ok());
  EXPECT_FALSE(parse_result(R"({"strategy" "s"})").ok());
  EXPECT_FALSE(parse_result(R"({"strategy": "s",})").ok());
  EXPECT_FALSE(parse_result(R"({,})").ok());
  EXPECT_FALSE(parse_result(R"({"a":,"b":1})").ok());
}

TEST(ParseSyntax, SurvivesDeepNestingInUnknownFields) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  const std::string message =
      problems_of(with(R"("status": "completed",)", "\"x\": " + deep + ","));
  EXPECT_EQ(message.rfind("x: unknown field", 0), 0u) << message.substr(0, 200);
}

TEST(ParseSyntax, SurvivesEveryTruncationAndByteFlip) {
  const std::string_view json = kValidDocument;
  for (size_t cut = 0; cut < json.size(); cut += 11) {
    (void)parse_result(json.substr(0, cut));
  }
  for (size_t i = 0; i < json.size(); i += 5) {
    for (char c : {'\0', '"', '{', ']', ',', '\\', '\x80'}) {
      std::string damaged(json);
      damaged[i] = c;
      (void)parse_result(damaged);  // any outcome but a crash
    }
  }
}

TEST(ParseSyntax, SurvivesRandomDamageToGeneratedDocuments) {
  std::mt19937_64 rng(2024);
  btstore::testing::RandomResultOptions options;
  options.max_signals = 10;
  options.max_curve = 10;
  const std::string json = write_result(btstore::testing::random_result(rng, options));
  static constexpr char kBytes[] = "{}[]\",:0-.eE\\ntf\x01\xff";
  for (int i = 0; i < 800; ++i) {
    std::string damaged = json;
    for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0 && !damaged.empty(); --edits) {
      const size_t at = rng() % damaged.size();
      switch (rng() % 3) {
        case 0: damaged[at] = kBytes[rng() % (sizeof kBytes - 1)]; break;
        case 1: damaged.erase(at, 1 + rng() % 8); break;
        default: damaged.insert(at, 1, kBytes[rng() % (sizeof kBytes - 1)]);
      }
    }
    Result<model::BacktestResult> r = parse_result(damaged);
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace btstore::json::test
