// msal-node's client credentials grant against exosim (tests/integration/test_identity_clients.py).
// usage: node msal_node_client_credentials.mjs <port> <ca.pem> <client id> secret|certificate-sha1|certificate-sha256 <app cert base>
//   secret: the Scan Daemon's secret Exosim-Secret-1; certificate-*: <base>.crt.pem and <base>.key.pem,
//   sha1: RS256 with x5t (msal-node's older `thumbprint`), sha256: PS256 with x5t#S256 (its current default).
// Prints one JSON line: {accessToken, expiresOn}.
import crypto from "node:crypto";
import fs from "node:fs";
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { MappedNetworkClient } from "./exosim_network.mjs";

const [port, caFile, clientId, mode, certBase] = process.argv.slice(2);
const auth = { clientId, authority: "https://login.microsoftonline.com/contoso.com" };
if (mode === "secret") {
  auth.clientSecret = "Exosim-Secret-1";
} else {
  const pem = fs.readFileSync(`${certBase}.crt.pem`, "utf8");
  const cert = new crypto.X509Certificate(pem);
  const privateKey = fs.readFileSync(`${certBase}.key.pem`, "utf8");
  const x5c = pem.replace(/-----[^-]+-----|\s/g, "");
  auth.clientCertificate = mode === "certificate-sha1"
    ? { thumbprint: cert.fingerprint.replace(/:/g, ""), privateKey, x5c }
    : { thumbprintSha256: cert.fingerprint256.replace(/:/g, ""), privateKey, x5c };
}
const networkClient = new MappedNetworkClient({ port: Number(port), caFile });
const app = new ConfidentialClientApplication({
  auth,
  system: { networkClient, loggerOptions: { logLevel: LogLevel.Error, loggerCallback: (_l, m) => console.error(m) } },
});
try {
  const result = await app.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] });
  console.log(JSON.stringify({ accessToken: result.accessToken, expiresOn: result.expiresOn }));
} catch (e) {
  console.error(`${e.errorCode || e.name}: ${e.errorMessage || e.message}`);
  console.error(JSON.stringify(networkClient.requests));
  process.exitCode = 1;
} finally {
  networkClient.close();
}
