/**
 * Pipeline checks from the dump's header (ENCODINGS.md §6): did the converter get this overrides
 * file, did the quantizer keep the overrides, do the flags contradict the file, was it quantized?
 */
import { PIPELINE } from '../findings.js';
import type { Command, DlcModel, PipelineCode, PipelineFinding, SourceSet } from '../model.js';

function finding(code: PipelineCode, detail: string): PipelineFinding {
  return { code, kind: PIPELINE[code].kind, detail };
}

/** The last path component, for either separator (the path is from another machine). */
export function basename(path: string): string {
  const trimmed = path.trim().replace(/^['"[]+|['"\]]+$/g, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return cut >= 0 ? trimmed.slice(cut + 1) : trimmed;
}

/** `[16]`, `16`, `['16']` -> 16; `[]`, `` -> undefined. */
export function optionNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /-?\d+/.exec(value);
  return m ? Number(m[0]) : undefined;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^\s*\[?\s*['"]?(true|1)['"]?\s*\]?\s*$/i.test(value);
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && /^\s*\[?\s*['"]?(false|0)['"]?\s*\]?\s*$/i.test(value);
}

function option(commands: readonly (Command | null | undefined)[], key: string): string | undefined {
  let found: string | undefined;
  for (const c of commands) {
    const v = c?.options.get(key);
    if (v !== undefined) found = v;
  }
  return found;
}

function isBiasName(name: string): boolean {
  return /bias/i.test(name);
}

/** Whether the DLC holds any encoding at all. */
function hasEncodings(model: DlcModel): boolean {
  return model.graphs.some((g) => [...g.tensors.values()].some((t) => t.encoding !== undefined));
}

export function checkPipeline(model: DlcModel, source: SourceSet): PipelineFinding[] {
  const out: PipelineFinding[] = [];
  const converter = model.metadata.converterCommand;
  const quantizer = model.metadata.quantizerCommand;
  const commands = [converter, quantizer];
  const quantized = hasEncodings(model);

  if (converter === undefined && quantizer === undefined) {
    out.push(finding('NO_COMMANDS', `${model.file} carries no converter or quantizer command line, so the pipeline flags could not be checked.`));
  }

  if (converter) {
    const overrides = converter.options.get('quantization_overrides');
    const given = basename(source.file);
    if (overrides !== undefined) {
      const named = basename(overrides);
      if (named === '' || named === 'None') {
        out.push(finding('OVERRIDES_NOT_GIVEN', `${converter.tool} ran with an empty quantization_overrides, so no override from ${given} can be in the DLC. Re-run the converter with --quantization_overrides ${given}.`));
      } else if (named !== given && !given.endsWith(`__${named}`)) {
        out.push(finding('OVERRIDES_OTHER_FILE', `${converter.tool} was given quantization_overrides=${overrides} (${named}), not ${given}. Check that you compare against the file that was used.`));
      } else {
        // A copy renamed with a prefix (`<prefix>__<name>`, as archives and the test corpus do) counts as the same file.
        const how = named === given ? 'same file name' : `${given} is a renamed copy of ${named}`;
        out.push(finding('OVERRIDES_SAME_FILE', `${converter.tool} was given quantization_overrides=${overrides} (${how}).`));
      }
    }
  }

  if (quantizer === null) {
    if (quantized) {
      out.push(finding('NOT_QUANTIZED', 'Quantizer command: N/A, so the DLC is straight out of the converter: overrides are stored as given, scales and offsets are computed only by the quantizer (snpe-dlc-quant / qairt-quantizer).'));
    } else {
      out.push(finding('FLOAT_DLC', 'Quantizer command: N/A and no tensor has an encoding: run the quantizer (snpe-dlc-quant / qairt-quantizer) with the overrides.'));
    }
  } else if (!quantized && model.graphs.length > 0) {
    out.push(finding('FLOAT_DLC', 'no tensor of the DLC has an encoding: it is a float DLC, so no override can have been applied.'));
  }

  // The quantizer recalibrates everything without override_params (1.x snpe-dlc-quantize, 2.x snpe-dlc-quant);
  // qairt-quantizer and the QNN converters apply overrides unless --ignore_encodings.
  const overrideParams = quantizer?.options.get('override_params');
  if (isFalse(overrideParams)) {
    out.push(finding('OVERRIDE_PARAMS_FALSE', `${quantizer!.tool} ran with override_params=false: every encoding was recalibrated from the input list and the overrides were ignored. Re-run it with --override_params.`));
  }
  const ignoreEncodings = option(commands, 'ignore_encodings');
  if (isTrue(ignoreEncodings)) {
    out.push(finding('OVERRIDE_PARAMS_FALSE', 'ignore_encodings=true: the overrides were ignored and every encoding was calibrated. Re-run without --ignore_encodings.'));
  }

  const symmetricFlag = option(commands, 'use_symmetric_quantize_weights');
  if (isTrue(symmetricFlag)) {
    const asymmetric = source.entries.filter((e) => e.section === 'param' && e.isSymmetric === false && !isBiasName(e.name));
    if (asymmetric.length > 0) {
      out.push(
        finding(
          'SYMMETRIC_WEIGHTS_CONFLICT',
          `use_symmetric_quantize_weights=true while ${asymmetric.length} weight override(s) say is_symmetric False ` +
            `(${asymmetric.slice(0, 3).map((e) => e.name).join(', ')}${asymmetric.length > 3 ? ', …' : ''}): the SDK stops with ` +
            '"Requested symmetric weights but instead got is_symmetric==False". Make those weights symmetric or drop the flag.',
        ),
      );
    }
  }

  const flags: { key: string; label: string; pick: (name: string, section: 'activation' | 'param') => boolean }[] = [
    { key: 'act_bitwidth', label: 'activation', pick: (_n, s) => s === 'activation' },
    { key: 'weights_bitwidth', label: 'weight', pick: (n, s) => s === 'param' && !isBiasName(n) },
    { key: 'bias_bitwidth', label: 'bias', pick: (n, s) => s === 'param' && isBiasName(n) },
  ];
  for (const flag of flags) {
    const value = optionNumber(option(commands, flag.key));
    if (value === undefined) continue;
    const contradicting = source.entries.filter(
      (e) => e.dtype === 'int' && e.bitwidth !== undefined && e.bitwidth !== value && flag.pick(e.name, e.section),
    );
    if (contradicting.length > 0) {
      const bits = [...new Set(contradicting.map((e) => e.bitwidth))].join('/');
      out.push(
        finding(
          'BITWIDTH_FLAG_CONFLICT',
          `${flag.key}=${value} but ${contradicting.length} ${flag.label} override(s) say ${bits} bits ` +
            `(${contradicting.slice(0, 3).map((e) => e.name).join(', ')}${contradicting.length > 3 ? ', …' : ''}): ` +
            'the overrides should win, but check the result of those tensors.',
        ),
      );
    }
  }
  return out;
}

/** `use_symmetric_quantize_weights=true` in any command. */
export function symmetricWeightsRequested(model: DlcModel): boolean {
  return isTrue(option([model.metadata.converterCommand, model.metadata.quantizerCommand], 'use_symmetric_quantize_weights'));
}
