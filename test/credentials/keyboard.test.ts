import {
  looksTypedOnWrongLayout,
  repairQwertyOnAzerty,
  typeQwertyOnAzerty,
} from '../../src/credentials/keyboard';

describe('a QWERTY scanner typing on an AZERTY computer', () => {
  it('types the digits, the URL punctuation and the swapped letters as an AZERTY keyboard does', () => {
    expect(typeQwertyOnAzerty('1234567890')).toBe('&é"\'(-è_çà');
    expect(typeQwertyOnAzerty('http://localhost:3000/v/')).toBe('httpM!!locqlhostM"ààà!v!');
    expect(typeQwertyOnAzerty('aqzwm;AQZWM')).toBe('qawz,mQAWZ?');
    expect(typeQwertyOnAzerty('a.b-c_d')).toBe('q:b)c°d');
  });

  it('repairs every printable ASCII character back to what the scanner read', () => {
    const printable = Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).join('');

    expect(repairQwertyOnAzerty(typeQwertyOnAzerty(printable))).toBe(printable);
    expect(repairQwertyOnAzerty('httpsM!!nqdipqss:,q!v!eyJh')).toBe('https://nadipass.ma/v/eyJh');
  });

  it('recognises mangled scans, and not well-typed URLs, tokens or voucher codes', () => {
    expect(looksTypedOnWrongLayout('httpM!!locqlhostM"ààà!v!eyJh:eyJé')).toBe(true);
    // The QR's capitals (scheme and host in alphanumeric mode), before any digit.
    expect(looksTypedOnWrongLayout(typeQwertyOnAzerty('HTTPS://NADIPASS.MA/V/'))).toBe(true);
    expect(typeQwertyOnAzerty('HTTPS://NADIPASS.MA/V/')).toBe('HTTPSM!!NQDIPQSS:?Q!V!');
    expect(looksTypedOnWrongLayout('eyJhbGciOiJFUwI&NiIsI:eyJéIjox')).toBe(true);
    expect(looksTypedOnWrongLayout('http://localhost:3000/v/eyJhbGci.eyJ2_Ijo-x.AbQ')).toBe(false);
    expect(looksTypedOnWrongLayout('K7XD-93FA')).toBe(false);
  });
});
