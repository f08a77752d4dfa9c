// What catalog.cc and catalog_list.cc share: the column list every query reads and its decoding.
#pragma once

#include <string_view>
#include <vector>

#include "btstore/status.h"
#include "catalog/catalog.h"
#include "catalog/connection.h"

namespace btstore::catalog::detail {

// Every query reads rows in this column order (decode_row). Timestamps leave the server as
// integer microseconds (exact: extract() is numeric), dates as YYYY-MM-DD whatever DateStyle is.
// The names are unqualified: a query joining another table must not expose these names twice.
inline constexpr std::string_view kColumns =
    "task_id::text, strategy, symbols::text, to_char(start_date, 'YYYY-MM-DD'), "
    "to_char(end_date, 'YYYY-MM-DD'), timeframe, status, parquet_path, file_size, record_count, "
    "COALESCE(metadata, '{}'::jsonb)::text, "
    "(extract(epoch FROM created_at) * 1000000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000000)::bigint";

Result<CatalogRecord> decode_row(const Row& row);
Result<std::vector<CatalogRecord>> decode_rows(const QueryResult& result);

// InvalidArgument unless `status` is completed, failed or running; `field` names it.
Status check_status(std::string_view field, std::string_view status);

}  // namespace btstore::catalog::detail
