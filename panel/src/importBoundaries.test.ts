// The import rules of eslint.config.js, run through ESLint's Node API on snippets placed (virtually)
// in the source tree: imports flow shared → features → app, never from one feature into another.
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const panelDir = fileURLToPath(new URL("..", import.meta.url));
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: panelDir });
  await eslint.lintText("export {};\n", { filePath: `${panelDir}/src/lib/warmUp.ts` }); // loads config and plugins once
}, 60_000);

/** Lints `code` as if it were the file at `file` (relative to panel/); returns its problems. */
async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: `${panelDir}/${file}` });
  if (!result) throw new Error("ESLint returned no result");
  return result.messages;
}

const rules = (messages: Linter.LintMessage[]) => messages.map((m) => m.ruleId);

// The first lints also parse the dependency graph for no-cycle: slow on a busy 2-core machine.
describe("import boundaries", { timeout: 30_000 }, () => {
  it("rejects a feature importing another feature", async () => {
    const messages = await lint(
      "src/features/prices/Snippet.ts",
      'import { dataApi } from "../data/api";\nexport const x = dataApi;\n',
    );
    expect(rules(messages)).toEqual(["import-x/no-restricted-paths"]);
    expect(messages[0]?.message).toContain("must not import another feature (data)");
  });

  it("covers a feature folder that does not exist yet", async () => {
    const messages = await lint(
      "src/features/settings/SettingsPage.tsx",
      'import { pricesApi } from "../prices/api";\nexport const x = pricesApi;\n',
    );
    expect(rules(messages)).toEqual(["import-x/no-restricted-paths"]);
  });

  it("lets a feature import its own files and shared code", async () => {
    const messages = await lint(
      "src/features/prices/Snippet.ts",
      [
        'import { pricesApi } from "./api";',
        'import { http } from "../../lib/http";',
        'import { useI18n } from "../../i18n/I18nProvider";',
        'import { Button } from "../../components/ui/Button";',
        "export const x = [pricesApi, http, useI18n, Button];",
        "",
      ].join("\n"),
    );
    expect(messages).toEqual([]);
  });

  it("rejects shared code importing a feature or the app shell", async () => {
    const code = 'import { pricesApi } from "../features/prices/api";\nimport { parseHash } from "../app/router";\nexport const x = [pricesApi, parseHash];\n';
    for (const file of ["src/lib/snippet.ts", "src/i18n/snippet.ts", "src/testing/snippet.ts"]) {
      expect(rules(await lint(file, code))).toEqual(["import-x/no-restricted-paths", "import-x/no-restricted-paths"]);
    }
    const ui = await lint(
      "src/components/ui/Snippet.tsx",
      'import { pricesApi } from "../../features/prices/api";\nexport const x = pricesApi;\n',
    );
    expect(rules(ui)).toEqual(["import-x/no-restricted-paths"]);
  });

  it("rejects a feature importing the app shell, but lets the app import features", async () => {
    const fromFeature = await lint(
      "src/features/data/Snippet.ts",
      'import { parseHash } from "../../app/router";\nexport const x = parseHash;\n',
    );
    expect(rules(fromFeature)).toEqual(["import-x/no-restricted-paths"]);

    const fromApp = await lint(
      "src/app/Snippet.ts",
      'import { pricesApi } from "../features/prices/api";\nimport { dataApi } from "../features/data/api";\nexport const x = [pricesApi, dataApi];\n',
    );
    expect(fromApp).toEqual([]);
  });

  it("rejects an import cycle", async () => {
    // As if prices/types.ts imported logic.ts, which imports types.ts.
    const messages = await lint("src/features/prices/types.ts", 'import { FIELD_LABELS } from "./logic";\nexport const x = FIELD_LABELS;\n');
    expect(rules(messages)).toEqual(["import-x/no-cycle"]);
  });

  it("fails an import the resolver cannot find (so it cannot slip past the zones)", async () => {
    const messages = await lint("src/features/prices/Snippet.ts", 'import { x } from "../nowhere/api";\nexport const y = x;\n');
    expect(rules(messages)).toEqual(["import-x/no-unresolved"]);
  });
});
