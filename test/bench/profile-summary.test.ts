// Tests for the .cpuprofile summary: self time per function, native code named after its caller, idle left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSelfTimes, selfTimes, type CpuProfile } from './profile-summary.js';

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1), children: [2, 4, 5] },
    { id: 2, callFrame: frame('parseLine', 'file:///repo/dist/src/formats/syslog.js', 41), children: [3] },
    { id: 3, callFrame: frame('', '', -1) },
    { id: 4, callFrame: frame('(garbage collector)', '', -1) },
    { id: 5, callFrame: frame('(idle)', '', -1) },
  ],
  startTime: 0,
  endTime: 10_000,
  // each sample owns the delta that follows it: parseLine 1000 + 2000 (+ 0, last), native 500, GC 1500, idle 3000
  samples: [2, 2, 3, 4, 5, 2],
  timeDeltas: [0, 1000, 2000, 500, 1500, 3000],
};

test('selfTimes sums the following delta per function, names native code by caller, drops idle', () => {
  const rows = selfTimes(profile, '/repo');
  assert.deepEqual(rows.map((r) => [r.name, r.location, r.micros]), [
    ['parseLine', 'dist/src/formats/syslog.js:42', 3000],
    ['(garbage collector)', '', 1500],
    ['(native, in parseLine)', '', 500],
  ]);
  assert.equal(rows[0]!.share, 0.6);
});

test('renderSelfTimes as markdown rows', () => {
  const md = renderSelfTimes(selfTimes(profile, '/repo').slice(0, 1), true);
  assert.equal(md, '| # | self ms | self % | function | where |\n| ---: | ---: | ---: | --- | --- |\n| 1 | 3 | 60.0% | `parseLine` | `dist/src/formats/syslog.js:42` |\n');
});

test('renderSelfTimes shortens long names and escapes | in markdown', () => {
  const rows = [{ name: 'RegExp: ' + 'a|b'.repeat(40), location: '', micros: 2000, share: 1 }];
  const md = renderSelfTimes(rows, true).split('\n')[2]!;
  // 'RegExp: ' and 51 characters of the source (17 times 'a|b'), then the ellipsis: 60 in all
  assert.equal(md, '| 1 | 2 | 100.0% | `RegExp: a\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|ba\\|b…` |  |');
});
