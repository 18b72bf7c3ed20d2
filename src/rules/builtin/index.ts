// The built-in rules, in the order the engine tries them: program rules and the rules that know a line best first
// (sudo and su before the generic PAM rules), application wording and level fallbacks last.
import type { RuleSpec } from '../spec.js';
import { accountRules } from './accounts.js';
import { appRules } from './app.js';
import { auditdRules } from './auditd.js';
import { databaseRules } from './database.js';
import { dropbearRules } from './dropbear.js';
import { ftpRules } from './ftp.js';
import { kernelRules } from './kernel.js';
import { loginRules } from './login.js';
import { mailRules } from './mail.js';
import { pamRules } from './pam.js';
import { sshdProbeRules } from './sshd-probe.js';
import { sshdRules } from './sshd.js';
import { suRules } from './su.js';
import { sudoRules } from './sudo.js';
import { webRequestRules } from './web-requests.js';
import { webRules } from './web.js';

export const BUILTIN_RULES: readonly RuleSpec[] = [
  ...sshdRules,
  ...sshdProbeRules,
  ...dropbearRules,
  ...sudoRules,
  ...suRules,
  ...pamRules,
  ...loginRules,
  ...accountRules,
  ...mailRules,
  ...ftpRules,
  ...databaseRules,
  ...kernelRules,
  ...auditdRules,
  ...webRules,
  ...webRequestRules,
  ...appRules,
];
