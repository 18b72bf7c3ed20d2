// PAM rules for any service (sshd, login, vsftpd, dovecot, ...): authentication failures, unknown users, lockouts
// and console logins. The message names the PAM module and service, so these apply to any program; sudo and su
// have their own rules, earlier in the list, that take their lines first.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const PAM_MODULES = S`pam_(?:unix|sss|ldap|krb5|winbind)`;
const SERVICE = S`[\w.@-]{1,40}`;
// Dovecot writes PAM's lines behind its own process name: `auth: pam_unix(dovecot:auth): ...`, `auth-worker(42): ...`.
const DAEMON = S`(?:auth(?:-worker)?(?:\(\d{1,10}\))?: )?`;
// rhost and user are optional, in this order; rhost may be empty (a local login) or a host name.
const RHOST_USER = S`(?:[^\n]{0,300}? rhost=(?<ip>\S{0,255}))?(?:[^\n]{0,300}? user=(?<user>\S{1,64}))?`;

export const pamRules: readonly RuleSpec[] = [
  {
    id: 'pam.auth_failure',
    family: 'pam',
    description: 'pam_unix(SERVICE:auth): authentication failure; ... rhost=ADDR user=USER',
    type: 'auth.failure',
    outcome: 'failure',
    literal: ':auth): authentication failure;',
    pattern: S`^${DAEMON}${PAM_MODULES}\(${SERVICE}:auth\): authentication failure;${RHOST_USER}`,
    examples: {
      match: [
        { program: 'sshd', message: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45  user=root', expect: { ip: '203.0.113.45', user: 'root' } },
        { program: 'sshd', message: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::9', expect: { ip: '2001:db8::9', user: null } },
        { program: 'login', message: 'pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 ruser= rhost=  user=alice', expect: { ip: null, user: 'alice' } },
        { program: 'vsftpd', message: 'pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:198.51.100.3', expect: { ip: '198.51.100.3' } },
        { program: 'sshd', message: 'pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host-7.example.net user=carol', expect: { ip: 'host-7.example.net', user: 'carol' } },
        { program: 'dovecot', message: 'auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=sales rhost=198.51.100.61  user=sales', expect: { ip: '198.51.100.61', user: 'sales' } },
      ],
      noMatch: [{ program: 'sudo', message: 'pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob' }],
    },
  },
  {
    id: 'pam.auth_failure_old',
    family: 'pam',
    description: 'PROGRAM(pam_unix): authentication failure; ... (old PAM style, e.g. sshd(pam_unix) on Red Hat 9)',
    type: 'auth.failure',
    outcome: 'failure',
    literal: 'authentication failure; logname=',
    pattern: S`^authentication failure; logname=${RHOST_USER}`,
    examples: {
      match: [
        { program: 'sshd', message: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ', expect: { ip: '218.188.2.4', user: null } },
        { program: 'sshd', message: 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=n219076184117.netvigator.com  user=root', expect: { ip: 'n219076184117.netvigator.com', user: 'root' } },
      ],
    },
  },
  {
    id: 'pam.user_unknown',
    family: 'pam',
    description: 'check pass; user unknown: a login for an account that does not exist (no address on this line)',
    type: 'auth.invalid_user',
    outcome: 'failure',
    literal: 'check pass; user unknown',
    pattern: S`^${DAEMON}(?:${PAM_MODULES}\(${SERVICE}:auth\): )?check pass; user unknown\s{0,4}$`,
    examples: {
      match: [{ program: 'sshd', message: 'pam_unix(sshd:auth): check pass; user unknown' }, { program: 'sshd', message: 'check pass; user unknown' }],
    },
  },
  {
    id: 'pam.more_failures',
    family: 'pam',
    description: 'PAM N more authentication failures: one event (the failures themselves were logged one by one)',
    type: 'auth.failure',
    outcome: 'failure',
    literal: 'more authentication failure',
    pattern: S`^PAM \d{1,4} more authentication failures?;${RHOST_USER}`,
    examples: {
      match: [
        { program: 'sshd', message: 'PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om  user=root', expect: { user: 'root', ip: '5.36.59.76.dynamic-dsl-ip.omantel.net.om', count: 1 } },
        { program: 'sshd', message: 'PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45', expect: { ip: '203.0.113.45' } },
      ],
      noMatch: [{ program: 'sshd', message: 'PAM service(sshd) ignoring max retries; 6 > 3' }],
    },
  },
  {
    id: 'pam.faillock',
    family: 'pam',
    description: 'pam_faillock: Consecutive login failures for user X account temporarily locked',
    type: 'auth.failure',
    outcome: 'failure',
    literal: 'pam_faillock(',
    pattern: S`^pam_faillock\(${SERVICE}:auth\): Consecutive login failures for user (?<user>\S{1,64}) account temporarily locked`,
    examples: { match: [{ program: 'sshd', message: 'pam_faillock(sshd:auth): Consecutive login failures for user root account temporarily locked', expect: { user: 'root' } }] },
  },
  {
    id: 'pam.tally',
    family: 'pam',
    description: 'pam_tally2: user X (UID) tally N, deny M: a login refused after too many failures',
    type: 'auth.failure',
    outcome: 'failure',
    literal: 'pam_tally',
    pattern: S`^pam_tally2?\(${SERVICE}:auth\): user (?<user>\S{1,64}) \(\d{1,10}\) tally \d{1,6}, deny \d{1,6}`,
    examples: { match: [{ program: 'sshd', message: 'pam_tally2(sshd:auth): user admin (1001) tally 6, deny 5', expect: { user: 'admin' } }] },
  },
  {
    id: 'pam.console_login',
    family: 'pam',
    description: 'pam_unix(login|gdm-password|lightdm|sddm:session): session opened: a console or desktop login (root: auth.root_login). sshd and cron sessions give no event: the Accepted line already did, cron is not a login',
    type: 'auth.success',
    outcome: 'success',
    literal: ':session): session opened for user ',
    pattern: S`^${PAM_MODULES}\((?:login|gdm-password|gdm-autologin|lightdm|sddm|xdm|kdm):session\): session opened for user (?<user>[^\s(]{1,64})`,
    examples: {
      match: [
        { program: 'login', message: 'pam_unix(login:session): session opened for user root(uid=0) by LOGIN(uid=0)', expect: { type: 'auth.root_login', user: 'root' } },
        { program: 'gdm-password', message: 'pam_unix(gdm-password:session): session opened for user alice(uid=1000) by (uid=0)', expect: { type: 'auth.success', user: 'alice' } },
      ],
      noMatch: [
        { program: 'CRON', message: 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)' },
        { program: 'sshd', message: 'pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)' },
      ],
    },
  },
];
