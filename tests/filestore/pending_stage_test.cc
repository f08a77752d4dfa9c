// FileStore::begin_stage(): the staging directory and its files made ready before their bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "filestore/file_store.h"
#include "support/forwarding_file_store.h"
#include "support/temp_dir.h"

namespace btstore::filestore {
namespace {

namespace fs = std::filesystem;
constexpr char kTask[] = "550e8400-e29b-41d4-a716-446655440000";

std::vector<std::string> staging_entries(const testing::TempDir& root) {
  std::vector<std::string> out;
  const fs::path staging = fs::path(root.str()) / "backtests" / ".staging";
  if (!fs::exists(staging)) return out;
  for (const auto& e : fs::directory_iterator(staging)) out.push_back(e.path().filename());
  return out;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PendingStage, FinishHoldsExactlyTheFilesGiven) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto pending = store->begin_stage(kTask, {"a.parquet", "b.parquet", "metadata.json"});
  ASSERT_TRUE(pending.ok()) << pending.status().to_string();
  // b.parquet was expected and is not given (removed); c.parquet was not expected (created).
  std::vector<FileContent> files = {
      {"a.parquet", "one"}, {"c.parquet", "three"}, {"metadata.json", "{}"}};
  auto staged = (*pending)->finish(files);
  ASSERT_TRUE(staged.ok()) << staged.status().to_string();
  EXPECT_EQ(names_in(staged->location),
            (std::vector<std::string>{"a.parquet", "c.parquet", "metadata.json"}));
  ASSERT_TRUE(store->publish(*staged, false, nullptr).ok());
  EXPECT_EQ(*store->read(kTask, "a.parquet", 100), "one");
  EXPECT_EQ(*store->read(kTask, "c.parquet", 100), "three");
  EXPECT_TRUE(staging_entries(root).empty());
}

TEST(PendingStage, DroppedUnfinishedLeavesNothingStaged) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  {
    auto pending = store->begin_stage(kTask, {"a.parquet", "metadata.json"});
    ASSERT_TRUE(pending.ok()) << pending.status().to_string();
    EXPECT_EQ(staging_entries(root).size(), 1u);
  }
  EXPECT_TRUE(staging_entries(root).empty());
}

TEST(PendingStage, RefusesATaskIdThatIsNotAUuid) {
  testing::TempDir root;
  auto store = open_local_file_store(root.str());
  auto pending = store->begin_stage("../escape", {"a.parquet"});
  EXPECT_EQ(pending.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(staging_entries(root).empty());
}

// A store wrapping another sees the staging as one stage() call, where it can intercept it.
class CountingStore final : public testing::ForwardingFileStore {
 public:
  using ForwardingFileStore::ForwardingFileStore;
  Result<Staged> stage(std::string_view task_id, const std::vector<FileContent>& files) override {
    ++stages;
    return ForwardingFileStore::stage(task_id, files);
  }
  int stages = 0;
};

TEST(PendingStage, WrappingStoreStagesThroughStage) {
  testing::TempDir root;
  CountingStore store(open_local_file_store(root.str()));
  auto pending = store.begin_stage(kTask, {"a.parquet"});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(store.stages, 0);
  EXPECT_TRUE(staging_entries(root).empty());  // nothing made before finish()
  auto staged = (*pending)->finish({{"a.parquet", "one"}});
  ASSERT_TRUE(staged.ok()) << staged.status().to_string();
  EXPECT_EQ(store.stages, 1);
  EXPECT_EQ(names_in(staged->location), std::vector<std::string>{"a.parquet"});
}

}  // namespace
}  // namespace btstore::filestore
