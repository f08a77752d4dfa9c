// parquet-schema and parquet-cat: look inside any Parquet file.
#include <memory>
#include <string>

#include "commands.h"
#include "common/file_util.h"
#include "output.h"
#include "parquet/describe.h"
#include "parquet_cat.h"

namespace btstore::cli {
namespace {

// Larger files are refused before they are read into memory.
constexpr uint64_t kMaxInspectBytes = uint64_t{1} << 30;

struct InspectArgs {
  std::string file;
  int64_t limit = -1;
};

int run_parquet_schema(const InspectArgs& args) {
  auto bytes = read_file(args.file, kMaxInspectBytes);
  if (!bytes.ok()) return report_error(bytes.status());
  auto text = parquet::describe_file(*bytes, args.file);
  if (!text.ok()) return report_error(text.status());
  Status st = write_output("", *text);
  return st.ok() ? kExitOk : report_error(st);
}

int run_parquet_cat(const InspectArgs& args) {
  auto bytes = read_file(args.file, kMaxInspectBytes);
  if (!bytes.ok()) return report_error(bytes.status());
  auto doc = parquet_cat_document(*bytes, args.file, args.limit);
  if (!doc.ok()) return report_error(doc.status());
  std::string text = std::move(*doc);
  text += '\n';
  Status st = write_output("", text);
  return st.ok() ? kExitOk : report_error(st);
}

}  // namespace

void add_inspect_commands(CLI::App& app, Dispatch& dispatch) {
  auto schema = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "parquet-schema",
      "Describe a Parquet file: schema (physical, logical and converted types), row groups, "
      "and per column chunk its codec, encodings, sizes and statistics.");
  cmd->add_option("FILE", schema->file, "a .parquet file")->required();
  cmd->callback(
      [&dispatch, schema] { dispatch.run = [schema] { return run_parquet_schema(*schema); }; });

  auto cat = std::make_shared<InspectArgs>();
  cmd = app.add_subcommand(
      "parquet-cat",
      "Print the rows of a flat Parquet file as one JSON document "
      "{\"schema\":[{\"name\",\"type\"}...],\"rows\":[[...]...]}: doubles as exact shortest "
      "round-trip strings (\"-0\", \"5e-324\"), int64 and timestamps (count of the unit) as "
      "strings, binary as hex (see tests/interop/README.md).");
  cmd->add_option("FILE", cat->file, "a .parquet file")->required();
  cmd->add_option("--limit", cat->limit, "print at most N rows")->check(CLI::NonNegativeNumber);
  cmd->callback([&dispatch, cat] { dispatch.run = [cat] { return run_parquet_cat(*cat); }; });
}

}  // namespace btstore::cli
