import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILT, PROJECT_DIR } from '../../scripts/lib/processes.cjs';

/**
 * Where `nest build` writes the apps has one home, BUILT in scripts/lib/processes.cjs. Files that
 * cannot import it (the image, Compose, Kubernetes, package.json, the docs) spell the paths out;
 * this test keeps every spelling equal to it, and BUILT equal to what nest-cli.json builds.
 */
const builtPaths = new Set(Object.values(BUILT).map((path) => relative(PROJECT_DIR, path)));

function filesUnder(dir: string): string[] {
  return readdirSync(join(PROJECT_DIR, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(PROJECT_DIR, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('paths of the built apps', () => {
  it("BUILT is where nest-cli.json and the apps' tsconfig put each entry file", () => {
    const nest = JSON.parse(readFileSync(join(PROJECT_DIR, 'nest-cli.json'), 'utf8')) as {
      projects: Record<string, { entryFile: string; compilerOptions?: { tsConfigPath: string } }>;
    };
    for (const [project, built] of [
      ['api', BUILT.api],
      ['worker', BUILT.worker],
    ] as const) {
      const { entryFile, compilerOptions } = nest.projects[project];
      const tsconfig = JSON.parse(readFileSync(join(PROJECT_DIR, compilerOptions!.tsConfigPath), 'utf8')) as { compilerOptions: { outDir: string } };
      const outDir = join(PROJECT_DIR, 'apps', project, tsconfig.compilerOptions.outDir);
      expect(built).toBe(join(outDir, `${entryFile}.js`));
    }
  });

  it('every spelled-out path in the deployment files, package.json and the docs is one of BUILT', () => {
    const files = ['package.json', ...['docker', 'deploy', 'docs'].flatMap(filesUnder)].filter((file) => /\.(json|ya?ml|md)$|Dockerfile$/.test(file));
    const spelled = files.flatMap((file) =>
      [...readFileSync(join(PROJECT_DIR, file), 'utf8').matchAll(/dist\/apps\/[\w./-]+\.js/g)].map((match) => ({ file, path: match[0] })),
    );
    expect(spelled.length).toBeGreaterThan(5);
    expect(spelled.filter(({ path }) => !builtPaths.has(path))).toEqual([]);
  });
});
