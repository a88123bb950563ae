/**
 * The file name a response asks to be saved under (`Content-Disposition: attachment; filename="…"`),
 * so the dashboard saves a download under the name the gateway gives it rather than rebuilding that
 * name; `fallback` when the header names none.
 */
export function attachmentName(headers: Headers, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(headers.get('Content-Disposition') ?? '');
  return m ? m[1] : fallback;
}
