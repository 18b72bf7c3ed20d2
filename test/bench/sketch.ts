// A sketch of the least a scan of auth.log can do in Node, for `npm run bench` to set beside audit: audit's own reader
// (src/sources), each line's syslog header (time of a year-less stamp, host, program), six patterns for what sshd,
// sudo and su say most (failed and accepted logins, invalid users, PAM's authentication failures, pre-auth probes,
// sudo commands), an event object for each, counted by type, address, user and host in plain Maps, and one
// brute-force window per address. No bounds on the Maps, no other rule, format or detector, no line accounting per
// source, no escaping, no output but four numbers: about a tenth of what `audit scan` does, written for speed. What it
// takes is about what any scanner of these files written in Node takes at least (BENCHMARKS.md, twenty-fifth round).
// Run as `node dist/test/bench/sketch.js FILE...`; prints `lines parsed events alerts`.
import { statSync } from 'node:fs';
import { flatCopy } from '../../src/formats/intern.js';
import { readLines } from '../../src/sources/lines.js';
import { openPath } from '../../src/sources/open.js';

interface SketchCounts {
  lines: number;
  /** Lines with a syslog header. */
  parsed: number;
  events: number;
  alerts: number;
  byType: Map<string, number>;
  byAddress: Map<string, number>;
  byUser: Map<string, number>;
  byHost: Map<string, number>;
}

interface SketchEvent {
  type: string;
  ip: string | null;
  user: string | null;
  host: string;
  t: number;
  file: string;
  line: number;
  message: string;
}

const MONTHS: Readonly<Record<string, number>> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const FAILED = /^Failed (?:password|publickey|none|keyboard-interactive\/pam) for (?:invalid user )?(\S*) from (\S+) port \d+/;
const INVALID = /^Invalid user (\S*) from (\S+) port \d+/;
const ACCEPTED = /^Accepted \S+ for (\S+) from (\S+) port \d+/;
const PAM_FAILURE = /^pam_unix\([^)]*\): authentication failure;.*? rhost=(\S*)(?: user=(\S+))?/;
const PROBE = /^(?:Connection closed by|Unable to negotiate with|banner exchange:|error: kex_exchange_identification:|Did not receive identification)/;
const SUDO_COMMAND = /^ *(\S+) : .*COMMAND=/;

/** brute_force's defaults (src/detectors/config.ts): 10 failures from one address within 10 minutes, 1 hour apart. */
const THRESHOLD = 10;
const WINDOW_MS = 10 * 60_000;
const COOLDOWN_MS = 60 * 60_000;

/** A scan of these files as sketched above, one after another. */
async function sketchScan(paths: readonly string[]): Promise<SketchCounts> {
  const c: SketchCounts = { lines: 0, parsed: 0, events: 0, alerts: 0, byType: new Map(), byAddress: new Map(), byUser: new Map(), byHost: new Map() };
  const failures = new Map<string, number[]>();
  const lastAlert = new Map<string, number>();
  // A new key is copied flat (src/formats/intern.ts): a sliced one would keep its whole read chunk alive.
  const count = (m: Map<string, number>, key: string): void => {
    const n = m.get(key);
    m.set(n === undefined ? flatCopy(key) : key, (n ?? 0) + 1);
  };
  const event = (e: SketchEvent): void => {
    c.events++;
    count(c.byType, e.type);
    if (e.ip !== null) count(c.byAddress, e.ip);
    if (e.user !== null) count(c.byUser, e.user);
    count(c.byHost, e.host);
    if (e.ip === null || (e.type !== 'auth.failure' && e.type !== 'auth.invalid_user')) return;
    let times = failures.get(e.ip);
    if (times === undefined) failures.set(flatCopy(e.ip), (times = []));
    while (times.length > 0 && times[0]! < e.t - WINDOW_MS) times.shift();
    times.push(e.t);
    if (times.length > THRESHOLD) times.shift();
    if (times.length === THRESHOLD && e.t - (lastAlert.get(e.ip) ?? -Infinity) >= COOLDOWN_MS) {
      c.alerts++;
      lastAlert.set(flatCopy(e.ip), e.t);
    }
  };
  for (const path of paths) {
    const year = statSync(path).mtime.getUTCFullYear(); // as audit places a year-less stamp (not across New Year)
    let stamp = '';
    let stampMs = 0;
    let n = 0;
    const line = (s: string): void => {
      c.lines++;
      n++;
      // `Mar  2 00:00:08 web-01 sshd[1228]: message`; the time of the line before when the stamp is the same
      let t: number;
      if (stamp !== '' && s.startsWith(stamp)) t = stampMs;
      else {
        const month = MONTHS[s.slice(0, 3)];
        if (month === undefined || s.length < 16) return;
        const d = s.charCodeAt(4);
        t = Date.UTC(year, month, (d === 32 ? 0 : d - 48) * 10 + digits(s, 5, 1), digits(s, 7, 2), digits(s, 10, 2), digits(s, 13, 2));
        if (Number.isNaN(t)) return;
        stamp = s.slice(0, 15);
        stampMs = t;
      }
      const hostEnd = s.indexOf(' ', 16);
      const colon = hostEnd < 0 ? -1 : s.indexOf(': ', hostEnd);
      if (colon < 0) return;
      c.parsed++;
      const tag = s.charCodeAt(hostEnd + 1);
      if (tag !== 115) return; // sshd, sudo and su all start with an 's': nothing else is looked at
      const program = s.slice(hostEnd + 1, colon);
      const host = s.slice(16, hostEnd);
      const message = s.slice(colon + 2);
      const first = message.charCodeAt(0);
      const make = (type: string, ip: string | null, user: string | null): void =>
        event({ type, ip, user, host, t, file: path, line: n, message });
      let m: RegExpExecArray | null;
      if (program.startsWith('sshd')) {
        if (first === 70 && (m = FAILED.exec(message)) !== null) return make('auth.failure', m[2]!, m[1]!);
        if (first === 73 && (m = INVALID.exec(message)) !== null) return make('auth.invalid_user', m[2]!, m[1]!);
        if (first === 65 && (m = ACCEPTED.exec(message)) !== null) return make('auth.success', m[2]!, m[1]!);
        if (PROBE.test(message)) return make('auth.probe', null, null);
      } else if (program === 'sudo' && (m = SUDO_COMMAND.exec(message)) !== null) {
        return make('priv.sudo', null, m[1]!);
      }
      if (first === 112 && (m = PAM_FAILURE.exec(message)) !== null) make('auth.failure', m[1] === '' ? null : m[1]!, m[2] ?? null);
    };
    await readLines(await openPath(path, path, () => {}), { maxLineBytes: 1024 * 1024 }, line);
  }
  return c;
}

/** The number written in `width` ASCII digits at s[i]. */
function digits(s: string, i: number, width: number): number {
  let v = 0;
  for (let k = i; k < i + width; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}

async function main(paths: readonly string[]): Promise<number> {
  if (paths.length === 0) {
    process.stderr.write('usage: node dist/test/bench/sketch.js FILE...\n');
    return 2;
  }
  let c: SketchCounts;
  try {
    c = await sketchScan(paths);
  } catch (err) {
    process.stderr.write(`sketch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  process.stdout.write(`${c.lines} ${c.parsed} ${c.events} ${c.alerts}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
