// The consistency check itself: it passes a consistent store and names each kind of damage the
// fault suites rely on it to find.
#include <gtest/gtest.h>

#include <fstream>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

class StoreCheckTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    reset_store();
    json_ = document(Size::kTiny, fixed_id(1));
    save_ok(json_);
    expected_[fixed_id(1)] = Expected::saved(content_digest(json_));
  }

  // The violations, joined, for EXPECT_THAT-free matching.
  std::string violations(bool repair = true) { return check(expected_, repair).describe(); }

  std::string json_;
  std::map<std::string, Expected> expected_;
};

TEST_F(StoreCheckTest, AcceptsAConsistentStoreAndSweepsLeftovers) {
  EXPECT_EQ(violations(), "consistent");
  fs::create_directories(backtests() / ".staging" / (fixed_id(2) + ".x"));
  fs::create_directories(backtests() / fixed_id(3));  // a directory without a row
  StoreCheck c = check(expected_);
  EXPECT_TRUE(c.ok()) << c.describe();
  EXPECT_EQ(c.repaired, 2);
  EXPECT_FALSE(fs::exists(backtests() / fixed_id(3)));
}

TEST_F(StoreCheckTest, NamesALostSave) {
  expected_[fixed_id(2)] = Expected::saved(content_digest(document(Size::kTiny, fixed_id(2))));
  EXPECT_NE(violations().find("lost: " + fixed_id(2)), std::string::npos) << violations();
  expected_[fixed_id(2)].may_be_absent = true;
  EXPECT_EQ(violations(), "consistent");
}

TEST_F(StoreCheckTest, NamesARowNobodySaved) {
  save_ok(document(Size::kTiny, fixed_id(2)));
  EXPECT_NE(violations().find("unexpected row " + fixed_id(2)), std::string::npos);
}

TEST_F(StoreCheckTest, NamesARowWithoutItsFiles) {
  fs::remove_all(result_dir(fixed_id(1)));
  EXPECT_NE(violations(false).find("get " + fixed_id(1)), std::string::npos) << violations(false);
  EXPECT_NE(violations(false).find("missing_files"), std::string::npos) << violations(false);
}

TEST_F(StoreCheckTest, NamesOtherContentThanWasSaved) {
  save_ok(document(Size::kTiny, fixed_id(1), 1), /*replace=*/true);
  EXPECT_NE(violations().find("none of the saved versions"), std::string::npos) << violations();
}

TEST_F(StoreCheckTest, NamesStrayAndExtraFiles) {
  std::ofstream(backtests() / "stray.tmp") << "x";
  std::ofstream(result_dir(fixed_id(1)) / "metadata.json.tmp-1") << "x";
  const std::string v = violations();
  EXPECT_NE(v.find("stray entry backtests/stray.tmp"), std::string::npos) << v;
  EXPECT_NE(v.find("metadata.json.tmp-1"), std::string::npos) << v;
}

TEST_F(StoreCheckTest, NamesADamagedFile) {
  std::ofstream(result_dir(fixed_id(1)) / "symbol_signals.parquet", std::ios::app) << "x";
  EXPECT_NE(violations().find("verify: "), std::string::npos) << violations();
}

}  // namespace
}  // namespace btstore::faults
