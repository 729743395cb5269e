import type { DlcModel } from '../model.js';

export interface ShowRenderOptions {
  readonly format: string;
  readonly graph?: string;
  readonly color: boolean;
}

// Placeholder until issue 2 lands.
export function renderModel(model: DlcModel, _options: ShowRenderOptions): string {
  return `${model.file}: ${model.graphs.length} graph(s)\n`;
}
