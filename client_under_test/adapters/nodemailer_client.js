#!/usr/bin/env node
// Sends one message with nodemailer (npm), configured the way its documentation recommends for
// Microsoft 365: STARTTLS required (requireTLS), certificate and host name verified against the CA
// and server name given, the AUTH method forced. Driven by nodemailer.cmd under `exosim certify`;
// exits 0 when the message was accepted, 1 otherwise (the reason on stderr).
'use strict';
const fs = require('fs');
const path = require('path');
const nodemailer = require(path.join(__dirname, 'node_modules', 'nodemailer'));

function parse(argv) {
  const a = { to: [] };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1] === undefined ? '' : argv[i + 1];
    if (key === 'to') a.to.push(...value.split(',').filter(Boolean));
    else a[key] = value;
  }
  return a;
}

function transportOptions(a) {
  const servername = a.servername || a.host;
  const o = {
    host: a.host,
    port: Number(a.port),
    secure: a.security === 'implicit',
    requireTLS: a.security === 'starttls',
    ignoreTLS: a.security === 'none',
    name: 'adapter.exosim.invalid',
    connectionTimeout: 8000,
    greetingTimeout: 8000,
    socketTimeout: 8000,
    tls: { servername, rejectUnauthorized: true },
  };
  if (a.ca) o.tls.ca = [fs.readFileSync(a.ca)];
  if (a.source) o.localAddress = a.source;
  if (a.client_cert) {
    o.tls.cert = fs.readFileSync(a.client_cert);
    o.tls.key = fs.readFileSync(a.client_key || a.client_cert);
  }
  if (a.auth === 'login' || a.auth === 'plain') {
    o.auth = { user: a.user, pass: a.password };
    o.authMethod = a.auth.toUpperCase();
  } else if (a.auth === 'xoauth2') {
    o.auth = { type: 'OAuth2', user: a.user, accessToken: a.token };
  }
  return o;
}

async function main() {
  const a = parse(process.argv);
  const transport = nodemailer.createTransport(transportOptions(a));
  const message = {
    from: a.from,
    to: a.to,
    subject: a.subject,
    text: a.body,
    // Stable across the harness's attempts, so a resend can be recognised (RFC 5322 3.6.4).
    messageId: `<${a.scenario || 'exosim'}@nodemailer.adapter.exosim.invalid>`,
  };
  if (a.attachment) message.attachments = [{ path: a.attachment, contentType: 'application/pdf' }];
  try {
    const info = await transport.sendMail(message);
    if (info.rejected && info.rejected.length) console.error(`rejected: ${info.rejected.join(', ')}`);
    return 0;
  } catch (e) {
    console.error(`nodemailer: ${e.code || e.name}: ${e.message}`);
    return 1;
  }
}

// Let nodemailer finish its QUIT exchange: process.exit() here would cut the connection short.
main().then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 3000).unref();
});
