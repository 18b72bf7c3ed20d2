// The edge of the program: builds the commander program, runs it, and turns every error into one stderr line and an
// exit code. Nothing else in src/ sets an exit code or prints an error.
import { Command, CommanderError } from 'commander';
import { AuditError, EXIT } from './errors.js';
import { sanitize } from './text/sanitize.js';
import type { Io } from './types.js';
import { scanCommand } from './commands/scan.js';
import { formatsCommand } from './commands/formats.js';
import { phoneCommand } from './commands/phone.js';
import { phonesCommand } from './commands/phones.js';
import { watchCommand } from './commands/watch.js';
import { rulesCommand } from './commands/rules.js';
import { pruneCommand } from './commands/prune.js';
import { queryCommand } from './commands/query.js';
import { reportCommand } from './commands/report.js';

export const VERSION = '0.1.0';

/** A holder the subcommands write their exit code into (commander actions cannot return one). */
export interface ExitHolder {
  code: number;
}

export function createProgram(io: Io, exit: ExitHolder): Command {
  const program = new Command('audit')
    .description('A security auditor for logs: finds attacks, failures and abuse in server and application logs.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
      // commander's own usage errors: one line, prefixed like ours.
      outputError: (s, write) => write(s.replace(/^error: /, 'audit: ')),
    })
    .exitOverride();
  for (const cmd of [scanCommand(io, exit), phoneCommand(io, exit), phonesCommand(io, exit), watchCommand(io, exit), formatsCommand(io, exit), rulesCommand(io, exit), reportCommand(io, exit), queryCommand(io, exit), pruneCommand(io, exit)]) {
    program.addCommand(cmd.exitOverride().configureOutput(program.configureOutput()));
  }
  return program;
}

/** The real terminal and process. */
export function processIo(): Io {
  return {
    out: process.stdout,
    err: process.stderr,
    in: process.stdin,
    color: Boolean(process.stdout.isTTY),
    tty: Boolean(process.stdout.isTTY),
    errTty: Boolean(process.stderr.isTTY),
    now: new Date(),
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  };
}

/** Runs the program on argv (without node and script) and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const exit: ExitHolder = { code: EXIT.ok };
  const program = createProgram(io, exit);
  // When the reader of stdout goes away (`| head`), writes fail with EPIPE, possibly after a command has finished:
  // never let that become an unhandled 'error' event. Commands listen too, to stop reading early.
  const swallowEpipe = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') io.err.write(`audit: cannot write output: ${err.message}\n`);
  };
  io.out.on('error', swallowEpipe);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    // help and --version exit 0; every usage error of commander's is ours to map to 2 (commander says 1).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof AuditError) {
    io.err.write(`audit: ${sanitize(err.message)}\n`);
    if (err.hint) io.err.write(`  hint: ${sanitize(err.hint)}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EPIPE') return EXIT.ok; // the reader went away (`| head`): end quietly
  io.err.write(`audit: internal error: ${sanitize(e instanceof Error ? e.message : String(err))}\n`);
  io.err.write('  hint: this is a bug in audit; run with AUDIT_DEBUG=1 for the stack trace and report it\n');
  if (io.env['AUDIT_DEBUG'] && e instanceof Error && e.stack) io.err.write(e.stack + '\n');
  return 70; // EX_SOFTWARE
}
