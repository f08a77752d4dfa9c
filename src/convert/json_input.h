// A JSON document file mapped into memory for parsing: the parser reads a few bytes past the
// document's end, so the mapping is followed by readable zero bytes (json::kParsePadding).
// Mapping instead of reading spares a copy of the whole document and its page faults.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "btstore/status.h"

namespace btstore::convert {

class MappedJson {
 public:
  // NotFound "cannot open 'PATH'" when the file does not exist or cannot be opened.
  static Result<MappedJson> open(const std::filesystem::path& path);

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

  // Drops the pages wholly before `offset` from memory; reading them again reloads them from
  // the file (the mapping is private and never written).
  void release_before(size_t offset);

 private:
  MappedJson(char* region, size_t region_size, size_t size)
      : data_(region), region_size_(region_size), size_(size) {}

  char* data_ = nullptr;
  size_t region_size_ = 0;  // bytes mapped, a whole number of pages
  size_t size_ = 0;
  size_t released_ = 0;  // bytes already released, a whole number of pages
};

}  // namespace btstore::convert
