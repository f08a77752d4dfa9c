// The embedded default: with no database configured at all (no URL, no PG*
// variables) btstore creates, starts and uses its own PostgreSQL under --home,
// as a newcomer would run it. As root the server runs as an unprivileged user.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "json/result_parser.h"
#include "json/result_writer.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace btstore::testing {
namespace {

namespace fs = std::filesystem;

// Every variable that would point btstore at another server or home.
RunOptions no_database_configured() {
  RunOptions o;
  for (const char* name :
       {"BTSTORE_DATABASE_URL", "BTSTORE_HOME", "BTSTORE_ROOT", "PGHOST", "PGHOSTADDR", "PGPORT",
        "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS",
        "PGAPPNAME", "PGCONNECT_TIMEOUT"}) {
    o.env[name] = std::nullopt;
  }
  o.timeout_seconds = 120;  // the first command runs initdb
  return o;
}

class EmbeddedDefault : public ::testing::Test {
 protected:
  ~EmbeddedDefault() override {
    // Never leave a server running, whatever the test did.
    (void)btstore({"db", "stop"});
  }

  RunResult btstore(std::vector<std::string> args) {
    std::vector<std::string> argv = {BTSTORE_CLI, "--home", home_.str()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, no_database_configured());
  }

  TempDir home_{"bt"};  // short: the socket path must fit 107 bytes
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(EmbeddedDefault, SaveListShowAndManageTheServerWithNothingConfigured) {
  const fs::path example = fs::path(BTSTORE_SOURCE_DIR) / "examples" / "basic.json";
  const std::string input = read_text(example);
  auto model = json::parse_result(input);
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  const std::string id = model->header.task_id;

  RunResult saved = btstore({"save", example.string()});
  ASSERT_EQ(saved.exit_code, 0) << saved.describe();
  EXPECT_NE(saved.out.find("saved " + id), std::string::npos) << saved.out;
  EXPECT_TRUE(fs::exists(home_.path() / "backtests" / id / "metadata.json"));
  EXPECT_TRUE(fs::exists(home_.path() / "pg" / "data" / "PG_VERSION"));

  RunResult listed = btstore({"list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.describe();
  simdjson::dom::parser parser;
  simdjson::dom::element list = parser.parse(listed.out);
  simdjson::dom::array results = list["results"];
  ASSERT_EQ(results.size(), 1u) << listed.out;
  EXPECT_EQ(std::string_view(results.at(0)["task_id"]), id);

  RunResult table = btstore({"list"});
  ASSERT_EQ(table.exit_code, 0) << table.describe();
  EXPECT_NE(table.out.find(id), std::string::npos) << table.out;

  RunResult shown = btstore({"show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.describe();
  EXPECT_NE(shown.out.find("task_id       " + id), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("SYMBOL"), std::string::npos) << shown.out;

  RunResult got = btstore({"get", id});
  ASSERT_EQ(got.exit_code, 0) << got.describe();
  const std::string expected = json::write_result(*model, 0);
  EXPECT_EQ(got.out.substr(0, expected.size() - 1), expected.substr(0, expected.size() - 1));

  // db status: the embedded cluster, running, not as root, schema current.
  RunResult status = btstore({"db", "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.describe();
  simdjson::dom::parser p2;
  simdjson::dom::element s = p2.parse(status.out);
  EXPECT_EQ(std::string_view(s["source"]), "embedded");
  EXPECT_TRUE(bool(s["running"])) << status.out;
  EXPECT_GT(int64_t(s["pid"]), 0);
  EXPECT_EQ(int64_t(s["pending_migrations"]), 0);
  EXPECT_EQ(std::string_view(s["data_dir"]), (home_.path() / "pg" / "data").string());
  if (::geteuid() == 0) {
    EXPECT_NE(std::string_view(s["run_as"]), "root");
  }
  RunResult human = btstore({"db", "status"});
  ASSERT_EQ(human.exit_code, 0) << human.describe();
  EXPECT_NE(human.out.find("running:    yes"), std::string::npos) << human.out;

  RunResult url = btstore({"db", "url"});
  ASSERT_EQ(url.exit_code, 0) << url.describe();
  EXPECT_EQ(url.out, "postgresql:///btstore?host=" + (home_.path() / "pg").string() +
                         "&port=5432&user=btstore\n");

  RunResult stopped = btstore({"db", "stop"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.describe();
  simdjson::dom::parser p3;
  RunResult after = btstore({"db", "status", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.describe();
  EXPECT_FALSE(bool(p3.parse(after.out)["running"])) << after.out;
  EXPECT_FALSE(fs::exists(home_.path() / "pg" / ".s.PGSQL.5432"));

  // Any command starts it again on demand; the result is still there.
  RunResult again = btstore({"list", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_NE(again.out.find(id), std::string::npos) << again.out;
  EXPECT_EQ(btstore({"verify"}).exit_code, 0);
  EXPECT_EQ(btstore({"db", "stop"}).exit_code, 0);
}

}  // namespace
}  // namespace btstore::testing
