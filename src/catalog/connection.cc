#include "catalog/connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <utility>

#include "catalog/redact.h"
#include "common/uuid.h"

namespace btstore::catalog {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq messages end in "\n" and continue on "\n\t" lines; a Status message is one line.
std::string one_line(std::string_view msg) {
  std::string out;
  bool pending_space = false;
  for (char c : msg) {
    if (c == '\n' || c == '\r' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space && c != ' ') out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// "host=... port=... dbname=... user=..." as libpq resolved them (URL, PG* variables and
// defaults together). The password is never among them.
std::string describe(PGconn* conn) {
  std::string out;
  PQconninfoOption* options = PQconninfo(conn);
  if (options == nullptr) return "unknown server";
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    std::string_view key = o->keyword;
    if (o->val == nullptr || o->val[0] == '\0') continue;
    if (key == "host" || key == "hostaddr" || key == "port" || key == "dbname" || key == "user") {
      if (!out.empty()) out += ' ';
      out += key;
      out += '=';
      out += o->val;
    }
  }
  PQconninfoFree(options);
  return out.empty() ? "libpq defaults" : out;
}

bool looks_like_conninfo(std::string_view info) {
  return info.find('=') != std::string_view::npos || info.starts_with("postgresql://") ||
         info.starts_with("postgres://");
}

// A bad URL is a usage error; say so before libpq turns it into a connection failure.
Status check_syntax(const std::string& info) {
  if (!looks_like_conninfo(info)) return Status::OK();  // a bare database name
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(info.c_str(), &err);
  if (parsed != nullptr) {
    PQconninfoFree(parsed);
    return Status::OK();
  }
  std::string why = err != nullptr ? one_line(err) : "out of memory";
  PQfreemem(err);
  return Status::InvalidArgument(
      "database URL \"" + redact_conninfo(info) +
      "\" is not a valid libpq connection string: " + redact_message(why, info, 1) +
      " (expected postgresql://user@host:port/dbname or \"host=... dbname=...\")");
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

using Clock = std::chrono::steady_clock;

enum class Ready { kYes, kTimedOut, kFailed };

// Waits until the socket is ready for `events` or the deadline passes (none: no limit).
Ready wait_socket(PGconn* conn, short events, std::optional<Clock::time_point> deadline) {
  const int fd = PQsocket(conn);
  if (fd < 0) return Ready::kFailed;
  for (;;) {
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) return Ready::kTimedOut;
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1'000'000));
    }
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, wait_ms);
    if (n > 0) return Ready::kYes;
    if (n == 0) continue;  // the deadline check above decides
    if (errno != EINTR) return Ready::kFailed;
  }
}

std::string seconds_text(int ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

// The answer to one statement: the first error result, else the last result; `lost` when the
// connection broke or the server did not answer in time.
struct Connection::Answer {
  ResultPtr result;
  bool lost = false;
  std::string why;
};

Result<Connection> Connection::open(std::string_view conninfo, const ConnectOptions& options) {
  std::string info(conninfo);
  BTSTORE_RETURN_IF_ERROR(check_syntax(info));
  std::string timeout = std::to_string(options.connect_timeout_seconds);
  const int net_s = std::max(1, options.network_timeout_ms / 1000);
  std::string idle = std::to_string(std::max(1, net_s / 3));
  std::string interval = std::to_string(std::max(1, net_s / 6));
  std::string user_timeout = std::to_string(options.network_timeout_ms);
  // Entries before "dbname" are defaults the conninfo may override; entries after it win.
  std::vector<const char*> keys;
  std::vector<const char*> values;
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    keys.push_back("connect_timeout");
    values.push_back(timeout.c_str());
  }
  if (options.network_timeout_ms > 0) {
    // A peer that vanished without closing: found by keepalives when idle (~idle + 3 intervals)
    // and by tcp_user_timeout when sent data goes unacknowledged.
    keys.insert(keys.end(), {"keepalives", "keepalives_idle", "keepalives_interval",
                             "keepalives_count", "tcp_user_timeout"});
    values.insert(values.end(), {"1", idle.c_str(), interval.c_str(), "3", user_timeout.c_str()});
  }
  keys.insert(keys.end(), {"application_name", "dbname", "client_encoding", nullptr});
  values.insert(values.end(), {"btstore", info.c_str(), "UTF8", nullptr});
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Status::DatabaseError("cannot connect to PostgreSQL: out of memory");
  std::string target = describe(conn);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = redact_message(one_line(PQerrorMessage(conn)), info);
    PQfinish(conn);
    return Status::DatabaseError("cannot connect to PostgreSQL (" + target + "): " + why);
  }
  Connection out(conn, std::move(target), std::move(info), options);
  BTSTORE_RETURN_IF_ERROR(out.start_session());
  return out;
}

Connection::Connection(pg_conn* conn, std::string target, std::string conninfo,
                       ConnectOptions options)
    : conn_(conn), target_(std::move(target)), conninfo_(std::move(conninfo)), options_(options) {}

Connection::Connection(Connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      target_(std::move(other.target_)),
      conninfo_(std::move(other.conninfo_)),
      options_(other.options_),
      session_(std::move(other.session_)),
      abandoned_(std::move(other.abandoned_)),
      lost_(other.lost_),
      in_transaction_(other.in_transaction_),
      prepared_(std::move(other.prepared_)),
      prepared_prefix_(std::move(other.prepared_prefix_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    target_ = std::move(other.target_);
    conninfo_ = std::move(other.conninfo_);
    options_ = other.options_;
    session_ = std::move(other.session_);
    abandoned_ = std::move(other.abandoned_);
    lost_ = other.lost_;
    in_transaction_ = other.in_transaction_;
    prepared_ = std::move(other.prepared_);
    prepared_prefix_ = std::move(other.prepared_prefix_);
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

// Settings every session gets, also after a reconnect. Non-blocking mode lets every wait for
// the server be bounded (see run()).
Status Connection::start_session() {
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  if (PQsetnonblocking(conn_, 1) != 0) {
    return Status::DatabaseError("cannot use PostgreSQL (" + target_ +
                                 ") without blocking: " + redact(one_line(PQerrorMessage(conn_))));
  }
  session_ = Session{PQbackendPID(conn_), ""};
  // A new session has none. Their names are the connection's own: behind a pooler, another
  // client's statements may live in the same server session.
  prepared_.clear();
  prepared_prefix_ = "btstore_" + generate_uuid_v4() + "_";
  std::string sql = "SELECT backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()";
  std::vector<Param> params;
  if (options_.statement_timeout_ms > 0) {
    sql =
        "SELECT backend_start::text, set_config('statement_timeout', $1, false) FROM "
        "pg_stat_activity WHERE pid = pg_backend_pid()";
    params.push_back(std::to_string(options_.statement_timeout_ms));
  }
  BTSTORE_ASSIGN_OR_RETURN(QueryResult r, exec(sql, params));
  if (!r.rows.empty() && r.rows[0][0]) session_.started = *r.rows[0][0];
  return Status::OK();
}

Status Connection::reconnect() {
  if (conn_ == nullptr) return Status::Internal("reconnect of a moved-from connection");
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    lost_ = true;
    return Status::DatabaseError("cannot reconnect to PostgreSQL (" + target_ +
                                 "): " + redact(one_line(PQerrorMessage(conn_))));
  }
  lost_ = false;
  in_transaction_ = false;
  BTSTORE_RETURN_IF_ERROR(start_session());
  if (abandoned_) {
    Session old = *std::exchange(abandoned_, std::nullopt);
    end_session(old);
  }
  return Status::OK();
}

// A session given up (no answer in time, or a connection cut on the way) may still hold its
// transaction and row locks on the server until it notices; end it so nothing waits on it.
void Connection::end_session(const Session& session) {
  if (session.pid == 0 || session.started.empty() || session.pid == session_.pid) return;
  const bool can_wait = PQserverVersion(conn_) >= 140000;  // pg_terminate_backend(pid, timeout)
  std::string sql = std::string("SELECT pg_terminate_backend(pid") + (can_wait ? ", 5000" : "") +
                    ") FROM pg_stat_activity WHERE pid = $1::int AND backend_start = "
                    "$2::timestamptz";
  (void)exec(sql, {std::to_string(session.pid), session.started});
}

int Connection::answer_timeout_ms() const {
  if (options_.statement_timeout_ms <= 0 || options_.network_timeout_ms <= 0) return 0;
  return options_.statement_timeout_ms + options_.network_timeout_ms;
}

std::string Connection::redact(std::string message) const {
  return redact_message(message, conninfo_);
}

Status Connection::lost_status(std::string_view what, const std::string& why) {
  lost_ = true;
  if (!session_.started.empty()) abandoned_ = session_;
  return Status::DatabaseError("lost the connection to PostgreSQL (" + target_ + ") during " +
                               std::string(what) + ": " + redact(one_line(why)));
}

Status Connection::usable(std::string_view what) {
  if (conn_ == nullptr) return Status::Internal("use of a moved-from connection");
  if (!lost_) return Status::OK();
  if (in_transaction_) {
    return Status::DatabaseError("cannot run the " + std::string(what) +
                                 ": the connection to PostgreSQL (" + target_ +
                                 ") was lost inside a transaction, which the server rolls back; "
                                 "roll back and start the transaction again");
  }
  return reconnect();
}

Connection::Answer Connection::run(std::string_view what, const std::function<int()>& send) {
  Answer a;
  auto broken = [&](std::string why) {
    a.result.reset();
    a.lost = true;
    a.why = std::move(why);
    return std::move(a);
  };
  if (!send()) {
    if (PQstatus(conn_) == CONNECTION_BAD) return broken(PQerrorMessage(conn_));
    return a;  // refused before sending; error_from() reads PQerrorMessage
  }
  const int limit = answer_timeout_ms();
  std::optional<Clock::time_point> deadline;
  if (limit > 0) deadline = Clock::now() + std::chrono::milliseconds(limit);
  auto timed_out = [&] {
    return broken("no answer within " + seconds_text(limit) +
                  " (statement timeout + network timeout); the connection was given up");
  };
  for (;;) {  // send what is queued
    int f = PQflush(conn_);
    if (f < 0) return broken(PQerrorMessage(conn_));
    if (f == 0) break;
    Ready r = wait_socket(conn_, POLLIN | POLLOUT, deadline);
    if (r == Ready::kTimedOut) return timed_out();
    if (r == Ready::kFailed) return broken(std::strerror(errno));
    if (!PQconsumeInput(conn_)) return broken(PQerrorMessage(conn_));
  }
  for (;;) {
    while (PQisBusy(conn_)) {
      Ready r = wait_socket(conn_, POLLIN, deadline);
      if (r == Ready::kTimedOut) return timed_out();
      if (r == Ready::kFailed) return broken(std::strerror(errno));
      if (!PQconsumeInput(conn_)) {
        if (PQstatus(conn_) != CONNECTION_BAD) return broken(PQerrorMessage(conn_));
        break;  // PQgetResult() reports the broken connection without waiting
      }
    }
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) break;
    if (a.result && PQresultStatus(a.result.get()) == PGRES_FATAL_ERROR) {
      PQclear(r);
    } else {
      a.result.reset(r);
    }
    if (PQstatus(conn_) == CONNECTION_BAD) break;
  }
  if (PQstatus(conn_) == CONNECTION_BAD) {
    std::string why = PQerrorMessage(conn_);
    if (a.result && PQresultStatus(a.result.get()) == PGRES_FATAL_ERROR) {
      why = PQresultErrorMessage(a.result.get());
    }
    return broken(why);
  }
  (void)what;
  PGTransactionStatusType st = PQtransactionStatus(conn_);
  in_transaction_ = st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
  return a;
}

Status Connection::error_from(std::string_view what, pg_result* result) {
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return lost_status(what, PQerrorMessage(conn_));
  }
  if (result == nullptr) {
    return Status::DatabaseError(std::string(what) +
                                 " failed: " + redact(one_line(PQerrorMessage(conn_))));
  }
  auto field = [&](int code) {
    const char* v = PQresultErrorField(result, code);
    return std::string(v != nullptr ? v : "");
  };
  std::string sqlstate = field(PG_DIAG_SQLSTATE);
  std::string msg = field(PG_DIAG_MESSAGE_PRIMARY);
  if (msg.empty()) msg = one_line(PQresultErrorMessage(result));
  if (std::string detail = field(PG_DIAG_MESSAGE_DETAIL); !detail.empty())
    msg += " (" + detail + ")";
  if (std::string hint = field(PG_DIAG_MESSAGE_HINT); !hint.empty()) msg += "; hint: " + hint;
  msg = redact(one_line(msg));
  if (sqlstate == "23505") return Status::AlreadyExists(msg);
  return Status::DatabaseError("PostgreSQL refused the " + std::string(what) + " [SQLSTATE " +
                               sqlstate + "]: " + msg);
}

namespace {

// The values of `params` for libpq (nullptr for NULL), or an error for a value PostgreSQL text
// cannot hold.
Result<std::vector<const char*>> param_values(const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i] && params[i]->find('\0') != std::string::npos) {
      return Status::InvalidArgument("query parameter $" + std::to_string(i + 1) +
                                     " contains a NUL byte, which PostgreSQL text cannot store");
    }
    values.push_back(params[i] ? params[i]->c_str() : nullptr);
  }
  return values;
}

QueryResult rows_of(PGresult* result) {
  QueryResult out;
  int rows = PQntuples(result);
  int cols = PQnfields(result);
  out.rows.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    Row& row = out.rows.emplace_back();
    row.reserve(cols);
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(result, r, c), static_cast<size_t>(PQgetlength(result, r, c))));
      }
    }
  }
  out.affected_rows = std::atoll(PQcmdTuples(result));
  return out;
}

bool has_sqlstate(PGresult* result, std::string_view sqlstate) {
  const char* v = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return v != nullptr && sqlstate == v;
}

}  // namespace

Result<QueryResult> Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  BTSTORE_ASSIGN_OR_RETURN(std::vector<const char*> values, param_values(params));
  BTSTORE_RETURN_IF_ERROR(usable("query"));
  std::string text(sql);
  Answer a = run("query", [&] {
    return PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, /*resultFormat=text*/ 0);
  });
  if (a.lost) return lost_status("query", a.why);
  ExecStatusType st = a.result ? PQresultStatus(a.result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return error_from("query", a.result.get());
  return rows_of(a.result.get());
}

Result<QueryResult> Connection::exec_prepared(const std::string& sql,
                                              const std::vector<Param>& params) {
  BTSTORE_ASSIGN_OR_RETURN(std::vector<const char*> values, param_values(params));
  BTSTORE_RETURN_IF_ERROR(usable("query"));
  for (int attempt = 0;; ++attempt) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      if (prepared_.size() >= kMaxPreparedStatements) return exec(sql, params);
      std::string name = prepared_prefix_ + std::to_string(prepared_.size() + 1);
      Answer a =
          run("query", [&] { return PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr); });
      if (a.lost) return lost_status("query", a.why);
      if (!a.result || PQresultStatus(a.result.get()) != PGRES_COMMAND_OK) {
        return error_from("query", a.result.get());
      }
      it = prepared_.emplace(sql, std::move(name)).first;
    }
    Answer a = run("query", [&] {
      return PQsendQueryPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, /*resultFormat=text*/ 0);
    });
    if (a.lost) return lost_status("query", a.why);
    ExecStatusType st = a.result ? PQresultStatus(a.result.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return rows_of(a.result.get());
    // Gone from the session (a DISCARD ALL, or a pooler that moved us to another session):
    // prepare them again, once.
    if (attempt == 0 && !in_transaction_ &&
        has_sqlstate(a.result.get(), "26000" /* invalid_sql_statement_name */)) {
      prepared_.clear();
      continue;
    }
    return error_from("query", a.result.get());
  }
}

Status Connection::exec_script(std::string_view sql) {
  BTSTORE_RETURN_IF_ERROR(usable("script"));
  std::string text(sql);
  Answer a = run("script", [&] { return PQsendQuery(conn_, text.c_str()); });
  if (a.lost) return lost_status("script", a.why);
  ExecStatusType st = a.result ? PQresultStatus(a.result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return error_from("script", a.result.get());
  return Status::OK();
}

Status Connection::begin() { return exec_script("BEGIN"); }

// COMMIT alone: committed, rolled back, or (connection_lost) no answer.
CommitOutcome Connection::send_commit() {
  CommitOutcome out;
  Answer a = run("COMMIT", [&] { return PQsendQuery(conn_, "COMMIT"); });
  in_transaction_ = false;
  if (a.lost) {
    out.kind = CommitOutcome::Kind::kUnknown;
    out.connection_lost = true;
    out.status = lost_status("COMMIT", a.why);
    return out;
  }
  if (!a.result || PQresultStatus(a.result.get()) != PGRES_COMMAND_OK) {
    out.status = error_from("commit", a.result.get());
    return out;
  }
  // COMMIT of a transaction in which a statement failed succeeds as "ROLLBACK".
  if (std::string_view(PQcmdStatus(a.result.get())) == "ROLLBACK") {
    out.status = Status::DatabaseError(
        "the transaction was rolled back, not committed, because a statement in it failed");
    return out;
  }
  out.kind = CommitOutcome::Kind::kCommitted;
  return out;
}

Status Connection::commit() {
  CommitOutcome outcome = commit_resolving();
  return outcome.kind == CommitOutcome::Kind::kCommitted ? Status::OK() : outcome.status;
}

Status Connection::rollback() {
  if (lost_) {  // the server ends a transaction whose session is gone (or ended at reconnect)
    in_transaction_ = false;
    return Status::OK();
  }
  Status st = exec_script("ROLLBACK");
  in_transaction_ = false;
  return st;
}

bool Connection::in_transaction() const { return in_transaction_; }

Result<Transaction> Transaction::begin(Connection& conn) {
  BTSTORE_RETURN_IF_ERROR(conn.begin());
  return Transaction(&conn);
}

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

Transaction::~Transaction() {
  if (conn_ != nullptr) (void)conn_->rollback();  // nothing to report to from a destructor
}

Status Transaction::commit() {
  if (conn_ == nullptr) return Status::Internal("commit of a transaction that already ended");
  Connection* conn = std::exchange(conn_, nullptr);
  return conn->commit();
}

Status Transaction::rollback() {
  if (conn_ == nullptr) return Status::OK();
  return std::exchange(conn_, nullptr)->rollback();
}

}  // namespace btstore::catalog
