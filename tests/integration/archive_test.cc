// btstore archive and archive verify: phase 4 moves the legacy files into a
// read-only archive with a manifest, only when every one is migrated.
#include "migration/archive.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "legacy/codec.h"
#include "legacy_corpus.h"
#include "storage_fixture.h"

namespace btstore::testing {
namespace {

class Archive : public StorageFixture {
 protected:
  std::string put(const std::string& rel, const model::BacktestResult& r) {
    fs::path p = legacy_.path() / rel;
    fs::create_directories(p.parent_path());
    std::string text = json::write_result(r, 2);
    std::ofstream(p, std::ios::binary) << (rel.ends_with(".gz") ? *legacy::gzip(text) : text);
    return text;
  }
  RunResult archive() {
    return cli({"archive", "--from", legacy_.str(), "--to", (archive_.path() / "a").string()});
  }
  fs::path archived() const { return archive_.path() / "a"; }

  std::mt19937_64 rng_{17};
  TempDir legacy_{"btl"};
  TempDir archive_{"bta"};
};

TEST_F(Archive, RefusesWhileAnyResultIsUnmigratedOrInvalidAndMovesNothing) {
  model::BacktestResult a = tiny_result(rng_), b = tiny_result(rng_);
  put(a.header.task_id + ".json", a);
  put("n/" + b.header.task_id + ".json.gz", b);
  auto storage = open_storage();
  ASSERT_TRUE(storage->save_result(json::write_result(a, 0), false).ok());
  RunResult r = archive();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("not migrated yet"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(b.header.task_id), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(archived()));
  EXPECT_TRUE(fs::exists(legacy_.path() / (a.header.task_id + ".json")));

  ASSERT_EQ(cli({"migrate", "--from", legacy_.str()}).exit_code, 0);
  std::ofstream(legacy_.path() / "broken.json") << "{";
  r = archive();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("broken.json"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(archived()));
}

TEST_F(Archive, MovesMigratedFilesWithAManifestThatVerifyChecks) {
  model::BacktestResult a = tiny_result(rng_), b = tiny_result(rng_);
  put(a.header.task_id + ".json", a);
  put("2023/07/" + b.header.task_id + ".json.gz", b);
  put("copies/" + a.header.task_id + ".json", a);  // an identical copy
  std::string gz_bytes;
  {
    std::ifstream in(legacy_.path() / "2023/07" / (b.header.task_id + ".json.gz"),
                     std::ios::binary);
    gz_bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_EQ(cli({"migrate", "--from", legacy_.str()}).exit_code, 0);
  RunResult r = archive();
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(fs::is_empty(legacy_.path()));
  auto manifest = migration::read_manifest(archived());
  ASSERT_TRUE(manifest.ok()) << manifest.status().to_string();
  ASSERT_EQ(manifest->size(), 3u);
  const migration::ManifestEntry& gz = manifest->at(0);  // sorted by file: "2023/..." first
  EXPECT_EQ(gz.file, "2023/07/" + b.header.task_id + ".json.gz");
  EXPECT_EQ(gz.task_id, b.header.task_id);
  EXPECT_EQ(gz.size, gz_bytes.size());
  EXPECT_EQ(gz.sha256, legacy::sha256_hex(gz_bytes));
  struct stat st {};
  ASSERT_EQ(::stat((archived() / gz.file).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0222, 0u);  // read-only

  RunResult v = cli({"archive", "verify", archived().string()});
  EXPECT_EQ(v.exit_code, 0) << v.describe();

  // The results are still served, now from PostgreSQL + Parquet alone.
  RunResult get = cli({"--mode", "archive", "get", b.header.task_id});
  EXPECT_EQ(get.exit_code, 0) << get.describe();

  // A modified file, a removed one and an unlisted one are each found.
  fs::path changed = archived() / (a.header.task_id + ".json");
  ::chmod(changed.c_str(), 0644);
  ::chmod(archived().c_str(), 0755);
  std::ofstream(changed, std::ios::app) << " ";
  fs::remove(archived() / ("copies/" + a.header.task_id + ".json"));
  std::ofstream(archived() / "extra.json") << "{}";
  v = cli({"archive", "verify", "--to", archived().string(), "--json"});
  EXPECT_EQ(v.exit_code, 4) << v.describe();
  simdjson::dom::parser parser;
  std::set<std::string> kinds;
  for (auto p : parse_json(parser, v.out)["problems"].get_array()) kinds.insert(str(p["kind"]));
  EXPECT_EQ(kinds, (std::set<std::string>{"size", "missing", "unlisted"}));
  // Same size, other content: the SHA-256 tells.
  std::string text = json::write_result(a, 2);
  text[text.size() - 3] ^= 1;
  std::ofstream(changed, std::ios::trunc) << text;
  v = cli({"archive", "verify", archived().string()});
  EXPECT_EQ(v.exit_code, 4);
  EXPECT_NE(v.out.find("sha256"), std::string::npos) << v.out;
}

TEST_F(Archive, VerifyOfADirectoryWithoutManifestIsNotFound) {
  RunResult v = cli({"archive", "verify", archive_.str()});
  EXPECT_EQ(v.exit_code, 3) << v.describe();
  EXPECT_NE(v.err.find("MANIFEST.tsv"), std::string::npos) << v.err;
}

}  // namespace
}  // namespace btstore::testing
