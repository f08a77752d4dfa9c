// A FileStore that hands every call to a real one: the base of the tests' wrappers that fail,
// crash or run a hook at chosen operations (they override just those).
//
// Only FileStore's pure virtual functions are forwarded. The ones with a default (remove_many,
// open_result, read_entry, restore_entry) keep it, so that remove_many and open_result go
// through this object's remove() and read(), where a wrapper can intercept them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filestore/file_store.h"

namespace btstore::testing {

class ForwardingFileStore : public filestore::FileStore {
 public:
  explicit ForwardingFileStore(std::unique_ptr<FileStore> real) : real_(std::move(real)) {}

  Result<filestore::Staged> stage(std::string_view task_id,
                                  const std::vector<filestore::FileContent>& files) override {
    return real_->stage(task_id, files);
  }
  Status publish(filestore::Staged& staged, bool replace, filestore::Staged* replaced) override {
    return real_->publish(staged, replace, replaced);
  }
  Status unpublish(const filestore::Staged& staged, const filestore::Staged* replaced) override {
    return real_->unpublish(staged, replaced);
  }
  Status discard(const filestore::Staged& staged) override { return real_->discard(staged); }
  Status remove(std::string_view task_id) override { return real_->remove(task_id); }
  Result<std::string> read(std::string_view task_id, std::string_view name,
                           uint64_t max_bytes) override {
    return real_->read(task_id, name, max_bytes);
  }
  Result<std::vector<std::pair<std::string, uint64_t>>> list_files(
      std::string_view task_id) override {
    return real_->list_files(task_id);
  }
  Result<std::vector<filestore::Entry>> entries() override { return real_->entries(); }
  Status remove_entry(const filestore::Entry& entry) override { return real_->remove_entry(entry); }

 private:
  std::unique_ptr<FileStore> real_;
};

}  // namespace btstore::testing
