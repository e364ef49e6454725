import { authBody } from '../../../../libs/acquirers/src/three-ds/3dsecure-io/three-ds-server-client';
import { ThreeDsIoSimulatorService } from './three-ds-io-simulator.service';

const BASE = 'http://sandbox.test/3dsecure-io';

function areq(overrides: Record<string, unknown>) {
  return authBody({
    threeDSServerTransID: 'x',
    messageVersion: '2.1.0',
    threeDSCompInd: 'U',
    acctNumber: '4000100005141072',
    cardExpiryDate: '2912',
    notificationURL: 'https://psp.example/3ds/a/challenge-result',
    threeDSRequestorURL: 'https://psp.example',
    acquirerBIN: '438309',
    acquirerMerchantID: '000000003000001',
    mcc: '5411',
    merchantCountryCode: '208',
    merchantName: 'Shop',
    purchaseAmount: 12995n,
    purchaseCurrency: '208',
    purchaseExponent: 2,
    purchaseDate: new Date(),
    browser: {
      acceptHeader: 'text/html',
      userAgent: 'Mozilla/5.0',
      ip: '127.0.0.1',
      javaEnabled: false,
      javascriptEnabled: true,
      language: 'en-US',
      colorDepth: '24',
      screenHeight: '800',
      screenWidth: '412',
      tz: '-60',
    },
    ...overrides,
  } as never);
}

describe('3dsecure.io simulator', () => {
  it('preauth → 3DS Method → auth (challenge) → CReq → CRes → postauth RReq', () => {
    const sim = new ThreeDsIoSimulatorService();
    const crd = sim.preauth({ acctNumber: '4000100005141072' }, BASE);
    expect(crd.body).toMatchObject({ messageType: 'CRD', acsEndProtocolVersion: '2.1.0' });
    const id = crd.body.threeDSServerTransID as string;
    // Without the 3DS Method's notification, Y is wrong.
    expect(
      sim.auth(areq({ threeDSServerTransID: id, threeDSCompInd: 'Y' }), BASE).body,
    ).toMatchObject({
      messageType: 'Erro',
      errorCode: '203',
      errorDetail: 'threeDSCompInd',
    });
    sim.methodInvoked(id);
    sim.methodNotified(id);
    expect(
      sim.auth(
        areq({ threeDSServerTransID: id, messageVersion: '2.2.0', threeDSCompInd: 'Y' }),
        BASE,
      ).body,
    ).toMatchObject({ errorDetail: 'messageVersion' });
    const ares = sim.auth(areq({ threeDSServerTransID: id, threeDSCompInd: 'Y' }), BASE).body;
    expect(ares).toMatchObject({
      messageType: 'ARes',
      transStatus: 'C',
      acsURL: `${BASE}/acs/challenge`,
    });
    const started = sim.startChallenge({
      messageType: 'CReq',
      messageVersion: '2.1.0',
      threeDSServerTransID: id,
      acsTransID: ares.acsTransID,
      challengeWindowSize: '02',
    });
    expect(typeof started).not.toBe('string');
    const done = sim.finishChallenge(ares.acsTransID as string, true);
    expect(done?.cres).toMatchObject({ messageType: 'CRes', transStatus: 'Y' });
    expect(sim.postauth({ threeDSServerTransID: id }).body).toMatchObject({
      messageType: 'RReq',
      transStatus: 'Y',
      eci: '05',
    });
  });

  it('refuses a missing required element with Erro 201', () => {
    const sim = new ThreeDsIoSimulatorService();
    const id = sim.preauth({ acctNumber: '4000100005171103' }, BASE).body.threeDSServerTransID;
    expect(
      sim.auth(
        areq({ threeDSServerTransID: id, acctNumber: '4000100005171103', mcc: undefined }),
        BASE,
      ).body,
    ).toMatchObject({
      errorCode: '201',
      errorDetail: 'mcc',
    });
  });

  it('answers the not-enrolled card with Erro 305 and a PAN outside the test cases with Erro 203', () => {
    const sim = new ThreeDsIoSimulatorService();
    expect(sim.preauth({ acctNumber: '9000100111111111' }, BASE).body).toMatchObject({
      messageType: 'Erro',
      errorCode: '305',
    });
    expect(sim.preauth({ acctNumber: '4111111111111111' }, BASE).body).toMatchObject({
      messageType: 'Erro',
      errorCode: '203',
      errorDetail: 'acctNumber',
    });
  });

  it('an unknown threeDSServerTransID is refused by /auth and /postauth', () => {
    const sim = new ThreeDsIoSimulatorService();
    const unknown = '2401433d-68be-4820-b1e7-5aa3b44dfa5a';
    expect(sim.auth(areq({ threeDSServerTransID: unknown }), BASE).body).toMatchObject({
      errorCode: '203',
      errorDescription: 'Unknown threeDSServerTransID',
    });
    expect(sim.postauth({ threeDSServerTransID: unknown }).body).toMatchObject({
      errorCode: '203',
    });
  });
});
