/** The audits behind the selected bar or day, each with a way back to the item in the labeling tool. */
import type { Audit, Taxonomy } from '../../lib/schemas';
import { formatTime, tagLabel } from './format';
import { useT } from './i18n';

interface AuditListProps {
  title: string;
  audits: readonly Audit[];
  taxonomy: Pick<Taxonomy, 'tags'>;
  timeZone: string;
  onClear: () => void;
}

/** A page of hundreds of rows is already more than anyone reads; the export has them all. */
const SHOWN = 200;

export function AuditList({ title, audits, taxonomy, timeZone, onClear }: AuditListProps) {
  const i18n = useT();
  const { t, locale } = i18n;
  const shown = audits.slice(0, SHOWN);
  return (
    <section className="section" aria-labelledby="audit-list-title">
      <div className="section__head">
        <h2 id="audit-list-title">
          {t('dashboard.list.title', { title, audits: t('dashboard.audits', { count: audits.length }) })}
        </h2>
        <button type="button" className="button" onClick={onClear}>
          {t('dashboard.list.clear')}
        </button>
      </div>
      {audits.length > SHOWN ? <p className="empty">{t('dashboard.list.truncated', { shown: SHOWN, total: audits.length })}</p> : null}
      {audits.length === 0 ? (
        <p className="empty">{t('dashboard.list.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{t('dashboard.list.caption', { title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.list.time')}</th>
                <th scope="col">{t('dashboard.list.item')}</th>
                <th scope="col">{t('dashboard.list.labeler')}</th>
                <th scope="col">{t('dashboard.list.verdict')}</th>
                <th scope="col">{t('dashboard.list.tags')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((audit) => (
                <tr key={audit.id}>
                  <td>
                    <time dateTime={new Date(audit.createdAt).toISOString()}>{formatTime(audit.createdAt, timeZone, i18n)}</time>
                  </td>
                  <td>
                    <a href={audit.itemUrl} target="_blank" rel="noopener noreferrer">
                      {audit.itemId}
                      <span className="visually-hidden"> {t('dashboard.list.newTab')}</span>
                    </a>
                  </td>
                  <td>{audit.labelerId ?? '–'}</td>
                  <td className={`verdict verdict--${audit.verdict}`}>
                    {t(`common.verdict.${audit.verdict}`)}
                    {audit.severity ? `, ${t(`common.severity.${audit.severity}`).toLocaleLowerCase(locale)}` : ''}
                  </td>
                  <td>{audit.errorTags.map((tagId) => tagLabel(taxonomy, tagId)).join(', ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
