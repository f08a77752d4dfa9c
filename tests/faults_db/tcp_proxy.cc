#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace btstore::testing {

struct TcpProxy::Link {
  int client = -1;
  int server = -1;
  bool stalled = false;
  std::string tail;  // the client's last bytes, for a pattern split across reads
  ~Link() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }
};

namespace {

bool send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::unique_ptr<TcpProxy> TcpProxy::start(ProxyUpstream upstream, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // the kernel picks a free port
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    *error = std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  std::unique_ptr<TcpProxy> proxy(new TcpProxy(std::move(upstream), fd, ntohs(addr.sin_port)));
  if (::pipe2(proxy->wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  proxy->thread_ = std::thread([p = proxy.get()] { p->loop(); });
  return proxy;
}

TcpProxy::TcpProxy(ProxyUpstream upstream, int listen_fd, int port)
    : upstream_(std::move(upstream)), listen_fd_(listen_fd), port_(port) {}

TcpProxy::~TcpProxy() {
  stop_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
  links_.clear();
  ::close(listen_fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void TcpProxy::wake() {
  if (wake_pipe_[1] >= 0) (void)!::write(wake_pipe_[1], "x", 1);
}

void TcpProxy::arm(const CutTrigger& trigger) {
  std::lock_guard lock(mu_);
  trigger_ = trigger;
  armed_ = true;
  armed_at_bytes_ = client_bytes_.load();
}

void TcpProxy::disarm() {
  std::lock_guard lock(mu_);
  armed_ = false;
}

void TcpProxy::drop_all() {
  {
    std::lock_guard lock(mu_);
    drop_all_ = true;
  }
  wake();
}

void TcpProxy::release() {
  {
    std::lock_guard lock(mu_);
    release_ = true;
  }
  wake();
}

int TcpProxy::connect_upstream() const {
  if (!upstream_.unix_path.empty()) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, upstream_.unix_path.c_str(), sizeof addr.sun_path - 1);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(upstream_.port);
  if (::getaddrinfo(upstream_.host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

bool TcpProxy::pump_client(Link& link) {
  char buf[65536];
  ssize_t n = ::recv(link.client, buf, sizeof buf, 0);
  if (n <= 0) return n < 0 && errno == EINTR;
  size_t forward = static_cast<size_t>(n);
  bool act = false;
  CutAction action = CutAction::kDrop;
  {
    std::lock_guard lock(mu_);
    if (armed_ && trigger_.after_bytes >= 0) {
      const int64_t limit = armed_at_bytes_ + trigger_.after_bytes;
      const int64_t before = client_bytes_.load();
      if (before + n >= limit) {
        forward = static_cast<size_t>(std::max<int64_t>(0, limit - before));
        act = true;
      }
    } else if (armed_ && !trigger_.pattern.empty()) {
      std::string hay = link.tail + std::string(buf, static_cast<size_t>(n));
      size_t at = hay.find(trigger_.pattern);
      if (at != std::string::npos) {
        size_t start = at >= link.tail.size() ? at - link.tail.size() : 0;
        forward = trigger_.forward_pattern ? static_cast<size_t>(n) : start;
        act = true;
      }
    }
    if (act) {
      armed_ = false;
      action = trigger_.action;
      ++fired_;
    }
    const size_t keep = trigger_.pattern.empty() ? 0 : trigger_.pattern.size() - 1;
    link.tail = (link.tail + std::string(buf, static_cast<size_t>(n)));
    if (link.tail.size() > keep) link.tail.erase(0, link.tail.size() - keep);
  }
  if (forward > 0 && !send_all(link.server, buf, forward)) return false;
  client_bytes_ += static_cast<int64_t>(forward);
  if (!act) return true;
  if (action == CutAction::kDrop) return false;
  link.stalled = true;
  return true;
}

bool TcpProxy::pump_server(Link& link) {
  char buf[65536];
  ssize_t n = ::recv(link.server, buf, sizeof buf, 0);
  if (n <= 0) return n < 0 && errno == EINTR;
  return send_all(link.client, buf, static_cast<size_t>(n));
}

void TcpProxy::loop() {
  while (!stop_) {
    std::vector<pollfd> fds = {{wake_pipe_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    std::vector<Link*> owners = {nullptr, nullptr};
    for (auto& l : links_) {
      if (l->stalled) continue;
      fds.push_back({l->client, POLLIN, 0});
      owners.push_back(l.get());
      fds.push_back({l->server, POLLIN, 0});
      owners.push_back(l.get());
    }
    if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wake_pipe_[0], drain, sizeof drain) > 0) {
      }
      std::lock_guard lock(mu_);
      if (drop_all_) links_.clear();
      if (release_) {
        std::erase_if(links_, [](const auto& l) { return l->stalled; });
      }
      drop_all_ = release_ = false;
      continue;  // the poll set changed
    }
    if (fds[1].revents & POLLIN) {
      int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0 && refuse_) {
        ::close(client);
      } else if (client >= 0) {
        auto link = std::make_unique<Link>();
        link->client = client;
        link->server = connect_upstream();
        if (link->server >= 0) links_.push_back(std::move(link));
      }
    }
    std::vector<Link*> closed;
    for (size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Link* l = owners[i];
      if (std::find(closed.begin(), closed.end(), l) != closed.end() || l->stalled) continue;
      bool from_client = fds[i].fd == l->client;
      bool ok = from_client ? pump_client(*l) : pump_server(*l);
      if (!ok) closed.push_back(l);
    }
    std::erase_if(links_, [&](const auto& l) {
      return std::find(closed.begin(), closed.end(), l.get()) != closed.end();
    });
  }
}

}  // namespace btstore::testing
