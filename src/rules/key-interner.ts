// Interns the keys the counter and the detectors group events by (an event's address and account): one V8
// string per distinct value, so that every later look-up and compare downstream is one of addresses.

/**
 * One object per distinct value of a key the counter and the detectors group by (an event's address, its account):
 * each event's value is looked up in up to five tables (and compared with the values a distinct window holds), and
 * every last-key check, Map hit or miss then compares two addresses where it compared characters (a slice of 13 or
 * more characters is compared in V8's runtime). The answer for the last value is kept (attacks repeat one address).
 * Returns a copy of `s` that shares nothing with a line. Bounded: past `max` values the table starts afresh (what
 * it handed out stays one object per value: V8 keeps its own copy while anything holds it).
 */
export function createKeyInterner(max = 4096): (s: string) => string {
  const table = new Map<string, string>();
  let last = '';
  return (s) => {
    if (s === last) return last;
    let v = table.get(s);
    if (v === undefined) {
      v = internalized(s);
      if (table.size >= max) table.clear();
      table.set(v, v);
    }
    last = v;
    return v;
  };
}

// Holds one property at most, for the moment `internalized` needs it. V8 makes an object without a prototype a
// dictionary at once: no hidden class per name, whatever the names.
const scratch: Record<string, number> = Object.create(null) as Record<string, number>;

/**
 * V8's own copy of `s`, the one property names use: flat, hashed once, and told apart from any other such string by
 * its address alone (two of one length need no character compared). A copy: it shares nothing with a line.
 */
function internalized(s: string): string {
  scratch[s] = 0;
  const name = Object.keys(scratch)[0]!;
  delete scratch[s];
  return name;
}
