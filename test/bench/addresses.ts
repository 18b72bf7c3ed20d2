// Source addresses for the corpora: an injective map from an index to a public-looking IPv4 or IPv6 address (the
// distinct-addresses case needs a million that never repeat), and skewed pools of them for ordinary traffic.
import type { Prng } from './prng.js';

/** First octets of public unicast space: 1-223 without private, loopback, link-local, CGNAT and test ranges. */
const FIRST_OCTETS: readonly number[] = (() => {
  const reserved = new Set([10, 100, 127, 169, 172, 192, 198, 203]);
  const out: number[] = [];
  for (let o = 1; o <= 223; o++) if (!reserved.has(o)) out.push(o);
  return out;
})();

/** Prefixes of real hosting and ISP allocations, so IPv6 attackers look like the ones in real logs. */
const V6_PREFIXES = ['2a01:4f8', '2a03:b0c0', '2604:a880', '2001:41d0', '240e:3b0', '2a02:c207', '2600:3c00', '2001:19f0'] as const;

/** Addresses per first octet: 65,536 for the middle octets times 254 last octets (1-254: no .0, no .255). */
const PER_OCTET = 65_536 * 254;
const SPACE = FIRST_OCTETS.length * PER_OCTET; // 215 * 2^17 * 127
/**
 * Coprime with SPACE and close to SPACE / golden ratio: `(SPREAD * i + c) mod SPACE` is a bijection that sends
 * neighbouring indexes far apart, so no address repeats and the busiest ones do not look alike.
 */
const SPREAD = 2_211_894_797;

/** `a * b mod m` for a, b, m below 2^32, without leaving the 2^53 of exact doubles. */
function mulMod(a: number, b: number, m: number): number {
  return (((a * Math.floor(b / 65_536)) % m) * 65_536 + a * (b % 65_536)) % m;
}

function distinctV4(i: number): string {
  const x = (mulMod(SPREAD, i % SPACE, SPACE) + 7_654_321) % SPACE;
  const r = Math.floor(x / FIRST_OCTETS.length);
  const middle = Math.floor(r / 254);
  return `${FIRST_OCTETS[x % FIRST_OCTETS.length]}.${middle >>> 8}.${middle & 0xff}.${(r % 254) + 1}`;
}

function distinctV6(i: number): string {
  const j = Math.floor(i / V6_PREFIXES.length);
  // 40507 is coprime with 65535, so the product is a bijection on residues; +1 keeps every group non-zero (the
  // text is then already in canonical RFC 5952 form).
  const g3 = 1 + (((j % 65535) * 40507 + 12_345) % 65535);
  const g4 = 1 + (Math.floor(j / 65535) % 65535);
  const g8 = 1 + ((Math.imul(j + 1, 0x45d9f3b) >>> 16) % 65535);
  return `${V6_PREFIXES[i % V6_PREFIXES.length]}:${g3.toString(16)}:${g4.toString(16)}::${g8.toString(16)}`;
}

/**
 * The i-th address of a sequence in which no address repeats (for i below 3 * 10^9); one in ten is IPv6.
 * Different indexes always give different strings.
 */
export function distinctAddress(i: number): string {
  const group = Math.floor(i / 10);
  return i % 10 === 9 ? distinctV6(group) : distinctV4(group * 9 + (i % 10));
}

/** A fixed set of addresses, drawn with a skew: a few addresses send most of the traffic, as on a real server. */
export class AddressPool {
  private readonly addresses: readonly string[];
  private readonly power: number;

  /** `offset` picks a different slice of the distinct sequence, so two pools never share an address. */
  constructor(size: number, offset: number, power: number) {
    const list: string[] = [];
    for (let i = 0; i < size; i++) list.push(distinctAddress(offset + i));
    this.addresses = list;
    this.power = power;
  }

  get size(): number {
    return this.addresses.length;
  }

  /** A skewed index into the pool, for callers that keep something per address (a browser, say). */
  index(rng: Prng): number {
    return rng.skewed(this.addresses.length, this.power);
  }

  at(i: number): string {
    return this.addresses[i]!;
  }

  pick(rng: Prng): string {
    return this.addresses[this.index(rng)]!;
  }
}
