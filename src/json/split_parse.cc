#include "json/split_parse.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "common/parallel.h"
#include "json/result_parser.h"
#include "json/section_readers.h"
#include "model/schema.h"

namespace btstore::json {
namespace {

// The elements split into `parts` runs of consecutive symbols of about equal bytes.
std::vector<std::span<const ByteRange>> split_by_bytes(const std::vector<ByteRange>& elements,
                                                       size_t parts) {
  size_t total = 0;
  for (const ByteRange& e : elements) total += e.end - e.begin;
  std::vector<std::span<const ByteRange>> runs;
  size_t first = 0, bytes = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    bytes += elements[i].end - elements[i].begin;
    const size_t left = parts - runs.size();
    if (left > 1 && bytes * parts >= total * (runs.size() + 1)) {
      runs.emplace_back(elements.data() + first, i + 1 - first);
      first = i + 1;
    }
  }
  if (first < elements.size()) runs.emplace_back(elements.data() + first, elements.size() - first);
  return runs;
}

template <typename C>
void append_column(C& to, C& from) {
  if (to.size() == 0) {
    to = std::move(from);
    return;
  }
  to.values.insert(to.values.end(), std::make_move_iterator(from.values.begin()),
                   std::make_move_iterator(from.values.end()));
  to.defined.insert(to.defined.end(), from.defined.begin(), from.defined.end());
}

// Moves the rows of `parts`' three tables, in order, after those of `to`: each column on its
// own, the columns side by side on `threads` threads.
void append_tables(model::BacktestResult& to, std::vector<model::BacktestResult>& parts,
                   size_t threads) {
  std::vector<std::pair<model::ColumnPtr, std::vector<model::ColumnPtr>>> columns;
  for (model::TableKind kind : model::kAllTables) {
    const model::TableView target = model::mutable_view(to, kind);
    for (size_t i = 0; i < target.columns.size(); ++i) {
      std::vector<model::ColumnPtr> sources;
      for (model::BacktestResult& part : parts) {
        sources.push_back(model::mutable_view(part, kind).columns[i]);
      }
      columns.emplace_back(target.columns[i], std::move(sources));
    }
  }
  (void)run_parallel(columns.size(), threads_for(threads, columns.size()), [&](size_t c) {
    std::visit(
        [&](auto* dst) {
          for (const model::ColumnPtr& src : columns[c].second) {
            append_column(*dst, *std::get<std::remove_pointer_t<decltype(dst)>*>(src));
          }
        },
        columns[c].first);
    return Status::OK();
  });
}

bool names_unique(const model::StringColumn& names) {
  std::unordered_set<std::string_view> seen;
  for (const std::string& name : names.values) {
    if (!seen.insert(name).second) return false;
  }
  return true;
}

}  // namespace

size_t split_runs(size_t json_bytes, size_t elements, size_t threads, size_t min_bytes_per_thread) {
  const size_t by_size =
      min_bytes_per_thread == 0 ? elements : std::max<size_t>(1, json_bytes / min_bytes_per_thread);
  return threads_for(threads, std::min(elements, by_size));
}

std::optional<model::BacktestResult> parse_split(
    std::string_view json, const SymbolsLayout& layout, size_t threads, size_t min_bytes_per_thread,
    const std::function<void(size_t, size_t)>& consumed) {
  // The root with "symbols": [] in place of the array, read by the whole-document parser.
  std::string skeleton;
  skeleton.reserve(json.size() - (layout.close - layout.open) + 1 + kParsePadding);
  skeleton.append(json.substr(0, layout.open + 1)).append(json.substr(layout.close));
  const size_t skeleton_size = skeleton.size();
  skeleton.append(kParsePadding, ' ');
  ParseOptions whole;
  whole.split_symbols = false;
  Result<model::BacktestResult> root =
      parse_result_in_place(std::string_view(skeleton.data(), skeleton_size), whole);
  if (!root.ok() || root->summary.num_rows() != 0) return std::nullopt;

  const std::vector<std::span<const ByteRange>> runs = split_by_bytes(
      layout.elements,
      split_runs(json.size(), layout.elements.size(), threads, min_bytes_per_thread));
  std::vector<model::BacktestResult> parts(runs.size());
  std::vector<char> read(runs.size(), 0);
  const std::function<void(ByteRange)> release = [&](ByteRange r) {
    if (consumed) consumed(r.begin, r.end);
  };
  (void)run_parallel(runs.size(), runs.size(), [&](size_t i) {
    // The first run's columns receive the others' rows: they are reserved for all of them, so
    // that appending copies the later rows only (reserved pages that are never written cost
    // nothing).
    const size_t reserve_bytes =
        (i == 0 ? runs.back() : runs[i]).back().end - runs[i].front().begin;
    const size_t first_index = static_cast<size_t>(runs[i].data() - layout.elements.data());
    read[i] = read_symbol_elements(json, runs[i], first_index, reserve_bytes, parts[i], release);
    return Status::OK();
  });
  for (size_t i = 0; i < runs.size(); ++i) {
    if (!read[i]) return std::nullopt;
  }
  append_tables(*root, parts, runs.size());
  if (!names_unique(root->summary.symbol)) return std::nullopt;
  return std::move(*root);
}

}  // namespace btstore::json
