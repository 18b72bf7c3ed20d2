// Orders the names in a directory so that time mostly moves forward: by name, but a family of rotated files
// (auth.log.3.gz, auth.log.2.gz, auth.log.1, auth.log; access.log-20261119.gz, access.log-20261120, access.log)
// comes oldest first. Parsed by hand, without regexes: names are attacker-influenced too.

const COMPRESSED = ['.gz', '.bz2', '.xz', '.zst'] as const;
const DATED = 0; // base-YYYYMMDD[HH], base-YYYY-MM-DD, base.YYYY-MM-DD: oldest date first
const NUMBERED = 1; // base.N: highest N (oldest) first
const LIVE = 2; // base itself, and any other name

export interface RotationKey {
  base: string;
  kind: typeof DATED | typeof NUMBERED | typeof LIVE;
  /** DATED: the digits of the date; NUMBERED: the number; LIVE: unused. */
  rank: string | number;
}

function isDigits(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** YYYYMMDD, YYYYMMDDHH or YYYY-MM-DD starting at `from` and running to the end; the digits, or null. */
function dateSuffix(s: string, from: number): string | null {
  const n = s.length - from;
  if ((n === 8 || n === 10) && isDigits(s, from, s.length)) return s.slice(from);
  if (n === 10 && s[from + 4] === '-' && s[from + 7] === '-' && isDigits(s, from, from + 4) && isDigits(s, from + 5, from + 7) && isDigits(s, from + 8, from + 10)) {
    return s.slice(from, from + 4) + s.slice(from + 5, from + 7) + s.slice(from + 8);
  }
  return null;
}

export function rotationKey(name: string): RotationKey {
  let stem = name;
  for (const ext of COMPRESSED) {
    if (stem.length > ext.length && stem.endsWith(ext)) { stem = stem.slice(0, -ext.length); break; }
  }
  const dot = stem.lastIndexOf('.');
  // the date may contain dashes itself: try the separator 10 characters from the end, then the last ones
  for (const at of [stem.length - 11, stem.lastIndexOf('-'), dot]) {
    if (at > 0 && (stem[at] === '-' || stem[at] === '.')) {
      const date = dateSuffix(stem, at + 1);
      if (date !== null) return { base: stem.slice(0, at), kind: DATED, rank: date };
    }
  }
  if (dot > 0 && stem.length - dot - 1 <= 6 && isDigits(stem, dot + 1, stem.length)) {
    return { base: stem.slice(0, dot), kind: NUMBERED, rank: Number(stem.slice(dot + 1)) };
  }
  return { base: name, kind: LIVE, rank: 0 };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // code units, not locale: the same order on every machine
}

function compareKeys(a: string, ka: RotationKey, b: string, kb: RotationKey): number {
  const byBase = compareText(ka.base, kb.base);
  if (byBase !== 0) return byBase;
  if (ka.kind !== kb.kind) return ka.kind - kb.kind;
  if (ka.kind === NUMBERED && ka.rank !== kb.rank) return (kb.rank as number) - (ka.rank as number);
  if (ka.kind === DATED && ka.rank !== kb.rank) return compareText(ka.rank as string, kb.rank as string);
  return compareText(a, b); // auth.log.2 before auth.log.2.gz
}

/** Sort comparator for names in one directory. */
export function compareLogNames(a: string, b: string): number {
  return compareKeys(a, rotationKey(a), b, rotationKey(b));
}

/** The names of one directory in reading order (a new array; each key computed once). */
export function sortLogNames(names: readonly string[]): string[] {
  return names
    .map((name) => ({ name, key: rotationKey(name) }))
    .sort((x, y) => compareKeys(x.name, x.key, y.name, y.key))
    .map((x) => x.name);
}
