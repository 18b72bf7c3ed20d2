// Console and legacy remote logins: login(1) failures and old-style sessions, Kerberos klogind failures.
// `ROOT LOGIN ON tty1` gives no event: the PAM session line of the same login already says it (pam.ts).
import type { RuleSpec } from '../spec.js';

const S = String.raw;

export const loginRules: readonly RuleSpec[] = [
  {
    id: 'login.failed',
    family: 'login',
    description: 'FAILED LOGIN N FROM TTY FOR USER (util-linux and shadow-utils login)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['login'],
    literal: 'FAILED LOGIN',
    pattern: S`^FAILED LOGIN(?: SESSION| \(\d{1,4}\)| \d{1,4}) (?:FROM|on) \S{1,255} FOR '?(?<user>[^',\s]{1,64})'?,`,
    examples: {
      match: [
        { message: 'FAILED LOGIN 1 FROM tty1 FOR root, Authentication failure', expect: { user: 'root' } },
        { message: "FAILED LOGIN (1) on '/dev/tty2' FOR 'UNKNOWN', User not known to the underlying authentication module", expect: { user: null } },
        { message: 'FAILED LOGIN SESSION FROM tty3 FOR admin, Authentication failure', expect: { user: 'admin' } },
      ],
    },
  },
  {
    id: 'login.session_old',
    family: 'login',
    description: 'login(pam_unix): session opened for user X (old PAM style; root: auth.root_login)',
    type: 'auth.success',
    outcome: 'success',
    programs: ['login'],
    literal: 'session opened for user ',
    pattern: S`^session opened for user (?<user>[^\s(]{1,64})`,
    examples: {
      match: [{ message: 'session opened for user root by LOGIN(uid=0)', expect: { type: 'auth.root_login', user: 'root' } }],
      noMatch: ['session closed for user root', 'ROOT LOGIN ON tty2'],
    },
  },
  {
    id: 'login.klogind_failed',
    family: 'login',
    description: 'klogind: Authentication failed from ADDR (Kerberos rlogin)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['klogind', 'krshd', 'kshd'],
    literal: 'Authentication failed from ',
    pattern: S`^Authentication failed from (?<ip>\S{1,255}) `,
    examples: {
      match: [{ message: 'Authentication failed from 163.27.187.39 (163.27.187.39): Permission denied in replay cache code ', expect: { ip: '163.27.187.39' } }],
    },
  },
];
