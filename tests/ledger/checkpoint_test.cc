#include "ledger/log/checkpoint.h"

#include <catch2/catch.hpp>
#include <string>

#include "crypto/encoding.h"
#include "crypto/sha256.h"

using namespace carbonledger;

namespace {

const char kEmDash[] = "\xE2\x80\x94";

// RFC 8032 §7.1 TEST 1 and TEST 2 secret keys: fixed, so signed notes are reproducible.
SigningKey LogKey() {
  return *SigningKey::FromSeed(
      *HexDecode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
}
SigningKey WitnessKey() {
  return *SigningKey::FromSeed(
      *HexDecode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
}

constexpr char kLogName[] = "carbonledger.example/park-hefei";
constexpr char kWitnessName[] = "witness.example/w1";

Checkpoint Example() {
  Checkpoint c;
  c.origin = kLogName;
  c.size = 17;
  c.root = Sha256("example root");
  return c;
}

// A signature line over `body` by (name, key), built here from the signed-note definition.
std::string SignatureLine(const std::string& body, const std::string& name, const SigningKey& key) {
  Hash h = Sha256(name + "\n\x01" + std::string(AsBytes(key.public_key())));
  std::string data(AsBytes(h).substr(0, 4));
  data += AsBytes(key.Sign(body));
  return std::string(kEmDash) + " " + name + " " + Base64Encode(data) + "\n";
}

// A note around an arbitrary (possibly malformed) body, validly signed by the log key.
std::string NoteFor(const std::string& body) {
  return body + "\n" + SignatureLine(body, kLogName, LogKey());
}

std::string OpenReason(std::string_view note, std::string_view expected_origin = "") {
  auto c = OpenCheckpoint(note, kLogName, LogKey().public_key(), expected_origin);
  return c.ok() ? "" : c.status().reason();
}

std::string BodyReason(std::string_view body) {
  auto c = ParseCheckpointBody(body);
  return c.ok() ? "" : c.status().reason();
}

}  // namespace

TEST_CASE("checkpoint body is origin, size, base64 root and extensions, each ended by \\n",
          "[ledger][checkpoint]") {
  Checkpoint c = Example();
  const std::string root64 = Base64Encode(AsBytes(c.root));
  CHECK(CheckpointBody(c) == std::string(kLogName) + "\n17\n" + root64 + "\n");
  c.extensions = {"ext one", "ext-two"};
  CHECK(CheckpointBody(c) == std::string(kLogName) + "\n17\n" + root64 + "\next one\next-two\n");
  auto parsed = ParseCheckpointBody(CheckpointBody(c));
  REQUIRE(parsed.ok());
  CHECK(parsed->origin == c.origin);
  CHECK(parsed->size == 17);
  CHECK(parsed->root == c.root);
  CHECK(parsed->extensions == c.extensions);
}

TEST_CASE("a signed checkpoint opens with the log's key and round-trips", "[ledger][checkpoint]") {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{17}, UINT64_MAX}) {
    Checkpoint c = Example();
    c.size = size;
    c.extensions =
        size == 1 ? std::vector<std::string>{"Timestamp: 1700000000"} : std::vector<std::string>{};
    const std::string note = SignCheckpoint(c, kLogName, LogKey());
    CHECK(note == NoteFor(CheckpointBody(c)));
    auto opened = OpenCheckpoint(note, kLogName, LogKey().public_key(), kLogName);
    REQUIRE(opened.ok());
    CHECK(opened->origin == c.origin);
    CHECK(opened->size == size);
    CHECK(opened->root == c.root);
    CHECK(opened->extensions == c.extensions);
  }
}

TEST_CASE("the worked example in docs/checkpoints.md is reproduced exactly",
          "[ledger][checkpoint]") {
  CHECK(FormatPublicKey(kLogName, LogKey().public_key()) ==
        "carbonledger.example/park-hefei+15718d6b+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
  const std::string note =
      "carbonledger.example/park-hefei\n"
      "17\n"
      "tWfAy7LoXCleat6TDluzSaS5vulInKp9a2ed1G6CpxE=\n"
      "\n"
      "\xE2\x80\x94 carbonledger.example/park-hefei "
      "FXGNazawzI8SFcrxc/adIKO/oLrBgyxauRUmW2Cy4xY8rmL8s5Pxn0byEVHsOpHWLa6oejL/"
      "x3FAZlHeuWX+nD6D6wM=\n";
  CHECK(SignCheckpoint(Example(), kLogName, LogKey()) == note);
  auto vkey = ParsePublicKey(
      "carbonledger.example/park-hefei+15718d6b+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
  REQUIRE(vkey.ok());
  CHECK(OpenCheckpoint(note, vkey->name, vkey->key, kLogName).ok());
}

TEST_CASE("the signature line carries the signed-note key id", "[ledger][checkpoint]") {
  const std::string note = SignCheckpoint(Example(), kLogName, LogKey());
  const std::string prefix = std::string(kEmDash) + " " + kLogName + " ";
  const size_t at = note.find(prefix);
  REQUIRE(at != std::string::npos);
  const std::string b64 = note.substr(at + prefix.size(), note.size() - at - prefix.size() - 1);
  auto data = Base64Decode(b64);
  REQUIRE(data.ok());
  REQUIRE(data->size() == 4 + 64);
  // key id = SHA-256(name || 0x0A || 0x01 || public key)[:4], computed here from the definition.
  const Hash h = Sha256(std::string(kLogName) + "\n" + std::string(1, '\x01') +
                        std::string(AsBytes(LogKey().public_key())));
  CHECK(data->substr(0, 4) == AsBytes(h).substr(0, 4));
  CHECK(NoteKeyId(kLogName, LogKey().public_key()) ==
        (uint32_t(h[0]) << 24 | uint32_t(h[1]) << 16 | uint32_t(h[2]) << 8 | h[3]));
  // And the published verifier keys carry the ids NoteKeyId computes.
  auto go = ParsePublicKey("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
  REQUIRE(go.ok());
  CHECK(NoteKeyId(go->name, go->key) == 0x033de0ae);
  auto peter = ParsePublicKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  REQUIRE(peter.ok());
  CHECK(NoteKeyId(peter->name, peter->key) == 0xc74f20a3);
}

TEST_CASE("published sum.golang.org checkpoints open with the published key",
          "[ledger][checkpoint]") {
  // golang.org/x/mod/sumdb and cmd/go's key for sum.golang.org; the checkpoints were served
  // at https://sum.golang.org/latest (the first on 2024-09-23).
  auto vkey =
      ParsePublicKey("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");
  REQUIRE(vkey.ok());
  struct Published {
    const char* note;
    uint64_t size;
  };
  const Published notes[] = {
      {"go.sum database tree\n30055305\nmXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=\n\n"
       "\xE2\x80\x94 sum.golang.org "
       "Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+"
       "y3A8="
       "\n",
       30055305},
      {"go.sum database tree\n65664258\nWVVNVD2qx+fTq31zkj6UAqxT5X6HvGphGM+o8Thnbsg=\n\n"
       "\xE2\x80\x94 sum.golang.org "
       "Az3grligJmgX7KGyGPKybykNTh3VgsbLvUuvOwrM5zLVlulmFp2wdvbxOw74/"
       "gcNxURShXEpb7RXcs3+BYflYN+w0gQ="
       "\n",
       65664258},
  };
  for (const auto& p : notes) {
    auto c = OpenCheckpoint(p.note, vkey->name, vkey->key, "go.sum database tree");
    INFO(p.note);
    REQUIRE(c.ok());
    CHECK(c->size == p.size);
    CHECK(c->extensions.empty());
    // Changing one digit of the size breaks the signature.
    std::string forged = p.note;
    forged[21] = forged[21] == '9' ? '8' : char(forged[21] + 1);
    auto f = OpenCheckpoint(forged, vkey->name, vkey->key);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().reason() == "checkpoint.signature");
  }
}

TEST_CASE("changing any byte of a signed checkpoint is refused", "[ledger][checkpoint]") {
  Checkpoint c = Example();
  c.extensions = {"ext"};
  const std::string note = SignCheckpoint(c, kLogName, LogKey());
  const size_t body_size = CheckpointBody(c).size();
  REQUIRE(OpenReason(note).empty());
  for (size_t i = 0; i < note.size(); ++i) {
    for (char mask : {'\x01', '\x02', '\x20', '\x40'}) {
      std::string t = note;
      t[i] = static_cast<char>(t[i] ^ mask);
      INFO("byte " << i << " xor " << int(mask));
      const std::string reason = OpenReason(t);
      CHECK((reason == "checkpoint.format" || reason == "checkpoint.signature"));
    }
  }
  // A body byte changed into another well-formed body is caught by the signature.
  std::string t = note;
  t[1] = 'A';
  CHECK(OpenReason(t) == "checkpoint.signature");
  t = note;
  t[body_size - 2] = 'X';  // last character of the extension line
  CHECK(OpenReason(t) == "checkpoint.signature");
}

TEST_CASE("witness cosignatures and unknown keys are skipped", "[ledger][checkpoint]") {
  const Checkpoint c = Example();
  const std::string body = CheckpointBody(c);
  const std::string ours = SignatureLine(body, kLogName, LogKey());
  const std::string witness = SignatureLine(body, kWitnessName, WitnessKey());
  // The same name with another key (a rotated key) and another name with our key.
  const std::string rotated = SignatureLine(body, kLogName, WitnessKey());
  const std::string renamed = SignatureLine(body, "other.example/log", LogKey());

  for (const std::string& sigs : {ours + witness, witness + ours, rotated + ours + renamed}) {
    INFO(sigs);
    CHECK(OpenReason(body + "\n" + sigs) == "");
  }
  // The witness's own view: the note opens under the witness key as well.
  CHECK(OpenCheckpoint(body + "\n" + ours + witness, kWitnessName, WitnessKey().public_key()).ok());
  // A non-Ed25519-sized signature by an unknown key is still well-formed.
  const std::string odd = std::string(kEmDash) + " x.example/cosigner " +
                          Base64Encode(std::string("\x01\x02\x03\x04\x05", 5)) + "\n";
  CHECK(OpenReason(body + "\n" + ours + odd) == "");
  // Sixteen cosignatures are accepted; more than a hundred lines are not.
  std::string many;
  for (int i = 0; i < 16; ++i) many += SignatureLine(body, std::to_string(i) + "w", WitnessKey());
  CHECK(OpenReason(body + "\n" + many + ours) == "");
  std::string too_many;
  for (int i = 0; i < 100; ++i) too_many += witness;
  CHECK(OpenReason(body + "\n" + too_many + ours) == "checkpoint.format");
}

TEST_CASE("a note without a valid signature by the key is refused", "[ledger][checkpoint]") {
  const Checkpoint c = Example();
  const std::string body = CheckpointBody(c);
  const std::string ours = SignatureLine(body, kLogName, LogKey());
  const std::string witness = SignatureLine(body, kWitnessName, WitnessKey());
  auto only_witness = OpenCheckpoint(body + "\n" + witness, kLogName, LogKey().public_key());
  REQUIRE_FALSE(only_witness.ok());
  CHECK(only_witness.status().reason() == "checkpoint.signature");
  CHECK(only_witness.status().code() == Code::kUnauthenticated);
  // Our line over a different body: the first line by the known key decides the note.
  Checkpoint other = c;
  other.size = 18;
  const std::string stale = SignatureLine(CheckpointBody(other), kLogName, LogKey());
  CHECK(OpenReason(body + "\n" + stale) == "checkpoint.signature");
  CHECK(OpenReason(body + "\n" + stale + ours) == "checkpoint.signature");
  CHECK(OpenReason(body + "\n" + ours + stale) == "");
  // Right id and name, but not 64 bytes of signature.
  std::string data(AsBytes(Sha256(std::string(kLogName) + "\n\x01" +
                                  std::string(AsBytes(LogKey().public_key()))))
                       .substr(0, 4));
  data += std::string(63, 'x');
  CHECK(OpenReason(body + "\n" + kEmDash + " " + kLogName + " " + Base64Encode(data) + "\n") ==
        "checkpoint.signature");
  // The wrong public key.
  auto wrong = OpenCheckpoint(body + "\n" + ours, kLogName, WitnessKey().public_key());
  CHECK(wrong.status().reason() == "checkpoint.signature");
}

TEST_CASE("the origin must be the expected one when given", "[ledger][checkpoint]") {
  const std::string note = SignCheckpoint(Example(), kLogName, LogKey());
  CHECK(OpenReason(note, kLogName) == "");
  CHECK(OpenReason(note, "") == "");
  auto c = OpenCheckpoint(note, kLogName, LogKey().public_key(), "carbonledger.example/other");
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().reason() == "checkpoint.origin");
  CHECK(c.status().code() == Code::kUnprocessable);
}

TEST_CASE("malformed notes are refused as checkpoint.format", "[ledger][checkpoint]") {
  const Checkpoint c = Example();
  const std::string body = CheckpointBody(c);
  const std::string ours = SignatureLine(body, kLogName, LogKey());
  const std::string root64 = Base64Encode(AsBytes(c.root));
  const std::string origin = std::string(kLogName) + "\n";

  // Structure of the note.
  CHECK(OpenReason(body + ours) == "checkpoint.format");  // no blank line
  CHECK(OpenReason(body + "\n" + ours.substr(0, ours.size() - 1)) == "checkpoint.format");
  CHECK(OpenReason(body + "\n") == "checkpoint.format");                // no signatures
  CHECK(OpenReason(body + "\n" + ours + "\n") == "checkpoint.format");  // trailing blank
  CHECK(OpenReason(body + "\n" + ours.substr(std::string(kEmDash).size())) ==
        "checkpoint.format");  // no em dash
  std::string hyphen = ours;
  hyphen.replace(0, std::string(kEmDash).size(), "-");
  CHECK(OpenReason(body + "\n" + hyphen) == "checkpoint.format");  // '-' for '—'
  std::string two_spaces = ours;
  two_spaces.insert(std::string(kEmDash).size(), " ");
  CHECK(OpenReason(body + "\n" + two_spaces) == "checkpoint.format");
  CHECK(OpenReason(body + "\n" + ours + kEmDash + " w.example !!!!\n") == "checkpoint.format");
  CHECK(OpenReason(body + "\n" + ours + kEmDash + " w.example AQID\n") ==
        "checkpoint.format");  // 3 bytes: shorter than a key id and a signature
  CHECK(OpenReason(body + "\n" + ours + kEmDash + " w+x AQIDBAU=\n") == "checkpoint.format");
  CHECK(OpenReason(body + "\n" + ours + kEmDash + " w\xC2\xA0x AQIDBAU=\n") ==
        "checkpoint.format");  // U+00A0 in a key name
  CHECK(OpenReason(body + "\n" + ours + kEmDash + "  AQIDBAU=\n") == "checkpoint.format");
  std::string crlf = NoteFor(body);
  crlf.insert(crlf.size() - 1, "\r");
  CHECK(OpenReason(crlf) == "checkpoint.format");
  std::string bad_utf8 = NoteFor(body);
  bad_utf8.back() = '\xFF';
  CHECK(OpenReason(bad_utf8 + "\n") == "checkpoint.format");

  // The body, each validly signed so that only the format is wrong.
  for (const std::string& bad : {
           origin + "17\n" + root64,         // no final newline
           origin + "17\n",                  // two lines
           "\n17\n" + root64 + "\n",         // empty origin
           origin + "01\n" + root64 + "\n",  // leading zero
           origin + "00\n" + root64 + "\n",
           origin + "+17\n" + root64 + "\n",
           origin + "-1\n" + root64 + "\n",
           origin + "17 \n" + root64 + "\n",
           origin + "0x11\n" + root64 + "\n",
           origin + "\n" + root64 + "\n",                      // empty size
           origin + "18446744073709551616\n" + root64 + "\n",  // 2^64
           origin + "99999999999999999999\n" + root64 + "\n",
           origin + "100000000000000000000\n" + root64 + "\n",
           origin + "17\n" + "!!!!" + root64.substr(4) + "\n",           // bad base64
           origin + "17\n" + root64.substr(0, 43) + "\n",                // unpadded
           origin + "17\n" + Base64Encode(std::string(31, 'r')) + "\n",  // 31 bytes
           origin + "17\n" + Base64Encode(std::string(33, 'r')) + "\n",  // 33 bytes
           origin + "17\n" + root64 + "\n\nextension\n",  // empty line (split falls after it)
           "park\thefei\n17\n" + root64 + "\n",           // control character
       }) {
    INFO(bad);
    CHECK(BodyReason(bad) == "checkpoint.format");
    CHECK(OpenReason(NoteFor(bad)) == "checkpoint.format");
  }
  // Non-canonical base64: the last character's unused bits set.
  std::string loose = root64;
  REQUIRE(loose[42] != 'z');
  loose[42] = static_cast<char>(loose[42] + 1);
  CHECK(BodyReason(origin + "17\n" + loose + "\n") == "checkpoint.format");
  // The largest size is fine.
  auto max = ParseCheckpointBody(origin + "18446744073709551615\n" + root64 + "\n");
  REQUIRE(max.ok());
  CHECK(max->size == UINT64_MAX);
  // Origins are not required to be URLs: spaces and non-ASCII are allowed.
  CHECK(BodyReason("go.sum database tree\n0\n" + root64 + "\n") == "");
  CHECK(BodyReason("零碳园区/合肥\n0\n" + root64 + "\n") == "");
}

TEST_CASE("ValidateCheckpoint guards what SignCheckpoint writes", "[ledger][checkpoint]") {
  Checkpoint c = Example();
  CHECK(ValidateCheckpoint(c).ok());
  c.origin = "";
  CHECK(ValidateCheckpoint(c).reason() == "checkpoint.format");
  c.origin = "a\nb";
  CHECK(ValidateCheckpoint(c).reason() == "checkpoint.format");
  c.origin = "ok";
  c.extensions = {""};
  CHECK(ValidateCheckpoint(c).reason() == "checkpoint.format");
  c.extensions = {"\xC3"};
  CHECK(ValidateCheckpoint(c).reason() == "checkpoint.format");
}
