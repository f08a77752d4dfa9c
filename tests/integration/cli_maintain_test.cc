// The btstore commands that remove and check results (cleanup, delete, verify)
// through the real binary against a real PostgreSQL: --json parsed, tables
// sanity-checked, exit codes (0 ok, 3 not found, 4 integrity problem).
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "cli_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(CliStorageTest, CleanupOlderThanSevenDaysAtTheBoundary) {
  std::string old = save(ResultSpec());
  std::string just_older = save(ResultSpec());
  std::string just_younger = save(ResultSpec());
  std::string fresh = save(ResultSpec());
  set_created_at(old, "now() - interval '30 days'");
  set_created_at(just_older, "now() - interval '7 days 1 second'");
  set_created_at(just_younger, "now() - interval '7 days' + interval '1 second'");

  RunResult dry = cli({"cleanup", "--older-than", "7d", "--dry-run", "--json"});
  ASSERT_EXIT_CODE(dry, 0);
  simdjson::dom::parser parser;
  auto d = parse_json(parser, dry.out);
  EXPECT_TRUE(bool(d["dry_run"]));
  std::set<std::string> would;
  for (auto e : d["would_delete"].get_array()) would.insert(str(e["task_id"]));
  EXPECT_EQ(would, (std::set<std::string>{old, just_older}));
  EXPECT_EQ(row_count(), 4);

  RunResult done = cli({"cleanup", "--older-than", "7d", "--json"});
  ASSERT_EXIT_CODE(done, 0);
  simdjson::dom::parser p2;
  auto j = parse_json(p2, done.out);
  EXPECT_FALSE(bool(j["dry_run"]));
  std::set<std::string> deleted;
  for (auto e : j["deleted"].get_array()) {
    deleted.insert(str(e["task_id"]));
    EXPECT_EQ(str(e["parquet_path"]), "backtests/" + str(e["task_id"]) + "/");
  }
  EXPECT_EQ(deleted, (std::set<std::string>{old, just_older}));
  EXPECT_EQ(store_entries(), (std::set<std::string>{just_younger, fresh}));
  EXPECT_EQ(list_ids({}), (std::vector<std::string>{fresh, just_younger}));

  // For people: one line per deleted result and a summary; nothing left to do.
  RunResult again = cli({"cleanup", "--older-than", "7d"});
  EXPECT_EXIT_CODE(again, 0);
  EXPECT_EQ(again.out, "");
  EXPECT_TRUE(contains(again.err, "deleted 0 results older than 7d")) << again.err;
  RunResult six = cli({"cleanup", "--older-than", "6d"});
  EXPECT_EXIT_CODE(six, 0);
  EXPECT_EQ(six.out, just_younger + "  backtests/" + just_younger + "/\n");
  EXPECT_TRUE(contains(six.err, "deleted 1 results older than 6d")) << six.err;
  EXPECT_EQ(list_ids({}), std::vector<std::string>{fresh});
  EXPECT_EXIT_CODE(verify(), 0);
}

TEST_F(CliStorageTest, DeleteIsIdempotentAndGoesOnPastMissingFiles) {
  std::string a = save(ResultSpec());
  std::string b = save(ResultSpec());
  std::string c = save(ResultSpec());
  fs::remove_all(result_dir(b));  // already gone
  RunResult del = cli({"delete", a, b});
  EXPECT_EXIT_CODE(del, 0);
  EXPECT_EQ(del.out, "deleted " + a + "\ndeleted " + b + "\n");
  EXPECT_EQ(store_entries(), std::set<std::string>{c});
  EXPECT_EQ(list_ids({}), std::vector<std::string>{c});

  // Again: not found, but the other id in the same call is still deleted.
  RunResult again = cli({"delete", a, c});
  EXPECT_EXIT_CODE(again, 3);
  EXPECT_EQ(again.out, "deleted " + c + "\n");
  EXPECT_TRUE(contains(again.err, a)) << again.err;
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty());
  EXPECT_EXIT_CODE(verify(), 0);
}

TEST_F(CliStorageTest, VerifyReportsEachKindOfDamageNamingTheTask) {
  struct Damage {
    const char* name;
    std::function<void(const fs::path& dir)> apply;
    std::string kind;  // empty: any
  };
  std::vector<Damage> damages = {
      {"truncated", [](const fs::path& d) { fs::resize_file(d / "symbol_signals.parquet", 100); },
       ""},
      {"flipped byte",
       [](const fs::path& d) {
         fs::path p = d / "performance_curve.parquet";
         std::string bytes = read_text(p);
         bytes[bytes.size() / 2] ^= 0x20;
         std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
       },
       ""},
      {"no metadata.json", [](const fs::path& d) { fs::remove(d / "metadata.json"); },
       "missing_files"},
      {"no parquet file", [](const fs::path& d) { fs::remove(d / "symbol_summary.parquet"); },
       "missing_files"},
  };
  std::string healthy = save(ResultSpec());
  std::map<std::string, const Damage*> by_id;
  for (const auto& d : damages) {
    std::string id = save(ResultSpec().rows(20, 20));
    d.apply(result_dir(id));
    by_id[id] = &d;
  }
  RunResult all = verify({"--json"});
  EXPECT_EXIT_CODE(all, 4);
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, all.out);
  std::map<std::string, std::string> found;  // task -> kinds
  for (auto p : doc["problems"].get_array()) {
    EXPECT_FALSE(bool(p["repaired"]));
    EXPECT_FALSE(str(p["detail"]).empty());
    found[str(p["task_id"])] += str(p["kind"]) + " ";
  }
  EXPECT_EQ(int64_t(doc["unresolved"]), int64_t(size_of(doc["problems"])));
  EXPECT_EQ(found.count(healthy), 0u);
  for (const auto& [id, damage] : by_id) {
    SCOPED_TRACE(damage->name);
    ASSERT_EQ(found.count(id), 1u) << all.out;
    if (!damage->kind.empty()) {
      EXPECT_TRUE(contains(found[id], damage->kind)) << found[id];
    }
    // verify ID checks that result alone, and says so for people too.
    RunResult one = verify({id});
    EXPECT_EXIT_CODE(one, 4);
    EXPECT_TRUE(contains(one.out, id)) << one.out;
  }
  EXPECT_EXIT_CODE(verify({healthy}), 0);
  // A damaged result is not served as if it were whole: an integrity problem.
  for (const auto& [id, damage] : by_id) {
    if (std::string(damage->name) == "flipped byte") continue;  // only MD5 sees some flips
    RunResult got = cli({"get", id});
    EXPECT_EXIT_CODE(got, 4) << damage->name;
    EXPECT_EQ(got.out, "") << damage->name;
    EXPECT_TRUE(contains(got.err, id)) << got.err;
    EXPECT_EXIT_CODE(cli({"show", id}), 4) << damage->name;
  }
}

TEST_F(CliStorageTest, VerifyRepairSweepsOrphansAndLeftoversAfterTheGracePeriod) {
  std::string kept = save(ResultSpec());
  std::string orphan = save(ResultSpec());
  sql("DELETE FROM backtest_results WHERE task_id = $1::uuid", {orphan});  // a crashed delete
  fs::path staging = backtests() / ".staging" / (generate_uuid_v4() + "." + generate_uuid_v4());
  fs::create_directories(staging);
  std::ofstream(staging / "symbol_summary.parquet") << "partial";
  fs::path young_staging = backtests() / ".staging" / (generate_uuid_v4() + ".young");
  fs::create_directories(young_staging);
  // The orphan and one leftover are two hours old; the other leftover is new.
  auto two_hours_ago = fs::file_time_type::clock::now() - 2h;
  fs::last_write_time(result_dir(orphan), two_hours_ago);
  fs::last_write_time(staging, two_hours_ago);

  RunResult found = verify({"--json"});
  EXPECT_EXIT_CODE(found, 4);
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, found.out);
  std::multiset<std::string> kinds;
  for (auto p : doc["problems"].get_array()) kinds.insert(str(p["kind"]));
  EXPECT_EQ(kinds,
            (std::multiset<std::string>{"orphan_dir", "leftover_staging", "leftover_staging"}))
      << found.out;

  // Default grace (1h): the old ones go, the young leftover stays.
  RunResult repaired = verify({"--repair"});
  EXPECT_EXIT_CODE(repaired, 4);
  EXPECT_TRUE(contains(repaired.out, "left alone")) << repaired.out;
  EXPECT_FALSE(fs::exists(result_dir(orphan)));
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_TRUE(fs::exists(young_staging));
  EXPECT_TRUE(fs::exists(result_dir(kept)));

  // --grace 0s takes the young one too; then nothing is left to report.
  RunResult all = verify({"--repair", "--grace", "0s", "--json"});
  EXPECT_EXIT_CODE(all, 0);
  simdjson::dom::parser p2;
  auto j = parse_json(p2, all.out);
  EXPECT_EQ(int64_t(j["unresolved"]), 0);
  for (auto p : j["problems"].get_array()) EXPECT_TRUE(bool(p["repaired"]));
  EXPECT_FALSE(fs::exists(young_staging));
  EXPECT_EQ(store_entries(), std::set<std::string>{kept});
  EXPECT_EXIT_CODE(verify(), 0);
  EXPECT_EXIT_CODE(cli({"get", kept}), 0);
}

TEST_F(CliStorageTest, VerifyRepairRemovesRowsWhoseFilesAreGone) {
  std::string gone = save(ResultSpec());
  std::string kept = save(ResultSpec());
  fs::remove_all(result_dir(gone));
  RunResult found = verify();
  EXPECT_EXIT_CODE(found, 4);
  EXPECT_TRUE(contains(found.out, "missing_files")) << found.out;
  EXPECT_TRUE(contains(found.out, gone)) << found.out;
  EXPECT_EXIT_CODE(verify({"--repair"}), 0);
  EXPECT_EQ(list_ids({}), std::vector<std::string>{kept});
  EXPECT_EXIT_CODE(verify(), 0);
}

TEST_F(CliStorageTest, SaveVerifyAndCleanupDrawAProgressBarOnATerminalOnly) {
  RunOptions terminal;
  terminal.stderr_terminal = true;
  std::vector<std::string> args = {"save"};
  for (int i = 0; i < 3; ++i) {
    args.push_back(write_file("r" + std::to_string(i) + ".json", result_json(ResultSpec())));
  }
  args.insert(args.begin() + 2, write_file("bad.json", "{"));
  RunResult saved = cli(args, terminal);
  EXPECT_EXIT_CODE(saved, 1);
  EXPECT_TRUE(contains(saved.err, "] 4/4 files")) << saved.err;
  EXPECT_TRUE(contains(saved.err, "3 saved, 1 failed")) << saved.err;
  // Each saved file still has its line on stdout, and the failure its own line: the bar is
  // erased first, not written over.
  EXPECT_EQ(std::count(saved.out.begin(), saved.out.end(), '\n'), 3) << saved.out;
  EXPECT_TRUE(contains(saved.out, "saved ")) << saved.out;
  EXPECT_TRUE(contains(saved.err, "\r\033[Kbtstore: " + args[2] + ": ")) << saved.err;

  RunResult checked = cli({"verify"}, terminal);
  EXPECT_EXIT_CODE(checked, 0);
  EXPECT_TRUE(contains(checked.err, "[" + std::string(30, '#') + "] 3/3 results")) << checked.err;
  // Without a terminal, stderr is left to messages.
  RunResult piped = verify();
  EXPECT_EXIT_CODE(piped, 0);
  EXPECT_FALSE(contains(piped.err, "results")) << piped.err;

  sql("UPDATE backtest_results SET created_at = now() - interval '8 days'");
  RunResult dry = cli({"cleanup", "--older-than", "7d", "--dry-run"}, terminal);
  EXPECT_EXIT_CODE(dry, 0);
  EXPECT_FALSE(contains(dry.err, "3/3")) << dry.err;  // a dry run removes nothing
  RunResult cleaned = cli({"cleanup", "--older-than", "7d"}, terminal);
  EXPECT_EXIT_CODE(cleaned, 0);
  EXPECT_TRUE(contains(cleaned.err, "[" + std::string(30, '#') + "] 3/3 results")) << cleaned.err;
  EXPECT_TRUE(contains(cleaned.err, "deleted 3 results older than 7d")) << cleaned.err;
  EXPECT_EQ(row_count(), 0);
}

TEST_F(CliStorageTest, RootMayDifferFromHomeAndComeFromTheEnvironment) {
  TempDir other("btr");
  RunOptions env;
  env.env["BTSTORE_ROOT"] = other.str();
  std::string file = write_file("r.json", result_json(ResultSpec()));
  RunResult saved = cli({"save", file, "--json"}, env);
  ASSERT_EXIT_CODE(saved, 0);
  simdjson::dom::parser parser;
  std::string id = str(parse_json(parser, saved.out)["task_id"]);
  EXPECT_TRUE(fs::exists(other.path() / "backtests" / id / "metadata.json"));
  EXPECT_FALSE(fs::exists(backtests()));
  EXPECT_EXIT_CODE(cli({"get", id}, env), 0);
  // Without the root the files are missing: verify says so.
  EXPECT_EXIT_CODE(cli({"verify"}), 4);
  RunResult flag = cli({"--root", other.str(), "verify"});
  EXPECT_EXIT_CODE(flag, 0);
}

}  // namespace
}  // namespace btstore::testing
