import type { SourceSet } from '../model.js';
import type { ShowRenderOptions } from './show-model.js';

// Placeholder until issue 3 lands.
export function renderSource(source: SourceSet, _options: ShowRenderOptions): string {
  return `${source.file}: ${source.entries.length} entries\n`;
}
