// HTTPS: the server serves TLS through OpenSSL when given a certificate and key.
#include <arpa/inet.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/client/client.h"
#include "api/server.h"
#include "tests/support/ledger_fixture.h"

using namespace carbonledger;

namespace {

// A fresh self-signed P-256 certificate for 127.0.0.1, written as PEM files.
void WriteSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  REQUIRE(key != nullptr);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  REQUIRE(X509_sign(x, key, EVP_sha256()) > 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  REQUIRE((c != nullptr && k != nullptr));
  PEM_write_X509(c, x);
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(c);
  std::fclose(k);
  X509_free(x);
  EVP_PKEY_free(key);
}

// A server on a loopback port with a fresh self-signed certificate, serving until Stop().
class TlsServer {
 public:
  explicit TlsServer(ServerOptions o = {}) {
    WriteSelfSigned(cert(), dir_.Sub("key.pem"));
    o.port = 0;
    o.log_level = 0;
    o.tls_cert_file = cert();
    o.tls_key_file = dir_.Sub("key.pem");
    server_ = std::make_unique<ApiServer>(o, fx_.ledger());
    REQUIRE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Serve(); });
  }
  ~TlsServer() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  std::string cert() const { return dir_.Sub("cert.pem"); }

 private:
  testing::LedgerFixture fx_;
  testing::TempDir dir_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("with a certificate the server speaks HTTPS and only HTTPS", "[api][tls]") {
  TlsServer server;
  httplib::SSLClient tls("127.0.0.1", server.port());
  tls.enable_server_certificate_verification(false);  // self-signed for the test
  auto r = tls.Get("/v1/health");
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(2, 0);
  auto p = plain.Get("/v1/health");
  server.Stop();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(nlohmann::json::parse(r->body)["status"] == "ok");
  CHECK_FALSE((p && p->status == 200));
}

TEST_CASE("an unreadable certificate is refused at start", "[api][tls]") {
  testing::LedgerFixture fx;
  ServerOptions o;
  o.port = 0;
  o.tls_cert_file = "/nonexistent/cert.pem";
  o.tls_key_file = "/nonexistent/key.pem";
  ApiServer server(o, fx.ledger());
  CHECK(server.Bind().reason() == "config.tls");
}

TEST_CASE("the client library speaks HTTPS, trusting the CA it is given", "[api][tls]") {
  TlsServer server;
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port());
  ApiClientOptions trusting;
  trusting.ca_cert_file = server.cert();
  auto health = ApiClient(url, trusting).GetJson("/v1/health");
  auto untrusted = ApiClient(url).GetJson("/v1/health");  // the system's CAs do not know it
  server.Stop();
  INFO(health.status().ToString());
  REQUIRE(health.ok());
  CHECK((*health)["status"] == "ok");
  CHECK(IsNoAnswer(untrusted.status()));
}

namespace {

int ConnectTcp(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace

TEST_CASE("stalled TLS handshakes and slow heads over TLS hold no worker and are cut off",
          "[api][tls][hostile][gate]") {
  ServerOptions o;
  o.threads = 2;
  o.head_timeout_s = 2;
  TlsServer server(o);
  // 100 sockets that never start the handshake, and one TLS session trickling its head.
  std::vector<int> stalled;
  for (int i = 0; i < 100; ++i) stalled.push_back(ConnectTcp(server.port()));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  REQUIRE(ctx != nullptr);
  int fd = ConnectTcp(server.port());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  REQUIRE(SSL_connect(ssl) == 1);
  const std::string head = "GET /v1/health HTTP/1.1\r\nHost: x\r\n";
  REQUIRE(SSL_write(ssl, head.data(), int(head.size())) == int(head.size()));
  auto t0 = std::chrono::steady_clock::now();
  httplib::SSLClient tls("127.0.0.1", server.port());
  tls.enable_server_certificate_verification(false);
  for (int i = 0; i < 3; ++i) {
    auto r0 = std::chrono::steady_clock::now();
    auto r = tls.Get("/v1/health");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count() < 1.0);
  }
  // The slow head is answered 408 inside TLS at the head timeout.
  std::string answer;
  char buf[1024];
  for (int n; (n = SSL_read(ssl, buf, sizeof buf)) > 0;) answer.append(buf, size_t(n));
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);
  CHECK(answer.find("request.head_timeout") != std::string::npos);
  CHECK(waited < 3.5);
  // The stalled handshakes were closed without a byte.
  for (int s : stalled) {
    CHECK(read(s, buf, sizeof buf) == 0);
    close(s);
  }
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
  server.Stop();
}
