// judge: the risk of a number and the sentences that explain it; thresholds from config files; duration words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.js';
import { NumberProfile } from '../../src/phone/profile.js';
import {
  DEFAULT_THRESHOLDS, densest, durationWords, judge, networkOf, parseWindow, thresholdsFromConfig, type Thresholds,
} from '../../src/phone/verdict.js';
import { at, context } from './build.js';

const T: Thresholds = { ...DEFAULT_THRESHOLDS };

function farm(): NumberProfile {
  const p = new NumberProfile('+8613888888888');
  const ips = ['203.0.113.21', '203.0.113.22', '203.0.113.37', '203.0.113.54'];
  ips.forEach((ip, i) => p.add(context({ time: at(31 + i * 40), ip, user: `u7041${i}`, actions: ['signup'], what: 'sign-up' })));
  return p;
}

describe('judge', () => {
  it('finds no risk in a normal user', () => {
    const p = new NumberProfile('+8613912345678');
    p.add(context({ time: at(0), ip: '198.51.100.23', actions: ['sms'] }));
    p.add(context({ time: at(38), ip: '198.51.100.23', user: 'u50001', actions: ['signup'] }));
    p.add(context({ time: at(900), ip: '198.51.100.23', user: 'u50001', actions: ['login'] }));
    assert.deepEqual(judge(p, 0, T), { risk: 'none', reasons: [] });
  });

  it('says how many accounts were registered how fast from which network', () => {
    assert.deepEqual(judge(farm(), 0, T), {
      risk: 'high',
      reasons: [
        {
          id: 'signup_burst',
          level: 'high',
          text: '4 accounts registered with this number within 2 minutes from 4 addresses in one /24 (203.0.113.0/24); limit 2 in 10 minutes',
        },
        { id: 'accounts', level: 'medium', text: '4 accounts linked to this number; limit 2' },
      ],
    });
  });

  it('counts sign-ups without accounts as sign-ups, from one address', () => {
    const p = new NumberProfile('+8613888888888');
    for (let i = 0; i < 3; i++) p.add(context({ time: at(i), ip: '203.0.113.9', actions: ['signup'] }));
    assert.equal(judge(p, 0, T).reasons[0]!.text, '3 sign-ups with this number within 2 seconds from one address (203.0.113.9); limit 2 in 10 minutes');
  });

  it('does not call a sign-up burst what is spread over more than the window', () => {
    const p = new NumberProfile('+8613888888888');
    for (let i = 0; i < 4; i++) p.add(context({ time: at(i * 3600), actions: ['signup'] }));
    assert.deepEqual(judge(p, 0, T).reasons, []);
  });

  it('makes an SMS burst medium above the limit and high above twice the limit', () => {
    const p = new NumberProfile('+8613888888888');
    for (let i = 0; i < 6; i++) p.add(context({ time: at(i * 60), ip: i % 2 === 0 ? '203.0.113.21' : '2001:db8::1' }));
    assert.deepEqual(judge(p, 0, T).reasons, [
      { id: 'sms_burst', level: 'medium', text: '6 SMS codes requested within 5 minutes from 2 addresses; limit 5 in 10 minutes' },
    ]);
    for (let i = 6; i < 11; i++) p.add(context({ time: at(i * 50) }));
    assert.equal(judge(p, 0, T).risk, 'high');
  });

  it('reports shared numbers, failed logins and many addresses', () => {
    const p = new NumberProfile('+8613888888888');
    for (let i = 0; i < 6; i++) p.add(context({ time: at(i * 3600), ip: `198.51.100.${i}`, actions: ['failure'] }));
    assert.deepEqual(judge(p, 3, T), {
      risk: 'medium',
      reasons: [
        { id: 'shared_numbers', level: 'medium', text: '3 other numbers used from the same addresses or devices; limit 2' },
        { id: 'failed_logins', level: 'low', text: '6 failed logins; limit 5' },
        { id: 'addresses', level: 'low', text: '6 distinct source addresses; limit 5' },
      ],
    });
  });

  it('follows the thresholds it is given', () => {
    assert.deepEqual(judge(farm(), 0, { ...T, maxSignups: 4, maxAccounts: 4 }), { risk: 'none', reasons: [] });
    assert.equal(judge(farm(), 0, { ...T, window: 60_000 }).risk, 'medium'); // 2 sign-ups a minute at most
  });
});

describe('densest', () => {
  it('returns the most actions within one window, earliest first', () => {
    const times = [0, 500, 100, 700, 720, 740, 2000];
    const actions = times.map((t) => ({ time: at(t), ip: null, user: null, origins: [] }));
    assert.deepEqual(densest(actions, 100_000).map((a) => a.time), [at(700), at(720), at(740)]);
    assert.deepEqual(densest([{ time: null, ip: null, user: null, origins: [] }], 1000), []);
  });
});

describe('networkOf', () => {
  it('gives the /24 of IPv4 and the /64 of IPv6', () => {
    assert.equal(networkOf('203.0.113.21'), '203.0.113.0/24');
    assert.equal(networkOf('2001:db8:4c1::17'), '2001:db8:4c1:0::/64');
    assert.equal(networkOf('2001:0db8:0000:0001:0000:0000:0000:0001'), '2001:db8:0:1::/64');
    assert.equal(networkOf('::1'), '0:0:0:0::/64');
    assert.equal(networkOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(networkOf('web-01'), null);
  });
});

describe('durationWords and parseWindow', () => {
  it('writes durations as people say them', () => {
    assert.equal(durationWords(600_000), '10 minutes');
    assert.equal(durationWords(90_000), '90 seconds');
    assert.equal(durationWords(3_600_000), '1 hour');
    assert.equal(durationWords(161_000, true), '3 minutes');
    assert.equal(durationWords(0, true), '1 second');
    assert.equal(durationWords(1000, true), '1 second');
    assert.equal(durationWords(90_000_000, true), '2 days');
  });

  it('reads windows from 1 second to 30 days', () => {
    assert.equal(parseWindow('10m'), 600_000);
    assert.equal(parseWindow('90s'), 90_000);
    assert.equal(parseWindow('90'), 90_000);
    assert.equal(parseWindow('1H'), 3_600_000);
    assert.equal(parseWindow('30d'), 30 * 86_400_000);
    for (const bad of ['31d', '0s', '10y', '-5m', '1.5h', '', 'm']) assert.equal(parseWindow(bad), null, bad);
  });
});

describe('thresholdsFromConfig', () => {
  it('reads the "phone" object', () => {
    assert.deepEqual(thresholdsFromConfig({ phone: { window: '5m', maxAccounts: 3, maxSms: 0 } }, 'a.json'), {
      window: 300_000, maxAccounts: 3, maxSms: 0,
    });
    assert.deepEqual(thresholdsFromConfig({ other: 1 }, 'a.json'), {});
  });

  it('names the file, the key and what would be right', () => {
    const cases: [unknown, string, RegExp][] = [
      [[], 'a.json: the config must be a JSON object', /phone/],
      [{ phone: 3 }, 'a.json: "phone" must be an object', /phone/],
      [{ phone: { maxAcounts: 3 } }, 'a.json: unknown key "phone.maxAcounts"', /maxAccounts/],
      [{ phone: { maxSms: -1 } }, 'a.json: "phone.maxSms" must be a whole number from 0 to 1000000', /SMS/],
      [{ phone: { maxSms: '5' } }, 'a.json: "phone.maxSms" must be a whole number from 0 to 1000000', /SMS/],
      [{ phone: { window: 600 } }, 'a.json: "phone.window" must be a duration such as "10m", "90s" or "1h"', /window/],
      [JSON.parse('{"phone":{"__proto__":{"maxSms":1}}}'), 'a.json: unknown key "phone.__proto__"', /maxAccounts/],
    ];
    for (const [config, message, hint] of cases) {
      assert.throws(() => thresholdsFromConfig(config, 'a.json'), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.equal(err.message, message);
        assert.match(err.hint ?? '', hint);
        return true;
      });
    }
  });
});
