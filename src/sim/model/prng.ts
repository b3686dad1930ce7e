// A seeded pseudo-random source (mulberry32), so a scenario plays out the same way on every run:
// the same pull times, the same k3s start delays, the same pod name suffixes.

/** Reproducible randomness for the model; never Math.random(). */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number of milliseconds between `minMs` and `maxMs` inclusive. */
  between(minMs: number, maxMs: number): number;
  /** A lowercase alphanumeric suffix as Kubernetes generates for pod names (no vowels, like rand.String). */
  suffix(length: number): string;
  /** A version-4-shaped UUID built from this source. */
  uuid(): string;
}

// Kubernetes' utilrand alphabet: no vowels, so generated names never spell words.
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Create a source from a seed; the same seed gives the same sequence. */
export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const hex = (count: number): string =>
    Array.from({ length: count }, () => Math.floor(next() * 16).toString(16)).join("");
  return {
    next,
    between: (minMs, maxMs) => Math.round(minMs + next() * (maxMs - minMs)),
    suffix: (length) => Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join(""),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}
