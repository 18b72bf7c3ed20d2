// What every corpus generator is: a seeded state machine that writes one session (one or more lines) per step.
import type { LineSink } from '../line-sink.js';

export interface CorpusGenerator {
  /** Writes the lines of one session; returns false when the corpus is complete by its own measure. */
  step(sink: LineSink): boolean;
}

/** Account names that brute-force tools try, from real auth.log files (two not ASCII, as real ones are). */
export const GUESSED_USERS = [
  'admin', 'test', 'user', 'oracle', 'postgres', 'ubuntu', 'git', 'ftpuser', 'guest', 'pi', 'support', 'test1',
  'user1', 'hadoop', 'minecraft', 'es', 'elastic', 'jenkins', 'nagios', 'tomcat', 'vagrant', 'centos', 'ec2-user',
  'administrator', 'demo', 'dev', 'devops', 'ansible', 'mysql', 'redis', 'steam', 'teamspeak', 'ts3', 'webmaster',
  'www', 'zabbix', 'odoo', 'sftp', 'ftp', 'backup', 'student', 'sysadmin', 'server', 'docker', 'kafka', 'solr',
  'admin1', 'default', 'operator', 'uucp', 'Admin', 'root1', 'super', 'bitrix', 'debian', 'adm', 'mc', 'nexus',
  'админ', 'tëst',
] as const;

/** Exponential gap with the given mean, in ms: arrivals of independent sessions. */
export function gap(u: number, meanMs: number): number {
  return -Math.log(1 - u) * meanMs;
}
