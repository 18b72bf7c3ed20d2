// OpenSSH server rules for connections that never authenticate (auth.probe): port scans, banner grabs, non-SSH
// clients, scanners offering old algorithms, clients leaving before a login, reverse DNS mismatches.
import type { RuleSpec } from '../spec.js';

const SSHD = ['sshd', 'sshd-session', 'sshd-auth'];
const S = String.raw;

export const sshdProbeRules: readonly RuleSpec[] = [
  {
    id: 'sshd.no_identification',
    family: 'sshd',
    description: 'Did not receive identification string: a connection that never spoke SSH (port scan, banner grab)',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: 'Did not receive identification string',
    pattern: S`^Did not receive identification string from (?<ip>\S{1,255}?)(?: port (?<port>\d{1,5}))?$`,
    examples: {
      match: [
        { message: 'Did not receive identification string from 198.51.100.7 port 61000', expect: { ip: '198.51.100.7', port: 61000 } },
        { message: 'Did not receive identification string from 123.235.32.19', expect: { ip: '123.235.32.19' } },
      ],
    },
  },
  {
    id: 'sshd.banner_exchange',
    family: 'sshd',
    description: 'banner exchange: Connection from ADDR: invalid format: the peer does not speak SSH (OpenSSH 8+)',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: 'banner exchange: ',
    pattern: S`^banner exchange: Connection from (?<ip>\S{1,255}) port (?<port>\d{1,5}): `,
    examples: {
      match: [
        { message: 'banner exchange: Connection from 203.0.113.80 port 45678: invalid format', expect: { ip: '203.0.113.80', port: 45678 } },
        { message: 'banner exchange: Connection from 2001:db8::80 port 45679: could not read protocol version', expect: { ip: '2001:db8::80' } },
      ],
    },
  },
  {
    id: 'sshd.bad_protocol',
    family: 'sshd',
    description: 'Bad protocol version identification / Protocol major versions differ: not an SSH client, or an SSH-1 scanner',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: ['Bad protocol version identification', 'Protocol major versions differ'],
    pattern: S`^(?:Bad protocol version identification .{0,300} from|Protocol major versions differ for) (?<ip>\S{1,255}) port (?<port>\d{1,5})(?:$|:)`,
    examples: {
      match: [
        { message: "Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.31 port 53544", expect: { ip: '198.51.100.31', port: 53544 } },
        { message: 'Protocol major versions differ for 198.51.100.32 port 40022: SSH-2.0-OpenSSH_8.9 vs. SSH-1.5-Nmap-SSH1-Hostkey', expect: { ip: '198.51.100.32' } },
      ],
    },
  },
  {
    id: 'sshd.kex_identification',
    family: 'sshd',
    description: 'error: kex_exchange_identification: the peer closed or sent garbage before the key exchange (no address; the next line has it)',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: 'exchange_identification: ',
    pattern: S`^(?:error: )?(?:kex|ssh)_exchange_identification: `,
    examples: {
      match: [
        'error: kex_exchange_identification: Connection closed by remote host',
        'error: kex_exchange_identification: client sent invalid protocol identifier "GET / HTTP/1.1"',
        'ssh_exchange_identification: read: Connection reset by peer',
      ],
    },
  },
  {
    id: 'sshd.unable_to_negotiate',
    family: 'sshd',
    description: 'Unable to negotiate with ADDR: no common algorithms (scanners offering old ciphers)',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: 'Unable to negotiate with ',
    pattern: S`^Unable to negotiate with (?<ip>\S{1,255}) port (?<port>\d{1,5}): `,
    examples: {
      match: ['Unable to negotiate with 198.51.100.40 port 39522: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]'],
    },
  },
  {
    id: 'sshd.closed_preauth',
    family: 'sshd',
    description: 'Connection closed/reset by ADDR [preauth] with no user: the client left before trying to log in',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: ['Connection closed by ', 'Connection reset by '],
    pattern: S`^Connection (?:closed|reset) by (?<ip>[0-9A-Fa-f.:]{2,45})(?: port (?<port>\d{1,5}))? \[preauth\]$`,
    examples: {
      match: [
        { message: 'Connection closed by 198.51.100.12 port 34788 [preauth]', expect: { ip: '198.51.100.12', port: 34788 } },
        { message: 'Connection reset by 2001:db8::12 port 34790 [preauth]', expect: { ip: '2001:db8::12' } },
        { message: 'Connection closed by 183.62.140.253 [preauth]', expect: { ip: '183.62.140.253', port: null } },
      ],
      noMatch: ['Connection closed by 198.51.100.12 port 34788', 'Connection closed by authenticating user root 203.0.113.45 port 50130 [preauth]'],
    },
  },
  {
    id: 'sshd.timeout_preauth',
    family: 'sshd',
    description: 'fatal: Timeout before authentication: a connection held open without logging in',
    type: 'auth.probe',
    outcome: 'unknown',
    programs: SSHD,
    literal: 'Timeout before authentication',
    pattern: S`^fatal: Timeout before authentication for (?<ip>\S{1,255}) port (?<port>\d{1,5})`,
    examples: { match: ['fatal: Timeout before authentication for 203.0.113.66 port 61234'] },
  },
  {
    id: 'sshd.reverse_mapping',
    family: 'sshd',
    description: 'reverse mapping checking getaddrinfo ... POSSIBLE BREAK-IN ATTEMPT: the client\'s reverse DNS does not match (low on its own)',
    type: 'auth.probe',
    severity: 'low',
    outcome: 'unknown',
    programs: SSHD,
    literal: ['reverse mapping checking', 'does not map back to the address'],
    pattern: S`^(?:reverse mapping checking getaddrinfo for \S{1,255} \[(?<ip>[0-9A-Fa-f.:]{2,45})\] failed|Address (?:[0-9A-Fa-f.:]{2,45}) maps to \S{1,255}, but this does not map back to the address)`,
    examples: {
      match: [
        { message: 'reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!', expect: { ip: '173.234.31.186' } },
        'Address 198.51.100.99 maps to host-99.example.net, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!',
      ],
    },
  },
];
