/**
 * Self-describing payloads for the WAL tests: the first 8 bytes hold a seed and the
 * length, the rest is a pseudo-random stream from the seed. A payload read back can be
 * checked on its own (so a half-written or mixed-up entry is caught) and names the
 * append that made it.
 */

/** A payload of `length` bytes (at least 8) derived from `seed` (a u32). */
export function payloadFor(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(8, length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, seed, true);
  view.setUint32(4, bytes.length, true);
  fill(bytes, seed);
  return bytes;
}

/** The seed `bytes` was made from, or undefined when they are not exactly `payloadFor(seed, length)`. */
export function seedOf(bytes: Uint8Array): number | undefined {
  if (bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seed = view.getUint32(0, true);
  if (view.getUint32(4, true) !== bytes.length) return undefined;
  const expected = new Uint8Array(bytes.length);
  fill(expected, seed);
  for (let i = 8; i < bytes.length; i++) if (bytes[i] !== expected[i]) return undefined;
  return seed;
}

function fill(bytes: Uint8Array, seed: number): void {
  // xorshift32; the seed is mixed so that neighbouring seeds give unrelated streams.
  let state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  for (let i = 8; i < bytes.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
}
