#include "convert/json_input.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "common/file_util.h"
#include "json/input_limits.h"
#include "json/result_parser.h"

namespace btstore::convert {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

size_t round_up_to_pages(size_t bytes) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

}  // namespace

Result<MappedJson> MappedJson::open(const std::filesystem::path& path, uint64_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Status::NotFound("cannot open '" + path.string() + "'");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("stat", path, errno);
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument("'" + path.string() + "' is not a file");
  json::InputLimits limits;
  limits.max_bytes = max_bytes;
  BTSTORE_RETURN_IF_ERROR(json::check_document_size(static_cast<uint64_t>(st.st_size), limits));
  const auto size = static_cast<size_t>(st.st_size);
  // Anonymous zero pages first, then the file over their start: the bytes after the file's
  // end are zeros of the same region, never past a mapping (which would fault).
  const size_t region_size = round_up_to_pages(size + json::kParsePadding);
  void* region =
      ::mmap(nullptr, region_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED) return errno_status("map memory for", path, errno);
  MappedJson mapped(static_cast<char*>(region), region_size, size);
  if (size > 0 &&
      ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd.get(), 0) == MAP_FAILED) {
    return errno_status("mmap", path, errno);
  }
  return mapped;
}

MappedJson::MappedJson(MappedJson&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      region_size_(std::exchange(other.region_size_, 0)),
      size_(std::exchange(other.size_, 0)) {}

MappedJson& MappedJson::operator=(MappedJson&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(data_, region_size_);
    data_ = std::exchange(other.data_, nullptr);
    region_size_ = std::exchange(other.region_size_, 0);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void MappedJson::prefetch() {
  if (size_ == 0) return;
#ifdef MADV_POPULATE_READ
  if (::madvise(data_, size_, MADV_POPULATE_READ) == 0) return;
#endif
  ::madvise(data_, size_, MADV_WILLNEED);
}

void MappedJson::release(size_t begin, size_t end) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  begin = (begin + page - 1) / page * page;
  end = std::min(end, size_) / page * page;
  // Advice only: if the kernel declines, the pages simply stay.
  if (begin < end) ::madvise(data_ + begin, end - begin, MADV_DONTNEED);
}

MappedJson::~MappedJson() {
  if (data_ != nullptr) ::munmap(data_, region_size_);
}

}  // namespace btstore::convert
