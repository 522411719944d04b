import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('generated resolver types match the schema', () => {
  const directory = mkdtempSync(join(tmpdir(), 'codegen-'));
  try {
    const config = readFileSync(join(root, 'codegen.yml'), 'utf8').replace(
      'src/generated/graphql.ts:',
      `${join(directory, 'graphql.ts')}:`,
    );
    const configFile = join(directory, 'codegen.yml');
    writeFileSync(configFile, config);
    execFileSync(process.execPath, [join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', configFile], {
      cwd: root,
      stdio: 'pipe',
    });
    const fresh = readFileSync(join(directory, 'graphql.ts'), 'utf8');
    const committed = readFileSync(join(root, 'src/generated/graphql.ts'), 'utf8');
    expect(fresh === committed, 'src/generated/graphql.ts is stale: run `npm run codegen`').toBe(true);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}, 60_000);
