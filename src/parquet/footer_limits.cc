#include "parquet/footer_limits.h"

#include <algorithm>
#include <string>

namespace btstore::parquet {

int64_t decoded_row_bytes(const SchemaElement& leaf) {
  constexpr int64_t kNullFlag = 1;
  switch (leaf.type.value_or(Type::kByteArray)) {
    case Type::kBoolean: return 1 + kNullFlag;
    case Type::kInt32:
    case Type::kFloat: return 4 + kNullFlag;
    case Type::kInt64:
    case Type::kDouble: return 8 + kNullFlag;
    case Type::kInt96:
    case Type::kByteArray:
    case Type::kFixedLenByteArray: break;
  }
  return static_cast<int64_t>(sizeof(std::string)) + kNullFlag;
}

Status check_decoded_size(const FileMetaData& md, uint64_t file_bytes) {
  int64_t row_bytes = 0;
  for (size_t i = 1; i < md.schema.size(); ++i) row_bytes += decoded_row_bytes(md.schema[i]);
  if (row_bytes == 0 || md.num_rows <= 0) return Status::OK();
  const int64_t budget =
      std::max(kMinDecodedBytes, kDecodedBytesPerFileByte * static_cast<int64_t>(file_bytes));
  // Compared by division: the product of two forged numbers may overflow.
  if (md.num_rows <= budget / row_bytes) return Status::OK();
  return Status::NotSupported(
      "the footer claims " + std::to_string(md.num_rows) + " rows of " + std::to_string(row_bytes) +
      " bytes each once decoded, more than btstore decodes from a " + std::to_string(file_bytes) +
      "-byte file (" + std::to_string(budget) +
      " bytes); the file is damaged or was written by a tool btstore does not support");
}

}  // namespace btstore::parquet
