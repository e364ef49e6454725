import type { AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { startLogoServer, type LogoServer } from '../../../../scripts/stack/logo-server';
import { LogoVerifier } from './logo-verifier';

function verifier(
  logoCheck: 'strict' | 'off',
  env: AppConfig['env'] = 'development',
): LogoVerifier {
  return new LogoVerifier({ env, merchantApi: { logoCheck } } as AppConfig);
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the logo to be refused');
}

describe('LogoVerifier', () => {
  let logos: LogoServer;

  beforeAll(async () => {
    logos = await startLogoServer();
  });

  afterAll(async () => {
    await logos.close();
  });

  it.each(['/logo-250.png', '/logo-250.jpg'])('accepts a 250×250 image: %s', async (path) => {
    await expect(verifier('strict').verify(`${logos.url}${path}`)).resolves.toBe(true);
  });

  it.each([
    ['/logo-100.png', /250×250 pixels, is 100×100/],
    ['/logo-as-text.png', /content type image\/png or image\/jpeg/],
    ['/logo-png-as-jpeg.jpg', /PNG served as image\/jpeg/],
    ['/logo-huge.png', /larger than 1 MB/],
    ['/logo-moved.png', /answered HTTP 302/],
    ['/missing.png', /answered HTTP 404/],
  ])('refuses %s', async (path, message) => {
    const error = await failure(verifier('strict').verify(`${logos.url}${path}`));
    expect(error.code).toBe('invalid_logo');
    expect(error.message).toMatch(message);
  });

  it('refuses a logo that cannot be fetched', async () => {
    const error = await failure(verifier('strict').verify('http://127.0.0.1:1/logo.png'));
    expect(error.message).toMatch(/could not be fetched/);
  });

  it('requires https, allowing http to loopback only outside production', async () => {
    const http = `${logos.url}/logo-250.png`;
    expect((await failure(verifier('strict', 'production').verify(http))).message).toMatch(
      /must be an https URL/,
    );
    expect(
      (await failure(verifier('off').verify('http://shop.example.dk/logo.png'))).message,
    ).toMatch(/must be an https URL/);
    expect((await failure(verifier('off').verify('not a url'))).message).toMatch(/not a URL/);
  });

  it('skips the fetch when checks are off, but still checks the URL', async () => {
    await expect(verifier('off').verify('https://shop.example.dk/none.png')).resolves.toBe(false);
  });
});
