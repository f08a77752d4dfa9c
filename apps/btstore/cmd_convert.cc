// json-to-parquet and parquet-to-json.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "btstore/convert.h"
#include "commands.h"
#include "json_limits.h"
#include "output.h"

namespace btstore::cli {
namespace {

struct JsonToParquetArgs {
  std::string input;
  std::string dir;
  std::string compression = "snappy";
  int64_t row_group_size = 10'000;
  uint64_t max_json_bytes = ConvertOptions{}.max_json_bytes;
  int max_json_depth = ConvertOptions{}.max_json_depth;
  bool json = false;
};

void print_summary(const ConvertSummary& s, const std::string& dir, bool json) {
  if (json) {
    std::string out = "{\"task_id\":" + json_quote(s.task_id) + ",\"dir\":" + json_quote(dir) +
                      ",\"symbols\":" + std::to_string(s.symbol_count) + ",\"files\":[";
    for (size_t i = 0; i < s.files.size(); ++i) {
      const auto& f = s.files[i];
      out += fmt::format("{}{{\"table\":{},\"row_count\":{},\"file_size_bytes\":{},\"etag\":{}}}",
                         i ? "," : "", json_quote(f.table), f.row_count, f.file_size_bytes,
                         json_quote(f.etag));
    }
    out += "],\"stages\":[";
    for (size_t i = 0; i < s.stages.size(); ++i) {
      out += fmt::format("{}{{\"stage\":{},\"seconds\":{:.6f}}}", i ? "," : "",
                         json_quote(s.stages[i].stage), s.stages[i].seconds);
    }
    fmt::print("{}]}}\n", out);
    return;
  }
  fmt::print("task {}: {} symbols -> {}/\n", s.task_id, s.symbol_count, dir);
  for (const auto& f : s.files) {
    fmt::print("  {:<26} {:>12} rows {:>14} bytes  md5 {}\n", f.table + ".parquet",
               with_thousands(f.row_count), with_thousands(f.file_size_bytes), f.etag);
  }
  fmt::print("  {:<26} (schema version 1.0, row counts, etags)\n", "metadata.json");
  double total = 0;
  std::string stages;
  for (const StageTime& t : s.stages) {
    total += t.seconds;
    stages += fmt::format("{}{} {:.1f} ms", stages.empty() ? "" : ", ", t.stage, t.seconds * 1e3);
  }
  fmt::print("  took {:.3f} s: {}\n", total, stages);
}

Result<ConvertSummary> convert_input(const std::string& input, const std::string& dir,
                                     const ConvertOptions& options) {
  std::error_code ec;
  if (input == "-" || !std::filesystem::is_regular_file(input, ec)) {  // pipes, stdin
    const auto start = std::chrono::steady_clock::now();
    BTSTORE_ASSIGN_OR_RETURN(std::string text, read_input(input));
    const std::chrono::duration<double> read = std::chrono::steady_clock::now() - start;
    BTSTORE_ASSIGN_OR_RETURN(ConvertSummary summary, json_to_parquet(text, dir, options));
    summary.stages.insert(summary.stages.begin(), StageTime{"read", read.count()});
    return summary;
  }
  return json_file_to_parquet(input, dir, options);  // mapped, not copied
}

int run_json_to_parquet(const JsonToParquetArgs& args) {
  auto compression = parse_compression(args.compression);
  if (!compression.ok()) return report_error(compression.status());
  ConvertOptions options{*compression, args.row_group_size};
  options.max_json_bytes = args.max_json_bytes;
  options.max_json_depth = args.max_json_depth;
  auto summary = convert_input(args.input, args.dir, options);
  if (summary.status().code() == StatusCode::kNotFound) return report_error(summary.status());
  if (!summary.ok()) {
    return report_error(summary.status().with_context(args.input == "-" ? "stdin" : args.input));
  }
  print_summary(*summary, args.dir, args.json);
  return kExitOk;
}

struct ParquetToJsonArgs {
  std::string dir;
  std::string output;
};

// The document is written as it is produced (Output: atomic for a file).
int run_parquet_to_json(const ParquetToJsonArgs& args) {
  Output out;
  if (Status st = out.open(args.output); !st.ok()) return report_error(st);
  Status st =
      parquet_to_json(args.dir, [&out](std::string_view piece) { return out.write(piece); });
  if (!out.status().ok()) return report_error(out.status());
  if (!st.ok()) return report_error(st.with_context(args.dir));
  if (st = out.write("\n"); st.ok()) st = out.commit();
  return st.ok() ? kExitOk : report_error(st);
}

}  // namespace

void add_convert_commands(CLI::App& app, Dispatch& dispatch) {
  auto to_parquet = std::make_shared<JsonToParquetArgs>();
  CLI::App* cmd = app.add_subcommand(
      "json-to-parquet",
      "Validate a BacktestResult JSON document and write symbol_summary.parquet, "
      "symbol_signals.parquet, performance_curve.parquet and metadata.json into DIR.\n"
      "Nothing is written when the document has a problem; every problem is listed with its "
      "JSON path.");
  cmd->add_option("RESULT", to_parquet->input, "BacktestResult JSON file ('-' for stdin)")
      ->required();
  cmd->add_option("DIR", to_parquet->dir, "output directory (created if missing)")->required();
  cmd->add_option("--compression", to_parquet->compression,
                  "snappy (default), zstd or uncompressed")
      ->check(CLI::IsMember({"snappy", "zstd", "uncompressed"}));
  cmd->add_option("--row-group-size", to_parquet->row_group_size, "rows per row group (10000)")
      ->check(CLI::PositiveNumber);
  add_json_limit_options(cmd, to_parquet->max_json_bytes, to_parquet->max_json_depth);
  cmd->add_flag("--json", to_parquet->json,
                "print the summary as one JSON document (with the wall time of each stage: "
                "read, parse, encode, write)");
  cmd->callback([&dispatch, to_parquet] {
    dispatch.run = [to_parquet] { return run_json_to_parquet(*to_parquet); };
  });

  auto to_json = std::make_shared<ParquetToJsonArgs>();
  cmd =
      app.add_subcommand("parquet-to-json",
                         "Read a result directory (three Parquet files + metadata.json) back into "
                         "the BacktestResult JSON document.");
  cmd->add_option("DIR", to_json->dir, "result directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("-o,--output", to_json->output, "write to this file instead of stdout");
  cmd->callback(
      [&dispatch, to_json] { dispatch.run = [to_json] { return run_parquet_to_json(*to_json); }; });
}

}  // namespace btstore::cli
