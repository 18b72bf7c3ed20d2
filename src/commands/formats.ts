// `audit formats`: the log formats audit recognises, with a sample line of each.
import { Command } from 'commander';
import { FORMATS } from '../formats/registry.js';
import type { ExitHolder } from '../cli.js';
import type { Io } from '../types.js';

export function formatsCommand(io: Io, _exit: ExitHolder): Command {
  return new Command('formats')
    .description('list the log formats audit detects, with a sample line of each')
    .action(() => {
      for (const f of FORMATS) {
        io.out.write(`${f.name.padEnd(14)} ${f.description}\n`);
        if (f.samples[0] !== undefined) io.out.write(`${''.padEnd(14)} e.g. ${f.samples[0]}\n`);
      }
    });
}
