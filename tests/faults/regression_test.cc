// Faults the suite found, each pinned by a direct test.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

class RegressionTest : public FaultFixture {};

// A --replace killed between its directory swap and COMMIT left the old row over the new
// files, which verify reported and repair could not mend. Repair now swaps the replaced files
// (waiting in .staging) back.
TEST_F(RegressionTest, ReplaceKilledAfterTheSwapIsRepairedToTheOldVersion) {
  const std::string id = fixed_id(1);
  const std::string v0 = document(Size::kSmall, id, 0), v1 = document(Size::kSmall, id, 1);
  const std::vector<std::string> args = {"save", "--replace", write_file("new.json", v1)};
  save_ok(v0);
  Trace t = record_trace(cli_argv(args), kill_syscalls(), scratch_.path() / "trace.log");
  ASSERT_EQ(t.run.exit_code, 0) << t.run.describe();
  // The call right after the successful RENAME_EXCHANGE.
  size_t swap = 0;
  for (size_t i = 0; i < t.events.size(); ++i) {
    if (t.events[i].name == "renameat2" && t.events[i].line.find("= 0") != std::string::npos) {
      swap = i;
      break;
    }
  }
  ASSERT_GT(swap, 0u);
  ASSERT_LT(swap + 1, t.events.size());
  reset_store();
  save_ok(v0);
  const SyscallEvent& after = t.events[swap + 1];
  RunResult r = run_injected(cli_argv(args), after.name, after.ordinal, "signal=SIGKILL");
  ASSERT_EQ(r.signal, SIGKILL) << r.describe();

  RunResult before = testing::run_process(cli_argv({"verify", "--grace", "0s"}));
  EXPECT_EQ(before.exit_code, 4) << before.describe();
  EXPECT_NE((before.out + before.err).find("--replace"), std::string::npos) << before.describe();
  StoreCheck c = check({{id, Expected::saved(content_digest(v0))}});
  EXPECT_TRUE(c.ok()) << c.describe();
  save_ok(v1, /*replace=*/true);
  StoreCheck done = check({{id, Expected::saved(content_digest(v1))}});
  EXPECT_TRUE(done.ok()) << done.describe();
}

// verify read metadata.json's etags and task_id only: any other damage that still parsed
// (spaces, the strategy, the dates, the metadata object, the compression) went unnoticed.
TEST_F(RegressionTest, VerifyNoticesMetadataJsonThatStillParses) {
  const std::string id = fixed_id(2);
  save_ok(document(Size::kTiny, id));
  const fs::path path = result_dir(id) / "metadata.json";
  const std::string original = read_all(path);
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string text = original;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  };
  auto problems = [&] {
    VerifyOptions v;
    v.task_ids = {id};
    auto p = store().verify(v);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->size() : 0u;
  };
  EXPECT_EQ(problems(), 0u);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"volume_zone_breakout", "volume_zone_breakouT"},
           {"2024-01-31", "2024-01-30"},
           {"integration test", "integration tesT"},
           {"snappy", "snapp`"},
           {"\n}", "}"},
           {": ", ":  "}}) {
    SCOPED_TRACE(from + " -> " + to);
    edit(from, to);
    EXPECT_GT(problems(), 0u);
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << original;
  EXPECT_EQ(problems(), 0u);
}

}  // namespace
}  // namespace btstore::faults
