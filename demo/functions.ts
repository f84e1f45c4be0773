/**
 * The seed's two example functions, as a team would write them for turtle-shell, with the seed's
 * signatures (`Optional[str] = None` is `string | null = null`): `deidentify` runs in the background,
 * `reidentify` in the request. The bodies are placeholders returning plausible results.
 */
import { createHash } from 'node:crypto';
import { registry, currentExecution, ValidationError } from 'turtle-shell';

/** The sequencing platform a flowcell was run on. */
export enum FlowcellType {
  /** iPS (the default) */
  IPS = 'ips',
  /** NovaSeq S4 */
  NOVASEQ_S4 = 'novaseq_s4',
  /** NextSeq */
  NEXTSEQ = 'nextseq',
}

/** What `deidentify` reports back. */
export interface DeidentifyResult {
  /** Research ids issued, one per sample. */
  researchSampleIds: string[];
  /** The flowcell type the samples were processed as. */
  flowcellType: FlowcellType;
}

/**
 * De-identify samples: issue research ids for clinical sample ids or whole flowcells.
 *
 * @param sample_ids_list comma-separated clinical sample ids
 * @param flowcell_barcodes_list comma-separated flowcell barcodes
 * @param deidentification_suffix suffix appended to every research id
 * @param flowcell_type the platform the flowcells were run on
 * @filterable flowcell_type
 * @filterable deidentification_suffix
 * @returns the research ids issued
 */
export async function deidentify(
  sample_ids_list: string | null = null,
  flowcell_barcodes_list: string | null = null,
  deidentification_suffix: string | null = null,
  flowcell_type: FlowcellType = FlowcellType.IPS,
): Promise<DeidentifyResult> {
  const execution = currentExecution<{ issued: string[] }>();
  const samples = [
    ...splitList(sample_ids_list),
    ...splitList(flowcell_barcodes_list).flatMap(samplesOnFlowcell),
  ];
  if (samples.length === 0) {
    throw new ValidationError([
      {
        path: '/sample_ids_list',
        message: 'give sample ids or flowcell barcodes',
        keyword: 'validate',
        params: {},
      },
      {
        path: '/flowcell_barcodes_list',
        message: 'give sample ids or flowcell barcodes',
        keyword: 'validate',
        params: {},
      },
    ]);
  }
  const suffix = deidentification_suffix ?? '';
  // A retry resumes after the last sample whose research id was recorded.
  const issued = [...(execution.state?.issued ?? [])];
  execution.progress(issued.length / samples.length, `looking up ${samples.length} samples`);
  for (const sample of samples.slice(issued.length)) {
    await pause(400, execution.signal); // stands in for the LIMS and the id registry
    issued.push(`${researchId(sample, flowcell_type)}${suffix}`);
    execution.checkpoint({ issued });
    execution.progress(
      issued.length / samples.length,
      `issued ${issued.length} of ${samples.length} research ids`,
    );
  }
  return { researchSampleIds: issued, flowcellType: flowcell_type };
}

/**
 * Re-identify research samples and optionally e-mail the mapping to a third party.
 *
 * @param research_sample_ids comma-separated research sample ids
 * @param send_email_to_third_party e-mail the mapping to the addresses below
 * @param to_email_ids_list comma-separated e-mail addresses
 * @param flowcell_type the platform the flowcells were run on
 */
export function reidentify(
  research_sample_ids: string,
  send_email_to_third_party: boolean | null = false,
  to_email_ids_list: string | null = null,
  flowcell_type: FlowcellType = FlowcellType.IPS,
): { sampleIds: string[]; emailed: boolean } {
  const ids = splitList(research_sample_ids);
  const recipients = splitList(to_email_ids_list);
  if (send_email_to_third_party && recipients.length === 0) {
    throw new ValidationError([
      {
        path: '/to_email_ids_list',
        message: 'give at least one address to e-mail the mapping to',
        keyword: 'validate',
        params: {},
      },
    ]);
  }
  // A lookup in the local mapping table: quick enough to answer in the request.
  const sampleIds = ids.map(
    (id) => `${flowcell_type.toUpperCase()}-${id.replace(/^R/i, '').split('').reverse().join('')}`,
  );
  return { sampleIds, emailed: send_email_to_third_party === true && recipients.length > 0 };
}

/** `"a, b,,c"` → `['a', 'b', 'c']`. */
function splitList(list: string | null): string[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The samples sequenced on a flowcell (a demo stand-in: four lanes, one sample each). */
function samplesOnFlowcell(barcode: string): string[] {
  return [1, 2, 3, 4].map((lane) => `${barcode}-L${lane}`);
}

/** A stable research id for a clinical sample id. */
function researchId(sample: string, flowcell: FlowcellType): string {
  return `R${createHash('sha256').update(`${flowcell}:${sample}`).digest('hex').slice(0, 8).toUpperCase()}`;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as unknown);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as unknown);
      },
      { once: true },
    );
  });
}

registry.add(deidentify);
registry.addSync(reidentify, { title: 'Re-identify samples' });
