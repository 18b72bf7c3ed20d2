// The nginx corpus: the `combined` log format of a shop behind nginx, with assets, pages, API calls, health checks
// and crawlers, and ~2% attacks (SQL injection, XSS, traversal, file inclusion, command injection, Log4Shell,
// sensitive-path probes, scanner user agents) sent in bursts by a few thousand attacker addresses.
import { AddressPool } from '../addresses.js';
import { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import { Prng, Weighted } from '../prng.js';
import { gap, type CorpusGenerator } from './generator.js';
import * as data from './nginx-data.js';

export interface NginxLogOptions {
  seed: number;
  /** Share of lines that are attacks. */
  attackRate: number;
}

/** `method` '' means a request line nginx could not read: `path` is then logged as the whole line. */
interface Request { method: string; path: string; status: number; bytes: number; referer: string; agent: string; user?: string }
type Family = 'sqli' | 'xss' | 'traversal' | 'lfi' | 'cmd' | 'jndi' | 'probe' | 'scanner';
type Normal = 'asset' | 'page' | 'api' | 'health' | 'bot' | 'tool';

const NORMAL = new Weighted<Normal>([['asset', 45], ['page', 28], ['api', 14], ['health', 5], ['bot', 6], ['tool', 2]]);
const FAMILIES = new Weighted<Family>([['probe', 40], ['sqli', 15], ['xss', 8], ['traversal', 10], ['lfi', 5], ['cmd', 5], ['jndi', 3], ['scanner', 14]]);
const SITE = 'https://shop.example.com';
const HEALTH_ADDRESSES = ['10.42.0.1', '10.42.1.1', '10.42.2.1'];
const FAMILY_PATHS: Record<Exclude<Family, 'jndi' | 'scanner'>, readonly string[]> = {
  sqli: data.SQLI, xss: data.XSS, traversal: data.TRAVERSAL, lfi: data.LFI, cmd: data.CMD_INJECTION, probe: data.PROBES,
};

export function nginxLog(opts: NginxLogOptions): CorpusGenerator {
  return new NginxLog(opts);
}

class NginxLog implements CorpusGenerator {
  private readonly rng: Prng;
  private readonly clock = new Clock(new Date('2025-03-02T00:00:00Z'));
  private readonly clients = new AddressPool(50_000, 100_000_000, 2);
  private readonly attackers = new AddressPool(5_000, 200_000_000, 1.5);
  private readonly attackRate: number;
  private attacker = { ip: '', agent: '' };

  constructor(opts: NginxLogOptions) {
    this.rng = new Prng(opts.seed);
    this.attackRate = opts.attackRate;
  }

  step(sink: LineSink): boolean {
    this.clock.advance(gap(this.rng.float(), 60));
    if (this.rng.chance(this.attackRate)) {
      this.write(sink, this.attacker.ip === '' || this.rng.chance(0.1) ? this.newAttacker() : this.attacker.ip, this.attack());
      return true;
    }
    const kind = NORMAL.pick(this.rng);
    if (kind === 'health') this.write(sink, this.rng.pick(HEALTH_ADDRESSES), this.health());
    else if (kind === 'bot') this.bot(sink);
    else if (kind === 'tool') this.write(sink, this.clients.pick(this.rng), this.tool());
    else this.browser(sink, kind);
    return true;
  }

  private write(sink: LineSink, ip: string, r: Request): void {
    const proto = r.agent.startsWith('Mozilla/5.0 (') && this.rng.chance(0.7) ? 'HTTP/2.0' : 'HTTP/1.1';
    const request = r.method === '' ? r.path : `${r.method} ${r.path} ${proto}`;
    sink.line(`${ip} - ${r.user ?? '-'} [${this.clock.nginx()}] "${request}" ${r.status} ${r.bytes} "${r.referer}" "${r.agent}"`);
  }

  private browser(sink: LineSink, kind: 'asset' | 'page' | 'api'): void {
    const k = this.clients.index(this.rng);
    const agent = data.BROWSER_AGENTS[k % data.BROWSER_AGENTS.length]!;
    const r = kind === 'asset' ? this.asset(agent) : kind === 'page' ? this.page(agent) : this.api(agent);
    this.write(sink, this.clients.at(k), r);
  }

  private asset(agent: string): Request {
    const [path, size] = this.rng.pick(data.ASSETS);
    const u = this.rng.float();
    const status = u < 0.8 ? 200 : u < 0.98 ? 304 : 404;
    return { method: 'GET', path, status, bytes: status === 200 ? size : status === 404 ? 153 : 0, referer: SITE + this.pagePath(), agent };
  }

  private page(agent: string): Request {
    const path = this.pagePath();
    const referer = this.rng.chance(0.3) ? '-' : this.rng.chance(0.2) ? 'https://www.google.com/' : SITE + this.pagePath();
    if (path === '/login' && this.rng.chance(0.3)) {
      return { method: 'POST', path, status: this.rng.chance(0.8) ? 302 : 200, bytes: this.rng.range(0, 5000), referer: SITE + '/login', agent };
    }
    const u = this.rng.float();
    const status = u < 0.93 ? 200 : u < 0.94 ? 301 : u < 0.96 ? 302 : u < 0.992 ? 404 : u < 0.995 ? 499 : u < 0.998 ? 500 : 502;
    return { method: 'GET', path, status, bytes: status === 200 ? this.rng.range(8_000, 90_000) : this.rng.range(0, 600), referer, agent };
  }

  private pagePath(): string {
    switch (this.rng.int(10)) {
      case 0: return '/';
      case 1: case 2: case 3: return `/products/${this.rng.range(1000, 99999)}`;
      case 4: return `/category/${this.rng.pick(data.CATEGORIES)}?page=${this.rng.range(1, 12)}`;
      case 5: return `/blog/2025/${this.rng.pick(data.BLOG_SLUGS)}`;
      case 6: return `/search?q=${this.rng.pick(data.WORDS)}+${this.rng.pick(data.WORDS)}`;
      case 7: return this.rng.pick(['/cart', '/checkout', '/account', '/about', '/contact']);
      case 8: return '/login';
      default: return `/category/${this.rng.pick(data.CATEGORIES)}`;
    }
  }

  private api(agent: string): Request {
    const referer = SITE + this.pagePath();
    const u = this.rng.float();
    if (u < 0.3) return { method: 'POST', path: '/api/v1/events', status: 204, bytes: 0, referer, agent };
    if (u < 0.45) return { method: 'POST', path: '/api/v1/cart/items', status: this.rng.chance(0.95) ? 201 : 422, bytes: this.rng.range(80, 900), referer, agent };
    if (u < 0.55) {
      const status = this.rng.chance(0.2) ? 401 : 200;
      return { method: 'GET', path: '/api/v1/users/me', status, bytes: status === 200 ? this.rng.range(300, 900) : 61, referer, agent };
    }
    const path = this.rng.chance(0.5) ? `/api/v1/products?page=${this.rng.range(1, 40)}&limit=20` : `/api/v1/products/${this.rng.range(1000, 99999)}`;
    const status = this.rng.chance(0.97) ? 200 : this.rng.chance(0.6) ? 404 : 429;
    return { method: 'GET', path, status, bytes: status === 200 ? this.rng.range(1_000, 20_000) : 74, referer, agent };
  }

  private health(): Request {
    return { method: 'GET', path: '/healthz', status: 200, bytes: 2, referer: '-', agent: 'kube-probe/1.29' };
  }

  private bot(sink: LineSink): void {
    const [addresses, agent] = this.rng.pick(data.BOTS);
    const path = this.rng.chance(0.05) ? this.rng.pick(['/robots.txt', '/sitemap.xml']) : this.pagePath();
    this.write(sink, this.rng.pick(addresses), { method: 'GET', path, status: this.rng.chance(0.95) ? 200 : 404, bytes: this.rng.range(400, 90_000), referer: '-', agent });
  }

  private tool(): Request {
    const path = `/api/v1/products?page=${this.rng.range(1, 40)}&limit=100`;
    return { method: 'GET', path, status: 200, bytes: this.rng.range(10_000, 60_000), referer: '-', agent: this.rng.pick(data.TOOL_AGENTS) };
  }

  private newAttacker(): string {
    const agent = this.rng.chance(0.5) ? this.rng.pick(data.SCANNER_AGENTS)
      : this.rng.chance(0.5) ? this.rng.pick(data.TOOL_AGENTS) : this.rng.pick(data.BROWSER_AGENTS);
    this.attacker = { ip: this.attackers.pick(this.rng), agent };
    return this.attacker.ip;
  }

  private attack(): Request {
    const family = FAMILIES.pick(this.rng);
    const agent = this.attacker.agent;
    if (family === 'jndi') {
      const payload = this.rng.pick(data.JNDI);
      return this.rng.chance(0.5)
        ? { method: 'GET', path: '/', status: 200, bytes: 31_000, referer: '-', agent: payload }
        : { method: 'GET', path: `/?x=${payload}`, status: 400, bytes: 157, referer: payload, agent };
    }
    if (family === 'scanner') {
      return { method: 'GET', path: this.pagePath(), status: this.rng.chance(0.7) ? 200 : 404, bytes: this.rng.range(150, 40_000), referer: '-', agent: this.rng.pick(data.SCANNER_AGENTS) };
    }
    const path = this.rng.pick(FAMILY_PATHS[family]);
    if (family === 'probe') return this.probe(path, agent);
    const u = this.rng.float();
    const status = u < 0.5 ? 404 : u < 0.7 ? 403 : u < 0.85 ? 400 : 200;
    return { method: 'GET', path, status, bytes: status === 200 ? this.rng.range(2_000, 40_000) : this.rng.range(150, 560), referer: '-', agent };
  }

  private probe(path: string, agent: string): Request {
    if (this.rng.chance(0.04)) {
      // A TLS handshake sent to the plain-HTTP port, or a connection that sent nothing: what scanners leave.
      const raw = this.rng.chance(0.5) ? '\\x16\\x03\\x01\\x00\\xF1\\x01\\x00\\x00\\xED\\x03\\x03' : '-';
      return { method: '', path: raw, status: 400, bytes: raw === '-' ? 0 : 157, referer: '-', agent: '-' };
    }
    if (path === '/xmlrpc.php' || path === '/wp-login.php') {
      return { method: 'POST', path, status: 404, bytes: 153, referer: '-', agent };
    }
    if (path === '/administrator/' && this.rng.chance(0.5)) {
      return { method: 'GET', path, status: 401, bytes: 179, referer: '-', agent, user: this.rng.pick(['admin', 'root', 'test']) };
    }
    return { method: 'GET', path, status: path === '/.htpasswd' ? 403 : 404, bytes: 153, referer: '-', agent };
  }
}
