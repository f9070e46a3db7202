// actionlint, the GitHub Actions workflow linter, built once from its Go module into the build cache.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../../src/lab/dirs.ts';
import { buildGoModule } from '../../../src/lab/go-build.ts';

const VERSION = 'v1.7.11'; // its go.mod asks for Go 1.24, the project's minimum (v1.7.12 asks for 1.25)

/** The actionlint binary, built on first use (about 10 s with Go's module cache warm). */
export async function actionlint(): Promise<string> {
  const outDir = join(cacheDir(), 'bin', `actionlint-${VERSION}`);
  const binary = join(outDir, 'actionlint');
  if (existsSync(binary)) return binary;
  await buildGoModule(
    {
      title: `actionlint ${VERSION}`,
      moduleDir: join(cacheDir(), 'src', `actionlint-${VERSION}`),
      goMod: `module kube-firedrill.local/actionlint-build\n\ngo 1.24\n\nrequire github.com/rhysd/actionlint ${VERSION}\n`,
      packages: ['github.com/rhysd/actionlint/cmd/actionlint'],
      outDir,
    },
    () => {},
  );
  return binary;
}
