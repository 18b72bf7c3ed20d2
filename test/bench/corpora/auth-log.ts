// The auth.log corpus: RFC 3164 lines as Ubuntu's rsyslog writes them, with cron, logins, sudo, su and account
// changes (most lines) among sshd brute force, invalid users and scanner probes from many IPv4 and IPv6 addresses.
import { AddressPool, distinctAddress } from '../addresses.js';
import { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import { Prng, Weighted } from '../prng.js';
import { GUESSED_USERS, gap, type CorpusGenerator } from './generator.js';
import { sshProbe, sshRootAttempt, sshUserAttempt, type SshContext } from './auth-ssh.js';

export interface AuthLogOptions {
  seed: number;
  /** When set, every attack uses a new address and the corpus ends after this many (the distinct-addresses case). */
  distinct: number | null;
}

interface LocalUser { name: string; uid: number; key: string }
interface OpenSession { user: LocalUser; ip: string; port: number; pid: number; id: number; tty: number }

type Kind = 'cron' | 'login' | 'logout' | 'sudo' | 'sudoFail' | 'su' | 'suFail' | 'invalidUser' | 'root' | 'knownUser' | 'probe' | 'noise' | 'account';

/** Sessions per kind. About 60% of lines are benign and ~18% match `Failed password|Invalid user|authentication failure`. */
const MIX: readonly (readonly [Kind, number])[] = [
  ['cron', 30], ['login', 5], ['logout', 5], ['sudo', 10], ['sudoFail', 0.3], ['su', 1], ['suFail', 0.2],
  ['invalidUser', 9], ['root', 4], ['knownUser', 2], ['probe', 10], ['noise', 3], ['account', 0.05],
];
/** Distinct-addresses case: mostly one attempt per address (a botnet), a little of everything else. */
const DISTINCT_MIX: readonly (readonly [Kind, number])[] = [
  ['cron', 3], ['login', 0.3], ['logout', 0.3], ['sudo', 0.5], ['invalidUser', 6], ['root', 2], ['knownUser', 1], ['probe', 12],
];
const ATTACKS: ReadonlySet<Kind> = new Set(['invalidUser', 'root', 'knownUser', 'probe']);

const LEGIT_ADDRESSES = ['10.20.0.15', '10.20.0.37', '10.20.1.4', '192.168.10.23', '198.51.100.7', '203.0.113.45', '2001:db8:4:1::25', 'fd00:20::15'];
const SUDO_COMMANDS = [
  '/usr/bin/apt update', '/usr/bin/apt upgrade -y', '/usr/bin/systemctl restart nginx', '/usr/bin/systemctl status postgresql',
  '/usr/bin/journalctl -u nginx --since today', '/usr/bin/tail -n 100 /var/log/syslog', '/usr/bin/docker ps', '/bin/bash',
  '/usr/bin/vim /etc/nginx/sites-available/default', '/usr/sbin/ufw status', '/usr/bin/certbot renew',
];
const CRON_USERS = ['root', 'root', 'root', 'root', 'root', 'root', 'root', 'www-data', 'backup', 'deploy'];
const UIDS: Record<string, number> = { root: 0, 'www-data': 33, backup: 34, deploy: 1003 };
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ATTACKER_POOL = 20_000;

export function authLog(opts: AuthLogOptions): CorpusGenerator {
  return new AuthLog(opts);
}

class AuthLog implements CorpusGenerator {
  private readonly rng: Prng;
  private readonly clock = new Clock(new Date('2025-03-02T00:00:00Z'));
  private readonly host = 'web-01';
  private readonly mix: Weighted<Kind>;
  private readonly attackers = new AddressPool(ATTACKER_POOL, 0, 3);
  private readonly users: readonly LocalUser[];
  private readonly open: OpenSession[] = [];
  private readonly distinct: number | null;
  private usedDistinct = 0;
  private pid = 1200;
  private sessionId = 1;
  private readonly ssh: SshContext;

  constructor(opts: AuthLogOptions) {
    this.rng = new Prng(opts.seed);
    this.distinct = opts.distinct;
    this.mix = new Weighted(opts.distinct === null ? MIX : DISTINCT_MIX);
    const names: readonly [string, number][] = [['ubuntu', 1000], ['alice', 1001], ['bob', 1002], ['deploy', 1003], ['carol', 1004], ['jenkins', 1005]];
    this.users = names.map(([name, uid]) => ({ name, uid, key: this.fingerprint() }));
    this.ssh = {
      rng: this.rng,
      line: (sink, pid, message) => this.line(sink, 'sshd', pid, message),
      wait: (ms) => this.clock.advance(ms),
      guessed: GUESSED_USERS,
    };
  }

  step(sink: LineSink): boolean {
    this.clock.advance(gap(this.rng.float(), 5000));
    const kind = this.mix.pick(this.rng);
    if (ATTACKS.has(kind)) return this.attack(sink, kind);
    switch (kind) {
      case 'cron': return this.cron(sink);
      case 'login': return this.login(sink);
      case 'logout': return this.logout(sink);
      case 'sudo': return this.sudo(sink);
      case 'sudoFail': return this.sudoFail(sink);
      case 'su': return this.su(sink, false);
      case 'suFail': return this.su(sink, true);
      case 'noise': return this.noise(sink);
      default: return this.account(sink);
    }
  }

  private attack(sink: LineSink, kind: Kind): boolean {
    let ip: string;
    if (this.distinct === null) ip = this.attackers.pick(this.rng);
    else ip = distinctAddress(this.usedDistinct++);
    const pid = this.nextPid();
    if (kind === 'invalidUser') sshUserAttempt(this.ssh, sink, pid, ip, null);
    else if (kind === 'knownUser') sshUserAttempt(this.ssh, sink, pid, ip, this.rng.pick(this.users).name);
    else if (kind === 'root') sshRootAttempt(this.ssh, sink, pid, ip);
    else sshProbe(this.ssh, sink, pid, ip);
    return this.distinct === null || this.usedDistinct < this.distinct;
  }

  private cron(sink: LineSink): boolean {
    const user = this.rng.pick(CRON_USERS);
    const pid = this.nextPid();
    this.line(sink, 'CRON', pid, `pam_unix(cron:session): session opened for user ${user}(uid=${UIDS[user]}) by (uid=0)`);
    this.clock.advance(this.rng.int(3000));
    this.line(sink, 'CRON', pid, `pam_unix(cron:session): session closed for user ${user}`);
    return true;
  }

  private login(sink: LineSink): boolean {
    const user = this.rng.pick(this.users);
    const s: OpenSession = { user, ip: this.rng.pick(LEGIT_ADDRESSES), port: this.port(), pid: this.nextPid(), id: this.sessionId++, tty: this.rng.int(6) };
    const how = this.rng.chance(0.1) ? 'password' : `publickey`;
    const key = how === 'publickey' ? `: ${this.rng.chance(0.7) ? 'ED25519' : 'RSA'} SHA256:${user.key}` : '';
    this.line(sink, 'sshd', s.pid, `Accepted ${how} for ${user.name} from ${s.ip} port ${s.port} ssh2${key}`);
    this.line(sink, 'sshd', s.pid, `pam_unix(sshd:session): session opened for user ${user.name}(uid=${user.uid}) by (uid=0)`);
    this.line(sink, 'systemd-logind', 812, `New session ${s.id} of user ${user.name}.`);
    if (this.rng.chance(0.3)) {
      this.line(sink, 'systemd', this.nextPid(), `pam_unix(systemd-user:session): session opened for user ${user.name}(uid=${user.uid}) by (uid=0)`);
    }
    if (this.open.length >= 40) this.open.shift();
    this.open.push(s);
    return true;
  }

  private logout(sink: LineSink): boolean {
    if (this.open.length === 0) return this.cron(sink);
    const s = this.open.splice(this.rng.int(this.open.length), 1)[0]!;
    this.line(sink, 'sshd', s.pid, `Received disconnect from ${s.ip} port ${s.port}:11: disconnected by user`);
    this.line(sink, 'sshd', s.pid, `Disconnected from user ${s.user.name} ${s.ip} port ${s.port}`);
    this.line(sink, 'sshd', s.pid, `pam_unix(sshd:session): session closed for user ${s.user.name}`);
    this.line(sink, 'systemd-logind', 812, `Session ${s.id} logged out. Waiting for processes to exit.`);
    this.line(sink, 'systemd-logind', 812, `Removed session ${s.id}.`);
    return true;
  }

  private sudo(sink: LineSink): boolean {
    const s = this.open.length > 0 ? this.rng.pick(this.open) : null;
    const user = s?.user ?? this.rng.pick(this.users);
    const tty = s === null ? '' : `TTY=pts/${s.tty} ; `;
    const pwd = user.name === 'jenkins' ? '/var/lib/jenkins' : `/home/${user.name}`;
    this.line(sink, 'sudo', null, `${user.name.padStart(8)} : ${tty}PWD=${pwd} ; USER=root ; COMMAND=${this.rng.pick(SUDO_COMMANDS)}`);
    this.line(sink, 'sudo', null, `pam_unix(sudo:session): session opened for user root(uid=0) by ${user.name}(uid=${user.uid})`);
    this.clock.advance(this.rng.int(20_000));
    this.line(sink, 'sudo', null, 'pam_unix(sudo:session): session closed for user root');
    return true;
  }

  private sudoFail(sink: LineSink): boolean {
    const user = this.rng.pick(this.users);
    const tty = this.rng.int(6);
    if (this.rng.chance(0.3)) {
      this.line(sink, 'sudo', null, `${'mallory'.padStart(8)} : user NOT in sudoers ; TTY=pts/${tty} ; PWD=/home/mallory ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow`);
      return true;
    }
    this.line(sink, 'sudo', null, `pam_unix(sudo:auth): authentication failure; logname=${user.name} uid=${user.uid} euid=0 tty=/dev/pts/${tty} ruser=${user.name} rhost=  user=${user.name}`);
    this.line(sink, 'sudo', null, `${user.name.padStart(8)} : 3 incorrect password attempts ; TTY=pts/${tty} ; PWD=/home/${user.name} ; USER=root ; COMMAND=/bin/bash`);
    return true;
  }

  private su(sink: LineSink, fail: boolean): boolean {
    const user = this.rng.pick(this.users);
    const pid = this.nextPid();
    const tty = this.rng.int(6);
    if (fail) {
      this.line(sink, 'su', pid, `pam_unix(su:auth): authentication failure; logname=${user.name} uid=${user.uid} euid=0 tty=/dev/pts/${tty} ruser=${user.name} rhost=  user=root`);
      this.line(sink, 'su', pid, `FAILED SU (to root) ${user.name} on pts/${tty}`);
      return true;
    }
    this.line(sink, 'su', pid, `(to root) ${user.name} on pts/${tty}`);
    this.line(sink, 'su', pid, `pam_unix(su:session): session opened for user root(uid=0) by ${user.name}(uid=${user.uid})`);
    this.clock.advance(this.rng.int(600_000));
    this.line(sink, 'su', pid, 'pam_unix(su:session): session closed for user root');
    return true;
  }

  private noise(sink: LineSink): boolean {
    const r = this.rng.int(10);
    if (r < 6) {
      const s = this.open.length > 0 ? this.rng.pick(this.open) : null;
      const id = s?.id ?? this.sessionId;
      this.line(sink, 'polkitd', 905, `Registered Authentication Agent for unix-session:${id} (system bus name :1.${this.rng.range(100, 999)} [/usr/bin/pkttyagent --notify-fd 5 --fallback], object path /org/freedesktop/PolicyKit1/AuthenticationAgent, locale en_US.UTF-8)`);
      this.line(sink, 'polkitd', 905, `Unregistered Authentication Agent for unix-session:${id} (system bus name :1.${this.rng.range(100, 999)}, object path /org/freedesktop/PolicyKit1/AuthenticationAgent, locale en_US.UTF-8) (disconnected from bus)`);
    } else if (r < 9) {
      const user = this.rng.pick(this.users);
      this.line(sink, 'pkexec', this.nextPid(), `pam_unix(polkit-1:session): session opened for user root(uid=0) by ${user.name}(uid=${user.uid})`);
      this.line(sink, 'pkexec', this.pid, `${user.name}: Executing command [USER=root] [TTY=unknown] [CWD=/home/${user.name}] [COMMAND=/usr/lib/update-notifier/package-system-locked]`);
    } else {
      this.line(sink, 'sshd', 870, 'Received signal 15; terminating.');
      const pid = this.nextPid();
      this.line(sink, 'sshd', pid, 'Server listening on 0.0.0.0 port 22.');
      this.line(sink, 'sshd', pid, 'Server listening on :: port 22.');
    }
    return true;
  }

  private account(sink: LineSink): boolean {
    const name = `svc${this.rng.range(10, 99)}`;
    const uid = this.rng.range(1100, 1199);
    this.line(sink, 'groupadd', this.nextPid(), `group added to /etc/group: name=${name}, GID=${uid}`);
    this.line(sink, 'useradd', this.nextPid(), `new user: name=${name}, UID=${uid}, GID=${uid}, home=/home/${name}, shell=/bin/bash, from=/dev/pts/0`);
    this.line(sink, 'passwd', this.nextPid(), `pam_unix(passwd:chauthtok): password changed for ${name}`);
    this.line(sink, 'usermod', this.nextPid(), `add '${name}' to group 'docker'`);
    return true;
  }

  /** `program[pid]: message`, or `program: message` when the program logs no pid (sudo). */
  private line(sink: LineSink, program: string, pid: number | null, message: string): void {
    const tag = pid === null ? program : `${program}[${pid}]`;
    sink.line(`${this.clock.syslog()} ${this.host} ${tag}: ${message}`);
  }

  private nextPid(): number {
    this.pid += this.rng.range(1, 40);
    if (this.pid > 4_194_304) this.pid = 300;
    return this.pid;
  }

  private port(): number {
    return this.rng.range(1024, 65535);
  }

  private fingerprint(): string {
    let s = '';
    for (let i = 0; i < 43; i++) s += BASE64[this.rng.int(64)];
    return s;
  }
}
