/** Hides the password of a URL; anything that does not parse is hidden whole. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '<unparseable URL>';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
