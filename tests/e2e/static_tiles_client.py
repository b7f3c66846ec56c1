#!/usr/bin/env python3
"""An independent tlog-tiles client, for the static export (docs/scale.md §Static tiles).

Serves DIR with `python3 -m http.server` on an ephemeral loopback port (a plain static file
server that knows nothing of logs) and reads it over HTTP as any tile client would, sharing no
code with carbonledger: Python's hashlib and the `cryptography` package (Debian's
python3-cryptography) only. It checks

  - the checkpoint's Ed25519 signature by the log key (c2sp.org/signed-note),
  - that every tile the checkpoint's tree needs is there, with the spec's sizes,
  - the root recomputed from the level-0 tiles (RFC 6962 MTH) against the checkpoint,
  - every hash of every higher tile against the subtree of leaves it stands for,
  - every entry bundle against its level-0 tile, and each full bundle's `.gz` against the bundle,
  - inclusion proofs, computed from the tiles, for a sample of entries (RFC 9162 §2.1.3.2),
  - with --daemon URL: the entries of the bundles equal the daemon's GET /v1/entries.

Prints "OK <size> <root>" and exits 0, or prints "FAILED: <what>" and exits 1.

usage: static_tiles_client.py --dir DIR --log-key FILE [--daemon URL] [--min-size N]
"""
import argparse
import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Failed(Exception):
    pass


def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves):
    """RFC 6962 §2.1: the Merkle Tree Hash of a list of leaf hashes."""
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def audit_path(index, leaves):
    """RFC 6962 §2.1.1: PATH(m, D[n])."""
    if len(leaves) <= 1:
        return []
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if index < k:
        return audit_path(index, leaves[:k]) + [mth(leaves[k:])]
    return audit_path(index - k, leaves[k:]) + [mth(leaves[:k])]


def root_from_inclusion(index, size, leaf, proof):
    """RFC 9162 §2.1.3.2, as a verifier runs it."""
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise Failed("inclusion proof too long")
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failed("inclusion proof too short")
    return r


def tile_index(n):
    groups = []
    while True:
        groups.append("%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def tile_path(level, n, width):
    prefix = "entries" if level == "entries" else str(level)
    return "tile/%s/%s%s" % (prefix, tile_index(n), "" if width == 256 else ".p/%d" % width)


def open_checkpoint(note, vkey):
    """c2sp.org/signed-note: the body up to the blank line, signed by the log's Ed25519 key."""
    name, key_id_hex, key_b64 = vkey.strip().split("+", 2)
    key_bytes = base64.b64decode(key_b64)
    if key_bytes[0] != 0x01 or len(key_bytes) != 33:
        raise Failed("the log key is not an Ed25519 verifier key")
    key = Ed25519PublicKey.from_public_bytes(key_bytes[1:])
    text = note.decode("utf-8")
    split = text.rfind("\n\n")
    if split < 0:
        raise Failed("the checkpoint has no signature block")
    body, sigs = text[: split + 1], text[split + 2 :]
    good = False
    for line in sigs.splitlines():
        if not line.startswith("\u2014 "):
            raise Failed("malformed signature line %r" % line)
        signer, sig_b64 = line[2:].split(" ")
        sig = base64.b64decode(sig_b64)
        if signer != name or sig[:4] != bytes.fromhex(key_id_hex):
            continue
        try:
            key.verify(sig[4:], body.encode("utf-8"))
            good = True
        except InvalidSignature:
            raise Failed("the checkpoint's signature by %s does not verify" % name)
    if not good:
        raise Failed("the checkpoint carries no signature by %s" % name)
    lines = body.split("\n")
    if lines[0] != name:
        raise Failed("checkpoint origin %r is not the key's name %r" % (lines[0], name))
    return int(lines[1]), base64.b64decode(lines[2])


class StaticServer:
    def __init__(self, directory):
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
             "--directory", directory],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"port (\d+)", line)
        if not m:
            self.proc.kill()
            raise Failed("http.server did not start: %r" % line)
        self.url = "http://127.0.0.1:%s/" % m.group(1)

    def get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            raise Failed("GET /%s: HTTP %d" % (path, e.code))

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def verify(server, vkey, daemon, min_size):
    size, root = open_checkpoint(server.get("checkpoint"), vkey)
    if size < min_size:
        raise Failed("the checkpoint's tree has %d entries, fewer than %d" % (size, min_size))
    # Level 0: every leaf hash, from the full tiles and the partial one.
    leaves = []
    for n in range((size + 255) // 256):
        width = min(256, size - 256 * n)
        tile = server.get(tile_path(0, n, width))
        if len(tile) != 32 * width:
            raise Failed("%s holds %d bytes" % (tile_path(0, n, width), len(tile)))
        leaves += [tile[i : i + 32] for i in range(0, len(tile), 32)]
    if mth(leaves) != root:
        raise Failed("the level-0 tiles do not hash to the checkpoint's root")
    # Higher levels: hash i of tile (L, n) is the MTH of leaves [(256n + i)·256^L, +256^L).
    level, span = 1, 256
    while size >= span:
        nodes = size // span
        for n in range((nodes + 255) // 256):
            width = min(256, nodes - 256 * n)
            tile = server.get(tile_path(level, n, width))
            if len(tile) != 32 * width:
                raise Failed("%s holds %d bytes" % (tile_path(level, n, width), len(tile)))
            for i in range(width):
                first = (256 * n + i) * span
                if tile[32 * i : 32 * i + 32] != mth(leaves[first : first + span]):
                    raise Failed("hash %d of %s is wrong" % (i, tile_path(level, n, width)))
        level, span = level + 1, span * 256
    # Entry bundles.
    entries = []
    for n in range((size + 255) // 256):
        width = min(256, size - 256 * n)
        path = tile_path("entries", n, width)
        bundle = server.get(path)
        if width == 256 and gzip.decompress(server.get(path + ".gz")) != bundle:
            raise Failed("%s.gz is not %s compressed" % (path, path))
        at = 0
        while at < len(bundle):
            length = int.from_bytes(bundle[at : at + 2], "big")
            entries.append(bundle[at + 2 : at + 2 + length])
            at += 2 + length
        if len(entries) != 256 * n + width:
            raise Failed("%s holds the wrong number of entries" % path)
    for i, e in enumerate(entries):
        if leaf_hash(e) != leaves[i]:
            raise Failed("entry %d of the bundles does not hash to its leaf" % i)
    # Inclusion of a sample of entries, as a client proves it from tiles.
    for index in sorted({0, size // 3, size // 2, size - 1}):
        proof = audit_path(index, leaves)
        if root_from_inclusion(index, size, leaf_hash(entries[index]), proof) != root:
            raise Failed("entry %d is not included in the checkpoint's tree" % index)
    # The daemon's own view of the same entries.
    if daemon:
        for start in range(0, size, 1000):
            url = "%s/v1/entries?start=%d&limit=1000" % (daemon.rstrip("/"), start)
            with urllib.request.urlopen(url, timeout=30) as r:
                page = json.load(r)["entries"]
            for e in page:
                seq = e["seq"]
                if seq < size and base64.b64decode(e["entry"]) != entries[seq]:
                    raise Failed("entry %d differs between the bundles and the daemon" % seq)
    return size, root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--log-key", required=True)
    ap.add_argument("--daemon")
    ap.add_argument("--min-size", type=int, default=1)
    args = ap.parse_args()
    with open(args.log_key) as f:
        vkey = f.read()
    if not os.path.isdir(args.dir):
        print("FAILED: no directory %s" % args.dir)
        return 1
    server = StaticServer(args.dir)
    try:
        size, root = verify(server, vkey, args.daemon, args.min_size)
    except Failed as e:
        print("FAILED: %s" % e)
        return 1
    finally:
        server.close()
    print("OK %d %s" % (size, base64.b64encode(root).decode()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
