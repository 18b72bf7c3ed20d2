#!/usr/bin/env -S node --max-semi-space-size=8 --v8-pool-size=0
// --max-semi-space-size=8: a young generation of 8 MB instead of 16 keeps peak memory ~20 MB lower on large scans
// at no measurable cost in time (BENCHMARKS.md).
// --v8-pool-size=0: V8's helper threads (concurrent compiling and marking, parallel young-generation collections) are
// one fewer than the CPUs instead of Node's fixed four, so that they do not take the core the scan runs on: on 2 CPUs,
// alternated scans of 1,000,000 access lines took ~5% less time and of 2,000,000 auth lines ~6% less, with 3x fewer
// involuntary context switches and half the waits (BENCHMARKS.md, tenth round).
// `node bin/audit.js` works too, with Node's defaults.
// The only place that sets the process exit code: everything else returns it.
import { setFlagsFromString } from 'node:v8';

// Logs are attacker-controlled: a regular expression that starts to backtrack catastrophically on a crafted line
// is switched by V8 to its linear-time engine instead of hanging the scan (set before any pattern is compiled).
// Only for patterns that engine can run: not with look-arounds, back-references or large counted repetitions.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
// A scan keeps little alive (~15 MB after a full GC on 2,000,000 auth lines) but allocates fast, so V8's default
// growing factor let the old space reach ~60 MB between full collections. Growing it at most 2x kept peak memory
// ~35 MB lower (2,000,000 auth lines: 147-152 -> 112-114 MB) for no measurable time (BENCHMARKS.md, fourth round).
// 1.5x, as threads already had: a flood of failures from 10,000 addresses (~40 MB live) peaks at ~142 MB instead of
// ~154, for ~8 more full collections there (~0.2 s of marking in ~17 s); instructions on 1,000,000 auth lines even
// (13.76 against 13.79 G at 2x), peak memory on the bench's logs 3-4 MB lower (BENCHMARKS.md, twenty-third round).
setFlagsFromString('--heap-growing-percent=50');
// V8 optimizes a function once it has run a budget of bytecodes; at 1.5x the default the per-line functions are
// optimized a little later, with fuller type feedback, and fewer are optimized twice. Instructions (valgrind):
// 1,000,000 access lines -1.4%, 2,000,000 auth lines -0.8%; user CPU, alternated: access log -4%, auth.log -1 to
// -3%, with threads and on journald JSON even. 2x saved more instructions but cost auth.log time (BENCHMARKS.md,
// fifteenth and sixteenth rounds). Set before any worker thread starts: V8's flags are the process's.
setFlagsFromString('--interrupt-budget=101376');
// V8 allocates the objects of an allocation site in the old space once most of them survived a young collection. A
// scan's short-lived objects sometimes met that test by timing: 200,000 access lines with SigmaHQ's rules then ran
// ~15% longer and peaked ~30 MB higher, in 2 to 4 runs of 6 (none of 6 with this). Instructions even without it on
// auth.log and the access log (BENCHMARKS.md, nineteenth round).
setFlagsFromString('--no-allocation-site-pretenuring');
const { main } = await import('../dist/src/cli.js');

process.exitCode = await main(process.argv.slice(2));
