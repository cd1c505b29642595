// Byte arrays for outputs that are written in full right away (a ciphertext with its tag, a ciphertext
// blob): past V8's 64 bytes of on-heap typed array, `new Uint8Array(n)` allocates and zeroes its own
// off-heap store (~0.9 µs at 137 bytes, measured here, and more work for the collector), where Node's
// pooled allocator hands out a slice of a shared store (~0.3 µs). The bytes are NOT zeroed: a caller
// must write every one, or a run would read stale memory and stop being deterministic.

/** Largest array made on the V8 heap (V8's typed_array_max_size_in_heap). */
const ON_HEAP_BYTES_MAX = 64;

/** `length` bytes whose contents are unspecified: the caller writes every one before anything reads them. */
export function unzeroedBytes(length: number): Uint8Array {
  if (length <= ON_HEAP_BYTES_MAX) return new Uint8Array(length);
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}
