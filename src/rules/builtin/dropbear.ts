// Dropbear SSH server rules (routers, embedded boxes, initramfs): failed, unknown-user and successful logins.
// Dropbear writes the address as ADDR:PORT (IPv6 as [ADDR]:PORT); the event builder splits them.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const DROPBEAR = ['dropbear'];
const FROM = S` from <?(?<ip>[^\s>]{2,64})>?`;

export const dropbearRules: readonly RuleSpec[] = [
  {
    id: 'dropbear.bad_password',
    family: 'dropbear',
    description: "dropbear: Bad password attempt for 'USER' from ADDR:PORT",
    type: 'auth.failure',
    outcome: 'failure',
    programs: DROPBEAR,
    literal: 'password attempt for ',
    pattern: S`^Bad (?:PAM )?password attempt for '(?<user>[^'\n]{0,64})'${FROM}$`,
    examples: {
      match: [
        { message: "Bad password attempt for 'root' from 203.0.113.50:4122", expect: { user: 'root', ip: '203.0.113.50', port: 4122 } },
        { message: "Bad PAM password attempt for 'admin' from [2001:db8::50]:4123", expect: { user: 'admin', ip: '2001:db8::50', port: 4123 } },
      ],
    },
  },
  {
    id: 'dropbear.nonexistent_user',
    family: 'dropbear',
    description: "dropbear: Login attempt for nonexistent user ['USER'] from ADDR:PORT",
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: DROPBEAR,
    literal: 'Login attempt for nonexistent user',
    pattern: S`^Login attempt for nonexistent user(?: '(?<user>[^'\n]{0,64})')?${FROM}$`,
    examples: {
      match: [
        { message: 'Login attempt for nonexistent user from 203.0.113.51:5500', expect: { user: null, ip: '203.0.113.51' } },
        { message: "Login attempt for nonexistent user 'ubnt' from 198.51.100.8:41000", expect: { user: 'ubnt' } },
      ],
    },
  },
  {
    id: 'dropbear.auth_succeeded',
    family: 'dropbear',
    description: "dropbear: Password/Pubkey auth succeeded for 'USER' from ADDR:PORT (root: auth.root_login)",
    type: 'auth.success',
    outcome: 'success',
    programs: DROPBEAR,
    literal: ' auth succeeded for ',
    pattern: S`^(?:Password|Pubkey|PAM password) auth succeeded for '(?<user>[^'\n]{1,64})'(?: with key [^\n]{0,200}?)?${FROM}$`,
    examples: {
      match: [
        { message: "Password auth succeeded for 'root' from 198.51.100.2:50022", expect: { type: 'auth.root_login', ip: '198.51.100.2', port: 50022 } },
        { message: "Pubkey auth succeeded for 'admin' with key sha1!! 3a:1f:00:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa from 192.0.2.9:40100", expect: { type: 'auth.success', user: 'admin' } },
      ],
    },
  },
];
