#include "json/result_rows.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <variant>

#include "common/time.h"
#include "json/json_text.h"

namespace btstore::json {
namespace {

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

constexpr std::string_view kNull = "null";

template <typename T>
const model::Column<T>& column_of(const void* column) {
  return *static_cast<const model::Column<T>*>(column);
}

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

char* put_two_digits(char* p, int64_t v) {
  *p++ = static_cast<char>('0' + v / 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}

// format_timestamp() between quotes. Rows come in time order, many on one day:
// the date text of the last day is kept per thread, the time of day written
// directly; fractions of a second and extreme years take format_timestamp().
char* put_timestamp(char* p, int64_t micros) {
  thread_local int64_t cached_day = INT64_MIN;
  thread_local char cached_date[10];
  *p++ = '"';
  const int64_t rest = micros % kMicrosPerDay;
  if (!timestamp_in_range(micros) || micros < 0 || rest % kMicrosPerSecond != 0) {
    char buf[kTimestampBufferSize];
    p = put(p, std::string_view(buf, format_timestamp(micros, buf)));
  } else {
    const int64_t day = micros / kMicrosPerDay;
    if (day != cached_day) {
      char buf[kTimestampBufferSize];
      format_timestamp(day * kMicrosPerDay, buf);  // "YYYY-MM-DDT00:00:00Z"
      std::memcpy(cached_date, buf, sizeof cached_date);
      cached_day = day;
    }
    p = put(p, std::string_view(cached_date, sizeof cached_date));
    const int64_t seconds = rest / kMicrosPerSecond;
    *p++ = 'T';
    p = put_two_digits(p, seconds / 3600);
    *p++ = ':';
    p = put_two_digits(p, seconds / 60 % 60);
    *p++ = ':';
    p = put_two_digits(p, seconds % 60);
    *p++ = 'Z';
  }
  *p++ = '"';
  return p;
}

}  // namespace

void TextBuffer::grow(size_t n) {
  const size_t capacity = std::max({capacity_ * 2, size_ + n, size_t{64} << 10});
  std::unique_ptr<char[]> data(new char[capacity]);  // not zeroed: every byte is written first
  if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

void TextBuffer::append(std::string_view s) { commit(put(room(s.size()), s)); }

std::string Layout::newline(int depth) const {
  if (indent <= 0) return "";
  return "\n" + std::string(static_cast<size_t>(indent) * static_cast<size_t>(depth), ' ');
}

std::string Layout::key(std::string_view name) const {
  std::string out(quoted_bound(name.size()), '\0');
  out.resize(static_cast<size_t>(put_quoted(out.data(), name) - out.data()));
  return out + (indent > 0 ? ": " : ":");
}

RecordWriter::RecordWriter(const model::ConstTableView& table, const Layout& layout, int depth) {
  const auto fields = model::table_fields(table.kind);
  for (size_t i = 1; i < fields.size(); ++i) {  // field 0, the symbol, is the group's
    Cell cell;
    std::visit(
        [&](const auto* c) {
          using T = std::decay_t<decltype(c->values[0])>;
          cell.column = c;
          if constexpr (std::is_same_v<T, std::string>) cell.kind = CellKind::kString;
          if constexpr (std::is_same_v<T, double>) cell.kind = CellKind::kDouble;
          if constexpr (std::is_same_v<T, int32_t>) cell.kind = CellKind::kInt32;
          if constexpr (std::is_same_v<T, int64_t>) cell.kind = CellKind::kTimestamp;
        },
        table.columns[i]);
    cell.prefix = (i == 1 ? "{" : ",") + layout.newline(depth + 1) + layout.key(fields[i].name);
    if (cell.prefix.size() <= kShortPrefix) {
      std::memcpy(cell.padded, cell.prefix.data(), cell.prefix.size());
    }
    fixed_bound_ += kShortPrefix + cell.prefix.size() + kTimestampBufferSize + 2 + kMaxNumberChars;
    cells_.push_back(std::move(cell));
  }
  close_ = layout.newline(depth) + "}";
  fixed_bound_ += close_.size();
}

void RecordWriter::write(TextBuffer& out, size_t row) const {
  size_t bound = fixed_bound_;
  if (row != kNoRow) {
    for (const Cell& cell : cells_) {
      if (cell.kind == CellKind::kString) {
        bound += quoted_bound(column_of<std::string>(cell.column).values[row].size());
      }
    }
  }
  char* p = out.room(bound);
  for (const Cell& cell : cells_) {
    p = put_prefix(p, cell);
    p = row == kNoRow ? put(p, kNull) : put_cell(p, cell, row);
  }
  out.commit(put(p, close_));
}

char* RecordWriter::put_prefix(char* p, const Cell& cell) {
  if (cell.prefix.size() > kShortPrefix) return put(p, cell.prefix);
  std::memcpy(p, cell.padded, kShortPrefix);  // write() reserved kShortPrefix bytes more
  return p + cell.prefix.size();
}

char* RecordWriter::put_cell(char* p, const Cell& cell, size_t row) {
  switch (cell.kind) {
    case CellKind::kString: {
      const auto& c = column_of<std::string>(cell.column);
      return c.is_null(row) ? put(p, kNull) : put_quoted(p, c.values[row]);
    }
    case CellKind::kDouble: {
      const auto& c = column_of<double>(cell.column);
      const double v = c.values[row];
      return c.is_null(row) || !std::isfinite(v) ? put(p, kNull) : put_double(p, v);
    }
    case CellKind::kInt32: {
      const auto& c = column_of<int32_t>(cell.column);
      return c.is_null(row) ? put(p, kNull) : put_int64(p, c.values[row]);
    }
    case CellKind::kTimestamp: {
      const auto& c = column_of<int64_t>(cell.column);
      return c.is_null(row) ? put(p, kNull) : put_timestamp(p, c.values[row]);
    }
  }
  return p;
}

}  // namespace btstore::json
