// Shared helpers of the commands: error reporting and input reading.
#pragma once

#include <string>
#include <string_view>

#include "btstore/status.h"

namespace btstore::cli {

// Prints "btstore: <code>: <message>" to stderr and returns the exit code for it.
int report_error(const Status& status);

int exit_code_for(const Status& status);

// Reads a whole file, or standard input when `path` is "-".
Result<std::string> read_input(const std::string& path);

// Where a command's output goes, written in pieces: standard output when the
// path is empty or "-"; otherwise a file replaced atomically. The pieces go to a
// temporary file beside it, which commit() fsyncs and renames over the path
// (then it fsyncs the directory): until commit() succeeds the path keeps what it
// held, and an Output destroyed uncommitted removes its temporary file. An
// existing file keeps its permission bits; a path that exists but is not a
// regular file (/dev/null, a pipe) is written in place.
class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output();

  Status open(const std::string& path);
  Status write(std::string_view data);
  Status commit();
  // The first error of write() or commit(), OK when there was none.
  const Status& status() const { return status_; }

 private:
  Status fail(Status st);
  void start_writeback();

  std::string path_;       // the target; empty for standard output
  std::string temp_path_;  // empty when writing in place
  int fd_ = -1;
  uint64_t written_ = 0;
  uint64_t writeback_from_ = 0;  // bytes before this are being written back already
  Status status_;
};

// Writes `data` to `path` atomically (see Output), or to stdout when `path` is empty or "-".
Status write_output(const std::string& path, std::string_view data);

// "1,234,567"
std::string with_thousands(long long value);

}  // namespace btstore::cli

namespace btstore::cli {

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace btstore::cli
