// The sshd attack sessions of the auth.log corpus, worded as OpenSSH 8.9 on Ubuntu writes them: password guessing
// for invalid users, for root and for real accounts, and probes that never authenticate.
import type { LineSink } from '../line-sink.js';
import type { Prng } from '../prng.js';

export interface SshContext {
  rng: Prng;
  line(sink: LineSink, pid: number, message: string): void;
  /** Moves the clock forward (the next lines come later). */
  wait(ms: number): void;
  guessed: readonly string[];
}

/** Dots and colons of an address, made into a host name. */
const SEPARATORS = /[.:]/g;
const PAM_FAILURE = 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=';

function port(rng: Prng): number {
  return rng.range(1024, 65535);
}

/** A name the tools try: a dictionary word, sometimes with digits (`test123`), as real lists have. */
function guessedName(ctx: SshContext): string {
  const base = ctx.rng.pick(ctx.guessed);
  return ctx.rng.chance(0.2) ? base + ctx.rng.range(1, 2025) : base;
}

/** Old sshd's reverse-DNS warning that precedes some attacks. */
function reverseMapping(ctx: SshContext, sink: LineSink, pid: number, ip: string): void {
  const name = `${ip.replace(SEPARATORS, '-')}.static.hosting-${ctx.rng.range(1, 40)}.net`;
  if (ctx.rng.chance(0.5)) ctx.line(sink, pid, `reverse mapping checking getaddrinfo for ${name} [${ip}] failed - POSSIBLE BREAK-IN ATTEMPT!`);
  else ctx.line(sink, pid, `Address ${ip} maps to ${name}, but this does not map back to the address [preauth]`);
}

/** One failed password for an account that does not exist (user null) or does (user given). */
export function sshUserAttempt(ctx: SshContext, sink: LineSink, pid: number, ip: string, user: string | null): void {
  const p = port(ctx.rng);
  if (ctx.rng.chance(0.05)) reverseMapping(ctx, sink, pid, ip);
  if (user === null) {
    const name = guessedName(ctx);
    ctx.line(sink, pid, `Invalid user ${name} from ${ip} port ${p}`);
    ctx.wait(ctx.rng.int(300));
    ctx.line(sink, pid, 'pam_unix(sshd:auth): check pass; user unknown');
    ctx.line(sink, pid, PAM_FAILURE + ip);
    ctx.wait(ctx.rng.range(1000, 3000));
    ctx.line(sink, pid, `Failed password for invalid user ${name} from ${ip} port ${p} ssh2`);
    ends(ctx, sink, pid, `invalid user ${name} ${ip} port ${p}`, ip, p);
    return;
  }
  ctx.line(sink, pid, `${PAM_FAILURE}${ip}  user=${user}`);
  ctx.wait(ctx.rng.range(1000, 3000));
  ctx.line(sink, pid, `Failed password for ${user} from ${ip} port ${p} ssh2`);
  ends(ctx, sink, pid, `authenticating user ${user} ${ip} port ${p}`, ip, p);
}

/** The two ways a failed session ends: the client says goodbye, or just closes. */
function ends(ctx: SshContext, sink: LineSink, pid: number, who: string, ip: string, p: number): void {
  ctx.wait(ctx.rng.int(500));
  if (ctx.rng.chance(0.7)) {
    ctx.line(sink, pid, `Received disconnect from ${ip} port ${p}:11: Bye Bye [preauth]`);
    ctx.line(sink, pid, `Disconnected from ${who} [preauth]`);
  } else {
    ctx.line(sink, pid, `Connection closed by ${who} [preauth]`);
  }
}

/** Several passwords for root on one connection, up to sshd's MaxAuthTries. */
export function sshRootAttempt(ctx: SshContext, sink: LineSink, pid: number, ip: string): void {
  const p = port(ctx.rng);
  const tries = ctx.rng.chance(0.15) ? 6 : ctx.rng.range(1, 3);
  ctx.line(sink, pid, `${PAM_FAILURE}${ip}  user=root`);
  for (let i = 0; i < tries; i++) {
    ctx.wait(ctx.rng.range(1000, 3000));
    if (i === 1 && tries > 2 && ctx.rng.chance(0.3)) {
      ctx.line(sink, pid, `message repeated ${tries - 1} times: [ Failed password for root from ${ip} port ${p} ssh2]`);
      break;
    }
    ctx.line(sink, pid, `Failed password for root from ${ip} port ${p} ssh2`);
  }
  if (tries === 6) {
    ctx.line(sink, pid, `error: maximum authentication attempts exceeded for root from ${ip} port ${p} ssh2 [preauth]`);
    ctx.line(sink, pid, `Disconnecting authenticating user root ${ip} port ${p}: Too many authentication failures [preauth]`);
    ctx.line(sink, pid, `PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
    return;
  }
  ends(ctx, sink, pid, `authenticating user root ${ip} port ${p}`, ip, p);
  if (tries > 1) ctx.line(sink, pid, `PAM ${tries - 1} more authentication failure${tries > 2 ? 's' : ''}; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
}

/** A connection that never tries to log in: banner grabs, port scanners, old clients. */
export function sshProbe(ctx: SshContext, sink: LineSink, pid: number, ip: string): void {
  const p = port(ctx.rng);
  switch (ctx.rng.int(7)) {
    case 0: ctx.line(sink, pid, `Connection closed by ${ip} port ${p} [preauth]`); break;
    case 1: ctx.line(sink, pid, `Did not receive identification string from ${ip} port ${p}`); break;
    case 2: ctx.line(sink, pid, `banner exchange: Connection from ${ip} port ${p}: invalid format`); break;
    case 3:
      ctx.line(sink, pid, `Unable to negotiate with ${ip} port ${p}: no matching host key type found. Their offer: ssh-rsa,ssh-dss [preauth]`);
      break;
    case 4:
      ctx.line(sink, pid, 'error: kex_exchange_identification: Connection closed by remote host');
      ctx.line(sink, pid, `Connection closed by ${ip} port ${p}`);
      break;
    case 5:
      ctx.line(sink, pid, 'error: kex_exchange_identification: read: Connection reset by peer');
      ctx.line(sink, pid, `Connection reset by ${ip} port ${p}`);
      break;
    default: ctx.line(sink, pid, `Connection reset by ${ip} port ${p} [preauth]`);
  }
}
