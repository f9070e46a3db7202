// The local files a profile names (kubeconfig, known_hosts, keys, AWS credentials) must exist and be readable: checked
// before anything is contacted, so a typo is a profile error naming its field, not a failure half way through a run.
import { accessSync, constants, statSync } from 'node:fs';
import type { ClusterProfile } from './profile-schema.ts';

/** Every local file the profile names, by field path. */
export function localFiles(profile: ClusterProfile): [field: string, file: string][] {
  const files: [string, string | undefined][] = [['cluster.kubeconfig', profile.cluster.kubeconfig]];
  profile.hosts.forEach((host, index) => {
    files.push([`hosts[${index}].knownHosts`, host.knownHosts], [`hosts[${index}].identityFile`, host.identityFile]);
  });
  if (profile.discoverHosts) {
    files.push(['discoverHosts.knownHosts', profile.discoverHosts.knownHosts], ['discoverHosts.identityFile', profile.discoverHosts.identityFile]);
  }
  files.push(['aws.credentialsFile', profile.aws?.credentialsFile]);
  return files.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

/** What is wrong with a file the profile names, or undefined if it is a readable file. */
export function fileProblem(file: string): string | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `file ${file} does not exist`;
    return `file ${file} cannot be read (${code ?? (error as Error).message})`;
  }
  if (!isFile) return `${file} is not a file`;
  try {
    accessSync(file, constants.R_OK);
  } catch {
    return `file ${file} is not readable by this user`;
  }
  return undefined;
}

/** One problem per missing or unreadable file, e.g. `cluster.kubeconfig: file /x does not exist`. */
export function checkLocalFiles(profile: ClusterProfile): string[] {
  return localFiles(profile).flatMap(([field, file]) => {
    const problem = fileProblem(file);
    return problem ? [`${field}: ${problem}`] : [];
  });
}
