// Pinned versions of everything the lab builds from Go modules.
export const KUBERNETES_VERSION = '1.34.4';
export const ETCD_VERSION = '3.6.16';
export const KWOK_VERSION = '0.8.0';
