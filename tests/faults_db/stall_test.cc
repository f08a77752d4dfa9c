// Row 7, the stalled network: the proxy stops forwarding (sockets left open, as a network that
// drops everything does to TCP) and a statement waits on a lock. With short timeouts every call
// returns within them (connect + statement + network, plus slack for a loaded machine), the
// stalled save is retried or resolved, and the storage keeps working.
#include <gtest/gtest.h>

#include <chrono>

#include "db_fault_fixture.h"

namespace btstore::testing {
namespace {

using Clock = std::chrono::steady_clock;
const std::string kCommit("COMMIT\0", 7);

class StallTest : public DbFaultFixture {
 protected:
  StorageOptions short_timeouts() const {
    StorageOptions o = proxied_options();
    o.connect_timeout_seconds = 2;
    o.statement_timeout_ms = 500;
    o.network_timeout_ms = 1000;
    return o;
  }
  // The longest a call may take with short_timeouts(): a wait for an answer, a reconnect, the
  // resolution of a COMMIT, and one retry, with slack for a loaded machine. A call that hangs
  // exceeds it by far.
  static constexpr std::chrono::seconds kNoHangBound{30};

  static double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }
};

TEST_F(StallTest, CommitStalledAfterReachingTheServerIsResolvedAsCommitted) {
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  const std::string id = generate_uuid_v4();
  const std::string doc = new_document(id);
  proxy_->arm({CutAction::kStall, -1, kCommit, /*forward_pattern=*/true});
  auto t0 = Clock::now();
  auto saved = storage->save_result(doc);
  const double took = seconds_since(t0);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(proxy_->fired(), 1);
  EXPECT_LT(took, kNoHangBound.count()) << "the save hung past its timeouts";
  proxy_->release();
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

TEST_F(StallTest, CommitStalledBeforeTheServerIsRolledBackAndRetried) {
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  // Over a registered task: the stalled session holds its row lock until it is ended.
  const std::string id = prepare(Before::kRunning);
  const std::string doc = new_document(id);
  proxy_->arm({CutAction::kStall, -1, kCommit, /*forward_pattern=*/false});
  auto t0 = Clock::now();
  auto saved = storage->save_result(doc);
  const double took = seconds_since(t0);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_LT(took, kNoHangBound.count()) << "the save hung past its timeouts";
  proxy_->release();
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

TEST_F(StallTest, SaveStalledMidTransactionGivesUpAndRetries) {
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  const std::string id = prepare(Before::kSaved);
  const std::string doc = new_document(id);
  // After BEGIN and part of the row lock's statement.
  proxy_->arm({CutAction::kStall, 20, "", false});
  auto t0 = Clock::now();
  auto saved = storage->save_result(doc, /*replace=*/true);
  const double took = seconds_since(t0);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_LT(took, kNoHangBound.count()) << "the save hung past its timeouts";
  proxy_->release();
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

TEST_F(StallTest, ReadOnAStalledConnectionFailsWithinTheTimeoutsThenWorksAgain) {
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  proxy_->arm({CutAction::kStall, 0, "", false});
  auto t0 = Clock::now();
  auto page = storage->list({});
  const double took = seconds_since(t0);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(page.status().message().find("no answer within"), std::string::npos)
      << page.status().to_string();
  EXPECT_LT(took, kNoHangBound.count()) << "list hung past its timeouts";
  auto again = storage->list({});
  EXPECT_TRUE(again.ok()) << again.status().to_string();
  proxy_->release();
}

TEST_F(StallTest, StatementWaitingOnALockIsCancelledByTheStatementTimeout) {
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  const std::string id = prepare(Before::kSaved);
  ASSERT_TRUE(admin_->begin().ok());
  sql("SELECT 1 FROM backtest_results WHERE task_id = $1::uuid FOR UPDATE", {id});
  auto t0 = Clock::now();
  auto saved = storage->save_result(new_document(id), /*replace=*/true);
  const double took = seconds_since(t0);
  ASSERT_TRUE(admin_->rollback().ok());
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.status().message().find("statement timeout"), std::string::npos)
      << saved.status().to_string();
  EXPECT_LT(took, kNoHangBound.count()) << "the save waited past its statement timeout";
  // The lock is gone: the same save goes through, and the old result stayed whole meanwhile.
  const std::string doc = new_document(id);
  auto retry = storage->save_result(doc, /*replace=*/true);
  ASSERT_TRUE(retry.ok()) << retry.status().to_string();
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

}  // namespace
}  // namespace btstore::testing

namespace btstore::testing {
namespace {

// The server becomes unreachable right after COMMIT left (or did not leave): the outcome cannot
// be learned, so the save says so, and its files stay published whatever happened. Once the
// server is back, the store is consistent either way.
class UnknownOutcomeTest : public StallTest, public ::testing::WithParamInterface<bool> {};

TEST_P(UnknownOutcomeTest, FilesStayWhileTheRowMayExist) {
  const bool reached = GetParam();
  auto storage = open_proxied(short_timeouts());
  ASSERT_TRUE(storage);
  const std::string id = generate_uuid_v4();
  const std::string doc = new_document(id);
  proxy_->arm({CutAction::kDrop, -1, kCommit, /*forward_pattern=*/reached});
  hook_ = [&](Op op) {
    if (op == Op::kPublish) proxy_->refuse(true);  // new connections fail from now on
  };
  auto t0 = Clock::now();
  auto saved = storage->save_result(doc);
  const double took = seconds_since(t0);
  hook_ = nullptr;
  proxy_->refuse(false);
  ASSERT_FALSE(saved.ok());
  EXPECT_TRUE(outcome_unknown(saved.status())) << saved.status().to_string();
  EXPECT_LT(took, kNoHangBound.count()) << "the save hung past its timeouts";
  EXPECT_TRUE(fs::exists(result_dir(id) / "metadata.json"))
      << "files removed while the row may exist";
  EXPECT_EQ(scalar("SELECT count(*) FROM backtest_results WHERE task_id = $1::uuid", {id}),
            reached ? "1" : "0");
  expect_consistent({{id, faults::Expected::maybe({faults::content_digest(doc)})}});
}

INSTANTIATE_TEST_SUITE_P(CommitReachedTheServer, UnknownOutcomeTest,
                         ::testing::Values(true, false));

}  // namespace
}  // namespace btstore::testing
