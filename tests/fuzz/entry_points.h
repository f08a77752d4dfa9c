// The bodies of the fuzz targets, shared by the libFuzzer binaries (tests/fuzz/targets/) and
// the replay test of the committed corpus (tests/fuzz/corpus_replay_test.cc), so that both run
// exactly the same code on an input.
//
// Each entry point feeds arbitrary bytes to the library and returns what happened: the Status
// of the input (refused or not) and, when the library contradicted itself, a violation (an
// accepted input that does not survive a round trip, a column of the wrong length, ...). A
// crash, a sanitizer report or a violation is a bug; a refusal is the expected outcome for most
// inputs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "btstore/convert.h"
#include "btstore/status.h"
#include "convert/result_files.h"
#include "json/input_limits.h"
#include "json/result_parser.h"
#include "json/result_writer.h"
#include "json/task_id_probe.h"
#include "model/result.h"
#include "model/schema.h"
#include "parquet/describe.h"
#include "parquet/file_reader.h"
#include "parquet/format.h"

namespace btstore::fuzz {

struct Outcome {
  Status status;          // the library's answer to the input
  std::string violation;  // empty unless the library contradicted itself
};

// Input sizes the fuzz targets are run with (scripts/fuzz -max_len); replayed files may be
// larger.
inline constexpr size_t kJsonMaxLen = 64 * 1024;
inline constexpr size_t kParquetMaxLen = 256 * 1024;
inline constexpr size_t kThriftMaxLen = 16 * 1024;

// a == b with doubles compared by their bits (== takes -0.0 for 0.0).
inline bool same_bits(const model::BacktestResult& a, const model::BacktestResult& b) {
  if (!(a == b)) return false;
  for (model::TableKind kind : model::kAllTables) {
    const model::ConstTableView x = model::view(a, kind), y = model::view(b, kind);
    for (size_t c = 0; c < x.columns.size(); ++c) {
      const auto* dx = std::get_if<const model::DoubleColumn*>(&x.columns[c]);
      if (dx == nullptr) continue;
      const std::vector<double>& vx = (*dx)->values;
      const std::vector<double>& vy = std::get<const model::DoubleColumn*>(y.columns[c])->values;
      if (!vx.empty() && std::memcmp(vx.data(), vy.data(), vx.size() * sizeof(double)) != 0) {
        return false;
      }
    }
  }
  return true;
}

// JSON ingest: the limits, the parser and, for a document it accepts, the full conversion:
// the four files encoded in memory, read back, and compared with what was parsed; the
// document written back to JSON must parse to the same result.
// Also the two ways of parsing: the symbols apart on two threads, and the whole document as
// one, must agree on every input.
inline Outcome json_ingest(std::string_view bytes) {
  json::ParseOptions split;  // the symbols apart on two threads, however small the input
  split.threads = 2;
  split.min_bytes_per_thread = 0;
  split.max_depth = json::kDefaultMaxDepth;
  auto parsed = json::parse_result(bytes, split);
  json::ParseOptions whole_document;
  whole_document.split_symbols = false;
  whole_document.threads = 1;
  whole_document.max_depth = json::kDefaultMaxDepth;
  auto whole = json::parse_result(bytes, whole_document);
  if (parsed.ok() != whole.ok() ||
      (!parsed.ok() && parsed.status().to_string() != whole.status().to_string())) {
    return {Status::OK(), "the split and whole parses disagree: " + parsed.status().to_string() +
                              " vs " + whole.status().to_string()};
  }
  if (!parsed.ok()) return {parsed.status(), ""};
  if (!json::probe_task_id(bytes)) whole->header.task_id = parsed->header.task_id;  // generated
  if (!same_bits(*whole, *parsed))
    return {Status::OK(), "the split and whole parses read differently"};
  const model::BacktestResult& result = *parsed;

  const std::string text = json::write_result(result, bytes.size() % 2 == 0 ? 0 : 2);
  auto again = json::parse_result(text);
  if (!again.ok()) return {Status::OK(), "written JSON is refused: " + again.status().to_string()};
  if (!same_bits(*again, result))
    return {Status::OK(), "written JSON parses to a different result"};

  ConvertOptions options;
  options.threads = 1 + static_cast<int>(bytes.size() % 2);
  constexpr Compression kCodecs[] = {Compression::kSnappy, Compression::kZstd,
                                     Compression::kUncompressed};
  options.compression = kCodecs[bytes.size() % 3];
  options.row_group_size = 1 + static_cast<int64_t>(bytes.size() % 7);  // several row groups
  auto encoded = convert::encode_result(result, options);
  if (!encoded.ok()) return {encoded.status(), ""};  // e.g. a value Parquet cannot hold
  auto source = [&](std::string_view name, uint64_t max_bytes) -> Result<std::string> {
    for (const auto& f : encoded->files) {
      if (f.name != name) continue;
      if (f.bytes.size() > max_bytes) return Status::Internal("file larger than its cap");
      return f.bytes;
    }
    return Status::NotFound(std::string(name));
  };
  auto back = convert::read_result(source, nullptr);
  if (!back.ok()) return {Status::OK(), "encoded files are refused: " + back.status().to_string()};
  if (!same_bits(*back, result)) return {Status::OK(), "encoded files read back differently"};
  return {Status::OK(), ""};
}

// Every row of every column must be there, values and null flags alike.
inline std::string check_column(const parquet::GenericColumn& column, int64_t rows) {
  const size_t values = std::visit([](const auto& v) { return v.size(); }, column.values);
  if (values != static_cast<size_t>(rows) || column.defined.size() != static_cast<size_t>(rows)) {
    return "column '" + column.name + "' has " + std::to_string(values) + " values and " +
           std::to_string(column.defined.size()) + " null flags for " + std::to_string(rows) +
           " rows";
  }
  if (column.repetition == parquet::FieldRepetitionType::kRequired) {
    for (uint8_t d : column.defined) {
      if (d != 1) return "REQUIRED column '" + column.name + "' has a null";
    }
  }
  return "";
}

// A whole Parquet file from bytes, the way parquet-cat, parquet-schema and read_table see
// it: the footer, every column of every row group (every page), the description, and a
// read of each of btstore's three tables. The Status is the first refusal (OK when the
// generic read succeeds).
inline Outcome parquet_read(std::string_view bytes) {
  Outcome out;
  (void)parquet::describe_file(bytes, "fuzz.parquet");
  auto reader = parquet::FileReader::open(bytes, "fuzz.parquet");
  if (!reader.ok()) return {reader.status(), ""};
  for (int i = 0; i < reader->num_columns(); ++i) {
    auto column = reader->read_column(i);
    if (!column.ok()) {
      if (out.status.ok()) out.status = column.status();
      continue;
    }
    out.violation = check_column(*column, reader->num_rows());
    if (!out.violation.empty()) return out;
  }
  for (model::TableKind kind : model::kAllTables) {
    model::BacktestResult result;
    if (!parquet::read_table(bytes, "fuzz.parquet", kind, result).ok()) continue;
    const size_t rows = model::view(result, kind).num_rows;
    if (rows != static_cast<size_t>(reader->num_rows())) {
      out.violation = "read_table gave " + std::to_string(rows) + " rows of " +
                      std::to_string(reader->num_rows());
      return out;
    }
  }
  return out;
}

// The Thrift compact decoders of the footer (FileMetaData) and of a page header, on the same
// bytes. A struct that decodes must encode to bytes that decode to the same encoding again.
inline Outcome thrift_decode(std::string_view bytes) {
  Outcome out;
  parquet::FileMetaData md;
  out.status = parquet::parse_file_metadata(bytes, &md);
  if (out.status.ok()) {
    const std::string encoded = parquet::serialize_file_metadata(md);
    parquet::FileMetaData again;
    Status st = parquet::parse_file_metadata(encoded, &again);
    if (!st.ok()) return {out.status, "re-encoded FileMetaData is refused: " + st.to_string()};
    if (parquet::serialize_file_metadata(again) != encoded) {
      return {out.status, "FileMetaData does not survive a second round trip"};
    }
  }
  parquet::PageHeader header;
  size_t header_size = 0;
  Status page = parquet::parse_page_header(bytes, &header, &header_size);
  if (page.ok()) {
    if (header_size > bytes.size()) return {out.status, "page header longer than its input"};
    const std::string encoded = parquet::serialize_page_header(header);
    parquet::PageHeader again;
    size_t again_size = 0;
    Status st = parquet::parse_page_header(encoded, &again, &again_size);
    if (!st.ok()) return {out.status, "re-encoded PageHeader is refused: " + st.to_string()};
    if (again_size != encoded.size() || parquet::serialize_page_header(again) != encoded) {
      return {out.status, "PageHeader does not survive a second round trip"};
    }
  } else if (out.status.ok()) {
    out.status = page;
  }
  return out;
}

// The libFuzzer body around an entry point: a violation aborts, so libFuzzer keeps the input.
inline int run_fuzz_input(Outcome (*body)(std::string_view), const uint8_t* data, size_t size) {
  const Outcome out = body(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!out.violation.empty()) {
    std::fprintf(stderr, "btstore fuzz violation: %s\n", out.violation.c_str());
    std::abort();
  }
  return 0;
}

}  // namespace btstore::fuzz
