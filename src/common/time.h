// Timestamps and dates of the result format (docs/format.md, "Timestamps").
// Timestamps are int64 UTC microseconds since 1970-01-01T00:00:00Z; dates are
// int32 days since 1970-01-01. Both use the proleptic Gregorian calendar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore {

// The range parse_timestamp accepts: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z.
inline constexpr int64_t kMinTimestampMicros = -62135596800'000000;
inline constexpr int64_t kMaxTimestampMicros = 253402300799'999999;
// The range parse_date accepts: 0001-01-01 .. 9999-12-31.
inline constexpr int32_t kMinDateDays = -719162;
inline constexpr int32_t kMaxDateDays = 2932896;

// RFC 3339: "YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|+HH:MM|-HH:MM)". 'T' may be 't' or a
// space, 'Z' may be 'z', no zone means UTC. Years 0001-9999 and the result must
// also lie in that range in UTC. Leap seconds (:60) are refused. Returns UTC micros.
Result<int64_t> parse_timestamp(std::string_view text);

// parse_timestamp() for a series of timestamps, faster where consecutive ones share their date
// (hourly bars): the date of the last "YYYY-MM-DDTHH:MM:SSZ" is kept, and the next one of that
// form and date reads only its time.
class TimestampSeriesParser {
 public:
  Result<int64_t> parse(std::string_view text) {
    int64_t time_of_day;
    if (has_date_ && text.size() == kShortForm &&
        text.compare(0, kDateBytes, date_, kDateBytes) == 0 && read_short_time(text, time_of_day)) {
      return day_start_ + time_of_day;
    }
    return parse_and_keep_date(text);
  }

 private:
  static constexpr size_t kDateBytes = 10;  // "YYYY-MM-DD"
  static constexpr size_t kShortForm = 20;  // "YYYY-MM-DDTHH:MM:SSZ"

  // The time of day of a kShortForm text, false unless it has that form.
  static bool read_short_time(std::string_view text, int64_t& micros);
  Result<int64_t> parse_and_keep_date(std::string_view text);

  bool has_date_ = false;
  char date_[kDateBytes] = {};
  int64_t day_start_ = 0;
};

// "YYYY-MM-DDTHH:MM:SS[.ffffff]Z": the fraction only when non-zero, trailing zeros
// trimmed. parse_timestamp(format_timestamp(t)) == t for t in the range above.
// Outside it the year is written with a sign ("-0001-...", "+10000-...") which
// parse_timestamp refuses; check timestamp_in_range first where that matters.
std::string format_timestamp(int64_t micros);
// The same text written into `buf` (no allocation); returns its length.
inline constexpr size_t kTimestampBufferSize = 40;
size_t format_timestamp(int64_t micros, char (&buf)[kTimestampBufferSize]);
bool timestamp_in_range(int64_t micros);

// Strict "YYYY-MM-DD" (years 0001-9999, real calendar days) -> days since epoch.
Result<int32_t> parse_date(std::string_view text);
std::string format_date(int32_t days);

// The current time of the system clock in UTC microseconds.
int64_t now_micros();

}  // namespace btstore
