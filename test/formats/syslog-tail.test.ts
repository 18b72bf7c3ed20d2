// Tests the syslog header reader's memos (last host, recent plain programs): a parser that has read earlier lines
// gives every line the same host, program, pid and message as a parser that reads it first.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { journalShort } from '../../src/formats/journal-short.js';
import { syslog3164 } from '../../src/formats/syslog-3164.js';
import type { LogFormat } from '../../src/types.js';
import { CTX } from './sys-helpers.js';

type Header = [host: string | null, program: string | null, pid: number | null, message: string] | null;

function header(parse: ReturnType<LogFormat['createParser']>, line: string): Header {
  const r = parse(line);
  return r === null || r === 'skip' ? null : [r.host, r.program, r.pid, r.message];
}

describe('syslog-tail: the same text after a remembered host or program', () => {
  it('reads near misses of a remembered tag as a first read does', () => {
    const parse = syslog3164.createParser(CTX);
    const s = 'Nov 23 10:00:00 ';
    assert.deepEqual(header(parse, `${s}web1 sshd[12]: a`), ['web1', 'sshd', 12, 'a']);
    assert.deepEqual(header(parse, `${s}web1 sshd[345]: b`), ['web1', 'sshd', 345, 'b']);
    assert.deepEqual(header(parse, `${s}web1 sshd[34]:b`), ['web1', null, null, 'sshd[34]:b']);
    assert.deepEqual(header(parse, `${s}web1 sshd[]: c`), ['web1', 'sshd', null, 'c']);
    assert.deepEqual(header(parse, `${s}web1 sshd[12345678901]: d`), ['web1', 'sshd', null, 'd']);
    assert.deepEqual(header(parse, `${s}web1 sshd[1x]: e`), ['web1', 'sshd', null, 'e']);
    assert.deepEqual(header(parse, `${s}web1 sshd[7]`), ['web1', 'sshd', 7, '']);
    assert.deepEqual(header(parse, `${s}web1 sshd[7]:`), ['web1', 'sshd', 7, '']);
    assert.deepEqual(header(parse, `${s}web1 sshd2[7]: f`), ['web1', 'sshd2', 7, 'f']);
    assert.deepEqual(header(parse, `${s}web1 sshd: g`), ['web1', 'sshd', null, 'g']);
    assert.deepEqual(header(parse, `${s}web1 sshd:: h`), ['web1', null, null, 'sshd:: h']);
    assert.deepEqual(header(parse, `${s}web1 sshd(pam_unix)[9]: i`), ['web1', 'sshd', 9, 'i']);
    assert.deepEqual(header(parse, `${s}web1  sshd[8]: j`), ['web1', 'sshd', 8, 'j']);
  });

  it('does not take programs with a colon or a bracket for plain ones', () => {
    const parse = syslog3164.createParser(CTX);
    const s = 'Nov 23 10:00:00 ';
    assert.deepEqual(header(parse, `${s}web1 p:[1]: a`), ['web1', 'p:', 1, 'a']);
    assert.deepEqual(header(parse, `${s}web1 p:: b`), ['web1', null, null, 'p:: b']); // '::': an IPv6 host's end
    assert.deepEqual(header(parse, `${s}web1 q][2]: c`), ['web1', 'q]', 2, 'c']);
    assert.deepEqual(header(parse, `${s}web1 q]: d`), ['web1', null, null, 'q]: d']); // ']' without its '['
  });

  it('reads near misses of a remembered host as a first read does', () => {
    const parse = syslog3164.createParser(CTX);
    const s = 'Nov 23 10:00:00 ';
    assert.deepEqual(header(parse, `${s}web1 su: a`), ['web1', 'su', null, 'a']);
    assert.deepEqual(header(parse, `${s}web10 su: b`), ['web10', 'su', null, 'b']);
    assert.deepEqual(header(parse, `${s}web1`), ['web1', null, null, '']);
    assert.deepEqual(header(parse, `${s}web1:`), [null, 'web1', null, '']);
    assert.deepEqual(header(parse, `${s}web1 `), ['web1', null, null, '']);
    assert.deepEqual(header(parse, `${s}web su: c`), ['web', 'su', null, 'c']);
    assert.deepEqual(header(parse, `${s}su: d`), [null, 'su', null, 'd']);
  });
});

// Lines made of the pieces where the header rules differ: IPv6 hosts, tags as hosts, brackets, parentheses, colons.
const host = fc.constantFrom('web1', 'web-01', 'h', '2001:db8::', 'sshd[1]:', 'kernel:', '', 'a[b', 'x:');
const program = fc.oneof(
  fc.constantFrom('sshd', 'su', 'sudo', 'CRON', 's', 'sshd(pam_unix)', 'a[b', 'x)', 'p:q', 'p]', 'p:', 'systemd-logind', 'sshd2'),
  fc.string({ unit: 'binary-ascii', maxLength: 6 }),
);
const pidPart = fc.constantFrom('', ':', '[1]:', '[4120]:', '[]:', '[7]', '[12345678901]:', '[1234567890]:', '[1a]:', '::', '[1]:x', ':x', '[[2]:', '[2]]:', '[1^:', '[4120}:');
const rest = fc.constantFrom(' msg', '', ' ', ':', 'x', '  two spaces', ' [3]: tag-like');
const sep = fc.constantFrom(' ', '  ', '');
const line = fc.tuple(host, sep, program, pidPart, rest).map(([h, s, p, d, r]) => `Nov 23 10:00:0${h.length % 10} ${h}${s}${p}${d}${r}`);

describe('syslog-tail: memos are invisible', () => {
  for (const format of [syslog3164, journalShort]) {
    it(`${format.name}: one parser over many lines gives what a fresh parser gives each line`, () => {
      fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        const warm = format.createParser(CTX);
        for (const l of lines) assert.deepEqual(header(warm, l), header(format.createParser(CTX), l), l);
      }), { numRuns: 600 });
    });
  }
});
