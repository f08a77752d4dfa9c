// verify: every completed row has its files, exact schemas, row counts equal to
// record_count and metadata.json, MD5s equal to the recorded etags and ordered
// timestamps; metadata.json is exactly what btstore writes and agrees with the
// row; the store has no directory without a row and no leftovers.
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "common/md5.h"
#include "common/parallel.h"
#include "common/time.h"
#include "convert/result_files.h"
#include "json/manifest_json.h"
#include "model/schema.h"
#include "storage/pg_result_storage.h"

namespace btstore::storage {
namespace {

// Rows whose files are checked side by side before their problems are reported.
constexpr size_t kVerifyBatch = 64;

Problem problem(std::string task_id, std::string kind, std::string detail) {
  return Problem{std::move(task_id), std::move(kind), std::move(detail), false};
}

// A field metadata.json and the catalog row disagree on.
Problem header_problem(const std::string& task_id, const std::string& field) {
  return problem(task_id, "manifest", "metadata.json and the catalog row differ in " + field);
}

std::string kind_for(const Status& st) {
  switch (st.code()) {
    case StatusCode::kNotFound: return "missing_files";
    case StatusCode::kCorruption: return "corrupt_file";
    case StatusCode::kNotSupported: return "unsupported_file";
    default: return "unreadable";
  }
}

// Whether two JSON values are the same: the catalog keeps metadata as jsonb,
// which may reorder keys and respace, so the texts cannot be compared.
bool same_json(simdjson::dom::element a, simdjson::dom::element b) {
  using Type = simdjson::dom::element_type;
  if (a.type() != b.type()) {
    // jsonb may write 1.0 as 1.0 and simdjson read 10 as an integer: compare numbers as numbers.
    auto na = a.get_double(), nb = b.get_double();
    return !na.error() && !nb.error() && na.value() == nb.value();
  }
  switch (a.type()) {
    case Type::ARRAY: {
      simdjson::dom::array x = a.get_array().value(), y = b.get_array().value();
      if (x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (!same_json(*i, *j)) return false;
      }
      return true;
    }
    case Type::OBJECT: {
      simdjson::dom::object x = a.get_object().value(), y = b.get_object().value();
      if (x.size() != y.size()) return false;
      for (auto field : x) {
        simdjson::dom::element other;
        if (y.at_key(field.key).get(other) != simdjson::SUCCESS) return false;
        if (!same_json(field.value, other)) return false;
      }
      return true;
    }
    case Type::STRING: return a.get_string().value() == b.get_string().value();
    case Type::INT64: return a.get_int64().value() == b.get_int64().value();
    case Type::UINT64: return a.get_uint64().value() == b.get_uint64().value();
    case Type::DOUBLE: return a.get_double().value() == b.get_double().value();
    case Type::BOOL: return a.get_bool().value() == b.get_bool().value();
    case Type::NULL_VALUE: return true;
  }
  return false;
}

// Whether two JSON texts hold the same value; std::nullopt when one holds a number beyond
// what simdjson reads (1E400, 30-digit integers), which only jsonb can compare.
std::optional<bool> same_json_text(const std::string& a, const std::string& b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::element ea, eb;
  if (pa.parse(a).get(ea) != simdjson::SUCCESS || pb.parse(b).get(eb) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return same_json(ea, eb);
}

// The fields metadata.json shares with the catalog row must agree: a damaged
// byte that still parses shows up here (metadata.json has no checksum). Sets
// *metadata_undecided when only PostgreSQL can compare the metadata.
std::vector<std::string> header_mismatches(const model::BacktestResult& result,
                                           const catalog::CatalogRecord& record,
                                           bool* metadata_undecided) {
  const model::ResultHeader& h = result.header;
  std::vector<std::string> out;
  auto differs = [&](const char* field, const std::string& file, const std::string& row) {
    if (file != row) out.push_back(std::string(field) + " '" + file + "' vs '" + row + "'");
  };
  differs("strategy", h.strategy, record.strategy);
  differs("start_date", h.start_date, record.start_date);
  differs("end_date", h.end_date, record.end_date);
  differs("status", h.status, record.status);
  differs("timeframe", h.timeframe.value_or("<none>"), record.timeframe.value_or("<none>"));
  if (result.summary.symbol.values != record.symbols) out.push_back("symbols");
  std::optional<bool> same = same_json_text(h.metadata_json, record.metadata_json);
  *metadata_undecided = !same.has_value();
  if (same == false) out.push_back("metadata");
  return out;
}

// Problems that mean "these files are not the ones the row describes".
bool is_mismatch(const std::string& kind) {
  return kind == "row_count" || kind == "file_size" || kind == "manifest";
}

}  // namespace

PgResultStorage::FileCheck PgResultStorage::check_files(const catalog::CatalogRecord& record,
                                                        const filestore::Entry* staged) const {
  FileCheck check;
  if (!has_files(record)) return check;  // a registered task has no files yet
  std::vector<Problem>& problems = check.problems;
  const std::string& id = record.task_id;
  std::map<std::string, std::string, std::less<>> md5_by_file;
  auto source = [&](std::string_view name, uint64_t max_bytes) {
    return staged ? files_->read_entry(*staged, name, max_bytes)
                  : files_->read(id, name, max_bytes);
  };
  std::string manifest_bytes;
  auto on_file = [&](std::string_view name, std::string_view bytes) {
    md5_by_file[std::string(name)] = md5_hex(bytes);
    if (name == model::kManifestFileName) manifest_bytes = bytes;
  };
  model::Manifest manifest;
  auto result = convert::read_result(source, &manifest, on_file);
  if (!result.ok()) {
    problems.push_back(problem(id, kind_for(result.status()), result.status().message()));
    return check;
  }
  int64_t total_bytes = 0;
  for (const auto& f : manifest.parquet_files) {
    std::string name = f.table + convert::kParquetSuffix;
    if (md5_by_file[name] != f.etag) {
      problems.push_back(problem(
          id, "etag",
          name + ": MD5 " + md5_by_file[name] + " differs from the recorded etag " + f.etag));
    }
    total_bytes += f.file_size_bytes;
  }
  if (manifest.header.task_id != id) {
    problems.push_back(
        problem(id, "manifest", "metadata.json names task " + manifest.header.task_id));
  }
  // btstore writes metadata.json deterministically: other bytes for the same
  // content (spaces, escapes, a lost final newline) mean damage or an edit.
  if (json::write_manifest(manifest) != manifest_bytes) {
    problems.push_back(problem(id, "manifest",
                               "metadata.json is not byte for byte what btstore writes for its "
                               "content: damaged or edited"));
  }
  if (!parse_compression(manifest.compression).ok()) {
    problems.push_back(
        problem(id, "manifest",
                "metadata.json names an unknown compression '" + manifest.compression + "'"));
  }
  auto created = parse_timestamp(manifest.created_at);
  if (!created.ok() || format_timestamp(*created) != manifest.created_at) {
    problems.push_back(problem(id, "manifest",
                               "metadata.json's created_at '" + manifest.created_at +
                                   "' is not a timestamp as btstore writes it"));
  }
  bool metadata_undecided = false;
  for (const auto& field : header_mismatches(*result, record, &metadata_undecided)) {
    problems.push_back(header_problem(id, field));
  }
  if (metadata_undecided) {
    check.metadata_at = problems.size();
    check.file_metadata = result->header.metadata_json;
  }
  int64_t signals = static_cast<int64_t>(result->signals.num_rows());
  if (!record.record_count || *record.record_count != signals) {
    problems.push_back(problem(
        id, "row_count",
        "symbol_signals.parquet holds " + std::to_string(signals) +
            " rows, the catalog's record_count is " +
            (record.record_count ? std::to_string(*record.record_count) : std::string("null"))));
  }
  if (!record.file_size || *record.file_size != total_bytes) {
    problems.push_back(problem(
        id, "file_size",
        "the Parquet files total " + std::to_string(total_bytes) + " bytes, the catalog records " +
            (record.file_size ? std::to_string(*record.file_size) : std::string("null"))));
  }
  return check;
}

Result<std::vector<PgResultStorage::FileCheck>> PgResultStorage::check_side_by_side(
    const std::vector<catalog::CatalogRecord>& records, int jobs) const {
  std::vector<FileCheck> checks(records.size());
  const size_t threads = threads_for(static_cast<size_t>(std::max(jobs, 0)), records.size());
  BTSTORE_RETURN_IF_ERROR(run_parallel(records.size(), threads, [&](size_t i) {
    checks[i] = check_files(records[i], nullptr);
    return Status::OK();
  }));
  return checks;
}

void PgResultStorage::finish_check(const catalog::CatalogRecord& record, FileCheck& check,
                                   std::vector<Problem>& problems) {
  if (check.file_metadata) {
    auto equal = catalog_.metadata_equals(record.task_id, *check.file_metadata);
    if (!equal.ok() || !*equal) {
      check.problems.insert(check.problems.begin() + static_cast<std::ptrdiff_t>(check.metadata_at),
                            header_problem(record.task_id, "metadata"));
    }
  }
  for (Problem& p : check.problems) problems.push_back(std::move(p));
}

void PgResultStorage::verify_record(const catalog::CatalogRecord& record,
                                    std::vector<Problem>& problems,
                                    const filestore::Entry* staged) {
  FileCheck check = check_files(record, staged);
  finish_check(record, check, problems);
}

// A --replace interrupted between its directory swap and COMMIT leaves the row
// describing the replaced files, which wait in .staging/{task_id}.{uuid}: when a
// leftover of the task verifies clean against the row, repair swaps it back.
void PgResultStorage::restore_interrupted_replaces(
    const VerifyOptions& options, std::map<std::string, catalog::CatalogRecord>& mismatched,
    const std::vector<filestore::Entry>& entries, std::vector<Problem>& problems) {
  for (const auto& e : entries) {
    if (e.kind != filestore::Entry::Kind::kStaging) continue;
    const std::string inner = e.name.substr(e.name.find('/') + 1);
    auto it = mismatched.find(inner.substr(0, inner.find('.')));
    if (it == mismatched.end()) continue;
    std::vector<Problem> trial;
    verify_record(it->second, trial, &e);
    if (!trial.empty()) continue;
    std::string note = "; backtests/" + e.name +
                       " holds the files the row describes (a --replace "
                       "interrupted before COMMIT)";
    bool restored = false;
    if (options.repair && e.age_seconds >= options.grace.count()) {
      Status st = files_->restore_entry(e, it->first);
      restored = st.ok();
      note += st.ok() ? ": put back" : ": could not put them back: " + st.message();
    } else {
      note += "; verify --repair puts them back";
    }
    for (auto& p : problems) {
      if (p.task_id != it->first || !is_mismatch(p.kind) || p.repaired) continue;
      p.detail += note;
      p.repaired = restored;
    }
    if (restored) mismatched.erase(it);
  }
}

Status PgResultStorage::verify_store(const VerifyOptions& options, std::vector<Problem>& problems) {
  std::set<std::string> rows;
  std::map<std::string, catalog::CatalogRecord> mismatched;  // files unlike the row says
  size_t total = 0, done = 0;
  if (options.progress) {
    BTSTORE_ASSIGN_OR_RETURN(int64_t count, catalog_.count(catalog::ListFilter{}));
    total = static_cast<size_t>(count);
  }
  // The files of a batch of rows are checked side by side; what needs the connection (the
  // rare metadata only PostgreSQL can compare) and the reports follow in the rows' order.
  std::vector<catalog::CatalogRecord> batch;
  auto check_batch = [&]() -> Status {
    BTSTORE_ASSIGN_OR_RETURN(std::vector<FileCheck> checks,
                             check_side_by_side(batch, options.jobs));
    for (size_t i = 0; i < batch.size(); ++i) {
      const catalog::CatalogRecord& r = batch[i];
      // A registered task's row does not own a directory: one there is a leftover.
      if (has_files(r)) rows.insert(r.task_id);
      const size_t before = problems.size();
      finish_check(r, checks[i], problems);
      for (size_t j = before; j < problems.size(); ++j) {
        if (is_mismatch(problems[j].kind)) mismatched.emplace(r.task_id, r);
      }
      // Rows saved since the count make the total grow rather than be passed.
      if (options.progress) options.progress(++done, std::max(total, done));
    }
    batch.clear();
    return Status::OK();
  };
  BTSTORE_RETURN_IF_ERROR(catalog_.for_each([&](const catalog::CatalogRecord& r) {
    batch.push_back(r);
    return batch.size() < kVerifyBatch ? Status::OK() : check_batch();
  }));
  BTSTORE_RETURN_IF_ERROR(check_batch());
  BTSTORE_ASSIGN_OR_RETURN(std::vector<filestore::Entry> entries, files_->entries());
  restore_interrupted_replaces(options, mismatched, entries, problems);
  using Kind = filestore::Entry::Kind;
  for (const auto& e : entries) {
    Problem p;
    if (e.kind == Kind::kResult && rows.count(e.name) == 0) {
      p = problem(e.name, "orphan_dir",
                  "backtests/" + e.name + "/ belongs to no saved result in the catalog");
    } else if (e.kind == Kind::kStaging) {
      p = problem("", "leftover_staging", "backtests/" + e.name + " (an interrupted save)");
    } else if (e.kind == Kind::kTrash) {
      p = problem("", "leftover_trash", "backtests/" + e.name + " (an interrupted delete)");
    } else if (e.kind == Kind::kUnknown) {
      p = problem("", "unknown_entry", "backtests/" + e.name + " is not btstore's");
    } else {
      continue;
    }
    bool young = e.age_seconds < options.grace.count() && e.kind != Kind::kTrash;
    if (options.repair && e.kind != Kind::kUnknown) {
      if (young) {
        p.detail += "; left alone: younger than the grace period, a save may be in flight";
      } else {
        Status st = files_->remove_entry(e);
        p.repaired = st.ok();
        if (st.ok()) {
          p.detail += "; removed";
        } else {
          p.detail += "; could not remove: " + st.message();
        }
      }
    }
    problems.push_back(std::move(p));
  }
  return Status::OK();
}

Status PgResultStorage::verify_ids(const VerifyOptions& options, std::vector<Problem>& problems) {
  const size_t total = options.task_ids.size();
  // Rows are read a batch at a time and their files checked side by side; the problems follow
  // in the order of the ids.
  for (size_t begin = 0; begin < total; begin += kVerifyBatch) {
    const size_t end = std::min(total, begin + kVerifyBatch);
    // Per id of the batch: empty when its row was found (in `records`), else the id.
    std::vector<std::string> missing(end - begin);
    std::vector<catalog::CatalogRecord> records;
    for (size_t i = begin; i < end; ++i) {
      BTSTORE_ASSIGN_OR_RETURN(std::string id, checked_task_id(options.task_ids[i]));
      auto record = catalog_.get(id);
      if (record.ok()) {
        records.push_back(*std::move(record));
      } else if (record.status().code() == StatusCode::kNotFound) {
        missing[i - begin] = std::move(id);
      } else {
        return record.status();
      }
    }
    BTSTORE_ASSIGN_OR_RETURN(std::vector<FileCheck> checks,
                             check_side_by_side(records, options.jobs));
    size_t next = 0;
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = missing[i - begin];
      if (id.empty()) {
        finish_check(records[next], checks[next], problems);
        ++next;
      } else {
        problems.push_back(problem(id, "no_row", "no catalog row for task " + id));
      }
      if (options.progress) options.progress(i + 1, total);
    }
  }
  return Status::OK();
}

Result<std::vector<Problem>> PgResultStorage::verify(const VerifyOptions& options) {
  std::lock_guard lock(mu_);
  std::vector<Problem> problems;
  BTSTORE_RETURN_IF_ERROR(options.task_ids.empty() ? verify_store(options, problems)
                                                   : verify_ids(options, problems));
  if (options.repair) {
    // A completed row whose files are gone cannot be served: remove the row so
    // that the store is consistent again (the loss is reported, not hidden).
    for (auto& p : problems) {
      if (p.kind != "missing_files" || p.repaired) continue;
      auto removed = catalog_.remove(p.task_id);
      p.repaired = removed.ok();
      p.detail += removed.ok() ? "; catalog row removed" : "; could not remove the row";
    }
  }
  return problems;
}

}  // namespace btstore::storage
