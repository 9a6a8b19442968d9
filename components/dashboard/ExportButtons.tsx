/**
 * CSV and JSON downloads of the filtered audits. The file is built from chunks with a turn of the event loop
 * between them, so a 100,000-row export keeps the page responsive (and its status message readable).
 */
import { useState } from 'react';
import { toCsvChunks, toJsonChunks } from '../../lib/leads/export';
import type { Audit, Taxonomy } from '../../lib/schemas';
import { messageOf } from './format';
import { useT } from './i18n';

/** Saves a finished file; an object URL and a link with `download` by default, a capture in tests. */
export type DownloadFile = (fileName: string, blob: Blob) => void;

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started reading the blob by the time the event loop comes back here.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Collects `chunks` into a Blob, giving the event loop a turn after each one. */
export async function blobFromChunks(chunks: Iterable<string>, type: string): Promise<Blob> {
  const parts: string[] = [];
  for (const chunk of chunks) {
    parts.push(chunk);
    await new Promise((resolve) => setTimeout(resolve));
  }
  return new Blob(parts, { type });
}

type Format = 'csv' | 'json';

interface ExportButtonsProps {
  audits: readonly Audit[];
  taxonomy: Pick<Taxonomy, 'tags'>;
  /** The base of the file name, e.g. `loupe-audits-2026-11-09-to-2026-11-22`. */
  baseName: string;
  download: DownloadFile;
}

type ExportState = { kind: 'idle' } | { kind: 'busy'; format: Format } | { kind: 'done'; text: string } | { kind: 'failed'; text: string };

export function ExportButtons({ audits, taxonomy, baseName, download }: ExportButtonsProps) {
  const { t } = useT();
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const busy = state.kind === 'busy';

  async function exportAs(format: Format) {
    if (busy) return;
    setState({ kind: 'busy', format });
    // The list the button was pressed on: later live updates do not change a file half written.
    const snapshot = [...audits];
    try {
      const blob =
        format === 'csv'
          ? await blobFromChunks(toCsvChunks(snapshot, taxonomy), 'text/csv;charset=utf-8')
          : await blobFromChunks(toJsonChunks(snapshot), 'application/json');
      const fileName = `${baseName}.${format}`;
      download(fileName, blob);
      setState({ kind: 'done', text: t('dashboard.export.done', { audits: t('dashboard.audits', { count: snapshot.length }), file: fileName }) });
    } catch (error) {
      setState({ kind: 'failed', text: t('dashboard.export.failed', { error: messageOf(error) }) });
    }
  }

  return (
    <div className="export">
      <button type="button" className="button" aria-disabled={busy || undefined} onClick={() => void exportAs('csv')}>
        {t('dashboard.export.csv')}
      </button>
      <button type="button" className="button" aria-disabled={busy || undefined} onClick={() => void exportAs('json')}>
        {t('dashboard.export.json')}
      </button>
      <p role="status" className="export__status">
        {state.kind === 'busy' ? t('dashboard.export.preparing', { format: state.format.toUpperCase() }) : state.kind === 'done' ? state.text : ''}
      </p>
      {state.kind === 'failed' ? (
        <p role="alert" className="message message--error">
          {state.text}
        </p>
      ) : null}
    </div>
  );
}
