// What Node itself costs on these files, the floor the issue measures audit against: every line turned into a string
// (createReadStream | split2) and tested with one regular expression, nothing else. Prints the count of matching
// lines, like grep -c. Run by `npm run bench` as `node dist/test/bench/floor.js PATTERN FILE...`; with
// `--audit-reader` first, the lines come from audit's own reader instead (src/sources: openPath and readLines, split2
// behind the line guard), which does not allocate a buffer per read: what reading costs audit itself.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import split2 from 'split2';
import { readLines } from '../../src/sources/lines.js';
import { openPath } from '../../src/sources/open.js';

async function count(path: string, re: RegExp): Promise<number> {
  let n = 0;
  const sink = new Writable({
    objectMode: true,
    write(line: string, _enc, done) {
      if (re.test(line)) n++;
      done();
    },
  });
  // 32 KiB reads, as src/sources/lines.ts feeds split2: with the default 64 KiB, one non-ASCII character makes the
  // decoded chunk a two-byte string past 128 KiB, which V8 keeps in large-object space, and split2 slows down 5-10x
  // (STYLE.md): the floor would then measure that trap, not Node.
  await pipeline(createReadStream(path, { highWaterMark: 32 * 1024 }), split2(), sink);
  return n;
}

/** The same count through audit's reader (1 MiB line cap, as `scan`'s default). */
async function countWithAuditReader(path: string, re: RegExp): Promise<number> {
  let n = 0;
  await readLines(await openPath(path, path, () => {}), { maxLineBytes: 1024 * 1024 }, (line) => {
    if (re.test(line)) n++;
  });
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const auditReader = argv[0] === '--audit-reader';
  const [pattern, ...paths] = auditReader ? argv.slice(1) : argv;
  if (pattern === undefined || paths.length === 0) {
    process.stderr.write('usage: node dist/test/bench/floor.js [--audit-reader] PATTERN FILE...\n');
    return 2;
  }
  const re = new RegExp(pattern);
  for (const p of paths) {
    try {
      process.stdout.write(`${await (auditReader ? countWithAuditReader : count)(p, re)}\n`);
    } catch (err) {
      process.stderr.write(`floor: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
