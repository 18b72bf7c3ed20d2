// su rules for shadow-utils su, util-linux su and PAM: switches (priv.su) and failures. The user of the event is
// the one who ran su; the target account is in the message. Each su implementation writes its own line next to
// the PAM one, so one su may give two or three events (see the report on duplicates).
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const PAM_MODULES = S`pam_(?:unix|sss|ldap|krb5|winbind)`;
const UID = S`(?:\(uid=\d{1,10}\))?`;

export const suRules: readonly RuleSpec[] = [
  {
    id: 'su.pam_auth_failure',
    family: 'su',
    description: 'pam_unix(su:auth): authentication failure: a wrong password for su',
    type: 'priv.su_failure',
    outcome: 'failure',
    literal: ['(su:auth)', '(su-l:auth)'],
    pattern: S`^${PAM_MODULES}\(su(?:-l)?:auth\): authentication failure;(?:[^\n]{0,300}? ruser=(?<user>\S{1,64}))?`,
    examples: {
      match: [
        { program: 'su', message: 'pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=root', expect: { user: 'bob' } },
        { program: 'su', message: 'pam_unix(su-l:auth): authentication failure; logname= uid=1000 euid=0 tty=pts/3 ruser= rhost=  user=root', expect: { user: null } },
      ],
    },
  },
  {
    id: 'su.pam_auth_failure_old',
    family: 'su',
    description: 'su(pam_unix): authentication failure (old PAM style)',
    type: 'priv.su_failure',
    outcome: 'failure',
    programs: ['su'],
    literal: 'authentication failure; ',
    pattern: S`^authentication failure;(?:[^\n]{0,300}? ruser=(?<user>\S{1,64}))?`,
    examples: { match: [{ message: 'authentication failure; logname=alice uid=500 euid=0 tty=pts/0 ruser=alice rhost=  user=root', expect: { user: 'alice' } }] },
  },
  {
    id: 'su.failed',
    family: 'su',
    description: 'FAILED su for TARGET by USER (shadow-utils su)',
    type: 'priv.su_failure',
    outcome: 'failure',
    programs: ['su'],
    literal: 'FAILED su for ',
    pattern: S`^FAILED su for \S{1,64} by (?<user>\S{1,64})$`,
    examples: { match: [{ message: 'FAILED su for root by bob', expect: { user: 'bob' } }] },
  },
  {
    id: 'su.failed_util_linux',
    family: 'su',
    description: 'FAILED SU (to TARGET) USER on TTY (util-linux su)',
    type: 'priv.su_failure',
    outcome: 'failure',
    programs: ['su'],
    literal: 'FAILED SU (to ',
    pattern: S`^FAILED SU \(to [^)\s]{1,64}\) (?<user>\S{1,64}) on `,
    examples: { match: [{ message: 'FAILED SU (to root) bob on pts/0', expect: { user: 'bob' } }] },
  },
  {
    id: 'su.sulog_failed',
    family: 'su',
    description: '- TTY USER:TARGET (shadow-utils sulog line for a failed su)',
    type: 'priv.su_failure',
    outcome: 'failure',
    programs: ['su'],
    literal: '- ',
    pattern: S`^- (?:/dev/)?[\w/?.-]{1,64} (?<user>[^\s:]{1,64}):[^\s:]{1,64}$`,
    examples: {
      match: [
        { message: '- pts/0 bob:root', expect: { user: 'bob' } },
        { message: '- /dev/pts/3 mallory:root', expect: { user: 'mallory' } },
      ],
    },
  },
  {
    id: 'su.successful',
    family: 'su',
    description: 'Successful su for TARGET by USER (shadow-utils su)',
    type: 'priv.su',
    outcome: 'success',
    programs: ['su'],
    literal: 'Successful su for ',
    pattern: S`^Successful su for \S{1,64} by (?<user>\S{1,64})$`,
    examples: { match: [{ message: 'Successful su for root by bob', expect: { user: 'bob' } }] },
  },
  {
    id: 'su.to',
    family: 'su',
    description: '(to TARGET) USER on TTY (util-linux su)',
    type: 'priv.su',
    outcome: 'success',
    programs: ['su'],
    literal: '(to ',
    pattern: S`^\(to [^)\s]{1,64}\) (?<user>\S{1,64}) on `,
    examples: { match: [{ message: '(to root) bob on pts/0', expect: { user: 'bob' } }] },
  },
  {
    id: 'su.sulog',
    family: 'su',
    description: '+ TTY USER:TARGET (shadow-utils sulog line for a successful su)',
    type: 'priv.su',
    outcome: 'success',
    programs: ['su'],
    literal: '+ ',
    pattern: S`^\+ (?:/dev/)?[\w/?.-]{1,64} (?<user>[^\s:]{1,64}):[^\s:]{1,64}$`,
    examples: { match: [{ message: '+ pts/0 bob:root', expect: { user: 'bob' } }, { message: '+ ??? root:nobody', expect: { user: 'root' } }] },
  },
  {
    id: 'su.pam_session',
    family: 'su',
    description: 'pam_unix(su:session): session opened for user TARGET by USER',
    type: 'priv.su',
    outcome: 'success',
    literal: ['(su:session)', '(su-l:session)'],
    pattern: S`^${PAM_MODULES}\(su(?:-l)?:session\): session opened for user [^\s(]{1,64}${UID} by (?<user>[^\s(]{0,64})${UID}`,
    examples: {
      match: [
        { program: 'su', message: 'pam_unix(su:session): session opened for user root(uid=0) by bob(uid=1000)', expect: { user: 'bob' } },
        { program: 'su', message: 'pam_unix(su-l:session): session opened for user postgres by (uid=0)', expect: { user: null } },
      ],
      noMatch: [{ program: 'su', message: 'pam_unix(su:session): session closed for user root' }],
    },
  },
  {
    id: 'su.pam_session_old',
    family: 'su',
    description: 'su(pam_unix): session opened for user TARGET by USER (old PAM style)',
    type: 'priv.su',
    outcome: 'success',
    programs: ['su'],
    literal: 'session opened for user ',
    pattern: S`^session opened for user [^\s(]{1,64}${UID} by (?<user>[^\s(]{0,64})${UID}`,
    examples: { match: [{ message: 'session opened for user news by (uid=0)', expect: { user: null } }] },
  },
];
