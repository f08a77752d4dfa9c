// The rules for the top-level fields of a BacktestResult document.
#include <gtest/gtest.h>

#include "common/uuid.h"
#include "json/parser_test_util.h"

namespace btstore::json::test {
namespace {

TEST(ParseResult, ReadsTheValidDocument) {
  const model::BacktestResult r = parsed(kValidDocument);
  EXPECT_EQ(r.header.task_id, "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(r.header.strategy, "volume_zone_breakout");
  EXPECT_EQ(r.header.timeframe, "1h");
  EXPECT_EQ(r.header.start_date, "2024-01-01");
  EXPECT_EQ(r.header.end_date, "2024-01-31");
  EXPECT_EQ(r.header.status, "completed");
  EXPECT_EQ(r.header.metadata_json, R"({"engine":"v2.3","params":{"zone_len":20}})");
  ASSERT_EQ(r.summary.num_rows(), 1u);
  ASSERT_EQ(r.signals.num_rows(), 2u);
  ASSERT_EQ(r.curve.num_rows(), 2u);
}

TEST(ParseResult, GeneratesAMissingTaskId) {
  const std::string json = with(R"("task_id": "550e8400-e29b-41d4-a716-446655440000",)", "");
  const model::BacktestResult a = parsed(json), b = parsed(json);
  EXPECT_TRUE(is_uuid(a.header.task_id)) << a.header.task_id;
  EXPECT_EQ(a.header.task_id[14], '4');
  EXPECT_NE(a.header.task_id, b.header.task_id);
}

TEST(ParseResult, StoresTheTaskIdInLowerCase) {
  const model::BacktestResult r =
      parsed(with("550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-44665544ABCD"));
  EXPECT_EQ(r.header.task_id, "550e8400-e29b-41d4-a716-44665544abcd");
}

TEST(ParseResult, RejectsATaskIdThatIsNotAUuid) {
  EXPECT_EQ(problems_of(with("550e8400-e29b-41d4-a716-446655440000", "task-1")),
            "task_id: \"task-1\" is not a UUID (8-4-4-4-12 hex digits, e.g. "
            "550e8400-e29b-41d4-a716-446655440000); omit task_id to have one generated");
}

TEST(ParseResult, RejectsANullTaskId) {
  EXPECT_EQ(problems_of(with(R"("550e8400-e29b-41d4-a716-446655440000")", "null")),
            "task_id: expected a string, got null (this field cannot be null)");
}

TEST(ParseResult, RequiresStrategy) {
  EXPECT_EQ(problems_of(with(R"("strategy": "volume_zone_breakout",)", "")),
            "strategy: required field is missing");
}

TEST(ParseResult, RejectsAnEmptyStrategy) {
  EXPECT_EQ(problems_of(with(R"("volume_zone_breakout")", R"("")")),
            "strategy: must be 1-100 characters, got 0");
}

TEST(ParseResult, CountsStrategyLengthInCharactersNotBytes) {
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "\xed\x95\x9c";  // 한: 3 bytes each
  EXPECT_EQ(parsed(with("volume_zone_breakout", hundred)).header.strategy, hundred);
  EXPECT_EQ(problems_of(with("volume_zone_breakout", hundred + "x")),
            "strategy: must be 1-100 characters, got 101");
}

TEST(ParseResult, RejectsNulInStrategy) {
  EXPECT_EQ(problems_of(with("volume_zone_breakout", "a\\u0000b")),
            "strategy: contains U+0000, which PostgreSQL text cannot store");
}

TEST(ParseResult, RejectsAStrategyOfTheWrongType) {
  EXPECT_EQ(problems_of(with(R"("volume_zone_breakout")", "[1]")),
            "strategy: expected a string, got an array");
}

TEST(ParseResult, AllowsANullOrMissingTimeframe) {
  EXPECT_EQ(parsed(with(R"("1h")", "null")).header.timeframe, std::nullopt);
  EXPECT_EQ(parsed(with(R"("timeframe": "1h",)", "")).header.timeframe, std::nullopt);
}

TEST(ParseResult, LimitsTimeframeToTenCharacters) {
  EXPECT_EQ(parsed(with(R"("1h")", R"("1234567890")")).header.timeframe, "1234567890");
  EXPECT_EQ(problems_of(with(R"("1h")", R"("12345678901")")),
            "timeframe: must be at most 10 characters, got 11");
  EXPECT_EQ(problems_of(with(R"("1h")", "60")),
            "timeframe: expected a string or null, got a number");
}

TEST(ParseResult, RejectsAnImpossibleDate) {
  EXPECT_EQ(problems_of(with("2024-01-31", "2023-02-29")),
            "end_date: \"2023-02-29\" is not a valid date (day 29 does not exist in 2023-02)");
}

TEST(ParseResult, RejectsADateThatIsNotYyyyMmDd) {
  EXPECT_EQ(problems_of(with("\"2024-01-01\"", "\"2024-1-1\"")),
            "start_date: \"2024-1-1\" is not a valid date (expected YYYY-MM-DD)");
  EXPECT_EQ(problems_of(with("\"2024-01-01\"", "\"2024-01-01T00:00:00Z\"")),
            "start_date: \"2024-01-01T00:00:00Z\" is not a valid date (expected YYYY-MM-DD)");
}

TEST(ParseResult, RejectsAStartDateAfterTheEndDate) {
  EXPECT_EQ(problems_of(with("2024-01-01", "2024-02-01")),
            "end_date: \"2024-01-31\" is before start_date \"2024-02-01\"; start_date must not "
            "be after end_date");
}

TEST(ParseResult, AcceptsEqualStartAndEndDates) {
  EXPECT_EQ(parsed(with("2024-01-31", "2024-01-01")).header.end_date, "2024-01-01");
}

TEST(ParseResult, RequiresBothDates) {
  EXPECT_EQ(problems_of(with(R"("start_date": "2024-01-01",)", "")),
            "start_date: required field is missing");
  EXPECT_EQ(problems_of(with(R"("end_date": "2024-01-31",)", "")),
            "end_date: required field is missing");
}

TEST(ParseResult, DefaultsStatusToCompleted) {
  EXPECT_EQ(parsed(with(R"("status": "completed",)", "")).header.status, "completed");
  EXPECT_EQ(parsed(with(R"("completed")", R"("running")")).header.status, "running");
  EXPECT_EQ(parsed(with(R"("completed")", R"("failed")")).header.status, "failed");
}

TEST(ParseResult, RejectsAnUnknownStatus) {
  EXPECT_EQ(problems_of(with(R"("completed")", R"("Completed")")),
            "status: \"Completed\" is not a status; use completed, failed or running");
}

TEST(ParseResult, RequiresSymbols) {
  const std::string json =
      R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01"})";
  EXPECT_EQ(problems_of(json), "symbols: required field is missing");
}

TEST(ParseResult, AcceptsEmptySymbols) {
  const model::BacktestResult r = parsed(
      R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01", "symbols": []})");
  EXPECT_EQ(r.summary.num_rows(), 0u);
  EXPECT_EQ(r.header.metadata_json, "{}");
  EXPECT_EQ(r.header.status, "completed");
}

TEST(ParseResult, RejectsSymbolsThatAreNotAnArray) {
  EXPECT_EQ(problems_of(R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01",
                            "symbols": {"symbol": "BTC"}})"),
            "symbols: expected an array, got an object");
}

TEST(ParseResult, RejectsAnUnknownTopLevelField) {
  EXPECT_EQ(problems_of(with(R"("timeframe")", R"("time_frame")")),
            "time_frame: unknown field; the fields are task_id, strategy, timeframe, start_date, "
            "end_date, status, metadata, symbols");
}

TEST(ParseResult, IgnoresTheCatalogFieldsGetAddsAtTheTopLevel) {
  const std::string from_get =
      with(R"("status": "completed",)",
           R"("status": "completed", "created_at": "2026-11-26T06:11:01.950081Z", )"
           R"("updated_at": "2026-11-26T06:11:01.950081Z", "parquet_path": "backtests/x/", )"
           R"("file_size": 1234, "record_count": null,)");
  EXPECT_EQ(parsed(from_get), parsed(kValidDocument));
}

TEST(ParseResult, RefusesCatalogFieldsBelowTheTopLevel) {
  // metadata is free-form: kept as it is.
  EXPECT_EQ(parsed(with(R"("engine": "v2.3")", R"("engine": "v2.3", "created_at": 1)"))
                .header.metadata_json,
            R"({"engine":"v2.3","created_at":1,"params":{"zone_len":20}})");
  EXPECT_NE(
      problems_of(with(R"("symbol": "BTC/USDT",)", R"("symbol": "BTC/USDT", "file_size": 1,)"))
          .find("symbols[0].file_size: unknown field"),
      std::string::npos);
}

TEST(ParseResult, RejectsADuplicateTopLevelKey) {
  EXPECT_EQ(problems_of(
                with(R"("status": "completed",)", R"("status": "completed", "status": "failed",)")),
            "status: duplicate key; each field may appear only once");
}

TEST(ParseResult, ReadsKeysWithEscapes) {
  EXPECT_EQ(parsed(with(R"("strategy")", R"("str\u0061tegy")")).header.strategy,
            "volume_zone_breakout");
}

TEST(ParseResult, CollectsEveryProblemInDocumentOrder) {
  std::string json = with("550e8400-e29b-41d4-a716-446655440000", "nope");
  json = with("2024-01-31", "2024-02-30", json);
  json = with(R"("completed")", "7", json);
  json = with(R"("timestamp": "2024-01-01T14:00:00Z")", R"("timestamp": "2024-13-01T00:00:00Z")",
              json);
  json = with(R"("idx": 1)", R"("idx": 0)", json);
  EXPECT_EQ(problems_of(json),
            "task_id: \"nope\" is not a UUID (8-4-4-4-12 hex digits, e.g. "
            "550e8400-e29b-41d4-a716-446655440000); omit task_id to have one generated\n"
            "end_date: \"2024-02-30\" is not a valid date (day 30 does not exist in 2024-02)\n"
            "status: expected a string, got a number\n"
            "symbols[0].signals[1].timestamp: \"2024-13-01T00:00:00Z\" is not a valid RFC 3339 "
            "time (month 13 is not in 01-12)\n"
            "symbols[0].performance_curve[1].idx: 0 is not greater than the previous point's idx "
            "0; idx must be strictly increasing");
}

TEST(ParseResult, StopsAfterAHundredProblems) {
  std::string signals;
  for (int i = 0; i < 150; ++i) {
    if (i > 0) signals += ",";
    signals += R"({"signal_index": "x", "timestamp": "2024-01-01T00:00:00Z"})";
  }
  const std::string json =
      R"({"strategy": "s", "start_date": "2024-01-01", "end_date": "2024-01-01",
      "symbols": [{"symbol": "A", "signals": [)" +
      signals + "]}]}";
  const std::string message = problems_of(json);
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 100);
  EXPECT_EQ(message.substr(0, message.find('\n')),
            "symbols[0].signals[0].signal_index: expected an integer, got a string");
  EXPECT_NE(message.find("symbols[0].signals[99].signal_index"), std::string::npos);
  EXPECT_EQ(message.find("symbols[0].signals[100]"), std::string::npos);
  EXPECT_EQ(message.substr(message.rfind('\n') + 1),
            "$: stopped after 100 problems (there may be more); fix these and validate again");
}

}  // namespace
}  // namespace btstore::json::test
