// The messages of the journal corpus's applications and kernel: pino JSON from a Node API, Python logging with
// journald level prefixes (tracebacks, the odd non-UTF-8 byte), containerd's logfmt, firewall drops and crashes.
import type { Clock } from '../clock.js';
import type { LineSink } from '../line-sink.js';
import type { Prng } from '../prng.js';
import type { JournalEntries, Service } from './journal-entry.js';

export interface AppContext {
  rng: Prng;
  clock: Clock;
  entries: JournalEntries;
}

const API_ROUTES = ['/api/v1/products', '/api/v1/products/:id', '/api/v1/cart', '/api/v1/cart/items', '/api/v1/users/me', '/api/v1/events'];
const JOBS = ['send_email', 'resize_image', 'sync_inventory', 'generate_invoice', 'refresh_feed'];
const STORE = '203.0.113.10';

/** A pino line as the API writes it; the journal keeps PRIORITY 6 whatever pino's level says. */
export function apiLine(ctx: AppContext, sink: LineSink, s: Service): void {
  const { rng } = ctx;
  const head = `{"level":LEVEL,"time":${ctx.clock.ms},"pid":${s.pid},"hostname":"web-01","reqId":"req-${rng.hex(6)}"`;
  const u = rng.float();
  const route = rng.pick(API_ROUTES).replace(':id', String(rng.range(1000, 99999)));
  let line: string;
  if (u < 0.015) {
    line = head.replace('LEVEL', '50') + `,"err":{"type":"Error","message":"connect ECONNREFUSED 10.0.3.7:5432","stack":"Error: connect ECONNREFUSED 10.0.3.7:5432\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"},"msg":"database query failed"}`;
  } else if (u < 0.025) {
    const user = rng.pick(['alice@example.com', 'bob@example.org', 'admin@example.com', 'test@test.com']);
    line = head.replace('LEVEL', '40') + `,"user":"${user}","ip":"198.51.100.${rng.range(1, 254)}","msg":"login failed: wrong password"}`;
  } else if (u < 0.045) {
    line = head.replace('LEVEL', '40') + `,"req":{"method":"GET","url":"${route}"},"responseTime":${rng.range(1000, 9000)},"msg":"slow request"}`;
  } else if (u < 0.0452) {
    line = head.replace('LEVEL', '60') + ',"err":{"type":"RangeError","message":"Invalid array length"},"msg":"uncaught exception, exiting"}';
  } else {
    const status = rng.chance(0.96) ? 200 : rng.pick([201, 204, 401, 404, 422]);
    line = head.replace('LEVEL', '30') + `,"req":{"method":"GET","url":"${route}","remoteAddress":"::ffff:10.42.0.${rng.range(2, 250)}"},"res":{"statusCode":${status}},"responseTime":${rng.range(1, 180)},"msg":"request completed"}`;
  }
  ctx.entries.stdout(sink, s, 6, line);
}

/** Python logging through SyslogLevelPrefix: `<3>` becomes PRIORITY 3 and leaves the text. */
export function workerLine(ctx: AppContext, sink: LineSink, s: Service): void {
  const { rng } = ctx;
  const job = rng.range(10_000, 999_999);
  const name = rng.pick(JOBS);
  const u = rng.float();
  if (u < 0.0002) {
    // A file name in Latin-1: not UTF-8, so journalctl prints MESSAGE as bytes.
    ctx.entries.stdout(sink, s, 6, [...Buffer.from('INFO worker.files: stored upload caf'), 0xe9, ...Buffer.from('.jpg')]);
  } else if (u < 0.0004) {
    ctx.entries.stdout(sink, s, 2, 'CRITICAL worker.pool: all 8 workers died, shutting down');
  } else if (u < 0.012) {
    const trace = rng.chance(0.3)
      ? `\nTraceback (most recent call last):\n  File "/srv/worker/worker/jobs.py", line 88, in run\n    result = handler(payload)\n  File "/srv/worker/worker/${name}.py", line 41, in handler\n    conn.send(body)\nConnectionResetError: [Errno 104] Connection reset by peer`
      : '';
    ctx.entries.stdout(sink, s, 3, `ERROR worker.jobs: job ${job} (${name}) failed: ConnectionResetError(104, 'Connection reset by peer')${trace}`);
  } else if (u < 0.04) {
    ctx.entries.stdout(sink, s, 4, `WARNING worker.jobs: retrying job ${job} (${name}) after timeout (attempt ${rng.range(2, 5)}/5)`);
  } else {
    ctx.entries.stdout(sink, s, 6, `INFO worker.jobs: processed job ${job} (${name}) in ${(rng.float() * 2).toFixed(2)}s`);
  }
}

const CONTAINERD_MESSAGES = [
  'shim disconnected', 'cleaning up after shim disconnected', 'cleaning up dead shim',
  'loading plugin \\"io.containerd.event.v1.publisher\\"...', 'starting signal loop',
];

/** containerd's logrus text: quotes inside MESSAGE, which JSON must escape. */
export function containerdLine(ctx: AppContext, sink: LineSink, s: Service): void {
  const { rng } = ctx;
  const time = new Date(ctx.clock.ms).toISOString().replace('Z', `${rng.range(100_000, 999_999)}Z`);
  const level = rng.chance(0.9) ? 'info' : 'warning';
  ctx.entries.stdout(sink, s, 6, `time="${time}" level=${level} msg="${rng.pick(CONTAINERD_MESSAGES)}" id=${rng.hex(64)} namespace=moby`);
}

/** Firewall drops mostly; now and then AppArmor, SYN floods, a segfault or the OOM killer. */
export function kernelLine(ctx: AppContext, sink: LineSink, src: string): void {
  const { rng } = ctx;
  const u = rng.float();
  if (u < 0.85) {
    const v6 = src.includes(':');
    const l3 = v6 ? `SRC=${src} DST=2001:db8:10::10 LEN=60 TC=0 HOPLIMIT=${rng.range(40, 64)} FLOWLBL=0` : `SRC=${src} DST=${STORE} LEN=44 TOS=0x00 PREC=0x00 TTL=${rng.range(40, 250)} ID=${rng.range(1, 65535)}`;
    ctx.entries.kernel(sink, 4, `[UFW BLOCK] IN=eth0 OUT= MAC=02:42:ac:11:00:02:fe:ff:ff:ff:ff:ff:08:00 ${l3} PROTO=TCP SPT=${rng.range(1024, 65535)} DPT=${rng.pick([23, 445, 3389, 5900, 8080, 6379, 1433, 2375])} WINDOW=1024 RES=0x00 SYN URGP=0`);
  } else if (u < 0.95) {
    const stamp = `${Math.floor(ctx.clock.ms / 1000)}.${String(ctx.clock.ms % 1000).padStart(3, '0')}:${rng.range(100, 9999)}`;
    ctx.entries.kernel(sink, 5, `audit: type=1400 audit(${stamp}): apparmor="DENIED" operation="open" class="file" profile="/usr/sbin/cupsd" name="/etc/ssl/openssl.cnf" pid=${rng.range(300, 99999)} comm="cupsd" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`);
  } else if (u < 0.993) {
    ctx.entries.kernel(sink, 6, 'TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.');
  } else if (u < 0.9995) {
    ctx.entries.kernel(sink, 6, `node[${rng.range(300, 99999)}]: segfault at 0 ip 00007f3a9c2e1b2d sp 00007ffd5e8c1f20 error 4 in libc.so.6[7f3a9c28a000+195000] likely on CPU 1 (core 1, socket 0)`);
  } else {
    const pid = rng.range(300, 99999);
    ctx.entries.kernel(sink, 6, `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/worker.service,task=python3,pid=${pid},uid=997`);
    ctx.entries.kernel(sink, 3, `Out of memory: Killed process ${pid} (python3) total-vm:8123456kB, anon-rss:3932160kB, file-rss:0kB, shmem-rss:0kB, UID:997 pgtables:8200kB oom_score_adj:0`);
  }
}
