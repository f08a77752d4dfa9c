#include "bench_db.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

#include "catalog/embedded_cluster.h"
#include "catalog/migrations.h"

namespace btstore::bench::db {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The server: the option, the environment, else btstore's embedded cluster in a home of the
// benchmark's own (durable, unlike the tests' cluster: saves are timed with fsync).
Result<std::pair<std::string, std::string>> server(const Options& options) {
  for (std::string url :
       {options.database_url, env("BTSTORE_TEST_DATABASE_URL"), env("BTSTORE_DATABASE_URL")}) {
    if (!url.empty()) return std::pair{url, std::string("the configured PostgreSQL")};
  }
  catalog::ClusterOptions cluster_options;
  cluster_options.home = "/tmp/btstore-bench-db-" + std::to_string(getuid());
  BTSTORE_ASSIGN_OR_RETURN(catalog::EmbeddedCluster cluster,
                           catalog::EmbeddedCluster::open(cluster_options));
  BTSTORE_RETURN_IF_ERROR(cluster.start());
  return std::pair{cluster.conninfo(), "embedded PostgreSQL in " + cluster_options.home.string() +
                                           " (`btstore db stop --home " +
                                           cluster_options.home.string() + "` stops it)"};
}

}  // namespace

Result<BenchDatabase> BenchDatabase::open(const Options& options, const std::string& name) {
  BTSTORE_ASSIGN_OR_RETURN(auto target, server(options));
  std::random_device rd;
  std::string schema =
      "btstore_bench_" + name + "_" + std::to_string(getpid()) + "_" + std::to_string(rd() % 10000);
  bool keep = !options.keep_schema.empty();
  if (keep) schema = options.keep_schema;
  if (schema.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Status::InvalidArgument("schema name '" + schema +
                                   "' may hold only lower-case letters, digits and '_'");
  }
  unsetenv("PGOPTIONS");
  BTSTORE_ASSIGN_OR_RETURN(catalog::Connection admin, catalog::Connection::open(target.first));
  BTSTORE_RETURN_IF_ERROR(
      admin.exec_script((keep ? "CREATE SCHEMA IF NOT EXISTS " : "CREATE SCHEMA ") + schema));
  setenv("PGOPTIONS", ("-c search_path=" + schema).c_str(), 1);
  BenchDatabase db(target.first, schema, target.second, std::move(admin));
  db.keep_ = keep;
  BTSTORE_ASSIGN_OR_RETURN(catalog::Connection conn, catalog::Connection::open(target.first));
  BTSTORE_RETURN_IF_ERROR(catalog::migrate(conn).status());
  return db;
}

BenchDatabase::BenchDatabase(BenchDatabase&& other) noexcept
    : conninfo_(std::move(other.conninfo_)),
      schema_(std::exchange(other.schema_, std::string())),
      describe_(std::move(other.describe_)),
      admin_(std::move(other.admin_)),
      keep_(other.keep_) {}

BenchDatabase::~BenchDatabase() {
  if (schema_.empty() || keep_) return;
  (void)admin_.exec_script("DROP SCHEMA " + schema_ + " CASCADE");
}

Result<catalog::Connection> bulk_connection(const std::string& conninfo) {
  catalog::ConnectOptions options;
  options.statement_timeout_ms = 0;
  options.network_timeout_ms = 0;
  return catalog::Connection::open(conninfo, options);
}

Status vacuum(catalog::Connection& conn) {
  for (const char* table : {"backtest_results", "backtest_result_symbols"}) {
    BTSTORE_RETURN_IF_ERROR(conn.exec_script(std::string("VACUUM ANALYZE ") + table));
  }
  return Status::OK();
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

std::string fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

namespace {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

void Table::print(bool json) const {
  if (json) {
    std::string out = "{\"title\": " + json_string(title) + ", \"rows\": [";
    for (size_t r = 0; r < rows.size(); ++r) {
      out += r == 0 ? "{" : ", {";
      for (size_t c = 0; c < headers.size() && c < rows[r].size(); ++c) {
        if (c > 0) out += ", ";
        out += json_string(headers[c]) + ": " + json_string(rows[r][c]);
      }
      out += "}";
    }
    out += "], \"notes\": [";
    for (size_t i = 0; i < notes.size(); ++i) out += (i == 0 ? "" : ", ") + json_string(notes[i]);
    fmt::print("{}]}}\n", out);
    std::fflush(stdout);
    return;
  }
  fmt::print("\n### {}\n\n|", title);
  for (const auto& h : headers) fmt::print(" {} |", h);
  fmt::print("\n|");
  for (size_t i = 0; i < headers.size(); ++i) fmt::print("{}", i == 0 ? " --- |" : " ---: |");
  fmt::print("\n");
  for (const auto& row : rows) {
    fmt::print("|");
    for (const auto& cell : row) fmt::print(" {} |", cell);
    fmt::print("\n");
  }
  for (const auto& n : notes) fmt::print("\n{}\n", n);
  std::fflush(stdout);
}

}  // namespace btstore::bench::db
