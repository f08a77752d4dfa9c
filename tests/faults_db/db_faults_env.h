// Shared by the database fault tests: fault counts (CI default, x10 with BTSTORE_FAULTS_LONG=1),
// the TCP proxy in front of the test server, and short timeouts for the stall tests.
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "integration/pg_test_env.h"
#include "tcp_proxy.h"

namespace btstore::testing {

inline bool faults_long() {
  const char* v = std::getenv("BTSTORE_FAULTS_LONG");
  return v != nullptr && std::string(v) == "1";
}

// `ci_default` in the default run, ten times as many in the long one.
inline int fault_count(int ci_default) { return faults_long() ? ci_default * 10 : ci_default; }

inline std::string quoted(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The test server as the proxy sees it, and the conninfo that reaches it through the proxy.
struct ProxiedServer {
  ProxyUpstream upstream;
  std::string user, dbname, password;
  std::string error;

  std::string conninfo(int proxy_port) const {
    std::string out = "host=127.0.0.1 port=" + std::to_string(proxy_port) +
                      " user=" + quoted(user) + " dbname=" + quoted(dbname) +
                      " sslmode=disable gssencmode=disable";
    if (!password.empty()) out += " password=" + quoted(password);
    return out;
  }
};

inline ProxiedServer proxied_server(const std::string& conninfo) {
  ProxiedServer s;
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    s.error = PQerrorMessage(c);
    PQfinish(c);
    return s;
  }
  std::string host = PQhost(c);
  std::string port = PQport(c);
  s.user = PQuser(c);
  s.dbname = PQdb(c);
  s.password = PQpass(c) != nullptr ? PQpass(c) : "";
  PQfinish(c);
  if (!host.empty() && host[0] == '/') {
    s.upstream.unix_path = host + "/.s.PGSQL." + port;
  } else {
    s.upstream.host = host.empty() ? "localhost" : host;
    s.upstream.port = std::stoi(port);
  }
  return s;
}

}  // namespace btstore::testing
