// The btstore command line run against the test database: helpers shared by
// the CLI tests (parsing its --json output, reading files, exit code checks).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "json/result_parser.h"
#include "storage_fixture.h"

namespace btstore::testing {

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<fs::path> example_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(BTSTORE_SOURCE_DIR) / "examples")) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The document `get` must print for an input: what the parser makes of it,
// written back (catalog fields follow it).
inline std::string canonical_document(const std::string& input) {
  auto model = json::parse_result(input);
  EXPECT_TRUE(model.ok()) << model.status().to_string();
  return model.ok() ? json::write_result(*model, 0) : "";
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

inline size_t size_of(simdjson::dom::array array) { return array.size(); }

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

#define EXPECT_EXIT_CODE(run, code) EXPECT_EQ((run).exit_code, code) << (run).describe()
#define ASSERT_EXIT_CODE(run, code) ASSERT_EQ((run).exit_code, code) << (run).describe()

class CliStorageTest : public StorageFixture {
 protected:
  // Saves one document through the CLI and returns its task id.
  std::string save(const ResultSpec& spec) {
    RunResult r = cli({"save", write_file("r.json", result_json(spec)), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    simdjson::dom::parser parser;
    try {
      return str(parse_json(parser, r.out)["task_id"]);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << ": " << r.out;
      return "";
    }
  }

  // `list ... --json` -> the task ids of the page, and its cursor ("" when none).
  std::vector<std::string> list_ids(std::vector<std::string> args, std::string* cursor = nullptr) {
    args.insert(args.begin(), "list");
    args.push_back("--json");
    RunResult r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    std::vector<std::string> ids;
    simdjson::dom::parser parser;
    try {
      auto doc = parse_json(parser, r.out);
      for (auto e : doc["results"].get_array()) ids.push_back(str(e["task_id"]));
      if (cursor) *cursor = doc["next_cursor"].is_null() ? "" : str(doc["next_cursor"]);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << ": " << r.out;
    }
    return ids;
  }

  RunResult verify(std::vector<std::string> args = {}) {
    args.insert(args.begin(), "verify");
    return cli(args);
  }
};

}  // namespace btstore::testing
