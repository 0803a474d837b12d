// oauth2-mock-server (npm), the mock that test suites use today, over HTTPS on 127.0.0.1:<free port>
// with an RS256 signing key, as bench/identity/run.sh compares it with exosim's sign-in service.
// usage: node mock_server.mjs <key.pem> <cert.pem>; prints "listening oauth2-mock-server 127.0.0.1:<port>".
// Debian 12's node 18 has no global Web Crypto (node 19 made it global), and jose, the mock's JWT
// library, calls crypto.subtle: provide node's own before the mock loads (hence the dynamic import).
import { webcrypto } from "node:crypto";
globalThis.crypto ??= webcrypto;
const { OAuth2Server } = await import("oauth2-mock-server");

const [key, cert] = process.argv.slice(2);
const server = new OAuth2Server(key, cert);
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
console.log(`listening oauth2-mock-server 127.0.0.1:${server.address().port} pid=${process.pid}`);
const stop = async () => { await server.stop(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
