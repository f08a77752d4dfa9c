// The btstore command line against a real PostgreSQL: every storage command
// through the real binary, its --json output parsed, its table output
// sanity-checked, and its exit codes (0 ok, 1 failed, 2 usage, 3 not found,
// 4 integrity problem).
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "cli_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(CliStorageTest, SavesEveryExampleAndGetsEachBackExactly) {
  std::vector<std::string> args = {"save", "--json"};
  auto files = example_files();
  ASSERT_GE(files.size(), 1u);
  for (const auto& f : files) args.push_back(f.string());
  RunResult saved = cli(args);
  ASSERT_EXIT_CODE(saved, 0);
  auto out = lines(saved.out);
  ASSERT_EQ(out.size(), files.size()) << saved.out;
  EXPECT_EQ(saved.err, "");  // --json: no summary on stderr, nothing else either

  for (size_t i = 0; i < files.size(); ++i) {
    SCOPED_TRACE(files[i].string());
    simdjson::dom::parser parser;
    auto line = parse_json(parser, out[i]);
    EXPECT_EQ(str(line["file"]), files[i].string());
    EXPECT_TRUE(bool(line["ok"]));
    const std::string id = str(line["task_id"]);

    RunResult got = cli({"get", id});
    ASSERT_EXIT_CODE(got, 0);
    const std::string expected = canonical_document(read_text(files[i]));
    ASSERT_FALSE(expected.empty());
    // The saved document, byte for byte, then the catalog's fields.
    EXPECT_EQ(got.out.substr(0, expected.size() - 1), expected.substr(0, expected.size() - 1));
    simdjson::dom::parser p2;
    auto doc = parse_json(p2, got.out);
    EXPECT_EQ(str(doc["task_id"]), id);
    EXPECT_EQ(str(doc["parquet_path"]), "backtests/" + id + "/");
    EXPECT_GT(int64_t(doc["file_size"]), 0);
    EXPECT_GE(int64_t(doc["record_count"]), 0);
    EXPECT_TRUE(parse_timestamp(str(doc["created_at"])).ok());
    EXPECT_TRUE(parse_timestamp(str(doc["updated_at"])).ok());

    // -o writes the same text to a file.
    fs::path copy = scratch_.path() / "copy.json";
    ASSERT_EXIT_CODE(cli({"get", id, "-o", copy.string()}), 0);
    EXPECT_EQ(read_text(copy), got.out);

    // show --json: the catalog entry.
    RunResult shown = cli({"show", id, "--json"});
    ASSERT_EXIT_CODE(shown, 0);
    simdjson::dom::parser p3;
    auto entry = parse_json(p3, shown.out);
    EXPECT_EQ(str(entry["task_id"]), id);
    EXPECT_EQ(str(entry["status"]), str(doc["status"]));
    EXPECT_EQ(str(entry["strategy"]), str(doc["strategy"]));
    EXPECT_EQ(int64_t(entry["record_count"]), int64_t(doc["record_count"]));
    size_t symbols = 0;
    for (auto s : doc["symbols"].get_array()) {
      EXPECT_EQ(str(entry["symbols"].at(symbols)), str(s["symbol"]));
      ++symbols;
    }
    EXPECT_EQ(size_of(entry["symbols"]), symbols);

    // show for people: the fields and a summary row per symbol.
    RunResult human = cli({"show", id});
    ASSERT_EXIT_CODE(human, 0);
    EXPECT_TRUE(contains(human.out, "task_id       " + id)) << human.out;
    EXPECT_TRUE(contains(human.out, "SYMBOL")) << human.out;
    for (auto s : doc["symbols"].get_array()) {
      EXPECT_TRUE(contains(human.out, "\n" + str(s["symbol"]))) << human.out;
    }
  }

  // list: all of them, newest first, as JSON and as a table.
  std::vector<std::string> ids = list_ids({});
  EXPECT_EQ(ids.size(), files.size());
  RunResult table = cli({"list"});
  ASSERT_EXIT_CODE(table, 0);
  auto rows = lines(table.out);
  ASSERT_EQ(rows.size(), files.size() + 1) << table.out;
  EXPECT_EQ(rows[0].rfind("TASK_ID", 0), 0u);
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(rows[i + 1].rfind(ids[i], 0), 0u);
  EXPECT_TRUE(contains(table.err, std::to_string(files.size()) + " results")) << table.err;

  RunResult clean = verify();
  EXPECT_EXIT_CODE(clean, 0);
  EXPECT_TRUE(contains(clean.err, "0 problems")) << clean.err;
}

TEST_F(CliStorageTest, SaveHumanOutputStdinAndPartialFailure) {
  const std::string id = generate_uuid_v4();
  RunResult one = cli({"save", write_file("a.json", result_json(ResultSpec().id(id)))});
  ASSERT_EXIT_CODE(one, 0);
  EXPECT_TRUE(contains(one.out, "saved " + id)) << one.out;
  EXPECT_TRUE(contains(one.err, "1 saved, 0 failed")) << one.err;

  RunOptions in;
  in.stdin_data = result_json(ResultSpec());
  RunResult piped = cli({"save", "-", "--json"}, in);
  ASSERT_EXIT_CODE(piped, 0);
  simdjson::dom::parser parser;
  auto line = parse_json(parser, piped.out);
  EXPECT_EQ(str(line["file"]), "stdin");
  EXPECT_TRUE(bool(line["ok"]));

  // One good file and one malformed: the good one is saved, exit 1.
  std::string good = write_file("good.json", result_json(ResultSpec()));
  std::string bad = write_file("bad.json", "{\"task_id\": \"x\", ");
  RunResult mixed = cli({"save", good, bad, "--json"});
  EXPECT_EXIT_CODE(mixed, 1);
  auto out = lines(mixed.out);
  ASSERT_EQ(out.size(), 2u) << mixed.out;
  simdjson::dom::parser p1, p2;
  EXPECT_TRUE(bool(parse_json(p1, out[0])["ok"]));
  auto failed = parse_json(p2, out[1]);
  EXPECT_FALSE(bool(failed["ok"]));
  EXPECT_EQ(str(failed["file"]), bad);
  EXPECT_TRUE(contains(str(failed["error"]), "invalid argument")) << out[1];
  EXPECT_EQ(row_count(), 3);

  // A path that is a pipe (here /dev/stdin; `<(...)` gives one too) is read to its end: a
  // document of several pieces of the first read's size.
  const std::string big_id = generate_uuid_v4();
  in.stdin_data = result_json(ResultSpec().id(big_id).rows(500, 500));
  ASSERT_GT(in.stdin_data.size(), size_t{256} << 10);
  ASSERT_EXIT_CODE(cli({"save", "/dev/stdin"}, in), 0);
  RunResult got = cli({"get", big_id});
  ASSERT_EXIT_CODE(got, 0);
  simdjson::dom::parser p3, p4;
  auto saved = parse_json(p3, in.stdin_data);
  auto back = parse_json(p4, got.out);
  EXPECT_EQ(simdjson::to_string(saved["symbols"]), simdjson::to_string(back["symbols"]));
  EXPECT_EQ(row_count(), 4);
}

TEST_F(CliStorageTest, BadInputGetsAClearMessageAndItsExitCode) {
  // Malformed JSON: exit 1, the message says where.
  RunResult malformed = cli({"save", write_file("m.json", "{\"strategy\": [1, 2,\n")});
  EXPECT_EXIT_CODE(malformed, 1);
  EXPECT_TRUE(contains(malformed.err, "m.json")) << malformed.err;
  EXPECT_TRUE(contains(malformed.err, "line")) << malformed.err;
  EXPECT_TRUE(contains(malformed.err, "0 saved, 1 failed")) << malformed.err;
  // A valid JSON document that is not a result: exit 1, naming the problems.
  RunResult invalid = cli({"save", write_file("i.json", R"({"strategy": 5})")});
  EXPECT_EXIT_CODE(invalid, 1);
  EXPECT_TRUE(contains(invalid.err, "strategy")) << invalid.err;
  // A missing input file: not found.
  EXPECT_EXIT_CODE(cli({"save", "/nonexistent/result.json"}), 3);
  // A directory: the message says so and how to name its files.
  RunResult directory = cli({"save", scratch_.str()});
  EXPECT_EXIT_CODE(directory, 1);
  EXPECT_TRUE(contains(directory.err, "is a directory; name the files in it")) << directory.err;
  EXPECT_EQ(row_count(), 0);
  // Among other files (read on threads of their own), it fails alone.
  RunResult among = cli({"save", write_file("first.json", result_json(ResultSpec())),
                         scratch_.str(), write_file("last.json", result_json(ResultSpec()))});
  EXPECT_EXIT_CODE(among, 1);
  EXPECT_TRUE(contains(among.err, "2 saved, 1 failed")) << among.err;
  EXPECT_EQ(row_count(), 2);

  // Unknown task id: exit 3 from every command that takes one.
  const std::string unknown = generate_uuid_v4();
  for (const std::vector<std::string>& args : {std::vector<std::string>{"get", unknown},
                                               {"show", unknown},
                                               {"delete", unknown},
                                               {"fail", unknown, "--error", "x"}}) {
    RunResult r = cli(args);
    EXPECT_EXIT_CODE(r, 3);
    EXPECT_TRUE(contains(r.err, unknown)) << r.err;
    EXPECT_EQ(r.out, "");
  }
  // Not a UUID: a usage error, before anything is opened.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"get", "not-a-uuid"},
        {"show", "12345"},
        {"delete", "x"},
        {"fail", "x", "--error", "e"},
        {"verify", "x"},
        {"register", "--task-id", "x", "--strategy", "s", "--start-date", "2024-01-01",
         "--end-date", "2024-01-02"}}) {
    RunResult r = cli(args);
    EXPECT_EXIT_CODE(r, 2);
    EXPECT_TRUE(contains(r.err, "is not a task id")) << r.err;
  }
  // Other usage errors.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"list", "--limit", "0"},
                                               {"list", "--status", "done"},
                                               {"list", "--since", "yesterday"},
                                               {"cleanup", "--older-than", "7x"},
                                               {"cleanup"},
                                               {"verify", "--grace", "soon"},
                                               {"save"},
                                               {"list", "--bogus"},
                                               {"nonsense"}}) {
    EXPECT_EXIT_CODE(cli(args), 2) << args[0];
  }
}

TEST_F(CliStorageTest, UnreachableDatabaseFailsClearlyWithoutThePassword) {
  const std::string url = "postgresql://alice:s3cret-pw@127.0.0.1:1/btstore";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"},
        {"get", generate_uuid_v4()},
        {"save", write_file("u.json", result_json(ResultSpec()))},
        {"verify"},
        {"cleanup", "--older-than", "7d"}}) {
    RunResult flag = run_process(
        [&] {
          std::vector<std::string> argv = {BTSTORE_CLI, "--database-url", url, "--home",
                                           root_->str()};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }(),
        {});
    EXPECT_EXIT_CODE(flag, 1);
    EXPECT_TRUE(contains(flag.err, "cannot connect to PostgreSQL")) << flag.err;
    EXPECT_TRUE(contains(flag.err, "127.0.0.1")) << flag.err;
    EXPECT_FALSE(contains(flag.err + flag.out, "s3cret")) << flag.err;
  }
  // A keyword string with a password, too.
  RunResult keywords = run_process({BTSTORE_CLI, "--database-url",
                                    "host=127.0.0.1 port=1 user=alice password=s3cret-pw", "--home",
                                    root_->str(), "list"});
  EXPECT_EXIT_CODE(keywords, 1);
  EXPECT_TRUE(contains(keywords.err, "cannot connect to PostgreSQL")) << keywords.err;
  EXPECT_FALSE(contains(keywords.err, "s3cret")) << keywords.err;
  // The same through the environment.
  RunOptions env;
  env.env["BTSTORE_DATABASE_URL"] = url;
  RunResult r = run_process({BTSTORE_CLI, "--home", root_->str(), "list"}, env);
  EXPECT_EXIT_CODE(r, 1);
  EXPECT_TRUE(contains(r.err, "BTSTORE_DATABASE_URL")) << r.err;
  EXPECT_FALSE(contains(r.err, "s3cret")) << r.err;
  EXPECT_FALSE(fs::exists(backtests()));  // nothing was written
}

TEST_F(CliStorageTest, DuplicateSaveNeedsReplace) {
  const std::string id = generate_uuid_v4();
  std::string first = write_file("1.json", result_json(ResultSpec().id(id).rows(1, 1)));
  std::string second = write_file("2.json", result_json(ResultSpec().id(id).rows(5, 1)));
  ASSERT_EXIT_CODE(cli({"save", first}), 0);
  RunResult dup = cli({"save", second});
  EXPECT_EXIT_CODE(dup, 1);
  EXPECT_TRUE(contains(dup.err, "already saved")) << dup.err;
  EXPECT_TRUE(contains(dup.err, "--replace")) << dup.err;
  simdjson::dom::parser parser;
  EXPECT_EQ(int64_t(parse_json(parser, cli({"show", id, "--json"}).out)["record_count"]), 1);

  ASSERT_EXIT_CODE(cli({"save", "--replace", second}), 0);
  simdjson::dom::parser p2;
  EXPECT_EQ(int64_t(parse_json(p2, cli({"show", id, "--json"}).out)["record_count"]), 5);
  EXPECT_EQ(store_entries(), std::set<std::string>{id});
  EXPECT_EXIT_CODE(verify(), 0);
}

TEST_F(CliStorageTest, LatestFiveCompleted) {
  std::vector<std::string> completed;
  for (int i = 0; i < 7; ++i) completed.push_back(save(ResultSpec()));
  std::string failed = save(ResultSpec().state("failed"));
  RunResult reg = cli({"register", "--strategy", "s", "--start-date", "2024-01-01", "--end-date",
                       "2024-01-31", "--json"});
  ASSERT_EXIT_CODE(reg, 0);
  simdjson::dom::parser parser;
  std::string running = str(parse_json(parser, reg.out)["task_id"]);
  // Distinct ages: completed[i] is i hours old, the others are the newest.
  for (int i = 0; i < 7; ++i) {
    set_created_at(completed[i], "now() - interval '" + std::to_string(i + 1) + " hours'");
  }
  std::string cursor;
  auto ids = list_ids({"--status", "completed", "--limit", "5"}, &cursor);
  EXPECT_EQ(ids, std::vector<std::string>(completed.begin(), completed.begin() + 5));
  EXPECT_FALSE(cursor.empty());
  EXPECT_EQ(list_ids({"--status", "completed", "--limit", "5", "--after", cursor}),
            std::vector<std::string>(completed.begin() + 5, completed.end()));
  EXPECT_EQ(list_ids({"--status", "failed"}), std::vector<std::string>{failed});
  EXPECT_EQ(list_ids({"--status", "running"}), std::vector<std::string>{running});

  RunResult table = cli({"list", "--status", "completed", "--limit", "5"});
  ASSERT_EXIT_CODE(table, 0);
  EXPECT_EQ(lines(table.out).size(), 6u) << table.out;
  EXPECT_TRUE(contains(table.err, "next page: --after " + cursor)) << table.err;
}

TEST_F(CliStorageTest, StrategyLastSevenDays) {
  std::string recent = save(ResultSpec().named("volume_zone_breakout"));
  std::string six_days = save(ResultSpec().named("volume_zone_breakout"));
  std::string eight_days = save(ResultSpec().named("volume_zone_breakout"));
  std::string other = save(ResultSpec().named("rsi"));
  set_created_at(recent, "now() - interval '1 day'");
  set_created_at(six_days, "now() - interval '6 days 23 hours'");
  set_created_at(eight_days, "now() - interval '8 days'");
  set_created_at(other, "now() - interval '1 day'");
  EXPECT_EQ(list_ids({"--strategy", "volume_zone_breakout", "--since", "7d"}),
            (std::vector<std::string>{recent, six_days}));
  EXPECT_EQ(list_ids({"--strategy", "volume_zone_breakout", "--until", "7d"}),
            std::vector<std::string>{eight_days});
  EXPECT_EQ(list_ids({"--strategy", "volume_zone"}), std::vector<std::string>{});  // exact name
  EXPECT_EQ(list_ids({"--since", "2000-01-01", "--limit", "10"}).size(), 4u);
}

TEST_F(CliStorageTest, SymbolFilters) {
  const std::string hostile = "we\"ird\\sym%_'; --";
  std::string btc = save(ResultSpec().with({"BTC/USDT"}));
  std::string both = save(ResultSpec().with({"ETH/USDT", "BTC/USDT"}));
  std::string korean = save(ResultSpec().with({"비트코인/KRW", "🚀/USDT"}));
  std::string odd = save(ResultSpec().with({hostile, "A_C"}));
  std::string abc = save(ResultSpec().with({"ABC", "A%C"}));
  using V = std::vector<std::string>;
  EXPECT_EQ(list_ids({"--symbol", "BTC/USDT"}), (V{both, btc}));
  EXPECT_EQ(list_ids({"--symbol", "BTC/USDT", "--symbol", "ETH/USDT"}), (V{both}));
  EXPECT_EQ(list_ids({"--symbol", "ETH/USDT", "--symbol", "비트코인/KRW"}), V{});
  EXPECT_EQ(list_ids({"--symbol", "비트코인/KRW"}), (V{korean}));
  EXPECT_EQ(list_ids({"--symbol", "🚀/USDT"}), (V{korean}));
  EXPECT_EQ(list_ids({"--symbol", hostile}), (V{odd}));
  EXPECT_EQ(list_ids({"--symbol", "A_C"}), (V{odd}));  // no LIKE wildcards
  EXPECT_EQ(list_ids({"--symbol", "A%C"}), (V{abc}));
  EXPECT_EQ(list_ids({"--symbol", "%"}), V{});
  EXPECT_EQ(list_ids({"--symbol", "BTC"}), V{});       // whole names only
  EXPECT_EQ(list_ids({"--symbol", "btc/usdt"}), V{});  // case matters

  // The symbols come back as saved, in document order.
  simdjson::dom::parser parser;
  auto entry = parse_json(parser, cli({"show", odd, "--json"}).out);
  EXPECT_EQ(str(entry["symbols"].at(0)), hostile);
  EXPECT_EQ(str(entry["symbols"].at(1)), "A_C");
  RunResult table = cli({"list", "--symbol", "비트코인/KRW"});
  EXPECT_TRUE(contains(table.out, "비트코인/KRW,🚀/USDT")) << table.out;
}

TEST_F(CliStorageTest, RegisterFailAndSaveCompleteTheLifecycle) {
  RunResult reg = cli({"register", "--strategy", "grid", "--symbol", "BTC/USDT", "--symbol",
                       "ETH/USDT", "--start-date", "2024-01-01", "--end-date", "2024-01-31",
                       "--timeframe", "4h", "--metadata", R"({"worker": 7})", "--json"});
  ASSERT_EXIT_CODE(reg, 0);
  simdjson::dom::parser parser;
  auto r = parse_json(parser, reg.out);
  const std::string id = str(r["task_id"]);
  EXPECT_EQ(str(r["status"]), "running");
  EXPECT_TRUE(is_uuid(id));

  simdjson::dom::parser p2;
  auto shown = parse_json(p2, cli({"show", id, "--json"}).out);
  EXPECT_EQ(str(shown["status"]), "running");
  EXPECT_EQ(str(shown["timeframe"]), "4h");
  EXPECT_TRUE(shown["file_size"].is_null());
  EXPECT_EQ(str(shown["symbols"].at(1)), "ETH/USDT");
  RunResult human = cli({"show", id});
  EXPECT_EXIT_CODE(human, 0);
  EXPECT_TRUE(contains(human.out, "status        running")) << human.out;
  EXPECT_EXIT_CODE(cli({"get", id}), 3);  // no files yet

  RunResult fail = cli({"fail", id, "--error", "exchange API timeout \"429\""});
  ASSERT_EXIT_CODE(fail, 0);
  EXPECT_EQ(fail.out, id + " marked failed\n");
  simdjson::dom::parser p3;
  auto failed = parse_json(p3, cli({"show", id, "--json"}).out);
  EXPECT_EQ(str(failed["status"]), "failed");
  EXPECT_EQ(str(failed["metadata"]["error"]), "exchange API timeout \"429\"");
  EXPECT_EQ(int64_t(failed["metadata"]["worker"]), 7);

  // A second registered task is completed by the save of its result.
  RunResult reg2 = cli({"register", "--task-id", generate_uuid_v4(), "--strategy", "grid",
                        "--start-date", "2024-01-01", "--end-date", "2024-01-31"});
  ASSERT_EXIT_CODE(reg2, 0);
  const std::string id2 = lines(reg2.out).at(0);
  ASSERT_EQ(save(ResultSpec().id(id2).rows(3, 1)), id2);
  simdjson::dom::parser p4;
  auto done = parse_json(p4, cli({"show", id2, "--json"}).out);
  EXPECT_EQ(str(done["status"]), "completed");
  EXPECT_EQ(int64_t(done["record_count"]), 3);
  EXPECT_EXIT_CODE(cli({"get", id2}), 0);
  EXPECT_EXIT_CODE(cli({"fail", id2, "--error", "late"}), 1);  // completed: refused
  EXPECT_EXIT_CODE(verify(), 0);
}

}  // namespace
}  // namespace btstore::testing
