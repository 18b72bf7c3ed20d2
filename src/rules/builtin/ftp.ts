// FTP server rules: vsftpd, ProFTPD and Pure-FTPd logins and failures. They often log to their own files (then the
// lines are unparsed), so the rules also take records without a program.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const IP = S`[0-9A-Fa-f.:]{2,45}`;
// ProFTPD: `host.example.com (client.example.net[ADDR]) - ...`
const PROFTPD_CLIENT = S`\([^\[\s()]{0,255}\[(?<ip>${IP})\]\) - `;

export const ftpRules: readonly RuleSpec[] = [
  {
    id: 'ftp.vsftpd_fail_login',
    family: 'ftp',
    description: 'vsftpd: [USER] FAIL LOGIN: Client "ADDR"',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['vsftpd', null],
    literal: '] FAIL LOGIN: Client "',
    pattern: S`\[(?<user>[^\[\]\n]{0,64})\] FAIL LOGIN: Client "(?<ip>[^"\n]{1,64})"`,
    examples: {
      match: [
        { program: 'vsftpd', message: '[bob] FAIL LOGIN: Client "203.0.113.9"', expect: { user: 'bob', ip: '203.0.113.9' } },
        { program: null, message: 'Sat Nov 23 10:00:00 2026 [pid 4242] [anonymous] FAIL LOGIN: Client "::ffff:198.51.100.7"', expect: { user: 'anonymous', ip: '198.51.100.7' } },
      ],
    },
  },
  {
    id: 'ftp.vsftpd_ok_login',
    family: 'ftp',
    description: 'vsftpd: [USER] OK LOGIN: Client "ADDR" (root: auth.root_login)',
    type: 'auth.success',
    outcome: 'success',
    programs: ['vsftpd', null],
    literal: '] OK LOGIN: Client "',
    pattern: S`\[(?<user>[^\[\]\n]{1,64})\] OK LOGIN: Client "(?<ip>[^"\n]{1,64})"`,
    examples: { match: [{ program: 'vsftpd', message: '[alice] OK LOGIN: Client "2001:db8::21"', expect: { user: 'alice', ip: '2001:db8::21' } }] },
  },
  {
    id: 'ftp.proftpd_login_failed',
    family: 'ftp',
    description: 'proftpd: USER X (Login failed): Incorrect password / Maximum login attempts exceeded',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['proftpd', null],
    literal: [' (Login failed)', 'Maximum login attempts'],
    pattern: S`${PROFTPD_CLIENT}(?:USER (?<user>\S{1,64}) \(Login failed\)|Maximum login attempts \(\d{1,4}\) exceeded)`,
    examples: {
      match: [
        { program: 'proftpd', message: 'ftp.example.com (203.0.113.9[203.0.113.9]) - USER bob (Login failed): Incorrect password', expect: { user: 'bob', ip: '203.0.113.9' } },
        { program: 'proftpd', message: 'ftp.example.com (client.example.net[2001:db8::9]) - Maximum login attempts (3) exceeded, connection refused', expect: { user: null, ip: '2001:db8::9' } },
      ],
    },
  },
  {
    id: 'ftp.proftpd_no_such_user',
    family: 'ftp',
    description: 'proftpd: USER X: no such user found',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: ['proftpd', null],
    literal: ': no such user found',
    pattern: S`${PROFTPD_CLIENT}USER (?<user>\S{1,64}): no such user found`,
    examples: { match: [{ program: 'proftpd', message: 'ftp.example.com (203.0.113.9[203.0.113.9]) - USER oracle: no such user found from 203.0.113.9 [203.0.113.9] to 10.0.0.5:21', expect: { user: 'oracle' } }] },
  },
  {
    id: 'ftp.proftpd_login_ok',
    family: 'ftp',
    description: 'proftpd: USER X: Login successful',
    type: 'auth.success',
    outcome: 'success',
    programs: ['proftpd', null],
    literal: ': Login successful',
    pattern: S`${PROFTPD_CLIENT}USER (?<user>\S{1,64}): Login successful`,
    examples: { match: [{ program: 'proftpd', message: 'ftp.example.com (198.51.100.2[198.51.100.2]) - USER alice: Login successful.', expect: { user: 'alice' } }] },
  },
  {
    id: 'ftp.pureftpd_auth_failed',
    family: 'ftp',
    description: 'pure-ftpd: (?@ADDR) [WARNING] Authentication failed for user [X]',
    type: 'auth.failure',
    outcome: 'failure',
    programs: ['pure-ftpd', null],
    literal: 'Authentication failed for user [',
    pattern: S`\([^@()\n]{0,64}@(?<ip>[^()\n]{1,255})\) \[WARNING\] Authentication failed for user \[(?<user>[^\[\]\n]{0,64})\]`,
    examples: { match: [{ program: 'pure-ftpd', message: '(?@203.0.113.9) [WARNING] Authentication failed for user [admin]', expect: { user: 'admin', ip: '203.0.113.9' } }] },
  },
  {
    id: 'ftp.pureftpd_logged_in',
    family: 'ftp',
    description: 'pure-ftpd: (?@ADDR) [INFO] X is now logged in',
    type: 'auth.success',
    outcome: 'success',
    programs: ['pure-ftpd', null],
    literal: ' is now logged in',
    pattern: S`\([^@()\n]{0,64}@(?<ip>[^()\n]{1,255})\) \[INFO\] (?<user>\S{1,64}) is now logged in`,
    examples: { match: [{ program: 'pure-ftpd', message: '(?@198.51.100.2) [INFO] alice is now logged in', expect: { user: 'alice', ip: '198.51.100.2' } }] },
  },
  {
    id: 'ftp.anonymous_login',
    family: 'ftp',
    description: 'ftpd: ANONYMOUS FTP LOGIN FROM ADDR (old wu-ftpd/BSD ftpd)',
    type: 'auth.success',
    outcome: 'success',
    programs: ['ftpd', 'wu-ftpd', 'in.ftpd'],
    literal: 'ANONYMOUS FTP LOGIN FROM ',
    pattern: S`^ANONYMOUS FTP LOGIN FROM (?<ip>[^\s,]{1,255})`,
    examples: { match: [{ message: 'ANONYMOUS FTP LOGIN FROM 84.102.20.2,  (anonymous)', expect: { ip: '84.102.20.2' } }] },
  },
];
