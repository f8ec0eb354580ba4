import fs from 'node:fs';
import path from 'node:path';

import { loadMessages } from '../../src/i18n';

type Messages = { [key: string]: string | Messages };

function flatKeys(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatKeys(value, `${prefix}${key}.`),
  );
}

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);

    return entry.isDirectory() ? templates(full) : entry.name.endsWith('.hbs') ? [full] : [];
  });
}

const french = new Set(flatKeys(loadMessages('fr')));
const arabic = new Set(flatKeys(loadMessages('ar')));

describe('translations', () => {
  it('gives French and Arabic exactly the same keys', () => {
    expect([...french].filter((key) => !arabic.has(key))).toEqual([]);
    expect([...arabic].filter((key) => !french.has(key))).toEqual([]);
    expect(french.size).toBeGreaterThan(100);
  });

  it('has a text for every key a template asks for', () => {
    const viewsDir = path.join(__dirname, '../../views');
    const used = templates(viewsDir).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/\{\{t\s+"([^"]+)"/g)].map((match) => ({
        file: path.relative(viewsDir, file),
        key: match[1],
      })),
    );

    expect(used.length).toBeGreaterThan(50);
    expect(used.filter(({ key }) => !french.has(key) || !arabic.has(key))).toEqual([]);
  });

  it('writes Arabic texts in Arabic script', () => {
    const messages = loadMessages('ar');
    const texts = flatKeys(messages).map((key) =>
      key.split('.').reduce<string | Messages>((node, part) => (node as Messages)[part], messages),
    );
    const arabicScript = texts.filter((text) => /[\u0600-\u06ff]/.test(String(text)));

    // A few texts are names or codes (NadiPass's language switch says "Français").
    expect(arabicScript.length / texts.length).toBeGreaterThan(0.95);
  });
});
