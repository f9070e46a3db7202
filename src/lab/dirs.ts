// Where the lab keeps its build cache and its state, both outside the repository.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Build cache: Go wrapper modules and built binaries, keyed by version. */
export function cacheDir(): string {
  return resolve(process.env.FIREDRILL_CACHE_DIR ?? join(homedir(), '.cache', 'kube-firedrill'));
}

/** Default lab state folder: PKI, host folders, logs, kubeconfig and the cluster profile. */
export function defaultLabDir(): string {
  return resolve(process.env.FIREDRILL_LAB_DIR ?? join(homedir(), '.local', 'state', 'kube-firedrill', 'lab'));
}
