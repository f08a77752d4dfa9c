#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace btstore {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr const char* kTimestampShape = "expected YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+HH:MM|-HH:MM]";

struct Civil {
  int64_t year;
  int month;  // 1-12
  int day;    // 1-31
};

// Days since 1970-01-01 of a proleptic Gregorian date. The year is counted from
// March so that the leap day falls at its end; 400-year eras repeat exactly
// (146097 days), and 719468 is the day number of 1970-01-01 counted from 0000-03-01.
int64_t days_from_civil(int64_t year, int month, int day) {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                               // [0, 399]
  const int64_t month_from_march = (month + 9) % 12;                       // Mar = 0 .. Feb = 11
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The inverse of days_from_civil, exact for every int64 day count a timestamp can produce.
Civil civil_from_days(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return Civil{year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool is_leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` decimal digits at text[pos]; false when any is not a digit.
bool read_digits(std::string_view text, size_t pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// The input for an error message: quoted, control bytes escaped, at most 64 bytes.
std::string quoted(std::string_view text) {
  constexpr size_t kMax = 64;
  std::string out = "\"";
  size_t n = text.size() < kMax ? text.size() : kMax;
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += n < text.size() ? "\"..." : "\"";
  return out;
}

Status bad_time(std::string_view text, std::string_view why) {
  return Status::InvalidArgument(quoted(text) + " is not a valid RFC 3339 time (" +
                                 std::string(why) + ")");
}

Status bad_date(std::string_view text, std::string_view why) {
  return Status::InvalidArgument(quoted(text) + " is not a valid date (" + std::string(why) + ")");
}

std::string two(int v) {
  std::string s(2, '0');
  s[0] = static_cast<char>('0' + v / 10);
  s[1] = static_cast<char>('0' + v % 10);
  return s;
}

// Appends `v` zero-padded to `width` digits (a sign and more digits when needed).
char* put_number(char* p, int64_t v, int width) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) *p++ = '-';
  for (int i = n; i < width; ++i) *p++ = '0';
  while (n > 0) *p++ = digits[--n];
  return p;
}

// Writes "YYYY-MM-DD" (a signed year outside 0001-9999) and returns the end.
char* put_date(char* p, int64_t days) {
  const Civil c = civil_from_days(days);
  if (c.year > 9999) *p++ = '+';
  p = put_number(p, c.year, 4);
  *p++ = '-';
  p = put_number(p, c.month, 2);
  *p++ = '-';
  return put_number(p, c.day, 2);
}

// Checks year/month/day of a date already split into numbers; "" when valid.
std::string check_civil(int year, int month, int day) {
  if (year == 0) return "year 0000 is not allowed; years are 0001-9999";
  if (month < 1 || month > 12) return "month " + two(month) + " is not in 01-12";
  if (day < 1 || day > days_in_month(year, month)) {
    char buf[16];
    char* p = put_number(buf, year, 4);
    *p++ = '-';
    p = put_number(p, month, 2);
    return "day " + two(day) + " does not exist in " + std::string(buf, p);
  }
  return "";
}

}  // namespace

bool timestamp_in_range(int64_t micros) {
  return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros;
}

Result<int64_t> parse_timestamp(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!read_digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_digits(text, 11, 2, hour) ||
      text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second)) {
    return bad_time(text, kTimestampShape);
  }
  if (std::string why = check_civil(year, month, day); !why.empty()) return bad_time(text, why);
  if (hour > 23) return bad_time(text, "hour " + two(hour) + " is not in 00-23");
  if (minute > 59) return bad_time(text, "minute " + two(minute) + " is not in 00-59");
  if (second == 60) return bad_time(text, "leap seconds are not supported");
  if (second > 59) return bad_time(text, "second " + two(second) + " is not in 00-59");

  size_t pos = 19;
  int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && is_digit(text[pos]); ++pos, ++digits) {
      if (digits == 6)
        return bad_time(text, "more than 6 fraction digits; microseconds are the finest unit");
      fraction = fraction * 10 + (text[pos] - '0');
    }
    if (digits == 0) return bad_time(text, "a '.' must be followed by 1-6 digits");
    for (; digits < 6; ++digits) fraction *= 10;
  }

  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om)) {
      return bad_time(text, "a zone offset must be +HH:MM or -HH:MM");
    }
    if (oh > 23 || om > 59)
      return bad_time(text, "zone offset hours must be 00-23 and minutes 00-59");
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  }
  if (pos != text.size())
    return bad_time(text, std::string("unexpected text after the time; ") + kTimestampShape);

  const int64_t local = days_from_civil(year, month, day) * kMicrosPerDay +
                        ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
  const int64_t utc = local - offset_minutes * 60 * kMicrosPerSecond;
  if (!timestamp_in_range(utc)) return bad_time(text, "outside 0001-01-01..9999-12-31 in UTC");
  return utc;
}

bool TimestampSeriesParser::read_short_time(std::string_view text, int64_t& micros) {
  int hour, minute, second;
  const char sep = text[10];
  if ((sep != 'T' && sep != 't' && sep != ' ') || text[13] != ':' || text[16] != ':' ||
      (text[19] != 'Z' && text[19] != 'z') || !read_digits(text, 11, 2, hour) ||
      !read_digits(text, 14, 2, minute) || !read_digits(text, 17, 2, second) || hour > 23 ||
      minute > 59 || second > 59) {
    return false;
  }
  micros = ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond;
  return true;
}

Result<int64_t> TimestampSeriesParser::parse_and_keep_date(std::string_view text) {
  Result<int64_t> parsed = parse_timestamp(text);
  int64_t time_of_day;
  if (parsed.ok() && text.size() == kShortForm && read_short_time(text, time_of_day)) {
    text.copy(date_, kDateBytes);
    has_date_ = true;
    day_start_ = *parsed - time_of_day;
  }
  return parsed;
}

std::string format_timestamp(int64_t micros) {
  char buf[kTimestampBufferSize];
  const size_t n = format_timestamp(micros, buf);
  return std::string(buf, n);
}

size_t format_timestamp(int64_t micros, char (&buf)[kTimestampBufferSize]) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  char* p = put_date(buf, days);
  const int64_t seconds = rest / kMicrosPerSecond;
  int64_t fraction = rest % kMicrosPerSecond;
  *p++ = 'T';
  p = put_number(p, seconds / 3600, 2);
  *p++ = ':';
  p = put_number(p, seconds / 60 % 60, 2);
  *p++ = ':';
  p = put_number(p, seconds % 60, 2);
  if (fraction != 0) {
    int width = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --width;
    }
    *p++ = '.';
    p = put_number(p, fraction, width);
  }
  *p++ = 'Z';
  return static_cast<size_t>(p - buf);
}

Result<int32_t> parse_date(std::string_view text) {
  int year, month, day;
  if (text.size() != 10 || !read_digits(text, 0, 4, year) || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day)) {
    return bad_date(text, "expected YYYY-MM-DD");
  }
  if (std::string why = check_civil(year, month, day); !why.empty()) return bad_date(text, why);
  return static_cast<int32_t>(days_from_civil(year, month, day));
}

std::string format_date(int32_t days) {
  char buf[24];
  char* end = put_date(buf, days);
  return std::string(buf, end);
}

int64_t now_micros() {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  using std::chrono::system_clock;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace btstore
