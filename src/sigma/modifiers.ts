// Sigma field modifiers: `field|contains|all: [...]` -> one test over a record's FieldView. Plain strings compare
// ignoring case (the spec's default), with wildcards as string operations; `re` is a real regex (case-sensitive
// unless `re|i`), screened for ReDoS by the loader; `cidr` uses node's BlockList.
import { BlockList, isIP } from 'node:net';
import type { FieldView } from './fields.js';
import { allOf, anyOf, NOTHING, textNeed, type Need } from './needs.js';
import { compileGlob, longestLiteral, parseGlob, type Anchor } from './wildcard.js';

export type Test = (view: FieldView) => boolean;

/** A test and what a record needs for it to pass (needs.ts). */
export interface Compiled {
  readonly test: Test;
  readonly need: Need;
}

/** A rule that cannot be run as written: skipped, with this reason. */
export class SigmaUnsupported extends Error {}

/** Regexes a rule uses, for the loader's ReDoS screening. */
export interface RegexUse {
  source: string;
  flags: string;
}

export type SigmaValue = string | number | boolean | null;

const KNOWN = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'base64', 'base64offset',
  'windash', 'cased', 'exists', 'gt', 'gte', 'lt', 'lte', 'wide', 'utf16le', 'utf16be', 'utf16']);
// Dashes windash tries in place of a leading `-` (Windows tools also take `/`).
const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WORD_DASH = /(?:^|\s)-/;
const WORD_DASHES = /(^|\s)-/g;

/**
 * The test for one `key: values` item of a selection map, and its need. `key` is `field|mod|mod` ('' field =
 * keywords).
 */
export function compileItem(key: string, values: readonly SigmaValue[], regexes: RegexUse[]): Compiled {
  const [field, ...mods] = key.split('|') as [string, ...string[]];
  for (const m of mods) if (!KNOWN.has(m)) throw new SigmaUnsupported(`unsupported modifier '${m}'`);
  if (mods.includes('exists')) return { test: existsTest(field, values), need: NOTHING };
  const all = mods.includes('all');
  const parts = values.map((v) => valueTest(field, v, mods, regexes));
  const need = all ? allOf(parts.map((p) => p.need)) : anyOf(parts.map((p) => p.need));
  const tests = parts.map((p) => p.test);
  if (tests.length === 1) return { test: tests[0]!, need };
  return { test: all ? (view) => tests.every((t) => t(view)) : (view) => tests.some((t) => t(view)), need };
}

function existsTest(field: string, values: readonly SigmaValue[]): Test {
  const want = values[0];
  if (values.length !== 1 || typeof want !== 'boolean') throw new SigmaUnsupported("'exists' needs true or false");
  return (view) => (view.get(field) !== undefined) === want;
}

function valueTest(field: string, value: SigmaValue, mods: readonly string[], regexes: RegexUse[]): Compiled {
  // null: the field is absent or empty.
  if (value === null) return { test: (view) => { const v = view.get(field); return v === undefined || v === ''; }, need: NOTHING };
  const text = String(value);
  if (mods.includes('re')) return { test: regexTest(field, text, mods, regexes), need: NOTHING };
  if (mods.includes('cidr')) return { test: cidrTest(field, text), need: NOTHING };
  for (const cmp of ['gt', 'gte', 'lt', 'lte'] as const) if (mods.includes(cmp)) return { test: numberTest(field, Number(value), cmp), need: NOTHING };
  const anchor: Anchor = mods.includes('contains') ? 'contains' : mods.includes('startswith') ? 'startswith' : mods.includes('endswith') ? 'endswith' : 'whole';
  // Base64 text is case-sensitive whatever the rule says.
  const cased = mods.includes('cased') || mods.includes('base64') || mods.includes('base64offset');
  const variants = encode(mods.includes('windash') ? windash(text) : [text], mods);
  const globs = variants.map((t) => compileGlob(t, cased, anchor));
  // Ignoring case, a value the glob matches, lowercased, holds the lowercased pattern's fixed text (the one compileGlob
  // compares with). A cased test compares the value as written: no need is said for it (lowercasing both sides is
  // not always a substring-preserving map: a final sigma).
  const need = cased ? NOTHING : anyOf(variants.map((t) => textNeed(field, longestLiteral(parseGlob(t.toLowerCase())))));
  const read = cased ? (view: FieldView) => view.get(field) : (view: FieldView) => view.lower(field);
  if (globs.length === 1) {
    const g = globs[0]!;
    return { test: (view) => { const v = read(view); return v !== undefined && g(v); }, need };
  }
  return { test: (view) => { const v = read(view); return v !== undefined && globs.some((g) => g(v)); }, need };
}

/** base64 / base64offset (after wide/utf16 re-encoding): the forms the value takes once encoded. */
function encode(texts: readonly string[], mods: readonly string[]): string[] {
  const b64 = mods.includes('base64');
  const offset = mods.includes('base64offset');
  const enc: BufferEncoding | null = mods.includes('wide') || mods.includes('utf16le') || mods.includes('utf16') ? 'utf16le' : null;
  if (mods.includes('utf16be')) throw new SigmaUnsupported("unsupported modifier 'utf16be'");
  if (!b64 && !offset) {
    if (enc !== null) throw new SigmaUnsupported("'wide'/'utf16' without base64 cannot match text logs");
    return [...texts];
  }
  const out: string[] = [];
  for (const t of texts) {
    const bytes = Buffer.from(t, enc ?? 'utf8');
    if (b64) out.push(bytes.toString('base64'));
    else out.push(...base64Offsets(bytes));
  }
  return out;
}

/** The three encodings of `bytes` at offsets 0, 1 and 2 of a base64 stream, cut to the characters that do not depend on neighbours. */
export function base64Offsets(bytes: Buffer): string[] {
  const START = [0, 2, 3];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const endCut = [0, 3, 2][(bytes.length + i) % 3]!;
    out.push(enc.slice(START[i], endCut === 0 ? enc.length : enc.length - endCut));
  }
  return out;
}

/** windash: each `-` that starts a word may be written with another dash or a slash. */
export function windash(text: string): string[] {
  if (!WORD_DASH.test(text)) return [text];
  return DASHES.map((d) => text.replace(WORD_DASHES, `$1${d}`));
}

function regexTest(field: string, source: string, mods: readonly string[], regexes: RegexUse[]): Test {
  const flags = ['i', 'm', 's'].filter((f) => mods.includes(f)).join('');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw new SigmaUnsupported(`invalid regex: ${(err as Error).message}`);
  }
  regexes.push({ source, flags });
  return (view) => { const v = view.get(field); return v !== undefined && re.test(v); };
}

function cidrTest(field: string, cidr: string): Test {
  const [addr, bits] = cidr.split('/');
  const family = isIP(addr ?? '');
  const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
    throw new SigmaUnsupported(`invalid cidr '${cidr}'`);
  }
  const list = new BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(addr!, prefix, type);
  return (view) => {
    const v = view.get(field);
    if (v === undefined) return false;
    const f = isIP(v);
    return f !== 0 && list.check(v, f === 6 ? 'ipv6' : 'ipv4');
  };
}

function numberTest(field: string, n: number, cmp: 'gt' | 'gte' | 'lt' | 'lte'): Test {
  if (!Number.isFinite(n)) throw new SigmaUnsupported(`'${cmp}' needs a number`);
  return (view) => {
    const s = view.get(field);
    if (s === undefined || s === '') return false;
    const v = Number(s);
    if (!Number.isFinite(v)) return false;
    return cmp === 'gt' ? v > n : cmp === 'gte' ? v >= n : cmp === 'lt' ? v < n : v <= n;
  };
}
