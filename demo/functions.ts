/**
 * The seed's two example functions, as a team would write them for turtle-shell, with the seed's
 * signatures (`Optional[str] = None` is `string | null = null`): `deidentify` runs in the background,
 * `reidentify` in the request. Two more show what the elements make of richer work: `runReport`
 * returns nested records (rendered as tables), and `basecall` waits on an external system with
 * `pending`/`poll` (the run shows as `waiting`). The bodies are placeholders returning plausible results.
 */
import { createHash } from 'node:crypto';
import {
  registry,
  currentExecution,
  pending,
  ValidationError,
  type Integer,
  type Pending,
} from 'turtle-shell';

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

/** How a sample passed quality control. */
export enum QcVerdict {
  /** Passed */
  PASS = 'pass',
  /** Passed with a warning */
  WARN = 'warn',
  /** Failed: sequence again */
  FAIL = 'fail',
}

/** The instrument and flowcell of a sequencing run. */
export interface RunInfo {
  /** Run id */
  runId: string;
  /** Instrument */
  instrument: string;
  /** Flowcell */
  flowcell: FlowcellType;
  /**
   * Started
   * @format date-time
   */
  startedAt: string;
  /**
   * Finished
   * @format date-time
   */
  finishedAt: string;
}

/** Totals over every sample of a run. */
export interface RunTotals {
  /** Samples */
  samples: Integer;
  /** Reads (millions) */
  readsMillions: number;
  /** Yield (Gb) */
  yieldGb: number;
  /** Mean % bases ≥ Q30 */
  meanQ30: number;
  /** Failed samples */
  failed: Integer;
}

/** One sample's quality figures. */
export interface SampleQc {
  /** Sample */
  sampleId: string;
  /** Lane */
  lane: Integer;
  /** Reads (millions) */
  readsMillions: number;
  /** % bases ≥ Q30 */
  q30: number;
  /** % duplicates */
  duplicates: number;
  /** Verdict */
  verdict: QcVerdict;
  /**
   * Lane finished
   * @format date-time
   */
  sequencedAt: string;
  /**
   * QC report
   * @format uri
   */
  report: string;
}

/** What `runReport` returns: the run, its totals and one record per sample. */
export interface RunReport {
  /** Run */
  run: RunInfo;
  /** Totals */
  totals: RunTotals;
  /** Samples */
  samples: SampleQc[];
}

/**
 * Quality report of a sequencing run: the run, its totals and every sample's figures.
 *
 * @param run_id the run, as the instrument names it
 * @param samples how many samples the run carried
 * @min samples 1
 * @max samples 96
 * @returns the run's quality report
 */
export function runReport(run_id: string, samples: Integer = 12): RunReport {
  const seed = createHash('sha256').update(run_id).digest();
  const finishedAt = Date.UTC(2026, 10, 2 + (seed[0]! % 20), 6, seed[1]! % 60);
  const records = Array.from({ length: samples }, (_, i): SampleQc => {
    const byte = seed[i % seed.length]!;
    const q30 = round(78 + (byte % 200) / 10, 1);
    const sampleId = `CL-${run_id.slice(-4).toUpperCase()}-${String(i + 1).padStart(2, '0')}`;
    return {
      sampleId,
      lane: (i % 4) + 1,
      readsMillions: round(20 + ((byte * 7) % 400) / 10, 1),
      q30,
      duplicates: round(4 + (byte % 90) / 10, 1),
      verdict: q30 >= 85 ? QcVerdict.PASS : q30 >= 80 ? QcVerdict.WARN : QcVerdict.FAIL,
      sequencedAt: new Date(finishedAt - (4 - ((i % 4) + 1)) * 1_800_000).toISOString(),
      report: `https://qc.example.org/runs/${encodeURIComponent(run_id)}/${sampleId}`,
    };
  });
  const reads = records.reduce((sum, r) => sum + r.readsMillions, 0);
  return {
    run: {
      runId: run_id,
      instrument: seed[2]! % 2 ? 'NovaSeq X A01234' : 'NextSeq 2000 VH00567',
      flowcell: seed[2]! % 2 ? FlowcellType.NOVASEQ_S4 : FlowcellType.NEXTSEQ,
      startedAt: new Date(finishedAt - (26 + (seed[3]! % 20)) * 3_600_000).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
    },
    totals: {
      samples,
      readsMillions: round(reads, 1),
      yieldGb: round((reads * 2 * 150) / 1000, 1),
      meanQ30: round(records.reduce((sum, r) => sum + r.q30, 0) / samples, 1),
      failed: records.filter((r) => r.verdict === QcVerdict.FAIL).length,
    },
    samples: records,
  };
}

/** A basecalling job on the (simulated) cluster, as `basecall` hands it to its `poll` hook. */
export interface BasecallJob {
  jobId: string;
  flowcell: string;
  /** When it was submitted, epoch ms. */
  submittedAt: number;
  /** When the simulated cluster finishes the job, epoch ms: stands in for asking the cluster. */
  readyAt: number;
  /** How often the cluster was asked so far. */
  checks: number;
}

/** What `basecall` returns once the cluster finished. */
export interface BasecallResult {
  /** Cluster job */
  jobId: string;
  /** Flowcell */
  flowcell: string;
  /** Times the cluster was asked */
  checks: Integer;
  /**
   * FASTQ files
   * @format uri
   */
  fastq: string;
}

/** How often `basecall` asks the cluster, in ms. */
const BASECALL_CHECK_EVERY = 2_000;

/**
 * Basecall a flowcell on the sequencing core's cluster (simulated): the job is submitted, the run
 * waits while the cluster works, and the files are linked once it is done.
 *
 * @param flowcell_barcode the flowcell to basecall
 * @param cluster_seconds how long the simulated cluster takes
 * @min cluster_seconds 0
 * @max cluster_seconds 600
 * @returns where the FASTQ files are
 */
export function basecall(
  flowcell_barcode: string,
  cluster_seconds: number = 10,
): BasecallResult | Pending<BasecallJob> {
  const now = Date.now();
  const job: BasecallJob = {
    jobId: `bc-${createHash('sha256').update(`${flowcell_barcode}:${now}`).digest('hex').slice(0, 8)}`,
    flowcell: flowcell_barcode,
    submittedAt: now,
    readyAt: now + cluster_seconds * 1000,
    checks: 0,
  };
  currentExecution().progress(0, `submitted ${job.jobId} to the cluster`);
  return pending(job, { after: Math.min(BASECALL_CHECK_EVERY, cluster_seconds * 1000) });
}

/** Asks the (simulated) cluster about the job: its result when finished, else look again. */
function checkBasecall(job: BasecallJob): BasecallResult | Pending<BasecallJob> {
  const checks = job.checks + 1;
  const now = Date.now();
  const left = job.readyAt - now;
  if (left > 0) {
    currentExecution().progress(
      (now - job.submittedAt) / (job.readyAt - job.submittedAt),
      `the cluster is basecalling ${job.jobId}: about ${Math.ceil(left / 1000)} s left`,
    );
    return pending({ ...job, checks }, { after: Math.min(BASECALL_CHECK_EVERY, left) });
  }
  return {
    jobId: job.jobId,
    flowcell: job.flowcell,
    checks,
    fastq: `https://data.example.org/fastq/${encodeURIComponent(job.flowcell)}/`,
  };
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
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
registry.addSync(runReport, { title: 'Sequencing run report' });
registry.add(basecall, { title: 'Basecall a flowcell', poll: checkBasecall });
