// The clock of cleanup: `cleanup --older-than N` deletes the results created more than N ago by
// the database's clock. Rows are aged by SQL to N - 1 s, N and N + 1 s (created_at is the
// server's now() at insert), and the client runs under faketime far ahead, far behind and near
// the boundary: the client's clock must not matter, and nothing younger than N is ever deleted.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

constexpr char kFaketime[] = "/usr/bin/faketime";

struct Age {
  const char* flag;  // --older-than
  int64_t seconds;
};

class ClockTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (::access(kFaketime, X_OK) != 0) GTEST_SKIP() << "faketime is not installed";
  }

  // The task ids a `cleanup --json` reports deleted.
  static std::set<std::string> deleted(const std::string& out) {
    std::set<std::string> ids;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(out).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << out;
      return ids;
    }
    for (auto e : doc["deleted"].get_array()) {
      ids.insert(std::string(std::string_view(e["task_id"])));
    }
    return ids;
  }
};

TEST_F(ClockTest, CleanupNeverDeletesAResultYoungerThanTheLimit) {
  const std::vector<Age> ages = {{"90s", 90},         {"1d", 86400},      {"7d", 7 * 86400},
                                 {"168h", 7 * 86400}, {"2w", 14 * 86400}, {"30d", 30 * 86400}};
  const std::vector<std::string> client_clocks = {"", "+400d", "-400d", "+1d", "-1d", "+3600"};
  int runs = 0, premature = 0, late = 0;
  for (const Age& age : ages) {
    for (const std::string& clock : client_clocks) {
      SCOPED_TRACE(std::string("--older-than ") + age.flag + ", client clock " +
                   (clock.empty() ? "true" : clock));
      reset_store();
      const std::string older = fixed_id(1), exact = fixed_id(2), younger = fixed_id(3),
                        fresh = fixed_id(4);
      std::map<std::string, std::string> docs;
      for (const auto& id : {older, exact, younger, fresh}) {
        docs[id] = document(Size::kTiny, id);
        save_ok(docs[id]);
      }
      const std::string n = std::to_string(age.seconds);
      set_created_at(older, "now() - interval '" + n + " seconds' - interval '1 second'");
      set_created_at(exact, "now() - interval '" + n + " seconds'");
      set_created_at(younger, "now() - interval '" + n + " seconds' + interval '1 second'");
      std::vector<std::string> argv = cli_argv({"cleanup", "--older-than", age.flag, "--json"});
      if (!clock.empty()) argv.insert(argv.begin(), {kFaketime, "-f", clock});
      RunResult r = testing::run_process(argv);
      ASSERT_EQ(r.exit_code, 0) << r.describe();
      ++runs;
      // `exact` is N old at the UPDATE and older by the time cleanup asks: it goes too.
      const std::set<std::string> gone = deleted(r.out);
      premature += static_cast<int>(gone.count(younger) + gone.count(fresh));
      late += gone.count(older) == 0 || gone.count(exact) == 0;
      EXPECT_EQ(gone, (std::set<std::string>{older, exact})) << r.out;
      StoreCheck c = check({{younger, Expected::saved(content_digest(docs[younger]))},
                            {fresh, Expected::saved(content_digest(docs[fresh]))}});
      EXPECT_TRUE(c.ok()) << c.describe();
    }
  }
  std::printf(
      "[ figures ] %d cleanups (%zu ages x %zu client clocks): %d premature deletions, "
      "%d results kept past their age\n",
      runs, ages.size(), client_clocks.size(), premature, late);
}

}  // namespace
}  // namespace btstore::faults
