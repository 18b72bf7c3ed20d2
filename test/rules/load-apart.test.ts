// Rule files and Sigma rules loaded on a thread of their own (what a scan does) give what loading them on the scan's
// thread gives: the same compiled rules, origins and diagnostics (Sigma: the same rules and skips), and the same
// events from those rules; and if that thread cannot run, they are loaded here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtinRules } from '../../src/rules/compose.js';
import { createEngine } from '../../src/rules/engine.js';
import { loadRuleFilesApart, loadSigmaApart } from '../../src/rules/load-apart.js';
import { loadRuleFiles, type LoadedRules } from '../../src/rules/load.js';
import type { SigmaRule } from '../../src/sigma/compile.js';
import { createSigmaEngine } from '../../src/sigma/engine.js';
import { loadSigma, type LoadedSigma } from '../../src/sigma/load.js';
import type { LogRecord, SecurityEvent } from '../../src/types.js';
import { NO_FIELDS } from '../../src/types.js';
import { ROOT, fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const taken = new Set(builtinRules().map((r) => r.id));
const CASES = ['fixtures/rules/valid', ...readdirSync(fixture('rules', 'invalid')).filter((f) => f.endsWith('.yaml')).map((f) => `fixtures/rules/invalid/${f}`)];

function eventsOf(loaded: LoadedRules, messages: readonly string[]): SecurityEvent[] {
  const engine = createEngine({ rules: loaded.rules });
  const out: SecurityEvent[] = [];
  messages.forEach((message, i) => {
    const record: LogRecord = {
      file: 'vpnd.log', line: i + 1, format: 'syslog', time: Date.UTC(2026, 10, 24, 10, 0, i), host: 'gw1', program: 'vpnd', pid: 77,
      level: null, message, fields: NO_FIELDS, raw: message,
    };
    engine(record, (e) => out.push(e));
  });
  return out;
}

describe('rule files loaded on a thread of their own', () => {
  for (const path of CASES) {
    it(`${path}: the same rules, origins and diagnostics as on this thread`, async () => {
      const here = await loadRuleFiles([path], ROOT, taken);
      const apart = await loadRuleFilesApart([path], ROOT, taken);
      assert.deepStrictEqual(apart, here);
      if (path.endsWith('valid')) assert.equal(apart.rules.length, 2);
      else assert.ok(apart.diagnostics.length > 0);
    });
  }

  it('the cloned rules make the same events (patterns, flags and named groups survive the copy)', async () => {
    const messages = [
      'login failed for alice from 203.0.113.7 port 51820 (bad password)',
      'login ok for bob from 2001:db8::42 port 51820',
      'LOGIN FAILED for carol from 198.51.100.3 port 1',
      'login failed for  from 203.0.113.7 port 51820',
    ];
    const here = eventsOf(await loadRuleFiles(['fixtures/rules/valid'], ROOT, taken), messages);
    const apart = eventsOf(await loadRuleFilesApart(['fixtures/rules/valid'], ROOT, taken), messages);
    assert.deepStrictEqual(apart, here);
    assert.deepEqual(here.map((e) => [e.rule, e.user, e.source.ip]), [
      ['site.vpnd_failed', 'alice', '203.0.113.7'],
      ['site.vpnd_ok', 'bob', '2001:db8::42'],
    ]);
  });

  it('loads on this thread when the other one cannot run', async () => {
    const broken = new URL('./no-such-loader.js', import.meta.url);
    const loaded = await loadRuleFilesApart(['fixtures/rules/valid'], ROOT, taken, broken);
    assert.deepStrictEqual(loaded, await loadRuleFiles(['fixtures/rules/valid'], ROOT, taken));
  });
});

/** A Sigma rule without its closures: what can be compared. */
function plain(r: SigmaRule): unknown {
  const { match: _match, ...rest } = r;
  return rest;
}

function sigmaEvents(loaded: LoadedSigma): SecurityEvent[] {
  const engine = createSigmaEngine(loaded.rules);
  const out: SecurityEvent[] = [];
  const web = (url: string, agent: string): LogRecord => ({
    file: 'access.log', line: 1, format: 'access', time: Date.UTC(2026, 10, 23), host: null, program: null, pid: null, level: null,
    message: `GET ${url} HTTP/1.1 200`, fields: { method: 'GET', url, status: '200', ip: '198.51.100.23', agent }, raw: `GET ${url} ${agent}`,
  });
  const sshd = (message: string): LogRecord => ({
    file: 'auth.log', line: 2, format: 'syslog', time: Date.UTC(2026, 10, 23), host: 'web1', program: 'sshd', pid: 1, level: null, message, fields: NO_FIELDS, raw: message,
  });
  for (const r of [web('/cgi-bin/test.cgi', 'sqlmap/1.7'), web('/.env', 'curl'), web('/index.html', 'Mozilla'), sshd('Corrupted MAC on input. [preauth]'), sshd('Accepted publickey')]) {
    engine(r, (e) => out.push(e));
  }
  return out;
}

describe('Sigma rules loaded on a thread of their own', () => {
  it('the same rules (documents, needs, gates), the same skips, the same events', async () => {
    const here = await loadSigma(['fixtures/sigma'], ROOT);
    const apart = await loadSigmaApart(['fixtures/sigma'], ROOT);
    assert.deepStrictEqual(apart.rules.map(plain), here.rules.map(plain));
    assert.deepStrictEqual(apart.skipped, here.skipped);
    assert.ok(here.rules.length >= 6 && here.skipped.length >= 6);
    const events = sigmaEvents(here);
    assert.deepStrictEqual(sigmaEvents(apart), events);
    assert.ok(events.length >= 2, String(events.length));
  });

  it('loads on this thread when the other one cannot run', async () => {
    const apart = await loadSigmaApart(['fixtures/sigma'], ROOT, new URL('./no-such-loader.js', import.meta.url));
    assert.deepStrictEqual(apart.rules.map(plain), (await loadSigma(['fixtures/sigma'], ROOT)).rules.map(plain));
  });
});

describe('the loading thread and recheck', () => {
  // recheck starts its native agent as a child process of the thread that first checks a pattern (here the loading
  // thread: the patterns of fixtures/rules/valid have bounded repeats, so recheck analyses them). A child of a thread
  // that ended before it is never waited for: it stayed a zombie process until audit exited.
  it('leaves no child process behind once the thread has ended', { skip: process.platform !== 'linux' }, async () => {
    const dir = tempDir('audit-load-apart-');
    const script = join(dir, 'load.mjs'); // a file, not `node -e`: a worker thread inherits --input-type and fails
    writeFileSync(script, `
      import { readdirSync, readFileSync } from 'node:fs';
      import { loadRuleFilesApart } from ${JSON.stringify(new URL('../../src/rules/load-apart.js', import.meta.url).href)};
      const loaded = await loadRuleFilesApart(['fixtures/rules/valid'], ${JSON.stringify(ROOT)}, new Set());
      const children = () => readdirSync('/proc/self/task').flatMap((t) => {
        try { return readFileSync('/proc/self/task/' + t + '/children', 'utf8').trim().split(' ').filter(Boolean); } catch { return []; }
      });
      const until = Date.now() + 10000;
      while (children().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const states = children().map((pid) => { try { return readFileSync('/proc/' + pid + '/stat', 'utf8').replace(/^.*\\) /, '').slice(0, 1) + ' ' + pid; } catch { return '? ' + pid; } });
      console.log(JSON.stringify({ rules: loaded.rules.length, children: states }));
    `);
    const out = execFileSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.deepEqual(JSON.parse(out), { rules: 2, children: [] });
  });
});
