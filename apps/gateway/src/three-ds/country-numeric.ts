/**
 * ISO 3166-1 numeric codes (`merchantCountryCode` of the AReq) of the countries where MobilePay
 * merchants are onboarded: the Nordics and the rest of the EEA, the UK and Switzerland.
 */
const NUMERIC: Readonly<Record<string, string>> = {
  DK: '208',
  FO: '234',
  GL: '304',
  FI: '246',
  AX: '248',
  NO: '578',
  SE: '752',
  IS: '352',
  AT: '040',
  BE: '056',
  BG: '100',
  HR: '191',
  CY: '196',
  CZ: '203',
  EE: '233',
  FR: '250',
  DE: '276',
  GR: '300',
  HU: '348',
  IE: '372',
  IT: '380',
  LV: '428',
  LI: '438',
  LT: '440',
  LU: '442',
  MT: '470',
  NL: '528',
  PL: '616',
  PT: '620',
  RO: '642',
  SK: '703',
  SI: '705',
  ES: '724',
  CH: '756',
  GB: '826',
  US: '840',
};

export function countryNumeric(alpha2: string): string | undefined {
  return NUMERIC[alpha2.toUpperCase()];
}
