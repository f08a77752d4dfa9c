// A TCP proxy of the tests' own between btstore and PostgreSQL: listens on 127.0.0.1 (a free
// port), forwards every connection to the server (TCP or its Unix socket), and on command cuts
// or stalls a connection at a chosen moment: after N more bytes from the client, or when the
// client's bytes hold a pattern such as "COMMIT". Only the client's bytes are inspected, so the
// session must not be encrypted (sslmode=disable).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace btstore::testing {

struct ProxyUpstream {
  std::string unix_path;  // a Unix socket (".../.s.PGSQL.5432"), or else:
  std::string host = "127.0.0.1";
  int port = 5432;
};

enum class CutAction {
  kDrop,   // close both sides at once (the server sees the client go away)
  kStall,  // stop forwarding both ways, sockets left open, until release()
};

struct CutTrigger {
  CutAction action = CutAction::kDrop;
  int64_t after_bytes = -1;  // >= 0: act once this many more client bytes went through
  std::string pattern;       // or: act when the client's bytes contain it
  // With a pattern: forward the bytes holding it first (the server gets "COMMIT", its answer
  // is lost) or hold them back (the server never gets it).
  bool forward_pattern = false;
};

class TcpProxy {
 public:
  // nullptr (with *error) when it cannot listen.
  static std::unique_ptr<TcpProxy> start(ProxyUpstream upstream, std::string* error);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }

  // The next connection to meet the trigger gets the action; one trigger at a time.
  void arm(const CutTrigger& trigger);
  void disarm();
  // Cuts every connection now.
  void drop_all();
  // Closes every stalled connection.
  void release();
  // While set, a new connection is closed as soon as it is accepted (a server that is gone).
  void refuse(bool on) { refuse_ = on; }
  // How many triggers fired, and the client bytes forwarded so far (all connections).
  int fired() const { return fired_.load(); }
  int64_t client_bytes() const { return client_bytes_.load(); }

 private:
  struct Link;
  TcpProxy(ProxyUpstream upstream, int listen_fd, int port);
  void loop();
  void wake();
  int connect_upstream() const;
  bool pump_client(Link& link);  // false: close the link
  bool pump_server(Link& link);

  ProxyUpstream upstream_;
  int listen_fd_;
  int port_;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::atomic<bool> refuse_{false};
  std::atomic<int> fired_{0};
  std::atomic<int64_t> client_bytes_{0};

  std::mutex mu_;  // guards the commands below
  bool armed_ = false;
  CutTrigger trigger_;
  int64_t armed_at_bytes_ = 0;
  bool drop_all_ = false;
  bool release_ = false;

  std::vector<std::unique_ptr<Link>> links_;  // only the loop thread touches them
  std::thread thread_;
};

}  // namespace btstore::testing
