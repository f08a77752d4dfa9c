// The fixture of the connection-cut and stall tests: a fresh root and table (StorageFixture),
// the TCP proxy in front of the test server, a storage that reaches the server only through
// it (named kApp, for pg_terminate_backend) and runs a hook before its file steps.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "db_faults_env.h"
#include "faults/store_check.h"
#include "integration/faults_fixture.h"

namespace btstore::testing {

// The local file store with a hook run before stage and publish (the moments of a save
// before its transaction and inside it).
class HookedFileStore final : public ForwardingFileStore {
 public:
  using Hook = std::function<void(Op)>;
  HookedFileStore(std::unique_ptr<FileStore> real, Hook* hook)
      : ForwardingFileStore(std::move(real)), hook_(hook) {}

  Result<filestore::Staged> stage(std::string_view task_id,
                                  const std::vector<filestore::FileContent>& files) override {
    run_hook(Op::kStage);
    return ForwardingFileStore::stage(task_id, files);
  }
  Status publish(filestore::Staged& staged, bool replace, filestore::Staged* replaced) override {
    run_hook(Op::kPublish);
    return ForwardingFileStore::publish(staged, replace, replaced);
  }

 private:
  void run_hook(Op op) {
    Hook hook = *hook_;  // a copy: the hook may clear itself
    if (hook) hook(op);
  }

  Hook* hook_;
};

class DbFaultFixture : public FaultsFixture {
 protected:
  void SetUp() override {
    FaultsFixture::SetUp();
    if (HasFatalFailure()) return;
    use_memory_root();
    server_ = proxied_server(test_conninfo());
    ASSERT_EQ(server_.error, "");
    std::string error;
    proxy_ = TcpProxy::start(server_.upstream, &error);
    ASSERT_TRUE(proxy_) << error;
  }
  void TearDown() override {
    proxy_.reset();
    FaultsFixture::TearDown();
  }

  // Options of a storage that talks to the server through the proxy, as kApp.
  StorageOptions proxied_options() const {
    StorageOptions o = options();
    o.database_url = server_.conninfo(proxy_->port()) + " application_name=" + kApp;
    o.connect_timeout_seconds = 5;
    o.statement_timeout_ms = 10'000;
    o.network_timeout_ms = 5'000;
    return o;
  }

  std::unique_ptr<ResultStorage> open_proxied(const StorageOptions& o) {
    auto files =
        std::make_unique<HookedFileStore>(filestore::open_local_file_store(o.root), &hook_);
    auto s = storage::open_with_file_store(o, std::move(files));
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // The store as the issue defines "consistent", checked through a direct connection.
  void expect_consistent(const std::map<std::string, faults::Expected>& expected) {
    faults::StoreCheckOptions check;
    check.storage = options();
    check.expected = expected;
    faults::StoreCheck result = faults::check_store(check);
    EXPECT_TRUE(result.ok()) << result.describe();
  }

  static bool outcome_unknown(const Status& st) {
    return st.message().find("may or may not be saved") != std::string::npos;
  }

  ProxiedServer server_;
  std::unique_ptr<TcpProxy> proxy_;
  HookedFileStore::Hook hook_;
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace btstore::testing
