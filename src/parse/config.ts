/**
 * The config file (`dlcverify.config.json`, or `--config PATH`): its text in, the options it sets
 * out. Pure; the command reads the file.
 */
import { InputError, type ToleranceOverride } from '../model.js';

export interface VerifyConfig {
  readonly renames: readonly string[];
  readonly waivers: readonly string[];
  readonly failOn?: readonly string[];
  readonly tolerances: readonly ToleranceOverride[];
}

const CONFIG_KEYS = new Set(['$schema', 'renames', 'rename', 'waivers', 'waive', 'failOn', 'fail-on', 'tolerances']);

function stringList(value: unknown, key: string, file: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
    throw new InputError('BAD_CONFIG', `${file}: "${key}" must be a string or a list of strings`, { file, pointer: `/${key}` });
  }
  return list as string[];
}

/**
 * Parses the config file text. Shape:
 * `{ "renames": ["REGEX=>REPLACEMENT"], "waivers": ["GLOB[:VERDICT]"], "failOn": ["fail", "warn"],
 *    "tolerances": [{ "tensor": "GLOB", "absolute": 1e-6 }] }`.
 */
export function parseConfig(text: string, file: string): VerifyConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError('BAD_CONFIG', `${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('BAD_CONFIG', `${file}: expected a JSON object with renames, waivers, failOn, tolerances`, { file });
  }
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!CONFIG_KEYS.has(key)) {
      throw new InputError('BAD_CONFIG', `${file}: unknown key "${key}" (expected renames, waivers, failOn, tolerances)`, { file, pointer: `/${key}` });
    }
  }
  const get = (key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
  const renames = [...stringList(get('renames'), 'renames', file), ...stringList(get('rename'), 'rename', file)];
  const waivers = [...stringList(get('waivers'), 'waivers', file), ...stringList(get('waive'), 'waive', file)];
  const failOnRaw = get('failOn') ?? get('fail-on');
  const tolerancesRaw = get('tolerances') ?? [];
  if (!Array.isArray(tolerancesRaw)) throw new InputError('BAD_CONFIG', `${file}: "tolerances" must be a list`, { file, pointer: '/tolerances' });
  const tolerances = tolerancesRaw.map((t: unknown, i: number): ToleranceOverride => {
    const o = t as Record<string, unknown> | null;
    const tensor = o && typeof o === 'object' ? o['tensor'] : undefined;
    const absolute = o && typeof o === 'object' ? o['absolute'] : undefined;
    if (typeof tensor !== 'string' || typeof absolute !== 'number' || !Number.isFinite(absolute) || absolute < 0) {
      throw new InputError('BAD_CONFIG', `${file}: tolerances[${i}] must be {"tensor": "GLOB", "absolute": non-negative number}`, {
        file,
        pointer: `/tolerances/${i}`,
      });
    }
    return { tensor, absolute };
  });
  return {
    renames,
    waivers,
    ...(failOnRaw !== undefined ? { failOn: stringList(failOnRaw, 'failOn', file) } : {}),
    tolerances,
  };
}
