// Files from other Parquet writers (tests/data): every good file is
// read by `btstore parquet-cat` with values equal to DuckDB's reading, or
// refused with a clear message; every malformed file is refused with an error
// or read consistently. Never a crash, never more than 10 seconds.
// The log gets a table of what happened to each file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "canonical_doc.h"
#include "conformance_compare.h"
#include "interop_env.h"

namespace btstore::interop {
namespace {

namespace fs = std::filesystem;

constexpr double kPerFileSeconds = 10;

// Good files that btstore may refuse as damaged, and why. Any other good file
// refused as corrupt fails the test.
const std::map<std::string, std::string> kKnownDamaged = {
    {"datapage_v1-corrupt-checksum.parquet", "page CRC deliberately wrong (btstore checks CRCs)"},
    {"rle-dict-uncompressed-corrupt-checksum.parquet", "page CRC deliberately wrong"},
    {"nation.dict-malformed.parquet", "dictionary page deliberately malformed"},
};

enum class Outcome { kRead, kUnsupported, kMalformed, kFailed };

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kRead: return "read";
    case Outcome::kUnsupported: return "refused-unsupported";
    case Outcome::kMalformed: return "refused-malformed";
    case Outcome::kFailed: return "FAILED";
  }
  return "?";
}

struct FileReport {
  std::string name;  // relative to the test data directory
  Outcome outcome = Outcome::kFailed;
  std::string detail;
  double seconds = 0;
};

fs::path testdata() { return fs::path(BTSTORE_TESTDATA_DIR); }

std::vector<fs::path> files_in(const fs::path& dir, bool parquet_only) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    bool parquet = n.find(".parquet") != std::string::npos;
    if (e.is_regular_file() && (parquet || !parquet_only) &&
        n.find("README") == std::string::npos && n != "LICENSE.txt") {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Runs parquet-cat and classifies how it ended; *doc gets the output on success.
FileReport cat_file(const fs::path& file, Document* doc) {
  FileReport rep;
  rep.name = fs::relative(file, testdata()).string();
  ProcessResult run = run_cli({"parquet-cat", file.string()}, kPerFileSeconds);
  rep.seconds = run.seconds;
  if (!run.started || run.timed_out || run.signal != 0) {
    rep.detail = run.describe() + " " + first_line(run.err);
    return rep;
  }
  // Under -DBTSTORE_SANITIZE=ON a finding ends the process with exit code 1.
  for (const char* finding : {"AddressSanitizer", "runtime error:", "LeakSanitizer"}) {
    if (run.err.find(finding) != std::string::npos) {
      rep.detail = std::string("sanitizer: ") + finding + " " + first_line(run.err);
      return rep;
    }
  }
  if (run.exit_code != 0) {
    std::string msg = first_line(run.err);
    if (msg.rfind("btstore: ", 0) != 0 || msg.size() < 20) {
      rep.detail =
          "exit " + std::to_string(run.exit_code) + " without a clear message: '" + msg + "'";
      return rep;
    }
    bool unsupported = msg.find("not supported") != std::string::npos;
    rep.outcome = unsupported ? Outcome::kUnsupported : Outcome::kMalformed;
    rep.detail = msg;
    return rep;
  }
  std::vector<Document> docs = parse_documents(run.out);
  if (docs.size() != 1 || !docs[0].error.empty()) {
    rep.detail = "exit 0 but the output is not one document";
    return rep;
  }
  for (const auto& row : docs[0].rows) {
    if (row.size() != docs[0].schema.size()) {
      rep.detail = "exit 0 but a row has the wrong number of cells";
      return rep;
    }
  }
  *doc = std::move(docs[0]);
  rep.outcome = Outcome::kRead;
  return rep;
}

void print_table(const char* title, const std::vector<FileReport>& reports) {
  std::map<Outcome, int> counts;
  std::printf("\n%s\n%-72s %-20s %6s  %s\n", title, "file", "outcome", "sec", "detail");
  for (const auto& r : reports) {
    ++counts[r.outcome];
    std::printf("%-72s %-20s %6.2f  %s\n", r.name.c_str(), outcome_name(r.outcome), r.seconds,
                r.detail.substr(0, 160).c_str());
  }
  std::printf("totals:");
  for (auto [o, n] : counts) std::printf(" %s %d;", outcome_name(o), n);
  std::printf(" of %zu files\n", reports.size());
  std::fflush(stdout);
}

std::vector<fs::path> good_files() {
  std::vector<fs::path> files = files_in(testdata() / "parquet-testing" / "data", true);
  for (auto* dir : {"arrow-testing-parquet", "freqtrade/parquet"}) {
    for (auto& f : files_in(testdata() / dir, true)) files.push_back(f);
  }
  return files;
}

// Compares btstore's reading of each file reported read with DuckDB's (one
// node process for all of them; files btstore refuses are not dumped, which
// also spares DuckDB the 2 GB of large_string_map.brotli.parquet).
// Differences fail the file; columns and cells not compared go to `exclusions`.
void compare_read_files(const std::vector<fs::path>& files, std::vector<FileReport>& reports,
                        std::vector<Document>& docs, std::vector<std::string>& exclusions) {
  std::vector<size_t> read;
  std::vector<std::string> args;
  for (size_t i = 0; i < files.size(); ++i) {
    if (reports[i].outcome == Outcome::kRead) {
      read.push_back(i);
      args.push_back(files[i].string());
    }
  }
  if (read.empty()) return;
  args.push_back(files[read[0]].string());  // two or more files: one JSON line each
  ProcessResult duck = run_node("dump_duckdb_any.mjs", args, 170);
  ASSERT_TRUE(duck.ok()) << "dump_duckdb_any.mjs: " << duck.describe() << "\n" << duck.err;
  std::vector<Document> reference = parse_documents(duck.out);
  ASSERT_EQ(reference.size(), args.size());
  for (size_t k = 0; k < read.size(); ++k) {
    FileReport& rep = reports[read[k]];
    const Document& doc = docs[read[k]];
    if (!reference[k].error.empty()) {
      rep.detail +=
          "; DuckDB cannot read it, nothing to compare: " + first_line(reference[k].error);
      continue;
    }
    Comparison cmp = compare_documents(doc, reference[k]);
    rep.detail += "; " + std::to_string(cmp.compared_columns) + "/" +
                  std::to_string(doc.schema.size()) + " columns equal to DuckDB";
    for (const auto& e : cmp.exclusions) exclusions.push_back(rep.name + ": " + e);
    if (!cmp.problems.empty()) {
      rep.outcome = Outcome::kFailed;
      rep.detail = "differs from DuckDB: " + cmp.problems.front();
      for (const auto& p : cmp.problems) ADD_FAILURE() << rep.name << ": " << p;
    }
  }
}

// parquet-cat on every file; returns the reports and the documents read.
std::vector<FileReport> cat_files(const std::vector<fs::path>& files, std::vector<Document>& docs) {
  std::vector<FileReport> reports;
  docs.assign(files.size(), Document{});
  for (size_t i = 0; i < files.size(); ++i) {
    FileReport rep = cat_file(files[i], &docs[i]);
    if (rep.outcome == Outcome::kRead) {
      rep.detail = std::to_string(docs[i].rows.size()) + " rows x " +
                   std::to_string(docs[i].schema.size()) + " columns";
    }
    reports.push_back(std::move(rep));
  }
  return reports;
}

void print_exclusions(const std::vector<std::string>& exclusions) {
  std::printf("read but not compared with DuckDB (%zu):\n", exclusions.size());
  for (const auto& e : exclusions) std::printf("  %s\n", e.c_str());
  std::fflush(stdout);
}

TEST(Conformance, GoodFilesAreReadEqualToDuckdbOrRefusedClearly) {
  BTSTORE_REQUIRE_NODE();
  std::vector<fs::path> files = good_files();
  ASSERT_GT(files.size(), 50u) << "test data missing under " << testdata();
  std::vector<Document> docs;
  std::vector<FileReport> reports = cat_files(files, docs);
  for (size_t i = 0; i < files.size(); ++i) {
    FileReport& rep = reports[i];
    if (rep.outcome == Outcome::kMalformed && !kKnownDamaged.count(files[i].filename().string())) {
      rep.detail = "good file refused as damaged: " + rep.detail;
      rep.outcome = Outcome::kFailed;
    }
  }
  std::vector<std::string> exclusions;
  compare_read_files(files, reports, docs, exclusions);
  for (const auto& rep : reports) {
    EXPECT_NE(rep.outcome, Outcome::kFailed) << rep.name << ": " << rep.detail;
  }
  print_table("Conformance of good files (parquet-testing/data, arrow-testing-parquet, freqtrade)",
              reports);
  print_exclusions(exclusions);
}

// "Read consistently": a damaged file btstore reads must give the values
// DuckDB gives (when DuckDB reads it too).
TEST(Conformance, MalformedFilesAreRefusedOrReadConsistentlyNeverACrash) {
  std::vector<fs::path> files = files_in(testdata() / "parquet-testing" / "bad_data", true);
  for (auto& f : files_in(testdata() / "arrow-testing-parquet" / "fuzzing", false)) {
    files.push_back(f);
  }
  ASSERT_GT(files.size(), 100u) << "test data missing under " << testdata();
  std::vector<Document> docs;
  std::vector<FileReport> reports = cat_files(files, docs);
  std::vector<std::string> exclusions;
  bool any_read = std::any_of(reports.begin(), reports.end(),
                              [](const FileReport& r) { return r.outcome == Outcome::kRead; });
  if (any_read) {
    BTSTORE_REQUIRE_NODE();
    compare_read_files(files, reports, docs, exclusions);
  }
  for (const auto& rep : reports) {
    EXPECT_NE(rep.outcome, Outcome::kFailed) << rep.name << ": " << rep.detail;
  }
  print_table("Malformed files (parquet-testing/bad_data, arrow-testing-parquet/fuzzing)", reports);
  print_exclusions(exclusions);
}

}  // namespace
}  // namespace btstore::interop
