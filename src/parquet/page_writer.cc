#include "parquet/page_writer.h"

#include <zlib.h>

#include <limits>

namespace btstore::parquet {
namespace {

constexpr size_t kMaxPageBytes = std::numeric_limits<int32_t>::max();  // i32 page sizes

}  // namespace

Result<int64_t> PageWriter::write_page(PageHeader header, std::string_view body) {
  if (body.size() > kMaxPageBytes) {
    return Status::InvalidArgument("page of " + std::to_string(body.size()) +
                                   " bytes exceeds the 2 GiB Parquet page limit");
  }
  std::string_view stored = body;
  if (codec_ != CompressionCodec::kUncompressed) {
    BTSTORE_RETURN_IF_ERROR(compress(codec_, body, compressed_));
    if (compressed_.size() > kMaxPageBytes) {
      return Status::InvalidArgument("compressed page exceeds the 2 GiB Parquet page limit");
    }
    stored = compressed_;
  }
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(stored.size());
  if (write_crc_) {
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(stored.data()),
                            static_cast<uInt>(stored.size()));
    header.crc = static_cast<int32_t>(static_cast<uint32_t>(crc));
  }
  const auto offset = static_cast<int64_t>(file_.size());
  thrift::CompactWriter w(file_);
  encode(w, header);
  const auto header_size = static_cast<int64_t>(file_.size()) - offset;
  file_.append(stored);
  total_uncompressed_ += header_size + static_cast<int64_t>(body.size());
  total_compressed_ += header_size + static_cast<int64_t>(stored.size());
  return offset;
}

}  // namespace btstore::parquet
