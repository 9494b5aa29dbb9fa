/** Emails are compared and stored lower case, without surrounding spaces. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
