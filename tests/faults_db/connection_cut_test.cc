// Row 7 of the fault suite: the database connection cut in the middle of a save and at COMMIT,
// by pg_terminate_backend from a second connection and by the tests' TCP proxy. A save either
// reports success and is there in full, or reports a clean error and is absent (the previous
// result, for a replace); a COMMIT whose answer was lost is resolved by its transaction id.
#include <gtest/gtest.h>

#include <iostream>

#include "db_fault_fixture.h"

namespace btstore::testing {
namespace {

const std::string kCommit("COMMIT\0", 7);  // the simple-query text of COMMIT, with its NUL

class ConnectionCutTest : public DbFaultFixture {};

TEST_F(ConnectionCutTest, CommitWhoseAnswerIsLostIsResolvedAsCommitted) {
  auto storage = open_proxied(proxied_options());
  ASSERT_TRUE(storage);
  const std::string id = generate_uuid_v4();
  const std::string doc = new_document(id);
  proxy_->arm({CutAction::kDrop, -1, kCommit, /*forward_pattern=*/true});
  auto saved = storage->save_result(doc);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(proxy_->fired(), 1);
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

TEST_F(ConnectionCutTest, CommitThatNeverReachedTheServerIsRetriedOnANewConnection) {
  auto storage = open_proxied(proxied_options());
  ASSERT_TRUE(storage);
  const std::string id = prepare(Before::kSaved);
  const std::string doc = new_document(id);
  proxy_->arm({CutAction::kDrop, -1, kCommit, /*forward_pattern=*/false});
  auto saved = storage->save_result(doc, /*replace=*/true);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(proxy_->fired(), 1);
  expect_consistent({{id, faults::Expected::saved(faults::content_digest(doc))}});
}

TEST_F(ConnectionCutTest, StorageReconnectsOnTheCallAfterItsConnectionWasKilled) {
  auto storage = open_proxied(proxied_options());
  ASSERT_TRUE(storage);
  terminate(kApp);
  auto first = storage->list({});
  if (!first.ok()) {  // the call that finds the connection gone says so
    EXPECT_EQ(first.status().code(), StatusCode::kDatabaseError);
    EXPECT_NE(first.status().message().find("lost the connection"), std::string::npos)
        << first.status().to_string();
  }
  auto second = storage->list({});
  EXPECT_TRUE(second.ok()) << second.status().to_string();
  const std::string id = generate_uuid_v4();
  EXPECT_TRUE(storage->save_result(new_document(id)).ok());
}

TEST_F(ConnectionCutTest, SaveFailsCleanlyWhenTheServerStaysUnreachable) {
  auto storage = open_proxied(proxied_options());
  ASSERT_TRUE(storage);
  // The connection is cut and every new one refused: nothing of the save may remain. (Not a
  // one-shot trigger: the save's INSERT, in flight while the files are staged, could take it
  // on the old connection and leave the retry's new one alone.)
  const std::string id = generate_uuid_v4();
  hook_ = [&](Op op) {
    if (op != Op::kStage) return;
    proxy_->refuse(true);
    proxy_->drop_all();
  };
  auto saved = storage->save_result(new_document(id));
  hook_ = nullptr;
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(saved.status().message().find("was not saved"), std::string::npos)
      << saved.status().to_string();
  proxy_->refuse(false);
  expect_consistent({});
}

// Random cuts, one per save: after a random number of the client's bytes (anywhere in BEGIN,
// the row lock, the insert or update, the transaction id, COMMIT), at COMMIT with and without
// the server receiving it, and pg_terminate_backend before the save's transaction and inside
// it. A quarter of the saves replace an earlier result.
TEST_F(ConnectionCutTest, RandomCutsNeverLoseOrHalfSaveAResult) {
  const int cuts = fault_count(300);
  auto storage = open_proxied(proxied_options());
  ASSERT_TRUE(storage);
  // The client bytes of one whole save, to pick cut points in.
  const int64_t before = proxy_->client_bytes();
  const std::string first = generate_uuid_v4();
  const std::string first_doc = new_document(first);
  ASSERT_TRUE(storage->save_result(first_doc).ok());
  const int64_t save_bytes = proxy_->client_bytes() - before;
  ASSERT_GT(save_bytes, 0);

  std::map<std::string, faults::Expected> expected;
  std::vector<std::string> saved_ids = {first};
  std::map<std::string, std::string> digest_of = {{first, faults::content_digest(first_doc)}};
  expected[first] = faults::Expected::saved(digest_of[first]);
  int ok = 0, clean_errors = 0, unknown = 0, fired = 0, terminated = 0;
  for (int i = 0; i < cuts; ++i) {
    const bool replace = saved_ids.size() > 1 && rng_() % 4 == 0;
    const std::string id = replace ? saved_ids[rng_() % saved_ids.size()] : generate_uuid_v4();
    const std::string doc = result_json(ResultSpec().id(id).rows(1 + int(rng_() % 6), 2));
    const int kind = static_cast<int>(rng_() % 5);
    SCOPED_TRACE("cut " + std::to_string(i) + " kind " + std::to_string(kind));
    hook_ = nullptr;
    if (kind == 0) {
      // A replace sends a little less than a new save: stay inside both.
      const uint64_t range = uint64_t(save_bytes) * 9 / 10;
      proxy_->arm({CutAction::kDrop, int64_t(rng_() % range), "", false});
    } else if (kind == 1 || kind == 2) {
      proxy_->arm({CutAction::kDrop, -1, kCommit, /*forward_pattern=*/kind == 1});
    } else {
      const Op at = kind == 3 ? Op::kStage : Op::kPublish;
      hook_ = [&, at](Op op) {
        if (op != at) return;
        hook_ = nullptr;
        terminate(kApp);
        ++terminated;
      };
    }
    const int fired_before = proxy_->fired();
    auto saved = storage->save_result(doc, replace);
    proxy_->disarm();
    hook_ = nullptr;
    fired += proxy_->fired() - fired_before;
    const std::string digest = faults::content_digest(doc);
    if (saved.ok()) {
      ++ok;
      expected[id] = faults::Expected::saved(digest);
      digest_of[id] = digest;
      if (!replace) saved_ids.push_back(id);
    } else if (outcome_unknown(saved.status())) {
      ++unknown;
      std::set<std::string> digests = {digest};
      if (replace) digests.insert(digest_of[id]);
      expected[id] = faults::Expected::maybe(digests);
    } else {
      ++clean_errors;
      EXPECT_NE(saved.status().message().find("not saved"), std::string::npos)
          << saved.status().to_string();
    }
  }
  std::cout << "[ figures  ] " << cuts << " saves cut (" << fired << " by the proxy, " << terminated
            << " by pg_terminate_backend): " << ok << " succeeded, " << clean_errors
            << " failed cleanly, " << unknown << " left unknown\n";
  EXPECT_EQ(fired + terminated, cuts);
  EXPECT_EQ(unknown, 0);  // the server stayed reachable, so every outcome was learned
  expect_consistent(expected);
}

}  // namespace
}  // namespace btstore::testing
