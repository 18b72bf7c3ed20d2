// The phone-abuse scenario, line by line: every written form of the farm's number is found, masks that fit are
// possible matches, and no look-alike (order ids, request ids, amounts, timestamps, other countries) matches.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createMatcher } from '../../src/phone/matcher.js';
import { parseTarget } from '../../src/phone/number.js';
import { fixture } from '../helpers/paths.js';

const farm = createMatcher(parseTarget('13888888888'));

function lines(...path: string[]): string[] {
  return readFileSync(fixture('logs', 'phone-abuse', ...path), 'latin1').split('\n').map((l) => l.replace(/\r$/, ''));
}

/** [line number, kind, text] of every line with a match. */
function matches(...path: string[]): [number, string, string][] {
  const out: [number, string, string][] = [];
  lines(...path).forEach((line, i) => {
    for (const m of farm(line)) out.push([i + 1, m.kind, m.text]);
  });
  return out;
}

const E = 'exact';

describe('phone-abuse fixture: the farm number 13888888888', () => {
  it('is found in the Flask log in every form it is written, the mask as a possible match', () => {
    assert.deepEqual(matches('app.log'), [
      [8, E, '13888888888'], [9, E, '13888888888'], [10, E, '138-8888-8888'], [11, E, '+8613888888888'],
      [12, 'masked', '138****8888'],
      [16, E, '13888888888'], // werkzeug's request line
      [17, E, '13888888888'], [18, E, '13888888888'], [19, E, '13888888888'], [20, E, '13888888888'], [21, E, '13888888888'],
    ]);
  });

  it('is found in nginx query strings, URL-encoded and form-encoded', () => {
    assert.deepEqual(matches('nginx', 'access.log'), [
      [1, E, '13888888888'], [3, E, '13888888888'], [5, E, '138%208888%208888'], [7, E, '%2B8613888888888'],
      [15, E, '13888888888'], [17, E, '13888888888'], [18, E, '13888888888'], [20, E, '+86+138+8888+8888'],
      [21, E, '13888888888'], [23, E, '13888888888'], [24, E, '13888888888'], [26, E, '13888888888'],
    ]);
    assert.deepEqual(matches('nginx', 'access.log.1'), []);
  });

  it('is found in JSON fields, not in request ids or traces next to it', () => {
    assert.deepEqual(matches('sms-gateway.jsonl'), [
      [3, E, '+8613888888888'], [4, E, '+8613888888888'], [5, E, '+8613888888888'], [6, E, '+8613888888888'],
      [10, E, '+8613888888888'], [11, E, '+8613888888888'], [12, E, '+8613888888888'], [13, E, '+8613888888888'],
      [14, E, '+8613888888888'], [15, E, '+8613888888888'], [16, E, '+8613888888888'], [17, E, '+8613888888888'],
      [18, E, '+8613888888888'],
      [19, 'masked', '138****8888'],
    ]);
  });

  it('matches none of the look-alikes the fixture holds', () => {
    const lookAlikes = [
      ['app.log', 25, 'order=202611231388888888812 amount=13888888888.50 request_id=req_13888888888'],
      ['app.log', 27, '139****8888, user uid13888888888'],
      ['app.log', 28, '+44 138 8888 8888 closed, callback 0.13888888888 h'],
      ['access.log', 40, 'amount=13888888888.50&ts=1388888888812'],
      ['access.log', 41, 'uid=113888888888'],
      ['access.log.1', 3, '/api/v1/orders/202611231388888888812'],
      ['access.log.1', 6, '/invite?code=ZX13888888888A'],
      ['sms-gateway.jsonl', 29, '"balance":13888888888.5,"currency":"CNY","trace":"uid13888888888"'],
    ] as const;
    for (const [file, line, text] of lookAlikes) {
      const path = file.startsWith('access') ? ['nginx', file] : [file];
      const written = lines(...path)[line - 1]!;
      assert.ok(written.includes(text), `${file}:${line} holds ${text}`);
      assert.deepEqual(farm(written), [], `${file}:${line}`);
      assert.deepEqual(farm(text), [], text);
    }
  });
});
