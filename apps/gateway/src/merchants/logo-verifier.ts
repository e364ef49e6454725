import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, ErrorCode, imageInfo, NonPublicAddressError } from '@app/domain';
import { outboundRequest, type OutboundResponse, ResponseTooLargeError } from '@app/outbound';
import { requireHttpsUrl } from '../common/url-policy';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 1024 * 1024;
const REQUIRED_SIZE = 250;
const CONTENT_TYPES = new Set(['image/png', 'image/jpeg']);

/**
 * The logo MobilePay shows in the app, checked as its guide requires: served over https, PNG or
 * JPEG with the matching content type, 250×250 pixels. The fetch goes through the outbound policy
 * (with `OUTBOUND_PUBLIC_ADDRESSES_ONLY`, only to public addresses, refused before anything is
 * sent), is bounded (5 s, 1 MB) and does not follow redirects. `MERCHANT_LOGO_CHECK=off` keeps
 * the URL rule but skips the fetch.
 */
@Injectable()
export class LogoVerifier {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** True when the image was fetched and checked; false when checks are off. Throws if invalid. */
  async verify(logoUrl: string): Promise<boolean> {
    const url = requireHttpsUrl(logoUrl, this.config.env, ErrorCode.InvalidLogo, 'logoUrl');
    if (this.config.merchantApi.logoCheck === 'off') return false;
    const response = await this.fetchImage(url);
    const contentType = (headerOf(response, 'content-type') ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!CONTENT_TYPES.has(contentType)) {
      throw invalid('logo must be served with content type image/png or image/jpeg', {
        contentType: contentType || null,
      });
    }
    const info = imageInfo(response.body);
    if (!info) throw invalid('logoUrl does not serve a PNG or JPEG image');
    if ((info.format === 'png') !== (contentType === 'image/png')) {
      throw invalid(`logo is a ${info.format.toUpperCase()} served as ${contentType}`);
    }
    if (info.width !== REQUIRED_SIZE || info.height !== REQUIRED_SIZE) {
      throw invalid(`logo must be 250×250 pixels, is ${info.width}×${info.height}`, {
        width: info.width,
        height: info.height,
      });
    }
    return true;
  }

  private async fetchImage(url: URL): Promise<OutboundResponse> {
    let response: OutboundResponse;
    try {
      response = await outboundRequest(
        url,
        {
          method: 'GET',
          headers: { accept: 'image/png, image/jpeg' },
          timeoutMs: TIMEOUT_MS,
          maxResponseBytes: MAX_BYTES,
        },
        this.config.outbound,
      );
    } catch (error) {
      if (error instanceof NonPublicAddressError) {
        throw invalid('logoUrl must point to a public address');
      }
      if (error instanceof ResponseTooLargeError) throw invalid('logo is larger than 1 MB');
      const { name } = error as { name?: string };
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw invalid(`logoUrl could not be fetched (${timedOut ? 'timed out' : 'failed'})`);
    }
    if (response.status !== 200) {
      const redirect = response.status >= 300 && response.status < 400;
      throw invalid(
        `logoUrl answered HTTP ${response.status}, expected 200` +
          (redirect ? ' (redirects are not followed)' : ''),
      );
    }
    return response;
  }
}

function headerOf(response: OutboundResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalid(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.InvalidLogo, message, details);
}
