// How the engine hands an event on: once, or times N for `message repeated N times` and a `count` group, capped.
import type { SecurityEvent } from '../types.js';

/**
 * `message repeated N times` and a `count` group multiply an event, up to this many copies: a forged
 * `repeated 999999999 times` must not flood the pipeline. Counts past the cap are lost.
 */
export const MAX_REPEAT = 100;

/** The `count` group's text (dovecot's `3 attempts`) as a number, at least 1. */
export function countOf(c: string | undefined): number {
  if (c === undefined) return 1;
  const n = Number(c);
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** Emits the event `times` times (1 to MAX_REPEAT), each copy with its own source object. */
export function emitTimes(event: SecurityEvent, times: number, emit: (e: SecurityEvent) => void): void {
  emit(event);
  const n = Math.min(Math.max(times, 1), MAX_REPEAT);
  for (let i = 1; i < n; i++) emit({ ...event, source: { ...event.source } });
}
