// Property tests: no parser of any format throws on any string, and the stage delivers exactly one record per line.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FORMATS } from '../../src/formats/registry.js';
import { CTX, runStage } from './sys-helpers.js';

const samples = FORMATS.flatMap((f) => f.samples);

// Strings near real lines find more corners than uniform noise: samples cut, spliced and salted.
const nearLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }),
  fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.string({ unit: 'binary-ascii', maxLength: 20 }))
    .map(([s, at, junk]) => s.slice(0, at % (s.length + 1)) + junk),
  fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ maxLength: 5 }))
    .map(([s, a, b, junk]) => s.slice(0, a % (s.length + 1)) + junk + s.slice(b % (s.length + 1))),
  fc.constantFrom('', ' ', '\t', '--', '-- x --', '<', '<1>', '{', '{"__REALTIME_TIMESTAMP":', 'type=', 'node=', '[', '"'),
);

describe('properties', () => {
  for (const format of FORMATS) {
    it(`${format.name}: probe and parser never throw`, () => {
      const parse = format.createParser(CTX);
      fc.assert(fc.property(nearLine, (line) => {
        format.probe(line);
        const r = parse(line);
        assert.ok(r === null || r === 'skip' || typeof r.message === 'string');
      }), { numRuns: 400 });
    });
  }

  it('the stage delivers exactly one record per line, numbered in order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(nearLine, fc.boolean()), { maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (lines, detectLines) => {
      const got = runStage(lines, { detectLines });
      assert.equal(got.records.length, lines.length);
      got.records.forEach((r, i) => {
        assert.equal(r.line, i + 1);
        const [text, truncated] = lines[i]!;
        if (truncated) assert.equal(got.outcomes[i], 'truncated');
        if (got.outcomes[i] === 'unparsed') assert.deepEqual([r.format, r.message], [null, text]);
        if (got.outcomes[i] === 'parsed') assert.notEqual(r.format, null);
      });
    }), { numRuns: 150 });
  });
});
