// Every sample of every registered format parses, and the registry names are unique and findable.
import './utc.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS, findFormat, formatNames } from '../../src/formats/registry.js';
import { CTX } from './sys-helpers.js';

describe('registry', () => {
  it('has unique names, each findable', () => {
    const names = formatNames();
    assert.equal(new Set(names).size, names.length);
    for (const n of names) assert.equal(findFormat(n)?.name, n);
    assert.equal(findFormat('nope'), undefined);
  });
  it('includes the system and web formats', () => {
    for (const n of ['syslog', 'syslog-5424', 'journal', 'journal-json', 'auditd', 'access', 'nginx-error', 'apache-error', 'python', 'logfmt', 'json']) {
      assert.ok(findFormat(n), n);
    }
  });
});

for (const format of FORMATS) {
  describe(`samples of ${format.name}`, () => {
    it('has samples', () => assert.ok(format.samples.length > 0));
    const parse = format.createParser(CTX); // one parser, samples in order: some formats are stateful
    format.samples.forEach((sample, i) => {
      it(`sample ${i + 1} is probed and parses`, () => {
        assert.equal(format.probe(sample), true, sample);
        assert.notEqual(parse(sample), null, sample);
      });
    });
  });
}
