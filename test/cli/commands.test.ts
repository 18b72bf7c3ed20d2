// The program loads a command's module only when that command runs (src/cli.ts): what the user sees must not
// depend on it. Help and unknown commands still know every command; a command named first runs as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import { memoryIo } from '../helpers/io.js';

const ALL = ['scan', 'phone', 'phones', 'watch', 'formats', 'rules', 'report', 'query', 'prune'];

test('--help and no arguments list every command, in the same order', async () => {
  for (const argv of [['--help'], []]) {
    const io = memoryIo();
    const code = await main(argv, io);
    assert.equal(code, argv.length === 0 ? 2 : 0);
    const text = io.stdout() + io.stderr();
    const listed = [...text.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => ALL.includes(c!));
    assert.deepEqual(listed, ALL);
  }
});

test('an unknown command is a usage error that suggests the command meant', async () => {
  const io = memoryIo();
  assert.equal(await main(['scna', 'x.log'], io), 2);
  assert.match(io.stderr(), /^audit: unknown command 'scna'/);
  assert.match(io.stderr(), /Did you mean scan\?/);
});

test('help for one command and a command after --version-like options', async () => {
  const io = memoryIo();
  assert.equal(await main(['help', 'formats'], io), 0);
  assert.match(io.stdout(), /^Usage: audit formats/m);
  const v = memoryIo();
  assert.equal(await main(['--version'], v), 0);
  assert.equal(v.stdout(), '0.1.0\n');
});

test('a command named first runs alone, with its own usage errors', async () => {
  const io = memoryIo();
  assert.equal(await main(['formats'], io), 0);
  assert.match(io.stdout(), /syslog/);
  const bad = memoryIo();
  assert.equal(await main(['scan', '--no-such-flag'], bad), 2);
  assert.match(bad.stderr(), /^audit: unknown option '--no-such-flag'/);
});
