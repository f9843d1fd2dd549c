// ESLint for the panel (flat config). Besides typescript-eslint and the hooks rules, it enforces
// the import direction of the style guide: shared (lib, components, i18n, testing) → features → app,
// and never one feature folder into another.
import { readdirSync } from "node:fs";
import path from "node:path";
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;

/** Every folder in src/features, read at lint time so a new feature is covered without editing this file. */
function featureFolders() {
  return readdirSync(path.join(root, "src/features"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** Nothing outside features/<name> may import it, except the app shell (and the entry point). */
const featureZones = featureFolders().map((name) => ({
  target: `./src/features/!(${name})/**`,
  from: `./src/features/${name}`,
  message: `A feature must not import another feature (${name}); move shared code to src/lib or src/components/ui.`,
}));

export default defineConfig(
  globalIgnores(["dist/", "node_modules/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "import-x": importX },
    settings: {
      // Without these, import-x does not parse .ts/.tsx dependencies and no-cycle sees no edges.
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/external-module-folders": ["node_modules", "node_modules/@types"],
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: path.join(root, "tsconfig.json") })],
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // An unresolved import would slip past the path zones below, so it is an error itself.
      "import-x/no-unresolved": "error",
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: root,
          zones: [
            ...featureZones,
            {
              target: ["./src/lib", "./src/components", "./src/i18n", "./src/testing"],
              from: ["./src/features", "./src/app"],
              message: "Shared code (lib, components, i18n, testing) must not import features or the app shell.",
            },
            {
              target: "./src/features",
              from: "./src/app",
              message: "Features must not import the app shell.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: globals.node },
  },
);
