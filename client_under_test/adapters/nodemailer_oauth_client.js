#!/usr/bin/env node
// A device built on nodemailer's OAuth2 transport (npm nodemailer): nodemailer gets every access
// token itself by a refresh_token grant at the token endpoint (auth.accessUrl), with the scope in
// customParams because Entra's v2.0 endpoint requires one (AADSTS900144). The first refresh token
// comes from a device-code sign-in done here (nodemailer has no device flow) and is kept in a cache
// file. nodemailer never hands back the rotated refresh token, so the first one is reused: that is
// nodemailer's behaviour, kept as it is. Driven by nodemailer-oauth.cmd; exits 0 when accepted,
// 1 when refused, 7 without a token.
'use strict';
const fs = require('fs');
const https = require('https');
const path = require('path');
const nodemailer = require(path.join(__dirname, 'node_modules', 'nodemailer'));

const SIGN_IN_HOSTS = ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net'];
const DELEGATED = 'https://outlook.office.com/SMTP.Send offline_access';

function parse(argv) {
  const a = {};
  for (let i = 2; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1] === undefined ? '' : argv[i + 1];
  return a;
}

// The name mapping of tests/integration/identity_clients.py, for node's https: the socket goes to
// --identity_address, SNI, Host and the certificate check keep the sign-in name.
function mapSignIn(a) {
  const ca = a.ca_file || a.ca ? fs.readFileSync(a.ca_file || a.ca) : undefined;
  const original = https.request;
  https.request = function (options, ...rest) {
    const host = (options.hostname || options.host || '').toLowerCase();
    if (!SIGN_IN_HOSTS.includes(host)) return original.call(this, options, ...rest);
    const o = Object.assign({}, options, { servername: host, headers: Object.assign({}, options.headers, { host }) });
    if (ca) o.ca = ca;
    if (a.identity_address) {
      const i = a.identity_address.lastIndexOf(':');
      Object.assign(o, { host: a.identity_address.slice(0, i), hostname: undefined, port: Number(a.identity_address.slice(i + 1)) });
    }
    return original.call(this, o, ...rest);
  };
}

function post(url, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const u = new URL(url);
    const req = https.request({ hostname: u.hostname, port: 443, path: u.pathname, method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString())); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error('token endpoint timed out')));
    req.end(body);
  });
}

// RFC 8628 device flow, polling at the interval given (+5 s on slow_down).
async function deviceSignIn(a, scope) {
  const base = a.authority.replace(/\/+$/, '');
  const d = await post(`${base}/oauth2/v2.0/devicecode`, { client_id: a.client_id, scope });
  if (!d.device_code) throw new Error(`devicecode: ${d.error}: ${d.error_description || ''}`);
  console.error(`${'-'.repeat(64)}\n  ${d.message}\n  enter the code:  ${d.user_code}\n${'-'.repeat(64)}`);
  let interval = Number(d.interval || 5);
  const deadline = Date.now() + Number(d.expires_in || 900) * 1000;
  while (Date.now() < deadline) {
    await new Promise(r => setTimeout(r, interval * 1000));
    const t = await post(`${base}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: a.client_id, device_code: d.device_code });
    if (t.refresh_token) return t.refresh_token;
    if (t.error === 'slow_down') interval += 5;
    else if (t.error !== 'authorization_pending') throw new Error(`device code: ${t.error}: ${t.error_description || ''}`);
  }
  throw new Error('device code: expired before anyone signed in');
}

function readCache(file, key) {
  if (!file || !fs.existsSync(file)) return {};
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));  // corrupt: throws, a clear stop
  return c.key === key ? c : {};
}

function writeCache(file, cache) {
  if (!file) return;
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  fs.writeSync(fd, JSON.stringify(cache));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, file);
}

async function main() {
  const a = parse(process.argv);
  mapSignIn(a);
  const scope = a.scope || DELEGATED;
  const key = [a.authority, a.client_id, scope].join(' ');
  const cache = readCache(a.cache, key);
  let refreshToken = cache.refresh_token;
  if (!refreshToken) {
    try {
      refreshToken = await deviceSignIn(a, scope);
    } catch (e) {
      console.error(`nodemailer-oauth: ${e.message}`);
      return 7;
    }
    writeCache(a.cache, { key, refresh_token: refreshToken });
  }
  const transport = nodemailer.createTransport({
    host: a.host, port: Number(a.port), requireTLS: true, name: 'adapter.exosim.invalid',
    connectionTimeout: 8000, greetingTimeout: 8000, socketTimeout: 8000,
    tls: { servername: a.servername || a.host, rejectUnauthorized: true, ca: a.ca ? [fs.readFileSync(a.ca)] : undefined },
    auth: { type: 'OAuth2', user: a.user, clientId: a.client_id, clientSecret: a.client_secret || undefined, refreshToken,
            accessUrl: `${a.authority.replace(/\/+$/, '')}/oauth2/v2.0/token`, customParams: { scope } },
  });
  transport.on('token', t => console.error(`nodemailer-oauth: new access token for ${t.user}, expires ${new Date(t.expires).toISOString()}`));
  try {
    const info = await transport.sendMail({ from: a.from, to: (a.to || '').split(',').filter(Boolean), subject: a.subject,
      text: a.body, messageId: `<${a.scenario}@nodemailer-oauth.adapter.exosim.invalid>` });
    console.error(`nodemailer-oauth: ${info.response}`);
    return 0;
  } catch (e) {
    console.error(`nodemailer-oauth: ${e.code || ''} ${e.response || e.message}`);
    return e.code === 'EAUTH' && /invalid_grant/.test(e.message) ? 6 : e.code === 'EAUTH' && !e.responseCode ? 7 : 1;
  }
}

main().then(code => process.exit(code), e => { console.error(`nodemailer-oauth: ${e.message}`); process.exit(1); });
