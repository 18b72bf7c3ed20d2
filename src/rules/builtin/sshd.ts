// OpenSSH server rules (sshd, and sshd-session / sshd-auth of OpenSSH 9.8+): failed, invalid and accepted logins
// (connections that never authenticate are in sshd-probe.ts). User names are attacker text and may hold spaces or a forged
// ` from 1.2.3.4 port 1`: patterns anchor the address at the end of the line, where sshd writes the real one, and the
// user is what comes before it.
//
// Where the tail after the user (` from ADDR port N ssh2` up to the end, and the like) can start at one place only,
// the user is taken lazily (USER): a match is then the same as the greedy one (for each way the optional prefix
// before the user is taken, at most one user length lets the tail reach the end), and V8 finds it by trying the
// user's short lengths first instead of backing off from the end of the line: 0.14-0.20 against 0.30-0.42 us per
// `Failed password` message (25,000 of them). The tail starts at one place when none of its words can be its first:
// ` from X port N ssh2` holds no other ` from ` (X has no space, and port, N, ssh2 are not `from`). A pattern with
// free text after its tail (sshd.too_many_failures, sshd.failed_key) keeps the greedy user (test/rules/sshd-user.test.ts).
import type { RuleSpec } from '../spec.js';

const SSHD = ['sshd', 'sshd-session', 'sshd-auth'];
const S = String.raw;
const METHOD = S`(?:password|publickey|none|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic|gssapi-keyex)`;
// The failures that carry no key suffix. Key failures (`: RSA SHA256:...`) have their own rule: a free-text suffix
// after a user that may hold anything would let the two overlap (quadratic on attacker text).
const KEYLESS_METHOD = S`(?:password|none|keyboard-interactive(?:/pam)?|gssapi-with-mic|gssapi-keyex)`;
const TAIL = S` from (?<ip>\S{1,255}) port (?<port>\d{1,5})(?: ssh[12])?`;
/** The user before a tail that can start at one place only, taken lazily (see above). */
const USER = S`(?<user>.{0,128}?)`;

export const sshdRules: readonly RuleSpec[] = [
  {
    id: 'sshd.failed',
    family: 'sshd',
    description: 'Failed password / none / keyboard-interactive / gssapi, for a valid or an invalid user (`message repeated N times` counts N, at most 100)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'Failed ',
    pattern: S`^Failed ${KEYLESS_METHOD} for (?:invalid user )?${USER}${TAIL}$`,
    examples: {
      match: [
        { message: 'Failed password for root from 203.0.113.45 port 50130 ssh2', expect: { ip: '203.0.113.45', port: 50130, user: 'root' } },
        { message: 'Failed password for invalid user admin from 2001:db8:4c1::17 port 41822 ssh2', expect: { ip: '2001:db8:4c1::17', user: 'admin' } },
        { message: 'Failed none for invalid user support from 198.51.100.23 port 40012 ssh2', expect: { user: 'support' } },
        { message: 'Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.77 port 33210 ssh2', expect: { user: 'oracle' } },
        { program: 'sshd-session', message: 'Failed password for ubuntu from 198.51.100.4 port 2222 ssh2', expect: { user: 'ubuntu' } },
        // a forged address inside the user name: the real one is the last on the line
        { message: 'Failed password for invalid user x from 6.6.6.6 port 1 ssh2 from 203.0.113.9 port 40000 ssh2', expect: { ip: '203.0.113.9', port: 40000, user: 'x from 6.6.6.6 port 1 ssh2' } },
        { message: 'message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]', expect: { ip: '5.36.59.76', count: 5 } },
      ],
      noMatch: [
        { program: 'nginx', message: 'Failed password for root from 203.0.113.45 port 50130 ssh2' },
        { program: null, message: 'Dec 10 07:13:56 LabSZ sshd[24227]: Failed password for root from 5.36.59.76 port 42393 ssh2' },
      ],
    },
  },
  {
    id: 'sshd.failed_key',
    family: 'sshd',
    description: 'Failed publickey / hostbased (with the offered key: `: RSA SHA256:...`), for a valid or an invalid user',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'Failed ',
    // The user cannot hold ':' (nor can a Linux user name), so it cannot run into the key suffix.
    pattern: S`^Failed (?:publickey|hostbased) for (?:invalid user )?(?<user>[^:\n]{0,128})${TAIL}(?:: [^\n]{0,512})?$`,
    examples: {
      match: [
        { message: 'Failed publickey for deploy from 203.0.113.45 port 50200 ssh2: RSA SHA256:Vq2rM3xHk0b0lS6c7nQ1ZzT5y2bO0w3pYk5m8lJ9aQ4', expect: { user: 'deploy', ip: '203.0.113.45', port: 50200 } },
        { message: 'Failed publickey for invalid user git from 2001:db8::8 port 61022 ssh2: ED25519 SHA256:8cYp1m0qkW6aH3sVZ0dX2fL7nR9tU4bE5gJ1iO3kP6w', expect: { user: 'git', ip: '2001:db8::8', port: 61022 } },
        { message: 'Failed hostbased for backup from 198.51.100.7 port 50022 ssh2: ECDSA SHA256:q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c', expect: { user: 'backup', ip: '198.51.100.7' } },
        { message: 'Failed publickey for root from 203.0.113.45 port 50201 ssh2', expect: { user: 'root', port: 50201 } },
        // a forged address inside the user name: the real one is the last before the key
        { message: 'Failed publickey for x from 6.6.6.6 port 1 ssh2 from 203.0.113.9 port 40000 ssh2: RSA SHA256:Vq2rM3xHk0b0lS6c7nQ1ZzT5y2bO0w3pYk5m8lJ9aQ4', expect: { ip: '203.0.113.9', port: 40000, user: 'x from 6.6.6.6 port 1 ssh2' } },
      ],
      noMatch: [
        { program: 'nginx', message: 'Failed publickey for deploy from 203.0.113.45 port 50200 ssh2: RSA SHA256:Vq2rM3xHk0b0lS6c7nQ1ZzT5y2bO0w3pYk5m8lJ9aQ4' },
      ],
    },
  },
  {
    id: 'sshd.invalid_user',
    family: 'sshd',
    description: 'Invalid user X from ADDR: a login attempt for an account that does not exist',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: SSHD,
    literal: 'nvalid user ',
    pattern: S`^[Ii]nvalid user ${USER} from (?<ip>\S{1,255})(?: port (?<port>\d{1,5}))?$`,
    examples: {
      match: [
        { message: 'Invalid user admin from 203.0.113.45 port 50122', expect: { ip: '203.0.113.45', port: 50122, user: 'admin' } },
        { message: 'Invalid user oracle from 2001:db8:4c1::17 port 41822', expect: { ip: '2001:db8:4c1::17', user: 'oracle' } },
        { message: 'Invalid user webmaster from 173.234.31.186', expect: { ip: '173.234.31.186', port: null, user: 'webmaster' } },
        { message: 'Invalid user  from 198.51.100.23 port 40012', expect: { user: null } },
      ],
      noMatch: ['Received disconnect from 203.0.113.45 port 50122:11: Bye Bye [preauth]'],
    },
  },
  {
    id: 'sshd.input_userauth_invalid',
    family: 'sshd',
    description: 'input_userauth_request: invalid user X [preauth] (older OpenSSH; no address, logged next to "Invalid user")',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: SSHD,
    literal: 'input_userauth_request: invalid user ',
    pattern: S`^input_userauth_request: invalid user (?<user>.{0,128}?)(?: \[preauth\])?$`,
    examples: {
      match: [{ message: 'input_userauth_request: invalid user test9 [preauth]', expect: { user: 'test9', ip: null } }],
    },
  },
  {
    id: 'sshd.closed_authenticating',
    family: 'sshd',
    description: 'Connection closed/reset by authenticating user ... [preauth]: the client gave up during authentication',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'by authenticating user ',
    pattern: S`^Connection (?:closed|reset) by authenticating user ${USER} (?<ip>\S{1,255}) port (?<port>\d{1,5})(?: \[preauth\])?$`,
    examples: {
      match: [
        { message: 'Connection closed by authenticating user root 203.0.113.45 port 50130 [preauth]', expect: { user: 'root', ip: '203.0.113.45', port: 50130 } },
        { message: 'Connection reset by authenticating user git 2001:db8::8 port 61022 [preauth]', expect: { user: 'git', ip: '2001:db8::8' } },
      ],
    },
  },
  {
    id: 'sshd.closed_invalid',
    family: 'sshd',
    description: 'Connection closed/reset by invalid user ... [preauth]',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: SSHD,
    literal: 'by invalid user ',
    pattern: S`^Connection (?:closed|reset) by invalid user ${USER} (?<ip>\S{1,255}) port (?<port>\d{1,5})(?: \[preauth\])?$`,
    examples: {
      match: [{ message: 'Connection closed by invalid user admin 203.0.113.45 port 50122 [preauth]', expect: { user: 'admin', ip: '203.0.113.45' } }],
    },
  },
  {
    id: 'sshd.max_attempts',
    family: 'sshd',
    description: 'error: maximum authentication attempts exceeded',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'maximum authentication attempts exceeded',
    pattern: S`^error: maximum authentication attempts exceeded for (?:invalid user )?${USER}${TAIL}(?: \[preauth\])?$`,
    examples: {
      match: [
        { message: 'error: maximum authentication attempts exceeded for root from 203.0.113.45 port 50130 ssh2 [preauth]', expect: { user: 'root', port: 50130 } },
        { message: 'error: maximum authentication attempts exceeded for invalid user pi from 2001:db8::77 port 52000 ssh2 [preauth]', expect: { user: 'pi', ip: '2001:db8::77' } },
      ],
    },
  },
  {
    id: 'sshd.too_many_failures',
    family: 'sshd',
    description: 'Disconnecting (authenticating|invalid) user ...: Too many authentication failures (OpenSSH 7.5+)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'Too many authentication failures',
    pattern: S`^Disconnecting (?:authenticating|invalid) user (?<user>.{0,128}) (?<ip>\S{1,255}) port (?<port>\d{1,5}): Too many authentication failures`,
    examples: {
      match: [
        { message: 'Disconnecting authenticating user root 203.0.113.45 port 50130: Too many authentication failures [preauth]', expect: { user: 'root', ip: '203.0.113.45' } },
        { message: 'Disconnecting invalid user admin 198.51.100.23 port 40111: Too many authentication failures [preauth]', expect: { user: 'admin' } },
      ],
    },
  },
  {
    id: 'sshd.too_many_failures_old',
    family: 'sshd',
    description: 'Disconnecting: Too many authentication failures for USER [preauth] (older OpenSSH; no address)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'Disconnecting: Too many authentication failures',
    pattern: S`^Disconnecting: Too many authentication failures(?: for (?:invalid user )?(?<user>.{0,128}?))?(?: \[preauth\])?$`,
    examples: {
      match: [
        { message: 'Disconnecting: Too many authentication failures for admin [preauth]', expect: { user: 'admin', ip: null } },
        { message: 'Disconnecting: Too many authentication failures for root [preauth]', expect: { user: 'root' } },
      ],
    },
  },
  {
    id: 'sshd.pam_failure',
    family: 'sshd',
    description: 'error: PAM: Authentication failure for USER from ADDR (keyboard-interactive through PAM)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'PAM: Authentication failure for ',
    pattern: S`^error: PAM: Authentication failure for (?:illegal user |invalid user )?${USER} from (?<ip>\S{1,255})$`,
    examples: {
      match: [
        { message: 'error: PAM: Authentication failure for root from 203.0.113.45', expect: { user: 'root', ip: '203.0.113.45' } },
        { message: 'error: PAM: Authentication failure for illegal user guest from 2001:db8::5', expect: { user: 'guest' } },
      ],
    },
  },
  {
    id: 'sshd.not_allowed',
    family: 'sshd',
    description: 'User X [from ADDR] not allowed because ... (DenyUsers, AllowGroups, locked account, root login disabled)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: ' not allowed because ',
    pattern: S`^User (?<user>\S{1,128})(?: from (?<ip>\S{1,255}))? not allowed because `,
    examples: {
      match: [
        { message: 'User root from 203.0.113.45 not allowed because not listed in AllowUsers', expect: { user: 'root', ip: '203.0.113.45' } },
        { message: 'User root not allowed because account is locked', expect: { user: 'root', ip: null } },
        { message: 'User backup from 2001:db8::99 not allowed because a group is not listed in AllowGroups', expect: { user: 'backup' } },
      ],
    },
  },
  {
    id: 'sshd.root_refused',
    family: 'sshd',
    description: 'ROOT LOGIN REFUSED FROM ADDR (PermitRootLogin no)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'ROOT LOGIN REFUSED',
    pattern: S`^ROOT LOGIN REFUSED FROM (?<ip>\S{1,255}?)(?: port (?<port>\d{1,5}))?$`,
    examples: {
      match: [
        { message: 'ROOT LOGIN REFUSED FROM 203.0.113.45 port 50300', expect: { ip: '203.0.113.45', port: 50300 } },
        { message: 'ROOT LOGIN REFUSED FROM 2001:db8::45', expect: { ip: '2001:db8::45' } },
      ],
    },
  },
  {
    id: 'sshd.accepted',
    family: 'sshd',
    description: 'Accepted password/publickey/keyboard-interactive: a successful login (as root: auth.root_login)',
    type: 'auth.success',
    outcome: 'success',
    programs: SSHD,
    literal: 'Accepted ',
    pattern: S`^Accepted ${METHOD} for (?<user>\S{1,128})${TAIL}(?:: [^\n]{0,512})?$`,
    examples: {
      match: [
        { message: 'Accepted password for deploy from 203.0.113.45 port 50200 ssh2', expect: { type: 'auth.success', user: 'deploy', ip: '203.0.113.45', port: 50200 } },
        { message: 'Accepted publickey for root from 2001:db8::10 port 60422 ssh2: ED25519 SHA256:3bNLxqg0oI4v1gE2cV9vK6e8N7u5Y2xJrQkH0dZl1sM', expect: { type: 'auth.root_login', user: 'root', count: 1 } },
        { message: 'Accepted keyboard-interactive/pam for alice from 198.51.100.8 port 51515 ssh2', expect: { type: 'auth.success', user: 'alice' } },
        { program: 'sshd-session', message: 'Accepted publickey for git from 192.0.2.10 port 42424 ssh2: RSA SHA256:AbCdEfGh', expect: { user: 'git' } },
      ],
      noMatch: [
        { program: null, format: 'access', message: 'GET /sshd[1]:%20Accepted%20password%20for%20root HTTP/1.1 404' },
        { program: 'myapp', message: 'sshd[1]: Accepted password for root from 203.0.113.9 port 22 ssh2' },
      ],
    },
  },
  {
    id: 'sshd.gave_up',
    family: 'sshd',
    description: 'The client gave up after its authentication methods failed (disconnect reason 14, or a library saying Auth fail), before logging in',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    // What the pattern's reasons hold, not `Received disconnect from `: every session that ends writes that, and
    // the pattern would then run on each of them for nothing.
    literal: ['authentication methods available', 'JSchException: Auth fail'],
    pattern: S`^(?:error: )?Received disconnect from (?<ip>\S{1,255}?)(?: port (?<port>\d{1,5}))?: ?\d{1,3}: (?:No more user authentication methods available|No supported authentication methods available|com\.jcraft\.jsch\.JSchException: Auth fail)`,
    examples: {
      match: [
        { message: 'error: Received disconnect from 103.99.0.122: 14: No more user authentication methods available. [preauth]', expect: { ip: '103.99.0.122', port: null } },
        { message: 'Received disconnect from 2001:db8:4c1::17 port 41822:14: No supported authentication methods available [preauth]', expect: { ip: '2001:db8:4c1::17', port: 41822 } },
        { message: 'error: Received disconnect from 195.154.37.122: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]', expect: { ip: '195.154.37.122' } },
      ],
      noMatch: [
        'Received disconnect from 203.0.113.45 port 50122:11: Bye Bye [preauth]',
        'Received disconnect from 198.51.100.23 port 55410:11: disconnected by user',
      ],
    },
  },
  {
    id: 'sshd.pam_max_retries',
    family: 'sshd',
    description: 'PAM saw more failed attempts on one connection than its max retries (the address is on the failure lines before it)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: SSHD,
    literal: 'ignoring max retries',
    pattern: S`^PAM service\(sshd\) ignoring max retries; \d{1,9} > \d{1,9}$`,
    examples: {
      match: ['PAM service(sshd) ignoring max retries; 6 > 3'],
      noMatch: ['PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=183.62.140.253  user=root'],
    },
  },
];
