// Fails when the built panel grows past the budget (raw and gzip), printing both sizes.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const MAX_RAW_BYTES = 1.5 * 1024 * 1024;
const MAX_GZIP_BYTES = 450 * 1024;

const file = fileURLToPath(new URL("../../assets/management.html", import.meta.url));
const raw = readFileSync(file);
const gzipBytes = gzipSync(raw, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

console.log(`management.html raw:  ${kb(raw.length)} (limit ${kb(MAX_RAW_BYTES)})`);
console.log(`management.html gzip: ${kb(gzipBytes)} (limit ${kb(MAX_GZIP_BYTES)})`);
if (raw.length > MAX_RAW_BYTES || gzipBytes > MAX_GZIP_BYTES) {
  console.error("management.html is over the size budget");
  process.exit(1);
}
