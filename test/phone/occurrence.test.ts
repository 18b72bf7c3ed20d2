// lineContext / occurrenceOf: what happened on a line, from where, by whom, on which device.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionOf, lineContext, occurrenceOf } from '../../src/phone/occurrence.js';
import { at, event, record } from './build.js';

describe('lineContext', () => {
  it('names the line by its most telling event and counts each action once', () => {
    const ctx = lineContext(record({ line: 7 }), [
      event({ type: 'web.scanner' }),
      event({ type: 'auth.otp_request', source: { ip: '203.0.113.21', port: 51000 } }),
      event({ type: 'account.registration', user: 'u70412' }),
      event({ type: 'auth.otp_request' }),
    ]);
    assert.equal(ctx.what, 'sign-up');
    assert.deepEqual(ctx.types, ['web.scanner', 'auth.otp_request', 'account.registration']);
    assert.deepEqual(ctx.actions, ['sms', 'signup']);
    assert.equal(ctx.ip, '203.0.113.21');
    assert.equal(ctx.port, 51000);
    assert.equal(ctx.user, 'u70412');
    assert.equal(ctx.line, 7);
    assert.equal(ctx.time, at(0));
  });

  it('maps every counted event type to its action', () => {
    assert.equal(actionOf('account.registration'), 'signup');
    assert.equal(actionOf('auth.otp_request'), 'sms');
    assert.equal(actionOf('auth.failure'), 'failure');
    assert.equal(actionOf('auth.invalid_user'), 'failure');
    assert.equal(actionOf('auth.success'), 'login');
    assert.equal(actionOf('auth.root_login'), 'login');
    assert.equal(actionOf('auth.password_reset'), 'reset');
    assert.equal(actionOf('web.sqli'), null);
    assert.equal(actionOf('app.error'), null);
  });

  it('calls a line without events a request when it has an HTTP method, else a mention', () => {
    assert.equal(lineContext(record({ fields: { method: 'GET', url: '/x' } }), []).what, 'request');
    assert.equal(lineContext(record(), []).what, 'mention');
    assert.equal(lineContext(record(), [event({ type: 'app.error' })]).what, 'error');
  });

  it('takes address, account, device and agent from the fields when the events have none', () => {
    const ctx = lineContext(record({
      format: 'json',
      program: 'sms-gateway',
      fields: { ip: '198.51.100.23', user: 'li.wei', device_id: 'a9e1c2d4-android', agent: 'okhttp/4.12.0' },
    }), []);
    assert.equal(ctx.ip, '198.51.100.23');
    assert.equal(ctx.user, 'li.wei');
    assert.equal(ctx.device, 'a9e1c2d4-android');
    assert.equal(ctx.agent, 'okhttp/4.12.0');
    assert.equal(ctx.origin, 'app.log\u0000sms-gateway');
  });

  it('reads a device id written in the message', () => {
    const msg = 'user registered user_id=u70412 phone=13888888888 ip=203.0.113.21 device=d-7f3a9c01';
    assert.equal(lineContext(record({ message: msg }), []).device, 'd-7f3a9c01');
    assert.equal(lineContext(record({ message: 'sent, device_id: "ab12cd"' }), []).device, 'ab12cd');
    assert.equal(lineContext(record({ message: 'no device here' }), []).device, null);
    assert.equal(lineContext(record({ message: 'android=1' }), []).device, null);
  });

  it('drops loopback addresses: the proxy in front of the application is not the user', () => {
    assert.equal(lineContext(record({ fields: { ip: '127.0.0.1' } }), []).ip, null);
    assert.equal(lineContext(record(), [event({ source: { ip: '::1', port: null } })]).ip, null);
    assert.equal(lineContext(record({ fields: { ip: '-' } }), []).ip, null);
  });

  it('cuts long values before keeping them', () => {
    const ctx = lineContext(record({ fields: { agent: 'A'.repeat(5000), device: 'D'.repeat(100) } }), []);
    assert.equal(ctx.agent, 'A'.repeat(256));
    assert.equal(ctx.device, 'D'.repeat(64));
  });
});

describe('occurrenceOf', () => {
  it('prefers an exact form over a masked one and copies the written form', () => {
    const line = 'to 138****8888 and 13888888888';
    const o = occurrenceOf(record({ raw: line, message: line }), [], [
      { start: 3, end: 14, text: '138****8888', kind: 'masked' },
      { start: 19, end: 30, text: '13888888888', kind: 'exact' },
    ]);
    assert.equal(o?.match, 'exact');
    assert.equal(o?.text, '13888888888');
  });

  it('is a possible match when only a masked form fits, and null without matches', () => {
    const o = occurrenceOf(record(), [], [{ start: 0, end: 11, text: '138****8888', kind: 'masked' }]);
    assert.equal(o?.match, 'masked');
    assert.equal(occurrenceOf(record(), [], []), null);
  });
});
