// Builds SecurityEvents and runs the detectors on them, for detector tests: times are written as minutes:seconds
// after a fixed hour, so that tests read like logs.
import { defaultConfig, loadDetectorConfig, type DetectorConfig } from '../../src/detectors/config.js';
import { createDetectors } from '../../src/detectors/detectors.js';
import type { Alert, EventType, LogRecord, Outcome, SecurityEvent } from '../../src/types.js';

export const BASE = Date.parse('2026-03-01T10:00:00Z');

/** '05:30' -> 10:05:30 UTC as ISO */
export function at(mmss: string): string {
  const [m, s] = mmss.split(':').map(Number) as [number, number];
  return new Date(BASE + m * 60_000 + s * 1000).toISOString();
}

export function ev(type: EventType, time: string | null, o: { ip?: string; user?: string; phone?: string; outcome?: Outcome; file?: string; line?: number } = {}): SecurityEvent {
  const outcome: Outcome = o.outcome ?? (type === 'auth.failure' || type === 'auth.invalid_user' ? 'failure' : type === 'auth.success' ? 'success' : 'unknown');
  return {
    type, severity: 'medium', outcome, time, timeMs: time === null || Number.isNaN(Date.parse(time)) ? null : Date.parse(time), source: { ip: o.ip ?? null, port: null }, user: o.user ?? null, host: null,
    program: 'sshd', pid: null, phone: o.phone ?? null, rule: 'test', message: `${type} ${o.user ?? ''} ${o.ip ?? ''}`.trim(),
    file: o.file ?? 'auth.log', line: o.line ?? 1,
  };
}

export function record404(ip: string, time: number, line: number, status = '404'): LogRecord {
  return {
    file: 'access.log', line, format: 'web-access', time, host: null, program: null, pid: null, level: null,
    message: `GET /probe${line} HTTP/1.1 ${status}`, fields: { ip, status }, raw: '',
  };
}

export function config(...settings: string[]): DetectorConfig {
  return settings.length === 0 ? defaultConfig() : loadDetectorConfig({ settings, cwd: '/' });
}

export function run(events: readonly SecurityEvent[], cfg: DetectorConfig = defaultConfig()): Alert[] {
  const alerts: Alert[] = [];
  const d = createDetectors(cfg, (a) => alerts.push(a));
  for (const e of events) d.event(e);
  return alerts;
}

/** n failures from ip, one every `every` seconds from minute `from`, users from `users` in turn. */
export function failures(n: number, ip: string, o: { from?: number; every?: number; users?: readonly string[]; file?: string; firstLine?: number } = {}): SecurityEvent[] {
  const out: SecurityEvent[] = [];
  const users = o.users ?? ['root'];
  for (let i = 0; i < n; i++) {
    const t = new Date(BASE + (o.from ?? 0) * 60_000 + i * (o.every ?? 10) * 1000).toISOString();
    out.push(ev('auth.failure', t, { ip, user: users[i % users.length]!, file: o.file, line: (o.firstLine ?? 1) + i }));
  }
  return out;
}

export const ids = (alerts: readonly Alert[]): string[] => alerts.map((a) => `${a.id} ${a.key}`);
