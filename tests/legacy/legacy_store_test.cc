// The legacy JSON store: gzip, scanning, the task_id rules, atomic writes.
#include "legacy/legacy_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "common/uuid.h"
#include "json/result_writer.h"
#include "legacy/codec.h"
#include "support/random_result.h"
#include "support/temp_dir.h"

namespace btstore::legacy {
namespace {

namespace fs = std::filesystem;
using btstore::testing::TempDir;

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

model::BacktestResult tiny(uint64_t seed) {
  std::mt19937_64 rng(seed);
  btstore::testing::RandomResultOptions o;
  o.max_symbols = 2;
  o.max_signals = 3;
  o.max_curve = 3;
  return btstore::testing::random_result(rng, o);
}

// The document without its task_id member (write_result puts it first).
std::string without_task_id(const model::BacktestResult& r) {
  std::string text = json::write_result(r, 0);
  std::string member = "\"task_id\":\"" + r.header.task_id + "\",";
  size_t at = text.find(member);
  return text.erase(at, member.size());
}

TEST(Gzip, RoundTripsAndConcatenatedMembers) {
  std::string a(100000, 'x'), b = "tail";
  auto za = gzip(a), zb = gzip(b);
  ASSERT_TRUE(za.ok() && zb.ok());
  EXPECT_TRUE(looks_gzipped(*za));
  auto back = gunzip(*za + *zb, 1 << 20, "t");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, a + b);
}

TEST(Gzip, RejectsTruncatedAndCorruptStreamsAndTheSizeLimit) {
  auto z = gzip(std::string(5000, 'y'));
  ASSERT_TRUE(z.ok());
  for (size_t cut : {size_t{1}, size_t{10}, z->size() / 2, z->size() - 1}) {
    auto r = gunzip(z->substr(0, cut), 1 << 20, "t.json.gz");
    EXPECT_FALSE(r.ok()) << cut;
  }
  std::string flipped = *z;
  flipped[flipped.size() - 6] ^= 0x55;  // the CRC-32 trailer
  EXPECT_FALSE(gunzip(flipped, 1 << 20, "t").ok());
  auto limited = gunzip(*z, 100, "big.json.gz");
  ASSERT_FALSE(limited.ok());
  EXPECT_NE(limited.status().message().find("limit"), std::string::npos);
}

TEST(Sha256, MatchesTheKnownDigestOfAbc) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(LegacyStore, ScansNestedJsonAndGzipSkippingHiddenAndOtherFiles) {
  TempDir dir;
  write(dir / "b.json", "{}");
  write(dir / "x/y/a.json.gz", "gz");
  write(dir / "notes.txt", "no");
  write(dir / ".hidden.json", "{}");
  write(dir / ".tmp/c.json", "{}");
  write(dir / "x/.d.json.tmp-1", "{}");
  LegacyStore store(dir.path());
  auto files = store.scan();
  ASSERT_TRUE(files.ok()) << files.status().to_string();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].relative, "b.json");
  EXPECT_FALSE((*files)[0].gzip);
  EXPECT_EQ((*files)[1].relative, "x/y/a.json.gz");
  EXPECT_EQ((*files)[1].stem, "a");
  EXPECT_TRUE((*files)[1].gzip);
  EXPECT_EQ(LegacyStore(dir / "absent").scan().status().code(), StatusCode::kNotFound);
}

TEST(LegacyStore, LoadsGzipAndTakesTheTaskIdFromTheFileNameWhenTheDocumentHasNone) {
  TempDir dir;
  model::BacktestResult r = tiny(1);
  write(dir / "n" / (r.header.task_id + ".json.gz"), *gzip(without_task_id(r)));
  LegacyStore store(dir.path());
  auto files = store.scan();
  ASSERT_TRUE(files.ok());
  auto loaded = store.load(files->at(0));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->result.header.task_id, r.header.task_id);
  EXPECT_EQ(loaded->canonical, json::write_result(r, 0));
  EXPECT_EQ(btstore::testing::result_difference(loaded->result, r), "");
}

TEST(LegacyStore, RefusesATaskIdThatDiffersFromTheFileName) {
  TempDir dir;
  model::BacktestResult r = tiny(2);
  std::string other = generate_uuid_v4();
  write(dir / (other + ".json"), json::write_result(r, 2));
  LegacyStore store(dir.path());
  auto loaded = store.load(store.scan()->at(0));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("differs from the file name"), std::string::npos)
      << loaded.status().message();
}

TEST(LegacyStore, RefusesADocumentWithoutTaskIdUnderANonUuidName) {
  TempDir dir;
  write(dir / "result.json", without_task_id(tiny(3)));
  LegacyStore store(dir.path());
  auto loaded = store.load(store.scan()->at(0));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("no task_id"), std::string::npos);
}

TEST(LegacyStore, InvalidDocumentsNameTheFile) {
  TempDir dir;
  write(dir / "sub/bad.json", "{\"task_id\": 12");
  write(dir / "trunc.json.gz", gzip("{}")->substr(0, 8));
  LegacyStore store(dir.path());
  auto files = store.scan();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  for (const auto& f : *files) {
    auto loaded = store.load(f);
    ASSERT_FALSE(loaded.ok()) << f.relative;
    EXPECT_NE(loaded.status().to_string().find(f.relative), std::string::npos)
        << loaded.status().to_string();
  }
}

TEST(LegacyStore, StagePublishRefusesAnExistingFileUnlessReplace) {
  TempDir dir;
  LegacyStore store(dir / "store");
  std::string id = generate_uuid_v4();
  auto staged = store.stage(id, "one");
  ASSERT_TRUE(staged.ok()) << staged.status().to_string();
  EXPECT_TRUE(store.scan()->empty());  // a staged file is hidden
  ASSERT_TRUE(store.publish(*staged, id, false).ok());
  auto second = store.stage(id, "two");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(store.publish(*second, id, false).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(store.publish(*second, id, true).ok());
  auto found = store.find(id);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(*store.read_text(found->at(0)), "two");
  ASSERT_TRUE(store.remove(found->at(0)).ok());
  EXPECT_TRUE(store.find(id)->empty());
  EXPECT_TRUE(fs::is_empty(dir / "store"));
}

TEST(LegacyStore, FindLooksBelowTheRootWhenTheTopLevelHasNoFile) {
  TempDir dir;
  std::string id = generate_uuid_v4();
  write(dir / "2024/01" / (id + ".json.gz"), "x");
  auto found = LegacyStore(dir.path()).find(id);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).relative, "2024/01/" + id + ".json.gz");
}

}  // namespace
}  // namespace btstore::legacy
