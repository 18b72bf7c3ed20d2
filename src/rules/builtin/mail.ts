// Mail server rules: Postfix SASL failures, Dovecot IMAP/POP3 login failures and logins, Exim authenticator
// failures, Courier. Dovecot summarises a connection (`auth failed, 3 attempts`): that line counts once per attempt.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const IP = S`[0-9A-Fa-f.:]{2,45}`;
const DOVECOT = ['dovecot', 'imap-login', 'pop3-login', 'submission-login', 'managesieve-login'];
const RIP = S`(?:[^\n]{0,300}?, rip=(?<ip>${IP}))?`;

export const mailRules: readonly RuleSpec[] = [
  {
    id: 'mail.postfix_sasl_failed',
    family: 'mail',
    description: 'postfix/smtpd: warning: HOST[ADDR]: SASL LOGIN/PLAIN authentication failed',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['postfix/smtpd', 'postfix/*', 'postfix'],
    literal: 'authentication failed',
    pattern: S`^warning: [^\[\s]{1,255}\[(?<ip>${IP})\](?::\d{1,5})?: SASL [A-Za-z0-9-]{1,20} authentication failed(?:[^\n]{0,200}?, sasl_username=(?<user>\S{1,128}))?`,
    examples: {
      match: [
        { message: 'warning: unknown[203.0.113.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6', expect: { ip: '203.0.113.9', user: null } },
        { program: 'postfix/submission/smtpd', message: 'warning: mail.example.net[2001:db8::25]: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@example.com', expect: { ip: '2001:db8::25', user: 'bob@example.com' } },
      ],
      noMatch: [{ program: 'postfix/smtpd', message: 'warning: hostname 203-0-113-9.example.net does not resolve to address 203.0.113.9' }],
    },
  },
  {
    id: 'mail.dovecot_auth_failed',
    family: 'mail',
    description: 'dovecot imap-login/pop3-login: Disconnected (auth failed, N attempts ...): one event per attempt (at most 100)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: DOVECOT,
    literal: '(auth failed, ',
    // Dovecot leaves user=<> out when the client gave no name. The text up to `: user=<` holds no ':', so that it
    // cannot run over a second forged `: user=<`.
    pattern: S`^(?:[a-z0-9]{1,20}-login: )?(?:Disconnected|Aborted login|Login aborted)[^(\n]{0,80}\(auth failed, (?<count>\d{1,6}) attempts? in \d{1,6} secs?\)(?:[^:\n]{0,40}: user=<(?<user>[^>\n]{0,128})>)?${RIP}`,
    examples: {
      match: [
        { message: 'imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<bob>, method=PLAIN, rip=203.0.113.9, lip=10.0.0.5, TLS, session=<a1B2c3D4e5F6>', expect: { user: 'bob', ip: '203.0.113.9', count: 3 } },
        { message: 'pop3-login: Disconnected: Connection closed (auth failed, 1 attempts in 2 secs): user=<info@example.com>, method=LOGIN, rip=2001:db8::77, lip=2001:db8::1, session=<xYz>', expect: { user: 'info@example.com', ip: '2001:db8::77', count: 1 } },
        { message: 'imap-login: Login aborted: Connection closed (auth failed, 2 attempts in 9 secs) (auth_failed): user=<admin>, method=PLAIN, rip=198.51.100.14, lip=10.0.0.5, TLS, session=<q>', expect: { user: 'admin', count: 2 } },
        { message: 'imap-login: Disconnected (auth failed, 1 attempts in 4 secs): method=PLAIN, rip=198.51.100.30, lip=10.0.0.5, TLS', expect: { user: null, ip: '198.51.100.30', count: 1 } },
      ],
    },
  },
  {
    id: 'mail.dovecot_password_mismatch',
    family: 'mail',
    description: 'dovecot auth: pam(USER,ADDR): pam_authenticate() failed / Password mismatch (auth_verbose=yes)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: DOVECOT,
    literal: ['failed', 'mismatch'],
    pattern: S`^auth(?:-worker\(\d{1,10}\))?: (?:Info: )?[\w-]{1,20}\((?<user>[^,()\n]{0,128}),(?<ip>${IP})(?:,<[^>\n]{0,64}>)?\): (?:pam_authenticate\(\) failed|[Pp]assword mismatch)`,
    examples: {
      match: [{ message: 'auth: pam(bob,203.0.113.9,<Qm9i>): pam_authenticate() failed: Authentication failure (password mismatch?)', expect: { user: 'bob', ip: '203.0.113.9' } }],
    },
  },
  {
    id: 'mail.dovecot_unknown_user',
    family: 'mail',
    description: 'dovecot auth: passdb(USER,ADDR): unknown user (auth_verbose=yes)',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: DOVECOT,
    literal: 'unknown user',
    pattern: S`^auth(?:-worker\(\d{1,10}\))?: (?:Info: )?[\w-]{1,20}\((?<user>[^,()\n]{0,128}),(?<ip>${IP})(?:,<[^>\n]{0,64}>)?\): unknown user`,
    examples: { match: [{ message: 'auth-worker(4242): pam(oracle,198.51.100.5,<abc>): unknown user', expect: { user: 'oracle', ip: '198.51.100.5' } }] },
  },
  {
    id: 'mail.dovecot_login',
    family: 'mail',
    description: 'dovecot imap-login/pop3-login: Login: user=<X> ... rip=ADDR',
    type: 'auth.success',
    outcome: 'success',
    programs: DOVECOT,
    literal: 'Login: user=<',
    pattern: S`^(?:[a-z0-9]{1,20}-login: )?Login: user=<(?<user>[^>\n]{1,128})>${RIP}`,
    examples: {
      match: [{ message: 'imap-login: Login: user=<alice@example.com>, method=PLAIN, rip=198.51.100.20, lip=10.0.0.5, mpid=31337, TLS, session=<abc>', expect: { user: 'alice@example.com', ip: '198.51.100.20' } }],
    },
  },
  {
    id: 'mail.exim_auth_failed',
    family: 'mail',
    description: 'exim: NAME authenticator failed for HOST [ADDR] ... (set_id=USER)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['exim', 'exim4', null],
    literal: ' authenticator failed for ',
    // Unanchored (exim's own log lines start with a date), so the authenticator's name is one character: a run of
    // them would be rescanned from every start. Neither the HELO name in parentheses nor the set_id may hold '(': a
    // forged line repeating `x authenticator failed for (` would otherwise be rescanned from each repeat.
    pattern: S`[\w-] authenticator failed for (?:H=)?(?:[^\[\s]{1,255} )?(?:\([^()\n]{0,255}\) )?\[(?<ip>${IP})\](?::(?<port>\d{1,5}))?(?:[^\n]{0,300}?\(set_id=(?<user>[^()\n]{1,255})\))?`,
    examples: {
      match: [
        { program: null, message: '2026-11-23 10:00:00 dovecot_login authenticator failed for (User) [203.0.113.9]:51234: 535 Incorrect authentication data (set_id=bob@example.com)', expect: { ip: '203.0.113.9', port: 51234, user: 'bob@example.com' } },
        { program: 'exim', message: 'login authenticator failed for H=(ylmf-pc) [198.51.100.8]:54876 I=[10.0.0.5]:25: 535 Incorrect authentication data', expect: { ip: '198.51.100.8', user: null } },
        { program: 'exim4', message: 'plain_server authenticator failed for mail.example.org (WIN-7Q2) [2001:db8::5]:40122: 535 Incorrect authentication data (set_id=info)', expect: { ip: '2001:db8::5', port: 40122, user: 'info' } },
      ],
    },
  },
  {
    id: 'mail.courier_login_failed',
    family: 'mail',
    description: 'courier imapd/pop3d: LOGIN FAILED, user=X, ip=[ADDR]',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['imapd', 'pop3d', 'imapd-ssl', 'pop3d-ssl', 'courier-imapd', 'courier-pop3d', 'courierpop3login', null],
    literal: 'LOGIN FAILED, ',
    pattern: S`LOGIN FAILED, (?:method=[\w-]{1,20}, )?user=(?<user>[^,\n]{0,128}), ip=\[(?<ip>[^\[\]\n]{2,64})\]`,
    examples: { match: [{ program: 'imapd', message: 'LOGIN FAILED, user=bob, ip=[::ffff:203.0.113.9]', expect: { user: 'bob', ip: '203.0.113.9' } }] },
  },
];
