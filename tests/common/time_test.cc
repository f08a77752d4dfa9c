#include "common/time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <random>

namespace btstore {
namespace {

int64_t parse_ok(std::string_view text) {
  Result<int64_t> r = parse_timestamp(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().to_string();
  return r.ok() ? *r : 0;
}

std::string parse_error(std::string_view text) {
  Result<int64_t> r = parse_timestamp(text);
  EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? *r : 0);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

constexpr int64_t kJan1st2024 = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z

TEST(ParseTimestamp, ReadsUtcWithZ) {
  EXPECT_EQ(parse_ok("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00Z"), kJan1st2024);
  EXPECT_EQ(parse_ok("2024-01-01T10:00:00Z"), kJan1st2024 + 36'000'000'000);
}

TEST(ParseTimestamp, TreatsMissingZoneAsUtc) {
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00"), kJan1st2024);
}

TEST(ParseTimestamp, AcceptsSpaceAndLowerCaseSeparators) {
  EXPECT_EQ(parse_ok("2024-01-01 00:00:00Z"), kJan1st2024);
  EXPECT_EQ(parse_ok("2024-01-01t00:00:00z"), kJan1st2024);
}

TEST(ParseTimestamp, ReadsOneToSixFractionDigits) {
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00.5Z"), kJan1st2024 + 500'000);
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00.12Z"), kJan1st2024 + 120'000);
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00.000001Z"), kJan1st2024 + 1);
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00.999999"), kJan1st2024 + 999'999);
}

TEST(ParseTimestamp, RejectsSevenFractionDigits) {
  EXPECT_EQ(parse_error("2024-01-01T00:00:00.1234567Z"),
            "\"2024-01-01T00:00:00.1234567Z\" is not a valid RFC 3339 time (more than 6 fraction "
            "digits; microseconds are the finest unit)");
}

TEST(ParseTimestamp, RejectsDotWithoutDigits) {
  EXPECT_NE(parse_error("2024-01-01T00:00:00.Z").find("1-6 digits"), std::string::npos);
}

TEST(ParseTimestamp, SubtractsPositiveOffsets) {
  EXPECT_EQ(parse_ok("2024-01-01T05:30:00+05:30"), kJan1st2024);
}

TEST(ParseTimestamp, AddsNegativeOffsets) {
  EXPECT_EQ(parse_ok("2023-12-31T16:00:00-08:00"), kJan1st2024);
  EXPECT_EQ(parse_ok("2024-01-01T00:00:00-00:00"), kJan1st2024);
}

TEST(ParseTimestamp, RejectsMalformedOffsets) {
  for (const char* text :
       {"2024-01-01T00:00:00+0530", "2024-01-01T00:00:00+05", "2024-01-01T00:00:00+5:30",
        "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+05:60"}) {
    EXPECT_NE(parse_error(text).find("offset"), std::string::npos) << text;
  }
}

TEST(ParseTimestamp, ReadsTimesBefore1970) {
  EXPECT_EQ(parse_ok("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(parse_ok("1900-01-01T00:00:00Z"), -2'208'988'800'000'000);
}

TEST(ParseTimestamp, ReadsTheLimitsOfYears0001To9999) {
  EXPECT_EQ(parse_ok("0001-01-01T00:00:00Z"), kMinTimestampMicros);
  EXPECT_EQ(parse_ok("9999-12-31T23:59:59.999999Z"), kMaxTimestampMicros);
}

TEST(ParseTimestamp, RejectsYearZero) {
  EXPECT_NE(parse_error("0000-12-31T00:00:00Z").find("year 0000"), std::string::npos);
}

TEST(ParseTimestamp, RejectsOffsetsThatLeaveTheRange) {
  EXPECT_NE(parse_error("0001-01-01T00:00:00+00:01").find("outside 0001-01-01..9999-12-31"),
            std::string::npos);
  EXPECT_NE(parse_error("9999-12-31T23:59:59-00:01").find("outside"), std::string::npos);
}

TEST(ParseTimestamp, KnowsLeapYears) {
  EXPECT_EQ(parse_ok("2024-02-29T00:00:00Z"), kJan1st2024 + 59LL * 86'400'000'000);
  parse_ok("2000-02-29T00:00:00Z");
  EXPECT_EQ(parse_error("1900-02-29T00:00:00Z"),
            "\"1900-02-29T00:00:00Z\" is not a valid RFC 3339 time (day 29 does not exist in "
            "1900-02)");
  EXPECT_NE(parse_error("2023-02-29T00:00:00Z").find("day 29 does not exist in 2023-02"),
            std::string::npos);
}

TEST(ParseTimestamp, NamesTheBadMonth) {
  EXPECT_EQ(parse_error("2024-13-01T00:00:00Z"),
            "\"2024-13-01T00:00:00Z\" is not a valid RFC 3339 time (month 13 is not in 01-12)");
  EXPECT_NE(parse_error("2024-00-01T00:00:00Z").find("month 00"), std::string::npos);
}

TEST(ParseTimestamp, RejectsOutOfRangeClockFields) {
  EXPECT_NE(parse_error("2024-01-32T00:00:00Z").find("day 32"), std::string::npos);
  EXPECT_NE(parse_error("2024-04-31T00:00:00Z").find("day 31 does not exist in 2024-04"),
            std::string::npos);
  EXPECT_NE(parse_error("2024-01-01T24:00:00Z").find("hour 24"), std::string::npos);
  EXPECT_NE(parse_error("2024-01-01T00:60:00Z").find("minute 60"), std::string::npos);
  EXPECT_NE(parse_error("2024-01-01T00:00:61Z").find("second 61"), std::string::npos);
}

TEST(ParseTimestamp, RefusesLeapSeconds) {
  EXPECT_NE(parse_error("2016-12-31T23:59:60Z").find("leap seconds"), std::string::npos);
}

TEST(ParseTimestamp, RejectsOtherShapes) {
  for (const char* text :
       {"", "2024", "2024-01-01", "2024-1-01T00:00:00Z", "2024-01-01T10:00Z",
        "2024/01/01T00:00:00Z", "2024-01-01X00:00:00Z", "2024-01-01T00:00:00ZZ",
        "2024-01-01T00:00:00 Z", " 2024-01-01T00:00:00Z", "+2024-01-01T00:00:00Z", "1704067200",
        "2024-01-01T00:00:00.5.5Z", "２０２４-01-01T00:00:00Z"}) {
    parse_error(text);
  }
}

TEST(ParseTimestamp, QuotesAndCutsLongOrOddInputInMessages) {
  const std::string long_text(200, '9');
  const std::string message = parse_error(long_text);
  EXPECT_LT(message.size(), 200u);
  EXPECT_NE(message.find("\"..."), std::string::npos);
  EXPECT_EQ(parse_error("a\"\n").substr(0, 9), "\"a\\\"\\x0A\"");
}

TEST(FormatTimestamp, WritesUtcWithZ) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(kJan1st2024 + 36'000'000'000), "2024-01-01T10:00:00Z");
}

TEST(FormatTimestamp, TrimsTrailingFractionZeros) {
  EXPECT_EQ(format_timestamp(1'500'000), "1970-01-01T00:00:01.5Z");
  EXPECT_EQ(format_timestamp(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(format_timestamp(120'000), "1970-01-01T00:00:00.12Z");
}

TEST(FormatTimestamp, WritesTimesBefore1970) {
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp(-86'400'000'000), "1969-12-31T00:00:00Z");
}

TEST(FormatTimestamp, WritesTheLimits) {
  EXPECT_EQ(format_timestamp(kMinTimestampMicros), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(kMaxTimestampMicros), "9999-12-31T23:59:59.999999Z");
}

TEST(FormatTimestamp, WritesASignedYearOutsideTheRange) {
  EXPECT_EQ(format_timestamp(kMinTimestampMicros - 1), "0000-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp(kMaxTimestampMicros + 1), "+10000-01-01T00:00:00Z");
  EXPECT_FALSE(timestamp_in_range(kMaxTimestampMicros + 1));
  EXPECT_FALSE(timestamp_in_range(kMinTimestampMicros - 1));
  // The int64 extremes must format without overflow, and not parse back.
  for (int64_t v : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    const std::string text = format_timestamp(v);
    EXPECT_FALSE(parse_timestamp(text).ok()) << text;
  }
  EXPECT_EQ(format_timestamp(std::numeric_limits<int64_t>::min()),
            "-290308-12-21T19:59:05.224192Z");
}

TEST(FormatTimestamp, RoundTripsThroughParse) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> any(kMinTimestampMicros, kMaxTimestampMicros);
  for (int i = 0; i < 20'000; ++i) {
    const int64_t t = any(rng);
    ASSERT_EQ(parse_ok(format_timestamp(t)), t) << format_timestamp(t);
  }
}

// The series parser must give parse_timestamp()'s answer, value or message, for every text,
// whatever the texts before it.
void expect_same_as_parse_timestamp(TimestampSeriesParser& series, std::string_view text) {
  const Result<int64_t> expected = parse_timestamp(text);
  const Result<int64_t> got = series.parse(text);
  ASSERT_EQ(got.ok(), expected.ok()) << text;
  if (expected.ok()) {
    ASSERT_EQ(*got, *expected) << text;
  } else {
    ASSERT_EQ(got.status().message(), expected.status().message()) << text;
  }
}

TEST(TimestampSeriesParser, ReadsAnHourlySeriesAcrossDaysMonthsAndYears) {
  TimestampSeriesParser series;
  const int64_t start = parse_ok("2023-12-30T00:00:00Z");
  for (int64_t hour = 0; hour < 24 * 70; ++hour) {
    const int64_t t = start + hour * 3'600'000'000;
    const std::string text = format_timestamp(t);
    Result<int64_t> got = series.parse(text);
    ASSERT_TRUE(got.ok()) << text;
    ASSERT_EQ(*got, t) << text;
  }
}

TEST(TimestampSeriesParser, AgreesWithParseTimestampAfterAKeptDate) {
  // Each text follows "2024-02-28T10:00:00Z", whose date the parser keeps: the same date with
  // other times, separators, zones and fractions, and broken times of it.
  const std::string_view texts[] = {
      "2024-02-28T11:00:00Z",
      "2024-02-28t23:59:59z",
      "2024-02-28 00:00:00Z",
      "2024-02-28T24:00:00Z",
      "2024-02-28T10:60:00Z",
      "2024-02-28T10:00:60Z",
      "2024-02-28T10:00:61Z",
      "2024-02-28X10:00:00Z",
      "2024-02-28T10-00:00Z",
      "2024-02-28T10:00-00Z",
      "2024-02-28T10:00:00+",
      "2024-02-28T1a:00:00Z",
      "2024-02-28T10:0a:00Z",
      "2024-02-28T10:00:0aZ",
      "2024-02-28T10:00:00",
      "2024-02-28T10:00:00.5Z",
      "2024-02-28T10:00:00+01:00",
      "2024-02-28T10:00:00ZZ",
      "2024-02-28T10:00:0Z",
      "2024-02-28T-1:00:00Z",
      "2024-02-28T10:00:00!",
      "2024-02-29T10:00:00Z",
      "2023-02-29T10:00:00Z",
      "2024-02-28",
      "",
  };
  for (std::string_view text : texts) {
    TimestampSeriesParser series;
    ASSERT_TRUE(series.parse("2024-02-28T10:00:00Z").ok());
    expect_same_as_parse_timestamp(series, text);
  }
}

TEST(TimestampSeriesParser, KeepsNoDateFromARefusedText) {
  TimestampSeriesParser series;
  // A refused date must not be kept for the next text with a valid time.
  for (std::string_view bad : {"2023-02-29T10:00:00Z", "0000-01-01T00:00:00Z",
                               "2024-13-01T00:00:00Z", "2024-02-28T99:00:00Z"}) {
    expect_same_as_parse_timestamp(series, bad);
    std::string next(bad.substr(0, 10));
    next += "T01:00:00Z";
    expect_same_as_parse_timestamp(series, next);
  }
  // Nor is a date taken from a text of another form, nor the zero bytes of no date at all.
  TimestampSeriesParser fresh;
  expect_same_as_parse_timestamp(fresh, std::string(10, '\0') + "T01:00:00Z");
  expect_same_as_parse_timestamp(fresh, "2024-03-01T10:00:00+05:00");
  expect_same_as_parse_timestamp(fresh, "2024-03-01T10:00:00Z");
}

TEST(TimestampSeriesParser, AgreesWithParseTimestampOnRandomNearbyTexts) {
  // Random timestamps in one week, some with a byte changed, each parsed after the one before.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> week(0, 7 * 86'400);
  std::uniform_int_distribution<int> pick(0, 19);
  const char replacements[] = "0123456789:-TtZz +.x";
  const int64_t start = parse_ok("2024-06-01T00:00:00Z");
  TimestampSeriesParser series;
  for (int i = 0; i < 50'000; ++i) {
    std::string text = format_timestamp(start + week(rng) * 1'000'000);
    if (i % 3 == 0) text[pick(rng)] = replacements[pick(rng)];
    expect_same_as_parse_timestamp(series, text);
  }
}

TEST(FormatDate, AgreesWithStdChronoOverTheWholeRange) {
  using namespace std::chrono;
  for (int32_t d = kMinDateDays; d <= kMaxDateDays; d += 37) {
    const year_month_day ymd{sys_days{days{d}}};
    char expected[16];
    std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    ASSERT_EQ(format_date(d), expected);
    Result<int32_t> back = parse_date(expected);
    ASSERT_TRUE(back.ok()) << expected;
    ASSERT_EQ(*back, d);
  }
}

TEST(ParseDate, ReadsStrictDates) {
  EXPECT_EQ(*parse_date("1970-01-01"), 0);
  EXPECT_EQ(*parse_date("2024-01-01"), 19'723);
  EXPECT_EQ(*parse_date("0001-01-01"), kMinDateDays);
  EXPECT_EQ(*parse_date("9999-12-31"), kMaxDateDays);
  EXPECT_EQ(*parse_date("1969-12-31"), -1);
  EXPECT_TRUE(parse_date("2024-02-29").ok());
}

TEST(ParseDate, RejectsImpossibleDays) {
  EXPECT_EQ(parse_date("2023-02-29").status().message(),
            "\"2023-02-29\" is not a valid date (day 29 does not exist in 2023-02)");
  EXPECT_EQ(parse_date("2024-13-01").status().message(),
            "\"2024-13-01\" is not a valid date (month 13 is not in 01-12)");
  EXPECT_FALSE(parse_date("0000-01-01").ok());
  EXPECT_FALSE(parse_date("2024-06-31").ok());
}

TEST(ParseDate, RejectsOtherShapes) {
  for (const char* text : {"", "2024-1-01", "2024-01-1", "20240101", "2024-01-01T00:00:00Z",
                           "2024-01-01 ", "24-01-01", "2024/01/01", "-2024-01-01"}) {
    Result<int32_t> r = parse_date(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("expected YYYY-MM-DD"), std::string::npos);
    }
  }
}

TEST(NowMicros, IsCloseToTheSystemClock) {
  const int64_t before = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t now = now_micros();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, 10'000'000);
  EXPECT_GT(now, kJan1st2024);
}

}  // namespace
}  // namespace btstore
