// NumberProfile, LinkIndex, PhoneBook: what a number did, each action once, and numbers linked by address or device.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS, LinkIndex, NumberProfile, PhoneBook } from '../../src/phone/profile.js';
import { at, context } from './build.js';

const NGINX = 'nginx/access.log\u0000access';
const GATEWAY = 'sms-gateway.jsonl\u0000sms-gateway';

describe('NumberProfile', () => {
  it('keeps first and last time, accounts, addresses, devices and agents', () => {
    const p = new NumberProfile('+8613888888888');
    p.add(context({ time: at(60), ip: '203.0.113.21', user: 'u70412', device: 'd-1', agent: 'okhttp/4.12.0', actions: ['signup'] }));
    p.add(context({ time: at(5), ip: '203.0.113.22', user: 'u70413', actions: ['signup'] }));
    p.add(context({ time: null, ip: '203.0.113.21', actions: [] }));
    assert.equal(p.occurrences, 3);
    assert.equal(p.first, at(5));
    assert.equal(p.last, at(60));
    assert.deepEqual([...p.accounts.values], ['u70412', 'u70413']);
    assert.deepEqual([...p.addresses.values], ['203.0.113.21', '203.0.113.22']);
    assert.deepEqual([...p.devices.values], ['d-1']);
    assert.deepEqual([...p.agents.values], ['okhttp/4.12.0']);
    assert.equal(p.counts.signup, 2);
    assert.equal(p.approximate, false);
  });

  it('counts once an action that two logs recorded within 2 seconds from the same address', () => {
    const p = new NumberProfile('+8613888888888');
    p.add(context({ time: at(5), ip: '203.0.113.21', origin: NGINX }));
    p.add(context({ time: at(5.231), ip: '203.0.113.21', origin: GATEWAY }));
    p.add(context({ time: at(6), ip: null, origin: 'app.log\u0000werkzeug' })); // the proxy's line: no address
    assert.equal(p.counts.sms, 1);
    assert.equal(p.merged, 2);
    assert.deepEqual(p.actions.sms[0]!.origins, [NGINX, GATEWAY, 'app.log\u0000werkzeug']);
  });

  it('does not merge two requests of one log, other addresses, other accounts, or lines too far apart', () => {
    const p = new NumberProfile('+8613888888888');
    p.add(context({ time: at(5), ip: '203.0.113.21', origin: NGINX }));
    p.add(context({ time: at(5), ip: '203.0.113.21', origin: NGINX })); // the same log twice: two requests
    p.add(context({ time: at(5), ip: '203.0.113.22', origin: GATEWAY })); // another address
    p.add(context({ time: at(8), ip: '203.0.113.21', origin: GATEWAY })); // 3 s later
    assert.equal(p.counts.sms, 4);
    const q = new NumberProfile('+8613888888888');
    q.add(context({ time: at(0), user: 'u1', actions: ['signup'], origin: NGINX }));
    q.add(context({ time: at(0), user: 'u2', actions: ['signup'], origin: GATEWAY }));
    assert.equal(q.counts.signup, 2);
  });

  it('lets one line of a second log absorb one line of the first, not two', () => {
    const p = new NumberProfile('+8613888888888');
    p.add(context({ time: at(5), ip: '203.0.113.21', origin: NGINX }));
    p.add(context({ time: at(5), ip: '203.0.113.21', origin: NGINX }));
    p.add(context({ time: at(5.4), ip: '203.0.113.21', origin: GATEWAY }));
    p.add(context({ time: at(5.5), ip: '203.0.113.21', origin: GATEWAY }));
    assert.equal(p.counts.sms, 2);
  });

  it('never counts an action without a time as a repeat', () => {
    const p = new NumberProfile('+8613888888888');
    p.add(context({ time: null, origin: NGINX }));
    p.add(context({ time: null, origin: GATEWAY }));
    assert.equal(p.counts.sms, 2);
  });

  it('does not take the number itself, written any way, for an account', () => {
    const p = new NumberProfile('+8613888888888');
    for (const user of ['13888888888', '+86 138 8888 8888', '008613888888888', '(138) 8888-8888']) {
      p.add(context({ user, actions: ['failure'] }));
    }
    assert.equal(p.accounts.size, 0);
    p.add(context({ user: 'u13888888888' }));
    p.add(context({ user: '13912345678' }));
    assert.deepEqual([...p.accounts.values], ['u13888888888', '13912345678']);
  });

  it('stops remembering at its caps and says so', () => {
    const p = new NumberProfile('+8613888888888');
    for (let i = 0; i < LIMITS.valuesPerNumber + 5; i++) p.add(context({ ip: `198.51.100.${i}`, actions: [] }));
    assert.equal(p.addresses.size, LIMITS.valuesPerNumber);
    assert.equal(p.approximate, true);
    const q = new NumberProfile('+8613888888888');
    for (let i = 0; i < LIMITS.actionsPerKind + 3; i++) q.add(context({ time: at(i * 10), origin: NGINX }));
    assert.equal(q.counts.sms, LIMITS.actionsPerKind + 3);
    assert.equal(q.actions.sms.length, LIMITS.actionsPerKind);
    assert.equal(q.approximate, true);
  });
});

describe('LinkIndex', () => {
  it('finds the other numbers used from the same addresses or devices, sorted', () => {
    const links = new LinkIndex();
    links.add(context({ ip: '203.0.113.21' }), '+8613888888888');
    links.add(context({ ip: '203.0.113.21' }), '+8613888880002');
    links.add(context({ device: 'd-1' }), '+8613888880001');
    links.add(context({ ip: '198.51.100.23', device: 'a9e1' }), '+8613912345678');
    const p = new NumberProfile('+8613888888888');
    p.add(context({ ip: '203.0.113.21', device: 'd-1' }));
    assert.deepEqual(links.linkedTo(p), ['+8613888880001', '+8613888880002']);
  });

  it('does not confuse an address with a device of the same name', () => {
    const links = new LinkIndex();
    links.add(context({ device: '203.0.113.21' }), '+8613888880001');
    const p = new NumberProfile('+8613888888888');
    p.add(context({ ip: '203.0.113.21' }));
    assert.deepEqual(links.linkedTo(p), []);
  });

  it('keeps at most numbersPerKey numbers per address and says so', () => {
    const links = new LinkIndex();
    for (let i = 0; i < LIMITS.numbersPerKey + 1; i++) links.add(context({ ip: '203.0.113.9' }), `+86139000000${String(i).padStart(2, '0')}`);
    assert.equal(links.approximate, true);
    const p = new NumberProfile('+8613888888888');
    p.add(context({ ip: '203.0.113.9' }));
    assert.equal(links.linkedTo(p).length, LIMITS.numbersPerKey);
  });
});

describe('PhoneBook', () => {
  it('profiles each number and links them', () => {
    const book = new PhoneBook();
    book.add('+8613888888888', context({ ip: '203.0.113.21', user: 'u1', actions: ['signup'] }));
    book.add('+8613888880001', context({ ip: '203.0.113.21', user: 'u2', actions: ['signup'] }));
    assert.deepEqual([...book.profiles.keys()], ['+8613888888888', '+8613888880001']);
    assert.deepEqual(book.links.linkedTo(book.profiles.get('+8613888888888')!), ['+8613888880001']);
    assert.equal(book.approximate, false);
  });
});
