// Writing a result's four files into a directory of the caller's choosing (json-to-parquet),
// all or nothing: a failure never leaves new files beside an old metadata.json.
#pragma once

#include <filesystem>
#include <vector>

#include "btstore/status.h"
#include "convert/result_files.h"

namespace btstore::convert {

// Writes `files` (the three Parquet files, then metadata.json) into `dir`, keeping its mode.
//
// When `dir` is missing or holds nothing but regular files of these names, the files are
// written and synced into a new hidden directory beside it (".NAME.tmp-XXXXXXXX"), which then
// takes dir's place in one rename (an exchange when dir exists; the old files are removed
// afterwards). A failure, or a crash, leaves dir as it was or wholly new; a crash may leave the
// hidden directory beside it.
//
// When `dir` holds other entries too, or cannot be exchanged (a mount point, a parent that may
// not be written, a file system without RENAME_EXCHANGE), the files are written and
// synced into a hidden directory inside it, then renamed into place one by one, metadata.json
// last: a failure to write leaves the previous files as they were; only a failing rename or a
// crash between the renames leaves a mix. A directory in the way of one of the names is refused
// before anything is written.
Status write_result_dir(const std::filesystem::path& dir, const std::vector<EncodedFile>& files);

}  // namespace btstore::convert
