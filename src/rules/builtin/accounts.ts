// shadow-utils rules: users and groups created, deleted and changed, passwords changed. Only the line that states
// the change counts; the bookkeeping lines around it (`group added to /etc/gshadow`, `add 'x' to shadow group`)
// give no event.
import type { RuleSpec } from '../spec.js';

const S = String.raw;

export const accountRules: readonly RuleSpec[] = [
  {
    id: 'accounts.new_user',
    family: 'accounts',
    description: 'useradd: new user: name=X, UID=...',
    type: 'account.created',
    outcome: 'success',
    programs: ['useradd', 'adduser', 'newusers'],
    literal: 'new user: name=',
    pattern: S`^new user: name=(?<user>[^,\s]{1,64}),`,
    examples: {
      match: [{ message: 'new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash, from=/dev/pts/0', expect: { user: 'backup2' } }],
    },
  },
  {
    id: 'accounts.new_group',
    family: 'accounts',
    description: 'useradd/groupadd: new group: name=X, GID=...',
    type: 'account.created',
    outcome: 'success',
    programs: ['useradd', 'groupadd', 'adduser', 'newusers'],
    literal: 'new group: name=',
    pattern: S`^new group: name=[^,\s]{1,64},`,
    examples: {
      match: [{ message: 'new group: name=backup2, GID=1002' }, { program: 'groupadd', message: 'new group: name=developers, GID=1005' }],
      noMatch: [{ program: 'groupadd', message: 'group added to /etc/gshadow: name=developers' }],
    },
  },
  {
    id: 'accounts.delete_user',
    family: 'accounts',
    description: "userdel: delete user 'X'",
    type: 'account.deleted',
    outcome: 'success',
    programs: ['userdel', 'deluser'],
    literal: 'delete user ',
    pattern: S`^delete user '(?<user>[^'\n]{1,64})'`,
    examples: {
      match: [{ message: "delete user 'backup2'", expect: { user: 'backup2' } }],
      noMatch: ["removed group 'backup2' owned by 'backup2'", "delete 'backup2' from group 'sudo'"],
    },
  },
  {
    id: 'accounts.delete_group',
    family: 'accounts',
    description: "groupdel: group 'X' removed",
    type: 'account.deleted',
    outcome: 'success',
    programs: ['groupdel', 'delgroup'],
    literal: ' removed',
    pattern: S`^group '[^'\n]{1,64}' removed\s{0,2}$`,
    examples: {
      match: ["group 'developers' removed"],
      noMatch: ["group 'developers' removed from /etc/group"],
    },
  },
  {
    id: 'accounts.usermod',
    family: 'accounts',
    description: "usermod: change user 'X' ..., add 'X' to group 'G', lock/unlock user 'X'",
    type: 'account.modified',
    outcome: 'success',
    programs: ['usermod'],
    literal: "'",
    // usermod says each group change twice, for /etc/group and /etc/gshadow: only `to group` / `from group` count.
    // Its other messages go on with `to 'NEW'` (a new name) or a word that starts with neither t nor f (shell, UID,
    // password). Spelt out rather than a look-ahead, which recheck cannot prove.
    pattern: S`^(?:change user(?: name)?|(?:un)?lock user|add|delete) '(?<user>[^'\n]{1,64})' (?:to (?:group |')|from group |[^tf\s])`,
    examples: {
      match: [
        { message: "add 'deploy' to group 'sudo'", expect: { user: 'deploy' } },
        { message: "delete 'intern' from group 'docker'", expect: { user: 'intern' } },
        { message: "change user 'www-data' shell from '/usr/sbin/nologin' to '/bin/bash'", expect: { user: 'www-data' } },
        { message: "change user 'alice' UID from '1001' to '1501'", expect: { user: 'alice' } },
        { message: "lock user 'intern' password", expect: { user: 'intern' } },
        { message: "unlock user 'intern' password", expect: { user: 'intern' } },
        { message: "change user name 'bob' to 'robert'", expect: { user: 'bob' } },
      ],
      noMatch: ["add 'deploy' to shadow group 'sudo'", "delete 'intern' from shadow group 'docker'"],
    },
  },
  {
    id: 'accounts.password_changed',
    family: 'accounts',
    description: 'pam_unix(passwd|chpasswd:chauthtok): password changed for X',
    type: 'account.modified',
    outcome: 'success',
    literal: ':chauthtok): password changed for ',
    pattern: S`^pam_(?:unix|sss|ldap)\([\w.-]{1,40}:chauthtok\): password changed for (?<user>\S{1,64})`,
    examples: {
      match: [
        { program: 'passwd', message: 'pam_unix(passwd:chauthtok): password changed for alice', expect: { user: 'alice' } },
        { program: 'chpasswd', message: 'pam_unix(chpasswd:chauthtok): password changed for root', expect: { user: 'root' } },
      ],
    },
  },
  {
    id: 'accounts.password_changed_shadow',
    family: 'accounts',
    description: "passwd/chage without PAM: password for 'X' changed by 'Y', changed password expiry for X",
    type: 'account.modified',
    outcome: 'success',
    programs: ['passwd', 'chpasswd', 'chage'],
    literal: 'password ',
    pattern: S`^(?:password for '(?<user>[^'\n]{1,64})' changed by '|changed password expiry for )`,
    examples: { match: [{ message: "password for 'alice' changed by 'root'", expect: { user: 'alice' } }, { program: 'chage', message: 'changed password expiry for alice' }] },
  },
  {
    id: 'accounts.gpasswd',
    family: 'accounts',
    description: 'gpasswd: user X added to / removed from group G, members or administrators of group G set',
    type: 'account.modified',
    outcome: 'success',
    programs: ['gpasswd'],
    literal: ' by ',
    pattern: S`^(?:user (?<user>\S{1,64}) (?:added|removed) by \S{1,64} (?:to|from) group |(?:members|administrators|password) of group \S{1,64} (?:set|changed|removed) by )`,
    examples: {
      match: [
        { message: 'user bob added by root to group docker', expect: { user: 'bob' } },
        { message: 'members of group developers set by root to alice,bob', expect: { user: null } },
      ],
    },
  },
  {
    id: 'accounts.groupmod',
    family: 'accounts',
    description: 'groupmod: group changed in /etc/group (...)',
    type: 'account.modified',
    outcome: 'success',
    programs: ['groupmod'],
    literal: 'group changed in ',
    pattern: S`^group changed in /etc/group `,
    examples: { match: ['group changed in /etc/group (group developers/1005, new name: devs)'] },
  },
];
