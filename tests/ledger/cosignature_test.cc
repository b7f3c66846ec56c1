// Cosignatures (ledger/log/cosignature.h) against c2sp.org/tlog-cosignature, recomputed here from
// the spec's text: key id with type 0x04, the "cosignature/v1\ntime N\n" message, the
// id || u64 timestamp || signature layout, and VerifyCosignature's refusals.
#include "ledger/log/cosignature.h"

#include <catch2/catch.hpp>
#include <string>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"

using namespace carbonledger;

namespace {

// RFC 8032 §7.1 TEST 1 (log) and TEST 2 (witness) secret keys, as in checkpoint_test.cc.
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

std::string ExampleNote() {
  Checkpoint c;
  c.origin = kLogName;
  c.size = 17;
  c.root = Sha256("example root");
  return SignCheckpoint(c, kLogName, LogKey());
}

std::string BodyOf(const std::string& note) { return note.substr(0, note.rfind("\n\n") + 1); }

NamedPublicKey Witness() { return {kWitnessName, WitnessKey().public_key()}; }

// The line's base64 data, decoded.
std::string LineData(const std::string& line) {
  const std::string prefix = "\xE2\x80\x94 " + std::string(kWitnessName) + " ";
  REQUIRE(line.substr(0, prefix.size()) == prefix);
  REQUIRE(line.back() == '\n');
  auto data = Base64Decode(line.substr(prefix.size(), line.size() - prefix.size() - 1));
  REQUIRE(data.ok());
  return *data;
}

std::string LineWithData(const std::string& data) {
  return "\xE2\x80\x94 " + std::string(kWitnessName) + " " + Base64Encode(data) + "\n";
}

}  // namespace

TEST_CASE("cosigner key id and vkey use signature type 0x04", "[cosignature]") {
  const PublicKey pk = WitnessKey().public_key();
  const Hash h = Sha256(std::string(kWitnessName) + "\n\x04" + std::string(AsBytes(pk)));
  const std::string id_hex = HexEncode(AsBytes(h).substr(0, 4));
  CHECK(HexEncode(std::string(1, char(CosignerKeyId(kWitnessName, pk) >> 24))) ==
        id_hex.substr(0, 2));
  const std::string vkey = FormatCosignerKey(kWitnessName, pk);
  CHECK(vkey == std::string(kWitnessName) + "+" + id_hex + "+" +
                    Base64Encode("\x04" + std::string(AsBytes(pk))));
  // The 0x01 id of the same key (the signed-note Ed25519 type) is a different one.
  CHECK(CosignerKeyId(kWitnessName, pk) != NoteKeyId(kWitnessName, pk));

  auto parsed = ParseCosignerKey(vkey + "\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->name == kWitnessName);
  CHECK(parsed->key == pk);
  // A signed-note (0x01) vkey of the same key is not a cosigner key.
  auto note_key = ParseCosignerKey(FormatPublicKey(kWitnessName, pk));
  REQUIRE(!note_key.ok());
  CHECK(note_key.status().reason() == "cosignature.key");
  // A wrong id.
  std::string bad = vkey;
  bad[std::string(kWitnessName).size() + 1] =
      bad[std::string(kWitnessName).size() + 1] == '0' ? '1' : '0';
  CHECK(ParseCosignerKey(bad).status().reason() == "cosignature.key");
  CHECK(ParseCosignerKey("no-plus-signs").status().reason() == "cosignature.key");
}

TEST_CASE("a cosignature line is key id, big-endian timestamp and a signature of the v1 message",
          "[cosignature]") {
  const std::string note = ExampleNote();
  const std::string body = BodyOf(note);
  const uint64_t t = 1679315147;
  const std::string line = CosignCheckpoint(body, kWitnessName, WitnessKey(), t);
  const std::string data = LineData(line);
  REQUIRE(data.size() == 4 + 8 + 64);
  const PublicKey pk = WitnessKey().public_key();
  const Hash h = Sha256(std::string(kWitnessName) + "\n\x04" + std::string(AsBytes(pk)));
  CHECK(data.substr(0, 4) == AsBytes(h).substr(0, 4));
  CHECK(data.substr(4, 8) == std::string("\x00\x00\x00\x00\x64\x18\x50\xcb", 8));  // 1679315147
  // The message, written out from §Ed25519 signed message.
  const std::string message = "cosignature/v1\ntime 1679315147\n" + body;
  CHECK(CosignatureMessage(body, t) == message);
  auto sig = SignatureFromBytes(data.substr(12));
  REQUIRE(sig.ok());
  CHECK(VerifySignature(pk, message, *sig));
  CHECK(!VerifySignature(pk, body, *sig));

  // Appended to the note, it verifies, and the note still opens under the log key.
  const std::string cosigned = note + line;
  auto ts = VerifyCosignature(cosigned, Witness());
  REQUIRE(ts.ok());
  CHECK(*ts == t);
  CHECK(OpenCheckpoint(cosigned, kLogName, LogKey().public_key(), kLogName).ok());
}

TEST_CASE("VerifyCosignature refuses what is not a valid cosignature by that key",
          "[cosignature]") {
  const std::string note = ExampleNote();
  const std::string body = BodyOf(note);
  const std::string line = CosignCheckpoint(body, kWitnessName, WitnessKey(), 1700000000);

  SECTION("no line by the witness") {
    CHECK(VerifyCosignature(note, Witness()).status().reason() == "cosignature.missing");
  }
  SECTION("another witness key of the same name") {
    NamedPublicKey other{kWitnessName, LogKey().public_key()};
    CHECK(VerifyCosignature(note + line, other).status().reason() == "cosignature.missing");
  }
  SECTION("a cosignature of another checkpoint") {
    Checkpoint c;
    c.origin = kLogName;
    c.size = 18;
    c.root = Sha256("another root");
    const std::string other_note = SignCheckpoint(c, kLogName, LogKey());
    auto r = VerifyCosignature(other_note + line, Witness());
    CHECK(r.status().reason() == "cosignature.invalid");
    CHECK(r.status().code() == Code::kUnauthenticated);
  }
  SECTION("a changed timestamp") {
    std::string data = LineData(line);
    data[11] = char(data[11] ^ 1);
    CHECK(VerifyCosignature(note + LineWithData(data), Witness()).status().reason() ==
          "cosignature.invalid");
  }
  SECTION("timestamp 0, even signed") {
    std::string data = LineData(line);
    const Signature sig = WitnessKey().Sign(CosignatureMessage(body, 0));
    data = data.substr(0, 4) + std::string(8, '\0') + std::string(AsBytes(sig));
    CHECK(VerifyCosignature(note + LineWithData(data), Witness()).status().reason() ==
          "cosignature.invalid");
  }
  SECTION("a signed-note (0x01) signature by the witness key is not a cosignature") {
    const std::string plain =
        SignCheckpoint(*ParseCheckpointBody(body), kWitnessName, WitnessKey());
    const std::string witness_line = plain.substr(plain.rfind("\n\n") + 2);
    CHECK(VerifyCosignature(note + witness_line, Witness()).status().reason() ==
          "cosignature.missing");
  }
  SECTION("a truncated line") {
    std::string data = LineData(line);
    data.pop_back();
    CHECK(VerifyCosignature(note + LineWithData(data), Witness()).status().reason() ==
          "cosignature.invalid");
  }
  SECTION("a malformed note") {
    CHECK(VerifyCosignature(body + line, Witness()).status().reason() == "checkpoint.format");
  }
}

TEST_CASE("the spec's example cosignature has our layout: key id, then time 1679315147",
          "[cosignature]") {
  // c2sp.org/tlog-cosignature, the example checkpoint's witness line; its signed message in
  // §Ed25519 signed message has "time 1679315147".
  const std::string spec_data =
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+"
      "mbIUBkBIfZ+qnA==";
  auto data = Base64Decode(spec_data);
  REQUIRE(data.ok());
  REQUIRE(data->size() == 4 + 8 + 64);
  uint64_t t = 0;
  for (size_t i = 4; i < 12; ++i) t = t << 8 | uint8_t((*data)[i]);
  CHECK(t == 1679315147);
  // Ours, for the same time, puts the same 8 bytes in the same place.
  const std::string ours =
      LineData(CosignCheckpoint(BodyOf(ExampleNote()), kWitnessName, WitnessKey(), 1679315147));
  CHECK(ours.substr(4, 8) == data->substr(4, 8));
}

TEST_CASE("a witness policy counts k of n named witnesses' cosignatures", "[cosignature]") {
  const std::string note = ExampleNote();
  const std::string w1 = FormatCosignerKey(kWitnessName, WitnessKey().public_key());
  const SigningKey other = SigningKey::Generate();
  const std::string w2 = FormatCosignerKey("witness.example/w2", other.public_key());
  // The file: comments and blank lines skipped; a bad line, a duplicate, none, or more
  // required than listed are refused.
  auto policy = ParseWitnessPolicy("# two witnesses\n\n" + w1 + "\n" + w2 + "\n", 1);
  REQUIRE(policy.ok());
  CHECK(policy->witnesses.size() == 2);
  CHECK(policy->required == 1);
  CHECK(ParseWitnessPolicy(w1 + "\n" + w2 + "\n", 0)->required == 2);  // 0: all of them
  CHECK(ParseWitnessPolicy(w1 + "\nnot a key\n", 1).status().reason() == "cosignature.key");
  CHECK(ParseWitnessPolicy(w1 + "\nnot a key\n", 1).status().message().find("line 2") !=
        std::string::npos);
  CHECK(ParseWitnessPolicy(w1 + "\n" + w1 + "\n", 1).status().reason() == "cosignature.policy");
  CHECK(ParseWitnessPolicy("# none\n", 0).status().reason() == "cosignature.policy");
  CHECK(ParseWitnessPolicy(w1 + "\n", 2).status().reason() == "cosignature.policy");
  // No cosignature: refused, naming why for each witness.
  auto none = RequireCosignatures(note, *policy);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().reason() == "cosignature.quorum");
  CHECK(none.status().message().find("witness.example/w2") != std::string::npos);
  // One of the two cosigns: enough for 1, not for 2.
  const std::string one =
      note + CosignCheckpoint(BodyOf(note), kWitnessName, WitnessKey(), 1700000000);
  auto counted = RequireCosignatures(one, *policy);
  REQUIRE(counted.ok());
  CHECK(*counted == std::vector<std::string>{kWitnessName});
  auto all = ParseWitnessPolicy(w1 + "\n" + w2 + "\n", 0);
  REQUIRE(all.ok());
  CHECK(RequireCosignatures(one, *all).status().reason() == "cosignature.quorum");
  // Both cosign: 2 of 2. A cosignature of another checkpoint by w2 does not count.
  const std::string both =
      one + CosignCheckpoint(BodyOf(note), "witness.example/w2", other, 1700000001);
  CHECK(RequireCosignatures(both, *all)->size() == 2);
  Checkpoint c;
  c.origin = kLogName;
  c.size = 18;
  c.root = Sha256("another root");
  const std::string elsewhere =
      one + CosignCheckpoint(BodyOf(SignCheckpoint(c, kLogName, LogKey())), "witness.example/w2",
                             other, 1700000001);
  CHECK(RequireCosignatures(elsewhere, *all).status().reason() == "cosignature.quorum");
}

TEST_CASE("a cosignature made by another implementation verifies", "[cosignature]") {
  // Python's cryptography package, RFC 8032 TEST 1 key as witness.example/w1, time 1700000000,
  // on ExampleNote()'s body; tests/browser/verify.test.mjs checks the page's verifier on it too.
  auto w =
      ParseCosignerKey("witness.example/w1+eb762cc2+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
  REQUIRE(w.ok());
  const std::string note =
      "carbonledger.example/park-hefei\n17\ntWfAy7LoXCleat6TDluzSaS5vulInKp9a2ed1G6CpxE=\n\n"
      "\xE2\x80\x94 witness.example/w1 63YswgAAAABlU/EAHnva2Q3H4uRea7iXsBz5nCc8tZrWw8w2ac+4aJOMGl9j"
      "WGP1xlWj5xOVM6ADRZmu0outny22TlaEmu15TFsQDQ==\n";
  auto ts = VerifyCosignature(note, *w);
  INFO(ts.status().ToString());
  REQUIRE(ts.ok());
  CHECK(*ts == 1700000000);
}
