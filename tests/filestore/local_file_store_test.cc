#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "filestore/file_store.h"
#include "support/temp_dir.h"

namespace btstore::filestore {
namespace {

namespace fs = std::filesystem;
constexpr char kTask[] = "550e8400-e29b-41d4-a716-446655440000";

std::vector<FileContent> files(std::string_view body) {
  return {{"a.parquet", body}, {"metadata.json", "{}"}};
}

TEST(LocalFileStore, StagedFilesAreInvisibleUntilPublished) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto staged = store->stage(kTask, files("one"));
  ASSERT_TRUE(staged.ok()) << staged.status().to_string();
  EXPECT_EQ(store->read(kTask, "a.parquet", 100).status().code(), StatusCode::kNotFound);
  Staged replaced;
  ASSERT_TRUE(store->publish(*staged, false, &replaced).ok());
  auto bytes = store->read(kTask, "a.parquet", 100);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "one");
  EXPECT_TRUE(replaced.location.empty());
}

TEST(LocalFileStore, PublishWithoutReplaceRefusesExistingResult) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto first = store->stage(kTask, files("one"));
  ASSERT_TRUE(store->publish(*first, false, nullptr).ok());
  auto second = store->stage(kTask, files("two"));
  Status st = store->publish(*second, false, nullptr);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*store->read(kTask, "a.parquet", 100), "one");
}

TEST(LocalFileStore, ReplaceSwapsAndUnpublishRestoresTheOld) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto first = store->stage(kTask, files("one"));
  ASSERT_TRUE(store->publish(*first, false, nullptr).ok());
  auto second = store->stage(kTask, files("two"));
  Staged replaced;
  ASSERT_TRUE(store->publish(*second, true, &replaced).ok());
  EXPECT_EQ(*store->read(kTask, "a.parquet", 100), "two");
  ASSERT_TRUE(store->unpublish(*second, &replaced).ok());
  EXPECT_EQ(*store->read(kTask, "a.parquet", 100), "one");
  ASSERT_TRUE(store->discard(*second).ok());
}

TEST(LocalFileStore, RemoveIsIdempotentAndLeavesNoTrash) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto staged = store->stage(kTask, files("one"));
  ASSERT_TRUE(store->publish(*staged, false, nullptr).ok());
  ASSERT_TRUE(store->remove(kTask).ok());
  ASSERT_TRUE(store->remove(kTask).ok());
  auto entries = store->entries();
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty()) << entries->front().name;
}

TEST(LocalFileStore, EntriesReportLeftoverStaging) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  ASSERT_TRUE(store->stage(kTask, files("one")).ok());
  auto entries = store->entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].kind, Entry::Kind::kStaging);
  ASSERT_TRUE(store->remove_entry((*entries)[0]).ok());
  EXPECT_TRUE(store->entries()->empty());
}

TEST(LocalFileStore, FilesAre0640AndDirectories0750UnderUmask022) {
  mode_t old = ::umask(022);
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto staged = store->stage(kTask, files("one"));
  ASSERT_TRUE(store->publish(*staged, false, nullptr).ok());
  ::umask(old);
  fs::path dir = root.path() / "backtests" / kTask;
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all,
            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  EXPECT_EQ(fs::status(dir / "a.parquet").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

}  // namespace
}  // namespace btstore::filestore

namespace btstore::filestore {
namespace {

TEST(LocalFileStore, RefusesTaskIdsThatAreNotUuids) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  for (std::string bad :
       {"../../etc", "a/b", "", ".staging", "550e8400-e29b-41d4-a716-44665544000/"}) {
    EXPECT_EQ(store->stage(bad, files("x")).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->remove(bad).code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store->read(bad, "metadata.json", 10).status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(std::filesystem::exists(root.path() / "etc"));
}

}  // namespace
}  // namespace btstore::filestore
