#include "migration/migrate.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/uuid.h"
#include "legacy/legacy_store.h"
#include "storage/stored_reader.h"

namespace btstore::migration {
namespace {

using Group = std::vector<const legacy::LegacyFile*>;

// Groups by the task_id of the file name; a file not named after a UUID is a
// group of its own (its task_id is known only once it is parsed).
std::vector<Group> group_files(const std::vector<legacy::LegacyFile>& files) {
  std::map<std::string, Group> groups;
  for (const auto& f : files) {
    std::string key = is_uuid(f.stem) ? canonical_uuid(f.stem) : "file:" + f.relative;
    groups[key].push_back(&f);
  }
  std::vector<Group> out;
  for (auto& [key, g] : groups) out.push_back(std::move(g));
  // Bigger groups first keeps the workers evenly busy at the end.
  std::stable_sort(out.begin(), out.end(),
                   [](const Group& a, const Group& b) { return a.size() > b.size(); });
  return out;
}

class GroupMigrator {
 public:
  GroupMigrator(const legacy::LegacyStore& store, storage::StoredReader& reader,
                const MigrateOptions& options)
      : store_(store), reader_(reader), options_(options) {}

  void run(const Group& group, std::vector<FileOutcome>& out) {
    std::optional<legacy::LoadedResult> primary;
    std::string primary_file;
    for (const legacy::LegacyFile* file : group) {
      FileOutcome o{file->relative, "", Outcome::kFailed, "", file->size, 0};
      auto loaded = store_.load(*file);
      if (!loaded.ok()) {
        o.detail = loaded.status().to_string();
      } else if (primary && primary->result.header.task_id == loaded->result.header.task_id) {
        o.task_id = loaded->result.header.task_id;
        if (loaded->canonical == primary->canonical) {
          o.outcome = Outcome::kSkipped;
          o.detail = "identical copy of " + primary_file;
        } else {
          o.outcome = Outcome::kConflict;
          o.detail = "same task_id as " + primary_file + " but different content (" +
                     storage::first_difference(primary->canonical, loaded->canonical) +
                     "); not migrated";
        }
      } else {
        o = migrate_one(*file, *loaded);
        if (!primary) primary = std::move(*loaded), primary_file = file->relative;
      }
      out.push_back(std::move(o));
    }
  }

 private:
  FileOutcome migrate_one(const legacy::LegacyFile& file, const legacy::LoadedResult& loaded) {
    const std::string& id = loaded.result.header.task_id;
    FileOutcome o{file.relative, id, Outcome::kFailed, "", file.size, 0};
    auto stored = reader_.read(id);
    if (!stored.ok()) return o.detail = stored.status().to_string(), o;
    if (stored->has_value()) return compare_or_replace(o, loaded, **stored);
    if (options_.dry_run) return o.outcome = Outcome::kMigrated, o;
    auto saved = reader_.storage().save_result(loaded.canonical, false);
    if (saved.ok()) return finish(o, loaded, Outcome::kMigrated);
    if (saved.status().code() != StatusCode::kAlreadyExists) {
      return o.detail = saved.status().to_string(), o;
    }
    // Saved meanwhile (another file of the same task_id elsewhere, or another
    // process), or a registered task without files: compare with what is there.
    auto again = reader_.read(id);
    if (!again.ok()) return o.detail = again.status().to_string(), o;
    if (again->has_value()) return compare_or_replace(o, loaded, **again);
    o.outcome = Outcome::kConflict;
    o.detail = saved.status().message();
    return o;
  }

  FileOutcome compare_or_replace(FileOutcome& o, const legacy::LoadedResult& loaded,
                                 const storage::StoredResult& stored) {
    if (stored.canonical == loaded.canonical) {
      o.outcome = Outcome::kSkipped;
      o.bytes_after = stored.file_size;
      return o;
    }
    std::string diff = storage::first_difference(stored.canonical, loaded.canonical);
    if (!options_.replace) {
      o.outcome = Outcome::kConflict;
      o.detail = "differs from the saved result (" + diff + "); use --replace to overwrite it";
      return o;
    }
    if (options_.dry_run) return o.outcome = Outcome::kReplaced, o.detail = diff, o;
    auto saved = reader_.storage().save_result(loaded.canonical, true);
    if (!saved.ok()) return o.detail = saved.status().to_string(), o;
    o.detail = diff;
    return finish(o, loaded, Outcome::kReplaced);
  }

  // After a save: the size, and with --verify the value-by-value read-back.
  FileOutcome finish(FileOutcome& o, const legacy::LoadedResult& loaded, Outcome outcome) {
    o.outcome = outcome;
    auto back = reader_.read(o.task_id);
    if (!back.ok() || !back->has_value()) {
      o.outcome = Outcome::kFailed;
      o.detail = "saved, but reading it back failed: " +
                 (back.ok() ? std::string("not found") : back.status().to_string());
      return o;
    }
    o.bytes_after = (*back)->file_size;
    if (options_.verify && (*back)->canonical != loaded.canonical) {
      o.outcome = Outcome::kFailed;
      o.detail = "verify: the saved result differs from the legacy file (" +
                 storage::first_difference((*back)->canonical, loaded.canonical) + ")";
    }
    return o;
  }

  const legacy::LegacyStore& store_;
  storage::StoredReader& reader_;
  const MigrateOptions& options_;
};

void count(MigrateReport& r, const FileOutcome& o, bool verify) {
  r.bytes_before += o.bytes_before;
  r.bytes_after += o.bytes_after;
  switch (o.outcome) {
    case Outcome::kMigrated: ++r.migrated; break;
    case Outcome::kSkipped: ++r.skipped; break;
    case Outcome::kConflict: ++r.conflicts; break;
    case Outcome::kReplaced: ++r.replaced; break;
    case Outcome::kFailed: ++r.failed; break;
  }
  bool saved_now = o.outcome == Outcome::kMigrated || o.outcome == Outcome::kReplaced;
  if (verify && saved_now && o.bytes_after > 0) ++r.verified;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMigrated: return "migrated";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kConflict: return "conflict";
    case Outcome::kReplaced: return "replaced";
    case Outcome::kFailed: return "failed";
  }
  return "unknown";
}

Result<MigrateReport> migrate(const MigrateOptions& options) {
  auto start = std::chrono::steady_clock::now();
  legacy::LegacyStore store(options.from);
  BTSTORE_ASSIGN_OR_RETURN(std::vector<legacy::LegacyFile> files, store.scan());
  std::vector<Group> groups = group_files(files);
  int jobs =
      options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency());
  jobs = std::clamp(jobs, 1, std::max<int>(1, static_cast<int>(groups.size())));
  // One storage (one connection) per worker; opened here, one after the other,
  // so that the first one starts the embedded cluster alone.
  std::vector<std::unique_ptr<storage::StoredReader>> readers;
  for (int i = 0; i < jobs; ++i) {
    BTSTORE_ASSIGN_OR_RETURN(auto reader, storage::StoredReader::open(options.storage));
    readers.push_back(std::move(reader));
  }
  std::atomic<size_t> next{0};
  std::mutex mu;
  size_t done = 0;
  std::vector<FileOutcome> outcomes;
  auto work = [&](storage::StoredReader& reader) {
    GroupMigrator migrator(store, reader, options);
    for (size_t g = next++; g < groups.size(); g = next++) {
      std::vector<FileOutcome> out;
      migrator.run(groups[g], out);
      std::lock_guard lock(mu);
      done += out.size();
      for (auto& o : out) outcomes.push_back(std::move(o));
      if (options.progress) options.progress(done, files.size());
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs; ++i) threads.emplace_back(work, std::ref(*readers[i]));
  work(*readers[0]);
  for (auto& t : threads) t.join();

  MigrateReport report;
  report.files = files.size();
  std::sort(outcomes.begin(), outcomes.end(),
            [](const FileOutcome& a, const FileOutcome& b) { return a.file < b.file; });
  for (const auto& o : outcomes) count(report, o, options.verify);
  report.outcomes = std::move(outcomes);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace btstore::migration
