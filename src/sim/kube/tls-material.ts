// A throwaway CA and server certificate for the simulated API server, made with the openssl CLI.
// kubectl (Go's crypto/x509) insists on a CA with CA:TRUE and a server certificate whose SAN names
// the address it dials, so both 127.0.0.1 and localhost are in the SAN.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";

/** PEM text of the CA certificate and the server's key pair. */
export interface TlsMaterial {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const OPENSSL_TIMEOUT_MS = 20_000;

async function openssl(args: string[]): Promise<void> {
  const result = await execa("openssl", args, { timeout: OPENSSL_TIMEOUT_MS, killSignal: "SIGKILL", reject: false, stdin: "ignore" });
  if (result.failed) throw new Error(`openssl ${args[0]} failed: ${result.shortMessage} ${String(result.stderr)}`.trim());
}

/** Make (or reuse, when `dir` already holds them) the CA and server certificate in `dir`. */
export async function ensureTlsMaterial(dir: string): Promise<TlsMaterial> {
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  const serverKey = join(dir, "server.key");
  const serverCsr = join(dir, "server.csr");
  const serverCert = join(dir, "server.crt");
  const extensions = join(dir, "server.ext");
  if (!existsSync(caCert) || !existsSync(serverCert) || !existsSync(serverKey)) {
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    // k3s names its CA after the time it was made; so does the simulator.
    const caName = `/CN=k3s-server-ca@${Math.floor(Date.now() / 1000)}`;
    await openssl(["req", "-x509", ...ec, "-keyout", caKey, "-out", caCert, "-days", "3650", "-subj", caName,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"]);
    await openssl(["req", ...ec, "-keyout", serverKey, "-out", serverCsr, "-subj", "/O=k3s/CN=k3s"]);
    await writeFile(extensions, [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default",
      "",
    ].join("\n"));
    await openssl(["x509", "-req", "-in", serverCsr, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial",
      "-out", serverCert, "-days", "365", "-sha256", "-extfile", extensions]);
  }
  const [ca, cert, key] = await Promise.all([readFile(caCert, "utf8"), readFile(serverCert, "utf8"), readFile(serverKey, "utf8")]);
  return { caCert: ca, serverCert: cert, serverKey: key };
}
