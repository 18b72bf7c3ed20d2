// Web request rules beyond attacks: SMS-code and sign-up endpoints (for sign-up abuse), HTTP 401/403 when the
// request carries no attack, and web server error-log lines that report a failed login or a forbidden request.
import type { RuleSpec } from '../spec.js';

const S = String.raw;
// Web server error logs (apache-error, nginx-error formats), and unparsed lines.
const WEB_SERVERS = ['apache', 'httpd', 'apache2', 'nginx', null];

export const webRequestRules: readonly RuleSpec[] = [
  {
    id: 'web.otp_request',
    family: 'web',
    description: 'A request to an SMS/OTP code endpoint (/sms/send, /send-code, /otp/request ...): a one-time code asked for, with the phone from the query when it is there',
    type: 'auth.otp_request',
    field: 'url',
    decode: 'web',
    additive: true,
    outcome: 'unknown',
    literal: ['sms', 'otp', 'code', 'verif', 'captcha'],
    // The endpoint ends the path segment ([/?.] or the end); when that is the `?`, the first parameter follows at
    // once, hence the optional skip before the phone parameter (matched, not looked ahead: recheck proves no
    // look-ahead).
    pattern: S`/(?:(?:sms|otp|captcha|verif(?:y|ication)?)[/_-]?(?:code[/_-]?)?(?:send|request|get)|send[/_-]?(?:sms|otp|code|verif(?:y|ication)?[/_-]?code))(?:$|[/?.])(?:(?:[^#]{0,1000}?[?&])?(?:phone|mobile|tel|msisdn|phone_?number)=(?<phone>[^?&#]{3,40}))?`,
    examples: {
      match: [
        { fields: { ip: '203.0.113.9', method: 'GET', url: '/api/v1/sms/send?phone=13888888888&scene=login', status: '200' }, expect: { phone: '13888888888', ip: '203.0.113.9' } },
        { fields: { ip: '2001:db8::7', method: 'POST', url: '/api/send-code?mobile=%2B86%20139%201234%205678', status: '429' }, expect: { phone: '+86 139 1234 5678' } },
        { fields: { method: 'POST', url: '/otp/request', status: '200' }, expect: { phone: null } },
        { fields: { method: 'GET', url: '/user/verify-code/send?scene=reg&tel=13912345678', status: '200' }, expect: { phone: '13912345678' } },
        { fields: { method: 'POST', url: '/api/captcha/get.json?lang=zh&mobile=13700001111', status: '200' }, expect: { phone: '13700001111' } },
      ],
      noMatch: ['/api/v1/login?tel=%2B8613888888888&next=%2Fhome', '/docs/sms-sending-guide', '/static/verification-code.js', '/sms/sender?phone=13888888888'],
    },
  },
  {
    id: 'web.registration',
    family: 'web',
    description: 'A POST to a sign-up endpoint (/register, /signup, /api/v1/users/register) that the server accepted (2xx/3xx)',
    type: 'account.registration',
    outcome: 'success',
    field: 'url',
    decode: 'web',
    additive: true,
    where: { method: 'POST', status: ['200', '201', '202', '204', '301', '302', '303'] },
    pattern: S`^[\w./-]{0,160}/(?:register|registration|signup|sign-up|sign_up)(?:$|[/?.])`,
    examples: {
      match: [
        { fields: { ip: '127.0.0.1', method: 'POST', url: '/api/register', status: '200' } },
        { fields: { ip: '203.0.113.61', method: 'POST', url: '/api/v1/users/signup?ref=ad', status: '201' }, expect: { ip: '203.0.113.61' } },
      ],
      noMatch: [
        { fields: { method: 'POST', url: '/register?mobile=%2B86%20139%201234%205678&invite=ZX13888888888A', status: '400' } },
        { fields: { method: 'GET', url: '/register', status: '200' } },
        { fields: { method: 'POST', url: '/api/registered-devices', status: '200' } },
      ],
    },
  },
  {
    id: 'web.http_401',
    family: 'web',
    description: 'HTTP 401 when the request carries no attack: a failed HTTP authentication',
    type: 'web.auth_failure',
    outcome: 'failure',
    where: { status: '401' },
    fallback: true,
    examples: {
      match: [{ format: 'access', message: 'GET /admin/ HTTP/1.1 401', fields: { ip: '203.0.113.9', method: 'GET', url: '/admin/', status: '401' }, expect: { ip: '203.0.113.9' } }],
      noMatch: [{ format: 'access', message: 'GET /wp-login.php HTTP/1.1 401', fields: { ip: '203.0.113.9', method: 'GET', url: '/wp-login.php', status: '401' } }],
    },
  },
  {
    id: 'web.http_403',
    family: 'web',
    description: 'HTTP 403 when the request carries no attack: a forbidden request',
    type: 'web.forbidden',
    outcome: 'failure',
    where: { status: '403' },
    fallback: true,
    examples: {
      match: [{ format: 'access', message: 'GET /private/ HTTP/1.1 403', fields: { ip: '2001:db8::403', method: 'GET', url: '/private/', status: '403' }, expect: { ip: '2001:db8::403' } }],
      noMatch: [{ format: 'access', message: 'GET /.git/config HTTP/1.1 403', fields: { ip: '203.0.113.9', method: 'GET', url: '/.git/config', status: '403' } }],
    },
  },
  {
    id: 'web.apache_auth_failure',
    family: 'web',
    description: 'Apache basic/digest auth: "user X: authentication failure for" / "user X not found"',
    type: 'web.auth_failure',
    outcome: 'failure',
    programs: WEB_SERVERS,
    literal: ['authentication failure for "', ' not found: '],
    pattern: S`\buser (?<user>[^\s:"]{1,64})(?:: authentication failure for "| not found: )`,
    examples: {
      match: [
        { program: 'apache', message: 'AH01617: user bob: authentication failure for "/admin": Password Mismatch', expect: { user: 'bob' } },
        { program: 'apache', message: 'AH01618: user mallory not found: /admin', expect: { user: 'mallory' } },
      ],
    },
  },
  {
    id: 'web.nginx_auth_failure',
    family: 'web',
    description: 'nginx auth_basic: user "X": password mismatch / user "X" was not found in "FILE"',
    type: 'web.auth_failure',
    outcome: 'failure',
    programs: WEB_SERVERS,
    literal: ['password mismatch', '" was not found in "'],
    pattern: S`\buser "(?<user>[^"\n]{0,64})"(?:: password mismatch| was not found in ")`,
    examples: {
      match: [
        { program: 'nginx', message: 'user "admin": password mismatch, client: 203.0.113.9, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"', expect: { user: 'admin' } },
        { program: 'nginx', message: 'user "root" was not found in "/etc/nginx/.htpasswd", client: 198.51.100.7, server: example.com, request: "GET /admin HTTP/1.1"', expect: { user: 'root' } },
      ],
    },
  },
  {
    id: 'web.server_forbidden',
    family: 'web',
    description: 'Apache "client denied by server configuration" / "Directory index forbidden by rule", nginx "access forbidden by rule"',
    type: 'web.forbidden',
    outcome: 'failure',
    programs: WEB_SERVERS,
    literal: ['client denied by server configuration', 'forbidden by rule'],
    pattern: S`client denied by server configuration|(?:Directory index|access) forbidden by rule`,
    examples: {
      match: [
        { program: 'apache', message: '[client 203.0.113.9] Directory index forbidden by rule: /var/www/html/' },
        { program: 'apache', message: 'AH01630: client denied by server configuration: /srv/www/private' },
        { program: 'nginx', message: 'access forbidden by rule, client: 2001:db8::9, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"' },
      ],
    },
  },
];
