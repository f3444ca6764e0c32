// The report files of check, validate and proxy: every path checked before any request, so a long
// run is not wasted, and every report redacted when it is written.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HarRecorder } from '../har/record.js';
import { writeReport } from '../har/write.js';
import { errorText } from '../internal/error-text.js';
import { redactor, type Redactor } from '../internal/redact.js';
import { UsageError } from './args.js';
import { version } from './version.js';

/** The recorder behind `--har`: every exchange as HAR 1.2, credentials redacted as they are recorded. */
export const harRecorder = (command: string, redact: Redactor) =>
  new HarRecorder({ creator: { name: `live-platform ${command}`, version: version() }, redact });

/** A report option: a file, or `-` for stdout where allowed (--json only). */
type ReportOption = 'junit' | 'json' | 'har';

/** Each given report option's path: writable, and no two naming one file, which the second would overwrite. */
export async function reportPaths<K extends ReportOption>(
  values: Partial<Record<K, string>>,
  options: readonly K[],
): Promise<Partial<Record<K, string>>> {
  const paths: Partial<Record<K, string>> = {};
  const taken = new Map<string, K>();
  for (const option of options) {
    const raw = values[option];
    if (raw === undefined) continue;
    const path = (paths[option] = await writablePath(raw, `--${option}`));
    if (path === '-') continue;
    const key = await sameFileKey(path);
    const other = taken.get(key);
    if (other)
      throw new UsageError(
        `--${other} and --${option} both name ${raw}; give each report a file of its own.`,
      );
    taken.set(key, option);
  }
  return paths;
}

async function writablePath(raw: string, flag: string): Promise<string> {
  if (raw === '-' && flag === '--json') return '-';
  if (raw === '-') throw new UsageError(`${flag} needs a file path; only a JSON report goes to stdout (-).`);
  if (!raw.trim()) throw new UsageError(`${flag} needs a file path.`);
  const path = resolve(raw);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`${flag} ${raw} is a directory; give a file path such as ${raw}/report.xml.`);
  const file = await fileAbove(path);
  if (file)
    throw new UsageError(
      `${flag} ${raw} cannot be written: ${file} is a file, not a directory; choose another path.`,
    );
  try {
    await access(info ? path : dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(
      info
        ? `${flag} ${raw} cannot be written (permission denied); choose another path.`
        : `${flag} ${raw} cannot be written: ${dirname(path)} does not exist or is not writable; create it or choose another path.`,
    );
  }
  return path;
}

/** The nearest existing ancestor of `path` when it is not a directory (a report cannot go under a file). */
async function fileAbove(path: string): Promise<string | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info) return info.isDirectory() ? undefined : dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The file a path names, symbolic links and `..` resolved, so that two spellings of one file match. */
async function sameFileKey(path: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  if (real) return real;
  const dir = await realpath(dirname(path)).catch(() => dirname(path));
  return join(dir, basename(path));
}

/**
 * Prints the table (on stderr when `--json -` takes stdout) and writes each report that has a path,
 * every text redacted. False when a report could not be written, which it says on stderr.
 */
export async function deliver<K extends ReportOption>(
  command: string,
  table: string,
  paths: Partial<Record<K, string>>,
  render: Record<K, () => string>,
  secrets: readonly string[],
): Promise<boolean> {
  const redact = redactor(secrets);
  if ((paths as Partial<Record<ReportOption, string>>).json === '-')
    process.stderr.write(`${redact(table)}\n`);
  else console.log(redact(table));
  try {
    for (const option of Object.keys(render) as K[]) {
      const path = paths[option];
      if (path !== undefined) await writeReport(path, redact(render[option]()));
    }
    return true;
  } catch (err) {
    console.error(`live-platform ${command}: could not write a report: ${redact(errorText(err))}`);
    return false;
  }
}
