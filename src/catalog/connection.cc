#include "catalog/connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "catalog/redact.h"

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

}  // namespace

Result<Connection> Connection::open(std::string_view conninfo, const ConnectOptions& options) {
  std::string info(conninfo);
  BTSTORE_RETURN_IF_ERROR(check_syntax(info));
  std::string timeout = std::to_string(options.connect_timeout_seconds);
  // Entries before "dbname" are defaults the conninfo may override; entries after it win.
  std::vector<const char*> keys;
  std::vector<const char*> values;
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    keys.push_back("connect_timeout");
    values.push_back(timeout.c_str());
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
  // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return Connection(conn, std::move(target), std::move(info));
}

Connection::Connection(pg_conn* conn, std::string target, std::string conninfo)
    : conn_(conn), target_(std::move(target)), conninfo_(std::move(conninfo)) {}

Connection::Connection(Connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      target_(std::move(other.target_)),
      conninfo_(std::move(other.conninfo_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    target_ = std::move(other.target_);
    conninfo_ = std::move(other.conninfo_);
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string Connection::redact(std::string message) const {
  return redact_message(message, conninfo_);
}

Status Connection::error_from(std::string_view what, pg_result* result) const {
  if (PQstatus(conn_) == CONNECTION_BAD) {
    return Status::DatabaseError("lost the connection to PostgreSQL (" + target_ + ") during " +
                                 std::string(what) + ": " +
                                 redact(one_line(PQerrorMessage(conn_))));
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

Result<QueryResult> Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i] && params[i]->find('\0') != std::string::npos) {
      return Status::InvalidArgument("query parameter $" + std::to_string(i + 1) +
                                     " contains a NUL byte, which PostgreSQL text cannot store");
    }
    values.push_back(params[i] ? params[i]->c_str() : nullptr);
  }
  std::string text(sql);
  ResultPtr result(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, /*resultFormat=text*/ 0));
  ExecStatusType st = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return error_from("query", result.get());
  QueryResult out;
  int rows = PQntuples(result.get());
  int cols = PQnfields(result.get());
  out.rows.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    Row& row = out.rows.emplace_back();
    row.reserve(cols);
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                     static_cast<size_t>(PQgetlength(result.get(), r, c))));
      }
    }
  }
  out.affected_rows = std::atoll(PQcmdTuples(result.get()));
  return out;
}

Status Connection::exec_script(std::string_view sql) {
  std::string text(sql);
  ResultPtr result(PQexec(conn_, text.c_str()));
  ExecStatusType st = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return error_from("script", result.get());
  return Status::OK();
}

Status Connection::begin() { return exec_script("BEGIN"); }

Status Connection::commit() {
  ResultPtr result(PQexec(conn_, "COMMIT"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return error_from("commit", result.get());
  }
  // COMMIT of a transaction in which a statement failed succeeds as "ROLLBACK".
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    return Status::DatabaseError(
        "the transaction was rolled back, not committed, because a statement in it failed");
  }
  return Status::OK();
}

Status Connection::rollback() { return exec_script("ROLLBACK"); }

bool Connection::in_transaction() const {
  PGTransactionStatusType st = PQtransactionStatus(conn_);
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

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
