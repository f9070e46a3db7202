// Pinned versions of everything the lab builds from Go modules, and of the EC2 API emulator it installs from PyPI.
export const KUBERNETES_VERSION = '1.34.4';
export const ETCD_VERSION = '3.6.16';
export const KWOK_VERSION = '0.8.0';
export const MOTO_VERSION = '5.2.1';
