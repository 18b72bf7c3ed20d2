// The RuleSpec schema: a detection rule as plain data (built-ins in rules/builtin/, later users' YAML files).
// compile.ts validates a spec and turns it into a CompiledRule; nothing here runs.
import type { EventType, Outcome, Severity } from '../types.js';

/** Named groups a pattern may capture; anything else is a spec error (a typo would silently lose a value). */
export const GROUP_NAMES = ['ip', 'port', 'user', 'phone', 'count'] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** The only decoding there is so far: URL/HTML decoding and lowercasing for web requests (rules/web/decode.ts). */
export const DECODERS = ['web'] as const;
export type Decoder = (typeof DECODERS)[number];

/**
 * A `where` condition on one record field: a string must equal the value, a list must contain it, `true` means the
 * field is present, `false` that it is absent.
 */
export type WhereValue = string | readonly string[] | boolean;

/** One example record. A bare string is the text the rule reads: the message, or its (first) field. */
export interface RuleExample {
  message?: string;
  /** Defaults to the rule's first program (without a trailing `*`), else null. null means "no program". */
  program?: string | null;
  format?: string | null;
  level?: Severity | null;
  fields?: Readonly<Record<string, string>>;
  /** Values the event must carry (checked by the examples test). `count` is how many events the rule emits. */
  expect?: {
    type?: EventType;
    ip?: string | null;
    port?: number | null;
    user?: string | null;
    phone?: string | null;
    count?: number;
  };
}
export type Example = string | RuleExample;

export interface RuleSpec {
  /** Unique, stable, `family.name` (letters, digits, `.`, `_`, `-`). */
  id: string;
  family: string;
  /** One line for people: what the rule recognises and why it maps to its type. */
  description: string;
  type: EventType;
  /** Defaults to EVENT_TYPES[type].severity. */
  severity?: Severity;
  outcome: Outcome;
  /**
   * Record formats the rule applies to (LogFormat names); `null` in the list also takes unparsed records (no format
   * recognised: raw dmesg output). Any record when absent.
   */
  formats?: readonly (string | null)[];
  /**
   * Record programs the rule applies to, exactly (`sshd`), or by prefix with a trailing `*` (`postfix/*`); `null`
   * in the list also takes records without a program (unparsed lines, a server's own log file). Any record when
   * absent.
   */
  programs?: readonly (string | null)[];
  /** Record levels the rule applies to (for level fallbacks); any when absent. */
  levels?: readonly Severity[];
  /** Field conditions, all of which must hold (auditd `{ audit_type: 'USER_LOGIN', res: 'failed' }`). */
  where?: Readonly<Record<string, WhereValue>>;
  /**
   * What the pattern reads: `message` (default) or a field name; with a list, the first field that matches wins.
   * The message of `message repeated N times: [ ... ]` is the inner message.
   */
  field?: string | readonly string[];
  /** Decode the value before the literal and the pattern see it. */
  decode?: Decoder;
  /**
   * Cheap prefilter: the value read must contain at least one of these (String.includes; ignoring case when the
   * flags have `i`). Checked before the pattern. List the stems every match must contain.
   */
  literal?: string | readonly string[];
  /**
   * Regular expression source, compiled once. Must run in linear time on attacker text: no nested quantifiers, no
   * overlapping alternatives under a quantifier, bounded repetition. Named groups: GROUP_NAMES. Without a pattern
   * the rule matches on its other conditions alone (at least one condition is required).
   */
  pattern?: string;
  /** RegExp flags among `i`, `m`, `s`, `u` (no `g`/`y`: a compiled rule is shared and must stay stateless). */
  flags?: string;
  /**
   * Event values taken from other fields than ip/port/user/phone when the pattern does not capture them
   * (MongoDB JSON: `{ user: 'attr.principalName', ip: 'attr.remote' }`).
   */
  take?: Readonly<Partial<Record<'ip' | 'port' | 'user' | 'phone', string>>>;
  /**
   * When neither the pattern nor the fields give an ip, user or phone, look for them in the message:
   * `ip=`/`user=`/`phone=` pairs (and usual aliases), `from ADDR`, `for user X`, `to +PHONE` (message-values.ts).
   * For application logs that say who and where only in their text.
   */
  fromMessage?: boolean;
  /**
   * Matching policy (engine.ts): by default the first matching rule wins (a log line says one thing). An additive
   * rule adds its event to what other rules found (web attack signatures: an sqli payload sent by sqlmap is both).
   * A fallback rule runs only when no other rule matched the record (log levels, HTTP 401/403). Either way a record
   * yields each event type at most once.
   */
  additive?: boolean;
  fallback?: boolean;
  /** Every built-in rule has at least one match example (tested); noMatch lists look-alikes it must not take. */
  examples: { match: readonly Example[]; noMatch?: readonly Example[] };
}
