/** Test doubles for contexts' unit tests (import from '@switchboard/platform/testing' in *.spec.ts only). */
export * from './fake-tenant-transaction';
