/**
 * The extension's own name, description and toolbar title in the browser's language (public/_locales, issue 7):
 * one folder per language Loupe speaks, each with English's keys and nothing else, and the manifest in
 * wxt.config.ts naming those messages. Chrome refuses to load an extension whose manifest names a message the
 * default locale lacks, and the stores cut descriptions past 132 characters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LOCALES } from '../../lib/i18n/locales';

const ROOT = join(__dirname, '..', '..');
const LOCALES_DIR = join(ROOT, 'public', '_locales');

const messagesSchema = z.record(
  z.string().regex(/^\w+$/),
  z.strictObject({ message: z.string().trim().min(1), description: z.string().optional() }),
);

function messagesOf(folder: string) {
  return messagesSchema.parse(JSON.parse(readFileSync(join(LOCALES_DIR, folder, 'messages.json'), 'utf8')));
}

const english = messagesOf('en');

describe('public/_locales', () => {
  it('has a folder for every language Loupe speaks, and no other', () => {
    expect(readdirSync(LOCALES_DIR).sort()).toEqual([...LOCALES].sort());
  });

  it.each(LOCALES.filter((locale) => locale !== 'en'))('%s has exactly English’s keys', (locale) => {
    expect(Object.keys(messagesOf(locale)).sort()).toEqual(Object.keys(english).sort());
  });

  it.each([...LOCALES])('%s keeps the brand and a description the stores show whole', (locale) => {
    const messages = messagesOf(locale);
    expect(messages.extName?.message).toBe('Loupe');
    expect([...(messages.extDescription?.message ?? '')].length).toBeLessThanOrEqual(132);
    expect(messages.actionTitle?.message).toMatch(/^Loupe/);
    if (locale !== 'en') expect(messages.extDescription?.message).not.toBe(english.extDescription?.message);
  });

  it('is what the manifest names, English being the default', () => {
    const config = readFileSync(join(ROOT, 'wxt.config.ts'), 'utf8');
    expect(config).toContain("default_locale: 'en'");
    const named = [...config.matchAll(/__MSG_(\w+)__/g)].map((match) => match[1]);
    expect(named.sort()).toEqual(['actionTitle', 'extDescription', 'extName']);
    for (const key of named) expect(english).toHaveProperty(key as string);
  });
});
