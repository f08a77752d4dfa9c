// kill -9 at random moments under load: a writer process (`btstore save F1..Fn --json`, which
// reports each save on its own line, in the order of the files, once it and the earlier ones
// are done) is killed after a random delay. Saves it reported are there in full. Every other
// round saves one file at a time (--jobs 1): then the one in flight may or may not be there,
// and the ones it never reached are absent. The other rounds save two at a time (--jobs 2):
// then any unreported save may be there (a later file can be done while an earlier one is
// not), but only whole.
#include <gtest/gtest.h>

#include <random>

#include "common/uuid.h"
#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

// More than a writer gets through in the longest delay, so nearly every writer is killed.
constexpr int kFilesPerWriter = 48;

class RandomKillTest : public FaultFixture {
 protected:
  // The task ids the writer reported as saved (lines {"file":...,"ok":true,"task_id":...}).
  static std::set<std::string> reported(const std::string& out) {
    std::set<std::string> ids;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"ok\":true") == std::string::npos) continue;
      size_t at = line.find("\"task_id\":\"");
      if (at != std::string::npos) ids.insert(line.substr(at + 11, 36));
    }
    return ids;
  }
};

TEST_F(RandomKillTest, WriterKilledAtRandomMomentsLosesNothingReported) {
  const int kills = scaled(300, 3000);
  const int batch = 10;
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(5, 400);
  std::uniform_int_distribution<int> size_pick(0, 19);
  std::map<std::string, Expected> expected;
  int reported_total = 0, in_flight_present = 0, killed = 0, finished = 0, failures = 0;
  for (int round = 0; round < kills && failures < 3; ++round) {
    const bool one_at_a_time = round % 2 == 0;
    std::vector<std::string> args = {"save", "--json", "--jobs", one_at_a_time ? "1" : "2"};
    std::vector<std::pair<std::string, std::string>> docs;  // id, digest
    for (int i = 0; i < kFilesPerWriter; ++i) {
      const std::string id = generate_uuid_v4();
      // Mostly tiny results, some of ~1 MB, so kills land in encoding and in writing.
      const std::string json = document(size_pick(rng) == 0 ? Size::kSmall : Size::kTiny, id);
      docs.emplace_back(id, content_digest(json));
      args.push_back(write_file("w" + std::to_string(i) + ".json", json));
    }
    RunOptions run;
    run.timeout_seconds = delay_ms(rng) / 1000.0;
    RunResult r = testing::run_process(cli_argv(args), run);
    r.timed_out ? ++killed : ++finished;
    const std::set<std::string> ok = reported(r.out);
    reported_total += static_cast<int>(ok.size());
    bool in_flight_seen = false;
    for (const auto& [id, digest] : docs) {
      if (ok.count(id) != 0) {
        expected[id] = Expected::saved(digest);
      } else if (!in_flight_seen || !one_at_a_time) {
        expected[id] = Expected::maybe({digest});  // a save the kill interrupted
        in_flight_seen = true;
        if (store().get_entry(id).ok()) ++in_flight_present;
      }  // one at a time, the rest were never started: they must be absent
    }
    if ((round + 1) % batch == 0 || round + 1 == kills) {
      StoreCheck c = check(expected);
      EXPECT_TRUE(c.ok()) << "after round " << round + 1 << ": " << c.describe();
      if (!c.ok()) ++failures;
      // The next save of a task the kill interrupted succeeds (replacing it when it got through).
      for (const auto& [id, e] : expected) {
        if (!e.may_be_absent) continue;
        const bool exists = store().get_entry(id).ok();
        auto saved = store().save_result(document(Size::kTiny, id), exists);
        EXPECT_TRUE(saved.ok()) << saved.status().to_string();
      }
      expected.clear();
      reset_store();
    }
  }
  std::printf(
      "[ figures ] %d writers: %d killed, %d finished before the kill; %d saves "
      "reported; %d unreported saves had committed; %d inconsistent batches\n",
      kills, killed, finished, reported_total, in_flight_present, failures);
  EXPECT_GT(killed, kills / 2);
}

}  // namespace
}  // namespace btstore::faults
