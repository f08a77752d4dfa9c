// ResultStorage through its C++ API against a real PostgreSQL and a real file
// system: save/get give back the exact document, duplicates, running and failed
// tasks, delete, and concurrent writers.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>

#include "json/result_parser.h"
#include "storage_fixture.h"
#include "support/random_result.h"

namespace btstore::testing {
namespace {

using namespace std::chrono_literals;

// get_result's text is write_result(saved model) with the catalog's fields
// appended; returns the document part, closed again.
std::string document_part(const std::string& got, const std::string& expected_doc) {
  if (got.size() < expected_doc.size()) return got;
  return got.substr(0, expected_doc.size() - 1) + "}";
}

class StorageTest : public StorageFixture {
 protected:
  // Saves, reads back and checks the document is the one saved, bit for bit.
  void expect_round_trip(ResultStorage& storage, const model::BacktestResult& original) {
    std::string input = json::write_result(original, 2);
    auto id = storage.save_result(input);
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    ASSERT_EQ(*id, original.header.task_id);
    auto got = storage.get_result(*id);
    ASSERT_TRUE(got.ok()) << got.status().to_string();

    auto reparsed_input = json::parse_result(input);
    ASSERT_TRUE(reparsed_input.ok());
    std::string expected_doc = json::write_result(*reparsed_input, 0);
    std::string doc = document_part(*got, expected_doc);
    EXPECT_EQ(doc, expected_doc);
    auto back = json::parse_result(doc);
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(result_difference(*back, original), "");

    // The catalog's fields follow the document's members (parsed alone: the
    // document's metadata may hold numbers a DOM parser refuses).
    ASSERT_GT(got->size(), expected_doc.size());
    EXPECT_EQ((*got)[expected_doc.size() - 1], ',');
    simdjson::dom::parser parser;
    simdjson::dom::element e = parse_json(parser, "{" + got->substr(expected_doc.size()));
    auto entry = storage.get_entry(*id);
    ASSERT_TRUE(entry.ok());
    EXPECT_EQ(str(e["created_at"]), entry->created_at);
    EXPECT_EQ(str(e["updated_at"]), entry->updated_at);
    EXPECT_EQ(str(e["parquet_path"]), "backtests/" + *id + "/");
    EXPECT_EQ(int64_t(e["record_count"]), int64_t(original.signals.num_rows()));
    int64_t parquet_bytes = 0;
    for (const auto& f : fs::directory_iterator(result_dir(*id))) {
      if (f.path().extension() == ".parquet") parquet_bytes += int64_t(f.file_size());
    }
    EXPECT_EQ(int64_t(e["file_size"]), parquet_bytes);
    EXPECT_TRUE(parse_timestamp(entry->created_at).ok()) << entry->created_at;
  }
};

TEST_F(StorageTest, GetGivesBackTheSavedDocumentWithCatalogFields) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  expect_round_trip(*storage, make_result(ResultSpec().with({"BTC/USDT", "ETH/USDT"}).rows(5, 2)));

  // Random documents: unicode and control characters, extreme doubles and
  // timestamps, nulls everywhere, and every status a document may carry.
  std::mt19937_64 rng(20240131);
  RandomResultOptions options;
  options.max_symbols = 4;
  options.max_signals = 40;
  options.max_curve = 40;
  for (int i = 0; i < 12; ++i) {
    SCOPED_TRACE("random result " + std::to_string(i));
    expect_round_trip(*storage, random_result(rng, options));
  }
  EXPECT_EQ(describe(problems(*storage)), "");
}

TEST_F(StorageTest, SavesMetadataWithNumbersBeyondDoubleRange) {
  // The document parser accepts any JSON number in metadata (it keeps the
  // text); the catalog must accept what the parser accepted, and get gives
  // the text back.
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  model::BacktestResult r = make_result(ResultSpec());
  r.header.metadata_json = R"({"big":1E400,"int":123456789012345678901234567890})";
  std::string input = json::write_result(r, 2);
  ASSERT_TRUE(json::parse_result(input).ok());
  expect_round_trip(*storage, *json::parse_result(input));
}

TEST_F(StorageTest, CatalogRowDescribesTheResult) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  ResultSpec spec =
      ResultSpec().named("rsi_reversal").with({"ETH/USDT", "BTC/USDT", "ADA/USDT"}).rows(3, 2);
  auto id = storage->save_result(result_json(spec));
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  auto e = storage->get_entry(*id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->strategy, "rsi_reversal");
  EXPECT_EQ(e->symbols, spec.symbols);  // document order, not sorted
  EXPECT_EQ(e->status, "completed");
  EXPECT_EQ(e->start_date, "2024-01-01");
  EXPECT_EQ(e->end_date, "2024-01-31");
  EXPECT_EQ(e->timeframe, "1h");
  EXPECT_EQ(e->record_count, 9);
  EXPECT_EQ(e->metadata_json, R"({"note": "integration test"})");
  EXPECT_EQ(e->parquet_path, "backtests/" + *id + "/");
  std::set<std::string> files;
  for (const auto& f : fs::directory_iterator(result_dir(*id))) {
    files.insert(f.path().filename().string());
  }
  EXPECT_EQ(files, (std::set<std::string>{"metadata.json", "performance_curve.parquet",
                                          "symbol_signals.parquet", "symbol_summary.parquet"}));
  EXPECT_EQ(store_entries(), std::set<std::string>{*id});  // no staging left behind
}

TEST_F(StorageTest, DuplicateIsRefusedUnlessReplaceWhichSwapsTheResult) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  const std::string id = generate_uuid_v4();
  auto first = storage->save_result(result_json(ResultSpec().id(id).rows(2, 2)));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto before = storage->get_result(id);
  ASSERT_TRUE(before.ok());

  auto again = storage->save_result(result_json(ResultSpec().id(id).rows(7, 2)));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(id), std::string::npos);
  EXPECT_NE(again.status().message().find("--replace"), std::string::npos);
  EXPECT_EQ(*storage->get_result(id), *before);
  EXPECT_EQ(store_entries(), std::set<std::string>{id});

  auto created = storage->get_entry(id)->created_at;
  auto replaced = storage->save_result(result_json(ResultSpec().id(id).rows(7, 2)), true);
  ASSERT_TRUE(replaced.ok()) << replaced.status().to_string();
  auto e = storage->get_entry(id);
  EXPECT_EQ(e->record_count, 7);
  EXPECT_EQ(e->created_at, created);
  EXPECT_GE(e->updated_at, created);
  auto after = json::parse_result(document_part(
      *storage->get_result(id), json::write_result(make_result(ResultSpec().id(id).rows(7, 2)))));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->signals.num_rows(), 7u);
  EXPECT_EQ(store_entries(), std::set<std::string>{id});  // the old files are gone
  EXPECT_EQ(row_count(), 1);
  EXPECT_EQ(describe(problems(*storage)), "");
}

TEST_F(StorageTest, InvalidDocumentsChangeNothing) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  for (std::string bad :
       {std::string("{\"task_id\": "), std::string("[]"), std::string(""),
        result_json(ResultSpec()).substr(0, 200), std::string(R"({"strategy": "x"})")}) {
    auto id = storage->save_result(bad);
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << id.status().to_string();
  }
  std::string reversed = result_json(ResultSpec());
  auto pos = reversed.find("\"2024-01-31\"");
  ASSERT_NE(pos, std::string::npos);
  reversed.replace(pos, 12, "\"2023-01-31\"");  // end before start
  EXPECT_FALSE(storage->save_result(reversed).ok());
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty());
}

// save_result() in two halves: the first touches neither the catalog nor the files, and the
// second stores what it parsed, from another thread and while another document is parsed.
TEST_F(StorageTest, PrepareSaveTouchesNothingAndSavePreparedStoresTheResult) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  model::BacktestResult without_id = make_result(ResultSpec().rows(7, 3));
  std::string text = json::write_result(without_id, 0);
  const std::string key = "\"task_id\":\"" + without_id.header.task_id + "\",";
  ASSERT_NE(text.find(key), std::string::npos) << text.substr(0, 200);
  text.erase(text.find(key), key.size());
  auto prepared = storage->prepare_save(text);
  ASSERT_TRUE(prepared.ok()) << prepared.status().to_string();
  const std::string id = prepared->task_id();
  EXPECT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty());

  auto second = std::async(std::launch::async,
                           [&] { return storage->prepare_save(result_json(ResultSpec())); });
  auto saved = std::async(std::launch::async, [&] {
                 return storage->save_prepared(std::move(*prepared));
               }).get();
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(*saved, id);  // the task_id generated by the parse is the one saved
  ASSERT_TRUE(second.get().ok());
  auto got = storage->get_result(id);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  auto back = json::parse_result(*got);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  without_id.header.task_id = id;
  EXPECT_EQ(back->signals, without_id.signals);
  EXPECT_EQ(back->curve, without_id.curve);
  EXPECT_EQ(row_count(), 1);

  auto bad = storage->prepare_save(R"({"strategy": "x"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument) << bad.status().to_string();
  EXPECT_EQ(describe(problems(*storage)), "");
}

TEST_F(StorageTest, UnknownAndMalformedTaskIds) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  const std::string unknown = generate_uuid_v4();
  EXPECT_EQ(storage->get_result(unknown).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage->get_entry(unknown).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage->get_summary(unknown).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage->delete_result(unknown).code(), StatusCode::kNotFound);
  EXPECT_EQ(storage->mark_failed(unknown, "x").code(), StatusCode::kNotFound);
  for (const char* bad : {"not-a-uuid", "", "550e8400e29b41d4a716446655440000",
                          "'; DROP TABLE backtest_results; --"}) {
    EXPECT_EQ(storage->get_result(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(storage->get_entry(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(storage->delete_result(bad).code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(storage->mark_failed(bad, "x").code(), StatusCode::kInvalidArgument) << bad;
  }
  // Upper case finds the lower-case row.
  auto id = storage->save_result(result_json(ResultSpec()));
  ASSERT_TRUE(id.ok());
  std::string upper = *id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(storage->get_result(upper).ok());
}

TEST_F(StorageTest, RegisterThenSaveCompletesTheRunningRow) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  RunningTask task = running_task("volume_zone_breakout", {"BTC/USDT"});
  task.timeframe = "1h";
  auto id = storage->register_running(task);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  auto running = storage->get_entry(*id);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->status, "running");
  EXPECT_FALSE(running->file_size);
  EXPECT_FALSE(running->record_count);
  EXPECT_EQ(storage->get_result(*id).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(result_dir(*id)));
  EXPECT_EQ(describe(problems(*storage)), "");  // a running row has no files to check

  auto saved = storage->save_result(result_json(ResultSpec().id(*id).rows(4, 2)));
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  auto done = storage->get_entry(*id);
  EXPECT_EQ(done->status, "completed");
  EXPECT_EQ(done->record_count, 4);
  EXPECT_TRUE(done->file_size);
  EXPECT_EQ(row_count(), 1);
  EXPECT_TRUE(storage->get_result(*id).ok());
  EXPECT_EQ(describe(problems(*storage)), "");

  // Registering the same id again is refused: it is taken.
  task.task_id = *id;
  EXPECT_EQ(storage->register_running(task).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(StorageTest, FailKeepsTheErrorInMetadataAndOnlyReplaceOverwritesIt) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  RunningTask task = running_task("s", {"BTC/USDT"});
  task.metadata_json = R"({"attempt": 2})";
  auto id = storage->register_running(task);
  ASSERT_TRUE(id.ok());
  const std::string error = "worker died: \"OOM\" \\ at 한글 🚀";
  ASSERT_TRUE(storage->mark_failed(*id, error).ok());
  auto e = storage->get_entry(*id);
  EXPECT_EQ(e->status, "failed");
  simdjson::dom::parser parser;
  auto meta = parse_json(parser, e->metadata_json);
  EXPECT_EQ(str(meta["error"]), error);
  EXPECT_EQ(int64_t(meta["attempt"]), 2);

  auto plain = storage->save_result(result_json(ResultSpec().id(*id)));
  EXPECT_EQ(plain.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(storage->get_entry(*id)->status, "failed");
  ASSERT_TRUE(storage->save_result(result_json(ResultSpec().id(*id)), true).ok());
  EXPECT_EQ(storage->get_entry(*id)->status, "completed");

  // A completed result cannot be marked failed: its files exist.
  EXPECT_EQ(storage->mark_failed(*id, "late").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(storage->get_entry(*id)->status, "completed");
}

TEST_F(StorageTest, DeleteRemovesRowAndFilesAndGoesOnPastMissingFiles) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  auto a = *storage->save_result(result_json(ResultSpec()));
  auto b = *storage->save_result(result_json(ResultSpec()));
  ASSERT_TRUE(storage->delete_result(a).ok());
  EXPECT_FALSE(fs::exists(result_dir(a)));
  EXPECT_EQ(storage->get_entry(a).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(storage->delete_result(a).code(), StatusCode::kNotFound);

  fs::remove_all(result_dir(b));  // the files went first (an earlier interrupted delete)
  EXPECT_TRUE(storage->delete_result(b).ok());
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty()) << ::testing::PrintToString(store_entries());
  EXPECT_EQ(describe(problems(*storage)), "");
}

TEST_F(StorageTest, VerifyTellsItsProgressOncePerResult) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(*storage->save_result(result_json(ResultSpec())));
  ASSERT_TRUE(storage->register_running(running_task("s", {})).ok());  // a row without files
  std::vector<std::pair<size_t, size_t>> calls;
  VerifyOptions v;
  v.progress = [&](size_t done, size_t total) { calls.emplace_back(done, total); };
  auto whole = storage->verify(v);
  ASSERT_TRUE(whole.ok()) << whole.status().to_string();
  EXPECT_TRUE(whole->empty()) << describe(*whole);
  using Calls = std::vector<std::pair<size_t, size_t>>;
  EXPECT_EQ(calls, (Calls{{1, 4}, {2, 4}, {3, 4}, {4, 4}}));

  // By task id: one call per id asked for, found or not.
  calls.clear();
  v.task_ids = {ids[1], generate_uuid_v4()};
  auto some = storage->verify(v);
  ASSERT_TRUE(some.ok()) << some.status().to_string();
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].kind, "no_row");
  EXPECT_EQ(calls, (Calls{{1, 2}, {2, 2}}));
}

TEST_F(StorageTest, VerifyChecksResultsSideBySideAndReportsInTheCatalogsOrder) {
  use_memory_root();
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  // More results than one batch of side-by-side checks, a few of them damaged; two keep
  // metadata that only PostgreSQL can compare, one of those changed in the row.
  std::vector<std::string> ids;
  for (int i = 0; i < 70; ++i) {
    model::BacktestResult r = make_result(ResultSpec());
    if (i == 3 || i == 60) r.header.metadata_json = R"({"big":1E400})";
    auto id = storage->save_result(json::write_result(r, 0));
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    ids.push_back(*id);
  }
  fs::remove(result_dir(ids[10]) / "symbol_summary.parquet");
  sql("UPDATE backtest_results SET record_count = 99 WHERE task_id = $1::uuid", {ids[65]});
  sql(R"(UPDATE backtest_results SET metadata = '{"big":1E401}' WHERE task_id = $1::uuid)",
      {ids[60]});

  auto verify_with = [&](int jobs, size_t* calls) {
    VerifyOptions v;
    v.jobs = jobs;
    v.progress = [calls](size_t, size_t) { ++*calls; };
    auto found = storage->verify(v);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? describe(*found) : std::string();
  };
  size_t calls_alone = 0, calls_side_by_side = 0;
  const std::string alone = verify_with(1, &calls_alone);
  const std::string side_by_side = verify_with(3, &calls_side_by_side);
  EXPECT_EQ(side_by_side, alone);
  EXPECT_EQ(calls_alone, 70u);
  EXPECT_EQ(calls_side_by_side, 70u);
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = alone.find('\n', at)) != std::string::npos; at = end + 1) {
    lines.push_back(alone.substr(at, end - at));
  }
  ASSERT_EQ(lines.size(), 3u) << alone;
  // Newest first, as the catalog lists them.
  EXPECT_EQ(lines[0],
            "row_count " + ids[65] +
                ": symbol_signals.parquet holds 2 rows, the catalog's record_count is 99");
  EXPECT_EQ(lines[1],
            "manifest " + ids[60] + ": metadata.json and the catalog row differ in metadata");
  EXPECT_EQ(lines[2].substr(0, 15 + ids[10].size()), "missing_files " + ids[10] + ":") << lines[2];

  // By task id, more ids than a batch with one unknown among them: the problems come in the
  // order of the ids, the same with one job or three.
  std::vector<std::string> asked = ids;
  const std::string unknown = generate_uuid_v4();
  asked.insert(asked.begin() + 30, unknown);
  auto verify_ids = [&](int jobs) {
    VerifyOptions v;
    v.task_ids = asked;
    v.jobs = jobs;
    std::vector<std::pair<size_t, size_t>> calls;
    v.progress = [&calls](size_t done, size_t total) { calls.emplace_back(done, total); };
    auto found = storage->verify(v);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    EXPECT_EQ(calls.size(), 71u);
    using Call = std::pair<size_t, size_t>;
    EXPECT_EQ(calls.empty() ? Call() : calls.back(), Call(71, 71));
    return found.ok() ? describe(*found) : std::string();
  };
  const std::string by_ids = verify_ids(3);
  EXPECT_EQ(verify_ids(1), by_ids);
  EXPECT_EQ(by_ids, lines[2] + "\nno_row " + unknown + ": no catalog row for task " + unknown +
                        "\n" + lines[1] + "\n" + lines[0] + "\n");
}

TEST_F(StorageTest, DeletingARunningTaskRemovesItsRow) {
  auto storage = open_storage();
  ASSERT_TRUE(storage);
  auto id = storage->register_running(running_task("s", {}));
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(storage->delete_result(*id).ok());
  EXPECT_EQ(row_count(), 0);
}

// Several writers of one task_id, each with its own ResultStorage (its own
// connection), released at once.
std::vector<Result<std::string>> save_concurrently(const StorageOptions& options,
                                                   const std::string& id, bool replace,
                                                   int writers) {
  std::vector<std::unique_ptr<ResultStorage>> storages;
  for (int i = 0; i < writers; ++i) storages.push_back(ResultStorage::open(options).value());
  std::vector<std::string> docs;
  for (int i = 0; i < writers; ++i) docs.push_back(result_json(ResultSpec().id(id).rows(i + 1, 2)));
  std::vector<Result<std::string>> results(writers, Status::Internal("not run"));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < writers; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < writers) std::this_thread::yield();
      results[i] = storages[i]->save_result(docs[i], replace);
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

TEST_F(StorageTest, ConcurrentSavesOfOneTaskIdExactlyOneWins) {
  const int kWriters = 6;
  for (int round = 0; round < 3; ++round) {
    const std::string id = generate_uuid_v4();
    auto results = save_concurrently(options(), id, /*replace=*/false, kWriters);
    int won = -1, lost = 0;
    for (int i = 0; i < kWriters; ++i) {
      if (results[i].ok()) {
        EXPECT_EQ(won, -1) << "two writers won";
        won = i;
      } else {
        EXPECT_EQ(results[i].status().code(), StatusCode::kAlreadyExists)
            << results[i].status().to_string();
        ++lost;
      }
    }
    ASSERT_NE(won, -1);
    EXPECT_EQ(lost, kWriters - 1);
    auto storage = open_storage();
    EXPECT_EQ(storage->get_entry(id)->record_count, won + 1);  // the winner's document
    EXPECT_EQ(describe(problems(*storage)), "");
  }
  EXPECT_EQ(row_count(), 3);
  EXPECT_EQ(store_entries().size(), 3u);
}

TEST_F(StorageTest, ConcurrentReplacingSavesAllSucceedAndFilesMatchTheRow) {
  const int kWriters = 6;
  const std::string id = generate_uuid_v4();
  auto results = save_concurrently(options(), id, /*replace=*/true, kWriters);
  for (int i = 0; i < kWriters; ++i) {
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].status().to_string();
  }
  auto storage = open_storage();
  auto entry = storage->get_entry(id);
  ASSERT_TRUE(entry.ok());
  auto got = storage->get_result(id);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, *got);
  size_t signals = 0;
  for (auto sym : doc["symbols"].get_array()) {
    simdjson::dom::array rows = sym["signals"];
    signals += rows.size();
  }
  EXPECT_EQ(int64_t(signals), *entry->record_count);
  EXPECT_EQ(describe(problems(*storage)), "");
  EXPECT_EQ(store_entries(), std::set<std::string>{id});
  EXPECT_EQ(row_count(), 1);
}

TEST_F(StorageTest, MissingMigrationIsRefusedWithoutMigrateAndAppliedWithIt) {
  ASSERT_TRUE(
      admin_->exec_script("DROP TABLE backtest_results; DELETE FROM schema_migrations").ok());
  StorageOptions o = options();
  o.migrate = false;
  auto refused = ResultStorage::open(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("btstore db migrate"), std::string::npos)
      << refused.status().to_string();
  auto storage = open_storage();  // migrates
  ASSERT_TRUE(storage);
  EXPECT_TRUE(storage->save_result(result_json(ResultSpec())).ok());
}

}  // namespace
}  // namespace btstore::testing
