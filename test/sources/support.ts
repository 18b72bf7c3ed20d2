// Helpers for the sources tests: a scratch directory per test file, and reading a source's lines in full.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Readable } from 'node:stream';
import { readLines } from '../../src/sources/lines.js';

/** A fresh directory under the system temp dir, removed when the test file ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `audit-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every line of a stream (rejects as readLines does). */
export async function allLines(stream: Readable, maxLineBytes = 64 * 1024): Promise<string[]> {
  const lines: string[] = [];
  await readLines(stream, { maxLineBytes }, (line) => lines.push(line));
  return lines;
}

/** Lines read until readLines rejected, and the rejection. */
export async function linesUntilError(stream: Readable): Promise<{ lines: string[]; error: unknown }> {
  const lines: string[] = [];
  try {
    await readLines(stream, { maxLineBytes: 64 * 1024 }, (line) => lines.push(line));
  } catch (error) {
    return { lines, error };
  }
  return { lines, error: null };
}
