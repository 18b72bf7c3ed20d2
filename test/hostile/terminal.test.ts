// Terminal injection: escape sequences, overwriting controls, bidi overrides and invisible characters in user names,
// URLs and messages are shown escaped in every human output, and NDJSON keeps the exact original text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitize } from '../../src/text/sanitize.js';
import { SSHD, UNSAFE_OUTPUT, eventsOf, put, run, scratch, summaryOf } from './helpers.js';

const dir = scratch('term');
// Each is something a terminal would act on: clear screen, move cursor, OSC 8 link, OSC 52 clipboard write, BEL,
// backspaces and a carriage return that overwrite what came before, a right-to-left override, zero-width space.
const NASTY_USER = 'ev\u001b[2J\u001b[H\u001b]52;c;cm0gLXJmIH4=\u0007il\u0008\u0008root\u202etxt.exe\u200b';
const FATAL = 'Nov 23 03:14:23 web-01 kernel: Kernel panic - not syncing: \u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u001b[31mred\u001b[0m\u0007 all good\rOK';
const WEB = '198.51.100.7 - - [23/Nov/2026:10:00:00 +0000] "GET /?q=%1b%5b2J\u001b[2J<script>alert(1)</script> HTTP/1.1" 200 5 "-" "sqlmap/1.7\u001b]0;pwned\u0007"';
const auth = put(dir, 'auth.log', [SSHD(NASTY_USER), SSHD(NASTY_USER), FATAL].join('\n') + '\n');
const access = put(dir, 'access.log', WEB + '\n');

describe('terminal injection', () => {
  it('sanitize escapes every sequence visibly and leaves no control character', () => {
    assert.equal(sanitize(NASTY_USER), 'ev\\e[2J\\e[H\\e]52;c;cm0gLXJmIH4=\\x07il\\x08\\x08root\\u{202e}txt.exe\\u{200b}');
    assert.equal(sanitize('a\u0000b\u009bc\u2066d\ufeffe\u2028f'), 'a\\x00b\\x9bc\\u{2066}d\\u{feff}e\\u{2028}f');
  });

  it('scan: fatal event blocks and every summary table show the text escaped', async () => {
    const r = await run(['scan', '--no-color', '--verbose', '--top', '50', auth, access]);
    assert.doesNotMatch(r.out, UNSAFE_OUTPUT);
    assert.doesNotMatch(r.err, UNSAFE_OUTPUT);
    assert.match(r.out, /Fatal Event: app\.fatal/);
    assert.match(r.out, /\\e\]8;;http:\/\/evil\.example\/\\e\\click/);
    assert.match(r.out, /ev\\e\[2J\\e\[H\\e\]52;c;/); // the user in the top users table
  });

  it('scan --json keeps the exact original text, as valid JSON', async () => {
    const r = await run(['scan', '--json', auth]);
    const users = eventsOf(r.out).filter((e) => e['type'] === 'auth.invalid_user').map((e) => e['user']);
    assert.deepEqual(users, [NASTY_USER, NASTY_USER]);
    assert.equal(summaryOf(r.out).topUsers[0]!.key, NASTY_USER);
    assert.doesNotMatch(r.out, /[\u0000-\u0009\u000b-\u001f]/); // JSON escapes controls, so the stream stays clean too
  });

  it('an escape sequence in a file name is escaped in human output', async () => {
    const path = put(dir, 'x\u001b[2Jy.log', SSHD('bob') + '\n');
    const r = await run(['scan', '--no-color', path, put(dir, 'gone\u001b]0;t\u0007.gz', '')]);
    assert.doesNotMatch(r.out + r.err, UNSAFE_OUTPUT);
    assert.match(r.out, /x\\e\[2Jy\.log/);
  });

  it('phone: a number found beside escape sequences is shown escaped', async (t) => {
    const line = 'Nov 23 03:14:22 web-01 app[7]: sms code sent to 13888888888 user=\u001b[2J\u001b]52;c;eA==\u0007mallory\u202e';
    const path = put(dir, 'app.log', line + '\n' + line + '\n');
    const r = await run(['phone', '13888888888', path]);
    if (/unknown command/.test(r.err)) return t.skip('no `audit phone` in this build');
    assert.doesNotMatch(r.out + r.err, UNSAFE_OUTPUT);
    const p = await run(['phones', path]);
    assert.doesNotMatch(p.out + p.err, UNSAFE_OUTPUT);
  });

  it('rules test: a matched line is shown escaped', async (t) => {
    const rule = put(dir, 'r.yaml', [
      'rules:', '  - id: local.evil', '    family: local', '    description: test', '    type: auth.failure', '    outcome: failure',
      '    literal: evil', '    pattern: evil', '    examples:', '      match: ["evil"]', '',
    ].join('\n'));
    const r = await run(['rules', 'test', rule, put(dir, 'r.log', 'Nov 23 03:14:22 h app[1]: evil \u001b[2J\u001b]0;x\u0007\u202e\n')]);
    if (/unknown command/.test(r.err)) return t.skip('no `audit rules` in this build');
    assert.doesNotMatch(r.out + r.err, UNSAFE_OUTPUT);
  });
});
