// The rules of one rule list that a message may match, by the message's first character, each built when a message
// with that character first comes: a `Failed password` line meets the two sshd rules that can start with `F`, and a
// `Disconnected from` line none of the eleven sshd and pam rules that can only start with other characters (gate 3
// prefixes, and the first characters first-chars.ts reads from a rule's pattern). With each, one literal scan of only
// the literals those rules need.
import type { Gated } from './program-index.js';
import { OTHER } from './first-chars.js';
import { LiteralScan, LiteralScanIgnoringCase } from './literal-scan.js';

/** The rules a message may match, as slots in rule order. */
export interface MainOrder {
  readonly slots: Int32Array;
  /** The index in `slots` past the last rule that is not 'first': once a 'first' rule matched, nothing past it runs. */
  readonly additiveEnd: number;
  /** The fallback rules, in rule order: they run when no main rule matched. */
  readonly fallback: Int32Array;
  /**
   * One scan of the message for every literal of these rules (main and fallback) that the scan must find (`scanned`),
   * marking the rules whose literal it holds: most lines hold none or one. Run only when such a rule comes up.
   */
  readonly scan: LiteralScan | null;
  /**
   * The scan ignoring case for the rules with gate 2 (main and fallback), marking those whose literal the message
   * holds in any case; null when there are none. Run once per record, when the first such rule comes up.
   */
  readonly scanIgnoringCase: LiteralScanIgnoringCase | null;
}

/** Table entries: 0-127 for ASCII first characters, 128 for any other and for the empty message (first-chars.ts). */
const ENTRIES = OTHER + 1;
/** Distinct scans per index (lists and characters that leave the same rules share one); past it, a list's full scan. */
const MAX_SCANS = 512;

/**
 * Whether the scan must find the rule's literal: gate 1, and gate 3 unless its prefix holds one of its literals
 * (the prefix check then proves the literal: `^Failed ` and `Failed `).
 */
export function scanned(t: Gated): boolean {
  if (t.gate === 1) return true;
  if (t.gate !== 3 || t.rule.literals.length === 0) return false;
  return !t.rule.literals.some((l) => t.rule.prefix.includes(l));
}

/** Whether a message starting with entry `c` may match the rule (its gate 3 prefix, its pattern's first characters). */
export function startsAllowed(t: Gated, c: number): boolean {
  if (t.gate === 3 && t.rule.prefix.charCodeAt(0) !== c) return false;
  const fc = t.firstChars;
  return fc === undefined || fc === null || fc[c] === 1;
}

/** The literal scans of one index, shared by every list: keyed by the slots of the rules they mark; bounded. */
export class ScanCache {
  private readonly bySlots = new Map<string, LiteralScan | null>();
  private readonly ignoringCase = new Map<string, LiteralScanIgnoringCase>();

  /** The scan ignoring case of these rules' literals (all gate 2), or `own()` past the bound. */
  ofIgnoringCase(rules: readonly Gated[], own: () => LiteralScanIgnoringCase): LiteralScanIgnoringCase | null {
    return rules.length === 0 ? null : kept(this.ignoringCase, rules, () => new LiteralScanIgnoringCase(rules), own);
  }

  /** The scan of these rules' literals (all scanned), or `full()` past the bound (it marks more: still correct). */
  of(rules: readonly Gated[], full: () => LiteralScan | null): LiteralScan | null {
    return rules.length === 0 ? null : kept(this.bySlots, rules, () => new LiteralScan(rules), full);
  }
}

/** The scan kept for these rules' slots, made on first use; `past()` once MAX_SCANS are kept. */
function kept<S>(scans: Map<string, S>, rules: readonly Gated[], make: () => S, past: () => S): S {
  const key = rules.map((t) => t.slot).join(',');
  let scan = scans.get(key);
  if (scan === undefined) {
    if (scans.size >= MAX_SCANS) return past();
    scan = make();
    scans.set(key, scan);
  }
  return scan;
}

/** The orders of one rule list, per first character, made when first asked for. */
export class FirstCharOrders<T extends Gated> {
  private readonly table: (MainOrder | undefined)[] = new Array<MainOrder | undefined>(ENTRIES).fill(undefined);
  /** Characters that leave the same rules share one order (the allowed slots, joined). */
  private readonly byKey = new Map<string, MainOrder>();
  private full: LiteralScan | null | undefined = undefined;
  private ownIgnoringCase: LiteralScanIgnoringCase | undefined = undefined;

  constructor(private readonly items: readonly T[], private readonly scans: ScanCache) {}

  /** The order for a message starting with entry `c` (0-128). */
  at(c: number): MainOrder {
    const known = this.table[c];
    return known !== undefined ? known : (this.table[c] = this.build(c));
  }

  private build(c: number): MainOrder {
    const allowed = this.items.filter((t) => startsAllowed(t, c));
    const key = allowed.map((t) => t.slot).join(',');
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const main = allowed.filter((t) => t.rule.mode !== 'fallback');
    let additiveEnd = 0;
    main.forEach((t, i) => {
      if (t.rule.mode !== 'first') additiveEnd = i + 1;
    });
    const slots = (list: readonly T[]): Int32Array => Int32Array.from(list.map((t) => t.slot));
    const order = {
      slots: slots(main),
      additiveEnd,
      fallback: slots(allowed.filter((t) => t.rule.mode === 'fallback')),
      scan: this.scans.of(allowed.filter(scanned), () => this.fullScan()),
      scanIgnoringCase: this.scans.ofIgnoringCase(allowed.filter((t) => t.gate === 2), () => this.listIgnoringCase()),
    };
    this.byKey.set(key, order);
    return order;
  }

  /**
   * Every gate 2 rule of the list, past the bound: it marks more rules than an order holds (gate 2 rules have no
   * first characters, so in fact the same), and a rule is only asked about if the order holds it.
   */
  private listIgnoringCase(): LiteralScanIgnoringCase {
    return (this.ownIgnoringCase ??= new LiteralScanIgnoringCase(this.items.filter((t) => t.gate === 2)));
  }

  /** Every scanned rule of the list: used past the bound on distinct scans. */
  private fullScan(): LiteralScan | null {
    if (this.full === undefined) {
      const gated = this.items.filter(scanned);
      this.full = gated.length === 0 ? null : new LiteralScan(gated);
    }
    return this.full;
  }
}
