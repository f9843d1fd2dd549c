// Copies the single-file build to where the Python package serves it from.
import { copyFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../dist/index.html", import.meta.url));
const target = fileURLToPath(new URL("../../assets/management.html", import.meta.url));
copyFileSync(source, target);
console.log(`wrote ${target} (${statSync(target).size} bytes)`);
