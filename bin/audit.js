#!/usr/bin/env node
// The only place that sets the process exit code: everything else returns it.
import { setFlagsFromString } from 'node:v8';

// Logs are attacker-controlled: a regular expression that starts to backtrack catastrophically on a crafted line
// is switched by V8 to its linear-time engine instead of hanging the scan (set before any pattern is compiled).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
const { main } = await import('../dist/src/cli.js');

process.exitCode = await main(process.argv.slice(2));
