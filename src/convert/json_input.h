// A JSON document file mapped into memory for parsing: the parser reads a few bytes past the
// document's end, so the mapping is followed by readable zero bytes (json::kParsePadding).
// Mapping instead of reading spares a copy of the whole document and its page faults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "btstore/status.h"

namespace btstore::convert {

class MappedJson {
 public:
  // NotFound "cannot open 'PATH'" when the file does not exist or cannot be opened;
  // InvalidArgument (json::check_document_size's message) when it is larger than `max_bytes`,
  // found by its size before anything is mapped.
  static Result<MappedJson> open(const std::filesystem::path& path, uint64_t max_bytes);

  MappedJson(MappedJson&& other) noexcept;
  MappedJson& operator=(MappedJson&& other) noexcept;
  MappedJson(const MappedJson&) = delete;
  MappedJson& operator=(const MappedJson&) = delete;
  ~MappedJson();

  // The document; kParsePadding readable bytes follow text().end().
  std::string_view text() const { return {data_, size_}; }

  // Maps the whole document in now (page-cache pages, no copy), sparing a page fault per page
  // later. Advice only.
  void prefetch();

  // Drops the pages wholly inside [begin, end) from memory; reading them again reloads them
  // from the file (the mapping is private and never written). Safe from several threads.
  void release(size_t begin, size_t end);

 private:
  MappedJson(char* region, size_t region_size, size_t size)
      : data_(region), region_size_(region_size), size_(size) {}

  char* data_ = nullptr;
  size_t region_size_ = 0;  // bytes mapped, a whole number of pages
  size_t size_ = 0;
};

}  // namespace btstore::convert
