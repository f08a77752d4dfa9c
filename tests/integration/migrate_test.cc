// btstore migrate: the backfill of a legacy JSON store into PostgreSQL +
// Parquet, killed and resumed, in parallel, idempotent, with conflicts.
#include "migration/migrate.h"

#include <gtest/gtest.h>

#include <random>

#include "legacy_corpus.h"
#include "storage/stored_reader.h"
#include "storage_fixture.h"

namespace btstore::testing {
namespace {

std::string scratch_parent() { return fs::is_directory("/dev/shm") ? "/dev/shm" : "/tmp"; }

class Migrate : public StorageFixture {
 protected:
  migration::MigrateOptions migrate_options(int jobs) const {
    migration::MigrateOptions o;
    o.storage = options();
    o.from = legacy_.path();
    o.jobs = jobs;
    return o;
  }

  // Every expected result is in the catalog, bit for bit, and nothing else is.
  void expect_catalog_holds(const LegacyCorpus& corpus) {
    auto expected = corpus.expected();
    EXPECT_EQ(row_count(), static_cast<int64_t>(expected.size()));
    auto reader = storage::StoredReader::open(options());
    ASSERT_TRUE(reader.ok()) << reader.status().to_string();
    size_t wrong = 0;
    for (const auto& [id, canonical] : expected) {
      auto stored = (*reader)->read(id);
      bool same = stored.ok() && stored->has_value() && (*stored)->canonical == canonical;
      if (!same && ++wrong < 5) ADD_FAILURE() << "task " << id << " not migrated as expected";
    }
    EXPECT_EQ(wrong, 0u);
  }

  TempDir legacy_{"btl", scratch_parent()};
};

int64_t number(simdjson::dom::element doc, const char* key) { return int64_t(doc[key]); }

TEST_F(Migrate, TwoThousandFilesKilledAtRandomPointsResumeToEveryResultExactlyOnce) {
  use_memory_root();
  LegacyCorpus corpus = LegacyCorpusBuilder(legacy_.path(), 42).build(1900);
  ASSERT_GE(corpus.files, 2000u);
  std::mt19937 rng(std::random_device{}());
  int killed = 0;
  for (int kill = 0; kill < 3; ++kill) {
    RunOptions run;
    run.timeout_seconds = std::uniform_real_distribution<double>(0.2, 2.5)(rng);
    RunResult r = cli({"migrate", "--from", legacy_.str(), "--jobs", "2"}, run);
    ASSERT_TRUE(r.started);
    killed += r.timed_out;
    if (!r.timed_out) {  // it finished before the kill: then it must have reported normally
      EXPECT_EQ(r.exit_code, 1) << r.describe();
    }
  }
  EXPECT_GT(killed, 0) << "no run was killed: the corpus migrates too fast for this test";
  RunResult r = cli({"migrate", "--from", legacy_.str(), "--jobs", "2", "--verify", "--json"},
                    RunOptions{"", {}, 120});
  EXPECT_EQ(r.exit_code, 1) << r.describe();  // the invalid files
  simdjson::dom::parser parser;
  auto report = parse_json(parser, r.out);
  EXPECT_EQ(number(report, "files"), static_cast<int64_t>(corpus.files));
  EXPECT_EQ(number(report, "failed"), static_cast<int64_t>(corpus.invalid));
  EXPECT_EQ(number(report, "conflicts"), static_cast<int64_t>(corpus.conflicts()));
  EXPECT_EQ(number(report, "migrated") + number(report, "skipped") + number(report, "conflicts") +
                number(report, "failed"),
            static_cast<int64_t>(corpus.files));
  EXPECT_EQ(number(report, "verified"), number(report, "migrated"));
  EXPECT_GT(number(report, "bytes_after"), 0);
  for (auto p : report["problems"].get_array()) {
    EXPECT_FALSE(str(p["detail"]).empty()) << str(p["file"]);
  }
  expect_catalog_holds(corpus);

  // Killed saves may have left staging directories: repair sweeps them, and
  // nothing else is wrong with the store.
  int64_t rows = row_count();
  RunResult repair = cli({"verify", "--repair", "--grace", "0s", "--json"});
  EXPECT_EQ(repair.exit_code, 0) << repair.describe();
  for (auto p : parse_json(parser, repair.out)["problems"].get_array()) {
    EXPECT_TRUE(bool(p["repaired"])) << str(p["kind"]) << ": " << str(p["detail"]);
    EXPECT_TRUE(p["task_id"].is_null()) << str(p["kind"]) << ": " << str(p["detail"]);
  }
  EXPECT_EQ(row_count(), rows);

  // Idempotent: a further run migrates nothing.
  RunResult again = cli({"migrate", "--from", legacy_.str(), "--json"});
  auto second = parse_json(parser, again.out);
  EXPECT_EQ(number(second, "migrated"), 0);
  EXPECT_EQ(number(second, "skipped"),
            static_cast<int64_t>(corpus.files - corpus.invalid - corpus.conflicts()));
}

TEST_F(Migrate, OneAndFourJobsGiveTheSameOutcomeForEveryFile) {
  use_memory_root();
  LegacyCorpus corpus = LegacyCorpusBuilder(legacy_.path(), 7).build(150);
  auto one = migration::migrate(migrate_options(1));
  ASSERT_TRUE(one.ok()) << one.status().to_string();
  expect_catalog_holds(corpus);
  sql("TRUNCATE backtest_results");
  root_ = std::make_unique<TempDir>("bt", scratch_parent());
  auto four = migration::migrate(migrate_options(4));
  ASSERT_TRUE(four.ok()) << four.status().to_string();
  expect_catalog_holds(corpus);
  ASSERT_EQ(one->outcomes.size(), four->outcomes.size());
  for (size_t i = 0; i < one->outcomes.size(); ++i) {
    const auto &a = one->outcomes[i], &b = four->outcomes[i];
    EXPECT_EQ(a.file, b.file);
    EXPECT_EQ(a.outcome, b.outcome) << a.file << ": " << a.detail << " / " << b.detail;
    EXPECT_EQ(a.task_id, b.task_id);
  }
  EXPECT_EQ(one->failed, corpus.invalid);
  EXPECT_EQ(one->conflicts, corpus.conflicts());
  EXPECT_EQ(one->skipped, corpus.identical_copies);
  EXPECT_EQ(one->bytes_after, four->bytes_after);
}

TEST_F(Migrate, DryRunWritesNothingAndStatusCountsWhatIsLeft) {
  LegacyCorpus corpus = LegacyCorpusBuilder(legacy_.path(), 3).build(20);
  auto o = migrate_options(2);
  o.dry_run = true;
  auto dry = migration::migrate(o);
  ASSERT_TRUE(dry.ok()) << dry.status().to_string();
  EXPECT_EQ(dry->migrated, corpus.expected().size());
  EXPECT_EQ(row_count(), 0);
  simdjson::dom::parser parser;
  RunResult before = cli({"migrate", "status", "--from", legacy_.str(), "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.describe();
  auto s = parse_json(parser, before.out);
  EXPECT_EQ(number(s, "missing"), static_cast<int64_t>(corpus.expected().size()));
  EXPECT_EQ(number(s, "invalid"), static_cast<int64_t>(corpus.invalid));
  EXPECT_FALSE(bool(s["complete"]));
  ASSERT_TRUE(migration::migrate(migrate_options(2)).ok());
  RunResult after = cli({"migrate", "status", "--from", legacy_.str(), "--json"});
  auto t = parse_json(parser, after.out);
  EXPECT_EQ(number(t, "missing"), 0);
  EXPECT_EQ(number(t, "migrated"),
            static_cast<int64_t>(corpus.files - corpus.invalid - corpus.conflicts()));
  EXPECT_EQ(number(t, "conflicts"), static_cast<int64_t>(corpus.conflicts()));
}

TEST_F(Migrate, AConflictIsLeftAloneUnlessReplace) {
  std::mt19937_64 rng(11);
  model::BacktestResult saved = tiny_result(rng), legacy = tiny_result(rng);
  legacy.header.task_id = saved.header.task_id;
  auto storage = open_storage();
  ASSERT_TRUE(storage->save_result(json::write_result(saved, 0), false).ok());
  std::ofstream(legacy_.path() / (saved.header.task_id + ".json")) << json::write_result(legacy, 2);

  RunResult r = cli({"migrate", "--from", legacy_.str()});
  EXPECT_EQ(r.exit_code, 4) << r.describe();
  EXPECT_NE(r.out.find("conflict"), std::string::npos) << r.out;
  auto reader = storage::StoredReader::open(options());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*(*reader)->read(saved.header.task_id))->canonical, json::write_result(saved, 0));

  r = cli({"migrate", "--from", legacy_.str(), "--replace", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  simdjson::dom::parser parser;
  EXPECT_EQ(number(parse_json(parser, r.out), "replaced"), 1);
  EXPECT_EQ((*(*reader)->read(saved.header.task_id))->canonical, json::write_result(legacy, 0));
  r = cli({"migrate", "--from", legacy_.str(), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(number(parse_json(parser, r.out), "skipped"), 1);
}

TEST_F(Migrate, ARegisteredRunningTaskIsCompletedByItsLegacyResult) {
  std::mt19937_64 rng(5);
  model::BacktestResult r = tiny_result(rng);
  auto storage = open_storage();
  RunningTask task;
  task.task_id = r.header.task_id;
  task.strategy = "s";
  task.start_date = "2024-01-01";
  task.end_date = "2024-01-02";
  ASSERT_TRUE(storage->register_running(task).ok());
  std::ofstream(legacy_.path() / (r.header.task_id + ".json.gz"))
      << *legacy::gzip(json::write_result(r, 0));
  auto report = migration::migrate(migrate_options(1));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->migrated, 1u) << (report->outcomes.empty() ? "" : report->outcomes[0].detail);
  EXPECT_EQ(scalar("SELECT status FROM backtest_results"), r.header.status);
}

TEST_F(Migrate, FreqtradeFilesAreReportedAsFailedWithTheValidationMessage) {
  for (const char* sub : {"backtest_results", "legacy"}) {
    std::string dir = std::string(BTSTORE_TESTDATA_DIR) + "/freqtrade/" + sub;
    RunResult r = cli({"migrate", "--from", dir, "--json"});
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    simdjson::dom::parser parser;
    auto report = parse_json(parser, r.out);
    EXPECT_GT(number(report, "files"), 0);
    EXPECT_EQ(number(report, "failed"), number(report, "files"));
    EXPECT_EQ(number(report, "migrated"), 0);
    for (auto p : report["problems"].get_array()) {
      std::string detail = str(p["detail"]);
      EXPECT_NE(detail.find(str(p["file"])), std::string::npos) << detail;
      EXPECT_NE(detail.find("invalid argument"), std::string::npos) << detail;
    }
  }
  EXPECT_EQ(row_count(), 0);
}

}  // namespace
}  // namespace btstore::testing
