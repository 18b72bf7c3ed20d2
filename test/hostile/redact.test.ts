// --redact and --redact-ip: phone numbers, e-mail addresses and (with --redact-ip) IP addresses masked in every
// output of `audit scan`: fatal events, tables, alerts and NDJSON (which stays valid JSON).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedact, maskAddress, maskEmail } from '../../src/text/redact.js';
import { ndjson, put, run, scratch } from './helpers.js';

const dir = scratch('redact');
const LOG = put(dir, 'app.log', [
  'Nov 23 03:14:22 web-01 sshd[1]: Invalid user alice@example.com from 203.0.113.45 port 50122',
  'Nov 23 03:14:23 web-01 sshd[1]: Invalid user bob from 2001:db8:85a3::8a2e:370:7334 port 50123',
  'Nov 23 03:14:24 web-01 kernel: Kernel panic - not syncing: sms 13812345678 for carol@example.org from 198.51.100.7',
  ...Array.from({ length: 12 }, (_, i) => `Nov 23 03:15:${10 + i} web-01 sshd[1]: Failed password for invalid user u${i}@corp.example from 203.0.113.45 port 4000${i} ssh2`),
].join('\n') + '\n');
const SECRETS = ['13812345678', 'alice@example.com', 'carol@example.org', 'u1@corp.example'];
const ADDRESSES = ['203.0.113.45', '2001:db8:85a3::8a2e:370:7334', '198.51.100.7'];

describe('masking functions', () => {
  it('masks e-mail local parts and the host part of addresses', () => {
    assert.equal(maskEmail('alice@example.com'), 'a****@example.com');
    assert.equal(maskAddress('203.0.113.45'), '203.0.***.**');
    assert.equal(maskAddress('2001:db8:85a3::8a2e:370:7334'), '2001:db8:****::****:***:****');
    assert.equal(maskAddress('::1'), '::*');
  });

  it('leaves times, versions and words alone, and addresses alone without ip', () => {
    const r = createRedact({ ip: true, region: 'CN' });
    assert.equal(r('at 2026-11-23 10:00:05 std::map deadbeef'), 'at 2026-11-23 10:00:05 std::map deadbeef');
    assert.equal(r('from 203.0.113.45:22, then [2001:db8::1]:443.'), 'from 203.0.***.**:22, then [2001:db8::*]:443.');
    assert.equal(r('call 13812345678 or mail x.y+z@mail.example.cn'), 'call 138****5678 or mail x****@mail.example.cn');
    assert.equal(createRedact({ ip: false, region: 'CN' })('from 203.0.113.45'), 'from 203.0.113.45');
  });
});

describe('audit scan --redact', () => {
  it('human output: no phone number or e-mail address, addresses kept without --redact-ip', async () => {
    const r = await run(['scan', '--no-color', '--redact', LOG]);
    for (const s of SECRETS) assert.ok(!(r.out + r.err).includes(s), `${s} leaked`);
    assert.match(r.out, /a\*\*\*\*@example\.com/); // top users table
    assert.match(r.out, /138\*\*\*\*5678/); // the fatal event block
    assert.match(r.out, /203\.0\.113\.45/);
  });

  it('--redact-ip: addresses masked too, in tables and alerts', async () => {
    const r = await run(['scan', '--no-color', '--redact-ip', LOG]);
    for (const s of [...SECRETS, ...ADDRESSES]) assert.ok(!(r.out + r.err).includes(s), `${s} leaked`);
    assert.match(r.out, /203\.0\.\*\*\*\.\*\*/);
  });

  it('--json stays valid JSON and holds no secret', async () => {
    const r = await run(['scan', '--json', '--redact-ip', LOG]);
    const lines = ndjson(r.out);
    assert.equal(lines.at(-1)!['kind'], 'summary');
    for (const s of [...SECRETS, ...ADDRESSES]) assert.ok(!r.out.includes(s), `${s} leaked`);
    const first = lines[0]!;
    assert.equal(first['user'], 'a****@example.com');
    assert.deepEqual(first['source'], { ip: '203.0.***.**', port: 50122 });
  });
});
