#include "parquet_cat.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "json/json_writer.h"
#include "parquet/file_reader.h"

namespace btstore::cli {
namespace {

using parquet::ConvertedType;
using parquet::GenericColumn;
using parquet::LogicalType;
using parquet::SchemaElement;
using parquet::Type;
using Kind = LogicalType::Kind;

// Julian day of 1970-01-01: INT96 timestamps count days from the Julian epoch.
constexpr int64_t kJulianDayOfEpoch = 2'440'588;
constexpr int64_t kNanosPerDay = 86'400'000'000'000;
// INT96 arithmetic needs 128 bits; __extension__ keeps -Wpedantic quiet about them.
__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;
// Decimal scales beyond this are refused rather than padded with zeros.
constexpr int32_t kMaxDecimalScale = 200;
// Byte-array decimals longer than this (precision 76) are refused: their text
// costs quadratic time, and no writer produces them.
constexpr size_t kMaxDecimalBytes = 32;

// How one column's non-null value of a row is written.
struct Printer {
  std::string type;
  std::function<void(json::JsonWriter&, size_t)> write;
};

void write_double_text(json::JsonWriter& w, double v) {
  if (std::isnan(v)) return w.string("NaN");
  if (std::isinf(v)) return w.string(v > 0 ? "Infinity" : "-Infinity");
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip text
  w.string(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

std::string int128_text(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  UInt128 u = negative ? -static_cast<UInt128>(v) : static_cast<UInt128>(v);
  std::string digits;
  for (; u != 0; u /= 10) digits.insert(digits.begin(), static_cast<char>('0' + u % 10));
  return negative ? "-" + digits : digits;
}

// Big-endian two's complement bytes -> decimal digits (schoolbook division by 10).
std::string big_endian_integer_text(std::string_view bytes) {
  std::vector<uint8_t> mag(bytes.begin(), bytes.end());
  bool negative = !mag.empty() && (mag[0] & 0x80) != 0;
  if (negative) {  // two's complement negation: invert, add one
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  std::string digits;
  for (bool nonzero = true; nonzero;) {
    unsigned rest = 0;
    nonzero = false;
    for (auto& b : mag) {
      unsigned cur = (rest << 8) | b;
      b = static_cast<uint8_t>(cur / 10);
      rest = cur % 10;
      nonzero = nonzero || b != 0;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + rest));
  }
  return negative && digits != "0" ? "-" + digits : digits;
}

// "-1234", scale 2 -> "-12.34"; "5", scale 3 -> "0.005".
std::string decimal_text(std::string integer, int32_t scale) {
  bool negative = !integer.empty() && integer[0] == '-';
  if (negative) integer.erase(0, 1);
  if (scale > 0) {
    if (integer.size() <= static_cast<size_t>(scale)) {
      integer.insert(0, static_cast<size_t>(scale) + 1 - integer.size(), '0');
    }
    integer.insert(integer.size() - static_cast<size_t>(scale), ".");
  }
  return negative ? "-" + integer : integer;
}

double half_to_double(uint16_t h) {
  int exponent = (h >> 10) & 0x1f;
  double mantissa = h & 0x3ff;
  double v = exponent == 0    ? std::ldexp(mantissa, -24)
             : exponent == 31 ? (mantissa == 0 ? INFINITY : NAN)
                              : std::ldexp(mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -v : v;
}

std::string hex_text(std::string_view b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

// 16 bytes -> "123e4567-e89b-12d3-a456-426614174000".
std::string uuid_text(std::string_view b) {
  std::string hex = hex_text(b);
  for (size_t pos : {8, 13, 18, 23}) {
    if (pos < hex.size()) hex.insert(pos, "-");
  }
  return hex;
}

// INT96 (8 bytes nanoseconds of the day, 4 bytes Julian day, little endian) ->
// nanoseconds since the epoch, exact (128 bits cannot overflow here).
std::string int96_nanos_text(std::string_view b) {
  if (b.size() != 12) return "";
  int64_t nanos;
  int32_t julian_day;
  std::memcpy(&nanos, b.data(), 8);
  std::memcpy(&julian_day, b.data() + 8, 4);
  return int128_text(static_cast<Int128>(int64_t{julian_day} - kJulianDayOfEpoch) * kNanosPerDay +
                     nanos);
}

std::string unit_suffix(parquet::TimeUnit unit) {
  switch (unit) {
    case parquet::TimeUnit::kMillis: return "ms";
    case parquet::TimeUnit::kMicros: return "us";
    case parquet::TimeUnit::kNanos: return "ns";
  }
  return "?";
}

// The logical type of a column, with legacy converted types mapped to theirs.
std::optional<LogicalType> effective_logical(const GenericColumn& c, const SchemaElement& el) {
  if (c.logical_type) {
    LogicalType t = *c.logical_type;
    if (t.kind == Kind::kDecimal && t.precision == 0) {
      t.scale = el.scale.value_or(0);
      t.precision = el.precision.value_or(0);
    }
    return t;
  }
  if (!c.converted_type) return std::nullopt;
  LogicalType t;
  auto integer = [&](int bits, bool is_signed) {
    t.kind = Kind::kInteger;
    t.bit_width = static_cast<int8_t>(bits);
    t.is_signed = is_signed;
  };
  switch (*c.converted_type) {
    case ConvertedType::kUtf8: t.kind = Kind::kString; break;
    case ConvertedType::kEnum: t.kind = Kind::kEnum; break;
    case ConvertedType::kJson: t.kind = Kind::kJson; break;
    case ConvertedType::kBson: t.kind = Kind::kBson; break;
    case ConvertedType::kDate: t.kind = Kind::kDate; break;
    case ConvertedType::kDecimal:
      t.kind = Kind::kDecimal;
      t.scale = el.scale.value_or(0);
      t.precision = el.precision.value_or(0);
      break;
    case ConvertedType::kTimeMillis: t = {Kind::kTime, true, parquet::TimeUnit::kMillis}; break;
    case ConvertedType::kTimeMicros: t = {Kind::kTime, true, parquet::TimeUnit::kMicros}; break;
    case ConvertedType::kTimestampMillis:
      t = LogicalType::timestamp(true, parquet::TimeUnit::kMillis);
      break;
    case ConvertedType::kTimestampMicros:
      t = LogicalType::timestamp(true, parquet::TimeUnit::kMicros);
      break;
    case ConvertedType::kInt8: integer(8, true); break;
    case ConvertedType::kInt16: integer(16, true); break;
    case ConvertedType::kInt32: integer(32, true); break;
    case ConvertedType::kInt64: integer(64, true); break;
    case ConvertedType::kUint8: integer(8, false); break;
    case ConvertedType::kUint16: integer(16, false); break;
    case ConvertedType::kUint32: integer(32, false); break;
    case ConvertedType::kUint64: integer(64, false); break;
    default: return std::nullopt;
  }
  return t;
}

std::string decimal_type_name(const LogicalType& t) {
  return "decimal(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
}

template <class T>
const std::vector<T>* values_of(const GenericColumn& c) {
  return std::get_if<std::vector<T>>(&c.values);
}

Result<Printer> int32_printer(const std::vector<int32_t>& v, const std::optional<LogicalType>& lt) {
  Kind kind = lt ? lt->kind : Kind::kUnknown;
  if (kind == Kind::kDate) return Printer{"date32", [&v](auto& w, size_t i) { w.number(v[i]); }};
  if (kind == Kind::kTime)
    return Printer{"time32[ms]", [&v](auto& w, size_t i) { w.number(v[i]); }};
  if (kind == Kind::kDecimal) {
    return Printer{decimal_type_name(*lt), [&v, s = lt->scale](auto& w, size_t i) {
                     w.string(decimal_text(std::to_string(v[i]), s));
                   }};
  }
  if (kind == Kind::kInteger && !lt->is_signed) {
    return Printer{"uint" + std::to_string(lt->bit_width),
                   [&v](auto& w, size_t i) { w.number(int64_t{static_cast<uint32_t>(v[i])}); }};
  }
  std::string name = kind == Kind::kInteger ? "int" + std::to_string(lt->bit_width) : "int32";
  return Printer{name, [&v](auto& w, size_t i) { w.number(v[i]); }};
}

Result<Printer> int64_printer(const std::vector<int64_t>& v, const std::optional<LogicalType>& lt) {
  Kind kind = lt ? lt->kind : Kind::kUnknown;
  auto as_string = [&v](auto& w, size_t i) { w.string(std::to_string(v[i])); };
  if (kind == Kind::kTimestamp) {
    return Printer{
        "timestamp[" + unit_suffix(lt->unit) + (lt->is_adjusted_to_utc ? ", tz=UTC]" : "]"),
        as_string};
  }
  if (kind == Kind::kTime) return Printer{"time64[" + unit_suffix(lt->unit) + "]", as_string};
  if (kind == Kind::kDecimal) {
    return Printer{decimal_type_name(*lt), [&v, s = lt->scale](auto& w, size_t i) {
                     w.string(decimal_text(std::to_string(v[i]), s));
                   }};
  }
  if (kind == Kind::kInteger && !lt->is_signed) {
    return Printer{"uint64", [&v](auto& w, size_t i) {
                     w.string(std::to_string(static_cast<uint64_t>(v[i])));
                   }};
  }
  return Printer{"int64", as_string};
}

Result<Printer> bytes_printer(const GenericColumn& c, const std::vector<std::string>& v,
                              const std::optional<LogicalType>& lt) {
  Kind kind = lt ? lt->kind : Kind::kUnknown;
  if (c.physical_type == Type::kInt96) {
    return Printer{"timestamp[ns]", [&v](auto& w, size_t i) { w.string(int96_nanos_text(v[i])); }};
  }
  if (kind == Kind::kString || kind == Kind::kEnum || kind == Kind::kJson) {
    return Printer{"string", [&v](auto& w, size_t i) { w.string(v[i]); }};
  }
  if (kind == Kind::kDecimal) {
    for (const std::string& value : v) {
      if (value.size() > kMaxDecimalBytes) {
        return Status::NotSupported("column '" + c.name + "': a DECIMAL value of " +
                                    std::to_string(value.size()) + " bytes (at most " +
                                    std::to_string(kMaxDecimalBytes) + " are supported)");
      }
    }
    return Printer{decimal_type_name(*lt), [&v, s = lt->scale](auto& w, size_t i) {
                     w.string(decimal_text(big_endian_integer_text(v[i]), s));
                   }};
  }
  if (kind == Kind::kFloat16 && c.type_length == 2) {
    return Printer{"halffloat", [&v](auto& w, size_t i) {
                     if (v[i].size() != 2) return w.null();
                     uint16_t h = static_cast<uint16_t>(static_cast<uint8_t>(v[i][0]) |
                                                        (static_cast<uint8_t>(v[i][1]) << 8));
                     write_double_text(w, half_to_double(h));
                   }};
  }
  if (kind == Kind::kUuid && c.type_length == 16) {
    return Printer{"uuid", [&v](auto& w, size_t i) { w.string(uuid_text(v[i])); }};
  }
  return Printer{"binary", [&v](auto& w, size_t i) { w.string(hex_text(v[i])); }};
}

Result<Printer> printer_for(const GenericColumn& c, const SchemaElement& el) {
  std::optional<LogicalType> lt = effective_logical(c, el);
  if (lt && lt->kind == Kind::kDecimal && (lt->scale < 0 || lt->scale > kMaxDecimalScale)) {
    return Status::NotSupported("column '" + c.name + "': DECIMAL scale " +
                                std::to_string(lt->scale) + " is not supported");
  }
  if (const auto* v = values_of<uint8_t>(c)) {
    return Printer{"bool", [v](auto& w, size_t i) { w.boolean(v->at(i) != 0); }};
  }
  if (const auto* v = values_of<int32_t>(c)) return int32_printer(*v, lt);
  if (const auto* v = values_of<int64_t>(c)) return int64_printer(*v, lt);
  if (const auto* v = values_of<float>(c)) {
    return Printer{"float", [v](auto& w, size_t i) { write_double_text(w, (*v)[i]); }};
  }
  if (const auto* v = values_of<double>(c)) {
    return Printer{"double", [v](auto& w, size_t i) { write_double_text(w, (*v)[i]); }};
  }
  return bytes_printer(c, std::get<std::vector<std::string>>(c.values), lt);
}

size_t value_count(const GenericColumn& c) {
  return std::visit([](const auto& v) { return v.size(); }, c.values);
}

}  // namespace

Result<std::string> parquet_cat_document(std::string_view bytes, const std::string& file_name,
                                         int64_t limit) {
  BTSTORE_ASSIGN_OR_RETURN(parquet::FileReader reader, parquet::FileReader::open(bytes, file_name));
  const size_t rows =
      static_cast<size_t>(limit >= 0 ? std::min(limit, reader.num_rows()) : reader.num_rows());
  std::vector<GenericColumn> columns;
  columns.reserve(static_cast<size_t>(reader.num_columns()));  // printers point into it
  std::vector<Printer> printers;
  for (int i = 0; i < reader.num_columns(); ++i) {
    BTSTORE_ASSIGN_OR_RETURN(GenericColumn column, reader.read_column(i));
    if (column.defined.size() < rows || value_count(column) < rows) {
      return Status::Internal(file_name + ": column '" + column.name +
                              "' has fewer values than rows");
    }
    columns.push_back(std::move(column));
    auto printer = printer_for(columns.back(), reader.column_schema(i));
    if (!printer.ok()) return printer.status().with_context(file_name);
    printers.push_back(std::move(*printer));
  }
  json::JsonWriter w;
  w.begin_object();
  w.key("schema");
  w.begin_array();
  for (size_t c = 0; c < columns.size(); ++c) {
    w.begin_object();
    w.key("name");
    w.string(columns[c].name);
    w.key("type");
    w.string(printers[c].type);
    w.end_object();
  }
  w.end_array();
  w.key("rows");
  w.begin_array();
  for (size_t r = 0; r < rows; ++r) {
    w.begin_array();
    for (size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].defined[r])
        printers[c].write(w, r);
      else
        w.null();
    }
    w.end_array();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace btstore::cli
