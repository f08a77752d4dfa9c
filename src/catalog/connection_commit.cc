// A COMMIT whose answer never arrived is not a failure yet: the server may have committed.
// The transaction id, read before COMMIT, lets a new session ask the server what happened.
#include <libpq-fe.h>

#include <chrono>
#include <thread>

#include "catalog/connection.h"

namespace btstore::catalog {

CommitOutcome Connection::commit_resolving(const std::optional<WrittenRow>& written,
                                           const std::optional<std::string>& known_txid) {
  CommitOutcome out;
  if (lost_ || conn_ == nullptr) {  // the transaction died with its connection: no COMMIT to send
    in_transaction_ = false;
    out.status = Status::DatabaseError(
        "the connection to PostgreSQL (" + target_ +
        ") was lost inside the transaction before COMMIT; the server rolled it back");
    return out;
  }
  std::optional<std::string> txid;
  if (in_transaction_ && PQtransactionStatus(conn_) == PQTRANS_INTRANS && known_txid &&
      !known_txid->empty()) {
    txid = known_txid;
  } else if (in_transaction_ && PQtransactionStatus(conn_) == PQTRANS_INTRANS) {
    // (A failed transaction can only roll back; COMMIT says so.) NULL for a transaction that wrote
    // nothing (no id assigned): its outcome changes nothing.
    auto id = exec("SELECT txid_current_if_assigned()::text");
    if (!id.ok()) {  // COMMIT was never sent, so the transaction cannot have committed
      (void)rollback();
      out.status = id.status();
      return out;
    }
    if (!id->rows.empty()) txid = id->rows[0][0];
  }
  out = send_commit();
  if (!out.connection_lost) return out;
  if (!txid) {
    out.kind = CommitOutcome::Kind::kRolledBack;
    return out;
  }
  return resolve(*txid, out.status, written);
}

// txid_status() said committed: is it our transaction? Its row version carries its id; if it
// does not, and the server restarted since our session began, the id went to another one.
Result<CommitOutcome::Kind> Connection::confirm_committed(const std::string& txid,
                                                          const Session& old,
                                                          const WrittenRow& written) {
  BTSTORE_ASSIGN_OR_RETURN(QueryResult row, exec(written.xmin_sql, written.params));
  const std::string xid32 = std::to_string(std::stoull(txid) % (uint64_t{1} << 32));
  if (!row.rows.empty() && row.rows[0][0] == xid32) return CommitOutcome::Kind::kCommitted;
  if (old.started.empty()) return CommitOutcome::Kind::kUnknown;
  BTSTORE_ASSIGN_OR_RETURN(
      QueryResult restarted,
      exec("SELECT pg_postmaster_start_time() > $1::timestamptz", {old.started}));
  if (!restarted.rows.empty() && restarted.rows[0][0] == "t") {
    return CommitOutcome::Kind::kRolledBack;
  }
  return CommitOutcome::Kind::kUnknown;  // ours committed and the row changed since, or not ours
}

CommitOutcome Connection::resolve(const std::string& txid, const Status& why,
                                  const std::optional<WrittenRow>& written) {
  using Clock = std::chrono::steady_clock;
  CommitOutcome out;
  out.connection_lost = true;
  const std::optional<Session> old = abandoned_;
  const int network_ms = options_.network_timeout_ms > 0 ? options_.network_timeout_ms : 30'000;
  const auto window = std::chrono::seconds(std::max(1, options_.connect_timeout_seconds)) +
                      std::chrono::milliseconds(network_ms);
  const auto deadline = Clock::now() + window;
  Status last = why;
  for (;;) {
    Status st = lost_ ? reconnect() : Status::OK();  // also ends the old session if it lingers
    if (st.ok()) {
      auto r = exec("SELECT txid_status($1::bigint)", {txid});
      if (r.ok() && !r->rows.empty()) {
        const std::optional<std::string>& v = r->rows[0][0];
        if (v == "committed") {
          auto kind = written && old ? confirm_committed(txid, *old, *written)
                                     : Result<CommitOutcome::Kind>(CommitOutcome::Kind::kCommitted);
          if (kind.ok() && *kind == CommitOutcome::Kind::kCommitted) {
            out.kind = CommitOutcome::Kind::kCommitted;
            out.status = Status::OK();
            return out;
          }
          if (kind.ok() && *kind == CommitOutcome::Kind::kRolledBack) {
            out.kind = CommitOutcome::Kind::kRolledBack;
            out.status = Status::DatabaseError(
                why.message() +
                "; the server restarted and its log holds no trace of transaction " + txid +
                ", so nothing was committed");
            return out;
          }
          last = kind.ok() ? Status::DatabaseError("transaction " + txid +
                                                   " committed but the row it wrote has changed "
                                                   "since, so whether it was this one is unclear")
                           : kind.status();
          if (kind.ok()) break;
        } else if (v == "aborted") {
          out.kind = CommitOutcome::Kind::kRolledBack;
          out.status = Status::DatabaseError(why.message() + "; the server reports transaction " +
                                             txid + " rolled back, so nothing was committed");
          return out;
        } else if (!v) {
          last = Status::DatabaseError("the server no longer knows transaction " + txid);
          break;
        } else {
          // "in progress": the session that lost its connection has not ended yet.
          if (old) end_session(*old);
          last = Status::DatabaseError("transaction " + txid +
                                       " was still in progress in the session that lost its "
                                       "connection");
        }
      } else if (r.status().message().find("is in the future") != std::string::npos) {
        // The server restarted and has not reached that id again: it never reached the log.
        out.kind = CommitOutcome::Kind::kRolledBack;
        out.status =
            Status::DatabaseError(why.message() + "; the server restarted and transaction " + txid +
                                  " never reached its log, so nothing was committed");
        return out;
      } else {
        last = r.status();
      }
    } else {
      last = st;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  out.kind = CommitOutcome::Kind::kUnknown;
  out.status = Status::DatabaseError(
      why.message() + "; whether transaction " + txid + " committed could not be learned within " +
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(window).count()) +
      " s: " + last.message());
  return out;
}

}  // namespace btstore::catalog
