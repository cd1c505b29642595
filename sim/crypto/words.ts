// 32-bit little-endian words read from and written to byte arrays at any offset: how noble's AES and
// GHASH cores take and give their state (they normalise to little-endian words on every host).
export function leWord(bytes: Uint8Array, i: number): number {
  return bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
}

export function writeLeWord(bytes: Uint8Array, i: number, word: number): void {
  bytes[i] = word;
  bytes[i + 1] = word >>> 8;
  bytes[i + 2] = word >>> 16;
  bytes[i + 3] = word >>> 24;
}
