// A real full disk: the storage root is a small tmpfs, filled to a random level by a ballast file
// before each save. A save that does not fit fails with "No space left on device" and leaves
// nothing (no row, no directory, no staged files); a save that fits is there in full. When the
// disk is full to the last byte, delete and cleanup still work.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "faults/fault_fixture.h"

namespace btstore::faults {
namespace {

class FullDiskTest : public FaultFixture {
 protected:
  void SetUp() override {
    FaultFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (::mount("tmpfs", root_->path().c_str(), "tmpfs", 0, "size=8m,mode=0755") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs on " << root_->str() << " (" << std::strerror(errno)
                   << "): this test needs root (CI runs as root)";
    }
    mounted_ = true;
  }

  void TearDown() override {
    storage_.reset();
    if (mounted_) ::umount2(root_->path().c_str(), MNT_DETACH);
    FaultFixture::TearDown();
  }

  uint64_t free_bytes() const {
    struct statvfs st {};
    ::statvfs(root_->path().c_str(), &st);
    return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  }

  // Fills the disk but `leave` bytes (about): the ballast file takes the rest.
  void fill(uint64_t leave) {
    const fs::path ballast = root_->path() / "ballast";
    std::error_code ec;
    fs::remove(ballast, ec);
    const uint64_t room = free_bytes();
    const uint64_t size = room > leave ? room - leave : 0;
    std::ofstream out(ballast, std::ios::binary);
    const std::string chunk(1 << 16, 'x');
    for (uint64_t done = 0; done < size && out; done += chunk.size()) {
      out.write(chunk.data(),
                static_cast<std::streamsize>(std::min<uint64_t>(chunk.size(), size - done)));
    }
  }

  bool mounted_ = false;
};

TEST_F(FullDiskTest, SavesAtRandomFillLevelsAreWholeOrAbsent) {
  const int saves = scaled(100, 1000);
  // The room each result takes, so that the fill levels straddle it: about half the saves fit,
  // and the others run out of space at every step of the save.
  std::map<Size, uint64_t> footprint;
  for (Size size : {Size::kTiny, Size::kSmall}) {
    reset_store();
    const uint64_t before = free_bytes();
    save_ok(document(size, fixed_id(99)));
    footprint[size] = before - free_bytes();
    ASSERT_GT(footprint[size], 0u) << size_name(size);
  }
  std::mt19937_64 rng(std::random_device{}());
  int ok = 0, no_space = 0, failures = 0;
  std::map<std::string, Expected> expected;
  for (int i = 0; i < saves && failures < 5; ++i) {
    SCOPED_TRACE("save " + std::to_string(i));
    if (i % 10 == 0) {
      expected.clear();
      reset_store();
    }
    const std::string id = fixed_id(100 + i);
    const Size size = i % 3 == 0 ? Size::kSmall : Size::kTiny;
    const std::string json = document(size, id);
    // Leave between nothing and twice what the result needs.
    fill(std::uniform_int_distribution<uint64_t>(0, 2 * footprint[size])(rng));
    RunResult r = testing::run_process(cli_argv({"save", write_file("r.json", json)}));
    if (r.exit_code == 0) {
      ++ok;
      expected[id] = Expected::saved(content_digest(json));
    } else {
      ++no_space;
      EXPECT_EQ(r.exit_code, 1) << r.describe();
      EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    }
    EXPECT_EQ(staging_entries(), 0) << "partial files left staged: " << r.describe();
    StoreCheck c = check(expected, /*repair=*/false);
    EXPECT_TRUE(c.ok()) << c.describe();
    failures += !c.ok() || staging_entries() != 0;
  }
  std::printf(
      "[ figures ] %d saves on a full-ish disk: %d saved, %d refused (no space), %d "
      "inconsistent\n",
      saves, ok, no_space, failures);
  std::printf("[ figures ] footprint: tiny %llu bytes, small %llu bytes\n",
              static_cast<unsigned long long>(footprint[Size::kTiny]),
              static_cast<unsigned long long>(footprint[Size::kSmall]));
  EXPECT_GT(ok, 0);
  EXPECT_GT(no_space, 0);
}

TEST_F(FullDiskTest, DeleteAndCleanupWorkOnAFullDisk) {
  std::map<std::string, std::string> docs;
  for (int i = 0; i < 4; ++i) {
    const std::string id = fixed_id(i + 1);
    docs[id] = document(Size::kTiny, id);
    save_ok(docs[id]);
  }
  set_created_at(fixed_id(3), "now() - interval '30 days'");
  set_created_at(fixed_id(4), "now() - interval '30 days'");
  fill(0);
  ASSERT_LT(free_bytes(), 8192u);
  RunResult full = testing::run_process(
      cli_argv({"save", write_file("x.json", document(Size::kTiny, fixed_id(9)))}));
  EXPECT_EQ(full.exit_code, 1) << "the disk is not full: " << full.describe();

  RunResult del = testing::run_process(cli_argv({"delete", fixed_id(1)}));
  EXPECT_EQ(del.exit_code, 0) << del.describe();
  fill(0);
  RunResult clean = testing::run_process(cli_argv({"cleanup", "--older-than", "7d"}));
  EXPECT_EQ(clean.exit_code, 0) << clean.describe();
  fill(0);
  RunResult verify = testing::run_process(cli_argv({"verify", "--repair", "--grace", "0s"}));
  EXPECT_EQ(verify.exit_code, 0) << verify.describe();
  StoreCheck c = check({{fixed_id(2), Expected::saved(content_digest(docs[fixed_id(2)]))}});
  EXPECT_TRUE(c.ok()) << c.describe();
}

}  // namespace
}  // namespace btstore::faults
