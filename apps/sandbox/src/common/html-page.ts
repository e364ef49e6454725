/** The sandbox's stand-ins for MobilePay web pages: bare HTML, no assets. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}
