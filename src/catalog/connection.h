// A PostgreSQL connection (libpq) that speaks Status: every statement is sent with
// its values as separate text parameters (PQexecParams), never spliced into SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btstore/status.h"

struct pg_conn;  // PGconn and PGresult, kept out of this header
struct pg_result;

namespace btstore::catalog {

// A statement parameter in text form; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;

// A result row: one text value per column, std::nullopt for NULL.
using Row = std::vector<std::optional<std::string>>;

struct QueryResult {
  std::vector<Row> rows;
  int64_t affected_rows = 0;  // INSERT/UPDATE/DELETE: rows touched (PQcmdTuples)
};

struct ConnectOptions {
  int connect_timeout_seconds = 10;  // unless the conninfo or PGCONNECT_TIMEOUT says otherwise
};

// Error mapping at this boundary:
//   SQLSTATE 23505 (unique_violation)     -> Status::AlreadyExists
//   cannot connect / connection lost      -> Status::DatabaseError naming the server, never the
//                                            password
//   a value containing a NUL byte         -> Status::InvalidArgument (PostgreSQL text cannot
//                                            hold it)
//   anything else the server refuses      -> Status::DatabaseError with the server's message
class Connection {
 public:
  // `conninfo` is a libpq URI (postgresql://...) or keyword string (host=... dbname=...); an
  // empty string lets libpq take everything from the PG* environment variables. The session
  // uses client_encoding UTF8 and application_name "btstore" (unless the conninfo sets one).
  static Result<Connection> open(std::string_view conninfo, const ConnectOptions& options = {});

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one statement with $1..$n bound to `params` (text format).
  Result<QueryResult> exec(std::string_view sql, const std::vector<Param>& params = {});

  // Runs a script of several statements with no parameters (migrations only).
  Status exec_script(std::string_view sql);

  // Explicit transaction control; prefer the Transaction guard below.
  Status begin();
  Status commit();  // a COMMIT that the server turned into ROLLBACK is an error
  Status rollback();
  bool in_transaction() const;

  // "host=... port=... dbname=... user=..." for messages; never holds the password.
  const std::string& target() const { return target_; }

 private:
  Connection(pg_conn* conn, std::string target, std::string conninfo);
  Status error_from(std::string_view what, pg_result* result) const;
  std::string redact(std::string message) const;

  pg_conn* conn_ = nullptr;
  std::string target_;
  std::string conninfo_;  // only to scrub its password from server messages
};

// BEGIN on construction (via begin()), ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status commit();
  Status rollback();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;  // nullptr once committed or rolled back
};

}  // namespace btstore::catalog
