#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "common/file_util.h"

namespace btstore {
namespace {

namespace fs = std::filesystem;

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

class ReadStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("btstore-read-stream-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<std::string> read_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0) << path;
    auto r = read_stream(fd, path);
    ::close(fd);
    return r;
  }

  fs::path dir_;
};

TEST_F(ReadStreamTest, ReadsRegularFilesOfEverySize) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{1} << 20}) {
    const std::string bytes = random_bytes(n, static_cast<uint32_t>(n));
    const fs::path file = dir_ / ("f" + std::to_string(n));
    std::ofstream(file, std::ios::binary) << bytes;
    auto got = read_path(file);
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ(*got, bytes) << n;
  }
}

// A pipe has no size: it is read in growing pieces, here through several doublings.
TEST_F(ReadStreamTest, ReadsAPipeToItsEnd) {
  const std::string bytes = random_bytes((size_t{3} << 20) + 17, 7);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n =
          ::write(fds[1], bytes.data() + done, std::min<size_t>(bytes.size() - done, 5000));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  auto got = read_stream(fds[0], "a pipe");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->size(), bytes.size());
  EXPECT_TRUE(*got == bytes);
}

// What was written after the size was taken is read too.
TEST_F(ReadStreamTest, ReadsPastTheSizeAFileHadWhenOpened) {
  const fs::path file = dir_ / "growing";
  std::ofstream(file, std::ios::binary) << "first";
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::ofstream(file, std::ios::binary | std::ios::app) << std::string(100000, 'x');
  auto got = read_stream(fd, file);
  ::close(fd);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(*got, "first" + std::string(100000, 'x'));
}

TEST_F(ReadStreamTest, ADirectoryIsAnErrorNamingIt) {
  auto got = read_path(dir_);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kIOError);
  EXPECT_NE(got.status().message().find(dir_.string()), std::string::npos)
      << got.status().message();
}

// A stream without end (here /dev/zero) ends in an error once memory runs out, not in an
// exception: in a child whose address space is limited.
TEST_F(ReadStreamTest, AnEndlessStreamIsRefusedWhenMemoryRunsOut) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizers' shadow memory does not fit an address-space limit";
#endif
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const rlimit limit{size_t{1} << 30, size_t{1} << 30};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(2);
    const int fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
    auto got = read_stream(fd, "/dev/zero");
    const bool refused =
        !got.ok() && got.status().message().find("out of memory reading /dev/zero") == 0;
    ::_exit(refused ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace btstore
