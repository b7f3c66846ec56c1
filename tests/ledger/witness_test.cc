// The witness's pure checks (ledger/log/witness.h): the add-checkpoint body
// (c2sp.org/tlog-witness §add-checkpoint), the --logs file, and CheckAdvance over real Merkle
// trees built here.
#include "ledger/log/witness.h"

#include <catch2/catch.hpp>
#include <string>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

using namespace carbonledger;

namespace {

SigningKey LogKey() {
  return *SigningKey::FromSeed(
      *HexDecode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
}
constexpr char kLogName[] = "carbonledger.example/park-hefei";

std::string Note(uint64_t size, const Hash& root) {
  Checkpoint c;
  c.origin = kLogName;
  c.size = size;
  c.root = root;
  return SignCheckpoint(c, kLogName, LogKey());
}

// A tree of `n` leaves "leaf <i>".
struct Tree {
  merkle::Frontier frontier;
  merkle::MemoryNodeStore nodes;
  void Grow(uint64_t n) {
    std::vector<std::pair<merkle::NodeId, Hash>> done;
    while (frontier.size() < n) {
      frontier.Append(merkle::HashLeaf("leaf " + std::to_string(frontier.size())), &done);
      REQUIRE(nodes.PutAll(done).ok());
    }
  }
};

std::string B64(const Hash& h) { return Base64Encode(AsBytes(h)); }

}  // namespace

TEST_CASE("ParseAddCheckpointRequest reads the spec's body and refuses every deviation",
          "[witness]") {
  const std::string note = Note(5, Sha256("r"));
  const Hash a = Sha256("a"), b = Sha256("b");

  auto r = ParseAddCheckpointRequest("old 3\n" + B64(a) + "\n" + B64(b) + "\n\n" + note);
  REQUIRE(r.ok());
  CHECK(r->old_size == 3);
  CHECK(r->proof == std::vector<Hash>{a, b});
  CHECK(r->note == note);

  auto empty = ParseAddCheckpointRequest("old 0\n\n" + note);
  REQUIRE(empty.ok());
  CHECK(empty->old_size == 0);
  CHECK(empty->proof.empty());

  const auto reason = [](const std::string& body) {
    return ParseAddCheckpointRequest(body).status().reason();
  };
  CHECK(reason("") == "witness.request");
  CHECK(reason("garbage") == "witness.request");
  CHECK(reason("old 01\n\n" + note) == "witness.request");
  CHECK(reason("old -1\n\n" + note) == "witness.request");
  CHECK(reason("old  1\n\n" + note) == "witness.request");
  CHECK(reason("Old 1\n\n" + note) == "witness.request");
  CHECK(reason("old 18446744073709551616\n\n" + note) == "witness.request");
  CHECK(reason("old 1\n" + B64(a) + "\n") == "witness.request");         // no empty line
  CHECK(reason("old 1\n" + B64(a) + "\n" + note) == "witness.request");  // note line as proof
  CHECK(reason("old 1\nnot-base64\n\n" + note) == "witness.request");
  CHECK(reason("old 1\n" + Base64Encode("short") + "\n\n" + note) == "witness.request");
  CHECK(reason("old 1\n\nnot a note") == "checkpoint.format");
  CHECK(reason("old 1\n\n" + note.substr(0, note.size() - 1)) == "checkpoint.format");

  std::string proof63, proof64;
  for (int i = 0; i < 63; ++i) proof63 += B64(Sha256(std::to_string(i))) + "\n";
  proof64 = proof63 + B64(a) + "\n";
  CHECK(ParseAddCheckpointRequest("old 1\n" + proof63 + "\n" + note).ok());
  CHECK(reason("old 1\n" + proof64 + "\n" + note) == "witness.request");
  CHECK(reason("old 1\n\n" + note + std::string(kMaxAddCheckpointBytes, 'x')) == "witness.request");
}

TEST_CASE("ParseWitnessLogs reads vkey lines with optional origins", "[witness]") {
  const std::string vkey = FormatPublicKey(kLogName, LogKey().public_key());
  const std::string other = FormatPublicKey("sum.golang.org", SigningKey::Generate().public_key());
  auto logs = ParseWitnessLogs("# logs\n\n" + vkey + "\n" + other + " go.sum database tree\r\n");
  REQUIRE(logs.ok());
  REQUIRE(logs->size() == 2);
  CHECK((*logs)[0].origin == kLogName);
  CHECK((*logs)[0].key.name == kLogName);
  CHECK((*logs)[0].key.key == LogKey().public_key());
  CHECK((*logs)[1].origin == "go.sum database tree");
  CHECK((*logs)[1].key.name == "sum.golang.org");

  auto twice = ParseWitnessLogs(vkey + "\n" + vkey + "\n");
  CHECK(twice.status().reason() == "witness.config");
  CHECK(twice.status().message().find("line 2") != std::string::npos);
  CHECK(ParseWitnessLogs("not a key\n").status().reason() == "witness.config");
  CHECK(ParseWitnessLogs(vkey + " \n").status().reason() == "witness.config");  // empty origin
  CHECK(ParseWitnessLogs("").ok());
}

TEST_CASE("CheckAdvance follows the spec's consistency rules", "[witness]") {
  Tree t;
  t.Grow(7);
  const Hash root7 = t.frontier.Root();
  t.Grow(12);
  const Hash root12 = t.frontier.Root();
  auto proof = merkle::ConsistencyProof(7, 12, t.nodes);
  REQUIRE(proof.ok());
  const auto cp = [](uint64_t size, const Hash& root) {
    return Checkpoint{kLogName, size, root, {}};
  };
  const auto req = [](uint64_t old, std::vector<Hash> p) {
    return AddCheckpointRequest{old, std::move(p), ""};
  };
  const WitnessedState at7{7, root7};

  CHECK(CheckAdvance(NeverCosigned(), req(0, {}), cp(7, root7)).ok());
  CHECK(CheckAdvance(at7, req(7, *proof), cp(12, root12)).ok());
  CHECK(CheckAdvance(at7, req(7, {}), cp(7, root7)).ok());  // the same checkpoint again

  const auto reason = [](const Status& s) { return s.reason(); };
  CHECK(reason(CheckAdvance(at7, req(0, {}), cp(12, root12))) == "witness.old_size");
  CHECK(CheckAdvance(at7, req(5, *proof), cp(12, root12)).code() == Code::kConflict);
  CHECK(reason(CheckAdvance(NeverCosigned(), req(0, {}), cp(0, root7))) == "witness.empty_root");
  CHECK(CheckAdvance(NeverCosigned(), req(0, {}), cp(0, merkle::EmptyRoot())).ok());
  CHECK(reason(CheckAdvance(at7, req(7, {}), cp(7, root12))) == "witness.fork");
  CHECK(reason(CheckAdvance(NeverCosigned(), req(0, *proof), cp(12, root12))) ==
        "witness.consistency");
  std::vector<Hash> bad = *proof;
  bad[0][0] ^= 1;
  CHECK(reason(CheckAdvance(at7, req(7, bad), cp(12, root12))) == "witness.consistency");
  CHECK(reason(CheckAdvance(at7, req(7, *proof), cp(12, Sha256("other")))) ==
        "witness.consistency");
  CHECK(CheckAdvance(at7, req(7, bad), cp(12, root12)).code() == Code::kUnprocessable);
}

TEST_CASE("ParseAddCheckpointRequest reads the spec's example request", "[witness]") {
  // c2sp.org/tlog-witness §add-checkpoint, "Example request body", byte for byte.
  const std::string body =
      "old 20852014\n"
      "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
      "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
      "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
      "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
      "\n"
      "example.com/behind-the-sofa\n"
      "20852163\n"
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
      "\n"
      "\xE2\x80\x94 example.com/behind-the-sofa "
      "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
      "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
      "\xE2\x80\x94 example.com/behind-the-sofa "
      "opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/"
      "V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";
  auto r = ParseAddCheckpointRequest(body);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->old_size == 20852014);
  REQUIRE(r->proof.size() == 4);
  CHECK(Base64Encode(AsBytes(r->proof[3])) == "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=");
  auto note = ParseCheckpointNote(r->note);
  REQUIRE(note.ok());
  CHECK(note->checkpoint.origin == "example.com/behind-the-sofa");
  CHECK(note->checkpoint.size == 20852163);
  CHECK(note->signatures.size() == 2);
}
