/** The panel folded to a ~40px strip (the content script narrows the iframe): a way back and today's count. */
import { useT } from './i18n';
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
  const { t, number } = useT();
  return (
    <div className="loupe-collapsed">
      <button
        type="button"
        className="loupe-icon-button"
        aria-label={t('panel.collapsed.expand')}
        title={t('panel.collapsed.expandTitle', { key: toggleKey })}
        onClick={onExpand}
      >
        <span aria-hidden="true">⟨</span>
      </button>
      <span className="loupe-collapsed-count" title={t('panel.collapsed.audited')}>
        <span className="visually-hidden">{t('panel.collapsed.auditedCount', { count: audited })}</span>
        <span aria-hidden="true">{number(audited)}</span>
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
