// Hostile input against the real catalog and file system: every SQL statement
// binds its values (quotes, backslashes, LIKE wildcards and unicode are stored
// and matched literally), NUL is refused naming the field, task ids are UUIDs
// so nothing names a path outside the root, planted symbolic links are never
// followed out of it, files and directories get 0640/0750 under the umask, and
// no password of a database URL reaches the output.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "storage_fixture.h"

namespace btstore::testing {
namespace {

const std::vector<std::string> kHostile = {
    "'",
    "''",
    "x'; DROP TABLE backtest_results; --",
    "\\",
    "\\'",
    "back\\slash\\\\n",
    "%",
    "_",
    "a%b",
    "a_c",
    "100%_sure",
    "\"double\"",
    "$1",
    "E'\\x00'",
    "전략 🚀 Ωmega",
    "\xE2\x80\xAEright-to-left",
    "tab\tnew\nline",
};

bool mentions_nul(const Status& st) {
  return st.message().find("NUL") != std::string::npos ||
         st.message().find("U+0000") != std::string::npos;
}

class SecurityTest : public StorageFixture {
 protected:
  std::unique_ptr<ResultStorage> storage_;
  void SetUp() override {
    StorageFixture::SetUp();
    storage_ = open_storage();
    ASSERT_NE(storage_, nullptr);
  }

  std::vector<std::string> listed(const ListFilter& filter) {
    auto page = storage_->list(filter);
    EXPECT_TRUE(page.ok()) << page.status().to_string();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& e : page->entries) ids.push_back(e.task_id);
    }
    return ids;
  }
  std::vector<std::string> by_strategy(const std::string& s) {
    ListFilter f;
    f.strategy = s;
    return listed(f);
  }
  std::vector<std::string> by_symbol(const std::string& s) {
    ListFilter f;
    f.symbols = {s};
    return listed(f);
  }
};

TEST_F(SecurityTest, HostileStrategiesAndSymbolsAreStoredAndMatchedLiterally) {
  std::map<std::string, std::string> id_of;  // strategy -> task_id
  for (const std::string& s : kHostile) {
    auto saved = storage_->save_result(result_json(ResultSpec().named(s).with({s, s + "/USDT"})));
    ASSERT_TRUE(saved.ok()) << s << ": " << saved.status().to_string();
    id_of[s] = *saved;
  }
  auto plain = storage_->save_result(result_json(ResultSpec().named("abc").with({"abc"})));
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(row_count(), static_cast<int64_t>(kHostile.size()) + 1);  // the table is still there

  for (const std::string& s : kHostile) {
    SCOPED_TRACE(s);
    EXPECT_EQ(by_strategy(s), std::vector<std::string>{id_of[s]});
    EXPECT_EQ(by_symbol(s), std::vector<std::string>{id_of[s]});
    EXPECT_EQ(by_symbol(s + "/USDT"), std::vector<std::string>{id_of[s]});
    ListFilter both;
    both.strategy = s;
    both.symbols = {s, s + "/USDT"};
    both.status = "completed";
    both.since_micros = 0;
    EXPECT_EQ(listed(both), std::vector<std::string>{id_of[s]});
    auto entry = storage_->get_entry(id_of[s]);
    ASSERT_TRUE(entry.ok());
    EXPECT_EQ(entry->strategy, s);
    EXPECT_EQ(entry->symbols, (std::vector<std::string>{s, s + "/USDT"}));
    auto doc = storage_->get_result(id_of[s]);
    ASSERT_TRUE(doc.ok()) << doc.status().to_string();
    auto summary = storage_->get_summary(id_of[s]);
    ASSERT_TRUE(summary.ok());
    ASSERT_EQ(summary->size(), 2u);
  }
  // LIKE wildcards are not wildcards: "%" and "_" find only themselves, "a_c" not "abc".
  EXPECT_EQ(by_strategy("a_c"), std::vector<std::string>{id_of["a_c"]});
  EXPECT_TRUE(by_strategy("ab%").empty());
  EXPECT_TRUE(by_strategy("___").empty());
  EXPECT_TRUE(by_symbol("%").size() == 1u && by_symbol("%")[0] == id_of["%"]);

  // Delete and cleanup of them by their ids.
  ASSERT_TRUE(storage_->delete_result(id_of["'"]).ok());
  EXPECT_TRUE(by_strategy("'").empty());
  for (const auto& [s, id] : id_of) set_created_at(id, "now() - interval '10 days'");
  auto removed = storage_->cleanup(std::chrono::hours(24 * 7));
  ASSERT_TRUE(removed.ok()) << removed.status().to_string();
  EXPECT_EQ(removed->size(), kHostile.size() - 1);
  EXPECT_EQ(row_count(), 1);
  EXPECT_EQ(store_entries(), std::set<std::string>{*plain});
  EXPECT_TRUE(problems(*storage_).empty());
}

TEST_F(SecurityTest, HostileTaskIdsAreRefusedAsNotUuids) {
  const std::vector<std::string> bad = {"' OR '1'='1",
                                        "'; DROP TABLE backtest_results; --",
                                        "\\",
                                        "%",
                                        "_",
                                        "../../etc/passwd",
                                        "/etc/passwd",
                                        "..",
                                        ".staging",
                                        "550e8400-e29b-41d4-a716-446655440000/../../x",
                                        "550e8400-e29b-41d4-a716-44665544000\\",
                                        std::string("550e8400-e29b-41d4-a716-44665544000\0", 36),
                                        "５５０e8400-e29b-41d4-a716-446655440000"};
  for (const std::string& id : bad) {
    SCOPED_TRACE(id);
    EXPECT_EQ(storage_->get_result(id).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(storage_->get_entry(id).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(storage_->get_summary(id).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(storage_->delete_result(id).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(storage_->mark_failed(id, "x").code(), StatusCode::kInvalidArgument);
    RunningTask task = running_task("s", {"BTC"});
    task.task_id = id;
    EXPECT_EQ(storage_->register_running(task).status().code(), StatusCode::kInvalidArgument);
    auto saved = storage_->save_result(result_json(ResultSpec().id(id)));
    EXPECT_FALSE(saved.ok());
    EXPECT_NE(saved.status().message().find("task_id"), std::string::npos)
        << saved.status().to_string();
  }
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty());
}

// PostgreSQL text and jsonb cannot hold U+0000: a NUL anywhere is refused up
// front with the field's name, and nothing is stored.
TEST_F(SecurityTest, NulInAnyTextFieldIsRefusedNamingTheField) {
  struct Case {
    std::string field;  // named in the error
    std::string json;
  };
  const std::string base = result_json(ResultSpec().named("NULSTRATEGY").with({"NULSYMBOL"}));
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
    return s;
  };
  const std::vector<Case> cases = {
      {"strategy", with("NULSTRATEGY", "a\\u0000b")},
      {"symbol", with("NULSYMBOL", "BTC\\u0000")},
      {"timeframe", with("\"1h\"", "\"1\\u0000h\"")},
      {"metadata", with("\"integration test\"", "\"x\\u0000y\"")},
      {"metadata", with("\"note\"", "\"n\\u0000\"")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json.substr(0, 300));
    ASSERT_NE(c.json, base);
    auto saved = storage_->save_result(c.json);
    ASSERT_FALSE(saved.ok());
    EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument) << saved.status().to_string();
    EXPECT_NE(saved.status().message().find(c.field), std::string::npos)
        << saved.status().to_string();
    EXPECT_TRUE(mentions_nul(saved.status())) << saved.status().to_string();
  }
  const std::string nul("a\0b", 3);
  ListFilter f;
  f.strategy = nul;
  auto page = storage_->list(f);
  EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(page.status().message().find("strategy"), std::string::npos);
  ListFilter g;
  g.symbols = {nul};
  page = storage_->list(g);
  EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(page.status().message().find("symbol"), std::string::npos);
  RunningTask task = running_task(nul, {"BTC"});
  EXPECT_EQ(storage_->register_running(task).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty()) << "a refused save left files";
}

TEST_F(SecurityTest, FailureTextWithQuotesNulAndUnicodeIsKeptOrRefusedClearly) {
  RunningTask task = running_task("s", {"BTC"});
  auto id = storage_->register_running(task);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  const std::string text = "it's \"bad\" \\ 100% _ 🚀";
  ASSERT_TRUE(storage_->mark_failed(*id, text).ok());
  auto entry = storage_->get_entry(*id);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->status, "failed");
  EXPECT_NE(entry->metadata_json.find("100% _"), std::string::npos) << entry->metadata_json;

  auto other = storage_->register_running(task);
  ASSERT_TRUE(other.ok());
  Status st = storage_->mark_failed(*other, std::string("nul\0here", 8));
  if (!st.ok()) {
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.to_string();
    EXPECT_TRUE(mentions_nul(st)) << st.to_string();
  }
}

// Symbolic links planted in backtests/ pointing outside the root: saves,
// deletes, cleanup and repair remove or replace the link, never what it points to.
TEST_F(SecurityTest, PlantedSymlinksNeverLeadOutsideTheRoot) {
  TempDir outside("bto");
  const fs::path canary = outside.path() / "canary";
  std::ofstream(canary) << "keep me";
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec())).ok());  // creates backtests/

  // An orphan link where a result directory would be: repair removes the link only.
  const std::string orphan = generate_uuid_v4();
  fs::create_directory_symlink(outside.path(), backtests() / orphan);
  VerifyOptions repair;
  repair.repair = true;
  repair.grace = std::chrono::seconds(0);
  ASSERT_TRUE(storage_->verify(repair).ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(backtests() / orphan)));

  // A saved result's directory swapped for a link: replace, then delete.
  const std::string id = generate_uuid_v4();
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec().id(id))).ok());
  fs::remove_all(result_dir(id));
  fs::create_directory_symlink(outside.path(), result_dir(id));
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec().id(id).rows(3, 3)), true).ok());
  EXPECT_FALSE(fs::is_symlink(result_dir(id)));
  fs::remove_all(result_dir(id));
  fs::create_directory_symlink(outside.path(), result_dir(id));
  EXPECT_TRUE(storage_->delete_result(id).ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(result_dir(id))));

  // And through cleanup.
  const std::string old = generate_uuid_v4();
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec().id(old))).ok());
  fs::remove_all(result_dir(old));
  fs::create_directory_symlink(outside.path(), result_dir(old));
  set_created_at(old, "now() - interval '30 days'");
  ASSERT_TRUE(storage_->cleanup(std::chrono::hours(24)).ok());

  // A link as a file of a result: reading it is refused or reads the link, never deletes it.
  const std::string linked = generate_uuid_v4();
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec().id(linked))).ok());
  fs::remove(result_dir(linked) / "metadata.json");
  fs::create_symlink(canary, result_dir(linked) / "metadata.json");
  EXPECT_FALSE(storage_->get_result(linked).ok());
  EXPECT_TRUE(storage_->delete_result(linked).ok());

  EXPECT_TRUE(fs::exists(canary));
  std::ifstream in(canary);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "keep me");
  EXPECT_EQ(std::distance(fs::directory_iterator(outside.path()), fs::directory_iterator()), 1);
}

// .staging and .trash must be real directories of the root: a link there
// would send a save's files, or a delete's, somewhere else.
TEST_F(SecurityTest, StagingOrTrashLinkedOutsideIsRefused) {
  TempDir outside("bto");
  ASSERT_TRUE(storage_->save_result(result_json(ResultSpec())).ok());
  for (const char* name : {".staging", ".trash"}) {
    SCOPED_TRACE(name);
    fs::remove_all(backtests() / name);
    fs::create_directory_symlink(outside.path(), backtests() / name);
    const std::string id = generate_uuid_v4();
    auto saved = storage_->save_result(result_json(ResultSpec().id(id)));
    Status deleted = saved.ok() ? storage_->delete_result(id) : Status::OK();
    EXPECT_TRUE(!saved.ok() || !deleted.ok()) << "the link was followed";
    Status st = saved.ok() ? deleted : saved.status();
    EXPECT_NE(st.message().find(name), std::string::npos) << st.to_string();
    EXPECT_TRUE(fs::is_empty(outside.path())) << "files were written outside the root";
    fs::remove(backtests() / name);
  }
}

class UmaskTest : public SecurityTest, public ::testing::WithParamInterface<mode_t> {};

// Every directory and file a save and a delete create: the mode asked for is
// 0750/0640 and the umask narrows it.
TEST_P(UmaskTest, FilesAre0640AndDirectories0750NarrowedByTheUmask) {
  const mode_t mask = GetParam();
  const mode_t old = ::umask(mask);
  auto saved = storage_->save_result(result_json(ResultSpec()));
  auto doomed = storage_->save_result(result_json(ResultSpec()));
  Status deleted = doomed.ok() ? storage_->delete_result(*doomed) : doomed.status();
  ::umask(old);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  ASSERT_TRUE(deleted.ok()) << deleted.to_string();
  int dirs = 0, files = 0;
  auto check = [&](const fs::path& p) {
    struct stat st {};
    ASSERT_EQ(::lstat(p.c_str(), &st), 0) << p;
    const mode_t mode = st.st_mode & 07777;
    if (S_ISDIR(st.st_mode)) {
      ++dirs;
      EXPECT_EQ(mode, 0750 & ~mask) << p;
    } else {
      ++files;
      EXPECT_TRUE(S_ISREG(st.st_mode)) << p;
      EXPECT_EQ(mode, 0640 & ~mask) << p;
    }
  };
  check(backtests());
  for (const auto& e : fs::recursive_directory_iterator(backtests())) check(e.path());
  EXPECT_GE(dirs, 3);  // backtests/, .staging/, the result; .trash/ after the delete
  EXPECT_EQ(files, 4);
}

INSTANTIATE_TEST_SUITE_P(Umasks, UmaskTest, ::testing::Values(0, 022, 027, 077));

// Passwords of --database-url and BTSTORE_DATABASE_URL, as written and as
// percent-encoded, never reach stdout or stderr, whatever fails.
TEST_F(SecurityTest, PasswordsInDatabaseUrlsAreNeverPrinted) {
  const std::string secret = "Hunter2-Secr3t";
  const std::string encoded = "p%40ss-Secr3t";  // p@ss-Secr3t
  const std::vector<std::string> urls = {
      "postgresql://alice:" + secret + "@127.0.0.1:1/btstore",              // refused
      "postgresql://alice:" + encoded + "@127.0.0.1:1/btstore",             // refused
      "postgresql://alice@127.0.0.1:1/btstore?password=" + secret,          // refused
      "host=127.0.0.1 port=1 user=alice password='" + secret + "'",         // refused
      "postgresql://alice:" + secret + "@btstore-no-such-host.invalid/db",  // no such host
      "postgresql://alice:" + secret + "@127.0.0.1:notaport/db",            // not a URL
      "host=127.0.0.1 password='" + secret,                                 // unterminated quote
  };
  const std::string doc = write_file("r.json", result_json(ResultSpec()));
  const std::string id = generate_uuid_v4();
  const std::vector<std::vector<std::string>> commands = {
      {"list"},
      {"get", id},
      {"show", id},
      {"save", doc},
      {"delete", id},
      {"cleanup", "--older-than", "7d"},
      {"verify"},
      {"register", "--strategy", "s", "--symbol", "BTC", "--start-date", "2024-01-01", "--end-date",
       "2024-01-02"},
      {"fail", id, "--error", "x"},
      {"db", "status"},
      {"db", "url"},
      {"db", "migrate"}};
  for (const std::string& url : urls) {
    for (const auto& args : commands) {
      std::vector<std::string> flag = {BTSTORE_CLI, "--database-url", url, "--home", root_->str()};
      flag.insert(flag.end(), args.begin(), args.end());
      RunOptions env;
      env.env["BTSTORE_DATABASE_URL"] = url;
      env.timeout_seconds = 30;
      std::vector<std::string> plain = {BTSTORE_CLI, "--home", root_->str()};
      plain.insert(plain.end(), args.begin(), args.end());
      for (const RunResult& r : {run_process(flag, env), run_process(plain, env)}) {
        SCOPED_TRACE(url + " " + args[0] + " " + (args.size() > 1 ? args[1] : ""));
        EXPECT_TRUE(r.started);
        EXPECT_FALSE(r.timed_out);
        // `db status` and `db url` may succeed in describing an unreachable server.
        if (args[0] != "db") {
          EXPECT_NE(r.exit_code, 0) << r.describe();
        }
        const std::string all = r.out + r.err;
        EXPECT_EQ(all.find("Secr3t"), std::string::npos) << all;
        EXPECT_EQ(all.find("Hunter2"), std::string::npos) << all;
      }
    }
  }
}

}  // namespace
}  // namespace btstore::testing
