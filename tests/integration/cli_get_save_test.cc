// `btstore get` output goes back into `save` and `json-to-parquet`: the catalog fields get adds
// (created_at, updated_at, parquet_path, file_size, record_count) are set aside, the result is
// saved as it was, and any other unknown field is still refused.
#include <gtest/gtest.h>

#include "cli_fixture.h"

namespace btstore::testing {
namespace {

// get's output without its catalog fields: they follow the document's own members.
std::string document_part(const std::string& got) {
  const size_t at = got.rfind(",\"created_at\":");
  EXPECT_NE(at, std::string::npos) << got;
  return at == std::string::npos ? got : got.substr(0, at) + "}";
}

class CliGetSaveTest : public CliStorageTest {
 protected:
  // The CLI against a second catalog (a scratch schema, dropped with this process's own) and a
  // second storage root: another database to copy results into.
  RunResult other_cli(std::vector<std::string> args, RunOptions run = {}) {
    std::vector<std::string> argv = {BTSTORE_CLI, "--database-url", test_conninfo(), "--home",
                                     other_root_.str()};
    argv.insert(argv.end(), args.begin(), args.end());
    run.env["PGOPTIONS"] = "-c search_path=" + other_schema();
    return run_process(argv, run);
  }

  static std::string other_schema() { return pg_test_server().schema + "_copy"; }

  void make_other_catalog() {
    sql("DROP SCHEMA IF EXISTS " + other_schema() + " CASCADE");
    sql("CREATE SCHEMA " + other_schema());
  }

  TempDir other_root_{"btc"};
};

TEST_F(CliGetSaveTest, GetPipedIntoSaveCopiesAResultToAnotherDatabase) {
  const std::string id = save(ResultSpec().with({"BTC/USDT", "ETH/USDT"}).rows(5, 4));
  RunResult got = cli({"get", id});
  ASSERT_EXIT_CODE(got, 0);

  make_other_catalog();
  RunOptions in;
  in.stdin_data = got.out;
  RunResult copied = other_cli({"save", "-", "--json"}, in);
  ASSERT_EXIT_CODE(copied, 0);
  EXPECT_TRUE(contains(copied.out, "\"task_id\":\"" + id + "\"")) << copied.out;

  RunResult again = other_cli({"get", id});
  ASSERT_EXIT_CODE(again, 0);
  EXPECT_EQ(document_part(again.out), document_part(got.out));
  // The copy has catalog fields of its own: its own root's files, its own row.
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, again.out);
  EXPECT_EQ(str(doc["parquet_path"]), "backtests/" + id + "/");
  EXPECT_TRUE(fs::is_regular_file(other_root_.path() / "backtests" / id / "metadata.json"));
  EXPECT_EQ(row_count(), 1);  // the source catalog is unchanged
}

TEST_F(CliGetSaveTest, GetOutputFileReplacesTheSavedResult) {
  const std::string id = save(ResultSpec());
  fs::path file = scratch_.path() / "got.json";
  ASSERT_EXIT_CODE(cli({"get", id, "-o", file.string()}), 0);
  const std::string first = read_text(file);

  RunResult dup = cli({"save", file.string()});
  EXPECT_EXIT_CODE(dup, 1);  // saved already: --replace is still needed
  EXPECT_TRUE(contains(dup.err, "--replace")) << dup.err;
  ASSERT_EXIT_CODE(cli({"save", file.string(), "--replace"}), 0);
  RunResult got = cli({"get", id});
  ASSERT_EXIT_CODE(got, 0);
  EXPECT_EQ(document_part(got.out), document_part(first));
  EXPECT_EQ(row_count(), 1);
}

TEST_F(CliGetSaveTest, GetOutputConvertsWithJsonToParquet) {
  const std::string id = save(ResultSpec().rows(3, 3));
  fs::path file = scratch_.path() / "got.json";
  ASSERT_EXIT_CODE(cli({"get", id, "-o", file.string()}), 0);
  const std::string document = document_part(read_text(file));

  fs::path mapped_dir = scratch_.path() / "from_file";
  ASSERT_EXIT_CODE(cli({"json-to-parquet", file.string(), mapped_dir.string()}), 0);
  RunResult back = cli({"parquet-to-json", mapped_dir.string()});
  ASSERT_EXIT_CODE(back, 0);
  EXPECT_EQ(back.out, document + "\n");

  RunOptions in;
  in.stdin_data = read_text(file);
  fs::path piped_dir = scratch_.path() / "from_stdin";
  ASSERT_EXIT_CODE(cli({"json-to-parquet", "-", piped_dir.string()}, in), 0);
  EXPECT_EQ(read_text(piped_dir / "symbol_signals.parquet"),
            read_text(mapped_dir / "symbol_signals.parquet"));
}

TEST_F(CliGetSaveTest, OtherUnknownFieldsBesideTheCatalogFieldsAreStillRefused) {
  const std::string id = save(ResultSpec());
  RunResult got = cli({"get", id});
  ASSERT_EXIT_CODE(got, 0);
  std::string edited = got.out;
  const size_t end = edited.rfind('}');
  ASSERT_NE(end, std::string::npos);
  edited.insert(end, ",\"owner\":\"someone\"");
  // A catalog field's name deeper down is an unknown field there, too.
  const std::string nested = document_part(got.out);
  std::string deeper = nested;
  deeper.insert(deeper.find("\"symbols\":[{") + 12, "\"file_size\":1,");

  for (const std::string& text : {edited, deeper}) {
    RunOptions in;
    in.stdin_data = text;
    RunResult saved = cli({"save", "-", "--replace"}, in);
    EXPECT_EXIT_CODE(saved, 1);
    EXPECT_TRUE(contains(saved.err, "unknown field")) << saved.err;
    RunResult converted = cli({"json-to-parquet", "-", (scratch_.path() / "refused").string()}, in);
    EXPECT_EXIT_CODE(converted, 1);
    EXPECT_FALSE(fs::exists(scratch_.path() / "refused"));
  }
  RunOptions in;
  in.stdin_data = edited;
  RunResult saved = cli({"save", "-", "--replace"}, in);
  // Only the field that is not the catalog's is named.
  EXPECT_TRUE(contains(saved.err, "owner")) << saved.err;
  EXPECT_FALSE(contains(saved.err, "created_at")) << saved.err;
}

}  // namespace
}  // namespace btstore::testing
