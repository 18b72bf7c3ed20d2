#!/usr/bin/env node
// The only place that sets the process exit code: everything else returns it.
import { main } from '../dist/src/cli.js';

process.exitCode = await main(process.argv.slice(2));
