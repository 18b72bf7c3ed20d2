// Property tests for the web and application formats: no parser throws on any input, and whatever they return is a
// well-formed record (string message, string field values, finite time).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { apacheError } from '../../src/formats/apache-error.js';
import { jsonLines } from '../../src/formats/json-lines.js';
import { logfmt } from '../../src/formats/logfmt.js';
import { nginxError } from '../../src/formats/nginx-error.js';
import { pythonLogging } from '../../src/formats/python-logging.js';
import { webAccess } from '../../src/formats/web-access.js';
import type { LogFormat } from '../../src/types.js';
import { SKIP } from '../../src/types.js';

const FORMATS: readonly LogFormat[] = [webAccess, nginxError, apacheError, jsonLines, logfmt, pythonLogging];
const ctx = { reference: new Date('2026-11-26T12:00:00Z') };

// Pieces of real lines, so that random input reaches deep into the parsers and not only their first check.
const PIECES = [
  '203.0.113.9', '2001:db8::1', ' - - [', '23/Nov/2026:10:00:00 +0000', '23/Nov/2026 10:00:00', '] "', '"', '\\"', '\\x22',
  'GET / HTTP/1.1', '" 200 ', '-', ' ', '2026/11/23 10:00:00 [error] 1#1: ', '*5 ', ', client: ', ', server: ',
  ', request: "', '[Mon Nov 23 10:00:00.123 2026] ', '[core:error] ', '[pid 1:tid 2] ', '[client ', ':5000]', ']', '[',
  '{"level":', '{"a":', '}', ',', '"msg":"x"', '60', '1795428000', 'time=', 'level=warn ', 'msg="', '=', 'a ',
  '2026-11-23 10:00:00,123', ' - app - ', 'ERROR', ' in app: ', 'INFO:', 'werkzeug:', '     ', 'Traceback (most recent call last):',
  '  File "x.py", line 1', 'ValueError: x', '\x1b[33m', '\u0000', '\ufffd', '__proto__', '\r',
];
const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((a) => a.join(''));
const anyLine = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), pieced, fc.json().map((j) => j));

function checkResult(name: string, line: string, r: unknown): void {
  if (r === null || r === SKIP) return;
  const rec = r as { message: unknown; time: unknown; fields: Record<string, unknown>; level: unknown };
  assert.equal(typeof rec.message, 'string', `${name}: message of ${JSON.stringify(line)}`);
  assert.ok(rec.time === null || (typeof rec.time === 'number' && Number.isFinite(rec.time)), `${name}: time of ${JSON.stringify(line)}`);
  for (const [k, v] of Object.entries(rec.fields)) assert.equal(typeof v, 'string', `${name}: field ${k} of ${JSON.stringify(line)}`);
}

describe('web and app formats: properties', () => {
  for (const f of FORMATS) {
    it(`${f.name}: probe and parser never throw and return well-formed records`, () => {
      fc.assert(
        fc.property(fc.array(anyLine, { minLength: 1, maxLength: 8 }), (input) => {
          const parse = f.createParser(ctx); // one parser per source: python keeps state between lines
          for (const line of input) {
            f.probe(line);
            checkResult(f.name, line, parse(line));
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('no parser throws on long lines or on deeply nested JSON', () => {
    const inputs = [
      'x'.repeat(1_000_000),
      ' [' + '"'.repeat(200_000),
      '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
      '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
      '{"a":'.repeat(100_000),
      'a=' + '"\\'.repeat(100_000),
      '203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] "' + 'GET /'.repeat(100_000) + '" 200 1 ' + '"x" '.repeat(50_000),
      '2026/11/23 10:00:00 [error] 1#1: *1 x' + ', client: '.repeat(100_000),
      '[Mon Nov 23 10:00:00 2026] [error]' + ' ['.repeat(100_000),
    ];
    for (const f of FORMATS) {
      const parse = f.createParser(ctx);
      for (const line of inputs) {
        f.probe(line);
        checkResult(f.name, line.slice(0, 40), parse(line));
      }
    }
  });
});
