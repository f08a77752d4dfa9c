// A generated legacy JSON store for the migration tests: tiny random results
// as {task_id}.json files, some gzip-compressed, some nested, some without a
// task_id of their own, some malformed, some whose name disagrees with their
// task_id, and copies of one task_id in several files (identical or not).
// It also computes what a migration must end with.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "common/uuid.h"
#include "json/result_writer.h"
#include "legacy/codec.h"
#include "support/random_result.h"

namespace btstore::testing {

struct LegacyCorpus {
  size_t files = 0;
  size_t invalid = 0;           // malformed or name/task_id mismatch: reported as failed
  size_t identical_copies = 0;  // skipped
  size_t different_copies = 0;  // conflicts
  // task_id -> relative path -> canonical JSON of every valid file.
  std::map<std::string, std::map<std::string, std::string>> valid;

  // What the catalog must hold: per task_id, the first valid file in path order.
  std::map<std::string, std::string> expected() const {
    std::map<std::string, std::string> out;
    for (const auto& [id, files] : valid) out[id] = files.begin()->second;
    return out;
  }
  size_t conflicts() const {
    size_t n = 0;
    for (const auto& [id, files] : valid) {
      for (const auto& [rel, text] : files) n += text != files.begin()->second;
    }
    return n;
  }
};

inline model::BacktestResult tiny_result(std::mt19937_64& rng) {
  RandomResultOptions o;
  o.max_symbols = 2;
  o.max_signals = 3;
  o.max_curve = 3;
  return random_result(rng, o);
}

class LegacyCorpusBuilder {
 public:
  LegacyCorpusBuilder(std::filesystem::path root, uint64_t seed)
      : root_(std::move(root)), rng_(seed) {}

  // `results` distinct results plus the damaged files and copies, in proportion.
  LegacyCorpus build(size_t results) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < results; ++i) {
      model::BacktestResult r = tiny_result(rng_);
      std::string rel =
          (i % 3 == 0 ? "y" + std::to_string(i % 7) + "/m" + std::to_string(i % 5) + "/" : "") +
          r.header.task_id + (i % 10 == 0 ? ".json.gz" : ".json");
      add_valid(rel, r, i % 50 == 1);
      ids.push_back(r.header.task_id);
    }
    for (size_t i = 0; i < results / 60 + 1; ++i) {  // identical copies elsewhere
      const std::string& id = ids[(i * 7) % ids.size()];
      std::string text = corpus_.valid[id].begin()->second;
      write("copies/" + id + ".json", text);
      corpus_.valid[id]["copies/" + id + ".json"] = text;
      ++corpus_.identical_copies;
    }
    for (size_t i = 0; i < results / 100 + 1; ++i) {  // same task_id, different content
      const std::string& id = ids[(i * 13 + 5) % ids.size()];
      model::BacktestResult other = tiny_result(rng_);
      other.header.task_id = id;
      add_valid("other/" + id + ".json.gz", other, false);
      ++corpus_.different_copies;
    }
    for (size_t i = 0; i < results / 50 + 1; ++i) add_malformed(i);
    for (size_t i = 0; i < results / 200 + 1; ++i) {  // named after another task_id
      model::BacktestResult r = tiny_result(rng_);
      write("renamed/" + generate_uuid_v4() + ".json", json::write_result(r, 0));
      ++corpus_.invalid;
    }
    return corpus_;
  }

 private:
  void write(const std::string& rel, const std::string& bytes) {
    std::filesystem::path p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    ++corpus_.files;
  }

  void add_valid(const std::string& rel, const model::BacktestResult& r, bool drop_task_id) {
    std::string text = json::write_result(r, (corpus_.files % 2) * 2);
    if (drop_task_id) {
      std::string member = "\"task_id\"";
      size_t at = text.find(member);
      size_t end = text.find(',', at);
      text.erase(at, end - at + 1);
    }
    bool gz = rel.ends_with(".gz");
    write(rel, gz ? *legacy::gzip(text) : text);
    corpus_.valid[r.header.task_id][rel] = json::write_result(r, 0);
  }

  void add_malformed(size_t i) {
    model::BacktestResult r = tiny_result(rng_);
    std::string text = json::write_result(r, 0);
    std::string rel = "bad/" + r.header.task_id + (i % 5 == 4 ? ".json.gz" : ".json");
    switch (i % 5) {
      case 0: text = text.substr(0, text.size() / 2); break;                 // truncated
      case 1: text.replace(text.find("\"status\":\"") + 10, 1, "X"); break;  // bad status
      case 2: text = ""; break;
      case 3: text = "[1,2,3]"; break;                          // not an object
      case 4: text = legacy::gzip(text)->substr(0, 20); break;  // broken gzip
    }
    write(rel, text);
    ++corpus_.invalid;
  }

  std::filesystem::path root_;
  std::mt19937_64 rng_;
  LegacyCorpus corpus_;
};

}  // namespace btstore::testing
