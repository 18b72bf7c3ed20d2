// The presence mask (src/rules/presence-mask.ts): the generated function gives, for any fields object, the bits of
// the gate names it has and of the `where` conditions it meets, whatever the names and values hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WhereCondition } from '../../src/rules/compile.js';
import { presenceMask } from '../../src/rules/presence-mask.js';

/** What the mask must be, read the plain way. */
function expected(names: readonly string[], conditions: readonly WhereCondition[], f: Record<string, unknown>): number {
  let m = 0;
  names.forEach((name, i) => {
    if (f[name] !== undefined) m |= 1 << i;
  });
  conditions.forEach((c, k) => {
    if (c.values!.includes(f[c.field] as string)) m |= 1 << (names.length + k);
  });
  return m;
}

const where = (field: string, values: string[]): WhereCondition => ({ field, values, present: true }) as WhereCondition;

test('gate names and conditions, on fields that are gates, on fields that are not, and hostile ones', () => {
  const hostile = 'x\u2028"); throw 1; ("\\';
  const names = ['url', 'status', hostile, 'event.action'];
  const conditions = [
    where('status', ['200', '201']),
    where('status', ['401']),
    where('res', ['no', 'failed']), // a field with conditions and no gate bit
    where(hostile, [hostile, '*/']),
    where('method', ['POST']),
  ];
  const mask = presenceMask(names, conditions);
  const records: Record<string, unknown>[] = [
    {},
    { url: '/', status: '200' },
    { url: '/', status: '401', method: 'POST' },
    { status: '404', res: 'no' },
    { res: 'failed', 'event.action': 'login' },
    { [hostile]: hostile },
    { [hostile]: '*/', status: '201', method: 'GET' },
    { res: 'yes', method: 'post' },
  ];
  for (const r of records) assert.equal(mask(r as Record<string, string>), expected(names, conditions, r), JSON.stringify(r));
});
