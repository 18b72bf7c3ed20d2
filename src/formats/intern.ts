// Interns short strings that records repeat on every line (host and program names): one independent copy per
// distinct value, so that maps downstream neither keep whole lines alive nor hold a million equal strings.

/** Copies a string so that it no longer references the line it was sliced from. */
export function copyString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1); // V8 copies short slices anyway
}

export interface Interner {
  (text: string, start: number, end: number): string;
}

/**
 * An interner for text[start, end). Bounded: once `max` distinct values are held (an attacker can invent hosts),
 * further values are copied but not remembered.
 */
export function createInterner(max = 4096): Interner {
  const table = new Map<string, string>();
  return (text: string, start: number, end: number): string => {
    const key = start === 0 && end === text.length ? text : text.slice(start, end);
    const known = table.get(key);
    if (known !== undefined) return known;
    const copy = copyString(key);
    if (table.size < max) table.set(copy, copy);
    return copy;
  };
}
