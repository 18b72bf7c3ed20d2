// Web attack signatures, one table per event type, as regex sources joined into one alternation per rule
// (builtin/web.ts). URL tables read the decoded, lowercased request (decode.ts); header tables read the raw header
// with the `i` flag. Every entry is linear-time: bounded repetition, adjacent classes disjoint, nothing nested.

const S = String.raw;

/** SQL injection in a decoded URL. Needs SQL syntax, not SQL words: `/selection?order=desc` and `/blog/union-station` stay clean. */
export const SQLI: readonly string[] = [
  S`\bunion[\s(]{1,20}(?:all[\s(]{1,20}|distinct[\s(]{1,20})?select\b`, // union select, union all select, union(select
  // a quote closed, then a boolean that is always true/false: ' or 1=1, 'or'1'='1, " or ""=", ') and 'a'<'b
  // The operand is optional as a whole and starts with no space, so the spaces around it are read one way only.
  S`['"\x60)]\s{0,10}(?:(?:or|and|xor|div)\b|\|\||&&)\s{0,10}(?:(?:['"()]{1,6}(?:[\w@.]{1,20}['")]{0,3})?|[\w@.]{1,20}['")]{0,3})\s{0,10})?(?:[=<>]|like\s{0,3}['"%])`,
  S`\b(?:and|or|xor)\s{1,10}\d{1,10}\s{0,5}[=<>]\s{0,5}\d{1,10}\b`, // numeric context: id=1 or 1=1
  S`['"\x60]\s{0,5}(?:--|#|/\*)`, // admin'-- , '#
  S`[\d'")]\s{1,5}order\s{1,5}by\s{1,5}\d`, // 1' order by 3
  S`;\s{0,5}(?:drop|truncate|alter|insert|delete|update|exec|execute|shutdown|declare)\s{1,10}[\w@(]`, // stacked query
  S`\b(?:sleep|pg_sleep|benchmark)\s{0,5}\(\s{0,5}\d`,
  S`\bwaitfor\s{1,5}delay\s{1,5}['"]`,
  S`\binformation_schema\b`,
  S`\b(?:sysobjects|syscolumns|pg_catalog|pg_shadow|sqlite_master|mysql\.user)\b`,
  S`\bxp_cmdshell\b`,
  S`@@version\b`,
  S`\bload_file\s{0,5}\(`,
  S`\binto\s{1,5}(?:out|dump)file\b`,
  S`\bgroup_concat\s{0,5}\(`,
  S`\bconcat(?:_ws)?\s{0,5}\(\s{0,5}0x`,
  S`\b(?:extractvalue|updatexml)\s{0,5}\(`,
  S`\bselect\s{1,10}(?:\*|@@|null\b|\d{1,10}\s{0,5},|(?:version|database|user|char)\s{0,3}\()`,
];

/** Cross-site scripting in a decoded URL (HTML entities decoded too). `/api/scripts.js` stays clean. */
export const XSS: readonly string[] = [
  S`<\s{0,3}(?:/\s{0,3})?script\b`,
  S`\b(?:javascript|vbscript|livescript)\s{0,5}:`,
  S`[\s"'\x60/;<>]on(?:error|load|unload|mouseover|mouseout|mouseenter|mousemove|focus|focusin|blur|click|dblclick|keydown|keyup|keypress|submit|change|input|toggle|animationstart|animationend|transitionend|pageshow|resize|scroll|begin|wheel|pointerover|pointerdown|pointerenter|drag|dragstart|copy|paste|beforeunload|message|hashchange|start|finish)\s{0,5}=`,
  S`<\s{0,3}(?:svg|img|iframe|frame|body|object|embed|math|video|audio|base|marquee|isindex|details|xss|style|link|meta|form)\b`,
  S`\bdocument\s{0,3}\.\s{0,3}(?:cookie|domain|write|location)\b`,
  S`\bwindow\s{0,3}\.\s{0,3}location\b`,
  S`\b(?:alert|prompt|confirm)(?:\(|\x60)`,
  S`\beval\s{0,5}\(`,
  S`\bstring\s{0,3}\.\s{0,3}fromcharcode\s{0,3}\(`,
  S`\bexpression\s{0,3}\(`,
  S`\bsrcdoc\s{0,3}=`,
  S`\{\{[^{}]{0,60}constructor`, // AngularJS sandbox escape
];

/** Path traversal in a decoded URL (encodings, overlong UTF-8 and `..;/` decoded or matched) or in a header. */
export const TRAVERSAL: readonly string[] = [
  S`\.\.;?[/\\]`, // ../ ..\ ..;/ (Tomcat) and ....// (contains ../)
  S`[/\\]\.\.(?:$|[?;])`, // a trailing /..
];

/** Local/remote file inclusion targets and stream wrappers in a decoded URL. */
export const LFI: readonly string[] = [
  S`/etc/(?:passwd|shadow|group|hosts|issue|crontab|sudoers|master\.passwd)\b`,
  S`/proc/(?:self|\d{1,7})/(?:environ|cmdline|fd|maps|status|mounts)\b`,
  S`\b(?:php|file|expect|data|zip|phar|glob|input|compress\.zlib|gopher|dict|jar|netdoc)://`,
  S`\bdata:(?:text|application)/[\w.+-]{1,40};base64,`,
  S`\b(?:win|boot|system)\.ini\b`,
  S`[/\\]windows[/\\]system32\b`,
  S`\bweb-inf[/\\]web\.xml\b`,
  S`/var/log/(?:apache2?|nginx|httpd)/`, // log poisoning
];

/** Shell command injection in a decoded URL. A command after a separator must end there: `;id=3` is a parameter. */
export const CMD: readonly string[] = [
  // the character after the command is matched, not looked at: recheck proves no pattern with a look-ahead
  S`(?:[;|\x60]|\$\(|&&)\s{0,5}(?:id|whoami|uname|cat|ls|pwd|wget|curl|nc|ncat|netcat|bash|sh|zsh|ping|nslookup|dig|sleep|echo|busybox|chmod|rm|python[23]?|perl|php|ruby|powershell|cmd|tftp|telnet|ifconfig|env)(?:$|[\s;|&<>\x60)'"])`,
  S`\$\{ifs\}|\$ifs\b`,
  // up to three words (options) between the command and the URL: a free-text gap would be rescanned from every
  // `curl ` of a forged line
  S`\b(?:wget|curl|tftp)\s{1,5}(?:\S{1,60}\s{1,5})?(?:\S{1,60}\s{1,5})?(?:\S{1,60}\s{1,5})?(?:https?|ftp)://`,
  S`/bin/(?:ba|da|z|k|c|tc)?sh\b`,
  S`\bcmd(?:\.exe)?\s{0,3}/c\b`,
  S`\bcmd\.exe\b`,
  S`\bpowershell(?:\.exe)?\s`,
  S`/dev/(?:tcp|udp)/`,
  S`\bnc(?:at)?\s{1,5}(?:-[a-z]{1,5}\s{1,5})?-e\s`,
  S`\(\)\s{0,5}\{`, // Shellshock
];

/** Shellshock in a raw header (User-Agent, Referer). */
export const SHELLSHOCK_HEADER = S`\(\)\s{0,5}\{\s{0,10}[\w:;]`;

/** JNDI lookups (Log4Shell) with `${lower:j}`, `${::-j}` and `${env:X:-j}` obfuscations: they all nest `${`. */
export const JNDI = S`\$\{\s{0,5}(?:jndi\b|[a-z]{0,4}\$\{)|\bjndi:(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):`;

/** Attack tools that announce themselves in the User-Agent (matched with `i`). Crawlers and browsers stay clean. */
export const SCANNER_AGENTS: readonly string[] = [
  'sqlmap', 'nikto', 'nuclei', 'masscan', 'zgrab', 'zmap', 'nmap', 'nmap scripting engine', 'dirbuster',
  'gobuster', 'feroxbuster', 'dirsearch', 'dirb', 'wpscan', 'joomscan', 'droopescan', 'acunetix', 'nessus',
  'openvas', 'w3af', 'hydra', 'ffuf', 'fuzz faster u fool', 'wfuzz', 'whatweb', 'jaeles', 'commix', 'arachni',
  'skipfish', 'netsparker', 'havij', 'xsser', 'fimap', 'sqlninja', 'wapiti', 'paros', 'webinspect', 'appscan',
  'zmeu', 'morfeus', 'l9explore', 'l9tcpid', 'jorgee', 'dotdotpwn', 'interactsh', 'muieblackcat', 'bbqsql',
  'httprint', 'owasp zap', 'crimscanner',
];

/**
 * What a negative look-ahead `(?!text)` says, written without one (recheck proves no pattern with a look-ahead):
 * the end, or a first character that differs from text's, or text's first character and then the same for the rest.
 * Lowercase letters and punctuation only (the URL is lowercased).
 */
function notBefore(text: string): string {
  const [c, rest] = [text[0]!, text.slice(1)];
  const e = /[\w-]/.test(c) ? c : `\\${c}`;
  return rest === '' ? `(?:$|[^${e}])` : `(?:$|[^${e}]|${e}${notBefore(rest)})`;
}

/**
 * Requests for sensitive paths in a decoded URL: secrets and VCS folders, admin panels, status pages, backups at the
 * root, router and appliance exploits. WordPress's own /wp-admin/admin-ajax.php is left out (every WP page calls it).
 */
export const PROBE: readonly string[] = [
  S`/\.env\b`,
  S`/\.(?:git|svn|hg|bzr)(?:/|$|\?)`,
  S`/\.(?:ds_store|htpasswd|htaccess|npmrc|git-credentials|bash_history|kube|docker|vscode|idea)\b`,
  S`/\.(?:aws|ssh)/`,
  S`/wp-login\.php\b`,
  S`/xmlrpc\.php\b`,
  S`/wp-admin(?:$|\?|/${notBefore('admin-ajax.php')})`,
  S`/wp-config\.php\b`,
  S`/wp-includes/wlwmanifest\.xml\b`,
  S`/(?:phpmyadmin\d{0,4}|pma|myadmin|mysqladmin|dbadmin|sqladmin|adminer)(?:$|/|\?|\.php\b)`,
  S`/server-(?:status|info)\b`,
  S`/(?:actuator|jolokia)(?:$|/|\?)`,
  S`/config\.php\.(?:bak|old|save|swp|orig|txt|dist)\b`,
  S`^/[^?]{0,200}\.(?:php|asp|aspx|jsp|config|conf|ini|ya?ml)(?:\.bak|\.old|\.orig|\.save|\.swp|\.tmp|~)(?:$|\?)`,
  S`^/[^/?]{1,100}\.(?:sql|bak|zip|tar|tgz|gz|rar|7z|old|backup|dump)(?:$|\?)`, // backups at the root
  S`/cgi-bin/`,
  S`/(?:boaform|hnap1|gponform|goform|setup\.cgi)\b`,
  S`/vendor/phpunit/`,
  S`/solr/`,
  S`/console(?:$|/|\?)`,
  S`/manager/html\b`,
  S`/(?:jmx-console|web-console|invoker|_ignition|telescope|_profiler|wls-wsat|_async)(?:$|/|\?)`,
  S`/phpinfo\.php\b`,
  S`/(?:sftp-config\.json|docker-compose\.ya?ml)\b`,
  S`/shell\?`,
  S`/autodiscover/autodiscover\.json\b`,
  S`/remote/fgt_lang\b`,
];
