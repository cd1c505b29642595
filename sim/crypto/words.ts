// 32-bit little-endian words read from and written to byte arrays at any offset: how noble's AES and
// GHASH cores take and give their state (they normalise to little-endian words on every host).
export function leWord(bytes: Uint8Array, i: number): number {
  return bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
}

/** The word at `i` as if `bytes` went on with zeros from `end` (GCM's padding of a last partial block). */
export function paddedLeWord(bytes: Uint8Array, i: number, end: number): number {
  let word = 0;
  for (let k = 3; k >= 0; k--) word = (word << 8) | (i + k < end ? bytes[i + k]! : 0);
  return word;
}

export function writeLeWord(bytes: Uint8Array, i: number, word: number): void {
  bytes[i] = word;
  bytes[i + 1] = word >>> 8;
  bytes[i + 2] = word >>> 16;
  bytes[i + 3] = word >>> 24;
}
