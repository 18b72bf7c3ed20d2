// One regex over the patterns of the rules that read the same decoded field (the web URL signatures): a value that
// none of them can match is turned away by one scan instead of one per rule (most URLs of an access log), and
// most of those before the scan, by the grams the patterns need (gram-filter.ts).
import type { CompiledRule } from './compile.js';
import { gramFilter } from './gram-filter.js';

/** Named groups (their names would clash in one regex) and back-references (their numbers would shift). */
const NOT_JOINABLE = /\(\?<|\\[1-9k]/;

/** Whether a rule's pattern can join a gate: one decoded field, a pattern and nothing else to test first. */
function joinable(rule: CompiledRule): boolean {
  const re = rule.regex;
  return re !== null && rule.fields.length === 1 && rule.decode !== null && rule.literals.length === 0
    && !re.global && !re.sticky && !NOT_JOINABLE.test(re.source);
}

/**
 * The gate of each rule that has one: the alternation of the patterns of every joinable rule with the same field,
 * decoder and flags (two or more of them). It matches wherever one of its rules' patterns matches, so a value it
 * rejects can skip all of them. Each pattern is linear (user patterns are checked when loaded, built-in ones in
 * test/rules/redos-builtin.test.ts): their alternation costs at most the sum of their scans.
 */
export function fieldGates(rules: readonly CompiledRule[]): Map<CompiledRule, RegExp> {
  const groups = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    if (!joinable(rule)) continue;
    const key = `${rule.fields[0]}\0${rule.decode}\0${rule.regex!.flags}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [rule]);
    else group.push(rule);
  }
  const gates = new Map<CompiledRule, RegExp>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const gate = gateOf(group.map((r) => `(?:${r.regex!.source})`).join('|'), group[0]!.regex!.flags);
    for (const rule of group) gates.set(rule, gate);
  }
  return gates;
}

/**
 * A gate that first looks for the grams its patterns need (gram-filter.ts): a value holding none of them cannot match,
 * and skips the alternation. The engine only calls `test`; the scan itself runs on a plain copy of the regex (V8's
 * fast path is for unmodified RegExp objects, which an instance of a subclass is not). The grams are worked out on
 * the first test (~10-40 ms for the URL signatures): scans that never read the field do not pay for them.
 */
class FilteredGate extends RegExp {
  private readonly plain: RegExp;
  private holdsGram: ((value: string) => boolean) | null | undefined = undefined;

  constructor(source: string, flags: string) {
    super(source, flags);
    this.plain = new RegExp(source, flags);
  }

  override test(value: string): boolean {
    if (this.holdsGram === undefined) this.holdsGram = gramFilter(this.plain.source, this.plain.flags);
    return (this.holdsGram === null || this.holdsGram(value)) && this.plain.test(value);
  }
}

function gateOf(source: string, flags: string): RegExp {
  return new FilteredGate(source, flags);
}
