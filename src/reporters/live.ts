// Prints what cannot wait for the summary, the moment it is read: critical events as `Fatal Event:` blocks and
// each alert as one line. Everything taken from a log is sanitize()d: a log line must not drive the terminal.
import type { Bus } from '../bus.js';
import { clip, sanitize } from '../text/sanitize.js';
import type { Style } from '../text/style.js';
import type { Alert, Io, SecurityEvent } from '../types.js';

/** Enough to read the message, short enough that a flood of fatal events stays scannable. */
export const MESSAGE_MAX = 500;
const NAME_MAX = 200;

export function attachLive(bus: Bus, io: Io, style: Style): void {
  bus.on('event', (e) => {
    if (e.severity === 'critical') io.out.write(fatalBlock(e, style));
  });
  bus.on('alert', (a) => {
    io.out.write(alertBlock(a, style));
  });
}

/** The block for one critical event, ending with a blank line; null fields are left out. */
export function fatalBlock(e: SecurityEvent, style: Style): string {
  let text = style.fatal(`Fatal Event: ${sanitize(e.type)} [${clip(e.rule, NAME_MAX)}]`) + '\n';
  if (e.time !== null) text += `  time:    ${sanitize(e.time)}\n`;
  text += `  where:   ${clip(e.file, NAME_MAX)}:${e.line}\n`;
  if (e.program !== null) text += `  program: ${clip(e.program, NAME_MAX)}${e.pid === null ? '' : `[${e.pid}]`}\n`;
  else if (e.pid !== null) text += `  pid:     ${e.pid}\n`;
  text += `  message: ${clip(e.message, MESSAGE_MAX)}\n`;
  return text + '\n';
}

/** `Alert: [high] <title> (<key>) <n> events, <first> – <last>`, then a blank line. */
export function alertBlock(a: Alert, style: Style): string {
  const sev = style.severity(a.severity, `[${a.severity}]`);
  let text = `${style.bold('Alert:')} ${sev} ${clip(a.title, NAME_MAX)} (${clip(a.key, NAME_MAX)}) ${a.count} event${a.count === 1 ? '' : 's'}`;
  const span = timeSpan(a.first, a.last);
  if (span !== '') text += `, ${span}`;
  return text + '\n\n';
}

function timeSpan(first: string | null, last: string | null): string {
  if (first === null && last === null) return '';
  if (first === null || last === null || first === last) return sanitize((first ?? last)!);
  return `${sanitize(first)} – ${sanitize(last)}`;
}
