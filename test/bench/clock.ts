// The corpus clock: a UTC time that only moves forward by seeded random steps, with the timestamp layouts of
// syslog, nginx and journald. The day part is cached, since it changes once in many thousand lines.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAY_MS = 86_400_000;

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export class Clock {
  /** ms since the epoch, UTC. */
  ms: number;
  private day = -1;
  private syslogDay = '';
  private nginxDay = '';

  constructor(start: Date) {
    this.ms = start.getTime();
  }

  /** Moves forward by `step` ms (0 keeps the time: several lines in one millisecond happen). */
  advance(step: number): void {
    this.ms += Math.max(0, Math.round(step));
  }

  /** `Mar  2 07:04:09`: RFC 3164, no year, day padded with a space. */
  syslog(): string {
    this.refreshDay();
    return this.syslogDay + this.hms();
  }

  /** `02/Mar/2025:07:04:09 +0000`: nginx $time_local on a UTC server. */
  nginx(): string {
    this.refreshDay();
    return this.nginxDay + this.hms() + ' +0000';
  }

  /** Microseconds since the epoch as journald writes them (a decimal string). */
  micros(extra: number): string {
    return String(this.ms * 1000 + extra);
  }

  private hms(): string {
    const s = Math.floor((this.ms % DAY_MS) / 1000);
    return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  }

  private refreshDay(): void {
    const day = Math.floor(this.ms / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    const d = new Date(day * DAY_MS);
    const month = MONTHS[d.getUTCMonth()]!;
    const date = d.getUTCDate();
    this.syslogDay = `${month} ${date < 10 ? ' ' + date : date} `;
    this.nginxDay = `${two(date)}/${month}/${d.getUTCFullYear()}:`;
  }
}
