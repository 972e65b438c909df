import type { CaseRandom } from './random.js';

/** What every kind may start from: made once per fuzz run, never mutated in place. */
export interface BaseInputs {
  /** Scratch directory of the run. */
  workDir: string;
  /** A small delimited model (customers: text, integer, decimal, date and closed-set fields) and a text model. */
  delimitedModel: string;
  textModel: string;
  /** The training files those models came from. */
  delimitedData: string;
  textData: string;
  /** `synth inspect --json` of the delimited model: the document --schema-file takes. */
  inspectJson: string;
}

/** One run of the CLI with its inputs already written into the case directory. */
export interface FuzzCase {
  /** What was mutated, in a few words, for the failure report. */
  description: string;
  /** Arguments after `node bin/synth.js`. */
  args: string[];
  /**
   * A non-zero exit's one line must contain one of these (the file, flag or field at fault),
   * so a message like "invalid value" with no place to look fails the case.
   */
  names: string[];
}

/** One input kind: builds a mutated case inside `caseDir` from the base inputs. */
export interface FuzzKind {
  name: string;
  /** One line for `--help`: what the kind mutates. */
  summary: string;
  makeCase(random: CaseRandom, caseDir: string, base: BaseInputs): Promise<FuzzCase>;
}
