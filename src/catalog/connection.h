// A PostgreSQL connection (libpq) that speaks Status: every statement is sent with
// its values as separate text parameters (PQexecParams), never spliced into SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

// Limits that keep a stalled network or server from hanging a call (0 turns one off).
struct ConnectOptions {
  int connect_timeout_seconds = 10;  // unless the conninfo or PGCONNECT_TIMEOUT says otherwise
  // The server cancels a statement running longer (statement_timeout).
  int statement_timeout_ms = 120'000;
  // How long a silent network is tolerated: TCP keepalives and tcp_user_timeout (TCP only; the
  // conninfo may override them), and how long the client waits for an answer beyond
  // statement_timeout_ms before it gives the connection up.
  int network_timeout_ms = 30'000;
};

// A row the transaction wrote, which confirms a "committed" answer after a lost connection:
// `xmin_sql` returns the row's xmin. After a server crash an id whose transaction never reached
// the WAL is given out again, so txid_status() alone may answer for another transaction.
struct WrittenRow {
  std::string xmin_sql;
  std::vector<Param> params;
};

// What became of a COMMIT (see Connection::commit_resolving).
struct CommitOutcome {
  enum class Kind { kCommitted, kRolledBack, kUnknown };
  Kind kind = Kind::kRolledBack;
  Status status;  // OK when committed; otherwise what happened
  // The connection failed before the answer to COMMIT arrived; `kind` was then learned from the
  // server over a new connection (or could not be: kUnknown).
  bool connection_lost = false;
};

// Error mapping at this boundary:
//   SQLSTATE 23505 (unique_violation)     -> Status::AlreadyExists
//   cannot connect / connection lost /    -> Status::DatabaseError naming the server, never the
//   no answer within the timeouts            password; lost() is then true
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

  // After a lost connection (lost()), the next call outside a transaction reconnects first; a
  // call inside the transaction that was lost fails until rollback() ends it. A statement is
  // never sent twice.

  // Runs one statement with $1..$n bound to `params` (text format).
  Result<QueryResult> exec(std::string_view sql, const std::vector<Param>& params = {});
  // exec() of a statement prepared once per session (up to kMaxPreparedStatements of them,
  // then exec()): the server parses it once and, after a few runs, may keep a generic plan.
  // For statements run often whose text depends only on the shape of their values.
  Result<QueryResult> exec_prepared(const std::string& sql, const std::vector<Param>& params);
  static constexpr size_t kMaxPreparedStatements = 64;

  // Runs a script of several statements with no parameters (migrations only).
  Status exec_script(std::string_view sql);

  // Explicit transaction control; prefer the Transaction guard below.
  Status begin();
  Status commit();    // commit_resolving(): OK only when committed
  Status rollback();  // on a lost connection: OK (the server ends that transaction)
  bool in_transaction() const;

  // COMMIT that learns its outcome even when the connection fails before the answer arrives:
  // the transaction id is read first, then a new connection asks txid_status() (ending the old
  // session first if it still holds the transaction). A COMMIT that the server turned into
  // ROLLBACK is kRolledBack. With `written`, a "committed" answer is confirmed by the row's
  // xmin. kUnknown when the server stays unreachable or silent for connect_timeout +
  // network_timeout, or the row changed since.
  // `txid`: the transaction's id (txid_current()) when the caller already read it.
  CommitOutcome commit_resolving(const std::optional<WrittenRow>& written = std::nullopt,
                                 const std::optional<std::string>& txid = std::nullopt);

  // The last call failed because the connection broke or the server did not answer in time.
  bool lost() const { return lost_; }
  // Opens the session again with the same settings (lost or not); ends the previous session
  // on the server when it may still be running.
  Status reconnect();

  // "host=... port=... dbname=... user=..." for messages; never holds the password.
  const std::string& target() const { return target_; }

 private:
  // A server session, to end it when it was given up while it may still run.
  struct Session {
    int pid = 0;
    std::string started;  // pg_stat_activity.backend_start, guards against pid reuse
  };
  struct Answer;

  Connection(pg_conn* conn, std::string target, std::string conninfo, ConnectOptions options);
  Status start_session();
  Status usable(std::string_view what);
  // Sends with `send` (a PQsend* call) and waits for the answer within the timeouts.
  Answer run(std::string_view what, const std::function<int()>& send);
  Status lost_status(std::string_view what, const std::string& why);
  Status error_from(std::string_view what, pg_result* result);
  std::string redact(std::string message) const;
  int answer_timeout_ms() const;
  void end_session(const Session& session);
  CommitOutcome send_commit();
  CommitOutcome resolve(const std::string& txid, const Status& why,
                        const std::optional<WrittenRow>& written);
  Result<CommitOutcome::Kind> confirm_committed(const std::string& txid, const Session& old,
                                                const WrittenRow& written);

  pg_conn* conn_ = nullptr;
  std::string target_;
  std::string conninfo_;  // only to scrub its password from server messages
  ConnectOptions options_;
  Session session_;
  std::optional<Session> abandoned_;  // given up while it may still hold a transaction
  bool lost_ = false;
  bool in_transaction_ = false;                            // as of the last answer
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::string prepared_prefix_;  // of the statement names, new for each session
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
