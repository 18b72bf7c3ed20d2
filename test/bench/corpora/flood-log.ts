// The flood corpus: a distributed brute force against sshd, `addresses` addresses failing at once, ~4,000 attempts a
// second of log time (more than one sshd logs for long, as a log forwarded from many hosts can). It measures memory:
// every address keeps failing within every detector's window, so each holds what a window holds for a key at once
// (issue 6: peak RSS under 150 MB whatever the log).
import { distinctAddress } from '../addresses.js';
import { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import { Prng } from '../prng.js';
import { GUESSED_USERS, gap, type CorpusGenerator } from './generator.js';

export interface FloodLogOptions {
  seed: number;
  /** Attacking addresses, each picked at random for every attempt. */
  addresses: number;
}

/** Mean ms between two attempts: ~4,000 a second. */
const MEAN_GAP_MS = 0.25;

export function floodLog(opts: FloodLogOptions): CorpusGenerator {
  return new FloodLog(opts);
}

class FloodLog implements CorpusGenerator {
  private readonly rng: Prng;
  private readonly addresses: number;
  private readonly clock = new Clock(new Date('2025-03-02T00:00:00Z'));
  private pid = 2000;
  /** The time in fractions of a ms: the clock moves by whole ms, and most gaps are shorter. */
  private at = this.clock.ms;

  constructor(opts: FloodLogOptions) {
    this.rng = new Prng(opts.seed);
    this.addresses = opts.addresses;
  }

  step(sink: LineSink): boolean {
    this.at += gap(this.rng.float(), MEAN_GAP_MS);
    this.clock.advance(Math.floor(this.at) - this.clock.ms);
    const ip = distinctAddress(this.rng.int(this.addresses));
    const port = 1024 + this.rng.int(64_000);
    this.pid = this.pid >= 99_999 ? 2000 : this.pid + 1;
    const r = this.rng.float();
    const message = r < 0.5
      ? `Failed password for root from ${ip} port ${port} ssh2`
      : r < 0.75
        ? `Failed password for invalid user ${GUESSED_USERS[this.rng.int(GUESSED_USERS.length)]} from ${ip} port ${port} ssh2`
        : r < 0.9
          ? `Invalid user ${GUESSED_USERS[this.rng.int(GUESSED_USERS.length)]} from ${ip} port ${port}`
          : `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`;
    sink.line(`${this.clock.syslog()} web-01 sshd[${this.pid}]: ${message}`);
    return true;
  }
}
