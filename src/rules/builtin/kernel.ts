// Kernel and crash rules: OOM kills (once per kill: only the `Killed process` line, not the rest of the dump),
// segfaults, general protection faults, traps, oopses, core dumps, panics. For the kernel's records and for
// unparsed records (dmesg output): not for application records that merely say "Kernel panic" (JSON, logfmt...).
import type { RuleSpec } from '../spec.js';

const S = String.raw;
// The kernel through syslog/journald, and dmesg output (unparsed: no format, no program). Both lists are needed:
// programs alone would also take every record of the formats that have no program (JSON lines, logfmt, Python).
// Null comes last in KERNEL_FORMATS so that examples default to syslog.
const KERNEL = ['kernel', null];
const KERNEL_FORMATS = ['syslog', 'syslog-5424', 'journal', 'journal-json', null];

const OOPS = S`(?:general protection fault(?:, [^:\]\n]{0,120})?: [0-9a-f]{4} \[#\d{1,6}\]|BUG: unable to handle (?:kernel )?(?:NULL pointer dereference|paging request|page fault)|kernel BUG at )`;

export const kernelRules: readonly RuleSpec[] = [
  {
    id: 'kernel.oom_kill',
    family: 'kernel',
    description: 'Out of memory: Killed process PID (NAME) / Killed process PID (NAME) total-vm: one event per OOM kill',
    type: 'system.oom',
    outcome: 'unknown',
    programs: KERNEL,
    formats: KERNEL_FORMATS,
    literal: 'Killed process ',
    pattern: S`(?:[Oo]ut of memory: Killed process \d{1,10} \(|(?:^|\] |: )Killed process \d{1,10} \([^()\n]{0,64}\),? total-vm:)`,
    examples: {
      match: [
        { program: 'kernel', message: 'Out of memory: Killed process 21377 (java) total-vm:8392184kB, anon-rss:6231876kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:12660kB oom_score_adj:0' },
        { program: 'kernel', message: 'Memory cgroup out of memory: Killed process 4242 (node) total-vm:1919920kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1500kB oom_score_adj:0' },
        { program: 'kernel', message: 'Killed process 3127 (mysqld) total-vm:2245368kB, anon-rss:1548692kB, file-rss:0kB' },
        { program: null, format: null, message: '[123456.789012] Out of memory: Killed process 812 (python3) total-vm:4194304kB, anon-rss:3900000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:8000kB oom_score_adj:0' },
      ],
      noMatch: [
        { program: 'kernel', message: 'java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0' },
        { program: 'kernel', message: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=java,pid=21377,uid=1001' },
        { program: 'kernel', message: 'Out of memory: Kill process 3127 (mysqld) score 901 or sacrifice child' },
        { program: 'kernel', message: 'oom_reaper: reaped process 21377 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB' },
        { program: 'supervisord', message: 'Killed process 123 (worker) after timeout' },
        { program: null, format: 'json', level: 'info', message: 'Out of memory: Killed process 812 (python3) total-vm:4194304kB' },
      ],
    },
  },
  {
    id: 'kernel.oomd_kill',
    family: 'kernel',
    description: 'systemd-oomd / earlyoom killed a process or cgroup for lack of memory',
    type: 'system.oom',
    outcome: 'unknown',
    programs: ['systemd-oomd', 'earlyoom'],
    literal: ['Killed ', 'sending SIG'],
    pattern: S`^(?:Killed \S{1,512} due to memory (?:pressure|used)|sending SIG(?:TERM|KILL) to process \d{1,10})`,
    examples: {
      match: [
        { program: 'systemd-oomd', message: 'Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 62.32% > 50.00% for > 20s with reclaim activity' },
        { program: 'earlyoom', message: 'sending SIGTERM to process 4242 uid 1000 "chrome": badness 880, VmRSS 2048 MiB' },
      ],
    },
  },
  {
    id: 'kernel.segfault',
    family: 'kernel',
    description: 'NAME[PID]: segfault at ADDR ip ... (a user process crashed)',
    type: 'system.crash',
    outcome: 'unknown',
    programs: KERNEL,
    formats: KERNEL_FORMATS,
    literal: ': segfault at ',
    pattern: S`\[\d{1,10}\]: segfault at [0-9a-fA-F]{1,16} ip `,
    examples: {
      match: [
        { program: 'kernel', message: 'nginx[2331]: segfault at 0 ip 000055d1c3f2a1b4 sp 00007ffd2c1e8f40 error 4 in nginx[55d1c3e00000+13c000]' },
        { program: null, format: null, message: '[ 8812.123456] php-fpm[9911]: segfault at 7f3a0c000010 ip 00007f3a1b2c3d4e sp 00007ffe11223340 error 6 in libc.so.6[7f3a1b200000+195000]' },
      ],
    },
  },
  {
    id: 'kernel.trap',
    family: 'kernel',
    description: 'traps: NAME[PID] general protection fault / trap invalid opcode / trap divide error',
    type: 'system.crash',
    outcome: 'unknown',
    programs: KERNEL,
    formats: KERNEL_FORMATS,
    literal: 'traps: ',
    pattern: S`(?:^|\] )traps: \S{1,100}\[\d{1,10}\] (?:general protection|trap )`,
    examples: {
      match: [
        { program: 'kernel', message: 'traps: node[4242] general protection fault ip:7f1c2d3e4f50 sp:7ffd1e2f3a40 error:0 in libnode.so.108[7f1c2c000000+1a00000]' },
        { program: 'kernel', message: 'traps: python3[777] trap invalid opcode ip:7f00aa11bb22 sp:7ffc00112233 error:0 in libcrypto.so.3[7f00aa000000+2b0000]' },
      ],
    },
  },
  {
    id: 'kernel.oops',
    family: 'kernel',
    description: 'general protection fault: 0000 [#1] / BUG: unable to handle kernel NULL pointer dereference (a kernel oops)',
    type: 'system.crash',
    outcome: 'unknown',
    programs: KERNEL,
    formats: KERNEL_FORMATS,
    literal: ['general protection fault', 'BUG: unable to handle', 'kernel BUG at '],
    // At the start, or after a dmesg timestamp: two top-level branches, each of which recheck proves alone. The
    // fault's detail holds no ']', so that it cannot run on over a second forged `] general protection fault, `.
    pattern: S`^${OOPS}|\] ${OOPS}`,
    examples: {
      match: [
        { program: 'kernel', message: 'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI' },
        { program: 'kernel', message: 'BUG: unable to handle kernel NULL pointer dereference at 0000000000000008' },
        { program: 'kernel', message: 'kernel BUG at mm/slub.c:3970!' },
        { program: null, format: null, message: '[ 8123.456789] BUG: unable to handle page fault for address: ffffffffc0a1b2c3' },
        { program: null, format: null, message: '[  512.000117] general protection fault: 0000 [#2] SMP PTI' },
      ],
      noMatch: [{ program: null, format: null, message: 'see the wiki: general protection fault: 0000 [#1] explained' }],
    },
  },
  {
    id: 'kernel.panic',
    family: 'kernel',
    description: 'Kernel panic - not syncing: the machine stopped',
    type: 'app.fatal',
    outcome: 'unknown',
    programs: KERNEL,
    formats: KERNEL_FORMATS,
    literal: 'Kernel panic - not syncing',
    pattern: S`Kernel panic - not syncing`,
    examples: {
      match: [
        { program: 'kernel', message: 'Kernel panic - not syncing: Out of memory and no killable processes...' },
        { program: null, format: null, message: '[    2.345678] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)' },
      ],
      noMatch: [
        // an application's own message (JSON lines, logfmt and Python records have no program) is not the kernel's
        { program: null, format: 'json', level: 'info', message: 'Kernel panic - not syncing' },
        { program: null, format: 'logfmt', level: 'info', message: 'test fixture says Kernel panic - not syncing: VFS' },
        { program: null, format: 'python', level: 'info', message: 'Kernel panic - not syncing (simulated)' },
      ],
    },
  },
  {
    id: 'kernel.coredump',
    family: 'kernel',
    description: 'systemd-coredump: Process PID (NAME) of user UID dumped core',
    type: 'system.crash',
    outcome: 'unknown',
    programs: ['systemd-coredump'],
    literal: ' dumped core',
    pattern: S`^Process \d{1,10} \([^)\n]{0,64}\) of user (?<user>\d{1,10}) dumped core`,
    examples: {
      match: [{ message: 'Process 4242 (node) of user 1000 dumped core.\n\nStack trace of thread 4242:\n#0  0x00007f3a1b2c3d4e n/a (libc.so.6 + 0x8f4e)', expect: { user: '1000' } }],
    },
  },
];
