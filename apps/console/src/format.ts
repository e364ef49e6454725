/** Minor units to a display amount: 12995 DKK → "129.95 DKK". */
export function money(minor: number, currency: string): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '').slice(0, 23);
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function statusClass(status: string): string {
  const s = status.toLowerCase();
  if (['succeeded', 'authorized', 'sent', 'onboarded', 'active'].includes(s)) return 'ok';
  if (['failed', 'dead', 'declined', 'expired', 'offboarded', 'invalidated'].includes(s)) {
    return 'bad';
  }
  return 'pending';
}

/** A text field of a submitted form ('' when absent). */
export function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}
