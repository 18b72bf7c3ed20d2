// The journal corpus: `journalctl -o json` of a web server: systemd timers, cron, an API that logs pino JSON, a
// Python worker, containerd, kernel firewall drops, logins and sudo, and the sshd attacks of the auth.log corpus.
import { AddressPool } from '../addresses.js';
import { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import { Prng, Weighted } from '../prng.js';
import { sshProbe, sshRootAttempt, sshUserAttempt, type SshContext } from './auth-ssh.js';
import { GUESSED_USERS, gap, type CorpusGenerator } from './generator.js';
import { JournalEntries, type Service } from './journal-entry.js';
import { apiLine, containerdLine, kernelLine, workerLine, type AppContext } from './journal-apps.js';

export interface JournalLogOptions {
  seed: number;
}

type Kind = 'ssh' | 'login' | 'cron' | 'timer' | 'unitFailure' | 'kernel' | 'api' | 'worker' | 'containerd' | 'sudo';

const MIX = new Weighted<Kind>([
  ['ssh', 6], ['login', 1], ['cron', 10], ['timer', 6], ['unitFailure', 0.05], ['kernel', 11], ['api', 30],
  ['worker', 9], ['containerd', 5], ['sudo', 2],
]);

/** Daily and periodic units of an Ubuntu server: [unit, description]. */
const TIMERS: readonly (readonly [string, string])[] = [
  ['sysstat-collect.service', 'system activity accounting tool'], ['apt-daily.service', 'Daily apt download activities'],
  ['logrotate.service', 'Rotate log files'], ['man-db.service', 'Daily man-db regeneration'], ['certbot.service', 'Certbot'],
  ['fstrim.service', 'Discard unused blocks on filesystems from /etc/fstab'], ['motd-news.service', 'Message of the Day'],
  ['systemd-tmpfiles-clean.service', 'Cleanup of Temporary Directories'],
];
const CRON_COMMANDS = ['cd / && run-parts --report /etc/cron.hourly', '/srv/api/bin/cleanup-sessions', '[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi'];
const USERS: readonly (readonly [string, number])[] = [['ubuntu', 1000], ['alice', 1001], ['bob', 1002], ['deploy', 1003]];
const JOB_DONE = '39f53479d3a045ac8e11786248231fbf';
const DEACTIVATED = '7ad2d189f7e94e70a38c781354912448';
const NEW_SESSION = '8d45620c1a4348dbb17410da57c60c66';

export function journalLog(opts: JournalLogOptions): CorpusGenerator {
  return new JournalLog(opts);
}

class JournalLog implements CorpusGenerator {
  private readonly rng: Prng;
  private readonly clock = new Clock(new Date('2025-03-02T00:00:00Z'));
  private readonly entries: JournalEntries;
  private readonly attackers = new AddressPool(20_000, 0, 3);
  private readonly services: Record<'sshd' | 'cron' | 'init' | 'logind' | 'api' | 'worker' | 'containerd', Service>;
  private readonly ssh: SshContext;
  private readonly app: AppContext;
  private pid = 2400;
  private sessionId = 1;

  constructor(opts: JournalLogOptions) {
    this.rng = new Prng(opts.seed);
    this.entries = new JournalEntries(this.rng, this.clock, 'web-01');
    const svc = (unit: string, ident: string, comm: string, exe: string, cmdline: string, uid: number, pid: number, slice?: string): Service =>
      ({ unit, ident, comm, exe, cmdline, uid, pid, invocation: this.rng.hex(32), ...(slice === undefined ? {} : { slice }) });
    this.services = {
      sshd: svc('ssh.service', 'sshd', 'sshd', '/usr/sbin/sshd', 'sshd: unknown [priv]', 0, 0),
      cron: svc('cron.service', 'CRON', 'cron', '/usr/sbin/cron', '/usr/sbin/CRON -f -P', 0, 0),
      init: svc('init.scope', 'systemd', 'systemd', '/usr/lib/systemd/systemd', '/sbin/init', 0, 1, '-.slice'),
      logind: svc('systemd-logind.service', 'systemd-logind', 'systemd-logind', '/usr/lib/systemd/systemd-logind', '/lib/systemd/systemd-logind', 0, 812),
      api: svc('api.service', 'api', 'node', '/usr/bin/node', '/usr/bin/node /srv/api/dist/server.js', 998, 2211),
      worker: svc('worker.service', 'worker', 'python3', '/usr/bin/python3.11', '/srv/worker/.venv/bin/python -m worker', 997, 2305),
      containerd: svc('containerd.service', 'containerd', 'containerd', '/usr/bin/containerd', '/usr/bin/containerd', 0, 1033),
    };
    this.ssh = { rng: this.rng, line: (sink, pid, m) => this.sshd(sink, pid, m), wait: (ms) => this.clock.advance(ms), guessed: GUESSED_USERS };
    this.app = { rng: this.rng, clock: this.clock, entries: this.entries };
  }

  step(sink: LineSink): boolean {
    this.clock.advance(gap(this.rng.float(), 900));
    switch (MIX.pick(this.rng)) {
      case 'ssh': return this.attack(sink);
      case 'login': return this.login(sink);
      case 'cron': return this.cron(sink);
      case 'timer': return this.timer(sink);
      case 'unitFailure': return this.unitFailure(sink);
      case 'kernel': kernelLine(this.app, sink, this.attackers.pick(this.rng)); return true;
      case 'api': apiLine(this.app, sink, this.services.api); return true;
      case 'worker': workerLine(this.app, sink, this.services.worker); return true;
      case 'containerd': containerdLine(this.app, sink, this.services.containerd); return true;
      case 'sudo': return this.sudo(sink);
    }
  }

  /** sshd logs through syslog: PAM lines to authpriv at notice, `error:` lines at err, the rest to auth at info. */
  private sshd(sink: LineSink, pid: number, message: string): void {
    const s = this.services.sshd;
    if (message.startsWith('pam_unix')) this.entries.syslog(sink, s, 10, 5, message, pid);
    else if (message.startsWith('error:')) this.entries.syslog(sink, s, 4, 3, message, pid);
    else this.entries.syslog(sink, s, 4, 6, message, pid);
  }

  private attack(sink: LineSink): boolean {
    const ip = this.attackers.pick(this.rng);
    const pid = this.nextPid();
    const u = this.rng.float();
    if (u < 0.4) sshUserAttempt(this.ssh, sink, pid, ip, null);
    else if (u < 0.55) sshRootAttempt(this.ssh, sink, pid, ip);
    else sshProbe(this.ssh, sink, pid, ip);
    return true;
  }

  private login(sink: LineSink): boolean {
    const [user, uid] = this.rng.pick(USERS);
    const pid = this.nextPid();
    const id = this.sessionId++;
    this.sshd(sink, pid, `Accepted publickey for ${user} from 10.20.0.${this.rng.range(2, 60)} port ${this.rng.range(1024, 65535)} ssh2: ED25519 SHA256:Zq0b1Lw7nYkC4m2eX9pVtRr8sUaHdFgJ3iK5oN6lM0Q`);
    this.sshd(sink, pid, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
    this.entries.structured(sink, this.services.logind, 6, ['src/login/logind-session.c', 819, 'session_start'],
      `New session ${id} of user ${user}.`, `,"MESSAGE_ID":"${NEW_SESSION}","SESSION_ID":"${id}","USER_ID":"${user}","LEADER":"${pid}"`);
    this.entries.structured(sink, this.services.init, 6, ['src/core/job.c', 768, 'job_emit_done_message'],
      `Started session-${id}.scope - Session ${id} of User ${user}.`, `,"MESSAGE_ID":"${JOB_DONE}","UNIT":"session-${id}.scope","JOB_RESULT":"done"`);
    return true;
  }

  private cron(sink: LineSink): boolean {
    const pid = this.nextPid();
    const s = this.services.cron;
    this.entries.syslog(sink, s, 10, 6, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', pid);
    this.entries.syslog(sink, s, 9, 6, `(root) CMD (${this.rng.pick(CRON_COMMANDS)})`, pid);
    this.clock.advance(this.rng.int(2000));
    this.entries.syslog(sink, s, 10, 6, 'pam_unix(cron:session): session closed for user root', pid);
    return true;
  }

  private timer(sink: LineSink): boolean {
    const [unit, what] = this.rng.pick(TIMERS);
    const init = this.services.init;
    this.entries.structured(sink, init, 6, ['src/core/job.c', 581, 'job_emit_start_message'], `Starting ${unit} - ${what}...`, `,"UNIT":"${unit}"`);
    this.clock.advance(this.rng.int(1500));
    this.entries.structured(sink, init, 6, ['src/core/unit.c', 5833, 'unit_log_success'], `${unit}: Deactivated successfully.`, `,"MESSAGE_ID":"${DEACTIVATED}","UNIT":"${unit}"`);
    this.entries.structured(sink, init, 6, ['src/core/job.c', 768, 'job_emit_done_message'], `Finished ${unit} - ${what}.`, `,"MESSAGE_ID":"${JOB_DONE}","UNIT":"${unit}","JOB_RESULT":"done"`);
    return true;
  }

  private unitFailure(sink: LineSink): boolean {
    const init = this.services.init;
    const unit = 'worker.service';
    this.entries.structured(sink, init, 5, ['src/core/service.c', 3369, 'service_sigchld_event'], `${unit}: Main process exited, code=exited, status=1/FAILURE`, `,"UNIT":"${unit}"`);
    this.entries.structured(sink, init, 4, ['src/core/unit.c', 5807, 'unit_log_failure'], `${unit}: Failed with result 'exit-code'.`, `,"UNIT":"${unit}"`);
    this.clock.advance(5000);
    this.entries.structured(sink, init, 6, ['src/core/job.c', 768, 'job_emit_done_message'], `Started ${unit} - Background worker.`, `,"MESSAGE_ID":"${JOB_DONE}","UNIT":"${unit}"`);
    return true;
  }

  private sudo(sink: LineSink): boolean {
    const [user, uid] = this.rng.pick(USERS);
    const s: Service = { ...this.services.sshd, unit: `session-${Math.max(1, this.sessionId - 1)}.scope`, ident: 'sudo', comm: 'sudo', exe: '/usr/bin/sudo', cmdline: 'sudo systemctl restart api', uid, slice: `user-${uid}.slice` };
    const pid = this.nextPid();
    this.entries.syslog(sink, s, 10, 5, `${user.padStart(8)} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/systemctl restart api`, pid);
    this.entries.syslog(sink, s, 10, 6, `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${uid})`, pid);
    this.entries.syslog(sink, s, 10, 6, 'pam_unix(sudo:session): session closed for user root', pid);
    return true;
  }

  private nextPid(): number {
    this.pid += this.rng.range(1, 40);
    if (this.pid > 4_194_304) this.pid = 300;
    return this.pid;
  }
}
