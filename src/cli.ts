// The edge of the program: builds the commander program, runs it, and turns every error into one stderr line and an
// exit code. Nothing else in src/ sets an exit code or prints an error.
import { Command, CommanderError } from 'commander';
import { AuditError, EXIT } from './errors.js';
import { sanitize } from './text/sanitize.js';
import type { Io } from './types.js';

type CommandFactory = (io: Io, exit: ExitHolder) => Command;

// Each command's module is loaded only when needed (a command brings its own graph: phone, the store, watch...):
// `audit scan` loads scan's alone; help, --version and unknown commands load them all. In the order of `--help`.
const COMMANDS: Record<string, () => Promise<CommandFactory>> = {
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  phone: async () => (await import('./commands/phone.js')).phoneCommand,
  phones: async () => (await import('./commands/phones.js')).phonesCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  formats: async () => (await import('./commands/formats.js')).formatsCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  query: async () => (await import('./commands/query.js')).queryCommand,
  prune: async () => (await import('./commands/prune.js')).pruneCommand,
};

export const VERSION = '0.1.0';

/** A holder the subcommands write their exit code into (commander actions cannot return one). */
export interface ExitHolder {
  code: number;
}

/**
 * The program with the commands argv can reach: only the one named first when argv starts with a command's name
 * (commander then sees exactly what it would see with all of them), else all (help, --version, an unknown command).
 */
export async function createProgram(io: Io, exit: ExitHolder, argv: readonly string[] = []): Promise<Command> {
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
  const first = argv[0];
  const names = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  const factories = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const factory of factories) {
    program.addCommand(factory(io, exit).exitOverride().configureOutput(program.configureOutput()));
  }
  return program;
}

/** The real terminal and process. */
export function processIo(): Io {
  return {
    out: process.stdout,
    err: process.stderr,
    // process.stdin makes its stream when first read (~3 ms): only a scan of '-' or with no paths reads it.
    get in() {
      return process.stdin;
    },
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
  const program = await createProgram(io, exit, argv);
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
