// Plain list fields that take `first`. A `first` outside 0–100 is refused before execution (see
// src/limits.ts); this is the backstop that keeps a resolver's query bounded regardless.
export const maxListSize = 100;

export function listSize(first: number | null | undefined, fallback: number): number {
  return Math.max(0, Math.min(maxListSize, first ?? fallback));
}
