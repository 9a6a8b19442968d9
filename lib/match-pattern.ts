/**
 * Chrome/Firefox extension match patterns (`<scheme>://<host><path>`), the form site profiles use for `match`
 * and that `scripting.registerContentScripts` and `permissions.request` accept. Pure: the content script uses it.
 * https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns
 */
export interface ParsedMatchPattern {
  scheme: '*' | 'http' | 'https';
  /** `*` for any host, `*.example.com` for the domain and its subdomains, or one host. */
  host: string;
  /** Port as written after the host (`127.0.0.1:8080`); empty means any port. */
  port: string;
  path: string;
}

const PATTERN = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*:]+)(?::(\d{1,5}|\*))?(\/.*)$/;

export function parseMatchPattern(pattern: string): ParsedMatchPattern | null {
  const m = PATTERN.exec(pattern.trim());
  if (!m) return null;
  const [, scheme, host, port, path] = m;
  if (!scheme || !host || !path) return null;
  return { scheme: scheme as ParsedMatchPattern['scheme'], host: host.toLowerCase(), port: port ?? '', path };
}

export function isValidMatchPattern(pattern: string): boolean {
  return parseMatchPattern(pattern) !== null;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Whether `url` is matched by `pattern`. Ports are ignored as browsers do unless the pattern names one. */
export function matchesPattern(pattern: string, url: string): boolean {
  const parsed = parseMatchPattern(pattern);
  if (!parsed) return false;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const scheme = target.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return false;
  if (parsed.scheme !== '*' && parsed.scheme !== scheme) return false;
  const host = target.hostname.toLowerCase();
  if (parsed.host !== '*') {
    if (parsed.host.startsWith('*.')) {
      const domain = parsed.host.slice(2);
      if (host !== domain && !host.endsWith(`.${domain}`)) return false;
    } else if (host !== parsed.host) {
      return false;
    }
  }
  // URL.port is empty for the scheme's default port, so `https://host:443/*` must compare against 443.
  const targetPort = target.port || (scheme === 'https' ? '443' : '80');
  if (parsed.port && parsed.port !== '*' && parsed.port !== targetPort) return false;
  return globToRegExp(parsed.path).test(target.pathname + target.search);
}

/**
 * The origin pattern a site's permission is asked for: `https://tool.example.com/*`. Browsers grant hosts,
 * not paths, and ignore ports in host permissions.
 */
export function originPatternOf(pattern: string): string | null {
  const parsed = parseMatchPattern(pattern);
  if (!parsed) return null;
  return `${parsed.scheme}://${parsed.host}/*`;
}
