// The consistency check of the fault suites: after any fault, a store must be "consistent":
//   - every save that reported success is there in full (its row, its four files, the content
//     that was saved) and passes verify;
//   - everything else is absent (no other rows; a directory without a row, a staging or a trash
//     leftover is tolerated until repair sweeps it);
//   - no row points to missing files;
//   - `verify --repair --grace 0s` leaves zero problems and nothing but results under backtests/.
//
// Usage (header-only; include "faults/store_check.h"):
//
//   faults::StoreCheckOptions check;
//   check.storage = options;                       // database_url + root (schema via PGOPTIONS)
//   check.expected[id].digests = {faults::content_digest(json)};   // a save that succeeded
//   check.expected[id2] = faults::Expected::maybe({faults::content_digest(json2)});  // killed
//   faults::StoreCheck result = faults::check_store(check);
//   EXPECT_TRUE(result.ok()) << result.describe();
//
// With `repair`, the rows and contents are judged after `verify --repair --grace 0s` (which also
// puts back the files of a --replace killed between its swap and COMMIT); before it, verify may
// report only what repair sweeps or puts back.
// A task missing from `expected` must be absent (unless allow_other_rows). Digests compare the
// canonical document (what `btstore get` prints, without the catalog fields it appends).
// check_store() repairs the store when `repair` is set (the default): call it when no writer
// runs, or set repair = false and grace to cover the writers in flight.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/storage.h"
#include "common/md5.h"
#include "common/uuid.h"
#include "json/result_parser.h"
#include "json/result_writer.h"

namespace btstore::faults {

// MD5 of the canonical form of a BacktestResult document; "" when it does not parse.
inline std::string content_digest(std::string_view json) {
  auto model = json::parse_result(json);
  return model.ok() ? md5_hex(json::write_result(*model, 0)) : std::string();
}

struct Expected {
  std::set<std::string> digests;  // acceptable contents (any one); empty = any content
  bool may_be_absent = false;     // outcome unknown (a killed or failed save/delete)
  bool may_be_running = false;    // a registered task: its row may still be `running`, no files

  static Expected saved(std::string digest) { return Expected{{std::move(digest)}, false, false}; }
  static Expected maybe(std::set<std::string> digests) {
    return Expected{std::move(digests), true, false};
  }
};

struct StoreCheckOptions {
  StorageOptions storage;                    // database_url and root (home defaults to root)
  std::map<std::string, Expected> expected;  // task_id (canonical, lower case) -> expectation
  bool allow_other_rows = false;             // rows of tasks not in `expected` are fine
  bool repair = true;  // run verify --repair --grace 0s, then require zero problems
};

struct StoreCheck {
  std::vector<std::string> violations;  // readable, one per problem found
  int rows = 0;                         // catalog rows seen
  int repaired = 0;                     // leftovers the repair removed
  bool ok() const { return violations.empty(); }
  std::string describe() const {
    std::string out;
    for (const auto& v : violations) out += "  " + v + "\n";
    return out.empty() ? "consistent" : "inconsistent:\n" + out;
  }
};

namespace detail {

namespace fs = std::filesystem;

inline const std::set<std::string>& result_file_names() {
  static const std::set<std::string> names = {"symbol_summary.parquet", "symbol_signals.parquet",
                                              "performance_curve.parquet", "metadata.json"};
  return names;
}

// The document part of `get` output: the catalog fields are appended at its end.
inline std::string stored_digest(const std::string& got) {
  size_t at = got.rfind(",\"created_at\":");
  if (at == std::string::npos) return "";
  return content_digest(got.substr(0, at) + "}");
}

inline std::string problem_text(const Problem& p) {
  return p.kind + " " + (p.task_id.empty() ? "(store)" : p.task_id) + ": " + p.detail;
}

// Everything under backtests/: rows' directories must hold exactly the four files; other
// entries must be btstore's (.staging, .trash, UUID directories); after repair no leftovers.
inline void scan_tree(const fs::path& backtests, const std::set<std::string>& with_files,
                      bool after_repair, StoreCheck& out) {
  std::error_code ec;
  if (!fs::exists(backtests, ec)) return;
  const std::string when = after_repair ? " (after repair)" : "";
  for (const auto& e : fs::directory_iterator(backtests, ec)) {
    const std::string name = e.path().filename().string();
    if (name == ".staging" || name == ".trash") {
      if (!e.is_directory(ec)) {
        out.violations.push_back("backtests/" + name + " is not a directory" + when);
        continue;
      }
      if (!after_repair) continue;
      for (const auto& inner : fs::directory_iterator(e.path(), ec)) {
        out.violations.push_back("leftover backtests/" + name + "/" +
                                 inner.path().filename().string() + when);
      }
      continue;
    }
    if (!is_uuid(name) || !e.is_directory(ec)) {
      out.violations.push_back("stray entry backtests/" + name + when);
      continue;
    }
    if (with_files.count(name) == 0) {
      if (after_repair) out.violations.push_back("directory without a row backtests/" + name);
      continue;
    }
    std::set<std::string> files;
    for (const auto& f : fs::directory_iterator(e.path(), ec)) {
      files.insert(f.path().filename().string());
      if (!f.is_regular_file(ec)) {
        out.violations.push_back("backtests/" + name + "/" + f.path().filename().string() +
                                 " is not a regular file" + when);
      }
    }
    if (files != result_file_names()) {
      std::string list;
      for (const auto& f : files) list += " " + f;
      out.violations.push_back("backtests/" + name + "/ holds [" + list +
                               " ] instead of the four result files" + when);
    }
  }
  if (ec) out.violations.push_back("cannot list " + backtests.string() + ": " + ec.message());
}

// Every row, newest first, through the library's paging.
inline Result<std::vector<ResultEntry>> all_rows(ResultStorage& storage) {
  std::vector<ResultEntry> rows;
  ListFilter filter;
  filter.limit = 500;
  for (;;) {
    BTSTORE_ASSIGN_OR_RETURN(ListPage page, storage.list(filter));
    for (auto& e : page.entries) rows.push_back(std::move(e));
    if (page.next_cursor.empty()) return rows;
    filter.after = page.next_cursor;
  }
}

inline std::vector<Problem> verify_all(ResultStorage& storage, bool repair, StoreCheck& out) {
  VerifyOptions v;
  v.repair = repair;
  v.grace = std::chrono::seconds(0);
  auto problems = storage.verify(v);
  if (!problems.ok()) {
    out.violations.push_back("verify failed: " + problems.status().to_string());
    return {};
  }
  return *problems;
}

}  // namespace detail

inline StoreCheck check_store(const StoreCheckOptions& options) {
  StoreCheck out;
  StorageOptions so = options.storage;
  if (so.home.empty()) so.home = so.root;
  auto opened = ResultStorage::open(so);
  if (!opened.ok()) {
    out.violations.push_back("cannot open the store: " + opened.status().to_string());
    return out;
  }
  ResultStorage& storage = **opened;
  // The rows against `expected` (after repair, when there is one).
  std::set<std::string> with_files;
  auto check_rows = [&] {
    auto rows = detail::all_rows(storage);
    if (!rows.ok()) {
      out.violations.push_back("cannot list the catalog: " + rows.status().to_string());
      return;
    }
    out.rows = static_cast<int>(rows->size());
    std::set<std::string> seen;
    with_files.clear();
    for (const ResultEntry& row : *rows) {
      seen.insert(row.task_id);
      const bool has_files = row.status == "completed" || row.file_size.has_value();
      if (has_files) with_files.insert(row.task_id);
      auto it = options.expected.find(row.task_id);
      if (it == options.expected.end()) {
        if (!options.allow_other_rows) {
          out.violations.push_back("unexpected row " + row.task_id + " (" + row.status +
                                   "): no successful save of it is known");
        }
        continue;
      }
      if (!has_files) {
        if (!it->second.may_be_running) {
          out.violations.push_back("row " + row.task_id + " is " + row.status + " without files");
        }
        continue;
      }
      auto got = storage.get_result(row.task_id);
      if (!got.ok()) {
        out.violations.push_back("get " + row.task_id + ": " + got.status().to_string());
        continue;
      }
      const auto& digests = it->second.digests;
      if (!digests.empty() && digests.count(detail::stored_digest(*got)) == 0) {
        out.violations.push_back("get " + row.task_id +
                                 ": the stored content is none of the saved versions");
      }
    }
    for (const auto& [id, expected] : options.expected) {
      if (!expected.may_be_absent && seen.count(id) == 0) {
        out.violations.push_back("lost: " + id + " was saved successfully but has no row");
      }
    }
  };
  // Before repair, only what repair sweeps (or puts back) may be reported.
  for (const Problem& p : detail::verify_all(storage, false, out)) {
    const bool sweepable =
        p.kind == "orphan_dir" || p.kind == "leftover_staging" || p.kind == "leftover_trash";
    // A --replace killed between its swap and COMMIT: repair puts the replaced files back.
    const bool restorable = p.detail.find("verify --repair puts them back") != std::string::npos;
    if (!sweepable && !(restorable && options.repair)) {
      out.violations.push_back("verify: " + detail::problem_text(p));
    }
  }
  const detail::fs::path backtests = detail::fs::path(so.root) / "backtests";
  if (!options.repair) {
    check_rows();
    detail::scan_tree(backtests, with_files, false, out);
    return out;
  }
  for (const Problem& p : detail::verify_all(storage, true, out)) {
    if (p.repaired) {
      ++out.repaired;
    } else {
      out.violations.push_back("verify --repair left: " + detail::problem_text(p));
    }
  }
  for (const Problem& p : detail::verify_all(storage, false, out)) {
    out.violations.push_back("after repair: " + detail::problem_text(p));
  }
  check_rows();
  detail::scan_tree(backtests, with_files, true, out);
  return out;
}

}  // namespace btstore::faults
