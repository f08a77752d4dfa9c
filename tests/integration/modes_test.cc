// The storage modes of the migration (json, dual, parquet, archive): where
// save, get, list and delete go, and dual's "both or neither".
#include <gtest/gtest.h>

#include <fstream>

#include "legacy/legacy_store.h"
#include "storage/mode_storage.h"
#include "storage/stored_reader.h"
#include "storage_fixture.h"

namespace btstore::testing {
namespace {

// A legacy store whose publish (the last step of a dual save) fails.
class FailingPublishStore : public legacy::LegacyStore {
 public:
  using LegacyStore::LegacyStore;
  Status publish(const std::string&, std::string_view, bool) override {
    return Status::IOError("injected: rename of the legacy file failed");
  }
};

class Modes : public StorageFixture {
 protected:
  StorageOptions mode_options(StorageMode mode) const {
    StorageOptions o = options();
    o.mode = mode;
    o.legacy_dir = legacy_.str();
    return o;
  }
  std::unique_ptr<ResultStorage> open_mode(StorageMode mode) {
    auto s = ResultStorage::open(mode_options(mode));
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }
  model::BacktestResult result(const std::string& strategy = "alpha") {
    // Each result holds a symbol of its own, for the --symbol filter.
    return make_result(
        ResultSpec().named(strategy).with({"SYM" + std::to_string(++count_) + "/USDT"}));
  }
  // A result that exists only as a legacy file.
  model::BacktestResult legacy_only(const std::string& sub = "") {
    model::BacktestResult r = result("legacy_only");
    fs::create_directories(legacy_.path() / sub);
    std::ofstream(legacy_.path() / sub / (r.header.task_id + ".json")) << json::write_result(r, 2);
    return r;
  }
  bool legacy_file(const std::string& id) const {
    return fs::exists(legacy_.path() / (id + ".json"));
  }
  // Names in the legacy directory, hidden temporaries included.
  size_t legacy_entries() const {
    size_t n = 0;
    for (auto it = fs::recursive_directory_iterator(legacy_.path());
         it != fs::recursive_directory_iterator(); ++it) {
      n += it->is_regular_file();
    }
    return n;
  }

  int count_ = 0;
  TempDir legacy_{"btl"};
};

TEST_F(Modes, JsonModeWritesAndReadsLegacyFilesOnlyAndNeedsNoDatabase) {
  StorageOptions o = mode_options(StorageMode::kJson);
  o.database_url = "postgresql://nobody@127.0.0.1:1/unreachable";
  auto opened = ResultStorage::open(o);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  ResultStorage& s = **opened;
  model::BacktestResult a = result("alpha"), b = result("beta"), c = result("alpha");
  c.header.status = "failed";
  for (auto* r : {&a, &b, &c}) {
    auto id = s.save_result(json::write_result(*r, 0), false);
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    EXPECT_TRUE(legacy_file(*id));
  }
  EXPECT_EQ(s.save_result(json::write_result(a, 0), false).status().code(),
            StatusCode::kAlreadyExists);
  model::BacktestResult a2 = result("alpha");
  a2.header.task_id = a.header.task_id;
  ASSERT_TRUE(s.save_result(json::write_result(a2, 0), true).ok());
  EXPECT_EQ(*s.get_result(a.header.task_id), json::write_result(a2, 0));
  auto entry = s.get_entry(b.header.task_id);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->strategy, "beta");
  EXPECT_EQ(entry->symbols, b.summary.symbol.values);
  EXPECT_EQ(s.get_summary(b.header.task_id)->size(), b.summary.num_rows());

  ListFilter f;
  f.strategy = "alpha";
  EXPECT_EQ(s.list(f)->entries.size(), 2u);
  f.status = "failed";
  ASSERT_EQ(s.list(f)->entries.size(), 1u);
  EXPECT_EQ(s.list(f)->entries[0].task_id, c.header.task_id);
  ListFilter sym;
  sym.symbols = {b.summary.symbol.values.at(0)};
  EXPECT_EQ(s.list(sym)->entries.at(0).task_id, b.header.task_id);
  ListFilter old;
  old.until_micros = now_micros() - 3'600'000'000;
  EXPECT_TRUE(s.list(old)->entries.empty());
  ListFilter page;
  page.limit = 2;
  auto first = s.list(page);
  ASSERT_EQ(first->entries.size(), 2u);
  ASSERT_FALSE(first->next_cursor.empty());
  page.after = first->next_cursor;
  auto second = s.list(page);
  ASSERT_EQ(second->entries.size(), 1u);
  EXPECT_TRUE(second->next_cursor.empty());

  ASSERT_TRUE(s.delete_result(b.header.task_id).ok());
  EXPECT_FALSE(legacy_file(b.header.task_id));
  EXPECT_EQ(s.get_result(b.header.task_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s.delete_result(b.header.task_id).code(), StatusCode::kNotFound);
  EXPECT_EQ(s.register_running(RunningTask{}).status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(row_count(), 0);
}

TEST_F(Modes, DualModeWritesBothSidesAndReadsFallBackToJson) {
  auto s = open_mode(StorageMode::kDual);
  model::BacktestResult a = result();
  ASSERT_TRUE(s->save_result(json::write_result(a, 0), false).ok());
  EXPECT_TRUE(legacy_file(a.header.task_id));
  EXPECT_EQ(row_count(), 1);
  model::BacktestResult old = legacy_only("2023");
  auto back = s->get_result(old.header.task_id);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, json::write_result(old, 0));
  auto listed = s->list(ListFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->entries.size(), 2u);  // the saved one once, plus the legacy-only one
  ASSERT_TRUE(s->delete_result(a.header.task_id).ok());
  EXPECT_FALSE(legacy_file(a.header.task_id));
  EXPECT_EQ(row_count(), 0);
}

TEST_F(Modes, DualModeBatchSavesSideBySideKeepBothSidesInStep) {
  std::vector<std::string> docs, ids;
  for (int i = 0; i < 8; ++i) {
    model::BacktestResult r = result();
    if (i == 5) r.header.task_id = ids[1];  // saved again, after input 1, with replace
    ids.push_back(r.header.task_id);
    r.header.strategy = "s" + std::to_string(i);
    docs.push_back(json::write_result(r, 0));
  }
  size_t reported = 0;
  BatchSaveOptions batch;
  batch.jobs = 3;
  batch.replace = true;
  const Status st = save_results(
      mode_options(StorageMode::kDual), docs.size(), [&](size_t i) { return docs[i]; },
      [&](size_t i, const Result<std::string>& id) {
        EXPECT_EQ(i, reported++);
        EXPECT_TRUE(id.ok()) << id.status().to_string();
      },
      batch);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(reported, docs.size());
  EXPECT_EQ(row_count(), 7);
  auto s = open_mode(StorageMode::kDual);
  for (const std::string& id : ids) {
    EXPECT_TRUE(legacy_file(id)) << id;
    auto entry = s->get_entry(id);
    ASSERT_TRUE(entry.ok()) << entry.status().to_string();
  }
  EXPECT_EQ(s->get_entry(ids[1])->strategy, "s5");
  std::ifstream legacy(legacy_.path() / (ids[1] + ".json"));
  const std::string text((std::istreambuf_iterator<char>(legacy)), {});
  EXPECT_NE(text.find("\"s5\""), std::string::npos);
}

TEST_F(Modes, DualSaveThatCannotWriteTheJsonSideWritesNeither) {
  // The legacy directory lies below a regular file: nothing can be created there.
  std::ofstream(legacy_.path() / "file") << "x";
  StorageOptions o = mode_options(StorageMode::kDual);
  o.legacy_dir = (legacy_.path() / "file" / "store").string();
  auto s = ResultStorage::open(o);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_FALSE((*s)->save_result(json::write_result(result(), 0), false).ok());
  EXPECT_EQ(row_count(), 0);
  EXPECT_TRUE(store_entries().empty());  // PostgreSQL + Parquet were never reached
}

TEST_F(Modes, DualSaveWhoseJsonRenameFailsUndoesThePostgresSave) {
  auto pg = storage::StoredReader::open(options());
  ASSERT_TRUE(pg.ok());
  auto s = storage::make_mode_storage(StorageMode::kDual, std::move(*pg),
                                      std::make_unique<FailingPublishStore>(legacy_.path()));
  model::BacktestResult a = result();
  Status st = s->save_result(json::write_result(a, 0), false).status();
  EXPECT_NE(st.message().find("injected"), std::string::npos) << st.to_string();
  EXPECT_EQ(row_count(), 0);
  EXPECT_EQ(legacy_entries(), 0u);  // the staged file is gone too
  for (const auto& e : store_entries()) EXPECT_EQ(e.rfind(".", 0), 0u) << e;

  // With --replace the result that was there before comes back.
  auto plain = open_storage();
  ASSERT_TRUE(plain->save_result(json::write_result(a, 0), false).ok());
  model::BacktestResult a2 = result();
  a2.header.task_id = a.header.task_id;
  EXPECT_FALSE(s->save_result(json::write_result(a2, 0), true).ok());
  auto reader = storage::StoredReader::open(options());
  EXPECT_EQ((*(*reader)->read(a.header.task_id))->canonical, json::write_result(a, 0));
  EXPECT_EQ(legacy_entries(), 0u);
}

TEST_F(Modes, DualSaveRefusedByPostgresWritesNoJsonFile) {
  sql("CREATE FUNCTION modes_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN RAISE EXCEPTION 'injected: insert refused'; END $$");
  sql("CREATE TRIGGER modes_test_refuse BEFORE INSERT ON backtest_results "
      "FOR EACH ROW EXECUTE FUNCTION modes_test_refuse()");
  auto s = open_mode(StorageMode::kDual);
  Status st = s->save_result(json::write_result(result(), 0), false).status();
  sql("DROP TRIGGER modes_test_refuse ON backtest_results");
  sql("DROP FUNCTION modes_test_refuse()");
  EXPECT_NE(st.message().find("injected"), std::string::npos) << st.to_string();
  EXPECT_EQ(legacy_entries(), 0u);
  EXPECT_EQ(row_count(), 0);
}

TEST_F(Modes, ParquetModeWritesPostgresOnlyAndListsBothSidesPageByPage) {
  auto s = open_mode(StorageMode::kParquet);
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    model::BacktestResult r = result();
    ASSERT_TRUE(s->save_result(json::write_result(r, 0), false).ok());
    EXPECT_FALSE(legacy_file(r.header.task_id));
    ids.insert(r.header.task_id);
    ids.insert(legacy_only(i % 2 ? "nested" : "").header.task_id);
  }
  std::set<std::string> seen;
  ListFilter f;
  f.limit = 2;
  for (int page = 0; page < 10; ++page) {
    auto p = s->list(f);
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    for (const auto& e : p->entries) EXPECT_TRUE(seen.insert(e.task_id).second) << e.task_id;
    if (p->next_cursor.empty()) break;
    f.after = p->next_cursor;
  }
  EXPECT_EQ(seen, ids);
  std::string legacy_id = *std::find_if(ids.begin(), ids.end(), [&](const std::string& id) {
    return scalar("SELECT count(*) FROM backtest_results WHERE task_id = $1::uuid", {id}) == "0";
  });
  EXPECT_TRUE(s->get_entry(legacy_id).ok());
  EXPECT_TRUE(s->get_summary(legacy_id).ok());
  ASSERT_TRUE(s->delete_result(legacy_id).ok());
  EXPECT_EQ(s->get_result(legacy_id).status().code(), StatusCode::kNotFound);
}

TEST_F(Modes, ArchiveModeNeitherReadsNorWritesLegacyFiles) {
  auto s = open_mode(StorageMode::kArchive);
  model::BacktestResult old = legacy_only();
  EXPECT_EQ(s->get_result(old.header.task_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->delete_result(old.header.task_id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(legacy_file(old.header.task_id));
  model::BacktestResult a = result();
  ASSERT_TRUE(s->save_result(json::write_result(a, 0), false).ok());
  EXPECT_FALSE(legacy_file(a.header.task_id));
  EXPECT_EQ(row_count(), 1);
}

TEST_F(Modes, CliTakesTheModeAndLegacyDirectoryFromTheEnvironment) {
  model::BacktestResult a = result();
  std::string file = write_file("a.json", json::write_result(a, 2));
  RunOptions env;
  env.env["BTSTORE_MODE"] = "json";
  env.env["BTSTORE_LEGACY_DIR"] = legacy_.str();
  RunResult r = cli({"save", file}, env);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(legacy_file(a.header.task_id));
  EXPECT_EQ(row_count(), 0);
  r = cli({"list", "--json", "--strategy", "alpha"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.out.find(a.header.task_id), std::string::npos) << r.out;
  r = cli({"get", a.header.task_id}, env);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, json::write_result(a, 0) + "\n");
  r = cli({"--mode", "dual", "list"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("--legacy-dir"), std::string::npos) << r.err;
  r = cli({"--mode", "bogus", "list"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  r = cli({"delete", a.header.task_id}, env);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_FALSE(legacy_file(a.header.task_id));
}

}  // namespace
}  // namespace btstore::testing
