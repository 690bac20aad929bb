// The package packed as npm publishes it, with its runtime dependencies packed from node_modules,
// so tests can install it into another project offline: with an empty npm cache and no registry.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './helpers';

/** Runs npm; throws with its stderr when it fails. */
export function npm(args: string[], cwd: string, env: Record<string, string> = {}): { stdout: string; stderr: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/**
 * Copies of installed packages as the registry serves them: `prepare` is a script of a package's
 * own repository (npm never runs it for a registry install), but it stays in the package.json npm
 * installs, and a tarball packed from that copy would ask to run it.
 */
function asPublished(dirs: string[], into: string): string[] {
  return dirs.map((dir, i) => {
    const copy = path.join(into, 'published', String(i));
    fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.slice(dir.length).includes(`${path.sep}node_modules`) });
    const manifest = JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8'));
    if (manifest.scripts) delete manifest.scripts.prepare;
    fs.writeFileSync(path.join(copy, 'package.json'), JSON.stringify(manifest, null, 2));
    return copy;
  });
}

/** The directories in node_modules of every runtime dependency of this package, transitively. */
function runtimeDependencyDirs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const found = new Set<string>();
  const visit = (deps: Record<string, string> | undefined, from: string) => {
    for (const name of Object.keys(deps ?? {})) {
      // Node's lookup: the nearest node_modules above the dependent.
      let dir: string | undefined;
      for (let base = from; ; base = path.dirname(base)) {
        const candidate = path.join(base, 'node_modules', name);
        if (fs.existsSync(path.join(candidate, 'package.json'))) { dir = candidate; break; }
        if (path.dirname(base) === base) throw new Error(`${name} (needed by ${from}) is not installed`);
      }
      if (found.has(dir)) continue;
      found.add(dir);
      visit(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies, dir);
    }
  };
  visit(pkg.dependencies, REPO);
  return [...found];
}

/**
 * Packs this package (as built: no script runs) and its runtime dependencies into `dir`; returns
 * the tarballs' paths, the package's last. Installing them needs no registry.
 */
export function packWithRuntimeDependencies(dir: string): string[] {
  const tarball = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], REPO).stdout)[0].filename;
  const dependencies = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir, ...asPublished(runtimeDependencyDirs(), dir)], REPO).stdout)
    .map((p: { filename: string }) => p.filename);
  return [...dependencies, tarball].map((f: string) => path.join(dir, f));
}
