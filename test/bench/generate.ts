// Writes the benchmark corpora (or finds them already written): names each file by kind, size and seed, generates
// into a temporary file that is renamed only when complete, and records what it wrote in a .meta.json beside it.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditLog } from './corpora/audit-log.js';
import { authLog } from './corpora/auth-log.js';
import { floodLog } from './corpora/flood-log.js';
import type { CorpusGenerator } from './corpora/generator.js';
import { journalLog } from './corpora/journal-log.js';
import { nginxLog } from './corpora/nginx-log.js';
import { LineSink } from './line-sink.js';

/** A kind written to one file. */
export type FileKind = 'auth' | 'nginx' | 'journal' | 'distinct' | 'auditd' | 'flood';
/** 'pair': two auth.log files (seeds s and s+1, --lines each) scanned together, for the two-core target. */
export type CorpusKind = FileKind | 'pair';
export const CORPUS_KINDS: readonly CorpusKind[] = ['auth', 'nginx', 'journal', 'distinct', 'pair', 'auditd', 'flood'];
/** Attacking addresses of the flood corpus unless --flood says otherwise. */
export const FLOOD_ADDRESSES = 10_000;

/** Bump when the generators change what they write, so that --keep does not reuse stale corpora. */
export const GENERATOR_VERSION = 1;

export interface CorpusSpec<K extends CorpusKind = CorpusKind> {
  kind: K;
  /** Lines to write; for 'distinct' the file ends when `distinct` addresses have been used instead. */
  lines: number;
  distinct: number;
  /** Attacking addresses of the 'flood' corpus (default FLOOD_ADDRESSES). */
  flood?: number;
  seed: number;
}

export interface Corpus {
  kind: CorpusKind;
  label: string;
  /** Names the corpus in results: its file, or its files joined with ' + '. */
  path: string;
  /** The files every command reads, in this order. */
  paths: readonly string[];
  lines: number;
  bytes: number;
  /** Generated now (false: reused with --keep). */
  generated: boolean;
  seconds: number;
}

interface Meta {
  kind: FileKind;
  lines: number;
  distinct: number;
  seed: number;
  version: number;
  bytes: number;
}

export function corpusLabel(spec: CorpusSpec): string {
  switch (spec.kind) {
    case 'auth': return 'auth.log (RFC 3164)';
    case 'nginx': return 'nginx access (combined)';
    case 'journal': return 'journalctl -o json';
    case 'distinct': return `auth.log, ${spec.distinct.toLocaleString('en-US')} distinct addresses`;
    case 'pair': return '2 x auth.log (RFC 3164)';
    case 'auditd': return 'audit.log (ENRICHED)';
    case 'flood': return `auth.log, a flood from ${(spec.flood ?? FLOOD_ADDRESSES).toLocaleString('en-US')} addresses`;
  }
}

export function corpusFileName(spec: CorpusSpec<FileKind>): string {
  const seed = spec.seed === 1 ? '' : `-s${spec.seed}`;
  switch (spec.kind) {
    case 'auth': return `auth-${spec.lines}${seed}.log`;
    case 'nginx': return `nginx-access-${spec.lines}${seed}.log`;
    case 'journal': return `journal-${spec.lines}${seed}.json`;
    case 'distinct': return `auth-distinct-${spec.distinct}${seed}.log`;
    case 'auditd': return `audit-${spec.lines}${seed}.log`;
    case 'flood': return `auth-flood-${spec.lines}-${spec.flood ?? FLOOD_ADDRESSES}${seed}.log`;
  }
}

export function createGenerator(spec: CorpusSpec<FileKind>): CorpusGenerator {
  switch (spec.kind) {
    case 'auth': return authLog({ seed: spec.seed, distinct: null });
    case 'nginx': return nginxLog({ seed: spec.seed, attackRate: 0.02 });
    case 'journal': return journalLog({ seed: spec.seed });
    case 'distinct': return authLog({ seed: spec.seed, distinct: spec.distinct });
    case 'auditd': return auditLog({ seed: spec.seed });
    case 'flood': return floodLog({ seed: spec.seed, addresses: spec.flood ?? FLOOD_ADDRESSES });
  }
}

/** Streams the corpus of `spec` to `path`; returns the number of lines written. */
export async function writeCorpus(spec: CorpusSpec<FileKind>, path: string): Promise<number> {
  const sink = new LineSink(path, spec.kind === 'distinct' ? Infinity : spec.lines);
  const gen = createGenerator(spec);
  while (!sink.full && gen.step(sink)) {
    if (sink.ready) await sink.flush();
  }
  await sink.close();
  return sink.count;
}

/** The corpus of `spec` in `dir`: reused when `keep` and an identical one is there, else generated. */
export async function prepareCorpus(spec: CorpusSpec, dir: string, keep: boolean): Promise<Corpus> {
  if (spec.kind !== 'pair') return prepareFile({ ...spec, kind: spec.kind }, dir, keep);
  const a = await prepareFile({ ...spec, kind: 'auth' }, dir, keep);
  const b = await prepareFile({ ...spec, kind: 'auth', seed: spec.seed + 1 }, dir, keep);
  return {
    kind: 'pair', label: corpusLabel(spec), path: `${a.path} + ${b.path}`, paths: [a.path, b.path], lines: a.lines + b.lines,
    bytes: a.bytes + b.bytes, generated: a.generated || b.generated, seconds: a.seconds + b.seconds,
  };
}

async function prepareFile(spec: CorpusSpec<FileKind>, dir: string, keep: boolean): Promise<Corpus> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, corpusFileName(spec));
  const label = corpusLabel(spec);
  if (keep) {
    const meta = await readMeta(path);
    if (meta !== null && sameSpec(meta, spec) && (await sizeOf(path)) === meta.bytes) {
      return { kind: spec.kind, label, path, paths: [path], lines: meta.lines, bytes: meta.bytes, generated: false, seconds: 0 };
    }
  }
  const started = process.hrtime.bigint();
  const lines = await writeCorpus(spec, path + '.tmp');
  await rename(path + '.tmp', path);
  const bytes = (await stat(path)).size;
  const meta: Meta = { kind: spec.kind, lines, distinct: spec.distinct, seed: spec.seed, version: GENERATOR_VERSION, bytes };
  await writeFile(path + '.meta.json', JSON.stringify(meta) + '\n');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { kind: spec.kind, label, path, paths: [path], lines, bytes, generated: true, seconds };
}

function sameSpec(meta: Meta, spec: CorpusSpec<FileKind>): boolean {
  const sizeMatches = spec.kind === 'distinct' ? meta.distinct === spec.distinct : meta.lines === spec.lines;
  return meta.kind === spec.kind && sizeMatches && meta.seed === spec.seed && meta.version === GENERATOR_VERSION;
}

async function readMeta(path: string): Promise<Meta | null> {
  try {
    return JSON.parse(await readFile(path + '.meta.json', 'utf8')) as Meta;
  } catch {
    return null;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}
