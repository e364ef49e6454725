import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode, imageInfo } from '@app/domain';
import { requireHttpsUrl } from '../common/url-policy';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 1024 * 1024;
const REQUIRED_SIZE = 250;
const CONTENT_TYPES = new Set(['image/png', 'image/jpeg']);

/**
 * The logo MobilePay shows in the app, checked as its guide requires: served over https, PNG or
 * JPEG with the matching content type, 250×250 pixels. The fetch is bounded (5 s, 1 MB) and does
 * not follow redirects. `MERCHANT_LOGO_CHECK=off` keeps the URL rule but skips the fetch.
 */
@Injectable()
export class LogoVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** True when the image was fetched and checked; false when checks are off. Throws if invalid. */
  async verify(logoUrl: string): Promise<boolean> {
    const url = requireHttpsUrl(logoUrl, this.config.env, ErrorCode.InvalidLogo, 'logoUrl');
    if (this.config.merchantApi.logoCheck === 'off') return false;
    const bytes = await this.fetchImage(url);
    const info = imageInfo(bytes.data);
    if (!info) throw invalid('logoUrl does not serve a PNG or JPEG image');
    if ((info.format === 'png') !== (bytes.contentType === 'image/png')) {
      throw invalid(`logo is a ${info.format.toUpperCase()} served as ${bytes.contentType}`);
    }
    if (info.width !== REQUIRED_SIZE || info.height !== REQUIRED_SIZE) {
      throw invalid(`logo must be 250×250 pixels, is ${info.width}×${info.height}`, {
        width: info.width,
        height: info.height,
      });
    }
    return true;
  }

  private async fetchImage(url: URL): Promise<{ contentType: string; data: Buffer }> {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'image/png, image/jpeg' },
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw invalid(`logoUrl could not be fetched (${timedOut ? 'timed out' : 'failed'})`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw invalid(`logoUrl answered HTTP ${response.status}, expected 200`);
    }
    const contentType = (response.headers.get('content-type') ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!CONTENT_TYPES.has(contentType)) {
      await response.body?.cancel().catch(() => undefined);
      throw invalid('logo must be served with content type image/png or image/jpeg', {
        contentType: contentType || null,
      });
    }
    return { contentType, data: await readAtMost(response, MAX_BYTES) };
  }
}

async function readAtMost(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw invalid('logo is larger than 1 MB');
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw invalid('logo is larger than 1 MB');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid('logoUrl could not be read (timed out or failed)');
  }
  return Buffer.concat(chunks);
}

function invalid(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.InvalidLogo, message, details);
}
