// Tests for the description of the machine a benchmark ran on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMachine, machineLine } from './machine.js';

test('describeMachine: cores, node version and a UTC date without milliseconds', () => {
  const m = describeMachine(new Date('2026-11-26T05:32:09.123Z'));
  assert.ok(m.nproc >= 1);
  assert.equal(m.node, process.version);
  assert.equal(m.date, '2026-11-26T05:32:09Z');
  assert.ok(m.load >= 0);
  assert.match(machineLine(m), /^\d+ CPUs \(.+\), \d+ GB RAM, Linux .+, Node v\d+\.\d+\.\d+, .+, locale .+, load \d+\.\d\d at start, 2026-11-26T05:32:09Z$/);
});

test('machineLine says when NODE_EXTRA_CA_CERTS is set, and only then', () => {
  const m = { ...describeMachine(new Date('2026-11-26T05:32:09Z')), extraCaCerts: false };
  assert.doesNotMatch(machineLine(m), /NODE_EXTRA_CA_CERTS/);
  assert.match(machineLine({ ...m, extraCaCerts: true }), /, locale .+, NODE_EXTRA_CA_CERTS set \(each node start parses that CA bundle\), load /);
});
