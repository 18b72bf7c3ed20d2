// Makes text taken from a log safe to show on a terminal: no control characters, no bidi overrides, no invisible
// characters. Everything taken from a log passes through here before it reaches a human-readable output.

// C0 controls except tab, DEL, C1 controls, bidi embeddings/overrides/isolates (CVE-2021-42574), zero-width and other
// invisible format characters, line/paragraph separators, and the byte-order mark.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_TEST = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  switch (code) {
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x1b: return '\\e';
    default:
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  }
}

/** Escapes every unsafe character visibly (`\e[2J`, `\x07`, `\u{202e}`); tabs become a space. */
export function sanitize(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text.includes('\t') ? text.replace(/\t/g, ' ') : text;
  return text.replace(UNSAFE, escapeChar).replace(/\t/g, ' ');
}

/** sanitize() and cut to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const s = sanitize(text);
  if (s.length <= max) return s;
  return max <= 1 ? '…' : s.slice(0, max - 1) + '…';
}
