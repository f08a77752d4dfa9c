// save_results() and `btstore save --jobs`: many documents saved side by side against a real
// PostgreSQL, reported in input order, with inputs of one task_id kept in input order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "storage_fixture.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

class BatchSaveTest : public StorageFixture {
 protected:
  struct Outcome {
    size_t index;
    Result<std::string> task_id;
  };

  // Saves `docs` (an empty one stands for an input that cannot be read) with `jobs` jobs.
  std::vector<Outcome> save_all(const std::vector<std::string>& docs, int jobs,
                                bool replace = false) {
    std::vector<Outcome> outcomes;
    std::mutex mu;
    auto read = [&](size_t i) -> Result<std::string> {
      if (docs[i].empty()) return Status::NotFound("input " + std::to_string(i) + " is missing");
      return docs[i];
    };
    auto done = [&](size_t i, const Result<std::string>& id) {
      std::unique_lock lock(mu, std::try_to_lock);
      EXPECT_TRUE(lock.owns_lock()) << "done() called by two threads at once";
      outcomes.push_back({i, id});
    };
    BatchSaveOptions batch;
    batch.jobs = jobs;
    batch.replace = replace;
    const Status st = save_results(options(), docs.size(), read, done, batch);
    EXPECT_TRUE(st.ok()) << st.to_string();
    return outcomes;
  }

  std::string strategy_of(const std::string& task_id) {
    return scalar("SELECT strategy FROM backtest_results WHERE task_id = $1::uuid", {task_id});
  }

  static void expect_input_order(const std::vector<Outcome>& outcomes, size_t count) {
    ASSERT_EQ(outcomes.size(), count);
    for (size_t i = 0; i < count; ++i) EXPECT_EQ(outcomes[i].index, i);
  }
};

TEST_F(BatchSaveTest, SavesEveryInputAndReportsThemInInputOrder) {
  use_memory_root();
  std::vector<std::string> docs, ids;
  for (int i = 0; i < 16; ++i) {
    ids.push_back(generate_uuid_v4());
    docs.push_back(result_json(ResultSpec().id(ids.back()).rows(3 + i, 4)));
  }
  const std::vector<Outcome> outcomes = save_all(docs, 3);
  expect_input_order(outcomes, docs.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].task_id.ok()) << outcomes[i].task_id.status().to_string();
    EXPECT_EQ(*outcomes[i].task_id, ids[i]);
  }
  EXPECT_EQ(row_count(), 16);
  auto storage = open_storage();
  ASSERT_NE(storage, nullptr);
  for (const std::string& id : ids) {
    auto got = storage->get_summary(id);
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ((*got)[0].total_signals,
              std::stoi(scalar("SELECT record_count FROM backtest_results WHERE task_id = $1::uuid",
                               {id})));
  }
  EXPECT_TRUE(problems(*storage).empty()) << describe(problems(*storage));
}

// One task_id in several inputs, among others: the outcome is that of saving them in turn. The
// first of them takes longest to save, so that side by side without order a later one would end
// first.
TEST_F(BatchSaveTest, InputsOfOneTaskIdEndAsIfSavedOneAfterTheOther) {
  use_memory_root();
  const std::string shared = generate_uuid_v4();
  std::string upper = shared;  // the same task once canonical
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  std::vector<std::string> docs = {
      result_json(ResultSpec()),
      result_json(ResultSpec().id(shared).named("first").rows(4000, 4000)),
      result_json(ResultSpec().id(upper).named("second")),
      result_json(ResultSpec()),
      result_json(ResultSpec().id(shared).named("third")),
      result_json(ResultSpec()),
  };
  // Without replace the first is saved and every later one finds it there.
  std::vector<Outcome> outcomes = save_all(docs, 4);
  expect_input_order(outcomes, docs.size());
  EXPECT_TRUE(outcomes[1].task_id.ok()) << outcomes[1].task_id.status().to_string();
  EXPECT_EQ(outcomes[2].task_id.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(outcomes[4].task_id.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(strategy_of(shared), "first");
  // With replace, each is saved in turn and the last one stays, run after run.
  docs[4] = result_json(ResultSpec().id(shared).named("third").rows(4000, 4000));
  docs.push_back(result_json(ResultSpec().id(shared).named("fourth")));
  for (int round = 0; round < 3; ++round) {
    outcomes = save_all(docs, 4, /*replace=*/true);
    expect_input_order(outcomes, docs.size());
    for (const Outcome& o : outcomes) EXPECT_TRUE(o.task_id.ok()) << o.task_id.status().to_string();
    EXPECT_EQ(strategy_of(shared), "fourth") << "round " << round;
  }
  auto storage = open_storage();
  ASSERT_NE(storage, nullptr);
  EXPECT_TRUE(problems(*storage).empty()) << describe(problems(*storage));
}

TEST_F(BatchSaveTest, ABadInputFailsAloneAndTheOthersAreSaved) {
  use_memory_root();
  std::vector<std::string> docs = {result_json(ResultSpec()), "",  // cannot be read
                                   R"({"task_id": "not json)", result_json(ResultSpec()),
                                   result_json(ResultSpec().rows(0, 0))};
  const std::vector<Outcome> outcomes = save_all(docs, 2);
  expect_input_order(outcomes, docs.size());
  EXPECT_TRUE(outcomes[0].task_id.ok());
  EXPECT_EQ(outcomes[1].task_id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(outcomes[2].task_id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(outcomes[3].task_id.ok());
  EXPECT_TRUE(outcomes[4].task_id.ok());
  EXPECT_EQ(row_count(), 3);
  auto storage = open_storage();
  ASSERT_NE(storage, nullptr);
  EXPECT_TRUE(problems(*storage).empty()) << describe(problems(*storage));
}

// One job reads and parses its next input while it saves one: input 1 is read before input 0's
// outcome is reported (done(0) waits for that read; saved one after the other, it would wait
// in vain and the test fail).
TEST_F(BatchSaveTest, AJobReadsItsNextInputWhileItSavesOne) {
  use_memory_root();
  const std::vector<std::string> docs = {result_json(ResultSpec()), result_json(ResultSpec()),
                                         result_json(ResultSpec())};
  std::mutex mu;
  std::condition_variable read_one;
  bool one_read = false;
  bool waited_in_vain = false;
  std::vector<size_t> reported;
  auto read = [&](size_t i) -> Result<std::string> {
    if (i == 1) {
      std::lock_guard lock(mu);
      one_read = true;
      read_one.notify_all();
    }
    return docs[i];
  };
  auto done = [&](size_t i, const Result<std::string>& id) {
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    std::unique_lock lock(mu);
    if (i == 0) waited_in_vain = !read_one.wait_for(lock, 20s, [&] { return one_read; });
    reported.push_back(i);
  };
  BatchSaveOptions batch;
  batch.jobs = 1;
  ASSERT_TRUE(save_results(options(), docs.size(), read, done, batch).ok());
  EXPECT_FALSE(waited_in_vain) << "input 1 was read only after input 0 was saved";
  EXPECT_EQ(reported, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(row_count(), 3);
}

// A document too large to be parsed ahead is parsed when its save begins, between two that are.
TEST_F(BatchSaveTest, ALargeInputIsSavedBetweenSmallOnes) {
  use_memory_root();
  const std::string large_id = generate_uuid_v4();
  std::string large = result_json(ResultSpec().id(large_id).rows(20, 5));
  large.append(size_t{33} << 20, ' ');  // past the 32 MiB a job parses ahead
  const std::vector<std::string> docs = {result_json(ResultSpec()), large,
                                         result_json(ResultSpec()), large};
  const std::vector<Outcome> outcomes = save_all(docs, 1);
  expect_input_order(outcomes, docs.size());
  EXPECT_TRUE(outcomes[0].task_id.ok());
  ASSERT_TRUE(outcomes[1].task_id.ok()) << outcomes[1].task_id.status().to_string();
  EXPECT_EQ(*outcomes[1].task_id, large_id);
  EXPECT_TRUE(outcomes[2].task_id.ok());
  EXPECT_EQ(outcomes[3].task_id.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(row_count(), 3);
  EXPECT_EQ(
      scalar("SELECT record_count FROM backtest_results WHERE task_id = $1::uuid", {large_id}),
      "20");
}

TEST_F(BatchSaveTest, NoStorageNoSaveAndNoReport) {
  StorageOptions unreachable = options();
  unreachable.database_url = "postgresql://btstore@127.0.0.1:1/btstore?connect_timeout=5";
  size_t reads = 0, reports = 0;
  const Status st = save_results(
      unreachable, 3,
      [&](size_t) -> Result<std::string> { return ++reads, result_json(ResultSpec()); },
      [&](size_t, const Result<std::string>&) { ++reports; }, BatchSaveOptions{false, 2});
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(reads, 0u);
  EXPECT_EQ(reports, 0u);
  // Nothing to save: nothing opened, nothing to fail.
  EXPECT_TRUE(save_results(unreachable, 0, {}, {}).ok());
}

TEST_F(BatchSaveTest, CliJobsReportInTheOrderOfTheFiles) {
  use_memory_root();
  const std::string id = generate_uuid_v4();
  std::vector<std::string> args = {"save", "--jobs", "3", "--json"};
  for (int i = 0; i < 7; ++i) {
    const bool dup = i == 2 || i == 5;
    args.push_back(write_file("r" + std::to_string(i) + ".json",
                              result_json(dup ? ResultSpec().id(id) : ResultSpec())));
  }
  args.push_back((scratch_.path() / "missing.json").string());
  RunResult run = cli(args);
  // The first failure's code: 1 for "already exists", not 3 for the missing file after it.
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  std::vector<std::string> lines;
  for (size_t from = 0, nl; (nl = run.out.find('\n', from)) != std::string::npos; from = nl + 1) {
    lines.push_back(run.out.substr(from, nl - from));
  }
  ASSERT_EQ(lines.size(), 8u) << run.out;
  simdjson::dom::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::element line = parse_json(parser, lines[i]);
    EXPECT_EQ(str(line["file"]), args[4 + i]);
    const bool ok = bool(line["ok"]);
    EXPECT_EQ(ok, i != 5 && i != 7) << lines[i];
    if (i == 2) {
      EXPECT_EQ(str(line["task_id"]), id);
    }
    if (i == 5) {
      EXPECT_NE(str(line["error"]).find("already saved"), std::string::npos) << lines[i];
    }
  }
  EXPECT_EQ(row_count(), 6);
}

TEST_F(BatchSaveTest, CliRefusesStandardInputTwice) {
  RunOptions run;
  run.stdin_data = result_json(ResultSpec());
  RunResult r = cli({"save", "-", "-"}, run);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("'-' (standard input) is given more than once"), std::string::npos) << r.err;
  EXPECT_EQ(row_count(), 0);
}

}  // namespace
}  // namespace btstore::testing
