/** oidc-provider ships no types; the tests use a small part of it (sso-idp.ts). */
declare module 'oidc-provider';
