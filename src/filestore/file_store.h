// Where the files of saved results live. ResultStorage talks to this small
// interface only, so that an object store can take the place of the local
// file system without touching the save/delete protocol.
//
// A result is published in two steps: stage() writes its files where no
// reader looks, durably; publish() makes them visible under
// backtests/{task_id}/ in one atomic step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

namespace btstore::filestore {

struct FileContent {
  std::string name;  // a plain file name: "symbol_summary.parquet", "metadata.json"
  std::string_view bytes;
};

// A staged result: files written durably, not yet visible.
struct Staged {
  std::string task_id;
  std::string location;  // store-specific (for the local store: the temporary directory)
};

// What the store holds, for verify.
struct Entry {
  enum class Kind { kResult, kStaging, kTrash, kUnknown };
  Kind kind;
  std::string name;         // directory name under backtests/ (the task_id for results)
  int64_t age_seconds = 0;  // since the last modification
};

// A staging begun before the files' bytes are known (FileStore::begin_stage).
class PendingStage {
 public:
  virtual ~PendingStage() = default;
  // Writes `files` durably where no reader sees them, as FileStore::stage() does. At most once;
  // on failure nothing stays staged.
  virtual Result<Staged> finish(const std::vector<FileContent>& files) = 0;
};

class FileStore {
 public:
  virtual ~FileStore() = default;

  // Writes `files` for `task_id` durably where no reader sees them.
  virtual Result<Staged> stage(std::string_view task_id, const std::vector<FileContent>& files) = 0;

  // stage() in two steps, so that a save can make the staging location and its files (`names`,
  // expected) ready while it encodes them: finish() writes them. Dropping the pending stage
  // unfinished removes what it made. The default makes nothing ready and calls stage() in
  // finish(), so a store that wraps another sees every staging as a stage() call.
  virtual Result<std::unique_ptr<PendingStage>> begin_stage(std::string_view task_id,
                                                            const std::vector<std::string>& names);

  // Makes a staged result visible as backtests/{task_id}/. Fails with
  // AlreadyExists when one is there, unless `replace`, which swaps the two
  // atomically and keeps the old one staged in `*replaced` (to be discarded
  // after the catalog commits, or put back by unpublish()). On failure nothing
  // is published: the caller does not unpublish a failed publish.
  virtual Status publish(Staged& staged, bool replace, Staged* replaced) = 0;

  // Undoes publish(): the result's files leave backtests/{task_id}/ (and the
  // replaced ones, when given, come back).
  virtual Status unpublish(const Staged& staged, const Staged* replaced) = 0;

  // Removes staged files (after a failed or superseded save).
  virtual Status discard(const Staged& staged) = 0;

  // Removes backtests/{task_id}/; OK when it is already gone.
  virtual Status remove(std::string_view task_id) = 0;

  // remove() of each of `task_ids` (a cleanup's batch); goes on past a failure and returns the
  // first. A store may make the whole batch durable at once; the default removes one by one.
  virtual Status remove_many(const std::vector<std::string>& task_ids) {
    Status first;
    for (const auto& id : task_ids) {
      if (Status st = remove(id); !st.ok() && first.ok()) first = st;
    }
    return first;
  }

  // Reads one file of a published result, refusing files over `max_bytes`.
  virtual Result<std::string> read(std::string_view task_id, std::string_view name,
                                   uint64_t max_bytes) = 0;

  // The files of a published result as they are now: a replace or delete that
  // moves the directory meanwhile cannot mix two versions into one read (the
  // local store holds the directory open). NotFound when absent. The default
  // reads by name.
  using FileReader = std::function<Result<std::string>(std::string_view name, uint64_t max_bytes)>;
  virtual Result<FileReader> open_result(std::string_view task_id) {
    std::string id(task_id);
    return FileReader([this, id](std::string_view name, uint64_t max_bytes) {
      return read(id, name, max_bytes);
    });
  }

  // Names and sizes of a published result's files; NotFound when absent.
  virtual Result<std::vector<std::pair<std::string, uint64_t>>> list_files(
      std::string_view task_id) = 0;

  // Everything under backtests/, for verify and repair.
  virtual Result<std::vector<Entry>> entries() = 0;

  // Removes a staging or trash entry (repair), or a result directory without a row.
  virtual Status remove_entry(const Entry& entry) = 0;

  // Reads one file of a staging entry (repair compares a leftover with the catalog).
  virtual Result<std::string> read_entry(const Entry& entry, std::string_view name,
                                         uint64_t max_bytes) {
    (void)entry, (void)name, (void)max_bytes;
    return Status::NotSupported("this file store cannot read staging entries");
  }

  // Exchanges a staging entry with backtests/{task_id}/ atomically: repair of a replace that
  // was interrupted between its swap and COMMIT puts the replaced files back this way (the
  // displaced files take the entry's place).
  virtual Status restore_entry(const Entry& entry, std::string_view task_id) {
    (void)entry, (void)task_id;
    return Status::NotSupported("this file store cannot restore staging entries");
  }

  // "backtests/{task_id}/", the catalog's parquet_path.
  static std::string relative_path(std::string_view task_id);
};

// The local file system below `root`: results in root/backtests/{task_id}/,
// staging in root/backtests/.staging/, deletions pass through root/backtests/.trash/.
std::unique_ptr<FileStore> open_local_file_store(const std::string& root);

}  // namespace btstore::filestore
