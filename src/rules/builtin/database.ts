// Database server rules: MySQL/MariaDB, PostgreSQL and MongoDB authentication failures. Their error logs are often
// files of their own (unparsed, or JSON for MongoDB 4.4+), so the rules also take records without a program.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
// The servers' program names, and null: their own log files arrive unparsed.
const MYSQL = ['mysqld', 'mariadbd', 'mysql', 'mariadb', null];
const POSTGRES = ['postgres', 'postgresql*', 'postmaster', null];
const MONGODB = ['mongod', 'mongodb', 'mongos', null];

export const databaseRules: readonly RuleSpec[] = [
  {
    id: 'db.mysql_access_denied',
    family: 'database',
    description: "MySQL/MariaDB: Access denied for user 'U'@'HOST' (using password: YES)",
    type: 'auth.failure',
    outcome: 'failure',
    programs: MYSQL,
    literal: "Access denied for user '",
    pattern: S`Access denied for user '(?<user>[^'\n]{0,64})'@'(?<ip>[^'\n]{1,255})'`,
    examples: {
      match: [
        { program: 'mysqld', message: "2026-11-23T10:00:00.123456Z 12 [Note] [MY-010926] [Server] Access denied for user 'root'@'203.0.113.9' (using password: YES)", expect: { user: 'root', ip: '203.0.113.9' } },
        { program: null, message: "2026-11-23 10:00:00 31 [Warning] Access denied for user 'app'@'2001:db8::33' (using password: YES)", expect: { user: 'app', ip: '2001:db8::33' } },
      ],
    },
  },
  {
    id: 'db.mysql_host_not_allowed',
    family: 'database',
    description: "MySQL/MariaDB: Host 'ADDR' is not allowed to connect to this server",
    type: 'auth.failure',
    outcome: 'failure',
    programs: MYSQL,
    literal: ' is not allowed to connect to this ',
    pattern: S`Host '(?<ip>[^'\n]{1,255})' is not allowed to connect to this (?:MySQL|MariaDB) server`,
    examples: { match: [{ program: 'mysqld', message: "Host '198.51.100.61' is not allowed to connect to this MariaDB server", expect: { ip: '198.51.100.61' } }] },
  },
  {
    id: 'db.postgres_auth_failed',
    family: 'database',
    description: 'PostgreSQL: FATAL: password (or peer, ident, ...) authentication failed for user "U" (auth.failure, not app.fatal)',
    type: 'auth.failure',
    outcome: 'failure',
    programs: POSTGRES,
    literal: ' authentication failed for user "',
    pattern: S`\b(?:[Pp]assword|[Pp]eer|[Ii]dent|LDAP|PAM|RADIUS|GSSAPI|SSPI|[Cc]ertificate|MD5|SCRAM) authentication failed for user "(?<user>[^"\n]{0,64})"`,
    examples: {
      match: [
        { program: 'postgres', level: 'critical', message: '[3-1] FATAL:  password authentication failed for user "postgres"', expect: { user: 'postgres', type: 'auth.failure' } },
        { program: null, message: '2026-11-23 10:00:00.123 UTC [4242] app@shop FATAL:  Peer authentication failed for user "app"', expect: { user: 'app' } },
      ],
    },
  },
  {
    id: 'db.postgres_no_hba',
    family: 'database',
    description: 'PostgreSQL: no pg_hba.conf entry for host "ADDR", user "U": a connection from where it is not allowed',
    type: 'auth.failure',
    outcome: 'failure',
    programs: POSTGRES,
    literal: 'no pg_hba.conf entry for host "',
    pattern: S`no pg_hba\.conf entry for host "(?<ip>[^"\n]{1,255})", user "(?<user>[^"\n]{0,64})"`,
    examples: { match: [{ program: 'postgres', message: 'FATAL:  no pg_hba.conf entry for host "203.0.113.9", user "postgres", database "postgres", SSL off', expect: { ip: '203.0.113.9', user: 'postgres' } }] },
  },
  {
    id: 'db.postgres_role_missing',
    family: 'database',
    description: 'PostgreSQL: FATAL: role "X" does not exist (a login as an unknown role; an ERROR from SQL is not one)',
    type: 'auth.invalid_user',
    outcome: 'failure',
    programs: POSTGRES,
    literal: '" does not exist',
    pattern: S`FATAL:\s{1,3}role "(?<user>[^"\n]{0,64})" does not exist`,
    examples: {
      match: [{ program: 'postgres', message: 'FATAL:  role "admin" does not exist', expect: { user: 'admin' } }],
      noMatch: [{ program: 'postgres', message: 'ERROR:  role "reporting" does not exist' }],
    },
  },
  {
    id: 'db.mongodb_auth_failed_json',
    family: 'database',
    description: 'MongoDB 4.4+ JSON log: "Authentication failed" (ACCESS component): user and address from attr',
    type: 'auth.failure',
    outcome: 'failure',
    programs: MONGODB,
    where: { c: 'ACCESS' },
    pattern: S`^Authentication failed$`,
    take: { user: 'attr.principalName', ip: 'attr.remote' },
    examples: {
      match: [
        { format: 'json', program: 'mongod', message: 'Authentication failed', fields: { c: 'ACCESS', id: '20249', 'attr.principalName': 'admin', 'attr.remote': '203.0.113.9:51234', 'attr.mechanism': 'SCRAM-SHA-256' }, expect: { user: 'admin', ip: '203.0.113.9', port: 51234 } },
      ],
    },
  },
  {
    id: 'db.mongodb_failed_to_authenticate_json',
    family: 'database',
    description: 'MongoDB 5.0+ JSON log: "Failed to authenticate": user and address from attr',
    type: 'auth.failure',
    outcome: 'failure',
    programs: MONGODB,
    where: { c: 'ACCESS' },
    pattern: S`^Failed to authenticate$`,
    take: { user: 'attr.user', ip: 'attr.client' },
    examples: {
      match: [
        { format: 'json', program: 'mongod', message: 'Failed to authenticate', fields: { c: 'ACCESS', 'attr.user': 'root', 'attr.client': '[2001:db8::9]:40000' }, expect: { user: 'root', ip: '2001:db8::9', port: 40000 } },
      ],
    },
  },
  {
    id: 'db.mongodb_auth_failed_text',
    family: 'database',
    description: 'MongoDB (before 4.4): SASL MECH authentication failed for USER on DB from client ADDR:PORT',
    type: 'auth.failure',
    outcome: 'failure',
    programs: MONGODB,
    literal: ' from client ',
    pattern: S`authentication failed for (?<user>\S{1,128}) on \S{1,64} from client (?<ip>\S{1,255})`,
    examples: {
      match: [
        { program: null, message: '2020-01-02T10:00:00.000+0000 I ACCESS  [conn12] SASL SCRAM-SHA-1 authentication failed for admin on admin from client 203.0.113.9:51234 ; AuthenticationFailed: SCRAM-SHA-1 authentication failed, storedKey mismatch', expect: { user: 'admin', ip: '203.0.113.9', port: 51234 } },
      ],
    },
  },
  {
    id: 'db.mongodb_failed_to_authenticate_text',
    family: 'database',
    description: 'MongoDB 3.x: Failed to authenticate USER@DB from client ADDR:PORT',
    type: 'auth.failure',
    outcome: 'failure',
    programs: MONGODB,
    literal: 'Failed to authenticate ',
    pattern: S`Failed to authenticate (?<user>[^@\s]{1,128})@\S{1,64} from client (?<ip>\S{1,255})`,
    examples: {
      match: [{ program: null, message: '2019-05-01T10:00:00.000+0000 I ACCESS [conn3] Failed to authenticate root@admin from client 198.51.100.3:40001 with mechanism SCRAM-SHA-1: AuthenticationFailed: SCRAM-SHA-1 authentication failed, storedKey mismatch', expect: { user: 'root', port: 40001 } }],
    },
  },
];
