// Builds one `journalctl -o json` line per entry, with the trusted fields journald adds for each transport
// (syslog, journal, kernel, stdout) in the order journalctl prints them: cursor and timestamps first.
import type { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import type { Prng } from '../prng.js';

/** A process that logs: what journald learns about it from the kernel and the cgroup. */
export interface Service {
  unit: string;
  ident: string;
  comm: string;
  exe: string;
  cmdline: string;
  uid: number;
  pid: number;
  invocation: string;
  slice?: string; // system.slice unless told
}

/** Characters JSON must escape; everything else is copied as is (journalctl writes UTF-8 unescaped). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function str(v: string): string {
  return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
}

export class JournalEntries {
  private readonly rng: Prng;
  private readonly clock: Clock;
  private readonly host: string;
  readonly machineId: string;
  private readonly bootId: string;
  private readonly seqnumId: string;
  private readonly bootMs: number;
  private seq = 0x4e00;
  private lastRealtime = 0;
  private readonly common: string;

  constructor(rng: Prng, clock: Clock, host: string) {
    this.rng = rng;
    this.clock = clock;
    this.host = host;
    this.machineId = rng.hex(32);
    this.bootId = rng.hex(32);
    this.seqnumId = rng.hex(32);
    this.bootMs = clock.ms - 3 * 86_400_000 - rng.int(86_400_000);
    this.common = `,"_MACHINE_ID":"${this.machineId}","_HOSTNAME":"${this.host}"`;
  }

  /** A message sent through syslog(3) (sshd, sudo, CRON, su). */
  syslog(sink: LineSink, s: Service, facility: number, priority: number, message: string, pid = s.pid): void {
    const src = this.clock.micros(this.rng.int(500));
    sink.line(
      `${this.head()},"SYSLOG_FACILITY":"${facility}"${this.creds(s.uid)}${this.common},"_SYSTEMD_SLICE":"${s.slice ?? 'system.slice'}"` +
      `,"_TRANSPORT":"syslog","PRIORITY":"${priority}","SYSLOG_IDENTIFIER":"${s.ident}"${this.process(s)}` +
      `,"SYSLOG_PID":"${pid}","SYSLOG_TIMESTAMP":"${this.clock.syslog()} ","MESSAGE":${str(message)},"_PID":"${pid}"` +
      `,"_SOURCE_REALTIME_TIMESTAMP":"${src}","_RUNTIME_SCOPE":"system"}`,
    );
  }

  /**
   * A message sent with sd_journal (systemd, logind): its code location, then `extra` (pre-rendered fields such as
   * MESSAGE_ID and UNIT, each as `,"KEY":"value"`).
   */
  structured(sink: LineSink, s: Service, priority: number, code: readonly [string, number, string], message: string, extra = ''): void {
    const src = this.clock.micros(this.rng.int(500));
    sink.line(
      `${this.head()},"PRIORITY":"${priority}","SYSLOG_FACILITY":"3","CODE_FILE":"${code[0]}","CODE_LINE":"${code[1]}"` +
      `,"CODE_FUNC":"${code[2]}","SYSLOG_IDENTIFIER":"${s.ident}"${extra},"MESSAGE":${str(message)},"_TRANSPORT":"journal"` +
      `,"_PID":"${s.pid}"${this.creds(s.uid)}${this.process(s)}${this.common},"_SYSTEMD_SLICE":"${s.slice ?? 'system.slice'}"` +
      `,"_SOURCE_REALTIME_TIMESTAMP":"${src}","_RUNTIME_SCOPE":"system"}`,
    );
  }

  /** A kernel ring-buffer message. */
  kernel(sink: LineSink, priority: number, message: string): void {
    const mono = (this.clock.ms - this.bootMs) * 1000 + this.rng.int(1000);
    sink.line(
      `${this.head()},"_SOURCE_MONOTONIC_TIMESTAMP":"${mono}","_TRANSPORT":"kernel","PRIORITY":"${priority}"` +
      `,"SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel","MESSAGE":${str(message)}${this.common},"_RUNTIME_SCOPE":"system"}`,
    );
  }

  /**
   * A line a service wrote to stdout or stderr. A message that is not valid UTF-8 is given as bytes: journalctl then
   * prints MESSAGE as an array of numbers.
   */
  stdout(sink: LineSink, s: Service, priority: number, message: string | readonly number[]): void {
    const text = typeof message === 'string' ? str(message) : `[${message.join(',')}]`;
    sink.line(
      `${this.head()},"_TRANSPORT":"stdout","_STREAM_ID":"${s.invocation.slice(16)}${s.invocation.slice(0, 16)}"` +
      `,"PRIORITY":"${priority}","SYSLOG_FACILITY":"3","SYSLOG_IDENTIFIER":"${s.ident}","MESSAGE":${text},"_PID":"${s.pid}"` +
      `${this.creds(s.uid)}${this.process(s)}${this.common},"_SYSTEMD_SLICE":"${s.slice ?? 'system.slice'}","_RUNTIME_SCOPE":"system"}`,
    );
  }

  /** Cursor, timestamps and boot: journald's receive time is after the sender's, and never goes back. */
  private head(): string {
    const seq = this.seq++;
    const realtime = Math.max(this.lastRealtime + 1, this.clock.ms * 1000 + 500 + this.rng.int(500));
    this.lastRealtime = realtime;
    const mono = (this.clock.ms - this.bootMs) * 1000 + this.rng.int(1000);
    const cursor = `s=${this.seqnumId};i=${seq.toString(16)};b=${this.bootId};m=${mono.toString(16)};t=${realtime.toString(16)};x=${this.rng.hex(16)}`;
    return `{"__CURSOR":"${cursor}","__REALTIME_TIMESTAMP":"${realtime}","__MONOTONIC_TIMESTAMP":"${mono}","_BOOT_ID":"${this.bootId}"`;
  }

  private creds(uid: number): string {
    const cap = uid === 0 ? '1ffffffffff' : '0';
    return `,"_UID":"${uid}","_GID":"${uid}","_CAP_EFFECTIVE":"${cap}","_SELINUX_CONTEXT":"unconfined\\n"`;
  }

  private process(s: Service): string {
    // PID 1 lives in /init.scope under the root slice; user sessions under user.slice/user-UID.slice.
    const slice = s.slice ?? 'system.slice';
    const cgroup = slice === '-.slice' ? `/${s.unit}` : slice.startsWith('user-') ? `/user.slice/${slice}/${s.unit}` : `/${slice}/${s.unit}`;
    return `,"_COMM":"${s.comm}","_EXE":"${s.exe}","_CMDLINE":${str(s.cmdline)},"_SYSTEMD_CGROUP":"${cgroup}"` +
      `,"_SYSTEMD_UNIT":"${s.unit}","_SYSTEMD_INVOCATION_ID":"${s.invocation}"`;
  }
}
