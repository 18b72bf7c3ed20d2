// auditd rules, on the fields the auditd format extracts (audit_type, res, acct -> user, addr -> ip): logins,
// account changes, commands run through sudo, abnormal ends. No pattern: the record type and result say it all.
import type { RuleExample, RuleSpec } from '../spec.js';

/** An auditd example record: the fields the auditd format gives for such a line. */
function audit(type: string, res: string, extra: Record<string, string>, expect?: RuleExample['expect']): RuleExample {
  const example: RuleExample = {
    format: 'auditd',
    program: extra.exe === undefined ? 'auditd' : extra.exe.slice(extra.exe.lastIndexOf('/') + 1),
    message: `pid=4242 uid=0 auid=4294967295 ses=4294967295 msg='res=${res}'`,
    fields: { audit_type: type, res, ...extra },
  };
  return expect === undefined ? example : { ...example, expect };
}

const FAILED = ['failed', 'fail', 'no'];
const SUCCESS = ['success', 'yes'];

export const auditdRules: readonly RuleSpec[] = [
  {
    id: 'auditd.login_failed',
    family: 'auditd',
    description: 'USER_LOGIN / USER_AUTH / USER_ACCT res=failed: a failed login or authentication',
    type: 'auth.failure',
    outcome: 'failure',
    where: { audit_type: ['USER_LOGIN', 'USER_AUTH', 'USER_ACCT'], res: FAILED },
    examples: {
      match: [
        audit('USER_LOGIN', 'failed', { exe: '/usr/sbin/sshd', acct: 'root', user: 'root', addr: '203.0.113.9', ip: '203.0.113.9', terminal: 'ssh' }, { user: 'root', ip: '203.0.113.9' }),
        audit('USER_AUTH', 'failed', { exe: '/usr/sbin/sshd', acct: 'admin', user: 'admin', addr: '2001:db8::9', ip: '2001:db8::9' }, { user: 'admin', ip: '2001:db8::9' }),
        audit('USER_ACCT', 'failed', { exe: '/usr/bin/su', acct: 'bob', user: 'bob' }),
      ],
      noMatch: [audit('USER_AUTH', 'success', { exe: '/usr/sbin/sshd', acct: 'bob', user: 'bob' })],
    },
  },
  {
    id: 'auditd.login',
    family: 'auditd',
    description: 'USER_LOGIN res=success: a successful login (root: auth.root_login)',
    type: 'auth.success',
    outcome: 'success',
    where: { audit_type: 'USER_LOGIN', res: SUCCESS },
    examples: {
      match: [
        audit('USER_LOGIN', 'success', { exe: '/usr/sbin/sshd', acct: 'deploy', user: 'deploy', addr: '198.51.100.4', ip: '198.51.100.4' }, { type: 'auth.success', user: 'deploy' }),
        audit('USER_LOGIN', 'success', { exe: '/usr/sbin/sshd', acct: 'root', user: 'root', addr: '198.51.100.4', ip: '198.51.100.4' }, { type: 'auth.root_login', count: 1 }),
      ],
    },
  },
  {
    id: 'auditd.add_user',
    family: 'auditd',
    description: 'ADD_USER / ADD_GROUP res=success',
    type: 'account.created',
    outcome: 'success',
    where: { audit_type: ['ADD_USER', 'ADD_GROUP'], res: SUCCESS },
    examples: { match: [audit('ADD_USER', 'success', { exe: '/usr/sbin/useradd', acct: 'backup2', user: 'backup2', op: 'add-user' }, { user: 'backup2' }), audit('ADD_GROUP', 'success', { exe: '/usr/sbin/groupadd', acct: 'devs', op: 'add-group' })] },
  },
  {
    id: 'auditd.del_user',
    family: 'auditd',
    description: 'DEL_USER / DEL_GROUP res=success',
    type: 'account.deleted',
    outcome: 'success',
    where: { audit_type: ['DEL_USER', 'DEL_GROUP'], res: SUCCESS },
    examples: { match: [audit('DEL_USER', 'success', { exe: '/usr/sbin/userdel', acct: 'backup2', user: 'backup2', op: 'delete-user' })] },
  },
  {
    id: 'auditd.user_mgmt',
    family: 'auditd',
    description: 'USER_MGMT / GRP_MGMT / USER_CHAUTHTOK res=success: an account changed or a password set',
    type: 'account.modified',
    outcome: 'success',
    where: { audit_type: ['USER_MGMT', 'GRP_MGMT', 'USER_CHAUTHTOK'], res: SUCCESS },
    examples: { match: [audit('USER_CHAUTHTOK', 'success', { exe: '/usr/bin/passwd', acct: 'alice', user: 'alice', op: 'PAM:chauthtok' })] },
  },
  {
    id: 'auditd.user_cmd',
    family: 'auditd',
    description: 'USER_CMD res=success: a command run through sudo',
    type: 'priv.sudo',
    outcome: 'success',
    where: { audit_type: 'USER_CMD', res: SUCCESS },
    examples: { match: [audit('USER_CMD', 'success', { exe: '/usr/bin/sudo', cmd: '/usr/bin/id', cwd: '/home/bob', user: 'bob', terminal: 'pts/0' }, { user: 'bob' })] },
  },
  {
    id: 'auditd.user_cmd_failed',
    family: 'auditd',
    description: 'USER_CMD res=failed: sudo refused a command',
    type: 'priv.sudo_failure',
    outcome: 'failure',
    where: { audit_type: 'USER_CMD', res: FAILED },
    examples: { match: [audit('USER_CMD', 'failed', { exe: '/usr/bin/sudo', cmd: '/bin/bash', user: 'intern' })] },
  },
  {
    id: 'auditd.anom_abend',
    family: 'auditd',
    description: 'ANOM_ABEND: a process ended abnormally (crash, core dump)',
    type: 'system.crash',
    outcome: 'unknown',
    where: { audit_type: 'ANOM_ABEND' },
    examples: { match: [{ format: 'auditd', program: 'nginx', message: 'auid=4294967295 uid=33 gid=33 ses=4294967295 pid=2331 comm="nginx" exe="/usr/sbin/nginx" sig=11 res=1', fields: { audit_type: 'ANOM_ABEND', comm: 'nginx', exe: '/usr/sbin/nginx', sig: '11', res: '1' } }] },
  },
];
