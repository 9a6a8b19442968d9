/** The panel folded to a ~40px strip (the content script narrows the iframe): a way back and today's count. */
import type { Notice } from './panel-store';

export function CollapsedBar({
  audited,
  notice,
  toggleKey,
  onExpand,
}: {
  audited: number;
  notice: Notice;
  toggleKey: string;
  onExpand: () => void;
}) {
  return (
    <div className="loupe-collapsed">
      <button type="button" className="loupe-icon-button" aria-label="Expand Loupe panel" title={`Expand Loupe panel (${toggleKey})`} onClick={onExpand}>
        <span aria-hidden="true">⟨</span>
      </button>
      <span className="loupe-collapsed-count" title="Audited today">
        <span className="visually-hidden">Audited today: </span>
        {audited}
      </span>
      {/* Host-page keys still save while the panel is folded: failures must still be seen and heard. */}
      {notice?.kind === 'alert' && (
        <span role="alert" className="loupe-collapsed-alert" title={notice.text}>
          <span aria-hidden="true">!</span>
          <span className="visually-hidden">{notice.text}</span>
        </span>
      )}
      <span role="status" className="visually-hidden">
        {notice?.kind === 'status' ? notice.text : ''}
      </span>
    </div>
  );
}
