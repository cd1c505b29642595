// The per-key-cached AES-256-GCM built from @noble/ciphers' pieces, on official vectors: the 256-bit
// test cases 13–16 of McGrew & Viega, "The Galois/Counter Mode of Operation" (the ones with a 96-bit
// IV), and NIST CAVP gcmEncryptExtIV256 with and without AAD; each also through node:crypto, so a
// vector copied wrongly shows up as a disagreement with OpenSSL rather than as a pass.
import { describe, expect, it } from "vitest";
import { NobleGcm } from "../../../sim/crypto/noble-gcm.ts";
import { NodeGcm } from "../../../sim/crypto/node-gcm.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const K15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
const P15 =
  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const C15 =
  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

const VECTORS = [
  {
    name: "McGrew–Viega 13 (empty)",
    key: "00".repeat(32),
    iv: "00".repeat(12),
    aad: "",
    pt: "",
    ct: "",
    tag: "530f8afbc74536b9a963b4f1c4cb738b",
  },
  {
    name: "McGrew–Viega 14 (one zero block)",
    key: "00".repeat(32),
    iv: "00".repeat(12),
    aad: "",
    pt: "00".repeat(16),
    ct: "cea7403d4d606b6e074ec5d3baf39d18",
    tag: "d0d1c8a799996bf0265b98b5d48ab919",
  },
  {
    name: "McGrew–Viega 15 (four blocks)",
    key: K15,
    iv: "cafebabefacedbaddecaf888",
    aad: "",
    pt: P15,
    ct: C15,
    tag: "b094dac5d93471bdec1a502270e3cc6c",
  },
  {
    name: "McGrew–Viega 16 (partial block, AAD)",
    key: K15,
    iv: "cafebabefacedbaddecaf888",
    aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    pt: P15.slice(0, 120),
    ct: C15.slice(0, 120),
    tag: "76fc6ece0f4e1768cddf8853bb2d551b",
  },
  {
    name: "CAVP gcmEncryptExtIV256, PTlen 0, AADlen 0, count 0",
    key: "b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4",
    iv: "516c33929df5a3284ff463d7",
    aad: "",
    pt: "",
    ct: "",
    tag: "bdc1ac884d332457a1d2664f168c76f0",
  },
];

describe("noble-gcm (cached AES-256-GCM) on official vectors", () => {
  for (const backend of [new NobleGcm(), new NodeGcm()]) {
    for (const v of VECTORS) {
      it(`${backend.name}: ${v.name}`, () => {
        const key = hex(v.key);
        const sealed = backend.seal(key, hex(v.iv), hex(v.aad), hex(v.pt));
        expect(Buffer.from(sealed).toString("hex")).toBe(v.ct + v.tag);
        expect(Buffer.from(backend.open(key, hex(v.iv), hex(v.aad), sealed) ?? [0xff]).toString("hex")).toBe(v.pt);
      });
    }
  }

  it("keeps giving the same answer once a key's round keys and GHASH table are cached", () => {
    const backend = new NobleGcm();
    const v = VECTORS[3]!;
    const key = hex(v.key);
    for (let i = 0; i < 3; i++) expect(Buffer.from(backend.seal(key, hex(v.iv), hex(v.aad), hex(v.pt))).toString("hex")).toBe(v.ct + v.tag);
  });

  it("takes inputs at any byte offset (subarrays of a larger buffer)", () => {
    const v = VECTORS[3]!;
    const at = (s: string, offset: number) => {
      const b = new Uint8Array(offset + s.length / 2);
      b.set(hex(s), offset);
      return b.subarray(offset);
    };
    const sealed = new NobleGcm().seal(at(v.key, 1), at(v.iv, 3), at(v.aad, 5), at(v.pt, 7));
    expect(Buffer.from(sealed).toString("hex")).toBe(v.ct + v.tag);
    const opened = new NobleGcm().open(at(v.key, 2), at(v.iv, 1), at(v.aad, 3), at(v.ct + v.tag, 1));
    expect(Buffer.from(opened ?? [0xff]).toString("hex")).toBe(v.pt);
  });

  it("refuses a key or IV of the wrong length as a programmer error", () => {
    expect(() => new NobleGcm().seal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(), new Uint8Array())).toThrow(/key must be 32/);
    expect(() => new NodeGcm().open(new Uint8Array(32), new Uint8Array(16), new Uint8Array(), new Uint8Array(16))).toThrow(/iv must be 12/);
  });
});
